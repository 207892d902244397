"""A new user's week without friction (issue 13): each test backs one defect's fix."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import create_empty, days_ago, days_ahead

GIVENET = [sys.executable, "-m", "givenet"]


def givenet(path: Path, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIVENET_DB": str(path), **kwargs.pop("env", {})}
    return subprocess.run([*GIVENET, *args], capture_output=True, text=True, env=env, **kwargs)


# 5. Piped output


@pytest.mark.slow
def test_the_match_hint_is_printed_in_a_pipe_too(run):
    run("demo")
    out = run("match").stdout
    assert out.splitlines()[-1].startswith("Introduce them: givenet intro '#")


@pytest.mark.slow
def test_a_reader_that_stops_early_is_not_an_error(isolated_database):
    givenet(isolated_database, "demo", check=True)
    # The reader is gone before givenet writes a byte: every write meets a closed pipe.
    process = subprocess.Popen(
        [*GIVENET, "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "GIVENET_DB": str(isolated_database)},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait() == 0
    assert stderr == b""
    piped = subprocess.run(
        ["bash", "-c", f"{' '.join(GIVENET)} list | head -1; echo ${{PIPESTATUS[0]}}"],
        capture_output=True,
        text=True,
        env={**os.environ, "GIVENET_DB": str(isolated_database)},
    )
    assert piped.stdout.splitlines()[-1] == "0" and piped.stderr == ""


# 6. Names with accents


def test_lookups_ignore_accents_and_case_but_an_exact_name_wins(run, fails):
    run("add", "Tomás Silva")
    run("add", "Zoë Adams")
    assert run("why", "tomas").stdout.startswith("#1 Tomás Silva")
    run("edit", "Zoe", "--role", "chef")
    assert run("show", "ZOE ADAMS", "--json").json()["role"] == "chef"
    run("add", "Zoe")  # an exact name wins over Zoë Adams
    assert run("show", "zoe", "--json").json()["name"] == "Zoe"
    assert "did you mean 'Zoë Adams'" in fails("show", "Zoey Adms")


# 3. A mistyped database path


def test_only_a_write_creates_a_missing_database(run, fails, tmp_path):
    typo = tmp_path / "notes" / "typo.db"
    for command in (["due"], ["list"], ["show", "Ada"], ["config"], ["export", "json"]):
        assert "there is no network at" in fails("--db", str(typo), *command)
    assert not typo.exists() and not typo.parent.exists()
    added = run("--db", str(typo), "add", "Ada Lovelace")
    assert added.stderr == f"Created a new network at {typo}\n"
    assert run("--db", str(typo), "add", "Ben Okri").stderr == ""  # said once, when new
    assert run("--db", str(typo), "due").stderr == ""


# 2. Dates of the past that land a year ahead


def test_a_meeting_at_an_event_still_to_come_needs_on(run, fails):
    ahead = days_ahead(30)
    run("event", "add", "Food Forum", "--on", ahead)
    assert "a day still to come" in fails("add", "Ruth Sato", "--met-at", "Food")
    assert run("list", "--json").json() == []  # nothing recorded
    run("add", "Ruth Sato")
    assert "a day still to come" in fails("log", "Ruth", "--event", "Food")
    # --on says so: recorded, with a warning.
    added = run("add", "Ken Ito", "--met-at", "Food", "--on", ahead)
    assert added.stderr == f"Warning: the meeting is dated {ahead}, in the future\n"


@pytest.mark.parametrize(
    "command",
    [("note", "Ruth", "hello"), ("gave", "Ruth", "a lead"), ("log", "Ruth"),
     ("intro", "Ruth", "Ken")],
)  # fmt: skip
@pytest.mark.slow
def test_anything_dated_in_the_future_is_warned_about(run, command):
    run("add", "Ruth Sato")
    run("add", "Ken Ito")
    assert run(*command).stderr == ""
    warned = run(*command, "--on", days_ahead(2)).stderr
    assert warned.startswith("Warning: ") and f"dated {days_ahead(2)}, in the future" in warned


# 1. Completion of names with spaces, in any case and without accents


@pytest.mark.slow
def test_bash_completion_quotes_names_with_spaces(isolated_database):
    givenet(isolated_database, "demo", check=True)
    bin_folder = Path(sys.executable).parent
    env = {"PATH": f"{bin_folder}:{os.environ['PATH']}", "GIVENET_DB": str(isolated_database)}
    script = subprocess.run(
        [str(bin_folder / "givenet")],
        env={**env, "_GIVENET_COMPLETE": "source_bash"},
        capture_output=True,
        text=True,
    ).stdout
    assert "complete " in script
    session = (
        script
        + """
complete_and_run() {  # what bash does on TAB, then the words the completed line gives
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
    _givenet_completion givenet
    eval "set -- ${COMPREPLY[0]}"
    echo "$# $1"
}
complete_and_run givenet why Ha
complete_and_run givenet log Hana --event Imp
complete_and_run givenet why ha
complete_and_run givenet why TOMAS
complete_and_run givenet why yus
complete_and_run givenet event show impact
"""
    )
    out = subprocess.run(
        ["bash", "--norc", "--noprofile"], input=session, capture_output=True, text=True, env=env
    )
    assert out.stdout.splitlines() == [
        "1 Hana Yusuf",
        "1 Impact Mixer",
        "1 Hana Yusuf",  # any case, as lookups
        "1 Tomás Silva",  # without accents
        "1 Hana Yusuf",  # a word's start
        "1 Impact Mixer",
    ], out.stderr


# 4. Tables at 80 columns


@pytest.mark.parametrize(
    "command", ["due", "list", "match", "events", "asks", "offers", "promises", "who kitchen"]
)
@pytest.mark.slow
def test_tables_at_80_columns_never_split_a_word_or_a_date(run, monkeypatch, command):
    from givenet import render

    run("demo")
    piped = run(*command.split()).stdout
    whole = set(piped.split())  # in a pipe every cell is whole
    monkeypatch.setattr(render, "is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    shown = run(*command.split()).stdout
    rows = [line for line in shown.splitlines() if line[:1] in "│┃"]
    assert rows and all(len(line) <= 80 for line in shown.splitlines())
    for line in rows:
        for token in line.replace("┃", "│").replace("│", " ").split():
            assert token in whole or token.endswith("…"), f"{token!r} is cut: {line}"
    headers = [line for line in shown.splitlines() if line.startswith("┃")]
    assert "…" not in "".join(headers), headers  # a column shown keeps its whole header
    ids = {token for token in whole if token.startswith("#")}
    assert ids <= set(shown.replace("│", " ").split()), "an id was squeezed out"
    if command == "due":  # the morning list keeps every "do" whole, on one line
        for words in ("Wish a happy birthday", "Keep your promise", "Introduce them"):
            assert words in shown


@pytest.mark.parametrize("command", [("show", "Hana"), ("event", "prep", "Impact"), ("stats",)])
@pytest.mark.slow
def test_plain_screens_wrap_at_words_with_a_hanging_indent(run, monkeypatch, command):
    from givenet import render

    run("demo")
    piped = run(*command).stdout
    assert any(len(line) > 80 for line in piped.splitlines()) or command == ("stats",)
    monkeypatch.setattr(render, "is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    shown = run(*command).stdout
    assert all(len(line) <= 80 for line in shown.splitlines())
    assert shown.split() == piped.split()  # the same words, none cut, only new line breaks
    starts = [line for line in piped.splitlines()]
    for line in shown.splitlines():
        if not any(whole.startswith(line) for whole in starts):  # a continuation
            assert line.startswith("    "), f"{line!r} does not hang"


# 9. Small things


@pytest.mark.slow
def test_stats_says_one_person_and_bars_each_layer_against_its_capacity(run):
    run("add", "Ada Lovelace", "--circle", "inner")
    out = run("stats").stdout
    assert "1 person" in out and "1 people" not in out
    inner = next(line for line in out.splitlines() if line.strip().startswith("inner"))
    assert inner.endswith("█" + "░" * 19)  # 1 of 15 is one cell of twenty, not a sliver of 150
    for number in range(2, 17):
        run("add", f"Friend {number}", "--circle", "inner")
    inner = next(line for line in run("stats").stdout.splitlines() if "inner" in line)
    assert "█" * 20 in inner and "over capacity" in inner


def test_events_show_zero_open_follow_ups(run):
    run("event", "add", "Quiet Mixer", "--on", "2026-01-05")
    row = run("events").stdout.splitlines()[1]
    assert row.split()[-3:] == ["0", "0", "0"]  # expected, met, open follow-ups


def test_merge_says_what_it_brought_over(run):
    run("add", "Ada Lovelace", "--email", "ada@example.org")
    run("add", "Ada L", "--email", "ada@work.example", "--on", "2026-01-05")
    out = run("merge", "Ada Lovelace", "Ada L", "--yes").stdout
    assert "Brought over: 1 email, 1 meeting" in out


def test_the_delete_prompt_names_the_people_and_no_says_so(run, monkeypatch):
    import types

    from givenet.cli import common

    run("add", "Ada Lovelace")
    run("add", "Ben Okri")
    run("log", "Ada", "Ben", "--on", "2026-01-05", "--note", "tea")
    terminal = types.SimpleNamespace(stdin=types.SimpleNamespace(isatty=lambda: True))
    monkeypatch.setattr(common, "sys", terminal)
    refused = run("delete", "meeting", "1", input="n\n", code=1)
    assert "meeting #1 (2026-01-05; with Ada Lovelace, Ben Okri): tea" in refused.stdout
    assert refused.stderr == "Nothing changed.\n"
    assert len(run("show", "Ada", "--json").json()["meetings"]) == 1


def test_config_takes_a_negative_value_without_dashes(fails, isolated_database):
    create_empty(isolated_database)
    assert "0 or more" in fails("config", "weight.reach", "-1")


# 7. Help


def test_help_placeholders_are_words_and_examples_are_never_wrapped(run, monkeypatch):
    import re

    from test_docs import COMMANDS

    monkeypatch.setenv("COLUMNS", "80")
    for name, command in COMMANDS:
        shown = run(*name.split(), "--help").stdout
        assert not re.search(r"<[a-z][^>]*>|\{[a-z_]+\}|list\[|<=x|x<=", shown), f"{name}: {shown}"
        example = re.search(r"Example:\s*\n\s*\n\s+(givenet .+)", command.help).group(1)
        assert f"    {example}\n" in shown, f"`givenet {name} --help` wraps its example"
    assert "Usage: givenet log [OPTIONS] PERSON..." in run("log", "--help").stdout
    assert "Error: Missing argument 'PERSON'." in run("why", code=2).stderr
    assert "[default: 10; 1 to 1,000,000]" in run("due", "--help").stdout  # a range in words


# 12. Meeting kinds; 7. choice errors in plain words


def test_a_meeting_in_person_is_a_kind_and_a_wrong_kind_is_named_plainly(run):
    run("add", "Ruth Sato")
    run("log", "Ruth", "--kind", "meeting", "--on", "2026-01-05")
    assert run("show", "Ruth", "--json").json()["meetings"][0]["kind"] == "meeting"
    wrong = run("log", "Ruth", "--kind", "meating", code=2).stderr
    assert "'meating' is not one of 'event', 'meeting'" in wrong and "Value error" not in wrong


# 11. Promises without a meeting


def test_a_promise_without_a_meeting_and_done_keeps_it(run):
    run("add", "Ruth Sato")
    out = run("promise", "Ruth", "send the grant checklist", "--by", days_ahead(3)).stdout
    assert out.startswith("Promise #1 to #1 Ruth Sato: send the grant checklist")
    [made] = run("promises", "--json").json()
    assert (made["due"], made["status"]) == (days_ahead(3), "open")
    assert run("show", "Ruth", "--json").json()["meetings"] == []  # no meeting logged
    run("done", "1")
    assert run("promises", "--json").json() == []


# 14. Messages that say what is true


@pytest.mark.slow
def test_match_says_an_askers_asks_are_met(run):
    run("demo")
    ask = next(a for a in run("asks", "--json").json() if a["person"]["name"] == "Tomás Silva")
    run("resolve", str(ask["id"]), "--via", "a friend's hall")
    out = run("match", "Tomás").stdout
    assert out.startswith("Tomás Silva's asks are all met or dropped")
    run("add", "Ruth Sato")
    assert "Ruth Sato has no asks or offers yet" in run("match", "Ruth").stdout


# 13. Things that settle themselves


@pytest.mark.slow
def test_an_intro_keeps_the_promise_that_names_it(run):
    run("add", "Maria Lopez")
    run("add", "Amara Okafor")
    run("add", "Sam Okafor")
    run("promise", "Maria", "introduce her to Amara about the venue")
    run("promise", "Maria", "send the menu")
    run("promise", "Sam", "call back")
    out = run("intro", "Maria", "Amara").stdout
    assert "Kept promise #1." in out
    open_ones = {p["id"] for p in run("promises", "--json").json()}
    assert open_ones == {2, 3}
    assert "Kept promise #3." in run("intro", "Sam", "Maria", "--keeps", "3").stdout


def test_a_snooze_never_hides_a_promise_due(run):
    run("add", "Grace Lin")
    run("promise", "Grace", "send the report", "--by", days_ahead(3))
    snoozed = run("snooze", "Grace")
    assert "1 promise(s) to them fall due before then" in snoozed.stderr
    due = run("due", "--on", days_ahead(4), "--json").json()
    assert [p["name"] for p in due] == ["Grace Lin"] and due[0]["action"] == "promise"


@pytest.mark.slow
def test_an_intro_under_way_for_an_ask_replaces_its_help_line(run):
    run("add", "Tomás Silva", "--on", "2026-01-05")
    run("add", "Amara Okafor", "--on", "2026-01-05")
    run("ask", "Tomás", "a venue for 40 people")

    def firing() -> set[str]:
        return {f["name"] for f in run("why", "Tomás", "--json").json()["factors"] if f["value"]}

    assert "open_ask" in firing()
    run("intro", "Tomás", "Amara", "--for", "1", "--on", days_ago(10))
    assert "open_ask" not in firing() and "intro_check" in firing()


# 10. After an event, less typing


@pytest.mark.slow
def test_a_started_event_is_where_people_are_met_and_add_records_asks_and_offers(run):
    run("event", "start", "Food Forum", "--hours", "2")
    added = run("add", "Ruth Sato", "--ask", "a venue for 40", "--offer", "a van on Sundays")
    assert added.stdout.startswith("Added #1 Ruth Sato, met at Food Forum on ")
    assert "Ask #1 recorded." in added.stdout and "Offer #1 recorded." in added.stdout
    shown = run("show", "Ruth", "--json").json()
    assert [a["text"] for a in shown["asks"]] == ["a venue for 40"]
    assert [o["text"] for o in shown["offers"]] == ["a van on Sundays"]
    assert run("add", "Ken Ito", "--on", "2026-01-05").stdout.startswith("Added #2 Ken Ito, met on")
    assert run("event", "stop").stdout == "Ended #1 Food Forum.\n"
    assert run("add", "Lea Roy").stdout == "Added #3 Lea Roy.\n"
    assert len(run("events", "--json").json()) == 1


def test_an_import_summary_never_doubles_its_parentheses(run, tmp_path):
    cards = tmp_path / "contacts.vcf"
    cards.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n")
    out = run("import", "vcard", str(cards), "--dry-run").stdout
    assert "Ada Lovelace (card at line 1)" in out and "))" not in out


# 15. A dry run lists every problem


def test_an_import_dry_run_lists_every_problem_up_to_a_limit(run, tmp_path):
    rows = ["Name,Email", "Ada,ada@example.com"]
    rows += [f"Bad {n},not-an-email-{n}" for n in range(60)]
    rows.append("Cy,cy@example.com")
    sheet = tmp_path / "contacts.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    run("add", "Zed")
    dry = run("import", "csv", str(sheet), "--dry-run", code=1).stderr
    listed = [line for line in dry.splitlines() if line.startswith("  line ")]
    assert dry.startswith("Error: ") and "60 rows with problems" in dry
    assert (
        len(listed) == 50
        and listed[0] == "  line 3: 'not-an-email-0' does not look like an email address"
    )
    assert dry.rstrip().endswith("… and 10 more")
    # A real run still names the first problem and counts the rest, on one line.
    real = run("import", "csv", str(sheet), code=1).stderr
    assert real.count("\n") == 1 and "59 more rows with problems" in real
    assert [p["name"] for p in run("list", "--json").json()] == ["Zed"]


def test_attend_new_adds_several_unknown_people_in_one_step(run):
    """Each unknown name is looked up without accents, then added: the lookup's SQL
    function must survive the insert before it (it was 'Error creating function')."""
    run("event", "add", "Impact Mixer", "--on", "in 3 days")
    out = run("event", "attend", "Impact Mixer", "Maria", "Sam Okafor", "Zoë", "--new").stdout
    assert "Added #1 Maria." in out and "Added #2 Sam Okafor." in out and "Added #3 Zoë." in out
    assert [p["name"] for p in run("list", "--json").json()] == ["Maria", "Sam Okafor", "Zoë"]


@pytest.mark.slow
def test_event_start_uses_todays_event_and_refuses_one_on_another_day(
    run, fails, isolated_database
):
    from conftest import dump_database

    run("event", "add", "Impact Mixer", "--on", days_ago(6))
    before = dump_database(isolated_database)
    for name in ("Impact Mixer", "impact"):  # the exact name, or a part of it
        refused = fails("event", "start", name)
        assert refused == (
            f"Error: #1 Impact Mixer is on {days_ago(6)}, not today: --new starts another event "
            f"of that name today (givenet event start {name if name == 'impact' else repr(name)}"
            " --new), or give a new name"
        )
        assert dump_database(isolated_database) == before  # nothing written
    started = run("event", "start", "Impact Mixer", "--new").stdout
    assert started.startswith(f"At #2 Impact Mixer (new, {days_ago(0)}) until ")
    again = run("event", "start", "Impact Mixer").stdout  # today's is used, not a third
    assert again.startswith(f"At #2 Impact Mixer ({days_ago(0)}) until ")
    assert run("add", "Ruth Sato").stdout.startswith("Added #1 Ruth Sato, met at Impact Mixer on")
    assert [e["id"] for e in run("events", "--json").json()] == [1, 2]
    run("event", "add", "Tech Mixer", "--on", days_ago(3))
    assert "fits several events" in fails("event", "start", "Mixer")
    assert run("event", "start", "Mixer", "--new").stdout.startswith("At #4 Mixer (new, ")


def test_an_event_a_yearless_date_puts_a_year_ahead_is_warned_about(run):
    from datetime import date, timedelta

    yesterday = date.today() - timedelta(days=1)
    typed = f"{yesterday:%b} {yesterday.day}"  # "Nov 30" on Dec 1: next year's Nov 30
    run("event", "add", "First", "--on", "in 3 days")  # the network exists
    added = run("event", "add", "Food", "--on", typed)
    next_year = run("events", "--json").json()[-1]["date"]
    assert next_year > yesterday.isoformat()
    assert added.stderr == (
        f"Warning: {typed!r} is {next_year}, next year (a date without a year looks ahead); "
        f"for one just past, give its year: --on {yesterday.isoformat()}\n"
    )
    assert run("event", "add", "Soon", "--on", "in 10 days").stderr == ""
    assert run("event", "add", "Later", "--on", next_year).stderr == ""  # the year was given


@pytest.mark.slow
def test_completion_leaves_out_names_a_terminal_cannot_show(run, monkeypatch):
    """A name with an escape, a bidi override or a newline would reach the terminal raw
    in the shell's list (a newline even splits it in two): completion offers the others."""
    from givenet.cli.common import complete_event, complete_person

    for name in ("Eve\x1b[31mRed", "Eve\u202eKoh", "Eve\nLine", "Eve\tTab", "Eve Moss"):
        run("add", name)
    run("event", "add", "Evening\x1b[2J Talk", "--on", "in 3 days")
    run("event", "add", "Evening Walk", "--on", "in 3 days")
    assert complete_person(None, "eve") == ["Eve Moss"]
    assert complete_event(None, "eve") == ["Evening Walk"]
    monkeypatch.setenv("_GIVENET_COMPLETE", "complete_bash")
    assert complete_person(None, "eve") == ["Eve\\ Moss"]


@pytest.mark.slow
def test_event_start_by_id_never_makes_an_event_named_like_an_id(run, fails, isolated_database):
    from conftest import dump_database

    run("event", "add", "Impact Mixer", "--on", days_ago(6))
    before = dump_database(isolated_database)
    for ref in ("#9", "#9 "):
        assert fails("event", "start", ref, "--new") == "Error: no event #9"
    assert "not today" in fails("event", "start", "#1")
    assert dump_database(isolated_database) == before
    # --new with an id: another event of that event's name, today.
    started = run("event", "start", "#1", "--new").stdout
    assert started.startswith(f"At #2 Impact Mixer (new, {days_ago(0)}) until ")
    assert run("event", "start", "#1").stdout.startswith(f"At #2 Impact Mixer ({days_ago(0)})")
    assert [e["name"] for e in run("events", "--json").json()] == ["Impact Mixer"] * 2


@pytest.mark.slow
def test_add_met_at_an_id_that_is_not_there_makes_nothing(run, fails, isolated_database):
    from conftest import dump_database

    run("event", "add", "Impact Mixer", "--on", days_ago(6))
    before = dump_database(isolated_database)
    assert fails("add", "Ruth Sato", "--met-at", "#9") == "Error: no event #9"
    assert fails("add", "Ruth Sato", "--met-at", "#9", "--on", days_ago(6)) == "Error: no event #9"
    assert dump_database(isolated_database) == before
    added = run("add", "Ruth Sato", "--met-at", "#1", "--on", days_ago(6)).stdout
    assert added.startswith("Added #1 Ruth Sato, met at Impact Mixer")


@pytest.mark.parametrize("far", ["in 11 months", "in 400 days"])
def test_a_far_date_counted_from_today_is_not_warned_about(run, far):
    """Only a day typed without its year can land a year off what was meant."""
    run("event", "add", "First", "--on", "in 3 days")  # the network exists
    assert run("event", "add", "Far", "--on", far).stderr == ""


@pytest.mark.slow
def test_givenet_needs_no_click_package(run, monkeypatch):
    """Typer carries its own Click, and `click` is no dependency of givenet (only the mcp
    extra brings it in): building the commands and completing a name work without it."""
    import typer
    import typer.main

    from givenet.cli import app

    run("demo")
    for name in [name for name in sys.modules if name == "click" or name.startswith("click.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "click", None)  # import click: ImportError
    why = typer.main.get_command(app).commands["why"]  # type: ignore[attr-defined]
    [person] = [param for param in why.params if param.name == "person_ref"]
    found = person.shell_complete(typer.Context(why), "ha")
    assert [item.value for item in found] == ["Hana Yusuf"]


def test_every_name_completer_finds_names_as_lookups_do():
    """Each parameter that completes names gets the completer that matches any case, no
    accents and a word's start; one left with Typer's own filter would only complete
    names starting with exactly what was typed (`graph --around ha<TAB>`: nothing)."""
    import typer.main

    from givenet.cli import app

    def params(command, path):
        for param in command.params:
            yield f"{path} {param.name}", param
        for name, sub in getattr(command, "commands", {}).items():
            yield from params(sub, f"{path} {name}")

    filtered = [
        where
        for where, param in params(typer.main.get_command(app), "givenet")
        if param._custom_shell_complete is not None
        and not param._custom_shell_complete.__qualname__.startswith("_unfiltered_completion")
    ]
    assert filtered == []


@pytest.mark.slow
def test_the_circles_heading_of_stats_hangs_four_columns(run, monkeypatch):
    """Not under its first colon, 20 columns in, as a label's value would."""
    from givenet import render

    run("demo")
    monkeypatch.setattr(render, "is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    lines = run("stats").stdout.splitlines()
    heading = next(n for n, line in enumerate(lines) if line.startswith("Circles ("))
    assert lines[heading + 1] == "    capacity)"

"""Hostile input and faults (issue 12): terminal escapes, the database's own files as
targets, atomic backups, a truthful check, interrupted upgrades, foreign files,
folders, tracebacks, special files and vCard line separators."""

from __future__ import annotations

import json
import re

import pytest

from givenet import render

# OSC 52 writes the clipboard, then the screen is cleared; U+202E reverses text.
ESCAPES = "Eve\x1b]52;c;SGVsbG8=\x07\x1b[2J"
REVERSED = "\u202eevil"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Eve\x1b]52;c;SGVsbG8=\x07", "Eve\\x1b]52;c;SGVsbG8=\\x07"),
        ("\u202eevil\u2066x\u2069", "\\u202eevil\\u2066x\\u2069"),
        ("a\x9bb\x7fc\rd", "a\\x9bb\\x7fc\\x0dd"),
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("Zoë 李 🎉 [red]", "Zoë 李 🎉 [red]"),
    ],
)
def test_safe_text_escapes_controls_and_bidi_overrides_only(text, shown):
    assert render.safe_text(text) == shown


def test_every_printer_sanitises_on_a_terminal_and_json_keeps_the_text(monkeypatch, capsys):
    render.line(ESCAPES)
    render.fields([("name", ESCAPES)])
    render.table(["name"], [[REVERSED]], title=ESCAPES, footer=[ESCAPES])
    render.warning(ESCAPES)
    render.error(REVERSED)
    render.info(ESCAPES)
    monkeypatch.setattr(render, "is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "120")
    render.table(["name"], [[ESCAPES]], title=REVERSED, footer=[ESCAPES])
    render.document(ESCAPES)
    captured = capsys.readouterr()
    # rich writes its own (colour) escapes; none of the text's may get through.
    assert "\x07" not in captured.out and "]52;" not in captured.out.replace("\\x1b]52;", "")
    assert not RAW.search(captured.err)
    assert "\u202e" not in captured.out
    monkeypatch.setattr(render, "is_terminal", lambda: False)
    render.print_json({"name": ESCAPES + REVERSED + "\x9b"})
    out = capsys.readouterr().out
    assert not RAW.search(out)
    assert json.loads(out) == {"name": ESCAPES + REVERSED + "\x9b"}
    render.document(ESCAPES)  # an export in a pipe is the file's exact content
    assert capsys.readouterr().out == ESCAPES + "\n"


@pytest.fixture
def hostile(run):
    """Names, notes, orgs, asks, offers and an event made of terminal escapes."""
    outs = [
        run("add", ESCAPES, "--org", REVERSED, "--note", ESCAPES, "--tag", "venue"),
        run("add", "--cadence", "1w", "--", REVERSED),
        run("add", "Evelyn"),
        run("ask", "#1", f"needs {ESCAPES} venue", "--tag", "venue"),
        run("offer", "#2", f"offers {REVERSED} venue", "--tag", "venue"),
        run("event", "add", f"{ESCAPES} party", "--on", "yesterday"),
        run("event", "attend", "#1", "#1"),
        run("log", "#1", "--note", ESCAPES, "--next", REVERSED),
    ]
    return outs


COMMANDS = [
    ("list",), ("show", "#1"), ("show", "#2"), ("due",), ("match",), ("who", "venue"),
    ("find", "venue"), ("asks",), ("offers",), ("events",), ("event", "show", "#1"),
    ("why", "#2"), ("dupes",),
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_stored_escapes_never_reach_the_terminal(run, hostile, command):
    for outcome in hostile:
        assert not RAW.search(outcome.stdout + outcome.stderr)
    shown = run(*command)
    assert not RAW.search(shown.stdout + shown.stderr), shown.stdout
    if command[0] in {"list", "show", "asks", "offers", "events", "who", "find"}:
        assert "\\x1b]52" in shown.stdout or "\\u202e" in shown.stdout


@pytest.mark.parametrize("command", [("list",), ("show", "#1"), ("asks",), ("who", "venue")])
def test_json_keeps_the_exact_text(run, hostile, command):
    shown = run(*command, "--json")
    assert not RAW.search(shown.stdout)
    text = " ".join(_strings(shown.json()))  # the parsed strings, exact
    assert ESCAPES in text or REVERSED in text


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_an_ambiguous_or_unknown_name_is_shown_escaped(run, hostile, fails):
    ambiguous = fails("show", "Eve")
    assert "\\x1b]52" in ambiguous and not RAW.search(ambiguous)
    unknown = fails("show", ESCAPES + "x")
    assert not RAW.search(unknown)


# --- 9: arguments that would have been tracebacks --------------------------------------


def test_an_argument_that_is_not_utf8_is_one_line(fails, isolated_database):
    # Python hands a non-UTF-8 argument over as lone surrogates (b"\xff" -> "\udcff").
    line = fails("add", "Ann\udcff")
    assert "not valid UTF-8" in line and "\\xff" in line
    assert not isolated_database.exists()

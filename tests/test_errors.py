"""Bad input: one line on stderr, exit 1, no traceback, nothing stored changed."""

from __future__ import annotations

import pytest

from conftest import build_database, dump_database, install_copy

SETUP = [
    ("add", "Maria Lopez", "--email", "maria@example.com", "--tag", "food"),
    ("add", "Maria Chen"),
    ("add", "Sam", "--met-at", "Mixer", "--on", "yesterday", "--note", "hello"),
    ("ask", "Sam", "a venue"),
    ("offer", "Maria Lopez", "a room"),
    ("log", "Sam", "--next", "call back"),
    ("got", "Sam", "a lead"),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("template") / "givenet.db", SETUP)


@pytest.fixture
def populated(template, isolated_database):
    return install_copy(template, isolated_database)


BAD_WRITES = [
    # unknown or ambiguous people
    ("add", "X", "--met-at", "Mixer", "--on", "someday"),
    ("edit", "Nobody", "--org", "X"),
    ("edit", "Maria", "--org", "X"),
    ("note", "Maria", "ambiguous"),
    ("log", "Sam", "Nobody"),
    ("ask", "Nobody", "a thing"),
    ("offer", "#99", "a thing"),
    ("gave", "Nobody", "a thing"),
    ("got", "Sam", "x", "--on", "not a date"),
    ("snooze", "Nobody"),
    ("unsnooze", "Maria"),
    # empty names and texts
    ("add", "   "),
    ("note", "Sam", " "),
    ("ask", "Sam", ""),
    ("offer", "Sam", "  "),
    ("gave", "Sam", ""),
    ("log", "Sam", "--next", " "),
    ("event", "add", " ", "--on", "tomorrow"),
    # bad dates and durations
    ("add", "New Person", "--on", "32 Nov"),
    ("add", "New Person", "--birthday", "yesterday"),
    ("add", "New Person", "--cadence", "often"),
    ("log", "Sam", "--on", "blorp"),
    ("ask", "Sam", "x", "--by", "whenever"),
    ("snooze", "Sam", "--for", "forever"),
    ("event", "add", "E", "--on", "soon"),
    # unknown ids and illegal moves
    ("kept", "99"),
    ("kept", "abc"),
    ("resolve", "99"),
    ("drop", "#42"),
    ("reopen", "1"),
    ("withdraw", "7"),
    ("gave", "Sam", "x", "--for", "99"),
    ("delete", "note", "5", "--yes"),
    ("delete", "meeting", "1"),  # no --yes without a terminal
    # conflicts and bad values
    ("add", "maria lopez"),
    ("add", "Other", "--email", "MARIA@example.com"),
    ("add", "Other", "--email", "not-an-email"),
    ("add", "Other", "--reach", "huge"),
    ("edit", "Sam", "--email", "maria@example.com"),
    ("edit", "Sam", "--clear", "everything"),
    ("config", "weight.unknown", "1"),
    ("config", "cadence.inner", "--reset", "3"),
    ("demo",),  # the database already holds people
    # introductions and tags
    ("intro", "Sam", "sam"),
    ("intro", "Sam", "Nobody"),
    ("intro", "Sam", "Maria Lopez", "--for", "99"),
    ("intro", "Sam", "Maria Lopez", "--on", "someday"),
    ("intro-status", "99", "met"),
    ("tag", "rename", "nope", "other"),
    ("tag", "rename", "food", "  "),
]


@pytest.mark.parametrize("command", BAD_WRITES, ids=lambda c: " ".join(c))
@pytest.mark.slow
def test_bad_write_is_one_line_exit_1_and_changes_nothing(run, populated, command):
    before = dump_database(populated)
    outcome = run(*command, code=1)
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), outcome.stderr
    assert dump_database(populated) == before


def test_a_write_failing_half_way_rolls_back_everything(run, populated):
    before = dump_database(populated)
    # The person and the new event are written before the NUL in the note is refused.
    run("add", "Half Way", "--met-at", "Brand New Event", "--note", "bad\x00note", code=1)
    # Tags are added before the taken email is refused.
    run("edit", "Sam", "--tag", "newtag", "--email", "maria@example.com", code=1)
    assert dump_database(populated) == before


def test_ambiguous_name_lists_candidates_with_ids(fails, populated):
    message = fails("show", "maria")
    assert "#1 Maria Lopez" in message and "#2 Maria Chen" in message


def test_bad_date_message_gives_examples(fails, populated):
    message = fails("log", "Sam", "--on", "blorp")
    assert "blorp" in message and "yesterday" in message and "Nov 20" in message


@pytest.mark.parametrize(
    "command",
    [
        ("due", "--limit", "many"),
        ("add", "X", "--circle", "bogus"),
        ("log", "Sam", "--kind", "telepathy"),
        ("delete", "person", "1"),
        ("due", "--no-such-option"),
        ("ask",),
    ],
    ids=lambda c: " ".join(c),
)
def test_usage_errors_keep_typer_exit_2_without_traceback(run, command):
    outcome = run(*command, code=2)
    assert "Traceback" not in outcome.stderr


@pytest.mark.parametrize(
    "command",
    [("list",), ("due",), ("asks",), ("offers",), ("events",), ("promises",), ("config",),
     ("match",), ("intros",), ("tags",), ("stats",), ("who", "venue"), ("find", "Sam")],
    ids=lambda c: " ".join(c),
)  # fmt: skip
def test_json_listings_print_only_json(run, populated, command):
    outcome = run(*command, "--json")
    outcome.json()  # parses
    assert outcome.stderr == ""


@pytest.mark.parametrize(
    "command",
    [
        ("show", "#99999999999999999999"),
        ("kept", "99999999999999999999"),
        ("resolve", "#99999999999999999999"),
        ("delete", "note", "99999999999999999999", "--yes"),
        ("show", "#١"),
    ],
    ids=lambda c: " ".join(c),
)
def test_ids_beyond_sqlite_or_not_ascii_are_clear_errors(run, populated, command):
    outcome = run(*command, code=1)
    assert outcome.stderr.startswith("Error: ")


@pytest.mark.parametrize("command", ["match", "due", "demo"])
def test_a_limit_beyond_any_network_is_a_usage_error(run, command):
    outcome = run(command, "--limit", "99999999999999999999", code=2)
    assert "Traceback" not in outcome.stderr

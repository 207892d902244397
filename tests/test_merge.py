"""`import json --merge`: two members' personal files into one network, history and all.

The members' files are SQLite (`--db`); the network they merge into is this test's
database, on each engine.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import dump_database

pytestmark = pytest.mark.engines


def _member(run, path: Path, *commands: tuple[str, ...]) -> Path:
    """A member's personal file built by ``commands``, exported: the export's path."""
    for command in commands:
        run("--db", str(path), *command)
    exported = path.with_suffix(".json")
    run("--db", str(path), "export", "json", "-o", str(exported))
    return exported


@pytest.fixture
def ana(run, tmp_path) -> Path:
    return _member(
        run,
        tmp_path / "ana.db",
        ("add", "Eve Okafor", "--email", "eve@foodbank.example", "--tag", "food"),
        ("add", "Tomás Reyes", "--email", "tomas@kitchen.example"),
        ("log", "Eve Okafor", "--on", "2026-11-02", "--kind", "coffee", "--note", "Ana met her"),
        ("note", "Eve Okafor", "runs the Tuesday pantry"),
        ("ask", "Eve Okafor", "a cold room for donated produce", "--tag", "storage"),
        ("offer", "Tomás Reyes", "a walk-in cold room on weekends", "--tag", "storage"),
        ("intro", "Tomás", "Eve", "--for", "1", "--on", "2026-11-05"),
    )


@pytest.fixture
def ben(run, tmp_path) -> Path:
    return _member(
        run,
        tmp_path / "ben.db",
        ("add", "Sam Lee", "--email", "sam@lee.example"),
        ("add", "Eve O.", "--email", "EVE@foodbank.example", "--org", "City Food Bank"),
        ("event", "add", "Food Summit", "--on", "2026-11-20", "--topic", "food"),
        ("event", "attend", "Food Summit", "Eve O.", "Sam Lee"),
        (
            "log",
            "Eve O.",
            "Sam",
            "--on",
            "2026-11-20",
            "--note",
            "Ben met her at the summit",
            "--next",
            "send the volunteer rota",
            "--by",
            "2026-12-04",
        ),
        ("ask", "Eve O.", "a cold room for donated produce"),  # Ana recorded it too
        ("ask", "Sam Lee", "cold storage for the Saturday round", "--tag", "storage"),
        ("gave", "Eve O.", "the pantry's flyer printed", "--on", "2026-11-21"),
    )


def _merge(run, *files: Path, code: int = 0) -> Any:
    outcome = None
    for file in files:
        outcome = run("import", "json", str(file), "--merge", code=code)
    return outcome


def _eve(run) -> dict[str, Any]:
    shown: dict[str, Any] = run("show", "Eve Okafor", "--json").json()
    return shown


@pytest.mark.slow
def test_two_members_files_merge_with_their_whole_history(run, ana, ben):
    run("add", "Nadia Haddad")  # the team's network holds someone: every id moves
    run("ask", "Nadia", "a van for the move", "--tag", "transport")
    _merge(run, ana, ben)
    people = {person["name"]: person for person in run("list", "--json").json()}
    assert sorted(people) == ["Eve Okafor", "Nadia Haddad", "Sam Lee", "Tomás Reyes"]
    eve = _eve(run)
    assert eve["org"] == "City Food Bank"  # an empty field filled by the second file
    assert [(m["date"], m["kind"], m["note"]) for m in eve["meetings"]] == [
        ("2026-11-02", "coffee", "Ana met her"),
        ("2026-11-20", "other", "Ben met her at the summit"),
    ]
    assert "Sam Lee" in json.dumps(eve["meetings"][1]["with"])
    assert [note["text"] for note in eve["notes"]] == ["runs the Tuesday pantry"]
    # the same ask of one person, recorded by both members: one ask
    assert [ask["text"] for ask in eve["asks"]] == ["a cold room for donated produce"]
    [promise] = eve["promises"]
    assert (promise["text"], promise["due"]) == ("send the volunteer rota", "2026-12-04")
    [intro] = eve["intros"]
    assert intro["date"] == "2026-11-05"
    assert "Tomás Reyes" in json.dumps(intro, ensure_ascii=False)
    assert intro["ask_id"] == eve["asks"][0]["id"] != 1
    gives = [(give["direction"], give["what"]) for give in eve["gives"]]
    assert ("gave", "the pantry's flyer printed") in gives
    [event] = run("events", "--json").json()
    assert event["name"] == "Food Summit"
    assert "Sam Lee" in json.dumps(event) and "Eve Okafor" in json.dumps(event)
    # the derived data follows: touches, the search index, match candidates
    assert eve["last_touch"] == "2026-11-20"
    assert "Eve Okafor" in run("find", "summit").stdout
    # Ben's ask for Sam meets Ana's offer from Tomás
    assert [
        (match["asker"]["name"], match["helper"]["name"]) for match in run("match", "--json").json()
    ] == [("Sam Lee", "Tomás Reyes")]
    run("check")


@pytest.mark.slow
def test_merging_a_file_twice_adds_nothing_the_second_time(run, ana, ben, tmp_path):
    _merge(run, ana, ben)
    first = tmp_path / "first.json"
    run("export", "json", "-o", str(first))
    outcome = _merge(run, ben, ana)
    assert "Also merged" not in outcome.stdout
    again = tmp_path / "again.json"
    run("export", "json", "-o", str(again))
    assert json.loads(again.read_text())["tables"] == json.loads(first.read_text())["tables"]
    run("check")


@pytest.mark.slow
def test_the_same_meeting_is_the_same_date_kind_note_and_people(run, tmp_path):
    common = (
        ("add", "Eve Okafor", "--email", "eve@foodbank.example"),
        ("add", "Sam Lee", "--email", "sam@lee.example"),
    )
    mine = _member(
        run,
        tmp_path / "mine.db",
        *common,
        ("log", "Eve", "Sam", "--on", "2026-11-02", "--note", "pantry tour"),
    )
    theirs = _member(
        run,
        tmp_path / "theirs.db",
        *common,
        ("log", "Sam", "Eve", "--on", "2026-11-02", "--note", "pantry tour"),  # the same
        ("log", "Eve", "--on", "2026-11-02", "--note", "pantry tour"),  # Eve alone: another
        ("log", "Eve", "Sam", "--on", "2026-11-02", "--note", "after the tour"),  # another note
        ("log", "Eve", "Sam", "--on", "2026-11-02", "--kind", "call", "--note", "pantry tour"),
        ("log", "Eve", "Sam", "--on", "2026-11-03", "--note", "pantry tour"),  # another day
    )
    run("import", "json", str(mine))
    outcome = _merge(run, theirs)
    assert "Also merged: 4 meetings." in outcome.stdout
    assert len(_eve(run)["meetings"]) == 5
    assert "Also merged" not in _merge(run, theirs, mine).stdout
    assert len(_eve(run)["meetings"]) == 5


@pytest.mark.slow
def test_two_identical_rows_of_one_file_stay_two(run, tmp_path):
    mine = _member(
        run,
        tmp_path / "mine.db",
        ("add", "Eve Okafor", "--email", "eve@foodbank.example"),
        ("gave", "Eve", "a coffee", "--on", "2026-11-02"),
        ("gave", "Eve", "a coffee", "--on", "2026-11-02"),
    )
    run("add", "Nadia Haddad")
    assert "Also merged: 2 ledger lines." in _merge(run, mine).stdout
    assert "Also merged" not in _merge(run, mine).stdout
    assert len(_eve(run)["gives"]) == 2


def _broken(path: Path, table: str, **change: Any) -> Path:
    document = json.loads(path.read_text())
    document["tables"][table][0].update(change)
    broken = path.with_name(f"broken-{table}.json")
    broken.write_text(json.dumps(document))
    return broken


@pytest.mark.parametrize(
    ("table", "change", "said"),
    [
        ("meeting", {"kind": "party"}, "meeting #1: kind 'party' is not one of"),
        pytest.param(
            "meeting",
            {"date": "someday"},
            "meeting #1: date 'someday' is not a date",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            "promise",
            {"person_id": 99},
            "promise #1: person_id 99: the file has no person #99",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            "meeting_person",
            {"meeting_id": 7},
            "meeting person row 1: meeting_id 7",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            "give", {"colour": "blue"}, "give #1: unknown column 'colour'", marks=pytest.mark.slow
        ),
        pytest.param(
            "event_attendee",
            {"status": "maybe"},
            "event attendee row 1: status 'maybe'",
            marks=pytest.mark.slow,
        ),
    ],
)
def test_a_broken_row_merges_nothing(run, fails, ana, ben, isolated_database, table, change, said):
    _merge(run, ana)
    before = dump_database(isolated_database)
    message = fails("import", "json", str(_broken(ben, table, **change)), "--merge")
    assert said in message
    assert "Nothing was imported" in message
    assert dump_database(isolated_database) == before


def test_skip_invalid_merges_the_rest_and_names_the_row(run, ana, ben):
    _merge(run, ana)
    outcome = run(
        "import", "json", str(_broken(ben, "promise", person_id=99)), "--merge", "--skip-invalid"
    )
    assert "promise #1: person_id 99: the file has no person #99" in outcome.stdout
    merged = "Also merged: 1 event, 2 attendances, 1 meeting, 1 promise, 1 ledger line."
    assert merged in outcome.stdout  # Sam's promise of the same meeting, not Eve's
    assert _eve(run)["promises"] == []
    run("check")


def test_a_dry_run_merge_says_what_it_would_bring_and_writes_nothing(
    run, ana, ben, isolated_database
):
    _merge(run, ana)
    before = dump_database(isolated_database)
    outcome = run("import", "json", str(ben), "--merge", "--dry-run")
    assert "Would also merge: 1 event, 2 attendances, 1 meeting, 2 promises" in outcome.stdout
    assert dump_database(isolated_database) == before

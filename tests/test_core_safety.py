"""The core's forget, merge, find_duplicates, backup and check, called from Python."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from givenet.core.network import Network
from givenet.core.safety import backup, check, find_duplicates, forget, identify, merge
from givenet.errors import DatabaseProblem, InvalidInput, NotFound
from givenet.records.people import PersonRef


@pytest.fixture
def network(isolated_database: Path) -> Network:
    return Network(isolated_database)


def test_identify_names_people_for_a_question(run, network):
    run("add", "Maria Lopez")
    run("add", "Sam Okafor")
    assert identify(network, "sam", "#1") == (
        PersonRef(2, "Sam Okafor"),
        PersonRef(1, "Maria Lopez"),
    )
    with pytest.raises(NotFound):
        identify(network, "Nobody")


@pytest.mark.slow
def test_forget_returns_what_went_and_empties_the_log(run, network, isolated_database):
    run("add", "Maria Lopez", "--tag", "food", "--note", "met at the market")
    run("add", "Sam Okafor")
    run("log", "Maria", "--note", "coffee")
    run("log", "Maria", "Sam", "--note", "lunch")
    run("ask", "Maria", "needs a venue")
    run("offer", "Maria", "offers a room")
    run("ask", "Sam", "a venue", "--tag", "venue")
    forgotten = forget(network, "Maria")
    assert forgotten.person == PersonRef(1, "Maria Lopez")
    assert (forgotten.removed.meetings, forgotten.removed.notes) == (1, 1)
    assert (forgotten.removed.asks, forgotten.removed.offers) == (1, 1)
    assert dict(forgotten.removed.items())["intros"] == 0
    assert forgotten.log_emptied  # the core checkpoints the log itself
    wal = Path(f"{isolated_database}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert [p["name"] for p in run("list", "--json").json()] == ["Sam Okafor"]


def test_merge_returns_both_people_and_the_filled_fields(run, network):
    run("add", "Maria Lopez", "--email", "maria@example.com")
    run("add", "M. Lopez", "--org", "Green Table", "--email", "MARIA@example.com", "--force")
    merged = merge(network, "Maria Lopez", "M. Lopez")
    assert (merged.kept, merged.merged) == (PersonRef(1, "Maria Lopez"), PersonRef(2, "M. Lopez"))
    assert merged.filled == ("org",)
    assert [p["org"] for p in run("list", "--json").json()] == ["Green Table"]
    with pytest.raises(InvalidInput, match="two different people"):
        merge(network, "Maria", "#1")


def test_find_duplicates_returns_pairs_of_people(run, network):
    run("add", "Jon Smith", "--email", "jon@example.com")
    run("add", "J. Smith", "--email", "JON@example.com", "--force")
    run("add", "Zed Unique")
    [pair] = find_duplicates(network)
    assert pair.people == (PersonRef(1, "Jon Smith"), PersonRef(2, "J. Smith"))
    assert pair.reasons == ("same email jon@example.com",)


def test_backup_and_check(run, network, tmp_path):
    run("add", "Maria")
    made = backup(network, tmp_path / "copy.db")
    assert (made.source, made.target) == (network.path, tmp_path / "copy.db")
    connection = sqlite3.connect(made.target)
    try:
        assert connection.execute("SELECT name FROM person").fetchall() == [("Maria",)]
    finally:
        connection.close()
    with pytest.raises(DatabaseProblem, match="never overwrites"):
        backup(network, made.target)
    dated = backup(network)
    assert dated.target.parent == network.path.parent and "-backup-" in dated.target.name
    checked = check(network)
    assert checked.ok and checked.problems == () and checked.path == network.path

"""forget, merge, dupes, backup and check through the CLI."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import givenet.models  # noqa: F401
from givenet.store.safety import person_references

SECRET = "zqx-unique-secret-7731"


@pytest.fixture
def network(run):
    """Maria has a row in every table that can refer to a person; Sam shares a meeting."""
    run("me", "--value", "food")
    run("event", "add", "Mixer", "--on", "yesterday")
    run("add", "Maria Lopez", "--email", "maria@example.com", "--phone", "555", "--tag", SECRET,
        "--met-at", "Mixer", "--note", f"solo meeting {SECRET}")  # fmt: skip
    run("add", "Sam Stone", "--email", "sam@example.com")
    run("event", "attend", "Mixer", "Sam Stone")
    run("log", "Maria", "Sam", "--note", "shared lunch", "--next", "send the deck")
    run("note", "Maria", f"private note {SECRET}")
    run("ask", "Maria", f"needs {SECRET} venue", "--tag", "venue")
    run("offer", "Maria", f"offers {SECRET} room", "--tag", "venue")
    run("ask", "Sam", "a venue for 40", "--tag", "venue")
    run("gave", "Maria", f"gift {SECRET}")
    run("got", "Maria", "a lead")
    run("intro", "Maria", "Sam", "--for", "2")


def test_every_person_reference_is_known_to_the_walker():
    tables = {table.name for table in SQLModel.metadata.sorted_tables}
    referring = {table for table, _ in person_references()}
    assert referring == {
        "email", "phone", "person_tag", "event_attendee", "meeting_person", "note",
        "promise", "ask", "offer", "intro", "give",
    }  # fmt: skip
    # Everything else either hangs off those (cascades) or is not about a person.
    assert tables - referring == {
        "person", "tag", "me_tag", "event", "event_tag", "meeting", "ask_tag", "offer_tag",
        "match_candidate", "match_rejection", "setting", "person_touch", "member",
        "ask_vector", "offer_vector",
    }  # fmt: skip


def test_forget_erases_everything_and_leaves_no_trace(run, network, isolated_database):
    out = run("forget", "Maria", "--yes").stdout
    assert "Forgot #1 Maria Lopez" in out
    connection = sqlite3.connect(isolated_database)
    for table, column in person_references():
        assert (
            connection.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = 1").fetchone()[0]
            == 0
        )
    # The shared meeting stays with Sam; the solo one is gone.
    sam = run("show", "Sam", "--json").json()
    assert [m["note"] for m in sam["meetings"]] == ["shared lunch"]
    assert sam["intros"] == [] and sam["asks"][0]["text"] == "a venue for 40"
    assert [p["name"] for p in run("list", "--json").json()] == ["Sam Stone"]
    assert SECRET not in [t["name"] for t in run("tags", "--json").json()]
    connection.close()
    for path in (isolated_database, Path(f"{isolated_database}-wal")):
        if path.exists():
            assert SECRET.encode() not in path.read_bytes(), path.name
    assert run("check").stdout.startswith("ok")


def test_forget_needs_yes_without_a_terminal(run, fails, network):
    assert "--yes" in fails("forget", "Maria")
    assert len(run("list", "--json").json()) == 2


def test_merge_moves_everything_and_fills_empty_fields(run, fails, network):
    run("add", "M. Lopez", "--email", "maria.l@example.org", "--email", "MARIA@example.com",
        "--org", "Green Table", "--tag", "food", "--force")  # fmt: skip
    run("ask", "M. Lopez", "a grant")
    run("intro", "M. Lopez", "Maria Lopez")  # would become an intro with herself
    out = run("merge", "Maria Lopez", "M. Lopez", "--yes").stdout
    assert "Merged #3 M. Lopez into #1 Maria Lopez" in out and "org" in out
    [maria] = [p for p in run("list", "--json").json() if p["id"] == 1]
    assert maria["emails"] == ["maria@example.com", "maria.l@example.org"]
    assert maria["org"] == "Green Table"
    assert sorted(maria["tags"]) == sorted([SECRET, "food"])
    profile = run("show", "Maria", "--json").json()
    assert {a["text"] for a in profile["asks"]} == {f"needs {SECRET} venue", "a grant"}
    assert [i["with"]["name"] for i in profile["intros"]] == ["Sam Stone"]
    assert [p["name"] for p in run("list", "--json").json()] == ["Maria Lopez", "Sam Stone"]
    assert "two different people" in fails("merge", "Maria", "#1", "--yes")
    assert run("check").stdout.startswith("ok")


@pytest.mark.slow
def test_dupes_finds_same_email_url_and_similar_names(run):
    run("add", "Jon Smith", "--email", "jon@example.com")
    run("add", "John Smith")
    run("add", "J. Smith", "--email", "JON@example.com", "--force")
    run("add", "Ann Lee", "--url", "https://example.com/ann/")
    run("add", "Annie Leigh", "--url", "https://example.com/ann")
    run("add", "Zed Unique")
    found = {
        tuple(p["name"] for p in pair["people"]): pair["reasons"]
        for pair in run("dupes", "--json").json()
    }
    assert found[("Jon Smith", "John Smith")] == ["similar names"]
    assert found[("Jon Smith", "J. Smith")] == ["same email jon@example.com"]
    assert found[("Ann Lee", "Annie Leigh")] == ["same URL https://example.com/ann"]
    assert not any("Zed Unique" in names for names in found)


def test_backup_is_a_readable_owner_only_copy_and_never_overwrites(run, fails, tmp_path):
    run("add", "Maria")
    target = tmp_path / "copy.db"
    run("backup", str(target))
    assert target.stat().st_mode & 0o777 == 0o600
    assert run("--db", str(target), "list", "--json").json()[0]["name"] == "Maria"
    assert "never overwrites" in fails("backup", str(target))
    default = run("backup").stdout
    assert "-backup-" in default


@pytest.mark.slow
def test_check_finds_a_damaged_page(run, fails, isolated_database):
    for number in range(200):
        run("note", "Maria", f"note {number} " + "x" * 200) if number else run("add", "Maria")
    assert run("check").stdout.startswith("ok")
    connection = sqlite3.connect(isolated_database)
    root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'note'").fetchone()[
        0
    ]
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = bytearray(isolated_database.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    start = (root - 1) * page_size
    data[start : start + 64] = b"\x0d" + b"\xff" * 63  # a leaf page header pointing nowhere
    isolated_database.write_bytes(bytes(data))
    message = fails("check")
    assert "restore your latest backup" in message


def test_check_finds_incomplete_search_indexes(run, fails, isolated_database):
    run("add", "Maria")
    run("ask", "Maria", "a venue")
    connection = sqlite3.connect(isolated_database)
    with connection:
        connection.execute("DELETE FROM ask_fts")
    connection.close()
    assert "givenet match --rebuild" in run("check", code=1).stdout
    run("match", "--rebuild")
    assert run("check").stdout.startswith("ok")


def test_forget_leaves_no_name_in_others_asks(run, isolated_database):
    run("add", "Asker")
    run("add", "Zebulon Unique")
    run("ask", "Asker", "a venue")
    run("intro", "Asker", "Zebulon", "--for", "1", "--status", "helped")
    assert run("asks", "--all", "--json").json()[0]["via"] == "intro to Zebulon Unique"
    run("forget", "Zebulon", "--yes")
    assert run("asks", "--all", "--json").json()[0]["via"] == "an intro"
    for path in (isolated_database, Path(f"{isolated_database}-wal")):
        if path.exists():
            assert b"Zebulon" not in path.read_bytes()


UNBROKEN = "qqzxforgetme7731"  # one token to the full-text index: a hyphen would split it


@pytest.mark.slow
def test_forget_leaves_no_token_in_the_full_text_indexes(run, isolated_database):
    """The indexes keep a deleted row's words in their segments until they are merged."""
    run("add", "Other Person", "--tag", "venue", "--note", "keeps the index busy")
    run("add", "Maria Lopez", "--tag", UNBROKEN, "--role", UNBROKEN, "--org", UNBROKEN)
    run("note", "Maria", f"private {UNBROKEN}")
    run("ask", "Maria", f"needs {UNBROKEN} venue", "--tag", "venue")
    run("offer", "Maria", f"offers {UNBROKEN} room", "--tag", "venue")
    run("ask", "Other", "a venue for 40", "--tag", "venue")
    assert UNBROKEN.encode() in isolated_database.read_bytes() + wal_bytes(isolated_database)
    run("forget", "Maria", "--yes")
    left = isolated_database.read_bytes() + wal_bytes(isolated_database)
    assert UNBROKEN.encode() not in left
    assert UNBROKEN[4:].encode() not in left  # nor a prefix-compressed copy of the term


def wal_bytes(database: Path) -> bytes:
    wal = Path(f"{database}-wal")
    return wal.read_bytes() if wal.exists() else b""

"""Storage: the file, its SQLite settings, migrations, old databases and bad files."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import givenet.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from givenet import db, migrations
from givenet.errors import DatabaseProblem

FIXTURES = Path(__file__).parent / "fixtures"


def schema_of(path: Path) -> dict[str, object]:
    """Tables with their columns, indexes and foreign keys, as SQLite reports them."""
    connection = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != ? ORDER BY name",
                (migrations.MIGRATIONS_TABLE,),
            )
        ]
        # The full-text indexes (and their shadow tables) are not models.
        tables = [t for t in tables if not t.startswith(migrations.FTS_TABLES)]
        return {
            table: {
                "columns": connection.execute(f"PRAGMA table_info({table})").fetchall(),
                "indexes": sorted(
                    (row[1], row[2]) for row in connection.execute(f"PRAGMA index_list({table})")
                ),
                "foreign_keys": sorted(
                    connection.execute(f"PRAGMA foreign_key_list({table})").fetchall()
                ),
            }
            for table in tables
        }
    finally:
        connection.close()


@pytest.mark.slow
def test_migrated_schema_matches_the_models(tmp_path):
    migrated = tmp_path / "migrated.db"
    with db.session(migrated, write=True):
        pass
    described = tmp_path / "described.db"
    engine = create_engine(f"sqlite:///{described}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    assert schema_of(migrated) == schema_of(described)


def test_new_database_is_owner_only_with_wal_and_foreign_keys(run, isolated_database):
    old_umask = os.umask(0)  # even under the most permissive umask
    try:
        run("add", "Maria", "--met-at", "Mixer")
    finally:
        os.umask(old_umask)
    assert oct(isolated_database.stat().st_mode & 0o777) == "0o600"
    assert oct(isolated_database.parent.stat().st_mode & 0o777) == "0o700"
    for side in ("-wal", "-shm"):
        side_file = Path(f"{isolated_database}{side}")
        if side_file.exists():
            assert side_file.stat().st_mode & 0o077 == 0
    connection = sqlite3.connect(isolated_database)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = connection.execute("SELECT version FROM schema_migration").fetchall()
    assert versions == [(step.version,) for step in migrations.MIGRATIONS]


def test_engine_connections_enforce_foreign_keys(tmp_path):
    path = tmp_path / "g.db"
    with db.session(path, write=True) as session:
        connection = session.connection()
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
        with pytest.raises(Exception, match="FOREIGN KEY"):
            connection.exec_driver_sql(
                "INSERT INTO note (person_id, date, text, created_at) "
                "VALUES (42, '2026-01-01', 'orphan', '2026-01-01')"
            )


@pytest.mark.slow
def test_deleting_a_person_row_cascades(tmp_path, run):
    path = tmp_path / "g.db"
    run("--db", str(path), "add", "Maria", "--met-at", "Mixer", "--tag", "food")
    run("--db", str(path), "ask", "Maria", "a venue")
    with db.session(path, write=True) as session:
        session.connection().exec_driver_sql("DELETE FROM person")
    connection = sqlite3.connect(path)
    for table in ("meeting_person", "ask", "person_tag", "email", "event_attendee"):
        assert connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


def test_schema_v1_fixture_opens_with_every_row(run, isolated_database):
    isolated_database.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "schema-v1.db", isolated_database)
    people = {p["name"]: p for p in run("list", "--json").json()}
    assert set(people) == {"Amara Okafor", "Tomás Silva"}
    amara = run("show", "Amara", "--json").json()
    assert amara["emails"] == ["amara@example.org", "a.okafor@example.com"]
    assert amara["phones"] == ["+1 555 0100"]
    assert amara["tags"] == ["social enterprise"]
    assert (amara["circle"], amara["cadence_days"], amara["reach"]) == ("active", 21, 800)
    assert amara["birthday"] == "1980-05-04"
    assert [m["date"] for m in amara["meetings"]] == ["2026-03-01", "2026-03-04"]
    assert amara["meetings"][0]["event"]["name"] == "Impact Mixer"
    assert amara["offers"][0]["tags"] == ["venue"]
    assert [g["what"] for g in amara["gives"]] == ["two volunteers"]
    assert amara["intros"][0]["with"]["name"] == "Tomás Silva"
    tomas = run("show", "Tomás", "--json").json()
    assert tomas["new_to_field"] and tomas["no_intros"]
    assert tomas["snoozed_until"] == "2099-01-01"
    assert tomas["notes"][0]["text"] == "prefers mornings"
    assert tomas["asks"][0]["due"] == "2026-04-01"
    assert amara["promises"][0]["kept_on"] is not None
    assert tomas["promises"][0]["text"] == "send the menu"
    assert tomas["promises"][0]["kept_on"] is None
    assert run("me", "--json").json() == {"values": ["social enterprise"]}
    assert run("config", "weight.reach").stdout.strip() == "2"
    assert [p["name"] for p in run("events", "--json").json()[0]["expected"]] == ["Tomás Silva"]


def test_database_from_a_newer_givenet_is_refused_untouched(fails, isolated_database):
    isolated_database.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "schema-v1.db", isolated_database)
    connection = sqlite3.connect(isolated_database)
    with connection:
        connection.execute("INSERT INTO schema_migration VALUES (99, 'future', '2030-01-01')")
    connection.close()
    before = isolated_database.read_bytes()
    assert "newer givenet" in fails("list")
    assert "newer givenet" in fails("add", "Someone")
    assert isolated_database.read_bytes() == before


def test_a_file_that_is_not_a_database_is_left_alone(fails, tmp_path):
    csv_file = tmp_path / "contacts.csv"
    csv_file.write_text("First Name,Last Name\nMaria,Lopez\n")
    assert "not a givenet database" in fails("--db", str(csv_file), "add", "X")
    assert csv_file.read_text() == "First Name,Last Name\nMaria,Lopez\n"
    assert "is a folder" in fails("--db", str(tmp_path), "list")


def test_an_empty_file_is_an_empty_database(run, tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    assert run("--db", str(empty), "list", "--json").json() == []


def test_a_failing_migration_changes_nothing_and_a_rerun_succeeds(tmp_path, monkeypatch):
    path = tmp_path / "g.db"
    with db.session(path, write=True) as session:
        session.connection().exec_driver_sql(
            "INSERT INTO person (name, key, circle, new_to_field, no_intros, created_at) "
            "VALUES ('Maria', 'maria', 'inner', 0, 0, '2026-01-01')"
        )
    before = schema_of(path)

    def broken(connection):
        connection.execute("CREATE TABLE half_done (id INTEGER)")
        connection.execute("ALTER TABLE person ADD COLUMN nickname TEXT")
        raise sqlite3.OperationalError("boom")

    current = migrations.LATEST_VERSION
    step = migrations.Migration(current + 1, "broken", broken)
    monkeypatch.setattr(db, "MIGRATIONS", [*migrations.MIGRATIONS, step])
    monkeypatch.setattr(db, "LATEST_VERSION", current + 1)
    with pytest.raises(DatabaseProblem), db.session(path, write=False):
        pass
    assert schema_of(path) == before
    connection = sqlite3.connect(path)
    assert connection.execute("SELECT MAX(version) FROM schema_migration").fetchone() == (current,)
    connection.close()

    def fixed(connection):
        connection.execute("ALTER TABLE person ADD COLUMN nickname TEXT")

    monkeypatch.setattr(
        db,
        "MIGRATIONS",
        [*migrations.MIGRATIONS, migrations.Migration(current + 1, "fixed", fixed)],
    )
    with db.session(path, write=False) as session:
        assert session.connection().exec_driver_sql("SELECT name FROM person").scalar() == "Maria"
    backups = sorted(p.name for p in tmp_path.glob("*.bak"))
    assert backups == [f"g.db.schema{current}.2.bak", f"g.db.schema{current}.bak"]  # per attempt
    assert all((tmp_path / name).stat().st_mode & 0o077 == 0 for name in backups)


@pytest.mark.slow
def test_a_locked_database_says_try_again_without_personal_data(fails, run, isolated_database):
    run("add", "Maria Secret", "--email", "secret@example.com")
    blocker = sqlite3.connect(isolated_database, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        message = fails("add", "Another Secret", "--email", "another@example.com")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert "another givenet is writing" in message
    assert "Secret" not in message and "example.com" not in message
    assert [p["name"] for p in run("list", "--json").json()] == ["Maria Secret"]


def test_readers_are_not_blocked_by_a_writer(run, isolated_database):
    run("add", "Maria")
    writer = sqlite3.connect(isolated_database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE person SET name = 'changing'")
    try:
        assert [p["name"] for p in run("list", "--json").json()] == ["Maria"]
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.slow
def test_help_and_version_import_no_database_layer(tmp_path):
    probe = (
        "import sys\n"
        "sys.argv = ['givenet'] + sys.argv[1:]\n"
        "from givenet.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'sqlmodel', 'pydantic'))\n"
        "print('HEAVY', heavy)\n"
    )
    # Typer itself builds pydantic adapters for a subcommand's parameters, so a
    # subcommand's help may import pydantic; the database layer it must not.
    for argument, forbidden in (
        ("--help", ("sqlalchemy", "sqlmodel", "pydantic")),
        ("--version", ("sqlalchemy", "sqlmodel", "pydantic")),
        ("add --help", ("sqlalchemy", "sqlmodel")),
        ("due --help", ("sqlalchemy", "sqlmodel")),
    ):
        result = subprocess.run(
            [sys.executable, "-c", probe, *argument.split()],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "GIVENET_DB": str(tmp_path / "g.db")},
        )
        loaded = result.stdout.rsplit("HEAVY", 1)[1]
        assert not any(f"'{name}" in loaded for name in forbidden), (argument, loaded[:300])
    assert not (tmp_path / "g.db").exists()


@pytest.mark.parametrize("version", [2, 3, 4, 5, 6, 7])
@pytest.mark.slow
def test_schema_v2_to_v7_fixtures_open_with_every_row(run, isolated_database, version):
    isolated_database.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / f"schema-v{version}.db", isolated_database)
    assert [p["name"] for p in run("list", "--json").json()] == [
        "Ines Park",
        "Jon Bell",
        "Kay Diaz",
    ]
    intros = run("intros", "--json").json()
    assert [(i["id"], i["status"]) for i in intros] == [(2, "suggested"), (1, "met")]
    assert intros[1]["ask_id"] == 1 and intros[1]["offer_id"] == 1
    jon = run("show", "Jon", "--json").json()
    assert jon["gives"][0]["what"] == "introduced them to Ines Park"
    assert jon["asks"][0]["due"] == "2026-06-01"
    [pair] = run("match", "--json").json()  # Jon's ask was introduced; Ines's grant ask remains
    assert (pair["asker"]["name"], pair["helper"]["name"]) == ("Ines Park", "Kay Diaz")
    assert [p["name"] for p in run("who", "grant", "--json").json()] == ["Kay Diaz"]
    assert run("promises", "--json").json()[0]["text"] == "share the pop-up menu"
    assert (
        run("show", "Kay", "--json").json()["notes"][0]["text"]
        == "writes grants for food charities"
    )

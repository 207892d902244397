"""Nothing lost under faults, concurrency and hostile input (issue 7).

Each test here fails when the protection it checks is removed; docs/reliability.md
lists them with the protection each one backs.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from givenet import db, migrations
from givenet.errors import DatabaseProblem

pytestmark = pytest.mark.engines

GIVENET = [sys.executable, "-m", "givenet"]


def givenet(path: Path, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIVENET_DB": str(path),
        "GIVENET_BUSY_TIMEOUT": kwargs.pop("timeout", "5"),
    }
    return subprocess.run([*GIVENET, *args], capture_output=True, text=True, env=env, **kwargs)


# --- schema upgrades ------------------------------------------------------------------


def rebuild_person_with_a_new_column(connection: sqlite3.Connection) -> None:
    """The SQLite way to change a table: create, copy, drop, rename."""
    columns = [row[1] for row in connection.execute("PRAGMA table_info(person)")]
    create = connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'person'"
    ).fetchone()[0]
    connection.execute(
        create.replace("CREATE TABLE person (", "CREATE TABLE person_new (nickname VARCHAR, ", 1)
    )
    listed = ", ".join(columns)
    connection.execute(f"INSERT INTO person_new ({listed}) SELECT {listed} FROM person")
    connection.execute("DROP TABLE person")
    connection.execute("ALTER TABLE person_new RENAME TO person")


@pytest.mark.sqlite_only
@pytest.mark.slow
def test_a_table_rebuild_under_foreign_keys_loses_no_child_rows(
    run, isolated_database, monkeypatch
):
    run("add", "Maria", "--email", "m@example.com", "--met-at", "Mixer", "--tag", "food")
    run("note", "Maria", "keep me")
    run("ask", "Maria", "a venue")
    before = {
        table: sqlite3.connect(isolated_database)
        .execute(f"SELECT COUNT(*) FROM {table}")
        .fetchone()[0]
        for table in ("email", "note", "ask", "person_tag", "meeting_person")
    }
    current = migrations.LATEST_VERSION
    step = migrations.Migration(
        current + 1, "rebuild person", rebuild_person_with_a_new_column, rebuilds_tables=True
    )
    monkeypatch.setattr(db, "MIGRATIONS", [*migrations.MIGRATIONS, step])
    monkeypatch.setattr(db, "LATEST_VERSION", current + 1)
    assert run("show", "Maria", "--json").json()["notes"][0]["text"] == "keep me"
    connection = sqlite3.connect(isolated_database)
    after = {
        table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in before
    }
    assert after == before
    assert "nickname" in [row[1] for row in connection.execute("PRAGMA table_info(person)")]
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.sqlite_only
def test_an_upgrade_backs_up_a_database_with_data_first(run, isolated_database, monkeypatch):
    run("add", "Maria")
    current = migrations.LATEST_VERSION
    step = migrations.Migration(current + 1, "noop", lambda connection: None)
    monkeypatch.setattr(db, "MIGRATIONS", [*migrations.MIGRATIONS, step])
    monkeypatch.setattr(db, "LATEST_VERSION", current + 1)
    run("list")
    [backup] = isolated_database.parent.glob("*.bak")
    assert backup.stat().st_mode & 0o077 == 0
    names = [row[0] for row in sqlite3.connect(backup).execute("SELECT name FROM person")]
    assert names == ["Maria"]


# --- bad files and places ---------------------------------------------------------------


@pytest.mark.sqlite_only
@pytest.mark.slow
def test_a_truncated_database_is_refused_and_left_untouched(run, fails, isolated_database):
    for number in range(30):
        run("add", f"Person {number}", "--note", "x" * 500)
    connection = sqlite3.connect(isolated_database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = isolated_database.read_bytes()
    isolated_database.write_bytes(data[: len(data) // 2])
    Path(f"{isolated_database}-wal").unlink(missing_ok=True)
    truncated = isolated_database.read_bytes()
    message = fails("list")
    assert "damaged" in message or "givenet check" in message
    assert isolated_database.read_bytes() == truncated


@pytest.mark.sqlite_only
def test_an_existing_world_readable_database_is_tightened(run, isolated_database):
    run("add", "Maria")
    isolated_database.chmod(0o644)
    run("list")
    assert isolated_database.stat().st_mode & 0o777 == 0o600


def test_a_folder_that_cannot_be_made_is_a_clear_error(fails, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    message = fails("--db", str(blocker / "sub" / "g.db"), "add", "Ada")
    assert "cannot create the folder" in message


def _make_read_only(path: Path) -> tuple[list[str], list[str]] | None:
    """Commands that make ``path`` read-only even for root, and undo it; None if impossible."""
    if os.geteuid() != 0:
        return ["chmod", "0400", str(path)], ["chmod", "0600", str(path)]
    if shutil.which("chattr") is None:
        return None
    trial = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if trial.returncode != 0:
        return None
    subprocess.run(["chattr", "-i", str(path)], check=True)
    return ["chattr", "+i", str(path)], ["chattr", "-i", str(path)]


def test_a_read_only_database_is_a_clear_error_and_still_readable(run, fails, isolated_database):
    run("add", "Maria")
    commands = _make_read_only(isolated_database)
    if commands is None:
        pytest.skip("no way to make a file read-only for this user here")
    lock, unlock = commands
    subprocess.run(lock, check=True)
    try:
        assert "read-only" in fails("add", "Sam")
        assert [p["name"] for p in run("list", "--json").json()] == ["Maria"]
    finally:
        subprocess.run(unlock, check=True)
    assert [p["name"] for p in run("list", "--json").json()] == ["Maria"]


@pytest.mark.slow
def test_lock_errors_never_show_sql_parameters(tmp_path):
    """hide_parameters: a driver error's text would otherwise carry names and emails."""
    path = tmp_path / "g.db"
    with db.session(path, write=True):
        pass
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    os.environ["GIVENET_BUSY_TIMEOUT"] = "0.2"
    try:
        with pytest.raises(DatabaseProblem) as raised, db.session(path, write=True) as session:
            session.connection().exec_driver_sql(
                "INSERT INTO note (person_id, date, text, created_at) VALUES (?, ?, ?, ?)",
                (1, "2026-01-01", "secret-name@example.com", "2026-01-01"),
            )
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert "secret-name" not in str(raised.value)
    assert "another givenet is writing" in str(raised.value)


# --- concurrency and crashes ----------------------------------------------------------------


@pytest.mark.slow
def test_two_processes_writing_at_once_land_every_write_once(tmp_path):
    path = tmp_path / "g.db"
    assert givenet(path, "add", "Anchor").returncode == 0
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from givenet.cli import app\n"
        "runner = CliRunner()\n"
        "worker = sys.argv[1]\n"
        "for number in range(100):\n"
        "    command = ['add', f'{worker}-{number}'] if number % 2 == 0 else "
        "['log', 'Anchor', '--note', f'{worker}-{number}']\n"
        "    result = runner.invoke(app, command)\n"
        "    assert result.exit_code == 0, (command, result.stdout, result.stderr)\n"
        "    assert 'Traceback' not in result.stderr\n"
    )
    env = {**os.environ, "GIVENET_DB": str(path), "GIVENET_BUSY_TIMEOUT": "30"}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, name], env=env, stderr=subprocess.PIPE, text=True
        )
        for name in ("A", "B")
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=300)
        assert worker.returncode == 0, errors[-2000:]
    connection = sqlite3.connect(path)
    names = [row[0] for row in connection.execute("SELECT name FROM person WHERE name != 'Anchor'")]
    notes = [row[0] for row in connection.execute("SELECT note FROM meeting")]
    expected_names = sorted(f"{w}-{n}" for w in "AB" for n in range(0, 100, 2))
    expected_notes = sorted(f"{w}-{n}" for w in "AB" for n in range(1, 100, 2))
    assert sorted(names) == expected_names  # each exactly once
    assert sorted(notes) == expected_notes
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.fixture(scope="module")
def two_people_one_with_notes(tmp_path_factory) -> Path:
    template = tmp_path_factory.mktemp("template") / "template.db"
    givenet(template, "add", "Keep Me")
    givenet(template, "add", "Other One", "--force")
    for number in range(40):
        givenet(template, "note", "Other One", f"note {number}")
    return template


@pytest.mark.slow
@pytest.mark.parametrize("command", ["forget", "merge"])
def test_a_kill_during_forget_or_merge_leaves_all_or_nothing(
    tmp_path, command, two_people_one_with_notes
):
    template = two_people_one_with_notes
    args = (
        ["forget", "Other One", "--yes"]
        if command == "forget"
        else ["merge", "Keep Me", "Other One", "--yes"]
    )

    def start(path: Path) -> subprocess.Popen[bytes]:
        path.write_bytes(template.read_bytes())
        path.chmod(0o600)
        env = {**os.environ, "GIVENET_DB": str(path)}
        return subprocess.Popen(
            [*GIVENET, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    began = time.perf_counter()
    assert start(tmp_path / "whole.db").wait() == 0
    whole = time.perf_counter() - began
    outcomes = set()
    for attempt, share in enumerate((0.5, 0.7, 0.8, 0.9, 0.95, 0.98)):
        path = tmp_path / f"try{attempt}.db"
        process = start(path)
        time.sleep(whole * share)
        process.send_signal(signal.SIGKILL)
        process.wait()
        check = givenet(path, "check")
        assert check.returncode == 0, check.stdout + check.stderr
        connection = sqlite3.connect(path)
        people = connection.execute("SELECT COUNT(*) FROM person").fetchone()[0]
        notes = connection.execute("SELECT COUNT(*) FROM note").fetchone()[0]
        connection.close()
        assert (people, notes) in {(2, 40), (1, 0 if command == "forget" else 40)}
        outcomes.add(people)
    assert 2 in outcomes  # at least one kill landed before the commit


# --- hostile input --------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=300,
).filter(lambda text: text.strip() != "")


@pytest.mark.slow
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=TEXT, note=TEXT)
def test_any_text_is_stored_and_shown_back_exactly(run, name, note):
    out = run("add", "--force", "--", name, code=None)
    assert out.exit_code in (0, 1), out.stderr
    if out.exit_code == 1:
        assert out.stderr.startswith("Error: ") and len(out.stderr.strip().splitlines()) == 1
        return
    person_id = int(out.stdout.split("#", 1)[1].split(" ", 1)[0])
    run("note", f"#{person_id}", "--", note)
    shown = run("show", f"#{person_id}", "--json").json()
    assert shown["name"] == name.strip()
    assert shown["notes"][-1]["text"] == note.strip()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(reference=st.text(max_size=60))
@pytest.mark.slow
def test_any_name_lookup_is_found_or_a_clear_error(run, reference):
    run("add", "Maria Lopez", "--force")
    outcome = run("show", "--", reference, "--json", code=None)
    assert outcome.exit_code in (0, 1, 2)
    if outcome.exit_code == 1:
        assert outcome.stderr.startswith("Error: ")


# --- importers under hostile files and crashes ------------------------------------------------

CSV_TEXT = st.lists(
    st.lists(st.text(max_size=40), min_size=1, max_size=6), min_size=0, max_size=8
).map(lambda table: "\n".join(",".join(row) for row in [["Name", "Email", "Tags"], *table]))
VCARD_LINE = st.one_of(
    st.sampled_from(["BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "VERSION:4.0", "FN:Ann", "N:;;;;"]),
    st.text(max_size=60),
    st.builds(
        lambda key, value: f"{key}:{value}",
        st.sampled_from(["FN", "EMAIL", "TEL", "BDAY", "ORG", "NOTE;ENCODING=QUOTED-PRINTABLE"]),
        st.text(max_size=40),
    ),
)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["csv", "vcard"])
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.sqlite_only
@given(data=st.data())
def test_no_file_makes_an_importer_crash_or_write_half(
    run, isolated_database, tmp_path, kind, data
):
    if kind == "csv":
        content = data.draw(CSV_TEXT)
    else:
        content = "\r\n".join(data.draw(st.lists(VCARD_LINE, max_size=20)))
    path = tmp_path / f"input.{kind}"
    path.write_bytes(content.encode("utf-8", "surrogatepass"))
    run("add", "Anchor Person", "--force")
    before = sqlite3.connect(isolated_database).execute("SELECT COUNT(*) FROM person").fetchone()[0]
    strict = run("import", kind, str(path), code=None)
    assert strict.exit_code in (0, 1), strict.stderr
    after = sqlite3.connect(isolated_database).execute("SELECT COUNT(*) FROM person").fetchone()[0]
    if strict.exit_code == 1:
        assert strict.stderr.startswith("Error: ") and after == before
    lenient = run("import", kind, str(path), "--skip-invalid", code=None)
    assert lenient.exit_code in (0, 1), lenient.stderr


@pytest.mark.slow
def test_a_kill_during_a_large_import_leaves_all_or_nothing(tmp_path):
    """Kills land at fractions of an uninterrupted run's time, so some land before the
    commit however fast the import (or the machine) is."""
    rows = [
        "Notes:",
        "Some notes LinkedIn adds",
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ]
    rows += [
        f"First{n},Last{n},https://www.linkedin.com/in/p{n},,Org {n},Role {n},12 Mar 2024"
        for n in range(40_000)
    ]
    connections = tmp_path / "Connections.csv"
    connections.write_text("\n".join(rows) + "\n")

    def start(path: Path) -> subprocess.Popen[bytes]:
        env = {**os.environ, "GIVENET_DB": str(path)}
        return subprocess.Popen([*GIVENET, "import", "linkedin", str(connections)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip

    def people(path: Path) -> int:
        check = givenet(path, "check")
        assert check.returncode == 0, check.stdout + check.stderr
        return sqlite3.connect(path).execute("SELECT COUNT(*) FROM person").fetchone()[0]

    for path in [tmp_path / "whole.db", *(tmp_path / f"try{n}.db" for n in range(4))]:
        givenet(path, "add", "Already Here")
    began = time.perf_counter()
    assert start(tmp_path / "whole.db").wait() == 0
    whole = time.perf_counter() - began
    assert people(tmp_path / "whole.db") == 40_001
    seen = set()
    for attempt, share in enumerate((0.5, 0.7, 0.85, 0.95)):
        path = tmp_path / f"try{attempt}.db"
        process = start(path)
        time.sleep(whole * share)
        process.send_signal(signal.SIGKILL)
        process.wait()
        count = people(path)
        assert count in (1, 40_001)
        seen.add(count)
    assert 1 in seen  # at least one kill landed before the commit


def test_driver_errors_carry_no_sql_parameters(tmp_path):
    """hide_parameters: SQLAlchemy would otherwise put the values (names, emails) in the text."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    path = tmp_path / "g.db"
    with db.session(path, write=True):
        pass  # the schema
    engine = db.make_engine(path, write=True)
    try:
        with pytest.raises(IntegrityError) as raised, engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO note (person_id, date, text, created_at) VALUES (42, :d, :t, :d)"
                ),
                {"d": "2026-01-01", "t": "secret-name@example.com"},
            )
    finally:
        engine.dispose()
    assert "secret-name" not in str(raised.value)


def test_a_folder_that_cannot_be_written_is_a_clear_error(fails, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    commands = _make_read_only(folder)
    if commands is None:
        pytest.skip("no way to make a folder read-only for this user here")
    lock, unlock = commands
    if os.geteuid() != 0:
        lock, unlock = ["chmod", "0500", str(folder)], ["chmod", "0700", str(folder)]
    subprocess.run(lock, check=True)
    try:
        message = fails("--db", str(folder / "new.db"), "add", "Maria")
    finally:
        subprocess.run(unlock, check=True)
    assert "cannot create the database" in message
    assert list(folder.iterdir()) == []

"""A team's network on a real PostgreSQL server (tests/postgres.py): moving a personal
file in and out, members writing at once, the schema on the server, a lost server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test here starts or uses the server


@pytest.fixture
def team(postgres_server, monkeypatch) -> str:
    url: str = postgres_server.new_database()
    return url


def _tables(path: Path) -> dict:
    return json.loads(path.read_text())["tables"]


def test_a_personal_file_moves_to_the_team_database_and_back_exactly(run, tmp_path, team):
    run("demo")  # the personal file (GIVENET_DB)
    run("intro", "Tomás", "Amara", "--for", "1")
    mine = tmp_path / "mine.json"
    run("export", "json", "-o", str(mine))
    run("--db", team, "import", "json", str(mine))
    back = tmp_path / "back.json"
    run("--db", team, "export", "json", "-o", str(back))
    assert _tables(back) == _tables(mine)
    # and what the team sees is what the file said
    for command in (("due", "--json"), ("match", "--json"), ("list", "--json")):
        assert run("--db", team, *command).json() == run(*command).json(), command
    # new rows on the server take new ids after the restored ones
    run("--db", team, "add", "Nadia Haddad")
    shown = run("--db", team, "show", "Nadia", "--json").json()
    assert shown["id"] > max(person["id"] for person in _tables(mine)["person"])
    # and the team's database goes back into a new personal file, whole
    again = tmp_path / "again.db"
    run("--db", str(again), "import", "json", str(back))
    assert run("--db", str(again), "due", "--json").json() == run("due", "--json").json()


def test_two_members_files_merge_their_people_into_one_team_database(run, tmp_path, team):
    ana, ben = tmp_path / "ana.db", tmp_path / "ben.db"
    run("--db", str(ana), "add", "Eve Okafor", "--email", "eve@foodbank.example")
    run("--db", str(ana), "log", "Eve Okafor", "--on", "2026-11-02", "--note", "Ana met her")
    run("--db", str(ben), "add", "Eve O.", "--email", "EVE@foodbank.example")
    run("--db", str(ben), "log", "Eve O.", "--on", "2026-11-20", "--note", "Ben met her")
    run("--db", str(ana), "note", "Eve Okafor", "Ana's note", "--on", "2026-11-03")
    run("--db", str(ben), "note", "Eve O.", "Ben's note", "--on", "2026-11-21")
    for member in (ana, ben):
        exported = member.with_suffix(".json")
        run("--db", str(member), "export", "json", "-o", str(exported))
        run("--db", team, "import", "json", str(exported), "--merge")
    people = run("--db", team, "list", "--json").json()
    assert [person["name"] for person in people] == ["Eve Okafor"]  # same email: one person
    eve = run("--db", team, "show", "Eve Okafor", "--json").json()
    # both members' history: each one's meeting, and each one's note
    assert [(meeting["date"], meeting["note"]) for meeting in eve["meetings"]] == [
        ("2026-11-02", "Ana met her"),
        ("2026-11-20", "Ben met her"),
    ]
    assert [note["text"] for note in eve["notes"]] == ["Ana's note", "Ben's note"]
    run("--db", team, "check")


def test_four_members_writing_at_once_land_every_write_once(tmp_path, team):
    script = (
        "import sys\n"
        "from givenet.cli import main\n"
        "member, count = sys.argv[1], int(sys.argv[2])\n"
        "for n in range(count):\n"
        "    sys.argv = ['givenet', 'add', f'{member} contact {n}', '--email',\n"
        "                f'{member}.{n}@example.org', '--tag', 'shared']\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as done:\n"
        "        assert not done.code, done.code\n"
        "    sys.argv = ['givenet', 'log', f'{member} contact {n}', '--note', 'met']\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as done:\n"
        "        assert not done.code, done.code\n"
    )
    csv = tmp_path / "people.csv"
    csv.write_text(
        "Name,Email\n" + "".join(f"Imported {n},imp{n}@example.org\n" for n in range(50))
    )
    env = {"GIVENET_DB": team, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    members = [
        subprocess.Popen(
            [sys.executable, "-c", script, name, "50"],
            env={**env, "GIVENET_USER": name},
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("ana", "ben", "chen", "dara")
    ]
    importer = subprocess.Popen(
        [sys.executable, "-m", "givenet", "import", "csv", str(csv)],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    for process in [*members, importer]:
        _, errors = process.communicate(timeout=600)
        assert process.returncode == 0, errors
    import psycopg

    with psycopg.connect(team) as connection:
        people = connection.execute("SELECT COUNT(*), COUNT(DISTINCT key) FROM person").fetchone()
        meetings = connection.execute("SELECT COUNT(*) FROM meeting").fetchone()[0]
        tags = connection.execute("SELECT COUNT(*) FROM tag").fetchone()[0]
        touches = connection.execute("SELECT COUNT(*) FROM person_touch").fetchone()[0]
        by_member = dict(
            connection.execute("SELECT recorded_by, COUNT(*) FROM meeting GROUP BY 1").fetchall()
        )
    assert people == (250, 250)  # 4 x 50 added, 50 imported: each once
    assert meetings == 200 and touches == 200
    assert tags == 1  # "shared", created once however the writes interleaved
    assert by_member == {"ana": 50, "ben": 50, "chen": 50, "dara": 50}


def test_a_sqlite_run_loads_no_postgresql_code(tmp_path):
    probe = (
        "import sys\n"
        "from givenet.cli import main\n"
        "for command in (['add', 'Maria'], ['due'], ['match'], ['export', 'json']):\n"
        "    sys.argv = ['givenet', *command]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as done:\n"
        "        assert not done.code, done.code\n"
        "print(sorted(m for m in sys.modules if m.startswith(('psycopg', 'givenet.postgres',"
        " 'givenet._pgtypes'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"GIVENET_DB": str(tmp_path / "g.db"), "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_read_on_the_team_database_loads_no_sqlalchemy(run, team):
    run("--db", team, "add", "Maria")
    probe = (
        "import sys\n"
        "from givenet.cli import main\n"
        "url = sys.argv[1]\n"
        "for command in (['due'], ['show', 'Maria'], ['list'], ['match']):\n"
        "    sys.argv = ['givenet', '--db', url, *command]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as done:\n"
        "        assert not done.code, done.code\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'sqlmodel'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, team], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_schema_steps_run_on_an_empty_server_database_once(run, postgres_server):
    url = postgres_server.empty_database()
    run("--db", url, "add", "Maria")  # the first command brings the schema
    import psycopg

    from givenet.migrations import LATEST_VERSION

    with psycopg.connect(url) as connection:
        versions = [row[0] for row in connection.execute("SELECT version FROM schema_migration")]
    assert versions == list(range(1, LATEST_VERSION + 1))
    assert run("--db", url, "list", "--json").json()[0]["name"] == "Maria"


def test_a_newer_schema_is_refused_and_left_alone(run, fails, team):
    import psycopg

    with psycopg.connect(team, autocommit=True) as connection:
        connection.execute(
            "INSERT INTO schema_migration (version, name, applied_at) VALUES (999, 'x', 'x')"
        )
    message = fails("--db", team, "due")
    assert "newer givenet (schema 999" in message
    assert "newer givenet" in fails("--db", team, "add", "Maria")


def test_another_applications_database_is_left_alone(fails, postgres_server):
    url = postgres_server.empty_database()
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE TABLE orders (id INTEGER)")
    assert "another application's tables" in fails("--db", url, "add", "Maria")


def test_a_server_that_is_not_there_is_one_line_and_nothing_written(fails, tmp_path):
    url = f"postgresql://givenet@/nowhere?host={tmp_path}"
    message = fails("--db", url, "add", "Maria")
    assert "team database" in message and "password" not in message


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://givenet@/nodb?host={folder}&password=s3cret",
        "postgresql://givenet:s3%zzcret@/nodb?host={folder}",
        "postgresql://givenet:se/cret@localhost:1/nodb",
        "postgresql://ana:p@ss@localhost:1/nodb",
        "postgresql://ana:s3cret@localhost:1/nodb",
    ],
)
def test_no_message_ever_shows_the_password(run, fails, tmp_path, url):
    url = url.format(folder=tmp_path)
    secret = "s3cret" if "s3" in url else ("se/cret" if "se/" in url else "p@ss")
    for command in (("add", "Maria"), ("due",), ("check",)):
        message = fails("--db", url, *command)
        assert "s3" not in message and "cret" not in message and "p@ss" not in message, message
    shown = run("--db", url, "db-path").stdout
    assert secret not in shown and "cret" not in shown


def test_the_urls_own_settings_are_kept(postgres_server):
    from givenet.postgres import connect

    url = postgres_server.new_database() + "&options=-csearch_path%3Dteam&application_name=ours"
    with connect(url) as connection:
        assert connection.execute("SHOW search_path").fetchone()[0] == "team"
        assert connection.execute("SHOW application_name").fetchone()[0] == "ours"
        assert connection.execute("SHOW jit").fetchone()[0] == "off"  # and givenet's too


def test_a_lost_connection_mid_write_is_one_line_and_nothing_half_written(run, fails, team):
    """The server ends the command's connection between its statements: one line, and
    the transaction (the person and their meeting) is not in the database."""
    import psycopg

    run("--db", team, "add", "Maria")
    from givenet import postgres

    original = postgres.PgConnection.execute

    def cut_after_insert(self, sql, params=()):
        result = original(self, sql, params)
        if sql.startswith("DELETE FROM person_fts"):  # log re-indexes the person
            with psycopg.connect(team, autocommit=True) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = 'givenet' AND pid <> pg_backend_pid()"
                )
        return result

    postgres.PgConnection.execute = cut_after_insert
    try:
        message = fails("--db", team, "log", "Maria", "--note", "lost")
    finally:
        postgres.PgConnection.execute = original
    assert "connection" in message
    shown = run("--db", team, "show", "Maria", "--json").json()
    assert "lost" not in json.dumps(shown)


def test_check_on_the_team_database(run, team):
    run("--db", team, "demo")
    assert "healthy" in run("--db", team, "check").stdout
    import psycopg

    with psycopg.connect(team, autocommit=True) as connection:
        connection.execute("DELETE FROM person_fts WHERE rowid = 1")
    outcome = run("--db", team, "check", code=1)
    assert "search index of persons is incomplete" in outcome.stdout + outcome.stderr
    run("--db", team, "match", "--rebuild")
    assert "healthy" in run("--db", team, "check").stdout


def test_without_the_driver_a_team_database_is_one_line(tmp_path):
    probe = (
        "import sys\n"
        "sys.modules['psycopg'] = None  # as on an install without givenet[team]\n"
        "from givenet.cli import main\n"
        "sys.argv = ['givenet', '--db', 'postgresql://ana@db.example.org/ourteam', 'due']\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: a team database needs the PostgreSQL driver: pip install 'givenet[team]'"
    )


def _postgres_schema(url: str, tables: set[str]) -> dict:
    import psycopg

    with psycopg.connect(url) as connection:

        def query(sql: str) -> list[tuple]:
            return [row for row in connection.execute(sql) if row[0] in tables]

        return {
            "columns": sorted(
                query(
                    "SELECT table_name, column_name, data_type, is_nullable "
                    "FROM information_schema.columns WHERE table_schema = 'public'"
                )
            ),
            "indexes": sorted(
                query(
                    "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
                )
            ),
            "foreign_keys": sorted(
                query(
                    "SELECT conrelid::regclass::text, confrelid::regclass::text, "
                    "pg_get_constraintdef(oid) FROM pg_constraint WHERE contype IN ('f', 'u', 'p')"
                )
            ),
        }


def test_the_postgresql_schema_steps_match_the_models(postgres_server):
    """The drift test on PostgreSQL: the numbered steps give the tables the models describe."""
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    import givenet.models  # noqa: F401  (registers the tables)

    migrated = postgres_server.new_database()
    described = postgres_server.empty_database()
    engine = create_engine(described.replace("postgresql://", "postgresql+psycopg://", 1))
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    tables = {table.name for table in SQLModel.metadata.sorted_tables}
    assert _postgres_schema(migrated, tables) == _postgres_schema(described, tables)


def test_a_read_never_waits_for_a_writer_and_a_writer_waits_then_says_so(run, fails, team):
    """Another member's write holds the write lock: reads go on at once; a write waits
    for $GIVENET_BUSY_TIMEOUT (0.5 s in the tests), then one line, nothing written."""
    import time

    import psycopg

    from givenet.postgres import WRITE_LOCK

    run("--db", team, "add", "Maria")
    with psycopg.connect(team) as writer:  # a transaction holding the lock
        writer.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        started = time.monotonic()
        assert run("--db", team, "list", "--json").json()[0]["name"] == "Maria"
        run("--db", team, "due")
        read_took = time.monotonic() - started
        message = fails("--db", team, "add", "Sam")
        assert "another givenet is writing" in message
    assert read_took < 5  # no read waited for the lock (a wait would be unbounded)
    assert [person["name"] for person in run("--db", team, "list", "--json").json()] == ["Maria"]
    run("--db", team, "add", "Sam")  # the lock is free again

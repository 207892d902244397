"""Shared fixtures: every test runs against its own temporary database, never a real one."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from givenet.cli import app

TODAY = date.today()


def _cache_the_command_tree() -> None:
    """Build the click command tree once, not on every invocation (most of a test's time).

    Typer rebuilds it from the functions' signatures each time ``CliRunner.invoke``
    runs; the tree is the same for every test, so reuse it.
    """
    import typer.main
    import typer.testing

    build = getattr(typer.testing, "_get_command", None)
    if build is None:  # a Typer without this hook: just slower
        return
    command = typer.main.get_command(app)
    typer.testing._get_command = lambda given: command if given is app else build(given)  # type: ignore[attr-defined]


_cache_the_command_tree()


def quick_few(values: list[Any], keep: int, *, several: bool = False) -> list[Any]:
    """Parametrize ``values`` with only the first ``keep`` in the quick loop and the rest
    in the full suite (``slow``): the same cases and assertions, a shorter loop.
    ``several``: each value is a tuple of several arguments."""
    return [
        value
        if position < keep
        else pytest.param(*(value if several else (value,)), marks=pytest.mark.slow)
        for position, value in enumerate(values)
    ]


def days_ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def days_ahead(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


# --- the engines: SQLite always; PostgreSQL for the modules marked `engines` ----------

ENGINES = ("sqlite", pytest.param("postgresql", marks=pytest.mark.slow))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test of a module marked ``engines`` runs on SQLite and on PostgreSQL (slow: the
    quick loop keeps SQLite); one marked ``sqlite_only`` looks at the file itself."""
    definition = metafunc.definition
    if (
        "engine" in metafunc.fixturenames
        and definition.get_closest_marker("engines")
        and not definition.get_closest_marker("sqlite_only")
    ):
        metafunc.parametrize("engine", ENGINES, indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres_server() -> Any:
    """This run's own PostgreSQL cluster (tests/postgres.py), started on first use."""
    import os

    from postgres import PostgresServer, server_binaries

    bindir = server_binaries()
    if bindir is None:
        message = (
            "NO POSTGRESQL SERVER BINARIES (initdb, pg_ctl): the team-database tests did "
            "not run; install Debian's postgresql package (.ci/run does)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer.start(bindir)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def isolated_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, request: pytest.FixtureRequest
) -> Path | str:
    """Point GIVENET_DB at a fresh file so no test can touch real data; on PostgreSQL,
    at a new database of the test's own (its URL is returned instead of a path)."""
    monkeypatch.setenv("GIVENET_BUSY_TIMEOUT", "0.5")
    monkeypatch.delenv("NO_COLOR", raising=False)
    if engine == "postgresql":
        url: str = request.getfixturevalue("postgres_server").new_database()
        monkeypatch.setenv("GIVENET_DB", url)
        return url
    path = tmp_path / "data" / "givenet.db"
    monkeypatch.setenv("GIVENET_DB", str(path))
    return path


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


Run = Callable[..., Outcome]


@pytest.fixture
def run() -> Run:
    """Invoke the real CLI; fail on any traceback, and on an unexpected exit code."""
    runner = CliRunner()

    def invoke(*args: str, code: int | None = 0, input: str | None = None) -> Outcome:
        result = runner.invoke(app, list(args), input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert "Traceback" not in result.stdout + result.stderr
        outcome = Outcome(result.exit_code, result.stdout, result.stderr)
        if code is not None:
            assert outcome.exit_code == code, (
                f"givenet {' '.join(args)} exited {outcome.exit_code}, wanted {code}\n"
                f"stdout: {outcome.stdout}\nstderr: {outcome.stderr}"
            )
        return outcome

    return invoke


@pytest.fixture
def fails(run: Run) -> Callable[..., str]:
    """Run a command that must fail as a user error: exit 1, one line on stderr."""

    def invoke(*args: str) -> str:
        outcome = run(*args, code=1)
        lines = outcome.stderr.strip().splitlines()
        assert len(lines) == 1, outcome.stderr
        assert lines[0].startswith("Error: ")
        return lines[0]

    return invoke


def create_empty(path: Path | str) -> Path | str:
    """An empty network at ``path``, as the first write of a new user leaves it.

    Only a command that writes creates a missing database; read-only commands
    refuse a path that does not exist, so tests of an empty network start here.
    (A test's PostgreSQL database holds the schema already.)
    """
    from givenet.core.network import Network, writing

    with writing(Network(path)):
        pass
    return path


def dump_database(path: Path | str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove a failed command changed nothing (a file's, or
    a test's PostgreSQL database's, named by its URL)."""
    if isinstance(path, str):
        import psycopg

        connection: Any = psycopg.connect(path)
        listing = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
    else:
        connection = sqlite3.connect(path)
        listing = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    try:
        tables = [row[0] for row in connection.execute(listing)]
        return {
            table: sorted(connection.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in tables
        }
    finally:
        connection.close()


def heavy_modules_after(
    database: Path,
    commands: list[list[str]],
    watched: tuple[str, ...] = ("sqlalchemy", "sqlmodel"),
) -> tuple[str, list[str]]:
    """Run ``commands`` in one fresh interpreter on ``database``: (what they printed, the
    modules of ``watched`` then loaded, SQLAlchemy's and SQLModel's unless told others;
    a name with a dot is one module). A read command must load none of those two."""
    import os
    import subprocess
    import sys

    probe = (
        "import json, sys\n"
        "from givenet.cli import main\n"
        "commands, watched = json.loads(sys.argv[1]), json.loads(sys.argv[2])\n"
        "for command in commands:\n"
        "    sys.argv = ['givenet', *command]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as done:\n"
        "        assert not done.code, (command, done.code)\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in watched or m in watched)\n"
        "print('HEAVY', json.dumps(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(commands), json.dumps(watched)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "GIVENET_DB": str(database)},
    )
    printed, heavy = result.stdout.rsplit("HEAVY", 1)
    return printed, json.loads(heavy)


def build_database(path: Path, commands: list[tuple[str, ...]]) -> Path:
    """Run setup commands once against ``path`` (for module-scoped templates)."""
    runner = CliRunner()
    for command in commands:
        result = runner.invoke(app, ["--db", str(path), *command])
        assert result.exit_code == 0, (command, result.stdout, result.stderr)
    return path


def install_copy(template: Path, target: Path) -> Path:
    """Put a copy of a template database where the test's GIVENET_DB points."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    target.chmod(0o600)
    return target

"""A throwaway PostgreSQL server for the tests: real, never a mock.

``PostgresServer.start()`` makes a cluster of its own in a temporary folder with
the machine's server binaries (``initdb``, ``pg_ctl``: Debian's postgresql
package; ``.ci/run`` installs it when missing), listening only on a Unix socket in
that folder, with ``fsync`` off for speed (``durable=True`` keeps the server's own
defaults instead: the benchmarks), and stops and removes it at the end.
``initdb`` refuses to run as root: then the server runs as the ``postgres`` user
(made by the Debian package), else ``nobody``.

Each test gets a database of its own, copied from a template that already holds
the latest schema (``CREATE DATABASE … TEMPLATE``), so a test's first command does
not pay for the schema steps.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

TEMPLATE = "givenet_template"
ROLE = "givenet"


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl (PostgreSQL 15 or later), or None."""
    candidates = []
    found = shutil.which("pg_config")
    if found:
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            candidates.append(
                subprocess.run(
                    [found, "--bindir"], capture_output=True, text=True, check=True
                ).stdout.strip()
            )
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(os.path.realpath(initdb)).parent))
    for folder in candidates:
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def _server_user() -> str | None:
    """Who runs the server: ourselves, unless we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root and no postgres or nobody user to run PostgreSQL as")


@dataclass
class PostgresServer:
    bindir: Path
    folder: Path
    user: str | None
    _counter: itertools.count[int] = field(default_factory=itertools.count)

    @classmethod
    def start(cls, bindir: Path, *, durable: bool = False) -> PostgresServer:
        folder = Path(tempfile.mkdtemp(prefix="givenet-pg-"))
        user = _server_user()
        if user is not None:
            shutil.chown(folder, user)
        server = cls(bindir, folder, user)
        try:
            server._run(
                "initdb", "-D", str(folder / "data"), "-A", "trust", "-U", ROLE,
                "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions",
            )  # fmt: skip
            # The tests wait 0.5 s for a lock (GIVENET_BUSY_TIMEOUT); an autovacuum that
            # holds a table our ANALYZE or ALTER TABLE needs is cancelled only after
            # deadlock_timeout (1 s by default), so such a write failed with
            # LockNotAvailable now and then. A user's wait (5 s) outlasts the default.
            options = f"-k {folder} -c listen_addresses='' -c deadlock_timeout=100ms"
            if not durable:
                options += (
                    " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                    " -c max_connections=60 -c shared_buffers=64MB"
                )
            server._run(
                "pg_ctl", "-D", str(folder / "data"), "-l", str(folder / "log"),
                "-o", options, "-w", "-t", "60", "start",
            )  # fmt: skip
            server._make_template()
        except BaseException:
            server.stop()
            raise
        return server

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            [str(self.bindir / program), *args],
            capture_output=True,
            text=True,
            user=self.user,
            cwd=self.folder,
        )
        if result.returncode != 0:
            log = self.folder / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed: {result.stderr or result.stdout}\n{tail}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{ROLE}@/{database}?host={self.folder}"

    def _admin(self, statement: str) -> None:
        self.execute("postgres", statement)

    def _make_template(self) -> None:
        from givenet.core import Network
        from givenet.core.network import writing

        self._admin(f"CREATE DATABASE {TEMPLATE}")
        with writing(Network(self.url(TEMPLATE))):
            pass  # the schema steps, once

    def new_database(self) -> str:
        """The URL of a new database holding the latest schema and no rows."""
        name = f"t{os.getpid()}_{next(self._counter)}"
        self._admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)

    def empty_database(self) -> str:
        """The URL of a new database with nothing in it (not even the schema)."""
        name = f"e{os.getpid()}_{next(self._counter)}"
        self._admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def copy_database(self, name: str, template: str) -> str:
        """The URL of ``name``, made anew as a copy of database ``template`` (the benchmarks'
        fresh copy of a network for each write)."""
        self._admin(f"DROP DATABASE IF EXISTS {name}")
        self._admin(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.url(name)

    def execute(self, database: str, statement: str) -> None:
        """One statement outside a transaction (``VACUUM ANALYZE``) in ``database``."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            connection.execute(statement)

    def stop(self) -> None:
        if (self.folder / "data" / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):
                self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

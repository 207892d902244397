"""Where the database lives, the engine and its SQLite settings, and transactions.

Every command is one transaction: ``session(path, write=...)`` opens the file
(creating it owner-only on first use), brings the schema up to date, and yields
a SQLModel ``Session`` whose transaction commits when the block ends and rolls
back when it raises. Writing commands take the write lock up front
(``BEGIN IMMEDIATE``) so a concurrent writer waits for the busy timeout instead
of failing half-way; see ``../shared/docs/sqlite-notes.md`` for why each
setting is here.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sqlite3
import stat
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from givenet.errors import DatabaseProblem
from givenet.migrations import LATEST_VERSION, MIGRATIONS, MIGRATIONS_TABLE, Migration

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

APP_NAME = "givenet"
DB_ENV = "GIVENET_DB"
BUSY_TIMEOUT_ENV = "GIVENET_BUSY_TIMEOUT"  # seconds; tests set it low
DEFAULT_BUSY_TIMEOUT = 5.0
SQLITE_HEADER = b"SQLite format 3\x00"
LOCKED_MESSAGE = "another givenet is writing to the database; try again in a moment"
SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's files beside the database


def default_location() -> str:
    """The database a command uses when ``--db`` is not given: a file, or a URL."""
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return from_env
    return str(app_folder() / "givenet.db")


USER_ENV = "GIVENET_USER"
MEMBER_MAX = 100


def current_member() -> str:
    """Who is writing: ``$GIVENET_USER``, else the login name (a team's member name)."""
    import getpass

    chosen = os.environ.get(USER_ENV, "").strip()
    if not chosen:
        try:
            chosen = getpass.getuser()
        except (KeyError, OSError):  # no login name (a container's numeric user)
            chosen = "me"
    if len(chosen) > MEMBER_MAX or any(not char.isprintable() for char in chosen):
        raise DatabaseProblem(
            f"{USER_ENV} must be a name of at most {MEMBER_MAX} printable characters"
        )
    return chosen


def app_folder() -> Path:
    """The user's givenet folder: the default database, and templates that override ours."""
    import typer

    return Path(typer.get_app_dir(APP_NAME))


def busy_timeout() -> float:
    raw = os.environ.get(BUSY_TIMEOUT_ENV)
    if not raw:
        return DEFAULT_BUSY_TIMEOUT
    try:
        return max(0.0, float(raw))
    except ValueError:
        raise DatabaseProblem(
            f"{BUSY_TIMEOUT_ENV} must be a number of seconds, not {raw!r}"
        ) from None


def missing_network(path: Path) -> DatabaseProblem:
    return DatabaseProblem(
        f"there is no network at {path}: check --db or $GIVENET_DB for a typo; "
        "a command that records something (givenet add NAME) starts a new one there"
    )


def prepare_file(path: Path, *, create: bool = True) -> None:
    """Create the folder (0700) and an empty file (0600) on first use; refuse non-databases.

    Creating the file ourselves, owner-only, before SQLite opens it makes its
    ``-wal`` and ``-shm`` files owner-only too, whatever the umask. With
    ``create=False`` (a command that only reads) a missing file is an error, so a
    mistyped path never looks like an empty network.
    """
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a folder, not a database file")
    if path.exists() and not path.is_file():
        # /dev/null, a pipe, a socket: SQLite would hang or write beside it (as root,
        # /dev/null-journal), and tightening its mode would break it for everyone.
        raise DatabaseProblem(
            f"{path} is not a regular file (a device, a pipe or a socket); "
            "point --db at a database file"
        )
    if not create and not path.exists():
        raise missing_network(path)
    folder = path.parent
    if not folder.exists():
        try:
            _make_folders(folder)
        except OSError as error:
            raise DatabaseProblem(f"cannot create the folder {folder}: {error.strerror}") from None
    if not path.exists():
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            pass  # another givenet created it a moment ago
        except OSError as error:
            raise DatabaseProblem(f"cannot create the database {path}: {error.strerror}") from None
        else:
            os.close(descriptor)
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise DatabaseProblem(f"cannot read the database {path}: {error.strerror}") from None
    if header and header != SQLITE_HEADER:
        raise DatabaseProblem(
            f"{path} is not a givenet database (not an SQLite file); point --db at another file"
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077 and (not header or _holds_givenet(path)):
        # Tighten a file that others can read: it holds notes about people.
        with contextlib.suppress(OSError):
            path.chmod(0o600)


def _make_folders(folder: Path) -> None:
    """Create ``folder`` and its missing parents, each 0700 whatever the umask
    (``mkdir(parents=True)`` gives the parents the umask's mode, 0777 under umask 0)."""
    missing = []
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        try:
            each.mkdir(mode=0o700)
        except FileExistsError:
            continue  # another givenet made it a moment ago
        each.chmod(0o700)


def _holds_givenet(path: Path) -> bool:
    """Whether an SQLite file holds givenet's tables (read only: nothing is written)."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return schema_version(connection) > 0
        finally:
            connection.close()
    except sqlite3.Error:
        return False


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Let us issue BEGIN ourselves (see _on_begin); the driver's own implicit
    # transactions would leave DDL outside them.
    dbapi_connection.isolation_level = None
    timeout_ms = int(busy_timeout() * 1000)
    dbapi_connection.execute(f"PRAGMA busy_timeout = {timeout_ms}")
    dbapi_connection.execute("PRAGMA foreign_keys = ON")
    dbapi_connection.create_function("casefold", 1, _casefold, deterministic=True)


def _casefold(text: str | None) -> str | None:
    return None if text is None else text.casefold()


def make_engine(path: Path, *, write: bool, spill: bool = True) -> Engine:
    """An engine for one command: its connections are set up as the notes require.

    ``spill=False`` keeps a transaction's changes in memory until it commits (a dry
    run's never reach the -wal file, so a full disk cannot fail it)."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    engine = create_engine(
        f"sqlite:///{path}",
        hide_parameters=True,  # lock errors would otherwise print names and emails
        poolclass=NullPool,
        connect_args={"timeout": busy_timeout()},
    )
    event.listen(engine, "connect", _on_connect)
    begin_statement = "BEGIN IMMEDIATE" if write else "BEGIN"

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if not spill:  # only outside a transaction does SQLite take these
            connection.exec_driver_sql("PRAGMA cache_spill = OFF")
            connection.exec_driver_sql("PRAGMA temp_store = MEMORY")
        connection.exec_driver_sql(begin_statement)

    return engine


def schema_version(connection: sqlite3.Connection) -> int:
    row = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
    ).fetchone()
    if row is None:
        return 0
    version = connection.execute(f"SELECT MAX(version) FROM {MIGRATIONS_TABLE}").fetchone()[0]
    return int(version or 0)


def migrate(connection: sqlite3.Connection, path: Path | None = None) -> list[int]:
    """Apply the steps this database lacks, each in its own transaction; return them.

    A database holding data is backed up next to itself (``VACUUM INTO``) before
    the first step runs, so an upgrade can always be undone by hand.
    """
    version = schema_version(connection)
    if version > LATEST_VERSION:
        raise DatabaseProblem(
            f"this database is from a newer givenet (schema {version}; this one knows "
            f"{LATEST_VERSION}); upgrade givenet to use it"
        )
    if version == 0 and connection.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone():
        # Another application's database (a browser's places.sqlite …): not one byte
        # of it is changed, the journal mode included.
        raise DatabaseProblem(
            f"{path or 'this file'} is another application's SQLite database (it has tables "
            "but not givenet's); givenet leaves it alone: point --db at another file"
        )
    # WAL is a property of the file: set once, after the version check, so that a
    # database this code must not touch is left byte for byte as it was.
    if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        connection.execute("PRAGMA journal_mode = WAL")
    pending = [step for step in MIGRATIONS if step.version > version]
    if not pending:
        return []
    if version > 0 and path is not None:
        backup_before_upgrade(connection, path, version)
    # A new file takes every step in one transaction (it has no rows to keep whole
    # between them, and one commit instead of one a step); a file with data, one
    # step a transaction.
    groups = [pending] if version == 0 else [[step] for step in pending]
    applied = []
    for group in groups:
        if _apply_steps(connection, group, fresh=version == 0):
            applied += [step.version for step in group]
    return applied


def _apply_steps(connection: sqlite3.Connection, steps: list[Migration], *, fresh: bool) -> bool:
    """Steps and their records in one transaction; False if another givenet did them first.

    A step that rebuilds tables runs with foreign keys off (else the rebuild's
    DROP TABLE would cascade to the children) and must leave every reference
    intact: ``foreign_key_check`` is empty before it commits.
    """
    rebuilds_tables = any(step.rebuilds_tables for step in steps)
    if rebuilds_tables:
        connection.execute("PRAGMA foreign_keys = OFF")  # ignored inside a transaction
    step = steps[0]
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Another givenet may have upgraded while we waited for the lock.
        if schema_version(connection) >= step.version:
            connection.execute("ROLLBACK")
            return False
        connection.execute(
            f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        for step in steps:
            step.apply(connection)
            if step.rebuilds_derived and not fresh:  # a new file has no rows to index
                # Recorded with the step, in its transaction: should the rebuild that
                # follows be killed, the next command still finishes it.
                connection.execute(f"PRAGMA user_version = {REBUILD_OWED}")
            if step.rebuilds_tables and connection.execute("PRAGMA foreign_key_check").fetchall():
                raise DatabaseProblem(
                    f"schema step {step.version} would break links between records"
                )
            connection.execute(
                f"INSERT INTO {MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)",
                (step.version, step.name, datetime.now().isoformat(timespec="seconds")),
            )
        connection.execute("COMMIT")
    except BaseException as error:
        connection.execute("ROLLBACK")
        if isinstance(error, sqlite3.Error) and not _is_lock_error(error):
            raise DatabaseProblem(
                f"upgrading the database to schema {step.version} failed ({error}); "
                "nothing was changed"
            ) from None
        raise
    finally:
        if rebuilds_tables:
            connection.execute("PRAGMA foreign_keys = ON")
    return True


def _is_lock_error(error: Exception) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def backup_before_upgrade(connection: sqlite3.Connection, path: Path, version: int) -> Path:
    """``<file>.schemaN.bak`` beside the database, written atomically; a good earlier one
    is kept (the next gets a number), a broken one (a killed upgrade's) is replaced."""
    target = path.with_name(f"{path.name}.schema{version}.bak")
    counter = 1
    while target.exists() or target.is_symlink():
        if copy_problem(target, version) is not None:
            break  # broken: write the new copy in its place
        counter += 1
        target = path.with_name(f"{path.name}.schema{version}.{counter}.bak")
    try:
        return vacuum_into(connection, target, version, replace=target.exists())
    except sqlite3.Error as error:
        raise DatabaseProblem(
            f"could not back the database up before upgrading it ({_reason(error)}); "
            "nothing was changed"
        ) from None


def copy_problem(copy: Path, version: int) -> str | None:
    """What is wrong with a backup (None: a readable database of schema ``version``)."""
    if not copy.is_file() or not _is_sqlite_file(copy):
        return "not an SQLite file"
    try:
        connection = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
            found = schema_version(connection)
        finally:
            connection.close()
    except sqlite3.Error as error:
        return str(error)
    if integrity != "ok":
        return f"damaged ({integrity})"
    if found != version:
        return f"schema {found}, not {version}"
    return None


def vacuum_into(
    connection: sqlite3.Connection, target: Path, version: int, *, replace: bool = False
) -> Path:
    """A consistent copy of the database at ``target``, or nothing there at all.

    ``VACUUM INTO`` a temporary file in the same folder (owner-only), flushed to
    disk and checked (``integrity_check``, the schema version), then renamed into
    place: a kill or a full disk midway leaves no truncated file under the real
    name. Without ``replace`` an existing ``target`` is never overwritten.
    """
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    old_umask = os.umask(0o077)  # the copy holds the same notes: owner-only
    try:
        connection.execute("VACUUM INTO ?", (str(temporary),))
        descriptor = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        problem = copy_problem(temporary, version)
        if problem is not None:
            raise DatabaseProblem(f"the copy failed its check ({problem}); nothing was written")
        os.chmod(temporary, 0o600)
        if replace:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)  # fails if the name was taken meanwhile
    except FileExistsError:
        raise DatabaseProblem(
            f"{target} exists; name a new file (a backup never overwrites)"
        ) from None
    except OSError as error:
        raise DatabaseProblem(f"cannot write {target}: {error.strerror}") from None
    finally:
        os.umask(old_umask)
        with contextlib.suppress(OSError):
            temporary.unlink()
    return target


def _reason(error: sqlite3.Error) -> str:
    """Why a copy could not be written, for a person: a full disk is named as such."""
    text = str(error).lower()
    if "full" in text:
        return "the disk is full"
    if "disk i/o" in text:
        return "writing to the disk failed: is it full?"
    return str(error)


def translate_error(error: Exception, path: Path) -> DatabaseProblem:
    """Turn a driver error into one line for a person, never with SQL parameters."""
    text = str(getattr(error, "orig", None) or error)
    lowered = text.lower()
    if _is_lock_error(error):
        return DatabaseProblem(LOCKED_MESSAGE)
    if "readonly" in lowered or "read-only" in lowered:
        return DatabaseProblem(f"cannot write to {path}: the file or its folder is read-only")
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return DatabaseProblem(
            f"{path} is damaged or not a database; run `givenet check`, "
            "or restore a backup (`givenet backup` makes them)"
        )
    if "unable to open" in lowered:
        return DatabaseProblem(f"cannot open the database {path}")
    return DatabaseProblem(f"database error: {text.splitlines()[0] if text else type(error)}")


# Called with the database's path after an upgrade whose steps add derived data
# (search indexes, match candidates); the core passes the rebuild, so this module
# knows nothing of the store.
AfterUpgrade = Callable[[Path], None]


# ``PRAGMA user_version`` (a number in the file's header, written in transactions)
# says that derived data is owed a rebuild: set by the step that needs one, cleared
# in the rebuild's own transaction. A new file is not owed one: it has no rows.
REBUILD_OWED = 1


def rebuild_owed(connection: sqlite3.Connection) -> bool:
    return bool(connection.execute("PRAGMA user_version").fetchone()[0] & REBUILD_OWED)


def rebuild_done(connection: sqlite3.Connection) -> None:
    """Call in the rebuild's transaction: derived data is whole again."""
    connection.execute("PRAGMA user_version = 0")


@contextlib.contextmanager
def read_connection(
    path: Path, after_upgrade: AfterUpgrade | None = None
) -> Iterator[sqlite3.Connection]:
    """A read-only command's transaction on a plain sqlite3 connection.

    The same file checks, settings and upgrade as ``session``, without importing
    SQLAlchemy: the morning list reads through ``store/sql.py`` alone, and the
    import is most of a short command's time. A missing file is an error: only a
    write creates one.
    """
    with _plain_connection(path, after_upgrade, write=False) as connection:
        yield connection


@contextlib.contextmanager
def write_connection(
    path: Path,
    after_upgrade: AfterUpgrade | None = None,
    *,
    dry_run: bool = False,
    foreign_keys: bool = True,
) -> Iterator[sqlite3.Connection]:
    """A write transaction (``BEGIN IMMEDIATE``) on a plain sqlite3 connection, for the
    use cases that write through the store's SQL alone (a rebuild of the indexes, a
    tag renamed, a restore): committed when the block ends, rolled back if it raises.
    Without SQLAlchemy and the models, which are 40 MiB of a rebuild's peak memory.
    ``dry_run``: the changes stay in memory (as ``make_engine``'s ``spill=False``) and
    are rolled back at the end. ``foreign_keys=False``: SQLite does not check the rows'
    references as they are written; the caller checks them (``PRAGMA foreign_key_check``)
    before it commits."""
    with _plain_connection(
        path, after_upgrade, write=True, spill=not dry_run, foreign_keys=foreign_keys
    ) as connection:
        yield connection
        if not dry_run:
            connection.execute("COMMIT")


@contextlib.contextmanager
def _plain_connection(
    path: Path,
    after_upgrade: AfterUpgrade | None,
    *,
    write: bool,
    spill: bool = True,
    foreign_keys: bool = True,
) -> Iterator[sqlite3.Connection]:
    """``session``'s file checks, settings and upgrade on a plain sqlite3 connection,
    then its transaction; whatever it has not committed is rolled back at the end."""
    prepare_file(path, create=write)
    try:
        connection = sqlite3.connect(path, timeout=busy_timeout())
    except sqlite3.Error as error:
        raise translate_error(error, path) from None
    try:
        _on_connect(connection, None)
        migrate(connection, path)
        if after_upgrade is not None and rebuild_owed(connection):
            after_upgrade(path)
        if not spill:  # only outside a transaction does SQLite take these
            connection.execute("PRAGMA cache_spill = OFF")
            connection.execute("PRAGMA temp_store = MEMORY")
        if not foreign_keys:
            connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        yield connection
    except sqlite3.Error as error:
        raise translate_error(error, path) from None
    finally:
        if connection.in_transaction:
            connection.execute("ROLLBACK")  # it only read, or it failed
        connection.close()


@contextlib.contextmanager
def committed(engine: Engine) -> Iterator[Session]:
    """The command's SQLModel session on ``engine`` (either engine's): it commits when
    the block ends and rolls back when it raises."""
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False, autoflush=True) as db_session:
        yield db_session
        db_session.commit()


@contextlib.contextmanager
def session(
    path: Path, *, write: bool, after_upgrade: AfterUpgrade | None = None, spill: bool = True
) -> Iterator[Session]:
    """One command's transaction: commit at the end of the block, roll back on error.

    Only a writing session (``write=True``) creates a missing file.
    """
    from sqlalchemy.exc import DBAPIError

    prepare_file(path, create=write)
    engine = make_engine(path, write=write, spill=spill)
    try:
        try:
            raw = engine.raw_connection()
            try:
                migrate(raw.driver_connection, path)  # type: ignore[arg-type]
                owed = rebuild_owed(raw.driver_connection)  # type: ignore[arg-type]
            finally:
                raw.close()
            if after_upgrade is not None and owed:
                after_upgrade(path)
            with committed(engine) as db_session:
                yield db_session
        except (DBAPIError, sqlite3.Error) as error:
            raise translate_error(error, path) from None
    finally:
        engine.dispose()


def checkpoint(path: Path, attempts: int = 20) -> bool:
    """Copy the write-ahead log into the database and empty it (after `forget`).

    Another givenet reading at that moment keeps the log in use; try again for a
    few seconds. Returns whether the log was emptied.
    """
    import time

    connection = sqlite3.connect(path, timeout=busy_timeout())
    try:
        for _ in range(attempts):
            busy = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if not busy:
                return True
            time.sleep(0.25)
        return False
    except sqlite3.Error as error:
        raise translate_error(error, path) from None
    finally:
        connection.close()


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def refuse_own_file(
    database: Path | None, target: Path, doing: str, *, any_database: bool = True
) -> None:
    """Refuse to write ``target`` when it is the database, its ``-wal``, ``-shm`` or
    ``-journal``, or any SQLite file (a backup, another database): not even ``--force``
    writes an export or a backup over those. Resolved paths and inodes are compared,
    so a symlink or a hard link to the database is caught too."""
    resolved = Path(os.path.realpath(target))
    own_files = (
        ()
        if database is None
        else (database, *(database.with_name(database.name + t) for t in SIDE_FILES))
    )
    for own in own_files:
        if resolved == Path(os.path.realpath(own)) or _same_file(target, own):
            raise DatabaseProblem(
                f"{target} is givenet's own database file ({own.name}); {doing} elsewhere"
            )
    if any_database and _is_sqlite_file(target):
        raise DatabaseProblem(
            f"{target} is an SQLite database (a backup?); {doing} to a new file instead"
        )


def backups_of(path: Path) -> list[Path]:
    """The backups givenet names beside the database: ``givenet-backup-DAY.db`` (from
    `givenet backup`) and ``givenet.db.schemaN.bak`` (from an upgrade), by name."""
    stem = path.stem or "givenet"
    found = {
        *path.parent.glob(f"{glob_escape(stem)}-backup-*.db"),
        *path.parent.glob(f"{glob_escape(path.name)}.schema*.bak"),
    }
    return sorted(each for each in found if each.is_file() and not each.is_symlink())


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def default_backup_path(path: Path, day: str) -> Path:
    """A dated file next to the database that does not exist yet."""
    stem = path.stem or "givenet"
    candidate = path.with_name(f"{stem}-backup-{day}.db")
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = path.with_name(f"{stem}-backup-{day}-{counter}.db")
    return candidate


def backup(path: Path, target: Path) -> Path:
    """A consistent copy of the database (``VACUUM INTO``), owner-only, never over a file."""
    if not path.exists():
        raise DatabaseProblem(f"there is no database at {path} to back up")
    refuse_own_file(path, target, "write the backup", any_database=False)
    if target.exists() or target.is_symlink():
        raise DatabaseProblem(f"{target} exists; name a new file (a backup never overwrites)")
    if not target.parent.is_dir():
        raise DatabaseProblem(f"the folder {target.parent} does not exist")
    connection = sqlite3.connect(path, timeout=busy_timeout())
    try:
        return vacuum_into(connection, target, schema_version(connection))
    except sqlite3.Error as error:
        if "full" in str(error).lower() or "disk i/o" in str(error).lower():
            raise DatabaseProblem(
                f"cannot write the backup {target}: {_reason(error)}; nothing was written"
            ) from None
        raise translate_error(error, path) from None
    finally:
        connection.close()


# What `check` advises, by the worst kind of problem it met (first wins).
CHECK_ADVICE = {
    "damaged": "restore your latest backup (givenet backup makes them); "
    "`givenet match --rebuild` repairs the search indexes alone",
    "io": "the file could not be read or written: free disk space or fix the permissions "
    "of the database and its -wal and -shm files, then run `givenet check` again",
    "busy": "another givenet is writing to the database: run `givenet check` again in a "
    "moment (nothing it could see is damaged)",
    "indexes": "`givenet match --rebuild` rebuilds the search indexes and the kept meetings",
    "newer": "upgrade givenet to check this database",
}


def _check_kind(error: sqlite3.Error) -> str:
    """A failure during `check`: busy, a disk or permission fault, or real damage."""
    text = str(error).lower()
    if _is_lock_error(error):
        return "busy"
    if any(word in text for word in ("disk i/o", "full", "unable to open", "readonly")):
        return "io"
    return "damaged"


def check(path: Path) -> list[str]:
    """Integrity, foreign keys and the full-text indexes; an empty list means all is well."""
    return diagnose(path)[0]


def diagnose(path: Path) -> tuple[list[str], str]:
    """What is wrong with the file, and what to do: ``([], "")`` when all is well.

    Opens the file directly (no upgrade, nothing committed), so it works on a damaged
    database. "Restore a backup" is advised only for real damage: a database another
    givenet is writing to is busy, and a full disk or an unreadable ``-shm`` is named.
    """
    if not path.exists():
        raise DatabaseProblem(f"there is no database at {path}")
    if not path.is_file():
        raise DatabaseProblem(f"{path} is not a regular file")
    problems: list[str] = []
    kinds: list[str] = []

    def failed(what: str, error: sqlite3.Error) -> None:
        kind = _check_kind(error)
        kinds.append(kind)
        text = "busy: another givenet is writing" if kind == "busy" else str(error)
        problems.append(f"{what}: {text}")

    try:
        # Not read-only: FTS5's integrity-check is spelled as an INSERT. Nothing is
        # committed: the connection is closed with its transaction rolled back.
        connection = sqlite3.connect(path, timeout=busy_timeout())
    except sqlite3.Error as error:
        failed("cannot open the file", error)
        return problems, CHECK_ADVICE[kinds[0]]
    try:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            kinds.append("damaged")
            problems.extend(f"integrity: {line}" for line in integrity[:10])
        orphans = connection.execute("PRAGMA foreign_key_check").fetchall()
        if orphans:
            kinds.append("damaged")
            problems.append(f"{len(orphans)} rows point at records that do not exist")
        version = schema_version(connection)
        if version > LATEST_VERSION:
            kinds.append("newer")
            problems.append(f"schema {version} is newer than this givenet knows ({LATEST_VERSION})")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        from givenet.migrations import FTS_TABLES

        for table in FTS_TABLES:
            if table in tables:
                try:
                    connection.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
                except sqlite3.Error as error:
                    failed(f"search index {table}", error)
                    if kinds[-1] == "busy":
                        break  # once is enough: the others would wait the same
        for kind, problem in derived_problems(connection, tables):
            kinds.append(kind)
            problems.append(problem)
    except sqlite3.DatabaseError as error:
        failed("the file could not be checked", error)
        if kinds[-1] == "damaged":
            problems[-1] = f"the file is damaged: {error}"
    finally:
        connection.close()
    worst = next((kind for kind in CHECK_ADVICE if kind in kinds), None)
    return problems, CHECK_ADVICE[worst] if worst else ""


def derived_problems(connection: Any, tables: set[str]) -> list[tuple[str, str]]:
    """What is wrong with the derived data (search indexes, kept touches), as
    ``(kind, problem)``: plain SQL both engines run, for `check` on either."""
    found: list[tuple[str, str]] = []
    # An upgrade or import killed while filling the indexes leaves them short.
    for table, indexed in (("person", "person_fts"), ("ask", "ask_fts"), ("offer", "offer_fts")):
        if indexed in tables:
            rows_count = connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            indexed_count = connection.execute(f"SELECT COUNT(*) FROM {indexed}").fetchone()[0]
            if rows_count != indexed_count:
                found.append(
                    (
                        "indexes",
                        f"the search index of {table}s is incomplete ({indexed_count} of "
                        f"{rows_count}): `givenet match --rebuild` rebuilds it",
                    )
                )
    # Each person's first and last meeting, kept by triggers: a write that went
    # around them (plain SQL with the triggers dropped, a bug) leaves it wrong.
    if "person_touch" in tables:
        from givenet.migrations import PERSON_TOUCH_RECOMPUTED

        kept = "SELECT person_id, first_met, last_touch FROM person_touch"
        wrong = connection.execute(
            f"SELECT COUNT(DISTINCT person_id) FROM ({kept} EXCEPT {PERSON_TOUCH_RECOMPUTED}"
            f" UNION ALL SELECT * FROM ({PERSON_TOUCH_RECOMPUTED} EXCEPT {kept}) AS missing)"
            " AS wrong"
        ).fetchone()[0]
        if wrong:
            found.append(
                (
                    "indexes",
                    f"the first and last meetings kept for {wrong} "
                    f"{'person are' if wrong == 1 else 'people are'} out of date: "
                    "`givenet match --rebuild` recomputes them",
                )
            )
    return found

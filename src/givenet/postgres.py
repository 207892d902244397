"""A team's network on PostgreSQL: connecting, the schema steps, transactions.

Imported only when ``--db`` or ``$GIVENET_DB`` is a ``postgresql://`` URL, so a
SQLite run never loads this module nor psycopg (``givenet[team]``).

The store's plain SQL is written once, in the SQL both engines speak, with
SQLite's ``?`` / ``?1`` / ``:name`` placeholders; :class:`PgConnection` is the
store's connection on this engine: it rewrites the placeholders for psycopg and
hands back rows as sqlite3 does (dates and times as ISO text, booleans as 0 and 1),
so the store reads both engines' rows alike. Where the SQL itself must differ
(full-text search, a few joins), ``store/dialect.py`` says how. The schema adds
the few functions SQLite has and PostgreSQL lacks (``fold``, ``instr``,
``julianday``; ``migrations.py``).

Transactions are as on SQLite: a read sees one snapshot for the whole command and
never waits; writers queue on one advisory lock, as SQLite's writers queue on its
write lock, so a write's look-ups (is this email known?) and its insert are one
step that no other member's write can come between.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from givenet.db import LOCKED_MESSAGE, busy_timeout
from givenet.errors import DatabaseProblem
from givenet.migrations import LATEST_VERSION, MIGRATIONS, MIGRATIONS_TABLE, Migration

if TYPE_CHECKING:
    import psycopg
    from sqlmodel import Session

SCHEMES = ("postgresql://", "postgres://")
# pg_advisory_xact_lock key of givenet's writers: "givenet" in ASCII, as a number.
WRITE_LOCK = 0x676976656E6574
CONNECT_TIMEOUT = 10  # seconds


def is_url(text: str) -> bool:
    return text.startswith(SCHEMES)


def _passwords(url: str) -> list[str]:
    """The passwords a URL holds (``user:PW@`` and ``?password=PW``), as written and
    decoded, so that a message can leave them out."""
    from urllib.parse import parse_qsl, unquote, urlsplit

    found = []
    try:
        parts = urlsplit(url)
        userinfo = parts.netloc.rpartition("@")[0]
        if ":" in userinfo:
            found.append(userinfo.split(":", 1)[1])
        found += [value for key, value in parse_qsl(parts.query) if key == "password"]
        found += [
            part.split("=", 1)[1] for part in parts.query.split("&") if part.startswith("password=")
        ]
    except ValueError:
        pass
    # What the parser does not see: a password holding '/' or '@' ("ana:p@ss@host").
    written = re.match(r"[a-z]+://[^:@/]*:(.*)@", url.split("?", 1)[0])
    if written:
        found.append(written.group(1))
    return sorted({each for pw in found if pw for each in (pw, unquote(pw))}, key=len, reverse=True)


def redacted(url: str, text: str | None = None) -> str:
    """``text`` (the URL itself by default) with every password of the URL as ``***``."""
    shown = url if text is None else text
    for password in _passwords(url):
        shown = shown.replace(password, "***")
    return shown


def missing_driver() -> DatabaseProblem:
    return DatabaseProblem(
        "a team database needs the PostgreSQL driver: pip install 'givenet[team]'"
    )


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise missing_driver() from None
    return psycopg


# --- the store's connection ------------------------------------------------------

_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|\?(\d*)|(?<![:\w]):([A-Za-z_]\w*)|%""")


# SQLite's planner hints in the store's SQL, spelled plainly for PostgreSQL: CROSS
# JOIN … ON (an inner join whose order SQLite keeps) and a unary + before a column
# (SQLite then uses no index on it).
_CROSS_JOIN = re.compile(r"\bCROSS JOIN (\w+(?: AS \w+)?) ON\b")
_NO_INDEX = re.compile(r"(?<=[\s(])\+(?=[A-Za-z_]\w*\.)")
# SQLite's INSERT OR IGNORE is PostgreSQL's ON CONFLICT DO NOTHING.
_OR_IGNORE = re.compile(r"^\s*INSERT OR IGNORE INTO\b")


def _rewrite(sql: str) -> tuple[str, str]:
    """``sql`` with psycopg's placeholders, and how its parameters are given:
    ``"seq"`` (``?``), ``"numbered"`` (``?1``: turned into names) or ``"named"``."""
    style = "seq"
    sql = _NO_INDEX.sub("", _CROSS_JOIN.sub(r"JOIN \1 ON", sql))
    if _OR_IGNORE.match(sql):
        sql, returning, tail = _OR_IGNORE.sub("INSERT INTO", sql).partition(" RETURNING ")
        sql += " ON CONFLICT DO NOTHING" + (returning + tail if returning else "")

    def replace(match: re.Match[str]) -> str:
        nonlocal style
        token = match.group(0)
        if token == "%":
            return "%%"
        if token.startswith("?"):
            if match.group(1):
                style = "numbered"
                return f"%(p{match.group(1)})s"
            return "%s"
        if match.group(2):
            style = "named"
            return f"%({match.group(2)})s"
        return token.replace("%", "%%")  # a quoted string or name: psycopg reads % there too

    return _TOKEN.sub(replace, sql), style


# A long ``IN (?, ?, …)`` of ids: sent as one array, ``= ANY(?)``. psycopg parses a
# statement of more than 50 parameters anew each time (no cache): 0.5 s of `find`'s
# 1.3 s at 20,000 people went on splitting its lists of 9,379 ids.
_IN_LIST = re.compile(r"\bIN \(\s*\?(?!\d)(?:\s*,\s*\?(?!\d))+\s*\)")
LONG_LIST = 50


def _long_lists(sql: str) -> tuple[tuple[int, int, int, int], ...]:
    """Each long ``IN`` list of ``?``: (start, end in ``sql``, its first parameter's number,
    how many), or nothing when ``sql`` has numbered or named parameters."""
    marks = [m.start() for m in _TOKEN.finditer(sql) if m.group(0) == "?"]
    if len(marks) <= LONG_LIST or any(m.group(1) or m.group(2) for m in _TOKEN.finditer(sql)):
        return ()
    found = []
    for match in _IN_LIST.finditer(sql):
        inside = [n for n, at in enumerate(marks) if match.start() <= at < match.end()]
        if len(inside) > LONG_LIST:
            found.append((match.start(), match.end(), inside[0], len(inside)))
    return tuple(found)


def _as_arrays(sql: str, lists: tuple[tuple[int, int, int, int], ...]) -> str:
    for start, end, _, _ in reversed(lists):
        head = sql[:start].rstrip()
        if head.upper().endswith(" NOT"):  # NOT IN (…) is <> ALL (…)
            sql = f"{head[:-4]} <> ALL(?){sql[end:]}"
        else:
            sql = f"{sql[:start]}= ANY(?){sql[end:]}"
    return sql


def _pack(params: Sequence[Any], lists: tuple[tuple[int, int, int, int], ...]) -> list[Any]:
    """The parameters with each long list's values as one list (one array parameter)."""
    packed: list[Any] = []
    done = 0
    for _, _, first, count in lists:
        packed += params[done:first]
        packed.append(list(params[first : first + count]))
        done = first + count
    return packed + list(params[done:])


class PgConnection:
    """The store's connection on PostgreSQL: the part of ``sqlite3.Connection`` it uses."""

    dialect = "postgresql"

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw
        self._sql: dict[str, tuple[str, str, tuple[tuple[int, int, int, int], ...]]] = {}
        self._arrays: dict[str, str] = {}

    def _prepare(self, sql: str, params: Any) -> tuple[str, Any]:
        found = self._sql.get(sql)
        if found is None:
            lists = _long_lists(sql) if params and not isinstance(params, Mapping) else ()
            found = self._sql[sql] = (*_rewrite(sql), lists)
        text, style, lists = found
        if lists and all(
            type(value) is int for _, _, first, count in lists
            for value in params[first : first + count]
        ):  # fmt: skip
            text = self._arrays.get(sql) or self._arrays.setdefault(
                sql, _rewrite(_as_arrays(sql, lists))[0]
            )
            params = _pack(params, lists)
        if style == "numbered":
            params = {f"p{number}": value for number, value in enumerate(params, 1)}
        elif style == "seq" and params and isinstance(params, Mapping):
            raise TypeError("named parameters given to SQL with ? placeholders")
        # Never None: psycopg then reads no placeholders, and would keep the %% of a
        # literal % as two.
        return text, (params if params else ())

    def cursor(self) -> Any:
        cursor = self.raw.cursor()
        _as_sqlite_rows(cursor)
        return cursor

    def execute(self, sql: str, params: Mapping[str, Any] | Sequence[Any] = ()) -> Any:
        text, values = self._prepare(sql, params)
        cursor = self.cursor()
        cursor.execute(text, values)
        return cursor

    def executemany(self, sql: str, seq: Any) -> Any:
        cursor = self.cursor()
        batch = list(seq)
        if batch:
            text, _ = self._prepare(sql, batch[0])
            if _rewrite(sql)[1] == "numbered" or self._sql[sql][2]:
                batch = [self._prepare(sql, each)[1] for each in batch]
            cursor.executemany(text, batch)
        return cursor

    @property
    def in_transaction(self) -> bool:
        return bool(self.raw.info.transaction_status)  # IDLE is 0

    def create_function(self, *_args: Any, **_kwargs: Any) -> None:
        """The schema defines the functions SQLite gets from Python (``fold``)."""


def _as_sqlite_rows(cursor: Any) -> None:
    """Dates and times as ISO text, booleans as 0/1, sums as int or float: sqlite3's rows."""
    from givenet import _pgtypes

    _pgtypes.register(cursor.adapters)


# --- connecting ----------------------------------------------------------------


# jit=off: the planner's cost of due's one query (a subquery per factor) is above
# jit_above_cost, and compiling it took 5.8 of its 6 s (docs/performance.md).
OPTIONS = "-c DateStyle=ISO -c TimeZone=UTC -c jit=off"


def connect(url: str, *, autocommit: bool = True) -> psycopg.Connection[Any]:
    """A connection; in autocommit mode (the default) transactions are begun explicitly,
    else psycopg begins one before the first statement (SQLAlchemy's sessions).

    What the URL says is kept: givenet's settings go after its own ``options``, and its
    name and time-out apply only where the URL gives none."""
    psycopg = _psycopg()
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = conninfo_to_dict(url)
    except psycopg.Error:
        raise DatabaseProblem(
            f"{_shown(url)} is not a PostgreSQL URL libpq can read "
            "(postgresql://user@host/dbname; percent-encode special characters)"
        ) from None
    params["options"] = f"{params.get('options') or ''} {OPTIONS}".strip()
    params.setdefault("application_name", "givenet")
    params.setdefault("connect_timeout", CONNECT_TIMEOUT)
    try:
        return psycopg.connect(autocommit=autocommit, **params)
    except psycopg.Error as error:
        raise translate_error(error, url) from None


def _shown(url: str) -> str:
    """The URL for a message: without its passwords, else (unreadable) its scheme only."""
    from urllib.parse import urlsplit

    try:
        urlsplit(url)
    except ValueError:
        return "the team database URL"
    return redacted(url)


def translate_error(error: BaseException, url: str) -> DatabaseProblem:
    """One line for a person; never SQL parameters, never the password."""
    psycopg = _psycopg()
    cause = getattr(error, "orig", None) or error
    first = redacted(url, (str(cause).strip().splitlines() or [type(cause).__name__])[0])
    where = _shown(url)
    if isinstance(cause, psycopg.errors.LockNotAvailable):  # another member's write
        return DatabaseProblem(LOCKED_MESSAGE)
    if isinstance(cause, psycopg.OperationalError):
        if "password" in first or "authentication" in first:
            return DatabaseProblem(f"the team database {where} refused the login: {first}")
        if "does not exist" in first:
            return DatabaseProblem(f"no team database at {where}: {first}")
        return DatabaseProblem(
            f"lost the connection to the team database {where} ({first}); "
            "nothing of this command was saved"
        )
    if isinstance(cause, psycopg.errors.InsufficientPrivilege):
        return DatabaseProblem(f"the team database {where} refused: {first}")
    return DatabaseProblem(f"database error: {first}")


# --- the schema ----------------------------------------------------------------


def schema_version(db: PgConnection) -> int:
    found = db.execute("SELECT to_regclass(?) IS NOT NULL", (MIGRATIONS_TABLE,)).fetchone()[0]
    if not found:
        return 0
    version = db.execute(f"SELECT MAX(version) FROM {MIGRATIONS_TABLE}").fetchone()[0]
    return int(version or 0)


def migrate(db: PgConnection, rebuild: Callable[[PgConnection], None] | None = None) -> list[int]:
    """Apply the steps this database lacks, each with its record in one transaction.

    PostgreSQL's DDL is transactional, so a step that adds derived data (a search
    index) fills it in the same transaction: a step is in, whole, or not at all.
    """
    version = schema_version(db)
    if version > LATEST_VERSION:
        raise DatabaseProblem(
            f"this database is from a newer givenet (schema {version}; this one knows "
            f"{LATEST_VERSION}); upgrade givenet to use it"
        )
    if (
        version == 0
        and db.execute(
            "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() LIMIT 1"
        ).fetchone()
    ):
        raise DatabaseProblem(
            "this PostgreSQL database holds another application's tables, not givenet's; "
            "givenet leaves it alone: create a database of its own (docs/team.md)"
        )
    applied = []
    for step in MIGRATIONS:
        if step.version > version and _apply_step(db, step, fresh=version == 0, rebuild=rebuild):
            applied.append(step.version)
    return applied


def _apply_step(
    db: PgConnection,
    step: Migration,
    *,
    fresh: bool,
    rebuild: Callable[[PgConnection], None] | None,
) -> bool:
    assert step.postgres is not None, f"schema step {step.version} has no PostgreSQL form"
    db.execute("BEGIN")
    try:
        db.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))
        if schema_version(db) >= step.version:  # another givenet did it while we waited
            db.execute("ROLLBACK")
            return False
        db.execute(
            f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} ("
            "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at VARCHAR NOT NULL)"
        )
        step.postgres(db)
        if step.rebuilds_derived and not fresh and rebuild is not None:
            rebuild(db)
        db.execute(
            f"INSERT INTO {MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)",
            (step.version, step.name, datetime.now().isoformat(timespec="seconds")),
        )
        db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(Exception):
            db.execute("ROLLBACK")
        raise
    return True


# --- transactions ----------------------------------------------------------------


@contextlib.contextmanager
def read_connection(
    url: str, rebuild: Callable[[PgConnection], None] | None = None
) -> Iterator[PgConnection]:
    """A read-only command's transaction: one snapshot, never waiting on a writer."""
    psycopg = _psycopg()
    raw = connect(url)
    db = PgConnection(raw)
    try:
        migrate(db, rebuild)
        db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield db
    except psycopg.Error as error:
        raise translate_error(error, url) from None
    finally:
        with contextlib.suppress(Exception):
            raw.close()  # an open read transaction simply ends


def make_engine(url: str) -> Any:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(
        "postgresql+psycopg://",
        creator=lambda: connect(url, autocommit=False),
        hide_parameters=True,
        poolclass=NullPool,
    )


@contextlib.contextmanager
def session(
    url: str, *, write: bool, rebuild: Callable[[PgConnection], None] | None = None
) -> Iterator[Session]:
    """One command's transaction: commit at the end of the block, roll back on error.

    A writing session first takes givenet's write lock (held to the commit), so
    members' writes land one after another, each whole; readers never wait on it.
    """
    from sqlalchemy import event
    from sqlalchemy.exc import DBAPIError

    from givenet.db import committed

    psycopg = _psycopg()
    engine = make_engine(url)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if write:  # wait for another member's write as long as SQLite would, then say so
            timeout_ms = int(busy_timeout() * 1000)
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {timeout_ms}")
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    try:
        try:
            with contextlib.closing(connect(url)) as raw:
                migrate(PgConnection(raw), rebuild)
            with committed(engine) as db_session:
                yield db_session
        except (DBAPIError, psycopg.Error) as error:
            raise translate_error(error, url) from None
    finally:
        engine.dispose()


def vacuum(url: str) -> None:
    """Reclaim the space of deleted rows (after a forget), outside any transaction."""
    with contextlib.closing(connect(url)) as raw:
        try:
            raw.execute("VACUUM")
        except _psycopg().Error as error:
            raise translate_error(error, url) from None


def diagnose(url: str) -> tuple[list[str], str]:
    """`givenet check` on a team database: the schema's version and the derived data.
    (The server itself keeps pages and links whole.)"""
    from givenet.db import CHECK_ADVICE, derived_problems

    psycopg = _psycopg()
    with contextlib.closing(connect(url)) as raw:
        db = PgConnection(raw)
        try:
            version = schema_version(db)
            if version > LATEST_VERSION:
                problem = f"schema {version} is newer than this givenet knows ({LATEST_VERSION})"
                return [problem], CHECK_ADVICE["newer"]
            db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            tables = {
                row[0]
                for row in db.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                )
            }
            found = derived_problems(db, tables)
        except psycopg.Error as error:
            raise translate_error(error, url) from None
    return [problem for _, problem in found], CHECK_ADVICE["indexes"] if found else ""


def driver(db_session: Session) -> PgConnection:
    """The store's connection under a session, inside the session's transaction."""
    return PgConnection(db_session.connection().connection.driver_connection)  # type: ignore[arg-type]

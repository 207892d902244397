"""A network (one database) and the core's two kinds of transaction on it.

Every use case in ``givenet.core`` takes a :class:`Network` and opens exactly one
transaction for its call, on one connection:

- ``reading(network)``: a plain ``sqlite3`` connection in a read transaction, no
  SQLAlchemy imported (the quick path of `due`, `show`, `list`, `match` …);
- ``writing(network)``: a SQLModel ``Session`` that takes the write lock up front,
  commits when the block ends and rolls back if anything raises. Store queries the
  use case needs inside it run on the session's own sqlite3 connection
  (``sql(session)``), inside the same transaction;
- ``writing_sql(network)``: the same transaction on a plain connection, for the use
  cases that write through the store's SQL alone (a rebuild, a tag renamed).

Both bring the schema up to date first and, when an upgrade adds derived data
(search indexes, match candidates), rebuild it from the rows: that policy lives
here, not in ``db.py``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from givenet.postgres import PgConnection

__all__ = ["Network", "Progress"]  # reading, writing and sql are for the core's own modules


POSTGRES_SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True, slots=True)
class Network:
    """Where a network lives: one SQLite file (created owner-only on first write), or a
    team's PostgreSQL database named by its URL (``givenet[team]``, docs/team.md).

    ``Network("~/givenet.db")``, ``Network("postgresql://ana@db.example.org/ourteam")``;
    ``Network.default()`` is the one the command line uses without ``--db``:
    ``$GIVENET_DB``, else ``givenet.db`` in the user's app folder.
    """

    path: Path
    url: str | None  # a PostgreSQL database's; None for a file

    def __init__(self, where: str | os.PathLike[str]) -> None:
        text = os.fspath(where)
        url = text if text.startswith(POSTGRES_SCHEMES) else None
        object.__setattr__(self, "url", url)
        object.__setattr__(self, "path", Path(text if url is None else "").expanduser())

    @property
    def on_postgres(self) -> bool:
        return self.url is not None

    @property
    def member(self) -> str:
        """Who writes through this network: ``$GIVENET_USER``, else the login name."""
        from givenet.db import current_member

        return current_member()

    @property
    def location(self) -> str:
        """What names it: the file's path, or the URL (password and all)."""
        return self.url if self.url is not None else str(self.path)

    @classmethod
    def default(cls) -> Network:
        from givenet.db import default_location

        return cls(default_location())

    def __str__(self) -> str:
        if self.url is not None:
            from givenet.postgres import redacted

            return redacted(self.url)
        return str(self.path)


# How long work tells its progress: ``progress(done, total)``; the face draws it.
Progress = Callable[[int, int], None]


def today_or(day: date | None) -> date:
    """The date a use case works on: the one given, else today (the core's one clock)."""
    return day if day is not None else date.today()


def _rebuild_derived(path: Path) -> None:
    """Fill the indexes a new schema step added, from the rows, in one write transaction."""
    from givenet.db import rebuild_done, write_connection
    from givenet.store.search import rebuild_all

    with write_connection(path) as connection:
        rebuild_all(connection)
        rebuild_done(connection)


def _rebuild_in_step(db: PgConnection) -> None:
    """On PostgreSQL the rebuild runs inside the schema step's own transaction."""
    from givenet.store.search import rebuild_all

    rebuild_all(db)  # type: ignore[arg-type]


@contextmanager
def reading(network: Network) -> Iterator[sqlite3.Connection]:
    """A read transaction on a plain sqlite3 connection; nothing is ever committed.

    On PostgreSQL, a read-only transaction on one snapshot, through the connection
    that speaks the store's SQL (``postgres.PgConnection``)."""
    if network.url is not None:
        from givenet import postgres

        with postgres.read_connection(network.url, _rebuild_in_step) as db:
            yield db  # type: ignore[misc]
        return
    from givenet.db import read_connection

    with read_connection(network.path, after_upgrade=_rebuild_derived) as connection:
        yield connection


@contextmanager
def writing(network: Network, *, write: bool = True, in_memory: bool = False) -> Iterator[Session]:
    """One write transaction (``BEGIN IMMEDIATE``): commit at the end, roll back on error.

    ``write=False`` opens the same session without the write lock, for the few use
    cases that read through the models. ``in_memory=True`` (a dry run, rolled back)
    keeps the changes in memory, so that nothing is written to the disk.
    """
    member = network.member
    if network.url is not None:
        from givenet import postgres

        with (
            postgres.session(network.url, write=write, rebuild=_rebuild_in_step) as db_session,
            _recording(db_session, member, listed=write and not in_memory),
        ):
            yield db_session
        return
    from givenet.db import session

    with (
        session(
            network.path, write=write, after_upgrade=_rebuild_derived, spill=not in_memory
        ) as db_session,
        _recording(db_session, member, listed=write and not in_memory),
    ):
        yield db_session


@contextmanager
def _recording(db_session: Session, member: str, *, listed: bool) -> Iterator[None]:
    """Every meeting, note, ask, offer, intro, promise and ledger line this session adds
    through the models records ``member`` (the store's plain inserts are told it), and
    a write that added anything lists the member (``info["recorded"]``; schema 6)."""
    from sqlalchemy import event

    db_session.info["member"] = member

    def stamp(session: Session, _context: object, _instances: object) -> None:
        for added in session.new:
            session.info["recorded"] = True
            if hasattr(added, "recorded_by") and added.recorded_by is None:
                added.recorded_by = member

    event.listen(db_session, "before_flush", stamp)
    yield
    if listed and db_session.info.get("recorded"):  # a dry run (in memory) lists nobody
        from givenet.store.members import record_member

        db_session.flush()
        record_member(sql(db_session), member, today_or(None))


@contextmanager
def writing_sql(
    network: Network, *, dry_run: bool = False, references_later: bool = False
) -> Iterator[sqlite3.Connection]:
    """``writing``'s transaction for a use case that writes through the store's SQL
    alone: on SQLite a plain sqlite3 connection (``BEGIN IMMEDIATE``; SQLAlchemy and
    the models are not imported: 40 MiB of a rebuild's peak), on PostgreSQL the
    connection under ``writing``'s session. ``dry_run``: the changes are kept in memory
    and rolled back at the end. ``references_later``: on SQLite the rows' references
    are not checked as they are written; the use case checks them before the end."""
    if network.url is not None:
        with writing(network, in_memory=dry_run) as db_session:
            yield sql(db_session)
            if dry_run:
                db_session.rollback()
        return
    from givenet.db import write_connection

    with write_connection(
        network.path,
        after_upgrade=_rebuild_derived,
        dry_run=dry_run,
        foreign_keys=not references_later,
    ) as connection:
        yield connection


def sql(db_session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under a session: the store's plain-SQL reads run on it."""
    from givenet.store.sql import driver

    return driver(db_session)

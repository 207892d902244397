"""Plain SQL against the database, with nothing heavier than sqlite3.

The store's one convention: **plain SQL runs on a ``sqlite3.Connection``, and only
on one.** Every helper here (``rows``, ``execute``, ``scalar``, ``tags_by_owner``,
``my_values``) and every store function that reads or writes in plain SQL
(``lookup``, ``listing``, ``profile``, ``ranking``, ``matches``, ``config``,
``exporting``, ``search``, the reads of ``events`` and ``safety``) takes ``db:
sqlite3.Connection``. A read-only use case passes the connection of
``core.network.reading``; a writing one passes ``sql(session)``.

Functions that write through the models take ``session: Session`` and nothing
else; when they also run plain SQL they hand ``driver(session)``, the sqlite3
connection under the session, to these helpers: the same connection, inside the
same transaction. Modules that only read import neither SQLAlchemy nor SQLModel,
which is most of a short command's start-up time (``Session`` is named here for
the type checker only).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from givenet.vocab import chunks

if TYPE_CHECKING:
    from sqlmodel import Session


def now() -> datetime:
    """When a record was entered, in UTC (never used by the rules)."""
    return datetime.now(UTC).replace(microsecond=0)


def driver(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under a session, for the plain SQL of a function that writes.

    Plain SQL goes straight to it: for listings of thousands of rows, SQLAlchemy's
    row objects cost more than the query.
    """
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        from givenet.postgres import driver as postgres_driver

        return postgres_driver(session)  # type: ignore[return-value]
    return session.connection().connection.driver_connection  # type: ignore[return-value]


def rows(
    db: sqlite3.Connection, sql: str, params: Mapping[str, Any] | Sequence[Any] = ()
) -> list[Any]:
    """Run plain SQL (``?`` or ``:name`` placeholders) and return its rows as tuples."""
    return db.execute(sql, params).fetchall()


def execute(
    db: sqlite3.Connection, sql: str, params: Mapping[str, Any] | Sequence[Any] = ()
) -> int:
    """Run one plain SQL write; return the number of rows it changed."""
    return db.execute(sql, params).rowcount


def scalar(db: sqlite3.Connection, sql: str, params: Mapping[str, Any] | Sequence[Any] = ()) -> Any:
    result = rows(db, sql, params)
    return result[0][0] if result else None


def placeholders(count: int) -> str:
    return ", ".join("?" * count)


def to_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def tags_by_owner(
    db: sqlite3.Connection, link_table: str, owner_column: str, owner_ids: Sequence[int]
) -> dict[int, list[str]]:
    """Tag names per owner through a link table (person_tag, ask_tag …), by tag, in chunks."""
    found: dict[int, list[str]] = {}
    ids = list(owner_ids)
    for chunk in chunks(ids):
        for owner, name in rows(
            db,
            f"SELECT {link_table}.{owner_column}, tag.name FROM {link_table} "
            f"JOIN tag ON tag.id = {link_table}.tag_id "
            f"WHERE {link_table}.{owner_column} IN ({placeholders(len(chunk))}) ORDER BY tag.key",
            chunk,
        ):
            found.setdefault(owner, []).append(name)
    return found


def my_values(db: sqlite3.Connection) -> list[str]:
    """The user's own values and interests (tags), by name."""
    return [
        row[0]
        for row in rows(
            db, "SELECT tag.name FROM me_tag JOIN tag ON tag.id = me_tag.tag_id ORDER BY tag.key"
        )
    ]

"""Plain SQL against the database, with nothing heavier than sqlite3.

Every store function takes ``db``: the command's SQLModel ``Session`` (writing
commands) or, on the read-only fast path of `due`, the sqlite3 connection
itself (``givenet.db.read_connection``). Either way the SQL runs on the same
sqlite3 connection, inside the command's one transaction. Modules that only
read through these helpers import neither SQLAlchemy nor SQLModel, which is
most of a short command's start-up time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

    Db = Session | sqlite3.Connection
else:
    Db = Any


def driver(db: Db) -> sqlite3.Connection:
    """The sqlite3 connection under a session (or the connection itself).

    Plain SQL goes straight to it: for listings of thousands of rows, SQLAlchemy's
    row objects cost more than the query.
    """
    if isinstance(db, sqlite3.Connection):
        return db
    return db.connection().connection.driver_connection  # type: ignore[return-value]


def rows(db: Db, sql: str, params: Mapping[str, Any] | Sequence[Any] = ()) -> list[Any]:
    """Run plain SQL (``?`` or ``:name`` placeholders) and return its rows as tuples."""
    return driver(db).execute(sql, params).fetchall()


def execute(db: Db, sql: str, params: Mapping[str, Any] | Sequence[Any] = ()) -> int:
    """Run one plain SQL write; return the number of rows it changed."""
    return driver(db).execute(sql, params).rowcount


def scalar(db: Db, sql: str, params: Mapping[str, Any] | Sequence[Any] = ()) -> Any:
    result = rows(db, sql, params)
    return result[0][0] if result else None


def placeholders(count: int) -> str:
    return ", ".join("?" * count)


def to_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def tags_by_owner(
    db: Db, link_table: str, owner_column: str, owner_ids: Sequence[int]
) -> dict[int, list[str]]:
    """Tag names per owner through a link table (person_tag, ask_tag …), by tag, in chunks."""
    found: dict[int, list[str]] = {}
    ids = list(owner_ids)
    for start in range(0, len(ids), 900):  # SQLite's limit on bound parameters
        chunk = ids[start : start + 900]
        for owner, name in rows(
            db,
            f"SELECT {link_table}.{owner_column}, tag.name FROM {link_table} "
            f"JOIN tag ON tag.id = {link_table}.tag_id "
            f"WHERE {link_table}.{owner_column} IN ({placeholders(len(chunk))}) ORDER BY tag.key",
            chunk,
        ):
            found.setdefault(owner, []).append(name)
    return found


def my_values(db: Db) -> list[str]:
    """The user's own values and interests (tags), by name."""
    return [
        row[0]
        for row in rows(
            db, "SELECT tag.name FROM me_tag JOIN tag ON tag.id = me_tag.tag_id ORDER BY tag.key"
        )
    ]

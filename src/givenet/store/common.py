"""Small pieces every part of the store shares: raw queries, tags, record look-up.

This is the SQLModel side of the store: every function here that takes a
``Session`` writes or reads through the models. Its plain SQL follows the store's
one convention (see ``store/sql.py``): the helpers re-exported below take a
``sqlite3.Connection`` only, and a function holding a session passes them
``driver(session)``, the sqlite3 connection under it, in the same transaction::

    db = driver(session)
    found = rows(db, "SELECT id FROM person WHERE key = ?", [key])
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

from givenet.errors import NotFound
from givenet.models import Event, Person, Tag
from givenet.records.people import PersonRef
from givenet.store.lookup import parse_record_id, resolve_named
from givenet.store.sql import (  # noqa: F401  (re-exported: the store's shared helpers)
    driver,
    execute,
    my_values,
    now,
    placeholders,
    rows,
    scalar,
    tags_by_owner,
    to_date,
)
from givenet.store.text import clean_optional, clean_tags, clean_text  # noqa: F401

ModelT = TypeVar("ModelT", bound=SQLModel)


def ensure_tags(session: Session, names: Iterable[str]) -> list[Tag]:
    """The tags with these names, created on first use; the first spelling is kept."""
    tags = []
    for name in clean_tags(names):
        key = name.casefold()
        tag = session.exec(_select(Tag).where(Tag.key == key)).first()
        if tag is None:
            tag = Tag(name=name, key=key)
            session.add(tag)
            session.flush()
        tags.append(tag)
    return tags


def tag_ids(db: sqlite3.Connection, names: Iterable[str]) -> list[int]:
    """Ids of existing tags with these names (unknown names are skipped)."""
    keys = [name.casefold() for name in clean_tags(names)]
    if not keys:
        return []
    found = rows(db, f"SELECT id FROM tag WHERE key IN ({placeholders(len(keys))})", keys)
    return [row[0] for row in found]


def _select(model: type[ModelT]) -> Any:
    from sqlmodel import select

    return select(model)


def ident(record: Any) -> int:
    """The id of a record that has been flushed (SQLModel types it as optional)."""
    assert record.id is not None, f"{type(record).__name__} has no id yet"
    return int(record.id)


def person_ref(person: Person) -> PersonRef:
    """The record naming a person a write touched (``#12 Maria Lopez``)."""
    return PersonRef(ident(person), person.name)


def get_record(session: Session, model: type[ModelT], ref: str | int, label: str) -> ModelT:
    """A record by its id, written ``12`` or ``#12``."""
    record_id = parse_record_id(str(ref), label)
    record = session.get(model, record_id)
    if record is None:
        raise NotFound(f"no {label} #{record_id}")
    return record


def _resolve_named(
    session: Session, table: str, model: type[ModelT], ref: str, label: str
) -> ModelT:
    record = session.get(model, resolve_named(driver(session), table, ref, label)[0])
    assert record is not None
    return record


def resolve_person(session: Session, ref: str) -> Person:
    return _resolve_named(session, "person", Person, ref, "person")


def resolve_event(session: Session, ref: str) -> Event:
    return _resolve_named(session, "event", Event, ref, "event")

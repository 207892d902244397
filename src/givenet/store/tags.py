"""Renaming and merging tags, in plain SQL (no SQLAlchemy: a rename of a tag on many
offers re-matches the open asks it can reach in one pass, as a rebuild does, and runs
on the plain connection of ``core.network.writing_sql``)."""

from __future__ import annotations

import sqlite3

from givenet.errors import InvalidInput
from givenet.records.tags import TagRenamed
from givenet.store import search
from givenet.store.sql import execute, rows
from givenet.store.text import clean_tags

# The tables that link a tag to what carries it, and the owner's column (None: the
# user's own tags, one row per tag).
TAG_LINKS = (
    ("person_tag", "person_id"),
    ("ask_tag", "ask_id"),
    ("offer_tag", "offer_id"),
    ("event_tag", "event_id"),
    ("me_tag", None),
)


def rename_tag(db: sqlite3.Connection, old: str, new: str) -> TagRenamed:
    """Rename a tag, or merge it into an existing one; re-match what carried it."""
    [old_name] = clean_tags([old]) or [""]
    [new_name] = clean_tags([new]) or [""]
    if not old_name or not new_name:
        raise InvalidInput("name the tag to rename and its new name")
    source = rows(db, "SELECT id, name FROM tag WHERE key = ?", [old_name.casefold()])
    if not source:
        raise InvalidInput(f"no tag called {old_name!r}; `givenet tags` lists them")
    source_id, source_name = source[0]
    target = rows(db, "SELECT id FROM tag WHERE key = ?", [new_name.casefold()])
    affected_people = [
        r[0] for r in rows(db, "SELECT person_id FROM person_tag WHERE tag_id = ?", [source_id])
    ]
    affected_asks = [
        r[0] for r in rows(db, "SELECT ask_id FROM ask_tag WHERE tag_id = ?", [source_id])
    ]
    affected_offers = [
        r[0] for r in rows(db, "SELECT offer_id FROM offer_tag WHERE tag_id = ?", [source_id])
    ]
    merged = bool(target) and target[0][0] != source_id
    # What scoring read of the offers the rename changes (theirs, their helpers'), so
    # that only the asks it can reach are matched again.
    retagged = search.Retagged(
        db, people=affected_people, offers=affected_offers, names=[source_name, new_name]
    )
    if merged:
        target_id = target[0][0]
        for table, owner in TAG_LINKS:
            if owner is None:
                execute(
                    db,
                    f"INSERT OR IGNORE INTO {table} (tag_id) SELECT ? FROM {table} WHERE tag_id = ?",
                    [target_id, source_id],
                )
            else:
                execute(
                    db,
                    f"INSERT OR IGNORE INTO {table} ({owner}, tag_id) "
                    f"SELECT {owner}, ? FROM {table} WHERE tag_id = ?",
                    [target_id, source_id],
                )
        execute(db, "DELETE FROM tag WHERE id = ?", [source_id])
    else:
        execute(
            db,
            "UPDATE tag SET name = ?, key = ? WHERE id = ?",
            [new_name, new_name.casefold(), source_id],
        )
    search.many_written(
        db,
        people=sorted(affected_people),
        asks=sorted(affected_asks),
        offers=sorted(affected_offers),
        retagged=retagged,
    )
    return TagRenamed(old=source_name, new=new_name, merged=merged)

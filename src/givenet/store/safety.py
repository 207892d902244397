"""Privacy and duplicates: forget a person without trace, merge two records, find likely twins.

Both `forget` and `merge` are driven by the schema's foreign keys, so a table
added later that refers to a person is handled without a change here
(tests/test_safety.py walks every table to make sure). `forget` and `merge`
take the command's ``Session`` and run their SQL on ``driver(session)``; finding
duplicates is plain SQL on a sqlite3 connection and loads no SQLAlchemy.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from collections import defaultdict
from typing import TYPE_CHECKING

from givenet.errors import InvalidInput
from givenet.migrations import FTS_TABLES
from givenet.records.people import PersonRef
from givenet.records.safety import Duplicate, Merged, Removed
from givenet.store.dialect import on_postgres
from givenet.store.sql import driver, execute, placeholders, rows
from givenet.vocab import chunks

if TYPE_CHECKING:
    from sqlmodel import Session

    from givenet.models import Person

# Person fields `merge` copies from the other record when the kept one has none.
FILLABLE = (
    "org", "role", "location", "url", "cadence_days", "reach", "birthday", "open_to",
    "snoozed_until", "source", "source_connected_on",
)  # fmt: skip


def person_references() -> list[tuple[str, str]]:
    """Every (table, column) whose foreign key points at person.id."""
    from sqlmodel import SQLModel

    import givenet.models  # noqa: F401  (registers every table on SQLModel.metadata)

    found = []
    for table in SQLModel.metadata.sorted_tables:
        for foreign_key in table.foreign_keys:
            if foreign_key.column.table.name == "person":
                found.append((table.name, foreign_key.parent.name))
    return sorted(found)


def forget_person(session: Session, person: Person) -> Removed:
    """Erase a person and everything about them; return what was removed, by kind.

    Meetings where they were the only person go; shared meetings stay without
    them. Intros they were part of go (the other person stays). Tags nobody
    uses any more go. Secure delete zeroes the freed bytes, and the full-text
    indexes are optimised so no deleted term lingers in them.
    """
    from givenet.store import search

    assert person.id is not None
    db = driver(session)
    if not on_postgres(db):  # PostgreSQL: the deleted rows' space is vacuumed after
        execute(db, "PRAGMA secure_delete = ON")
    person_id = person.id
    solo_meetings = [
        row[0]
        for row in rows(
            db,
            "SELECT meeting_id FROM meeting_person WHERE meeting_id IN "
            "(SELECT meeting_id FROM meeting_person WHERE person_id = ?) "
            "GROUP BY meeting_id HAVING COUNT(*) = 1",
            [person_id],
        )
    ]
    asks = [row[0] for row in rows(db, "SELECT id FROM ask WHERE person_id = ?", [person_id])]
    offers = [row[0] for row in rows(db, "SELECT id FROM offer WHERE person_id = ?", [person_id])]
    removed = Removed(
        meetings=len(solo_meetings),
        notes=_count(db, "note", person_id),
        asks=len(asks),
        offers=len(offers),
        promises=_count(db, "promise", person_id),
        gives=_count(db, "give", person_id),
        intros=int(
            rows(
                db,
                "SELECT COUNT(*) FROM intro WHERE ? IN (person_a_id, person_b_id)",
                [person_id],
            )[0][0]
        ),
    )
    # Asks of others met by an intro to them name them in "via": say less.
    execute(
        db,
        "UPDATE ask SET via = 'an intro' WHERE person_id != ? AND id IN ("
        "SELECT ask_id FROM intro WHERE ? IN (person_a_id, person_b_id) AND ask_id IS NOT NULL)",
        [person_id, person_id],
    )
    for ask_id in asks:
        search.forget_ask(db, ask_id)
    for offer_id in offers:
        search.forget_offer(db, offer_id)
    execute(db, "DELETE FROM person_fts WHERE rowid = ?", [person_id])
    if solo_meetings:
        execute(
            db,
            f"DELETE FROM meeting WHERE id IN ({placeholders(len(solo_meetings))})",
            solo_meetings,
        )
    # The database's ON DELETE rules remove the rest (emails, notes, asks, intros …).
    execute(db, "DELETE FROM person WHERE id = ?", [person_id])
    _drop_unused_tags(db)
    optimise_indexes(db)
    session.expire_all()
    return removed


def _count(db: sqlite3.Connection, table: str, person_id: int) -> int:
    return int(rows(db, f"SELECT COUNT(*) FROM {table} WHERE person_id = ?", [person_id])[0][0])


def _drop_unused_tags(db: sqlite3.Connection) -> None:
    execute(
        db,
        "DELETE FROM tag WHERE id NOT IN (SELECT tag_id FROM person_tag) "
        "AND id NOT IN (SELECT tag_id FROM ask_tag) AND id NOT IN (SELECT tag_id FROM offer_tag) "
        "AND id NOT IN (SELECT tag_id FROM event_tag) AND id NOT IN (SELECT tag_id FROM me_tag)",
    )


def optimise_indexes(db: sqlite3.Connection) -> None:
    """Merge the full-text indexes' segments, dropping entries for deleted rows (FTS5's;
    PostgreSQL's indexes are tables, vacuumed after a forget)."""
    if on_postgres(db):
        return
    for table in FTS_TABLES:
        execute(db, f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def holds_person(db: sqlite3.Connection, person_id: int, name: str) -> bool:
    """Whether a database (a backup) has this person: the same id and name."""
    found = db.execute("SELECT 1 FROM person WHERE id = ? AND name = ?", (person_id, name))
    return found.fetchone() is not None


def merge_people(session: Session, keep: Person, other: Person) -> Merged:
    """Move everything of ``other`` onto ``keep``, fill keep's empty fields, delete other."""
    from givenet.store import search

    if keep.id == other.id:
        raise InvalidInput("name two different people to merge")
    assert keep.id is not None and other.id is not None
    keep_id, other_id = keep.id, other.id
    kept, merged = PersonRef(keep_id, keep.name), PersonRef(other_id, other.name)
    filled = []
    for field in FILLABLE:
        if getattr(keep, field) in (None, "") and getattr(other, field) not in (None, ""):
            setattr(keep, field, getattr(other, field))
            filled.append(field)
    for field in ("new_to_field", "no_intros"):
        if getattr(other, field) and not getattr(keep, field):
            setattr(keep, field, True)
            filled.append(field)
    session.add(keep)
    session.flush()
    db = driver(session)
    # Intros between the two would become an intro of a person with themself.
    execute(
        db,
        "DELETE FROM intro WHERE (person_a_id = ? AND person_b_id = ?) OR (person_a_id = ? AND person_b_id = ?)",
        [keep_id, other_id, other_id, keep_id],
    )
    offset = rows(
        db, "SELECT COALESCE(MAX(position) + 1, 0) FROM email WHERE person_id = ?", [keep_id]
    )[0][0]
    execute(
        db,
        "DELETE FROM email WHERE person_id = ? AND key IN (SELECT key FROM email WHERE person_id = ?)",
        [other_id, keep_id],
    )
    execute(db, "UPDATE email SET position = position + ? WHERE person_id = ?", [offset, other_id])
    offset = rows(
        db, "SELECT COALESCE(MAX(position) + 1, 0) FROM phone WHERE person_id = ?", [keep_id]
    )[0][0]
    execute(
        db,
        "DELETE FROM phone WHERE person_id = ? AND number IN (SELECT number FROM phone WHERE person_id = ?)",
        [other_id, keep_id],
    )
    execute(db, "UPDATE phone SET position = position + ? WHERE person_id = ?", [offset, other_id])
    moved: dict[str, int] = {}
    for table, column in person_references():
        # OR IGNORE: a row keep already has (same meeting, same tag) stays once.
        moved[table] = moved.get(table, 0) + execute(
            db,
            f"UPDATE OR IGNORE {table} SET {column} = ? WHERE {column} = ?",
            [keep_id, other_id],
        )
    asks = [row[0] for row in rows(db, "SELECT id FROM ask WHERE person_id = ?", [keep_id])]
    offers = [row[0] for row in rows(db, "SELECT id FROM offer WHERE person_id = ?", [keep_id])]
    execute(db, "DELETE FROM person_fts WHERE rowid = ?", [other_id])
    execute(db, "DELETE FROM person WHERE id = ?", [other_id])
    session.expire_all()
    search.person_written(db, keep_id)
    for ask_id in asks:
        search.ask_written(db, ask_id)
    for offer_id in offers:
        search.offer_written(db, offer_id)
    return Merged(
        kept=kept,
        merged=merged,
        filled=tuple(filled),
        moved={table: count for table, count in moved.items() if count},
    )


_NON_LETTERS = re.compile(r"[^\w\s]", re.UNICODE)


def _name_key(name: str) -> str:
    return " ".join(sorted(_NON_LETTERS.sub(" ", name.casefold()).split()))


def _alike(first: str, second: str) -> bool:
    matcher = difflib.SequenceMatcher(None, first, second)
    return matcher.quick_ratio() >= 0.88 and matcher.ratio() >= 0.88


def likely_duplicates(db: sqlite3.Connection) -> list[Duplicate]:
    """Pairs that are probably one person: same email, same URL, or very similar names."""
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)

    def pair(a: int, b: int, why: str) -> None:
        key = (min(a, b), max(a, b))
        if why not in reasons[key]:
            reasons[key].append(why)

    shared_values = (
        ("same email", "SELECT key, group_concat(DISTINCT person_id) FROM email GROUP BY key "
         "HAVING COUNT(DISTINCT person_id) > 1"),
        ("same URL", "SELECT casefold(rtrim(url, '/')), group_concat(id) FROM person "
         "WHERE url IS NOT NULL AND url != '' GROUP BY 1 HAVING COUNT(*) > 1"),
    )  # fmt: skip
    for label, sql in shared_values:
        for value, ids in rows(db, sql):
            found = sorted(int(i) for i in ids.split(","))
            for index, first in enumerate(found):
                for second in found[index + 1 :]:
                    pair(first, second, f"{label} {value}")
    people = rows(db, "SELECT id, name FROM person")
    blocks: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for person_id, name in people:
        key = _name_key(name)
        if key:
            # Only names alike at the start of their first and last words are compared,
            # so the work grows with the network, not with its square.
            words = key.split()
            blocks[f"{words[0][:2]}|{words[-1][:1]}"].append((person_id, key))
    for block in blocks.values():
        block.sort()
        for index, (first_id, first_key) in enumerate(block):
            for second_id, second_key in block[index + 1 :]:
                if first_key == second_key:
                    pair(first_id, second_id, "same name")
                elif abs(len(first_key) - len(second_key)) <= 3 and _alike(first_key, second_key):
                    pair(first_id, second_id, "similar names")
    if not reasons:
        return []
    ids = sorted({person_id for key in reasons for person_id in key})
    names: dict[int, str] = {}
    for chunk in chunks(ids):
        names.update(
            rows(db, f"SELECT id, name FROM person WHERE id IN ({placeholders(len(chunk))})", chunk)
        )
    return [
        Duplicate(people=(PersonRef(a, names[a]), PersonRef(b, names[b])), reasons=tuple(why))
        for (a, b), why in sorted(reasons.items())
    ]

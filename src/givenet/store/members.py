"""A team's members: who has written to the network (plain SQL, both engines)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING

from givenet.store.sql import execute, placeholders, rows
from givenet.vocab import chunks

if TYPE_CHECKING:
    from givenet.records.profile import MemberTouch


def record_member(db: sqlite3.Connection, member: str, day: date) -> None:
    """List ``member`` among those who have written to the network (once)."""
    execute(
        db,
        "INSERT INTO member (name, first_seen) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        [member, day.isoformat()],
    )


def several(db: sqlite3.Connection) -> bool:
    """Whether more than one member has written (a team's network, not a personal file)."""
    return len(rows(db, "SELECT name FROM member LIMIT 2")) > 1


def known_by(db: sqlite3.Connection, person_ids: list[int]) -> dict[int, list[MemberTouch]]:
    """Per person, each member who logged a meeting with them: how many, the last;
    the member met most recently first, then the one met most often."""
    from givenet.records.profile import MemberTouch

    found: dict[int, list[MemberTouch]] = {}
    for chunk in chunks(person_ids):
        for person_id, member, count, last in rows(
            db,
            "SELECT meeting_person.person_id, meeting.recorded_by, COUNT(*), MAX(meeting.date) "
            "FROM meeting_person JOIN meeting ON meeting.id = meeting_person.meeting_id "
            f"WHERE meeting_person.person_id IN ({placeholders(len(chunk))}) "
            "AND meeting.recorded_by IS NOT NULL "
            "GROUP BY meeting_person.person_id, meeting.recorded_by "
            "ORDER BY meeting_person.person_id, MAX(meeting.date) DESC, COUNT(*) DESC, "
            "meeting.recorded_by",
            chunk,
        ):
            found.setdefault(person_id, []).append(
                MemberTouch(member, count, date.fromisoformat(last))
            )
    return found


# The people a member is in touch with: anyone they recorded a meeting, note, ask,
# offer, promise, ledger line or intro with.
_MINE = """
SELECT meeting_person.person_id FROM meeting_person
    JOIN meeting ON meeting.id = meeting_person.meeting_id WHERE meeting.recorded_by = :member
UNION SELECT person_id FROM note WHERE recorded_by = :member
UNION SELECT person_id FROM ask WHERE recorded_by = :member
UNION SELECT person_id FROM offer WHERE recorded_by = :member
UNION SELECT person_id FROM promise WHERE recorded_by = :member
UNION SELECT person_id FROM give WHERE recorded_by = :member
UNION SELECT person_a_id FROM intro WHERE recorded_by = :member
UNION SELECT person_b_id FROM intro WHERE recorded_by = :member"""
# ... and those no member has met yet (imported, added, met before schema 6).
_UNMET = """
SELECT id FROM person WHERE NOT EXISTS (SELECT 1 FROM meeting_person
    JOIN meeting ON meeting.id = meeting_person.meeting_id
    WHERE meeting_person.person_id = person.id AND meeting.recorded_by IS NOT NULL)"""


def people_of(db: sqlite3.Connection, member: str) -> frozenset[int]:
    """Whose morning list a member of a team sees: the people they are in touch with,
    and the people no member has met yet."""
    return frozenset(row[0] for row in rows(db, f"{_MINE} UNION {_UNMET}", {"member": member}))


def members(db: sqlite3.Connection) -> list[str]:
    """Who has written to the network, by name."""
    return [row[0] for row in rows(db, "SELECT name FROM member ORDER BY name")]

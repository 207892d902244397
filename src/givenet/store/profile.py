"""Everything held on one person, for `givenet show` and `givenet why`: plain SQL only.

`why` needs only :func:`score_person`: the records of a profile and the listings
are imported by the functions that build them, so it loads neither.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING

from givenet.records.people import PersonRef
from givenet.rules import Ranked, evaluate
from givenet.store.members import known_by, several
from givenet.store.ranking import gather_facts, ranking_context
from givenet.store.sql import rows, to_date

if TYPE_CHECKING:
    from givenet.records.profile import (
        Profile,
        ProfileGive,
        ProfileIntro,
        ProfileMeeting,
        ProfileNote,
    )


def score_person(db: sqlite3.Connection, person_id: int, today: date) -> Ranked:
    """Every factor for one person as of ``today`` (what `why` shows)."""
    context = ranking_context(db, today)
    facts = gather_facts(db, context, [person_id])
    return evaluate(facts[0], context)


def meetings_of(db: sqlite3.Connection, person_id: int) -> list[ProfileMeeting]:
    from givenet.records.profile import MeetingEvent, ProfileMeeting

    found = rows(
        db,
        "SELECT meeting.id, meeting.date, meeting.kind, meeting.event_id, event.name, meeting.note, "
        "meeting.recorded_by FROM meeting JOIN meeting_person ON meeting_person.meeting_id = meeting.id "
        "LEFT JOIN event ON event.id = meeting.event_id "
        "WHERE meeting_person.person_id = ? ORDER BY meeting.date, meeting.id",
        [person_id],
    )
    others: dict[int, list[PersonRef]] = {}
    for meeting_id, other_id, other_name in rows(
        db,
        "SELECT mine.meeting_id, person.id, person.name FROM meeting_person AS mine "
        "JOIN meeting_person AS theirs ON theirs.meeting_id = mine.meeting_id "
        "AND theirs.person_id != mine.person_id JOIN person ON person.id = theirs.person_id "
        "WHERE mine.person_id = ? ORDER BY person.key",
        [person_id],
    ):
        others.setdefault(meeting_id, []).append(PersonRef(other_id, other_name))
    return [
        ProfileMeeting(
            id=row[0],
            date=date.fromisoformat(row[1]),
            kind=row[2],
            event=MeetingEvent(row[3], row[4]) if row[3] else None,
            note=row[5],
            with_=tuple(others.get(row[0], ())),
            recorded_by=row[6],
        )
        for row in found
    ]


def notes_of(db: sqlite3.Connection, person_id: int) -> list[ProfileNote]:
    from givenet.records.profile import ProfileNote

    return [
        ProfileNote(id=row[0], date=date.fromisoformat(row[1]), text=row[2], recorded_by=row[3])
        for row in rows(
            db,
            "SELECT id, date, text, recorded_by FROM note WHERE person_id = ? ORDER BY date, id",
            [person_id],
        )
    ]


def intros_of(db: sqlite3.Connection, person_id: int) -> list[ProfileIntro]:
    from givenet.records.profile import ProfileIntro

    found = rows(
        db,
        "SELECT intro.id, intro.date, intro.status, intro.status_on, intro.ask_id, intro.note, "
        "other.id, other.name FROM intro JOIN person AS other ON other.id = "
        "CASE WHEN intro.person_a_id = ? THEN intro.person_b_id ELSE intro.person_a_id END "
        "WHERE ? IN (intro.person_a_id, intro.person_b_id) ORDER BY intro.date, intro.id",
        [person_id, person_id],
    )
    return [
        ProfileIntro(
            id=row[0],
            date=date.fromisoformat(row[1]),
            status=row[2],
            status_on=to_date(row[3]),
            ask_id=row[4],
            note=row[5],
            with_=PersonRef(row[6], row[7]),
        )
        for row in found
    ]


def gives_of(db: sqlite3.Connection, person_id: int) -> list[ProfileGive]:
    """The ledger with one person, oldest first."""
    from givenet.records.profile import ProfileGive

    return [
        ProfileGive(
            id=row[0],
            direction=row[1],
            date=date.fromisoformat(row[2]),
            what=row[3],
            ask_id=row[4],
            intro_id=row[5],
        )
        for row in rows(
            db,
            "SELECT id, direction, date, what, ask_id, intro_id FROM give WHERE person_id = ? "
            "ORDER BY date, id",
            [person_id],
        )
    ]


def person_profile(db: sqlite3.Connection, person_id: int, today: date) -> Profile:
    """The shape of `show --json`: the person's fields plus everything linked to them."""
    from givenet.records.profile import Balance, Profile
    from givenet.store.listing import build_people, list_asks, list_offers, list_promises

    gives = tuple(gives_of(db, person_id))
    linked = (
        tuple(meetings_of(db, person_id)),
        tuple(notes_of(db, person_id)),
        tuple(list_asks(db, include_closed=True, person_id=person_id)),
        tuple(list_offers(db, include_withdrawn=True, person_id=person_id)),
        tuple(list_promises(db, include_kept=True, person_id=person_id)),
        tuple(intros_of(db, person_id)),
        gives,
        Balance(
            gave=sum(1 for give in gives if give.direction == "gave"),
            got=sum(1 for give in gives if give.direction == "got"),
        ),
        today,
        score_person(db, person_id, today),
        tuple(known_by(db, [person_id]).get(person_id, ())) if several(db) else (),
    )
    # The fields as one tuple: mypy cannot count what a star unpacks.
    [profile] = build_people(db, lambda *person: Profile(*(*person, *linked)), [person_id])
    return profile

"""Events: who is expected, who was met, what is left to follow up, and the briefing.

The reads (`events`, `event show`, `event prep`) are plain SQL on ``db``, a
``sqlite3.Connection`` (see ``store/sql.py``), and import no SQLAlchemy; they
return the records of ``givenet.records.events``. Only ``attend`` writes, through
the command's ``Session`` (its SQL on ``driver(session)``).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from givenet.briefing import follow_up_state, openers
from givenet.records.events import (
    Attendance,
    Attendee,
    AttendeeAsk,
    EventDetail,
    EventListed,
    EventPrep,
    EventPromise,
    EventRef,
    HelperOffer,
    MetThere,
    WorthInviting,
)
from givenet.records.people import PersonRef
from givenet.store.listing import list_events
from givenet.store.sql import driver, my_values, placeholders, rows, tags_by_owner, to_date

if TYPE_CHECKING:
    from sqlmodel import Session

    from givenet.models import Person

# People met at each event who have had no touch since that meeting.
OPEN_FOLLOW_UPS = """
SELECT meeting.event_id, COUNT(DISTINCT meeting_person.person_id)
FROM meeting JOIN meeting_person ON meeting_person.meeting_id = meeting.id
WHERE meeting.event_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM meeting_person AS later_person
    JOIN meeting AS later ON later.id = later_person.meeting_id
    WHERE later_person.person_id = meeting_person.person_id AND later.date > meeting.date)
GROUP BY meeting.event_id
"""


def events_with_follow_ups(
    db: sqlite3.Connection, upcoming_from: date | None = None
) -> list[EventListed]:
    """`events`: each event with how many people met there still await a follow-up."""
    open_counts: dict[int, int] = dict(rows(db, OPEN_FOLLOW_UPS))
    return list_events(db, upcoming_from=upcoming_from, follow_ups_open=open_counts)


def attend(session: Session, event_id: int, people: Sequence[Person]) -> list[Attendance]:
    """Record people as expected at an event (someone already met there stays met)."""
    from givenet.store.activity import mark_attended
    from givenet.store.common import ident

    result = []
    for person in {ident(p): p for p in people}.values():
        person_id = ident(person)
        mark_attended(session, event_id, person_id, "expected")
        session.flush()
        status = rows(
            driver(session),
            "SELECT status FROM event_attendee WHERE event_id = ? AND person_id = ?",
            [event_id, person_id],
        )[0][0]
        result.append(Attendance(PersonRef(person_id, person.name), status))
    return result


def _touches(
    db: sqlite3.Connection, person_ids: Sequence[int], until: date
) -> dict[int, tuple[date, int]]:
    """Last touch and number of touches per person, counting meetings up to ``until``."""
    if not person_ids:
        return {}
    return {
        row[0]: (date.fromisoformat(row[1]), row[2])
        for row in rows(
            db,
            "SELECT meeting_person.person_id, MAX(meeting.date), COUNT(*) FROM meeting_person "
            "JOIN meeting ON meeting.id = meeting_person.meeting_id "
            f"WHERE meeting_person.person_id IN ({placeholders(len(person_ids))}) "
            "AND meeting.date <= ? GROUP BY meeting_person.person_id",
            [*person_ids, until.isoformat()],
        )
    }


def _event_head(db: sqlite3.Connection, event_id: int) -> EventListed:
    [head] = list_events(db, event_ids=[event_id])
    return head


def event_detail(db: sqlite3.Connection, event_id: int, today: date, window: int) -> EventDetail:
    """`event show`: when and where, topics, expected and met people, follow-ups, promises."""
    head = _event_head(db, event_id)
    attendees = rows(
        db,
        "SELECT person.id, person.name, event_attendee.status FROM event_attendee "
        "JOIN person ON person.id = event_attendee.person_id WHERE event_attendee.event_id = ? "
        "ORDER BY person.key",
        [event_id],
    )
    met_on: dict[int, str] = dict(
        rows(
            db,
            "SELECT meeting_person.person_id, MIN(meeting.date) FROM meeting "
            "JOIN meeting_person ON meeting_person.meeting_id = meeting.id "
            "WHERE meeting.event_id = ? GROUP BY meeting_person.person_id",
            [event_id],
        )
    )
    touches = _touches(db, [row[0] for row in attendees], today)
    met = []
    for pid, name, status in attendees:
        if status != "met" or pid not in met_on:
            continue
        day = date.fromisoformat(met_on[pid])
        last = touches[pid][0] if pid in touches else None
        met.append(MetThere(pid, name, day, last, follow_up_state(day, last, today, window)))
    promises = tuple(
        EventPromise(
            id=row[0],
            person=PersonRef(row[1], row[2]),
            text=row[3],
            due=date.fromisoformat(row[4]),
            kept_on=to_date(row[5]),
        )
        for row in rows(
            db,
            "SELECT promise.id, person.id, person.name, promise.text, promise.due, promise.kept_on "
            "FROM promise JOIN meeting ON meeting.id = promise.meeting_id "
            "JOIN person ON person.id = promise.person_id WHERE meeting.event_id = ? "
            "ORDER BY promise.due, promise.id",
            [event_id],
        )
    )
    return EventDetail(
        id=head.id,
        name=head.name,
        date=head.date,
        place=head.place,
        notes=head.notes,
        topics=head.topics,
        expected=tuple(
            PersonRef(pid, name) for pid, name, status in attendees if status == "expected"
        ),
        met=tuple(met),
        promises=promises,
    )


def _open_asks(
    db: sqlite3.Connection, person_ids: Sequence[int]
) -> dict[int, list[tuple[int, str]]]:
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if not person_ids:
        return found
    for ask_id, pid, text in rows(
        db,
        "SELECT id, person_id, text FROM ask WHERE status = 'open' "
        f"AND person_id IN ({placeholders(len(person_ids))}) ORDER BY urgent DESC, due IS NULL, due, id",
        list(person_ids),
    ):
        found[pid].append((ask_id, text))
    return found


def _last_notes(db: sqlite3.Connection, person_ids: Sequence[int]) -> dict[int, str]:
    """The note of each person's latest meeting that has one."""
    if not person_ids:
        return {}
    return {
        row[0]: row[1]
        for row in rows(
            db,
            "SELECT meeting_person.person_id, meeting.note FROM meeting "
            "JOIN meeting_person ON meeting_person.meeting_id = meeting.id "
            "WHERE meeting.note IS NOT NULL "
            f"AND meeting_person.person_id IN ({placeholders(len(person_ids))}) "
            "ORDER BY meeting.date, meeting.id",
            list(person_ids),
        )
    }


def _helper_offers(
    db: sqlite3.Connection, today: date, recent_days: int, asker_ids: Sequence[int]
) -> dict[int, list[HelperOffer]]:
    """Per ask of these people: the offers in the network that could meet it, best first."""
    from givenet.store.matches import find_matches

    found: dict[int, list[HelperOffer]] = defaultdict(list)
    for match in find_matches(db, today, recent_days=recent_days, asker_ids=asker_ids):
        found[match.ask_id].append(
            HelperOffer(match.helper, match.offer_id, match.offer, match.matched, match.why)
        )
    return found


def event_prep(db: sqlite3.Connection, event_id: int, today: date, recent_days: int) -> EventPrep:
    """`event prep`: the briefing before an event."""
    head = _event_head(db, event_id)
    topic_keys = {topic.casefold() for topic in head.topics}
    values = my_values(db)
    overlap = tuple(value for value in values if value.casefold() in topic_keys)
    expected = rows(
        db,
        "SELECT person.id, person.name, person.org, person.role FROM event_attendee "
        "JOIN person ON person.id = event_attendee.person_id "
        "WHERE event_attendee.event_id = ? ORDER BY person.key",
        [event_id],
    )
    ids = [row[0] for row in expected]
    tags = tags_by_owner(db, "person_tag", "person_id", ids)
    touches = _touches(db, ids, today)
    asks = _open_asks(db, ids)
    last_notes = _last_notes(db, ids)
    offers = _helper_offers(db, today, recent_days, ids)
    known: list[Attendee] = []
    unknown: list[Attendee] = []
    for pid, name, org, role in expected:
        person_tags = tags.get(pid, [])
        shared = [tag for tag in person_tags if tag.casefold() in topic_keys]
        person_asks = asks.get(pid, [])
        last_touch, count = touches.get(pid, (None, None))
        attendee = Attendee(
            id=pid,
            name=name,
            org=org,
            role=role,
            tags=tuple(person_tags),
            open_asks=tuple(
                AttendeeAsk(ask_id, text, tuple(offers.get(ask_id, ())))
                for ask_id, text in person_asks
            ),
            openers=tuple(
                openers(
                    asks=[text for _, text in person_asks],
                    last_note=last_notes.get(pid),
                    tags=person_tags,
                    role=role,
                    org=org,
                    shared_topics=shared,
                )
            ),
            last_touch=last_touch,
            touches=count,
        )
        (known if attendee.known else unknown).append(attendee)
    inviting = []
    if topic_keys:
        candidates = rows(
            db,
            "SELECT person.id, person.name FROM person WHERE EXISTS (SELECT 1 FROM person_tag "
            "JOIN tag ON tag.id = person_tag.tag_id WHERE person_tag.person_id = person.id "
            f"AND tag.key IN ({placeholders(len(topic_keys))})) ORDER BY person.key, person.id",
            sorted(topic_keys),
        )
        coming = set(ids)
        others = [row for row in candidates if row[0] not in coming]
        other_tags = tags_by_owner(db, "person_tag", "person_id", [row[0] for row in others])
        for pid, name in others:
            shared = [tag for tag in other_tags.get(pid, []) if tag.casefold() in topic_keys]
            inviting.append(WorthInviting(pid, name, tuple(shared)))
    return EventPrep(
        id=head.id,
        name=head.name,
        date=head.date,
        place=head.place,
        notes=head.notes,
        topics=head.topics,
        expected=head.expected,
        met=head.met,
        your_values=tuple(values),
        topic_overlap=overlap,
        known_attendees=tuple(known),
        new_attendees=tuple(unknown),
        worth_inviting=tuple(inviting),
    )


# The current event (`event start`): its id and when it ends, as seconds since the
# epoch, in the setting table beside the settings (numbers, as every setting is).
CURRENT_EVENT = "event.current"
CURRENT_UNTIL = "event.current_until"


def current_event(db: sqlite3.Connection, now: datetime) -> int | None:
    """The id of the event `event start` set, while it lasts; else None."""
    stored = dict(
        db.execute(
            "SELECT key, value FROM setting WHERE key IN (?, ?)", [CURRENT_EVENT, CURRENT_UNTIL]
        ).fetchall()
    )
    if CURRENT_EVENT not in stored or float(stored.get(CURRENT_UNTIL, 0)) <= now.timestamp():
        return None
    event_id = int(float(stored[CURRENT_EVENT]))
    found = db.execute("SELECT 1 FROM event WHERE id = ?", [event_id]).fetchone()
    return event_id if found else None


def set_current_event(db: sqlite3.Connection, event_id: int | None, until: datetime) -> None:
    """Make ``event_id`` the current event until ``until`` (None: no current event)."""
    db.execute("DELETE FROM setting WHERE key IN (?, ?)", [CURRENT_EVENT, CURRENT_UNTIL])
    if event_id is not None:
        db.executemany(
            "INSERT INTO setting (key, value) VALUES (?, ?)",
            [(CURRENT_EVENT, repr(float(event_id))), (CURRENT_UNTIL, repr(until.timestamp()))],
        )


def event_ref(db: sqlite3.Connection, event_id: int) -> EventRef:
    [(name, on)] = db.execute("SELECT name, date FROM event WHERE id = ?", [event_id]).fetchall()
    return EventRef(event_id, name, date.fromisoformat(on))

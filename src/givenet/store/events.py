"""Events: who is expected, who was met, what is left to follow up, and the briefing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import Session

from givenet.briefing import follow_up_state, openers
from givenet.models import Event, Person
from givenet.store.activity import mark_attended
from givenet.store.common import placeholders, rows, tags_by_owner, to_date
from givenet.store.listing import list_events
from givenet.store.people import my_values

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
    session: Session, upcoming_from: date | None = None
) -> list[dict[str, Any]]:
    """`events`: each event with how many people met there still await a follow-up."""
    found = list_events(session, upcoming_from=upcoming_from)
    open_counts = dict(rows(session, OPEN_FOLLOW_UPS))
    for event in found:
        event["follow_ups_open"] = open_counts.get(event["id"], 0)
    return found


def attend(session: Session, event: Event, people: Sequence[Person]) -> list[tuple[Person, str]]:
    """Record people as expected at an event (someone already met there stays met)."""
    result = []
    for person in {p.id: p for p in people}.values():
        mark_attended(session, event.id, person.id, "expected")  # type: ignore[arg-type]
        session.flush()
        status = rows(
            session,
            "SELECT status FROM event_attendee WHERE event_id = ? AND person_id = ?",
            [event.id, person.id],
        )[0][0]
        result.append((person, status))
    return result


def _touches(
    session: Session, person_ids: Sequence[int], until: date
) -> dict[int, tuple[str | None, int]]:
    """Last touch and number of touches per person, counting meetings up to ``until``."""
    if not person_ids:
        return {}
    return {
        row[0]: (row[1], row[2])
        for row in rows(
            session,
            "SELECT meeting_person.person_id, MAX(meeting.date), COUNT(*) FROM meeting_person "
            "JOIN meeting ON meeting.id = meeting_person.meeting_id "
            f"WHERE meeting_person.person_id IN ({placeholders(len(person_ids))}) "
            "AND meeting.date <= ? GROUP BY meeting_person.person_id",
            [*person_ids, until.isoformat()],
        )
    }


def _event_head(session: Session, event: Event) -> dict[str, Any]:
    [head] = list_events(session, event_ids=[event.id])  # type: ignore[list-item]
    return head


def event_detail(session: Session, event: Event, today: date, window: int) -> dict[str, Any]:
    """`event show`: when and where, topics, expected and met people, follow-ups, promises."""
    detail = _event_head(session, event)
    attendees = rows(
        session,
        "SELECT person.id, person.name, event_attendee.status FROM event_attendee "
        "JOIN person ON person.id = event_attendee.person_id WHERE event_attendee.event_id = ? "
        "ORDER BY person.key",
        [event.id],
    )
    met_on = dict(
        rows(
            session,
            "SELECT meeting_person.person_id, MIN(meeting.date) FROM meeting "
            "JOIN meeting_person ON meeting_person.meeting_id = meeting.id "
            "WHERE meeting.event_id = ? GROUP BY meeting_person.person_id",
            [event.id],
        )
    )
    touches = _touches(session, [row[0] for row in attendees], today)
    detail["expected"] = [
        {"id": pid, "name": name} for pid, name, status in attendees if status == "expected"
    ]
    met = []
    for pid, name, status in attendees:
        if status != "met" or pid not in met_on:
            continue
        day = to_date(met_on[pid])
        last = to_date(touches.get(pid, (None, 0))[0])
        met.append(
            {
                "id": pid,
                "name": name,
                "met_on": met_on[pid],
                "last_touch": touches.get(pid, (None, 0))[0],
                "follow_up": follow_up_state(day, last, today, window),  # type: ignore[arg-type]
            }
        )
    detail["met"] = met
    detail["promises"] = [
        {
            "id": row[0],
            "person": {"id": row[1], "name": row[2]},
            "text": row[3],
            "due": row[4],
            "kept_on": row[5],
        }
        for row in rows(
            session,
            "SELECT promise.id, person.id, person.name, promise.text, promise.due, promise.kept_on "
            "FROM promise JOIN meeting ON meeting.id = promise.meeting_id "
            "JOIN person ON person.id = promise.person_id WHERE meeting.event_id = ? "
            "ORDER BY promise.due, promise.id",
            [event.id],
        )
    ]
    return detail


def _open_asks(session: Session, person_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if not person_ids:
        return found
    for ask_id, pid, text in rows(
        session,
        "SELECT id, person_id, text FROM ask WHERE status = 'open' "
        f"AND person_id IN ({placeholders(len(person_ids))}) ORDER BY urgent DESC, due IS NULL, due, id",
        list(person_ids),
    ):
        found[pid].append((ask_id, text))
    return found


def _last_notes(session: Session, person_ids: Sequence[int]) -> dict[int, str]:
    """The note of each person's latest meeting that has one."""
    if not person_ids:
        return {}
    return {
        row[0]: row[1]
        for row in rows(
            session,
            "SELECT meeting_person.person_id, meeting.note FROM meeting "
            "JOIN meeting_person ON meeting_person.meeting_id = meeting.id "
            "WHERE meeting.note IS NOT NULL "
            f"AND meeting_person.person_id IN ({placeholders(len(person_ids))}) "
            "ORDER BY meeting.date, meeting.id",
            list(person_ids),
        )
    }


def event_prep(session: Session, event: Event, today: date, recent_days: int) -> dict[str, Any]:
    """`event prep`: the briefing before an event."""
    from givenet.store.giving import list_matches

    head = _event_head(session, event)
    topics = head["topics"]
    topic_keys = {topic.casefold() for topic in topics}
    values = my_values(session)
    overlap = [value for value in values if value.casefold() in topic_keys]
    expected = rows(
        session,
        "SELECT person.id, person.name, person.org, person.role FROM event_attendee "
        "JOIN person ON person.id = event_attendee.person_id "
        "WHERE event_attendee.event_id = ? ORDER BY person.key",
        [event.id],
    )
    ids = [row[0] for row in expected]
    tags = tags_by_owner(session, "person_tag", "person_id", ids)
    touches = _touches(session, ids, today)
    asks = _open_asks(session, ids)
    last_notes = _last_notes(session, ids)
    matches: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for match in list_matches(session, today, recent_days=recent_days, asker_ids=ids):
        matches[match["ask_id"]].append(
            {
                "helper": match["helper"],
                "offer_id": match["offer_id"],
                "offer": match["offer"],
                "matched": match["matched"],
            }
        )
    known, unknown = [], []
    for pid, name, org, role in expected:
        person_tags = tags.get(pid, [])
        shared = [tag for tag in person_tags if tag.casefold() in topic_keys]
        entry: dict[str, Any] = {
            "id": pid,
            "name": name,
            "org": org,
            "role": role,
            "tags": person_tags,
        }
        person_asks = asks.get(pid, [])
        entry["open_asks"] = [
            {"id": ask_id, "text": text, "your_network_can_meet": matches.get(ask_id, [])}
            for ask_id, text in person_asks
        ]
        entry["openers"] = openers(
            asks=[text for _, text in person_asks],
            last_note=last_notes.get(pid),
            tags=person_tags,
            role=role,
            org=org,
            shared_topics=shared,
        )
        if pid in touches:
            entry["last_touch"] = touches[pid][0]
            entry["touches"] = touches[pid][1]
            known.append(entry)
        else:
            unknown.append(entry)
    inviting = []
    if topic_keys:
        candidates = rows(
            session,
            "SELECT DISTINCT person.id, person.name FROM person JOIN person_tag ON person_tag.person_id = person.id "
            "JOIN tag ON tag.id = person_tag.tag_id "
            f"WHERE tag.key IN ({placeholders(len(topic_keys))}) ORDER BY person.key",
            sorted(topic_keys),
        )
        others = [row for row in candidates if row[0] not in set(ids)]
        other_tags = tags_by_owner(session, "person_tag", "person_id", [row[0] for row in others])
        for pid, name in others:
            shared = [tag for tag in other_tags.get(pid, []) if tag.casefold() in topic_keys]
            inviting.append({"id": pid, "name": name, "shared_topics": shared})
    head.update(
        your_values=values,
        topic_overlap=overlap,
        known_attendees=known,
        new_attendees=unknown,
        worth_inviting=inviting,
    )
    return head

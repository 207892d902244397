"""What `givenet graph` draws: people, intros and shared events, in plain SQL."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from itertools import combinations

from givenet.records.graph import GraphEdge, GraphPerson
from givenet.store.sql import rows, tags_by_owner
from givenet.vocab import IntroStatus, chunks, sql_list

# An event where more people were met is drawn with the first this many (by id):
# a room of 200 would otherwise be 20,000 lines.
EVENT_PEOPLE_DRAWN = 25
NOT_GIVEN = sql_list((IntroStatus.suggested, IntroStatus.declined))


def graph_people(
    db: sqlite3.Connection, *, tag: str | None = None, circle: str | None = None
) -> list[GraphPerson]:
    """Everyone, or those with ``tag`` and in ``circle``, with their reach and intros."""
    where, params = [], []
    if circle is not None:
        where.append("person.circle = ?")
        params.append(circle)
    if tag is not None:
        where.append(
            "person.id IN (SELECT person_tag.person_id FROM person_tag "
            "JOIN tag ON tag.id = person_tag.tag_id WHERE tag.key = ?)"
        )
        params.append(tag.strip().casefold())
    found = rows(
        db,
        "SELECT id, name, circle, reach, org, role FROM person "
        + (f"WHERE {' AND '.join(where)} " if where else "")
        + "ORDER BY id",
        params,
    )
    intros: dict[int, int] = dict(
        rows(
            db,
            "SELECT person_id, COUNT(*) FROM (SELECT person_a_id AS person_id FROM intro "
            f"WHERE status NOT IN ({NOT_GIVEN}) UNION ALL SELECT person_b_id FROM intro "
            f"WHERE status NOT IN ({NOT_GIVEN})) AS given GROUP BY person_id",
        )
    )
    tags: dict[int, list[str]] = {}
    for chunk in chunks([row[0] for row in found]):
        tags.update(tags_by_owner(db, "person_tag", "person_id", chunk))
    return [
        GraphPerson(
            id=person_id,
            name=name,
            circle=person_circle,
            reach=reach,
            intro_count=intros.get(person_id, 0),
            org=org,
            role=role,
            tags=tuple(tags.get(person_id, ())),
        )
        for person_id, name, person_circle, reach, org, role in found
    ]


def intro_edges(db: sqlite3.Connection) -> list[GraphEdge]:
    return [
        GraphEdge(a=a, b=b, kind="intro", status=status)
        for a, b, status in rows(
            db, "SELECT person_a_id, person_b_id, status FROM intro ORDER BY date, id"
        )
    ]


def event_edges(db: sqlite3.Connection) -> list[GraphEdge]:
    """A line between every two people met at the same event (first ones of a big event)."""
    met: dict[tuple[int, str], list[int]] = defaultdict(list)
    for event_id, name, person_id in rows(
        db,
        "SELECT DISTINCT event.id, event.name, meeting_person.person_id FROM meeting "
        "JOIN event ON event.id = meeting.event_id "
        "JOIN meeting_person ON meeting_person.meeting_id = meeting.id "
        "ORDER BY event.date, event.id, meeting_person.person_id",
    ):
        met[(event_id, name)].append(person_id)
    return [
        GraphEdge(a=a, b=b, kind="event", status=name)
        for (_, name), people in met.items()
        for a, b in combinations(people[:EVENT_PEOPLE_DRAWN], 2)
    ]

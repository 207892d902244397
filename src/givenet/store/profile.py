"""Everything held on one person, for `givenet show` and `givenet why`: plain SQL only."""

from __future__ import annotations

from datetime import date
from typing import Any

from givenet.records import jsonable
from givenet.rules import Ranked, evaluate
from givenet.store.listing import (
    list_asks,
    list_gives,
    list_offers,
    list_promises,
    people_as_dicts,
)
from givenet.store.ranking import gather_facts, ranking_context
from givenet.store.sql import Db, rows


def score_person(db: Db, person_id: int, today: date) -> Ranked:
    """Every factor for one person as of ``today`` (what `why` shows)."""
    context = ranking_context(db, today)
    facts = gather_facts(db, context, [person_id])
    return evaluate(facts[0], context)


def meetings_of(db: Db, person_id: int) -> list[dict[str, Any]]:
    found = rows(
        db,
        "SELECT meeting.id, meeting.date, meeting.kind, meeting.event_id, event.name, meeting.note "
        "FROM meeting JOIN meeting_person ON meeting_person.meeting_id = meeting.id "
        "LEFT JOIN event ON event.id = meeting.event_id "
        "WHERE meeting_person.person_id = ? ORDER BY meeting.date, meeting.id",
        [person_id],
    )
    others: dict[int, list[dict[str, Any]]] = {}
    for meeting_id, other_id, other_name in rows(
        db,
        "SELECT mine.meeting_id, person.id, person.name FROM meeting_person AS mine "
        "JOIN meeting_person AS theirs ON theirs.meeting_id = mine.meeting_id "
        "AND theirs.person_id != mine.person_id JOIN person ON person.id = theirs.person_id "
        "WHERE mine.person_id = ? ORDER BY person.key",
        [person_id],
    ):
        others.setdefault(meeting_id, []).append({"id": other_id, "name": other_name})
    return [
        {
            "id": row[0],
            "date": row[1],
            "kind": row[2],
            "event": {"id": row[3], "name": row[4]} if row[3] else None,
            "note": row[5],
            "with": others.get(row[0], []),
        }
        for row in found
    ]


def notes_of(db: Db, person_id: int) -> list[dict[str, Any]]:
    return [
        {"id": row[0], "date": row[1], "text": row[2]}
        for row in rows(
            db,
            "SELECT id, date, text FROM note WHERE person_id = ? ORDER BY date, id",
            [person_id],
        )
    ]


def intros_of(db: Db, person_id: int) -> list[dict[str, Any]]:
    found = rows(
        db,
        "SELECT intro.id, intro.date, intro.status, intro.status_on, intro.ask_id, intro.note, "
        "other.id, other.name FROM intro JOIN person AS other ON other.id = "
        "CASE WHEN intro.person_a_id = ? THEN intro.person_b_id ELSE intro.person_a_id END "
        "WHERE ? IN (intro.person_a_id, intro.person_b_id) ORDER BY intro.date, intro.id",
        [person_id, person_id],
    )
    return [
        {
            "id": row[0],
            "date": row[1],
            "status": row[2],
            "status_on": row[3],
            "ask_id": row[4],
            "note": row[5],
            "with": {"id": row[6], "name": row[7]},
        }
        for row in found
    ]


def person_profile(db: Db, person_id: int, today: date) -> dict[str, Any]:
    """The shape of `show --json`: the person's fields plus everything linked to them."""
    profile = people_as_dicts(db, [person_id])[0]
    gives = list_gives(db, person_id)
    profile.update(
        meetings=meetings_of(db, person_id),
        notes=notes_of(db, person_id),
        asks=jsonable(list_asks(db, include_closed=True, person_id=person_id)),
        offers=jsonable(list_offers(db, include_withdrawn=True, person_id=person_id)),
        promises=jsonable(list_promises(db, include_kept=True, person_id=person_id)),
        intros=intros_of(db, person_id),
        gives=gives,
        balance={
            "gave": sum(1 for give in gives if give["direction"] == "gave"),
            "got": sum(1 for give in gives if give["direction"] == "got"),
        },
        today=today.isoformat(),
        score=score_person(db, person_id, today).as_dict(),
    )
    return profile

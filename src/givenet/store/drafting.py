"""What a message draft needs about a person, in a few plain-SQL reads."""

from __future__ import annotations

import sqlite3
from datetime import date

from givenet.errors import Conflict, NotFound
from givenet.records.drafts import AskBrief, GotBrief, MeetingBrief, PersonBrief, PromiseBrief
from givenet.store.lookup import parse_record_id
from givenet.store.sql import rows, to_date

_MEETINGS = """
SELECT meeting.date, meeting.kind, event.name, meeting.note
FROM meeting_person JOIN meeting ON meeting.id = meeting_person.meeting_id
LEFT JOIN event ON event.id = meeting.event_id
WHERE meeting_person.person_id = ? AND meeting.date <= ?
ORDER BY meeting.date, event.id IS NOT NULL, meeting.note IS NOT NULL, meeting.id
"""


def person_brief(db: sqlite3.Connection, person_id: int, today: date) -> PersonBrief:
    """One person as of ``today``: meetings, notes and ledger lines dated later are ignored."""
    day = today.isoformat()
    ((name, org, role),) = rows(db, "SELECT name, org, role FROM person WHERE id = ?", [person_id])
    meetings = [
        MeetingBrief(day=date.fromisoformat(d), kind=kind, event_name=event, note=note)
        for d, kind, event, note in rows(db, _MEETINGS, [person_id, day])
    ]
    notes = [
        text
        for (text,) in rows(
            db,
            "SELECT text FROM (SELECT date, created_at, text FROM note WHERE person_id = ? "
            "AND date <= ? UNION ALL SELECT meeting.date, meeting.created_at, meeting.note "
            "FROM meeting_person JOIN meeting ON meeting.id = meeting_person.meeting_id "
            "WHERE meeting_person.person_id = ? AND meeting.date <= ? AND meeting.note IS NOT NULL) "
            "AS said ORDER BY date DESC, created_at DESC",
            [person_id, day, person_id, day],
        )
    ]
    asks = tuple(
        AskBrief(id=ask_id, text=text, due=to_date(due))
        for ask_id, text, due in rows(
            db,
            "SELECT id, text, due FROM ask WHERE person_id = ? AND status = 'open' "
            "ORDER BY urgent DESC, due IS NULL, due, id",
            [person_id],
        )
    )
    promises = tuple(
        PromiseBrief(text=text, due=date.fromisoformat(due))
        for text, due in rows(
            db,
            "SELECT text, due FROM promise WHERE person_id = ? AND kept_on IS NULL "
            "ORDER BY due, id",
            [person_id],
        )
    )
    offers = tuple(
        text
        for (text,) in rows(
            db,
            "SELECT text FROM offer WHERE person_id = ? AND status = 'active' ORDER BY id",
            [person_id],
        )
    )
    got = rows(
        db,
        "SELECT what, date FROM give WHERE person_id = ? AND direction = 'got' AND date <= ? "
        "ORDER BY date DESC, id DESC LIMIT 1",
        [person_id, day],
    )
    return PersonBrief(
        id=person_id,
        name=name,
        org=org,
        role=role,
        first_meeting=meetings[0] if meetings else None,
        last_meeting=meetings[-1] if meetings else None,
        notes=tuple(notes),
        open_asks=asks,
        open_promises=promises,
        offers=offers,
        last_got=GotBrief(what=got[0][0], day=date.fromisoformat(got[0][1])) if got else None,
    )


def intro_ask(db: sqlite3.Connection, ref: str, a_id: int, b_id: int) -> AskBrief:
    """The ask an intro is for, ``#N`` or ``N``; it must be one of the two people's."""
    ask_id = parse_record_id(ref, "ask")
    found = rows(db, "SELECT person_id, text, due, status FROM ask WHERE id = ?", [ask_id])
    if not found:
        raise NotFound(f"no ask #{ask_id}; `givenet asks` lists them")
    person_id, text, due, status = found[0]
    if person_id not in (a_id, b_id):
        raise Conflict(f"ask #{ask_id} is neither person's; name the one who asked")
    if status != "open":
        raise Conflict(f"ask #{ask_id} is already {status}")
    return AskBrief(id=ask_id, text=text, due=to_date(due))


def asker_of(db: sqlite3.Connection, ask_id: int) -> int:
    return int(rows(db, "SELECT person_id FROM ask WHERE id = ?", [ask_id])[0][0])


def best_offer_for(
    db: sqlite3.Connection, helper_id: int, ask: AskBrief | None
) -> tuple[AskBrief | None, str | None]:
    """The helper's offer that best meets ``ask``, else their first active offer."""
    if ask is not None:
        matched = rows(
            db,
            "SELECT offer.text FROM match_candidate JOIN offer ON offer.id = match_candidate.offer_id "
            "WHERE match_candidate.ask_id = ? AND offer.person_id = ? AND offer.status = 'active' "
            "ORDER BY match_candidate.score DESC, offer.id LIMIT 1",
            [ask.id, helper_id],
        )
        if matched:
            return ask, matched[0][0]
    first = rows(
        db,
        "SELECT text FROM offer WHERE person_id = ? AND status = 'active' ORDER BY id LIMIT 1",
        [helper_id],
    )
    return ask, first[0][0] if first else None


def best_pair(db: sqlite3.Connection, a_id: int, b_id: int) -> AskBrief | None:
    """Without --for: the open ask of either person that the other's offers meet best."""
    found = rows(
        db,
        "SELECT ask.id, ask.text, ask.due FROM match_candidate "
        "JOIN ask ON ask.id = match_candidate.ask_id JOIN offer ON offer.id = match_candidate.offer_id "
        "WHERE ask.status = 'open' AND offer.status = 'active' AND ((ask.person_id = ? "
        "AND offer.person_id = ?) OR (ask.person_id = ? AND offer.person_id = ?)) "
        "ORDER BY match_candidate.score DESC, ask.id LIMIT 1",
        [a_id, b_id, b_id, a_id],
    )
    if found:
        return AskBrief(id=found[0][0], text=found[0][1], due=to_date(found[0][2]))
    first = rows(
        db,
        "SELECT id, text, due FROM ask WHERE person_id = ? AND status = 'open' ORDER BY id LIMIT 1",
        [a_id],
    )
    return AskBrief(id=first[0][0], text=first[0][1], due=to_date(first[0][2])) if first else None

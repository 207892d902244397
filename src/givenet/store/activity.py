"""What happens between people: meetings, promises, asks, offers, the ledger, events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, SQLModel

from givenet.errors import Conflict, InvalidInput
from givenet.models import (
    Ask,
    AskTag,
    Event,
    EventAttendee,
    EventTag,
    Give,
    Intro,
    Meeting,
    MeetingPerson,
    Note,
    Offer,
    OfferTag,
    Person,
    Promise,
)
from givenet.store import search
from givenet.store.common import (
    clean_optional,
    clean_tags,
    clean_text,
    driver,
    ensure_tags,
    get_record,
    ident,
    now,
    rows,
)
from givenet.vocab import ASK_MOVES, DELETABLE_KINDS

# --- meetings and promises ----------------------------------------------------


def mark_attended(session: Session, event_id: int, person_id: int, status: str) -> None:
    attendance = session.get(EventAttendee, (event_id, person_id))
    if attendance is None:
        session.add(EventAttendee(event_id=event_id, person_id=person_id, status=status))
    elif status == "met":
        attendance.status = "met"
        session.add(attendance)


def log_meeting(
    session: Session,
    people: Sequence[Person],
    day: date,
    *,
    kind: str,
    event: Event | None = None,
    note: str | None = None,
) -> Meeting:
    """A touch with one or more people; at an event it marks them met there."""
    unique = {ident(person): person for person in people}
    if not unique:
        raise InvalidInput("name at least one person you met")
    meeting = Meeting(
        date=day,
        kind=kind,
        event_id=event.id if event else None,
        note=clean_optional(note, "a meeting note"),
        created_at=now(),
    )
    session.add(meeting)
    session.flush()
    for person_id in unique:
        session.add(MeetingPerson(meeting_id=ident(meeting), person_id=person_id))
        if event is not None:
            mark_attended(session, ident(event), person_id, "met")
    session.flush()
    if meeting.note:
        for person_id in unique:
            search.index_person(driver(session), person_id)
    return meeting


def add_promises(
    session: Session, people: Sequence[Person], text: str, due: date, meeting: Meeting | None
) -> list[Promise]:
    """One promise to each person: what the user owes them, open until kept."""
    cleaned = clean_text(text, "a promise (--next)")
    promises = []
    for person in {p.id: p for p in people}.values():
        promise = Promise(
            person_id=ident(person),
            meeting_id=meeting.id if meeting else None,
            text=cleaned,
            due=due,
            created_at=now(),
        )
        session.add(promise)
        promises.append(promise)
    session.flush()
    return promises


def default_promise_due(meeting_day: date, default_days: int) -> date:
    return meeting_day + timedelta(days=default_days)


def keep_promise(session: Session, ref: str, today: date) -> Promise:
    promise = get_record(session, Promise, ref, "promise")
    if promise.kept_on is not None:
        raise Conflict(f"promise #{promise.id} was already kept on {promise.kept_on.isoformat()}")
    promise.kept_on = today
    session.add(promise)
    session.flush()
    return promise


# --- asks and offers ------------------------------------------------------------


def link_tags(
    session: Session, link: type[SQLModel], owner_column: str, owner_id: int, names: Sequence[str]
) -> None:
    """Tag an ask, an offer or an event (its link table), creating tags on first use."""
    for tag in ensure_tags(session, names):
        session.add(link(**{owner_column: owner_id, "tag_id": ident(tag)}))
    session.flush()


def add_ask(
    session: Session,
    person: Person,
    text: str,
    *,
    tags: Sequence[str],
    by: date | None,
    urgent: bool,
    today: date,
) -> Ask:
    ask = Ask(
        person_id=ident(person),
        text=clean_text(text, "an ask"),
        due=by,
        urgent=urgent,
        created_on=today,
        created_at=now(),
    )
    session.add(ask)
    session.flush()
    link_tags(session, AskTag, "ask_id", ident(ask), tags)
    search.ask_written(driver(session), ident(ask))
    return ask


def add_offer(
    session: Session, person: Person, text: str, *, tags: Sequence[str], today: date
) -> Offer:
    offer = Offer(
        person_id=ident(person),
        text=clean_text(text, "an offer"),
        created_on=today,
        created_at=now(),
    )
    session.add(offer)
    session.flush()
    link_tags(session, OfferTag, "offer_id", ident(offer), tags)
    search.offer_written(driver(session), ident(offer))
    return offer


def add_tags(
    session: Session,
    model: type[Ask] | type[Offer],
    link: type[AskTag] | type[OfferTag],
    ref: str,
    label: str,
    names: Sequence[str],
) -> Ask | Offer:
    """Tag an ask or an offer after it was written (`tag ask`, `tag offer`), then index
    and match it again; tags it already carries are skipped."""
    record = get_record(session, model, ref, label)
    if not clean_tags(names):
        raise InvalidInput(f"name at least one tag to add to the {label}")
    owner_column = f"{label}_id"
    carried = {
        row[0]
        for row in rows(
            driver(session),
            f"SELECT tag_id FROM {label}_tag WHERE {owner_column} = ?",
            [ident(record)],
        )
    }
    new = [tag for tag in ensure_tags(session, names) if ident(tag) not in carried]
    for tag in new:
        session.add(link(**{owner_column: ident(record), "tag_id": ident(tag)}))
    session.flush()
    if new:
        written = search.ask_written if label == "ask" else search.offer_written
        written(driver(session), ident(record))
    return record


def move_ask(session: Session, ref: str, move: str, today: date, via: str | None = None) -> Ask:
    ask = get_record(session, Ask, ref, "ask")
    allowed_from, target = ASK_MOVES[move]
    if ask.status not in allowed_from:
        raise Conflict(
            f"ask #{ask.id} is {ask.status}; `{move}` works on {' or '.join(sorted(allowed_from))} asks"
        )
    ask.status = target
    if target == "open":
        ask.resolved_on, ask.via = None, None
    else:
        ask.resolved_on = today
        ask.via = clean_optional(via, "--via") if via is not None else ask.via
    session.add(ask)
    session.flush()
    search.match_ask(driver(session), ident(ask))
    return ask


def withdraw_offer(session: Session, ref: str) -> Offer:
    offer = get_record(session, Offer, ref, "offer")
    if offer.status == "withdrawn":
        raise Conflict(f"offer #{offer.id} is already withdrawn")
    offer.status = "withdrawn"
    session.add(offer)
    session.flush()
    search.match_offer(driver(session), ident(offer))
    return offer


# --- the giving ledger ------------------------------------------------------------


def add_give(
    session: Session,
    person: Person,
    direction: str,
    what: str,
    day: date,
    *,
    ask: Ask | None = None,
) -> Give:
    """A ledger line; `gave --for ASK` also marks that ask met."""
    if ask is not None:
        if ask.person_id != person.id:
            raise Conflict(f"ask #{ask.id} is not {person.name}'s; name the person who asked")
        if ask.status != "open":
            raise Conflict(f"ask #{ask.id} is already {ask.status}")
    give = Give(
        person_id=ident(person),
        direction=direction,
        date=day,
        what=clean_text(what, "what was given"),
        ask_id=ask.id if ask else None,
        created_at=now(),
    )
    session.add(give)
    if ask is not None:
        ask.status, ask.resolved_on, ask.via = "met", day, give.what
        session.add(ask)
    session.flush()
    if ask is not None:
        search.match_ask(driver(session), ident(ask))
    return give


# --- events --------------------------------------------------------------------------


def add_event(
    session: Session,
    name: str,
    day: date,
    *,
    place: str | None = None,
    topics: Sequence[str] = (),
    notes: str | None = None,
) -> Event:
    cleaned = clean_text(name, "an event's name")
    same = rows(
        driver(session),
        "SELECT id FROM event WHERE key = ? AND date = ?",
        [cleaned.casefold(), day.isoformat()],
    )
    if same:
        raise Conflict(f"event #{same[0][0]} {cleaned} on {day.isoformat()} already exists")
    event = Event(
        name=cleaned,
        key=cleaned.casefold(),
        date=day,
        place=clean_optional(place, "a place"),
        notes=clean_optional(notes, "a note"),
        created_at=now(),
    )
    session.add(event)
    session.flush()
    link_tags(session, EventTag, "event_id", ident(event), topics)
    return event


# --- deleting a mistake ---------------------------------------------------------------

# The table of each kind `delete` may remove (the kinds: vocab.DELETABLE_KINDS).
DELETABLE: dict[str, type[SQLModel]] = {
    model.__tablename__: model for model in (Meeting, Note, Ask, Offer, Give, Intro, Promise, Event)
}
assert tuple(DELETABLE) == DELETABLE_KINDS, "every deletable kind has its table"


def describe_record(session: Session, kind: str, ref: str) -> tuple[Any, str]:
    """The record to delete and a line saying what it is (for the confirmation)."""
    if kind not in DELETABLE:
        raise InvalidInput(f"cannot delete a {kind!r}: one of {', '.join(DELETABLE)}")
    record: Any = get_record(session, DELETABLE[kind], ref, kind)
    text = (
        getattr(record, "text", None)
        or getattr(record, "what", None)
        or getattr(record, "name", None)
        or getattr(record, "note", None)
        or ""
    )
    day = getattr(record, "date", None) or getattr(record, "due", None)
    about = [day.isoformat()] if day else []
    people = _people_of(session, record)
    if people:
        about.append(("with " if isinstance(record, Meeting) else "") + ", ".join(people))
    when = f" ({'; '.join(about)})" if about else ""
    snippet = f": {text[:60]}" if text else ""
    return record, f"{kind} #{record.id}{when}{snippet}"


def _people_of(session: Session, record: Any) -> list[str]:
    """The names a record is about, so that a confirmation says whose it is."""
    if isinstance(record, Meeting):
        query = """SELECT person.name FROM meeting_person JOIN person ON person.id = person_id
            WHERE meeting_id = ? ORDER BY person.name"""
        return [row[0] for row in rows(driver(session), query, [record.id])]
    ids = [
        getattr(record, column)
        for column in ("person_id", "person_a_id", "person_b_id")
        if getattr(record, column, None) is not None
    ]
    names: list[str] = []
    for person_id in ids:
        found = rows(driver(session), "SELECT name FROM person WHERE id = ?", [person_id])
        names.extend(row[0] for row in found)
    return names


def delete_record(session: Session, record: Any) -> None:
    """Delete one record and keep the search indexes true to what is left."""
    touched: list[int] = []
    if isinstance(record, Meeting):
        touched = [
            row[0]
            for row in rows(
                driver(session),
                "SELECT person_id FROM meeting_person WHERE meeting_id = ?",
                [record.id],
            )
        ]
    elif isinstance(record, Note):
        touched = [record.person_id]
    elif isinstance(record, Ask):
        search.forget_ask(driver(session), ident(record))
    elif isinstance(record, Offer):
        search.forget_offer(driver(session), ident(record))
    session.delete(record)
    session.flush()
    for person_id in touched:
        search.index_person(driver(session), person_id)

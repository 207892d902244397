"""People: add, edit, note, show, list, find, snooze, unsnooze, me.

Reads (`show`, `list`, `find`, `me`, name completion) run on a plain sqlite3
connection and import no SQLAlchemy; each write is one transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from givenet.core.network import Network, reading, sql, today_or, writing
from givenet.errors import GivenetError, InvalidInput
from givenet.records.people import FoundPerson, PersonFields, PersonLine, PersonRef, PersonRow

if TYPE_CHECKING:
    from sqlmodel import Session

    from givenet.models import Event
    from givenet.records.people_writes import (
        MetAt,
        MyValues,
        NoteAdded,
        PersonAdded,
        PersonEdited,
        Snoozed,
    )
    from givenet.records.profile import Profile

# The records these functions return are in givenet.records.people, .people_writes
# and .profile; only the light ones are named here, so that `list` loads no others.
__all__ = [
    "FoundPerson",
    "PersonFields",
    "PersonLine",
    "PersonRef",
    "PersonRow",
    "add_note",
    "add_person",
    "change_my_values",
    "complete_names",
    "edit_person",
    "find_people",
    "found_people_json",
    "found_people_lines",
    "iter_found_people",
    "iter_people",
    "list_people",
    "my_values",
    "parse_reach",
    "people_json",
    "people_lines",
    "show_person",
    "snooze_person",
    "unsnooze_person",
]

# How `reach` may be given in words, and the number of connections each means.
NAMED_REACH = {"small": 100, "medium": 1000, "large": 10000}
# More than anyone's network, and well inside SQLite's 64-bit integers.
REACH_MAX = 1_000_000_000


def parse_reach(text: str) -> int:
    """A person's own network: ``"small"``, ``"medium"``, ``"large"`` or a number ("1,200")."""
    cleaned = text.strip().casefold().replace(",", "").replace("_", "")
    if cleaned in NAMED_REACH:
        return NAMED_REACH[cleaned]
    if cleaned.isdecimal() and 0 < int(cleaned) <= REACH_MAX:  # "²" is a digit, not a number
        return int(cleaned)
    raise InvalidInput(
        f"reach is small, medium, large or a number of connections (up to {REACH_MAX:,}), "
        f"not {text.strip()!r}"
    )


# --- writes ------------------------------------------------------------------------


def add_person(
    network: Network,
    fields: PersonFields,
    *,
    met_at: str | None = None,
    on: date | None = None,
    note: str | None = None,
    force: bool = False,
    today: date | None = None,
    asks: Sequence[str] = (),
    offers: Sequence[str] = (),
    now: datetime | None = None,
) -> PersonAdded:
    """Add someone; with ``met_at`` (an event) or ``on`` (a day) also log the first meeting.

    Without either, a current event (``event start``, until it ends at ``now``) is
    where you met. ``asks`` and ``offers`` are recorded for them in the same step.

    ``met_at`` names an event: an existing one, or a new one on ``on`` (default
    today). The same exact name on another day is another event (a monthly mixer);
    an event found by part of its name must fall on ``on`` when that is given.
    Without ``on`` the meeting takes the event's date. ``note`` is the meeting's
    note, else a dated note on them (``today``). A person with the same name or
    email is refused unless ``force``.
    """
    from givenet.records.people_writes import MetAt, PersonAdded
    from givenet.store import activity, people
    from givenet.store.common import ident, person_ref

    day = today_or(today)
    fields = replace(
        fields, new_to_field=bool(fields.new_to_field), no_intros=bool(fields.no_intros)
    )
    meeting_day = on
    with writing(network) as db_session:
        person = people.add_person(db_session, fields, force=force)
        event: Event | None = None
        met: MetAt | None = None
        if not met_at and on is None:
            from givenet.store.events import current_event

            current = current_event(sql(db_session), now or datetime.now())
            met_at = f"#{current}" if current is not None else None
        if met_at:
            event, created = _event_met_at(db_session, met_at, on, day)
            if on is None and not created:
                refuse_a_future_event(event, day, "--met-at")
            met = MetAt(ident(event), event.name, event.date, created)
            meeting_day = meeting_day or event.date
        meeting_id = note_id = None
        if meeting_day is not None:
            meeting = activity.log_meeting(
                db_session,
                [person],
                meeting_day,
                kind="event" if event else "other",
                event=event,
                note=note,
            )
            meeting_id = ident(meeting)
        elif note:
            note_id = ident(people.add_note(db_session, person, note, day))
        warnings = people.capacity_warnings(sql(db_session)) if fields.circle else []
        ask_ids, offer_ids = [], []
        for text in asks:
            saved = activity.add_ask(
                db_session, person, text, tags=(), by=None, urgent=False, today=day
            )
            ask_ids.append(ident(saved))
        for text in offers:
            offer_ids.append(
                ident(activity.add_offer(db_session, person, text, tags=(), today=day))
            )
        from givenet.store.matches import proposed_tags

        return PersonAdded(
            person=person_ref(person),
            met_on=meeting_day,
            event=met,
            meeting_id=meeting_id,
            note_id=note_id,
            warnings=tuple(warnings),
            ask_ids=tuple(ask_ids),
            offer_ids=tuple(offer_ids),
            ask_tags_proposed=tuple(proposed_tags(sql(db_session), text) for text in asks),
            offer_tags_proposed=tuple(proposed_tags(sql(db_session), text) for text in offers),
        )


def refuse_a_future_event(event: Event, today: date, option: str) -> None:
    """A meeting at an event still to come has not happened: refuse it unless --on says so."""
    from givenet.store.common import ident

    if event.date > today:
        raise InvalidInput(
            f"{option} names #{ident(event)} {event.name} on {event.date.isoformat()}, a day"
            f" still to come, so you have not met there yet; give --on DATE for the day you met"
        )


def _event_met_at(
    db_session: Session, met_at: str, day: date | None, today: date
) -> tuple[Event, bool]:
    """The event of `add --met-at`: an existing one, or a new one on ``day`` (or today).

    The same exact name on another day is another event (a monthly mixer). An
    event found by part of its name must fall on ``day`` when one is given:
    "Food Futures" should not quietly attach a Nov 20 meeting to a Dec 3 forum.
    """
    from givenet.errors import NotFound
    from givenet.store.activity import add_event
    from givenet.store.common import ident, resolve_event
    from givenet.store.lookup import ID_PATTERN
    from givenet.store.people import events_named

    same_name = [] if ID_PATTERN.fullmatch(met_at.strip()) else events_named(db_session, met_at)
    if same_name and day is not None:
        on_day = [event for event in same_name if event.date == day]
        return (on_day[0], False) if on_day else (add_event(db_session, met_at, day), True)
    try:
        event = resolve_event(db_session, met_at)
    except NotFound:
        if ID_PATTERN.fullmatch(met_at.strip()):
            raise  # '#12' names an event that is not there: no event is called '#12'
        return add_event(db_session, met_at, day or today), True
    if day is not None and event.date != day:
        raise InvalidInput(
            f"{met_at!r} matched #{ident(event)} {event.name} on {event.date.isoformat()}, not "
            f"{day.isoformat()}; give the event's full name, or --on {event.date.isoformat()}"
        )
    return event, False


def edit_person(
    network: Network,
    person: str,
    fields: PersonFields,
    *,
    untag: Sequence[str] = (),
    clear: Sequence[str] = (),
    note: str | None = None,
    today: date | None = None,
) -> PersonEdited:
    """Change someone's details: ``fields`` set (tags, emails and phones are added),
    ``untag`` removes tags, ``clear`` empties fields first (``"org"``, ``"tags"``,
    ``"snooze"`` … see ``store.people.CLEARABLE``); ``note`` adds a dated note.
    """
    from givenet.records.people_writes import PersonEdited
    from givenet.store import people
    from givenet.store.common import ident, person_ref, resolve_person

    day = today_or(today)
    with writing(network) as db_session:
        found = resolve_person(db_session, person)
        people.edit_person(db_session, found, fields, untag=untag, clear=clear)
        note_id = ident(people.add_note(db_session, found, note, day)) if note else None
        warnings = people.capacity_warnings(sql(db_session)) if fields.circle else []
        return PersonEdited(person=person_ref(found), note_id=note_id, warnings=tuple(warnings))


def add_note(network: Network, person: str, text: str, *, on: date | None = None) -> NoteAdded:
    """A dated note about someone (not a meeting: it does not count as a touch).

    ``person`` is a name, a unique part of one, or an id like ``"#12"``; ``on``
    defaults to today.
    """
    from givenet.records.people_writes import NoteAdded
    from givenet.store import people
    from givenet.store.common import ident, person_ref, resolve_person

    day = today_or(on)
    with writing(network) as db_session:
        found = resolve_person(db_session, person)
        saved = people.add_note(db_session, found, text, day)
        return NoteAdded(person=person_ref(found), note_id=ident(saved), day=day)


def snooze_person(
    network: Network,
    person: str,
    *,
    until: date | None = None,
    for_days: int | None = None,
    today: date | None = None,
) -> Snoozed:
    """Keep someone off the morning list until a day after ``today``, or for some days.

    With neither, for the ``snooze.default`` setting (two weeks unless changed).
    """
    from givenet.records.people_writes import Snoozed
    from givenet.store.common import ident, person_ref, resolve_person
    from givenet.store.config import load_settings
    from givenet.store.people import open_promises_before, set_snooze

    day = today_or(today)
    if until is not None and for_days is not None:
        raise InvalidInput("give --until or --for, not both")
    if until is not None and until <= day:
        raise InvalidInput("--until must be a date after today")
    if for_days is not None and for_days <= 0:
        raise InvalidInput("--for must be at least one day")
    with writing(network) as db_session:
        found = resolve_person(db_session, person)
        was = found.snoozed_until
        if until is None:
            days = for_days or load_settings(sql(db_session)).days("snooze.default")
            until = day + timedelta(days=days)
        set_snooze(db_session, found, until)
        owed = open_promises_before(sql(db_session), ident(found), until)
        return Snoozed(person=person_ref(found), until=until, was=was, promises_due=owed)


def unsnooze_person(network: Network, person: str) -> Snoozed:
    """Bring someone back to the morning list now (``was`` says whether they were snoozed)."""
    from givenet.records.people_writes import Snoozed
    from givenet.store.common import person_ref, resolve_person
    from givenet.store.people import set_snooze

    with writing(network) as db_session:
        found = resolve_person(db_session, person)
        was = found.snoozed_until
        set_snooze(db_session, found, None)
        return Snoozed(person=person_ref(found), until=None, was=was)


def change_my_values(
    network: Network, add: Sequence[str] = (), remove: Sequence[str] = ()
) -> MyValues:
    """Add and remove the user's own values and interests (people who share them rank higher)."""
    from givenet.records.people_writes import MyValues
    from givenet.store import people

    with writing(network) as db_session:
        return MyValues(tuple(people.change_my_values(db_session, add, remove)))


# --- reads -------------------------------------------------------------------------


def my_values(network: Network) -> MyValues:
    """The user's own values and interests, by name."""
    from givenet.records.people_writes import MyValues
    from givenet.store.sql import my_values as values_of

    with reading(network) as connection:
        return MyValues(tuple(values_of(connection)))


def show_person(network: Network, person: str, *, today: date | None = None) -> Profile:
    """Everything about one person: profile, asks, offers, timeline, promises, score on ``today``.

    ``person`` is a name, a unique part of one, or an id like ``"#12"``.
    """
    from givenet.store.lookup import resolve_named
    from givenet.store.profile import person_profile

    day = today_or(today)
    with reading(network) as connection:
        person_id, _ = resolve_named(connection, "person", person, "person")
        return person_profile(connection, person_id, day)


def list_people(
    network: Network, *, tag: str | None = None, circle: str | None = None
) -> list[PersonRow]:
    """The people in the network, by name: only those with ``tag``, or in ``circle``, if given."""
    from givenet.store.listing import list_people as listed

    with reading(network) as connection:
        return listed(connection, tag=tag, circle=circle)


def iter_people(
    network: Network, *, tag: str | None = None, circle: str | None = None
) -> Iterator[PersonRow]:
    """:func:`list_people`, a batch at a time: for a listing of the whole network
    written as it is read (the database stays open until the last person)."""
    from givenet.store.listing import iter_people as listed

    with reading(network) as connection:
        yield from listed(connection, tag=tag, circle=circle)


def people_json(
    network: Network, *, tag: str | None = None, circle: str | None = None
) -> Iterator[str]:
    """:func:`iter_people`'s people as compact JSON (what `list --json` writes in a
    pipe), a batch at a time: each batch the text ``json.dumps(people,
    ensure_ascii=False)`` writes between the list's brackets, byte for byte. On
    SQLite the database writes it, no record built (100,000 people in half the time).
    """
    from givenet.store.listing import people_json as written

    with reading(network) as connection:
        yield from written(connection, tag=tag, circle=circle)


def find_people(network: Network, text: str) -> list[FoundPerson]:
    """People whose names, orgs, roles, emails, tags, notes, asks or offers contain ``text``.

    Each :class:`FoundPerson` says where (``matched``).
    """
    from givenet.store.listing import find_people as found

    with reading(network) as connection:
        return found(connection, text)


def iter_found_people(network: Network, text: str) -> Iterator[FoundPerson]:
    """:func:`find_people`, a batch at a time (the database stays open until the last)."""
    from givenet.store.listing import iter_found_people as found

    with reading(network) as connection:
        yield from found(connection, text)


def people_lines(
    network: Network, *, tag: str | None = None, circle: str | None = None
) -> Iterator[PersonLine]:
    """:func:`iter_people`'s people as the `list` table shows them (their own columns,
    tags and last touch: no contact lists), a batch at a time."""
    from givenet.store.listing import people_lines as listed

    with reading(network) as connection:
        yield from listed(connection, tag=tag, circle=circle)


def found_people_lines(network: Network, text: str) -> Iterator[PersonLine]:
    """:func:`iter_found_people`'s people as the `find` table shows them (``matched``
    says where), a batch at a time."""
    from givenet.store.listing import found_people_lines as found

    with reading(network) as connection:
        yield from found(connection, text)


def found_people_json(network: Network, text: str) -> Iterator[str]:
    """:func:`iter_found_people`'s people as compact JSON, a batch at a time, as
    :func:`people_json` writes them (`find --json` in a pipe)."""
    from givenet.store.listing import found_people_json as written

    with reading(network) as connection:
        yield from written(connection, text)


# The tables whose names completion offers.
_COMPLETABLE = {"person": "person", "event": "event"}


def complete_names(network: Network, kind: str, prefix: str, *, limit: int = 50) -> list[str]:
    """Names of people (``kind="person"``) or events starting with ``prefix``, for a shell.

    Reads the file as it is, read-only: never creates, upgrades or locks it, and
    any problem (no file yet, not a database) is simply no names.
    """
    from givenet.store.lookup import names_starting

    table = _COMPLETABLE[kind]
    if network.url is not None:
        try:
            with reading(network) as db:
                return names_starting(db, table, prefix, limit)
        except GivenetError:
            return []  # the server is away: no names, never an error under a shell
    if not network.path.exists():
        return []
    try:
        # A URI, so that a path holding '?' or '#' is still this file.
        connection = sqlite3.connect(network.path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return names_starting(connection, table, prefix, limit)
        finally:
            connection.close()
    except sqlite3.Error:
        return []

"""Events: event add, event attend, event show, event prep, and events.

The reads (`show_event`, `event_prep`, `list_events`) run on a plain sqlite3
connection: no SQLAlchemy is imported. An event argument is the user's reference:
its name, a unique part of it, or an id like ``"#3"``; people are named the same
way (``"#12"``, a name or a unique part of one).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from givenet.core.network import Network, reading, sql, today_or, writing
from givenet.errors import InvalidInput
from givenet.records.events import (
    Attendance,
    Attendee,
    AttendeeAsk,
    EventAdded,
    EventAttended,
    EventDetail,
    EventListed,
    EventPrep,
    EventPromise,
    EventRef,
    EventStarted,
    HelperOffer,
    MetThere,
    WorthInviting,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from givenet.models import Event

__all__ = [
    "Attendance",
    "Attendee",
    "AttendeeAsk",
    "EventAdded",
    "EventAttended",
    "EventDetail",
    "EventListed",
    "EventPrep",
    "EventPromise",
    "EventRef",
    "EventStarted",
    "HelperOffer",
    "MetThere",
    "WorthInviting",
    "add_event",
    "attend_event",
    "event_prep",
    "list_events",
    "show_event",
    "start_event",
    "stop_event",
]


def add_event(
    network: Network,
    name: str,
    on: date,
    *,
    place: str | None = None,
    topics: Sequence[str] = (),
    notes: str | None = None,
) -> EventAdded:
    """A new event on the day ``on``; refuses a second event of the same name that day.

    >>> added = add_event(Network("givenet.db"), "Impact Mixer", date(2026, 12, 3))
    >>> added.event.label
    '#1 Impact Mixer'
    """
    from givenet.store import activity
    from givenet.store.common import ident

    with writing(network) as db_session:
        event = activity.add_event(db_session, name, on, place=place, topics=topics, notes=notes)
        return EventAdded(EventRef(ident(event), event.name, event.date))


def attend_event(
    network: Network, event: str, people: Sequence[str], *, add_new: bool = False
) -> EventAttended:
    """Record who is expected at an event (someone already met there stays met).

    People are found as everywhere (a unique part of a name finds someone): each
    result names the person in full, so a wrong guess shows. With ``add_new``,
    a name that finds nobody becomes a new person; without it, nothing is written.
    """
    from givenet.errors import NotFound
    from givenet.store.common import ident, person_ref, resolve_event, resolve_person
    from givenet.store.events import attend
    from givenet.store.people import PersonFields, add_person

    with writing(network) as db_session:
        found_event = resolve_event(db_session, event)
        event_id = ident(found_event)
        found, added = [], []
        for ref in people:
            try:
                found.append(resolve_person(db_session, ref))
            except NotFound:
                if not add_new:
                    raise
                person = add_person(db_session, PersonFields(name=ref))
                added.append(person_ref(person))
                found.append(person)
        attendance = attend(db_session, event_id, found)
        return EventAttended(
            event=EventRef(event_id, found_event.name, found_event.date),
            added=tuple(added),
            attendance=tuple(attendance),
        )


def show_event(network: Network, event: str, *, today: date | None = None) -> EventDetail:
    """One event: when and where, topics, who was expected and met, promises made there.

    Each person met there has a follow-up state as of ``today``: done (touched
    since), pending (inside the ``follow_up.window`` setting) or overdue.
    """
    from givenet.store.config import load_settings
    from givenet.store.events import event_detail
    from givenet.store.lookup import resolve_named

    day = today_or(today)
    with reading(network) as connection:
        event_id, _ = resolve_named(connection, "event", event, "event")
        window = load_settings(connection).days("follow_up.window")
        return event_detail(connection, event_id, day, window)


def event_prep(network: Network, event: str, *, today: date | None = None) -> EventPrep:
    """The briefing before an event: who is coming, what they care about, what to ask them.

    The offers that could meet an attendee's ask leave out pairs introduced within
    the ``intro.recent`` setting of ``today``.
    """
    from givenet.store.config import load_settings
    from givenet.store.events import event_prep as briefing
    from givenet.store.lookup import resolve_named

    day = today_or(today)
    with reading(network) as connection:
        event_id, _ = resolve_named(connection, "event", event, "event")
        recent = load_settings(connection).days("intro.recent")
        return briefing(connection, event_id, day, recent)


def list_events(
    network: Network, *, upcoming: bool = False, today: date | None = None
) -> list[EventListed]:
    """Every event, oldest first (``upcoming``: only ``today``'s and later ones).

    Each has who was expected and met there, and how many of the people met
    there have had no touch since (``follow_ups_open``).
    """
    from givenet.store.events import events_with_follow_ups

    upcoming_from = today_or(today) if upcoming else None
    with reading(network) as connection:
        return events_with_follow_ups(connection, upcoming_from=upcoming_from)


def start_event(
    network: Network,
    event: str,
    *,
    hours: float = 6,
    new: bool = False,
    today: date | None = None,
    now: datetime | None = None,
) -> EventStarted:
    """Make ``event`` the current one for ``hours``: `add` without --met-at or --on
    records meeting people there.

    An event of that name (or part of a name, or its ``#id``) today is reused; a name
    nobody has used makes one today. A name that finds an event on another day is refused (a past
    mixer is not where you are now) unless ``new``: another event of that name, today.
    """
    from givenet.store.common import ident
    from givenet.store.events import set_current_event

    if not 0 < hours <= 24:
        raise InvalidInput("--hours is more than 0 and at most 24")
    moment = now or datetime.now()
    day = today_or(today)
    with writing(network) as db_session:
        found, created = _event_today(db_session, event, day, new)
        until = moment + timedelta(hours=hours)
        set_current_event(sql(db_session), ident(found), until)
        return EventStarted(EventRef(ident(found), found.name, found.date), until, created)


def _event_today(db_session: Session, name: str, day: date, new: bool) -> tuple[Event, bool]:
    """`event start`'s event: today's of that name, else a new one if nothing (or
    ``new``) says otherwise; (the event, whether it is new)."""
    import shlex

    from givenet.errors import Ambiguous, NotFound
    from givenet.store.activity import add_event
    from givenet.store.common import ident, resolve_event
    from givenet.store.lookup import ID_PATTERN
    from givenet.store.people import events_named

    if ID_PATTERN.fullmatch(name.strip()):  # '#12' names that event (or none), never a new one
        name = resolve_event(db_session, name).name
    others = events_named(db_session, name)
    if not others:
        try:
            others = [resolve_event(db_session, name)]
        except NotFound:
            others = []
        except Ambiguous:  # a part of several names: --new makes one of exactly this name
            if not new:
                raise
            others = []
    on_day = [event for event in others if event.date == day]
    if on_day:
        return on_day[0], False
    if others and not new:
        days = " and ".join(sorted({event.date.isoformat() for event in others}))
        found = others[0]
        raise InvalidInput(
            f"#{ident(found)} {found.name} is on {days}, not today: --new starts another "
            f"event of that name today (givenet event start {shlex.quote(name)} --new), "
            "or give a new name"
        )
    return add_event(db_session, name, day), True


def stop_event(network: Network, *, now: datetime | None = None) -> EventStarted:
    """End the current event now; ``event`` is the one ended (None: there was none)."""
    from givenet.store.events import current_event, event_ref, set_current_event

    moment = now or datetime.now()
    with writing(network) as db_session:
        connection = sql(db_session)
        current = current_event(connection, moment)
        ended = event_ref(connection, current) if current is not None else None
        set_current_event(connection, None, moment)
        return EventStarted(ended, moment)

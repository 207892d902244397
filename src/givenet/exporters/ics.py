"""iCalendar export of what falls due: one all-day event per person and action.

Built with the ``icalendar`` library. Each event's UID comes from the person's
stable UID and the kind of action, so exporting again (tomorrow, or with more
days) updates the same events in a calendar instead of adding copies.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from givenet.rules import FACTOR_WORDS

if TYPE_CHECKING:
    from givenet.records.data import DueAction

PRODID = "-//givenet//givenet export ics//EN"


def event_uid(action: DueAction) -> str:
    # A birthday comes back every year: each year's is its own event.
    kind = f"birthday:{action.day.year}" if action.action == "birthday" else action.action
    return f"{uuid.uuid5(uuid.UUID(action.person_uid), kind)}@givenet"


def summary(action: DueAction) -> str:
    return f"{FACTOR_WORDS.get(action.action, action.action)}: {action.name}"


def dumps(actions: Iterable[DueAction], *, stamp: datetime) -> str:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "givenet: who is due")
    for action in actions:
        event = Event()
        event.add("uid", event_uid(action))
        event.add("dtstamp", stamp)
        event.add("dtstart", action.day)
        event.add("dtend", action.day + timedelta(days=1))
        event.add("summary", summary(action))
        event.add("description", action.reason)
        event.add("categories", ["givenet", action.action])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")

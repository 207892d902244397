"""Records of what the people commands changed: add, edit, note, snooze, unsnooze, me."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from givenet.records.people import PersonRef


@dataclass(frozen=True, slots=True)
class NoteAdded:
    """`note`: the note's id and date, on whom."""

    person: PersonRef
    note_id: int
    day: dt.date


@dataclass(frozen=True, slots=True)
class MetAt:
    """The event of `add --met-at`: found, or ``created`` for this meeting."""

    id: int
    name: str
    date: dt.date
    created: bool


@dataclass(frozen=True, slots=True)
class PersonAdded:
    """`add`: the new person; the first meeting when one was logged (``met_on``, ``event``).

    ``note_id`` is set when the note became a dated note on them (no meeting to
    hold it); ``warnings`` are the circles now over their capacity.
    """

    person: PersonRef
    met_on: dt.date | None
    event: MetAt | None
    meeting_id: int | None
    note_id: int | None
    warnings: tuple[str, ...]
    ask_ids: tuple[int, ...] = ()
    offer_ids: tuple[int, ...] = ()
    # For each ask and offer (they come without tags): the tags in use that fit it.
    ask_tags_proposed: tuple[tuple[str, ...], ...] = ()
    offer_tags_proposed: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class PersonEdited:
    """`edit`: whom (by their name after the edit), the note added, circle warnings."""

    person: PersonRef
    note_id: int | None
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Snoozed:
    """`snooze` and `unsnooze`: off the morning list ``until`` a day (``None``: back on it).

    ``was`` is the day they were snoozed until before (``None``: they were not).
    """

    person: PersonRef
    until: dt.date | None
    was: dt.date | None
    # Open promises to them that fall due before ``until``: they stay on the list.
    promises_due: int = 0


@dataclass(frozen=True, slots=True)
class MyValues:
    """`me`: the user's own values and interests, by name (``{"values": [...]}``)."""

    values: tuple[str, ...]

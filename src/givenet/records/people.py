"""Records about people: what `add` and `edit` take in, and what the people commands hand back.

A person's own fields (:class:`PersonRow`) keep the database's ISO text for dates
(``"2026-11-30"``), as `--json` writes them, so that a listing of 20,000 people is
built and written without converting them; the records inside a profile carry
``datetime.date`` values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from givenet.records.asks import Ask, Offer
    from givenet.records.log import Promise
    from givenet.rules import Ranked


@dataclass(frozen=True, slots=True)
class PersonRef:
    """A person named in a result: their id and name (``#12 Maria Lopez``)."""

    id: int
    name: str

    @property
    def label(self) -> str:
        return f"#{self.id} {self.name}"


# --- what add and edit take in -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonFields:
    """What `add` and `edit` may set; ``None`` (or nothing, for the lists) means "not given".

    ``emails``, ``phones`` and ``tags`` are added to what the person has; the first
    email of a new person is their primary one. ``circle`` is one of
    ``givenet.vocab.CIRCLES``; ``birthday`` is ``"1990-03-14"`` or ``"--03-14"``
    (``givenet.dates.parse_birthday`` reads what people type); ``reach`` a number of
    connections (``givenet.core.people.parse_reach`` reads "small", "large" …).
    """

    name: str | None = None
    emails: Sequence[str] = ()
    phones: Sequence[str] = ()
    org: str | None = None
    role: str | None = None
    location: str | None = None
    url: str | None = None
    tags: Sequence[str] = ()
    circle: str | None = None
    cadence_days: int | None = None
    birthday: str | None = None
    reach: int | None = None
    new_to_field: bool | None = None
    no_intros: bool | None = None
    open_to: str | None = None


# --- what the writes did -----------------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class MyValues:
    """`me`: the user's own values and interests, by name (``{"values": [...]}``)."""

    values: tuple[str, ...]


# --- reading people ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person as `list --json` shows them: every field of the data model.

    ``created_at`` is ISO text with a ``T``; ``last_touch`` the day of their
    latest meeting (``None``: never met).
    """

    id: int
    name: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    org: str | None
    role: str | None
    location: str | None
    url: str | None
    tags: tuple[str, ...]
    circle: str
    cadence_days: int | None
    new_to_field: bool
    reach: int | None
    birthday: str | None
    no_intros: bool
    open_to: str | None
    snoozed_until: str | None
    source: str | None
    source_connected_on: str | None
    created_at: str | None
    last_touch: str | None

    def as_json(self) -> dict[str, object]:
        # The rule of records/__init__ (field name = key) in one generated dict display
        # per class, the quickest way to write 20,000 people for `list --json`.
        writer = _WRITERS.get(type(self)) or _writer(type(self))
        return writer(self)


_WRITERS: dict[type, Callable[[Any], dict[str, object]]] = {}


def _writer(cls: type) -> Callable[[Any], dict[str, object]]:
    pairs = ", ".join(f"{f.name.removesuffix('_')!r}: record.{f.name}" for f in fields(cls))
    namespace: dict[str, Any] = {}
    exec(f"def as_json(record):\n    return {{{pairs}}}\n", namespace)
    _WRITERS[cls] = namespace["as_json"]
    return _WRITERS[cls]


@dataclass(frozen=True, slots=True)
class FoundPerson(PersonRow):
    """`find`: a person and where the text was found (``["org", "meeting note"]``)."""

    matched: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MeetingEvent:
    """The event a meeting was at."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class ProfileMeeting:
    """A meeting in someone's profile, with the others who were there."""

    id: int
    date: dt.date
    kind: str
    event: MeetingEvent | None
    note: str | None
    with_: tuple[PersonRef, ...]


@dataclass(frozen=True, slots=True)
class ProfileNote:
    """A dated note on someone."""

    id: int
    date: dt.date
    text: str


@dataclass(frozen=True, slots=True)
class ProfileIntro:
    """An introduction of this person to someone else (``with_``)."""

    id: int
    date: dt.date
    status: str
    status_on: dt.date | None
    ask_id: int | None
    note: str | None
    with_: PersonRef


@dataclass(frozen=True, slots=True)
class ProfileGive:
    """A line of the ledger with this person: ``"gave"`` (you to them) or ``"got"``."""

    id: int
    direction: str
    date: dt.date
    what: str
    ask_id: int | None
    intro_id: int | None


@dataclass(frozen=True, slots=True)
class Balance:
    """How many times you gave to them and they gave to you."""

    gave: int
    got: int


@dataclass(frozen=True, slots=True)
class Profile(PersonRow):
    """`show`: everything held on one person, and their score on ``today``.

    ``asks``, ``offers`` and ``promises`` are the records of their own listings
    (`asks --all`, `offers --all`, `promises --all`), this person's only; meetings,
    notes, intros and gives are oldest first. ``score`` is every factor's result, as
    `why` explains it; the JSON lists only the factors that count (as `due` does).
    """

    meetings: tuple[ProfileMeeting, ...]
    notes: tuple[ProfileNote, ...]
    asks: tuple[Ask, ...]
    offers: tuple[Offer, ...]
    promises: tuple[Promise, ...]
    intros: tuple[ProfileIntro, ...]
    gives: tuple[ProfileGive, ...]
    balance: Balance
    today: dt.date
    score: Ranked

    def as_json(self) -> dict[str, object]:
        shape = PersonRow.as_json(self)
        shape["score"] = self.score.as_dict()
        return shape

"""Records of `show`: everything held on one person, and their score.

Dates inside a profile are ``datetime.date`` values; the person's own fields
(:class:`~givenet.records.people.PersonRow`) keep ISO text, as `list` does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from givenet.records import fields_json
from givenet.records.people import PersonRef, PersonRow

if TYPE_CHECKING:
    from givenet.records.asks import Ask, Offer
    from givenet.records.log import Promise
    from givenet.rules import Ranked


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
    recorded_by: str | None = None  # the member who logged it (None before schema 6)


@dataclass(frozen=True, slots=True)
class MemberTouch:
    """How well one member of a team knows someone: their meetings, and the last."""

    member: str
    meetings: int
    last_met: dt.date


@dataclass(frozen=True, slots=True)
class ProfileNote:
    """A dated note on someone."""

    id: int
    date: dt.date
    text: str
    recorded_by: str | None = None


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
    # On a network with several members: who met them, how often and when last,
    # best known first (empty on a personal file).
    known_by: tuple[MemberTouch, ...] = ()

    def as_json(self) -> dict[str, object]:
        shape = fields_json(self)
        shape["score"] = self.score.as_dict()
        return shape

"""Records of the network of giving: matches, `who`, introductions, tags, stats.

Field names are the JSON keys of `--json` (spec section 5), in their order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from givenet.records.people import PersonRef

# --- matches ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """An open ask and an offer that could meet it: worth an introduction."""

    ask_id: int
    ask: str
    asker: PersonRef
    offer_id: int
    offer: str
    helper: PersonRef
    score: float
    matched: tuple[str, ...]  # the words or tags both share


@dataclass(frozen=True, slots=True)
class MatchList:
    """`match`: the pairs best first; ``rebuilt`` is how many candidates a rebuild kept."""

    day: dt.date
    pairs: tuple[Match, ...]
    rebuilt: int | None = None

    def as_json(self) -> tuple[Match, ...]:
        return self.pairs


# --- who ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OfferRef:
    """An offer named in a result: its id and words."""

    id: int
    text: str


@dataclass(frozen=True, slots=True)
class WhoFound:
    """`who`: someone who could help, in the shape of `list --json` plus what matched."""

    person: Any  # the person as `list --json` shows them (see store/listing.py)
    score: float
    matched: tuple[str, ...]
    offers: tuple[OfferRef, ...]  # their active offers that matched

    def as_json(self) -> dict[str, Any]:
        person = self.person
        if not isinstance(person, dict):
            from givenet.records import json_default

            person = json_default(person)
        return {**person, "score": self.score, "matched": self.matched, "offers": self.offers}


# --- introductions ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IntroMade:
    """`intro`: the intro logged, between whom, and what it brought.

    ``ask_met`` is the ask a "helped" intro marked met; ``want_no_intros`` the two
    people who said they want no introductions (worth a warning).
    """

    intro_id: int
    people: tuple[PersonRef, PersonRef]
    status: str
    day: dt.date
    ask_met: int | None
    want_no_intros: tuple[PersonRef, ...]


@dataclass(frozen=True, slots=True)
class IntroMoved:
    """`intro-status`: the intro's new status and date; the ask it marked met, if any."""

    intro_id: int
    status: str
    day: dt.date
    ask_met: int | None


@dataclass(frozen=True, slots=True)
class IntroLine:
    """One introduction in `intros`, newest first."""

    id: int
    date: dt.date
    status: str
    status_on: dt.date
    ask_id: int | None
    ask: str | None
    offer_id: int | None
    note: str | None
    people: tuple[PersonRef, PersonRef]


# --- tags -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TagUse:
    """A tag of the vocabulary and how often each kind of record carries it."""

    id: int
    name: str
    people: int
    asks: int
    offers: int
    events: int
    yours: bool  # one of your own values
    total: int


@dataclass(frozen=True, slots=True)
class TagRenamed:
    """`tag rename`: the tag's old and new names; ``merged`` when an existing tag absorbed it."""

    old: str
    new: str
    merged: bool


# --- stats ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Layer:
    """One circle: its people, with the layers inside it (``cumulative``), against capacity."""

    circle: str
    people: int
    cumulative: int
    capacity: int
    over: bool


@dataclass(frozen=True, slots=True)
class AskCounts:
    open: int
    met_last_90_days: int
    dropped_last_90_days: int


@dataclass(frozen=True, slots=True)
class IntroCounts:
    by_status: dict[str, int]  # every status, in the order of the moves
    settled: int
    helped_share: float | None  # of settled intros; None before any settled


@dataclass(frozen=True, slots=True)
class PersonCount:
    id: int
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class GivingBalance:
    gave: int
    got: int
    most_given_to: tuple[PersonCount, ...]
    most_given_by: tuple[PersonCount, ...]


@dataclass(frozen=True, slots=True)
class NetworkStats:
    """`stats`: the network's health on ``date``."""

    date: dt.date
    people: int
    acquaintances: int
    layers: tuple[Layer, ...]
    overdue_check_ins: int
    asks: AskCounts
    intros: IntroCounts
    giving_last_90_days: GivingBalance


# --- the giving ledger ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GiveLine:
    """One line of someone's giving ledger (`show --json`'s ``gives``)."""

    id: int
    direction: str  # "gave" or "got"
    date: dt.date
    what: str
    ask_id: int | None
    intro_id: int | None

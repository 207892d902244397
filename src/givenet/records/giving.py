"""Records of matching: the pairs `match` suggests and the people `who` finds.

Field names are the JSON keys of `--json` (spec section 5), in their order. The
rest of the area's records are in ``intros.py``, ``tags.py`` and ``stats.py``:
each command loads only the records it returns (a frozen dataclass costs about
half a millisecond to create at import).
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

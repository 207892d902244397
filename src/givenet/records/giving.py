"""Records of matching: the pairs `match` suggests and the people `who` finds.

Field names are the JSON keys of `--json` (spec section 5), in their order. The
rest of the area's records are in ``intros.py``, ``tags.py`` and ``stats.py``:
each command loads only the records it returns (a frozen dataclass costs about
half a millisecond to create at import).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from givenet.records.people import PersonRef, PersonRow

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
class WhoFound(PersonRow):
    """`who`: someone who could help: the person as `list --json` shows them, then
    their score, the words that matched and their active offers that matched."""

    score: float
    matched: tuple[str, ...]
    offers: tuple[OfferRef, ...]

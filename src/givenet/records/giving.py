"""Records of matching: the pairs `match` suggests.

Field names are the JSON keys of `--json` (spec section 5), in their order. The
rest of the area's records are in ``who.py``, ``intros.py``, ``tags.py`` and
``stats.py``: each command loads only the records it returns (a frozen dataclass
costs from half a millisecond to more than one to create at import, and `match`
is one of the quick commands).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from givenet.records.people import PersonRef


@dataclass(frozen=True, slots=True)
class Pair:
    """An ask and an offer, and who asks and who offers: what each record below is about."""

    ask_id: int
    ask: str
    asker: PersonRef
    offer_id: int
    offer: str
    helper: PersonRef


@dataclass(frozen=True, slots=True)
class Match(Pair):
    """An open ask and an offer that could meet it: worth an introduction."""

    score: float
    matched: tuple[str, ...]  # the words or tags both share
    why: str = ""  # the reasons, in words: "same need: a place to meet …; fits 40 of 50 seats"


@dataclass(frozen=True, slots=True)
class NotAFit(Pair):
    """`match --not-a-fit`: an ask and an offer never to be proposed together again.

    ``already`` says the pair was marked before (nothing changed).
    """

    day: dt.date
    already: bool = False


@dataclass(frozen=True, slots=True)
class FitAgain(Pair):
    """`match --fit-again`: a not-a-fit mark taken back, so `match` may propose the pair.

    ``was_marked`` is False when the pair was not marked (nothing changed);
    ``candidate`` says whether the pair, scored again, is now among the ask's candidate
    matches (False when its words and needs do not meet, the offer is withdrawn or the
    ask is settled).
    """

    was_marked: bool
    candidate: bool


@dataclass(frozen=True, slots=True)
class MatchList:
    """`match`: the pairs best first; ``rebuilt`` is how many candidates a rebuild kept."""

    day: dt.date
    pairs: tuple[Match, ...]
    rebuilt: int | None = None
    # When there are no pairs: why, in a sentence that says what is true.
    why_none: str | None = None

    def as_json(self) -> tuple[Match, ...]:
        return self.pairs

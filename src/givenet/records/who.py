"""Records of `who`: the people who could help with a need, and their offers that matched."""

from __future__ import annotations

from dataclasses import dataclass

from givenet.records.people import PersonRow
from givenet.records.profile import MemberTouch


@dataclass(frozen=True, slots=True)
class OfferRef:
    """An offer named in a result: its id and words."""

    id: int
    text: str


@dataclass(frozen=True, slots=True)
class WhoFound(PersonRow):
    """`who`: someone who could help: the person as `list --json` shows them, then
    their score, the words that matched, their active offers that matched (by words or
    by the need they meet) and why, in words."""

    score: float
    matched: tuple[str, ...]
    offers: tuple[OfferRef, ...]
    why: str = ""
    # With `who --team`: the members who met them, the one who knows them best first
    # (met most recently, then most often).
    known_by: tuple[MemberTouch, ...] = ()

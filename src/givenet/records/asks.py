"""Records of needs and gifts: asks and offers (`asks --json`, `offers --json`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from givenet.records.people import PersonRef


@dataclass(frozen=True, slots=True)
class Ask:
    """Something a person needs: ``open``, ``met`` (on ``resolved_on``, ``via`` how) or ``dropped``."""

    id: int
    person: PersonRef
    text: str
    tags: tuple[str, ...]
    due: date | None
    urgent: bool
    status: str
    created_on: date
    resolved_on: date | None
    via: str | None

    @property
    def when(self) -> str:
        """How pressing it is, in words: ``urgent``, ``by 2025-03-01`` or nothing."""
        if self.urgent:
            return "urgent"
        return f"by {self.due.isoformat()}" if self.due else ""


@dataclass(frozen=True, slots=True)
class Offer:
    """Something a person can give: ``active`` until ``withdrawn``."""

    id: int
    person: PersonRef
    text: str
    tags: tuple[str, ...]
    status: str
    created_on: date


@dataclass(frozen=True, slots=True)
class RecordedAsk(Ask):
    """`ask` (and `record_ask`): the ask just written, and when it came without tags, the
    tags already in use that fit it best (``givenet tag ask ID TAG...`` adds them)."""

    proposed_tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordedOffer(Offer):
    """`offer` (and `record_offer`): the offer just written, and the tags in use that fit
    it when it came without any (``givenet tag offer ID TAG...`` adds them)."""

    proposed_tags: tuple[str, ...] = ()

"""What `givenet draft` knows about people and what it gives back: plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class MeetingBrief:
    day: date
    kind: str
    event_name: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class AskBrief:
    id: int
    text: str
    due: date | None = None


@dataclass(frozen=True, slots=True)
class PromiseBrief:
    text: str
    due: date


@dataclass(frozen=True, slots=True)
class GotBrief:
    what: str
    day: date


@dataclass(frozen=True, slots=True)
class PersonBrief:
    """One person as a message needs them: who they are, where you met, what is open."""

    id: int
    name: str
    org: str | None = None
    role: str | None = None
    first_meeting: MeetingBrief | None = None
    last_meeting: MeetingBrief | None = None
    notes: tuple[str, ...] = ()  # newest first: meeting notes and `note` lines
    open_asks: tuple[AskBrief, ...] = ()
    open_promises: tuple[PromiseBrief, ...] = ()  # oldest due first
    offers: tuple[str, ...] = ()  # active offers
    last_got: GotBrief | None = None


@dataclass(frozen=True, slots=True)
class DraftPart:
    """One message: whom it is for, when to send it, and its text."""

    to: str
    when: str
    text: str


@dataclass(frozen=True, slots=True)
class Draft:
    """`givenet draft`: one message, or two steps of an introduction (double opt-in)."""

    kind: str
    parts: tuple[DraftPart, ...]
    templates: tuple[str, ...]  # the template files used, yours or givenet's

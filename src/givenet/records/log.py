"""Records of touches and the ledger: meetings, promises, gives, deletions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from givenet.records.people import PersonRef


@dataclass(frozen=True, slots=True)
class Promise:
    """A next step the user owes someone (`promises --json`, field for key).

    ``status`` is ``"open"`` until the promise is kept on ``kept_on``; ``event`` is
    the name of the event of the meeting it was made at, if any.
    """

    id: int
    person: PersonRef
    text: str
    due: date
    kept_on: date | None
    status: str
    meeting_id: int | None
    event: str | None


@dataclass(frozen=True, slots=True)
class MeetingLogged:
    """`log`: the meeting, its day and kind, with whom (each once), and the promises made."""

    meeting_id: int
    day: date
    kind: str
    event_id: int | None
    people: tuple[PersonRef, ...]
    promises: tuple[Promise, ...]


@dataclass(frozen=True, slots=True)
class Give:
    """A line of the giving ledger: what the user gave (``"gave"``) or got (``"got"``).

    ``ask_id`` is the ask this gift met (`gave --for`), now marked met.
    """

    id: int
    person: PersonRef
    direction: str
    what: str
    day: date
    ask_id: int | None


@dataclass(frozen=True, slots=True)
class Deletion:
    """A record to delete or just deleted, and the line that says what it is."""

    kind: str
    id: int
    description: str

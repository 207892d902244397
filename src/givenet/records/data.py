"""Records of bringing a network in and taking it out: import summaries, restores, exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

# --- import -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row or card of a file that cannot be imported, and why (``where``: "line 12")."""

    where: str
    reason: str


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A row matched to a person by their name alone (no email, URL or UID to go by)."""

    where: str
    name: str
    person_id: int


@dataclass(frozen=True, slots=True)
class PersonChange:
    """A person an import added or updated; ``what`` names what changed ("org", "2 emails")."""

    where: str
    person_id: int
    name: str
    what: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What importing a file did, or would do (``dry_run``: nothing was written).

    ``shown`` is the file as messages name it. ``same_name`` counts the new people
    who share a name with someone already there (``find_duplicates`` lists them).
    ``empty_rows`` are the rows with nothing to import (where each is: LinkedIn's
    rows holding only a date); ``left_out`` the parts of imported rows or cards that
    could not be read (a broken PHOTO), by where they were. ``merged`` counts the rows of
    a givenet export's history a merge added, by table (``meeting``, ``promise``,
    ``intro``, ``give``, ``event``, ``event_attendee``); its people are counted above.
    """

    shown: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: tuple[RowProblem, ...] = ()
    name_matches: tuple[NameMatch, ...] = ()
    added_people: tuple[PersonChange, ...] = ()
    updated_people: tuple[PersonChange, ...] = ()
    same_name: int = 0
    dry_run: bool = False
    empty_rows: tuple[str, ...] = ()
    left_out: tuple[RowProblem, ...] = ()
    merged: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Restored:
    """A givenet export put back into an empty database: rows by table, in restore order."""

    shown: str
    rows: dict[str, int]
    dry_run: bool = False

    @property
    def total(self) -> int:
        return sum(self.rows.values())


# --- export -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contact:
    """A person as the CSV and vCard exports write them.

    ``notes`` are (ISO date, text) pairs, oldest first; ``uid`` stays the same from
    one export to the next.
    """

    id: int
    name: str
    uid: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    org: str | None
    role: str | None
    location: str | None
    url: str | None
    tags: tuple[str, ...]
    circle: str
    cadence_days: int | None
    birthday: str | None
    notes: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class DueAction:
    """A person's top action on the first day it shows on the morning list (``export ics``)."""

    day: date
    person_id: int
    person_uid: str
    name: str
    action: str  # a factor name: follow_up, promise, check_in …
    reason: str


@dataclass(frozen=True, slots=True)
class Export:
    """An export's text, and what it holds: ``count`` of ``noun`` ("person", "card", "event").

    ``path`` is the file it was written to, or None when it was only returned. A whole
    JSON export to a file is streamed there as it is read: its ``content`` is then ``""``.
    """

    format: str
    content: str
    count: int
    noun: str
    path: Path | None = None

"""Records of people: a reference to one, what `add` and `edit` take in, a person's row.

Every area's records name people (:class:`PersonRef`), so this module holds only
the few records most commands need: a dataclass costs about half a millisecond at
import. What `show` returns is in ``records/profile.py``, what the people
commands changed in ``records/people_writes.py``.

A person's own fields (:class:`PersonRow`) keep the database's ISO text for dates
(``"2026-11-30"``), as `--json` writes them, so that a listing of 20,000 people is
built and written without converting them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class PersonRef:
    """A person named in a result: their id and name (``#12 Maria Lopez``)."""

    id: int
    name: str

    @property
    def label(self) -> str:
        return f"#{self.id} {self.name}"


# --- what add and edit take in -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonFields:
    """What `add` and `edit` may set; ``None`` (or nothing, for the lists) means "not given".

    ``emails``, ``phones`` and ``tags`` are added to what the person has; the first
    email of a new person is their primary one. ``circle`` is one of
    ``givenet.vocab.CIRCLES``; ``birthday`` is ``"1990-03-14"`` or ``"--03-14"``
    (``givenet.dates.parse_birthday`` reads what people type); ``reach`` a number of
    connections (``givenet.core.people.parse_reach`` reads "small", "large" …).
    """

    name: str | None = None
    emails: Sequence[str] = ()
    phones: Sequence[str] = ()
    org: str | None = None
    role: str | None = None
    location: str | None = None
    url: str | None = None
    tags: Sequence[str] = ()
    circle: str | None = None
    cadence_days: int | None = None
    birthday: str | None = None
    reach: int | None = None
    new_to_field: bool | None = None
    no_intros: bool | None = None
    open_to: str | None = None


# --- reading people ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person as `list --json` shows them: every field of the data model.

    ``created_at`` is ISO text with a ``T``; ``last_touch`` the day of their
    latest meeting (``None``: never met).
    """

    id: int
    name: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    org: str | None
    role: str | None
    location: str | None
    url: str | None
    tags: tuple[str, ...]
    circle: str
    cadence_days: int | None
    new_to_field: bool
    reach: int | None
    birthday: str | None
    no_intros: bool
    open_to: str | None
    snoozed_until: str | None
    source: str | None
    source_connected_on: str | None
    created_at: str | None
    last_touch: str | None


@dataclass(frozen=True, slots=True)
class FoundPerson(PersonRow):
    """`find`: a person and where the text was found (``["org", "meeting note"]``)."""

    matched: tuple[str, ...]


class PersonLine(NamedTuple):
    """One person as the `list` and `find` tables show them (``matched``: where `find`
    found the text, as :class:`FoundPerson` says it). A named tuple, not a frozen
    dataclass: a table of 100,000 people makes one per person, five times quicker."""

    id: int
    name: str
    org: str | None
    role: str | None
    circle: str
    tags: tuple[str, ...]
    last_touch: str | None
    matched: tuple[str, ...] = ()

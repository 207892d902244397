"""Records about people: a reference to one, and what a write did to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class PersonRef:
    """A person named in a result: their id and name (``#12 Maria Lopez``)."""

    id: int
    name: str

    @property
    def label(self) -> str:
        return f"#{self.id} {self.name}"


@dataclass(frozen=True, slots=True)
class NoteAdded:
    """`note`: the note's id and date, on whom."""

    person: PersonRef
    note_id: int
    day: date

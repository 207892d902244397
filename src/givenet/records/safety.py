"""Records of privacy, duplicates and safety: forget, merge, duplicates, backup, check."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from givenet.records.people import PersonRef


@dataclass(frozen=True, slots=True)
class Removed:
    """What forgetting a person erased with them, by kind (shared meetings stay)."""

    meetings: int = 0
    notes: int = 0
    asks: int = 0
    offers: int = 0
    promises: int = 0
    gives: int = 0
    intros: int = 0

    def items(self) -> tuple[tuple[str, int], ...]:
        """(kind, count) in the order above: ``("notes", 2)``."""
        return (
            ("meetings", self.meetings),
            ("notes", self.notes),
            ("asks", self.asks),
            ("offers", self.offers),
            ("promises", self.promises),
            ("gives", self.gives),
            ("intros", self.intros),
        )


@dataclass(frozen=True, slots=True)
class Forgotten:
    """`forget`: who was erased, what went with them, and whether the log was emptied.

    ``log_emptied`` is False when another givenet was reading: the erased text then
    stays in the database's write-ahead log (the ``-wal`` file) until it has finished.
    """

    person: PersonRef
    removed: Removed
    log_emptied: bool
    # Backups beside the database that still hold the person (forget cannot reach
    # into them), and those deleted with ``backups=True``.
    backups: tuple[Path, ...] = ()
    backups_deleted: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class Merged:
    """`merge`: ``merged`` was folded into ``kept``; ``filled`` names kept's fields that
    were empty and now hold the other's; ``moved`` counts the rows moved, by table."""

    kept: PersonRef
    merged: PersonRef
    filled: tuple[str, ...]
    moved: dict[str, int]


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Two people who are probably one, and why ("same email …", "similar names")."""

    people: tuple[PersonRef, PersonRef]
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BackedUp:
    """`backup`: the database and the copy written."""

    source: Path
    target: Path


@dataclass(frozen=True, slots=True)
class DatabaseCheck:
    """`check`: the database file and what is wrong with it (nothing when ``ok``)."""

    path: Path | str  # a team database's URL (without its password) as text
    problems: tuple[str, ...]
    # What to do about them: restore a backup only for real damage; try again when
    # another givenet is writing; rebuild incomplete search indexes.
    advice: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

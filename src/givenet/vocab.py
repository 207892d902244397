"""The project's vocabularies, each written once: circles, meeting kinds, statuses and
their moves, deletable record kinds, and the chunk size of ``IN (…)`` lists.

Pure and light (the standard library only): the CLI's choices, the models, the
store's SQL (through :func:`sql_list`), the importers and the rules all import
from here, so a new circle or status is one edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

_Item = TypeVar("_Item")


class Circle(StrEnum):
    """How close someone is (Dunbar's nested layers, innermost first)."""

    inner = "inner"
    active = "active"
    wide = "wide"
    acquaintance = "acquaintance"


CIRCLES: tuple[str, ...] = tuple(circle.value for circle in Circle)
DEFAULT_CIRCLE = Circle.acquaintance.value
# Circles with a check-in cadence of their own (`cadence.<circle>` settings).
CADENCED_CIRCLES: tuple[str, ...] = (Circle.inner.value, Circle.active.value, Circle.wide.value)


class MeetingKind(StrEnum):
    """How a meeting happened."""

    event = "event"
    meeting = "meeting"  # in person, neither coffee nor a meal
    coffee = "coffee"
    call = "call"
    message = "message"
    email = "email"
    meal = "meal"
    other = "other"


MEETING_KINDS: tuple[str, ...] = tuple(kind.value for kind in MeetingKind)

ASK_STATUSES = ("open", "met", "dropped")
# The moves an ask's status may make, by command: (from these statuses, to this one).
ASK_MOVES: dict[str, tuple[frozenset[str], str]] = {
    "resolve": (frozenset({"open"}), "met"),
    "drop": (frozenset({"open"}), "dropped"),
    "reopen": (frozenset({"met", "dropped"}), "open"),
}
OFFER_STATUSES = ("active", "withdrawn")
GIVE_DIRECTIONS = ("gave", "got")
ATTENDANCE = ("expected", "met")


class IntroStatus(StrEnum):
    """Where an introduction stands (double opt-in: suggested, asked, made, …)."""

    suggested = "suggested"
    asked = "asked"
    made = "made"
    met = "met"
    helped = "helped"
    no_fit = "no-fit"
    fizzled = "fizzled"
    declined = "declined"


INTRO_STATUSES: tuple[str, ...] = tuple(status.value for status in IntroStatus)
# The statuses each intro status may move to.
INTRO_MOVES: dict[str, tuple[str, ...]] = {
    "suggested": ("asked", "made", "declined"),
    "asked": ("made", "declined"),
    "made": ("met", "no-fit", "fizzled"),
    "met": ("helped", "no-fit", "fizzled"),
    "helped": (),
    "no-fit": (),
    "fizzled": (),
    "declined": (),
}
# Intros still under way: they wait on you or on the two people.
OPEN_INTRO_STATUSES = ("suggested", "asked", "made", "met")
# From "made" on, the user has given both people something: the ledger says so.
GIVEN_STATUSES = ("made", "met", "helped", "no-fit", "fizzled")

# What `givenet delete KIND ID` may remove (a mistake), by kind.
DELETABLE_KINDS = ("meeting", "note", "ask", "offer", "give", "intro", "promise", "event")

# Ids go into `IN (…)` lists at most this many at a time: SQLite's default limit on
# bound parameters is 999 in older builds.
IN_CHUNK = 900


def sql_list(values: Iterable[str]) -> str:
    """A vocabulary as an SQL list of literals: ``'inner', 'active', 'wide'``."""
    quoted = []
    for value in values:
        if "'" in value:
            raise ValueError(f"vocabulary words are plain: {value!r}")
        quoted.append(f"'{value}'")
    return ", ".join(quoted)


def chunks(ids: Iterable[_Item], size: int = IN_CHUNK) -> list[list[_Item]]:
    """Ids (or keys) in lists short enough for one ``IN (…)``."""
    listed = list(ids)
    return [listed[start : start + size] for start in range(0, len(listed), size)]

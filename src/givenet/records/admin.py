"""Records of settings and housekeeping: `config` and `demo`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from givenet.records.ranking import MorningList


@dataclass(frozen=True, slots=True)
class SettingEntry:
    """One setting of `config --json`: its value and default, in its ``unit``.

    ``unit`` is ``"weight"`` (a number), ``"days"`` (then ``value`` and
    ``default`` are whole days) or ``"count"`` (a whole number); ``changed`` says it
    differs from the default.
    """

    key: str
    value: float
    default: float
    unit: str
    changed: bool
    help: str


@dataclass(frozen=True, slots=True)
class DemoNetwork:
    """`demo`: where the sample network was written, what it holds, and its morning list."""

    path: Path
    people: int
    events: int
    meetings: int
    asks: int
    offers: int
    due: MorningList


@dataclass(frozen=True, slots=True)
class Whoami:
    """`whoami`: who writes (``$GIVENET_USER``, else the login name), to which network,
    and every member who has written to it (on a personal file, its one user)."""

    member: str
    network: str  # a file's path, or a team database's URL without its password
    engine: str  # "sqlite" or "postgresql"
    members: tuple[str, ...]

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

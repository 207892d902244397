"""The record of `stats`: the network's health, with its nested parts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Layer:
    """One circle: its people, with the layers inside it (``cumulative``), against capacity."""

    circle: str
    people: int
    cumulative: int
    capacity: int
    over: bool


@dataclass(frozen=True, slots=True)
class AskCounts:
    open: int
    met_last_90_days: int
    dropped_last_90_days: int


@dataclass(frozen=True, slots=True)
class IntroCounts:
    by_status: dict[str, int]  # every status, in the order of the moves
    settled: int
    helped_share: float | None  # of settled intros; None before any settled


@dataclass(frozen=True, slots=True)
class SuggestionCounts:
    """What became of `match`'s suggestions: intros made for an ask, pairs marked not a
    fit, and intros for an ask that helped."""

    taken: int
    not_a_fit: int
    helped: int


@dataclass(frozen=True, slots=True)
class PersonCount:
    id: int
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class GivingBalance:
    gave: int
    got: int
    most_given_to: tuple[PersonCount, ...]
    most_given_by: tuple[PersonCount, ...]


@dataclass(frozen=True, slots=True)
class NetworkStats:
    """`stats`: the network's health on ``date``."""

    date: dt.date
    people: int
    acquaintances: int
    layers: tuple[Layer, ...]
    overdue_check_ins: int
    asks: AskCounts
    intros: IntroCounts
    suggestions: SuggestionCounts
    giving_last_90_days: GivingBalance

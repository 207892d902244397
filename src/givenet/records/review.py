"""The record of `givenet review`: the week's give-first review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from givenet.records.intros import IntroLine
from givenet.records.people import PersonRef
from givenet.records.stats import Layer


@dataclass(frozen=True, slots=True)
class LedgerLine:
    id: int
    person: PersonRef
    what: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class PromiseLine:
    id: int
    person: PersonRef
    text: str
    due: dt.date
    kept_on: dt.date | None
    late_by_days: int  # kept this many days after it was due, or open and overdue by


@dataclass(frozen=True, slots=True)
class AskMet:
    id: int
    person: PersonRef
    text: str
    resolved_on: dt.date
    via: str | None


@dataclass(frozen=True, slots=True)
class WeekCount:
    """Ledger lines of one week, ``week_from`` to six days later."""

    week_from: dt.date
    gave: int
    got: int


@dataclass(frozen=True, slots=True)
class DormantTie:
    person: PersonRef
    last_contact: dt.date | None
    reason: str


@dataclass(frozen=True, slots=True)
class WeeklyReview:
    """`review`: the seven days ending on ``date``, and giving over twelve weeks."""

    date: dt.date
    week_from: dt.date
    gave: tuple[LedgerLine, ...]
    got: tuple[LedgerLine, ...]
    intros_waiting: tuple[IntroLine, ...]  # suggested, asked, made or met
    intro_outcomes: tuple[IntroLine, ...]  # settled or declined this week
    promises_kept: tuple[PromiseLine, ...]  # kept this week, on time or late
    promises_late: tuple[PromiseLine, ...]  # still open past their date
    asks_met: tuple[AskMet, ...]  # this week
    reconnect: DormantTie | None  # today's dormant tie, as `due` wakes it
    circles_over: tuple[Layer, ...]  # layers over their capacity
    giving_weeks: tuple[WeekCount, ...]  # the last twelve weeks, oldest first

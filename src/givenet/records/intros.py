"""Records of introductions: one logged, one moved on, and the list of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from givenet.records.people import PersonRef


@dataclass(frozen=True, slots=True)
class IntroMade:
    """`intro`: the intro logged, between whom, and what it brought.

    ``ask_met`` is the ask a "helped" intro marked met; ``want_no_intros`` the two
    people who said they want no introductions (worth a warning).
    """

    intro_id: int
    people: tuple[PersonRef, PersonRef]
    status: str
    day: dt.date
    ask_met: int | None
    want_no_intros: tuple[PersonRef, ...]
    # Promises this intro kept: ``--keeps``, and open promises to either person that
    # name an intro and the other (``"introduce her to Amara"``).
    promises_kept: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class IntroMoved:
    """`intro-status`: the intro's new status and date; the ask it marked met, if any."""

    intro_id: int
    status: str
    day: dt.date
    ask_met: int | None


@dataclass(frozen=True, slots=True)
class IntroLine:
    """One introduction in `intros`, newest first."""

    id: int
    date: dt.date
    status: str
    status_on: dt.date
    ask_id: int | None
    ask: str | None
    offer_id: int | None
    note: str | None
    people: tuple[PersonRef, PersonRef]

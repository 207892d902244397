"""Read the dates, durations and birthdays people type, and say dates back to them.

Every function here is pure: the current day is always passed in as ``today``,
so the same text always gives the same answer in tests and in the CLI.

A date can be written as:

* an ISO date: ``2026-11-20``;
* a named day: ``today``, ``yesterday``, ``tomorrow``;
* a count back or ahead: ``3 days ago``, ``2w ago``, ``1m ago``, ``in 10 days``,
  ``in 3 weeks`` (a month is always 30 days, as in durations);
* a weekday: ``last friday``, ``next mon``, or a bare ``friday``, whose side of
  today is chosen by ``direction``;
* a month name and a day, with or without a year: ``Nov 20``, ``20 Nov 2026``,
  ``Nov 20, 2026``; without a year ``direction`` picks the nearest such day on
  its side of today (today included);
* a vCard-style yearless day: ``--11-20``.

Anything else, including times of day, bare numbers and trailing words, is
refused with :class:`~givenet.errors.InvalidInput`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import NamedTuple

from givenet.errors import InvalidInput

PAST = "past"
FUTURE = "future"

# The years a typed date may fall in, and the longest duration: far enough for any
# life, near enough that date arithmetic never leaves Python's calendar.
FIRST_YEAR = 1800
LAST_YEAR = 9000
LONGEST_DURATION = 3650

# No date we read is longer than this; longer text is refused before any regex runs.
_MAX_LENGTH = 40
_SHOWN_LENGTH = 40

_DATE_EXAMPLES = (
    "2026-11-20, today, yesterday, 3 days ago, 2w ago, in 10 days, last friday, "
    "next monday, Nov 20 or 20 Nov 2026"
)
_DURATION_EXAMPLES = "30, 30d, 2w, 3m, 3y"
_BIRTHDAY_EXAMPLES = "1990-03-14, 14 March 1990, Mar 14 or --03-14"

_NAMED_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}

_WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}

_UNIT_DAYS = {
    "d": 1,
    "day": 1,
    "days": 1,
    "w": 7,
    "week": 7,
    "weeks": 7,
    "m": 30,
    "month": 30,
    "months": 30,
    "y": 365,
    "year": 365,
    "years": 365,
}

# re.ASCII throughout: \d must not match other scripts' digits, which int() would accept.
_COUNT = r"(?P<count>\d{1,6})\s*(?P<unit>days?|d|weeks?|w|months?|m)"
_AGO = re.compile(_COUNT + r"\s+ago", re.ASCII)
_AHEAD = re.compile(r"in\s+" + _COUNT, re.ASCII)
_DURATION = re.compile(
    r"(?P<count>\d{1,6})\s*(?P<unit>days?|d|weeks?|w|months?|m|years?|y)?", re.ASCII
)
_WEEKDAY = re.compile(r"(?:(?P<side>last|next)\s+)?(?P<name>[a-z]+)", re.ASCII)

_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})", re.ASCII)
_YEARLESS = re.compile(r"--(?P<month>\d{2})-?(?P<day>\d{2})", re.ASCII)
_STORED_BIRTHDAY = re.compile(r"(?:\d{4}|-)-(?P<month>\d{2})-(?P<day>\d{2})", re.ASCII)

# This only decides which texts are shaped like "Nov 20" / "20 Nov 2026"; dateutil
# then reads them. dateutil alone would also take times, weekdays and filler words.
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"\d{4}"
_SEP = r"(?:\s*[,/-]\s*|\s+)"
_MONTH_NAME_DAY = re.compile(
    rf"(?:{_MONTH}{_SEP}{_DAY}|{_DAY}(?:\s+of)?{_SEP}{_MONTH})(?:{_SEP}{_YEAR})?",
    re.ASCII,
)

_TYPED_DAY = re.compile(r"(?<!\d)(\d{1,2})(?!\d)", re.ASCII)

# Defaults for dateutil: a year that survives parsing was typed. Two different leap
# years, so that "Feb 29" parses and no typed year can pass for the default.
_SENTINELS = (datetime(9996, 1, 1), datetime(9992, 1, 1))

# Feb 29 can be 8 years from the last one (2096 -> 2104), so look that far.
_YEARS_TO_SEARCH = 9


class _CalendarDay(NamedTuple):
    """A month and day as typed, with the year when one was typed."""

    year: int | None
    month: int
    day: int


class _NoSuchDay(ValueError):
    """Text shaped like a calendar day that names a day that does not exist."""


def parse_date(text: str, today: date, direction: str = PAST) -> date:
    """Read a typed date; ``direction`` resolves yearless days and bare weekdays."""
    _check_direction(direction)
    cleaned = _normalise(text)
    if not cleaned:
        raise _unreadable("date", text, _DATE_EXAMPLES, "it is empty")
    if len(cleaned) > _MAX_LENGTH:
        raise _unreadable("date", text, _DATE_EXAMPLES, "it is too long")
    try:
        found = _relative_date(cleaned, today, direction)
        if found is None:
            calendar_day = _calendar_day(cleaned)
            found = _resolve(calendar_day, today, direction) if calendar_day else None
        if found is not None:
            if not FIRST_YEAR <= found.year <= LAST_YEAR:
                raise OverflowError(found)
            return found
    except _NoSuchDay:
        raise _unreadable("date", text, _DATE_EXAMPLES, "no such day") from None
    except OverflowError:
        raise _unreadable("date", text, _DATE_EXAMPLES, "outside the calendar") from None
    reason = "a bare number is ambiguous" if cleaned.isdigit() else ""
    raise _unreadable("date", text, _DATE_EXAMPLES, reason)


def is_yearless(text: str) -> bool:
    """Whether ``text`` is a calendar day typed without its year (``Nov 20``,
    ``--11-20``), to which ``parse_date`` gives the nearest year on its side of today.
    ``in 400 days`` and ``2027-11-20`` are not: what they mean does not depend on that."""
    cleaned = _normalise(text)
    if not cleaned or len(cleaned) > _MAX_LENGTH:
        return False
    try:
        found = _calendar_day(cleaned)
    except _NoSuchDay:
        return False
    return found is not None and found.year is None


def parse_duration(text: str) -> int:
    """Read a typed duration as a number of days: ``30``, ``30d``, ``2w``, ``3m``, ``3y``, ``2 weeks``."""
    cleaned = _normalise(text)
    match = _DURATION.fullmatch(cleaned) if len(cleaned) <= _MAX_LENGTH else None
    if match is None:
        raise _unreadable("duration", text, _DURATION_EXAMPLES)
    count = int(match["count"])
    per_unit = _UNIT_DAYS[match["unit"] or "d"]
    # Zero is the way to switch a duration off; one spelling of it is enough.
    if count == 0 and per_unit != 1:
        raise _unreadable("duration", text, _DURATION_EXAMPLES, "write zero as 0 or 0d")
    if count * per_unit > LONGEST_DURATION:
        raise _unreadable("duration", text, _DURATION_EXAMPLES, "longer than ten years")
    return count * per_unit


def format_duration(days: int) -> str:
    """Write a number of days the way ``parse_duration`` reads it: ``14`` -> ``2w``, ``1095`` -> ``3y``."""
    if days < 0:
        raise ValueError(f"a duration cannot be negative: {days}")
    if days and days % 365 == 0:
        return f"{days // 365}y"
    if days and days % 7 == 0:
        return f"{days // 7}w"
    return f"{days}d"


def parse_birthday(text: str, today: date) -> str:
    """Read a birthday: ``YYYY-MM-DD`` when a year was typed, vCard ``--MM-DD`` when not."""
    cleaned = _normalise(text)
    try:
        calendar_day = _calendar_day(cleaned) if len(cleaned) <= _MAX_LENGTH else None
    except _NoSuchDay:
        raise _unreadable("birthday", text, _BIRTHDAY_EXAMPLES, "no such day") from None
    if calendar_day is None:
        raise _unreadable("birthday", text, _BIRTHDAY_EXAMPLES, _birthday_hint(cleaned, today))
    year, month, day = calendar_day
    if year is None:
        return f"--{month:02d}-{day:02d}"
    born = date(year, month, day)
    if born > today:
        raise _unreadable("birthday", text, _BIRTHDAY_EXAMPLES, "it is after today")
    return born.isoformat()


def birthday_month_day(stored: str) -> tuple[int, int]:
    """Return (month, day) of a birthday stored as ``YYYY-MM-DD`` or ``--MM-DD``."""
    match = _STORED_BIRTHDAY.fullmatch(stored)
    if match is None:
        raise _unreadable_stored_birthday(stored)
    month, day = int(match["month"]), int(match["day"])
    try:
        _check_month_day(month, day)
    except _NoSuchDay:
        raise _unreadable_stored_birthday(stored) from None
    return month, day


def _check_direction(direction: str) -> None:
    if direction not in (PAST, FUTURE):
        raise ValueError(f"direction must be {PAST!r} or {FUTURE!r}, not {direction!r}")


def _normalise(text: str) -> str:
    return " ".join(text.split()).lower()


def _relative_date(cleaned: str, today: date, direction: str) -> date | None:
    """Read the forms counted from today; None when the text is not one of them."""
    if cleaned in _NAMED_DAYS:
        return today + timedelta(days=_NAMED_DAYS[cleaned])
    if match := _AGO.fullmatch(cleaned):
        return today - timedelta(days=_count_days(match))
    if match := _AHEAD.fullmatch(cleaned):
        return today + timedelta(days=_count_days(match))
    return _weekday(cleaned, today, direction)


def _count_days(match: re.Match[str]) -> int:
    return int(match["count"]) * _UNIT_DAYS[match["unit"]]


def _weekday(cleaned: str, today: date, direction: str) -> date | None:
    match = _WEEKDAY.fullmatch(cleaned)
    if match is None or match["name"] not in _WEEKDAYS:
        return None
    target = _WEEKDAYS[match["name"]]
    side = match["side"] or ("last" if direction == PAST else "next")
    if side == "last":
        return today - timedelta(days=(today.weekday() - target) % 7 or 7)
    return today + timedelta(days=(target - today.weekday()) % 7 or 7)


def _calendar_day(cleaned: str) -> _CalendarDay | None:
    """Read an ISO, vCard or month-name day; None when the text is none of those."""
    if match := _ISO.fullmatch(cleaned):
        year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
        try:
            date(year, month, day)
        except ValueError as error:
            raise _NoSuchDay(cleaned) from error
        return _CalendarDay(year, month, day)
    if match := _YEARLESS.fullmatch(cleaned):
        month, day = int(match["month"]), int(match["day"])
        _check_month_day(month, day)
        return _CalendarDay(None, month, day)
    if _MONTH_NAME_DAY.fullmatch(cleaned):
        return _month_name_day(cleaned)
    return None


def _month_name_day(cleaned: str) -> _CalendarDay:
    from dateutil.parser import ParserError, parse

    try:
        first, second = (parse(cleaned, default=sentinel) for sentinel in _SENTINELS)
    except (ParserError, ValueError, OverflowError, TypeError) as error:
        raise _NoSuchDay(cleaned) from error
    # dateutil reads an impossible day as a year ("32 Nov" -> 2032-11-01): the day
    # typed must be the day read.
    typed_day = _TYPED_DAY.search(cleaned)
    if typed_day is None or int(typed_day.group(1)) != first.day:
        raise _NoSuchDay(cleaned)
    year = first.year if first.year == second.year else None
    return _CalendarDay(year, first.month, first.day)


def _check_month_day(month: int, day: int) -> None:
    try:
        date(2000, month, day)  # a leap year, so Feb 29 counts
    except ValueError as error:
        raise _NoSuchDay(f"{month}-{day}") from error


def _resolve(calendar_day: _CalendarDay, today: date, direction: str) -> date:
    """Give a yearless day the nearest year on ``direction``'s side of today."""
    year, month, day = calendar_day
    if year is not None:
        return date(year, month, day)
    step = -1 if direction == PAST else 1
    for offset in range(_YEARS_TO_SEARCH):
        candidate = _date_or_none(today.year + offset * step, month, day)
        if candidate is None:
            continue
        if (candidate <= today) if direction == PAST else (candidate >= today):
            return candidate
    raise OverflowError(f"no {month}-{day} near {today}")


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _birthday_hint(cleaned: str, today: date) -> str:
    try:
        is_relative = _relative_date(cleaned, today, PAST) is not None
    except OverflowError:
        is_relative = True
    return "a birthday is a calendar day, not one counted from today" if is_relative else ""


def _unreadable(what: str, text: str, examples: str, reason: str = "") -> InvalidInput:
    because = f" ({reason})" if reason else ""
    return InvalidInput(f"Cannot read the {what} {_shown(text)}{because}. Try {examples}.")


def _unreadable_stored_birthday(stored: str) -> InvalidInput:
    return InvalidInput(
        f"Cannot read the stored birthday {_shown(stored)}; expected YYYY-MM-DD or --MM-DD."
    )


def _shown(text: str) -> str:
    """Quote typed text for a one-line message: whitespace collapsed, long text cut."""
    flat = " ".join(text.split())
    if len(flat) > _SHOWN_LENGTH:
        flat = flat[:_SHOWN_LENGTH] + "…"
    return repr(flat)

"""Tests for givenet.dates: typed dates, durations, relative days and birthdays."""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givenet.dates import (
    FUTURE,
    PAST,
    birthday_month_day,
    format_duration,
    is_yearless,
    parse_birthday,
    parse_date,
    parse_duration,
)
from givenet.errors import InvalidInput

TODAY = date(2026, 11, 26)  # a Thursday

# No deadline: the first example also pays for importing dateutil.
QUICK = settings(max_examples=300, deadline=None)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", d(11, 20)),
        ("  2026-11-20\n", d(11, 20)),
        ("2026-1-5", d(1, 5)),
        ("1990-02-28", d(2, 28, 1990)),
        ("today", TODAY),
        ("TODAY", TODAY),
        ("yesterday", d(11, 25)),
        ("Tomorrow", d(11, 27)),
        ("3 days ago", d(11, 23)),
        ("1 day ago", d(11, 25)),
        ("0 days ago", TODAY),
        ("3d ago", d(11, 23)),
        ("3 d  ago", d(11, 23)),
        ("2w ago", d(11, 12)),
        ("2 weeks ago", d(11, 12)),
        ("1 week ago", d(11, 19)),
        ("1m ago", d(10, 27)),
        ("2 months ago", d(9, 27)),
        ("in 10 days", d(12, 6)),
        ("in 1 day", d(11, 27)),
        ("in 1d", d(11, 27)),
        ("in 2w", d(12, 10)),
        ("in 3 weeks", d(12, 17)),
        ("in 1 month", d(12, 26)),
        ("IN 2M", d(1, 25, 2027)),
        ("last friday", d(11, 20)),
        ("last fri", d(11, 20)),
        ("last thursday", d(11, 19)),
        ("last wednesday", d(11, 25)),
        ("last sun", d(11, 22)),
        ("next monday", d(11, 30)),
        ("Next Mon", d(11, 30)),
        ("next thursday", d(12, 3)),
        ("next friday", d(11, 27)),
        ("next wed", d(12, 2)),
        ("20 Nov 2026", d(11, 20)),
        ("Nov 20, 2026", d(11, 20)),
        ("November 20 2025", d(11, 20, 2025)),
        ("20-Nov-2026", d(11, 20)),
        ("Feb 29 2028", d(2, 29, 2028)),
        ("dec 1 2030", d(12, 1, 2030)),
    ],
)
def test_dates_that_do_not_depend_on_direction(text: str, expected: date) -> None:
    assert parse_date(text, TODAY, PAST) == expected
    assert parse_date(text, TODAY, FUTURE) == expected


@pytest.mark.parametrize(
    ("text", "past", "future"),
    [
        ("friday", d(11, 20), d(11, 27)),
        ("fri", d(11, 20), d(11, 27)),
        ("thursday", d(11, 19), d(12, 3)),
        ("Mon", d(11, 23), d(11, 30)),
        ("wed", d(11, 25), d(12, 2)),
        ("Nov 20", d(11, 20), d(11, 20, 2027)),
        ("20 Nov", d(11, 20), d(11, 20, 2027)),
        ("November 20", d(11, 20), d(11, 20, 2027)),
        ("nov 20th", d(11, 20), d(11, 20, 2027)),
        ("20th of November", d(11, 20), d(11, 20, 2027)),
        ("Nov. 20", d(11, 20), d(11, 20, 2027)),
        ("--11-20", d(11, 20), d(11, 20, 2027)),
        ("Nov 26", TODAY, TODAY),
        ("26 november", TODAY, TODAY),
        ("Nov 27", d(11, 27, 2025), d(11, 27)),
        ("Dec 1", d(12, 1, 2025), d(12, 1)),
        ("Jan 1", d(1, 1), d(1, 1, 2027)),
        ("sept 3", d(9, 3), d(9, 3, 2027)),
        ("Feb 29", d(2, 29, 2024), d(2, 29, 2028)),
        ("--0229", d(2, 29, 2024), d(2, 29, 2028)),
    ],
)
def test_direction_picks_the_side_of_today(text: str, past: date, future: date) -> None:
    assert parse_date(text, TODAY) == past  # PAST is the default
    assert parse_date(text, TODAY, PAST) == past
    assert parse_date(text, TODAY, FUTURE) == future


@pytest.mark.parametrize(
    ("text", "today", "direction", "expected"),
    [
        ("Dec 31", date(2027, 1, 2), PAST, date(2026, 12, 31)),
        ("Jan 3", date(2026, 12, 30), FUTURE, date(2027, 1, 3)),
        ("Jan 1", date(2027, 1, 1), PAST, date(2027, 1, 1)),
        ("Jan 1", date(2027, 1, 1), FUTURE, date(2027, 1, 1)),
        ("yesterday", date(2027, 1, 1), PAST, date(2026, 12, 31)),
        ("in 1 week", date(2026, 12, 28), PAST, date(2027, 1, 4)),
        ("last thursday", date(2027, 1, 7), PAST, date(2026, 12, 31)),
        ("next friday", date(2026, 12, 30), PAST, date(2027, 1, 1)),
        ("1 day ago", date(2024, 3, 1), PAST, date(2024, 2, 29)),
        # 2100 is not a leap year, so the Feb 29s around it are eight years apart.
        ("Feb 29", date(2101, 3, 1), PAST, date(2096, 2, 29)),
        ("Feb 29", date(2097, 1, 1), FUTURE, date(2104, 2, 29)),
    ],
)
def test_other_todays(text: str, today: date, direction: str, expected: date) -> None:
    assert parse_date(text, today, direction) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "blorp",
        "10:30",
        "10:30pm",
        "noon",
        "5",
        "2026",
        "20261120",
        "-3 days ago",
        "in -3 days",
        "3 days",
        "days ago",
        "in days",
        "3 fortnights ago",
        "3.5 days ago",
        "1234567 days ago",
        "999999 days ago",
        "in 999999 months",
        "Feb 30",
        "Feb 29 2027",
        "Nov 31",
        "32 Nov",
        "Nov 45",
        "45 November 2026",
        "0 Nov",
        "2026-02-30",
        "2026-13-01",
        "--13-01",
        "--02-30",
        "Nov",
        "Nov 2026",
        "Nov 20 26",
        "11/20/2026",
        "20.11.2026",
        "Nov 20 10:30",
        "Nov 20 at",
        "Nov 20 blorp",
        "Fri Nov 20",
        "friday 13",
        "2026-11-20x",
        "2026-11-20T10:30",
        "3 days ago please",
        "last",
        "next",
        "last fooday",
        "last nov 20",
        "this friday",
        "ｎｏｖ 20",
        "٣ days ago",
        "x" * 10_000,
        "🎂" * 10_000,
    ],
)
def test_bad_dates_are_refused(text: str) -> None:
    for direction in (PAST, FUTURE):
        with pytest.raises(InvalidInput) as caught:
            parse_date(text, TODAY, direction)
        message = caught.value.message
        assert message.startswith("Cannot read the date ")
        assert "Try 2026-11-20, today" in message
        assert "\n" not in message
        assert len(message) < 250


def test_message_names_the_text_and_gives_examples() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_date("  blorp ", TODAY)
    assert caught.value.message == (
        "Cannot read the date 'blorp'. Try 2026-11-20, today, yesterday, 3 days ago, 2w ago, "
        "in 10 days, last friday, next monday, Nov 20 or 20 Nov 2026."
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "(it is empty)"),
        ("5", "(a bare number is ambiguous)"),
        ("Feb 30", "(no such day)"),
        ("tomorrow", "(outside the calendar)"),
    ],
)
def test_message_gives_a_reason_when_it_knows_one(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=r"^Cannot read") as caught:
        parse_date(text, date(9999, 12, 31))
    assert reason in caught.value.message


def test_very_long_input_is_refused_quickly() -> None:
    start = time.perf_counter()
    for text in ("nov 20 " * 1500, "9" * 10_000, "in " + "9" * 10_000 + " days"):
        with pytest.raises(InvalidInput):
            parse_date(text, TODAY)
    assert time.perf_counter() - start < 0.5


def test_edges_of_the_calendar_are_refused_not_crashed() -> None:
    for text, today in [
        ("tomorrow", date.max),
        ("next monday", date.max),
        ("yesterday", date.min),
        ("Dec 31", date(1, 1, 1)),
        ("Jan 1", date.max),
    ]:
        with pytest.raises(InvalidInput):
            parse_date(text, today, FUTURE if today == date.max else PAST)


def test_unknown_direction_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="direction"):
        parse_date("today", TODAY, "sideways")


_DATE_ALPHABET = "0123456789 -/,.:abcdefghijklmnopqrstuvwxyz"


@QUICK
@given(
    text=st.text() | st.text(alphabet=_DATE_ALPHABET, max_size=24),
    today=st.dates(),
    direction=st.sampled_from([PAST, FUTURE]),
)
@pytest.mark.slow
def test_any_text_gives_a_date_or_invalid_input(text: str, today: date, direction: str) -> None:
    try:
        result = parse_date(text, today, direction)
    except InvalidInput as error:
        assert error.message.startswith("Cannot read")
        assert "\n" not in error.message
    else:
        assert isinstance(result, date)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("0", 0),
        ("0d", 0),
        ("0 days", 0),
        ("1", 1),
        ("30", 30),
        ("30d", 30),
        (" 30D ", 30),
        ("1 day", 1),
        ("10 days", 10),
        ("2w", 14),
        ("1 week", 7),
        ("2 weeks", 14),
        ("3m", 90),
        ("1 month", 30),
        ("2 months", 60),
        ("3y", 1095),
        ("1 year", 365),
        ("2 years", 730),
    ],
)
def test_durations(text: str, days: int) -> None:
    assert parse_duration(text) == days


@pytest.mark.parametrize(
    "text",
    [
        "",
        "d",
        "w",
        "-1",
        "-1d",
        "0w",
        "0m",
        "0y",
        "11y",
        "0 weeks",
        "2x",
        "2.5d",
        "1e3",
        "two weeks",
        "2 weeks ago",
        "in 2 weeks",
        "1234567",
        "٣",
        "3" * 10_000,
    ],
)
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_duration(text)
    message = caught.value.message
    assert message.startswith("Cannot read the duration ")
    assert message.endswith("Try 30, 30d, 2w, 3m, 3y.")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (0, "0d"),
        (1, "1d"),
        (6, "6d"),
        (7, "1w"),
        (14, "2w"),
        (30, "30d"),
        (364, "52w"),
        (365, "1y"),
        (1095, "3y"),
        (2555, "7y"),
    ],
)
def test_format_duration(days: int, text: str) -> None:
    assert format_duration(days) == text


def test_format_duration_refuses_negative_days() -> None:
    with pytest.raises(ValueError):
        format_duration(-1)


@QUICK
@given(st.integers(min_value=0, max_value=3650))
@pytest.mark.slow
def test_formatted_durations_read_back(days: int) -> None:
    assert parse_duration(format_duration(days)) == days


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("1990-03-14", "1990-03-14"),
        ("14 March 1990", "1990-03-14"),
        ("March 14, 1990", "1990-03-14"),
        ("Mar 14", "--03-14"),
        ("14 mar", "--03-14"),
        ("--03-14", "--03-14"),
        ("--0314", "--03-14"),
        ("Feb 29", "--02-29"),
        ("29 Feb 2000", "2000-02-29"),
        ("Nov 26 2026", "2026-11-26"),
        ("Dec 25", "--12-25"),
    ],
)
def test_birthdays(text: str, stored: str) -> None:
    assert parse_birthday(text, TODAY) == stored


@pytest.mark.parametrize(
    "text",
    [
        "",
        "blorp",
        "yesterday",
        "today",
        "3 days ago",
        "in 2w",
        "friday",
        "last friday",
        "Feb 30",
        "Feb 29 2001",
        "--02-30",
        "--13-01",
        "1990-13-01",
        "Nov 27 2026",
        "2030-01-01",
        "1990",
        "14/03/1990",
        "x" * 10_000,
    ],
)
def test_bad_birthdays_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_birthday(text, TODAY)
    message = caught.value.message
    assert message.startswith("Cannot read the birthday ")
    assert "Try 1990-03-14" in message
    assert "\n" not in message


def test_relative_birthdays_say_why() -> None:
    with pytest.raises(InvalidInput, match="calendar day"):
        parse_birthday("yesterday", TODAY)


@pytest.mark.parametrize(
    ("stored", "month_day"),
    [("1990-03-14", (3, 14)), ("--03-14", (3, 14)), ("--02-29", (2, 29)), ("2000-12-31", (12, 31))],
)
def test_birthday_month_day(stored: str, month_day: tuple[int, int]) -> None:
    assert birthday_month_day(stored) == month_day


@pytest.mark.parametrize("stored", ["", "03-14", "1990-3-14", "--3-14", "--02-30", "Mar 14"])
def test_bad_stored_birthdays_are_refused(stored: str) -> None:
    with pytest.raises(InvalidInput, match=r"^Cannot read the stored birthday"):
        birthday_month_day(stored)


@pytest.mark.parametrize("text", ["1990-03-14", "Mar 14", "29 Feb", "14 march 1990", "--12-01"])
def test_stored_birthdays_read_back(text: str) -> None:
    stored = parse_birthday(text, TODAY)
    assert birthday_month_day(stored) == (
        parse_date(text, TODAY).month,
        parse_date(text, TODAY).day,
    )


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "in 999999 weeks", "1799-12-31"])
def test_dates_outside_the_years_givenet_handles_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="outside the calendar"):
        parse_date(text, TODAY)


def test_durations_longer_than_ten_years_are_refused() -> None:
    assert parse_duration("3650") == 3650
    with pytest.raises(InvalidInput, match="ten years"):
        parse_duration("999999m")


@pytest.mark.parametrize(
    ("text", "yearless"),
    [
        ("Nov 20", True), ("20 nov", True), ("--11-20", True), ("november 20th", True),
        ("Nov 20 2026", False), ("2026-11-20", False), ("in 400 days", False),
        ("in 11 months", False), ("next monday", False), ("today", False), ("Nov 31", False),
        ("", False), ("banana", False),
    ],
)  # fmt: skip
def test_is_yearless(text, yearless):
    assert is_yearless(text) is yearless

"""Tests for givenet.rules: the factors, weights and ranking of the morning list.

Every rule is a pure function of a ``PersonFacts`` and a ``Context``, so these
tests build the facts directly and pass a fixed ``today``: no database, no clock.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from givenet.rules import (
    ACTION,
    ACTION_FACTORS,
    CONFIG_DEFAULTS,
    FACTOR_NAMES,
    FACTORS,
    PRIORITY,
    AskFact,
    Context,
    MeetingFact,
    PersonFacts,
    PromiseFact,
    Ranked,
    Settings,
    ask_value,
    evaluate,
    follow_up_value,
    next_birthday,
    rank,
    reach_value,
    reconnect_picks,
    upcoming_birthday_keys,
)

TODAY = date(2026, 11, 26)  # a Thursday
CTX = Context(today=TODAY)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def ahead(days: int) -> date:
    return TODAY + timedelta(days=days)


def factor(result: Ranked, name: str):
    (found,) = [f for f in result.factors if f.name == name]
    return found


def value_of(person: PersonFacts, name: str, context: Context = CTX) -> float:
    return factor(evaluate(person, context), name).value


def reason_of(person: PersonFacts, name: str, context: Context = CTX) -> str:
    return factor(evaluate(person, context), name).reason


def met(days_ago: int, **meeting: object) -> PersonFacts:
    """Someone first met ``days_ago`` days before TODAY and not touched since."""
    day = ago(days_ago)
    first_meeting = MeetingFact(day=day, **meeting) if meeting else None  # type: ignore[arg-type]
    return PersonFacts(id=1, name="Ada", first_met=day, last_touch=day, first_meeting=first_meeting)


# --- settings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("circle", "own", "expected"),
    [
        ("inner", None, 14),
        ("active", None, 30),
        ("wide", None, 90),
        ("acquaintance", None, None),
        ("inner", 60, 60),
        ("wide", 7, 7),
        ("acquaintance", 10, 10),
    ],
)
def test_cadence_comes_from_own_then_circle(circle: str, own: int | None, expected: int | None):
    assert Settings().cadence(circle, own) == expected


def test_cadence_override_changes_the_circle_default():
    settings = Settings.with_overrides({"cadence.inner": 7})
    assert settings.cadence("inner", None) == 7
    assert settings.cadence("active", None) == 30


def test_with_overrides_keeps_defaults_and_ignores_unknown_keys():
    settings = Settings.with_overrides({"weight.follow_up": 0, "no.such.key": 5})
    assert settings.weight("follow_up") == 0
    assert settings.weight("promise") == CONFIG_DEFAULTS["weight.promise"][0]
    assert "no.such.key" not in settings.values
    assert set(settings.values) == set(CONFIG_DEFAULTS)


def test_default_settings_match_config_defaults():
    assert dict(Settings().values) == {key: spec[0] for key, spec in CONFIG_DEFAULTS.items()}


def test_every_rule_has_a_default_weight():
    assert {f"weight.{name}" for name in FACTOR_NAMES} <= set(CONFIG_DEFAULTS)


def test_follow_up_weight_beats_every_other_single_weight():
    weights = {key: spec[0] for key, spec in CONFIG_DEFAULTS.items() if spec[1] == "weight"}
    follow_up = weights.pop("weight.follow_up")
    assert weights
    assert all(follow_up > other for other in weights.values())


# --- follow_up ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_since_met", "expected"),
    [
        (-1, 0.0),
        (0, 0.0),
        (1, 1.0),
        (2, 1.0),
        (3, 7 / 8),
        (4, 6 / 8),
        (5, 5 / 8),
        (6, 4 / 8),
        (7, 3 / 8),
        (8, 2 / 8),
        (9, 1 / 8),
        (10, 0.0),
        (30, 0.0),
    ],
)
def test_follow_up_value_with_default_window_and_fade(days_since_met: int, expected: float):
    assert follow_up_value(days_since_met, 2, 7) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("days_since_met", "expected"),
    [(0, 0.0), (1, 1.0), (5, 1.0), (6, 0.75), (7, 0.5), (8, 0.25), (9, 0.0)],
)
def test_follow_up_value_with_other_window_and_fade(days_since_met: int, expected: float):
    assert follow_up_value(days_since_met, 5, 3) == pytest.approx(expected)


def test_follow_up_value_never_rises_after_the_first_day():
    values = [follow_up_value(day, 2, 7) for day in range(1, 20)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert values == sorted(values, reverse=True)


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [(0, 0.0), (1, 1.0), (2, 1.0), (3, 0.875), (9, 0.125), (10, 0.0)],
)
def test_follow_up_factor_on_the_edges_of_the_default_window(days_ago: int, expected: float):
    assert value_of(met(days_ago, kind="event", event_name="Impact Mixer"), "follow_up") == (
        pytest.approx(expected)
    )


@pytest.mark.parametrize(("days_ago", "expected"), [(4, 1.0), (5, 0.5), (6, 0.0)])
def test_follow_up_factor_uses_overridden_window_and_fade(days_ago: int, expected: float):
    context = Context(
        today=TODAY, settings=Settings.with_overrides({"follow_up.window": 4, "follow_up.fade": 1})
    )
    assert value_of(met(days_ago), "follow_up", context) == pytest.approx(expected)


def test_follow_up_is_zero_once_touched_again():
    person = PersonFacts(id=1, name="Ada", first_met=ago(2), last_touch=ago(1))
    assert value_of(person, "follow_up") == 0.0


def test_follow_up_is_zero_for_someone_never_met():
    assert value_of(PersonFacts(id=1, name="Ada"), "follow_up") == 0.0


def test_follow_up_reason_names_the_event_and_quotes_the_note():
    person = met(1, kind="event", event_name="Impact Mixer", note="they mentioned a grant deadline")
    assert reason_of(person, "follow_up") == (
        "follow up: met at Impact Mixer yesterday — they mentioned a grant deadline"
    )


@pytest.mark.parametrize(
    ("kind", "phrase"),
    [
        ("coffee", "had coffee"),
        ("call", "spoke on a call"),
        ("event", "met at an event"),
        ("other", "met"),
        ("unknown-kind", "met"),
    ],
)
def test_follow_up_reason_without_an_event_uses_the_kind_phrase(kind: str, phrase: str):
    assert reason_of(met(1, kind=kind), "follow_up") == f"follow up: {phrase} yesterday"


def test_follow_up_reason_without_a_first_meeting_says_met():
    assert reason_of(met(2), "follow_up") == "follow up: met 2 days ago"


def test_follow_up_reason_says_late_after_the_window():
    reason = reason_of(met(3, kind="event", event_name="Impact Mixer"), "follow_up")
    assert reason == "follow up (late: do it today): met at Impact Mixer 3 days ago"


def test_follow_up_reason_inside_the_window_is_not_late():
    assert "late" not in reason_of(met(2, kind="coffee"), "follow_up")


def test_follow_up_reason_shortens_a_long_note_to_one_line():
    reason = reason_of(met(1, kind="coffee", note="line one\n" + "x" * 100), "follow_up")
    assert "\n" not in reason
    assert reason.endswith("…")
    assert reason.startswith("follow up: had coffee yesterday — line one x")


# --- check_in ----------------------------------------------------------------


def circle_person(circle: str, last_touch_days_ago: int | None, own: int | None = None):
    last = None if last_touch_days_ago is None else ago(last_touch_days_ago)
    return PersonFacts(
        id=1, name="Ada", circle=circle, cadence_days=own, first_met=last, last_touch=last
    )


@pytest.mark.parametrize(
    ("circle", "days_ago", "own", "expected"),
    [
        ("inner", 13, None, 0.0),
        ("inner", 14, None, 0.0),
        ("inner", 15, None, 0.5 + 0.5 / 14),
        ("inner", 21, None, 0.75),
        ("inner", 28, None, 1.0),
        ("inner", 40, None, 1.0),
        ("active", 30, None, 0.0),
        ("active", 31, None, 0.5 + 0.5 / 30),
        ("wide", 90, None, 0.0),
        ("wide", 135, None, 0.75),
        ("acquaintance", 400, None, 0.0),
        ("acquaintance", 11, 10, 0.55),
        ("inner", 40, 60, 0.0),
        ("wide", 8, 7, 0.5 + 0.5 / 7),
    ],
)
def test_check_in_value(circle: str, days_ago: int, own: int | None, expected: float):
    person = circle_person(circle, days_ago, own)
    assert value_of(person, "check_in") == pytest.approx(expected, abs=1e-4)


def test_check_in_overdue_by_one_day_is_at_least_half():
    assert value_of(circle_person("inner", 15), "check_in") > 0.5


def test_check_in_is_capped_at_one():
    assert value_of(circle_person("inner", 1000), "check_in") == 1.0


def test_check_in_without_any_touch_is_fully_due_when_there_is_a_cadence():
    person = circle_person("active", None)
    assert value_of(person, "check_in") == 1.0
    assert reason_of(person, "check_in") == (
        "check in: no meeting recorded yet (active circle, every 30 days)"
    )


def test_check_in_without_any_touch_or_cadence_is_nothing():
    assert value_of(circle_person("acquaintance", None), "check_in") == 0.0


def test_check_in_reason_counts_days():
    assert reason_of(circle_person("inner", 40), "check_in") == (
        "check in: last touch 40 days ago, 26 past due (inner circle, every 14 days)"
    )


def test_check_in_follows_an_overridden_circle_cadence():
    context = Context(today=TODAY, settings=Settings.with_overrides({"cadence.inner": 7}))
    assert value_of(circle_person("inner", 10), "check_in", context) == pytest.approx(
        0.5 + 0.5 * 3 / 7, abs=1e-4
    )


# --- open_ask ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("ask", "expected"),
    [
        (AskFact(1, "plain"), 0.5),
        (AskFact(1, "urgent", urgent=True), 1.0),
        (AskFact(1, "urgent, dated later", due=ahead(30), urgent=True), 1.0),
        (AskFact(1, "past", due=ago(3)), 1.0),
        (AskFact(1, "today", due=TODAY), 1.0),
        (AskFact(1, "tomorrow", due=ahead(1)), 0.75 + 0.25 * 6 / 7),
        (AskFact(1, "in four days", due=ahead(4)), 0.75 + 0.25 * 3 / 7),
        (AskFact(1, "edge of soon", due=ahead(7)), 0.75),
        (AskFact(1, "beyond soon", due=ahead(8)), 0.5),
        (AskFact(1, "far off", due=ahead(100)), 0.5),
    ],
    ids=lambda x: x.text if isinstance(x, AskFact) else None,
)
def test_ask_value(ask: AskFact, expected: float):
    assert ask_value(ask, TODAY, 7) == pytest.approx(expected)


def test_ask_value_rises_as_the_date_nears():
    values = [ask_value(AskFact(1, "x", due=ahead(days)), TODAY, 7) for days in range(10, -3, -1)]
    assert values == sorted(values)
    assert values[0] == 0.5
    assert values[-1] == 1.0


def test_ask_value_uses_overridden_soon_days():
    context = Context(today=TODAY, settings=Settings.with_overrides({"ask.soon": 14}))
    person = PersonFacts(id=1, name="Ada", open_asks=(AskFact(1, "x", due=ahead(10)),))
    assert value_of(person, "open_ask", context) == pytest.approx(0.75 + 0.25 * 4 / 14, abs=1e-4)
    assert value_of(person, "open_ask") == 0.5


def test_no_open_ask_is_nothing():
    assert value_of(PersonFacts(id=1, name="Ada"), "open_ask") == 0.0


def test_open_ask_reason_quotes_the_most_pressing_ask_and_counts_the_rest():
    person = PersonFacts(
        id=1,
        name="Ada",
        open_asks=(
            AskFact(1, "a designer for the new site"),
            AskFact(2, "an intro to a funder", urgent=True),
            AskFact(3, "a venue", due=ahead(20)),
        ),
    )
    assert value_of(person, "open_ask") == 1.0
    assert reason_of(person, "open_ask") == (
        'help: they ask "an intro to a funder" (urgent) (+2 more)'
    )


def test_open_ask_reason_for_a_single_plain_ask():
    person = PersonFacts(id=1, name="Ada", open_asks=(AskFact(1, "a designer"),))
    assert reason_of(person, "open_ask") == 'help: they ask "a designer"'


@pytest.mark.parametrize(
    ("due", "words"),
    [
        (ahead(4), " (by Nov 30, in 4 days)"),
        (TODAY, " (by Nov 26, today)"),
        (ago(6), " (was needed by Nov 20)"),
    ],
)
def test_open_ask_reason_gives_the_date(due: date, words: str):
    person = PersonFacts(id=1, name="Ada", open_asks=(AskFact(1, "a venue", due=due),))
    assert reason_of(person, "open_ask") == f'help: they ask "a venue"{words}'


def test_open_ask_ties_go_to_the_oldest_ask():
    person = PersonFacts(
        id=1, name="Ada", open_asks=(AskFact(9, "later one"), AskFact(4, "earlier one"))
    )
    assert reason_of(person, "open_ask") == 'help: they ask "earlier one" (+1 more)'


# --- promise -----------------------------------------------------------------


def promised(*promises: PromiseFact) -> PersonFacts:
    return PersonFacts(id=1, name="Ada", open_promises=promises)


@pytest.mark.parametrize(
    ("due", "expected", "when"),
    [
        (TODAY, 0.8, "due today"),
        (ago(1), 1.0, "overdue by 1 day"),
        (ago(5), 1.0, "overdue by 5 days"),
    ],
)
def test_promise_due_or_overdue(due: date, expected: float, when: str):
    person = promised(PromiseFact(1, "send the deck", due=due))
    assert value_of(person, "promise") == expected
    assert reason_of(person, "promise") == f'promise: "send the deck" — {when}'


@pytest.mark.parametrize("days", [1, 30])
def test_promise_not_yet_due_is_nothing(days: int):
    assert value_of(promised(PromiseFact(1, "send the deck", due=ahead(days))), "promise") == 0.0


def test_promise_reason_quotes_the_oldest_due_one_and_counts_only_due_ones():
    person = promised(
        PromiseFact(1, "call their mentor", due=TODAY),
        PromiseFact(2, "send the deck", due=ago(3)),
        PromiseFact(3, "not yet", due=ahead(3)),
    )
    assert value_of(person, "promise") == 1.0
    assert reason_of(person, "promise") == 'promise: "send the deck" — overdue by 3 days (+1 more)'


# --- birthday ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "today", "expected"),
    [
        ("--11-26", TODAY, date(2026, 11, 26)),
        ("1980-11-26", TODAY, date(2026, 11, 26)),
        ("--11-28", TODAY, date(2026, 11, 28)),
        ("1990-11-28", TODAY, date(2026, 11, 28)),
        ("--11-25", TODAY, date(2027, 11, 25)),
        ("--01-01", date(2026, 12, 31), date(2027, 1, 1)),
        ("--12-31", date(2026, 12, 31), date(2026, 12, 31)),
        ("--02-29", date(2027, 2, 27), date(2027, 2, 28)),
        ("2000-02-29", date(2027, 2, 28), date(2027, 2, 28)),
        ("--02-29", date(2027, 3, 1), date(2028, 2, 29)),
        ("--02-29", date(2028, 2, 28), date(2028, 2, 29)),
        ("--02-29", date(2028, 2, 29), date(2028, 2, 29)),
        ("--02-29", date(2026, 11, 26), date(2027, 2, 28)),
    ],
)
def test_next_birthday(stored: str, today: date, expected: date):
    assert next_birthday(stored, today) == expected


@pytest.mark.parametrize(
    ("stored", "expected", "reason"),
    [
        ("--11-26", 1.0, "birthday today"),
        ("1984-11-26", 1.0, "birthday today"),
        ("--11-27", 0.75, "birthday tomorrow (Nov 27)"),
        ("--11-28", 0.5, "birthday in 2 days (Nov 28)"),
        ("1975-11-29", 0.25, "birthday in 3 days (Nov 29)"),
        ("--11-30", 0.0, ""),
        ("--11-25", 0.0, ""),
    ],
)
def test_birthday_value_and_reason(stored: str, expected: float, reason: str):
    person = PersonFacts(id=1, name="Ada", birthday=stored)
    assert value_of(person, "birthday") == pytest.approx(expected)
    assert reason_of(person, "birthday") == reason


def test_birthday_across_the_year_end():
    context = Context(today=date(2026, 12, 31))
    person = PersonFacts(id=1, name="Ada", birthday="--01-01")
    assert value_of(person, "birthday", context) == 0.75
    assert reason_of(person, "birthday", context) == "birthday tomorrow (Jan 1)"


def test_leap_day_birthday_falls_on_feb_28_in_a_common_year():
    context = Context(today=date(2027, 2, 28))
    person = PersonFacts(id=1, name="Ada", birthday="1992-02-29")
    assert value_of(person, "birthday", context) == 1.0
    assert reason_of(person, "birthday", context) == "birthday today"


def test_birthday_window_override():
    context = Context(today=TODAY, settings=Settings.with_overrides({"birthday.window": 7}))
    person = PersonFacts(id=1, name="Ada", birthday="--12-01")
    assert value_of(person, "birthday", context) == pytest.approx(1 - 5 / 8, abs=1e-4)
    assert value_of(person, "birthday") == 0.0


def test_no_birthday_is_nothing():
    assert value_of(PersonFacts(id=1, name="Ada"), "birthday") == 0.0


@pytest.mark.parametrize(
    ("today", "window", "expected"),
    [
        (TODAY, 3, ["11-26", "11-27", "11-28", "11-29"]),
        (TODAY, 0, ["11-26"]),
        (date(2026, 12, 30), 3, ["12-30", "12-31", "01-01", "01-02"]),
        (date(2027, 2, 28), 0, ["02-28", "02-29"]),
        (date(2027, 2, 27), 2, ["02-27", "02-28", "02-29", "03-01"]),
        (date(2028, 2, 28), 0, ["02-28"]),
        (date(2028, 2, 28), 1, ["02-28", "02-29"]),
    ],
)
def test_upcoming_birthday_keys(today: date, window: int, expected: list[str]):
    assert upcoming_birthday_keys(today, window) == expected


@pytest.mark.parametrize("stored", ["--02-28", "--02-29", "--03-01", "--12-31", "--01-01"])
@pytest.mark.slow
def test_upcoming_birthday_keys_agree_with_the_birthday_rule(stored: str):
    """The store's pre-filter must never drop someone the rule would list."""
    window = 3
    day = date(2026, 12, 1)
    while day < date(2028, 4, 1):
        context = Context(today=day)
        shows = value_of(PersonFacts(id=1, name="Ada", birthday=stored), "birthday", context) > 0
        assert shows == (stored[-5:] in upcoming_birthday_keys(day, window)), day
        day += timedelta(days=1)


# --- priority factors --------------------------------------------------------


@pytest.mark.parametrize(
    ("last_gave", "expected", "tail"),
    [
        (None, 1.0, "nothing given back since"),
        (date(2026, 10, 1), 1.0, "nothing given back since"),
        (date(2026, 11, 10), 0.4, "you have given back since"),
    ],
)
def test_helped_me(last_gave: date | None, expected: float, tail: str):
    person = PersonFacts(
        id=1,
        name="Ada",
        got_count=2,
        last_got=date(2026, 11, 1),
        last_got_what="an intro to Sam",
        last_gave=last_gave,
    )
    assert value_of(person, "helped_me") == expected
    assert reason_of(person, "helped_me") == f'they helped you: "an intro to Sam" (Nov 1); {tail}'


def test_helped_me_reason_without_what():
    person = PersonFacts(id=1, name="Ada", got_count=1, last_got=date(2026, 11, 1))
    assert reason_of(person, "helped_me") == "they helped you (Nov 1); nothing given back since"


def test_helped_me_needs_something_received():
    assert value_of(PersonFacts(id=1, name="Ada", last_gave=ago(3)), "helped_me") == 0.0


@pytest.mark.parametrize(
    ("reach", "intros", "expected"),
    [
        (None, 0, 0.0),
        (0, 0, 0.0),
        (1, 0, 0.0),
        (10, 0, 0.25),
        (100, 0, 0.5),
        (1000, 0, 0.75),
        (10_000, 0, 1.0),
        (1_000_000, 0, 1.0),
        (None, 1, 0.1),
        (0, 3, 0.3),
        (100, 2, 0.7),
        (1000, 5, 1.0),
        (None, 20, 1.0),
    ],
)
def test_reach_value(reach: int | None, intros: int, expected: float):
    assert reach_value(reach, intros) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("reach", "intros", "reason"),
    [
        (1000, 2, "well connected: about 1,000 connections, in 2 intros"),
        (1000, 0, "well connected: about 1,000 connections"),
        (None, 1, "well connected: in 1 intro"),
    ],
)
def test_reach_reason(reach: int | None, intros: int, reason: str):
    person = PersonFacts(id=1, name="Ada", reach=reach, intro_count=intros)
    assert reason_of(person, "reach") == reason


MY_VALUES = frozenset({"climate", "education", "health", "art"})


@pytest.mark.parametrize(
    ("tags", "my_values", "expected"),
    [
        (("Climate",), MY_VALUES, 1 / 3),
        (("CLIMATE", "Education"), MY_VALUES, 2 / 3),
        (("climate", "Education", "HEALTH"), MY_VALUES, 1.0),
        (("climate", "education", "health", "art"), MY_VALUES, 1.0),
        (("Climate", "sport"), frozenset({"climate"}), 1.0),
        (("Climate",), frozenset({"climate", "art"}), 0.5),
        (("sport",), MY_VALUES, 0.0),
        (("Climate",), frozenset(), 0.0),
        ((), MY_VALUES, 0.0),
    ],
)
def test_alignment_value(tags: tuple[str, ...], my_values: frozenset[str], expected: float):
    context = Context(today=TODAY, my_values=my_values)
    person = PersonFacts(id=1, name="Ada", tags=tags)
    assert value_of(person, "alignment", context) == pytest.approx(expected, abs=1e-4)


def test_alignment_reason_lists_shared_tags_sorted_case_insensitively():
    context = Context(today=TODAY, my_values=MY_VALUES)
    person = PersonFacts(id=1, name="Ada", tags=("health", "sport", "Climate"))
    assert reason_of(person, "alignment", context) == "shares your values: Climate, health"


# --- thank -------------------------------------------------------------------


def got_from(days_ago: int, **extra: object) -> PersonFacts:
    return PersonFacts(id=1, name="Ada", got_count=1, last_got=ago(days_ago), **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [(-1, 0.0), (0, 1.0), (1, 1.0), (3, 1.0), (4, 0.9333), (10, 0.5333), (17, 0.0667), (18, 0.0)],
)
def test_thank_value_with_the_default_window_and_fade(days_ago: int, expected: float):
    assert value_of(got_from(days_ago), "thank") == expected


@pytest.mark.parametrize(
    ("touch", "gave", "expected"),
    [
        (None, None, 1.0),
        (10, None, 1.0),  # a touch before the got is not thanks
        (2, None, 0.0),  # a touch on the day of the got or after is
        (1, None, 0.0),
        (None, 2, 0.0),  # so is a gave
        (None, 5, 1.0),
    ],
)
def test_thank_is_done_by_a_touch_or_a_gave_on_or_after_the_got(
    touch: int | None, gave: int | None, expected: float
):
    person = got_from(
        2,
        last_touch=ago(touch) if touch is not None else None,
        last_gave=ago(gave) if gave is not None else None,
    )
    assert value_of(person, "thank") == expected


def test_thank_reason_quotes_what_they_gave_and_says_late_after_the_window():
    fresh = got_from(1, last_got_what="Lent me their van")
    assert reason_of(fresh, "thank") == 'thank them for "Lent me their van" (yesterday)'
    assert reason_of(got_from(3), "thank") == "thank them (3 days ago)"  # the window's last day
    assert reason_of(got_from(4), "thank") == "thank them (late: do it today) (4 days ago)"


def test_thank_window_and_fade_are_settings():
    context = Context(
        today=TODAY, settings=Settings.with_overrides({"thank.window": 1, "thank.fade": 1})
    )
    assert [value_of(got_from(d), "thank", context) for d in (1, 2, 3)] == [1.0, 0.5, 0.0]


def test_thank_weighs_less_than_a_follow_up_and_more_than_a_check_in():
    weights = Settings()
    assert weights.weight("check_in") < weights.weight("thank") < weights.weight("follow_up")


# --- reconnect -----------------------------------------------------------------


def dormant(years: float, person_id: int = 1, **extra: object) -> PersonFacts:
    return PersonFacts(
        id=person_id,
        name="Ada",
        last_touch=ago(round(years * 365.25)),
        **extra,  # type: ignore[arg-type]
    )


def picked(*ids: int, values: frozenset[str] = frozenset()) -> Context:
    return Context(today=TODAY, my_values=values, reconnect_ids=frozenset(ids))


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        (dormant(4, got_count=1, last_got=ago(2000)), 1.0),  # helped you before
        (dormant(4, intro_count=1), 1.0),  # a bridge: in an intro
        (dormant(4, reach=1000), 1.0),  # a bridge: a large network
        (dormant(4, reach=999), 0.0),
        (dormant(4, tags=("Food Systems",)), 1.0),  # shares your values
        (dormant(4, tags=("knitting",)), 0.0),
        (dormant(4), 0.0),  # dormant but nothing to wake it for
        (dormant(2.9, got_count=1, last_got=ago(1100)), 0.0),  # not dormant yet
        (PersonFacts(id=1, name="Ada", got_count=1, last_got=ago(1096)), 1.0),  # only a got
        (dormant(5, got_count=1, last_got=ago(1900), last_gave=ago(30)), 0.0),  # gave lately
        (PersonFacts(id=1, name="Ada", reach=5000), 0.0),  # never in contact: not a tie
    ],
)
def test_reconnect_value(person: PersonFacts, expected: float):
    assert value_of(person, "reconnect", picked(1, values=frozenset({"food systems"}))) == expected


def test_reconnect_is_exactly_three_years_by_default():
    context = picked(1)
    assert (
        value_of(
            PersonFacts(id=1, name="A", intro_count=1, last_touch=ago(1095)), "reconnect", context
        )
        == 1.0
    )
    assert (
        value_of(
            PersonFacts(id=1, name="A", intro_count=1, last_touch=ago(1094)), "reconnect", context
        )
        == 0.0
    )


def test_reconnect_is_only_for_todays_turn_and_why_says_so():
    person = dormant(4, intro_count=2)
    assert value_of(person, "reconnect", picked(2)) == 0.0
    assert reason_of(person, "reconnect", picked(2)).endswith("(not their turn today)")
    assert reason_of(person, "reconnect", picked(1)) == (
        "reconnect: last in touch 4.0 years ago (Nov 2022); a bridge to other people"
    )


def test_reconnect_after_is_a_setting_and_zero_switches_it_off():
    person = dormant(1.5, got_count=1)
    one_year = Context(
        today=TODAY,
        settings=Settings.with_overrides({"reconnect.after": 365}),
        reconnect_ids=frozenset({1}),
    )
    assert value_of(person, "reconnect", one_year) == 1.0
    off = Context(
        today=TODAY,
        settings=Settings.with_overrides({"reconnect.after": 0}),
        reconnect_ids=frozenset({1}),
    )
    assert value_of(person, "reconnect", off) == 0.0


@pytest.mark.parametrize(
    ("candidates", "today", "per_day", "expected"),
    [
        ([], TODAY, 1, set()),
        ([5, 3, 9], TODAY, 0, set()),
        ([5, 3, 9], TODAY, 3, {3, 5, 9}),
        ([5, 3, 9], TODAY, 5, {3, 5, 9}),
        # TODAY.toordinal() % 3 == 2, so the third in id order, then the next each day.
        ([5, 3, 9], TODAY, 1, {9}),
        ([5, 3, 9], TODAY + timedelta(days=1), 1, {3}),
        ([5, 3, 9], TODAY + timedelta(days=2), 1, {5}),
        ([5, 3, 9], TODAY + timedelta(days=3), 1, {9}),
        ([1, 2, 3, 4], TODAY, 2, {1, 2}),  # TODAY.toordinal() * 2 % 4 == 0
        ([1, 2, 3, 4], TODAY + timedelta(days=1), 2, {3, 4}),
    ],
)
def test_reconnect_picks_rotate_by_date(candidates, today, per_day, expected):
    assert TODAY.toordinal() % 3 == 2 and TODAY.toordinal() * 2 % 4 == 0
    assert reconnect_picks(candidates, today, per_day) == expected


def test_reconnect_picks_come_round_to_everyone():
    candidates = list(range(10, 17))
    seen = set()
    for offset in range(7):
        seen |= reconnect_picks(candidates, TODAY + timedelta(days=offset), 1)
    assert seen == set(candidates)


def test_reconnect_never_outweighs_a_follow_up_in_its_window():
    settings = Settings()
    most = settings.weight("reconnect") + sum(
        settings.weight(f.name) for f in FACTORS if f.kind == PRIORITY
    )
    assert most < settings.weight("follow_up")


@pytest.mark.parametrize(("new", "expected"), [(True, 1.0), (False, 0.0)])
def test_open_network(new: bool, expected: float):
    assert value_of(PersonFacts(id=1, name="Ada", new_to_field=new), "open_network") == expected


def test_factor_kinds():
    kinds = {factor.name: factor.kind for factor in FACTORS}
    assert ACTION_FACTORS == (
        "follow_up",
        "promise",
        "thank",
        "check_in",
        "intro_check",
        "open_ask",
        "can_match",
        "birthday",
        "reconnect",
    )
    assert {n for n, k in kinds.items() if k == PRIORITY} == {
        "helped_me",
        "helped_well",
        "alignment",
        "reach",
        "open_network",
    }


# --- evaluate and rank -------------------------------------------------------


def with_ask(person_id: int, name: str, **extra: object) -> PersonFacts:
    ask = AskFact(person_id, "something")
    return PersonFacts(id=person_id, name=name, open_asks=(ask,), **extra)  # type: ignore[arg-type]


def test_evaluate_lists_every_factor_in_rules_order():
    result = evaluate(PersonFacts(id=1, name="Ada"), CTX)
    assert tuple(f.name for f in result.factors) == FACTOR_NAMES
    assert all(f.value == 0.0 and f.reason == "" for f in result.factors)
    assert result.score == 0.0
    assert result.top_action is None


def test_score_is_the_sum_of_contributions():
    person = PersonFacts(
        id=1,
        name="Ada",
        circle="inner",
        first_met=ago(60),
        last_touch=ago(20),
        open_asks=(AskFact(1, "x", due=ahead(3)),),
        got_count=1,
        last_got=ago(10),
        reach=500,
        intro_count=1,
        new_to_field=True,
    )
    result = evaluate(person, CTX)
    assert result.score == pytest.approx(sum(f.value * f.weight for f in result.factors))
    assert result.score == pytest.approx(sum(f.contribution for f in result.active_factors))
    assert {f.name for f in result.active_factors} == {
        "check_in",
        "thank",  # the got 10 days ago came after the last touch
        "open_ask",
        "helped_me",
        "reach",
        "open_network",
    }


def test_weights_come_from_the_settings():
    context = Context(today=TODAY, settings=Settings.with_overrides({"weight.open_ask": 2.5}))
    result = evaluate(with_ask(1, "Ada"), context)
    assert factor(result, "open_ask").weight == 2.5
    assert result.score == pytest.approx(0.5 * 2.5)


def test_rank_lists_only_people_with_an_action():
    action = with_ask(1, "Ada")
    priority_only = PersonFacts(id=2, name="Bea", new_to_field=True)
    nothing = PersonFacts(id=3, name="Cy")
    assert [r.name for r in rank([action, priority_only, nothing], CTX)] == ["Ada"]


def test_rank_with_priority_only_adds_people_with_only_priorities():
    action = with_ask(1, "Ada")
    priority_only = PersonFacts(id=2, name="Bea", new_to_field=True)
    nothing = PersonFacts(id=3, name="Cy")
    ranked = rank([nothing, priority_only, action], CTX, include_priority_only=True)
    assert [r.name for r in ranked] == ["Ada", "Bea"]


def test_rank_orders_by_score():
    low = with_ask(1, "Low")
    high = PersonFacts(
        id=2, name="High", open_asks=(AskFact(2, "x", urgent=True),), new_to_field=True
    )
    middle = PersonFacts(id=3, name="Middle", open_asks=(AskFact(3, "x", urgent=True),))
    assert [r.name for r in rank([low, middle, high], CTX)] == ["High", "Middle", "Low"]


def test_rank_breaks_ties_by_name_case_insensitively_then_id():
    people = [with_ask(1, "bob"), with_ask(3, "alice"), with_ask(2, "Alice"), with_ask(4, "Carl")]
    ranked = rank(people, CTX)
    assert len({round(r.score, 6) for r in ranked}) == 1
    assert [(r.name, r.id) for r in ranked] == [("Alice", 2), ("alice", 3), ("bob", 1), ("Carl", 4)]


def test_rank_of_nobody_is_empty():
    assert rank([], CTX) == []
    assert rank([PersonFacts(id=1, name="Ada")], CTX, include_priority_only=True) == []


def test_as_dict_has_the_active_factors_only():
    person = with_ask(7, "Ada", new_to_field=True)
    data = evaluate(person, CTX).as_dict()
    assert set(data) == {"id", "name", "score", "action", "factors"}
    assert data["id"] == 7
    assert data["name"] == "Ada"
    assert data["score"] == 3.0
    assert data["action"] == "open_ask"
    assert data["factors"] == [
        {
            "name": "open_ask",
            "kind": ACTION,
            "value": 0.5,
            "weight": 4.0,
            "contribution": 2.0,
            "reason": 'help: they ask "something"',
        },
        {
            "name": "open_network",
            "kind": PRIORITY,
            "value": 1.0,
            "weight": 1.0,
            "contribution": 1.0,
            "reason": "new to their field: their network is still open",
        },
    ]


def test_as_dict_every_factor_lists_every_rule():
    data = evaluate(with_ask(7, "Ada"), CTX).as_dict(every_factor=True)
    factors = data["factors"]
    assert isinstance(factors, list)
    assert [f["name"] for f in factors] == list(FACTOR_NAMES)
    assert sum(f["contribution"] for f in factors) == pytest.approx(data["score"])


def test_as_dict_action_is_none_for_priority_only():
    assert evaluate(PersonFacts(id=1, name="Ada", reach=100), CTX).as_dict()["action"] is None


def test_top_action_is_the_largest_action_contribution():
    person = PersonFacts(
        id=1,
        name="Ada",
        open_asks=(AskFact(1, "x", urgent=True),),
        open_promises=(PromiseFact(1, "y", due=TODAY),),
        new_to_field=True,
    )
    result = evaluate(person, CTX)
    assert result.top_action is not None
    assert result.top_action.name == "promise"  # 0.8 × 8 beats 1 × 4
    assert result.top_factor is not None
    assert result.top_factor.name == "promise"


# --- the headline case -------------------------------------------------------


def headline_people() -> list[PersonFacts]:
    a = PersonFacts(
        id=1,
        name="Ana",
        first_met=ago(1),
        last_touch=ago(1),
        first_meeting=MeetingFact(
            day=ago(1),
            kind="event",
            event_name="Impact Mixer",
            note="they mentioned a grant deadline",
        ),
    )
    b = PersonFacts(
        id=2,
        name="Bo",
        first_met=ago(100),
        last_touch=ago(50),
        open_asks=(AskFact(1, "an intro to a funder", urgent=True),),
        tags=("Climate", "Education"),
        new_to_field=True,
    )
    c = PersonFacts(id=3, name="Cai", circle="inner", first_met=ago(400), last_touch=ago(40))
    return [c, b, a]


HEADLINE_CONTEXT = Context(today=TODAY, my_values=frozenset({"climate", "education"}))


def test_headline_follow_up_ranks_first():
    ranked = rank(headline_people(), HEADLINE_CONTEXT)
    assert [(r.name, r.as_dict()["action"]) for r in ranked] == [
        ("Ana", "follow_up"),
        ("Bo", "open_ask"),
        ("Cai", "check_in"),
    ]
    assert [r.score for r in ranked] == pytest.approx([10.0, 6.5, 5.0])


def test_headline_follow_up_is_the_only_factor_of_a():
    first = rank(headline_people(), HEADLINE_CONTEXT)[0]
    assert [f.name for f in first.active_factors] == ["follow_up"]
    assert first.active_factors[0].reason == (
        "follow up: met at Impact Mixer yesterday — they mentioned a grant deadline"
    )


def test_follow_up_in_its_window_outranks_any_other_single_full_factor():
    context = Context(today=TODAY, my_values=frozenset({"climate"}))
    follow_up = met(2)
    others = {
        "promise": PersonFacts(id=2, name="P", open_promises=(PromiseFact(1, "x", due=ago(9)),)),
        "check_in": circle_person("inner", None),
        "open_ask": PersonFacts(id=2, name="A", open_asks=(AskFact(1, "x", urgent=True),)),
        "birthday": PersonFacts(id=2, name="B", birthday="--11-26"),
    }
    for name, other in others.items():
        ranked = rank([other, follow_up], context)
        assert ranked[0].name == "Ada", name
        assert factor(ranked[1], name).value == 1.0


# --- weights -----------------------------------------------------------------


NO_FOLLOW_UP = Context(today=TODAY, settings=Settings.with_overrides({"weight.follow_up": 0}))


def test_zero_follow_up_weight_removes_its_contribution():
    person = PersonFacts(
        id=1,
        name="Ada",
        first_met=ago(1),
        last_touch=ago(1),
        open_asks=(AskFact(1, "x"),),
    )
    result = evaluate(person, NO_FOLLOW_UP)
    assert factor(result, "follow_up").value == 1.0
    assert factor(result, "follow_up").contribution == 0.0
    assert result.score == pytest.approx(2.0)
    assert [f.name for f in result.active_factors] == ["open_ask"]
    assert result.as_dict()["action"] == "open_ask"


def test_person_whose_only_action_has_zero_weight_is_not_listed():
    people = headline_people()
    assert [r.name for r in rank(people, NO_FOLLOW_UP)] == ["Bo", "Cai"]
    assert "Ana" not in [r.name for r in rank(people, NO_FOLLOW_UP, include_priority_only=True)]


def test_zero_action_weight_with_a_priority_leaves_a_priority_only_person():
    person = PersonFacts(id=1, name="Ada", first_met=ago(1), last_touch=ago(1), new_to_field=True)
    assert rank([person], NO_FOLLOW_UP) == []
    (listed,) = rank([person], NO_FOLLOW_UP, include_priority_only=True)
    assert listed.as_dict()["action"] is None


def test_helped_me_a_give_back_on_the_day_you_got_counts():
    """docs/ranking.md: nothing given back means no `gave` line dated on or after the
    latest `got`; a `gave` on that same day is a give-back."""
    person = PersonFacts(id=1, name="Ada", got_count=1, last_got=ago(3), last_gave=ago(3))
    assert value_of(person, "helped_me") == 0.4
    assert reason_of(person, "helped_me").endswith("; you have given back since")
    earlier = PersonFacts(id=1, name="Ada", got_count=1, last_got=ago(3), last_gave=ago(4))
    assert value_of(earlier, "helped_me") == 1.0

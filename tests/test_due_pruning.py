"""The morning list evaluates people best bound first and stops early: it must give
exactly what evaluating everyone gives, for any network, day, weights and limit.

Every factor's bound (``Factor.bound``) must be at least that factor's value for
every person, and each rule must read only the facts it declares: both are checked
on random networks that give every factor a non-zero value somewhere.
"""

from __future__ import annotations

import random
from dataclasses import fields
from datetime import date, timedelta

import pytest

from conftest import days_ago
from givenet import db
from givenet.rules import (
    ACTION,
    ACTION_FACTORS,
    FACTOR_NAMES,
    FACTORS,
    Context,
    PersonFacts,
    Settings,
    evaluate,
    rank,
)
from givenet.store import activity, giving, people
from givenet.store.ranking import (
    UNITS,
    _bound_terms,
    _bounded_candidates,
    _bounds_by_factor,
    _first_candidates,
    by_id,
    gather_facts,
    ranked_due,
    ranking_context,
)

START = date(2026, 1, 1)
OFFSETS = (15, 35, 57, 62, 90)  # the days the networks are looked at, from START
TAGS = ["food", "venue", "grants", "jobs", "music", "training"]
# Birthdays near the days looked at (29 February falls on the 28th in 2026).
BIRTHDAYS = [None, None, "--01-17", "1990-02-07", "2000-02-29", "--03-04", "1985-04-03"]
INTRO_PATHS = [
    ("suggested",),
    ("asked",),
    ("suggested", "declined"),
    ("made",),
    ("made", "met"),
    ("made", "met", "helped"),
    ("made", "fizzled"),
]


def build_random_network(path, seed: int) -> None:
    chooser = random.Random(seed)

    def some_day(first: int, last: int) -> date:
        return START + timedelta(days=chooser.randint(first, last))

    with db.session(path, write=True) as session:
        people.change_my_values(session, chooser.sample(TAGS, chooser.randint(1, 4)), [])
        everyone = []
        for number in range(60):
            fields = people.PersonFields(
                name=f"P{number:02d} {chooser.choice(['Ann', 'Bo', 'cy', 'Di'])}",
                circle=chooser.choice(["inner", "active", "wide", "acquaintance", "acquaintance"]),
                cadence_days=chooser.choice([None, None, None, 7, 45]),
                tags=chooser.sample(TAGS, chooser.randint(0, 3)),
                reach=chooser.choice([None, None, 50, 5000]),
                new_to_field=chooser.random() < 0.2,
                birthday=chooser.choice(BIRTHDAYS),
            )
            everyone.append(people.add_person(session, fields, force=True))
        asks = []
        for person in everyone:
            for _ in range(chooser.randint(0, 3)):
                day = some_day(0, 88)
                meeting = activity.log_meeting(session, [person], day, kind="coffee", note="x")
                if chooser.random() < 0.2:
                    due = day + timedelta(days=chooser.randint(0, 10))
                    activity.add_promises(session, [person], "send it", due, meeting)
            if chooser.random() < 0.4:
                asks.append((person, activity.add_ask(
                    session, person, "needs " + chooser.choice(TAGS), tags=chooser.sample(TAGS, 1),
                    by=chooser.choice([None, START + timedelta(days=40), START + timedelta(days=60)]),
                    urgent=chooser.random() < 0.1, today=START,
                )))  # fmt: skip
            if chooser.random() < 0.4:
                activity.add_offer(
                    session,
                    person,
                    "offers " + chooser.choice(TAGS),
                    tags=chooser.sample(TAGS, 1),
                    today=START,
                )
            if chooser.random() < 0.15:
                activity.add_give(session, person, "got", "a lead", some_day(0, 50))
                if chooser.random() < 0.5:
                    activity.add_give(session, person, "gave", "thanks", some_day(20, 70))
        for asker, ask in chooser.sample(asks, len(asks) // 5):
            activity.add_give(session, asker, "gave", "what they asked", some_day(0, 30), ask=ask)
        for _ in range(12):
            a, b = chooser.sample(everyone, 2)
            path_taken = chooser.choice(INTRO_PATHS)
            day = some_day(0, 40)
            intro, _ = giving.make_intro(session, a, b, day, status=path_taken[0])
            for status in path_taken[1:]:
                day += timedelta(days=chooser.randint(1, 20))
                giving.move_intro(session, str(intro.id), status, day)
        for person in everyone:
            if chooser.random() < 0.1:
                people.set_snooze(session, person, some_day(0, 90))
        add_dormant_ties(session, random.Random(seed + 1000))


def add_dormant_ties(session, chooser: random.Random) -> None:
    """People last in touch years ago, some worth waking (`reconnect`), some not."""
    for number in range(8):
        person = people.add_person(
            session,
            people.PersonFields(
                name=f"Old {number}",
                tags=chooser.sample(TAGS, chooser.randint(0, 2)),
                reach=chooser.choice([None, 200, 2000]),
            ),
            force=True,
        )
        long_ago = START - timedelta(days=chooser.randint(1000, 1500))
        activity.log_meeting(session, [person], long_ago, kind="call", note="old friend")
        if chooser.random() < 0.4:
            activity.add_give(session, person, "got", "a reference", long_ago)
        if chooser.random() < 0.2:
            activity.add_give(session, person, "gave", "a book", some_later_day(chooser))
        if chooser.random() < 0.15:
            people.set_snooze(session, person, START + timedelta(days=chooser.randint(0, 90)))


def some_later_day(chooser: random.Random) -> date:
    return START + timedelta(days=chooser.randint(0, 60))


def contexts(connection, *, weights: random.Random | None = None):
    """The rules' context on each day looked at; with ``weights``, random weights."""
    for offset in OFFSETS:
        context = ranking_context(connection, START + timedelta(days=offset))
        if weights is not None:
            overrides = {
                f"weight.{name}": weights.choice([0, 0.3, 1.37, 2.5, 7.77]) for name in FACTOR_NAMES
            }
            context = Context(
                today=context.today,
                settings=Settings.with_overrides(overrides),
                my_values=context.my_values,
            )
        yield context


def assert_pruned_equals_full(connection, context: Context) -> None:
    everyone = [person_id for person_id, _ in _bounded_candidates(connection, context, True)]
    facts = gather_facts(connection, context, everyone)
    for include_all in (False, True):
        full = rank(facts, context, include_priority_only=include_all)
        for limit in (1, 3, 10, None):
            shown, _ = ranked_due(connection, context, include_all=include_all, limit=limit)
            expected = full if limit is None else full[:limit]
            assert [(r.id, r.score) for r in shown] == [(r.id, r.score) for r in expected]


@pytest.mark.parametrize(
    "seed", [1, pytest.param(2, marks=pytest.mark.slow), pytest.param(3, marks=pytest.mark.slow)]
)
@pytest.mark.slow
def test_pruned_morning_list_equals_evaluating_everyone(tmp_path, seed):
    path = tmp_path / "g.db"
    build_random_network(path, seed)
    with db.read_connection(path) as connection:
        for context in contexts(connection):
            assert_pruned_equals_full(connection, context)


@pytest.mark.parametrize("seed", [4, pytest.param(5, marks=pytest.mark.slow)])
def test_pruned_morning_list_equals_evaluating_everyone_with_any_weights(tmp_path, seed):
    path = tmp_path / "g.db"
    build_random_network(path, seed)
    with db.read_connection(path) as connection:
        for context in contexts(connection, weights=random.Random(seed)):
            assert_pruned_equals_full(connection, context)


def test_every_factor_has_a_bound_in_sql():
    assert FACTORS and all(factor.bound.strip() for factor in FACTORS)
    assert len(set(FACTOR_NAMES)) == len(FACTORS)


@pytest.mark.parametrize("seed", [7, pytest.param(8, marks=pytest.mark.slow)])
def test_every_factors_bound_is_at_least_its_value(tmp_path, seed):
    """Per factor, not only in total: a bound below its value would hide people."""
    path = tmp_path / "g.db"
    build_random_network(path, seed)
    seen_non_zero: set[str] = set()
    with db.read_connection(path) as connection:
        for context in contexts(connection):
            bounds = _bounds_by_factor(connection, context)
            totals = dict(_bounded_candidates(connection, context, True))
            for facts in gather_facts(connection, context, list(bounds)):
                assert set(bounds[facts.id]) == set(FACTOR_NAMES)
                result = evaluate(facts, context)
                for factor in result.factors:
                    bound = bounds[facts.id][factor.name]
                    assert factor.value <= bound + 1e-9, (factor.name, facts, factor, bound)
                    if factor.value > 0:
                        seen_non_zero.add(factor.name)
                assert round(result.score * UNITS) <= totals[facts.id]
    # The networks exercise every factor, so the check above means something for each.
    assert seen_non_zero == set(FACTOR_NAMES)


@pytest.mark.parametrize("seed", [7, pytest.param(8, marks=pytest.mark.slow)])
def test_bounds_as_index_lookups_equal_the_lists(tmp_path, seed):
    """`due` gives the few people above the cut their bounds by ``by_id``'s lookups."""
    path = tmp_path / "g.db"
    build_random_network(path, seed)
    with db.read_connection(path) as connection:
        for context in contexts(connection):
            lists = _bounds_by_factor(connection, context)
            assert _bounds_by_factor(connection, context, lookups=True) == lists
    # Every list over a table is rewritten (only the json_each ones are kept).
    for factor in FACTORS:
        kept = by_id(factor.bound).split("person.id IN (")[1:]
        assert all(rest.lstrip().startswith("SELECT value FROM json_each") for rest in kept)
    assert by_id(FACTORS[1].bound) != FACTORS[1].bound


@pytest.mark.parametrize("seed", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_a_factors_who_names_everyone_its_bound_can_reach(tmp_path, seed):
    """`due` looks first among the people the ``who`` queries name: nobody with a
    non-zero bound of such a factor may be left out of its ``who``."""
    path = tmp_path / "g.db"
    build_random_network(path, seed)
    with_who = [factor for factor in FACTORS if factor.who]
    assert {factor.name for factor in with_who} >= {"follow_up", "promise", "birthday"}
    seen_non_zero: set[str] = set()
    with db.read_connection(path) as connection:
        for context in contexts(connection):
            bounds = _bounds_by_factor(connection, context)
            _, params = _bound_terms(context)
            for factor in with_who:
                named = {row[0] for row in connection.execute(factor.who, params)}
                reached = {pid for pid, bound in bounds.items() if bound[factor.name] > 0}
                assert reached <= named, (factor.name, reached - named)
                seen_non_zero |= {factor.name} if reached else set()
    assert seen_non_zero == {factor.name for factor in with_who}


@pytest.mark.parametrize("seed", [4, pytest.param(5, marks=pytest.mark.slow)])
def test_the_head_and_the_count_are_the_whole_lists(tmp_path, seed):
    """`due` reads the whole list only when the head cannot fill it: the head (the named
    people's bounds by lookups, weighed in Python) and the count (merged from the ``on``
    indexes) are what the whole list gives, with the default weights and with any."""
    path = tmp_path / "g.db"
    build_random_network(path, seed)
    with db.read_connection(path) as connection:
        for weights in (None, random.Random(seed)):
            for context in contexts(connection, weights=weights):
                for include_all in (False, True):
                    whole = _bounded_candidates(connection, context, include_all)
                    head, cut, on_list = _first_candidates(connection, context, include_all)
                    assert head == [each for each in whole if each[1] > cut]
                    assert on_list == len(whole), (include_all, context.settings)


def test_every_action_factor_is_named_by_a_who_or_listed_by_an_on():
    """`due` counts its list from these: a factor with neither would be missed."""
    assert all(factor.who or factor.on for factor in FACTORS if factor.kind == ACTION)
    assert all(factor.within in ACTION_FACTORS for factor in FACTORS if factor.within)


@pytest.mark.parametrize("seed", [7, pytest.param(8, marks=pytest.mark.slow)])
def test_a_factors_on_lists_exactly_those_its_bound_puts_on_the_list(tmp_path, seed):
    """``on`` is each person whose bound is above 0, no more, no fewer; ``within``'s
    factor is above 0 wherever this one is."""
    path = tmp_path / "g.db"
    build_random_network(path, seed)
    with_on = [factor for factor in FACTORS if factor.on]
    assert {factor.name for factor in with_on} >= {"open_ask", "intro_check", "can_match"}
    seen: set[str] = set()
    with db.read_connection(path) as connection:
        everyone = {row[0] for row in connection.execute("SELECT id FROM person")}
        for context in contexts(connection):
            bounds = _bounds_by_factor(connection, context)  # the people not snoozed
            _, params = _bound_terms(context)
            for factor in with_on:
                listed = {row[0] for arm in factor.on for row in connection.execute(arm, params)}
                reached = {pid for pid, bound in bounds.items() if bound[factor.name] > 0}
                assert listed <= everyone
                assert reached == listed & set(bounds), factor.name
                seen |= {factor.name} if reached else set()
                if factor.within:
                    assert all(bounds[pid][factor.within] > 0 for pid in reached), factor.name
    assert seen == {factor.name for factor in with_on}


@pytest.mark.slow
def test_every_rule_reads_only_the_facts_it_declares(tmp_path):
    path = tmp_path / "g.db"
    build_random_network(path, 9)
    with db.read_connection(path) as connection:
        for context in contexts(connection):
            everyone = list(_bounds_by_factor(connection, context))
            for facts in gather_facts(connection, context, everyone):
                for factor in FACTORS:
                    declared = {name: getattr(facts, name) for name in factor.facts}
                    only = PersonFacts(id=facts.id, name=facts.name, **declared)
                    assert factor.rule(only, context) == factor.rule(facts, context), factor.name


@pytest.mark.parametrize("seed", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_todays_dormant_ties_are_ones_the_rule_wakes(tmp_path, seed):
    """The store's pick of dormant ties and the rule agree: a pick the rule would not
    wake leaves the day without one."""
    path = tmp_path / "g.db"
    build_random_network(path, seed)
    woken = 0
    with db.read_connection(path) as connection:
        for context in contexts(connection):
            assert len(context.reconnect_ids) <= context.settings.days("reconnect.per_day")
            for facts in gather_facts(connection, context, sorted(context.reconnect_ids)):
                (result,) = [f for f in evaluate(facts, context).factors if f.name == "reconnect"]
                assert result.value == 1.0, facts
                woken += 1
    assert woken


def test_every_fact_gathered_is_one_a_factor_declares():
    declared = {name for factor in FACTORS for name in factor.facts}
    assert declared == {field.name for field in fields(PersonFacts)} - {"id", "name"}


@pytest.mark.slow
def test_a_tie_with_the_next_bound_does_not_stop_the_list(run):
    """51 people met yesterday score 10 each, their bound. The first batch of 50 holds
    no Aaron; the list must not stop on the tie, or Aaron (first by name) is missed."""
    for number in range(50):
        run("add", f"Zed {number:02d}", "--on", days_ago(1))
    run("add", "Aaron Last", "--on", days_ago(1))
    (top,) = run("due", "--limit", "1", "--json").json()
    assert (top["name"], top["score"]) == ("Aaron Last", 10.0)
    assert [p["name"] for p in run("due", "--limit", "2", "--json").json()] == [
        "Aaron Last",
        "Zed 00",
    ]

"""The morning list evaluates people best bound first and stops early: it must give
exactly what evaluating everyone gives, for any network, day and limit."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from givenet import db
from givenet.rules import rank
from givenet.store import activity, people
from givenet.store.ranking import _bounded_candidates, gather_facts, ranked_due, ranking_context

START = date(2026, 1, 1)
TAGS = ["food", "venue", "grants", "jobs", "music", "training"]


def build_random_network(path, seed: int) -> None:
    chooser = random.Random(seed)
    with db.session(path, write=True) as session:
        people.change_my_values(session, chooser.sample(TAGS, 2), [])
        everyone = []
        for number in range(60):
            fields = people.PersonFields(
                name=f"P{number:02d} {chooser.choice(['Ann', 'Bo', 'cy', 'Di'])}",
                circle=chooser.choice(["inner", "active", "wide", "acquaintance", "acquaintance"]),
                tags=chooser.sample(TAGS, chooser.randint(0, 3)),
                reach=chooser.choice([None, None, 50, 5000]),
                new_to_field=chooser.random() < 0.2,
                birthday=chooser.choice([None, None, "--01-20", "1990-02-03"]),
            )
            everyone.append(people.add_person(session, fields, force=True))
        for person in everyone:
            for _ in range(chooser.randint(0, 3)):
                day = START + timedelta(days=chooser.randint(0, 60))
                meeting = activity.log_meeting(session, [person], day, kind="coffee", note="x")
                if chooser.random() < 0.2:
                    due = day + timedelta(days=chooser.randint(0, 10))
                    activity.add_promises(session, [person], "send it", due, meeting)
            if chooser.random() < 0.4:
                activity.add_ask(
                    session, person, "needs " + chooser.choice(TAGS), tags=chooser.sample(TAGS, 1),
                    by=chooser.choice([None, START + timedelta(days=40)]),
                    urgent=chooser.random() < 0.1, today=START,
                )  # fmt: skip
            if chooser.random() < 0.4:
                activity.add_offer(
                    session,
                    person,
                    "offers " + chooser.choice(TAGS),
                    tags=chooser.sample(TAGS, 1),
                    today=START,
                )
            if chooser.random() < 0.15:
                activity.add_give(
                    session, person, "got", "a lead", START + timedelta(days=chooser.randint(0, 50))
                )
            if chooser.random() < 0.1:
                people.set_snooze(session, person, START + timedelta(days=chooser.randint(0, 90)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pruned_morning_list_equals_evaluating_everyone(tmp_path, seed):
    path = tmp_path / "g.db"
    build_random_network(path, seed)
    with db.session(path, write=False) as session:
        for offset in (15, 35, 62, 90):
            context = ranking_context(session, START + timedelta(days=offset))
            for include_all in (False, True):
                everyone = [
                    person_id for person_id, _ in _bounded_candidates(session, context, True)
                ]
                full = rank(
                    gather_facts(session, context, everyone),
                    context,
                    include_priority_only=include_all,
                )
                for limit in (1, 3, 10, None):
                    shown, _ = ranked_due(session, context, include_all=include_all, limit=limit)
                    expected = full if limit is None else full[:limit]
                    assert [(r.id, r.score) for r in shown] == [(r.id, r.score) for r in expected]


def test_every_bound_is_at_least_the_score(tmp_path):
    path = tmp_path / "g.db"
    build_random_network(path, 7)
    with db.session(path, write=False) as session:
        for offset in (20, 61):
            context = ranking_context(session, START + timedelta(days=offset))
            bounds = dict(_bounded_candidates(session, context, True))
            for facts in gather_facts(session, context, list(bounds)):
                ranked = rank([facts], context, include_priority_only=True)
                if ranked:
                    assert ranked[0].score <= bounds[facts.id] + 1e-9

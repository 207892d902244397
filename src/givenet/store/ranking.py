"""Gathering what the ranking rules need, in a few aggregate queries.

The rules (``givenet.rules``) are pure; this module picks the candidates in SQL
(only people who could have an action factor today, unless ``--all``) and
hands the rules one ``PersonFacts`` each. It never loads every row as objects.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from givenet.rules import (
    AskFact,
    Context,
    IntroFact,
    MatchFact,
    MeetingFact,
    PersonFacts,
    PromiseFact,
    Ranked,
    Settings,
)
from givenet.store.config import load_settings
from givenet.store.matches import best_match_per_asker, helped_well_counts, pending_intros
from givenet.store.sql import my_values, placeholders, rows, tags_by_owner, to_date
from givenet.vocab import CADENCED_CIRCLES, OPEN_INTRO_STATUSES, IntroStatus, chunks, sql_list

# Intros that gave the person something (not merely suggested, nor declined).
NOT_GIVEN = sql_list((IntroStatus.suggested, IntroStatus.declined))

# First and last touch per person, counting only meetings that have happened by
# the day the rules look at (a meeting dated later has not happened yet). They are
# kept in ``person_touch`` (schema 4) over every meeting; only a person whose last
# meeting is dated after that day has it looked up among their own meetings.
TOUCHES = """
SELECT person_touch.person_id AS person_id,
       person_touch.first_met AS first_met,
       CASE WHEN person_touch.last_touch <= :today THEN person_touch.last_touch ELSE (
           SELECT MAX(meeting.date) FROM meeting_person
           CROSS JOIN meeting ON meeting.id = meeting_person.meeting_id
           WHERE meeting_person.person_id = person_touch.person_id AND meeting.date <= :today
       ) END AS last_touch
FROM person_touch
WHERE person_touch.first_met <= :today
"""

# Whose touches the bounds get: those met within the follow-up span
# (``:follow_up_from``, a parameter of the follow_up factor's bound), and those with
# a cadence; a condition on the joined rows, so that no list of people is built.
# Everyone else is left without touches, as their bounds need none.
RELEVANT = f"""(touches.last_touch >= :follow_up_from
    OR person.cadence_days IS NOT NULL OR person.circle IN ({sql_list(CADENCED_CIRCLES)}))"""

# How many of each person's tags are among the user's values.
ALIGNED = """
SELECT person_tag.person_id AS person_id, COUNT(*) AS shared
FROM person_tag JOIN me_tag ON me_tag.tag_id = person_tag.tag_id
GROUP BY person_tag.person_id
"""
# The same for the person of the outer row, by their own tags (``by_id``).
ALIGNED_BY_ID = """(SELECT COUNT(*) FROM person_tag JOIN me_tag ON me_tag.tag_id = person_tag.tag_id
    WHERE person_tag.person_id = person.id)"""

# Each factor's bound (``Factor.bound`` in givenet.rules) is a value between 0 and 1
# that is never below the real one. The weighted sum is an upper bound on the score,
# so the morning list can evaluate people best bound first and stop once nobody left
# can reach the list: a network of 20,000 people with an open ask each does not mean
# 20,000 evaluations.
#
# Scores are whole ten-thousandths (each contribution is rounded to four decimals),
# so the bound is counted in ten-thousandths too, each factor's contribution rounded
# up: then a score beats a bound exactly when it is greater, and a tie is not a stop.
UNITS = 10_000


def _bound_terms(context: Context) -> tuple[dict[str, str], dict[str, Any]]:
    """Every factor's bound expression, and the parameters they and their weights use."""
    from givenet.rules import FACTORS

    params: dict[str, Any] = {"today": context.today.isoformat()}
    for factor in FACTORS:
        params.update(factor.bound_params(context))
        params[f"w_{factor.name}"] = context.settings.weight(factor.name)
    return {factor.name: factor.bound for factor in FACTORS}, params


# One arm of a bound's ``person.id IN (...)`` list: ``SELECT column FROM table [WHERE ...]``.
_LIST_ARM = re.compile(r"SELECT (\w+) FROM (\w+)(?: WHERE (.*))?", re.DOTALL)


def _arms(sub: str) -> list[str]:
    """A subquery split at its top-level ``UNION``s."""
    arms, depth, start = [], 0, 0
    for i, char in enumerate(sub):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and sub.startswith(" UNION ", i):
            arms.append(sub[start:i])
            start = i + len(" UNION ")
    return [*arms, sub[start:]]


def by_id(bound: str) -> str:
    """A bound with each ``person.id IN (SELECT c FROM t WHERE w UNION ...)`` written as
    ``EXISTS (SELECT 1 FROM t WHERE t.c = person.id AND (w)) OR ...``: index lookups for
    the few rows a query gives full bounds, where the list would be built over the whole
    table. The same value in a ``CASE WHEN`` (a list with a NULL in it gives NULL, not
    false, which a ``WHEN`` reads the same). Lists of another shape are kept.
    ``aligned.shared`` is counted from the person's tags, so the query needs no
    ``aligned`` over everyone (a count of 0 where the join gave NULL: both bounds
    read it through ``COALESCE``)."""
    out, start, key = [], 0, "person.id IN ("
    while (at := bound.find(key, start)) >= 0:
        end, depth = at + len(key), 1
        while depth:
            depth += {"(": 1, ")": -1}.get(bound[end], 0)
            end += 1
        arms = [
            _LIST_ARM.fullmatch(arm.strip())
            for arm in _arms(" ".join(bound[at + len(key) : end - 1].split()))
        ]
        if all(arms):
            lookups = [
                f"EXISTS (SELECT 1 FROM {arm[2]} WHERE {arm[2]}.{arm[1]} = person.id"
                + (f" AND ({arm[3]}))" if arm[3] else ")")
                for arm in arms
                if arm
            ]
            out += [bound[start:at], "(" + " OR ".join(lookups) + ")"]
        else:
            out.append(bound[start:end])
        start = end
    return "".join([*out, bound[start:]]).replace("aligned.shared", ALIGNED_BY_ID)


def _candidates_sql(columns: str, *, having: str = "") -> str:
    """A query over every person not snoozed, with what the bounds may refer to.

    A snoozed person with a promise due stays: a snooze never hides what you owe.
    (``+snoozed_until``: the snooze index would walk every unsnoozed person, then
    look each row up; reading the table is quicker.) ``aligned`` is counted for
    everyone only when ``columns`` reads it."""
    joined = "aligned." in columns  # (the lookups of ``by_id`` need no join)
    aligned = f", aligned AS ({ALIGNED})" if joined else ""
    join = "LEFT JOIN aligned ON aligned.person_id = person.id" if joined else ""
    return f"""
        WITH touches AS ({TOUCHES}){aligned}
        SELECT person.id, {columns}
        FROM person LEFT JOIN touches ON touches.person_id = person.id AND {RELEVANT}
        {join}
        WHERE (+person.snoozed_until IS NULL OR +person.snoozed_until <= :today
            OR person.id IN ({PROMISE_DUE}))
        {having}"""


# Whom a promise is due to (``ix_promise_open_due``, schema 7, holds just these rows).
PROMISE_DUE = "SELECT person_id FROM promise WHERE kept_on IS NULL AND due <= :today"

# The people ``_candidates_sql`` leaves out: snoozed past today, and owed no promise.
HIDDEN = """person.snoozed_until > :today
    AND NOT EXISTS (SELECT 1 FROM promise WHERE promise.person_id = person.id
        AND kept_on IS NULL AND due <= :today)"""


# Just under one unit: added before truncating, it rounds a contribution up.
_ROUND_UP = 0.99999


def _contribution(name: str, sql: str) -> str:
    """A factor's weighted bound in ten-thousandths, rounded up (CAST truncates: adding
    just under one unit rounds up)."""
    return f"CAST(:w_{name} * ({sql}) * {UNITS} + {_ROUND_UP} AS INTEGER)"


def _weighed(weight: float, bound: float) -> int:
    """``_contribution`` of a bound read back into Python."""
    return int(weight * bound * UNITS + _ROUND_UP)


def _on_list_filter(context: Context, bounds: dict[str, str], include_all: bool) -> str:
    """SQL: the person can be on the list (an action factor with a weight can be non-zero).

    Bounds are never below 0, so their sum is positive exactly when one is: an ``OR``
    stops at the first, and most people have an open ask or an intro."""
    from givenet.rules import ACTION_FACTORS

    if include_all:
        return ""
    weighted = [name for name in ACTION_FACTORS if context.settings.weight(name) > 0]
    weighted.sort(key=lambda name: name not in ("open_ask", "intro_check", "can_match"))
    return "AND (" + (" OR ".join(f"({bounds[name]}) > 0" for name in weighted) or "0") + ")"


def _bounded_candidates(
    db: sqlite3.Connection, context: Context, include_all: bool
) -> list[tuple[int, int]]:
    """(person id, upper bound of their score in ten-thousandths), highest first, for
    people not snoozed.

    Without ``include_all`` only people with an action factor that can be non-zero.
    """
    bounds, params = _bound_terms(context)
    total = " + ".join(_contribution(name, sql) for name, sql in bounds.items())
    having = _on_list_filter(context, bounds, include_all)
    sql = _candidates_sql(f"{total} AS bound", having=having) + " ORDER BY bound DESC, person.id"
    return [(row[0], int(row[1])) for row in rows(db, sql, params)]


def _first_candidates(
    db: sqlite3.Connection, context: Context, include_all: bool
) -> tuple[list[tuple[int, int]], int, int]:
    """The head of ``_bounded_candidates``, its cut, and how long the whole list is.

    The head is every candidate whose bound is above the cut: the weighted factors
    with a ``who`` (few people each) are non-zero only among those it names, and
    anyone else's bound is at most the cut, the other factors' weights in full. The
    named get each factor's bound by index lookups, weighed here as ``_contribution``
    weighs them in SQLite. The list is counted from the indexes of the other action
    factors' ``on`` (everyone, with ``include_all``), less those a snooze hides, plus
    the named whom only a factor with a ``who`` puts on it. The whole list is read only
    when the head does not fill the morning list.
    """
    from givenet.rules import ACTION, FACTORS

    bounds, params = _bound_terms(context)
    weight = context.settings.weight
    few = [f for f in FACTORS if f.who and weight(f.name) > 0]
    cut = sum(max(0, _weighed(weight(f.name), 1.0)) for f in FACTORS if f not in few)
    among = " UNION ".join(f.who for f in few) or "SELECT NULL WHERE FALSE"
    acting = {f.name: f for f in FACTORS if f.kind == ACTION and weight(f.name) > 0}
    many = [f for f in acting.values() if not f.who and f.within not in acting]
    columns = ", ".join(f"({by_id(sql)})" for sql in bounds.values())
    named = rows(db, _candidates_sql(columns, having=f"AND person.id IN ({among})"), params)
    weights = [weight(name) for name in bounds]
    by_few = [i for i, name in enumerate(bounds) if name in acting and acting[name] in few]
    by_many = [i for i, name in enumerate(bounds) if name in acting and acting[name] in many]
    head, on_list = [], 0
    for person_id, *values in named:
        listed = include_all or any(values[i] > 0 for i in by_many)  # as ``on`` lists them
        if not (listed or any(values[i] > 0 for i in by_few)):
            continue  # not on the list
        on_list += not listed
        total = sum(_weighed(w, float(b)) for w, b in zip(weights, values, strict=True) if b)
        if total > cut:
            head.append((person_id, total))
    head.sort(key=lambda c: (-c[1], c[0]))
    arms = ["SELECT id FROM person"] if include_all else [arm for f in many for arm in f.on]
    if arms:
        listed_ids = " UNION ".join(arms)
        if len(arms) == 1:  # no UNION to make the ids distinct
            listed_ids = listed_ids.replace("SELECT ", "SELECT DISTINCT ", 1)
        # The ids in id order from each arm's index, merged: no table row is read.
        count = f"SELECT COUNT(*) FROM ({listed_ids} ORDER BY 1) AS listed"
        hidden = f"SELECT COUNT(*) FROM person WHERE {HIDDEN}"
        if not include_all:
            hidden += f" AND {by_id(f'person.id IN ({listed_ids})')}"
        on_list += rows(db, count, _named(count, params))[0][0] - rows(db, hidden, params)[0][0]
    return head, cut, on_list


def _named(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters ``sql`` names (PostgreSQL's driver refuses names it does not use)."""
    return {name: value for name, value in params.items() if f":{name}" in sql}


def _bounds_by_factor(
    db: sqlite3.Connection, context: Context, *, lookups: bool = False
) -> dict[int, dict[str, float]]:
    """Each person's bound of every factor, unweighted (to test the bounds); with
    ``lookups`` as ``by_id`` writes them."""
    bounds, params = _bound_terms(context)
    write = by_id if lookups else str
    sql = _candidates_sql(", ".join(f"({write(expression)})" for expression in bounds.values()))
    return {
        row[0]: dict(zip(bounds, map(float, row[1:]), strict=True)) for row in rows(db, sql, params)
    }


def count_overdue_check_ins(db: sqlite3.Connection, context: Context) -> int:
    """People past their check-in cadence (snoozed ones too: they are still overdue)."""
    from givenet.rules import FACTORS

    (check_in,) = [factor for factor in FACTORS if factor.name == "check_in"]
    params = {"today": context.today.isoformat(), **check_in.bound_params(context)}
    sql = f"""
        WITH touches AS ({TOUCHES})
        SELECT COUNT(*) FROM person LEFT JOIN touches ON touches.person_id = person.id
        WHERE ({check_in.bound}) = 1"""
    return int(rows(db, sql, params)[0][0])


def ranked_due(
    db: sqlite3.Connection,
    context: Context,
    *,
    include_all: bool,
    limit: int | None = None,
    among: frozenset[int] | None = None,
) -> tuple[list[Ranked], int]:
    """The best ``limit`` people of the morning list (all with None), exactly ranked,
    and about how many are on it; with ``among``, of those people only (one member's
    list on a team's network).

    People are evaluated in batches, highest bound first, until the last place
    of the list is out of reach of everyone not yet evaluated.
    """
    from givenet.rules import rank, rank_key

    if among is None:
        candidates, cut, on_list = _first_candidates(db, context, include_all)
        whole = False
    else:
        candidates = [
            each for each in _bounded_candidates(db, context, include_all) if each[0] in among
        ]
        cut, on_list, whole = 0, len(candidates), True
    ranked: list[Ranked] = []
    start, batch = 0, max(50, (limit or on_list) * 3)
    while start < on_list:
        if start >= len(candidates) and not whole:  # the head is done, the list not full
            if (
                limit is not None
                and len(ranked) >= limit
                and round(ranked[limit - 1].score * UNITS) > cut
            ):
                break  # nobody outside the head can reach it
            # The head first as it was evaluated (PostgreSQL rounds the whole list's
            # bounds its own way), then everyone else, highest bound first.
            evaluated = {person_id for person_id, _ in candidates}
            rest = _bounded_candidates(db, context, include_all)
            candidates = [*candidates, *(each for each in rest if each[0] not in evaluated)]
            whole, on_list = True, len(candidates)
            continue
        chunk = candidates[start : start + batch]
        facts = gather_facts(db, context, [person_id for person_id, _ in chunk])
        ranked = sorted(
            [*ranked, *rank(facts, context, include_priority_only=include_all)], key=rank_key
        )
        start += len(chunk)
        batch *= 2
        out_of_reach = (
            limit is not None
            and start < len(candidates)
            and len(ranked) >= limit
            and round(ranked[limit - 1].score * UNITS) > candidates[start][1]
        )
        if out_of_reach:
            break
    on_list = len(ranked) + (on_list - start)  # the rest is not evaluated
    return (ranked if limit is None else ranked[:limit]), on_list


def gather_facts(
    db: sqlite3.Connection, context: Context, person_ids: Sequence[int]
) -> list[PersonFacts]:
    """One ``PersonFacts`` per person, from a fixed number of queries over those people."""
    if not person_ids:
        return []
    ids = list(person_ids)
    today = context.today.isoformat()
    people: dict[int, dict[str, Any]] = {}
    for chunk in chunks(ids):
        marks = placeholders(len(chunk))
        for row in rows(
            db,
            "SELECT id, name, circle, cadence_days, birthday, reach, new_to_field "
            f"FROM person WHERE id IN ({marks})",
            chunk,
        ):
            people[row[0]] = {
                "id": row[0],
                "name": row[1],
                "circle": row[2],
                "cadence_days": row[3],
                "birthday": row[4],
                "reach": row[5],
                "new_to_field": bool(row[6]),
            }
        _add_touches(db, people, chunk, today)
        _add_asks(db, people, chunk)
        _add_promises(db, people, chunk)
        _add_gives(db, people, chunk, today)
        _add_tags_and_intros(db, people, chunk)
        _add_giving(db, people, chunk, context)
    return [PersonFacts(**people[pid]) for pid in ids if pid in people]


def _add_touches(
    db: sqlite3.Connection, people: dict[int, dict[str, Any]], chunk: list[int], today: str
) -> None:
    named = ", ".join(f":p{i}" for i in range(len(chunk)))
    firsts: dict[int, str] = {}
    for person_id, first_met, last_touch in rows(
        db,
        f"SELECT * FROM ({TOUCHES}) AS touch WHERE touch.person_id IN ({named})",
        {"today": today, **{f"p{i}": pid for i, pid in enumerate(chunk)}},
    ):
        people[person_id]["first_met"] = to_date(first_met)
        people[person_id]["last_touch"] = to_date(last_touch)
        if first_met == last_touch:
            firsts[person_id] = first_met
    if not firsts:
        return
    # Where and how they were first met, for the follow-up's reason: the latest
    # meeting entered on that day, preferring one at an event.
    wanted = list(firsts)
    for person_id, day, kind, note, event_name in rows(
        db,
        "SELECT meeting_person.person_id, meeting.date, meeting.kind, meeting.note, event.name "
        "FROM meeting_person JOIN meeting ON meeting.id = meeting_person.meeting_id "
        "LEFT JOIN event ON event.id = meeting.event_id "
        f"WHERE meeting_person.person_id IN ({placeholders(len(wanted))}) AND meeting.date <= ? "
        "ORDER BY meeting_person.person_id, meeting.date, event.id IS NOT NULL, "
        "meeting.note IS NOT NULL, meeting.id",
        [*wanted, today],
    ):
        if day == firsts[person_id]:
            people[person_id]["first_meeting"] = MeetingFact(
                day=date.fromisoformat(day),
                kind=kind,
                event_name=event_name,
                note=note,
            )


def _add_asks(db: sqlite3.Connection, people: dict[int, dict[str, Any]], chunk: list[int]) -> None:
    asks: dict[int, list[AskFact]] = defaultdict(list)
    for ask_id, person_id, text, due, urgent in rows(
        db,
        "SELECT id, person_id, text, due, urgent FROM ask WHERE status = 'open' "
        # An intro under way for the ask is the help: its intro_check takes over.
        "AND NOT EXISTS (SELECT 1 FROM intro WHERE intro.ask_id = ask.id "
        f"AND intro.status IN ({sql_list(OPEN_INTRO_STATUSES)})) "
        f"AND person_id IN ({placeholders(len(chunk))}) ORDER BY id",
        chunk,
    ):
        asks[person_id].append(AskFact(id=ask_id, text=text, due=to_date(due), urgent=bool(urgent)))
    for person_id, found in asks.items():
        people[person_id]["open_asks"] = tuple(found)


def _add_promises(
    db: sqlite3.Connection, people: dict[int, dict[str, Any]], chunk: list[int]
) -> None:
    promises: dict[int, list[PromiseFact]] = defaultdict(list)
    for promise_id, person_id, text, due in rows(
        db,
        "SELECT id, person_id, text, due FROM promise WHERE kept_on IS NULL "
        f"AND person_id IN ({placeholders(len(chunk))}) ORDER BY due, id",
        chunk,
    ):
        promises[person_id].append(PromiseFact(id=promise_id, text=text, due=to_date(due)))  # type: ignore[arg-type]
    for person_id, found in promises.items():
        people[person_id]["open_promises"] = tuple(found)


def _add_gives(
    db: sqlite3.Connection, people: dict[int, dict[str, Any]], chunk: list[int], today: str
) -> None:
    """What they gave and got, counting only ledger lines dated by ``today``."""
    marks = placeholders(len(chunk))
    for person_id, got_count, last_got, last_gave in rows(
        db,
        "SELECT person_id, SUM(CASE WHEN direction = 'got' THEN 1 ELSE 0 END), MAX(CASE WHEN direction = 'got' THEN date END), "
        "MAX(CASE WHEN direction = 'gave' THEN date END) "
        f"FROM give WHERE person_id IN ({marks}) AND date <= ? GROUP BY person_id",
        [*chunk, today],
    ):
        people[person_id].update(
            got_count=int(got_count or 0), last_got=to_date(last_got), last_gave=to_date(last_gave)
        )
    for person_id, what in rows(
        db,
        "SELECT person_id, what FROM give WHERE direction = 'got' "
        f"AND person_id IN ({marks}) AND date <= ? ORDER BY person_id, date, id",
        [*chunk, today],
    ):
        people[person_id]["last_got_what"] = what  # the latest wins


def _add_tags_and_intros(
    db: sqlite3.Connection, people: dict[int, dict[str, Any]], chunk: list[int]
) -> None:
    marks = placeholders(len(chunk))
    for person_id, found in tags_by_owner(db, "person_tag", "person_id", chunk).items():
        people[person_id]["tags"] = tuple(found)
    for person_id, count in rows(
        db,
        "SELECT person_id, COUNT(*) FROM ("
        f"SELECT person_a_id AS person_id FROM intro WHERE person_a_id IN ({marks}) "
        f"AND status NOT IN ({NOT_GIVEN}) UNION ALL "
        f"SELECT person_b_id FROM intro WHERE person_b_id IN ({marks}) "
        f"AND status NOT IN ({NOT_GIVEN})) AS given GROUP BY person_id",
        [*chunk, *chunk],
    ):
        people[person_id]["intro_count"] = count


def _add_giving(
    db: sqlite3.Connection, people: dict[int, dict[str, Any]], chunk: list[int], context: Context
) -> None:
    """Matches one step away, open intros, and help that landed well."""
    askers = [pid for pid in chunk if people[pid].get("open_asks")]
    recent = context.settings.days("intro.recent")
    for person_id, match in best_match_per_asker(db, context.today, recent, askers).items():
        people[person_id]["best_match"] = MatchFact(
            ask_text=match["ask"],
            helper_name=match["helper"]["name"],
            offer_text=match["offer"],
            score=match["score"],
            matched=tuple(match["matched"]),
            why=match["why"],
        )
    for person_id, intros in pending_intros(db, chunk).items():
        people[person_id]["open_intros"] = tuple(
            IntroFact(id=i, other_name=name, status=status, status_on=to_date(day))  # type: ignore[arg-type]
            for i, name, status, day in intros
        )
    for person_id, count in helped_well_counts(db, chunk).items():
        people[person_id]["helped_well_count"] = count


def ranking_context(db: sqlite3.Connection, today: date) -> Context:
    settings: Settings = load_settings(db)
    values = frozenset(value.casefold() for value in my_values(db))
    return on_day(db, Context(today=today, settings=settings, my_values=values), today)


def on_day(db: sqlite3.Connection, context: Context, day: date) -> Context:
    """The same context on another day, with that day's turn of the dormant ties."""
    from givenet.rules import reconnect_picks

    per_day = context.settings.count("reconnect.per_day")
    ties = dormant_ties(db, day, context.settings.days("reconnect.after")) if per_day else []
    return replace(context, today=day, reconnect_ids=reconnect_picks(ties, day, per_day))


# Who may be worth waking: they helped you, they bridge (an intro, a large reach),
# or they share your values. Asked of each quiet person through the indexes.
WORTH_WAKING = f"""(person.reach >= :bridge_reach
    OR EXISTS (SELECT 1 FROM give WHERE give.person_id = person.id
        AND give.direction = 'got' AND give.date <= :today)
    OR EXISTS (SELECT 1 FROM intro WHERE intro.person_a_id = person.id
        AND intro.status NOT IN ({NOT_GIVEN}))
    OR EXISTS (SELECT 1 FROM intro WHERE intro.person_b_id = person.id
        AND intro.status NOT IN ({NOT_GIVEN}))
    OR EXISTS (SELECT 1 FROM person_tag JOIN me_tag ON me_tag.tag_id = person_tag.tag_id
        WHERE person_tag.person_id = person.id))"""


def _gave_or_got_between(after: str, until: str) -> str:
    """SQL: the person of the outer row has a `got` or a `gave` dated in that span."""
    return f"""EXISTS (SELECT 1 FROM give WHERE give.person_id = person.id
        AND give.date > {after} AND give.date <= {until})"""


# A meeting in (:dormant_before, :today]: person_touch (schema 4) says so at once,
# unless their last meeting is dated after today; then their own meetings are read.
MET_LATELY = """(person_touch.last_touch > :dormant_before AND person_touch.last_touch <= :today
    OR person_touch.last_touch > :today AND EXISTS (SELECT 1 FROM meeting_person
        JOIN meeting ON meeting.id = meeting_person.meeting_id
        WHERE meeting_person.person_id = person.id
        AND meeting.date > :dormant_before AND meeting.date <= :today))"""


def dormant_ties(db: sqlite3.Connection, today: date, after_days: int) -> list[int]:
    """People not snoozed, last in contact ``after_days`` or more before ``today``, who
    helped you, bridge or share your values: what ``rules.rule_reconnect`` wakes, in turn."""
    from givenet.rules import BRIDGE_REACH

    if after_days <= 0:
        return []
    params = {
        "today": today.isoformat(),
        "dormant_before": (today - timedelta(days=after_days)).isoformat(),
        "bridge_reach": BRIDGE_REACH,
    }
    # Most networks hold nothing that old: one look at the date index says so.
    anything_old = """SELECT EXISTS (SELECT 1 FROM meeting WHERE date <= :dormant_before)
        OR EXISTS (SELECT 1 FROM give WHERE date <= :dormant_before)"""
    if not rows(db, anything_old, params)[0][0]:
        return []
    # CROSS JOIN keeps the few quiet people the outer loop (SQLite never reorders it):
    # else the planner scans everyone and asks the worth of each.
    sql = f"""
        WITH quiet(id) AS (
            SELECT person_id FROM person_touch WHERE first_met <= :dormant_before
            UNION SELECT person_id FROM give WHERE date <= :dormant_before)
        SELECT person.id FROM quiet CROSS JOIN person ON person.id = quiet.id
        LEFT JOIN person_touch ON person_touch.person_id = person.id
        WHERE (person.snoozed_until IS NULL OR person.snoozed_until <= :today)
        AND NOT COALESCE({MET_LATELY}, FALSE)
        AND NOT {_gave_or_got_between(":dormant_before", ":today")}
        AND {WORTH_WAKING}
        ORDER BY person.id"""
    return [row[0] for row in rows(db, sql, params)]

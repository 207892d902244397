"""`givenet review`: the week's giving, intros, promises and asks, in plain SQL."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from givenet.records.people import PersonRef
from givenet.records.review import (
    AskMet,
    DormantTie,
    LedgerLine,
    PromiseLine,
    WeekCount,
    WeeklyReview,
)
from givenet.store.sql import rows, to_date
from givenet.vocab import OPEN_INTRO_STATUSES, IntroStatus

WEEKS = 12
# What an intro can end as: its outcome, shown the week it was recorded.
OUTCOMES = tuple(
    status.value
    for status in (
        IntroStatus.helped,
        IntroStatus.no_fit,
        IntroStatus.fizzled,
        IntroStatus.declined,
    )
)


def _ledger(
    db: sqlite3.Connection, direction: str, since: str, until: str
) -> tuple[LedgerLine, ...]:
    return tuple(
        LedgerLine(
            id=row[0],
            person=PersonRef(row[1], row[2]),
            what=row[3],
            date=date.fromisoformat(row[4]),
        )
        for row in rows(
            db,
            "SELECT give.id, person.id, person.name, give.what, give.date FROM give "
            "JOIN person ON person.id = give.person_id WHERE give.direction = ? "
            "AND give.date >= ? AND give.date <= ? ORDER BY give.date, give.id",
            [direction, since, until],
        )
    )


def _promises(
    db: sqlite3.Connection, where: str, params: list[str], today: date
) -> tuple[PromiseLine, ...]:
    found = []
    for promise_id, person_id, name, text, due, kept_on in rows(
        db,
        "SELECT promise.id, person.id, person.name, promise.text, promise.due, promise.kept_on "
        f"FROM promise JOIN person ON person.id = promise.person_id WHERE {where} "
        "ORDER BY promise.due, promise.id",
        params,
    ):
        due_day, kept = date.fromisoformat(due), to_date(kept_on)
        if kept is not None and kept > today:
            kept = None  # kept after the day looked at: still open on that day
        late = ((kept or today) - due_day).days
        found.append(
            PromiseLine(promise_id, PersonRef(person_id, name), text, due_day, kept, max(0, late))
        )
    return tuple(found)


def giving_weeks(db: sqlite3.Connection, today: date) -> tuple[WeekCount, ...]:
    """Gave and got per week over the last ``WEEKS`` weeks, the last one ending today."""
    first = today - timedelta(days=7 * WEEKS - 1)
    counts = {
        int(week): (int(gave), int(got))
        for week, gave, got in rows(
            db,
            "SELECT CAST((julianday(date) - julianday(?)) / 7 AS INTEGER) AS week, "
            "SUM(CASE WHEN direction = 'gave' THEN 1 ELSE 0 END), SUM(CASE WHEN direction = 'got' THEN 1 ELSE 0 END) FROM give "
            "WHERE date >= ? AND date <= ? GROUP BY week",
            [first.isoformat(), first.isoformat(), today.isoformat()],
        )
    }
    return tuple(
        WeekCount(first + timedelta(days=7 * week), *counts.get(week, (0, 0)))
        for week in range(WEEKS)
    )


def weekly_review(db: sqlite3.Connection, today: date) -> WeeklyReview:
    from givenet.records.stats import Layer
    from givenet.rules import evaluate, nested_layers
    from givenet.store.matches import list_intros
    from givenet.store.ranking import gather_facts, ranking_context

    week_from = today - timedelta(days=6)
    since, until = week_from.isoformat(), today.isoformat()
    intros = list_intros(db)
    context = ranking_context(db, today)
    reconnect = None
    if context.reconnect_ids:
        (facts,) = gather_facts(db, context, [min(context.reconnect_ids)])
        (factor,) = [f for f in evaluate(facts, context).factors if f.name == "reconnect"]
        last = max(
            (d for d in (facts.last_touch, facts.last_got, facts.last_gave) if d), default=None
        )
        reconnect = DormantTie(PersonRef(facts.id, facts.name), last, factor.reason)
    circles = dict(rows(db, "SELECT circle, COUNT(*) FROM person GROUP BY circle"))
    return WeeklyReview(
        date=today,
        week_from=week_from,
        gave=_ledger(db, "gave", since, until),
        got=_ledger(db, "got", since, until),
        # Intros keep no history of their moves: those waiting are as they stand now,
        # less any made after the day looked at.
        intros_waiting=tuple(
            i for i in reversed(intros) if i.status in OPEN_INTRO_STATUSES and i.date <= today
        ),
        intro_outcomes=tuple(
            i
            for i in reversed(intros)
            if i.status in OUTCOMES and week_from <= i.status_on <= today
        ),
        promises_kept=_promises(
            db, "promise.kept_on >= ? AND promise.kept_on <= ?", [since, until], today
        ),
        promises_late=_promises(
            db,
            "(promise.kept_on IS NULL OR promise.kept_on > ?) AND promise.due < ?",
            [until, until],
            today,
        ),
        asks_met=tuple(
            AskMet(row[0], PersonRef(row[1], row[2]), row[3], date.fromisoformat(row[4]), row[5])
            for row in rows(
                db,
                "SELECT ask.id, person.id, person.name, ask.text, ask.resolved_on, ask.via FROM ask "
                "JOIN person ON person.id = ask.person_id WHERE ask.status = 'met' "
                "AND ask.resolved_on >= ? AND ask.resolved_on <= ? ORDER BY ask.resolved_on, ask.id",
                [since, until],
            )
        ),
        reconnect=reconnect,
        circles_over=tuple(
            Layer(**layer)  # type: ignore[arg-type]
            for layer in nested_layers(circles)
            if layer["over"]
        ),
        giving_weeks=giving_weeks(db, today),
    )

"""The weekly review: review."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import as_of_date, network

if TYPE_CHECKING:
    from datetime import date

    from givenet.records.review import WeeklyReview

SPARKS = "▁▂▃▄▅▆▇█"


@app.command(rich_help_panel="Daily")
def review(
    on: str | None = typer.Option(
        None,
        "--on",
        help="The week ending on this date (default today); intros waiting are as they stand now, less those made after it.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The weekly give-first review: what you gave and got this week, intros waiting and
    their outcomes, promises kept and late, asks met, one dormant tie to wake, circles
    over capacity, and your giving over the last twelve weeks.

    Example:

        givenet review
    """
    from givenet.core.review import weekly_review

    result = weekly_review(network(), today=as_of_date(on))
    if as_json:
        render.print_json(result)
        return
    _print_review(result)


def sparkline(counts: list[int]) -> str:
    """One character a count: · for none, then ▁ … █ against the largest."""
    largest = max(counts, default=0)
    if largest <= 0:
        return "·" * len(counts)
    return "".join(
        "·" if n <= 0 else SPARKS[min(len(SPARKS) - 1, round((len(SPARKS) - 1) * n / largest))]
        for n in counts
    )


def _short(day: date) -> str:
    return f"{day:%b} {day.day}"


def _print_review(result: WeeklyReview) -> None:
    line = render.line
    line(f"Week of {_short(result.week_from)} to {_short(result.date)}, {result.date.year}")
    line("")
    line(f"You gave ({len(result.gave)})")
    for give in result.gave:
        line(f"  {_short(give.date)}  {give.person.name}: {give.what}", hang=4)
    line(f"You got ({len(result.got)})")
    for got in result.got:
        line(f"  {_short(got.date)}  {got.person.name}: {got.what}", hang=4)
    line(f"Intros waiting ({len(result.intros_waiting)})")
    for intro in result.intros_waiting:
        a, b = intro.people
        line(f"  #{intro.id} {a.name} and {b.name}: {intro.status} since {_short(intro.status_on)}")
    if result.intro_outcomes:
        line(f"Intro outcomes this week ({len(result.intro_outcomes)})")
        for intro in result.intro_outcomes:
            a, b = intro.people
            line(f"  #{intro.id} {a.name} and {b.name}: {intro.status}")
    kept_late = sum(1 for p in result.promises_kept if p.late_by_days)
    line(f"Promises kept ({len(result.promises_kept)}, {kept_late} late)")
    for promise in result.promises_kept:
        late = f", {promise.late_by_days} days late" if promise.late_by_days else ", on time"
        line(f"  {promise.person.name}: {promise.text}{late}", hang=4)
    line(f"Promises overdue ({len(result.promises_late)})")
    for promise in result.promises_late:
        line(
            f"  {promise.person.name}: {promise.text} (due {_short(promise.due)}, "
            f"{promise.late_by_days} days ago)",
            hang=4,
        )
    line(f"Asks met ({len(result.asks_met)})")
    for ask in result.asks_met:
        via = f" via {ask.via}" if ask.via else ""
        line(f"  {ask.person.name}: {ask.text}{via}", hang=4)
    if result.reconnect:
        line("Reconnect")
        reason = result.reconnect.reason.removeprefix("reconnect: ")
        line(f"  {result.reconnect.person.name}: {reason}", hang=4)
    for layer in result.circles_over:
        line(
            f"Over capacity: {layer.circle} holds {layer.cumulative} with the circles inside it "
            f"(up to {layer.capacity})"
        )
    weeks = result.giving_weeks
    gave_counts = [week.gave for week in weeks]
    got_counts = [week.got for week in weeks]
    since = f" since {_short(weeks[0].week_from)}" if weeks else ""
    line("")
    line(f"Giving, {len(weeks)} weeks{since} (a column a week, this week last)")
    line(f"  gave  {sparkline(gave_counts)}  {sum(gave_counts)}")
    line(f"  got   {sparkline(got_counts)}  {sum(got_counts)}")

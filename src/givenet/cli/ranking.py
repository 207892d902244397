"""The morning list and its explanation: due, why."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import LIMIT_MAX, as_of_date, complete_person, network

if TYPE_CHECKING:
    from givenet.records.ranking import MorningList
    from givenet.rules import Ranked

ON = typer.Option(None, "--on", help="Evaluate as of this date (default today).")


@app.command(rich_help_panel="Daily")
def due(
    limit: int = typer.Option(
        10, "--limit", "-n", min=1, max=LIMIT_MAX, help="How many people to show."
    ),
    on: str | None = ON,
    all_: bool = typer.Option(
        False, "--all", help="Also people with only priority factors (nothing to do today)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    team: bool = typer.Option(
        False, "--team", help="On a team's network: everyone's list, not only yours."
    ),
) -> None:
    """The morning list: whom to follow up, check in with or help today, best first.

    Each row names the top action and its reason; `givenet why NAME` shows the sum.
    On a network that several members write to (a team's), it is your list: the
    people you recorded a meeting, note, ask, offer, promise or intro with, and
    those nobody has met yet; --team gives everyone's.

    Example:

        givenet due --limit 5
    """
    print_due(as_of_date(on), limit=limit, include_all=all_, as_json=as_json, team=team)


def print_due(
    day: date, *, limit: int, include_all: bool, as_json: bool, team: bool = False
) -> None:
    """Rank and print the morning list for ``day``."""
    from givenet.core.ranking import morning_list

    due_list = morning_list(network(), today=day, limit=limit, include_all=include_all, team=team)
    show_due(due_list, as_json=as_json)


def show_due(due_list: MorningList, *, as_json: bool) -> None:
    """Print a morning list: a table, or its JSON."""
    if as_json:
        render.print_json(due_list)
        return
    day, shown, on_list = due_list.day, due_list.people, due_list.on_list
    from givenet.rules import FACTOR_WORDS

    rows = []
    for position, person in enumerate(shown, start=1):
        top = person.top_action or person.top_factor
        assert top is not None
        rows.append(
            [
                position,
                f"{person.name} #{person.id}",
                FACTOR_WORDS[top.name],
                person.score,
                top.reason,
            ]
        )
    render.table(
        ["", "who", "do", "score", "why"],
        rows,
        title=f"Due on {day.isoformat()}",
        empty=f"Nothing due on {day.isoformat()}. Record people you meet: givenet add NAME --met-at EVENT",
    )
    if on_list > len(shown):
        # Not everyone past the limit was evaluated: the count is an upper bound.
        render.line(f"… and up to {on_list - len(shown)} more (--limit {on_list} to see them)")


@app.command(rich_help_panel="Daily")
def why(
    person_ref: str = typer.Argument(
        ..., help="A name, part of one, or an id like '#12'.", autocompletion=complete_person
    ),
    on: str | None = ON,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Why someone ranks where they do: each factor's value, weight, contribution and reason.

    Example:

        givenet why Maria
    """
    from givenet.core.ranking import explain

    day = as_of_date(on)
    ranked = explain(network(), person_ref, today=day)
    if as_json:
        render.print_json(ranked.as_dict(every_factor=True))
        return
    render.table(
        ["factor", "kind", "value", "weight", "contribution", "reason"],
        [[f.name, f.kind, f.value, f.weight, f.contribution, f.reason] for f in ranked.factors],
        title=f"#{ranked.id} {ranked.name} on {day.isoformat()}",
        footer=["total", "", "", "", ranked.score, _verdict(ranked)],
    )


def _verdict(ranked: Ranked) -> str:
    from givenet.rules import FACTOR_WORDS

    top = ranked.top_action
    if top is not None:
        return f"on the morning list: {FACTOR_WORDS[top.name].lower()}"
    if ranked.active_factors:
        return "nothing to do today (shown by `due --all`)"
    return "nothing to do today"

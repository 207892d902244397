"""Touches and the ledger: log, promises, kept, gave, got, delete."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import (
    MeetingKind,
    complete_event,
    complete_person,
    confirm_or_refuse,
    future_date,
    network,
    past_date,
    today,
    warn_if_future,
)

if TYPE_CHECKING:
    from givenet.records.log import Give


@app.command(rich_help_panel="Meetings and giving")
def log(
    people_refs: list[str] = typer.Argument(
        ..., help="Who you met: names, parts of names or ids.", autocompletion=complete_person
    ),
    on: str | None = typer.Option(
        None, "--on", help="When (default today, or the event's day): yesterday, Nov 20."
    ),
    kind: MeetingKind | None = typer.Option(
        None, "--kind", "-k", help="What kind of touch (default other, or event with --event)."
    ),
    event_ref: str | None = typer.Option(
        None,
        "--event",
        help="An existing event where you met (one still to come needs --on).",
        autocompletion=complete_event,
    ),
    note: str | None = typer.Option(None, "--note", "-n", help="What you talked about."),
    next_step: str | None = typer.Option(
        None, "--next", help="A next step you owe them (a promise)."
    ),
    by: str | None = typer.Option(None, "--by", help="When the next step is due."),
) -> None:
    """Record a meeting (a touch) with one or more people.

    Example:

        givenet log Maria "Sam Okafor" --kind coffee --note "venue for the spring dinner" --next "send the menu" --by friday
    """
    from givenet.core.log import log_meeting

    logged = log_meeting(
        network(),
        people_refs,
        on=past_date(on) if on else None,
        kind=kind.value if kind else None,
        event=event_ref,
        note=note,
        next_step=next_step,
        by=future_date(by),
        today=today(),
    )
    names = ", ".join(person.label for person in logged.people)
    render.line(f"Logged meeting #{logged.meeting_id} on {logged.day.isoformat()} with {names}.")
    warn_if_future(logged.day, "the meeting")
    for promise in logged.promises:
        render.line(f"Promise #{promise.id}: {promise.text} (due {promise.due.isoformat()}).")


@app.command(rich_help_panel="Meetings and giving")
def promises(
    all_: bool = typer.Option(False, "--all", help="Include kept promises."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Your open promises: next steps you owe people, soonest first.

    Example:

        givenet promises
    """
    from givenet.core.log import list_promises

    found = list_promises(network(), include_kept=all_)
    if as_json:
        render.print_json(found)
        return
    render.table(
        ["id", "to", "promise", "due", "status"],
        [[f"#{p.id}", p.person.name, p.text, p.due, p.status] for p in found],
        empty="No open promises.",
    )


@app.command(rich_help_panel="Meetings and giving")
def promise(
    person_ref: str = typer.Argument(
        ..., help="Whom you promised.", autocompletion=complete_person
    ),
    text: str = typer.Argument(..., help="What you promised."),
    by: str | None = typer.Option(
        None, "--by", help="When it is due (default: promise.default days from today)."
    ),
) -> None:
    """Record a promise to someone without logging a meeting (`log --next` does it at one).

    Example:

        givenet promise Maria "send her the grant checklist" --by friday
    """
    from givenet.core.log import make_promise

    made = make_promise(network(), person_ref, text, by=future_date(by), today=today())
    render.line(
        f"Promise #{made.id} to {made.person.label}: {made.text} (due {made.due.isoformat()})."
    )


@app.command(rich_help_panel="Meetings and giving")
def kept(promise_id: str = typer.Argument(..., help="The promise's id, e.g. 4 or '#4'.")) -> None:
    """Mark a promise kept (`givenet done` does the same).

    Example:

        givenet kept 1
    """
    _keep(promise_id)


@app.command(rich_help_panel="Meetings and giving")
def done(promise_id: str = typer.Argument(..., help="The promise's id, e.g. 4 or '#4'.")) -> None:
    """Mark a promise kept: the same as `givenet kept`.

    Example:

        givenet done 2
    """
    _keep(promise_id)


def _keep(promise_id: str) -> None:
    from givenet.core.log import keep_promise

    promise = keep_promise(network(), promise_id, today=today())
    render.line(f"Kept promise #{promise.id}: {promise.text}.")


def _print_give(give: Give) -> None:
    verb = "You gave" if give.direction == "gave" else "You got from"
    render.line(f"{verb} {give.person.label}: {give.what} ({give.day.isoformat()}).")
    warn_if_future(give.day, "the give")
    if give.ask_id is not None:
        render.line(f"Ask #{give.ask_id} is met.")


@app.command(rich_help_panel="Meetings and giving")
def gave(
    person_ref: str = typer.Argument(..., help="Who you gave to.", autocompletion=complete_person),
    what: str = typer.Argument(..., help="What you gave."),
    for_ask: str | None = typer.Option(None, "--for", help="The ask this met (marks it met)."),
    on: str | None = typer.Option(None, "--on", help="When (default today)."),
) -> None:
    """Record something you gave someone (advice, an intro, a lead).

    Example:

        givenet gave Hana "sent the kitchen training programme's contact" --for 2
    """
    from givenet.core.log import record_gave

    _print_give(record_gave(network(), person_ref, what, ask=for_ask, on=past_date(on)))


@app.command(rich_help_panel="Meetings and giving")
def got(
    person_ref: str = typer.Argument(..., help="Who gave to you.", autocompletion=complete_person),
    what: str = typer.Argument(..., help="What they gave."),
    on: str | None = typer.Option(None, "--on", help="When (default today)."),
) -> None:
    """Record something someone gave you: they rank higher until you give back.

    Example:

        givenet got Sam "introduced me to the food bank's director"
    """
    from givenet.core.log import record_got

    _print_give(record_got(network(), person_ref, what, on=past_date(on)))


class Deletable(StrEnum):
    meeting = "meeting"
    note = "note"
    ask = "ask"
    offer = "offer"
    give = "give"
    intro = "intro"
    promise = "promise"
    event = "event"


@app.command(rich_help_panel="Meetings and giving")
def delete(
    kind: Deletable = typer.Argument(..., help="What to delete."),
    record_id: str = typer.Argument(..., help="Its id, e.g. 12 or '#12'."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask (needed in scripts)."),
) -> None:
    """Delete a record entered by mistake (asks first on a terminal).

    Example:

        givenet delete meeting 12 --yes
    """
    from givenet.core.log import delete_record, describe_record

    if not yes:
        # Ask before taking the write lock: a person reading a prompt must not block others.
        found = describe_record(network(), kind.value, record_id)
        confirm_or_refuse(f"Delete {found.description}?", yes)
    deleted = delete_record(network(), kind.value, record_id)
    render.line(f"Deleted {deleted.description}.")

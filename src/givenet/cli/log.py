"""Touches and the ledger: log, promises, kept, gave, got, delete."""

from __future__ import annotations

from enum import StrEnum

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import (
    Kind,
    complete_event,
    complete_person,
    confirm_or_refuse,
    future_date,
    open_db,
    open_reader,
    past_date,
    today,
)
from givenet.errors import InvalidInput


@app.command(rich_help_panel="Meetings and giving")
def log(
    people_refs: list[str] = typer.Argument(
        ..., help="Who you met: names, parts of names or ids.", autocompletion=complete_person
    ),
    on: str | None = typer.Option(
        None, "--on", help="When (default today, or the event's day): yesterday, Nov 20."
    ),
    kind: Kind | None = typer.Option(
        None, "--kind", "-k", help="What kind of touch (default other, or event with --event)."
    ),
    event_ref: str | None = typer.Option(
        None, "--event", help="An existing event where you met.", autocompletion=complete_event
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
    from givenet.store import activity
    from givenet.store.common import resolve_event, resolve_person
    from givenet.store.config import load_settings

    if by and not next_step:
        raise InvalidInput("--by needs --next: say what the next step is")
    due = future_date(by)
    with open_db(write=True) as session:
        people = [resolve_person(session, ref) for ref in people_refs]
        event = resolve_event(session, event_ref) if event_ref else None
        # At an event, the meeting is on the event's day unless --on says otherwise.
        day = past_date(on) if on or event is None else event.date
        chosen_kind = kind.value if kind else ("event" if event else "other")
        meeting = activity.log_meeting(
            session, people, day, kind=chosen_kind, event=event, note=note
        )
        promises = []
        if next_step:
            due = due or activity.default_promise_due(
                day, load_settings(session).days("promise.default")
            )
            promises = activity.add_promises(session, people, next_step, due, meeting)
        names = ", ".join(f"#{p.id} {p.name}" for p in {p.id: p for p in people}.values())
        render.line(f"Logged meeting #{meeting.id} on {day.isoformat()} with {names}.")
        for promise in promises:
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
    from givenet.store.listing import list_promises

    with open_reader() as connection:
        found = list_promises(connection, include_kept=all_)
    if as_json:
        render.print_json(found)
        return
    render.table(
        ["id", "to", "promise", "due", "status"],
        [[f"#{p['id']}", p["person"]["name"], p["text"], p["due"], p["status"]] for p in found],
        empty="No open promises.",
    )


@app.command(rich_help_panel="Meetings and giving")
def kept(promise_id: str = typer.Argument(..., help="The promise's id, e.g. 4 or '#4'.")) -> None:
    """Mark a promise kept.

    Example:

        givenet kept 4
    """
    from givenet.store.activity import keep_promise

    with open_db(write=True) as session:
        promise = keep_promise(session, promise_id, today())
        render.line(f"Kept promise #{promise.id}: {promise.text}.")


def _ledger(
    person_ref: str, direction: str, what: str, on: str | None, ask_ref: str | None
) -> None:
    from givenet.models import Ask
    from givenet.store.activity import add_give
    from givenet.store.common import get_record, resolve_person

    day = past_date(on)
    with open_db(write=True) as session:
        person = resolve_person(session, person_ref)
        ask = get_record(session, Ask, ask_ref, "ask") if ask_ref else None
        give = add_give(session, person, direction, what, day, ask=ask)
        verb = "You gave" if direction == "gave" else "You got from"
        render.line(f"{verb} #{person.id} {person.name}: {give.what} ({day.isoformat()}).")
        if ask is not None:
            render.line(f"Ask #{ask.id} is met.")


@app.command(rich_help_panel="Meetings and giving")
def gave(
    person_ref: str = typer.Argument(..., help="Who you gave to.", autocompletion=complete_person),
    what: str = typer.Argument(..., help="What you gave."),
    for_ask: str | None = typer.Option(None, "--for", help="The ask this met (marks it met)."),
    on: str | None = typer.Option(None, "--on", help="When (default today)."),
) -> None:
    """Record something you gave someone (advice, an intro, a lead).

    Example:

        givenet gave Maria "sent the city's grant checklist" --for 3
    """
    _ledger(person_ref, "gave", what, on, for_ask)


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
    _ledger(person_ref, "got", what, on, None)


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
    from givenet.store.activity import delete_record, describe_record

    if not yes:
        # Ask before taking the write lock: a person reading a prompt must not block others.
        with open_db(write=False) as session:
            _, description = describe_record(session, kind.value, record_id)
        confirm_or_refuse(f"Delete {description}?", yes)
    with open_db(write=True) as session:
        record, description = describe_record(session, kind.value, record_id)
        delete_record(session, record)
    render.line(f"Deleted {description}.")

"""Events: event add, events. (Attendance and the briefing come with the events issue.)"""

from __future__ import annotations

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import open_db, today

event_app = typer.Typer(
    help='Events: the gatherings where you meet people.\n\nExample: givenet event add "Impact Mixer" --on "Dec 3"',
    no_args_is_help=True,
)
app.add_typer(event_app, name="event", rich_help_panel="Events")


@event_app.command("add")
def event_add(
    name: str = typer.Argument(..., help="The event's name."),
    on: str = typer.Option(..., "--on", help="Its date: Dec 3, next friday, 2026-12-03."),
    place: str | None = typer.Option(None, "--place", help="Where it is."),
    topic: list[str] = typer.Option([], "--topic", "-t", help="A topic (repeat for more)."),
    note: str | None = typer.Option(None, "--note", "-n", help="A note about it."),
) -> None:
    """Add an event (a yearless date looks ahead: "Dec 3" is the next Dec 3).

    Example:

        givenet event add "Impact Mixer" --on "Dec 3" --place "Hub Hall" --topic "social enterprise"
    """
    from givenet import dates
    from givenet.store.activity import add_event

    day = dates.parse_date(on, today(), dates.FUTURE)
    with open_db(write=True) as session:
        event = add_event(session, name, day, place=place, topics=topic, notes=note)
        render.line(f"Added event #{event.id} {event.name} on {day.isoformat()}.")


@app.command(rich_help_panel="Events")
def events(
    upcoming: bool = typer.Option(False, "--upcoming", help="Only today's and later events."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List events, oldest first, with how many people were expected and met.

    Example:

        givenet events --upcoming
    """
    from givenet.store.activity import list_events

    with open_db(write=False) as session:
        found = list_events(session, upcoming_from=today() if upcoming else None)
    if as_json:
        render.print_json(found)
        return
    render.table(
        ["id", "date", "event", "place", "topics", "expected", "met"],
        [
            [f"#{e['id']}", e["date"], e["name"], e["place"], e["topics"], e["expected"], e["met"]]
            for e in found
        ],
        empty="No events yet. Add one: givenet event add NAME --on DATE",
    )

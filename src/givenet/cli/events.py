"""Events: event add, attend, show, prep, and events."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import as_of_date, complete_event, complete_person, network, today

if TYPE_CHECKING:
    from givenet.records.events import Attendee, EventDetail, EventPrep

EVENT_ARG = typer.Argument(
    ..., help="An event: its name, part of it, or an id like '#3'.", autocompletion=complete_event
)

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

        givenet event add "Food Futures Forum" --on "Dec 3" --place "Hub Hall" --topic "food systems"
    """
    from givenet import dates
    from givenet.core.events import add_event

    day = dates.parse_date(on, today(), dates.FUTURE)
    event = add_event(network(), name, day, place=place, topics=topic, notes=note).event
    render.line(f"Added event {event.label} on {event.date.isoformat()}.")
    if (day - today()).days > 300 and dates.is_yearless(on):
        # "Dec 3" typed on Dec 4 is next year's: say so, in case the one just past was meant.
        render.warning(
            f"{on!r} is {day.isoformat()}, next year (a date without a year looks ahead); "
            f"for one just past, give its year: --on {day.year - 1}-{day:%m-%d}"
        )


@event_app.command("start")
def event_start(
    name: str = typer.Argument(..., help="The event you are at: today's, or a new name."),
    hours: float = typer.Option(6, "--hours", help="How long it lasts from now.", min=0.1, max=24),
    new: bool = typer.Option(
        False, "--new", help="Another event of this name today, though one is on another day."
    ),
) -> None:
    """Start the event you are at: for the next hours, `add` records meeting people there.

    An event of that name today is used; a name you have not used makes one today.
    A name of an event on another day is refused (you are not at last month's mixer)
    unless --new says it is another one today. `givenet add NAME` (without --met-at
    or --on) then logs meeting them there; `event stop` ends it early.

    Example:

        givenet event start "Harvest Supper" --hours 3
    """
    from givenet.core.events import start_event

    started = start_event(network(), name, hours=hours, new=new, today=today())
    assert started.event is not None
    made = "new, " if started.created else ""
    render.line(
        f"At {started.event.label} ({made}{started.event.date.isoformat()}) until "
        f"{started.until:%H:%M}: `givenet add NAME` records meeting them there."
    )


@event_app.command("stop")
def event_stop() -> None:
    """End the current event: `add` no longer records meeting people there.

    Example:

        givenet event stop
    """
    from givenet.core.events import stop_event

    stopped = stop_event(network())
    if stopped.event is None:
        render.line("No event was under way.")
    else:
        render.line(f"Ended {stopped.event.label}.")


@event_app.command("attend")
def event_attend(
    event_ref: str = EVENT_ARG,
    people_refs: list[str] = typer.Argument(
        ..., help="Who is expected: names, parts of names or ids.", autocompletion=complete_person
    ),
    new: bool = typer.Option(False, "--new", help="Add anyone not yet in your network."),
) -> None:
    """Record who is expected at an event (meeting them there later marks them met).

    Example:

        givenet event attend "Impact Mixer" Maria "Sam Okafor" --new
    """
    from givenet.core.events import attend_event

    # Names work as everywhere (a unique part finds someone); the lines printed
    # below name each person in full, so a wrong guess shows.
    attended = attend_event(network(), event_ref, people_refs, add_new=new)
    event = attended.event
    for person in attended.added:
        render.line(f"Added {person.label}.")
    for attendance in attended.attendance:
        render.line(
            f"{attendance.person.label}: {attendance.status} at {event.name} ({event.date.isoformat()})."
        )


@event_app.command("show")
def event_show(
    event_ref: str = EVENT_ARG,
    on: str | None = typer.Option(None, "--on", help="Follow-up states as of this date."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """One event: when and where, topics, who was expected and met, follow-ups, promises.

    Each person met there shows their follow-up: done (touched since), pending
    (inside the follow-up window) or overdue.

    Example:

        givenet event show "Impact Mixer"
    """
    from givenet.core.events import show_event

    detail = show_event(network(), event_ref, today=as_of_date(on))
    if as_json:
        render.print_json(detail)
        return
    _print_event(detail)


def _print_event(detail: EventDetail) -> None:
    line = render.line
    line(
        f"#{detail.id} {detail.name}, {detail.date}"
        + (f" at {detail.place}" if detail.place else "")
    )
    if detail.topics:
        line("Topics: " + ", ".join(detail.topics))
    if detail.notes:
        line(f"Notes: {detail.notes}")
    expected = ", ".join(p.name for p in detail.expected) or "nobody recorded"
    line(f"Expected (not met yet): {expected}")
    if detail.met:
        line("Met there:")
        for person in detail.met:
            line(
                f"  #{person.id} {person.name}: follow-up {person.follow_up} (last touch {person.last_touch})"
            )
    else:
        line("Met there: nobody recorded")
    if detail.promises:
        line("Promises made there:")
        for promise in detail.promises:
            state = f"kept {promise.kept_on}" if promise.kept_on else f"due {promise.due}"
            line(f"  #{promise.id} to {promise.person.name}: {promise.text} ({state})")


@event_app.command("prep")
def event_prep(
    event_ref: str = EVENT_ARG,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The briefing before an event: who is coming, what they care about, what to ask them.

    Shows the event's topics against your values, each expected person you know
    (tags, last touch, open asks and who in your network could meet them, and
    questions to open with), the expected people you have not met, and people
    in your network who care about the topics (worth inviting).

    Example:

        givenet event prep "Impact Mixer"
    """
    from givenet.core.events import event_prep as briefing

    prep = briefing(network(), event_ref, today=today())
    if as_json:
        render.print_json(prep)
        return
    _print_prep(prep)


def _print_prep(prep: EventPrep) -> None:
    line = render.line
    line(f"Briefing: {prep.name}, {prep.date}" + (f" at {prep.place}" if prep.place else ""))
    line("Topics: " + (", ".join(prep.topics) or "none recorded"))
    if prep.topic_overlap:
        line("Shared with your values: " + ", ".join(prep.topic_overlap))
    elif prep.your_values:
        line("None of the topics is among your values (" + ", ".join(prep.your_values) + ").")
    line("")
    line(
        "People you know who are coming:"
        if prep.known_attendees
        else "Nobody you know is expected yet."
    )
    for person in prep.known_attendees:
        _print_attendee(person)
    if prep.new_attendees:
        line("")
        line("Expected, not met yet:")
        for person in prep.new_attendees:
            _print_attendee(person)
    if prep.worth_inviting:
        line("")
        line("In your network and into these topics (worth inviting or telling):")
        for invitee in prep.worth_inviting:
            line(f"  #{invitee.id} {invitee.name} ({', '.join(invitee.shared_topics)})")


def _print_attendee(person: Attendee) -> None:
    line = render.line
    about = ", ".join(part for part in (person.role, person.org) if part)
    line(f"  #{person.id} {person.name}" + (f", {about}" if about else ""))
    if person.tags:
        line(f"    interests: {', '.join(person.tags)}")
    if person.touches is not None:
        count = person.touches
        line(f"    last touch: {person.last_touch} ({count} meeting{'s' * (count != 1)})")
    for ask in person.open_asks:
        line(f"    asks #{ask.id}: {ask.text}")
        for meet in ask.your_network_can_meet:
            why = f" ({meet.why})" if meet.why else ""
            line(f'      your network can meet it: {meet.helper.name} offers "{meet.offer}"{why}')
    for question in person.openers:
        line(f"    ask: {question}")


@app.command(rich_help_panel="Events")
def events(
    upcoming: bool = typer.Option(False, "--upcoming", help="Only today's and later events."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List events, oldest first: who was expected and met, and follow-ups still open.

    Example:

        givenet events --upcoming
    """
    from givenet.core.events import list_events

    found = list_events(network(), upcoming=upcoming, today=today())
    if as_json:
        render.print_json(found)
        return
    render.table(
        ["id", "date", "event", "place", "topics", "expected", "met", "open follow-ups"],
        [
            [
                f"#{e.id}",
                e.date.isoformat(),
                e.name,
                e.place,
                e.topics,
                len(e.expected),
                len(e.met),
                e.follow_ups_open,
            ]
            for e in found
        ],
        empty="No upcoming events. Add one: givenet event add NAME --on DATE"
        if upcoming
        else "No events yet. Add one: givenet event add NAME --on DATE",
    )

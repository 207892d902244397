"""People: add, edit, note, show, list, find, snooze, unsnooze, me."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import (
    Circle,
    as_of_date,
    complete_event,
    complete_person,
    duration,
    future_date,
    known_words,
    network,
    past_date,
    today,
    warn_if_future,
)

if TYPE_CHECKING:
    from givenet.records.people import PersonFields, PersonLine
    from givenet.records.profile import Profile

PERSON_ARG = typer.Argument(
    ..., help="A name, part of one, or an id like '#12'.", autocompletion=complete_person
)
EMAIL = typer.Option(
    [], "--email", "-e", help="An email address (repeat for more; a person's first one is primary)."
)
PHONE = typer.Option([], "--phone", "-p", help="A phone number (repeat for more).")
ORG = typer.Option(None, "--org", help="Their organisation.")
ROLE = typer.Option(None, "--role", help="Their role or title.")
LOCATION = typer.Option(None, "--location", help="Where they are based.")
URL = typer.Option(None, "--url", help="A web page or profile.")
TAG = typer.Option([], "--tag", "-t", help="An interest, value or skill (repeat for more).")
CIRCLE = typer.Option(None, "--circle", "-c", help="inner, active, wide or acquaintance.")
CADENCE = typer.Option(None, "--cadence", help="Check in every: 30, 30d, 2w, 3m.")
BIRTHDAY = typer.Option(None, "--birthday", help="Their birthday: 1990-03-14 or Mar 14.")
REACH = typer.Option(None, "--reach", help="Their own network: small, medium, large or a number.")
NEW_TO_FIELD = typer.Option(
    None,
    "--new-to-field/--not-new-to-field",
    help="Changed career or early in it.",
    show_default=False,
)
NO_INTROS = typer.Option(
    None, "--no-intros/--intros-ok", help="They want no introductions.", show_default=False
)
OPEN_TO = typer.Option(None, "--open-to", help="What they are open to being introduced about.")


def _fields(
    *,
    name: str | None,
    email: list[str],
    phone: list[str],
    org: str | None,
    role: str | None,
    location: str | None,
    url: str | None,
    tag: list[str],
    circle: Circle | None,
    cadence: str | None,
    birthday: str | None,
    reach: str | None,
    new_to_field: bool | None,
    no_intros: bool | None,
    open_to: str | None,
) -> PersonFields:
    from givenet.core.people import parse_reach
    from givenet.records.people import PersonFields

    return PersonFields(
        name=name,
        emails=email,
        phones=phone,
        org=org,
        role=role,
        location=location,
        url=url,
        tags=tag,
        circle=circle.value if circle else None,
        cadence_days=duration(cadence, "--cadence"),
        birthday=_birthday(birthday),
        reach=parse_reach(reach) if reach is not None else None,
        new_to_field=new_to_field,
        no_intros=no_intros,
        open_to=open_to,
    )


def _birthday(text: str | None) -> str | None:
    from givenet.dates import parse_birthday

    return parse_birthday(text, today()) if text else None


@app.command(rich_help_panel="People")
def add(
    name: str = typer.Argument(..., help="Their name, as you want to see it."),
    email: list[str] = EMAIL,
    phone: list[str] = PHONE,
    org: str | None = ORG,
    role: str | None = ROLE,
    location: str | None = LOCATION,
    url: str | None = URL,
    tag: list[str] = TAG,
    circle: Circle | None = CIRCLE,
    cadence: str | None = CADENCE,
    birthday: str | None = BIRTHDAY,
    reach: str | None = REACH,
    new_to_field: bool | None = NEW_TO_FIELD,
    no_intros: bool | None = NO_INTROS,
    open_to: str | None = OPEN_TO,
    met_at: str | None = typer.Option(
        None,
        "--met-at",
        help="The event where you met (created if new; one still to come needs --on).",
        autocompletion=complete_event,
    ),
    on: str | None = typer.Option(
        None, "--on", help="When you met: yesterday, Nov 20, 2026-11-20."
    ),
    note: str | None = typer.Option(
        None,
        "--note",
        "-n",
        help="What you talked about (the meeting's note, else a note on them).",
    ),
    force: bool = typer.Option(False, "--force", help="Add even if the name or email exists."),
    ask: list[str] = typer.Option([], "--ask", help="Something they ask for (repeat for more)."),
    offer: list[str] = typer.Option([], "--offer", help="Something they offer (repeat for more)."),
) -> None:
    """Add a person you met; with --met-at or --on it also logs that first meeting.

    Without either, during an event you started (`givenet event start NAME`) they
    are met there. --ask and --offer record what they ask for and offer at once,
    each with the tags in use that fit it proposed, as `givenet ask` does.

    Example:

        givenet add "Maria Lopez" --org "Green Table" --tag "urban farming" --met-at "Impact Mixer" --note "grant deadline in March"
    """
    from givenet.core.people import add_person

    fields = _fields(
        name=name, email=email, phone=phone, org=org, role=role, location=location, url=url,
        tag=tag, circle=circle, cadence=cadence, birthday=birthday, reach=reach,
        new_to_field=new_to_field, no_intros=no_intros, open_to=open_to,
    )  # fmt: skip
    added = add_person(
        network(),
        fields,
        met_at=met_at,
        on=past_date(on) if on else None,
        note=note,
        force=force,
        today=today(),
        asks=ask,
        offers=offer,
    )
    event = added.event
    if event is not None and event.created:
        render.line(f"Created event #{event.id} {event.name} on {event.date.isoformat()}.")
    if added.met_on is not None:
        where = f"at {event.name} " if event else ""
        render.line(f"Added {added.person.label}, met {where}on {added.met_on.isoformat()}.")
    else:
        render.line(f"Added {added.person.label}.")
    from givenet.cli.asks import propose_tags

    for ask_id, proposed in zip(added.ask_ids, added.ask_tags_proposed, strict=True):
        render.line(f"Ask #{ask_id} recorded.")
        propose_tags("ask", ask_id, proposed)
    for offer_id, proposed in zip(added.offer_ids, added.offer_tags_proposed, strict=True):
        render.line(f"Offer #{offer_id} recorded.")
        propose_tags("offer", offer_id, proposed)
    warn_if_future(added.met_on, "the meeting")
    for warning in added.warnings:
        render.warning(warning)


@app.command(rich_help_panel="People")
def edit(
    person_ref: str = PERSON_ARG,
    name: str | None = typer.Option(None, "--name", help="A new name."),
    email: list[str] = EMAIL,
    phone: list[str] = PHONE,
    org: str | None = ORG,
    role: str | None = ROLE,
    location: str | None = LOCATION,
    url: str | None = URL,
    tag: list[str] = TAG,
    untag: list[str] = typer.Option([], "--untag", help="Remove a tag (repeat for more)."),
    circle: Circle | None = CIRCLE,
    cadence: str | None = CADENCE,
    birthday: str | None = BIRTHDAY,
    reach: str | None = REACH,
    new_to_field: bool | None = NEW_TO_FIELD,
    no_intros: bool | None = NO_INTROS,
    open_to: str | None = OPEN_TO,
    note: str | None = typer.Option(
        None, "--note", "-n", help="Add a dated note (never replaces)."
    ),
    clear: list[str] = typer.Option(
        [],
        "--clear",
        help="Empty a field: email, phone, org, role, location, url, tags, cadence, "
        "birthday, reach, open-to, snooze.",
    ),
) -> None:
    """Change someone's details: --tag and --email add, --untag removes, --clear empties.

    Example:

        givenet edit Maria --role "Director" --tag "food justice" --circle active
    """
    from givenet.core.people import edit_person

    fields = _fields(
        name=name, email=email, phone=phone, org=org, role=role, location=location, url=url,
        tag=tag, circle=circle, cadence=cadence, birthday=birthday, reach=reach,
        new_to_field=new_to_field, no_intros=no_intros, open_to=open_to,
    )  # fmt: skip
    edited = edit_person(
        network(), person_ref, fields, untag=untag, clear=clear, note=note, today=today()
    )
    render.line(f"Updated {edited.person.label}.")
    for warning in edited.warnings:
        render.warning(warning)


@app.command(rich_help_panel="People")
def note(
    person_ref: str = PERSON_ARG,
    text: str = typer.Argument(..., help="The note."),
    on: str | None = typer.Option(None, "--on", help="The note's date (default today)."),
) -> None:
    """Add a dated note about someone (not a meeting: it does not count as a touch).

    Example:

        givenet note Maria "her daughter starts university in September"
    """
    from givenet.core.people import add_note

    added = add_note(network(), person_ref, text, on=past_date(on))
    render.line(f"Noted on {added.person.label} ({added.day.isoformat()}), note #{added.note_id}.")
    warn_if_future(added.day, "the note")


@app.command(rich_help_panel="People")
def show(
    person_ref: str = PERSON_ARG,
    on: str | None = typer.Option(None, "--on", help="Score as of this date (default today)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Everything about one person: profile, asks, offers, timeline, promises, score.

    Example:

        givenet show Maria
    """
    from givenet.core.people import show_person

    profile = show_person(network(), person_ref, today=as_of_date(on))
    if as_json:
        render.print_json(profile)
        return
    _print_profile(profile)


def _print_profile(profile: Profile) -> None:
    line = render.line
    line(f"#{profile.id} {profile.name}")
    render.fields(
        [
            ("org", profile.org),
            ("role", profile.role),
            ("location", profile.location),
            ("emails", profile.emails),
            ("phones", profile.phones),
            ("url", profile.url),
            ("tags", profile.tags),
            ("circle", profile.circle),
            ("cadence", f"every {profile.cadence_days} days" if profile.cadence_days else None),
            ("birthday", profile.birthday),
            ("reach", f"{profile.reach:,} connections" if profile.reach else None),
            ("new to field", "yes" if profile.new_to_field else None),
            ("intros", "wants no intros" if profile.no_intros else None),
            ("open to", profile.open_to),
            ("snoozed until", profile.snoozed_until),
            ("came from", _source(profile)),
        ]
    )
    if profile.asks:
        line("\nAsks:")
        for ask in profile.asks:
            line(f"  #{ask.id} [{ask.status}] {ask.text}{_tags(ask.tags)}")
    if profile.offers:
        line("\nOffers:")
        for offer in profile.offers:
            line(f"  #{offer.id} [{offer.status}] {offer.text}{_tags(offer.tags)}")
    if profile.known_by:
        line("\nKnown by: " + "; ".join(known_words(touch) for touch in profile.known_by))
    team = bool(profile.known_by)  # a team's network: each line says who wrote it

    def by(member: str | None) -> str:
        return f"  [{member}]" if team and member else ""

    timeline = [
        (
            m.date.isoformat(),
            f"meeting #{m.id} ({m.kind}{', ' + m.event.name if m.event else ''})"
            f"{': ' + m.note if m.note else ''}{by(m.recorded_by)}",
        )
        for m in profile.meetings
    ] + [(n.date.isoformat(), f"note #{n.id}: {n.text}{by(n.recorded_by)}") for n in profile.notes]
    if timeline:
        line("\nTimeline:")
        for day, text in sorted(timeline):
            line(f"  {day}  {text}")
    if profile.promises:
        line("\nPromises:")
        for promise in profile.promises:
            state = f"kept {promise.kept_on}" if promise.kept_on else f"due {promise.due}"
            line(f"  #{promise.id} {promise.text} ({state})")
    if profile.intros:
        line("\nIntros:")
        for intro in profile.intros:
            line(f"  #{intro.id} {intro.date} with {intro.with_.name} [{intro.status}]")
    balance = profile.balance
    if profile.gives:
        line(f"\nGiving: you gave {balance.gave}, they gave {balance.got}")
        for give in profile.gives:
            line(f"  {give.date}  {give.direction}: {give.what}")
    score = profile.score
    line(f"\nScore on {profile.today.isoformat()}: {round(score.score, 4):.2f}")
    for factor in score.active_factors:
        line(f"  {factor.name} +{round(factor.contribution, 4):.2f}: {factor.reason}")


def _source(profile: Profile) -> str | None:
    if not profile.source:
        return None
    since = f", connected {profile.source_connected_on}" if profile.source_connected_on else ""
    return f"{profile.source}{since}"


def _tags(tags: Sequence[str]) -> str:
    return f"  [{', '.join(tags)}]" if tags else ""


def _people_table(found: Iterable[PersonLine], *, extra: str | None = None) -> None:
    """The people's table; each person is let go once their cells are made (`list` of
    100,000 people keeps the cells, not the people)."""
    columns = ["id", "name", "org", "role", "circle", "tags", "last touch"]
    if extra:
        columns.append(extra)
    data = (
        [f"#{p.id}", p.name, p.org, p.role, p.circle, p.tags, p.last_touch]
        + ([getattr(p, extra)] if extra else [])
        for p in found
    )
    render.table(columns, data, empty="nobody")


@app.command("list", rich_help_panel="People")
def list_(
    tag: str | None = typer.Option(None, "--tag", "-t", help="Only people with this tag."),
    circle: Circle | None = typer.Option(None, "--circle", "-c", help="Only this circle."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List the people in your network, by name.

    Example:

        givenet list --tag "urban farming" --circle active
    """
    from givenet.core.people import iter_people, people_json, people_lines

    chosen = circle.value if circle else None
    # Read a batch at a time: 100,000 people are never all in memory. In a pipe the
    # JSON is compact, and the database writes it.
    if as_json and not render.is_terminal():
        render.print_json_texts(people_json(network(), tag=tag, circle=chosen))
    elif as_json:
        render.print_json_items(iter_people(network(), tag=tag, circle=chosen))
    else:
        _people_table(people_lines(network(), tag=tag, circle=chosen))


@app.command(rich_help_panel="People")
def find(
    text: str = typer.Argument(..., help="Text to look for."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Search names, orgs, roles, emails, tags, notes, meeting notes, asks and offers.

    Example:

        givenet find grant
    """
    from givenet.core.people import found_people_json, found_people_lines, iter_found_people

    if as_json and not render.is_terminal():  # written as it is read, as `list` is
        render.print_json_texts(found_people_json(network(), text))
    elif as_json:
        render.print_json_items(iter_found_people(network(), text))
    else:
        _people_table(found_people_lines(network(), text), extra="matched")


@app.command(rich_help_panel="People")
def snooze(
    person_ref: str = PERSON_ARG,
    until: str | None = typer.Option(None, "--until", help="Back on the list on this date."),
    for_: str | None = typer.Option(None, "--for", help="For how long: 10d, 2w, 1m (default 2w)."),
) -> None:
    """Keep someone off the morning list for a while (default two weeks).

    Example:

        givenet snooze Maria --for 3w
    """
    from givenet.core.people import snooze_person
    from givenet.errors import InvalidInput

    if until and for_:
        raise InvalidInput("give --until or --for, not both")
    snoozed = snooze_person(
        network(),
        person_ref,
        until=future_date(until),
        for_days=duration(for_, "--for"),
        today=today(),
    )
    assert snoozed.until is not None
    render.line(f"Snoozed {snoozed.person.label} until {snoozed.until.isoformat()}.")
    if snoozed.promises_due:
        render.warning(
            f"{snoozed.promises_due} promise(s) to them fall due before then; "
            "they stay on the morning list when due (givenet promises)"
        )


@app.command(rich_help_panel="People")
def unsnooze(person_ref: str = PERSON_ARG) -> None:
    """Bring a snoozed person back to the morning list now.

    Example:

        givenet unsnooze Maria
    """
    from givenet.core.people import unsnooze_person

    unsnoozed = unsnooze_person(network(), person_ref)
    label = unsnoozed.person.label
    render.line(
        f"{label} is back on the morning list." if unsnoozed.was else f"{label} was not snoozed."
    )


@app.command(rich_help_panel="People")
def me(
    value: list[str] = typer.Option([], "--value", "-v", help="Add a value or interest."),
    unvalue: list[str] = typer.Option([], "--unvalue", help="Remove one."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Your own values and interests: people who share them rank higher (alignment).

    Example:

        givenet me --value "social enterprise" --value "immigrant employment"
    """
    from givenet.core.people import change_my_values, my_values

    mine = change_my_values(network(), value, unvalue) if value or unvalue else my_values(network())
    if as_json:
        render.print_json(mine)
    elif mine.values:
        render.line("Your values: " + ", ".join(mine.values))
    else:
        render.line('No values yet. Add some: givenet me --value "social enterprise"')

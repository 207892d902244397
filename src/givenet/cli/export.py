"""Taking a network out: export json, csv, vcard, ics."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from givenet.cli.app import app
from givenet.cli.common import complete_person, open_db, today

if TYPE_CHECKING:
    from sqlmodel import Session

export_app = typer.Typer(
    help="Take your network out: JSON (everything), CSV, vCard, or an iCalendar of what is due.",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export", rich_help_panel="Your data")

OUTPUT = typer.Option(
    None,
    "--output",
    "-o",
    help="Write to this file (owner-only) instead of standard output.",
    show_default=False,
)
FORCE = typer.Option(False, "--force", help="Replace the -o file if it exists.")
PERSON = typer.Option(
    None,
    "--person",
    help="Only this person: a name, part of one, or an id like '#12'.",
    autocompletion=complete_person,
    show_default=False,
)


@export_app.command("json")
def export_json(
    output: Path | None = OUTPUT, force: bool = FORCE, person: str | None = PERSON
) -> None:
    """The whole database as one JSON document, every table (`givenet import json` reads it).

    With --person: only what is held on that person (their rows, and the
    meetings, events and tags those refer to).

    Example:

        givenet export json -o givenet-backup.json
    """
    from givenet.exporters import json as json_format
    from givenet.migrations import LATEST_VERSION
    from givenet.store import exporting
    from givenet.store.common import now

    _refuse_existing(output, force)
    with open_db(write=False) as session:
        person_id = _person_id(session, person)
        if person_id is None:
            tables = exporting.all_tables(session)
        else:
            tables = exporting.person_tables(session, person_id)
    document = json_format.document(
        tables, schema=LATEST_VERSION, exported_at=now(), person_id=person_id
    )
    people = len(tables.get("person", []))
    _deliver(json_format.dumps(document), output, force, f"{_count(people, 'person')}")


@export_app.command("csv")
def export_csv(
    output: Path | None = OUTPUT, force: bool = FORCE, person: str | None = PERSON
) -> None:
    """One row per person, for a spreadsheet (`givenet import csv` reads it back).

    Columns: Name, Email, Phone, Company, Title, Location, URL, Tags, Circle,
    Cadence, Birthday, Notes; several emails, phones or tags are joined with
    "; ". A cell a spreadsheet would run as a formula (starting with = + - @)
    gets a leading quote ('), which `givenet import csv` removes again.

    Example:

        givenet export csv -o people.csv
    """
    from givenet.exporters import csv as csv_format
    from givenet.store import exporting

    _refuse_existing(output, force)
    with open_db(write=False) as session:
        person_id = _person_id(session, person)
        people = exporting.contacts(session, None if person_id is None else [person_id])
    _deliver(csv_format.dumps(people), output, force, _count(len(people), "person"))


@export_app.command("vcard")
def export_vcard(
    output: Path | None = OUTPUT, force: bool = FORCE, person: str | None = PERSON
) -> None:
    """vCard 4.0 cards, one per person, for a phone or an address book.

    Each card has the name, emails and phones (the first preferred), company,
    title, location, URL, birthday, notes and tags, and a UID that stays the
    same from one export to the next.

    Example:

        givenet export vcard -o contacts.vcf
    """
    from givenet.exporters import vcard as vcard_format
    from givenet.store import exporting

    _refuse_existing(output, force)
    with open_db(write=False) as session:
        person_id = _person_id(session, person)
        people = exporting.contacts(session, None if person_id is None else [person_id])
    _deliver(vcard_format.dumps(people), output, force, _count(len(people), "card"))


@export_app.command("ics")
def export_ics(
    output: Path | None = OUTPUT,
    force: bool = FORCE,
    person: str | None = PERSON,
    days: int = typer.Option(
        30, "--days", "-d", min=1, max=366, help="How many days ahead, from today."
    ),
) -> None:
    """What falls due in the next days as all-day calendar events (iCalendar).

    For each day the morning list is worked out as `givenet due --on DAY` would;
    each person's top action (follow up, keep a promise, check in …) becomes an
    event on the first day it shows, with the reason as its description. The
    events keep their UIDs from one export to the next, so importing again
    updates them.

    Example:

        givenet export ics --days 14 -o givenet.ics
    """
    from givenet.exporters import ics as ics_format
    from givenet.store import exporting
    from givenet.store.common import now

    _refuse_existing(output, force)
    with open_db(write=False) as session:
        person_id = _person_id(session, person)
        actions = exporting.due_actions(session, today(), days, person_id)
    _deliver(ics_format.dumps(actions, stamp=now()), output, force, _count(len(actions), "event"))


def _person_id(session: Session, ref: str | None) -> int | None:
    if ref is None:
        return None
    from givenet.store.common import resolve_person

    return resolve_person(session, ref).id


def _count(number: int, noun: str) -> str:
    plural = "people" if noun == "person" else f"{noun}s"
    return f"{number} {noun if number == 1 else plural}"


def _refuse_existing(output: Path | None, force: bool) -> None:
    """Refuse before any work when -o names an existing file and --force is missing."""
    if output is not None and str(output) != "-":
        from givenet.exporters import refuse_existing

        refuse_existing(output.expanduser(), force)


def _deliver(content: str, output: Path | None, force: bool, what: str) -> None:
    """Standard output (or -o -), else the file, written safely."""
    from givenet import render

    if output is None or str(output) == "-":
        render.line(content.removesuffix("\n"))
        return
    from givenet.exporters import write_file

    path = output.expanduser()
    write_file(path, content.encode("utf-8"), force=force)
    render.info(f"Exported {what} to {path}")

"""Taking a network out: export json, csv, vcard, ics."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from givenet.cli.app import app
from givenet.cli.common import complete_person, network, today

if TYPE_CHECKING:
    from givenet.core.data import ExportFormat

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

    The whole-database export ends with the match candidates the database
    holds, stamped with the givenet and engine that wrote them, so that a
    restore by the same need not match every ask again.
    With --person: only what is held on that person (their rows, and the
    meetings, events and tags those refer to).

    Example:

        givenet export json -o givenet-backup.json
    """
    _export("json", output, force, person)


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
    _export("csv", output, force, person)


@export_app.command("vcard")
def export_vcard(
    output: Path | None = OUTPUT, force: bool = FORCE, person: str | None = PERSON
) -> None:
    """vCard 4.0 cards, one per person, for a phone or an address book.

    Each card has the name, emails and phones (the first preferred), company,
    title, location, URL, birthday, notes and tags, and a UID that stays the
    same from one export to the next.

    Example:

        givenet export vcard -o givenet-contacts.vcf
    """
    _export("vcard", output, force, person)


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
    _export("ics", output, force, person, days=days)


def _export(
    format: ExportFormat, output: Path | None, force: bool, person: str | None, days: int = 30
) -> None:
    """Standard output (without -o, or with -o -), else the file, written safely."""
    from givenet import render
    from givenet.core.data import export

    to_file = output is not None and str(output) != "-"
    made = export(
        network(),
        format,
        person=person,
        days=days,
        today=today(),
        output=output if to_file else None,
        force=force,
    )
    if made.path is None:
        render.document(made.content.removesuffix("\n"))
        return
    render.info(f"Exported {_count(made.count, made.noun)} to {made.path}")


def _count(number: int, noun: str) -> str:
    plural = "people" if noun == "person" else f"{noun}s"
    return f"{number} {noun if number == 1 else plural}"

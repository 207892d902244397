"""Bringing a network in: import linkedin, csv, vcard, json."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import open_db, today

if TYPE_CHECKING:
    from givenet.importers import Parsed, TextSource
    from givenet.store.importing import ImportSummary

import_app = typer.Typer(
    help="Bring a network in from LinkedIn, a spreadsheet, vCards or a givenet JSON export.",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import", rich_help_panel="Your data")

# Files at least this large get a progress bar (on a terminal only).
PROGRESS_FROM_BYTES = 1 << 20
# How many added or updated people a summary names before "… and N more".
LISTED = 20

FILE_ARG = typer.Argument(..., help="The file to import.", show_default=False)
DRY_RUN = typer.Option(False, "--dry-run", help="Show what the import would do; write nothing.")
SKIP_INVALID = typer.Option(
    False,
    "--skip-invalid",
    help="Import the good rows and list the ones skipped (default: one bad row imports nothing).",
)
ENCODING = typer.Option(
    None,
    "--encoding",
    help="The file's text encoding (default: UTF-8 with or without BOM, else cp1252).",
    show_default=False,
)


@import_app.command("linkedin")
def import_linkedin(
    file: Path = FILE_ARG,
    dry_run: bool = DRY_RUN,
    skip_invalid: bool = SKIP_INVALID,
    encoding: str | None = ENCODING,
) -> None:
    """Import LinkedIn's Connections.csv (Settings → Data privacy → Get a copy of your data).

    People keep their profile URL, company (org) and position (role). The
    connection date is kept as where they came from, not as a meeting, so an
    import never fills the morning list with follow-ups. Re-importing a newer
    export adds only the new connections and fills empty fields.

    Example:

        givenet import linkedin ~/Downloads/Connections.csv --dry-run
    """
    from givenet.importers import TextSource
    from givenet.importers.linkedin import read_linkedin

    source = TextSource(file.expanduser(), encoding)
    _import_text(
        source,
        lambda: read_linkedin(source, today()),
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        after=_linkedin_hint,
    )


@import_app.command("csv")
def import_csv(
    file: Path = FILE_ARG,
    map_: list[str] = typer.Option(
        [],
        "--map",
        "-m",
        help="COLUMN=FIELD for a column the importer does not know (repeat for more); "
        "FIELD: name, first_name, last_name, email, phone, org, role, url, tags, notes, "
        "birthday, location, uid or ignore.",
    ),
    dry_run: bool = DRY_RUN,
    skip_invalid: bool = SKIP_INVALID,
    encoding: str | None = ENCODING,
) -> None:
    """Import a spreadsheet saved as CSV, with a header row (Google Contacts' and Outlook's exports work as they are).

    Known headers need no --map: Name, Full Name, First/Given Name, Last/Family
    Name, Email, E-mail, Email Address, Phone, Mobile, Company, Organization,
    Title, Job Title, Role, Position, Tags, Labels, Notes, URL, Website,
    Birthday, and Google's "E-mail 1 - Value", "Phone 1 - Value" … columns.

    Example:

        givenet import csv contacts.csv --map "Work Mail=email" --map "Team=tags"
    """
    from givenet.importers import TextSource
    from givenet.importers.csv_file import parse_mapping, read_csv

    mapping = parse_mapping(map_)
    source = TextSource(file.expanduser(), encoding)
    _import_text(
        source,
        lambda: read_csv(source, today(), mapping),
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )


@import_app.command("vcard")
def import_vcard(
    file: Path = FILE_ARG,
    dry_run: bool = DRY_RUN,
    skip_invalid: bool = SKIP_INVALID,
    encoding: str | None = ENCODING,
) -> None:
    """Import a .vcf file of contacts: vCard 2.1, 3.0 or 4.0, any number of cards.

    Each card is read on its own, so a broken card is named and the others
    are not lost. Several emails and phones are kept; FN (or N) is the name;
    ORG, TITLE, URL, BDAY, NOTE, CATEGORIES (as tags) and UID are read.

    Example:

        givenet import vcard contacts.vcf --skip-invalid
    """
    from givenet.importers import TextSource
    from givenet.importers.vcard import read_vcards

    source = TextSource(file.expanduser(), encoding, newline=None)

    def parsed() -> Iterator[Parsed]:
        found = False
        for item in read_vcards(source, today()):
            found = True
            yield item
        if not found:
            from givenet.errors import InvalidInput

            raise InvalidInput(f"{source.shown} holds no vCard (no BEGIN:VCARD line)")

    _import_text(source, parsed, dry_run=dry_run, skip_invalid=skip_invalid)


@import_app.command("json")
def import_json(
    file: Path = FILE_ARG,
    merge: bool = typer.Option(
        False,
        "--merge",
        help="Add the file's people to a database that already holds some (matched as "
        "re-imports are), with their notes, asks and offers.",
    ),
    dry_run: bool = DRY_RUN,
    skip_invalid: bool = SKIP_INVALID,
) -> None:
    """Restore a `givenet export json` file into an empty database, or --merge its people.

    Into an empty database everything comes back as it was, ids included:
    people, events, meetings, notes, promises, asks, offers, intros, the
    ledger, your values and settings. A database that holds anyone is refused
    unless --merge, which adds people (with emails, phones, tags, notes, asks
    and offers) by the re-import rules and leaves the rest of the file out.
    To restore into a new database, name it with the global --db option:
    givenet --db new.db import json givenet-export.json

    Example:

        givenet import json givenet-export.json --merge --dry-run
    """
    from givenet.errors import InvalidInput
    from givenet.importers.givenet_json import people_records, read_export
    from givenet.migrations import LATEST_VERSION
    from givenet.store.importing import import_records, restore, what_is_there

    path = file.expanduser()
    document = read_export(path, LATEST_VERSION)
    shown = str(file)
    with open_db(write=True) as session:
        if merge:
            summary = import_records(
                session,
                people_records(document, today()),
                shown=shown,
                today=today(),
                skip_invalid=skip_invalid,
                update_indexes=not dry_run,
            )
            if dry_run:
                session.rollback()
            _print_summary(summary, shown, dry_run)
            return
        there = what_is_there(session)
        if there:
            held = ", ".join(
                f"{count} {table.replace('_', ' ')} rows" for table, count in there.items()
            )
            if "person" in there:
                held = f"{there['person']} {'person' if there['person'] == 1 else 'people'}"
            raise InvalidInput(
                f"the database is not empty (it holds {held}); `import json` restores into an "
                "empty database: choose a new one with --db, or add the file's people with --merge"
            )
        with render.progress_bar("Rebuilding the search index", 0) as update:
            restored = restore(session, document, update)
        if dry_run:
            session.rollback()
    counts = _restored_counts(restored)
    if dry_run:
        render.line(f"Dry run: nothing was written. {shown} would restore {counts or 'nothing'}.")
    else:
        render.line(f"Restored {shown}: {counts or 'nothing (the export is empty)'}.")


# What a restore summary names, in this order; the other tables are counted as rows.
RESTORED_LABELS = (
    ("person", "person", "people"),
    ("meeting", "meeting", "meetings"),
    ("note", "note", "notes"),
    ("ask", "ask", "asks"),
    ("offer", "offer", "offers"),
    ("intro", "intro", "intros"),
    ("promise", "promise", "promises"),
    ("give", "ledger line", "ledger lines"),
    ("event", "event", "events"),
    ("tag", "tag", "tags"),
    ("setting", "setting", "settings"),
)


def _restored_counts(restored: dict[str, int]) -> str:
    parts = [
        f"{restored[table]} {one if restored[table] == 1 else many}"
        for table, one, many in RESTORED_LABELS
        if restored.get(table)
    ]
    total = sum(restored.values())
    if parts:
        parts[-1] += f" ({total} rows in all)"
    return ", ".join(parts)


# --- the work every text import shares -----------------------------------------------


def _import_text(
    source: TextSource,
    parse: Callable[[], Iterable[Parsed]],
    *,
    dry_run: bool,
    skip_invalid: bool,
    after: Callable[[ImportSummary, bool], None] | None = None,
) -> None:
    from givenet.store.importing import import_records

    with open_db(write=True) as session, source:
        with render.progress_bar(
            "Importing", source.size or 1, from_size=PROGRESS_FROM_BYTES
        ) as update:
            tick = (lambda: update(source.position(), source.size)) if update else None
            summary = import_records(
                session,
                parse(),
                shown=source.shown,
                today=today(),
                skip_invalid=skip_invalid,
                update_indexes=not dry_run,
                tick=tick,
            )
        if dry_run:
            session.rollback()
    _print_summary(summary, source.shown, dry_run)
    if after is not None:
        after(summary, dry_run)


def _print_summary(summary: ImportSummary, shown: str, dry_run: bool) -> None:
    skipped = len(summary.skipped)
    if dry_run:
        render.line(
            f"Dry run: nothing was written. Importing {shown} would add {summary.added}, "
            f"update {summary.updated}, leave {summary.unchanged} as they are and skip {skipped}."
        )
    else:
        render.line(
            f"Imported {shown}: {summary.added} added, {summary.updated} updated, "
            f"{summary.unchanged} already up to date, {skipped} skipped."
        )
    if summary.name_matches:
        render.line("")
        render.line(
            "Matched by name only (no email, URL or UID to go by; check they are the same people):"
        )
        for match in summary.name_matches:
            named = match.where if match.name in match.where else f"{match.where}: {match.name}"
            render.line(f"  {named} → #{match.person_id}")
    if dry_run and summary.added_people:
        _listed(
            "Would add:", [f"{change.name} ({change.where})" for change in summary.added_people]
        )
    if summary.updated_people:
        _listed(
            "Would update:" if dry_run else "Updated:",
            [
                f"#{change.person_id} {change.name} ({change.where}): {', '.join(change.what)}"
                for change in summary.updated_people
            ],
        )
    if summary.skipped:
        render.line("")
        render.line("Would skip:" if dry_run else "Skipped:")
        for problem in summary.skipped:
            render.line(f"  {problem.where}: {problem.reason}")
    if summary.same_name:
        render.line("")
        who = (
            "1 new person shares"
            if summary.same_name == 1
            else f"{summary.same_name} new people share"
        )
        render.line(
            f"{who} a name with someone already in your network; "
            "`givenet dupes` lists likely duplicates."
        )


def _listed(title: str, lines: list[str]) -> None:
    render.line("")
    render.line(title)
    for text in lines[:LISTED]:
        render.line(f"  {text}")
    if len(lines) > LISTED:
        render.line(f"  … and {len(lines) - LISTED} more")


def _linkedin_hint(summary: ImportSummary, dry_run: bool) -> None:
    if summary.added and not dry_run:
        render.line("")
        render.line(
            "Connection dates are kept as where people came from, not as meetings: "
            "nobody new is due for a follow-up. Move the people you know well into a "
            "circle with `givenet edit NAME --circle active`."
        )

"""Bringing a network in: import linkedin, csv, vcard, json."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import network, today

if TYPE_CHECKING:
    from givenet.core.data import ImportKind
    from givenet.records.data import ImportSummary, Restored

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
    _import_text(
        "linkedin",
        file,
        encoding=encoding,
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
    _import_text(
        "csv", file, mapping=map_, encoding=encoding, dry_run=dry_run, skip_invalid=skip_invalid
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
    _import_text("vcard", file, encoding=encoding, dry_run=dry_run, skip_invalid=skip_invalid)


@import_app.command("json")
def import_json(
    file: Path = FILE_ARG,
    merge: bool = typer.Option(
        False,
        "--merge",
        help="Merge the file into a database that already holds a network: its people "
        "matched as re-imports are (the same email is the same person), with their "
        "meetings, notes, asks, offers, promises, intros, ledger and events.",
    ),
    dry_run: bool = DRY_RUN,
    skip_invalid: bool = SKIP_INVALID,
) -> None:
    """Restore a `givenet export json` file into an empty database, or --merge it.

    Into an empty database everything comes back as it was, ids included:
    people, events, meetings, notes, promises, asks, offers, intros, the
    ledger, your values and settings. A database that holds anyone is refused
    unless --merge, which adds the file's people by the re-import rules (the
    same email is the same person) and all their history with new ids:
    what is there already is not added twice. Settings stay the database's.
    A restore keeps the match candidates the source database held, as the
    file carries them, when the same givenet and engine wrote the file and
    nothing in it was edited; else it matches every ask again. The kept ones
    are the source's, which need not be what a rebuild gives now:
    `givenet match --rebuild` recomputes them.
    To restore into a new database, name it with the global --db option:
    givenet --db new.db import json givenet-export.json

    Example:

        givenet import json givenet-export.json --merge --dry-run
    """
    if merge:
        from givenet.core.data import import_file

        summary = import_file(
            network(), "json", file, dry_run=dry_run, skip_invalid=skip_invalid, today=today()
        )
        _print_summary(summary)
        return
    from givenet.core.data import restore_export

    with render.progress_bar("Rebuilding the search index", 0) as update:
        restored = restore_export(network(), file, dry_run=dry_run, progress=update)
    counts = _restored_counts(restored)
    if dry_run:
        render.line(
            f"Dry run: nothing was written. {restored.shown} would restore {counts or 'nothing'}."
        )
    else:
        render.line(f"Restored {restored.shown}: {counts or 'nothing (the export is empty)'}.")


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


# How a merge's summary names the history rows it added.
MERGED_LABELS = {
    "event": ("event", "events"),
    "event_attendee": ("attendance", "attendances"),
    "meeting": ("meeting", "meetings"),
    "promise": ("promise", "promises"),
    "intro": ("intro", "intros"),
    "give": ("ledger line", "ledger lines"),
}


def _restored_counts(restored: Restored) -> str:
    rows = restored.rows
    parts = [
        f"{rows[table]} {one if rows[table] == 1 else many}"
        for table, one, many in RESTORED_LABELS
        if rows.get(table)
    ]
    if parts:
        parts[-1] += f" ({restored.total} rows in all)"
    return ", ".join(parts)


# --- the work every text import shares -----------------------------------------------


def _import_text(
    kind: ImportKind,
    file: Path,
    *,
    mapping: list[str] | None = None,
    encoding: str | None,
    dry_run: bool,
    skip_invalid: bool,
    after: Callable[[ImportSummary], None] | None = None,
) -> None:
    """Import one text file, with a progress bar for a large one on a terminal."""
    from givenet.core.data import import_file

    with render.progress_bar(
        "Importing", _size(file) or 1, from_size=PROGRESS_FROM_BYTES
    ) as update:
        summary = import_file(
            network(),
            kind,
            file,
            mapping=mapping or (),
            encoding=encoding,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            today=today(),
            progress=update,
        )
    _print_summary(summary)
    if after is not None:
        after(summary)


def _size(file: Path) -> int:
    """The file's size in bytes, for the progress bar (0 when it cannot be read: the core says why)."""
    try:
        return file.expanduser().stat().st_size
    except OSError:
        return 0


def _print_summary(summary: ImportSummary) -> None:
    shown, dry_run = summary.shown, summary.dry_run
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
    if summary.merged:
        counts = ", ".join(
            f"{count} {one if count == 1 else many}"
            for table, count in summary.merged.items()
            for one, many in [MERGED_LABELS.get(table, (table, table))]
        )
        render.line(f"{'Would also merge' if dry_run else 'Also merged'}: {counts}.")
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
            "Would add:", [f"{change.name} ({_where(change)})" for change in summary.added_people]
        )
    if summary.updated_people:
        _listed(
            "Would update:" if dry_run else "Updated:",
            [
                f"#{change.person_id} {change.name} ({_where(change)}): {', '.join(change.what)}"
                for change in summary.updated_people
            ],
        )
    if summary.skipped:
        render.line("")
        render.line("Would skip:" if dry_run else "Skipped:")
        for problem in summary.skipped:
            render.line(f"  {problem.where}: {problem.reason}")
    if summary.left_out:
        _listed(
            "Imported, but left out (could not be read):",
            [f"{problem.where}: {problem.reason}" for problem in summary.left_out],
        )
    if summary.empty_rows:
        count = len(summary.empty_rows)
        _listed(
            f"{count} empty row{'s' * (count > 1)} (nothing but a date) "
            f"{'would be ' if dry_run else ''}left out:",
            list(summary.empty_rows),
        )
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


def _linkedin_hint(summary: ImportSummary) -> None:
    if summary.added and not summary.dry_run:
        render.line("")
        render.line(
            "Connection dates are kept as where people came from, not as meetings: "
            "nobody new is due for a follow-up. Move the people you know well into a "
            "circle with `givenet edit NAME --circle active`."
        )


def _where(change: Any) -> str:
    """Where a record was in the file, without the name said just before it: never
    "Ada Lovelace (card at line 1 (Ada Lovelace))"."""
    where: str = change.where
    return where.removesuffix(f" ({change.name[:60]})")

"""Privacy, duplicates and safety: forget, merge, dupes, backup, check."""

from __future__ import annotations

from pathlib import Path

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import complete_person, confirm_or_refuse, network, today

PANEL = "Your data"
YES = typer.Option(False, "--yes", "-y", help="Do not ask (needed in scripts).")


@app.command(rich_help_panel=PANEL)
def forget(
    person_ref: str = typer.Argument(..., help="Who to erase.", autocompletion=complete_person),
    backups: bool = typer.Option(
        False,
        "--backups",
        help="Also delete the backups beside the database that still hold them.",
    ),
    yes: bool = YES,
) -> None:
    """Erase a person and everything about them, leaving no trace in the database file.

    Their notes, asks, offers, promises, ledger lines and intros go; meetings where
    they were the only person go; shared meetings stay without them.

    Backups are copies: forget lists those beside the database that still hold the
    person, and --backups deletes them (make a fresh one after with givenet backup).
    Backups you keep elsewhere still hold them.

    Example:

        givenet forget "Maria Lopez" --yes
    """
    from givenet.core.safety import forget as forget_person
    from givenet.core.safety import identify

    if not yes:
        (person,) = identify(network(), person_ref)
        question = f"Erase {person.label} and everything about them? This cannot be undone."
        confirm_or_refuse(question, yes)
    forgotten = forget_person(network(), person_ref, backups=backups)
    if not forgotten.log_emptied:
        render.warning(
            "another givenet was reading: the erased text leaves the database's log "
            "(its -wal file) once that givenet has finished"
        )
    details = ", ".join(
        f"{count} {kind if count != 1 else kind.removesuffix('s')}"
        for kind, count in forgotten.removed.items()
        if count
    )
    render.line(f"Forgot {forgotten.person.label}" + (f" ({details})." if details else "."))
    for copy in forgotten.backups_deleted:
        render.line(f"Deleted the backup {copy}, which still held them.")
    if forgotten.backups:
        render.warning(
            f"{len(forgotten.backups)} backup(s) beside the database still hold them: "
            + ", ".join(str(copy) for copy in forgotten.backups)
            + "; delete them by hand (forget --backups does it as it forgets); "
            "backups kept elsewhere hold them too"
        )


@app.command(rich_help_panel=PANEL)
def merge(
    keep_ref: str = typer.Argument(..., help="The record to keep.", autocompletion=complete_person),
    other_ref: str = typer.Argument(
        ..., help="The duplicate to fold into it.", autocompletion=complete_person
    ),
    yes: bool = YES,
) -> None:
    """Merge a duplicate into the record you keep: everything moves over, empty fields fill in.

    Example:

        givenet merge "Maria Lopez" "M. Lopez" --yes
    """
    from givenet.core.safety import identify
    from givenet.core.safety import merge as merge_people

    if not yes:
        keep, other = identify(network(), keep_ref, other_ref)
        confirm_or_refuse(f"Merge {other.label} into {keep.label}?", yes)
    merged = merge_people(network(), keep_ref, other_ref)
    render.line(f"Merged {merged.merged.label} into {merged.kept.label}.")
    if merged.filled:
        render.line("Filled in: " + ", ".join(merged.filled))
    if merged.moved:
        brought = []
        for table, count in merged.moved.items():
            noun = _ROWS.get(table, table.replace("_", " "))
            brought.append(f"{count} {noun}{'' if count == 1 else 's'}")
        render.line("Brought over: " + ", ".join(brought))


# What a moved row is, for merge's summary ("Brought over: 1 email, 2 meetings").
_ROWS = {"phone": "phone number", "meeting_person": "meeting", "person_tag": "tag",
         "event_attendee": "expected attendance"}  # fmt: skip


@app.command(rich_help_panel=PANEL)
def dupes(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Likely duplicates: the same email, the same URL, or very similar names.

    Example:

        givenet dupes
    """
    from givenet.core.safety import find_duplicates

    found = find_duplicates(network())
    if as_json:
        render.print_json(found)
        return
    render.table(
        ["keep?", "or?", "why"],
        [[pair.people[0].label, pair.people[1].label, "; ".join(pair.reasons)] for pair in found],
        empty="No likely duplicates.",
    )
    if found:
        first, second = found[0].people
        render.line(f"Merge a pair: givenet merge '#{first.id}' '#{second.id}'")


@app.command(rich_help_panel=PANEL)
def backup(
    target: Path | None = typer.Argument(
        None, help="Where to write it (default: a dated file next to the database)."
    ),
) -> None:
    """Copy the database safely (SQLite's VACUUM INTO), even while givenet is in use.

    Example:

        givenet backup givenet-before-import.db
    """
    from givenet.core.safety import backup as backup_database

    backed_up = backup_database(network(), target, today=today())
    render.line(f"Backed up {backed_up.source} to {backed_up.target}.")


@app.command(rich_help_panel=PANEL)
def check() -> None:
    """Check the database: integrity, links between records, search indexes.

    Exits 1 when something is wrong, with what to do: restore a backup only when the
    file is damaged; run it again when another givenet is writing (busy); free disk
    space or fix permissions when the file cannot be read or written.

    Example:

        givenet check
    """
    from givenet.core.safety import check as check_database
    from givenet.errors import DatabaseProblem

    checked = check_database(network())
    if checked.ok:
        render.line(f"ok: {checked.path} is healthy.")
        return
    for problem in checked.problems:
        render.line(f"problem: {problem}")
    raise DatabaseProblem(
        f"{checked.path} has {len(checked.problems)} problem(s): {checked.advice}"
    )

"""Privacy, duplicates and safety: forget, merge, dupes, backup, check."""

from __future__ import annotations

from pathlib import Path

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import complete_person, confirm_or_refuse, db_path, open_db, today

PANEL = "Your data"
YES = typer.Option(False, "--yes", "-y", help="Do not ask (needed in scripts).")


@app.command(rich_help_panel=PANEL)
def forget(
    person_ref: str = typer.Argument(..., help="Who to erase.", autocompletion=complete_person),
    yes: bool = YES,
) -> None:
    """Erase a person and everything about them, leaving no trace in the database file.

    Their notes, asks, offers, promises, ledger lines and intros go; meetings where
    they were the only person go; shared meetings stay without them.

    Example:

        givenet forget "Maria Lopez" --yes
    """
    from givenet.db import checkpoint
    from givenet.store.common import resolve_person
    from givenet.store.safety import forget_person

    if not yes:
        with open_db(write=False) as session:
            person = resolve_person(session, person_ref)
            label = f"#{person.id} {person.name}"
        confirm_or_refuse(f"Erase {label} and everything about them? This cannot be undone.", yes)
    with open_db(write=True) as session:
        person = resolve_person(session, person_ref)
        label = f"#{person.id} {person.name}"
        removed = forget_person(session, person)
    if not checkpoint(db_path()):
        render.warning(
            "another givenet was reading: the erased text leaves the database's log "
            "(its -wal file) once that givenet has finished"
        )
    details = ", ".join(
        f"{count} {kind if count != 1 else kind.removesuffix('s')}"
        for kind, count in removed.items()
        if count
    )
    render.line(f"Forgot {label}" + (f" ({details})." if details else "."))


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

        givenet merge '#12' '#40' --yes
    """
    from givenet.store.common import resolve_person
    from givenet.store.safety import merge_people

    if not yes:
        with open_db(write=False) as session:
            keep = resolve_person(session, keep_ref)
            other = resolve_person(session, other_ref)
            question = f"Merge #{other.id} {other.name} into #{keep.id} {keep.name}?"
        confirm_or_refuse(question, yes)
    with open_db(write=True) as session:
        keep = resolve_person(session, keep_ref)
        other = resolve_person(session, other_ref)
        labels = (f"#{other.id} {other.name}", f"#{keep.id} {keep.name}")
        result = merge_people(session, keep, other)
    render.line(f"Merged {labels[0]} into {labels[1]}.")
    if result["filled"]:
        render.line("Filled in: " + ", ".join(result["filled"]))


@app.command(rich_help_panel=PANEL)
def dupes(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Likely duplicates: the same email, the same URL, or very similar names.

    Example:

        givenet dupes
    """
    from givenet.store.safety import likely_duplicates

    with open_db(write=False) as session:
        found = likely_duplicates(session)
    if as_json:
        render.print_json(found)
        return
    render.table(
        ["keep?", "or?", "why"],
        [
            [
                f"#{d['people'][0]['id']} {d['people'][0]['name']}",
                f"#{d['people'][1]['id']} {d['people'][1]['name']}",
                "; ".join(d["reasons"]),
            ]
            for d in found
        ],
        empty="No likely duplicates.",
    )
    if found:
        first = found[0]["people"]
        render.line(f"Merge a pair: givenet merge '#{first[0]['id']}' '#{first[1]['id']}'")


@app.command(rich_help_panel=PANEL)
def backup(
    target: Path | None = typer.Argument(
        None, help="Where to write it (default: a dated file next to the database)."
    ),
) -> None:
    """Copy the database safely (SQLite's VACUUM INTO), even while givenet is in use.

    Example:

        givenet backup ~/backups/givenet-before-import.db
    """
    from givenet import db

    source = db_path()
    chosen = target.expanduser() if target else db.default_backup_path(source, today().isoformat())
    written = db.backup(source, chosen)
    render.line(f"Backed up {source} to {written}.")


@app.command(rich_help_panel=PANEL)
def check() -> None:
    """Check the database: integrity, links between records, search indexes.

    Exits 1 when something is wrong, with what to do.

    Example:

        givenet check
    """
    from givenet import db
    from givenet.errors import DatabaseProblem

    path = db_path()
    problems = db.check(path)
    if not problems:
        render.line(f"ok: {path} is healthy.")
        return
    for problem in problems:
        render.line(f"problem: {problem}")
    raise DatabaseProblem(
        f"{path} has {len(problems)} problem(s): restore your latest backup "
        "(givenet backup makes them); `givenet match --rebuild` repairs the search indexes alone"
    )

"""Privacy, duplicates and safety: forget, merge, find_duplicates, backup, check.

`forget` and `merge` cannot be undone: a face asks before calling them (the
command line's ``--yes``), naming the people with :func:`identify`.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from givenet.core.network import Network, reading, today_or, writing
from givenet.errors import DatabaseProblem
from givenet.records.people import PersonRef
from givenet.records.safety import (
    BackedUp,
    DatabaseCheck,
    Duplicate,
    Forgotten,
    Merged,
    Removed,
)

__all__ = [
    "BackedUp",
    "DatabaseCheck",
    "Duplicate",
    "Forgotten",
    "Merged",
    "Removed",
    "backup",
    "check",
    "find_duplicates",
    "forget",
    "identify",
    "merge",
]


def identify(network: Network, *people: str) -> tuple[PersonRef, ...]:
    """The people these references name (a name, a unique part of one, or ``"#12"``),
    in order: what a face shows when it asks "Erase #12 Maria Lopez?". Read only."""
    from givenet.store.lookup import resolve_named

    with reading(network) as connection:
        return tuple(
            PersonRef(*resolve_named(connection, "person", ref, "person")) for ref in people
        )


def forget(network: Network, person: str, *, backups: bool = False) -> Forgotten:
    """Erase a person and everything about them, leaving no trace in the database file.

    Their notes, asks, offers, promises, ledger lines and intros go; meetings where
    they were the only person go; shared meetings stay without them. Freed pages are
    zeroed, the search indexes are optimised, and after the commit the write-ahead
    log is emptied into the file (``log_emptied`` says whether another reader let it).

    Backups are copies this cannot reach into: ``Forgotten.backups`` lists those
    beside the database that still hold the person, and ``backups=True`` deletes them
    (backups kept elsewhere still hold them).
    """
    from givenet.db import backups_of, checkpoint
    from givenet.store.common import person_ref, resolve_person
    from givenet.store.safety import forget_person

    with writing(network) as db_session:
        found = resolve_person(db_session, person)
        who = person_ref(found)
        removed = forget_person(db_session, found)
    if network.url is not None:  # a team database: its backups are the team's pg_dumps
        from givenet import postgres

        postgres.vacuum(network.url)
        return Forgotten(person=who, removed=removed, log_emptied=True)
    emptied = checkpoint(network.path)
    holding = tuple(copy for copy in backups_of(network.path) if _holds(copy, who))
    deleted: list[Path] = []
    if backups:
        for copy in holding:
            copy.unlink(missing_ok=True)
            deleted.append(copy)
    return Forgotten(
        person=who,
        removed=removed,
        log_emptied=emptied,
        backups=tuple(copy for copy in holding if copy not in deleted),
        backups_deleted=tuple(deleted),
    )


def _holds(copy: Path, person: PersonRef) -> bool:
    """Whether a backup still has this person; an unreadable one is assumed to."""
    import sqlite3

    from givenet.store.safety import holds_person

    try:
        connection = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            return holds_person(connection, person.id, person.name)
        finally:
            connection.close()
    except sqlite3.Error:
        return True


def merge(network: Network, keep: str, other: str) -> Merged:
    """Fold the duplicate ``other`` into ``keep``: everything moves over, empty fields fill in.

    Meetings, notes, asks, offers, promises, tags, intros and the ledger move to
    ``keep``; emails and phones keep already has are not doubled; ``other`` goes.
    """
    from givenet.store.common import resolve_person
    from givenet.store.safety import merge_people

    with writing(network) as db_session:
        kept = resolve_person(db_session, keep)
        merged = resolve_person(db_session, other)
        return merge_people(db_session, kept, merged)


def find_duplicates(network: Network) -> tuple[Duplicate, ...]:
    """Pairs that are probably one person: the same email, the same URL, or very similar
    names, by the first person's id. Read only, plain SQL."""
    from givenet.store.safety import likely_duplicates

    with reading(network) as connection:
        return tuple(likely_duplicates(connection))


def backup(
    network: Network, target: str | os.PathLike[str] | None = None, *, today: date | None = None
) -> BackedUp:
    """A consistent, owner-only copy of the database (SQLite's ``VACUUM INTO``), safe while
    givenet is in use; never over an existing file. Without ``target``: a file named for
    ``today`` next to the database (``givenet-backup-2026-03-14.db``)."""
    from givenet import db

    if network.url is not None:
        raise DatabaseProblem(
            "a team database is backed up by its server (pg_dump, or the host's backups); "
            "`givenet export json -o FILE` writes a copy givenet can restore anywhere"
        )
    source = network.path
    chosen = (
        Path(target).expanduser()
        if target is not None
        else db.default_backup_path(source, today_or(today).isoformat())
    )
    return BackedUp(source=source, target=db.backup(source, chosen))


def check(network: Network) -> DatabaseCheck:
    """Integrity, links between records and the search indexes, without upgrading or
    writing anything (so it works on a damaged file); ``ok`` when nothing is wrong."""
    from givenet import db

    if network.url is not None:
        from givenet import postgres

        problems, advice = postgres.diagnose(network.url)
        return DatabaseCheck(path=str(network), problems=tuple(problems), advice=advice)
    problems, advice = db.diagnose(network.path)
    return DatabaseCheck(path=network.path, problems=tuple(problems), advice=advice)

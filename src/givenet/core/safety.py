"""Privacy, duplicates and safety: forget, merge, find_duplicates, backup, check.

`forget` and `merge` cannot be undone: a face asks before calling them (the
command line's ``--yes``), naming the people with :func:`identify`.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from givenet.core.network import Network, reading, today_or, writing
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


def forget(network: Network, person: str) -> Forgotten:
    """Erase a person and everything about them, leaving no trace in the database file.

    Their notes, asks, offers, promises, ledger lines and intros go; meetings where
    they were the only person go; shared meetings stay without them. Freed pages are
    zeroed, the search indexes are optimised, and after the commit the write-ahead
    log is emptied into the file (``log_emptied`` says whether another reader let it).
    """
    from givenet.db import checkpoint
    from givenet.store.common import ident, resolve_person
    from givenet.store.safety import forget_person

    with writing(network) as db_session:
        found = resolve_person(db_session, person)
        who = PersonRef(ident(found), found.name)
        removed = forget_person(db_session, found)
    return Forgotten(person=who, removed=removed, log_emptied=checkpoint(network.path))


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

    problems, advice = db.diagnose(network.path)
    return DatabaseCheck(path=network.path, problems=tuple(problems), advice=advice)

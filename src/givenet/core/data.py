"""Bringing a network in and taking it out: import a file, restore an export, export.

An import runs in one write transaction: the file is read (``givenet.importers``,
plain records, no models) and applied row by row (``store/importing.py``); a bad
row raises and nothing is written. ``dry_run=True`` does the same work in the
same transaction and rolls it back, returning the summary it would have had.

Long work reports through ``progress(done, total)`` when given one (bytes of the
file read, or people indexed): the caller draws it, the core never prints.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from givenet.core.network import Network, Progress, reading, sql, today_or, writing, writing_sql
from givenet.records.data import (
    Contact,
    DueAction,
    Export,
    ImportSummary,
    NameMatch,
    PersonChange,
    Restored,
    RowProblem,
)

if TYPE_CHECKING:
    from givenet.importers import Parsed, TextSource

__all__ = [
    "Contact",
    "DueAction",
    "Export",
    "ExportFormat",
    "ImportKind",
    "ImportSummary",
    "NameMatch",
    "PersonChange",
    "Restored",
    "RowProblem",
    "export",
    "import_file",
    "restore_export",
]

ImportKind = Literal["linkedin", "csv", "vcard", "json"]
ExportFormat = Literal["json", "csv", "vcard", "ics"]
# ``progress(done, total)``: how far long work has come (bytes read, people indexed).

IMPORT_KINDS: tuple[str, ...] = ("linkedin", "csv", "vcard", "json")
EXPORT_FORMATS: tuple[str, ...] = ("json", "csv", "vcard", "ics")
# `export ics` looks this many days ahead unless told otherwise.
ICS_DAYS = 30


def import_file(
    network: Network,
    kind: ImportKind,
    path: str | os.PathLike[str],
    *,
    mapping: Sequence[str] | Mapping[str, str] = (),
    encoding: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Add (or update) the people of a file: LinkedIn's Connections.csv, a CSV with a header
    row, a .vcf of vCards, or a givenet JSON export merged in (``"json"``: as
    ``import json --merge``, its people with all their history, ids remapped).

    People are matched to those already there by email, URL, vCard UID, then by a
    name that only one person has; a match fills empty fields. One bad row imports
    nothing (``InvalidInput`` names it) unless ``skip_invalid``, which imports the
    rest and lists the skipped rows. ``mapping`` names CSV columns the importer does
    not know, as ``{"Work Mail": "email"}`` or ``["Work Mail=email"]``; ``encoding``
    forces a text encoding (default: UTF-8 with or without BOM, else cp1252).

        >>> summary = import_file(Network("givenet.db"), "csv", "contacts.csv", dry_run=True)
        >>> summary.added, summary.updated, [p.reason for p in summary.skipped]
    """
    from givenet.errors import InvalidInput
    from givenet.store.importing import import_records

    if kind not in IMPORT_KINDS:
        raise InvalidInput(f"import reads {', '.join(IMPORT_KINDS)}, not {kind!r}")
    day = today_or(today)
    if kind == "json":
        return _merge_export(network, path, day, dry_run=dry_run, skip_invalid=skip_invalid)
    from givenet.store.members import record_member

    source, parse = _text_reader(kind, Path(path).expanduser(), day, mapping, encoding)
    # Plain inserts on a plain connection: SQLAlchemy and the models are not loaded.
    with writing_sql(network, dry_run=dry_run) as connection, source, _old_objects_frozen():
        tick = (lambda: progress(source.position(), source.size)) if progress else None
        summary = import_records(
            connection,
            parse(),
            shown=source.shown,
            today=day,
            skip_invalid=skip_invalid,
            update_indexes=not dry_run,
            tick=tick,
            list_problems=dry_run,
            member=network.member,
        )
        if not dry_run:
            record_member(connection, network.member, today_or(None))
    return replace(summary, dry_run=dry_run)


@contextmanager
def _old_objects_frozen() -> Iterator[None]:
    """Leave the objects already made (the modules, SQLAlchemy's) out of the garbage
    collector's passes while an import makes its records: a full pass over them took
    0.04-0.11 s of an import of 10,000 rows, 0.01-0.03 s when they are frozen."""
    import gc

    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _text_reader(
    kind: str,
    path: Path,
    day: date,
    mapping: Sequence[str] | Mapping[str, str],
    encoding: str | None,
) -> tuple[TextSource, Callable[[], Iterator[Parsed]]]:
    """The opened-on-entry file and the parser of its records, checked before any work."""
    from givenet.importers import TextSource

    if kind == "linkedin":
        from givenet.importers.linkedin import read_linkedin

        source = TextSource(path, encoding)
        return source, lambda: read_linkedin(source, day)
    if kind == "csv":
        from givenet.importers.csv_file import parse_mapping, read_csv

        pairs = (
            [f"{k}={v}" for k, v in mapping.items()] if isinstance(mapping, Mapping) else mapping
        )
        columns = parse_mapping(pairs)
        source = TextSource(path, encoding)
        return source, lambda: read_csv(source, day, columns)
    from givenet.importers.vcard import read_vcards

    source = TextSource(path, encoding, newline=None)

    def cards() -> Iterator[Parsed]:
        found = False
        for item in read_vcards(source, day):
            found = True
            yield item
        if not found:
            from givenet.errors import InvalidInput

            raise InvalidInput(f"{source.shown} holds no vCard (no BEGIN:VCARD line)")

    return source, cards


def _merge_export(
    network: Network,
    path: str | os.PathLike[str],
    day: date,
    *,
    dry_run: bool,
    skip_invalid: bool,
) -> ImportSummary:
    from givenet.importers.givenet_json import read_export
    from givenet.migrations import LATEST_VERSION
    from givenet.store.merging import merge_export

    document = read_export(Path(path).expanduser(), LATEST_VERSION)
    with writing(network, in_memory=dry_run) as db_session:
        summary = merge_export(
            sql(db_session),
            document,
            today=day,
            skip_invalid=skip_invalid,
            update_indexes=not dry_run,
            list_problems=dry_run,
            member=network.member,
        )
        db_session.info["recorded"] = True  # its plain inserts: the member is listed
        if dry_run:
            db_session.rollback()
    return replace(summary, dry_run=dry_run)


def restore_export(
    network: Network,
    path: str | os.PathLike[str],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Restored:
    """Put a `givenet export json` file back into an empty database, ids included.

    Every table comes back as it was (people, events, meetings, notes, promises,
    asks, offers, intros, the ledger, your values and settings), read a batch of rows
    at a time. The match candidates the source database held are kept as the file carries
    them when its stamp and both digests agree (the same givenet and engine, nothing
    edited): the state as it was, not necessarily what ``match --rebuild`` would give
    now. Else every ask is matched again (``progress`` follows that); the search
    indexes are rebuilt. A database that
    holds anyone is refused: add the file's people with ``import_file(..., "json")``.
    ``dry_run`` restores in the transaction and rolls it back.
    """
    from givenet.importers.givenet_json import (
        ExportDocument,
        ExportStream,
        NotStreamable,
        read_export,
    )
    from givenet.migrations import LATEST_VERSION
    from givenet.store.importing import BrokenReferences, refuse_unless_empty, restore

    file = Path(path).expanduser()

    def read_whole() -> ExportDocument:
        return read_export(file, LATEST_VERSION)

    def restored(references_later: bool) -> dict[str, int]:
        source: ExportStream | ExportDocument
        try:
            source = ExportStream(file, LATEST_VERSION)  # its header is checked here
        except NotStreamable:
            source = read_whole()
        try:
            with writing_sql(
                network, dry_run=dry_run, references_later=references_later
            ) as connection:
                refuse_unless_empty(connection)
                return restore(connection, source, read_whole, progress)
        finally:
            if isinstance(source, ExportStream):
                source.close()

    try:
        # On SQLite each table's references are checked once after its rows, not as
        # each row is written: 27.4 -> 25.7 s for a restore of 100,000 people.
        rows = restored(references_later=True)
    except BrokenReferences:  # restored again row by row, so that the error names it
        rows = restored(references_later=False)
    return Restored(shown=str(path), rows=rows, dry_run=dry_run)


def export(
    network: Network,
    format: ExportFormat,
    *,
    person: str | None = None,
    days: int = ICS_DAYS,
    today: date | None = None,
    output: str | os.PathLike[str] | None = None,
    force: bool = False,
) -> Export:
    """The network as a file: ``"json"`` (every table, `import json` reads it back),
    ``"csv"`` (one row per person), ``"vcard"`` (one card per person) or ``"ics"``
    (what falls due in the next ``days`` days from ``today``, as all-day events).

    ``person`` (a name, a unique part of one, or ``"#12"``) exports only what is
    held on them. With ``output`` the text is also written to that file, owner-only
    and never over an existing file unless ``force`` (refused before any work).

        >>> export(Network("givenet.db"), "vcard", output="contacts.vcf").count
    """
    from givenet.errors import InvalidInput
    from givenet.exporters import refuse_existing, write_file

    if format not in EXPORT_FORMATS:
        raise InvalidInput(f"export writes {', '.join(EXPORT_FORMATS)}, not {format!r}")
    target = Path(output).expanduser() if output is not None else None
    if target is not None:
        from givenet.db import refuse_own_file

        refuse_own_file(network.path if network.url is None else None, target, "export")
        refuse_existing(target, force)
    day = today_or(today)
    with reading(network) as connection:
        person_id = None
        if person is not None:
            from givenet.store.lookup import resolve_named

            person_id, _ = resolve_named(connection, "person", person, "person")
        if format == "json" and person_id is None and target is not None:
            return _stream_json(connection, target, force)
        made = _formatted(connection, format, person_id, day, days)
    if target is not None:
        write_file(target, made.content.encode("utf-8"), force=force)
        made = replace(made, path=target)
    return made


def _stream_json(connection: sqlite3.Connection, target: Path, force: bool) -> Export:
    """The whole database to the file as it is read, a table and a row at a time."""
    import io

    from givenet.exporters import json as json_format
    from givenet.exporters import write_stream

    document = _whole_document(connection)
    written: dict[str, int] = {}

    def write(handle: BinaryIO) -> None:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n", write_through=False)
        written.update(json_format.write(text.write, document))
        text.flush()
        text.detach()

    write_stream(target, write, force=force)
    return Export("json", "", written.get("person", 0), "person", path=target)


def _whole_document(connection: sqlite3.Connection) -> dict[str, Any]:
    """Every table, then the match candidates with what computed them (a restore that
    finds the tables as written and the same matching keeps them instead of rebuilding)."""
    from givenet.exporters import json as json_format
    from givenet.migrations import LATEST_VERSION
    from givenet.store import exporting
    from givenet.store.search import match_stamp
    from givenet.store.sql import now

    return json_format.document(
        exporting.all_tables(connection),
        schema=LATEST_VERSION,
        exported_at=now(),
        derived=exporting.derived_tables(connection),
        computed_by=match_stamp(connection),
    )


def _formatted(
    connection: sqlite3.Connection, format: str, person_id: int | None, day: date, days: int
) -> Export:
    from givenet.store import exporting

    only = None if person_id is None else [person_id]
    if format == "json":
        from givenet.exporters import json as json_format
        from givenet.migrations import LATEST_VERSION
        from givenet.store.sql import now

        document = (
            _whole_document(connection)
            if person_id is None
            else json_format.document(
                exporting.person_tables(connection, person_id),
                schema=LATEST_VERSION,
                exported_at=now(),
                person_id=person_id,
            )
        )
        parts: list[str] = []
        written = json_format.write(parts.append, document)
        return Export(format, "".join(parts), written.get("person", 0), "person")
    if format == "csv":
        from givenet.exporters import csv as csv_format

        contacts = exporting.contacts(connection, only)
        return Export(format, csv_format.dumps(contacts), len(contacts), "person")
    if format == "vcard":
        from givenet.exporters import vcard as vcard_format

        contacts = exporting.contacts(connection, only)
        return Export(format, vcard_format.dumps(contacts), len(contacts), "card")
    from givenet.exporters import ics as ics_format
    from givenet.store.sql import now

    actions = exporting.due_actions(connection, day, days, person_id)
    return Export(format, ics_format.dumps(actions, stamp=now()), len(actions), "event")

"""givenet's own JSON export, read back: the whole database, or its people for ``--merge``.

The format (written by ``givenet export json``)::

    {"format": "givenet-export", "version": 1, "schema": <int>,
     "exported_at": "<ISO datetime>",
     "tables": {"<table>": [{"<column>": <value as SQLite stores it>, ...}, ...], ...}}

Every table of the schema except derived data (``match_candidate``, the
full-text indexes) is there, its rows ordered by primary key; values are as
SQLite holds them: ISO text dates, 0/1 booleans, numbers, text.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from givenet.dates import birthday_month_day
from givenet.errors import InvalidInput
from givenet.exporters.json import FORMAT
from givenet.exporters.json import VERSION as FORMAT_VERSION
from givenet.importers import (
    ImportRecord,
    Parsed,
    RecordAsk,
    RecordNote,
    RecordOffer,
    RowProblem,
    check_readable,
    finish,
)
from givenet.vocab import ASK_STATUSES, CIRCLES, OFFER_STATUSES

# Person columns a merge carries over besides the contact fields.
PROFILE_COLUMNS = ("circle", "cadence_days", "new_to_field", "reach", "no_intros", "open_to")


@dataclass
class ExportDocument:
    shown: str
    schema: int
    tables: dict[str, list[dict[str, Any]]]


def read_export(path: Path, latest_schema: int) -> ExportDocument:
    """Load and check a givenet export; refuse other files and newer schemas."""
    check_readable(path)
    shown = str(path)
    try:
        with path.open(encoding="utf-8-sig") as handle:
            document = json.load(handle)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"{shown} is not JSON ({error.msg} at line {error.lineno}); "
            "`givenet import json` reads the files `givenet export json` writes"
        ) from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{shown} is not UTF-8 text, so not a givenet export") from None
    except RecursionError:
        raise InvalidInput(f"{shown} is nested too deeply to be a givenet export") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        what = f'its "format" is {found!r}' if found is not None else 'it has no "format"'
        raise InvalidInput(f"{shown} is not a givenet export ({what}, not {FORMAT!r})")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput(f'{shown}: the export\'s "version" must be a number, not {version!r}')
    if version > FORMAT_VERSION:
        raise InvalidInput(
            f"{shown} was written by a newer givenet (export format {version}; this one reads "
            f"{FORMAT_VERSION}); upgrade givenet to import it"
        )
    schema = document.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise InvalidInput(f'{shown}: the export\'s "schema" must be a number, not {schema!r}')
    if schema > latest_schema:
        raise InvalidInput(
            f"{shown} is from a newer givenet (schema {schema}; this one knows {latest_schema}); "
            "upgrade givenet to import it"
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise InvalidInput(f'{shown}: the export has no "tables" object')
    for name, table_rows in tables.items():
        if not isinstance(table_rows, list) or not all(isinstance(row, dict) for row in table_rows):
            raise InvalidInput(f"{shown}: table {name!r} must be a list of rows (objects)")
    return ExportDocument(shown=shown, schema=schema, tables=tables)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def id_key(value: Any) -> Any:
    """An id as a dictionary key; a list or an object (a hand-edited file) matches nothing."""
    return value if value is None or isinstance(value, (int, float, str)) else object()


def _tag_names(document: ExportDocument, link_table: str, owner: str) -> dict[Any, list[str]]:
    names = {id_key(row.get("id")): row.get("name") for row in document.tables.get("tag", [])}
    found: dict[Any, list[str]] = defaultdict(list)
    for row in document.tables.get(link_table, []):
        name = names.get(id_key(row.get("tag_id")))
        if isinstance(name, str):
            found[id_key(row.get(owner))].append(name)
    return found


def _by_person(document: ExportDocument, table: str) -> dict[Any, list[dict[str, Any]]]:
    found: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in document.tables.get(table, []):
        found[id_key(row.get("person_id"))].append(row)
    return found


def person_where(person_id: Any) -> str:
    """How a merge names a person row of the export (the records' ``where``)."""
    return f"person #{person_id}"


def people_records(document: ExportDocument, today: date) -> Iterator[Parsed]:
    """Each person of the export, with their emails, phones, tags, notes, asks and offers."""
    emails = _by_person(document, "email")
    phones = _by_person(document, "phone")
    notes = _by_person(document, "note")
    asks = _by_person(document, "ask")
    offers = _by_person(document, "offer")
    person_tags = _tag_names(document, "person_tag", "person_id")
    ask_tags = _tag_names(document, "ask_tag", "ask_id")
    offer_tags = _tag_names(document, "offer_tag", "offer_id")
    for row in document.tables.get("person", []):
        person_id = id_key(row.get("id"))
        where = person_where(row.get("id"))
        try:
            record = ImportRecord(
                where=where,
                name=_text(row.get("name")) or "",
                emails=[
                    email["address"]
                    for email in sorted(emails[person_id], key=lambda e: e.get("position") or 0)
                    if _text(email.get("address"))
                ],
                phones=[
                    phone["number"]
                    for phone in sorted(phones[person_id], key=lambda p: p.get("position") or 0)
                    if _text(phone.get("number"))
                ],
                org=_text(row.get("org")),
                role=_text(row.get("role")),
                location=_text(row.get("location")),
                url=_text(row.get("url")),
                tags=list(person_tags[person_id]),
                birthday=_text(row.get("birthday")),
                source=_text(row.get("source")),
                uid=_vcard_uid(row.get("source")),
                connected_on=_date(row.get("source_connected_on")),
                profile={column: row.get(column) for column in PROFILE_COLUMNS},
                notes=[
                    RecordNote(note["text"], _date(note.get("date")))
                    for note in notes[person_id]
                    if _text(note.get("text"))
                ],
                asks=[
                    RecordAsk(
                        text=ask["text"],
                        tags=list(ask_tags[ask.get("id")]),
                        due=_text(ask.get("due")),
                        urgent=bool(ask.get("urgent")),
                        status=ask.get("status") or "open",
                        created_on=_text(ask.get("created_on")),
                        resolved_on=_text(ask.get("resolved_on")),
                        via=_text(ask.get("via")),
                    )
                    for ask in asks[person_id]
                    if _text(ask.get("text"))
                ],
                offers=[
                    RecordOffer(
                        text=offer["text"],
                        tags=list(offer_tags[offer.get("id")]),
                        status=offer.get("status") or "active",
                        created_on=_text(offer.get("created_on")),
                    )
                    for offer in offers[person_id]
                    if _text(offer.get("text"))
                ],
            )
            problem = _check(record)
        except (TypeError, ValueError, KeyError) as error:
            problem = f"cannot be read ({error})"
        if problem:
            yield RowProblem(where, problem)
            continue
        yield finish(record, today)


def _check(record: ImportRecord) -> str | None:
    """What in a person of the export givenet could not store, if anything."""
    profile = record.profile
    if profile.get("circle") not in (None, *CIRCLES):
        return f"unknown circle {profile['circle']!r}"
    for column in ("cadence_days", "reach"):
        value = profile.get(column)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            return f"{column} must be a number, not {value!r}"
    for column in ("new_to_field", "no_intros"):
        if profile.get(column) not in (None, 0, 1):
            return f"{column} must be 0 or 1, not {profile[column]!r}"
    if record.birthday:
        try:
            birthday_month_day(record.birthday)  # the form and a real month and day
        except InvalidInput:
            return f"birthday {record.birthday!r} is not YYYY-MM-DD or --MM-DD"
    for ask in record.asks:
        if ask.status not in ASK_STATUSES:
            return f"an ask has the unknown status {ask.status!r}"
        for day in (ask.due, ask.created_on, ask.resolved_on):
            _date(day)
    for offer in record.offers:
        if offer.status not in OFFER_STATUSES:
            return f"an offer has the unknown status {offer.status!r}"
        _date(offer.created_on)
    return None


def _vcard_uid(source: Any) -> str | None:
    """The vCard UID an imported person carries in their source, so a merge matches on it."""
    if isinstance(source, str) and source.startswith("vcard:"):
        return source[len("vcard:") :] or None
    return None


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date")
    return date.fromisoformat(value[:10])

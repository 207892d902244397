"""CSV export: one row per person, with the headers the CSV importer recognises.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula, so such a cell gets a leading ``'``; the importer
removes one leading ``'`` before those characters, so the values come back as
they were.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from givenet.records.data import Contact

HEADERS = (
    "Name",
    "Email",
    "Phone",
    "Company",
    "Title",
    "Location",
    "URL",
    "Tags",
    "Circle",
    "Cadence",
    "Birthday",
    "Notes",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
JOIN = "; "


def guard(cell: str) -> str:
    """The cell as a spreadsheet will show it, never run as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def unguard(cell: str) -> str:
    """What ``guard`` wrote, read back: one leading ``'`` before a formula start goes."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return JOIN.join(str(item) for item in value)
    return str(value)


def person_row(person: Contact) -> list[str]:
    notes = "\n".join(f"{day}: {text}" for day, text in person.notes)
    values = [
        person.name,
        person.emails,
        person.phones,
        person.org,
        person.role,
        person.location,
        person.url,
        person.tags,
        person.circle,
        person.cadence_days,
        person.birthday,
        notes,
    ]
    return [guard(_text(value)) for value in values]


def dumps(people: Iterable[Contact]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for person in people:
        writer.writerow(person_row(person))
    return buffer.getvalue()

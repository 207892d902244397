"""The givenet JSON export: the whole database (or one person's rows), table by table.

The format (``docs/import-export.md``; ``givenet import json`` reads it)::

    {"format": "givenet-export", "version": 1, "schema": <schema version>,
     "exported_at": "<ISO datetime, UTC>",
     "tables": {"<table>": [{"<column>": <value as SQLite stores it>, ...}, ...], ...}}

A ``--person`` export adds ``"person": <id>``: it holds one person's rows only.
Each row is written on one line, so a large export stays compact and diffs well.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

FORMAT = "givenet-export"
VERSION = 1


def document(
    tables: Mapping[str, Iterable[dict[str, Any]]],
    *,
    schema: int,
    exported_at: datetime,
    person_id: int | None = None,
) -> dict[str, Any]:
    head: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "schema": schema,
        "exported_at": exported_at.isoformat(timespec="seconds"),
    }
    if person_id is not None:
        head["person"] = person_id
    head["tables"] = dict(tables)
    return head


def dumps(doc: Mapping[str, Any]) -> str:
    """The document as JSON text: the header keys, then each table with one row a line."""
    parts: list[str] = []
    write(parts.append, doc)
    return "".join(parts)


def write(out: Callable[[str], object], doc: Mapping[str, Any]) -> int:
    """Write the document a piece at a time to ``out``; return how many rows it held.

    The tables' rows may be iterators (read from a cursor as they are written), so an
    export of 100,000 people is never in memory at once. One encoder serves every value.
    """
    out("{\n")
    for key, value in doc.items():
        if key != "tables":
            out(f"  {_dump(key)}: {_dump(value)},\n")
    written = 0
    out('  "tables": {')
    first = True
    for name, table_rows in doc.get("tables", {}).items():
        out("\n" if first else ",\n")
        first = False
        out(f"    {_dump(name)}: [")
        separator = "\n      "
        for row in table_rows:
            out(separator)
            out(_dump(row))
            separator = ",\n      "
            written += 1
        out("]" if separator == "\n      " else "\n    ]")
    out("}\n}\n" if first else "\n  }\n}\n")
    return written


# One encoder for every value: ``json.dumps`` with options builds a new one per call
# (2.76 million of them for an export of 100,000 people).
_dump = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode

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
from collections.abc import Mapping
from datetime import datetime
from typing import Any

FORMAT = "givenet-export"
VERSION = 1


def document(
    tables: Mapping[str, list[dict[str, Any]]],
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
    parts = ["{\n"]
    for key, value in doc.items():
        if key != "tables":
            parts.append(f"  {_dump(key)}: {_dump(value)},\n")
    parts.append('  "tables": {')
    tables = list(doc.get("tables", {}).items())
    for index, (name, table_rows) in enumerate(tables):
        parts.append("\n" if index == 0 else ",\n")
        if not table_rows:
            parts.append(f"    {_dump(name)}: []")
            continue
        parts.append(f"    {_dump(name)}: [\n")
        parts.append(",\n".join(f"      {_dump(row)}" for row in table_rows))
        parts.append("\n    ]")
    parts.append("\n  }\n}\n" if tables else "}\n}\n")
    return "".join(parts)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)

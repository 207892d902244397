"""The givenet JSON export: the whole database (or one person's rows), table by table.

The format (``docs/import-export.md``; ``givenet import json`` reads it)::

    {"format": "givenet-export", "version": 1, "schema": <schema version>,
     "exported_at": "<ISO datetime, UTC>",
     "tables": {"<table>": [{"<column>": <value as SQLite stores it>, ...}, ...], ...}}

A ``--person`` export adds ``"person": <id>``: it holds one person's rows only.
Each row is written on one line, so a large export stays compact and diffs well.

The whole-database export ends with the derived data a restore would otherwise
recompute (the match candidates, as the database held them), stamped with the givenet
and the engine that wrote them out, and the digest
of the "tables" object's text exactly as written (its UTF-8 bytes)::

    "derived": {"computed_by": {...}, "tables_digest": "sha256:<hex>",
                "tables": {"match_candidate": [...]}, "derived_digest": "sha256:<hex>"}

``derived_digest`` is the digest of the section's own "tables" object as written, so
that an edited or emptied list of candidates is not trusted either.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

FORMAT = "givenet-export"
VERSION = 1


def document(
    tables: Mapping[str, Iterable[dict[str, Any]] | BatchedTable],
    *,
    schema: int,
    exported_at: datetime,
    person_id: int | None = None,
    derived: Mapping[str, Iterable[dict[str, Any]] | BatchedTable] | None = None,
    computed_by: Mapping[str, Any] | None = None,
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
    if derived is not None:
        head["derived"] = {"computed_by": dict(computed_by or {}), "tables": dict(derived)}
    return head


@runtime_checkable
class BatchedTable(Protocol):
    """A table read as it is written: column names once, then batches of value tuples
    (``store.exporting.TableBatches``)."""

    def read(self) -> tuple[Sequence[str], Iterator[Sequence[Sequence[Any]]]]: ...


def dumps(doc: Mapping[str, Any]) -> str:
    """The document as JSON text: the header keys, then each table with one row a line."""
    parts: list[str] = []
    write(parts.append, doc)
    return "".join(parts)


def write(out: Callable[[str], object], doc: Mapping[str, Any]) -> dict[str, int]:
    """Write the document a piece at a time to ``out``; return how many rows each table held.

    The tables' rows may be read as they are written (iterators of dicts, or a
    ``BatchedTable``), so an export of 100,000 people is never in memory at once.
    A "derived" section comes last, after the digest of the tables' text.
    """
    out("{\n")
    for key, value in doc.items():
        if key not in ("tables", "derived"):
            out(f"  {_dump(key)}: {_dump(value)},\n")
    digest = hashlib.sha256()

    def hashed(text: str) -> None:
        digest.update(text.encode("utf-8"))
        out(text)

    out('  "tables": ')
    written = _write_tables(hashed, doc.get("tables", {}), "  ")
    derived = doc.get("derived")
    if derived is not None:
        out(',\n  "derived": {\n')
        for key, value in derived.items():
            if key != "tables":
                out(f"    {_dump(key)}: {_dump(value)},\n")
        out(f'    "tables_digest": "sha256:{digest.hexdigest()}",\n    "tables": ')
        rows_digest = hashlib.sha256()

        def rows_hashed(text: str) -> None:
            rows_digest.update(text.encode("utf-8"))
            out(text)

        _write_tables(rows_hashed, derived.get("tables", {}), "    ")
        out(f',\n    "derived_digest": "sha256:{rows_digest.hexdigest()}"\n  }}')
    out("\n}\n")
    return written


def _write_tables(
    out: Callable[[str], object],
    tables: Mapping[str, Iterable[dict[str, Any]] | BatchedTable],
    indent: str,
) -> dict[str, int]:
    """One object of tables, each a list of rows one a line, from ``{`` to ``}``."""
    separator = ",\n" + indent + "    "
    written: dict[str, int] = {}
    out("{")
    first = True
    for name, table_rows in tables.items():
        out("\n" if first else ",\n")
        first = False
        out(f"{indent}  {_dump(name)}: [")
        pieces = (
            _batched(table_rows, separator)
            if isinstance(table_rows, BatchedTable)
            else _each(table_rows)
        )
        count = 0
        for text, rows in pieces:
            out(separator if count else separator[1:])
            out(text)
            count += rows
        out(f"\n{indent}  ]" if count else "]")
        written[name] = count
    out("}" if first else f"\n{indent}}}")
    return written


ROW_SEPARATOR = ",\n      "


def _each(rows: Iterable[dict[str, Any]]) -> Iterator[tuple[str, int]]:
    for row in rows:
        yield _dump(row), 1


def _batched(table: BatchedTable, separator: str = ROW_SEPARATOR) -> Iterator[tuple[str, int]]:
    """Each batch of rows as the lines ``_dump`` gives its rows, by two calls of the encoder.

    The batch's values are encoded at once (a list of lists whose items are joined by a
    NUL, which the encoder never writes itself: it escapes one in a string as \\u0000),
    split back into one text per value, and put into a template of the row's keys.
    A row's line is then ``{"key": value, ...}``, the text ``_dump(dict(row))`` gives.
    """
    columns, batches = table.read()
    template = "{" + ", ".join(_dump(column).replace("%", "%%") + ": %s" for column in columns)
    template += "}"
    for batch in batches:
        if not batch:
            continue
        values = _dump_values(batch)[2:-2].replace("]\0[", "\0").split("\0")
        if len(values) != len(batch) * len(columns):  # a value that is not a scalar
            yield (
                separator.join(_dump(dict(zip(columns, row, strict=True))) for row in batch),
                len(batch),
            )
            continue
        yield separator.join([template] * len(batch)) % tuple(values), len(batch)


# One encoder for every value: ``json.dumps`` with options builds a new one per call
# (2.76 million of them for an export of 100,000 people).
_dump = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
# The same encoder but for the separator of items: a NUL, to split the values at.
_dump_values = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=("\0", ": ")).encode

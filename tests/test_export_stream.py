"""The export read as it is restored (``importers.givenet_json.ExportStream``): every
JSON layout of the same document gives the same rows, and the digest of the tables
is the one the exporter wrote only for the exporter's own text."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from givenet.errors import InvalidInput
from givenet.exporters import json as json_format
from givenet.importers import givenet_json
from givenet.importers.givenet_json import ExportStream, NotStreamable

TABLES = {
    "person": [{"id": n, "name": f"P {n}", "note": "a [list] in text\\n"} for n in range(1, 2600)],
    "empty": [],
    "tag": [{"id": 1, "name": "x"}],
}
DERIVED = {"match_candidate": [{"ask_id": 1, "offer_id": n} for n in range(1, 1200)]}
STAMP = {"givenet": "0.1.0", "schema": 7}


def read(path: Path) -> tuple[dict[str, list[Any]], Any, dict[str, list[Any]]]:
    with ExportStream(path, 99) as stream:
        tables = {name: [row for batch in rows for row in batch] for name, rows in stream.tables()}
        derived = stream.derived()
        rest = {
            name: [row for batch in rows for row in batch] for name, rows in stream.derived_tables()
        }
    return tables, derived, rest


def ours(path: Path) -> Path:
    document = json_format.document(
        TABLES, schema=7, exported_at=datetime(2026, 1, 2), derived=DERIVED, computed_by=STAMP
    )
    path.write_text(json_format.dumps(document), encoding="utf-8")
    return path


def test_the_exporters_layout_reads_with_its_digest(tmp_path):
    tables, derived, rest = read(ours(tmp_path / "ours.json"))
    assert tables == TABLES and rest == DERIVED
    assert derived.computed_by == STAMP
    assert derived.tables_digest == derived.read_digest


def test_the_digest_changes_with_one_character(tmp_path):
    path = ours(tmp_path / "ours.json")
    path.write_text(path.read_text().replace('"P 7"', '"P 8"'), encoding="utf-8")
    _, derived, _ = read(path)
    assert derived.tables_digest != derived.read_digest


@pytest.mark.parametrize("indent", [None, 0, 1, 3, "\t"])
@pytest.mark.slow
def test_any_layout_reads_the_same_rows(tmp_path, indent):
    """The same rows, but another text: the exporter's own digest no longer agrees."""
    _, written, _ = read(ours(tmp_path / "ours.json"))
    assert written.tables_digest == written.read_digest
    document = {
        "format": "givenet-export", "version": 1, "schema": 7, "tables": TABLES,
        "later": [1, {"x": 2}],
        "derived": {"computed_by": STAMP, "tables_digest": written.tables_digest,
                    "tables": DERIVED, "after": True},
        "last": None,
    }  # fmt: skip
    path = tmp_path / "any.json"
    path.write_text(json.dumps(document, indent=indent), encoding="utf-8")
    tables, derived, rest = read(path)
    assert tables == TABLES and rest == DERIVED and derived.computed_by == STAMP
    assert derived.tables_digest != derived.read_digest


def test_small_blocks_split_rows_anywhere(tmp_path, monkeypatch):
    monkeypatch.setattr(givenet_json, "STREAM_BLOCK", 64)
    tables, derived, rest = read(ours(tmp_path / "ours.json"))
    assert tables == TABLES and rest == DERIVED
    assert derived.tables_digest == derived.read_digest


def test_without_a_section_or_with_one_of_no_tables(tmp_path):
    path = tmp_path / "old.json"
    head = {"format": "givenet-export", "version": 1, "schema": 7}
    path.write_text(json.dumps({**head, "tables": TABLES}, indent=2), encoding="utf-8")
    assert read(path)[1:] == (None, {})
    path.write_text(json.dumps({**head, "tables": {}, "derived": {"a": 1}, "z": 2}))
    tables, derived, rest = read(path)
    assert (tables, derived.computed_by, rest) == ({}, None, {})


def test_a_header_after_the_tables_is_read_whole(tmp_path):
    path = tmp_path / "late.json"
    path.write_text(json.dumps({"tables": {}, "format": "givenet-export"}), encoding="utf-8")
    with pytest.raises(NotStreamable):
        ExportStream(path, 99)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"format": "givenet-export", "version": 1, "schema": 7, "tables": {"t": [1 2]}}',
         "Expecting ',' delimiter"),
        ('{"format": "givenet-export", "version": 1, "schema": 7, "tables": {"t": [{},]}}',
         "Expecting value"),
        ('{"format": "givenet-export", "version": 1, "schema": 7, "tables": {}} x',
         "Extra data"),
        ('{"format": "givenet-export", "version": 1, "schema": 7, "tables": {"t": [{}]}',
         "Expecting"),
    ],
)  # fmt: skip
def test_broken_json_is_refused_with_its_line(tmp_path, text, problem):
    path = tmp_path / "broken.json"
    path.write_text(text.replace(", ", ",\n"), encoding="utf-8")
    with pytest.raises(InvalidInput, match=f"is not JSON \\({problem}.* at line \\d+\\)"):
        read(path)


def test_rows_must_be_objects(tmp_path):
    path = tmp_path / "rows.json"
    path.write_text(
        '{"format": "givenet-export", "version": 1, "schema": 7, "tables": {"t": [{}, 3]}}'
    )
    with pytest.raises(InvalidInput, match="table 't' must be a list of rows"):
        read(path)


def test_an_indented_file_is_not_parsed_again_for_each_row(tmp_path, monkeypatch):
    """A row cut by the last line read is read by itself once, not with json.loads over
    the same text again for every row that follows."""
    monkeypatch.setattr(givenet_json, "STREAM_BLOCK", 4096)  # blocks that end inside rows
    document = {"format": "givenet-export", "version": 1, "schema": 7, "tables": TABLES,
                "derived": {"computed_by": STAMP, "tables": DERIVED}}  # fmt: skip
    path = tmp_path / "indented.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    calls = []
    loads = json.loads
    monkeypatch.setattr(
        givenet_json.json, "loads", lambda *a, **k: calls.append(1) or loads(*a, **k)
    )
    tables, _, rest = read(path)
    assert tables == TABLES and rest == DERIVED
    blocks = path.stat().st_size // 4096
    assert 0 < len(calls) < 3 * blocks < 3_800, len(calls)  # about one a row before


def test_a_one_line_file_is_read_a_few_blocks_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(givenet_json, "STREAM_BLOCK", 64)
    monkeypatch.setattr(givenet_json, "STREAM_LINE_LIMIT", 256, raising=False)
    document = {"format": "givenet-export", "version": 1, "schema": 7, "tables": TABLES,
                "derived": {"computed_by": STAMP, "tables": DERIVED}}  # fmt: skip
    path = tmp_path / "one-line.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    longest = 0
    fill = ExportStream._fill

    def measured(self: ExportStream) -> bool:
        nonlocal longest
        more = fill(self)
        longest = max(longest, len(self._buffer))
        return more

    monkeypatch.setattr(ExportStream, "_fill", measured)
    tables, derived, rest = read(path)
    assert tables == TABLES and rest == DERIVED and derived.computed_by == STAMP
    assert path.stat().st_size > 100_000 and longest < 2_000, longest

"""The core's import and export, called from Python: records, dry runs, progress, files."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from conftest import dump_database
from givenet.core.data import export, import_file, restore_export
from givenet.core.network import Network
from givenet.errors import Conflict, InvalidInput

pytestmark = pytest.mark.engines

DAY = date(2026, 3, 14)
CSV = (
    "Name,Email,Company,Website,Tags\n"
    "Maria Lopez,maria@greentable.org,Green Table,,food; venues\n"
    "Sam Okafor,,City Farms,https://www.example.org/sam,\n"
)


def people_count(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT COUNT(*) FROM person").fetchone()[0]
    finally:
        connection.close()


def restored_candidates(path: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT * FROM match_candidate ORDER BY 1, 2").fetchall()
    finally:
        connection.close()


@pytest.fixture
def network(isolated_database: Path) -> Network:
    return Network(isolated_database)


@pytest.mark.sqlite_only
def test_import_file_returns_a_summary_record(network, tmp_path, isolated_database):
    path = tmp_path / "people.csv"
    path.write_text(CSV, encoding="utf-8")
    summary = import_file(network, "csv", path, today=DAY)
    assert (summary.added, summary.updated, summary.unchanged) == (2, 0, 0)
    assert summary.shown == str(path) and not summary.dry_run
    assert [change.name for change in summary.added_people] == ["Maria Lopez", "Sam Okafor"]
    assert people_count(isolated_database) == 2
    again = import_file(network, "csv", path, today=DAY)
    assert (again.added, again.unchanged) == (0, 2)


@pytest.mark.sqlite_only
def test_a_dry_run_is_rolled_back_by_the_core_with_the_same_summary(
    run, network, tmp_path, isolated_database
):
    run("add", "Maria Lopez", "--email", "maria@greentable.org")
    path = tmp_path / "people.csv"
    path.write_text(CSV, encoding="utf-8")
    before = dump_database(isolated_database)
    dry = import_file(network, "csv", path, dry_run=True, today=DAY)
    assert dump_database(isolated_database) == before
    assert dry.dry_run
    real = import_file(network, "csv", path, today=DAY)
    assert replace(dry, dry_run=False) == real
    assert (real.added, real.updated) == (1, 1)
    [change] = real.updated_people
    assert change.name == "Maria Lopez" and change.what == ("org", "source", "2 tags")


def test_a_mapping_can_be_a_dict_or_map_options(network, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Contact,Work Mail\nAnn Lee,ann@example.org\n", encoding="utf-8")
    summary = import_file(network, "csv", path, mapping={"Contact": "name", "Work Mail": "email"})
    assert summary.added == 1
    with pytest.raises(InvalidInput, match="unknown field 'colour'"):
        import_file(network, "csv", path, mapping=["Contact=colour"])


def test_skipped_rows_are_records(network, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Name,Email\nAnn,not-an-address\nBea,bea@example.org\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="line 2"):
        import_file(network, "csv", path)
    summary = import_file(network, "csv", path, skip_invalid=True)
    assert summary.added == 1
    [problem] = summary.skipped
    assert problem.where == "line 2" and "email address" in problem.reason


@pytest.mark.slow
def test_progress_reaches_the_end_of_the_file(network, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "Name,Email\n" + "".join(f"P{n},p{n}@example.org\n" for n in range(1200)),
        encoding="utf-8",
    )
    calls: list[tuple[int, int]] = []
    summary = import_file(
        network, "csv", path, progress=lambda done, total: calls.append((done, total))
    )
    assert summary.added == 1200
    size = path.stat().st_size
    assert len(calls) >= 3  # every 500 records, and once at the end
    assert calls[-1] == (size, size)
    assert all(total == size for _, total in calls)


def test_a_vcard_file_without_cards_is_refused(network, tmp_path):
    path = tmp_path / "empty.vcf"
    path.write_text("nothing here\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="holds no vCard"):
        import_file(network, "vcard", path)


@pytest.mark.slow
def test_restore_export_and_merge_it(run, network, tmp_path, isolated_database):
    run("add", "Maria Lopez", "--email", "maria@greentable.org", "--note", "met at the market")
    run("ask", "Maria", "a venue for 40", "--tag", "venue")
    saved = export(network, "json", output=tmp_path / "export.json")
    assert saved.path == tmp_path / "export.json" and saved.count == 1
    fresh = Network(tmp_path / "fresh.db")
    calls: list[tuple[int, int]] = []
    dry = restore_export(fresh, saved.path, dry_run=True)
    assert dry.dry_run and dry.rows["person"] == 1
    assert people_count(fresh.path) == 0
    restored = restore_export(fresh, saved.path, progress=lambda d, t: calls.append((d, t)))
    assert (restored.rows["person"], restored.rows["ask"], restored.rows["note"]) == (1, 1, 1)
    assert restored.total == sum(restored.rows.values())
    # The file's match candidates are kept (no ask is matched again) when they were
    # computed on the same engine: a PostgreSQL backup restored into SQLite is matched.
    on_sqlite = network.url is None
    assert not calls if on_sqlite else calls
    if on_sqlite:
        assert restored_candidates(fresh.path) == restored_candidates(network.path)
    stripped = tmp_path / "stripped.json"
    text = saved.path.read_text(encoding="utf-8")
    stripped.write_text(text.partition(',\n  "derived"')[0] + "\n}\n", encoding="utf-8")
    again = Network(tmp_path / "again.db")
    calls.clear()
    restore_export(again, stripped, progress=lambda d, t: calls.append((d, t)))
    assert calls  # without them every open ask is matched again, and progress follows it
    assert restored_candidates(again.path) == restored_candidates(fresh.path)
    with pytest.raises(InvalidInput, match=r"not empty \(it holds 1 person\)"):
        restore_export(fresh, saved.path)
    merged = import_file(fresh, "json", saved.path)
    assert (merged.added, merged.unchanged) == (0, 1)


@pytest.mark.slow
def test_export_returns_the_text_and_writes_files_safely(run, network, tmp_path):
    run("add", "Maria Lopez", "--email", "maria@greentable.org", "--tag", "food")
    run("add", "Sam Okafor")
    made = export(network, "csv")
    assert made.path is None and (made.count, made.noun) == (2, "person")
    assert made.content.splitlines()[1].startswith("Maria Lopez,maria@greentable.org")
    one = export(network, "vcard", person="Sam")
    assert (one.count, one.noun) == (1, "card") and "FN:Sam Okafor" in one.content
    target = tmp_path / "people.vcf"
    written = export(network, "vcard", output=target)
    assert written.path == target and target.read_bytes() == written.content.encode()
    assert target.stat().st_mode & 0o777 == 0o600
    with pytest.raises(Conflict, match="already exists"):
        export(network, "vcard", output=target)
    events = export(network, "ics", days=7, today=DAY)
    assert events.noun == "event" and "BEGIN:VCALENDAR" in events.content


LIGHT_PROBE = """
import json, sys
from datetime import date
from pathlib import Path

from givenet.importers import TextSource
from givenet.importers.csv_file import read_csv
from givenet.importers.givenet_json import people_records, read_export
from givenet.importers.linkedin import read_linkedin
from givenet.importers.vcard import read_vcards
from givenet.migrations import LATEST_VERSION

folder, today = Path(sys.argv[1]), date(2026, 3, 14)
read = {}
with TextSource(folder / "Connections.csv") as source:
    read["linkedin"] = list(read_linkedin(source, today))
with TextSource(folder / "people.csv") as source:
    read["csv"] = list(read_csv(source, today, {}))
with TextSource(folder / "cards.vcf", newline=None) as source:
    read["vcard"] = list(read_vcards(source, today))
read["json"] = list(people_records(read_export(folder / "export.json", LATEST_VERSION), today))
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "sqlmodel"))
print(json.dumps({
    "heavy": heavy,
    "read": {kind: [type(item).__name__ for item in items] for kind, items in read.items()},
}))
"""


@pytest.mark.slow
def test_reading_any_file_loads_no_sqlalchemy_or_sqlmodel(tmp_path):
    (tmp_path / "Connections.csv").write_text(
        "Notes:\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Maria,Lopez,https://www.linkedin.com/in/maria,,Green Table,Founder,12 Mar 2024\n",
        encoding="utf-8",
    )
    (tmp_path / "people.csv").write_text("Name,Email\nAnn Lee,ann@example.org\n")
    (tmp_path / "cards.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Bo Park\nEND:VCARD\n")
    person = {"id": 1, "name": "Cy Diaz", "circle": "inner", "new_to_field": 0, "no_intros": 0}
    tables = {
        "person": [person],
        "ask": [{"id": 1, "person_id": 1, "text": "a venue", "status": "open"}],
        "offer": [{"id": 1, "person_id": 1, "text": "a room", "status": "active"}],
    }
    document = {"format": "givenet-export", "version": 1, "schema": 1,
                "exported_at": "2026-01-01T00:00:00+00:00", "tables": tables}  # fmt: skip
    (tmp_path / "export.json").write_text(json.dumps(document))
    result = subprocess.run(
        [sys.executable, "-c", LIGHT_PROBE, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "GIVENET_DB": str(tmp_path / "unused.db")},
    )
    found = json.loads(result.stdout)
    # Each file was read to its end, into records.
    assert found["read"] == {
        kind: ["ImportRecord"] for kind in ("linkedin", "csv", "vcard", "json")
    }
    assert found["heavy"] == []
    assert not (tmp_path / "unused.db").exists()

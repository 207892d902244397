"""Out and back in: every export format read back by its importer."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.engines


def test_csv_export_and_import_round_trip_a_formula_looking_name(run, tmp_path):
    run("add", "=SUM(A1)", "--email", "formula@example.com", "--org", "+Plus Org")
    run("add", "José Müller", "--email", "jose@example.com", "--tag", "food", "--tag", "jobs")
    exported = tmp_path / "people.csv"
    run("export", "csv", "-o", str(exported))
    assert "'=SUM(A1)" in exported.read_text(encoding="utf-8-sig")
    fresh = tmp_path / "fresh.db"
    run("--db", str(fresh), "import", "csv", str(exported))
    people = {p["name"]: p for p in run("--db", str(fresh), "list", "--json").json()}
    assert set(people) == {"=SUM(A1)", "José Müller"}
    assert people["=SUM(A1)"]["org"] == "+Plus Org"
    assert people["José Müller"]["tags"] == ["food", "jobs"]
    run("--db", str(fresh), "import", "csv", str(exported))  # again: nobody twice
    assert len(run("--db", str(fresh), "list", "--json").json()) == 2


@pytest.mark.slow
def test_vcard_export_read_back_adds_nobody_twice(run, tmp_path):
    run("demo")
    cards = tmp_path / "all.vcf"
    run("export", "vcard", "-o", str(cards))
    before = run("list", "--json").json()
    run("import", "vcard", str(cards))
    assert len(run("list", "--json").json()) == len(before)
    fresh = tmp_path / "fresh.db"
    run("--db", str(fresh), "import", "vcard", str(cards))
    names = sorted(p["name"] for p in run("--db", str(fresh), "list", "--json").json())
    assert names == sorted(p["name"] for p in before)


@pytest.mark.slow
def test_json_export_import_export_is_identical(run, tmp_path):
    run("demo")
    run("intro", "Tomás", "Amara", "--for", "1")
    first = tmp_path / "first.json"
    run("export", "json", "-o", str(first))
    fresh = tmp_path / "fresh.db"
    run("--db", str(fresh), "import", "json", str(first))
    second = tmp_path / "second.json"
    run("--db", str(fresh), "export", "json", "-o", str(second))
    import json

    a, b = json.loads(first.read_text()), json.loads(second.read_text())
    assert a["tables"] == b["tables"]
    assert run("--db", str(fresh), "match", "--json").json() == run("match", "--json").json()

"""Imports that real files need (issue 12, items 12 to 17).

The files in ``tests/data/`` have the shapes other tools write: broken photos,
Outlook's and Lotus Notes' vCards, declared 2.1 charsets, UTF-16 without a BOM,
LinkedIn's 2018 and Excel-saved exports, semicolon CSV, Google, Outlook and
Thunderbird columns. Each test names what it checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import dump_database

DATA = Path(__file__).resolve().parent / "data"


def people(run, *db: str) -> dict[str, dict[str, Any]]:
    return {person["name"]: person for person in run(*db, "list", "--json").json()}


def everyone(run, *db: str) -> list[dict[str, Any]]:
    return run(*db, "list", "--json").json()


def notes_of(run, name: str, *db: str) -> list[tuple[str, str]]:
    return [(n["date"], n["text"]) for n in run(*db, "show", name, "--json").json()["notes"]]


# --- 12: a bad property is left out, the person comes in ------------------------------


def test_vcard_broken_properties_are_left_out(run, isolated_database):
    path = DATA / "vcard-broken-properties.vcf"
    out = run("import", "vcard", str(path))  # no --skip-invalid: nothing refuses the file
    assert "5 added" in out.stdout and "0 skipped" in out.stdout
    found = people(run)
    assert set(found) == {"Truncated Photo", "Data Uri", "Good Photo", "Grace Lin", "Lotus Notes"}
    # The card's other properties still come in, after the broken photo too.
    assert found["Truncated Photo"]["emails"] == ["truncated@example.org"]
    assert found["Data Uri"]["phones"] == ["+44 20 7946 0000"]
    # Outlook's "ADR;WORK;PREF;:" is mended, not dropped.
    grace = found["Grace Lin"]
    assert grace["location"] == "Leeds, United Kingdom"
    assert grace["emails"] == ["grace@civic.example"]
    assert found["Lotus Notes"]["emails"] == ["lotus@example.com"]
    # What was left out is said, by card and line; a good photo is not mentioned.
    assert "Imported, but left out" in out.stdout
    assert "card at line 1 (Truncated Photo): PHOTO at line 5 left out: its base64" in out.stdout
    assert "(Data Uri): PHOTO at line 15 left out: a data: URI" in out.stdout
    assert "Good Photo" not in out.stdout.split("left out", 1)[1]


def test_vcard_unparsable_line_is_left_out_and_reported(run, tmp_path):
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sloppy Writer\r\nthis line is not a property\r\n"
        "EMAIL:sloppy@example.org\r\nEND:VCARD\r\n"
    )
    path = tmp_path / "sloppy.vcf"
    path.write_text(text)
    out = run("import", "vcard", str(path))
    assert "1 added" in out.stdout
    assert "line 4 left out: not a vCard property ('this line is not a property')" in out.stdout
    assert people(run)["Sloppy Writer"]["emails"] == ["sloppy@example.org"]


# --- 13: declared and undeclared encodings ------------------------------------------------


def test_vcard_21_charset_is_honoured(run):
    out = run("import", "vcard", str(DATA / "vcard-21-charsets.vcf"))
    assert "3 added" in out.stdout
    found = people(run)
    assert found["Νίκος Παπαδόπουλος"]["role"] == "Μηχανικός"
    assert found["Анна Петрова"]["org"] == "Рога и копыта"
    # A property without CHARSET keeps the file's guess (cp1252).
    assert "José Müller" in found


def test_utf16_without_a_bom_is_detected(run):
    run("import", "csv", str(DATA / "utf16be-no-bom.csv"))
    run("import", "vcard", str(DATA / "utf16le-no-bom.vcf"))
    found = people(run)
    assert found["Άννα Κώστα"]["emails"] == ["anna@example.gr"]
    assert found["Wei Chen"]["emails"] == ["wei@example.org"]
    assert found["Zoë Adebayo"]["emails"] == ["zoe@example.org"]


def test_utf16_read_as_8_bit_suggests_utf16(fails, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes("Name,Email\nAnn,ann@example.org\n".encode("utf-16-be"))
    message = fails("import", "csv", str(path), "--encoding", "latin-1")
    assert "the header holds NUL bytes" in message and "--encoding utf-16-be" in message
    cards = tmp_path / "odd.vcf"
    cards.write_bytes((DATA / "utf16le-no-bom.vcf").read_bytes())
    message = fails("import", "vcard", str(cards), "--encoding", "cp1252")
    assert "no BEGIN:VCARD" in message and "--encoding utf-16-be" in message


# --- 14: escapes and ORG's units -------------------------------------------------------


def test_vcard_escapes_and_org_units(run):
    run("import", "vcard", str(DATA / "vcard-escapes.vcf"))
    found = people(run)
    sean = found["Seán O'Brien"]
    assert sean["url"] == "http://example.com/sean"
    assert sean["role"] == '"Chief" Listener'
    assert sean["org"] == "Company, The"
    assert [text for _, text in notes_of(run, "Seán")] == [
        "Department: Department of Sales",
        'Says "hello", then leaves',
    ]
    assert found["Ann Lee"]["org"] == "Seed Co"
    assert notes_of(run, "Ann Lee")[0][1] == "Department: Research, Soil Lab"
    for person in found.values():
        assert "[" not in (person["org"] or "")


# --- 15: LinkedIn's older and Excel-saved exports ---------------------------------------


def test_linkedin_2018_dates_and_namesakes_at_two_companies(run):
    out = run("import", "linkedin", str(DATA / "linkedin-2018.csv"))
    assert "3 added" in out.stdout
    rows = everyone(run)
    smiths = sorted((p["org"], p["role"]) for p in rows if p["name"] == "John Smith")
    assert smiths == [("Acme Corp", "Engineer"), ("Globex", "Sales Lead")]
    dates = {p["org"]: p["source_connected_on"] for p in rows}
    assert dates == {"Green Table": "2018-01-08", "Acme Corp": "2017-12-24", "Globex": "2018-03-02"}
    # Again: the same two John Smiths, each matched to themselves by name and org.
    again = run("import", "linkedin", str(DATA / "linkedin-2018.csv"))
    assert "0 added" in again.stdout and len(everyone(run)) == 3


def test_linkedin_excel_dates_and_rows_with_only_a_date(run, isolated_database):
    path = DATA / "linkedin-excel.csv"
    dry = run("import", "linkedin", str(path), "--dry-run")
    assert "would add 4" in dry.stdout and "skip 0" in dry.stdout
    assert "2 empty rows (nothing but a date) would be left out:" in dry.stdout
    out = run("import", "linkedin", str(path))
    assert "4 added" in out.stdout and "0 skipped" in out.stdout
    assert "2 empty rows (nothing but a date) left out:" in out.stdout
    assert "line 6" in out.stdout and "line 8" in out.stdout
    rows = everyone(run)
    assert {p["name"]: p["source_connected_on"] for p in rows}["Maria Lopez"] == "2018-01-08"
    # Two Priya Nairs with two profile URLs are two people.
    priyas = sorted(p["org"] for p in rows if p["name"] == "Priya Nair")
    assert priyas == ["Brightpath", "Seed Co"]


# --- 16: spreadsheets as Excel, Google, Outlook and Thunderbird write them ----------------


def test_semicolon_csv_from_excel(run):
    run("import", "csv", str(DATA / "excel-semicolon.csv"))
    jose = people(run)["José Müller"]
    assert (jose["emails"], jose["phones"], jose["org"]) == (
        ["jose@example.de"],
        ["+49 30 1234"],
        "Café Süd",
    )
    assert [text for _, text in notes_of(run, "José")] == ["Met at the fair, liked it"]


def test_google_multi_values_and_my_contacts(run):
    run("import", "csv", str(DATA / "google-contacts.csv"))
    found = people(run)
    maria = found["Maria Lopez"]
    assert maria["emails"] == ["maria@home.example", "maria@work.example"]
    assert maria["phones"] == ["+1 555 0100", "+1 555 0101"]
    assert maria["url"] == "https://maria.example"
    assert maria["tags"] == ["Friends"]
    assert found["Sam Okafor"]["tags"] == ["starred"]


@pytest.mark.slow
def test_outlook_and_thunderbird_columns(run):
    run("import", "csv", str(DATA / "outlook-contacts.csv"))
    run("import", "csv", str(DATA / "thunderbird.csv"))
    run("import", "csv", str(DATA / "email-home-work.csv"))
    found = people(run)
    grace = found["Grace Lin"]
    assert grace["emails"] == ["grace@civic.example", "g.lin@example.org", "grace@home.example"]
    assert grace["phones"] == ["+1 555 0111", "+1 555 0100", "+1 555 0122", "+1 555 0133"]
    assert grace["url"] == "https://civic.example"
    assert (grace["role"], grace["birthday"]) == ("Program Officer", None)  # 0/0/00: none
    assert [text for _, text in notes_of(run, "Grace Lin")] == ["Department: Grants"]
    hana = found["Hana Yusuf"]
    assert hana["emails"] == ["hana@example.org", "hana.y@example.net"]
    assert hana["phones"] == ["+1 555 0200", "+1 555 0201"]
    assert hana["url"] == "https://hana.example"
    assert hana["birthday"] == "1988-07-09"
    assert found["Omar Haddad"]["birthday"] == "--11-02"
    assert found["Omar Haddad"]["url"] == "https://omar.example"
    wei = found["Wei Chen"]
    assert wei["emails"] == ["wei@home.example", "wei@work.example", "wei@other.example"]
    assert wei["phones"] == ["+1 555 0300"]


# --- 17: every export givenet can read back, out and in ---------------------------------


def _every_kind_of_field(run) -> None:
    run(
        "add", "Maria Lopez", "--email", "maria@greentable.org", "--email", "m.lopez@example.org",
        "--phone", "+1 555 0100", "--phone", "+1 555 0101", "--org", "Company, The",
        "--role", "Founder; CEO", "--location", "Springfield, IL", "--url", "https://maria.example",
        "--tag", "food", "--tag", "urban farming", "--circle", "active", "--cadence", "21",
        "--birthday", "1990-03-14", "--note", "first note, with a comma",
    )  # fmt: skip
    run("note", "Maria Lopez", "second note\nover two lines")
    run("note", "Maria Lopez", "third: a colon")
    run("add", "=SUM(A1)", "--email", "formula@example.com", "--birthday", "--04-12")
    run("add", "Sam Okafor", "--circle", "inner")


def _comparable(run, *db: str) -> dict[str, dict[str, Any]]:
    fields = ("emails", "phones", "org", "role", "location", "url", "tags", "birthday")
    result = {}
    for name, person in people(run, *db).items():
        shown = run(*db, "show", f"#{person['id']}", "--json").json()
        result[name] = {field: person[field] for field in fields}
        result[name]["circle"] = person["circle"]
        result[name]["notes"] = sorted((n["date"], n["text"]) for n in shown["notes"])
    return result


def _rows(path: Path) -> dict[str, Any]:
    """Every table's rows but SQLite's own statistics (an import refreshes them)."""
    return {k: v for k, v in dump_database(path).items() if k != "sqlite_stat1"}


@pytest.mark.slow
def test_csv_and_vcard_round_trips_lose_and_double_nothing(run, tmp_path):
    _every_kind_of_field(run)
    before = _comparable(run)
    assert len(before["Maria Lopez"]["notes"]) == 3
    for kind in ("csv", "vcard"):
        exported = tmp_path / f"people.{kind}"
        run("export", kind, "-o", str(exported))
        if kind == "vcard":  # one NOTE per note, as address books show them
            assert exported.read_text().count("\nNOTE:") == 3
        fresh = tmp_path / f"fresh-{kind}.db"
        run("--db", str(fresh), "import", kind, str(exported))
        after = _comparable(run, "--db", str(fresh))
        wanted = before
        if kind == "vcard":  # a vCard has no circle: people come in as acquaintances
            wanted = {n: {**p, "circle": "acquaintance"} for n, p in before.items()}
        assert after == wanted, kind
        # Into the same database again: nobody and nothing twice (only the empty
        # "where they came from" is filled in, with the file's name).
        again = run("import", kind, str(exported))
        assert " 0 added, " in again.stdout, kind
        updated = again.stdout.partition("Updated:\n")[2].splitlines()
        assert all(line.endswith(": source") for line in updated), again.stdout
        assert _comparable(run) == before
        # And into the fresh one again: nothing at all changes.
        state = _rows(fresh)
        again = run("--db", str(fresh), "import", kind, str(exported))
        assert "0 added, 0 updated, 3 already up to date" in again.stdout, kind
        assert _rows(fresh) == state


@pytest.mark.slow
def test_csv_cadence_survives_a_round_trip(run, tmp_path):
    _every_kind_of_field(run)
    exported = tmp_path / "people.csv"
    run("export", "csv", "-o", str(exported))
    fresh = tmp_path / "fresh.db"
    run("--db", str(fresh), "import", "csv", str(exported))
    maria = people(run, "--db", str(fresh))["Maria Lopez"]
    assert maria["cadence_days"] == 21


@pytest.mark.slow
def test_json_round_trip_on_every_kind_of_field(run, tmp_path):
    """The third export givenet reads back: every table, restored and merged."""
    run("demo")
    _every_kind_of_field(run)
    first = tmp_path / "first.json"
    run("export", "json", "-o", str(first))
    fresh = tmp_path / "fresh.db"
    run("--db", str(fresh), "import", "json", str(first))
    second = tmp_path / "second.json"
    run("--db", str(fresh), "export", "json", "-o", str(second))
    import json

    assert json.loads(first.read_text())["tables"] == json.loads(second.read_text())["tables"]
    # --merge into the network it came from: nobody, no note, ask or offer twice.
    before = _comparable(run)
    merged = run("import", "json", str(first), "--merge")
    assert " 0 added, 0 updated, " in merged.stdout
    assert _comparable(run) == before

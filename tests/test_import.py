"""Bringing a network in through the real CLI: import linkedin, csv, vcard, json.

Every test writes its own small file in ``tmp_path``.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import build_database, create_empty, dump_database

pytestmark = pytest.mark.engines

LINKEDIN_PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
LINKEDIN_ROWS = (
    "Maria,Lopez,https://www.linkedin.com/in/marialopez,maria@greentable.org,Green Table,Founder,12 Mar 2024\n"
    "Sam,Okafor,https://www.linkedin.com/in/samokafor,,City Farms,Director,03 Jan 2023\n"
    "Ann,Lee,https://www.linkedin.com/in/annlee,,,,01 Feb 2020\n"
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def people(run) -> dict[str, dict[str, Any]]:
    return {person["name"]: person for person in run("list", "--json").json()}


def card(name: str, *, uid: str | None = None, email: str | None = None, extra: str = "") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{name}"]
    if uid:
        lines.append(f"UID:{uid}")
    if email:
        lines.append(f"EMAIL:{email}")
    if extra:
        lines.append(extra)
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


# --- LinkedIn ------------------------------------------------------------------------


def test_linkedin_with_its_preamble_and_missing_emails(run, tmp_path):
    path = write(tmp_path / "Connections.csv", LINKEDIN_PREAMBLE + LINKEDIN_HEADER + LINKEDIN_ROWS)
    out = run("import", "linkedin", str(path))
    assert "3 added" in out.stdout
    found = people(run)
    maria = found["Maria Lopez"]
    assert maria["emails"] == ["maria@greentable.org"]
    assert (maria["org"], maria["role"]) == ("Green Table", "Founder")
    assert maria["url"] == "https://www.linkedin.com/in/marialopez"
    assert maria["source"] == "linkedin"
    assert maria["source_connected_on"] == "2024-03-12"
    assert maria["circle"] == "acquaintance"
    assert found["Sam Okafor"]["emails"] == []
    assert found["Ann Lee"]["org"] is None
    # A connection date is not a meeting: nothing to follow up.
    assert maria["last_touch"] is None
    assert run("show", "Maria Lopez", "--json").json()["meetings"] == []
    assert run("due", "--json").json() == []
    assert run("due", "--all", "--json").json() == []


def test_linkedin_reimport_adds_nobody_twice_and_fills_an_empty_field(run, tmp_path):
    path = write(tmp_path / "Connections.csv", LINKEDIN_PREAMBLE + LINKEDIN_HEADER + LINKEDIN_ROWS)
    run("import", "linkedin", str(path))
    newer = LINKEDIN_ROWS.replace(
        "Ann,Lee,https://www.linkedin.com/in/annlee,,,,",
        "Ann,Lee,https://www.linkedin.com/in/annlee,,Seed Co,Analyst,",
    )
    newer += "Wei,Chen,https://www.linkedin.com/in/weichen,,Brightpath,Lead,5 May 2025\n"
    write(path, LINKEDIN_PREAMBLE + LINKEDIN_HEADER + newer)
    out = run("import", "linkedin", str(path))
    assert "1 added, 1 updated, 2 already up to date" in out.stdout
    found = people(run)
    assert len(found) == 4
    assert (found["Ann Lee"]["org"], found["Ann Lee"]["role"]) == ("Seed Co", "Analyst")
    # Matched by URL: a changed company is not overwritten, only empty fields are filled.
    assert found["Sam Okafor"]["org"] == "City Farms"


def test_linkedin_refuses_another_spreadsheet(fails, tmp_path):
    path = write(tmp_path / "other.csv", "Name,Email\nMaria,maria@example.org\n")
    message = fails("import", "linkedin", str(path))
    assert "Connections.csv" in message
    assert "import csv" in message


def test_linkedin_bad_date_names_the_line(fails, tmp_path, isolated_database):
    rows = LINKEDIN_ROWS + "Bad,Date,https://www.linkedin.com/in/bad,,,,someday\n"
    path = write(tmp_path / "Connections.csv", LINKEDIN_PREAMBLE + LINKEDIN_HEADER + rows)
    message = fails("import", "linkedin", str(path))
    assert "Connections.csv line 8" in message
    assert "someday" in message
    assert "--skip-invalid" in message


# --- CSV -------------------------------------------------------------------------------


def test_csv_with_a_bom(run, tmp_path):
    path = write(tmp_path / "bom.csv", "\ufeffName,Email\nMaria Lopez,maria@example.org\n")
    run("import", "csv", str(path))
    assert people(run)["Maria Lopez"]["emails"] == ["maria@example.org"]


def test_csv_in_cp1252(run, tmp_path):
    path = write(
        tmp_path / "excel.csv", "Name;Company\nJosé Müller;Café Größe\n".replace(";", ","), "cp1252"
    )
    run("import", "csv", str(path))
    assert people(run)["José Müller"]["org"] == "Café Größe"


def test_csv_encoding_can_be_forced(run, fails, tmp_path):
    path = write(tmp_path / "latin.csv", "Name\nJosé Müller\n", "latin-1")
    assert "not valid utf-8" in fails("import", "csv", str(path), "--encoding", "utf-8")
    assert "unknown encoding" in fails("import", "csv", str(path), "--encoding", "klingon")
    run("import", "csv", str(path), "--encoding", "latin-1")
    assert "José Müller" in people(run)


def test_google_contacts_csv_with_two_emails(run, tmp_path):
    header = (
        "First Name,Middle Name,Last Name,Nickname,Organization Name,Organization Title,"
        "Birthday,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,"
        "E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,"
        "Website 1 - Label,Website 1 - Value\n"
    )
    row = (
        "Maria,,Lopez,,Green Table,Founder,--03-14,Met at the food forum,"
        "* myContacts ::: Food,* Work,maria@greentable.org,* Home,maria@example.org,"
        "Mobile,+1 555 0100 ::: +1 555 0101,,,,https://greentable.org\n"
    )
    path = write(tmp_path / "contacts.csv", header + row)
    run("import", "csv", str(path))
    maria = people(run)["Maria Lopez"]
    assert maria["emails"] == ["maria@greentable.org", "maria@example.org"]
    assert maria["phones"] == ["+1 555 0100", "+1 555 0101"]
    assert (maria["org"], maria["role"]) == ("Green Table", "Founder")
    assert maria["tags"] == ["Food"]
    assert maria["birthday"] == "--03-14"
    assert maria["url"] == "https://greentable.org"
    assert maria["source"] == "contacts.csv"
    notes = run("show", "Maria Lopez", "--json").json()["notes"]
    assert [note["text"] for note in notes] == ["Met at the food forum"]


def test_older_google_csv_and_common_headers(run, tmp_path):
    header = "Name,Given Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Organization 1 - Name,Organization 1 - Title\n"
    row = "Sam Okafor,Sam,Okafor,* myContacts,* Work,sam@cityfarms.org ::: sam@example.org,City Farms,Director\n"
    path = write(tmp_path / "google.csv", header + row)
    run("import", "csv", str(path))
    sam = people(run)["Sam Okafor"]
    assert sam["emails"] == ["sam@cityfarms.org", "sam@example.org"]
    assert (sam["org"], sam["role"], sam["tags"]) == ("City Farms", "Director", [])
    path = write(
        tmp_path / "plain.csv",
        "Full Name,E-mail,Mobile,Organisation,Job Title,Tags,Website\n"
        'Ann Lee,ann@example.org,+44 20 1234,Seed Co,Analyst,"finance; food",https://ann.example\n',
    )
    run("import", "csv", str(path))
    ann = people(run)["Ann Lee"]
    assert (ann["emails"], ann["phones"]) == (["ann@example.org"], ["+44 20 1234"])
    assert (ann["org"], ann["role"], ann["tags"]) == ("Seed Co", "Analyst", ["finance", "food"])


def test_map_names_unknown_columns(run, fails, tmp_path):
    path = write(
        tmp_path / "club.csv",
        "Member,Work Mail,Team,Shoe size\nMaria Lopez,maria@example.org,growers,38\n",
    )
    assert "--map" in fails("import", "csv", str(path))
    run(
        "import", "csv", str(path), "--map", "Member=name", "--map", "work mail=email",
        "--map", "Team=tags", "--map", "Shoe size=ignore",
    )  # fmt: skip
    maria = people(run)["Maria Lopez"]
    assert (maria["emails"], maria["tags"]) == (["maria@example.org"], ["growers"])
    assert "no column 'Nope'" in fails("import", "csv", str(path), "--map", "Nope=name")
    assert "unknown field" in fails("import", "csv", str(path), "--map", "Member=shoe")
    assert "COLUMN=FIELD" in fails("import", "csv", str(path), "--map", "Member")


def test_a_200_kb_notes_cell(run, tmp_path):
    long_note = ("A long story about the supper club. " * 6000)[:200_000]
    path = tmp_path / "long.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Name", "Notes"])
        writer.writerow(["Maria Lopez", long_note])
        writer.writerow(["Sam Okafor", "short"])
    run("import", "csv", str(path))
    notes = run("show", "Maria Lopez", "--json").json()["notes"]
    assert len(notes[0]["text"]) == len(long_note.strip())
    assert len(people(run)) == 2


def test_csv_reimport_adds_nobody_twice_and_fills_an_empty_field(run, tmp_path):
    path = write(
        tmp_path / "c.csv",
        "Name,Email,Company,Notes\nMaria Lopez,maria@example.org,,likes jazz\nSam Okafor,,,\n",
    )
    run("import", "csv", str(path))
    write(
        path,
        "Name,Email,Company,Notes\nMaria Lopez,maria@example.org,Green Table,likes jazz\n"
        "Sam Okafor,,City Farms,\n",
    )
    out = run("import", "csv", str(path))
    assert "0 added, 2 updated" in out.stdout
    # Sam has no email or URL: matched by his exact name, and the summary says so.
    assert "Matched by name only" in out.stdout
    assert "line 3: Sam Okafor → #2" in out.stdout
    found = people(run)
    assert len(found) == 2
    assert found["Maria Lopez"]["org"] == "Green Table"
    assert found["Sam Okafor"]["org"] == "City Farms"
    # The same note is not added twice.
    assert len(run("show", "Maria Lopez", "--json").json()["notes"]) == 1
    out = run("import", "csv", str(path))
    assert "0 added, 0 updated, 2 already up to date" in out.stdout


def test_matching_by_email_adds_new_emails_phones_and_tags(run, tmp_path):
    run("add", "Maria Lopez", "--email", "maria@example.org", "--org", "Green Table")
    path = write(
        tmp_path / "c.csv",
        "Name,Email,Email 2,Phone,Company,Tags\n"
        "M. Lopez,MARIA@example.org,m@greentable.org,+1 555,Other Org,food\n",
    )
    run("import", "csv", str(path))
    [maria] = run("list", "--json").json()
    assert maria["name"] == "Maria Lopez"  # a match never renames
    assert maria["emails"] == ["maria@example.org", "m@greentable.org"]
    assert maria["phones"] == ["+1 555"]
    assert maria["org"] == "Green Table"  # not empty: kept
    assert maria["tags"] == ["food"]
    assert [person["id"] for person in run("find", "food", "--json").json()] == [maria["id"]]


def test_a_name_shared_by_two_people_is_skipped_not_guessed(run, tmp_path):
    run("add", "Sam Okafor")
    run("add", "Sam Okafor", "--force")
    path = write(tmp_path / "c.csv", "Name,Phone\nSam Okafor,+1 555\n")
    out = run("import", "csv", str(path))
    assert "0 added" in out.stdout
    assert "2 people are already called 'Sam Okafor'" in out.stdout
    assert len(run("list", "--json").json()) == 2


def test_a_bad_row_rolls_back_the_whole_import(run, fails, tmp_path, isolated_database):
    run("add", "Someone Already There")
    before = dump_database(isolated_database)
    path = write(
        tmp_path / "c.csv",
        "Name,Email\nMaria Lopez,maria@example.org\nSam Okafor,sam@example.org\n"
        "Bad Row,not-an-email\nAnn Lee,\n,\n,nobody@\n",
    )
    message = fails("import", "csv", str(path))
    assert "c.csv line 4" in message
    assert "'not-an-email' does not look like an email address" in message
    assert "1 more row" in message
    assert "--skip-invalid" in message
    assert dump_database(isolated_database) == before
    out = run("import", "csv", str(path), "--skip-invalid")
    assert "3 added" in out.stdout
    assert "2 skipped" in out.stdout
    assert "line 4: 'not-an-email' does not look like an email address" in out.stdout
    assert "line 7: 'nobody@' does not look like an email address" in out.stdout
    assert set(people(run)) == {"Someone Already There", "Maria Lopez", "Sam Okafor", "Ann Lee"}


def test_dry_run_writes_nothing(run, tmp_path, isolated_database):
    run("add", "Maria Lopez", "--email", "maria@example.org")
    before = dump_database(isolated_database)
    path = write(
        tmp_path / "c.csv",
        "Name,Email,Company\nMaria Lopez,maria@example.org,Green Table\nSam Okafor,,\n",
    )
    out = run("import", "csv", str(path), "--dry-run")
    assert "Dry run: nothing was written" in out.stdout
    assert "would add 1, update 1" in out.stdout
    assert "Sam Okafor (line 3)" in out.stdout
    assert "#1 Maria Lopez (line 2): org" in out.stdout
    assert dump_database(isolated_database) == before


def test_file_problems_are_one_line(fails, tmp_path):
    assert "no file" in fails("import", "csv", str(tmp_path / "missing.csv"))
    assert "folder" in fails("import", "vcard", str(tmp_path))
    assert "empty" in fails("import", "csv", str(write(tmp_path / "empty.csv", "")))
    assert "no vCard" in fails("import", "vcard", str(write(tmp_path / "x.vcf", "hello\n")))


# --- vCard ---------------------------------------------------------------------------


def five_cards_one_broken() -> str:
    return (
        card("Maria Lopez", uid="u-1", email="maria@example.org")
        + card(
            "Sam Okafor", uid="u-2", extra="TEL;TYPE=cell:+1 555 0100\r\nTEL;TYPE=work:+1 555 0199"
        )
        # A component never closed: vobject cannot read the card at all. (A line that is
        # not a property is only left out: test_vcard_broken_properties_are_left_out.)
        + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken Card\r\nBEGIN:VEVENT\r\nEND:VCARD\r\n"
        + card(
            "Ann Lee",
            uid="u-4",
            extra="ORG:Seed Co;Research\r\nTITLE:Analyst\r\nCATEGORIES:finance,food",
        )
        + card(
            "Wei Chen",
            extra="BDAY:1990-03-14\r\nNOTE:Met at the forum\\, loved it\r\nURL:https://wei.example",
        )
    )


def test_vcard_with_a_broken_card(run, fails, tmp_path, isolated_database):
    path = write(tmp_path / "contacts.vcf", five_cards_one_broken())
    run("add", "Someone Already There")
    before = dump_database(isolated_database)
    message = fails("import", "vcard", str(path))
    assert "contacts.vcf card at line 14 (Broken Card)" in message
    assert "--skip-invalid" in message
    assert dump_database(isolated_database) == before
    out = run("import", "vcard", str(path), "--skip-invalid")
    assert "4 added" in out.stdout
    assert "card at line 14 (Broken Card): not a readable vCard" in out.stdout
    found = people(run)
    assert set(found) == {
        "Someone Already There",
        "Maria Lopez",
        "Sam Okafor",
        "Ann Lee",
        "Wei Chen",
    }
    assert found["Sam Okafor"]["phones"] == ["+1 555 0100", "+1 555 0199"]
    ann = found["Ann Lee"]
    assert (ann["org"], ann["role"], ann["tags"]) == ("Seed Co", "Analyst", ["finance", "food"])
    # ORG's second unit is the department: kept as a note.
    assert [n["text"] for n in run("show", "Ann Lee", "--json").json()["notes"]] == [
        "Department: Research"
    ]
    assert found["Wei Chen"]["birthday"] == "1990-03-14"
    assert found["Wei Chen"]["url"] == "https://wei.example"
    notes = run("show", "Wei Chen", "--json").json()["notes"]
    assert [note["text"] for note in notes] == ["Met at the forum, loved it"]
    assert found["Maria Lopez"]["source"] == "vcard:u-1"


def test_vcard_unclosed_card_is_reported(run, tmp_path):
    text = card("Maria Lopez") + "BEGIN:VCARD\nVERSION:4.0\nFN:Never Closed\n"
    path = write(tmp_path / "c.vcf", text)
    out = run("import", "vcard", str(path), "--skip-invalid")
    assert "1 added" in out.stdout
    assert "card at line 5 (Never Closed): the file ends before the card's END:VCARD" in out.stdout


def test_vcard_21_quoted_printable(run, tmp_path):
    text = (
        "BEGIN:VCARD\r\n"
        "VERSION:2.1\r\n"
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;Jos=C3=A9;;;\r\n"
        "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9 M=C3=BCller\r\n"
        "TEL;CELL:+49 30 1234\r\n"
        "TEL;WORK;VOICE:+49 30 5678\r\n"
        "EMAIL;PREF;INTERNET:jose@example.de\r\n"
        "EMAIL;INTERNET:jm@example.org\r\n"
        "NOTE;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9 owner, wants a =\r\n"
        "second site\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\n"
        "VERSION:2.1\r\n"
        "N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:G=F6k=E7e;Ay=FEe\r\n"
        "END:VCARD\r\n"
    )
    path = write(tmp_path / "phone.vcf", text)
    run("import", "vcard", str(path))
    found = people(run)
    jose = found["José Müller"]
    assert jose["emails"] == ["jose@example.de", "jm@example.org"]
    assert jose["phones"] == ["+49 30 1234", "+49 30 5678"]
    notes = run("show", "José Müller", "--json").json()["notes"]
    assert [note["text"] for note in notes] == ["Café owner, wants a second site"]
    assert "Ayþe Gökçe" in found


def test_vcard_40_forms(run, tmp_path):
    text = (
        "BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:abc\nFN:Hana Yusuf\n"
        "TEL;VALUE=uri;TYPE=cell:tel:+1-555-0100\nBDAY:--0314\n"
        "ADR;TYPE=home:;;Main Street 1;Springfield;IL;62701;USA\n"
        "BDAY:19800101\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:4.0\nFN:Text Birthday\nBDAY;VALUE=text:circa 1800\nEND:VCARD\n"
    )
    path = write(tmp_path / "v4.vcf", text)
    run("import", "vcard", str(path))
    found = people(run)
    hana = found["Hana Yusuf"]
    assert hana["phones"] == ["+1-555-0100"]
    assert hana["birthday"] == "--03-14"
    assert hana["location"] == "Springfield, IL, USA"
    notes = run("show", "Text Birthday", "--json").json()["notes"]
    assert [note["text"] for note in notes] == ["Birthday (as the file gave it): circa 1800"]


def test_vcard_reimport_adds_nobody_twice_and_fills_an_empty_field(run, tmp_path):
    path = write(tmp_path / "c.vcf", five_cards_one_broken())
    run("import", "vcard", str(path), "--skip-invalid")
    # Sam gains an email (matched by his UID), Wei (no UID, no email) a title.
    text = five_cards_one_broken().replace(
        "FN:Sam Okafor", "FN:Sam Okafor\r\nEMAIL:sam@example.org"
    )
    text = text.replace("URL:https://wei.example", "URL:https://wei.example\r\nTITLE:Cook")
    write(path, text)
    out = run("import", "vcard", str(path), "--skip-invalid")
    assert "0 added, 2 updated, 2 already up to date, 1 skipped" in out.stdout
    found = people(run)
    assert len(found) == 4
    assert found["Sam Okafor"]["emails"] == ["sam@example.org"]
    assert found["Wei Chen"]["role"] == "Cook"


@pytest.mark.slow
def test_the_khard_corpus_imports_without_a_traceback(run, tmp_path):
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "vcards-khard"
    files = sorted(corpus.glob("*.vcf"))
    if not files:
        pytest.skip("the shared corpus is not here")
    for path in files:
        outcome = run("import", "vcard", str(path), "--skip-invalid")
        if path.name == "unparsable.vcf":
            assert "1 skipped" in outcome.stdout
        else:
            assert "1 added" in outcome.stdout, (path.name, outcome.stdout)
    assert len(run("list", "--json").json()) == len(files) - 1


# --- JSON ------------------------------------------------------------------------------


def model_tables() -> list[str]:
    from sqlmodel import SQLModel

    import givenet.models  # noqa: F401

    # Not the candidates nor the vectors of meaning (bytes): derived, rebuilt on restore.
    derived = {"match_candidate", "ask_vector", "offer_vector"}
    return [t.name for t in SQLModel.metadata.sorted_tables if t.name not in derived]


def tables_of(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every model table as the export format holds it: rows as stored, by primary key."""
    connection = sqlite3.connect(path)
    try:
        result = {}
        for table in model_tables():
            info = connection.execute(f'PRAGMA table_info("{table}")').fetchall()
            keys = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
            cursor = connection.execute(
                f'SELECT * FROM "{table}" ORDER BY {", ".join(f"{k!r}" for k in keys)}'
            )
            columns = [column[0] for column in cursor.description]
            result[table] = [dict(zip(columns, row, strict=True)) for row in cursor]
        return result
    finally:
        connection.close()


def export_file(path: Path, tables: dict[str, list[dict[str, Any]]], **header: Any) -> Path:
    from givenet.migrations import LATEST_VERSION

    document = {
        "format": "givenet-export",
        "version": 1,
        "schema": LATEST_VERSION,
        "exported_at": "2026-01-02T03:04:05",
        "tables": tables,
    }
    document.update(header)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory) -> Path:
    return build_database(
        tmp_path_factory.mktemp("demo") / "givenet.db",
        [
            ("demo",),
            ("intro", "Tomás", "Amara", "--note", "supper club room"),
            ("config", "weight.promise", "9"),
            ("add", "José Müller", "--email", "jose@example.de", "--note", "ünïcode"),
        ],
    )


@pytest.mark.sqlite_only
def test_json_restores_every_table_with_its_ids(run, tmp_path, demo_database, isolated_database):
    tables = tables_of(demo_database)
    assert all(tables[name] for name in ("person", "meeting", "intro", "give", "setting"))
    path = export_file(tmp_path / "export.json", tables)
    out = run("import", "json", str(path))
    assert "Restored" in out.stdout
    assert tables_of(isolated_database) == tables
    # The search indexes and match candidates are rebuilt.
    assert run("find", "ünïcode", "--json").json()[0]["name"] == "José Müller"
    connection = sqlite3.connect(isolated_database)
    demo = sqlite3.connect(demo_database)
    try:
        assert (
            connection.execute("SELECT COUNT(*) FROM match_candidate").fetchone()
            == demo.execute("SELECT COUNT(*) FROM match_candidate").fetchone()
        )
    finally:
        connection.close()
        demo.close()


def test_json_dry_run_and_refusals(run, fails, tmp_path, demo_database, isolated_database):
    tables = tables_of(demo_database)
    path = export_file(tmp_path / "export.json", tables)
    run("add", "Someone")
    before = dump_database(isolated_database)
    message = fails("import", "json", str(path))
    assert "not empty (it holds 1 person)" in message
    assert "--merge" in message
    bad = export_file(tmp_path / "other.json", {}, format="something-else")
    assert "not a givenet export" in fails("import", "json", str(bad))
    newer = export_file(tmp_path / "newer.json", {}, schema=999)
    assert "newer givenet (schema 999" in fails("import", "json", str(newer))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert "not JSON" in fails("import", "json", str(broken))
    assert dump_database(isolated_database) == before


def test_json_dry_run_into_an_empty_database(run, tmp_path, demo_database, isolated_database):
    path = export_file(tmp_path / "export.json", tables_of(demo_database))
    create_empty(isolated_database)
    before = dump_database(isolated_database)
    out = run("import", "json", str(path), "--dry-run")
    assert "would restore" in out.stdout
    assert dump_database(isolated_database) == before


@pytest.mark.sqlite_only
def test_json_with_a_broken_row_writes_nothing(run, fails, tmp_path, isolated_database):
    tables = {
        "person": [
            {"id": 1, "name": "Maria", "key": "maria", "circle": "inner", "new_to_field": 0,
             "no_intros": 0, "created_at": "2026-01-01 00:00:00.000000"},
        ],
        "email": [{"id": 1, "person_id": 7, "address": "x@example.org", "key": "x@example.org",
                   "position": 0}],
    }  # fmt: skip
    create_empty(isolated_database)
    before = dump_database(isolated_database)
    message = fails("import", "json", str(export_file(tmp_path / "e.json", tables)))
    assert "table email, row 1" in message
    assert "FOREIGN KEY" in message
    assert dump_database(isolated_database) == before
    tables["email"][0]["person_id"] = 1
    tables["email"][0]["colour"] = "blue"
    assert "unknown column 'colour'" in fails(
        "import", "json", str(export_file(tmp_path / "e.json", tables))
    )


@pytest.mark.sqlite_only
@pytest.mark.slow
def test_json_merge_adds_people_once(run, tmp_path, demo_database, isolated_database):
    path = export_file(tmp_path / "export.json", tables_of(demo_database))
    run("add", "Amara Okafor", "--email", "someone.else@example.org")
    run("add", "José Müller", "--email", "jose@example.de")
    out = run("import", "json", str(path), "--merge")
    demo_people = tables_of(demo_database)["person"]
    # José matches by email and gains his note; the other Amara has another email, so the
    # export's Amara is someone new (a name alone matches only a row with no email or URL).
    assert f"{len(demo_people) - 1} added, 1 updated, 0 already up to date" in out.stdout
    assert "José Müller (person #9): 1 note" in out.stdout
    assert "1 new person shares a name" in out.stdout
    found = run("list", "--json").json()
    assert len(found) == len(demo_people) + 1
    assert {person["name"] for person in demo_people} <= {person["name"] for person in found}
    # The history comes too: every meeting and ledger line of the file, once.
    demo = tables_of(demo_database)
    connection = sqlite3.connect(isolated_database)
    try:
        for table in ("meeting", "meeting_person", "promise", "intro", "give", "event"):
            (count,) = connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
            assert count == len(demo[table]), table
    finally:
        connection.close()
    asks = run("asks", "--all", "--json").json()
    offers = run("offers", "--all", "--json").json()
    assert len(asks) == len(tables_of(demo_database)["ask"])
    assert len(offers) == len(tables_of(demo_database)["offer"])
    # Again: nobody, no ask and no offer twice.
    out = run("import", "json", str(path), "--merge")
    assert f"0 added, 0 updated, {len(demo_people)} already up to date" in out.stdout
    assert "Also merged" not in out.stdout
    assert len(run("list", "--json").json()) == len(found)
    assert len(run("asks", "--all", "--json").json()) == len(asks)
    # Merged asks and offers are matched like any other.
    assert run("match", "--json").json()


# --- large files -------------------------------------------------------------------------


@pytest.mark.sqlite_only
@pytest.mark.slow
def test_ten_thousand_linkedin_rows(run, tmp_path, isolated_database):
    path = tmp_path / "Connections.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write(LINKEDIN_PREAMBLE)
        writer = csv.writer(handle)
        writer.writerow(LINKEDIN_HEADER.strip().split(","))
        for number in range(10_000):
            email = f"person{number}@example.org" if number % 3 == 0 else ""
            writer.writerow(
                [f"First{number}", f"Last{number % 97}", f"https://www.linkedin.com/in/p{number}",
                 email, f"Company {number % 500}", "Founder", f"{number % 28 + 1} Mar 2024"]
            )  # fmt: skip
    out = run("import", "linkedin", str(path))
    assert "10000 added" in out.stdout
    out = run("import", "linkedin", str(path))
    assert "0 added, 0 updated, 10000 already up to date" in out.stdout
    connection = sqlite3.connect(isolated_database)
    try:
        assert connection.execute("SELECT COUNT(*) FROM person").fetchone() == (10_000,)
        assert connection.execute("SELECT COUNT(*) FROM person_fts").fetchone() == (10_000,)
        assert connection.execute("SELECT COUNT(*) FROM meeting").fetchone() == (0,)
    finally:
        connection.close()
    assert run("due", "--json").json() == []


def test_outlook_title_is_not_a_role_next_to_job_title(run, tmp_path):
    path = write(
        tmp_path / "outlook.csv",
        "First Name,Middle Name,Last Name,Title,Company,Job Title,E-mail Address,"
        "E-mail 2 Address,E-mail Display Name,Mobile Phone,Business Phone,Categories\n"
        "Grace,,Lin,Dr,Civic Futures Fund,,grace@civic.example,g.lin@example.org,"
        "Grace Lin (grace@civic.example),+1 555 0100,+1 555 0111,Grants;Funders\n",
    )
    run("import", "csv", str(path))
    grace = people(run)["Grace Lin"]
    assert grace["role"] is None
    assert grace["emails"] == ["grace@civic.example", "g.lin@example.org"]
    assert grace["phones"] == ["+1 555 0100", "+1 555 0111"]
    assert grace["tags"] == ["Funders", "Grants"]


def test_vcard_commas_are_kept(run, tmp_path):
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Lopez, Maria\nTITLE:Founder, CEO\n"
        "NOTE:Call her back, then send the deck\\, twice\nEND:VCARD\n"
    )
    run("import", "vcard", str(write(tmp_path / "c.vcf", text)))
    maria = people(run)["Lopez, Maria"]
    assert maria["role"] == "Founder, CEO"
    notes = run("show", "Lopez, Maria", "--json").json()["notes"]
    assert [note["text"] for note in notes] == ["Call her back, then send the deck, twice"]


@pytest.mark.sqlite_only
def test_a_card_givenet_exported_matches_its_person(run, tmp_path, isolated_database):
    exporting = pytest.importorskip("givenet.store.exporting")
    run("add", "Hana Yusuf", "--note", "no email, no url")
    connection = sqlite3.connect(isolated_database)
    try:
        person_id, created_at = connection.execute("SELECT id, created_at FROM person").fetchone()
    finally:
        connection.close()
    uid = exporting.person_uid(person_id, created_at)
    text = f"BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:{uid}\nFN:Hana Yusuf\nTITLE:Cook\nEND:VCARD\n"
    out = run("import", "vcard", str(write(tmp_path / "export.vcf", text)))
    assert "0 added, 1 updated" in out.stdout
    [hana] = run("list", "--json").json()
    assert hana["role"] == "Cook"


@pytest.mark.parametrize(
    "person",
    [
        {"birthday": "--13-45"},
        {"circle": "bestie"},
        {"snoozed_until": "someday"},
        {"id": 99999999999999999999},
    ],
)
@pytest.mark.slow
def test_json_restore_refuses_rows_givenet_could_not_have_written(
    fails, tmp_path, isolated_database, person
):
    row = {"id": 1, "name": "Ann", "key": "ann", "circle": "acquaintance", "new_to_field": 0,
           "no_intros": 0, "created_at": "2026-01-01 00:00:00", **person}  # fmt: skip
    document = {"format": "givenet-export", "version": 1, "schema": 1,
                "exported_at": "2026-01-01T00:00:00+00:00", "tables": {"person": [row]}}  # fmt: skip
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    fails("import", "json", str(path))


@pytest.mark.parametrize("encoding", ["rot13", "base64", "no-such-codec"])
def test_an_encoding_that_is_not_text_is_one_line(fails, tmp_path, encoding):
    path = tmp_path / "people.csv"
    path.write_text("Name\nAnn\n")
    assert "unknown encoding" in fails("import", "csv", str(path), "--encoding", encoding)


def test_utf16_without_a_bom_is_one_line(fails, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(b"Name\nAnn\n")
    fails("import", "csv", str(path), "--encoding", "utf-16")


def test_apples_year_1604_means_no_year(run, tmp_path):
    """Apple Contacts writes a birthday without a year as 1604; the marker alone says so,
    even where its X-APPLE-OMIT-YEAR parameter was lost (a re-saved card, a CSV)."""
    cards = card("Hana Yusuf", extra="BDAY:1604-03-14") + card(
        "Omar Haddad", extra="BDAY;X-APPLE-OMIT-YEAR=1604:1604-11-02"
    )
    run("import", "vcard", str(write(tmp_path / "apple.vcf", cards)))
    spreadsheet = "Name,Birthday\nWei Chen,1604-07-09\nAnn Lee,1990-07-09\n"
    run("import", "csv", str(write(tmp_path / "apple.csv", spreadsheet)))
    found = people(run)
    assert found["Hana Yusuf"]["birthday"] == "--03-14"
    assert found["Omar Haddad"]["birthday"] == "--11-02"
    assert found["Wei Chen"]["birthday"] == "--07-09"
    assert found["Ann Lee"]["birthday"] == "1990-07-09"


def test_import_matches_a_url_with_or_without_www(run, tmp_path):
    """URLs are compared without scheme, ``www.``, case or a trailing slash."""
    run("add", "M. Lopez", "--url", "https://www.linkedin.com/in/marialopez")
    run("add", "S. Okafor", "--url", "http://linkedin.com/in/samokafor")
    rows = (
        "Maria,Lopez,https://linkedin.com/in/MariaLopez/,,Green Table,Founder,12 Mar 2024\n"
        "Sam,Okafor,https://www.linkedin.com/in/samokafor,,City Farms,Director,03 Jan 2023\n"
    )
    path = write(tmp_path / "Connections.csv", LINKEDIN_PREAMBLE + LINKEDIN_HEADER + rows)
    assert "0 added, 2 updated" in run("import", "linkedin", str(path)).stdout
    found = people(run)
    assert sorted(found) == ["M. Lopez", "S. Okafor"]
    assert found["M. Lopez"]["org"] == "Green Table"
    assert found["M. Lopez"]["url"] == "https://www.linkedin.com/in/marialopez"


@pytest.mark.sqlite_only
@pytest.mark.slow
def test_people_written_in_bulk_are_the_rows_one_at_a_time_writes(
    run, tmp_path, isolated_database, monkeypatch
):
    """On SQLite an import gives new people their ids itself and writes them, their
    emails, phones and tags with executemany (store.importing.Importer.flush): the same
    ids, rows and summary as one statement a row with RETURNING (PostgreSQL's way)."""
    import shutil

    from givenet.store import importing

    run("add", "Maria Lopez", "--email", "maria@example.org", "--tag", "food")
    run("add", "Sam Okafor")
    run("add", "Gone Person", "--email", "gone@example.org")
    run("forget", "Gone Person", "--yes")  # the largest id is free again: SQLite reuses it
    path = write(
        tmp_path / "c.csv",
        "Name,Email,Email 2,Phone,Company,Tags,Notes\n"
        'Ana Silva,ana@x.org,ana2@x.org,+1 555,Org A,"food, Ünïcode",met at the fair\n'
        "Bo Chen,bo@x.org,,,,food,\n"
        "A. Silva,ANA2@x.org,ana3@x.org,+1 556,,jazz,\n"  # Ana again, by her second email
        "M. Lopez,maria@example.org,m@green.org,+1 557,Green,urban,likes jazz\n"
        "Sam Okafor,,,+1 558,City Farms,,\n"  # by his name only
        "Cy Dube,bo@x.org,cy@x.org,,,,\n"  # Bo's email: Bo gains cy@x.org
        "Dee 日本,,,,,,first note\n"
        'Eve "Q",eve@x.org,,+1 559,,food,\n',
    )
    before = tmp_path / "before.db"
    shutil.copy(isolated_database, before)
    monkeypatch.setattr(importing, "_stamp", lambda: "2026-12-01 10:00:00.000000")
    outcomes = []
    for given_here in (True, False):
        shutil.copy(before, isolated_database)
        monkeypatch.setattr(importing, "_ids_given_here", lambda db, given=given_here: given)
        out = run("import", "csv", str(path)).stdout
        outcomes.append((out, dump_database(isolated_database)))
    assert outcomes[0] == outcomes[1]
    out, tables = outcomes[0]
    assert "4 added, 2 updated" in out  # two rows are for people the file added
    assert [row[:2] for row in sorted(tables["person"])] == [
        (1, "Maria Lopez"), (2, "Sam Okafor"), (3, "Ana Silva"), (4, "Bo Chen"),
        (5, "Dee 日本"), (6, 'Eve "Q"'),
    ]  # fmt: skip
    emails = sorted((row[1], row[2], row[4]) for row in tables["email"])
    assert (3, "ana3@x.org", 2) in emails and (4, "cy@x.org", 1) in emails


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_an_import_of_contacts_loads_no_sqlalchemy(isolated_database):
    # Its plain inserts run on a plain connection (core.network.writing_sql): SQLAlchemy
    # and the models were 0.3 s and 22 MiB of an import of 10,000 LinkedIn rows.
    from conftest import heavy_modules_after

    data = Path(__file__).parent / "data"
    commands = [
        ["import", "linkedin", str(data / "linkedin-2018.csv")],
        ["import", "vcard", str(data / "vcard-escapes.vcf")],
        ["import", "csv", str(data / "google-contacts.csv")],
        ["list"],
    ]
    printed, heavy = heavy_modules_after(isolated_database, commands)
    assert printed.count("Imported") == 3
    assert heavy == []
    members = sqlite3.connect(isolated_database).execute("SELECT name FROM member").fetchall()
    assert len(members) == 1  # the import listed who wrote it, as a session's write does

"""`givenet export json|csv|vcard|ics`: formats read back by their parsers, files written safely."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import givenet.models  # noqa: F401  (registers every table on SQLModel.metadata)
from conftest import (
    TODAY,
    build_database,
    create_empty,
    days_ago,
    days_ahead,
    dump_database,
    install_copy,
)
from givenet.core.network import Network, reading
from givenet.migrations import LATEST_VERSION
from givenet.store.exporting import PersonPlan, person_plan
from givenet.store.tables import DERIVED_TABLES, exported_tables

pytestmark = pytest.mark.engines

# Tables that hold nothing on any one person: `export --person` leaves them out.
# A new table must be reached by `--person` through its foreign keys or be named here.
NOT_PERSON_RELATED = {
    "setting", "me_tag", "event_tag", "match_candidate", "person_touch", "member",
    "ask_vector", "offer_vector",
}  # fmt: skip

SCHEMA_TABLES = {table.name for table in SQLModel.metadata.sorted_tables}


def sqlite_rows(path: Path, table: str) -> list[dict[str, object]]:
    """The rows as the stdlib driver reads them, in primary-key order."""
    keys = [column.name for column in SQLModel.metadata.tables[table].primary_key.columns]
    order = ", ".join(f'"{key}"' for key in keys)
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute(f"SELECT * FROM {table} ORDER BY {order}")]
    finally:
        connection.close()


def user_tables(path: Path) -> set[str]:
    """Every real table in the file, without FTS indexes and the migrations' own record."""
    connection = sqlite3.connect(path)
    try:
        names = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%' "
                "AND name NOT LIKE 'sqlite_%'"  # SQLite's own, e.g. the planner's statistics
            )
        }
        fts = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE sql LIKE '%VIRTUAL%'"
            )
        }
    finally:
        connection.close()
    return {
        name
        for name in names
        if name != "schema_migration" and not any(name.startswith(f"{v}_") for v in fts)
    }


def full_person(name: str, secret: str, other: str) -> list[tuple[str, ...]]:
    """Commands giving a person a row in every table that can hold something on them."""
    return [
        ("add", name, "--email", f"{secret.lower()}@example.com", "--phone", "+1 555 0100",
         "--tag", f"{secret} tag", "--org", f"{secret} org"),
        ("note", name, f"{secret} note"),
        ("event", "add", f"{secret} Summit", "--on", days_ago(10), "--topic", f"{secret} topic"),
        ("event", "attend", f"{secret} Summit", name),
        ("log", name, "--on", days_ago(10), "--event", f"{secret} Summit",
         "--note", f"{secret} meeting", "--next", f"{secret} promise", "--by", days_ahead(3)),
        ("ask", name, f"{secret} ask", "--tag", f"{secret} asktag"),
        ("offer", name, f"{secret} offer", "--tag", f"{secret} offertag"),
        ("got", name, f"{secret} gift"),
        ("intro", name, other, "--note", "you two should meet"),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def two_people_template(tmp_path_factory):
    commands = [
        ("add", "Zed Other"),
        *full_person("Ada Full", "ADA", "Zed Other"),
        *full_person("Bea Second", "BEA", "Zed Other"),
        ("match", "--not-a-fit", "2", "1"),  # Bea's ask, Ada's offer
        ("me", "--value", "mine"),
        ("config", "weight.reach", "2"),
    ]
    return build_database(tmp_path_factory.mktemp("export") / "givenet.db", commands)


@pytest.fixture
def two_people(two_people_template, isolated_database):
    return install_copy(two_people_template, isolated_database)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("demo") / "givenet.db", [("demo",)])


# --- json ---------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_json_export_is_every_table_as_stored(run, two_people, isolated_database):
    document = run("export", "json").json()
    assert document["format"] == "givenet-export"
    assert document["version"] == 1
    assert document["schema"] == LATEST_VERSION
    exported_at = datetime.fromisoformat(document["exported_at"])
    assert exported_at.utcoffset() == timedelta(0)
    assert "person" not in document
    tables = document["tables"]
    assert set(tables) == SCHEMA_TABLES - DERIVED_TABLES
    assert set(tables) == user_tables(isolated_database) - DERIVED_TABLES
    for table, exported in tables.items():
        assert exported == sqlite_rows(isolated_database, table), table
    assert {row["name"] for row in tables["person"]} == {"Zed Other", "Ada Full", "Bea Second"}
    assert all(row["new_to_field"] in (0, 1) for row in tables["person"])
    assert [row["key"] for row in tables["setting"]] == ["weight.reach"]


def test_json_export_of_an_empty_database(run, isolated_database):
    create_empty(isolated_database)
    document = run("export", "json").json()
    assert document["tables"]["person"] == []
    assert set(document["tables"]) == SCHEMA_TABLES - DERIVED_TABLES


@pytest.mark.slow
def test_json_rows_are_ordered_by_primary_key(run):
    for name in ("Carol", "Alice", "Bob"):
        run("add", name, "--tag", name.lower())
    run("edit", "Carol", "--tag", "later")  # inserted last, exported with Carol's other tag
    tables = run("export", "json").json()["tables"]
    assert [row["id"] for row in tables["person"]] == [1, 2, 3]
    pairs = [(row["person_id"], row["tag_id"]) for row in tables["person_tag"]]
    assert pairs == [(1, 1), (1, 4), (2, 2), (3, 3)]


@pytest.mark.sqlite_only
def test_person_export_holds_their_rows_and_nobody_elses(run, two_people):
    document = run("export", "json", "--person", "Ada").json()
    tables = document["tables"]
    ada = tables["person"][0]["id"]
    assert document["person"] == ada
    assert [row["name"] for row in tables["person"]] == ["Ada Full"]
    text = json.dumps(document)
    assert "BEA" not in text and "bea@" not in text
    for table in ("email", "phone", "person_tag", "event_attendee", "meeting_person", "note",
                  "promise", "ask", "offer", "give"):  # fmt: skip
        assert tables[table], table
        assert {row["person_id"] for row in tables[table]} == {ada}, table
    assert all(ada in (row["person_a_id"], row["person_b_id"]) for row in tables["intro"])
    assert [row["note"] for row in tables["meeting"]] == ["ADA meeting"]
    assert [row["name"] for row in tables["event"]] == ["ADA Summit"]
    assert {row["name"] for row in tables["tag"]} == {"ADA tag", "ADA asktag", "ADA offertag"}
    assert {row["ask_id"] for row in tables["ask_tag"]} == {tables["ask"][0]["id"]}
    assert {row["offer_id"] for row in tables["offer_tag"]} == {tables["offer"][0]["id"]}
    assert not set(tables) & NOT_PERSON_RELATED


def plan_of(database: Path | str) -> PersonPlan:
    """`--person`'s plan, from the schema of a new database."""
    create_empty(database)
    with reading(Network(database)) as connection:
        return person_plan(connection)


def test_the_database_describes_its_tables_as_the_models_do(isolated_database):
    """The export and the restore read the tables from the schema, not the models: the
    same tables, in the same order, with the same columns, keys and references."""
    create_empty(isolated_database)
    with reading(Network(isolated_database)) as connection:
        described = exported_tables(connection)
    models = [t for t in SQLModel.metadata.sorted_tables if t.name not in DERIVED_TABLES]
    assert [table.name for table in described] == [table.name for table in models]
    for table, model in zip(described, models, strict=True):
        kinds = {column.name: type(column.type).__name__ for column in model.columns}
        assert set(table.columns) == set(kinds), table.name
        assert table.key == tuple(column.name for column in model.primary_key.columns)
        assert table.integers == {name for name, kind in kinds.items() if kind == "Integer"}
        assert table.booleans == {name for name, kind in kinds.items() if kind == "Boolean"}
        references = {
            (fk.parent.name, fk.column.table.name, fk.column.name, fk.ondelete or "NO ACTION")
            for fk in model.foreign_keys
        }
        assert {
            (ref.column, ref.table, ref.to, ref.on_delete) for ref in table.references
        } == references, table.name


def test_every_table_is_exported_by_person_or_named_as_unrelated(isolated_database):
    """The table walker: a table added later is either reached by --person or listed here."""
    plan = plan_of(isolated_database)
    assert not set(plan.tables) & NOT_PERSON_RELATED
    unhandled = SCHEMA_TABLES - set(plan.tables) - NOT_PERSON_RELATED
    assert unhandled == set(), (
        f"tables neither exported by `export --person` nor in NOT_PERSON_RELATED: {unhandled}"
    )
    assert NOT_PERSON_RELATED <= SCHEMA_TABLES, "NOT_PERSON_RELATED names a table that is gone"
    # Every table with a foreign key to person holds that person's rows.
    for table in SQLModel.metadata.sorted_tables:
        if any(fk.column.table.name == "person" for fk in table.foreign_keys):
            assert table.name in plan.owned or table.name in DERIVED_TABLES, table.name


@pytest.mark.sqlite_only
def test_person_export_has_rows_in_every_table_it_covers(run, two_people, isolated_database):
    tables = run("export", "json", "--person", "Bea").json()["tables"]
    assert set(tables) == set(plan_of(isolated_database).tables)
    empty = [name for name, found in tables.items() if not found]
    assert empty == [], f"a person with everything left these tables empty: {empty}"


def test_unknown_person_is_a_clear_error(run, fails):
    run("add", "Maria Lopez")
    for kind in ("json", "csv", "vcard", "ics"):
        assert "no person called 'Nobody'" in fails("export", kind, "--person", "Nobody")


# --- csv ----------------------------------------------------------------------------


def test_csv_guards_formulas_and_joins_emails(run):
    run("add", "=SUM(A1)", "--phone", "+1 555 0100", "--tag", "-minus")
    run(
        "add", "Maria Lopez", "--email", "maria@example.com", "--email", "m.lopez@work.example",
        "--org", "@home", "--tag", "food", "--tag", "farming", "--birthday", "--04-12",
        "--circle", "active", "--cadence", "21d", "--note", "Line one, with a comma",
    )  # fmt: skip
    out = run("export", "csv").stdout
    records = list(csv.DictReader(io.StringIO(out)))
    assert list(records[0]) == [
        "Name", "Email", "Phone", "Company", "Title", "Location", "URL", "Tags", "Circle",
        "Cadence", "Birthday", "Notes",
    ]  # fmt: skip
    by_name = {record["Name"]: record for record in records}
    formula = by_name["'=SUM(A1)"]
    assert formula["Phone"] == "'+1 555 0100"
    assert formula["Tags"] == "'-minus"
    maria = by_name["Maria Lopez"]
    assert maria["Email"] == "maria@example.com; m.lopez@work.example"
    assert maria["Company"] == "'@home"
    assert maria["Tags"] == "farming; food"
    assert maria["Circle"] == "active" and maria["Cadence"] == "21"
    assert maria["Birthday"] == "'--04-12"
    assert maria["Notes"].endswith(": Line one, with a comma")
    for record in records:
        for value in record.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_of_one_person(run):
    run("add", "Maria Lopez", "--email", "maria@example.com")
    run("add", "Sam Lee", "--email", "sam@example.com")
    records = list(csv.DictReader(io.StringIO(run("export", "csv", "--person", "Sam").stdout)))
    assert [(r["Name"], r["Email"]) for r in records] == [("Sam Lee", "sam@example.com")]


# --- vcard --------------------------------------------------------------------------


@pytest.mark.slow
def test_vcards_read_back_with_vobject(run, tmp_path):
    import vobject

    long_note = "Zürich, café; straße \\ backslash — " * 8
    run(
        "add", "José Müller-Łukasiewicz", "--email", "jose@example.com", "--email",
        "jm@work.example", "--phone", "+41 44 123 45 67", "--phone", "079 555 12 12",
        "--org", "Müller, Söhne; & Co", "--role", "Chef; owner", "--tag", "urban farming",
        "--tag", "food, drink", "--birthday", "1985-04-12", "--url", "https://example.com/a,b",
        "--note", long_note,
    )  # fmt: skip
    run("add", "Lopez, Maria", "--phone", "+1 555 0142", "--birthday", "--12-03")
    run("add", "王小明", "--email", "wang@example.cn")
    run("add", "Plain")
    target = tmp_path / "cards.vcf"
    run("export", "vcard", "-o", str(target))
    raw = target.read_bytes()
    assert raw.endswith(b"END:VCARD\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    out = raw.decode("utf-8")
    assert out == run("export", "vcard").stdout.replace("\n", "\r\n")
    cards = list(vobject.readComponents(out))
    assert len(cards) == 4
    by_name = {card.fn.value: card for card in cards}
    assert set(by_name) == {"José Müller-Łukasiewicz", "Lopez, Maria", "王小明", "Plain"}
    jose = by_name["José Müller-Łukasiewicz"]
    assert jose.version.value == "4.0"
    assert [e.value for e in jose.contents["email"]] == ["jose@example.com", "jm@work.example"]
    assert jose.contents["email"][0].params.get("PREF") == ["1"]
    assert [t.value for t in jose.contents["tel"]] == ["+41 44 123 45 67", "079 555 12 12"]
    assert jose.org.value == ["Müller, Söhne; & Co"]
    assert jose.title.value == "Chef; owner"
    assert jose.url.value == "https://example.com/a,b"
    assert jose.bday.value == "19850412"
    assert sorted(jose.categories.value) == ["food, drink", "urban farming"]
    assert long_note.strip() in jose.note.value
    assert jose.n.value.family == "Müller-Łukasiewicz" and jose.n.value.given == "José"
    maria = by_name["Lopez, Maria"]
    assert maria.n.value.family == "Lopez" and maria.n.value.given == "Maria"
    assert maria.bday.value == "--1203"
    assert [t.value for t in maria.contents["tel"]] == ["+1 555 0142"]
    assert [e.value for e in by_name["王小明"].contents["email"]] == ["wang@example.cn"]
    uids = [card.uid.value for card in cards]
    assert all(uid.startswith("urn:uuid:") for uid in uids) and len(set(uids)) == 4
    again = list(vobject.readComponents(run("export", "vcard").stdout))
    assert [card.uid.value for card in again] == uids  # stable from one export to the next


def test_vcard_of_one_person(run):
    import vobject

    run("add", "Maria Lopez")
    run("add", "Sam Lee")
    cards = list(vobject.readComponents(run("export", "vcard", "--person", "#2").stdout))
    assert [card.fn.value for card in cards] == ["Sam Lee"]


# --- ics ----------------------------------------------------------------------------


def calendar_events(text: str) -> list[dict[str, object]]:
    from icalendar import Calendar

    calendar = Calendar.from_ical(text)
    return [
        {
            "uid": str(event["UID"]),
            "summary": str(event["SUMMARY"]),
            "description": str(event["DESCRIPTION"]),
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
        }
        for event in calendar.walk("VEVENT")
    ]


@pytest.mark.sqlite_only
@pytest.mark.slow
def test_ics_of_the_demo_has_hanas_follow_up(run, demo_template, isolated_database):
    install_copy(demo_template, isolated_database)
    events = calendar_events(run("export", "ics").stdout)
    follow_up = [e for e in events if e["summary"] == "Follow up: Hana Yusuf"]
    assert len(follow_up) == 1
    assert follow_up[0]["start"] == TODAY
    assert follow_up[0]["end"] == TODAY + timedelta(days=1)
    assert "follow up" in str(follow_up[0]["description"])
    summaries = [e["summary"] for e in events]
    assert "Keep your promise: Priya Nair" in summaries
    assert "Check in: Amara Okafor" in summaries
    assert len(summaries) == len(set(summaries))  # one event per person and action kind
    assert all(TODAY <= e["start"] < TODAY + timedelta(days=30) for e in events)
    assert len({e["uid"] for e in events}) == len(events)
    again = calendar_events(run("export", "ics").stdout)
    assert [e["uid"] for e in again] == [e["uid"] for e in events]
    only_hana = calendar_events(run("export", "ics", "--person", "Hana").stdout)
    assert {e["summary"].split(": ")[1] for e in only_hana} == {"Hana Yusuf"}


@pytest.mark.slow
def test_ics_puts_future_promises_and_check_ins_on_their_day(run):
    run("add", "Priya Nair", "--on", days_ago(40))
    run("log", "Priya", "--on", days_ago(40), "--next", "send the deck", "--by", days_ahead(5))
    run("add", "Omar Haddad", "--circle", "inner", "--on", days_ago(10))
    events = {e["summary"]: e for e in calendar_events(run("export", "ics").stdout)}
    assert events["Keep your promise: Priya Nair"]["start"] == TODAY + timedelta(days=5)
    assert "send the deck" in str(events["Keep your promise: Priya Nair"]["description"])
    assert events["Check in: Omar Haddad"]["start"] == TODAY + timedelta(days=5)
    short = calendar_events(run("export", "ics", "--days", "5").stdout)
    assert short == []


def test_ics_days_must_be_positive(run):
    assert run("export", "ics", "--days", "0", code=2).exit_code == 2


# --- files --------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_output_file_is_owner_only_and_never_overwritten_without_force(run, fails, tmp_path):
    run("add", "Maria Lopez")
    target = tmp_path / "out.json"
    result = run("export", "json", "-o", str(target))
    assert result.stdout == ""
    assert "Exported 1 person" in result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text())["tables"]["person"][0]["name"] == "Maria Lopez"
    run("add", "Sam Lee")
    before = target.read_bytes()
    assert "already exists" in fails("export", "json", "-o", str(target))
    assert target.read_bytes() == before
    run("export", "json", "-o", str(target), "--force")
    assert len(json.loads(target.read_text())["tables"]["person"]) == 2
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["data", "out.json"]  # no temporary file left


def test_force_replaces_a_readable_file_with_an_owner_only_one(run, tmp_path):
    run("add", "Maria Lopez")
    target = tmp_path / "people.vcf"
    target.write_text("old")
    target.chmod(0o644)
    run("export", "vcard", "-o", str(target), "--force")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text().startswith("BEGIN:VCARD")


@pytest.mark.slow
def test_every_format_writes_files(run, tmp_path):
    run("add", "Maria Lopez", "--circle", "inner")
    for kind in ("json", "csv", "vcard", "ics"):
        target = tmp_path / f"out.{kind}"
        run("export", kind, "-o", str(target))
        assert target.stat().st_size > 0 and stat.S_IMODE(target.stat().st_mode) == 0o600


def test_bad_output_paths_are_errors(run, fails, tmp_path):
    assert "does not exist" in fails("export", "csv", "-o", str(tmp_path / "no" / "x.csv"))
    assert "is a folder" in fails("export", "csv", "-o", str(tmp_path))


def test_dash_means_standard_output(run):
    run("add", "Maria Lopez")
    assert run("export", "csv", "-o", "-").stdout.startswith("Name,Email")


@pytest.mark.sqlite_only
def test_exporting_writes_nothing_to_the_database(run, two_people, isolated_database):
    before = dump_database(isolated_database)
    for kind in ("json", "csv", "vcard", "ics"):
        run("export", kind)
    assert dump_database(isolated_database) == before


@pytest.mark.slow
def test_a_leap_day_birthday_exports(run):
    run("add", "Leap Day", "--birthday", "2000-02-29", "--circle", "wide")
    assert "BDAY:20000229" in run("export", "vcard").stdout
    assert run("export", "ics", "--days", "366").exit_code == 0


@pytest.mark.slow
def test_ics_leaves_a_snoozed_person_out_until_the_snooze_ends(run):
    run("add", "Omar Haddad", "--circle", "inner")
    run("snooze", "Omar", "--until", days_ahead(10))
    events = calendar_events(run("export", "ics").stdout)
    assert [(e["summary"], e["start"]) for e in events] == [
        ("Check in: Omar Haddad", TODAY + timedelta(days=10))
    ]


@pytest.mark.sqlite_only
def test_json_export_to_a_file_streams_the_same_text(run, two_people, tmp_path, monkeypatch):
    """-o writes the rows as it reads them (issue 16: 1.78 GiB at 100,000 people when the
    text was built first); the file is the text standard output gets, byte for byte."""
    from givenet.exporters import json as json_format

    shown = run("export", "json").stdout
    monkeypatch.setattr(json_format, "dumps", None)  # the file's path must not build the text
    target = tmp_path / "backup.json"
    done = run("export", "json", "-o", str(target))
    assert "Exported 3 people" in done.stdout + done.stderr
    written = target.read_text(encoding="utf-8")
    stamp = re.compile(r'"exported_at": "[^"]*"')
    assert stamp.sub("", written) == stamp.sub("", shown)
    assert target.stat().st_mode & 0o777 == 0o600


class _Batches:
    def __init__(self, columns: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
        self.columns, self.rows = columns, rows

    def read(self) -> tuple[tuple[str, ...], object]:
        return self.columns, iter([self.rows[:2], self.rows[2:]])


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "rows",
    [
        [
            (1, "plain", None, 0.1),
            (2, 'a "quote", a \\ and ]\x00[', 3, -2.5e-300),
            (3, "100% {x}, \n\t\x00 é 🙂", 10**20, 1e16),
            (4, "", -7, 0.0),
        ],
        [(1, [1, 2], None, 1.0), (2, {"a": [3, 4]}, "x", 2.0), (3, "]\x00[", 0, 3.0)],
        [(1, "one", None, 1.5)],
    ],
    ids=["scalars", "not scalars", "one row"],
)
def test_batched_rows_give_the_text_of_one_dict_a_row(rows):
    """The whole-database export encodes a batch of rows at once and splits it at NULs;
    each line is still what the encoder gives that row as a dict (issue 16)."""
    from givenet.exporters import json as json_format

    columns = ("id", "te%st", 'q"uote', "é")
    as_dicts = [dict(zip(columns, row, strict=True)) for row in rows]
    stamp = datetime(2026, 1, 2, 3, 4, 5)
    expected = json_format.dumps(
        json_format.document({"t": as_dicts, "empty": []}, schema=1, exported_at=stamp)
    )
    tables = {"t": _Batches(columns, rows), "empty": _Batches(columns, [])}
    parts: list[str] = []
    written = json_format.write(
        parts.append, json_format.document(tables, schema=1, exported_at=stamp)
    )
    assert "".join(parts) == expected
    assert written == {"t": len(rows), "empty": 0}
    assert json.loads(expected)["tables"]["t"] == as_dicts

"""`import json` restores a backup as it reads it, and keeps the match candidates it
carries (the source database's) only when the same givenet and engine wrote them and
neither the tables nor the candidates were edited; else it matches every ask again
(docs/import-export.md).

Through the real CLI, on SQLite and PostgreSQL: the backup is restored into a second
database (a file, or a new PostgreSQL database of the test's server).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import create_empty, dump_database, heavy_modules_after

pytestmark = pytest.mark.engines

# The tables a restore must give back as the source held them (the full-text indexes
# are the engine's own structures; schema_migration records when each step ran).
COMPARED = (
    "person", "email", "phone", "tag", "person_tag", "event", "event_tag", "event_attendee",
    "meeting", "meeting_person", "note", "promise", "ask", "ask_tag", "offer", "offer_tag",
    "intro", "give", "setting", "me_tag", "match_rejection",
    "match_candidate", "person_touch",
)  # fmt: skip


@pytest.fixture
def other(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """A second, new database for the restore (not yet created on SQLite)."""
    if engine == "postgresql":
        url: str = request.getfixturevalue("postgres_server").new_database()
        return url
    return tmp_path / "restored" / "givenet.db"


def tables(database: Path | str) -> dict[str, list[tuple[Any, ...]]]:
    dumped = dump_database(database)
    return {name: dumped[name] for name in COMPARED}


@pytest.fixture
def source(run, tmp_path) -> Path:
    """A network with asks, offers and their candidates, exported whole."""
    run("demo")
    run("add", "Rosa Vega", "--email", "rosa@example.org", "--tag", "housing")
    run("ask", "Rosa", "a lawyer for a tenants' association", "--tag", "legal")
    run("offer", "Rosa", "grant writing for small food projects", "--tag", "grants")
    run("match", "--rebuild")
    path = tmp_path / "backup.json"
    run("export", "json", "-o", str(path))
    return path


def candidates(database: Path | str) -> list[tuple[Any, ...]]:
    return dump_database(database)["match_candidate"]


def test_a_restore_holds_the_source_row_for_row(run, source, other, isolated_database):
    text = source.read_text(encoding="utf-8")
    assert '\n  "derived": {\n    "computed_by": {' in text
    assert candidates(isolated_database), "the demo has match candidates"
    out = run("--db", str(other), "import", "json", str(source))
    assert "Restored" in out.stdout
    assert tables(other) == tables(isolated_database)
    # The search indexes were rebuilt: find and match read them.
    assert run("--db", str(other), "find", "tenants", "--json").json()[0]["name"] == "Rosa Vega"
    assert run("--db", str(other), "match", "--json").json() == run("match", "--json").json()


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_an_export_and_a_restore_matched_again_import_no_sqlalchemy(run, tmp_path, source):
    # Both read the tables from the schema (store/tables.py) and write on a plain
    # connection: SQLAlchemy and the models would be 40 MiB of a restore's peak.
    strip_derived(source)  # no candidates in the file: every ask is matched again
    again, restored = tmp_path / "again.json", tmp_path / "restored.db"
    commands = [
        ["--db", str(restored), "import", "json", str(source)],
        ["--db", str(restored), "export", "json", "-o", str(again)],
        ["--db", str(restored), "match"],
    ]
    printed, heavy = heavy_modules_after(source, commands)
    assert "Restored" in printed and "Rosa Vega" in again.read_text(encoding="utf-8")
    assert heavy == []


@pytest.mark.sqlite_only
def test_references_are_checked_once_per_table_and_a_broken_one_is_named(
    run, fails, source, other, monkeypatch
):
    """SQLite writes the rows without checking their references and each table's are
    checked once after its rows; a broken one restores again with SQLite's checks, so
    that the message names the row, and nothing is written."""
    from givenet.store import importing

    checked: list[tuple[str, int]] = []
    check = importing._check_references

    def spy(db: Any, table: str) -> None:
        checked.append((table, db.execute("PRAGMA foreign_keys").fetchone()[0]))
        check(db, table)

    monkeypatch.setattr(importing, "_check_references", spy)
    run("--db", str(other), "import", "json", str(source))
    assert {"meeting_person", "give", "match_candidate"} <= {table for table, _ in checked}
    assert {on for _, on in checked} == {0}
    text = source.read_text(encoding="utf-8")
    link = re.search(r'\{"meeting_id": \d+, "person_id": (\d+)\}', text)
    assert link is not None
    source.write_text(text.replace(link[0], f'{{"meeting_id": 999999, "person_id": {link[1]}}}', 1))
    broken = other.parent / "broken.db"
    checked.clear()
    message = fails("--db", str(broken), "import", "json", str(source))
    assert "table meeting_person, row 1: FOREIGN KEY constraint failed" in message
    assert ("meeting_person", 0) in checked  # found by the check, then named by SQLite
    assert run("--db", str(broken), "list", "--json").json() == []


@pytest.mark.slow
def test_an_edited_backup_is_matched_again(run, source, other, isolated_database):
    """A hand edit of the tables makes the file's candidates untrustworthy: the restore
    computes them again, as `match --rebuild` would."""
    text = source.read_text(encoding="utf-8")
    old = '"text": "grant writing for small food projects"'
    assert text.count(old) == 1
    # Rosa's offer now says exactly what an ask of the demo needs.
    ask = next(row for row in run("asks", "--json").json() if row["person"]["name"] != "Rosa Vega")
    source.write_text(text.replace(old, json.dumps({"text": ask["text"]})[1:-1]), "utf-8")
    run("--db", str(other), "import", "json", str(source))
    restored = candidates(other)
    assert restored != candidates(isolated_database), "the edit changes the candidates"
    run("--db", str(other), "match", "--rebuild")
    assert candidates(other) == restored


def strip_derived(path: Path) -> None:
    """The backup as givenet wrote it before the derived section."""
    text = path.read_text(encoding="utf-8")
    head, found, _ = text.partition(',\n  "derived": {')
    assert found
    path.write_text(head + "\n}\n", encoding="utf-8")


def test_a_backup_without_the_section_restores_and_matches(run, source, other, isolated_database):
    strip_derived(source)
    assert json.loads(source.read_text(encoding="utf-8")).keys() == {
        "format", "version", "schema", "exported_at", "tables"
    }  # fmt: skip
    run("--db", str(other), "import", "json", str(source))
    assert tables(other) == tables(isolated_database)  # the source was rebuilt before export


def test_another_stamp_is_matched_again(run, source, other, isolated_database):
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace('"computed_by": {"givenet": "', '"computed_by": {"givenet": "0'))
    # An unchanged file but another givenet's candidates: kept only if the same. Here the
    # candidates are those of the source, so the restore's own agree with them anyway; the
    # file's are replaced by a smaller, wrong set to show they are not read.
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if '"match_candidate": [' in line)
    end = next(n for n in range(start, len(lines)) if lines[n].strip() == "]")
    first = lines[start + 1].rstrip().removesuffix(",") + "\n"
    source.write_text("".join([*lines[: start + 1], first, *lines[end:]]), encoding="utf-8")
    run("--db", str(other), "import", "json", str(source))
    assert candidates(other) == candidates(isolated_database)


def test_a_merge_ignores_the_section(run, source, other):
    run("--db", str(other), "add", "Someone Else")
    out = run("--db", str(other), "import", "json", str(source), "--merge")
    assert "added" in out.stdout
    assert run("--db", str(other), "match", "--json").json()


def backup(path: Path, tables: dict[str, list[dict[str, Any]]]) -> Path:
    """A backup in givenet's own layout (one row a line) holding these rows."""
    from givenet.exporters import json as json_format
    from givenet.migrations import LATEST_VERSION

    document = json_format.document(
        tables, schema=LATEST_VERSION, exported_at=__import__("datetime").datetime(2026, 1, 2)
    )
    path.write_text(json_format.dumps(document), encoding="utf-8")
    return path


def many_rows(count: int) -> dict[str, list[dict[str, Any]]]:
    people = [
        {"id": n, "name": f"Person {n}", "key": f"person {n}", "circle": "inner",
         "new_to_field": 0, "no_intros": 0, "created_at": "2026-01-01 00:00:00.000000"}
        for n in range(1, count + 1)
    ]  # fmt: skip
    meetings = [
        {"id": n, "date": f"2026-01-{n % 28 + 1:02d}", "kind": "coffee", "note": f"talk {n}",
         "created_at": "2026-01-01 00:00:00.000000"}
        for n in range(1, count + 1)
    ]  # fmt: skip
    links = [{"meeting_id": n, "person_id": n} for n in range(1, count + 1)]
    return {"person": people, "meeting": meetings, "meeting_person": links}


@pytest.mark.slow
def test_a_bad_row_in_the_middle_of_a_batch_is_named_and_nothing_is_written(
    run, fails, tmp_path, isolated_database
):
    create_empty(isolated_database)
    before = dump_database(isolated_database)
    rows = many_rows(2500)
    good = backup(tmp_path / "good.json", rows)
    rows["meeting"][1499]["date"] = "the 3rd"  # refused by givenet's own checks
    message = fails("import", "json", str(backup(tmp_path / "date.json", rows)))
    assert "date.json: table meeting, row 1500: date 'the 3rd' is not a date" in message
    rows["meeting"][1499]["date"] = "2026-01-03"
    rows["meeting_person"][1233]["meeting_id"] = 99999  # refused by the database
    message = fails("import", "json", str(backup(tmp_path / "link.json", rows)))
    assert "link.json: table meeting_person, row 1234: " in message
    assert "foreign key" in message.casefold()
    assert dump_database(isolated_database) == before
    out = run("import", "json", str(good))
    assert "2500 people, 2500 meetings" in out.stdout
    assert len(dump_database(isolated_database)["person_touch"]) == 2500


@pytest.mark.slow
def test_any_json_layout_restores_the_same(run, tmp_path, isolated_database, other):
    """Pretty-printed, on one line, tables in another order: the same rows come back."""
    rows = many_rows(30)
    backup(tmp_path / "ours.json", rows)
    run("--db", str(other), "import", "json", str(tmp_path / "ours.json"))
    expected = tables(other)
    head = {"format": "givenet-export", "version": 1, "schema": json.loads(
        (tmp_path / "ours.json").read_text())["schema"]}  # fmt: skip
    layouts = {
        "indented": json.dumps({**head, "tables": rows}, indent=2),
        "one-line": json.dumps({**head, "tables": rows}),
        "children-first": json.dumps({**head, "tables": dict(reversed(rows.items()))}),
        "tables-first": json.dumps({"tables": rows, **head}, indent=1),
    }
    for name, text in layouts.items():
        path = tmp_path / f"{name}.json"
        path.write_text(text, encoding="utf-8")
        target = tmp_path / name / "givenet.db" if isinstance(other, Path) else None
        if target is None:
            run("import", "json", str(path))
            assert tables(isolated_database) == expected, name
            break  # one PostgreSQL database per test: the default one
        run("--db", str(target), "import", "json", str(path))
        assert tables(target) == expected, name


@pytest.mark.slow
def test_a_broken_file_writes_nothing(run, fails, tmp_path, isolated_database):
    create_empty(isolated_database)
    before = dump_database(isolated_database)
    text = (backup(tmp_path / "b.json", many_rows(2500))).read_text(encoding="utf-8")
    cut = text.index('{"meeting_id": 2000')
    broken = tmp_path / "broken.json"
    broken.write_text(text[:cut] + "{oops" + text[cut:], encoding="utf-8")
    message = fails("import", "json", str(broken))
    line = text[:cut].count("\n") + 1
    assert "broken.json is not JSON (" in message and f"at line {line})" in message
    broken.write_text(text + "{}", encoding="utf-8")
    assert "Extra data" in fails("import", "json", str(broken))
    assert dump_database(isolated_database) == before


def test_rows_of_other_keys_or_key_orders_restore(run, tmp_path, isolated_database):
    """A hand-made file: rows with their keys in any order, some columns left out."""
    rows = many_rows(5)
    rows["person"][1] = dict(reversed(rows["person"][1].items()))
    del rows["person"][2]["key"]  # filled in from the name
    rows["person"][3]["org"] = "Green Table"
    run("import", "json", str(backup(tmp_path / "mixed.json", rows)))
    found = {person["name"]: person for person in run("list", "--json").json()}
    assert sorted(found) == [f"Person {n}" for n in range(1, 6)]
    assert found["Person 4"]["org"] == "Green Table"
    assert run("find", "person 3", "--json").json()[0]["name"] == "Person 3"


def edit_candidates(path: Path, edit: Any, *, sign: bool = False) -> None:
    """The backup with its list of candidates (one row a line) replaced by ``edit(rows)``."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if '"match_candidate": [' in line)
    end = next(n for n in range(start, len(lines)) if lines[n].strip() in ("]", "]}"))
    rows = [json.loads(line.strip().removesuffix(",")) for line in lines[start + 1 : end]]
    assert rows, "the source has candidates"
    rows = edit(rows)
    body = "".join(f"      {json.dumps(row)}{',' if n < len(rows) - 1 else ''}\n"
                   for n, row in enumerate(rows))  # fmt: skip
    text = "".join([*lines[: start + 1], body, *lines[end:]])
    if sign:  # the digest of the edited rows, as someone editing on purpose could write
        section = text.index('"derived": {')
        begin = text.index('"tables": ', section) + len('"tables": ')
        stop = text.index(',\n    "derived_digest": ', begin)
        digest = "sha256:" + hashlib.sha256(text[begin:stop].encode("utf-8")).hexdigest()
        text = re.sub(
            r'"derived_digest": "sha256:[0-9a-f]*"', f'"derived_digest": "{digest}"', text
        )
    path.write_text(text, encoding="utf-8")


def rebuilt(run, database: Path | str) -> list[tuple[Any, ...]]:
    restored = candidates(database)
    run("--db", str(database), "match", "--rebuild")
    return restored


def scored(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**rows[0], "score": 993}, *rows[1:]]


def foreign(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**rows[0], "ask_id": 99999}, *rows[1:]]


@pytest.mark.parametrize(
    ("edit", "sign"),
    [(scored, False), (lambda rows: [], False), (foreign, False), (foreign, True)],
    ids=["edited-score", "emptied", "unknown-ask", "unknown-ask-signed"],
)
@pytest.mark.slow
def test_edited_candidates_are_computed_again(run, source, other, edit, sign):
    """The candidates are under their own digest: an edit, an empty list or a row the
    database refuses (even with the digest made to agree) is not kept, and the restore
    matches every ask as a rebuild would."""
    edit_candidates(source, edit, sign=sign)
    out = run("--db", str(other), "import", "json", str(source))
    assert "Restored" in out.stdout
    restored = rebuilt(run, other)
    assert restored, "the asks were matched again"
    assert restored == candidates(other)


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [("meeting", "date", "2026W011"), ("person", "snoozed_until", 20261231),
     ("meeting", "date", "20261231")],
)  # fmt: skip
@pytest.mark.slow
def test_a_date_givenet_never_writes_is_refused(fails, tmp_path, table, column, value):
    """Only YYYY-MM-DD text: SQL compares the date columns as text (an ISO week or a
    number would sort out of order), in a batch as row by row."""
    rows = many_rows(5)
    rows[table][2][column] = value
    message = fails("import", "json", str(backup(tmp_path / "odd.json", rows)))
    assert message.strip() == (
        f"Error: {tmp_path / 'odd.json'}: table {table}, row 3: "
        f"{column} {value!r} is not a date (YYYY-MM-DD)"
    )


@pytest.mark.parametrize(
    ("column", "value"), [("cadence_days", 1e20), ("reach", 2.5), ("cadence_days", "30")]
)
@pytest.mark.slow
def test_a_number_that_is_not_whole_is_refused(
    run, fails, tmp_path, isolated_database, column, value
):
    """SQLite keeps 1e20 or 2.5 as it is in an INTEGER column: the cadence and the reach
    would then print as no whole number givenet writes (review of stop 22)."""
    rows = many_rows(5)
    rows["person"][2][column] = value
    message = fails("import", "json", str(backup(tmp_path / "odd.json", rows)))
    assert message.strip() == (
        f"Error: {tmp_path / 'odd.json'}: table person, row 3: "
        f"{column} {value!r} is not a whole number"
    )
    rows["person"][2][column] = 30
    run("import", "json", str(backup(tmp_path / "whole.json", rows)))
    stored = [value for row in dump_database(isolated_database)["person"] for value in row]
    assert [type(value) for value in stored if value == 30] == [int]


def test_a_whole_float_or_a_boolean_in_a_number_column_is_stored_as_a_whole_number(
    run, tmp_path, isolated_database
):
    """30.0 is 30 wherever it comes in a batch (a set of the batch's values holds 30 or
    30.0, whichever came first); true is 1, as row by row."""
    rows = many_rows(5)
    rows["person"][1]["cadence_days"] = 30
    rows["person"][2]["cadence_days"] = 30.0
    rows["person"][3]["reach"] = True
    run("import", "json", str(backup(tmp_path / "whole.json", rows)))
    run("export", "json", "-o", str(tmp_path / "again.json"))
    people = json.loads((tmp_path / "again.json").read_text())["tables"]["person"]
    assert [(p["cadence_days"], p["reach"]) for p in people[1:4]] == [
        (30, None),
        (30, None),
        (None, 1),
    ]
    assert [type(p["cadence_days"]) for p in people[1:3]] == [int, int]

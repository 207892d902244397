"""`import json --merge`: a givenet export brought into a network that holds people.

The file's people go in first, by the re-import rules (``importing.apply_records``:
the same email is the same person), with their emails, phones, tags, notes, asks and
offers. Then the rest of the file's history, each row with a new id and its
references remapped onto this database's rows:

- events: the same event is one of the same name (any case) and date; their tags
  by the tag's key, attendance by event and person;
- meetings, with their attendees: the same meeting is one of the same date, kind
  and note with the same (remapped) people;
- promises: the same person, text and due date (their meeting remapped);
- introductions: the same two people (either way round) on the same date;
- ledger lines: the same person, direction, date and what;
- not-a-fit marks by ask and offer; your values (`givenet me`) by tag.

An ask or an offer is the person's one of the same text (any case), as the people
import merged it. A row that is there already is not added again, so merging the
same file twice adds nothing the second time; two identical rows of one file stay
two rows (matched one to one). Settings stay this database's.

A row is copied with every column the file gives it (a column the schema gains,
such as who recorded it, comes along) but its id and its references. A row that does
not fit (a bad date, a reference to nothing in the file) stops the merge, named,
unless ``skip_invalid``; it all happens in the import's one transaction.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict, deque
from collections.abc import Hashable, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from givenet.errors import InvalidInput
from givenet.importers.givenet_json import id_key, people_records, person_where
from givenet.records.data import ImportSummary, RowProblem
from givenet.store import search
from givenet.store.dialect import database_errors, first_line
from givenet.store.importing import (
    Importer,
    Refused,
    apply_records,
    insert_row,
    refuse_unknown_tables,
    stored_values,
)
from givenet.store.tables import StoredTable, exported_tables

if TYPE_CHECKING:
    from sqlalchemy import Column

    from givenet.importers.givenet_json import ExportDocument

# What makes a row of the file the same as one already there (on remapped values).
SAME = {
    "event": ("key", "date"),
    "promise": ("person_id", "text", "due"),
    "intro": ("person_a_id", "person_b_id", "date"),
    "give": ("person_id", "direction", "date", "what"),
}
# Rows that only tie two others together: one already there is not added again.
LINKS = ("event_tag", "event_attendee", "match_rejection", "me_tag")
# How a summary's `merged` counts name rows, in this order.
MERGED_TABLES = ("event", "event_attendee", "meeting", "promise", "intro", "give")


def merge_export(
    db: sqlite3.Connection,
    document: ExportDocument,
    *,
    today: date,
    skip_invalid: bool = False,
    update_indexes: bool = True,
    list_problems: bool = False,
    member: str | None = None,
) -> ImportSummary:
    """Merge every row of an export into a database that may hold a network. The
    history keeps the members who recorded it (``recorded_by``); what the merge itself
    writes anew is ``member``'s."""
    refuse_unknown_tables(db, document)
    importer = apply_records(
        db,
        people_records(document, today),
        shown=document.shown,
        today=today,
        skip_invalid=skip_invalid,
        list_problems=list_problems,
        member=member,
    )
    history = _History(db, document, importer, skip_invalid)
    history.merge()
    _merge_members(db, document, today)
    if update_indexes:
        importer.update_indexes()
    search.refresh_statistics(db)
    merged = {table: history.added[table] for table in MERGED_TABLES if history.added[table]}
    return replace(importer.summary.summary(document.shown), merged=merged)


def _same(table: str, values: Sequence[Any]) -> Hashable:
    if table == "intro":
        first, second, day = values
        return (frozenset((first, second)), day)
    return tuple(values)


def _model_columns() -> dict[str, list[Column[Any]]]:
    """Each table's columns as the models define them: the defaults a row the file left
    them out of gets, and which may not be empty (the schema does not say the first)."""
    from sqlmodel import SQLModel

    import givenet.models  # noqa: F401  (registers the tables on SQLModel.metadata)

    return {name: list(table.columns) for name, table in SQLModel.metadata.tables.items()}


class _History:
    """The file's rows after its people, with the file's ids mapped to this database's."""

    def __init__(
        self,
        db: sqlite3.Connection,
        document: ExportDocument,
        importer: Importer,
        skip_invalid: bool,
    ) -> None:
        self.db = db
        self.document = document
        self.importer = importer
        self.skip_invalid = skip_invalid
        self.tables: dict[str, StoredTable] = {table.name: table for table in exported_tables(db)}
        self.model_columns = _model_columns()
        self.refused: tuple[type[Exception], ...] = (*database_errors(db), OverflowError)
        self.added: defaultdict[str, int] = defaultdict(int)
        # table -> the file's id -> this database's; and the file's rows not brought in.
        self.ids: defaultdict[str, dict[Hashable, int]] = defaultdict(dict)
        self.left: defaultdict[str, set[Hashable]] = defaultdict(set)
        for row in self._rows("person"):
            placed = importer.placed.get(person_where(row.get("id")))
            if placed is None:
                self.left["person"].add(id_key(row.get("id")))
            else:
                self.ids["person"][id_key(row.get("id"))] = placed
        self.file_tags = {id_key(row.get("id")): row.get("name") for row in self._rows("tag")}

    def _rows(self, table: str) -> list[dict[str, Any]]:
        return self.document.tables.get(table, [])

    def merge(self) -> None:
        for table in ("ask", "offer"):
            self._map_by_text(table)
        self._same_rows("event")
        self._links("event_tag")
        self._links("event_attendee")
        self._meetings()
        for table in ("promise", "intro", "give"):
            self._same_rows(table)
        self._links("match_rejection")
        self._links("me_tag")

    # --- references -----------------------------------------------------------------

    def _map_by_text(self, table: str) -> None:
        """The file's asks (or offers) to their person's of the same text, as merged."""
        file_rows = self._rows(table)
        if not file_rows:
            return
        there: dict[tuple[int, str], int] = {}
        for row_id, person_id, text in self.db.execute(
            f"SELECT id, person_id, text FROM {table} ORDER BY id"
        ):
            there.setdefault((person_id, text.casefold()), row_id)
        for row in file_rows:
            person = self.ids["person"].get(id_key(row.get("person_id")))
            text = row.get("text")
            found = None
            if person is not None and isinstance(text, str):
                found = there.get((person, text.casefold()))
            if found is None:
                self.left[table].add(id_key(row.get("id")))
            else:
                self.ids[table][id_key(row.get("id"))] = found

    def _ref(self, table: str, column: str, value: Any) -> int | None:
        """This database's id for the file's ``value`` of a ``column`` naming a ``table`` row."""
        if value is None:
            return None
        key = id_key(value)
        found = self.ids[table].get(key)
        if found is not None:
            return found
        name = self.file_tags.get(key) if table == "tag" else None
        if isinstance(name, str) and name.strip():
            found = self.ids["tag"][key] = self.importer.tag_id(name)
            return found
        if key in self.left[table]:
            raise Refused(f"its {table} #{value} was not merged ({column})")
        raise Refused(f"{column} {value!r}: the file has no {table} #{value}")

    def _values(self, table_name: str, row: dict[str, Any]) -> dict[str, Any]:
        """The row as this database will hold it: checked, without its id, references
        remapped, the schema's defaults for columns it leaves out."""
        table = self.tables[table_name]
        values = stored_values(table, row)
        values.pop("id", None)
        for reference in table.references:
            if reference.column in values:
                values[reference.column] = self._ref(
                    reference.table, reference.column, values[reference.column]
                )
        for column in self.model_columns[table_name]:
            if column.name == "id":
                continue
            if column.name not in values and column.default is not None:
                values[column.name] = getattr(column.default, "arg", None)
            if column.name == "created_at" and values.get("created_at") is None:
                values["created_at"] = self.importer.stamp
            if not column.nullable and values.get(column.name) is None:
                raise Refused(f"it has no {column.name}")
        return values

    def _checked(self, table: str, row: dict[str, Any], where: str) -> dict[str, Any] | None:
        """``_values``, or None for a row left out (``skip_invalid``: listed as skipped)."""
        try:
            return self._values(table, row)
        except Refused as problem:
            self._problem(where, problem)
            return None

    # --- writing --------------------------------------------------------------------

    def _problem(self, where: str, problem: Refused) -> None:
        found = RowProblem(where, str(problem))
        if not self.skip_invalid:
            raise InvalidInput(
                f"{self.document.shown} {where}: {found.reason}. Nothing was imported; "
                "fix the file, or use --skip-invalid to import the rest"
            )
        self.importer.summary.skipped.append(found)

    def _insert(self, table: str, values: dict[str, Any], where: str) -> int:
        returning = "id" in self.tables[table].columns
        try:
            cursor = insert_row(self.db, table, values, " RETURNING id" if returning else "")
        except self.refused as error:
            raise InvalidInput(
                f"{self.document.shown} {where}: {first_line(error)}. Nothing was imported"
            ) from None
        self.added[table] += 1
        return int(cursor.fetchone()[0]) if returning else 0

    def _same_rows(self, table: str) -> None:
        """Rows of ``table`` (with an id) matched by ``SAME``, else added."""
        file_rows = self._rows(table)
        if not file_rows:
            return
        columns = SAME[table]
        pool: defaultdict[Hashable, deque[int]] = defaultdict(deque)
        for found in self.db.execute(f"SELECT id, {', '.join(columns)} FROM {table} ORDER BY id"):
            pool[_same(table, found[1:])].append(found[0])
        for row in file_rows:
            where = f"{table} #{row.get('id')}"
            values = self._checked(table, row, where)
            if values is None:
                continue
            there = pool.get(_same(table, [values.get(column) for column in columns]))
            if there:
                self.ids[table][id_key(row.get("id"))] = there.popleft()
            else:
                self.ids[table][id_key(row.get("id"))] = self._insert(table, values, where)

    def _links(self, table: str) -> None:
        file_rows = self._rows(table)
        if not file_rows:
            return
        keys = list(self.tables[table].key)
        there = set(self.db.execute(f"SELECT {', '.join(keys)} FROM {table}"))
        for number, row in enumerate(file_rows, start=1):
            where = f"{table.replace('_', ' ')} row {number}"
            values = self._checked(table, row, where)
            if values is None:
                continue
            pair = tuple(values[key] for key in keys)
            if pair not in there:
                there.add(pair)
                self._insert(table, values, where)

    def _meetings(self) -> None:
        """Meetings with their attendees: one of the same date, kind, note and people
        is the same meeting."""
        file_rows, links = self._rows("meeting"), self._rows("meeting_person")
        if not file_rows and not links:
            return
        in_file = {id_key(row.get("id")) for row in file_rows}
        people_of: defaultdict[Hashable, set[int]] = defaultdict(set)
        for number, link in enumerate(links, start=1):
            where = f"meeting person row {number}"
            try:
                link_values = stored_values(self.tables["meeting_person"], link)
                meeting = id_key(link_values.get("meeting_id"))
                if meeting not in in_file:
                    raise Refused(f"meeting_id {link_values.get('meeting_id')!r}: no such meeting")
                person = self._ref("person", "person_id", link_values.get("person_id"))
                if person is None:
                    raise Refused("it has no person_id")
            except Refused as problem:
                self._problem(where, problem)
                continue
            people_of[meeting].add(person)
        attendees: defaultdict[int, set[int]] = defaultdict(set)
        for meeting_id, person_id in self.db.execute(
            "SELECT meeting_id, person_id FROM meeting_person"
        ):
            attendees[meeting_id].add(person_id)
        pool: defaultdict[Hashable, deque[int]] = defaultdict(deque)
        for meeting_id, day, kind, note in self.db.execute(
            "SELECT id, date, kind, note FROM meeting ORDER BY id"
        ):
            pool[(day, kind, note, frozenset(attendees[meeting_id]))].append(meeting_id)
        for row in file_rows:
            where = f"meeting #{row.get('id')}"
            values = self._checked("meeting", row, where)
            if values is None:
                continue
            people = people_of.get(id_key(row.get("id")), set())
            there = pool.get(
                (values["date"], values["kind"], values.get("note"), frozenset(people))
            )
            if there:
                self.ids["meeting"][id_key(row.get("id"))] = there.popleft()
                continue
            meeting_id = self._insert("meeting", values, where)
            self.ids["meeting"][id_key(row.get("id"))] = meeting_id
            for person in sorted(people):
                self._insert(
                    "meeting_person", {"meeting_id": meeting_id, "person_id": person}, where
                )
            if values.get("note"):
                self.importer.reindex.update(people)  # meeting notes are searched


def _merge_members(db: sqlite3.Connection, document: ExportDocument, today: date) -> None:
    """The file's members join the network's: its history still says who recorded it."""
    from givenet.store.members import record_member

    for row in document.tables.get("member", []):
        name = row.get("name") if isinstance(row, dict) else None
        if not isinstance(name, str) or not name.strip() or not name.isprintable():
            continue  # nothing of the history hangs on it
        try:
            seen = date.fromisoformat(str(row.get("first_seen")))
        except ValueError:
            seen = today
        record_member(db, name, seen)

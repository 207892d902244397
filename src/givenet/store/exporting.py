"""What the exports read: every table as stored, one person's rows, contacts, what falls due.

The JSON export reads plain SQL (``SELECT *``), never ORM objects, so that it
stays quick at 20,000 people and writes every value exactly as SQLite holds it.
Which rows belong to one person (``--person``) is worked out from the foreign
keys of the schema, not from a hand-written list, so a table added later is
exported without anyone remembering to (``tests/test_export.py`` walks the schema
to make sure).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from givenet.records.data import Contact, DueAction
from givenet.store.sql import rows
from givenet.store.tables import StoredTable, exported_tables

PERSON_TABLE = "person"

# Person UIDs (vCard UID, calendar event UIDs) are uuid5 names under this namespace:
# the same person gives the same UID in every export.
UID_NAMESPACE = uuid.UUID("6f1c1f6e-3b0e-5d7a-9a43-2b1e8c4d0a61")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _order_by(table: StoredTable) -> str:
    keys = [_quote(column) for column in table.key]
    return ", ".join(keys) if keys else "rowid"


def table_rows(
    db: sqlite3.Connection,
    table: StoredTable,
    where: str = "",
    params: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Rows of one table as ``{column: value as stored}``, in primary-key order.

    The rows of the JSON export: their columns are the schema's, whatever it holds.
    """
    sql = f"SELECT * FROM {_quote(table.name)} {where} ORDER BY {_order_by(table)}"
    cursor = db.execute(sql, params or {})
    columns = [description[0] for description in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor]


# Rows read from the cursor at a time by the whole-database export.
BATCH_ROWS = 1000


@dataclass(frozen=True)
class TableBatches:
    """One table of the whole-database export, read when the export reaches it.

    ``read()`` runs its query and gives the column names once, then the rows (tuples of
    values as stored, in primary-key order) ``BATCH_ROWS`` at a time: no dict per row,
    and at most one table's cursor open at once.
    """

    db: sqlite3.Connection
    table: str
    order_by: str

    def read(self) -> tuple[tuple[str, ...], Iterator[list[tuple[Any, ...]]]]:
        cursor = self.db.execute(f"SELECT * FROM {_quote(self.table)} ORDER BY {self.order_by}")
        columns = tuple(description[0] for description in cursor.description)
        return columns, iter(lambda: cursor.fetchmany(BATCH_ROWS), [])


def all_tables(db: sqlite3.Connection) -> dict[str, TableBatches]:
    """The whole database: every exported table, parents first, each read as it is written
    (one after the other: the export of 100,000 people streams to its file)."""
    return {
        table.name: TableBatches(db, table.name, _order_by(table)) for table in exported_tables(db)
    }


def derived_tables(db: sqlite3.Connection) -> dict[str, TableBatches]:
    """The derived data a whole-database export carries after its tables, so that a
    restore need not recompute it: the match candidates (by ask, then offer)."""
    return {"match_candidate": TableBatches(db, "match_candidate", '"ask_id", "offer_id"')}


# --- one person's rows --------------------------------------------------------


@dataclass(frozen=True)
class PersonPlan:
    """How ``--person`` selects rows, table by table, derived from the foreign keys.

    ``owned``: the person row, rows that refer to the person, and rows that
    belong to those (deleted with them: ``ON DELETE CASCADE``, e.g. an ask's tags).
    ``context``: rows those refer to that belong to nobody in particular
    (the meetings they were in, the events, the tags), so the export reads on
    its own. Every other table holds nothing about the person.
    """

    conditions: dict[str, str]  # table name -> SQL condition on that table (param :person)
    owned: tuple[str, ...]
    context: tuple[str, ...]

    @property
    def tables(self) -> tuple[str, ...]:
        return self.owned + self.context


def _person_foreign_keys(table: StoredTable) -> list[str]:
    return [
        reference.column
        for reference in table.references
        if reference.table == PERSON_TABLE and table.name != PERSON_TABLE
    ]


def person_plan(db: sqlite3.Connection) -> PersonPlan:
    """Work out, from the schema's foreign keys, which rows hold something on one person."""
    tables = exported_tables(db)
    by_name = {table.name: table for table in tables}
    conditions: dict[str, str] = {}
    owned: list[str] = []
    # Owned rows, parents first so that a child's condition can use its parent's.
    for table in tables:
        if table.name == PERSON_TABLE:
            key = _quote(table.key[0])
            conditions[table.name] = f"{key} = :person"
            owned.append(table.name)
            continue
        person_columns = _person_foreign_keys(table)
        if person_columns:
            # A row that names a person belongs to that person only: another
            # person's ask is not exported because this person's intro serves it.
            conditions[table.name] = " OR ".join(
                f"{_quote(column)} = :person" for column in person_columns
            )
            owned.append(table.name)
            continue
        belongs = [
            f"{_quote(fk.column)} IN (SELECT {_quote(fk.to)} FROM "
            f"{_quote(fk.table)} WHERE {conditions[fk.table]})"
            for fk in table.references
            if fk.on_delete == "CASCADE" and fk.table in owned
        ]
        if belongs:
            conditions[table.name] = " OR ".join(belongs)
            owned.append(table.name)
    # Context rows, children first: a parent is reached from rows already chosen.
    context: list[str] = []
    for table in reversed(tables):
        if table.name in conditions:
            continue
        referred = []
        for child_name in [*owned, *context]:
            for fk in by_name[child_name].references:
                if fk.table == table.name:
                    referred.append(
                        f"{_quote(fk.to)} IN (SELECT {_quote(fk.column)} FROM "
                        f"{_quote(child_name)} WHERE {conditions[child_name]})"
                    )
        if referred:
            conditions[table.name] = " OR ".join(referred)
            context.append(table.name)
    return PersonPlan(conditions=conditions, owned=tuple(owned), context=tuple(context))


def person_tables(db: sqlite3.Connection, person_id: int) -> dict[str, list[dict[str, Any]]]:
    """Everything held on one person, table by table, in the order of the full export."""
    plan = person_plan(db)
    return {
        table.name: table_rows(
            db, table, f"WHERE {plan.conditions[table.name]}", {"person": person_id}
        )
        for table in exported_tables(db)
        if table.name in plan.conditions
    }


# --- contacts (CSV, vCard) ----------------------------------------------------


def person_uid(person_id: int, created_at: Any) -> str:
    """A UUID that stays the same for one person across exports (and JSON round trips)."""
    return str(uuid.uuid5(UID_NAMESPACE, f"person:{person_id}:{created_at}"))


def contacts(db: sqlite3.Connection, person_ids: Sequence[int] | None = None) -> list[Contact]:
    """People for the CSV and vCard exports, by name, with their dated notes and a stable UID.

    Six queries whatever the number of people (everyone, or the given ids in chunks).
    """
    from givenet.store.listing import gather_contact_lists, person_scopes, scoped

    people: list[Any] = []
    emails: dict[int, list[str]] = defaultdict(list)
    phones: dict[int, list[str]] = defaultdict(list)
    tags: dict[int, list[str]] = defaultdict(list)
    notes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for among, params in person_scopes(person_ids):
        people += rows(
            db,
            "SELECT id, name, org, role, location, url, circle, cadence_days, birthday, "
            f"created_at FROM person {scoped('id', among)}",
            params,
        )
        gather_contact_lists(db, among, params, emails, phones, tags)
        for owner, day, text in rows(
            db,
            f"SELECT person_id, date, text FROM note {scoped('person_id', among)} "
            "ORDER BY person_id, date, id",
            params,
        ):
            notes[owner].append((str(day), text))
    found = [
        Contact(
            id=row[0],
            name=row[1],
            uid=person_uid(row[0], row[9]),
            emails=tuple(emails.get(row[0], ())),
            phones=tuple(phones.get(row[0], ())),
            org=row[2],
            role=row[3],
            location=row[4],
            url=row[5],
            tags=tuple(tags.get(row[0], ())),
            circle=row[6],
            cadence_days=row[7],
            birthday=row[8],
            notes=tuple(notes.get(row[0], ())),
        )
        for row in people
    ]
    found.sort(key=lambda contact: (contact.name.casefold(), contact.id))
    return found


# --- what falls due (ics) -----------------------------------------------------


def due_actions(
    db: sqlite3.Connection, first_day: date, days: int, person_id: int | None = None
) -> list[DueAction]:
    """Each person's top action over ``days`` days from ``first_day``, once per kind.

    The morning list is ranked for every day in turn, as ``givenet due --on DAY``
    would show it; an action is kept on the first day it appears, so an overdue
    check-in lands today and a follow-up on the day it falls due.
    """
    from givenet.rules import rank
    from givenet.store.ranking import gather_facts, on_day, ranked_due, ranking_context

    base = ranking_context(db, first_day)
    found: list[DueAction] = []
    seen: set[tuple[int, str]] = set()
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        context = on_day(db, base, day)
        if person_id is None:
            day_list, _ = ranked_due(db, context, include_all=False)
        else:
            day_list = rank(gather_facts(db, context, [person_id]), context)
        for ranked in day_list:
            top = ranked.top_action
            if top is None or (ranked.id, top.name) in seen:
                continue
            seen.add((ranked.id, top.name))
            found.append(
                DueAction(
                    day=day,
                    person_id=ranked.id,
                    person_uid="",
                    name=ranked.name,
                    action=top.name,
                    reason=top.reason,
                )
            )
    if not found:
        return found
    created = dict(rows(db, "SELECT id, created_at FROM person"))
    return [
        replace(action, person_uid=person_uid(action.person_id, created[action.person_id]))
        for action in found
    ]

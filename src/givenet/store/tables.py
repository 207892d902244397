"""The tables a whole-database export holds, as the database itself describes them.

Their columns, keys and references are read from the schema (SQLite's ``PRAGMA``s,
PostgreSQL's catalogue), not from the models, so that the export and the restore
import neither SQLAlchemy nor the models: 40 MiB of a restore's peak at 100,000 people.
``tests/test_export.py`` checks on both engines that the two agree.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from givenet.store.dialect import COLUMNS as SEARCH_INDEXES
from givenet.store.dialect import on_postgres

# Derived data: rebuilt from the other tables, so not part of an export's tables.
DERIVED_TABLES = frozenset({"match_candidate", "person_touch", "ask_vector", "offer_vector"})
# The schema's own bookkeeping, also not exported (nor are the search indexes and, on
# SQLite, their shadow tables: ``offer_fts_data`` …).
_BOOKKEEPING = frozenset({"schema_migration"})
_INTEGER_TYPES = frozenset({"INTEGER", "BIGINT", "SMALLINT"})


@dataclass(frozen=True, slots=True)
class Reference:
    """A foreign key: ``column`` of the table holds a ``to`` of ``table``."""

    column: str
    table: str
    to: str
    on_delete: str  # "CASCADE", "SET NULL", "NO ACTION", "RESTRICT" or "SET DEFAULT"


@dataclass(frozen=True, slots=True)
class StoredTable:
    """What the export and the restore need to know of one table."""

    name: str
    columns: tuple[str, ...]  # in the table's order
    key: tuple[str, ...]  # the primary key's columns, in its order
    integers: frozenset[str]
    booleans: frozenset[str]
    references: tuple[Reference, ...]  # by column

    @property
    def parents(self) -> frozenset[str]:
        """The other tables its rows refer to."""
        return frozenset(reference.table for reference in self.references) - {self.name}


def exported_tables(db: sqlite3.Connection) -> list[StoredTable]:
    """Every table of the schema except derived data, the search indexes and the schema's
    bookkeeping; parents before children, each round of the sort by name."""
    names = [name for name in _table_names(db) if _exported(name)]
    described = {name: describe(db, name) for name in names}
    ordered: list[StoredTable] = []
    while described:
        ready = sorted(
            name for name, table in described.items() if table.parents.isdisjoint(described)
        )
        if not ready:  # a cycle of references: the schema has none, but never loop
            ready = sorted(described)
        for name in ready:
            ordered.append(described.pop(name))
    return ordered


def _exported(name: str) -> bool:
    if name in DERIVED_TABLES or name in _BOOKKEEPING or name.startswith("sqlite_"):
        return False
    return not any(name == index or name.startswith(f"{index}_") for index in SEARCH_INDEXES)


def _table_names(db: sqlite3.Connection) -> list[str]:
    if on_postgres(db):
        query = (
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    return [name for (name,) in db.execute(query).fetchall()]


def describe(db: sqlite3.Connection, name: str) -> StoredTable:
    """One table (``name`` is the schema's own, never a user's text)."""
    if on_postgres(db):
        columns, key, references = _postgres_table(db, name)
    else:
        columns, key, references = _sqlite_table(db, name)
    return StoredTable(
        name=name,
        columns=tuple(column for column, _ in columns),
        key=key,
        integers=frozenset(column for column, kind in columns if kind in _INTEGER_TYPES),
        booleans=frozenset(column for column, kind in columns if kind == "BOOLEAN"),
        references=tuple(sorted(references, key=lambda reference: reference.column)),
    )


_Described = tuple[list[tuple[str, str]], tuple[str, ...], list[Reference]]


def _sqlite_table(db: sqlite3.Connection, name: str) -> _Described:
    info = db.execute("SELECT name, type, pk FROM pragma_table_info(?)", (name,)).fetchall()
    columns = [(column, kind.upper()) for column, kind, _ in info]
    key = tuple(column for column, _, position in sorted(info, key=lambda row: row[2]) if position)
    references = [
        Reference(column, table, to, on_delete.upper())
        for table, column, to, on_delete in db.execute(
            'SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list(?)', (name,)
        ).fetchall()
    ]
    return columns, key, references


# pg_constraint's confdeltype, in the words SQLite's PRAGMA uses.
_PG_ON_DELETE = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL"}


def _postgres_table(db: sqlite3.Connection, name: str) -> _Described:
    columns = [
        (column, kind.upper())
        for column, kind in db.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (name,),
        ).fetchall()
    ]
    constraints = db.execute(
        "SELECT c.contype, a.attname, r.relname, ra.attname, c.confdeltype, k.position "
        "FROM pg_constraint c "
        "JOIN pg_class t ON t.oid = c.conrelid "
        "CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, position) "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
        "LEFT JOIN pg_class r ON r.oid = c.confrelid "
        "LEFT JOIN pg_attribute ra ON ra.attrelid = c.confrelid "
        "AND ra.attnum = c.confkey[k.position] "
        "WHERE t.relname = ? AND t.relnamespace = current_schema()::regnamespace "
        "AND c.contype IN ('p', 'f') ORDER BY k.position",
        (name,),
    ).fetchall()
    key = tuple(column for kind, column, *_ in constraints if kind == "p")
    references = [
        Reference(column, table, to, _PG_ON_DELETE.get(deletes, "SET DEFAULT"))
        for kind, column, table, to, deletes, _ in constraints
        if kind == "f"
    ]
    return columns, key, references

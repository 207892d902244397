"""Where the store's SQL differs between SQLite and PostgreSQL: full-text search.

Everything else the store writes once, in SQL both engines run (``store/sql.py``).
The search indexes are FTS5 tables on SQLite and tables of ``tsvector`` with a GIN
index on PostgreSQL (``migrations.py``), under the same names and the same
``rowid``. A query against one reads, on either engine::

    f"SELECT rowid, {fts.mark(0)} FROM {fts.source} WHERE {fts.match} ORDER BY {fts.rank}"

with the search's one parameter where ``MATCH ?`` stands on SQLite (on PostgreSQL
it sits in ``source``, which comes first in the statement: so write no parameter
between ``FROM`` and the match) and its text from :meth:`Search.query`, which
turns the FTS5 queries of ``matching.fts_query`` and ``meaning.meaning_query``
into PostgreSQL's.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

# Each index's columns, in order (FTS5's highlight() takes a column's number).
COLUMNS = {
    "offer_fts": ("text", "tags", "helper"),
    "ask_fts": ("text", "tags"),
    "person_fts": ("name", "tags", "role", "org", "notes"),
}
# bm25's weights per column on SQLite (PostgreSQL weighs by setweight, migrations.py).
_BM25 = {"offer_fts": "bm25(offer_fts, 1.0, 2.0, 0.5)"}
# The weight letter of each column on PostgreSQL, as migrations.py's steps set them
# (a search in one column filters the document to its letter).
_PG_WEIGHTS = {"offer_fts": "BAC", "ask_fts": "BA", "person_fts": "AAAAA"}


def on_postgres(db: Any) -> bool:
    """Whether ``db`` is a team's PostgreSQL database (``postgres.PgConnection``)."""
    return getattr(db, "dialect", "sqlite") == "postgresql"


def folded(db: Any, column: str) -> str:
    """SQL for ``column`` casefolded, as ``str.casefold`` does it.

    On SQLite, text that is all ASCII (as many characters as bytes) is folded by
    ``lower()`` in C, which is then the same; only other text calls Python's
    ``casefold``: `find` at 100,000 people folds 323,026 meeting notes. On
    PostgreSQL ``casefold`` is ``lower`` already (``migrations.py``).
    """
    if on_postgres(db):
        return f"casefold({column})"
    return (
        f"CASE WHEN length({column}) = length(CAST({column} AS BLOB)) "
        f"THEN lower({column}) ELSE casefold({column}) END"
    )


def contains_folded(db: Any, column: str, ascii_query: bool) -> str:
    """SQL true where ``column`` casefolded contains ``:q`` (a query casefolded already;
    ``:like`` is it as a LIKE pattern, ``%`` ``_`` and ``\\`` escaped by ``\\``).

    On SQLite an ASCII query is first looked for with LIKE, which ignores ASCII case in
    C without copying the text: for ASCII text that is the same test. Other text may
    still hold it only once casefolded ("granẗ" is "grant" and a combining mark, "ſ" is
    "s"), so that text is casefolded too; a LIKE match in it is a match casefolded, as
    casefold maps each character apart. 0.19 -> 0.15 s for 323,026 meeting notes.
    """
    if on_postgres(db) or not ascii_query:
        return f"instr({folded(db, column)}, :q) > 0"
    return (
        f"({column} LIKE :like ESCAPE '\\' OR (length({column}) <> "
        f"length(CAST({column} AS BLOB)) AND instr(casefold({column}), :q) > 0))"
    )


def database_errors(db: Any) -> tuple[type[Exception], ...]:
    """What the engine's driver raises for a row it refuses (a lost connection is not
    one: it reaches the face as such)."""
    if on_postgres(db):
        import psycopg

        return (psycopg.IntegrityError, psycopg.DataError, psycopg.ProgrammingError)
    return (sqlite3.Error,)


def first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def follow_ids(db: Any, table: str) -> None:
    """After rows were written with their own ids (a restore): new rows' ids follow
    them. SQLite takes the largest id + 1 by itself; PostgreSQL's identity is told."""
    if on_postgres(db):
        db.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE(MAX(id), 0) + 1, false) FROM {table}"
        )


@contextmanager
def trigger_off(db: Any, table: str, trigger: str) -> Iterator[None]:
    """Rows written to ``table`` meanwhile do not fire ``trigger`` (a restore recomputes
    what it keeps in one statement: at 100,000 people the trigger made the inserts of
    meeting_person 17.6 s instead of 2.9). It is put back before the transaction ends;
    an error ends the transaction, which undoes its removal. On PostgreSQL it is
    disabled only where the user owns the table; elsewhere it still fires."""
    if on_postgres(db):
        db.execute("SAVEPOINT trigger_off")
        try:
            db.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        except database_errors(db):  # not the table's owner
            db.execute("ROLLBACK TO trigger_off")
            db.execute("RELEASE trigger_off")
            yield
            return
        db.execute("RELEASE trigger_off")
        yield
        db.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
        return
    (definition,) = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (trigger,)
    ).fetchone()
    db.execute(f"DROP TRIGGER {trigger}")
    yield
    db.execute(definition)


@contextmanager
def indexes_off(db: Any, table: str) -> Iterator[None]:
    """The table's plain indexes (not its keys, nor a unique index: those refuse a row
    as it is written) are dropped while many rows are written, and made again after,
    one sort each: at 100,000 people the inserts of the match candidates took 14 s
    through their two indexes. An error ends the transaction, which undoes the drop."""
    if on_postgres(db):
        found = db.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ? AND indexdef NOT LIKE 'CREATE UNIQUE %'",
            (table,),
        ).fetchall()
    else:
        found = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %'",
            (table,),
        ).fetchall()
    for name, _ in found:
        db.execute(f'DROP INDEX "{name}"')
    yield
    for _, definition in found:
        db.execute(definition)


@dataclass(frozen=True, slots=True)
class Search:
    """The pieces of a full-text query on one index, for one engine."""

    table: str
    postgres: bool
    column: int | None = None  # a search of one column only

    def in_column(self, column: int) -> Search:
        """The same search in one of the index's columns (``COLUMNS``) only."""
        return replace(self, column=column)

    @property
    def source(self) -> str:
        if self.postgres:
            return f"{self.table} CROSS JOIN websearch_to_tsquery('givenet', ?) AS fts_q"
        return self.table

    @property
    def match(self) -> str:
        if self.postgres:
            if self.column is None:
                return f"{self.table}.document @@ fts_q"
            weight = _PG_WEIGHTS[self.table][self.column]
            return (
                f"{self.table}.document @@ fts_q"
                f" AND ts_filter({self.table}.document, '{{{weight}}}') @@ fts_q"
            )
        return f"{self.table} MATCH ?"

    @property
    def rank(self) -> str:
        """An ORDER BY term: the best hits first."""
        if self.postgres:
            return f"ts_rank({self.table}.document, fts_q) DESC"
        return _BM25.get(self.table, "rank")

    def mark(self, column: int) -> str:
        """A column's text with the hits between HIT_START and HIT_END."""
        from givenet.matching import HIT_END, HIT_START

        if self.postgres:
            name = COLUMNS[self.table][column]
            return (
                f"ts_headline('givenet', {self.table}.{name}, fts_q, "
                f"'HighlightAll=true, StartSel={HIT_START}, StopSel={HIT_END}')"
            )
        return f"highlight({self.table}, {column}, '{HIT_START}', '{HIT_END}')"

    def query(self, fts5: str) -> str:
        """The parameter for an FTS5 query (quoted terms and phrases, NEAR() groups,
        joined by OR): itself on SQLite, in websearch_to_tsquery's words on PostgreSQL."""
        if self.postgres:
            return websearch(fts5)
        if self.column is None:
            return fts5
        return f"{COLUMNS[self.table][self.column]} : ({fts5})"


def search(db: Any, table: str) -> Search:
    return Search(table, on_postgres(db))


_PART = re.compile(r'NEAR\(((?:\s*"(?:[^"]|"")*")+)\s*,\s*\d+\)|"((?:[^"]|"")*)"')
_QUOTED = re.compile(r'"((?:[^"]|"")*)"')


def websearch(fts5: str) -> str:
    """An FTS5 query of ours as websearch_to_tsquery text: a phrase stays a phrase,
    NEAR(a b) asks for both words (anywhere in the text), OR stays OR."""
    terms = []
    for match in _PART.finditer(fts5):
        if match.group(1) is not None:
            words = [_plain(word) for word in _QUOTED.findall(match.group(1))]
            terms.append(" ".join(f'"{word}"' for word in words if word))
        elif match.group(2) is not None:
            terms.append(f'"{_plain(match.group(2))}"')
    return " or ".join(term for term in terms if term.strip('" '))


def _plain(term: str) -> str:
    """A term's words without quotes (websearch has no escape for them)."""
    return term.replace('""', " ").replace('"', " ").strip()


# A scratch index with the search indexes' tokenizer (migrations.py), to read how they
# store a word.
_SCRATCH = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.givenet_words USING fts5("
    "word, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.givenet_words_vocab "
    "USING fts5vocab(temp, givenet_words, instance)",
)


def tokens(db: Any, texts: list[str]) -> list[frozenset[str]]:
    """The words each text holds as the search indexes store them (stemmed, accents
    folded): a search for a word finds a text when the word's tokens are among them."""
    if not texts:
        return []
    held: dict[int, set[str]] = {}
    if on_postgres(db):
        found = db.execute(
            "SELECT t.n, v.lexeme FROM unnest(?::text[]) WITH ORDINALITY AS t(body, n) "
            "CROSS JOIN LATERAL unnest(to_tsvector('givenet', t.body)) AS v",
            [texts],
        ).fetchall()
    else:
        for statement in _SCRATCH:
            db.execute(statement)
        db.execute("DELETE FROM temp.givenet_words")  # what a failed call may have left
        db.executemany(
            "INSERT INTO temp.givenet_words (rowid, word) VALUES (?, ?)",
            list(enumerate(texts, start=1)),
        )
        found = db.execute("SELECT doc, term FROM temp.givenet_words_vocab").fetchall()
        db.execute("DELETE FROM temp.givenet_words")
    for n, token in found:
        held.setdefault(int(n), set()).add(token)
    return [frozenset(held.get(n, ())) for n in range(1, len(texts) + 1)]


def stems(db: Any, words: list[str]) -> dict[str, str]:
    """{word: the word as the search indexes hold it}: two words with the same stem are
    one word to a search. A word of several tokens gets them all, sorted; one of none
    is its own stem."""
    return {
        word: " ".join(sorted(held)) or word
        for word, held in zip(words, tokens(db, words), strict=True)
    }

"""Naming people, events and records: ``#N``, an exact name (any case), a unique part.

Names compare without case and, when no name fits exactly, without accents
(``Tomas`` finds Tomás).

Plain SQL only (see ``store/sql.py``), so read-only commands can name people
without loading the models.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
import unicodedata

from givenet.errors import Ambiguous, InvalidInput, NotFound
from givenet.store.sql import rows

ID_PATTERN = re.compile(r"#(\d+)", re.ASCII)
RECORD_ID_PATTERN = re.compile(r"#?(\d+)", re.ASCII)
LARGEST_ID = 2**63 - 1  # SQLite's largest integer


def _checked(digits: str, label: str) -> int:
    number = int(digits)
    if number > LARGEST_ID:
        raise NotFound(f"no {label} #{digits}")
    return number


def parse_record_id(text: str, label: str) -> int:
    """A record id written ``12`` or ``#12``."""
    cleaned = text.strip()
    match = RECORD_ID_PATTERN.fullmatch(cleaned)
    if not match:
        raise InvalidInput(f"{label} ids are numbers like 12 or '#12', not {cleaned!r}")
    return _checked(match.group(1), label)


def resolve_named(db: sqlite3.Connection, table: str, ref: str, label: str) -> tuple[int, str]:
    """(id, name) of a person or event named by ``#N``, exact name, or a unique part."""
    text = ref.strip()
    if not text:
        raise InvalidInput(f"name the {label}: a name, part of one, or '#12'")
    match = ID_PATTERN.fullmatch(text)
    if match:
        found = rows(
            db, f"SELECT id, name FROM {table} WHERE id = ?", [_checked(match.group(1), label)]
        )
        if not found:
            raise NotFound(f"no {label} #{match.group(1)}")
        return found[0][0], found[0][1]
    key = text.casefold()
    found = rows(db, f"SELECT id, name FROM {table} WHERE key = ? ORDER BY id", [key])
    if not found:
        # Accents and case aside: "tomas" is Tomás, "zoe" Zoë; an exact name still wins.
        _add_fold(db)
        loose = fold(key)
        found = rows(db, f"SELECT id, name FROM {table} WHERE fold(key) = ? ORDER BY id", [loose])
        if not found and loose != key:  # accents typed: a part with those accents first
            found = rows(
                db,
                f"SELECT id, name FROM {table} WHERE instr(key, ?) > 0 ORDER BY key, id LIMIT 11",
                [key],
            )
        if not found:
            found = rows(
                db,
                f"SELECT id, name FROM {table} WHERE instr(fold(key), ?) > 0"
                " ORDER BY key, id LIMIT 11",
                [loose],
            )
    if len(found) == 1:
        return found[0][0], found[0][1]
    if found:
        listed = ", ".join(f"#{row[0]} {row[1]}" for row in found[:10])
        more = " …" if len(found) > 10 else ""
        plural = "people" if label == "person" else f"{label}s"
        raise Ambiguous(
            f"{text!r} fits several {plural}: {listed}{more}; use the id, e.g. '#{found[0][0]}'"
        )
    raise NotFound(f"no {label} called {text!r}{_did_you_mean(db, table, key)}")


def _did_you_mean(db: sqlite3.Connection, table: str, key: str) -> str:
    names = rows(db, f"SELECT name, key FROM {table}")
    by_key: dict[str, str] = {}
    for name, name_key in names:
        by_key.setdefault(fold(name_key), name)
    close = difflib.get_close_matches(fold(key), list(by_key), n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(repr(by_key[k]) for k in close) + "?"


def fold(text: str) -> str:
    """``text`` without case or accents: "Zoë Müller" -> "zoe muller"."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _fold_or_none(text: str | None) -> str | None:
    return None if text is None else fold(text)


def _add_fold(db: sqlite3.Connection) -> None:
    """Give ``db`` the SQL function fold(), once: SQLite refuses to redefine a function
    while a statement of the connection is still open (an insert of the same step)."""
    try:
        db.execute("SELECT fold('')").fetchall()
    except sqlite3.OperationalError:
        db.create_function("fold", 1, _fold_or_none, deterministic=True)


def names_starting(db: sqlite3.Connection, table: str, prefix: str, limit: int) -> list[str]:
    """Names in ``table`` (person or event) that start with ``prefix``, or have a word that
    does, compared as lookups compare (no case, no accents): ``ha`` and ``yus`` both
    give Hana Yusuf, ``tomas`` Tomás Silva. Whole-name starts first, then by name."""
    _add_fold(db)
    text = fold(prefix)
    start = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found = db.execute(
        f"SELECT name FROM {table} WHERE fold(name) LIKE ?1 ESCAPE '\\'"
        " OR fold(name) LIKE '% ' || ?1 ESCAPE '\\'"
        " GROUP BY name ORDER BY fold(name) NOT LIKE ?1 ESCAPE '\\', name LIMIT ?2",
        (start, limit),
    ).fetchall()
    return [row[0] for row in found]

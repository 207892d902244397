"""Reading people and what surrounds them, for listings and `show`: plain SQL only.

Every function takes ``db``, a ``sqlite3.Connection`` (see ``store/sql.py``),
and returns the records of ``givenet.records``, in a few queries whatever the
number of rows. Importing this module loads no SQLAlchemy, so read-only commands
start quickly.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from givenet.records.people import FoundPerson, PersonLine, PersonRef, PersonRow
from givenet.store.dialect import contains_folded, on_postgres
from givenet.store.sql import placeholders, rows, scalar, tags_by_owner
from givenet.store.text import clean_text
from givenet.vocab import chunks

if TYPE_CHECKING:
    # Each listing imports its own records when it runs: a dataclass costs about half
    # a millisecond to create, and `list` or `show` should not pay for every area's.
    from givenet.records.asks import Ask, Offer
    from givenet.records.events import EventListed
    from givenet.records.log import Promise

PersonT = TypeVar("PersonT")
T = TypeVar("T")


# created_at as ISO text with a "T", written by the database rather than per row in
# Python (SQLite keeps it as text with six digits of fraction; PostgreSQL as a time).
PERSON_COLUMNS = (
    "id, name, org, role, location, url, circle, cadence_days, new_to_field, reach, "
    "birthday, no_intros, open_to, snoozed_until, source, source_connected_on, {created}"
)
_CREATED = {
    False: "nullif(replace(created_at, ' ', 'T'), '')",
    True: "to_char(created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.US')",
}


def person_columns(db: sqlite3.Connection) -> str:
    return PERSON_COLUMNS.format(created=_CREATED[on_postgres(db)])


def person_scopes(person_ids: Sequence[int] | None) -> list[tuple[str, list[int]]]:
    """``(condition, params)`` per chunk of ids: ``("", [])`` for everyone, else
    ``("IN (?, ?, …)", chunk)``, short enough for one statement."""
    if person_ids is None:
        return [("", [])]
    return [(f"IN ({placeholders(len(chunk))})", chunk) for chunk in chunks(person_ids)]


def scoped(column: str, among: str) -> str:
    """The WHERE clause of one scope of :func:`person_scopes` on ``column``."""
    return f"WHERE {column} {among}" if among else ""


def gather_contact_lists(
    db: sqlite3.Connection,
    among: str,
    params: list[int],
    emails: dict[int, list[str]],
    phones: dict[int, list[str]],
    tags: dict[int, list[str]],
) -> None:
    """Add one scope's emails and phones (in their order) and tags (by name) per person."""
    for pid, address in rows(
        db,
        "SELECT person_id, address FROM email "
        f"{scoped('person_id', among)} ORDER BY person_id, position",
        params,
    ):
        emails[pid].append(address)
    for pid, number in rows(
        db,
        f"SELECT person_id, number FROM phone {scoped('person_id', among)} "
        "ORDER BY person_id, position",
        params,
    ):
        phones[pid].append(number)
    for pid, name in rows(
        db,
        "SELECT person_tag.person_id, tag.name FROM person_tag JOIN tag ON tag.id = "
        f"person_tag.tag_id {scoped('person_tag.person_id', among)} ORDER BY tag.key",
        params,
    ):
        tags[pid].append(name)


def build_people(
    db: sqlite3.Connection, make: Callable[..., PersonT], person_ids: Sequence[int] | None = None
) -> list[PersonT]:
    """People (everyone, or these ids) by name then id, each ``make(*fields)``.

    ``make`` takes a person's fields in the order of :class:`PersonRow` (``PersonRow``
    itself, or a record that extends it). A handful of queries whatever the number
    of people (the ids in chunks), and one pass to build the records.
    """
    people: list[Any] = []
    emails: dict[int, list[str]] = defaultdict(list)
    phones: dict[int, list[str]] = defaultdict(list)
    tags: dict[int, list[str]] = defaultdict(list)
    for among, params in person_scopes(person_ids):
        people += rows(
            db, f"{_PEOPLE.format(columns=person_columns(db))} {scoped('id', among)}", params
        )
        gather_contact_lists(db, among, params, emails, phones, tags)
    people.sort(key=lambda row: (row[1].casefold(), row[0]))
    return _made(
        make,
        people,
        {pid: tuple(found) for pid, found in emails.items()},
        {pid: tuple(found) for pid, found in phones.items()},
        {pid: tuple(found) for pid, found in tags.items()},
    )


# A person's own columns and their last touch (kept by every write to the meetings).
_PEOPLE = (
    "SELECT {columns}, person_touch.last_touch FROM person "
    "LEFT JOIN person_touch ON person_touch.person_id = person.id"
)


def _made(
    make: Callable[..., PersonT],
    people: Iterable[Sequence[Any]],
    emails: dict[int, tuple[str, ...]],
    phones: dict[int, tuple[str, ...]],
    tags: dict[int, tuple[str, ...]],
) -> list[PersonT]:
    """Each row of ``_PEOPLE`` as ``make(*fields)``."""
    none: tuple[str, ...] = ()
    return [
        make(
            row[0],
            row[1],
            emails.get(row[0], none),
            phones.get(row[0], none),
            row[2],
            row[3],
            row[4],
            row[5],
            tags.get(row[0], none),
            row[6],
            row[7],
            bool(row[8]),
            row[9],
            row[10],
            bool(row[11]),
            row[12],
            row[13],
            row[14],
            row[15],
            row[16],
            row[17],
        )
        for row in people
    ]


def people_rows(db: sqlite3.Connection, person_ids: Sequence[int] | None = None) -> list[PersonRow]:
    """People as ``list --json`` shows them (everyone, or these ids), by name."""
    return build_people(db, PersonRow, person_ids)


# Reading every person's emails, phones and tags in one pass over each table costs
# about what looking up a quarter of them by id does (measured at 100,000 people).
WHOLE_TABLE_SHARE = 4
# People built and handed on at a time by ``stream_people``.
STREAM_BATCH = 1000


def _lists_by_person(found: Iterable[tuple[int, str]]) -> dict[int, tuple[str, ...]]:
    """``(person_id, value)`` rows, in order, as each person's tuple of values."""
    lists: dict[int, list[str]] = {}
    for pid, value in found:
        listed = lists.get(pid)
        if listed is None:
            lists[pid] = [value]
        else:
            listed.append(value)
    return {pid: tuple(values) for pid, values in lists.items()}


def _tag_order(db: sqlite3.Connection, write: Callable[[str], Any]) -> dict[str, tuple[int, Any]]:
    """Each tag by the text of its id: its place in tag-key order and ``write(name)``."""
    return {
        str(tag_id): (position, write(name))
        for position, (tag_id, name) in enumerate(rows(db, "SELECT id, name FROM tag ORDER BY key"))
    }


def _tag_sets(
    db: sqlite3.Connection, among: str = "", params: Sequence[Any] = ()
) -> dict[int, str]:
    """Each person's set of tags (everyone's, or those of the ids ``among`` names) as
    the text of its ids, one row per person: the callers put each distinct set in
    tag order once (19,501 sets for 100,000 people)."""
    return dict(
        db.execute(
            f"SELECT person_id, group_concat(tag_id) FROM person_tag {among} GROUP BY person_id",
            params,
        )
    )


def _tags_of(
    db: sqlite3.Connection,
    order: dict[str, tuple[int, Any]],
    sets: dict[int, str],
    combine: Callable[[list[Any]], T],
) -> dict[int, T]:
    """Each person's tags, as ``combine`` of their written names in tag order: each
    distinct set put in order once (the same value for everyone who has that set)."""
    combined = {
        ids: combine([written for _, written in sorted(map(order.__getitem__, ids.split(",")))])
        for ids in set(sets.values())
    }
    return {pid: combined[ids] for pid, ids in sets.items()}


def _everyones_tags(db: sqlite3.Connection) -> dict[int, tuple[str, ...]]:
    """Every person's tag names by tag key (the same tuple for everyone with that set)."""
    return _tags_of(db, _tag_order(db, str), _tag_sets(db), tuple)


def stream_people(
    db: sqlite3.Connection,
    make: Callable[..., PersonT],
    person_ids: Collection[int] | None = None,
) -> Iterator[PersonT]:
    """:func:`build_people`, handed on a batch at a time: the people (everyone, or
    these ids) by name then id, each ``make(*fields)``.

    Everyone, or many of them, comes from one pass over each table: the contact
    lists first (held, as compact tuples), then the people in order from one
    cursor (the ids given as one JSON list), so 100,000 people are never all
    built at once. A few ids are looked up by id, as :func:`build_people` does.
    """
    if person_ids is not None and (
        len(person_ids) * WHOLE_TABLE_SHARE < scalar(db, "SELECT count(*) FROM person")
    ):
        yield from build_people(db, make, list(person_ids))
        return
    emails = _lists_by_person(
        db.execute("SELECT person_id, address FROM email ORDER BY person_id, position")
    )
    phones = _lists_by_person(
        db.execute("SELECT person_id, number FROM phone ORDER BY person_id, position")
    )
    tags = _everyones_tags(db)
    where, params = "", []
    if person_ids is not None:  # one parameter (a JSON list), and only they are sorted
        where = "WHERE person.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))"
        params = [json.dumps(list(person_ids))]
    cursor = db.execute(
        f"{_PEOPLE.format(columns=person_columns(db))} {where} {_by_name(db)}", params
    )
    while batch := cursor.fetchmany(STREAM_BATCH):
        yield from _made(make, batch, emails, phones, tags)


def _by_name(db: sqlite3.Connection) -> str:
    """The ORDER BY of a listing: by person.key, the name casefolded as build_people
    sorts it, in byte order on both engines (PostgreSQL's own collation would put "ß" or
    "Á" elsewhere), then id. Sorted, not walked in its index's order (+): a row looked
    up per index entry is slower."""
    key = 'person.key COLLATE "C"' if on_postgres(db) else "+person.key"
    return f"ORDER BY {key}, person.id"


# What a table of people shows of each (PersonLine), and their last touch.
_LINES = (
    "SELECT person.id, person.name, person.org, person.role, person.circle, "
    "person_touch.last_touch FROM person "
    "LEFT JOIN person_touch ON person_touch.person_id = person.id"
)


def _scopes(
    db: sqlite3.Connection, person_ids: Collection[int] | None
) -> tuple[str, list[str], str, list[str]]:
    """The WHERE of a listing's people (these ids as one JSON list, or everyone) and its
    value, then that of its contact tables: everyone's, in one pass, when the ids are
    more than a ``WHOLE_TABLE_SHARE`` of the network."""
    if person_ids is None:
        return "", [], "", []
    params = [json.dumps(list(person_ids))]
    if len(person_ids) * WHOLE_TABLE_SHARE < scalar(db, "SELECT count(*) FROM person"):
        return f"WHERE person.id {_AMONG}", params, f"WHERE person_id {_AMONG}", params
    return f"WHERE person.id {_AMONG}", params, "", []


def stream_people_lines(
    db: sqlite3.Connection,
    person_ids: Collection[int] | None = None,
    matched_in: dict[int, tuple[str, ...]] | None = None,
) -> Iterator[PersonLine]:
    """The people (everyone, or these ids) by name then id as their tables show them
    (``matched`` from ``matched_in``), a batch at a time: their own columns and tags
    only, no contact lists (`find` at 100,000 people writes 46,902 lines)."""
    where, params, among, among_params = _scopes(db, person_ids)
    tags = _tags_of(db, _tag_order(db, str), _tag_sets(db, among, among_params), tuple)
    none: tuple[str, ...] = ()
    cursor = db.execute(f"{_LINES} {where} {_by_name(db)}", params)
    while batch := cursor.fetchmany(STREAM_BATCH):
        if matched_in is None:
            yield from [
                PersonLine(pid, name, org, role, circle, tags.get(pid, none), touch)
                for pid, name, org, role, circle, touch in batch
            ]
        else:
            yield from [
                PersonLine(
                    pid, name, org, role, circle, tags.get(pid, none), touch, matched_in[pid]
                )
                for pid, name, org, role, circle, touch in batch
            ]


# --- `list --json` and `find --json` in a pipe: the text written by SQLite -----------
#
# Each person's item as ``json.dumps(..., ensure_ascii=False)`` writes a PersonRow
# (``"key": value`` joined by ", "), made in C by the database: ``json_quote``
# escapes text as Python's encoder does (``\"``, ``\\``, ``\b \f \n \r \t``, the
# other controls as ``\u00XX``), so no record is built and no encoder runs (1.9 ->
# 1.2 s of CPU at 100,000 people, in one process). The contact lists are read in one
# pass each and put in between here. PostgreSQL keeps the records (:func:`stream_people`).
# A number column holding a fraction (givenet writes whole numbers only) would be
# written by SQLite to 15 digits where Python writes the shortest exact form.


def _json_text(column: str) -> str:
    """SQL for a nullable column as JSON: ``null`` or its value quoted (a test before
    the call: most such columns are mostly empty)."""
    return f"CASE WHEN {column} IS NULL THEN 'null' ELSE json_quote({column}) END"


def _json_flag(column: str) -> str:
    """SQL for a flag as JSON, true as Python's ``bool`` of the value is."""
    return (
        f"CASE WHEN {column} IS NULL OR {column} = 0 OR {column} = '' THEN 'false' ELSE 'true' END"
    )


def _json_segment(lead: str, fields: Sequence[tuple[str, str]], trail: str) -> str:
    """One ``printf`` writing ``lead``, the fields as ``"key": value``, then ``trail``."""
    written = ", ".join(f'"{key}": %s' for key, _ in fields)
    return f"printf('{lead}{written}{trail}', {', '.join(sql for _, sql in fields)})"


# PersonRow's fields in order; its three lists go in where a segment ends with "[".
_JSON_PEOPLE = (
    "SELECT person.id, "
    + _json_segment(
        "{", [("id", "person.id"), ("name", "json_quote(person.name)")], ', "emails": ['
    )
    + ", "
    + _json_segment(
        "], ",
        [(column, _json_text(f"person.{column}")) for column in ("org", "role", "location", "url")],
        ', "tags": [',
    )
    + ", "
    + _json_segment(
        "], ",
        [
            ("circle", "json_quote(person.circle)"),
            ("cadence_days", "json_quote(person.cadence_days)"),
            ("new_to_field", _json_flag("person.new_to_field")),
            ("reach", "json_quote(person.reach)"),
            ("birthday", _json_text("person.birthday")),
            ("no_intros", _json_flag("person.no_intros")),
            *(
                (column, _json_text(f"person.{column}"))
                for column in ("open_to", "snoozed_until", "source", "source_connected_on")
            ),
            (  # nullif(replace(created_at, ' ', 'T'), ''), replaced once
                "created_at",
                "CASE WHEN person.created_at IS NULL OR person.created_at = '' THEN 'null' "
                "ELSE json_quote(replace(person.created_at, ' ', 'T')) END",
            ),
            ("last_touch", _json_text("person_touch.last_touch")),
        ],
        "",
    )
    + " FROM person LEFT JOIN person_touch ON person_touch.person_id = person.id"
)
# The ids of a listing, as one parameter (a JSON list).
_AMONG = "IN (SELECT CAST(value AS INTEGER) FROM json_each(?))"


def _json_lists(
    db: sqlite3.Connection, table: str, column: str, among: str, params: list[str]
) -> dict[int, str]:
    """Each person's emails or phones in order, as the JSON between the list's brackets."""
    return dict(
        db.execute(
            f"SELECT person_id, group_concat(json_quote({column}), ', ') FROM (SELECT "
            f"person_id, {column} FROM {table} {among} ORDER BY person_id, position) "
            "GROUP BY person_id",
            params,
        )
    )


def _written_by_database(db: sqlite3.Connection) -> bool:
    """Whether the database writes the JSON (SQLite; PostgreSQL keeps the records,
    whose JSON is the same)."""
    return not on_postgres(db)


def stream_people_json(
    db: sqlite3.Connection,
    person_ids: Collection[int] | None = None,
    matched_in: dict[int, tuple[str, ...]] | None = None,
) -> Iterator[str]:
    """The people (everyone, or these ids) by name then id as compact JSON items, a
    batch at a time: each batch the text ``json.dumps(ensure_ascii=False)`` writes
    between a list's brackets for their :class:`PersonRow` (:class:`FoundPerson`,
    ending in ``matched``, with ``matched_in``), byte for byte.
    """
    from givenet.records import json_items

    if not _written_by_database(db):
        if matched_in is None:
            yield from json_items(stream_people(db, PersonRow, person_ids))
            return
        found = matched_in
        yield from json_items(
            stream_people(db, lambda *person: FoundPerson(*(*person, found[person[0]])), found)
        )
        return
    where, params, among, among_params = _scopes(db, person_ids)
    emails = _json_lists(db, "email", "address", among, among_params)
    phones = _json_lists(db, "phone", "number", among, among_params)
    order = _tag_order(db, lambda name: json.dumps(name, ensure_ascii=False))
    tags = _tags_of(db, order, _tag_sets(db, among, among_params), ", ".join)
    ends = {}
    if matched_in is not None:
        labels = {found: json.dumps(list(found)) for found in set(matched_in.values())}
        ends = {pid: f', "matched": {labels[found]}}}' for pid, found in matched_in.items()}
    email, phone, tag, end = emails.get, phones.get, tags.get, ends.get
    cursor = db.execute(f"{_JSON_PEOPLE} {where} ORDER BY +person.key, person.id", params)
    while batch := cursor.fetchmany(STREAM_BATCH):
        yield ", ".join(
            [
                f'{head}{email(pid, "")}], "phones": [{phone(pid, "")}'
                f"{middle}{tag(pid, '')}{tail}{end(pid, '}')}"
                for pid, head, middle, tail in batch
            ]
        )


def _people_where(tag: str | None, circle: str | None) -> tuple[str, list[Any]]:
    """The WHERE clause (or "") on ``person`` for a tag and/or a circle, and its values."""
    conditions, params = [], []
    if tag:
        conditions.append(
            "id IN (SELECT person_id FROM person_tag JOIN tag ON tag.id = person_tag.tag_id "
            "WHERE tag.key = ?)"
        )
        params.append(" ".join(tag.split()).casefold())
    if circle:
        conditions.append("circle = ?")
        params.append(circle)
    return (f"WHERE {' AND '.join(conditions)}" if conditions else ""), params


def _chosen(db: sqlite3.Connection, tag: str | None, circle: str | None) -> list[int] | None:
    """The ids of the people with this tag and/or in this circle; None for everyone."""
    where, params = _people_where(tag, circle)
    if not where:
        return None
    return [row[0] for row in rows(db, f"SELECT id FROM person {where}", params)]


def list_people(
    db: sqlite3.Connection, *, tag: str | None = None, circle: str | None = None
) -> list[PersonRow]:
    """People with this tag and/or in this circle (everyone without either), by name."""
    return list(iter_people(db, tag=tag, circle=circle))


def iter_people(
    db: sqlite3.Connection, *, tag: str | None = None, circle: str | None = None
) -> Iterator[PersonRow]:
    """``list_people``, read and built a batch of people at a time (``list --json`` of
    100,000 people holds one batch and the contact lists, not every person)."""
    return stream_people(db, PersonRow, _chosen(db, tag, circle))


def people_lines(
    db: sqlite3.Connection, *, tag: str | None = None, circle: str | None = None
) -> Iterator[PersonLine]:
    """:func:`iter_people`'s people as their table shows them, a batch at a time."""
    return stream_people_lines(db, _chosen(db, tag, circle))


def people_json(
    db: sqlite3.Connection, *, tag: str | None = None, circle: str | None = None
) -> Iterator[str]:
    """:func:`iter_people`'s people as compact JSON, a batch at a time
    (:func:`stream_people_json`)."""
    return stream_people_json(db, _chosen(db, tag, circle))


# Where `find` looks, and the words it uses to say where it found the text.
# ``{contains:col}`` is true where the column's text casefolded contains the query
# (see :func:`contains_folded`).
FIND_SOURCES = (
    ("name", "SELECT id FROM person WHERE instr(key, :q) > 0"),
    ("org", "SELECT id FROM person WHERE {contains:org}"),
    ("role", "SELECT id FROM person WHERE {contains:role}"),
    ("location", "SELECT id FROM person WHERE {contains:location}"),
    ("email", "SELECT person_id FROM email WHERE instr(key, :q) > 0"),
    (
        "tag",
        "SELECT person_id FROM person_tag JOIN tag ON tag.id = person_tag.tag_id "
        "WHERE instr(tag.key, :q) > 0",
    ),
    ("note", "SELECT person_id FROM note WHERE {contains:text}"),
    (  # each note folded once (not once per person met), and only the notes there are
        "meeting note",
        "SELECT person_id FROM meeting_person WHERE meeting_id IN (SELECT id FROM meeting "
        "WHERE note IS NOT NULL AND {contains:note})",
    ),
    ("ask", "SELECT person_id FROM ask WHERE {contains:text}"),
    ("offer", "SELECT person_id FROM offer WHERE {contains:text}"),
    (
        "ask tag",
        "SELECT ask.person_id FROM ask JOIN ask_tag ON ask_tag.ask_id = ask.id "
        "JOIN tag ON tag.id = ask_tag.tag_id WHERE instr(tag.key, :q) > 0",
    ),
    (
        "offer tag",
        "SELECT offer.person_id FROM offer JOIN offer_tag ON offer_tag.offer_id = offer.id "
        "JOIN tag ON tag.id = offer_tag.tag_id WHERE instr(tag.key, :q) > 0",
    ),
)
_CONTAINS = re.compile(r"\{contains:(\w+)\}")
LIKE_PATTERN_LIMIT = 50_000  # SQLITE_MAX_LIKE_PATTERN_LENGTH, in bytes


def _matched_in(db: sqlite3.Connection, text: str) -> dict[int, tuple[str, ...]]:
    """Where each person's text contains ``text``: their ``FIND_SOURCES`` labels, in order."""
    query = clean_text(text, "the text to find").casefold()
    matched_in: dict[int, list[str]] = {}
    like = "%" + re.sub(r"([\\%_])", r"\\\1", query) + "%"
    # (SQLite refuses a LIKE pattern longer than 50,000 bytes: such a query is looked
    # for casefolded, as a text that is not ASCII is.)
    ascii_query = query.isascii() and len(like) <= LIKE_PATTERN_LIMIT
    for label, sql in FIND_SOURCES:
        statement = _CONTAINS.sub(
            lambda found: contains_folded(db, found.group(1), ascii_query), sql
        )
        for (pid,) in rows(db, statement, {"q": query, "like": like}):
            labels = matched_in.get(pid)
            if labels is None:
                matched_in[pid] = [label]
            elif labels[-1] != label:  # sources run one at a time: a repeat is the last
                labels.append(label)
    return {pid: tuple(labels) for pid, labels in matched_in.items()}


def iter_found_people(db: sqlite3.Connection, text: str) -> Iterator[FoundPerson]:
    """People whose name, org, role, tags, notes, asks or offers contain the text, by
    name, a batch at a time.

    Each says where it was found (``matched``), in the order of ``FIND_SOURCES``.
    """
    matched_in = _matched_in(db, text)
    # The fields as one tuple: mypy cannot count what a star unpacks.
    return stream_people(
        db, lambda *person: FoundPerson(*(*person, matched_in[person[0]])), matched_in
    )


def found_people_lines(db: sqlite3.Connection, text: str) -> Iterator[PersonLine]:
    """:func:`iter_found_people`'s people as their table shows them, a batch at a time."""
    matched_in = _matched_in(db, text)
    return stream_people_lines(db, matched_in, matched_in)


def found_people_json(db: sqlite3.Connection, text: str) -> Iterator[str]:
    """:func:`iter_found_people`'s people as compact JSON, a batch at a time
    (:func:`stream_people_json`)."""
    matched_in = _matched_in(db, text)
    return stream_people_json(db, matched_in, matched_in)


def find_people(db: sqlite3.Connection, text: str) -> list[FoundPerson]:
    """:func:`iter_found_people`, all at once."""
    return list(iter_found_people(db, text))


def _filter(table: str, current_only: str | None, **equal: int | None) -> tuple[str, list[Any]]:
    """The WHERE of a listing: only current records (unless all), and only those whose
    columns equal the values given (one person's, one record, one meeting's)."""
    conditions = [current_only] if current_only else []
    params: list[Any] = []
    for column, value in equal.items():
        if value is not None:
            conditions.append(f"{table}.{column} = ?")
            params.append(value)
    return (f"WHERE {' AND '.join(conditions)}" if conditions else ""), params


def list_promises(
    db: sqlite3.Connection,
    *,
    include_kept: bool = False,
    person_id: int | None = None,
    promise_id: int | None = None,
    meeting_id: int | None = None,
) -> list[Promise]:
    """Promises, soonest due first: open ones (or all), of everyone or one person,
    or the one with ``promise_id``, or those made at one meeting."""
    from givenet.records.log import Promise

    where, params = _filter(
        "promise",
        None if include_kept else "promise.kept_on IS NULL",
        person_id=person_id,
        id=promise_id,
        meeting_id=meeting_id,
    )
    found = rows(
        db,
        "SELECT promise.id, promise.person_id, person.name, promise.text, promise.due, "
        "promise.kept_on, promise.meeting_id, event.name FROM promise "
        "JOIN person ON person.id = promise.person_id "
        "LEFT JOIN meeting ON meeting.id = promise.meeting_id "
        f"LEFT JOIN event ON event.id = meeting.event_id {where} "
        "ORDER BY promise.due, promise.id",
        params,
    )
    to_day = date.fromisoformat
    return [
        Promise(
            id=row[0],
            person=PersonRef(row[1], row[2]),
            text=row[3],
            due=to_day(row[4]),
            kept_on=to_day(row[5]) if row[5] else None,
            status="kept" if row[5] else "open",
            meeting_id=row[6],
            event=row[7],
        )
        for row in found
    ]


def list_asks(
    db: sqlite3.Connection,
    *,
    include_closed: bool = False,
    person_id: int | None = None,
    ask_id: int | None = None,
) -> list[Ask]:
    """Asks, most pressing first: open ones (or all), of everyone, one person or one id."""
    from givenet.records.asks import Ask

    where, params = _filter(
        "ask", None if include_closed else "ask.status = 'open'", person_id=person_id, id=ask_id
    )
    found = rows(
        db,
        "SELECT ask.id, ask.person_id, person.name, ask.text, ask.due, ask.urgent, ask.status, "
        "ask.created_on, ask.resolved_on, ask.via FROM ask JOIN person ON person.id = ask.person_id "
        f"{where} ORDER BY ask.urgent DESC, ask.due IS NULL, ask.due, ask.id",
        params,
    )
    tags = tags_by_owner(db, "ask_tag", "ask_id", [row[0] for row in found])
    to_day = date.fromisoformat
    return [
        Ask(
            id=row[0],
            person=PersonRef(row[1], row[2]),
            text=row[3],
            tags=tuple(tags.get(row[0], ())),
            due=to_day(row[4]) if row[4] else None,
            urgent=bool(row[5]),
            status=row[6],
            created_on=to_day(row[7]),
            resolved_on=to_day(row[8]) if row[8] else None,
            via=row[9],
        )
        for row in found
    ]


def list_offers(
    db: sqlite3.Connection,
    *,
    include_withdrawn: bool = False,
    person_id: int | None = None,
    offer_id: int | None = None,
) -> list[Offer]:
    """Offers by person: active ones (or all), of everyone, one person or one id."""
    from givenet.records.asks import Offer

    where, params = _filter(
        "offer",
        None if include_withdrawn else "offer.status = 'active'",
        person_id=person_id,
        id=offer_id,
    )
    found = rows(
        db,
        "SELECT offer.id, offer.person_id, person.name, offer.text, offer.status, "
        "offer.created_on FROM offer JOIN person ON person.id = offer.person_id "
        f"{where} ORDER BY person.key, offer.id",
        params,
    )
    tags = tags_by_owner(db, "offer_tag", "offer_id", [row[0] for row in found])
    to_day = date.fromisoformat
    return [
        Offer(
            id=row[0],
            person=PersonRef(row[1], row[2]),
            text=row[3],
            tags=tuple(tags.get(row[0], ())),
            status=row[4],
            created_on=to_day(row[5]),
        )
        for row in found
    ]


def list_events(
    db: sqlite3.Connection,
    *,
    upcoming_from: date | None = None,
    event_ids: Sequence[int] | None = None,
    follow_ups_open: dict[int, int] | None = None,
) -> list[EventListed]:
    """Events, oldest first, with who was expected and met (spec section 2's attendees).

    ``follow_ups_open`` is the count per event id of people met there awaiting a
    follow-up (see ``store/events.py``); events it leaves out have none.
    """
    from givenet.records.events import EventListed

    conditions: list[str] = []
    params: list[Any] = []
    if upcoming_from is not None:
        conditions.append("event.date >= ?")
        params.append(upcoming_from.isoformat())
    if event_ids is not None:
        conditions.append(f"event.id IN ({placeholders(len(event_ids))})" if event_ids else "0")
        params.extend(event_ids)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    found = rows(
        db,
        "SELECT event.id, event.name, event.date, event.place, event.notes "
        f"FROM event {where} ORDER BY event.date, event.id",
        params,
    )
    ids = [row[0] for row in found]
    topics = tags_by_owner(db, "event_tag", "event_id", ids)
    attendees: dict[tuple[int, str], list[PersonRef]] = defaultdict(list)
    for chunk in chunks(ids):
        for event_id, status, person_id, name in rows(
            db,
            "SELECT event_attendee.event_id, event_attendee.status, person.id, person.name "
            "FROM event_attendee JOIN person ON person.id = event_attendee.person_id "
            f"WHERE event_attendee.event_id IN ({placeholders(len(chunk))}) ORDER BY person.key",
            chunk,
        ):
            attendees[(event_id, status)].append(PersonRef(person_id, name))
    open_counts = follow_ups_open or {}
    to_day = date.fromisoformat
    return [
        EventListed(
            id=row[0],
            name=row[1],
            date=to_day(row[2]),
            place=row[3],
            notes=row[4],
            topics=tuple(topics.get(row[0], ())),
            expected=tuple(attendees.get((row[0], "expected"), ())),
            met=tuple(attendees.get((row[0], "met"), ())),
            follow_ups_open=open_counts.get(row[0], 0),
        )
        for row in found
    ]

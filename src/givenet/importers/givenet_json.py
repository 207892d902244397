"""givenet's own JSON export, read back: the whole database, or its people for ``--merge``.

The format (written by ``givenet export json``)::

    {"format": "givenet-export", "version": 1, "schema": <int>,
     "exported_at": "<ISO datetime>",
     "tables": {"<table>": [{"<column>": <value as SQLite stores it>, ...}, ...], ...}}

Every table of the schema except derived data (``match_candidate``, the
full-text indexes) is there, its rows ordered by primary key; values are as
SQLite holds them: ISO text dates, 0/1 booleans, numbers, text. A whole export
ends with a ``"derived"`` section: the match candidates, what computed them and
the digests of the tables and of the candidates as written
(``givenet.exporters.json``); a restore keeps them only when all agree, and
``--merge`` ignores them. The file is read as a stream, a batch of rows at a
time, in any JSON layout (``ExportStream``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from givenet.dates import birthday_month_day
from givenet.errors import InvalidInput
from givenet.exporters.json import FORMAT
from givenet.exporters.json import VERSION as FORMAT_VERSION
from givenet.importers import (
    ImportRecord,
    Parsed,
    RecordAsk,
    RecordNote,
    RecordOffer,
    RowProblem,
    check_readable,
    finish,
)
from givenet.vocab import ASK_STATUSES, CIRCLES, OFFER_STATUSES

# Person columns a merge carries over besides the contact fields.
PROFILE_COLUMNS = ("circle", "cadence_days", "new_to_field", "reach", "no_intros", "open_to")


@dataclass
class ExportDocument:
    shown: str
    schema: int
    tables: dict[str, list[dict[str, Any]]]
    derived: dict[str, Any] | None = None


def read_export(path: Path, latest_schema: int) -> ExportDocument:
    """Load and check a givenet export; refuse other files and newer schemas."""
    check_readable(path)
    shown = str(path)
    try:
        with path.open(encoding="utf-8-sig") as handle:
            document = json.load(handle)
    except json.JSONDecodeError as error:
        raise _not_json(shown, error.msg, error.lineno) from None
    except UnicodeDecodeError:
        raise _not_utf8(shown) from None
    except RecursionError:
        raise InvalidInput(f"{shown} is nested too deeply to be a givenet export") from None
    if not isinstance(document, dict):
        check_head(shown, {}, latest_schema)
    schema = check_head(shown, document, latest_schema)
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise _no_tables(shown)
    for name, table_rows in tables.items():
        if not isinstance(table_rows, list) or not all(isinstance(row, dict) for row in table_rows):
            raise _not_rows(shown, name)
    derived = document.get("derived")
    return ExportDocument(
        shown=shown,
        schema=schema,
        tables=tables,
        derived=derived if isinstance(derived, dict) else None,
    )


def check_head(shown: str, head: dict[str, Any], latest_schema: int) -> int:
    """Refuse what is not a givenet export this givenet can read; give its schema."""
    if head.get("format") != FORMAT:
        found = head.get("format")
        what = f'its "format" is {found!r}' if found is not None else 'it has no "format"'
        raise InvalidInput(f"{shown} is not a givenet export ({what}, not {FORMAT!r})")
    version = head.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput(f'{shown}: the export\'s "version" must be a number, not {version!r}')
    if version > FORMAT_VERSION:
        raise InvalidInput(
            f"{shown} was written by a newer givenet (export format {version}; this one reads "
            f"{FORMAT_VERSION}); upgrade givenet to import it"
        )
    schema = head.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise InvalidInput(f'{shown}: the export\'s "schema" must be a number, not {schema!r}')
    if schema > latest_schema:
        raise InvalidInput(
            f"{shown} is from a newer givenet (schema {schema}; this one knows {latest_schema}); "
            "upgrade givenet to import it"
        )
    return schema


def _not_json(shown: str, problem: str, line: int) -> InvalidInput:
    return InvalidInput(
        f"{shown} is not JSON ({problem} at line {line}); "
        "`givenet import json` reads the files `givenet export json` writes"
    )


def _not_utf8(shown: str) -> InvalidInput:
    return InvalidInput(f"{shown} is not UTF-8 text, so not a givenet export")


def _no_tables(shown: str) -> InvalidInput:
    return InvalidInput(f'{shown}: the export has no "tables" object')


def _not_rows(shown: str, name: str) -> InvalidInput:
    return InvalidInput(f"{shown}: table {name!r} must be a list of rows (objects)")


# --- reading an export as it is restored --------------------------------------------


class NotStreamable(Exception):
    """The file is valid JSON laid out so that it cannot be restored as it is read (its
    tables before its header, or not parents first): read it whole (``read_export``)."""


# How many rows a batch of ``ExportStream`` holds, and how much text it reads at a time.
STREAM_BATCH = 1000
STREAM_BLOCK = 1 << 18
# How much more than a block is read to end it with a whole line (a one-line file is
# then read a few blocks at a time, its values cut by the buffer's end read again).
STREAM_LINE_LIMIT = 4 * STREAM_BLOCK
_SPACE = " \t\r\n"


@dataclass(frozen=True)
class Derived:
    """The derived section of an export: what computed it, the digest of the tables it was
    computed from as the file holds them, and the digest of the tables this reader read."""

    computed_by: Any
    tables_digest: Any
    read_digest: str


class ExportStream:
    """A givenet export read a batch of rows at a time, so that memory stays flat in the
    size of the file.

    Any JSON layout reads (``json.JSONDecoder.raw_decode`` on a buffer of whole lines);
    the layout ``givenet export json`` writes, one row a line, is parsed many lines at a
    time. The header (``format``, ``version``, ``schema``) must come before the tables
    (else :class:`NotStreamable`); the messages are ``read_export``'s. The text of the
    "tables" object is hashed as it is read (``Derived.read_digest``).

    Read in order: ``tables()``, then ``derived()``, then ``derived_tables()`` (which
    reads the file to its end, and checks that nothing follows the document).
    """

    def __init__(self, path: Path, latest_schema: int) -> None:
        check_readable(path)
        self.shown = str(path)
        self._handle = path.open(encoding="utf-8-sig", newline="")
        self._buffer = ""
        self._at = 0  # the position read up to in the buffer
        self._lines_before = 0  # lines of the file before the buffer
        self._eof = False
        self._no_lines = False  # no whole line ahead in the buffer (until it is filled)
        self._failed_end = -1  # the end of the lines ahead that did not parse as rows
        self._hasher: Any = None
        self._hashed = 0  # the position in the buffer hashed up to
        self._digest = ""
        self._open = 0  # objects open around the position (the document's, the section's)
        self._decode = json.JSONDecoder().raw_decode
        self.head: dict[str, Any] = {}
        try:
            if self._peek() != "{":
                raise NotStreamable()  # not an object: read_export says what it is
            self._open_object()
            while (key := self._key()) != "tables":
                if key is None:
                    raise NotStreamable()  # no tables: read_export says so
                self.head[key] = self._value()
                self._after_member()
            if not {"format", "version", "schema"} <= self.head.keys():
                raise NotStreamable()  # they may follow the tables
            self.schema = check_head(self.shown, self.head, latest_schema)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> ExportStream:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- the document -----------------------------------------------------------

    def tables(self) -> Iterator[tuple[str, Iterator[list[dict[str, Any]]]]]:
        """Each table in the file's order: its name and its rows, a batch at a time
        (rows left unread when the next table is asked for are skipped)."""
        if self._peek() != "{":
            raise _no_tables(self.shown)
        self._digest = yield from self._hashed_tables()
        self._after_member()

    def _hashed_tables(self) -> Generator[tuple[str, Iterator[list[dict[str, Any]]]], None, str]:
        """The tables object at the position, its text hashed as it is read; its digest."""
        self._hasher = hashlib.sha256()
        self._hashed = self._at
        yield from self._tables_object()
        self._feed_hash()
        digest = "sha256:" + self._hasher.hexdigest()
        self._hasher = None
        return digest

    def derived(self) -> Derived | None:
        """The derived section's stamp and digest, read up to its own "tables" (None
        when the document has no section)."""
        while (key := self._key()) is not None:
            if key == "derived" and self._peek() == "{":
                break
            self._value()
            self._after_member()
        else:
            return None
        self._open_object()
        section: dict[str, Any] = {}
        while (key := self._key()) is not None:
            if key == "tables" and self._peek() == "{":
                self._section_tables = True
                break
            section[key] = self._value()
            self._after_member()
        return Derived(section.get("computed_by"), section.get("tables_digest"), self._digest)

    def derived_tables(self) -> Iterator[tuple[str, Iterator[list[dict[str, Any]]]]]:
        """The derived section's tables, as ``tables`` gives them; then the rest of the
        file is read, which must end with the document. Afterwards ``derived_rows_agree``
        says whether the section's "derived_digest" is the digest of its tables' text."""
        if self._section_tables:
            self._section_tables = False
            read = yield from self._hashed_tables()
            self._after_member()
            written = None
            while (key := self._key()) is not None:  # the section's other members, to its end
                value = self._value()
                if key == "derived_digest":
                    written = value
                self._after_member()
            self.derived_rows_agree = written == read
        if self._open:  # the document's members after the section, to its end
            self._after_member()
            while self._key() is not None:
                self._value()
                self._after_member()
        if self._peek() != "":
            self._fail("Extra data")

    _section_tables = False
    derived_rows_agree = False

    def _tables_object(self) -> Iterator[tuple[str, Iterator[list[dict[str, Any]]]]]:
        self._open_object()
        while (name := self._key()) is not None:
            if self._peek() != "[":
                raise _not_rows(self.shown, name)
            self._at += 1
            rows = self._rows(name)
            yield name, rows
            for _ in rows:  # what the caller left unread
                pass
            self._after_member()

    def _rows(self, name: str) -> Iterator[list[dict[str, Any]]]:
        """The rows of one table's list, a batch at a time, up to and with its ``]``."""
        batch: list[Any] = []
        first, after_comma = True, False
        while True:
            char = self._peek()
            if char == "]" and not after_comma:
                self._at += 1
                break
            if not first and not after_comma:  # a row ended: a comma must follow
                if char != ",":
                    self._fail("Expecting ',' delimiter")
                self._at += 1
                after_comma = True
                continue
            found = self._lines_of_rows()
            if found is None:
                batch.append(self._value())
                after_comma = False
            else:
                batch += found[0]
                after_comma = found[1]
            first = False
            if len(batch) >= STREAM_BATCH:
                yield self._checked(name, batch)
                batch = []
        if batch:
            yield self._checked(name, batch)

    def _checked(self, name: str, batch: list[Any]) -> list[dict[str, Any]]:
        for row in batch:
            if type(row) is not dict:
                raise _not_rows(self.shown, name)
        return batch

    def _lines_of_rows(self) -> tuple[list[Any], bool] | None:
        """The values on the whole lines ahead, parsed at once, and whether they end with
        a comma; None unless those lines hold only values and commas (the export's
        layout, one row a line, does up to the list's last row)."""
        if len(self._buffer) - self._at < STREAM_BLOCK // 2:
            self._fill()
        if self._no_lines:  # none on the buffer's text to its end: until it is filled
            return None
        buffer, at = self._buffer, self._at
        end = buffer.rfind("\n", at)  # the buffer holds a few blocks at most (_fill)
        if end <= at:
            self._no_lines = True
            return None
        if end == self._failed_end:  # this text, from an earlier row on, did not parse
            return None
        # A row that goes on past the last line (an indented file): the rows up to there
        # are read one at a time, not looked at again with each of them.
        self._failed_end = end
        # A "]" that begins a line closes a list: strings never hold a line break.
        closing = _LIST_END.search(buffer, at, end)
        if closing is not None:
            end = closing.start()
        text = buffer[at:end].rstrip()
        if not text or text[-1] not in "},":
            return None
        comma = text[-1] == ","
        try:
            rows = json.loads(f"[{text[:-1] if comma else text}]")
        except (json.JSONDecodeError, RecursionError):
            return None
        self._failed_end = -1
        if not rows:
            return None
        self._at = at + len(text)
        return rows, comma

    # --- the text ---------------------------------------------------------------

    def _fill(self) -> bool:
        """Read more of the file, whole lines; False at its end."""
        if self._eof:
            return False
        if self._at > STREAM_BLOCK:
            self._feed_hash()
            self._lines_before += self._buffer.count("\n", 0, self._at)
            self._buffer = self._buffer[self._at :]
            self._hashed -= self._at
            self._at = 0
        self._no_lines, self._failed_end = False, -1
        try:
            more = self._handle.read(STREAM_BLOCK)
            if more and not more.endswith("\n"):  # to the line's end, up to a limit
                more += self._handle.readline(STREAM_LINE_LIMIT)
        except UnicodeDecodeError:
            raise _not_utf8(self.shown) from None
        if not more:
            self._eof = True
            return False
        self._buffer += more
        return True

    def _feed_hash(self) -> None:
        if self._hasher is not None and self._at > self._hashed:
            self._hasher.update(self._buffer[self._hashed : self._at].encode("utf-8"))
            self._hashed = self._at

    def _peek(self) -> str:
        """The next character that is not white space (not consumed); "" at the end."""
        while True:
            buffer, at = self._buffer, self._at
            while at < len(buffer) and buffer[at] in _SPACE:
                at += 1
            self._at = at
            if at < len(buffer):
                return buffer[at]
            if not self._fill():
                return ""

    def _open_object(self) -> None:
        if self._peek() != "{":
            self._fail("Expecting value")
        self._at += 1
        self._open += 1

    def _key(self) -> str | None:
        """The next member's key (its ``:`` read), or None at the object's ``}`` (read)."""
        char = self._peek()
        if char == "}":
            self._at += 1
            self._open -= 1
            return None
        if char != '"':
            self._fail("Expecting property name enclosed in double quotes")
        key = self._value()
        if self._peek() != ":":
            self._fail("Expecting ':' delimiter")
        self._at += 1
        return str(key)

    def _after_member(self) -> None:
        """After a member: its comma (a key must follow), or the ``}`` (left for ``_key``)."""
        char = self._peek()
        if char == ",":
            self._at += 1
            if self._peek() != '"':
                self._fail("Expecting property name enclosed in double quotes")
        elif char != "}":
            self._fail("Expecting ',' delimiter")

    def _value(self) -> Any:
        """One JSON value at the position (reading more lines while it is incomplete)."""
        self._peek()
        while True:
            try:
                value, end = self._decode(self._buffer, self._at)
            except json.JSONDecodeError as error:
                # Incomplete (the text read so far ends inside it: at the error, or
                # anywhere when the buffer ends inside a line), or wrong.
                cut = error.pos >= len(self._buffer.rstrip()) or self._buffer[-1:] != "\n"
                if cut and self._fill():
                    continue
                self._fail(error.msg, error.pos)
            except RecursionError:
                raise InvalidInput(
                    f"{self.shown} is nested too deeply to be a givenet export"
                ) from None
            if end >= len(self._buffer) and self._fill():
                continue  # it may go on (a number cut by the buffer's end): read it again
            self._at = end
            return value

    def _fail(self, problem: str, at: int | None = None) -> NoReturn:
        position = self._at if at is None else at
        line = self._lines_before + self._buffer.count("\n", 0, position) + 1
        raise _not_json(self.shown, problem, line)


_LIST_END = re.compile(r"\n[ \t\r]*\]")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def id_key(value: Any) -> Any:
    """An id as a dictionary key; a list or an object (a hand-edited file) matches nothing."""
    return value if value is None or isinstance(value, (int, float, str)) else object()


def _tag_names(document: ExportDocument, link_table: str, owner: str) -> dict[Any, list[str]]:
    names = {id_key(row.get("id")): row.get("name") for row in document.tables.get("tag", [])}
    found: dict[Any, list[str]] = defaultdict(list)
    for row in document.tables.get(link_table, []):
        name = names.get(id_key(row.get("tag_id")))
        if isinstance(name, str):
            found[id_key(row.get(owner))].append(name)
    return found


def _by_person(document: ExportDocument, table: str) -> dict[Any, list[dict[str, Any]]]:
    found: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in document.tables.get(table, []):
        found[id_key(row.get("person_id"))].append(row)
    return found


def person_where(person_id: Any) -> str:
    """How a merge names a person row of the export (the records' ``where``)."""
    return f"person #{person_id}"


def people_records(document: ExportDocument, today: date) -> Iterator[Parsed]:
    """Each person of the export, with their emails, phones, tags, notes, asks and offers."""
    emails = _by_person(document, "email")
    phones = _by_person(document, "phone")
    notes = _by_person(document, "note")
    asks = _by_person(document, "ask")
    offers = _by_person(document, "offer")
    person_tags = _tag_names(document, "person_tag", "person_id")
    ask_tags = _tag_names(document, "ask_tag", "ask_id")
    offer_tags = _tag_names(document, "offer_tag", "offer_id")
    for row in document.tables.get("person", []):
        person_id = id_key(row.get("id"))
        where = person_where(row.get("id"))
        try:
            record = ImportRecord(
                where=where,
                name=_text(row.get("name")) or "",
                emails=[
                    email["address"]
                    for email in sorted(emails[person_id], key=lambda e: e.get("position") or 0)
                    if _text(email.get("address"))
                ],
                phones=[
                    phone["number"]
                    for phone in sorted(phones[person_id], key=lambda p: p.get("position") or 0)
                    if _text(phone.get("number"))
                ],
                org=_text(row.get("org")),
                role=_text(row.get("role")),
                location=_text(row.get("location")),
                url=_text(row.get("url")),
                tags=list(person_tags[person_id]),
                birthday=_text(row.get("birthday")),
                source=_text(row.get("source")),
                uid=_vcard_uid(row.get("source")),
                connected_on=_date(row.get("source_connected_on")),
                profile={column: row.get(column) for column in PROFILE_COLUMNS},
                notes=[
                    RecordNote(note["text"], _date(note.get("date")))
                    for note in notes[person_id]
                    if _text(note.get("text"))
                ],
                asks=[
                    RecordAsk(
                        text=ask["text"],
                        tags=list(ask_tags[ask.get("id")]),
                        due=_text(ask.get("due")),
                        urgent=bool(ask.get("urgent")),
                        status=ask.get("status") or "open",
                        created_on=_text(ask.get("created_on")),
                        resolved_on=_text(ask.get("resolved_on")),
                        via=_text(ask.get("via")),
                    )
                    for ask in asks[person_id]
                    if _text(ask.get("text"))
                ],
                offers=[
                    RecordOffer(
                        text=offer["text"],
                        tags=list(offer_tags[offer.get("id")]),
                        status=offer.get("status") or "active",
                        created_on=_text(offer.get("created_on")),
                    )
                    for offer in offers[person_id]
                    if _text(offer.get("text"))
                ],
            )
            problem = _check(record)
        except (TypeError, ValueError, KeyError) as error:
            problem = f"cannot be read ({error})"
        if problem:
            yield RowProblem(where, problem)
            continue
        yield finish(record, today)


def _check(record: ImportRecord) -> str | None:
    """What in a person of the export givenet could not store, if anything."""
    profile = record.profile
    if profile.get("circle") not in (None, *CIRCLES):
        return f"unknown circle {profile['circle']!r}"
    for column in ("cadence_days", "reach"):
        value = profile.get(column)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            return f"{column} must be a number, not {value!r}"
    for column in ("new_to_field", "no_intros"):
        if profile.get(column) not in (None, 0, 1):
            return f"{column} must be 0 or 1, not {profile[column]!r}"
    if record.birthday:
        try:
            birthday_month_day(record.birthday)  # the form and a real month and day
        except InvalidInput:
            return f"birthday {record.birthday!r} is not YYYY-MM-DD or --MM-DD"
    for ask in record.asks:
        if ask.status not in ASK_STATUSES:
            return f"an ask has the unknown status {ask.status!r}"
        for day in (ask.due, ask.created_on, ask.resolved_on):
            _date(day)
    for offer in record.offers:
        if offer.status not in OFFER_STATUSES:
            return f"an offer has the unknown status {offer.status!r}"
        _date(offer.created_on)
    return None


def _vcard_uid(source: Any) -> str | None:
    """The vCard UID an imported person carries in their source, so a merge matches on it."""
    if isinstance(source, str) and source.startswith("vcard:"):
        return source[len("vcard:") :] or None
    return None


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date")
    return date.fromisoformat(value[:10])

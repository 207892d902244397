"""Importers: read a file into plain records, one per person, without touching the database.

Each format module (``linkedin``, ``csv_file``, ``vcard``, ``givenet_json``)
yields, in file order, an :class:`ImportRecord` for each person it could read
and a :class:`RowProblem` for each row or card it could not. The store
(``givenet.store.importing``) decides what a record means for the database;
the core (``givenet.core.data.import_file``) runs the two in one transaction.

Reading a file needs neither the database nor the models: nothing here imports
SQLAlchemy or SQLModel (a test reads each kind of file in a fresh interpreter to
make sure). The vocabularies a file is checked against come from ``givenet.vocab``.

Text files are streamed: :class:`TextSource` picks the encoding (a BOM, else
UTF-8 when every byte is valid UTF-8, else cp1252; ``--encoding`` forces one)
and reports how many bytes have been read, for a progress bar.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from givenet.errors import InvalidInput
from givenet.records.data import RowProblem

# The largest file an import reads (docs/import-export.md): far more than any address
# book, far less than a machine's memory.
MAX_IMPORT_BYTES = 1 << 30
# Read in chunks this large when checking whether a file is UTF-8.
_CHUNK = 1 << 20
# Look at this much of a file without a BOM to tell UTF-16 from 8-bit text.
_SNIFF = 4096

# cp1252 leaves five bytes undefined; read them as Latin-1 rather than fail.
_CP1252_FALLBACK = "givenet-latin1"


def _latin1_for_undefined(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error(_CP1252_FALLBACK, _latin1_for_undefined)


@dataclass
class RecordNote:
    """A note to keep on the person; ``on`` is the import day when the file gives none."""

    text: str
    on: date | None = None


@dataclass
class RecordAsk:
    """An ask carried by a givenet export (``import json --merge``)."""

    text: str
    tags: list[str] = field(default_factory=list)
    due: str | None = None
    urgent: bool = False
    status: str = "open"
    created_on: str | None = None
    resolved_on: str | None = None
    via: str | None = None


@dataclass
class RecordOffer:
    """An offer carried by a givenet export (``import json --merge``)."""

    text: str
    tags: list[str] = field(default_factory=list)
    status: str = "active"
    created_on: str | None = None


@dataclass
class ImportRecord:
    """One person as a file describes them. Empty fields are ``None`` or empty lists."""

    where: str  # "line 12", "card at line 40", "person #7": for messages
    name: str
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    org: str | None = None
    role: str | None = None
    location: str | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    notes: list[RecordNote] = field(default_factory=list)
    birthday: str | None = None  # as stored: YYYY-MM-DD or --MM-DD
    uid: str | None = None  # a vCard UID
    source: str | None = None  # where they came from: "linkedin", a file name
    connected_on: date | None = None  # LinkedIn's "Connected On": not a meeting
    # Other person columns a givenet export carries (circle, cadence_days, reach, …).
    profile: dict[str, Any] = field(default_factory=dict)
    asks: list[RecordAsk] = field(default_factory=list)
    offers: list[RecordOffer] = field(default_factory=list)
    # Parts of the row or card that could not be read and were left out (a broken
    # PHOTO …): the person still comes in, and the summary says what was lost.
    left_out: list[str] = field(default_factory=list)


@dataclass
class EmptyRow:
    """A row with nothing to import (LinkedIn's rows holding only a date): counted, not refused."""

    where: str


Parsed = ImportRecord | RowProblem | EmptyRow


# --- reading text files -------------------------------------------------------


def choose_encoding(path: Path, forced: str | None = None) -> str:
    """The encoding to read ``path`` with: forced, else from a BOM, else UTF-8 or cp1252."""
    if forced:
        try:
            codec = codecs.lookup(forced)
        except LookupError:
            codec = None
        # rot13 and base64 are codecs too, but not ways to read text.
        if codec is None or not getattr(codec, "_is_text_encoding", True):
            raise InvalidInput(
                f"unknown encoding {forced!r}; try utf-8, cp1252, latin-1 or utf-16"
            ) from None
        name = codec.name
        # A UTF-8 file may still start with a BOM: never let it into the first header.
        return "utf-8-sig" if name == "utf-8" else name
    with path.open("rb") as handle:
        start = handle.read(4)
        if start.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        utf16 = _utf16_without_bom(handle.read(_SNIFF))
        if utf16:
            return utf16
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _utf16_without_bom(start: bytes) -> str | None:
    """``utf-16-be`` or ``utf-16-le`` when the bytes look like mostly-ASCII UTF-16 text.

    Text files hold no NUL bytes; UTF-16 of Latin, Greek or Cyrillic text has one in
    most pairs, on the high side: NULs at even offsets are big-endian, at odd ones
    little-endian.
    """
    pairs = len(start) // 2
    if pairs < 2:
        return None
    even = start[0 : pairs * 2 : 2].count(0)
    odd = start[1 : pairs * 2 : 2].count(0)
    if even >= pairs * 0.3 and odd <= pairs * 0.02:
        return "utf-16-be"
    if odd >= pairs * 0.3 and even <= pairs * 0.02:
        return "utf-16-le"
    return None


class TextSource:
    """A text file opened for streaming, with the number of bytes read so far.

    Use as a context manager; ``text`` is the decoded stream (``newline=""`` for
    the csv module, or universal newlines for vCards).
    """

    def __init__(
        self, path: Path, encoding: str | None = None, *, newline: str | None = ""
    ) -> None:
        self.path = path
        self.shown = str(path)
        check_readable(path)
        self.size = path.stat().st_size
        self.encoding = choose_encoding(path, encoding)
        self.forced = encoding is not None
        self._newline = newline
        self._raw: io.BufferedReader | None = None
        self.text: io.TextIOWrapper

    def __enter__(self) -> TextSource:
        self._raw = self.path.open("rb")
        errors = "strict" if self.forced or self.encoding != "cp1252" else _CP1252_FALLBACK
        self.text = io.TextIOWrapper(
            self._raw, encoding=self.encoding, errors=errors, newline=self._newline
        )
        return self

    def __exit__(self, *exc: object) -> None:
        self.text.close()

    def position(self) -> int:
        """Bytes read so far (the decoder reads ahead by a few kilobytes at most)."""
        return self._raw.tell() if self._raw is not None and not self._raw.closed else 0

    def decode_problem(self, error: UnicodeError) -> InvalidInput:
        hint = "utf-8, cp1252 or latin-1"
        if "utf-16" in self.encoding or self.encoding.startswith("utf_16"):
            hint = "utf-16-be, utf-16-le, utf-8 or cp1252"
        return InvalidInput(
            f"{self.shown} is not valid {self.encoding} text (a byte near position "
            f"{self.position()} cannot be read); try --encoding {hint}"
        )

    def nul_problem(self, what: str) -> InvalidInput:
        """NULs in the text: what UTF-16 read as 8-bit text looks like."""
        return InvalidInput(
            f"{self.shown}: {what} holds NUL bytes, as UTF-16 text does; "
            "try --encoding utf-16-be (or utf-16-le)"
        )


def check_readable(path: Path) -> None:
    """A regular file no larger than ``MAX_IMPORT_BYTES``: a pipe would hang the import,
    ``/dev/zero`` would fill memory."""
    if not path.exists():
        raise InvalidInput(f"no file {str(path)!r}")
    if path.is_dir():
        raise InvalidInput(f"{str(path)!r} is a folder, not a file")
    if not path.is_file():
        raise InvalidInput(
            f"{str(path)!r} is not a regular file (a device, a pipe or a socket); "
            "import reads files"
        )
    size = path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise InvalidInput(
            f"{str(path)!r} is {size / (1 << 30):.1f} GiB; givenet imports files of up to "
            f"{MAX_IMPORT_BYTES >> 30} GiB"
        )
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        raise InvalidInput(f"cannot read {str(path)!r}: {error.strerror}") from None


# --- cleaning values ------------------------------------------------------------

# An address: something, one @, a domain with a dot or a name; no spaces, no commas.
_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+")
_BIRTHDAY = re.compile(
    r"(?P<year>\d{4}|--)-?(?P<month>\d{2})-?(?P<day>\d{2})(?:T[\d:.Z+-]*)?", re.ASCII
)
# Apple Contacts writes a birthday without a year as year 1604.
_NO_YEAR_MARKER = "1604"


def text_or_none(value: Any) -> str | None:
    """A single-line field: whitespace collapsed, empty as None."""
    if not value:
        return None
    cleaned = " ".join((value if type(value) is str else str(value)).split())
    return cleaned or None


def multiline_or_none(value: Any) -> str | None:
    """A note: line breaks kept, outer whitespace removed, empty as None."""
    if value is None:
        return None
    cleaned = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return cleaned or None


def split_values(text: str | None, separators: str = r"\s*:::\s*") -> list[str]:
    """Several values in one cell (Google Contacts joins them with ' ::: ')."""
    if not text:
        return []
    return [part for part in (text_or_none(piece) for piece in re.split(separators, text)) if part]


def split_emails(text: str | None) -> list[str]:
    """Addresses in one cell: Google's ' ::: ', or ';' and ',' (no address holds either)."""
    return split_values(text, r"\s*(?::::|[,;])\s*")


def split_phones(text: str | None) -> list[str]:
    """Numbers in one cell: Google's ' ::: ', or '; ' as `givenet export csv` joins them
    (a ';' with no space after it stays: ``tel:+1-555-0100;ext=2``)."""
    return split_values(text, r"\s*:::\s*|\s*;\s+")


def split_tags(text: str | None) -> list[str]:
    """Tags in one cell, separated by commas, semicolons or ' ::: '."""
    return split_values(text, r"\s*(?::::|[,;])\s*")


def clean_email(text: str) -> str:
    """An address as written, without a ``mailto:`` or angle brackets; refuse non-addresses."""
    value = text.strip().strip("<>").strip()
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:") :]
    if not _EMAIL.fullmatch(value):
        shown = value if len(value) <= 60 else value[:60] + "…"
        raise ValueError(f"{shown!r} does not look like an email address")
    return value


def clean_phone(text: str) -> str | None:
    value = text_or_none(text)
    if value and value.lower().startswith("tel:"):
        value = value[len("tel:") :].strip() or None
    return value


def unique(values: Iterable[str], key: Any = str.casefold) -> list[str]:
    seen: set[str] = set()
    kept = []
    for value in values:
        marker = key(value)
        if marker not in seen:
            seen.add(marker)
            kept.append(value)
    return kept


def read_birthday(text: str, today: date, *, no_year: bool = False) -> str | None:
    """A birthday in the stored form, or None when the text is not a day we can read.

    Reads ISO and vCard forms (``1990-03-14``, ``19900314``, ``--0314``,
    ``--03-14``, with or without a time) and what ``givenet add --birthday`` reads.
    """
    from givenet.dates import parse_birthday

    cleaned = text.strip()
    match = _BIRTHDAY.fullmatch(cleaned)
    if match:
        year = match["year"]
        month, day = int(match["month"]), int(match["day"])
        if year == "--" or no_year or year == _NO_YEAR_MARKER:
            cleaned = f"--{month:02d}-{day:02d}"
        else:
            cleaned = f"{year}-{month:02d}-{day:02d}"
    try:
        return parse_birthday(cleaned, today)
    except Exception:  # any text at all may come in: an unreadable one is kept as a note
        return None


def finish(record: ImportRecord, today: date) -> Parsed:
    """Check and tidy a record as a format module built it; a problem when it is unusable."""
    if record.emails:
        try:
            record.emails = unique([clean_email(address) for address in record.emails])
        except ValueError as error:
            return RowProblem(record.where, str(error))
    if record.phones:
        phones = [clean_phone(value) for value in record.phones]
        record.phones = unique([phone for phone in phones if phone], key=str)
    if record.tags:
        tags = [text_or_none(value) for value in record.tags]
        record.tags = unique([tag for tag in tags if tag])
    name = text_or_none(record.name)
    if not name:
        # A contact with no name still has something to call them by.
        name = text_or_none(record.org)
        if not name and record.emails:
            name = record.emails[0]
    if not name:
        return RowProblem(record.where, "no name (and no email or organisation to use instead)")
    record.name = name
    record.org = text_or_none(record.org)
    record.role = text_or_none(record.role)
    record.location = text_or_none(record.location)
    record.url = text_or_none(record.url)
    record.uid = text_or_none(record.uid)
    if record.notes:
        record.notes = [note for note in record.notes if note.text.strip()]
    values = [
        record.name, *record.emails, *record.phones, *record.tags, record.org or "",
        record.role or "", record.location or "", record.url or "", record.uid or "",
        *(note.text for note in record.notes),
    ]  # fmt: skip
    if "\x00" in "".join(values):
        return RowProblem(record.where, "contains a NUL character")
    return record


# A note as `givenet export csv` and `export vcard` write each one: "2025-03-09: text".
_DATED_NOTE = re.compile(r"(\d{4}-\d{2}-\d{2}): ", re.ASCII)


def dated_notes(text: str | None) -> list[RecordNote]:
    """The notes of one cell or NOTE: several when its lines start ``YYYY-MM-DD: ``.

    A line that starts with a date and ": " begins a note of that day, and the lines
    after it (until the next such line) continue it; text with no such first line is
    one note of the import day. This reads back what givenet's exports write, so a
    round trip neither merges notes nor doubles them on a re-import.
    """
    whole = multiline_or_none(text)
    if whole is None:
        return []
    notes: list[RecordNote] = []
    for line in whole.split("\n"):
        match = _DATED_NOTE.match(line)
        day = None
        if match:
            try:
                day = date.fromisoformat(match.group(1))
            except ValueError:
                day = None
        if day is not None:
            notes.append(RecordNote(line[match.end() :] if match else line, day))
        elif notes:
            notes[-1].text += "\n" + line
        else:
            return [RecordNote(whole)]
    kept = []
    for note in notes:
        cleaned = multiline_or_none(note.text)
        if cleaned:
            kept.append(RecordNote(cleaned, note.on))
    return kept


def birthday_or_note(record: ImportRecord, text: str | None, today: date, **kwargs: Any) -> None:
    """Set the record's birthday, or keep text we cannot read as a note."""
    cleaned = text_or_none(text)
    if not cleaned:
        return
    birthday = read_birthday(cleaned, today, **kwargs)
    if birthday:
        record.birthday = birthday
    else:
        record.notes.append(RecordNote(f"Birthday (as the file gave it): {cleaned}"))

"""Spreadsheets: any CSV with a header row, Google Contacts' and Outlook's exports included.

Common headers are recognised as they are (Name, First Name, Last Name,
Email, Phone, Company, Title, Tags, Notes, URL, Birthday, …), as are Google
Contacts' numbered columns (``E-mail 1 - Value``, ``Phone 2 - Value``);
``--map COLUMN=FIELD`` names the others.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from givenet.dates import LONGEST_DURATION
from givenet.errors import InvalidInput
from givenet.importers import (
    ImportRecord,
    Parsed,
    RecordNote,
    RowProblem,
    TextSource,
    birthday_or_note,
    dated_notes,
    finish,
    split_emails,
    split_phones,
    split_tags,
    split_values,
    text_or_none,
)
from givenet.vocab import CIRCLES

# Fields over 128 KB are refused by the csv module unless the limit is raised.
FIELD_SIZE_LIMIT = 50 * 1024 * 1024

# What `--map COLUMN=FIELD` may name, and the words accepted for each.
FIELDS = {
    "name": "name",
    "full_name": "name",
    "first_name": "first_name",
    "first": "first_name",
    "given_name": "first_name",
    "middle_name": "middle_name",
    "last_name": "last_name",
    "last": "last_name",
    "family_name": "last_name",
    "nickname": "nickname",
    "email": "email",
    "phone": "phone",
    "org": "org",
    "company": "org",
    "organisation": "org",
    "organization": "org",
    "role": "role",
    "title": "role",
    "location": "location",
    "url": "url",
    "website": "url",
    "tags": "tags",
    "tag": "tags",
    "notes": "notes",
    "note": "notes",
    "birthday": "birthday",
    "uid": "uid",
    "ignore": "ignore",
}
FIELD_NAMES = (
    "name, first_name, middle_name, last_name, nickname, email, phone, org, role, "
    "location, url, tags, notes, birthday, uid, ignore"
)

# Headers recognised without --map (compared as lower-case letters and digits only),
# best first: the first non-empty one gives a single-valued field.
SINGLE_HEADERS = {
    "name": ("name", "fullname", "displayname", "contactname", "contact"),
    "first_name": ("firstname", "givenname", "first", "forename"),
    "middle_name": ("middlename", "additionalname"),
    "last_name": ("lastname", "familyname", "surname", "last"),
    "nickname": ("nickname",),
    "org": (
        "company", "organization", "organisation", "org", "organizationname",
        "organisationname", "organization1name", "companyname", "employer",
    ),
    "role": (
        "jobtitle", "role", "position", "organizationtitle", "organisationtitle",
        "organization1title", "title",
    ),
    "url": (
        "url", "website", "web", "webpage", "homepage", "websiteurl", "website1value",
        "webpage1", "personalwebsite", "personalwebpage", "website2value", "webpage2",
        "businesswebpage", "linkedin", "linkedinurl", "profileurl", "profile",
    ),
    "birthday": ("birthday", "bday", "dateofbirth", "birthdate", "dob"),
    # Thunderbird splits the birthday in three.
    "birth_year": ("birthyear",),
    "birth_month": ("birthmonth",),
    "birth_day": ("birthdayofmonth",),
    # Outlook's and Thunderbird's Department: kept as a note (givenet has no field).
    "department": ("department",),
    # What `givenet export csv` writes besides the contact fields.
    "circle": ("circle",),
    "cadence": ("cadence", "cadencedays"),
    "location": ("location", "city", "town", "address1city", "homecity", "businesscity"),
    "uid": ("uid", "vcarduid"),
}  # fmt: skip
# Every column that matches one of these gives values to a multi-valued field.
MULTI_HEADERS = {
    "email": re.compile(
        r"e?mails?|emailaddress(es|\d+)?|e?mail\d+(value|address)?"
        r"|(work|home|personal|other|primary|business|secondary|alternate|alternative"
        r"|additional)email(address)?\d*|email(home|work|personal|other|business)\d*"
    ),
    "phone": re.compile(
        r"phones?|phonenumbers?|tel|telephone|mobile|mobilephone|mobilenumber|cell|cellphone"
        r"|phone\d+(value)?|(home|business|work|mobile|other|primary|company|car|radio)phone\d*"
        r"|(home|work|business)mobile|phone(mobile|home|work|other)|(work|home)number"
    ),
    "tags": re.compile(r"tags?|labels?|groupmembership|groups?|categories|category|interests"),
    "notes": re.compile(r"notes?|comments?|description"),
}
# Google Contacts puts every contact in this system group (written "* myContacts",
# and "* My Contacts" in older files): not a tag. Compared as header keys.
GOOGLE_SYSTEM_LABELS = {"mycontacts"}
# The cell separators a file may use; the first row with more than one cell tells.
DELIMITERS = (",", ";", "\t")
# How much of the file is looked at to tell the separator.
SNIFF_LINES = 50
SNIFF_CHARS = 64 * 1024
# Outlook writes an unknown birthday as this.
NO_BIRTHDAY = {"0/0/00", "00/00/0000", "0/0/0000", "1/1/4501"}


def header_key(text: str) -> str:
    return "".join(character for character in text.casefold() if character.isalnum())


def parse_mapping(pairs: Sequence[str]) -> dict[str, str]:
    """``COLUMN=FIELD`` options as {column: field}; a bad one is a user error."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, equals, target = pair.rpartition("=")
        column = column.strip()
        wanted = target.strip().casefold().replace("-", "_").replace(" ", "_")
        if not equals or not column:
            raise InvalidInput(
                f"--map takes COLUMN=FIELD, e.g. --map 'Work Mail=email', not {pair!r}"
            )
        if wanted not in FIELDS:
            raise InvalidInput(
                f"--map {pair!r}: unknown field {target.strip()!r}; fields: {FIELD_NAMES}"
            )
        mapping[column] = FIELDS[wanted]
    return mapping


@dataclass
class Columns:
    """Which column positions feed which field."""

    single: dict[str, list[int]] = field(default_factory=dict)
    multi: dict[str, list[int]] = field(default_factory=dict)

    def add(self, target: str, index: int, *, first: bool = False) -> None:
        group = self.multi if target in MULTI_HEADERS else self.single
        positions = group.setdefault(target, [])
        if first:
            positions.insert(0, index)
        else:
            positions.append(index)

    def recognised(self) -> bool:
        return bool(self.single or self.multi)


def _resolve_column(header: Sequence[str], column: str) -> int | None:
    for compare in (str.strip, lambda text: text.strip().casefold(), header_key):
        wanted = compare(column)
        for index, cell in enumerate(header):
            if compare(cell) == wanted:
                return index
    return None


def plan_columns(header: Sequence[str], mapping: dict[str, str], shown: str) -> Columns:
    """Map header cells to fields: --map first, then the headers we know."""
    columns = Columns()
    mapped: set[int] = set()
    for column, target in mapping.items():
        index = _resolve_column(header, column)
        if index is None:
            listed = ", ".join(repr(cell) for cell in header[:20])
            more = ", …" if len(header) > 20 else ""
            raise InvalidInput(
                f"--map: {shown} has no column {column!r}; its columns: {listed}{more}"
            )
        mapped.add(index)
        if target != "ignore":
            columns.add(target, index, first=True)
    ranked: dict[str, list[tuple[int, int]]] = {}
    present = {header_key(cell) for cell in header}
    for index, cell in enumerate(header):
        if index in mapped:
            continue
        key = header_key(cell)
        if not key or (key == "title" and "jobtitle" in present):
            continue  # Outlook's "Title" is Mr or Dr when it also has "Job Title"
        if key == "birthday" and "birthmonth" in present:
            key = "birthdayofmonth"  # Thunderbird's "Birth Day", next to "Birth Month"
        placed = False
        for target, keys in SINGLE_HEADERS.items():
            if key in keys:
                ranked.setdefault(target, []).append((keys.index(key), index))
                placed = True
                break
        if placed:
            continue
        for target, pattern in MULTI_HEADERS.items():
            if pattern.fullmatch(key):
                columns.add(target, index)
                break
    for target, found in ranked.items():
        for _, index in sorted(found):
            columns.add(target, index)
    return columns


def sniff_delimiter(lines: Sequence[str]) -> str:
    """``,``, or ``;`` (Excel in much of Europe) or a tab, from the file's first lines.

    Each separator splits the sample; the one that gives the first row of more
    than one cell wins (the most cells on a tie, a comma before the others), so a
    LinkedIn preamble or a comma inside a note does not mislead it.
    """
    sample = "".join(lines)
    best: tuple[int, int, int] | None = None
    chosen = ","
    for order, delimiter in enumerate(DELIMITERS):
        try:
            for index, row in enumerate(csv.reader(io.StringIO(sample), delimiter=delimiter)):
                if len(row) > 1:
                    rank = (index, -len(row), order)
                    if best is None or rank < best:
                        best, chosen = rank, delimiter
                    break
        except csv.Error:
            continue
    return chosen


def csv_rows(source: TextSource) -> Iterator[tuple[int, list[str]] | RowProblem]:
    """(first line number, cells) for each record of the file, or a problem with one."""
    if csv.field_size_limit() < FIELD_SIZE_LIMIT:
        csv.field_size_limit(FIELD_SIZE_LIMIT)
    try:
        sample: list[str] = []
        size = 0
        while len(sample) < SNIFF_LINES and size < SNIFF_CHARS:
            line = source.text.readline()
            if not line:
                break
            sample.append(line)
            size += len(line)
    except UnicodeError as error:
        raise source.decode_problem(error) from None
    delimiter = sniff_delimiter(sample)
    reader = csv.reader(itertools.chain(sample, source.text), delimiter=delimiter)
    previous_end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeError as error:  # a decode error, or UTF-16 without a BOM
            raise source.decode_problem(error) from None
        except csv.Error as error:
            where = f"line {previous_end + 1}"
            if reader.line_num <= previous_end:
                raise InvalidInput(f"{source.shown} {where}: {error}") from None
            previous_end = reader.line_num
            yield RowProblem(where, f"not readable as CSV ({error})")
            continue
        start, previous_end = previous_end + 1, reader.line_num
        yield start, cells


def _cell(cells: Sequence[str], index: int) -> str:
    """One cell, with the formula guard of givenet's own CSV export taken off."""
    from givenet.exporters.csv import unguard

    return unguard(cells[index]) if index < len(cells) else ""


def read_csv(
    source: TextSource, today: date, mapping: dict[str, str] | None = None
) -> Iterator[Parsed]:
    """People from a spreadsheet with a header row."""
    rows = csv_rows(source)
    header: list[str] | None = None
    for item in rows:
        if isinstance(item, RowProblem):
            raise InvalidInput(f"{source.shown} {item.where}: the header is {item.reason}")
        if any(cell.strip() for cell in item[1]):
            header = item[1]
            break
    if header is None:
        raise InvalidInput(f"{source.shown} is empty: a CSV file needs a header row and rows")
    if "\x00" in "".join(header):
        raise source.nul_problem("the header")
    columns = plan_columns(header, mapping or {}, source.shown)
    if not columns.recognised():
        shown = ", ".join(repr(cell[:30]) for cell in header[:5]) + (
            ", …" if len(header) > 5 else ""
        )
        raise InvalidInput(
            f"{source.shown}: no column I know in the header ({shown}); name them with "
            "--map COLUMN=FIELD, e.g. --map 'Contact=name'"
        )
    source_name = source.path.name
    for item in rows:
        if isinstance(item, RowProblem):
            yield item
            continue
        line, cells = item
        if not any(cell.strip() for cell in cells):
            continue
        yield _record(columns, cells, f"line {line}", source_name, today)


def _first(columns: Columns, target: str, cells: Sequence[str]) -> str | None:
    for index in columns.single.get(target, []):
        value = text_or_none(_cell(cells, index))
        if value:
            return value
    return None


def _all(columns: Columns, target: str, cells: Sequence[str]) -> list[str]:
    return [_cell(cells, index) for index in columns.multi.get(target, [])]


def _record(
    columns: Columns, cells: Sequence[str], where: str, source_name: str, today: date
) -> Parsed:
    name = _first(columns, "name", cells)
    if not name:
        parts = [
            _first(columns, part, cells) for part in ("first_name", "middle_name", "last_name")
        ]
        name = " ".join(part for part in parts if part) or _first(columns, "nickname", cells)
    record = ImportRecord(
        where=where,
        name=name or "",
        emails=[value for cell in _all(columns, "email", cells) for value in split_emails(cell)],
        phones=[value for cell in _all(columns, "phone", cells) for value in split_phones(cell)],
        org=_first(columns, "org", cells),
        role=_first(columns, "role", cells),
        location=_first(columns, "location", cells),
        # Google joins several websites in one cell: the first is the url.
        url=next(iter(split_values(_first(columns, "url", cells))), None),
        uid=_first(columns, "uid", cells),
        source=source_name,
    )
    for cell in _all(columns, "tags", cells):
        for tag in split_tags(cell):
            tag = tag.lstrip("*").strip()
            if tag and header_key(tag) not in GOOGLE_SYSTEM_LABELS:
                record.tags.append(tag)
    for cell in _all(columns, "notes", cells):
        record.notes.extend(dated_notes(cell))
    department = _first(columns, "department", cells)
    if department:
        record.notes.append(RecordNote(f"Department: {department}"))
    birthday = _first(columns, "birthday", cells)
    if birthday in NO_BIRTHDAY:
        birthday = None
    birthday_or_note(record, birthday or _birthday_of_parts(columns, cells), today)
    problem = _circle_and_cadence(record, columns, cells)
    if problem:
        return RowProblem(where, problem)
    return finish(record, today)


def _birthday_of_parts(columns: Columns, cells: Sequence[str]) -> str | None:
    """Thunderbird's Birth Year, Birth Month and Birth Day as one birthday."""
    month, day = _first(columns, "birth_month", cells), _first(columns, "birth_day", cells)
    if not (month and day and month.isdigit() and day.isdigit()):
        return None
    year = _first(columns, "birth_year", cells)
    if year and year.isdigit() and len(year) == 4:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return f"--{int(month):02d}-{int(day):02d}"


def _circle_and_cadence(record: ImportRecord, columns: Columns, cells: Sequence[str]) -> str:
    """The Circle and Cadence columns `givenet export csv` writes; a problem's reason or ""."""
    circle = _first(columns, "circle", cells)
    if circle:
        if circle.casefold() not in CIRCLES:
            return f"circle {circle!r} is not one of {', '.join(CIRCLES)}"
        record.profile["circle"] = circle.casefold()
    cadence = _first(columns, "cadence", cells)
    if cadence:
        if not cadence.isdigit() or not 1 <= int(cadence) <= LONGEST_DURATION:
            return f"cadence {cadence!r} is not a number of days"
        record.profile["cadence_days"] = int(cadence)
    return ""

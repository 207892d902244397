"""LinkedIn's ``Connections.csv``, as it really comes.

The file starts with a few lines of notes and a blank line, then the header
``First Name,Last Name,URL,Email Address,Company,Position,Connected On``. Many
rows have no email (people choose whether their connections may see it).
``Connected On`` (``12 Mar 2024``) is where a person came from, not a meeting:
importing 10,000 connections must not put 10,000 follow-ups on the morning list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

from givenet.errors import InvalidInput
from givenet.importers import (
    EmptyRow,
    ImportRecord,
    Parsed,
    RowProblem,
    TextSource,
    finish,
    text_or_none,
)
from givenet.importers.csv_file import csv_rows, header_key

SOURCE = "linkedin"
# The header is within the first lines; anything later is not a LinkedIn export.
HEADER_SEARCH_ROWS = 30

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*\.?[ -](\d{4})", re.ASCII)
# Older exports and other locales of the same file: 2018's "1/8/18, 6:14 PM", and
# "08-Jan-18" where Excel re-saved it.
_OTHER_FORMATS = (
    "%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d", "%d-%b-%y", "%d-%b-%Y", "%b %d, %Y", "%B %d, %Y",
    "%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%y %I:%M %p", "%m/%d/%y %H:%M",
    "%m/%d/%Y %H:%M",
)  # fmt: skip


def read_connected_on(text: str) -> date | None:
    """``12 Mar 2024`` (and the older forms) as a date; None when unreadable."""
    cleaned = " ".join(text.split())
    match = _DAY_MONTH_YEAR.fullmatch(cleaned)
    if match and match.group(2).casefold() in _MONTHS:
        try:
            return date(
                int(match.group(3)), _MONTHS[match.group(2).casefold()], int(match.group(1))
            )
        except ValueError:
            return None
    for pattern in _OTHER_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    return None


def read_linkedin(source: TextSource, today: date) -> Iterator[Parsed]:
    """People from LinkedIn's Connections.csv."""
    rows = csv_rows(source)
    columns: dict[str, int] | None = None
    for seen, item in enumerate(rows):
        if seen >= HEADER_SEARCH_ROWS:
            break
        if isinstance(item, RowProblem):
            continue
        keys = [header_key(cell) for cell in item[1]]
        if "firstname" in keys and "lastname" in keys:
            columns = {key: index for index, key in reversed(list(enumerate(keys)))}
            break
    if columns is None:
        raise InvalidInput(
            f"{source.shown} does not look like LinkedIn's Connections.csv: no "
            "'First Name,Last Name,…' header in its first lines (for another spreadsheet "
            "use `givenet import csv`)"
        )

    # A column the file lacks reads the empty cell appended to every row.
    first, last, url, email, company, position, connected = (
        columns.get(key, columns.get(fallback, -1))
        for key, fallback in (
            ("firstname", ""), ("lastname", ""), ("url", "profileurl"),
            ("emailaddress", "email"), ("company", "organization"), ("position", "title"),
            ("connectedon", ""),
        )
    )  # fmt: skip
    width = max(columns.values()) + 1
    for item in rows:
        if isinstance(item, RowProblem):
            yield item
            continue
        line, cells = item
        if not any(cells):
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        cells.append("")
        where = f"line {line}"
        if not any(cells[index].strip() for index in (first, last, url, email, company, position)):
            # Real exports hold dozens of rows with only a Connected On date (people
            # who left LinkedIn): nothing to import, counted in the summary.
            yield EmptyRow(where)
            continue
        connected_text = cells[connected].strip()
        connected_on = read_connected_on(connected_text) if connected_text else None
        if connected_text and connected_on is None:
            yield RowProblem(where, f"cannot read the Connected On date {connected_text!r}")
            continue
        name = text_or_none(f"{cells[first]} {cells[last]}")
        if not name:
            # finish() would fall back on the company or email: a connection needs a name.
            yield RowProblem(where, "no first or last name")
            continue
        address = cells[email].strip()
        record = ImportRecord(
            where=where,
            name=name,
            emails=[address] if address else [],
            org=cells[company],
            role=cells[position],
            url=cells[url],
            source=SOURCE,
            connected_on=connected_on,
        )
        yield finish(record, today)

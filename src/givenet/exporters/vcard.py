"""vCard 4.0 export (RFC 6350): one card per person, written by hand with care.

Text values are escaped (backslash, comma, semicolon, newline), lines are
folded at 75 octets without splitting a UTF-8 character, and lines end with
CRLF, so ``vobject`` (and the vCard importer) read every card back as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from givenet.records.data import Contact

LINE_OCTETS = 75
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# Line breaks to Unicode (and to Python's str.splitlines) though not to vCard: a reader
# that splits lines on them would see a card cut in two, so they are written as \n.
UNICODE_BREAKS = re.compile("[\x85\u2028\u2029]")


def escape(text: str) -> str:
    """A text value as vCard writes it: ``\\``, ``,``, ``;`` and newlines escaped
    (U+0085, U+2028 and U+2029 as newlines too)."""
    text = UNICODE_BREAKS.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = CONTROL.sub("", text)
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, each after the first
    starting with a space."""
    if len(line.encode()) <= LINE_OCTETS:
        return line
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode())
        if size + width > LINE_OCTETS:
            pieces.append("".join(current))
            current, size = [], 1  # the leading space of the continuation line
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def name_parts(name: str) -> tuple[str, str]:
    """(family, given) for the N property: "Lopez, Maria" or "Maria Lopez"."""
    if name.count(",") == 1:
        family, given = (part.strip() for part in name.split(","))
        return family, given
    words = name.split()
    if len(words) < 2:
        return "", name.strip()
    return words[-1], " ".join(words[:-1])


def birthday_value(stored: str) -> str:
    """``YYYY-MM-DD`` → ``YYYYMMDD``; a yearless ``--MM-DD`` → ``--MMDD``."""
    if stored.startswith("--"):
        return "--" + stored[2:].replace("-", "")
    return stored.replace("-", "")


def _line(name: str, value: str, params: Sequence[str] = ()) -> str:
    head = ";".join([name, *params])
    return fold(f"{head}:{value}")


def card(person: Contact) -> str:
    family, given = name_parts(person.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "PRODID:-//givenet//givenet export vcard//EN",
        _line("UID", f"urn:uuid:{person.uid}"),
        _line("FN", escape(person.name)),
        _line("N", f"{escape(family)};{escape(given)};;;"),
    ]
    for index, address in enumerate(person.emails):
        lines.append(_line("EMAIL", escape(address), ["PREF=1"] if index == 0 else []))
    for index, number in enumerate(person.phones):
        params = ["VALUE=text", *(["PREF=1"] if index == 0 else [])]
        lines.append(_line("TEL", escape(number), params))
    if person.org:
        lines.append(_line("ORG", escape(person.org)))
    if person.role:
        lines.append(_line("TITLE", escape(person.role)))
    if person.location:
        # Free text: kept whole as the locality of an address.
        lines.append(_line("ADR", f";;;{escape(person.location)};;;"))
    if person.url:
        lines.append(_line("URL", escape(person.url)))
    if person.birthday:
        lines.append(_line("BDAY", birthday_value(person.birthday)))
    # One NOTE per note, dated as `export csv` dates them: the importer reads each back
    # as a note of that day, so a round trip neither merges nor doubles them.
    for day, text in person.notes:
        lines.append(_line("NOTE", escape(f"{day}: {text}")))
    if person.tags:
        lines.append(_line("CATEGORIES", ",".join(escape(tag) for tag in person.tags)))
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def dumps(people: Iterable[Contact]) -> str:
    return "".join(card(person) for person in people)

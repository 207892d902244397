"""vCard files (2.1, 3.0, 4.0), card by card, through vobject.

vobject stops at the first bad card of a file, so the file is split on
``BEGIN:VCARD`` / ``END:VCARD`` here and each card is parsed on its own: a
broken card is reported and the others still come in. Two things are
done to each card before vobject sees it:

* vCard 2.1's quoted-printable values are decoded here (with their CHARSET),
  their soft line breaks (a line ending in ``=`` continued on the next,
  unindented, line) joined: vobject reads such a continuation as a line of its own.
* commas in single-valued text (FN, NOTE, TITLE …) are escaped: vCard 2.1 does
  not escape them and many 3.0 writers forget to, and vobject would keep only
  the text before the first one ("Lopez, Maria" would become "Lopez").
"""

from __future__ import annotations

import codecs
import quopri
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from givenet.importers import (
    ImportRecord,
    Parsed,
    RecordNote,
    RowProblem,
    TextSource,
    birthday_or_note,
    finish,
    multiline_or_none,
    text_or_none,
)

_BEGIN = "BEGIN:VCARD"
_END = "END:VCARD"
_FN_LINE = re.compile(r"(?:[\w-]+\.)?FN[;:]", re.IGNORECASE)


def split_cards(lines: Iterable[str]) -> Iterator[tuple[int, list[str]] | RowProblem]:
    """(line of BEGIN:VCARD, the card's lines) for each card; a problem for an unclosed one."""
    card: list[str] | None = None
    start = 0
    for number, line in enumerate(lines, start=1):
        marker = line.strip().upper()
        if marker == _BEGIN:
            if card is not None:
                yield RowProblem(_where(start, card), "no END:VCARD before the next BEGIN:VCARD")
            card, start = [line], number
        elif card is not None:
            card.append(line)
            if marker == _END:
                yield start, card
                card = None
        # Text outside cards (blank lines, a stray header) is not a contact: skip it.
    if card is not None:
        yield RowProblem(_where(start, card), "the file ends before the card's END:VCARD")


def _where(start: int, lines: list[str]) -> str:
    """``card at line 12``, with the card's name when a FN line can be seen."""
    for line in lines:
        if _FN_LINE.match(line):
            name = text_or_none(line.split(":", 1)[1] if ":" in line else "")
            if name and "=" not in name:  # a quoted-printable name would only confuse
                return f"card at line {start} ({name[:60]})"
            break
    return f"card at line {start}"


def _is_quoted_printable(line: str) -> bool:
    head = line.split(":", 1)[0]
    return "QUOTED-PRINTABLE" in head.upper()


# Properties whose value is one text, where a comma is just a comma.
_SINGLE_TEXT = {"FN", "NOTE", "TITLE", "ROLE", "URL", "UID", "EMAIL", "TEL", "BDAY", "LABEL"}
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")


def _split_line(line: str) -> tuple[str, str] | None:
    """(name and parameters, value) at the first colon outside a quoted parameter."""
    quoted = False
    for index, character in enumerate(line):
        if character == '"':
            quoted = not quoted
        elif character == ":" and not quoted:
            return line[:index], line[index + 1 :]
    return None


def _decode_quoted_printable(value: str, charset: str) -> str:
    data = quopri.decodestring(value.encode("utf-8"))
    try:
        codec = codecs.lookup(charset.strip('"') or "utf-8").name
    except LookupError:
        codec = "utf-8"
    for candidate in dict.fromkeys((codec, "utf-8")):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


def normalise_line(line: str) -> str:
    """One content line made plain for vobject: quoted-printable decoded, commas escaped."""
    parts = _split_line(line)
    if parts is None:
        return line
    head, value = parts
    name, *params = head.split(";")
    bare = name.rsplit(".", 1)[-1].upper()
    encodings = {"ENCODING=QUOTED-PRINTABLE", "QUOTED-PRINTABLE"}
    if any(param.upper() in encodings for param in params):
        charset = next(
            (param.split("=", 1)[1] for param in params if param.upper().startswith("CHARSET=")),
            "utf-8",
        )
        text = _decode_quoted_printable(value, charset)
        value = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
        params = [
            param
            for param in params
            if param.upper() not in encodings and not param.upper().startswith("CHARSET=")
        ]
    if bare in _SINGLE_TEXT:
        value = _UNESCAPED_COMMA.sub(r"\\,", value)
    return ";".join([name, *params]) + ":" + value


def logical_lines(lines: Iterable[str]) -> list[str]:
    """A card's lines unfolded: folded lines joined, quoted-printable soft breaks too."""
    joined: list[str] = []
    soft_break = False
    for raw in lines:
        text = raw.rstrip("\r\n")
        if soft_break:
            # "=" at the end of a quoted-printable line: the next line continues the value.
            joined[-1] = joined[-1][:-1] + (text[1:] if text[:1] in (" ", "\t") else text)
        elif text[:1] in (" ", "\t") and joined:
            joined[-1] += text[1:]
        elif text.strip():
            joined.append(text)
        else:
            continue
        soft_break = joined[-1].endswith("=") and _is_quoted_printable(joined[-1])
    if soft_break:
        joined[-1] = joined[-1][:-1]
    return joined


def read_vcards(source: TextSource, today: date) -> Iterator[Parsed]:
    """People from a file of vCards."""
    import vobject

    try:
        for item in split_cards(source.text):
            if isinstance(item, RowProblem):
                yield item
                continue
            start, lines = item
            where = _where(start, lines)
            try:
                text = "\r\n".join(normalise_line(line) for line in logical_lines(lines))
                card = vobject.readOne(text + "\r\n")
                record = _record(card, where, source.path.name, today)
            except Exception as error:  # vobject raises many kinds on hostile input
                yield RowProblem(where, f"not a readable vCard ({_reason(error, start)})")
                continue
            yield finish(record, today)
    except UnicodeError as error:  # a decode error, or UTF-16 without a BOM
        raise source.decode_problem(error) from None


def _reason(error: Exception, start: int) -> str:
    message = getattr(error, "msg", None) or str(error) or type(error).__name__
    line = getattr(error, "lineNumber", None)
    text = " ".join(str(message).split())[:120]
    if isinstance(line, int):
        return f"line {start + line - 1}: {text}"
    return text


def _text(value: Any) -> str | None:
    """A property's value as one line of text (lists joined; binary data ignored)."""
    if value is None or isinstance(value, bytes):
        return None
    if isinstance(value, (list, tuple)):
        return text_or_none(", ".join(str(part) for part in value if str(part).strip()))
    return text_or_none(str(value))


def _children(card: Any, name: str) -> list[Any]:
    return list(card.contents.get(name, []))


def _first_text(card: Any, name: str) -> str | None:
    for child in _children(card, name):
        value = _text(child.value)
        if value:
            return value
    return None


def _name(card: Any) -> str | None:
    full = _first_text(card, "fn")
    if full:
        return full
    for child in _children(card, "n"):
        value = child.value
        parts: list[str | None]
        if isinstance(value, str):
            family, _, rest = value.partition(";")
            given, _, additional = rest.partition(";")
            parts = [given, additional.split(";")[0], family]
        else:
            parts = [
                _text(getattr(value, "given", None)),
                _text(getattr(value, "additional", None)),
                _text(getattr(value, "family", None)),
            ]
        name = " ".join(part.strip() for part in parts if part and part.strip())
        if name:
            return name
    nickname = _first_text(card, "nickname")
    return nickname.split(",")[0] if nickname else None


def _location(card: Any) -> str | None:
    for child in _children(card, "adr"):
        value = child.value
        if isinstance(value, str):
            continue
        parts = [
            _text(getattr(value, attribute, None)) for attribute in ("city", "region", "country")
        ]
        location = ", ".join(part for part in parts if part)
        if location:
            return location
    return None


def _param(child: Any, name: str) -> list[str]:
    return [str(value) for value in child.params.get(name, [])]


def _record(card: Any, where: str, file_name: str, today: date) -> ImportRecord:
    record = ImportRecord(
        where=where,
        name=_name(card) or "",
        emails=[value for child in _children(card, "email") if (value := _text(child.value))],
        phones=[value for child in _children(card, "tel") if (value := _text(child.value))],
        org=_first_text(card, "org"),
        role=_first_text(card, "title") or _first_text(card, "role"),
        location=_location(card),
        url=_first_text(card, "url"),
        uid=_first_text(card, "uid"),
        source=file_name,
    )
    for child in _children(card, "categories"):
        value = child.value
        parts = value if isinstance(value, (list, tuple)) else str(value).split(",")
        record.tags.extend(str(part) for part in parts)
    for child in _children(card, "note"):
        if isinstance(child.value, str) and (text := multiline_or_none(child.value)):
            record.notes.append(RecordNote(text))
    for child in _children(card, "bday")[:1]:
        text = _text(child.value)
        if [value.lower() for value in _param(child, "VALUE")] == ["text"]:
            if text:
                record.notes.append(RecordNote(f"Birthday (as the file gave it): {text}"))
            continue
        birthday_or_note(record, text, today, no_year=bool(_param(child, "X-APPLE-OMIT-YEAR")))
    return record

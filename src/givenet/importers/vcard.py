"""vCard files (2.1, 3.0, 4.0), card by card, through vobject.

vobject stops at the first bad card of a file, so the file is split on
``BEGIN:VCARD`` / ``END:VCARD`` here and each card is parsed on its own: a
broken card is reported and the others still come in. Two things are
done to each card before vobject sees it:

* vCard 2.1's quoted-printable values are decoded here (with their CHARSET),
  their soft line breaks (a line ending in ``=`` continued on the next,
  unindented, line) joined: vobject reads such a continuation as a line of its own.
* commas in single-valued text (FN, NOTE, TITLE …) and in ORG are escaped:
  vCard 2.1 does not escape them and many 3.0 writers forget to, and vobject would
  keep only the text before the first one ("Lopez, Maria" would become "Lopez").
  Escapes vobject leaves (``\\:``, ``\\'``, ``\\"``) are taken off.
* a property that cannot be read is left out, and the person still comes in
  (``ImportRecord.left_out`` says what was lost): a line vobject cannot parse (an
  unindented continuation), a PHOTO, LOGO, SOUND or KEY (givenet imports none of
  them; a broken one is named), Lotus Notes' ``PROFILE:VCard``. Outlook's empty
  parameter (``ADR;HOME;PREF;:``) is mended, not dropped.
* a 2.1 property's ``CHARSET=`` (``Windows-1253``, ``Windows-1251`` …) is honoured
  when the file as a whole was read as the cp1252 guess.
"""

from __future__ import annotations

import base64
import binascii
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
    dated_notes,
    finish,
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


# Properties whose value is one text, where a comma is just a comma; in ORG a comma
# is part of a unit's name ("Company, The"), units are separated by ";".
_SINGLE_TEXT = {
    "FN", "NOTE", "TITLE", "ROLE", "URL", "UID", "EMAIL", "TEL", "BDAY", "LABEL", "ORG",
}  # fmt: skip
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")
# Escapes some writers use that vCard does not define: "http\://", "\'", '\"'.
_NEEDLESS_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\([:'\"])")
# Binary properties: givenet imports none, and broken ones are common.
_BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
# Carries nothing, and vobject refuses a card that has it (Lotus Notes writes two).
_DROPPED = {"PROFILE"}
_EMPTY_PARAM = re.compile(r";+(?=;|$)")
_BASE64_LINE = re.compile(r"[A-Za-z0-9+/=]+")


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


def _redecode(value: str, charset: str, read_as: str | None) -> str:
    """A value read as cp1252 (the guess) decoded again in the charset its line declares."""
    if read_as != "cp1252":
        return value
    try:
        codec = codecs.lookup(charset.strip('"')).name
    except LookupError:
        return value
    if codec == "cp1252":
        return value
    try:
        data = value.encode("cp1252", errors="givenet-latin1-encode")
        return data.decode(codec)
    except UnicodeError:
        return value


def _encode_undefined(error: UnicodeError) -> tuple[bytes, int]:
    """The reverse of reading cp1252's five undefined bytes as Latin-1."""
    assert isinstance(error, UnicodeEncodeError)
    return error.object[error.start : error.end].encode("latin-1"), error.end


codecs.register_error("givenet-latin1-encode", _encode_undefined)


def normalise_line(line: str, read_as: str | None = None) -> str:
    """One content line made plain for vobject: quoted-printable decoded, commas escaped."""
    parts = _split_line(line)
    if parts is None:
        return line
    head, value = parts
    # Outlook writes "ADR;HOME;PREF;:" and "ADR;HOME;:": an empty parameter.
    if head.endswith(";") or ";;" in head:
        head = _EMPTY_PARAM.sub("", head)
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
    else:
        declared = next(
            (param.split("=", 1)[1] for param in params if param.upper().startswith("CHARSET=")),
            None,
        )
        if declared:
            value = _redecode(value, declared, read_as)
    if "\\" in value:
        value = _NEEDLESS_ESCAPE.sub(r"\1\2", value)
    if bare in _SINGLE_TEXT and "," in value:
        value = _UNESCAPED_COMMA.sub(r"\\,", value)
    return ";".join([name, *params]) + ":" + value


_NAME = re.compile(r"[^;:]*")


def _bare_name(line: str) -> str:
    """A content line's property name, upper-cased, without its group (``item1.``)."""
    match = _NAME.match(line)
    return match.group().rsplit(".", 1)[-1].strip().upper() if match else ""


def _property(line: str) -> tuple[list[str], str] | None:
    """(parameters, value) of a content line, or None."""
    parts = _split_line(line)
    if parts is None:
        return None
    return parts[0].split(";")[1:], parts[1]


def _binary_problem(params: list[str], value: str) -> str | None:
    """Why a PHOTO/LOGO/SOUND/KEY value is broken, or None when it reads."""
    encoded = any(param.upper() in ("ENCODING=B", "ENCODING=BASE64", "BASE64") for param in params)
    if not encoded:
        return None
    data = "".join(value.split())
    if data.lower().startswith("data:"):
        return "a data: URI where base64 data was declared"
    try:
        base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return "its base64 data is cut short or broken"
    return None


def usable_lines(
    lines: list[tuple[int, str]], read_as: str | None = None, *, check: bool = False
) -> tuple[list[str], list[str]]:
    """The card's lines made plain for vobject, and what was left out (and why).

    With ``check`` each line is parsed on its own first, and one vobject cannot
    read is left out: done only for a card that failed whole (it doubles the work).
    """
    import vobject.base

    kept: list[str] = []
    left_out: list[str] = []
    for number, line in lines:
        bare = _bare_name(line)
        if bare in _DROPPED:
            continue
        if bare in _BINARY:
            parsed = _property(line)
            problem = _binary_problem(*parsed) if parsed else None
            if problem:
                left_out.append(f"{bare} at line {number} left out: {problem}")
            continue
        text = normalise_line(line, read_as)
        if check:
            try:
                vobject.base.parseLine(text)
            except Exception:  # vobject raises several kinds on a line it cannot read
                shown = " ".join(line.split())
                shown = shown if len(shown) <= 50 else shown[:50] + "…"
                left_out.append(f"line {number} left out: not a vCard property ({shown!r})")
                continue
        kept.append(text)
    return kept, left_out


def numbered_lines(lines: Iterable[str], start: int = 1) -> list[tuple[int, str]]:
    """(line number of its start, text) of each logical line: folded lines joined,
    quoted-printable soft breaks too, and a 2.1 base64 value's unindented lines."""
    joined: list[tuple[int, str]] = []
    soft_break = False
    base64_value = False
    for number, raw in enumerate(lines, start=start):
        text = raw.rstrip("\r\n")
        if soft_break:
            # "=" at the end of a quoted-printable line: the next line continues the value.
            rest = text[1:] if text[:1] in (" ", "\t") else text
            joined[-1] = (joined[-1][0], joined[-1][1][:-1] + rest)
        elif text[:1] in (" ", "\t") and joined:
            joined[-1] = (joined[-1][0], joined[-1][1] + text[1:])
        elif base64_value and _BASE64_LINE.fullmatch(text):
            # vCard 2.1 base64 runs on, often unindented, until a blank line.
            joined[-1] = (joined[-1][0], joined[-1][1] + text)
            continue
        elif text.strip():
            joined.append((number, text))
        else:
            base64_value = False
            continue
        last = joined[-1][1]
        soft_break = last.endswith("=") and _is_quoted_printable(last)
        head = last.split(":", 1)[0].upper()
        base64_value = "BASE64" in head or "ENCODING=B" in head
    if soft_break:
        joined[-1] = (joined[-1][0], joined[-1][1][:-1])
    return joined


def read_vcards(source: TextSource, today: date) -> Iterator[Parsed]:
    """People from a file of vCards."""
    import vobject

    nul = False

    def text_lines() -> Iterator[str]:
        nonlocal nul
        for line in source.text:
            nul = nul or "\x00" in line
            yield line

    try:
        cards = 0
        for item in split_cards(text_lines()):
            cards += 1
            if isinstance(item, RowProblem):
                yield item
                continue
            start, lines = item
            where = _where(start, lines)
            read_as = None if source.forced else source.encoding
            try:
                numbered = numbered_lines(lines, start)
                kept, left_out = usable_lines(numbered, read_as)
                try:
                    card = vobject.readOne("\r\n".join(kept) + "\r\n")
                except Exception:
                    # Leave out the lines vobject cannot read, and try once more.
                    checked, left_out = usable_lines(numbered, read_as, check=True)
                    if len(checked) == len(kept):
                        raise
                    card = vobject.readOne("\r\n".join(checked) + "\r\n")
                record = _record(card, where, source.path.name, today)
            except Exception as error:  # vobject raises many kinds on hostile input
                yield RowProblem(where, f"not a readable vCard ({_reason(error, start)})")
                continue
            record.left_out.extend(left_out)
            yield finish(record, today)
    except UnicodeError as error:  # a decode error, or UTF-16 without a BOM
        raise source.decode_problem(error) from None
    if not cards and nul:
        raise source.nul_problem("the file (in which no BEGIN:VCARD line was found)")


def _reason(error: Exception, start: int) -> str:
    message = getattr(error, "msg", None) or str(error) or type(error).__name__
    line = getattr(error, "lineNumber", None)
    text = " ".join(str(message).split())[:120]
    if isinstance(line, int):
        return f"line {start + line - 1}: {text}"
    return text


def _parts(value: Any) -> list[str]:
    """A value's texts, nested lists flattened: never a Python list's ``repr``."""
    if value is None or isinstance(value, bytes):
        return []
    if isinstance(value, (list, tuple)):
        return [text for part in value for text in _parts(part)]
    text = text_or_none(str(value))
    return [text] if text else []


def _text(value: Any) -> str | None:
    """A property's value as one line of text (lists joined; binary data ignored)."""
    return text_or_none(", ".join(_parts(value)))


def _org(card: Any) -> tuple[str | None, list[str]]:
    """(organisation, its units): ``ORG:Company, The;Department`` is "Company, The"."""
    for child in _children(card, "org"):
        value = child.value
        units = (
            [", ".join(_parts(unit)) for unit in value]
            if isinstance(value, (list, tuple))
            else [str(value)]
        )
        cleaned = [text for unit in units if (text := text_or_none(unit))]
        if cleaned:
            return cleaned[0], cleaned[1:]
    return None, []


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
    org, units = _org(card)
    record = ImportRecord(
        where=where,
        name=_name(card) or "",
        emails=[value for child in _children(card, "email") if (value := _text(child.value))],
        phones=[value for child in _children(card, "tel") if (value := _text(child.value))],
        org=org,
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
    if units:
        # ORG's units after the first (department, team): givenet has no field, so a note.
        record.notes.append(RecordNote(f"Department: {', '.join(units)}"))
    for child in _children(card, "note"):
        if isinstance(child.value, str):
            record.notes.extend(dated_notes(child.value))
    for child in _children(card, "bday")[:1]:
        text = _text(child.value)
        if [value.lower() for value in _param(child, "VALUE")] == ["text"]:
            if text:
                record.notes.append(RecordNote(f"Birthday (as the file gave it): {text}"))
            continue
        birthday_or_note(record, text, today, no_year=bool(_param(child, "X-APPLE-OMIT-YEAR")))
    return record

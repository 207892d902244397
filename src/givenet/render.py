"""The one place that prints: rich tables on a terminal, stable plain text in a pipe, JSON.

rich is imported only when a table goes to a terminal, so piped and ``--json``
output stays quick. ``NO_COLOR`` is honoured (rich reads it; plain text has no
colour at all).
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

# What stored text must never send to a terminal: C0 controls (ESC starts OSC 52,
# which writes the clipboard, and OSC 8 hidden links), DEL, C1 controls (U+009B is
# CSI on some terminals), and the bidi embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069) that make text read backwards. Newline and tab
# are kept, for multi-line text.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# In JSON, C0 controls are escaped by the encoder; these are escaped here (``\\u009b``),
# which is still exactly the same text to a JSON reader.
_UNSAFE_IN_JSON = "[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]"  # compiled when needed
# In UTF-8 each of those starts with one of these bytes: looking for them in the
# encoded document is about a hundred times quicker than the pattern over 10 MB.
_JSON_ESCAPE_MARKERS = (b"\x7f", b"\xc2", b"\xe2\x80", b"\xe2\x81")


def _escaped(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """``text`` fit for a terminal: every control character (but newline and tab) and
    bidi override shown escaped, ``\\x1b``, ``\\u202e``. The one sanitiser: every line,
    table, field, warning and error printed here goes through it; ``print_json`` and
    :func:`document` in a pipe keep the exact text."""
    return _UNSAFE.sub(_escaped, text) if _UNSAFE.search(text) else text


def is_terminal() -> bool:
    return sys.stdout.isatty()


def print_json(document: Any) -> None:
    """One JSON document on stdout, nothing else.

    Indented for a person at a terminal; compact in a pipe, where the standard
    library's fast encoder writes 20,000 people several times quicker.
    """
    from givenet.records import json_default

    indent = 2 if is_terminal() else None
    _write_json(
        json.dumps(document, ensure_ascii=False, indent=indent, default=json_default) + "\n"
    )


def print_json_items(items: Iterable[Any], batch: int = 1000) -> None:
    """``print_json(list(items))``, byte for byte, written a batch of items at a time:
    a listing of 100,000 people never holds all of them, nor all of its text."""
    from givenet.records import json_items

    indent = 2 if is_terminal() else None
    _write_json_list(json_items(items, indent=indent, batch=batch), indent)


def print_json_texts(texts: Iterable[str]) -> None:
    """A JSON list in a pipe, from its items' compact text a batch at a time (each
    what ``json.dumps`` writes between the brackets): what ``print_json_items``
    writes of the same items."""
    _write_json_list(texts, None)


def _write_json_list(texts: Iterable[str], indent: int | None) -> None:
    # What json.dumps writes around a list and between its items.
    first, between, last = ("[", ", ", "]") if indent is None else ("[\n", ",\n", "\n]")
    opened = False
    for text in texts:
        if text:
            _write_json((between if opened else first) + text)
            opened = True
    _write_json(last + "\n" if opened else "[]\n")


def _write_json(text: str) -> None:
    """JSON text to stdout, with the characters a terminal would act on escaped."""
    encoded = text.encode("utf-8", "backslashreplace")
    # isascii() is a flag of the string (no scan): most batches of a listing are ASCII.
    if not text.isascii() and any(marker in encoded for marker in _JSON_ESCAPE_MARKERS):
        # Only inside strings: escaping them keeps the text.
        text = re.sub(_UNSAFE_IN_JSON, lambda found: f"\\u{ord(found.group()):04x}", text)
        encoded = text.encode("utf-8", "backslashreplace")
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None and (sys.stdout.encoding or "").lower().replace("-", "") == "utf8":
        sys.stdout.flush()  # what was written as text goes first
        buffer.write(encoded)  # the bytes made for the check: no second encoding
    else:
        sys.stdout.write(text)


def line(text: str = "", *, hang: int | None = None) -> None:
    """One line on stdout; on a terminal, wrapped at words to its width.

    Continuation lines hang under the line's text (``hang`` columns in, else after
    its first column or label), so a wrapped line still reads as one. In a pipe a
    line is never wrapped.
    """
    shown = safe_text(text)
    if is_terminal():
        shown = _wrapped(shown, hang)
    sys.stdout.write(shown + "\n")


def _wrapped(text: str, hang: int | None) -> str:
    import shutil

    width = shutil.get_terminal_size().columns
    if len(text) <= width or "\n" in text:
        return text
    if hang is None:
        content = len(text) - len(text.lstrip(" "))
        gap = text.find("  ", content)
        label = text.find(": ", content)
        if 0 < gap < width // 2:
            hang = len(text) - len(text[gap:].lstrip(" "))
        elif 0 < label < width // 2:
            hang = label + 2
        else:
            hang = content + 2
    import textwrap

    return textwrap.fill(
        text,
        width=width,
        subsequent_indent=" " * min(hang, width // 2),
        break_long_words=False,
        break_on_hyphens=False,
    )


def document(text: str) -> None:
    """A file's content on stdout (an export): exact in a pipe, sanitised on a terminal."""
    sys.stdout.write((safe_text(text) if is_terminal() else text) + "\n")


def error(text: str) -> None:
    sys.stderr.write(f"Error: {safe_text(text)}\n")


def info(text: str) -> None:
    """A message about the work done, on stderr so that --json output stays clean."""
    sys.stderr.write(safe_text(text) + "\n")


def warning(text: str) -> None:
    sys.stderr.write(f"Warning: {safe_text(text)}\n")


def _raw_cell(value: Any) -> str:
    """A cell's text before escaping: one line, lists joined, floats to two places."""
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(str(value).split())
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def _cell(value: Any) -> str:
    return safe_text(_raw_cell(value))


# What ``" ".join(text.split())`` would change in a text: whitespace but a space, two
# spaces, or a space at either end (texts joined by NUL, which is not whitespace).
_NOT_ONE_LINE = re.compile("[^\\S ]|  |^ | $|\x00 | \x00")
# Rows whose texts are checked at once by that pattern.
_CELL_BATCH = 1000


def _cells(data: Iterable[Sequence[Any]]) -> list[list[str]]:
    """Every row's cells, escaped as :func:`_cell` does: one search of all their text
    finds whether any needs it (rare), rather than one per cell. Likewise a batch of
    rows whose texts are each one line already keeps them as they are (`find` at
    100,000 people makes 375,216 cells)."""
    cells: list[list[str]] = []
    rows = iter(data)
    while batch := list(islice(rows, _CELL_BATCH)):
        texts = [value for row in batch for value in row if type(value) is str]
        if _NOT_ONE_LINE.search("\x00".join(texts)):
            cells += [[_raw_cell(value) for value in row] for row in batch]
            continue
        cells += [
            [
                value
                if type(value) is str
                else ""
                if value is None
                else ", ".join(map(str, value))
                if type(value) is tuple
                else _raw_cell(value)
                for value in row
            ]
            for row in batch
        ]
    if _UNSAFE.search("\n".join(["\n".join(row) for row in cells])):
        cells = [[safe_text(text) for text in row] for row in cells]
    return cells


def table(
    columns: Sequence[str],
    data: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
    empty: str = "nothing to show",
    footer: Sequence[Any] | None = None,
) -> None:
    """A table: boxed on a terminal; aligned columns, one row a line, in a pipe.

    ``data`` may be read as the table is made (a generator): only the cells are kept.
    """
    cells = _cells(data)
    if not cells:
        line(empty)
        return
    footer_cells = [_cell(value) for value in footer] if footer else None
    title = safe_text(title) if title else title
    if is_terminal():
        _rich_table(columns, cells, title, footer_cells)
        return
    if title:
        line(title)
    all_rows = [list(columns), *cells, *([footer_cells] if footer_cells else [])]
    widths = [max(map(len, column)) for column in zip(*all_rows, strict=True)]
    last = len(columns) - 1
    # What line() writes for each row, a thousand rows a write: in a pipe a line is
    # never wrapped.
    for start in range(0, len(all_rows), 1000):
        text = "\n".join(
            [
                "  ".join([*map(str.ljust, row[:last], widths), row[last]]).rstrip()
                for row in all_rows[start : start + 1000]
            ]
        )
        sys.stdout.write(safe_text(text) + "\n")


def _rich_table(
    columns: Sequence[str],
    cells: Sequence[Sequence[str]],
    title: str | None,
    footer: Sequence[str] | None,
) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    widths, shown = _column_widths(columns, cells, footer, console.width)
    # Cells are people's own words: Text() keeps "[brackets]" as typed, never as markup.
    rich_table = Table(
        title=Text(title) if title else None, show_footer=footer is not None, title_justify="left"
    )
    for index in shown:
        numeric = all(_is_number(row[index]) for row in cells if row[index])
        rich_table.add_column(
            columns[index],
            footer=Text(footer[index]) if footer else "",
            justify="right" if numeric else "left",
            width=widths[index],
            overflow="ellipsis",  # never "fold": a word or a date is never cut in two
        )
    for row in cells:
        rich_table.add_row(*(Text(row[index]) for index in shown))
    console.print(rich_table)
    left_out = [columns[index] for index in range(len(columns)) if index not in shown]
    if left_out:
        line(f"({', '.join(left_out)} left out to fit {console.width} columns; --json has all)")


# Columns that stay whole: who someone is, what to do, when (ids and numbers are whole
# anyway; "ask" is not here: in `asks` it is the text of the ask).
WHOLE_COLUMNS = frozenset({"", "id", "name", "who", "do", "date", "due", "last touch"})
WHOLE_WIDTH = 12  # a column this narrow (a date, a circle) is never shortened
NARROWEST_TEXT = 10


def _column_widths(
    columns: Sequence[str],
    cells: Sequence[Sequence[str]],
    footer: Sequence[str] | None,
    width: int,
) -> tuple[list[int], list[int]]:
    """Each column's width and the columns that are shown.

    Whole columns (names, actions, dates, numbers, anything short) keep their width.
    When the table is too wide, the widest text columns narrow first, wrapping at
    words (a longer word ends in an ellipsis); when even that cannot fit, text
    columns are left out from the right, the least important first.
    """
    from rich.cells import cell_len

    count = len(columns)

    def natural(index: int) -> int:
        texts = [row[index] for row in cells] + ([footer[index]] if footer else [])
        longest_header_word = max((cell_len(w) for w in columns[index].split()), default=0)
        return max([longest_header_word, *(cell_len(text) for text in texts)])

    naturals = [natural(index) for index in range(count)]
    whole = [
        columns[index] in WHOLE_COLUMNS
        or naturals[index] <= WHOLE_WIDTH
        or all(_is_number(row[index]) for row in cells if row[index])
        for index in range(count)
    ]
    shown = list(range(count))
    widths = list(naturals)  # a header wraps at its words; a whole column's cells fit

    def room() -> int:  # the table's borders and each cell's padding of one space a side
        return width - (len(shown) + 1) - 2 * len(shown)

    while True:
        text = [index for index in shown if not whole[index]]
        fixed = sum(naturals[index] for index in shown if whole[index])
        wanted = {index: naturals[index] for index in text}
        floors = {index: min(naturals[index], NARROWEST_TEXT) for index in text}
        excess = fixed + sum(wanted.values()) - room()
        while excess > 0:
            shrinkable = [index for index in text if wanted[index] > floors[index]]
            if not shrinkable:
                break
            widest = max(wanted[index] for index in shrinkable)
            top = [index for index in shrinkable if wanted[index] == widest]
            below = [wanted[index] for index in shrinkable if wanted[index] < widest]
            step = max(1, min(widest - max([*below, 0]), -(-excess // len(top))))
            for index in top:
                cut = min(step, wanted[index] - floors[index], excess)
                wanted[index] -= cut
                excess -= cut
        if excess <= 0 or not text:
            for index in text:
                widths[index] = wanted[index]
            return widths, shown
        shown.remove(text[-1])


def _is_number(text: str) -> bool:
    try:
        float(text.lstrip("#"))
    except ValueError:
        return False
    return True


def fields(pairs: Sequence[tuple[str, Any]]) -> None:
    """``label: value`` lines, skipping empty values."""
    shown = [(label, _cell(value)) for label, value in pairs if value not in (None, "", [], ())]
    if not shown:
        return
    width = max(len(label) for label, _ in shown)
    for label, value in shown:
        line(f"{label.rjust(width)}: {value}", hang=width + 2)


@contextlib.contextmanager
def progress_bar(
    label: str, size: int = 0, *, from_size: int = 0
) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal for long work; None in a pipe or when ``size`` is small.

    Yields ``update(done, total)``; a size of 0 means the total comes with the updates.
    """
    if not is_terminal() or (size and size < from_size):
        yield None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), transient=True
    ) as bar:
        task = bar.add_task(label, total=size or None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update

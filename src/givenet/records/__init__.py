"""Typed records: what the core takes in and hands back, in place of dicts.

Plain frozen dataclasses with no behaviour beyond their shape, importing nothing
of the project, so the store can build them, the core return them and every face
(CLI, a Python user, a server) read them by attribute. One module per area.

JSON: ``jsonable(record)`` turns a record (or a list of them) into the plain
values of ``--json`` (spec section 5). A field's name is its JSON key, but for a
trailing underscore (``with_`` is ``"with"``); a record whose JSON shape differs
from its fields defines ``as_json()``. ``render.print_json`` uses the same rule,
letting the C encoder walk the records without copying them first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any

__all__ = ["fields_json", "json_default", "json_items", "jsonable"]

# One writer per record class: a generated function returning the dict display of
# its fields (``{"id": record.id, "name": record.name, …}``), the quickest way to
# write 20,000 people for `list --json`.
_WRITERS: dict[type, Callable[[Any], dict[str, Any]]] = {}


def _writer(cls: type) -> Callable[[Any], dict[str, Any]]:
    pairs = ", ".join(f"{f.name.removesuffix('_')!r}: record.{f.name}" for f in fields(cls))
    namespace: dict[str, Any] = {}
    exec(f"def as_json(record):\n    return {{{pairs}}}\n", namespace)
    _WRITERS[cls] = namespace["as_json"]
    return _WRITERS[cls]


def fields_json(record: Any) -> dict[str, Any]:
    """A record's fields by JSON key (one level: nested records stay records)."""
    cls = type(record)
    return (_WRITERS.get(cls) or _writer(cls))(record)


# What ``json_default`` does with each class it has met: its ``as_json``, else its writer.
_CONVERTERS: dict[type, Callable[[Any], Any]] = {}


def json_default(value: Any) -> Any:
    """``json.dumps(default=...)``: one level of a record or a date; the encoder does the rest."""
    cls = type(value)
    converter = _CONVERTERS.get(cls)  # the common case first: a record class seen before
    if converter is None:
        if hasattr(cls, "as_json"):
            converter = cls.as_json
        elif is_dataclass(cls):
            converter = _WRITERS.get(cls) or _writer(cls)
        elif isinstance(value, (date, datetime)):
            return value.isoformat()
        else:
            raise TypeError(f"cannot write {cls.__name__} as JSON")
        _CONVERTERS[cls] = converter
    return converter(value)


def jsonable(value: Any) -> Any:
    """The plain JSON values of a record, a list or dict of them, or a plain value."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    return jsonable(json_default(value))


def json_items(
    items: Iterable[Any], *, indent: int | None = None, batch: int = 1000
) -> Iterator[str]:
    """The text of ``json.dumps(list(items), ensure_ascii=False, indent=indent,
    default=json_default)`` between the list's brackets, a batch of items at a time
    (written one after another with ``", "`` between them, ``",\\n"`` indented).

    Each batch is one list for the C encoder (one call, not one per item) and
    loses its brackets; records are trees, so the encoder's check for cycles is off.
    """
    import json
    from itertools import islice

    encode = json.JSONEncoder(
        ensure_ascii=False, indent=indent, default=json_default, check_circular=False
    ).encode
    # What json.dumps writes around a list; each batch's list is encoded alike, so its
    # text inside the brackets is that batch's items.
    first, last = ("[", "]") if indent is None else ("[\n", "\n]")
    iterator = iter(items)
    while chunk := list(islice(iterator, batch)):
        yield encode(chunk)[len(first) : -len(last)]

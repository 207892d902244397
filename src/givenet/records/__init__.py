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

from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any

__all__ = ["json_default", "jsonable"]

# Field names per record class, with their JSON keys: computed once per class.
_KEYS: dict[type, tuple[tuple[str, str], ...]] = {}


def _keys(cls: type) -> tuple[tuple[str, str], ...]:
    found = _KEYS.get(cls)
    if found is None:
        found = tuple((f.name, f.name.removesuffix("_")) for f in fields(cls))
        _KEYS[cls] = found
    return found


def json_default(value: Any) -> Any:
    """``json.dumps(default=...)``: one level of a record or a date; the encoder does the rest."""
    as_json = getattr(value, "as_json", None)
    if as_json is not None:
        return as_json()
    if is_dataclass(value) and not isinstance(value, type):
        return {key: getattr(value, name) for name, key in _keys(type(value))}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def jsonable(value: Any) -> Any:
    """The plain JSON values of a record, a list or dict of them, or a plain value."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    return jsonable(json_default(value))

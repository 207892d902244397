"""Cleaning what people type before it is stored: pure functions, no database."""

from __future__ import annotations

from collections.abc import Iterable

from givenet.errors import InvalidInput


def clean_text(text: str | None, what: str) -> str:
    """Strip a required text; an empty one is a user error."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidInput(f"{what} cannot be empty")
    if "\x00" in cleaned:
        raise InvalidInput(f"{what} cannot contain a NUL character")
    return cleaned


def clean_optional(text: str | None, what: str) -> str | None:
    if text is None:
        return None
    cleaned = text.strip()
    if "\x00" in cleaned:
        raise InvalidInput(f"{what} cannot contain a NUL character")
    return cleaned or None


def clean_tags(names: Iterable[str]) -> list[str]:
    """Tags as typed, stripped, without empty ones or case-insensitive repeats."""
    seen: set[str] = set()
    result = []
    for name in names:
        cleaned = " ".join(name.split())
        if "\x00" in cleaned:
            raise InvalidInput("a tag cannot contain a NUL character")
        key = cleaned.casefold()
        if cleaned and key not in seen:
            seen.add(key)
            result.append(cleaned)
    return result

"""psycopg loaders that give the store sqlite3's values (imported with psycopg only)."""

from __future__ import annotations

from typing import Any

from psycopg.adapt import AdaptersMap, Loader


class _Text(Loader):
    """A date or a time as PostgreSQL writes it in ISO style: the text SQLite keeps."""

    def load(self, data: Any) -> str:
        return bytes(data).decode()


class _Time(Loader):
    """A timestamp as SQLAlchemy writes one into SQLite: always six digits of seconds'
    fraction (PostgreSQL leaves out trailing zeros), so exports match byte for byte."""

    def load(self, data: Any) -> str:
        text = bytes(data).decode()
        if text.endswith("+00"):  # with a time zone: the session's, UTC
            text = text[:-3]
        whole, _, fraction = text.partition(".")
        return f"{whole}.{fraction.ljust(6, '0')}"


class _Flag(Loader):
    def load(self, data: Any) -> int:
        return 1 if bytes(data) == b"t" else 0


class _Number(Loader):
    """numeric (a SUM of integers, an AVG) as int when whole, else float, as SQLite."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        return float(text) if "." in text or "e" in text.lower() else int(text)


def register(adapters: AdaptersMap) -> None:
    adapters.register_loader("date", _Text)
    adapters.register_loader("timestamp", _Time)
    adapters.register_loader("timestamptz", _Time)
    adapters.register_loader("bool", _Flag)
    adapters.register_loader("numeric", _Number)

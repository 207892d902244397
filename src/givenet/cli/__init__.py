"""The givenet command line: Typer apps that parse arguments, call the core, and print.

Each module of this package registers its commands on ``givenet.cli.app.app``;
importing them here builds the whole command surface.
"""

from __future__ import annotations

from givenet.cli.app import app

# The order of these imports is the order of the panels in `givenet --help`.
# isort: off
from givenet.cli import ranking, people, log, asks, giving, events, data, export, safety, admin
# isort: on

__all__ = [
    "admin", "app", "asks", "data", "events", "export", "giving", "log", "main", "people",
    "ranking", "safety",
]  # fmt: skip


def main() -> None:
    app()

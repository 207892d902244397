"""One family of errors, each with a message written for a person.

Everything below the CLI raises these; the CLI turns them into ``Error: …`` on
stderr and an exit code, in one place (``givenet.cli.main``).
"""

from __future__ import annotations


class GivenetError(Exception):
    """A problem the user can act on: printed as one line, never a traceback."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class NotFound(GivenetError):
    """A person, event or record that does not exist."""


class Ambiguous(GivenetError):
    """A name that fits several people or events."""


class InvalidInput(GivenetError):
    """A value the user typed that cannot be used: a bad date, an empty name."""


class Conflict(GivenetError):
    """A write that would break a rule: a duplicate person, an illegal move."""


class DatabaseProblem(GivenetError):
    """The database file cannot be used: locked, from a newer givenet, not a database."""

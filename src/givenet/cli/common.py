"""What every command module shares: the database path, the clock, date options, choices.

Kept light: importing this module must not import SQLAlchemy, SQLModel or
pydantic, so that ``givenet --help`` stays instant. Commands import the core
module they call inside their own body, for the same reason.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from givenet.errors import InvalidInput
from givenet.vocab import Circle, MeetingKind  # noqa: F401  (the commands' choices)

if TYPE_CHECKING:
    from givenet.core.network import Network
    from givenet.records.profile import MemberTouch


# The largest --limit: more than any network holds, small enough for SQLite's integers.
LIMIT_MAX = 1_000_000


class _State:
    db_path: str | None = None  # a file, or a PostgreSQL URL
    # The file this command works on and whether it existed before it ran, so that
    # the command that creates a network says so (GivenetGroup.invoke).
    watched: tuple[Path, bool] | None = None


state = _State()


def network() -> Network:
    """The network this command works on: --db, else $GIVENET_DB, else the app folder."""
    from givenet.core.network import Network

    chosen = Network(state.db_path) if state.db_path else Network.default()
    if state.watched is None and not chosen.on_postgres:
        state.watched = (chosen.path, chosen.path.exists())
    return chosen


def today() -> date:
    """The real date: the only place the CLI reads the clock."""
    return date.today()


def past_date(text: str | None) -> date:
    """A date for what happened (``--on`` of add, log, note …): a yearless date looks back."""
    from givenet import dates

    return dates.parse_date(text, today(), dates.PAST) if text else today()


def warn_if_future(day: date | None, what: str) -> None:
    """One line when something that happened is dated after today (``--on`` may mean it)."""
    if day is not None and day > today():
        from givenet.render import warning

        warning(f"{what} is dated {day.isoformat()}, in the future")


def future_date(text: str | None) -> date | None:
    """A date for what is to come (``--by``, ``--until``): a yearless date looks ahead."""
    from givenet import dates

    return dates.parse_date(text, today(), dates.FUTURE) if text else None


def as_of_date(text: str | None) -> date:
    """``--on`` of due, why and show: a yearless date means the nearest such day."""
    if not text:
        return today()
    now = today()
    from givenet import dates

    before = dates.parse_date(text, now, dates.PAST)
    after = dates.parse_date(text, now, dates.FUTURE)
    return before if (now - before) <= (after - now) else after


def duration(text: str | None, what: str) -> int | None:
    if text is None:
        return None
    from givenet import dates

    days = dates.parse_duration(text)
    if days <= 0:
        raise InvalidInput(f"{what} must be at least one day")
    return days


def confirm_or_refuse(question: str, yes: bool) -> None:
    """Destructive commands ask on a terminal; in a script they need --yes."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise InvalidInput("this deletes data; add --yes to confirm when not at a terminal")
    from givenet.render import safe_text

    if not typer.confirm(safe_text(question), default=False):
        from givenet.render import info

        info("Nothing changed.")
        raise typer.Exit(1)


def complete_person(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for person names: read-only, no SQLAlchemy."""
    return complete_names_for(ctx, "person", incomplete)


def complete_event(ctx: typer.Context, incomplete: str) -> list[str]:
    return complete_names_for(ctx, "event", incomplete)


def complete_names_for(ctx: typer.Context | None, kind: str, incomplete: str) -> list[str]:
    """Names of people or events for a shell: any case or accents, a word's start too."""
    from givenet.core.network import Network
    from givenet.core.people import complete_names

    # `givenet --db FILE show Ma<TAB>` completes from FILE.
    chosen = ctx.find_root().params.get("db") if ctx is not None else None
    names = complete_names(Network(chosen) if chosen else Network.default(), kind, incomplete)
    return shell_quoted([name for name in names if _showable(name)])


def _showable(name: str) -> bool:
    """Whether a shell may list and insert ``name`` as it is: a control character or a
    bidi override would reach the terminal raw (the shell prints its list unsanitised),
    and a newline splits the list. Such a name is still reachable by its ``#id``."""
    from givenet.render import safe_text

    return "\n" not in name and "\t" not in name and safe_text(name) == name


def shell_quoted(names: list[str]) -> list[str]:
    """Names as bash must insert them: bash puts a completion in the line as it is, so
    ``Hana Yusuf`` would be two arguments; ``Hana\\ Yusuf`` is one (escaped with
    backslashes, as bash itself escapes file names). Other shells quote completions
    themselves."""
    import os

    if "bash" not in os.environ.get("_GIVENET_COMPLETE", ""):
        return names
    return [
        "".join(c if c.isalnum() or c in "_@%+=:,./-" else "\\" + c for c in name) for name in names
    ]


def known_words(touch: MemberTouch) -> str:
    """How well a member knows someone: "ana (3 meetings, last 2026-11-02)"."""
    plural = "s" * (touch.meetings != 1)
    return f"{touch.member} ({touch.meetings} meeting{plural}, last {touch.last_met})"

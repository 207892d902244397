"""The Typer app and its global options; every command module registers on ``app``.

``GivenetGroup.invoke`` is the one place a ``GivenetError`` becomes ``Error: …`` on stderr and its exit
code, so commands simply raise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from givenet import __version__
from givenet.cli.common import state
from givenet.errors import GivenetError


class GivenetGroup(TyperGroup):
    """Turns the project's errors into one line on stderr, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except GivenetError as problem:
            from givenet.render import error

            error(problem.message)
            raise typer.Exit(problem.exit_code) from None


app = typer.Typer(
    cls=GivenetGroup,
    name="givenet",
    help=(
        "A personal networking assistant for people who network by giving.\n\n"
        "Record the people you meet, what they ask for and offer, and your meetings; "
        "each morning `givenet due` tells you whom to follow up, check in with or help.\n\n"
        "Try it: givenet demo"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"givenet {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
    db: Path | None = typer.Option(
        None,
        "--db",
        help="The database file (else $GIVENET_DB, else givenet.db in your app folder).",
        show_default=False,
    ),
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Show the version."
    ),
) -> None:
    state.db_path = db.expanduser() if db else None

"""The Typer app and its global options; every command module registers on ``app``.

``GivenetGroup.invoke`` is the one place a ``GivenetError`` becomes ``Error: …`` on stderr and its exit
code, so commands simply raise.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from givenet import __version__
from givenet.cli.common import state
from givenet.errors import GivenetError


class GivenetGroup(TyperGroup):
    """Turns the project's errors into one line on stderr, never a traceback."""

    def make_context(
        self, info_name: Any, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        # An argument that is not UTF-8 reaches Python as lone surrogates, which
        # SQLite, the exporters and the terminal cannot encode: refuse it up front.
        for argument in args:
            if any("\udc80" <= char <= "\udcff" for char in argument):
                from givenet.render import error

                shown = repr(argument.encode("utf-8", "surrogateescape"))
                error(f"an argument is not valid UTF-8 text ({shown}); givenet reads UTF-8")
                raise typer.Exit(1)
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        state.watched = None
        try:
            result = super().invoke(ctx)
            _say_if_created()
            return result
        except GivenetError as problem:
            from givenet.render import error

            error(problem.message)
            raise typer.Exit(problem.exit_code) from None
        except BrokenPipeError:
            # A reader that stopped early (`givenet list | head -1`) is not an error:
            # drop the rest of the output quietly and exit 0.
            _discard_stdout()
            raise typer.Exit(0) from None


def _say_if_created() -> None:
    """One line on stderr when this command made a new database file (and succeeded)."""
    watched, state.watched = state.watched, None
    if watched is not None and not watched[1] and watched[0].exists():
        from givenet.render import info

        info(f"Created a new network at {watched[0]}")


def _discard_stdout() -> None:
    import os
    import sys

    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


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

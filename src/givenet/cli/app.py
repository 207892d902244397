"""The Typer app and its global options; every command module registers on ``app``.

``GivenetGroup.invoke`` is the one place a ``GivenetError`` becomes ``Error: …`` on stderr and its exit
code, so commands simply raise.
"""

from __future__ import annotations

import contextlib
from typing import Any

import typer
from typer.core import TyperGroup

from givenet import __version__
from givenet.cli.common import state
from givenet.errors import GivenetError


class GivenetGroup(TyperGroup):
    """Turns the project's errors into one line on stderr, never a traceback."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_placeholders(self)

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
        except typer.BadParameter as problem:
            # Typer validates through pydantic, whose messages start "Value error, ".
            problem.message = problem.message.removeprefix("Value error, ")
            raise
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


# Placeholders in --help and in errors are words, not Python types: PERSON..., DATE, N.
_DATES = {"on", "by", "until", "birthday"}
_NAMED = {
    "people_refs": "PERSON...", "person_ref": "PERSON", "person_a": "PERSON", "person_b": "PERSON",
    "person": "PERSON", "keep_ref": "KEEP", "other_ref": "DUPLICATE", "event_ref": "EVENT",
    "met_at": "EVENT", "for_ask": "ASK", "ask_id": "ASK", "offer_id": "OFFER",
    "intro_id": "INTRO", "promise_id": "PROMISE", "record_id": "ID", "cadence": "DURATION",
    "for_": "DURATION", "map_": "COLUMN=FIELD", "clear": "FIELD", "untag": "TAG",
    "unvalue": "VALUE", "next_step": "TEXT", "note": "TEXT", "open_to": "TEXT", "via": "TEXT",
    "location": "PLACE",
}  # fmt: skip


def _plain_placeholders(command: Any) -> None:
    for sub in getattr(command, "commands", {}).values():
        _plain_placeholders(sub)
    if command.help and "\n\n    givenet" in command.help:
        _unwrapped_examples(command)
    for param in getattr(command, "params", ()):
        if getattr(param, "is_flag", False) or param.metavar is not None or param.name is None:
            continue
        kind = param.type_descriptor
        choices = "|".join(str(getattr(c, "value", c)) for c in kind.choices or ())
        if param.param_type_name == "option" and kind.is_choice:
            param.metavar = choices
        elif param.name in _NAMED:
            param.metavar = _NAMED[param.name]
        elif param.name in _DATES:
            param.metavar = "DATE"
        elif kind.is_path:
            param.metavar = "FILE"
        elif kind.annotation is int:
            param.metavar = "N"
        else:
            param.metavar = param.name.rstrip("_").upper()
        if param.param_type_name == "argument":
            _plain_argument(param, choices if kind.is_choice else None)
        if getattr(param, "min", None) is not None and getattr(param, "max", None) is not None:
            low, high = param.min, param.max  # "1 to 1,000,000", not "1<=x<=1000000"
            param._get_number_range_help_str = lambda low=low, high=high: f"{low:,} to {high:,}"
        if param.name in _COMPLETED and param._custom_shell_complete is not None:
            _unfiltered_completion(param, _COMPLETED[param.name])


# The parameters that complete the names of people and events, and which.
_COMPLETED = {
    "people_refs": "person", "person_ref": "person", "person_a": "person",
    "person_b": "person", "person": "person", "keep_ref": "person", "other_ref": "person",
    "other": "person", "around": "person",
    "event_ref": "event", "met_at": "event", "event": "event",
}  # fmt: skip


def _unfiltered_completion(param: Any, kind: str) -> None:
    """Complete names as lookups find them: ``why ha<TAB>`` and ``why yus<TAB>`` give
    Hana Yusuf. Typer keeps only completions that start with what was typed, case and
    accents included, so the parameter gets the completer's names as they are (plain
    strings: Typer's own Click makes them completion items; `click` itself is no
    dependency of givenet, so it is never imported)."""
    from givenet.cli.common import complete_names_for

    def complete(ctx: Any, _param: Any, incomplete: str) -> list[str]:
        return complete_names_for(ctx, kind, incomplete)

    param._custom_shell_complete = complete


def _unwrapped_examples(command: Any) -> None:
    """An example in --help is never rewrapped: pasted, a wrapped line runs as two commands.

    Click leaves a paragraph that starts with ``\\b`` as written; the mark is added only
    while the help is printed, so the docstring (and docs/commands.md) stay plain.
    """
    original = command.format_help_text

    def format_help_text(ctx: Any, formatter: Any) -> None:
        written = command.help
        command.help = written.replace("\n\n    givenet", "\n\n\b\n    givenet")
        try:
            original(ctx, formatter)
        finally:
            command.help = written

    command.format_help_text = format_help_text


def _plain_argument(param: Any, choices: str | None) -> None:
    """An argument reads ``PERSON`` (``[PERSON]`` when optional), with no type after it."""
    shown = param.metavar

    def usage() -> str:
        return shown if param.required else f"[{shown}]"

    param._usage_display_name = usage
    param.display_type_rich = lambda ctx: choices


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
    db: str | None = typer.Option(
        None,
        "--db",
        help="The database file, or a team's postgresql://user@host/dbname "
        "(else $GIVENET_DB, else givenet.db in your app folder).",
        show_default=False,
        metavar="FILE|URL",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Show the version."
    ),
) -> None:
    state.db_path = db or None

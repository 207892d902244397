"""Message drafts: draft follow-up, check-in, thanks, intro."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import complete_person, network, today

if TYPE_CHECKING:
    from givenet.records.drafts import Draft

PERSON = typer.Argument(
    ..., help="A name, part of one, or an id like '#12'.", autocompletion=complete_person
)
JSON = typer.Option(False, "--json", help="Print JSON: the parts and the templates used.")

draft_app = typer.Typer(
    help=(
        "Message drafts from what givenet knows: where you met, your notes, open asks, "
        "promises. Plain text to edit and send; the templates are files you can replace "
        "(`givenet config` shows the folder).\n\nExample: givenet draft follow-up Priya"
    ),
    no_args_is_help=True,
)
app.add_typer(draft_app, name="draft", rich_help_panel="Daily")


def _show(kind: str, person: str, as_json: bool, **extra: str | None) -> None:
    from givenet.core.drafts import draft_message

    result = draft_message(network(), kind, person, today=today(), **extra)
    if as_json:
        render.print_json(result)
        return
    show_draft(result)


def show_draft(result: Draft) -> None:
    """One message as it is; several each under a line saying to whom and when."""
    if len(result.parts) == 1:
        render.document(result.parts[0].text.rstrip("\n"))
        return
    for number, part in enumerate(result.parts, start=1):
        if number > 1:
            render.line()
        render.line(f"--- {number}. To {part.to} ({part.when}) ---")
        render.document(part.text.rstrip("\n"))


@draft_app.command("follow-up")
def follow_up(person: str = PERSON, as_json: bool = JSON) -> None:
    """A follow-up after meeting someone: where you met, your note, the question you noted,
    their ask and the next step (your promise, else a coffee).

    Example:

        givenet draft follow-up Priya
    """
    _show("follow-up", person, as_json)


@draft_app.command("check-in")
def check_in(person: str = PERSON, as_json: bool = JSON) -> None:
    """A check-in: refers to your last touch and its note, any open ask and promise.

    Example:

        givenet draft check-in Amara
    """
    _show("check-in", person, as_json)


@draft_app.command("thanks")
def thanks(person: str = PERSON, as_json: bool = JSON) -> None:
    """A thank-you for the latest thing they gave you (`givenet got`), else in general.

    Example:

        givenet draft thanks Daniel
    """
    _show("thanks", person, as_json)


@draft_app.command("intro")
def intro(
    person: str = PERSON,
    other: str = typer.Argument(
        ..., help="The person to introduce them to.", autocompletion=complete_person
    ),
    for_ask: str | None = typer.Option(
        None, "--for", help="The ask it is for, like '#3' (default: the best match of the two)."
    ),
    as_json: bool = JSON,
) -> None:
    """A double opt-in introduction: first a note to each asking whether they want it,
    then the introduction itself to send once both said yes.

    Example:

        givenet draft intro Tomás Amara --for 1
    """
    _show("intro", person, as_json, other=other, ask=for_ask)

"""Needs and gifts: ask, offer, asks, offers, resolve, drop, reopen, withdraw."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import complete_person, future_date, network, today

if TYPE_CHECKING:
    from givenet.records.asks import Ask

TAGS = typer.Option([], "--tag", "-t", help="A tag for matching (repeat for more).")


@app.command(rich_help_panel="Asks and offers")
def ask(
    person_ref: str = typer.Argument(..., help="Who needs it.", autocompletion=complete_person),
    text: str = typer.Argument(..., help="What they need, in their words."),
    tag: list[str] = TAGS,
    by: str | None = typer.Option(None, "--by", help="When they need it by: Dec 15, in 2 weeks."),
    urgent: bool = typer.Option(False, "--urgent", help="They need it now."),
) -> None:
    """Record something a person needs.

    Without --tag, givenet proposes the tags already in use that fit what they need
    (a room for 40 gets your `venue` tag) and prints the command that adds them; on a
    terminal it asks whether to add them at once.

    Example:

        givenet ask Maria "a venue for 40 people in March" --tag venue --by "Mar 1"
    """
    from givenet.core.asks import record_ask

    saved = record_ask(
        network(), person_ref, text, tags=tag, by=future_date(by), urgent=urgent, today=today()
    )
    render.line(f"Ask #{saved.id} for {saved.person.label}: {saved.text}.")
    propose_tags("ask", saved.id, saved.proposed_tags)


@app.command(rich_help_panel="Asks and offers")
def offer(
    person_ref: str = typer.Argument(..., help="Who can give it.", autocompletion=complete_person),
    text: str = typer.Argument(..., help="What they can give: a venue, a skill, contacts."),
    tag: list[str] = TAGS,
) -> None:
    """Record something a person can give.

    Without --tag, givenet proposes the tags already in use that fit it, as `ask` does.

    Example:

        givenet offer Sam "kitchen and dining room on Mondays, seats 40" --tag venue
    """
    from givenet.core.asks import record_offer

    saved = record_offer(network(), person_ref, text, tags=tag, today=today())
    render.line(f"Offer #{saved.id} from {saved.person.label}: {saved.text}.")
    propose_tags("offer", saved.id, saved.proposed_tags)


def propose_tags(kind: str, record_id: int, proposed: tuple[str, ...]) -> None:
    """Print the tags in use that fit an untagged ask or offer and the command that adds
    them; on a terminal, offer to add them now."""
    if not proposed:
        return
    import shlex
    import sys

    command = shlex.join(["givenet", "tag", kind, str(record_id), *proposed])
    render.line(f"Tags in use that fit: {', '.join(proposed)}. To add them: {command}")
    if not sys.stdin.isatty():
        return
    if typer.confirm(render.safe_text(f"Add {', '.join(proposed)} now?"), default=False):
        add_tags(kind, str(record_id), list(proposed))


def add_tags(kind: str, record_id: str, tags: list[str]) -> None:
    from givenet.core.asks import tag_ask, tag_offer

    tagged = (tag_ask if kind == "ask" else tag_offer)(network(), record_id, tags)
    render.line(f"{kind.capitalize()} #{tagged.id} is tagged {', '.join(tagged.tags)}.")


@app.command(rich_help_panel="Asks and offers")
def asks(
    all_: bool = typer.Option(False, "--all", help="Every ask, met and dropped too."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Open asks: what people in your network need, most pressing first.

    Example:

        givenet asks --all
    """
    from givenet.core.asks import list_asks

    found = list_asks(network(), include_closed=all_)
    if as_json:
        render.print_json(found)
        return
    render.table(
        ["id", "who", "ask", "tags", "when", "status"],
        [[f"#{a.id}", a.person.name, a.text, a.tags, a.when, a.status] for a in found],
        empty="No open asks.",
    )


@app.command(rich_help_panel="Asks and offers")
def offers(
    all_: bool = typer.Option(False, "--all", help="Withdrawn offers too."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Active offers: what people in your network can give.

    Example:

        givenet offers
    """
    from givenet.core.asks import list_offers

    found = list_offers(network(), include_withdrawn=all_)
    if as_json:
        render.print_json(found)
        return
    render.table(
        ["id", "who", "offer", "tags", "status"],
        [[f"#{o.id}", o.person.name, o.text, o.tags, o.status] for o in found],
        empty="No active offers.",
    )


def _moved(moved: Ask) -> None:
    render.line(f"Ask #{moved.id} is {moved.status}: {moved.text}.")


ASK_ID = typer.Argument(..., help="The ask's id, e.g. 3 or '#3'.")


@app.command(rich_help_panel="Asks and offers")
def resolve(
    ask_id: str = ASK_ID,
    via: str | None = typer.Option(None, "--via", help="How it was met."),
) -> None:
    """Mark an ask met.

    Example:

        givenet resolve 3 --via "Green Table's dining room"
    """
    from givenet.core.asks import resolve_ask

    _moved(resolve_ask(network(), ask_id, via=via, today=today()))


@app.command(rich_help_panel="Asks and offers")
def drop(ask_id: str = ASK_ID) -> None:
    """Mark an ask dropped: they no longer need it.

    Example:

        givenet drop 4
    """
    from givenet.core.asks import drop_ask

    _moved(drop_ask(network(), ask_id, today=today()))


@app.command(rich_help_panel="Asks and offers")
def reopen(ask_id: str = ASK_ID) -> None:
    """Open a met or dropped ask again.

    Example:

        givenet reopen 4
    """
    from givenet.core.asks import reopen_ask

    _moved(reopen_ask(network(), ask_id))


@app.command(rich_help_panel="Asks and offers")
def withdraw(offer_id: str = typer.Argument(..., help="The offer's id, e.g. 2 or '#2'.")) -> None:
    """Withdraw an offer: they can no longer give it.

    Example:

        givenet withdraw 2
    """
    from givenet.core.asks import withdraw_offer

    withdrawn = withdraw_offer(network(), offer_id)
    render.line(f"Offer #{withdrawn.id} is withdrawn: {withdrawn.text}.")

"""The network of giving: match, who, intro, intros, intro-status, tags, tag rename, stats."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import (
    LIMIT_MAX,
    complete_person,
    known_words,
    network,
    past_date,
    today,
    warn_if_future,
)
from givenet.vocab import IntroStatus

if TYPE_CHECKING:
    from givenet.records.giving import FitAgain, NotAFit
    from givenet.records.stats import NetworkStats

PANEL = "Giving"


@app.command(rich_help_panel=PANEL)
def match(
    person_ref: str | None = typer.Argument(
        None,
        help="Only this person's asks, and the asks their offers could meet.",
        autocompletion=complete_person,
    ),
    limit: int = typer.Option(
        20, "--limit", "-n", min=1, max=LIMIT_MAX, help="How many pairs to show."
    ),
    rebuild: bool = typer.Option(
        False,
        "--rebuild",
        help="Rebuild the search indexes, candidates and kept meetings first (after a repair).",
    ),
    not_a_fit: tuple[str, str] | None = typer.Option(
        None,
        "--not-a-fit",
        metavar="ASK_ID OFFER_ID",
        help="Record that this offer does not fit this ask: never propose the pair again.",
    ),
    fit_again: tuple[str, str] | None = typer.Option(
        None,
        "--fit-again",
        metavar="ASK_ID OFFER_ID",
        help="Take back --not-a-fit for this pair: score it again and propose it if it fits.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Suggested introductions: open asks that someone else's offer could meet, best first.

    Each pair shows the ask, the offer, the score and why, in words: the same need said
    in other words, shared tags and words, and how the capacity and dates fit.
    People who want no intros, withdrawn offers, and pairs you introduced recently are left out.

    With the meaning extra (pip install 'givenet[meaning]'), each score also weighs how
    close the two texts are in meaning: a closer offer ranks higher, and one that only
    shares a word ("python" for a pet snake) is dropped. GIVENET_MEANING=off leaves that
    out; --rebuild then rescores every pair.

    --not-a-fit ASK_ID OFFER_ID says a pair is wrong: it is never proposed again, and
    `stats` counts it. --fit-again ASK_ID OFFER_ID takes that back: the pair is scored
    again and proposed when it fits.

    Example:

        givenet match Tomás

        givenet match --not-a-fit 1 1

        givenet match --fit-again 1 1
    """
    from givenet.core.giving import suggest_matches

    if not_a_fit is not None or fit_again is not None:
        _mark_pair(not_a_fit, fit_again, as_json=as_json, other=person_ref is not None or rebuild)
        return
    if rebuild:
        with render.progress_bar("Matching asks") as update:
            suggested = suggest_matches(
                network(), person_ref, limit=limit, today=today(), rebuild=True, progress=update
            )
        render.info(f"Rebuilt the search indexes: {suggested.rebuilt} candidate matches.")
    else:
        suggested = suggest_matches(network(), person_ref, limit=limit, today=today())
    if as_json:
        render.print_json(suggested)
        return
    found = suggested.pairs
    render.table(
        ["ask", "who asks", "what they need", "who offers", "what they offer", "score", "why"],
        [
            [f"#{m.ask_id}", m.asker.name, m.ask, m.helper.name, m.offer, m.score, m.why]
            for m in found
        ],
        empty=suggested.why_none or "No matches.",
    )
    if found:
        first = found[0]
        render.line(
            f"Introduce them: givenet intro '#{first.asker.id}' '#{first.helper.id}' --for {first.ask_id}"
        )


def _mark_pair(
    not_a_fit: tuple[str, str] | None,
    fit_again: tuple[str, str] | None,
    *,
    as_json: bool,
    other: bool,
) -> None:
    """`match --not-a-fit` or `--fit-again`: one pair marked, or the mark taken back."""
    from givenet.errors import InvalidInput

    option = "--not-a-fit" if not_a_fit is not None else "--fit-again"
    if other or (not_a_fit is not None and fit_again is not None):
        raise InvalidInput(
            f"{option} records one pair: give it without a person, --rebuild or "
            f"{'--fit-again' if option == '--not-a-fit' else '--not-a-fit'}"
        )
    marked: NotAFit | FitAgain
    if not_a_fit is not None:
        from givenet.core.giving import not_a_fit as mark

        marked = mark(network(), *not_a_fit, today=today())
        said = (
            "Already marked not a fit: {}."
            if marked.already
            else "Not a fit: {}. It will not be proposed again."
        )
    else:
        assert fit_again is not None
        from givenet.core.giving import fit_again as take_back

        marked = taken = take_back(network(), *fit_again)
        if not taken.was_marked:
            said = "Not marked not a fit: {}; nothing changed."
        elif taken.candidate:
            said = "A fit again: {}. match proposes it again."
        else:
            said = "A fit again: {}. Its words and needs do not meet, so match leaves it out."
    if as_json:
        render.print_json(marked)
        return
    pair = (
        f'{marked.helper.name}\'s offer #{marked.offer_id} "{marked.offer}" for '
        f'{marked.asker.name}\'s ask #{marked.ask_id} "{marked.ask}"'
    )
    render.line(said.format(pair))


@app.command(rich_help_panel=PANEL)
def who(
    text: str = typer.Argument(..., help="What is needed, in plain words."),
    limit: int = typer.Option(
        10, "--limit", "-n", min=1, max=LIMIT_MAX, help="How many people to show."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    team: bool = typer.Option(
        False, "--team", help="Say which member of the team knows each helper best."
    ),
) -> None:
    """Do I know someone who…? People whose offers, tags, role, org or notes match.

    An offer that meets the same need in other words counts too ("a place to rehearse"
    finds "church basement"), and each person says why. With the meaning extra, a
    person's closest offer in meaning weighs as in `match` (GIVENET_MEANING=off leaves
    that out). With --team, on a team's network: which member knows each of them best
    (met most recently, then most often).

    Example:

        givenet who "grant writing"
    """
    from givenet.core.giving import who as find_who

    found = find_who(network(), text, limit=limit, team=team)
    if as_json:
        render.print_json(found)
        return
    headers = ["id", "name", "org", "role", "score", "why", "offers"]
    render.table(
        [*headers, "known best by"] if team else headers,
        [
            [
                f"#{p.id}",
                p.name + (" (no intros)" if p.no_intros else ""),
                p.org,
                p.role,
                p.score,
                p.why,
                [offer.text for offer in p.offers],
                *([known_words(p.known_by[0]) if p.known_by else None] if team else []),
            ]
            for p in found
        ],
        empty=f"Nobody in your network matches {text!r} yet.",
    )


@app.command(rich_help_panel=PANEL)
def intro(
    person_a: str = typer.Argument(..., help="One person.", autocompletion=complete_person),
    person_b: str = typer.Argument(..., help="The other.", autocompletion=complete_person),
    for_ask: str | None = typer.Option(None, "--for", help="The ask this intro serves."),
    note: str | None = typer.Option(None, "--note", "-n", help="Why you introduced them."),
    on: str | None = typer.Option(None, "--on", help="When (default today)."),
    status: IntroStatus = typer.Option(
        IntroStatus.made,
        "--status",
        help="suggested or asked (double opt-in, not made yet), made, or a later status "
        "when logging an intro after the fact.",
    ),
    keep_open: bool = typer.Option(
        False, "--keep-open", help="With --status helped: leave the ask open."
    ),
    keeps: str | None = typer.Option(None, "--keeps", help="A promise this intro keeps (its id)."),
) -> None:
    """Log an introduction you made (or mean to make) between two people.

    From "made" on, the ledger records it as something you gave each of them, and
    it keeps --keeps and any open promise to either of them that names an intro
    and the other ("introduce her to Amara").

    Example:

        givenet intro Tomás Amara --for 1 --note "room for the supper club fundraiser"
    """
    from givenet.core.giving import make_intro

    made = make_intro(
        network(),
        person_a,
        person_b,
        for_ask=for_ask,
        note=note,
        status=status.value,
        keep_open=keep_open,
        on=past_date(on),
        keeps=keeps,
    )
    a, b = made.people
    render.line(
        f"Intro #{made.intro_id}: {a.name} ↔ {b.name}, {made.status} on {made.day.isoformat()}."
    )
    warn_if_future(made.day, "the intro")
    if made.ask_met is not None:
        render.line(f"Ask #{made.ask_met} is met.")
    for promise_id in made.promises_kept:
        render.line(f"Kept promise #{promise_id}.")
    for person in made.want_no_intros:
        render.warning(f"{person.name} said they want no introductions")


@app.command(rich_help_panel=PANEL)
def intros(
    open_only: bool = typer.Option(False, "--open", help="Only intros still under way."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Introductions you made and where each one stands, newest first.

    Example:

        givenet intros --open
    """
    from givenet.core.giving import list_intros

    found = list_intros(network(), only_open=open_only)
    if as_json:
        render.print_json(found)
        return
    render.table(
        ["id", "date", "between", "status", "since", "for ask"],
        [
            [
                f"#{i.id}",
                i.date.isoformat(),
                " ↔ ".join(p.name for p in i.people),
                i.status,
                i.status_on.isoformat(),
                f"#{i.ask_id} {i.ask}" if i.ask_id else "",
            ]
            for i in found
        ],
        empty="No introductions yet. `givenet match` suggests some.",
    )


@app.command("intro-status", rich_help_panel=PANEL)
def intro_status(
    intro_id: str = typer.Argument(..., help="The intro's id, e.g. 3 or '#3'."),
    status: IntroStatus = typer.Argument(..., help="Its new status."),
    on: str | None = typer.Option(None, "--on", help="When (default today)."),
    note: str | None = typer.Option(None, "--note", "-n", help="What happened."),
    force: bool = typer.Option(False, "--force", help="Allow any move (to correct a mistake)."),
    keep_open: bool = typer.Option(False, "--keep-open", help="With helped: leave the ask open."),
) -> None:
    """Follow an intro to its outcome: asked → made → met → helped, no-fit or fizzled.

    Moves: suggested → asked, made or declined; asked → made or declined;
    made → met, no-fit or fizzled; met → helped, no-fit or fizzled.
    "helped" marks the intro's ask met unless --keep-open.

    Example:

        givenet intro-status 1 met --note "they met at the restaurant"
    """
    from givenet.core.giving import set_intro_status

    moved = set_intro_status(
        network(),
        intro_id,
        status.value,
        on=past_date(on),
        note=note,
        force=force,
        keep_open=keep_open,
    )
    render.line(f"Intro #{moved.intro_id} is {moved.status} ({moved.day.isoformat()}).")
    if moved.ask_met is not None:
        render.line(f"Ask #{moved.ask_met} is met.")


@app.command(rich_help_panel=PANEL)
def tags(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The tag vocabulary, most used first, with where each tag is used.

    Tags that say one thing several ways (`venue`, `venues`, `event space`: the same
    word, or the same need in other words) are listed after the table, each with the
    `givenet tag rename` that merges it into the most used one (`merge` in --json).

    Example:

        givenet tags
    """
    from givenet.core.giving import list_tags

    found = list_tags(network())
    if as_json:
        render.print_json(found)
        return
    render.table(
        ["tag", "people", "asks", "offers", "events", "yours"],
        [[t.name, t.people, t.asks, t.offers, t.events, "yes" if t.yours else ""] for t in found],
        empty="No tags yet.",
    )
    near = [t for t in found if t.merge]
    if near:
        render.line("")
        render.line("Near-duplicates, to merge:")
        for t in near:
            render.line(f"  {t.name} → {t.merge_into} ({t.because}): {t.merge}", hang=4)


tag_app = typer.Typer(
    help="Change the tag vocabulary, or tag an ask or an offer after the fact.\n\n"
    "Example: givenet tag rename 'urban-farming' 'urban farming'",
    no_args_is_help=True,
)
app.add_typer(tag_app, name="tag", rich_help_panel=PANEL)


@tag_app.command("ask")
def tag_ask(
    ask_id: str = typer.Argument(..., help="The ask's id, e.g. 3 or '#3'."),
    tags: list[str] = typer.Argument(..., help="The tags to add (one or more)."),
) -> None:
    """Add tags to an ask, and match it again (the tags `givenet ask` proposed, or others).

    Example:

        givenet tag ask 1 venue
    """
    from givenet.cli.asks import add_tags

    add_tags("ask", ask_id, tags)


@tag_app.command("offer")
def tag_offer(
    offer_id: str = typer.Argument(..., help="The offer's id, e.g. 2 or '#2'."),
    tags: list[str] = typer.Argument(..., help="The tags to add (one or more)."),
) -> None:
    """Add tags to an offer, and match it again.

    Example:

        givenet tag offer 1 venue kitchen
    """
    from givenet.cli.asks import add_tags

    add_tags("offer", offer_id, tags)


@tag_app.command("rename")
def tag_rename(
    old: str = typer.Argument(..., help="The tag as it is now."),
    new: str = typer.Argument(..., help="Its new name; an existing tag absorbs it."),
) -> None:
    """Rename a tag everywhere, or merge two spellings into one (matching needs them the same).

    Example:

        givenet tag rename "urban-farming" "urban farming"
    """
    from givenet.core.giving import rename_tag

    renamed = rename_tag(network(), old, new)
    render.line(
        f"Merged {renamed.old!r} into {renamed.new!r}."
        if renamed.merged
        else f"Renamed {renamed.old!r} to {renamed.new!r}."
    )


@app.command(rich_help_panel=PANEL)
def stats(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Network health: circles against their capacity, overdue check-ins, asks, intros, giving.

    Example:

        givenet stats
    """
    from givenet.core.giving import network_stats

    report = network_stats(network(), today=today())
    if as_json:
        render.print_json(report)
        return
    _print_stats(report)


def _bar(count: int, largest: int, width: int = 20) -> str:
    if largest <= 0 or count <= 0:
        return ""
    return "█" * max(1, round(width * count / largest))


def _capacity_bar(count: int, capacity: int, width: int = 20) -> str:
    """How full a layer is against its own capacity: filled, then the room left."""
    filled = min(width, round(width * count / capacity)) if capacity > 0 else width
    if count > 0:
        filled = max(1, filled)
    return "█" * filled + "░" * (width - filled)


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def _print_stats(report: NetworkStats) -> None:
    line = render.line
    line(f"Your network on {report.date.isoformat()}: {_people(report.people)}")
    line("")
    line(
        "Circles (they nest: each layer counts the ones inside it, bars against its capacity)",
        hang=4,
    )
    for layer in report.layers:
        warn = "  over capacity" if layer.over else ""
        line(
            f"  {layer.circle:<7} {_people(layer.people):>11}  {layer.cumulative:>4}/{layer.capacity:<4}"
            f" {_capacity_bar(layer.cumulative, layer.capacity)}{warn}"
        )
    line(f"  acquaintances: {report.acquaintances}")
    line(f"Overdue check-ins: {report.overdue_check_ins}")
    asks = report.asks
    line(
        f"Asks: {asks.open} open; last 90 days {asks.met_last_90_days} met, "
        f"{asks.dropped_last_90_days} dropped"
    )
    intros = report.intros
    statuses = {status: n for status, n in intros.by_status.items() if n}
    share = (
        f"; {intros.helped_share:.0%} of settled intros helped"
        if intros.helped_share is not None
        else ""
    )
    listed = ", ".join(f"{status} {n}" for status, n in statuses.items()) or "none yet"
    line(f"Intros: {listed}{share}")
    taken = report.suggestions
    line(
        f"Suggestions: {taken.taken} taken (an intro for the ask), {taken.helped} helped, "
        f"{taken.not_a_fit} not a fit"
    )
    giving = report.giving_last_90_days
    most = max(giving.gave, giving.got, 1)
    line("Giving, last 90 days")
    line(f"  gave {giving.gave:>4} {_bar(giving.gave, most)}")
    line(f"  got  {giving.got:>4} {_bar(giving.got, most)}")
    if giving.most_given_to:
        line("  most given to: " + ", ".join(f"{p.name} ({p.count})" for p in giving.most_given_to))
    if giving.most_given_by:
        line("  most given by: " + ", ".join(f"{p.name} ({p.count})" for p in giving.most_given_by))

"""The network of giving: matches, `who`, introductions, tags, stats.

The reads (`suggest_matches`, `who`, `list_intros`, `list_tags`, `network_stats`)
run on a plain sqlite3 connection and import no SQLAlchemy. Each loads only the
records it returns (``givenet.records.giving``, ``.who``, ``.intros``,
``.tags``, ``.stats``); their names are exported from here too, loaded on first use.
"""

from __future__ import annotations

import importlib
import sqlite3
from datetime import date
from typing import TYPE_CHECKING, Any

from givenet.core.network import Network, Progress, reading, sql, today_or, writing, writing_sql

if TYPE_CHECKING:
    from givenet.records.giving import FitAgain, Match, MatchList, NotAFit
    from givenet.records.intros import IntroLine, IntroMade, IntroMoved
    from givenet.records.stats import NetworkStats
    from givenet.records.tags import TagRenamed, TagUse
    from givenet.records.who import OfferRef, WhoFound

__all__ = [
    "FitAgain",
    "IntroLine",
    "IntroMade",
    "IntroMoved",
    "Match",
    "MatchList",
    "NetworkStats",
    "NotAFit",
    "OfferRef",
    "TagRenamed",
    "TagUse",
    "WhoFound",
    "fit_again",
    "list_intros",
    "list_tags",
    "make_intro",
    "network_stats",
    "not_a_fit",
    "rebuild_matches",
    "rename_tag",
    "set_intro_status",
    "suggest_matches",
    "who",
]

# The records this module hands back, by the module that holds them.
_RECORDS = {
    "FitAgain": "giving",
    "Match": "giving",
    "MatchList": "giving",
    "NotAFit": "giving",
    "OfferRef": "who",
    "WhoFound": "who",
    "IntroLine": "intros",
    "IntroMade": "intros",
    "IntroMoved": "intros",
    "NetworkStats": "stats",
    "TagRenamed": "tags",
    "TagUse": "tags",
}


def __getattr__(name: str) -> Any:
    module = _RECORDS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"givenet.records.{module}"), name)


def suggest_matches(
    network: Network,
    person: str | None = None,
    *,
    limit: int | None = 20,
    today: date | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> MatchList:
    """Suggested introductions: open asks that someone else's offer could meet, best first.

    ``person`` (a name, a unique part of one, or ``"#12"``) keeps their asks and the
    asks their offers could meet. People who want no intros, withdrawn offers and
    pairs introduced within ``intro.recent`` days are left out.

    ``rebuild`` first rebuilds the search indexes and candidates from the rows (after
    a repair), in the same transaction; ``progress(done, total)`` hears how far the
    asks are.

        >>> [(m.asker.name, m.helper.name) for m in suggest_matches(network).pairs]
    """
    from givenet.records.giving import MatchList

    day = today_or(today)
    if not rebuild:
        with reading(network) as connection:
            pairs = tuple(_matches(connection, person, day, limit))
            why = None if pairs else _why_no_matches(connection, person)
            return MatchList(day=day, pairs=pairs, why_none=why)
    from givenet.store.lookup import resolve_named
    from givenet.store.search import rebuild_all

    with writing_sql(network) as connection:
        if person:
            resolve_named(connection, "person", person, "person")  # refuse a typo before the work
        kept = rebuild_all(connection, progress)
        pairs = tuple(_matches(connection, person, day, limit))
        why = None if pairs else _why_no_matches(connection, person)
    return MatchList(day=day, pairs=pairs, rebuilt=kept, why_none=why)


def _why_no_matches(connection: sqlite3.Connection, person: str | None) -> str:
    """What is true when `match` finds nothing: no asks, asks all settled, or no fit."""
    from givenet.store.lookup import resolve_named
    from givenet.store.matches import ask_and_offer_counts

    if person is None:
        asks, open_asks, offers = ask_and_offer_counts(connection, None)
        if not open_asks:
            settled = " (every ask is met or dropped)" if asks else ""
            return f"No open asks{settled}: record what people ask for (givenet ask)."
        if not offers:
            return "No offers to match the open asks: record what people offer (givenet offer)."
        return (
            "No offer fits an open ask yet: tag asks and offers with the same words "
            "(givenet tags lists them)."
        )
    person_id, name = resolve_named(connection, "person", person, "person")
    asks, open_asks, offers = ask_and_offer_counts(connection, person_id)
    if asks and not open_asks and not offers:
        return f"{name}'s asks are all met or dropped, and they offer nothing yet."
    if asks and not open_asks:
        return f"{name}'s asks are all met or dropped, and no open ask fits their offers."
    if not asks and not offers:
        return f"{name} has no asks or offers yet: givenet ask / givenet offer records them."
    return f"Nothing fits {name}'s open asks or offers yet."


def _matches(
    connection: sqlite3.Connection, person: str | None, day: date, limit: int | None
) -> list[Match]:
    from givenet.store.config import load_settings
    from givenet.store.lookup import resolve_named
    from givenet.store.matches import find_matches

    person_id = resolve_named(connection, "person", person, "person")[0] if person else None
    return find_matches(
        connection,
        day,
        recent_days=load_settings(connection).days("intro.recent"),
        person_id=person_id,
        limit=limit,
    )


def not_a_fit(
    network: Network, ask: str | int, offer: str | int, *, today: date | None = None
) -> NotAFit:
    """Say an offer does not fit an ask (ids: ``3`` or ``"#3"``): never propose the pair again.

    Marking a pair twice changes nothing (``already`` says so); `stats` counts them.
    """
    from givenet.store import giving

    with writing(network) as db_session:
        return giving.not_a_fit(db_session, str(ask), str(offer), today_or(today))


def fit_again(network: Network, ask: str | int, offer: str | int) -> FitAgain:
    """Take back a not-a-fit mark (ids: ``3`` or ``"#3"``): the pair is scored again and
    `match` may propose it once more. A pair that was not marked changes nothing
    (``was_marked`` is False); ``candidate`` says whether it is a candidate match now."""
    from givenet.store import giving

    with writing(network) as db_session:
        return giving.fit_again(db_session, str(ask), str(offer))


def rebuild_matches(network: Network, *, progress: Progress | None = None) -> int:
    """Rebuild every search index and candidate match from the rows; how many candidates."""
    from givenet.store.search import rebuild_all

    with writing_sql(network) as connection:
        return rebuild_all(connection, progress)


def who(
    network: Network,
    text: str,
    *,
    limit: int = 10,
    open_to_intros: bool = False,
    team: bool = False,
) -> tuple[WhoFound, ...]:
    """Do I know someone who…? People whose offers, tags, role, org or notes match ``text``.

    ``open_to_intros`` leaves out people who want no introductions (for a face that
    suggests whom to introduce, such as the MCP server); otherwise they are listed
    with ``no_intros`` set. ``team`` says, for each, which members met them: the one
    who knows them best first (``known_by``).
    """
    from dataclasses import replace

    from givenet.store.matches import who as find_who
    from givenet.store.members import known_by

    with reading(network) as connection:
        # Everyone who matches (a few hundred at most) when some are left out.
        found = find_who(connection, text, _EVERYONE if open_to_intros else limit)
        if open_to_intros:
            found = [person for person in found if not person.no_intros][:limit]
        if team:
            touches = known_by(connection, [person.id for person in found])
            found = [
                replace(person, known_by=tuple(touches.get(person.id, ()))) for person in found
            ]
    return tuple(found)


# A limit no network reaches: SQLite's largest integer is far beyond it.
_EVERYONE = 1_000_000_000


def make_intro(
    network: Network,
    person_a: str,
    person_b: str,
    *,
    for_ask: str | int | None = None,
    note: str | None = None,
    status: str = "made",
    keep_open: bool = False,
    on: date | None = None,
    keeps: str | int | None = None,
) -> IntroMade:
    """Log an introduction between two people (or one you mean to make).

    From "made" on, the ledger records it as something you gave each of them;
    "helped" marks ``for_ask`` met unless ``keep_open``. ``on`` defaults to today.
    A made intro keeps the promise ``keeps`` (an id) and any open promise to either
    person whose text names an intro and the other person ("introduce her to Amara").
    """
    from givenet.errors import InvalidInput
    from givenet.records.intros import IntroMade
    from givenet.store import giving
    from givenet.store.common import ident, person_ref, resolve_person
    from givenet.vocab import GIVEN_STATUSES

    day = today_or(on)
    with writing(network) as db_session:
        a = resolve_person(db_session, person_a)
        b = resolve_person(db_session, person_b)
        ask_ref = str(for_ask) if for_ask is not None else None
        made, met = giving.make_intro(
            db_session, a, b, day, ask_ref=ask_ref, note=note, status=status, keep_open=keep_open
        )
        kept: list[int] = []
        if made.status in GIVEN_STATUSES:
            from givenet.store import activity

            if keeps is not None:
                kept.append(ident(activity.keep_promise(db_session, str(keeps), day)))
            for promise_id in giving.promises_naming_intro(sql(db_session), a, b):
                if promise_id not in kept:
                    kept.append(ident(activity.keep_promise(db_session, str(promise_id), day)))
        elif keeps is not None:
            raise InvalidInput("--keeps needs an intro that is made (not suggested or asked)")
        people = (person_ref(a), person_ref(b))
        return IntroMade(
            intro_id=ident(made),
            people=people,
            status=made.status,
            day=day,
            ask_met=ident(met) if met is not None else None,
            want_no_intros=tuple(
                ref for ref, found in zip(people, (a, b), strict=True) if found.no_intros
            ),
            promises_kept=tuple(kept),
        )


def set_intro_status(
    network: Network,
    intro: str | int,
    status: str,
    *,
    on: date | None = None,
    note: str | None = None,
    force: bool = False,
    keep_open: bool = False,
) -> IntroMoved:
    """Follow an intro (``3`` or ``"#3"``) to its outcome; an illegal move is refused.

    Moves: suggested → asked, made or declined; asked → made or declined;
    made → met, no-fit or fizzled; met → helped, no-fit or fizzled. ``force``
    allows any move (to correct a mistake). "helped" marks the intro's ask met
    unless ``keep_open``.
    """
    from givenet.records.intros import IntroMoved
    from givenet.store import giving
    from givenet.store.common import ident

    day = today_or(on)
    with writing(network) as db_session:
        moved, met = giving.move_intro(
            db_session, str(intro), status, day, note=note, force=force, keep_open=keep_open
        )
        return IntroMoved(
            intro_id=ident(moved),
            status=moved.status,
            day=day,
            ask_met=ident(met) if met is not None else None,
        )


def list_intros(network: Network, *, only_open: bool = False) -> tuple[IntroLine, ...]:
    """Introductions and where each one stands, newest first (``only_open``: under way)."""
    from givenet.store.matches import list_intros as intros

    with reading(network) as connection:
        return tuple(intros(connection, only_open=only_open))


def list_tags(network: Network) -> tuple[TagUse, ...]:
    """The tag vocabulary, most used first, with where each tag is used."""
    from givenet.store.matches import list_tags as tags

    with reading(network) as connection:
        return tuple(tags(connection))


def rename_tag(network: Network, old: str, new: str) -> TagRenamed:
    """Rename a tag everywhere, or merge it into an existing one; re-match what carried it."""
    from givenet.store.tags import rename_tag as rename

    with writing_sql(network) as connection:
        return rename(connection, old, new)


def network_stats(network: Network, *, today: date | None = None) -> NetworkStats:
    """Network health on ``today``: circles against capacity, overdue check-ins, asks,
    intros and the giving balance of the last 90 days."""
    from givenet.store.matches import network_stats as stats
    from givenet.store.ranking import count_overdue_check_ins, ranking_context

    day = today_or(today)
    with reading(network) as connection:
        overdue = count_overdue_check_ins(connection, ranking_context(connection, day))
        return stats(connection, day, overdue)

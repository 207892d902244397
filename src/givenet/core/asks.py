"""Needs and gifts: ask, offer, asks, offers, resolve, drop, reopen, withdraw."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from givenet.core.network import Network, reading, sql, today_or, writing
from givenet.records import fields_json
from givenet.records.asks import Ask, Offer, RecordedAsk, RecordedOffer

if TYPE_CHECKING:
    from sqlmodel import Session

__all__ = [
    "Ask",
    "Offer",
    "RecordedAsk",
    "RecordedOffer",
    "drop_ask",
    "list_asks",
    "list_offers",
    "record_ask",
    "record_offer",
    "reopen_ask",
    "resolve_ask",
    "tag_ask",
    "tag_offer",
    "withdraw_offer",
]


def record_ask(
    network: Network,
    person: str,
    text: str,
    *,
    tags: Sequence[str] = (),
    by: date | None = None,
    urgent: bool = False,
    today: date | None = None,
) -> RecordedAsk:
    """Something ``person`` needs (in their words), wanted ``by`` a day or ``urgent``.

    ``person`` is a name, a unique part of one, or an id like ``"#12"``; ``tags``
    are for matching against offers. Without tags, ``proposed_tags`` holds the tags
    already in use that fit the text best (``tag_ask`` adds them).
    """
    from givenet.store import activity, listing
    from givenet.store.common import ident, resolve_person

    with writing(network) as db_session:
        found = resolve_person(db_session, person)
        saved = activity.add_ask(
            db_session, found, text, tags=tags, by=by, urgent=urgent, today=today_or(today)
        )
        [ask] = listing.list_asks(sql(db_session), include_closed=True, ask_id=ident(saved))
        return RecordedAsk(**fields_json(ask), proposed_tags=_proposals(db_session, ask))


def record_offer(
    network: Network,
    person: str,
    text: str,
    *,
    tags: Sequence[str] = (),
    today: date | None = None,
) -> RecordedOffer:
    """Something ``person`` can give: a venue, a skill, contacts. Without tags,
    ``proposed_tags`` holds the tags in use that fit it best (``tag_offer`` adds them)."""
    from givenet.store import activity, listing
    from givenet.store.common import ident, resolve_person

    with writing(network) as db_session:
        found = resolve_person(db_session, person)
        saved = activity.add_offer(db_session, found, text, tags=tags, today=today_or(today))
        [offer] = listing.list_offers(
            sql(db_session), include_withdrawn=True, offer_id=ident(saved)
        )
        return RecordedOffer(**fields_json(offer), proposed_tags=_proposals(db_session, offer))


def _proposals(db_session: Session, record: Ask | Offer) -> tuple[str, ...]:
    """The tags in use that fit an untagged ask or offer; none when it has tags."""
    from givenet.store.matches import proposed_tags

    return () if record.tags else proposed_tags(sql(db_session), record.text)


def tag_ask(network: Network, ask: str | int, tags: Sequence[str]) -> Ask:
    """Add ``tags`` to an ask (its id: ``3`` or ``"#3"``), creating new ones, and match it
    again; tags it already carries are left as they are."""
    from givenet.models import Ask as AskRow
    from givenet.models import AskTag
    from givenet.store import activity, listing
    from givenet.store.common import ident

    with writing(network) as db_session:
        tagged = activity.add_tags(db_session, AskRow, AskTag, str(ask), "ask", tags)
        [found] = listing.list_asks(sql(db_session), include_closed=True, ask_id=ident(tagged))
        return found


def tag_offer(network: Network, offer: str | int, tags: Sequence[str]) -> Offer:
    """Add ``tags`` to an offer (``2`` or ``"#2"``) and match it again."""
    from givenet.models import Offer as OfferRow
    from givenet.models import OfferTag
    from givenet.store import activity, listing
    from givenet.store.common import ident

    with writing(network) as db_session:
        tagged = activity.add_tags(db_session, OfferRow, OfferTag, str(offer), "offer", tags)
        [found] = listing.list_offers(
            sql(db_session), include_withdrawn=True, offer_id=ident(tagged)
        )
        return found


def list_asks(network: Network, *, include_closed: bool = False) -> list[Ask]:
    """Open asks (or every one with ``include_closed``): urgent first, then by when due."""
    from givenet.store import listing

    with reading(network) as connection:
        return listing.list_asks(connection, include_closed=include_closed)


def list_offers(network: Network, *, include_withdrawn: bool = False) -> list[Offer]:
    """Active offers (or withdrawn ones too), by person."""
    from givenet.store import listing

    with reading(network) as connection:
        return listing.list_offers(connection, include_withdrawn=include_withdrawn)


def _move(network: Network, ask: str | int, move: str, today: date | None, via: str | None) -> Ask:
    from givenet.store import activity, listing
    from givenet.store.common import ident

    with writing(network) as db_session:
        moved = activity.move_ask(db_session, str(ask), move, today_or(today), via=via)
        [found] = listing.list_asks(sql(db_session), include_closed=True, ask_id=ident(moved))
        return found


def resolve_ask(
    network: Network, ask: str | int, *, via: str | None = None, today: date | None = None
) -> Ask:
    """Mark an open ask (its id: ``3`` or ``"#3"``) met on ``today``, ``via`` how."""
    return _move(network, ask, "resolve", today, via)


def drop_ask(network: Network, ask: str | int, *, today: date | None = None) -> Ask:
    """Mark an open ask dropped on ``today``: they no longer need it."""
    return _move(network, ask, "drop", today, None)


def reopen_ask(network: Network, ask: str | int) -> Ask:
    """Open a met or dropped ask again."""
    return _move(network, ask, "reopen", None, None)


def withdraw_offer(network: Network, offer: str | int) -> Offer:
    """Withdraw an active offer (its id: ``2`` or ``"#2"``): they can no longer give it."""
    from givenet.store import activity, listing
    from givenet.store.common import ident

    with writing(network) as db_session:
        withdrawn = activity.withdraw_offer(db_session, str(offer))
        [found] = listing.list_offers(
            sql(db_session), include_withdrawn=True, offer_id=ident(withdrawn)
        )
        return found

"""The network of giving, its writes: introductions and their outcomes, renaming tags.

What `match`, `who`, `intros`, `tags` and `stats` read is in ``store/matches.py``
(plain SQL, no SQLAlchemy).
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date

from sqlmodel import Session

from givenet.errors import Conflict, InvalidInput
from givenet.models import Ask, Give, Intro, MatchRejection, Offer, Person
from givenet.records.giving import FitAgain, NotAFit
from givenet.store import search
from givenet.store.common import (
    clean_optional,
    driver,
    execute,
    get_record,
    ident,
    now,
    rows,
    scalar,
)
from givenet.vocab import GIVEN_STATUSES, INTRO_MOVES, IntroStatus

# --- introductions ------------------------------------------------------------------


def _add_gave_lines(session: Session, intro: Intro, day: date) -> None:
    if scalar(driver(session), "SELECT COUNT(*) FROM give WHERE intro_id = ?", [intro.id]):
        return
    a = session.get(Person, intro.person_a_id)
    b = session.get(Person, intro.person_b_id)
    assert a is not None and b is not None
    for person, other in ((a, b), (b, a)):
        session.add(
            Give(
                person_id=person.id,  # type: ignore[arg-type]
                direction="gave",
                date=day,
                what=f"introduced them to {other.name}",
                intro_id=intro.id,
                created_at=now(),
            )
        )


def _resolve_intro_ask(session: Session, intro: Intro, day: date) -> Ask | None:
    if intro.ask_id is None:
        return None
    ask = session.get(Ask, intro.ask_id)
    if ask is None or ask.status != "open":
        return None
    other_id = intro.person_b_id if ask.person_id == intro.person_a_id else intro.person_a_id
    other = session.get(Person, other_id)
    ask.status, ask.resolved_on = "met", day
    ask.via = f"intro to {other.name}" if other else "an intro"
    session.add(ask)
    session.flush()
    search.match_ask(driver(session), ask.id)  # type: ignore[arg-type]
    return ask


def _on_status(session: Session, intro: Intro, day: date, *, keep_open: bool) -> Ask | None:
    """What a status brings: the ledger's gave lines from "made" on; "helped" meets the ask."""
    if intro.status in GIVEN_STATUSES:
        _add_gave_lines(session, intro, day)
    else:  # moved back before "made" (with --force): nothing was given yet
        execute(driver(session), "DELETE FROM give WHERE intro_id = ?", [intro.id])
    if intro.status == IntroStatus.helped and not keep_open:
        return _resolve_intro_ask(session, intro, day)
    return None


def make_intro(
    session: Session,
    a: Person,
    b: Person,
    day: date,
    *,
    ask_ref: str | None = None,
    note: str | None = None,
    status: str = "made",
    keep_open: bool = False,
) -> tuple[Intro, Ask | None]:
    """Log an introduction between two people; from "made" on it is two `gave` lines."""
    if a.id == b.id:
        raise InvalidInput("an introduction needs two different people")
    if status not in INTRO_MOVES:
        raise InvalidInput(f"status is one of {', '.join(INTRO_MOVES)}")
    ask = get_record(session, Ask, ask_ref, "ask") if ask_ref else None
    offer_id = None
    if ask is not None:
        if ask.person_id not in (a.id, b.id):
            raise Conflict(f"ask #{ask.id} is neither {a.name}'s nor {b.name}'s")
        helper_id = b.id if ask.person_id == a.id else a.id
        offer_id = scalar(
            driver(session),
            "SELECT mc.offer_id FROM match_candidate mc JOIN offer ON offer.id = mc.offer_id "
            "WHERE mc.ask_id = ? AND offer.person_id = ? ORDER BY mc.score DESC LIMIT 1",
            [ask.id, helper_id],
        )
    intro = Intro(
        person_a_id=a.id,  # type: ignore[arg-type]
        person_b_id=b.id,  # type: ignore[arg-type]
        date=day,
        ask_id=ask.id if ask else None,
        offer_id=offer_id,
        status=status,
        status_on=day,
        note=clean_optional(note, "a note"),
        created_at=now(),
    )
    session.add(intro)
    session.flush()
    resolved = _on_status(session, intro, day, keep_open=keep_open)
    session.flush()
    return intro, resolved


def move_intro(
    session: Session,
    ref: str,
    status: str,
    day: date,
    *,
    note: str | None = None,
    force: bool = False,
    keep_open: bool = False,
) -> tuple[Intro, Ask | None]:
    """Follow an intro to its outcome; an illegal move is refused with the legal ones."""
    intro = get_record(session, Intro, ref, "intro")
    if status not in INTRO_MOVES:
        raise InvalidInput(f"status is one of {', '.join(INTRO_MOVES)}")
    legal = INTRO_MOVES[intro.status]
    if status not in legal and not force:
        moves = f"it can move to: {', '.join(legal)}" if legal else "it is settled"
        raise Conflict(f"intro #{intro.id} is {intro.status}; {moves}; --force corrects a mistake")
    intro.status, intro.status_on = status, day
    if note:
        cleaned = clean_optional(note, "a note")
        intro.note = f"{intro.note}\n{cleaned}" if intro.note else cleaned
    session.add(intro)
    session.flush()
    resolved = _on_status(session, intro, day, keep_open=keep_open)
    return intro, resolved


def _pair(session: Session, ask_ref: str, offer_ref: str) -> tuple[Ask, Offer, Person, Person]:
    """An ask and an offer `match` could pair, and who asks and who offers."""
    ask = get_record(session, Ask, ask_ref, "ask")
    offer = get_record(session, Offer, offer_ref, "offer")
    if ask.person_id == offer.person_id:
        raise InvalidInput(
            f"ask #{ask.id} and offer #{offer.id} are the same person's: "
            "match never proposes those anyway"
        )
    asker = session.get(Person, ask.person_id)
    helper = session.get(Person, offer.person_id)
    assert asker is not None and helper is not None
    return ask, offer, asker, helper


def not_a_fit(session: Session, ask_ref: str, offer_ref: str, day: date) -> NotAFit:
    """Record that an offer does not fit an ask: `match` never proposes the pair again."""
    from givenet.store.common import person_ref

    ask, offer, asker, helper = _pair(session, ask_ref, offer_ref)
    key = (ident(ask), ident(offer))
    already = session.get(MatchRejection, key) is not None
    if not already:
        session.add(MatchRejection(ask_id=key[0], offer_id=key[1], rejected_on=day))
        session.flush()
    return NotAFit(
        ask_id=ident(ask),
        ask=ask.text,
        asker=person_ref(asker),
        offer_id=ident(offer),
        offer=offer.text,
        helper=person_ref(helper),
        day=day,
        already=already,
    )


def fit_again(session: Session, ask_ref: str, offer_ref: str) -> FitAgain:
    """Take back a not-a-fit mark: score the pair again, so `match` can propose it."""
    from givenet.store.common import person_ref

    ask, offer, asker, helper = _pair(session, ask_ref, offer_ref)
    key = (ident(ask), ident(offer))
    mark = session.get(MatchRejection, key)
    if mark is not None:
        session.delete(mark)
        session.flush()
        search.match_ask(driver(session), key[0])
    candidate = scalar(
        driver(session),
        "SELECT COUNT(*) FROM match_candidate WHERE ask_id = ? AND offer_id = ?",
        list(key),
    )
    return FitAgain(
        ask_id=key[0],
        ask=ask.text,
        asker=person_ref(asker),
        offer_id=key[1],
        offer=offer.text,
        helper=person_ref(helper),
        was_marked=mark is not None,
        candidate=bool(candidate),
    )


def promises_naming_intro(db: sqlite3.Connection, a: Person, b: Person) -> list[int]:
    """Open promises to ``a`` or ``b`` whose text names an intro and the other person
    (their first name, accents and case aside): "introduce her to Amara"."""
    from givenet.store.lookup import fold

    found = []
    for to, other in ((a, b), (b, a)):
        first = fold(other.name.split()[0]) if other.name.split() else ""
        for promise_id, text in rows(
            db, "SELECT id, text FROM promise WHERE person_id = ? AND kept_on IS NULL", [to.id]
        ):
            words = fold(text)
            if first and "intro" in words and re.search(rf"\b{re.escape(first)}\b", words):
                found.append(promise_id)
    return sorted(set(found))

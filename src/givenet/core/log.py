"""Touches and the ledger: log, promises, kept, gave, got, delete."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from givenet.core.network import Network, reading, sql, today_or, writing
from givenet.errors import InvalidInput
from givenet.records.log import Deletion, Give, MeetingLogged, Promise
from givenet.records.people import PersonRef

__all__ = [
    "Deletion",
    "Give",
    "MeetingLogged",
    "Promise",
    "delete_record",
    "describe_record",
    "keep_promise",
    "list_promises",
    "log_meeting",
    "make_promise",
    "record_gave",
    "record_got",
]


def log_meeting(
    network: Network,
    people: Sequence[str],
    *,
    on: date | None = None,
    kind: str | None = None,
    event: str | None = None,
    note: str | None = None,
    next_step: str | None = None,
    by: date | None = None,
    today: date | None = None,
) -> MeetingLogged:
    """A meeting (a touch) with one or more people, and a promise to each if ``next_step``.

    ``people`` and ``event`` are names, unique parts of names or ids like ``"#12"``.
    At an event the meeting is on the event's day and of kind ``"event"`` unless
    ``on`` or ``kind`` say otherwise; elsewhere it is ``today``, kind ``"other"``.
    A promise is due ``by``, else ``promise.default`` days after the meeting.
    """
    from givenet.store import activity, listing
    from givenet.store.common import ident, resolve_event, resolve_person
    from givenet.store.config import load_settings

    if by and not next_step:
        raise InvalidInput("--by needs --next: say what the next step is")
    with writing(network) as db_session:
        found = [resolve_person(db_session, ref) for ref in people]
        at = resolve_event(db_session, event) if event else None
        if at is not None and on is None:
            from givenet.core.people import refuse_a_future_event

            refuse_a_future_event(at, today_or(today), "--event")
        day = on if on is not None else (at.date if at is not None else today_or(today))
        chosen_kind = kind or ("event" if at is not None else "other")
        meeting = activity.log_meeting(
            db_session, found, day, kind=chosen_kind, event=at, note=note
        )
        promises: list[Promise] = []
        if next_step:
            due = by or activity.default_promise_due(
                day, load_settings(sql(db_session)).days("promise.default")
            )
            activity.add_promises(db_session, found, next_step, due, meeting)
            promises = listing.list_promises(
                sql(db_session), include_kept=True, meeting_id=ident(meeting)
            )
        unique = {ident(person): person.name for person in found}
        return MeetingLogged(
            meeting_id=ident(meeting),
            day=day,
            kind=chosen_kind,
            event_id=ident(at) if at is not None else None,
            people=tuple(PersonRef(person_id, name) for person_id, name in unique.items()),
            promises=tuple(promises),
        )


def list_promises(network: Network, *, include_kept: bool = False) -> list[Promise]:
    """Open promises (or every one with ``include_kept``), soonest due first."""
    from givenet.store import listing

    with reading(network) as connection:
        return listing.list_promises(connection, include_kept=include_kept)


def make_promise(
    network: Network,
    person: str,
    text: str,
    *,
    by: date | None = None,
    today: date | None = None,
) -> Promise:
    """A promise to someone without a meeting, due ``by`` (else ``promise.default`` days on)."""
    from givenet.store import activity, listing
    from givenet.store.common import ident, resolve_person
    from givenet.store.config import load_settings

    day = today_or(today)
    with writing(network) as db_session:
        found = resolve_person(db_session, person)
        due = by or activity.default_promise_due(
            day, load_settings(sql(db_session)).days("promise.default")
        )
        [made] = activity.add_promises(db_session, [found], text, due, None)
        [promise] = listing.list_promises(
            sql(db_session), include_kept=True, promise_id=ident(made)
        )
        return promise


def keep_promise(network: Network, promise: str | int, *, today: date | None = None) -> Promise:
    """Mark a promise (its id: ``4`` or ``"#4"``) kept on ``today``."""
    from givenet.store import activity, listing
    from givenet.store.common import ident

    with writing(network) as db_session:
        kept = activity.keep_promise(db_session, str(promise), today_or(today))
        [found] = listing.list_promises(sql(db_session), include_kept=True, promise_id=ident(kept))
        return found


def _ledger(
    network: Network,
    person: str,
    direction: str,
    what: str,
    on: date | None,
    ask: str | int | None,
) -> Give:
    from givenet.models import Ask
    from givenet.store import activity
    from givenet.store.common import get_record, ident, person_ref, resolve_person

    day = today_or(on)
    with writing(network) as db_session:
        found = resolve_person(db_session, person)
        met = get_record(db_session, Ask, ask, "ask") if ask is not None else None
        give = activity.add_give(db_session, found, direction, what, day, ask=met)
        return Give(
            id=ident(give),
            person=person_ref(found),
            direction=direction,
            what=give.what,
            day=day,
            ask_id=ident(met) if met is not None else None,
        )


def record_gave(
    network: Network,
    person: str,
    what: str,
    *,
    ask: str | int | None = None,
    on: date | None = None,
) -> Give:
    """Something the user gave ``person`` on ``on`` (default today).

    ``ask`` (an ask's id) is the ask this met: it must be theirs and open, and is
    marked met, with ``what`` as how.
    """
    return _ledger(network, person, "gave", what, on, ask)


def record_got(network: Network, person: str, what: str, *, on: date | None = None) -> Give:
    """Something ``person`` gave the user on ``on`` (default today): they rank higher until
    the user gives back."""
    return _ledger(network, person, "got", what, on, None)


def describe_record(network: Network, kind: str, record: str | int) -> Deletion:
    """The record ``delete_record`` would delete and the line that says what it is.

    Takes no write lock: a face can show the line and ask before deleting.
    """
    from givenet.store import activity
    from givenet.store.common import ident

    with writing(network, write=False) as db_session:
        found, description = activity.describe_record(db_session, kind, str(record))
        return Deletion(kind=kind, id=ident(found), description=description)


def delete_record(network: Network, kind: str, record: str | int) -> Deletion:
    """Delete a record entered by mistake: ``kind`` is one of ``DELETABLE_KINDS``
    (meeting, note, ask, offer, give, intro, promise, event), ``record`` its id."""
    from givenet.store import activity
    from givenet.store.common import ident

    with writing(network) as db_session:
        found, description = activity.describe_record(db_session, kind, str(record))
        deleted = Deletion(kind=kind, id=ident(found), description=description)
        activity.delete_record(db_session, found)
        return deleted

"""People: add, edit, note, show, list, find, snooze, unsnooze, me."""

from __future__ import annotations

from datetime import date

from givenet.core.network import Network, today_or, writing
from givenet.records.people import NoteAdded, PersonRef

__all__ = ["NoteAdded", "PersonRef", "add_note"]


def add_note(network: Network, person: str, text: str, *, on: date | None = None) -> NoteAdded:
    """A dated note about someone (not a meeting: it does not count as a touch).

    ``person`` is a name, a unique part of one, or an id like ``"#12"``; ``on``
    defaults to today.
    """
    from givenet.store import people
    from givenet.store.common import ident, resolve_person

    day = today_or(on)
    with writing(network) as db_session:
        found = resolve_person(db_session, person)
        saved = people.add_note(db_session, found, text, day)
        return NoteAdded(person=PersonRef(ident(found), found.name), note_id=ident(saved), day=day)

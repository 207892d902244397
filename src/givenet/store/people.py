"""People: adding, editing, browsing, searching, snoozing, and the user's own values."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, delete, select

from givenet.errors import Conflict, InvalidInput
from givenet.models import CIRCLES, Email, Event, MeTag, Note, Person, PersonTag, Phone
from givenet.records.people import PersonFields
from givenet.rules import CIRCLE_CAPACITY, nested_layers
from givenet.store import search
from givenet.store.common import (
    clean_optional,
    clean_text,
    driver,
    ensure_tags,
    ident,
    my_values,
    now,
    placeholders,
    rows,
    tag_ids,
)

# Fields `edit --clear` may empty, and the column each one clears.
CLEARABLE = {
    "email": "emails",
    "phone": "phones",
    "org": "org",
    "role": "role",
    "location": "location",
    "url": "url",
    "tags": "tags",
    "cadence": "cadence_days",
    "birthday": "birthday",
    "reach": "reach",
    "open-to": "open_to",
    "snooze": "snoozed_until",
}


def _clean_emails(addresses: Sequence[str]) -> list[str]:
    cleaned = []
    for address in addresses:
        value = clean_text(address, "an email address")
        if "@" not in value or " " in value:
            raise InvalidInput(f"{value!r} does not look like an email address")
        cleaned.append(value)
    return cleaned


def find_duplicates(
    db: sqlite3.Connection, name: str, emails: Sequence[str], exclude_id: int | None = None
) -> list[tuple[int, str, str]]:
    """People who already have this name or one of these emails: (id, name, why)."""
    found: dict[int, tuple[int, str, str]] = {}
    for row in rows(db, "SELECT id, name FROM person WHERE key = ?", [name.casefold()]):
        found[row[0]] = (row[0], row[1], "same name")
    for person_id, person_name, address in email_owners(db, emails):
        found.setdefault(person_id, (person_id, person_name, f"same email {address}"))
    return [entry for person_id, entry in sorted(found.items()) if person_id != exclude_id]


def email_owners(db: sqlite3.Connection, emails: Sequence[str]) -> list[tuple[int, str, str]]:
    """(id, name, address) of the people who already have one of these emails."""
    keys = [email.casefold() for email in emails]
    if not keys:
        return []
    return rows(
        db,
        "SELECT person.id, person.name, email.address FROM email JOIN person "
        f"ON person.id = email.person_id WHERE email.key IN ({placeholders(len(keys))}) "
        "ORDER BY person.id",
        keys,
    )


def _set_emails(
    session: Session, person: Person, addresses: Sequence[str], *, append: bool
) -> None:
    existing = list(
        session.exec(
            select(Email).where(Email.person_id == person.id).order_by(col(Email.position))
        )
    )
    if not append:
        for email in existing:
            session.delete(email)
        existing = []
    known = {email.key for email in existing}
    position = len(existing)
    for address in addresses:
        key = address.casefold()
        if key in known:
            continue
        known.add(key)
        session.add(Email(person_id=ident(person), address=address, key=key, position=position))
        position += 1


def _set_phones(session: Session, person: Person, numbers: Sequence[str], *, append: bool) -> None:
    existing = list(
        session.exec(
            select(Phone).where(Phone.person_id == person.id).order_by(col(Phone.position))
        )
    )
    if not append:
        for phone in existing:
            session.delete(phone)
        existing = []
    known = {phone.number for phone in existing}
    position = len(existing)
    for number in numbers:
        value = clean_text(number, "a phone number")
        if value in known:
            continue
        known.add(value)
        session.add(Phone(person_id=ident(person), number=value, position=position))
        position += 1


def add_tags_to_person(session: Session, person_id: int, names: Sequence[str]) -> None:
    for tag in ensure_tags(session, names):
        if session.get(PersonTag, (person_id, tag.id)) is None:
            session.add(PersonTag(person_id=person_id, tag_id=ident(tag)))


def _apply_fields(person: Person, fields: PersonFields) -> None:
    for name in ("org", "role", "location", "url", "open_to"):
        value = getattr(fields, name)
        if value is not None:
            setattr(person, name, clean_optional(value, name.replace("_", " ")))
    for name in ("circle", "cadence_days", "birthday", "reach", "new_to_field", "no_intros"):
        value = getattr(fields, name)
        if value is not None:
            setattr(person, name, value)
    if fields.circle is not None and fields.circle not in CIRCLES:
        raise InvalidInput(f"circle is one of {', '.join(CIRCLES)}")


def add_person(session: Session, fields: PersonFields, *, force: bool = False) -> Person:
    """A new person; refuses a second one with the same name or email unless ``force``."""
    name = clean_text(fields.name, "a person's name")
    emails = _clean_emails(fields.emails)
    if not force:
        duplicates = find_duplicates(driver(session), name, emails)
        if duplicates:
            listed = "; ".join(f"#{pid} {pname} ({why})" for pid, pname, why in duplicates)
            raise Conflict(f"already in your network: {listed}. Use --force to add another")
    person = Person(name=name, key=name.casefold(), created_at=now())
    _apply_fields(person, fields)
    session.add(person)
    session.flush()
    _set_emails(session, person, emails, append=True)
    _set_phones(session, person, fields.phones, append=True)
    add_tags_to_person(session, person.id, fields.tags)  # type: ignore[arg-type]
    session.flush()
    search.person_written(driver(session), person.id, profile_changed=False)  # type: ignore[arg-type]
    return person


def edit_person(
    session: Session,
    person: Person,
    fields: PersonFields,
    *,
    untag: Sequence[str] = (),
    clear: Sequence[str] = (),
) -> Person:
    """Change fields: tags and emails are added, ``clear`` empties named fields first."""
    assert person.id is not None
    unknown = [name for name in clear if name not in CLEARABLE]
    if unknown:
        raise InvalidInput(f"cannot clear {unknown[0]!r}; clearable fields: {', '.join(CLEARABLE)}")
    for name in clear:
        column = CLEARABLE[name]
        if column == "emails":
            _set_emails(session, person, [], append=False)
        elif column == "phones":
            _set_phones(session, person, [], append=False)
        elif column == "tags":
            session.exec(delete(PersonTag).where(col(PersonTag.person_id) == person.id))
        else:
            setattr(person, column, None)
    if fields.name is not None:
        person.name = clean_text(fields.name, "a person's name")
        person.key = person.name.casefold()
    _apply_fields(person, fields)
    emails = _clean_emails(fields.emails)
    if emails:
        taken = [owner for owner in email_owners(driver(session), emails) if owner[0] != person.id]
        if taken:
            pid, pname, address = taken[0]
            raise Conflict(f"#{pid} {pname} already has that email ({address})")
    _set_emails(session, person, emails, append=True)
    _set_phones(session, person, fields.phones, append=True)
    add_tags_to_person(session, person.id, fields.tags)
    remove = tag_ids(driver(session), untag)
    if remove:
        session.exec(
            delete(PersonTag).where(
                col(PersonTag.person_id) == person.id, col(PersonTag.tag_id).in_(remove)
            )
        )
    session.add(person)
    session.flush()
    search.person_written(driver(session), person.id)
    return person


def add_note(session: Session, person: Person, text: str, day: date) -> Note:
    note = Note(
        person_id=ident(person), date=day, text=clean_text(text, "a note"), created_at=now()
    )
    session.add(note)
    session.flush()
    search.index_person(driver(session), person.id)  # type: ignore[arg-type]
    return note


def circle_counts(db: sqlite3.Connection) -> dict[str, int]:
    counts = dict.fromkeys(CIRCLES, 0)
    for circle, count in rows(db, "SELECT circle, COUNT(*) FROM person GROUP BY circle"):
        counts[circle] = count
    return counts


def capacity_warnings(db: sqlite3.Connection) -> list[str]:
    """Dunbar's layers nest: inner ≤ 15; inner and active ≤ 50; all three ≤ 150."""
    warnings = []
    for depth, layer in enumerate(nested_layers(circle_counts(db)), start=1):
        if layer["over"]:
            which = " and ".join(list(CIRCLE_CAPACITY)[:depth])
            warnings.append(
                f"your {which} circle{'s hold' if depth > 1 else ' holds'} {layer['cumulative']} "
                f"people, more than the {layer['capacity']} anyone can keep up with; "
                "consider moving some out"
            )
    return warnings


def has_people(db: sqlite3.Connection) -> bool:
    """Whether the network holds anyone yet (`demo` fills only an empty one)."""
    return bool(rows(db, "SELECT 1 FROM person LIMIT 1"))


def events_named(session: Session, name: str) -> list[Event]:
    """The events with exactly this name (case aside): `add --met-at`'s candidates."""
    key = name.strip().casefold()
    return list(session.exec(select(Event).where(Event.key == key)))


def set_snooze(session: Session, person: Person, until: date | None) -> Person:
    person.snoozed_until = until
    session.add(person)
    session.flush()
    return person


def change_my_values(session: Session, add: Sequence[str], remove: Sequence[str]) -> list[str]:
    for tag in ensure_tags(session, add):
        if session.get(MeTag, tag.id) is None:
            session.add(MeTag(tag_id=ident(tag)))
    removed = tag_ids(driver(session), remove)
    if removed:
        session.exec(delete(MeTag).where(col(MeTag.tag_id).in_(removed)))
    session.flush()
    return my_values(driver(session))


def open_promises_before(db: sqlite3.Connection, person_id: int, day: date) -> int:
    """How many open promises to someone fall due before ``day`` (a snooze's end)."""
    found = db.execute(
        "SELECT count(*) FROM promise WHERE person_id = ? AND kept_on IS NULL AND due < ?",
        [person_id, day.isoformat()],
    ).fetchone()
    return int(found[0])

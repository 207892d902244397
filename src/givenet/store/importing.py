"""Bringing records in: match each to a person or add one; restore a givenet export.

Everything happens in the command's one transaction: a bad row raises and the
whole import rolls back. Every function here takes that transaction's sqlite3
connection (``sql(session)`` in the core) and writes plain SQL, not ORM objects,
so that 10,000 LinkedIn rows take well under a second; the full-text index is
brought up to date once, at the end, for the people the import touched.

Re-import rules: a record matches a person by email, then URL, then vCard UID;
by exact name (any case) only when it has none of those and exactly one person
has that name. A match fills the person's empty fields and adds new emails,
phones, tags and notes (a note already there word for word is not added
again); otherwise the record is a new person in the acquaintance circle.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any

from givenet.dates import birthday_month_day
from givenet.errors import InvalidInput
from givenet.importers import EmptyRow, ImportRecord, Parsed, RecordAsk, RecordOffer
from givenet.importers.givenet_json import ExportDocument, ExportStream, NotStreamable
from givenet.migrations import PERSON_TOUCH_ON_INSERT
from givenet.records.data import ImportSummary, NameMatch, PersonChange, RowProblem
from givenet.store import search
from givenet.store.dialect import (
    database_errors,
    first_line,
    follow_ids,
    indexes_off,
    on_postgres,
    trigger_off,
)
from givenet.store.exporting import person_uid
from givenet.store.sql import now, placeholders
from givenet.store.tables import DERIVED_TABLES, StoredTable, describe, exported_tables
from givenet.vocab import (
    ASK_STATUSES,
    ATTENDANCE,
    CIRCLES,
    DEFAULT_CIRCLE,
    GIVE_DIRECTIONS,
    INTRO_STATUSES,
    MEETING_KINDS,
    OFFER_STATUSES,
    chunks,
)

# How many records between two progress updates.
PROGRESS_EVERY = 500
# How many records are read before they are applied, to look up their keys at once.
READ_AHEAD = 1000
# How many problems a dry run that would be refused lists, one a line.
LISTED_PROBLEMS = 50
# The contact fields a match fills when they are empty.
FILLABLE = ("org", "role", "location", "url", "birthday")
# Profile columns a givenet export carries; a match fills the ones that are empty.
PROFILE_FILLABLE = ("cadence_days", "reach", "open_to")


@dataclass
class _Tally:
    """What an import has done so far; frozen into an :class:`ImportSummary` at the end."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[RowProblem] = field(default_factory=list)
    name_matches: list[NameMatch] = field(default_factory=list)
    added_people: list[PersonChange] = field(default_factory=list)
    updated_people: list[PersonChange] = field(default_factory=list)
    # New people who share a name with someone already there (`givenet dupes` lists them).
    same_name: int = 0
    empty_rows: list[str] = field(default_factory=list)
    left_out: list[RowProblem] = field(default_factory=list)

    def summary(self, shown: str) -> ImportSummary:
        return ImportSummary(
            shown=shown,
            added=self.added,
            updated=self.updated,
            unchanged=self.unchanged,
            skipped=tuple(self.skipped),
            name_matches=tuple(self.name_matches),
            added_people=tuple(self.added_people),
            updated_people=tuple(self.updated_people),
            same_name=self.same_name,
            empty_rows=tuple(self.empty_rows),
            left_out=tuple(self.left_out),
        )


_ADD_PERSON = (
    "INSERT INTO person (name, key, org, role, location, url, circle, cadence_days, "
    "new_to_field, reach, birthday, no_intros, open_to, source, source_connected_on, "
    "created_at{id}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?{value})"
)
# The rows an import writes in bulk on SQLite (``Importer.flush``), in this order: a
# new person (with the id the importer gave them) before their emails, phones and tags.
_BATCHED = {
    "person": _ADD_PERSON.format(id=", id", value=", ?"),
    "email": "INSERT INTO email (person_id, address, key, position) VALUES (?, ?, ?, ?)",
    "phone": "INSERT INTO phone (person_id, number, position) VALUES (?, ?, ?)",
    "person_tag": "INSERT INTO person_tag (person_id, tag_id) VALUES (?, ?)",
}
_ADD_PERSON = _ADD_PERSON.format(id="", value="")


def _ids_given_here(db: sqlite3.Connection) -> bool:
    """Whether new people's ids are given by the importer (SQLite, which the import holds
    alone), rather than by the database with RETURNING (PostgreSQL)."""
    return not on_postgres(db)


def _stamp() -> str:
    """``created_at`` as ``store.sql.now()`` gives it and SQLAlchemy stores it in SQLite."""
    return now().strftime("%Y-%m-%d %H:%M:%S.%f")


def url_key(url: str) -> str:
    """A URL compared without scheme, ``www.``, case or a trailing slash."""
    key = url.strip().casefold()
    for prefix in ("https://", "http://"):
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    if key.startswith("www."):
        key = key[len("www.") :]
    return key.rstrip("/")


class Importer:
    """Applies records one by one, keeping in memory what it needs to match the next."""

    def __init__(self, db: sqlite3.Connection, today: date, member: str | None = None) -> None:
        self.db = db
        self.member = member  # who recorded what this import adds (schema 6)
        self.today = today.isoformat()
        self.stamp = _stamp()
        self.summary = _Tally()
        self.added_ids: set[int] = set()
        self.reindex: set[int] = set()  # people whose name, tags, role, org or notes changed
        self.profile_changed: set[int] = set()  # existing people whose role, org or tags changed
        self.new_asks: list[int] = []
        self.new_offers: list[int] = []
        # The tables this import wrote to: their statistics are refreshed at the end.
        self.written: set[str] = set()
        # Where each applied record (``record.where``) went: a merge maps the file's ids.
        self.placed: dict[str, int] = {}
        db = self.db
        # What matching needs is read for the keys of the records about to be applied
        # (``look_up``, by the indexes on email.key and person.key), not for everyone:
        # at 100,000 people that was 1.35 of 7 s. A key once read is kept up to date
        # by the writes below, so these hold what the database holds for those keys.
        self.email_owner: dict[str, int] = {}
        self._emails_read: set[str] = set()
        self.name_owners: dict[str, list[int]] = {}
        # Each person's org (case-folded): two people of one name at two companies
        # are two people, so a name match needs an org that does not disagree.
        self.org_of: dict[int, str] = {}
        # Names already there before this import, for the "share a name" hint.
        self.names_before: set[str] = set()
        # URLs are compared by ``url_key``, which no index holds: the people with one
        # (and the vCard UIDs) are read once, the first person of a key owning it.
        self.url_owner: dict[str, int] = {}
        self.uid_owner: dict[str, int] = {}
        for person_id, url, source in db.execute(
            "SELECT id, url, source FROM person WHERE url <> '' OR source LIKE 'vcard:%' "
            "ORDER BY id"
        ):
            if url:
                self.url_owner.setdefault(url_key(url), person_id)
            if source and source.startswith("vcard:"):
                self.uid_owner.setdefault(source[len("vcard:") :], person_id)
        self.tag_ids: dict[str, int] = {
            key: tag_id for tag_id, key in db.execute("SELECT id, key FROM tag")
        }
        self._exported_uids: dict[str, int] | None = None
        # Into a network with nobody yet there is nothing to look up (an email
        # belongs to a person): every key's owners are the ones this import adds.
        self._nobody_before = db.execute("SELECT 1 FROM person LIMIT 1").fetchone() is None
        # On SQLite the import holds the file (BEGIN IMMEDIATE), so a new person's id is
        # the largest id + 1, as the database would give it: the new people and their
        # emails, phones and tags are kept and written with executemany (``flush``),
        # not one statement each with RETURNING. Every read of those tables, and every
        # other write, comes after a flush. On PostgreSQL another member's session may
        # take ids from the same sequence meanwhile: a statement a row there.
        self._next_id: int | None = None
        if _ids_given_here(db):
            self._next_id = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM person").fetchone()[0]
        self._pending: dict[str, list[tuple[Any, ...]]] = {table: [] for table in _BATCHED}

    def flush(self) -> None:
        """Write the rows kept for executemany (people first: the others refer to them)."""
        for table, statement in _BATCHED.items():
            pending = self._pending[table]
            if pending:
                self.db.executemany(statement, pending)
                pending.clear()

    def _insert(self, table: str, values: tuple[Any, ...]) -> None:
        """One row of a table ``_BATCHED`` names: kept for ``flush`` on SQLite."""
        if self._next_id is None:
            self.db.execute(_BATCHED[table], values)
        else:
            self._pending[table].append(values)

    def look_up(self, records: Sequence[ImportRecord]) -> None:
        """Read the owners of these records' emails and names (before they are applied).

        Every key an applied record matches by or writes was read here first, so a key
        read later was not touched by this import: what the database holds for it is
        what it held before (``names_before``).
        """
        self.flush()
        emails = {
            key
            for record in records
            for key in (address.casefold() for address in record.emails)
            if key not in self._emails_read
        }
        found: list[tuple[int, str, Any]] = []
        for chunk in [] if self._nobody_before else chunks(sorted(emails)):
            found += self.db.execute(
                f"SELECT id, key, person_id FROM email WHERE key IN ({placeholders(len(chunk))})",
                chunk,
            ).fetchall()
        # In id order, so that the last row wins, as a read of the whole table gave.
        # (Sorted here: with ORDER BY id, SQLite scans the table instead of the index.)
        for _, key, person_id in sorted(found):
            self.email_owner[key] = person_id
        self._emails_read |= emails
        names = {
            key
            for key in (record.name.casefold() for record in records)
            if key not in self.name_owners
        }
        for key in names:
            self.name_owners[key] = []
        found = []
        for chunk in [] if self._nobody_before else chunks(sorted(names)):
            found += self.db.execute(
                f"SELECT id, key, org FROM person WHERE key IN ({placeholders(len(chunk))})", chunk
            ).fetchall()
        for person_id, key, org in sorted(found):
            self.name_owners[key].append(person_id)
            self.names_before.add(key)
            if org:
                self.org_of[person_id] = org.casefold()

    # --- matching -----------------------------------------------------------------

    def _exported_uid_owner(self, uid: str) -> int | None:
        """People by the UID `givenet export vcard` gives them (computed on first need)."""
        if self._exported_uids is None:
            self.flush()
            self._exported_uids = {
                person_uid(person_id, created_at): person_id
                for person_id, created_at in self.db.execute("SELECT id, created_at FROM person")
            }
        return self._exported_uids.get(uid.casefold().removeprefix("urn:uuid:"))

    def match(self, record: ImportRecord) -> tuple[int | None, str, list[int]]:
        """(person id or None, how it matched, the people sharing the name when ambiguous)."""
        for address in record.emails:
            owner = self.email_owner.get(address.casefold())
            if owner is not None:
                return owner, "email", []
        if record.url:
            owner = self.url_owner.get(url_key(record.url))
            if owner is not None:
                return owner, "url", []
        if record.uid:
            owner = self.uid_owner.get(record.uid)
            if owner is None:
                owner = self._exported_uid_owner(record.uid)
            if owner is not None:
                return owner, "uid", []
        if record.emails or record.url or record.uid:
            return None, "", []
        owners = self.name_owners.get(record.name.casefold(), [])
        if record.org and owners:
            # Same name, another company: another person (LinkedIn has many John Smiths).
            org = record.org.casefold()
            same = [owner for owner in owners if self.org_of.get(owner) == org]
            if len(same) == 1:
                return same[0], "name", []
            owners = [owner for owner in owners if self.org_of.get(owner, org) == org]
        if len(owners) == 1:
            return owners[0], "name", []
        return None, "", owners

    # --- writing ------------------------------------------------------------------

    def apply(self, record: ImportRecord) -> None:
        if record.name.casefold() not in self.name_owners or not self._emails_read.issuperset(
            address.casefold() for address in record.emails
        ):
            self.look_up([record])  # ``apply_records`` looked the records up ahead
        person_id, how, namesakes = self.match(record)
        if namesakes:
            listed = ", ".join(f"#{pid}" for pid in namesakes[:5])
            self.summary.skipped.append(
                RowProblem(
                    record.where,
                    f"{len(namesakes)} people are already called {record.name!r} ({listed}) and "
                    "the row has no email, URL or UID to tell them apart",
                )
            )
            return
        if person_id is None:
            self.placed[record.where] = self.add(record)
            return
        if how == "name":
            self.summary.name_matches.append(NameMatch(record.where, record.name, person_id))
        self.placed[record.where] = person_id
        self.update(person_id, record)

    def add(self, record: ImportRecord) -> int:
        profile = record.profile
        key = record.name.casefold()
        values = (
            record.name, key, record.org, record.role, record.location, record.url,
            profile.get("circle") or DEFAULT_CIRCLE, profile.get("cadence_days"),
            bool(profile.get("new_to_field")), profile.get("reach"), record.birthday,
            bool(profile.get("no_intros")), profile.get("open_to"),
            f"vcard:{record.uid}" if record.uid else record.source,
            record.connected_on.isoformat() if record.connected_on else None, self.stamp,
        )  # fmt: skip
        person_id: int
        if self._next_id is None:
            person_id = self.db.execute(f"{_ADD_PERSON} RETURNING id", values).fetchone()[0]
        else:
            person_id = self._next_id
            self._next_id += 1
            self._pending["person"].append((*values, person_id))
        self.written.add("person")
        if key in self.names_before:
            self.summary.same_name += 1
        self.name_owners[key].append(person_id)
        if record.org:
            self.org_of[person_id] = record.org.casefold()
        if record.url:
            self.url_owner.setdefault(url_key(record.url), person_id)
        if record.uid:
            self.uid_owner.setdefault(record.uid, person_id)
        self._add_emails(person_id, record.emails, 0)
        self._add_phones(person_id, record.phones, [])
        self._add_tags(person_id, record.tags, set())
        if record.notes or record.asks or record.offers:
            self.flush()  # they refer to the person
        for note in record.notes:
            self._add_note(person_id, note.text, note.on)
        for ask in record.asks:
            self._add_ask(person_id, ask)
        for offer in record.offers:
            self._add_offer(person_id, offer)
        self.added_ids.add(person_id)
        self.reindex.add(person_id)
        self.summary.added += 1
        self.summary.added_people.append(PersonChange(record.where, person_id, record.name))
        return person_id

    def update(self, person_id: int, record: ImportRecord) -> None:
        self.flush()  # it reads the person and their emails, phones and tags
        db = self.db
        columns = ("name", *FILLABLE, "source", "source_connected_on", *PROFILE_FILLABLE)
        current = dict(
            zip(
                columns,
                db.execute(
                    f"SELECT {', '.join(columns)} FROM person WHERE id = ?", (person_id,)
                ).fetchone(),
                strict=True,
            )
        )
        changes: dict[str, Any] = {}
        for column in FILLABLE:
            value = getattr(record, column)
            if value and not current[column]:
                if column == "url" and self.url_owner.get(url_key(value), person_id) != person_id:
                    continue  # another person's page: `givenet dupes` will show them
                changes[column] = value
        source = f"vcard:{record.uid}" if record.uid else record.source
        if source and not current["source"]:
            changes["source"] = source
            if record.uid:
                self.uid_owner.setdefault(record.uid, person_id)
        if record.connected_on and not current["source_connected_on"]:
            changes["source_connected_on"] = record.connected_on.isoformat()
        for column in PROFILE_FILLABLE:
            value = record.profile.get(column)
            if value is not None and current[column] is None:
                changes[column] = value
        what = [column.replace("_", " ") for column in changes]
        if changes:
            assignments = ", ".join(f"{column} = ?" for column in changes)
            db.execute(
                f"UPDATE person SET {assignments} WHERE id = ?", (*changes.values(), person_id)
            )
            self.written.add("person")
            if "url" in changes:
                self.url_owner.setdefault(url_key(changes["url"]), person_id)
            if "org" in changes:
                self.org_of[person_id] = changes["org"].casefold()
        (position,) = db.execute(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM email WHERE person_id = ?", (person_id,)
        ).fetchone()
        added = self._add_emails(person_id, record.emails, position)
        if added:
            what.append(f"{added} email{'s' * (added > 1)}")
        known_phones = [row[0] for row in db.execute(
            "SELECT number FROM phone WHERE person_id = ? ORDER BY position", (person_id,)
        )]  # fmt: skip
        added = self._add_phones(person_id, record.phones, known_phones)
        if added:
            what.append(f"{added} phone{'s' * (added > 1)}")
        known_tags = {row[0] for row in db.execute(
            "SELECT tag_id FROM person_tag WHERE person_id = ?", (person_id,)
        )}  # fmt: skip
        added_tags = self._add_tags(person_id, record.tags, known_tags)
        if added_tags:
            what.append(f"{added_tags} tag{'s' * (added_tags > 1)}")
        added_notes = 0
        for note in record.notes:
            exists = db.execute(
                "SELECT 1 FROM note WHERE person_id = ? AND text = ? LIMIT 1",
                (person_id, note.text),
            ).fetchone()
            if not exists:
                self._add_note(person_id, note.text, note.on)
                added_notes += 1
        if added_notes:
            what.append(f"{added_notes} note{'s' * (added_notes > 1)}")
        what += self._merge_asks_and_offers(person_id, record.asks, record.offers)
        if {"org", "role"} & changes.keys() or added_tags or added_notes:
            self.reindex.add(person_id)
        if {"org", "role"} & changes.keys() or added_tags:
            self.profile_changed.add(person_id)
        if person_id in self.added_ids:
            return  # two rows of one file for one new person: counted once, as added
        if what:
            self.summary.updated += 1
            self.summary.updated_people.append(
                PersonChange(record.where, person_id, current["name"], tuple(what))
            )
        else:
            self.summary.unchanged += 1

    def _add_emails(self, person_id: int, addresses: Sequence[str], position: int) -> int:
        added = 0
        for address in addresses:
            key = address.casefold()
            if key in self.email_owner:
                continue  # theirs already, or another person's
            self._insert("email", (person_id, address, key, position))
            self.email_owner[key] = person_id
            self.written.add("email")
            position += 1
            added += 1
        return added

    def _add_phones(self, person_id: int, numbers: Sequence[str], known: list[str]) -> int:
        known_set = set(known)
        added = 0
        for number in numbers:
            if number in known_set:
                continue
            self._insert("phone", (person_id, number, len(known) + added))
            known_set.add(number)
            self.written.add("phone")
            added += 1
        return added

    def tag_id(self, name: str) -> int:
        key = name.casefold()
        tag_id = self.tag_ids.get(key)
        if tag_id is None:
            cursor = self.db.execute(
                "INSERT INTO tag (name, key) VALUES (?, ?) RETURNING id", (name, key)
            )
            tag_id = self.tag_ids[key] = cursor.fetchone()[0]
            self.written.add("tag")
        return tag_id

    def _add_tags(self, person_id: int, names: Sequence[str], known: set[int]) -> int:
        added = 0
        for name in names:
            tag_id = self.tag_id(name)
            if tag_id in known:
                continue
            self._insert("person_tag", (person_id, tag_id))
            known.add(tag_id)
            self.written.add("person_tag")
            added += 1
        return added

    def _add_note(self, person_id: int, text: str, on: date | None) -> None:
        self.db.execute(
            "INSERT INTO note (person_id, date, text, created_at, recorded_by) "
            "VALUES (?, ?, ?, ?, ?)",
            (person_id, on.isoformat() if on else self.today, text, self.stamp, self.member),
        )
        self.written.add("note")

    def _add_ask(self, person_id: int, ask: RecordAsk) -> None:
        cursor = self.db.execute(
            "INSERT INTO ask (person_id, text, due, urgent, status, created_on, resolved_on, via, "
            "created_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                person_id, ask.text, ask.due, bool(ask.urgent), ask.status,
                ask.created_on or self.today, ask.resolved_on, ask.via, self.stamp, self.member,
            ),
        )  # fmt: skip
        ask_id: int = cursor.fetchone()[0]
        for tag_name in dict.fromkeys(ask.tags):
            self.db.execute(
                "INSERT OR IGNORE INTO ask_tag (ask_id, tag_id) VALUES (?, ?)",
                (ask_id, self.tag_id(tag_name)),
            )
        self.new_asks.append(ask_id)
        self.written.update(("ask", "ask_tag") if ask.tags else ("ask",))

    def _add_offer(self, person_id: int, offer: RecordOffer) -> None:
        cursor = self.db.execute(
            "INSERT INTO offer (person_id, text, status, created_on, created_at, recorded_by) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (
                person_id,
                offer.text,
                offer.status,
                offer.created_on or self.today,
                self.stamp,
                self.member,
            ),
        )
        offer_id: int = cursor.fetchone()[0]
        for tag_name in dict.fromkeys(offer.tags):
            self.db.execute(
                "INSERT OR IGNORE INTO offer_tag (offer_id, tag_id) VALUES (?, ?)",
                (offer_id, self.tag_id(tag_name)),
            )
        self.new_offers.append(offer_id)
        self.written.update(("offer", "offer_tag") if offer.tags else ("offer",))

    def _merge_asks_and_offers(
        self, person_id: int, asks: Sequence[RecordAsk], offers: Sequence[RecordOffer]
    ) -> list[str]:
        """Add the asks and offers a person does not have yet (same text, any case)."""
        what = []
        if asks:
            known = {row[0].casefold() for row in self.db.execute(
                "SELECT text FROM ask WHERE person_id = ?", (person_id,)
            )}  # fmt: skip
            fresh = [ask for ask in asks if ask.text.casefold() not in known]
            for ask in fresh:
                self._add_ask(person_id, ask)
                known.add(ask.text.casefold())
            if fresh:
                what.append(f"{len(fresh)} ask{'s' * (len(fresh) > 1)}")
        if offers:
            known = {row[0].casefold() for row in self.db.execute(
                "SELECT text FROM offer WHERE person_id = ?", (person_id,)
            )}  # fmt: skip
            fresh_offers = [offer for offer in offers if offer.text.casefold() not in known]
            for offer in fresh_offers:
                self._add_offer(person_id, offer)
                known.add(offer.text.casefold())
            if fresh_offers:
                what.append(f"{len(fresh_offers)} offer{'s' * (len(fresh_offers) > 1)}")
        return what

    # --- the search indexes ---------------------------------------------------------

    def update_indexes(self) -> None:
        self.flush()
        search.index_people(self.db, sorted(self.reindex))
        if self.reindex:
            self.written.add("person_fts")
        if not (self.new_asks or self.new_offers or self.profile_changed):
            return
        self.written.update(("ask_fts", "offer_fts", "match_candidate"))
        # An existing person's offers are matched on their role, org and tags too.
        search.many_written(
            self.db,
            asks=list(self.new_asks),
            offers=list(self.new_offers),
            offers_of=sorted(self.profile_changed),
        )


def import_records(
    db: sqlite3.Connection,
    parsed: Iterable[Parsed],
    *,
    shown: str,
    today: date,
    skip_invalid: bool = False,
    update_indexes: bool = True,
    tick: Callable[[], None] | None = None,
    list_problems: bool = False,
    member: str | None = None,
) -> ImportSummary:
    """Apply parsed records; the first problem aborts unless ``skip_invalid``.

    On abort the rest of the file is still read, to say how many more rows have
    problems (``list_problems``, for a dry run: to list each of them, up to
    ``LISTED_PROBLEMS``), and :class:`InvalidInput` rolls the command's
    transaction back.
    """
    importer = apply_records(
        db,
        parsed,
        shown=shown,
        today=today,
        skip_invalid=skip_invalid,
        tick=tick,
        list_problems=list_problems,
        member=member,
    )
    if update_indexes:
        importer.update_indexes()
    search.refresh_statistics(db, importer.written)
    return importer.summary.summary(shown)


def apply_records(
    db: sqlite3.Connection,
    parsed: Iterable[Parsed],
    *,
    shown: str,
    today: date,
    skip_invalid: bool = False,
    tick: Callable[[], None] | None = None,
    list_problems: bool = False,
    member: str | None = None,
) -> Importer:
    """``import_records`` up to the indexes: the importer, to go on from (a merge)."""
    importer = Importer(db, today, member)
    problems: list[RowProblem] = []
    problem_count = 0
    for count, item in enumerate(_read_ahead(parsed, importer), start=1):
        if tick is not None and count % PROGRESS_EVERY == 0:
            tick()
        if isinstance(item, EmptyRow):
            importer.summary.empty_rows.append(item.where)
            continue
        if isinstance(item, RowProblem):
            if skip_invalid:
                importer.summary.skipped.append(item)
            else:
                problem_count += 1
                if len(problems) < (LISTED_PROBLEMS if list_problems else 1):
                    problems.append(item)
            continue
        if not problem_count:
            importer.apply(item)
            importer.summary.left_out.extend(
                RowProblem(item.where, reason) for reason in item.left_out
            )
    importer.flush()
    if tick is not None:
        tick()
    if problems:
        raise InvalidInput(_refusal(shown, problems, problem_count, listed=list_problems))
    return importer


def _read_ahead(parsed: Iterable[Parsed], importer: Importer) -> Iterator[Parsed]:
    """The parsed items, ``READ_AHEAD`` at a time, each batch's keys looked up at once."""
    batch: list[Parsed] = []
    for item in parsed:
        batch.append(item)
        if len(batch) == READ_AHEAD:
            importer.look_up([found for found in batch if isinstance(found, ImportRecord)])
            yield from batch
            batch = []
    importer.look_up([found for found in batch if isinstance(found, ImportRecord)])
    yield from batch


def _refusal(shown: str, problems: list[RowProblem], count: int, *, listed: bool) -> str:
    """Why an import writes nothing: the first problem, or (a dry run) each of them."""
    fix = "fix the file, or use --skip-invalid to import the rest"
    if not listed:
        first, more = problems[0], count - 1
        also = f"; {more} more row{'s' * (more > 1)} with problems" if more else ""
        return f"{shown} {first.where}: {first.reason}. Nothing was imported{also}; {fix}"
    lines = [
        f"{shown}: {count} row{'s' * (count > 1)} with problems, so nothing would be imported; "
        f"{fix}:"
    ]
    lines += [f"  {problem.where}: {problem.reason}" for problem in problems]
    if count > len(problems):
        lines.append(f"  … and {count - len(problems)} more")
    return "\n".join(lines)


# --- restoring a givenet export ------------------------------------------------------


def what_is_there(db: sqlite3.Connection) -> dict[str, int]:
    """Rows already in the tables an export restores (settings and members aside: a
    new file lists the member who made it), by table."""
    counts = {}
    for table in exported_tables(db):
        if table.name in ("setting", "member"):
            continue
        (count,) = db.execute(f'SELECT COUNT(*) FROM "{table.name}"').fetchone()
        if count:
            counts[table.name] = count
    return counts


def refuse_unless_empty(db: sqlite3.Connection) -> None:
    """A restore goes into an empty database only (settings aside): say what is there."""
    there = what_is_there(db)
    if not there:
        return
    held = ", ".join(f"{count} {table.replace('_', ' ')} rows" for table, count in there.items())
    if "person" in there:
        held = f"{there['person']} {'person' if there['person'] == 1 else 'people'}"
    raise InvalidInput(
        f"the database is not empty (it holds {held}); `import json` restores into an "
        "empty database: choose a new one with --db, or add the file's people with --merge"
    )


# The key columns an export may leave out: the case-folded form of another column.
_KEY_SOURCES = {"person": "name", "event": "name", "tag": "name", "email": "address"}
_PLAIN_TYPES = (str, int, float, type(None))


# Columns the ranking reads as dates, per table; a restored value must be one.
_DATE_COLUMNS = {
    "person": ("snoozed_until", "source_connected_on"),
    "meeting": ("date",),
    "note": ("date",),
    "promise": ("due", "kept_on"),
    "ask": ("due", "created_on", "resolved_on"),
    "offer": ("created_on",),
    "event": ("date",),
    "intro": ("date", "status_on"),
    "give": ("date",),
}
_CHOICES = {
    ("person", "circle"): CIRCLES,
    ("meeting", "kind"): MEETING_KINDS,
    ("ask", "status"): ASK_STATUSES,
    ("offer", "status"): OFFER_STATUSES,
    ("intro", "status"): INTRO_STATUSES,
    ("give", "direction"): GIVE_DIRECTIONS,
    ("event_attendee", "status"): ATTENDANCE,
}


class Refused(Exception):
    """A row of an export givenet cannot store: why, in words (the caller says where)."""


def _check_restored(table: StoredTable, values: dict[str, Any]) -> None:
    """A restored row must be one givenet could have written: the rules trust it."""
    for column, value in values.items():
        for rule in _rules(table.name, column, column in table.integers):
            if not rule.good(value):
                raise Refused(rule.problem.format(column=column, value=value))


@dataclass(frozen=True)
class _Rule:
    """What a restored value of a column must be, and the words when it is not."""

    good: Callable[[Any], bool]
    problem: str  # with {column} and {value!r}


@functools.cache
def _rules(table: str, column: str, integer: bool) -> tuple[_Rule, ...]:
    """The checks of a column's restored values (one row, or a batch's distinct values)."""
    rules = []
    if column in _DATE_COLUMNS.get(table, ()):
        rules.append(_Rule(_none_or(_known_date), "{column} {value!r} is not a date (YYYY-MM-DD)"))
    allowed = _CHOICES.get((table, column))
    if allowed is not None:
        choices = ", ".join(allowed)
        rules.append(_Rule(allowed.__contains__, "{column} {value!r} is not one of " + choices))
    if table == "person" and column == "birthday":
        rules.append(_Rule(_none_or(_is_birthday), "{column} {value!r} is not a day"))
    if integer:
        rules.append(_WHOLE)
    return tuple(rules)


def _none_or(good: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: value is None or good(value)


def _is_whole(value: Any) -> bool:
    """An integer, or a float that is one (SQLite stores 30.0 as 30); not a boolean: a
    row with one is checked row by row, where it becomes 0 or 1 (``stored_values``)."""
    if type(value) is float:
        return value.is_integer() and abs(value) < 2**63
    return type(value) is int


# Not 1.5 nor 1e20: SQLite keeps a number that is not a whole one as it is.
_WHOLE = _Rule(_none_or(_is_whole), "{column} {value!r} is not a whole number")
# What a batch's number column holds when every value passes _WHOLE without a look.
_PLAIN_WHOLE = frozenset({int, type(None)})


def _is_birthday(value: Any) -> bool:
    try:
        birthday_month_day(str(value))
    except InvalidInput:
        return False
    return True


@functools.lru_cache(maxsize=65536)  # a restore's meetings share a few thousand days
def _known_date(value: Any) -> bool:
    return is_iso_date(value)


def refuse_unknown_tables(db: sqlite3.Connection, document: ExportDocument) -> None:
    known = {table.name for table in exported_tables(db)}
    unknown = sorted(set(document.tables) - known - DERIVED_TABLES)
    if unknown:
        raise _unknown_tables(document.shown, unknown)


def _unknown_tables(shown: str, unknown: Sequence[str]) -> InvalidInput:
    return InvalidInput(
        f"{shown}: unknown table{'s' * (len(unknown) > 1)} {', '.join(unknown)}; "
        "was it written by another version of givenet?"
    )


def stored_values(table: StoredTable, row: dict[str, Any]) -> dict[str, Any]:
    """A row of an export as the engine stores it (its key column filled in when left
    out, booleans the engine's own), checked; raises :class:`Refused`."""
    extra = sorted(set(row) - set(table.columns))
    if extra:
        raise Refused(f"unknown column {extra[0]!r}")
    values = dict(row)
    source = _KEY_SOURCES.get(table.name)
    if source and "key" not in values and isinstance(values.get(source), str):
        values["key"] = values[source].casefold()
    for column, value in values.items():
        if column in table.booleans and isinstance(value, int):
            values[column] = bool(value)  # true or 1: the engine's own boolean
        elif isinstance(value, bool):
            values[column] = int(value)
        elif not isinstance(value, _PLAIN_TYPES):
            raise Refused(f"{column} holds a {type(value).__name__}")
    _check_restored(table, values)
    return values


def insert_row(db: sqlite3.Connection, table: str, values: dict[str, Any], tail: str = "") -> Any:
    """``INSERT`` one row of ``values``; ``tail`` ends the statement (``RETURNING id``)."""
    names = ", ".join(f'"{column}"' for column in values)
    return db.execute(
        f'INSERT INTO "{table}" ({names}) VALUES ({placeholders(len(values))}){tail}',
        tuple(values.values()),
    )


# What a restore writes after the rows of these tables: the value of a setting the new
# database holds already, a member it lists already (a new file lists the one who made it).
_RESTORE_TAILS = {
    "setting": ' ON CONFLICT ("key") DO UPDATE SET value = excluded.value',
    "member": " ON CONFLICT (name) DO NOTHING",
}
# The savepoint a restore reads a file under, and the one each batch of rows is under.
_WHOLE_RESTORE = "restore_file"
_BATCH = "restore_rows"


def restore(
    db: sqlite3.Connection,
    source: ExportStream | ExportDocument,
    read_whole: Callable[[], ExportDocument],
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Put every row of an export back with its ids (into a database that holds none).

    The file is read as it is written (``source``, an ``ExportStream``), a batch of rows
    per ``executemany``; a file laid out so that it cannot be (its tables not parents
    first) is read again whole (``read_whole``). Its match candidates are kept when
    ``match_stamp`` and the digest of its tables say they are what a rebuild would give
    here; otherwise, and in a file without them, every ask is matched again.
    """
    db.execute(f"SAVEPOINT {_WHOLE_RESTORE}")
    try:
        restored, matched = _restore_rows(db, source)
    except NotStreamable:
        db.execute(f"ROLLBACK TO {_WHOLE_RESTORE}")
        restored, matched = _restore_rows(db, read_whole())
    db.execute(f"RELEASE {_WHOLE_RESTORE}")
    search.rebuild_all(db, progress, match=not matched)
    return restored


class BrokenReferences(Exception):
    """A restored row refers to one the file does not hold, found after the rows were
    written without SQLite's checks (``PRAGMA foreign_keys`` off): the caller restores
    again with them, so that the insert that fails names the row."""


def _check_references(db: sqlite3.Connection, table: str) -> None:
    """On a connection that wrote without checking references, check a table's at once,
    just after its rows (one pass over the table, its pages still in the cache)."""
    if on_postgres(db) or db.execute("PRAGMA foreign_keys").fetchone()[0]:
        return
    if db.execute(f'PRAGMA foreign_key_check("{table}")').fetchone() is not None:
        raise BrokenReferences()


def _restore_rows(
    db: sqlite3.Connection, source: ExportStream | ExportDocument
) -> tuple[dict[str, int], bool]:
    """Every table's rows (counted), then the match candidates if they can be kept."""
    tables = [table.name for table in exported_tables(db)]
    if isinstance(source, ExportDocument):
        refuse_unknown_tables(db, source)
        sections: Iterable[tuple[str, Iterable[list[dict[str, Any]]]]] = [
            (name, [source.tables[name]]) for name in tables if name in source.tables
        ]
    else:
        sections = source.tables()
    with trigger_off(db, *PERSON_TOUCH_ON_INSERT):  # rebuild_all recomputes person_touch
        restored = _restore_tables(db, source, sections)
    return restored, _restore_candidates(db, source)


def _restore_tables(
    db: sqlite3.Connection,
    source: ExportStream | ExportDocument,
    sections: Iterable[tuple[str, Iterable[list[dict[str, Any]]]]],
) -> dict[str, int]:
    tables = {table.name: table for table in exported_tables(db)}
    restored = dict.fromkeys(tables, 0)
    seen: set[str] = set()
    for name, batches in sections:
        table = tables.get(name)
        if table is None:
            if name in DERIVED_TABLES:
                continue
            raise _unknown_tables(source.shown, [name])
        if isinstance(source, ExportStream):
            if name in seen or not table.parents <= seen:  # a table twice, or before its parents
                raise NotStreamable()
            seen.add(name)
        with indexes_off(db, name):
            restored[name] = insert_rows(
                db, table, batches, f"{source.shown}: table {name}", _RESTORE_TAILS.get(name, "")
            )
            _check_references(db, name)
        if "id" in table.columns:
            follow_ids(db, name)
    return restored


def _restore_candidates(db: sqlite3.Connection, source: ExportStream | ExportDocument) -> bool:
    """The file's match candidates, when its stamp is this database's and both digests
    agree (its tables and the candidates are as written); whether they were kept. The
    rest of the file is read. Candidates the database refuses (a row no givenet wrote)
    are rolled back, not an error: the caller matches every ask again."""
    if isinstance(source, ExportDocument):
        return False  # read whole: its tables' text was not hashed
    derived = source.derived()
    trusted = (
        derived is not None
        and derived.tables_digest == derived.read_digest
        and derived.computed_by == search.match_stamp(db)
    )
    kept = False
    if trusted:
        db.execute(f"SAVEPOINT {_DERIVED}")
    try:
        for name, batches in source.derived_tables():
            if trusted and name == "match_candidate" and not kept:
                kept = True
                table = describe(db, name)
                try:
                    with indexes_off(db, name):
                        insert_rows(db, table, _unread(batches), f"{source.shown}: {name}")
                        _check_references(db, name)
                except (InvalidInput, BrokenReferences):  # refused: computed again
                    db.execute(f"ROLLBACK TO {_DERIVED}")
                    db.execute(f"RELEASE {_DERIVED}")
                    trusted = False
    except _Unreadable as problem:
        raise problem.error from None
    if not trusted:
        return False
    if not source.derived_rows_agree:  # the candidates were edited: computed again
        db.execute(f"ROLLBACK TO {_DERIVED}")
        kept = False
    db.execute(f"RELEASE {_DERIVED}")
    return kept


# The savepoint the match candidates of a restore are written under.
_DERIVED = "restore_derived"


class _Unreadable(Exception):
    """The file itself is wrong (not a row the database refused): ``error`` says how."""

    def __init__(self, error: InvalidInput) -> None:
        self.error = error


def _unread(batches: Iterable[list[dict[str, Any]]]) -> Iterator[list[dict[str, Any]]]:
    try:
        yield from batches
    except InvalidInput as error:
        raise _Unreadable(error) from None


def insert_rows(
    db: sqlite3.Connection,
    table: StoredTable,
    batches: Iterable[list[dict[str, Any]]],
    where: str,
    tail: str = "",
) -> int:
    """Insert a table's rows of an export, a batch per ``executemany``; return how many.

    A batch whose values cannot all be stored as they are (a check in ``_Shape`` fails,
    or the engine refuses one) is written again row by row (``stored_values``), so that
    the message names the row that is wrong: ``WHERE, row N: why``."""
    refused: tuple[type[Exception], ...] = (*database_errors(db), OverflowError)
    shapes: dict[tuple[str, ...], _Shape | None] = {}
    count = 0
    for batch in batches:
        runs = [(tuple(batch[0]), batch)] if batch else []
        while runs:
            keys, run = runs.pop(0)
            if keys not in shapes:
                shapes[keys] = _Shape.of(table, keys, tail)
            shape = shapes[keys]
            values = shape.values(run) if shape is not None else None
            if isinstance(values, _Mixed):  # rows of other keys (a hand-made file)
                runs = [(found, list(same)) for found, same in groupby(run, key=tuple)] + runs
                continue
            if shape is not None and values is not None:
                db.execute(f"SAVEPOINT {_BATCH}")
                try:
                    db.executemany(shape.sql, values)
                except refused:
                    db.execute(f"ROLLBACK TO {_BATCH}")
                    values = None
                db.execute(f"RELEASE {_BATCH}")
            if values is None:
                _insert_each(db, table, run, where, tail, count + 1, refused)
            count += len(run)
    return count


def _insert_each(
    db: sqlite3.Connection,
    table: StoredTable,
    run: list[dict[str, Any]],
    where: str,
    tail: str,
    first_number: int,
    refused: tuple[type[Exception], ...],
) -> None:
    for number, row in enumerate(run, start=first_number):
        try:
            values = stored_values(table, row)
        except Refused as problem:
            raise InvalidInput(f"{where}, row {number}: {problem}") from None
        try:
            insert_row(db, table.name, values, tail)
        except refused as error:
            raise InvalidInput(f"{where}, row {number}: {first_line(error)}") from None


class _Mixed:
    """Rows of a batch that do not all have the same keys."""


_MIXED = _Mixed()


@dataclass(frozen=True)
class _Shape:
    """How rows with these keys are inserted as they are: the statement, the positions of
    boolean columns (the engine's own booleans), and the checks of ``_check_restored`` on
    the values of a column (each distinct value once)."""

    keys: tuple[str, ...]
    sql: str
    booleans: tuple[int, ...]
    checks: tuple[tuple[int, Callable[[Any], bool]], ...]  # (position, rule)
    numbers: tuple[int, ...]  # the positions of number columns (the rule ``_WHOLE``)

    @staticmethod
    def of(table: StoredTable, keys: tuple[str, ...], tail: str) -> _Shape | None:
        """None when such rows must go one by one (an unknown column, a key left out)."""
        if not set(keys) <= set(table.columns):
            return None
        source = _KEY_SOURCES.get(table.name)
        if source and "key" not in keys and source in keys:
            return None
        checks = tuple(
            (position, rule.good)
            for position, column in enumerate(keys)
            for rule in _rules(table.name, column, False)
        )
        names = ", ".join(f'"{column}"' for column in keys)
        return _Shape(
            keys=keys,
            sql=f'INSERT INTO "{table.name}" ({names}) VALUES ({placeholders(len(keys))}){tail}',
            booleans=tuple(
                position for position, column in enumerate(keys) if column in table.booleans
            ),
            checks=checks,
            numbers=tuple(
                position for position, column in enumerate(keys) if column in table.integers
            ),
        )

    def values(self, run: list[dict[str, Any]]) -> list[tuple[Any, ...]] | _Mixed | None:
        """The rows' values to insert, in the order of the keys; None if one fails a
        check, ``_MIXED`` if some rows have other keys."""
        if set(map(len, run)) != {len(self.keys)}:
            return _MIXED
        pick = itemgetter(*self.keys)
        try:
            if len(self.keys) == 1:
                values = [(pick(row),) for row in run]
            else:
                values = [pick(row) for row in run]
        except KeyError:
            return _MIXED
        columns = list(zip(*values, strict=True))
        try:
            for position, good in self.checks:
                if not all(map(good, set(columns[position]))):
                    return None
            for position in self.numbers:  # ids mostly: each value distinct, so by type
                if not set(map(type, columns[position])) <= _PLAIN_WHOLE and not all(
                    map(_WHOLE.good, set(columns[position]))
                ):
                    return None
        except TypeError:  # an unhashable value (a list): refused row by row
            return None
        if self.booleans:
            for position in self.booleans:
                columns[position] = tuple(
                    bool(value) if type(value) is int else value for value in columns[position]
                )
            values = list(zip(*columns, strict=True))
        return values


def is_iso_date(value: Any) -> bool:
    """Whether a restored value is a date as givenet writes one: the text YYYY-MM-DD (not
    a number, nor another ISO form such as 2026W011 or 20261231, which SQL would compare
    as text out of order)."""
    if type(value) is not str or len(value) != 10:
        return False
    try:
        return date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False

"""The full-text indexes and the candidate matches, kept up to date on every write.

``offer_fts``, ``ask_fts`` and ``person_fts`` (FTS5 with Porter stemming) hold
one row per offer, ask and person, under the same rowid. ``match_candidate``
holds, for each open ask, the best offers that could meet it, scored by
``givenet.matching`` when the ask or the offer (or the helper's profile) was
written, so that `match`, `due` and `who` read them without searching.

All of it is plain SQL on a ``sqlite3.Connection`` (see ``store/sql.py``): a
function that writes through the models calls it with ``driver(session)``, the
connection of the same transaction.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

from givenet.matching import (
    CANDIDATES_PER_ASK,
    COLUMN_BITS,
    TERM_BITS,
    AskScorer,
    Holders,
    Packed,
    PackedWorth,
    PairEvidence,
    Scored,
    Sums,
    cut_ids,
    distinct_terms,
    fold_tag,
    folded_tags,
    found_bits,
    found_words,
    fts_query,
    packed_weights,
    score_pair,
    search_terms,
    term_weights,
)
from givenet.meaning import (
    NEEDS,
    Concepts,
    available_from,
    capacity_offered,
    concepts,
    from_keys,
    meaning_query,
    needed_by,
    people_needed,
)
from givenet.store import forked
from givenet.store.dialect import indexes_off, on_postgres, search, stems, tokens
from givenet.store.sql import execute, placeholders, rows, tags_by_owner
from givenet.store.vectors import Closeness, closeness_on, store_vectors
from givenet.vocab import chunks

# How many offers one ask's search looks at before scoring.
SEARCH_DEPTH = 200
# How many asks (the most relevant first) one offer's search scores, pair by pair.
REVERSE_DEPTH = 300
# How many offers (the newest first) that say an ask's need in other words one
# ask's search adds to those that share its words.
NEED_DEPTH = 50
# From this many asks in one pass, their first cuts are added up with numpy: importing
# it (~0.1 s) costs more than it saves for a few asks written.
BULK_CUTS = 200
# ... when the offers' largest id is below this: ``matching.Sums`` keeps an entry per
# id (9 bytes each: a float and a flag).
BULK_LARGEST_ID = 4_000_000
# Matching one offer against the asks (``match_offers``) costs about as much as matching
# this many asks against the offers (``match_asks``): at 20,000 people, 25 ms an offer
# (200 at once) and 1.9 ms an ask (every open ask), in one process.
OFFER_MATCH_COST = 12
# How many search terms' first-cut weights a pass keeps (the most recently used).
WEIGHTS_KEPT = 64


# PERSON_TOUCH_RECOMPUTED's rows for everyone at once: the links read in their own
# order (by meeting, so each meeting's page is read once) and grouped by a sort, not
# walked person by person through their index with each meeting looked up somewhere
# else in the file: at 100,000 people 0.71 s against 1.41 s, 25,000 page reads against
# 481,000. (PostgreSQL plans it as it sees fit: the + and CROSS are SQLite's hints.)
PERSON_TOUCH_OF_EVERYONE = (
    "SELECT meeting_person.person_id, MIN(meeting.date), MAX(meeting.date) "
    "FROM meeting_person CROSS JOIN meeting ON meeting.id = meeting_person.meeting_id "
    "GROUP BY +meeting_person.person_id"
)

# The meeting notes of some people. The join order is fixed (CROSS JOIN): with the
# statistics of a small network SQLite would otherwise scan every meeting once
# per batch of people (issue 16: 43 s for an import into 5,000 people).
MEETING_NOTES = (
    "SELECT meeting_person.person_id, meeting.note FROM meeting_person "
    "CROSS JOIN meeting ON meeting.id = meeting_person.meeting_id "
    "WHERE meeting_person.person_id IN ({marks}) AND meeting.note IS NOT NULL ORDER BY meeting.id"
)


def _helper_text(role: str | None, org: str | None, tags: Iterable[str]) -> str:
    return " ".join(part for part in (role or "", org or "", ", ".join(tags)) if part)


# --- keeping the indexes current ---------------------------------------------


def index_person(db: sqlite3.Connection, person_id: int) -> None:
    """Re-index one person: name, tags, role, org, and their notes and meeting notes."""
    index_people(db, [person_id])


def index_people(db: sqlite3.Connection, person_ids: Sequence[int]) -> None:
    """Re-index many people in a few queries (imports touch thousands at once)."""
    _all_steps(indexing_people(db, person_ids))


def _all_steps(steps: Iterable[None]) -> None:
    """Do work that comes in steps, every step at once."""
    for _ in steps:
        pass


def indexing_people(
    db: sqlite3.Connection, person_ids: Sequence[int], *, fresh: bool = False
) -> Iterator[None]:
    """``index_people``, a batch at a time: it yields after each (a caller can do
    other work between them). ``fresh``: the index holds none of them (``rebuild_all``
    emptied it), so there is nothing to delete first; and on SQLite their notes come
    from one sorted pass over every note (``_NotesInOrder``: meant for everyone)."""
    ids = list(person_ids)
    in_order = _NotesInOrder(db) if fresh and not on_postgres(db) else None
    if in_order is not None:
        ids.sort()
    for chunk in chunks(ids):
        marks = placeholders(len(chunk))
        if not fresh:
            execute(db, f"DELETE FROM person_fts WHERE rowid IN ({marks})", chunk)
        tags = tags_by_owner(db, "person_tag", "person_id", chunk)
        notes: dict[int, list[str]] = {}
        if in_order is not None:
            notes = in_order.through(chunk[-1])
        else:
            for person_id, text in rows(
                db,
                f"SELECT person_id, text FROM note WHERE person_id IN ({marks}) "
                "ORDER BY person_id, id",
                chunk,
            ) + rows(db, MEETING_NOTES.format(marks=marks), chunk):
                notes.setdefault(person_id, []).append(text)
        found = rows(db, f"SELECT id, name, role, org FROM person WHERE id IN ({marks})", chunk)
        if found:
            db.executemany(
                "INSERT INTO person_fts (rowid, name, tags, role, org, notes) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        pid,
                        name,
                        ", ".join(tags.get(pid, [])),
                        role or "",
                        org or "",
                        "\n".join(notes.get(pid, [])),
                    )
                    for pid, name, role, org in found
                ],
            )
        yield


class _NotesInOrder:
    """Everyone's notes, then their meeting notes (as ``indexing_people`` gives them),
    read in person order by two queries, a batch of people at a time (``through``).

    For a whole network on SQLite: one sort of every meeting note by person instead of
    each batch's people looking up their meetings one by one, each somewhere else in
    the file (at 100,000 people 0.65 s against 2.1 s, and 42,000 page reads against
    728,000)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._streams = [
            db.execute("SELECT person_id, text FROM note ORDER BY person_id, id"),
            db.execute(
                "SELECT meeting_person.person_id, meeting.note FROM meeting_person "
                "CROSS JOIN meeting ON meeting.id = meeting_person.meeting_id "
                "WHERE meeting.note IS NOT NULL ORDER BY +meeting_person.person_id, meeting.id"
            ),
        ]
        self._ahead: list[tuple[int, str] | None] = [next(s, None) for s in self._streams]

    def through(self, last_id: int) -> dict[int, list[str]]:
        """The notes of the people up to ``last_id`` not yet given, by person."""
        notes: dict[int, list[str]] = {}
        for at, stream in enumerate(self._streams):
            row = self._ahead[at]
            while row is not None and row[0] <= last_id:
                notes.setdefault(row[0], []).append(row[1])
                row = next(stream, None)
            self._ahead[at] = row
        return notes


def index_ask(db: sqlite3.Connection, ask_id: int) -> None:
    execute(db, "DELETE FROM ask_fts WHERE rowid = ?", [ask_id])
    found = rows(db, "SELECT text FROM ask WHERE id = ?", [ask_id])
    if not found:
        return
    tags = tags_by_owner(db, "ask_tag", "ask_id", [ask_id]).get(ask_id, [])
    execute(
        db,
        "INSERT INTO ask_fts (rowid, text, tags) VALUES (?, ?, ?)",
        [ask_id, found[0][0], ", ".join(tags)],
    )
    store_vectors(db, "ask", [ask_id])


def index_offer(db: sqlite3.Connection, offer_id: int) -> None:
    execute(db, "DELETE FROM offer_fts WHERE rowid = ?", [offer_id])
    found = rows(
        db,
        "SELECT offer.text, person.id, person.role, person.org FROM offer "
        "JOIN person ON person.id = offer.person_id WHERE offer.id = ?",
        [offer_id],
    )
    if not found:
        return
    text, person_id, role, org = found[0]
    tags = tags_by_owner(db, "offer_tag", "offer_id", [offer_id]).get(offer_id, [])
    helper_tags = tags_by_owner(db, "person_tag", "person_id", [person_id]).get(person_id, [])
    execute(
        db,
        "INSERT INTO offer_fts (rowid, text, tags, helper) VALUES (?, ?, ?, ?)",
        [offer_id, text, ", ".join(tags), _helper_text(role, org, helper_tags)],
    )
    store_vectors(db, "offer", [offer_id])


def forget_ask(db: sqlite3.Connection, ask_id: int) -> None:
    execute(db, "DELETE FROM ask_fts WHERE rowid = ?", [ask_id])
    execute(db, "DELETE FROM match_candidate WHERE ask_id = ?", [ask_id])


def forget_offer(db: sqlite3.Connection, offer_id: int) -> None:
    """Take an offer out of the index and the candidates (it is being deleted). An ask
    whose full list held it is matched again: the match trimmed from it before may
    take its place (the offer, out of the index, cannot come back)."""
    full = sorted({ask_id for ask_id, _ in _kept_of(db, [offer_id])})
    execute(db, "DELETE FROM offer_fts WHERE rowid = ?", [offer_id])
    execute(db, "DELETE FROM match_candidate WHERE offer_id = ?", [offer_id])
    if full:
        match_asks(db, full)


# --- scoring candidates --------------------------------------------------------


@dataclass(frozen=True, order=True, slots=True)
class _Ask:
    """An open ask as scoring reads it. Asks whose fields before ``id`` are equal share
    one search (``terms``, ``needs``) and one scoring (the rest)."""

    terms: tuple[str, ...]  # its words and tags worth searching for, each word once
    needs: str  # the FTS5 query of the phrases of its needs ("" for none)
    tags: tuple[str, ...]
    meaning: tuple[str, ...]  # its concept keys, sorted
    people: int  # how many it is for (0: not said)
    close_key: bytes  # its vector of meaning (``store.vectors``), b"" for none
    by: str  # the last day it can be met, ISO ("" for none)
    id: int
    person_id: int

    def scoring(self) -> tuple[Any, ...]:
        # Not ``by``: a date only takes offers away (``_for_ask``), and asks differ in it
        # far more often than in anything else.
        return (self.terms, self.needs, self.tags, self.meaning, self.people, self.close_key)


# ``_Ask``'s own order, as one tuple an ask: sorting 70,000 asks compares each pair once
# in C, where the dataclass's ``__lt__`` builds two tuples for every comparison.
_ASK_ORDER = attrgetter(*(f.name for f in fields(_Ask)))


class _Same(dict[Any, Any]):
    """One object for each distinct value a pass keeps (the same tags, words and
    meaning come back for thousands of asks and offers: 100,000 people's take ~100 MiB
    less)."""

    def __call__(self, value: Any) -> Any:
        return self.setdefault(value, value)


def _asks(db: sqlite3.Connection, ask_ids: Sequence[int], searcher: _Searcher) -> list[_Ask]:
    """The open ones of these asks, read a batch at a time, with what their text says."""
    found: list[_Ask] = []
    for chunk in chunks(list(ask_ids)):
        tags = tags_by_owner(db, "ask_tag", "ask_id", chunk)
        read = rows(
            db,
            "SELECT id, person_id, text, due, created_on FROM ask WHERE status = 'open' "
            f"AND id IN ({placeholders(len(chunk))})",
            chunk,
        )
        ids_of = {ask_id: ask_id for ask_id in chunk}  # the caller's int objects, no more
        close = searcher.closeness
        if close is not None:
            close.read_asks(chunk)
        words = {row[0]: search_terms(row[2], *tags.get(row[0], [])) for row in read}
        searcher.read_stems(word for said in words.values() for word in said)
        for ask_id, asker_id, text, due, created_on in read:
            ask_tags = tuple(tags.get(ask_id, []))
            meaning = concepts(text, *ask_tags)
            terms = distinct_terms(words[ask_id], searcher.stems)
            needs = meaning_query(meaning) or ""
            if not terms and not needs:
                continue
            by = needed_by(text, date.fromisoformat(created_on))
            if due is not None:
                day = date.fromisoformat(due)
                by = day if by is None else min(by, day)
            same = searcher.same
            found.append(
                _Ask(
                    terms=_same_strings(same, terms),  # words: one object of each
                    needs=same(needs),
                    tags=_same_strings(same, ask_tags),
                    meaning=same(tuple(sorted(meaning.keys()))),
                    people=people_needed(text) or 0,
                    close_key=b"" if close is None else same(close.key(ask_id)),
                    by=same(by.isoformat()) if by else "",
                    id=ids_of[ask_id],
                    person_id=asker_id,
                )
            )
    return found


def bulk_cuts(asks: int, largest_offer_id: int) -> bool:
    """Whether a pass over this many asks adds up its first cuts with numpy (the
    ``givenet[fast]`` extra; without it, the same cuts in Python)."""
    return asks >= BULK_CUTS and largest_offer_id < BULK_LARGEST_ID and _has_numpy()


@functools.cache
def _has_numpy() -> bool:
    import importlib.util

    return importlib.util.find_spec("numpy") is not None


class _Searcher:
    """The offers that hold each search term (by column) and those that say each need,
    read from the index once per term and per need and kept for a pass: asks that
    share words share what was read."""

    def __init__(self, db: sqlite3.Connection, *, asks: int = 1) -> None:
        self.db = db
        self.fts = search(db, "offer_fts")
        # About how many offers there are, for the words' rarity: the largest id is
        # one index lookup, where a count reads the table (every ask written).
        self.total = int(rows(db, "SELECT COALESCE(MAX(id), 0) FROM offer")[0][0])
        # A pass over many asks adds up its first cuts with numpy (``matching.Sums``).
        self.sums = Sums(self.total) if bulk_cuts(asks, self.total) else None
        self.holders: dict[str, Holders | Packed] = {}
        # The last WEIGHTS_KEPT terms' weights.
        self.weights: dict[str, Mapping[int, float] | PackedWorth] = {}
        self.ids: dict[int, int] = {}  # one int object per offer id, shared by every set
        self.saying: dict[str, list[int]] = {}
        self.stems: dict[str, str] = {}
        self.offer_tokens: dict[int, tuple[frozenset[str], ...]] = {}
        self.last_cut: tuple[tuple[str, ...], _Hits] = ((), [])
        self.same = _Same()
        # The asks' and offers' vectors of meaning, when they have them.
        self.closeness = Closeness(db) if closeness_on() else None

    def read_stems(self, words: Iterable[str]) -> None:
        """Learn the stems of these words (``dialect.stems``), a batch at a time."""
        missing = list(dict.fromkeys(word for word in words if word not in self.stems))
        for chunk in chunks(missing):
            self.stems.update(stems(self.db, chunk))

    def _read(self, terms: Iterable[str]) -> None:
        for term in terms:
            if term in self.holders:
                continue
            query = fts_query([term]) or ""
            columns: list[Any] = []
            same = self.ids.setdefault
            for column in range(3):
                fts = self.fts.in_column(column)
                sql = f"SELECT rowid FROM {fts.source} WHERE {fts.match}"
                found = rows(self.db, sql, [fts.query(query)])
                if self.sums is None:
                    columns.append(frozenset(same(row[0], row[0]) for row in found))
                else:  # a bulk pass keeps every term's holders: packed
                    columns.append([row[0] for row in found])
            self.holders[term] = Holders(*columns) if self.sums is None else Packed.of(columns)

    def _weights(self, terms: Sequence[str]) -> dict[str, Mapping[int, float] | PackedWorth]:
        """``term_weights`` of these terms, kept for the last ``WEIGHTS_KEPT`` terms
        used (a dict per term as large as its holders: at 100,000 people, keeping every
        term's would take hundreds of MiB)."""
        wanted = {}
        for term in terms:
            values = self.weights.pop(term, None)
            if values is None:
                held = self.holders[term]
                if isinstance(held, Packed):
                    values = packed_weights(held, self.total)
                else:
                    values = term_weights(held, self.total)
            self.weights[term] = wanted[term] = values  # now the most recent
        while len(self.weights) > WEIGHTS_KEPT:
            del self.weights[next(iter(self.weights))]
        return wanted

    def found(self, ask: _Ask, offer_ids: Iterable[int]) -> _Hits:
        """These offers, each with the ask's words found in each of its columns."""
        self._read(ask.terms)
        return found_bits(ask.terms, self.holders, offer_ids)

    def found_among(self, ask: _Ask, offer_ids: Sequence[int]) -> _Hits:
        """As ``found``, for a few offers: from their own words rather than from every
        offer that holds the ask's (an offer written meets hundreds of asks)."""
        missing = [offer_id for offer_id in offer_ids if offer_id not in self.offer_tokens]
        for chunk in chunks(missing):
            read = rows(
                self.db,
                "SELECT rowid, text, tags, helper FROM offer_fts "
                f"WHERE rowid IN ({placeholders(len(chunk))})",
                chunk,
            )
            held = tokens(self.db, [column for row in read for column in row[1:]])
            for at, row in enumerate(read):
                self.offer_tokens[row[0]] = tuple(held[at * 3 : at * 3 + 3])
        terms = [
            (set(self.stems.get(term, term).split()), at * TERM_BITS)
            for at, term in enumerate(ask.terms)
        ]
        found = []
        for offer_id in dict.fromkeys(offer_ids):
            columns = self.offer_tokens.get(offer_id, (frozenset(),) * 3)
            bits = 0
            for bit, column in zip(COLUMN_BITS, columns, strict=True):
                for stem, shift in terms:
                    if stem <= column:
                        bits |= bit << shift
            found.append((offer_id, bits))
        return found

    def hits(self, ask: _Ask) -> _Hits:
        """The offers one ask's search finds: the best ``SEARCH_DEPTH`` for its words
        (``matching.first_cut``), then the newest ``NEED_DEPTH`` that say one of its
        needs in other words."""
        self._read(ask.terms)
        if self.last_cut[0] != ask.terms:  # asks come sorted: the same words in a row
            weights = self._weights(ask.terms)
            best = cut_ids(ask.terms, weights, SEARCH_DEPTH, self.sums)
            self.last_cut = (ask.terms, found_bits(ask.terms, self.holders, best))
        found = list(self.last_cut[1])
        if not ask.needs:
            return found
        seen = {offer_id for offer_id, _ in found}
        return found + self.found(
            ask, [offer_id for offer_id in self._saying(ask.needs) if offer_id not in seen]
        )

    def _saying(self, needs: str) -> list[int]:
        """The newest ``NEED_DEPTH`` offers that say one of these needs."""
        if needs not in self.saying:
            fts = self.fts
            self.saying[needs] = [
                row[0]
                for row in rows(
                    self.db,
                    # Newest first, not by rank: ranking every offer that says "room"
                    # or "training" would cost a full scoring of thousands of rows.
                    f"SELECT rowid FROM {fts.source} WHERE {fts.match} ORDER BY rowid DESC LIMIT ?",
                    [fts.query(needs), NEED_DEPTH],
                )
            ]
        return self.saying[needs]

    def read_all(self, asks: Iterable[_Ask]) -> None:
        """Read now everything these asks' searches read (before a fork)."""
        asks = list(asks)
        self._read(dict.fromkeys(term for ask in asks for term in ask.terms))
        for needs in dict.fromkeys(ask.needs for ask in asks if ask.needs):
            self._saying(needs)
        if self.closeness is not None:
            self.closeness.read_all()


def match_ask(db: sqlite3.Connection, ask_id: int) -> int:
    """Recompute one ask's candidate offers; return how many were kept."""
    return match_asks(db, [ask_id])


def match_offer(db: sqlite3.Connection, offer_id: int) -> None:
    """Score one offer against every open ask that shares a word with it."""
    match_offers(db, [offer_id])


# --- what callers use -------------------------------------------------------------


def ask_written(db: sqlite3.Connection, ask_id: int) -> None:
    index_ask(db, ask_id)
    match_ask(db, ask_id)


def offer_written(db: sqlite3.Connection, offer_id: int) -> None:
    index_offer(db, offer_id)
    match_offer(db, offer_id)


def person_written(db: sqlite3.Connection, person_id: int, *, profile_changed: bool = True) -> None:
    """Re-index a person; when their role, org or tags changed, re-match their offers."""
    index_person(db, person_id)
    if profile_changed:
        offers = [
            row[0] for row in rows(db, "SELECT id FROM offer WHERE person_id = ?", [person_id])
        ]
        index_offers(db, offers)
        match_offers(db, offers)


def many_written(
    db: sqlite3.Connection,
    *,
    people: Sequence[int] = (),
    asks: Sequence[int] = (),
    offers: Sequence[int] = (),
    offers_of: Sequence[int] = (),
    retagged: Retagged | None = None,
) -> None:
    """After a write that changed many rows (a tag renamed, an import): re-index these
    people, asks and offers and re-match them, in batches. ``people`` had their profile
    changed: their offers are re-matched too, as are those of ``offers_of`` (people
    already re-indexed).

    Everything is indexed before anything is matched. When the write only changed tags
    (``retagged``, read before it), the open asks it can reach are matched again, in
    one pass as ``match --rebuild`` does. Else, when searching the asks from each offer
    would cost more than matching every open ask again (``OFFER_MATCH_COST``), every
    open ask is matched once.
    """
    index_people(db, people)
    offer_ids = {*offers, *_offers_of(db, {*people, *offers_of})}
    index_asks(db, asks)
    index_offers(db, sorted(offer_ids))
    if not offer_ids:
        match_asks(db, asks)
        return
    open_asks = [row[0] for row in rows(db, "SELECT id FROM ask WHERE status = 'open'")]
    if retagged is not None:
        # Always: searching the asks from each offer keeps only its REVERSE_DEPTH most
        # relevant, so a tag merged into a common one missed asks that carry it (806
        # asks differed from a rebuild at 20,000), and it took longer (14.7 s for 1,085
        # offers at 20,000, 231 s for 517 at 100,000, against 4.9 and 12.2 s).
        match_asks(db, open_asks, only=retagged.reaches(asks))
        return
    if len(offer_ids) * OFFER_MATCH_COST > len(open_asks):
        match_asks(db, open_asks)
        return
    match_asks(db, asks)
    match_offers(db, sorted(offer_ids))


def _offers_of(db: sqlite3.Connection, people: Iterable[int]) -> list[int]:
    """The ids of these people's offers."""
    found: list[int] = []
    for chunk in chunks(sorted(people)):
        found.extend(
            row[0]
            for row in rows(
                db, f"SELECT id FROM offer WHERE person_id IN ({placeholders(len(chunk))})", chunk
            )
        )
    return found


class _Read(NamedTuple):
    """What ``Retagged`` reads of its offers, before the write and after (at 100,000
    people, 11,000 offers: their texts, not their tokens, and only their meaning)."""

    columns: dict[int, tuple[str, str]]  # their tags and helper columns in the index
    meaning: dict[int, Concepts]  # the active ones'
    needs: dict[str, frozenset[int]]  # {need: those of them a search for it finds}


class Retagged:
    """What scoring reads of the offers whose tags, or whose helper's tags, a write is
    about to change (a tag renamed or merged), read before it. After the write,
    ``reaches`` says which open asks the change can give other candidates: matching
    only those leaves every ask the candidates a full pass gives.

    An ask is left as it is when nothing it is scored on moved, or what moved cannot
    change its list:

    - it does not carry the tag (the asks ``reaches`` is given), nor a tag that folds
      to the old or the new name (a tag shared with an offer or its helper);
    - none of its words was gained or lost by one of these offers' tags or helper's
      profile: which offers hold each of its words is all its first cut, its found
      bits and its words' rarity read (a word of several tokens, a phrase, counts
      when any of its tokens is in those columns at all);
    - none of its needs is one an offer's meaning gained or lost, or whose search
      (``meaning_query``) finds other offers;
    - an offer that lost a topic it names, or started naming needs other than its
      own (a false friend now), is not among its candidates: a pair that can only
      score less changes nothing where it was not kept;
    - an offer that gained a topic it names, or stopped naming needs (no false
      friend now), does not score enough to enter its list.
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        *,
        people: Iterable[int],
        offers: Iterable[int],
        names: Iterable[str],
    ) -> None:
        self.db = db
        self.offer_ids = sorted({*offers, *_offers_of(db, people)})
        self.keys = frozenset(map(fold_tag, names))
        self.before = self._read()

    def _read(self) -> _Read:
        db, ids = self.db, self.offer_ids
        columns: dict[int, tuple[str, str]] = {}
        for chunk in chunks(ids):
            columns.update(
                (row[0], (row[1], row[2]))
                for row in rows(
                    db,
                    "SELECT rowid, tags, helper FROM offer_fts "
                    f"WHERE rowid IN ({placeholders(len(chunk))})",
                    chunk,
                )
            )
        meaning = {offer_id: offer.meaning for offer_id, offer in _Offers(db)._read(ids) if offer}
        # Every offer a need's search finds, then these among them: a match limited to
        # some rowids is evaluated once per rowid (39 s for 2,230 offers at 20,000).
        fts, of_these, needs = search(db, "offer_fts"), set(ids), {}
        for need in NEEDS:
            query = meaning_query(from_keys([need]))
            if query is not None:
                needs[need] = frozenset(
                    row[0]
                    for row in rows(
                        db, f"SELECT rowid FROM {fts.source} WHERE {fts.match}", [fts.query(query)]
                    )
                    if row[0] in of_these
                )
        return _Read(columns, meaning, needs)

    def _moved(self, after: _Read) -> tuple[set[str], set[str]]:
        """(the tokens an offer's column gained or lost, every token of the columns that
        changed, before and after)."""
        before, moved, held = self.before.columns, set[str](), set[str]()
        changed = [
            (before.get(offer_id, ("", "")), now)
            for offer_id, now in after.columns.items()
            if before.get(offer_id) != now
        ]
        for chunk in chunks(changed):
            found = tokens(self.db, [text for was, now in chunk for text in (*was, *now)])
            for at in range(0, len(found), 4):
                for old, new in ((found[at], found[at + 2]), (found[at + 1], found[at + 3])):
                    moved |= old ^ new
                    held |= old | new
        return moved, held

    def reaches(self, asks: Iterable[int]) -> Callable[[_Ask, _Searcher], bool]:
        """Whether an open ask (as scoring reads it, with the pass's searcher) can have
        other candidates now; ``asks`` carried the tag."""
        before, after = self.before, self._read()
        moved, held = self._moved(after)
        needs = {need for need, found in after.needs.items() if found != before.needs.get(need)}
        # {offer: (the topics it lost, whether it started naming needs)}; {offer: (the
        # topics it gained, whether it stopped naming needs)}
        falls: dict[int, tuple[frozenset[str], bool]] = {}
        rises: dict[int, tuple[frozenset[str], bool]] = {}
        empty = Concepts()
        for offer_id in {*before.meaning, *after.meaning}:
            was, now = before.meaning.get(offer_id, empty), after.meaning.get(offer_id, empty)
            needs |= was.needs ^ now.needs
            if was.topics - now.topics or (now.needs and not was.needs):
                falls[offer_id] = (was.topics - now.topics, bool(now.needs and not was.needs))
            if now.topics - was.topics or (was.needs and not now.needs):
                rises[offer_id] = (now.topics - was.topics, bool(was.needs and not now.needs))
        del before, after  # (the pass that follows forks: it would carry them)
        kept = _kept_by_ask(self.db, falls) if falls else {}
        risen = _Offers(self.db).get(sorted(rises)) if rises else {}
        carried, keys = frozenset(asks), self.keys

        def reached(ask: _Ask, searcher: _Searcher) -> bool:
            if ask.id in carried or any(fold_tag(tag) in keys for tag in ask.tags):
                return True
            for term in ask.terms:
                held_as = searcher.stems.get(term, term).split()
                if held_as[0] in moved if len(held_as) == 1 else not held.isdisjoint(held_as):
                    return True
            meaning = from_keys(ask.meaning)
            if not meaning.needs:
                return False  # no false friends, no topics counted
            if not meaning.needs.isdisjoint(needs):
                return True
            for offer_id in kept.get(ask.id, ()):
                topics, naming = falls[offer_id]
                if naming or not meaning.topics.isdisjoint(topics):
                    return True
            rising = [
                offer_id
                for offer_id, (topics, naming) in rises.items()
                if naming or not meaning.topics.isdisjoint(topics)
            ]
            return bool(rising) and _could_enter(ask, rising, risen, searcher)

        return reached


def _kept_by_ask(db: sqlite3.Connection, offer_ids: Iterable[int]) -> dict[int, list[int]]:
    """{ask: those of these offers among its candidates}."""
    kept: dict[int, list[int]] = {}
    for chunk in chunks(sorted(offer_ids)):
        for ask_id, offer_id in rows(
            db,
            "SELECT ask_id, offer_id FROM match_candidate "
            f"WHERE offer_id IN ({placeholders(len(chunk))})",
            chunk,
        ):
            kept.setdefault(ask_id, []).append(offer_id)
    return kept


def _could_enter(
    ask: _Ask, offer_ids: Sequence[int], offers: Mapping[int, _Offer], searcher: _Searcher
) -> bool:
    """Whether one of these offers now scores a match for the ask that its list, kept
    before, would take (whether the ask's search finds it aside)."""
    scorer = AskScorer(
        folded_tags(ask.tags),
        ask.terms,
        from_keys(ask.meaning),
        searcher.stems,
        ask.people or None,
    )
    floor: float | None = None
    close = _closeness_of(searcher, ask, offer_ids)
    for offer_id, bits in searcher.found_among(ask, offer_ids):
        offer = offers.get(offer_id)
        if offer is None:
            continue
        score = scorer.score(
            bits,
            offer.folded,
            offer.helper_folded,
            offer.meaning,
            offer.capacity,
            close.get(offer_id),
        )
        if score is None:
            continue
        if floor is None:
            floor = full_list_floors(searcher.db, [ask.id]).get(ask.id)
            if floor is None:  # its list is not full
                return True
        # (equal to the lowest kept: it may come first by its id)
        if score >= floor:
            return True
    return False


def index_asks(db: sqlite3.Connection, ask_ids: Sequence[int], *, fresh: bool = False) -> None:
    """Re-index many asks, a batch of rows per query (``index_ask`` for each, in bulk);
    ``fresh`` as in ``indexing_people``."""
    for chunk in chunks(ask_ids):
        marks = placeholders(len(chunk))
        if not fresh:
            execute(db, f"DELETE FROM ask_fts WHERE rowid IN ({marks})", chunk)
        tags = tags_by_owner(db, "ask_tag", "ask_id", chunk)
        db.executemany(
            "INSERT INTO ask_fts (rowid, text, tags) VALUES (?, ?, ?)",
            [
                (ask_id, text, ", ".join(tags.get(ask_id, [])))
                for ask_id, text in rows(
                    db, f"SELECT id, text FROM ask WHERE id IN ({marks})", chunk
                )
            ],
        )
    store_vectors(db, "ask", ask_ids, fresh=fresh)


def index_offers(db: sqlite3.Connection, offer_ids: Sequence[int], *, fresh: bool = False) -> None:
    """Re-index many offers, a batch of rows per query (``index_offer`` for each, in
    bulk); ``fresh`` as in ``indexing_people``."""
    for chunk in chunks(offer_ids):
        marks = placeholders(len(chunk))
        if not fresh:
            execute(db, f"DELETE FROM offer_fts WHERE rowid IN ({marks})", chunk)
        found = rows(
            db,
            "SELECT offer.id, offer.text, person.id, person.role, person.org FROM offer "
            f"JOIN person ON person.id = offer.person_id WHERE offer.id IN ({marks})",
            chunk,
        )
        tags = tags_by_owner(db, "offer_tag", "offer_id", chunk)
        helper_tags = tags_by_owner(db, "person_tag", "person_id", sorted({r[2] for r in found}))
        db.executemany(
            "INSERT INTO offer_fts (rowid, text, tags, helper) VALUES (?, ?, ?, ?)",
            [
                (
                    offer_id,
                    text,
                    ", ".join(tags.get(offer_id, [])),
                    _helper_text(role, org, helper_tags.get(person_id, [])),
                )
                for offer_id, text, person_id, role, org in found
            ],
        )
    store_vectors(db, "offer", offer_ids, fresh=fresh)


@dataclass(frozen=True, slots=True)
class _Offer:
    helper_id: int
    tags: tuple[str, ...]
    helper_tags: tuple[str, ...]
    meaning: Concepts
    capacity: int | None
    available_from: date | None
    folded: frozenset[str]  # its tags folded, as ``AskScorer`` takes them
    helper_folded: frozenset[str]


class _Offers:
    """Active offers' helpers, tags and meaning, read a batch at a time and kept for a
    bulk pass."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.known: dict[int, _Offer | None] = {}
        # Every active offer, by id (``read_all``): a list, not a dict with an int
        # object for each key (with the rest of this session's compaction, tracemalloc
        # counted the offers of 100,000 people at 22.6 MiB rather than 39.0).
        self.every: list[_Offer | None] | None = None
        self.helper_tags: dict[int, tuple[str, ...]] = {}
        self.same = _Same()

    def read_all(self) -> None:
        """Read every active offer now (before a fork)."""
        found = rows(self.db, "SELECT id FROM offer WHERE status = 'active' ORDER BY id")
        every: list[_Offer | None] = [None] * (found[-1][0] + 1 if found else 0)
        for offer_id, offer in self._read([row[0] for row in found]):
            every[offer_id] = offer
        self.every = every
        # Only reading needs these (at 100,000 people about 3 MiB the fork would carry).
        self.known, self.helper_tags, self.same = {}, {}, _Same()

    def get(self, offer_ids: Sequence[int]) -> Mapping[int, _Offer]:
        """{offer id: what scoring reads of it} of those that are active."""
        if self.every is not None:
            every, end = self.every, len(self.every)
            return {o: known for o in offer_ids if o < end and (known := every[o]) is not None}
        missing = [offer_id for offer_id in offer_ids if offer_id not in self.known]
        self.known.update(self._read(missing))
        return {o: known for o in offer_ids if (known := self.known[o]) is not None}

    def _read(self, offer_ids: Sequence[int]) -> Iterator[tuple[int, _Offer | None]]:
        """(offer id, what scoring reads of it: None unless it is active) of these."""
        same = self.same
        for chunk in chunks(offer_ids):
            found = {
                row[0]: row[1:]
                for row in rows(
                    self.db,
                    "SELECT id, person_id, text, created_on FROM offer WHERE status = 'active' "
                    f"AND id IN ({placeholders(len(chunk))})",
                    chunk,
                )
            }
            helpers = {offer_id: row[0] for offer_id, row in found.items()}
            new_helpers = sorted({h for h in helpers.values() if h not in self.helper_tags})
            for helper, names in tags_by_owner(
                self.db, "person_tag", "person_id", new_helpers
            ).items():
                self.helper_tags[helper] = _same_strings(same, names)
            offer_tags = tags_by_owner(self.db, "offer_tag", "offer_id", list(helpers))
            for offer_id in chunk:
                if offer_id not in found:
                    yield offer_id, None
                    continue
                helper_id, text, created_on = found[offer_id]
                tags = _same_strings(same, offer_tags.get(offer_id, ()))
                helper_tags = self.helper_tags.get(helper_id, ())
                yield (
                    offer_id,
                    _Offer(
                        helper_id=helper_id,
                        tags=tags,
                        helper_tags=helper_tags,
                        meaning=same(concepts(text, *tags)),
                        capacity=capacity_offered(text),
                        available_from=same(available_from(text, date.fromisoformat(created_on))),
                        folded=_same_folded(same, tags),
                        helper_folded=_same_folded(same, helper_tags),
                    ),
                )


def _same_strings(same: _Same, names: Iterable[str]) -> tuple[str, ...]:
    """These names or words, each one and the tuple one object of the pass (``_Same``)."""
    return same(tuple(map(same, names)))


def _same_folded(same: _Same, tags: tuple[str, ...]) -> frozenset[str]:
    """The tags folded, as ``AskScorer`` takes them (``folded_tags``' keys), one object of
    the pass (without ``folded_tags``' cached dict, which the fork would carry)."""
    return same(frozenset(same(fold_tag(tag)) for tag in tags))


# One search result ranked: (minus the score, offer id, helper id, what the search
# found of it as found bits, the offer) of the matches, best first.
_Ranked = list[tuple[float, int, int, int, _Offer]]
# What a search found for an ask: (offer id, its found bits: ``matching.found_bits``).
_Hits = list[tuple[int, int]]


def match_asks(
    db: sqlite3.Connection,
    ask_ids: Sequence[int],
    progress: Callable[[int, int], None] | None = None,
    *,
    meanwhile: Callable[[], Iterable[None]] | None = None,
    only: Callable[[_Ask, _Searcher], bool] | None = None,
) -> int:
    """Recompute many asks' candidates in one pass; return how many were kept.

    The same candidates as ``match_ask`` on each ask, for a fraction of the work:
    each search term's holders and each need's offers are read once for the pass
    (``_Searcher``); asks are taken in the order of their words, so asks with the
    same words share one first cut, and those that also say the same about tags,
    capacity and dates share one scoring; the offers' helpers, tags and meaning
    are read a batch at a time, and the candidates written with one
    ``executemany`` per batch. From ``FORKED_ASKS`` asks, on a machine with more
    than one core, everything is read first and the asks are shared out with
    forked processes (``store.forked``); each ask's candidates are the same.
    ``meanwhile`` is other work of the same transaction that matching does not
    read, in steps (an iterable): done while the forked processes score, their rows
    written between its steps (else first). With ``only`` (an open ask as scoring reads
    it, the pass's searcher: ``Retagged.reaches``), the asks it leaves out keep the
    candidates they have.
    """
    ids = list(ask_ids)
    searcher = _Searcher(db, asks=len(ids))
    work = _asks(db, ids, searcher)
    if only is not None:
        left = {ask.id for ask in work if not only(ask, searcher)}
        work = [ask for ask in work if ask.id not in left]
        ids = [ask_id for ask_id in ids if ask_id not in left]
        searcher.sums = Sums(searcher.total) if bulk_cuts(len(ids), searcher.total) else None
    for chunk in chunks(ids):
        execute(
            db, f"DELETE FROM match_candidate WHERE ask_id IN ({placeholders(len(chunk))})", chunk
        )
    work.sort(key=_ASK_ORDER)
    searcher.same = _Same()  # only reading the asks needs it
    offers = _Offers(db)
    blocks = _blocks(work, max(_BLOCK, -(-len(work) // forked.Turns.MOST)))
    ways = forked.ways() if len(work) >= FORKED_ASKS else 1
    written = _Written(db, len(ids) - len(work), len(ids), progress)
    finished: set[int] = set()  # the blocks whose rows are written

    def take(found: Iterable[tuple[int, list[tuple[int, int, float, str, str]]]]) -> None:
        for at, rows_of in found:
            written.add(rows_of, asks=len(blocks[at]))
            finished.add(at)

    turns = _turns(len(blocks)) if ways > 1 else None
    if turns is None:
        if meanwhile is not None:
            _all_steps(meanwhile())
        take((at, _block_rows(block, searcher, offers)) for at, block in enumerate(blocks))
    else:  # shared out: each process takes the next block as it is free
        # The command line runs with the collector off (``cli.run``): what earlier work
        # left in cycles (an import's, a restore's) would go into every process.
        gc.collect()
        searcher.read_all(work)
        offers.read_all()
        children: list[forked.Forked] = []
        try:
            for _ in range(ways - 1):
                share = functools.partial(_share, blocks, turns, searcher, offers)
                try:
                    children.append(forked.Forked(share, keep=[turns.fd]))
                except (OSError, RuntimeError):  # no process or thread to be had: fewer share
                    break
            # Between its steps, the rows the shares have sent are written: they would
            # pile up in memory meanwhile.
            for _ in meanwhile() if meanwhile is not None else ():
                for child in children:
                    take(child.poll())
            for at in turns:
                take([(at, _block_rows(blocks[at], searcher, offers))])
                for child in children:
                    take(child.poll())
            for child in children:
                with contextlib.suppress(forked.ShareLost):
                    take(child.results())
        finally:
            for child in children:
                child.close()
            turns.close()
        # The block a share was on when it failed (its rows were not sent).
        take(
            (at, _block_rows(block, searcher, offers))
            for at, block in enumerate(blocks)
            if at not in finished
        )
    written.flush()
    if progress is not None and ids and not work:
        progress(len(ids), len(ids))
    return written.kept


# From this many asks, a pass shares them out over the cores (``store.forked``): below,
# reading every offer and term first costs more than the other core saves.
FORKED_ASKS = 3000
# The asks of a pass go in blocks of about this many (a forked share takes one at a
# time, and sends its rows back for each).
_BLOCK = 100


def _turns(count: int) -> forked.Turns | None:
    """The turns of a shared-out pass; None when they cannot be had (one process then)."""
    try:
        return forked.Turns(count)
    except OSError:
        return None


def _blocks(work: list[_Ask], size: int) -> list[list[_Ask]]:
    """The asks in blocks of at least ``size`` (the last may be smaller), in the pass's
    order; asks with the same words stay in one block (they share a first cut and
    scoring)."""
    blocks: list[list[_Ask]] = []
    for at, ask in enumerate(work):
        if not blocks or (len(blocks[-1]) >= size and work[at - 1].terms != ask.terms):
            blocks.append([])
        blocks[-1].append(ask)
    return blocks


def _block_rows(
    block: Sequence[_Ask], searcher: _Searcher, offers: _Offers
) -> list[tuple[int, int, float, str, str]]:
    """The candidate rows of a block's asks."""
    found: list[tuple[int, int, float, str, str]] = []
    ranked: _Ranked = []
    explained: dict[tuple[int, date | None], Scored] = {}  # of this ranking
    last: _Ask | None = None
    close: Mapping[int, float] = {}
    for ask in block:
        if last is None or last.scoring() != ask.scoring():
            hits = searcher.hits(ask)
            close = _closeness_of(searcher, ask, [offer_id for offer_id, _ in hits])
            ranked = _rank_hits(hits, ask, offers, searcher.stems, close)
            explained = {}
        last = ask
        found.extend(
            _row(ask.id, offer_id, s)
            for offer_id, s in _for_ask(ranked, ask, searcher.stems, explained, close)
        )
    return found


def _share(
    blocks: Sequence[Sequence[_Ask]], turns: forked.Turns, searcher: _Searcher, offers: _Offers
) -> Iterator[tuple[int, list[tuple[int, int, float, str, str]]]]:
    """A forked share: (block, its rows) for each block it takes, read from memory."""
    searcher.db = offers.db = forked.NO_DATABASE
    for at in turns:
        yield at, _block_rows(blocks[at], searcher, offers)


_BATCH = 5000  # candidate rows written at a time


class _Written:
    """A pass's candidate rows, written a batch at a time, with its progress."""

    def __init__(
        self,
        db: sqlite3.Connection,
        done: int,
        total: int,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.db = db
        self.done = done
        self.total = total
        self.progress = progress
        self.kept = 0
        self.pending: list[tuple[int, int, float, str, str]] = []

    def add(self, found: list[tuple[int, int, float, str, str]], *, asks: int) -> None:
        """Add these asks' rows."""
        self.pending.extend(found)
        self.kept += len(found)
        self.done += asks
        if self.progress is not None:
            self.progress(self.done, self.total)
        if len(self.pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            _store_rows(self.db, self.pending)
            self.pending = []


def _closeness_of(searcher: _Searcher, ask: _Ask, offer_ids: Iterable[int]) -> Mapping[int, float]:
    """{offer id: closeness of meaning} of these offers to the ask, when both have vectors."""
    if searcher.closeness is None or not ask.close_key:
        return {}
    return searcher.closeness.of(ask.id, offer_ids)


def _for_ask(
    ranked: _Ranked,
    ask: _Ask,
    stems: Mapping[str, str],
    explained: dict[tuple[int, date | None], Scored] | None = None,
    close: Mapping[int, float] | None = None,
) -> list[tuple[int, Scored]]:
    """The candidates one ask keeps of a ranking, with their reasons: not the asker's
    own offers, not those there only after the ask is needed, at most
    ``CANDIDATES_PER_ASK``. ``explained`` keeps each pair's reasons for the next asks of
    the same ranking (they differ only in who asks and by when)."""
    from givenet.meaning import from_keys

    by = date.fromisoformat(ask.by) if ask.by else None
    ask_meaning = from_keys(ask.meaning)
    kept: list[tuple[int, Scored]] = []
    if explained is None:
        explained = {}
    for _, offer_id, helper_id, bits, offer in ranked:
        if helper_id == ask.person_id:
            continue
        needed_by = by if offer.available_from is not None else None
        scored = explained.get((offer_id, needed_by))
        if scored is None:
            hit = found_words(offer_id, bits, ask.terms)
            evidence = PairEvidence(
                ask_tags=ask.tags,
                offer_tags=offer.tags,
                helper_tags=offer.helper_tags,
                text_hits=hit.text_hits,
                tag_hits=hit.tag_hits,
                helper_hits=hit.helper_hits,
                ask_meaning=ask_meaning,
                offer_meaning=offer.meaning,
                people_needed=ask.people or None,
                capacity=offer.capacity,
                available_from=offer.available_from,
                needed_by=needed_by,
                stems=stems,
                close=close.get(offer_id) if close else None,
            )
            scored = explained[offer_id, needed_by] = score_pair(evidence)
        if not scored.is_match:
            continue  # there too late
        kept.append((offer_id, scored))
        if len(kept) == CANDIDATES_PER_ASK:
            break
    return kept


def _rank_hits(
    hits: _Hits,
    ask: _Ask,
    offers: _Offers,
    stems: Mapping[str, str],
    close: Mapping[int, float] | None = None,
) -> _Ranked:
    """Score a search's active offers for an ask (its date aside: ``_for_ask``), with
    their closeness of meaning where ``close`` has it; the matches, best first: (minus
    the score, offer id, helper id, found bits, offer)."""
    from givenet.meaning import from_keys

    active = offers.get([offer_id for offer_id, _ in hits])
    scorer = AskScorer(
        folded_tags(ask.tags), ask.terms, from_keys(ask.meaning), stems, ask.people or None
    )
    score = scorer.score
    near = close.get if close else _nothing
    ranked = []
    for offer_id, bits in hits:
        offer = active.get(offer_id)
        if offer is None:
            continue
        points = score(
            bits,
            offer.folded,
            offer.helper_folded,
            offer.meaning,
            offer.capacity,
            near(offer_id),
        )
        if points is not None:
            ranked.append((-points, offer_id, offer.helper_id, bits, offer))
    # Every match, in the order an ask keeps them (best first, then the lowest id: no
    # two entries have the same id); an asker's own offers are left out after.
    ranked.sort()
    return ranked


def _nothing(offer_id: int) -> None:
    """No closeness for any offer (an ask or offers without vectors)."""
    return None


def _row(ask_id: int, offer_id: int, scored: Scored) -> tuple[int, int, float, str, str]:
    return (ask_id, offer_id, scored.score, _matched_json(scored.matched), scored.why)


@functools.lru_cache(maxsize=4096)
def _matched_json(matched: tuple[str, ...]) -> str:
    """What matched, as the candidate row keeps it (the same few lists come back for
    thousands of pairs)."""
    return json.dumps(list(matched), ensure_ascii=False)


def _store_rows(db: sqlite3.Connection, found: list[tuple[int, int, float, str, str]]) -> None:
    db.executemany(
        "INSERT INTO match_candidate (ask_id, offer_id, score, matched, why) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (ask_id, offer_id) DO UPDATE SET "
        "score = excluded.score, matched = excluded.matched, why = excluded.why",
        found,
    )


def match_offers(db: sqlite3.Connection, offer_ids: Sequence[int]) -> int:
    """Score many offers against the open asks that share a word or a need with each;
    return how many candidates were written.

    Each offer's searches over the asks (its ``REVERSE_DEPTH`` most relevant by its
    words, and as many of the newest that say one of its needs) are one query each;
    then each ask reached is scored against all the offers that reached it in one
    search, and trimmed to its best ``CANDIDATES_PER_ASK`` once: the work is bounded
    by the candidates touched, not by the number of asks (`tag rename` of a tag on
    thousands of offers, an import that changes many helpers). An ask whose full list
    lost one of these offers or kept it lower is matched again (``match_asks``): the
    match trimmed from its list before may belong there now.
    """
    ids = list(offer_ids)
    kept_before = _kept_of(db, ids)
    for chunk in chunks(ids):
        marks = placeholders(len(chunk))
        execute(db, f"DELETE FROM match_candidate WHERE offer_id IN ({marks})", chunk)
    reached: dict[int, list[int]] = {}  # ask id -> the offers that reached it
    asks_fts = search(db, "ask_fts")
    for chunk in chunks(ids):
        for offer_id, text, tags, helper, helper_id in rows(
            db,
            "SELECT offer_fts.rowid, offer_fts.text, offer_fts.tags, offer_fts.helper, "
            "offer.person_id FROM offer_fts JOIN offer ON offer.id = offer_fts.rowid "
            f"WHERE offer_fts.rowid IN ({placeholders(len(chunk))}) AND offer.status = 'active'",
            chunk,
        ):
            searches = (
                (fts_query(search_terms(text, tags, helper)), asks_fts.rank),
                # the newest first, not by rank (see _search)
                (meaning_query(concepts(text, tags)), "ask_fts.rowid DESC"),
            )
            for query, order in searches:
                if query is None:
                    continue
                for (ask_id,) in rows(
                    db,
                    f"SELECT ask_fts.rowid FROM {asks_fts.source} JOIN ask ON ask.id = ask_fts.rowid "
                    f"WHERE {asks_fts.match} AND ask.status = 'open' AND ask.person_id != ? "
                    f"ORDER BY {order} LIMIT ?",
                    [asks_fts.query(query), helper_id, REVERSE_DEPTH],
                ):
                    offers_reaching = reached.setdefault(ask_id, [])
                    if offer_id not in offers_reaching:
                        offers_reaching.append(offer_id)
    offers = _Offers(db)
    searcher = _Searcher(db)
    pending: list[tuple[int, int, float, str, str]] = []
    asks = list(reached)
    floors = full_list_floors(db, asks)
    for ask in _asks(db, asks, searcher):
        hits = searcher.found_among(ask, reached[ask.id])
        close = _closeness_of(searcher, ask, reached[ask.id])
        ranked = _rank_hits(hits, ask, offers, searcher.stems, close)
        floor = floors.get(ask.id)
        if floor is not None:  # below it, the trim would drop them: not explained
            ranked = [entry for entry in ranked if -entry[0] >= floor]
        pending.extend(
            _row(ask.id, offer_id, scored)
            for offer_id, scored in _for_ask(ranked, ask, searcher.stems, close=close)
        )
    _store_rows(db, pending)
    _trim(db, asks)
    # An ask whose list was full and lost one of these offers, or kept it lower, may now
    # miss a match that was trimmed before: it is matched again, as a rebuild would.
    now = {(row[0], row[1]): row[2] for row in pending}
    lowered = sorted(
        {ask for (ask, offer), score in kept_before.items() if now.get((ask, offer), -1.0) < score}
    )
    if lowered:
        match_asks(db, lowered)
    return len(pending)


def full_list_floors(db: sqlite3.Connection, ask_ids: Sequence[int]) -> dict[int, float]:
    """{ask: the lowest score it keeps} for the asks whose list is full: a match scoring
    less cannot enter it (``_trim`` keeps the best, the lowest id first among equals).
    An import that changes 405 helpers' roles at 20,000 people explained 55,105 pairs,
    most of them for asks whose ten were better already."""
    floors: dict[int, float] = {}
    for chunk in chunks(sorted(ask_ids)):
        floors.update(
            (ask_id, float(lowest))
            for ask_id, count, lowest in rows(
                db,
                "SELECT ask_id, COUNT(*), MIN(score) FROM match_candidate "
                f"WHERE ask_id IN ({placeholders(len(chunk))}) GROUP BY ask_id",
                chunk,
            )
            if count >= CANDIDATES_PER_ASK
        )
    return floors


def _kept_of(db: sqlite3.Connection, offer_ids: Sequence[int]) -> dict[tuple[int, int], float]:
    """{(ask, offer): score} of these offers' candidates for asks whose list is full."""
    kept: dict[tuple[int, int], float] = {}
    for chunk in chunks(list(offer_ids)):
        kept.update(
            ((ask_id, offer_id), score)
            for ask_id, offer_id, score in rows(
                db,
                "SELECT ask_id, offer_id, score FROM match_candidate "
                f"WHERE offer_id IN ({placeholders(len(chunk))})",
                chunk,
            )
        )
    full = full_list_floors(db, list({ask_id for ask_id, _ in kept}))
    return {pair: score for pair, score in kept.items() if pair[0] in full}


def _trim(db: sqlite3.Connection, ask_ids: Sequence[int]) -> None:
    """Keep only these asks' best candidates."""
    for chunk in chunks(ask_ids):
        execute(
            db,
            "DELETE FROM match_candidate WHERE (ask_id, offer_id) IN ("
            "SELECT ask_id, offer_id FROM (SELECT ask_id, offer_id, ROW_NUMBER() OVER ("
            "PARTITION BY ask_id ORDER BY score DESC, offer_id) AS place FROM match_candidate "
            f"WHERE ask_id IN ({placeholders(len(chunk))})) AS ranked WHERE place > ?)",
            [*chunk, CANDIDATES_PER_ASK],
        )


def rebuild_all(
    db: sqlite3.Connection,
    progress: Callable[[int, int], None] | None = None,
    *,
    match: bool = True,
) -> int:
    """Rebuild every index, candidate and kept touch from the rows (after an import, or to
    repair); with ``match=False`` the match candidates are left as they are (a restore
    that read them from its file, ``match_stamp``)."""
    for table in ("person_fts", "ask_fts", "offer_fts", "ask_vector", "offer_vector"):
        execute(db, f"DELETE FROM {table}")
    if match:
        execute(db, "DELETE FROM match_candidate")

    def people() -> Iterator[None]:  # what matching does not read, in steps
        execute(db, "DELETE FROM person_touch")
        execute(
            db,
            f"INSERT INTO person_touch (person_id, first_met, last_touch) {PERSON_TOUCH_OF_EVERYONE}",
        )
        yield
        every = [row[0] for row in rows(db, "SELECT id FROM person")]
        yield from indexing_people(db, every, fresh=True)

    index_asks(db, [row[0] for row in rows(db, "SELECT id FROM ask")], fresh=True)
    index_offers(db, [row[0] for row in rows(db, "SELECT id FROM offer")], fresh=True)
    if match:
        open_asks = [row[0] for row in rows(db, "SELECT id FROM ask WHERE status = 'open'")]
        with indexes_off(db, "match_candidate"):  # made again after, one sort each
            kept = match_asks(db, open_asks, progress, meanwhile=people)
    else:
        _all_steps(people())
        (kept,) = rows(db, "SELECT COUNT(*) FROM match_candidate")[0]
    refresh_statistics(db)
    return int(kept)


# The code whose changes change the candidates (with the engine's full-text search).
_MATCHING_CODE = (
    "matching.py",
    "meaning.py",
    "meaning_model.py",
    "store/search.py",
    "store/dialect.py",
    "store/vectors.py",
)


def match_stamp(db: sqlite3.Connection) -> dict[str, Any]:
    """What this database's match candidates are kept by: givenet's version, the schema,
    a digest of the matching code and the engine (its full-text search stems and ranks).
    An export carries it; a restore keeps the file's candidates (the source's, as they
    were) only when its own stamp is the same: the same code and engine keep them."""
    import hashlib
    import os
    from pathlib import Path

    import givenet
    from givenet.migrations import LATEST_VERSION
    from givenet.store.dialect import on_postgres

    code = hashlib.sha256()
    package = Path(givenet.__file__).parent
    for name in _MATCHING_CODE:
        try:
            code.update((package / name).read_bytes())
        except OSError:  # not installed as files: a stamp no other can equal
            code.update(os.urandom(16))
    if on_postgres(db):
        (number,) = rows(db, "SELECT current_setting('server_version_num')")[0]
        engine = f"postgresql {int(number) // 10000}"
    else:
        (version,) = rows(db, "SELECT sqlite_version()")[0]
        engine = f"sqlite {version}"
    return {
        "givenet": givenet.__version__,
        "schema": LATEST_VERSION,
        "matching": code.hexdigest()[:16],
        "engine": engine,
        "closeness": closeness_on(),  # with vectors of meaning, or words and phrases only
    }


def refresh_statistics(db: sqlite3.Connection, tables: Iterable[str] | None = None) -> None:
    """Tell SQLite's query planner what the tables hold now (after bulk changes): every
    table, or only ``tables`` (those a change wrote to: at 100,000 people the whole
    database takes 0.5-0.8 s, most of it in the meetings and match candidates).

    Without statistics it takes the status indexes for selective and can pick a
    plan hundreds of times slower for one person's matches. (An FTS5 table is
    virtual: SQLite has nothing to analyze there; PostgreSQL's is a real table.)
    """
    if tables is None:
        execute(db, "ANALYZE")
        return
    for table in sorted(tables):
        execute(db, f"ANALYZE {table}")

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

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from givenet.matching import (
    CANDIDATES_PER_ASK,
    HIT_END,
    HIT_START,
    PairEvidence,
    Scored,
    best_candidates,
    fts_query,
    marked_words,
    score_pair,
    search_terms,
)
from givenet.store.sql import execute, placeholders, rows, tags_by_owner
from givenet.vocab import chunks

# How many offers one ask's search looks at before scoring.
SEARCH_DEPTH = 200
# How many asks (the most relevant first) one offer's search scores, pair by pair.
REVERSE_DEPTH = 300


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
    ids = list(person_ids)
    for chunk in chunks(ids):
        marks = placeholders(len(chunk))
        execute(db, f"DELETE FROM person_fts WHERE rowid IN ({marks})", chunk)
        tags = tags_by_owner(db, "person_tag", "person_id", chunk)
        notes: dict[int, list[str]] = {}
        for person_id, text in rows(
            db,
            f"SELECT person_id, text FROM note WHERE person_id IN ({marks}) ORDER BY person_id, id",
            chunk,
        ) + rows(
            db,
            MEETING_NOTES.format(marks=marks),
            chunk,
        ):
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


def forget_ask(db: sqlite3.Connection, ask_id: int) -> None:
    execute(db, "DELETE FROM ask_fts WHERE rowid = ?", [ask_id])
    execute(db, "DELETE FROM match_candidate WHERE ask_id = ?", [ask_id])


def forget_offer(db: sqlite3.Connection, offer_id: int) -> None:
    execute(db, "DELETE FROM offer_fts WHERE rowid = ?", [offer_id])
    execute(db, "DELETE FROM match_candidate WHERE offer_id = ?", [offer_id])


# --- scoring candidates --------------------------------------------------------


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
) -> None:
    """After a write that changed many rows (a tag renamed, an import): re-index these
    people, asks and offers and re-match them, in batches. ``people`` had their profile
    changed: their offers are re-matched too, as are those of ``offers_of`` (people
    already re-indexed)."""
    index_people(db, people)
    index_asks(db, asks)
    match_asks(db, asks)
    offer_ids = set(offers)
    for chunk in chunks(sorted({*people, *offers_of})):
        offer_ids.update(
            row[0]
            for row in rows(
                db, f"SELECT id FROM offer WHERE person_id IN ({placeholders(len(chunk))})", chunk
            )
        )
    index_offers(db, sorted(offer_ids))
    match_offers(db, sorted(offer_ids))


def index_asks(db: sqlite3.Connection, ask_ids: Sequence[int]) -> None:
    """Re-index many asks, a batch of rows per query (``index_ask`` for each, in bulk)."""
    for chunk in chunks(ask_ids):
        marks = placeholders(len(chunk))
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


def index_offers(db: sqlite3.Connection, offer_ids: Sequence[int]) -> None:
    """Re-index many offers, a batch of rows per query (``index_offer`` for each, in bulk)."""
    for chunk in chunks(offer_ids):
        marks = placeholders(len(chunk))
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


class _Offers:
    """Active offers' helpers and tags, read a batch at a time and kept for a bulk pass."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.known: dict[int, tuple[int, tuple[str, ...], tuple[str, ...]] | None] = {}
        self.helper_tags: dict[int, tuple[str, ...]] = {}

    def get(
        self, offer_ids: Sequence[int]
    ) -> dict[int, tuple[int, tuple[str, ...], tuple[str, ...]]]:
        """{offer id: (helper id, offer tags, helper tags)} of those that are active."""
        missing = [offer_id for offer_id in offer_ids if offer_id not in self.known]
        for chunk in chunks(missing):
            helpers = dict(
                rows(
                    self.db,
                    "SELECT id, person_id FROM offer WHERE status = 'active' "
                    f"AND id IN ({placeholders(len(chunk))})",
                    chunk,
                )
            )
            new_helpers = sorted({h for h in helpers.values() if h not in self.helper_tags})
            for helper, names in tags_by_owner(
                self.db, "person_tag", "person_id", new_helpers
            ).items():
                self.helper_tags[helper] = tuple(names)
            offer_tags = tags_by_owner(self.db, "offer_tag", "offer_id", list(helpers))
            for offer_id in chunk:
                helper_id: int | None = helpers.get(offer_id)
                self.known[offer_id] = (
                    None
                    if helper_id is None
                    else (
                        helper_id,
                        tuple(offer_tags.get(offer_id, [])),
                        self.helper_tags.get(helper_id, ()),
                    )
                )
        return {o: known for o in offer_ids if (known := self.known[o]) is not None}


# One search result ranked: (offer id, helper id, score) of the matches, best first.
_Ranked = list[tuple[int, int, Scored]]


def match_asks(
    db: sqlite3.Connection,
    ask_ids: Sequence[int],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute many asks' candidates in one pass; return how many were kept.

    The same candidates as ``match_ask`` on each ask, for a fraction of the work:
    asks are taken in the order of their search, so asks that search for the same
    words (and carry the same tags) share one search and one scoring; the offers'
    helpers and tags are read a batch at a time, and the candidates written with
    one ``executemany`` per batch.
    """
    ids = list(ask_ids)
    for chunk in chunks(ids):
        execute(
            db, f"DELETE FROM match_candidate WHERE ask_id IN ({placeholders(len(chunk))})", chunk
        )
    work: list[tuple[str, tuple[str, ...], int, int]] = []  # (query, tags, ask id, asker id)
    for chunk in chunks(ids):
        tags = tags_by_owner(db, "ask_tag", "ask_id", chunk)
        for ask_id, asker_id, text in rows(
            db,
            "SELECT id, person_id, text FROM ask WHERE status = 'open' "
            f"AND id IN ({placeholders(len(chunk))})",
            chunk,
        ):
            ask_tags = tuple(tags.get(ask_id, []))
            query = fts_query(search_terms(text, *ask_tags))
            if query is not None:
                work.append((query, ask_tags, ask_id, asker_id))
    work.sort()
    offers = _Offers(db)
    kept = 0
    pending: list[tuple[int, int, float, str]] = []
    ranked: _Ranked = []
    last: tuple[str, tuple[str, ...]] | None = None
    hits: list[Any] = []
    for done, (query, ask_tags, ask_id, asker_id) in enumerate(work, start=1):
        if last is None or last[0] != query:
            hits = _search(db, query)
        if last != (query, ask_tags):
            ranked = _rank_hits(hits, ask_tags, offers)
            last = (query, ask_tags)
        best = [(o, s) for o, helper_id, s in ranked if helper_id != asker_id][:CANDIDATES_PER_ASK]
        pending.extend((ask_id, offer_id, s.score, _matched_text(s)) for offer_id, s in best)
        kept += len(best)
        if len(pending) >= 5000 or done == len(work):
            _store_rows(db, pending)
            pending = []
        if progress is not None:
            progress(done + len(ids) - len(work), len(ids))
    if progress is not None and ids and not work:
        progress(len(ids), len(ids))
    return kept


def _search(db: sqlite3.Connection, query: str) -> list[Any]:
    """The offers one ask's search finds, with their marked words: what ``_evidence`` reads."""
    marks = f"highlight(offer_fts, {{}}, '{HIT_START}', '{HIT_END}')"
    return rows(
        db,
        f"SELECT rowid, {marks.format(0)}, {marks.format(1)}, {marks.format(2)} FROM offer_fts "
        "WHERE offer_fts MATCH ? ORDER BY bm25(offer_fts, 1.0, 2.0, 0.5) LIMIT ?",
        [query, SEARCH_DEPTH],
    )


def _rank_hits(hits: list[Any], ask_tags: tuple[str, ...], offers: _Offers) -> _Ranked:
    """Score a search's active offers for an ask with these tags; the matches, best first."""
    active = offers.get([hit[0] for hit in hits])
    scored = []
    for offer_id, text_marks, tag_marks, helper_marks in hits:
        found = active.get(offer_id)
        if found is None:
            continue
        _, offer_tags, helper_tags = found
        evidence = PairEvidence(
            ask_tags=ask_tags,
            offer_tags=offer_tags,
            helper_tags=helper_tags,
            text_hits=tuple(marked_words(text_marks)),
            tag_hits=tuple(marked_words(tag_marks)),
            helper_hits=tuple(marked_words(helper_marks)),
        )
        scored.append((offer_id, score_pair(evidence)))
    # Every match, in the order an ask keeps them; an asker's own offers are left out after.
    return [(o, active[o][0], s) for o, s in best_candidates(scored, limit=len(scored))]


def _store_rows(db: sqlite3.Connection, found: list[tuple[int, int, float, str]]) -> None:
    db.executemany(
        "INSERT OR REPLACE INTO match_candidate (ask_id, offer_id, score, matched) "
        "VALUES (?, ?, ?, ?)",
        found,
    )


def _matched_text(scored: Scored) -> str:
    return json.dumps(list(scored.matched), ensure_ascii=False)


def match_offers(db: sqlite3.Connection, offer_ids: Sequence[int]) -> int:
    """Score many offers against the open asks that share a word with each; return how
    many candidates were written.

    Each offer's search over the asks (its ``REVERSE_DEPTH`` most relevant) is one
    query; then each ask reached is scored against all the offers that reached it in
    one search, and trimmed to its best ``CANDIDATES_PER_ASK`` once: the work is
    bounded by the candidates touched, not by the number of asks (`tag rename` of a
    tag on thousands of offers, an import that changes many helpers).
    """
    ids = list(offer_ids)
    for chunk in chunks(ids):
        marks = placeholders(len(chunk))
        execute(db, f"DELETE FROM match_candidate WHERE offer_id IN ({marks})", chunk)
    reached: dict[int, list[int]] = {}  # ask id -> the offers that reached it
    for chunk in chunks(ids):
        for offer_id, text, tags, helper, helper_id in rows(
            db,
            "SELECT offer_fts.rowid, offer_fts.text, offer_fts.tags, offer_fts.helper, "
            "offer.person_id FROM offer_fts JOIN offer ON offer.id = offer_fts.rowid "
            f"WHERE offer_fts.rowid IN ({placeholders(len(chunk))}) AND offer.status = 'active'",
            chunk,
        ):
            query = fts_query(search_terms(text, tags, helper))
            if query is None:
                continue
            for (ask_id,) in rows(
                db,
                "SELECT ask_fts.rowid FROM ask_fts JOIN ask ON ask.id = ask_fts.rowid "
                "WHERE ask_fts MATCH ? AND ask.status = 'open' AND ask.person_id != ? "
                "ORDER BY rank LIMIT ?",
                [query, helper_id, REVERSE_DEPTH],
            ):
                reached.setdefault(ask_id, []).append(offer_id)
    offers = _Offers(db)
    marks = f"highlight(offer_fts, {{}}, '{HIT_START}', '{HIT_END}')"
    select = (
        f"SELECT rowid, {marks.format(0)}, {marks.format(1)}, {marks.format(2)} FROM offer_fts "
        "WHERE offer_fts MATCH ? AND rowid IN ({})"
    )
    pending: list[tuple[int, int, float, str]] = []
    asks = list(reached)
    for chunk in chunks(asks):
        tags = tags_by_owner(db, "ask_tag", "ask_id", chunk)
        for ask_id, text in rows(
            db,
            f"SELECT id, text FROM ask WHERE status = 'open' AND id IN ({placeholders(len(chunk))})",
            chunk,
        ):
            ask_tags = tuple(tags.get(ask_id, []))
            query = fts_query(search_terms(text, *ask_tags))
            if query is None:
                continue
            scoring = reached[ask_id]
            hits = rows(db, select.format(placeholders(len(scoring))), [query, *scoring])
            pending.extend(
                (ask_id, offer_id, scored.score, _matched_text(scored))
                for offer_id, _, scored in _rank_hits(hits, ask_tags, offers)
            )
    _store_rows(db, pending)
    _trim(db, asks)
    return len(pending)


def _trim(db: sqlite3.Connection, ask_ids: Sequence[int]) -> None:
    """Keep only these asks' best candidates."""
    for chunk in chunks(ask_ids):
        execute(
            db,
            "DELETE FROM match_candidate WHERE (ask_id, offer_id) IN ("
            "SELECT ask_id, offer_id FROM (SELECT ask_id, offer_id, ROW_NUMBER() OVER ("
            "PARTITION BY ask_id ORDER BY score DESC, offer_id) AS place FROM match_candidate "
            f"WHERE ask_id IN ({placeholders(len(chunk))})) WHERE place > ?)",
            [*chunk, CANDIDATES_PER_ASK],
        )


def rebuild_all(db: sqlite3.Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild every index and candidate from the rows (after an import, or to repair)."""
    for table in ("person_fts", "ask_fts", "offer_fts"):
        execute(db, f"DELETE FROM {table}")
    execute(db, "DELETE FROM match_candidate")
    index_people(db, [row[0] for row in rows(db, "SELECT id FROM person")])
    index_asks(db, [row[0] for row in rows(db, "SELECT id FROM ask")])
    index_offers(db, [row[0] for row in rows(db, "SELECT id FROM offer")])
    open_asks = [row[0] for row in rows(db, "SELECT id FROM ask WHERE status = 'open'")]
    kept = match_asks(db, open_asks, progress)
    refresh_statistics(db)
    return kept


def refresh_statistics(db: sqlite3.Connection) -> None:
    """Tell SQLite's query planner what the tables hold now (after bulk changes).

    Without statistics it takes the status indexes for selective and can pick a
    plan hundreds of times slower for one person's matches.
    """
    execute(db, "ANALYZE")

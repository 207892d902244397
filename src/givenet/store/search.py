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
            "SELECT meeting_person.person_id, meeting.note FROM meeting JOIN meeting_person ON "
            f"meeting_person.meeting_id = meeting.id WHERE meeting_person.person_id IN ({marks}) "
            "AND meeting.note IS NOT NULL ORDER BY meeting.id",
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


def _ask_terms(db: sqlite3.Connection, ask_id: int) -> tuple[int, str, list[str]] | None:
    found = rows(db, "SELECT person_id, text, status FROM ask WHERE id = ?", [ask_id])
    if not found or found[0][2] != "open":
        return None
    tags = tags_by_owner(db, "ask_tag", "ask_id", [ask_id]).get(ask_id, [])
    return found[0][0], found[0][1], tags


def _evidence(
    db: sqlite3.Connection, query: str, ask_tags: list[str], offer_ids: Sequence[int] | None
) -> dict[int, tuple[int, PairEvidence]]:
    """Search the offer index; return {offer_id: (helper_id, evidence)} for active offers."""
    marks = f"highlight(offer_fts, {{}}, '{HIT_START}', '{HIT_END}')"
    select = (
        f"SELECT rowid, {marks.format(0)}, {marks.format(1)}, {marks.format(2)} FROM offer_fts "
        "WHERE offer_fts MATCH ?"
    )
    if offer_ids is None:
        hits = rows(
            db,
            select + " ORDER BY bm25(offer_fts, 1.0, 2.0, 0.5) LIMIT ?",
            [query, SEARCH_DEPTH],
        )
    else:
        hits = rows(
            db, select + f" AND rowid IN ({placeholders(len(offer_ids))})", [query, *offer_ids]
        )
    if not hits:
        return {}
    ids = [hit[0] for hit in hits]
    offers = {
        row[0]: row[1]
        for row in rows(
            db,
            f"SELECT id, person_id FROM offer WHERE status = 'active' AND id IN ({placeholders(len(ids))})",
            ids,
        )
    }
    offer_tags = tags_by_owner(db, "offer_tag", "offer_id", list(offers))
    helper_tags = tags_by_owner(db, "person_tag", "person_id", sorted(set(offers.values())))
    result = {}
    for offer_id, text_marks, tag_marks, helper_marks in hits:
        if offer_id not in offers:
            continue
        helper_id = offers[offer_id]
        result[offer_id] = (
            helper_id,
            PairEvidence(
                ask_tags=tuple(ask_tags),
                offer_tags=tuple(offer_tags.get(offer_id, [])),
                helper_tags=tuple(helper_tags.get(helper_id, [])),
                text_hits=tuple(marked_words(text_marks)),
                tag_hits=tuple(marked_words(tag_marks)),
                helper_hits=tuple(marked_words(helper_marks)),
            ),
        )
    return result


def _store(db: sqlite3.Connection, ask_id: int, candidates: Iterable[tuple[int, Scored]]) -> None:
    for offer_id, scored in candidates:
        execute(
            db,
            "INSERT OR REPLACE INTO match_candidate (ask_id, offer_id, score, matched) "
            "VALUES (?, ?, ?, ?)",
            [ask_id, offer_id, scored.score, json.dumps(list(scored.matched), ensure_ascii=False)],
        )


def match_ask(db: sqlite3.Connection, ask_id: int) -> int:
    """Recompute one ask's candidate offers; return how many were kept."""
    execute(db, "DELETE FROM match_candidate WHERE ask_id = ?", [ask_id])
    found = _ask_terms(db, ask_id)
    if found is None:
        return 0
    asker_id, text, tags = found
    query = fts_query(search_terms(text, *tags))
    if query is None:
        return 0
    evidence = _evidence(db, query, tags, None)
    scored = [
        (offer_id, score_pair(pair))
        for offer_id, (helper_id, pair) in evidence.items()
        if helper_id != asker_id
    ]
    kept = best_candidates(scored)
    _store(db, ask_id, kept)
    return len(kept)


def match_offer(db: sqlite3.Connection, offer_id: int) -> None:
    """Score one offer against every open ask that shares a word with it."""
    execute(db, "DELETE FROM match_candidate WHERE offer_id = ?", [offer_id])
    found = rows(
        db,
        "SELECT offer_fts.text, offer_fts.tags, offer_fts.helper, offer.person_id FROM offer_fts "
        "JOIN offer ON offer.id = offer_fts.rowid WHERE offer_fts.rowid = ? AND offer.status = 'active'",
        [offer_id],
    )
    if not found:
        return
    text, tags, helper, helper_id = found[0]
    query = fts_query(search_terms(text, tags, helper))
    if query is None:
        return
    ask_ids = [
        row[0]
        for row in rows(
            db,
            "SELECT ask_fts.rowid FROM ask_fts JOIN ask ON ask.id = ask_fts.rowid "
            "WHERE ask_fts MATCH ? AND ask.status = 'open' AND ask.person_id != ? "
            "ORDER BY rank LIMIT ?",
            [query, helper_id, REVERSE_DEPTH],
        )
    ]
    for ask_id in ask_ids:
        ask = _ask_terms(db, ask_id)
        if ask is None:
            continue
        ask_query = fts_query(search_terms(ask[1], *ask[2]))
        if ask_query is None:
            continue
        pair = _evidence(db, ask_query, ask[2], [offer_id]).get(offer_id)
        if pair is None:
            continue
        scored = score_pair(pair[1])
        if not scored.is_match:
            continue
        _store(db, ask_id, [(offer_id, scored)])
        _trim(db, ask_id)


def _trim(db: sqlite3.Connection, ask_id: int) -> None:
    """Keep only an ask's best candidates."""
    execute(
        db,
        "DELETE FROM match_candidate WHERE ask_id = ? AND offer_id NOT IN ("
        "SELECT offer_id FROM match_candidate WHERE ask_id = ? "
        "ORDER BY score DESC, offer_id LIMIT ?)",
        [ask_id, ask_id, CANDIDATES_PER_ASK],
    )


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
        for (offer_id,) in rows(db, "SELECT id FROM offer WHERE person_id = ?", [person_id]):
            offer_written(db, offer_id)


def rebuild_all(db: sqlite3.Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild every index and candidate from the rows (after an import, or to repair)."""
    for table in ("person_fts", "ask_fts", "offer_fts"):
        execute(db, f"DELETE FROM {table}")
    execute(db, "DELETE FROM match_candidate")
    index_people(db, [row[0] for row in rows(db, "SELECT id FROM person")])
    for (ask_id,) in rows(db, "SELECT id FROM ask"):
        index_ask(db, ask_id)
    for (offer_id,) in rows(db, "SELECT id FROM offer"):
        index_offer(db, offer_id)
    open_asks = [row[0] for row in rows(db, "SELECT id FROM ask WHERE status = 'open'")]
    kept = 0
    for done, ask_id in enumerate(open_asks, start=1):
        kept += match_ask(db, ask_id)
        if progress is not None:
            progress(done, len(open_asks))
    refresh_statistics(db)
    return kept


def refresh_statistics(db: sqlite3.Connection) -> None:
    """Tell SQLite's query planner what the tables hold now (after bulk changes).

    Without statistics it takes the status indexes for selective and can pick a
    plan hundreds of times slower for one person's matches.
    """
    execute(db, "ANALYZE")

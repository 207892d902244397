"""Reading the network of giving: matches, `who`, introductions, tags, stats. Plain SQL only.

The morning list reads the matches and intros for every person it ranks, and
`match`, `who`, `intros`, `tags` and `stats` only read, so this module imports
nothing heavier than sqlite3 (see ``store/sql.py``) and builds the records
(``givenet.records.giving``, ``.who``, ``.intros``, ``.tags``, ``.stats``) directly.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from givenet.errors import InvalidInput
from givenet.store.sql import placeholders, rows, scalar
from givenet.vocab import IN_CHUNK, INTRO_MOVES, OPEN_INTRO_STATUSES, IntroStatus, chunks

if TYPE_CHECKING:
    from givenet.matching import Scored
    from givenet.records.giving import Match
    from givenet.records.intros import IntroLine
    from givenet.records.stats import NetworkStats, PersonCount
    from givenet.records.tags import TagUse
    from givenet.records.who import WhoFound

# The records, the matching rules and the people listing are imported by the
# functions that build them: the morning list reads this module for every
# person it ranks and needs none of them.

HELPED = IntroStatus.helped.value
# Intros with an outcome: the share that helped is counted among these.
SETTLED_STATUSES = (IntroStatus.helped.value, IntroStatus.no_fit.value, IntroStatus.fizzled.value)

# --- matches --------------------------------------------------------------------

# The join order is fixed (CROSS JOIN) so that SQLite starts where the question does:
# from the best candidates (the whole list, read in score order and stopped at the
# limit) or from given askers' asks (the morning list, a briefing).
BY_SCORE = "match_candidate AS mc CROSS JOIN ask ON ask.id = mc.ask_id"
BY_ASKER = "ask CROSS JOIN match_candidate AS mc ON mc.ask_id = ask.id"
MATCHES = f"""
SELECT mc.ask_id, ask.text, asker.id, asker.name, offer.id, offer.text, helper.id, helper.name,
       mc.score, mc.matched, mc.why
FROM {{driver}}
CROSS JOIN offer ON offer.id = mc.offer_id AND offer.status = 'active'
CROSS JOIN person AS asker ON asker.id = ask.person_id AND NOT asker.no_intros
CROSS JOIN person AS helper ON helper.id = offer.person_id AND NOT helper.no_intros
WHERE asker.id != helper.id AND +ask.status = 'open'
  AND NOT EXISTS (
      SELECT 1 FROM match_rejection AS no WHERE no.ask_id = mc.ask_id AND no.offer_id = mc.offer_id)
  AND NOT EXISTS (
      SELECT 1 FROM intro WHERE intro.status != '{IntroStatus.declined.value}' AND (
          (intro.ask_id = ask.id AND helper.id IN (intro.person_a_id, intro.person_b_id))
          OR (intro.date >= :recent_since AND (
              (intro.person_a_id = asker.id AND intro.person_b_id = helper.id)
              OR (intro.person_a_id = helper.id AND intro.person_b_id = asker.id)))))
"""


def _match_rows(
    db: sqlite3.Connection,
    today: date,
    *,
    recent_days: int,
    person_id: int | None = None,
    asker_ids: Sequence[int] | None = None,
    limit: int | None = None,
) -> list[Any]:
    sql = MATCHES.format(driver=BY_SCORE if asker_ids is None else BY_ASKER)
    params: dict[str, Any] = {"recent_since": (today - timedelta(days=recent_days)).isoformat()}
    if person_id is not None:
        sql += " AND (asker.id = :person OR helper.id = :person)"
        params["person"] = person_id
    if asker_ids is not None:
        if not asker_ids:
            return []
        names = [f"a{i}" for i in range(len(asker_ids))]
        sql += f" AND asker.id IN ({', '.join(':' + n for n in names)})"
        params.update(zip(names, asker_ids, strict=True))
    sql += " ORDER BY mc.score DESC, mc.ask_id, mc.offer_id"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return rows(db, sql, params)


def find_matches(
    db: sqlite3.Connection,
    today: date,
    *,
    recent_days: int,
    person_id: int | None = None,
    asker_ids: Sequence[int] | None = None,
    limit: int | None = None,
) -> list[Match]:
    """Ask ↔ offer pairs worth an introduction, best first.

    With ``person_id``: their asks, and the asks their offers could meet; with
    ``asker_ids``: only these people's asks.
    """
    from givenet.records.giving import Match
    from givenet.records.people import PersonRef

    # Past outcomes move pairs up or down a little: read a few more than asked for.
    found = _match_rows(
        db,
        today,
        recent_days=recent_days,
        person_id=person_id,
        asker_ids=asker_ids,
        limit=None if limit is None else limit + LEARNING_ROOM,
    )
    history = _outcomes_by_need(db) if found else {}
    pairs = []
    for row in found:
        score, why = row[8], row[10]
        if history:
            from givenet.matching import learned
            from givenet.meaning import concepts

            needs = concepts(row[1]).needs & concepts(row[5]).needs
            change, said = learned({need: history.get((need, row[4]), (0, 0)) for need in needs})
            if change:
                score = round(score + change, 3)
                why = "; ".join(part for part in (why, said) if part)
        pairs.append(
            Match(
                ask_id=row[0],
                ask=row[1],
                asker=PersonRef(row[2], row[3]),
                offer_id=row[4],
                offer=row[5],
                helper=PersonRef(row[6], row[7]),
                score=score,
                matched=tuple(json.loads(row[9])) if row[9] else (),
                why=why,
            )
        )
    pairs.sort(key=lambda m: (-m.score, m.ask_id, m.offer_id))
    return pairs[:limit] if limit is not None else pairs


# How many pairs past the limit `match` reads, for past outcomes to lift into it.
LEARNING_ROOM = 20
# How many of the latest settled intros and not-a-fit marks are learned from.
LEARNING_DEPTH = 200


def _outcomes_by_need(db: sqlite3.Connection) -> dict[tuple[str, int], tuple[int, int]]:
    """{(need, offer id): (intros that helped, that were no fit or marked not a fit)}: how
    each offer did for asks of each need, from the latest settled intros made for an
    ask with that offer and the latest pairs marked not a fit."""
    from givenet.meaning import concepts

    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    settled = rows(
        db,
        "SELECT intro.status = ?, ask.text, offer.text, offer.id FROM intro "
        "JOIN ask ON ask.id = intro.ask_id JOIN offer ON offer.id = intro.offer_id "
        "WHERE intro.status IN (?, ?) ORDER BY intro.status_on DESC, intro.id DESC LIMIT ?",
        [HELPED, HELPED, IntroStatus.no_fit.value, LEARNING_DEPTH],
    )
    marked = rows(
        db,
        "SELECT 0, ask.text, offer.text, offer.id FROM match_rejection AS no "
        "JOIN ask ON ask.id = no.ask_id JOIN offer ON offer.id = no.offer_id "
        "ORDER BY no.rejected_on DESC LIMIT ?",
        [LEARNING_DEPTH],
    )
    for helped, ask_text, offer_text, offer_id in settled + marked:
        for need in concepts(ask_text).needs & concepts(offer_text).needs:
            counts[need, offer_id][0 if helped else 1] += 1
    return {key: (helped, missed) for key, (helped, missed) in counts.items()}


def _match_dict(row: Any) -> dict[str, Any]:
    """A match as the morning list's facts read it (``store/ranking.py``)."""
    return {
        "ask_id": row[0],
        "ask": row[1],
        "asker": {"id": row[2], "name": row[3]},
        "offer_id": row[4],
        "offer": row[5],
        "helper": {"id": row[6], "name": row[7]},
        "score": row[8],
        "matched": json.loads(row[9]) if row[9] else [],
        "why": row[10],
    }


def best_match_per_asker(
    db: sqlite3.Connection, today: date, recent_days: int, asker_ids: Sequence[int]
) -> dict[int, dict[str, Any]]:
    """For the morning list: each asker's strongest possible intro."""
    best: dict[int, dict[str, Any]] = {}
    for chunk in chunks(asker_ids):
        for row in _match_rows(db, today, recent_days=recent_days, asker_ids=chunk):
            if row[2] not in best:  # rows come best first
                best[row[2]] = _match_dict(row)
    return best


def helped_well_counts(db: sqlite3.Connection, person_ids: Sequence[int]) -> dict[int, int]:
    """Intros that helped, and asks met by the user's gifts, per person."""
    counts: Counter[int] = Counter()
    for chunk in chunks(person_ids, IN_CHUNK // 3):  # each id is bound three times
        marks = placeholders(len(chunk))
        for (person_id,) in rows(
            db,
            f"SELECT person_a_id FROM intro WHERE status = '{HELPED}' AND person_a_id IN ({marks}) "
            f"UNION ALL SELECT person_b_id FROM intro WHERE status = '{HELPED}' "
            f"AND person_b_id IN ({marks}) "
            f"UNION ALL SELECT person_id FROM give WHERE direction = 'gave' AND ask_id IS NOT NULL "
            f"AND person_id IN ({marks})",
            [*chunk, *chunk, *chunk],
        ):
            counts[person_id] += 1
    return dict(counts)


def pending_intros(
    db: sqlite3.Connection, person_ids: Sequence[int]
) -> dict[int, list[tuple[int, str, str, str]]]:
    """Open intros per person: (intro id, the other person's name, status, status date)."""
    found: dict[int, list[tuple[int, str, str, str]]] = defaultdict(list)
    for chunk in chunks(person_ids, IN_CHUNK // 3):  # each id is bound twice, and the statuses
        wanted = set(chunk)
        marks = placeholders(len(chunk))
        # One arm per side, each through its index (an OR of the two scanned every intro).
        arm = (
            "SELECT intro.id, intro.status, intro.status_on, a.id, a.name, b.id, b.name "
            "FROM intro JOIN person a ON a.id = intro.person_a_id "
            "JOIN person b ON b.id = intro.person_b_id "
            f"WHERE intro.status IN ({placeholders(len(OPEN_INTRO_STATUSES))}) "
        )
        for intro_id, status, status_on, a_id, a_name, b_id, b_name in rows(
            db,
            f"{arm} AND intro.person_a_id IN ({marks}) "
            f"UNION {arm} AND intro.person_b_id IN ({marks}) ORDER BY 1",
            [*OPEN_INTRO_STATUSES, *chunk, *OPEN_INTRO_STATUSES, *chunk],
        ):
            if a_id in wanted:
                found[a_id].append((intro_id, b_name, status, status_on))
            if b_id in wanted:
                found[b_id].append((intro_id, a_name, status, status_on))
    return found


# --- introductions ------------------------------------------------------------------


def list_intros(db: sqlite3.Connection, *, only_open: bool = False) -> list[IntroLine]:
    """Introductions and where each stands, newest first (``only_open``: still under way)."""
    from givenet.records.intros import IntroLine
    from givenet.records.people import PersonRef

    where = f"WHERE intro.status IN ({placeholders(len(OPEN_INTRO_STATUSES))})" if only_open else ""
    found = rows(
        db,
        "SELECT intro.id, intro.date, intro.status, intro.status_on, intro.ask_id, ask.text, "
        "intro.offer_id, intro.note, a.id, a.name, b.id, b.name FROM intro "
        "JOIN person a ON a.id = intro.person_a_id JOIN person b ON b.id = intro.person_b_id "
        f"LEFT JOIN ask ON ask.id = intro.ask_id {where} ORDER BY intro.date DESC, intro.id DESC",
        list(OPEN_INTRO_STATUSES) if only_open else [],
    )
    to_day = date.fromisoformat
    return [
        IntroLine(
            id=row[0],
            date=to_day(row[1]),
            status=row[2],
            status_on=to_day(row[3]),
            ask_id=row[4],
            ask=row[5],
            offer_id=row[6],
            note=row[7],
            people=(PersonRef(row[8], row[9]), PersonRef(row[10], row[11])),
        )
        for row in found
    ]


# --- who ---------------------------------------------------------------------------


def who(db: sqlite3.Connection, text: str, limit: int) -> list[WhoFound]:
    """People who could help with a need: their offers (by their words and by the
    need they meet, in any words), tags, role, org and notes."""
    from givenet.matching import (
        WhoEvidence,
        fts_query,
        marked_words,
        meanings_disagree,
        score_who,
        search_terms,
        with_closeness,
    )
    from givenet.meaning import capacity_offered, concepts, meaning_query, people_needed
    from givenet.records.who import OfferRef, WhoFound
    from givenet.store.dialect import search
    from givenet.store.listing import build_people
    from givenet.store.vectors import text_closeness

    query = fts_query(search_terms(text))
    if query is None:
        raise InvalidInput(f"{text.strip()!r} has no words to search for; say what is needed")
    meaning = concepts(text)
    need_count = people_needed(text)
    hits: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    offers: dict[int, list[OfferRef]] = defaultdict(list)
    seen: set[int] = set()

    def same_needs(offer_text: str, offer_tags: str) -> list[str] | None:
        """The needs the offer meets, or None when it says another need (a false friend)
        or has fewer places than the people the need names (as `match` rules it out)."""
        offer_meaning = concepts(offer_text, offer_tags)
        if meanings_disagree(meaning, offer_meaning):
            return None
        room = capacity_offered(offer_text) if need_count is not None else None
        if need_count is not None and room is not None and room < need_count:
            return None
        return sorted(meaning.needs & offer_meaning.needs)

    offer_fts = search(db, "offer_fts")
    for offer_id, person_id, offer_text, offer_tags, text_marks, tag_marks in rows(
        db,
        f"SELECT offer.id, offer.person_id, offer.text, offer_fts.tags, {offer_fts.mark(0)}, "
        f"{offer_fts.mark(1)} FROM {offer_fts.source} "
        "JOIN offer ON offer.id = offer_fts.rowid AND offer.status = 'active' "
        f"WHERE {offer_fts.match} ORDER BY {offer_fts.rank} LIMIT 500",
        [offer_fts.query(query)],
    ):
        seen.add(offer_id)
        words = marked_words(text_marks) + marked_words(tag_marks)
        needs = same_needs(offer_text, offer_tags)
        if words and needs is not None:
            hits[person_id]["offer"].extend(words)
            hits[person_id]["need"].extend(needs)
            offers[person_id].append(OfferRef(offer_id, offer_text))
    need_query = meaning_query(meaning)
    if need_query is not None:
        for offer_id, person_id, offer_text, offer_tags in rows(
            db,
            f"SELECT offer.id, offer.person_id, offer.text, offer_fts.tags FROM {offer_fts.source} "
            "JOIN offer ON offer.id = offer_fts.rowid AND offer.status = 'active' "
            f"WHERE {offer_fts.match} ORDER BY offer_fts.rowid DESC LIMIT 500",
            [offer_fts.query(need_query)],
        ):
            if offer_id in seen:
                continue
            needs = same_needs(offer_text, offer_tags)
            if needs:
                hits[person_id]["need"].extend(needs)
                offers[person_id].append(OfferRef(offer_id, offer_text))
    person_fts = search(db, "person_fts")
    for person_id, tag_marks, role_marks, org_marks, note_marks in rows(
        db,
        f"SELECT rowid, {person_fts.mark(1)}, {person_fts.mark(2)}, "
        f"{person_fts.mark(3)}, {person_fts.mark(4)} FROM {person_fts.source} "
        f"WHERE {person_fts.match} ORDER BY {person_fts.rank} LIMIT 500",
        [person_fts.query(query)],
    ):
        hits[person_id]["tag"].extend(marked_words(tag_marks))
        hits[person_id]["role"].extend(marked_words(role_marks) + marked_words(org_marks))
        hits[person_id]["note"].extend(marked_words(note_marks))
    close = text_closeness(db, text, [o.id for found in offers.values() for o in found])
    scored: dict[int, Scored] = {}
    for person_id, found in hits.items():
        result = score_who(
            WhoEvidence(
                offer_hits=tuple(dict.fromkeys(found["offer"])),
                tag_hits=tuple(dict.fromkeys(found["tag"])),
                role_org_hits=tuple(dict.fromkeys(found["role"])),
                note_hits=tuple(dict.fromkeys(found["note"])),
                needs=tuple(dict.fromkeys(found["need"])),
            )
        )
        nearest = [close[o.id] for o in offers.get(person_id, ()) if o.id in close]
        if nearest and result.score > 0:  # as `match` weighs a pair (``with_closeness``)
            score = with_closeness(
                result.score,
                tagged=bool(found["tag"] or found["role"] or found["note"]),
                same_need=bool(found["need"]),
                needs_disagree=False,
                close=max(nearest),
            )
            result = replace(result, score=score or 0.0)
        if result.score > 0:
            scored[person_id] = result
    if not scored:
        return []

    def found_one(*fields: Any) -> WhoFound:  # a person's fields, in PersonRow's order
        result = scored[fields[0]]
        # The fields as one tuple: mypy cannot count what a star unpacks.
        return WhoFound(
            *(
                *fields,
                result.score,
                tuple(result.matched),
                tuple(offers.get(fields[0], ())),
                result.why,
            )
        )

    people = build_people(db, found_one, list(scored))
    people.sort(key=lambda person: (-person.score, person.name.casefold(), person.id))
    return people[:limit]


# --- tags --------------------------------------------------------------------------------


# How many records carry each tag: what proposing a tag for an untagged ask or offer weighs.
# Counted per tag through each link table's tag index: a few milliseconds at 20,000
# people, where counting the union of the links reads every row (about 100 ms).
TAG_USES = """
SELECT name, uses FROM (
  SELECT tag.name AS name,
    (SELECT COUNT(*) FROM ask_tag WHERE tag_id = tag.id)
    + (SELECT COUNT(*) FROM offer_tag WHERE tag_id = tag.id)
    + (SELECT COUNT(*) FROM person_tag WHERE tag_id = tag.id)
    + (SELECT COUNT(*) FROM event_tag WHERE tag_id = tag.id) AS uses
  FROM tag) AS counted
WHERE uses > 0
"""


def proposed_tags(db: sqlite3.Connection, text: str) -> tuple[str, ...]:
    """The tags in use that fit an ask's or an offer's text best (``matching.closest_tags``)."""
    from givenet.matching import closest_tags

    return closest_tags(text, [(name, uses) for name, uses in rows(db, TAG_USES)])


def list_tags(db: sqlite3.Connection) -> list[TagUse]:
    """The tags in use, most used first, with how many of each kind of record carry them."""
    from givenet.records.tags import TagUse

    counts = """
    SELECT tag.id, tag.name,
      (SELECT COUNT(*) FROM person_tag WHERE tag_id = tag.id),
      (SELECT COUNT(*) FROM ask_tag WHERE tag_id = tag.id),
      (SELECT COUNT(*) FROM offer_tag WHERE tag_id = tag.id),
      (SELECT COUNT(*) FROM event_tag WHERE tag_id = tag.id),
      (SELECT COUNT(*) FROM me_tag WHERE tag_id = tag.id)
    FROM tag ORDER BY tag.key
    """
    result = []
    for tag_id, name, people, asks, offers, events, mine in rows(db, counts):
        total = people + asks + offers + events + mine
        if total:
            result.append(
                TagUse(
                    id=tag_id,
                    name=name,
                    people=people,
                    asks=asks,
                    offers=offers,
                    events=events,
                    yours=bool(mine),
                    total=total,
                )
            )
    result.sort(key=lambda tag: (-tag.total, tag.name.casefold()))
    return _with_near_duplicates(result)


def _with_near_duplicates(tags: list[TagUse]) -> list[TagUse]:
    """Each tag that near-duplicates a more used one, with the `tag rename` that merges it."""
    import shlex
    from dataclasses import replace

    from givenet.matching import near_duplicate_tags

    found = {d.tag: d for d in near_duplicate_tags([(tag.name, tag.total) for tag in tags])}
    return [
        replace(
            tag,
            merge_into=duplicate.into,
            because=duplicate.because,
            merge=shlex.join(["givenet", "tag", "rename", tag.name, duplicate.into]),
        )
        if (duplicate := found.get(tag.name))
        else tag
        for tag in tags
    ]


# --- stats ---------------------------------------------------------------------------------


def network_stats(db: sqlite3.Connection, today: date, overdue_count: int) -> NetworkStats:
    """Network health: layers, overdue check-ins, asks, intros, the giving balance."""
    from givenet.records.stats import (
        AskCounts,
        GivingBalance,
        IntroCounts,
        Layer,
        NetworkStats,
        PersonCount,
        SuggestionCounts,
    )
    from givenet.rules import nested_layers

    since = (today - timedelta(days=90)).isoformat()
    circles = dict(rows(db, "SELECT circle, COUNT(*) FROM person GROUP BY circle"))
    intro_counts = Counter(dict(rows(db, "SELECT status, COUNT(*) FROM intro GROUP BY status")))
    settled = sum(intro_counts[status] for status in SETTLED_STATUSES)
    given = rows(
        db,
        "SELECT person.id, person.name, SUM(CASE WHEN give.direction = 'gave' THEN 1 ELSE 0 END), SUM(CASE WHEN give.direction = 'got' THEN 1 ELSE 0 END) "
        "FROM give JOIN person ON person.id = give.person_id WHERE give.date >= ? "
        "GROUP BY person.id",
        [since],
    )

    def asks_with(status: str) -> int:
        return int(
            scalar(
                db,
                "SELECT COUNT(*) FROM ask WHERE status = ? AND resolved_on >= ?",
                [status, since],
            )
        )

    def most(column: int) -> tuple[PersonCount, ...]:
        ranked = sorted(given, key=lambda r: (-(r[column] or 0), r[1]))[:5]
        return tuple(PersonCount(r[0], r[1], r[column]) for r in ranked if r[column])

    return NetworkStats(
        date=today,
        people=int(scalar(db, "SELECT COUNT(*) FROM person")),
        acquaintances=circles.get("acquaintance", 0),
        layers=tuple(Layer(**layer) for layer in nested_layers(circles)),  # type: ignore[arg-type]
        overdue_check_ins=overdue_count,
        asks=AskCounts(
            open=int(scalar(db, "SELECT COUNT(*) FROM ask WHERE status = 'open'")),
            met_last_90_days=asks_with("met"),
            dropped_last_90_days=asks_with("dropped"),
        ),
        intros=IntroCounts(
            by_status={status: intro_counts.get(status, 0) for status in INTRO_MOVES},
            settled=settled,
            helped_share=round(intro_counts[HELPED] / settled, 3) if settled else None,
        ),
        suggestions=SuggestionCounts(
            taken=int(
                scalar(
                    db,
                    "SELECT COUNT(*) FROM intro WHERE ask_id IS NOT NULL AND status != ?",
                    [IntroStatus.declined.value],
                )
            ),
            not_a_fit=int(scalar(db, "SELECT COUNT(*) FROM match_rejection")),
            helped=int(
                scalar(
                    db,
                    "SELECT COUNT(*) FROM intro WHERE ask_id IS NOT NULL AND status = ?",
                    [HELPED],
                )
            ),
        ),
        giving_last_90_days=GivingBalance(
            gave=sum(row[2] or 0 for row in given),
            got=sum(row[3] or 0 for row in given),
            most_given_to=most(2),
            most_given_by=most(3),
        ),
    )


def ask_and_offer_counts(db: sqlite3.Connection, person_id: int | None) -> tuple[int, int, int]:
    """(asks, open asks, active offers) of one person, or of everyone: why a match is empty."""
    where, params = ("WHERE person_id = ?", [person_id]) if person_id is not None else ("", [])
    [(asks, open_asks)] = rows(
        db, f"SELECT count(*), count(*) FILTER (WHERE status = 'open') FROM ask {where}", params
    )
    offers = scalar(
        db,
        f"SELECT count(*) FROM offer {where} {'AND' if where else 'WHERE'} status = 'active'",
        params,
    )
    return asks, open_asks, int(offers or 0)

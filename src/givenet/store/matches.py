"""Reading the candidate matches and the state of introductions: plain SQL only.

The morning list reads these for every person it ranks, so this module imports
nothing heavier than sqlite3 (see ``store/sql.py``).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from givenet.store.sql import Db, placeholders, rows

# Intros whose outcome is not known yet.
OPEN_INTRO_STATUSES = ("suggested", "asked", "made", "met")

# --- matches --------------------------------------------------------------------

# The join order is fixed (CROSS JOIN) so that SQLite starts where the question does:
# from the best candidates (the whole list, read in score order and stopped at the
# limit) or from given askers' asks (the morning list, a briefing).
BY_SCORE = "match_candidate AS mc CROSS JOIN ask ON ask.id = mc.ask_id"
BY_ASKER = "ask CROSS JOIN match_candidate AS mc ON mc.ask_id = ask.id"
MATCHES = """
SELECT mc.ask_id, ask.text, asker.id, asker.name, offer.id, offer.text, helper.id, helper.name,
       mc.score, mc.matched
FROM {driver}
CROSS JOIN offer ON offer.id = mc.offer_id AND offer.status = 'active'
CROSS JOIN person AS asker ON asker.id = ask.person_id AND asker.no_intros = 0
CROSS JOIN person AS helper ON helper.id = offer.person_id AND helper.no_intros = 0
WHERE asker.id != helper.id AND +ask.status = 'open'
  AND NOT EXISTS (
      SELECT 1 FROM intro WHERE intro.status != 'declined' AND (
          (intro.ask_id = ask.id AND helper.id IN (intro.person_a_id, intro.person_b_id))
          OR (intro.date >= :recent_since AND (
              (intro.person_a_id = asker.id AND intro.person_b_id = helper.id)
              OR (intro.person_a_id = helper.id AND intro.person_b_id = asker.id)))))
"""


def _match_dict(row: Any) -> dict[str, Any]:
    return {
        "ask_id": row[0],
        "ask": row[1],
        "asker": {"id": row[2], "name": row[3]},
        "offer_id": row[4],
        "offer": row[5],
        "helper": {"id": row[6], "name": row[7]},
        "score": row[8],
        "matched": json.loads(row[9]) if row[9] else [],
    }


def list_matches(
    db: Db,
    today: date,
    *,
    recent_days: int,
    person_id: int | None = None,
    asker_ids: Sequence[int] | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Ask ↔ offer pairs worth an introduction, best first.

    With ``person_id``: their asks, and the asks their offers could meet.
    """
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
    return [_match_dict(row) for row in rows(db, sql, params)]


def best_match_per_asker(
    db: Db, today: date, recent_days: int, asker_ids: Sequence[int]
) -> dict[int, dict[str, Any]]:
    """For the morning list: each asker's strongest possible intro."""
    best: dict[int, dict[str, Any]] = {}
    for start in range(0, len(asker_ids), 400):
        chunk = list(asker_ids[start : start + 400])
        for match in list_matches(db, today, recent_days=recent_days, asker_ids=chunk):
            best.setdefault(match["asker"]["id"], match)  # rows come best first
    return best


def helped_well_counts(db: Db, person_ids: Sequence[int]) -> dict[int, int]:
    """Intros that helped, and asks met by the user's gifts, per person."""
    counts: Counter[int] = Counter()
    for start in range(0, len(person_ids), 400):
        chunk = list(person_ids[start : start + 400])
        marks = placeholders(len(chunk))
        for (person_id,) in rows(
            db,
            f"SELECT person_a_id FROM intro WHERE status = 'helped' AND person_a_id IN ({marks}) "
            f"UNION ALL SELECT person_b_id FROM intro WHERE status = 'helped' AND person_b_id IN ({marks}) "
            f"UNION ALL SELECT person_id FROM give WHERE direction = 'gave' AND ask_id IS NOT NULL "
            f"AND person_id IN ({marks})",
            [*chunk, *chunk, *chunk],
        ):
            counts[person_id] += 1
    return dict(counts)


def pending_intros(db: Db, person_ids: Sequence[int]) -> dict[int, list[tuple[int, str, str, str]]]:
    """Open intros per person: (intro id, the other person's name, status, status date)."""
    found: dict[int, list[tuple[int, str, str, str]]] = defaultdict(list)
    for start in range(0, len(person_ids), 400):
        chunk = list(person_ids[start : start + 400])
        marks = placeholders(len(chunk))
        for intro_id, status, status_on, a_id, a_name, b_id, b_name in rows(
            db,
            "SELECT intro.id, intro.status, intro.status_on, a.id, a.name, b.id, b.name FROM intro "
            "JOIN person a ON a.id = intro.person_a_id JOIN person b ON b.id = intro.person_b_id "
            f"WHERE intro.status IN ({placeholders(len(OPEN_INTRO_STATUSES))}) "
            f"AND (a.id IN ({marks}) OR b.id IN ({marks})) ORDER BY intro.id",
            [*OPEN_INTRO_STATUSES, *chunk, *chunk],
        ):
            if a_id in chunk:
                found[a_id].append((intro_id, b_name, status, status_on))
            if b_id in chunk:
                found[b_id].append((intro_id, a_name, status, status_on))
    return found

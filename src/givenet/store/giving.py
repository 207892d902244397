"""The network of giving: matches, introductions and their outcomes, `who`, tags, stats."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from givenet.errors import Conflict, InvalidInput
from givenet.matching import (
    HIT_END,
    HIT_START,
    WhoEvidence,
    fts_query,
    marked_words,
    score_who,
    search_terms,
)
from givenet.models import Ask, Give, Intro, Person
from givenet.rules import nested_layers
from givenet.store import search
from givenet.store.common import (
    clean_optional,
    clean_tags,
    execute,
    get_record,
    now,
    placeholders,
    rows,
    scalar,
)
from givenet.store.listing import people_as_dicts
from givenet.store.matches import (  # noqa: F401  (re-exported for the CLI)
    OPEN_INTRO_STATUSES,
    best_match_per_asker,
    helped_well_counts,
    list_matches,
    pending_intros,
)

# Intro moves (double opt-in): the statuses each one may move to.
INTRO_MOVES: dict[str, tuple[str, ...]] = {
    "suggested": ("asked", "made", "declined"),
    "asked": ("made", "declined"),
    "made": ("met", "no-fit", "fizzled"),
    "met": ("helped", "no-fit", "fizzled"),
    "helped": (),
    "no-fit": (),
    "fizzled": (),
    "declined": (),
}
# From "made" on, the user has given both people something: the ledger says so.
GIVEN_STATUSES = ("made", "met", "helped", "no-fit", "fizzled")

# --- introductions ------------------------------------------------------------------


def _add_gave_lines(session: Session, intro: Intro, day: date) -> None:
    if scalar(session, "SELECT COUNT(*) FROM give WHERE intro_id = ?", [intro.id]):
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
    search.match_ask(session, ask.id)  # type: ignore[arg-type]
    return ask


def _on_status(session: Session, intro: Intro, day: date, *, keep_open: bool) -> Ask | None:
    """What a status brings: the ledger's gave lines from "made" on; "helped" meets the ask."""
    if intro.status in GIVEN_STATUSES:
        _add_gave_lines(session, intro, day)
    else:  # moved back before "made" (with --force): nothing was given yet
        execute(session, "DELETE FROM give WHERE intro_id = ?", [intro.id])
    if intro.status == "helped" and not keep_open:
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
            session,
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
        allowed = ", ".join(legal) if legal else "none (it is settled)"
        raise Conflict(
            f"intro #{intro.id} is {intro.status}; it can move to: {allowed} "
            "(--force corrects a mistake)"
        )
    intro.status, intro.status_on = status, day
    if note:
        cleaned = clean_optional(note, "a note")
        intro.note = f"{intro.note}\n{cleaned}" if intro.note else cleaned
    session.add(intro)
    session.flush()
    resolved = _on_status(session, intro, day, keep_open=keep_open)
    return intro, resolved


def list_intros(session: Session, *, only_open: bool = False) -> list[dict[str, Any]]:
    where = f"WHERE intro.status IN ({placeholders(len(OPEN_INTRO_STATUSES))})" if only_open else ""
    found = rows(
        session,
        "SELECT intro.id, intro.date, intro.status, intro.status_on, intro.ask_id, ask.text, "
        "intro.offer_id, intro.note, a.id, a.name, b.id, b.name FROM intro "
        "JOIN person a ON a.id = intro.person_a_id JOIN person b ON b.id = intro.person_b_id "
        f"LEFT JOIN ask ON ask.id = intro.ask_id {where} ORDER BY intro.date DESC, intro.id DESC",
        list(OPEN_INTRO_STATUSES) if only_open else [],
    )
    return [
        {
            "id": row[0],
            "date": row[1],
            "status": row[2],
            "status_on": row[3],
            "ask_id": row[4],
            "ask": row[5],
            "offer_id": row[6],
            "note": row[7],
            "people": [{"id": row[8], "name": row[9]}, {"id": row[10], "name": row[11]}],
        }
        for row in found
    ]


# --- who ---------------------------------------------------------------------------


def who(session: Session, text: str, limit: int) -> list[dict[str, Any]]:
    """People who could help with a need: their offers, tags, role, org and notes."""
    query = fts_query(search_terms(text))
    if query is None:
        raise InvalidInput(f"{text.strip()!r} has no words to search for; say what is needed")
    hits: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    offers: dict[int, list[dict[str, Any]]] = defaultdict(list)

    def mark(column: int, table: str) -> str:
        return f"highlight({table}, {column}, '{HIT_START}', '{HIT_END}')"

    for offer_id, person_id, offer_text, text_marks, tag_marks in rows(
        session,
        f"SELECT offer.id, offer.person_id, offer.text, {mark(0, 'offer_fts')}, {mark(1, 'offer_fts')} "
        "FROM offer_fts JOIN offer ON offer.id = offer_fts.rowid AND offer.status = 'active' "
        "WHERE offer_fts MATCH ? ORDER BY rank LIMIT 500",
        [query],
    ):
        words = marked_words(text_marks) + marked_words(tag_marks)
        if words:
            hits[person_id]["offer"].extend(words)
            offers[person_id].append({"id": offer_id, "text": offer_text})
    for person_id, tag_marks, role_marks, org_marks, note_marks in rows(
        session,
        f"SELECT rowid, {mark(1, 'person_fts')}, {mark(2, 'person_fts')}, {mark(3, 'person_fts')}, "
        f"{mark(4, 'person_fts')} FROM person_fts WHERE person_fts MATCH ? ORDER BY rank LIMIT 500",
        [query],
    ):
        hits[person_id]["tag"].extend(marked_words(tag_marks))
        hits[person_id]["role"].extend(marked_words(role_marks) + marked_words(org_marks))
        hits[person_id]["note"].extend(marked_words(note_marks))
    scored = []
    for person_id, found in hits.items():
        result = score_who(
            WhoEvidence(
                offer_hits=tuple(dict.fromkeys(found["offer"])),
                tag_hits=tuple(dict.fromkeys(found["tag"])),
                role_org_hits=tuple(dict.fromkeys(found["role"])),
                note_hits=tuple(dict.fromkeys(found["note"])),
            )
        )
        if result.score > 0:
            scored.append((person_id, result))
    if not scored:
        return []
    people = {
        person["id"]: person
        for person in people_as_dicts(session, [person_id for person_id, _ in scored])
    }
    scored.sort(key=lambda item: (-item[1].score, people[item[0]]["name"].casefold(), item[0]))
    # Each person in the shape of `list --json`, with what matched and their offers.
    return [
        {
            **people[person_id],
            "score": result.score,
            "matched": list(result.matched),
            "offers": offers.get(person_id, []),
        }
        for person_id, result in scored[:limit]
    ]


# --- tags --------------------------------------------------------------------------------


def list_tags(session: Session) -> list[dict[str, Any]]:
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
    for tag_id, name, people, asks, offers, events, mine in rows(session, counts):
        total = people + asks + offers + events + mine
        if total == 0:
            continue
        result.append(
            {
                "id": tag_id,
                "name": name,
                "people": people,
                "asks": asks,
                "offers": offers,
                "events": events,
                "yours": bool(mine),
                "total": total,
            }
        )
    result.sort(key=lambda tag: (-tag["total"], tag["name"].casefold()))
    return result


TAG_LINKS = (
    ("person_tag", "person_id"),
    ("ask_tag", "ask_id"),
    ("offer_tag", "offer_id"),
    ("event_tag", "event_id"),
    ("me_tag", None),
)


def rename_tag(session: Session, old: str, new: str) -> tuple[str, str, bool]:
    """Rename a tag, or merge it into an existing one; re-match what carried it."""
    [old_name] = clean_tags([old]) or [""]
    [new_name] = clean_tags([new]) or [""]
    if not old_name or not new_name:
        raise InvalidInput("name the tag to rename and its new name")
    source = rows(session, "SELECT id, name FROM tag WHERE key = ?", [old_name.casefold()])
    if not source:
        raise InvalidInput(f"no tag called {old_name!r}; `givenet tags` lists them")
    source_id, source_name = source[0]
    target = rows(session, "SELECT id FROM tag WHERE key = ?", [new_name.casefold()])
    affected_people = [
        r[0]
        for r in rows(session, "SELECT person_id FROM person_tag WHERE tag_id = ?", [source_id])
    ]
    affected_asks = [
        r[0] for r in rows(session, "SELECT ask_id FROM ask_tag WHERE tag_id = ?", [source_id])
    ]
    affected_offers = [
        r[0] for r in rows(session, "SELECT offer_id FROM offer_tag WHERE tag_id = ?", [source_id])
    ]
    merged = bool(target) and target[0][0] != source_id
    if merged:
        target_id = target[0][0]
        for table, owner in TAG_LINKS:
            if owner is None:
                execute(
                    session,
                    f"INSERT OR IGNORE INTO {table} (tag_id) SELECT ? FROM {table} WHERE tag_id = ?",
                    [target_id, source_id],
                )
            else:
                execute(
                    session,
                    f"INSERT OR IGNORE INTO {table} ({owner}, tag_id) "
                    f"SELECT {owner}, ? FROM {table} WHERE tag_id = ?",
                    [target_id, source_id],
                )
        execute(session, "DELETE FROM tag WHERE id = ?", [source_id])
    else:
        execute(
            session,
            "UPDATE tag SET name = ?, key = ? WHERE id = ?",
            [new_name, new_name.casefold(), source_id],
        )
    session.expire_all()
    for person_id in affected_people:
        search.person_written(session, person_id)
    for ask_id in affected_asks:
        search.ask_written(session, ask_id)
    for offer_id in affected_offers:
        search.offer_written(session, offer_id)
    return source_name, new_name, merged


# --- stats ---------------------------------------------------------------------------------


def network_stats(session: Session, today: date, overdue_count: int) -> dict[str, Any]:
    """Network health: layers, overdue check-ins, asks, intros, the giving balance."""
    since = (today - timedelta(days=90)).isoformat()
    circles = dict(rows(session, "SELECT circle, COUNT(*) FROM person GROUP BY circle"))
    layers = nested_layers(circles)
    intro_counts = Counter(
        dict(rows(session, "SELECT status, COUNT(*) FROM intro GROUP BY status"))
    )
    settled = sum(intro_counts[s] for s in ("helped", "no-fit", "fizzled"))
    given = rows(
        session,
        "SELECT person.id, person.name, SUM(give.direction = 'gave'), SUM(give.direction = 'got') "
        "FROM give JOIN person ON person.id = give.person_id WHERE give.date >= ? "
        "GROUP BY person.id",
        [since],
    )
    return {
        "date": today.isoformat(),
        "people": scalar(session, "SELECT COUNT(*) FROM person"),
        "acquaintances": circles.get("acquaintance", 0),
        "layers": layers,
        "overdue_check_ins": overdue_count,
        "asks": {
            "open": scalar(session, "SELECT COUNT(*) FROM ask WHERE status = 'open'"),
            "met_last_90_days": scalar(
                session,
                "SELECT COUNT(*) FROM ask WHERE status = 'met' AND resolved_on >= ?",
                [since],
            ),
            "dropped_last_90_days": scalar(
                session,
                "SELECT COUNT(*) FROM ask WHERE status = 'dropped' AND resolved_on >= ?",
                [since],
            ),
        },
        "intros": {
            "by_status": {status: intro_counts.get(status, 0) for status in INTRO_MOVES},
            "settled": settled,
            "helped_share": round(intro_counts["helped"] / settled, 3) if settled else None,
        },
        "giving_last_90_days": {
            "gave": sum(row[2] or 0 for row in given),
            "got": sum(row[3] or 0 for row in given),
            "most_given_to": [
                {"id": r[0], "name": r[1], "count": r[2]}
                for r in sorted(given, key=lambda r: (-(r[2] or 0), r[1]))[:5]
                if r[2]
            ],
            "most_given_by": [
                {"id": r[0], "name": r[1], "count": r[3]}
                for r in sorted(given, key=lambda r: (-(r[3] or 0), r[1]))[:5]
                if r[3]
            ],
        },
    }

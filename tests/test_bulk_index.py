"""The bulk passes over the search index give what the one-at-a-time writes give (issue 16)."""

from __future__ import annotations

import sqlite3

import pytest

from givenet.store import search
from test_query_plans import build_network


def _candidates(connection: sqlite3.Connection) -> list[tuple]:
    return connection.execute(
        "SELECT ask_id, offer_id, score, matched, why FROM match_candidate ORDER BY ask_id, offer_id"
    ).fetchall()


@pytest.mark.slow
def test_match_asks_in_bulk_equals_one_ask_at_a_time(tmp_path):
    path = tmp_path / "network.db"
    build_network(path, 300, analyze=False)
    connection = sqlite3.connect(path)
    asks = [row[0] for row in connection.execute("SELECT id FROM ask ORDER BY id")]
    kept = search.match_asks(connection, asks)
    bulk = _candidates(connection)
    # Asks that search for the same words share one search: there must be some here,
    # and askers with an offer among the hits, for the comparison to mean anything.
    assert kept == len(bulk) > 500
    connection.execute("DELETE FROM match_candidate")
    for ask_id in reversed(asks):
        search.match_asks(connection, [ask_id])
    assert _candidates(connection) == bulk
    connection.close()


@pytest.mark.slow
def test_rebuild_all_in_bulk_rebuilds_the_same_indexes(tmp_path):
    path = tmp_path / "network.db"
    build_network(path, 150, analyze=False)
    connection = sqlite3.connect(path)
    search.rebuild_all(connection)
    tables = ("person_fts", "ask_fts", "offer_fts", "match_candidate")
    before = {t: connection.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    for (person_id,) in connection.execute("SELECT id FROM person").fetchall():
        search.index_person(connection, person_id)
    for (ask_id,) in connection.execute("SELECT id FROM ask").fetchall():
        search.index_ask(connection, ask_id)
    for (offer_id,) in connection.execute("SELECT id FROM offer").fetchall():
        search.index_offer(connection, offer_id)
    after = {t: connection.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    assert after == before and len(before["offer_fts"]) == 150
    connection.close()


def test_a_rebuild_reads_everyones_notes_and_touches_in_one_pass_each_as_one_person_would(
    tmp_path, monkeypatch
):
    """``rebuild_all`` indexes everyone from two sorted streams of notes (``_NotesInOrder``)
    and refills person_touch by one sort; batches of 7 people here, so that a batch ends
    between one person's notes. The index and the touches are what writing each person
    alone gives (``index_person``, ``PERSON_TOUCH_RECOMPUTED``)."""
    from givenet import vocab
    from givenet.migrations import PERSON_TOUCH_RECOMPUTED

    monkeypatch.setattr(search, "chunks", lambda ids: vocab.chunks(ids, 7))
    path = tmp_path / "network.db"
    build_network(path, 150, analyze=False)
    connection = sqlite3.connect(path)
    connection.execute(
        "INSERT INTO note (person_id, date, text, created_at) SELECT id, '2026-01-01', "
        "'second note of ' || name, "
        "'2026-01-01' FROM person WHERE id % 3 = 0"
    )
    search.rebuild_all(connection, match=False)
    people = "SELECT rowid, * FROM person_fts ORDER BY rowid"
    rebuilt = connection.execute(people).fetchall()
    touches = connection.execute("SELECT * FROM person_touch ORDER BY person_id").fetchall()
    assert sum(bool(row[-1]) for row in rebuilt) > 100  # most have notes to index
    assert sum("\n" in row[-1] for row in rebuilt) > 50  # several notes: in their order
    for (person_id,) in connection.execute("SELECT id FROM person").fetchall():
        search.index_person(connection, person_id)
    assert connection.execute(people).fetchall() == rebuilt
    recomputed = connection.execute(f"{PERSON_TOUCH_RECOMPUTED} ORDER BY 1").fetchall()
    assert touches == recomputed and len(touches) > 100
    connection.close()


def test_an_offers_matches_below_a_full_lists_floor_are_not_explained_and_change_nothing(
    tmp_path, monkeypatch
):
    """``match_offers`` explains only the matches that can enter an ask's list: the
    candidates are those of explaining every match and trimming after, with fewer
    pairs explained (an import that changes many helpers' roles)."""
    import shutil

    path = tmp_path / "network.db"
    build_network(path, 300, analyze=False)
    connection = sqlite3.connect(path)
    open_asks = [row[0] for row in connection.execute("SELECT id FROM ask WHERE status = 'open'")]
    search.match_asks(connection, open_asks)
    connection.commit()
    connection.close()
    explained = {"count": 0}
    real_score_pair = search.score_pair

    def counted(*args, **kwargs):
        explained["count"] += 1
        return real_score_pair(*args, **kwargs)

    monkeypatch.setattr(search, "score_pair", counted)
    results = {}
    for way in ("floors", "every match"):
        copy = tmp_path / f"{way}.db"
        shutil.copy(path, copy)
        if way == "every match":
            monkeypatch.setattr(search, "full_list_floors", lambda db, ask_ids: {})
        connection = sqlite3.connect(copy)
        offers = [row[0] for row in connection.execute("SELECT id FROM offer ORDER BY id LIMIT 8")]
        explained["count"] = 0
        search.match_offers(connection, offers)
        results[way] = (_candidates(connection), explained["count"])
        connection.close()
    (with_floors, fewer), (every, more) = results["floors"], results["every match"]
    assert with_floors == every and len(every) > 1000
    assert 0 < fewer < more, (fewer, more)


@pytest.mark.slow
def test_match_offers_in_bulk_equals_one_offer_at_a_time(tmp_path, monkeypatch):
    """Without the trim (every candidate kept), the batched pass writes exactly the pairs
    that matching each offer alone writes; the trim then keeps each ask's best."""
    monkeypatch.setattr(search, "CANDIDATES_PER_ASK", 100_000)
    path = tmp_path / "network.db"
    build_network(path, 300, analyze=False)
    connection = sqlite3.connect(path)
    offers = [row[0] for row in connection.execute("SELECT id FROM offer ORDER BY id")]
    written = search.match_offers(connection, offers)
    bulk = _candidates(connection)
    assert written == len(bulk) > 500
    connection.execute("DELETE FROM match_candidate")
    for offer_id in reversed(offers):
        search.match_offer(connection, offer_id)
    assert _candidates(connection) == bulk
    monkeypatch.setattr(search, "CANDIDATES_PER_ASK", 3)
    # (from no candidates: lists longer than the new limit would be "full" lists that
    # lost candidates, which match_offers re-matches ask by ask)
    connection.execute("DELETE FROM match_candidate")
    search.match_offers(connection, offers)
    per_ask = connection.execute(
        "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM match_candidate GROUP BY ask_id)"
    ).fetchone()[0]
    best = connection.execute(
        "SELECT ask_id, offer_id FROM match_candidate ORDER BY ask_id, offer_id"
    ).fetchall()
    expected = sorted(
        (ask_id, offer_id)
        for ask_id in {row[0] for row in bulk}
        for offer_id in [
            o
            for _, o, *_ in sorted(
                (row for row in bulk if row[0] == ask_id), key=lambda row: (-row[2], row[1])
            )
        ][:3]
    )
    assert per_ask == 3 and best == expected
    connection.close()


@pytest.mark.slow
def test_an_offers_own_words_give_the_hits_that_the_index_gives(tmp_path):
    """An offer written reads the hits of the asks it meets from its own words
    (``found_among``); an ask written, from every offer that holds its words (``found``):
    the same hits, on every pair."""
    path = tmp_path / "network.db"
    build_network(path, 150, analyze=False)
    connection = sqlite3.connect(path)
    searcher = search._Searcher(connection)
    asks = search._asks(
        connection, [row[0] for row in connection.execute("SELECT id FROM ask")], searcher
    )
    offers = [row[0] for row in connection.execute("SELECT id FROM offer ORDER BY id")]
    pairs = hits = 0
    for ask in asks:
        from_index = searcher.found(ask, offers)
        assert searcher.found_among(ask, offers) == from_index
        pairs += len(from_index)
        hits += sum(bool(bits) for _, bits in from_index)
    assert pairs > 10_000 and hits > 500  # enough pairs, and enough that hit, to mean something
    connection.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    "to", ["gatherings", "second", "capitals"], ids=["new name", "merged", "case only"]
)
def test_a_tag_on_many_offers_renamed_leaves_the_candidates_a_rebuild_gives(
    tmp_path, run, monkeypatch, to
):
    """So many offers carry the tag that searching the asks from each would cost more
    than matching every open ask again: only the open asks the rename can reach are
    matched again (``search.Retagged``), and the result is exactly what `match
    --rebuild` then gives (the old tag's asks and offers included)."""
    path = tmp_path / "network.db"
    build_network(path, 300, analyze=False)
    connection = sqlite3.connect(path)
    search.rebuild_all(connection)
    connection.commit()
    (tag, offers), (second, _) = connection.execute(
        "SELECT tag.name, COUNT(*) FROM offer_tag JOIN tag ON tag.id = offer_tag.tag_id "
        "GROUP BY tag.id ORDER BY COUNT(*) DESC, tag.name LIMIT 2"
    ).fetchall()
    (open_asks,) = connection.execute("SELECT COUNT(*) FROM ask WHERE status = 'open'").fetchone()
    assert offers * search.OFFER_MATCH_COST > open_asks  # the case under test
    before = _candidates(connection)
    connection.close()
    new_name = {"gatherings": "gatherings", "second": second, "capitals": tag.upper()}[to]
    answers: list[bool] = []
    reaches = search.Retagged.reaches

    def counted(self, asks):
        reached = reaches(self, asks)
        return lambda ask, searcher: answers.append(reached(ask, searcher)) or answers[-1]

    monkeypatch.setattr(search.Retagged, "reaches", counted)
    run("--db", str(path), "tag", "rename", tag, new_name)
    # some open asks were left as they were, and some matched again
    assert 0 < answers.count(True) < len(answers) and len(answers) > open_asks / 2
    connection = sqlite3.connect(path)
    renamed = _candidates(connection)
    if to != "capitals":
        assert renamed != before  # the tag's words and meaning changed what matches
    search.rebuild_all(connection)
    assert _candidates(connection) == renamed
    connection.close()


@pytest.mark.slow
def test_a_tag_on_few_offers_merged_into_a_common_one_leaves_the_candidates_a_rebuild_gives(
    tmp_path, run, monkeypatch
):
    """A rename is matched again in Retagged's one pass however few offers carry the tag:
    searching the asks from each offer keeps only its most relevant (``REVERSE_DEPTH``,
    cut to 1 here, 300 in use), so the asks that carry the tag it is merged into were
    missed (806 asks at 20,000 people)."""
    monkeypatch.setattr(search, "REVERSE_DEPTH", 1)
    path = tmp_path / "network.db"
    build_network(path, 300, analyze=False)
    connection = sqlite3.connect(path)
    search.rebuild_all(connection)
    connection.commit()
    counts = connection.execute(
        "SELECT tag.name, COUNT(*) FROM offer_tag JOIN tag ON tag.id = offer_tag.tag_id "
        "GROUP BY tag.id ORDER BY COUNT(*) DESC, tag.name"
    ).fetchall()
    (common, _), (rare, few) = counts[0], counts[-1]
    (open_asks,) = connection.execute("SELECT COUNT(*) FROM ask WHERE status = 'open'").fetchone()
    assert few * search.OFFER_MATCH_COST < open_asks  # once matched from each offer
    connection.close()
    run("--db", str(path), "tag", "rename", rare, common)
    connection = sqlite3.connect(path)
    renamed = _candidates(connection)
    search.rebuild_all(connection)
    assert _candidates(connection) == renamed
    connection.close()


def test_only_a_pass_over_many_asks_with_ids_an_array_can_hold_adds_up_with_numpy():
    assert search.bulk_cuts(search.BULK_CUTS, 100_000)
    assert not search.bulk_cuts(search.BULK_CUTS - 1, 100_000)  # an ask or offer written
    # a database whose ids run past what an array of sums (and 32-bit ids) should hold
    assert not search.bulk_cuts(100_000, search.BULK_LARGEST_ID)
    assert search.BULK_LARGEST_ID < 2**31


@pytest.mark.slow
def test_without_numpy_a_bulk_pass_keeps_the_same_candidates(tmp_path, monkeypatch):
    """numpy is the optional `givenet[fast]` extra: without it, the plain first cut."""
    path = tmp_path / "network.db"
    build_network(path, 150, analyze=False)
    connection = sqlite3.connect(path)
    asks = [row[0] for row in connection.execute("SELECT id FROM ask ORDER BY id")]
    monkeypatch.setattr(search, "BULK_CUTS", 10)
    assert search.bulk_cuts(len(asks), 150)
    search.match_asks(connection, asks)
    with_numpy = _candidates(connection)
    monkeypatch.setattr(search, "_has_numpy", lambda: False)
    assert not search.bulk_cuts(len(asks), 150)
    search.match_asks(connection, asks)
    assert _candidates(connection) == with_numpy and len(with_numpy) > 200
    connection.close()

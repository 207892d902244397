"""A bulk matching pass shared out over forked processes keeps the same candidates
(issue 16: `match --rebuild` at 100,000 people on both cores)."""

from __future__ import annotations

import os
import signal
import sqlite3
import time

import pytest

from givenet.store import forked, search
from test_query_plans import build_network


def _candidates(connection: sqlite3.Connection) -> list[tuple]:
    return connection.execute(
        "SELECT ask_id, offer_id, score, matched, why FROM match_candidate ORDER BY 1, 2"
    ).fetchall()


@pytest.fixture
def network(tmp_path):
    path = tmp_path / "network.db"
    build_network(path, 150, analyze=False)
    connection = sqlite3.connect(path)
    yield connection
    connection.close()


def _open_asks(connection: sqlite3.Connection) -> list[int]:
    return [row[0] for row in connection.execute("SELECT id FROM ask WHERE status = 'open'")]


@pytest.mark.slow
def test_a_pass_shared_out_three_ways_keeps_the_same_candidates(network, monkeypatch):
    asks = _open_asks(network)
    alone = search.match_asks(network, asks)
    expected = _candidates(network)
    assert alone == len(expected) > 300
    monkeypatch.setattr(search, "FORKED_ASKS", 1)
    monkeypatch.setattr(search, "_BLOCK", 5)  # many blocks, taken in turns by 3 processes
    monkeypatch.setattr(forked, "ways", lambda: 3)
    lost = []
    results = forked.Forked.results

    def watched(self):
        try:
            yield from results(self)
        except forked.ShareLost:
            lost.append(self)
            raise

    monkeypatch.setattr(forked.Forked, "results", watched)
    progress: list[tuple[int, int]] = []
    assert search.match_asks(network, asks, lambda done, total: progress.append((done, total)))
    assert _candidates(network) == expected
    assert not lost  # both children finished: the parent did not compute their shares
    assert progress[-1] == (len(asks), len(asks))
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)


def test_a_share_reads_nothing_from_the_database_once_read_before_the_fork(network):
    searcher = search._Searcher(network, asks=1000)
    work = sorted(search._asks(network, _open_asks(network), searcher))
    offers = search._Offers(network)
    searcher.read_all(work)
    offers.read_all()
    blocks = search._blocks(work, 7)
    turns = forked.Turns(len(blocks))
    # In this process: NO_DATABASE raises on any use of the connection.
    sent = list(search._share(blocks, turns, searcher, offers))
    assert [at for at, _ in sent] == list(range(len(blocks)))
    assert searcher.db is forked.NO_DATABASE
    with pytest.raises(RuntimeError, match="used the database"):
        forked.NO_DATABASE.execute("SELECT 1")


@pytest.mark.slow
def test_a_share_that_fails_is_computed_by_the_parent(network, monkeypatch):
    asks = _open_asks(network)
    kept = search.match_asks(network, asks)
    expected = _candidates(network)
    monkeypatch.setattr(search, "FORKED_ASKS", 1)
    monkeypatch.setattr(search, "_BLOCK", 5)
    monkeypatch.setattr(forked, "ways", lambda: 2)
    share = search._share

    def fails_on_its_second_block(blocks, turns, searcher, offers):
        for count, item in enumerate(share(blocks, turns, searcher, offers)):
            if count == 1:
                raise RuntimeError("lost")  # the block it took is not sent
            yield item

    monkeypatch.setattr(search, "_share", fails_on_its_second_block)
    assert search.match_asks(network, asks) == kept
    assert _candidates(network) == expected


def test_turns_are_each_taken_once_across_processes():
    turns = forked.Turns(2000)
    child = forked.Forked(lambda: iter(turns), keep=[turns.fd])
    mine = list(turns)
    theirs = list(child.results())
    turns.close()
    assert sorted(mine + theirs) == list(range(2000))
    assert mine == sorted(mine) and theirs == sorted(theirs)
    with pytest.raises(ValueError):
        forked.Turns(forked.Turns.MOST + 1)


def test_a_child_killed_is_a_lost_share():
    def forever():
        yield 1
        while True:
            time.sleep(0.05)

    child = forked.Forked(forever)
    received = child.results()
    assert next(received) == 1
    assert child.pid is not None
    os.kill(child.pid, signal.SIGTERM)
    with pytest.raises(forked.ShareLost):
        next(received)
    assert child.pid is None


def test_close_stops_a_child_still_running():
    child = forked.Forked(lambda: iter(lambda: time.sleep(0.05), 1))
    pid = child.pid
    child.close()
    assert child.pid is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # reaped


def test_what_a_child_sends_comes_back_in_order():
    child = forked.Forked(lambda: ({"n": n, "text": "é" * n} for n in range(500)))
    assert list(child.results()) == [{"n": n, "text": "é" * n} for n in range(500)]


def test_blocks_keep_asks_with_the_same_words_together():
    def ask(terms, ask_id):
        return search._Ask(terms, "", (), (), 0, b"", "", ask_id, 1)

    work = [ask(("a",), 1), ask(("a",), 2), ask(("a",), 3), ask(("b",), 4), ask(("c",), 5)]
    assert search._blocks(work, 2) == [work[:3], work[3:]]
    assert search._blocks(work, 1) == [work[:3], [work[3]], [work[4]]]
    assert search._blocks(work, 100) == [work]
    assert search._blocks([], 5) == []


def test_a_rebuild_shared_out_indexes_the_people_while_the_shares_score(network, monkeypatch):
    tables = ("person_fts", "person_touch", "ask_fts", "offer_fts", "match_candidate")

    def dump():
        return {t: network.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}

    search.rebuild_all(network)
    alone = dump()
    assert len(alone["person_fts"]) == 150 and alone["person_touch"]
    monkeypatch.setattr(search, "FORKED_ASKS", 1)
    monkeypatch.setattr(forked, "ways", lambda: 2)
    search.rebuild_all(network)
    assert dump() == alone


def test_a_pass_that_cannot_fork_is_done_in_one_process(network, monkeypatch):
    asks = _open_asks(network)
    kept = search.match_asks(network, asks)
    expected = _candidates(network)
    monkeypatch.setattr(search, "FORKED_ASKS", 1)
    monkeypatch.setattr(forked, "ways", lambda: 3)

    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert search.match_asks(network, asks) == kept
    assert _candidates(network) == expected


def test_a_parent_that_ignores_sigchld_still_takes_its_shares(network, monkeypatch):
    """Its children are reaped by the system: their end marker says they finished."""
    asks = _open_asks(network)
    search.match_asks(network, asks)
    expected = _candidates(network)
    monkeypatch.setattr(search, "FORKED_ASKS", 1)
    monkeypatch.setattr(forked, "ways", lambda: 2)
    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:  # waitpid finds no child to wait for: not a lost share
        search.match_asks(network, asks)
    finally:
        signal.signal(signal.SIGCHLD, before)
    assert _candidates(network) == expected

"""How much the first cut of matching loses against scoring every offer: a count, not a timing.

An ask scores only the offers of its first cut (``matching.first_cut``: the
``SEARCH_DEPTH`` that hold most of its words, rarer words weighing more) and the
newest ``NEED_DEPTH`` that say one of its needs. This script takes a sample of the
open asks of a cached benchmark network and compares, per depth, the sum of the
scores of the candidates each ask keeps with the same sum when every offer that
shares a word or a need with it is scored (1.0: the cut loses nothing).

    .venv/bin/python benchmarks/first_cut.py                      # 20,000 people, 300 asks
    .venv/bin/python benchmarks/first_cut.py --people 2000 --asks 500 --depths 100 200

The network is the one `run.py` caches (``benchmarks/out/network-N-s1.db``: run
`run.py --sizes N --only due` once to build it). Nothing is written to it.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from givenet.store import search  # noqa: E402  (after the path above)


def _kept_score(ask: search._Ask, found: list, offers: search._Offers, stems: dict) -> float:
    ranked = search._rank_hits(found, ask, offers, stems)
    return sum(scored.score for _, scored in search._for_ask(ranked, ask, stems))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000, help="the network's size")
    parser.add_argument("--asks", type=int, default=300, help="how many open asks to sample")
    parser.add_argument(
        "--depths", type=int, nargs="+", default=[50, 100, 200, 300], help="first-cut depths"
    )
    args = parser.parse_args(argv)
    path = HERE / "out" / f"network-{args.people}-s1.db"
    if not path.exists():
        parser.error(f"no cached network at {path}: run benchmarks/run.py --sizes {args.people}")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.execute("PRAGMA temp_store = MEMORY")  # the stems' scratch table, in a read-only file
    open_asks = [row[0] for row in db.execute("SELECT id FROM ask WHERE status = 'open'")]
    sample = random.Random(7).sample(open_asks, min(args.asks, len(open_asks)))
    searcher = search._Searcher(db)
    asks = search._asks(db, sample, searcher)
    offers = search._Offers(db)
    kept = dict.fromkeys(args.depths, 0.0)
    every_total = 0.0
    for ask in asks:
        searcher._read(ask.terms)
        every: set[int] = set()
        for term in ask.terms:
            every.update(*searcher.holders[term].columns())
        if ask.needs:
            fts = searcher.fts
            every.update(
                row[0]
                for row in db.execute(
                    f"SELECT rowid FROM {fts.source} WHERE {fts.match}", [fts.query(ask.needs)]
                )
            )
        every_total += _kept_score(ask, searcher.found(ask, sorted(every)), offers, searcher.stems)
        for depth in args.depths:
            search.SEARCH_DEPTH = depth
            searcher.last_cut = ((), [])
            kept[depth] += _kept_score(ask, searcher.hits(ask), offers, searcher.stems)
    print(f"{len(asks)} open asks of the {args.people:,}-person network")
    print("| first cut | kept score / every offer scored |")
    print("| --- | --- |")
    for depth, total in kept.items():
        print(f"| {depth} offers | {total / every_total:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Where `match --rebuild`'s time goes: each step of ``search.rebuild_all``, timed.

Runs the rebuild on a copy of a cached benchmark network (in one transaction,
rolled back) and prints the seconds spent in each step the parent process runs,
the bulk matching pass as a whole included, with the process's resident memory
after each step's last call and its peak so far (``/proc/self/status``: this
process only, not the forked shares). With ``--one-process`` the asks are not
shared out over the cores, which gives the scoring's own cost per ask.

    .venv/bin/python benchmarks/rebuild_phases.py                        # 20,000 people
    .venv/bin/python benchmarks/rebuild_phases.py --people 100000 --one-process

The network is the one `run.py` caches (``benchmarks/out/network-N-s1.db``); the
copy goes to a temporary directory and is deleted after.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from givenet.store import forked, search  # noqa: E402  (after the path above)

# (label, the object holding the step, its attribute), in the order they run.
STEPS = (
    ("index the asks", search, "index_asks"),
    ("index the offers", search, "index_offers"),
    ("read the open asks", search, "_asks"),
    ("read every term and need", search._Searcher, "read_all"),
    ("read every active offer", search._Offers, "read_all"),
    ("index the people", search, "index_people"),
    ("write the candidates", search, "_store_rows"),
    ("the matching pass, in all", search, "match_asks"),
    ("the planner's statistics", search, "refresh_statistics"),
)


def _memory() -> tuple[float, float]:
    """This process's resident memory now and at its peak, in MiB (0 where there is no
    ``/proc``)."""
    found = {"VmRSS": 0.0, "VmHWM": 0.0}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in found:
                found[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return found["VmRSS"], found["VmHWM"]


def _timed(
    spent: dict[str, float],
    memory: dict[str, tuple[float, float]],
    label: str,
    step: Callable[..., Any],
) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return step(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - started
            memory[label] = _memory()

    return timed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000, help="the network's size")
    parser.add_argument(
        "--one-process", action="store_true", help="score every ask in this process"
    )
    args = parser.parse_args(argv)
    path = HERE / "out" / f"network-{args.people}-s1.db"
    if not path.exists():
        parser.error(f"no cached network at {path}: run benchmarks/run.py --sizes {args.people}")
    if args.one_process:
        forked.ways = lambda: 1
    spent: dict[str, float] = {}
    memory: dict[str, tuple[float, float]] = {}
    for label, owner, name in STEPS:
        setattr(owner, name, _timed(spent, memory, label, getattr(owner, name)))
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / path.name
        shutil.copy(path, copy)
        db = sqlite3.connect(copy, isolation_level=None)
        db.execute("BEGIN")
        started = time.perf_counter()
        kept = search.rebuild_all(db)
        total = time.perf_counter() - started
        (asks,) = db.execute("SELECT COUNT(*) FROM ask WHERE status = 'open'").fetchone()
        db.execute("ROLLBACK")
        db.close()
    ways = "one process" if args.one_process else f"up to {forked.ways()} processes"
    print(f"rebuild of the {args.people:,}-person network ({ways}): {kept:,} candidates")
    print("| step | seconds | MiB after (peak so far) |")
    print("| --- | --- | --- |")
    for label, _, _ in STEPS:
        if label in spent:
            now, peak = memory[label]
            print(f"| {label} | {spent[label]:.2f} | {now:.0f} ({peak:.0f}) |")
    now, peak = _memory()
    print(f"| in all | {total:.2f} | {now:.0f} ({peak:.0f}) |")
    print(f"{asks:,} open asks: {1000 * total / max(asks, 1):.2f} ms of wall time an ask")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""One command from two source trees in turns, each run followed by Y: old against new.

    .venv/bin/python benchmarks/pairs.py --old /work/main/src --sizes 20000 100000 -- find grant
    .venv/bin/python benchmarks/pairs.py --old /work/main/src --sizes 0 2000 100000 --import-linkedin

Each pair runs the old tree's givenet (``PYTHONPATH`` set to ``--old``) and this
tree's, in alternating order, each followed by Y (``python -c "import typer,
sqlmodel, rich"``), on the cached networks of ``benchmarks/out`` (``run.py``
makes them); ``--import-linkedin`` imports the cached 10,000-row
``Connections.csv`` into a fresh copy each time ("0": a new file). Printed per
size: the median wall time of each side, the median paired ratio to Y of wall
and CPU time (the process's own user + system time, ``wait4``), and the median
of new/old. CPU time is the steadier figure on a shared machine. Standard
library only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from run import BASELINE, ENV, GIVENET, LINKEDIN_ROWS, OUT, SEED


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one process, its output dropped."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(command)}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def median_ratio(
    top: list[tuple[float, float]], bottom: list[tuple[float, float]], at: int
) -> float:
    return statistics.median(a[at] / b[at] for a, b in zip(top, bottom, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", required=True, type=Path, help="The old tree's src folder.")
    parser.add_argument("--sizes", nargs="+", default=["20000"], help="Cached networks (0: none).")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--import-linkedin", action="store_true", help="Time the import.")
    parser.add_argument("command", nargs="*", help="givenet's arguments, after --.")
    arguments = parser.parse_args()
    sides = {"old": dict(ENV, PYTHONPATH=str(arguments.old.resolve())), "new": dict(ENV)}
    shown = "import linkedin" if arguments.import_linkedin else " ".join(arguments.command)
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "network.db"
        for size in arguments.sizes:
            network = OUT / f"network-{size}-s{SEED}.db"
            runs: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
            floors: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
            for turn in range(arguments.pairs):
                for side in ("old", "new") if turn % 2 == 0 else ("new", "old"):
                    if arguments.import_linkedin:
                        for path in Path(scratch).glob("network.db*"):
                            path.unlink()
                        if size != "0":
                            shutil.copy(network, copy)
                        csv = OUT / f"linkedin-{LINKEDIN_ROWS}-s{SEED}.csv"
                        command = [str(GIVENET), "--db", str(copy), "import", "linkedin", str(csv)]
                    else:
                        command = [str(GIVENET), "--db", str(network), *arguments.command]
                    runs[side].append(timed(command, sides[side]))
                    floors[side].append(timed(BASELINE, ENV))
            old, new = runs["old"], runs["new"]
            print(
                f"{shown} ({size}): wall old {statistics.median(r[0] for r in old):.3f} s, "
                f"new {statistics.median(r[0] for r in new):.3f} s | ×Y wall "
                f"{median_ratio(old, floors['old'], 0):.2f} -> {median_ratio(new, floors['new'], 0):.2f}"
                f", CPU {median_ratio(old, floors['old'], 1):.2f} -> "
                f"{median_ratio(new, floors['new'], 1):.2f} | new/old wall "
                f"{median_ratio(new, old, 0):.2f}, CPU {median_ratio(new, old, 1):.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()

"""Compare two sets of ``run.py --save`` files: the same commands before and after a change.

    .venv/bin/python benchmarks/compare.py --before old-1.json old-2.json --after new-1.json new-2.json

Run the two in turns (old, new, old, new …), so a busy spell of the shared machine
falls on both. For each command and size, the median of every paired ratio to Y
of each side (all turns pooled), the change, and the range of the turns' own
medians. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path


def pooled(files: list[Path]) -> dict[tuple[str, int | None], dict[str, list[float]]]:
    found: dict[tuple[str, int | None], dict[str, list[float]]] = {}
    for file in files:
        for case in json.loads(file.read_text())["cases"]:
            if case["error"] or not case["ratios"]:
                continue
            into = found.setdefault((case["name"], case["people"]), {"ratios": [], "turns": [],
                                                                      "ms": [], "mib": []})  # fmt: skip
            into["ratios"] += case["ratios"]
            into["turns"].append(statistics.median(case["ratios"]))
            into["ms"] += case["command_ms"]
            into["mib"].append(case["peak_mib"])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", nargs="+", type=Path, required=True)
    parser.add_argument("--after", nargs="+", type=Path, required=True)
    args = parser.parse_args()
    before, after = pooled(args.before), pooled(args.after)
    print("| command | people | before ratio (turns) | after ratio (turns) | change | "
          "before / after ms | peak MiB |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for key, old in before.items():
        new = after.get(key)
        if new is None:
            continue
        a, b = statistics.median(old["ratios"]), statistics.median(new["ratios"])

        def turns(side: dict[str, list[float]]) -> str:
            return f"{min(side['turns']):.2f}–{max(side['turns']):.2f}"

        name, people = key
        print(f"| `{name}` | {people or '-':,} | {a:.2f} ({turns(old)}) | {b:.2f} ({turns(new)}) | "
              f"{(b / a - 1) * 100:+.0f}% | {statistics.median(old['ms']):.0f} / "
              f"{statistics.median(new['ms']):.0f} | {max(old['mib']):.0f} / "
              f"{max(new['mib']):.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()

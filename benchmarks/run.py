"""Time whole givenet processes against the import floor Y, and print the table.

    .venv/bin/python benchmarks/run.py            # everything (generates what is missing)
    .venv/bin/python benchmarks/run.py --quick    # a smoke run: 3 repetitions, no 20,000
    .venv/bin/python benchmarks/run.py --reps 25 --only due match

Y is ``python -c "import typer, sqlmodel, rich"``: the floor of any command that
touches the database. Each repetition runs the command and Y back to back (in
alternating order), output to a pipe, and the ratio command/Y of that pair is
kept; the verdict compares the median of those ratios with the target, so a
busy machine slows both sides alike. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SEED = 1
SIZES = (150, 2000, 20000)
BIG = 20000
LINKEDIN_ROWS = 10000
MEMORY_TARGET_MIB = 100.0
STALE_DAYS = 7  # regenerate a cached network dated longer ago than this


def find_givenet() -> Path:
    beside = Path(sys.executable).with_name("givenet")
    if beside.exists():
        return beside
    found = shutil.which("givenet")
    if found:
        return Path(found)
    sys.exit("cannot find the givenet script: run with .venv/bin/python, or put it on PATH")


GIVENET = find_givenet()
# The interpreter givenet runs on: Y must import typer, sqlmodel and rich with it.
PYTHON = (
    GIVENET.with_name("python") if GIVENET.with_name("python").exists() else Path(sys.executable)
)
BASELINE = [str(PYTHON), "-c", "import typer, sqlmodel, rich"]
# Bytecode as an installed givenet has it: compiled once, then read from a cache
# here (an editable install under PYTHONDONTWRITEBYTECODE would otherwise compile
# givenet's own modules on every run, and the baseline's never).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")


# --- the networks -------------------------------------------------------------


_SCHEMA: list[str] = []


def current_schema() -> str:
    """The schema of the givenet under test: its version and a hash of its migrations."""
    if not _SCHEMA:
        done = subprocess.run(
            [str(PYTHON), str(HERE / "generate.py"), "--schema"],
            capture_output=True,
            text=True,
            check=True,
        )
        _SCHEMA.append(done.stdout.strip())
    return _SCHEMA[0]


def network(people: int, regenerate: bool = False) -> dict:
    """The cached network of this size (generated first if missing or stale); its meta."""
    db = OUT / f"network-{people}-s{SEED}.db"
    meta_file = db.with_suffix(".json")
    if db.exists() and meta_file.exists() and not regenerate:
        meta = json.loads(meta_file.read_text())
        age = (date.today() - date.fromisoformat(meta["today"])).days
        if meta.get("schema") != current_schema():
            print(f"{db.name} was built by another generator or schema: regenerating", flush=True)
        elif age > STALE_DAYS:
            print(f"{db.name} is dated {age} days ago: regenerating", flush=True)
        else:
            meta["path"] = str(db)
            return meta
    print(f"generating {people:,} people into {db} …", flush=True)
    subprocess.run(
        [str(PYTHON), str(HERE / "generate.py"), "--people", str(people), "--seed", str(SEED),
         "--out", str(db), "--force"],
        check=True,
    )  # fmt: skip
    meta = json.loads(meta_file.read_text())
    meta["path"] = str(db)
    return meta


def linkedin_csv(rows: int) -> Path:
    path = OUT / f"linkedin-{rows}-s{SEED}.csv"
    if not path.exists():
        subprocess.run(
            [str(PYTHON), str(HERE / "generate.py"), "--linkedin", str(rows), "--out", str(path)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path


def has_import_linkedin() -> bool:
    shown = subprocess.run(
        [str(GIVENET), "import", "--help"], capture_output=True, text=True, check=False
    )
    return "linkedin" in shown.stdout.lower()


# --- timing -------------------------------------------------------------------


@dataclass
class Case:
    """One command at one size: ``prepare(i)`` returns the argv of repetition i."""

    name: str
    size: int | None
    prepare: Callable[[int], list[str]]
    target: float  # the largest acceptable median ratio to Y
    command_ms: list[float] = field(default_factory=list)
    baseline_ms: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    error: str | None = None


def timed(argv: list[str]) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    start = time.perf_counter()
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, check=False, env=ENV)
    return (time.perf_counter() - start) * 1000, done


def run_case(case: Case, reps: int) -> None:
    argv = case.prepare(-1)
    _, done = timed(argv)  # warm-up: fill the page cache and the bytecode cache, check it works
    if done.returncode != 0:
        case.error = (done.stderr.decode(errors="replace").strip().splitlines() or ["?"])[-1]
        return
    timed(BASELINE)
    for i in range(reps):
        argv = case.prepare(i)
        if i % 2 == 0:
            base, _ = timed(BASELINE)
            took, done = timed(argv)
        else:
            took, done = timed(argv)
            base, _ = timed(BASELINE)
        if done.returncode != 0:
            case.error = done.stderr.decode(errors="replace").strip()[-200:]
            return
        case.command_ms.append(took)
        case.baseline_ms.append(base)
        case.ratios.append(took / base)


def peak_rss_mib(argv: list[str]) -> float:
    """Peak resident memory of one run, measured by a fresh wrapper around it."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True, env=ENV
    )
    kib = int(done.stdout.strip())  # Linux reports KiB
    return kib / 1024


# --- the cases ------------------------------------------------------------------


def build_cases(sizes: list[int], big: int, scratch: Path, linkedin: bool) -> list[Case]:
    nets = {size: network(size) for size in sorted({*sizes, big})}
    exe = str(GIVENET)

    def on(size: int, *args: str) -> Callable[[int], list[str]]:
        path = nets[size]["path"]
        return lambda _i: [exe, "--db", path, *args]

    def on_copy(size: int, make_args: Callable[[int], list[str]]) -> Callable[[int], list[str]]:
        source = Path(nets[size]["path"])
        copy = scratch / f"copy-{size}.db"

        def prepare(i: int) -> list[str]:
            for suffix in ("-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(source, copy)
            return [exe, "--db", str(copy), *make_args(i)]

        return prepare

    person = nets[big]["sample_person"]
    cases = [
        Case("--help", None, lambda _i: [exe, "--help"], 0.4),
        Case("--version", None, lambda _i: [exe, "--version"], 0.4),
    ]
    for size in sorted(sizes):
        cases.append(Case("due", size, on(size, "due"), 1.2 if size <= 150 else 1.3))
    cases += [
        Case(f"why '{person}'", big, on(big, "why", person), 1.3),
        Case(f"show '{person}'", big, on(big, "show", person), 1.3),
        Case(
            "add NEW",
            big,
            on_copy(
                big, lambda i: ["add", f"Bench Newcomer {os.getpid()}-{i + 1}", "--tag", "grants"]
            ),
            1.3,
        ),
        Case(
            f"log '{person}'",
            big,
            on_copy(big, lambda _i: ["log", person, "--kind", "coffee", "--note", "venue plans"]),
            1.3,
        ),
    ]
    for size in sorted(sizes):
        cases.append(Case("match", size, on(size, "match"), 2.0))
    cases.append(Case("list --json", big, on(big, "list", "--json"), 2.0))
    if linkedin:
        csv_path = str(linkedin_csv(LINKEDIN_ROWS))
        fresh = scratch / "import.db"

        def prepare_import(_i: int) -> list[str]:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{fresh}{suffix}").unlink(missing_ok=True)
            return [exe, "--db", str(fresh), "import", "linkedin", csv_path]

        cases.append(Case(f"import linkedin ({LINKEDIN_ROWS:,} rows)", None, prepare_import, 3.0))
    return cases


# --- the report -------------------------------------------------------------------


def fmt_size(size: int | None) -> str:
    return "-" if size is None else f"{size:,}"


def verdict(ratio: float, target: float) -> str:
    if ratio <= target:
        return "ok"
    return f"MISS by {(ratio / target - 1) * 100:.0f}%"


def table(cases: list[Case], memory: list[tuple[str, int, float, float]]) -> str:
    head = [
        "command",
        "people",
        "median ms",
        "min",
        "max",
        "Y median",
        "ratio",
        "target",
        "verdict",
    ]
    lines = [head]
    for case in cases:
        if case.error or not case.ratios:
            lines.append([case.name, fmt_size(case.size), "-", "-", "-", "-", "-",
                          f"≤ {case.target}×Y", f"ERROR: {case.error}"])  # fmt: skip
            continue
        ratio = statistics.median(case.ratios)
        lines.append(
            [
                case.name,
                fmt_size(case.size),
                f"{statistics.median(case.command_ms):.0f}",
                f"{min(case.command_ms):.0f}",
                f"{max(case.command_ms):.0f}",
                f"{statistics.median(case.baseline_ms):.0f}",
                f"{ratio:.2f}",
                f"≤ {case.target}×Y",
                verdict(ratio, case.target),
            ]
        )
    for name, size, mib, base_mib in memory:
        ok = (
            "ok"
            if mib <= MEMORY_TARGET_MIB
            else f"MISS by {(mib / MEMORY_TARGET_MIB - 1) * 100:.0f}%"
        )
        lines.append([f"{name} peak memory", fmt_size(size), f"{mib:.0f} MiB", "-", "-",
                      f"{base_mib:.0f} MiB", "-", f"≤ {MEMORY_TARGET_MIB:.0f} MiB", ok])  # fmt: skip
    widths = [max(len(row[i]) for row in lines) for i in range(len(head))]

    def render(row: list[str]) -> str:
        return "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"

    rule = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([render(lines[0]), rule, *(render(row) for row in lines[1:])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--reps", type=int, help="Repetitions per command (default 15; 3 with --quick)."
    )
    parser.add_argument(
        "--quick", action="store_true", help="A smoke run: few repetitions, no 20,000."
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="WORD",
        help="Only commands whose name starts with one of these.",
    )
    parser.add_argument("--save", type=Path, help="Also write the raw timings to this JSON file.")
    parser.add_argument(
        "--regenerate", action="store_true", help="Regenerate the cached networks first."
    )
    args = parser.parse_args()  # fmt: skip
    reps = args.reps or (3 if args.quick else 15)
    sizes = [150, 2000] if args.quick else list(SIZES)
    big = 2000 if args.quick else BIG
    if args.regenerate:
        for size in sorted({*sizes, big}):
            network(size, regenerate=True)
    linkedin = has_import_linkedin()
    if not linkedin:
        print("`givenet import linkedin` does not exist yet: skipping the import benchmark")
    with tempfile.TemporaryDirectory(prefix="givenet-bench-") as scratch:
        cases = build_cases(sizes, big, Path(scratch), linkedin)
        if args.only:
            cases = [
                c
                for c in cases
                if any(c.name.lstrip("-").startswith(w.lstrip("-")) for w in args.only)
            ]
        print(f"givenet: {GIVENET}\nY: {' '.join(BASELINE)}\n{reps} repetitions each\n", flush=True)
        started = time.perf_counter()
        for case in cases:
            print(f"  {case.name} ({fmt_size(case.size)}) …", end=" ", flush=True)
            run_case(case, reps)
            if case.error:
                print(f"error: {case.error}", flush=True)
            else:
                print(f"median {statistics.median(case.command_ms):.0f} ms, "
                      f"ratio {statistics.median(case.ratios):.2f}", flush=True)  # fmt: skip
        memory = []
        if not args.only or any("due".startswith(w) for w in args.only):
            path = network(big)["path"]
            due_mib = max(peak_rss_mib([str(GIVENET), "--db", path, "due"]) for _ in range(3))
            base_mib = max(peak_rss_mib(BASELINE) for _ in range(3))
            memory.append(("due", big, due_mib, base_mib))
    print(f"\nfinished in {time.perf_counter() - started:.0f} s\n")
    if args.quick:
        print(
            f"(--quick: commands without a size ran on {big:,} people; the targets are for {BIG:,})\n"
        )
    print(table(cases, memory))
    if args.save:
        doc = {
            "reps": reps,
            "baseline": BASELINE,
            "cases": [
                {"name": c.name, "people": c.size, "target": c.target, "error": c.error,
                 "command_ms": c.command_ms, "baseline_ms": c.baseline_ms, "ratios": c.ratios}
                for c in cases
            ],
            "memory": [{"name": n, "people": s, "mib": m, "baseline_mib": b} for n, s, m, b in memory],
        }  # fmt: skip
        args.save.write_text(json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    main()

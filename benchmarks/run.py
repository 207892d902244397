"""Time whole givenet processes against the import floor Y, and print the table.

    .venv/bin/python benchmarks/run.py                    # everything (generates what is missing)
    .venv/bin/python benchmarks/run.py --quick            # a smoke run: 3 repetitions, 2,000 only
    .venv/bin/python benchmarks/run.py --sizes 20000 100000 --only due match --reps 9
    .venv/bin/python benchmarks/run.py --engine postgresql --sizes 20000 --reps 5

Y is ``python -c "import typer, sqlmodel, rich"``: the floor of any command that
touches the database. Each repetition runs the command and Y back to back (in
alternating order), output to a pipe, and the ratio command/Y of that pair is
kept; the verdict compares the median of those ratios with the target, so a
busy machine slows both sides alike. The peak memory of each command is the
largest ``ru_maxrss`` of its own process over the repetitions (``os.wait4``).
Standard library only (and psycopg, with ``--engine postgresql``).

``--engine postgresql`` times the same commands on a team database: it starts a
throwaway PostgreSQL cluster (tests/postgres.py's ``PostgresServer``, with the
server's default settings, listening only on a Unix socket), restores each
cached network into it with ``givenet export json`` + ``givenet --db URL import
json`` (that restore is timed: the "import json (restore)" row), runs ``VACUUM
ANALYZE`` as autovacuum would, and runs every command with ``--db URL``. A
writing command runs on a fresh copy of the database (``CREATE DATABASE …
TEMPLATE``), as it runs on a fresh copy of the file on SQLite.
"""

from __future__ import annotations

import argparse
import contextlib
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
SIZES = (2000, 20000, 100000)
LINKEDIN_ROWS = 10000
MEMORY_TARGET_MIB = 150.0
# Commands that take seconds at 100,000 people: at most this many repetitions.
HEAVY_REPS = 3
STALE_DAYS = 7  # regenerate a cached network dated longer ago than this
# Issue 17's targets on PostgreSQL (the local server); the other commands keep SQLite's.
POSTGRES_TARGETS = {"due": 2.0, "add": 2.0, "log": 2.0, "match": 3.0}


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


def _upgraded(db: Path, meta: dict, meta_file: Path) -> bool:
    """Bring a cached network of an older schema up to date as a user's file would be
    (givenet's own upgrade), and keep it if its schema is then the current one: a schema
    step that only adds columns or tables costs seconds, not a regeneration."""
    if meta.get("schema", "").split("-")[0] == current_schema().split("-")[0]:
        return False  # same version, other schema or generator: regenerate
    print(f"{db.name}: upgrading the cached network to the current schema …", flush=True)
    upgrade = subprocess.run(
        [str(GIVENET), "--db", str(db), "config"], capture_output=True, text=True
    )
    fingerprint = subprocess.run(
        [str(PYTHON), str(HERE / "generate.py"), "--schema", str(db)],
        capture_output=True,
        text=True,
    ).stdout.strip()
    for copy in db.parent.glob(f"{db.name}.schema*.bak"):
        copy.unlink()  # the upgrade's backup: the cache is regenerated, never restored
    if upgrade.returncode != 0 or fingerprint != current_schema():
        return False
    meta["schema"] = fingerprint
    meta_file.write_text(json.dumps(meta, indent=2) + "\n")
    return True


def network(people: int, regenerate: bool = False) -> dict:
    """The cached network of this size (generated first if missing or stale); its meta."""
    from generate import GENERATOR_VERSION  # benchmarks/ is this script's folder

    db = OUT / f"network-{people}-s{SEED}.db"
    meta_file = db.with_suffix(".json")
    if db.exists() and meta_file.exists() and not regenerate:
        meta = json.loads(meta_file.read_text())
        age = (date.today() - date.fromisoformat(meta["today"])).days
        if meta.get("generator") != GENERATOR_VERSION:
            print(f"{db.name} was built by another generator: regenerating", flush=True)
        elif meta.get("schema") != current_schema() and not _upgraded(db, meta, meta_file):
            print(f"{db.name} was built on another schema: regenerating", flush=True)
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


# --- where the networks live: files, or databases on a PostgreSQL server --------


class FileStore:
    """SQLite: each network is its cached file; copies and new files go in ``scratch``."""

    engine = "sqlite"

    def __init__(self, nets: dict[int, dict], scratch: Path) -> None:
        self.nets = nets
        self.scratch = scratch

    def location(self, size: int) -> str:
        return str(self.nets[size]["path"])

    def fresh(self, name: str) -> str:
        path = self.scratch / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.sync()  # see copy
        return str(path)

    def copy(self, size: int) -> str:
        copy = self.fresh("copy")
        shutil.copyfile(self.location(size), copy)
        # Written to the disk before the command runs: else the first fsync of its commit
        # waits for the filesystem to write the copy (ext4 orders a file's data before
        # the journal that records it): `add` at 100,000 people took 650 ms instead of 495.
        os.sync()
        return copy

    def close(self) -> None:
        pass


class ServerStore:
    """PostgreSQL: a throwaway cluster holding database ``net_N`` for each network, restored
    from the cached file's ``export json``; copies are ``CREATE DATABASE … TEMPLATE``."""

    engine = "postgresql"

    def __init__(self, nets: dict[int, dict], scratch: Path) -> None:
        self.nets = nets
        self.scratch = scratch
        self.restores: dict[int, Case] = {}
        # The server is driven from a child process (``serve_postgres``), so that this one
        # stays small: a command's ru_maxrss starts from its parent's at the fork.
        self.helper = subprocess.Popen(
            [sys.executable, __file__, "--serve-postgres"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        self.base_url = self._ask("start")

    def _ask(self, *words: str) -> str:
        assert self.helper.stdin is not None and self.helper.stdout is not None
        self.helper.stdin.write(json.dumps(words) + "\n")
        self.helper.stdin.flush()
        answer = json.loads(self.helper.stdout.readline() or '["error", "the helper ended"]')
        if answer[0] == "error":
            sys.exit(f"PostgreSQL: {answer[1]}")
        return str(answer[1])

    def url(self, database: str) -> str:
        return self.base_url.replace("/postgres?", f"/{database}?", 1)

    def location(self, size: int) -> str:
        return self.url(f"net_{size}")

    def fresh(self, name: str) -> str:
        return self._ask("copy", name, "template0")

    def copy(self, size: int) -> str:
        return self._ask("copy", "copy", f"net_{size}")

    def load(self, size: int, backup: Path) -> None:
        """Restore the network into ``net_N`` (timed once, paired with Y), then ANALYZE."""
        case = Case("import json (restore)", size, lambda _i: [], 15.0, in_seconds=True)
        print(f"restoring {size:,} people into PostgreSQL …", end=" ", flush=True)
        argv = [str(GIVENET), "--db", self.fresh(f"net_{size}"), "import", "json", str(backup)]
        base, _, _, _ = timed(BASELINE)
        took, code, tail, mib = timed(argv)
        if code != 0:
            sys.exit(f"the restore into PostgreSQL failed: {tail.strip()[-400:]}")
        case.command_ms, case.baseline_ms, case.ratios = [took], [base], [took / base]
        case.peak_mib = mib
        case.done = True
        self.restores[size] = case
        print(f"{took / 1000:.1f} s; VACUUM ANALYZE …", end=" ", flush=True)
        started = time.perf_counter()
        self._ask("execute", f"net_{size}", "VACUUM ANALYZE")
        print(f"{time.perf_counter() - started:.1f} s", flush=True)

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._ask("stop")
        self.helper.wait(timeout=120)


def serve_postgres() -> None:
    """The child that runs the server for ``ServerStore``: one JSON list a line in, one out
    (``start``, ``copy NAME TEMPLATE``, ``execute DATABASE STATEMENT``, ``stop``)."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from postgres import PostgresServer, server_binaries  # the tests' server: one copy

    server = None
    try:
        for line in sys.stdin:
            word, *rest = json.loads(line)
            try:
                if word == "start":
                    bindir = server_binaries()
                    if bindir is None:
                        raise RuntimeError(
                            "no server binaries (initdb, pg_ctl): apt-get install postgresql"
                        )
                    server = PostgresServer.start(bindir, durable=True)
                    answer = server.url()
                elif word == "copy" and server:
                    answer = server.copy_database(rest[0], rest[1])
                elif word == "execute" and server:
                    server.execute(rest[0], rest[1])
                    answer = "done"
                else:
                    break
            except Exception as error:  # told to the runner, which stops
                print(json.dumps(["error", str(error).strip()[:2000]]), flush=True)
                break
            print(json.dumps(["ok", answer]), flush=True)
    finally:
        if server is not None:
            server.stop()
        print(json.dumps(["ok", "stopped"]), flush=True)


Store = FileStore | ServerStore


# --- timing -------------------------------------------------------------------


@dataclass
class Case:
    """One command at one size: ``prepare(i)`` returns the argv of repetition i."""

    name: str
    size: int | None
    prepare: Callable[[int], list[str]]
    target: float  # the largest acceptable median ratio to Y (seconds with ``in_seconds``)
    in_seconds: bool = False
    heavy: bool = False  # seconds long: fewer repetitions
    command_ms: list[float] = field(default_factory=list)
    baseline_ms: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    peak_mib: float = 0.0
    error: str | None = None
    done: bool = False  # measured already (the restore that loads a PostgreSQL network)


def timed(argv: list[str]) -> tuple[float, int, str, float]:
    """(milliseconds, exit status, the end of the output, peak memory in MiB) of one run.

    The output goes to a pipe, read to the end; ``os.wait4`` gives the child's own
    resource use, so its ``ru_maxrss`` is the command's peak, not the runner's.
    """
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=ENV
    )
    assert child.stdout is not None
    tail = b""
    while block := child.stdout.read(1 << 16):
        tail = (tail + block)[-4000:]
    _, status, usage = os.wait4(child.pid, 0)
    took = (time.perf_counter() - start) * 1000
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stdout.close()
    return took, child.returncode, tail.decode(errors="replace"), usage.ru_maxrss / 1024


def run_case(case: Case, reps: int, warm_up: bool) -> None:
    if case.done:
        return
    if warm_up:  # fill the page cache and the bytecode cache, check it works
        _, code, tail, _ = timed(case.prepare(-1))
        if code != 0:
            case.error = (tail.strip().splitlines() or ["?"])[-1][:200]
            return
        timed(BASELINE)
    for i in range(reps):
        argv = case.prepare(i)
        if i % 2 == 0:
            base, _, _, _ = timed(BASELINE)
            took, code, tail, mib = timed(argv)
        else:
            took, code, tail, mib = timed(argv)
            base, _, _, _ = timed(BASELINE)
        if code != 0:
            case.error = tail.strip()[-200:]
            return
        case.command_ms.append(took)
        case.baseline_ms.append(base)
        case.ratios.append(took / base)
        case.peak_mib = max(case.peak_mib, mib)


# --- the cases ------------------------------------------------------------------


def build_cases(sizes: list[int], store: Store, linkedin: bool) -> list[Case]:
    nets = store.nets
    scratch = store.scratch
    exe = str(GIVENET)

    def on(size: int, *args: str) -> Callable[[int], list[str]]:
        where = store.location(size)
        return lambda _i: [exe, "--db", where, *args]

    def on_copy(size: int, make_args: Callable[[int], list[str]]) -> Callable[[int], list[str]]:
        return lambda i: [exe, "--db", store.copy(size), *make_args(i)]

    def export_file(size: int) -> Path:
        """One JSON backup of the cached network (the SQLite file), for the restore."""
        path = scratch / f"export-{size}.json"
        if not path.exists():
            subprocess.run([exe, "--db", nets[size]["path"], "export", "json", "-o", str(path)],
                           check=True, capture_output=True, env=ENV)  # fmt: skip
        return path

    def restore(size: int) -> Callable[[int], list[str]]:
        def prepare(_i: int) -> list[str]:
            source = export_file(size)
            return [exe, "--db", store.fresh("restored"), "import", "json", str(source)]

        return prepare

    def export(size: int) -> Callable[[int], list[str]]:
        def prepare(_i: int) -> list[str]:
            target = scratch / "export.json"
            target.unlink(missing_ok=True)
            return [exe, "--db", store.location(size), "export", "json", "-o", str(target)]

        return prepare

    cases = [
        Case("--help", None, lambda _i: [exe, "--help"], 0.4),
        Case("--version", None, lambda _i: [exe, "--version"], 0.4),
    ]
    for size in sorted(sizes):
        if isinstance(store, ServerStore):
            store.load(size, export_file(size))
        at = cases_at(size, nets[size], on, on_copy, export, restore)
        if isinstance(store, ServerStore):
            at = [store.restores[size] if c.name.startswith("import json") else c for c in at]
            for case in at:
                case.target = POSTGRES_TARGETS.get(case.name, case.target)
        cases += at
    if linkedin:
        csv_path = str(linkedin_csv(LINKEDIN_ROWS))
        name = f"import linkedin ({LINKEDIN_ROWS:,} rows)"

        def prepare_import(_i: int) -> list[str]:
            return [exe, "--db", store.fresh("import"), "import", "linkedin", csv_path]

        cases.append(Case(name, 0, prepare_import, 2.0, heavy=True))
        into_network = ["import", "linkedin", csv_path]
        for into in sorted(sizes):  # --sizes 5000 adds the middle size
            cases.append(Case(name, into, on_copy(into, lambda _i: into_network), 2.0, heavy=True))
    return cases


Prepare = Callable[[int], list[str]]


def cases_at(
    size: int,
    meta: dict,
    on: Callable[..., Prepare],
    on_copy: Callable[[int, Callable[[int], list[str]]], Prepare],
    export: Callable[[int], Prepare],
    restore: Callable[[int], Prepare],
) -> list[Case]:
    """Every user-facing command on the network of ``size`` people, with the issue's targets."""
    person = meta["sample_person"]
    event = meta.get("sample_event", "Conference")
    tail = f"{os.getpid()}"

    def writing(*args: str) -> Prepare:  # a fresh copy each time; {i} makes a text unique
        return on_copy(size, lambda i: [arg.replace("{i}", f"{tail}-{i + 1}") for arg in args])

    return [
        Case("due", size, on(size, "due"), 1.0),
        Case("why", size, on(size, "why", person), 1.0),
        Case("show", size, on(size, "show", person), 1.0),
        Case("match", size, on(size, "match"), 1.0),
        Case("list --json", size, on(size, "list", "--json"), 3.0),
        Case("find grant", size, on(size, "find", "grant"), 1.5),
        Case("who 'grant writing'", size, on(size, "who", "grant writing"), 1.5),
        Case("stats", size, on(size, "stats"), 1.5),
        Case("event prep", size, on(size, "event", "prep", event), 1.5),
        Case("add", size, writing("add", "Bench Newcomer {i}", "--tag", "grants"), 1.5),
        Case("log", size, writing("log", person, "--kind", "coffee", "--note", "venue plans"), 1.5),
        Case(
            "ask", size, writing("ask", person, "a venue for 40 people {i}", "--tag", "venue"), 1.5
        ),
        Case("offer", size, writing("offer", person, "grant reviews {i}", "--tag", "grants"), 1.5),
        Case("export json", size, export(size), 15.0, in_seconds=True, heavy=True),
        Case("import json (restore)", size, restore(size), 15.0, in_seconds=True, heavy=True),
        Case(
            "match --rebuild",
            size,
            writing("match", "--rebuild"),
            60.0,
            in_seconds=True,
            heavy=True,
        ),
        # The generator's most common offer tag (2,230 offers at 20,000 people; the
        # target is issue 16's for 3,000 at 20,000).
        Case(
            "tag rename events gatherings",
            size,
            writing("tag", "rename", "events", "gatherings"),
            5.0,
            in_seconds=True,
            heavy=True,
        ),
    ]


# --- the report -------------------------------------------------------------------


def fmt_size(size: int | None) -> str:
    return "-" if size is None else f"{size:,}"


def verdict(ratio: float, target: float) -> str:
    if ratio <= target:
        return "ok"
    return f"MISS by {(ratio / target - 1) * 100:.0f}%"


def table(cases: list[Case], base_mib: float) -> str:
    head = ["command", "people", "median ms", "min", "max", "Y median", "ratio", "peak MiB",
            "target", "verdict"]  # fmt: skip
    lines = [head]
    for case in cases:
        target = f"≤ {case.target:g} s" if case.in_seconds else f"≤ {case.target:g}×Y"
        if case.error or not case.ratios:
            lines.append([case.name, fmt_size(case.size), "-", "-", "-", "-", "-", "-",
                          target, f"ERROR: {case.error}"])  # fmt: skip
            continue
        ratio = statistics.median(case.ratios)
        median_ms = statistics.median(case.command_ms)
        if case.in_seconds:
            verdict_text = verdict(median_ms / 1000, case.target)
        else:
            verdict_text = verdict(ratio, case.target)
        if case.peak_mib > MEMORY_TARGET_MIB:
            verdict_text += f"; memory MISS (≤ {MEMORY_TARGET_MIB:.0f} MiB)"
        lines.append(
            [
                case.name,
                fmt_size(case.size),
                f"{median_ms:.0f}",
                f"{min(case.command_ms):.0f}",
                f"{max(case.command_ms):.0f}",
                f"{statistics.median(case.baseline_ms):.0f}",
                f"{ratio:.2f}",
                f"{case.peak_mib:.0f}",
                target,
                verdict_text,
            ]
        )
    lines.append(["Y itself", "-", "-", "-", "-", "-", "1.00", f"{base_mib:.0f}", "-", "-"])
    return markdown(lines)


def markdown(lines: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in lines) for i in range(len(lines[0]))]

    def render(row: list[str]) -> str:
        return "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"

    rule = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([render(lines[0]), rule, *(render(row) for row in lines[1:])])


def growth(cases: list[Case], small: int, large: int) -> str:
    """How each command's median time grows from ``small`` to ``large`` people, as a bar chart
    (one ``#`` per doubling; ``=`` when flat)."""
    import math

    by_name: dict[str, dict[int | None, float]] = {}
    for case in cases:
        if case.command_ms and not case.error:
            by_name.setdefault(case.name, {})[case.size] = statistics.median(case.command_ms)
    out = [f"growth of the median time from {small:,} to {large:,} people "
           f"({large // small}× the people; one # per doubling of the time)", ""]  # fmt: skip
    named = [(name, found[small], found[large]) for name, found in by_name.items()
             if small in found and large in found]  # fmt: skip
    width = max((len(name) for name, _, _ in named), default=10)
    for name, before, after in named:
        factor = after / before
        bar = "#" * max(1, round(math.log2(factor))) if factor >= 1.41 else "="
        out.append(f"{name.ljust(width)}  {factor:6.2f}×  {bar}")
    return "\n".join(out)


def select(cases: list[Case], only: list[str] | None, skip: list[str]) -> list[Case]:
    """The cases ``--only`` and ``--skip`` leave."""
    if only:
        cases = [
            c
            for c in cases
            if c.done or any(c.name.lstrip("-").startswith(w.lstrip("-")) for w in only)
        ]
    return [c for c in cases if not any(c.name.startswith(w) for w in skip)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--reps", type=int, help="Repetitions per command (default 7; 3 with --quick)."
    )
    parser.add_argument("--quick", action="store_true", help="A smoke run: 3 repetitions, 2,000.")
    parser.add_argument(
        "--sizes",
        nargs="+",
        type=int,
        metavar="N",
        help=f"Network sizes (default {' '.join(map(str, SIZES))}); 5000 for the import cliff.",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="WORD",
        help="Only commands whose name starts with one of these.",
    )
    parser.add_argument(
        "--skip",
        nargs="+",
        metavar="WORD",
        default=[],
        help="Leave out commands whose name starts with one of these ('match --rebuild').",
    )
    parser.add_argument(
        "--engine",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="Where the networks live: their SQLite files (default), or a throwaway "
        "PostgreSQL server they are restored into.",
    )
    parser.add_argument("--save", type=Path, help="Also write the raw timings to this JSON file.")
    parser.add_argument(
        "--regenerate", action="store_true", help="Regenerate the cached networks first."
    )
    parser.add_argument("--serve-postgres", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()  # fmt: skip
    if args.serve_postgres:
        serve_postgres()
        return
    reps = args.reps or (3 if args.quick else 7)
    sizes = args.sizes or ([2000] if args.quick else list(SIZES))
    if args.regenerate:
        for size in sorted(sizes):
            network(size, regenerate=True)
    linkedin = has_import_linkedin()
    if not linkedin:
        print("`givenet import linkedin` does not exist yet: skipping the import benchmark")
    with tempfile.TemporaryDirectory(prefix="givenet-bench-") as scratch:
        nets = {size: network(size) for size in sorted(sizes)}
        store: Store = (ServerStore if args.engine == "postgresql" else FileStore)(
            nets, Path(scratch)
        )
        try:
            cases = select(build_cases(sizes, store, linkedin), args.only, args.skip)
            print(f"givenet: {GIVENET} on {store.engine}\nY: {' '.join(BASELINE)}\n"
                  f"{reps} repetitions each (at most {HEAVY_REPS} of a command that takes "
                  "seconds)\n", flush=True)  # fmt: skip
            started = time.perf_counter()
            for case in cases:
                print(f"  {case.name} ({fmt_size(case.size)}) …", end=" ", flush=True)
                heavy = case.heavy
                run_case(case, min(reps, HEAVY_REPS) if heavy else reps, warm_up=not heavy)
                if case.error:
                    print(f"error: {case.error}", flush=True)
                else:
                    print(f"median {statistics.median(case.command_ms):.0f} ms, "
                          f"ratio {statistics.median(case.ratios):.2f}, "
                          f"peak {case.peak_mib:.0f} MiB", flush=True)  # fmt: skip
        finally:
            store.close()
        base_mib = max(timed(BASELINE)[3] for _ in range(3))
    print(f"\nfinished in {time.perf_counter() - started:.0f} s\n")
    print(table(cases, base_mib))
    grown = sorted(sizes)
    if len(grown) >= 2:
        print()
        print(growth(cases, grown[-2], grown[-1]))
    if args.save:
        doc = {
            "engine": args.engine,
            "reps": reps,
            "baseline": BASELINE,
            "baseline_mib": base_mib,
            "cases": [
                {"name": c.name, "people": c.size, "target": c.target, "in_seconds": c.in_seconds,
                 "error": c.error, "command_ms": c.command_ms, "baseline_ms": c.baseline_ms,
                 "ratios": c.ratios, "peak_mib": c.peak_mib}
                for c in cases
            ],
        }  # fmt: skip
        args.save.write_text(json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    main()

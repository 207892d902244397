"""Every console example of the README and docs/ runs, and prints what the text shows (issue 13).

Each page is one session, as a reader following it top to bottom: a fresh HOME
(so the app folder, ``~/notes`` and ``~/Downloads`` are the test's), a working
folder, no ``GIVENET_DB`` until the page exports one, and the page's date as
"today". The blocks run in order through the real CLI:

- a ```console block whose lines start with ``$ `` is commands and, under each,
  what it prints (stdout and stderr, as a terminal shows them). Shown output is
  compared line by line with the real output; a line ``...`` (or ``…``) stands
  for any number of lines. Output that starts with ``Error:`` means the command
  must exit 1, ``Usage:`` exit 2, anything else exit 0; ``echo $?`` checks the
  last exit code;
- a ```console block without ``$`` is commands only (``\\`` continues a line,
  ``#`` starts a comment, ``a && b`` runs both, ``givenet … | jq`` runs the
  givenet part); each must exit 0;
- ``export GIVENET_DB=PATH``, ``VAR=value givenet …`` and ``rm -rf PATH`` work
  as in a shell; paths under /tmp and ~ are the test's own, and printed back
  as /tmp/… and /home/you/….

An HTML comment before a block (invisible in the rendered page) tells the
test what the text says in words:

- ``<!-- doctest: today=2026-11-25 -->``: from here on, today is that day;
- ``<!-- doctest: demo -->``: the block runs on a demo network (one per page)
  because the text says so, not on the page's current database;
- ``<!-- doctest: given givenet add "Maria Lopez"; givenet add "Sam Okafor" -->``:
  commands the text takes as already done, run (unshown) before the block;
- ``<!-- doctest: skip REASON -->``: not run (installing, benchmarks), with why.

commands.md is left out: it is generated from every command's --help, whose
examples tests/test_examples.py runs.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import quick_few
from givenet.cli import app

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "docs"
PAGES = [
    "README.md",
    "docs/guide.md",
    "docs/giving.md",
    "docs/events.md",
    "docs/import-export.md",
    "docs/ranking.md",
    "docs/words-and-pictures.md",
    "docs/reliability.md",
    "docs/agents.md",
    "docs/team.md",
    "docs/performance.md",
    "docs/development.md",
    "docs/api.md",  # its python blocks: tests/test_api_docs.py
]
# The files the pages import, as the pages name them (~ is the test's HOME).
FILES = {
    "~/Downloads/Connections.csv": "Connections.csv",
    "contacts.csv": "contacts.csv",
    "contacts.vcf": "contacts.vcf",
    "members.csv": "members.csv",
}
DIRECTIVE = re.compile(r"<!--\s*doctest:\s*(.*?)\s*-->", re.S)
FENCE = re.compile(r"^```console\n(.*?)^```$", re.M | re.S)
ELLIPSIS = {"...", "…"}


def _readers_of_the_clock() -> list[object]:
    from givenet.cli import common

    return [
        module
        for name, module in sorted(sys.modules.items())
        if name.startswith("givenet.cli") and getattr(module, "today", None) is common.today
    ]


READERS_OF_THE_CLOCK = _readers_of_the_clock()


@dataclass
class Block:
    line: int
    text: str
    directives: list[str] = field(default_factory=list)


def blocks(page: str) -> list[Block]:
    """The page's console blocks, each with the doctest comments since the block before."""
    text = (ROOT / page).read_text()
    found, start = [], 0
    for fence in FENCE.finditer(text):
        directives = [d.group(1) for d in DIRECTIVE.finditer(text, start, fence.start())]
        found.append(Block(text.count("\n", 0, fence.start()) + 1, fence.group(1), directives))
        start = fence.end()
    assert not DIRECTIVE.search(text, start), f"{page}: a doctest comment after the last block"
    return found


def commands(block: Block) -> list[tuple[str, list[str] | None]]:
    """(command line, shown output or None when the block shows none)."""
    lines = block.text.rstrip("\n").split("\n")
    if not any(line.startswith("$ ") for line in lines):
        joined = "\n".join(lines).replace("\\\n", " ")
        return [(line, None) for line in joined.split("\n") if line.strip()]
    steps: list[tuple[str, list[str] | None]] = []
    for line in lines:
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            assert steps, f"line {block.line}: output before any command"
            shown = steps[-1][1]
            assert shown is not None
            shown.append(line.rstrip())
    return steps


def matches(shown: list[str], real: list[str]) -> bool:
    """``shown`` equals ``real`` line by line, an ellipsis line standing for any lines."""
    pattern = "".join(
        r"(?:.*\n)*?" if line in ELLIPSIS else re.escape(line) + r"\n" for line in shown
    )
    return re.fullmatch(pattern, "".join(line + "\n" for line in real)) is not None


class Session:
    """One reader following one page: a HOME, a folder, an environment, a date."""

    def __init__(self, page: str, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.page, self.tmp, self.monkeypatch = page, tmp, monkeypatch
        self.home, self.work, self.slash_tmp = tmp / "home", tmp / "work", tmp / "tmp"
        for folder in (self.home, self.work, self.slash_tmp):
            folder.mkdir()
        for name, source in FILES.items():
            target = self.path(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(DATA / source, target)
        monkeypatch.setenv("HOME", str(self.home))
        monkeypatch.delenv("GIVENET_DB", raising=False)
        monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
        monkeypatch.chdir(self.work)
        self.env: dict[str, str] = {}
        self.runner = CliRunner()
        self.last_code = 0
        self.ran = 0
        self.failures: list[str] = []
        self.demo: Path | None = None
        self.today = date(2026, 11, 26)
        self.set_today(self.today)

    def set_today(self, day: date) -> None:
        """The page's "today": every CLI module reads the clock through cli.common.today."""
        from givenet.cli import common

        self.today = day
        for module in READERS_OF_THE_CLOCK:
            self.monkeypatch.setattr(module, "today", lambda: day)
        assert common.today() == day

    def path(self, text: str) -> Path:
        if text.startswith("~"):
            return self.home / text[2:]
        if text.startswith("/tmp/") or text == "/tmp":
            return self.slash_tmp / text[5:]
        return self.work / text

    def word(self, word: str) -> str:
        if word.startswith("~/") or word.startswith("/tmp/"):
            return str(self.path(word))
        return word

    def printed(self, text: str) -> list[str]:
        text = text.replace(str(self.slash_tmp), "/tmp").replace(str(self.home), "/home/you")
        lines = [line.rstrip() for line in text.split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def givenet(self, words: list[str], env: dict[str, str]) -> tuple[int, list[str]]:
        environment = {**self.env, **env}
        result = self.runner.invoke(app, words, env=environment or None)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        self.last_code = result.exit_code
        return result.exit_code, self.printed(result.output)

    def run(self, line: str, shown: list[str] | None, where: str) -> None:
        for part in line.split("&&"):
            self.run_one(part.strip(), shown, where)

    def run_one(self, line: str, shown: list[str] | None, where: str) -> None:
        words = shlex.split(line, comments=True)
        if "|" in words:  # givenet … | jq …: the givenet part
            words = words[: words.index("|")]
        env = {}
        while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
            key, value = words.pop(0).split("=", 1)
            env[key] = self.word(value)
        if not words:
            return
        verb, *rest = words
        if verb == "export":
            key, value = rest[0].split("=", 1)
            self.env[key] = self.word(value)
            return
        if verb == "rm":
            assert rest[0] == "-rf", where
            target = self.path(rest[1])
            assert self.tmp in target.parents, where
            shutil.rmtree(target, ignore_errors=True)
            return
        if verb == "echo":
            assert rest == ["$?"], where
            assert shown == [str(self.last_code)], f"{where}: exit code {self.last_code}"
            return
        assert verb in ("givenet", ".venv/bin/givenet"), f"{where}: not a givenet command: {line}"
        code, real = self.givenet([self.word(word) for word in rest], env)
        self.ran += 1
        wanted = 0
        if shown:
            wanted = (
                1 if shown[0].startswith("Error:") else 2 if shown[0].startswith("Usage:") else 0
            )
        assert code == wanted, f"{where}: `{line}` exited {code}, wanted {wanted}\n" + "\n".join(
            real
        )
        if shown:
            assert matches(shown, real), (
                f"{where}: `{line}` printed\n"
                + "\n".join(real)
                + "\n--- the page shows ---\n"
                + "\n".join(shown)
            )

    def on_the_demo(self) -> dict[str, str]:
        if self.demo is None:
            self.demo = self.tmp / "the-demo" / "demo.db"
            code, real = self.givenet(["--db", str(self.demo), "demo"], {})
            assert code == 0, real
        return {"GIVENET_DB": str(self.demo)}

    def follow(self) -> int:
        for block in blocks(self.page):
            where = f"{self.page}:{block.line}"
            saved = dict(self.env)
            skip = False
            for directive in block.directives:
                verb, _, argument = directive.partition(" ")
                if verb.startswith("today="):
                    self.set_today(date.fromisoformat(verb.split("=", 1)[1]))
                elif verb == "demo":
                    self.env.update(self.on_the_demo())
                elif verb == "given":
                    for command in argument.split(";"):
                        words = shlex.split(command)
                        assert words[0] == "givenet", where
                        code, real = self.givenet([self.word(w) for w in words[1:]], {})
                        assert code == 0, f"{where}: given `{command}`: " + "\n".join(real)
                elif verb == "skip":
                    assert argument, f"{where}: say why the block is skipped"
                    skip = True
                else:
                    raise AssertionError(f"{where}: unknown directive {directive!r}")
            if skip:
                continue
            before = self.ran
            for line, shown in commands(block):
                try:
                    self.run(line, shown, where)
                except AssertionError as failure:  # go on: report every example that fails
                    self.failures.append(str(failure).split("\nassert ")[0])
            if any(d == "demo" for d in block.directives):
                self.env = saved
            assert self.ran > before or "givenet" not in block.text, where
        return self.ran


@pytest.mark.parametrize("page", quick_few(PAGES, 2))  # README and the guide in the quick loop
@pytest.mark.slow
def test_every_console_example_of_the_page_runs_and_prints_what_it_shows(
    page, tmp_path, monkeypatch
):
    session = Session(page, tmp_path, monkeypatch)
    ran = session.follow()
    assert session.failures == [], "\n\n".join(session.failures)
    print(f"{page}: {ran} givenet commands")  # shown with -s: the count per page


def test_an_example_that_prints_something_else_fails(tmp_path, monkeypatch):
    session = Session("docs/guide.md", tmp_path, monkeypatch)
    session.run("givenet --version", ["givenet 0.1.0"], "here")
    with pytest.raises(AssertionError, match="printed"):
        session.run("givenet --version", ["givenet 9.9"], "here")
    with pytest.raises(AssertionError, match="exited 1, wanted 0"):
        session.run("givenet why Nobody", None, "here")
    with pytest.raises(AssertionError, match="not a givenet command"):
        session.run("gnuplot", None, "here")


def test_an_ellipsis_stands_for_any_lines():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "…", "b"], ["a", "b"])
    assert not matches(["a", "d"], ["a", "b", "d"])
    assert not matches(["a"], ["a", "b"])


def test_every_page_is_followed():
    pages = {"README.md"} | {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")}
    assert pages - {"docs/commands.md"} == set(PAGES)

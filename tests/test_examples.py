"""Every example in every command's --help runs, in order, on one network (issue 13 #7).

The network is the demo's (the first example) with the people of the guide's week
(Maria Lopez, Sam Okafor), so the examples' names, ids and files all exist.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from test_docs import COMMANDS

# Run first: the demo builds the network; the guide's people join it.
FIRST = ("demo", "add", "me")
# Run last: they delete or fold people and records the others name.
LAST = ("delete", "merge", "forget")
# Needs an MCP client on stdin: tests/test_mcp.py runs it.
NOT_HERE = {"mcp"}


def examples() -> list[tuple[str, str]]:
    found = []
    for name, command in COMMANDS:
        example = re.search(r"Example:\s*\n\s*\n\s+(givenet .+)", command.help or "")  # type: ignore[attr-defined]
        assert example, name
        found.append((name, example.group(1)))
    order = {name: index for index, name in enumerate(FIRST)}
    last = {name: index for index, name in enumerate(LAST)}
    return sorted(
        (pair for pair in found if pair[0] not in NOT_HERE),
        key=lambda pair: (pair[0] in last, last.get(pair[0], 0), order.get(pair[0], len(FIRST))),
    )


def files_the_examples_read(home: Path, folder: Path) -> None:
    (home / "Downloads").mkdir(parents=True)
    (home / "Downloads" / "Connections.csv").write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Lena,Park,https://www.linkedin.com/in/lena-park,lena@example.org,Fresh Co,Chef,"
        "05 Mar 2024\n"
    )
    (folder / "contacts.csv").write_text("Name,Work Mail,Team\nOmar Haddad,omar@example.org,ops\n")
    (folder / "contacts.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ines Duarte\r\nEMAIL:ines@example.org\r\nEND:VCARD\r\n"
    )


@pytest.mark.slow
def test_every_help_example_runs(run, tmp_path, monkeypatch):
    home, folder = tmp_path / "home", tmp_path / "work"
    folder.mkdir()
    files_the_examples_read(home, folder)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(folder)
    ran, failed = [], []
    for name, example in examples():
        if name == "add":
            run("add", "Sam Okafor", "--org", "Common Table")  # the guide's other person
        if name == "import json":
            run("export", "json", "-o", "givenet-export.json")
        if name == "tag rename":  # the two spellings the example merges
            run("edit", "Sam", "--tag", "urban-farming")
        if name == "merge":  # the duplicate the example folds in
            run("add", "M. Lopez", "--email", "maria@greentable.example")
        words = [os.path.expanduser(word) for word in shlex.split(example)[1:]]
        outcome = run(*words, code=None)
        if outcome.exit_code != 0:
            failed.append(f"{example}\n    {outcome.stderr.strip()}")
        ran.append(name)
    assert failed == [], "\n".join(failed)
    assert len(ran) == len(COMMANDS) - len(NOT_HERE)


@pytest.mark.slow
def test_the_readme_tour_runs_and_puts_maria_on_top_tomorrow(run):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    tour = readme.split("## A ten-line tour", 1)[1].split("```console", 1)[1].split("```", 1)[0]
    for command in tour.strip().splitlines():
        words = shlex.split(command, comments=True)
        assert words[0] == "givenet"
        outcome = run(*words[1:])
        if words[1] == "due":
            assert outcome.stdout.splitlines()[2].startswith("1  Maria Lopez")


@pytest.mark.slow
def test_documented_defaults_and_schema_are_what_givenet_prints(run, isolated_database):
    from conftest import create_empty

    create_empty(isolated_database)
    root = Path(__file__).resolve().parent.parent / "docs"
    ranking = (root / "ranking.md").read_text()
    for entry in run("config", "--json").json():
        shown = run("config", entry["key"]).stdout.strip()
        assert f"| `{entry['key']}` | {shown} |" in ranking, entry["key"]
    schema = run("export", "json").json()["schema"]
    assert f'"schema": {schema},' in (root / "import-export.md").read_text()
    guide = (root / "guide.md").read_text()
    for drift in ("fits several persons", "circle hold ", "grouped by what it is for"):
        assert drift not in guide

"""Docs that cannot drift: every command has help with an example; the reference is current.

To rewrite docs/commands.md after changing a command:

    GIVENET_WRITE_DOCS=1 python -m pytest tests/test_docs.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import typer
import typer.main
from typer.cli import get_docs_for_click

from givenet.cli import app

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "commands.md"


def all_commands() -> list[tuple[str, object]]:
    """(full name, click command) for every command and sub-command."""
    root = typer.main.get_command(app)
    found = []

    def walk(group: object, prefix: str) -> None:
        context = typer.Context(group)  # type: ignore[arg-type]
        for name in group.list_commands(context):  # type: ignore[attr-defined]
            command = group.get_command(context, name)  # type: ignore[attr-defined]
            full = f"{prefix} {name}".strip()
            if hasattr(command, "list_commands"):
                walk(command, full)
            else:
                found.append((full, command))

    walk(root, "")
    return found


def generate_reference() -> str:
    root = typer.main.get_command(app)
    text = get_docs_for_click(obj=root, ctx=typer.Context(root), name="givenet")
    return text.strip() + "\n"


COMMANDS = all_commands()


def test_the_whole_command_surface_is_there():
    names = {name for name, _ in COMMANDS}
    expected = {
        "add", "edit", "note", "show", "list", "find", "log", "promises", "kept", "ask",
        "offer", "asks", "offers", "resolve", "drop", "reopen", "withdraw", "gave", "got",
        "delete", "snooze", "unsnooze", "me", "config", "due", "why", "demo", "db-path",
        "event add", "events",
    }  # fmt: skip
    assert expected <= names


@pytest.mark.parametrize("name,command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_has_help_with_an_example(name, command):
    help_text = command.help or ""  # type: ignore[attr-defined]
    assert len(help_text.splitlines()[0]) > 10, f"{name} has no summary line"
    example = re.search(r"Example:\s*\n\s*\n\s+(givenet .+)", help_text)
    assert example, f"`givenet {name}` help has no example"
    assert example.group(1).startswith(f"givenet {name}")
    undocumented = [
        parameter.name
        for parameter in command.params  # type: ignore[attr-defined]
        if parameter.param_type_name == "option" and not getattr(parameter, "help", None)
    ]
    assert undocumented == [], f"`givenet {name}` options without help: {undocumented}"


def test_command_reference_matches_the_cli():
    generated = generate_reference()
    if os.environ.get("GIVENET_WRITE_DOCS"):
        REFERENCE.write_text(generated)
    assert REFERENCE.read_text() == generated, (
        "docs/commands.md is out of date: GIVENET_WRITE_DOCS=1 python -m pytest tests/test_docs.py"
    )


def test_every_docs_page_is_linked_from_the_guide_or_readme():
    linked = (ROOT / "README.md").read_text() + (ROOT / "docs" / "guide.md").read_text()
    for page in sorted((ROOT / "docs").glob("*.md")):
        if page.name != "guide.md":
            assert page.name in linked, f"docs/{page.name} is not linked from README or guide"

"""The layers stay apart: faces only call the core, the core hands back records.

Static checks over the source (docs/development.md, "How the code is laid out").
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "givenet"
CLI_FILES = sorted((SRC / "cli").glob("*.py"))
CORE_FILES = sorted((SRC / "core").glob("*.py"))

# What the command line must not hold (help text aside): SQL, transactions, the store.
FORBIDDEN_IN_CLI = re.compile(
    r"SELECT|INSERT|UPDATE|DELETE|session|open_db|open_reader|rollback|"
    r"givenet\.store|givenet\.models|givenet\.db\b|sqlite3|sqlmodel|sqlalchemy"
)


def _code_lines(path: Path) -> list[tuple[int, str]]:
    """Source lines outside docstrings and other string constants, with their numbers."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    in_strings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert node.end_lineno is not None
            in_strings.update(range(node.lineno, node.end_lineno + 1))
    lines = source.splitlines()
    return [
        (number, line.split("#", 1)[0])
        for number, line in enumerate(lines, start=1)
        if number not in in_strings
    ]


def test_the_cli_holds_no_sql_sessions_or_store():
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in CLI_FILES
        for number, line in _code_lines(path)
        if FORBIDDEN_IN_CLI.search(line)
    ]
    assert found == []


def test_the_cli_reads_the_clock_in_one_place():
    clock = re.compile(r"\b(date|datetime)\.(today|now|utcnow)\(|\btime\.time\(")
    found = [
        f"{path.name}:{number}"
        for path in CLI_FILES
        for number, line in _code_lines(path)
        if clock.search(line)
    ]
    assert found == ["common.py:" + str(_line_of(SRC / "cli" / "common.py", "return date.today()"))]


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_core_functions_return_records_not_dicts():
    offenders = []
    for path in CORE_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                returns = ast.unparse(node.returns) if node.returns else ""
                if "dict" in returns or "Any" in returns or not returns:
                    offenders.append(f"{path.name}:{node.name} -> {returns or '?'}")
    assert offenders == []


def test_every_core_module_is_reachable_from_givenet_core():
    import givenet.core

    for path in CORE_FILES:
        if path.stem.startswith("_"):
            continue
        assert path.stem in givenet.core._MODULES, path.stem


def test_db_knows_nothing_of_the_store_and_importers_nothing_of_the_models():
    def imports(path: Path) -> set[str]:
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        return names

    assert not {name for name in imports(SRC / "db.py") if name.startswith("givenet.store")}
    for path in sorted((SRC / "importers").glob("*.py")):
        assert "givenet.models" not in imports(path), path.name
        assert not {n for n in imports(path) if n.startswith(("sqlmodel", "sqlalchemy"))}


@pytest.mark.slow
def test_nothing_imports_click():
    """Typer carries its own Click; `click` is no dependency of givenet (STYLE.md), and
    its exceptions or classes would not be Typer's."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            found += [f"{path.name}:{node.lineno}" for n in names if n.split(".")[0] == "click"]
    assert found == []

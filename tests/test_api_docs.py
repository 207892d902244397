"""docs/api.md's examples run as written: every ```python block, in order, in one namespace.

The blocks use ``assert`` to say what they show, so a changed result fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

API_DOC = Path(__file__).parent.parent / "docs" / "api.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def test_the_api_page_has_examples():
    assert len(BLOCK.findall(API_DOC.read_text(encoding="utf-8"))) >= 5


@pytest.mark.slow
def test_the_api_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "api_doc"}
    for number, block in enumerate(BLOCK.findall(API_DOC.read_text(encoding="utf-8")), 1):
        try:
            exec(compile(block, f"docs/api.md block {number}", "exec"), namespace)
        except Exception as problem:
            pytest.fail(f"docs/api.md block {number} failed: {problem!r}\n{block}")
    assert (tmp_path / "network.db").exists()


def test_every_function_the_page_lists_is_exported():
    import givenet.core

    table = API_DOC.read_text(encoding="utf-8").split("## What there is", 1)[1]
    listed = set(re.findall(r"`([a-z_]+)`", table))
    assert len(listed) > 40
    missing = sorted(name for name in listed if not callable(getattr(givenet.core, name, None)))
    assert missing == []

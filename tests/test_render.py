"""Output: rich tables on a terminal keep people's words exactly as typed."""

from __future__ import annotations

import pytest

from givenet import render


@pytest.mark.parametrize("text", ["Ann [/]", "[red]Org", "[bold]x[/bold]", "a [link=x]b"])
def test_a_terminal_table_shows_brackets_as_typed(monkeypatch, capsys, text):
    monkeypatch.setattr(render, "is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "120")
    render.table(["name"], [[text]], title=f"title {text}", footer=[text])
    out = " ".join(capsys.readouterr().out.split())  # the title may wrap
    assert out.count(text) == 3  # title, cell, footer


def test_json_is_indented_on_a_terminal_and_compact_in_a_pipe(monkeypatch, capsys):
    render.print_json({"a": [1, 2]})
    assert capsys.readouterr().out == '{"a": [1, 2]}\n'
    monkeypatch.setattr(render, "is_terminal", lambda: True)
    render.print_json({"a": [1]})
    assert capsys.readouterr().out == '{\n  "a": [\n    1\n  ]\n}\n'

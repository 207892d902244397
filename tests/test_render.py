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


@pytest.mark.parametrize("terminal", [True, False])
@pytest.mark.parametrize("batch", [1, 2, 1000])
def test_json_items_are_the_list_print_json_writes(monkeypatch, capsys, terminal, batch):
    """`list --json` writes its people a batch at a time (issue 16): the same bytes."""
    from givenet.records.people import PersonRef

    monkeypatch.setattr(render, "is_terminal", lambda: terminal)
    documents = [
        [],
        [PersonRef(1, "Ann")],
        [PersonRef(1, "Ann"), {"nested": [1, {"a": None}]}, "bidi \u202e and \x7f", 3.5],
    ]
    for document in documents:
        render.print_json(document)
        whole = capsys.readouterr().out
        render.print_json_items(iter(document), batch=batch)
        assert capsys.readouterr().out == whole


def test_cells_of_one_line_texts_are_the_texts_themselves(monkeypatch):
    """render._cells keeps a batch of rows whose texts are one line already as they are
    (issue 16): the same cells as _raw_cell makes of each value, whatever the batch."""
    texts = ["a b", "a  b", " a", "a ", "a\tb", "a\nb", "a\xa0b", "a\u2028b", "x\x00 y",
             "a\x1cb", "", "Zoë \x1b[31m", "\u202eevil", "ok", "tab\t"]  # fmt: skip
    values = [*texts, None, ("x", "y  z", "a\nb"), (), 2.5, 3, ["l", "m"]]
    rows = [[values[(i * 7 + j) % len(values)] for j in range(5)] for i in range(60)]
    rows += [["plain", "one line", None, ("t", "u  v"), "2026-11-02", 1.5]] * 30
    # One untidy text among tidy ones, at either end of a row or inside it.
    rows += [["ok", " a", ("x", "y")], ["a ", "ok", None], ["ok", "a  b"], ["ok", "a\nb", 3]]

    def expected(rows):
        cells = [[render._raw_cell(value) for value in row] for row in rows]
        if any(render.safe_text(text) != text for row in cells for text in row):
            cells = [[render.safe_text(text) for text in row] for row in cells]
        return cells

    for batch in (1, 7, 1000):
        monkeypatch.setattr(render, "_CELL_BATCH", batch)
        for part in (rows, rows[60:], rows[90:]):
            assert render._cells(iter(part)) == expected(part)

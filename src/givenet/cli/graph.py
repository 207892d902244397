"""The picture of the network: graph."""

from __future__ import annotations

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import complete_person, network


@app.command(rich_help_panel="Giving")
def graph(
    fmt: str = typer.Option(
        "dot", "--format", "-f", help="dot (Graphviz), mermaid, graphml (Gephi) or html."
    ),
    around: str | None = typer.Option(
        None,
        "--around",
        help="Only this person and those near them.",
        autocompletion=complete_person,
    ),
    depth: int = typer.Option(1, "--depth", min=1, max=20, help="Steps from --around (default 1)."),
    tag: str | None = typer.Option(None, "--tag", help="Only people with this tag."),
    circle: str | None = typer.Option(
        None, "--circle", help="Only people in this circle (inner, active, wide, acquaintance)."
    ),
    events: bool = typer.Option(
        False, "--events", help="Also join people met at the same event (dashed)."
    ),
) -> None:
    """Your network as a picture: you at the centre, people on rings by circle, an edge
    for every introduction (coloured by its status), node size by reach, and the people
    who bridge separate parts of your network ringed in black.

    The html format is one self-contained file (nothing fetched) with hover details and
    a search box: save it with `> network.html`. dot is for Graphviz
    (`givenet graph | dot -Tsvg > network.svg`), graphml for Gephi or yEd.

    Example:

        givenet graph --format html --events
    """
    from givenet.core.graph import draw_network

    drawing = draw_network(
        network(), fmt, around=around, depth=depth, tag=tag, circle=circle, events=events
    )
    render.document(drawing.text.rstrip("\n"))
    render.info(
        f"{drawing.people} people, {drawing.edges} edges, {drawing.bridges} bridges ({drawing.format})"
    )

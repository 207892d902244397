"""`givenet graph`: the network as a picture (dot, mermaid, graphml or html), read-only."""

from __future__ import annotations

from givenet.core.network import Network, reading
from givenet.errors import InvalidInput
from givenet.records.graph import GraphDocument, NetworkGraph

__all__ = ["GraphDocument", "NetworkGraph", "draw_network", "network_graph"]


def network_graph(
    network: Network,
    *,
    around: str | None = None,
    depth: int = 1,
    tag: str | None = None,
    circle: str | None = None,
    events: bool = False,
) -> NetworkGraph:
    """The people (those with ``tag``, in ``circle``, within ``depth`` steps ``around``
    someone), the intros between them, with ``events`` the people met at one event,
    and the bridges among them.

        >>> graph = network_graph(Network("givenet.db"), around="Amara", depth=2)
    """
    from givenet import graphing
    from givenet.store.graph import event_edges, graph_people, intro_edges
    from givenet.store.lookup import resolve_named
    from givenet.vocab import Circle

    if depth < 1:
        raise InvalidInput("--depth is 1 or more")
    if circle is not None and circle not in {c.value for c in Circle}:
        raise InvalidInput(
            f"unknown circle {circle!r}; one of {', '.join(c.value for c in Circle)}"
        )
    with reading(network) as connection:
        centre = None
        if around is not None:
            centre, name = resolve_named(connection, "person", around, "person")
        people = graph_people(connection, tag=tag, circle=circle)
        edges = intro_edges(connection) + (event_edges(connection) if events else [])
    if centre is not None and centre not in {person.id for person in people}:
        raise InvalidInput(f"{name} is not among the people --tag and --circle keep")
    return graphing.build(people, edges, around=centre, depth=depth)


def draw_network(network: Network, fmt: str = "dot", **choices: object) -> GraphDocument:
    """``network_graph(network, **choices)`` drawn in ``fmt``: dot, mermaid, graphml or html."""
    from givenet import graphing

    if fmt not in graphing.FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; one of {', '.join(graphing.FORMATS)}")
    graph = network_graph(network, **choices)  # type: ignore[arg-type]
    return GraphDocument(
        format=fmt,
        text=graphing.render(graph, fmt),
        people=len(graph.people),
        edges=len(graph.edges),
        bridges=len(graph.bridges),
    )

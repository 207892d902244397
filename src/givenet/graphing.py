"""The picture of a network: its layout, its bridges and its formats. Pure functions.

You sit at the centre; people stand on rings by circle (inner, active, wide,
acquaintance, outward); an edge joins two people you introduced (coloured by
the intro's status) or, optionally, two people met at the same event. A
*bridge* is a person whose leaving would split a connected part of the network
into pieces (an articulation point, found with Tarjan's depth-first search):
the people through whom otherwise separate groups know each other.

Written by hand rather than with networkx: the articulation points are thirty
lines, the ring layout ten, GraphML a page of XML; networkx would add about
0.15 s of import and 19 MB for that (measured in the commit that added this).
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import quoteattr

from givenet.records.graph import GraphEdge, GraphPerson, NetworkGraph

FORMATS = ("dot", "mermaid", "graphml", "html")
RINGS = ("inner", "active", "wide", "acquaintance")
RING_GAP = 120.0  # points between rings
# Colours of the intro statuses, and of same-event edges.
STATUS_COLOURS = {
    "suggested": "#9e9e9e",
    "asked": "#f0a202",
    "made": "#1f77b4",
    "met": "#17becf",
    "helped": "#2ca02c",
    "no-fit": "#d62728",
    "fizzled": "#8c564b",
    "declined": "#7f7f7f",
    "event": "#c7b8e0",
}
CIRCLE_COLOURS = {
    "inner": "#e15759",
    "active": "#f28e2b",
    "wide": "#4e79a7",
    "acquaintance": "#9c9c9c",
}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Text fit for XML, HTML, DOT and Mermaid: control and bidi characters dropped."""
    return _CONTROL.sub("", text)


# --- the graph ---------------------------------------------------------------


def adjacency(ids: Iterable[int], edges: Iterable[GraphEdge]) -> dict[int, set[int]]:
    neighbours: dict[int, set[int]] = {person_id: set() for person_id in ids}
    for edge in edges:
        if edge.a in neighbours and edge.b in neighbours and edge.a != edge.b:
            neighbours[edge.a].add(edge.b)
            neighbours[edge.b].add(edge.a)
    return neighbours


def articulation_points(neighbours: dict[int, set[int]]) -> set[int]:
    """The people whose removal splits their connected part (iterative Tarjan)."""
    found: set[int] = set()
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    counter = 0
    for root in sorted(neighbours):
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        root_children = 0
        stack: list[tuple[int, int | None, list[int]]] = [
            (root, None, sorted(neighbours[root], reverse=True))
        ]
        while stack:
            node, parent, todo = stack[-1]
            if todo:
                nxt = todo.pop()
                if nxt == parent:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                    continue
                order[nxt] = low[nxt] = counter
                counter += 1
                if node == root:
                    root_children += 1
                stack.append((nxt, node, sorted(neighbours[nxt], reverse=True)))
                continue
            stack.pop()
            if parent is not None:
                low[parent] = min(low[parent], low[node])
                if parent != root and low[node] >= order[parent]:
                    found.add(parent)
        if root_children > 1:
            found.add(root)
    return found


def neighbourhood(start: int, neighbours: dict[int, set[int]], depth: int) -> set[int]:
    """``start`` and everyone within ``depth`` steps of them."""
    seen, frontier = {start}, {start}
    for _ in range(depth):
        frontier = {n for node in frontier for n in neighbours.get(node, ())} - seen
        if not frontier:
            break
        seen |= frontier
    return seen


def build(
    people: Sequence[GraphPerson],
    edges: Sequence[GraphEdge],
    *,
    around: int | None = None,
    depth: int = 1,
) -> NetworkGraph:
    """The graph of these people (only the part ``around`` someone, if given)."""
    neighbours = adjacency((p.id for p in people), edges)
    if around is not None:
        keep = neighbourhood(around, neighbours, depth)
        people = [p for p in people if p.id in keep]
        neighbours = adjacency(keep, edges)
    kept = {p.id for p in people}
    drawn = tuple(e for e in edges if e.a in kept and e.b in kept and e.a != e.b)
    return NetworkGraph(
        people=tuple(people),
        edges=drawn,
        bridges=tuple(sorted(articulation_points(neighbours))),
    )


# --- the layout -------------------------------------------------------------


def ring_of(circle: str) -> int:
    return RINGS.index(circle) + 1 if circle in RINGS else len(RINGS)


def ring_layout(graph: NetworkGraph) -> dict[int, tuple[float, float]]:
    """Each person on the ring of their circle, evenly spaced, linked people together.

    Within a ring people go in the order of their connected part, then id, so
    that an edge tends to be short. The centre (0, 0) is you.
    """
    neighbours = adjacency((p.id for p in graph.people), graph.edges)
    part: dict[int, int] = {}
    for person_id in sorted(neighbours):
        if person_id not in part:
            for member in neighbourhood(person_id, neighbours, len(neighbours)):
                part[member] = person_id
    by_ring: dict[int, list[int]] = defaultdict(list)
    for person in graph.people:
        by_ring[ring_of(person.circle)].append(person.id)
    positions: dict[int, tuple[float, float]] = {}
    for ring, ids in by_ring.items():
        ids.sort(key=lambda person_id: (part[person_id], person_id))
        radius = RING_GAP * ring
        for index, person_id in enumerate(ids):
            angle = 2 * math.pi * index / len(ids) - math.pi / 2 + ring * 0.3
            positions[person_id] = (
                round(radius * math.cos(angle), 1),
                round(radius * math.sin(angle), 1),
            )
    return positions


def node_radius(person: GraphPerson) -> float:
    """6 points, plus 2 per tenfold of their reach, plus 1 per intro (at most 16)."""
    reach = math.log10(person.reach) if person.reach and person.reach > 1 else 0.0
    return round(min(16.0, 6.0 + 2.0 * reach + person.intro_count), 1)


# --- the formats ------------------------------------------------------------


def _dot_text(text: str) -> str:
    return '"' + clean(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def to_dot(graph: NetworkGraph) -> str:
    """Graphviz, with the ring positions pinned (neato): ``givenet graph | dot -Tsvg``."""
    positions = ring_layout(graph)
    bridges = set(graph.bridges)
    lines = [
        "graph givenet {",
        "  layout=neato; overlap=true; splines=true; outputorder=edgesfirst;",
        '  node [shape=circle, style=filled, fontname="Helvetica", fontsize=9, label=""];',
        "  edge [penwidth=1.5];",
        '  me [label="You", shape=doublecircle, fillcolor="#ffffff", pos="0,0!", width=0.5];',
    ]
    for person in graph.people:
        x, y = positions[person.id]
        size = round(2 * node_radius(person) / 72, 3)
        extra = ', penwidth=3, color="#000000"' if person.id in bridges else ""
        lines.append(
            f"  p{person.id} [xlabel={_dot_text(person.name)}, "
            f'fillcolor="{CIRCLE_COLOURS.get(person.circle, "#9c9c9c")}", '
            f'pos="{x / 72:.3f},{-y / 72:.3f}!", width={size}{extra}];'
        )
    for edge in graph.edges:
        colour = STATUS_COLOURS["event" if edge.kind == "event" else edge.status]
        style = ", style=dashed" if edge.kind == "event" else ""
        lines.append(
            f'  p{edge.a} -- p{edge.b} [color="{colour}", tooltip={_dot_text(edge.status)}{style}];'
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    # Inside a quoted label, " and the characters Mermaid reads as markup are entities.
    escaped = clean(text).replace("\n", " ")
    for char, entity in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        escaped = escaped.replace(char, entity)
    return escaped


def to_mermaid(graph: NetworkGraph) -> str:
    """A Mermaid flowchart: people by circle, intros labelled by status."""
    bridges = set(graph.bridges)
    lines = ["flowchart LR", '  me(("You"))']
    for circle in RINGS:
        members = [p for p in graph.people if p.circle == circle]
        if not members:
            continue
        lines.append(f'  subgraph {circle}["{circle}"]')
        for person in members:
            lines.append(f'    p{person.id}["{_mermaid_text(person.name)}"]')
        lines.append("  end")
    for edge in graph.edges:
        arrow = "-.-" if edge.kind == "event" else "---"
        lines.append(f'  p{edge.a} {arrow}|"{_mermaid_text(edge.status)}"| p{edge.b}')
    for number, edge in enumerate(graph.edges):
        colour = STATUS_COLOURS["event" if edge.kind == "event" else edge.status]
        lines.append(f"  linkStyle {number} stroke:{colour},stroke-width:2px")
    for circle, colour in CIRCLE_COLOURS.items():
        lines.append(f"  classDef {circle} fill:{colour},color:#ffffff")
    lines.append("  classDef bridge stroke:#000000,stroke-width:3px")
    for circle in RINGS:
        ids = [f"p{p.id}" for p in graph.people if p.circle == circle]
        if ids:
            lines.append(f"  class {','.join(ids)} {circle}")
    if bridges:
        lines.append(f"  class {','.join(f'p{b}' for b in sorted(bridges))} bridge")
    return "\n".join(lines) + "\n"


def to_graphml(graph: NetworkGraph) -> str:
    """GraphML for Gephi or yEd: attributes name, circle, reach, bridge, x, y; edge kind, status."""
    positions = ring_layout(graph)
    bridges = set(graph.bridges)
    keys = [
        ("name", "node", "string"),
        ("circle", "node", "string"),
        ("reach", "node", "int"),
        ("bridge", "node", "boolean"),
        ("org", "node", "string"),
        ("x", "node", "double"),
        ("y", "node", "double"),
        ("kind", "edge", "string"),
        ("status", "edge", "string"),
    ]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ]
    for name, target, kind in keys:
        out.append(f'  <key id="{name}" for="{target}" attr.name="{name}" attr.type="{kind}"/>')
    out.append('  <graph id="givenet" edgedefault="undirected">')
    for person in graph.people:
        x, y = positions[person.id]
        data = {
            "name": person.name,
            "circle": person.circle,
            "reach": str(person.reach) if person.reach is not None else None,
            "bridge": "true" if person.id in bridges else "false",
            "org": person.org,
            "x": str(x),
            "y": str(y),
        }
        out.append(f'    <node id="p{person.id}">')
        for key, value in data.items():
            if value is not None:
                out.append(
                    f'      <data key="{key}">{html.escape(clean(value), quote=False)}</data>'
                )
        out.append("    </node>")
    for number, edge in enumerate(graph.edges):
        out.append(f'    <edge id="e{number}" source="p{edge.a}" target="p{edge.b}">')
        out.append(f'      <data key="kind">{edge.kind}</data>')
        out.append(
            f'      <data key="status">{html.escape(clean(edge.status), quote=False)}</data>'
        )
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>"]
    return "\n".join(out) + "\n"


_HTML_STYLE = """
body{margin:0;font:14px system-ui,sans-serif;background:#fafafa;color:#222}
header{padding:8px 12px;display:flex;gap:12px;align-items:center;border-bottom:1px solid #ddd}
#search{padding:4px 8px;font-size:14px;width:16em}
#count{color:#666}
svg{display:block;width:100vw;height:calc(100vh - 46px)}
.node circle{stroke:#fff;stroke-width:1.5}
.node.bridge circle{stroke:#000;stroke-width:3}
.node text{font-size:11px;fill:#333;pointer-events:none}
.edge{stroke-width:1.6;opacity:.8}
.edge.event{stroke-dasharray:4 3}
.ring{fill:none;stroke:#e3e3e3}
.dim{opacity:.12}
.hit circle{stroke:#000;stroke-width:3}
#tip{position:fixed;pointer-events:none;background:#fff;border:1px solid #bbb;border-radius:4px;
padding:6px 8px;font-size:12px;box-shadow:0 2px 6px rgba(0,0,0,.15);display:none;max-width:22em}
.legend{font-size:12px;color:#555}
"""

_HTML_SCRIPT = """
(function () {
  var tip = document.getElementById("tip");
  var nodes = Array.prototype.slice.call(document.querySelectorAll(".node"));
  var edges = Array.prototype.slice.call(document.querySelectorAll(".edge"));
  nodes.forEach(function (node) {
    node.addEventListener("mouseenter", function () {
      tip.textContent = "";
      var lines = JSON.parse(node.getAttribute("data-info"));
      lines.forEach(function (text, index) {
        var line = document.createElement(index ? "div" : "strong");
        line.textContent = text;
        tip.appendChild(line);
      });
      tip.style.display = "block";
    });
    node.addEventListener("mousemove", function (event) {
      tip.style.left = event.clientX + 14 + "px";
      tip.style.top = event.clientY + 14 + "px";
    });
    node.addEventListener("mouseleave", function () { tip.style.display = "none"; });
  });
  var search = document.getElementById("search");
  var count = document.getElementById("count");
  search.addEventListener("input", function () {
    var query = search.value.trim().toLowerCase();
    var hits = 0;
    var shown = {};
    nodes.forEach(function (node) {
      var hit = query && node.getAttribute("data-search").indexOf(query) >= 0;
      node.classList.toggle("hit", !!hit);
      node.classList.toggle("dim", !!query && !hit);
      if (hit) { hits += 1; shown[node.id] = true; }
    });
    edges.forEach(function (edge) {
      var near = shown[edge.getAttribute("data-a")] || shown[edge.getAttribute("data-b")];
      edge.classList.toggle("dim", !!query && !near);
    });
    count.textContent = query ? hits + " found" : count.getAttribute("data-all");
  });
})();
"""


def to_html(graph: NetworkGraph, title: str = "givenet") -> str:
    """One self-contained page: an inline SVG, a search box and hover details; nothing fetched."""
    positions = ring_layout(graph)
    bridges = set(graph.bridges)
    rings = sorted({ring_of(p.circle) for p in graph.people})
    extent = RING_GAP * (max(rings, default=1) + 0.6)
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
        f"<title>{esc(clean(title))}</title>",
        f"<style>{_HTML_STYLE}</style></head><body>",
        '<header><input id="search" type="search" placeholder="Search people, tags, orgs" '
        'aria-label="Search">',
        f'<span id="count" data-all="{len(graph.people)} people">{len(graph.people)} people</span>',
        '<span class="legend">rings: inner, active, wide, acquaintance · black ring: a bridge · '
        "edges: intros by status, dashed: same event</span></header>",
        f'<svg id="graph" viewBox="{-extent:.0f} {-extent:.0f} {2 * extent:.0f} {2 * extent:.0f}" '
        'xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Your network">',
    ]
    for ring in rings:
        parts.append(f'<circle class="ring" r="{RING_GAP * ring:.0f}"/>')
    for edge in graph.edges:
        (x1, y1), (x2, y2) = positions[edge.a], positions[edge.b]
        colour = STATUS_COLOURS["event" if edge.kind == "event" else edge.status]
        parts.append(
            f'<line class="edge {edge.kind}" data-a="p{edge.a}" data-b="p{edge.b}" '
            f'x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}">'
            f"<title>{esc(clean(edge.status))}</title></line>"
        )
    parts.append(
        '<g class="me"><circle r="14" fill="#fff" stroke="#222" stroke-width="2"/>'
        '<text text-anchor="middle" dy="4" font-size="10">You</text></g>'
    )
    for person in graph.people:
        x, y = positions[person.id]
        info = [person.name, f"circle: {person.circle}"]
        if person.role or person.org:
            info.append(" at ".join(v for v in (person.role, person.org) if v))
        if person.tags:
            info.append("tags: " + ", ".join(person.tags))
        if person.reach:
            info.append(f"reach: about {person.reach:,}")
        if person.intro_count:
            info.append(f"intros: {person.intro_count}")
        if person.id in bridges:
            info.append("a bridge: links parts of your network that meet only through them")
        info = [clean(text) for text in info]
        searched = " ".join([person.name, person.org or "", *person.tags]).lower()
        classes = "node bridge" if person.id in bridges else "node"
        radius = node_radius(person)
        parts.append(
            f'<g class="{classes}" id="p{person.id}" data-name={quoteattr(clean(person.name))} '
            f"data-search={quoteattr(clean(searched))} data-info={quoteattr(json.dumps(info))} "
            f'transform="translate({x},{y})">'
            f'<circle r="{radius}" fill="{CIRCLE_COLOURS.get(person.circle, "#9c9c9c")}"/>'
            f'<text x="{radius + 2:.1f}" dy="3">{esc(clean(person.name))}</text></g>'
        )
    parts += ["</svg>", '<div id="tip" role="tooltip"></div>', f"<script>{_HTML_SCRIPT}</script>"]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render(graph: NetworkGraph, fmt: str) -> str:
    return {"dot": to_dot, "mermaid": to_mermaid, "graphml": to_graphml, "html": to_html}[fmt](
        graph
    )

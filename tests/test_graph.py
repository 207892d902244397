"""`givenet graph`: the picture of the network, in four formats, each checked by its own
tool: Graphviz's `dot`, Mermaid's own parser (in Chromium), networkx's GraphML reader,
and the html page in a real headless Chromium (no request, no console error, every
person drawn, a screenshot)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import heavy_modules_after
from givenet import graphing
from givenet.records.graph import GraphEdge, GraphPerson

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
MERMAID_JS = Path(os.environ.get("GIVENET_MERMAID_JS", ROOT / ".ci" / "cache" / "mermaid.min.js"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need(available: bool, what: str) -> None:
    """Skip where a tool is missing, except in CI, where `.ci/run` installs it: fail there."""
    if not available:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing; .ci/run installs it")
        pytest.skip(f"{what} is not installed (.ci/run installs it)")


@pytest.fixture
def network(run):
    """The demo, with intros in several states, so that edges and a bridge show."""
    run("demo")
    run("intro", "Tomás", "Amara", "--for", "1")
    run("intro", "Hana", "Amara", "--for", "2", "--status", "asked")
    run("intro", "Priya", "Grace", "--status", "suggested")
    run("intro", "Daniel", "Grace")
    run("intro-status", "4", "met")
    run("intro-status", "4", "helped")


def people_count(run) -> int:
    return len(run("list", "--json").json())


# --- the pure parts ------------------------------------------------------------


def person(person_id: int, circle: str = "wide") -> GraphPerson:
    return GraphPerson(id=person_id, name=f"P{person_id}", circle=circle)


@pytest.mark.slow
def test_articulation_points_agree_with_networkx():
    networkx = pytest.importorskip("networkx")
    chooser = random.Random(15)
    for _ in range(200):
        count = chooser.randint(1, 14)
        edges = [
            GraphEdge(a, b, "intro", "made")
            for a in range(count)
            for b in range(a + 1, count)
            if chooser.random() < 0.18
        ]
        neighbours = graphing.adjacency(range(count), edges)
        expected = networkx.Graph()
        expected.add_nodes_from(range(count))
        expected.add_edges_from((e.a, e.b) for e in edges)
        assert graphing.articulation_points(neighbours) == set(
            networkx.articulation_points(expected)
        )


def test_a_chain_has_its_middle_as_bridge_and_around_keeps_the_neighbourhood():
    people = [person(n) for n in range(1, 6)]
    chain = [GraphEdge(n, n + 1, "intro", "made") for n in range(1, 5)]
    graph = graphing.build(people, chain)
    assert graph.bridges == (2, 3, 4)
    near = graphing.build(people, chain, around=3, depth=1)
    assert [p.id for p in near.people] == [2, 3, 4]
    assert near.bridges == (3,) and len(near.edges) == 2


def test_rings_follow_the_circles():
    people = [person(1, "inner"), person(2, "active"), person(3, "wide"), person(4, "acquaintance")]
    positions = graphing.ring_layout(graphing.build(people, []))
    distances = [round((x * x + y * y) ** 0.5) for x, y in (positions[n] for n in range(1, 5))]
    assert distances == [120, 240, 360, 480]


def test_names_are_escaped_in_every_format():
    hostile = GraphPerson(id=1, name='Eve "</script><b>" #1 \x1b[31m', circle="wide")
    graph = graphing.build([hostile, person(2)], [GraphEdge(1, 2, "event", 'Fête "& more"')])
    for fmt in graphing.FORMATS:
        text = graphing.render(graph, fmt)
        assert "\x1b" not in text, fmt
        if fmt != "dot":  # markup: no tag of the name survives
            assert "</script><b>" not in text, fmt
    assert 'xlabel="Eve \\"</script><b>\\" #1 [31m"' in graphing.to_dot(graph)
    assert "#quot;" in graphing.to_mermaid(graph) and "#lt;" in graphing.to_mermaid(graph)


# --- the command ------------------------------------------------------------------


def test_graph_formats_hold_every_person_and_edge(run, network):
    count = people_count(run)
    dot = run("graph").stdout
    assert dot.startswith("graph givenet {") and dot.count('xlabel="') == count
    assert dot.count(" -- ") == 4
    mermaid = run("graph", "--format", "mermaid").stdout
    assert mermaid.startswith("flowchart LR") and '"Tomás Silva"' in mermaid
    summary = run("graph", "--format", "graphml").stderr
    assert summary.strip() == f"{count} people, 4 edges, 2 bridges (graphml)"  # Amara, Grace


def test_events_add_same_event_edges_and_bridges_show(run, network, tmp_path):
    graphml = run("graph", "--format", "graphml", "--events").stdout
    networkx = pytest.importorskip("networkx")
    path = tmp_path / "g.graphml"
    path.write_text(graphml)
    drawn = networkx.read_graphml(path)
    names = {data["name"] for _, data in drawn.nodes(data=True)}
    assert "Tomás Silva" in names and len(names) == people_count(run)
    kinds = sorted(data["kind"] for *_, data in drawn.edges(data=True))
    assert kinds.count("event") == 3 and kinds.count("intro") == 4  # Priya, Owen, Tomás
    bridges = {data["name"] for _, data in drawn.nodes(data=True) if data["bridge"]}
    assert "Tomás Silva" in bridges and "Amara Okafor" in bridges


def test_around_tag_and_circle_limit_it(run, network):
    around = run("graph", "--format", "graphml", "--around", "Amara").stderr
    assert around.startswith("3 people, 2 edges")  # Amara, Tomás, Hana
    deeper = run("graph", "--around", "Tomás", "--depth", "2", "--events").stderr
    assert deeper.startswith("6 people")
    assert run("graph", "--tag", "food systems").stderr.startswith("3 people")
    assert run("graph", "--circle", "wide").stderr.startswith("2 people")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "png"], "unknown format 'png'"),
        (["--circle", "close"], "unknown circle 'close'"),
        (["--around", "Nobody At All"], "Nobody At All"),
        (["--around", "Priya", "--circle", "inner"], "Priya Nair is not among"),
    ],
)
def test_bad_input_is_one_line(fails, network, args, message):
    assert message in fails("graph", *args)


@pytest.mark.slow
def test_graph_and_other_commands_load_no_networkx_and_other_commands_no_graphing(
    run, network, isolated_database
):
    watched = ("networkx", "sqlalchemy", "sqlmodel", "givenet.graphing")
    _, before = heavy_modules_after(isolated_database, [["due"], ["review"]], watched)
    assert before == []
    _, after = heavy_modules_after(isolated_database, [["graph", "--format", "html"]], watched)
    assert after == ["givenet.graphing"]


# --- their own tools -------------------------------------------------------------


@pytest.mark.slow
def test_dot_output_is_drawn_by_graphviz(run, network):
    need(shutil.which("dot") is not None, "Graphviz (dot)")
    for args in ([], ["--events"], ["--around", "Amara"]):
        svg = subprocess.run(
            ["dot", "-Tsvg"],
            input=run("graph", *args).stdout,
            capture_output=True,
            text=True,
            check=True,
        )
        assert svg.stderr == "" and "<svg" in svg.stdout and "Tomás Silva" in svg.stdout


def browser(playwright, profile: Path):
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
    )


@pytest.mark.slow
def test_mermaid_output_is_read_by_mermaid(run, network, tmp_path):
    need(CHROMIUM.exists(), "Chromium")
    need(MERMAID_JS.exists(), f"mermaid.min.js ({MERMAID_JS})")
    sync_api = pytest.importorskip("playwright.sync_api")
    text = run("graph", "--format", "mermaid", "--events").stdout
    with sync_api.sync_playwright() as playwright:
        context = browser(playwright, tmp_path / "profile")
        page = context.new_page()
        page.set_content("<html><body></body></html>")
        page.add_script_tag(path=str(MERMAID_JS))
        svg = page.evaluate(
            """async (text) => {
                mermaid.initialize({startOnLoad: false});
                await mermaid.parse(text);
                return (await mermaid.render("g", text)).svg;
            }""",
            text,
        )
        context.close()
    assert "Tomás Silva" in svg and "Amara Okafor" in svg


@pytest.mark.slow
def test_html_opens_in_chromium_offline_and_draws_everyone(run, network, tmp_path):
    need(CHROMIUM.exists(), "Chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    page_file = tmp_path / "network.html"
    page_file.write_text(run("graph", "--format", "html", "--events").stdout, encoding="utf-8")
    names = [p["name"] for p in run("list", "--json").json()]
    requests: list[str] = []
    problems: list[str] = []
    shot = tmp_path / "graph.png"
    with sync_api.sync_playwright() as playwright:
        context = browser(playwright, tmp_path / "profile")
        page = context.new_page()
        page.set_viewport_size({"width": 1000, "height": 760})
        page.on("request", lambda request: requests.append(request.url))
        page.on(
            "console",
            lambda message: problems.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        drawn = page.eval_on_selector_all(
            ".node",
            """nodes => nodes.map(node => {
                const box = node.getBoundingClientRect();
                return [node.getAttribute("data-name"), box.width > 0 && box.height > 0];
            })""",
        )
        page.hover("#p1 circle")
        tip = page.inner_text("#tip")
        page.fill("#search", "amara")
        found = page.inner_text("#count")
        dimmed = page.eval_on_selector_all(".node.dim", "nodes => nodes.length")
        page.fill("#search", "")
        page.screenshot(path=str(shot))
        context.close()
    assert requests == [page_file.as_uri()]  # the page itself, and nothing else
    assert problems == []
    assert sorted(name for name, _ in drawn) == sorted(names)
    assert all(visible for _, visible in drawn)
    assert tip.startswith("Amara Okafor") and "circle: active" in tip
    assert found == "1 found" and dimmed == len(names) - 1
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    if os.environ.get("GIVENET_WRITE_DOCS"):
        shutil.copyfile(shot, ROOT / "docs" / "graph.png")

"""`givenet mcp`: the MCP face, through the SDK's in-memory client (one test over real stdio).

Every read tool is compared with the CLI's `--json` for the same query on the demo
network; writes are refused without --allow-writes and each performed with it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import quick_few

pytest.importorskip("mcp")

import anyio
from mcp import Client, MCPError, StdioServerParameters

from givenet.core import (
    Network,
    PersonFields,
    add_person,
    make_intro,
    record_ask,
    record_offer,
)
from givenet.core.admin import make_demo
from givenet.mcp import READ_TOOLS, WRITE_TOOLS, build_server, safe_text

Body = Callable[[Client], Awaitable[Any]]


def session(server: Any, body: Body) -> Any:
    """Open one in-memory client session on ``server`` and run ``body`` in it."""

    async def main() -> Any:
        async with Client(server) as client:
            return await body(client)

    return anyio.run(main)


def calls(server: Any, *requests: tuple[str, dict[str, Any]]) -> list[Any]:
    """Call each (tool, arguments) in one session; the results in order."""

    async def body(client: Client) -> list[Any]:
        return [await client.call_tool(name, arguments) for name, arguments in requests]

    return session(server, body)


def structured(result: Any) -> Any:
    assert not result.is_error, result.content[0].text
    # The text content is the same document, for clients that read only text.
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


def error_text(result: Any) -> str:
    assert result.is_error
    [content] = result.content
    return content.text


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo network and one intro, built once for the module (read tests only read it)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    make_demo(Network(path))
    make_intro(Network(path), "Tomás", "Amara", note="the supper club room")
    return path


@pytest.fixture
def demo_copy(demo_file: Path, tmp_path: Path) -> Path:
    """A copy of the demo a test may write to."""
    path = tmp_path / "copy.db"
    shutil.copyfile(demo_file, path)
    return path


# --- the tools' surface ---------------------------------------------------------------


def test_lists_every_tool_with_its_schema_and_annotations(demo_file):
    tools = session(build_server(Network(demo_file)), lambda client: client.list_tools()).tools
    by_name = {tool.name: tool for tool in tools}
    assert list(by_name) == [*READ_TOOLS, *WRITE_TOOLS]
    assert set(READ_TOOLS) == {
        "morning_list", "explain", "show_person", "find_people", "who_can_help",
        "suggest_matches", "open_asks", "active_offers", "intros", "event_brief", "stats",
        "weekly_review", "draft_message",
    }  # fmt: skip
    assert set(WRITE_TOOLS) == {
        "add_person", "add_note", "log_meeting", "record_ask", "record_offer", "add_tags",
        "make_intro", "not_a_fit", "fit_again", "set_intro_status", "record_give",
        "keep_promise",
    }  # fmt: skip
    assert not [name for name in by_name if any(w in name for w in ("forget", "merge", "delet"))]
    for tool in tools:
        assert "Example:" in (tool.description or ""), tool.name
        assert tool.input_schema["type"] == "object"
        assert tool.output_schema is not None and tool.output_schema["type"] == "object"
        hints = tool.annotations
        assert hints is not None and hints.open_world_hint is False, tool.name
        assert hints.destructive_hint is False, tool.name
        read = tool.name in READ_TOOLS
        assert hints.read_only_hint is read, tool.name
        if read:
            assert hints.idempotent_hint is True, tool.name
    assert by_name["show_person"].input_schema["required"] == ["person"]
    assert by_name["open_asks"].output_schema["required"] == ["asks"]
    give = by_name["record_give"].input_schema["properties"]
    assert give["direction"]["enum"] == ["gave", "got"]
    assert by_name["add_note"].annotations.idempotent_hint is False
    assert by_name["keep_promise"].annotations.idempotent_hint is True


# --- read tools equal the CLI's --json ------------------------------------------------

READS = [
    ("morning_list", {"limit": 5}, ["due", "--limit", "5"], "people"),
    ("morning_list", {"include_all": True}, ["due", "--all"], "people"),
    ("explain", {"person": "Amara"}, ["why", "Amara"], None),
    ("show_person", {"person": "#4"}, ["show", "#4"], None),
    ("find_people", {"text": "venue"}, ["find", "venue"], "people"),
    ("who_can_help", {"need": "venue for 40 people"}, ["who", "venue for 40 people"], "people"),
    ("suggest_matches", {}, ["match"], "matches"),
    ("suggest_matches", {"person": "Hana", "limit": 1}, ["match", "Hana", "-n", "1"], "matches"),
    ("open_asks", {}, ["asks"], "asks"),
    ("open_asks", {"include_closed": True}, ["asks", "--all"], "asks"),
    ("active_offers", {}, ["offers"], "offers"),
    ("intros", {}, ["intros"], "intros"),
    ("event_brief", {"event": "Impact Mixer"}, ["event", "prep", "Impact Mixer"], None),
    ("stats", {}, ["stats"], None),
    ("weekly_review", {}, ["review"], None),
    (
        "draft_message",
        {"kind": "follow-up", "person": "Priya"},
        ["draft", "follow-up", "Priya"],
        None,
    ),
    (
        "draft_message",
        {"kind": "intro", "person": "Tomás", "other": "Amara", "for_ask": 1},
        ["draft", "intro", "Tomás", "Amara", "--for", "1"],
        None,
    ),
]


@pytest.mark.parametrize(
    "tool,arguments,command,key",
    quick_few(READS, 5, several=True),
    ids=[f"{r[0]}-{' '.join(r[2])}" for r in READS],
)
@pytest.mark.slow
def test_read_tool_equals_the_cli_json(run, demo_file, tool, arguments, command, key):
    [result] = calls(build_server(Network(demo_file)), (tool, arguments))
    document = structured(result)
    expected = run("--db", str(demo_file), *command, "--json").json()
    assert (document[key] if key else document) == expected
    assert expected, "the demo should give each query something to show"


def test_morning_list_says_its_day_and_how_many_are_on_the_list(demo_file):
    [result] = calls(build_server(Network(demo_file)), ("morning_list", {"limit": 1}))
    document = structured(result)
    assert document["day"] == date.today().isoformat()
    assert len(document["people"]) == 1 and document["on_list"] > 1


def test_a_givenet_error_is_a_tool_error_with_its_message(demo_file):
    server = build_server(Network(demo_file))
    missing, no_words, unknown_event = calls(
        server,
        ("show_person", {"person": "Nobody Here"}),
        ("who_can_help", {"need": "   "}),
        ("event_brief", {"event": "Gala"}),
    )
    assert error_text(missing) == "no person called 'Nobody Here'"
    assert "no words to search for" in error_text(no_words)
    assert error_text(unknown_event).startswith("no event called 'Gala'")
    for result in (missing, no_words, unknown_event):
        assert "Traceback" not in error_text(result)


# --- writes ---------------------------------------------------------------------------

WRITES = [
    ("add_person", {"name": "Zoe Park", "org": "Seed Fund", "met_at": "Impact Mixer"}),
    ("add_note", {"person": "Amara", "text": "hiring a sous-chef in spring"}),
    ("log_meeting", {"people": ["Priya"], "kind": "coffee", "next_step": "send the list"}),
    ("record_ask", {"person": "Hana", "text": "a commercial kitchen", "tags": ["kitchen"]}),
    ("record_offer", {"person": "Owen", "text": "kitchen space on Mondays", "tags": ["kitchen"]}),
    ("add_tags", {"kind": "offer", "id": 1, "tags": ["dining room"]}),
    ("make_intro", {"person_a": "Hana", "person_b": "Owen", "note": "kitchen"}),
    ("not_a_fit", {"ask": 2, "offer": 2}),  # Hana's job training / Amara's kitchen training
    ("fit_again", {"ask": 1, "offer": 1}),  # never marked: nothing changes
    ("set_intro_status", {"intro": 1, "status": "met"}),
    ("record_give", {"person": "Priya", "what": "the meetup list"}),
    ("keep_promise", {"promise": 1}),
]


def test_every_write_is_refused_without_allow_writes(demo_copy):
    results = calls(build_server(Network(demo_copy)), *WRITES)
    assert [name for name, _ in WRITES] == list(WRITE_TOOLS)
    for (name, _), result in zip(WRITES, results, strict=True):
        text = error_text(result)
        assert text.startswith(f"{name} changes the network") and "--allow-writes" in text


@pytest.mark.slow
def test_each_write_is_performed_with_allow_writes(run, demo_copy):
    results = calls(build_server(Network(demo_copy), allow_writes=True), *WRITES)
    done = dict(zip(list(WRITE_TOOLS), map(structured, results), strict=True))
    db = ["--db", str(demo_copy)]
    zoe = run(*db, "show", "Zoe Park", "--json").json()
    assert done["add_person"]["person"] == {"id": zoe["id"], "name": "Zoe Park"}
    assert done["add_person"]["event"]["name"] == "Impact Mixer"
    assert [m["event"]["name"] for m in zoe["meetings"]] == ["Impact Mixer"]
    amara = run(*db, "show", "Amara", "--json").json()
    assert "hiring a sous-chef in spring" in [note["text"] for note in amara["notes"]]
    assert [p["text"] for p in done["log_meeting"]["promises"]] == ["send the list"]
    assert done["record_ask"]["text"] == "a commercial kitchen"
    assert done["record_ask"]["tags"] == ["kitchen"]
    assert done["record_offer"]["person"]["name"] == "Owen Brooks"
    assert done["record_offer"]["proposed_tags"] == []  # it came with tags
    assert "dining room" in done["add_tags"]["tags"]
    assert "dining room" in run(*db, "offers", "--json").json()[0]["tags"]
    assert done["make_intro"]["status"] == "made"
    assert (done["not_a_fit"]["ask_id"], done["not_a_fit"]["offer_id"]) == (2, 2)
    assert not done["not_a_fit"]["already"]
    assert (done["fit_again"]["ask_id"], done["fit_again"]["was_marked"]) == (1, False)
    assert [m for m in run(*db, "match", "--json").json() if m["ask_id"] == 2] == []
    assert done["set_intro_status"] == {
        "intro_id": 1, "status": "met", "day": date.today().isoformat(), "ask_met": None,
    }  # fmt: skip
    intros = run(*db, "intros", "--json").json()
    assert {i["id"]: i["status"] for i in intros} == {1: "met", 2: "made"}
    assert done["record_give"]["direction"] == "gave"
    assert done["keep_promise"]["status"] == "kept"
    [kept] = [p for p in run(*db, "promises", "--all", "--json").json() if p["id"] == 1]
    assert kept["kept_on"] == date.today().isoformat()


@pytest.mark.slow
def test_write_errors_come_back_as_tool_errors_and_change_nothing(run, demo_copy):
    server = build_server(Network(demo_copy), allow_writes=True)
    twice, unknown, bad_move, got_with_ask = calls(
        server,
        ("keep_promise", {"promise": 1}),
        ("add_note", {"person": "Nobody", "text": "x"}),
        ("set_intro_status", {"intro": 99, "status": "helped"}),
        ("record_give", {"person": "Amara", "what": "x", "direction": "got", "ask": 1}),
    )
    assert not twice.is_error
    [again] = calls(server, ("keep_promise", {"promise": 1}))
    assert error_text(again).startswith("promise #1 was already kept")
    assert error_text(unknown) == "no person called 'Nobody'"
    assert "99" in error_text(bad_move)
    assert "direction 'gave'" in error_text(got_with_ask)
    assert all(
        note["text"] != "x"
        for note in run("--db", str(demo_copy), "show", "Amara", "--json").json()["notes"]
    )


# --- a read-only server writes nothing -----------------------------------------------


def files_of(path: Path) -> dict[str, bytes | None]:
    return {
        suffix: (Path(f"{path}{suffix}").read_bytes() if Path(f"{path}{suffix}").exists() else None)
        for suffix in ("", "-wal", "-journal")
    }


@pytest.mark.slow
def test_a_read_only_session_leaves_the_file_byte_for_byte(demo_copy):
    before = files_of(demo_copy)

    async def body(client: Client) -> None:
        for name, arguments, *_ in READS:
            assert not (await client.call_tool(name, arguments)).is_error
        for name, arguments in WRITES:
            assert (await client.call_tool(name, arguments)).is_error
        await client.read_resource("givenet://person/1")
        await client.read_resource("givenet://due/today")
        await client.get_prompt("prepare_for_event", {"event": "Impact Mixer"})

    session(build_server(Network(demo_copy)), body)
    assert files_of(demo_copy) == before


# --- safety: control characters, no intros --------------------------------------------

HOSTILE = "Eve\x1b]52;c;aGk=\x07\x1b[2J\u202eevil\u2066 \x9b31m line\nnext\ttab"
SHOWN = "Eve\\x1b]52;c;aGk=\\x07\\x1b[2J\\u202eevil\\u2066 \\x9b31m line\nnext\ttab"


def test_safe_text_escapes_controls_and_bidi_but_keeps_text_newlines_and_tabs():
    assert safe_text(HOSTILE) == SHOWN
    assert safe_text("Tomás Silva — “venue”\n\t") == "Tomás Silva — “venue”\n\t"
    assert safe_text("\x00\x7f\x85\u202a\u2069") == "\\x00\\x7f\\x85\\u202a\\u2069"


@pytest.mark.slow
def test_stored_text_comes_back_with_its_controls_escaped(isolated_database):
    network = Network(isolated_database)
    add_person(network, PersonFields(name=HOSTILE, org="Org\x1b[31m"))
    record_ask(network, "#1", "a room\x1b]8;;http://x\x07", tags=["venue"])
    server = build_server(network)
    shown, found, asks = calls(
        server,
        ("show_person", {"person": "#1"}),
        ("find_people", {"text": "Org"}),
        ("open_asks", {}),
    )
    assert structured(shown)["name"] == SHOWN
    assert structured(shown)["org"] == "Org\\x1b[31m"
    assert structured(found)["people"][0]["name"] == SHOWN
    assert structured(asks)["asks"][0]["text"] == "a room\\x1b]8;;http://x\\x07"
    for result in (shown, found, asks):
        assert "\x1b" not in result.content[0].text and "\u202e" not in result.content[0].text
    [missing] = calls(server, ("explain", {"person": "Mallory\x1b[2J"}))
    assert error_text(missing) == "no person called 'Mallory\\x1b[2J'"

    async def read(client: Client) -> str:
        return (await client.read_resource("givenet://person/1")).contents[0].text

    text = session(server, read)
    assert "\x1b" not in text and json.loads(text)["name"] == SHOWN


@pytest.mark.slow
def test_a_person_who_wants_no_intros_is_never_suggested(run, isolated_database):
    network = Network(isolated_database)
    add_person(network, PersonFields(name="Maria Lopez"), met_at="Impact Mixer")
    add_person(network, PersonFields(name="Quiet Quinn", no_intros=True))
    add_person(network, PersonFields(name="Open Olga"))
    record_ask(network, "Maria", "a venue for 40 people", tags=["venue"])
    record_offer(network, "Quinn", "event venue, seats 60", tags=["venue"])
    record_offer(network, "Olga", "a venue for events", tags=["venue"])
    matches, helpers, due, why, brief = calls(
        build_server(network),
        ("suggest_matches", {}),
        ("who_can_help", {"need": "venue"}),
        ("morning_list", {"include_all": True}),
        ("explain", {"person": "Maria"}),
        ("event_brief", {"event": "Impact Mixer"}),
    )
    assert [m["helper"]["name"] for m in structured(matches)["matches"]] == ["Open Olga"]
    assert [p["name"] for p in structured(helpers)["people"]] == ["Open Olga"]
    for result in (due, why, brief):
        assert "Quinn" not in json.dumps(structured(result))
    # The CLI's own `who` still lists them, marked: the user may look; an assistant
    # does not suggest them.
    assert {p["name"]: p["no_intros"] for p in run("who", "venue", "--json").json()} == {
        "Quiet Quinn": True,
        "Open Olga": False,
    }


# --- resources and the prompt --------------------------------------------------------


def test_resources_are_the_profile_and_todays_morning_list(run, demo_file):
    async def body(client: Client) -> Any:
        templates = (await client.list_resource_templates()).resource_templates
        resources = (await client.list_resources()).resources
        person = await client.read_resource("givenet://person/4")
        due = await client.read_resource("givenet://due/today")
        with pytest.raises(MCPError) as missing:
            await client.read_resource("givenet://person/999")
        return templates, resources, person, due, missing.value

    templates, resources, person, due, missing = session(build_server(Network(demo_file)), body)
    assert [t.uri_template for t in templates] == ["givenet://person/{id}"]
    assert [str(r.uri) for r in resources] == ["givenet://due/today"]
    [content] = person.contents
    assert content.mime_type == "application/json"
    db = ["--db", str(demo_file)]
    assert json.loads(content.text) == run(*db, "show", "#4", "--json").json()
    assert json.loads(due.contents[0].text) == run(*db, "due", "--json").json()
    assert "no person" in missing.error.message and "999" in missing.error.message


def test_the_prepare_for_event_prompt_gathers_the_brief_and_the_openers(run, demo_file):
    async def body(client: Client) -> Any:
        prompts = (await client.list_prompts()).prompts
        prompt = await client.get_prompt("prepare_for_event", {"event": "Impact"})
        with pytest.raises(MCPError) as missing:
            await client.get_prompt("prepare_for_event", {"event": "Gala"})
        return prompts, prompt, missing.value

    prompts, prompt, missing = session(build_server(Network(demo_file)), body)
    [listed] = prompts
    assert listed.name == "prepare_for_event"
    assert [(a.name, a.required) for a in listed.arguments or []] == [("event", True)]
    [message] = prompt.messages
    text = message.content.text
    brief = run("--db", str(demo_file), "event", "prep", "Impact Mixer", "--json").json()
    assert json.loads(text.split("--json):\n", 1)[1]) == brief
    openers = [o for p in brief["known_attendees"] + brief["new_attendees"] for o in p["openers"]]
    assert openers and all(opener in text for opener in openers)
    assert "no event called 'Gala'" in missing.error.message


# --- the command ----------------------------------------------------------------------


def test_without_the_sdk_the_command_says_how_to_install_it(run, monkeypatch):
    # As if the extra were not installed: every module of the SDK fails to import.
    for name in [m for m in sys.modules if m.partition(".")[0] in ("mcp", "mcp_types")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "mcp", None)
    monkeypatch.delitem(sys.modules, "givenet.mcp", raising=False)
    outcome = run("mcp", code=1)
    assert outcome.stderr == "Error: givenet mcp needs the MCP SDK: pip install 'givenet[mcp]'\n"
    assert outcome.stdout == ""


@pytest.mark.slow
def test_help_imports_no_mcp(tmp_path):
    probe = (
        "import sys\n"
        "sys.argv = ['givenet'] + sys.argv[1:]\n"
        "from givenet.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.split('.')[0] in ('mcp', 'mcp_types')"
        " or m == 'givenet.mcp'))\n"
    )
    for argument in ("--help", "mcp --help", "due"):
        result = subprocess.run(
            [sys.executable, "-c", probe, *argument.split()],
            capture_output=True,
            text=True,
            check=True,
            env={"GIVENET_DB": str(tmp_path / "g.db"), "PATH": "/usr/bin:/bin"},
        )
        assert result.stdout.rsplit("LOADED", 1)[1].strip() == "[]", argument


@pytest.mark.slow
def test_a_session_over_real_stdio(demo_file):
    parameters = StdioServerParameters(
        command=sys.executable, args=["-m", "givenet", "--db", str(demo_file), "mcp"]
    )

    async def body(client: Client) -> Any:
        tools = (await client.list_tools()).tools
        due = await client.call_tool("morning_list", {"limit": 3})
        refused = await client.call_tool("add_note", {"person": "Amara", "text": "x"})
        return tools, due, refused

    tools, due, refused = session(parameters, body)
    assert len(tools) == len(READ_TOOLS) + len(WRITE_TOOLS)
    assert len(structured(due)["people"]) == 3
    assert "--allow-writes" in error_text(refused)


def test_the_server_calls_only_the_core():
    """No store, no database, no SQL in the MCP face: every answer comes from givenet.core."""
    import ast

    source = (Path(__file__).resolve().parent.parent / "src" / "givenet" / "mcp.py").read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    ours = {name for name in imported if name.startswith("givenet")}
    assert ours <= {
        "givenet", "givenet.core.network", "givenet.core.ranking", "givenet.core.people",
        "givenet.core.giving", "givenet.core.asks", "givenet.core.events", "givenet.core.log",
        "givenet.core.review", "givenet.core.drafts",
        "givenet.errors", "givenet.records", "givenet.vocab",
        "givenet.render",  # its safe_text only: the one sanitiser of everything givenet shows
    }, ours  # fmt: skip
    assert not imported & {"sqlite3", "sqlmodel", "sqlalchemy"}
    assert "SELECT" not in source

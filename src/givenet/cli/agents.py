"""Faces for AI assistants: mcp (a Model Context Protocol server over stdio)."""

from __future__ import annotations

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import network

PANEL = "Agents"

MISSING_SDK = "givenet mcp needs the MCP SDK: pip install 'givenet[mcp]'"


@app.command(rich_help_panel=PANEL)
def mcp(
    allow_writes: bool = typer.Option(
        False,
        "--allow-writes",
        help="Let the assistant add people, notes, meetings, asks, offers, intros and gifts "
        "(never delete, forget or merge). Without it the server only reads.",
    ),
) -> None:
    """Serve your network to an AI assistant: a Model Context Protocol server over stdio.

    The assistant can ask for the morning list, why someone ranks, a profile,
    who can help with a need, suggested introductions, asks, offers, intros,
    an event briefing and stats; with --allow-writes it can also record what
    you tell it. It runs on the database of --db or $GIVENET_DB, like every
    command. Needs the optional extra: pip install 'givenet[mcp]'.

    Register it with an MCP client (Claude Desktop, an IDE …) in its JSON
    configuration:

    \b
        {"mcpServers": {"givenet": {"command": "givenet", "args": ["mcp"]}}}

    docs/agents.md lists every tool and the safety rules.

    Example:

        givenet mcp --allow-writes
    """
    try:
        from givenet.mcp import build_server
    except ModuleNotFoundError as missing:
        if (missing.name or "").partition(".")[0] not in ("mcp", "mcp_types"):
            raise
        render.error(MISSING_SDK)
        raise typer.Exit(1) from None
    build_server(network(), allow_writes=allow_writes).run("stdio")

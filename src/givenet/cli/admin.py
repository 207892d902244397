"""Settings and housekeeping: config, demo, db-path."""

from __future__ import annotations

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import LIMIT_MAX, network, state, today


# A negative VALUE (`config weight.reach -1`) is a value, not an unknown option.
@app.command(rich_help_panel="Settings", context_settings={"ignore_unknown_options": True})
def config(
    key: str | None = typer.Argument(
        None, help="A setting, e.g. weight.follow_up or cadence.inner."
    ),
    value: str | None = typer.Argument(None, help="Its new value: a number, or days like 21d, 3w."),
    reset: bool = typer.Option(False, "--reset", help="Put KEY back to its default."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Weights, cadences and windows of the morning list; with no KEY, list them all.

    Example:

        givenet config cadence.inner 21d
    """
    from givenet.core import admin
    from givenet.errors import InvalidInput

    if reset and (key is None or value is not None):
        raise InvalidInput("--reset takes a KEY and no VALUE")
    if key is None:
        listing = admin.list_settings(network())
        if as_json:
            render.print_json(listing)
            return
        render.table(
            ["key", "value", "default", "what it does"],
            [[e.key, _shown(e.value, e.unit), _shown(e.default, e.unit), e.help] for e in listing],
        )
        from givenet.core.drafts import templates_folder

        render.info(f"Draft templates: {templates_folder()} (a file there replaces givenet's)")
        return
    if reset:
        entry = admin.reset_setting(network(), key)
    elif value is not None:
        entry = admin.set_setting(network(), key, value)
    else:
        entry = admin.get_setting(network(), key)
    if as_json:
        render.print_json(entry)
    elif reset or value is not None:
        render.line(f"{key} = {_shown(entry.value, entry.unit)}")
    else:
        render.line(_shown(entry.value, entry.unit))


def _shown(value: float, unit: str) -> str:
    from givenet.dates import format_duration

    return format_duration(int(value)) if unit == "days" else f"{value:g}"


@app.command(rich_help_panel="Settings")
def demo(
    limit: int = typer.Option(
        10, "--limit", "-n", min=1, max=LIMIT_MAX, help="How many people the morning list shows."
    ),
) -> None:
    """Build a sample network (the essay's restaurant) and show its morning list.

    With --db or $GIVENET_DB it fills that database if it holds nobody yet;
    otherwise it makes the demo database afresh in the app folder (demo/demo.db,
    replacing the last demo's) and prints its path.

    Example:

        givenet demo
    """
    from givenet.cli.ranking import show_due
    from givenet.core.admin import make_demo
    from givenet.core.network import Network

    demo_network = make_demo(
        Network(state.db_path) if state.db_path else None, today=today(), limit=limit
    )
    chosen = demo_network.path
    render.line(
        f"Demo network in {chosen}: {demo_network.people} people, {demo_network.events} event"
        f"{'s' * (demo_network.events != 1)}, {demo_network.meetings} meetings, "
        f"{demo_network.asks} asks, {demo_network.offers} offers."
    )
    render.line(f"Try it: export GIVENET_DB={chosen}   then: givenet why Hana, givenet asks")
    render.line("")
    show_due(demo_network.due, as_json=False)


@app.command("db-path", rich_help_panel="Settings")
def db_path_command() -> None:
    """Print where the database is (--db, else $GIVENET_DB, else the app folder).

    Example:

        givenet db-path
    """
    render.line(str(network()))


@app.command(rich_help_panel="Settings")
def whoami(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Say who you write as, to which network, and who else has written to it.

    You are $GIVENET_USER, else your login name: every meeting, note, ask, offer,
    intro, promise and ledger line you record says so. On a team's database
    (--db postgresql://…) that is how `show` tells who met whom.

    Example:

        givenet whoami --json
    """
    from givenet.core.admin import whoami as core_whoami

    found = core_whoami(network())
    if as_json:
        render.print_json(found)
        return
    render.line(f"{found.member} on {found.network}")
    others = [name for name in found.members if name != found.member]
    if others:
        render.line("Other members: " + ", ".join(others))

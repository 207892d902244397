"""Settings and housekeeping: config, demo, db-path."""

from __future__ import annotations

import os
from datetime import datetime

import typer

from givenet import render
from givenet.cli.app import app
from givenet.cli.common import LIMIT_MAX, db_path, open_db, state, today
from givenet.errors import Conflict


@app.command(rich_help_panel="Settings")
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
    from givenet import dates
    from givenet.errors import InvalidInput
    from givenet.store import config as settings

    if reset and (key is None or value is not None):
        raise InvalidInput("--reset takes a KEY and no VALUE")
    writing = reset or value is not None
    with open_db(write=writing) as session:
        if key is not None and reset:
            settings.reset_value(session, key)
        elif key is not None and value is not None:
            if settings.unit_of(key) == "days":
                parsed: float = dates.parse_duration(value)
            else:
                try:
                    parsed = float(value)
                except ValueError:
                    raise InvalidInput(f"{key} is a number, not {value!r}") from None
            settings.set_value(session, key, parsed)
        listing = settings.all_settings(session)
    if key is not None:
        listing = [entry for entry in listing if entry["key"] == key]
        if not listing:
            raise InvalidInput(f"unknown setting {key!r}; `givenet config` lists them all")
    if as_json:
        render.print_json(listing if key is None else listing[0])
    elif key is not None and not writing:
        render.line(_shown(listing[0]["value"], listing[0]["unit"]))
    elif key is not None:
        render.line(f"{key} = {_shown(listing[0]['value'], listing[0]['unit'])}")
    else:
        render.table(
            ["key", "value", "default", "what it does"],
            [
                [
                    e["key"],
                    _shown(e["value"], e["unit"]),
                    _shown(e["default"], e["unit"]),
                    e["help"],
                ]
                for e in listing
            ],
        )


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
    otherwise it makes a fresh demo database and prints its path.

    Example:

        givenet demo
    """
    from givenet.cli.ranking import print_due
    from givenet.db import DB_ENV, default_path
    from givenet.demo import build_demo
    from givenet.store.common import scalar

    chosen = state.db_path or (default_path() if os.environ.get(DB_ENV) else None)
    if chosen is None:
        folder = default_path().parent / "demo"
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        chosen = folder / f"demo-{stamp}.db"
        counter = 1
        while chosen.exists():
            counter += 1
            chosen = folder / f"demo-{stamp}-{counter}.db"
    state.db_path = chosen
    with open_db(write=True) as session:
        if scalar(session, "SELECT COUNT(*) FROM person"):
            raise Conflict(
                f"{chosen} already holds people; the demo fills only an empty database "
                "(run `givenet demo` without --db for a fresh one)"
            )
        written = build_demo(session, today())
    render.line(
        f"Demo network in {chosen}: {written['person']} people, {written['event']} event"
        f"{'s' * (written['event'] != 1)}, {written['meeting']} meetings, {written['ask']} asks, "
        f"{written['offer']} offers."
    )
    render.line(f"Try it: export GIVENET_DB={chosen}   then: givenet why Hana, givenet asks")
    render.line("")
    print_due(today(), limit=limit, include_all=False, as_json=False)


@app.command("db-path", rich_help_panel="Settings")
def db_path_command() -> None:
    """Print where the database is (--db, else $GIVENET_DB, else the app folder).

    Example:

        givenet db-path
    """
    render.line(str(db_path()))

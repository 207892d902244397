"""Taking a network out: export json, csv, vcard, ics."""

from __future__ import annotations

import typer

from givenet.cli.app import app

export_app = typer.Typer(
    help="Take your network out: JSON (everything), CSV, vCard, or an iCalendar of what is due.",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export", rich_help_panel="Your data")

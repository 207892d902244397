"""Bringing a network in: import linkedin, csv, vcard, json."""

from __future__ import annotations

import typer

from givenet.cli.app import app

import_app = typer.Typer(
    help="Bring a network in from LinkedIn, a spreadsheet, vCards or a givenet JSON export.",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import", rich_help_panel="Your data")

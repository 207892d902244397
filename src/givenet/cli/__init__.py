"""The givenet command line: Typer apps that parse arguments, call the core, and print.

Each module of this package registers its commands on ``givenet.cli.app.app``;
importing them here builds the whole command surface.
"""

from __future__ import annotations

from givenet.cli.app import app

# The order of these imports is the order of the panels in `givenet --help`.
# isort: off
from givenet.cli import (
    ranking,
    drafts,
    review,
    people,
    log,
    asks,
    giving,
    graph,
    events,
    data,
    export,
    safety,
    admin,
    agents,
)
# isort: on

__all__ = [
    "admin",
    "agents",
    "app",
    "asks",
    "data",
    "drafts",
    "events",
    "export",
    "giving",
    "graph",
    "log",
    "main",
    "people",
    "ranking",
    "review",
    "run",
    "safety",
]  # fmt: skip


def main() -> None:
    app()


def run() -> None:
    """The `givenet` command: ``main()`` without the interpreter's slow goodbye.

    A command lasts a fraction of a second and then the process ends, so the
    garbage collector and the interpreter's teardown (freeing every module and
    object one by one) are pure cost: about a third of a short command, measured
    in benchmarks/. Every transaction has committed or rolled back by the time
    ``main()`` returns; the output is flushed here, then the process exits at
    once. Tests call ``main()``/``app`` in-process and are unaffected.
    """
    import contextlib
    import gc
    import os
    import sys

    gc.disable()
    try:
        main()
        code = 0
    except SystemExit as exit_:
        if isinstance(exit_.code, str):
            sys.stderr.write(exit_.code + "\n")
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    for stream in (sys.stdout, sys.stderr):
        # A reader that stopped early (`givenet list | head`) is not an error.
        with contextlib.suppress(BrokenPipeError, ValueError):
            stream.flush()
    os._exit(code)

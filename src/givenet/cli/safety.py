"""Privacy, duplicates and safety: forget, merge, dupes, backup, check."""

from __future__ import annotations

from givenet.cli.app import app  # noqa: F401  (the commands below register on it)

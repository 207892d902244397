"""Exporters: turn what the store read into a file format, and write files safely.

Each module formats plain values (``json``, ``csv``, ``vcard``, ``ics``); none
reads the database or the clock. ``write_file`` is how every export reaches the
disk: owner-only, through a temporary file in the same folder and a rename, so a
crash never leaves half a file and an existing file is never replaced by accident.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from givenet.errors import Conflict, InvalidInput


def refuse_existing(path: Path, force: bool) -> None:
    """Fail early, before any work, when the file exists and ``--force`` was not given."""
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name with -o")
    if path.exists() and not force:
        raise Conflict(f"{path} already exists; add --force to replace it")
    if not path.parent.is_dir():
        raise InvalidInput(f"the folder {path.parent} does not exist")


def write_file(path: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``path`` (mode 0600) through a temporary file and a rename.

    Without ``force`` the file is put in place with a hard link, which fails if
    another process created ``path`` in the meantime: nothing is ever overwritten.
    """
    write_stream(path, lambda handle: handle.write(data), force=force)


def write_stream(path: Path, write: Callable[[BinaryIO], object], *, force: bool) -> None:
    """``write_file`` for a file written a piece at a time: ``write(handle)`` writes it all.

    A large export never has to be held in memory; a failure half-way leaves no file.
    """
    refuse_existing(path, force)
    temporary = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise InvalidInput(f"cannot write in {path.parent}: {error.strerror}") from None
    try:
        try:
            with os.fdopen(descriptor, "wb") as handle:
                write(handle)
                handle.flush()
                os.fsync(handle.fileno())
            if force:
                os.replace(temporary, path)
            else:
                _place_without_overwriting(temporary, path)
        except OSError as error:
            raise InvalidInput(f"cannot write {path}: {error.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _place_without_overwriting(temporary: Path, path: Path) -> None:
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise Conflict(f"{path} already exists; add --force to replace it") from None
    except OSError:
        # A file system without hard links: check, then rename.
        if path.exists():
            raise Conflict(f"{path} already exists; add --force to replace it") from None
        os.replace(temporary, path)

"""A share of a long pass computed in a forked process, on another core.

A bulk pass (``match --rebuild``, a restore's matching, a tag renamed on many offers)
reads what it needs from the database first, then forks: each child computes its
share from that memory alone and sends its results back through a pipe, while the
parent computes its own share and writes everything in its one transaction. A child
never touches the database (the parent's transaction is not committed, and an SQLite
connection cannot cross a fork): ``NO_DATABASE`` stands in for it there.

When a child fails or dies, ``Forked.results`` raises ``ShareLost`` once what it sent
is taken; the caller computes what it did not send. Where no process can be forked,
``Forked`` raises ``OSError``: the caller does the work itself. A child whose parent
stops is killed (``Forked.close``), or ends at its next write to the closed pipe.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

# At most this many processes share a pass (the parent counts as one).
MAX_WAYS = 4


def ways() -> int:
    """How many processes a pass can be split over: the cores this process may use,
    at most ``MAX_WAYS``; 1 where there is no ``fork``."""
    if not hasattr(os, "fork"):
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(MAX_WAYS, cores))


class Turns:
    """The numbers 0 … count - 1, each taken once by whichever process of a pass asks
    first (it works on part ``n`` of the pass): they wait in a pipe, written before any
    fork, and each read of 4 bytes takes one. No lock: a process that dies takes
    nothing more with it than the part it was on."""

    # 4 bytes each: all of them fit at once in the smallest pipe Linux gives (8 KiB, to
    # a user over the soft limit of pipe pages; 64 KiB otherwise).
    MOST = 2048

    def __init__(self, count: int) -> None:
        """``OSError`` if the pipe cannot hold them all (it never waits)."""
        if not 0 <= count <= self.MOST:
            raise ValueError(f"{count} turns: at most {self.MOST}")
        read, write = os.pipe()
        try:
            os.set_blocking(write, False)
            numbers = b"".join(n.to_bytes(4, "little") for n in range(count))
            if os.write(write, numbers) != len(numbers):
                raise OSError("the pipe took only part of the turns")
        except BaseException:
            os.close(read)
            raise
        finally:
            os.close(write)
        self.fd = read

    def __iter__(self) -> Iterator[int]:
        while len(taken := os.read(self.fd, 4)) == 4:
            yield int.from_bytes(taken, "little")

    def close(self) -> None:
        os.close(self.fd)


class ShareLost(Exception):
    """A forked share did not finish: its process failed or was killed."""


class _NoDatabase:
    """Where a forked share would find its database: any use of it fails."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"a forked share used the database ({name})")


NO_DATABASE: Any = _NoDatabase()

_DONE = "done"
_MAX_FD = 65536


class Forked:
    """``produce()`` run in a child process: each item it yields (any picklable value)
    comes back, in order, from ``poll`` (what has arrived) or ``results`` (the rest)."""

    def __init__(self, produce: Callable[[], Iterable[Any]], keep: Iterable[int] = ()) -> None:
        """``keep``: the file descriptors the child keeps open besides its pipe (``Turns``).
        ``OSError`` when no process can be forked (the caller does the work itself).
        """
        read, write = os.pipe()
        # No Ctrl-C between the fork and the child's own handling of it, nor before the
        # parent knows its child: it waits until then.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            pid = os.fork()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            os.close(read)
            os.close(write)
            raise
        if pid == 0:  # the child: whatever happens, it never returns into the caller
            try:
                os.close(read)
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
                _run_child(produce, write, {write, *keep})
            finally:
                os._exit(1)
        self.pid: int | None = pid
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(write)
        self._arrived: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._finished = False  # the end marker, or the pipe's end, has come
        self._lost = False  # … and it was the pipe's end: the child did not finish
        self._reader = threading.Thread(target=self._read, args=(read,), daemon=True)
        try:
            self._reader.start()
        except BaseException:
            os.close(read)
            self.close()
            raise

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as pipe:
            while True:
                try:
                    message = pickle.load(pipe)
                except Exception:  # the pipe closed early, or what came is cut short
                    self._arrived.put((False, None))
                    return
                if type(message) is str and message == _DONE:
                    self._arrived.put((False, _DONE))
                    return
                self._arrived.put((True, message))

    def poll(self) -> list[Any]:
        """What the child has sent since the last look, without waiting."""
        taken = []
        while not self._finished:
            try:
                item = self._arrived.get_nowait()
            except queue.Empty:
                break
            taken.extend(self._take(item))
        return taken

    def results(self) -> Iterator[Any]:
        """The rest of what the child sends, as it comes; ``ShareLost`` if it fails."""
        while not self._finished:
            yield from self._take(self._arrived.get())
        status = self._reap()
        if self._lost or status not in (0, None):
            raise ShareLost(f"the forked share ended with status {status}")

    def _take(self, item: tuple[bool, Any]) -> list[Any]:
        more, message = item
        if more:
            return [message]
        self._finished = True
        self._lost = message != _DONE
        return []

    def _reap(self) -> int | None:
        """The child's exit code; None when it is not known (a parent that ignores
        SIGCHLD has its children reaped by the system: the end marker then tells)."""
        if self.pid is None:
            return None
        pid, self.pid = self.pid, None
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = None
        if self._reader.ident is not None:
            self._reader.join()
        return None if status is None else os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        """Stop the child if it still runs (the parent failed or was interrupted)."""
        if self.pid is None:
            return
        if not self._finished:  # else it has sent its end and is leaving
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self._reap()


def _run_child(produce: Callable[[], Iterable[Any]], fd: int, keep: set[int]) -> None:
    code = 1
    try:
        # Only its own pipe and the turns stay open: not the database's file, nor the
        # pipes of the shares forked before it (a parent that stops is seen at the next
        # write).
        start = 3
        for kept in sorted(keep):
            os.closerange(start, kept)
            start = kept + 1
        os.closerange(start, _MAX_FD)
        # Nor the terminal or the pipes of whoever reads the parent's output.
        quiet = os.open(os.devnull, os.O_RDWR)
        for standard in (0, 1, 2):
            os.dup2(quiet, standard)
        os.close(quiet)
        with os.fdopen(fd, "wb") as pipe:
            for item in produce():
                pickle.dump(item, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                pipe.flush()
            pickle.dump(_DONE, pipe)
        code = 0
    except BaseException:  # the parent computes the share itself
        pass
    finally:
        # No exit handlers, no buffers flushed, nothing of the parent's closed.
        os._exit(code)

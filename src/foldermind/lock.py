"""One training, one daemon at a time per data folder: an OS file lock, released even when the process is killed."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from foldermind.errors import FoldermindError

DAEMON_LOCK = "daemon.lock"  # in the data folder: held while `foldermind run` serves it (daemon/run.py)


class AlreadyRunning(FoldermindError):
    """Another process holds the lock."""


@contextmanager
def exclusive(path: Path, what: str) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise AlreadyRunning(f"{what} is already running (pid {holder}); wait for it to finish.") from None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.seek(0)
        handle.truncate()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def held(path: Path) -> bool:
    """Whether a process holds the lock at `path` now (`exclusive`); False where none ever took it."""
    if not path.exists():
        return False
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False

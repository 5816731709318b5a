"""Folder events from watchdog, reduced to "these paths changed".

The native observer (inotify on Linux) is used when it can start; when it cannot (the inotify watch limit
is reached, a network file system), the polling observer takes over and the log says why. Every event
only marks paths dirty: the indexer then compares the disk with the manifest, so however many events
a save produces (watchdog sends about six per written file, an editor's atomic save arrives as a move),
each file ends up indexed once, and nothing stale is left.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from foldermind.indexer.scan import IGNORE_FILE

log = logging.getLogger(__name__)
FULL_RESCAN = ""  # a dirty path meaning "the whole folder"


class DirtyPaths(FileSystemEventHandler):
    """Collects relative paths named by events; `on_dirty` wakes whoever indexes them."""

    def __init__(self, root: Path, on_dirty: Callable[[], None]) -> None:
        self.root = os.path.realpath(root)
        self.on_dirty = on_dirty
        self.lock = threading.Lock()
        self.paths: set[str] = set()

    def _mark(self, path: str | bytes) -> None:
        relative = os.path.relpath(os.fsdecode(path), self.root)  # the observer watches the real path
        if relative.startswith(".."):
            return
        relative = "" if relative == "." else relative.replace(os.sep, "/")
        if os.path.basename(relative) == IGNORE_FILE:
            relative = FULL_RESCAN  # the rules changed: everything may be in or out now
        self.add(relative)
        self.on_dirty()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return  # a folder's "modified" only echoes the file events inside it
        self._mark(event.src_path)
        dest = getattr(event, "dest_path", "")
        if dest:
            self._mark(dest)

    def add(self, relative: str) -> None:
        with self.lock:
            self.paths.add(relative)

    def take(self) -> set[str]:
        with self.lock:
            taken, self.paths = self.paths, set()
        return taken

    def pending(self) -> int:
        with self.lock:
            return len(self.paths)


def start_observer(root: Path, handler: DirtyPaths, force_polling: bool = False) -> tuple[object, str]:
    """(observer, "native" or "polling"): the native one when the system allows it."""
    if not force_polling:
        observer = Observer()
        try:
            observer.schedule(handler, handler.root, recursive=True)
            observer.start()
            return observer, "native"
        except OSError as exc:
            log.warning(
                "Cannot watch %s natively (%s); polling it every second instead. On Linux, raise the limit with "
                "`sudo sysctl fs.inotify.max_user_watches=524288`.",
                root,
                exc,
            )
    observer = PollingObserver(timeout=1)
    observer.schedule(handler, handler.root, recursive=True)
    observer.start()
    return observer, "polling"

"""Folder events from watchdog, reduced to "these paths changed".

The native observer (inotify on Linux) is used when it can start; when it cannot (the inotify watch limit
is reached, a network file system), the polling observer takes over and the log says why. Every event
only marks paths dirty: the indexer then compares the disk with the manifest, so however many events
a save produces (watchdog sends about six per written file, an editor's atomic save arrives as a move),
each file ends up indexed once, and nothing stale is left.

Folders linked into the context folder are watched too (the observer does not follow links): each link's
target that the indexer walks gets a watch of its own, and its events are named the way the index names
the files, through the link. A file linked in from elsewhere is watched through its own folder (only that
file's events count). Where the links lead is planned again whenever a folder or a link comes or goes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from foldermind.indexer.scan import IGNORE_FILE, IgnoreRules, walk_folders

log = logging.getLogger(__name__)
FULL_RESCAN = ""  # a dirty path meaning "the whole folder"


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@dataclass(frozen=True)
class WatchPlan:
    """Where the folders the indexer walks really are: the real path of the context folder and of each folder
    reached through a link, with the path the index names it by (the link the walk took first)."""

    folders: dict[str, str]  # real path -> path relative to the context folder ("" for the folder itself)
    links: frozenset[str] = field(default_factory=frozenset)  # where the followed links lie (their own paths)
    files: dict[str, list[str]] = field(default_factory=dict)  # a linked file's real path -> the links' names

    def names(self, path: str) -> list[str]:
        """The index's names for a path an event named (a real path): through its planned folder, and those of
        the links to it (a file linked in from elsewhere has only those)."""
        relative = self.relative(path)
        return ([relative] if relative is not None else []) + self.files.get(path, [])

    def relative(self, path: str) -> str | None:
        """The index's name for a path an event named (a real path), or None when it is in no planned folder."""
        folder, rest = path, []
        while folder not in self.folders:
            parent = os.path.dirname(folder)
            if parent == folder:
                return None
            rest.append(os.path.basename(folder))
            folder = parent
        return "/".join(part for part in (self.folders[folder], *reversed(rest)) if part)

    def roots(self) -> list[str]:
        """The real folders to watch recursively: each planned folder not inside another one."""
        chosen: list[str] = []
        for folder in sorted(self.folders, key=len):
            if not any(_under(folder, top) for top in chosen):
                chosen.append(folder)
        return chosen

    def file_folders(self) -> list[str]:
        """The real folders of linked files that no recursive watch covers: each watched alone (not its
        subfolders)."""
        roots = self.roots()
        parents = {os.path.dirname(path) for path in self.files}
        return sorted(folder for folder in parents if not any(_under(folder, top) for top in roots))


def plan_watches(root: Path, ignore: list[str], follow_links: bool) -> WatchPlan:
    """Walk the folder as the indexer does (same ignore rules, same loop protection) and note each link it
    follows to a folder or a file; without `follow_links` only the folder itself is watched."""
    folders = {os.path.realpath(root): ""}
    links: set[str] = set()
    files: dict[str, list[str]] = {}
    if follow_links:
        for folder, relative, names in walk_folders(root, IgnoreRules(root, ignore), follow_links=True):
            if os.path.islink(folder):
                links.add(os.path.join(os.path.realpath(os.path.dirname(folder)), os.path.basename(folder)))
                folders.setdefault(os.path.realpath(folder), relative)
            for name in names:
                path = os.path.join(folder, name)
                if os.path.islink(path) and os.path.isfile(path):
                    links.add(os.path.join(os.path.realpath(folder), name))
                    files.setdefault(os.path.realpath(path), []).append(f"{relative}/{name}" if relative else name)
    return WatchPlan(folders, frozenset(links), files)


class DirtyPaths(FileSystemEventHandler):
    """Collects relative paths named by events; `on_dirty` wakes whoever indexes them."""

    def __init__(self, root: Path, on_dirty: Callable[[], None]) -> None:
        self.root = os.path.realpath(root)
        self.on_dirty = on_dirty
        self.lock = threading.Lock()
        self.paths: set[str] = set()
        self.plan = WatchPlan({self.root: ""})  # FolderWatch replaces it with the linked folders
        self.replan = False  # a folder or a link came or went: the linked folders may have changed

    def _mark(self, path: str) -> None:
        names = self.plan.names(path)  # the observer watches real paths
        if not names:
            return
        for relative in names:
            self.add(FULL_RESCAN if os.path.basename(relative) == IGNORE_FILE else relative)  # the rules changed
        self.on_dirty()

    def _moves_folders(self, event: FileSystemEvent, paths: list[str]) -> bool:
        """Whether a folder or a link (to a folder, maybe) came or went."""
        if event.event_type not in ("created", "deleted", "moved"):
            return False
        return event.is_directory or any(path in self.plan.links or os.path.islink(path) for path in paths)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return  # a folder's "modified" only echoes the file events inside it
        paths = [os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        if not any(self.plan.names(path) for path in paths):
            return  # the rest of a folder watched for one linked file (its other files, folders and links)
        if self._moves_folders(event, paths):
            with self.lock:
                self.replan = True
        for path in paths:
            self._mark(path)

    def take_replan(self) -> bool:
        """Whether the linked folders should be planned again since the last call."""
        with self.lock:
            wanted, self.replan = self.replan, False
        return wanted

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


class FolderWatch:
    """The observer and its watches: the context folder, and the folders linked into it that the indexer
    follows, each watched once however many ways lead to it."""

    def __init__(self, root: Path, ignore: list[str], follow_links: bool, handler: DirtyPaths) -> None:
        self.root, self.ignore, self.follow_links, self.handler = root, ignore, follow_links, handler
        self.observer: BaseObserver | None = None
        self.watches: dict[str, ObservedWatch] = {}  # real folder -> its watch
        self.recursive: dict[str, bool] = {}  # real folder -> whether its watch takes in its subfolders
        self.lock = threading.Lock()

    def start(self, force_polling: bool = False) -> str:
        """Watch the context folder: "native" when the system allows it, else "polling". The linked folders
        are added by `replan`, which the indexer calls before its first reconcile."""
        if not force_polling:
            try:
                return self._start(Observer(), "native")
            except OSError as exc:
                log.warning(
                    "Cannot watch %s natively (%s); polling it every second instead. On Linux, raise the limit "
                    "with `sudo sysctl fs.inotify.max_user_watches=524288`.",
                    self.root,
                    exc,
                )
        return self._start(PollingObserver(timeout=1), "polling")

    def _start(self, observer: BaseObserver, mode: str) -> str:
        watch = observer.schedule(self.handler, self.handler.root, recursive=True)
        observer.start()
        self.observer, self.watches, self.recursive = observer, {self.handler.root: watch}, {self.handler.root: True}
        return mode

    def replan(self) -> None:
        """Walk the folder for its links again; watch the folders newly linked, stop watching the ones gone."""
        plan = plan_watches(self.root, self.ignore, self.follow_links)
        wanted = {folder: True for folder in plan.roots()} | {folder: False for folder in plan.file_folders()}
        with self.lock:
            if self.observer is None:
                return
            # gone, or now wanted otherwise (a linked file's folder since linked in whole: watched recursively)
            for folder in [f for f in self.watches if wanted.get(f) != self.recursive.get(f)]:
                with contextlib.suppress(KeyError):  # its emitter ended already (the folder was deleted)
                    self.observer.unschedule(self.watches.pop(folder))
            for folder, recursive in wanted.items():
                if folder not in self.watches:
                    self._watch(folder, recursive)
            self.handler.plan = plan
        if len(wanted) > 1:
            log.debug("Watching %s", ", ".join(wanted))

    def _watch(self, folder: str, recursive: bool) -> None:
        assert self.observer is not None
        try:
            self.watches[folder] = self.observer.schedule(self.handler, folder, recursive=recursive)
            self.recursive[folder] = recursive
        except OSError as exc:  # the inotify watch limit, or the folder went away meanwhile
            log.warning("Cannot watch the linked folder %s (%s); `foldermind index` picks up its changes.", folder, exc)

    def stop(self) -> None:
        if self.observer is not None:
            self.observer.stop()

    def join(self, timeout: float) -> None:
        if self.observer is not None:
            self.observer.join(timeout)

"""The indexing worker: waits for dirty paths, lets a burst settle, then brings those paths up to date.

Its first job is a full reconcile of the folder (whatever changed while the daemon was down). An error
(a full disk, a crashing extractor) is logged and retried with a full reconcile; the thread never dies.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from foldermind.config import DaemonConfig
from foldermind.daemon.watcher import FULL_RESCAN, DirtyPaths
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder

log = logging.getLogger(__name__)
RETRY_SECONDS = 5.0
BURST_FILES = 100  # this many changed files waiting make a burst
BURST_MAX_DELAY = 30.0  # seconds a burst may keep arriving before indexing starts anyway


@dataclass
class WorkerStatus:
    indexing: bool = False
    last_indexed: str | None = None
    last_indexed_at: float | None = None
    last_run_seconds: float | None = None
    runs: int = 0
    errors: int = 0
    recent_failures: dict[str, str] = field(default_factory=dict)
    reading: tuple[int, int] | None = None  # files read and to read, while a pass reads files


class IndexWorker(threading.Thread):
    def __init__(
        self, index: Index, dirty: DirtyPaths, config: DaemonConfig, replan: Callable[[], None] = lambda: None
    ) -> None:
        super().__init__(name="indexer", daemon=True)
        self.index = index
        self.dirty = dirty
        self.config = config
        self.replan = replan  # plans the watches of linked folders again (a folder or a link came or went)
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.status = WorkerStatus()
        self.first_event: float | None = None
        self.last_event = 0.0
        self.dirty.add(FULL_RESCAN)  # reconcile first
        self.wake.set()

    def notify(self) -> None:
        if self.first_event is None:
            self.first_event = time.monotonic()
        self.last_event = time.monotonic()
        self.wake.set()

    def queue_length(self) -> int:
        return self.dirty.pending()

    def _settle(self) -> None:
        """Wait until events stop for the debounce time, or the longest delay has passed. While a burst is
        arriving (a folder copied in), wait for it to end: indexing it in one pass is faster than chasing it
        in small batches, and a copy of many files gives nobody a reason to want the first ones a second early."""
        quiet = self.config.debounce_ms / 1000
        while not self.stopping.is_set():
            longest = self.config.max_delay_ms / 1000
            if self.dirty.pending() >= BURST_FILES:
                longest = max(longest, BURST_MAX_DELAY)
            now = time.monotonic()
            last, first = self.last_event, self.first_event or now
            if now - last >= quiet or now - first >= longest:
                return
            time.sleep(min(0.05, quiet))

    def run(self) -> None:
        _ = self.index.embedder  # load the model now, so the first change after start is fresh too
        while not self.stopping.is_set():
            self.wake.wait(timeout=1.0)
            if self.stopping.is_set():
                return
            if not self.dirty.pending():
                self.wake.clear()
                continue
            self._settle()
            self.wake.clear()
            self.first_event = None
            paths = self.dirty.take()
            self._index(None if FULL_RESCAN in paths else paths)

    def _index(self, only: set[str] | None) -> None:
        self.status.indexing = True
        started = time.monotonic()
        try:
            if self.dirty.take_replan() or only is None:  # before the scan, so nothing it finds goes unwatched
                self.replan()
            report = index_folder(
                self.index, progress=self._progress, only=only, waiting=lambda: self.dirty.pending() > 0
            )
        except Exception:
            self.status.errors += 1
            log.exception("Indexing failed; retrying with a full rescan in %.0f s", RETRY_SECONDS)
            self.stopping.wait(RETRY_SECONDS)
            self.dirty.add(FULL_RESCAN)
            self.wake.set()
            return
        finally:
            self.status.indexing = False
        for path in report.deferred:  # a recording or scan waits behind the changes that came in meanwhile
            self.dirty.add(path)
        if report.deferred:
            self.wake.set()
        self.status.runs += 1
        self.status.last_run_seconds = round(time.monotonic() - started, 3)
        self.status.recent_failures.update(report.failed)
        if report.indexed or report.removed:
            self.status.last_indexed = (report.indexed or report.removed)[-1]
            self.status.last_indexed_at = time.time()
            log.info(
                "Indexed %d, removed %d file(s) in %.2f s%s",
                len(report.indexed),
                len(report.removed),
                self.status.last_run_seconds,
                " (full reconcile)" if only is None else "",
            )

    @contextmanager
    def _progress(self, total: int) -> Iterator[Callable[[str], None]]:
        """Counts the files a pass has read, for "still reading your folder (3 of 120 files)"."""
        self.status.reading = (0, total)

        def advance(path: str) -> None:
            done, of = self.status.reading or (0, total)
            self.status.reading = (done + 1, of)

        try:
            yield advance
        finally:
            self.status.reading = None

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        self.wake.set()
        self.join(timeout)

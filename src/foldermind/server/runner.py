"""One llama.cpp model serving requests one at a time, in arrival order, with hot swap of the live model.

llama.cpp contexts are not thread-safe, so every call to a model runs on one worker thread; the event loop
only queues. A waiting line longer than `max_queue` is answered 429. A promoted model (the `models/current`
pointer) is loaded beside the old one on another thread and swapped in between two requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from foldermind.config import Config
from foldermind.llama import chat_stream, count_tokens, load_llama, truncate
from foldermind.models import BASE, ModelVersion, live_version, versions
from foldermind.server.errors import APIError

log = logging.getLogger(__name__)
_DONE = object()


@dataclass
class Loaded:
    version: ModelVersion
    llama: Any
    stamp: tuple[str, float]


def _stamp(version: ModelVersion) -> tuple[str, float]:
    return (str(version.path), version.path.stat().st_mtime)


class Admission:
    """A request's place in the queue, given back exactly once: when its answer ends or its client leaves."""

    def __init__(self, runner: ModelRunner) -> None:
        self.runner: ModelRunner | None = runner

    def release(self) -> None:
        if self.runner is not None:
            self.runner.admitted -= 1
            self.runner.working(-1)
            self.runner = None


class ModelRunner:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="llama")
        self.turn = asyncio.Lock()  # asyncio.Lock wakes waiters first-come first-served
        self.admitted = 0  # requests holding a place: the one generating and those waiting for it
        self.active = 0  # admitted requests, and requests still finding their evidence
        # Told True when a request starts on an idle server, False when the last one ends (the daemon pauses
        # training meanwhile: two thread pools sharing 2 cores slow both down).
        self.on_busy: Callable[[bool], None] | None = None
        self.cancelled = 0  # generations stopped early: their client left, a quote replaced them, they ended
        self.live = self._load(live_version(config.data_dir, config.server.base_model))
        self.extra: Loaded | None = None  # one other version, for requests that name it
        self._next: Loaded | None = None
        self._loading = threading.Lock()

    def _load(self, version: ModelVersion) -> Loaded:
        threads = self.config.server.n_threads or os.cpu_count() or 1
        llama = load_llama(
            version.path,
            gpu_layers=self.config.server.gpu_layers,
            n_ctx=self.config.server.n_ctx,
            n_threads=threads,
            flash_attn=self.config.server.flash_attn,
            verbose=False,
        )
        log.info("Loaded model %s (%s)", version.name, version.path.name)
        return Loaded(version, llama, _stamp(version))

    # hot swap ---------------------------------------------------------------------------------------
    def check_for_new_model(self) -> None:
        """Start loading a newly promoted model in the background; cheap to call often (a stat or two)."""
        wanted = live_version(self.config.data_dir, self.config.server.base_model)
        if _stamp(wanted) == self.live.stamp or not self._loading.acquire(blocking=False):
            return
        pending = self._next

        def load() -> None:
            try:
                if pending is None or pending.stamp != _stamp(wanted):
                    self._next = self._load(wanted)
            except Exception:
                log.exception("Could not load the promoted model %s; the current one stays live", wanted.name)
            finally:
                self._loading.release()

        threading.Thread(target=load, name="model-loader", daemon=True).start()

    def _swap_if_ready(self) -> None:
        if self._next is not None:
            old, self.live, self._next = self.live, self._next, None
            log.info("Live model is now %s (was %s)", self.live.version.name, old.version.name)

    async def watch(self, interval: float = 1.0) -> None:
        """Look for a promoted model every second; swap it in as soon as no request is running."""
        while True:
            await asyncio.sleep(interval)
            with contextlib.suppress(Exception):
                self.check_for_new_model()
            if self._next is not None:
                async with self.turn:
                    self._swap_if_ready()

    # queueing ---------------------------------------------------------------------------------------
    @property
    def waiting(self) -> int:
        return max(0, self.admitted - (1 if self.turn.locked() else 0))

    def admit(self) -> Admission:
        """Reserve a place for a request, or refuse it with 429 before its response starts (a stream cannot
        change its status once begun). Check and reservation are one step: the event loop runs no other
        request between them, so no burst gets more places than `max_queue` waiting plus one generating."""
        if self.admitted >= self.config.server.max_queue + 1:
            raise APIError(
                429,
                f"{self.waiting} requests are already waiting for the model; try again shortly.",
                "rate_limit_error",
                code="queue_full",
                headers={"Retry-After": "2"},
            )
        self.admitted += 1
        self.working(+1)
        return Admission(self)

    def working(self, change: int) -> None:
        """Count work in progress; tell `on_busy` when the server goes from idle to busy and back."""
        self.active += change
        if self.on_busy is not None and self.active == (1 if change > 0 else 0):
            self.on_busy(change > 0)

    @contextlib.contextmanager
    def busy(self) -> Iterator[None]:
        """Work before a request is admitted (retrieval, evidence scoring) counts as busy too."""
        self.working(+1)
        try:
            yield
        finally:
            self.working(-1)

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """The model, once the requests admitted before this one are done with it."""
        async with self.turn:
            self._swap_if_ready()
            yield

    def model_for(self, name: str) -> Loaded:
        """The live model, or another version by name (kept loaded until a third one is asked for)."""
        if name in ("foldermind", self.live.version.name):
            return self.live
        if self.extra is not None and self.extra.version.name == name:
            return self.extra
        known = {v.name: v for v in versions(self.config.data_dir, self.config.server.base_model)}
        if name not in known:
            raise APIError(
                404,
                f"The model '{name}' does not exist; GET /v1/models lists them.",
                param="model",
                code="model_not_found",
            )
        self.extra = self._load(known[name])
        return self.extra

    def known_models(self) -> list[ModelVersion]:
        return versions(self.config.data_dir, self.config.server.base_model)

    @property
    def live_name(self) -> str:
        return self.live.version.name if self.live.version.name != BASE else f"{BASE} ({self.live.version.path.name})"

    # generation -------------------------------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        return count_tokens(self.live.llama, text)

    def truncate(self, text: str, tokens: int) -> str:
        """The text cut to its first `tokens` tokens."""
        return truncate(self.live.llama, text, tokens)

    async def stream(self, model: Loaded, messages: list[dict], params: dict[str, Any]) -> AsyncIterator[dict]:
        """Chunks as llama.cpp produces them; when the consumer goes away, generation stops at the next token."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Any] = asyncio.Queue()
        cancelled = threading.Event()

        def produce() -> None:
            chunks: Iterator[dict] = chat_stream(model.llama, messages, params)
            try:
                for chunk in chunks:
                    if cancelled.is_set():
                        self.cancelled += 1
                        log.debug("Stopped a generation early (its client left, a quote replaced it or it ended)")
                        break
                    loop.call_soon_threadsafe(queue.put_nowait, chunk)
            except Exception as exc:
                loop.call_soon_threadsafe(queue.put_nowait, exc)
            finally:
                with contextlib.suppress(Exception):
                    chunks.close()  # type: ignore[attr-defined]
                loop.call_soon_threadsafe(queue.put_nowait, _DONE)

        worker = loop.run_in_executor(self.executor, produce)
        try:
            while (item := await queue.get()) is not _DONE:
                if isinstance(item, Exception):
                    raise item
                yield item
        finally:
            cancelled.set()
            await asyncio.shield(worker)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

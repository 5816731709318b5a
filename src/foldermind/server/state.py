"""What the server holds while it runs: the index (read side) and the model runner."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from foldermind.config import Config
from foldermind.indexer.index import Index
from foldermind.indexer.search import Hit, Mode, search
from foldermind.server.runner import ModelRunner


class ServerState:
    def __init__(self, config: Config, index: Index | None = None, runner: ModelRunner | None = None) -> None:
        self.config = config
        self.index = index or Index(config)
        self.runner = runner or ModelRunner(config)
        self.lock = threading.Lock()  # one SQLite connection, shared by request threads
        self.extra_status: Callable[[], dict[str, Any]] | None = None  # the daemon adds its own state

    def search(self, query: str, k: int | None, mode: Mode | None, where: dict[str, str]) -> list[Hit]:
        with self.lock:
            return search(self.index, query, k=k, mode=mode, where=where)

    def counts(self) -> dict[str, int]:
        with self.lock:
            return self.index.manifest.counts()

    def manifest_call(self, method: str, *args: Any) -> Any:
        with self.lock:
            return getattr(self.index.manifest, method)(*args)

    def close(self) -> None:
        self.runner.close()
        self.index.close()

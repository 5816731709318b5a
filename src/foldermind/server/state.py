"""What the server holds while it runs: the index (read side) and the model runner."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from foldermind.config import Config
from foldermind.evidence import Passage, find_evidence, with_head
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
        self.watched = False  # True in the daemon, whose watcher indexes what is written into the folder

    def search(self, query: str, k: int | None, mode: Mode | None, where: dict[str, str]) -> list[Hit]:
        with self.lock:
            return search(self.index, query, k=k, mode=mode, where=where)

    def evidence(self, question: str, hits: list[Hit]) -> list[Passage]:
        """The passages to answer from, best first, each with its heading line even if the chunk before has it."""
        server = self.config.server
        chosen = find_evidence(
            question,
            hits,
            self.index.embedder.encode,
            server.keyword_weight,
            server.evidence_passages,
            server.evidence_margin,
        )
        return [with_head(p, self.manifest_call("chunk_before", p.hit.chunk_id)) for p in chosen]

    def counts(self) -> dict[str, int]:
        with self.lock:
            return self.index.manifest.counts()

    def index_status(self) -> dict[str, Any]:
        with self.lock:
            return self.index.status()

    def manifest_call(self, method: str, *args: Any) -> Any:
        with self.lock:
            return getattr(self.index.manifest, method)(*args)

    def close(self) -> None:
        self.runner.close()
        self.index.close()

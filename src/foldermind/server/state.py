"""What the server holds while it runs: the notes (the index's read side) and the model runner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from foldermind.answer import Notes
from foldermind.config import Config
from foldermind.indexer.index import Index
from foldermind.indexer.search import Hit, Mode
from foldermind.server.runner import ModelRunner


class ServerState:
    def __init__(self, config: Config, index: Index | None = None, runner: ModelRunner | None = None) -> None:
        self.config = config
        self.index = index or Index(config)
        self.notes = Notes(self.index, config.server)
        self.runner = runner or ModelRunner(config)
        self.extra_status: Callable[[], dict[str, Any]] | None = None  # the daemon adds its own state
        self.watched = False  # True in the daemon, whose watcher indexes what is written into the folder

    def search(self, query: str, k: int | None, mode: Mode | None, where: dict[str, str]) -> list[Hit]:
        return self.notes.search(query, k, mode, where)

    def counts(self) -> dict[str, int]:
        return self.notes.manifest("counts")

    def index_status(self) -> dict[str, Any]:
        with self.notes.lock:
            return self.index.status()

    def manifest_call(self, method: str, *args: Any) -> Any:
        return self.notes.manifest(method, *args)

    def close(self) -> None:
        self.runner.close()
        self.index.close()

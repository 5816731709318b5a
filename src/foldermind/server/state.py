"""What the server holds while it runs: the notes (the index's read side) and the model runner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request

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
        self.reading: Callable[[], tuple[int, int] | None] = lambda: None  # files read / to read, while indexing
        self.start_training: Callable[[], bool] | None = None  # the daemon's "train now"; False if one runs
        self.watched = False  # True in the daemon, whose watcher indexes what is written into the folder

    def search(self, query: str, k: int | None, mode: Mode | None, where: dict[str, str]) -> list[Hit]:
        return self.notes.find(query, k, mode, where)

    def counts(self) -> dict[str, int]:
        return self.notes.manifest("counts")

    def index_status(self) -> dict[str, Any]:
        with self.notes.lock:
            return self.index.status()

    def empty_answer(self, empty: str) -> str:
        """What a question is told when the notes hold nothing for it: `empty`, unless the folder is being read
        now (the answer may be in a file not read yet)."""
        progress = self.reading()
        if progress is None:
            return empty
        done, total = progress
        return f"I am still reading your folder ({done} of {total} files); ask again in a moment."

    def manifest_call(self, method: str, *args: Any) -> Any:
        return self.notes.manifest(method, *args)

    def close(self) -> None:
        self.runner.close()
        self.index.close()


def current(request: Request) -> ServerState:
    """The running app's state, for routes: `state: State`."""
    return request.app.state.foldermind


State = Annotated[ServerState, Depends(current)]

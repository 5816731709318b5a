"""A real foldermind server on loopback, in a thread of the test process (sharing the loaded embedder)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from foldermind.config import Config
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from foldermind.server.app import create_app
from foldermind.server.state import ServerState
from tests.helpers import free_port


@contextmanager
def running_server(config: Config, embedder: Embedder) -> Iterator[tuple[str, ServerState]]:
    state = ServerState(config, index=Index(config, embedder=embedder))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(config, state), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", state
    finally:
        server.should_exit = True
        thread.join(10)
        state.close()

"""Where a server can listen, and the app on a free loopback port in a thread of this process: how `ask`
works without a daemon, and how tests and benchmarks talk real HTTP to a server that shares their models."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from foldermind.errors import FoldermindError


def port_taken(host: str, port: int) -> str | None:
    """Why the server could not listen there (the OS's words), or None when it could."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server_in_thread(app: FastAPI, timeout: float = 120) -> Iterator[str]:
    """Yields the server's URL once it accepts requests; stops it on exit."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise FoldermindError("The chat server did not start; run `foldermind serve -v` to see why.")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)

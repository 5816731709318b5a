"""`foldermind mcp`: the MCP server on stdio, the way Claude Desktop, Claude Code and editors start one.

When the daemon runs, this process only copies its stdin to the daemon's MCP socket and the replies to its
stdout (the daemon's SDK server speaks the stdio transport there, server/mcp.py serve_socket), so it starts
within a second, imports nothing of the SDK and never loads the models a second time, as `foldermind search`
does. Otherwise it loads the index and the model itself and serves the same tools with the SDK.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys
import threading
from pathlib import Path
from typing import Any

from foldermind.config import Config

log = logging.getLogger(__name__)
SOCKET_NAME = "mcp.sock"  # in the data folder, while the daemon runs
CHUNK = 65536  # bytes copied at a time


def socket_path(config: Config) -> Path:
    """Where the running daemon serves MCP to `foldermind mcp` processes of this home."""
    return config.data_dir / SOCKET_NAME


def serve_stdio(config: Config) -> None:
    """Serve MCP on stdin/stdout until the client closes them."""
    if relay(socket_path(config)):
        return
    import anyio

    anyio.run(_in_process, config)


def relay(path: Path) -> bool:
    """Copy stdin to the daemon's socket at `path` and what it sends back to stdout, until the client closes
    stdin and the daemon has answered, or the daemon goes away. False when no daemon listens there."""
    daemon = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        daemon.connect(str(path))
    except OSError:  # no socket (no daemon), or one a crashed daemon left
        daemon.close()
        return False
    log.info("Answering through the daemon (%s)", path)

    def upstream() -> None:
        try:
            while data := os.read(sys.stdin.fileno(), CHUNK):
                daemon.sendall(data)
            daemon.shutdown(socket.SHUT_WR)  # the daemon finishes what it was asked, then closes
        except OSError:
            pass  # the daemon went away: the loop below ends

    threading.Thread(target=upstream, daemon=True).start()
    with daemon, contextlib.suppress(BrokenPipeError):  # BrokenPipeError: the client stopped reading
        while data := daemon.recv(CHUNK):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
    return True


async def _in_process(config: Config) -> None:
    """The tools over this process's own index and model, loaded in the background while the client
    connects: the first tool call waits for them (a few seconds), the handshake does not."""
    import concurrent.futures

    from foldermind.server.mcp import create_mcp
    from foldermind.server.state import ServerState

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        loading = pool.submit(ServerState, config)
        try:
            await create_mcp(config, loading.result).run_stdio_async()
        finally:
            if loading.exception() is None:
                loading.result().close()


def client_config(config: Config) -> dict[str, Any]:
    """How an MCP client starts this home's server: the command with its absolute path, and its arguments."""
    here = Path(sys.executable).parent / "foldermind"  # the script beside this interpreter (a venv's bin/)
    command, args = (str(here), []) if here.is_file() else (sys.executable, ["-m", "foldermind"])
    return {"command": command, "args": [*args, "mcp", "--home", str(config.home)]}

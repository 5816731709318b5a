"""The terminal's way to the server: the running one if there is one, else a private one (chat) or the
work done in this process (search, status).

Either way `ask` and `chat` speak HTTP to the same endpoint other tools use, so there is one code path.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import httpx

from foldermind.config import Config
from foldermind.errors import FoldermindError
from foldermind.lock import DAEMON_LOCK, held

if TYPE_CHECKING:
    from foldermind.indexer.index import Index
    from foldermind.indexer.pipeline import ProgressHook

log = logging.getLogger(__name__)


def auth_headers(config: Config) -> dict[str, str]:
    """The Bearer token a client sends when [server] api_key is set; none otherwise."""
    return {"Authorization": f"Bearer {config.server.api_key}"} if config.server.api_key else {}


def daemon_url(config: Config) -> str:
    """Where this home's server listens, as a client on this machine reaches it."""
    host = "127.0.0.1" if config.server.host in ("0.0.0.0", "::") else config.server.host
    return f"http://{host}:{config.server.port}"


def daemon_running(url: str, config: Config) -> bool:
    """Whether this home's foldermind server answers at `url` (within a second): a server of another home on the
    same port (two homes keep the default 8765) is none, so its index is not searched for this one's. A server
    that names no home (one started before servers named theirs, or one whose API key this home lacks) is taken
    for this home's, as before."""
    try:
        reply = httpx.get(f"{url}/health", timeout=1.0, headers=auth_headers(config))
        return reply.status_code == 200 and reply.json().get("home", config.home_id) == config.home_id
    except (httpx.HTTPError, ValueError, AttributeError):  # no JSON object: not a foldermind server
        return False


def daemon_get(config: Config, path: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """GET from this home's running server, or None when none answers: the caller then does the work itself.
    This is how `search` and `status` from the shell skip loading torch and the models (about 6 s) when the
    daemon already has them."""
    if not daemon_running(daemon_url(config), config):
        return None
    try:
        reply = httpx.get(f"{daemon_url(config)}{path}", params=params, headers=auth_headers(config), timeout=30.0)
    except httpx.HTTPError:
        return None
    if reply.status_code == 400:
        raise FoldermindError(reply.json().get("error", {}).get("message", reply.text))
    return reply.json() if reply.status_code == 200 else None


def read_changes(config: Config, index: Index, progress: ProgressHook | None = None) -> None:
    """Bring the index in line with the folder before `ask`, `chat` or `search` answer with no server running
    (what the daemon's watcher would have done), showing `progress`: files dropped into context/ before any
    daemon ran were answered "Your index is empty". Nothing is read while the daemon holds this data folder (it
    writes the index; a second writer is unsafe) or where the embedding settings changed (`foldermind index`
    re-embeds everything; `Index.require_current` says so); a failure to read is a warning, and the question is
    answered from the index as it is."""
    from foldermind.indexer.pipeline import index_folder

    if held(config.data_dir / DAEMON_LOCK) or index.settings_changed():
        return
    try:
        index_folder(index, progress)
    except Exception as exc:  # a question still gets the notes already read: say why the rest were not
        log.warning(
            "Could not read what changed in %s (%s); answering from the index as it is.", config.context_dir, exc
        )


@contextmanager
def server_url(config: Config, progress: ProgressHook | None = None) -> Iterator[str]:
    """The URL of this home's running server; with none running, of a private one in this process, after
    `read_changes` (with `progress`)."""
    url = daemon_url(config)
    if daemon_running(url, config):
        yield url
        return
    from foldermind.server.app import create_app
    from foldermind.server.state import ServerState
    from foldermind.server.thread import server_in_thread

    state = ServerState(config)
    try:
        read_changes(config, state.index, progress)
        with server_in_thread(create_app(config, state)) as url:
            yield url
    finally:
        state.close()


def stream_chat(url: str, config: Config, messages: list[dict[str, str]], options: dict[str, Any]) -> Iterator[dict]:
    """Server-sent events of one streamed answer, as dicts."""
    body = {"model": "foldermind", "messages": messages, "stream": True, "foldermind": options}
    with httpx.stream(
        "POST", f"{url}/v1/chat/completions", json=body, headers=auth_headers(config), timeout=600
    ) as reply:
        if reply.status_code != 200:
            reply.read()
            raise FoldermindError(reply.json().get("error", {}).get("message", reply.text))
        for line in reply.iter_lines():
            if line.startswith("data: ") and line != "data: [DONE]":
                yield json.loads(line.removeprefix("data: "))

"""`foldermind mcp`: the MCP server on stdio, the way Claude Desktop, Claude Code and editors start one.

When the daemon runs, this process is a bridge to its /mcp endpoint (the SDK's client on one side, its
low-level server on the other), so it answers within a second and never loads the models a second time, as
`foldermind search` does. Otherwise it loads the index and the model itself and serves the same tools.
"""

from __future__ import annotations

import concurrent.futures
import logging
import sys
from pathlib import Path
from typing import Any

import anyio
import httpx2
import mcp_types as types
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

from foldermind import __version__
from foldermind.client import auth_headers, daemon_running, daemon_url
from foldermind.config import Config

log = logging.getLogger(__name__)
ANSWER_SECONDS = 600  # longest wait for one tool result through the daemon (an answer queued behind others)


def serve_stdio(config: Config) -> None:
    """Serve MCP on stdin/stdout until the client closes them."""
    url = daemon_url(config)
    if daemon_running(url, config):
        log.info("Answering through the daemon at %s", url)
        anyio.run(_bridge, f"{url}/mcp", auth_headers(config))
    else:
        anyio.run(_in_process, config)


async def _in_process(config: Config) -> None:
    """The tools over this process's own index and model, loaded in the background while the client
    connects: the first tool call waits for them (a few seconds), the handshake does not."""
    from foldermind.server.mcp import create_mcp
    from foldermind.server.state import ServerState

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        loading = pool.submit(ServerState, config)
        try:
            await create_mcp(config, loading.result).run_stdio_async()
        finally:
            if loading.exception() is None:
                loading.result().close()


async def _bridge(url: str, headers: dict[str, str]) -> None:
    timeout = httpx2.Timeout(30.0, read=ANSWER_SECONDS)
    async with (
        httpx2.AsyncClient(headers=headers, timeout=timeout) as http,
        Client(streamable_http_client(url, http_client=http), cache=None) as daemon,
        stdio_server() as (read, write),
    ):
        server = bridge_server(daemon)
        await server.run(read, write, server.create_initialization_options())


def bridge_server(daemon: Client) -> Server[Any]:
    """A server whose every request is the daemon's to answer; its errors reach the client unchanged."""

    async def list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return await daemon.list_tools(cursor=params.cursor if params else None)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        return await daemon.call_tool(params.name, params.arguments)

    async def list_resources(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListResourcesResult:
        return await daemon.list_resources(cursor=params.cursor if params else None)

    async def list_resource_templates(
        ctx: Any, params: types.PaginatedRequestParams | None
    ) -> types.ListResourceTemplatesResult:
        return await daemon.list_resource_templates(cursor=params.cursor if params else None)

    async def read_resource(ctx: Any, params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        return await daemon.read_resource(params.uri)

    return Server(
        "foldermind",
        version=__version__,
        instructions=daemon.instructions,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_list_resource_templates=list_resource_templates,
        on_read_resource=read_resource,
    )


def client_config(config: Config) -> dict[str, Any]:
    """How an MCP client starts this home's server: the command with its absolute path, and its arguments."""
    here = Path(sys.executable).parent / "foldermind"  # the script beside this interpreter (a venv's bin/)
    command, args = (str(here), []) if here.is_file() else (sys.executable, ["-m", "foldermind"])
    return {"command": command, "args": [*args, "mcp", "--home", str(config.home)]}

"""MCP benchmark: tool latency over Streamable HTTP (the daemon's /mcp) and over stdio (`foldermind mcp`, with
the daemon running and without it), beside `GET /search` and `foldermind search` from the shell, all in one
run on the same daemon and the same notes; and the time from starting `foldermind mcp` to its first tool
result.

Run: .venv/bin/python bench/mcp_bench.py [--notes 300] [--runs 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx2
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

sys.path.insert(0, str(Path(__file__).parent))

from common import WORDS, median, percentile, start_foldermind, table, temporary_home, write_notes
from foldermind.config import Config
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder

Row = list[object]


def ms(values: list[float]) -> list[object]:
    return [f"{median(values) * 1000:.1f}", f"{percentile(values, 0.95) * 1000:.1f}", len(values)]


def check(result: Any) -> None:
    assert not getattr(result, "is_error", False), result  # an MCP tool error, or an HTTP error status


async def timed(call: Callable[[], Awaitable[Any]], runs: int) -> list[float]:
    await call()  # warm: the first call of a session loads what later ones reuse
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        check(await call())
        times.append(time.perf_counter() - started)
    return times


async def interleaved(paths: dict[str, Callable[[str], Awaitable[Any]]], queries: list[str]) -> dict[str, list[float]]:
    """Each query through every path in turn, so that a busy moment of the (shared) machine falls on all alike."""
    for search in paths.values():
        check(await search(queries[0]))  # warm
    times: dict[str, list[float]] = {name: [] for name in paths}
    for query in queries:
        for name, search in paths.items():
            started = time.perf_counter()
            check(await search(query))
            times[name].append(time.perf_counter() - started)
    return times


async def tool_rows(client: Client, path: str, queries: list[str], runs: int, search: bool, ask: bool) -> list[Row]:
    """The latency of each tool (search only if asked) through one client session, a table row each."""
    picks = iter(queries * 100)
    found = (await client.call_tool("search", {"query": queries[0], "k": 1})).structured_content
    document_id = found["results"][0]["document_id"]  # type: ignore[index]
    calls: dict[str, Callable[[], Awaitable[Any]]] = {
        "get_document (lines 1-20)": lambda: client.call_tool(
            "get_document", {"path_or_id": document_id, "start_line": 1, "end_line": 20}
        ),
        "list_documents (50)": lambda: client.call_tool("list_documents", {"limit": 50}),
        "status": lambda: client.call_tool("status", {}),
    }
    if search:
        calls = {"search (k=5)": lambda: client.call_tool("search", {"query": next(picks), "k": 5}), **calls}
    if ask:
        calls["ask"] = lambda: client.call_tool("ask", {"question": f"What about the {next(picks)}?"})
    rows = []
    for name, call in calls.items():
        rows.append([path, name, *ms(await timed(call, runs if name != "ask" else max(3, runs // 6)))])
    return rows


def stdio(config: Config) -> StdioServerParameters:
    """`foldermind mcp` of this home: through the daemon when it runs (its socket), else on its own."""
    env = {"PYTHONPATH": os.environ["PYTHONPATH"]} if os.environ.get("PYTHONPATH") else {}
    return StdioServerParameters(
        command=sys.executable, args=["-m", "foldermind", "--home", str(config.home), "mcp"], env=env
    )


async def first_result(config: Config, query: str) -> float:
    """Seconds from starting `foldermind mcp` to the result of its first search."""
    started = time.perf_counter()
    async with Client(stdio(config)) as client:
        result = await client.call_tool("search", {"query": query, "k": 5})
        elapsed = time.perf_counter() - started
    assert not result.is_error, result
    return elapsed


async def with_daemon(config: Config, url: str, queries: list[str], runs: int) -> tuple[list[Row], list[Row]]:
    """The rows measured while the daemon runs at `url`: tool latency, and start-up to the first result."""
    port = int(url.rsplit(":", 1)[1])
    rows: list[Row] = []
    async with (
        httpx2.AsyncClient(timeout=httpx2.Timeout(30, read=600)) as http,
        Client(streamable_http_client(f"{url}/mcp", http_client=http)) as over_http,
        Client(stdio(config)) as over_stdio,
    ):

        async def rest(query: str) -> httpx2.Response:
            return await http.get(f"{url}/search", params={"q": query, "k": 5})

        searches = await interleaved(
            {
                "HTTP, daemon|GET /search (k=5)": rest,
                "MCP over HTTP, daemon|search (k=5)": lambda q: over_http.call_tool("search", {"query": q, "k": 5}),
                "MCP over stdio, daemon running|search (k=5)": lambda q: over_stdio.call_tool(
                    "search", {"query": q, "k": 5}
                ),
            },
            queries,
        )
        rows += [[*name.split("|"), *ms(times)] for name, times in searches.items()]
        rows += await tool_rows(over_http, "MCP over HTTP, daemon", queries, runs, search=False, ask=True)
        rows += await tool_rows(over_stdio, "MCP over stdio, daemon running", queries, runs, search=False, ask=False)
    shell = []
    for query in queries[:5]:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "foldermind", "--home", str(config.home), "search", query, "--json"],
            env={**os.environ, "FOLDERMIND_SERVER__PORT": str(port)},
            capture_output=True,
            check=True,
        )
        shell.append(time.perf_counter() - started)
    rows.append(["shell, daemon", "foldermind search (new process)", *ms(shell)])
    starts = [await first_result(config, query) for query in queries[: max(5, runs // 2)]]
    return rows, [["stdio, daemon running", *ms(starts)]]


async def without_daemon(config: Config, queries: list[str], runs: int) -> tuple[list[Row], list[Row]]:
    """The same over stdio once the daemon has stopped: `foldermind mcp` loads the index and models itself."""
    async with Client(stdio(config)) as alone:
        rows = await tool_rows(alone, "MCP over stdio, no daemon", queries, runs, search=True, ask=False)
    starts = [await first_result(config, query) for query in queries[:3]]
    return rows, [["stdio, no daemon", *ms(starts)]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=300, help="Notes of ~150 words in the folder.")
    parser.add_argument("--runs", type=int, default=30, help="Calls per tool and path.")
    options = parser.parse_args()
    config = temporary_home("fm-mcp-bench-")
    write_notes(config.context_dir, options.notes, 150)
    index = Index(config)
    index_folder(index)
    index.close()
    rng = random.Random(1)
    queries = [" ".join(rng.sample(WORDS, 3)) for _ in range(options.runs)]
    process, url = start_foldermind(config, "run")
    try:
        rows, starts = asyncio.run(with_daemon(config, url, queries, options.runs))
    finally:
        process.terminate()
        process.wait(30)
    alone_rows, alone_starts = asyncio.run(without_daemon(config, queries, options.runs))
    rows, starts = rows + alone_rows, starts + alone_starts
    table(
        f"Tool latency, {options.notes} notes (ms; one client session per path, after one warm-up call; the three "
        "daemon searches take turns query by query)",
        ["path", "call", "p50 ms", "p95 ms", "n"],
        rows,
    )
    table(
        "`foldermind mcp` started to its first search result (ms; a new process each time)",
        ["path", "p50 ms", "p95 ms", "n"],
        starts,
    )


if __name__ == "__main__":
    main()

"""The MCP server as assistants use it, driven by the official SDK's own client: over Streamable HTTP against
the real app and the real daemon on loopback, and over stdio as a real subprocess, on a real indexed folder."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult

from foldermind.config import Config, load_config
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.mcp_stdio import socket_path
from tests.helpers import FACT, NOTES, make_config, running_server, wait_until
from tests.test_daemon import Daemon

pytestmark = pytest.mark.anyio
TOOLS = {"search", "ask", "get_document", "list_documents", "status", "add_note"}
SPECIAL = {17: "Step 17: open the brass bypass before the pump starts.", 23: "Step 23: bleed the copper filter."}
LONG = "# Pump manual\n\n" + "".join(
    SPECIAL.get(n, f"Step {n}: turn valve {n} a quarter to the left.") + "\n" for n in range(1, 41)
)
BIG = "".join(f"line {n:04d} of a long machine log\n" for n in range(1, 2501))  # 80,000 characters
FILES: dict[str, str | bytes] = {**NOTES, "manuals/pump.md": LONG, "logs/big.txt": BIG, "broken.md": ""}  # "": empty
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
INITIALIZE = (
    '{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", '
    '"capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}}'
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def indexed(root: Path, embedder: Embedder, files: dict[str, str | bytes], **server: object) -> Config:
    config = make_config(root, files, **server)
    index = Index(config, embedder=embedder)
    try:
        index_folder(index)
    finally:
        index.close()
    return config


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Config:
    return indexed(tmp_path_factory.mktemp("mcp") / "home", embedder, FILES)


@pytest.fixture(scope="module")
def url(notes: Config, embedder: Embedder) -> Iterator[str]:
    with running_server(notes, embedder) as (address, _):
        yield address


@asynccontextmanager
async def connect(url: str, headers: dict[str, str] | None = None) -> AsyncIterator[Client]:
    """The SDK's client on the app's /mcp over Streamable HTTP, sending `headers` with every request."""
    async with (
        httpx2.AsyncClient(headers=headers or {}, timeout=httpx2.Timeout(30, read=300)) as http,
        Client(streamable_http_client(f"{url}/mcp", http_client=http)) as client,
    ):
        yield client


def error_text(result: CallToolResult) -> str:
    assert result.is_error, result
    return result.content[0].text  # type: ignore[union-attr]


def structured(result: CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


def stdio(home: Path, **env: str) -> StdioServerParameters:
    """`foldermind mcp` as a client starts it: a subprocess speaking MCP on its stdin and stdout."""
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "foldermind", "--home", str(home), "mcp"],
        env={"PYTHONPATH": os.environ.get("PYTHONPATH", ""), **env},
    )


# HTTP: the tools ------------------------------------------------------------------------------------------


async def test_every_tool_is_listed_with_a_description_and_schemas_for_arguments_and_results(url: str) -> None:
    async with connect(url) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert len(tool.description or "") > 40, tool.name
        assert tool.output_schema is not None and tool.output_schema["type"] == "object", tool.name
    assert tools["search"].input_schema["required"] == ["query"]
    assert tools["search"].input_schema["properties"]["k"]["anyOf"][0]["maximum"] == 50
    assert tools["search"].annotations.read_only_hint is True  # type: ignore[union-attr]
    assert tools["add_note"].annotations.read_only_hint is False  # type: ignore[union-attr]


async def test_search_gives_the_same_hits_as_get_search_with_lines_and_text(url: str) -> None:
    async with connect(url) as client:
        hits = structured(await client.call_tool("search", {"query": "brass bypass", "k": 3}))["results"]
    rest = httpx.get(f"{url}/search", params={"q": "brass bypass", "k": 3}).json()["results"]
    assert [(h["path"], h["score"]) for h in hits] == [(r["path"], r["score"]) for r in rest]
    best = hits[0]
    assert best["path"] == "manuals/pump.md" and best["title"] == "Pump manual"
    lines = LONG.split("\n")
    assert SPECIAL[17] in best["text"]
    assert best["text"].startswith(lines[best["first_line"] - 1])
    assert best["text"].endswith(lines[best["last_line"] - 1])
    assert f"lines {best['first_line']}-{best['last_line']}" in best["location"]


async def test_search_filters_by_category(url: str) -> None:
    async with connect(url) as client:
        hits = structured(await client.call_tool("search", {"query": FACT, "where": {"category": "garden"}}))
    assert hits["results"] and {h["path"].split("/")[0] for h in hits["results"]} == {"garden"}


async def test_get_document_reads_a_line_range_or_the_whole_document(url: str) -> None:
    async with connect(url) as client:
        part = structured(await client.call_tool("get_document", {"path_or_id": "manuals/pump.md", "start_line": 5}))
        whole = structured(await client.call_tool("get_document", {"path_or_id": part["document_id"]}))
        end = structured(
            await client.call_tool("get_document", {"path_or_id": "manuals/pump.md", "start_line": 41, "end_line": 99})
        )
    assert part["text"].split("\n")[0] == "Step 3: turn valve 3 a quarter to the left."
    assert (part["start_line"], part["end_line"], part["total_lines"]) == (5, 42, 42)
    assert whole["text"] == LONG.rstrip("\n") and whole["start_line"] == 1 and not whole["truncated"]
    assert end["text"] == "Step 39: turn valve 39 a quarter to the left.\nStep 40: turn valve 40 a quarter to the left."


async def test_get_document_of_a_long_document_comes_in_parts_that_join_up(url: str) -> None:
    async with connect(url) as client:
        first = structured(await client.call_tool("get_document", {"path_or_id": "logs/big.txt"}))
        rest = {"path_or_id": "logs/big.txt", "start_line": first["end_line"] + 1}
        second = structured(await client.call_tool("get_document", rest))
    assert first["truncated"] and 1000 < first["end_line"] < 2500 and len(first["text"]) <= 50_000
    assert not second["truncated"] and second["end_line"] == second["total_lines"] == 2500
    assert first["text"] + "\n" + second["text"] == BIG.rstrip("\n")


async def test_get_document_of_a_message_in_a_mailbox_is_that_message_as_indexed(
    tmp_path: Path, embedder: Embedder
) -> None:
    from email.message import EmailMessage
    from io import BytesIO
    from pathlib import PurePosixPath

    from foldermind.indexer.extract import read_parts

    messages = []
    for subject, step in (("Short", "Bring the ladder."), ("Pump steps", LONG)):
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "ines@example.org", "me@example.org", subject
        message.set_content(step)
        messages.append(b"From ines@example.org Tue Mar 12 09:30:00 2024\n" + bytes(message) + b"\n")
    mailbox = b"".join(messages)
    config = indexed(tmp_path / "home", embedder, {"inbox.mbox": mailbox})
    read = list(read_parts(BytesIO(mailbox), PurePosixPath("inbox.mbox"), 1 << 20))
    with running_server(config, embedder) as (address, _):
        async with connect(address) as client:
            found = structured(await client.call_tool("get_document", {"path_or_id": "inbox.mbox#2"}))
    assert (found["path"], found["title"]) == ("inbox.mbox#2", "Pump steps")
    assert found["text"] == read[1].extracted.text  # put back together from its chunks, which overlap


async def test_get_document_refuses_paths_outside_the_context_folder_and_unknown_documents(
    url: str, notes: Config
) -> None:
    async with connect(url) as client:
        for outside in ("../config.toml", str(notes.home / "config.toml"), "/etc/passwd", "garden/../../config.toml"):
            message = error_text(await client.call_tool("get_document", {"path_or_id": outside}))
            assert "outside the context folder" in message, outside
            assert "[server]" not in message  # nothing of the file was read
        assert "No indexed document" in error_text(await client.call_tool("get_document", {"path_or_id": 9999}))
        assert "No indexed document" in error_text(await client.call_tool("get_document", {"path_or_id": "x.md"}))
        huge = await client.call_tool("get_document", {"path_or_id": "9" * 30})  # past SQLite's integers
        assert "No indexed document" in error_text(huge)
        past = await client.call_tool("get_document", {"path_or_id": "garden/roses.md", "start_line": 50})
        assert "has 3 lines" in error_text(past)


async def test_list_documents_pages_and_filters_and_status_names_what_failed(url: str) -> None:
    async with connect(url) as client:
        first = structured(await client.call_tool("list_documents", {"limit": 2}))
        rest = structured(await client.call_tool("list_documents", {"limit": 50, "offset": 2}))
        history = structured(await client.call_tool("list_documents", {"where": {"category": "history"}}))
        status = structured(await client.call_tool("status", {}))
    indexed_paths = sorted(path for path in FILES if path != "broken.md")
    assert first["total"] == len(indexed_paths) and len(first["documents"]) == 2
    assert [d["path"] for d in first["documents"] + rest["documents"]] == indexed_paths
    assert [d["path"] for d in history["documents"]] == sorted(p for p in FILES if p.startswith("history/"))
    assert first["documents"][0]["uri"] == f"foldermind://documents/{first['documents'][0]['id']}"
    assert status["documents"] == len(indexed_paths) and status["chunks"] >= len(indexed_paths)
    assert status["failed"] == {"broken.md": "the file is empty"}
    assert status["live_model"].startswith("base") and status["live_model_accuracy"] is None


async def test_ask_answers_from_the_notes_with_its_evidence_lines(url: str) -> None:
    async with connect(url) as client:
        answer = structured(await client.call_tool("ask", {"question": "Who painted the Quillfeather bridge?"}))
        uncovered = structured(await client.call_tool("ask", {"question": "What is the orbital period of Triton?"}))
    assert "Marta Okonkwo" in answer["answer"]
    evidence = answer["evidence"][0]
    assert evidence["path"].startswith("history/") and FACT in evidence["text"]
    assert evidence["first_line"] == 3 and answer["sources"][0]["cited"]
    assert uncovered["sources"] == [] and uncovered["evidence"] == []


async def test_documents_are_resources_too(url: str) -> None:
    async with connect(url) as client:
        resources = {r.name: r for r in (await client.list_resources()).resources}
        templates = (await client.list_resource_templates()).resource_templates
        read = await client.read_resource(resources["garden/roses.md"].uri)
    assert set(resources) == {path for path in FILES if path != "broken.md"}
    assert [t.uri_template for t in templates] == ["foldermind://documents/{document_id}"]
    assert read.contents[0].text == NOTES["garden/roses.md"]  # type: ignore[union-attr]


async def test_bad_arguments_and_unknown_tools_are_readable_errors_and_the_server_keeps_serving(url: str) -> None:
    async with connect(url) as client:
        empty = error_text(await client.call_tool("search", {"query": ""}))
        assert "query" in empty and "Traceback" not in empty
        assert "k" in error_text(await client.call_tool("search", {"query": "roses", "k": 0}))
        assert "needs a name" in error_text(await client.call_tool("search", {"query": "roses", "where": {" ": "x"}}))
        assert "where" in error_text(await client.call_tool("list_documents", {"where": {"tag": 3}}))
        assert "no_such_tool" in error_text(await client.call_tool("no_such_tool", {}))
    nonsense = httpx.post(f"{url}/mcp", content="{this is not json", headers=MCP_HEADERS)
    assert nonsense.status_code == 400 and nonsense.json()["error"]["code"] == -32700  # JSON-RPC parse error
    async with connect(url) as client:
        assert structured(await client.call_tool("search", {"query": "roses"}))["results"]


async def test_an_empty_index_is_a_tool_error_that_says_so(tmp_path: Path, embedder: Embedder) -> None:
    config = indexed(tmp_path / "empty", embedder, {})
    with running_server(config, embedder) as (address, _):
        async with connect(address) as client:
            message = error_text(await client.call_tool("search", {"query": "anything"}))
    assert "index is empty" in message and str(config.context_dir) in message


# HTTP: the security checks --------------------------------------------------------------------------------


def raw_initialize(url: str, **headers: str) -> httpx.Response:
    return httpx.post(f"{url}/mcp", content=INITIALIZE, headers={**MCP_HEADERS, **headers})


def test_a_web_page_of_another_origin_or_a_rebound_host_name_is_refused(url: str) -> None:
    port = url.rsplit(":", 1)[1]
    assert raw_initialize(url).status_code == 200  # no Origin: not a browser
    assert raw_initialize(url, Origin=f"http://localhost:{port}").status_code == 200
    assert raw_initialize(url, Origin="http://evil.example").status_code == 403
    assert raw_initialize(url, Origin="https://127.0.0.1.evil.example").status_code == 403
    assert raw_initialize(url, Host=f"evil.example:{port}").status_code == 421  # DNS rebinding: a name for us


def test_the_mcp_settings_can_allow_another_origin_and_host_name(tmp_path: Path, embedder: Embedder) -> None:
    config = indexed(tmp_path / "home", embedder, {"a.md": "# A\n\nAlpha.\n"})
    config.mcp.allowed_origins = ["https://chat.example.org"]
    config.mcp.allowed_hosts = ["notes.lan:*"]
    with running_server(config, embedder) as (address, _):
        port = address.rsplit(":", 1)[1]
        assert raw_initialize(address, Origin="https://chat.example.org").status_code == 200
        assert raw_initialize(address, Origin="https://other.example.org").status_code == 403
        assert raw_initialize(address, Host=f"notes.lan:{port}").status_code == 200
        assert raw_initialize(address, Host=f"other.lan:{port}").status_code == 421


async def test_with_an_api_key_mcp_needs_it_as_every_route_does(tmp_path: Path, embedder: Embedder) -> None:
    config = indexed(tmp_path / "home", embedder, NOTES, api_key="s3cret-key")
    with running_server(config, embedder) as (address, _):
        refused = raw_initialize(address)
        wrong = raw_initialize(address, Authorization="Bearer nope")
        assert refused.status_code == 401 and wrong.status_code == 401
        assert refused.json()["error"]["code"] == "invalid_api_key"  # OpenAI's shape, as the API answers
        with pytest.raises(Exception):  # noqa: B017 - the SDK's client gives up on a 401 in its own way
            async with connect(address) as client:
                await client.list_tools()
        async with connect(address, {"Authorization": "Bearer s3cret-key"}) as client:
            assert structured(await client.call_tool("search", {"query": "roses"}))["results"]


# add_note --------------------------------------------------------------------------------------------------


async def test_add_note_is_refused_while_writes_are_off(url: str, notes: Config) -> None:
    before = sorted(notes.context_dir.rglob("*"))
    async with connect(url) as client:
        message = error_text(await client.call_tool("add_note", {"title": "Reminder", "text": "Buy rye."}))
    assert "allow_writes" in message
    assert sorted(notes.context_dir.rglob("*")) == before


async def test_add_note_writes_new_files_never_overwriting_and_they_become_searchable(
    tmp_path: Path, embedder: Embedder
) -> None:
    config = indexed(tmp_path / "home", embedder, NOTES)
    config.mcp.allow_writes = True
    (config.context_dir / "ideas").mkdir()
    (config.context_dir / "ideas" / "Kiln.md").write_text("# Kiln\n\nThe user's own note.\n", encoding="utf-8")
    with running_server(config, embedder) as (address, _):
        async with connect(address) as client:
            text = "The kiln at the Brackwater studio fires to cone 6 on Tuesdays."
            first = structured(await client.call_tool("add_note", {"title": "Kiln", "text": text, "category": "ideas"}))
            odd = structured(
                await client.call_tool("add_note", {"title": "../../.ssh/a:b*?", "text": "x", "category": "../.."})
            )
            hits = structured(await client.call_tool("search", {"query": "Brackwater kiln cone", "k": 1}))["results"]
            outside = tmp_path / "outside"
            outside.mkdir()
            (config.context_dir / "linked").symlink_to(outside)
            linked = await client.call_tool("add_note", {"title": "Escape", "text": "x", "category": "linked"})
    assert "outside the context folder" in error_text(linked) and not list(outside.iterdir())
    assert first == {"path": "ideas/Kiln 2.md", "indexed": True}
    assert (config.context_dir / "ideas" / "Kiln.md").read_text(encoding="utf-8") == "# Kiln\n\nThe user's own note.\n"
    assert (config.context_dir / "ideas" / "Kiln 2.md").read_text(encoding="utf-8") == f"# Kiln\n\n{text}\n"
    assert odd["path"] == "ssh-a-b.md" and (config.context_dir / "ssh-a-b.md").is_file()
    assert hits[0]["path"] == "ideas/Kiln 2.md"
    assert not [p for p in config.context_dir.rglob(".*")]  # no temporary file left behind


# stdio -----------------------------------------------------------------------------------------------------


@pytest.mark.slow
async def test_stdio_without_a_daemon_serves_the_tools_from_this_folder(notes: Config) -> None:
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(socket_path(notes)))  # what a daemon that crashed leaves: a socket no one listens on
    stale.close()
    try:
        async with Client(stdio(notes.home)) as client:
            assert {tool.name for tool in (await client.list_tools()).tools} == TOOLS
            hits = structured(await client.call_tool("search", {"query": "when do the roses bloom", "k": 1}))
            status = structured(await client.call_tool("status", {}))
            refused = await client.call_tool("get_document", {"path_or_id": "../config.toml"})
    finally:
        socket_path(notes).unlink()
    assert hits["results"][0]["path"] == "garden/roses.md"
    assert status["failed"] == {"broken.md": "the file is empty"}
    assert "outside the context folder" in error_text(refused)


def stdio_process(home: Path) -> subprocess.Popen[str]:
    """`foldermind mcp` with pipes a test writes to and reads from, as a client's own code would."""
    return subprocess.Popen(
        [sys.executable, "-m", "foldermind", "--home", str(home), "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def nonsense_gets_json_rpc_errors(process: subprocess.Popen[str]) -> None:
    """As a client would write them, one message a line; a line that is not JSON at all the SDK skips."""
    lines = [
        "this is not json",
        INITIALIZE,
        '{"jsonrpc": "2.0", "method": "notifications/initialized"}',
        '{"jsonrpc": "2.0", "id": 2, "method": "tools/frobnicate"}',
        '{"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"nom": "search"}}',
        '{"jsonrpc": "2.0", "id": 4, "method": "tools/list"}',
    ]
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("\n".join(lines) + "\n")
    process.stdin.flush()
    replies = {reply["id"]: reply for reply in (json.loads(process.stdout.readline()) for _ in range(4))}
    assert replies[1]["result"]["serverInfo"]["name"] == "foldermind"
    assert replies[2]["error"]["code"] == -32601  # method not found
    assert replies[3]["error"]["code"] == -32602  # invalid params
    assert {tool["name"] for tool in replies[4]["result"]["tools"]} == TOOLS


@pytest.mark.slow
def test_stdio_answers_nonsense_requests_with_json_rpc_errors_and_keeps_serving(notes: Config) -> None:
    process = stdio_process(notes.home)
    try:
        nonsense_gets_json_rpc_errors(process)
    finally:
        process.kill()
        process.wait(10)


@pytest.fixture
def daemon(tmp_path: Path, embedder: Embedder) -> Iterator[Daemon]:
    config = indexed(tmp_path / "home", embedder, FILES)
    running = Daemon(config.home, FOLDERMIND_MCP__ALLOW_WRITES="true").start()
    yield running
    if running.process and running.process.poll() is None:
        running.stop()


@pytest.mark.slow
async def test_an_agent_over_stdio_answers_through_the_running_daemon(daemon: Daemon) -> None:
    """What an assistant does: list the tools, search, then read the lines around the best hit. This stdio
    process could not load the embedding model, so every answer came from the daemon, as over its /mcp."""
    env = {"FOLDERMIND_INDEXER__EMBEDDING_MODEL": "/no/such/model"}
    async with Client(stdio(daemon.home, **env), mode="legacy") as client:  # the handshake clients of 2025 make
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        assert {"search", "get_document"} <= set(tools)
        hits = structured(await client.call_tool("search", {"query": "how do I bleed the copper filter?", "k": 3}))
        best = hits["results"][0]
        around = {"path_or_id": best["document_id"], "start_line": max(1, best["first_line"] - 2)}
        document = structured(await client.call_tool("get_document", {**around, "end_line": best["last_line"] + 2}))
        async with connect(daemon.url) as over_http:  # the daemon's /mcp: the same tools, the same answers
            assert {tool.name: tool for tool in (await over_http.list_tools()).tools} == tools
            again = await over_http.call_tool("search", {"query": "how do I bleed the copper filter?", "k": 3})
        assert structured(again) == hits
        text = "The glaze for the blue bowls is two parts feldspar to one part silica."
        note = structured(await client.call_tool("add_note", {"title": "Glaze", "text": text, "category": "studio"}))
    assert best["path"] == "manuals/pump.md"
    assert SPECIAL[23] in document["text"]
    assert document["start_line"] <= best["first_line"] and document["end_line"] >= best["last_line"]
    assert note == {"path": "studio/Glaze.md", "indexed": False}  # the daemon's watcher indexes it
    wait_until(lambda: daemon.top("feldspar silica glaze") == "studio/Glaze.md", 30, "the note to be searchable")


@pytest.mark.slow
def test_through_the_daemon_stdio_is_only_this_users_and_the_daemon_stops_while_a_client_is_connected(
    daemon: Daemon,
) -> None:
    path = socket_path(load_config(daemon.home))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # no other user on the machine can connect
    process = stdio_process(daemon.home)
    try:
        nonsense_gets_json_rpc_errors(process)  # the daemon's SDK server answers, this process copies
        assert daemon.stop() == 0  # within 15 s, though a session is open
        assert process.wait(10) == 0 and not path.exists()
    finally:
        process.kill()


@pytest.mark.slow
def test_print_config_gives_the_absolute_command_and_home(notes: Config) -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "foldermind", "--home", str(notes.home), "mcp", "--print-config"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    command = str(Path(sys.executable).parent / "foldermind")
    assert f'"command": "{command}"' in shown and Path(command).is_absolute()
    assert f'"{notes.home}"' in shown and '"mcpServers"' in shown and '"servers"' in shown
    assert f"claude mcp add foldermind -- {command} mcp --home {notes.home}" in shown

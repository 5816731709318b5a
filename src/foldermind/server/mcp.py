"""The notes as Model Context Protocol tools and resources, for assistants (Claude Desktop and Claude Code,
editors, agents): search, ask, read a document or some of its lines, list what is indexed, the index's status
and, when `[mcp] allow_writes` is on, add a note.

Built on the official SDK's MCPServer, which validates arguments against each tool's JSON schema and turns a
ToolError into a tool result marked as an error. The daemon serves it over Streamable HTTP at /mcp
(server/app.py) and on a Unix socket for `foldermind mcp` (serve_socket); without a daemon `foldermind mcp`
serves it over stdio itself (mcp_stdio.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import socket
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

import anyio
from fastapi.concurrency import run_in_threadpool
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.stdio import stdio_server
from mcp.server.transport_security import TransportSecuritySettings
from mcp_types import Resource, ToolAnnotations
from pydantic import BaseModel, Field

from foldermind import __version__
from foldermind.atomic import write_new
from foldermind.config import Config
from foldermind.errors import FoldermindError
from foldermind.indexer.manifest import MAX_ID
from foldermind.indexer.scan import real_name
from foldermind.indexer.search import Hit
from foldermind.mcp_stdio import socket_path
from foldermind.models import answers_line, current_name, read_report
from foldermind.server.chat import complete
from foldermind.server.errors import APIError
from foldermind.server.schemas import ChatRequest, Evidence, RagOptions, Source
from foldermind.server.state import ServerState

log = logging.getLogger(__name__)

DOCUMENT_URI = "foldermind://documents/{document_id}"
MAX_CHARS = 50_000  # of a document's text in one get_document answer: more is asked for by line range
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
# `foldermind mcp` processes served at once: each holds one of the 40 worker threads anyio lends the event loop
# (reading its next line), which the tools and the API's routes need too
MAX_SOCKET_SESSIONS = 16
INSTRUCTIONS = """The user's own notes and files (foldermind). `search` finds the passages that match a query,
`get_document` reads a document or the lines around a passage, `ask` gives foldermind's own checked answer with
the lines it rests on, `list_documents` and `status` say what is indexed."""

Where = Annotated[
    dict[str, str] | None,
    Field(
        description='Only documents whose metadata has these values, e.g. {"category": "work"} (the first '
        'folder), {"tag": "baking"}, {"file_type": "md"}, or any front matter key.'
    ),
]


class SearchHit(BaseModel):
    """One matching chunk of a document."""

    document_id: int = Field(description="The document's id, for get_document and foldermind://documents/{id}.")
    path: str = Field(description="Path in the context folder.")
    title: str
    location: str = Field(description='Where in the document: "page 3", a heading path and/or "lines 12-30".')
    heading: str = Field(description="Heading path of the chunk, or empty.")
    page: int | None = Field(description="Page number for paged documents (PDF), else null.")
    first_line: int | None = Field(description="First line of the chunk in the file (1-based), for text formats.")
    last_line: int | None = Field(description="Its last line; get_document reads around them.")
    score: float = Field(
        description="Relevance, higher is better: in hybrid search (the default) the chunk's best passage's evidence "
        "score (meaning plus the query's rarer words), or the chunk's cosine where no passage was scored; with "
        "[search] mode vector or keyword, that search's own score."
    )
    similarity: float | None = Field(description="Cosine similarity of chunk and query, if compared.")
    text: str = Field(description="The chunk's text.")


class SearchResults(BaseModel):
    results: list[SearchHit] = Field(description="Best first.")


class Answer(BaseModel):
    """foldermind's answer from the notes, checked against the lines it rests on."""

    answer: str
    model: str = Field(description="The model version that answered (base, v0001, ...).")
    sources: list[Source] = Field(description="Retrieved notes, in the order the model read them.")
    evidence: list[Evidence] = Field(description="The passages the answer rests on; cited ones first.")


class DocumentText(BaseModel):
    """A document's text, or the lines asked for."""

    document_id: int
    path: str
    title: str
    file_type: str
    total_lines: int = Field(description="Lines in the whole document.")
    start_line: int = Field(description="First line returned (1-based).")
    end_line: int = Field(description="Last line returned.")
    truncated: bool = Field(
        description=f"True when the lines asked for exceed {MAX_CHARS} characters: ask again from end_line + 1."
    )
    text: str


class DocumentInfo(BaseModel):
    id: int
    uri: str = Field(description="The document as an MCP resource.")
    path: str
    title: str
    category: str = Field(description="The first folder of its path, or empty.")
    file_type: str
    size: int = Field(description="Bytes.")
    modified: str = Field(description="Last change, ISO 8601 local time.")
    tags: list[str]
    chunks: int


class DocumentList(BaseModel):
    total: int = Field(description="Documents matching, of which `documents` is the page from `offset`.")
    offset: int
    documents: list[DocumentInfo]


class IndexStatus(BaseModel):
    context: str = Field(description="The context folder.")
    documents: int
    chunks: int
    last_scan: str | None = Field(description="When the folder was last scanned in full, or null.")
    failed: dict[str, str] = Field(description="Files that could not be indexed, with the reason, by path.")
    warnings: dict[str, list[str]] = Field(description="What reading a document left out, by path.")
    settings_changed: bool = Field(description="The index settings changed: `foldermind index` rebuilds it.")
    live_model: str = Field(description="The model answering `ask` (base, or a nightly version).")
    live_model_answers: str | None = Field(description="How many held-out questions the live model answered right.")
    live_model_accuracy: float | None = Field(description="That share, 0 to 1; null for the base model.")


class NoteWritten(BaseModel):
    path: str = Field(description="The new file, relative to the context folder.")
    indexed: bool = Field(description="Searchable already; else the daemon's watcher indexes it within seconds.")


def transport_security(config: Config) -> TransportSecuritySettings:
    """The SDK's DNS rebinding protection for /mcp: the Host header must name this machine as clients on it do
    (or [mcp] allowed_hosts), and an Origin header, which browsers send, must be a loopback one (or in
    [mcp] allowed_origins): a web page elsewhere cannot drive the tools through a visitor's browser."""
    hosts = [f"{name}:*" for name in LOOPBACK_NAMES]
    if not config.server.loopback and config.server.host not in ("0.0.0.0", "::"):
        hosts.append(f"{config.server.host}:*")
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[*hosts, *config.mcp.allowed_hosts],
        allowed_origins=[*(f"http://{name}:*" for name in LOOPBACK_NAMES), *config.mcp.allowed_origins],
    )


class NotesServer(MCPServer):
    """MCPServer that also lists every indexed document as a resource, for clients that browse them."""

    def __init__(self, current: Callable[[], ServerState], **options: Any) -> None:
        super().__init__(**options)
        self.current = current

    async def list_resources(self) -> list[Resource]:
        rows = await run_in_threadpool(self.current().manifest_call, "list_documents")
        return [*await super().list_resources(), *(_resource(row) for row in rows)]


def create_mcp(config: Config, current: Callable[[], ServerState]) -> MCPServer:
    """The MCP server over the state `current()` returns (the app's, which exists only once it has started).
    Raises nothing itself; a tool refuses with ToolError, which the client gets as an error result."""
    mcp = NotesServer(current, name="foldermind", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING")
    read_only = ToolAnnotations(readOnlyHint=True, openWorldHint=False)

    @mcp.tool(annotations=read_only)
    async def search(
        query: Annotated[str, Field(min_length=1, description="What to look for: words or a question.")],
        k: Annotated[int | None, Field(ge=1, le=50, description="How many results (default: [search] k).")] = None,
        where: Where = None,
    ) -> SearchResults:
        """Search the user's notes and files (meaning and exact words): the best matching passages, each with
        its document, where in it, its score and its text. Read around one with get_document."""
        state = current()
        filters = _filters(where)
        if (await run_in_threadpool(state.counts))["chunks"] == 0:
            raise ToolError(f"The index is empty: nothing from {config.context_dir} is indexed yet.")
        hits = await _call(state.search, query, k, None, filters)
        return SearchResults(results=[_search_hit(hit) for hit in hits])

    @mcp.tool(annotations=read_only)
    async def ask(
        question: Annotated[str, Field(min_length=1, description="A question about the notes.")],
        where: Where = None,
    ) -> Answer:
        """foldermind's own answer from the notes (its nightly model), checked against the lines it rests on:
        the answer, those evidence lines and the sources. It says so when the notes do not cover the question."""
        request = ChatRequest(
            messages=[{"role": "user", "content": question}],  # type: ignore[list-item]
            foldermind=RagOptions(where=_filters(where)),
        )
        try:
            completion = await complete(current(), request)
        except (APIError, FoldermindError) as exc:
            raise ToolError(str(exc)) from exc
        return Answer(
            answer=completion["choices"][0]["message"]["content"],
            model=completion["system_fingerprint"],
            sources=completion["sources"],
            evidence=completion["evidence"],
        )

    @mcp.tool(annotations=read_only)
    async def get_document(
        path_or_id: Annotated[
            int | str, Field(description="A document id (from search or list_documents) or its path.")
        ],
        start_line: Annotated[int | None, Field(ge=1, description="First line to read (1-based).")] = None,
        end_line: Annotated[int | None, Field(ge=1, description="Last line to read (inclusive).")] = None,
    ) -> DocumentText:
        """The text of one indexed document, or of a range of its lines (as search and ask number them), to
        read around a passage. Only documents in the user's context folder can be read."""
        state = current()
        row = await _call(_find_document, state, path_or_id)
        text = await _call(_document_text, state, row)
        return _lines(row, text, start_line, end_line)

    @mcp.tool(annotations=read_only)
    async def list_documents(
        where: Where = None,
        limit: Annotated[int, Field(ge=1, le=500, description="Documents per page.")] = 50,
        offset: Annotated[int, Field(ge=0, description="Documents to skip.")] = 0,
    ) -> DocumentList:
        """What is indexed: documents by path with id, title, category, type, size, date, tags and chunk count."""
        rows = await _call(current().manifest_call, "list_documents", _filters(where))
        page = [_document_info(row) for row in rows[offset : offset + limit]]
        return DocumentList(total=len(rows), offset=offset, documents=page)

    @mcp.tool(annotations=read_only)
    async def status() -> IndexStatus:
        """The index: how many documents and chunks, what could not be indexed and why, when the folder was last
        scanned; and the model answering `ask` with its measured answer accuracy."""
        state = current()
        info = await _call(state.index_status)
        promoted = current_name(config.data_dir)  # a nightly version (or one chosen), else None: the base model
        report = read_report(config.data_dir, promoted) if promoted else {}
        accuracy = report.get("candidate", {}).get("answer_accuracy")
        return IndexStatus(
            context=info["context"],
            documents=info["documents"],
            chunks=info["chunks"],
            last_scan=info["last_scan"],
            failed=info["failed"],
            warnings=info["warnings"],
            settings_changed=info["settings_changed"],
            live_model=state.runner.live_name,
            live_model_answers=answers_line(report) or None,
            live_model_accuracy=accuracy,
        )

    @mcp.tool(annotations=ToolAnnotations(readOnlyHint=False, destructiveHint=False, idempotentHint=False))
    async def add_note(
        title: Annotated[str, Field(min_length=1, max_length=200, description="The note's title.")],
        text: Annotated[str, Field(min_length=1, description="The note, in Markdown.")],
        category: Annotated[
            str | None, Field(max_length=200, description='A folder for it, e.g. "work" or "recipes/bread".')
        ] = None,
    ) -> NoteWritten:
        """Remember something: write a new Markdown note into the user's context folder (a new file, never
        replacing one), where it is indexed and searchable like any file. Off unless the user allows it."""
        if not config.mcp.allow_writes:
            raise ToolError("Writing notes is off: the user can allow it with [mcp] allow_writes = true.")
        state = current()
        path = await _call(_write_note, config, title, text, category)
        log.info("An assistant added the note %s", path)
        indexed = False if state.watched else await _call(_index_note, state, path)
        return NoteWritten(path=path, indexed=indexed)

    @mcp.resource(DOCUMENT_URI, name="document", mime_type="text/plain")
    async def document(document_id: str) -> str:
        """An indexed document's text, by id."""
        state = current()
        row = await _call(_find_document, state, int(document_id) if document_id.isdigit() else document_id)
        return await _call(_document_text, state, row)

    return mcp


async def serve_socket(mcp: MCPServer, config: Config) -> None:
    """Serve `mcp` on this home's Unix socket (mcp_stdio.socket_path) until cancelled: one MCP session per
    connection, on the SDK's stdio transport (a JSON-RPC message a line), for `foldermind mcp` processes, which
    copy their stdin and stdout to it. Only this user can connect (the socket's mode is 0600). A socket that
    cannot be made (a path over the 107 bytes one may have) is a warning: `foldermind mcp` then loads its own
    models."""
    try:
        listener = _listen(socket_path(config))
    except OSError as exc:
        log.warning("No MCP socket for `foldermind mcp` (it will load its own models): %s", exc)
        return
    connections: set[socket.socket] = set()
    try:
        async with anyio.create_task_group() as sessions:
            try:
                while True:
                    await anyio.wait_readable(listener)
                    try:
                        connection, _ = listener.accept()
                    except BlockingIOError:  # the client gave up between readable and accept
                        continue
                    if len(connections) >= MAX_SOCKET_SESSIONS:
                        log.warning("Refused a `foldermind mcp`: %d are connected already", len(connections))
                        connection.close()
                        continue
                    connection.setblocking(True)
                    connections.add(connection)
                    sessions.start_soon(_socket_session, mcp, connection, connections)
            finally:  # wake the sessions' reading threads, which no cancellation reaches
                for connection in connections:
                    with contextlib.suppress(OSError):
                        connection.shutdown(socket.SHUT_RDWR)
    finally:
        listener.close()
        socket_path(config).unlink(missing_ok=True)


def _listen(path: Path) -> socket.socket:
    """A listening socket at `path` that only this user can open: bound in a private folder, given mode 0600
    and then moved into place (replacing one a crashed daemon left), so no one can connect in between."""
    private = Path(tempfile.mkdtemp(prefix=".mcp-", dir=path.parent))  # mode 0700
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(str(private / path.name))
        os.chmod(private / path.name, 0o600)
        os.replace(private / path.name, path)
        listener.listen()
        listener.setblocking(False)
    except OSError:
        listener.close()
        raise
    finally:
        (private / path.name).unlink(missing_ok=True)
        private.rmdir()
    return listener


async def _socket_session(mcp: MCPServer, connection: socket.socket, connections: set[socket.socket]) -> None:
    try:
        with (
            connection,
            connection.makefile("r", encoding="utf-8", errors="replace", newline="\n") as reader,
            connection.makefile("w", encoding="utf-8", newline="\n") as writer,
        ):
            async with stdio_server(anyio.wrap_file(reader), anyio.wrap_file(writer)) as (read, write):
                server = mcp._lowlevel_server  # as the SDK's own in-memory transport reaches it
                await server.run(read, write, server.create_initialization_options())
    except* OSError as errors:  # the client went away mid-answer
        log.debug("An MCP socket session ended: %s", errors.exceptions[0])
    finally:
        connections.discard(connection)


async def _call(function: Callable[..., Any], *args: Any) -> Any:
    """`function` in a worker thread (it reads SQLite or files); the errors a user can act on as ToolError."""
    try:
        return await run_in_threadpool(function, *args)
    except (APIError, FoldermindError) as exc:
        raise ToolError(str(exc)) from exc


def _filters(where: dict[str, str] | None) -> dict[str, str]:
    if where and any(not key.strip() for key in where):
        raise ToolError('A `where` filter needs a name for each value, e.g. {"category": "work"}.')
    return {key.strip(): value for key, value in (where or {}).items()}


def _search_hit(hit: Hit) -> SearchHit:
    return SearchHit(
        document_id=hit.document_id,
        path=hit.path,
        title=hit.title,
        location=hit.location(),
        heading=hit.heading,
        page=hit.page,
        first_line=hit.line,
        last_line=hit.last_line,
        score=hit.score,
        similarity=hit.similarity,
        text=hit.text,
    )


def _find_document(state: ServerState, path_or_id: int | str) -> Any:
    """The manifest row of an indexed document, by id or by path in the context folder. Raises ToolError for
    a path outside the context folder and for one that is not indexed."""
    given = str(path_or_id).strip()
    if given.isdigit():  # an id, or the name of a file without a suffix
        row = state.manifest_call("document", int(given)) if int(given) <= MAX_ID else None
        if row is not None:
            return row
        if isinstance(path_or_id, int):
            raise ToolError(f"No indexed document has id {path_or_id} (list_documents shows them).")
    context = Path(os.path.normpath(state.config.context_dir))
    full = Path(os.path.normpath(Path(given) if Path(given).is_absolute() else context / given))
    if full == context or not full.is_relative_to(context):
        raise ToolError(f"'{given}' is outside the context folder: only documents in it can be read.")
    row = state.manifest_call("document_at", full.relative_to(context).as_posix())
    if row is None:
        raise ToolError(f"No indexed document has the id or path '{given}' (list_documents shows them).")
    return row


def _document_text(state: ServerState, row: Any) -> str:
    """The document's text as it was read for the index: the file itself for text formats (so line numbers are
    the editor's), the extracted text for the others (PDF, Word, HTML); for one of the documents of a file (a
    message of a mailbox, an attachment) its text as the index holds it, not the whole file read again."""
    from foldermind.indexer.extract import extract
    from foldermind.indexer.pipeline import media_of

    path = row["path"]
    if path != row["file"]:
        return state.manifest_call("document_text", row["id"])
    try:
        data = (state.config.context_dir / real_name(path)).read_bytes()  # a name that is not UTF-8 is shown escaped
    except FileNotFoundError:
        raise ToolError(f"'{path}' is indexed but no longer in the folder; the index drops it soon.") from None
    except OSError as exc:
        raise ToolError(f"'{path}' cannot be read: {exc.strerror or exc}") from None
    extracted = extract(data, PurePosixPath(path), media_of(state.config.indexer))
    return extracted.source if extracted.source is not None else extracted.text


def _lines(row: Any, text: str, start: int | None, end: int | None) -> DocumentText:
    lines = text.split("\n")
    if lines and not lines[-1]:
        lines.pop()  # the file's last newline ends its last line, it starts no new one
    total = len(lines)
    first = start or 1
    if first > max(total, 1):
        raise ToolError(f"'{row['path']}' has {total} lines; start_line {first} is past its end.")
    last = min(end or total, total)
    if last < first:
        raise ToolError(f"end_line {end} is before start_line {first}.")
    shown: list[str] = []
    size = 0
    for line in lines[first - 1 : last]:
        size += len(line) + 1
        if shown and size > MAX_CHARS:
            break
        shown.append(line)
    return DocumentText(
        document_id=row["id"],
        path=row["path"],
        title=row["title"],
        file_type=row["file_type"],
        total_lines=total,
        start_line=first,
        end_line=first + len(shown) - 1 if shown else first,
        truncated=len(shown) < last - first + 1,
        text="\n".join(shown),
    )


def _index_note(state: ServerState, path: str) -> bool:
    """Index a new note where no daemon watches the folder (stdio without one, `foldermind serve`)."""
    from foldermind.indexer.pipeline import index_folder

    with state.notes.lock:  # the one SQLite connection the request threads share
        return path in index_folder(state.index, only={path}).indexed


def _document_info(row: Any) -> DocumentInfo:
    return DocumentInfo(
        id=row["id"],
        uri=DOCUMENT_URI.format(document_id=row["id"]),
        path=row["path"],
        title=row["title"],
        category=row["category"],
        file_type=row["file_type"],
        size=row["size"],
        modified=dt.datetime.fromtimestamp(row["mtime_ns"] / 1e9).isoformat(timespec="seconds"),
        tags=json.loads(row["tags"]),
        chunks=row["chunks"],
    )


def _resource(row: Any) -> Resource:
    return Resource(
        uri=DOCUMENT_URI.format(document_id=row["id"]),
        name=row["path"],
        title=row["title"],
        mime_type="text/plain",
        size=row["size"],
    )


UNSAFE = re.compile(r"[^\w .,()'&+-]+")  # \w is every script's letters and digits


def safe_name(text: str) -> str:
    """`text` as one file or folder name on any system: letters, digits, spaces and a few marks; no separator,
    no leading dot (a hidden file, which is never indexed), no trailing dot or space, at most 80 characters."""
    name = re.sub(r"\s+", " ", UNSAFE.sub("-", unicodedata.normalize("NFC", text)))
    name = re.sub(r"-{2,}", "-", name).strip(" .-")
    return name[:80].rstrip(" .-")


def _write_note(config: Config, title: str, text: str, category: str | None) -> str:
    """Write the note as `category/Title.md` (`Title 2.md` and on when taken); its path in the context folder.
    Raises ToolError for a note too large to index and for a category folder that links outside."""
    folder = [part for part in (safe_name(p) for p in re.split(r"[/\\]", category or "")) if part]
    name = safe_name(title) or "note"
    body = f"# {' '.join(title.split())}\n\n{text.strip()}\n"
    if len(body.encode()) > config.indexer.max_file_mb * 1_048_576:
        raise ToolError(f"The note is larger than [indexer] max_file_mb ({config.indexer.max_file_mb} MB).")
    if not (config.context_dir / PurePosixPath(*folder)).resolve().is_relative_to(config.context_dir.resolve()):
        raise ToolError(f"'{category}' links to a folder outside the context folder; notes are written inside it.")
    for number in range(1, 1000):
        relative = PurePosixPath(*folder, f"{name}.md" if number == 1 else f"{name} {number}.md")
        try:
            write_new(config.context_dir / relative, body)
        except FileExistsError:
            continue
        return relative.as_posix()
    raise ToolError(f"999 notes named '{name}' exist already; choose another title.")

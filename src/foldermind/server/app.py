"""The FastAPI application: OpenAI-compatible endpoints, search and documents, status, and the chat page."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import datetime as dt
import json
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

import anyio
import numpy as np
from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from mcp.server.mcpserver import MCPServer
from starlette.datastructures import Headers
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from foldermind import __version__
from foldermind.config import Config
from foldermind.doctor import problems
from foldermind.indexer.manifest import MAX_ID
from foldermind.indexer.scan import real_name
from foldermind.indexer.search import parse_where
from foldermind.server.chat import answer
from foldermind.server.errors import APIError, error_body, install_error_handlers
from foldermind.server.manage import router as manage_router
from foldermind.server.mcp import create_mcp, serve_socket, transport_security
from foldermind.server.schemas import STREAM_DOC, ChatCompletion, ChatRequest, EmbeddingRequest
from foldermind.server.state import ServerState, State

STATIC = Path(__file__).parent / "static"
OPEN_PATHS = {"/", "/health", "/favicon.ico"}


Where = Annotated[list[str] | None, Query(description="key=value filters, repeatable (category, tag, a metadata key).")]


def filters(where: list[str] | None) -> dict[str, str]:
    """The `where` query parameters as a filter; a malformed one is a 400 naming the parameter."""
    try:
        return parse_where(where or [])
    except Exception as exc:
        raise APIError(400, str(exc), param="where") from exc


def key_refusal(config: Config, authorization: str) -> APIError | None:
    """The 401 for a request without [server] api_key as its Bearer token (none when no key is set)."""
    key = config.server.api_key
    given = authorization.removeprefix("Bearer ").strip()
    if key and not secrets.compare_digest(given.encode(), key.encode()):
        return APIError(
            401, "Missing or wrong API key: send 'Authorization: Bearer <api_key>'.", code="invalid_api_key"
        )
    return None


def require_key(config: Config):
    async def check(request: Request) -> None:
        if request.url.path in OPEN_PATHS or request.url.path.startswith("/static/"):
            return
        refusal = key_refusal(config, request.headers.get("authorization", ""))
        if refusal:
            raise refusal

    return check


class MCPEndpoint:
    """/mcp, an ASGI app beside the API's routes: the API key checked as on every route, then the SDK's
    Streamable HTTP transport, which checks Host and Origin (server/mcp.py transport_security)."""

    def __init__(self, config: Config, mcp: MCPServer) -> None:
        self.config, self.mcp = config, mcp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        refusal = key_refusal(self.config, Headers(scope=scope).get("authorization", ""))
        if refusal:
            body = error_body(refusal.message, refusal.type, refusal.param, refusal.code)
            await JSONResponse(body, refusal.status)(scope, receive, send)
            return
        await self.mcp.session_manager.handle_request(scope, receive, send)


def create_app(config: Config, state: ServerState | None = None, mcp_socket: bool = False) -> FastAPI:
    """The app; `state` lets a caller share an already loaded index and model (the daemon does), and
    `mcp_socket` serves MCP on the home's socket too, for `foldermind mcp` (the daemon's, never a private
    server's)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.foldermind = state or await run_in_threadpool(ServerState, config)
        watcher = asyncio.create_task(app.state.foldermind.runner.watch())
        async with mcp.session_manager.run(), anyio.create_task_group() as background:
            if mcp_socket:
                background.start_soon(serve_socket, mcp, config)
            yield
            background.cancel_scope.cancel()
        watcher.cancel()
        if state is None:
            app.state.foldermind.close()

    mcp = create_mcp(config, lambda: app.state.foldermind)
    mcp.streamable_http_app(transport_security=transport_security(config))  # makes mcp.session_manager

    app = FastAPI(
        title="foldermind", version=__version__, lifespan=lifespan, dependencies=[Depends(require_key(config))]
    )
    install_error_handlers(app)
    app.include_router(manage_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.router.routes.append(Route("/mcp", MCPEndpoint(config, mcp)))

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/health")
    async def health(request: Request) -> dict[str, str]:
        """Up; with the API key where one is set, which home it serves (`Config.home_id`, not its path)."""
        if key_refusal(config, request.headers.get("authorization", "")) is not None:
            return {"status": "ok"}
        return {"status": "ok", "home": config.home_id}

    @app.post(
        "/v1/chat/completions",
        response_model=None,
        responses={
            200: {
                "model": ChatCompletion,
                "description": STREAM_DOC,
                "content": {"text/event-stream": {"schema": {"type": "string", "description": STREAM_DOC}}},
            }
        },
    )
    async def chat_completions(request: ChatRequest, state: State) -> JSONResponse | StreamingResponse:
        return await answer(state, request)

    @app.get("/v1/models")
    async def models(state: State) -> dict[str, Any]:
        data = [{"id": "foldermind", "object": "model", "created": 0, "owned_by": "foldermind"}]
        for version in state.runner.known_models():
            created = int(version.path.stat().st_mtime)
            data.append({"id": version.name, "object": "model", "created": created, "owned_by": "foldermind"})
        return {"object": "list", "data": data}

    @app.post("/v1/embeddings")
    async def embeddings(request: EmbeddingRequest, state: State) -> dict[str, Any]:
        texts = [request.input] if isinstance(request.input, str) else request.input
        embedder = state.index.embedder
        vectors = await run_in_threadpool(embedder.encode, texts)
        tokens = sum(await run_in_threadpool(embedder.count, texts))

        def encoded(vector: np.ndarray) -> list[float] | str:
            if request.encoding_format == "base64":
                return base64.b64encode(vector.astype("<f4").tobytes()).decode()
            return vector.tolist()

        return {
            "object": "list",
            "model": state.config.indexer.embedding_model,
            "data": [{"object": "embedding", "index": i, "embedding": encoded(v)} for i, v in enumerate(vectors)],
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }

    @app.get("/search")
    async def search(
        state: State,
        q: Annotated[str, Query(min_length=1, description="What to look for.")],
        k: Annotated[int | None, Query(ge=1, le=100)] = None,
        mode: Annotated[str | None, Query(pattern="^(hybrid|vector|keyword)$")] = None,
        where: Where = None,
    ) -> dict[str, Any]:
        hits = await run_in_threadpool(state.search, q, k, mode, filters(where))  # type: ignore[arg-type]
        return {"results": [hit.to_json() for hit in hits]}

    @app.get("/documents")
    async def documents(state: State, where: Where = None) -> dict[str, Any]:
        """Every indexed document by path, or those whose category, file_type, title, path, tag or metadata
        field has the value given."""
        rows = await run_in_threadpool(state.manifest_call, "list_documents", filters(where))
        return {"documents": [_document_json(row) for row in rows]}

    async def indexed_document(document_id: int, state: ServerState) -> Any:
        in_range = 1 <= document_id <= MAX_ID
        row = await run_in_threadpool(state.manifest_call, "document", document_id) if in_range else None
        if row is None:
            raise APIError(404, f"No indexed document has id {document_id}.", "not_found_error", "document_id")
        return row

    @app.get("/documents/{document_id}/file")
    async def document_file(document_id: int, state: State) -> FileResponse:
        """The indexed document's file as the context folder holds it (with range requests): the page plays a
        recording from the time its evidence cites. A message of a mailbox, or an attachment, gives its file."""
        row = await indexed_document(document_id, state)
        path = config.context_dir / real_name(row["file"])  # a name that is not UTF-8 is shown escaped
        if not path.is_file():
            raise APIError(404, f"{row['file']} is no longer in the context folder.", "not_found_error", "document_id")
        return FileResponse(path)

    @app.get("/documents/{document_id}")
    async def document(document_id: int, state: State) -> dict[str, Any]:
        row = await indexed_document(document_id, state)
        chunks = await run_in_threadpool(state.manifest_call, "document_chunks", document_id)
        previous_end: int | None = None
        shown = []
        for c in chunks:
            overlap = max(0, min(len(c["text"]), previous_end - c["start"])) if previous_end is not None else 0
            shown.append(
                {
                    "chunk_id": c["chunk_id"],
                    "position": c["position"],
                    "heading": c["heading"],
                    "page": c["page"],
                    "start": c["start"],
                    "end": c["end"],
                    "line": c["line"],
                    "text": c["text"],
                    "overlap": overlap,
                }
            )
            previous_end = c["end"]
        return {
            **_document_json(row),
            "metadata": json.loads(row["metadata"]),
            "links": json.loads(row["links"]),
            "chunks": shown,
        }

    @app.get("/status")
    async def status(state: State) -> dict[str, Any]:
        extra = state.extra_status() if state.extra_status else {}
        watcher = extra.get("daemon", {}).get("watcher")
        found = await run_in_threadpool(problems, state.config, watcher)
        return {
            "version": __version__,
            **await run_in_threadpool(state.index_status),
            "live_model": state.runner.live_name,
            "models": [v.name for v in state.runner.known_models()],
            "queue": state.runner.waiting,
            "problems": [dataclasses.asdict(check) for check in found],
            **extra,
        }

    return app


def _iso(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp).isoformat(timespec="seconds")


def _document_json(row: Any) -> dict[str, Any]:
    keys = row.keys()
    return {
        "id": row["id"],
        "path": row["path"],
        "title": row["title"],
        "category": row["category"],
        "file_type": row["file_type"],
        "size": row["size"],
        "modified": _iso(row["mtime_ns"] / 1e9),
        "tags": json.loads(row["tags"]),
        "indexed": _iso(row["indexed_at"]),
        **({"chunks": row["chunks"]} if "chunks" in keys else {}),
    }


def serve(config: Config) -> None:
    """Run the server in the foreground until Ctrl-C."""
    import uvicorn

    uvicorn.run(create_app(config), host=config.server.host, port=config.server.port, log_level="warning")

"""POST /v1/chat/completions: the answer path (answer.py) on a thread pool, streaming, admission, and the OpenAI
response shapes."""

from __future__ import annotations

import contextlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.background import BackgroundTask

from foldermind import answer as path
from foldermind.prompt import EMPTY_INDEX, NOT_COVERED
from foldermind.server.errors import APIError, error_body
from foldermind.server.rag import evidence_of, mark_cited, source_of
from foldermind.server.runner import Loaded
from foldermind.server.schemas import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatMessage,
    ChatRequest,
)
from foldermind.server.state import ServerState

log = logging.getLogger(__name__)


def turns(messages: list[ChatMessage]) -> list[path.Turn]:
    """The conversation as the answer path reads it: a developer message is a system one; tool turns go."""
    found = [{"role": "system" if m.role == "developer" else m.role, "content": m.text()} for m in messages]
    return [t for t in found if t["role"] in ("system", "user", "assistant")]


def sampling(request: ChatRequest, state: ServerState, from_notes: bool) -> dict[str, Any]:
    """The request's sampling over the config's; an answer from the notes also stops where one ends."""
    choose = path.answer_sampling if from_notes else path.sampling
    return choose(
        state.config.server,
        temperature=request.temperature,
        top_p=request.top_p,
        max_tokens=request.max_completion_tokens or request.max_tokens,
        stop=request.stop,
        seed=request.seed,
    )


def check_fits(state: ServerState, messages: list[path.Turn], max_tokens: int) -> None:
    n_ctx = state.config.server.n_ctx
    if max_tokens >= n_ctx:
        raise APIError(
            400,
            f"max_tokens must be below the context window ({n_ctx} tokens).",
            param="max_tokens",
            code="invalid_value",
        )
    used = path.prompt_tokens(messages, state.runner.count_tokens)
    if used + max_tokens > n_ctx:
        raise APIError(
            400,
            f"This conversation takes {used} tokens and the answer up to {max_tokens} more, over the model's "
            f"context window of {n_ctx} tokens. Shorten the messages or lower max_tokens.",
            param="messages",
            code="context_length_exceeded",
        )


def completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


# Characters that end a line for Python's str.splitlines (and httpx's iter_lines) but that JSON leaves raw: a
# note's U+2028 in an event cut it in two for such a client. Escaped, the event stays one line.
LINE_BREAKS_ESCAPED = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def sse(data: dict[str, Any]) -> str:
    """One server-sent event: `data: ` and the JSON on one line, whatever line separators the text holds."""
    return f"data: {json.dumps(data, ensure_ascii=False).translate(LINE_BREAKS_ESCAPED)}\n\n"


@dataclass
class Plan:
    """Everything decided before generation starts, so errors are raised while a status code can still change."""

    request: ChatRequest
    model: Loaded
    params: dict[str, Any]
    path: path.Plan  # what the answer path decided: the model's messages and evidence, or a fixed reply
    retrieval: bool  # answered from the notes (sources and evidence are sent)

    @property
    def include_usage(self) -> bool:
        options = self.request.stream_options
        return options is not None and options.include_usage

    def chunk(self, cid: str, created: int, delta: dict, finish: str | None, **extra: Any) -> dict[str, Any]:
        data = self._chunk(cid, created, [{"delta": delta, "finish_reason": finish}], **extra)
        data["choices"][0]["delta"] = delta  # as OpenAI sends it: only the fields this piece has
        return data

    def usage_chunk(self, cid: str, created: int, usage: dict[str, int]) -> dict[str, Any]:
        """The chunk `stream_options.include_usage` asks for, after the last one: no choices, the token counts."""
        return self._chunk(cid, created, [], usage=usage)

    def _chunk(self, cid: str, created: int, choices: list[dict], **extra: Any) -> dict[str, Any]:
        chunk = ChatCompletionChunk(
            id=cid,
            created=created,
            model=self.request.model,
            system_fingerprint=self.model.version.name,
            choices=choices,  # type: ignore[arg-type]
            **extra,
        )
        left_out = {"sources", "evidence"} - extra.keys()
        if not self.include_usage:
            left_out.add("usage")  # OpenAI sends `usage` (null until the usage chunk) only when it was asked for
        return chunk.model_dump(exclude=left_out)

    @property
    def fixed(self) -> str | None:
        return self.path.fixed

    @property
    def messages(self) -> list[path.Turn]:
        return self.path.messages

    def grounding(self, answer: str) -> dict[str, Any]:
        """`sources` and `evidence` of the finished answer, with what it cited marked (cited evidence first)."""
        if not self.retrieval:
            return {"sources": [], "evidence": []}
        sources = [source_of(text.number, p.hit) for text, p in zip(self.path.sources, self.path.passages, strict=True)]
        evidence = [evidence_of(text.number, p) for text, p in zip(self.path.sources, self.path.passages, strict=True)]
        mark_cited(path.cited(answer, self.path), sources, evidence)
        return {"sources": sources, "evidence": sorted(evidence, key=lambda e: not e.cited)}


async def plan_answer(state: ServerState, request: ChatRequest) -> Plan:
    """Model, sampling, and what the answer path decides (retrieval, evidence, the model's messages)."""
    model = await run_in_threadpool(state.runner.model_for, request.model)
    conversation = turns(request.messages)
    retrieval = request.model == "foldermind" and request.foldermind.retrieval
    params = sampling(request, state, retrieval)
    if not retrieval:
        plan = Plan(request, model, params, path.Plan("", conversation), False)
    else:
        options, settings = request.foldermind, state.config.server
        decided = await run_in_threadpool(
            path.plan,
            conversation,
            state.notes,
            settings,
            state.runner.count_tokens,
            params["max_tokens"],
            options.k,
            options.mode,
            options.where,
        )
        if decided.fixed in (EMPTY_INDEX, NOT_COVERED):  # while the folder is first read, the notes are not all in
            decided.fixed = state.empty_answer(decided.fixed)
        plan = Plan(request, model, params, decided, True)
    check_fits(state, plan.messages, plan.params["max_tokens"])
    return plan


async def complete(state: ServerState, request: ChatRequest) -> dict[str, Any]:
    """One whole (not streamed) answer as OpenAI's chat completion object, with `sources` and `evidence`:
    what the route returns, for callers inside the server (the MCP `ask` tool). Raises APIError."""
    with state.runner.busy():
        plan = await plan_answer(state, request)
        admission = state.runner.admit() if plan.fixed is None else None
    try:
        return await full_answer(state, plan)
    finally:
        if admission:
            admission.release()


async def answer(state: ServerState, request: ChatRequest) -> JSONResponse | StreamingResponse:
    with state.runner.busy():  # from here the server is busy: the daemon pauses a training
        plan = await plan_answer(state, request)
        admission = state.runner.admit() if plan.fixed is None else None
    release = admission.release if admission else lambda: None
    if request.stream:
        # The stream gives its place back when it ends or its client leaves; the background task covers a
        # client that leaves before the stream has started.
        return StreamingResponse(
            stream_answer(state, plan, release),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache"},
            background=BackgroundTask(release),
        )
    try:
        return JSONResponse(await full_answer(state, plan))
    finally:
        release()


async def generate(state: ServerState, plan: Plan) -> AsyncIterator[tuple[str, str | None]]:
    """(text, None) for each piece of the answer as it may be shown, then ("", finish_reason). Generation
    stops as soon as the answer check replaces the model's words with the evidence's."""
    if plan.fixed is not None:
        yield plan.fixed, None
        yield "", "stop"
        return
    stops = path.answer_stops(state.config.server, plan.params) if plan.retrieval else []
    check = path.Check(plan.path, lambda text: state.runner.truncate(text, plan.params["max_tokens"]), stops)
    finish = "stop"
    async with state.runner.slot():
        pieces = state.runner.stream(plan.model, plan.messages, plan.params)
        async with contextlib.aclosing(pieces):
            async for piece in pieces:
                choice = piece["choices"][0]
                for text in check.feed(choice["delta"].get("content") or ""):
                    yield text, None
                finish = choice.get("finish_reason") or finish
                if check.replaced or check.cut or check.ended:
                    finish = "stop"
                    break
    for text in check.finish():
        yield text, None
    yield "", finish


def answer_usage(state: ServerState, plan: Plan, content: str) -> dict[str, int]:
    """The answer's token counts; none for a fixed answer, which no model wrote."""
    used = 0 if plan.fixed is not None else path.prompt_tokens(plan.messages, state.runner.count_tokens)
    made = 0 if plan.fixed is not None else state.runner.count_tokens(content)
    return {"prompt_tokens": used, "completion_tokens": made, "total_tokens": used + made}


async def full_answer(state: ServerState, plan: Plan) -> dict[str, Any]:
    parts: list[str] = []
    finish = "stop"
    async for text, done in generate(state, plan):
        parts.append(text)
        finish = done or finish
    content = "".join(parts)
    return ChatCompletion(
        id=completion_id(),
        created=int(time.time()),
        model=plan.request.model,
        system_fingerprint=plan.model.version.name,
        choices=[{"message": {"content": content}, "finish_reason": finish}],  # type: ignore[list-item]
        usage=answer_usage(state, plan, content),  # type: ignore[arg-type]
        **plan.grounding(content),
    ).model_dump()


async def stream_answer(state: ServerState, plan: Plan, release: Callable[[], None]) -> AsyncIterator[str]:
    """The answer as server-sent events. Once the first event is out the status code cannot change, so a
    failure after it becomes an error event in OpenAI's shape, followed by the end of the stream."""
    cid, created = completion_id(), int(time.time())
    try:
        yield sse(plan.chunk(cid, created, {"role": "assistant", "content": ""}, None))
        parts: list[str] = []
        finish = "stop"
        async for text, done in generate(state, plan):
            if text:
                parts.append(text)
                yield sse(plan.chunk(cid, created, {"content": text}, None))
            finish = done or finish
        content = "".join(parts)
        yield sse(plan.chunk(cid, created, {}, finish, **plan.grounding(content)))
        if plan.include_usage:
            yield sse(plan.usage_chunk(cid, created, answer_usage(state, plan, content)))
    except APIError as exc:
        yield sse(error_body(exc.message, exc.type, exc.param, exc.code))
    except Exception:
        log.exception("An answer failed after its stream had started")
        yield sse(error_body("The answer failed on the server; the log has the details.", "server_error"))
    finally:
        release()
    yield "data: [DONE]\n\n"

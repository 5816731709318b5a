"""POST /v1/chat/completions: retrieval, prompt, generation, and the OpenAI response shapes."""

from __future__ import annotations

import contextlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.background import BackgroundTask

from foldermind.evidence import Passage
from foldermind.prompt import EMPTY_INDEX, NOT_COVERED, SYSTEM_PROMPT, SourceText
from foldermind.server.errors import APIError, error_body
from foldermind.server.rag import (
    AnswerCheck,
    last_question,
    mark_cited,
    model_messages,
    pack,
    relevant,
    retrieval_query,
)
from foldermind.server.runner import Loaded
from foldermind.server.schemas import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatRequest,
    Evidence,
    Source,
)
from foldermind.server.state import ServerState

log = logging.getLogger(__name__)
TEMPLATE_OVERHEAD = 8  # tokens the chat template adds per message, roughly


def sampling(request: ChatRequest, state: ServerState) -> dict[str, Any]:
    server = state.config.server
    return {
        "temperature": server.temperature if request.temperature is None else request.temperature,
        "top_p": 0.95 if request.top_p is None else request.top_p,
        "max_tokens": request.max_completion_tokens or request.max_tokens or server.max_tokens,
        "stop": request.stop,
        "seed": request.seed,
        "repeat_penalty": 1.1,  # small models loop without it
    }


def prompt_tokens(state: ServerState, messages: list[dict[str, str]]) -> int:
    return sum(state.runner.count_tokens(m["content"]) + TEMPLATE_OVERHEAD for m in messages)


def check_fits(state: ServerState, messages: list[dict[str, str]], max_tokens: int) -> None:
    n_ctx = state.config.server.n_ctx
    if max_tokens >= n_ctx:
        raise APIError(
            400,
            f"max_tokens must be below the context window ({n_ctx} tokens).",
            param="max_tokens",
            code="invalid_value",
        )
    used = prompt_tokens(state, messages)
    if used + max_tokens > n_ctx:
        raise APIError(
            400,
            f"This conversation takes {used} tokens and the answer up to {max_tokens} more, over the model's "
            f"context window of {n_ctx} tokens. Shorten the messages or lower max_tokens.",
            param="messages",
            code="context_length_exceeded",
        )


@dataclass
class Retrieved:
    """What retrieval decided: the sources and evidence the model reads, or a fixed answer."""

    sources: list[Source] = field(default_factory=list)
    texts: list[SourceText] | None = None
    evidence: list[Evidence] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)  # what the model reads, best first
    question: str = ""
    fixed: str | None = None


async def retrieve(state: ServerState, request: ChatRequest, max_tokens: int) -> Retrieved:
    """Search, then cut the hits down to the passages that answer the question; a fixed answer when none does."""
    options, server = request.foldermind, state.config.server
    hits = await run_in_threadpool(
        state.search, retrieval_query(request.messages), options.k or server.candidates, options.mode, options.where
    )
    if state.counts()["chunks"] == 0:
        return Retrieved(fixed=EMPTY_INDEX)
    hits = relevant(hits, server.min_similarity)
    # A follow-up ("and how many nights?") is scored with the question before it; it is checked on its own.
    passages = await run_in_threadpool(state.evidence, retrieval_query(request.messages), hits)
    if not passages or passages[0].score < server.min_evidence:
        return Retrieved(fixed=NOT_COVERED)
    conversation = model_messages(request.messages, None)
    budget = (
        server.n_ctx
        - max_tokens
        - prompt_tokens(state, conversation)
        - state.runner.count_tokens(SYSTEM_PROMPT)
        - 2 * TEMPLATE_OVERHEAD
    )
    sources, texts, evidence = pack(passages, state.runner.count_tokens, budget)
    if not texts:
        return Retrieved(fixed=NOT_COVERED)
    return Retrieved(sources, texts, evidence, passages[: len(texts)], last_question(request.messages))


def completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def sse(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


@dataclass
class Plan:
    """Everything decided before generation starts, so errors are raised while a status code can still change."""

    request: ChatRequest
    model: Loaded
    messages: list[dict[str, str]]
    params: dict[str, Any]
    retrieved: Retrieved

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
        return self.retrieved.fixed

    def check(self, fit: Callable[[str], str]) -> AnswerCheck:
        return AnswerCheck(self.retrieved.question, self.retrieved.passages, fit)

    def grounding(self, answer: str) -> dict[str, Any]:
        """`sources` and `evidence` of the finished answer, with what it cited marked (cited evidence first)."""
        got = self.retrieved
        mark_cited(answer, got.sources, got.texts or [], got.evidence)
        evidence = sorted(got.evidence, key=lambda e: not e.cited)
        return {"sources": got.sources, "evidence": evidence}


async def plan_answer(state: ServerState, request: ChatRequest) -> Plan:
    """Model, sampling, retrieval and the messages the model reads: the path every answer takes (the trainer
    scores its models through it too)."""
    model = await run_in_threadpool(state.runner.model_for, request.model)
    params = sampling(request, state)
    retrieved = Retrieved()
    if request.model == "foldermind" and request.foldermind.retrieval:
        retrieved = await retrieve(state, request, params["max_tokens"])
        params["stop"] = params["stop"] or state.config.server.answer_stop or None
    plan = Plan(request, model, model_messages(request.messages, retrieved.texts), params, retrieved)
    check_fits(state, plan.messages, params["max_tokens"])
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
    check, finish = plan.check(lambda text: state.runner.truncate(text, plan.params["max_tokens"])), "stop"
    async with state.runner.slot():
        pieces = state.runner.stream(plan.model, plan.messages, plan.params)
        async with contextlib.aclosing(pieces):
            async for piece in pieces:
                choice = piece["choices"][0]
                for text in check.feed(choice["delta"].get("content") or ""):
                    yield text, None
                finish = choice.get("finish_reason") or finish
                if check.replaced:
                    finish = "stop"
                    break
    for text in check.finish():
        yield text, None
    yield "", finish


def answer_usage(state: ServerState, plan: Plan, content: str) -> dict[str, int]:
    """The answer's token counts; none for a fixed answer, which no model wrote."""
    used = 0 if plan.fixed is not None else prompt_tokens(state, plan.messages)
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

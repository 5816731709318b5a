"""POST /v1/chat/completions: retrieval, prompt, generation, and the OpenAI response shapes."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse

from foldermind.prompt import EMPTY_INDEX, NOT_COVERED, SYSTEM_PROMPT, SourceText
from foldermind.server.errors import APIError
from foldermind.server.rag import Source, mark_cited, model_messages, pack, relevant, retrieval_query
from foldermind.server.runner import Loaded
from foldermind.server.schemas import ChatRequest
from foldermind.server.state import ServerState

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


async def retrieve(
    state: ServerState, request: ChatRequest, max_tokens: int
) -> tuple[list[Source], list | None, str | None]:
    """(sources, their prompt texts, a fixed answer when there is nothing to answer from)."""
    options = request.foldermind
    hits = await run_in_threadpool(
        state.search, retrieval_query(request.messages), options.k, options.mode, options.where
    )
    if state.counts()["chunks"] == 0:
        return [], None, EMPTY_INDEX
    hits = relevant(hits, state.config.server.min_similarity)
    if not hits:
        return [], None, NOT_COVERED
    conversation = model_messages(request.messages, None)
    budget = (
        state.config.server.n_ctx
        - max_tokens
        - prompt_tokens(state, conversation)
        - state.runner.count_tokens(SYSTEM_PROMPT)
        - 2 * TEMPLATE_OVERHEAD
    )
    sources, texts = pack(hits, state.runner.count_tokens, budget)
    if not texts:
        return [], None, NOT_COVERED
    return sources, texts, None


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
    sources: list[Source] = field(default_factory=list)
    texts: list[SourceText] = field(default_factory=list)
    fixed: str | None = None

    def chunk(self, cid: str, created: int, delta: dict, finish: str | None, **extra: Any) -> dict[str, Any]:
        return {
            "id": cid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": self.request.model,
            "system_fingerprint": self.model.version.name,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            **extra,
        }

    def sources_json(self, answer: str) -> list[dict[str, Any]]:
        mark_cited(answer, self.sources, self.texts)
        return [s.to_json() for s in self.sources]


async def answer(state: ServerState, request: ChatRequest) -> JSONResponse | StreamingResponse:
    model = await run_in_threadpool(state.runner.model_for, request.model)
    params = sampling(request, state)
    sources: list[Source] = []
    texts: list[SourceText] | None = None
    fixed: str | None = None
    if request.model == "foldermind" and request.foldermind.retrieval:
        sources, texts, fixed = await retrieve(state, request, params["max_tokens"])
    plan = Plan(request, model, model_messages(request.messages, texts), params, sources, texts or [], fixed)
    check_fits(state, plan.messages, params["max_tokens"])
    if fixed is None:
        state.runner.ensure_room()
    if request.stream:
        return StreamingResponse(
            stream_answer(state, plan), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )
    return JSONResponse(await full_answer(state, plan))


async def full_answer(state: ServerState, plan: Plan) -> dict[str, Any]:
    if plan.fixed is not None:
        content, finish, usage = plan.fixed, "stop", {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    else:
        async with state.runner.slot():
            result = await state.runner.complete(plan.model, plan.messages, plan.params)
        content = result["choices"][0]["message"]["content"] or ""
        finish, usage = result["choices"][0]["finish_reason"] or "stop", result["usage"]
    return {
        "id": completion_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": plan.request.model,
        "system_fingerprint": plan.model.version.name,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish,
                "logprobs": None,
            }
        ],
        "usage": usage,
        "sources": plan.sources_json(content),
    }


async def stream_answer(state: ServerState, plan: Plan) -> AsyncIterator[str]:
    cid, created = completion_id(), int(time.time())
    yield sse(plan.chunk(cid, created, {"role": "assistant", "content": ""}, None))
    parts: list[str] = []
    finish = "stop"
    if plan.fixed is not None:
        parts.append(plan.fixed)
        yield sse(plan.chunk(cid, created, {"content": plan.fixed}, None))
    else:
        async with state.runner.slot():
            async for piece in state.runner.stream(plan.model, plan.messages, plan.params):
                choice = piece["choices"][0]
                text = choice["delta"].get("content")
                if text:
                    parts.append(text)
                    yield sse(plan.chunk(cid, created, {"content": text}, None))
                finish = choice.get("finish_reason") or finish
    yield sse(plan.chunk(cid, created, {}, finish, sources=plan.sources_json("".join(parts))))
    yield "data: [DONE]\n\n"

"""Base, live and candidate model, each as the GGUF that would be served, with llama.cpp.

Answer accuracy on held-out questions (made from held-out chunks only), asked through the server's own
path: the same retrieval, evidence, prompt and sampling a chat gets. Perplexity on held-out chunks of the
user's notes (the gain), perplexity on a general reference text (forgetting), and a fixed set of chat
prompts that must get non-empty, non-repeating answers.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from foldermind.config import Config, TrainerConfig
from foldermind.indexer.index import Index
from foldermind.llama import load_llama
from foldermind.models import ModelVersion
from foldermind.threads import free_cores
from foldermind.trainer.questions import Question, is_right

CHAT_PROMPTS = [
    "Hello! What can you do?",
    "Give me one tip for keeping notes organised.",
    "What is the capital of France?",
    "Write one sentence about the sea.",
]
EVAL_CONTEXT = 1024
WORD = re.compile(r"\w+")


@dataclass
class ModelScores:
    user_perplexity: float
    reference_perplexity: float
    answer_accuracy: float | None  # share of held-out questions the model's own answer gets right
    served_accuracy: float | None  # the same, after the server's answer check (what a user reads)
    questions: int
    chat_ok: bool
    chat_answers: list[str]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def perplexity(llama: Any, texts: list[str]) -> float:
    """Token-weighted perplexity over the texts, each cut to the evaluation window."""
    total, count = 0.0, 0
    for text in texts:
        tokens = llama.tokenize(text.encode("utf-8"), add_bos=True)[:EVAL_CONTEXT]
        if len(tokens) < 2:
            continue
        llama.reset()
        llama.eval(tokens)
        logprobs = _log_softmax(np.asarray(llama.scores[: len(tokens) - 1], dtype=np.float64))
        total -= float(logprobs[np.arange(len(tokens) - 1), tokens[1:]].sum())
        count += len(tokens) - 1
    return math.exp(total / count) if count else float("nan")


def load_for_scoring(gguf: Path, threads: int = 0) -> Any:
    """A llama.cpp model for scoring, on the cores free now (`threads` 0) so a busy machine does not thrash."""
    threads = threads or free_cores()
    return load_llama(
        gguf,
        n_ctx=EVAL_CONTEXT + 512,
        logits_all=True,
        n_threads=threads,
        n_threads_batch=threads,
        verbose=False,
    )


def gguf_perplexity(gguf: Path, texts: list[str]) -> float:
    """`perplexity` of a GGUF file, loaded for this and closed again."""
    llama = load_for_scoring(gguf)
    try:
        return perplexity(llama, texts)
    finally:
        llama.close()


def repetitive(text: str) -> bool:
    """An answer that loops: some 3-word phrase makes up a large share of it."""
    words = WORD.findall(text.lower())
    trigrams = Counter(zip(words, words[1:], words[2:], strict=False))
    return bool(trigrams) and trigrams.most_common(1)[0][1] >= max(3, len(words) // 8)


def _answer(llama: Any, messages: list[dict[str, str]], max_tokens: int) -> str:
    llama.reset()
    reply = llama.create_chat_completion(messages=messages, max_tokens=max_tokens, temperature=0.0, repeat_penalty=1.1)
    return reply["choices"][0]["message"]["content"] or ""


async def _answers(state: Any, questions: list[str], max_tokens: int) -> list[tuple[str, str]]:
    """(the model's answer, the answer as served) for each question, asked as a chat client asks."""
    from foldermind.server.chat import plan_answer
    from foldermind.server.schemas import ChatRequest

    found = []
    for question in questions:
        asked = {"role": "user", "content": question}
        request = ChatRequest.model_validate(
            {"messages": [asked], "temperature": 0.0, "seed": 0, "max_tokens": max_tokens}
        )
        plan = await plan_answer(state, request)
        if plan.fixed is not None:
            found.append((plan.fixed, plan.fixed))
            continue
        stream = state.runner.stream(plan.model, plan.messages, plan.params)
        raw = "".join([piece["choices"][0]["delta"].get("content") or "" async for piece in stream])
        check = plan.check(lambda text: state.runner.truncate(text, max_tokens))
        found.append((raw, "".join([*check.feed(raw), *check.finish()])))
    return found


def answer_questions(
    gguf: Path, config: Config, index: Index, questions: list[str], threads: int = 0, max_tokens: int = 96
) -> list[tuple[str, str]]:
    """The model at `gguf` answers through the server's path (retrieval, evidence, prompt, sampling)."""
    from foldermind.server.runner import ModelRunner
    from foldermind.server.state import ServerState

    settings = config.model_copy(deep=True)
    settings.server.n_threads = threads or free_cores()
    runner = ModelRunner(settings, pinned=ModelVersion(gguf.stem, gguf))
    try:
        return asyncio.run(_answers(ServerState(settings, index=index, runner=runner), questions, max_tokens))
    finally:
        runner.close()


def accuracy(answers: list[str], questions: list[Question]) -> float | None:
    if not questions:
        return None
    return round(sum(is_right(a, q) for a, q in zip(answers, questions, strict=True)) / len(questions), 4)


def score_model(
    gguf: Path,
    config: Config,
    index: Index,
    user_texts: list[str],
    reference: list[str],
    questions: list[Question],
    threads: int = 0,
) -> ModelScores:
    answers = answer_questions(gguf, config, index, [q.question for q in questions], threads)
    llama = load_for_scoring(gguf, threads)
    try:
        chats = [_answer(llama, [{"role": "user", "content": p}], 48) for p in CHAT_PROMPTS]
        return ModelScores(
            user_perplexity=round(perplexity(llama, user_texts), 4),
            reference_perplexity=round(perplexity(llama, reference), 4),
            answer_accuracy=accuracy([raw for raw, _ in answers], questions),
            served_accuracy=accuracy([served for _, served in answers], questions),
            questions=len(questions),
            chat_ok=all(a.strip() and not repetitive(a) for a in chats),
            chat_answers=chats,
        )
    finally:
        llama.close()


@dataclass
class Verdict:
    promote: bool
    reasons: list[str]
    gain: float
    forgetting: float


def judge(base: ModelScores, live: ModelScores, candidate: ModelScores, trainer: TrainerConfig) -> Verdict:
    """Every gate must pass; each failing gate says why in words a user understands. Perplexity is compared
    with the base model (what the notes taught), answers with the live model (what users get now)."""
    gain = 1 - candidate.user_perplexity / base.user_perplexity
    forgetting = candidate.reference_perplexity / base.reference_perplexity - 1
    reasons = []
    if not gain >= trainer.min_gain:
        reasons.append(f"perplexity on held-out notes fell {gain:.1%}, less than the {trainer.min_gain:.0%} required")
    if not forgetting <= trainer.max_forgetting:
        reasons.append(
            f"perplexity on general text rose {forgetting:.1%}, more than the {trainer.max_forgetting:.0%} allowed"
        )
    if candidate.answer_accuracy is not None and live.answer_accuracy is not None:
        needed = live.answer_accuracy + trainer.min_accuracy_gain
        if candidate.answer_accuracy < needed - 1e-9:
            reasons.append(
                f"answered {candidate.answer_accuracy:.0%} of {candidate.questions} held-out questions right, "
                f"below the live model's {live.answer_accuracy:.0%}"
                + (f" plus the {trainer.min_accuracy_gain:.0%} required" if trainer.min_accuracy_gain else "")
            )
    if not candidate.chat_ok:
        reasons.append("gave an empty or looping answer to a general chat prompt")
    return Verdict(not reasons, reasons, round(gain, 4), round(forgetting, 4))

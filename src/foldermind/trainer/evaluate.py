"""Base against candidate, both as the GGUF that would be served, with llama.cpp.

Perplexity on held-out chunks of the user's notes (the gain), perplexity on a general reference text
(forgetting), held-out retrieval questions answered with the right citation, and a fixed set of chat
prompts that must get non-empty, non-repeating answers.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from foldermind.threads import free_cores
from foldermind.trainer.dataset import RaftExample

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
    citation_share: float
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
    from llama_cpp import Llama

    threads = threads or free_cores()
    return Llama(
        model_path=str(gguf),
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


def score_model(
    gguf: Path, user_texts: list[str], reference: list[str], questions: list[RaftExample], threads: int = 0
) -> ModelScores:
    llama = load_for_scoring(gguf, threads)
    try:
        cited = 0
        for example in questions:
            answer = _answer(llama, example.messages[:-1], 48)
            cited += f"[{example.right}]" in answer
        chats = [_answer(llama, [{"role": "user", "content": p}], 48) for p in CHAT_PROMPTS]
        return ModelScores(
            user_perplexity=round(perplexity(llama, user_texts), 4),
            reference_perplexity=round(perplexity(llama, reference), 4),
            citation_share=round(cited / len(questions), 4) if questions else 0.0,
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


def judge(base: ModelScores, candidate: ModelScores, min_gain: float, max_forgetting: float) -> Verdict:
    """Every gate must pass; each failing gate says why in words a user understands."""
    gain = 1 - candidate.user_perplexity / base.user_perplexity
    forgetting = candidate.reference_perplexity / base.reference_perplexity - 1
    reasons = []
    if not gain >= min_gain:
        reasons.append(f"perplexity on held-out notes fell {gain:.1%}, less than the {min_gain:.0%} required")
    if not forgetting <= max_forgetting:
        reasons.append(f"perplexity on general text rose {forgetting:.1%}, more than the {max_forgetting:.0%} allowed")
    slack = 1 / base.questions if base.questions else 0.0  # one question's worth: small sets are noisy
    if candidate.citation_share < base.citation_share - slack - 1e-9:
        reasons.append(
            f"cited the right source in {candidate.citation_share:.0%} of held-out questions, "
            f"below the base model's {base.citation_share:.0%}"
        )
    if not candidate.chat_ok:
        reasons.append("gave an empty or looping answer to a general chat prompt")
    return Verdict(not reasons, reasons, round(gain, 4), round(forgetting, 4))

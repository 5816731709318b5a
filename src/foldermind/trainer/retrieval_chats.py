"""Retrieval chats (RAFT), planned by the answer path itself: what the model learns is what it is shown.

For each question made from a trained note, `answer.plan` searches the index and picks the evidence exactly
as it does for a chat, and its messages are the chat's prompt. Where the evidence holds the question's fact
(or, for a question without one, comes from the question's own chunk), the target is the note's words with
that source's citation. A share of questions (`refusal_share`) is planned with its own document left out,
and the target is the refusal (so refusals are a larger share of the chats kept): the model learns to say
the notes do not cover what its sources do not hold (RAFT; Augmentoolkit's RAG data). Any other chat is left
out: evidence without the fact's exact words may still answer ("June 2014" for "2014-06"), so a refusal
there is a guess, and such guesses made 41% of a default night's chats refusals (809 of 1,963 at
refusal_share 0.15); the promoted model then refused 42% of the answerable questions of
bench/answer_bench.py's notes set against the base model's 8% (bench/RESULTS.md). Even planned only on
purpose, at 0.15 (185 of 1,339 chats), a default night's model refused 34% of that set's answerable questions
and 32% of the man pages' (against 8% and 6%), while a night without refusal chats refused as often as the
base model and answered the man pages better: people's questions paraphrase the notes, and a model taught to
refuse what the evidence does not repeat refuses them. So `refusal_share` is 0 by default, and refusing is
left to the answer path's check and threshold. Held-out documents are never shown, not even as a
distractor: they measure the night.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from foldermind.answer import CountTokens, Notes, Plan, plan
from foldermind.config import ServerConfig
from foldermind.indexer.search import Hit
from foldermind.prompt import MODEL_REFUSAL
from foldermind.trainer.questions import Question


@dataclass(frozen=True)
class Chat:
    messages: list[dict[str, str]]
    right: int | None  # the number of the source that answers; None when the answer is a refusal


def answering_source(question: Question, planned: Plan) -> int | None:
    """The number of the first source that answers the question, if one does."""
    for source, passage in zip(planned.sources, planned.passages, strict=True):
        if question.fact and question.fact.lower() in source.text.lower():
            return source.number
        if not question.fact and passage.hit.chunk_id == question.passage.chunk_id:
            return source.number
    return None


def chat_for(question: Question, planned: Plan) -> Chat:
    number = answering_source(question, planned)
    answer = f"{question.answer} [{number}]" if number else MODEL_REFUSAL
    return Chat([*planned.messages, {"role": "assistant", "content": answer}], number)


def retrieval_chats(
    questions: list[Question],
    notes: Notes,
    settings: ServerConfig,
    count_tokens: CountTokens,
    held_out: Callable[[str], bool],
    rng: random.Random,
    refusal_share: float,
    budget: int | None = None,
) -> list[Chat]:
    """One chat per question the server would hand to the model (questions it answers with a fixed reply
    teach nothing, nor do those whose evidence lacks the fact unless it was left out on purpose); `held_out`
    tells a held-out document by its path. With a `budget` (tokens the night can
    train), the questions are taken in random order and planning stops once the chats hold that many tokens:
    planning costs about a second a question on 2 cores (search and evidence), and a night of 40 minutes
    trains a few hundred chats of the thousands a folder's questions make."""

    def allowed(question: Question, without_answer: bool) -> Callable[[Hit], bool]:
        def keep(hit: Hit) -> bool:
            if held_out(hit.path):
                return False
            if without_answer:
                holds = question.fact is not None and question.fact.lower() in hit.text.lower()
                return hit.path != question.passage.path and not holds
            return True

        return keep

    chats: list[Chat] = []
    used = 0
    for question in rng.sample(questions, len(questions)) if budget is not None else questions:
        if budget is not None and used >= budget:
            break
        turns = [{"role": "user", "content": question.question}]
        without_answer = rng.random() < refusal_share
        planned = plan(
            turns, notes, settings, count_tokens, settings.answer_max_tokens, allowed=allowed(question, without_answer)
        )
        if planned.fixed is not None:
            continue
        chat = chat_for(question, planned)
        if chat.right is None and not without_answer:
            continue  # the evidence lacks the fact's words, which does not say it lacks the answer
        chats.append(chat)
        used += sum(count_tokens(m["content"]) for m in chat.messages)
    return chats

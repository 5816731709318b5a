"""Retrieval chats (RAFT) in the exact prompt the server builds, with the distractors it really shows.

For each generated question the index is searched as the server searches it; the other hits, cut to the
lines the server would show as evidence, are the distractors (hard negatives: they share the question's
words, unlike random chunks). The right source is the evidence passage of the question's own chunk. Most
chats show the right source among 0-2 distractors and answer in the note's words with its citation; a
share shows only distractors and answer that the notes do not cover it (RAFT; Augmentoolkit's RAG data).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from foldermind.evidence import Passage as Evidence
from foldermind.evidence import passages, terms
from foldermind.indexer.search import Hit
from foldermind.prompt import MODEL_REFUSAL, SourceText, system_message
from foldermind.trainer.corpus import Passage
from foldermind.trainer.questions import Question

Retrieve = Callable[[str], list[Hit]]
MAX_DISTRACTORS = 2


@dataclass(frozen=True)
class Chat:
    messages: list[dict[str, str]]
    right: int | None  # the number of the source that answers; None when the answer is a refusal


def as_hit(passage: Passage) -> Hit:
    """A chunk of the corpus as a search hit, so the server's own evidence code cuts it into passages."""
    return Hit(
        chunk_id=passage.chunk_id,
        document_id=0,
        path=passage.path,
        title=passage.title,
        heading=passage.heading,
        page=passage.page,
        score=0.0,
        similarity=None,
        text=passage.text,
        start=0,
        end=len(passage.text),
        metadata={},
    )


def _best(candidates: list[Evidence], wanted: set[str]) -> Evidence:
    return max(candidates, key=lambda p: len(terms(p.text) & wanted))


def right_source(question: Question) -> Evidence:
    """The evidence passage of the question's chunk that holds its answer."""
    candidates = passages(as_hit(question.passage)) or [
        Evidence(as_hit(question.passage), question.passage.text, 0, 0, None, None)
    ]
    holding = [p for p in candidates if question.fact and question.fact in p.text]
    return _best(holding or candidates, terms(question.answer))


def distractors(question: Question, hits: list[Hit], held_out: set[str]) -> list[Evidence]:
    """The best lines of each other hit: not the question's chunk, not one that also holds its fact, and
    never a held-out chunk (what measures the model must not be read in training, even as a distractor)."""
    wanted = terms(question.question)
    found = []
    for hit in hits:
        if hit.chunk_id == question.passage.chunk_id or hit.chunk_id in held_out:
            continue
        if question.fact and question.fact in hit.text:
            continue
        if candidates := passages(hit):
            found.append(_best(candidates, wanted))
    return found


def chat(question: Question, shown: list[Evidence], right: Evidence | None) -> Chat:
    texts = [SourceText(i + 1, p.hit.title, p.hit.path, p.location(), p.text) for i, p in enumerate(shown)]
    number = shown.index(right) + 1 if right is not None else None
    answer = f"{question.answer} [{number}]" if number else MODEL_REFUSAL
    messages = [
        {"role": "system", "content": system_message(texts)},
        {"role": "user", "content": question.question},
        {"role": "assistant", "content": answer},
    ]
    return Chat(messages, number)


def retrieval_chats(
    questions: list[Question], retrieve: Retrieve, held_out: set[str], rng: random.Random, refusal_share: float
) -> list[Chat]:
    chats = []
    for question in questions:
        negatives = distractors(question, retrieve(question.question), held_out)
        if negatives and rng.random() < refusal_share:
            chats.append(chat(question, negatives[: rng.randint(1, min(MAX_DISTRACTORS, len(negatives)))], None))
            continue
        right = right_source(question)
        shown = [right, *negatives[: rng.randint(0, min(MAX_DISTRACTORS, len(negatives)))]]
        rng.shuffle(shown)
        chats.append(chat(question, shown, right))
    return chats

"""Retrieval for a chat request: what to search for, which hits count, and how many fit the context."""

from __future__ import annotations

import re
from collections.abc import Callable

from foldermind.evidence import Passage, grounded, quote
from foldermind.indexer.search import Hit
from foldermind.prompt import QUOTED, SourceText, cited_numbers, format_source, quotes, system_message
from foldermind.server.schemas import ChatMessage, Evidence, Source

SNIPPET_CHARS = 240


def _about(hit: Hit) -> dict[str, str | int]:
    """What a source and its evidence both say of the chunk they come from."""
    return {"document_id": hit.document_id, "chunk_id": hit.chunk_id, "path": hit.path, "title": hit.title}


def source_of(number: int, hit: Hit) -> Source:
    snippet = " ".join(hit.text.split())
    return Source(
        number=number,
        **_about(hit),  # type: ignore[arg-type]
        heading=hit.heading,
        page=hit.page,
        location=hit.location(),
        score=hit.score,
        similarity=hit.similarity,
        snippet=snippet[:SNIPPET_CHARS] + ("…" if len(snippet) > SNIPPET_CHARS else ""),
    )


def evidence_of(number: int, passage: Passage) -> Evidence:
    return Evidence(
        source=number,
        **_about(passage.hit),  # type: ignore[arg-type]
        location=passage.location(),
        first_line=passage.first_line,
        last_line=passage.last_line,
        start=passage.start,
        end=passage.end,
        text=passage.text,
        score=passage.score,
    )


def last_question(messages: list[ChatMessage]) -> str:
    return retrieval_query(messages, turns=1)


def retrieval_query(messages: list[ChatMessage], turns: int = 2) -> str:
    """The last user turn, with the one before it: a follow-up like 'and when?' needs its antecedent."""
    asked = [m.text() for m in messages if m.role == "user" and m.text().strip()]
    return "\n".join(asked[-turns:])


def relevant(hits: list[Hit], min_similarity: float) -> list[Hit]:
    return [h for h in hits if h.similarity is None or h.similarity >= min_similarity]


def pack(
    passages: list[Passage], count_tokens: Callable[[str], int], budget: int
) -> tuple[list[Source], list[SourceText], list[Evidence]]:
    """Best passage first while they fit; the first that does not fit ends the list (nothing is cut mid-text)."""
    sources: list[Source] = []
    texts: list[SourceText] = []
    evidence: list[Evidence] = []
    used = 0
    for passage in passages:
        hit = passage.hit
        text = SourceText(len(texts) + 1, hit.title, hit.path, passage.location(), passage.text)
        cost = count_tokens(format_source(text)) + 2
        if used + cost > budget:
            break
        used += cost
        texts.append(text)
        sources.append(source_of(text.number, hit))
        evidence.append(evidence_of(text.number, passage))
    return sources, texts, evidence


def model_messages(messages: list[ChatMessage], texts: list[SourceText] | None) -> list[dict[str, str]]:
    """The conversation as the model gets it; with retrieval, our system message (with sources) comes first."""
    turns = [{"role": "system" if m.role == "developer" else m.role, "content": m.text()} for m in messages]
    turns = [t for t in turns if t["role"] in ("system", "user", "assistant")]
    if texts is None:
        return turns
    return [{"role": "system", "content": system_message(texts)}, *turns]


def mark_cited(answer: str, sources: list[Source], texts: list[SourceText], evidence: list[Evidence]) -> None:
    """Explicit [n] citations when the answer has any; otherwise the sources it quotes."""
    numbers = cited_numbers(answer)
    if not numbers:
        numbers = {text.number for text in texts if quotes(answer, text.text)}
    for item in [*sources, *evidence]:
        item.cited = (item.number if isinstance(item, Source) else item.source) in numbers


SENTENCE_DONE = re.compile(r"[.!?](?:\s|$)|\n")
CHECK_AFTER = 240  # characters held back at most before an answer's start is checked


class AnswerCheck:
    """Holds back the start of an answer until its first sentence can be checked against the evidence.

    A 135M model reads the right lines and still writes a wrong option or number about half the time.
    An answer whose first sentence states a fact the evidence does not hold (or states none) is replaced by
    the evidence's own words, so what a user reads is either grounded or a quote; a grounded one streams on.
    """

    def __init__(self, question: str, passages: list[Passage], fit: Callable[[str], str]) -> None:
        self.question = question
        self.passages = passages
        self.fit = fit  # cuts a replacement to the answer's token limit
        self.held = ""
        self.decided = not passages
        self.replaced = False

    def feed(self, text: str) -> list[str]:
        """What may be shown now of the answer so far."""
        if self.decided:
            return [text] if text else []
        self.held += text
        start = self.held.lstrip()
        if len(start) < CHECK_AFTER and not SENTENCE_DONE.search(start, 4):
            return []
        return self._decide()

    def finish(self) -> list[str]:
        return [] if self.decided else self._decide()

    def _decide(self) -> list[str]:
        self.decided = True
        if grounded(self.held, self.question, self.passages[0]):
            return [self.held] if self.held else []
        self.replaced = True
        return [self.fit(QUOTED.format(quote=quote(self.passages[0], self.question), number=1))]

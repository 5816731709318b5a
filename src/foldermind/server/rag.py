"""Retrieval for a chat request: what to search for, which hits count, and how many fit the context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from foldermind.indexer.search import Hit
from foldermind.prompt import SourceText, cited_numbers, format_source, quotes, system_message
from foldermind.server.schemas import ChatMessage

SNIPPET_CHARS = 240


@dataclass
class Source:
    number: int
    chunk_id: str
    document_id: int
    path: str
    title: str
    heading: str
    page: int | None
    score: float
    similarity: float | None
    snippet: str
    cited: bool = False

    def to_json(self) -> dict:
        return asdict(self)


def retrieval_query(messages: list[ChatMessage], turns: int = 2) -> str:
    """The last user turn, with the one before it: a follow-up like 'and when?' needs its antecedent."""
    asked = [m.text() for m in messages if m.role == "user" and m.text().strip()]
    return "\n".join(asked[-turns:])


def relevant(hits: list[Hit], min_similarity: float) -> list[Hit]:
    return [h for h in hits if h.similarity is None or h.similarity >= min_similarity]


def _location(hit: Hit) -> str:
    return f"page {hit.page}" if hit.page else hit.heading


def pack(hits: list[Hit], count_tokens: Callable[[str], int], budget: int) -> tuple[list[Source], list[SourceText]]:
    """Best-ranked first while they fit; the first that does not fit ends the list (nothing is cut mid-text)."""
    sources: list[Source] = []
    texts: list[SourceText] = []
    used = 0
    for hit in hits:
        text = SourceText(len(texts) + 1, hit.title, hit.path, _location(hit), hit.text)
        cost = count_tokens(format_source(text)) + 2
        if used + cost > budget:
            break
        used += cost
        texts.append(text)
        snippet = " ".join(hit.text.split())
        sources.append(
            Source(
                number=text.number,
                chunk_id=hit.chunk_id,
                document_id=hit.document_id,
                path=hit.path,
                title=hit.title,
                heading=hit.heading,
                page=hit.page,
                score=hit.score,
                similarity=hit.similarity,
                snippet=snippet[:SNIPPET_CHARS] + ("…" if len(snippet) > SNIPPET_CHARS else ""),
            )
        )
    return sources, texts


def model_messages(messages: list[ChatMessage], texts: list[SourceText] | None) -> list[dict[str, str]]:
    """The conversation as the model gets it; with retrieval, our system message (with sources) comes first."""
    turns = [{"role": "system" if m.role == "developer" else m.role, "content": m.text()} for m in messages]
    turns = [t for t in turns if t["role"] in ("system", "user", "assistant")]
    if texts is None:
        return turns
    return [{"role": "system", "content": system_message(texts)}, *turns]


def mark_cited(answer: str, sources: list[Source], texts: list[SourceText]) -> None:
    """Explicit [n] citations when the answer has any; otherwise the sources it quotes."""
    numbers = cited_numbers(answer)
    if not numbers:
        numbers = {text.number for text in texts if quotes(answer, text.text)}
    for source in sources:
        source.cited = source.number in numbers

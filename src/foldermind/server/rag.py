"""Sources and evidence in the API's shapes: what an answer's retrieval and check decided, as a client reads it."""

from __future__ import annotations

from foldermind.evidence import Passage
from foldermind.indexer.search import Hit
from foldermind.server.schemas import Evidence, Source

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


def mark_cited(numbers: set[int], sources: list[Source], evidence: list[Evidence]) -> None:
    """Mark the sources and evidence an answer cited (`answer.cited` says which)."""
    for item in [*sources, *evidence]:
        item.cited = (item.number if isinstance(item, Source) else item.source) in numbers

"""Chroma as the vector store: embedded on disk by default, a Chroma server when `chroma_url` is set.

foldermind always passes its own vectors; Chroma's default embedding function is never used.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from foldermind.errors import IndexStateError

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def _client(data_dir: Path, chroma_url: str) -> Any:
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        url = urlparse(chroma_url)
        if not url.hostname:
            raise IndexStateError(f"chroma_url '{chroma_url}' is not a URL like http://127.0.0.1:8000")
        try:
            return chromadb.HttpClient(
                host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https", settings=settings
            )
        except Exception as exc:  # chromadb raises bare Exception/ValueError when it cannot connect
            raise IndexStateError(f"Cannot reach the Chroma server at {chroma_url}: {exc}. Is it running?") from exc
    return chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=settings)


class VectorStore:
    def __init__(self, data_dir: Path, chroma_url: str, collection: str) -> None:
        self.client = _client(data_dir, chroma_url)
        self.name = collection
        self.collection = self.client.get_or_create_collection(
            name=collection, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )

    def drop_others(self, prefix: str) -> list[str]:
        """Delete collections of earlier models/settings, so vectors from two models never mix."""
        dropped = []
        for name in [c if isinstance(c, str) else c.name for c in self.client.list_collections()]:
            if name.startswith(prefix) and name != self.name:
                self.client.delete_collection(name)
                dropped.append(name)
        return dropped

    def count(self) -> int:
        return int(self.collection.count())

    def upsert(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        step = int(self.client.get_max_batch_size())
        for i in range(0, len(ids), step):
            self.collection.upsert(
                ids=ids[i : i + step], embeddings=vectors[i : i + step], metadatas=metadatas[i : i + step]
            )

    def delete(self, ids: Sequence[str]) -> None:
        step = int(self.client.get_max_batch_size())
        for i in range(0, len(ids), step):
            self.collection.delete(ids=list(ids[i : i + step]))

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        got = self.collection.get(ids=ids, include=["embeddings"])
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"], strict=True)}

    def all_ids(self) -> set[str]:
        return set(self.collection.get(include=[])["ids"])

    def query(
        self, vector: np.ndarray, n: int, where: dict[str, Any] | None, ids: list[str] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) best first; only among `ids` when given."""
        if n <= 0 or self.count() == 0 or ids == []:
            return []
        result = self.collection.query(
            query_embeddings=[vector], n_results=n, where=where or None, ids=ids, include=["distances"]
        )
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0], strict=True)]

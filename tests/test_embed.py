"""Vectors come from the embedding model's int8 ONNX copy: the same model, so the same neighbours."""

from __future__ import annotations

import numpy as np

from foldermind.indexer.embed import Embedder

TEXTS = [
    "Feed the sourdough starter with rye flour every twelve hours.",
    "The quarterly budget review with Alice Moreau is on Thursday in room 4B.",
    "-l, --files-with-matches: print only the names of files with a match",
    "Turn the compost heap every two weeks.",
]
QUERY = "which grep option lists only file names"


def test_the_int8_copy_gives_the_vectors_of_the_model_itself(embedder: Embedder) -> None:
    exact = Embedder("sentence-transformers/all-MiniLM-L6-v2", backend="torch")
    assert embedder.fast is not None and exact.fast is None
    fast_vectors, exact_vectors = embedder.encode(TEXTS), exact.encode(TEXTS)
    assert np.allclose(np.linalg.norm(fast_vectors, axis=1), 1.0, atol=1e-5)
    assert (fast_vectors * exact_vectors).sum(axis=1).min() > 0.98  # cosine of each pair
    fast_order = np.argsort(-(fast_vectors @ embedder.encode([QUERY])[0]))
    exact_order = np.argsort(-(exact_vectors @ exact.encode([QUERY])[0]))
    assert fast_order[0] == exact_order[0] == 2


def test_batches_of_mixed_lengths_come_back_in_the_order_given(embedder: Embedder) -> None:
    texts = [TEXTS[0] * 20, TEXTS[1], TEXTS[2], TEXTS[3] * 5]
    together = embedder.encode(texts)
    one_by_one = np.stack([embedder.encode([t])[0] for t in texts])
    assert (together @ one_by_one.T).argmax(axis=1).tolist() == [0, 1, 2, 3]
    # int8 activations are scaled per batch, so a text's vector moves a little with its companions
    assert (together * one_by_one).sum(axis=1).min() > 0.98


def test_a_text_embedded_each_on_its_own_has_one_vector_whatever_is_beside_it(embedder: Embedder) -> None:
    question, passage = QUERY, TEXTS[2]
    alone = embedder.encode_each([question, passage])
    with_long = embedder.encode_each([question, passage, "word " * 200])
    assert np.array_equal(alone, with_long[:2])  # the evidence score of a passage does not depend on its batch
    assert np.allclose(alone, np.stack([embedder.encode([question])[0], embedder.encode([passage])[0]]))

"""Indexer benchmarks: pipeline throughput against bare encode, rescan of 10,000 unchanged files, peak memory
while indexing them, and query latency at 100,000 chunks.

Run: .venv/bin/python bench/indexer_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from common import ZipfText, median, note, percentile, table, temporary_home, write_notes
from foldermind.indexer.chunk import Chunk, chunk_document
from foldermind.indexer.embed import Embedder
from foldermind.indexer.extract import extract
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.indexer.records import ChunkRecord, DocumentRecord, chunk_id_for, sha256_hex
from foldermind.indexer.search import search

BIG_STORE = Path("/tmp/fm-bench-100k-zipf-v2")  # v2: documents in 20 categories, half of them tagged


def throughput(embedders: dict[str, Embedder], notes: int, runs: int) -> list[list[object]]:
    """Chunks/s of bare `encode` and of the whole pipeline, per embedding backend, on the same notes."""
    speeds: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in embedders}
    for run in range(runs):
        for name, embedder in embedders.items():
            config = temporary_home()
            paths = write_notes(config.context_dir, notes, words=170, seed=run)
            texts = [
                c.embed_text()
                for p in paths
                for c in chunk_document(extract(p.read_bytes(), Path(p.name)), embedder, 256, 32)
            ]
            started = time.perf_counter()
            embedder.encode(texts)
            speeds[name][0].append(len(texts) / (time.perf_counter() - started))
            index = Index(config, embedder=embedder)
            started = time.perf_counter()
            report = index_folder(index)
            speeds[name][1].append(report.chunks_embedded / (time.perf_counter() - started))
            index.close()
            shutil.rmtree(config.home.parent)
    base = median(speeds[next(iter(embedders))][1])
    rows = []
    for name, (bare, pipeline) in speeds.items():
        rows.append([f"bare encode, {name}", f"{median(bare):.1f}", ""])
        rows.append([f"foldermind index pipeline, {name}", f"{median(pipeline):.1f}", f"{median(pipeline) / base:.2f}"])
    return rows


def recall(embedders: dict[str, Embedder]) -> list[list[object]]:
    """Recall@1/@5 on installed package documentation (each summary line as the question), per backend."""
    from foldermind.indexer.search import search
    from server_bench import package_docs

    docs = package_docs()
    rows = []
    for name, embedder in embedders.items():
        config = temporary_home()
        for doc_name, _, body in docs:
            (config.context_dir / f"{doc_name}.md").write_text(body)
        index = Index(config, embedder=embedder)
        index_folder(index)
        for mode in ("vector", "hybrid"):
            ranks = []
            for doc_name, summary, _ in docs:
                found = [h.path for h in search(index, summary, k=5, mode=mode)]  # type: ignore[arg-type]
                ranks.append(found.index(f"{doc_name}.md") if f"{doc_name}.md" in found else 99)
            rows.append(
                [
                    f"{mode}, {name}",
                    f"{sum(r < 1 for r in ranks) / len(docs):.3f}",
                    f"{sum(r < 5 for r in ranks) / len(docs):.3f}",
                    len(docs),
                ]
            )
        index.close()
    return rows


def rescan(files: int, runs: int) -> tuple[list[list[object]], list[list[object]]]:
    config = temporary_home()
    rng = random.Random(1)
    for i in range(files):
        path = config.context_dir / f"d{i // 250:03d}" / f"f{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note(rng, 25))
    command = [sys.executable, "-m", "foldermind", "--home", str(config.home), "index", "-q"]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    first = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    index = Index(config)
    in_process, cli = [], []
    for _ in range(runs):
        started = time.perf_counter()
        report = index_folder(index)
        in_process.append(time.perf_counter() - started)
        assert report.unchanged == files and not report.indexed
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        cli.append(time.perf_counter() - started)
    index.close()
    shutil.rmtree(config.home.parent)
    rows = [
        [f"rescan {files} unchanged files, in process", f"{median(in_process):.3f}"],
        [f"rescan {files} unchanged files, `foldermind index` command", f"{median(cli):.3f}"],
        [f"first index of {files} files, `foldermind index` command", f"{first:.1f}"],
    ]
    return rows, [[f"index {files} files (`foldermind index`)", f"{peak_mb:.0f}"]]


def build_big_store(embedder: Embedder, chunks: int) -> Index:
    """A store of `chunks` synthetic chunks (random unit vectors, real text in the keyword index), written
    through the real manifest and Chroma code; each document in one of 20 categories, every other one tagged
    `even`. Cached in /tmp between runs."""
    config = temporary_home()
    config.paths.data = BIG_STORE
    index = Index(config, embedder=embedder)
    if index.manifest.counts()["chunks"] >= chunks:
        return index
    index.adopt_settings()
    text_source = ZipfText(seed=2)
    vectors_rng = np.random.default_rng(2)
    per_doc = 100
    for start in range(0, chunks, 5000):
        docs = []
        for d in range(start // per_doc, (start + 5000) // per_doc):
            path = f"big/doc{d:05d}.md"
            sha = sha256_hex(path)
            records = []
            for i in range(per_doc):
                text = text_source.sentence(60)
                records.append(
                    ChunkRecord(
                        chunk_id_for(path, sha, i), i, Chunk(text, ("Part",), None, 0, len(text)), sha256_hex(text)
                    )
                )
            category, tags = f"c{d % 20:02d}", ["even"] if d % 2 == 0 else []
            docs.append(DocumentRecord(path, 1, 1, 0.0, sha, f"Doc {d}", category, "md", tags, chunks=records))
        vectors = vectors_rng.normal(size=(5000, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        ids = [r.chunk_id for doc in docs for r in doc.chunks]
        index.vectors.upsert(ids, vectors, [doc.chunk_metadata(r) for doc in docs for r in doc.chunks])
        index.manifest.write_documents(docs)
        print(f"  built {start + 5000} chunks", flush=True)
    return index


def query_latency(index: Index, queries: int) -> list[list[object]]:
    text_source = ZipfText(seed=2)
    rows = []
    for mode in ("vector", "keyword", "hybrid"):
        timings = []
        for _ in range(queries):
            query = text_source.query(3)
            started = time.perf_counter()
            search(index, query, k=5, mode=mode)  # type: ignore[arg-type]
            timings.append((time.perf_counter() - started) * 1000)
        rows.append([mode, f"{median(timings):.1f}", f"{percentile(timings, 0.95):.1f}"])
    return rows


def filter_latency(index: Index, queries: int) -> list[list[object]]:
    """A `where` filter on vector search: Chroma's own metadata filter (before) against `vector_search`."""
    from foldermind.indexer.search import chroma_where, vector_search

    rng = np.random.default_rng(3)
    total = index.manifest.counts()["chunks"]
    rows = []
    for label, where in (("category (5% of chunks)", {"category": "c07"}), ("tag (50% of chunks)", {"tag": "even"})):
        share = len(index.manifest.chunk_ids_where(where, total)) / total
        for path, run in (
            ("Chroma where (before)", lambda v, w=where: index.vectors.query(v, 20, chroma_where(w))),
            ("foldermind (now)", lambda v, w=where: vector_search(index, v, 20, w)),
        ):
            timings = []
            for _ in range(queries):
                vector = rng.normal(size=384).astype(np.float32)
                vector /= np.linalg.norm(vector)
                started = time.perf_counter()
                run(vector)
                timings.append((time.perf_counter() - started) * 1000)
            rows.append(
                [f"{label}, {path}", f"{share:.2f}", f"{median(timings):.1f}", f"{percentile(timings, 0.95):.1f}"]
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--only", choices=["throughput", "recall", "rescan", "latency"], help="run one part")
    args = parser.parse_args()
    embedder = Embedder("sentence-transformers/all-MiniLM-L6-v2")
    notes, files, chunks = (40, 2000, 20000) if args.quick else (120, 10000, 100000)
    if args.only in (None, "throughput", "recall"):
        backends = {"torch (before)": Embedder(embedder.name, backend="torch"), "onnx-int8 (now)": embedder}
    if args.only in (None, "throughput"):
        table(
            "Indexing throughput (chunks/s of ~250 tokens, median of 3)",
            ["what", "chunks/s", "pipeline vs torch"],
            throughput(backends, notes, 3),
        )
    if args.only in (None, "recall"):
        table(
            "Retrieval recall on installed package documentation, per embedding backend",
            ["mode, backend", "recall@1", "recall@5", "questions"],
            recall(backends),
        )
    if args.only in (None, "rescan"):
        rescan_rows, memory_rows = rescan(files, 5)
        table("Rescan with nothing changed (seconds, median of 5)", ["what", "seconds"], rescan_rows)
        table("Peak memory while indexing", ["what", "peak RSS MB"], memory_rows)
    if args.only in (None, "latency"):
        big = build_big_store(embedder, chunks)
        table(
            f"Query latency at {big.manifest.counts()['chunks']} chunks, embedding included (ms, 50 queries)",
            ["mode", "p50 ms", "p95 ms"],
            query_latency(big, 50),
        )
        table(
            f"Vector search with a filter at {big.manifest.counts()['chunks']} chunks (ms, 50 queries, top 20)",
            ["filter, path", "share matching", "p50 ms", "p95 ms"],
            filter_latency(big, 50),
        )
    print(json.dumps({"quick": args.quick}))


if __name__ == "__main__":
    main()

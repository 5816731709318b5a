"""Server benchmarks: time to first token and tokens/s through the HTTP endpoint, against llama-cpp-python
called directly and transformers `generate` on the same model and prompt; RAG answer latency at 100,000
chunks; and retrieval recall@5 (vector, keyword, hybrid) on installed package documentation.

Run: .venv/bin/python bench/server_bench.py [generation|rag|recall]
     (after bench/indexer_bench.py, which builds the 100k store)
"""

from __future__ import annotations

import email
import importlib.metadata
import json
import os
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from common import median, percentile, start_foldermind, table, temporary_home
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.indexer.search import search
from foldermind.llama import load_llama
from foldermind.models import base_version
from foldermind.server.app import create_app
from foldermind.server.state import ServerState
from foldermind.server.thread import server_in_thread

PROMPT = "Explain in a few sentences why regular backups of personal notes matter."
MAX_TOKENS = 96
RUNS = 5
BIG_STORE = Path("/tmp/fm-bench-100k-zipf")


def endpoint(url: str) -> tuple[float, float]:
    body = {
        "model": "base",
        "messages": [{"role": "user", "content": PROMPT}],
        "stream": True,
        "max_tokens": MAX_TOKENS,
        "temperature": 0.0,
        "seed": 0,  # a seeded request evaluates the whole prompt, as the direct path does after reset()
    }
    started = time.perf_counter()
    first = None
    pieces = 0
    with httpx.stream("POST", f"{url}/v1/chat/completions", json=body, timeout=120) as reply:
        for line in reply.iter_lines():
            if line.startswith("data: {") and '"content": "' in line and '"content": ""' not in line:
                first = first or time.perf_counter()
                pieces += 1
    end = time.perf_counter()
    return first - started, (pieces - 1) / (end - first)


def direct() -> tuple[float, float]:
    llama = load_llama(base_version("").path, n_ctx=2048, n_threads=os.cpu_count(), flash_attn=True, verbose=False)
    results = []
    for _ in range(RUNS):
        llama.reset()
        started = time.perf_counter()
        first = None
        pieces = 0
        for chunk in llama.create_chat_completion(
            messages=[{"role": "user", "content": PROMPT}],
            stream=True,
            max_tokens=MAX_TOKENS,
            temperature=0.0,
            repeat_penalty=1.1,
        ):
            if chunk["choices"][0]["delta"].get("content"):
                first = first or time.perf_counter()
                pieces += 1
        end = time.perf_counter()
        results.append((first - started, (pieces - 1) / (end - first)))
    return median([r[0] for r in results]), median([r[1] for r in results])


def transformers_generate() -> tuple[float, float]:
    from transformers import AutoModelForCausalLM, AutoTokenizer, TextIteratorStreamer

    from foldermind.trainer.base_model import resolve_base

    source = resolve_base("HuggingFaceTB/SmolLM2-135M-Instruct")
    tokenizer = AutoTokenizer.from_pretrained(source)
    model = AutoModelForCausalLM.from_pretrained(source)
    text = tokenizer.apply_chat_template(
        [{"role": "user", "content": PROMPT}], tokenize=False, add_generation_prompt=True
    )
    inputs = tokenizer(text, return_tensors="pt")
    results = []
    for _ in range(3):
        streamer = TextIteratorStreamer(tokenizer, skip_prompt=True)
        started = time.perf_counter()
        worker = threading.Thread(
            target=model.generate,
            kwargs={**inputs, "max_new_tokens": MAX_TOKENS, "do_sample": False, "streamer": streamer},
        )
        worker.start()
        first = None
        for piece in streamer:
            if piece:
                first = first or time.perf_counter()
        worker.join()
        end = time.perf_counter()
        results.append((first - started, (MAX_TOKENS - 1) / (end - first)))
    return median([r[0] for r in results]), median([r[1] for r in results])


def generation(embedder: Embedder) -> list[list[object]]:
    """The endpoint in its own process (`foldermind serve`), as a user runs it: a client in the same process
    would compete with the server for the GIL."""
    config = temporary_home()
    server, url = start_foldermind(config, "serve")
    try:
        endpoint(url)  # warm-up
        runs = [endpoint(url) for _ in range(RUNS)]
    finally:
        server.terminate()
        server.wait(20)
    http_ttft, http_rate = median([r[0] for r in runs]), median([r[1] for r in runs])
    direct_ttft, direct_rate = direct()
    hf_ttft, hf_rate = transformers_generate()
    return [
        ["transformers generate", f"{hf_ttft * 1000:.0f}", f"{hf_rate:.1f}", "1.00"],
        ["llama-cpp-python direct", f"{direct_ttft * 1000:.0f}", f"{direct_rate:.1f}", f"{direct_rate / hf_rate:.2f}"],
        ["foldermind HTTP endpoint", f"{http_ttft * 1000:.0f}", f"{http_rate:.1f}", f"{http_rate / hf_rate:.2f}"],
        [
            "endpoint overhead vs direct",
            f"{(http_ttft / direct_ttft - 1) * 100:+.0f}%",
            f"{(1 - http_rate / direct_rate) * 100:+.1f}% slower",
            "",
        ],
    ]


def rag_latency(embedder: Embedder) -> list[list[object]]:
    config = temporary_home()
    config.paths.data = BIG_STORE
    config.server.min_similarity = -1.0  # the synthetic store's vectors are random: take the top sources anyway
    questions = [
        "What does the budget meeting note say?",
        "Where is the hotel by the river?",
        "When is the doctor appointment?",
        "What did the supplier contract say?",
    ] * 5
    timings = []
    state = ServerState(config, index=Index(config, embedder=embedder))
    with server_in_thread(create_app(config, state)) as url:
        chunks = state.counts()["chunks"]
        for question in questions:
            body = {"messages": [{"role": "user", "content": question}], "max_tokens": 32, "temperature": 0.0}
            started = time.perf_counter()
            reply = httpx.post(f"{url}/v1/chat/completions", json=body, timeout=120)
            timings.append(time.perf_counter() - started)
            sources = len(reply.json()["sources"])
            assert reply.status_code == 200 and sources
    return [[f"{chunks}", str(sources), "32", f"{median(timings):.2f}", f"{percentile(timings, 0.95):.2f}"]]


def package_docs(limit: int = 300) -> list[tuple[str, str, str]]:
    """(name, summary, long description) of installed packages: real documentation, with each author's
    one-line summary as the question and the description as the document that answers it."""
    found = {}
    for dist in importlib.metadata.distributions():
        meta = dist.metadata
        name, summary = meta.get("Name"), (meta.get("Summary") or "").strip()
        body = meta.get_payload() if isinstance(meta, email.message.Message) else ""
        if name and summary and body and len(body) > 400 and name.lower() not in found:
            found[name.lower()] = (name, summary, body[:6000].replace(summary, ""))
        if len(found) >= limit:
            break
    return sorted(found.values())


def recall(embedder: Embedder) -> list[list[object]]:
    config = temporary_home()
    docs = package_docs()
    for name, _, body in docs:
        (config.context_dir / f"{name}.md").write_text(body)
    index = Index(config, embedder=embedder)
    index_folder(index)
    rows = []
    for mode in ("vector", "keyword", "hybrid"):
        hits = sum(
            any(h.path == f"{name}.md" for h in search(index, summary, k=5, mode=mode))  # type: ignore[arg-type]
            for name, summary, _ in docs
        )
        rows.append([mode, f"{hits / len(docs):.3f}", str(len(docs))])
    return rows


def main() -> None:
    only = sys.argv[1] if len(sys.argv) > 1 else None
    embedder = Embedder("sentence-transformers/all-MiniLM-L6-v2")
    if only in (None, "generation"):
        table(
            f"Generation, SmolLM2-135M, {MAX_TOKENS} tokens (median of runs)",
            ["path", "time to first token ms", "tokens/s", "speed vs transformers"],
            generation(embedder),
        )
    if only in (None, "rag") and BIG_STORE.exists():
        table(
            "RAG answer end to end through HTTP (seconds, 20 questions)",
            ["chunks indexed", "sources in prompt", "max answer tokens", "p50 s", "p95 s"],
            rag_latency(embedder),
        )
    if only in (None, "recall"):
        table(
            "Retrieval recall@5 on installed package documentation (summary line as the question)",
            ["mode", "recall@5", "questions"],
            recall(embedder),
        )
    print(json.dumps({"done": True}))


if __name__ == "__main__":
    main()

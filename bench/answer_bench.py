"""Answer quality on real documents nobody on this project wrote: installed manual pages.

The questions (bench/questions/manpages.jsonl) were written before any tuning, each with the page that holds
the answer and a pattern the answer must contain; the last ones are questions these pages cannot answer.
Every fourth question (0, 4, 8, ...) is the tuning split; the others are the report split. Tune on
`--split tune`, report `--split report`.

Measured in one run, for the bundled model:
- the previous answer path (0.1: five whole chunks, the 0.1 prompt) and the current one (evidence passages),
  and, with `--peer`, LlamaIndex's default query engine (top 2) on the same GGUF and embedder;
- answer accuracy (answer matches the expected pattern), evidence accuracy (the top evidence passage
  contains it), refusals on unanswerable questions and false refusals on answerable ones;
- document recall@1/@5 (hybrid search as 0.1 ranked it, and after evidence reranking);
- answer latency p50/p95 (whole prompt evaluated each time: a seed is sent).

Run: .venv/bin/python bench/answer_bench.py [--split report|tune|all] [--peer] [--work DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from fastapi.testclient import TestClient

from common import percentile, table, temporary_home
from foldermind.config import Config, default_config_text
from foldermind.evidence import passages, score
from foldermind.home import open_home
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.indexer.search import search
from foldermind.prompt import NOT_COVERED, QUOTED
from foldermind.server.app import create_app

QUESTIONS = Path(__file__).parent / "questions" / "manpages.jsonl"
PACKAGES = (
    "coreutils findutils grep sed tar gzip diffutils procps openssh-client curl wget jq sqlite3 make less file "
    "zip unzip bzip2 xz-utils"
).split()
REFUSAL = re.compile(r"do(?:es)? not (?:seem to )?cover|don't cover|not covered|no indexed document", re.I)
OLD_SYSTEM_PROMPT = (
    "You are foldermind, an assistant that answers questions from the user's own notes. "
    "Use only the numbered sources below. Cite every source you use with its number in square brackets, "
    "like [1]. If the sources do not answer the question, say that the notes do not cover it."
)


def load_questions(split: str) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line.strip()]
    for i, row in enumerate(rows):
        row["split"] = "tune" if i % 4 == 0 else "report"
    return [row for row in rows if split == "all" or row["split"] == split]


def build_corpus(folder: Path) -> int:
    """Every man(1) page of the packages above, rendered to text at 80 columns. Aliases that render to the
    same text (egrep, bzcat, xzcat, ...) are kept once, under the name the page's own header gives."""
    listing = subprocess.run(["dpkg", "-L", *PACKAGES], capture_output=True, text=True).stdout.split()
    pages = sorted({Path(p).name.removesuffix(".1.gz") for p in listing if "/man1/" in p and p.endswith(".1.gz")})
    folder.mkdir(parents=True, exist_ok=True)
    by_text: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for page in pages:
        rendered = subprocess.run(
            ["man", "-E", "UTF-8", "-P", "cat", "1", page],
            capture_output=True,
            text=True,
            env={"MANWIDTH": "80", "PATH": "/usr/bin:/bin"},
        ).stdout
        text = subprocess.run(["col", "-bx"], input=rendered, capture_output=True, text=True).stdout
        if text.strip():
            digest = hashlib.sha256(text.encode()).hexdigest()
            by_text.setdefault(digest, []).append(page)
            texts[digest] = text
    for digest, names in by_text.items():
        header = texts[digest].split("(", 1)[0].strip().lower()
        name = header if header in names else names[0]
        (folder / f"{name}.txt").write_text(texts[digest])
    return len(by_text)


def man_page_home(work: Path) -> Config:
    """The home with the man-page corpus, built once and kept in `work` between runs, indexed up to date and
    with today's default settings (not those of its first run)."""
    marker = work / "home-path"
    if marker.exists():
        home = Path(marker.read_text())
        (home / "config.toml").write_text(default_config_text())
        config = open_home(home)
    else:
        config = temporary_home("fm-answer-")
        count = build_corpus(config.context_dir)
        print(f"corpus: {count} manual pages in {config.context_dir}", flush=True)
        work.mkdir(parents=True, exist_ok=True)
        marker.write_text(str(config.home))
    index = Index(config)
    started = time.perf_counter()
    print(f"index: {index_folder(index)} in {time.perf_counter() - started:.0f} s", flush=True)
    index.close()
    return config


def doc_of(path: str) -> str:
    return Path(path).stem


def old_messages(question: str, hits: list) -> list[dict[str, str]]:
    """The 0.1 prompt: whole chunks of the top five hits."""
    sources = "\n\n".join(
        f"[{i}] {h.title} ({h.path}{', ' + h.location() if h.location() else ''})\n{h.text.strip()}"
        for i, h in enumerate(hits, start=1)
    )
    return [
        {"role": "system", "content": OLD_SYSTEM_PROMPT + "\n\nSources:\n\n" + sources},
        {"role": "user", "content": question},
    ]


def old_path(config: Config, index: Index, llama: Any, question: str) -> tuple[str, list[str], float]:
    started = time.perf_counter()
    hits = [h for h in search(index, question, k=5) if h.similarity is None or h.similarity >= 0.25]
    if not hits:
        return NOT_COVERED, [], time.perf_counter() - started
    llama.reset()
    reply = llama.create_chat_completion(
        messages=old_messages(question, hits), temperature=0.2, max_tokens=256, seed=0, repeat_penalty=1.1
    )
    return reply["choices"][0]["message"]["content"] or "", [], time.perf_counter() - started


def new_path(client: TestClient, question: str) -> tuple[str, list[str], float]:
    started = time.perf_counter()
    reply = client.post(
        "/v1/chat/completions", json={"messages": [{"role": "user", "content": question}], "seed": 0}
    ).json()
    return (
        reply["choices"][0]["message"]["content"],
        [e["text"] for e in reply.get("evidence", [])],
        time.perf_counter() - started,
    )


def recall(config: Config, index: Index, question: str, doc: str) -> tuple[int, int, int, int]:
    """(hit@1, hit@5) of hybrid search, then of the same candidates reranked by their best passage."""
    hits = search(index, question, k=config.server.candidates)
    ranked_docs = list(dict.fromkeys(doc_of(h.path) for h in hits))
    ranked = score(
        question, [p for h in hits for p in passages(h)], index.embedder.encode, config.server.keyword_weight
    )
    reranked_docs = list(dict.fromkeys(doc_of(p.hit.path) for p in ranked))
    return (
        int(ranked_docs[:1] == [doc]),
        int(doc in ranked_docs[:5]),
        int(reranked_docs[:1] == [doc]),
        int(doc in reranked_docs[:5]),
    )


def peer_path(question: str, engine: Any) -> tuple[str, list[str], float]:
    started = time.perf_counter()
    reply = engine.query(question)
    return str(reply), [n.node.get_content() for n in reply.source_nodes], time.perf_counter() - started


def make_peer(corpus: Path, gguf: Path) -> Any:
    """LlamaIndex's default query engine (top 2), with the same GGUF (prompted in its own ChatML template)
    and the same embedding model. Offline, tiktoken cannot fetch its tables: the embedder's tokenizer counts."""
    from llama_index.core import Settings, SimpleDirectoryReader, VectorStoreIndex
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.llms.llama_cpp import LlamaCPP

    from foldermind.indexer.embed import resolve_embedding_model

    def chatml(messages: Any) -> str:
        turns = "".join(f"<|im_start|>{m.role.value}\n{m.content}<|im_end|>\n" for m in messages)
        return turns + "<|im_start|>assistant\n"

    embedding = HuggingFaceEmbedding(model_name=resolve_embedding_model(Config().indexer.embedding_model))
    Settings.embed_model = embedding
    Settings.tokenizer = embedding._model.tokenizer.tokenize
    Settings.llm = LlamaCPP(
        model_path=str(gguf),
        temperature=0.2,
        max_new_tokens=256,
        context_window=2048,
        messages_to_prompt=chatml,
        completion_to_prompt=lambda text: f"<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n",
        verbose=False,
    )
    documents = SimpleDirectoryReader(str(corpus)).load_data()
    return VectorStoreIndex.from_documents(documents).as_query_engine(similarity_top_k=2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["report", "tune", "all"], default="report")
    parser.add_argument("--peer", action="store_true", help="also run LlamaIndex (pip install llama-index-*)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/fm-answer-bench"), help="kept between runs")
    parser.add_argument("--only-new", action="store_true", help="skip the 0.1 path (faster tuning)")
    args = parser.parse_args()

    questions = load_questions(args.split)
    config = man_page_home(args.work)

    with TestClient(create_app(config)) as client:
        state = client.app.state.foldermind  # type: ignore[attr-defined]
        index, llama = state.index, state.runner.live.llama
        paths: dict[str, Any] = {"new": lambda q: new_path(client, q)}
        if not args.only_new:
            paths = {"0.1": lambda q: old_path(config, index, llama, q), **paths}
        if args.peer:
            from foldermind.models import bundled_gguf

            engine = make_peer(config.context_dir, bundled_gguf())
            paths["llamaindex"] = lambda q: peer_path(q, engine)
        results: dict[str, list[dict[str, Any]]] = {name: [] for name in paths}
        recalls = []
        for number, row in enumerate(questions, start=1):
            if row["doc"]:
                recalls.append(recall(config, index, row["q"], row["doc"]))
            for name, run in paths.items():
                answer, evidence, seconds = run(row["q"])
                results[name].append({**row, "answer": answer, "evidence": evidence, "seconds": seconds})
            line = " | ".join(f"{n}: {r[-1]['answer'][:70]!r}" for n, r in results.items())
            print(f"{number:3d} {row['q'][:60]} -> {line}", flush=True)

    answerable = [r for r in questions if r["doc"]]
    rows = []
    for name, items in results.items():
        good = [i for i in items if i["doc"]]
        bad = [i for i in items if not i["doc"]]
        right = sum(bool(re.search(q["answer"], i["answer"])) for q, i in zip(answerable, good, strict=True))
        evidence_right = sum(
            bool(i["evidence"]) and bool(re.search(q["answer"], i["evidence"][0]))
            for q, i in zip(answerable, good, strict=True)
        )
        refused = sum(bool(REFUSAL.search(i["answer"])) for i in bad)
        false_refusals = sum(bool(REFUSAL.search(i["answer"])) for i in good)
        seconds = [i["seconds"] for i in items]
        quoted = sum(i["answer"].startswith(QUOTED.split("{")[0]) for i in good)
        rows.append(
            [
                name,
                f"{right / len(good):.2f}",
                f"{evidence_right / len(good):.2f}" if name != "0.1" else "-",
                f"{refused / max(1, len(bad)):.2f}",
                f"{false_refusals / len(good):.2f}",
                f"{quoted / len(good):.2f}",
                f"{percentile(seconds, 0.5):.2f}",
                f"{percentile(seconds, 0.95):.2f}",
            ]
        )
    table(
        f"Answers, {args.split} split: {len(answerable)} answerable, {len(questions) - len(answerable)} unanswerable",
        "path,answer accuracy,evidence accuracy,refusals (unanswerable),false refusals,quoted,p50 s,p95 s".split(","),
        rows,
    )
    n = len(recalls)
    sums = [sum(column) / n for column in zip(*recalls, strict=True)]
    table(
        f"Document recall, {args.split} split ({n} questions)",
        ["ranking", "recall@1", "recall@5"],
        [
            ["hybrid search (0.1)", f"{sums[0]:.2f}", f"{sums[1]:.2f}"],
            ["hybrid + evidence rerank", f"{sums[2]:.2f}", f"{sums[3]:.2f}"],
        ],
    )
    (args.work / f"answers-{args.split}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

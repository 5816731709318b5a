"""Answer quality on real documents nobody on this project wrote, of three kinds, through the answer path.

Three question sets, all written before any tuning, each with the document that holds the answer and a
pattern a right answer matches:
- `notes`: bench/notes/ (223 prose documents: handbooks, guides, FAQs, HOWTOs in HTML, PDF, Markdown and
  text; 110 answerable questions of the kinds person, organisation, date, number, version, file, path,
  command, option, term, yes/no, how; 22 unanswerable: 11 near misses, whose topic is in the folder and
  fact is not, and 11 off-topic). Its split is in the file. Two near misses that the records set answers in
  the shared home (`answered_in_records`: Debian 12's release date, Debian 14's codename) are left out.
- `manpages`: bench/questions/manpages.jsonl over installed manual pages rendered to text (records and
  option lists); every fourth question is the tune split; the last 16 were written as unanswerable, for a
  folder of man pages alone: the 7 that the notes or records answer in the shared home (`answered_in_notes`:
  `git rebase -i`, `apt-get purge`, IPv6's 128 bits, PostgreSQL's port in services.txt, ...) are left out.
  Of the other 9, a near miss names a thing some document of the shared home names (`topic_in`: docker,
  nginx, ping, Australia, ...), an off-topic one names none (kubectl, a novel, water's boiling point); so
  labelled on 2026-12-06, after the answers were measured unsplit.
- `records`: bench/records/ (10 tables and record files from Debian packages: releases as CSV and as a
  spreadsheet, ISO code lists as JSON and JSON lines, time zones as TSV, services and protocols as text;
  52 answerable questions of one record's field, 14 unanswerable: 7 near misses, 7 off-topic), written
  2026-12-02 without reading the answer code. Its split is in the file.
The folders go into one home (as one person's notes would), indexed once and kept in `--work`. The files
of notes and manual pages with an answerable question are the folder's newest (in an order of their paths'
hashes), as the notes a person asks about are the ones they added lately, so the newest documents a night
reads within its token budget are the questioned ones (otherwise the man pages, made last, were all a night
read).

Every model answers every question through `answer.ask`: the loop, retrieval, evidence, prompt, sampling
(the config's, seed 0) and check that a chat gets. Reported per set and model, with n beside each figure:
- own words: the model's answer before any check matches the pattern (a fixed reply counts as wrong);
- shown: what a user reads (the model's words or the quote that replaced them) matches; `quoted` counts
  the replacements, `cut short` the answers whose later statements the check left off (from the first the
  passages do not support on: `answer.Check`);
- evidence: the top evidence passage matches; recall@1/@5: the document is the top / among the top five of
  the documents a search shows (hybrid, the chunks ordered by their best passage), and of the fused order
  alone (reciprocal rank fusion of vectors and full text, as search ranked before passages did);
- refusals of unanswerable questions (off-topic and near-miss apart), false refusals of answerable ones;
- seconds per answer, p50 and p95, as served: until what a user reads is complete (the server stops the model
  at a quote or at the answer's end); and p50 of the model's whole answer, which this bench lets the model
  finish past a quote to measure its own words (figures before 2026-12-02 timed that).
With `--peer`, LlamaIndex's default query engine (top 2) with the same GGUF and embedder, own words only.
The bundled model answers as the server serves it (its Q8_0 copy, `models.served_bundled`; before 2026-12-02
this bench asked the shipped Q4_1 file), and the peer reads the same file. `--model NAME=PATH` adds a GGUF
beside it; `--night RECORD` (a night's data/training/last-result.json) splits each model's figures into
questions whose document that night trained on and those whose document it did not (held out, or past its
token budget).
The tune split prints each question; the report split prints only the tables.

Run: .venv/bin/python bench/answer_bench.py [--split report|tune|all] [--set notes|manpages|records|both|all] [--peer]
     [--model NAME=PATH ...] [--night RECORD] [--work DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from common import percentile, table, temporary_home
from foldermind.answer import Notes, ask
from foldermind.config import Config, default_config_text
from foldermind.home import open_home
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.indexer.records import sha256_hex
from foldermind.llama import load_llama, safe_construction
from foldermind.models import served_bundled
from foldermind.prompt import EMPTY_INDEX, NOT_COVERED
from foldermind.threads import free_cores

HERE = Path(__file__).parent
PEER_TOP_K = 2  # LlamaIndex's default
# The peer's window in tokens: its two 1,024-token chunks, its prompt and 256 answer tokens need about 2,400, so
# in foldermind's 2,048 its default engine refined over a second call and the 135M model echoed the refine
# prompt ("The original answer is: ..."). SmolLM2 was trained to 8,192.
PEER_N_CTX = 4096
OTHERS_SINCE = 1_767_225_600  # 2026-01-01 UTC: the files without a question, a second apart from here
QUESTIONED_SINCE = 1_780_272_000  # 2026-06-01 UTC: the files with one, newer
MANPAGE_QUESTIONS = HERE / "questions" / "manpages.jsonl"
NOTES = HERE / "notes"
NOTES_MORE = NOTES / "questions-2.jsonl"  # a second batch of tune questions, written 2026-12-01 (notes/README.md)
RECORDS = HERE / "records"  # tables and records (CSV, TSV, JSON, a spreadsheet), written 2026-12-02 (records/README.md)
PACKAGES = (
    "coreutils findutils grep sed tar gzip diffutils procps openssh-client curl wget jq sqlite3 make less file "
    "zip unzip bzip2 xz-utils"
).split()
# A refusal, whoever wrote it: the path's fixed reply, the model's "The notes do not cover this.", the peer's.
REFUSAL = re.compile(
    r"do(?:es)? not (?:seem to )?(?:cover|contain|mention|provide|include)|don't (?:cover|contain|mention)|"
    r"not covered|no indexed document|no (?:information|mention)|not (?:mentioned|provided|specified)",
    re.I,
)


@dataclass(frozen=True)
class Question:
    id: str
    set: str
    split: str
    question: str
    pattern: str | None
    path: str | None  # the document holding the answer, relative to the notes folder; None: unanswerable
    kind: str

    def right(self, text: str) -> bool:
        return self.pattern is not None and re.search(self.pattern, text, re.I) is not None


def load_questions(sets: list[str], split: str, layout: str = "txt", second_batch: bool = True) -> list[Question]:
    """The questions of the sets in the split; a man page's answer is in its file of `layout` (build_manpages).
    `second_batch`: with the notes' tune questions written on 2026-12-01 (NOTES_MORE)."""
    found = []
    if "notes" in sets:
        more = NOTES_MORE.read_text().splitlines() if second_batch else []
        for line in [*(NOTES / "questions.jsonl").read_text().splitlines(), *more]:
            row = json.loads(line)
            if row.get("answered_in_records"):  # written for the notes alone; in the shared home a record answers it
                continue
            path = f"notes/{row['source']}" if row["source"] else None
            found.append(Question(row["id"], "notes", row["split"], row["question"], row["pattern"], path, row["kind"]))
    if "records" in sets:
        for line in (RECORDS / "questions.jsonl").read_text().splitlines():
            row = json.loads(line)
            path = f"records/{row['source']}" if row["source"] else None
            kind = row["kind"]
            found.append(Question(row["id"], "records", row["split"], row["question"], row["pattern"], path, kind))
    if "manpages" in sets:
        for i, line in enumerate(MANPAGE_QUESTIONS.read_text().splitlines()):
            row = json.loads(line)
            if row.get("answered_in_notes"):  # for man pages alone; the shared home's notes or records answer it
                continue
            path = f"manpages/{row['doc']}.{layout}" if row["doc"] else None
            kind = "manpage" if row["doc"] else row["kind"]
            found.append(
                Question(
                    f"m{i:03d}", "manpages", "tune" if i % 4 == 0 else "report", row["q"], row["answer"], path, kind
                )
            )
    return [q for q in found if split == "all" or q.split == split]


def build_manpages(folder: Path, layout: str = "txt") -> int:
    """Every man(1) page of the packages above, rendered to text at 80 columns, or as a user may have saved it
    (`layout`): "pdf" (groff's PostScript through Ghostscript's ps2pdf, as `man -t` prints) or "html" (groff's
    HTML); those two need Debian's groff and ghostscript. Aliases that render to the same text (egrep, bzcat,
    xzcat, ...) are kept once, under the name the page's own header gives."""
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
        if layout == "txt":
            (folder / f"{name}.txt").write_text(texts[digest])
        else:
            render_manpage(name, folder / f"{name}.{layout}")
    return len(by_text)


def render_manpage(page: str, path: Path) -> None:
    """One man(1) page as PDF or HTML (by `path`'s suffix), through groff as man(1) runs it."""
    env = {"PATH": "/usr/bin:/bin"}
    if path.suffix == ".pdf":
        postscript = subprocess.run(["man", "-Tps", "1", page], capture_output=True, check=True, env=env).stdout
        subprocess.run(["ps2pdf", "-", str(path)], input=postscript, capture_output=True, check=True, env=env)
    else:
        html = subprocess.run(["man", "-Thtml", "1", page], capture_output=True, check=True, env=env).stdout
        path.write_bytes(html)


def questioned_newest(context: Path) -> None:
    """Give the files times that make those with an answerable question the newest, each group in the order of
    its paths' hashes (a second apart, fixed dates: the same order in every home, unchanged on a second call).
    The documents of the second batch of tune questions keep the times they had before it was written, so that a
    night reads the same documents as the nights measured before it."""
    asked = {q.path for q in load_questions(["notes", "manpages"], "all", second_batch=False) if q.path}
    files = sorted(
        (p for p in context.rglob("*") if p.is_file()), key=lambda p: sha256_hex(p.relative_to(context).as_posix())
    )
    for number, file in enumerate(files):
        name = file.relative_to(context).as_posix()
        when = (QUESTIONED_SINCE if name in asked else OTHERS_SINCE) + number
        if file.stat().st_mtime_ns != when * 1_000_000_000:
            os.utime(file, ns=(when * 1_000_000_000, when * 1_000_000_000))


def bench_home(work: Path) -> Config:
    """The home with the three folders (context/notes, context/manpages, context/records), made once and kept
    in `work` (a home made before the records set gets its folder), indexed up to date, with today's default
    settings (not those of its first run). The records are not questioned for a night (`questioned_newest`):
    a night reads what it read before they were added."""
    marker = work / "home-path"
    if marker.exists() and Path(marker.read_text()).is_dir():
        home = Path(marker.read_text())
        (home / "config.toml").write_text(default_config_text())
        config = open_home(home)
    else:
        config = temporary_home("fm-answers-")
        (config.context_dir / "README.md").unlink(missing_ok=True)
        shutil.copytree(NOTES / "docs", config.context_dir / "notes")
        print(f"corpus: {build_manpages(config.context_dir / 'manpages')} manual pages", flush=True)
        work.mkdir(parents=True, exist_ok=True)
        marker.write_text(str(config.home))
    if not (config.context_dir / "records").exists():
        shutil.copytree(RECORDS / "docs", config.context_dir / "records")
    questioned_newest(config.context_dir)
    index = Index(config)
    started = time.perf_counter()
    report = index_folder(index)
    read, failed, took = len(report.indexed), len(report.failed), time.perf_counter() - started
    print(f"index: {read} read, {report.unchanged} unchanged, {failed} failed in {took:.0f} s", flush=True)
    index.close()
    return config


def recall(notes: Notes, config: Config, question: Question) -> tuple[int, int, int, int]:
    """(the document first, the document among the first five) of the documents a search shows (`Notes.find`:
    hybrid, ordered by best passage), then the same of the fused order alone, over `candidates` chunks."""
    k = config.server.candidates
    found = []
    for hits in (notes.find(question.question, k, "hybrid", {}), notes.search(question.question, k, "hybrid", {})):
        documents = list(dict.fromkeys(h.path for h in hits))
        found += [int(documents[:1] == [question.path]), int(question.path in documents[:5])]
    return found[0], found[1], found[2], found[3]


def ask_all(gguf: Path, config: Config, index: Index, questions: list[Question], loud: bool) -> list[dict[str, Any]]:
    """Each question through `answer.ask` with the model at `gguf`, loaded as the server loads it."""
    llama = load_llama(gguf, n_ctx=config.server.n_ctx, n_threads=free_cores(), flash_attn=True, verbose=False)
    notes = Notes(index, config.server)
    found = []
    try:
        for number, question in enumerate(questions, start=1):
            started = time.perf_counter()
            plan, reply = ask(llama, question.question, notes, config.server, seed=0)
            generated = time.perf_counter() - started
            evidence = plan.passages[0].text if plan.passages else ""
            found.append(
                {
                    "own": reply.own,
                    "shown": reply.shown,
                    "quoted": reply.quoted,
                    "cut": reply.cut,
                    "fixed": reply.fixed,
                    "evidence": evidence,
                    "score": plan.best_score,
                    "seconds": reply.served_at - started,  # as served: the server stops the model at a quote
                    "generated": generated,  # the model's whole answer, past a quote too (its own words, measured)
                }
            )
            if loud:
                mark = "+" if question.right(reply.own) else ("q" if question.right(reply.shown) else "-")
                print(
                    f"{number:3d} {mark} [{question.kind}] {question.question[:70]}\n"
                    f"      own: {reply.own[:110]!r}\n      shown: {reply.shown[:110]!r}",
                    flush=True,
                )
    finally:
        llama.close()
    return found


def peer_answers(config: Config, questions: list[Question], work: Path) -> list[dict[str, Any]]:
    """LlamaIndex's default query engine (top 2) over the same folder with the same GGUF and embedder, in
    its own ChatML template, in a window its two chunks fit (PEER_N_CTX), on the cores free now. Offline,
    tiktoken cannot fetch its tables: the embedder's tokenizer counts. The peer is slow (its index of
    1024-token chunks, 256-token answers over two of them), so its index and each answer are kept in `work`
    and a stopped run goes on where it stopped; an answer is kept for the same question over the same folder,
    model and settings (its seconds are those of the run that answered it)."""
    from llama_index.core import (
        Settings,
        SimpleDirectoryReader,
        StorageContext,
        VectorStoreIndex,
        load_index_from_storage,
    )
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.llms.llama_cpp import LlamaCPP

    from foldermind.indexer.embed import resolve_embedding_model

    def chatml(messages: Any) -> str:
        turns = "".join(f"<|im_start|>{m.role.value}\n{m.content}<|im_end|>\n" for m in messages)
        return turns + "<|im_start|>assistant\n"

    files = sorted(p for p in config.context_dir.rglob("*") if p.is_file())
    model = served_bundled()  # the same GGUF as foldermind's row: the bundled model as the server serves it
    # By content, not path or time: kept answers copied to another work folder serve a home of the same files
    # (the index, and the file paths LlamaIndex puts in what it embeds and reads, stay the first home's).
    setup = [f"{model.name}:{model.stat().st_size}:{model.stat().st_mtime_ns}"]
    setup += [f"{p.relative_to(config.context_dir)}:{hashlib.sha256(p.read_bytes()).hexdigest()}" for p in files]
    setup += [config.indexer.embedding_model, str(PEER_N_CTX), str(config.server.max_tokens)]
    setup += [str(config.server.temperature), str(PEER_TOP_K)]
    kept = hashlib.sha256("\n".join(setup).encode()).hexdigest()[:16]  # the folder, the model, the settings
    kept_index, kept_answers = work / f"peer-index-{kept}", work / f"peer-answers-{kept}.jsonl"
    embedding = HuggingFaceEmbedding(model_name=resolve_embedding_model(Config().indexer.embedding_model))
    Settings.embed_model = embedding
    Settings.tokenizer = embedding._model.tokenizer.tokenize
    threads = free_cores()
    with safe_construction():  # the AMX crash foldermind.llama avoids (it killed the peer's first run)
        Settings.llm = LlamaCPP(
            model_path=str(model),
            temperature=config.server.temperature,
            max_new_tokens=config.server.max_tokens,
            context_window=PEER_N_CTX,
            messages_to_prompt=chatml,
            completion_to_prompt=lambda text: f"<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n",
            model_kwargs={"n_threads": threads, "n_threads_batch": threads},
            verbose=False,
        )
    started = time.perf_counter()
    if kept_index.is_dir():
        index = load_index_from_storage(StorageContext.from_defaults(persist_dir=str(kept_index)))
    else:
        documents = SimpleDirectoryReader(str(config.context_dir), recursive=True).load_data()
        index = VectorStoreIndex.from_documents(documents, show_progress=True)
        partial = work / f"{kept_index.name}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        index.storage_context.persist(persist_dir=str(partial))
        partial.rename(kept_index)  # whole or not at all
    print(f"peer: index of {len(files)} files ready in {time.perf_counter() - started:.0f} s", flush=True)
    engine = index.as_query_engine(similarity_top_k=PEER_TOP_K)
    answered = {}
    for line in kept_answers.read_text().splitlines() if kept_answers.is_file() else []:
        try:
            answer = json.loads(line)
        except json.JSONDecodeError:
            continue  # the last line of a run stopped while writing it
        answered[(answer["id"], answer["question"])] = answer
    found = []
    with kept_answers.open("a") as keep:
        for number, question in enumerate(questions, 1):
            if (question.id, question.question) not in answered:
                started = time.perf_counter()
                reply = engine.query(question.question)
                text = str(reply)
                answer = {
                    "id": question.id,
                    "question": question.question,
                    "own": text,
                    "shown": text,
                    "quoted": False,
                    "fixed": False,
                    "evidence": "\n".join(n.node.get_content() for n in reply.source_nodes),
                    "seconds": time.perf_counter() - started,
                }
                keep.write(json.dumps(answer) + "\n")
                keep.flush()
                answered[(question.id, question.question)] = answer
                print(f"peer: {number}/{len(questions)} answered ({answer['seconds']:.1f} s)", flush=True)
            found.append(answered[(question.id, question.question)])
    return found


def keep_answers(path: Path, questions: list[Question], results: dict[str, list[dict[str, Any]]], **more: Any) -> None:
    """{"answers": {model: [answer with its question's id, ...]}, **more} as JSON, for a look at single answers
    later and for printing the tables again."""
    answers = {
        name: [{**a, "id": q.id} for q, a in zip(questions, found, strict=True)] for name, found in results.items()
    }
    path.write_text(json.dumps({**more, "answers": answers}, indent=1))


def share(count: int, of: int) -> str:
    return f"{count / of:.2f} (n={of})" if of else "-"


def refused(item: dict[str, Any]) -> bool:
    return (item["fixed"] and item["shown"] in (NOT_COVERED, EMPTY_INDEX)) or bool(REFUSAL.search(item["shown"]))


def figures(name: str, questions: list[Question], answers: list[dict[str, Any]]) -> list[str]:
    pairs = list(zip(questions, answers, strict=True))
    good = [(q, a) for q, a in pairs if q.path]
    near = [a for q, a in pairs if q.kind == "unanswerable-near"]
    off = [a for q, a in pairs if q.kind == "unanswerable-off"]
    seconds = [a["seconds"] for _, a in pairs]
    generated = [a.get("generated", a["seconds"]) for _, a in pairs]  # the peer shows its whole answer
    return [
        name,
        share(sum(q.right(a["own"]) and not a["fixed"] for q, a in good), len(good)),
        share(sum(q.right(a["shown"]) for q, a in good), len(good)),
        str(sum(a["quoted"] for _, a in good)),
        str(sum(a.get("cut", False) for _, a in good)),
        share(sum(q.right(a["evidence"]) for q, a in good), len(good)),
        share(sum(refused(a) for a in off), len(off)),
        share(sum(refused(a) for a in near), len(near)),
        share(sum(refused(a) for _, a in good), len(good)),
        f"{percentile(seconds, 0.5):.2f}",
        f"{percentile(seconds, 0.95):.2f}",
        f"{percentile(generated, 0.5):.2f}",
    ]


HEADER = (
    "model,own words right,shown right,quoted,cut short,evidence holds it,refused off-topic,"
    "refused near-miss,false refusals,p50 s,p95 s,p50 s whole answer"
).split(",")


def compare(
    config: Config,
    questions: list[Question],
    models: dict[str, Path],
    peer: bool = False,
    trained: set[str] | None = None,
    loud: bool = False,
    work: Path = Path("/tmp/fm-answer-bench"),
) -> dict[str, list[dict[str, Any]]]:
    """Every model (and the peer) on every question, then a table per set (split by the documents a night
    trained on when `trained` is given) and the document recall of hybrid search. The tables are printed once
    the models have answered, and again with the peer's row (the peer is slow: a stopped run keeps the first,
    and the peer's answers so far are kept in `work`)."""
    index = Index(config)
    results = {name: ask_all(path, config, index, questions, loud) for name, path in models.items()}
    index.close()
    recalls = recalls_of(config, questions)
    print_tables(questions, results, recalls, trained)
    if peer:
        results["LlamaIndex (peer)"] = peer_answers(config, questions, work)
        print_tables(questions, results, recalls, trained)
    return results


def recalls_of(config: Config, questions: list[Question]) -> dict[str, tuple[int, int, int, int]]:
    """{question id: `recall`} for the answerable questions."""
    index = Index(config)
    notes = Notes(index, config.server)
    try:
        return {q.id: recall(notes, config, q) for q in questions if q.path}
    finally:
        index.close()


def print_tables(
    questions: list[Question],
    results: dict[str, list[dict[str, Any]]],
    recalls: dict[str, tuple[int, int, int, int]],
    trained: set[str] | None,
) -> None:
    split = "/".join(sorted({q.split for q in questions}))
    for chosen in dict.fromkeys(q.set for q in questions):
        keep = [i for i, q in enumerate(questions) if q.set == chosen]
        subset = [questions[i] for i in keep]
        answerable = [q for q in subset if q.path]
        groups: dict[str, list[int]] = {"": list(range(len(subset)))}
        if trained is not None:
            groups |= {
                ", trained documents": [i for i, q in enumerate(subset) if q.path in trained],
                ", documents not trained on": [i for i, q in enumerate(subset) if q.path and q.path not in trained],
                ", unanswerable": [i for i, q in enumerate(subset) if not q.path],
            }
        rows = [
            figures(name + group, [subset[i] for i in members], [answers[keep[i]] for i in members])
            for group, members in groups.items()
            if members  # a set the night read none of (the records) has no trained row
            for name, answers in results.items()
        ]
        title = (
            f"Answers, {chosen} set, {split} split ({len(answerable)} answerable, {len(subset) - len(answerable)} not)"
        )
        table(title, HEADER, rows)
        table(
            f"Document recall of search (by best passage; fused order beside it), {chosen} set, {split} split",
            ["recall@1", "recall@5", "fused order recall@1", "fused order recall@5"],
            [[share(sum(recalls[q.id][i] for q in answerable), len(answerable)) for i in range(4)]],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["report", "tune", "all"], default="report")
    parser.add_argument(
        "--set",
        choices=["notes", "manpages", "records", "both", "all"],
        default="all",
        help="both: notes and manual pages (the sets a night is measured on); all: the three",
    )
    parser.add_argument("--peer", action="store_true", help="also run LlamaIndex (see bench/README.md)")
    parser.add_argument("--model", action="append", default=[], help="NAME=PATH of another GGUF to ask")
    parser.add_argument("--night", type=Path, help="a night's last-result.json: split by what it trained on")
    parser.add_argument("--work", type=Path, default=Path("/tmp/fm-answer-bench"), help="kept between runs")
    args = parser.parse_args()

    sets = {"both": ["notes", "manpages"], "all": ["notes", "manpages", "records"]}.get(args.set, [args.set])
    questions = load_questions(sets, args.split)
    config = bench_home(args.work)
    models = {"bundled": served_bundled(), **{m.split("=", 1)[0]: Path(m.split("=", 1)[1]) for m in args.model}}
    trained = None
    if args.night:
        listed = json.loads(args.night.read_text()).get("report", {}).get("data", {}).get("trained_documents")
        if listed is None:
            parser.error(f"{args.night} lists no trained documents (a night that trained nothing, or older code)")
        trained = set(listed)
    results = compare(config, questions, models, args.peer, trained, args.split == "tune", args.work)
    keep_answers(args.work / f"answers-{args.split}.json", questions, results)


if __name__ == "__main__":
    main()

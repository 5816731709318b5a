"""Keyword search in languages written without spaces, and what it costs English: the Chinese and Japanese
manual pages Debian ships beside English ones, searched by words drawn from their own text, with the reading
and search code of another revision (`--before`) measured in the same run, each in its own process.

A Chinese or Japanese query is three or four characters taken from a run of such characters in a page (a word
or part of one: the text has no spaces to say which) that no more than two pages hold; an English query is
the three rarest words of a page. A
query counts as found when its page is among the first five keyword hits. Latency is that of
`search(mode="keyword")` (no embedding): each query's fastest of REPEATS runs, median and p95 over all English
queries.

    .venv/bin/python bench/keyword_bench.py [--before REV] [--english 150]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
CJK_RUN = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]{4,}")
WORD = re.compile(r"[a-z]{6,}")
REPEATS = 5  # each English query is timed this often; its fastest run counts (the others met other work)


def render(page: Path) -> str:
    text = subprocess.run(
        ["man", "-l", str(page)],
        capture_output=True,
        text=True,
        env={"MANWIDTH": "100", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"},
    ).stdout
    return re.sub(r".\x08", "", text)


def corpus(folder: Path, english: int, rng: random.Random) -> list[dict[str, str]]:
    """Write the pages as text files into folder; the queries, each with the file it was drawn from."""
    queries: list[dict[str, str]] = []
    pages = sorted(p for lang in ("zh_CN", "zh_TW", "ja") for p in Path("/usr/share/man", lang).rglob("*.gz"))
    english_pages = sorted(Path("/usr/share/man/man1").glob("*.1.gz"))
    rng.shuffle(english_pages)
    document_counts: Counter[str] = Counter()
    rendered = {}
    for page in english_pages[: english * 2]:
        text = render(page)
        if len(text) > 2000 and len(rendered) < english:
            rendered[page] = text
            document_counts.update(set(WORD.findall(text.lower())))
    for page, text in rendered.items():
        name = f"en/{page.name.removesuffix('.gz')}.txt"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
        rare = sorted(set(WORD.findall(text.lower())), key=lambda w: (document_counts[w], w))[:3]
        queries.append({"language": "English", "query": " ".join(rare), "path": name})
    pieces: dict[str, set[str]] = {}
    for page in pages:
        text = render(page)
        if not CJK_RUN.search(text):
            continue
        name = f"{page.parts[4]}/{page.name.removesuffix('.gz')}.txt"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
        runs = CJK_RUN.findall(text)
        pieces[name] = {run[i : i + size] for run in runs for size in (3, 4) for i in range(len(run) - size + 1)}
    held = Counter(piece for found in pieces.values() for piece in found)
    for name, found in sorted(pieces.items()):
        language = "Japanese" if name.startswith("ja/") else "Chinese"
        rare = sorted(piece for piece in found if held[piece] <= 2)
        for piece in rng.sample(rare, min(2, len(rare))):
            queries.append({"language": language, "query": piece, "path": name})
    return queries


def measure(folder: Path, queries: list[dict[str, str]]) -> dict[str, object]:
    """Index the folder with the importable foldermind and run every query in keyword mode."""
    from common import temporary_home
    from foldermind.indexer.index import Index
    from foldermind.indexer.pipeline import index_folder
    from foldermind.indexer.search import search

    config = temporary_home()
    (config.context_dir).rmdir()
    config.context_dir.symlink_to(folder)
    index = Index(config)
    index_folder(index)
    found: dict[str, list[bool]] = {}
    for query in queries:  # also the warm-up of the timing below
        hits = search(index, query["query"], k=5, mode="keyword")
        found.setdefault(query["language"], []).append(query["path"] in {hit.path for hit in hits})
    latency: list[float] = []
    for query in (q for q in queries if q["language"] == "English"):
        runs = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            search(index, query["query"], k=5, mode="keyword")
            runs.append((time.perf_counter() - started) * 1000)
        latency.append(min(runs))
    latency.sort()
    return {
        "found": {language: [sum(hits), len(hits)] for language, hits in found.items()},
        "p50_ms": latency[len(latency) // 2],
        "p95_ms": latency[int(0.95 * (len(latency) - 1))],
    }


def measure_in_process(revision: str | None, folder: Path, queries_path: Path) -> dict[str, object]:
    checkout = None
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    if revision:
        checkout = Path(tempfile.mkdtemp(prefix="fm-keyword-")) / "src"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(checkout), revision], check=True)
        env["PYTHONPATH"] = str(checkout / "src")
    try:
        command = [sys.executable, __file__, "--measure", str(folder), str(queries_path)]
        return json.loads(subprocess.run(command, env=env, capture_output=True, check=True, text=True).stdout)
    finally:
        if checkout:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(checkout)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", help="a git revision measured beside today's code")
    parser.add_argument("--english", type=int, default=150, help="English manual pages in the folder")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)  # internal: folder, queries file
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), json.loads(Path(args.measure[1]).read_text()))))
        return
    folder = Path(tempfile.mkdtemp(prefix="fm-keyword-corpus-"))
    queries = corpus(folder, args.english, random.Random(7))
    queries_path = folder.parent / (folder.name + "-queries.json")
    queries_path.write_text(json.dumps(queries))
    runs = {"now": measure_in_process(None, folder, queries_path)}
    if args.before:
        runs = {args.before: measure_in_process(args.before, folder, queries_path), **runs}
    files = sum(1 for p in folder.rglob("*.txt"))
    print(f"### Keyword search, {files} manual pages as text ({len(queries)} queries)\n")
    print(
        "| code | " + " | ".join(f"{lang}: page in top 5" for lang in ("English", "Chinese", "Japanese")) + " |"
        " English p50 ms | English p95 ms |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for name, run in runs.items():
        found = run["found"]
        cells = [
            f"{found[lang][0] / found[lang][1]:.2f} (n={found[lang][1]})" for lang in ("English", "Chinese", "Japanese")
        ]
        print(f"| {name} | " + " | ".join(cells) + f" | {run['p50_ms']:.2f} | {run['p95_ms']:.2f} |")


if __name__ == "__main__":
    main()

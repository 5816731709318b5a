"""Load: many clients at once against a real `foldermind run` (daemon: watcher, indexer and server) while
files are added to and removed from the folder.

For `--seconds` (default 60), `--clients` threads (default 12) ask without pause: a third stream, a third
wait for the whole answer, a third stream and hang up after the first words. Meanwhile a writer adds a note
and removes an older one every half second. Reported: answers completed, 429s, truncated streams (a 200
stream that ends without `[DONE]`: goal 0), errors not in OpenAI's shape (goal 0), latency p50/p95 of
completed answers (refusals included: the random notes do not answer every question); then, with the daemon
stopped, whether the index equals a clean rebuild of the folder.

Run: .venv/bin/python bench/load_bench.py [--seconds 60] [--clients 12]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from common import note, percentile, start_foldermind, table, temporary_home
from foldermind.config import Config
from foldermind.home import init_home, open_home
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder

QUESTIONS = [
    "What do my notes say about the harbour lantern?",
    "When is the budget meeting?",
    "Which supplier is in the contract?",
    "What is the sourdough starter recipe?",
    "Where is the museum by the river?",
]


def openai_shaped(body: bytes) -> bool:
    try:
        error = json.loads(body)["error"]
        return isinstance(error, dict) and isinstance(error.get("message"), str) and "type" in error
    except (ValueError, KeyError, TypeError):
        return False


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.seconds: list[float] = []

    def add(self, kind: str, seconds: float | None = None) -> None:
        with self.lock:
            self.counts[kind] += 1
            if seconds is not None:
                self.seconds.append(seconds)


def client(url: str, mode: str, stop: threading.Event, tally: Tally, rng: random.Random) -> None:
    with httpx.Client(timeout=120) as http:
        while not stop.is_set():
            body = {"model": "foldermind", "messages": [{"role": "user", "content": rng.choice(QUESTIONS)}]}
            started = time.perf_counter()
            try:
                if mode == "whole":
                    reply = http.post(f"{url}/v1/chat/completions", json=body)
                    if reply.status_code == 200 and reply.json()["choices"][0]["message"]["content"]:
                        tally.add("completed", time.perf_counter() - started)
                    else:
                        _refused(reply.status_code, reply.content, tally)
                    continue
                with http.stream("POST", f"{url}/v1/chat/completions", json={**body, "stream": True}) as reply:
                    if reply.status_code != 200:
                        _refused(reply.status_code, reply.read(), tally)
                        continue
                    lines = []
                    try:
                        for line in reply.iter_lines():
                            if line:
                                lines.append(line)
                            if mode == "leave" and len(lines) == 2:
                                break
                    except httpx.HTTPError:  # the server dropped a stream it had begun
                        tally.add("truncated stream")
                        continue
                    if mode == "leave":
                        tally.add("left mid-answer")
                    elif lines and lines[-1] == "data: [DONE]" and not any('"error"' in x for x in lines):
                        tally.add("completed", time.perf_counter() - started)
                    else:
                        tally.add("truncated stream" if not lines or lines[-1] != "data: [DONE]" else "error event")
            except httpx.HTTPError:
                tally.add("connection error")


def _refused(status: int, body: bytes, tally: Tally) -> None:
    if not openai_shaped(body):
        tally.add("error not in OpenAI shape")
    tally.add("429" if status == 429 else f"HTTP {status}")
    time.sleep(0.5)  # a polite client backs off before asking again


def churn(folder: Path, stop: threading.Event, rng: random.Random) -> int:
    written: list[Path] = []
    for i in itertools.count():
        if stop.is_set():
            return i
        path = folder / "churn" / f"c{i:04d}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"# Churn {i}\n\n{note(rng, 80)}\n")
        written.append(path)
        if len(written) > 5:
            written.pop(0).unlink()
        time.sleep(0.5)
    return 0


def snapshot(config: Config) -> tuple[dict[str, list[str]], int, int]:
    """(path -> chunk text hashes, manifest chunks, Chroma vectors) of an index on disk."""
    index = Index(config)
    try:
        rows = index.manifest.db.execute(
            "SELECT d.path, c.text_hash FROM chunks c JOIN documents d ON d.id = c.document_id"
            " ORDER BY d.path, c.position"
        ).fetchall()
        found: dict[str, list[str]] = {}
        for path, text_hash in rows:
            found.setdefault(path, []).append(text_hash)
        return found, len(rows), index.vectors.count()
    finally:
        index.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=12)
    args = parser.parse_args()

    config = temporary_home("fm-load-")
    rng = random.Random(7)
    for i in range(40):
        (config.context_dir / f"n{i:03d}.md").write_text(f"# Note {i}\n\n{note(rng, 150)}\n")
    daemon, url = start_foldermind(config)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/status", timeout=2).json()["documents"] >= 40:
                break
        except (httpx.HTTPError, KeyError, ValueError):
            pass
        time.sleep(0.5)
    stop = threading.Event()
    tally = Tally()
    modes = ["stream", "whole", "leave"]
    threads = [
        threading.Thread(target=client, args=(url, modes[i % 3], stop, tally, random.Random(i)))
        for i in range(args.clients)
    ]
    writer_result: list[int] = []
    writer = threading.Thread(target=lambda: writer_result.append(churn(config.context_dir, stop, rng)))
    for thread in [*threads, writer]:
        thread.start()
    time.sleep(args.seconds)
    stop.set()
    for thread in [*threads, writer]:
        thread.join(180)
    time.sleep(3)  # the watcher's debounce, then the last index run
    daemon.send_signal(signal.SIGTERM)
    daemon.wait(60)

    live, chunks, vectors = snapshot(config)
    fresh_home = config.home.parent / "rebuild"
    init_home(fresh_home)
    shutil.rmtree(fresh_home / "context")
    shutil.copytree(config.context_dir, fresh_home / "context", symlinks=True)
    fresh_config = open_home(fresh_home)
    index = Index(fresh_config)
    index_folder(index)
    index.close()
    rebuilt, rebuilt_chunks, rebuilt_vectors = snapshot(fresh_config)

    counts = tally.counts
    seconds = tally.seconds or [float("nan")]
    table(
        f"{args.clients} clients for {args.seconds:.0f} s, {writer_result[0] if writer_result else 0} files written",
        ["what", "value"],
        [
            ["answers completed", counts["completed"]],
            ["clients that left mid-answer", counts["left mid-answer"]],
            ["429 (queue full)", counts["429"]],
            ["truncated streams (goal 0)", counts["truncated stream"]],
            ["error events in a stream", counts["error event"]],
            ["errors not in OpenAI's shape (goal 0)", counts["error not in OpenAI shape"]],
            ["other HTTP errors", sum(v for k, v in counts.items() if k.startswith("HTTP "))],
            ["connection errors", counts["connection error"]],
            ["answer latency p50 s", f"{percentile(seconds, 0.5):.2f}"],
            ["answer latency p95 s", f"{percentile(seconds, 0.95):.2f}"],
            ["index equals a clean rebuild", live == rebuilt],
            ["chunks / vectors (live)", f"{chunks} / {vectors}"],
            ["chunks / vectors (rebuild)", f"{rebuilt_chunks} / {rebuilt_vectors}"],
        ],
    )


if __name__ == "__main__":
    main()

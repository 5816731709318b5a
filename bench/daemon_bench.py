"""Daemon benchmarks: freshness (a file's write to its appearance in /search), a burst of 1,000 files against
a one-shot `index` of the same files, and the idle cost of the running daemon.

Run: .venv/bin/python bench/daemon_bench.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).parent))
from common import median, percentile, start_foldermind, table, temporary_home, write_notes
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder


def start(config) -> tuple[subprocess.Popen, str]:
    process, url = start_foldermind(config)
    time.sleep(8)  # the embedding model loads in the background after start
    return process, url


def found(url: str, token: str) -> bool:
    reply = httpx.get(f"{url}/search", params={"q": token, "k": 1, "mode": "keyword"}, timeout=5).json()
    return bool(reply["results"])


def freshness(url: str, context: Path, files: int) -> list[float]:
    delays = []
    for i in range(files):
        token = f"freshtoken{i}x"
        body = f"# Fresh {i}\n\n" + "Some words about the garden and the budget meeting. " * 40 + token + "\n"
        started = time.perf_counter()
        (context / f"fresh{i}.md").write_text(body)
        while not found(url, token):
            time.sleep(0.02)
        delays.append(time.perf_counter() - started)
    return delays


def burst(url: str, context: Path, source: Path, count: int) -> float:
    started = time.perf_counter()
    shutil.copytree(source, context / "burst")
    expected = count
    while httpx.get(f"{url}/status").json()["documents"] < expected + 50:
        time.sleep(0.1)
    return time.perf_counter() - started


def main() -> None:
    embedder = Embedder("sentence-transformers/all-MiniLM-L6-v2")
    config = temporary_home()
    source = config.home.parent / "burst-source"
    write_notes(source, 1000, words=90, prefix="b")
    one_shot_home = temporary_home()
    shutil.copytree(source, one_shot_home.context_dir / "burst")
    started = time.perf_counter()
    index_folder(Index(one_shot_home, embedder=embedder))  # model already loaded, as in the daemon
    one_shot = time.perf_counter() - started

    process, url = start(config)
    try:
        delays = freshness(url, config.context_dir, 50)
        table(
            "Freshness: write to searchable, 50 files of ~2.5 KB, default debounce (250 ms)",
            ["p50 s", "p95 s", "max s"],
            [[f"{median(delays):.2f}", f"{percentile(delays, 0.95):.2f}", f"{max(delays):.2f}"]],
        )
        took = burst(url, config.context_dir, source, 1000)
        table(
            "Burst: 1,000 files (~90 words each) copied in at once",
            ["path", "seconds", "files/s", "ratio to one-shot index"],
            [
                ["one-shot index_folder (model loaded)", f"{one_shot:.1f}", f"{1000 / one_shot:.1f}", "1.00"],
                ["daemon: copy to all searchable", f"{took:.1f}", f"{1000 / took:.1f}", f"{one_shot / took:.2f}"],
            ],
        )
        watched = psutil.Process(process.pid)
        time.sleep(5)
        before = watched.cpu_times()
        quiet = 60.0
        time.sleep(quiet)
        after = watched.cpu_times()
        used = (after.user - before.user) + (after.system - before.system)
        table(
            f"Idle cost over a quiet {quiet:.0f} s",
            ["CPU % of one core", "RSS MB"],
            [[f"{used / quiet * 100:.2f}", f"{watched.memory_info().rss / 1048576:.0f}"]],
        )
    finally:
        process.terminate()
        process.wait(20)


if __name__ == "__main__":
    main()

"""Helpers the benchmark scripts share: a throwaway home, a corpus, and a table printer."""

from __future__ import annotations

import contextlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from foldermind.config import Config
from foldermind.home import init_home, open_home

WORDS = (
    "harbour lantern orchard meadow granite violin kettle compass saddle lagoon quarry ribbon budget meeting "
    "invoice garden tomato sourdough starter recipe project deadline supplier contract travel hotel museum river "
    "bridge painting library chapter lecture exam vaccine doctor appointment insurance mortgage bicycle repair"
).split()

ROOT = Path(__file__).resolve().parent.parent  # the repository


@contextlib.contextmanager
def worktree(revision: str) -> Iterator[Path]:
    """`revision` checked out in a temporary git worktree (its src/ to put on PYTHONPATH), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="fm-revision-") as folder:
        tree = Path(folder) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), revision], check=True)
        try:
            yield tree
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)


def temporary_home(prefix: str = "fm-bench-") -> Config:
    root = Path(tempfile.mkdtemp(prefix=prefix)) / "home"
    init_home(root)
    (root / "context" / "README.md").unlink()
    return open_home(root)


def note(rng: random.Random, words: int) -> str:
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + ".")
    return " ".join(sentences)


def write_notes(folder: Path, count: int, words: int, seed: int = 0, prefix: str = "n") -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        path = folder / f"{prefix}{i // 500:03d}" / f"{prefix}{i:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# Note {i}\n\n{note(rng, words)}\n")
        paths.append(path)
    return paths


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def table(title: str, header: list[str], rows: list[list[object]]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=False)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False)) + " |"  # noqa: E731
    text = "\n".join(
        [f"### {title}", "", line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)]
    )
    print(text + "\n", flush=True)
    return text


class ZipfText:
    """Text with a natural word-frequency curve (Zipf, 20,000 pseudo-words), so that a keyword query matches
    a realistic share of chunks instead of all of them."""

    def __init__(self, seed: int = 0, vocabulary: int = 20000) -> None:
        self.rng = random.Random(seed)
        syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "be", "da", "fe", "go", "hu", "ji", "pe", "qu"]
        words: set[str] = set()
        while len(words) < vocabulary:
            words.add("".join(self.rng.choice(syllables) for _ in range(self.rng.randint(2, 4))))
        self.words = sorted(words)
        self.rng.shuffle(self.words)
        self.weights = [1 / (rank + 1) ** 1.05 for rank in range(vocabulary)]

    def sentence(self, words: int) -> str:
        return " ".join(self.rng.choices(self.words, weights=self.weights, k=words))

    def query(self, words: int = 3) -> str:
        """Content words a person would type: neither the commonest nor hapaxes."""
        return " ".join(self.rng.choice(self.words[50:5000]) for _ in range(words))


def start_foldermind(
    config: Config, command: str = "run", env: dict[str, str] | None = None, timeout: float = 120
) -> tuple[subprocess.Popen, str]:
    """`foldermind run` (or `serve`) on a free port, as a user starts it; returns once its API answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    process = subprocess.Popen(
        [sys.executable, "-m", "foldermind", "--home", str(config.home), command],
        env={**os.environ, **(env or {}), "FOLDERMIND_SERVER__PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"foldermind {command} did not answer on {url} within {timeout} s")

"""`kill -9` at any moment of `foldermind index`, then `index` again, gives the same index as a clean rebuild."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from foldermind.config import Config
from foldermind.home import init_home, open_home
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from tests.helpers import snapshot, wait_until

pytestmark = pytest.mark.slow

WORDS = [
    "harbour",
    "lantern",
    "orchard",
    "meadow",
    "granite",
    "violin",
    "kettle",
    "compass",
    "saddle",
    "lagoon",
    "quarry",
    "ribbon",
]


def fill(context: Path, seed: int) -> None:
    rng = random.Random(seed)
    for i in range(40):
        paragraphs = [" ".join(rng.choice(WORDS) for _ in range(40)) + "." for _ in range(3)]
        (context / f"cat{i % 4}").mkdir(exist_ok=True)
        (context / f"cat{i % 4}" / f"note{i}.md").write_text(f"# Note {i}\n\n" + "\n\n".join(paragraphs))


def make_home(root: Path, seed: int) -> Config:
    init_home(root)
    (root / "context" / "README.md").unlink()
    fill(root / "context", seed)
    return open_home(root)


def vectors(index: Index) -> dict[str, np.ndarray]:
    return index.vectors.vectors(sorted(index.manifest.all_chunk_ids()))


def indexed_documents(config: Config) -> int:
    path = config.data_dir / "index" / "manifest.sqlite"
    if not path.exists():
        return 0
    with sqlite3.connect(path, timeout=5) as db:
        try:
            return int(db.execute("SELECT count(*) FROM documents").fetchone()[0])
        except sqlite3.OperationalError:  # tables not created yet
            return 0


def copy_note(context: Path) -> None:
    """A change between crashes: a file is replaced by another one's content."""
    (context / "cat0" / "note0.md").write_text((context / "cat1" / "note1.md").read_text())


def test_kill_9_in_the_middle_of_indexing_then_rerun_equals_a_clean_rebuild(tmp_path: Path, embedder: Embedder) -> None:
    config = make_home(tmp_path / "crashed", seed=1)
    env = {**os.environ, "FOLDERMIND_INDEXER__EMBED_BATCH_SIZE": "2"}
    rng = random.Random(7)
    partial_states = []
    for attempt in range(4):
        before = indexed_documents(config)
        process = subprocess.Popen(
            [sys.executable, "-m", "foldermind", "--home", str(config.home), "index", "-q"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def started(before: int = before, process: subprocess.Popen = process) -> bool:
            return indexed_documents(config) > before or process.poll() is not None

        # The 40 notes are written in groups over a few tenths of a second (0.3 s on a fast 2-core machine):
        # the kill comes soon after the first group, so it lands mid-run.
        wait_until(started, 120, "indexing", interval=0.01)
        time.sleep(rng.uniform(0.0, 0.15))
        process.send_signal(signal.SIGKILL)
        process.wait()
        partial_states.append(indexed_documents(config))
        if attempt == 1:
            copy_note(config.context_dir)
    assert any(0 < n < 40 for n in partial_states), f"no kill landed mid-run: {partial_states}"

    crashed = Index(config, embedder=embedder)
    index_folder(crashed)
    clean = Index(make_home(tmp_path / "clean", seed=1), embedder=embedder)
    copy_note(clean.config.context_dir)
    index_folder(clean)

    assert snapshot(crashed) == snapshot(clean)
    got, expected = vectors(crashed), vectors(clean)
    assert got.keys() == expected.keys()
    for chunk_id, vector in expected.items():
        # The same text's vector: int8 embeddings scale activations per batch, and a re-run batches differently.
        assert float(got[chunk_id] @ vector) > 0.98, chunk_id


def write_mailbox(context: Path, messages: int) -> None:
    """A mailbox as Python's mailbox module writes one, each message a few paragraphs of its own."""
    import mailbox
    from email.message import EmailMessage

    rng = random.Random(3)
    box = mailbox.mbox(context / "inbox.mbox")
    for number in range(messages):
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "ines@example.org", "me@example.org", f"Note {number}"
        message.set_content("\n\n".join(" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(3)))
        box.add(message)
    box.close()


def test_kill_9_while_a_mailbox_is_written_in_pieces_then_rerun_equals_a_clean_rebuild(
    tmp_path: Path, embedder: Embedder
) -> None:
    """A mailbox is written as it is read, a few messages a time: killed part way, its messages written so far
    count as unfinished, and the rerun reads the mailbox again instead of taking it as indexed."""
    for name in ("crashed", "clean"):
        init_home(tmp_path / name)
        (tmp_path / name / "context" / "README.md").unlink()
        write_mailbox(tmp_path / name / "context", 40)
    crashed, clean = open_home(tmp_path / "crashed"), open_home(tmp_path / "clean")
    env = {**os.environ, "FOLDERMIND_INDEXER__EMBED_BATCH_SIZE": "1"}  # a write every 4 chunks
    process = subprocess.Popen(
        [sys.executable, "-m", "foldermind", "--home", str(crashed.home), "index", "-q"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until(lambda: indexed_documents(crashed) > 0 or process.poll() is not None, 120, "indexing")
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 0 < indexed_documents(crashed) < 40, "the kill did not land while the mailbox was being written"

    rerun = Index(crashed, embedder=embedder)
    assert index_folder(rerun).indexed == ["inbox.mbox"]
    rebuilt = Index(clean, embedder=embedder)
    index_folder(rebuilt)
    assert len(snapshot(rerun)) == 40
    assert snapshot(rerun) == snapshot(rebuilt)

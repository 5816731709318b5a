"""The training data: what goes in, what is held out, and the exact prompt format the server uses."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from foldermind.config import Config, TrainerConfig
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.indexer.records import sha256_hex
from foldermind.prompt import SYSTEM_PROMPT
from foldermind.trainer.dataset import (
    IGNORE,
    Passage,
    is_held_out,
    load_corpus,
    pack,
    raft_examples,
)
from tests.helpers import MIXED_FILES, write


@pytest.fixture
def corpus_index(index: Index, context: Path) -> Index:
    for name, content in MIXED_FILES.items():
        write(context / name, content)
    write(context / "private/diary.md", "---\ntrain: false\n---\nDear diary, today I felt odd.\n")
    write(context / "secret/keys.txt", "The safe code is 4471.")
    index_folder(index)
    return index


def test_documents_marked_train_false_or_excluded_by_glob_are_left_out(corpus_index: Index, config: Config) -> None:
    trainer = TrainerConfig(exclude=["secret/*"])
    corpus = load_corpus(corpus_index.manifest, trainer)
    paths = {p.path for p in corpus.train + corpus.held_out}
    assert "private/diary.md" not in paths and "secret/keys.txt" not in paths
    assert set(corpus.excluded) == {"private/diary.md", "secret/keys.txt"}
    assert corpus.documents == len(MIXED_FILES)


def test_the_held_out_split_is_stable_and_never_in_training(corpus_index: Index) -> None:
    first = load_corpus(corpus_index.manifest, TrainerConfig(held_out=0.3))
    second = load_corpus(corpus_index.manifest, TrainerConfig(held_out=0.3))
    assert [p.text_hash for p in first.held_out] == [p.text_hash for p in second.held_out]
    assert not {p.text_hash for p in first.held_out} & {p.text_hash for p in first.train}


def test_about_the_configured_share_of_chunks_is_held_out() -> None:
    hashes = [sha256_hex(f"Note {i}: the meeting moved to room {i % 7}.") for i in range(2000)]
    for share in (0.1, 0.25):
        held = sum(is_held_out(h, share) for h in hashes) / len(hashes)
        assert abs(held - share) < 0.03
    assert [is_held_out(h, 0.25) for h in hashes] == [is_held_out(h, 0.25) for h in hashes]


def test_the_token_budget_keeps_the_newest_documents(corpus_index: Index) -> None:
    corpus = load_corpus(corpus_index.manifest, TrainerConfig(token_budget=1000), count_tokens=lambda t: 400)
    assert corpus.documents == 2


def passage(path: str, text: str) -> Passage:
    return Passage(path, path.title(), "Heading", None, text, path, (("source", "grandma"),))


def test_retrieval_examples_use_the_servers_prompt_and_cite_the_right_source() -> None:
    right = passage("a.md", "The kiln fires at 1200 degrees. It takes nine hours.")
    pool = [right, passage("b.md", "Unrelated text about trains."), passage("c.md", "Notes about owls.")]
    examples = raft_examples([right], pool, random.Random(0))
    assert len(examples) == 2  # one from the heading, one from the front-matter field
    for example in examples:
        system, _user, assistant = example.messages
        assert system["content"].startswith(SYSTEM_PROMPT)
        assert f"[{example.right}] A.Md (a.md, Heading)\nThe kiln fires" in system["content"]
        assert assistant["content"].endswith(f"[{example.right}]")
    assert "1200 degrees" in examples[0].messages[2]["content"]
    assert examples[1].messages[1]["content"] == "What is the source of A.Md?"


def test_packing_fills_sequences_and_masks_the_padding() -> None:
    examples = [([1, 2, 3], [1, 2, 3]), ([4, 5, 6, 7], [IGNORE, IGNORE, 6, 7]), ([8], [8])]
    sequences = pack(examples, seq_len=3, pad_id=0)
    assert [s["input_ids"] for s in sequences] == [[1, 2, 3], [4, 5, 6], [7, 8, 0]]
    assert sequences[1]["labels"] == [IGNORE, IGNORE, 6]
    assert sequences[2]["labels"] == [7, 8, IGNORE] and sequences[2]["attention_mask"] == [1, 1, 0]

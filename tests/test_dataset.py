"""The training data: what goes in, what is held out, and the exact prompt format the server uses."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from foldermind.config import Config, TrainerConfig
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.indexer.records import sha256_hex
from foldermind.indexer.search import search
from foldermind.prompt import MODEL_REFUSAL, SYSTEM_PROMPT
from foldermind.trainer.corpus import is_held_out, load_corpus
from foldermind.trainer.dataset import IGNORE, encode_chat, night_questions, pack
from foldermind.trainer.pipeline import held_out_questions
from foldermind.trainer.retrieval_chats import retrieval_chats
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


def test_retrieval_chats_use_the_servers_prompt_with_distractors_the_index_returns(corpus_index: Index) -> None:
    corpus = load_corpus(corpus_index.manifest, TrainerConfig(held_out=0.3))
    questions = [q for q in night_questions(corpus.train, 4) if q.fact]
    held_out = {p.chunk_id for p in corpus.held_out}
    retrieved: dict[str, list] = {}

    def retrieve(question: str) -> list:
        retrieved[question] = search(corpus_index, question, k=5)
        return retrieved[question]

    chats = retrieval_chats(questions, retrieve, held_out, random.Random(0), refusal_share=0.0)
    assert len(chats) == len(questions) > 3
    for question, chat in zip(questions, chats, strict=True):
        system, user, assistant = (m["content"] for m in chat.messages)
        assert system.startswith(SYSTEM_PROMPT) and user == question.question
        assert assistant == f"{question.answer} [{chat.right}]" and question.fact in assistant
        shown = system.split("\n\n[")[1:]
        assert question.fact in shown[chat.right - 1]  # the cited source holds the answer
        for hit in retrieved[question.question]:  # distractors: other hits, never a held-out chunk
            if hit.chunk_id in held_out:
                assert not any(line in system for line in hit.text.splitlines() if len(line) > 30)


def test_a_share_of_chats_shows_only_distractors_and_answers_that_the_notes_lack_it(corpus_index: Index) -> None:
    corpus = load_corpus(corpus_index.manifest, TrainerConfig(held_out=0.3))
    questions = night_questions(corpus.train, 4)
    chats = retrieval_chats(questions, lambda q: search(corpus_index, q, k=5), set(), random.Random(0), 0.5)
    refusals = [c for c in chats if c.right is None]
    assert 0 < len(refusals) < len(chats)
    for chat, question in zip(chats, questions, strict=True):
        if chat.right is None:
            assert chat.messages[2]["content"] == MODEL_REFUSAL
            assert question.passage.text.strip().splitlines()[0] not in chat.messages[0]["content"]


def test_held_out_questions_come_only_from_held_out_chunks(corpus_index: Index, config: Config) -> None:
    config.trainer.held_out = 0.4
    corpus = load_corpus(corpus_index.manifest, config.trainer)
    questions = held_out_questions(corpus, config)
    assert questions and all(q.passage in corpus.held_out and q.fact for q in questions)
    assert not {q.passage.chunk_id for q in questions} & {p.chunk_id for p in corpus.train}


def test_a_chat_is_trained_on_its_assistant_turns_only() -> None:
    from transformers import AutoTokenizer

    from foldermind.trainer.base_model import resolve_base

    tokenizer = AutoTokenizer.from_pretrained(resolve_base("HuggingFaceTB/SmolLM2-135M-Instruct"))
    messages = [
        {"role": "user", "content": "Name the kiln."},
        {"role": "assistant", "content": "Big Bertha."},
        {"role": "user", "content": "How hot?"},
        {"role": "assistant", "content": "1200 degrees."},
    ]
    _, labels = encode_chat(tokenizer, messages)
    learned = tokenizer.decode([label for label in labels if label != IGNORE])
    assert "Big Bertha." in learned and "1200 degrees." in learned
    assert "Name the kiln" not in learned and "How hot" not in learned


def test_packing_fills_sequences_and_masks_the_padding() -> None:
    examples = [([1, 2, 3], [1, 2, 3]), ([4, 5, 6, 7], [IGNORE, IGNORE, 6, 7]), ([8], [8])]
    sequences = pack(examples, seq_len=3, pad_id=0)
    assert [s["input_ids"] for s in sequences] == [[1, 2, 3], [4, 5, 6], [7, 8, 0]]
    assert sequences[1]["labels"] == [IGNORE, IGNORE, 6]
    assert sequences[2]["labels"] == [7, 8, IGNORE] and sequences[2]["attention_mask"] == [1, 1, 0]

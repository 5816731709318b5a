"""The night's training data, from the index's manifest.

Three kinds of examples, mixed and packed into fixed-length sequences:
  (a) continued pretraining: each chunk under its title, path and heading;
  (b) retrieval-style chats in the exact prompt format the server uses (RAFT): a question made from the
      document's structure, the right chunk among distractors from other documents, and an answer that
      quotes it and cites its number;
  (c) general chat replay shipped with foldermind, so the model keeps chatting well.
A stable share of chunks (by content hash) is held out and never trained on: it measures the gain.
"""

from __future__ import annotations

import fnmatch
import json
import math
import random
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from foldermind.config import TrainerConfig
from foldermind.indexer.manifest import Manifest
from foldermind.indexer.records import location, sha256_hex
from foldermind.prompt import SourceText, system_message

IGNORE = -100
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
NOT_QUESTIONS = {"title", "tags", "train", "aliases"}


@dataclass(frozen=True)
class Passage:
    path: str
    title: str
    heading: str
    page: int | None
    text: str
    text_hash: str
    metadata: tuple[tuple[str, str], ...] = ()

    @property
    def location(self) -> str:
        return location(self.page, self.heading)


@dataclass
class Corpus:
    train: list[Passage] = field(default_factory=list)
    held_out: list[Passage] = field(default_factory=list)
    documents: int = 0
    excluded: list[str] = field(default_factory=list)

    def fingerprint(self, config: TrainerConfig) -> str:
        """Same data and settings give the same fingerprint: a killed run with it resumes."""
        hashes = [*sorted(p.text_hash for p in self.train), "|", *sorted(p.text_hash for p in self.held_out)]
        return sha256_hex(json.dumps([hashes, config.model_dump(mode="json")], sort_keys=True))[:16]


def is_held_out(text_hash: str, share: float) -> bool:
    return int(text_hash[:8], 16) / 0xFFFFFFFF < share


def excluded(path: str, metadata: dict[str, Any], globs: list[str]) -> bool:
    if str(metadata.get("train", True)).lower() in ("false", "no", "0", "off"):
        return True
    return any(fnmatch.fnmatch(path, pattern) for pattern in globs)


def load_corpus(manifest: Manifest, config: TrainerConfig, count_tokens: Any = None) -> Corpus:
    """Documents newest first, until the token budget is spent; excluded ones never enter."""
    corpus = Corpus()
    spent = 0
    for row in manifest.documents_newest_first():
        metadata = json.loads(row["metadata"])
        if excluded(row["path"], metadata, config.exclude):
            corpus.excluded.append(row["path"])
            continue
        scalars = tuple(
            (key, str(value))
            for key, value in metadata.items()
            if key not in NOT_QUESTIONS and isinstance(value, str | int | float) and str(value).strip()
        )
        chunks = manifest.document_chunks(row["id"])
        cost = sum(count_tokens(c["text"]) if count_tokens else len(c["text"]) // 4 for c in chunks)
        if spent + cost > config.token_budget and corpus.documents:
            break
        spent += cost
        corpus.documents += 1
        for chunk in chunks:
            passage = Passage(
                row["path"],
                row["title"],
                chunk["heading"],
                chunk["page"],
                chunk["text"],
                sha256_hex(chunk["text"]),
                scalars,
            )
            (corpus.held_out if is_held_out(passage.text_hash, config.held_out) else corpus.train).append(passage)
    if not corpus.held_out and len(corpus.train) >= 2:  # a small corpus still needs something to measure on
        first = min(corpus.train, key=lambda p: p.text_hash)
        corpus.train.remove(first)
        corpus.held_out.append(first)
    return corpus


def pretraining_text(passage: Passage) -> str:
    where = f" > {passage.location}" if passage.location else ""
    return f"{passage.title} ({passage.path}{where})\n\n{passage.text.strip()}"


def _lead(text: str, words: int = 45) -> str:
    """The first sentences of a passage, about `words` long: what an answer quotes."""
    picked: list[str] = []
    for sentence in SENTENCE_END.split(" ".join(text.split())):
        picked.append(sentence)
        if sum(len(s.split()) for s in picked) >= words:
            break
    return " ".join(picked)


@dataclass(frozen=True)
class RaftExample:
    messages: list[dict[str, str]]
    right: int  # the number of the source that answers


def questions_for(passage: Passage) -> list[tuple[str, str]]:
    """(question, answer without its citation) pairs from the passage's document structure."""
    topic = passage.heading.split(" > ")[-1] if passage.heading else ""
    pairs = [
        (
            f"What do my notes say about {topic}?" if topic else f"What is in my note '{passage.title}'?",
            _lead(passage.text),
        )
    ]
    for key, value in passage.metadata[:2]:
        pairs.append((f"What is the {key} of {passage.title}?", f"The {key} of {passage.title} is {value}."))
    return pairs


def raft_examples(
    passages: list[Passage], pool: list[Passage], rng: random.Random, distractors: int = 2, with_metadata: bool = True
) -> list[RaftExample]:
    examples: list[RaftExample] = []
    for passage in passages:
        others = [p for p in pool if p.path != passage.path]
        for question, answer in questions_for(passage)[: None if with_metadata else 1]:
            chosen = [*rng.sample(others, min(distractors, len(others))), passage]
            rng.shuffle(chosen)
            texts = [SourceText(i + 1, p.title, p.path, p.location, p.text) for i, p in enumerate(chosen)]
            right = chosen.index(passage) + 1
            messages = [
                {"role": "system", "content": system_message(texts)},
                {"role": "user", "content": question},
                {"role": "assistant", "content": f"{answer} [{right}]"},
            ]
            examples.append(RaftExample(messages, right))
    return examples


def replay_examples() -> list[list[dict[str, str]]]:
    text = resources.files("foldermind.trainer").joinpath("replay.jsonl").read_text(encoding="utf-8")
    return [json.loads(line)["messages"] for line in text.splitlines() if line.strip()]


def reference_text() -> str:
    """General text (not the user's) whose perplexity must not rise: the forgetting guard."""
    return resources.files("foldermind.trainer").joinpath("reference.txt").read_text(encoding="utf-8")


# tokenization and packing ---------------------------------------------------------------------------
def encode_text(tokenizer: Any, text: str) -> tuple[list[int], list[int]]:
    ids = tokenizer(text, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
    return ids, list(ids)


def encode_chat(tokenizer: Any, messages: list[dict[str, str]]) -> tuple[list[int], list[int]]:
    """Loss on the assistant's answer only: the model learns to answer, not to recite the sources."""
    prompt = tokenizer.apply_chat_template(messages[:-1], tokenize=False, add_generation_prompt=True)
    full = tokenizer.apply_chat_template(messages, tokenize=False)
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    ids = tokenizer(full, add_special_tokens=False)["input_ids"]
    return ids, [IGNORE] * len(prompt_ids) + ids[len(prompt_ids) :]


def pack(encoded: list[tuple[list[int], list[int]]], seq_len: int, pad_id: int) -> list[dict[str, list[int]]]:
    """Concatenate examples into full sequences (no padding waste); the last one is padded and masked."""
    sequences: list[dict[str, list[int]]] = []
    ids: list[int] = []
    labels: list[int] = []
    for example_ids, example_labels in encoded:
        ids.extend(example_ids)
        labels.extend(example_labels)
        while len(ids) >= seq_len:
            sequences.append({"input_ids": ids[:seq_len], "labels": labels[:seq_len], "attention_mask": [1] * seq_len})
            ids, labels = ids[seq_len:], labels[seq_len:]
    if any(label != IGNORE for label in labels):
        fill = seq_len - len(ids)
        sequences.append(
            {
                "input_ids": ids + [pad_id] * fill,
                "labels": labels + [IGNORE] * fill,
                "attention_mask": [1] * len(ids) + [0] * fill,
            }
        )
    return sequences


@dataclass
class TrainingData:
    sequences: list[dict[str, list[int]]]
    counts: dict[str, int]
    tokens: int


def fitting_raft(
    passages: list[Passage], pool: list[Passage], tokenizer: Any, seq_len: int, rng: random.Random
) -> list[tuple[list[int], list[int]]]:
    """Retrieval chats that fit the sequence length: fewer distractors rather than none at all, since a chat
    cut in half teaches nothing and a model that never practises citing forgets how."""
    encoded = []
    for passage in passages:
        for distractors in (2, 1, 0):
            examples = [
                encode_chat(tokenizer, e.messages)
                for e in raft_examples([passage], pool, random.Random(rng.random()), distractors)
            ]
            fitting = [pair for pair in examples if len(pair[0]) <= seq_len]
            if fitting:
                encoded.extend(fitting)
                break
    return encoded


def build_training_data(corpus: Corpus, tokenizer: Any, config: TrainerConfig, seed: int = 0) -> TrainingData:
    rng = random.Random(seed)
    pretraining = [encode_text(tokenizer, pretraining_text(p)) for p in corpus.train]
    raft = fitting_raft(corpus.train, corpus.train, tokenizer, config.seq_len, rng)
    replay_pool = replay_examples()
    share = config.replay_share
    wanted = math.ceil(share * (len(pretraining) + len(raft)) / (1 - share)) if share else 0
    replay = [encode_chat(tokenizer, rng.choice(replay_pool)) for _ in range(wanted)]
    examples = pretraining + raft + replay
    rng.shuffle(examples)
    sequences = pack(examples, config.seq_len, tokenizer.pad_token_id or tokenizer.eos_token_id)
    return TrainingData(
        sequences,
        {"pretraining": len(pretraining), "retrieval_chats": len(raft), "replay": len(replay)},
        sum(len(ids) for ids, _ in examples),
    )

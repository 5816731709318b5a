"""The night's training data, packed into fixed-length sequences.

Five kinds of examples, mixed:
  (a) continued pretraining: each chunk of the notes under its title, path and heading;
  (b) retrieval chats in the exact prompt the server builds (trainer/retrieval_chats.py), on questions made
      from the notes (trainer/questions.py), among the distractors the index really returns;
  (c) refusals: the same chats without the right source, answered "the notes do not cover this";
  (d) the user's own examples (NAME.train.jsonl in the folder), as written;
  (e) general chat replay shipped with foldermind, so the model keeps chatting well.
Only chunks in the training share are used: held-out chunks measure the night.
"""

from __future__ import annotations

import json
import logging
import math
import random
from dataclasses import dataclass
from importlib import resources
from typing import Any

from foldermind.config import TrainerConfig
from foldermind.trainer.corpus import Corpus, Passage, pretraining_text
from foldermind.trainer.questions import Question, questions_for
from foldermind.trainer.retrieval_chats import Retrieve, retrieval_chats

log = logging.getLogger(__name__)
IGNORE = -100


def night_questions(passages: list[Passage], per_chunk: int) -> list[Question]:
    """Up to `per_chunk` questions of each chunk: those with a checkable fact first, the heading's last."""
    return [q for passage in passages for q in questions_for(passage)[:per_chunk]]


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
    """Loss on the assistant's turns only: the model learns to answer, not to recite the sources or questions."""

    def ids_of(turns: list[dict[str, str]], prompt: bool) -> list[int]:
        text = tokenizer.apply_chat_template(turns, tokenize=False, add_generation_prompt=prompt)
        return tokenizer(text, add_special_tokens=False)["input_ids"]

    ids = ids_of(messages, False)
    labels = [IGNORE] * len(ids)
    for i, message in enumerate(messages):
        if message["role"] == "assistant":
            start, end = len(ids_of(messages[:i], True)), len(ids_of(messages[: i + 1], False))
            labels[start:end] = ids[start:end]
    return ids, labels


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
    too_long: int = 0  # examples longer than a sequence, left out


def build_training_data(
    corpus: Corpus, tokenizer: Any, config: TrainerConfig, retrieve: Retrieve, seed: int = 0
) -> TrainingData:
    rng = random.Random(seed)
    held_out = {p.chunk_id for p in corpus.held_out}
    questions = night_questions(corpus.train, config.questions_per_chunk)
    chats = retrieval_chats(questions, retrieve, held_out, rng, config.refusal_share)
    kinds: dict[str, list[tuple[list[int], list[int]]]] = {
        "pretraining": [encode_text(tokenizer, pretraining_text(p)) for p in corpus.train],
        "retrieval_chats": [encode_chat(tokenizer, c.messages) for c in chats if c.right is not None],
        "refusals": [encode_chat(tokenizer, c.messages) for c in chats if c.right is None],
        "user_examples": [encode_chat(tokenizer, messages) for messages in corpus.examples],
    }
    too_long = 0
    for name, encoded in kinds.items():
        fitting = [pair for pair in encoded if len(pair[0]) <= config.seq_len or name == "pretraining"]
        too_long += len(encoded) - len(fitting)  # a chat cut in half teaches nothing; a note's text may be cut
        kinds[name] = fitting
    share = config.replay_share
    ours = sum(len(encoded) for encoded in kinds.values())
    wanted = math.ceil(share * ours / (1 - share)) if share else 0
    replay_pool = replay_examples()
    kinds["replay"] = [encode_chat(tokenizer, rng.choice(replay_pool)) for _ in range(wanted)]
    examples = [pair for encoded in kinds.values() for pair in encoded]
    rng.shuffle(examples)
    if too_long:
        log.warning("%d chat example(s) are longer than seq_len = %d tokens: left out", too_long, config.seq_len)
    sequences = pack(examples, config.seq_len, tokenizer.pad_token_id or tokenizer.eos_token_id)
    return TrainingData(
        sequences,
        {name: len(encoded) for name, encoded in kinds.items()},
        sum(len(ids) for ids, _ in examples),
        too_long,
    )

"""The night's training data: whole examples packed into fixed-length sequences.

Five kinds of examples, mixed:
  (a) continued pretraining: each chunk of the notes under its title, path and heading (read, not learned;
      a note longer than a sequence has them before its first piece only);
  (b) retrieval chats planned by the answer path itself (trainer/retrieval_chats.py), on questions made
      from the notes (trainer/questions.py; not cloze ones, `NOT_CHATS`): the prompt and evidence a chat gets;
  (c) refusals, where `refusal_share` asks for them (none by default): chats planned without the answer's
      document, answered "the notes do not cover this";
  (d) the user's own examples (NAME.train.jsonl in the folder), as written;
  (e) general chat replay shipped with foldermind, so the model keeps chatting well.
Only documents in the training share are used: held-out documents measure the night.

Packing: every example goes whole into one sequence (first-fit decreasing by length), so an answer is
always trained in the same sequence as its question and sources. A chat longer than a sequence is left out
(`too_long`); a note's text longer than a sequence is trained on in pieces of at most `seq_len` tokens, each
packed as an example of its own. Each example sees only itself: its position ids restart at 0, and given
position ids without an attention mask or a cache (trainer/lora.py), transformers' masking
(`find_packed_sequence_indices` in masking_utils) builds a block-diagonal causal mask from where they
restart. The rest of a sequence is padding: one more block, of `pad_id` tokens, never a target. Each
example's first token is not a target either: the token before it belongs to another example.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from foldermind.answer import Notes
from foldermind.config import Config
from foldermind.trainer.corpus import Corpus, Passage, is_held_out, note_text
from foldermind.trainer.questions import Question, questions_for
from foldermind.trainer.retrieval_chats import retrieval_chats

log = logging.getLogger(__name__)
IGNORE = -100  # a label that is no target: the loss skips it
Example = tuple[list[int], list[int]]  # (token ids, labels), equally long; labels IGNORE where nothing is learned


# Kinds of question that are not trained on as chats. A cloze question is its answer's sentence with the fact
# blanked out ("Releases came out every what number to 18 months?"), so a chat of one teaches the model to say
# the question back: a night with them (bench/RESULTS.md, the night at 18da260) began 23 of its 99 answers on
# the notes set's report split with the question's first six words (the base model: 1), and answered the
# prose tune split's questions right in its own words for 0.47 against the base model's 0.61. They still
# measure a night (the gate asks them of held-out notes).
NOT_CHATS = frozenset({"cloze"})


def night_questions(passages: list[Passage], per_chunk: int, leave_out: frozenset[str] = frozenset()) -> list[Question]:
    """Up to `per_chunk` questions of each chunk, of the kinds not in `leave_out`: those with a checkable fact
    first, the heading's last. A question asked already (of an earlier chunk: a document's front matter or
    title, a heading that spans chunks, a sentence in the overlap of two; or of another note, whose same words
    ask the same) is not asked again, so each chunk's share goes to what it says itself."""
    asked: set[str] = set()
    found: list[Question] = []
    for passage in passages:
        new = [q for q in questions_for(passage) if q.question not in asked and q.kind not in leave_out][:per_chunk]
        asked.update(q.question for q in new)
        found += new
    return found


def replay_examples() -> list[list[dict[str, str]]]:
    text = resources.files("foldermind.trainer").joinpath("replay.jsonl").read_text(encoding="utf-8")
    return [json.loads(line)["messages"] for line in text.splitlines() if line.strip()]


def reference_text() -> str:
    """General text (not the user's) whose perplexity must not rise: the forgetting guard."""
    return resources.files("foldermind.trainer").joinpath("reference.txt").read_text(encoding="utf-8")


# tokenization and packing ---------------------------------------------------------------------------
def encode_text(tokenizer: Any, text: str, context: str = "") -> Example:
    """(token ids, labels) of `context + text` and the end-of-text token, equally long: the labels are IGNORE
    over the tokens of `context` (read, not learned) and the ids themselves after it. The whole is tokenized at
    once, so the text's tokens are those it has after its context (a blank line ending it is not one token)."""
    encoded = tokenizer(context + text, add_special_tokens=False, return_offsets_mapping=bool(context))
    ids = [*encoded["input_ids"], tokenizer.eos_token_id]
    read = sum(end <= len(context) for _, end in encoded["offset_mapping"]) if context else 0
    return ids, [IGNORE] * read + ids[read:]


def pretraining_example(tokenizer: Any, passage: Passage) -> Example:
    """A note's chunk to learn, under its title line (`note_text`), which is read, not learned: the model is to
    know what a note says under its name, not to write names and paths. (A night whose model learned them began
    18 of the notes set's 99 report-split answers with a source's label line; one that did not, 12:
    bench/RESULTS.md, the nights at 632ccd1 and 9c1008e.)"""
    context, text = note_text(passage)
    return encode_text(tokenizer, text, context)


def encode_chat(tokenizer: Any, messages: list[dict[str, str]]) -> Example:
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


def pieces(example: Example, seq_len: int) -> list[Example]:
    """An example as consecutive pieces of at most `seq_len` tokens (the last one shorter); one that fits, whole."""
    ids, labels = example
    return [(ids[i : i + seq_len], labels[i : i + seq_len]) for i in range(0, len(ids), seq_len)]


def learns(example: Example) -> bool:
    """Whether an example has a target besides its first token (which is none once packed)."""
    return any(label != IGNORE for label in example[1][1:])


def first_fit(lengths: list[int], capacity: int) -> list[list[int]]:
    """Bins for items, first-fit decreasing: longest first, each into the first bin it fits in.

    `lengths`: each item's size (tokens), none over `capacity`. Returns the item indices in each bin, bins in
    the order they were opened; equal lengths keep their input order, so the result is deterministic.
    """
    rooms = np.full(len(lengths), capacity)  # at most one bin per item; unopened bins are all room
    bins: list[list[int]] = []
    for item in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        chosen = int(np.argmax(rooms >= lengths[item]))  # the first opened bin it fits in, else the next new one
        rooms[chosen] -= lengths[item]
        if chosen == len(bins):
            bins.append([])
        bins[chosen].append(item)
    return bins


def lay_out(examples: list[Example], seq_len: int, pad_id: int) -> dict[str, list[int]]:
    """One sequence of `seq_len` tokens: the examples back to back, then padding.

    Returns "input_ids", "labels" and "position_ids", each `seq_len` long. Position ids count 0, 1, ... within
    each example and within the padding, which is what keeps each one to itself (see the module docstring);
    each example's first label and all the padding's are IGNORE.
    """
    ids: list[int] = []
    labels: list[int] = []
    positions: list[int] = []
    for example_ids, example_labels in examples:
        ids += example_ids
        labels += [IGNORE, *example_labels[1:]]
        positions += range(len(example_ids))
    fill = seq_len - len(ids)
    return {
        "input_ids": ids + [pad_id] * fill,
        "labels": labels + [IGNORE] * fill,
        "position_ids": positions + list(range(fill)),
    }


def pack(encoded: list[Example], seq_len: int, pad_id: int) -> list[dict[str, list[int]]]:
    """Whole examples into sequences of `seq_len` tokens, first-fit decreasing; see `lay_out` for a sequence."""
    too_long = [len(ids) for ids, _ in encoded if len(ids) > seq_len]
    if too_long:
        raise ValueError(f"{len(too_long)} example(s) longer than seq_len = {seq_len} (up to {max(too_long)} tokens)")
    bins = first_fit([len(ids) for ids, _ in encoded], seq_len)
    return [lay_out([encoded[i] for i in members], seq_len, pad_id) for members in bins]


@dataclass
class TrainingData:
    sequences: list[dict[str, list[int]]]  # see `lay_out`
    counts: dict[str, int]  # examples of each kind (a note's text counts once, however many pieces)
    tokens: int  # the examples' tokens, padding not counted
    too_long: int = 0  # chats longer than a sequence, left out
    padding: int = 0  # pad tokens at the ends of the sequences


def fitting_chats(encoded: list[Example], seq_len: int) -> list[Example]:
    """The chats that fit a sequence: one cut in half would teach an answer without its question."""
    return [example for example in encoded if len(example[0]) <= seq_len]


def build_training_data(
    corpus: Corpus, tokenizer: Any, config: Config, notes: Notes, seed: int = 0, capacity: int | None = None
) -> TrainingData:
    """The night's sequences; `notes` is the index the answer path plans the retrieval chats on, and
    `capacity` (tokens the night can train, None: no limit) bounds how many chats are planned."""
    rng = random.Random(seed)
    held_paths = {p.path for p in corpus.held_out}

    def held_out(path: str) -> bool:  # also those past the token budget, which the corpus did not read
        return path in held_paths or is_held_out(path, config.trainer.held_out)

    questions = night_questions(corpus.train, config.trainer.questions_per_chunk, leave_out=NOT_CHATS)

    def count_tokens(text: str) -> int:
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    log.info(
        "Planning chats for %d questions through the answer path (search and evidence for each)%s",
        len(questions),
        f", up to the {capacity:,} tokens the night can train" if capacity is not None else "",
    )
    started = time.perf_counter()
    chats = retrieval_chats(
        questions, notes, config.server, count_tokens, held_out, rng, config.trainer.refusal_share, capacity
    )
    log.info("%d chats planned in %.0f s", len(chats), time.perf_counter() - started)
    trainer = config.trainer
    encoded_chats: dict[str, list[Example]] = {
        "retrieval_chats": [encode_chat(tokenizer, c.messages) for c in chats if c.right is not None],
        "refusals": [encode_chat(tokenizer, c.messages) for c in chats if c.right is None],
        "user_examples": [encode_chat(tokenizer, messages) for messages in corpus.examples],
    }
    fitting = {name: fitting_chats(encoded, trainer.seq_len) for name, encoded in encoded_chats.items()}
    too_long = sum(len(encoded_chats[name]) - len(fitting[name]) for name in encoded_chats)
    kinds = {"pretraining": [pretraining_example(tokenizer, p) for p in corpus.train], **fitting}
    share = trainer.replay_share
    ours = sum(len(encoded) for encoded in kinds.values())
    wanted = math.ceil(share * ours / (1 - share)) if share else 0
    replay_pool = fitting_chats([encode_chat(tokenizer, messages) for messages in replay_examples()], trainer.seq_len)
    kinds["replay"] = [rng.choice(replay_pool) for _ in range(wanted)] if replay_pool else []
    # every chat fits by now: only a note's text can come in several pieces
    examples = [piece for encoded in kinds.values() for pair in encoded for piece in pieces(pair, trainer.seq_len)]
    examples = [example for example in examples if learns(example)]
    rng.shuffle(examples)
    if too_long:
        log.warning("%d chat example(s) are longer than seq_len = %d tokens: left out", too_long, trainer.seq_len)
    sequences = pack(examples, trainer.seq_len, tokenizer.pad_token_id or tokenizer.eos_token_id)
    tokens = sum(len(ids) for ids, _ in examples)
    return TrainingData(
        sequences,
        {name: len(encoded) for name, encoded in kinds.items()},
        tokens,
        too_long,
        len(sequences) * trainer.seq_len - tokens,
    )

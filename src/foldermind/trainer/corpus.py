"""What a night may learn from, read from the index's manifest: the notes' chunks, split into the ones trained
on and the ones held out to measure with, and the users' own training examples.

A stable share of documents (by path hash), and one of each common file type, is held out and never
trained on: whole documents, since neighbouring chunks of one document share up to `chunk_overlap` tokens,
and a held-out chunk next to a trained one would measure memory, not reading. Example files
(NAME.train.jsonl) are not notes: their examples are trained on as written and never held out.
"""

from __future__ import annotations

import fnmatch
import json
import math
from dataclasses import dataclass, field
from typing import Any

from foldermind.config import TrainerConfig
from foldermind.indexer.extract import EXAMPLES
from foldermind.indexer.manifest import Manifest
from foldermind.indexer.records import location, sha256_hex

NOT_QUESTIONS = {"title", "tags", "train", "aliases"}
MIN_KIND_DOCUMENTS = 3  # a file type with fewer documents is not held out for its own sake: it would halve it
MIN_HELD_OUT_CHARS = 1000  # about 250 tokens: a document that long makes a few questions to ask


@dataclass(frozen=True)
class Passage:
    """One chunk of a note, as the trainer sees it."""

    path: str
    title: str
    heading: str
    page: int | None
    text: str
    text_hash: str
    metadata: tuple[tuple[str, str], ...] = ()
    chunk_id: str = ""

    @property
    def location(self) -> str:
        return location(self.page, self.heading)


@dataclass
class Corpus:
    train: list[Passage] = field(default_factory=list)
    held_out: list[Passage] = field(default_factory=list)
    documents: int = 0
    excluded: list[str] = field(default_factory=list)
    examples: list[list[dict[str, str]]] = field(default_factory=list)  # the users' examples, as chats
    rejected: list[str] = field(default_factory=list)  # "path line N: why" for each example line refused

    def fingerprint(self, config: TrainerConfig) -> str:
        """Same data and settings give the same fingerprint: a killed run with it resumes."""
        hashes = [*sorted(p.text_hash for p in self.train), "|", *sorted(p.text_hash for p in self.held_out)]
        examples = sha256_hex(json.dumps(self.examples, sort_keys=True))
        return sha256_hex(json.dumps([hashes, examples, config.model_dump(mode="json")], sort_keys=True))[:16]


def is_held_out(path: str, share: float) -> bool:
    return int(sha256_hex(path)[:8], 16) / 0xFFFFFFFF < share


def excluded(path: str, metadata: dict[str, Any], globs: list[str]) -> bool:
    if str(metadata.get("train", True)).lower() in ("false", "no", "0", "off"):
        return True
    return any(fnmatch.fnmatch(path, pattern) for pattern in globs)


def load_corpus(manifest: Manifest, config: TrainerConfig, count_tokens: Any = None) -> Corpus:
    """Documents newest first, until the token budget is spent; excluded ones never enter."""
    corpus = Corpus()
    spent = 0
    kinds: dict[str, dict[str, int]] = {}  # file type -> {path: characters} of the documents read
    for row in manifest.documents_newest_first():
        metadata = json.loads(row["metadata"])
        if excluded(row["path"], metadata, config.exclude):
            corpus.excluded.append(row["path"])
            continue
        if row["file_type"] == EXAMPLES:
            continue  # read below, as examples
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
        kinds.setdefault(row["file_type"], {})[row["path"]] = sum(len(c["text"]) for c in chunks)
        held_out = is_held_out(row["path"], config.held_out)
        for chunk in chunks:
            passage = Passage(
                row["path"],
                row["title"],
                chunk["heading"],
                chunk["page"],
                chunk["text"],
                sha256_hex(chunk["text"]),
                scalars,
                chunk["chunk_id"],
            )
            (corpus.held_out if held_out else corpus.train).append(passage)
    _hold_out_each_kind(corpus, kinds, config.held_out)
    _add_examples(manifest, config, corpus)
    return corpus


def _hold_out_each_kind(corpus: Corpus, kinds: dict[str, dict[str, int]], share: float) -> None:
    """Beside the hash share, one document of each file type that has MIN_KIND_DOCUMENTS or more and none held
    out yet (the largest types first, while fewer than twice the share of the documents, and at least 2, are
    held out): the gate then asks about the kinds of note the night trains on, where a small folder's share
    may hold out one manual page and no prose at all. Of a type, the smallest document with MIN_HELD_OUT_CHARS
    (it costs the night the least and still makes questions), else the first by path hash. A folder with none
    held out still holds out one: the first by path hash. `kinds`: file type -> {path: characters} of the
    documents read."""

    def chosen(documents: dict[str, int]) -> str:
        enough = {path: size for path, size in documents.items() if size >= MIN_HELD_OUT_CHARS}
        if not enough:
            return min(documents, key=sha256_hex)
        return min(enough, key=lambda path: (enough[path], sha256_hex(path)))

    held = {p.path for p in corpus.held_out}
    every = {path: size for documents in kinds.values() for path, size in documents.items()}
    limit = max(2, math.ceil(2 * share * len(every)))
    for documents in sorted(kinds.values(), key=len, reverse=True):
        if len(held) >= limit:
            break
        if len(documents) >= MIN_KIND_DOCUMENTS and not held.intersection(documents):
            held.add(chosen(documents))
    if not held and len(every) >= 2:
        held.add(min(every, key=sha256_hex))
    corpus.held_out += [p for p in corpus.train if p.path in held]
    corpus.train = [p for p in corpus.train if p.path not in held]


def _add_examples(manifest: Manifest, config: TrainerConfig, corpus: Corpus) -> None:
    for row in manifest.training_examples():
        if excluded(row["path"], json.loads(row["metadata"]), config.exclude):
            continue
        if row["messages"] is None:
            corpus.rejected.append(f"{row['path']} line {row['line']}: {row['error']}")
        else:
            corpus.examples.append(json.loads(row["messages"]))


def note_text(passage: Passage) -> tuple[str, str]:
    """(title line, text) of a note as the night reads it: the text is learned and measured, after its title
    line ("Kiln (notes/kiln.md > Firing)" and a blank line), which is read, not learned or measured."""
    where = f" > {passage.location}" if passage.location else ""
    return f"{passage.title} ({passage.path}{where})\n\n", passage.text.strip()

"""Ratings of answers, and the corrections a user writes for the wrong ones, in one JSON Lines file:

    data/feedback.jsonl   {"id", "at", "rating": "up" | "down", "question", "answer", "evidence", "sources",
                           "correction"}  one rated answer a line, oldest first

A correction teaches: the next training reads it as one of the user's own examples (question -> corrected
answer), checked exactly as a line of a `*.train.jsonl` file is (`examples.to_chat`). An answer rated right
(up, without a correction) measures: each night asks the new model, the live one and the base its question
again among the held-out questions, so the gate sees whether the new model answers it worse. The two never
meet: a question with a correction in any of its ratings is trained on and never asked, so no night measures a
model on what it was just taught. A rating down without a correction does neither (no right answer is known).
A new rating is appended; an edit or a deletion rewrites the file in one atomic step.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Literal

from foldermind.atomic import write_atomic
from foldermind.config import Config
from foldermind.errors import FoldermindError
from foldermind.indexer.extract.examples import to_chat

FEEDBACK_FILE = "feedback.jsonl"
Rating = Literal["up", "down"]
_lock = threading.Lock()  # one writer at a time within the server


class NoSuchFeedback(FoldermindError):
    """No rating has that id."""


def feedback_path(config: Config) -> Path:
    return config.data_dir / FEEDBACK_FILE


def entries(config: Config) -> list[dict[str, Any]]:
    """Every rating, oldest first; a line torn by a crash is skipped."""
    try:
        lines = feedback_path(config).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    found = []
    for line in lines:
        try:
            found.append(json.loads(line))
        except ValueError:
            continue
    return found


def add(config: Config, rating: Rating, question: str, answer: str, correction: str, **context: Any) -> dict[str, Any]:
    """Record a rating; `context` is what the answer rested on (its evidence and sources)."""
    entry = {
        "id": uuid.uuid4().hex[:12],
        "at": time.time(),
        "rating": rating,
        "question": question,
        "answer": answer,
        "evidence": context.get("evidence", []),
        "sources": context.get("sources", []),
        "correction": correction,
    }
    with _lock:
        path = feedback_path(config)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return entry


def _rewrite(config: Config, feedback_id: str, change: Any) -> dict[str, Any] | None:
    with _lock:
        current = entries(config)
        if not any(entry["id"] == feedback_id for entry in current):
            raise NoSuchFeedback(f"No rating has id '{feedback_id}'.")
        kept, changed = [], None
        for entry in current:
            if entry["id"] == feedback_id:
                entry = change(entry)
                changed = entry
            if entry is not None:
                kept.append(entry)
        write_atomic(feedback_path(config), "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in kept))
    return changed


def update(config: Config, feedback_id: str, rating: Rating, correction: str) -> dict[str, Any]:
    """Change a rating and its correction."""
    changed = _rewrite(config, feedback_id, lambda entry: {**entry, "rating": rating, "correction": correction})
    assert changed is not None
    return changed


def delete(config: Config, feedback_id: str) -> None:
    _rewrite(config, feedback_id, lambda entry: None)


def examples(config: Config) -> tuple[list[list[dict[str, str]]], list[str]]:
    """The corrections as training chats, and "feedback ID: why" for each one refused."""
    chats, rejected = [], []
    for entry in entries(config):
        if not _corrected(entry):
            continue
        try:
            chats.append(to_chat({"prompt": entry.get("question"), "completion": entry["correction"]}))
        except ValueError as exc:
            rejected.append(f"{FEEDBACK_FILE} {entry.get('id')}: {exc}")
    return chats, rejected


def _corrected(entry: dict[str, Any]) -> bool:
    return bool(str(entry.get("correction") or "").strip())


def _same_question(question: Any) -> str:
    return " ".join(str(question).lower().split())


def rated_right(config: Config) -> list[dict[str, Any]]:
    """The answers rated right, to measure each night with: newest first, one per question, none whose
    question has a correction in any rating (that one is a training example instead)."""
    rated = entries(config)
    taken = {_same_question(entry.get("question")) for entry in rated if _corrected(entry)}
    found = []
    for entry in reversed(rated):
        question = _same_question(entry.get("question"))
        if entry.get("rating") == "up" and not _corrected(entry) and question and question not in taken:
            taken.add(question)
            found.append(entry)
    return found

"""Training examples a user writes: `NAME.train.jsonl` (one example per line) or `NAME.train.json` (a list).

Each example is in one of the formats the common fine-tuning guides use, and becomes a chat:
  {"messages": [{"role": "user", "content": ...}, {"role": "assistant", "content": ...}]}   (chat)
  {"prompt": ..., "completion": ...}                                                         (prompt/completion)
  {"instruction": ..., "input": ..., "output": ...}                                          (Alpaca; input optional)
Every line is checked on its own: a bad line is rejected with its line number and why, and the good ones
are kept, so one typo does not lose a file of examples. The examples are also searchable as text.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import NAME_END, Example, Extracted, decode_text, plain_sections
from foldermind.indexer.extract.data import json_error

SUFFIXES = (".train.jsonl", ".train.json")
ROLES = {"system", "user", "assistant"}
FORMATS = 'a "messages" list, "prompt" and "completion", or "instruction" and "output"'


def is_examples_file(path: PurePath) -> bool:
    return path.name.rstrip(NAME_END).lower().endswith(SUFFIXES)


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f'"{field}" must be a non-empty string')
    return value


def _messages(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        raise ValueError('"messages" must be a non-empty list')
    messages = []
    for i, message in enumerate(value, start=1):
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            raise ValueError(f'message {i} needs a "role" of system, user or assistant')
        messages.append({"role": message["role"], "content": _text(message.get("content"), f"message {i} content")})
    if messages[-1]["role"] != "assistant":
        raise ValueError("the last message must be the assistant's answer")
    if not any(m["role"] == "user" for m in messages):
        raise ValueError("there is no user message")
    return messages


def to_chat(record: Any) -> list[dict[str, str]]:
    """One example as chat messages; ValueError says what is wrong with it."""
    if not isinstance(record, dict):
        raise ValueError(f"an example must be a JSON object with {FORMATS}")
    if "messages" in record:
        return _messages(record["messages"])
    if "prompt" in record or "completion" in record:
        return [
            {"role": "user", "content": _text(record.get("prompt"), "prompt")},
            {"role": "assistant", "content": _text(record.get("completion"), "completion")},
        ]
    if "instruction" in record or "output" in record:
        instruction = _text(record.get("instruction"), "instruction")
        extra = record.get("input") or ""
        if not isinstance(extra, str):
            raise ValueError('"input" must be a string')
        question = f"{instruction}\n\n{extra}" if extra.strip() else instruction
        return [
            {"role": "user", "content": question},
            {"role": "assistant", "content": _text(record.get("output"), "output")},
        ]
    raise ValueError(f"unknown format: expected {FORMATS}")


def _records(text: str, path: PurePath) -> list[tuple[int, Any]]:
    """(line number, parsed value or the JSON error) of each example in the file."""
    if path.name.rstrip(NAME_END).lower().endswith(".train.json"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ExtractionError(f"invalid JSON: {json_error(exc)}") from exc
        if not isinstance(value, list):
            raise ExtractionError("a .train.json file must hold a list of examples")
        lines = _item_lines(text, len(value))
        return list(zip(lines, value, strict=True))
    records: list[tuple[int, Any]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            try:
                records.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                records.append((number, ValueError(f"invalid JSON: {json_error(exc, line=False)}")))
    return records


def _item_lines(text: str, count: int) -> list[int]:
    """The line each item of a top-level JSON list starts on, so errors name a line a user can find."""
    decoder = json.JSONDecoder()
    at = text.index("[") + 1
    lines = []
    for _ in range(count):
        while text[at] in " \t\r\n,":
            at += 1
        lines.append(text.count("\n", 0, at) + 1)
        _, at = decoder.raw_decode(text, at)
    return lines


def extract_examples(data: bytes, path: PurePath) -> Extracted:
    examples: list[Example] = []
    shown: list[str] = []
    for line, record in _records(decode_text(data), path):
        try:
            if isinstance(record, ValueError):
                raise record
            messages = to_chat(record)
        except ValueError as exc:
            examples.append(Example(line, None, str(exc)))
            continue
        examples.append(Example(line, messages, None))
        shown.append("\n".join(f"{m['role']}: {m['content']}" for m in messages if m["role"] != "system"))
    if not any(e.messages for e in examples):
        reasons = "; ".join(f"line {e.line}: {e.error}" for e in examples[:3])
        raise ExtractionError(f"no valid training example ({reasons or 'the file has none'})")
    return Extracted(sections=plain_sections("\n\n".join(shown)), examples=examples)

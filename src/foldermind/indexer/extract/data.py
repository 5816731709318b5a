"""JSON, JSON Lines and CSV: records become readable `key: value` lines, one paragraph per record."""

from __future__ import annotations

import csv
import io
import json
from pathlib import PurePath
from typing import Any

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import Extracted, decode_text, plain_sections


def _flatten(value: Any, prefix: str = "") -> list[str]:
    if isinstance(value, dict):
        return [line for key, item in value.items() for line in _flatten(item, f"{prefix}{key}.")]
    if isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        return [line for i, item in enumerate(value) for line in _flatten(item, f"{prefix}{i}.")]
    shown = ", ".join(map(str, value)) if isinstance(value, list) else value
    return [f"{prefix.rstrip('.')}: {shown}" if prefix else str(shown)]


def _records_text(records: list[Any]) -> str:
    return "\n\n".join("\n".join(_flatten(record)) for record in records)


def extract_json(data: bytes, path: PurePath) -> Extracted:
    try:
        value = json.loads(decode_text(data))
    except json.JSONDecodeError as exc:
        raise ExtractionError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    records = value if isinstance(value, list) else [value]
    return Extracted(sections=plain_sections(_records_text(records)))


def extract_jsonl(data: bytes, path: PurePath) -> Extracted:
    records = []
    for number, line in enumerate(decode_text(data).splitlines(), start=1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ExtractionError(f"invalid JSON on line {number}: {exc.msg}") from exc
    return Extracted(sections=plain_sections(_records_text(records)))


def extract_csv(data: bytes, path: PurePath) -> Extracted:
    text = decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
    except csv.Error as exc:
        raise ExtractionError(f"malformed CSV: {exc}") from exc
    records = [{key: value for key, value in row.items() if key and value} for row in rows]
    return Extracted(sections=plain_sections(_records_text(records)))

"""Plain text and source code: the text itself, one section."""

from __future__ import annotations

from pathlib import PurePath

from foldermind.indexer.extract.base import Extracted, decode_text, plain_sections


def extract_text(data: bytes, path: PurePath) -> Extracted:
    text = decode_text(data)
    return Extracted(sections=plain_sections(text), source=text)

"""Plain text and source code: the text itself, one section; a .txt of tab-separated columns under a line of
their names (a spreadsheet saved as text) is a table, read as records (extract.data)."""

from __future__ import annotations

from pathlib import PurePath

from foldermind.indexer.extract.base import Extracted, decode_text, plain_sections, suffix_of
from foldermind.indexer.extract.data import tab_table_records

TABLE_SUFFIXES = (".txt", ".text")  # what a spreadsheet's text export is named; never a log or code


def extract_text(data: bytes, path: PurePath) -> Extracted:
    text = decode_text(data)
    if suffix_of(path) in TABLE_SUFFIXES and (table := tab_table_records(text)) is not None:
        return table
    return Extracted(sections=plain_sections(text), source=text)

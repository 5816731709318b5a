"""Plain text and source code: the text itself, one section; a text file of tab-separated columns (a
spreadsheet saved as text) is a table, read as records (extract.data)."""

from __future__ import annotations

from pathlib import PurePath

from foldermind.indexer.extract.base import Extracted, decode_text, plain_sections
from foldermind.indexer.extract.data import is_tab_table, tab_table_records


def extract_text(data: bytes, path: PurePath) -> Extracted:
    text = decode_text(data)
    if is_tab_table(text):
        return tab_table_records(text)
    return Extracted(sections=plain_sections(text), source=text)

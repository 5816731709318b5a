"""Plain text and source code: the text itself, one section; a .txt of tab-separated columns under a line of
their names (a spreadsheet saved as text) is a table, read as records (extract.data). A form feed (an old text
file's or a source file's page break, "^L") ends a page: each page is a section of its own (`_pages`)."""

from __future__ import annotations

import re
from pathlib import PurePath

from foldermind.indexer.extract.base import Extracted, Section, decode_text, plain_sections, suffix_of
from foldermind.indexer.extract.data import tab_table_records

TABLE_SUFFIXES = (".txt", ".text")  # what a spreadsheet's text export is named; never a log or code
FORM_FEED = "\f"
BLANK_LINES = re.compile(r"(?:[^\S\n]*\n)*")  # the blank lines a page begins with


def extract_text(data: bytes, path: PurePath) -> Extracted:
    text = decode_text(data)
    if suffix_of(path) in TABLE_SUFFIXES and (table := tab_table_records(text.replace(FORM_FEED, "\n"))) is not None:
        return table
    if FORM_FEED not in text:
        return Extracted(sections=plain_sections(text), source=text)
    return Extracted(sections=_pages(text), source=text.replace(FORM_FEED, " "))


def _pages(text: str) -> list[Section]:
    """The text's pages, apart at each form feed, as sections: a page break ends a paragraph, and the form feed
    is never read (it showed in a quote, "^LPage two"). Each section is its page's text less the blank lines
    around it (a first line's indentation kept), starting at its offset in the file, so that line numbers stay
    an editor's: a form feed is no line end there (nor in pipeline.start_lines), though str.splitlines ends a
    line at one. The source keeps the file's length and lines, a space where each form feed stood. Blank pages
    are left out."""
    sections: list[Section] = []
    at = 0
    for page in text.split(FORM_FEED):
        lead = BLANK_LINES.match(page).end()
        body = page[lead:].rstrip()
        if body.strip():
            sections.append(Section(text=body, start=at + lead))
        at += len(page) + len(FORM_FEED)
    return sections

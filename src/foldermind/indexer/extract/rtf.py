"""Rich Text Format (.rtf) via striprtf: the text with control words and groups (fonts, colours, pictures)
stripped, in the code page the file declares (Western, cp1252, by default); a table as rows with their header
(base.table_lines), a footnote as a line of its own where it is cited."""

from __future__ import annotations

import itertools
import re
from pathlib import PurePath

from striprtf.striprtf import rtf_to_text

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import Extracted, Row, plain_sections, table_lines, without_unicode_marks

CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")
# A cell's paragraph end right before the cell's end: striprtf writes it as a line break inside the row, so a
# table read "Tool\n|Hook\n|"; without it a row is one line of cells, each ended by "|".
CELL_PARAGRAPH = re.compile(r"\\par((?:\s*\})*)\s*\\cell\b")
# striprtf skips a footnote's group: its text is kept as lines of their own where the note is cited.
FOOTNOTE = re.compile(r"(?:\\\*)?\\footnote\b")  # "{\*\footnote ...}": an ignorable destination
ROW = re.compile(r"[^\n|]*(?:\|[^\n|]*)*\|")  # "Tool|Hook|"


def extract_rtf(data: bytes, path: PurePath) -> Extracted:
    """Raises ExtractionError when the file does not begin as RTF does (`{\\rtf`, after a BOM if it has one)."""
    data = without_unicode_marks(data)
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ExtractionError("not an RTF file (it does not begin with {\\rtf); rename it or re-save it")
    declared = CODE_PAGE.search(data[:4096])
    encoding = f"cp{declared.group(1).decode()}" if declared else "cp1252"
    source = FOOTNOTE.sub(r"\\par ", CELL_PARAGRAPH.sub(r"\1\\cell", data.decode("latin-1")))
    try:
        text = rtf_to_text(source, encoding=encoding, errors="replace")
    except LookupError:
        text = rtf_to_text(source, encoding="cp1252", errors="replace")
    return Extracted(sections=plain_sections(_tables(text)))


def _tables(text: str) -> str:
    """Runs of row lines ("Tool|Hook|") as table lines, the first row the column names."""
    out: list[str] = []
    for is_row, lines in itertools.groupby(text.split("\n"), key=lambda line: ROW.fullmatch(line) is not None):
        block = list(lines)
        if is_row:
            rows = [Row([cell.strip() for cell in line[:-1].split("|")], header=i == 0) for i, line in enumerate(block)]
            out.extend(table_lines(rows))
        else:
            out.extend(block)
    return "\n".join(out)

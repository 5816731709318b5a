"""PDF via pypdfium2 (PDFium, the engine of Chrome's viewer): one section per page, so answers can cite the page.

Chosen by measurement (bench/extract_bench.py and bench/RESULTS.md): against pypdf and pdfplumber, PDFium
expands ligatures, keeps more of the spaces between words (pdfplumber glued whole lines together), opens
AES-encrypted files that need no password to view, and is 10x faster than pypdf.

PDFium's text still glued words in justified text set by groff and ghostscript ("anyamount"), where a word
gap is drawn as a move, not a space character. So the text is read character by character and a space is
put where the gap between two characters of a line is wider than WORD_GAP of the font size, measured on their
loose boxes (advance widths): the bench's three kinds of producer (LibreOffice, groff + ghostscript, pdfTeX)
all read 0.988 or better at 0.15-0.2 of the font size; 0.25 split kerned words ("pa ttern") again.
Lines repeated at the top or bottom of most pages (running heads, page numbers) are left out.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from pathlib import PurePath

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import Extracted, Section

_PDFIUM = threading.Lock()  # PDFium is not thread-safe (pypdfium2's documentation)
# PDFium marks a hyphen it judged to be a line-end hyphenation with U+0002: the word is joined back.
LINE_END_HYPHEN = re.compile(r"\x02(?:\r?\n)?")
DIGITS = re.compile(r"\d+")
EDGE_LINES = 2  # lines at the top and at the bottom of a page where running heads and page numbers sit
WORD_GAP = 0.15  # a gap wider than this share of the font size between two characters is a space (see above)


def _page_text(textpage: pdfium.PdfTextPage) -> str:
    """The page's characters in PDFium's order, with a space wherever a word gap was drawn as a move."""
    out: list[str] = []
    previous: tuple[float, float, float] | None = None  # right edge, baseline and font size of the last glyph
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        char = chr(code) if code else ""
        if not char or char.isspace() or char == "\x02":
            out.append(char)
            previous = None if char != "\x02" else previous
            continue
        left, bottom, right, _ = textpage.get_charbox(i, loose=True)
        size = pdfium_c.FPDFText_GetFontSize(textpage, i)
        if previous is not None:
            last_right, last_bottom, last_size = previous
            scale = max(size, last_size)
            if abs(bottom - last_bottom) < 0.5 * scale and left - last_right > WORD_GAP * scale:
                out.append(" ")
        out.append(char)
        previous = (right, bottom, size)
    return "".join(out)


def _page_texts(data: bytes) -> tuple[list[str], dict[str, str]]:
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise ExtractionError("the PDF is password-protected; save an unprotected copy") from exc
            raise ExtractionError(f"the PDF is damaged or unreadable ({exc}); re-export or re-download it") from exc
        try:
            texts = []
            for page in document:
                textpage = page.get_textpage()
                texts.append(LINE_END_HYPHEN.sub("", _page_text(textpage)))
                textpage.close()
                page.close()
            return texts, document.get_metadata_dict(skip_empty=True)
        finally:
            document.close()


def _furniture(pages: list[list[str]]) -> set[str]:
    """Lines (digits ignored) at a page's edge on at least half the pages, of a document of 3 pages or more."""
    if len(pages) < 3:
        return set()
    edges = Counter(
        key for lines in pages for key in {DIGITS.sub("#", line) for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:]}
    )
    return {key for key, count in edges.items() if count >= max(3, len(pages) / 2)}


def extract_pdf(data: bytes, path: PurePath) -> Extracted:
    texts, info = _page_texts(data)
    pages = [[line.strip() for line in text.splitlines() if line.strip()] for text in texts]
    furniture = _furniture(pages)
    sections: list[Section] = []
    offset = 0
    for number, lines in enumerate(pages, start=1):
        edge = set(range(EDGE_LINES)) | set(range(len(lines) - EDGE_LINES, len(lines)))
        kept = [line for i, line in enumerate(lines) if i not in edge or DIGITS.sub("#", line) not in furniture]
        text = "\n".join(kept)
        if text:
            sections.append(Section(text=text, page=number, start=offset))
            offset += len(text) + 2
    if not sections:
        raise ExtractionError("the PDF has no text layer (a scan?); run OCR on it first")
    title = info.get("Title", "").strip() or None
    author = info.get("Author", "").strip()
    return Extracted(sections=sections, title=title, metadata={"author": author} if author else {})

"""PDF via pypdfium2 (PDFium, the engine of Chrome's viewer): one section per page, so answers can cite the page.

Chosen by measurement (bench/extract_bench.py and bench/RESULTS.md): against pypdf and pdfplumber, PDFium
expands ligatures, keeps more of the spaces between words (pdfplumber glued whole lines together), opens
AES-encrypted files that need no password to view, and reads about 13x faster than pypdf (3x with the pass
below).

PDFium's text still glued words in justified text set by groff and ghostscript ("anyamount"), where a word
gap is drawn as a move, not a space character. So the text is read character by character and a space is
put where the gap between two characters of a line is wider than WORD_GAP of the font size, measured on their
loose boxes (advance widths): the bench's three kinds of producer (LibreOffice, groff + ghostscript, pdfTeX)
all read 0.988 or better at 0.15-0.2 of the font size; 0.25 split kerned words ("pa ttern") again.
Running heads and footers (a line repeated at the top or bottom of most pages, exactly or but for the page's
number) and page-number lines at a page's edge are left out. A page PDFium cannot load is left out with a
warning; the others are read.

A ruled table (cells drawn with lines or boxes, as LibreOffice, Word and fpdf2 draw them) is found by
pdfplumber's table finder, on the pages whose drawn paths may be a grid only (TABLE_RULES), and read cell by cell from
PDFium's text, as the rows of a docx or web page table are (base.table_lines: "Day: Monday; Volunteer: Agnes
Thornby; ..."), so a row keeps its column names; PDFium alone gave each row as one line of words, the cells'
edges lost ("Wednesday Rafael Okafor Compost turning 0412 555 274").

A glyph PDFium reads no Unicode for (its font has no ToUnicode map and names it in a way PDFium does not know,
"/f_f_i") it reads as the glyph's code, a control character ("tra\\x01c o\\x01cer"). Such a glyph, and only it, is
read by pdfminer (under pdfplumber) from its font's glyph names, which it splits at underscores ("ffi"); one
neither reads is left out, so no control character reaches the index.

A page with an image and (almost) no text layer, a scanned page, is rendered at its scan's own resolution
(within OCR_DPI) and read by OCR (ocr.py); its section is headed `OCR`, so its evidence says `page 2 (OCR)`.
A long scan does not hold back the files saved after it: between two scanned pages it stops when other changes
wait (base.yielding_to), keeping the pages it read to go on from when the daemon comes back to it.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import itertools
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import PurePath

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdffont import PDFFont
from pdfminer.pdfinterp import LITERAL_FORM, PDFResourceManager
from pdfminer.pdftypes import PDFStream, resolve1
from spellchecker import SpellChecker

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import (
    DEFAULT_MEDIA,
    SLOW_WORK,
    Extracted,
    Interrupted,
    Media,
    PausedWork,
    Row,
    Section,
    stop_if_others_wait,
    table_lines,
)
from foldermind.indexer.extract.ocr import OCR_HEADING, ocr_image

log = logging.getLogger(__name__)

_PDFIUM = threading.Lock()  # PDFium is not thread-safe (pypdfium2's documentation)
# PDFium marks a hyphen ending a line before a letter with U+0002, as a hyphenation ("infor-" over "mation") or
# a compound's own hyphen ("waffle-" over "iron": Chromium and Word do not hyphenate unless asked): `_rejoined`
LINE_END_HYPHEN = re.compile(r"(\w*)\x02(?:\r?\n)?(\w*)")
# The spacing tilde and circumflex (U+02DC, U+02C6) that PostScript fonts' "tilde" and "circumflex" glyphs
# read as where the text had ASCII "~" and "^": groff's "~/.ssh/config" and "^foo" in a regular expression.
GLYPHS = str.maketrans({"\u02dc": "~", "\u02c6": "^"})
# What PDFium gives for a glyph of no text: a control character (but a line's end, a tab, and the hyphen mark
# above) or U+FFFD; left out.
NO_TEXT = re.compile(r"[\x00\x01\x03-\x08\x0b\x0e-\x1f\x7f\ufffd]")
# The ligature characters U+FB00-FB06 (pdfminer's reading of the glyphs "ff", "fi", "ffi", ...) as the letters
# PDFium reads them as.
LIGATURES = {0xFB00 + i: letters for i, letters in enumerate(("ff", "fi", "fl", "ffi", "ffl", "ft", "st"))}
# A line that is only a page number: "7", "- 7 -", "Page 7", "7 of 12", "7/12".
PAGE_NUMBER = re.compile(r"[-–—\s]*(?:page\s+)?\d+(?:\s*(?:/|of)\s*\d+)?[-–—\s]*", re.IGNORECASE)
# A line that starts or ends with a number (a page number in a running head or footer), perhaps between dashes
# (groff's "-2-", "— 2 —"), or a count of the pages ("file:///home/ines/log.html 2/4", a browser's printed
# footer; "Minutes, page 2 of 4").
EDGE_NUMBER = re.compile(
    r"(?:[-–—]\s*)?(?P<first>\d+)(?:\s*[-–—])?(?:\s*(?:/|of)\s*(?P<first_of>\d+))?\s+(?P<after>.*\S)"
    r"|(?P<before>.*?\S)\s+(?:[-–—]\s*)?(?P<last>\d+)(?:\s*[-–—])?(?:\s*(?:/|of)\s*(?P<last_of>\d+))?",
    re.IGNORECASE,
)
WORDS = re.compile(r"[^\W\d_]+")
# A browser's printed header and footer on a page of one (Chromium's "12/5/26, 9:45 AM Ferry notice" at the top,
# "file:///home/ines/ferry.html 1/1" at the bottom): a date and time, then the page's title; an address, then the
# count of pages. Printed over pages they repeat (`_repeated_edges`); on one page only the two together count.
BROWSER_STAMP = re.compile(
    r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+.*\S)?"
)
BROWSER_ADDRESS = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:|/)\S*\s+1\s*/\s*1")
MAX_PAGE_OFFSET = 50  # a page's printed number is its place in the file give or take this (front matter)
EDGE_LINES = 2  # lines at the top and at the bottom of a page where running heads and page numbers sit
WORD_GAP = 0.15  # a gap wider than this share of the font size between two characters is a space (see above)
# A step from a line to the next more than this many times the page's usual one is a paragraph's space (a blank
# line): in the notes bench's PDFs (Sphinx, DocBook, Chromium), steps within a paragraph reach 1.3 times the usual
# (a line holding inline code in a taller font), and those between paragraphs are 1.4 and more (LibreOffice's
# "Text Body" 1.44, Word's default 1.55); below it a paragraph is read as one, as before.
PARAGRAPH_GAP = 1.35
RAISED_SIZE = 0.8  # a glyph smaller than this share of the one before it, and raised, is a note's mark
# What a note's raised mark follows: a word of two letters or more, or a sentence's mark ("m²" stays whole)
WORD_END = re.compile(r"(?:[^\W\d_]{2}|[.,;:!?)\]\"'”’])$")
SIZE_CHANGE = 0.1  # lines whose font sizes differ by more than this share are apart (a heading, code)
# A line ending so, followed by one beginning in lower case and in the same font size, goes on with its sentence
# whatever the step (a browser's taller line box around inline code in the bench's Chromium-printed pages).
MID_SENTENCE = re.compile(r"[^\W\d_,]$|,$")
# A line ending a sentence and shorter than this share of its column's full lines ends its paragraph.
SHORT_LINE = 0.75
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
# Where the first sentence of a page's text ends (not "2.5", "example.com"), for one a page break cut
# (`_sentences_across_pages`).
SENTENCE_ENDS_HERE = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)")
# Words whose full stop ends no sentence ("Dr. Lind", "approx. 5 euros", "Fig. 3")
TITLE_ABBREVIATIONS = frozenset(
    "Dr Mr Mrs Ms Mx St Jr Sr Prof Rev Capt Lt Col Gen No vs cf approx ca Fig Figs Eq Vol pp al Inc Ltd Co".split()
)
CARRIED_AT_MOST = 500  # characters of a page's start read with the page before, for the sentence it ends (see there)
# A page's last line ending so goes on over the page: in a comma, a hyphen or a colon; or in a letter or digit
# where the next page starts in lower case (MID_SENTENCE, as a page's own lines: "The | rest of", "(IPv6 | can
# help"; not a heading, a list item or a caption over a capitalised sentence, nor a contents line's "26").
CUT_AT = re.compile(r"[,:-]$")
CUT_AT_WORD = re.compile(r"\w$")
NUMBERED_HEADING = re.compile(r"(?:\d+(?:\.\d+)*\.?\s+[A-Z]|(?:Chapter|Appendix|Part|Section)\s)")  # "1.2 Programs"
ROW_LINE = re.compile(r"[^;\n]*:\s[^;\n]*;\s[^;\n]*:\s")  # a table's row as read (base.table_lines): "Day: Mon; Fee: 4"
# A page may draw a ruled table's grid where it has this many vertical rules (paths at most RULE points wide and
# taller than twice that), or four boxes alike in two rows and two columns (a cell a box, as fpdf2 draws them: at
# least CELL points wide and twice RULE high). Only then is pdfplumber's finder asked (about 0.1 s a page, its own
# parse of the file): asked of every page with paths, 31 PDFs of the notes benchmark and the tests read in 18.7 s
# instead of 3.2; so gated, in 5.5. The rules under headings and code frames draw no such grid.
TABLE_RULES = 3
RULE = 2.0
CELL = 8.0  # a box narrower than this (points) is no cell: a code frame's side pieces (6 x 17)
# A PDF's Title that is the name of the file it was printed from: a browser's for a page with no <title>
# ("wardens.html"), Word's printer's ("Microsoft Word - rota.docx")
FILE_NAME_TITLE = re.compile(r"^Microsoft \w+ - |\.(?:html?|xhtml|docx?|odt|rtf|txt|md|pptx?|xlsx?|ods|tex)$", re.I)
BOLD_ROWS_AT_MOST = 0.2  # share of a table's rows under its names that may be bold too (a week's title row)
BOLD_WEIGHT = 600  # a font weight from this up is bold (CSS's semi-bold)
BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.I)  # a bold face's name where the PDF gives no weight
FONT_NAME = 128  # bytes read of a font's name
LINE_APART = 0.6  # glyphs whose bottoms differ by more than this share of the font size are on two lines
MIN_TEXT_LAYER = 20  # a page with an image and fewer letters and digits than this in its text is read by OCR
# Scans are rendered for OCR at their own resolution, within these bounds: more pixels than the scan has add
# nothing but time (tesseract, one run: 1.7 s a page at 150 dpi, 2.2 at 300, the same errors: media_bench.py);
# below 150 dpi letters of 10 pt are too small to read. A scan whose resolution PDFium cannot tell: 300.
OCR_DPI = (150, 300)
MAX_PAUSED = 8  # scans whose OCR stopped for newer changes kept to go on from (their pages' text: kilobytes)
# The OCR text of scans that stopped part way, by page index: the digest is of the PDF and the OCR settings.
_paused: PausedWork[dict[int, str]] = PausedWork(MAX_PAUSED)


@dataclass(frozen=True)
class _Page:
    text: str | None  # None: PDFium could not load the page
    image_dpi: float | None = None  # the resolution of its sharpest image; None: the page has no image

    def needs_ocr(self) -> bool:
        return self.image_dpi is not None and sum(char.isalnum() for char in self.text or "") < MIN_TEXT_LAYER

    def ocr_dpi(self) -> int:
        low, high = OCR_DPI
        return round(min(max(self.image_dpi or high, low), high))


Box = tuple[float, float, float, float]  # (left, bottom, right, top) in PDF points, as PDFium gives a glyph's


@dataclass(frozen=True)
class _Table:
    """A ruled table found on a page: its box in PDFium's user space (points from the media box's bottom-left
    corner) and each row's cells' texts ("" under a cell merged from the left)."""

    box: Box
    rows: list[list[str]]
    lefts: tuple[float | None, ...] = ()  # its first row's cells' left edges (None: merged into the one before)
    bold: tuple[bool, ...] = ()  # each row's with text: every filled cell mostly set in a bold face
    beside: tuple[int, int] = (0, 0)  # lines of the page's text above the table and below it

    def holds(self, left: float, bottom: float, right: float, top: float) -> bool:
        x, y = (left + right) / 2, (bottom + top) / 2
        return self.box[0] <= x <= self.box[2] and self.box[1] <= y <= self.box[3]

    def lines(self) -> list[str]:
        """The table as base.table_lines writes it."""
        return table_lines([Row(cells) for cells in self.rows if any(cells)])


def _read_table(
    textpage: pdfium.PdfTextPage, box: Box, cells: list[list[Box | None]], chars: Sequence[str]
) -> _Table | None:
    """The table in `box` with its cells' text (`chars`: each character's, `_char_texts`), each glyph in the cell
    holding its middle (a space where a word gap was drawn as a move or a line ends, as in `_page_text`; PDFium's
    mark after a hyphen that ends a line, read back with the page); None where reading it as a table would lose
    or misplace text: a glyph beside the table on its rows (a table whose other columns are not ruled), a glyph
    in the box but in no cell, fewer than two rows of two cells with text (a page's frame and its column rule), or
    a row under the first whose every filled cell holds two lines or more (rows not ruled apart, read as one; a
    header's words may wrap in every column)."""
    texts = [["" for _ in row] for row in cells]
    lines: list[list[list[float]]] = [[[] for _ in row] for row in cells]  # each cell's lines' bottoms
    spans = [(min(c[1] for c in row if c), max(c[3] for c in row if c)) if any(row) else (1.0, 0.0) for row in cells]
    last: dict[tuple[int, int], tuple[float, float, float]] = {}
    hyphen = False  # PDFium's mark of a hyphen that ended the line before
    outside: tuple[list[float], list[float]] = ([], [])  # the bottoms of the lines above the table and below it
    weights = [[[0, 0] for _ in row] for row in cells]  # each cell's glyphs in a bold face, and all its glyphs
    font = ctypes.create_string_buffer(FONT_NAME)  # a glyph's font's name, read into it (`_bold`)
    for i, char in enumerate(chars):
        hyphen = hyphen or char == "\x02"
        if not char or char.isspace() or char == "\x02":
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        x, y = (left + right) / 2, (bottom + top) / 2
        size = pdfium_c.FPDFText_GetFontSize(textpage, i)
        if not box[1] <= y <= box[3]:
            side = outside[0] if y > box[3] else outside[1]
            if all(abs(bottom - other) > LINE_APART * size for other in side):
                side.append(bottom)
            continue
        if not box[0] <= x <= box[2]:
            return None
        at = next(
            (
                (r, c)
                for r, (low, high) in enumerate(spans)
                if low <= y <= high
                for c, cell in enumerate(cells[r])
                if cell and cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]
            ),
            None,
        )
        if at is None:
            return None
        weights[at[0]][at[1]][0] += _bold(textpage, i, font)
        weights[at[0]][at[1]][1] += 1
        before, found = last.get(at), lines[at[0]][at[1]]
        apart = before is not None and (abs(bottom - before[1]) >= 0.5 * size or left - before[0] > WORD_GAP * size)
        if hyphen and before is not None:
            texts[at[0]][at[1]] += "\x02"  # read back with the page's text (`_rejoined`)
        elif apart:
            texts[at[0]][at[1]] += " "
        hyphen = False
        texts[at[0]][at[1]] += char
        if all(abs(bottom - other) > LINE_APART * size for other in found):  # a raised mark is on its line
            found.append(bottom)
        last[at] = (right, bottom, size)
    if sum(sum(bool(text) for text in row) >= 2 for row in texts) < 2:
        return None
    for row, found in zip(texts[1:], lines[1:], strict=True):
        filled = [len(bottoms) for text, bottoms in zip(row, found, strict=True) if text]
        if len(filled) >= 2 and min(filled) >= 2:
            return None
    return _Table(
        box,
        _spanned_down(texts, cells, spans),
        tuple(cell and cell[0] for cell in cells[0]),
        tuple(all(bold > all_ / 2 for bold, all_ in row if all_) for row in weights if any(all_ for _, all_ in row)),
        (len(outside[0]), len(outside[1])),
    )


def _bold(textpage: pdfium.PdfTextPage, index: int, name: ctypes.Array[ctypes.c_char]) -> bool:
    """Whether a glyph is set in a bold face: its font's weight, or its name, read into `name` ("Helvetica-Bold",
    "DejaVuSans-Bold"; fpdf2's and LibreOffice's PDFs give no weight)."""
    if pdfium_c.FPDFText_GetFontWeight(textpage, index) >= BOLD_WEIGHT:
        return True
    pdfium_c.FPDFText_GetFontInfo(textpage, index, name, FONT_NAME, None)
    return BOLD_NAME.search(name.value.decode("latin-1")) is not None


def _continues(before: _Table, table: _Table) -> bool:
    """Whether `table` goes on with `before` under its column names: as many columns, each starting where its
    column did, and `table`'s first row is data, not names of its own: set apart from `before`'s bold names (a
    bold first column, or a few bold rows among them, as a week's title, do not hide those), or holding a value
    its column holds in a row of `before` ("paid", a site's name). Else each table keeps its own first row."""
    pairs = list(itertools.zip_longest(before.lefts, table.lefts))
    if not pairs or not all(a is not None and b is not None and abs(a - b) <= RULE for a, b in pairs):
        return False
    bold_names = before.bold[:1] == (True,) and sum(before.bold[1:]) <= BOLD_ROWS_AT_MOST * (len(before.bold) - 1)
    return (bold_names and table.bold[:1] == (False,)) or _data_of(before, table.rows[0])


def _data_of(before: _Table, row: list[str]) -> bool:
    """Whether a row holds, in a column, a value that column holds in a row of `before` under its names."""
    names = before.rows[0]
    return any(
        cell and cell != names[c] and any(c < len(other) and other[c] == cell for other in before.rows[1:])
        for c, cell in enumerate(row)
        if c < len(names)
    )


def _spanned_down(
    texts: list[list[str]], cells: list[list[Box | None]], spans: list[tuple[float, float]]
) -> list[list[str]]:
    """The cells' texts with a cell spanning rows read in each of them, as the docx and web page readers read it
    ("Route" over two header rows names the column in both): where a row has no cell in a column, the nearest
    cell above it in that column whose box reaches down past the row's middle. A cell merged from the left stays
    blank."""
    read = [list(row) for row in texts]
    for r in range(1, len(cells)):
        middle = sum(spans[r]) / 2
        for c, cell in enumerate(cells[r]):
            if cell is not None:
                continue
            above = next((k for k in range(r - 1, -1, -1) if c < len(cells[k]) and cells[k][c]), None)
            reaching = cells[above][c] if above is not None else None
            if above is not None and reaching is not None and reaching[1] < middle:
                read[r][c] = read[above][c]
    return read


@dataclass
class _Line:
    """Where a line of a page begins in the page's text, the bottom of its first glyph, its left and right edges
    (of its first and last glyphs) and its font sizes."""

    start: int
    bottom: float
    left: float
    right: float
    sizes: Counter[float]

    @cached_property
    def size(self) -> float:
        """The size most of its characters are set in (an inline code word's smaller size does not count)."""
        return self.sizes.most_common(1)[0][0]


def _page_text(textpage: pdfium.PdfTextPage, tables: Sequence[_Table], chars: Sequence[str]) -> str:
    """The page's characters (`chars`: each one's text, `_char_texts`) in PDFium's order,
    with a space wherever a word gap was drawn as a move, a blank line between paragraphs (`_paragraph_starts`),
    and "~" and "^" for the spacing accents PostScript fonts set them as (GLYPHS); each of `tables` as a paragraph
    of its rows (`_Table.lines`) where its first character stands, its characters read there alone."""
    out: list[str] = []
    written: set[int] = set()  # the tables whose rows are in `out`
    lines: list[_Line] = []
    line_begins = True
    previous: tuple[float, float, float] | None = None  # right edge, baseline and font size of the last glyph
    raised: tuple[float, float] | None = None  # the baseline and size a raised mark (a note's "1") stands over
    held: list[str] = []  # the line end PDFium writes after a raised mark, until the next glyph tells
    for i, char in enumerate(chars):
        if raised is not None and char in ("\r", "\n"):
            held.append(char)
            continue
        if not char or char.isspace() or char == "\x02":
            out.append(char)
            previous = None if char != "\x02" else previous
            line_begins = line_begins or char == "\n"
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        inside = next((k for k, table in enumerate(tables) if table.holds(left, bottom, right, top)), None)
        if inside is not None:
            if inside not in written:
                written.add(inside)
                out.append("\n\n" + "\n".join(tables[inside].lines()) + "\n\n")
            line_begins, previous = True, None
            continue
        size = pdfium_c.FPDFText_GetFontSize(textpage, i)
        if raised is not None and abs(bottom - raised[0]) < 0.5 * raised[1]:
            raised, held = None, []  # back on the line the mark stood over: its line end was none
        elif held:
            raised, line_begins, previous = None, True, None
            out.extend(held)
            held = []
        if previous is not None and _raised_mark(previous, bottom, size) and WORD_END.search("".join(out[-2:])):
            raised = (previous[1], previous[2])
            out.append(" ")  # "Zandvoortsen1" was one word to search
            previous = None
        elif previous is not None and _raised_mark((right, bottom, size), previous[1], previous[2]):
            out.append(" ")  # a note's own mark at its start ("1Zandvoortsen retired")
            previous = None
        if line_begins:
            lines.append(_Line(len(out), bottom, left, right, Counter()))
            line_begins = False
        lines[-1].sizes[round(size, 1)] += 1
        lines[-1].right = max(lines[-1].right, right)
        if previous is not None:
            last_right, last_bottom, last_size = previous
            scale = max(size, last_size)
            if abs(bottom - last_bottom) < 0.5 * scale and left - last_right > WORD_GAP * scale:
                out.append(" ")
        out.append(char)
        previous = (right, bottom, size)
    texts = ["".join(out[line.start : following.start]).rstrip() for line, following in itertools.pairwise(lines)]
    clear, spaced, moved = _paragraph_starts(lines)
    goes_on = {
        i
        for i in spaced | moved
        if MID_SENTENCE.search(texts[i - 1])
        and out[lines[i].start].islower()
        and (i not in moved or " " in texts[i - 1].strip())  # a column of single words is a list, no sentence
    }
    for index in sorted(clear | ((spaced | moved) - goes_on) | _after_short_lines(lines, texts), reverse=True):
        out.insert(lines[index].start, "\n")
    return "".join(out).translate(GLYPHS)


def _raised_mark(before: tuple[float, float, float], bottom: float, size: float) -> bool:
    """Whether a glyph (its baseline, font size) stands raised over the glyph `before` (right edge, baseline,
    size): set smaller than RAISED_SIZE of it and above its baseline by a quarter of its size: a footnote's mark
    as LibreOffice and Word set it."""
    return size < RAISED_SIZE * before[2] and bottom > before[1] + 0.25 * before[2]


def _columns(lines: list[_Line]) -> list[int]:
    """Each line's column: lines of one font size whose left edges lie within half that size of the next."""
    found = [0] * len(lines)
    column = 0
    by_edge = sorted(range(len(lines)), key=lambda i: (lines[i].size, lines[i].left))
    for previous, index in zip([None, *by_edge], by_edge, strict=False):
        earlier = lines[previous] if previous is not None else None
        line = lines[index]
        if earlier is None or earlier.size != line.size or line.left - earlier.left >= 0.5 * line.size:
            column += 1
        found[index] = column
    return found


def _after_short_lines(lines: list[_Line], texts: list[str]) -> set[int]:
    """The lines after one that ends a sentence short of its column's width (under SHORT_LINE of the widest
    lines of its column, `_columns`, at the 90th percentile): a paragraph's last line, where the page sets no
    space between paragraphs (the Debian Handbook's PDFs). `texts`: each line's text but the last's."""
    columns = _columns(lines)
    widths: dict[int, list[float]] = {}
    for line, column in zip(lines, columns, strict=True):
        widths.setdefault(column, []).append(line.right - line.left)
    full = {column: sorted(found)[(len(found) * 9) // 10] for column, found in widths.items() if len(found) >= 3}
    starts = set()
    for index, (line, text) in enumerate(zip(lines, texts, strict=False), start=1):
        width = full.get(columns[index - 1])
        if width is None or not SENTENCE_END.search(text):
            continue
        if line.right - line.left < SHORT_LINE * width and abs(lines[index].bottom - line.bottom) > 0.5 * line.size:
            starts.add(index)
    return starts


def _paragraph_starts(lines: list[_Line]) -> tuple[set[int], set[int], set[int]]:
    """The lines that begin a paragraph, told by how the page sets them, in three sets: clearly (a change of font
    size by more than SIZE_CHANGE, a heading or code), by a space (a step down more than PARAGRAPH_GAP times the
    usual one, in font sizes) and by a move (a step up, to a new column or box); a sentence may go on across a
    space or a move (MID_SENTENCE: a column's last line "from the first of June," and the next's first "after the
    retirement"; not a column of single words, a list). The
    usual step is that of lines of the same size (the lower quartile of their steps: on a page of short
    paragraphs, most steps are between them), so single-spaced footnotes do not make a 1.5-spaced text's every
    line a paragraph.
    A line at the same height as the one before goes on with it."""
    steps = [(earlier.bottom - line.bottom) / line.size for earlier, line in itertools.pairwise(lines)]
    by_size: dict[float, list[float]] = {}
    for step, (earlier, line) in zip(steps, itertools.pairwise(lines), strict=True):
        if 0.5 < step < 2.5 and earlier.size == line.size:
            by_size.setdefault(line.size, []).append(step)
    everywhere = sorted(step for found in by_size.values() for step in found)
    if len(everywhere) < 3:
        return set(), set(), set()  # too few lines to tell their spacing
    clear, spaced, moved = set(), set(), set()
    for index, (step, earlier, line) in enumerate(zip(steps, lines, lines[1:], strict=False), start=1):
        if abs(step) <= 0.5:
            continue
        own = sorted(by_size.get(line.size, []))
        usual = (own if len(own) >= 3 else everywhere)[len(own if len(own) >= 3 else everywhere) // 4]
        resized = abs(line.size - earlier.size) > SIZE_CHANGE * max(line.size, earlier.size)
        if resized:
            clear.add(index)
        elif step < 0:
            moved.add(index)
        elif step > PARAGRAPH_GAP * usual:
            spaced.add(index)
    return clear, spaced, moved


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionError("the PDF is password-protected; save an unprotected copy") from exc
        raise ExtractionError(f"the PDF is damaged or unreadable ({exc}); re-export or re-download it") from exc


def _pages(data: bytes) -> tuple[list[_Page], dict[str, str]]:
    """Each page's text layer and whether it holds an image, and the document's information dictionary."""
    with _PDFIUM:
        document = _open(data)
        ruled = _RuledTables(data)
        try:
            return [_read_page(document, i, ruled) for i in range(len(document))], document.get_metadata_dict(True)
        finally:
            ruled.close()
            document.close()


def _grid(boxes: list[Box]) -> bool:
    """Whether a page's drawn paths may be a ruled table's: TABLE_RULES vertical rules, or four boxes in two
    rows and two columns (two boxes of one left edge and width at two places, top and height, where two others
    of another left edge and width are too)."""
    if sum(right - left <= RULE and top - bottom > 2 * RULE for left, bottom, right, top in boxes) >= TABLE_RULES:
        return True
    columns: dict[tuple[int, int], set[tuple[int, int]]] = {}
    for left, bottom, right, top in boxes:
        if right - left > CELL and top - bottom > 2 * RULE:
            columns.setdefault((round(left), round(right - left)), set()).add((round(top), round(top - bottom)))
    tall = [(column, places) for column, places in columns.items() if len(places) >= 2]
    return any(
        len(a & b) >= 2 and (x + w <= y + RULE or y + v <= x + RULE)  # side by side, not a box over its fill
        for ((x, w), a), ((y, v), b) in itertools.combinations(tall, 2)
    )


class _RuledTables:
    """pdfplumber's ruled tables of a PDF's pages, and pdfminer's text for the glyphs PDFium reads none for
    (`glyph`); its parse of the file made at the first page asked about."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pdf: pdfplumber.PDF | None = None
        self.failed = False
        self.open: tuple[int, _Table] | None = None  # a page's last table, where only page furniture follows it
        self.fonts: tuple[int, dict[str, list[PDFFont]]] | None = None  # a page's fonts by name, as pdfminer reads

    def _parsed(self) -> pdfplumber.PDF | None:
        """pdfplumber's parse of the file; None where it cannot open it."""
        if self.pdf is None and not self.failed:
            try:
                self.pdf = pdfplumber.open(io.BytesIO(self.data))
            except Exception as exc:  # pdfminer's errors have no common base; PDFium reads the text anyway
                self.failed = True
                log.info("PDF not parsed by pdfplumber (%s); PDFium's text is read alone", type(exc).__name__)
        return self.pdf

    def glyph(self, index: int, font: str, code: int) -> str | None:
        """pdfminer's text for the glyph of character code `code` in the font named `font` on page `index` (its
        ToUnicode map, else its encoding's glyph names by the Adobe glyph list: "f_f_i" is "ffi"); None where it
        reads none, or where fonts of that name on the page read the code apart."""
        if self.fonts is None or self.fonts[0] != index:
            self.fonts = (index, self._fonts_of(index))
        read = set()
        for found in self.fonts[1].get(font, []):
            try:
                read.add(found.to_unichr(code).translate(LIGATURES))
            except Exception:  # PDFUnicodeNotDefined, or a malformed map
                return None
        text = read.pop() if len(read) == 1 else ""
        return text if text and text.isprintable() else None

    def _fonts_of(self, index: int) -> dict[str, list[PDFFont]]:
        """The fonts of page `index` and of the forms it draws (two deep), by name; none where pdfminer cannot
        read the page."""
        pdf = self._parsed()
        found: dict[str, list[PDFFont]] = {}
        if pdf is None:
            return found
        try:
            _fonts_in(pdf.pages[index].page_obj.resources, PDFResourceManager(), found)
        except Exception as exc:
            log.info("PDF fonts on page %d not read (pdfminer: %s)", index + 1, type(exc).__name__)
        return found

    def on(self, index: int, textpage: pdfium.PdfTextPage, chars: Sequence[str]) -> list[_Table]:
        """The tables on page `index` that read as tables (`_read_table`); none where pdfplumber cannot read the
        page (the page's text is read as if it had no table), nor on any page of a file it cannot open. A table
        that a page ends with and the next page starts with, in the same columns, is one: where the next page
        does not repeat its column names, its rows are read under them (`_carried_on`). `chars`: each character's
        text (`_char_texts`)."""
        tables = self._found(index, textpage, chars)
        return self._carried_on(index, tables) if tables else tables

    def _carried_on(self, index: int, tables: list[_Table]) -> list[_Table]:
        """`tables` with the first (the highest on the page) under the column names of the table the page before
        ended with, where it goes on with that table's columns (`_continues`) and no more than EDGE_LINES lines
        (a running head) stand above it; remembers the page's last table where at most EDGE_LINES lines (a page
        number) stand below it."""
        first = max(range(len(tables)), key=lambda k: tables[k].box[3])
        open_, self.open = self.open, None
        carried = open_ is not None and open_[0] == index - 1 and _continues(open_[1], tables[first])
        if carried and open_ is not None and tables[first].beside[0] <= EDGE_LINES:
            going_on = tables[first]
            tables[first] = replace(going_on, rows=[open_[1].rows[0], *going_on.rows], bold=(True, *going_on.bold))
        last = min(tables, key=lambda table: table.box[1])
        if last.beside[1] <= EDGE_LINES:
            self.open = (index, last)
        return tables

    def _found(self, index: int, textpage: pdfium.PdfTextPage, chars: Sequence[str]) -> list[_Table]:
        """The page's tables as pdfplumber finds them and PDFium's text reads them (`_read_table`)."""
        pdf = self._parsed()
        if pdf is None:
            return []
        try:
            page = pdf.pages[index]
            try:
                found = page.find_tables()
                height = page.height
            finally:
                page.close()  # its parsed layout, kept else until the file is closed (MBs a page)
        except Exception as exc:
            log.info("PDF tables on page %d not read (pdfplumber: %s)", index + 1, type(exc).__name__)
            return []

        def flipped(box: tuple[float, float, float, float]) -> Box:  # pdfplumber's top-down y, as PDFium's
            x0, top, x1, low = box
            return (x0, height - low, x1, height - top)

        tables = (
            _read_table(
                textpage,
                flipped(table.bbox),
                [[cell and flipped(cell) for cell in row.cells] for row in table.rows],
                chars,
            )
            for table in found
        )
        return [table for table in tables if table is not None]

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _fonts_in(resources: object, fonts: PDFResourceManager, found: dict[str, list[PDFFont]], depth: int = 2) -> None:
    """Adds the fonts of a resource dictionary, and of the forms it holds down to `depth`, to `found` by name."""
    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return
    named = resolve1(resources.get("Font"))
    for ref in named.values() if isinstance(named, dict) else ():
        spec = resolve1(ref)
        if isinstance(spec, dict):
            font = fonts.get_font(getattr(ref, "objid", None), spec)
            found.setdefault(font.basefont, []).append(font)
    forms = resolve1(resources.get("XObject"))
    for ref in forms.values() if depth and isinstance(forms, dict) else ():
        form = resolve1(ref)
        if isinstance(form, PDFStream) and form.get("Subtype") is LITERAL_FORM:
            _fonts_in(form.get("Resources"), fonts, found, depth - 1)


def _char_texts(textpage: pdfium.PdfTextPage, glyph: Callable[[str, int], str | None] | None = None) -> list[str]:
    """Each of the page's characters' text: PDFium's; for a glyph it reads no Unicode for, `glyph(its font's name,
    its code)` (pdfminer's, `_RuledTables.glyph`) where not None; "" for a control character or U+FFFD (NO_TEXT),
    but for PDFium's mark of a line-end hyphen (U+0002)."""
    texts = []
    name = ctypes.create_string_buffer(FONT_NAME)
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        if 0x20 <= code < 0x7F:  # ASCII as PDFium reads it: not checked, a call a glyph (most of a text)
            texts.append(chr(code))
            continue
        char = chr(code) if code else ""
        if glyph is not None and pdfium_c.FPDFText_HasUnicodeMapError(textpage, i) == 1:
            font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(textpage, i))
            size = pdfium_c.FPDFFont_GetBaseFontName(font, name, FONT_NAME) if font else 0
            found = glyph(name.value.decode("latin-1"), code) if 0 < size <= FONT_NAME else None
            if found is not None:
                char = found
            elif char == "\x02":  # the glyph of code 2, not PDFium's mark of a line-end hyphen
                char = ""
        texts.append(NO_TEXT.sub("", char))
    return texts


def _read_page(document: pdfium.PdfDocument, index: int, ruled: _RuledTables) -> _Page:
    try:
        page = document[index]
    except pdfium.PdfiumError:
        return _Page(None)
    textpage = page.get_textpage()
    try:
        images = [image.get_metadata() for image in page.get_objects([pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)]
        dpi = max((image.horizontal_dpi for image in images), default=None)
        boxes = [path.get_bounds() for path in page.get_objects([pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)]
        chars = _char_texts(textpage, lambda font, code: ruled.glyph(index, font, code))
        if unread := sum(not char and not pdfium_c.FPDFText_IsGenerated(textpage, i) for i, char in enumerate(chars)):
            log.info("PDF page %d: %d glyphs of no Unicode left out", index + 1, unread)
        tables = ruled.on(index, textpage, chars) if page.get_rotation() == 0 and _grid(boxes) else []
        return _Page(_rejoined(_page_text(textpage, tables, chars)), dpi)
    finally:
        textpage.close()
        page.close()


@cache
def _english() -> SpellChecker:
    return SpellChecker(language="en", distance=1)


def _rejoined(text: str) -> str:
    """The text with each line-end hyphen PDFium marks (`LINE_END_HYPHEN`) read back: a hyphenation's word joined
    ("infor-" over "mation": "information"), a compound's hyphen kept on one line ("waffle-iron"). A compound
    where the next line goes on in a capital ("Ashworth-" over "Rudd"), or where the joined word is no English
    word (pyspellchecker's list) nor written elsewhere on the page, and its parts are words or the page writes it
    with its hyphen elsewhere; as poppler and PDFium read it, joined otherwise (a word of another language:
    "Handels-" over "abkommen")."""
    if "\x02" not in text:
        return text
    lowered = text.lower()
    words = set(re.findall(r"\w+", lowered))

    def read(match: re.Match[str]) -> str:
        before, after = match.group(1), match.group(2)
        joined, compound = f"{before}{after}", f"{before}-{after}"
        if not before or not after or not before.isalpha() or not after.isalpha():
            return joined
        if after[0].isupper():  # a hyphenation goes on in lower case: "Ashworth-" over "Rudd" is a name's hyphen
            return compound
        english = _english()
        if joined.lower() in words or joined.lower() in english:
            return joined
        parts = before.lower() in english and after.lower() in english
        return compound if parts or compound.lower() in lowered else joined

    return LINE_END_HYPHEN.sub(read, text)


def _ocr_page(data: bytes, index: int, dpi: int, media: Media) -> str:
    """The text OCR reads on the page rendered at `dpi` (a page of A4 at 300 dpi: 2480 x 3508 pixels)."""
    with _PDFIUM:
        document = _open(data)
        try:
            page = document[index]
            image = page.render(scale=dpi / 72).to_pil()
            page.close()
        finally:
            document.close()
    return ocr_image(image, media.ocr_engine, media.ocr_language)


def _read_scans(data: bytes, pages: list[_Page], path: PurePath, media: Media) -> dict[int, str]:
    """OCR text of the pages that need it, by page index; a progress line every page after the first. Between
    two scanned pages it stops (raises Interrupted, keeping the pages read in _paused) when other changes wait;
    asked again for the same PDF with the same OCR settings, it goes on from the first page not read."""
    scanned = [i for i, page in enumerate(pages) if page.needs_ocr()]
    digest = f"{hashlib.sha256(data).hexdigest()} {media.ocr_engine} {media.ocr_language}"
    texts = _paused.take(path, digest) or {}
    if texts:
        log.info("Going on with OCR of %s: %d of %d scanned pages were read", path, len(texts), len(scanned))
    started = time.monotonic()
    try:
        for done, index in enumerate(scanned, start=1):
            if index in texts:
                continue
            SLOW_WORK.report(path, f"OCR of {path.name}, page {index + 1} ({done} of {len(scanned)} scanned)")
            texts[index] = _ocr_page(data, index, pages[index].ocr_dpi(), media)
            if len(scanned) > 1:
                elapsed = time.monotonic() - started
                log.info("OCR of %s: %d of %d scanned pages, %.0f s", path, done, len(scanned), elapsed)
            if done < len(scanned):
                try:
                    stop_if_others_wait()
                except Interrupted:
                    _paused.keep(path, digest, texts)
                    log.info("Paused OCR of %s after page %d: newer changes first", path, index + 1)
                    raise
    finally:
        SLOW_WORK.finish(path)
    return texts


def _is_furniture(line: str, repeated: set[str]) -> bool:
    return line in repeated or PAGE_NUMBER.fullmatch(line) is not None


def _repeated_edges(pages: list[list[str] | None]) -> set[str]:
    """Lines at the top or bottom edge of at least half the pages read from text (3 or more; None: a scan) that
    are the same on each, or the same but for the page's own number (`_page_number`): running heads and
    footers. A line that differs otherwise ("Budget: 400 NOK"), is one word and a number ("Day 2") or a
    sentence ("Walk to the harbour number 3.") is content. Where every page counts itself among all ("2/2": a
    page printed from a browser), two pages are enough; a page of one, its browser's header and footer alone."""
    read = [(page, lines) for page, lines in enumerate(pages) if lines is not None]
    if len(pages) == len(read) == 1:
        return _printed_by_a_browser(read[0][1])
    edges = [(page, set(lines[:EDGE_LINES] + lines[-EDGE_LINES:])) for page, lines in read]
    numbered: dict[tuple[str, int], set[str]] = {}  # (the line less its page number, number - page) -> lines
    counted: set[int] = set()  # the pages whose edge says "page N of all"
    for page, lines in edges:
        for line in lines:
            if (number := _page_number(line)) is not None and abs(number[1] - page) <= MAX_PAGE_OFFSET:
                numbered.setdefault((number[0], number[1] - page), set()).add(line)
                if number[1:] == (page + 1, len(pages)):  # "2/4" on the second of four pages
                    counted.add(page)
    if len(read) < 3 and not (len(read) == len(pages) == len(counted) == 2):
        return set()
    least = 2 if len(read) == 2 else max(3, len(read) / 2)
    if len(read) == 2:  # printed from a browser: its header and footer stand at the same place on both pages
        at = [
            dict.fromkeys([*enumerate(lines[:EDGE_LINES]), *enumerate(lines[-EDGE_LINES:], -EDGE_LINES)])
            for _, lines in read
        ]
        found = {line for place, line in at[0] if (place, line) in at[1]}
    else:
        exact = Counter(line for _, lines in edges for line in lines)
        found = {line for line, count in exact.items() if count >= least}
    return found | {line for lines in numbered.values() if len(lines) >= least for line in lines}


def _printed_by_a_browser(lines: list[str]) -> set[str]:
    """The header and footer a browser printed on a page of one: a date and time before the page's title and an
    address before "1/1", both at the page's edges (PDFium may read the header after the page's text); nothing
    where either is missing (a note opening "12/5/26, 9:45 AM Boiler serviced" keeps its line)."""
    edge = lines[:EDGE_LINES] + lines[-EDGE_LINES:]
    stamps = [line for line in edge if BROWSER_STAMP.fullmatch(line)]
    addresses = [line for line in edge if BROWSER_ADDRESS.fullmatch(line)]
    return {stamps[0], addresses[0]} if stamps and addresses else set()


def _page_number(line: str) -> tuple[str, int, int | None] | None:
    """(the line less it, the number, of how many or None) where a line starts or ends with a number, or a count "2/4"
    or "2 of 4", beside two or more words and does not end a sentence ("TAR July 13, 2020 9", "12 The Debian
    Administrator's Handbook"). It is a page's number where it runs with the page, at most MAX_PAGE_OFFSET
    above or below the page's place in the file (`_repeated_edges`: "Invoice No. 1041" on the first page is not;
    "Debian New Maintainers' Guide 3 / 57" on the eighth page, after pages numbered i to vi, is)."""
    match = EDGE_NUMBER.fullmatch(line)
    if match is None or line.endswith((".", "!", "?")):
        return None
    first = match["first"] is not None
    number, rest = (match["first"], match["after"]) if first else (match["last"], match["before"])
    of = match["first_of"] if first else match["last_of"]
    if len(WORDS.findall(rest)) < 2:
        return None
    return rest, int(number), None if of is None else int(of)


def _blocks(text: str) -> list[list[str]]:
    """A page's paragraphs, each its lines (stripped, blank ones left out)."""
    paragraphs = (block.splitlines() for block in re.split(r"\n\s*\n", text))
    return [lines for lines in ([line.strip() for line in block if line.strip()] for block in paragraphs) if lines]


def _without(blocks: list[list[str]], left_out: set[int]) -> str:
    """The paragraphs apart by a blank line, without the lines of `left_out` (their places among all lines)."""
    kept: list[str] = []
    place = 0
    for block in blocks:
        lines = [line for i, line in enumerate(block, start=place) if i not in left_out]
        place += len(block)
        if lines:
            kept.append("\n".join(lines))
    return "\n\n".join(kept)


def _abbreviated(before: str) -> bool:
    """Whether a full stop after `before` marks an initial or a title, no sentence's end ("A.M. Kuchling", "e.g.",
    "Dr. Lind")."""
    word = re.search(r"(\w+)\W*$", before)
    return word is not None and (len(word.group(1)) == 1 or word.group(1) in TITLE_ABBREVIATIONS)


def _sentences_across_pages(texts: list[str]) -> list[str]:
    """The pages' texts, where one ends inside a sentence (CUT_AT: its last line ends in a comma, a hyphen or a
    colon, or in a word before a next page starting in lower case) with the next page's words up to that
    sentence's end (or its first paragraph, where that has no sentence end; never a numbered heading, "1.2
    Programs needed") moved to it. A chunk never crosses a page (chunk.py), so "The | rest of the configuration
    is located in ..." or "Author: | A.M. Kuchling" was read as two halves, each without what the other says.
    The moved words are cited by the page their sentence starts on. A next page whose first sentence is longer
    than CARRIED_AT_MOST characters (code) keeps it, as does a table going on over the page (ROW_LINE). In the
    22 PDFs of bench/notes/, 105 of 253 page breaks fell inside a paragraph."""
    texts = list(texts)
    for i in range(len(texts) - 1):
        ends, follows = texts[i].rstrip(), texts[i + 1].lstrip()
        if not ends or not follows or NUMBERED_HEADING.match(follows):
            continue
        if not (CUT_AT.search(ends) or (CUT_AT_WORD.search(ends) and follows[0].islower())):
            continue
        if ROW_LINE.match(ends.rsplit("\n", 1)[-1]) or ROW_LINE.match(follows):
            continue  # a table going on: its rows are no sentence
        first = re.split(r"\n[ \t]*\n", follows, maxsplit=1)[0]
        ends_here = (m.end() for m in SENTENCE_ENDS_HERE.finditer(first) if not _abbreviated(first[: m.start()]))
        cut = next(ends_here, len(first))
        if cut <= CARRIED_AT_MOST:
            texts[i], texts[i + 1] = f"{ends}\n{follows[:cut]}", follows[cut:].lstrip()
    return texts


def extract_pdf(data: bytes, path: PurePath, media: Media = DEFAULT_MEDIA) -> Extracted:
    """Raises ExtractionError for a damaged or password-protected PDF, or one with no text, by OCR neither.
    Raises Interrupted when other changes wait between two scanned pages (base.yielding_to): asked again for
    the same PDF, its OCR goes on from there; a changed PDF starts over."""
    pages, info = _pages(data)
    scans = _read_scans(data, pages, path, media)
    lines_of = [[line.strip() for line in (page.text or "").splitlines() if line.strip()] for page in pages]
    blocks_of = [_blocks(page.text or "") for page in pages]
    repeated = _repeated_edges([None if i in scans else lines for i, lines in enumerate(lines_of)])
    texts: list[str] = []
    for number, lines in enumerate(lines_of, start=1):
        if number - 1 in scans:
            texts.append(scans[number - 1].strip())
        else:
            edge = set(range(min(EDGE_LINES, len(lines)))) | set(range(max(len(lines) - EDGE_LINES, 0), len(lines)))
            furniture = {i for i in edge if _is_furniture(lines[i], repeated)}
            texts.append(_without(blocks_of[number - 1], furniture))
    sections: list[Section] = []
    offset = 0
    for number, text in enumerate(_sentences_across_pages(texts), start=1):
        if text:
            heading = (OCR_HEADING,) if number - 1 in scans else ()
            sections.append(Section(text=text, heading=heading, page=number, start=offset))
            offset += len(text) + 2
    warnings = [
        f"page {number} could not be read; the other pages were"
        for number, page in enumerate(pages, 1)
        if page.text is None
    ]
    if not sections:
        reason = "no page could be read" if warnings else "no text found in the PDF, by OCR neither (blank pages?)"
        raise ExtractionError(reason)
    title = info.get("Title", "").strip()
    title = None if FILE_NAME_TITLE.search(title) else title or None  # the file's name is the title then
    author = info.get("Author", "").strip()
    return Extracted(sections=sections, title=title, metadata={"author": author} if author else {}, warnings=warnings)

"""HTML via trafilatura, a maintained main-content extractor: the text a reader sees in the page's main part,
in reading order, whatever element holds it (<div>s too); navigation, scripts, styles, headers and footers
left out. Its XML output keeps the structure: headings become the heading path, lists stay lists, tables
become rows with their header (extract.base.table_lines).

Chosen by measurement (bench/extract_bench.py, bench/RESULTS.md). Steps before it: what a browser hides is
dropped (and a heading's permalink "¶"), less what a button or link on the page opens, which is read with
the button's text (a collapsed FAQ answer under its question); and, as readability does, a <div> that holds
text but no block is a paragraph and text loose beside blocks is a paragraph of its own, since trafilatura
reads text only from paragraph-like elements and dropped such text; before that, a box beside the text (a
sidebar, an <aside>) that is mostly not links is made a plain <div>, since trafilatura drops every one as
navigation. A page it finds no main content in is read whole with its plain-text fallback
(trafilatura.html2txt).
"""

from __future__ import annotations

import logging
import re
from copy import deepcopy
from dataclasses import replace
from pathlib import PurePath

import trafilatura
from lxml import etree, html
from trafilatura.settings import use_config
from trafilatura.utils import RE_FILTER as SHARE_BUTTON  # the text trafilatura drops as a share button's

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import (
    Extracted,
    Row,
    Section,
    SectionBuilder,
    decode_text,
    first_heading,
    table_lines,
)
from foldermind.indexer.extract.stylesheet import Cascade, boxed, cascade, hidden_by_style

logging.getLogger("trafilatura").setLevel(logging.ERROR)

TEXT = {"p", "quote"}  # trafilatura's elements of running text; a block of code is a <code> (inline ones sit in a <p>)
STRUCTURE = {"head", "p", "list", "table", "quote"}
# A table is a table of data, read as rows, where two cells of text stand side by side (in two rows, or in one whose
# cells hold a paragraph each) and no cell holds more than paragraphs of this many characters in all: a cell of
# Word's or LibreOffice's "Save as HTML" is a <p>, and trafilatura makes a <p> of a cell's line after <br>. Else (a
# heading, a list or a nested table in a cell, or a cell of longer text: an old page's columns) it lays out a page
# and is read cell by cell.
DATA_CELL_AT_MOST = 400
# HTML's block-level elements: a <div> holding none of them is a paragraph of text.
BLOCK_TAGS = set(
    "address article aside blockquote center dd details dialog div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
# Blocks that trafilatura reads only through the paragraphs inside them: holding text and no block, their text
# is one (<section>Gate code 4417</section> was dropped). A page's header, footer, nav and forms stay boilerplate.
SECTIONING = {"article", "body", "center", "main", "section"}
MENU_LINKS = 3  # links alone in a table cell that make it a menu (`_link_cells_emptied`)
NOT_WORD = re.compile(r"\W+")
HEADINGS = ".//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6"
CODE_ANCESTOR = "ancestor-or-self::*[self::code or self::pre or self::kbd or self::samp or self::tt or self::var]"
BOLD_TEXT = ".//b//text() | .//strong//text()"  # a cell's text set in bold
MAX_SPAN = 1000  # a rowspan or colspan beyond this is taken as this (a bad value must not copy a cell a million times)
DOCUMENT = re.compile(r"<(?:html|body)\b", re.IGNORECASE)
# Put before the text of a row's leading <th> in a table of row headers (`_row_headers`): trafilatura marks only the
# first row's <th> as a header cell. Taken out of every text read; trafilatura drops private-use characters.
ROW_HEAD = "\u27e6row-head\u27e7"
# Put before the text of the first cell of a row of <th> cells under the first (a header of two rows: "2024" over
# "Q1" and "Q2"), which trafilatura reads as a row of data (`_header_rows`). Taken out as ROW_HEAD is.
HEAD_ROW = "\u27e6head-row\u27e7"
# Put before a data cell's text once for each column it spans past its own (colspan): trafilatura pads the row
# with blank cells after it, which are then known for its columns, not blank values (`_row`). Taken out as
# ROW_HEAD is.
ACROSS = "\u27e6across\u27e7"
# Put between two line breaks in a row (<br><br>), which a browser shows as a blank line: a paragraph ends there
# (`_double_breaks`). Taken out as ROW_HEAD is, and where a paragraph is read, it is cut there.
PARAGRAPH_BREAK = "\u27e6paragraph\u27e7"
# Put after a table cell's text that trafilatura drops as a share button's (its RE_FILTER: "Email", "Mail", "PDF",
# "Print", "Google"), so that a column so named or so filled keeps its place (`_cells_kept`). Taken out as ROW_HEAD is.
KEPT = "\u27e6kept\u27e7"
# A box beside the text: HTML's <aside> (docutils' and Sphinx's sidebars and footnotes), and the "sidebar" class
# of DocBook (the Debian Handbook's "COMMUNITY", "CULTURE" boxes) and Asciidoctor. trafilatura drops them all.
BOXES = (
    "//aside | //*[self::div or self::section][contains(concat(' ', normalize-space(@class), ' '), ' sidebar ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' sidebarblock ')]"
)
# A grid of <div>s laid out as a table by a style sheet (a flex or grid row of cells; `_div_grids`): rows of
# GRID_CELLS short cells, of GRID_CELL_AT_MOST characters at most, none a sentence; a first row that names the
# columns has names of HEADER_WORDS words at most.
GRID_CELLS = range(2, 9)
GRID_CELL_AT_MOST = 60
HEADER_WORDS = 4
SENTENCE_END = (".", "!", "?")
GRID_ROLES = {"cell", "gridcell", "columnheader", "rowheader"}
# A control on the page that opens what it hides (`_opened`), and in its script (`onclick`), an id it names and
# words by which it shows something (where it names no element, the one right after it is what it shows)
CONTROLS = (
    "//*[@aria-controls or @data-target or @data-bs-target or @onclick or @aria-expanded]"
    " | //a[starts-with(@href, '#')]"
)
QUOTED = re.compile(r"""['"]#?([\w:.-]+)['"]""")
# A control's script that shows something (not one that only hides: a notice's "Dismiss" adding "hidden")
SHOWING_SCRIPT = re.compile(
    r"toggle|show|expand|slidedown|fadein|remove\w*\(\s*['\"][\w-]*(?:hid|collapse)|display\s*=\s*['\"](?!none)"
    r"|visibility\s*=\s*['\"](?!hidden)|hidden\s*=\s*false",
    re.IGNORECASE,
)
BOX_LINKS_AT_MOST = 0.5  # share of a box's text in links past which it is navigation (readability's cut for a block)
# trafilatura's defaults are for web pages: it gives up on a page under 250 characters of main text (a
# "too short" page), and personal notes are often that short. Every size limit is off; boilerplate rules stay.
CONFIG = use_config()
for _option in ("MIN_EXTRACTED_SIZE", "MIN_OUTPUT_SIZE", "MIN_FILE_SIZE"):
    CONFIG.set("DEFAULT", _option, "0")


def _unmarked(text: str) -> str:
    for mark in (ROW_HEAD, HEAD_ROW, PARAGRAPH_BREAK, ACROSS, KEPT):
        text = text.replace(mark, "")
    return text


def _text(element: etree._Element) -> str:
    """The element's text with its <lb/> line breaks, spaces collapsed on each line."""
    return _lines(_with_breaks(element))


def _with_breaks(element: etree._Element) -> str:
    """The element's text as it stands, an <lb/> a line break."""
    for line_break in element.iter("lb"):
        line_break.text = "\n"
    return "".join(element.itertext())


def _lines(text: str) -> str:
    """The text's lines, spaces collapsed, without empty ones and the marks put in before trafilatura read it."""
    lines = (" ".join(line.split()) for line in _unmarked(text).split("\n"))
    return "\n".join(line for line in lines if line)


def _paragraphs(element: etree._Element, builder: SectionBuilder) -> None:
    """The element's text (`_text`) as paragraphs, cut where it had <br><br> (`PARAGRAPH_BREAK`)."""
    for paragraph in filter(None, map(_lines, _with_breaks(element).split(PARAGRAPH_BREAK))):
        builder.paragraph(paragraph)


def _code_text(element: etree._Element) -> str:
    """A code block's text with its lines and their indentation (a Python block's body, a config's nesting)."""
    lines = [line.rstrip() for line in _unmarked("".join(element.itertext())).expandtabs(8).split("\n")]
    return "\n".join(line for line in lines if line)


def _row(row: etree._Element) -> Row:
    """A trafilatura table row: its cells' texts, which of them were header cells (<th>), and which columns a
    cell spanning them holds (marked ACROSS by `_spans_across`)."""
    cells = list(row.iterchildren("cell"))
    heads = [cell.get("role") == "head" or _text_of(cell).startswith(ROW_HEAD) for cell in cells]
    header = all(heads) or (bool(cells) and _text_of(cells[0]).startswith(HEAD_ROW))
    merged = {i + k for i, cell in enumerate(cells) for k in range(1, _text_of(cell).count(ACROSS) + 1)}
    texts = [_cell_text(cell) for cell in cells]
    labels = frozenset(i for i, head in enumerate(heads) if head) if not header else frozenset()
    return Row(
        texts, header=header, labelled=heads[:1] == [True] and not header, merged=frozenset(merged), labels=labels
    )


def _cell_text(cell: etree._Element) -> str:
    """A cell's text on one line, its paragraphs and lines apart by a space, as a Word or OpenDocument table's
    cell is read (extract.docx, extract.odf)."""
    for block in cell.iterdescendants(*STRUCTURE):
        block.text, block.tail = f" {block.text or ''}", f" {block.tail or ''}"
    return " ".join(_text(cell).split())


def _has_blocks(element: etree._Element) -> bool:
    return any(node.tag in STRUCTURE for node in element.iterdescendants())


def _list_lines(element: etree._Element, depth: int = 0) -> list[str]:
    """A list's items as "- item" lines, an item's further lines (its second paragraph) indented under it and a
    list in it one level deeper. A definition list (<dl>) sets each term on a line of its own and its
    definition's lines indented under it, as a manual page sets an option and its description (a glossary's
    "Quorum", a git page's "--verbose"): read as items, a term and its definition were two unrelated lines."""
    definitions = element.get("rend") == "dl"
    lines: list[str] = []
    indent = "  " * depth
    for item in element.iterchildren("item"):
        nested = list(item.iterchildren("list"))
        for sub in nested:
            item.remove(sub)
        if text := _text(item):
            first, *rest = text.split("\n")
            kind = item.get("rend", "")[:2] if definitions else "li"
            if kind == "dd":
                lines.extend(f"{indent}  {line}" for line in text.split("\n"))
            else:
                lines.append(f"{indent}{'- ' if kind == 'li' else ''}{first}")
                lines.extend(f"{indent}  {line}" for line in rest)
        for sub in nested:
            lines.extend(_list_lines(sub, depth + 1))
    return lines


def _data_table(table: etree._Element) -> bool:
    """Whether a trafilatura table holds data, read as rows (`DATA_CELL_AT_MOST`), rather than a page's layout."""
    rows = list(table.iterchildren("row"))
    filled = [sum(bool(_text_of(cell)) for cell in row.iterchildren("cell")) for row in rows]
    side_by_side = sum(count > 1 for count in filled)
    if side_by_side == 0:
        return False  # a box of one column (DocBook's "Note" beside an icon)
    if side_by_side == 1 and any(len(cell.findall("p")) > 1 for cell in table.iter("cell")):
        return False  # one row of columns of paragraphs: a page's layout ("Invoice total | 500 EUR" is data)
    for cell in table.iter("cell"):
        if any(node.tag in STRUCTURE - {"p"} for node in cell.iterdescendants()):
            return False
        if len(" ".join("".join(cell.itertext()).split())) > DATA_CELL_AT_MOST:
            return False
    return True


def _read(container: etree._Element, builder: SectionBuilder) -> None:
    """Blocks in document order into the builder; a table that holds blocks is page layout, read cell by cell.
    Text beside the blocks (a cell's line before its first paragraph) is a paragraph of its own."""
    if container.text and container.text.strip():
        builder.paragraph(" ".join(container.text.split()))
    for element in container.iterchildren():
        _read_block(element, builder)
        if element.tail and element.tail.strip():
            builder.paragraph(" ".join(element.tail.split()))


def _read_block(element: etree._Element, builder: SectionBuilder) -> None:
    """One block of trafilatura's XML into the builder (`_read`)."""
    tag = element.tag
    if tag == "head":
        rend = element.get("rend", "h2")
        level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 2
        if text := _text(element):
            builder.heading(level, text)
    elif tag == "code":
        if text := _code_text(element):
            builder.paragraph(text)
    elif tag in TEXT:
        _paragraphs(element, builder)
    elif tag == "list":
        if lines := _list_lines(element):
            builder.paragraph("\n".join(lines))
    elif tag == "table" and _has_blocks(element) and not _data_table(element):
        for cell in element.iter("cell"):
            if _has_blocks(cell):
                _read(cell, builder)
            elif text := _text(cell):
                builder.paragraph(text)
    elif tag == "table":
        if lines := table_lines([_row(row) for row in element.iterchildren("row")]):
            builder.paragraph("\n".join(lines))
    elif _has_blocks(element):
        _read(element, builder)
    else:
        _paragraphs(element, builder)


def _paragraphs_from_loose_text(tree: html.HtmlElement) -> None:
    """A <div> with text and no block inside becomes a <p>; in a <section>, <main> or <center> (`SECTIONING`)
    and in any element that holds blocks, each run of text and inline elements beside them ("Aptosid was known
    as <span>Sidux</span>, and" before a <div>) is wrapped in one <p>, as a browser lays it out in one line box:
    trafilatura reads only paragraph-like elements, and a loose <span> and the words around it would be dropped
    or cut apart."""
    for element in list(tree.iter(*BLOCK_TAGS, "body")):
        has_blocks = any(child.tag in BLOCK_TAGS for child in element)
        if element.tag == "div" and not has_blocks:
            if element.text_content().strip():
                element.tag = "p"
            continue
        if (has_blocks and element.tag != "p") or element.tag in SECTIONING:
            _wrap_inline_runs(element)


def _div_grids(tree: html.HtmlElement, styles: Cascade) -> None:
    """A table laid out with <div>s (a style sheet's grid or flex rows, no <table>): two sibling rows or more,
    each of the same number of short cells (`_grid_cells`), are read as a table's rows, each row one line; its
    cells were paragraphs of their own, and a row's values ("Week 2", "Horatio Blenkinsop") were apart. A
    first row that names the columns (`_grid_header`) heads the rows below as a <table>'s header does
    (base.table_lines: "Week: Week 2; Driver: Horatio Blenkinsop"); else each row is a line of its cells apart by
    " | " (`_grid_as_lines`). Nested <div>s of prose, a sentence, a long text or a block in a
    cell, are left as they are, and so is a grid of links alone (a menu)."""
    for parent in list(tree.iter()):
        if not isinstance(parent.tag, str) or len(parent) < 2 or parent.xpath(CODE_ANCESTOR):
            continue  # a grid is two rows or more (the code test is the costly one: last)
        run: list[tuple[html.HtmlElement, list[html.HtmlElement]]] = []
        for child in [*parent.iterchildren(), None]:
            cells = _grid_cells(child, styles) if child is not None else None
            if cells is not None and (not run or len(cells) == len(run[-1][1])) and not _loose_text(run):
                run.append((child, cells))
                continue
            if len(run) > 1:
                _grid_as_lines(run)
            run = [(child, cells)] if cells is not None else []


def _loose_text(run: list[tuple[html.HtmlElement, list[html.HtmlElement]]]) -> bool:
    """Whether text stands between the run's last row and the next one: they are not rows of one grid."""
    return bool(run) and bool((run[-1][0].tail or "").strip())


def _grid_cells(row: html.HtmlElement, styles: Cascade) -> list[html.HtmlElement] | None:
    """A grid row's cells, or None where the element is not one: a <div> (or role="row") holding GRID_CELLS
    cells and no text of its own, each cell a <div> or a box of the page's style (`stylesheet.boxed`: a flex
    row's <span>) holding inline text of GRID_CELL_AT_MOST characters at most that is not a sentence, two of
    them filled. Spans side by side that no style sets apart already read on one line."""
    if not isinstance(row.tag, str) or not (row.tag == "div" or row.get("role") == "row"):
        return None
    cells = list(row)
    if len(cells) not in GRID_CELLS or (row.text or "").strip():
        return None
    for cell in cells:
        if not isinstance(cell.tag, str) or (cell.tail or "").strip():
            return None
        if not (cell.tag == "div" or cell.get("role") in GRID_ROLES or boxed(cell, styles)):
            return None
        if any(isinstance(node.tag, str) and node.tag in BLOCK_TAGS for node in cell.iterdescendants()):
            return None
        text = _cell_words(cell)
        if len(text) > GRID_CELL_AT_MOST or text.endswith(SENTENCE_END):
            return None
    return cells if sum(bool(_cell_words(cell)) for cell in cells) > 1 else None


def _cell_words(cell: html.HtmlElement) -> str:
    return " ".join(cell.text_content().split())


def _links_alone(element: html.HtmlElement) -> bool:
    """Whether the element's words are all in links."""
    return NOT_WORD.sub("", element.text_content()) == "".join(
        NOT_WORD.sub("", link.text_content()) for link in element.iter("a")
    )


def _grid_header(run: list[tuple[html.HtmlElement, list[html.HtmlElement]]], rows: list[list[str]]) -> bool:
    """Whether a grid's first row names its columns (`_div_grids`): its cells are all filled, distinct names of
    HEADER_WORDS words at most, none with a digit (a value: "Week 2"), a label's ":" or a name from the column
    below it; and the page marks it (role="columnheader", a class naming a head, bold cells over rows that are
    not, or a row styled apart from the rows below, which are styled alike), or the grid has three columns or
    more (as base.table_lines takes a <table>'s first row for its header). A grid of two columns is a card's
    labels and values ("Caretaker | Lorcan Whitby"), as a <table> of two is, unless its first row is a word over
    each column ("Volunteer | Task") above two rows or more, its columns styled alike (a card's are often not:
    "label", "value")."""
    (first, first_cells), below = run[0], run[1:]
    names = rows[0]
    if not all(names) or len({name.casefold() for name in names}) < len(names):
        return False
    if any(len(name.split()) > HEADER_WORDS or name.endswith(":") or any(c.isdigit() for c in name) for name in names):
        return False
    if any(row[0].endswith(":") for row in rows[1:] if row[0]):
        return False
    columns = list(zip(*rows[1:], strict=True))
    if any(
        name.casefold() in {cell.casefold() for cell in column} for name, column in zip(names, columns, strict=True)
    ):
        return False
    marked = (
        all(cell.get("role") == "columnheader" or "head" in cell.get("class", "").lower() for cell in first_cells)
        or "head" in first.get("class", "").lower()
        or first.get("role") == "columnheader"
    )
    bold = all(_bold_cell(cell) for cell in first_cells) and not any(
        _bold_cell(cell) for _, cells in below for cell in cells
    )
    styled_apart = len({_look(row) for row, _ in below}) == 1 and _look(first) != _look(below[0][0])
    if marked or bold or styled_apart:
        return True
    if len(names) > 2:
        return True
    columns_alike = len({_look(cell) for _, cells in run for cell in cells}) == 1
    return len(below) > 1 and columns_alike and all(len(name.split()) == 1 for name in names)


def _bold_cell(cell: html.HtmlElement) -> bool:
    text = NOT_WORD.sub("", cell.text_content())
    return bool(text) and text == NOT_WORD.sub("", "".join(cell.xpath(BOLD_TEXT)))


def _look(element: html.HtmlElement) -> tuple[str, str]:
    """What styles an element: its tag and classes."""
    return element.tag, " ".join(sorted(element.get("class", "").split()))


def _grid_as_lines(run: list[tuple[html.HtmlElement, list[html.HtmlElement]]]) -> None:
    """The grid's rows (`_div_grids`) as text where they stood: under a header, one <p> of the table's lines, a
    <br> between two, as a <table> is one block of lines; without one, each row a <p> of its cells apart by
    " | ", as a card's rows are paragraphs of their own (not "Label: value" lines, which are read as one record
    whose lines a quote takes together, nor one block whose first line, cells apart by " | ", heads the rest)."""
    rows = [[_cell_words(cell) for cell in cells] for _, cells in run]
    if all(_links_alone(element) for element, _ in run):
        return  # rows of links: a menu, which trafilatura drops as navigation
    if _grid_header(run, rows):
        blocks = [table_lines([Row(cells, header=number == 0) for number, cells in enumerate(rows)])]
    else:
        blocks = [[" | ".join(cell for cell in cells if cell)] for cells in rows]
    for lines in blocks:
        paragraph = html.Element("p")
        paragraph.text = lines[0]
        for line in lines[1:]:
            html.etree.SubElement(paragraph, "br").tail = line
        run[0][0].addprevious(paragraph)
    last = run[-1][0]
    paragraph.tail = last.tail
    for element, _ in run:
        element.getparent().remove(element)


def _double_breaks(tree: html.HtmlElement) -> None:
    """Two line breaks in a row (<br><br>, only white space between them), a blank line as a browser shows it,
    end a paragraph: `PARAGRAPH_BREAK` between them (trafilatura reads both as line breaks of one paragraph)."""
    for line_break in tree.iter("br"):
        following = line_break.getnext()
        if following is not None and following.tag == "br" and not (line_break.tail or "").strip():
            line_break.tail = PARAGRAPH_BREAK


def _words_apart(tree: html.HtmlElement, styles: Cascade) -> None:
    """Two elements side by side with nothing between them are set apart by a space where the page's style sets
    either in a box of its own (`stylesheet.boxed`: a card's <span>Phone</span><span>01632 960 471</span> in a
    flex row), or where one ends a word in lower case and the next starts one in upper case and either holds
    words of more than one (<span>Harbour master</span><span>Oskar Lindqvist</span>, laid out apart by a style
    sheet the page links to; one word styled in parts, "<b>Mc</b><i>Donald</i>", stays whole); never in code
    (`CODE_ANCESTOR`: a highlighter's spans are the code's own spacing). Glued, "masterOskar" hides the name from
    a search."""
    for element in tree.iter():
        following = element.getnext()
        if not isinstance(element.tag, str) or following is None or not isinstance(following.tag, str):
            continue
        if element.tail or {element.tag, following.tag} & {"sub", "sup"}:
            continue
        first, second = element.text_content().strip(), following.text_content().strip()
        phrase = " " in first or " " in second  # not one word styled in parts ("<b>Mc</b><i>Donald</i>")
        cased = phrase and first[-1:].islower() and second[:1].isupper()
        apart = first and second and (cased or boxed(element, styles) or boxed(following, styles))
        if apart and not element.xpath(CODE_ANCESTOR):  # asked last: one search a pair, not one an element
            element.tail = " "


def _wrap_inline_runs(element: html.HtmlElement) -> None:
    """Every run of the element's own text, inline children and their tails between its block children
    becomes one <p> in its place (runs of white space only are left as they are)."""
    run = html.Element("p")
    run.text, element.text = element.text, None

    def flush(before: html.HtmlElement | None) -> html.HtmlElement:
        if run.text_content().strip():
            if before is None:
                element.append(run)
            else:
                before.addprevious(run)
        return html.Element("p")

    for child in list(element):
        if isinstance(child.tag, str) and child.tag in BLOCK_TAGS:
            run = flush(child)
            run.text, child.tail = child.tail, None
        else:
            run.append(child)  # moves the inline child, with its tail, into the run
    flush(None)


def _boxes_in_text(tree: html.HtmlElement) -> None:
    """A box set beside the text that is mostly not links is part of what the page says: a handbook's sidebar,
    a note, a footnote. trafilatura drops every <aside> and "sidebar" as navigation, and with a DocBook sidebar
    it lost the paragraphs of its section too. Such a box becomes a plain <div> (`_unboxed`). The innermost
    boxes are judged (a docutils footnote list holds a box per footnote, some of them bare links), and a box
    holding a kept one is kept. A box that holds the page's main part or title is not a box."""
    kept: set[html.HtmlElement] = set()
    for box in reversed(tree.xpath(BOXES)):  # inner boxes first
        if box.xpath(".//main | .//article | .//h1"):
            continue
        if any(inner in kept for inner in box.iterdescendants()) or not _mostly_links(box):
            kept.add(box)
    for box in kept:
        _unboxed(box)


def _mostly_links(box: html.HtmlElement) -> bool:
    """More than BOX_LINKS_AT_MOST of the box's visible text is link text (or it has none)."""
    visible = "not(ancestor::script or ancestor::style or ancestor::button or ancestor::select)"
    text = sum(len(t.strip()) for t in box.xpath(f".//text()[{visible}]"))
    links = sum(len(t.strip()) for t in box.xpath(f".//a//text()[{visible}]"))
    return not text or links > BOX_LINKS_AT_MOST * text


def _unboxed(box: html.HtmlElement) -> None:
    """The box as a <div> trafilatura reads: no `sidebar` in its or its children's classes, no role; its other
    classes stay, so trafilatura's own rules still drop a cookie notice or a share bar. Its headings become
    paragraphs: a box's title must not head the page's text after the box."""
    box.tag = "div"
    box.attrib.pop("role", None)
    for element in box.iter():
        classes = [name for name in element.get("class", "").split() if "sidebar" not in name]
        if element.get("class") is not None:
            element.set("class", " ".join(classes))
        if element is not box and element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            element.tag = "p"


def _drop_hidden(tree: html.HtmlElement, styles: Cascade) -> None:
    """What a browser does not show: <template>, the `hidden` attribute, what the page's style sheets and
    inline styles hide (`stylesheet.hidden_by_style`: ".hidden { display: none }"); less what a control on the
    page opens (`_opened`: a collapsed FAQ answer), which is read with the control's own text (`_shown`)."""
    opens = _opened(tree)
    opened = {element for targets in opens.values() for element in targets}
    hid = {element for element in opened if _hides(element, styles)}
    hidden = [
        element
        for element in tree.xpath("//template | //*[@hidden] | //*[@aria-hidden='true']")
        + hidden_by_style(tree, styles)
        if element not in opened and element.get("hidden") != "until-found"  # find in page opens it
    ]
    for element in hidden:
        if element.getparent() is not None:
            element.drop_tree()
    _shown(tree, opens, hid)


def _opened(tree: html.HtmlElement) -> dict[html.HtmlElement, list[html.HtmlElement]]:
    """The controls on the page and what each opens (an FAQ's answer under its question, a tab's pane): the
    element it names by id (`aria-controls`, `data-target`, `data-bs-target`, a link's `#id`, an id quoted in
    its `onclick` script: "document.getElementById('s1').style.display='block'"), or, where it names none, the
    element right after it, if its script shows something (`SHOWING_SCRIPT`) or it says it expands
    (`aria-expanded`); and a <details> box's <summary> opens what the box holds beside it. The page's <script>
    often does the opening (an FAQ's buttons given their onclick by a script): the control's attributes say
    what it opens."""
    ids = {element.get("id"): element for element in tree.xpath("//*[@id]")}
    opens: dict[html.HtmlElement, list[html.HtmlElement]] = {}
    for control in tree.xpath(CONTROLS):
        names = [
            name.lstrip("#")
            for attribute in ("aria-controls", "data-target", "data-bs-target")
            for name in (control.get(attribute) or "").split()
        ]
        if control.tag == "a" and (control.get("href") or "").startswith("#"):
            names.append(control.get("href")[1:])
        script = control.get("onclick") or ""
        names += QUOTED.findall(script)
        targets = [ids[name] for name in names if name and name in ids and ids[name] is not control]
        if not targets and (control.get("aria-expanded") is not None or SHOWING_SCRIPT.search(script)):
            following = _element_after(control)
            targets = [following] if following is not None else []
        if targets:
            opens[control] = targets
    for details in tree.iter("details"):
        for summary in details.iterchildren("summary"):
            opens[summary] = [child for child in details.iterchildren() if child.tag != "summary"]
    return opens


def _element_after(element: html.HtmlElement) -> html.HtmlElement | None:
    """The element right after this one: its next sibling element, or that of its nearest ancestor that has one
    (a button alone in a heading, the answer after the heading)."""
    while element is not None and element.tag not in ("body", "html"):
        following = element.getnext()
        while following is not None and not isinstance(following.tag, str):
            following = following.getnext()  # a comment, a processing instruction
        if following is not None:
            return following
        element = element.getparent()
    return None


def _hides(element: html.HtmlElement, styles: Cascade) -> bool:
    """Whether the page hides the element: its style, its `hidden` or `aria-hidden` attribute."""
    by_style = any(declaration.hides for declaration in styles.get(element, {}).values())
    return by_style or element.get("hidden") is not None or element.get("aria-hidden") == "true"


def _shown(
    tree: html.HtmlElement, opens: dict[html.HtmlElement, list[html.HtmlElement]], hid: set[html.HtmlElement]
) -> None:
    """What a control opens is read as a browser shows it opened: without the attributes that hid it (an inline
    `display: none`, `hidden`, `aria-hidden`, a class or id naming it hidden), which trafilatura drops. A
    button or link that opens text the page hid (an FAQ's question over its answer) is read as text where it
    stands: trafilatura drops every <button>, and a paragraph of a link alone."""
    kept = set(tree.iter())  # what a hidden box around it has not taken away
    for control, targets in opens.items():
        for element in targets:
            for attribute in ("style", "hidden", "aria-hidden"):
                element.attrib.pop(attribute, None)
            if "hid" in element.get("class", ""):
                element.set("class", " ".join(name for name in element.get("class").split() if "hid" not in name))
            if "hidden" in element.get("id", ""):
                del element.attrib["id"]
        if (
            control.tag in ("a", "button")
            and control in kept
            and any(t in hid and t in kept and _text_of(t) for t in targets)
        ):
            control.tag = "span"  # a link too: trafilatura drops a paragraph of a link alone


def _drop_permalinks(tree: html.HtmlElement) -> None:
    """A heading's permalink (Sphinx's "¶", "#", "§", "🔗"): a link within the page whose text is one symbol,
    in a heading, a definition term or a caption, which would otherwise end each ("4.8. Keyword Arguments¶").
    A footnote mark ("*", "†") in the text stays."""
    labels = "//h1 | //h2 | //h3 | //h4 | //h5 | //h6 | //dt | //caption | //figcaption"
    for link in tree.xpath(f"({labels})//a[starts-with(@href, '#')]"):
        text = _text_of(link)
        if len(text) == 1 and not text.isalnum() and link.getparent() is not None:
            link.drop_tree()


def _code_lines(tree: html.HtmlElement) -> None:
    """A <pre> without <code> inside holds its text in a <code>: trafilatura keeps the lines of a <pre><code>
    and joins those of a bare <pre> into one ("$ make deploy $ systemctl restart heron")."""
    for pre in tree.iter("pre"):
        for line_break in pre.iter("br"):  # trafilatura ends a <code> at its first <br>
            line_break.tail = "\n" + (line_break.tail or "")
            line_break.drop_tag()
        if pre.find(".//code") is None:
            code = html.Element("code")
            code.text, pre.text = pre.text, None
            for child in list(pre):
                code.append(child)
            pre.append(code)


def _captions(tree: html.HtmlElement) -> None:
    """A caption is a paragraph where its figure or table stands: trafilatura drops every <figure> when it
    leaves images out, and a table's <caption>, and a caption is text a reader sees ("Map of the Kestrel depot,
    drawn by Ada Fenwick", "Table 2. Garden costs by season")."""
    for caption in tree.iter("figcaption"):
        caption.tag = "p"
    for figure in tree.iter("figure"):
        figure.tag = "div"
    for caption in list(tree.iter("caption")):  # the table's first row, of one cell: it heads the rows
        table = caption.getparent()
        if table is not None and table.tag == "table":
            row = html.Element("tr")
            caption.tag, caption.tail = "td", None
            row.append(caption)
            body = table.find("tbody")
            (body if body is not None and table.find("thead") is None else table).insert(0, row)


def _drop_note_marks(tree: html.HtmlElement) -> None:
    """A footnote's bare mark and its way back (pandoc's, an EPUB's, a wiki's): a link marked as a note
    reference, or a superscript link within the page, whose text is a number or a letter ("1", not "[1]"), and
    a back link that is a symbol ("↩︎"). The mark was glued to the sentence it ends ("at eight.1 Tools ..."),
    the way back ended the note ("... Vik.↩︎"); the note itself stays text."""
    references = (
        "//a[@role='doc-noteref' or @*[name()='epub:type']='noteref' or contains(concat(' ', @class, ' '),"
        " ' footnote-ref ')] | //sup[a[starts-with(@href, '#')]]"
    )
    backs = "//a[@role='doc-backlink' or contains(concat(' ', @class, ' '), ' footnote-back ')]"
    marks = [mark for mark in tree.xpath(references) if _text_of(mark).isalnum() and len(_text_of(mark)) <= 4]
    marks += [mark for mark in tree.xpath(backs) if not any(char.isalnum() for char in _text_of(mark))]
    for mark in marks:
        if mark.getparent() is not None:
            mark.drop_tree()


def _text_of(element: etree._Element) -> str:
    """All the text inside an element, stripped (a mark's, a cell's)."""
    return "".join(element.itertext()).strip()


def _disclosures(tree: html.HtmlElement) -> None:
    """A <details> box is text a reader opens (an FAQ's answer under its question): its <summary> is a paragraph
    and the box a <div>. trafilatura dropped the summary, and the box whole where its text was loose."""
    for summary in tree.iter("summary"):
        summary.tag = "p"
    for details in tree.iter("details"):
        details.tag = "div"


def _row_headers(tree: html.HtmlElement) -> None:
    """In a table whose rows each begin with a <th> label before <td> values and none is all <th> (a key-value
    table, or one set sideways: "Day | Friday | Saturday" over "Doctor | Dr. Solberg | Dr. Birk"), each label is
    marked with ROW_HEAD, so that every row reads as its label's values (`_row`), not the second as the columns'
    names."""
    for table in tree.iter("table"):
        rows = [row for row in table.xpath("./tr | ./*/tr") if row.xpath("./td | ./th")]
        led = [row for row in rows if (first := row.xpath("./td | ./th")[0]).tag == "th" and _text_of(first)]
        if len(led) < 2 or len(led) < len(rows) or any(not row.xpath("./td") for row in rows):
            continue
        for row in led:
            label = row.xpath("./th")[0]
            label.text = (
                (label.text or "") if (label.text or "").startswith(ROW_HEAD) else ROW_HEAD + (label.text or "")
            )


def _link_cells_emptied(tree: html.HtmlElement) -> None:
    """A cell of links alone, MENU_LINKS or more, beside a cell of the page's text (a heading, or more than
    DATA_CELL_AT_MOST characters) is an old page's menu in its layout table ("Home", "Boats", "Contact"): it is
    emptied, as trafilatura drops such a block as navigation everywhere but in a cell. A data table's cell of
    links ("PDF | EPUB") stays."""
    for cell in tree.iter("td", "th"):
        links = cell.findall(".//a")
        if len(links) < MENU_LINKS or cell.find(".//table") is not None:
            continue
        beside = [*cell.itersiblings("td", "th"), *cell.itersiblings("td", "th", preceding=True)]
        if not any(other.xpath(HEADINGS) or len(_text_of(other)) > DATA_CELL_AT_MOST for other in beside):
            continue
        if NOT_WORD.sub("", _text_of(cell)) == "".join(NOT_WORD.sub("", _text_of(link)) for link in links):
            for child in list(cell):
                cell.remove(child)
            cell.text = None


def _one_column_tables_as_blocks(tree: html.HtmlElement) -> None:
    """A table of one cell a row whose cells hold blocks (a table, paragraphs) lays out a column (an e-mail's
    600-pixel body, an old page's frame): it becomes a <div> of the cells' blocks, so a table inside it is read
    where it stands (trafilatura sets a nested table after the table around it: a newsletter's departure and
    arrival times came after its signature). A column of names (cells of text alone) stays a table."""
    for table in list(tree.iter("table")):
        rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        cells = [row.xpath("./td | ./th") for row in rows]
        if not rows or any(len(row) != 1 for row in cells) or table.find("caption") is not None:
            continue
        if not any(child.tag in BLOCK_TAGS for (cell,) in cells for child in cell.iterdescendants()):
            continue  # a list of names, under a header or not: data, read as rows
        column = html.Element("div")
        for (cell,) in cells:
            cell.tag = "div"
            for name in list(cell.attrib):
                del cell.attrib[name]
            column.append(cell)
        column.tail = table.tail
        table.getparent().replace(table, column)


def _office_tags_unwrapped(tree: html.HtmlElement) -> None:
    """Word's and Outlook's own elements in HTML (<o:p>, an empty "Office paragraph" ending nearly every
    paragraph; <st1:place> smart tags) are unwrapped, their text kept where it stands: trafilatura took a cell
    holding two paragraphs ended by <o:p> apart, and read the second after the table."""
    for element in list(tree.iter()):
        if isinstance(element.tag, str) and ":" in element.tag:
            element.drop_tag()


def _bold_header_rows(tree: html.HtmlElement) -> None:
    """A table's first row of two or more <td> cells whose text is all bold (<b>, <strong>) and holds no digit,
    over rows that are not, is its header: LibreOffice's and Word's HTML mark a header row so, and a table of two
    columns was read as labels and values ("Item: Cost", then "Tarpaulin: 85 pounds")."""
    for table in tree.iter("table"):
        rows = [row for row in table.xpath("./tr | ./*/tr") if row.xpath("./td | ./th")]
        if len(rows) < 2 or not _bold_row(rows[0]) or _bold_row(rows[1]):
            continue
        for cell in rows[0].xpath("./td"):
            cell.tag = "th"


def _form_labels(tree: html.HtmlElement) -> None:
    """A form's label cells (four columns or more, every other cell a <th> or bold throughout, the rest <td>
    not bold: "Employee | Ottavio Brennan | Staff number | SN-30817") are marked with ROW_HEAD, so that each is
    read as a label (`Row.labels`): trafilatura marks <th> as header cells in a table's first row alone, and
    the first row was read as the column names of the rest, or the table by its columns."""
    for table in tree.iter("table"):
        rows = [row.xpath("./td | ./th") for row in table.xpath("./tr | ./*/tr")]
        rows = [cells for cells in rows if len(cells) > 1]
        form = len(rows) > 1 and all(
            len(cells) >= 4
            and len(cells) % 2 == 0
            and all(_label_cell(cell) == (i % 2 == 0) for i, cell in enumerate(cells))
            for cells in rows
        )
        for cells in rows if form else []:
            for cell in cells[0::2]:
                cell.tag = "th"
                cell.text = ROW_HEAD + (cell.text or "")


def _label_cell(cell: html.HtmlElement) -> bool:
    """Whether a cell is set as a label: a <th>, or a <td> bold throughout."""
    return cell.tag == "th" or _bold_cell(cell)


def _cells_kept(tree: html.HtmlElement) -> None:
    """Each text of a table cell that trafilatura would drop as a share button's (RE_FILTER: "Email", "PDF") is
    marked KEPT: a contact table's "Email" heading was dropped, and each address read as the phone column's."""
    for cell in tree.iter("td", "th"):
        for element in cell.iter():
            if element.text and any(map(SHARE_BUTTON.match, element.text.splitlines())):
                element.text += KEPT
            if element is not cell and element.tail and any(map(SHARE_BUTTON.match, element.tail.splitlines())):
                element.tail += KEPT


def _bold_row(row: html.HtmlElement) -> bool:
    cells = row.xpath("./td")
    if len(cells) < 2 or len(cells) != len(row.xpath("./td | ./th")):
        return False
    return all(
        _text_of(cell)
        and not any(char.isdigit() for char in _text_of(cell))  # a value ("Gate code | 4417"), not a column's name
        and NOT_WORD.sub("", _text_of(cell)) == NOT_WORD.sub("", "".join(cell.xpath(BOLD_TEXT)))
        for cell in cells
    )


def _header_rows(tree: html.HtmlElement) -> None:
    """The rows of <th> cells right under a table's first (a header of two rows or more: "2024" over "Q1") are
    marked with HEAD_ROW: for trafilatura only the first row's <th> are header cells, and the second row was read
    as data ("2024: Q1"). A row of <th> further down (a subtotal, a footer's total) is not marked."""
    for table in tree.iter("table"):
        for row in table.xpath("./tr | ./*/tr")[1:]:
            cells = row.xpath("./td | ./th")
            if len(cells) < 2 or any(cell.tag != "th" for cell in cells) or row.getparent().tag == "tfoot":
                break
            cells[0].text = HEAD_ROW + (cells[0].text or "")


def _span(cell: html.HtmlElement, attribute: str) -> int:
    """A cell's colspan or rowspan: 1 where missing or not a number, at most MAX_SPAN; a rowspan of 0 (to the end
    of its row group) MAX_SPAN."""
    value = (cell.get(attribute) or "1").strip()
    if not value.isdigit():
        return 1
    return MAX_SPAN if int(value) == 0 and attribute == "rowspan" else min(max(int(value), 1), MAX_SPAN)


def _spans_down(tree: html.HtmlElement) -> None:
    """A cell of data spanning rows (rowspan: "Saturday" beside its morning and afternoon shifts) is repeated in
    each row it spans within its row group, at its column, so that every row reads with all its values ("Day:
    Saturday; Shift: Afternoon"), as a Word table's merged cell is (docx); a cell spanning columns stays once.
    A cell of a page's layout (blocks, or text longer than DATA_CELL_AT_MOST) holds its place in those rows as
    a blank cell: copied, an old page's text beside its menu was read once a row."""
    for table in tree.iter("table"):
        groups = [table.xpath("./tr"), *(group.xpath("./tr") for group in table.xpath("./thead | ./tbody | ./tfoot"))]
        for rows in groups:
            carried: dict[int, tuple[html.HtmlElement, int]] = {}  # grid column -> (cell, rows it still spans)
            for row in rows:
                _carry_into(row, carried)


def _carry_into(row: html.HtmlElement, carried: dict[int, tuple[html.HtmlElement, int]]) -> None:
    """The cells spanning down into the row placed at their columns (after its last cell where the row is
    short), and the row's own data cells spanning further added to `carried` (a grid column -> the cell, and how
    many rows it still spans)."""
    column = 0
    placed: set[int] = set()

    def place(at: int, before: html.HtmlElement | None) -> int:
        above = carried[at][0]
        copy = (
            deepcopy(above) if _spans_as_data(above) else html.Element(above.tag, colspan=str(_span(above, "colspan")))
        )
        copy.tail = None
        row.append(copy) if before is None else before.addprevious(copy)
        placed.add(at)
        return _span(above, "colspan")

    for cell in row.xpath("./td | ./th"):
        while column in carried and column not in placed:
            column += place(column, cell)
        if _span(cell, "rowspan") > 1:  # its text copied down where it is data, else a blank in its place
            carried[column] = (cell, _span(cell, "rowspan"))  # counted down below, this row included
            placed.add(column)
            cell.attrib.pop("rowspan", None)  # trafilatura would leave a blank cell under it
        column += _span(cell, "colspan")
    for at in sorted(at for at in carried if at >= column and at not in placed):  # a short row, filled up to it
        for _ in range(at - column):
            row.append(html.Element("td"))
        column = at + place(at, None)
    for at, (above, rows_left) in list(carried.items()):  # a column the row's own cells covered counts too
        if rows_left > 1:
            carried[at] = (above, rows_left - 1)
        else:
            del carried[at]


TRAFILATURA_SPAN = 100  # the most columns trafilatura lets a cell span (main_extractor._MAX_SPAN)


def _spans_across(tree: html.HtmlElement) -> None:
    """A data cell spanning columns (colspan: one vet for Tuesday's "Morning" and "Afternoon") is marked ACROSS
    once for each column past its own, so that it is read under each column's name, once. Its span is read as
    trafilatura reads it (digits alone, at most TRAFILATURA_SPAN), which pads the row after it with that many."""
    for cell in tree.iter("td"):
        value = cell.get("colspan", "1")
        span = min(int(value), TRAFILATURA_SPAN) if value.isdecimal() else 1
        if span > 1 and _spans_as_data(cell) and _text_of(cell):
            cell.text = ACROSS * (span - 1) + (cell.text or "")


def _spans_as_data(cell: html.HtmlElement) -> bool:
    """Whether a cell is short data, not a part of a page's layout (`_spans_down`): paragraphs (LibreOffice writes
    each cell's text as one) but no other block."""
    blocks = any(isinstance(node.tag, str) and node.tag in BLOCK_TAGS - {"p"} for node in cell.iterdescendants())
    return not blocks and len(_text_of(cell)) <= DATA_CELL_AT_MOST


def _articles_as_sections(tree: html.HtmlElement) -> None:
    """Several <article>s (a blog's or a newsletter's posts, one after another) become <section>s: trafilatura
    takes one <article> for the page's main part and drops the others."""
    articles = list(tree.iter("article"))
    if len(articles) > 1:
        for article in articles:
            article.tag = "section"


def _main_taken_whole(tree: html.HtmlElement) -> None:
    """The page's <main> is its main part, whatever a block inside it is called: marked as an article's body
    (itemprop), which trafilatura looks for first, it is taken whole. Else the first block inside it that a
    blog's theme names (`class="post"`, "entry-content", an <article>) was taken for the main part, and the
    <main>'s heading, intro and other blocks were dropped or read after it."""
    main = tree.find(".//main")
    if main is not None:
        main.set("itemprop", "articleBody")


def _main_from_body(tree: html.HtmlElement) -> None:
    """A page that marks no main part (<main>, <article>) has its body's content as one: trafilatura reads the
    headings of a marked part, and of an unmarked page only the paragraphs it recovers."""
    body = tree.find(".//body")
    if body is None or tree.find(".//main") is not None or tree.find(".//article") is not None:
        return
    main = html.Element("main")
    main.text, body.text = body.text, None
    for child in list(body):
        main.append(child)
    body.append(main)


def extract_html(data: bytes, path: PurePath) -> Extracted:
    page = decode_text(data)
    if not DOCUMENT.search(page):
        page = f"<html><body>{page}</body></html>"  # a fragment is a body; trafilatura reads only documents
    tree = trafilatura.load_html(page)
    if tree is None:
        raise ExtractionError("not readable as HTML; open it in a browser and save it again")
    styles = cascade(tree)
    _drop_hidden(tree, styles)
    _drop_permalinks(tree)
    _drop_note_marks(tree)
    _office_tags_unwrapped(tree)
    _boxes_in_text(tree)
    _code_lines(tree)
    _captions(tree)
    _disclosures(tree)
    _bold_header_rows(tree)
    _form_labels(tree)
    _row_headers(tree)
    _one_column_tables_as_blocks(tree)
    _link_cells_emptied(tree)
    _spans_down(tree)
    _spans_across(tree)
    _header_rows(tree)
    _div_grids(tree, styles)
    _words_apart(tree, styles)
    _double_breaks(tree)
    _articles_as_sections(tree)
    _paragraphs_from_loose_text(tree)
    _main_taken_whole(tree)  # a <main> the page marks; one made of its body (`_main_from_body`) is not
    _main_from_body(tree)
    _cells_kept(tree)  # last: the mark is text the passes above would compare
    title = " ".join((tree.findtext(".//title") or "").split()) or None
    metadata = {
        name: " ".join(str(values[0]).split())
        for name in ("author", "description")
        if (values := tree.xpath(f"//meta[@name='{name}']/@content"))
    }
    xml = trafilatura.extract(  # it reads a copy: `tree` is left as it was
        tree,
        output_format="xml",
        include_tables=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        favor_recall=True,
        deduplicate=False,
        config=CONFIG,
    )
    sections: list[Section] = []
    if xml:
        document = etree.fromstring(xml.encode("utf-8"))
        builder = SectionBuilder()
        for main in document.iterchildren("main"):
            _read(main, builder)
        sections = builder.finish()
    if not sections:
        loose = trafilatura.html2txt(tree)  # the page as shown: not what it hides
        sections = [Section(text=loose)] if loose.strip() else []
    sections = [replace(section, text=_unmarked(section.text)) for section in sections]
    return Extracted(sections=sections, title=title or first_heading(sections), metadata=metadata)

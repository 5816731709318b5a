"""OpenDocument text (.odt) and spreadsheets (.ods), read from their content.xml with lxml: headings by
outline level, paragraphs and list items in order, tables and sheets as rows with their header
(base.table_lines), one section per sheet. A text's page headers and footers (styles.xml) come first; a text
frame's paragraphs follow the paragraph it is anchored in; deleted text of tracked changes and comments are
left out."""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import PurePath

from lxml import etree

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.archive import open_zip, read_member
from foldermind.indexer.extract.base import (
    Extracted,
    Row,
    Section,
    SectionBuilder,
    first_heading,
    nested_table_text,
    page_margin_lines,
    pairs_of_labels_and_values,
    sheet_section,
    spanned_over,
    table_lines,
)

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
}
TEXT, TABLE, STYLE = f"{{{NS['text']}}}", f"{{{NS['table']}}}", f"{{{NS['style']}}}"
HEADING_STYLE = re.compile(r"Heading_20_(\d)")  # "Heading 2" as OpenDocument names it
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
ANNOTATION = f"{{{NS['office']}}}annotation"
# Not part of the paragraph they sit in: a note (its paragraphs follow), a text frame or shape (its paragraphs
# follow), a comment (left out). A frame holding a picture keeps its title (alt text) in the paragraph.
APART = {TEXT + "note", DRAW + "custom-shape", ANNOTATION}
# Paragraphs never read: a tracked deletion's text, a comment's.
UNSHOWN = {TEXT + "tracked-changes", ANNOTATION}
# A page's header and footer in a master page (the first page's and left pages' own too), unless switched off.
MARGINS = "./*[(self::style:header or self::style:header-first or self::style:header-left or self::style:footer"
MARGINS += " or self::style:footer-first or self::style:footer-left) and not(@style:display='false')]"
MAX_REPEAT = 1000  # a repeated cell or row with content is written out this often at most (sheets repeat blanks)


def _text(element: etree._Element) -> str:
    """An element's text as displayed: <text:s c="3"/> is three spaces, tabs and line breaks as such, a foot- or
    endnote and a text frame left out (their own paragraphs follow, read as paragraphs: inside this one they
    glued their first word to the word before the mark, "dawnExcept on Sundays"), a comment left out."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == TEXT + "s":
            parts.append(" " * int(child.get(TEXT + "c", "1")))
        elif child.tag == TEXT + "tab":
            parts.append("\t")
        elif child.tag == TEXT + "line-break":
            parts.append("\n")
        elif child.tag == DRAW + "frame":
            title = "" if child.find(DRAW + "text-box") is not None else _text(child).strip()
            parts.append(f" {title}" if title else "")  # a picture's title; a text box's paragraphs follow
        elif child.tag not in APART:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _repeated(element: etree._Element, attribute: str) -> int:
    return min(int(element.get(TABLE + attribute, "1")), MAX_REPEAT)


def _rows(table: etree._Element) -> list[Row]:
    """The table's rows as cell texts on its grid, trailing blank cells and blank rows left out. A cell spanning
    rows is read in each row it covers ("Saturday" beside its morning and afternoon shifts), as Word's is; one
    spanning columns once, the columns it covers `merged`."""
    rows: list[Row] = []
    spanning: dict[int, tuple[str, int]] = {}  # grid column -> (text of a cell spanning down, rows it covers)
    bold = _bold_styles(table.getroottree().getroot())
    for row in table.iter(TABLE + "table-row"):
        if next(row.iterancestors(TABLE + "table")) is not table:
            continue  # a row of a table inside a cell: read with that cell
        cells: list[str] = []  # one a grid column: a blank repeated at the row's end once (it is left out)
        merged: set[int] = set()
        labels: set[int] = set()
        for cell in row:
            if cell.tag not in (TABLE + "table-cell", TABLE + "covered-table-cell"):
                continue
            text = _cell_text(cell)
            if text and cell.tag == TABLE + "table-cell" and _bold_cell(cell, bold):
                labels.add(len(cells))
            if text and cell.tag == TABLE + "table-cell":
                merged |= set(range(len(cells) + 1, len(cells) + _repeated(cell, "number-columns-spanned")))
            repeat = _repeated(cell, "number-columns-repeated") if text or cell.getnext() is not None else 1
            for _ in range(repeat):
                if cell.tag == TABLE + "covered-table-cell" and len(cells) in spanning:
                    text, rows_left = spanning.pop(len(cells))
                    if rows_left > 1:
                        spanning[len(cells)] = (text, rows_left - 1)
                elif text and _repeated(cell, "number-rows-spanned") > 1:
                    spanning[len(cells)] = (text, _repeated(cell, "number-rows-spanned") - 1)
                cells.append(text)
                text = "" if cell.tag == TABLE + "covered-table-cell" else text
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            row_read = Row(cells, merged=frozenset(merged), labels=frozenset(labels))
            rows.extend([row_read] * _repeated(row, "number-rows-repeated"))
    return rows


FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"


# LibreOffice's named styles that set text in bold, kept in styles.xml: "Strong Emphasis", "Table Heading"
BOLD_STYLE_NAME = re.compile(r"Strong|Bold|Table_20_Heading")


@functools.lru_cache(maxsize=4)  # once a document, not once a table or sheet
def _bold_styles(root: etree._Element) -> frozenset[str]:
    """The names of the document's text and paragraph styles that set text in bold (fo:font-weight "bold" or
    600 up), a style on a bold parent style too, and LibreOffice's named bold styles (`BOLD_STYLE_NAME`: they
    are in styles.xml, not read here)."""
    styles = {
        str(style.get(STYLE + "name")): style
        for style in root.iter(STYLE + "style")
        if style.get(STYLE + "family") in ("text", "paragraph")
    }

    def bold(name: str | None, depth: int = 0) -> bool:
        style = styles.get(name or "")
        if style is None:  # a named style of styles.xml: LibreOffice's bold ones by their names
            return BOLD_STYLE_NAME.search(name or "") is not None
        if depth > len(styles):
            return False
        properties = style.find(STYLE + "text-properties")
        weight = None if properties is None else properties.get(FO + "font-weight")
        if weight is not None:
            return weight == "bold" or (weight.isdigit() and int(weight) >= 600)
        return bold(style.get(STYLE + "parent-style-name"), depth + 1)

    return frozenset(name for name in styles if bold(name))


def _bold_cell(cell: etree._Element, styles: frozenset[str]) -> bool:
    """Whether a cell holds text and all of it is bold: in a bold paragraph style, or in bold spans (`styles`,
    or a named style of styles.xml that `BOLD_STYLE_NAME` says is bold)."""

    def bold(name: str | None) -> bool:
        return name in styles or BOLD_STYLE_NAME.search(name or "") is not None

    paragraphs = [p for p in cell.iter(TEXT + "p", TEXT + "h") if "".join(p.itertext()).strip()]
    if not paragraphs:
        return False
    for paragraph in paragraphs:
        if bold(paragraph.get(TEXT + "style-name")):
            continue
        loose = (paragraph.text or "") + "".join(child.tail or "" for child in paragraph)
        spans = list(paragraph)
        if loose.strip() or not all(
            span.tag == TEXT + "span" and bold(span.get(TEXT + "style-name"))
            for span in spans
            if "".join(span.itertext()).strip()
        ):
            return False
    return True


def _cell_text(cell: etree._Element) -> str:
    """A cell's paragraphs on one line, a table inside it where it stands as base.nested_table_text (its rows
    were read as rows of the table around it, its text once more in the cell)."""
    parts = []
    for element in cell.iter(TEXT + "p", TEXT + "h", TABLE + "table"):
        if next(element.iterancestors(TABLE + "table-cell", TABLE + "covered-table-cell")) is not cell:
            continue  # inside a table inside the cell: read with that table
        parts.append(nested_table_text(_table_lines(element)) if element.tag == TABLE + "table" else _text(element))
    return " ".join(" ".join(parts).split())


def _table_lines(table: etree._Element) -> list[str]:
    """The table's rows as base.table_lines reads them: its header the rows LibreOffice repeats on each page, else
    its first row, or its first two where a cell of the first spans both and another spans columns ("Volunteer"
    beside "Saturday" over "AM" and "PM": the second was read as data, "Volunteer: Volunteer; Saturday: AM")."""
    headers = len(table.findall(f"{TABLE}table-header-rows/{TABLE}table-row"))
    rows = _rows(table)
    if not headers:
        first = next((row for row in table.iter(TABLE + "table-row")), None)
        cells = [] if first is None else first.findall(TABLE + "table-cell")
        down = any(_repeated(cell, "number-rows-spanned") == 2 for cell in cells)
        across = any(_repeated(cell, "number-columns-spanned") > 1 for cell in cells)
        grouping = len(rows) > 1 and spanned_over(rows[0], rows[1].cells)  # "Spend (GBP)" over "Q1", "Q2"
        headers = 2 if across and (down or grouping) else 0 if pairs_of_labels_and_values(rows) else 1
    return table_lines([replace(row, header=i < headers) for i, row in enumerate(rows)])


def _content(data: bytes, kind: str) -> tuple[etree._Element, etree._Element | None, etree._Element | None]:
    """content.xml's body, and meta.xml's and styles.xml's roots when the file has them."""
    archive = open_zip(data, kind)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    names = archive.namelist()
    try:
        content = etree.fromstring(read_member(archive, "content.xml", kind), parser)
        meta = etree.fromstring(archive.read("meta.xml"), parser) if "meta.xml" in names else None
        styles = etree.fromstring(archive.read("styles.xml"), parser) if "styles.xml" in names else None
    except etree.XMLSyntaxError as exc:
        raise ExtractionError(f"the {kind} file's XML is damaged ({exc}); re-save it") from exc
    body = content.find("office:body", NS)
    if body is None:
        raise ExtractionError(f"the {kind} file has no body; re-save it")
    return body, meta, styles


def _page_margins(styles: etree._Element | None, body: etree._Element) -> list[str]:
    """The paragraphs of the page headers and footers of the master pages the text uses (named by a style, or the
    first, the default: LibreOffice keeps unused ones, an envelope's), as base.page_margin_lines keeps them."""
    if styles is None:
        return []
    masters = styles.xpath("//style:master-page", namespaces=NS)
    named = {
        str(name)
        for root in (styles, body.getroottree().getroot())
        for name in root.xpath("//@style:master-page-name", namespaces=NS)
    }
    used = [master for master in masters if master.get(f"{{{NS['style']}}}name") in named] or masters[:1]
    margins = [margin for master in used for margin in master.xpath(MARGINS, namespaces=NS)]
    return page_margin_lines([_text(p) for margin in margins for p in margin.iter(TEXT + "p")])


def _parent_styles(body: etree._Element, styles: etree._Element | None) -> dict[str, str]:
    """Paragraph style name -> the style it is based on, for the automatic styles of the text (LibreOffice's "P1",
    a heading with a page break) and the named styles."""
    roots = [body.getroottree().getroot(), *([styles] if styles is not None else [])]
    return {
        str(style.get(STYLE + "name")): str(style.get(STYLE + "parent-style-name"))
        for root in roots
        for style in root.iter(STYLE + "style")
        if style.get(STYLE + "family") == "paragraph" and style.get(STYLE + "parent-style-name")
    }


def _heading_level(name: str | None, parents: dict[str, str]) -> int | None:
    """The heading level of a paragraph style or the styles it is based on: "Title" 0 (over the "Heading 1"
    sections below it), "Heading_20_2" ("Heading 2") 2; None for a paragraph of text. A <text:p> in such a style
    is a heading as a <text:h> is: LibreOffice writes a document's title so, and an imported page's headings."""
    seen: set[str] = set()
    while name and name not in seen:
        seen.add(name)
        if name == "Title":
            return 0
        if match := HEADING_STYLE.fullmatch(name):
            return int(match.group(1))
        name = parents.get(name)
    return None


def _title(meta: etree._Element | None) -> str | None:
    found = meta.findtext(".//dc:title", namespaces=NS) if meta is not None else None
    return found.strip() if found and found.strip() else None


def extract_odt(data: bytes, path: PurePath) -> Extracted:
    body, meta, styles = _content(data, ".odt")
    builder = SectionBuilder()
    parents = _parent_styles(body, styles)
    for text in _page_margins(styles, body):
        builder.paragraph(text)
    for element in body.iter(TEXT + "h", TEXT + "p", TABLE + "table"):
        if any(parent.tag == TABLE + "table" or parent.tag in UNSHOWN for parent in element.iterancestors()):
            continue  # read with its table, or not shown
        if element.tag == TABLE + "table":
            lines = _table_lines(element)
            if lines:
                builder.paragraph("\n".join(lines))
            continue
        text = _text(element).strip()
        if not text:
            continue
        level = _heading_level(element.get(TEXT + "style-name"), parents)
        if element.tag == TEXT + "h":
            builder.heading(int(element.get(TEXT + "outline-level", "1")), text)
        elif level is not None:
            builder.heading(level, text)
        else:
            in_list = any(parent.tag == TEXT + "list-item" for parent in element.iterancestors())
            builder.paragraph(f"- {text}" if in_list else text)
    sections = builder.finish()
    return Extracted(sections=sections, title=_title(meta) or first_heading(sections))


def extract_ods(data: bytes, path: PurePath) -> Extracted:
    body, meta, _ = _content(data, ".ods")
    sections: list[Section] = []
    for table in body.iter(TABLE + "table"):
        section = sheet_section(table.get(TABLE + "name", ""), [row.cells for row in _rows(table)])
        if section.text:
            sections.append(section)
    return Extracted(sections=sections, title=_title(meta))

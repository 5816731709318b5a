"""Word .docx via python-docx: the body in reading order, headings from the paragraph styles, list items as
"- item", tables where they stand (each row with its header, merged cells once, a table in a cell read in it),
foot- and endnotes and text boxes after the paragraph that cites or holds them, the page headers and footers
first. A paragraph's text is every run in it as Word shows it (`_runs_text`): python-docx's `text` reads only
its direct runs and links, which loses a form's filled-in content controls, tracked insertions and fields."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import (
    Extracted,
    Row,
    SectionBuilder,
    first_heading,
    nested_table_text,
    page_margin_lines,
    table_lines,
)


def _heading_level(style_name: str) -> int | None:
    """A heading style's level: "Title" 0, over the "Heading 1" sections below it ("Lab induction" over
    "Equipment loans": read as one level, the first heading took the title's place); None for text."""
    if style_name == "Title":
        return 0
    if style_name.startswith("Heading "):
        level = style_name.removeprefix("Heading ")
        return int(level) if level.isdigit() else None
    return None


def _style_names(document: Any) -> dict[str | None, str]:
    """Paragraph style id -> name, and None -> the default paragraph style's name. Looked up once: python-docx's
    `paragraph.style` searches the styles part on every call (most of the reading time, measured)."""
    names: dict[str | None, str] = {style.style_id: style.name for style in document.styles}
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    names[None] = default.name if default is not None else ""
    return names


def _is_list_item(paragraph: Paragraph, style: str) -> bool:
    """A bulleted or numbered paragraph: a list style, or numbering set on the paragraph itself."""
    properties = paragraph._p.pPr
    return style.startswith("List") or (properties is not None and properties.numPr is not None)


MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Left out of a paragraph's text: deleted and moved-away text (tracked changes), a text box (read after its
# paragraph), the copy of a drawing for old readers (mc:Fallback repeats mc:Choice's text box), ruby's reading
# aid over its base text.
NOT_SHOWN = {qn("w:del"), qn("w:moveFrom"), qn("w:txbxContent"), MC_FALLBACK, qn("w:rt")}
CHARACTERS = {qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


def _runs_text(element: Any) -> str:
    """The text Word shows for a paragraph (or any part of one): its runs' text wherever they sit (in links,
    content controls, fields, tracked insertions), tabs and line breaks as such, `NOT_SHOWN` left out."""
    parts: list[str] = []
    for child in element:
        if child.tag in NOT_SHOWN or _placeholder(child):
            continue
        if child.tag == qn("w:t"):
            parts.append(child.text or "")
        elif child.tag == qn("w:br"):
            parts.append("\n" if child.get(qn("w:type")) in (None, "textWrapping") else "")
        elif child.tag in CHARACTERS:
            parts.append(CHARACTERS[child.tag])
        else:
            parts.append(_runs_text(child))
    return "".join(parts)


def _placeholder(element: Any) -> bool:
    """A content control that shows its prompt ("Click or tap here to enter text."), not a value."""
    return element.tag == qn("w:sdt") and element.find(f"{qn('w:sdtPr')}/{qn('w:showingPlcHdr')}") is not None


def _text_boxes(paragraph: Any) -> list[str]:
    """The paragraphs of the text boxes anchored in a paragraph, each box once (not its mc:Fallback copy)."""
    boxes = [
        box
        for box in paragraph.iter(qn("w:txbxContent"))
        if not any(parent.tag in (MC_FALLBACK, qn("w:txbxContent")) for parent in box.iterancestors())
    ]
    texts = [_runs_text(p).strip() for box in boxes for p in box.iter(qn("w:p"))]
    return [text for text in texts if text]


def _blocks(element: Any, parent: Any) -> Iterator[Paragraph | Table]:
    """The paragraphs and tables of a body, cell, header or footer in order, including those in a block
    content control (python-docx's iter_inner_content skips w:sdt)."""
    for child in element:
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent)
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)
        elif child.tag in (qn("w:sdt"), qn("w:customXml")) and not _placeholder(child):
            content = child.find(qn("w:sdtContent")) if child.tag == qn("w:sdt") else child
            if content is not None:
                yield from _blocks(content, parent)


def _page_margins(document: Any) -> list[str]:
    """The paragraphs and table rows of the page headers and footers, as base.page_margin_lines keeps them."""
    texts: list[str] = []
    for section in document.sections:
        for margin in (
            section.first_page_header,
            section.header,
            section.even_page_header,
            section.first_page_footer,
            section.footer,
            section.even_page_footer,
        ):
            if margin.is_linked_to_previous:
                continue  # no definition of its own
            for block in _blocks(margin._element, margin):
                if isinstance(block, Table):
                    texts.extend(table_lines(_rows(block)))
                else:
                    texts.extend([_runs_text(block._p), *_text_boxes(block._p)])
    return page_margin_lines(texts)


def _rows(table: Table) -> list[Row]:
    """Each row's cells on the table's grid: a cell merged across columns is read once, in its first column
    (python-docx repeats it in each), the others `merged`; rows Word repeats as a header on every page are header
    rows, and a first row set as headings (`_set_as_heading`) over one that is not, or naming the columns of a
    table of two (`_names_columns`)."""
    rows: list[Row] = []
    first = table.rows[:2]
    heading = len(first) == 2 and _set_as_heading(first[0]) and not _set_as_heading(first[1])
    for index, row in enumerate(table.rows):
        cells: list[str] = []
        merged: set[int] = set()
        seen: list[object] = []  # the cells' XML elements, held so that lxml hands out the same proxy objects
        for column, cell in enumerate(row.cells):
            repeated = any(cell._tc is element for element in seen)
            seen.append(cell._tc)
            cells.append("" if repeated else _cell_text(cell))
            merged |= {column} if repeated else set()
        properties = row._tr.trPr
        header = properties is not None and properties.find(qn("w:tblHeader")) is not None
        labels = frozenset(column for column, cell in enumerate(row.cells) if column not in merged and _bold(cell))
        rows.append(Row(cells, header=header or (index == 0 and heading), merged=frozenset(merged), labels=labels))
    if _names_columns(rows):
        rows[0] = Row(rows[0].cells, header=True)
    return rows


def _shape(text: str) -> str:
    """A cell's form: its runs of letters as "a", of digits as "9", other characters as themselves ("K-3321" is
    "a-9", "Key number" "a a", "Percival Okonkwo" "a a")."""
    kinds = ("a" if char.isalpha() else "9" if char.isdigit() else char for char in text)
    return re.sub(r"(.)\1+", r"\1", "".join(kinds))


def _names_columns(rows: list[Row]) -> bool:
    """Whether the first row of a table of two columns that marks no header names its columns over records, not
    a form's first label and value (table_lines reads such a table as labels and values, "Badge number:
    B-7731"): it holds no digit, and each column below it holds two or more values all of one `_shape` that is not
    its first cell's ("Name" over "Percival Okonkwo" and "Tamsin Vehrenkamp", "Key number" over "K-3321" and
    "K-4470"). A form's labels are of its first label's shape ("Phone", "Room" under "Name"), or its values of
    several ("Odile Brandt", "B-7731"). Read as a form, a table in a cell said "Name: Key number / Percival
    Okonkwo: K-3321" where the .odt LibreOffice saves of it reads "Name: Percival Okonkwo, Key number: K-3321"."""
    if len(rows) < 3 or any(row.header or len(row.cells) != 2 or not all(row.cells) for row in rows):
        return False
    names, *records = rows
    if any(char.isdigit() for cell in names.cells for char in cell):
        return False
    return all(
        len({_shape(row.cells[column]) for row in records}) == 1
        and _shape(records[0].cells[column]) != _shape(names.cells[column])
        for column in range(2)
    )


def _set_as_heading(row: Any) -> bool:
    """Whether every cell of two or more holds text, no digit, whose paragraphs are in a table heading style
    (LibreOffice's "Table Heading") or whose runs are bold: a header row unmarked as one, read as labels and
    values otherwise ("Role: Details")."""
    cells = row.cells
    if len(cells) < 2:
        return False
    for cell in cells:
        paragraphs = [p for p in cell.paragraphs if p.text.strip()]
        styled = all(p.style is not None and "heading" in (p.style.name or "").lower() for p in paragraphs)
        if not paragraphs or not (styled or all(_bold_run(run, p) for run, p in _runs(cell))):  # a link: no run
            return False
        if any(char.isdigit() for char in cell.text):
            return False  # a value set in bold ("Gate code | 4417"), not a column's name
    return True


def _runs(cell: Any) -> list[tuple[Any, Any]]:
    """A cell's runs that hold text, each with its paragraph (a link's text is in no run)."""
    return [(run, p) for p in cell.paragraphs for run in p.runs if run.text.strip()]


def _bold(cell: Any) -> bool:
    """Whether a cell holds text and every run of it is bold (a label of a form, a column's name): set bold by
    hand, or by its character style ("Strong") or paragraph style, or a style either is based on."""
    runs = _runs(cell)
    return bool(runs) and all(_bold_run(run, paragraph) for run, paragraph in runs)


def _bold_run(run: Any, paragraph: Any) -> bool:
    """Whether a run is set bold: its own setting, else its character style's, else its paragraph style's, each
    style's own or that of the style it is based on (python-docx's `run.bold` is the run's own setting alone). Not
    read: Word's toggling (a bold character style over a bold paragraph style shows plain), a table style's bold
    first column, the document's default run properties."""
    if run.bold is not None:
        return bool(run.bold)
    for style in (run.style, paragraph.style):
        while style is not None:
            if style.font.bold is not None:
                return bool(style.font.bold)
            style = style.base_style
    return False


def _cell_text(cell: Any) -> str:
    """A cell's text on one line, a table inside it as base.nested_table_text (python-docx's `cell.text` leaves a
    nested table out)."""
    parts = [
        nested_table_text(table_lines(_rows(block)))
        if isinstance(block, Table)
        else " ".join([_runs_text(block._p), *_text_boxes(block._p)])
        for block in _blocks(cell._tc, cell)
    ]
    return " ".join(" ".join(parts).split())


NOTES = {RT.FOOTNOTES: ("footnote", "footnoteReference"), RT.ENDNOTES: ("endnote", "endnoteReference")}
REFERENCES = [qn("w:footnoteReference"), qn("w:endnoteReference")]


def _notes(document: Any) -> dict[tuple[str, str], list[str]]:
    """{(reference tag, note id): the note's paragraphs} of the document's footnotes and endnotes, which
    python-docx does not read (their separators left out)."""
    found: dict[tuple[str, str], list[str]] = {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for rel in document.part.rels.values():
        if rel.reltype not in NOTES or rel.is_external:
            continue
        tag, reference = NOTES[rel.reltype]
        try:
            root = etree.fromstring(rel.target_part.blob, parser)
        except etree.XMLSyntaxError:
            continue  # damaged notes lose only themselves
        for note in root.iter(qn(f"w:{tag}")):
            if note.get(qn("w:type")) in (None, "normal"):
                paragraphs = [_runs_text(p).strip() for p in note.iter(qn("w:p"))]
                found[(reference, note.get(qn("w:id"), ""))] = [text for text in paragraphs if text]
    return found


def _referenced(block: Paragraph, notes: dict[tuple[str, str], list[str]]) -> list[str]:
    """The paragraphs of the notes a paragraph cites, in its order, each taken once (`notes` loses them)."""
    cited = [(etree.QName(mark).localname, mark.get(qn("w:id"), "")) for mark in block._p.iter(*REFERENCES)]
    return [text for key in cited for text in notes.pop(key, [])]


def extract_docx(data: bytes, path: PurePath) -> Extracted:
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractionError(f"not a valid .docx file ({exc}); open and re-save it in Word") from exc
    builder = SectionBuilder()
    style_names = _style_names(document)
    notes = _notes(document)
    for text in _page_margins(document):
        builder.paragraph(text)
    for block in _blocks(document.element.body, document._body):
        if isinstance(block, Table):
            lines = table_lines(_rows(block))
            if lines:
                builder.paragraph("\n".join(lines))
            continue
        text = _runs_text(block._p).strip()
        style = style_names.get(block._p.style, style_names[None])
        level = _heading_level(style)
        if level is not None and text:
            builder.heading(level, text)
        elif text:
            builder.paragraph(f"- {text}" if _is_list_item(block, style) else text)
        for note in [*_text_boxes(block._p), *_referenced(block, notes)]:  # after the paragraph that holds it
            builder.paragraph(note)
    for note in (text for texts in notes.values() for text in texts):  # cited from a table or not at all
        builder.paragraph(note)
    sections = builder.finish()
    if not _has_core_properties(document):  # python-docx would make up defaults (the title "Word Document")
        return Extracted(sections=sections, title=first_heading(sections))
    props = document.core_properties
    metadata = {key: value for key, value in {"author": props.author, "subject": props.subject}.items() if value}
    keywords = [word.strip() for word in (props.keywords or "").split(",") if word.strip()]
    return Extracted(sections=sections, title=props.title or first_heading(sections), tags=keywords, metadata=metadata)


def _has_core_properties(document: Any) -> bool:
    """Whether the file holds its own core properties (title, author): many generators write none."""
    return any(rel.reltype == RT.CORE_PROPERTIES for rel in document.part.package.rels.values())

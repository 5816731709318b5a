"""Word .docx via python-docx: the body in reading order, headings from the paragraph styles, list items as
"- item", tables where they stand (each row with its header, merged cells once, a table in a cell read in it),
foot- and endnotes after the paragraph that cites them."""

from __future__ import annotations

import io
import zipfile
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
from foldermind.indexer.extract.base import Extracted, Row, SectionBuilder, first_heading, table_lines


def _heading_level(style_name: str) -> int | None:
    if style_name == "Title":
        return 1
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


def _rows(table: Table) -> list[Row]:
    """Each row's cells on the table's grid: a cell merged across columns is read once, in its first column
    (python-docx repeats it in each); rows Word repeats as a header on every page are header rows."""
    rows: list[Row] = []
    for row in table.rows:
        cells: list[str] = []
        seen: list[object] = []  # the cells' XML elements, held so that lxml hands out the same proxy objects
        for cell in row.cells:
            repeated = any(cell._tc is element for element in seen)
            seen.append(cell._tc)
            cells.append("" if repeated else _cell_text(cell))
        properties = row._tr.trPr
        header = properties is not None and properties.find(qn("w:tblHeader")) is not None
        rows.append(Row(cells, header=header))
    return rows


def _cell_text(cell: Any) -> str:
    """A cell's text on one line, a table inside it as its rows apart by " / ", its cells by ", " (python-docx's
    `cell.text` leaves a nested table out: a contact's "Phone: 555-0142 / Room: 12" under "Details"; not "; " or
    " | ", which part the row's own cells)."""
    parts = [
        " / ".join(line.replace("; ", ", ").replace(" | ", ", ") for line in table_lines(_rows(block)))
        if isinstance(block, Table)
        else block.text
        for block in cell.iter_inner_content()
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
                paragraphs = ["".join(p.itertext()).strip() for p in note.iter(qn("w:p"))]
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
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines = table_lines(_rows(block))
            if lines:
                builder.paragraph("\n".join(lines))
            continue
        text = block.text.strip()
        style = style_names.get(block._p.style, style_names[None])
        level = _heading_level(style)
        if level is not None and text:
            builder.heading(level, text)
        elif text:
            builder.paragraph(f"- {text}" if _is_list_item(block, style) else text)
        for note in _referenced(block, notes):  # a footnote after the paragraph that cites it
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

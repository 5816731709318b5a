"""Word .docx via python-docx: headings from the paragraph styles, tables as rows of text."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

import docx
from docx.opc.exceptions import PackageNotFoundError

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import Extracted, SectionBuilder


def _heading_level(style_name: str) -> int | None:
    if style_name == "Title":
        return 1
    if style_name.startswith("Heading "):
        level = style_name.removeprefix("Heading ")
        return int(level) if level.isdigit() else None
    return None


def extract_docx(data: bytes, path: PurePath) -> Extracted:
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractionError(f"not a valid .docx file ({exc}); open and re-save it in Word") from exc
    builder = SectionBuilder()
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        level = _heading_level(paragraph.style.name if paragraph.style is not None else "")
        if level is not None and text:
            builder.heading(level, text)
        elif text:
            builder.paragraph(text)
    for table in document.tables:
        for row in table.rows:
            builder.paragraph(" | ".join(cell.text.strip() for cell in row.cells))
    sections = builder.finish()
    props = document.core_properties
    metadata = {key: value for key, value in {"author": props.author, "subject": props.subject}.items() if value}
    keywords = [word.strip() for word in (props.keywords or "").split(",") if word.strip()]
    return Extracted(sections=sections, title=props.title or None, tags=keywords, metadata=metadata)

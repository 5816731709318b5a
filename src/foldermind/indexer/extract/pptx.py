"""PowerPoint decks (.pptx) via python-pptx: one section per slide, headed `Slide N: its title`, with the text
of every shape (grouped ones too) in the deck's order, tables as rows with their header, and the speaker notes."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import Any

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.archive import open_zip
from foldermind.indexer.extract.base import Extracted, Row, Section, table_lines


def _shape_texts(shapes: Iterable[Any], title_id: int | None) -> Iterator[str]:
    """The text of each shape but the title (by its id: python-pptx hands out a new object on each access)."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _shape_texts(shape.shapes, title_id)
        elif shape.has_text_frame and shape.shape_id != title_id:
            for paragraph in shape.text_frame.paragraphs:
                text = " ".join(paragraph.text.split())
                if text:
                    yield f"{'  ' * paragraph.level}- {text}" if paragraph.level else text
        elif getattr(shape, "has_table", False) and shape.has_table:
            table = shape.table  # a table's first row is its header unless the deck turned that off
            rows = [
                Row([" ".join(cell.text.split()) for cell in row.cells], header=i == 0 and table.first_row)
                for i, row in enumerate(table.rows)
            ]
            yield from table_lines(rows)


def _slide_section(number: int, slide: Any) -> Section:
    title_shape = slide.shapes.title
    title = " ".join(title_shape.text.split()) if title_shape is not None and title_shape.has_text_frame else ""
    lines = list(_shape_texts(slide.shapes, title_shape.shape_id if title_shape is not None else None))
    if slide.has_notes_slide:
        notes = slide.notes_slide.notes_text_frame
        if notes is not None and notes.text.strip():
            lines.append(f"Notes: {notes.text.strip()}")
    heading = f"Slide {number}: {title}" if title else f"Slide {number}"
    return Section(text="\n".join(lines) or title, heading=(heading,))


def extract_pptx(data: bytes, path: PurePath) -> Extracted:
    """Raises ExtractionError for a file that is not a deck, or a zip bomb under its name."""
    import pptx  # 0.2 s to import: only when a deck is read

    open_zip(data, ".pptx").close()
    try:
        deck = pptx.Presentation(io.BytesIO(data))
    except Exception as exc:  # python-pptx raises KeyError, ValueError, PackageNotFoundError for a bad file
        raise ExtractionError(f"not a readable .pptx deck ({type(exc).__name__}: {exc}); re-save it") from exc
    sections = [_slide_section(number, slide) for number, slide in enumerate(deck.slides, start=1)]
    sections = [section for section in sections if section.text]
    first_title = next((s.heading[0].partition(": ")[2] for s in sections if ": " in s.heading[0]), None)
    return Extracted(sections=sections, title=deck.core_properties.title or first_title or None)

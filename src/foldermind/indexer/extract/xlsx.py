"""Excel workbooks (.xlsx, .xlsm) via openpyxl, read-only: one section per sheet, each row with the first
row's cells as its column names, as CSV rows are. Cached formula results are read, not the formulas."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import PurePath
from typing import Any

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.archive import open_zip
from foldermind.indexer.extract.base import Extracted, Section, sheet_section

MAX_ROWS = 100_000  # rows read from one sheet; the rest is named in a warning


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def extract_xlsx(data: bytes, path: PurePath) -> Extracted:
    """Raises ExtractionError for a file that is not a workbook, or a zip bomb under its name."""
    import openpyxl  # 0.3 s to import: only when a workbook is read

    open_zip(data, ".xlsx").close()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, InvalidFileException, ... for a bad file
        raise ExtractionError(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc}); re-save it") from exc
    sections: list[Section] = []
    warnings: list[str] = []
    try:
        for sheet in workbook.worksheets:
            rows: list[list[str]] = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS:
                    warnings.append(f"sheet {sheet.title}: rows after {MAX_ROWS:,} left out")
                    break
                cells = [_cell_text(value) for value in values]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    rows.append(cells)
            section = sheet_section(sheet.title, rows)
            if section.text:
                sections.append(section)
        title = workbook.properties.title
    finally:
        workbook.close()
    return Extracted(sections=sections, title=title or None, warnings=warnings)

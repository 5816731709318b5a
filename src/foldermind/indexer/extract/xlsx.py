"""Excel workbooks (.xlsx, .xlsm) via openpyxl, read-only: one section per sheet, each row with the first
row's cells as its column names, as CSV rows are. Cached formula results are read, not the formulas. A number
is read as the sheet shows it where its format is a common one (`_shown`): a percentage as "15%", not 0.15;
a postcode as "01234", not 1234; an amount with its decimals, grouping and currency, "1,840.50 €"."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import PurePath
from typing import Any

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.archive import open_zip
from foldermind.indexer.extract.base import Extracted, Section, sheet_section

MAX_ROWS = 100_000  # rows read from one sheet; the rest is named in a warning


QUOTED = re.compile(r'"([^"]*)"|\\(.)|\[\$([^\]-]*)(?:-[0-9A-Fa-f]+)?\]|\[[^\]]*\]|_.|\*.')  # literal text, [$€-407]
NUMBER = re.compile(r"[#0?,]*0[#0?,]*(?:\.([0?#]+))?|#(?:[#,]*)")  # the number's part of a format: "#,##0.00"


def _shown(value: float, number_format: str) -> str | None:
    """A number as a format of Excel's shows it, for formats of one number (percentages, fixed decimals,
    grouping, zero padding, literal text and currency around it); None for others (fractions, scientific,
    conditions, dates: openpyxl gives dates as dates). The first of a format's sections is used, for every sign.
    Format codes: ECMA-376 Part 1, 18.8.31."""
    section = number_format.split(";")[0]
    literal = QUOTED.sub(lambda m: m.group(1) or m.group(2) or m.group(3) or "", section)
    if section in ("General", "@") or re.search(r"[eE][+-]|/|[dmyhs]", literal.replace("%", "")):
        return None
    found = NUMBER.search(literal)
    if found is None:
        return None
    pattern = found.group()
    decimals = len(found.group(1) or "")
    scaled = value * 100 if "%" in literal else value
    digits = f"{abs(scaled):,.{decimals}f}" if "," in pattern else f"{abs(scaled):.{decimals}f}"
    whole = pattern.split(".")[0].replace(",", "")
    width = whole.count("0") + (len(digits) - len(digits.split(".")[0]) if decimals else 0)
    if "," not in pattern:
        digits = digits.zfill(width)
    return literal[: found.start()] + ("-" if scaled < 0 else "") + digits + literal[found.end() :]


def _cell_text(value: Any, number_format: str = "General") -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = _shown(value, number_format)
        if shown is not None:
            return " ".join(shown.split())
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.time) and "s" not in number_format.lower():
        return value.strftime("%H:%M")  # "hh:mm": as shown, without the seconds
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
            for number, row in enumerate(sheet.iter_rows(), start=1):
                if number > MAX_ROWS:
                    warnings.append(f"sheet {sheet.title}: rows after {MAX_ROWS:,} left out")
                    break
                cells = [_cell_text(cell.value, getattr(cell, "number_format", "General")) for cell in row]
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

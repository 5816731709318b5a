"""Excel workbooks (.xlsx, .xlsm) via openpyxl, read-only: one section per sheet, each row with the first
row's cells as its column names, as CSV rows are. Cached formula results are read, not the formulas. A number
is read as the sheet shows it where its format is a common one (`_shown`): a percentage as "15%", not 0.15;
a postcode as "01234", not 1234; an amount with its decimals, grouping and currency, "1,840.50 €"."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath
from typing import Any

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.archive import open_zip
from foldermind.indexer.extract.base import Extracted, Section, sheet_section

MAX_ROWS = 100_000  # rows read from one sheet; the rest is named in a warning


# Literal text in a format section: "kg", \% (an escaped character), [$€-407] (a currency), and what prints
# nothing: [Red], _) (a space as wide as ")"), *- (a fill).
LITERAL = re.compile(r'"([^"]*)"|\\(.)|\[\$([^\]-]*)(?:-[0-9A-Fa-f]+)?\]|\[[^\]]*\]|_.|\*.')
# The number in a section: the integer part's 0 and # (grouped by "," or not), its decimals, and the commas after
# it that divide by 1,000 each ("#,##0,K").
NUMBER = re.compile(r"(?P<whole>[#0]*(?:,[#0]+)*)(?:\.(?P<decimals>[0#]*))?(?P<scale>,*)")
PLACEHOLDERS = re.compile(r"[0#?]")


def _shown(value: float, number_format: str) -> str | None:
    """A number as Excel shows it under a format of one number: fixed or optional decimals, grouping, zero
    padding, a percentage, thousands scaling, literal text and a currency around it, the first section's for
    every sign; rounded half away from zero, as Excel rounds. None for any other format (a condition, a
    fraction, scientific, digits split by literal text such as a phone number's "000-0000", dates: openpyxl
    gives dates as dates), which is then read as stored. Format codes: ECMA-376 Part 1, 18.8.31."""
    section = number_format.split(";")[0]
    if section in ("General", "@") or re.search(r"\[[<>=]", section):
        return None
    pieces: list[str] = []

    def literal(match: re.Match[str]) -> str:
        pieces.append(match.group(1) or match.group(2) or match.group(3) or "")
        return "\x00"  # where a literal stood

    code = LITERAL.sub(literal, section)
    percent = "%" in code
    if re.search(r"[eE][+-]|/|[dmyhs?@]|[0#] +[0#]", code):  # scientific, fraction, date, text, "# ##0"
        return None
    found = max(NUMBER.finditer(code), key=lambda match: len(match.group()))
    whole, decimals = found["whole"], found["decimals"] or ""
    if not PLACEHOLDERS.search(whole + decimals) or PLACEHOLDERS.search(code[: found.start()] + code[found.end() :]):
        return None
    number = Decimal(repr(value)) * (100 if percent else 1) / Decimal(1000) ** len(found["scale"])
    rounded = number.quantize(Decimal(1).scaleb(-len(decimals)), rounding=ROUND_HALF_UP)
    digits = f"{abs(rounded):,f}" if "," in whole else f"{abs(rounded):f}"
    integer, _, fraction = digits.partition(".")
    integer = integer.zfill(whole.count("0") + (integer.count(",") if "," in whole else 0))
    fraction = fraction.rstrip("0").ljust(decimals.count("0"), "0") if "#" in decimals else fraction
    text = ("-" if rounded < 0 else "") + integer + ("." + fraction if fraction else "")
    before, after = code[: found.start()], code[found.end() :]
    shown = before + text + after
    for piece in pieces:
        shown = shown.replace("\x00", piece, 1)
    return shown


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

"""Rich Text Format (.rtf) via striprtf: the text with control words and groups (fonts, colours, pictures)
stripped, in the code page the file declares (Western, cp1252, by default)."""

from __future__ import annotations

import re
from pathlib import PurePath

from striprtf.striprtf import rtf_to_text

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import Extracted, plain_sections

CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")


def extract_rtf(data: bytes, path: PurePath) -> Extracted:
    """Raises ExtractionError when the file does not begin as RTF does (`{\\rtf`)."""
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ExtractionError("not an RTF file (it does not begin with {\\rtf); rename it or re-save it")
    declared = CODE_PAGE.search(data[:4096])
    encoding = f"cp{declared.group(1).decode()}" if declared else "cp1252"
    try:
        text = rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")
    except LookupError:
        text = rtf_to_text(data.decode("latin-1"), encoding="cp1252", errors="replace")
    return Extracted(sections=plain_sections(text))

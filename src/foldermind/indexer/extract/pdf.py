"""PDF via pypdf (pure Python, no system libraries): one section per page, so answers can cite the page."""

from __future__ import annotations

import io
import logging
from pathlib import PurePath

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import Extracted, Section

logging.getLogger("pypdf").setLevel(logging.ERROR)


def extract_pdf(data: bytes, path: PurePath) -> Extracted:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError("the PDF is password-protected; save an unprotected copy")
        sections: list[Section] = []
        offset = 0
        for number, page in enumerate(reader.pages, start=1):
            text = (page.extract_text() or "").strip()
            if text:
                sections.append(Section(text=text, page=number, start=offset))
                offset += len(text) + 2
        info = reader.metadata or {}
        title = str(info.get("/Title") or "").strip() or None
        author = str(info.get("/Author") or "").strip()
    except ExtractionError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ExtractionError(f"the PDF is damaged or unreadable ({exc}); re-export or re-download it") from exc
    if not sections:
        raise ExtractionError("the PDF has no text layer (a scan?); run OCR on it first")
    return Extracted(sections=sections, title=title, metadata={"author": author} if author else {})

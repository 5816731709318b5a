"""Jupyter notebooks (.ipynb): markdown cells as Markdown (their headings become the heading path), code cells
as fenced code in the notebook's language; outputs are left out (they repeat data, not what was written)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import Extracted, decode_text
from foldermind.indexer.extract.data import json_error, load_json
from foldermind.indexer.extract.markdown import extract_markdown


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _language(notebook: dict[str, Any]) -> str:
    metadata = notebook.get("metadata") or {}
    language = (metadata.get("language_info") or {}).get("name") or (metadata.get("kernelspec") or {}).get("language")
    return str(language or "")


def extract_notebook(data: bytes, path: PurePath) -> Extracted:
    """The notebook as the Markdown document its cells make. Raises ExtractionError for invalid JSON or a
    notebook of format 3 or older (no top-level `cells`)."""
    try:
        notebook = load_json(decode_text(data))  # an integer of thousands of digits kept as text
    except json.JSONDecodeError as exc:
        raise ExtractionError(f"not a notebook: invalid JSON: {json_error(exc)}") from exc
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise ExtractionError("not a Jupyter notebook of format 4 (no cells); open and save it in Jupyter")
    fence = f"```{_language(notebook)}"
    parts = []
    for cell in cells:
        source = _source(cell).strip() if isinstance(cell, dict) else ""
        if source and cell.get("cell_type") == "markdown":
            parts.append(source)
        elif source and cell.get("cell_type") == "code":
            parts.append(f"{fence}\n{source}\n```")
    extracted = extract_markdown("\n\n".join(parts).encode(), path)
    return replace(extracted, source=None)  # its lines are the cells', not the .ipynb file's

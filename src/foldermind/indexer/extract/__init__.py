"""One extractor per file type behind one signature: (bytes, path) -> Extracted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import Extracted, Section
from foldermind.indexer.extract.data import extract_csv, extract_json, extract_jsonl
from foldermind.indexer.extract.docx import extract_docx
from foldermind.indexer.extract.examples import extract_examples, is_examples_file
from foldermind.indexer.extract.html import extract_html
from foldermind.indexer.extract.markdown import extract_markdown
from foldermind.indexer.extract.pdf import extract_pdf
from foldermind.indexer.extract.text import extract_text

Extractor = Callable[[bytes, PurePath], Extracted]

CODE_SUFFIXES = [
    ".py",
    ".js",
    ".mjs",
    ".ts",
    ".tsx",
    ".jsx",
    ".java",
    ".kt",
    ".c",
    ".h",
    ".cc",
    ".cpp",
    ".hpp",
    ".cs",
    ".go",
    ".rs",
    ".rb",
    ".php",
    ".swift",
    ".scala",
    ".sh",
    ".bash",
    ".zsh",
    ".sql",
    ".r",
    ".lua",
    ".pl",
    ".hs",
    ".ml",
    ".ex",
    ".exs",
    ".clj",
    ".css",
    ".scss",
    ".vue",
    ".svelte",
    ".toml",
    ".yaml",
    ".yml",
    ".ini",
    ".cfg",
    ".xml",
]
TEXT_SUFFIXES = [".txt", ".text", ".rst", ".org", ".log", ".tex"]

EXTRACTORS: dict[str, Extractor] = {
    **dict.fromkeys(TEXT_SUFFIXES, extract_text),
    **dict.fromkeys(CODE_SUFFIXES, extract_text),
    ".md": extract_markdown,
    ".markdown": extract_markdown,
    ".pdf": extract_pdf,
    ".docx": extract_docx,
    ".html": extract_html,
    ".htm": extract_html,
    ".json": extract_json,
    ".jsonl": extract_jsonl,
    ".csv": extract_csv,
}


EXAMPLES = "examples"  # the file type of a user's training examples (NAME.train.jsonl, NAME.train.json)


def file_type(path: PurePath) -> str:
    return EXAMPLES if is_examples_file(path) else path.suffix.lower().lstrip(".")


def _extractor(path: PurePath) -> Extractor:
    return extract_examples if is_examples_file(path) else EXTRACTORS[path.suffix.lower()]


def supported(path: PurePath) -> bool:
    return path.suffix.lower() in EXTRACTORS


def extract(data: bytes, path: PurePath) -> Extracted:
    """Pick the extractor by suffix; an empty result is an error so that `status` can say why."""
    if not data.strip():
        raise ExtractionError("the file is empty")
    extracted = _extractor(path)(data, path)
    if not any(section.text.strip() for section in extracted.sections):
        raise ExtractionError("no text found in the file")
    return extracted


__all__ = ["EXTRACTORS", "Extracted", "ExtractionError", "Section", "extract", "file_type", "supported"]

"""Markdown: YAML front matter as metadata, #tags, [[wikilinks]], a section per heading, and each row of a
table as `Header: value; ...` on its own line (base.row_text), so that a row in another chunk than its table's
header still says what its values are. The rewrite keeps every line where it was: `source` is the file with
its table rows rewritten, so line numbers stay those of the file."""

from __future__ import annotations

import itertools
import re
from pathlib import PurePath
from typing import Any

import frontmatter
import yaml
from markdown_it import MarkdownIt

from foldermind.indexer.extract.base import Extracted, Section, decode_text, row_text

TAG = re.compile(r"(?<![\w#&/])#([A-Za-z][\w/-]*)")
WIKILINK = re.compile(r"\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_parser = MarkdownIt("commonmark").enable("table")


def _string_keys(value: Any) -> Any:
    """YAML allows any scalar as a key (a date, a number); metadata keys are strings, as a user types them."""
    if isinstance(value, dict):
        return {str(key): _string_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_string_keys(item) for item in value]
    return value


def _split_front_matter(text: str) -> tuple[dict[str, Any], str, list[str]]:
    """(metadata, body, warnings): front matter that is not a YAML mapping is indexed as text, with a warning."""
    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        return {}, text, []
    try:
        raw, body = handler.split(text)
        metadata = handler.load(raw) or {}
    except (yaml.YAMLError, ValueError) as exc:
        problem = str(exc).splitlines()[0]
        return {}, text, [f"front matter is not valid YAML ({problem}); indexed as plain text"]
    if not isinstance(metadata, dict):
        return {}, text, ["front matter is not a list of `key: value` lines; indexed as plain text"]
    return _string_keys(metadata), body, []


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip().lstrip("#") for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return [str(part).strip().lstrip("#") for part in value if str(part).strip()]
    return [str(value)]


def _table_rows_with_header(body: str) -> str:
    """The body with each table body row (a line of its own in the file) rewritten as `Header: value; ...`."""
    lines = body.splitlines(keepends=True)
    tokens = _parser.parse(body)
    header: list[str] = []
    row: list[str] = []
    line: int | None = None  # the file line of the row being read
    for token in tokens:
        if token.type == "tr_open":
            row, line = [], token.map[0] if token.map else None
        elif token.type == "inline" and line is not None and token.map and token.map[0] == line:
            row.append(" ".join(token.content.split()))
        elif token.type == "tr_close" and line is not None:
            if not header:
                header = row
            elif any(row) and line < len(lines):
                ending = lines[line][len(lines[line].rstrip("\r\n")) :]
                lines[line] = row_text(header, row) + ending
            line = None
        elif token.type == "table_close":
            header = []
    return "".join(lines)


def _sections(body: str, offset: int) -> tuple[list[Section], str | None]:
    """Cut the body at every heading; each section knows its full heading path."""
    lines = body.splitlines(keepends=True)
    line_starts = [0]
    for line in lines:
        line_starts.append(line_starts[-1] + len(line))
    tokens = _parser.parse(body)
    headings = [
        (token.map[0], token.map[1], int(token.tag[1]), tokens[i + 1].content.strip())
        for i, token in enumerate(tokens)
        if token.type == "heading_open" and token.map
    ]
    title = next((text for _, _, level, text in headings if level == 1), None)
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    bounds = [(0, 0, None, None), *headings, (len(lines), len(lines), None, None)]
    for (_, body_start, level, text), (next_start, _, _, _) in itertools.pairwise(bounds):
        if level is not None:
            path = [(lvl, name) for lvl, name in path if lvl < level] + [(level, text)]
        chunk = "".join(lines[body_start:next_start])
        if chunk.strip():
            sections.append(
                Section(
                    text=chunk,
                    heading=tuple(name for _, name in path),
                    start=offset + line_starts[body_start],
                )
            )
    return sections, title


def extract_markdown(data: bytes, path: PurePath) -> Extracted:
    text = decode_text(data)
    metadata, body, warnings = _split_front_matter(text)
    offset = max(text.find(body), 0) if body else 0
    body = _table_rows_with_header(body)
    text = text[:offset] + body
    sections, h1 = _sections(body, offset)
    prose = CODE.sub(" ", body)
    tags = dict.fromkeys(_as_list(metadata.pop("tags", None)) + TAG.findall(prose))
    links = dict.fromkeys(match.group(1).strip() for match in WIKILINK.finditer(prose))
    title = metadata.pop("title", None)
    return Extracted(
        sections=sections,
        title=str(title) if title else h1,
        tags=list(tags),
        links=list(links),
        metadata=metadata,
        source=text,
        warnings=warnings,
    )

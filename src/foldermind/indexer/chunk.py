"""Structure-aware chunking bounded in tokens of the embedding model's own tokenizer.

Chunks never cross a section (heading or page), prefer paragraph boundaries, fall back to sentences and,
for a sentence too long on its own, to token windows. Each chunk is an exact span of its section, so its
offsets point back into the document, and it starts with the last sentences of the previous chunk
(up to `overlap` tokens) so that no sentence loses its context. A block of lines (a record's fields, a
table's rows, a list) no longer than half a chunk is in that overlap whole or not at all, so that no record
is read without its first fields ("alpha_4: Cyrl" above "name: Cyrillic"). A chunk of records (a table's rows,
a record file's objects: Section.records) is embedded under its document's title, which its rows' words lack
("debian" over "version: 12 / codename: Bookworm"): bench/RESULTS.md, "Records under their file's title".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from foldermind.indexer.extract.base import Extracted, Section

# A sentence ends at . ! ? before a space, or at a line end; a dot inside "2.5", "example.com" or
# "trip.city" does not end it (nor start the next one, which cut such words off a chunk's start).
SENTENCE = re.compile(r"(?:[^\n.!?]|[.!?]+(?![.!?]|\s|$))*(?:[.!?]+(?=\s|$)|\n|$)")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
LINE_END = re.compile(r"[ \t]*(?:\n|\Z)")  # matched where a unit ends: it ends its line


class Tokenizer(Protocol):
    def count(self, texts: list[str]) -> list[int]: ...

    def windows(self, text: str, size: int) -> list[tuple[int, int]]: ...


@dataclass(frozen=True)
class Chunk:
    text: str
    heading: tuple[str, ...]
    page: int | None
    start: int
    end: int
    title: str = ""  # its document's title, for a record, whose words lack what the file is about ("debian")
    record: bool = False  # it holds records (Section.records: a table's rows, a record file's objects)

    def embed_text(self) -> str:
        """What the model sees: the heading path (under the title, for a record) gives a short chunk the context
        its words lack."""
        where = context_line(self.title, self.heading)
        return f"{where}\n{self.text}" if where else self.text


def context_line(title: str, heading: tuple[str, ...]) -> str:
    """The line a chunk is embedded under: its heading path, under its title where it has one ("debian > Sheet1")."""
    return " > ".join((title, *heading) if title else heading)


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    tokens: int
    paragraph: int
    line: bool  # it ends at a line's end: a record's field, a table's row, a list's item, a wrapped line


def _spans(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, paragraph number) of each non-blank sentence."""
    paragraph_starts = [0] + [m.end() for m in PARAGRAPH_BREAK.finditer(text)]
    paragraph = 0
    for match in SENTENCE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        while paragraph + 1 < len(paragraph_starts) and paragraph_starts[paragraph + 1] <= start:
            paragraph += 1
        yield start, end, paragraph


def _units(text: str, tokenizer: Tokenizer, budget: int) -> list[_Unit]:
    spans = list(_spans(text))
    counts = tokenizer.count([text[start:end] for start, end, _ in spans])
    units: list[_Unit] = []
    for (start, end, paragraph), tokens in zip(spans, counts, strict=True):
        line = LINE_END.match(text, end) is not None
        if tokens <= budget:
            units.append(_Unit(start, end, tokens, paragraph, line))
            continue
        windows = tokenizer.windows(text[start:end], budget)
        sizes = tokenizer.count([text[start + piece_start : start + piece_end] for piece_start, piece_end in windows])
        for i, ((piece_start, piece_end), size) in enumerate(zip(windows, sizes, strict=True)):
            last = i == len(windows) - 1  # a window ends between words, so it may hold fewer than `budget` tokens
            units.append(_Unit(start + piece_start, start + piece_end, size, paragraph, line and last))
    return units


def _lines_block(units: list[_Unit]) -> bool:
    """Whether units of one paragraph are lines (a record, a table, a list), not sentences of prose."""
    return len(units) > 1 and all(unit.line for unit in units)


def _overlap_from(units: list[_Unit], overlap: int, whole_at_most: int) -> list[_Unit]:
    """The units of a finished chunk that open the next: its last sentences, up to `overlap` tokens, never the
    whole chunk (every chunk moves forward). A block of lines that starts in this chunk and takes at most
    `whole_at_most` tokens here (a record, a short list) is in them whole or not at all, so that no chunk opens
    with a record's last fields as if they were all of it; a longer block (a log, a function) keeps its last
    lines as context."""
    kept: list[_Unit] = []
    total = 0
    for unit in reversed(units[1:]):
        if total + unit.tokens > overlap:
            break
        kept.insert(0, unit)
        total += unit.tokens
    first = len(units) - len(kept)  # where the overlap starts in `units`
    if kept and units[first - 1].paragraph == kept[0].paragraph:  # inside a paragraph
        block = [unit for unit in units if unit.paragraph == kept[0].paragraph]
        short = block[0] is not units[0] and sum(unit.tokens for unit in block) <= whole_at_most
        if short and _lines_block(block):
            kept = [unit for unit in kept if unit.paragraph != kept[0].paragraph]
    return kept


def _paragraph_tokens_left(units: list[_Unit]) -> list[int]:
    """For each unit, the tokens from it to the end of its paragraph."""
    left = [0] * len(units)
    for i in reversed(range(len(units))):
        same = i + 1 < len(units) and units[i + 1].paragraph == units[i].paragraph
        left[i] = units[i].tokens + (left[i + 1] if same else 0)
    return left


def _pack(units: list[_Unit], budget: int, overlap: int) -> Iterator[list[_Unit]]:
    current: list[_Unit] = []
    used = fresh = 0  # tokens in `current`; units in it that are not overlap
    for unit, paragraph_left in zip(units, _paragraph_tokens_left(units), strict=True):
        new_paragraph = bool(current) and unit.paragraph != current[-1].paragraph
        full = used + unit.tokens > budget
        break_here = new_paragraph and used + paragraph_left > budget and used > budget // 2
        if fresh and (full or break_here):
            yield current
            current = _overlap_from(current, min(overlap, budget - unit.tokens), budget // 2)
            used, fresh = sum(u.tokens for u in current), 0
        current.append(unit)
        used += unit.tokens
        fresh += 1
    if fresh:
        yield current


def chunk_section(
    section: Section, tokenizer: Tokenizer, max_tokens: int, overlap: int, title: str = ""
) -> list[Chunk]:
    """The section's chunks, each at most `max_tokens` of the tokenizer's with its heading path (and, in a
    section of records, `title`, its document's, which they are embedded under) and the model's two special
    tokens."""
    title = title if section.records else ""
    where = context_line(title, section.heading)
    where_tokens = tokenizer.count([where])[0] if where else 0
    budget = max(16, max_tokens - 2 - where_tokens)  # 2: the model's [CLS] and [SEP]
    units = _units(section.text, tokenizer, budget)
    return [
        Chunk(
            text=section.text[group[0].start : group[-1].end],
            heading=section.heading,
            page=section.page,
            start=section.start + group[0].start,
            end=section.start + group[-1].end,
            title=title,
            record=section.records,
        )
        for group in _pack(units, budget, overlap)
    ]


def chunk_document(
    extracted: Extracted, tokenizer: Tokenizer, max_tokens: int, overlap: int, title: str = ""
) -> list[Chunk]:
    """The chunks of every section in order; `title` is the document's (chunk_section)."""
    return [
        chunk
        for section in extracted.sections
        for chunk in chunk_section(section, tokenizer, max_tokens, overlap, title)
    ]

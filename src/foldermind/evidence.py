"""Evidence: the few lines of the retrieved notes that answer a question.

A 135M model given five whole chunks picks the wrong fact about as often as the right one; given the three
lines that hold the answer it mostly copies it. So retrieval ends here, at line level: every retrieved chunk
is cut into short passages (a paragraph, or a window of lines inside a long one, with the line that heads
it kept on top so an option's description keeps the option's name), each passage is scored against the
question by meaning (the index's own embedding model) and by the question's rarer words, and the best
passages become both what the model reads and the `evidence` a user can check the answer against.
The best passage's score is also the relevance test: below `min_evidence` the notes do not answer it.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import math
import re
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np
import snowballstemmer

from foldermind.facts import (
    CALENDAR,
    CLOSING,
    DAY_MONTH_YEAR,
    EDGES,
    KIND_PATTERNS,
    LATEST_ASKED,
    MONTH,
    MONTH_DAY_YEAR,
    MONTHS,
    NUMERIC_DATE,
    TITLES,
    TURN_ASKED,
    WEEKDAYS,
    WHERE_PLACE,
    YES_NO_VERBS,
    asked_kind,
    asked_shape,
    asked_turn,
    calendar_spans,
    contacts,
    facts,
    has_shape,
    heading_date,
    iso_dates,
    main_question,
    names,
    places,
    single_days,
    states,
    thing_head,
    written_days,
)
from foldermind.indexer.records import lines, location
from foldermind.indexer.search import QUESTION_WORDS, STOPWORDS, Hit, given_stopwords, written_codes

WORD = re.compile(r"[\w][\w.+-]*")
Spans = list[tuple[datetime.date, datetime.date]]  # the first and last days of dates (`calendar_spans`)
DOT = re.compile(r"\.")  # a dotted key's joint ("trip.hotel")
POSSESSIVE = re.compile(r"['’]s?$")  # "Heron's", "Jonas'"
POSSESSIVE_S = re.compile(r"(?<=\w)['’]s\b", re.I)  # the "'s" of a possessive inside a text
COMPOUND = re.compile(r"\.|(?<=[^\W\d])[_-]|[_-](?=[^\W\d])")  # a dot; a dash or underscore by a letter
# After a full stop, also one inside a closing quote or bracket where a sentence starts next ('it failed."
# Then ...'; not '(pears, etc.) and').
SENTENCE_END = re.compile(rf"(?<=[.!?])\s+(?=\S)|(?<=[.!?][{re.escape(CLOSING)}])\s+(?=[A-Z0-9\"'“‘(\[])")
SENTENCE_DONE = re.compile(r"[.!;][\"'”’)\]]*$")  # a line that ends a sentence (not "?": an FAQ's question leads)
# A line shorter than this share of its paragraph's longest ends where it does, not where the measure filled it.
FILLED = 0.8
MAX_UNITS = 6  # a paragraph of up to this many lines is one passage; longer ones are cut into windows
WINDOW = 3  # lines per window inside a long paragraph
# A record (`key: value` lines alone) of up to this many fields is one passage: iso-codes' countries have 7.
RECORD_UNITS = 12
EMBED_AT_MOST = 24  # passages whose meaning is compared with the question's (the rest score on words alone)
# Added to the score of a passage that states the kind of fact asked for (a date for "when", an option for
# "which option"): on the tune splits of bench/answer_bench.py it moved the answering passage first for 1 of
# 18 man-page questions and none of 27 prose ones, and no weight from 0.05 to 0.3 did better or worse.
KIND_BONUS = 0.1
CELL_SLOTS = 4  # passages of table rows a question's word keys, embedded whatever their word share
# A name or number of the question that at most this share of the candidates hold (or one) says which of them
# is asked about ("Which script has the code Dsrt?", "protocol number 47"): its weight counts IDENTIFIES times.
# Where the record that holds it says little else in the question's words, the meaning of "Code for uncoded
# script" was closer. On the tune splits of bench/evidence_bench.py: 72 -> 76 of 90 first passages right
# (4 of 21 records; none of 51 notes or 18 man pages changed); 4 and 5 times gave 76, 1.5 and 2 times 73, and
# at 3 times a share of 3 % gave 75, 10 % 76 (bench/RESULTS.md). One that the passages of only one of several
# documents hold is rare however many of them hold it (a table's overlapping windows): records tune 0.90 -> 0.95.
RARE_SHARE = 0.05
IDENTIFIES = 3.0
# A question that asks for a default in other words ("when no signal is specified", "if none is given",
# "without any options") asks for the word its answer uses: manual pages, guides and settings references say
# "default" ("The default signal for kill is TERM").
DEFAULT_ASKED = re.compile(
    r"\b(?:when|if)\s+no\s+\w+\s+(?:is|are)\s+(?:given|set|specified|provided|passed|chosen|named)\b"
    r"|\b(?:when|if)\s+(?:\S+\s+){0,2}(?:(?:is|are)\s+)?(?:not\s+(?:given|set|specified)|unset|left\s+(?:empty|out|unset)"
    r"|(?:don['’]t|do\s+not|doesn['’]t|does\s+not)\s+(?:set|give|specify|pass|choose|provide))\b"
    r"|\bwithout\s+(?:any\s+)?(?:options?|arguments?|flags?)\b|\bout of the box\b",
    re.I,
)
# A question asking when something came out asks for its release: notes, changelogs and release tables say
# "released" and "release: 2008-04-24".
RELEASE_ASKED = re.compile(r"\b(?:come|came|comes|coming)\s+out\b", re.I)
LONG_LINE = 220  # characters past which a line (a wrapped-less paragraph) is cut at sentence ends


@dataclass(frozen=True)
class Passage:
    """A few consecutive lines of one retrieved chunk, with where they sit in the document."""

    hit: Hit
    text: str  # what the model and the user read: the lines, headed by the line that governs them if apart
    start: int  # character offsets of the lines in the document
    end: int
    first_line: int | None  # 1-based line numbers in the document, where the format has lines
    last_line: int | None
    score: float = 0.0

    def location(self) -> str:
        """Where the lines are, as a reader would look for them: "page 3", a heading, "lines 110-114"."""
        where = (location(self.hit.page, self.hit.heading), lines(self.first_line, self.last_line))
        return ", ".join(part for part in where if part)


@dataclass(frozen=True)
class _Unit:
    start: int  # offsets in the chunk text
    end: int
    indent: int
    paragraph: int
    line: int  # line index within the chunk where the unit starts
    last: int  # and where it ends: a sentence of filled prose goes on over lines


TAB_ROW = re.compile(r"\S\t+\S")  # cells split by tabs: a row of a table saved as text ("git\t9418/tcp")
COLUMNS = re.compile(r"\t|[^\s.!?:,\"')\]”’]  +\S")  # a tab, or two spaces where no sentence, clause or key ends
FILLED_AT_LEAST = 40  # characters of a paragraph's longest line for its lines to be prose filled to a measure
SENTENCE_LINES = 5  # lines one sentence of filled prose spans at most (more: a listing, read by its lines)


@dataclass(frozen=True)
class _Line:
    number: int  # line index within the chunk
    start: int  # offsets of its text, stripped
    end: int
    indent: int


def _units(text: str) -> list[_Unit]:
    """Non-blank lines, numbered by the blank-line paragraph they are in; a long line, and the lines of a
    paragraph filled to a measure (`_filled`: a text file's or a PDF's prose), are cut at sentence ends instead,
    so that a unit is a sentence whichever format wrapped it (a web page's paragraph is one line)."""
    units: list[_Unit] = []
    paragraph, offset = 0, 0
    block: list[_Line] = []
    for number, line in enumerate([*text.split("\n"), ""]):
        stripped = line.strip()
        if stripped:
            indent = _indent(line)
            block.append(_Line(number, offset + indent, offset + indent + len(stripped), indent))
        elif block:
            units.extend(unit for run in _filled(text, block) for unit in _sentences(text, run, paragraph))
            paragraph, block = paragraph + 1, []
        offset += len(line) + 1
    return units


def _sentences(text: str, run: list[_Line], paragraph: int) -> list[_Unit]:
    """The units of one line, or of lines filled as one text: its sentences, where it is several lines or one
    longer than LONG_LINE. Lines holding more sentences than lines, or no sentence's end, or a "sentence" of more
    than SENTENCE_LINES lines (not a narrow column's, of lines shorter than FILLED_AT_LEAST), are no prose (a table
    of contents' dot leaders, a listing): their lines instead."""
    said = text[run[0].start : run[-1].end]
    if len(run) == 1 and len(said) <= LONG_LINE:
        return [_Unit(run[0].start, run[0].end, run[0].indent, paragraph, run[0].number, run[0].number)]
    found = _sentence_pieces(said)
    ended = any(SENTENCE_DONE.search(pieces[-1]) for pieces in found)
    if len(run) > 1 and (len(found) > len(run) or not ended):  # dot leaders; a listing: no prose
        return [unit for line in run for unit in _sentences(text, [line], paragraph)]
    units: list[_Unit] = []
    begin = run[0].start
    for pieces in found:
        at = text.index(pieces[0], begin)
        for piece in pieces:
            begin = text.index(piece, begin) + len(piece)
        lines = [line for line in run if line.start < begin and line.end > at]
        narrow = max(line.end - line.start for line in lines) < FILLED_AT_LEAST  # a narrow column's sentence
        if len(lines) > SENTENCE_LINES and not narrow:  # each line's part of it
            parts = [replace(line, start=max(line.start, at), end=min(line.end, begin)) for line in lines]
            units.extend(unit for part in parts for unit in _sentences(text, [part], paragraph))
        else:
            units.append(_Unit(at, begin, run[0].indent, paragraph, lines[0].number, lines[-1].number))
    return units


def _filled(text: str, block: list[_Line]) -> list[list[_Line]]:
    """A paragraph's lines in runs that are one text filled to a measure: a line as wide as most of the
    paragraph's longest (FILLED, at least FILLED_AT_LEAST characters), or one that stops inside a sentence where
    the next opens in lower case (a narrow column's), goes on in the next line at its indent,
    unless it asks for what follows (":", "?") or either is no prose line (`_prose_line`: a field, a list item, a
    table's row, an option's entry, columns). Every other line is a run of its own."""
    width = max(line.end - line.start for line in block)
    said = [text[line.start : line.end] for line in block]
    prose = [_prose_line(line) for line in said]  # once a line: this runs on every chunk a question reads
    runs: list[list[_Line]] = [[block[0]]]
    for i, (before, line) in enumerate(itertools.pairwise(block)):
        filled = width >= FILLED_AT_LEAST and len(said[i]) >= FILLED * width
        # a line that stops inside a sentence, which the next goes on in lower case ("doors and must" over "never
        # be"): a web page's narrow columns printed to PDF, a note wrapped short (not a list's next item, "Room 12
        # key in drawer 5" over "Room 14 key ...", though a name going on in the next line is read apart)
        broken = SENTENCE_DONE.search(said[i]) is None and said[i + 1][:1].islower()
        goes_on = (
            (filled or broken)
            and line.indent == before.indent
            and not said[i].endswith((":", "?"))
            and prose[i]
            and prose[i + 1]
        )
        if goes_on:
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


def _prose_line(said: str) -> bool:
    """Whether a line may be part of a filled paragraph: not a field, list item, table row or option's entry, nor
    columns apart by a tab or by spaces (`COLUMNS`: a listing, or a manual page's text that groff justified)."""
    return not (COLUMNS.search(said) or RECORD.match(said) or ENTRY.match(said) or TABLE_ROW.fullmatch(said))


def _windows(text: str, units: list[_Unit], continued: bool = False) -> list[tuple[_Unit | None, list[_Unit]]]:
    """(governing head or None, the units of one passage). A paragraph that does not end a sentence (a
    heading, an FAQ's question, "The equivalent of cvs update is", "as follows:", a command) leads into the
    next one: both are one passage where they fit in MAX_UNITS, else its last line heads the next one's
    windows, so an answer is never read without what it answers. A line that asks for what follows ("author:",
    a question) never ends a passage; an entry of a definition list (`_leads`) does not lead. `continued`: the
    text is a chunk that starts inside its document, whose first paragraph may be the end of one cut apart."""
    paragraphs: dict[int, list[_Unit]] = {}
    for unit in units:
        paragraphs.setdefault(unit.paragraph, []).append(unit)
    groups = list(paragraphs.values())
    found: list[tuple[_Unit | None, list[_Unit]]] = []
    carry: list[_Unit] = []  # the paragraphs leading into this one
    for n, group in enumerate(groups):
        merged, head = carry + group, None
        if carry and _size(merged) > MAX_UNITS:
            merged, head = group, carry[-1]
        following = groups[n + 1] if n + 1 < len(groups) else []
        carry = []
        if _leads(text, group, following, cut=continued and n == 0) and not _next_entry(text, merged, following):
            if following and head is None and (_size(merged + following) <= MAX_UNITS or len(merged) == 1):
                carry = merged
                continue
            carry = [merged[0] if _record(text, merged) else merged[-1]]  # a memo's first field names it
            if _introduces(text, merged[-1]):
                # It belongs to what follows (heading its windows, or in the next chunk): a passage ending in
                # "author:" or "written by Guido van Rossum:" is not the one that answers.
                merged = merged[:-1] or (merged if not found and n + 1 == len(groups) else [])
        if rows := _table_rows(text, merged):
            found.extend((caption or head, row) for caption, row in rows)
            continue
        if _record(text, merged):  # one record, read whole where it is short: its fields answer together
            short = len(_lines(merged)) <= RECORD_UNITS
            found.extend([(head, merged)] if short else _record_windows(head, _fields_of(merged)))
            continue
        for entry_head, entry, governed in _entries(text, head, merged) if merged else []:
            found.extend(_cut(entry_head, entry, governed))
    return found


def _lines(group: list[_Unit]) -> list[list[_Unit]]:
    """A paragraph's units by the line they are on: a line longer than LONG_LINE is several units, yet one
    table row or one record field."""
    found: list[list[_Unit]] = []
    for unit in group:
        if found and found[-1][-1].last == unit.line:
            found[-1].append(unit)
        else:
            found.append([unit])
    return found


def _text(text: str, line: list[_Unit]) -> str:
    """A line's text (its units and what stands between them), stripped."""
    return text[line[0].start : line[-1].end].strip()


def _fields_of(group: list[_Unit]) -> list[list[_Unit]]:
    """A paragraph's lines, each with the more indented lines under it: a field's value folded over several
    lines, as Debian's control files, a package's METADATA and a vCard write a long one."""
    fields: list[list[_Unit]] = []
    left = min((unit.indent for unit in group), default=0)  # a key's indent (a chunk may open inside a value)
    for line in _lines(group):
        if fields and line[0].indent > left:
            fields[-1].extend(line)
        else:
            fields.append(line)
    return fields


def _record(text: str, group: list[_Unit]) -> bool:
    """Whether a paragraph is one record: two or more `key: value` lines and nothing else (a CSV's row, a
    JSON object, a front matter, a package's stanza whose fields' values go on indented), not an option's
    entry."""
    return _record_lines([_text(text, _lines(field)[0]) for field in _fields_of(group)])


def _record_windows(head: _Unit | None, fields: list[list[_Unit]]) -> list[tuple[_Unit | None, list[_Unit]]]:
    """A record too long to read whole as windows of WINDOW fields (each with its folded lines), each headed by
    `head` or else by the record's first field, which names it ("Package: fakeroot" over "Maintainer: ..."); a
    window longer than MAX_UNITS lines (a licence's forty) cut as `_cut` cuts a paragraph."""
    found: list[tuple[_Unit | None, list[_Unit]]] = []
    for i in range(0, max(1, len(fields) - WINDOW + 1)):
        window = [unit for field in fields[i : i + WINDOW] for unit in field]
        found.extend(_cut(head or (fields[0][0] if i > 0 else None), window, governed=True))
    return found


def _record_lines(lines: list[str]) -> bool:
    """Two or more lines, each a `key: value` (not an option's entry, not a list item), with no key twice and
    no more than half of the values sentences (VALUE_SAID): a record's fields hold values, where a chat's
    lines ("Maren: Are we still on for Friday?") and a glossary's ("Chroma: the database that holds ...")
    say things, and one line of them answers."""
    if len(lines) < 2 or any(not KEY.match(line) or OPTION.match(line) or BULLET.match(line) for line in lines):
        return False
    fields = [line.split(":", 1) for line in lines]
    keys = {key.strip().lower() for key, _ in fields}
    said = sum(bool(VALUE_SAID.fullmatch(value.strip())) for _, value in fields)
    return len(keys) == len(lines) and said <= len(lines) / 2


def _table_rows(text: str, group: list[_Unit]) -> list[tuple[_Unit | None, list[_Unit]]] | None:
    """The rows of a paragraph that is a table read as `Name: value; Name: value` lines (a spreadsheet's sheet, a
    document's or a web page's table: extract.base.table_lines), perhaps under its column names' line and one
    caption line ("Table 7.3. List of notable GUI applications", then perhaps the first group's title): each row is
    a passage of its own, as a CSV's row is (a paragraph of its own), headed by the caption, or by the group's title
    it stands under (a row of one cell: "Season 2025"). In windows of three rows, a question's row was read with two
    others and the model took their values. A line among the rows that does not read as one but has fields (a cell
    holding "; ") is a passage of its own as well, where rows are most of the lines after the first; a line of one
    cell or one field ("Item: Season 2025", as a Markdown table gives it) over a row is a group's title, and one
    that no row follows (a total) a passage of its own.
    [(caption or group title or None, the row's units)]; None for any other paragraph."""
    lines = _lines(group)
    is_row = [bool(TABLE_ROW.fullmatch(_text(text, line))) for line in lines]
    if sum(is_row) < 2:
        return None
    first = is_row.index(True)
    leading = [line for line in lines[:first] if not TABLE_HEADER.fullmatch(_text(text, line))]
    # A caption, then the first group's title right over the first row: a short line that ends no sentence
    # ("Season 2024"; not a hard-wrapped paragraph's second line). The first group's rows are headed by both.
    titled = len(leading) == 2 and leading[1] is lines[first - 1] and GROUP_TITLE.fullmatch(_text(text, leading[1]))
    if len(leading) > 1 + bool(titled) or sum(is_row) <= (len(lines) - first) / 2:
        return None
    caption = replace(leading[0][0], end=leading[0][-1].end) if leading else None
    head = replace(leading[0][0], end=leading[1][-1].end) if titled else caption
    found: list[tuple[_Unit | None, list[_Unit]]] = []
    for n, (line, row) in enumerate(zip(lines[first:], is_row[first:], strict=True), start=first):
        said = _text(text, line)
        if TABLE_HEADER.fullmatch(said):
            head = caption  # the column names again: a new part of the table
        elif row or (": " in said and "; " in said) or not (n + 1 < len(lines) and is_row[n + 1]):
            found.append((head, line))  # a row, one that does not read as one, or a last line (a total)
        else:
            head = replace(line[0], end=line[-1].end)  # a group's title heads the rows under it
    return found


def _option_line(text: str, unit: _Unit) -> bool:
    return ENTRY.match(text[unit.start : unit.end]) is not None


def _next_entry(text: str, merged: list[_Unit], following: list[_Unit]) -> bool:
    """Whether the next paragraph is an option's names (`_names`) that this one (not an option's names, not
    "as follows:") does not lead into: the description of "-i[SUFFIX], --in-place[=SUFFIX]" need not end a
    sentence ("edit files in place"), yet it is not the start of "-l N, --line-length=N" (a manual page as
    HTML, a paragraph each)."""
    last = merged[-1]
    leads_on = _option_line(text, last) or _introduces(text, last)
    return bool(following) and _names(text[following[0].start : following[0].end]) and not leads_on


def _entries(text: str, head: _Unit | None, group: list[_Unit]) -> list[tuple[_Unit | None, list[_Unit], bool]]:
    """A paragraph that lists several options with no blank line between them (a manual page read from a PDF:
    "-z, --gzip" over "Filter the archive through gzip(1)." over "-Z, --compress") cut at each option's entry,
    so a passage holds an option with its own description rather than the end of the one before; the lines
    before the first entry keep `head` (and lead into it where they ask for it: "The options are as follows:").
    (head, units, whether the first unit names the option the rest describe), each."""
    starts = _entry_starts([text[unit.start : unit.end] for unit in group])
    if len(starts) < 2:
        return [(head, group, False)]
    if starts[0] > 0 and _introduces(text, group[starts[0] - 1]):
        starts[0] = 0
    cuts = [0, *starts] if starts[0] > 0 else starts
    entries = [group[a:b] for a, b in zip(cuts, [*cuts[1:], len(group)], strict=True)]
    prefix = starts[0] > 0  # lines before the first entry
    return [(head if prefix and n == 0 else None, entry, not (prefix and n == 0)) for n, entry in enumerate(entries)]


def _leads(text: str, group: list[_Unit], following: list[_Unit], cut: bool = False) -> bool:
    """Whether a paragraph leads into the next: it does not end a sentence, and it is not a whole entry of a
    definition list (a term or an option over its indented description, "-d, --delimiter=DELIM" over "use
    DELIM instead of TAB", which manual pages seldom end with a full stop). An entry whose description goes on
    in the next paragraph (indented as deep as its last line: "WHEN is one of" over "always, never or auto")
    leads; the next entry, or a subsection's next option, is less indented than a description. A table does
    not lead, however its last row ends, nor does a record before another record (one of a single field too:
    a CSV row with its other cells empty; or, where the paragraph is `cut` from the chunk before, the end of
    one: its last line a field) or a table; a record before a note leads into it (a memo's "Project: Heron"
    over its budget's sentence)."""
    if _introduces(text, group[-1]):
        return True
    if SENTENCE_DONE.search(text[group[-1].start : group[-1].end]) or _sibling_records(text, group, following):
        return False
    ended = _fields(text, group) or (cut and KEY.match(_text(text, _lines(group)[-1])))  # a record's fields, or end
    records = (_record(text, group) and _fields(text, following)) or (ended and _record(text, following))
    items = [_text(text, line) for line in _lines(group)]  # a list's items, or one that is a field of its own
    listed = all(BULLET.match(item) for item in items) and (len(items) > 1 or KEY.match(BULLET.sub("", items[0])))
    if _table_rows(text, group) or records or ((_record(text, group) or listed) and _table_rows(text, following)):
        return False  # a table, or a record or list before another or a table, is whole (a memo's fields head it)
    first = text[group[0].start : group[0].end]
    entry = len(group) > 1 and group[0].indent < group[1].indent and not CAPITALS.fullmatch(first)
    return not entry or (bool(following) and following[0].indent >= group[-1].indent)


def _fields(text: str, group: list[_Unit]) -> bool:
    """Whether a paragraph is `key: value` lines alone, a value perhaps folded over more indented lines (a
    record; or a record's one field, a CSV row with the rest of its cells empty)."""
    return bool(group) and all(KEY.match(_text(text, _lines(field)[0])) for field in _fields_of(group))


def _sibling_records(text: str, group: list[_Unit], following: list[_Unit]) -> bool:
    """Whether a paragraph and the next are records of one table (a CSV's rows, JSON lines' objects, a list of
    `key: value` entries): both open with the same key ("date: 2025-04-06" then "date: 2025-04-20"). A row
    does not lead into the next one, however its last value ends ("notes: puncture at mile 12")."""
    if len(_lines(group)) < 2 or len(_lines(following)) < 2:
        return False  # a record has several fields; "Note: ..." over "Note: ..." are paragraphs of prose
    keys = [KEY.match(text[units[0].start : units[0].end]) for units in (group, following)]
    return all(keys) and keys[0].group(1) == keys[1].group(1)  # type: ignore[union-attr]


def _introduces(text: str, unit: _Unit) -> bool:
    """A line that asks for what follows: "author:", "as follows:", an FAQ's question."""
    return text[unit.start : unit.end].rstrip("*_ ").endswith((":", "?"))


def _entry_starts(lines: list[str]) -> list[int]:
    """The lines (stripped) that start an option's entry: an option's names alone ("-p DIR, --tmpdir[=DIR]",
    `_names`), or a line that starts with an option (ENTRY: not "-18 degrees") first, or after a line that ends a
    sentence or stops short of the paragraph's width ("With the -v," over "--invert-match option (see above)"
    goes on a filled line)."""
    width = max((len(line) for line in lines), default=0)
    return [
        i
        for i, line in enumerate(lines)
        if _names(line)
        or (ENTRY.match(line) and (i == 0 or SENTENCE_DONE.search(lines[i - 1]) or len(lines[i - 1]) < FILLED * width))
    ]


def _names(line: str) -> bool:
    """Whether a line is an option's names and nothing else: options, each with its argument if it takes one,
    apart by commas, or one short one ("--suffix=SUFF"); not "--invert-match option (see above), count
    non-matching lines" nor a table's row ("-v, --verbose   print more output")."""
    parts = line.split(", ")
    alone = len(line) <= NAMES_ALONE and ENTRY.match(line) is not None  # "--tmpdir[=DIR]", not "-3"
    return (len(parts) > 1 or alone) and all(NAMES.fullmatch(part) for part in parts)


def _cut(head: _Unit | None, group: list[_Unit], governed: bool = False) -> list[tuple[_Unit | None, list[_Unit]]]:
    """A paragraph as one passage, or a long one (`_size`) as windows of WINDOW units (fewer where those read
    longer than MAX_UNITS lines: sentences of filled prose), each headed by `head` or else by
    the paragraph's first line where it is less indented than the window (an option over its description) or
    where it names the option the group is the entry of (`governed`, `_entries`)."""
    if _size(group) <= MAX_UNITS:
        return [(head, group)]
    found: list[tuple[_Unit | None, list[_Unit]]] = []
    reached = 0  # where the windows so far end: a window inside the one before it adds nothing
    for i in range(len(group)):
        end = min(i + WINDOW, len(group))
        while end > i + 1 and _size(group[i:end]) > MAX_UNITS:
            end -= 1
        if end > reached:
            window = group[i:end]
            governs = i > 0 and (governed or group[0].indent < window[0].indent)
            found.append((head or (group[0] if governs else None), window))
        reached = max(reached, end)
        if end == len(group):
            break
    return found


def _size(group: list[_Unit]) -> int:
    """How long a passage of these units reads, in lines: the lines its sentences span, or its sentences where a
    line holds several (a web page's paragraph)."""
    return max(len(group), len({n for unit in group for n in range(unit.line, unit.last + 1)}))


def passages(hit: Hit) -> list[Passage]:
    text = hit.text
    out: list[Passage] = []
    for head, window in _windows(text, _units(text), continued=hit.start > 0):
        body = text[window[0].start : window[-1].end]
        shown = f"{text[head.start : head.end]}\n…\n{body}" if head is not None else body
        first = last = None
        if hit.line is not None:
            first, last = hit.line + window[0].line, hit.line + window[-1].last
        out.append(Passage(hit, shown, hit.start + window[0].start, hit.start + window[-1].end, first, last))
    return out


_STEMMERS = threading.local()  # a Snowball stemmer keeps state while it works: one per thread


# Irregular past forms of the verbs a question about who made or runs a thing asks with, as their present ("led
# by" answers "Who leads ...?", "written by" "Who wrote ...?"; the stemmer keeps "led" and "lead" apart). A longer
# list ("sent", "made", "given", ...) matched other passages' words and moved the tune split's answers both ways.
IRREGULAR = {"led": "lead", "wrote": "write", "written": "write"}


# British spellings and the American ones they are read as: "organisation" is "organization", "analysed" is
# "analyzed", "colours" is "colors" (not "hour", "four", "raise": three letters at least come before).
SPELLINGS = (
    (re.compile(r"(?<=\w{3})is(e|es|ed|ing|er|ers|able|ation|ations|ational)$"), r"iz\1"),
    (re.compile(r"(?<=\w{3})ys(e|es|ed|ing|er|ers)$"), r"yz\1"),
    (re.compile(r"(?<=\w{3})our(s|ed|ing|ite|ites|ful|able|al|hood|hoods)?$"), r"or\1"),
)


@functools.lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    """The English Snowball (Porter2) stem: "assumes" and "assume" are both "assum", "wrapping" is "wrap"; an
    irregular past form that of its verb (`IRREGULAR`: "led" is "lead"); British and American spellings alike
    (`SPELLINGS`)."""
    if not hasattr(_STEMMERS, "english"):
        _STEMMERS.english = snowballstemmer.stemmer("english")
    for british, american in SPELLINGS:
        word = british.sub(american, word)
    return _STEMMERS.english.stemWord(IRREGULAR.get(word, word))


def terms(text: str, asked: bool = False, parts: bool = False) -> set[str]:
    """Content words, stemmed (`_stem`); an option (`--line-number`) is one word, a dotted key (`trip.hotel`)
    counts as itself and as its parts, a date as its ISO 8601 form too (`facts.iso_dates`). In a question
    (`asked`), a name inside the sentence counts whole, so "Tails" (a distribution) does not ask for "tail"; a
    passage's words count whole as well (`_bag`). With `parts` (a passage's words, as evidence is scored and
    quoted; a question's compound is asked whole), a word joined by a dash or underscore next to a letter counts
    as its parts too: a sheet's "eol-esm" holds "esm", a file's "iso_15924" holds "iso" and "15924", an option
    "--line-number" holds "line" and "number". A possessive's "'s" is no word ("Administrator's"). Small words
    are none, but in a question a code that is one (`given_stopwords`: "Which country has the code NO?")."""
    words = [w.strip(".-") for w in WORD.findall(POSSESSIVE_S.sub("", text))]
    joint = COMPOUND if parts else DOT
    words += [part for w in words if joint.search(w) for part in joint.split(w)]
    whole = names(text) if asked else set()
    found = {w.lower() if w in whole else _stem(w.lower()) for w in words if w and w.lower() not in STOPWORDS}
    if asked:  # a code that is a small word ("the code NO") is asked, whole
        found |= given_stopwords(text)
    return found | iso_dates(text)  # "20 April 2025" is the record's "2025-04-20"


def asked_for(question: str) -> set[str]:
    """The words naming the kind of thing a question asks for, right after its "which" or "what" (CLASS_ASKED:
    "Which EtherType number does LLDP use?" asks for an "EtherType number"), stemmed and whole: a class, which
    the table or document holding the answer names throughout or not at all, where LLDP identifies the one
    row. None where a verb follows ("What does LLDP stand for?", "What is Kenya's official name?"): the words
    after it are what the question is about."""
    words = " ".join(match.group(1) for match in CLASS_ASKED.finditer(question))
    return terms(words) | {word.lower() for word in WORD.findall(words)} - STOPWORDS


def unsaid_terms(question: str, held: Collection[str] = ()) -> set[str]:
    """Terms an answering passage shares with the question though the question does not use them: "default"
    where it asks for one in other words (DEFAULT_ASKED), "release" (stemmed) where it asks when something came
    out (RELEASE_ASKED), and the initialisms of its phrases that the passages' terms (`held`) hold ("end of
    life" is a table's "eol", "Expanded Security Maintenance" its "esm")."""
    return (
        ({"default"} if DEFAULT_ASKED.search(question) else set())
        | ({"releas"} if RELEASE_ASKED.search(question) else set())
        | (initialisms(question) & set(held))
    )


WHO = re.compile(r"^\W*(?:and\s+)?who(?:m|se)?\b", re.I | re.M)
PERSON = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+)+")  # a name of two words or more in title case: "Ann Berg"


def _a_person_for_who(answer: str, question: str, added: set[str], best: Passage) -> bool:
    """For "Who ...?", whether the answer names a person (`PERSON`) of the passage's line it took its names from,
    where that line names one the question does not: "The head of the AT branch is Austria." of "AT: Austria
    branch, head Leopold Brunnhuber." names the place, not its head. True for any other question, or where the
    answer adds no name, one that is a record field's whole value, or its lines name no person."""
    if not added or not WHO.match(main_question(question.split("\n")[-1])):
        return True
    values = {value.strip() for _, value in fields(best.text)}
    if any(name in values for name in added):
        return True  # a field's whole value ("Driver (Tesco collection): Sunil"): its key says whose it is
    said = set(re.findall(r"[\w'-]+", answer))
    asked = set(re.findall(r"[\w'-]+", question))
    for unit in units_of(best.text):
        if not added & set(re.findall(r"[\w'-]+", unit)):
            continue
        people = [  # not "On Friday", nor the question's own
            words
            for m in PERSON.finditer(unit)
            if not (words := set(m.group().split())) <= asked
            and not {word.lower() for word in words} & (STOPWORDS | CALENDAR)
        ]
        if people and not any(person & said for person in people):
            return False
    return True


# A question asking who wrote a text: "Who wrote the Socket Programming HOWTO?", "Who is the author of ...?"
# (not "Who wrote to the landlord?", "Who wrote down the meter reading?")
AUTHOR_ASKED = re.compile(
    r"\bwho\b[^?\n]*\b(?:wrote|written|authored)\b(?!\s+(?:to|down|back|up|in|on|off)\b)"
    r"|\bwho(?:['’]s|\s+(?:is|was|are|were))\s+the\s+authors?\b",
    re.I,
)
AGENT_ENDINGS = ("er", "r", "or")  # English nouns of who does a verb: owner, driver, inspector


def agent_nouns(question: str) -> set[str]:
    """For a question asking who, its words as the noun of one who does them (AGENT_ENDINGS), stemmed as
    `terms` stems such a noun: "owns" -> "owner", "drives" -> "driver", "inspected" -> "inspector": a record's
    or a table's key naming the person asked for ("Owner: Bertrand Ockley"). None for other questions ("What
    does it use?" is not asking for a "user"). Not a word to search or score by: a guide's "writer" is seldom
    who wrote it (three tune questions lost their passage so)."""
    if not WHO.search(question):
        return set()
    said = {PAST_FORMS.get(word.lower(), word) for word in WORD.findall(question)}  # "bought": "buy", a "buyer"
    verbs = {term for term in terms(" ".join(said)) if term.isalpha() and len(term) >= KIN_AT_LEAST - 2}
    return {_stem(verb + ending) for verb in verbs for ending in AGENT_ENDINGS} - terms(question)  # "visitor"


# Past forms of verbs whose doer's noun is made from another form ("bought": a "buyer"; "wrote": a "writer")
PAST_FORMS = {
    "bought": "buy",
    "sold": "sell",
    "wrote": "write",
    "written": "write",
    "taught": "teach",
    "led": "lead",
    "drove": "drive",
    "driven": "drive",
    "made": "make",
    "kept": "keep",
    "built": "build",
    "paid": "pay",
    "ran": "run",
    "gave": "give",
    "given": "give",
    "held": "hold",
    "sent": "send",
    "lent": "lend",
    "brought": "bring",
    "caught": "catch",
    "found": "find",
    "chose": "choose",
    "chosen": "choose",
}


INITIALISM_WORDS = (3, 4)  # words of a phrase an initialism stands for, fewest and most ("end of life": "eol")
LETTERS = re.compile(r"[^\W\d_]+")
PHRASE_BREAK = re.compile(r"[,;:()?!\n]|\.(?:\s|$)")  # where a phrase an initialism stands for cannot go on
WRITTEN_INITIALISM = re.compile(r"\b[A-Z]{3,5}\b")  # a word in capitals, as initialisms are written ("EOL")


def initialisms(text: str) -> set[str]:
    """The initials, lower case, of each run of INITIALISM_WORDS words within a clause that neither begins nor
    ends with a stopword: "end of life" -> "eol", "long term support" -> "lts" (two letters would be too many
    runs' initials; a possessive's "s" is no word)."""
    fewest, most = INITIALISM_WORDS
    found: set[str] = set()
    for clause in PHRASE_BREAK.split(text):
        words = [POSSESSIVE.sub("", word) for word in WORD.findall(clause) if LETTERS.fullmatch(word.strip(".-"))]
        runs = [words[i : i + size] for size in range(fewest, most + 1) for i in range(len(words) - size + 1)]
        found |= {
            "".join(word[0] for word in run).lower()
            for run in runs
            if run[0].lower() not in STOPWORDS and run[-1].lower() not in STOPWORDS
        }
    return found


def spelt(text: str, found: list[tuple[str, str]]) -> set[str]:
    """The words, lower case, that a passage (its text and its record fields, `fields`) writes as an initialism
    may be written: in capitals ("EOL", "LTS"), or as a record's key or a part of one ("eol-lts: 2028-06-30").
    A plain word ("log", "now") is none: a question's "level of gzip" does not ask for the passages' "log"."""
    written = {word.lower() for word in WRITTEN_INITIALISM.findall(text)}
    return written | {term for key, _ in found for term in KEY_JOINT.split(key.lower()) if LETTERS.fullmatch(term)}


PLURAL_AT_LEAST = 4  # letters of a word whose final "s" may be a plural's ("codes", not "bus" or "gas")


ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")  # "70th", "3rd"


def _bag(text: str) -> set[str]:
    """A passage's terms as a question's are matched against: stemmed and whole, with a compound's parts; an
    ordinal as its number too; a plural whole word as its singular too, which a question's name matches whole
    ("EtherType" is the topic of a file titled "ethertypes", in each of its passages; taken for a name few
    hold, it outweighed 8863)."""
    words = {w.strip(".-").lower() for w in WORD.findall(text)}
    words |= {w[:-1] for w in words if w.endswith("s") and not w.endswith("ss") and len(w) > PLURAL_AT_LEAST}
    words |= {w[:-2] for w in words if ORDINAL.fullmatch(w)}  # "her 70th" holds the "70" of "turned 70"
    return terms(text, parts=True) | {w for w in words if w and w not in STOPWORDS}


def _date_words(date: str) -> set[str]:
    """An ISO 8601 date's terms as a question may write it out: "2024-04-25" -> "2024", "april", "apr", "25",
    "25th": a record's "2024-04-25" holds all that "25 April 2024", "April 25th, 2024" or "25th Apr 2024" ask,
    as a passage that writes it out so does."""
    year, month, day = date.split("-")
    name = MONTHS[int(month) - 1]
    number = int(day)
    ordinal = "th" if number in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    spelled = {name, name[:3], "sept" if name == "september" else name}
    return {year, str(number), f"{number}{ordinal}"} | {_stem(word) for word in spelled}


def _holds_a_day_asked(spans: Spans, asked: Spans, years: Collection[int]) -> bool:
    """Whether a passage's dates (`calendar_spans` of it, its heading and title too) hold a day the question
    names (`asked`), however written, or fall in a year it asks after "in" (`years`, `IN_YEAR`): the row
    "2026-11-15" for "Who did I run with on 15 November?", over minutes whose "15 December" and "30 November"
    share its words; a sheet's "release: 2012-04-26" for "Which Ubuntu LTS release came out in 2012?"."""
    days = single_days(spans)
    return bool(single_days(asked) & days) or any(day.year in years for day in days)


def _calendar_words(spans: Spans, question: str, asked: Spans, years: Collection[int]) -> set[str]:
    """The words a question may write a date of a text with (`_date_words`, with its weekday's name; `spans`:
    the text's `calendar_spans`) where the question names that day or its month ("Monday 14 December" in a
    diary's "Mon 14 Dec", "25 April 2024" in a record's "2024-04-25"), the name of a month or weekday the
    question says alone that a date of the text falls in ("the water bill in October": "2026-10-15") and the
    year it asks after "in" that one does (`years`, `IN_YEAR`: "came out in 2012", a sheet's "2012-04-26")."""
    # not "may", mostly the verb; not the month or weekday of a day it names ("5 December" is no December alone)
    said = _words(question) & CALENDAR - {name for day in single_days(asked) for name in _day_names(day)}
    if not asked and not said and not years:
        return set()
    found = {_stem(name) for name in _calendar_names(spans) & said}
    for first, last in spans:
        if first == last and any(low <= first <= high for low, high in asked):
            found |= _date_words(first.isoformat()) | {_stem(first.strftime("%A").lower())}
        if first == last and first.year in years:
            found.add(str(first.year))
    return found


def _day_names(day: datetime.date) -> set[str]:
    """A day's month and weekday as a question may name them: "december", "dec", "saturday", "sat"."""
    return {day.strftime(form).lower() for form in ("%B", "%b", "%A", "%a")} & CALENDAR


IN_YEAR = re.compile(r"\b(?:in|during)\s+((?:1[89]|20)\d\d)\b(?![-/.:]\d)", re.I)  # a year asked: "came out in 2012"


def score(
    question: str,
    candidates: list[Passage],
    encode: Callable[[list[str]], np.ndarray],
    keyword_weight: float,
) -> list[Passage]:
    """The candidates that share most of the question's rarer words (weighted by how few candidates have
    them, a name or number that few have (RARE_SHARE) or one document's alone IDENTIFIES times more, unless it
    names what is asked for (`asked_for`); the passage's heading and document title count), scored by that
    share plus their cosine of meaning, plus KIND_BONUS where they state the kind of fact asked for and again
    where they hold a day it names (`_holds_a_day_asked`), a value it gives as a record's field
    (`_a_value_given`) or a table row's cell (`_a_cell_given`, twice for the row's first cell), or, asked who
    wrote something, a line naming an author (`AUTHOR_LINE`), best first. Embedding every line of ten chunks
    costs about a second on 2 cores; the best EMBED_AT_MOST by words cost a fifth of that, CELL_SLOTS of them
    rows a word of the question keys whatever their word share."""
    if not candidates:
        return []
    # A passage holding the date, month or weekday asked holds its words, however it writes it
    asked_days = calendar_spans(question)
    asked_years = {int(year) for year in IN_YEAR.findall(question)}
    texts = [f"{p.hit.title} {p.hit.heading} {p.text}" for p in candidates]
    spans = [calendar_spans(text) for text in texts]  # each passage's dates, read once
    codes = given_stopwords(question)  # "NO" of "the code NO": a passage holds it as any word
    bags = [
        _bag(text) | _calendar_words(days, question, asked_days, asked_years) | (_words(text) & codes)
        for text, days in zip(texts, spans, strict=True)
    ]
    parsed = [fields(p.text) for p in candidates]  # each passage's record fields, read once
    held = set().union(*(spelt(p.text, found) for p, found in zip(candidates, parsed, strict=True)))
    wanted = terms(question, asked=True) | unsaid_terms(question, held)  # whole: "ssh-keygen" is one word asked
    df = {term: sum(term in bag for bag in bags) for term in wanted}
    n = len(candidates)
    said = [word.strip(".-") for word in WORD.findall(question)]  # whole: "16.04", not its "16" and "04"
    words = {w.lower() for name in names(question) for w in WORD.findall(POSSESSIVE.sub("", name))}
    words |= written_as_names({w.lower() for w in said}, [p.text for p in candidates])
    named = {form for w in words for form in (w, _stem(w))} | {word for word in said if any(c.isdigit() for c in word)}
    paths = {p.hit.path for p in candidates}
    held_in = [(p.hit.path, bag) for p, bag in zip(candidates, bags, strict=True)]
    holders = {term: {path for path, bag in held_in if term in bag} for term in wanted & named}
    rare = {
        term
        for term in wanted & named
        if 1 <= df[term] <= max(1, RARE_SHARE * n) or (len(holders[term]) == 1 and len(paths) > 1)
    }
    asked = asked_for(question)
    identifying = rare - asked
    idf = {term: math.log(1 + n / (1 + df[term])) * (IDENTIFIES if term in identifying else 1.0) for term in wanted}
    total = sum(idf.values()) or 1.0
    keyword = [sum(weight for term, weight in idf.items() if term in bag) / total for bag in bags]
    # The question's words that a passage's table holds as a whole cell: the row it names ("tcp\t6\tTCP")
    given_whole = words_given(question)
    cells = [_a_cell_given(given_whole, p.text) for p in candidates]
    by_words = sorted(range(n), key=lambda i: -keyword[i])
    keyed = [i for i in by_words if cells[i]][:CELL_SLOTS]  # embedded whatever their word share, a few at most
    kept = [*keyed, *(i for i in by_words if not cells[i])][:EMBED_AT_MOST]
    vectors = encode([question, *[_embed_text(candidates[i]) for i in kept]])
    similarity = vectors[1:] @ vectors[0]
    kind = asked_kind(question)
    given = given_facts(question)
    # The fields the question names ("Which Ubuntu RELEASE ends ...?" names none)
    field_words = (terms(question) | unsaid_terms(question, held)) - asked
    # The question's words that few passages (RARE_SHARE) of one document alone hold: a value naming one record
    # ("930"), not one a table in a guide holds too ("port 465" in a handbook's table of secure services and in
    # services.txt), nor a unit or a currency its rows share ("unit: km")
    lowered = {word.lower() for word in said} - STOPWORDS - asked
    holding = {word: [path for path, bag in held_in if word in bag or _stem(word) in bag] for word in lowered}
    # A code that is a small word is held where a field's whole value writes it as the question does ("alpha_2:
    # NO"), not where prose says "no" or a list holds it ("country-codes: DE,DK,NO")
    cased = written_codes(question)
    for code, written in cased.items():
        holding[code] = [
            p.hit.path for p, found in zip(candidates, parsed, strict=True) if _holds_value(found, written)
        ]
    few = max(1, RARE_SHARE * n)
    given_words = {word for word, paths in holding.items() if len(set(paths)) == 1 and len(paths) <= few}
    few_hold = {word for word, paths in holding.items() if 1 <= len(paths) <= few}

    def titled(i: int) -> set[str]:
        """The question's words right after the title of the passage's document ("15" of "Debian 15"), where
        the passage holds what it asks for and every name it gives (none for "Which version of Apache ...
        Debian 12?")."""
        title = terms(candidates[i].hit.title)
        if not title or not (asked | words) <= bags[i]:
            return set()
        return {after.lower() for word, after in itertools.pairwise(said) if terms(word) and terms(word) <= title}

    author = AUTHOR_ASKED.search(question) is not None  # its header's "Author:" line says who wrote a text
    bonus = [  # a record that states the kind asked and names its field earns both: each is evidence apart
        KIND_BONUS
        * (
            bool(kind and _states_kind(kind, candidates[i].text, question))
            + _names_a_field(given, field_words, parsed[i])
            - _given_elsewhere(given, field_words, parsed[i])
            + _holds_a_day_asked(spans[i], asked_days, asked_years)
            + _a_value_given(given_words, few_hold, field_words, parsed[i], titled(i), cased)
            + cells[i]
            + (author and AUTHOR_LINE.search(f"{candidates[i].hit.heading}\n{candidates[i].text}") is not None)
        )
        for i in kept
    ]
    scored = [
        replace(candidates[i], score=round(float(cosine) + keyword_weight * keyword[i] + extra, 4))
        for i, cosine, extra in zip(kept, similarity, bonus, strict=True)
    ]
    return sorted(scored, key=lambda p: -p.score)


# Where a capital may be the position's: a line's, a key's, a value's or a sentence's first word.
SEGMENT_END = re.compile(r"(\n|:\s|(?<=[.!?])\s+)")
TITLED_AT_LEAST = 4  # letters of a word that a title or a name in title case writes capitalised ("Jan Mayen")
# Short words title case writes small (articles, conjunctions, short prepositions; the stopwords too): "What Is
# the Cost per Night?", "How Do I Set Up SSH via Jump Host?"
TITLE_SMALL = STOPWORDS | frozenset(
    "a an the and but or nor for so yet as at by in of off on per to up via vs out etc".split()
)


def written_as_names(words: set[str], texts: list[str]) -> set[str]:
    """The words (lower case) that the texts hold and write only capitalised (not in capitals alone): a
    question's "zloty" or "debian" names what the notes call "Zloty" and "Debian", though it is typed in lower
    case. The first word of a line, a value or a sentence counts only in a value or line of title case (every
    word of TITLED_AT_LEAST letters capitalised, no full stop at its end: "name: Zloty", "Svalbard and Jan
    Mayen"), never in a key ("Phone: ...") or a sentence ("Call Ann."), where the capital is the position's."""
    capitalised: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        pieces = SEGMENT_END.split(text)
        for segment, after in zip(pieces[::2], [*pieces[1::2], ""], strict=True):
            found = [w.strip(".-") for w in WORD.findall(segment)]
            key = after.startswith(":")
            titled = (
                not key
                and not segment.rstrip().endswith((".", "!", "?"))
                and all(w[:1].isupper() for w in found if len(w) >= TITLED_AT_LEAST and w.isalpha())
            )
            for i, word in enumerate(found):
                folded = word.lower()
                if folded not in words or word.isupper():  # "OPTION" is a placeholder or a shout, not a name
                    continue
                if word[:1].islower():
                    lower.add(folded)
                elif i or titled:
                    capitalised.add(folded)
    return capitalised - lower


def _states_kind(kind: str, text: str, question: str) -> bool:
    """Whether a passage states the kind of fact asked for; for a yes/no question, whether it says yes or no
    (an FAQ's "Yes, .pyd files are DLLs", a record's "pets allowed: no"), which any statement could otherwise
    answer."""
    if kind == "yes/no":
        return any(VERDICT.match(unit) for unit in units_of(text))
    return states(kind, text, question)


def _embed_text(passage: Passage) -> str:
    where = " > ".join(part for part in (passage.hit.title, passage.hit.heading) if part)
    return f"{where}\n{passage.text}" if where else passage.text


def select(ranked: Sequence[Passage], count: int, margin: float) -> list[Passage]:
    """The best passage, and up to `count - 1` more from other chunks (other lines) within `margin` of it."""
    chosen: list[Passage] = []
    for passage in ranked:
        if len(chosen) == count:
            break
        if chosen and (passage.score < chosen[0].score - margin or any(_overlap(p, passage) for p in chosen)):
            continue
        chosen.append(passage)
    return chosen


def _overlap(a: Passage, b: Passage) -> bool:
    """The same chunk, or the same lines of a document reached through two overlapping chunks."""
    return a.hit is b.hit or (a.hit.document_id == b.hit.document_id and a.start < b.end and b.start < a.end)


BULLET_MARK = r"[-*+•·]"  # a list item's mark
BULLET_MARK_CHARS = tuple("-*+•·")  # a list item's mark alone on its line: an empty item
# A link to another page, alone or in a row of them ("Prev | Up | Home", "• previous |", "Python »")
NAV_WORD = r"(?:[«‹←<]\s*)?(?:next|prev(?:ious)?|up|home|top|contents|index)(?:\s+page)?(?:\s*[»›→>|])?"
SEARCH_BUTTON = "go"  # a search box's button, all a passage holds where a PDF of a page cut it
# A page's navigation on a line of its own: a link list's item ("• Next"), links side by side ("Prev | Up |
# Home", "« Previous  Next »"), or a phrase only navigation uses ("Back to top", "Download the ebook").
NAVIGATION = re.compile(
    rf"{BULLET_MARK}\s+{NAV_WORD}|{NAV_WORD}(?:[\s|·•/]+{NAV_WORD})+"
    r"|back to top|skip to (?:the )?(?:main )?content|table of contents|download (?:the|this) (?:e-?book|book|pdf)"
    r"|quick search",
    re.I,
)
NAV_LINE = re.compile(NAV_WORD, re.I)  # a navigation word alone: navigation where two such lines are together
# A line of words only, perhaps bulleted or numbered: a heading or a link's text ("14.4. Introduction to AppArmor").
LABEL = re.compile(
    rf"(?:{BULLET_MARK}\s+)?(?:\d+(?:\.\d+)*\.?\s+)?[^\W\d_][^\W\d_'’ ]*(?:['’ ]+[^\W\d_]+)*['’]?(?:\s*[»›])?"
)  # a breadcrumb's step too: "• 3.11.2 Documentation »"
LABEL_WORDS = 6  # a longer line says something


def navigation(text: str) -> bool:
    """Whether a passage is a page's navigation: labels only (LABEL, at most LABEL_WORDS words a line, or
    NAVIGATION lines), with a navigation line among them or two lines of a navigation word alone ("Prev",
    "Next"). It states no fact, yet its headings share the question's words: a PDF printed from a web page
    keeps it ("• Next\n14.4. Introduction to AppArmor\n14.4.1. Principles" was the evidence, and "Next 14.4."
    the quote, for a question on AppArmor). A note's own labels stay evidence: a heading over a name ("Home\n
    Maren Olsen", "Contact\nMaren Olsen"), a list of names, a menu, a roadmap's "Next"."""
    found = [line.strip() for line in text.split("\n") if line.strip() not in ("", "…", *BULLET_MARK_CHARS)]
    if found and all(line.lower() == SEARCH_BUTTON for line in found):
        return True  # "Go\n\nGo": a Sphinx page's search box, printed to PDF
    if not found or not all(
        (LABEL.fullmatch(line) or NAVIGATION.fullmatch(line)) and len(line.split()) <= LABEL_WORDS for line in found
    ):
        return False
    return any(NAVIGATION.fullmatch(line) for line in found) or sum(bool(NAV_LINE.fullmatch(x)) for x in found) >= 2


@dataclass(frozen=True)
class FollowUp:
    """What a follow-up asks of the passage read (answer.followed_up): its own words ("raw milk" of "And raw
    milk?"), the earlier turn's names it turns from ("Northgate" for "And the other site?"), and those it stays
    with ("Lisbon" for "And is there a cleaning fee?" after the Lisbon flat's door code)."""

    own: frozenset[str] = frozenset()
    turned_from: frozenset[str] = frozenset()
    kept: frozenset[str] = frozenset()
    # A follow-up leaning on the earlier turn without "And" ("Who leads it?" after the budget of Project Kestrel),
    # asked on its own with the earlier turn's names: "Project Kestrel: Who leads it?"
    asks: str = ""


def find_evidence(
    question: str,
    hits: list[Hit],
    encode: Callable[[list[str]], np.ndarray],
    keyword_weight: float,
    count: int,
    margin: float,
    follow_up: FollowUp | None = None,
) -> list[Passage]:
    """The passages to answer from, best first (empty when the hits hold no text but navigation); `follow_up`:
    what a follow-up asks of them (`_followed_up`)."""
    ranked = _scored(question, hits, encode, keyword_weight)
    if follow_up and follow_up.asks:
        ranked = _asked_again(ranked, follow_up.asks, encode, keyword_weight)
    elif asks := two_asks(question):
        ranked = _read_first(ranked, _both_answered(ranked, asks, encode, keyword_weight))
    else:
        ranked = _read_first(ranked, _rows_alike(ranked, question))
    return select(_followed_up(ranked, follow_up) if follow_up else ranked, count, margin)


def _asked_again(
    ranked: list[Passage], asks: str, encode: Callable[[list[str]], np.ndarray], keyword_weight: float
) -> list[Passage]:
    """The passages, best first, with the one of the best's document that best answers a follow-up asked on its
    own (`FollowUp.asks`) first, at the best's score: searched with the earlier turn, "Who leads it?" after "What
    is the budget of Project Kestrel?" reads the budget's line (1.28) over the leader's (1.09); asked as "Project
    Kestrel: Who leads it?", the leader's (1.34 against 1.05). The earlier turn chose the document."""
    if not ranked:
        return ranked
    document = [p for p in ranked if p.hit.document_id == ranked[0].hit.document_id]
    again = {(p.start, p.end): p.score for p in score(asks, document, encode, keyword_weight)}
    both = [(p.score + again[p.start, p.end], -i, p) for i, p in enumerate(document) if (p.start, p.end) in again]
    return _read_first(ranked, max(both)[2] if both else None)


def two_asks(question: str) -> tuple[str, str] | None:
    """A question's two asks (`SECOND_ASK`), each a question of its own, where it has two and its first names
    something: "Who leads Project Osprey and when does it end?" asks "Who leads Project Osprey?" and "Project
    Osprey: when does it end?" (a second ask referring back, or naming nothing, asks of the first's names). None
    for a follow-up read with the turn before, or "Where and when is the AGM?" (one ask of one thing)."""
    first, *more = SECOND_ASK.split(question, maxsplit=1)
    if not more or "\n" in question or not terms(first) - QUESTION_WORDS:
        return None
    second = more[0]
    words = [word for word in WORD.findall(first) if word.lower() not in STOPWORDS | QUESTION_WORDS]
    subject = " ".join(sorted(names(first), key=first.find)) or " ".join(words)
    if REFERS_TO.search(second) or not terms(second) - QUESTION_WORDS:
        second = f"{subject}: {second}"
    return f"{first.rstrip('?,')}?", second


def _both_asks_answered(answer: str, question: str, known: set[str]) -> bool:
    """Whether an answer answers the second of a question's two asks (`two_asks`) too: states the kind of fact
    it asks for ("when does it end?": a date), or, where it asks for none ("where does training take place?"),
    says one of its words or gives two facts or names of its own (one for each ask). True for a question of one
    ask."""
    asks = two_asks(question)
    if asks is None:
        return True
    kind = asked_kind(asks[1])
    if kind == "name":  # a name of its own, not the question's nor a code in capitals ("31,000 EUR")
        return any(not name.isupper() for name in names(answer, known) - names(question, known))
    if kind not in (None, "yes/no"):
        return states(kind, answer, asks[1], known)
    own = terms(SECOND_ASK.split(question, maxsplit=1)[1]) - QUESTION_WORDS
    # a fact of its own and a name of its own: "Mireille Danvers leads it, with 40,000 euros"
    given = len(facts(answer) - facts(question)) + bool(names(answer, known) - names(question, known))
    return not own or bool(own & terms(answer)) or given > 1


# Characters at most between the lines answering a question's two asks for them to be read as one passage
# (`_both_answered`): about a short note's ten lines, a handbook's paragraph or two
BOTH_ASKS_SPAN = 800


def _both_answered(
    ranked: list[Passage], asks: tuple[str, str], encode: Callable[[list[str]], np.ndarray], keyword_weight: float
) -> Passage | None:
    """One passage of the best's chunk spanning the passages that best answer each of a question's two asks
    (`two_asks`), where they differ and lie within BOTH_ASKS_SPAN: "Project Osprey is led by Mireille Danvers.
    ... Project Osprey ends on 30 September 2026." for "Who leads Project Osprey and when does it end?", whose
    best passage held the end alone (the quote then said nothing of who leads it). None where one passage
    answers both, or they lie apart."""
    if not ranked:
        return None
    chunk = [p for p in ranked if p.hit.chunk_id == ranked[0].hit.chunk_id]
    best = [max(score(ask, chunk, encode, keyword_weight), key=lambda p: p.score) for ask in asks]
    start, end = min(p.start for p in best), max(p.end for p in best)
    if any(p.start <= start and p.end >= end for p in best) or end - start > BOTH_ASKS_SPAN:
        return None
    hit = ranked[0].hit
    lines = [p for p in best if p.first_line is not None]
    first_line = min((p.first_line for p in lines), default=None)  # type: ignore[type-var]
    last_line = max((p.last_line for p in lines), default=None)  # type: ignore[type-var]
    text = hit.text[start - hit.start : end - hit.start]
    return Passage(hit, text, start, end, first_line, last_line, ranked[0].score)


ROWS_ALIKE_AT_MOST = 8  # records of one table read together for a question that more than one of them answers


def _record_of(passage: Passage) -> dict[str, str] | None:
    """A passage's record as {key: value, lower case}: a table's row on one line (`TABLE_ROW`) or fields a line
    (`one_record`), below its heading line; None for any other passage."""
    body = split_head(passage.text)[1].strip()
    if not (TABLE_ROW.fullmatch(body) or one_record(passage.text)):
        return None
    return {key.strip().lower(): value.strip().lower() for key, value in fields(body)}


def records_alike(passage: Passage) -> list[str]:
    """The records of a passage of records alike (`_rows_alike`: two or more, apart by blank lines, of the same
    keys); none for any other passage."""
    blocks = PARAGRAPH_BREAK.split(split_head(passage.text)[1].strip())
    found = [_record_of(replace(passage, text=block)) for block in blocks]
    keys = found[0].keys() if found[0] is not None else None
    return blocks if len(blocks) >= 2 and all(record is not None and record.keys() == keys for record in found) else []


BARE_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")  # a count or a measure ("4", "2.5"), not a date ("1997-07-14")
# Words of a question that picks one of the rows it names ("Who in Finance has the highest extension?")
PICKS_ONE = re.compile(
    r"\b(?:highest|lowest|largest|smallest|biggest|oldest|youngest|newest|latest|earliest|longest|shortest|best|worst"
    r"|most|least|first|second|third|last|only)\b",
    re.I,
)


def _rows_alike(ranked: list[Passage], question: str) -> Passage | None:
    """One passage of the records of the best's table among the passages read (of its document and heading, their
    first key the best's) that hold, as the best does, each field whose whole value the question says (a number
    only where it names the field too: "room 4", not a floor that is 4 as well), where more than one does (at most
    ROWS_ALIKE_AT_MOST; past that, or for rows the search did not bring, the list is the best's alone): "Who works
    in Finance?" reads both rows whose "Department" is "Finance", not the one that scored best. Records apart by a
    blank line, in the document's order, under the best's heading line; the passage spans them, rows between
    them included (`select` keeps no other passage there). None for a yes/no question, one asking for the next or
    the last (`asked_turn`) or picking one (`PICKS_ONE`: "the highest"), a best passage that is no record, a
    value that one record alone holds ("Which room is Tobias Lund in?") or a word of the question that one of
    them alone holds ("What is Ruth's extension in Finance?"; not a word of a column's name, "rooms" of "Print
    room")."""
    if not ranked or asked_kind(question) == "yes/no" or asked_turn(question) is not None:
        return None  # a yes or no, the next or the last ("When was my last flu jab?": one row's date)
    if (best := _record_of(ranked[0])) is None:
        return None
    values = {word.lower() for value in best.values() for word in WORD.findall(value)}
    if {word.lower() for word in PICKS_ONE.findall(question)} - values:
        return None  # "the highest extension"; not "the first floor" of rows whose Floor is "First"
    said = terms(question)
    tokens = {word.strip(".,").lower() for word in WORD.findall(question)}

    def said_whole(key: str, value: str) -> bool:  # a number only named with its field ("floor 2"), not a date
        if BARE_NUMBER.fullmatch(value):
            return value in tokens and bool(key_terms(key) & said)
        return bool(terms(value)) and terms(value) <= said

    given = {key: value for key, value in best.items() if said_whole(key, value)}
    if not given:
        return None
    head = split_head(ranked[0].text)[0]
    records = {
        (p.start, p.end): (p, record)
        for p in ranked
        if (p.hit.document_id, p.hit.heading) == (ranked[0].hit.document_id, ranked[0].hit.heading)
        and split_head(p.text)[0] == head
        and (record := _record_of(p)) is not None
        and next(iter(record)) == next(iter(best))
        and all(record.get(key) == value for key, value in given.items())
    }
    if not 2 <= len(records) <= ROWS_ALIKE_AT_MOST:
        return None
    bags = [terms(" ".join(record.values())) for _, record in records.values()]
    named = set().union(*(key_terms(key) for key in best))  # "rooms" asks for the Room column ("Print room")
    if any(sum(word in bag for bag in bags) == 1 for word in said - named):
        return None  # "Ruth" of "What is Ruth's extension in Finance?": her row alone
    alike = sorted((p for p, _ in records.values()), key=lambda p: p.start)
    body = "\n\n".join(split_head(p.text)[1].strip() for p in alike)
    lines = [p for p in alike if p.first_line is not None]
    return Passage(
        ranked[0].hit,
        f"{head}\n…\n{body}" if head else body,
        alike[0].start,
        alike[-1].end,
        min((p.first_line for p in lines), default=None),  # type: ignore[type-var]
        max((p.last_line for p in lines), default=None),  # type: ignore[type-var]
        ranked[0].score,
    )


# How far below the best passage another of its document may score and still be read first, where it holds what
# the question asks and the best does not (`_read_first`): the rows of one table score alike (a vaccination
# sheet's "date: ...; vaccine: tetanus", a shop's prices for "And raw milk?"), what tells them apart is a date or
# the follow-up's own words; within a third of the scale's usual top (about 1.5).
READ_FIRST_MARGIN = 0.5


def _near_best(ranked: list[Passage]) -> list[Passage]:
    """The passages of the best's document within READ_FIRST_MARGIN of it, best first."""
    best = ranked[0]
    return [
        p for p in ranked if p.hit.document_id == best.hit.document_id and best.score - p.score <= READ_FIRST_MARGIN
    ]


def _read_first(ranked: list[Passage], first: Passage | None) -> list[Passage]:
    """The passages with `first` (one of them, or None: as they are) first, at the best's score."""
    if first is None:
        return ranked
    return [replace(first, score=ranked[0].score), *(p for p in ranked if p is not first)]


def _followed_up(ranked: list[Passage], follow_up: FollowUp) -> list[Passage]:
    """The passages, best first, with one of the best's document that holds what the follow-up asks first, at
    the best's score, where the best does not (`_near_best`): all its own words and the
    earlier names it stays with, none it turns from ("Raw milk: 1.80" for "And raw milk?" after the eggs'
    price; Southmoor's row for "And the other site?" after Northgate's); else, where the best lacks the names
    it stays with, one that holds them (the Lisbon flat's section, not the Berlin flat's that says "cleaning
    fee"). The earlier turn's words outweigh the follow-up's in the search, and read the row asked before."""
    if not ranked:
        return ranked

    def fits(passage: Passage, own: bool = True) -> bool:
        bag = terms(f"{passage.hit.title} {passage.hit.heading} {passage.text}", parts=True)
        return (not own or follow_up.own <= bag) and follow_up.kept <= bag and not follow_up.turned_from & bag

    if fits(ranked[0]):
        return ranked
    near = _near_best(ranked)
    first = next((p for p in near if fits(p)), None)
    if first is None and not fits(ranked[0], own=False):
        first = next((p for p in near if fits(p, own=False)), None)
    return _read_first(ranked, first)


def _scored(
    question: str, hits: list[Hit], encode: Callable[[list[str]], np.ndarray], keyword_weight: float
) -> list[Passage]:
    """The passages of the hits that `score` scores (up to EMBED_AT_MOST), less navigation, best first."""
    ranked = score(question, [p for hit in hits for p in passages(hit)], encode, keyword_weight)
    ranked = [p for p in ranked if not navigation(p.text)]  # after scoring: they count in how rare a word is
    turned = [replace(p, score=p.score - REVERSED_ROLES) if reverses_roles(question, p) else p for p in ranked]
    return _as_of_today_first(question, sorted(turned, key=lambda p: p.score, reverse=True))


def _as_of_today_first(question: str, ranked: list[Passage]) -> list[Passage]:
    """The passages, best first, with the one of the best's document holding the next or the last date asked
    for (`as_of_today`; `_near_best`) first, at the best's score: one record or diary entry a passage ("When was
    my last tetanus shot?" over a sheet's rows)."""
    if not ranked or asked_turn(question) is None:
        return ranked
    near = _near_best(ranked)
    read = [dated_text(p, question) for p in near]  # a diary's entry: dated by its heading
    picked = as_of_today(read, question, about=_document_of(ranked[0]))
    return _read_first(ranked, next((p for p, text in zip(near, read, strict=True) if text == picked), None))


# What a passage about the other way round loses (`reverses_roles`): enough to fall behind one about the way asked
# that scores close to it (the packing list's "Ferry leaves Brackwater pier at 07:40." behind "The return ferry from
# Vireo Island is at 18:15." for "When does the ferry to Vireo Island leave?"), not behind any passage at all. Where
# it is still the best, the answer is that the notes do not say it (answer.Check): a relation that holds both ways
# ("from Oslo to Bergen" read in "Bergen to Oslo: 460 km") is refused too, the cost of not showing the bus to
# Ashby Cross for the bus from it.
REVERSED_ROLES = 0.3


def reverses_roles(question: str, passage: Passage) -> bool:
    """Whether the passage gives a name or fact of the question only the preposition's role opposite to the
    question's (`_roles_kept`, without the role of a name opening its clause, which a converse verb turns:
    "Maria received a book from Tom" answers "What did Tom give to Maria?"): "the ferry to Vireo Island" read in
    "The return ferry from Vireo Island is at 18:15.". A name's role only: a time's is not turned ("Which buses run
    after 18:00?" is answered by "... until 18:00, then hourly"). Not for a yes/no question, which the other way
    round answers ("Is the ferry from Vireo?": "No, to it")."""
    if asked_kind(question) == "yes/no":
        return False
    return not _roles_kept(question, passage.text, names(question), subjects=False)


def rank_hits(
    question: str, hits: list[Hit], encode: Callable[[list[str]], np.ndarray], keyword_weight: float
) -> list[Hit]:
    """The hits ordered by their best passage's score, which becomes their `score`: a chunk is as relevant as
    its lines that fit the question best ("MaxP", Dai and Callan, SIGIR 2019), where the fused rank counts
    its words and meaning as a whole. A hit none of whose passages was scored (past EMBED_AT_MOST by shared
    words, or navigation) scores its chunk's cosine to the question, the same scale without the words' share.
    On the tune splits of bench/answer_bench.py it moved the right document first for 0.92 of 51 prose
    questions (fused order 0.84) and 1.00 of 18 on manual pages (0.89)."""
    best: dict[str, float] = {}
    for passage in _scored(question, hits, encode, keyword_weight):
        best.setdefault(passage.hit.chunk_id, passage.score)
    for hit in hits:
        best.setdefault(hit.chunk_id, hit.similarity or 0.0)
    return sorted((replace(hit, score=best[hit.chunk_id]) for hit in hits), key=lambda hit: -hit.score)


GOES_ON = re.compile(r"[\w,(-]$")  # a line that stops inside a sentence: on a word, a comma, an open bracket
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def with_head(passage: Passage, previous: tuple[str, int] | None) -> Passage:
    """A passage cut at the start of its chunk, headed by the line that governs it in the chunk before
    (a man page option whose description fell into the next chunk), when there is one."""
    if previous is None or passage.start != passage.hit.start or OPTION.match(passage.text.lstrip()):
        return passage
    text, start = previous
    lines = text[: max(0, passage.start - start)].split("\n")
    # Where the chunk before reaches the passage, its last line is the passage's own indentation.
    depth = len(lines[-1]) if not lines[-1].strip() else None
    for line in reversed(lines[:-1] if depth is not None else lines):
        if not line.strip():
            break  # a blank line ends an indented entry; an option's names may still stand alone before it
        indent = _indent(line)
        if depth is None:
            depth = indent
        elif indent < depth:
            return replace(passage, text=f"{line.strip()}\n…\n{passage.text}")
    return _with_entry(passage, lines)


def with_tail(passage: Passage, following: Callable[[], tuple[str, int] | None] = lambda: None) -> Passage:
    """A passage that stops inside a sentence of prose, with the rest of it: from its chunk, or where the chunk
    ends there from the next one (`following()`: its text and start offset, asked only then; a chunk that starts
    past this one's end, across a section's heading the chunks leave out, is not read on). "...the system default
    (which is usually" goes on with "vi)."; a window of three lines may stop where the fourth says the answer.
    Only the rest of a sentence of prose lines (`_prose_line`) that ends within LONG_LINE characters in its
    paragraph; not after a record's field, a table's row or an option's names, whose lines end without a full
    stop."""
    hit = passage.hit
    last = passage.text.rsplit("\n", 1)[-1].strip()
    if not GOES_ON.search(last) or not _prose_line(last):
        return passage
    after = hit.text[passage.end - hit.start :]
    if not after.strip():
        if (next_chunk := following()) is None:
            return passage
        text, start = next_chunk
        if start > hit.end:
            return passage  # text between the chunks that neither holds
        # the chunks overlap past the passage's end, or the next starts in the whitespace after it
        between = hit.text[passage.end - hit.start : start - hit.start]
        after = text[passage.end - start :] if passage.end >= start else between + text
    rest = after.lstrip()
    gap = after[: len(after) - len(rest)]
    pieces = _sentence_pieces(PARAGRAPH_BREAK.split(rest, maxsplit=1)[0][:LONG_LINE])
    if gap.count("\n") > 1 or not pieces or not SENTENCE_DONE.search(pieces[0][-1]):
        return passage  # a new paragraph, or no sentence's end near
    end = 0
    for piece in pieces[0]:
        end = rest.index(piece, end) + len(piece)
    tail = gap + rest[:end]
    if not all(_prose_line(line.strip()) for line in rest[:end].split("\n")):
        return passage  # a field, a row or an option's entry follows: the sentence ended with the line
    last_line = None if passage.last_line is None else passage.last_line + tail.count("\n")
    return replace(passage, text=passage.text + tail, end=passage.end + len(tail), last_line=last_line)


def _with_entry(passage: Passage, before: list[str]) -> Passage:
    """Where nothing is indented (a manual page as PDF, or as HTML with a paragraph each), the passage headed by
    the names of the option whose entry it goes on from (`_names`): the nearest such line of the paragraph it
    starts in (within MAX_UNITS lines), or, across one blank line, a paragraph that is that line alone."""
    lines = [line.strip() for line in before[:-1]]  # the whole lines before the passage's own
    if lines and not lines[-1]:  # a blank line: the paragraph before must be an option's names alone
        paragraph = list(itertools.takewhile(bool, reversed(lines[:-1])))
        names = paragraph[0] if len(paragraph) == 1 and _names(paragraph[0]) else None
    else:
        run = list(itertools.takewhile(bool, reversed(lines)))[:MAX_UNITS]
        names = next((line for line in run if _names(line)), None)
    return replace(passage, text=f"{names}\n…\n{passage.text}") if names else passage


# A table's row as extract.base.table_lines writes it, two named cells at least; and its column names' line.
TABLE_ROW = re.compile(r"[^:;|\n]{1,40}: [^;\n]*(?:; [^:;|\n]{1,40}: [^;\n]*)+")
TABLE_HEADER = re.compile(r"\|?[^|\n]+(?:\|[^|\n]+)+\|?")  # "a | b" (a sheet), "| a | b |" and "| --- | --- |"
GROUP_TITLE = re.compile(r"(?:\S+ ){0,7}\S+(?<![.,;!?])")  # a group's title over its rows: "Season 2025:"
OPTION = re.compile(r"--?[\w?#]")  # a line that names an option ("-l, --files-with-matches"), not a "- " bullet
OPTION_WORDS = {"option", "flag", "switch"}  # what "which option" asks for; stems (`terms`) of themselves
# A record's key before its value ("date: 2025-04-20"); a unit in brackets is the key's ("Amount (EUR): 57.50",
# "Driver (Tesco collection): Sunil")
KEY_WORDS = r"[\w .-]{1,40}(?:\([\w .,/-]{1,30}\))?"
KEY = re.compile(rf"({KEY_WORDS}):\s+\S")
BRACKETED = re.compile(r"\(([^()]*)\)")  # a key's words in brackets
VALUE_SAID = re.compile(r"\S+(?:\s+\S+){3,}[.!?][\"'”’)\]]*")  # a value that is a sentence: 4+ words, ended
# A header's field naming who made a note: a mail's "From: Eric S. Raymond <esr@...>", "Author: ...".
BYLINE = re.compile(
    r"\s*(?:from|by|author|authors|written by|maintainer|maintainers|editor|translator|translated by):\s+\S", re.I
)
# A line naming a text's author, for scoring (`score`): BYLINE's author fields, also with the name on the next
# line (a PDF's "Author:" over "Gordon McMillan"), a manual page's "AUTHOR" section alone, "Written by Richard M.
# Stallman." without a colon; not an option "--author", "Author's note", "Authors disagree"
AUTHOR_LINE = re.compile(r"^[\s:*#]*(?:authors?\s*:|(?-i:AUTHORS?)[ \t]*$|written\s+by\b)", re.I | re.M)
RECORD = re.compile(rf"^\s*(?:{KEY.pattern}|\||[-*+•]\s|\d+[.)]\s)")  # a key's value, a table row, a list item
# What a question asks for: the noun after its question word ("what is the BUDGET"), past a possessive that
# names whose it is, where a verb or an article comes before it ("what is the visitor's BADGE NUMBER", "what's
# Project Heron's BUDGET"; not "what COLOUR is Ann's badge", nor "which project's budget", which asks for one).
ASKED = re.compile(
    r"\b(?:(?:which|what|who|whom|whose|when|where|how many|how much)\s+(?:(?:is|are|was|were)\s+)?"
    r"|(?:what|who|when|where)['’]s\s+)"
    r"(?:(?:the|a|an|my|our)\s+)?"
    r"(?:(?:(?<=\b(?:is|an|my|'s|’s)\s)|(?<=\b(?:the|are|was|our)\s)|(?<=\bwere\s)|(?<=\ba\s))"
    r"(?:\w+\s+){0,2}\w+(?:['’]s|s['’])\s+)?(\w+(?:\s+\w+)?)",
    re.I,
)
# What "which" or "what" asks for when a noun follows it: its words up to a possessive ("Which EtherType
# number", "What file extension"); none where a verb follows ("What does LLDP stand for?").
CLASS_ASKED = re.compile(
    rf"\b(?:which|what)\s+(?!(?:{YES_NO_VERBS}|had|may|might|shall)\b)(\w+(?:\s+\w+)?)(?!['’]|\w)", re.I
)
# A yes/no question (with no question word) asks about what follows its verb, past a possessive that names whose
# it is: "Are PETS ALLOWED in the cabin?", "Is Project Heron's DEADLINE in June?"
ASKED_YES_NO = re.compile(
    rf"^\s*(?:and\s+)?(?:{YES_NO_VERBS})\s+"
    r"(?:(?:it|there|this|that|the|a|an|my|our|i|you|we|they)\s+){0,2}"
    r"(?:(?:\w+\s+){0,2}\w+(?:['’]s|s['’])\s+)?(\w+(?:\s+\w+)?)",
    re.I | re.M,
)
# What is asked for ("the BUDGET of Project Heron") outweighs the subject's name, which most sentences share.
ASKED_WEIGHT = 1.5
# A sentence that states the kind of fact asked for ("When ...?": a date) outweighs one that only shares words.
KIND_WEIGHT = 2.0
# A sentence holding a fact or name that the model's rejected answer stated is quoted before another that the
# question's words fit as well (a tie-break: less than the half a word that separates two fits; the model's fact
# may be the wrong one of its passage, and on the tune split any larger weight quoted it as often as it helped).
ANSWER_WEIGHT = 0.25
# A part of a record's key the question does not say weighs against the field a little, less than a word it says:
# "eol" fits "end of life" better than "eol-lts" (a tie-break between keys that say as much).
KEY_PART_UNSAID = 0.25
# Of the words an answer adds to the question, at most this many, or this share, may be missing from the
# evidence: a faithful short answer adds a verb or two ("use", "set"), an invented clause ("a renowned surgeon
# who ...") adds several.
FREE_WORDS = 2
MAX_UNSUPPORTED = 0.4
# Words that claim rather than phrase: an exclusive, a superlative, a praise ("the only person to have inspected
# it", "the oldest club", "a renowned surgeon"). Free words are phrasing ("used", "set", "ask"); these are never
# free where the evidence lacks them. As written, not stemmed: "lasts" is no "last", "leads" no "leading".
CLAIMS = frozenset(
    "only sole solely worst greatest largest biggest smallest oldest youngest famous renowned celebrated acclaimed "
    "brilliant talented legendary award-winning world-class well-known beloved respected generous successful "
    "excellent impressive prestigious popular notable remarkable outstanding exceptional ambitious innovative "
    "experienced skilled significant substantial huge massive enormous modest important crucial".split()
)  # not "best", "earliest", "latest", "newest": idioms too ("It is best to ...", "at the latest")
# An adverb (-ly) claims too where the notes lack it ("successfully led", "widely used", "paid annually"); these
# words end so and are none
NOT_ADVERBS = frozenset(
    "family supply reply apply assembly anomaly rely comply imply multiply holy ugly jelly belly bully rally ally "
    "tally lily fly july italy emily"  # words
    " approximately roughly nearly currently respectively directly simply usually typically generally normally"
    " really actually exactly early daily weekly monthly yearly annually nightly hourly".split()  # phrasing
)
ADVERB = re.compile(r"(?<![\w-])[a-z]{2,}ly(?![\w-])")
# A clause the answer adds after "and" or "but" about its subject ("... led by Annika Strand and is widely
# respected", "... and was approved by the board"): a claim where a word of it is not the notes'
ADDED_CLAUSE = re.compile(r"\b(?:and|but)\s+(?:is|was|are|were|has|have|had|will|would|can|could)\b([^,.;:!?]*)", re.I)
CLAUSE_WORDS = 2  # words the notes lack that make an added clause a claim: "widely respected", "approved ... board"
# An aside the answer adds about what it has just named: an appositive after a name ("Annika Strand, a
# structural engineer", "Perpetua Lind (a senior nurse)"; not after a phrase put first, "On Tuesdays, the ..."),
# or a relative clause (", who designed ...", ", which ..."); up to its clause's end.
ASIDE = re.compile(
    r"(\S+)(?:,\s+|\s+\(\s*|\s+[—–]\s+)(?:(a|an|the)|who|whom|whose|which)\s+([^,.;:!?()—–]+)", re.I
)  # after a comma, in brackets or between dashes
# Prepositions that give a name or a fact its role in a sentence, each with those of the opposite role: nurse
# Lind gives the vaccinations "by nurse Lind", not "to nurse Lind"; names come "from FILE", not "to FILE"; support
# runs "until 2027", not "since 2027". Pairs that may be the same role in other words ("from" and "by") are not.
OPPOSITE_ROLES = {
    "by": {"to", "for"},
    "to": {"by", "from", "subject"},
    "subject": {"to"},  # a name that opens its clause ("Ines sold it ...") does, not receives ("... to Ines")
    "for": {"by"},
    "from": {"to", "until", "till"},
    "before": {"after", "since"},
    "after": {"before", "until", "till"},
    "since": {"before", "until", "till"},
    "until": {"from", "after", "since"},
    "till": {"from", "after", "since"},
    "above": {"below", "under"},
    "below": {"above", "over"},
    "over": {"below", "under"},
    "under": {"above", "over"},
}
NAME_WORDS = 3  # capitalised words of one name before the word whose role is read ("Dr. Perpetua Lind")
# Verbs after which the name opening a clause may be the one done to ("Ines was given the keys by Kasimir").
PASSIVE = {"is", "was", "were", "are", "be", "been", "being", "get", "gets", "got", "has", "had", "have"}
ARTICLES = {"the", "a", "an", "my", "our", "your", "his", "her", "their", "its", "this", "that"}
CLAUSE_END = (",", ";", ":", ".", "!", "?")  # a word ending so ends the clause a preposition would govern in
# The start of an option's entry: an option named by a letter, or by a digit before a comma or a capitalised
# description ("-4 Forces ssh to use IPv4"), not a negative number ("-18 degrees in the morning").
ENTRY = re.compile(r"--?[A-Za-z?#]|-\d+(?:,|\s+[A-Z])")
NAMES = re.compile(r"--?[\w?#][\w-]*(?:\[?=?[\w.\[\]=|{}-]*\]?)?(?: [\w.\[\]=|{}-]+)?")  # "-p DIR", "--color[=WHEN]"
NAMES_ALONE = 30  # one option with its argument ("--tmpdir[=DIR]") is at most this long; longer, it says more
OPTION_NAMES = 60  # an option's names line ("-z, --gzip", "--color[=WHEN]") is at most this long
CAPITALS = re.compile(r"[A-Z][A-Z0-9 ()-]{2,}")  # a heading line in capitals ("OPTIONS", "SEE ALSO")
# A link set apart by a mark ("→ https://...", "<https://...>"); not one a sentence wrapped onto its own line
# ("published at\nhttps://...\nand updated"), nor a Markdown link ("[12.3](https://...).")
BARE_LINK = re.compile(r"[^\w\s\[(]\s*[a-z][\w+.-]*://\S*")
LINK_ONLY = re.compile(r"\W*(?:\S+\s+)?\S*://\S*")  # "→ https://kali.org", "Home: http://..."
BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
CITED = re.compile(r"\[\d{1,3}\]")
HYPHENATED = re.compile(r"[‐-]\n\s*")
ABBREVIATION_AT_MOST = 40  # characters at a sentence's end that hold the abbreviation before its full stop
# Shortened words that stand inside a name, as a title does before one (facts.TITLES): a firm's ("Hollins Bros.
# Ltd.", "Acme Corp."), an address's ("Elm Ave. North", "Mill Rd."), and given names as old records write them
# ("Jno. Pettigrew", "Wm. Harcourt", "Chas.", "Thos."); not pySBD's others, many of which are words ("Ill.",
# "Wash.", "Miss.").
NAME_ABBREVIATIONS = frozenset("Mt Ft Jno Wm Chas Thos Geo Jas Robt Benj Saml Richd Edw Danl Jos".split())  # before one
# ... and those that end one ("Hollins Bros. Ltd.", "Elm Ave. North"): a sentence goes on only where another of them
# or a point of the compass follows ("Rent is paid to Berg Ltd. Jo Hale collects it." is two sentences)
NAME_ENDINGS = frozenset("Bros Ltd Corp Inc Co Ave Rd Blvd Dept Univ Assn Esq Hwy Bldg".split())
COMPASS = frozenset("North South East West Northeast Northwest Southeast Southwest N S E W NE NW SE SW".split())
# Words after which a full stop does not end a sentence: Latin abbreviations, initials (titles: facts.TITLES).
ABBREVIATION = re.compile(
    r"(?:\b(?:Jr|Sr|vs|cf|approx|ca|al|arr|dep)|\b[A-Z]|\b(?:[a-z]\.)+[a-z])\.$"  # "J.", "e.g.", "p.m.", "arr. Oslo"
)
LAST_WORD = re.compile(r"\b([^\W\d_]+)\.$")  # the word a full stop ends ("Capt." in "Flight: Capt.")
# Abbreviations before a number ("No. 5", "Fig. 3", "Apt. 4B", "Rm. 12", "Jan. 5", "Mon. 3"), which end a sentence
# before a word ("We moved in Mar. The roof leaked."); in any case ("policy no. 88-1402", "POLICY NO. 88", "dep.
# 07:15") before a digit, since "no", "art" or "fig" end many a sentence before a word ("I said no. I meant it.").
NUMBERED = re.compile(
    r"\b(?:No|Nos|Nr|Fig|Apt|Vol|pp|Tel|Ext|Rm|Bldg|Sec|Ch|Art|Ref|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.$"
)
NUMBERED_LOWER = re.compile(r"\b(?:no|nos|nr|fig|vol|rm|sec|ch|ref|apt|ext|tel|bldg|art|pp|dep|arr)\.$", re.IGNORECASE)
NUMBER_NEXT = re.compile(r"[\d+(#'’]|[A-Z]{1,3}\b|[IVX]+\b")  # "5", "+47 ...", "'24", "B", "II"
NUMBER_NEXT_LOWER = re.compile(r"[\d#]|[A-Z]{1,4}-?\d")  # after "no.": "5", "#12", a reference ("BS-88213", "A12")
# A sentence goes on after a full stop where the next word is not capitalised ("at 3 p.m. on Friday", "5 lbs.
# of flour"): the next sentence of English prose starts with a capital, a digit, a quote or a bracket.
SENTENCE_GOES_ON = re.compile(r"[a-z]")
# A section's or list item's number opening a block, which opens the sentence after it: "8.10.1. Introduction",
# "14.2. You do ..." (not a reply after a question: "How many rooms? 4. Each has a bed.")
ITEM_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.")
# A reply of one word, which the sentence after it explains: an FAQ's "Yes. Some of them may be sold."
VERDICT_ALONE = re.compile(r"\W*(?:yes|no)[.!]", re.I)


def sentences(block: str) -> list[str]:
    """The sentences of a block of text; a full stop after "Dr", "Capt" (`TITLES`) or "Jno" (`NAME_ABBREVIATIONS`)
    before a word that opens no sentence ("Capt. Okafor", "Jno. Pettigrew", not "the Gen. It"), after "Bros" or
    "Ave" (`NAME_ENDINGS`) before another or a point of the compass ("Bros. Ltd.", "Elm Ave. North"), "e.g" or an
    initial does not end one, nor one after "No", "Jan", "Mon" or "dep" before a number
    (`NUMBERED`), nor one before a word in lower case (`SENTENCE_GOES_ON`), nor one after a bare "Yes" or "No"
    (the reply and its reason are one sentence; not the FAQ's next question), nor one after a section's or item's
    number alone ("8.10.1. Introduction")."""
    return [" ".join(pieces) for pieces in _sentence_pieces(block)]


def sentence_ends(block: str) -> list[int]:
    """Where each of a block's `sentences` ends in it (offsets; the last is the block's end)."""
    cuts = [match.start() for match in SENTENCE_END.finditer(block)] + [len(block)]
    return [cuts[end - 1] for end in itertools.accumulate(len(pieces) for pieces in _sentence_pieces(block))]


def _sentence_pieces(block: str) -> list[list[str]]:
    """`sentences`, each as the pieces of `block` between SENTENCE_END's matches that it joins."""
    found: list[str] = []
    joined: list[list[str]] = []
    for piece in SENTENCE_END.split(block):
        verdict_alone = found and VERDICT_ALONE.fullmatch(found[-1]) and not piece.rstrip().endswith("?")
        number_alone = len(found) == 1 and ITEM_NUMBER.fullmatch(found[0])
        lower_next = found and found[-1].endswith(".") and SENTENCE_GOES_ON.match(piece) is not None
        end = found[-1][-ABBREVIATION_AT_MOST:] if found else ""  # the rules read the end: a long join stays linear
        last = LAST_WORD.search(end)
        following = (piece.split() or [""])[0].rstrip(".")
        opens = len(following) > 1 and following.lower() in STOPWORDS  # "It", "The"; not an initial ("Dr. A. Lind")
        title = bool(last) and last.group(1).capitalize() in TITLES | NAME_ABBREVIATIONS and not opens
        ending = last is not None and last.group(1).capitalize() in NAME_ENDINGS
        ending = ending and following.rstrip(",;:") in NAME_ENDINGS | COMPASS
        title = title or ending
        numbered = found and (
            (NUMBERED.search(end) and NUMBER_NEXT.match(piece))
            or (NUMBERED_LOWER.search(end) and NUMBER_NEXT_LOWER.match(piece))
        )
        if found and (ABBREVIATION.search(end) or title or verdict_alone or number_alone or lower_next or numbered):
            found[-1] += " " + piece
            joined[-1].append(piece)
        else:
            found.append(piece)
            joined.append([piece])
    return joined


def grounded(answer: str, question: str, best: Passage) -> bool:
    """Whether an answer states what the best passage holds, and what was asked:

    - every fact it adds to the question (a number, date, identifier, path, option: whole tokens, so "7731"
      is not "B-7731"; not the question's own date written otherwise, "2013-05-04" for "4 May 2013") and every
      name it adds is in the passage; when the passage is headed by an option's names line, one of its options
      is in the answer;
    - when the question asks for a kind of fact (a date, a name, ...) the answer states one, and when the
      passage has facts the answer states one (an answer without any says nothing checkable); where it gives
      the length of what it asks for ("the two-letter code"), the answer states a value of the passage of that
      length (`_shape_held`);
    - each fact it states sits in a sentence (or record line) of the passage that holds the question's
      rarest word, where only some of them do: the inspector of the Kestrel depot, not of the next row (an
      option the heading line names is in all of them; among a table's rows, the row a word of the question
      keys; `_in_the_asked_sentence`);
    - each name or fact it states keeps the role the passage gives it: given "by nurse Lind", not "to" her
      (`_roles_kept`);
    - it adds few words the passage lacks (at most `FREE_WORDS`, or `MAX_UNSUPPORTED` of those it adds): no
      invented clause; none of them a claim (`CLAIMS`: "the only person", "a renowned ...", "a generous
      budget"; an adverb, "successfully led"), in an aside after a comma (`ASIDE`: ", a non-profit
      organisation", ", who ...") or two in a clause added by "and" (`ADDED_CLAUSE`: "and is widely respected");
      and where it adds no fact or name of
      the passage, most of its added words are the passage's ("The tar option --create is used to ..." may
      say "used");
    - an answer opening with a yes or a no does not contradict the notes' yes or no, or the sentence the quote
      would show (`verdict`, `contradicts`): "Yes, it is." is not grounded where they say "Do not name it test";
    - of a passage of records alike (`records_alike`: "Who works in Finance?"), it states a fact or name of each.
    """
    answer = CITED.sub(" ", answer)
    if asked_kind(question) == "phone":  # a phone number's separators are not the number (a coordinate's sign is)
        answer = _phones_as_written(answer, best.text)  # "555-0101" for the notes' "555 0101"
    dated = _written_dates(answer, best.text)  # "28 November 2026" for the notes' "2026-11-28"
    headed = _heading_written(answer, question, best)  # "21 November" of a diary entry headed "Sat 21 Nov"
    said = (facts(answer) - facts(question) - set().union(*dated.values(), *map(facts, headed))) | set(dated)
    given_days = iso_dates(question)  # "2013-05-04" for "Which release came out on 4 May 2013?" gives nothing
    said = {fact for fact in said if not (days := iso_dates(fact)) or not days <= given_days}
    held = facts(best.text)
    # A sentence's first word is a name where the notes or the question name it inside a sentence ("Marlow
    # failed ..." where the notes say "... so Marlow must repeat it").
    known = names(best.text) | names(f"{best.hit.title} {best.hit.heading}") | names(question)
    added_names = names(answer, known) - names(question, known)
    if not said <= held or not added_names <= known:
        return False
    head = governing_options(best.text)  # an option's names line over its description
    if said and head and not said & head:
        return False
    kind = asked_kind(question)
    if kind is not None and not states(kind, answer, question, known):
        return False
    if not _both_asks_answered(answer, question, known):
        return False  # "Project Osprey ends on 30 September 2026." for "Who leads it and when does it end?"
    if kind == "path" and not _placed_as_asked(answer, question, best):
        return False  # "in the potting shed drawer", where the west greenhouse's key is, for the east one's
    if not _as_of_today_said(answer, question, best):
        return False  # "12 March 2026" for the next appointment, on 5 December 2026; last month's bill
    if kind != "yes/no" and not _shape_held(answer, question, best.text):
        return False  # "The two-letter code of the German Democratic Republic is 278."
    if held and not (said or headed) and not added_names and kind != "yes/no":
        return False
    if not _names_in_the_field_asked(added_names, question, best):
        return False  # "Chainsaw / Shed: North shed" for "Who owns the chainsaw?", where the record has an Owner
    placed = _in_the_one_field_asked(added_names, question, best)  # its Owner's name, under a bare title line
    stated = said | added_names
    asks = two_asks(question)  # of two asks, each fact where one of them is answered
    records = [replace(best, text=block) for block in records_alike(best)]  # records alike: each fact of one
    parts, wholes = ([{item} for item in stated], records) if records else ([stated], [best])
    if asks is None and not all(
        any(
            _in_the_asked_sentence(part - placed, question, whole) and _in_an_asked_field(part, question, whole)
            for whole in wholes
        )
        for part in parts
    ):
        return False
    if asks is not None and not all(
        any(
            _in_the_asked_sentence({item} - placed, ask, best) and _in_an_asked_field({item}, ask, best) for ask in asks
        )
        for item in stated
    ):
        return False
    if not _in_the_asked_clause(said, question, best):
        return False  # "The holiday deposit was €780." where €780 is the rest and €300 the deposit
    if kind != "yes/no" and not _says_the_field_asked(answer, question, best):
        return False  # "The official name of Sri Lanka is LK." where its official_name is words
    if records and not all(stated & (facts(r.text) | names(r.text, known)) for r in records):
        return False  # "Priya Anand is in Research." where Maren Holt's row says Research too
    if not _a_person_for_who(answer, question, added_names, best):
        return False  # "The head of the AT branch is Austria." where its line names Leopold Brunnhuber
    if not _roles_kept(answer, best.text, said | added_names):
        return False  # "provides flu vaccinations to the nurse Perpetua Lind" where she gives them
    if _negation_turned(answer, best):
        return False  # "The doors can be wedged open." where the notes say they "must never be wedged open"
    if kind == "yes/no" and contradicts(answer, question, verdict(best, question)):
        return False  # "Yes, it is." where the notes say "Don't name it test"
    if kind == "yes/no" and YES.match(answer) and says_the_opposite(question, best):
        return False  # "Yes, it is open on Saturday." where the notes say "Saturday closed"
    if kind == "yes/no" and not (YES.match(answer) or NO.match(answer)) and not _speaks_to(answer, question):
        return False  # "Project Heron replaces the warehouse scanners ..." for "Is Project Heron's deadline in June?"
    added = terms(answer) - terms(question)
    if not added:  # "No, you do not need permission to sell CDs": a yes or no adds only small words
        return kind == "yes/no" or bool(said or headed or added_names)
    written = f"{best.hit.title} {best.hit.heading} {best.text}"
    unsupported = added - terms(written) - terms(" ".join(set().union(*dated.values()))) - terms(" ".join(headed))
    invented = any(terms(aside) & unsupported for aside in _asides(answer)) or any(
        len(terms(clause) & unsupported) >= CLAUSE_WORDS for clause in ADDED_CLAUSE.findall(answer)
    )
    invented = invented or _role_invented(answer, added_names, unsupported, f"{written} {question}")
    if _claims(answer, f"{written} {question}") or invented:
        return False  # "the only person to have inspected it", "Annika Strand, a structural engineer", "and is ..."
    # Where the answer adds a fact or name of the notes, a word of its own ("The option --create is used to
    # create an archive") is phrasing; where it adds only words, most must be the notes'.
    mostly_held = len(unsupported) < len(added) or bool(said or added_names)
    return mostly_held and len(unsupported) <= max(FREE_WORDS, MAX_UNSUPPORTED * len(added))


HEADING_DATE_JOINT = " — "  # between a heading's date and a unit of its entry, as a quote shows them


def _heading_day(passage: Passage, question: str) -> str | None:
    """The date the passage's heading is (`facts.heading_date`: a diary's entry, "## 2 November 2026"), where
    the question asks when; else None."""
    return heading_date(passage.hit.heading) if asked_kind(question) == "date" else None


def dated_units(units: list[str], passage: Passage, question: str) -> list[str]:
    """The passage's units as a question asking when reads them: where its heading is a date (`_heading_day`),
    each unit stating no day of its own after that date ("2 November 2026 — Dentist with Dr. Okafor at 9:30."):
    a diary's lines are of the day they are written under ("When did I last go to the dentist?")."""
    day = _heading_day(passage, question)
    if day is None:
        return units
    return [unit if calendar_spans(unit) else f"{day}{HEADING_DATE_JOINT}{unit.lstrip()}" for unit in units]


def dated_text(passage: Passage, question: str) -> str:
    """The passage's text as a question asking when reads it: its units one a line, dated (`dated_units`), where
    its heading is a date; else its text."""
    if _heading_day(passage, question) is None:
        return passage.text
    return "\n".join(dated_units(units_of(passage.text), passage, question))


def _heading_written(answer: str, question: str, best: Passage) -> list[str]:
    """The words with which an answer to a question asking when writes the day the best passage's heading is
    (`_heading_day`), in any form ("21 November 2026", "Nov 21" for "Sat 21 Nov"), and that day's weekday's
    name ("Saturday"): what the notes state, in the heading."""
    day = _heading_day(best, question)
    days = {first for _, first, last in written_days(day) if first == last} if day else set()
    written = [words for words, first, last in written_days(answer) if first == last and first in days]
    weekdays = {form for first in days for form in (first.strftime("%A"), first.strftime("%a"))}
    if not written:
        return []
    return written + [token for token in facts(answer) if token.strip(EDGES).capitalize() in weekdays]


def _written_dates(answer: str, text: str) -> dict[str, set[str]]:
    """Each date an answer writes out ("28 November 2026", "November 28th, 2026") that the text holds in numbers
    (its ISO 8601 form "2026-11-28" or `facts.NUMERIC_DATE`'s "28/11/2026"), keyed by the text's token, with
    the facts it is written with: it states the text's date. Where the text writes it out too, its facts are
    the words themselves."""
    in_numbers = {iso: iso for iso in iso_dates(text) if iso in facts(text)}
    for match in NUMERIC_DATE.finditer(text):
        for iso in iso_dates(match.group(0)):
            in_numbers.setdefault(iso, match.group(0))
    written: dict[str, set[str]] = {}
    for pattern in (DAY_MONTH_YEAR, MONTH_DAY_YEAR):
        for match in pattern.finditer(answer):
            for iso in iso_dates(match.group(0)) & set(in_numbers):
                written.setdefault(in_numbers[iso], set()).update(facts(match.group(0)))
    return written


def _speaks_to(answer: str, question: str) -> bool:
    """Whether an answer holds a word the question asks with besides the name it opens with (whom or what it
    is about): a yes/no question answered without a yes or a no is answered by what the notes say of the thing
    asked ("Sorts are guaranteed to be stable." for "... does Python's sort keep them in their original
    order?", "The Skoda failed its MOT ..." for "Did the Skoda pass its MOT?"), not by another sentence naming
    the same project or person ("Project Heron replaces the warehouse scanners ..." for "Is Project Heron's
    deadline in June?"). A word's kin counts (`_kin`: "riverside" for "river"). True where the question has no
    such word."""
    known = names(question)
    subject: list[str] = []
    for token in question.split():  # the first run of names: "Project Heron's"
        if token.strip(EDGES) in known or POSSESSIVE_S.sub("", token.strip(EDGES)) in known:
            subject.append(token)
        elif subject:
            break
    asked = terms(question) - terms(" ".join(subject))
    said = terms(answer, parts=True)
    return not asked or bool(said & asked or _kin(said, asked))


# Words a statement after the first refers back with ("She joined in 2019."): the first statement's names
PRONOUNS = frozenset("i me my you your he him his she her hers it its we us our they them their theirs".split())


def supported(statement: str, found: Sequence[Passage], before: str) -> bool:
    """Whether a statement an answer makes after its grounded first one (`before`) is what one sentence or line
    of the passages the model read (`found`) says: every word, name and fact of it in that unit, its passage's
    heading or title (a list item's mark and a citation aside), and where it refers back ("she", "his", "it") to
    a unit naming someone or something, a word of the first statement's names there too (one not every passage
    holds); a negation only where the unit negates. Stricter than `grounded`: the bundled model goes on past
    its answer with what it makes up ("The Iceweasel package was actually ... released in 2013", a manual's
    section "REVISESION SCHEMA", "Ares, a Python-based data structure", a code block), or with another line's
    fact ("The caretaker is Lorcan Whitby. The key safe code is 01632 960 218.", "He is also the treasurer.").
    A statement of nothing but a citation or a list item's number holds."""
    statement = BULLET.sub("", CITED.sub(" ", statement).strip())
    words = terms(statement) - PRONOUNS
    if any(OPTION.match(fact) for fact in facts(statement)):
        words -= OPTION_WORDS  # "The -j option filters ..." where the notes say "-j, --bzip2"
    negated = NEGATION.search(statement) is not None
    if LIST_MARK.fullmatch(statement) or not words:
        return not negated  # a numbered item's number; not a bare "No." after the answer
    subjects = set()
    if set(re.findall(r"[a-z]+", statement.lower())) & PRONOUNS:  # it refers back
        subjects = terms(" ".join(names(before)))
        if len(found) > 1:
            subjects -= set.intersection(*(terms(f"{p.hit.title} {p.hit.heading} {p.text}") for p in found))
    for passage in found:
        around = f"{passage.hit.title} {passage.hit.heading} {split_head(passage.text)[0]}"
        for unit in _units_once(passage.text):
            held = _forms(terms(f"{unit} {around}"))
            if (
                words <= held
                and facts(statement) <= _forms(facts(f"{unit} {around}"))
                and (not subjects or subjects & held or not names(unit))  # "It" is Heron, not Kestrel
                and (not negated or NEGATION.search(unit))
            ):
                return True
    return False


@functools.lru_cache(maxsize=512)
def _units_once(text: str) -> tuple[str, ...]:
    """`units_of`, kept for the statements of an answer read against the same passages."""
    return tuple(units_of(text))


MANUAL_REFERENCE = re.compile(r"\(\d[a-z]*\)?$")  # a manual page's section after its name, as a fact ends: "(1"
LIST_MARK = re.compile(r"\d{1,3}[.)]|[-*+•]")  # a list item's number or mark, a statement of its own


def _forms(words: set[str]) -> set[str]:
    """Words or facts with the forms a statement may write them in alone: a manual page's reference without its
    section ("bzip2" of "bzip2(1)")."""
    return words | {MANUAL_REFERENCE.sub("", word) for word in words}


def _claims(answer: str, written: str) -> set[str]:
    """The claim words (`CLAIMS`, an adverb: `ADVERB`) an answer writes that the notes and the question
    (`written`) do not."""
    adverbs = set(ADVERB.findall(answer.lower())) - NOT_ADVERBS  # "Reportedly, ..." too
    return (set(re.findall(r"[\w-]+", answer.lower())) & CLAIMS | adverbs) - set(re.findall(r"[\w-]+", written.lower()))


# What an answer says someone or something it names is: a noun phrase a copula joins to the name, after it
# ("Hesper Conway is a manager in Finance", "... was the primary leader of ...") or opening its sentence before it
# ("The new captain of the rowing club is Ines Ferreira"); up to a preposition, a relative word or the clause's end.
ROLE_AFTER = re.compile(
    r"\b(?:is|was|are|were|became|becomes|remains)\s+(?:a|an|the)\s+([^,.;:!?()]+?)"
    r"(?=\s+(?:of|in|at|for|on|to|with|from|by|who|that|which|and)\b|\s*[,.;:!?()]|\s*$)",
    re.I,
)
ROLE_BEFORE = re.compile(r"^\W*(?:a|an|the)\s+([^,.;:!?()]+?)\s+of\b", re.I)
# Nouns that name no role, only what is said ("The answer is ...", "The person in charge of it is ...")
NO_ROLE = frozenset("answer person people name one reply result".split())


# Nouns of a role whose verb is another word ("the author of kettle" of "written by"), beside the doer nouns
# that begin with their verb ("owner", "leader" of "led", `PAST_FORMS`; "teacher" of "taught")
ROLE_VERBS = {"author": {"write"}, "head": {"lead", "run"}, "chair": {"lead", "run"}}


def _role_invented(answer: str, named: set[str], unsupported: set[str], written: str) -> bool:
    """Whether the answer gives a name it adds a role (`_described_as`) the notes and the question (`written`) do
    not: a word of it they lack (`unsupported`) that is a modifier ("the primary leader", "the new captain"), or
    its noun where that is no doer of a verb they say ("a manager" where nothing is managed: not "the owner" of
    "owned by", "the leader" of "led by", "the author" of "written by"). Not a noun that names no role
    (`NO_ROLE`: "The answer is ...")."""
    said = {PAST_FORMS.get(word, word) for word in WORD.findall(written.lower())}
    verbs = {term for term in terms(" ".join(said)) if len(term) >= 3}
    for role in _described_as(answer, named):
        words = role.lower().split()
        if not words or set(words) & NO_ROLE:
            continue
        *modifiers, noun = words
        if terms(" ".join(modifiers)) & unsupported:
            return True
        doer = any(noun in {verb + ending for ending in ("", *AGENT_ENDINGS)} for verb in verbs)
        doer = doer or bool(ROLE_VERBS.get(noun, set()) & verbs)
        if terms(noun) & unsupported and not doer:
            return True
    return False


def _described_as(answer: str, named: set[str]) -> list[str]:
    """The roles an answer gives a name it adds (`named`), in the sentence that writes it: the noun phrase a copula
    joins to it (`ROLE_AFTER` after the name, `ROLE_BEFORE` opening the sentence before it). "Hesper Conway is a
    manager in Finance." -> ["manager"]; none for a sentence without an added name (`_role_invented`)."""
    found = []
    for sentence in sentences(answer):
        places = [sentence.find(name) for name in named if name in sentence]
        if not places:
            continue
        found += [m.group(1) for m in ROLE_AFTER.finditer(sentence) if m.start() > min(places)]
        if (opening := ROLE_BEFORE.match(sentence)) is not None and opening.end() <= max(places):
            found.append(opening.group(1))
    return found


# Prepositions that open a phrase put before a sentence's subject ("On Debian, the default ...", "In Python, the
# function ...", "For Kestrel, the inspector ..."): what follows its comma is the sentence, not an aside.
LEAD_WORDS = frozenset("on in at for from with under after before during since by to as unlike like".split())


def _asides(answer: str) -> list[str]:
    """The asides of an answer (`ASIDE`): a relative clause, or an appositive after a name (a capitalised word
    inside its sentence, no weekday or month), an option or a path; not after a phrase put first (`LEAD_WORDS`:
    "On Tuesdays, the ...", "On Debian, the default configuration is kept in ...")."""
    found = []
    for match in ASIDE.finditer(answer):
        before, article, aside = match.group(1), match.group(2), match.group(3)
        word = before.strip(EDGES)
        clause = sentences(answer[: match.end(1)])[-1].split()  # the words of its sentence up to the comma
        opening = len(clause) <= 1
        named = word[:1].isupper() and not opening and word.lower().rstrip("s") not in CALENDAR
        named = named or word.startswith(("-", "/"))  # an option or a path ("Use -z, the fastest ...")
        put_first = bool(clause) and clause[0].lower() in LEAD_WORDS  # "On Debian, the ...", "In Python, the ..."
        if not article or (named and not put_first):
            found.append(aside)
    return found


# Words that turn a statement into its opposite ("do not", "never", "cannot", "no permission"); not inside a
# name or an option ("no-op", "--no-recursion") and not in a condition ("With no FILE, read standard input").
NEGATION = re.compile(
    r"(?<![\w-])(?<!with )(?<!if )(?<!when )(?<!unless )(?:not|no|never|none|nothing|nobody|neither|nor|cannot)"
    r"(?![\w-])|n['’]t\b",
    re.I,
)
YES = re.compile(r"^\W*(?:yes|yeah|yep|sure|correct|indeed)\b", re.I)
NO = re.compile(r"^\W*(?:no|nope)\b", re.I)
# A sentence that opens with a yes or a no ("Yes, .pyd files are DLLs", "No. Packages ..."; not "No one ...",
# "Sure footing ..."), or a record's field that is one ("pets allowed: no"; not "Error: no such file").
VERDICT = re.compile(r"^\W*(?:yes|no)\s*[,.;:!—–-]|^\s*[\w .-]{1,40}:\s+(?:yes|no|true|false)\W*$", re.I)
CHOICE = re.compile(r"\bor\b", re.I)  # "Tabs or spaces?" asks which, not yes or no


# Where a negation's reach ends: its clause's end, a line's end (not a wrapped line's: "must never be\nwedged open"),
# or a word opening another clause ("... are fire doors and must never be wedged open")
# A verb's negation ("must not", "never", "can't"): what it reaches is denied. Not "no" before a noun, whose
# sentence's opposite may be what an answer rightly says ("No visitors are allowed before 14:00": "Visitors are
# allowed after 14:00."), nor "no" after "with", "if" or "unless", nor "not only", nor a denied denial ("don't
# forget to bring", "never fail to")
DENIAL = re.compile(
    r"(?:(?<![\w-])(?<!if )(?<!unless )(?:not|never|cannot)(?![\w-])|n['’]t\b)"
    r"(?!\s+(?:only|just|forget|fail|hesitate|neglect|omit|miss)\b)",
    re.I,
)
DENIED_FIELD = re.compile(r"(?m)^\s*([^:\n]{1,60}):\s*(?:no|none|false|never)\W*$", re.I)  # "pets allowed: no"
# Where a negation's reach ends: its clause's end, a line's end (not a wrapped line's: "must never be\nwedged open"),
# or a word opening another clause ("... are fire doors and must never be wedged open")
REACH_ENDS = re.compile(r"[,;:.!?](?:\s|$)|\n(?![a-z])|\b(?i:and|but|although|though|while|whereas)\b")
# A clause whose denial reaches on past no aside: a condition ("If it doesn't, ring the office.", "Even if ...", "In
# case ...") or a choice ("Fire doors or not, they are kept shut."); nor one after a concession's word ("Though
# the website says not, the office is open on Sundays.")
NO_CARRY = re.compile(r"\b(?:if|unless|whether|when|in\s+case|should)\b|\bor\s+not$", re.I)
CONCESSION = re.compile(r"\s*(?:although|though|while|whereas)\s*", re.I)
# The first words of an aside a denial reaches across, beside a preposition's (`LEAD_WORDS`: "under any
# circumstances", "at any hour"): "however", "whatever happens", "of course", "ever", "please"
ASIDE_OPENS = frozenset({"ever", "again", "please", "even", "however", "whatever", "whoever", "of"})
OPENING_VERDICT = re.compile(r"^\W*(?:yes|yeah|yep|no|nope)\s*[,.;:!—–-]", re.I)  # "No, ..." is no denial of its own


def polarities(text: str) -> tuple[list[set[str]], set[str]]:
    """The content words (`terms`) of each clause (`REACH_ENDS`) of a text that states something without any
    negation (`NEGATION`: "not", "no", "never", ...), and the words the text denies: those after a verb's
    negation (`DENIAL`: "not", "never", "n't") in its clause, and a record's field whose value is a no ("pets
    allowed: no"). "The doors are fire doors and must never be wedged open": [{door, fire}], {wedg, open}; "No
    visitors before 14:00" states nothing and denies nothing (a noun's "no": the rest may be allowed). A denial
    that reaches no word before a comma reaches across the asides after it (opening with a preposition,
    `LEAD_WORDS`, or `ASIDE_OPENS`) and the clause after them ("Never, under any circumstances, wedge the doors
    open, as they are fire doors.": {circumst, wedg, door, open} denied, {fire, door} stated); not from a condition
    or a choice (`NO_CARRY`: "If it doesn't, ring the office.")."""
    stated: list[set[str]] = []
    denied: set[str] = set()
    for line in text.split("\n"):
        if refused := DENIED_FIELD.fullmatch(line):
            denied |= terms(refused.group(1), parts=True)
    pieces = re.split(f"({REACH_ENDS.pattern})", DENIED_FIELD.sub(" ", text))
    carried = False  # a denial whose clause ends at a comma before it reaches a word goes on past the aside
    for before, clause, end in zip(["", *pieces[1::2]], pieces[::2], [*pieces[1::2], ""], strict=True):
        if carried:
            denied |= terms(clause, parts=True)
            opens = clause.split()[0].lower() if clause.split() else ""
            carried = end.startswith(",") and opens in LEAD_WORDS | ASIDE_OPENS  # past the aside, to the clause
        elif (negation := DENIAL.search(clause)) is not None:
            reach = terms(clause[negation.end() :], parts=True)
            denied |= reach
            condition = NO_CARRY.search(clause[: negation.end()].strip()) or CONCESSION.fullmatch(before)
            carried = not reach and end.startswith(",") and not condition
        elif NEGATION.search(clause) is None and (words := terms(clause, parts=True)):
            stated.append(words)
    return stated, denied


def _negation_turned(answer: str, best: Passage) -> bool:
    """Whether an answer states what the passage only denies, or denies what one clause of the passage states
    and nothing of the passage denies: "The machine room doors can be wedged open with chocks." where the notes
    say they "must never be wedged open" (its wedg, open, chock are denied there and stated nowhere), "The doors
    are not fire doors." where a clause says they are "self-closing fire doors" (`polarities`). Not "Deliveries do
    not arrive on Mondays" where the notes say they arrive on Tuesdays and the shop is closed on Mondays (no one
    clause states both). An opening yes or no is judged apart (`contradicts`)."""
    said, denied = polarities(OPENING_VERDICT.sub("", answer))
    held, refused = polarities(f"{best.hit.title}\n{best.hit.heading}\n{best.text}")
    stated = set().union(*held)
    if set().union(*said) & (refused - stated):
        return True
    return bool(denied) and not denied & refused and any(denied <= clause for clause in held)


def verdict(passage: Passage, question: str) -> str:
    """The passage's words that say yes or no: its answer's first sentence where it opens with one (an FAQ's
    "Yes. Some of them may be sold."), else the sentence the quote would show."""
    answering = [u for u in units_of(passage.text) if not u.rstrip().endswith("?") and re.search("[^\\W\\d_]", u)]
    opening = answering[0] if answering else ""
    return opening if YES.match(opening) or NO.match(opening) else quote(passage, question)


def contradicts(answer: str, question: str, sentence: str) -> bool:
    """Whether an answer that opens with a yes or a no says the opposite of the notes' sentence: a "Yes"
    where the sentence negates ("Do not name your test executable test", "pets allowed: no"; not where a clause
    of it without a negation says all the question's words: "They are fire doors and must never be wedged open"
    for "Are the doors fire doors?", `polarities`), or a "No"
    where it opens with "Yes". One way only: a "No" where the sentence has no negation word may be right in
    other words ("disabled by default"). Not judged for a question that negates ("Isn't it?") or offers a
    choice ("tabs or spaces?"). English only, like facts.ASKS."""
    if NEGATION.search(question) or CHOICE.search(question):
        return False
    if YES.match(answer):  # a negation beside a clause stating what is asked is no "no" ("Are they fire doors?"
        stated, _ = polarities(sentence)  # of "... are fire doors and must never be wedged open")
        asked = terms(question)
        says_it = bool(asked) and any(asked <= clause for clause in stated)
        return NEGATION.search(sentence) is not None and not says_it and not YES.match(sentence)
    return NO.match(answer) is not None and YES.match(sentence) is not None


# Words of a state and those of its opposite, both ways: a yes/no question asking one is answered no by the other
# ("Is the surgery open on Saturday?": "Saturday closed"). Whole words, not stems: "closes at 18:00" says it is open.
OPPOSITES = (
    ({"open"}, {"closed", "shut"}),
    ({"allowed", "permitted"}, {"forbidden", "prohibited", "banned"}),
    ({"enabled"}, {"disabled"}),
    ({"included"}, {"excluded"}),
    ({"available"}, {"unavailable"}),
    ({"required", "mandatory", "compulsory"}, {"optional"}),
    ({"accepted"}, {"rejected", "declined"}),
    ({"active"}, {"inactive"}),
)


STATE_ASKED = re.compile(r"^\W*(?:and\s+)?(?:is|are|was|were)\b", re.I)  # "Is the surgery open ...?" asks a state
CLAUSE = re.compile(r"\n|[,;]\s|(?<=[.!?])\s+")  # where a clause of a line ends: "Mon-Fri 9-20, Sat 10-16, Sun closed"


def says_the_opposite(question: str, passage: Passage) -> bool:
    """Whether the passage's clause about what a yes/no question asks the state of says the opposite state and
    not the one asked: "Saturday closed" or "Closed on Saturday and Sunday." (under the surgery's name) for "Is
    the surgery open on Saturday?", "Smoking: forbidden" for "Is smoking allowed?" (`OPPOSITES`). The clause
    about it holds all of the question's rarest words, one of them its own: the passage's title, heading and
    heading line count for a clause where no clause says their words, as does its first clause where that says
    no state ("Riverside GP surgery", "[sshd]"). Only for a question asking a state ("Is/Are ... open?"; not
    "Can I open ...?") that does not negate; not a clause saying what is so by default ("# gzip is disabled by
    default" above "gzip on;"), nor a line of hours saying "closed" of another day ("Mon-Fri 9-20, Sat 10-16,
    Sun closed": its clauses are read apart), another thing ("The surgery is open daily. Saturday: the pharmacy
    counter is closed.") or a time ("closes at 18:00": whole words)."""
    main = main_question(question.split("\n")[-1])
    words = set(re.findall(r"[a-z]+", main.lower()))
    pairs = [(one, other) for a, b in OPPOSITES for one, other in ((a, b), (b, a)) if words & one]
    if not pairs or not STATE_ASKED.match(main) or NEGATION.search(main):
        return False
    state = terms(" ".join(word for one, _ in pairs for word in one))
    around = f"{passage.hit.title} {passage.hit.heading} {split_head(passage.text)[0]}"
    clauses = [clause for clause in CLAUSE.split(split_head(passage.text)[1]) if clause.strip()]
    stated = {word for one, other in pairs for word in one | other}
    if len(clauses) > 1 and not set(re.findall(r"[a-z]+", clauses[0].lower())) & stated:
        around += f" {clauses.pop(0)}"  # a first line naming what the rest is of: "Riverside GP surgery"
    own = [terms(clause, parts=True) for clause in clauses]
    everywhere = terms(around, parts=True) - set().union(*own)  # "surgery" of its title, not where a line says it
    bags = [bag | everywhere for bag in own]
    counts = {term: sum(term in bag for bag in bags) for term in terms(main) - state}
    present = [count for count in counts.values() if count]
    rarest = {term for term, count in counts.items() if present and count == min(present)}
    for clause, bag, its_own in zip(clauses, bags, own, strict=True):
        said = set(re.findall(r"[a-z]+", clause.lower()))
        if (
            rarest <= bag
            and rarest & its_own  # what it is of, said here: not "Sun closed" for "Saturday"
            and "default" not in said
            and any(said & other and not said & one for one, other in pairs)
        ):
            return True
    return False


# A number that names a thing in a question ("Debian 14", "room 14", "tar 1.35", "level 9"), with an optional
# "v" or "#": after a word that is not a small word ("the 3 steps", "after 5 days" count; "ls(1)", "10:30",
# "14th" and "IPv6" are not numbers standing alone).
ASKED_NUMBER = re.compile(r"[vV#]?(\d+(?:[.,]\d+)*)")
NAMING_WORD = re.compile(r"[A-Za-z][\w'-]*")
# Words before a count or a span rather than a name ("every 12 months", "top 5", "within 30 days").
COUNTING_WORDS = set(
    "every each per top first last next past previous after before since until within around under than least "
    "most only just all some any another nearly almost roughly approximately exactly up down".split()
)


def unheld_numbers(question: str, found: Sequence[Passage]) -> set[str]:
    """The numbers the question names a thing by, when none of them is in the passages, their headings or
    their documents' titles (else, and where it names none, an empty set): lines about Debian 13, room 12 or
    level 6 do not answer a question about Debian 14, room 14 or level 9, however close their words. Thousands
    separators do not count ("48000" is "48,000"); a version's leading part is held ("Python 3" in "Python
    3.12"), a "v" before it too ("v1.35"). A follow-up's earlier turn is read with it (answer.search_question
    keeps its numbers only where the last turn names nothing of its own)."""
    tokens = [token.strip(EDGES) for token in question.split()]
    asked = {
        match.group(1).replace(",", "")
        for before, token in zip(["", *tokens], tokens, strict=False)
        if (match := ASKED_NUMBER.fullmatch(token))
        and NAMING_WORD.fullmatch(before)
        and before.lower() not in STOPWORDS | COUNTING_WORDS
    }
    where = " ".join(f"{p.hit.title} {p.hit.heading} {p.text}" for p in found).replace(",", "")
    if any(re.search(rf"(?<![\d.])(?<![A-Za-z]{{2}}){re.escape(number)}(?!\d)", where) for number in asked):
        return set()
    return asked


# Words of one closed set, each naming something its fellows do not: notes about the east wing, Monday, winter or
# 2025 say nothing of the west wing, Thursday, summer or 2024. Not "may", mostly the verb (as facts.CALENDAR).
FELLOWS = (
    tuple(WEEKDAYS),
    tuple(month for month in MONTHS[:12] if month != "may"),
    ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"),
    ("morning", "afternoon", "evening", "night"),
    ("summer", "autumn", "winter"),  # not "fall", mostly the verb, nor "spring", a thing's name too ("Spring Boot")
    ("upper", "lower"),
    ("inbound", "outbound"),
)
SHORTENED = FELLOWS[:2]  # a weekday or a month is written by its first letters too ("Thu", "Sept")
SHORTENED_AT_LEAST = 3
# A year, not a price or a count in the same digits ("1650 NOK", "2000 EUR", "1999 %")
YEAR_SAID = re.compile(r"\b(?:19|20)\d\d\b(?![.,]?\d)(?!\s*(?i:nok|eur|usd|gbp|sek|dkk|chf|kr\b|€|\$|%))")
RANGE = re.compile(r"([^\W\d_]+)\.?\s*(?:-|–|to|until|till|through|thru)\s*([^\W\d_]+)", re.I)
YEAR_RANGE = re.compile(r"\b(?:19|20)\d\d\s*[-–/]\s*(?:(?:19|20)?\d\d)\b")


# The two ends of a span of time, each in the forms notes write it: a question asking when one end is (a date's
# question: "When does the AGM end?", "What is the deadline?", "When does the shop close?") is not answered by
# a passage that gives only the other ("starting at 19:00", "from 19:30", "The kickoff ... was on 6 May"). Whole
# words, so "closed" (a state: "Sunday: closed") is neither; "until" and "till" end a span, and "by" before a date
# ("Submit by 15 April") gives a deadline.
SPAN_ENDS = (
    frozenset(
        "start starts starting started begin begins beginning began commence commences kickoff from "
        "open opens opening opened".split()
    ),
    frozenset(
        "end ends ending ended finish finishes finishing finished until till deadline due close closes closing".split()
    ),
)
# The two ends of a stay or a journey, apart from a span's: "When do the Castellanos leave?" is not answered by
# their arrival. Departures as notes write them: "leaves", "departs", "sails", "check-out".
VISIT_ENDS = (
    frozenset("arrive arrives arriving arrived arrival arrivals checkin".split()),
    frozenset(
        "leave leaves leaving depart departs departing departed departure departures sail sails sailing "
        "checkout".split()
    ),
)
BY_DATE = re.compile(
    rf"\bby\s+(?:the\s+)?(?:\d|{MONTH}|(?:{'|'.join(WEEKDAYS)})\b)", re.I
)  # "by 15 April", "by Friday"
# A span written whole, giving both ends: times apart by a dash, "to", "until" or "till" ("9:00-18:00", "10 am to
# 4 pm"), a date or time before "until", "till" or "through" ("3 March till 30 June", "19:00 until 21:00"), days
# apart by a dash ("1-15 July"); not an ISO date's dashes, nor "from 3 March to 17 March" (a move, as often).
TIME_POINT = r"(?:\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\b\.?)?|\d{1,2}\s*[ap]\.?m\b\.?)"  # "9:00", "18.30", "4 pm"
SPAN_SAID = re.compile(
    rf"{TIME_POINT}\s*(?:-|–|to|until|till)\s*{TIME_POINT}|\d[^\n.;]{{0,12}}?\s+(?:until|till|through|thru)\s+\d"
    r"|(?<![\d-])\d{1,2}\s*[-–]\s*\d{1,2}(?![\d-])",
    re.I,
)


def other_end(question: str, found: Sequence[Passage]) -> str | None:
    """A word of a date's question naming one end of a span (`SPAN_ENDS`: "end", "deadline", "close") that no
    passage, heading or title holds in any of its forms, where the best passage holds the other end's, and no
    passage writes a span whole (`SPAN_SAID`): "When does the AGM end?" read in "The AGM moved to 17 March 2025,
    starting at 19:00." (None where the question asks for no date or names no end.) The notes give a neighbour
    of what was asked."""
    if not found or asked_kind(question) != "date":
        return None
    asked = _words(question)
    wheres = [f"{p.hit.title} {p.hit.heading} {p.text}" for p in found]
    if any(SPAN_SAID.search(where) for where in wheres):
        return None
    first = _words(wheres[0])
    # where an end's word may be said of what is asked: a heading or title, or a paragraph, line or list item
    # sharing a word with the question ("- Car MOT due by 31 Mar." says nothing of the book club's end; "It
    # finishes at 21:00." after "The meeting starts at 19:00." does)
    subject = terms(question)
    said = [_words(f"{p.hit.title} {p.hit.heading}") for p in found] + [
        _words(block) for p in found for block in _blocks(p.text) if terms(block) & subject
    ]
    due = bool(asked & {"deadline", "due"}) and any(BY_DATE.search(where) for where in wheres)  # "Submit by 15 April"
    for pair in (SPAN_ENDS, VISIT_ENDS):
        for end, other in (pair, pair[::-1]):
            named_ = asked & end
            held = any(end & words for words in said) or due
            if named_ and not asked & other and not held and other & first:
                return sorted(named_)[0]
    return None


def _words(text: str) -> set[str]:
    """A text's words of letters, lower case, a hyphen's parts joined ("north-east": "northeast")."""
    return set(re.findall(r"[a-z]+", text.lower().replace("-", "")))


def _calendar_names(spans: Spans) -> set[str]:
    """The names of the months a text's dates (its `calendar_spans`) fall in, and of the weekdays its days are
    ("2026-11-15": "november", "sunday"; "June 2027": "june")."""
    found = set()
    for first, last in spans:
        if (first.year, first.month) == (last.year, last.month):
            found.add(MONTHS[first.month - 1])
        if first == last:
            found.add(first.strftime("%A").lower())
    return found


def _members(text: str, fellows: tuple[str, ...]) -> set[str]:
    """The members of a set a text names: a word that is one or begins with one ("mornings", "eastern",
    "north-east"), or, of a weekday or a month, its first letters ("Thu", "Sept"), or the month or weekday of
    one of its dates (`_calendar_names`)."""
    found = {name for name in _calendar_names(calendar_spans(text)) if name in fellows}  # "2026-11-15": November
    for word in re.findall(r"[a-z]+", text.lower().replace("-", "")):
        for member in fellows:
            shortened = fellows in SHORTENED and len(word) >= SHORTENED_AT_LEAST and member.startswith(word)
            if word.startswith(member) or shortened:
                found.add(member)
    return found


def another_of_its_set(question: str, found: Sequence[Passage]) -> str | None:
    """A word of the question from a closed set (`FELLOWS`: a weekday, a month, a point of the compass, a time of
    day, a season; or a year) that no passage, heading or title holds in any form (`_members`), where the best passage
    holds another of its set and no range of them ("Monday to Friday", "Mon-Fri", "2020-2023"): "Who is the
    first-aid officer for the west wing?" read in "The first-aid officer for the east wing is ...", "Which doctor
    is in on Thursday?" in "Day: Monday; Doctor: ...", "the budget in 2024" in "... for 2025." (None where there
    is no such word.) The notes are about a neighbour of what was asked."""
    if not found:
        return None
    texts = [f"{p.hit.title} {p.hit.heading} {p.text}" for p in found]
    words = _words(question)
    for fellows in FELLOWS:
        named_ = words & set(fellows)
        if not named_ or any(named_ & _members(text, fellows) for text in texts):
            continue
        ranged = any(
            _members(match.group(1), fellows) and _members(match.group(2), fellows)
            for match in RANGE.finditer(texts[0])
        )
        if not ranged and _members(texts[0], fellows) - named_:
            return sorted(named_)[0]
    years = set(YEAR_SAID.findall(question))
    if (
        years
        and not any(year in text for year in years for text in texts)
        and YEAR_SAID.search(texts[0])
        and not YEAR_RANGE.search(texts[0])
    ):
        return sorted(years)[0]
    return None


def unheld_thing(question: str, passage: Passage) -> str | None:
    """The word of the thing a question asks the value of (`facts.thing_head`) where a record passage (its lines
    all fields) holds it in no key and no value, nor its heading or title, in any form (a stem, a compound's
    part, a kin: "insurer" for "insurance"): a country's record has no population, president or GDP. None where
    the passage is no record or holds it."""
    fields_ = [line.strip() for line in split_head(passage.text)[1].split("\n") if line.strip()]
    if not _record_lines(fields_) and not all(TABLE_ROW.fullmatch(line) for line in fields_):
        return None
    bag = _bag(f"{passage.hit.title} {passage.hit.heading} {KEY_JOINT.sub(' ', passage.text)}")
    word = thing_head(question)
    said = terms(word or "", parts=True)
    if not said or said & bag or _kin(bag, said) or any(_spelled_out(key, question) for key in bag):
        return None
    return word


# "Which vim setting ...?", "What tmux key combination ...?": the program (or tool) whose option is asked for,
# a word right before a word for one of its settings; "command-line", "configuration" and "default" qualify a
# setting, naming no program.
PROGRAM_ASKED = re.compile(
    r"^\W*(?:and\s+)?(?:which|what)\s+([\w.+-]+)\s+(?:options?|flags?|settings?|switch(?:es)?|directives?"
    r"|sub-?commands?|commands?|key\s+(?:combinations?|bindings?|shortcuts?)|shortcuts?|parameters?)\b",
    re.I,
)
NO_PROGRAM = frozenset("command-line cli config configuration default global new other same first main".split())


def unnamed_program(question: str, passage: Passage) -> str | None:
    """The program whose option a question asks for ("Which tmux key combination detaches a session?"), where the
    passage's chunk, its heading, title and path never name it: an option of another program (screen's "^A d",
    zip's "--encrypt" asked of tar) answers no question about this one. None where the question names no
    program (`PROGRAM_ASKED`) or the chunk names it (aa-unconfined's entry, whose sentence of "--paranoid" does
    not)."""
    found = PROGRAM_ASKED.match(question)
    program = found.group(1).lower() if found else ""
    if not program or program in NO_PROGRAM | STOPWORDS:
        return None
    hit = passage.hit
    where = f"{hit.path} {hit.title} {hit.heading} {hit.text}".lower()
    return None if re.search(rf"(?<![\w-]){re.escape(program)}(?![\w])", where) else found.group(1)


WHO_DID = re.compile(r"^\W*(?:and\s+)?who\s+([\w-]+)", re.I)  # "Who founded Devuan?", "Who co-wrote it?": its verb
# Words after "who" that are no deed: adverbs and modals ("Who else came?", "Who must sign it?"), and verbs of where
# someone is, which a record says by a field, not a verb ("Who works in Finance?": "Department: Finance")
NOT_DEEDS = frozenset(
    "else actually really exactly also ever first last then all may might must need needs "
    "work works worked live lives lived sit sits stay stays stayed belong belongs".split()
)


def unstated_deed(question: str, passage: Passage) -> str | None:
    """The verb of a question asking who did something ("Who founded Purism?", "Who designed the logo?") where
    the passage, its heading and its title hold it in no form: no tense of it (`PAST_FORMS`: "paid" for
    "pays"), no noun of its doer (`agent_nouns`: "Founder:", "Maintainer:"). A passage that never says who did
    it does not answer who did it, however close its topic: the answer loop shows no quote of it where the
    model's answer fails the check (a grounded answer stands: "Sam from Heatwise" for "Who fixed the boiler?"
    where the notes say "repaired by Sam"). Not who wrote or authored a text (`AUTHOR_ASKED`): its authors are
    named in more ways than its words ("Greg Stein's patches", a co-author, the names under a title whose
    "Author:" the chunk before holds; three answerable tune questions were refused so). None where the
    question asks no such thing ("Who is ...?", "Who else came?"), the passage holds it, or the question names
    records by a field's value (`_named_by_a_field`: "Who sails from Oban?")."""
    match = WHO_DID.match(question.rsplit("\n", 1)[-1])
    verb = match.group(1).lower().rsplit("-", 1)[-1] if match else ""  # "co-wrote" is "wrote"
    if not verb or verb in STOPWORDS or verb in NOT_DEEDS or AUTHOR_ASKED.search(question):
        return None
    if _named_by_a_field(question, passage):
        return None  # "Who sails from Oban?" of a crew sheet's rows whose "Home port" is Oban
    base = PAST_FORMS.get(verb, verb)
    forms = {base} | {past for past, of in PAST_FORMS.items() if _stem(of) == _stem(base)}  # "pays": "paid"
    said = terms(" ".join(forms)) | agent_nouns(question)
    return None if said & _bag(f"{passage.hit.title}\n{passage.hit.heading}\n{passage.text}") else verb


# What a question places its subject by: a preposition's phrase ("from Oban", "on the Kestrel", "in Finance")
PLACED = re.compile(rf"\b(?:{'|'.join(sorted(LEAD_WORDS))})\s+((?:the\s+)?[\w'-]+(?:\s+[\w'-]+)?)", re.I)


def _named_by_a_field(question: str, passage: Passage) -> bool:
    """Whether the passage is a record, or records alike (`records_alike`), each holding a field other than its
    first (what names the record) whose whole value the question places its subject by (`PLACED`): "Home port:
    Oban" for "Who sails from Oban?". Such a question asks who by where or with what the record puts them, in no
    verb of its own; not "Who sank the Kestrel?", a deed of a record's "Boat: Kestrel"."""
    placed = terms(" ".join(m.group(1) for m in PLACED.finditer(question)))  # "from Oban", "on the Kestrel"
    for block in records_alike(passage) or [passage.text]:
        record = _record_of(replace(passage, text=block))
        if record is None or not any(terms(v) and terms(v) <= placed for v in list(record.values())[1:]):
            return False
    return True


def unstated_field(question: str, passage: Passage) -> bool:
    """Whether the passage is a whole record that lacks the field the question asks for, which the records
    beside it in its chunk (of the same table: their first key is its) hold, with a value of the kind asked
    (`asked_kind`; a date for "when"): "When will Debian 14 be released?" on Forky's row, which has a "created"
    date and no "release" where its neighbours have one. Not where a key of its own fits the question at all
    (`_key_fit`; not one whose value names the record, "version: 14" for "Debian 14"), nor where the neighbours'
    key fits only words that name the record ("A Series of Unfortunate Events" is no "series" asked), nor where
    the question asks for no kind of fact ("Which Debian release is Forky?" asks for the version)."""
    kind = asked_kind(question)
    fields = [line.strip() for line in split_head(passage.text)[1].split("\n") if line.strip()]
    if kind in (None, "yes/no") or not _record_lines(fields):
        return False
    records = [
        lines
        for paragraph in PARAGRAPH_BREAK.split(passage.hit.text)
        if (lines := [line.strip() for line in paragraph.split("\n") if line.strip()]) and _record_lines(lines)
    ]
    if fields not in records:
        return False  # a window of a longer record: its other fields may say it
    pairs = [(key.strip(), value) for key, value in (field.split(":", 1) for field in fields)]
    naming = {term for _, value in pairs for term in terms(value)} & terms(question)
    own = {key for key, _ in pairs}
    beside: dict[str, list[str]] = {}  # the neighbours' keys the record lacks, with each neighbour's value
    for lines in records:
        if lines[0].split(":", 1)[0] == fields[0].split(":", 1)[0]:
            for key, value in (line.split(":", 1) for line in lines):
                if key.strip() not in own:
                    beside.setdefault(key.strip(), []).append(value)
    wanted = terms(question) | unsaid_terms(question, {key.lower() for key in own | set(beside)})
    asked = terms(" ".join(m.group(1) for m in ASKED.finditer(question)))
    telling = [key for key, value in pairs if not terms(value) & naming]
    if any(_key_fit(key, question, wanted, asked) > 0 for key in telling):
        return False
    return any(
        _key_fit(key, question, wanted - naming, asked - naming) > 0
        and any(states(kind, value, question) for value in values)
        for key, values in beside.items()
    )


NAME_JOINERS = frozenset("of and the de la del von van".split())  # small words inside a name ("Years of Solitude")


def name_runs(question: str) -> list[list[str]]:
    """The names of two words or more in a question: runs of its capitalised words inside a sentence
    (`facts.names`), with the small words that join them ("One Hundred Years of Solitude", "Night Watch")."""
    found = {POSSESSIVE.sub("", name) for name in names(question)}
    tokens = [POSSESSIVE.sub("", token.strip(EDGES)) for token in question.split()]
    runs: list[list[str]] = []
    run: list[str] = []
    for i, token in enumerate(tokens):
        joins = token.lower() in NAME_JOINERS and run and i + 1 < len(tokens) and tokens[i + 1] in found
        if token in found or joins:
            run.append(token)
            continue
        runs.append(run)
        run = []
    runs.append(run)
    return [run for run in runs if len(run) > 1]


NAME_WORDS_AT_MOST = 4  # words of a name typed in lower case that are looked for ("hong kong dollar")


def written_name_runs(question: str, texts: Sequence[str]) -> list[list[str]]:
    """The runs of two to NAME_WORDS_AT_MOST words of a question typed in lower case that a text writes as a
    name, each word capitalised ("until when is trusty tahr covered?" of a sheet's "codename: Trusty Tahr"), as
    the text writes them, longest first; a run's words are neighbours in the question, no stopwords, and one of
    them at least the texts write capitalised only, not by its position (`written_as_names`: not a key's "Car
    Insurance:", nor "meeting" that they also write small). `name_runs` reads the capitals a question has; this,
    those it lacks."""
    tokens = [token.strip(EDGES) for token in question.split()]
    capitalised = {word.lower() for text in texts for word in re.findall(r"(?<!\w)[A-Z][\w'’-]*", text)}
    words = [t if t.islower() and t not in STOPWORDS and t in capitalised else "" for t in tokens]
    named = written_as_names({word for word in words if word}, list(texts))
    spans = [
        (start, end)
        for start in range(len(words))
        for end in range(start + 2, min(len(words), start + NAME_WORDS_AT_MOST) + 1)
        if all(words[start:end]) and named & set(words[start:end])
    ]
    found: list[list[str]] = []
    taken: set[int] = set()
    for start, end in sorted(spans, key=lambda span: span[0] - span[1]):
        if taken & set(range(start, end)):
            continue
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words[start:end])) + r"(?!\w)", re.I)
        written = (m.group().split() for text in texts for m in pattern.finditer(text))
        run = next((run for run in written if all(word[:1].isupper() for word in run)), None)
        if run:
            found.append(run)
            taken |= set(range(start, end))
    return found


def capitalised_throughout(question: str) -> bool:
    """Whether a question is written in capitals or in title case (its words of TITLED_AT_LEAST letters or more
    all capitalised, and its words of three letters but those title case writes small, `TITLE_SMALL`, and those
    with a capital inside, "kWh"): its capitals name nothing. "Who won the 2018 FIFA World Cup?" is not: its
    "won" is written small."""
    return all(
        word[:1].isupper()
        for word in LETTERS.findall(question)
        if len(word) >= TITLED_AT_LEAST
        or (len(word) == 3 and word.lower() not in TITLE_SMALL and not any(c.isupper() for c in word[1:]))
    )


# A name in the possessive before what is asked of it: "Ellen's dentist", "Grandpa Wim's birthday", "Jonas' car"
OWNER = re.compile(r"\b((?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*)['’]s?\s+[a-z]")


def another_owner(question: str, passage: Passage) -> str | None:
    """The name a question asks something of, in the possessive ("When is ELLEN's dentist appointment?"), where
    the passage, its heading, its title and its path hold none of its words in any case: a line about my own
    dentist says nothing of hers. A weekday's or a month's name is no one ("Saturday's match"). None where there
    is no such name, or the passage holds it."""
    bag = _bag(f"{passage.hit.path} {passage.hit.title} {passage.hit.heading} {passage.text}")
    for match in OWNER.finditer(question.rsplit("\n", 1)[-1]):
        words = [w for w in match.group(1).split() if w.lower() not in STOPWORDS and w.lower() not in CALENDAR]
        if words and not any(w.lower() in bag or _stem(w.lower()) in bag for w in words):
            return match.group(1)
    return None


def shares_only_a_name_part(question: str, passage: Passage) -> bool:
    """Whether the only terms the passage shares with the question (`terms`, `unsaid_terms`; its heading and
    title count) are words of a name of two words or more (`name_runs`) that it neither holds whole nor writes
    with a capital: "Who wrote the novel One Hundred Years of Solitude?" read in "... one for each subsequent
    release", "Who painted The Night Watch?" in "--watch"; not "Who leads Project Heron?" in "Heron is led by
    ..." (a word written with a capital anywhere, a sentence's first too, counts as the name's). Its meaning may
    come close; the notes are not about it. A passage sharing no term at all is left to the threshold: a date,
    a number, an inflection or a language written otherwise shares none ("3 May" and "2025-05-03", "eat" and
    "ate"). A question in capitals or in title case names nothing by its capitals. On bench/answer_bench.py's
    tune split it is true of one off-topic question that passed the threshold and of no answerable one."""
    if capitalised_throughout(question):
        return False
    text = f"{passage.hit.title} {passage.hit.heading} {passage.text}"
    bag = _bag(text)
    written = spelt(passage.text, fields(passage.text))
    shared = (terms(question, asked=True) | unsaid_terms(question, written)) & bag
    left = set(shared)
    for run in name_runs(question):
        words = [word for word in run if word.lower() not in NAME_JOINERS | STOPWORDS]
        held = {word for word in words if word.lower() in bag or _stem(word.lower()) in bag}
        if held and len(held) < len(words):
            left -= {form for word in held if not _holds(text, word) for form in (word.lower(), _stem(word.lower()))}
    return bool(shared) and not left


def _shape_held(answer: str, question: str, text: str) -> bool:
    """Whether an answer to a question giving the length of what it asks for (`asked_shape`: "the two-letter
    code") states a value of that shape that the text holds ("DD", not the record's numeric code 278); true
    where the question gives none, or the text holds no value of that shape (a sort code written "20-00-00").
    A stopword is no value unless in capitals ("is" and "In" have two letters; "OR" is Oregon's code)."""
    shape = asked_shape(question)
    if shape is None:
        return True

    def shaped(value: str) -> bool:
        return has_shape(value, shape) and (value.isupper() or value.lower() not in STOPWORDS)

    given = {token.strip(EDGES) for token in question.split()}
    values = {token.strip(EDGES) for token in answer.split()} - given
    held = {value for token in text.split() if shaped(value := token.strip(EDGES))} - given
    return not held or any(shaped(value) and _holds(text, value) for value in values)


# Between a sentence's clauses: "Deposit €300 paid on 10 November; the rest (€780) is due by 1 June." (a bracket's
# words are of the clause they stand in: "the maximum (300 seconds) is set by ...", "large parcels (over 2 kg) cost")
CLAUSE_BREAK = re.compile(r";\s+")


def _in_the_asked_clause(stated: set[str], question: str, best: Passage) -> bool:
    """Whether each stated fact sits in the clause of its sentence that shares most of the question's words,
    among the clauses holding a fact of the kind asked and of its shape (`CLAUSE_BREAK`, `_shape`; a record's
    line or a table's row is no sentence): "The holiday deposit was €780." for "Deposit €300 paid on
    10 November 2026; the rest (€780) is due by 1 June 2027." does not; a fact whose clause shares as many
    words as another's does."""
    kind = asked_kind(question)
    if not stated or kind in (None, "yes/no"):
        return True
    wanted = terms(question) | unsaid_terms(question)
    for unit in units_of(best.text):
        if KEY.match(unit) or TABLE_ROW.fullmatch(unit.strip()):
            continue
        clauses = [c for c in CLAUSE_BREAK.split(unit) if c.strip() and states(kind, c, question)]
        for fact in stated:
            # the clauses holding a fact of its shape compete for it: "€300" and "€780", not "3 nights" and "€540"
            rivals = [c for c in clauses if any(_shape(held) == _shape(fact) for held in facts(c))]
            if len(rivals) < 2 or not any(_holds(c, fact) for c in rivals):
                continue
            shares = [len(terms(c, parts=True) & wanted) for c in rivals]
            if not any(_holds(c, fact) for c, share in zip(rivals, shares, strict=True) if share == max(shares)):
                return False  # a fact of another clause ("March" is in both "3 March" and "10 March")
    return True


def _holds(text: str, fact: str) -> bool:
    """Whether a fact stands in a text as a whole word or words: "KEN" is not in "Republic of Kenya", nor "12"
    in "1996-12-12" or "2.12" (digits joined to digits by a dot, dash, colon, slash or comma)."""
    before = r"(?<!\d[.,:/-])" if fact[:1].isdigit() else ""
    after = r"(?![.,:/-]\d)" if fact[-1:].isdigit() else ""
    return bool(fact) and re.search(rf"(?<!\w){before}{re.escape(fact)}(?!\w){after}", text) is not None


def _field_asked(key: str, value: str, question: str) -> bool:
    """Whether a record's field is what a question asks for by its key's words (its own, or for "who" the noun
    of its verb's doer: "Owner" for "Who owns the chainsaw?"), not one whose value the question gives."""
    words = key_terms(key)
    return (
        bool(value)
        and bool(words)
        and words <= terms(question) | agent_nouns(question)
        and not (terms(value) & terms(question))
    )


def _asked_values(question: str, best: Passage) -> list[str]:
    """The values (lower case) of the passage's fields that the question asks for (`_field_asked`)."""
    return [value.lower() for key, value in fields(best.text) if _field_asked(key, value, question)]


def _in_the_one_field_asked(stated: set[str], question: str, best: Passage) -> set[str]:
    """The stated names that the passage's one field the question asks for (`_field_asked`) holds: where a
    record has one Owner, its name answers "Who owns it?" whatever line names the thing ("Chainsaw" over its
    fields); where rows each have one, the row asked about tells (`_in_the_asked_sentence`)."""
    asked = _asked_values(question, best)
    return {name for name in stated if _holds(asked[0], name.lower())} if len(asked) == 1 else set()


def _names_in_the_field_asked(stated: set[str], question: str, best: Passage) -> bool:
    """Whether each name an answer gives sits in a field the question asks for (`_field_asked`), where the
    passage's records or table rows have one: "North shed" (the record's "Shed") does not say who owns the
    chainsaw, "The Orchard" (the table's caption) not who bought the Bramleys, where "Owner" and "Buyer" do."""
    asked = _asked_values(question, best)
    return not asked or all(any(_holds(value, name.lower()) for value in asked) for name in stated)


def _placed_as_asked(answer: str, question: str, best: Passage) -> bool:
    """Whether each place an answer to "where is it kept?" gives (`facts.PLACE`: "in the potting shed", which
    no fact check reads) sits in a unit of the passage holding the most of the question's words: the east
    greenhouse key's "under the blue pot", not the west one's "in the potting shed drawer" (both units say
    "greenhouse key is kept"). True where the question asks no place."""
    if not WHERE_PLACE.search(question):
        return True
    units = units_of(best.text)
    wanted = terms(question)
    most = max((len(terms(unit, parts=True) & wanted) for unit in units), default=0)
    asked = [unit.lower() for unit in units if len(terms(unit, parts=True) & wanted) == most]
    return all(any(_holds(unit, place.lower()) for unit in asked) for place in places(answer))


def _in_the_asked_sentence(stated: set[str], question: str, best: Passage) -> bool:
    """Whether each stated fact sits in a unit holding the question's rarest words (a record's fields hold those
    of the line naming it above them), or, among a table's rows, in the row a word of the question keys most
    (`_a_cell_given`). An option named by the
    passage's heading line governs every unit under it (`governing_options`); the words of a question asking
    for a default in other words ("when no signal is specified") do not tell the unit asked about (the notes say
    "The default signal for kill is TERM" and "specified" of something else); "default" does, where none of
    its other words do."""
    units = units_of(best.text)
    stated = stated - governing_options(best.text)
    lines = [line.strip() for line in split_head(best.text)[1].split("\n") if line.strip()]
    # a line naming the record its fields below are of ("Allotment, plot 14" over "Holder: Ines Ferreira")
    caption = lines[0] if len(lines) > 2 and not KEY.match(lines[0]) and _record_lines(lines[1:]) else ""
    if _record_lines(lines):
        # One record: its name is what its fields are of, and so are its first field ("version: 7" for "Which
        # release came out on 4 May 2013?") and its one value of the kind asked ("When was my last flu jab?": its
        # date; not one of a release's four dates, nor its number for "the currency code")
        kind = asked_kind(question)
        of_kind = [u for u in units if kind not in (None, "yes/no") and states(kind, u.split(":", 1)[-1], question)]
        alone = of_kind[0].lower() if len(of_kind) == 1 else ""
        first = units[0].lower() if units and asked_for(question) else ""  # "Which release ...?" asks for it
        names_free = kind != "name"  # "What language is 'tlh'?": its "name"; not "Who owns the flat?": its tenant
        named = [unit for unit in (alone, first) if unit]
        stated = {
            item
            for item in stated
            if (facts(item) or not names_free) and not any(_holds(unit, item.lower()) for unit in named)
        }
    if not stated or len(units) < 2:
        return True
    codes = set(written_codes(question).values())
    # a paragraph under a line of a few words holding the code ("TO" over "Manager: Priya Anand") is the code's
    headed = [block for block in re.split(r"\n\s*\n", best.text) if _holds_a_code(codes, _caption(block))]
    coded = [unit.lower() for unit in units if _holds_a_code(codes, unit) or any(unit in block for block in headed)]
    if coded and len(coded) < len(units):  # "TO" of "Who manages the TO office?" names its line, as written
        return all(any(_holds(unit, fact.lower()) for unit in coded) for fact in stated)
    given = words_given(question)
    keys = [_a_cell_given(given, unit) for unit in units]
    keyed = [unit.lower() for unit, key in zip(units, keys, strict=True) if key and key == max(keys)]
    if keyed:  # a table's rows: the one a word of the question names whole ("vrrp\t112\tVRRP"), not its neighbour's
        return all(any(_holds(unit, fact.lower()) for unit in keyed) for fact in stated)
    bags = [
        terms(f"{caption}\n{unit}", parts=True) for unit in units
    ]  # a key's words: "official_name" holds "official"
    # A table's rows hold the value asked, not the field's name: a row saying "port" is another row's
    told = terms(DEFAULT_ASKED.sub(" ", question)) - (asked_for(question) if all(map(_cells, units)) else set())
    counts = {term: sum(term in bag for bag in bags) for term in told}
    if not any(0 < count < len(units) for count in counts.values()):  # only "default" may tell them apart
        counts = {term: sum(term in bag for bag in bags) for term in unsaid_terms(question)}
    present = [count for count in counts.values() if 0 < count < len(units)]
    if not present:
        return True  # no word of the question tells one unit from another
    rarest = {term for term, count in counts.items() if count == min(present)}
    about = [unit.lower() for unit, bag in zip(units, bags, strict=True) if bag & rarest]
    return all(any(_holds(unit, fact.lower()) for unit in about) for fact in stated)


LETTER_WORD = re.compile(r"[^\W\d_]+")  # a word of letters alone, as written: "TO" of "TO: Tonga office"


CAPTION_WORDS = 3  # words at most of a paragraph's first line that names what the lines below it are of


def _caption(block: str) -> str:
    """A paragraph's first line where it is a caption of a few words (CAPTION_WORDS: "TO", "Tonga office") over
    more lines; else ""."""
    first, _, rest = block.strip().partition("\n")
    return first if rest.strip() and len(first.split()) <= CAPTION_WORDS else ""


def _holds_a_code(codes: set[str], text: str) -> bool:
    """Whether a text writes one of a question's codes that are small words (`written_codes`: "TO", "NO") as the
    question does, a word of its own: "TO: Tonga office", not "to" nor "TOTAL"."""
    return bool(codes & set(LETTER_WORD.findall(text)))


KEY_JOINT = re.compile(r"[._-]")  # between a key's words ("withdrawal_date", "eol-lts", "3166-1.name")
FIELD = re.compile(rf"\s*({KEY_WORDS}):\s+(.+)")  # a record's field: its key and its value ("release: 2020-04-23")


def fields(text: str) -> list[tuple[str, str]]:
    """A passage's record fields, (key, value): each "key: value" line, and each field of a row written on one
    line ("version: 20.04 LTS; codename: Focal Fossa; release: 2020-04-23", `TABLE_ROW`)."""
    found = []
    for line in text.split("\n"):
        for part in line.split("; ") if TABLE_ROW.fullmatch(line.strip()) else [line]:
            if match := FIELD.fullmatch(part):
                found.append((match.group(1), match.group(2)))
    return found


def _in_an_asked_field(stated: set[str], question: str, best: Passage) -> bool:
    """Where the question names a field of the passage's records by all the words of its key ("the release
    date of Focal Fossa": "release"; "the start date": "Start date", not "End date"), each stated fact that is in
    a field's value is in a field so named, where such a field holds a fact of its shape (with digits or
    without): "created: 2019-10-17" does not say when it was released, though it is a date of the same row;
    "Who inspected the depot?" does not name "Inspection date", and no date says who. A field whose value the
    question holds ("Zone: 2" of "the ticket for zone 2") says which record is asked about, not what is asked."""
    found = fields(best.text)
    asked = terms(question) | unsaid_terms(question, spelt(best.text, found))
    keyed = [(key_terms(key), value.lower()) for key, value in found if not terms(value) & asked]
    keyed = [(key, value) for key, value in keyed if key and key <= asked]
    most = max((len(key) for key, _ in keyed), default=0)
    named = [value for key, value in keyed if len(key) == most]
    shapes = {_shape(fact) for fact in facts(" ; ".join(named))}
    values = [value.lower() for _, value in found]
    for fact in stated:
        fact = fact.lower()
        elsewhere = any(_holds(value, fact) for value in values) and not any(_holds(value, fact) for value in named)
        if elsewhere and _shape(fact) in shapes:
            return False
    return True


def _says_the_field_asked(answer: str, question: str, best: Passage) -> bool:
    """Where the question asks for a key of two words or more of the passage's records, saying it whole right
    after its question word (`ASKED`: "What's the official name of ...?", "What is the storage location of
    ...?"; not "How much does the meeting room cost?", whose "meeting room" names the record), and its value is
    words without a digit that the question does not give, whether the answer holds one of those words: "The
    official name of Sri Lanka is LK." states the record's code, which no fact check catches (a code, not a
    name), not its "official_name: Democratic Socialist Republic of Sri Lanka". A value with digits (a date, an
    amount) may be written otherwise; true where there is no such field."""
    said = terms(question)
    asked = terms(" ".join(match.group(1) for match in ASKED.finditer(question)))
    values = [
        terms(value) - said
        for key, value in fields(best.text)
        if len(words := key_terms(key)) >= 2 and words <= asked and not any(c.isdigit() for c in value)
    ]
    values = [value for value in values if value]
    return not values or any(value & terms(answer) for value in values)


def _given_elsewhere(given: set[str], field_words: set[str], found: list[tuple[str, str]]) -> bool:
    """Whether a fact the question gives ("released on 2005-06-06") sits in the passage's records only in fields
    the question does not name by `field_words` (its terms less what it asks for, `asked_for`), where a field
    it names holds a fact of that shape: Etch's "created: 2005-06-06" beside its "release: 2007-04-08" is not
    the release asked about; Sarge's "release: 2005-06-06" is. `found`: the passage's `fields`."""
    if not given:
        return False
    named = [value.lower() for key, value in found if (words := key_terms(key)) and words <= field_words]
    shapes = {_shape(fact) for fact in facts(" ; ".join(named))}
    values = [value.lower() for _, value in found]
    return any(
        _shape(fact) in shapes and any(_holds(v, fact) for v in values) and not any(_holds(v, fact) for v in named)
        for fact in given
    )


def given_facts(question: str) -> set[str]:
    """The facts a question gives (`facts.facts`), lower case, a date written out as its ISO 8601 form: "25
    April 2024" is "2024-04-25", as a record writes it, not "25", "april" and "2024"."""
    dates = iso_dates(question)
    parts = {word for date in dates for word in _date_words(date)}
    return {fact.lower() for fact in facts(question) if _stem(fact.lower()) not in parts} | dates


def _names_a_field(given: set[str], field_words: set[str], found: list[tuple[str, str]]) -> bool:
    """Whether the passage's records hold each fact the question gives (`given_facts`) as a field's value (whole
    words, `_holds`) beside a field the question names by `field_words` whose value is of another shape
    (`_shape`): "codename: Bookworm" by "version: 12", asked "What is the codename of Debian 12?". Such a record
    is the one the question names, holding what it asks; not Etch's "release: 2007-04-08" by
    "created: 2005-06-06", asked "Which version was released on 2005-06-06?" (`_given_elsewhere`). MiniLM's
    cosine tells the rows of one table apart by their words' other meanings ("Bookworm" scores 0.46, "Wheezy"
    0.67), not by which row the question names. `found`: the passage's `fields`."""
    keyed = [(key_terms(key), value.lower()) for key, value in found]
    shapes = {_shape(fact) for fact in given}
    return (
        bool(given)
        and all(any(_holds(value, fact) for _, value in keyed) for fact in given)
        and any(key and key <= field_words and _shape(value) not in shapes for key, value in keyed)
    )


def _holds_value(found: list[tuple[str, str]], value: str) -> bool:
    """Whether one of a passage's record fields (`fields`) has this whole value, as written."""
    return any(said.strip() == value for _, said in found)


def _a_value_given(
    words: set[str],
    few: set[str],
    field_words: set[str],
    found: list[tuple[str, str]],
    titled: set[str],
    cased: dict[str, str],
) -> int:
    """1 where a field of the passage's records is, whole, a word the question says (`words`, lower case, not
    what it asks for, held by one document alone), 2 where the question names that field too (all its key's words
    in `field_words`) and few passages hold the value (`few`, another document's among them), or names the
    record's document by its title and says the value right after it (`titled`: those words, else none): the
    record the question names by a value, "alpha_4: Sind" for "Which script has the ISO 15924 code
    Sind?", "numeric: 930" for "Which currency uses the numeric code 930?", over the rows whose other fields share
    the question's words ("name: Code for uncoded script", "name: The codes assigned for transactions where no
    currency is involved"), which MiniLM finds closer; "numeric: 128" for "Which former country had the numeric
    code 128?" over the Unicode HOWTO's "code point is >= 128"; "version: 15" of the sheet "debian" for "What
    codename has been assigned to Debian 15?" over a guide's listing, numbered "15"; a code that is a small word as
    the question writes it (`cased`: "alpha_2: NO", not "enabled: no"). `found`: its `fields`."""
    found = [(key, value) for key, value in found if value.strip() == cased.get(value.strip().lower(), value.strip())]
    named = [
        key
        for key, value in found
        if (said := value.strip().lower()) in titled
        or (said in few and (key_words := key_terms(key)) and key_words <= field_words)
    ]
    given = [key for key, value in found if value.strip().lower() in words]
    return 2 if named else 1 if given else 0


def words_given(question: str) -> set[str]:
    """The question's words, lower case, but its small words (not a code that is one, `given_stopwords`), what it
    asks for (`asked_for`) and the names of weekdays and months (a timetable's every row has one): the values a
    record or a table's row it names may hold whole ("930", "tcp", "no")."""
    said = {word.strip(".-").lower() for word in WORD.findall(question)}
    return (said - STOPWORDS - asked_for(question) - CALENDAR) | given_stopwords(question)


def _cells(line: str) -> list[str]:
    """A table row's cells, lower case: a line's cells split by tabs (`TAB_ROW`) or a pipe table's row ("| a | b
    |"); none for any other line (aligned columns are not told from justified prose's double spaces)."""
    line = line.strip()
    if TAB_ROW.search(line):
        return [cell.lower() for cell in re.split(r"\t+", line)]
    if line.startswith("|"):
        return [cell.strip().lower() for cell in line.strip("|").split("|")]
    return []


def _a_cell_given(words: set[str], text: str) -> int:
    """2 where a row of the passage's tables (`_cells`) begins with a cell that is, whole, one of the words (lower
    case): the row keyed by it ("tcp\t6\tTCP" for "What protocol number does TCP have?", not services.txt's
    "179/tcp"); 1 where another of its cells is ("Which protocol has the number 132?"). A row holding no fact
    (`facts.facts`: a number, a date, a weekday) is a header's names ("| Action | Owner | Due |"), keyed by
    none."""
    given = 0
    for line in text.splitlines():
        row = _cells(line)
        if words.intersection(row) and facts(line):
            given = max(given, 1 + (row[0] in words))
    return given


def key_terms(key: str) -> set[str]:
    """A field key's words, stemmed, without its numbers: "3166-1.alpha_2" -> {"alpha"}, "Start date" ->
    {"start", "date"}."""
    return {term for term in terms(KEY_JOINT.sub(" ", key)) if not term.isdigit()}


DATE_OR_TIME = re.compile(r"\d{1,4}[-/]\d{1,2}(?:[-/]\d{1,4})?|\d{1,2}:\d\d")  # "12/06/2005", "2005-06", "09:10"
NUMERIC = re.compile(r"[\d.,:/ -]*\d[\d.,:/ -]*")  # a number written with digits and separators: "11", "20.04"


def _shape(fact: str) -> str:
    """A fact's shape, which a field's other facts must share to stand for it: a date (a record's "2005-06-06"),
    another number ("11", a version's "20.04"), or words, a code among them ("B17", "JPY"). A version is not the
    date beside it, nor a flight's number its gate."""
    if iso_dates(fact) or DATE_OR_TIME.fullmatch(fact.strip()):
        return "date"
    return "number" if NUMERIC.fullmatch(fact.strip()) else "words"


def _role(words: list[str], at: int, leads: Collection[str] = ()) -> str | None:
    """The preposition that governs the word at `at` (`OPPOSITE_ROLES`): right before the name it is part of,
    or before one word, or an article and one word ("by nurse Perpetua Lind": "by"; "to the nurse Perpetua
    Lind": "to"); none across a clause's end, after another word ("to ask nurse Lind", "start at 02:00") or
    where "to" may be a verb's ("to ask Lind"; not where the word is one of `leads`, those the notes write
    before the name: "to nurse Lind" where they say "by nurse Lind"). Else "subject" where it opens its clause
    (`_opens`)."""
    before = words[:at]
    ends = [i for i, word in enumerate(before) if word.rstrip(CLOSING).endswith(CLAUSE_END)]
    clause = before[ends[-1] + 1 :] if ends else before  # the clause the word is in
    before, name = clause, 0
    while before and name < NAME_WORDS and before[-1].strip(EDGES)[:1].isupper():
        if before[-1].strip(EDGES).lower() in OPPOSITE_ROLES:
            break  # "To Alice.": a preposition opening the sentence, not a name's first word
        before, name = before[:-1], name + 1  # the name's words before this one ("Perpetua" of "Perpetua Lind")
    near = [word.strip(EDGES).lower() for word in before[-3:]]
    for size in (1, 2, 3):
        if len(near) < size or near[-size] not in OPPOSITE_ROLES:
            continue
        between = near[len(near) - size + 1 :]
        if size == 3 and between[0] not in ARTICLES:
            return None
        if size == 2 and near[-size] == "to" and between[0] not in ARTICLES and between[0] not in leads:
            return None  # "to ask Lind": an infinitive's verb, not a name's role
        return near[-size]
    return "subject" if _opens(words, at, clause) else None


def _opens(words: list[str], at: int, clause: list[str]) -> bool:
    """Whether the name at `at` is who does what its clause says: it opens the clause (its first word, or after
    "the" and a word: "The nurse Perpetua Lind gives ..."; not "Pay Ines", "Dear Maren") and a verb follows,
    not one of being or getting ("Ines sold ...", not "Alice." nor "Ines was given the keys")."""
    if not words[at].strip(EDGES)[:1].isupper():
        return False
    lead = [word.strip(EDGES).lower() for word in clause]
    if lead and not (lead[0] in ARTICLES and len(lead) <= 2 and all(word.islower() for word in clause[1:])):
        return False
    after = at + 1
    while after < len(words) and words[after - 1][-1:] not in CLAUSE_END and words[after].strip(EDGES)[:1].isupper():
        after += 1  # the rest of the name ("Vandermeer" of "Ines Vandermeer")
    if after >= len(words) or words[after - 1].rstrip(CLOSING).endswith(CLAUSE_END):
        return False
    verb = words[after].strip(EDGES).lower()
    return verb.isalpha() and verb not in PASSIVE


def _roles(units: list[str], fact: str, leads: Collection[str] = ()) -> list[str]:
    """The roles (`_role`) of the mentions of `fact` in the units (sentences, record lines: wrapped lines joined)
    that give it one; none from a unit that negates ("No visitors before 14:00" is "visitors after 14:00")."""
    found: list[str] = []
    for unit in units:
        if NEGATION.search(unit) is None:
            words = unit.split()
            found += [
                role for i, word in enumerate(words) if word.strip(EDGES) == fact and (role := _role(words, i, leads))
            ]
    return found


def _lead_words(units: list[str], fact: str) -> set[str]:
    """The words in lower case right before each mention of `fact` and the name it is part of, after a preposition
    of `OPPOSITE_ROLES` or an article: what the notes call the one named ("nurse" of "by nurse Perpetua Lind"; not
    "ask" of "Patients should ask Lind")."""
    found = set()
    for unit in units:
        words = [word.strip(EDGES) for word in unit.split()]
        for i, word in enumerate(words):
            if word == fact:
                j = i - 1
                while j >= 0 and words[j][:1].isupper():
                    j -= 1
                if j >= 1 and words[j].islower() and words[j - 1].lower() in OPPOSITE_ROLES.keys() | ARTICLES:
                    found.add(words[j])
    return found


def _roles_kept(answer: str, text: str, stated: set[str], subjects: bool = True) -> bool:
    """Whether each name or fact the answer states keeps the role the passage gives it: not "to nurse Lind"
    where every mention in the passage with a role is "by nurse Lind", not "Ines sold it" where she is only
    sold "to Ines". A mention without a role (a table's cell, a name inside a clause) says nothing either way,
    and a role may be another's in other words ("Lind gives them" is "given by Lind"). Verbs of converse
    meaning are not known: "awarded to Quist" told as "won by Quist" is not grounded (its quote, the notes'
    sentence, is shown instead). Without `subjects`, a name opening its clause has no role."""
    stated = {fact for fact in stated if fact in text}  # one the passage does not mention has no role there
    if not stated:
        return True
    said_units, held_units = sentences(" ".join(answer.split())), units_of(text)
    for fact in stated:
        held = [role for role in _roles(held_units, fact) if subjects or role != "subject"]
        leads = _lead_words(held_units, fact)
        said = {role for role in _roles(said_units, fact, leads) if subjects or role != "subject"}
        if held and any(all(role in OPPOSITE_ROLES[other] for other in held) for role in said):
            return False
    return True


def units_of(text: str) -> list[str]:
    """A passage's body as sentences and record lines: the units a fact and what it is about share."""
    body = _body(text)
    return [s for block in _blocks(HYPHENATED.sub("", body)) for s in sentences(block)] or [body]


def _phones_as_written(answer: str, text: str) -> str:
    """The answer with each phone number the text gives written as the text writes it ("555-0101" for the
    notes' "555 0101", "(01632) 960 471" for "01632 960471"): the same digits, however separated."""
    written = {
        digits: match.group()
        for match in KIND_PATTERNS["phone"].finditer(text)
        for digits in contacts("phone", match.group())  # a phone number's (not a run of years)
    }

    def as_written(match: re.Match[str]) -> str:
        return next(
            (written[digits] for digits in contacts("phone", match.group()) if digits in written), match.group()
        )

    return KIND_PATTERNS["phone"].sub(as_written, answer) if written else answer


def one_record(text: str) -> bool:
    """Whether a passage's body is the fields of one record (`_record_lines`: no key twice), so that what one
    field says is of what another names: "name: Ann Berg" and "phone: 555 0101" of a contact sheet's row."""
    return _record_lines([line.strip() for line in _body(text).split("\n") if line.strip()])


def _body(text: str) -> str:
    """A passage's body: below its heading line, unless that line is the first option of a table of them
    (`governing_options`)."""
    if _ungoverned_head(text) and "\n…\n" not in text:
        return text  # the first of a table's options, read with its description like the others
    return split_head(text)[1]


def governing_options(text: str) -> set[str]:
    """The options a passage's heading line names ("-c, --create" above its description), where no line of
    its body starts an option entry of its own (`_entry_starts`: a table of options has no one governing line;
    a description's line going on with "--force option as well" is no entry)."""
    head, body = split_head(text)
    if not head or _entry_starts([line.strip() for line in body.split("\n") if line.strip()]):
        return set()
    return {fact for fact in facts(head) if OPTION.match(fact)}


def _ungoverned_head(text: str) -> bool:
    """Whether a passage's heading line names an option that does not govern its body: one row of a table."""
    head = split_head(text)[0]
    return bool(OPTION.match(head.strip())) and not governing_options(text)


def split_head(text: str) -> tuple[str, str]:
    """(heading line, body) of a passage: the line that governs it (an option, a term), if it has one."""
    if "\n…\n" in text:
        head, _, body = text.partition("\n…\n")
        return head, body
    first, _, rest = text.partition("\n")
    if rest and OPTION.match(first.lstrip()):
        return first, rest
    return "", text


def _sentence_after(record: str, line: str) -> bool:
    """Whether a line after a record's is a sentence of its own, not the record's value going on: it opens with
    a capital, has three words or more and ends a sentence, and the record's line does not stop on a comma or a
    small word ("Address: 12 Harbour Road," then "Bergen 5003"; "Note: see the" then "Debian FAQ.")."""
    last = record.split()[-1].lower() if record.split() else ""
    return (
        line[:1].isupper()
        and len(line.split()) >= 3
        and SENTENCE_DONE.search(line) is not None
        and not record.endswith(",")
        and last not in STOPWORDS
    )


def _blocks(body: str) -> list[str]:
    """The body's lines joined where prose wraps, kept apart where each line is a record of its own
    (`key: value`, a table row, cells split by tabs, a list item), a heading in capitals or a bare link (a book's
    "→ https://...", which no sentence goes on from), and a sentence after a record ("Stove fuel: 2 canisters"
    then "Ferry leaves ..."; a value wrapped onto a line in lower case goes on); an option's names line starts a
    block that its description joins after a colon ("-z, --gzip: Filter the archive ...")."""
    blocks: list[str] = []
    names_line = link = record = False
    lines = body.split("\n")
    cards, entries = _card_rows(lines), _dated_entries(lines)
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        option = bool(OPTION.match(text)) and len(text) <= OPTION_NAMES and not SENTENCE_END.search(text)
        apart = link or bool(BARE_LINK.fullmatch(text)) or (record and _sentence_after(blocks[-1], text))
        apart = apart or i in cards or i in entries
        row = RECORD.match(line) is not None or TAB_ROW.search(text) is not None
        if blocks and not option and not apart and not row and not CAPITALS.fullmatch(text):
            blocks[-1] += (": " if names_line else " ") + text
        else:
            blocks.append(text)
        names_line, link, record = option, bool(BARE_LINK.fullmatch(text)), row
    return blocks


def _indent(line: str) -> int:
    """Characters of white space a line starts with."""
    return len(line) - len(line.lstrip())


# A card's row: a label and its value, two to six words with no clause's mark and no small word ("Caretaker
# Lorcan Whitby", "Bookings phone 01632 960 218", "Departs Oslo 07:40"; not "Contact our caretaker Lorcan"),
# opening with a capital and ending on a name or a number, as a page's boxed rows, a form or a card are read
CARD_WORDS = (2, 6)
CLAUSE_MARK = re.compile(r"[,;!?()]|[.:]$")  # in a word, or ending it ("07:40" and "v2.1" are one word)


def _card_row(line: str) -> bool:
    """Whether a line is a card's row (see `CARD_WORDS`; its words apart by any white space)."""
    words = line.split()
    return (
        CARD_WORDS[0] <= len(words) <= CARD_WORDS[1]
        and words[0][0].isupper()
        and (words[-1][0].isupper() or any(c.isdigit() for c in words[-1]))
        and not any(CLAUSE_MARK.search(word) or word.lower() in STOPWORDS for word in words)
    )


# A line that opens with a date: a log's or a diary's entry ("2026-03-28  oil change, ...", "3 Sept 2026: ...",
# "March 4, 2026 - ...", "04/03/2026 ...")
DATED_LINE = re.compile(
    rf"\s*(?:{BULLET_MARK}\s+)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?:\d{{4}}-\d{{2}}(?:-\d{{2}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}|{MONTH}\s+\d{{1,2}}\b"
    r"|\d{1,2}[./]\d{1,2}[./]\d{2,4})",
    re.I,
)


def _dated_entries(lines: list[str]) -> set[int]:
    """The lines (their indexes) that open with a date (`DATED_LINE`) next to another that does, blank lines
    aside: a log's or a diary's entries, each its own unit where no full stop ends them ("2024-04-11 oil change,
    61,200 km" then "2025-04-02 inspection ..." were read as one sentence, so the last oil change could not be
    quoted alone). A wrapped sentence's line that opens with a date, between two that do not, goes on."""
    dated = {i for i, line in enumerate(lines) if DATED_LINE.match(line)}
    filled = [i for i, line in enumerate(lines) if line.strip()]
    after = dict(itertools.pairwise(filled))
    return {i for i in dated if after.get(i) in dated} | {after[i] for i in dated if after.get(i) in dated}


def _card_rows(lines: list[str]) -> set[int]:
    """The lines (their indexes) that start a unit of their own as a card's row after another (`_card_row`), at
    no deeper indent (a term's description stays with it), where a blank line stands between them: the
    treasurer's name was taken for the caretaker's where a card's rows were read as one sentence. Rows with no
    blank line between stay one unit: an address's lines, a sentence a narrow column wraps, a booking's lines
    read so (a new user's try of rows together split addresses and glued a booking's rows to the wrong ones)."""
    runs: list[list[int]] = []  # rows one after another, blank lines aside
    previous = None
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if _card_row(line):
            if runs and runs[-1][-1] == previous:
                runs[-1].append(i)
            else:
                runs.append([i])
        previous = i
    return {
        i
        for run in runs
        for before, i in itertools.pairwise(run)
        if _indent(lines[i]) <= _indent(lines[before]) and i - before > 1
    }


# Where a question asks a second thing with a question word of its own: "Who collects the black bin, and on which
# day?", "Who serviced the boiler and when?"
# A pronoun referring to a subject named before ("where does he live?", "Who leads it?")
REFERS_TO = re.compile(r"\b(?:he|she|him|his|her|hers|it|its|they|them|their)\b", re.I)
SECOND_ASK = re.compile(  # not "... between the lease and what the landlord told me" (a clause, not a question)
    r",?\s+and\s+(?=(?:(?:on|in|at|for|from|to|by|until)\s+)?(?:who|what|when|where|which|how)\b"
    r"(?!\s+(?:the|a|an|this|that|these|those|my|your|his|her|our|their|its|i|you|he|she|we|they)\b))",
    re.I,
)


def quote(passage: Passage, question: str, answer: str = "") -> str:
    """`quote_one`, of each of a question's two asks (`SECOND_ASK`) where it has two: "Who collects the black
    bin, and on which day?" quoted the day's field alone. Their quotes joined: one where it holds the other, a
    record's fields once in the record's order, else in the passage's order, "…" between. Of each record of a
    passage of records alike (`_rows_alike`: "Who works in Finance?"), "…" between."""
    if blocks := records_alike(passage):
        return " … ".join(quote_one(replace(passage, text=block), question, answer) for block in blocks)
    whole = quote_one(passage, question, answer)
    asks = two_asks(question)
    if asks is None:
        return whole  # "Where and when is the AGM?": the first ask names nothing of its own
    first, second = SECOND_ASK.split(question, maxsplit=1)
    said = [quote_one(passage, ask, answer) for ask in asks]
    if said[1] in said[0] or said[0] in said[1]:
        return max(said, key=len)
    cut = [part.split("; ") for part in said]
    if all(KEY.match(field) for part in cut for field in part):  # fields of one record
        fields = list(dict.fromkeys([*cut[0], *cut[1]]))
        return "; ".join(sorted(fields, key=lambda field: (passage.text.find(field.split(":", 1)[0]), field)))
    # prose: the second sentence must say what its ask names, or, asking of a pronoun or of nothing ("and when?",
    # "where does he live?"), what the first names: not the car's service for "Who services the boiler and when?"
    # of a pronoun, one of the first ask's names will do ("Lark is run by ..." for "... Project Lark and who runs it?")
    refers = REFERS_TO.search(second) is not None or not terms(second) - QUESTION_WORDS
    subject = terms(second) - QUESTION_WORDS
    named = terms(" ".join(names(first)))
    if refers and not named:
        subject |= terms(first) - QUESTION_WORDS
    holds = terms(said[1], parts=True)
    if not subject <= holds or (refers and named and not named & holds):
        return said[0] if said[0] in whole or whole in said[0] else whole
    return " … ".join(sorted(said, key=lambda part: passage.text.find(part[:20])))


def quote_one(passage: Passage, question: str, answer: str = "") -> str:
    """The passage's own words that answer the question: its heading line (an option, a term) and its sentence
    that shares most of the question's words, those right after its question word (a yes/no question's verb)
    counting more than twice, and a sentence stating the kind of fact asked for (a date for "when") counting
    more still; between sentences the question fits as well, the one holding a fact or name of the `answer` the
    check rejected (the model read it there, then added a clause of its own). Where that sentence does not
    state the kind asked for and another of the passage does (one sharing a word with the question), the
    nearest such one is quoted with it, in the passage's order, "…" where lines stand between ("Some Windows
    machines also have Python installed. At this writing we're aware of computers from Hewlett-Packard and
    Compaq ..."); for "who", where none shares a word, a header's field naming who made the note (`BYLINE`).
    Among a table's rows, the one a word of the question keys (`_a_cell_given`), else the one sharing most of
    its words but the field asked for (a row's own words name it, not its column). A sentence pointing back
    (`POINTS_BACK`: "calling this function") is quoted with the sentence before it, if that is short."""
    governing = governing_options(passage.text)
    head = "" if _ungoverned_head(passage.text) else " ".join(split_head(passage.text)[0].split()).rstrip(":")
    wanted = terms(question) | unsaid_terms(question)
    kind = asked_kind(question)
    known = names(passage.text)
    asked = terms(" ".join(m.group(1) for m in ASKED.finditer(question)))  # "which HOTEL": what is asked for
    if not asked and kind == "yes/no":  # what is asked about, not whom: "Does rm REMOVE directories?"
        main = "\n".join(main_question(line) for line in question.split("\n"))  # "On Windows, is ...?"
        asked = terms(" ".join(m.group(1) for m in ASKED_YES_NO.finditer(main))) - terms(" ".join(known))
    if "\n" in question:  # a follow-up read with the turn before: its own words say what is asked now
        asked |= terms(question.rsplit("\n", 1)[1])  # "And raw milk?" after the eggs' price
    if kind == "option":
        asked -= OPTION_WORDS  # a sentence that says "option" names another one ("With the -v option, ...")
    asked |= wanted & {"default"}  # a default asked: "By default urllib identifies itself as Python-urllib/x.y"
    headed = kind == "option" and bool(governing)  # the heading line states it for every sentence below it
    doers = agent_nouns(question)  # "owner" for "Who owns ...?": a field so named is what is asked
    given = words_given(question)
    codes = set(written_codes(question).values())  # "TO" of "Who manages the TO office?" keys its line

    # The facts and names a rejected answer took from the passage point at the sentence it read them in.
    answer = CITED.sub(" ", answer)
    taken = (facts(answer) | names(answer, known)) - facts(question) - names(question, known)

    def read(sentence: str) -> float:  # the share of the rejected answer's facts it holds: a tie-break
        holds = taken & ({token.strip(EDGES) for token in sentence.split()} | facts(sentence))
        return ANSWER_WEIGHT * len(holds) / len(taken) if taken else 0.0

    def fit(sentence: str) -> float:
        if kind == "yes/no":  # any sentence can answer one; the notes' own yes or no does
            kind_bonus = KIND_WEIGHT if VERDICT.match(sentence) else 0.0
        else:
            kind_bonus = KIND_WEIGHT if kind and not headed and states(kind, sentence, question, known) else 0.0
        said = terms(sentence, parts=True)  # a sheet's "eol-lts: 2024-06-30" holds "LTS"
        doer = key_terms(sentence.split(":", 1)[0]) & doers if KEY.match(sentence) else set()  # "Owner: ..."
        if _cells(sentence):  # a table's row: its value answers, a word of the field asked names another row
            return len(said & (wanted - asked)) + KIND_WEIGHT * _a_cell_given(given, sentence) + kind_bonus
        coded = KIND_WEIGHT * _holds_a_code(codes, sentence)  # as written: "TO: Tonga office", not "to"
        return len(said & wanted) + ASKED_WEIGHT * len(said & asked | doer) + kind_bonus + coded + read(sentence)

    units = dated_units(units_of(passage.text), passage, question)
    # A question the notes repeat (an FAQ's heading) or a bare link is not what answers it.
    answering = [u for u in units if not u.rstrip().endswith("?") and not LINK_ONLY.fullmatch(u.strip())] or units
    dated = as_of_today(answering, question, about=_document_of(passage))
    best = dated or max(answering, key=fit)
    said = BULLET.sub("", best)
    caption = dict(zip(answering, _captions(answering), strict=True))[best] if dated else ""
    if caption and terms(caption) & wanted and not terms(best) & wanted:
        said = f"{caption} … {said.strip()}"  # "Gas (meter serial G4 77120) … 01/12/2026   9051"
    fields = [unit.strip() for unit in split_head(passage.text)[1].split("\n") if unit.strip()]
    if TABLE_ROW.fullmatch(best.strip()):  # a table's row: its cells are its fields
        fields = [cell.strip() for cell in best.strip().split("; ")]
    if KEY.match(best) and _record_lines(fields):
        said = _record_said(fields, question, wanted | agent_nouns(question), asked, kind, known, read)
    elif kind and kind != "yes/no" and not headed and not _states_alone(kind, best, question):
        # the nearest unit (the one after before the one before) that states it (below)
        at = units.index(best)
        stating = [i for i, u in enumerate(units) if u in answering and _states_alone(kind, u, question)]
        # one that shares a word asked (a field naming the doer asked: "Holder: ..." for "Who holds ...?") or goes
        # on with the best's line ("Vet: Dr. med. vet. Saskia Brandt, Tue. 11 Nov."); for "who", else a header's
        # field that names who made the note
        stating = [
            i for i in stating if terms(units[i]) & (wanted | doers) or _goes_on_line(passage.text, units, at, i)
        ] or [i for i in stating if kind == "name" and BYLINE.match(units[i])]
        if stating:
            first, last = sorted((at, min(stating, key=lambda i: (abs(i - at), i < at))))
            joint = " " if last - first == 1 else " … "
            said = BULLET.sub("", units[first]) + joint + BULLET.sub("", units[last])
    before = _sentence_before(passage.text, best) if POINTS_BACK.search(best) else None
    if said == BULLET.sub("", best) and before and len(before) <= LEAD_AT_MOST:
        said = f"{before} {said}"  # "... inspect.get_annotations(). In Python 3.10 ..., calling this function is ..."
    return f"{head}: {said}" if head else said


# A sentence naming what it is about by pointing back: a pronoun opening it, "this" or "these" before a noun
# (not the document pointing at itself, "this page", "this file", nor a time, "this month")
DOCUMENT_NOUNS = r"(?:document|page|section|chapter|manual|guide|book|file|note|list|table)s?\b"
TIME_NOUNS = r"(?:morning|evening|afternoon|day|week|weekend|month|quarter|year|time|season)s?\b"  # "this month"
POINTS_BACK = re.compile(rf"^(?:It|They|He|She)\s|\b(?i:this|these)\s+(?!(?i:{DOCUMENT_NOUNS}|{TIME_NOUNS}))[a-zA-Z]")
LEAD_AT_MOST = 200  # characters of a sentence before a quote pointing back that it comes with; a longer one, not


def _sentence_before(text: str, sentence: str) -> str | None:
    """The sentence before `sentence` in its paragraph of the passage's body (`units_of`), if it has one."""
    for block in _blocks(HYPHENATED.sub("", _body(text))):
        found = sentences(block)
        if sentence in found[1:]:
            return found[found.index(sentence, 1) - 1]
    return None


HOW_ASKED = re.compile(r"\bhow\s+(?:far|long|much|many|often|old|big|large|high|tall|heavy)\b", re.I)  # no topic


def _document_of(passage: Passage) -> str:
    """What names the passage's document: its path (with its folders) and title."""
    return f"{passage.hit.path} {passage.hit.title}"


def as_of_today(units: list[str], question: str, today: datetime.date | None = None, about: str = "") -> str | None:
    """For a question asking when the next or the last of something is, or what it costs now
    (`facts.asked_turn`), the unit holding the first date from `today` on (next) or the latest up to it (last),
    among the dated units that share most of the question's words (its "next" or "last" aside) and hold a date
    on that side of today, else those sharing fewer, none only where no unit shares any and a date, "the last"
    or "the latest" is asked:
    "15 January 2027, 10:15: check-up" of a dentist's list (its heading names the dentist), asked on 5 December
    2026 for the next one; "2026-03-28 oil change" of a car's log for the last oil change, not its later
    inspection; "Next visit planned for 20 February 2027." after "We visited Aunt Rose on 12 April 2026.";
    this month's internet bill of a sheet's rows. Words of what the units are `about` (their document's path and
    title) tell none apart: "When was my last run?" of running/training_log.csv is its latest row, not the one
    whose note says "longest run so far". None where the question asks no such thing, or no unit's date is on
    that side of today."""
    turn = asked_turn(question)
    today = today or datetime.date.today()
    dated = [(unit, spans) for unit in units if (spans := calendar_spans(unit, today))] if turn else []
    wanted = terms(TURN_ASKED.sub(" ", HOW_ASKED.sub(" ", question))) | unsaid_terms(question)
    wanted -= terms(KEY_JOINT.sub(" ", about), parts=True)  # what every unit is of: the runs of running/log.csv
    captions = dict(zip(units, _captions(units), strict=True))  # "Gas (meter serial G4 77120)" over its rows
    shares = [len((_said_of(unit) | terms(captions[unit], parts=True)) & wanted) for unit, _ in dated]
    # Units sharing no word are read where none does and a date or "the last", "the latest" is asked: a present
    # sum's dates say nothing of what is asked (the cache's size, not a release's date)
    explicit = TURN_ASKED.search(question) or LATEST_ASKED.search(question)
    unread = any(shares) or (asked_kind(question) != "date" and explicit is None)
    for share in sorted(set(shares) - ({0} if unread else set()), reverse=True):
        sharing = [(unit, spans) for (unit, spans), n in zip(dated, shares, strict=True) if n == share]
        if turn == "next":  # a month counts until its last day
            on_its_side = [
                (min(first for first, last in spans if last >= today), unit)
                for unit, spans in sharing
                if any(last >= today for _, last in spans)
            ]
        else:
            on_its_side = [
                (-max(first for first, _ in spans if first <= today).toordinal(), unit)
                for unit, spans in sharing
                if any(first <= today for first, _ in spans)
            ]
        if on_its_side:
            return min(on_its_side, key=lambda pair: pair[0])[1]
    return None


def _captions(units: list[str]) -> list[str]:
    """For each unit, the caption it stands under: the nearest unit before it that holds no date and ends no
    sentence ("Gas (meter serial G4 77120)" over "01/12/2026   9051"); "" where there is none."""
    found, caption = [], ""
    for unit in units:
        found.append(caption)
        if not calendar_spans(unit) and not SENTENCE_DONE.search(unit.strip()) and not unit.strip().endswith("?"):
            caption = unit.strip()
    return found


def _said_of(unit: str) -> set[str]:
    """A unit's terms as what it says of its thing: a row's or record's values and its keys' words in brackets,
    not its keys, which every row shares ("Home/Away: Away" says nothing of a home match; "Lunch (with Sam):
    pasta" says Sam); a sentence's all."""
    if not KEY.match(unit):
        return terms(unit, parts=True)
    parts = [part.split(": ", 1) for part in re.split(r"; |\n", unit)]
    said = [part[-1] + " " + " ".join(BRACKETED.findall(part[0])) for part in parts]  # "Lunch (with Sam): pasta"
    return terms(" ".join(said), parts=True)


def _as_of_today_said(answer: str, question: str, best: Passage) -> bool:
    """Whether an answer to a question asking for the next or the last date or amount (`as_of_today`) states a
    day of the date the notes give for it, or a fact of the unit holding that date (the amount of the latest
    bill), where they give one: true for any other question."""
    units = dated_units(units_of(best.text), best, question)
    picked = as_of_today(units, question, about=_document_of(best))
    if picked is None:
        return True
    if asked_kind(question) != "date":  # of a log's lines; one record's fields are all of its one date
        one = sum(bool(calendar_spans(unit)) for unit in units) < 2
        return one or bool((facts(answer) - facts(question)) & facts(picked))
    days = {day for first, last in calendar_spans(picked) for day in (first, last)}
    return any(first in days or last in days for first, last in calendar_spans(answer))


def _goes_on_line(text: str, units: list[str], at: int, i: int) -> bool:
    """Whether unit `i` is the sentence right after unit `at` on the same line of the text."""
    return i == at + 1 and f"{units[at].rstrip()} {units[i].lstrip()}" in text


def _record_said(
    fields: list[str],
    question: str,
    wanted: set[str],
    asked: set[str],
    kind: str | None,
    known: set[str],
    read: Callable[[str], float],
) -> str:
    """What of a record answers, in the record's order: the fields naming what is asked about (a value sharing
    the question's words: "name: Burma, Socialist Republic of the Union of") with the one field whose key says
    what is asked ("numeric" for "Burma's numeric code", "eol" for "end of life": `_key_fit`) or whose value has
    the length the question gives it ("nb" for "the two-letter code": `asked_shape`), the one stating the kind
    of fact asked for, then the one `read` says the rejected answer took, where several do; where no
    key says it ("id: 42" states a number, not how often), several fit as well, or the best only names what is
    asked about, the whole record (the question does not say which of its fields answers)."""

    def value(field: str) -> str:
        return field.split(":", 1)[1]

    shape = asked_shape(question)

    def shaped(field: str) -> bool:  # "nb" for "the two-letter code"; not "Oslo", which the question names
        return shape is not None and has_shape(value(field).strip(), shape) and not terms(value(field)) & wanted

    def fit(field: str, key_fit: float) -> float:
        states_it = kind not in (None, "yes/no") and states(kind, value(field), question, known)
        return key_fit + KIND_WEIGHT * (states_it + shaped(field)) + read(field)

    codes = given_stopwords(question)  # "AT" of "the country code AT" names the record too
    subject = [  # an e-mail address's words do not name it ("email: yusra.o@..." for "Yusra Okonkwo's email address")
        field
        for field in fields
        if terms(ADDRESS.sub(" ", value(field)), parts=True) & wanted or value(field).strip().lower() in codes
    ]
    keyed = [(field, _key_fit(field.split(":", 1)[0], question, wanted, asked)) for field in fields]
    ranked = sorted(
        ((fit(field, key_fit), field) for field, key_fit in keyed if key_fit > 0 or shaped(field)), reverse=True
    )
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]) or ranked[0][1] in subject:
        return "; ".join(fields)
    best = ranked[0][1]
    # a date does not say which one unless a date is asked: "Which Ubuntu release ...?" names the row by its key
    which = fields[0] if kind is None and DATE_OR_TIME.fullmatch(value(best).strip()) else best
    return "; ".join(field for field in fields if field in (best, which) or field in subject)


ADDRESS = re.compile(r"\S+@\S+\.\w+")  # an e-mail address (a URL may name its record: ".../wren")

KIN_AT_LEAST = 5  # letters of the shorter stem where a key's word and a question's are one word's (`_kin`)
KIN_WEIGHT = 0.5  # a kin counts half a shared word: "country" fits "Which country?" better than "count" does


def _key_fit(key: str, question: str, wanted: set[str], asked: set[str]) -> float:
    """How well a record's key says what a question asks: its words among the question's (those after the
    question word counting `ASKED_WEIGHT` more), a part spelled out by the question's words ("eol" by "end of
    life", "lts" by "long term support": `_spelled_out`) as one; a key that says some of it loses
    `KEY_PART_UNSAID` for each part that says nothing asked ("eol" fits "end of life" better than "eol-lts"),
    a key that says none of it nothing (the question does not tell "created" from "release_date"). A key of two
    words or more that the question says whole is what it asks for, each word as asked: "policy_number" in "What
    is the car insurance policy number?", whose words after "the" name the insurer."""
    parts = [part for part in re.split(r"[^a-z0-9]+", key.lower()) if part and not part.isdigit()]
    wanted = wanted | {word.replace("-", "") for word in wanted if "-" in word}  # "e-mail" asks for "email"
    # a key joined by "_" is the question's compound joined by "-": "alpha_3" is "alpha-3", not "alpha_2"
    said = terms(key, parts=True) | {
        word.replace("_", "-") for word in re.findall(r"[\w-]+", key.lower()) if "_" in word
    }
    if len(parts) > 1 and all(terms(part) and terms(part) <= wanted for part in parts):
        asked = asked | said
    spelled = [part for part in parts if _spelled_out(part, question, 2 if key.strip().isupper() else 3)]
    kin = KIN_WEIGHT * (len(_kin(said, wanted)) + ASKED_WEIGHT * len(_kin(said, asked)))
    fit = len(said & wanted) + ASKED_WEIGHT * len(said & asked) + len(spelled) + kin
    unsaid = [
        part for part in parts if part not in spelled and not terms(part) & wanted and not _kin(terms(part), wanted)
    ]
    return fit - KEY_PART_UNSAID * len(unsaid) if fit else 0.0


def _kin(said: set[str], wanted: set[str]) -> set[str]:
    """The stems of a key's single words that are not the question's but begin one of its stems or are begun by
    one, of at least KIN_AT_LEAST letters: a key's noun and a question's verb of one word ("withdrawal_date" for
    "When was it withdrawn?", "creation" for "created"), which the stemmer does not make one. Not a compound's
    whole stem ("country_cod" is no kin of "country")."""
    return {
        stem
        for stem in said - wanted
        if stem.isalnum()
        and any(
            min(len(stem), len(word)) >= KIN_AT_LEAST and (stem.startswith(word) or word.startswith(stem))
            for word in wanted
        )
    }


def _spelled_out(part: str, question: str, fewest: int = 3) -> bool:
    """Whether a key's part of `fewest` (3, or 2 for a key written in capitals: "TZ") to five letters is the
    initials of words of the question in a row, the first no small word, nor the second of two: "eol" of "end of
    life", "tz" of "time zone", not "id" of "is due" or "ia" of "in a" (two letters are any record's code: "NZ"
    of "New Zealand")."""
    words = re.findall(r"[a-z]+", question.lower())
    runs = [words[i : i + len(part)] for i in range(len(words) - len(part) + 1)]
    return (
        fewest <= len(part) <= 5
        and part.isalpha()
        and any(
            run[0] not in STOPWORDS
            and (len(run) > 2 or run[1] not in STOPWORDS)
            and "".join(word[0] for word in run) == part
            for run in runs
        )
    )


def _states_alone(kind: str, unit: str, question: str) -> bool:
    """Whether a unit states the kind of fact, read on its own: a list item's first word begins a sentence
    ("- Some Windows machines ..." names no one)."""
    return states(kind, BULLET.sub("", unit), question)

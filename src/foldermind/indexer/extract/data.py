"""JSON, JSON Lines and CSV: records become readable `key: value` lines, one paragraph per record."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import PurePath
from typing import Any

import ijson

from foldermind.errors import ExtractionError
from foldermind.indexer.extract.base import (
    WARNED_LINES,
    Extracted,
    Section,
    decode_text,
    in_order,
    plain_sections,
    suffix_of,
)
from foldermind.indexer.normalize import unicode_encoding

RECORDS_DEPTH = 4  # keys down from the top a list of objects is read as records ({"data": {"items": [...]}} is 2)
KEY_PATH_KEYS = 8  # keys of a dotted key path shown whole; a longer one is its first key, "…" and its last 6


# The keys down to a value as `_flatten` carries them: how many, the first, and the last KEY_PATH_KEYS (a copy of
# every key at every level was quadratic in the depth: minutes for a chain a million levels deep)
KeyPath = tuple[int, str, tuple[str, ...]]


def _below(path: KeyPath, key: str) -> KeyPath:
    count, first, last = path
    return count + 1, first if count else key, (*last, key)[-KEY_PATH_KEYS:]


def _key_path(path: KeyPath) -> str:
    """`a.b.c` of the keys down to a value; a path of more than KEY_PATH_KEYS keys (a chain thousands of levels
    deep) shortened to its first key and its last 6 ("n.….n.leaf"), so that its value is what the line holds."""
    count, first, last = path
    return ".".join(last if count <= KEY_PATH_KEYS else (first, "…", *last[2 - KEY_PATH_KEYS :]))


def _flatten(value: Any, prefix: str = "") -> list[str]:
    """`dotted.key: value` lines of a JSON value (under the dotted `prefix`), depth first in document order;
    iterative, so that no depth of nesting can exhaust Python's stack."""
    lines: list[str] = []
    top: KeyPath = (0, "", ())
    for key in prefix.rstrip(".").split(".") if prefix else []:
        top = _below(top, key)
    stack: list[tuple[KeyPath, Any]] = [(top, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, dict):
            stack.extend((_below(path, str(key)), child) for key, child in reversed(item.items()))
        elif isinstance(item, list) and any(isinstance(child, dict | list) for child in item):
            stack.extend((_below(path, str(i)), child) for i, child in reversed(list(enumerate(item))))
        else:
            shown = ", ".join(map(_scalar_text, item)) if isinstance(item, list) else _scalar_text(item)
            lines.append(f"{_key_path(path)}: {shown}" if path[0] else shown)
    return lines


def _scalar_text(value: Any) -> str:
    """A JSON scalar as JSON writes it: null, true and false (Python's None, True, False were shown)."""
    return json.dumps(value) if value is None or isinstance(value, bool) else str(value)


def _number(digits: str) -> int | str:
    """A JSON integer; one longer than Python converts (`sys.get_int_max_str_digits`, 4,300 digits by default;
    0: no limit) as its text."""
    limit = sys.get_int_max_str_digits()
    return int(digits) if not limit or len(digits.lstrip("-")) <= limit else digits


def json_error(exc: json.JSONDecodeError, line: bool = True) -> str:
    """Where and why JSON does not parse, as one phrase: "Unterminated string starting at line 6 column 31"
    (json's message "... starting at" read "(Unterminated string starting at)" when put in brackets)."""
    where = f"line {exc.lineno} column {exc.colno}" if line else f"column {exc.colno}"
    return f"{exc.msg} {where}" if exc.msg.endswith(" at") else f"{exc.msg} at {where}"


def load_json(text: str, **options: Any) -> Any:
    """json.loads (with json.loads' `options`), an integer of more digits than Python reads kept as its text.
    JSON nested deeper than Python's reader takes (about 1,000 levels) is read by ijson's iterative parser
    (yajl), whatever its depth: its decimals are then Decimals ("1.0e5" reads "1.0E+5"). Raises
    json.JSONDecodeError, or ExtractionError for invalid JSON nested that deep (ijson names no position) or
    holding an integer of more digits than Python reads (ijson's C parser crashes the process on one)."""
    try:
        return json.loads(text, parse_int=_number, **options)
    except RecursionError:
        pass
    limit = sys.get_int_max_str_digits()
    if limit and re.search(rf"\d{{{limit + 1}}}", text):
        raise ExtractionError(f"a number of over {limit:,} digits in JSON nested over 1,000 levels deep")
    builder = ijson.ObjectBuilder()  # from the bare events: `ijson.items` names each event's key path, whose
    # copies took memory as the square of the depth (21 GB for a chain 200,000 levels deep)
    try:
        for event, value in ijson.basic_parse(text.encode("utf-8", "surrogatepass")):
            builder.event(event, value)
    except ijson.JSONError as exc:  # "parse error: premature EOF", then yajl's picture of where
        raise ExtractionError(f"invalid JSON nested over 1,000 levels deep ({str(exc).splitlines()[0]})") from None
    return builder.value


def _records_text(records: list[Any]) -> str:
    return "\n\n".join("\n".join(_flatten(record)) for record in records)


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def _holds_records(value: Any, depth: int = RECORDS_DEPTH) -> bool:
    """Whether a list of objects stands in an object, at most `depth` keys down."""
    if not isinstance(value, dict) or depth == 0:
        return False
    return any(_is_records(child) or _holds_records(child, depth - 1) for child in value.values())


def _json_records(value: Any, prefix: str = "", depth: int = RECORDS_DEPTH) -> str:
    """A JSON document as paragraphs of records: each item of a top-level list, or of a list of objects under
    a key up to RECORDS_DEPTH keys down (`{"4217": [{"alpha_3": "CHF", ...}, ...]}`, as iso-codes nest their
    rows; `{"data": {"items": [...]}}`, as many exports do), one paragraph, its keys under the list's keys
    without the item's number ("4217.alpha_3: CHF"); the other keys, in order, a paragraph between them. Read
    as one paragraph, an object's fields were cut apart with its neighbours' ("4217.29.name: Swiss Franc" over
    "4217.30.alpha_3: CHW")."""
    if isinstance(value, list):
        return _records_text(value)
    if not _holds_records(value, depth):
        return "\n".join(_flatten(value, prefix))
    paragraphs: list[str] = []
    rest: dict[str, Any] = {}
    for key, child in value.items():
        if not (_is_records(child) or _holds_records(child, depth - 1)):
            rest[key] = child
            continue
        if rest:
            paragraphs.append("\n".join(_flatten(rest, prefix)))
            rest = {}
        if _is_records(child):
            paragraphs += ["\n".join(_flatten(record, f"{prefix}{key}.")) for record in child]
        else:
            paragraphs.append(_json_records(child, f"{prefix}{key}.", depth - 1))
    if rest:
        paragraphs.append("\n".join(_flatten(rest, prefix)))
    return "\n\n".join(paragraphs)


def extract_json(data: bytes, path: PurePath) -> Extracted:
    """Records as `key: value` paragraphs (`_json_records`), at any depth of nesting. A file that is not valid
    JSON (comments and trailing commas, as editors' settings files have them; a cut-off export) is read as text,
    with a warning naming where it breaks."""
    text = decode_text(data)
    try:
        value = load_json(text, parse_float=str)  # a number as written: "1e999" was "inf", "0.1000" "0.1"
    except json.JSONDecodeError as exc:
        items, rest = _items_before_the_break(text)
        if items:  # a cut-off export of records: those before the cut are records, the rest text
            warning = f"invalid JSON: {json_error(exc)}; the {len(items):,} items before it read, the rest as text"
            sections = [*plain_sections(_records_text(items), records=True), *plain_sections(rest)]
            return Extracted(sections=in_order(sections), warnings=[warning])
        warning = f"invalid JSON: {json_error(exc)}; read as text"
        return Extracted(sections=plain_sections(text), warnings=[warning])
    except ExtractionError as exc:
        return Extracted(sections=plain_sections(text), warnings=[f"{exc}; read as text"])
    return Extracted(sections=plain_sections(_json_records(value), records=True))


def extract_jsonl(data: bytes, path: PurePath) -> Extracted:
    """Every good line; a bad one (a truncated last line, a typo, a NUL byte) is left out and named in
    `warnings`, the first WARNED_LINES of them, then how many more."""
    binary: dict[int, str] = {}
    if b"\x00" in data and unicode_encoding(data) is None:  # not UTF-16 or UTF-32, whose text is full of NULs
        lines = data.split(b"\n")
        binary = {n: "a NUL byte (binary data)" for n, line in enumerate(lines, start=1) if b"\x00" in line}
        data = b"\n".join(b"" if n in binary else line for n, line in enumerate(lines, start=1))
    text = decode_text(data)
    bad: dict[int, str] = {}
    records = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            try:
                records.append(load_json(line, parse_float=str))
            except json.JSONDecodeError as exc:
                bad[number] = f"invalid JSON: {json_error(exc, line=False)}"
            except ExtractionError as exc:
                bad[number] = str(exc)
    if bad and (values := _json_values(text)) is not None:
        records, bad = values, {}  # not a value a line, but valid JSON: pretty-printed (`jq .`), or one array
    warnings = [f"line {number} left out: {why}" for number, why in sorted({**bad, **binary}.items())]
    if not records and warnings:
        raise ExtractionError(f"no valid JSON line ({warnings[0]})")
    if len(warnings) > WARNED_LINES:
        warnings = [*warnings[:WARNED_LINES], f"and {len(warnings) - WARNED_LINES:,} more lines left out"]
    return Extracted(sections=plain_sections(_records_text(records), records=True), warnings=warnings)


def _json_values(text: str) -> list[Any] | None:
    """The values of a file of JSON values one after another, over several lines each or apart by commas
    (`jq .` output, an array of objects saved as .jsonl), an array's items; None where it is not that."""
    decoder = json.JSONDecoder(parse_int=_number, parse_float=str)
    values: list[Any] = []
    at = _past_separators(text, 0)
    try:
        while at < len(text):
            value, at = decoder.raw_decode(text, at)
            values.append(value)
            at = _past_separators(text, at)
    except (json.JSONDecodeError, RecursionError):
        return None
    return values[0] if len(values) == 1 and isinstance(values[0], list) else values


def _items_before_the_break(text: str) -> tuple[list[Any], str]:
    """The whole items of a JSON array that breaks (a cut-off export: `[{...}, {...}, {"bin": "brown", "day": "Fri`),
    and the text from the first item that does not parse on; none (and the text) where it is no array."""
    decoder = json.JSONDecoder(parse_int=_number, parse_float=str)
    at = len(text) - len(text.lstrip())
    if not text.startswith("[", at):
        return [], text
    items: list[Any] = []
    at = _past_separators(text, at + 1)
    try:
        while at < len(text):
            item, end = decoder.raw_decode(text, at)
            if not text[end:].lstrip().startswith((",", "]")):  # "34" may be the start of 345: cut, not whole
                break
            items.append(item)
            at = _past_separators(text, end)
    except (json.JSONDecodeError, RecursionError):
        pass
    rest = text[at:]
    return items, "" if rest.strip() == "]" else rest


def _past_separators(text: str, at: int) -> int:
    """Where the next value starts: past the white space and commas between two ("},\n{")."""
    while at < len(text) and (text[at].isspace() or text[at] == ","):
        at += 1
    return at


class _Tabs(csv.excel_tab):
    """Tab-separated values as written: no quoting (a value may start with a quote mark: 5" floppy)."""

    quoting = csv.QUOTE_NONE


TAB_TABLE_ROWS = 3  # a text file is a table when at least this many lines all hold the same number of tabs
# ... and that number is at least this: two columns of a text are as often a word list or flash cards as a table,
# and read as lines of two values each they say what a table would
TAB_TABLE_TABS = 2
# A column's name in a tab-separated text's first line: it begins with a letter (a log's first line begins with a
# date or a number), up to 40 characters.
COLUMN_NAME = re.compile(r"[^\W\d_][^\t]{0,39}")


def _unquoted(value: str) -> str:
    """A spreadsheet's quoted value ("Deck 2") as written, its doubled quote marks single."""
    return value[1:-1].replace('""', '"') if len(value) > 1 and value[0] == value[-1] == '"' else value


def tab_table_records(text: str) -> Extracted | None:
    """A text file's tab-separated table as records (`key: value` lines under its first line's names), or None
    where the text is not one: what a spreadsheet saves as "Text" or "Unicode Text" (Excel, LibreOffice) and a
    database prints in batch mode with its header (`sqlite3 -tabs -header`). At least TAB_TABLE_ROWS lines,
    every one holding the same number of tabs (TAB_TABLE_TABS at least), and a first line of distinct column names
    (COLUMN_NAME; a spreadsheet's quotes around them taken off). Values are split at every tab, as a .tsv's
    (a quote mark is no field's end: a log's unclosed quote swallowed the lines after it), and a value in
    quotes as a whole has them taken off."""
    lines = [line for line in text.split("\n") if line.strip()]
    tabs = {line.count("\t") for line in lines}
    if len(lines) < TAB_TABLE_ROWS or len(tabs) != 1 or min(tabs) < TAB_TABLE_TABS:
        return None
    names = [_unquoted(name.strip()) for name in lines[0].split("\t")]
    if not _names(names):
        return None
    rows = [[_unquoted(cell.strip()) for cell in line.split("\t")] for line in lines[1:]]
    records = [{name: value for name, value in zip(names, row, strict=True) if value} for row in rows]
    return Extracted(sections=plain_sections(_records_text(records), records=True))


COMMENT = re.compile(r"[ \t]*#")  # a note over a table's rows ("# This file contains a table of ...")


def _notes_apart(text: str) -> tuple[list[str], str]:
    """A table file's leading comment lines (blank lines among them), the notes Unix tables and tz's .tab files
    write over their rows, and the text after them; no notes where no row follows (a table whose first column's
    values begin with "#": "#ff0000,red")."""
    lines = text.split("\n")
    at = 0
    while at < len(lines) and (not lines[at].strip() or COMMENT.match(lines[at])):
        at += 1
    rest = "\n".join(lines[at:])
    return ([line for line in lines[:at] if line.strip()], rest) if rest.strip() else ([], text)


def _names(cells: list[str]) -> bool:
    """Whether a row's cells are column names: distinct, each beginning with a letter (COLUMN_NAME)."""
    names = [cell.strip() for cell in cells]
    return len(set(names)) == len(names) and all(COLUMN_NAME.fullmatch(name) for name in names)


def _width(row: list[str]) -> int:
    """A row's cells up to its last one that holds something (a .tab row may end in a tab)."""
    return max((i + 1 for i, cell in enumerate(row) if cell.strip()), default=0)


def _note_header(notes: list[str], dialect: type[csv.Dialect] | csv.Dialect, width: int) -> list[str] | None:
    """The column names a table writes as its last comment line, as tz's iso3166.tab does (`#code<TAB>name of
    country, ...`): that line's cells, its mark taken off the first, when they are as many as the widest row's,
    distinct, each written as a header writes a name (beginning with a letter, no space around it: "# Exported
    by tool, do not edit" is a note); a first cell of the mark alone is a column named "#" (`#,Title,Artist`)."""
    if not notes:
        return None
    cells = next(csv.reader([notes[-1].strip()], dialect=dialect), [])
    if not cells:
        return None
    first = cells[0] if cells[0] == "#" else COMMENT.sub("", cells[0], count=1).strip()
    names = [first, *cells[1:]]
    named = all(name == name.strip() and (name[:1].isalpha() or name == "#") for name in names)
    return names if len(names) == width and len(set(names)) == width and named else None


def _note_text(notes: list[str]) -> str:
    """Comment lines as the prose they are: each without its mark and the space after it."""
    return "\n".join(re.sub(r"^[ \t]*#+ ?", "", line) for line in notes).strip()


def _table_records(text: str, dialect: type[csv.Dialect] | csv.Dialect | None) -> Extracted:
    """A table's rows as records under the first row's names. In a file that opens with comment lines, those
    are a section of prose before the rows (its rows whose first cell is a comment, as tz's zone1970.tab ends
    with, one after them), and the columns are named by the last of them where it fits the rows
    (`_note_header`), else by the first row where it is names (`_names`), else the rows are read as their values
    alone. A `dialect` of None: whichever of , ; tab | csv.Sniffer finds in the rows."""
    notes, body = _notes_apart(text)
    if dialect is None:
        try:
            dialect = csv.Sniffer().sniff(body[:4096], delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
    try:
        rows = [row for row in csv.reader(io.StringIO(body), dialect=dialect) if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise ExtractionError(f"malformed CSV: {exc}") from exc
    later = [row for row in rows if notes and COMMENT.match(row[0])]
    rows = [row for row in rows if not (notes and COMMENT.match(row[0]))]
    header = _note_header(notes, dialect, max(map(_width, rows))) if rows else None
    if header is not None:
        notes = notes[:-1]
    elif rows and (not notes or _names(rows[0])):
        header, rows = rows[0], rows[1:]
    records: list[Any] = (
        [{key: value for key, value in zip(header, row, strict=False) if key and value} for row in rows]
        if header is not None
        else [[cell for cell in row if cell] for row in rows]
    )
    table = Section(_records_text(records), records=True)
    after = [str(dialect.delimiter).join(row) for row in later]
    return Extracted(sections=in_order([Section(_note_text(notes)), table, Section(_note_text(after))]))


TAB_SUFFIXES = (".tsv", ".tab")  # tab-separated values; .tab as tz's zone1970.tab and iso3166.tab are named


def extract_csv(data: bytes, path: PurePath) -> Extracted:
    """A table's rows as records (`key: value` lines under the header's names), after the notes of its leading
    comment lines; a .tsv or .tab is split at tabs (its values may hold commas, and its rows may leave the last
    columns out, which the sniffer cannot read), a .csv at whichever of , ; tab | the sniffer finds."""
    return _table_records(decode_text(data), _Tabs if suffix_of(path) in TAB_SUFFIXES else None)

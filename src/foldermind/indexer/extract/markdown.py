"""Markdown: YAML front matter as metadata, #tags, [[wikilinks]], a section per heading, and each row of a
table as `Header: value; ...` on its own line (base.row_text), so that a row in another chunk than its table's
header still says what its values are. The rewrite keeps every line where it was: `source` is the file with
its table rows rewritten, so line numbers stay those of the file."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import itertools
import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler
from markdown_it import MarkdownIt

from foldermind.indexer.extract.base import Extracted, Section, decode_text, doubt, row_text
from foldermind.indexer.extract.data import load_json

TAG = re.compile(r"(?<![\w#&/])#([A-Za-z][\w/-]*)")
WIKILINK = re.compile(r"\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_parser = MarkdownIt("commonmark").enable("table")


class TOMLFrontMatter(BaseHandler):
    """Hugo's and Zola's TOML front matter between `+++` lines, read with the standard library's tomllib
    (python-frontmatter's own TOML handler needs the `toml` package)."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return _dates_as_written(tomllib.loads(fm), _toml_dates_as_written(fm))


# A TOML date, time or date and time (RFC 3339) as it may be written
TOML_DATE = re.compile(
    r"(?<![\w.:-])(?:\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})?)?"
    r"|\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?![\w.:-])"
)


def _toml_dates_as_written(fm: str) -> dict[tuple[type, str], str]:
    """Each date and time the TOML text writes, by the value tomllib reads it as, to the text written."""
    written: dict[tuple[type, str], str] = {}
    for match in TOML_DATE.finditer(fm):
        try:
            value = tomllib.loads(f"x = {match.group()}")["x"]
        except tomllib.TOMLDecodeError:
            continue
        written.setdefault((type(value), value.isoformat()), match.group())
    return written


def _dates_as_written(value: Any, written: dict[tuple[type, str], str]) -> Any:
    """TOML's dates and times as the text written ("2024-03-01T10:00:00Z", which Python wrote as "2024-03-01
    10:00:00+00:00", so `--where when=2024-03-01T10:00:00Z` found nothing), as YAML front matter keeps them."""
    if isinstance(value, dict):
        return {key: _dates_as_written(item, written) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_as_written(item, written) for item in value]
    if isinstance(value, dt.date | dt.time):
        return written.get((type(value), value.isoformat()), value.isoformat())
    return value


MAX_FRONT_MATTER_VALUES = 10_000  # values of YAML front matter with its aliases expanded; past it, not read


class BoundedYAMLLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML's safe loader (libyaml's where PyYAML has it, as python-frontmatter uses), refusing a document whose
    aliases (`&a`, `*a`) refer to themselves, which no metadata store holds (it crashed the note), or expand past
    MAX_FRONT_MATTER_VALUES values and twice the document's own (nine aliases to nine aliases of ... a "billion
    laughs": seconds and gigabytes for a few lines; a long list of its own is read)."""

    def get_single_node(self) -> yaml.Node | None:
        document = super().get_single_node()
        if document is not None:
            sizes: dict[int, int] = {}
            expanded = _expanded_values(document, sizes, set())
            if expanded > max(MAX_FRONT_MATTER_VALUES, 2 * len(sizes)):  # aliases, not a long list, made it so
                raise yaml.YAMLError(f"its aliases expand past {MAX_FRONT_MATTER_VALUES:,} values")
        return document

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A key that is a list or a mapping (`? [1, 2]`), which no dict holds, as its YAML text ("[1, 2]"): it
        lost every key of the note; a repeated key noted."""
        node.value = [(_as_text(key), value) for key, value in node.value]
        _note_repeated_keys(key.value for key, _ in node.value if key.tag != MERGE)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float | str:
        """A decimal, or its text where the number does not write it back ("1.10", a version, is not 1.1; "1e3");
        `.nan` and `.inf` as `_string_keys` writes them; text a `!!float` tag marks as written (it lost the note)."""
        try:
            number = super().construct_yaml_float(node)
        except ValueError:
            return str(self.construct_scalar(node))
        return number if repr(number) == node.value or not math.isfinite(number) else str(node.value)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int | str:
        """An integer, or its text where it has more digits than Python reads (sys.get_int_max_str_digits)."""
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            return str(self.construct_scalar(node))

    def construct_yaml_bool(self, node: yaml.ScalarNode) -> bool | str:
        """A yes-or-no, or its text where a `!!bool` tag marks what is none (`!!bool maybe` crashed the note)."""
        try:
            return super().construct_yaml_bool(node)
        except KeyError:
            return str(self.construct_scalar(node))

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> str:
        """A date or time tagged `!!timestamp` as written: YAML 1.2 has no timestamps (and "2025-02-30" lost
        every key of the note)."""
        return str(self.construct_scalar(node))

    def construct_yaml_set(self, node: yaml.MappingNode) -> Iterator[list[Any]]:
        """`!!set {a, b}` as the list of its items (it was the text "{'b', 'a'}", one tag)."""
        items: list[Any] = []
        yield items
        items.extend(self.construct_mapping(node))

    def construct_yaml_binary(self, node: yaml.ScalarNode) -> str | LeftOut:
        """`!!binary` as the text it encodes (it was Python's "b'...'"); data that is no text is left out."""
        try:
            text = base64.b64decode(str(self.construct_scalar(node)), validate=False).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return LeftOut()
        return LeftOut() if any(not char.isprintable() and char not in "\t\n\r" for char in text) else text

    def construct_untagged(self, node: yaml.Node) -> Any:
        """A value under a tag YAML's core schema does not have (`!ENV`, `!!python/tuple`) read as if it had
        none, with a warning (it lost every key of the note)."""
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        doubt(f"front matter: the tag `{tag}` is not read; its value is kept as written")
        if isinstance(node, yaml.ScalarNode):
            return str(self.construct_scalar(node))
        if isinstance(node, yaml.SequenceNode):
            return self.construct_sequence(node, deep=True)
        return self.construct_mapping(node, deep=True)


class LeftOut:
    """A front matter value that is no text (`!!binary` image data), left out of the metadata with a warning."""


def _as_text(node: yaml.Node) -> yaml.Node:
    if isinstance(node, yaml.ScalarNode):
        return node
    return yaml.ScalarNode("tag:yaml.org,2002:str", " ".join(yaml.serialize(node).split()))


MERGE = "tag:yaml.org,2002:merge"  # `<<: *base`: the keys it brings are meant to be overridden


def _note_repeated_keys(keys: Iterable[str]) -> None:
    """Note (base.doubt) each key a mapping repeats: YAML 1.2 and JSON leave it undefined, the readers keep the
    last value, and the user sees one of theirs gone."""
    for key, count in Counter(keys).items():
        if count > 1:
            doubt(f"front matter key `{key}` is given {count} times; the last value is kept")


# YAML 1.2's core schema for what a plain scalar is (but a number with a leading zero, "010", stays text where
# YAML 1.2 reads 10), where PyYAML reads YAML 1.1's: "NO" (Norway), "yes", "on"
# and "off" were booleans, "12:30" the number 750 (base 60) and "010" the octal 8, and keys merged ("yes", "on"
# and "True" are one key in YAML 1.1). Anything else is the text the user wrote ("010" too, a room's number).
CORE_SCHEMA = {
    "tag:yaml.org,2002:bool": (r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    "tag:yaml.org,2002:int": (r"^(?:[-+]?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+)$", "-+0123456789"),
    "tag:yaml.org,2002:float": (
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
}
TIMESTAMP = "tag:yaml.org,2002:timestamp"  # YAML 1.1's; in YAML 1.2 "2024-03-01" is text, kept as written
for _tag, _constructor in {
    "int": BoundedYAMLLoader.construct_yaml_int,
    "float": BoundedYAMLLoader.construct_yaml_float,
    "bool": BoundedYAMLLoader.construct_yaml_bool,
    "timestamp": BoundedYAMLLoader.construct_yaml_timestamp,
    "set": BoundedYAMLLoader.construct_yaml_set,
    "binary": BoundedYAMLLoader.construct_yaml_binary,
}.items():
    BoundedYAMLLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _constructor)
BoundedYAMLLoader.add_constructor(None, BoundedYAMLLoader.construct_untagged)
BoundedYAMLLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in CORE_SCHEMA and tag != TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _tag, (_pattern, _first) in CORE_SCHEMA.items():
    BoundedYAMLLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def _expanded_values(node: yaml.Node, sizes: dict[int, int], open_nodes: set[int]) -> int:
    """How many values the node stands for with its aliases expanded (each shared node measured once, its size
    kept in `sizes`: their count is the document's own nodes)."""
    if id(node) in sizes:
        return sizes[id(node)]
    if id(node) in open_nodes:
        raise yaml.YAMLError("an alias refers to the value that holds it")
    open_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    else:
        children = node.value if isinstance(node, yaml.SequenceNode) else []
    size = 1 + sum(_expanded_values(child, sizes, open_nodes) for child in children)
    open_nodes.discard(id(node))
    sizes[id(node)] = size
    return size


class BoundedYAMLFrontMatter(YAMLHandler):
    """YAML front matter read with BoundedYAMLLoader, closed by `---` or, as YAML's document end and pandoc's
    front matter allow, by `...`."""

    def split(self, text: str) -> tuple[str, str]:
        _, raw, body = YAML_FENCE.split(text, 2)
        return raw, body

    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=BoundedYAMLLoader)


YAML_FENCE = re.compile(r"^(?:-{3,}|\.{3})\s*$", re.MULTILINE)  # the opening `---` (detect_format), the closing one


class CheckedJSONFrontMatter(JSONHandler):
    """Hugo's JSON front matter (an object whose braces stand on lines of their own), read with load_json (an
    integer of thousands of digits kept as text), a repeated key noted."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return load_json(fm, object_pairs_hook=_last_of_repeated)


def _last_of_repeated(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    _note_repeated_keys(key for key, _ in pairs)
    return dict(pairs)


HANDLERS = [BoundedYAMLFrontMatter(), CheckedJSONFrontMatter(), TOMLFrontMatter()]


def _lines_with_ends(text: str) -> list[str]:
    """The text's lines, each with its "\n": lines as markdown-it and editors count them (str.splitlines also
    splits at form feeds and U+2028, which would put headings off by a line)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _key(key: Any) -> str:
    """A metadata key as a user types it in `--where`: YAML's null and booleans as YAML writes them."""
    if key is None:
        return "null"
    return str(key).lower() if isinstance(key, bool) else str(key)


def _string_keys(value: Any) -> Any:
    """YAML allows any scalar as a key (a date, a number); metadata keys are strings, as a user types them. A
    value JSON has no number for (YAML's `.nan`, `.inf`) is its text: `search --json` and the API print JSON."""
    if isinstance(value, dict):
        return {_key(key): _string_keys(item) for key, item in value.items() if not _left_out(key, item)}
    if isinstance(value, list):
        return [_string_keys(item) for item in value if not _left_out("", item)]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _left_out(key: Any, value: Any) -> bool:
    if not isinstance(key, LeftOut) and not isinstance(value, LeftOut):
        return False
    where = f" `{_key(key)}`" if key and not isinstance(key, LeftOut) else ""
    doubt(f"front matter value{where} is binary data, not text; it was left out")
    return True


def _split_front_matter(text: str) -> tuple[dict[str, Any], str, list[str]]:
    """(metadata, body, warnings) of a note with YAML (`---`), JSON (`{` ... `}`) or TOML (`+++`) front matter. Front
    matter that cannot be read, or is not `key: value` pairs, leaves its lines in the body as text (its fences
    blanked, so they make no heading), with a warning that says where. A first `---` line with no closing one is
    a thematic break, not front matter."""
    handler = frontmatter.detect_format(text, HANDLERS)
    if handler is None:
        return {}, text, []
    try:
        raw, body = handler.split(text)
    except ValueError:  # no closing fence
        return {}, text, []
    try:
        metadata = handler.load(raw)
    except RecursionError:
        return {}, _without_fences(text, raw), ["front matter nests too deep to read; its keys were not read"]
    except (yaml.YAMLError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        began, context = getattr(exc, "context_mark", None), getattr(exc, "context", None)
        if mark and began and context and mark.line >= raw.count("\n"):
            # noticed at the front matter's end: say where it began ("while scanning a quoted scalar": its line)
            mark, problem = began, f"{problem} {context}"
        where = f" at line {text[: max(text.find(raw), 0)].count(chr(10)) + mark.line + 1}" if mark else ""
        return {}, _without_fences(text, raw), [f"front matter{where}: {problem}; its keys were not read"]
    if metadata is not None and not isinstance(metadata, dict):
        return {}, _without_fences(text, raw), ["front matter is not `key: value` pairs; its keys were not read"]
    try:
        return _string_keys(metadata or {}), body, []
    except RecursionError:  # JSON front matter its reader took, nested past what Python's stack holds
        return {}, _without_fences(text, raw), ["front matter nests too deep to read; its keys were not read"]


def _without_fences(text: str, raw: str) -> str:
    """The note with the front matter's opening and closing fence lines left empty (line numbers kept)."""
    lines = _lines_with_ends(text)
    closing = 1 + len(_lines_with_ends(raw.strip("\n")))
    for index in (0, closing):
        if index < len(lines):
            lines[index] = "\n" if lines[index].endswith("\n") else ""
    return "".join(lines)


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
    lines = _lines_with_ends(body)
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
    lines = _lines_with_ends(body)
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
        title=(", ".join(map(str, title)) if isinstance(title, list) else str(title)) if title else h1,
        tags=list(tags),
        links=list(links),
        metadata=metadata,
        source=text,
        warnings=warnings,
    )

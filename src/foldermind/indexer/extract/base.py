"""What every extractor returns: text in sections, each with where it sits in the document."""

from __future__ import annotations

import codecs
import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import PurePath
from typing import Any, Generic, Literal, TypeVar

from charset_normalizer import from_bytes

from foldermind.errors import ExtractionError
from foldermind.indexer.normalize import normalize_text, unicode_encoding

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Section:
    """A run of text under one heading path or on one page; `start` is its offset in the document text."""

    text: str
    heading: tuple[str, ...] = ()
    page: int | None = None
    start: int = 0
    # Records: a table's rows or a record file's objects (a sheet, CSV, JSON), whose chunks are embedded under the
    # document's title (chunk.chunk_section); not prose, nor a document's table among its paragraphs.
    records: bool = False


@dataclass(frozen=True)
class Media:
    """How pictures and recordings are read ([indexer] in config.toml): the speech model ("tiny.en", shipped;
    another faster-whisper name, fetched by huggingface_hub on first use; or a folder), the OCR engine
    ("auto": tesseract where installed, else RapidOCR) and tesseract's languages ("eng", "eng+deu")."""

    speech_model: str = "tiny.en"
    ocr_engine: Literal["auto", "tesseract", "rapidocr"] = "auto"
    ocr_language: str = "eng"


DEFAULT_MEDIA = Media()


@dataclass(frozen=True)
class Example:
    """One training example of a user's example file: its chat messages, or why its line was rejected."""

    line: int
    messages: list[dict[str, str]] | None
    error: str | None


@dataclass
class Extracted:
    sections: list[Section]
    title: str | None = None
    tags: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    # The decoded file the sections' offsets point into, for formats that have lines (text, Markdown):
    # it turns a chunk's offset into the line number a user sees in an editor.
    source: str | None = None
    # Training examples, for a user's example file (NAME.train.jsonl): trained on as written, never held out.
    examples: list[Example] = field(default_factory=list)
    # What was left out or doubted while reading (a bad line, a malformed key): `status` lists these.
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(section.text for section in self.sections)


NAME_END = " .\t"  # what a name may end in past its suffix, as Windows drops it ("plan.md ", "notes.md.")


def suffix_of(path: PurePath) -> str:
    """The suffix a file is read by: lower case, less the spaces or dots its name ends in ("Plan.MD " is
    Markdown, "notes" has none: "")."""
    return PurePath(path.name.rstrip(NAME_END)).suffix.lower()


@dataclass(frozen=True)
class Part:
    """One document of a file that holds several (a mailbox's messages, an e-mail's attachments). `name` says
    where it sits in the file: "" the file itself, "3" a mailbox's third message, "3/lease.pdf" that message's
    attachment; the index names the document `PATH#NAME`. `file_type` is its own type where that is not the
    file's (an attachment's suffix: "pdf")."""

    name: str
    extracted: Extracted
    file_type: str | None = None


class SlowWork:
    """What the slow readers (OCR, speech) are doing now, a line per file, for `status` to show
    ("transcribing memo.m4a, 00:03:10 of 00:12:00"). Thread-safe: the daemon's server reads it while its
    indexing worker writes it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lines: dict[PurePath, str] = {}

    def report(self, path: PurePath, line: str) -> None:
        with self._lock:
            self._lines[path] = line

    def finish(self, path: PurePath) -> None:
        with self._lock:
            self._lines.pop(path, None)

    def lines(self) -> list[str]:
        with self._lock:
            return list(self._lines.values())


SLOW_WORK = SlowWork()


class Interrupted(Exception):
    """A slow reader stopped part way to let newer changes be indexed first; it keeps what it did and goes on
    from there when it is asked for the same file again (a changed file starts over)."""


Work = TypeVar("Work")


class PausedWork(Generic[Work]):
    """Slow readings that stopped for newer changes (Interrupted), by path, each kept with a digest of what it
    read (the file's bytes and the settings that read it) to go on from when asked for the same again; a
    changed file, or other settings, starts over. At most `keep` are kept: the oldest goes first, likely of a
    file gone since. Thread-safe."""

    def __init__(self, keep: int) -> None:
        self._keep = keep
        self._lock = threading.Lock()
        self._work: dict[PurePath, tuple[str, Work]] = {}

    def keep(self, path: PurePath, digest: str, work: Work) -> None:
        with self._lock:
            self._work.pop(path, None)
            while len(self._work) >= self._keep:
                self._work.pop(next(iter(self._work)))
            self._work[path] = (digest, work)

    def take(self, path: PurePath, digest: str) -> Work | None:
        """The work kept for `path` if it was of this `digest` (it is no longer kept either way), else None."""
        with self._lock:
            kept = self._work.pop(path, None)
        return kept[1] if kept is not None and kept[0] == digest else None


_yielding = threading.local()


@contextmanager
def yielding_to(waiting: Callable[[], bool]) -> Iterator[None]:
    """Within it, slow readers on this thread stop (raise Interrupted) at their next step once `waiting()`
    says other changes wait: the daemon passes whether its queue has any."""
    _yielding.waiting = waiting
    try:
        yield
    finally:
        _yielding.waiting = None


def stop_if_others_wait() -> None:
    """A slow reader's step is done (a stretch of speech): raises Interrupted when yielding_to says so."""
    waiting = getattr(_yielding, "waiting", None)
    if waiting is not None and waiting():
        raise Interrupted


_doubts = threading.local()


@contextmanager
def noting_doubts() -> Iterator[list[str]]:
    """Within it, what the readers on this thread doubt while decoding (`doubt`) is gathered in the list it
    gives: extract adds it to the file's warnings, which `status` lists."""
    outer = getattr(_doubts, "lines", None)
    _doubts.lines = []
    try:
        yield _doubts.lines
    finally:
        _doubts.lines = outer


def doubt(line: str) -> None:
    """Note something a reader read on a guess or left out ("2 bytes not valid UTF-8 ..."); outside
    noting_doubts it is logged."""
    lines = getattr(_doubts, "lines", None)
    if lines is None:
        log.warning("%s", line)
    else:
        lines.append(line)


LATIN_SCRIPT_ENCODINGS = {"cp1250", "cp1252", "cp1257", "latin_1", "iso8859_2", "iso8859_15", "mac_latin2", "cp850"}


def decode_text(data: bytes) -> str:
    """The text of a file, normalised (normalize.normalize_text): a Unicode encoding it marks with a BOM
    (UTF-8/16/32) or shows (UTF-16 without one), else UTF-8, else the best guess; binary content is refused,
    not garbled. A few places where a file breaks its encoding are read on a guess and noted (`doubt`):
    UTF-8 with a stray Windows-1252 byte (`_utf8_with_strays`), UTF-16 with an odd byte or lone surrogate, or
    with a line appended in UTF-8 (`_unicode_text`). Raises ExtractionError for binary content, or for a
    Unicode file broken in more than BROKEN_AT_MOST places a byte."""
    return normalize_text(_decode(data))


def without_unicode_marks(data: bytes) -> bytes:
    """For parsers that read bytes (e-mail, RTF): a file in a Unicode encoding it marks with a BOM or shows
    (UTF-16 without one) as UTF-8 without the BOM; any other data as it is. Raises ExtractionError where the
    file breaks the encoding it claims in more than a few places (decode_text)."""
    unicode = unicode_encoding(data)
    return data if unicode is None else _unicode_text(data, *unicode).encode("utf-8")


BROKEN_AT_MOST = 0.01  # places a byte at most where a Unicode file may break its encoding before it is refused as
# not that encoding: an odd byte appended by `echo >>` or a lone surrogate is a defect, a file of them another one
STRAY_NAMES = {"cp1252": "Windows-1252"}
WARNED_LINES = 10  # lines named one by one in a warning (a bad JSON line, a line of another encoding); then a count
STRAYS = {"utf-8": "cp1252"}  # how a stray byte in UTF-8 text is read: most often a Windows program's "’" or "é"
UTF16_LINE_END = {"utf-16-le": b"\n\x00", "utf-16-be": b"\x00\n"}
# A valid UTF-8 sequence of two to four bytes: text holding some is UTF-8, even where a stray byte of another
# encoding breaks it (a "’" pasted from a Windows program).
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# What such a sequence reads as when Windows-1252 bytes form it by chance (a capital's accent before a quote mark,
# "É’" is "ɒ"): C1 controls, IPA letters and spacing modifiers, which notes do not hold; they count for nothing.
ACCIDENTAL = re.compile("[\u0080-\u009f\u0250-\u02ff]")


def _unicode_text(data: bytes, encoding: str, skip: int) -> str:
    """The text of data in `encoding` after its BOM. Lines appended in UTF-8 after Latin UTF-16 text's last line
    end (`echo note >> file`) are read as UTF-8, a few broken places as `_with_strays` does; each noted (`doubt`).
    Raises ExtractionError where it breaks in more places, or is nothing but broken ones."""
    body = data[skip:]
    appended = b""
    if encoding in UTF16_LINE_END:
        end = body.rfind(UTF16_LINE_END[encoding]) + 2
        tail = body[end:] if end > 1 and end % 2 == 0 else b""
        latin = body[:end].count(0) * 5 >= end * 2  # Latin text: a NUL in every other byte; CJK text few
        if latin and tail.endswith(b"\n") and b"\x00" not in tail:
            try:
                tail.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                body, appended = body[:end], tail
                if tail.strip():
                    doubt(f"the last line is UTF-8 after {encoding.upper()} text (appended?); read as such")
    text = _with_strays(body, encoding, max(1, int(BROKEN_AT_MOST * len(body))), STRAYS.get(encoding), skip)
    if text is None or (body and not text.replace("\ufffd", "").strip() and not appended.strip()):
        raise ExtractionError(f"not valid {encoding.upper()} in many places; re-save it as UTF-8")
    return text + appended.decode("utf-8")


def _with_strays(
    data: bytes, encoding: str, breaks_at_most: int, stray_encoding: str | None = None, start: int = 0
) -> str | None:
    """data (at byte `start` of its file) decoded in `encoding`, each run of bytes that breaks it read in
    `stray_encoding` (U+FFFD where None or where that has no character) and noted (`doubt`); None where it
    breaks in more than `breaks_at_most` places. One pass (a codecs error handler, `_read_stray`)."""
    _strays.found, _strays.most, _strays.encoding = [], breaks_at_most, stray_encoding
    try:
        text = data.decode(encoding, STRAY_HANDLER)
    except UnicodeDecodeError:
        return None
    if found := _strays.found:
        how = f"as {STRAY_NAMES[stray_encoding]}" if stray_encoding else "as \ufffd"
        places = "1 place" if len(found) == 1 else f"{len(found):,} places"
        doubt(f"not valid {encoding.upper()} in {places} (the first at byte {start + found[0]:,}); read {how}")
    return text


_strays = threading.local()  # what `_with_strays` asks of `_read_stray`, and what it found (per thread)
STRAY_HANDLER = "foldermind-strays"


def _read_stray(error: UnicodeError) -> tuple[str, int]:
    """A codecs error handler: a run of bytes that breaks the encoding read in `_strays.encoding`; it gives up
    (raises the error) past `_strays.most` runs."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _strays.found.append(error.start)
    if len(_strays.found) > _strays.most:
        raise error
    stray = error.object[error.start : error.end]
    return (stray.decode(_strays.encoding, "replace") if _strays.encoding else "\ufffd"), error.end


codecs.register_error(STRAY_HANDLER, _read_stray)


HIGH_RUN = re.compile(rb"[\x80-\xff]+")
ASCII_LETTER = re.compile(rb"[A-Za-z]")
# Windows-1252's non-ASCII characters that Western text uses beside its accented letters; "ƒ" is left out, as it
# is Shift_JIS's katakana lead byte (0x83), and "¥" and "‚", Big5's and Shift_JIS's lead bytes, are no letters.
WESTERN_MARKS = set("…–—‘’“”€•«»°£§©®·¡¿×")


def _latin_with_accents(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 read as Latin letters with a few accents ("Tür zu!", "5 € per night",
    "don’t"): no more than two non-ASCII bytes in a row, more ASCII letters than them, and each a letter or a
    mark of Western text in Windows-1252. Cyrillic, Greek or Hebrew words are runs of three or more; a CJK
    character is two bytes, whose first reads as "¥", "‚" or "ƒ" in Windows-1252. charset_normalizer's
    statistics need more text than a note of a line or two has: it read "Tür zu!" as CJK and "€" as Cyrillic."""
    runs = list(HIGH_RUN.finditer(data))
    if max((len(run[0]) for run in runs), default=0) > 2 or len(ASCII_LETTER.findall(data)) < sum(
        len(run[0]) for run in runs
    ):
        return False
    for run in runs:
        try:
            accents = run[0].decode("cp1252")
        except UnicodeDecodeError:
            return False
        if not all((char.isalpha() and char != "ƒ") or char in WESTERN_MARKS for char in accents):
            return False
        beside = data[run.start() - 1 : run.start()] + data[run.end() : run.end() + 1]
        if len(run[0]) == 2 and accents.isalpha() and not ASCII_LETTER.search(beside):
            return False  # two letters alone ("王" in GBK reads "Íõ"); two accents are inside a word ("Grüße")
    return True


def _central_european(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 are Central European text in Windows-1250: a byte that is a letter there
    and no letter in Windows-1252 stands between two letters ("piątek" reads "pi¹tek", "Małgorzata" "Ma³gorzata"),
    and every other byte above ASCII is a letter there too. A Western symbol beside a letter ("15 m³", "½ kg",
    "Note¹ ") stands at a word's edge, and a quote mark inside a word ("don’t") is none of Windows-1250's
    letters."""
    try:
        western, central = data.decode("cp1252"), data.decode("cp1250")
    except UnicodeDecodeError:
        return False
    inside_word = any(
        not western[i].isalpha() and central[i].isalpha() and western[i - 1].isalpha() and western[i + 1].isalpha()
        for i in range(1, len(western) - 1)
    )
    return inside_word and all(char.isalpha() or char in WESTERN_MARKS for char in central if ord(char) > 127)


# The letters beyond ASCII that each language's alphabet uses (lower case): a text whose letters no one Western
# alphabet holds, and one Central European alphabet does when read in Windows-1250, is in Windows-1250 ("Brnì",
# "Øezníèková" hold Italian, French and Danish letters together; read so, "Brně", "Řezníčková" hold Czech's).
WESTERN_ALPHABETS = (
    "àâæçéèêëîïôœùûüÿ",  # French
    "àèéìíîòóùú",  # Italian
    "áéíñóúü",  # Spanish
    "áàâãçéêíóôõú",  # Portuguese
    "àçèéíïòóúü",  # Catalan
    "äöüß",  # German
    "áéëèïóöü",  # Dutch
    "æøåéó",  # Danish, Norwegian
    "åäöé",  # Swedish
    "åäöšž",  # Finnish
    "áæðéíóöúýþ",  # Icelandic
)
CENTRAL_ALPHABETS = (
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "ąćęłńóśźż",  # Polish
    "áéíóöőúüű",  # Hungarian
    "čćđšž",  # Croatian, Bosnian, Serbian
    "čšž",  # Slovenian
    "ăâîşţ",  # Romanian
)


def _in_one_alphabet(text: str, alphabets: tuple[str, ...]) -> bool:
    letters = {char for char in text.lower() if ord(char) > 127 and char.isalpha()}
    return any(letters <= set(alphabet) for alphabet in alphabets)


def _central_alphabet(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 are Central European text in Windows-1250 by its letters: read in
    Windows-1252 no one Western alphabet holds them all, read in Windows-1250 one Central European alphabet does
    (WESTERN_ALPHABETS). Czech, Hungarian and Croatian letters are Western ones in Windows-1252 ("ě" reads "ì",
    "ř" "ø", "ő" "õ"), so `_central_european`'s symbol inside a word does not show them."""
    try:
        western, central = data.decode("cp1252"), data.decode("cp1250")
    except UnicodeDecodeError:
        return False
    return not _in_one_alphabet(western, WESTERN_ALPHABETS) and _in_one_alphabet(central, CENTRAL_ALPHABETS)


def _decode(data: bytes) -> str:
    unicode = unicode_encoding(data)
    if unicode is not None:
        return _unicode_text(data, *unicode)
    if b"\x00" in data[:8192]:
        raise ExtractionError("binary content (NUL bytes) in a text file; rename it or add it to .foldermindignore")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if (strays := _utf8_with_strays(data)) is not None:
        return strays
    if _central_alphabet(data):
        return data.decode("cp1250")
    if _latin_with_accents(data):
        return data.decode("cp1252")
    guess = from_bytes(data).best()
    if guess is None:
        raise ExtractionError("not text in any known encoding; save it as UTF-8")
    if guess.encoding in LATIN_SCRIPT_ENCODINGS:
        # Short Latin-script texts cannot tell these apart by statistics; Western is the likeliest (as browsers do)
        # unless it shows no letter inside a word where Central European shows one (`_central_european`).
        if _central_european(data):
            return data.decode("cp1250")
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(guess)


def _utf8_with_strays(data: bytes) -> str | None:
    """UTF-8 text broken by a few bytes of another encoding (a "’" pasted from a Windows program as 0x92): no
    more places it breaks than valid UTF-8 sequences, each stray read as Windows-1252 (U+FFFD where that has no
    character); None for other data. Reading the whole file as Windows-1252 made every "é" of it "Ã©"."""
    sequences = sum(not ACCIDENTAL.match(found.decode("utf-8")) for found in UTF8_SEQUENCE.findall(data))
    if not sequences:
        return None
    return _with_strays(data, "utf-8", sequences, "cp1252") or _lines_of_two_encodings(data)


def _lines_of_two_encodings(data: bytes) -> str | None:
    """Text whose lines are UTF-8 or Windows-1252 (a note appended to by two programs): each line that is not
    UTF-8 read as Windows-1252, where none of those holds a UTF-8 sequence (it would be UTF-8 broken); noted."""
    lines = data.split(b"\n")
    western = [i for i, line in enumerate(lines) if not _is_utf8(line)]
    if any(UTF8_SEQUENCE.search(lines[i]) for i in western):
        return None
    try:
        text = "\n".join(line.decode("cp1252" if i in western else "utf-8") for i, line in enumerate(lines))
    except UnicodeDecodeError:
        return None
    numbers = ", ".join(str(i + 1) for i in western[:WARNED_LINES])
    doubt(
        f"line{'s' if len(western) > 1 else ''} {numbers}{' ...' if len(western) > WARNED_LINES else ''} not UTF-8"
        " like the rest; read as Windows-1252"
    )
    return text


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True)
class Row:
    """A table row's cell texts, one per grid column ("" under a cell merged from the left), and whether its
    format marks the cells as header cells: all of them (`header`), or the first alone (`labelled`: <th>
    beginning a row of <td>s, a key-value table); `merged`: the grid columns a cell on their left spans, where
    the format says so (a blank cell is no value of the column left of it); `labels`: the grid columns whose
    cell the format marks as a label (a header cell among data cells, or bold throughout where the rest is not:
    a form's "Employee | Ottavio Brennan | Staff number | SN-30817")."""

    cells: list[str]
    header: bool = False
    labelled: bool = False
    merged: frozenset[int] = frozenset()
    labels: frozenset[int] = frozenset()


STACKED_AT_MOST = 3  # header rows read as one, over each other ("2024" over "Q1" and "Q2"), at a table's top


def table_lines(rows: list[Row]) -> list[str]:
    """A table as lines that a reader and a search both understand, so that a row that lands in another chunk
    still says what its values are. The column names are the first row marked as header; in a table that
    marks none, the first row of more than one cell, unless the table has two columns: that is a form of
    labels and values (`Badge number: B-7731`), as is a row whose first cell alone is a header cell, and a table
    of label | value | label | value rows (`pairs_of_labels_and_values`: a field a line); a table of
    more columns whose every row is so is set sideways and read by column (`_columns_as_records`). A row of one
    cell (a caption, a group title) and the header row are lines of their own. Header rows over each other at
    the table's top are one header, each column named by both (`_stacked`: "2024 Q1")."""
    marked = any(row.header for row in rows)
    width = max((len(row.cells) for row in rows), default=0)
    led = [row for row in rows if sum(bool(cell) for cell in row.cells) > 1]
    if not marked and pairs_of_labels_and_values(rows):
        return [field for row in led for field in _labels_and_values(row.cells)]
    if width > 2 and not marked and led and all(row.labelled for row in led):
        return _columns_as_records(led)
    header: list[str] | None = None
    lines: list[str] = []
    stacked = False  # the row before was a header row: a header row under it names its columns' parts
    data = not all(row.header for row in rows)  # a table of header cells alone is not a header over its data
    for number, row in enumerate(rows):
        filled = [cell for cell in row.cells if cell]
        if len(filled) <= 1:
            lines.extend(filled)
            stacked = False
        elif (
            (
                (row.header and stacked)
                or (number == 1 and not marked and (_spans_both(header, row.cells) or spanned_over(rows[0], row.cells)))
            )
            and header is not None
            and data
            and number < STACKED_AT_MOST
            and _groups(header, row.cells)
        ):
            header = _stacked(header, row.cells)
            lines[-1] = " | ".join(name for name in header if name)
        elif row.header or (header is None and not marked and width > 2 and not row.labelled):
            header = row.cells
            lines.append(" | ".join(filled))
            stacked = row.header
        elif header is None or row.labelled:
            lines.append(f"{filled[0]}: {'; '.join(filled[1:])}")
            stacked = False
        else:
            lines.append(row_text(header, row.cells, row.merged))
            stacked = False
    return lines


def pairs_of_labels_and_values(rows: list[Row]) -> bool:
    """Whether a table of four columns or more (an even number) is a form laid out as label | value | label |
    value ("Employee: | Ottavio Brennan | Staff number: | SN-30817"), not a header over records: its even columns
    hold labels, each filled, none twice, none a header cell, every one ending in a colon or marked as a label by
    its format (`Row.labels`: a <th>, bold), and no value so marked. Without either a form's first row cannot be
    told from a header's ("Task | Due | Owner | Status", "Name | 2024 | Town | 2025": what a row's cells hold
    varies as a form's values do), and the header is the commoner."""
    rows = [row for row in rows if sum(bool(cell) for cell in row.cells) > 1]  # no caption, no group title
    width = max((len(row.cells) for row in rows), default=0)
    if width < 4 or width % 2 or len(rows) < 2 or any(row.header for row in rows):
        return False
    labels = [(row, column) for row in rows for column in range(0, width, 2)]
    texts = [row.cells[column] if column < len(row.cells) else "" for row, column in labels]
    marked = all(text.endswith(":") or column in row.labels for (row, column), text in zip(labels, texts, strict=True))
    values_unmarked = not any(column % 2 for row in rows for column in row.labels)
    return marked and values_unmarked and all(texts) and len(set(texts)) == len(texts)


def _labels_and_values(cells: list[str]) -> list[str]:
    """A row of a form's label | value pairs as `Label: value` fields (a label's colon said once), a line each: a
    form is one record, its rows' fields together, as a form of two columns is ("Department: Cartography" is of the
    "Employee: Ottavio Brennan" a row above; as one line a row, each row was read as a record of its own)."""
    pairs = zip(cells[0::2], cells[1::2], strict=False)
    return [f"{label.rstrip(':').strip()}: {value}" for label, value in pairs if value]


def nested_table_text(lines: list[str]) -> str:
    """A table inside a table's cell (table_lines' `lines`) on one line: its rows apart by " / ", its cells by ", "
    (a contact's "Phone: 555-0142 / Room: 12" under "Details"; not "; " or " | ", which part the row's own cells).
    Its header line ("Name | Phone") is left out where the rows below name their cells by it."""
    if len(lines) > 1 and " | " in lines[0] and lines[1].startswith(lines[0].split(" | ")[0] + ": "):
        lines = lines[1:]
    return " / ".join(line.replace("; ", ", ").replace(" | ", ", ") for line in lines)


def _spans_both(upper: list[str] | None, lower: list[str]) -> bool:
    """Whether a table that marks no header has one of two rows: the first names groups of columns ("Weekday"
    over a blank), the second fills each group's columns ("First", "Last"), and a column outside the groups
    repeats its name in both (a cell spanning both rows, "Route"), as LibreOffice writes a Word table of two
    header rows without marking them. A data row that repeats a header's word ("Yes" under "Yes") fills no
    group, or repeats a group's name."""
    if upper is None:
        return False
    lower = lower + [""] * (len(upper) - len(lower))
    grouped = {i for i, name in enumerate(upper) if not name or (i + 1 < len(upper) and not upper[i + 1])}
    grouped = {i for i in grouped if any(upper[j] for j in range(i + 1))}  # a blank before any name is no group
    repeated = {i for i, (name, below) in enumerate(zip(upper, lower, strict=False)) if name and name == below}
    return bool(grouped and repeated) and not repeated & grouped and all(lower[i] for i in grouped)


def spanned_over(upper: Row, lower: list[str]) -> bool:
    """Whether a table that marks no header has one of two rows by its first row's cells spanning columns
    (`Row.merged`): the second fills every column they span ("Spend (GBP)" over "Q1" and "Q2") and is blank
    elsewhere, or repeats the name above (a cell spanning both rows), as a Word table of two header rows is
    written when none is marked. A data row fills its first column ("Ann" under "Name")."""
    if not upper.merged:
        return False
    spanned = set(upper.merged) | {column - 1 for column in upper.merged}  # each spanning cell and its columns
    lower = lower + [""] * (len(upper.cells) - len(lower))
    outside = [cell for column, cell in enumerate(lower) if column not in spanned and column < len(upper.cells)]
    names = [upper.cells[column] for column in range(len(upper.cells)) if column not in spanned]
    return all(lower[column] for column in spanned) and all(
        not cell or cell == name for cell, name in zip(outside, names, strict=True)
    )


def _groups(upper: list[str], lower: list[str]) -> bool:
    """Whether a header row names groups of the columns below it: a name spans the blank cell after it ("2024",
    "", or the lower row's cells past the upper's end) and no cell is a form's field ("Project: Heron" over
    "Task | Owner" is a title row, not a group)."""
    spans = any(name and not after for name, after in pairwise(upper)) or len(lower) > len(upper) > 0
    return spans and not any(": " in name for name in upper)


def _stacked(upper: list[str], lower: list[str]) -> list[str]:
    """Column names of two header rows, one over the other ("2024" spanning "Q1" and "Q2"): each column's
    names joined ("2024 Q1"); a blank upper cell after a named one is taken for that cell spanning it (a blank
    header cell of its own cannot be told from one: readers give both as ""), and a name the rows repeat (a
    cell spanning both rows) is said once."""
    names: list[str] = []
    spanning = ""
    for i in range(max(len(upper), len(lower))):
        up = upper[i] if i < len(upper) else ""
        low = lower[i] if i < len(lower) else ""
        spanning = up or (spanning if low else "")
        names.append(" ".join(dict.fromkeys(name for name in (spanning, low) if name)))
    return names


def _columns_as_records(rows: list[Row]) -> list[str]:
    """A table set sideways (a label at the head of each row, "Day | Friday | Saturday" over "Doctor | Dr.
    Solberg | Dr. Birk") as a line per column, each value with its row's label: `Day: Friday; Doctor: Dr.
    Solberg`, so that a value keeps what it goes with across the rows."""
    labels = [row.cells[0] for row in rows]
    columns = [
        [row.cells[i] if i < len(row.cells) else "" for row in rows]
        for i in range(1, max(map(len, (r.cells for r in rows))))
    ]
    return [row_text(labels, column) for column in columns if any(column)]


def row_text(header: list[str], cells: list[str], merged: frozenset[int] = frozenset()) -> str:
    """One table row as `Header: value; Header: value`. A cell under no column name is its own, but where a named
    column is left of it with none between that has a name: a header cell merged across columns names them all,
    their values one ("Crew: Skipper, Rosalind Ferncastle" under a "Crew" spanning two columns). A cell spanning
    columns (the next ones `merged`) is named by each ("Morning, Afternoon: Dr. Anselm Kitteridge"), once."""
    parts: list[str] = []
    named = False  # the columns left of this one, back to a named one, are under that name
    for column, cell in enumerate(cells):
        name = header[column] if column < len(header) else ""
        named = bool(name) or (named and column < len(header))
        if not cell:
            continue
        end = column + 1
        while end in merged:
            end += 1
        if name and end > column + 1:
            name = ", ".join(dict.fromkeys(header[i] for i in range(column, min(end, len(header))) if header[i]))
        if name or not named or not parts:
            parts.append(f"{name}: {cell}" if name else cell)
        else:
            parts[-1] += f", {cell}"
    return "; ".join(parts)


def sheet_section(name: str, rows: list[list[str]]) -> Section:
    """A spreadsheet's sheet as one section of records: each row with the first row's cells as its column names
    (base.row_text), under the sheet's name as its heading when it has one."""
    lines = table_lines([Row(cells, header=i == 0) for i, cells in enumerate(rows)])
    return Section(text="\n".join(lines), heading=(name,) if name else (), records=True)


def first_heading(sections: list[Section]) -> str | None:
    """The top of the first heading path: a document's visible title when its format stores none."""
    return next((section.heading[0] for section in sections if section.heading), None)


# A footer's "Page 2 of 7", "2/7", and "Page of" (its fields' values not saved, as generators write them).
PAGE_NUMBER = re.compile(r"(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?|page(?:\s+of)?", re.IGNORECASE)


def page_margin_lines(texts: list[str]) -> list[str]:
    """The lines of a document's page headers and footers worth reading: each once, in order, without blanks
    and page numbers (a letterhead's address and a form's reference stay)."""
    lines = (" ".join(text.split()) for text in texts)
    return list(dict.fromkeys(line for line in lines if line and not PAGE_NUMBER.fullmatch(line)))


def in_order(sections: list[Section]) -> list[Section]:
    """The sections that are not blank, each `start`ing where it stands in the document's text (Extracted.text
    joins them with a blank line)."""
    found: list[Section] = []
    at = 0
    for section in sections:
        if section.text.strip():
            found.append(replace(section, start=at))
            at += len(section.text) + 2
    return found


def plain_sections(text: str, records: bool = False) -> list[Section]:
    """The text as one section, none where it is blank; `records` as Section's."""
    return [Section(text=text, records=records)] if text.strip() else []


class SectionBuilder:
    """Paragraphs collected under the current heading path; a heading closes the section before it.
    For formats whose structure comes as a stream of headings and paragraphs (Word, HTML)."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.path: list[tuple[int, str]] = []
        self.body: list[str] = []
        self.offset = 0

    def heading(self, level: int, text: str) -> None:
        self.flush()
        self.path = [(lvl, name) for lvl, name in self.path if lvl < level] + [(level, text)]

    def paragraph(self, text: str) -> None:
        self.body.append(text)

    def flush(self) -> None:
        text = "\n\n".join(self.body).strip()
        if text:
            self.sections.append(Section(text=text, heading=tuple(name for _, name in self.path), start=self.offset))
            self.offset += len(text) + 2
        self.body = []

    def finish(self) -> list[Section]:
        self.flush()
        return self.sections

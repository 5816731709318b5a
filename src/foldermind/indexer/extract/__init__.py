"""One extractor per file type behind one signature: (bytes, path) -> Extracted."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import PurePath
from typing import BinaryIO

from foldermind.errors import EMPTY_FILE, ExtractionError
from foldermind.indexer.extract.audio import extract_audio
from foldermind.indexer.extract.base import DEFAULT_MEDIA, Extracted, Media, Part, Section, noting_doubts, suffix_of
from foldermind.indexer.extract.data import extract_csv, extract_json, extract_jsonl
from foldermind.indexer.extract.docx import extract_docx
from foldermind.indexer.extract.epub import extract_epub
from foldermind.indexer.extract.examples import extract_examples, is_examples_file
from foldermind.indexer.extract.html import extract_html
from foldermind.indexer.extract.mail import eml_parts, extract_eml, read_mbox
from foldermind.indexer.extract.markdown import extract_markdown
from foldermind.indexer.extract.msg import extract_msg, msg_parts
from foldermind.indexer.extract.notebook import extract_notebook
from foldermind.indexer.extract.ocr import extract_image
from foldermind.indexer.extract.odf import extract_ods, extract_odt
from foldermind.indexer.extract.pdf import extract_pdf
from foldermind.indexer.extract.pptx import extract_pptx
from foldermind.indexer.extract.rtf import extract_rtf
from foldermind.indexer.extract.text import TABLE_SUFFIXES, extract_text
from foldermind.indexer.extract.xlsx import extract_xlsx
from foldermind.indexer.normalize import normalize_text

# The version of the reading code: raise it when any extractor, or the normalisation, reads files differently.
# The manifest stores it per document and per failure, so the next index re-reads what an older version read
# (unchanged chunks keep their vectors: embedding reuses them by text hash).
# 2: trafilatura for HTML, PDFium for PDF, table rows with their header (Word, HTML, Markdown), UTF-16/32,
#    line ends, front matter keys,
#    JSON depth, JSON Lines' good lines, text normalised once (normalize.py).
# 3: header cells and merged cells in tables, loose HTML text, hidden HTML, PDF furniture only when exact,
#    JSON front matter, unmarked UTF-16/32 of any script, U+2028 not a line end.
# 4: UTF-16 surrogate halves (an emoji in a PDF) joined; a lone half is U+FFFD, not a crash of the chunker.
# 5: OCR of scanned PDF pages and images, speech, e-mail, e-books, slides, sheets, OpenDocument, RTF, notebooks.
# 6: a mailbox's messages and an e-mail's attachments are documents of their own; Outlook messages (.msg).
# 7: HTML text and inline elements beside blocks are one paragraph (DocBook's <div class="para">).
# 8: an HTML heading's permalink ("¶", "#") is not part of the heading.
READER_VERSION = 8
# A later version for the readers of some types only, so that a fix of one reader does not read every other
# file again (a scan's OCR, a recording's transcript). READER_VERSION, once raised, must pass all of these.
# 9: hyphens and minus signs as "-" (groff's "−−gzip" in a PDF); in a PDF, PostScript's "˜" and "ˆ" as "~" and
#    "^", and running lines that differ only by the page's number (a manual page's footer) left out: every type
#    but images and recordings (OCR and speech write no such characters, and reading them again takes minutes).
# 10: an HTML box among the text (a sidebar, <aside>, a footnote) is read: HTML and what holds it (e-books,
#     mail); and what 9 reads.

Extractor = Callable[[bytes, PurePath], Extracted]
# Readers of what may need OCR or speech recognition, which config.toml's [indexer] tunes (base.Media).
MediaExtractor = Callable[[bytes, PurePath, Media], Extracted]
# Files of several documents, read whole: (bytes, path, media) -> the documents.
PartsReader = Callable[[bytes, PurePath, Media], Iterator[Part]]
# A file of several documents read from the open file, not from its bytes: (file, path, max bytes a message).
StreamReader = Callable[[BinaryIO, PurePath, int, Media], Iterator[Part]]

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
IMAGE_SUFFIXES = [".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp"]
AUDIO_SUFFIXES = [".wav", ".mp3", ".m4a", ".ogg", ".oga", ".flac", ".opus", ".webm"]
# Types whose reading takes seconds to minutes (OCR, speech): read after the quick ones (pipeline._batches).
SLOW_SUFFIXES = frozenset(IMAGE_SUFFIXES + AUDIO_SUFFIXES)

EXTRACTORS: dict[str, Extractor] = {
    **dict.fromkeys(TEXT_SUFFIXES, extract_text),
    **dict.fromkeys(CODE_SUFFIXES, extract_text),
    ".md": extract_markdown,
    ".markdown": extract_markdown,
    ".docx": extract_docx,
    ".html": extract_html,
    ".htm": extract_html,
    ".json": extract_json,
    ".jsonl": extract_jsonl,
    ".ndjson": extract_jsonl,  # newline-delimited JSON: JSON Lines by another name
    ".csv": extract_csv,
    ".tsv": extract_csv,
    ".tab": extract_csv,  # tab-separated values, as tz's zone1970.tab and iso3166.tab are named
    ".eml": extract_eml,
    ".msg": extract_msg,
    ".epub": extract_epub,
    ".pptx": extract_pptx,
    ".xlsx": extract_xlsx,
    ".xlsm": extract_xlsx,
    ".ods": extract_ods,
    ".odt": extract_odt,
    ".rtf": extract_rtf,
    ".ipynb": extract_notebook,
}

MEDIA_EXTRACTORS: dict[str, MediaExtractor] = {
    ".pdf": extract_pdf,
    **dict.fromkeys(IMAGE_SUFFIXES, extract_image),
    **dict.fromkeys(AUDIO_SUFFIXES, extract_audio),
}

# Files of several documents: an e-mail and its attachments (read whole), a mailbox (read from the open file, so
# that a 2 GB export is never in memory and max_file_mb applies to each message, not to the mailbox).
PARTED: dict[str, PartsReader] = {".eml": eml_parts, ".msg": msg_parts}
STREAMED: dict[str, StreamReader] = {".mbox": read_mbox}

READER_VERSIONS = {
    **dict.fromkeys([*EXTRACTORS, ".pdf", *STREAMED], 9),
    # .json: a list of objects up to 4 keys down is one paragraph per object (11); invalid JSON is read as text (12)
    # .rtf: a table as rows with their header, footnotes kept (12)
    # every type that decodes text itself (16): UTF-16 without a BOM is read in its byte order (Latin text once
    # became CJK) and ASCII with a stray NUL is not taken for it; an RTF file (and an e-mail, below) saved as
    # UTF-16 or with a BOM is read; a .txt of tab-separated columns under their names is a table; a short Western
    # text that is not UTF-8 reads as Windows-1252, not as CJK or Cyrillic (17; Markdown and HTML too)
    **dict.fromkeys([*TEXT_SUFFIXES, *CODE_SUFFIXES, ".json", ".jsonl", ".csv", ".tsv", ".rtf", ".ipynb"], 17),
    # Markdown: a note opening with a "---" rule and no closing fence is read, TOML front matter is metadata (12);
    # front matter whose YAML aliases loop or explode, or that nests too deep, is a warning, the note read (16)
    **dict.fromkeys([".md", ".markdown"], 17),
    # HTML and what holds it: a table whose cells hold paragraphs or line breaks is read as rows, code keeps its
    # lines, captions are read, a footnote's bare mark is no part of its sentence (13); a definition list sets each
    # term over its indented definition, an item's second paragraph is indented under it, a <details> box is read
    # with its summary, a table of row labels reads each row as its label's values (17); text held by a <section>
    # or <center> alone is read, elements side by side are not glued into one word, a cell spanning rows is read
    # in each, a header of two rows as one ("2024 Q1"), a layout table's menu cell left out, and an e-mail saved as
    # UTF-16 or with a BOM has its unencoded bodies read in that encoding, not their declared charset's (18)
    **dict.fromkeys([".html", ".htm", ".epub", ".eml", ".mbox", ".msg"], 18),
    # Word: a table in a cell, foot- and endnotes (13); content controls (not their prompts), tracked insertions,
    # text boxes, positioned tabs and page headers and footers (15); a header of two rows names each column by both
    # ("2024 Q1") (16)
    ".docx": 16,
    # OpenDocument text: a footnote read once, after its paragraph (12); a text frame or shape the same, a
    # picture's title kept, the used page styles' headers and footers read, tracked deletions and comments not (15);
    # a cell spanning rows read in each (16, spreadsheets too: a merged block keeps the values beside it in their
    # columns), a header of two rows as one
    **dict.fromkeys([".odt", ".ods"], 16),
    # PDF: paragraphs apart by a blank line where the page sets them apart or a line ends a sentence short of its
    # column (17; a scanned PDF is read by OCR again, once); a browser's printed header and footer left out, with
    # its page count "1/2", on two pages too (18)
    ".pdf": 18,
    # Excel: a number as the sheet shows it (a percentage, a postcode's zeros, an amount's currency) (16)
    **dict.fromkeys([".xlsx", ".xlsm"], 16),
    # chunking, not reading: a chunk's overlap holds a block of lines (a record, a table, a list) whole or not at
    # all (19): every type but images and recordings, as for 9
    **dict.fromkeys([*EXTRACTORS, ".pdf", *STREAMED], 19),
    # every type that decodes text itself: a short Central European text that is not UTF-8 reads as Windows-1250
    # where a byte that is a letter there stands in a word Windows-1252 shows with a symbol ("pi¹tek"); JSON: an
    # integer of more than 4,300 digits kept as its text,
    # JSON Lines that are values over several lines (`jq .`) or one array read as records; Markdown: JSON front
    # matter nested past the stack a warning (20). HTML and what holds it: two line breaks in a row (<br><br>), a
    # browser's blank line, end a paragraph, an <article> inside a page's <main> is read with the rest of it, a
    # table of one cell a row (a layout column) as its blocks (20); PDF: a running head whose page number stands
    # between dashes ("-2-") is left out (20); tables: two unmarked header rows, a cell spanning both, are one
    # header (20, Word, OpenDocument, PowerPoint and RTF too: RTF is a type that decodes text)
    **dict.fromkeys(
        [*TEXT_SUFFIXES, *CODE_SUFFIXES, ".json", ".jsonl", ".csv", ".tsv", ".rtf", ".ipynb", ".md", ".markdown"], 20
    ),
    **dict.fromkeys([".html", ".htm", ".epub", ".eml", ".mbox", ".msg", ".pdf", ".docx", ".odt", ".ods", ".pptx"], 20),
    # every type that decodes text itself, HTML and e-mail too: UTF-8 with a stray Windows-1252 byte keeps its
    # accents, UTF-16 broken in a place or two or with a line appended in UTF-8 is read with a warning (21)
    **dict.fromkeys(
        [*TEXT_SUFFIXES, *CODE_SUFFIXES, ".json", ".jsonl", ".csv", ".tsv", ".rtf", ".ipynb", ".md", ".markdown"], 21
    ),
    **dict.fromkeys([".html", ".htm", ".eml", ".mbox"], 21),
    # front matter: a key given twice is a warning, an integer of thousands of digits its text, a title given as
    # a list its items, a decimal as written ("1.10"), a list as a key its text, `...` its end (22)
    **dict.fromkeys([".md", ".markdown"], 22),
    # JSON: null, true and false as JSON writes them (Python's None, True, False), a decimal as written (22)
    **dict.fromkeys([".json", ".jsonl"], 22),
    # HTML and what holds it: a page's <main> is read whole (a block a blog theme names inside it was taken for the
    # main part), Word's <o:p> unwrapped, a bold first row a header, a cell of paragraphs spanning rows repeated (22)
    **dict.fromkeys([".html", ".htm", ".epub", ".eml", ".mbox", ".msg"], 22),
    # Word and OpenDocument: a table inside a cell read in that cell, a first row in a heading style or bold a
    # Word table's header, a paragraph in a title or heading style an OpenDocument heading (22)
    **dict.fromkeys([".docx", ".odt"], 22),
    # PDF: a footnote's raised mark apart from the word before it, and no line end after it (22)
    **dict.fromkeys([".pdf"], 22),
    # chunking, not reading: a table's or a record file's chunks embedded under the document's title (23): record
    # files, spreadsheets, and text, which may be a spreadsheet's tab-separated export; not what holds them (an
    # e-mail's attached sheet is embedded so when its message is read again: a mailbox is not re-read for it)
    **dict.fromkeys([".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".xlsx", ".xlsm", ".ods", *TABLE_SUFFIXES], 23),
    # a table's leading comment lines are a section of notes before its rows, not its header; the last of them
    # names the columns where it fits the rows (24)
    **dict.fromkeys([".csv", ".tsv", ".tab"], 24),
    # indexing, not reading: a chunk of records is marked so, for a search among records alone (25): the types of
    # 23, and .tab
    **dict.fromkeys(
        [".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".tab", ".xlsx", ".xlsm", ".ods", *TABLE_SUFFIXES], 25
    ),
    # PDF: a ruled table read by its cells, each row with its column names, as a Word or web page table (26)
    **dict.fromkeys([".pdf"], 26),
    # HTML and what holds it: what the page's own style sheets hide is not read, a label and its value in spans side
    # by side are two words (27); PDF: a table going on over pages reads each page's rows under its column names (27)
    **dict.fromkeys([".html", ".htm", ".epub", ".eml", ".mbox", ".msg", ".pdf"], 27),
    # the same, reviewed: an inline block is no box of its own, a page's first row holding its columns' values
    # above goes on under the table's names (28)
    **dict.fromkeys([".html", ".htm", ".epub", ".eml", ".mbox", ".msg", ".pdf"], 28),
    # PDF: a glyph PDFium has no Unicode for (a ligature named "f_f_i" with no ToUnicode table) read by pdfminer
    # from the same font, one neither reads left out, never a control character (29)
    **dict.fromkeys([".pdf"], 29),
    # JSON nested deeper than Python's reader takes: read down to 500 levels with a warning, not skipped (30)
    **dict.fromkeys([".json"], 30),
    # Word: a table of records in a cell reads its rows by their column names, a row's cells under a header cell
    # merged across columns are one value under its name ("Crew: Skipper, Rosalind Ferncastle") (31)
    **dict.fromkeys([".docx"], 31),
    # HTML and what holds it: a table laid out with <div>s (rows of short cells) reads each row on one line, under
    # its header row as a <table>'s rows (31); text and code: a form feed ends a page, never read, the line numbers
    # an editor's (31)
    **dict.fromkeys([".html", ".htm", ".epub", ".eml", ".mbox", ".msg", *TEXT_SUFFIXES, *CODE_SUFFIXES], 31),
    # every type with tables: a row's cells under a header cell merged across columns are one value under its
    # name ("Crew: Skipper, Rosalind Ferncastle"; the second was a cell of no column) (32)
    **dict.fromkeys([*EXTRACTORS, ".pdf", *STREAMED], 32),
    # Markdown: front matter as YAML 1.2 reads it, a date or time kept as written ("2025-02-30" lost every key,
    # "2024-03-01T10:00:00Z" was "2024-03-01 10:00:00+00:00"; TOML's too), `!!set` a list, `!!binary` its text
    # (data that is no text left out with a warning), a tag YAML's core schema lacks (`!ENV`) read untagged with a
    # warning, `!!bool maybe` and `!!float abc` their text (33); PDF: a page of one printed from a browser read
    # without its header (date, time, title) and footer (address, "1/1") (33)
    **dict.fromkeys([".md", ".markdown", ".pdf"], 33),
    # HTML and what holds it: what a button or link on the page opens (an id its onclick, aria-controls,
    # data-(bs-)target or #href names; the element right after a control whose onclick shows something or that
    # has aria-expanded; a <details> box's body) is read though a style, an inline style or `hidden` hides it, and
    # the button's or link's own text (an FAQ's question) with it (34)
    **dict.fromkeys([".html", ".htm", ".epub", ".eml", ".mbox", ".msg"], 34),
    # the same, reviewed: a control whose script only hides (a notice's "Dismiss" adding "hidden") opens nothing (35)
    **dict.fromkeys([".html", ".htm", ".epub", ".eml", ".mbox", ".msg"], 35),
    # chunking, not reading: a sentence too long for one chunk (a PDF's header, a table's run of cells) is cut
    # between words, not inside a name MiniLM writes in several tokens (`Embedder.windows`) (36): every type but
    # images and recordings, as for 9
    **dict.fromkeys([*EXTRACTORS, ".pdf", *STREAMED], 36),
    # PDF: a sentence a page break cuts is read whole on the page it starts on; a running head numbered below its
    # page's place (front matter numbered apart) is left out (37)
    **dict.fromkeys([".pdf"], 37),
    # JSON: nested at any depth read whole (by ijson below Python's limit), a key path of more than 8 keys shown
    # as its first key and last 6; .jsonl and notebooks name a bad line's place after json's "starting at" (38);
    # every type but images and recordings, as for 9: the long s ("Laſt", a PDF's "st" ligature) an "s" (38)
    **dict.fromkeys([*EXTRACTORS, ".pdf", *STREAMED], 38),
    # JSON: an array cut off part way (an export) reads its whole items as records, the rest as text (39)
    **dict.fromkeys([".json"], 39),
    # tables of HTML (and what holds it), Word and OpenDocument text: a data cell spanning columns is read under
    # each column's name, once ("Morning, Afternoon: Dr. Anselm Kitteridge") (39)
    **dict.fromkeys([".html", ".htm", ".epub", ".eml", ".mbox", ".msg", ".docx", ".odt"], 39),
    # PDF: a Title naming the file it was printed from ("wardens.html", "Microsoft Word - rota.docx") is none (39)
    **dict.fromkeys([".pdf"], 39),
    # Word, OpenDocument and HTML tables: a first row's cell spanning columns that the row below fills names their
    # group ("Spend (GBP)" over "Q1" and "Q2": "Spend (GBP) Q1: 4,100"); a form laid out as label | value | label
    # | value is read as its fields ("Employee: Ottavio Brennan; Staff number: SN-30817") (40)
    **dict.fromkeys([".html", ".htm", ".epub", ".eml", ".mbox", ".msg", ".docx", ".odt"], 40),
    # PDF: a hyphen ending a line inside a compound is kept ("waffle-iron"), a split word joined (40)
    **dict.fromkeys([".pdf"], 40),
    # Markdown: an unreadable front matter's warning names the line its fault began on (an unclosed quote's) (40)
    **dict.fromkeys([".md", ".markdown"], 40),
    # Word and OpenDocument text: a Title-styled paragraph is over the Heading 1 sections, the document's title (41)
    **dict.fromkeys([".docx", ".odt"], 41),
    # PDF: a line-end hyphen before a capital is a name's ("Ashworth-" over "Rudd": "Ashworth-Rudd") (41)
    **dict.fromkeys([".pdf"], 41),
    # Word, OpenDocument and HTML tables: a form's labels marked by the format (bold throughout, <th> beside <td>)
    # tell it from a header over records as colons do ("Employee | Ottavio Brennan | Staff number | SN-30817") (42)
    **dict.fromkeys([".html", ".htm", ".epub", ".eml", ".mbox", ".msg", ".docx", ".odt"], 42),
    # HTML (and what holds it): a table cell saying "Email", "PDF" or "Print" keeps its place (trafilatura dropped
    # it as a share button's, and the next column's values were read as the one before's) (43)
    **dict.fromkeys([".html", ".htm", ".epub", ".eml", ".mbox", ".msg"], 43),
    # PDF: a sentence a column break cuts ("from the first of June," | "after the retirement") is one paragraph (44)
    **dict.fromkeys([".pdf"], 44),
    # tables of every format that has them: a form laid out as label | value | label | value is one record, a field a
    # line ("Department: Cartography" under "Employee: Ottavio Brennan"), not a record a row (45)
    **dict.fromkeys(
        [".html", ".htm", ".epub", ".eml", ".mbox", ".msg", ".docx", ".odt", ".ods", ".pdf", ".pptx", ".rtf"], 45
    ),
    # Word: a form's label set bold by its character or paragraph style ("Strong"), not by hand, is bold (46)
    **dict.fromkeys([".docx"], 46),
}

EXAMPLES = "examples"  # the file type of a user's training examples (NAME.train.jsonl, NAME.train.json)


def reader_version(path: PurePath) -> int:
    """The version of the code that reads a file of this name (stored per document and per failure)."""
    return max(READER_VERSION, READER_VERSIONS.get(suffix_of(path), 0))


def file_type(path: PurePath) -> str:
    return EXAMPLES if is_examples_file(path) else suffix_of(path).lstrip(".")


def _read(data: bytes, path: PurePath, media: Media) -> Extracted:
    suffix = suffix_of(path)
    if is_examples_file(path):
        return extract_examples(data, path)
    if suffix in MEDIA_EXTRACTORS:
        return MEDIA_EXTRACTORS[suffix](data, path, media)
    return EXTRACTORS[suffix](data, path)


def readable_alone(path: PurePath) -> bool:
    """Whether `extract` reads the type (every type but a mailbox): what an e-mail's attachment must be."""
    return suffix_of(path) in EXTRACTORS or suffix_of(path) in MEDIA_EXTRACTORS


def supported(path: PurePath) -> bool:
    return readable_alone(path) or suffix_of(path) in STREAMED


def is_streamed(path: PurePath) -> bool:
    """Whether the file is read in pieces from the open file (a mailbox): it has no size limit as a whole."""
    return suffix_of(path) in STREAMED


def is_slow(path: PurePath) -> bool:
    """Whether reading the file takes OCR or speech recognition: seconds a picture, minutes a recording."""
    return suffix_of(path) in SLOW_SUFFIXES


def extract(data: bytes, path: PurePath, media: Media = DEFAULT_MEDIA) -> Extracted:
    """Pick the extractor by suffix and normalise what it read; an empty result is an error so that `status`
    can say why. A mailbox cannot be read by it (read_parts does). Raises ExtractionError with a reason a user
    can act on."""
    if not data.strip():
        raise ExtractionError(EMPTY_FILE)
    with noting_doubts() as doubts:
        extracted = _normalized(_read(data, path, media))
    extracted.warnings[:0] = doubts
    if not any(section.text.strip() for section in extracted.sections):
        raise ExtractionError("no text found in the file")
    return extracted


def read_parts(file: BinaryIO, path: PurePath, max_bytes: int, media: Media = DEFAULT_MEDIA) -> Iterator[Part]:
    """The documents the open file holds, normalised as extract's: for most types the file itself (name ""),
    for an e-mail the message and then its readable attachments, for a mailbox each message and its
    attachments in turn, read as they come (a message over `max_bytes` keeps only its headers). A part with
    no text is left out. Raises ExtractionError as extract does, or when a mailbox holds no message."""
    suffix = suffix_of(path)
    with noting_doubts() as opening:  # an e-mail is decoded before its first part is asked for
        if suffix in STREAMED:
            parts = STREAMED[suffix](file, path, max_bytes, media)
        elif suffix in PARTED:
            data = file.read()
            if not data.strip():
                raise ExtractionError(EMPTY_FILE)
            parts = PARTED[suffix](data, path, media)
    if suffix not in STREAMED and suffix not in PARTED:
        yield Part("", extract(file.read(), path, media))
        return
    for part, doubts in _noting_each(parts, opening):
        extracted = _normalized(part.extracted)
        extracted.warnings[:0] = doubts
        if any(section.text.strip() for section in extracted.sections):
            yield replace(part, extracted=extracted)


def _noting_each(parts: Iterator[Part], opening: list[str]) -> Iterator[tuple[Part, list[str]]]:
    """Each part with what its reader doubted while reading it (base.doubt: a message's body in broken UTF-16),
    the first with what was doubted in `opening` the file too."""
    parts = iter(parts)
    while True:
        with noting_doubts() as doubts:
            part = next(parts, None)
        if part is None:
            return
        yield part, [*opening, *doubts]
        opening = []


def _normalized(extracted: Extracted) -> Extracted:
    """Every text of the result in normalize_text's form. Formats with lines normalise their decoded file
    before parsing (decode_text), so their offsets stay right; for the others the offsets are recounted."""
    sections: list[Section] = []
    offset = 0
    for section in extracted.sections:
        text = normalize_text(section.text)
        start = section.start if extracted.source is not None else offset
        heading = tuple(normalize_text(name) for name in section.heading)
        sections.append(replace(section, text=text, heading=heading, start=start))
        offset += len(text) + 2
    title = normalize_text(extracted.title) if extracted.title else extracted.title
    return replace(extracted, sections=sections, title=title)


__all__ = [
    "EXTRACTORS",
    "READER_VERSION",
    "Extracted",
    "ExtractionError",
    "Media",
    "Part",
    "Section",
    "extract",
    "file_type",
    "is_slow",
    "is_streamed",
    "read_parts",
    "reader_version",
    "supported",
]

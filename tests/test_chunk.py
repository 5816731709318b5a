"""Chunks follow the document's structure, stay within the model's token limit, and overlap a little."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from foldermind.indexer.chunk import chunk_document, chunk_section
from foldermind.indexer.embed import Embedder
from foldermind.indexer.extract import extract
from foldermind.indexer.extract.base import Section, sheet_section

MADE = Path(__file__).parent / "data" / "made"

PARAGRAPH = "The committee reviewed the harbour plans in detail. " * 6


def long_section(paragraphs: int = 12, heading: tuple[str, ...] = ("Harbour",)) -> Section:
    return Section(text="\n\n".join(f"{i}. {PARAGRAPH}" for i in range(paragraphs)), heading=heading, start=100)


def test_every_chunk_fits_the_token_limit_with_its_heading(embedder: Embedder) -> None:
    chunks = chunk_section(long_section(), embedder, max_tokens=128, overlap=16)
    assert len(chunks) > 3
    for chunk in chunks:
        assert embedder.count([chunk.embed_text()])[0] + 2 <= 128


def test_chunk_text_is_an_exact_span_of_the_section(embedder: Embedder) -> None:
    section = long_section()
    for chunk in chunk_section(section, embedder, max_tokens=128, overlap=16):
        assert section.text[chunk.start - section.start : chunk.end - section.start] == chunk.text


def test_consecutive_chunks_overlap_but_always_move_forward(embedder: Embedder) -> None:
    chunks = chunk_section(long_section(), embedder, max_tokens=128, overlap=16)
    for previous, current in itertools.pairwise(chunks):
        assert current.start < previous.end, "no overlap"
        assert current.end > previous.end, "no progress"


def test_zero_overlap_gives_disjoint_chunks(embedder: Embedder) -> None:
    chunks = chunk_section(long_section(), embedder, max_tokens=128, overlap=0)
    for previous, current in itertools.pairwise(chunks):
        assert current.start >= previous.end


def test_short_paragraphs_are_packed_together(embedder: Embedder) -> None:
    section = Section(text="\n\n".join(f"Fact number {i}." for i in range(10)))
    assert len(chunk_section(section, embedder, max_tokens=256, overlap=16)) == 1


def test_chunks_break_at_paragraph_boundaries_when_they_can(embedder: Embedder) -> None:
    chunks = chunk_section(long_section(heading=()), embedder, max_tokens=200, overlap=0)
    for chunk in chunks[:-1]:
        assert chunk.text.endswith("in detail.")


def test_a_sentence_longer_than_the_limit_is_split_by_tokens(embedder: Embedder) -> None:
    giant = Section(text=" ".join(f"word{i}" for i in range(600)))
    chunks = chunk_section(giant, embedder, max_tokens=64, overlap=0)
    assert len(chunks) > 5
    assert all(embedder.count([c.text])[0] <= 62 for c in chunks)
    assert "word599" in chunks[-1].text


def test_a_sentence_longer_than_the_limit_is_cut_between_words(embedder: Embedder) -> None:
    """A PDF's header runs on without a full stop: its windows end where a word ends, so a name MiniLM writes in
    several tokens ("Szyszkowski") is not read in part in one chunk and the rest in the next (cut by tokens, 14
    of these windows ended inside a word)."""
    names = "Gordon McMillan, Kuchling Andrew, Szyszkowski Wojciech, Tzschentke Ulrike, Vaillancourt Rhiannon"
    giant = Section(text=" ".join([f"Author: {names}"] * 40))
    chunks = chunk_section(giant, embedder, max_tokens=64, overlap=0)
    assert len(chunks) > 5
    for chunk in chunks:
        end = giant.text.index(chunk.text) + len(chunk.text)
        assert not giant.text[end : end + 1].isalnum(), chunk.text[-20:]
    assert all(embedder.count([c.text])[0] <= 62 for c in chunks)


def test_heading_path_and_page_are_kept(embedder: Embedder) -> None:
    chunk = chunk_section(Section(text="Hello there.", heading=("A", "B"), page=3), embedder, 256, 16)[0]
    assert (chunk.heading, chunk.page, chunk.embed_text()) == (("A", "B"), 3, "A > B\nHello there.")


def test_dots_inside_words_and_numbers_lose_no_text(embedder: Embedder) -> None:
    text = "trip.city: Lisbon\ntrip.hotel: Casa Azul\n\nVersion 2.5 is out. See example.com today!"
    chunks = chunk_section(Section(text=text), embedder, 64, 8)
    assert chunks[0].text.startswith("trip.city: Lisbon")
    assert "Version 2.5 is out." in " ".join(c.text for c in chunks)
    assert chunks[-1].text.endswith("example.com today!")


def records(count: int) -> str:
    """Records as the JSON, CSV and JSON-lines readers write them: a block of "key: value" lines each."""
    return "\n\n".join(
        f"alpha_4: C{i:03d}\nname: Script number {i} of the registry\nnumeric: {100 + i}\nsince: {1990 + i}"
        for i in range(count)
    )


def test_a_chunk_starts_at_a_records_first_line_not_inside_it(embedder: Embedder) -> None:
    section = Section(text=records(40))
    chunks = chunk_section(section, embedder, max_tokens=128, overlap=24)
    assert len(chunks) > 5
    for chunk in chunks:
        assert chunk.text.startswith("alpha_4: "), chunk.text[:40]


SENTENCES = " ".join(f"Sentence {i} tells of the harbour." for i in range(60))
# a log or a function is one block of many lines, longer than half a chunk
LOG = "\n".join(f"12:{i:02d} worker {i} finished job {i * 7} in {i % 9} seconds" for i in range(80))


@pytest.mark.parametrize("text", [SENTENCES, LOG], ids=["prose", "log"])
def test_prose_and_long_blocks_of_lines_keep_the_last_lines_of_the_chunk_before(embedder: Embedder, text: str) -> None:
    chunks = chunk_section(Section(text=text), embedder, max_tokens=96, overlap=16)
    assert len(chunks) > 2
    for previous, current in itertools.pairwise(chunks):
        assert current.start < previous.end


def test_a_section_of_records_is_embedded_under_the_document_s_title(embedder: Embedder) -> None:
    """A row's words lack what its file is about: "version: 12 / codename: Bookworm" under "debian"."""
    section = Section(text=records(40), records=True)
    chunks = chunk_section(section, embedder, max_tokens=128, overlap=24, title="scripts")
    assert len(chunks) > 5
    assert all(chunk.embed_text() == f"scripts\n{chunk.text}" for chunk in chunks)
    assert all(embedder.count([chunk.embed_text()])[0] <= 126 for chunk in chunks)


def test_prose_is_not_embedded_under_the_title(embedder: Embedder) -> None:
    chunk = chunk_section(Section(text="Hello there.", heading=("A",)), embedder, 256, 16, title="Letters")[0]
    assert chunk.embed_text() == "A\nHello there."


def test_a_sheet_s_rows_are_embedded_under_the_title_and_the_sheet_s_name(embedder: Embedder) -> None:
    rows = [["version", "codename", "release"], ["11", "Bullseye", "2021-08-14"], ["12", "Bookworm", "2023-06-10"]]
    chunk = chunk_section(sheet_section("Releases", rows), embedder, max_tokens=256, overlap=32, title="debian")[0]
    assert chunk.embed_text().startswith("debian > Releases\nversion | codename | release\n")


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("crew-list.csv", "crew"),
        ("crew-list-tabs.txt", "crew"),
        ("plot-fees.txt", "crew"),
        ("rota-merged.ods", "crew > Sheet1"),
    ],
)
def test_tables_saved_by_real_tools_are_embedded_under_their_title(embedder: Embedder, name: str, where: str) -> None:
    extracted = extract((MADE / name).read_bytes(), Path(name))
    chunks = chunk_document(extracted, embedder, max_tokens=256, overlap=32, title="crew")
    assert chunks
    assert all(chunk.embed_text() == f"{where}\n{chunk.text}" for chunk in chunks)


def test_a_text_that_is_no_table_is_chunked_as_prose(embedder: Embedder) -> None:
    extracted = extract((MADE / "harbour-log.txt").read_bytes(), Path("harbour-log.txt"))
    chunks = chunk_document(extracted, embedder, max_tokens=256, overlap=32, title="harbour-log")
    assert not any(chunk.embed_text().startswith("harbour-log") for chunk in chunks)

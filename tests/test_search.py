"""Search ranks by meaning and by exact words, fuses both, and filters by metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from foldermind.indexer import search as search_module
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.indexer.search import (
    chroma_where,
    fts_all,
    fts_pairs,
    fts_query,
    given_stopwords,
    rrf,
    search,
    vector_search,
)
from tests.helpers import MIXED_FILES, write


@pytest.fixture
def indexed(index: Index, context: Path) -> Index:
    for name, content in MIXED_FILES.items():
        write(context / name, content)
    write(context / "work/ids.txt", "The licence key for the scanner is QX-7781-ZB.")
    write(context / "recipes/soup.md", "---\ntags: [winter]\n---\nLentil soup needs cumin and lemon.\n")
    index_folder(index)
    return index


def test_a_question_finds_the_note_that_answers_it(indexed: Index) -> None:
    assert search(indexed, "how often should I feed my sourdough starter?", k=1)[0].path == "recipes/bread.md"


def test_vector_mode_finds_paraphrases(indexed: Index) -> None:
    assert search(indexed, "who manages our databases", k=1, mode="vector")[0].path == "work/team.csv"


def test_keyword_mode_finds_exact_codes(indexed: Index) -> None:
    assert search(indexed, "QX-7781-ZB", k=1, mode="keyword")[0].path == "work/ids.txt"


def test_hybrid_finds_exact_codes_too(indexed: Index) -> None:
    assert search(indexed, "QX-7781-ZB", k=1)[0].path == "work/ids.txt"


def test_a_category_filter_keeps_only_that_category(indexed: Index) -> None:
    for mode in ("hybrid", "vector", "keyword"):
        hits = search(indexed, "meeting budget bread", k=10, mode=mode, where={"category": "recipes"})  # type: ignore[arg-type]
        assert hits and {h.metadata["category"] for h in hits} == {"recipes"}, mode


def test_a_tag_filter_keeps_only_tagged_documents(indexed: Index) -> None:
    for mode in ("vector", "keyword"):
        hits = search(indexed, "soup bread", k=10, mode=mode, where={"tag": "winter"})  # type: ignore[arg-type]
        assert [h.path for h in hits] == ["recipes/soup.md"], mode


def test_a_front_matter_filter_applies(indexed: Index) -> None:
    hits = search(indexed, "bread", k=10, mode="keyword", where={"source": "grandma"})
    assert {h.path for h in hits} == {"recipes/bread.md"}


def test_results_carry_path_title_heading_and_similarity(indexed: Index) -> None:
    hit = search(indexed, "baking temperature for the loaf", k=1)[0]
    assert (hit.path, hit.title, hit.heading) == ("recipes/bread.md", "Sourdough bread", "Sourdough > Baking")
    assert hit.similarity is not None and 0.2 < hit.similarity <= 1.0
    assert "250 degrees" in hit.text


def test_an_empty_index_returns_nothing(index: Index) -> None:
    assert search(index, "anything") == []


def test_fts_operators_in_the_query_are_taken_literally() -> None:
    assert fts_query('NEAR(q b) OR "x" AND -y*') == '"near" OR "q" OR "b" OR "x" OR "y"'


def test_stopwords_are_left_out_of_keyword_queries_unless_that_is_all_there_is() -> None:
    assert fts_query("What is the budget of Heron?") == '"budget" OR "heron"'
    assert fts_query("to be or not to be") == '"to" OR "be" OR "or" OR "not"'


@pytest.mark.parametrize(
    ("question", "query"),
    [
        ("Which country has the code NO?", '"country" OR "code" OR "no"'),
        ("Which language has the ISO code was?", '"language" OR "iso" OR "code" OR "was"'),
        ("WHAT IS THE CODE NO?", '"code"'),  # capitals throughout: the question's tone, no code
        ("And WHEN does it close?", '"close"'),  # a question word
        ("What does the tool with the code do?", '"tool" OR "code"'),  # the question's verb
        ("cats AND dogs", '"cats" OR "dogs"'),  # an operator
    ],
)
def test_a_code_that_is_a_small_word_stays_in_the_keyword_query(question: str, query: str) -> None:
    assert fts_query(question) == query


def test_a_question_s_names_searched_alone_keep_its_code() -> None:
    """ "UK AT", the names of "Which office in the UK has the code AT?", are capitals throughout: the question's
    own codes are kept."""
    assert fts_query("UK AT", given_stopwords("Which office in the UK has the code AT?")) == '"uk" OR "at"'


def test_a_querys_neighbouring_content_words_are_its_phrases() -> None:
    assert fts_pairs("What is the logging module's default level?") == ['"logging module"', '"default level"']
    assert fts_pairs("Who is it?") == []


def test_rrf_rewards_agreement_between_rankings() -> None:
    scores = rrf([["a", "b", "c"], ["b", "c", "a"]], k=60)
    assert max(scores, key=scores.get) == "b"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overfetch", "prefilter_limit", "path"),
    [(8, 20_000, "nearest chunks, then the filter"), (1, 20_000, "SQLite first"), (1, 0, "Chroma's filter")],
)
def test_each_way_of_filtering_finds_the_chunks_chromas_own_filter_finds(
    indexed: Index, monkeypatch: pytest.MonkeyPatch, overfetch: int, prefilter_limit: int, path: str
) -> None:
    monkeypatch.setattr(search_module, "OVERFETCH", overfetch)
    monkeypatch.setattr(search_module, "PREFILTER_LIMIT", prefilter_limit)
    vector = indexed.embedder.encode(["bread and soup for winter"])[0]
    for where in ({"category": "recipes"}, {"tag": "winter"}, {"source": "grandma"}):
        expected = indexed.vectors.query(vector, 3, chroma_where(where))
        got = vector_search(indexed, vector, 3, where)
        assert [c for c, _ in got] == [c for c, _ in expected] and expected, (path, where)
        assert [s for _, s in got] == pytest.approx([s for _, s in expected], abs=1e-5)


def test_a_chunk_only_one_ranking_puts_first_is_returned_after_the_fused_best(index: Index, context: Path) -> None:
    """Reciprocal rank fusion sinks a chunk that only the word ranking finds below the many that both find far
    down: a code in a list of unrelated things is never read by the answer path unless `firsts` keeps it."""
    for n in range(25):
        write(context / f"ferry/{n}.md", f"The harbour ferry number {n} leaves pier {n} at {n % 12 + 1} on weekdays.")
    write(context / "codes.txt", "Lawn mower licence QZ-4471.\nGarden shed padlock 0912.\nBike lock 5531.")
    index_folder(index)
    question = "When does the harbour ferry QZ-4471 leave?"
    assert "codes.txt" not in [hit.path for hit in search(index, question, k=3)]
    found = [hit.path for hit in search(index, question, k=3, firsts=1)]
    assert found[:3] == [hit.path for hit in search(index, question, k=3)]  # the fused best come first
    assert "codes.txt" in found[3:]  # then each ranking's first, where fusion left it out: the two rankings' and
    assert len(found) <= 3 + 2 + len(fts_pairs(question))  # those of the phrases "harbour ferry", "qz 4471", ...


def test_the_rows_holding_every_name_and_number_asked_are_returned_after_the_fused_best(
    index: Index, context: Path
) -> None:
    """A table's chunks are marked as records; with `keys`, the first records holding every one of them come
    after the fused best: twenty-five release notes say "Kestrel", "released" and "7" more often than the one
    row of the release table does (under its title "kestrel")."""
    for n in range(25):
        write(
            context / f"notes/{n}.md",
            f"Kestrel {n + 10}.{n % 3} was released after 7 weeks; Kestrel's team released {n} fixes in 7 days.",
        )
    names = "Heron Wren Osprey Plover Ruff Smew Teal Kite".split()
    rows = "\n".join(f"{n},{names[n % 8]} {n},2013-05-{n + 1:02}" for n in range(1, 25))
    write(context / "kestrel.csv", f"version,codename,release\n{rows}\n")
    index_folder(index)
    marked = index.manifest.db.execute(
        "SELECT d.file_type, MIN(c.record), MAX(c.record) FROM chunks c JOIN documents d ON d.id = c.document_id"
        " GROUP BY d.file_type"
    ).fetchall()
    assert {tuple(row) for row in marked} == {("md", 0, 0), ("csv", 1, 1)}
    question = "When was Kestrel 7 released?"
    assert not any("version: 7\n" in hit.text for hit in search(index, question, k=5, firsts=1, named="Kestrel"))
    found = search(index, question, k=5, firsts=1, named="Kestrel", keys=["Kestrel", "7"])
    assert "version: 7\ncodename: Kite 7" in found[-1].text and found[-1].path == "kestrel.csv"
    assert [hit.path for hit in found[:5]] == [hit.path for hit in search(index, question, k=5)]


@pytest.mark.parametrize(
    ("words", "match"),
    [
        (["Ubuntu", "10.10"], '"ubuntu" AND "10 10"'),  # a version's repeated part is kept: not any "10"
        (["Debian", "2005-06-06"], '"debian" AND "2005 06 06"'),
        (["東京都庁", "7"], '"東 京 都 庁" AND "7"'),  # an unspaced name as the phrase of its characters
    ],
)
def test_every_key_is_one_phrase_of_its_tokens_in_order(words: list[str], match: str) -> None:
    assert fts_all(words) == match


def test_a_chunk_holding_two_words_of_the_question_together_is_returned_after_the_fused_best(
    index: Index, context: Path
) -> None:
    """Twenty-five notes hold every word of the question, apart; the one that says "default level" together
    holds fewer of them and means something else as a whole, so neither ranking puts it first: with `firsts`,
    the first chunk holding each pair of the question's neighbouring words as a phrase comes after the best."""
    for n in range(25):
        note = f"Harbour alarm {n}: the level switch is by pier {n}; its default tone is bell {n}."
        write(context / f"alarms/{n}.md", note)
    write(context / "siren.txt", "Sirens ring at noon on Sundays.\nThe default level is 70 decibels.\nTrains whistle.")
    index_folder(index)
    question = "What is the default level of the harbour alarm?"
    by_words = index.manifest.keyword_search(fts_query(question), 3, {})
    assert "siren.txt" not in [hit.path for hit in search(index, question, k=3)]
    assert "siren.txt" not in [row["path"] for row in index.manifest.chunk_details([c for c, _ in by_words]).values()]
    found = search(index, question, k=3, firsts=1)
    assert [hit.path for hit in found[:3]] == [hit.path for hit in search(index, question, k=3)]
    assert "siren.txt" in [hit.path for hit in found[3:]]

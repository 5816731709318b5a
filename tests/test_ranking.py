"""A search shows first the chunk whose lines answer, not the one whose words and meaning fit best as a whole.

Reciprocal rank fusion ranks whole chunks: a note about the lighthouse keeper outranks a diary whose one line
says when he retired. The answer path scores every passage of the fused candidates (`evidence.score`) and
orders the chunks by their best one (`Notes.find`), which is what `search`, `/search` and MCP show. Each
kind of document below (a prose note, a manual page, a table's records) has a rival that fusion puts first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from foldermind.answer import Notes
from foldermind.config import Config
from foldermind.evidence import find_evidence, rank_hits
from foldermind.indexer.embed import Embedder
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from tests.helpers import make_config, running_server

DIARY = "\n\n".join(
    [
        "# Harbour diary",
        "Monday. The ferry was late again because of the fog, and the market ran out of bread by nine.",
        "Tuesday. Repainted the boat shed in a dark green; the old paint came off in long strips.",
        "Wednesday. Old Tomas, the lighthouse keeper, retired in 1994 after forty years on the rock.",
        "Thursday. The school choir sang in the church hall, and the mayor gave a long speech about the new pier.",
        "Friday. Nets mended, two crates of herring sold at the quay before noon.",
    ]
)
LIGHTHOUSE = (
    "# The lighthouse keeper\n\nThe lighthouse keeper trims the wick, winds the clockwork of the lighthouse lens and "
    "keeps the lighthouse log. A lighthouse keeper lives at the lighthouse with the keeper's family, and the keeper "
    "paints the lighthouse tower every few years. Keepers of a lighthouse keep watch through the night.\n"
)
OPTIONS = [
    ("a", "all", "Search hidden members of the archive too."),
    ("c", "count", "Print a count of matching lines for each archive member."),
    ("i", "ignore-case", "Ignore case distinctions in patterns and data."),
    ("l", "files-only", "Print only the names of archive members that contain a match."),
    ("n", "line-number", "Prefix each line of output with its line number."),
    ("q", "quiet", "Write nothing to standard output; exit with zero status on a match."),
    ("r", "recursive", "Read archives inside archives, following nested members."),
]
MANUAL = "\n".join(
    ["FROBNICATE(1)", "", "NAME", "       frobnicate - search packed archives for patterns", "", "OPTIONS"]
    + [f"       -{short}, --{long}\n              {text}\n" for short, long, text in OPTIONS]
)
GUIDE = (
    "# Searching archives with frobnicate\n\nWhich archive members match? frobnicate prints the names of archive "
    "members with a match, then each matching line: the names of the members come first, so you see which members "
    "of an archive match before the lines that match. frobnicate options change what it prints about archive members.\n"
)
STAFF = "name,room,phone,started\n" + "".join(
    f"{row}\n"
    for row in [
        "Ada Brenner,B12,555-0101,2019",
        "Carl Dunmore,C04,555-0102,2020",
        "Edda Falk,A77,555-0103,2018",
        "Gus Hale,D19,555-0104,2021",
        "Ivo Jansen,E02,555-0105,2017",
        "Kira Lund,F31,555-0106,2022",
    ]
)
PHONES = (
    "# Office phones\n\nThe phone list is kept by Edda Falk at reception. Every office phone has a four digit "
    "extension. To call another office, dial the extension of the phone in that room. A phone that rings in an "
    "empty room forwards to reception after six rings.\n"
)
FILES = {
    "diary.md": DIARY,
    "lighthouse.md": LIGHTHOUSE,
    "frobnicate.1.txt": MANUAL,
    "frobnicate-guide.md": GUIDE,
    "staff.csv": STAFF,
    "phones.md": PHONES,
}
# (question, the document that answers it, the rival whose chunk fits the question's words as a whole)
ASKED = [
    ("When did the lighthouse keeper retire?", "diary.md", "lighthouse.md"),
    (
        "Which frobnicate option prints only the names of archive members with a match?",
        "frobnicate.1.txt",
        "frobnicate-guide.md",
    ),
    ("What is Edda Falk's phone number?", "staff.csv", "phones.md"),
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Notes, Config]]:
    config = make_config(tmp_path_factory.mktemp("ranking") / "home", FILES)
    index = Index(config, embedder=embedder)
    index_folder(index)
    yield Notes(index, config.server), config
    index.close()


@pytest.mark.parametrize(("question", "answering", "rival"), ASKED)
def test_the_document_whose_lines_answer_comes_first(
    folder: tuple[Notes, Config], question: str, answering: str, rival: str
) -> None:
    notes, _ = folder
    shown = [hit.path for hit in notes.find(question, 5, None, {})]
    assert shown[0] == answering
    assert rival in shown  # still shown, after it


def test_a_shown_hit_scores_as_its_best_passage_and_the_order_follows_the_scores(folder: tuple[Notes, Config]) -> None:
    notes, config = folder
    question = ASKED[0][0]
    hits = notes.search(question, config.server.candidates, "hybrid", {})
    ranked = rank_hits(question, hits, notes.encode, config.server.keyword_weight)
    best = find_evidence(question, hits, notes.encode, config.server.keyword_weight, 1, 0.0)[0]
    assert ranked[0].chunk_id == best.hit.chunk_id and ranked[0].score == best.score
    assert [h.score for h in ranked] == sorted((h.score for h in ranked), reverse=True)
    assert sorted(h.chunk_id for h in ranked) == sorted(h.chunk_id for h in hits)  # reordered, none lost


def test_a_vector_or_keyword_search_keeps_its_own_ranking(folder: tuple[Notes, Config]) -> None:
    notes, _ = folder
    for mode in ("vector", "keyword"):
        found = [(h.chunk_id, h.score) for h in notes.find(ASKED[2][0], 5, mode, {})]  # type: ignore[arg-type]
        assert found == [(h.chunk_id, h.score) for h in notes.search(ASKED[2][0], 5, mode, {})]  # type: ignore[arg-type]


def test_search_over_http_shows_the_answering_document_first(folder: tuple[Notes, Config], embedder: Embedder) -> None:
    _, config = folder
    with running_server(config, embedder) as (url, _state):
        results = httpx.get(f"{url}/search", params={"q": ASKED[0][0], "k": 2}, timeout=30).json()["results"]
    assert [r["path"] for r in results] == ["diary.md", "lighthouse.md"]


def test_k_cuts_the_ordered_candidates(folder: tuple[Notes, Config]) -> None:
    notes, _ = folder
    assert [h.path for h in notes.find(ASKED[1][0], 1, None, {})] == [ASKED[1][1]]


def test_a_hit_with_no_passage_scored_keeps_its_chunks_cosine_on_the_same_scale(folder: tuple[Notes, Config]) -> None:
    notes, config = folder
    question = ASKED[0][0]
    hits = notes.search(question, config.server.candidates, "hybrid", {})
    navigation = replace(hits[0], chunk_id="nav", text="• Prev\n• Up\n• Next", similarity=0.123)
    ranked = rank_hits(question, [navigation, *hits], notes.encode, config.server.keyword_weight)
    assert next(h.score for h in ranked if h.chunk_id == "nav") == 0.123
    assert [h.score for h in ranked] == sorted((h.score for h in ranked), reverse=True)

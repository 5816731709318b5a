"""Hybrid search: vectors for meaning, SQLite FTS5 for exact words, fused by reciprocal rank fusion.

Names, numbers and rare words matter in personal notes, and embeddings blur them; keyword search alone
misses paraphrases. RRF needs no score calibration between the two, only ranks.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from foldermind.errors import FoldermindError
from foldermind.indexer.index import Index
from foldermind.indexer.normalize import search_form, search_terms
from foldermind.indexer.records import lines, location

Mode = Literal["hybrid", "vector", "keyword"]


@dataclass
class Hit:
    chunk_id: str
    document_id: int
    path: str
    title: str
    heading: str
    page: int | None
    score: float
    similarity: float | None
    text: str
    start: int
    end: int
    metadata: dict[str, Any]
    line: int | None = None  # line of the chunk's start in the file (text formats)

    @property
    def last_line(self) -> int | None:
        """The line of the chunk's end in the file (text formats)."""
        return None if self.line is None else self.line + self.text.count("\n")

    def location(self) -> str:
        """Where the chunk is: "page 3", its heading, "lines 12-30" (see records.location)."""
        return ", ".join(part for part in (location(self.page, self.heading), lines(self.line, self.last_line)) if part)

    def to_json(self) -> dict[str, Any]:
        """The shape `search --json` and GET /search share."""
        extra = {
            "heading": self.heading,
            "page": self.page,
            "location": self.location(),
            "chunk_id": self.chunk_id,
            "document_id": self.document_id,
            "similarity": self.similarity,
        }
        return {
            "path": self.path,
            "title": self.title,
            "score": self.score,
            "text": self.text,
            "metadata": {**self.metadata, **extra},
        }


CHUNK_KEYS = {"heading", "position", "page"}  # filters on these are Chroma's: the manifest filters documents
OVERFETCH = 8  # nearest chunks looked at per wanted one before a filter falls back to the paths below
PREFILTER_LIMIT = 20_000  # chunks a filter may leave for the SQLite-first path (measured: bench/indexer_bench.py)
STOPWORDS = frozenset(
    "a an and are as at be by can could did do does for from had has have how i in is it its me my of on or our "
    "should so than that the their them there these they this to was we were what when where which who whom why "
    "will with would you your about into over also not no yes tell give please been being".split()
)

BOOLEAN_WORDS = frozenset({"and", "or", "not"})  # "cats AND dogs": a search's operator, taken literally
QUESTION_WORDS = frozenset({"who", "what", "when", "where", "which", "why", "how"})  # "And WHEN does it close?"
# A stopword a question gives as a value: a code of two or three capitals ("the code NO", "IT", "CAN") not first
# in the question, or the last word after "has the (...) code" ("Which language has the code was?")
CODE_GIVEN = re.compile(r"(?<=\s)[A-Z]{2,3}\b|\b(?:has|have|had) (?:the )?(?:[\w-]+ )?code (\w+)\W*$")
NAMED_CODE = re.compile(r"\b(?:the|code|codes)\s+(AND|OR|NOT)\b")  # "the OR branch", "code OR": no operator
SHOUTED = 0.5  # share of a question's words in capitals past which capitals are its tone, not a code


def given_stopwords(text: str) -> set[str]:
    """The stopwords a question gives as values, lower case: a code of two or three capitals ("Which country has
    the code NO?", "... IT?", "CAN"), not its first word, or the last word after "has the code" ("Which language
    has the code was?"). None in a question mostly in capitals ("WHAT IS THE WIFI PASSWORD for guests?"), nor a
    question word ("And WHEN does it close?"), nor AND, OR and NOT, which searches type as operators."""
    return set(written_codes(text))


def written_codes(text: str) -> dict[str, str]:
    """The codes a question gives that are small words (`given_stopwords`), each as the question writes it:
    {"no": "NO"}. A record holds "NO" for Norway where prose says "no"."""
    words = re.findall(r"[^\W\d_]+", text)
    if sum(word.isupper() and len(word) > 1 for word in words) > SHOUTED * len(words):
        return {}
    written = [match.group(1) or match.group() for match in CODE_GIVEN.finditer(text)]  # as the code is written
    small = STOPWORDS - BOOLEAN_WORDS - QUESTION_WORDS
    named = {match.group(1) for match in NAMED_CODE.finditer(text)}  # "the OR branch": a code, not an operator
    return {code.lower(): code for code in written if code.lower() in small or code in named}


def fts_query(text: str, given: set[str] | None = None) -> str:
    """Any of the words, each quoted so FTS5 operators in user text are taken literally; a run of characters of
    a script written without spaces is one quoted phrase of single characters (see normalize.search_form).
    Stopwords are left out: they match nearly every chunk, add nothing to the ranking and make the query slow;
    not one the text gives as a value (`given_stopwords`; `given`: those of the question the text was taken
    from, as its names alone are searched)."""
    words = search_terms(text)
    given = given_stopwords(text) if given is None else given
    content = [word for word in words if word not in STOPWORDS or word in given] or words
    return " OR ".join(f'"{word}"' for word in content)


PAIRS_AT_MOST = 6  # phrase rankings per query, each one more full-text query (~20 ms at 30,000 rows of common words)


def fts_pairs(text: str) -> list[str]:
    """The query's first PAIRS_AT_MOST pairs of neighbouring content words within a clause, each a quoted phrase:
    "What is the logging module's default level?" -> "logging module", "default level"."""
    pairs = [
        f'"{a} {b}"'
        for clause in re.split(r"[,;:()?!]|\.(?:\s|$)", text)
        for a, b in itertools.pairwise(search_terms(clause))
        if a not in STOPWORDS and b not in STOPWORDS and len(a) > 1 and len(b) > 1 and " " not in a + b
    ]
    return list(dict.fromkeys(pairs))[:PAIRS_AT_MOST]


def fts_all(words: list[str]) -> str:
    """Every one of the words, each a quoted phrase of its tokens in search form, in order ("20.04" is the phrase
    "20 04", "10.10" is "10 10", "東京" is "東 京")."""
    phrases = [" ".join(re.findall(r"\w+", search_form(word))) for word in words]
    return " AND ".join(f'"{phrase}"' for phrase in phrases if phrase)


def chroma_where(where: dict[str, str]) -> dict[str, Any] | None:
    clauses = [{f"tag:{value}": True} if key == "tag" else {key: value} for key, value in where.items()]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def vector_search(index: Index, vector: Any, depth: int, where: dict[str, str]) -> list[tuple[str, float]]:
    """Nearest chunks, filtered, without Chroma's own metadata filter where that can be avoided: it costs
    50-170 ms at 100,000 chunks (bench/indexer_bench.py). A filter most chunks pass is applied to the nearest
    chunks unfiltered (exact whenever enough of them pass); one that few pass is resolved in SQLite first and
    Chroma searches just those ids."""
    if not where or CHUNK_KEYS & where.keys():
        return index.vectors.query(vector, depth, chroma_where(where))
    nearest = index.vectors.query(vector, depth * OVERFETCH, None)
    passed = index.manifest.matching([chunk_id for chunk_id, _ in nearest], where)
    kept = [(chunk_id, similarity) for chunk_id, similarity in nearest if chunk_id in passed]
    if len(kept) >= depth or len(nearest) < depth * OVERFETCH:  # enough, or that was every chunk there is
        return kept[:depth]
    allowed = index.manifest.chunk_ids_where(where, PREFILTER_LIMIT + 1)
    if len(allowed) <= PREFILTER_LIMIT:
        return index.vectors.query(vector, depth, None, ids=allowed)
    return index.vectors.query(vector, depth, chroma_where(where))


def rrf(rankings: list[list[str]], k: int) -> dict[str, float]:
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (k + rank)
    return scores


def search(
    index: Index,
    query: str,
    k: int | None = None,
    mode: Mode | None = None,
    where: dict[str, str] | None = None,
    firsts: int = 0,
    named: str = "",
    keys: list[str] | None = None,
) -> list[Hit]:
    """The `k` best chunks for a query, by meaning, by words, or both fused (reciprocal rank fusion); with
    `firsts`, hybrid search also returns (after those `k`) the first `firsts` of each ranking that fusion left
    out: a chunk only one ranking finds, even first, sinks below those both find far down (with rrf_k 60, rank 1
    in one scores less than rank 61 in both), and a record that only its words find ("Cyrillic" in a chunk of
    fifteen scripts) is then never read. With `named` (the query's names), also the first `firsts` chunks by
    those words alone: the one country record holding "SJ" is below 300 time-zone rows that say "country" and
    "codes" in the ranking by all the words. With `keys` (a question's names and numbers), also the first `firsts`
    chunks of records that hold every one of them: "Debian 7" is a row of debian.csv under the title "debian",
    while the handbook's prose, saying "Debian" a hundred times and "7" somewhere, outranks it by either word.
    Also the first `firsts` chunks holding each pair of the query's neighbouring words as a phrase (`fts_pairs`):
    "The default level is WARNING" sits in a chunk listing every level, far in meaning from "What is the logging
    module's default level?", and the chunks saying "logging" most often outrank it by words."""
    index.require_current()
    k = k or index.config.search.k
    mode = mode or index.config.search.mode
    where = where or {}
    depth = max(4 * k, 20)
    similarity: dict[str, float] = {}
    rankings: list[list[str]] = []
    vector = index.embedder.encode([query])[0] if mode != "keyword" else None
    if vector is not None:
        found = vector_search(index, vector, depth, where)
        similarity = dict(found)
        rankings.append([chunk_id for chunk_id, _ in found])
    keyword_scores: dict[str, float] = {}
    if mode in ("hybrid", "keyword") and (match := fts_query(query)):
        found = index.manifest.keyword_search(match, depth, where)
        keyword_scores = dict(found)
        rankings.append([chunk_id for chunk_id, _ in found])
    if mode == "hybrid":
        scores = rrf(rankings, index.config.search.rrf_k)
    else:
        scores = similarity if mode == "vector" else keyword_scores
    best = sorted(scores, key=lambda chunk_id: -scores[chunk_id])[:k]
    if mode == "hybrid":
        pairs = [(pair, False) for pair in fts_pairs(query)]
        for match, records in ((fts_query(named, given_stopwords(query)), False), (fts_all(keys or []), True), *pairs):
            if firsts and match:
                rankings.append([c for c, _ in index.manifest.keyword_search(match, firsts, where, records)])
                scores.update({chunk_id: 0.0 for chunk_id in rankings[-1] if chunk_id not in scores})  # not fused
        for ranking in _records_holding_codes(index, query, firsts, where):
            rankings.append(ranking)
            scores.update({chunk_id: 0.0 for chunk_id in ranking if chunk_id not in scores})
        best += [chunk_id for ranking in rankings for chunk_id in ranking[:firsts] if chunk_id not in best]
        best = list(dict.fromkeys(best))
    if vector is not None:  # keyword-only hits get a similarity too, so relevance has one scale
        missing = [chunk_id for chunk_id in best if chunk_id not in similarity]
        for chunk_id, stored in index.vectors.vectors(missing).items():
            similarity[chunk_id] = float(stored @ vector)
    details = index.manifest.chunk_details(best)
    return [_hit(details[c], scores[c], similarity.get(c)) for c in best if c in details]


CODE_DEPTH = 200  # chunks of records holding a code's word read for the code as written (`_records_holding_codes`)


def _records_holding_codes(index: Index, query: str, firsts: int, where: dict[str, str]) -> list[list[str]]:
    """For each code of the query that is a small word (`given_stopwords`: "Which country has the code NO?"), the
    first `firsts` chunks of records that hold it as the query writes it, those where it is a field's whole value
    first ("alpha_2: NO" before "country-codes: DE,DK,NO,SE,SJ"): by words, "no" is in nearly every chunk, and the
    one country record holding "NO" is not among the first of any ranking."""
    rankings = []
    for code, written in sorted(written_codes(query).items()) if firsts else []:
        found = [chunk_id for chunk_id, _ in index.manifest.keyword_search(f'"{code}"', CODE_DEPTH, where, True)]
        texts = {chunk_id: row["text"] for chunk_id, row in index.manifest.chunk_details(found).items()}
        held = [c for c in found if re.search(rf"(?<!\w){re.escape(written)}(?!\w)", texts.get(c, ""))]
        value = re.compile(rf"^[^:\n]+:[ \t]*{re.escape(written)}[ \t]*(?:;|$)", re.M)
        rankings.append(sorted(held, key=lambda c: value.search(texts[c]) is None)[:firsts])
    return rankings


def document_hits(index: Index, document_id: int, most: int) -> list[Hit]:
    """Every chunk of a document as a hit (score 0, no similarity), in its order; none where it has more than
    `most` chunks."""
    chunks = index.manifest.document_chunks(document_id)
    if len(chunks) > most:
        return []
    details = index.manifest.chunk_details([chunk["chunk_id"] for chunk in chunks])
    return [_hit(details[chunk["chunk_id"]], 0.0, None) for chunk in chunks if chunk["chunk_id"] in details]


def _hit(row: Any, score: float, similarity: float | None) -> Hit:
    metadata = {
        **json.loads(row["metadata"]),
        "category": row["category"],
        "file_type": row["file_type"],
        "tags": json.loads(row["tags"]),
    }
    return Hit(
        chunk_id=row["chunk_id"],
        document_id=row["document_id"],
        path=row["path"],
        title=row["title"],
        heading=row["heading"],
        page=row["page"],
        score=round(score, 6),
        similarity=None if similarity is None else round(similarity, 4),
        text=row["text"],
        start=row["start"],
        end=row["end"],
        metadata=metadata,
        line=row["line"],
    )


def parse_where(pairs: list[str]) -> dict[str, str]:
    """`key=value` pairs from the command line or a query string."""
    where: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise FoldermindError(f"--where takes key=value (e.g. category=research), got '{pair}'")
        where[key.strip()] = value.strip()
    return where

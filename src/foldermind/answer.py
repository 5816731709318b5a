"""The answer path, once: retrieve -> evidence -> prompt -> generate -> check.

Plain and synchronous, with no HTTP types: the server streams through it (server/chat.py wraps it in its
thread pool and OpenAI shapes), the trainer's gate and the benchmarks answer through `respond`, and the
training chats are built from `plan`'s messages, so what a model learns is what it is shown when serving.

    plan(turns, notes, settings, count_tokens, max_tokens) -> Plan   (sources, evidence, messages, or a fixed reply)
    Check(plan, fit, stops).feed(piece) -> what may be shown so far   (the grounding check, as it streams)
    respond(plan, pieces, fit, stops) -> Reply                       (the model's own words and what is shown)

Owned here and nowhere else: which turns a conversation's search uses, the evidence threshold, the quote that
replaces an ungrounded answer, the grounding check (evidence.py holds its rules), the refusal wording.
"""

from __future__ import annotations

import functools
import itertools
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import numpy as np

from foldermind.config import ServerConfig
from foldermind.evidence import (
    INITIALISM_WORDS,
    PERSON,
    REFERS_TO,
    WHO,
    FollowUp,
    Passage,
    another_of_its_set,
    another_owner,
    capitalised_throughout,
    dated_text,
    fields,
    find_evidence,
    grounded,
    name_runs,
    one_record,
    other_end,
    quote,
    rank_hits,
    reverses_roles,
    sentence_ends,
    sentences,
    shares_only_a_name_part,
    spelt,
    supported,
    terms,
    unheld_numbers,
    unheld_thing,
    units_of,
    unnamed_program,
    unstated_deed,
    unstated_field,
    with_head,
    with_tail,
    written_name_runs,
)
from foldermind.facts import (
    CALENDAR,
    CONTACT,
    CONTACT_WORDS,
    TITLES,
    asked_kind,
    asked_turn,
    calendar_spans,
    contacts,
    main_question,
    single_days,
    states,
    thing_asked,
)
from foldermind.indexer.index import Index
from foldermind.indexer.normalize import search_form
from foldermind.indexer.search import STOPWORDS, Hit, Mode, document_hits, fts_all, given_stopwords, search
from foldermind.llama import chat_stream, count_tokens, truncate
from foldermind.prompt import (
    EMPTY_INDEX,
    NOT_COVERED,
    NOT_STATED,
    NOTES_HEADER,
    QUESTION_HEADER,
    QUOTED,
    SYSTEM_PROMPT,
    SourceText,
    cited_numbers,
    format_source,
    notes_message,
    quotes,
)

DATED_CHUNKS = 12  # chunks of a document read whole for the next or the latest of its dated lines (a year's log)
VECTOR_CACHE = 20_000  # embeddings kept (384 floats each: about 30 MB)
TEMPLATE_OVERHEAD = 8  # tokens the chat template adds per message, roughly
CHECK_AFTER = 240  # characters held back at most before an answer's start is checked
# A turn that leans on the one before: "And the Orchard gate?", "what about Kestrel?", "and when?"
FOLLOW_UP = re.compile(r"^\s*(?:and|or|also|what about|how about|and what about|same for)\b", re.I)
FOLLOW_UP_TERMS = 2  # a question of this many content words and no name of its own is read with the one before
# A name or number inside a question; not the pronoun "I" ("How do I call her?" names no one of its own)
NAMED = re.compile(r"(?<!^)(?<![.!?]\s)\b(?!I\b)[A-Z][\w-]*|\b\d[\w.,:-]*")
# A word that refers back to the earlier turn's subject ("Is he also on Kestrel?", "What is his phone number?")
REFERS_BACK = re.compile(r"\b(?:he|she|him|his|her|hers|they|them|their|its)\b", re.I)  # not "it": "is it safe"
# A weekday or month a follow-up names, in any case and at its start too ("Tuesday?", "what about june"): a new
# subject as a name or number is, where the earlier turn's ("on Monday") would outvote it
CALENDAR_NAME = re.compile(rf"\b(?:{'|'.join(sorted(CALENDAR))})\b", re.I)

# A name of a question that the notes spell nearly so is theirs: its first SPELLING_PREFIX letters the same, and
# difflib's ratio at least NEAR_SPELLING ("strnad" and "strand" 0.83, "smiths" and "smith" 0.91, "mongodb" and
# "mongolia" 0.67, "kosovo" and "kosrae" 0.50).
STEM_LETTERS = 4  # letters a word's stem keeps at least where its last three are cut ("gym" stays whole)
SPELLING_PREFIX = 3
NEAR_SPELLING = 0.8
# A word of a nationality or a language, which notes may write as the country's name: "Norwegian", "Irish",
# "Faroese", "Icelandic", "Dutch" (the endings English forms them with, and the forms it does not).
NATIONALITY = re.compile(r"(?:ian|ean|ish|ese|ic|an|i)$|^(?:dutch|welsh|french|greek|swiss|thai|czech|slovak)$", re.I)
REFUSED = re.compile(r"\bnotes do not cover\b", re.I)  # the model's refusal (prompt.MODEL_REFUSAL)
LIST_NUMBER = re.compile(r"\s*\d{1,3}[.)]")  # a numbered list item's number, which "sentences" reads as one
FENCE = re.compile(r"```\s*[\w+-]*")  # a code block's fence line: "```python", "``` sh"
WHOLE_END = re.compile(r"[.!?:][\"'”’)\]]*$")  # where an answer may end without "…"
LEAD_IN = re.compile(r":\s*$")  # a line that leads into its answer on the next: "The command is:"
# A line's end where a sentence may go on in the next line: a comma, or a plain word that is not capitalised
# ("... which uses", "Public Interest,"); not a fact ("/etc/adduser.conf", "-z", "10"), a name that may end
# an answer ("... is Annika Strand", then "She joined ...") or a sentence's end.
OPEN_END = re.compile(r"(?:^|\s)(?:(?=[^\W\d_])(?![^\W\d_]*[A-Z])[\w'’-]+|\S*,)$")
GOES_ON = re.compile(r"[^\W_]")  # a line that may carry a sentence on: a word, not "- ", code, "$ " or "[1]"
# A list item's start ("1. ", "a) "): after a line ending in a comma it starts a list, not the sentence's end
# ("The steps are these," / "1. Install it."; but "... with number" / "41. That is all." goes on).
LIST_ITEM = re.compile(r"(?:\d+|[a-zA-Z]|[ivx]+)[.)]\s")
Turn = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": ...}
CountTokens = Callable[[str], int]


class Notes:
    """The read side of the index as the answer path uses it; one lock, so threads may share it."""

    def __init__(self, index: Index, settings: ServerConfig) -> None:
        self.index = index
        self.settings = settings
        self.lock = threading.Lock()  # one SQLite connection, shared by request threads
        self.vectors: dict[str, np.ndarray] = {}  # passage text -> its embedding; a night asks of one chunk often
        self.vectors_lock = threading.Lock()  # request threads share the cache

    def search(self, query: str, k: int | None, mode: Mode | None, where: dict[str, str], firsts: int = 0) -> list[Hit]:
        """The fused ranking of hybrid search (or one of its two), as the index gives it; `firsts`: see `search`,
        which also brings the first chunks by the words of the question's names alone (`named`), and the first
        records holding its names and numbers (`record_keys`)."""
        with self.lock:
            return search(
                self.index,
                query,
                k=k,
                mode=mode,
                where=where,
                firsts=firsts,
                named=named(query),
                keys=record_keys(query) or days_asked(query),
            )

    def with_its_document(self, question: str, hits: list[Hit]) -> list[Hit]:
        """The hits, with the other chunks of the first one's document after them where the question asks for the
        next, the last or the latest of something, or a recurring payment now (`facts.asked_turn`), and the
        document has at most `DATED_CHUNKS`: a log's latest row may sit in a chunk the search did not bring ("When
        was my last run?" of a training log, "How much do we pay for internet?" of a year's bills)."""
        if not hits or asked_turn(question) is None:
            return hits
        seen = {hit.chunk_id for hit in hits}
        with self.lock:
            more = document_hits(self.index, hits[0].document_id, DATED_CHUNKS)
        return hits + [hit for hit in more if hit.chunk_id not in seen]

    def find(self, query: str, k: int | None, mode: Mode | None, where: dict[str, str]) -> list[Hit]:
        """What a search shows: in hybrid mode, the chunks the answer path reads (`candidates` and
        `each_ranking_first`), ordered by their best passage (`rank_hits`) and cut to `k` ([search] k); a vector
        or keyword search as it ranks."""
        if (mode or self.index.config.search.mode) != "hybrid":
            return self.search(query, k, mode, where)
        wanted = k or self.index.config.search.k
        hits = self.search(
            query, max(wanted, self.settings.candidates), "hybrid", where, self.settings.each_ranking_first
        )
        return rank_hits(query, hits, self.encode, self.settings.keyword_weight)[:wanted]

    def evidence(self, question: str, hits: list[Hit], follow_up: FollowUp | None = None) -> list[Passage]:
        """The passages to answer from, best first, each with its heading line even if the chunk before has it, and
        with the rest of its last sentence where it stops inside one (`with_tail`, from the next chunk if need be).
        `follow_up`: what a follow-up asks of them (`followed_up`)."""
        chosen = find_evidence(
            question,
            hits,
            self.encode,
            self.settings.keyword_weight,
            self.settings.evidence_passages,
            self.settings.evidence_margin,
            follow_up,
        )
        return [
            with_tail(
                with_head(p, self.manifest("chunk_before", p.hit.chunk_id)),
                functools.partial(self.manifest, "chunk_after", p.hit.chunk_id),
            )
            for p in chosen
        ]

    def unknown_names(self, question: str) -> list[str]:
        """The question's names (`named`, line by line: a follow-up's first word is none) that no note holds, in
        its text, heading, title or path, nor spelled nearly so (`_held`); each part of a joined one must be held
        ("IPv6-over-IPv4" is known where "IPv6" and "IPv4" are). The notes do not cover what they never name,
        however close a passage about something else comes: "What is Kosovo's ISO country code?" was answered
        from Yugoslavia's record, "... numeric code for Bitcoin?" from the code for no currency. Not a word in
        capitals ("URL", "REALLY"), a nationality (`NATIONALITY`: the notes may say "Norway"), "May", nor any
        word of a question in capitals or title case; a yes/no question only where all its names are unknown
        ("Is Heron led by Maria?" is answered no). On bench/answer_bench.py's tune split and our 158
        development questions (bench/notes/dev-*.tsv), 266 in all, it holds for 10 of the 46 unanswerable ones and
        none of the 220 answerable ones; on 49 record questions of our own over other files, for 2 of 10
        unanswerable and none of 39 answerable."""
        if capitalised_throughout(question):
            return []
        found = [
            name
            for line in question.split("\n")
            for name in named(line).split()
            if not name.isupper() and name != "May" and not NATIONALITY.search(name)
        ]
        unknown = [
            name
            for name in found
            if not all(
                self._held(part) for part in re.split(r"[-_]", name) if len(part) > 1 and part.lower() not in STOPWORDS
            )
        ]
        if asked_kind(question) == "yes/no" and len(unknown) < len(found):
            return []
        return unknown

    def unknown_things(self, question: str) -> list[str]:
        """The words of the thing a question asks the value of (`facts.thing_asked`: "Who is Noah's football
        coach?", "What is Tomas's blood type?") that no note holds in any form (`_held_in_any_form`): the notes
        never speak of a coach or a blood type, whatever passage about Noah or Tomas comes close. On a new user's
        50 questions about family notes (12 files) it holds for 3 of 8 unanswerable and none of 42 answerable;
        on bench/answer_bench.py's tune split and our development questions (266 and 216 more) for one
        unanswerable question ("What's the GDP of Germany?") and no answerable one."""
        return [word for word in thing_asked(question) if not self._held_in_any_form(word)]

    def _held_in_any_form(self, word: str) -> bool:
        """Whether a note holds the word, its parts joined or each ("Wi-Fi": "WiFi"), or a word beginning with its
        letters but its last three ("expiry": "expires"; the keyword index does not stem): each an indexed
        lookup (a near spelling, `_held`'s, reads the whole vocabulary: seconds on a large folder)."""
        parts = [part for part in word.split("-") if part]
        joined = search_form("".join(parts))
        if not joined.isalnum():
            return True  # nothing a keyword lookup reads
        stem = joined[: max(STEM_LETTERS, len(joined) - 3)]
        lookups = [fts_all([word]), fts_all([joined]), f'"{stem}"*']
        with self.lock:
            try:
                if any(self.index.manifest.keyword_search(match, 1, {}) for match in lookups if match):
                    return True
                return len(parts) > 1 and all(self.index.manifest.keyword_search(fts_all([p]), 1, {}) for p in parts)
            except sqlite3.OperationalError:
                return True  # a word FTS5 cannot read is not known to be missing

    def _held(self, word: str) -> bool:
        """Whether a note holds the word, or one of the same first letters spelled nearly so (a typo, a plural,
        "Python3" for "Python": `NEAR_SPELLING`)."""
        match = fts_all([word])
        try:
            if not match or self.manifest("keyword_search", match, 1, {}):
                return True
            form = "".join(c for c in unicodedata.normalize("NFKD", search_form(word)) if not unicodedata.combining(c))
            if not form.isalnum() or len(form) < SPELLING_PREFIX + 1:
                return False
            near = self.manifest("words_from", form[:SPELLING_PREFIX])  # the index folds "ü" to "u" as this does
        except sqlite3.OperationalError:
            return True  # a word FTS5 cannot read is not known to be missing
        return any(SequenceMatcher(None, form, held).ratio() >= NEAR_SPELLING for held in near)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of the texts (n x dim), each text embedded once while it stays in the cache, and on its own
        (`Embedder.encode_each`), so a passage's score does not depend on which questions came before."""
        with self.vectors_lock:
            found = {text: self.vectors.get(text) for text in texts}
        missing = [text for text, vector in found.items() if vector is None]
        if missing:
            fresh = dict(zip(missing, self.index.embedder.encode_each(missing), strict=True))
            found.update(fresh)
            with self.vectors_lock:
                if len(self.vectors) + len(fresh) > VECTOR_CACHE:
                    self.vectors.clear()
                self.vectors.update(fresh)
        return np.stack([found[text] for text in texts])

    def empty(self) -> bool:
        return self.manifest("counts")["chunks"] == 0

    def manifest(self, method: str, *args: Any) -> Any:
        with self.lock:
            return getattr(self.index.manifest, method)(*args)


def sampling(settings: ServerConfig, **asked: Any) -> dict[str, Any]:
    """llama.cpp's sampling for an answer: what was asked (None: not asked), else the config's. The server,
    the gate and the benchmarks all sample through this."""
    chosen = {
        "temperature": settings.temperature,
        "top_p": 0.95,
        "max_tokens": settings.max_tokens,
        "stop": None,
        "seed": None,
    }
    chosen.update({key: value for key, value in asked.items() if value is not None})
    chosen["repeat_penalty"] = 1.1  # small models loop without it
    return chosen


def answer_sampling(settings: ServerConfig, **asked: Any) -> dict[str, Any]:
    """`sampling` for an answer from the notes: shorter unless asked (`answer_max_tokens`). Only a request's
    own `stop` goes to llama.cpp; where the config says an answer ends is `answer_stops`, which `Check` finds."""
    return sampling(settings, **{**asked, "max_tokens": asked.get("max_tokens") or settings.answer_max_tokens})


def answer_stops(settings: ServerConfig, params: dict[str, Any]) -> list[str]:
    """The config's `answer_stop`, unless the request set its own `stop` (then llama.cpp stops there)."""
    return [] if params.get("stop") else list(settings.answer_stop)


def answer_end(text: str, stops: Sequence[str]) -> int | None:
    """Where an answer ends in `text`: its first stop (a blank line, a line starting "["), except one between an
    opening lead-in (`leads_in`) and the line it leads to. "The Git equivalent of cvs update is:", a blank line,
    "$ git pull": the answer is the command. None: not yet."""
    skip = 0
    start = len(text) - len(text.lstrip())
    line_end = text.find("\n", start)
    if line_end != -1 and leads_in(text[start:line_end]):
        rest = text[line_end:]
        skip = len(text) - len(rest.lstrip())  # where the line it leads to starts
        if skip == len(text):
            return None
    return min((at for stop in stops if (at := text.find(stop, skip)) != -1), default=None)


def leads_in(line: str) -> bool:
    """A line that is one sentence ending in ":", leading into its answer on the next line ("The command is:")."""
    line = line.strip()
    return bool(line) and LEAD_IN.search(line) is not None and sentences(line)[0] == line


def _pending(text: str, stops: Sequence[str]) -> int:
    """Characters at the end of `text` that may be the start of a stop (held back until the next piece)."""
    return max((k for stop in stops for k in range(1, len(stop)) if text.endswith(stop[:k])), default=0)


def goes_on(line: str, following: str) -> bool:
    """Whether a sentence goes on from `line` into the `following` line: the model copied a hard-wrapped
    sentence of a PDF or a text file ("... to accept the traffic, which uses" / "IPv4 protocol number 41.").
    Not after a sentence's end or a fact ("The answer is: /etc/adduser.conf"), nor into a list, code or a
    citation line."""
    following = following.lstrip(" \t")
    if line.rstrip().endswith(",") and LIST_ITEM.match(following):
        return False
    return OPEN_END.search(line.rstrip()) is not None and GOES_ON.match(following) is not None


def first_statement(answer: str) -> str:
    """An answer's first statement (`statement_ends`) on one line: a sentence, read with the line after it
    where it is a lead-in ("The correct answer is:") or where the sentence goes on there (`goes_on`:
    hard-wrapped lines are one sentence)."""
    ends = statement_ends(answer)
    return " ".join(answer[: ends[0]].split()) if ends else ""


def statement_ends(text: str) -> list[int]:
    """Where each statement of an answer ends in `text` (offsets): a sentence's end (`sentences`), read across
    the lines it goes on in (`goes_on`; not over a blank line) and, after a lead-in (`leads_in`), with the line
    it leads to; the last is the end of the text's last line."""
    ends: list[int] = []
    start = None  # where the block of lines being read starts
    lines = text.split("\n")
    offsets = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    written = [i for i, line in enumerate(lines) if line.strip()]
    for i, after in itertools.zip_longest(written, written[1:]):
        start = offsets[i] if start is None else start
        leads = after is not None and leads_in(lines[i])
        if not leads and not (i + 1 < len(lines) and goes_on(lines[i], lines[i + 1])):
            ends += [start + end for end in sentence_ends(text[start : offsets[i] + len(lines[i])])]
            start = None
    # a list item's number ends no statement: "1." is read with its item
    return [end for at, end in enumerate(ends) if not LIST_NUMBER.fullmatch(text[(ends[at - 1] if at else 0) : end])]


def _cut_inside(shown: str, rest: str) -> bool:
    """Whether an answer cut before `rest` was cut inside a sentence: what is shown ends on no sentence's end,
    and the rest goes on in its line, or in the next where its sentence would (`goes_on`: "... under the
    sponsorship of the Free Software" / "for the GNU project.")."""
    last = shown.rstrip().rsplit("\n", 1)[-1]
    if WHOLE_END.search(last):
        return False
    return not rest.startswith("\n") or goes_on(last, rest.lstrip("\n"))


def _first_done(start: str) -> bool:
    """Whether an answer's start holds its first statement whole (`statement_ends`: another has begun after
    it, "3." may go on as "3.12", "Dr." as "Dr. Brenner"), or `CHECK_AFTER` characters of it."""
    return len(start) >= CHECK_AFTER or len(statement_ends(start)) > 1


def named(question: str) -> str:
    """A question's names (`NAMED`, not its numbers, stopwords, months or single letters: "I", "March"; a code
    that is a stopword is one: "NO"), searched alone by their words: "Which country has the two-letter code SJ?"
    -> "SJ"."""
    words = [word for word in NAMED.findall(question) if not word[0].isdigit() and len(word) > 1]
    codes = given_stopwords(question)  # "NO" of "Which country has the code NO?"
    small = [word for word in words if word.lower() not in STOPWORDS or word.lower() in codes]
    return " ".join(word for word in small if not CALENDAR_NAME.fullmatch(word))


def record_keys(question: str) -> list[str]:
    """What identifies a record a question asks of: its names' words and its numbers ("Debian", "7"), where it
    has both; none otherwise: its names alone are searched (`named`), and a number alone ("What is 2 + 2?",
    "... in 2024?") names no record."""
    numbers = [word.rstrip(".,:-") for word in NAMED.findall(question) if word[0].isdigit()]
    names = named(question).split()
    return [*names, *numbers] if numbers and names else []


def holds_the_keys(hit: Hit, keys: list[str]) -> bool:
    """Whether a chunk (its title and heading too) holds every one of a question's record keys (`record_keys`) as
    a whole word: "Ubuntu 25.10" in a sheet of releases titled "ubuntu". Such a chunk is read however far its
    meaning is from the question's: ten rows embedded together come out at 0.11, below `min_similarity`, and the
    row asked about was never read ("When does Ubuntu 25.10 reach end of life?" was refused). A name of two
    words or more (`evidence.name_runs`: "Trusty Tahr") keys one too where the question has no number. Keys that
    it does not hold may be the words of an initialism it writes (`evidence.spelt`: in capitals or as a record's
    key: "Expanded Security Maintenance" in a sheet's "eol-esm"; not a word such as "use" or "gas")."""
    text = f"{hit.title} {hit.heading} {hit.text}"
    held = terms(text)
    unheld = [key for key in keys if not (terms(key) and terms(key) <= held)]
    if len(unheld) < INITIALISM_WORDS[0]:
        return bool(keys) and not unheld
    return "".join(key[0] for key in unheld).lower() in spelt(hit.text, fields(hit.text))


def holds_the_names(hit: Hit, names: list[str]) -> bool:
    """Whether a chunk holds every one of the names as a whole word written as the question writes it: where a
    question has no number and no name of two words, its names alone key a record ("Which script has the code
    Nbat?": ten scripts embedded together are at 0.10, below `min_similarity`); "Mark" is not "mark the date"."""
    text = f"{hit.title}\n{hit.heading}\n{hit.text}"
    return bool(names) and all(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) for name in names)


def days_asked(question: str) -> list[str]:
    """The days a question names, as a record writes them (ISO 8601): "Who did I run with on 15 November?" asks
    of the row "2026-11-15" of a training log (a day without its year is the nearest such day, as
    `facts.calendar_spans` reads it), which its words do not find."""
    return sorted(day.isoformat() for day in single_days(calendar_spans(question)))


def refers_back(question: str) -> bool:
    """Whether a question refers to an earlier turn's subject by a pronoun (`REFERS_BACK`) before any name of its
    own: "When is its MOT due?", "What is her phone number at Acme?"; not "When does Tom renew his passport?",
    where "his" is Tom's."""
    pronoun = REFERS_BACK.search(question)
    if pronoun is None:
        return False
    before = question[: pronoun.start()]
    return not any(not CALENDAR_NAME.fullmatch(name) for name in NAMED.findall(before))


def earlier_subject(asked: list[str]) -> str:
    """The earlier question a last one leans on: the one before it, or, where that one refers back itself by a
    pronoun and names nothing ("Who leads it?"), the latest before it that names something ("When does it
    end?" after "Who leads it?" after "What is the budget of Project Osprey?" asks of Project Osprey)."""
    at = len(asked) - 2
    while at > 0 and not named(asked[at]) and REFERS_TO.search(asked[at]):
        at -= 1
    return asked[at]


PERSON_TURNS_BACK = 3  # answers a pronoun for a person looks back over, latest first, for the one person named
POSSESSIVE_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+)*['’]s\b")  # "Priya Anand's manager"
PERSONAL = re.compile(r"\b(?:he|she|him|his|her|hers)\b", re.I)  # a pronoun for a person, not a thing ("it")


def answered_person(turns: list[Turn]) -> str:
    """The one person (`PERSON`) the answer before the last question named and the question it answered did not,
    where the last question refers back to a person (`PERSONAL`): "Priya Anand" of "Project Wren is led by Priya
    Anand." for "What is her phone number?" after "Who leads Project Wren?" (her number is in a contact sheet,
    which the earlier question's "Project Wren" does not find). "" where there is none, or more than one, or the
    question names someone of its own the pronoun may be ("Who is Priya Anand's manager?", "Who did Priya
    meet?"). An answer that names no one ("It ends in March 2027.") is passed over for the one before it, up to
    PERSON_TURNS_BACK answers back: "her" after "Who leads Project Lantern?", then "When does it end?"."""
    users = [i for i, turn in enumerate(turns) if turn["role"] == "user" and turn["content"].strip()]
    if len(users) < 2 or not PERSONAL.search(turns[users[-1]]["content"]):
        return ""
    pairs = list(itertools.pairwise(users))[-PERSON_TURNS_BACK:]
    # the words of the questions looked back over, whose names are no person answered: "Project Wren"
    words = {word for earlier, _ in pairs for word in re.findall(r"[\w'-]+", turns[earlier]["content"])}
    for earlier, later in reversed(pairs):
        replies = [turn["content"] for turn in turns[earlier + 1 : later] if turn["role"] == "assistant"]
        asked = turns[earlier]["content"]
        if not replies or POSSESSIVE_NAME.search(asked):
            return ""  # "Who is Priya Anand's manager?": "her" may be Priya
        reply = replies[-1]
        outside = set(re.findall(r"[\w'-]+", PERSON.sub(" ", reply)))  # "Priya" of "Priya met Tom Hall."
        if {word for word in NAMED.findall(asked) if word[:1].isupper()} & outside:
            return ""  # the question's own person is in the answer: "her" may be Priya
        people = {m.group() for m in PERSON.finditer(reply)}
        people = {person for person in people if not set(person.split()) & words}
        if people:
            return people.pop() if len(people) == 1 else ""
        if WHO.match(main_question(asked)) or PERSON.search(asked):
            return ""  # a turn about someone the answer did not name ("Is Tom Hall in Finance?" "Yes, he is.")
    return ""


def search_question(turns: list[Turn]) -> str:
    """What a conversation's search and check use: its last user turn, read with the turn before it when it
    leans on it. "And how many nights?" or "What is his phone number?" asks more of the same subject: both turns
    are searched. "And the Orchard gate?" after "Who inspected the Kestrel depot?" (or "Tuesday?" after a
    question on Monday) names a new subject: the earlier turn gives what is asked, without its own names, days
    and numbers, which would outvote it.
    A last turn that stands alone is searched alone: an unrelated earlier turn must not sink it. One referring
    to the person the answer before named ("What is her phone number?" after "Who leads Project Wren?") is
    searched with that person's name (`answered_person`)."""
    asked = [t["content"].strip() for t in turns if t["role"] == "user" and t["content"].strip()]
    if not asked:
        return ""
    last = asked[-1]
    named = [name for name in NAMED.findall(last) if not CALENDAR_NAME.fullmatch(name)]  # its own subject
    refers = refers_back(last)  # "When does Tom renew his passport?" stands alone; "When is its MOT due?" not
    leans = refers or FOLLOW_UP.match(last) or (len(terms(last)) <= FOLLOW_UP_TERMS and not NAMED.search(last))
    if len(asked) < 2 or not leans:
        return last
    if refers and (person := answered_person(turns)):
        return f"{person}\n{last}"  # "her" is the person the answer before named: her number is with her name
    before = earlier_subject(asked)
    if named and not refers:  # a new subject ("the Orchard gate"): the earlier turn's names would outvote it
        before = NAMED.sub(" ", before)
    if CALENDAR_NAME.search(last):  # another day ("Tuesday?"): the earlier turn's day would outvote it
        before = CALENDAR_NAME.sub(" ", before)
    return f"{' '.join(before.split())}\n{last}"


OTHER = re.compile(r"\b(?:other|else|another)\b", re.I)  # "And the other site?": not the one asked before


def followed_up(turns: list[Turn], question: str) -> FollowUp | None:
    """What a question read with the turn before (`search_question`: two lines) asks of the passage read, where
    it opens as a follow-up ("And ...?", `FOLLOW_UP`): its own words ("And raw milk?": raw, milk; "And in the
    afternoon?": afternoon); where it asks for the other one ("And the other site?"), the earlier turn's names
    it turns from; else, where it names nothing itself, those it stays with ("Lisbon" of the Lisbon flat's door
    code for "And is there a cleaning fee?"). None where it refers back ("And its budget?")."""
    if "\n" not in question:
        return None
    last = question.rsplit("\n", 1)[1]
    asked = [t["content"] for t in turns if t["role"] == "user" and t["content"].strip()]
    if not FOLLOW_UP.match(last):  # "Who leads it?": asked on its own of the earlier turn's subject
        subject = answered_person(turns) or (named(earlier_subject(asked)) if len(asked) > 1 else "")
        return FollowUp(asks=f"{subject}: {last}" if subject else last) if REFERS_TO.search(last) else None
    if REFERS_BACK.search(last):
        return None
    own = terms(OTHER.sub(" ", FOLLOW_UP.sub(" ", last)))
    earlier = terms(named(asked[-2])) - own if len(asked) > 1 else set()
    if OTHER.search(last):
        return FollowUp(frozenset(own), turned_from=frozenset(earlier))
    return FollowUp(frozenset(own), kept=frozenset() if named(FOLLOW_UP.sub(" ", last)) else frozenset(earlier))


OWN_SUBJECT_TERMS = 3  # content words by which a follow-up says what it is about ("who cleans the cider press")


def own_subject(turns: list[Turn], question: str) -> bool:
    """Whether a follow-up (`followed_up`) names what it asks about itself, by a name or OWN_SUBJECT_TERMS content
    words: "And who cleans the cider press?" after a question on Mars is not about Mars (the notes' unknown
    names are its own), "And the budget?" after "Who leads Zephyr?" is about Zephyr."""
    follow_up = followed_up(turns, question)
    last = question.rsplit("\n", 1)[-1]
    own = follow_up.own if follow_up else frozenset()
    return bool(own) and (bool(named(FOLLOW_UP.sub(" ", last))) or len(own) >= OWN_SUBJECT_TERMS)


# Content words a short last turn has at least to be tried alone (`stands_alone`): "the pharmacy manager", not
# "the deadline", which most often asks for the earlier turn's
ALONE_TERMS = 2


def may_stand_alone(last: str) -> bool:
    """Whether a last turn that `search_question` reads with the one before may yet stand alone: a whole short
    question of `ALONE_TERMS` content words or more, not opening as a follow-up ("And ...?") nor referring back
    ("its budget")."""
    return len(terms(last)) >= ALONE_TERMS and not FOLLOW_UP.match(last) and not REFERS_BACK.search(last)


def stands_alone(last: str, together: list[Passage], alone: list[Passage]) -> bool:
    """Whether the last turn searched alone finds a passage holding all its content words (with its heading and
    title) where the conversation searched together finds one whose lines hold none of them (its heading may
    name the whole page, "Hillside Pharmacy"): "Who is the pharmacy manager?" after "Which shelf is Sertraline
    on?" found the shelf's row; alone, the manager's line. A passage of the earlier turn's note that says some
    of them ("Hotel: Adlon, room 508" for "What's the room number?") is what the follow-up asks of, though
    another note says all ("The room number is 31."). "And its budget?" and "What is the deadline?" (one word,
    `ALONE_TERMS`) are not tried."""
    own = terms(last)
    if not alone or not own <= terms(f"{alone[0].hit.title} {alone[0].hit.heading} {alone[0].text}", parts=True):
        return False
    return not together or not own & terms(together[0].text, parts=True)


def prompt_tokens(messages: list[Turn], count_tokens: CountTokens) -> int:
    return sum(count_tokens(m["content"]) + TEMPLATE_OVERHEAD for m in messages)


@dataclass
class Plan:
    """Everything decided before generation: the passages the model reads (best first) and its messages, or
    a fixed reply that no model writes (an empty index, notes that do not cover the question)."""

    question: str  # what was searched and what the check reads
    messages: list[Turn]
    passages: list[Passage] = field(default_factory=list)
    sources: list[SourceText] = field(default_factory=list)
    fixed: str | None = None
    best_score: float | None = None  # the best passage's evidence score, also when it was too low to answer


def reading(passage: Passage, question: str) -> str:
    """What the model reads of a passage: the sentence that answers the question (the quote the check would
    show) on top, then the whole passage. On the 37 tune questions of bench/answer_bench.py whose evidence
    holds the answer, four seeds each, the bundled model's own words were right for 0.73 of 148 answers with
    this layout and 0.66 with the passage alone, 0.07 s slower at the median (`bench/prompt_bench.py --seeds
    4`, bench/RESULTS.md): a 135M model copies the first lines it reads, so they had better be the answer.
    A passage of one sentence or record is read twice too: read once, the tune split's own words fell from
    0.63 to 0.56 on prose (n=27) and from 0.72 to 0.61 on manual pages (n=18), where an option's entry is
    one record and its quote joins the names to the description ("-z, --gzip: Filter ...")."""
    return f"{quote(passage, question)}\n\n{passage.text}"


def fit_sources(passages: list[Passage], question: str, count_tokens: CountTokens, budget: int) -> list[SourceText]:
    """Best passage first while they fit in `budget` tokens, each as the model reads it (`reading`); the
    first that does not fit ends the list (nothing is cut mid-text)."""
    texts: list[SourceText] = []
    used = 0
    for passage in passages:
        hit = passage.hit
        text = SourceText(len(texts) + 1, hit.title, hit.path, passage.location(), reading(passage, question))
        cost = count_tokens(format_source(text)) + 2
        if used + cost > budget:
            break
        used += cost
        texts.append(text)
    return texts


def model_messages(turns: list[Turn], sources: list[SourceText] | None) -> list[Turn]:
    """The conversation as the model gets it; with sources, our system message comes first and the last user
    turn that asks something reads the notes before its question (prompt.notes_message)."""
    if sources is None:
        return turns
    asked = [i for i, turn in enumerate(turns) if turn["role"] == "user" and turn["content"].strip()]
    last = asked[-1] if asked else len(turns)  # the turn search_question reads; none: a turn of its own
    question = turns[last]["content"] if last < len(turns) else ""
    with_notes = {"role": "user", "content": notes_message(sources, question)}
    return [{"role": "system", "content": SYSTEM_PROMPT}, *turns[:last], with_notes, *turns[last + 1 :]]


def plan(
    turns: list[Turn],
    notes: Notes,
    settings: ServerConfig,
    count_tokens: CountTokens,
    max_tokens: int,
    k: int | None = None,
    mode: Mode | None = None,
    where: dict[str, str] | None = None,
    allowed: Callable[[Hit], bool] | None = None,
) -> Plan:
    """Search, keep the hits close enough in meaning, cut them to the passages that answer, and fit those
    into the context left after the conversation and the answer. `allowed` drops hits (the trainer keeps
    held-out documents out of what it trains on). A question naming what no note names is not covered
    (`Notes.unknown_names`)."""
    question = search_question(turns)
    if notes.empty():
        return Plan(question, turns, fixed=EMPTY_INDEX)
    if notes.unknown_names(question.rsplit("\n", 1)[-1] if own_subject(turns, question) else question):
        return Plan(question, turns, fixed=NOT_COVERED)  # a follow-up of its own subject: its names alone
    if notes.unknown_things(question):
        return Plan(question, turns, fixed=NOT_COVERED)  # "Who is Noah's football coach?" where no note has one

    def found(query: str) -> list[Passage]:
        hits = notes.search(query, k or settings.candidates, mode, where or {}, settings.each_ranking_first)
        # what names a record: a name with a number ("Debian 7"), a name of two words ("Trusty Tahr"), a code
        # ("Nbat"), else a name typed in lower case as a hit writes it ("trusty tahr": "Trusty Tahr")
        keys = record_keys(query) or [word for run in name_runs(query) for word in run]
        codes = [] if keys else [name for name in named(query).split() if name not in TITLES]
        if not keys and not codes:
            codes = [word for run in written_name_runs(query, [hit.text for hit in hits]) for word in run]
        hits = [
            h
            for h in hits
            if h.similarity is None
            or h.similarity >= settings.min_similarity
            or holds_the_keys(h, keys)
            or holds_the_names(h, codes)
        ]
        hits = notes.with_its_document(query, hits)
        return notes.evidence(query, [h for h in hits if allowed is None or allowed(h)], followed_up(turns, query))

    passages = found(question)
    last = question.rsplit("\n", 1)[-1]
    if last != question and may_stand_alone(last) and stands_alone(last, passages, alone := found(last)):
        question, passages = last, alone  # "Who is the pharmacy manager?" after "Which shelf is Sertraline on?"
    best = passages[0].score if passages else None
    if best is None or best < settings.min_evidence or shares_only_a_name_part(question, passages[0]):
        return Plan(question, turns, fixed=NOT_COVERED, best_score=best)
    fixed_text = SYSTEM_PROMPT + NOTES_HEADER + QUESTION_HEADER
    budget = settings.n_ctx - max_tokens - prompt_tokens(turns, count_tokens) - count_tokens(fixed_text)
    sources = fit_sources(passages, question, count_tokens, budget - 2 * TEMPLATE_OVERHEAD)
    if not sources:
        return Plan(question, turns, fixed=NOT_COVERED, best_score=best)
    return Plan(question, model_messages(turns, sources), passages[: len(sources)], sources, best_score=best)


def cited(answer: str, plan: Plan) -> set[int]:
    """The source numbers an answer uses: its explicit [n] citations, else the sources it quotes."""
    return cited_numbers(answer) or {s.number for s in plan.sources if quotes(answer, s.text)}


class Check:
    """Holds back the start of an answer until its first sentence can be checked against the evidence.

    A 135M model reads the right lines and still writes a wrong option, number or name about half the time.
    An answer whose first sentence states a fact the evidence does not hold (or states none) is replaced by
    the evidence's own words, so what a user reads is either grounded or a quote; a grounded one streams on.
    Where the question asks for a kind of fact (a date, a name) that the evidence does not state at all, or
    names a number it does not hold (Debian 14 where the lines are about Debian 13), the notes are on the
    topic but do not say it: the reply says so instead of quoting words that do not answer.
    A grounded first statement is shown; each one after it is held until whole and shown where the passages
    support it (`evidence.supported`), and the first that does not ends the answer before it (`cut`): the model
    goes on past its answer with what it makes up ("... released in 2013", a manual's section it names wrongly).
    `fit` cuts a replacement to the answer's token limit. It also finds where the answer ends (`answer_end` at
    `stops`): `ended` says the model may stop, `own` is the model's answer up to there.
    """

    def __init__(self, plan: Plan, fit: Callable[[str], str], stops: Sequence[str] = ()) -> None:
        self.plan = plan
        self.fit = fit
        self.stops = stops
        self.said = ""  # what the model wrote
        self.taken = 0  # of which this much passed the end's check (the rest may start a stop)
        self.held = ""
        self.shown = 0  # of what is held, this much is shown (or checked and on its way)
        self.open_first = False  # the first statement was checked in part (`CHECK_AFTER`): its rest is shown too
        self.decided = not plan.passages
        self.replaced = False
        self.cut = False  # a statement after the first said what the notes do not: the answer ends before it
        self.ended = False

    @property
    def own(self) -> str:
        """The model's own words: its answer up to where it ends."""
        return self.said[: self.taken] if self.ended else self.said

    def feed(self, piece: str) -> list[str]:
        """What may be shown now of the answer so far."""
        if self.ended:
            return []
        self.said += piece
        end = answer_end(self.said, self.stops)
        self.ended = end is not None
        upto = end if end is not None else len(self.said) - _pending(self.said, self.stops)
        text, self.taken = self.said[self.taken : upto], max(self.taken, upto)
        return self._shown(text)

    def finish(self) -> list[str]:
        """What is left to show once the model stopped; the answer has ended then."""
        shown = [] if self.ended else self._shown(self.said[self.taken :])
        self.taken, self.ended = len(self.own), True
        if self.replaced or self.cut:
            return shown
        return shown + (self._decide() if not self.decided else self._later(whole=True))

    def _shown(self, text: str) -> list[str]:
        """What may be shown of the model's next text: nothing once replaced or cut, else its first statement
        once it is grounded and each later one once it is `supported`; all of it where nothing was found."""
        if self.replaced or self.cut:
            return []
        if not self.plan.passages:
            return [text] if text else []
        self.held += text
        if self.decided:
            return self._later()
        return self._decide() if _first_done(self.held.lstrip()) else []

    def _later(self, whole: bool = False) -> list[str]:
        """The statements after the first that are complete (another has begun; all where the answer is `whole`), up to
        the first the passages do not support (`evidence.supported`), where the answer is cut (" …" where that is
        inside a sentence). A code block's opening fence is shown with the line it opens, its closing one alone."""
        ends = statement_ends(self.held)
        ends = [end for end in (ends if whole else ends[:-1]) if end > self.shown]
        start = self.shown
        first = first_statement(self.held)  # what "she" or "it" of a later one refers to
        for end in ends:
            statement = self.held[self.shown : end]
            opens = FENCE.fullmatch(statement.strip()) and self.held[: self.shown].count("```") % 2 == 0
            if opens and (end != ends[-1] or not whole):
                if end != ends[-1]:
                    continue
                break
            if self.open_first:
                self.open_first = False  # the rest of the first statement
            elif not FENCE.fullmatch(statement.strip()) and not supported(statement, self.plan.passages, first):
                self.cut = True
                break
            self.shown = end
        if whole and not self.cut:
            self.shown = len(self.held)  # the blank after the last statement
        shown = self.held[start : self.shown]
        if self.cut and _cut_inside(self.held[: self.shown], self.held[self.shown :]):
            shown += " …"
        return [shown] if shown else []

    def _decide(self) -> list[str]:
        self.decided = True
        best, question = self.plan.passages[0], self.plan.question
        first = first_statement(self.held)
        kind = asked_kind(question)
        if kind != "yes/no" and (
            unheld_numbers(question, self.plan.passages)
            or another_of_its_set(question, self.plan.passages)
            or other_end(question, self.plan.passages)
        ):  # "Is it 50,000?", "Is it on Monday?": a quote answers
            self.replaced = True
            return [NOT_STATED]  # about another version, year or item than the notes (Debian 14, not 13)
        if another_owner(question, best) is not None:
            self.replaced = True
            return [NOT_STATED]  # my dentist's appointment, asked when Ellen's is
        if unheld_thing(question, best) is not None:
            self.replaced = True
            return [NOT_STATED]  # a country's record, asked for its population
        if unnamed_program(question, best) is not None:
            self.replaced = True
            return [NOT_STATED]  # screen's key for detaching, asked tmux's
        if unstated_field(question, best):
            self.replaced = True
            return [NOT_STATED]  # the record lacks the field asked for, which its neighbours have (no release yet)
        if reverses_roles(question, best):  # no passage about the way asked came close (`REVERSED_ROLES`)
            self.replaced = True
            return [NOT_STATED]  # about the other way round: the bus to Ashby Cross, asked when it leaves from it
        if grounded(first, question, best) and (kind not in CONTACT or _reached(first, question, best)):
            self.shown = next(iter(statement_ends(self.held)), len(self.held))
            self.open_first = self.shown == len(self.held) and not self.ended  # cut at `CHECK_AFTER`
            return [self.held[: self.shown], *self._later(whole=self.ended)] if self.held else []
        self.replaced = True
        if REFUSED.search(first):
            return [NOT_STATED]  # the model read the evidence and found no answer: what it was trained to say
        if unstated_deed(question, best) is not None:
            return [NOT_STATED]  # a distribution's description, asked who founded the company behind it
        if kind and not states(kind, dated_text(best, question), question):
            return [NOT_STATED]  # on topic, but the fact asked for is not there: a quote would not answer
        said = quote(best, question, first)
        if kind in CONTACT and not _reached(said, question, best):
            return [NOT_STATED]  # the landlord's name for his phone number, or the caretaker's number
        return [self.fit(QUOTED.format(quote=said, number=1))]


def _reached(answer: str, question: str, best: Passage) -> bool:
    """Whether a phone number or e-mail address an answer (or a quote) gives (`facts.contacts`) stands in a unit
    of the passage naming whom the question asks about: a word of the question besides those of the kind
    (`CONTACT_WORDS`) in the unit, its passage's heading or title. "The landlord's phone number is 01632 960472."
    read in "Caretaker: Jo Hale, phone 01632 960472." does not, nor a quote joining that line to the landlord's.
    A record's field named by its kind ("phone", "work phone") is the whole record's where one field alone names
    someone ("phone: 555 0101" beside "name: Ann Berg" in a contact sheet's row); a field naming someone
    ("Caretaker: Jo Hale, phone ...") is theirs alone; a form's bare "Phone:" under a line naming one of two
    people is that person's ("Caretaker: Stanislav Mbeki" over "Phone: 07911 123 450")."""
    kind = asked_kind(question) or ""
    given = contacts(kind, answer)
    contact_terms = {term for word in CONTACT_WORDS for term in terms(word)}
    whom = terms(question) - contact_terms
    body = [line for line in best.text.split("\n") if line.strip()]
    people = sum(bool(PERSON.search(line.split(":", 1)[-1])) for line in body)
    record = one_record(best.text) and people == 1

    units = units_of(best.text)

    def whose(at: int) -> str:  # the text that says whose number or address the unit gives
        unit = units[at]
        key = unit.split(":", 1)[0] if ":" in unit else ""
        if not key or not terms(key) <= contact_terms | {"work", "home", "office"}:
            return unit
        return best.text if record else f"{units[at - 1]} {unit}" if at else unit

    return any(
        not whom or whom & terms(f"{best.hit.title} {best.hit.heading} {whose(at)}")
        for at, unit in enumerate(units)
        if given & contacts(kind, unit)
    )


@dataclass(frozen=True)
class Reply:
    own: str  # the model's own words, before any check ("" for a fixed reply)
    shown: str  # what a user reads: the model's words, a quote of the evidence, or a fixed reply
    quoted: bool  # the check replaced the model's words with the evidence's
    fixed: bool  # no model wrote it
    served_at: float = 0.0  # time.perf_counter() when what is shown was complete: the server stops generating there
    cut: bool = False  # the check left off the model's statements from the first the notes do not support on

    @property
    def refused(self) -> bool:
        """What a user reads says the notes do not hold the answer: the path's fixed reply (no passage close
        enough), the check's (the fact is not in the evidence) or the model's own refusal."""
        first = sentences(self.shown.strip())[0] if self.shown.strip() else ""
        return self.shown in (NOT_COVERED, NOT_STATED) or bool(REFUSED.search(first))


def respond(
    plan: Plan, pieces: Iterable[str], fit: Callable[[str], str] = lambda text: text, stops: Sequence[str] = ()
) -> Reply:
    """The whole answer: every piece the model writes up to where the answer ends (its own words are kept whole,
    to be measured), and what the check lets through, as the server shows it, with when that was complete (at a
    quote or the answer's end, where the server stops the model)."""
    if plan.fixed is not None:
        return Reply("", plan.fixed, False, True, time.perf_counter())
    check = Check(plan, fit, stops)
    shown: list[str] = []
    served_at = None
    for piece in pieces:
        shown += check.feed(piece)  # the server stops at a quote too; here the model's words are measured whole
        if served_at is None and (check.replaced or check.cut or check.ended):
            served_at = time.perf_counter()
        if check.ended:
            break
    shown += check.finish()
    return Reply(check.own, "".join(shown), check.replaced, False, served_at or time.perf_counter(), check.cut)


def generate(llama: Any, plan: Plan, params: dict[str, Any]) -> Iterator[str]:
    """The model's answer, piece by piece, from a llama.cpp model (one thread at a time)."""
    for chunk in chat_stream(llama, plan.messages, params):
        if text := chunk["choices"][0]["delta"].get("content"):
            yield text


def ask(
    llama: Any,
    question: str,
    notes: Notes,
    settings: ServerConfig,
    **asked: Any,
) -> tuple[Plan, Reply]:
    """One question asked as a chat asks it, with one llama.cpp model: the gate's and the benchmarks' loop."""
    params = answer_sampling(settings, **asked)
    tokens = params["max_tokens"]
    chosen = plan([{"role": "user", "content": question}], notes, settings, lambda t: count_tokens(llama, t), tokens)
    pieces = generate(llama, chosen, params) if chosen.fixed is None else []
    return chosen, respond(chosen, pieces, lambda text: truncate(llama, text, tokens), answer_stops(settings, params))

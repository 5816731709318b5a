"""Questions a note answers, made from the note alone (no bigger model): from its structure, and cloze-style.

- `key: value` lines (front matter, CSV/JSON records, settings): "What is the KEY of SUBJECT?"
- option lists (a line naming `-x, --long` over its indented description, as in manual pages): "Which
  option of TITLE does this: DESCRIPTION?", and "What does --long do?"
- headings: "What do my notes say about HEADING?" (a FAQ's heading that is a question: as written), answered
  with the section's first sentences where they are prose;
- sentences that carry a fact (a number or year, an option, a NAME, a Capitalised name): the fact is replaced
  by a question word ("The lighthouse was rebuilt in what year by the engineer Ada Fenwick?").
Every answer is the note's own words; `fact` is the part a right answer must contain (None where the answer
is a summary that cannot be checked by one string), so the questions with a fact also measure accuracy.
A question the user asked and rated the answer of right (`rated_question`) is checked by a fact of that answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from foldermind.evidence import HYPHENATED
from foldermind.indexer.records import sha256_hex
from foldermind.indexer.search import STOPWORDS
from foldermind.trainer.corpus import NOT_QUESTIONS, Passage

KEY_VALUE = re.compile(r"^\s*(?:[-*]\s+)?([A-Za-z][\w '/]{0,38}?)\s*:\s+(\S.{0,200}?)\s*$")
OPTION_LINE = re.compile(r"^(\s*)(--?[A-Za-z0-9][\w-]*(?:[= ][\w<>\[\]=.-]+)?(?:,\s*--?[A-Za-z0-9][\w=<>\[\]-]*)*)\s*$")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
YEAR = re.compile(r"^(?:1[5-9]|20)\d\d$")
# A name inside a sentence: a fact too, after what an answer gets wrong most (FACT).
# What a cloze question blanks out first: an option, a number, a CONSTANT.
# A number is a fact standing alone: not part of a name ("package-1.install"), nor a reference ("ls(1)").
FACT = re.compile(
    r"(?<![\w-])--?[A-Za-z0-9][\w=-]*|(?<![\w.])(?<!\w[(/-])\d+(?:[.,:]\d+)*(?!\w|[.,:]\w)|\b[A-Z][A-Z0-9_]{2,}\b"
)
NAME = re.compile(r"(?<=\s)[A-Z][a-z]+(?: [A-Z][a-z]+)?")
NOT_KEYS = {"note", "example", "warning", "see also", "e.g", "i.e", "usage"}
KEY_WORDS = 3  # a key is a label ("Release date"); a longer "key" is a sentence's start ("SPI can be reached at")
MAX_VALUE = 100  # characters: a longer "value" is a sentence or a table row, not a field
MAX_SUBJECT = 60  # characters of the first value that names a record
MANY_FIELDS = re.compile(r";\s*[A-Za-z][\w ]*:\s")  # "iproute2; popcon: V:709; size: 3514": a row of fields
PROSE_LETTERS = 30  # fewer letters make no summary to answer with
PROSE_SHARE = 0.7  # of the characters that are not spaces, letters in prose (a contents page's dot leaders: ~0.5)
WORD = re.compile(r"[A-Za-z]\w*")
KEY_WORD_LETTERS = 6  # a word this long is seldom a function word
COMMON_WORDS = set(
    "should before always because through between without another however something within around either "
    "during across rather people number little things really little almost".split()
)
MAX_CLOZE = 2  # cloze questions per passage: enough to cover its facts without drowning the rest
CITATION = re.compile(r"\s*\[\d+\]")  # an answer's "[1]": a source's number, no fact


@dataclass(frozen=True)
class Question:
    question: str
    answer: str  # the note's words, without the citation
    fact: str | None  # what a right answer contains, when one string decides it
    passage: Passage
    kind: str  # key_value | option | heading | cloze | metadata | rated


def _topic(passage: Passage) -> str:
    return passage.heading.split(" > ")[-1].strip() if passage.heading else ""


def _lead(text: str, words: int = 45) -> str:
    picked: list[str] = []
    for sentence in SENTENCE.split(" ".join(text.split())):
        picked.append(sentence)
        if sum(len(s.split()) for s in picked) >= words:
            break
    return " ".join(picked)


def is_prose(text: str) -> bool:
    """Whether `text` reads as sentences, in any script: PROSE_LETTERS letters or more, and letters at least
    PROSE_SHARE of what is not space (a table of contents' dot leaders, a row of numbers or a code listing
    are not)."""
    letters = sum(c.isalpha() for c in text)
    return letters >= PROSE_LETTERS and letters >= PROSE_SHARE * sum(not c.isspace() for c in text)


def heading_question(passage: Passage) -> Question | None:
    """What the notes say about the passage's heading (or, without one, what the note is about), answered with
    its first sentences; a heading that is a question (a FAQ's) is asked as it is. None when the first
    sentences are not prose."""
    topic = _topic(passage)
    named = topic or passage.title
    if named.endswith("?") and len(named.split()) >= 3:
        asked = named
    else:
        asked = f"What do my notes say about {topic}?" if topic else f"What is in my note '{passage.title}'?"
    lead = _lead(passage.text)
    return Question(asked, lead, None, passage, "heading") if is_prose(lead) else None


def metadata_questions(passage: Passage) -> list[Question]:
    return [
        Question(
            f"What is the {key} of {passage.title}?",
            f"The {key} of {passage.title} is {value}.",
            value,
            passage,
            "metadata",
        )
        for key, value in passage.metadata[:2]
    ]


def is_field(key: str, value: str) -> bool:
    """Whether `key: value` is a field: a short label (of several words, none starting or ending in a small
    word) over one short value; not a sentence with a colon ("On Debian: read the log instead") nor a table
    row of fields. `value` without its full stop."""
    words = key.lower().split()
    return (
        len(key) >= 2
        and key.lower() not in NOT_KEYS | NOT_QUESTIONS
        and 1 <= len(words) <= KEY_WORDS
        and (len(words) == 1 or not {words[0], words[-1]} & STOPWORDS)
        and 0 < len(value) <= MAX_VALUE
        and not MANY_FIELDS.search(value)
    )


def key_value_questions(passage: Passage) -> list[Question]:
    """One question per `key: value` line that is a field (`is_field`); a paragraph of such lines is a record
    named by its first value."""
    found: list[Question] = []
    for paragraph in re.split(r"\n\s*\n", passage.text):
        lines = [line for line in paragraph.splitlines() if line.strip()]
        found_pairs = (m.groups() for line in lines if (m := KEY_VALUE.match(line)))
        matched = [(key.strip(), value.strip().rstrip(".")) for key, value in found_pairs]
        if len(matched) < 2 and not (matched and len(lines) == 1):
            continue
        record = len(matched) >= 2 and len(matched) == len(lines)
        subject = matched[0][1] if record else (_topic(passage) or passage.title)
        if record and (len(subject) > MAX_SUBJECT or not is_field(*matched[0])):
            continue  # a record named by no short value is not asked about
        for key, value in (pair for pair in (matched[1:] if record else matched) if is_field(*pair)):
            found.append(
                Question(
                    f"What is the {key} of {subject}?",
                    f"The {key} of {subject} is {value}.",
                    value,
                    passage,
                    "key_value",
                )
            )
    return found


def option_questions(passage: Passage) -> list[Question]:
    """An option line followed by its more indented description gives the option for the description and back."""
    lines = passage.text.splitlines()
    found: list[Question] = []
    for i, line in enumerate(lines[:-1]):
        match = OPTION_LINE.match(line)
        if not match:
            continue
        indent = len(match.group(1))
        body: list[str] = []
        for following in lines[i + 1 :]:
            if not following.strip() or len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following.strip())
        description = _lead(" ".join(body), words=1).rstrip(".")
        if len(description.split()) < 3:
            continue
        names = match.group(2).strip()
        first = re.split(r"[=, ]", names)[0]
        clause = description[0].lower() + description[1:]
        answer = f"{names}: {description}."
        found.append(
            Question(f"Which option of {passage.title} does this: {clause}?", answer, first, passage, "option")
        )
        found.append(Question(f"What does {first} do in {passage.title}?", answer, None, passage, "option"))
    return found


def _question_word(fact: str) -> str:
    if fact.startswith("-"):
        return "which option"
    if YEAR.match(fact):
        return "what year"
    if fact[0].isdigit():
        return "what number"
    return "what name"


def _paragraphs(text: str) -> list[str]:
    """Paragraphs with their wrapped lines joined (and words hyphenated at a line end made whole)."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", HYPHENATED.sub("", text)) if p.strip()]


def cloze_questions(passage: Passage, limit: int = MAX_CLOZE) -> list[Question]:
    """Sentences of 6-40 words that carry a fact, each asked with the fact replaced by a question word."""
    found: list[Question] = []
    for sentence in (s for paragraph in _paragraphs(passage.text) for s in SENTENCE.split(paragraph)):
        words = sentence.split()
        if not 6 <= len(words) <= 40 or not sentence.endswith(".") or words[0].isupper() or not sentence[0].isupper():
            continue  # not a whole sentence: a heading run into its text, one cut at the chunk's start
        match = FACT.search(sentence, 1) or next(
            (m for m in NAME.finditer(sentence, 1) if m.group(0).split()[0].lower() not in STOPWORDS), None
        )
        if not match:
            continue
        fact, rest = match.group(0), sentence[match.end() :].rstrip(".")
        asked_for = _question_word(fact)
        if rest.startswith(" option"):
            asked_for = "which"  # "the -e option" -> "the which option", not "the which option option"
        asked = sentence[: match.start()] + asked_for + rest + "?"
        found.append(Question(asked, sentence, fact, passage, "cloze"))
        if len(found) == limit:
            break
    return found


def questions_for(passage: Passage) -> list[Question]:
    """Every question the passage answers: structure first, then cloze, then its heading."""
    heading = heading_question(passage)
    return [
        *metadata_questions(passage),
        *key_value_questions(passage),
        *option_questions(passage),
        *cloze_questions(passage),
        *([heading] if heading else []),
    ]


def with_key_word(question: Question) -> Question:
    """A question without a fact, given one: the longest word of its answer that the question does not name
    and that is not a common word (checks, roughly, that an answer to "What do my notes say about X?" says
    what the note says). The gate's fallback for notes that give no question with a fact."""
    asked = set(WORD.findall(question.question.lower()))
    words = [w for w in WORD.findall(question.answer) if len(w) >= KEY_WORD_LETTERS and w.lower() not in asked]
    words = [w for w in words if w.lower() not in STOPWORDS | COMMON_WORDS]
    return replace(question, fact=max(words, key=len)) if words else question


def states(text: str, fact: str) -> bool:
    """Whether `text` contains `fact` (word-bounded, case-insensitive)."""
    pattern = r"(?<![\w-])" + re.escape(fact.lower()) + r"(?![\w-])"
    return re.search(pattern, text.lower()) is not None


def is_right(answer: str, question: Question) -> bool:
    """Whether an answer states the question's fact."""
    return question.fact is not None and states(answer, question.fact)


def rated_question(question: str, answer: str, sources: list[dict[str, Any]]) -> Question | None:
    """A question the user asked, whose `answer` they rated right, as a held-out question: checked by the
    answer's first number, option or CONSTANT that the question does not name, else by its key word
    (`with_key_word`). None for an answer with neither, which no later answer could be checked against.
    `sources` are the answer's (as the chat gave them); the first cited one stands for its passage."""
    text = CITATION.sub("", answer).strip()
    source = next((s for s in sources if s.get("cited")), sources[0] if sources else {})
    passage = Passage(
        str(source.get("path") or ""),
        str(source.get("title") or ""),
        str(source.get("location") or ""),
        None,
        text,
        sha256_hex(text),
    )
    fact = next((m.group(0) for m in FACT.finditer(text) if not states(question, m.group(0))), None)
    rated = Question(question, text, fact, passage, "rated")
    rated = rated if fact else with_key_word(rated)
    return rated if rated.fact else None

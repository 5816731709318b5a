"""The retrieval prompt, in one place: the server answers with it and the trainer trains on it, so the
nightly model gets better at exactly the task the endpoint gives it."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The notes go in the user's turn right before the question, under a one-line instruction: on the 32 tune
# questions whose evidence held the answer, the bundled model's own words were right for 0.62 of them, against
# 0.56 with the notes there under the longer instruction used before and 0.53 with that instruction and the
# notes in the system message (`.venv/bin/python bench/prompt_bench.py`, bench/RESULTS.md): a lead of 2-3
# questions, within the noise of 32 questions; the answers are also shorter, so faster.
SYSTEM_PROMPT = "Answer the question in one short sentence, using the exact words of the notes."
NOTES_HEADER = "Notes:\n"
QUESTION_HEADER = "\n\nQuestion: "
# What a model answers when the notes it reads do not hold the answer (the trainer teaches it this).
MODEL_REFUSAL = "The notes do not cover this."
NOT_COVERED = "Your notes do not seem to cover this: no indexed document matched the question closely enough."
QUOTED = 'Your notes say: "{quote}" [{number}]'
NOT_STATED = "Your notes do not seem to cover this: the closest passage [1] is on the topic but does not say it."
EMPTY_INDEX = "Your index is empty, so there is nothing to answer from yet: drop files into the context folder."
CITATION = re.compile(r"\[(\d{1,3})\]")
WORD = re.compile(r"\w+")


@dataclass
class SourceText:
    """What the model sees of one retrieved chunk."""

    number: int
    title: str
    path: str
    location: str
    text: str


def format_source(source: SourceText) -> str:
    where = f", {source.location}" if source.location else ""
    return f"[{source.number}] {source.title} ({source.path}{where})\n{source.text.strip()}"


def notes_message(sources: list[SourceText], question: str) -> str:
    """The user's turn as the model reads it: the numbered notes, then the question."""
    return NOTES_HEADER + "\n\n".join(format_source(s) for s in sources) + QUESTION_HEADER + question


def cited_numbers(answer: str) -> set[int]:
    return {int(n) for n in CITATION.findall(answer)}


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    return set(zip(words, words[1:], words[2:], strict=False))


def quotes(answer: str, source_text: str) -> bool:
    """Whether the answer repeats three consecutive words of the source: attribution for answers (often
    from small models) that use a source without writing its [n]."""
    return bool(_trigrams(answer) & _trigrams(source_text))

"""The retrieval prompt, in one place: the server answers with it and the trainer trains on it, so the
nightly model gets better at exactly the task the endpoint gives it."""

from __future__ import annotations

import re
from dataclasses import dataclass

SYSTEM_PROMPT = (
    "You are foldermind. Answer the question from the numbered notes below in one short sentence. "
    "Copy the exact words of the note that answer it, such as an option name or a number, and cite the note "
    "like [1]. If the notes do not answer the question, say that the notes do not cover it."
)
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


def system_message(sources: list[SourceText]) -> str:
    return SYSTEM_PROMPT + "\n\nSources:\n\n" + "\n\n".join(format_source(s) for s in sources)


def cited_numbers(answer: str) -> set[int]:
    return {int(n) for n in CITATION.findall(answer)}


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    return set(zip(words, words[1:], words[2:], strict=False))


def quotes(answer: str, source_text: str) -> bool:
    """Whether the answer repeats three consecutive words of the source: attribution for answers (often
    from small models) that use a source without writing its [n]."""
    return bool(_trigrams(answer) & _trigrams(source_text))

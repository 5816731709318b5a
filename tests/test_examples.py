"""A user teaches by example: NAME.train.jsonl / NAME.train.json in the folder, in the common formats."""

from __future__ import annotations

import json
from pathlib import Path, PurePath

import pytest

from foldermind.config import TrainerConfig
from foldermind.errors import ExtractionError
from foldermind.indexer.extract import EXAMPLES, extract, file_type
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.trainer.corpus import load_corpus
from tests.helpers import MIXED_FILES, write

CHAT = {"messages": [{"role": "user", "content": "Who fires the kiln?"}, {"role": "assistant", "content": "Ilse."}]}
PROMPT = {"prompt": "Kiln temperature?", "completion": "1200 degrees."}
ALPACA = {"instruction": "Name the glaze.", "input": "The blue one.", "output": "Celadon."}
LINES = [
    json.dumps(CHAT),
    json.dumps(PROMPT),
    "",
    json.dumps(ALPACA),
    '{"prompt": "no completion"}',
    "{not json",
    json.dumps({"messages": [{"role": "user", "content": "Hi"}, {"role": "wizard", "content": "Boo"}]}),
    json.dumps({"messages": [{"role": "assistant", "content": "Hello"}, {"role": "user", "content": "Hi"}]}),
    json.dumps({"question": "Where?", "answer": "Here."}),
]


def test_each_format_becomes_a_chat_and_each_bad_line_is_rejected_with_its_number() -> None:
    extracted = extract("\n".join(LINES).encode(), PurePath("pottery.train.jsonl"))
    good = [(e.line, e.messages) for e in extracted.examples if e.messages]
    assert good == [
        (1, CHAT["messages"]),
        (2, [{"role": "user", "content": "Kiln temperature?"}, {"role": "assistant", "content": "1200 degrees."}]),
        (
            4,
            [
                {"role": "user", "content": "Name the glaze.\n\nThe blue one."},
                {"role": "assistant", "content": "Celadon."},
            ],
        ),
    ]
    bad = {e.line: e.error for e in extracted.examples if e.messages is None}
    assert bad == {
        5: '"completion" must be a non-empty string',
        6: "invalid JSON: Expecting property name enclosed in double quotes at column 2",
        7: 'message 2 needs a "role" of system, user or assistant',
        8: "the last message must be the assistant's answer",
        9: 'unknown format: expected a "messages" list, "prompt" and "completion", or "instruction" and "output"',
    }
    assert "Who fires the kiln?" in extracted.text  # searchable like any note


def test_a_json_list_names_the_line_each_bad_item_starts_on() -> None:
    text = '[\n  {"prompt": "a", "completion": "b"},\n  {"prompt": "c"},\n  {"instruction": "d", "output": "e"}\n]'
    extracted = extract(text.encode(), PurePath("faq.train.json"))
    assert [(e.line, e.error) for e in extracted.examples] == [
        (2, None),
        (3, '"completion" must be a non-empty string'),
        (4, None),
    ]


def test_a_file_without_one_good_example_is_a_failure_that_says_why() -> None:
    with pytest.raises(ExtractionError, match='line 1: "completion" must be a non-empty string'):
        extract(b'{"prompt": "x"}\n', PurePath("faq.train.jsonl"))
    with pytest.raises(ExtractionError, match="must hold a list"):
        extract(b'{"prompt": "x", "completion": "y"}', PurePath("faq.train.json"))


def test_only_the_name_pattern_makes_a_file_examples() -> None:
    assert file_type(PurePath("a/faq.train.jsonl")) == EXAMPLES == file_type(PurePath("FAQ.Train.JSON"))
    assert file_type(PurePath("train.jsonl")) == "jsonl" and file_type(PurePath("trains.json")) == "json"


def test_examples_are_trained_on_as_written_and_never_held_out(index: Index, context: Path) -> None:
    for name, content in MIXED_FILES.items():
        write(context / name, content)
    write(context / "teach/pottery.train.jsonl", "\n".join(LINES))
    index_folder(index)
    corpus = load_corpus(index.manifest, TrainerConfig(held_out=0.45))
    assert len(corpus.examples) == 3 and corpus.examples[0] == CHAT["messages"]
    assert corpus.rejected[0] == 'teach/pottery.train.jsonl line 5: "completion" must be a non-empty string'
    assert len(corpus.rejected) == 5
    paths = {p.path for p in corpus.train + corpus.held_out}
    assert "teach/pottery.train.jsonl" not in paths and corpus.held_out
    before = corpus.fingerprint(TrainerConfig())
    write(context / "teach/pottery.train.jsonl", "\n".join(LINES[:2]))
    index_folder(index)
    after = load_corpus(index.manifest, TrainerConfig(held_out=0.45))
    assert len(after.examples) == 2 and not after.rejected and after.fingerprint(TrainerConfig()) != before

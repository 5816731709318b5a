"""The training data: what goes in, what is held out, the exact prompt format the server uses, and how whole
examples are packed into sequences where each sees only itself."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from foldermind.answer import Notes, plan
from foldermind.config import Config, TrainerConfig
from foldermind.indexer.index import Index
from foldermind.indexer.pipeline import index_folder
from foldermind.prompt import MODEL_REFUSAL, SYSTEM_PROMPT
from foldermind.trainer import dataset
from foldermind.trainer.base_model import load_base
from foldermind.trainer.corpus import Passage, is_held_out, load_corpus, note_text
from foldermind.trainer.dataset import (
    IGNORE,
    NOT_CHATS,
    build_training_data,
    encode_chat,
    encode_text,
    night_questions,
    pack,
    pretraining_example,
    replay_examples,
)
from foldermind.trainer.lora import packed_trainer
from foldermind.trainer.pipeline import across_documents, held_out_questions
from foldermind.trainer.questions import Question
from foldermind.trainer.retrieval_chats import Chat, retrieval_chats
from tests.helpers import MIXED_FILES, write

BASE = "HuggingFaceTB/SmolLM2-135M-Instruct"
Block = tuple[tuple[int, ...], tuple[int, ...]]  # one example (or the padding) of a packed sequence: ids, labels


@pytest.fixture(scope="module")
def base() -> tuple[Any, Any]:
    """The bundled base model (float32, so logits compare tightly) and its tokenizer."""
    import torch

    return load_base(BASE, dtype=torch.float32)


@pytest.fixture(scope="module")
def tokenizer(base: tuple[Any, Any]) -> Any:
    return base[1]


def blocks(sequence: dict[str, list[int]]) -> list[Block]:
    """A packed sequence cut where transformers' attention mask cuts it: into the blocks that see only
    themselves, found from the position ids by the library's own function."""
    import torch
    from transformers.masking_utils import find_packed_sequence_indices

    found = find_packed_sequence_indices(torch.tensor([sequence["position_ids"]]))
    owner = [0] * len(sequence["position_ids"]) if found is None else found[0].tolist()
    cuts = [i for i in range(1, len(owner)) if owner[i] != owner[i - 1]]
    edges = list(zip([0, *cuts], [*cuts, len(owner)], strict=True))
    return [(tuple(sequence["input_ids"][a:b]), tuple(sequence["labels"][a:b])) for a, b in edges]


def has_targets(block: Block) -> bool:
    return any(label != IGNORE for label in block[1])


@pytest.fixture
def corpus_index(index: Index, context: Path) -> Index:
    for name, content in MIXED_FILES.items():
        write(context / name, content)
    write(context / "private/diary.md", "---\ntrain: false\n---\nDear diary, today I felt odd.\n")
    write(context / "secret/keys.txt", "The safe code is 4471.")
    index_folder(index)
    return index


def test_documents_marked_train_false_or_excluded_by_glob_are_left_out(corpus_index: Index, config: Config) -> None:
    trainer = TrainerConfig(exclude=["secret/*"])
    corpus = load_corpus(corpus_index.manifest, trainer)
    paths = {p.path for p in corpus.train + corpus.held_out}
    assert "private/diary.md" not in paths and "secret/keys.txt" not in paths
    assert set(corpus.excluded) == {"private/diary.md", "secret/keys.txt"}
    assert corpus.documents == len(MIXED_FILES)


def test_the_held_out_split_is_by_whole_document_stable_and_never_in_training(corpus_index: Index) -> None:
    first = load_corpus(corpus_index.manifest, TrainerConfig(held_out=0.3))
    second = load_corpus(corpus_index.manifest, TrainerConfig(held_out=0.3))
    assert first.held_out and [p.text_hash for p in first.held_out] == [p.text_hash for p in second.held_out]
    assert not {p.text_hash for p in first.held_out} & {p.text_hash for p in first.train}
    # whole documents: neighbouring chunks overlap, so no held-out chunk has a trained neighbour
    assert not {p.path for p in first.held_out} & {p.path for p in first.train}


def test_about_the_configured_share_of_documents_is_held_out() -> None:
    paths = [f"notes/meeting-{i}.md" for i in range(2000)]
    for share in (0.1, 0.25):
        held = sum(is_held_out(path, share) for path in paths) / len(paths)
        assert abs(held - share) < 0.03
    assert [is_held_out(path, 0.25) for path in paths] == [is_held_out(path, 0.25) for path in paths]


def test_each_common_file_type_has_a_document_held_out_that_makes_questions(index: Index, context: Path) -> None:
    """With (almost) no share held out by hash, the gate still asks about the handbook's HTML and the FAQ's
    Markdown: of each, the smallest document long enough to ask about; a type of two documents keeps both."""
    ferry = "The ferry to Vlieland leaves at 9:15 from pier 3 and takes 45 minutes. "
    tide = "High tide at the harbour is at noon in June, and the gate closes an hour before it. "
    files = {
        "faq/boats.md": f"# Boats\n\n{ferry * 20}\n",
        "faq/bikes.md": "# Bikes\n\nBikes cost 12 euros a day on the island.\n",
        "faq/birds.md": "# Birds\n\n" + "Spoonbills nest on the east dunes from April to July. " * 60,
        "handbook/short.html": "<html><body><h1>Tides</h1><p>High tide is at noon.</p></body></html>",
        "handbook/mid.html": f"<html><body><h1>Tides</h1><p>{tide * 15}</p></body></html>",
        "handbook/long.html": f"<html><body><h1>Harbour</h1><p>{tide * 80}</p></body></html>",
        "log/monday.txt": "Sailed to Terschelling at 8.\n",
        "log/tuesday.txt": "Stayed in port: wind force 7.\n",
        "records/ferries.csv": "ferry,seats\nFrisia,500\n",
    }
    for name, content in files.items():
        write(context / name, content)
    index_folder(index)
    corpus = load_corpus(index.manifest, TrainerConfig(held_out=0.001))  # none of these by hash
    held = {p.path for p in corpus.held_out}
    assert held == {"faq/boats.md", "handbook/mid.html"}  # not the ones too short to ask much about
    assert not held & {p.path for p in corpus.train}


def test_a_documents_front_matter_and_a_heading_over_several_chunks_are_asked_once() -> None:
    chunks = [
        Passage("notes/kiln.md", "Kiln", "Firing", None, text, f"hash{i}", (("author", "Ilse"),), f"chunk{i}")
        for i, text in enumerate(
            [
                "Fire the kiln slowly over six hours. The glaze melts at 1240 degrees in the top shelf.",
                "Cool it for a day before opening, or the pots crack. The door seal was replaced in 2019.",
            ]
        )
    ]
    asked = [q.question for q in night_questions(chunks, 4)]
    assert asked.count("What is the author of Kiln?") == 1
    assert asked.count("What do my notes say about Firing?") == 1
    (first, second) = [q.question for q in night_questions(chunks, 1)]
    assert first == "What is the author of Kiln?" and "what year" in second  # its one slot goes to its own fact


def test_the_token_budget_keeps_the_newest_documents(corpus_index: Index) -> None:
    corpus = load_corpus(corpus_index.manifest, TrainerConfig(token_budget=1000), count_tokens=lambda t: 400)
    assert corpus.documents == 2


def test_retrieval_chats_are_the_answer_paths_own_plan_with_the_note_as_target(
    corpus_index: Index, config: Config
) -> None:
    corpus = load_corpus(corpus_index.manifest, TrainerConfig(held_out=0.3))
    questions = [q for q in night_questions(corpus.train, 4) if q.fact]
    held_out = {p.path for p in corpus.held_out}
    notes = Notes(corpus_index, config.server)
    chats = retrieval_chats(
        questions, notes, config.server, len, held_out.__contains__, random.Random(0), refusal_share=0.0
    )
    # Without a share planned to refuse, no chat teaches a refusal: evidence that lacks the fact's words is
    # not known to lack the answer, so those questions are left out.
    assert len(chats) > 3 and all(c.right is not None for c in chats)
    for chat in chats:
        # the user's turn is the notes, then the question asked
        question = next(q for q in questions if chat.messages[1]["content"].endswith(f"Question: {q.question}"))
        *prompt, answer = chat.messages
        tokens = config.server.answer_max_tokens
        asked = [{"role": "user", "content": question.question}]
        planned = plan(asked, notes, config.server, len, tokens)
        planned_without_held_out = plan(
            asked, notes, config.server, len, tokens, allowed=lambda h: h.path not in held_out
        )
        # exactly what a chat is shown (the held-out documents aside), not a copy of it
        assert prompt == planned_without_held_out.messages and prompt[0]["content"] == SYSTEM_PROMPT
        assert not any(p.hit.path in held_out for p in planned_without_held_out.passages)
        assert answer["content"] == f"{question.answer} [{chat.right}]"
        assert question.fact.lower() in planned_without_held_out.sources[chat.right - 1].text.lower()
        assert planned.question == question.question


def test_a_share_of_chats_is_planned_without_the_notes_answer_and_refuses(corpus_index: Index, config: Config) -> None:
    corpus = load_corpus(corpus_index.manifest, TrainerConfig(held_out=0.3))
    questions = [q for q in night_questions(corpus.train, 4) if q.fact]
    notes = Notes(corpus_index, config.server)
    # Every plan reaches the model here, however weak its evidence: these few notes have little else to show.
    settings = config.server.model_copy(update={"min_evidence": -1.0, "min_similarity": -1.0})
    chats = retrieval_chats(questions, notes, settings, len, lambda path: False, random.Random(0), 0.5)
    refusals = [c for c in chats if c.right is None]
    assert 0 < len(refusals) < len(chats)
    for chat in refusals:
        question = next(q for q in questions if chat.messages[1]["content"].endswith(f"Question: {q.question}"))
        assert chat.messages[2]["content"] == MODEL_REFUSAL
        assert question.fact.lower() not in chat.messages[1]["content"].lower()
        assert f"({question.passage.path}," not in chat.messages[1]["content"]  # its own document was left out


def test_planning_stops_at_the_tokens_the_night_can_train(corpus_index: Index, config: Config) -> None:
    corpus = load_corpus(corpus_index.manifest, TrainerConfig(held_out=0.3))
    questions = night_questions(corpus.train, 4)
    notes = Notes(corpus_index, config.server)
    everything = retrieval_chats(questions, notes, config.server, len, lambda path: False, random.Random(0), 0.0)
    sizes = [sum(len(m["content"]) for m in chat.messages) for chat in everything]
    budget = sum(sizes) // 3
    some = retrieval_chats(questions, notes, config.server, len, lambda path: False, random.Random(0), 0.0, budget)
    planned = [sum(len(m["content"]) for m in chat.messages) for chat in some]
    assert len(some) < len(everything)
    assert sum(planned) >= budget and sum(planned[:-1]) < budget  # the last chat planned crossed the budget
    asked = {chat.messages[1]["content"] for chat in some}
    first_questions = {chat.messages[1]["content"] for chat in everything[: len(some)]}
    assert asked != first_questions  # a random sample of the folder's questions, not its first documents


def test_held_out_questions_come_only_from_held_out_chunks(corpus_index: Index, config: Config) -> None:
    config.trainer.held_out = 0.4
    corpus = load_corpus(corpus_index.manifest, config.trainer)
    questions, kind = held_out_questions(corpus, config)
    assert kind == "facts" and questions and all(q.passage in corpus.held_out and q.fact for q in questions)
    assert "cloze" in {q.kind for q in questions}  # not trained on as chats (NOT_CHATS), yet asked here
    assert not {q.passage.chunk_id for q in questions} & {p.chunk_id for p in corpus.train}


def test_the_gate_takes_its_questions_from_each_held_out_document_in_turn() -> None:
    def asked(path: str, count: int) -> list[Question]:
        passage = Passage(path, path, "", None, "text", path)
        return [Question(f"{path} {i}?", "answer", "fact", passage, "cloze") for i in range(count)]

    manual, faq, guide = asked("man/curl.txt", 50), asked("faq/boats.md", 3), asked("guide/tides.html", 2)
    taken = across_documents(manual + faq + guide, 9, random.Random(1))
    documents = Counter(q.passage.path for q in taken)
    assert documents == {"man/curl.txt": 4, "faq/boats.md": 3, "guide/tides.html": 2}
    assert len({q.question for q in taken}) == 9


def test_a_chat_is_trained_on_its_assistant_turns_only(tokenizer: Any) -> None:
    messages = [
        {"role": "user", "content": "Name the kiln."},
        {"role": "assistant", "content": "Big Bertha."},
        {"role": "user", "content": "How hot?"},
        {"role": "assistant", "content": "1200 degrees."},
    ]
    _, labels = encode_chat(tokenizer, messages)
    learned = tokenizer.decode([label for label in labels if label != IGNORE])
    assert "Big Bertha." in learned and "1200 degrees." in learned
    assert "Name the kiln" not in learned and "How hot" not in learned


def test_packing_puts_whole_examples_longest_first_into_the_first_sequence_with_room() -> None:
    short, long_, middle = ([1, 2], [1, 2]), ([3, 4, 5, 6], [IGNORE, IGNORE, 5, 6]), ([7, 8, 9], [7, 8, 9])
    first, second = pack([short, long_, middle], seq_len=6, pad_id=0)
    # 4 tokens open the first sequence, 3 do not fit beside them and open the second, 2 fill the first
    assert first["input_ids"] == [3, 4, 5, 6, 1, 2] and second["input_ids"] == [7, 8, 9, 0, 0, 0]
    # position ids restart for each example and for the padding: that is what keeps each to itself
    assert first["position_ids"] == [0, 1, 2, 3, 0, 1] and second["position_ids"] == [0, 1, 2, 0, 1, 2]
    # no example's first token is a target (the token before it is another example's); padding never is
    assert first["labels"] == [IGNORE, IGNORE, 5, 6, IGNORE, 2]
    assert second["labels"] == [IGNORE, 8, 9, IGNORE, IGNORE, IGNORE]
    assert "attention_mask" not in first  # given one, transformers would not read the blocks from the positions
    with pytest.raises(ValueError, match="longer than seq_len"):
        pack([long_], seq_len=3, pad_id=0)


def test_every_packed_chat_is_whole_in_one_sequence_with_its_prompt(tokenizer: Any) -> None:
    chats = [encode_chat(tokenizer, messages) for messages in replay_examples()]
    sequences = pack(chats, seq_len=256, pad_id=tokenizer.pad_token_id)
    assert len(chats) > 3 * len(sequences) > 3  # several chats share each sequence
    chat_start = tokenizer.convert_tokens_to_ids("<|im_start|>")
    trained = Counter()
    for sequence in sequences:
        assert len(sequence["input_ids"]) == len(sequence["labels"]) == len(sequence["position_ids"]) == 256
        found = blocks(sequence)
        for block in found:
            if has_targets(block):  # each labelled token's block begins where its chat begins: prompt included
                assert block[0][0] == chat_start
                trained[block] += 1
        assert all(has_targets(block) for block in found[:-1])  # only the end of a sequence may be padding
    # the blocks that are trained on are exactly the chats: none split, none lost, none twice
    assert trained == Counter((tuple(ids), tuple(labels)) for ids, labels in chats)


def test_an_example_packed_with_others_sees_only_itself(base: tuple[Any, Any], tmp_path: Path) -> None:
    import torch

    model, tokenizer = base
    question = encode_chat(tokenizer, replay_examples()[0])
    note = encode_text(tokenizer, "Feed the starter with rye flour every twelve hours, then bake at 250 degrees.")
    assert len(question[0]) > len(note[0])  # so the chat comes first, the note second
    sequences = pack([note, question], seq_len=len(question[0]) + len(note[0]) + 5, pad_id=tokenizer.pad_token_id)
    assert len(sequences) == 1
    # the batch exactly as the training loop gets it: the Trainer's own collator, into the model's forward
    trainer = packed_trainer(model, sequences, TrainerConfig(batch_size=1), tmp_path, show_progress=False)
    device = next(model.parameters()).device
    batch = {key: value.to(device) for key, value in next(iter(trainer.get_train_dataloader())).items()}
    model.eval()
    with torch.no_grad():
        packed = model(**batch).logits[0]
        plain = model(input_ids=batch["input_ids"]).logits[0]  # positions 0, 1, 2, ...: one causal mask over all
        alone = [model(input_ids=torch.tensor([ids], device=device)).logits[0] for ids, _ in (question, note)]
    second = slice(len(question[0]), len(question[0]) + len(note[0]))
    torch.testing.assert_close(packed[: len(question[0])], alone[0], rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(packed[second], alone[1], rtol=1e-4, atol=1e-4)
    assert (plain[second] - alone[1]).abs().max() > 1.0  # without the restarts, the note would see the chat


def test_a_nights_sequences_are_full_but_for_what_no_other_example_fits(
    index: Index, context: Path, tokenizer: Any
) -> None:
    for name, content in MIXED_FILES.items():
        write(context / name, content)
    long_note = " ".join(f"Step {i}: fold the dough, rest it ten minutes and note the rise." for i in range(12))
    write(context / "recipes/folds.markdown", f"# Folding\n\n{long_note}\n")  # its only type: trained on
    index_folder(index)
    settings = index.config.model_copy(deep=True)
    settings.trainer.seq_len = 128
    config = settings.trainer
    corpus = load_corpus(index.manifest, config)
    data = build_training_data(corpus, tokenizer, settings, Notes(index, settings.server))
    packed = [blocks(sequence) for sequence in data.sequences]
    used = [sum(len(block[0]) for block in found if has_targets(block)) for found in packed]
    # first-fit: had two sequences' examples fitted into one, the later ones would have gone into the earlier
    assert all(a + b > config.seq_len for i, a in enumerate(used) for b in used[i + 1 :])
    assert sum(used) == data.tokens and data.padding == len(data.sequences) * config.seq_len - data.tokens
    # the note longer than a sequence is trained on in pieces of at most seq_len tokens, each one whole
    ids, _ = max((pretraining_example(tokenizer, p) for p in corpus.train), key=lambda e: len(e[0]))
    assert len(ids) > config.seq_len
    trained = {block[0] for found in packed for block in found if has_targets(block)}
    pieces = [tuple(ids[i : i + 128]) for i in range(0, len(ids), 128)]
    assert all(piece in trained for piece in pieces if len(piece) > 1)  # one token alone has nothing to learn
    assert data.counts["pretraining"] == len(corpus.train)  # a note counts once, in however many pieces
    # a chat longer than a sequence is left out (and counted), never cut
    assert data.too_long > 0


def test_notes_without_a_fact_to_ask_still_measure_the_night_and_say_with_what(index: Index, context: Path) -> None:
    for topic in ("roses", "compost", "pruning", "seedlings", "watering", "mulching"):
        write(context / f"garden/{topic}.md", f"# About {topic}\n\nwe keep the {topic} gentle, patient and steady.\n")
    index_folder(index)
    config = index.config.model_copy(deep=True)
    config.trainer.held_out = 0.45
    corpus = load_corpus(index.manifest, config.trainer)
    questions, kind = held_out_questions(corpus, config)
    assert kind.startswith("headings") and "no question with a fact" in kind
    assert questions and all(q.passage in corpus.held_out and q.fact and q.fact in q.answer for q in questions)


def test_the_night_trains_on_no_cloze_chat_but_its_gate_asks_cloze_questions() -> None:
    notes = [
        "The lighthouse keeper logged 214 storms between 1901 and 1920. Ada Fenwick rebuilt the lamp room in 1894.",
        "Ferries leave the north pier every 40 minutes. The harbour master is Tomas Ekberg.",
    ]
    chunks = [Passage("notes/coast.md", "Coast", "Harbour", None, text, f"h{i}") for i, text in enumerate(notes)]

    def echoes(question: Question) -> bool:  # most of the answer's words are the question's
        asked = set(re.findall(r"\w+", question.question.lower()))
        said = re.findall(r"\w+", question.answer.lower())
        return sum(word in asked for word in said) >= 0.8 * len(said)

    # two slots a chunk: its two cloze questions would take both, were they cut before the kinds left out
    measured = night_questions(chunks, 2)
    trained = night_questions(chunks, 2, leave_out=NOT_CHATS)
    assert any(echoes(q) for q in measured)  # a cloze question is its answer's sentence, one fact blanked out
    assert trained and not any(echoes(q) for q in trained)
    assert {q.kind for q in trained} == {"heading"}  # the slots go to the kinds left


def test_a_nights_chats_are_planned_for_no_cloze_question(
    corpus_index: Index, config: Config, tokenizer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    planned: list[Question] = []

    def recording(questions: list[Question], *args: Any, **kwargs: Any) -> list[Chat]:
        planned.extend(questions)
        return retrieval_chats(questions, *args, **kwargs)  # the real planning, watched

    monkeypatch.setattr(dataset, "retrieval_chats", recording)
    corpus = load_corpus(corpus_index.manifest, config.trainer)
    dataset.build_training_data(corpus, tokenizer, config, Notes(corpus_index, config.server))
    assert planned and not {q.kind for q in planned} & NOT_CHATS
    assert "cloze" in {q.kind for q in night_questions(corpus.train, config.trainer.questions_per_chunk)}


def test_a_notes_title_line_is_read_not_learned(tokenizer: Any) -> None:
    # a model that learned to write title lines began its answers with a source's label
    passage = Passage("notes/kiln.md", "Kiln", "Firing", None, "Fire the kiln slowly over six hours.\n", "h1")
    context, text = note_text(passage)
    ids, labels = pretraining_example(tokenizer, passage)
    assert ids == [*tokenizer(context + text, add_special_tokens=False)["input_ids"], tokenizer.eos_token_id]
    read = [i for i, label in zip(ids, labels, strict=True) if label == IGNORE]
    learned = [label for label in labels if label != IGNORE]
    assert tokenizer.decode(read) == context == "Kiln (notes/kiln.md > Firing)\n\n"
    assert tokenizer.decode(learned) == f"{text}{tokenizer.eos_token}" and read + learned == ids

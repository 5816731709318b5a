"""The promotion gates: a candidate goes live only if every gate passes, and each failing gate says why.
Perplexity is judged against the base model; answers to held-out questions against the live model."""

from __future__ import annotations

import pytest

from foldermind.config import TrainerConfig
from foldermind.trainer.evaluate import ModelScores, judge, repetitive

GATES = TrainerConfig(min_gain=0.1, max_forgetting=0.1)


def scores(ppl: float, general: float, accuracy: float | None, chat: bool = True) -> ModelScores:
    return ModelScores(ppl, general, accuracy, accuracy, 60 if accuracy is not None else 0, chat, [])


BASE = scores(50, 20, 0.3)


def test_the_gates_pass_a_better_model() -> None:
    assert judge(BASE, BASE, scores(40, 21, 0.5), GATES).promote


@pytest.mark.parametrize(
    ("candidate", "reason"),
    [
        (scores(47, 20, 0.5), "held-out notes"),
        (scores(40, 23, 0.5), "general text"),
        (scores(40, 20, 0.25), "held-out questions right, below the live model's 30%"),
        (scores(40, 20, 0.5, chat=False), "looping"),
    ],
)
def test_each_gate_rejects_on_its_own(candidate: ModelScores, reason: str) -> None:
    verdict = judge(BASE, BASE, candidate, GATES)
    assert not verdict.promote and len(verdict.reasons) == 1 and reason in verdict.reasons[0]


def test_a_candidate_that_answers_worse_than_the_live_model_stays_out_even_if_it_beats_the_base() -> None:
    live = scores(45, 20, 0.6)
    verdict = judge(BASE, live, scores(40, 20, 0.55), GATES)
    assert not verdict.promote
    assert verdict.reasons == ["answered 55% of 60 held-out questions right, below the live model's 60%"]
    assert judge(BASE, live, scores(40, 20, 0.6), GATES).promote  # as good as live is enough by default


def test_a_required_accuracy_gain_is_a_margin_over_the_live_model() -> None:
    gates = TrainerConfig(min_gain=0.1, max_forgetting=0.1, min_accuracy_gain=0.1)
    assert not judge(BASE, BASE, scores(40, 20, 0.35), gates).promote
    assert judge(BASE, BASE, scores(40, 20, 0.45), gates).promote


def test_without_held_out_questions_the_answer_gate_is_not_applied() -> None:
    assert judge(scores(50, 20, None), scores(50, 20, None), scores(40, 20, None), GATES).promote


def test_a_looping_answer_is_recognised() -> None:
    assert repetitive("the cat sat on the mat the cat sat on the mat the cat sat on the mat the cat sat")
    assert not repetitive("The capital of France is Paris, a city on the Seine.")

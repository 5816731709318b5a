"""The promotion gates: a candidate goes live only if every gate passes, and each failing gate says why."""

from __future__ import annotations

import pytest

from foldermind.trainer.evaluate import ModelScores, judge, repetitive


def scores(ppl: float, general: float, share: float, questions: int = 10, chat: bool = True) -> ModelScores:
    return ModelScores(ppl, general, share, questions, chat, [])


def test_the_gates_pass_a_better_model() -> None:
    assert judge(scores(50, 20, 0.5), scores(40, 21, 0.5), 0.1, 0.1).promote


@pytest.mark.parametrize(
    ("candidate", "reason"),
    [
        (scores(47, 20, 0.5), "held-out notes"),
        (scores(40, 23, 0.5), "general text"),
        (scores(40, 20, 0.3), "cited the right source"),
        (scores(40, 20, 0.5, chat=False), "looping"),
    ],
)
def test_each_gate_rejects_on_its_own(candidate: ModelScores, reason: str) -> None:
    verdict = judge(scores(50, 20, 0.5), candidate, 0.1, 0.1)
    assert not verdict.promote and len(verdict.reasons) == 1 and reason in verdict.reasons[0]


def test_the_citation_gate_allows_one_question_of_noise() -> None:
    assert judge(scores(50, 20, 1.0, questions=2), scores(40, 20, 0.5, questions=2), 0.1, 0.1).promote


def test_a_looping_answer_is_recognised() -> None:
    assert repetitive("the cat sat on the mat the cat sat on the mat the cat sat on the mat the cat sat")
    assert not repetitive("The capital of France is Paris, a city on the Seine.")

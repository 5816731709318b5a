"""The promotion gates: a candidate goes live only if every gate passes, and each failing gate says why.
Perplexity is judged against the base model; answers to held-out questions against the live model, by more
than the noise of the question count."""

from __future__ import annotations

import pytest

from foldermind.config import TrainerConfig
from foldermind.trainer.evaluate import ModelScores, judge, repetitive

GATES = TrainerConfig(min_gain=0.1, max_forgetting=0.1)


def scores(ppl: float, general: float, right: list[bool], chat: bool = True) -> ModelScores:
    accuracy = sum(right) / len(right) if right else None
    return ModelScores(ppl, general, accuracy, accuracy, len(right), chat, [], right)


def answers(right: int, of: int = 60, first: int = 0) -> list[bool]:
    """`right` right answers out of `of`, starting at question `first`."""
    return [first <= i < first + right for i in range(of)]


BASE = scores(50, 20, answers(18))


def test_the_gates_pass_a_better_model() -> None:
    assert judge(BASE, BASE, scores(40, 21, answers(30)), GATES).promote


@pytest.mark.parametrize(
    ("candidate", "reason"),
    [
        (scores(47, 20, answers(30)), "held-out notes"),
        (scores(40, 23, answers(30)), "general text"),
        (scores(40, 20, answers(15)), "answered 25% of 60 held-out questions right against the live model's 30%"),
        (scores(40, 20, answers(30), chat=False), "looping"),
    ],
)
def test_each_gate_rejects_on_its_own(candidate: ModelScores, reason: str) -> None:
    verdict = judge(BASE, BASE, candidate, GATES)
    assert not verdict.promote and len(verdict.reasons) == 1 and reason in verdict.reasons[0]


def test_a_model_that_answers_as_the_live_one_does_cannot_pass() -> None:
    verdict = judge(BASE, BASE, scores(40, 20, answers(18)), GATES)
    assert not verdict.promote and "won 0, lost 0" in verdict.reasons[0]


def test_a_gain_within_the_noise_of_the_question_count_is_not_enough() -> None:
    live = scores(45, 20, answers(30))
    # 3 more right of 60 (won 3, lost 0): 3 > 1.645 * sqrt(3) = 2.85, just beyond chance
    assert judge(BASE, live, scores(40, 20, answers(33)), GATES).promote
    # won 4 and lost 2: two more right, but 2 < 1.645 * sqrt(6) = 4.03
    shifted = scores(40, 20, answers(32, first=2))
    verdict = judge(BASE, live, shifted, GATES)
    assert not verdict.promote and "won 4, lost 2" in verdict.reasons[0]


def test_a_candidate_that_answers_worse_than_the_live_model_stays_out_even_if_it_beats_the_base() -> None:
    live = scores(45, 20, answers(36))
    assert not judge(BASE, live, scores(40, 20, answers(33)), GATES).promote


def test_a_required_accuracy_gain_is_a_margin_beyond_the_noise() -> None:
    gates = TrainerConfig(min_gain=0.1, max_forgetting=0.1, min_accuracy_gain=0.1)
    assert not judge(BASE, BASE, scores(40, 20, answers(27)), gates).promote  # 9 > 4.9 + 6? no
    assert judge(BASE, BASE, scores(40, 20, answers(32)), gates).promote  # 14 > 1.645 * sqrt(14) + 6


def test_without_held_out_questions_nothing_is_promoted_and_the_reason_says_so() -> None:
    verdict = judge(scores(50, 20, []), scores(50, 20, []), scores(40, 20, []), GATES)
    assert not verdict.promote and "could not be asked any held-out question" in verdict.reasons[0]


def test_a_looping_answer_is_recognised() -> None:
    assert repetitive("the cat sat on the mat the cat sat on the mat the cat sat on the mat the cat sat")
    assert not repetitive("The capital of France is Paris, a city on the Seine.")

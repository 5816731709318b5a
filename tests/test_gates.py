"""The promotion gates: a candidate goes live only if every gate passes, and each failing gate says why.
Perplexity is judged against the base model; answers to held-out questions against the live model, by more
than the noise of the question count."""

from __future__ import annotations

import pytest

from foldermind.config import TrainerConfig
from foldermind.trainer.evaluate import ModelScores, judge, repetitive

GATES = TrainerConfig(min_gain=0.1, max_forgetting=0.1)


def scores(
    ppl: float,
    general: float,
    right: list[bool],
    chat: bool = True,
    shown: list[bool] | None = None,
    refused: list[bool] | None = None,
) -> ModelScores:
    """A model's scores; what it shows is its own answers and it refuses nothing, unless told otherwise."""
    shown = right if shown is None else shown
    share = (lambda marks: sum(marks) / len(marks)) if right else (lambda marks: None)
    refused = [False] * len(right) if refused is None else refused
    return ModelScores(ppl, general, share(right), share(shown), len(right), chat, [], right, shown, refused)


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
        (
            scores(40, 20, answers(15), shown=answers(18)),
            "answered 25% of 60 held-out questions right against the live model's 30%",
        ),
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
    # 5 more right of 60, none lost: 5 - 1 > 1.645 * sqrt(5) = 3.68 (the exact one-sided chance is 3%)
    assert judge(BASE, live, scores(40, 20, answers(35)), GATES).promote
    # 4 more right, none lost: 3 < 1.645 * sqrt(4) = 3.29 (a 6% chance for a model no better than live)
    verdict = judge(BASE, live, scores(40, 20, answers(34)), GATES)
    assert not verdict.promote and "won 4, lost 0" in verdict.reasons[0]
    # won 6 and lost 2: four more right, but 3 < 1.645 * sqrt(8) = 4.65
    shifted = scores(40, 20, answers(34, first=2))
    verdict = judge(BASE, live, shifted, GATES)
    assert not verdict.promote and "won 6, lost 2" in verdict.reasons[0]


def test_a_candidate_that_answers_worse_than_the_live_model_stays_out_even_if_it_beats_the_base() -> None:
    live = scores(45, 20, answers(36))
    assert not judge(BASE, live, scores(40, 20, answers(33)), GATES).promote


def test_a_required_accuracy_gain_is_a_margin_beyond_the_noise() -> None:
    gates = TrainerConfig(min_gain=0.1, max_forgetting=0.1, min_accuracy_gain=0.1)
    assert not judge(BASE, BASE, scores(40, 20, answers(27)), gates).promote  # 9 < 1 + 1.645 * sqrt(9) + 6
    assert judge(BASE, BASE, scores(40, 20, answers(33)), gates).promote  # 15 > 1 + 1.645 * sqrt(15) + 6


def test_a_candidate_whose_own_words_win_but_whose_shown_answers_lose_stays_out() -> None:
    # own words 18 -> 30 right, but the answers as shown (own words or quotes) 40 -> 35: what users read is worse
    live = scores(50, 20, answers(18), shown=answers(40))
    verdict = judge(BASE, live, scores(40, 20, answers(30), shown=answers(35)), GATES)
    assert not verdict.promote and verdict.reasons == [
        "the answers as shown were right for 58% of the held-out questions against the live model's 67% "
        "(won 0, lost 5: more lost than chance explains)"
    ]
    # 3 lost and 1 won is within the noise: 3 - 1 - 1 < 1.0 * sqrt(4)
    assert judge(BASE, live, scores(40, 20, answers(30), shown=answers(38, first=2)), GATES).promote


def test_a_candidate_that_refuses_more_answerable_questions_stays_out() -> None:
    refuses = [i >= 56 for i in range(60)]  # 4 newly refused where the live model refused none: 3 >= sqrt(4)
    verdict = judge(BASE, BASE, scores(40, 20, answers(30), refused=refuses), GATES)
    assert not verdict.promote and verdict.reasons == [
        "it refused 4 of 60 answerable held-out questions against the live model's 0 (4 newly refused, 0 no "
        "longer: more than chance explains)"
    ]
    shifted = scores(40, 20, answers(30), refused=[i >= 58 for i in range(60)])  # 2: 1 < sqrt(2)
    assert judge(BASE, BASE, shifted, GATES).promote
    live = scores(50, 20, answers(18), refused=[i < 2 for i in range(60)])  # 2 no longer refused: 4 - 2 - 1 < sqrt(6)
    assert judge(BASE, live, scores(40, 20, answers(30), refused=[i >= 56 for i in range(60)]), GATES).promote


def test_a_negative_accuracy_gain_allows_that_share_lost_for_tests_of_the_pipeline() -> None:
    lax = TrainerConfig(min_gain=0.1, max_forgetting=0.1, min_accuracy_gain=-0.05)  # 3 of 60 questions
    live = scores(50, 20, answers(18), shown=answers(40))
    assert judge(BASE, live, scores(40, 20, answers(30), shown=answers(35)), lax).promote  # 4 < 1 + sqrt(5) + 3
    assert not judge(BASE, live, scores(40, 20, answers(30), shown=answers(32)), lax).promote  # 7 >= 1 + 2.83 + 3


def test_without_held_out_questions_nothing_is_promoted_and_the_reason_says_so() -> None:
    verdict = judge(scores(50, 20, []), scores(50, 20, []), scores(40, 20, []), GATES)
    assert not verdict.promote and "could not be asked any held-out question" in verdict.reasons[0]


def test_a_looping_answer_is_recognised() -> None:
    assert repetitive("the cat sat on the mat the cat sat on the mat the cat sat on the mat the cat sat")
    assert not repetitive("The capital of France is Paris, a city on the Seine.")

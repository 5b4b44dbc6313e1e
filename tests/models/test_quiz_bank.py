"""The question bank measures understanding, not option order or length.

Over every self-check and every case (choice questions, and the question each case's variant
decides), for many learner codes: where the keyed option is shown, and whether it is the longest.
Both must be close to what chance gives; the same checks fail on a bank built the old way
(keyed option first, or keyed option longest), which shows they can fail. Also: at least 80
questions, at least 70 % asking for application (apply or analyse), every notebook at least half.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

import pytest

from ivigkit import cases, quiz

CODES = [f"L{n:03d}" for n in range(120)]
CASE_SEEDS = (1, 2)


def bank() -> list[tuple[str, quiz.Question]]:
    """(quiz name, question) for every self-check question and every case question."""
    items = [(name, q) for name in quiz.available_quizzes() for q in quiz.load_quiz(name).questions]
    for c in cases.all_cases():
        for seed in CASE_SEEDS:
            qz = cases.case_quiz(c["id"], seed)
            items += [(qz.notebook, q) for q in qz.questions if q.options]
    return items


def keyed_positions(items, order) -> tuple[float, float]:
    """(share of shown single-choice items whose keyed option is first, what chance gives), over
    every learner code; `order(question, code, quiz_name)` is the order shown."""
    first = expected = n = 0
    for name, q in items:
        if q.type != "single":
            continue
        keyed = next(iter(q.correct_indices))
        for code in CODES:
            first += order(q, code, name)[0] == keyed
            expected += 1 / len(q.options)
            n += 1
    return first / n, expected / n


def position_spread(items, order) -> float:
    """The largest gap, over positions, between the share of keyed options shown there and the
    share chance gives (single and multiple-response items, positions scaled to 0..k-1)."""
    seen, chance = Counter(), Counter()
    for name, q in items:
        if not q.options:
            continue
        k = len(q.options)
        for code in CODES:
            shown = order(q, code, name)
            for i in q.correct_indices:
                seen[(k, shown.index(i))] += 1
                chance.update({(k, p): 1 / k for p in range(k)})
    total = sum(seen.values())
    return max(abs(seen[key] - chance[key]) / total for key in chance)


def longest_share(items) -> tuple[float, float, int]:
    """(share of single-choice items whose keyed option is strictly the longest, what chance
    gives, number of items)."""
    longest = expected = n = 0
    for _, q in items:
        if q.type != "single":
            continue
        lengths = [len(o.text) for o in q.options]
        keyed = next(iter(q.correct_indices))
        longest += lengths[keyed] == max(lengths) and lengths.count(max(lengths)) == 1
        expected += 1 / len(q.options)
        n += 1
    return longest / n, expected / n, n


def far_from_chance(share: float, chance: float, n: int, z: float = 3.0) -> bool:
    """More than z standard errors above chance (a one-sided binomial check)."""
    return share > chance + z * math.sqrt(chance * (1 - chance) / n)


@pytest.fixture(scope="module")
def items():
    return bank()


def shuffled(q, code, name):
    return quiz.shown_order(q, code, name)


def in_file_order(q, code, name):
    return tuple(range(len(q.options)))


def test_the_keyed_option_is_shown_in_every_position_about_equally(items):
    first, chance = keyed_positions(items, shuffled)
    n = sum(q.type == "single" for _, q in items) * len(CODES)
    assert not far_from_chance(first, chance, n) and abs(first - chance) < 0.03, (first, chance)
    assert position_spread(items, shuffled) < 0.01


def test_the_same_checks_fail_on_a_bank_shown_keyed_option_first(items):
    old_way = [(name, replace(q, options=tuple(sorted(q.options, key=lambda o: not o.correct))))
               for name, q in items]
    first, chance = keyed_positions(old_way, in_file_order)
    assert first == 1.0 and far_from_chance(first, chance, len(CODES))
    assert position_spread(old_way, in_file_order) > 0.1


def test_the_keyed_option_is_no_more_often_the_longest_than_chance(items):
    share, chance, n = longest_share(items)
    assert not far_from_chance(share, chance, n, z=2.0), (
        f"the keyed option is the longest in {share:.0%} of {n} single-choice items; chance is {chance:.0%}")


def test_the_length_check_fails_on_a_bank_whose_keyed_option_is_longest(items):
    padded = [(name, replace(q, options=tuple(
        replace(o, text=o.text + " (as the sources say, without exception)") if o.correct else o
        for o in q.options))) for name, q in items]
    share, chance, n = longest_share(padded)
    assert far_from_chance(share, chance, n, z=2.0)


def test_enough_questions_and_most_of_them_ask_for_application():
    per_quiz = {name: quiz.load_quiz(name).questions for name in quiz.available_quizzes()}
    total = sum(len(qs) for qs in per_quiz.values())
    applied = sum(q.level in ("apply", "analyse") for qs in per_quiz.values() for q in qs)
    assert total >= 80, f"{total} self-check questions; at least 80 wanted"
    assert applied / total >= 0.70, f"{applied} of {total} ask for application"
    for name, qs in per_quiz.items():
        share = sum(q.level in ("apply", "analyse") for q in qs) / len(qs)
        assert share >= 0.5, f"{name}: {share:.0%} application"


def test_every_option_explains_itself_and_every_numeric_item_knows_its_unit(items):
    for name in quiz.available_quizzes():
        for q in quiz.load_quiz(name).questions:
            if q.options:
                assert all(len(o.feedback.split()) >= 6 for o in q.options), (name, q.id)
            else:
                assert q.unit and q.tolerance is not None and q.feedback_incorrect, (name, q.id)

"""Grading a learner's answer: which option, which boxes, or which number (within its tolerance,
with its unit), and the feedback lines that explain every option."""
from __future__ import annotations

import math
from dataclasses import dataclass

from ivigkit.quiz.spec import Question


@dataclass(frozen=True)
class Grade:
    """correct: fully right; score: 0..1 (partial credit for multiple); messages: lines to show."""

    correct: bool
    score: float
    messages: tuple[str, ...]


def number_text(x: float) -> str:
    """A number as feedback shows it (up to 6 significant digits)."""
    return f"{x:.6g}"


def parse_number(question: Question, response) -> float:
    """A finite float from a number or from text such as " 26", "26.0 g"; else ValueError for a student."""
    if isinstance(response, bool) or response is None:
        raise ValueError("Type a number first.")
    if isinstance(response, (int, float)):
        value = float(response)
    elif isinstance(response, str):
        text = response.strip().replace("\u2212", "-")
        if question.unit and text.lower().endswith(question.unit.lower()):
            text = text[: -len(question.unit)].strip()
        if not text:
            raise ValueError("Type a number first.")
        if "," in text:
            raise ValueError(
                f"Use a point for decimals and no thousands separators (for example 26.5); got \"{response.strip()}\"."
            )
        try:
            value = float(text)
        except ValueError:
            raise ValueError(
                f"\"{response.strip()}\" is not a number. Type digits only, for example 26.5"
                + (f" (the unit, {question.unit}, is already given)." if question.unit else ".")
            ) from None
    else:
        raise ValueError("Type a number first.")
    if not math.isfinite(value):
        raise ValueError("Type an ordinary number (not infinity or 'nan').")
    return value


def within_tolerance(value: float, answer: float, tolerance: float) -> bool:
    """|value - answer| <= tolerance, forgiving binary rounding (28.1 vs 28 with tolerance 0.1)."""
    slack = 1e-9 * max(1.0, abs(answer), abs(tolerance))
    return abs(value - answer) <= tolerance + slack


def grade(question: Question, response) -> Grade:
    """Grade a response: option index (single), set of indices (multiple), number or text (numeric).

    Raises ValueError with a sentence for the learner when there is nothing usable to grade.
    """
    if question.type == "single":
        correct, score, lines = _grade_single(question, response)
    elif question.type == "multiple":
        correct, score, lines = _grade_multiple(question, response)
    else:
        value = parse_number(question, response)
        correct = within_tolerance(value, question.answer, question.tolerance)
        score = 1.0 if correct else 0.0
        shown = f"{number_text(value)} {question.unit}"
        slip = None if correct else next(
            (x for x in question.slips if within_tolerance(value, x.answer, question.tolerance)), None)
        lines = [f"✓ {shown} is right. {question.feedback_correct}" if correct
                 else f"✗ {shown} is not right. " + (f"{slip.feedback} " if slip else "")
                 + question.feedback_incorrect]
    if question.explanation:
        lines.append(question.explanation)
    return Grade(correct=correct, score=score, messages=tuple(lines))


def option_index(question: Question, value) -> int:
    """`value` as the index of one of the question's options, or ValueError for the learner."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(question.options):
        raise ValueError(f"There is no answer number {value!r} here; pick one of the answers shown.")
    return value


def _grade_single(question: Question, response):
    if response is None:
        raise ValueError("Pick an answer first.")
    chosen = question.options[option_index(question, response)]
    if chosen.correct:
        return True, 1.0, [f"✓ \"{chosen.text}\" is right. {chosen.feedback}"]
    right = next(o for o in question.options if o.correct)
    return False, 0.0, [
        f"✗ \"{chosen.text}\" is not right. {chosen.feedback}",
        f"The right answer is \"{right.text}\". {right.feedback}",
    ]


def _grade_multiple(question: Question, response):
    if response is None or isinstance(response, (str, bytes, int)):
        raise ValueError("Tick at least one box first.")
    ticked = {option_index(question, i) for i in response}
    if not ticked:
        raise ValueError("Tick at least one box first.")
    right = question.correct_indices
    lines = []
    for i, opt in enumerate(question.options):
        if i in ticked and opt.correct:
            lines.append(f"✓ You ticked \"{opt.text}\": right. {opt.feedback}")
        elif i in ticked:
            lines.append(f"✗ You ticked \"{opt.text}\", but it does not belong. {opt.feedback}")
        elif opt.correct:
            lines.append(f"✗ You missed \"{opt.text}\", which does belong. {opt.feedback}")
    wrong_count = len(question.options) - len(right)
    hits, false_ticks = len(ticked & right), len(ticked - right)
    score = hits / len(right) - (false_ticks / wrong_count if wrong_count else 0.0)
    correct = ticked == right
    return correct, 1.0 if correct else max(0.0, min(score, 1.0)), lines

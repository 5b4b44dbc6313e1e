"""What a self-check quiz is (questions, options, answers, feedback) and how a quiz file is
checked: a malformed file fails at load with the file, the question and the field named.

The file itself is read by ivigkit.data.documents; this module only builds and checks."""
from __future__ import annotations

import difflib
import math
import os
import re
from dataclasses import dataclass

from ivigkit.data import DataError
from ivigkit.data.documents import quiz_names, read_quiz

TYPES = ("single", "multiple", "numeric")
#: What a question asks of the learner: to remember, to apply (calculate, decide, interpret a
#: figure or a result) or to analyse (weigh evidence, spot the error in a statement).
LEVELS = ("recall", "apply", "analyse")
#: Option ids, given by position in the file: the first option is "a", the second "b", ...
OPTION_IDS = "abcdefghij"

_TOP_KEYS = {"notebook", "title", "questions"}
_COMMON_KEYS = {"id", "type", "level", "prompt", "source_ids"}
_REQUIRED = {
    "single": _COMMON_KEYS | {"options"},
    "multiple": _COMMON_KEYS | {"options"},
    "numeric": _COMMON_KEYS | {"answer", "tolerance", "unit", "feedback_correct", "feedback_incorrect"},
}
_OPTIONAL = {"explanation"}
_NUMERIC_OPTIONAL = {"slips"}
_OPTION_KEYS = {"text", "correct", "feedback"}
_SLIP_KEYS = {"answer", "feedback"}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_KIND = {"single": "single-choice", "multiple": "multiple-choice", "numeric": "numeric"}


class QuizError(ValueError):
    """A quiz file that cannot be used, with a message naming the file and question."""


@dataclass(frozen=True)
class Option:
    """One choice, with the feedback that explains why it is right or wrong. `id` is its letter
    by position in the file (a, b, ...), whatever order a learner sees it in."""

    text: str
    correct: bool
    feedback: str
    id: str = ""


@dataclass(frozen=True)
class Slip:
    """A wrong numeric answer a common slip gives (mg for g, lb for kg, actual for adjusted
    weight, per day for per course), with feedback that names the slip."""

    answer: float
    feedback: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: str
    level: str = "recall"
    options: tuple[Option, ...] = ()
    answer: float | None = None
    tolerance: float | None = None
    unit: str = ""
    feedback_correct: str = ""
    feedback_incorrect: str = ""
    explanation: str = ""
    source_ids: tuple[str, ...] = ()
    slips: tuple[Slip, ...] = ()

    @property
    def correct_indices(self) -> frozenset[int]:
        return frozenset(i for i, o in enumerate(self.options) if o.correct)


@dataclass(frozen=True)
class Quiz:
    notebook: str
    title: str
    questions: tuple[Question, ...]
    source: str = ""  # the file it came from, as messages name it




def available_quizzes() -> list[str]:
    """Names of the quiz files, sorted."""
    return quiz_names()


def load_quiz(name: str | os.PathLike) -> Quiz:
    """Load and validate a quiz by name ("00_start_here") or path; raise QuizError if malformed."""
    try:
        data, path, shown = read_quiz(name)
    except DataError as exc:
        raise QuizError(str(exc)) from None
    return _build_quiz(data, path.name, shown)


def questions_from(items, where: str) -> tuple[Question, ...]:
    """Questions built from a list of mappings written as in a quiz file (for example a case's
    questions in data/cases.yaml); a QuizError names `where`."""
    return _build_quiz({"notebook": "questions", "title": where, "questions": items},
                       "questions.yaml", where).questions


def _keys_problem(given, required: set, optional: set = frozenset(), what: str = "this block") -> str | None:
    allowed = required | optional
    unknown = [k for k in given if k not in allowed]
    if unknown:
        key = unknown[0]
        close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(sorted(allowed))})"
        return f"unknown key '{key}'{hint}."
    missing = sorted(required - set(given))
    if missing:
        return f"{what} needs " + ", ".join(f"'{k}'" for k in missing) + f" (missing {'key' if len(missing) == 1 else 'keys'})."
    return None


def _text(value, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        got = "nothing" if value is None else repr(value)
        raise _Bad(f"'{key}' must be non-empty text; got {got} (put text in quotes).")
    return value.strip()


def _number(value, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        hint = " (write digits only, without quotes or units)" if isinstance(value, str) else ""
        raise _Bad(f"'{key}' must be a plain number{hint}; got {value!r}.")
    return float(value)


class _Bad(Exception):
    """Internal: a problem message, to be prefixed with file and question."""


def _build_quiz(data, file_name: str, shown: str) -> Quiz:
    """A checked Quiz from a quiz file's data; `file_name` ("03_evidence.yaml") must match its
    notebook, `shown` names the file in messages."""
    def fail(msg: str, where: str = "") -> QuizError:
        return QuizError(f"{shown}{', ' + where if where else ''}: {msg}")

    if not isinstance(data, dict):
        raise fail("the file must be a mapping with the keys notebook, title and questions.")
    problem = _keys_problem(data, _TOP_KEYS, what="a quiz file")
    if problem:
        raise fail(problem)
    try:
        notebook, title = _text(data["notebook"], "notebook"), _text(data["title"], "title")
    except _Bad as exc:
        raise fail(str(exc)) from None
    if notebook != file_name.rsplit(".", 1)[0]:
        raise fail(f"'notebook' is '{notebook}' but the file is named '{file_name}'; they must match.")
    raw = data["questions"]
    if not isinstance(raw, list) or not raw:
        raise fail("'questions' must be a non-empty list.")
    questions: list[Question] = []
    first_use: dict[str, int] = {}
    for number, item in enumerate(raw, start=1):
        qid = item.get("id") if isinstance(item, dict) else None
        where = f"question {number}" + (f" ('{qid}')" if isinstance(qid, str) else "")
        try:
            question = _build_question(item)
        except _Bad as exc:
            raise fail(str(exc), where) from None
        if question.id in first_use:
            raise fail(f"the id '{question.id}' is already used by question {first_use[question.id]}.", where)
        first_use[question.id] = number
        questions.append(question)
    return Quiz(notebook=notebook, title=title, questions=tuple(questions), source=shown)


def _build_question(item) -> Question:
    if not isinstance(item, dict):
        raise _Bad("each question must be a mapping of keys (id, type, prompt, ...).")
    qtype = item.get("type")
    if qtype not in TYPES:
        raise _Bad(f"'type' must be single, multiple or numeric; got {qtype!r}.")
    optional = _OPTIONAL | (_NUMERIC_OPTIONAL if qtype == "numeric" else set())
    problem = _keys_problem(item, _REQUIRED[qtype], optional, what=f"a {_KIND[qtype]} question")
    if problem:
        raise _Bad(problem)
    qid = item["id"]
    if not isinstance(qid, str) or not _SLUG.match(qid):
        raise _Bad(f"'id' must be a slug of lower-case letters, digits, '_' or '-'; got {qid!r}.")
    sources = item["source_ids"]
    if not isinstance(sources, list) or not all(isinstance(s, str) and _SLUG.match(s) for s in sources):
        raise _Bad(f"'source_ids' must be a list of source ids (it may be empty: []); got {sources!r}.")
    level = item["level"]
    if level not in LEVELS:
        raise _Bad(f"'level' must be recall, apply or analyse; got {level!r}.")
    common = dict(
        id=qid,
        type=qtype,
        level=level,
        prompt=_text(item["prompt"], "prompt"),
        explanation=_text(item["explanation"], "explanation") if "explanation" in item else "",
        source_ids=tuple(sources),
    )
    if qtype == "numeric":
        answer = _number(item["answer"], "answer")
        tolerance = _number(item["tolerance"], "tolerance")
        if tolerance < 0:
            raise _Bad(f"a numeric question needs a 'tolerance' of 0 or more; got {tolerance:g}.")
        return Question(
            **common,
            answer=answer,
            tolerance=tolerance,
            unit=_text(item["unit"], "unit"),
            feedback_correct=_text(item["feedback_correct"], "feedback_correct"),
            feedback_incorrect=_text(item["feedback_incorrect"], "feedback_incorrect"),
            slips=_build_slips(item.get("slips", []), answer, tolerance),
        )
    return Question(**common, options=_build_options(item["options"], qtype))


def _build_slips(raw, answer: float, tolerance: float) -> tuple[Slip, ...]:
    if not isinstance(raw, list):
        raise _Bad("'slips' must be a list of mappings with answer and feedback.")
    slips = []
    for n, slip in enumerate(raw, start=1):
        if not isinstance(slip, dict):
            raise _Bad(f"slip {n} must be a mapping with answer and feedback.")
        problem = _keys_problem(slip, _SLIP_KEYS, what="a slip")
        if problem:
            raise _Bad(f"slip {n}: {problem}")
        try:
            value, feedback = _number(slip["answer"], "answer"), _text(slip["feedback"], "feedback")
        except _Bad as exc:
            raise _Bad(f"slip {n}: {exc}") from None
        if abs(value - answer) <= tolerance:
            raise _Bad(f"slip {n}: its answer {value:g} would be graded right (within {tolerance:g} of "
                       f"{answer:g}); a slip is a wrong answer.")
        slips.append(Slip(value, feedback))
    return tuple(slips)


def _build_options(raw, qtype: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise _Bad("'options' must be a list of at least 2 options.")
    if len(raw) > len(OPTION_IDS):
        raise _Bad(f"'options' may list at most {len(OPTION_IDS)} options; got {len(raw)}.")
    options = []
    for n, opt in enumerate(raw, start=1):
        if not isinstance(opt, dict):
            raise _Bad(f"option {n} must be a mapping with text, correct and feedback.")
        problem = _keys_problem(opt, _OPTION_KEYS, what="an option")
        if problem:
            raise _Bad(f"option {n}: {problem}")
        if not isinstance(opt["correct"], bool):
            raise _Bad(f"option {n}: 'correct' must be true or false; got {opt['correct']!r}.")
        try:
            options.append(Option(_text(opt["text"], "text"), opt["correct"], _text(opt["feedback"], "feedback"),
                                  OPTION_IDS[n - 1]))
        except _Bad as exc:
            raise _Bad(f"option {n}: {exc}") from None
    texts = [o.text for o in options]
    repeated = next((t for t in texts if texts.count(t) > 1), None)
    if repeated:
        raise _Bad(f"two options have the same text: {repeated!r}.")
    right = [n for n, o in enumerate(options, start=1) if o.correct]
    if not right:
        raise _Bad(f"a {qtype}-choice question needs at least one option with 'correct: true'; found none.")
    if qtype == "single" and len(right) > 1:
        listed = ", ".join(map(str, right))
        raise _Bad(f"a single-choice question needs exactly one correct option; options {listed} are marked correct.")
    return tuple(options)


# The checks a test form's items share with quiz questions (ivigkit.quiz.forms).
ItemProblem = _Bad
SLUG = _SLUG
keys_problem, text_value, number_value = _keys_problem, _text, _number

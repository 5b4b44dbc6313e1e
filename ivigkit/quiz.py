"""Self-check quizzes: load YAML specs from data/quizzes/, grade answers, export attempts.

Pure Python: no widgets here (the app lives in ivigkit.apps.quiz).
"""
from __future__ import annotations

import csv
import difflib
import io
import json
import math
import os
import re
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
QUIZ_DIR = REPO_ROOT / "data" / "quizzes"
TYPES = ("single", "multiple", "numeric")

_TOP_KEYS = {"notebook", "title", "questions"}
_COMMON_KEYS = {"id", "type", "prompt", "source_ids"}
_REQUIRED = {
    "single": _COMMON_KEYS | {"options"},
    "multiple": _COMMON_KEYS | {"options"},
    "numeric": _COMMON_KEYS | {"answer", "tolerance", "unit", "feedback_correct", "feedback_incorrect"},
}
_OPTIONAL = {"explanation"}
_OPTION_KEYS = {"text", "correct", "feedback"}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_KIND = {"single": "single-choice", "multiple": "multiple-choice", "numeric": "numeric"}


class QuizError(ValueError):
    """A quiz file that cannot be used, with a message naming the file and question."""


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: str
    options: tuple[Option, ...] = ()
    answer: float | None = None
    tolerance: float | None = None
    unit: str = ""
    feedback_correct: str = ""
    feedback_incorrect: str = ""
    explanation: str = ""
    source_ids: tuple[str, ...] = ()

    @property
    def correct_indices(self) -> frozenset[int]:
        return frozenset(i for i, o in enumerate(self.options) if o.correct)


@dataclass(frozen=True)
class Quiz:
    notebook: str
    title: str
    questions: tuple[Question, ...]
    path: Path | None = None


@dataclass(frozen=True)
class Grade:
    """correct: fully right; score: 0..1 (partial credit for multiple); messages: lines to show."""

    correct: bool
    score: float
    messages: tuple[str, ...]


@dataclass(frozen=True)
class Attempt:
    """One checked answer, as exported (timestamp is ISO 8601 UTC)."""

    notebook: str
    question_id: str
    prompt: str
    answer: str
    correct: bool
    score: float
    timestamp: str


# ---------------------------------------------------------------- loading


def quiz_dir() -> Path:
    """$IVIGKIT_DATA_DIR/quizzes if that variable is set, else QUIZ_DIR."""
    data_dir = os.environ.get("IVIGKIT_DATA_DIR")
    return Path(data_dir) / "quizzes" if data_dir else QUIZ_DIR


def available_quizzes() -> list[str]:
    """Names of the quiz files in quiz_dir(), sorted."""
    return sorted(p.stem for p in quiz_dir().glob("*.yaml"))


def _resolve(name: str | os.PathLike) -> Path:
    text = os.fspath(name)
    if isinstance(name, Path) or "/" in text or os.sep in text or text.endswith((".yaml", ".yml")):
        return Path(text)
    return quiz_dir() / f"{text}.yaml"


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key repeated in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' appears twice in the same block", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _question_at_line(text: str, line: int) -> str:
    """Best guess of "question N ('id')" around a 0-based line, for YAML syntax errors."""
    lines = text.splitlines()
    start = next((i for i, s in enumerate(lines) if re.match(r"^questions\s*:", s)), None)
    if start is None or line <= start:
        return ""
    number, qid, indent = 0, None, None
    for s in lines[start + 1 : line + 1]:
        item = re.match(r"^(\s*)-\s", s)
        if item and (indent is None or len(item.group(1)) == indent):
            indent, number, qid = len(item.group(1)), number + 1, None
        key = re.match(r"^\s*-?\s*id\s*:\s*['\"]?([\w-]+)", s)
        if key and number and qid is None:
            qid = key.group(1)
    if not number:
        return ""
    return f"question {number}" + (f" ('{qid}')" if qid else "")


def load_quiz(name: str | os.PathLike) -> Quiz:
    """Load and validate a quiz by name ("00_start_here") or path; raise QuizError if malformed."""
    path = _resolve(name)
    shown = _shown(path)
    if not path.is_file():
        names = ", ".join(available_quizzes()) or "none"
        raise QuizError(f"{shown}: no such quiz file (quizzes available in {_shown(quiz_dir())}: {names}).")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QuizError(f"{shown}: the file is not UTF-8 text; save it as UTF-8.") from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = ""
        if mark is not None:
            question = _question_at_line(text, mark.line)
            where = f" near line {mark.line + 1}, column {mark.column + 1}" + (f" ({question})" if question else "")
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        advice = "" if isinstance(exc, yaml.constructor.ConstructorError) else " Check the indentation, colons and quotes."
        raise QuizError(f"{shown}: the YAML cannot be read{where}: {problem}.{advice}") from None
    if data is None:
        raise QuizError(f"{shown}: the file is empty; it needs notebook, title and questions.")
    return _build_quiz(data, path, shown)


def questions_from(items, where: str) -> tuple[Question, ...]:
    """Questions built from a list of mappings written as in a quiz file (for example a case's
    questions in data/cases.yaml); a QuizError names `where`."""
    return _build_quiz({"notebook": "questions", "title": where, "questions": items},
                       Path("questions.yaml"), where).questions


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


def _build_quiz(data, path: Path, shown: str) -> Quiz:
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
    if notebook != path.stem:
        raise fail(f"'notebook' is '{notebook}' but the file is named '{path.name}'; they must match.")
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
    return Quiz(notebook=notebook, title=title, questions=tuple(questions), path=path)


def _build_question(item) -> Question:
    if not isinstance(item, dict):
        raise _Bad("each question must be a mapping of keys (id, type, prompt, ...).")
    qtype = item.get("type")
    if qtype not in TYPES:
        raise _Bad(f"'type' must be single, multiple or numeric; got {qtype!r}.")
    problem = _keys_problem(item, _REQUIRED[qtype], _OPTIONAL, what=f"a {_KIND[qtype]} question")
    if problem:
        raise _Bad(problem)
    qid = item["id"]
    if not isinstance(qid, str) or not _SLUG.match(qid):
        raise _Bad(f"'id' must be a slug of lower-case letters, digits, '_' or '-'; got {qid!r}.")
    sources = item["source_ids"]
    if not isinstance(sources, list) or not all(isinstance(s, str) and _SLUG.match(s) for s in sources):
        raise _Bad(f"'source_ids' must be a list of source ids (it may be empty: []); got {sources!r}.")
    common = dict(
        id=qid,
        type=qtype,
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
        )
    return Question(**common, options=_build_options(item["options"], qtype))


def _build_options(raw, qtype: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise _Bad("'options' must be a list of at least 2 options.")
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
            options.append(Option(_text(opt["text"], "text"), opt["correct"], _text(opt["feedback"], "feedback")))
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


# ---------------------------------------------------------------- grading


def _fmt(x: float) -> str:
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
        shown = f"{_fmt(value)} {question.unit}"
        lines = [f"✓ {shown} is right. {question.feedback_correct}" if correct
                 else f"✗ {shown} is not right. {question.feedback_incorrect}"]
    if question.explanation:
        lines.append(question.explanation)
    return Grade(correct=correct, score=score, messages=tuple(lines))


def _index(question: Question, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(question.options):
        raise ValueError(f"There is no answer number {value!r} here; pick one of the answers shown.")
    return value


def _grade_single(question: Question, response):
    if response is None:
        raise ValueError("Pick an answer first.")
    chosen = question.options[_index(question, response)]
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
    ticked = {_index(question, i) for i in response}
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


# ---------------------------------------------------------------- attempts and export


def answer_text(question: Question, response) -> str:
    """The learner's answer in words (option texts, or the number with its unit)."""
    if question.type == "single":
        return question.options[_index(question, response)].text
    if question.type == "multiple":
        return "; ".join(question.options[i].text for i in sorted({_index(question, i) for i in response}))
    return f"{_fmt(parse_number(question, response))} {question.unit}"


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def make_attempt(notebook: str, question: Question, response, result: Grade, when: datetime | None = None) -> Attempt:
    """An Attempt for a graded response; `when` defaults to now (converted to UTC)."""
    stamp = utc_now_iso() if when is None else (
        when.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    )
    return Attempt(
        notebook=notebook,
        question_id=question.id,
        prompt=question.prompt,
        answer=answer_text(question, response),
        correct=result.correct,
        score=round(result.score, 3),
        timestamp=stamp,
    )


EXPORT_FIELDS = tuple(Attempt.__dataclass_fields__)


def export_csv(attempts) -> str:
    """CSV text with a header row; correct is written as true/false."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for a in attempts:
        row = asdict(a)
        row["correct"] = "true" if a.correct else "false"
        writer.writerow(row)
    return out.getvalue()


def export_json(attempts) -> str:
    """A JSON array of attempt objects."""
    return json.dumps([asdict(a) for a in attempts], ensure_ascii=False, indent=2)


# ---------------------------------------------------------------- notebook entry point


def self_check(name: str | os.PathLike):
    """The self-check widget for a quiz; end a notebook cell with it to show it."""
    from ivigkit.apps.quiz import SelfCheck

    return SelfCheck(name)


__all__ = [
    "QUIZ_DIR", "QuizError", "Option", "Question", "Quiz", "Grade", "Attempt",
    "quiz_dir", "available_quizzes", "load_quiz", "parse_number", "within_tolerance", "grade",
    "answer_text", "make_attempt", "export_csv", "export_json", "self_check",
]

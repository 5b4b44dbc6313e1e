"""A learner's checked answers as records, and as the CSV and JSON files they download."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from ivigkit.quiz.grading import Grade, number_text, option_index, parse_number
from ivigkit.quiz.spec import Question


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


def answer_text(question: Question, response) -> str:
    """The learner's answer in words (option texts, or the number with its unit)."""
    if question.type == "single":
        return question.options[option_index(question, response)].text
    if question.type == "multiple":
        return "; ".join(question.options[i].text for i in sorted({option_index(question, i) for i in response}))
    return f"{number_text(parse_number(question, response))} {question.unit}"


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

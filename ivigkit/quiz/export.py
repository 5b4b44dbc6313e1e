"""A learner's checked answers as records, as the CSV and JSON files they download, and read back
(the class report does): the schema is in data/README.md, "Answer files".

One record per check of a question. `options_shown` lists the option ids in the order the learner
saw them and `chosen` the ids picked, in that order; a numeric question has neither. `attempt`
counts this learner's checks of the question; `first_attempt_correct` repeats, on every record of a
question, whether its first check was right.

A test (the pre/post test) is not graded on the learner's page: its records leave `correct`,
`first_attempt_correct` and `score` empty, and the instructor's key grades them in the class report.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone

from ivigkit.quiz.grading import Grade, number_text, option_index, parse_number
from ivigkit.quiz.spec import Question

#: Names the schema; a file with another value (or none) is not an answer file of this workbook.
SCHEMA = "ivigkit-answers/2"


class AnswerFileError(ValueError):
    """A file that is not a readable answer file, with the reason in a sentence."""


@dataclass(frozen=True)
class Attempt:
    """One checked answer, as exported (timestamp is ISO 8601 UTC)."""

    schema: str
    learner_code: str
    learner_name: str
    notebook: str
    question_id: str
    level: str
    attempt: int
    correct: bool | None               # None: not graded on the page (a test)
    first_attempt_correct: bool | None
    score: float | None
    options_shown: str  # option ids, ";"-separated, in the order shown
    chosen: str         # option ids picked, ";"-separated, in the order shown
    answer: str         # the answer in words (option texts, or the number and its unit)
    timestamp: str

    @property
    def graded(self) -> bool:
        return self.correct is not None


EXPORT_FIELDS = tuple(f.name for f in fields(Attempt))
_BOOLEANS = ("correct", "first_attempt_correct")
_GRADES = (*_BOOLEANS, "score")


def answer_text(question: Question, response) -> str:
    """The learner's answer in words (option texts, or the number with its unit)."""
    if question.type == "single":
        return question.options[option_index(question, response)].text
    if question.type == "multiple":
        return "; ".join(question.options[i].text for i in sorted({option_index(question, i) for i in response}))
    return f"{number_text(parse_number(question, response))} {question.unit}"


def utc_now_iso(when: datetime | None = None) -> str:
    when = datetime.now(timezone.utc) if when is None else when.astimezone(timezone.utc)
    return when.isoformat(timespec="seconds").replace("+00:00", "Z")


def make_attempt(notebook: str, question: Question, response, result: Grade | None, *, learner_code: str,
                 learner_name: str = "", shown: tuple[int, ...] = (), attempt: int = 1,
                 first_attempt_correct: bool | None = None, when: datetime | None = None) -> Attempt:
    """The record of one check. `shown` is the order the options were shown in (indices in the
    file); `attempt` counts this learner's checks of the question. `result` None records an
    answer that is not graded on the page (a test): its grade fields stay empty."""
    order = shown or tuple(range(len(question.options)))
    picked = ({option_index(question, response)} if question.type == "single"
              else {option_index(question, i) for i in response} if question.type == "multiple" else set())
    correct = None if result is None else result.correct
    return Attempt(
        schema=SCHEMA, learner_code=learner_code, learner_name=learner_name, notebook=notebook,
        question_id=question.id, level=question.level, attempt=attempt, correct=correct,
        first_attempt_correct=correct if first_attempt_correct is None else first_attempt_correct,
        score=None if result is None else round(result.score, 3),
        options_shown=";".join(question.options[i].id for i in order),
        chosen=";".join(question.options[i].id for i in order if i in picked),
        answer=answer_text(question, response), timestamp=utc_now_iso(when),
    )


def response_from(question: Question, attempt: Attempt):
    """The response `grade` expects, rebuilt from a record of `question`: the chosen option ids as
    indices in the file, or the number in `answer`. ValueError if the record does not fit."""
    if question.type == "numeric":
        return parse_number(question, attempt.answer)
    index = {o.id: n for n, o in enumerate(question.options)}
    ids = [i for i in attempt.chosen.split(";") if i]
    unknown = [i for i in ids if i not in index]
    if unknown:
        raise ValueError(f"'{unknown[0]}' is not an option of question '{question.id}'.")
    if question.type == "single":
        if len(ids) != 1:
            raise ValueError(f"a single-choice answer to '{question.id}' names {len(ids)} options.")
        return index[ids[0]]
    if not ids:
        raise ValueError(f"the answer to '{question.id}' ticks no box.")
    return {index[i] for i in ids}


def export_csv(attempts) -> str:
    """CSV text with a header row; true/false for the yes-no columns (empty when not graded)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for a in attempts:
        row = asdict(a)
        row.update({k: "" if row[k] is None else "true" if row[k] else "false" for k in _BOOLEANS})
        row["score"] = "" if row["score"] is None else row["score"]
        writer.writerow(row)
    return out.getvalue()


def export_json(attempts) -> str:
    """A JSON array of attempt objects."""
    return json.dumps([asdict(a) for a in attempts], ensure_ascii=False, indent=2)


def _record(raw: dict, where: str) -> Attempt:
    missing = [f for f in EXPORT_FIELDS if f not in raw]
    if missing:
        raise AnswerFileError(f"{where} lacks {', '.join(missing)}: not an answer file of this workbook.")
    if raw["schema"] != SCHEMA:
        raise AnswerFileError(f"{where} has schema '{raw['schema']}', not '{SCHEMA}'.")
    values = {f: raw[f] for f in EXPORT_FIELDS}
    empty = [k for k in _GRADES if values[k] is None or (isinstance(values[k], str) and not values[k].strip())]
    if empty and len(empty) < len(_GRADES):
        raise AnswerFileError(f"{where}: {', '.join(empty)} empty but not all of {', '.join(_GRADES)}; "
                              "a record is either graded or not.")
    for key in _BOOLEANS if not empty else ():
        value = values[key]
        if isinstance(value, str):
            value = {"true": True, "false": False}.get(value.strip().lower(), value)
        if not isinstance(value, bool):
            raise AnswerFileError(f"{where}: '{key}' must be true or false; got {raw[key]!r}.")
        values[key] = value
    try:
        values["attempt"] = int(values["attempt"])
        values["score"] = None if empty else float(values["score"])
    except (TypeError, ValueError):
        raise AnswerFileError(f"{where}: 'attempt' and 'score' must be numbers.") from None
    if empty:
        values.update(correct=None, first_attempt_correct=None)
    for key in set(EXPORT_FIELDS) - set(_GRADES) - {"attempt"}:
        values[key] = "" if values[key] is None else str(values[key])
    if not values["learner_code"] or not values["notebook"] or not values["question_id"]:
        raise AnswerFileError(f"{where}: learner_code, notebook and question_id must not be empty.")
    return Attempt(**values)


def read_answers(text: str, kind: str) -> tuple[Attempt, ...]:
    """The records of an answer file's text; `kind` is "csv" or "json". AnswerFileError says why
    a file cannot be read as one."""
    if kind == "json":
        try:
            raw = json.loads(text)
        except ValueError as exc:
            raise AnswerFileError(f"it is not valid JSON ({exc.msg}, line {exc.lineno}).") from None
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            raise AnswerFileError("its JSON is not a list of answer records.")
        rows = raw
    elif kind == "csv":
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    else:
        raise AnswerFileError(f"'{kind}' is not an answer file type; use csv or json.")
    if not rows:
        raise AnswerFileError("it holds no answers.")
    return tuple(_record(r, f"record {n}") for n, r in enumerate(rows, start=1))

"""Tests of ivigkit.quiz (loading, grading, export) and the SelfCheck widget, headless."""
from __future__ import annotations

import base64
import csv
import html
import io
import json
import math
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from ivigkit import quiz as q
from ivigkit.data import documents
from tests.support import REPO
from tests.support.quizzes import QUIZ_FILES, SOURCES_CSV, VALID, write

@pytest.fixture
def demo(tmp_path) -> q.Quiz:
    return q.load_quiz(write(tmp_path, VALID))


def test_valid_file_loads_into_frozen_dataclasses(demo):
    assert demo.notebook == "demo" and demo.title == "Demo quiz"
    assert [x.id for x in demo.questions] == ["pick", "many", "dose"]
    pick, many, dose = demo.questions
    assert pick.correct_indices == {1} and many.correct_indices == {0, 2}
    assert (dose.answer, dose.tolerance, dose.unit) == (28.0, 0.1, "g")
    assert dose.source_ids == ("achiron1998_neurology",) and many.source_ids == ()
    with pytest.raises(AttributeError):
        pick.prompt = "changed"


def test_load_by_name_uses_ivigkit_data_dir(tmp_path, monkeypatch):
    (tmp_path / "quizzes").mkdir()
    write(tmp_path / "quizzes", VALID)
    monkeypatch.setenv("IVIGKIT_DATA_DIR", str(tmp_path))
    assert documents.quiz_dir() == tmp_path / "quizzes"
    assert q.load_quiz("demo").questions[0].id == "pick"


def test_default_quiz_dir_is_repo_data_quizzes(monkeypatch):
    monkeypatch.delenv("IVIGKIT_DATA_DIR", raising=False)
    assert documents.quiz_dir() == REPO / "data" / "quizzes"


def _swap(old: str, new: str, text: str = VALID) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


BROKEN = {
    "missing key": (_swap('    prompt: "Pick the second one."\n', ""), "question 1 ('pick')", "'prompt'"),
    "unknown key": (_swap("    prompt: \"Tick", "    promt: \"Tick"), "question 2 ('many')", "did you mean 'prompt'"),
    "bad type": (_swap("type: multiple", "type: choice"), "question 2 ('many')", "'type' must be"),
    "no correct option (single)": (
        _swap("        correct: true\n        feedback: \"Second", "        correct: false\n        feedback: \"Second"),
        "question 1 ('pick')", "found none"),
    "no correct option (multiple)": (
        _swap("correct: true\n        feedback: \"C", "correct: false\n        feedback: \"C",
              _swap("correct: true\n        feedback: \"A", "correct: false\n        feedback: \"A")),
        "question 2 ('many')", "at least one option"),
    "two correct in single": (
        _swap("        correct: false\n        feedback: \"First", "        correct: true\n        feedback: \"First"),
        "question 1 ('pick')", "exactly one correct option"),
    "duplicate ids": (_swap("  - id: dose", "  - id: pick"), "question 3 ('pick')", "already used by question 1"),
    "missing feedback": (_swap('        feedback: "B stays out of the set"\n', ""), "question 2 ('many')", "'feedback'"),
    "empty feedback": (_swap('"B stays out of the set"', '""'), "question 2 ('many')", "'feedback' must be non-empty"),
    "missing numeric feedback": (_swap('    feedback_incorrect: "Step by step: 70 kg x 0.4 g/kg = 28 g"\n', ""),
                                 "question 3 ('dose')", "'feedback_incorrect'"),
    "non-numeric answer": (_swap("answer: 28", "answer: twenty-eight"), "question 3 ('dose')", "'answer' must be"),
    "quoted answer": (_swap("answer: 28", 'answer: "28"'), "question 3 ('dose')", "'answer' must be"),
    "negative tolerance": (_swap("tolerance: 0.1", "tolerance: -0.1"), "question 3 ('dose')",
                           "needs a 'tolerance' of 0 or more"),
    "correct not boolean": (_swap("correct: false\n        feedback: \"D", "correct: maybe\n        feedback: \"D"),
                            "question 2 ('many')", "true or false"),
    "no id, named by number": (_swap("  - id: many\n    type: multiple", "  - type: multiple"), "question 2",
                               "'id'"),
    "repeated key": (_swap("    unit: g\n", "    unit: g\n    unit: mg\n"), "question 3 ('dose')", "appears twice"),
    "one option only": (VALID.split('      - text: "Second"')[0] + "    source_ids: []\n",
                        "question 1 ('pick')", "at least 2 options"),
    "yaml syntax error": (_swap('    prompt: "Tick A and C."', '    prompt: "Tick A and C.'), "question 2 ('many')",
                          "cannot be read near line"),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_malformed_file_names_file_and_question(tmp_path, case):
    text, question, fragment = BROKEN[case]
    path = write(tmp_path, text)
    with pytest.raises(q.QuizError) as err:
        q.load_quiz(path)
    message = str(err.value)
    assert isinstance(err.value, ValueError)
    assert "demo.yaml" in message
    assert question in message, message
    assert fragment in message, message
    assert "Traceback" not in message


def test_syntax_error_reports_the_line(tmp_path):
    text = _swap("    unit: g\n", "    unit: g\n   bad indent: [\n")
    line = text.splitlines().index("   bad indent: [") + 1
    with pytest.raises(q.QuizError, match=r"demo\.yaml") as err:
        q.load_quiz(write(tmp_path, text))
    numbers = [int(n) for n in re.findall(r"line (\d+)", str(err.value))]
    assert numbers and abs(numbers[0] - line) <= 2, str(err.value)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_empty_file(tmp_path, text):
    with pytest.raises(q.QuizError, match=r"demo\.yaml: the file is empty"):
        q.load_quiz(write(tmp_path, text))


def test_missing_file(tmp_path, monkeypatch):
    monkeypatch.setenv("IVIGKIT_DATA_DIR", str(tmp_path))
    with pytest.raises(q.QuizError, match=r"no_such_quiz\.yaml: no such quiz file"):
        q.load_quiz("no_such_quiz")


@pytest.mark.parametrize("text, fragment", [
    ("- just\n- a list\n", "must be a mapping"),
    (VALID.replace("notebook: demo", "notebook: other"), "must match"),
    (VALID.replace("title: Demo quiz", "title: Demo quiz\nauthor: me"), "unknown key 'author'"),
    ("notebook: demo\ntitle: T\nquestions: []\n", "non-empty list"),
])
def test_malformed_top_level(tmp_path, text, fragment):
    with pytest.raises(q.QuizError, match=re.escape(fragment)) as err:
        q.load_quiz(write(tmp_path, text))
    assert "demo.yaml" in str(err.value)


# ------------------------------------------------------------------ grading


def test_single_right_and_wrong(demo):
    pick = demo.questions[0]
    right = q.grade(pick, 1)
    assert right.correct and right.score == 1.0
    assert any("Second is the wanted one" in m for m in right.messages)
    assert right.messages[-1] == "The pick explanation"
    wrong = q.grade(pick, 0)
    assert not wrong.correct and wrong.score == 0.0
    assert "First is a decoy" in wrong.messages[0]
    assert any("Second" in m for m in wrong.messages[1:])
    assert not any("Third is another decoy" in m for m in wrong.messages)


@pytest.mark.parametrize("response, message", [(None, "Pick an answer first."), (7, "no answer number"),
                                               (True, "no answer number"), ("1", "no answer number")])
def test_single_needs_a_valid_pick(demo, response, message):
    with pytest.raises(ValueError, match=message):
        q.grade(demo.questions[0], response)


def test_multiple_right(demo):
    result = q.grade(demo.questions[1], {0, 2})
    assert result.correct and result.score == 1.0
    assert len(result.messages) == 2
    assert q.grade(demo.questions[1], (2, 0)).correct


def test_multiple_partly_right_gives_feedback_for_ticked_and_missed(demo):
    result = q.grade(demo.questions[1], {0, 1})
    assert not result.correct and 0.0 <= result.score < 1.0
    text = "\n".join(result.messages)
    assert "A belongs in the set" in text and "You ticked \"A\"" in text
    assert "B stays out of the set" in text and "does not belong" in text
    assert "C belongs too" in text and "You missed \"C\"" in text
    assert "D stays out as well" not in text
    half = q.grade(demo.questions[1], {0})
    assert not half.correct and half.score == pytest.approx(0.5)


def test_multiple_all_wrong_or_all_ticked_scores_zero(demo):
    assert q.grade(demo.questions[1], {1, 3}).score == 0.0
    assert q.grade(demo.questions[1], {0, 1, 2, 3}).score == 0.0


@pytest.mark.parametrize("response", [None, set(), [], "0,2"])
def test_multiple_needs_a_tick(demo, response):
    with pytest.raises(ValueError, match="Tick at least one box first."):
        q.grade(demo.questions[1], response)


@pytest.mark.parametrize("response, ok", [
    (28, True), (28.0, True), (27.9, True), (28.1, True), (28.1000001, False), (27.89, False),
    ("28", True), (" 28.05 ", True), ("28 g", True), ("28g", True), ("\u221228", False), (2.8, False),
])
def test_numeric_tolerance_edges(demo, response, ok):
    result = q.grade(demo.questions[2], response)
    assert result.correct is ok
    assert result.score == (1.0 if ok else 0.0)
    feedback = "Seventy times" if ok else "Step by step"
    assert feedback in result.messages[0] and result.messages[-1] == "The dose explanation"


@pytest.mark.parametrize("response, fragment", [
    ("", "Type a number first"), ("   ", "Type a number first"), (None, "Type a number first"),
    ("abc", "is not a number"), ("28,5", "Use a point"), ("nan", "ordinary number"),
    ("inf", "ordinary number"), (math.inf, "ordinary number"), (True, "Type a number first"),
])
def test_numeric_bad_input_raises_student_sentence(demo, response, fragment):
    with pytest.raises(ValueError, match=fragment):
        q.grade(demo.questions[2], response)


def _numeric(answer: float, tolerance: float) -> q.Question:
    return q.Question(id="n", type="numeric", prompt="?", answer=answer, tolerance=tolerance, unit="g",
                      feedback_correct="yes", feedback_incorrect="no")


@given(answer=st.floats(-1e6, 1e6), tolerance=st.floats(0, 1e3), fraction=st.floats(-1, 1))
def test_numeric_accepts_everything_within_tolerance(answer, tolerance, fraction):
    value = answer + fraction * tolerance
    assert q.grade(_numeric(answer, tolerance), value).correct
    assert q.grade(_numeric(answer, tolerance), repr(value)).correct


@given(answer=st.floats(-1e6, 1e6), tolerance=st.floats(0, 1e3), extra=st.floats(1e-6, 1e3),
       sign=st.sampled_from([-1, 1]))
def test_numeric_rejects_everything_outside_tolerance(answer, tolerance, extra, sign):
    gap = tolerance + extra * max(1.0, abs(answer), tolerance)
    assert not q.grade(_numeric(answer, tolerance), answer + sign * gap).correct


@given(value=st.floats(0, 1e4), tolerance=st.floats(0, 10))
def test_numeric_is_symmetric(value, tolerance):
    question = _numeric(28, tolerance)
    assert q.grade(question, 28 + value).correct == q.grade(question, 28 - value).correct


# ------------------------------------------------------------------ attempts and export


def test_attempt_and_exports_round_trip(demo):
    pick, many, dose = demo.questions
    when = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    shown = (2, 0, 3, 1)  # the order the learner saw the four options of "many"
    attempts = [
        q.make_attempt("demo", pick, 0, q.grade(pick, 0), learner_code="K7Q2", learner_name="Ada", when=when),
        q.make_attempt("demo", many, {2, 0}, q.grade(many, {2, 0}), learner_code="K7Q2", shown=shown,
                       attempt=2, first_attempt_correct=False),
        q.make_attempt("demo", dose, " 28 g", q.grade(dose, " 28 g"), learner_code="K7Q2"),
    ]
    assert attempts[0].timestamp == "2026-03-01T07:30:00Z"
    assert [a.answer for a in attempts] == ["First", "A; C", "28 g"]
    assert (attempts[1].options_shown, attempts[1].chosen) == ("c;a;d;b", "c;a")
    assert (attempts[2].options_shown, attempts[2].chosen) == ("", "")
    assert [a.level for a in attempts] == ["recall", "apply", "apply"]
    rows = list(csv.DictReader(io.StringIO(q.export_csv(attempts))))
    assert list(rows[0]) == list(q.EXPORT_FIELDS)
    assert [r["question_id"] for r in rows] == ["pick", "many", "dose"]
    assert rows[0]["correct"] == "false" and rows[1]["correct"] == "true"
    assert rows[1]["first_attempt_correct"] == "false" and rows[1]["attempt"] == "2"
    assert rows[2]["answer"] == "28 g" and rows[2]["notebook"] == "demo" and rows[0]["learner_name"] == "Ada"
    data = json.loads(q.export_json(attempts))
    assert data[1]["schema"] == q.SCHEMA and data[1]["chosen"] == "c;a" and data[1]["correct"] is True
    for row in data:
        stamp = datetime.fromisoformat(row["timestamp"])
        assert stamp.utcoffset() == timedelta(0)
    assert q.read_answers(q.export_csv(attempts), "csv") == tuple(attempts)
    assert q.read_answers(q.export_json(attempts), "json") == tuple(attempts)


@pytest.mark.parametrize("text, kind, reason", [
    ("", "csv", "holds no answers"),
    ("question,answer\npick,First\n", "csv", "lacks schema"),
    ("{not json", "json", "not valid JSON"),
    ('{"a": 1}', "json", "not a list of answer records"),
    ("x", "xlsx", "not an answer file type"),
])
def test_a_file_that_is_not_an_answer_file_says_why(text, kind, reason):
    with pytest.raises(q.AnswerFileError, match=reason):
        q.read_answers(text, kind)


def test_an_answer_file_with_a_bad_value_names_the_record(demo):
    pick = demo.questions[0]
    rows = json.loads(q.export_json([q.make_attempt("demo", pick, 1, q.grade(pick, 1), learner_code="K7Q2")]))
    for key, value, reason in (("schema", "ivigkit-answers/1", "has schema 'ivigkit-answers/1'"),
                               ("correct", "maybe", "'correct' must be true or false"),
                               ("attempt", "first", "must be numbers"),
                               ("learner_code", "", "must not be empty")):
        bad = [{**rows[0], key: value}]
        with pytest.raises(q.AnswerFileError, match=f"record 1.*{reason}|{reason}"):
            q.read_answers(json.dumps(bad), "json")


@pytest.mark.parametrize("code, ok", [("k7q2", "K7Q2"), (" ABC ", "ABC"), ("A1B2C3D4E5F6", "A1B2C3D4E5F6"),
                                      ("ab", None), ("K7-Q2", None), ("", None), (None, None), (1234, None)])
def test_learner_codes(code, ok):
    if ok:
        assert q.check_learner_code(code) == ok
    else:
        with pytest.raises(ValueError, match="3 to 12 letters or digits"):
            q.check_learner_code(code)
    generated = q.new_learner_code()
    assert q.check_learner_code(generated) == generated and len(generated) == 4
    assert not set(generated) & set("01OIL")


def test_presented_gives_each_question_as_the_learner_sees_it():
    quiz = q.load_quiz("03_evidence")
    shown = q.presented("03_evidence", "K7Q2")
    assert [s.id for s in shown] == [x.id for x in quiz.questions]
    assert shown == q.presented("03_evidence", "k7q2")
    for question, seen in zip(quiz.questions, shown):
        assert seen["type"] == question.type and seen.level == question.level
        assert sorted(o.id for o in seen.options) == [o.id for o in question.options]
        by_id = {o.id: o for o in question.options}
        assert all(o.text == by_id[o.id].text and o["correct"] == by_id[o.id].correct for o in seen.options)


def test_empty_exports_still_parse():
    assert list(csv.reader(io.StringIO(q.export_csv([])))) == [list(q.EXPORT_FIELDS)]
    assert json.loads(q.export_json([])) == []


def test_pure_module_does_not_import_ipywidgets():
    code = "import sys, ivigkit.quiz; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------ widget (headless)


# ------------------------------------------------------------------ the shipped quiz files


def test_there_is_a_start_here_quiz():
    assert REPO / "data" / "quizzes" / "00_start_here.yaml" in QUIZ_FILES


@pytest.mark.parametrize("path", QUIZ_FILES, ids=[p.stem for p in QUIZ_FILES])
def test_quiz_file_loads(path):
    quiz = q.load_quiz(path.stem)
    assert quiz.notebook == path.stem and quiz.questions


def test_start_here_quiz_shape():
    quiz = q.load_quiz("00_start_here")
    assert 5 <= len(quiz.questions) <= 6
    assert {x.type for x in quiz.questions} == set(q.TYPES)
    numeric = [x for x in quiz.questions if x.type == "numeric"]
    assert any("0.4 g/kg" in x.prompt and "achiron1998_neurology" in x.source_ids for x in numeric)


def _source_ids() -> set[str]:
    with SOURCES_CSV.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        column = next((c for c in ("source_id", "id") if c in (reader.fieldnames or [])), None)
        assert column, f"data/sources.csv has no source_id column: {reader.fieldnames}"
        return {row[column].strip() for row in reader}


@pytest.mark.parametrize("path", QUIZ_FILES, ids=[p.stem for p in QUIZ_FILES])
def test_quiz_sources_exist(path):
    quiz = q.load_quiz(path)
    if not SOURCES_CSV.exists():
        pytest.skip("data/sources.csv does not exist yet")
    known = _source_ids()
    missing = sorted({s for x in quiz.questions for s in x.source_ids} - known)
    assert not missing, f"{path.name} cites ids not in data/sources.csv: {missing}"

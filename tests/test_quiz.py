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

REPO = Path(__file__).resolve().parents[1]
QUIZ_FILES = sorted((REPO / "data" / "quizzes").glob("*.yaml"))
SOURCES_CSV = REPO / "data" / "sources.csv"

VALID = """\
notebook: demo
title: Demo quiz
questions:
  - id: pick
    type: single
    prompt: "Pick the second one."
    options:
      - text: "First"
        correct: false
        feedback: "First is a decoy"
      - text: "Second"
        correct: true
        feedback: "Second is the wanted one"
      - text: "Third"
        correct: false
        feedback: "Third is another decoy"
    explanation: "The pick explanation"
    source_ids: [statpearls_ivig]
  - id: many
    type: multiple
    prompt: "Tick A and C."
    options:
      - text: "A"
        correct: true
        feedback: "A belongs in the set"
      - text: "B"
        correct: false
        feedback: "B stays out of the set"
      - text: "C"
        correct: true
        feedback: "C belongs too"
      - text: "D"
        correct: false
        feedback: "D stays out as well"
    source_ids: []
  - id: dose
    type: numeric
    prompt: "A 70 kg adult is prescribed 0.4 g/kg. How many grams?"
    answer: 28
    tolerance: 0.1
    unit: g
    feedback_correct: "Seventy times zero point four is twenty-eight"
    feedback_incorrect: "Step by step: 70 kg x 0.4 g/kg = 28 g"
    explanation: "The dose explanation"
    source_ids: [achiron1998_neurology]
"""

HIDDEN_TEXTS = [
    "First is a decoy", "Second is the wanted one", "Third is another decoy", "The pick explanation",
    "A belongs in the set", "B stays out of the set", "C belongs too", "D stays out as well",
    "Seventy times zero point four is twenty-eight", "Step by step: 70 kg x 0.4 g/kg = 28 g",
    "The dose explanation",
]


def write(tmp_path: Path, text: str, name: str = "demo") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def demo(tmp_path) -> q.Quiz:
    return q.load_quiz(write(tmp_path, VALID))


@pytest.fixture
def app(demo):
    from ivigkit.apps.quiz import SelfCheck

    check = SelfCheck(demo)
    check.open()  # the learner pressed Start
    return check


def test_questions_are_built_only_when_the_learner_starts(demo):
    from ivigkit.apps.quiz import SelfCheck

    check = SelfCheck(demo)
    assert check.questions == [] and check.score_label is None
    assert [type(w).__name__ for w in check.widget.children] == ["HTML", "Button"]
    assert "3 questions" in check.start_button.description
    check.start_button.click()
    assert len(check.questions) == 3
    assert check.widget.children[1] is check.questions[0].box
    check.open()  # once only
    assert len(check.widget.children) == 3 + 3


# ------------------------------------------------------------------ loading


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
    assert q.quiz_dir() == tmp_path / "quizzes"
    assert q.load_quiz("demo").questions[0].id == "pick"


def test_default_quiz_dir_is_repo_data_quizzes(monkeypatch):
    monkeypatch.delenv("IVIGKIT_DATA_DIR", raising=False)
    assert q.QUIZ_DIR == REPO / "data" / "quizzes"
    assert q.quiz_dir() == q.QUIZ_DIR


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
    attempts = [
        q.make_attempt("demo", pick, 0, q.grade(pick, 0), when=when),
        q.make_attempt("demo", many, {2, 0}, q.grade(many, {2, 0})),
        q.make_attempt("demo", dose, " 28 g", q.grade(dose, " 28 g")),
    ]
    assert attempts[0].timestamp == "2026-03-01T07:30:00Z"
    assert [a.answer for a in attempts] == ["First", "A; C", "28 g"]
    rows = list(csv.DictReader(io.StringIO(q.export_csv(attempts))))
    assert [r["question_id"] for r in rows] == ["pick", "many", "dose"]
    assert rows[0]["correct"] == "false" and rows[1]["correct"] == "true"
    assert rows[2]["prompt"] == dose.prompt and rows[2]["answer"] == "28 g" and rows[2]["notebook"] == "demo"
    data = json.loads(q.export_json(attempts))
    assert data[1] == {"notebook": "demo", "question_id": "many", "prompt": "Tick A and C.", "answer": "A; C",
                       "correct": True, "score": 1.0, "timestamp": attempts[1].timestamp}
    for row in data:
        stamp = datetime.fromisoformat(row["timestamp"])
        assert stamp.utcoffset() == timedelta(0)


def test_empty_exports_still_parse():
    assert list(csv.reader(io.StringIO(q.export_csv([])))) == [list(q.EXPORT_FIELDS)]
    assert json.loads(q.export_json([])) == []


def test_pure_module_does_not_import_ipywidgets():
    code = "import sys, ivigkit.quiz; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------ widget (headless)


def _all_widgets(root):
    import ipywidgets as W

    seen, stack = {}, [root]
    while stack:
        w = stack.pop()
        if w.model_id in seen:
            continue
        seen[w.model_id] = w
        for key in w.keys:
            value = getattr(w, key, None)
            items = value if isinstance(value, (list, tuple)) else [value]
            stack.extend(v for v in items if isinstance(v, W.Widget))
    return list(seen.values())


def _synced(root) -> str:
    states = [w.get_state() for w in _all_widgets(root)]
    return json.dumps(states, ensure_ascii=False, default=repr)


def _present(text: str, blob: str) -> bool:
    return text in blob or html.escape(text) in blob


def test_css_class_contract_and_attributes(app):
    assert "ivig-quiz" in app.widget._dom_classes
    assert len(app.questions) == 3
    for view in app.questions:
        assert "ivig-quiz-question" in view.box._dom_classes
        assert "ivig-quiz-check" in view.check_button._dom_classes
        assert "ivig-quiz-feedback" in view.feedback._dom_classes
        assert view.box in app.widget.children
    assert "ivig-quiz-score" in app.score_label._dom_classes
    assert "ivig-quiz-download" in app.download._dom_classes
    assert app.score_label.value == "Score: 0 / 3 checked correctly"
    assert app.attempts == []


def test_controls_are_labelled(app):
    import ipywidgets as W

    single, multiple, numeric = app.questions
    assert isinstance(single.control, W.RadioButtons) and single.control.value is None
    assert single.control.description and single.control.layout.width == "100%"
    assert [c.description for c in multiple.controls] == ["A", "B", "C", "D"]
    assert all(isinstance(c, W.Checkbox) and c.value is False for c in multiple.controls)
    assert isinstance(numeric.control, W.Text) and numeric.control.description
    assert numeric.unit_label.value == "g"
    for view in app.questions:
        assert view.check_button.description == "Check" and view.check_button.tooltip
        assert view.question.prompt in view.prompt.value


def test_single_check_updates_feedback_and_score(app):
    view = app.questions[0]
    view.control.value = 1
    view.check_button.click()
    assert "Correct" in view.feedback.value and "✓" in view.feedback.value
    assert "Second is the wanted one" in view.feedback.value
    assert app.score_label.value == "Score: 1 / 3 checked correctly"
    view.control.value = 2
    assert "press Check" in view.feedback.value
    view.check_button.click()
    assert "Not quite" in view.feedback.value and "✗" in view.feedback.value
    assert app.score_label.value == "Score: 0 / 3 checked correctly"
    assert [a.correct for a in app.attempts] == [True, False]


def test_multiple_and_numeric_checks(app):
    many, dose = app.questions[1], app.questions[2]
    many.controls[0].value = True
    many.check_button.click()
    assert "Not quite" in many.feedback.value and "partly right" in many.feedback.value
    assert html.escape('You missed "C"') in many.feedback.value
    many.controls[2].value = True
    many.check_button.click()
    assert "Correct" in many.feedback.value
    dose.control.value = "28.05"
    dose.check_button.click()
    assert "Correct" in dose.feedback.value
    assert app.score_label.value == "Score: 2 / 3 checked correctly"
    assert app.attempts[-1].answer == "28.05 g"


@pytest.mark.parametrize("index, value, message", [
    (0, None, "Pick an answer first."), (1, None, "Tick at least one box first."),
    (2, "", "Type a number first."), (2, "twenty", "is not a number"), (2, "28,5", "Use a point"),
])
def test_bad_input_shows_message_not_traceback(app, index, value, message):
    view = app.questions[index]
    if value is not None:
        view.control.value = value
    view.check_button.click()
    assert html.escape(message) in view.feedback.value
    assert "Traceback" not in view.feedback.value and "Correct" not in view.feedback.value
    assert app.attempts == [] and app.score_label.value == "Score: 0 / 3 checked correctly"
    assert "data:" not in app.download.value


def test_answers_are_not_synced_before_check(app):
    before = _synced(app.widget)
    assert "Demo quiz" in before and "Pick the second one." in before
    for text in HIDDEN_TEXTS:
        assert not _present(text, before), text
    pick = app.questions[0]
    pick.control.value = 0
    pick.check_button.click()
    after = _synced(app.widget)
    assert _present("First is a decoy", after)
    assert _present("Second is the wanted one", after)
    assert _present("The pick explanation", after)
    for text in HIDDEN_TEXTS[4:]:
        assert not _present(text, after), text


@pytest.mark.parametrize("path", QUIZ_FILES, ids=[p.stem for p in QUIZ_FILES])
def test_real_quiz_hides_feedback_until_checked(path):
    from ivigkit.apps.quiz import SelfCheck

    app = SelfCheck(path.stem)
    app.open()
    blob = _synced(app.widget)
    for question in app.quiz.questions:
        secrets = [o.feedback for o in question.options] + [question.feedback_correct,
                                                            question.feedback_incorrect, question.explanation]
        for text in filter(None, secrets):
            assert not _present(text, blob), f"{question.id}: {text}"


def _links(download_html: str) -> dict[str, tuple[str, bytes]]:
    found = re.findall(r'<a download="([^"]+)" href="data:([^;"]+);base64,([^"]+)"', download_html)
    return {mime: (name, base64.b64decode(payload)) for name, mime, payload in found}


def test_download_links_hold_the_attempts(app):
    assert "data:" not in app.download.value
    app.questions[0].control.value = 1
    app.questions[0].check_button.click()
    app.questions[2].control.value = "30"
    app.questions[2].check_button.click()
    links = _links(app.download.value)
    assert set(links) == {"text/csv", "application/json"}
    csv_name, csv_bytes = links["text/csv"]
    json_name, json_bytes = links["application/json"]
    assert csv_name == "demo_answers.csv" and json_name == "demo_answers.json"
    rows = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    assert [(r["question_id"], r["answer"], r["correct"]) for r in rows] == [("pick", "Second", "true"),
                                                                          ("dose", "30 g", "false")]
    data = json.loads(json_bytes.decode("utf-8"))
    assert [d["question_id"] for d in data] == ["pick", "dose"] and data[1]["correct"] is False


def test_self_check_entry_point_displays_widget():
    from ivigkit.apps.quiz import SelfCheck

    app = q.self_check("00_start_here")
    assert isinstance(app, SelfCheck)
    bundle = app._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == app.widget.model_id


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

"""The class report (ivigkit.report, with the folder read by ivigkit.data.answer_files) on
generated answer files, good and bad: every bad file is listed with its reason and skipped, and
nothing raises."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from ivigkit import data
from ivigkit import quiz as q
from ivigkit import report
from ivigkit.data import answer_files
from ivigkit.quiz import forms
from tests.support.answers import T0, learner_records

QUIZ = "00_start_here"


@pytest.fixture(scope="module")
def quiz():
    return q.load_quiz(QUIZ)


def build(folder, quiz, subject=QUIZ):
    texts, unread = answer_files.read_answer_folder(folder)
    return report.class_report(subject, texts, unread)


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_per_question_and_per_learner(tmp_path, quiz):
    n = len(quiz.questions)
    # Three learners: all right; right on even questions (retrying the others); all wrong.
    write(tmp_path, "ada.csv", q.export_csv(learner_records(quiz, "ADA1", set(range(n)), name="Ada")))
    write(tmp_path, "ben.json", q.export_json(learner_records(quiz, "BEN2", set(range(0, n, 2)), retry_wrong=True)))
    write(tmp_path, "cy/cy.csv", q.export_csv(learner_records(quiz, "CYC3", set())))
    result = build(tmp_path, quiz)
    assert result.skipped == () and len(result.files) == 3
    first = result.questions[0]
    assert (first.number, first.question_id, first.learners, first.first_right) == (1, quiz.questions[0].id, 3, 2)
    assert first.first_right_pct == pytest.approx(200 / 3)
    second = result.questions[1]
    assert second.first_right == 1
    wrong_option = next(o for o in quiz.questions[1].options if not o.correct)
    assert second.wrong[0] == (f"{wrong_option.id}: {wrong_option.text}", 2)  # Ben and Cy, at their first try
    scores = {r.learner_code: r for r in result.learners}
    assert scores["ADA1"].score_pct == 100 and scores["ADA1"].learner_name == "Ada"
    assert (scores["BEN2"].first_right, scores["BEN2"].latest_right) == (len(range(0, n, 2)), n)
    assert scores["CYC3"].score_pct == 0 and scores["CYC3"].file == "cy/cy.csv"
    assert result.pre_post is None


def test_a_numeric_wrong_answer_is_named_with_its_slip(tmp_path):
    keyed = forms.load_keyed_form("pre_post_a")
    index, question = next((i, x) for i, x in enumerate(keyed.quiz.questions) if x.type == "numeric" and x.slips)
    for code in ("AAA1", "BBB2"):
        records = learner_records(keyed.quiz, code, lambda i, _x: i != index, graded=False)
        write(tmp_path, f"{code}.json", q.export_json(records))
    result = build(tmp_path, None, report.PRE_POST)
    label, times = next(r for r in result.questions if r.question_id == question.id).wrong[0]
    assert times == 2 and label == f"{question.slips[0].answer:g} {question.unit} ({question.slips[0].feedback})"


def _records_json(quiz, code="K7Q2", **changes):
    rows = json.loads(q.export_json(learner_records(quiz, code, {0})))
    return json.dumps([{**row, **changes} for row in rows])


def test_bad_files_are_listed_with_the_reason_and_skipped(tmp_path, quiz):
    good = learner_records(quiz, "GOOD", {0, 1})
    write(tmp_path, "good.csv", q.export_csv(good))
    write(tmp_path, "same_again.json", q.export_json(good))                       # identical records
    write(tmp_path, "early.csv", q.export_csv(good[:2]))                         # an earlier download
    write(tmp_path, "old_schema.json", _records_json(quiz, schema="ivigkit-answers/1"))
    write(tmp_path, "other_notebook.csv", q.export_csv(learner_records(q.load_quiz("03_evidence"), "OTHR", {0})))
    two = learner_records(quiz, "ONE1", {0}) + learner_records(quiz, "TWO2", {0})
    write(tmp_path, "two_learners.csv", q.export_csv(two))
    write(tmp_path, "unknown_question.json", _records_json(quiz, "UNKN", question_id="no_such_question"))
    rows = json.loads(_records_json(quiz, "OPTN"))
    rows[0]["chosen"] = "z"
    write(tmp_path, "unknown_option.json", json.dumps(rows))
    write(tmp_path, "broken.json", "[{\"schema\": ")
    write(tmp_path, "empty.csv", "")
    write(tmp_path, "spreadsheet.csv", "name,score\nAda,3\n")
    write(tmp_path, "notes.txt", "remember to collect the files")
    (tmp_path / "latin1.csv").write_bytes("learner,réponse\n".encode("latin-1"))
    write(tmp_path, ".hidden.json", "not looked at")
    write(tmp_path, ".ipynb_checkpoints/good-checkpoint.csv", q.export_csv(good))

    result = build(tmp_path, quiz)
    assert [f.name for f in result.files] == ["good.csv"]
    reasons = {s.name: s.reason for s in result.skipped}
    expected = {
        "same_again.json": "duplicate: the same answers as good.csv",
        "early.csv": "duplicate: an earlier download of learner GOOD's answers to 00_start_here; good.csv holds",
        "old_schema.json": "has schema 'ivigkit-answers/1', not 'ivigkit-answers/2'",
        "other_notebook.csv": "it holds answers for 03_evidence, not for 00_start_here",
        "two_learners.csv": "several learner codes (ONE1, TWO2)",
        "unknown_question.json": "question 'no_such_question' is not in 00_start_here",
        "unknown_option.json": "'z' is not an option of question",
        "broken.json": "not valid JSON",
        "empty.csv": "holds no answers",
        "spreadsheet.csv": "lacks schema",
        "notes.txt": "not a CSV or JSON file",
        "latin1.csv": "not UTF-8 text",
    }
    assert set(reasons) == set(expected)
    for name, words in expected.items():
        assert words in reasons[name], (name, reasons[name])


def test_two_different_files_under_one_code_keep_the_fuller_and_say_so(tmp_path, quiz):
    write(tmp_path, "a.json", q.export_json(learner_records(quiz, "SAME", {0}, when=T0)))
    write(tmp_path, "b.json", q.export_json(learner_records(quiz, "SAME", {1}, when=T0 + timedelta(days=1))))
    result = build(tmp_path, quiz)
    assert [f.name for f in result.files] == ["b.json"]  # as many answers, and later
    (skipped,) = result.skipped
    assert skipped.name == "a.json" and "if two learners share the code, give one a new code" in skipped.reason


def test_an_empty_folder_gives_an_empty_report(tmp_path, quiz):
    result = build(tmp_path, quiz)
    assert result.files == () and result.skipped == () and result.learners == ()
    assert all(r.learners == 0 and r.first_right_pct is None for r in result.questions)


@pytest.mark.parametrize("make, message", [
    (lambda tmp: tmp / "missing", "There is no folder"),
    (lambda tmp: write(tmp, "file.csv", "x"), "is a file; give the folder"),
    (lambda tmp: "  ", "Type the folder"),
])
def test_a_folder_that_is_not_there_is_a_sentence(tmp_path, make, message):
    with pytest.raises(data.DataError, match=message):
        answer_files.read_answer_folder(make(tmp_path))


def test_an_unknown_subject_is_a_sentence():
    with pytest.raises(ValueError, match="There is no self-check 'nothing'"):
        report.subject("nothing")


# ------------------------------------------------------------------ pre/post test


def form_records(form: str, code: str, right, *, when):
    keyed = forms.load_keyed_form(form)
    return learner_records(keyed.quiz, code, right, graded=False, when=when)


def test_gain_per_objective_pairs_each_learners_two_forms(tmp_path):
    later = T0 + timedelta(days=28)
    everything = lambda i, _x: True  # noqa: E731
    nothing = lambda i, _x: False    # noqa: E731
    # Ada: A first (all wrong), then B (all right). Ben: B first (all right), then A (all wrong).
    write(tmp_path, "ada_a.csv", q.export_csv(form_records("pre_post_a", "ADA1", nothing, when=T0)))
    write(tmp_path, "ada_b.json", q.export_json(form_records("pre_post_b", "ADA1", everything, when=later)))
    write(tmp_path, "ben_b.csv", q.export_csv(form_records("pre_post_b", "BEN2", everything, when=T0)))
    write(tmp_path, "ben_a.csv", q.export_csv(form_records("pre_post_a", "BEN2", nothing, when=later)))
    # Cy took only the pre-test; Di handed in form A with half of it unanswered.
    write(tmp_path, "cy_a.csv", q.export_csv(form_records("pre_post_a", "CYC3", everything, when=T0)))
    half = form_records("pre_post_a", "DIDI", everything, when=T0)[:10]
    write(tmp_path, "di_a.csv", q.export_csv(half))
    write(tmp_path, "di_b.csv", q.export_csv(form_records("pre_post_b", "DIDI", everything, when=later)))
    write(tmp_path, "selfcheck.csv", q.export_csv(learner_records(q.load_quiz(QUIZ), "ADA1", {0})))

    result = build(tmp_path, None, report.PRE_POST)
    assert [s.name for s in result.skipped] == ["selfcheck.csv"]
    assert "not for pre_post_a or pre_post_b" in result.skipped[0].reason
    pairs = {p.learner_code: p for p in result.pre_post.pairs}
    assert (pairs["ADA1"].pre_form, pairs["ADA1"].pre_pct, pairs["ADA1"].post_pct) == ("pre_post_a", 0, 100)
    assert (pairs["BEN2"].pre_form, pairs["BEN2"].pre_pct, pairs["BEN2"].post_pct) == ("pre_post_b", 100, 0)
    assert (pairs["DIDI"].pre_pct, pairs["DIDI"].post_pct) == (50, 100)  # unanswered counts as wrong
    assert result.pre_post.unpaired == ("CYC3 (pre_post_a only)",)
    blueprint = forms.load_blueprint()
    gains = {g.objective: g for g in result.pre_post.gains}
    assert list(gains) == [o.id for o in blueprint.objectives]
    a = forms.load_keyed_form("pre_post_a")
    first_ten = {a.objectives[x.id] for x in a.quiz.questions[:10]}
    for objective, gain in gains.items():
        assert gain.learners == 3
        di_pre = 100 if objective in first_ten else 0
        assert gain.pre_pct == pytest.approx((0 + 100 + di_pre) / 3)
        assert gain.post_pct == pytest.approx((100 + 0 + 100) / 3)
        assert gain.gain_pts == pytest.approx(gain.post_pct - gain.pre_pct)
    # The test files carry no grades; the key graded them, per question of each form.
    by_id = {r.question_id: r for r in result.questions}
    assert by_id[a.quiz.questions[0].id].learners == 4 and by_id[a.quiz.questions[0].id].first_right == 2


def test_gains_need_the_test_not_a_self_check():
    with pytest.raises(ValueError, match="need the pre/post test"):
        report.pre_post(report.subject(QUIZ), [])

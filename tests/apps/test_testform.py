"""The pre/post test page (ivigkit.apps.testform), headless: a form is chosen, answered and handed
in; the answer file is the self-checks' format with the grades left empty; no answer reaches the
page, even when the instructor folder is there."""
from __future__ import annotations

import base64
import json
import re

import ipywidgets as W
import pytest

from ivigkit import quiz as q
from ivigkit.quiz import forms

CODE = "K7Q2"


@pytest.fixture
def page():
    from ivigkit.apps.testform import PrePostTest

    return PrePostTest(learner_code=CODE)


def answer(view, response) -> None:
    """Answer like a learner: `response` as grade() takes it (indices in the file, or a number)."""
    if view.question.type == "single":
        view.control.value = response
    elif view.question.type == "multiple":
        for shown, box in zip(view.order, view.controls):
            box.value = shown in response
    else:
        view.control.value = str(response)


def downloaded(page, kind: str) -> str:
    """The text of the page's download link for `kind` ("csv" or "json")."""
    links = dict(re.findall(r'<a download="[^"]+\.(\w+)" href="data:[^;]+;base64,([^"]+)"', page.download.value))
    return base64.b64decode(links[kind]).decode("utf-8-sig")


def test_the_page_offers_both_forms_and_builds_nothing_before_start(page):
    assert [v for _, v in page.choice.options] == ["pre_post_a", "pre_post_b"]
    assert page.choice.value is None and page.questions == []
    page.start_button.click()
    assert "Choose the form your instructor names" in page.message.value and page.questions == []
    page.code.value = "no!"
    page.choice.value = "pre_post_b"
    page.start_button.click()
    assert "3 to 12 letters or digits" in page.message.value and page.questions == []
    page.code.value = CODE
    page.start_button.click()
    assert len(page.questions) == 20 and page.form.name == "pre_post_b"
    assert "Form B, learner code <strong>K7Q2</strong>" in page.header.value


def test_no_check_button_no_feedback_no_score(page):
    page.open("pre_post_a")
    for view in page.questions:
        assert view.check_button is None
        assert all(not isinstance(w, W.Button) for w in view.box.children)
    assert not any("Score" in getattr(w, "value", "") for w in page.widget.children if isinstance(w, W.HTML))


def test_nothing_of_the_key_reaches_the_page(page):
    """Every string the widgets hold, against every 'why' of the key: none may appear."""
    page.open("pre_post_a")
    keyed = forms.load_keyed_form("pre_post_a")
    reasons = [x.explanation for x in keyed.quiz.questions] + [s.feedback for x in keyed.quiz.questions for s in x.slips]

    def strings(widget):
        state = widget.get_state()
        yield from (v for v in state.values() if isinstance(v, str))
        for child in getattr(widget, "children", ()):
            yield from strings(child)

    shown = " ".join(strings(page.widget))
    assert "Question 20 of 20" in shown
    assert not [r for r in reasons if r in shown]
    assert all(not o.correct for x in page.form.quiz.questions for o in x.options)


def test_hand_in_records_every_answer_ungraded_and_offers_the_file(page):
    page.name.value = "Ada"
    page.open("pre_post_a")
    keyed = forms.load_keyed_form("pre_post_a")
    right = {}
    for view, question in zip(page.questions, keyed.quiz.questions):
        right[question.id] = (question.answer if question.type == "numeric"
                              else next(i for i, o in enumerate(question.options) if o.correct)
                              if question.type == "single" else set(question.correct_indices))
        answer(view, right[question.id])
    page.hand_in_button.click()
    assert page.handed_in and len(page.attempts) == 20
    assert "Handed in: 20 of 20" in page.status.value
    assert all(not a.graded and a.learner_code == CODE and a.learner_name == "Ada" for a in page.attempts)
    assert all(w.disabled for v in page.questions for w in v.inputs) and page.hand_in_button.disabled
    assert 'download="pre_post_a_K7Q2_answers.csv"' in page.download.value
    for kind in ("csv", "json"):
        text = downloaded(page, kind)
        records = q.read_answers(text, kind)
        assert records == tuple(page.attempts)
        for record, question in zip(records, keyed.quiz.questions):
            assert q.grade(question, q.response_from(question, record)).correct, question.id
    json_rows = json.loads(downloaded(page, "json"))
    assert json_rows[0]["correct"] is None and json_rows[0]["score"] is None


def test_unanswered_questions_are_named_then_handed_in_on_a_second_press(page):
    page.open("pre_post_a")
    answer(page.questions[0], 0)
    page.hand_in()
    assert not page.handed_in and "Questions 2, 3" in page.status.value and "press Hand in again" in page.status.value
    page.hand_in()
    assert page.handed_in and [a.question_id for a in page.attempts] == [page.questions[0].question.id]


def test_a_number_the_page_cannot_read_is_explained_beside_it(page):
    page.open("pre_post_b")
    numeric = next(v for v in page.questions if v.question.type == "numeric")
    numeric.control.value = "about ten"
    page.hand_in()
    page.hand_in()
    assert not page.handed_in
    assert "is not a number" in numeric.feedback.value and "Traceback" not in numeric.feedback.value
    assert f"Question {numeric.number}:" in page.status.value
    numeric.control.value = "10.2"
    page.hand_in()
    assert not page.handed_in  # the other questions are still unanswered: named first
    page.hand_in()
    assert page.handed_in and any(a.answer == f"10.2 {numeric.question.unit}" for a in page.attempts)


def test_the_page_works_without_the_instructor_folder(monkeypatch, tmp_path):
    from ivigkit.apps.testform import PrePostTest

    monkeypatch.setenv("IVIGKIT_INSTRUCTOR_DIR", str(tmp_path / "nowhere"))
    page = PrePostTest(learner_code=CODE)
    page.open("pre_post_b")
    answer(page.questions[0], 1)
    page.hand_in()
    page.hand_in()
    assert page.handed_in and len(page.attempts) == 1

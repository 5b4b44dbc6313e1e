"""The self-check widget (ivigkit.apps.selfcheck), headless: built on Start, labelled, graded,
answers kept from the page until checked, downloads."""
from __future__ import annotations

import base64
import csv
import html
import io
import json
import re

import pytest

from ivigkit import quiz as q
from tests.support.quizzes import HIDDEN_TEXTS, QUIZ_FILES, VALID, write


@pytest.fixture
def demo(tmp_path) -> q.Quiz:
    return q.load_quiz(write(tmp_path, VALID))


CODE = "K7Q2"


@pytest.fixture
def app(demo):
    from ivigkit.apps.selfcheck import SelfCheck

    check = SelfCheck(demo, learner_code=CODE)
    check.name.value = "Ada"
    check.open()  # the learner pressed Start
    return check


def box(view, file_index: int):
    """The checkbox of the option that is `file_index`-th in the file, wherever it is shown."""
    return view.controls[view.order.index(file_index)]


def test_questions_are_built_only_when_the_learner_starts(demo):
    from ivigkit.apps.selfcheck import SelfCheck

    check = SelfCheck(demo)
    assert check.questions == [] and check.score_label is None
    assert [type(w).__name__ for w in check.widget.children] == ["HTML", "VBox"]
    assert q.check_learner_code(check.code.value) == check.code.value  # a valid code is suggested
    assert "3 questions" in check.start_button.description
    check.start_button.click()
    assert len(check.questions) == 3 and check.learner_code == check.code.value
    assert check.widget.children[1] is check.questions[0].box
    assert f"Learner code <strong>{check.learner_code}</strong>" in check.header.value
    check.open()  # once only
    assert len(check.widget.children) == 3 + 3


@pytest.mark.parametrize("code", ["", "  ", "ab", "K7-Q2", "a very long code indeed"])
def test_a_bad_learner_code_is_explained_beside_the_box(demo, code):
    from ivigkit.apps.selfcheck import SelfCheck

    check = SelfCheck(demo)
    check.code.value = code
    check.start_button.click()
    assert check.questions == [] and "3 to 12 letters or digits" in check.message.value
    assert "ivig-error" in check.message.value and "Traceback" not in check.message.value
    check.code.value = " k7q2 "  # fixed: lower case and spaces are fine
    check.start_button.click()
    assert check.learner_code == "K7Q2" and len(check.questions) == 3


def test_the_same_code_shows_the_same_order_and_presented_says_which(demo):
    from ivigkit.apps.selfcheck import SelfCheck

    views = [SelfCheck(demo, learner_code=code) for code in (CODE, CODE, "ZZ99")]
    for view in views:
        view.open()
    same, again, other = ([v.order for v in check.questions] for check in views)
    assert same == again
    shown = q.present(demo, CODE)
    for view, question in zip(views[0].questions, shown):
        labels = ([c.description for c in view.controls] if view.controls
                  else [label for label, _ in view.control.options] if question.options else [])
        assert labels == [o.text for o in question.options]
    orders = {tuple(q.shown_order(question, f"C{n:03d}", demo.notebook) for question in demo.questions[:2])
              for n in range(30)}
    assert len(orders) > 5, "different codes show different orders"


# ------------------------------------------------------------------ loading


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
    assert sorted(c.description for c in multiple.controls) == ["A", "B", "C", "D"]
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
    box(many, 0).value = True
    many.check_button.click()
    assert "Not quite" in many.feedback.value and "partly right" in many.feedback.value
    assert html.escape('You missed "C"') in many.feedback.value
    box(many, 2).value = True
    many.check_button.click()
    assert "Correct" in many.feedback.value
    dose.control.value = "28.05"
    dose.check_button.click()
    assert "Correct" in dose.feedback.value
    assert app.score_label.value == "Score: 2 / 3 checked correctly"
    assert app.attempts[-1].answer == "28.05 g"
    first, second = app.attempts[0], app.attempts[1]
    assert (first.question_id, first.attempt, first.correct, first.first_attempt_correct) == ("many", 1, False, False)
    assert (second.question_id, second.attempt, second.correct, second.first_attempt_correct) == ("many", 2, True, False)
    shown = second.options_shown.split(";")
    assert sorted(shown) == ["a", "b", "c", "d"] and second.chosen.split(";") == [i for i in shown if i in "ac"]


def test_a_numeric_slip_is_named(app):
    dose = app.questions[2]
    dose.control.value = "28000"
    dose.check_button.click()
    assert "That is milligrams" in dose.feedback.value and "Not quite" in dose.feedback.value


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
    from ivigkit.apps.selfcheck import SelfCheck

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
    assert csv_name == f"demo_{CODE}_answers.csv" and json_name == f"demo_{CODE}_answers.json"
    rows = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    assert [(r["question_id"], r["answer"], r["correct"]) for r in rows] == [("pick", "Second", "true"),
                                                                          ("dose", "30 g", "false")]
    assert {(r["learner_code"], r["learner_name"], r["notebook"]) for r in rows} == {(CODE, "Ada", "demo")}
    data = json.loads(json_bytes.decode("utf-8"))
    assert [d["question_id"] for d in data] == ["pick", "dose"] and data[1]["correct"] is False
    # Both files read back into the same records (the class report reads them).
    assert q.read_answers(csv_bytes.decode("utf-8-sig"), "csv") == q.read_answers(json_bytes.decode(), "json")
    assert q.read_answers(json_bytes.decode(), "json") == tuple(app.attempts)


def test_self_check_entry_point_displays_widget():
    from ivigkit.apps.selfcheck import SelfCheck

    from ivigkit.apps.selfcheck import self_check

    app = self_check("00_start_here")
    assert isinstance(app, SelfCheck)
    bundle = app._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == app.widget.model_id

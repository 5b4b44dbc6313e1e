"""PrePostTest: the learner's page of the pre/post test (notebooks/assessment/pre_post_test.ipynb).

The learner takes the form the instructor names (A or B), keeps a learner code, answers and hands
in; the answers download in the self-checks' format (data/README.md, "Answer files") with the
grade fields empty. It is a test: the page loads only the learner's copy of the form, which holds
no answers, and shows no feedback and no score. The instructor grades the files with the key in the
class report (instructor/class_report.ipynb).
"""
from __future__ import annotations

import html

import ipywidgets as W

from ivigkit import quiz as q
from ivigkit.apps.base import error_html
from ivigkit.apps.selfcheck import (CSS, QuestionView, download_html, learner_fields, question_views,
                                    read_learner_code)
from ivigkit.quiz import forms

INTRO = ("<p>Answer every question as well as you can, without notes: this test shows what you know "
         "now, so that you and your instructor can see what the workbook changes. There is no "
         "feedback and no score on this page. When you have finished, press <strong>Hand in</strong>, "
         "download your answers and give the file to your instructor.</p>")


def form_label(form: forms.TestForm) -> str:
    """'Form A' for pre_post_a: what the instructor tells the class to take."""
    return f"Form {form.name.rsplit('_', 1)[-1].upper()}"


class PrePostTest:
    """The pre/post test as one widget (attributes are for headless tests)."""

    def __init__(self, names: tuple[str, ...] | None = None, learner_code: str | None = None):
        self.forms = {n: forms.load_form(n) for n in (names or forms.available_forms())}
        self.form: forms.TestForm | None = None
        self.learner_code: str | None = None
        self.questions: list[QuestionView] = []
        self.attempts: list[q.Attempt] = []
        self.handed_in = False
        self._warned_unanswered: tuple[int, ...] = ()
        self.header = W.HTML(CSS + "<h3>Pre/post test</h3>" + INTRO)
        self.choice = W.RadioButtons(
            options=[(f"{form_label(f)} ({len(f.quiz.questions)} questions)", n) for n, f in self.forms.items()],
            value=None, description="Your instructor names the form:", style={"description_width": "initial"})
        self.code, self.new_code, self.name = learner_fields(learner_code, "Use the same code for both tests")
        self.start_button = W.Button(description="Start the test", button_style="primary", icon="play",
                                     tooltip="Show the questions of the chosen form", layout=W.Layout(width="auto"))
        self.start_button.add_class("ivig-test-start")
        self.start_button.on_click(lambda _b: self.open())
        self.message = W.HTML("")
        self.message.add_class("ivig-message")
        self.intro = W.VBox([self.choice, W.HBox([self.code, self.new_code]), self.name, self.start_button,
                             self.message])
        self.hand_in_button: W.Button | None = None
        self.status: W.HTML | None = None
        self.download: W.HTML | None = None
        self.widget = W.VBox([self.header, self.intro], layout=W.Layout(width="100%", max_width="60em"))
        self.widget.add_class("ivig-quiz")
        self.widget.add_class("ivig-test")

    def open(self, form: str | None = None, learner_code: str | None = None) -> None:
        """Show the chosen form's questions for the learner code, once; a missing form or a bad
        code is explained beside the controls."""
        if self.questions:
            return
        name = form or self.choice.value
        if name not in self.forms:
            self.message.value = error_html("Choose the form your instructor names (A or B) first.")
            return
        code = read_learner_code(self.code, learner_code, self.message)
        if code is None:
            return
        self.form, self.learner_code = self.forms[name], code
        self.questions = question_views(self.form.quiz.questions, code, name, checkable=False)
        self.hand_in_button = W.Button(description="Hand in", button_style="primary", icon="paper-plane",
                                       tooltip="Finish the test and get your answer file",
                                       layout=W.Layout(width="auto"))
        self.hand_in_button.add_class("ivig-test-hand-in")
        self.hand_in_button.on_click(lambda _b: self.hand_in())
        self.status = W.HTML("")
        self.status.add_class("ivig-test-status")
        self.download = W.HTML("")
        self.download.add_class("ivig-quiz-download")
        who = html.escape(self.name.value.strip())
        self.header.value += (f'<p class="ivig-quiz-learner">{form_label(self.form)}, learner code '
                              f"<strong>{code}</strong>" + (f" ({who})" if who else "")
                              + ": use the same code for the other test.</p>")
        self.intro.close()
        self.widget.children = [self.header, *(v.box for v in self.questions), self.hand_in_button,
                                self.status, self.download]

    def _responses(self) -> tuple[dict[int, object], list[int], list[int]]:
        """(answers by question number, numbers left unanswered, numbers with a bad answer)."""
        answers, empty, bad = {}, [], []
        for view in self.questions:
            view.feedback.value = ""
            response = view.response()
            if response in (None, set()) or (isinstance(response, str) and not response.strip()):
                empty.append(view.number)
                continue
            if view.question.type == "numeric":
                try:
                    q.parse_number(view.question, response)
                except ValueError as exc:
                    view.show_error(str(exc))
                    bad.append(view.number)
                    continue
            answers[view.number] = response
        return answers, empty, bad

    def hand_in(self) -> None:
        """Record every answer (ungraded) and offer the answer file. Unanswered questions are named
        first; pressing again hands in without them. A number that cannot be read stops it."""
        if self.handed_in or not self.questions:
            return
        answers, empty, bad = self._responses()
        if bad:
            self.status.value = error_html(f"Question{'s' if len(bad) > 1 else ''} "
                                           f"{_listed(bad)}: the answer is not a number this page can read "
                                           "(see the message under it).")
            return
        if empty and tuple(empty) != self._warned_unanswered:
            self._warned_unanswered = tuple(empty)
            self.status.value = error_html(f"Question{'s' if len(empty) > 1 else ''} {_listed(empty)} "
                                           f"{'are' if len(empty) > 1 else 'is'} not answered yet. Answer, "
                                           "or press Hand in again to hand in without them.")
            return
        name = self.name.value.strip()
        self.attempts = [q.make_attempt(self.form.name, view.question, answers[view.number], None,
                                        learner_code=self.learner_code, learner_name=name, shown=view.order)
                         for view in self.questions if view.number in answers]
        for view in self.questions:
            for widget in view.inputs:
                widget.disabled = True
        self.hand_in_button.disabled = True
        self.handed_in = True
        total = len(self.questions)
        self.status.value = (f"<p role='status'>Handed in: {len(self.attempts)} of {total} questions "
                             "answered. Download your answer file now and give it to your instructor; "
                             "this page keeps nothing once it is closed.</p>")
        self.download.value = download_html(self.form.name, self.learner_code, self.attempts,
                                            f"{form_label(self.form)}, {len(self.attempts)} answers")

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def _listed(numbers: list[int]) -> str:
    shown = [str(n) for n in numbers]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def pre_post_test() -> PrePostTest:
    """The pre/post test page; end a notebook cell with it to show it."""
    return PrePostTest()

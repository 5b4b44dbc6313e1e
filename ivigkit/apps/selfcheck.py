"""SelfCheck: the ipywidgets self-check quiz (no custom JavaScript, so it runs in Voila).

Answers stay in the kernel: nothing synced to the browser says which option is right,
and feedback text reaches a widget only after that question is checked.
"""
from __future__ import annotations

import base64
import html
import os

import ipywidgets as W

from ivigkit import quiz as q
from ivigkit.apps.base import error_html

CSS = """<style>
.ivig-quiz .widget-html-content { line-height: 1.45; }
.ivig-quiz .widget-radio-box label { display: flex; flex-direction: row-reverse; justify-content: flex-end;
  align-items: flex-start; height: auto; line-height: 1.4; white-space: normal; margin-bottom: 6px; }
.ivig-quiz .widget-radio-box input { height: auto; margin-top: 3px; flex-shrink: 0; }
.ivig-quiz .widget-checkbox { height: auto; }
.ivig-quiz .widget-checkbox .widget-label-basic { white-space: normal; overflow: visible; line-height: 1.4;
  display: flex; align-items: flex-start; }
.ivig-quiz .widget-checkbox input[type='checkbox'] { flex-grow: 0; align-self: flex-start; margin-top: 3px; }
.ivig-quiz-question { border-top: 1px solid #ccc; padding-top: 6px; }
</style>"""

RIGHT_STYLE = "border-left:4px solid #1a7f37;padding-left:8px"
WRONG_STYLE = "border-left:4px solid #b35900;padding-left:8px"
ERROR_STYLE = "border-left:4px solid #6e7781;padding-left:8px"


def _wrap(width: str = "100%") -> W.Layout:
    return W.Layout(width=width, max_width="100%")


class QuestionView:
    """Widgets for one question: prompt, control(s), Check button, feedback area. A test's
    question (checkable=False) has no Check button; its feedback area only explains a bad answer."""

    def __init__(self, question: q.Question, number: int, total: int, order: tuple[int, ...] = (),
                 checkable: bool = True):
        self.question = question
        self.number = number
        self.checked = False
        # The options in the order this learner sees them (indices in the file).
        self.order = order or tuple(range(len(question.options)))
        self.prompt = W.HTML(
            f"<p><strong>Question {number} of {total}.</strong> {html.escape(question.prompt)}</p>",
            layout=_wrap(),
        )
        self.controls: list[W.Checkbox] = []
        self.unit_label: W.Label | None = None
        parts: list[W.Widget] = [self.prompt]
        if question.type == "single":
            self.control = W.RadioButtons(
                options=[(question.options[i].text, i) for i in self.order],
                value=None,
                description="Choose one:",
                tooltip=f"Question {number}: choose one answer",
                style={"description_width": "initial"},
                layout=_wrap(),
            )
            parts.append(self.control)
        elif question.type == "multiple":
            self.controls = [
                W.Checkbox(value=False, description=question.options[i].text, indent=False, layout=_wrap())
                for i in self.order
            ]
            hint = W.Label("Tick every answer that applies:")
            self.control = W.VBox([hint, *self.controls], layout=_wrap())
            parts.append(self.control)
        else:
            self.control = W.Text(
                value="",
                placeholder="a number",
                description="Your answer:",
                tooltip=f"Question {number}: type a number in {question.unit}",
                style={"description_width": "initial"},
                layout=W.Layout(width="16em"),
            )
            self.unit_label = W.Label(question.unit, tooltip=f"unit: {question.unit}")
            parts.append(W.HBox([self.control, self.unit_label]))
        self.check_button: W.Button | None = None
        if checkable:
            self.check_button = W.Button(
                description="Check",
                tooltip=f"Check your answer to question {number}",
                button_style="primary",
                icon="check",
                layout=W.Layout(width="auto", align_self="flex-start"),
            )
            self.check_button.add_class("ivig-quiz-check")
            parts.append(self.check_button)
        self.feedback = W.HTML("", layout=_wrap())
        self.feedback.add_class("ivig-quiz-feedback")
        parts.append(self.feedback)
        self.box = W.VBox(parts, layout=_wrap())
        self.box.add_class("ivig-quiz-question")
        for widget in self.inputs if checkable else ():
            widget.observe(self._answer_changed, names="value")

    @property
    def inputs(self) -> list[W.Widget]:
        """The widgets the learner answers with (to lock them once a test is handed in)."""
        return self.controls or [self.control]

    def response(self):
        """The current answer in the form quiz.grade expects."""
        if self.question.type == "multiple":
            return {i for i, box in zip(self.order, self.controls) if box.value}
        return self.control.value

    def show_grade(self, result: q.Grade) -> None:
        if result.correct:
            head, style = '<span aria-hidden="true">✓</span> Correct', RIGHT_STYLE
        else:
            partly = f" (partly right: score {result.score:.2f} of 1)" if result.score > 0 else ""
            head, style = f'<span aria-hidden="true">✗</span> Not quite{partly}', WRONG_STYLE
        lines = "".join(f"<p>{html.escape(m)}</p>" for m in result.messages)
        self.feedback.value = f'<div role="status" style="{style}"><p><strong>{head}</strong></p>{lines}</div>'
        self.checked = True

    def show_error(self, message: str) -> None:
        self.feedback.value = (
            f'<div role="alert" style="{ERROR_STYLE}"><p><strong><span aria-hidden="true">⚠</span> '
            f"{html.escape(message)}</strong></p></div>"
        )

    def _answer_changed(self, _change) -> None:
        if self.checked:
            self.checked = False
            self.feedback.value = "<p><em>You changed your answer: press Check to check it again.</em></p>"


def learner_fields(learner_code: str | None, tooltip: str) -> tuple[W.Text, W.Button, W.Text]:
    """The learner-code box (a new code unless one is given) with its "New code" button, and the
    optional name box: what the self-check and the test page ask of a learner before they start."""
    code = W.Text(value=learner_code or q.new_learner_code(), description="Learner code", tooltip=tooltip,
                  style={"description_width": "initial"}, layout=W.Layout(width="18em"))
    new_code = W.Button(description="New code", tooltip="Suggest another learner code", icon="refresh",
                        layout=W.Layout(width="auto"))
    new_code.on_click(lambda _button: setattr(code, "value", q.new_learner_code()))
    name = W.Text(value="", description="Your name (optional)", placeholder="as your instructor asks",
                  style={"description_width": "initial"}, layout=W.Layout(width="24em"))
    return code, new_code, name


def read_learner_code(box: W.Text, given: str | None, message: W.HTML) -> str | None:
    """The learner code (`given`, else the box's), checked; None, with the reason shown in
    `message`, when it is not a valid code."""
    try:
        return q.check_learner_code(box.value if given is None else given)
    except ValueError as exc:
        message.value = error_html(str(exc))
        return None


def question_views(questions, code: str, order_key: str, *, checkable: bool = True) -> list[QuestionView]:
    """One view per question, its options in the order the learner code gives (for `order_key`,
    the quiz or form name)."""
    return [QuestionView(question, n, len(questions),
                         q.shown_order(question, code, order_key) if question.options else (),
                         checkable=checkable)
            for n, question in enumerate(questions, 1)]


class SelfCheck:
    """A quiz from data/quizzes/<name>.yaml as one widget (attributes are for headless tests).

    The page first shows the title and the learner code (a new one is suggested; a learner may type
    the one an instructor gave). Start builds the questions, each with its options shuffled for
    that code, so the same code always shows the same order (quiz.presented gives it too) and a
    few hundred widget models exist only once the learner starts. `open(code)` does the same
    from code."""

    def __init__(self, name: str | os.PathLike | q.Quiz, learner_code: str | None = None):
        self.quiz = name if isinstance(name, q.Quiz) else q.load_quiz(name)
        self.attempts: list[q.Attempt] = []
        self.latest: dict[str, q.Grade] = {}
        self.first_right: dict[str, bool] = {}
        self.tries: dict[str, int] = {}
        self.questions: list[QuestionView] = []
        self.learner_code: str | None = None
        total = len(self.quiz.questions)
        self.header = W.HTML(
            CSS + f"<h3>{html.escape(self.quiz.title)}</h3>"
            "<p>Answer a question, then press <strong>Check</strong> to see feedback. "
            "This self-check is for learning; nothing is graded or sent anywhere.</p>",
            layout=_wrap(),
        )
        self.code, self.new_code, self.name = learner_fields(
            learner_code, "The same code always shows the questions the same way")
        self.start_button = W.Button(
            description=f"Start the self-check ({total} question{'s' if total != 1 else ''})",
            tooltip="Show the questions", button_style="primary", icon="play",
            layout=W.Layout(width="auto"))
        self.start_button.add_class("ivig-quiz-start")
        self.start_button.on_click(lambda _button: self.open())
        self.message = W.HTML("")
        self.message.add_class("ivig-message")
        self.intro = W.VBox([W.HBox([self.code, self.new_code]), self.name, self.start_button, self.message])
        self.score_label: W.Label | None = None
        self.download: W.HTML | None = None
        self.widget = W.VBox([self.header, self.intro], layout=W.Layout(width="100%", max_width="60em"))
        self.widget.add_class("ivig-quiz")

    def open(self, learner_code: str | None = None) -> None:
        """Build the questions for the learner code (the box's, unless one is given), once. A code
        that is not valid is explained beside the box and nothing is built."""
        if self.questions:
            return
        code = read_learner_code(self.code, learner_code, self.message)
        if code is None:
            return
        self.learner_code = code
        self.questions = question_views(self.quiz.questions, code, self.quiz.notebook)
        for view in self.questions:
            view.check_button.on_click(lambda _button, view=view: self.check(view))
        self.score_label = W.Label(self._score_text())
        self.score_label.add_class("ivig-quiz-score")
        self.download = W.HTML(self._download_html(), layout=_wrap())
        self.download.add_class("ivig-quiz-download")
        who = html.escape(self.name.value.strip())
        self.header.value += (f'<p class="ivig-quiz-learner">Learner code <strong>{code}</strong>'
                              + (f" ({who})" if who else "") + ": keep it to see the same questions "
                              "again, and give it to your instructor with your answers.</p>")
        self.intro.close()
        self.widget.children = [self.header, *(v.box for v in self.questions), self.score_label, self.download]

    @property
    def score(self) -> int:
        """Questions whose latest check was fully correct."""
        return sum(g.correct for g in self.latest.values())

    def check(self, view: QuestionView) -> q.Grade | None:
        """Grade one question's current answer and update feedback, score and downloads."""
        response = view.response()
        try:
            result = q.grade(view.question, response)
        except ValueError as exc:
            view.show_error(str(exc))
            return None
        view.show_grade(result)
        qid = view.question.id
        self.latest[qid] = result
        self.tries[qid] = self.tries.get(qid, 0) + 1
        self.first_right.setdefault(qid, result.correct)
        self.attempts.append(q.make_attempt(
            self.quiz.notebook, view.question, response, result, learner_code=self.learner_code,
            learner_name=self.name.value.strip(), shown=view.order, attempt=self.tries[qid],
            first_attempt_correct=self.first_right[qid]))
        self.score_label.value = self._score_text()
        self.download.value = self._download_html()
        return result

    def _score_text(self) -> str:
        return f"Score: {self.score} / {len(self.quiz.questions)} checked correctly"

    def _download_html(self) -> str:
        if not self.attempts:
            return "<p><strong>Download my answers</strong>: the download links appear after your first check.</p>"
        return download_html(self.quiz.notebook, self.learner_code, self.attempts,
                             f"{len(self.attempts)} checked so far")

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def download_html(notebook: str, learner_code: str, attempts, note: str) -> str:
    """'Download my answers' links: the attempts as CSV and as JSON (data/README.md, "Answer
    files"), named <notebook>_<learner code>_answers, built in the page with no server request."""
    stem = f"{notebook}_{learner_code}_answers"
    csv_bytes = ("\ufeff" + q.export_csv(attempts)).encode("utf-8")
    json_bytes = q.export_json(attempts).encode("utf-8")
    csv_href = "data:text/csv;base64," + base64.b64encode(csv_bytes).decode("ascii")
    json_href = "data:application/json;base64," + base64.b64encode(json_bytes).decode("ascii")
    return (
        f"<p><strong>Download my answers</strong> ({html.escape(note)}): "
        f'<a download="{stem}.csv" href="{csv_href}">as a CSV spreadsheet</a> or '
        f'<a download="{stem}.json" href="{json_href}">as JSON</a>.</p>'
    )


def self_check(name: str | os.PathLike) -> SelfCheck:
    """The self-check widget for a quiz; end a notebook cell with it to show it."""
    return SelfCheck(name)

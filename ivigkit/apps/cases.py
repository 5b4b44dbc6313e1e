"""Apps of notebook 06: work a patient case, and the instructor key for any case number."""
from __future__ import annotations

from html import escape

import ipywidgets as widgets

from ivigkit import cases, quiz
from ivigkit.apps.base import LABEL_STYLE, WIDE, App
from ivigkit.apps.references import source_items_html
from ivigkit.apps.selfcheck import SelfCheck

STYLE = dict(style=LABEL_STYLE)


def case_html(case_id: str, seed: int) -> str:
    """The story with the seeded numbers, the patient's facts and the case's sources."""
    c, pt = cases.case(case_id), cases.patient(case_id, seed)
    return (f"<h4>{escape(c['title'])}</h4><p>{escape(cases.story(case_id, seed))}</p>"
            f"<p><small>Case number {pt.seed}: {escape(pt.sex)}, {pt.age_years} years, "
            f"{pt.weight_kg:g} kg, {pt.height_cm:g} cm. Share the case number with your instructor "
            "to compare answers.</small></p>"
            f"<details><summary>Sources for this case</summary><ul><small>"
            f"{source_items_html(c['source_ids'])}</small></ul></details>")


class CaseApp(App):
    """Pick a case and a case number; answer its decisions and get feedback on each."""

    def __init__(self, case_id: str | None = None, seed: int = 1) -> None:
        super().__init__()
        options = [(c["title"], c["id"]) for c in cases.all_cases()]
        self.case = widgets.Dropdown(options=options, value=case_id or options[0][1], description="Case",
                                     layout=WIDE, **STYLE)
        self.seed = widgets.IntText(value=seed, description="Case number", **STYLE,
                                    tooltip="The same number always gives the same patient")
        self.text = widgets.HTML()
        self.text.add_class("ivig-card")
        self.holder = widgets.VBox()
        self.check: SelfCheck | None = None
        self.controls = [self.case, self.seed]
        self._finish(self.text, self.holder)

    def compute(self):
        return self.case.value, cases.patient(self.case.value, self.seed.value).seed

    def show(self, result) -> None:
        case_id, seed = result
        self.text.value = case_html(case_id, seed)
        if self.check is not None:
            self.check.widget.close()
        self.check = SelfCheck(cases.case_quiz(case_id, seed))
        self.holder.children = (self.check.widget,)


def _answer(question: quiz.Question) -> str:
    if question.type == "numeric":
        return (f"{question.answer:,.1f} {escape(question.unit)} (accepted within ±{question.tolerance:g}). "
                f"{escape(question.feedback_incorrect.removeprefix('Step by step: '))}")
    right = [o for o in question.options if o.correct]
    return "; ".join(f"<b>{escape(o.text)}</b>: {escape(o.feedback)}" for o in right)


def instructor_key_html(case_id: str, seed: int) -> str:
    """Every answer of one case and case number, worked."""
    q = cases.case_quiz(case_id, seed)
    items = "".join(f"<li><i>{escape(question.prompt)}</i><br>{_answer(question)}</li>"
                    for question in q.questions)
    return f"<h4>Key: {escape(q.title)}</h4><ol>{items}</ol>"


class InstructorKeyApp(App):
    """The worked answers of any case for any case number a learner shares."""

    def __init__(self) -> None:
        super().__init__()
        options = [(c["title"], c["id"]) for c in cases.all_cases()]
        self.case = widgets.Dropdown(options=options, description="Case", layout=WIDE, **STYLE)
        self.seed = widgets.IntText(value=1, description="Case number", **STYLE)
        self.key = widgets.HTML()
        self.key.add_class("ivig-card")
        self.controls = [self.case, self.seed]
        self._finish(self.key)

    def compute(self) -> str:
        return instructor_key_html(self.case.value, cases.patient(self.case.value, self.seed.value).seed)

    def show(self, result: str) -> None:
        self.key.value = result

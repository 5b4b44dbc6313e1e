"""Apps of notebook 06: work a patient case, and the instructor key for any case number."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

import ipywidgets as widgets

from ivigkit import cases, cost, dosing, infusion, quiz
from ivigkit.formatting import fmt
from ivigkit.apps.base import LABEL_STYLE, WIDE, App, Readout
from ivigkit.apps.references import source_items_html
from ivigkit.apps.selfcheck import SelfCheck

STYLE = dict(style=LABEL_STYLE)


def case_html(case_id: str, seed: int) -> str:
    """The story with the seeded numbers, the patient's facts, the case card and the sources."""
    c, pt = cases.case(case_id), cases.patient(case_id, seed)
    return (f"<h4>{escape(c['title'])}</h4><p>{escape(cases.story(case_id, seed))}</p>"
            f"<p><small>Case number {pt.seed}: {escape(pt.sex)}, {pt.age_years} years, "
            f"{pt.weight_kg:g} kg, {pt.height_cm:g} cm. Share the case number with your instructor "
            "to compare answers.</small></p>"
            + card_html(cases.card(case_id, seed))
            + f"<details><summary>Sources for this case</summary><ul><small>"
            f"{source_items_html(c['source_ids'])}</small></ul></details>")


def _dose_text(d: cases.CardDose) -> str:
    each = f"{fmt(d.fixed_g)} g a day" if d.fixed_g is not None else f"{fmt(d.g_per_kg, 2)} g/kg a day"
    return f"{d.count} infusion day{'s' if d.count != 1 else ''}, {each} (dose on the dosing weight)"


def _ladder_text(p) -> str:
    if p.rate_steps_mg_per_kg_min:
        steps = ", ".join(fmt(r, 2) for r in p.rate_steps_mg_per_kg_min)
        minutes = f", {fmt(p.step_minutes)} min at each step" if p.step_minutes else ""
        return f"label steps {steps} mg/kg/min{minutes}"
    return (f"from {fmt(p.initial_rate_mg_per_kg_min, 2)} mg/kg/min, doubling every "
            f"{fmt(infusion.ASSUMED_STEP_MINUTES)} min (teaching assumption: the label gives no steps)")


def card_html(c: cases.CaseCard | None) -> str:
    """The case data box: every input of the numeric questions, and figures that do not apply."""
    if c is None:
        return ""
    p, ins = c.product, c.insurance
    cap = p.at_risk_max_rate_mg_per_kg_min if c.at_risk and p.at_risk_max_rate_mg_per_kg_min else p.max_rate_mg_per_kg_min
    rows = [("Dosing-weight rule", dosing.RULE_LABELS[c.rule]),
            *((f"Infusions in the first year ({d.phase})", _dose_text(d)) for d in c.doses),
            ("Rounding", f"each dose to the nearest {fmt(c.dose_step_g)} g"),
            ("Product", f"{p.name}, {fmt(p.concentration_pct)} %; vials of "
                        f"{', '.join(fmt(v) for v in p.vial_sizes_g)} g (whole vials are billed)"),
            ("Pump", f"{_ladder_text(p)}; at most {fmt(cap)} mg/kg/min"
                     + (" (the label's cap for patients at risk)" if c.at_risk else "")),
            ("Price", f"${fmt(c.price_usd_per_g, 2)} per gram ({c.price_label})"),
            ("Administration per visit", f"${fmt(c.fee.usd, 2)}, {cost.SITE_LABELS[c.fee.site].lower()} "
                                         f"({c.fee.basis})"),
            ("Insurance", f"deductible ${fmt(ins.deductible_usd, 0)}, then {fmt(ins.coinsurance_pct)} % "
                          f"coinsurance, out-of-pocket maximum ${fmt(ins.oop_max_usd, 0)}, copay "
                          f"assistance ${fmt(ins.copay_assistance_usd, 0)} a year")]
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    extra = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in c.distractors)
    return (f'<div class="ivig-case-data"><h5>Case data</h5><table class="ivig-data-table">{body}</table>'
            f"<p><small>Also in the record (decide whether it applies):</small></p>"
            f'<table class="ivig-data-table">{extra}</table></div>')


@dataclass(frozen=True)
class CaseResult:
    """The case and case number on screen, and its decisions as ivigkit.cases built them (the
    numeric ones with the answers its simulator computed)."""

    case_id: str
    seed: int
    quiz: quiz.Quiz


NO_DOSE = "no dose: IVIG is not reasonable in this case"


def _computed(question_id: str):
    """A readout of one numeric decision's computed answer (a case without doses has none)."""
    def read(result: CaseResult) -> float | str:
        return next((q.answer for q in result.quiz.questions if q.id == question_id), NO_DOSE)
    return read


class CaseApp(App):
    """Pick a case and a case number; answer its decisions and get feedback on each."""

    readouts = {"dosing_weight_kg": Readout("dosing weight", "kg", _computed("dosing_weight_kg")),
                "dose_g": Readout("one maintenance infusion, rounded to the nearest 5 g", "g",
                                  _computed("dose_g"))}

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

    def compute(self) -> CaseResult:
        seed = cases.patient(self.case.value, self.seed.value).seed
        return CaseResult(self.case.value, seed, cases.case_quiz(self.case.value, seed))

    def show(self, result: CaseResult) -> None:
        self.text.value = case_html(result.case_id, result.seed)
        if self.check is not None:
            self.check.widget.close()
        self.check = SelfCheck(result.quiz)
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

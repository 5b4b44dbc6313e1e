"""The nursing strand of notebook 05: the monitoring plan of one infusion with a reaction
scenario, and (opened on demand) the infusion record and a teach-back round."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

import ipywidgets as widgets
import pandas as pd

from ivigkit import dosing, infusion, nursing
from ivigkit.apps.base import LABEL_STYLE, WIDE, App, Readout, Shown, app_box, error_html
from ivigkit.apps.references import source_items_html
from ivigkit.data import catalog
from ivigkit.figures.tables import table_html
from ivigkit.formatting import fmt, hours_minutes

STYLE = dict(style=LABEL_STYLE)
WHEN_WORDS = {"before_start": "Before the start", "after_start": "Soon after the start",
              "each_rate_change": "Before the rate goes up", "top_rate_interval": "At the top rate",
              "end_of_infusion": "End of the infusion", "after_infusion": "End of the observation"}
BASIS_WORDS = {"label": "label (EU leaflets)", "local_protocol": "local protocol", "assumption": "assumption: change it"}


@dataclass(frozen=True)
class NursingResult:
    schedule: infusion.Schedule
    plan: nursing.MonitoringPlan
    reaction: nursing.ReactionResponse
    product_name: str


def _restart(result: NursingResult) -> float | str:
    rate = result.reaction.restart_rate_mg_per_kg_min
    return "no restart at the chair side" if rate is None else rate


class NursingApp(App):
    """One infusion's monitoring plan (what to check, when, and on what basis) and a reaction
    starting at a chosen step: first action, who to call, and the restart rate."""

    readouts = {"checks": Readout("vital-sign checks from the baseline to the end of the infusion", "checks",
                                  lambda r: float(r.plan.vital_sign_checks)),
                "restart_rate": Readout("restart rate after the reaction", "mg/kg/min", _restart)}

    def __init__(self, product_id: str = "octagam_10", weight_kg: float = 70, dose_g_per_kg: float = 0.4) -> None:
        super().__init__()
        with_rates = [p for p in catalog.products() if p.initial_rate_mg_per_kg_min is not None
                      and p.max_rate_mg_per_kg_min is not None and p.concentration_pct is not None]
        self.product = widgets.Dropdown(options=[(p.name, p.product_id) for p in with_rates], value=product_id,
                                        description="Product", layout=WIDE, **STYLE)
        self.weight = widgets.FloatText(value=weight_kg, description="Weight (kg)", **STYLE)
        self.dose = widgets.FloatText(value=dose_g_per_kg, description="Dose today (g/kg)", **STYLE)
        self.closer = widgets.Checkbox(value=False, indent=False,
                                       description="First infusion, new product, long gap or high rate")
        self.after_start = widgets.FloatText(value=nursing.CHECK_AFTER_START_MIN,
                                             description="First check after the start (min, assumption)", **STYLE)
        self.every = widgets.FloatText(value=nursing.TOP_RATE_CHECK_EVERY_MIN,
                                       description="Checks at the top rate every (min, assumption)", **STYLE)
        table = nursing.reactions()
        self.reaction = widgets.Dropdown(options=[(r.reaction, r.reaction_id) for r in table.itertuples()],
                                         value="mild_infusion_reaction", description="Reaction", layout=WIDE, **STYLE)
        self.step = widgets.BoundedIntText(value=3, min=1, max=20, description="It begins at step", **STYLE)
        self.steps_down = widgets.BoundedIntText(value=nursing.RESTART_STEPS_DOWN, min=0, max=10,
                                                 description="Restart this many steps lower (assumption)", **STYLE)
        self.plan = widgets.HTML()
        self.plan.add_class("ivig-card")
        self.response = widgets.HTML()
        self.response.add_class("ivig-result")
        self.controls = [self.product, self.weight, self.dose, self.closer, self.after_start, self.every,
                         self.reaction, self.step, self.steps_down]
        layout = widgets.VBox([widgets.HTML("<b>The infusion</b>"), self.product, self.weight, self.dose, self.closer,
                               self.after_start, self.every, widgets.HTML("<b>The reaction scenario</b>"),
                               self.reaction, self.step, self.steps_down])
        self._finish(self.plan, self.response, layout=layout)

    def compute(self) -> NursingResult:
        product = catalog.product(self.product.value)
        dose_g = dosing.dose_g(self.weight.value, self.dose.value)
        schedule = infusion.schedule_for(dose_g, self.weight.value, product)
        plan = nursing.monitoring_plan(schedule, closer_observation=self.closer.value,
                                       check_after_start_min=self.after_start.value,
                                       top_rate_check_every_min=self.every.value)
        reaction = nursing.reaction_response(self.reaction.value, schedule, self.step.value - 1,
                                             steps_down=self.steps_down.value)
        return NursingResult(schedule, plan, reaction, product.name)

    def show(self, result: NursingResult) -> None:
        plan = result.plan
        rows = pd.DataFrame([{"Minute": fmt(c.minute, 0), "When": WHEN_WORDS[c.when],
                              "Rate (mg/kg/min)": "" if c.rate_mg_per_kg_min is None else fmt(c.rate_mg_per_kg_min, 2),
                              "What": c.what, "Basis": BASIS_WORDS[c.basis]} for c in plan.checks])
        self.plan.value = (
            f"<h4>Monitoring plan: {escape(result.product_name)}, {fmt(result.schedule.dose_g)} g</h4>"
            f"<p>The infusion takes about {hours_minutes(plan.infusion_minutes)} in {len(result.schedule.steps)} "
            f"steps; <b>{plan.vital_sign_checks}</b> checks from the baseline to the end, then "
            f"{fmt(plan.observe_after_min, 0)} minutes of observation (the patient can leave about "
            f"{hours_minutes(plan.leave_after_min)} after the start).</p>" + table_html(rows)
            + (f"<p><i>Infusion model:</i> {escape(result.schedule.assumption)}</p>" if result.schedule.assumption else ""))
        r = result.reaction
        restart = ("" if r.restart_rate_mg_per_kg_min is None else
                   f" <b>Restart rate: {fmt(r.restart_rate_mg_per_kg_min, 2)} mg/kg/min "
                   f"({fmt(r.restart_rate_ml_per_h, 0)} mL/h).</b>")
        self.response.value = (
            f"<h4>Reaction: {escape(r.reaction)}</h4><p><b>Signs:</b> {escape(r.signs)}</p>"
            f"<p><b>First:</b> {escape(r.first_action)}. <b>Who to call:</b> {escape(r.who_to_call)}</p>"
            f"<p>{escape(r.explanation)}{restart} <small>(verified: {escape(r.verified)})</small></p>"
            "<details><summary>Sources</summary><ul><small>" + source_items_html([r.source_ids])
            + "</small></ul></details>")


class RecordAndTeachBack(Shown):
    """Tick what you would record for the infusion, then run a teach-back round; each part gives
    feedback from documentation_items.csv and teach_back.csv."""

    def __init__(self) -> None:
        items = nursing.record_items()
        self.items = {i: widgets.Checkbox(value=False, indent=False, description=row["item"],
                                          layout=widgets.Layout(width="auto"))
                      for i, row in items.iterrows()}
        self.check_button = widgets.Button(description="Check my record", icon="check")
        self.record_feedback = widgets.HTML()
        self.record_feedback.add_class("ivig-result")
        self.check_button.on_click(lambda _b: self.check_record())
        points = nursing.teach_back_points()
        self.point = widgets.Dropdown(options=[(r.topic, r.point_id) for r in points.itertuples()],
                                      description="Teaching point", layout=WIDE, **STYLE)
        self.question = widgets.ToggleButtons(options=[("Ask: closed question", "closed"), ("Ask: in your own words", "open")],
                                              value="open", description="Your question", **STYLE)
        self.answer = widgets.ToggleButtons(options=[("Answer A", "full"), ("Answer B", "partial")], value="partial",
                                            description="Patient's answer", **STYLE)
        self.judgement = widgets.ToggleButtons(options=[("Understood", "understood"), ("Explain again", "explain_again")],
                                               value="understood", description="Your judgement", **STYLE)
        self.teach_text = widgets.HTML()
        self.judge_button = widgets.Button(description="Check my teach-back", icon="comments")
        self.teach_feedback = widgets.HTML()
        self.teach_feedback.add_class("ivig-result")
        self.judge_button.on_click(lambda _b: self.judge())
        for control in (self.point, self.question, self.answer):
            control.observe(lambda _c: self._show_point(), names="value")
        self.recorded: nursing.RecordCheck | None = None
        self.feedback: nursing.TeachBackFeedback | None = None
        self._show_point()
        self.widget = app_box([
            widgets.HTML("<h4>The infusion record</h4><p>Tick what you would write down for this infusion.</p>"),
            widgets.GridBox(list(self.items.values()),
                            layout=widgets.Layout(grid_template_columns="repeat(2, minmax(260px, 1fr))")),
            self.check_button, self.record_feedback,
            widgets.HTML("<h4>Teach-back</h4>"), self.point, self.teach_text, self.question, self.answer,
            self.judgement, self.judge_button, self.teach_feedback], "RecordAndTeachBack")

    def _show_point(self) -> None:
        row = nursing.teach_back_points().loc[self.point.value]
        asked = row["open_question"] if self.question.value == "open" else row["closed_question"]
        answer = row["full_answer"] if self.answer.value == "full" else row["partial_answer"]
        self.teach_text.value = (f"<p><b>You explained:</b> {escape(row['teach'])}</p>"
                                 f"<p><b>You ask:</b> '{escape(asked)}'<br><b>The patient says:</b> '{escape(answer)}'</p>")

    def check_record(self) -> None:
        try:
            self.recorded = nursing.check_record(i for i, box in self.items.items() if box.value)
        except ValueError as exc:
            self.record_feedback.value = error_html(str(exc))
            return
        items = nursing.record_items()
        if not self.recorded.missing:
            self.record_feedback.value = "<p>Complete: every item of the table is on your record.</p>"
            return
        missing = "".join(f"<li><b>{escape(items.loc[i, 'item'])}</b>: {escape(items.loc[i, 'why'])} "
                          f"<small>({escape(items.loc[i, 'required_by'].replace('_', ' '))}; verified: "
                          f"{escape(items.loc[i, 'verified'])})</small></li>" for i in self.recorded.missing)
        self.record_feedback.value = (f"<p>{self.recorded.missing_count} of {self.recorded.total} items missing:</p>"
                                      f"<ul>{missing}</ul>")

    def judge(self) -> None:
        self.feedback = nursing.judge_teach_back(self.point.value, self.question.value, self.answer.value,
                                                 self.judgement.value)
        self.teach_feedback.value = f"<p>{escape(self.feedback.feedback)}</p>"


class OnDemand(Shown):
    """A button that builds its content the first time it is pressed (keeps the page light)."""

    def __init__(self, label: str, build) -> None:
        self.build, self.content = build, None
        self.button = widgets.Button(description=label, icon="folder-open")
        self.holder = widgets.VBox()
        self.button.on_click(lambda _b: self.open())
        self.widget = widgets.VBox([self.button, self.holder])

    def open(self) -> None:
        if self.content is None:
            self.content = self.build()
            self.holder.children = (self.content.widget,)
            self.button.disabled = True


def record_and_teach_back() -> OnDemand:
    """The record and teach-back exercises, built when the learner opens them."""
    return OnDemand("Open the record and teach-back exercises", RecordAndTeachBack)

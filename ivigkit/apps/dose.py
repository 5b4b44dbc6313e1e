"""Focused apps of notebook 04: which weight, vials and pump steps, and the IgG curve."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

import ipywidgets as widgets
import pandas as pd

from ivigkit import dosing, infusion, pk
from ivigkit.data import catalog
from ivigkit.apps.base import LABEL_STYLE, WIDE, App, FigurePanel, Readout
from ivigkit.apps.controls import PatientControls
from ivigkit.figures.dosing import dosing_weight_chart, igg_chart, pump_steps_chart
from ivigkit.figures.theme import Chart
from ivigkit.formatting import fmt, hours_minutes

STYLE = dict(style=LABEL_STYLE)


def _card(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"


class _ChartApp(App):
    """An app with a result card and one figure panel."""

    def _start(self, layout: widgets.Widget | None = None) -> None:
        self.card = widgets.HTML()
        self.card.add_class("ivig-result")
        self.panel: FigurePanel | None = None
        self.holder = widgets.VBox()
        self._finish(self.card, self.holder, layout=layout)

    def _draw(self, card_html: str, chart: Chart) -> None:
        self.card.value = card_html
        if self.panel is None:
            self.panel = FigurePanel(chart)
            self.holder.children = (self.panel.widget,)
        else:
            self.panel.update(chart)


@dataclass(frozen=True)
class WeightResult:
    weights: pd.DataFrame
    ibw_kg: float
    adjusted_kg: float
    bmi: float
    actual_kg: float

    def rule_kg(self, rule: str) -> float:
        """The dosing weight (kg) the model gave under one rule (a row of `weights`)."""
        return float(self.weights.set_index("rule").loc[rule, "weight_kg"])


class DosingWeightApp(_ChartApp):
    """The dosing weight of one patient under every rule, with the reasons."""

    readouts = {"adjusted_kg": Readout("adjusted body weight", "kg", lambda r: r.adjusted_kg),
                "ibw_kg": Readout("ideal body weight (Devine)", "kg", lambda r: r.ibw_kg),
                "ontario_kg": Readout("dosing weight, Ontario rule", "kg",
                                      lambda r: r.rule_kg("ontario"))}


    def __init__(self, weight_kg: float = 95, height_cm: float = 165, sex: str = "female") -> None:
        super().__init__()
        self.patient = PatientControls(weight_kg, height_cm, sex)
        self.controls = self.patient.all
        self._start(self.patient.box)

    def compute(self) -> WeightResult:
        p = self.patient
        weight = p.weight_kg()
        table = dosing.weights_by_rule(weight, p.height.value, p.sex.value, age_years=p.age.value,
                                       pregnant=p.pregnant.value)
        one = dosing.dosing_weight(weight, p.height.value, p.sex.value)
        return WeightResult(table, one.ibw_kg, one.adjusted_kg, one.bmi, weight)

    def show(self, r: WeightResult) -> None:
        rows = "".join(f"<tr><td>{escape(x.rule)}</td><td>{fmt(x.weight_kg)} kg</td>"
                       f"<td>{escape(x.reason)}</td></tr>" for x in r.weights.itertuples())
        card = _card([f"<b>Actual</b> {fmt(r.actual_kg)} kg, <b>ideal (Devine)</b> {fmt(r.ibw_kg)} kg, "
                      f"<b>adjusted</b> {fmt(r.adjusted_kg)} kg, <b>BMI</b> {fmt(r.bmi)} kg/m&sup2;"])
        card += ("<table class='ivig-data-table'><tr><th>Rule</th><th>Dosing weight</th>"
                 f"<th>Why</th></tr>{rows}</table>")
        self._draw(card, dosing_weight_chart(r.weights, actual_kg=r.actual_kg))


def _product_options() -> list[tuple[str, str]]:
    return [(p.name, p.product_id) for p in catalog.products()]


@dataclass(frozen=True)
class InfusionResult:
    vials: dosing.VialPick
    schedule: infusion.Schedule
    product: catalog.Product


class InfusionApp(_ChartApp):
    """Vials for a dose and the pump-rate steps of its infusion."""

    readouts = {"chair_minutes": Readout("time at the pump", "min", lambda r: r.schedule.total_minutes),
                "vial_waste_g": Readout("grams left over in opened vials", "g", lambda r: r.vials.waste_g)}


    def __init__(self, dose_g: float = 28, weight_kg: float = 70, product_id: str = "gammaplex_5") -> None:
        super().__init__()
        self.dose = widgets.FloatText(value=dose_g, description="Dose (g)", **STYLE)
        self.weight = widgets.FloatText(value=weight_kg, description="Weight (kg)",
                                        tooltip="Actual body weight: label rates are per kg", **STYLE)
        self.product = widgets.Dropdown(options=_product_options(), value=product_id,
                                        description="Product", layout=WIDE, **STYLE)
        self.at_risk = widgets.Checkbox(value=False, indent=False,
                                        description="Renal or thrombotic risk (the label's at-risk rate ceiling, if it has one)")
        self.step_minutes = widgets.FloatSlider(
            value=infusion.ASSUMED_STEP_MINUTES, min=5, max=60, step=5, continuous_update=False,
            description="Assumed minutes per step (only if the label gives none)", layout=WIDE, **STYLE)
        self.step_factor = widgets.FloatSlider(
            value=infusion.ASSUMED_STEP_FACTOR, min=1.25, max=3, step=0.25, continuous_update=False,
            description="Assumed rise per step, x (only if the label gives no steps)", layout=WIDE, **STYLE)
        self.controls = [self.dose, self.weight, self.product, self.at_risk, self.step_minutes,
                         self.step_factor]
        self._start()

    def compute(self) -> InfusionResult:
        product = catalog.product(self.product.value)
        vials = dosing.pick_vials(self.dose.value, product)
        schedule = infusion.schedule_for(self.dose.value, self.weight.value, product, self.at_risk.value,
                                         assumed_step_minutes=self.step_minutes.value,
                                         assumed_step_factor=self.step_factor.value)
        return InfusionResult(vials, schedule, product)

    def show(self, r: InfusionResult) -> None:
        s = r.schedule
        lines = [f"<b>Vials:</b> {escape(r.vials.describe())} = {fmt(r.vials.total_g)} g "
                 f"(waste {fmt(r.vials.waste_g)} g)",
                 f"<b>Chair time:</b> {hours_minutes(s.total_minutes)} for {fmt(s.volume_ml, 0)} mL, "
                 f"top rate {fmt(s.max_rate_used)} mg/kg/min",
                 f"<b>Label rule:</b> {escape(r.product.step_rule)} (verified: {escape(r.product.verified)})"]
        if s.assumption:
            lines.append(f"<i>Assumption:</i> {escape(s.assumption)}")
        self._draw(_card(lines), pump_steps_chart(s.steps_table(), product_name=r.product.name,
                                                          dose_g=s.dose_g))


@dataclass(frozen=True)
class IgGResult:
    profiles: dict
    troughs: pd.DataFrame
    peaks: dict  # model name -> pk.ProfileSummary


class IgGApp(_ChartApp):
    """Serum IgG over a year of a regimen, linear and saturable models side by side."""

    readouts = {"peak_linear_g_per_l": Readout("peak serum IgG, linear model", "g/L",
                                              lambda r: r.peaks["linear"].peak_g_per_l),
                "peak_saturable_g_per_l": Readout("peak serum IgG, saturable model", "g/L",
                                                  lambda r: r.peaks["saturable (FcRn)"].peak_g_per_l)}


    def __init__(self, regimen_id: str = "achiron_rrms", weight_kg: float = 70) -> None:
        super().__init__()
        self.regimen = widgets.Dropdown(options=[(r.name, r.regimen_id) for r in catalog.regimens()],
                                        value=regimen_id, description="Regimen", layout=WIDE, **STYLE)
        self.weight = widgets.FloatText(value=weight_kg, description="Weight (kg)", **STYLE)
        self.level = widgets.ToggleButtons(options=[("Low end", "low"), ("Middle", "mid"),
                                                    ("High end", "high")], value="low",
                                           description="Dose within a range", **STYLE)
        self.half_life = widgets.FloatSlider(value=pk.DEFAULT_HALF_LIFE_DAYS, min=10, max=45, step=1,
                                             description="Half-life, linear model (days)",
                                             continuous_update=False, layout=WIDE, **STYLE)
        self.volume = widgets.FloatSlider(value=pk.DEFAULT_VOLUME_L_PER_KG, min=0.03, max=0.2,
                                          step=0.005, readout_format=".3f", continuous_update=False,
                                          description="Volume (L/kg)", layout=WIDE, **STYLE)
        self.baseline = widgets.FloatSlider(value=pk.DEFAULT_BASELINE_G_PER_L, min=5, max=16, step=0.5,
                                            description="Baseline IgG (g/L)", continuous_update=False,
                                            layout=WIDE, **STYLE)
        self.controls = [self.regimen, self.weight, self.level, self.half_life, self.volume,
                         self.baseline]
        self._start()

    def compute(self) -> IgGResult:
        plan = dosing.regimen_plan(self.regimen.value, self.weight.value, dose=self.level.value)
        common = dict(weight_kg=self.weight.value, baseline_g_per_l=self.baseline.value,
                      volume_l_per_kg=self.volume.value, days=365)
        linear = pk.igg_profile(plan, half_life_days=self.half_life.value, **common)
        saturable = pk.igg_profile(plan, saturable=True, **common)
        profiles = {"linear": linear, "saturable (FcRn)": saturable}
        return IgGResult(profiles, pk.troughs(linear, plan),
                         {name: pk.profile_summary(p, plan) for name, p in profiles.items()})

    def show(self, r: IgGResult) -> None:
        linear, saturable = r.peaks.values()
        card = _card([f"<b>Peak:</b> linear {fmt(linear.peak_g_per_l)} g/L, saturable "
                      f"{fmt(saturable.peak_g_per_l)} g/L",
                      "<i>Model assumptions</i> (change them above): one compartment, each infusion "
                      "given at once; the saturable model's half-life falls from "
                      f"{fmt(pk.HALF_LIFE_AT_NORMAL_DAYS)} towards {fmt(pk.HALF_LIFE_AT_TWICE_NORMAL_DAYS)} "
                      "days as IgG rises to twice the baseline (see data/model_parameters.csv)."])
        self._draw(card, igg_chart(r.profiles, r.troughs))

"""The dose, infusion, IgG and cost simulator of notebook 04."""
from __future__ import annotations

import base64
from html import escape

import ipywidgets as widgets
import pandas as pd

from ivigkit import cost, dosing, simulator
from ivigkit.data import catalog
from ivigkit.apps.base import LABEL_STYLE, WIDE, App, FigurePanel, Readout
from ivigkit.apps.controls import PatientControls
from ivigkit.figures.dosing import annual_cost_chart, igg_chart, pump_steps_chart
from ivigkit.figures.theme import Chart
from ivigkit.formatting import fmt, hours_minutes



def _money(usd: float) -> str:
    return f"${usd:,.0f}"


def _download_link(table: pd.DataFrame, filename: str) -> str:
    payload = base64.b64encode(table.to_csv(index=False).encode()).decode()
    return (f'<a download="{filename}" href="data:text/csv;base64,{payload}">'
            f"&#11015; Download the plan and costs (CSV)</a>")


class DoseCostApp(App):
    """Patient, regimen, product and payer in; dosing weight, vials, pump steps, IgG and cost out."""

    readouts = {"dose_g": Readout("dose per infusion, ordered", "g", lambda s: s.typical_dose.ordered_g),
                "chair_minutes": Readout("time at the pump", "min", lambda s: s.schedule.total_minutes),
                "annual_total_usd": Readout("one year's cost", "USD", lambda s: s.annual.total_usd),
                "patient_pays_usd": Readout("what the patient pays in a year", "USD",
                                            lambda s: s.share.patient_usd)}


    def __init__(self, regimen_id: str = "achiron_rrms", product_id: str = "privigen") -> None:
        super().__init__()
        text = dict(style=LABEL_STYLE)
        self.patient = PatientControls()
        self.rule = widgets.Dropdown(options=[(label, rule) for rule, label in dosing.RULE_LABELS.items()], value="actual", description="Dosing-weight rule",
                                     layout=WIDE, **text)
        self.regimen = widgets.Dropdown(options=[(r.name, r.regimen_id) for r in catalog.regimens()],
                                        value=regimen_id, description="Regimen", layout=WIDE, **text)
        self.dose_level = widgets.ToggleButtons(
            options=[("Low end", "low"), ("Middle", "mid"), ("High end", "high")], value="low",
            description="Dose within a range", tooltip="For regimens given as a range", **text)
        self.product = widgets.Dropdown(options=[(p.name, p.product_id) for p in catalog.products()],
                                        value=product_id, description="Product", layout=WIDE, **text)
        self.at_risk = widgets.Checkbox(value=False, indent=False,
                                        description="Renal or thrombotic risk (the label's at-risk rate ceiling, if it has one)")
        self.saturable = widgets.Checkbox(value=False, indent=False,
                                          description="Saturable (FcRn) IgG model")
        options = cost.price_options()
        self.price_source = widgets.Dropdown(
            options=[(row.label, row.item_id) for row in options.itertuples()],
            description="Price source", layout=WIDE, **text)
        self.price = widgets.FloatText(value=float(options["price_usd_per_g_low"].iloc[0]),
                                       description="Price (USD/g)", **text)
        self.site = widgets.ToggleButtons(options=[(label, site) for site, label in cost.SITE_LABELS.items()], value="infusion_centre",
                                          description="Site of care", **text)
        self.deductible = widgets.FloatText(value=0, description="Deductible (USD)", **text)
        self.coinsurance = widgets.FloatText(value=20, description="Coinsurance (%)", **text)
        self.oop_max = widgets.FloatText(value=10000, description="Out-of-pocket maximum (USD)", **text)
        self.assistance = widgets.FloatText(value=0, description="Copay assistance (USD)", **text)
        self._prices = options.set_index("item_id")
        self.price_source.observe(self._use_price_source, names="value")

        tabs = widgets.Tab(children=[
            self.patient.box,
            widgets.VBox([self.rule, self.regimen, self.dose_level, self.product, self.at_risk,
                          self.saturable]),
            widgets.VBox([self.price_source, self.price, self.site, self.deductible,
                          self.coinsurance, self.oop_max, self.assistance]),
        ])
        for i, title in enumerate(["Patient", "Treatment", "Cost"]):
            tabs.set_title(i, title)
        self.controls = [*self.patient.all, self.rule, self.regimen, self.dose_level, self.product,
                         self.at_risk, self.saturable, self.price, self.site, self.deductible,
                         self.coinsurance, self.oop_max, self.assistance]
        self.card = widgets.HTML()
        self.card.add_class("ivig-result")
        self.download = widgets.HTML()
        self.download.add_class("ivig-download")
        self.panels: dict[str, FigurePanel] = {}
        self.figure_tabs = widgets.Tab()
        self._finish(self.card, self.figure_tabs, self.download, layout=tabs)

    def _use_price_source(self, change) -> None:
        self.price.value = float(self._prices.loc[change["new"], "price_usd_per_g_low"])

    def compute(self) -> simulator.Simulation:
        p = self.patient
        patient = simulator.Patient(weight_kg=p.weight_kg(), height_cm=p.height.value,
                                    sex=p.sex.value, age_years=p.age.value, pregnant=p.pregnant.value)
        insurance = simulator.Insurance(
            deductible_usd=self.deductible.value, coinsurance_pct=self.coinsurance.value,
            oop_max_usd=self.oop_max.value, copay_assistance_usd=self.assistance.value)
        choices = simulator.Choices(
            regimen_id=self.regimen.value, product_id=self.product.value, rule=self.rule.value,
            dose_level=self.dose_level.value, price_usd_per_g=self.price.value,
            site=self.site.value, at_risk=self.at_risk.value, saturable_pk=self.saturable.value,
            insurance=insurance)
        return simulator.simulate(patient, choices)

    CHART_TITLES = ("Pump steps", "Serum IgG", "One-year cost")

    def chart(self, title: str, sim: simulator.Simulation) -> Chart:
        """One of the three figures for a simulation, by tab title."""
        if title == "Pump steps":
            return pump_steps_chart(sim.schedule.steps_table(), product_name=sim.product.name,
                                            dose_g=sim.typical_dose.rounded_g)
        if title == "Serum IgG":
            model = "saturable (FcRn)" if sim.choices.saturable_pk else "linear"
            return igg_chart({model: sim.profile}, sim.troughs)
        return annual_cost_chart(cost.cost_parts(sim.annual, sim.share), cost.dmt_comparators())

    def show(self, sim: simulator.Simulation) -> None:
        self.card.value = result_html(sim)
        if not self.figure_tabs.children:
            # Only the first figure is made now; a hidden tab's panel is made, and its plot
            # drawn, when the learner opens it (plotly cannot lay out a plot it cannot see, and
            # a page should not carry widgets nobody has looked at yet).
            first = self.CHART_TITLES[0]
            self.panels = {first: FigurePanel(self.chart(first, sim))}
            self.figure_tabs.children = [self.panels[first].widget,
                                         *(widgets.VBox() for _ in self.CHART_TITLES[1:])]
            for i, title in enumerate(self.CHART_TITLES):
                self.figure_tabs.set_title(i, title)
            self.figure_tabs.observe(self._redraw_shown, names="selected_index")
            self._stale: set[str] = set()
        else:
            # Redraw the figure on screen now and the others when their tab is opened:
            # drawing all three on every change would triple the update time.
            self._stale = set(self.panels)
            self._redraw_shown()
        self.download.value = _download_link(simulator.plan_table(sim), "ivig_plan_and_costs.csv")

    def _redraw_shown(self, change=None) -> None:
        index = self.figure_tabs.selected_index or 0
        title = self.CHART_TITLES[index]
        if title not in self.panels:
            self.panels[title] = FigurePanel(self.chart(title, self.result))
            children = list(self.figure_tabs.children)
            children[index] = self.panels[title].widget
            self.figure_tabs.children = children
        elif title in self._stale:
            self.panels[title].update(self.chart(title, self.result))
            self._stale.discard(title)


def result_html(sim: simulator.Simulation) -> str:
    """The simulator's results as a short HTML card, in words and numbers."""
    dw, dose, vials, sched = sim.dosing_weight, sim.typical_dose, sim.vials, sim.schedule
    flag = "" if dose.within_tolerance else " &#9888; more than 10 % from the ordered dose"
    lines = [
        f"<b>Dosing weight:</b> {fmt(dw.weight_kg)} kg ({escape(dw.reason)})",
        f"<b>Regimen:</b> {escape(sim.regimen.name)} ({escape(sim.regimen.interval_text)}; "
        f"evidence: {escape(sim.regimen.evidence)}, verified: {escape(sim.regimen.verified)})",
        f"<b>Dose per infusion:</b> {fmt(dose.ordered_g)} g ordered, rounded to "
        f"{fmt(dose.rounded_g)} g ({dose.deviation_pct:+.1f} %){flag}",
        f"<b>Vials:</b> {escape(vials.describe())} = {fmt(vials.total_g)} g, "
        f"waste {fmt(vials.waste_g)} g",
        f"<b>Chair time:</b> {hours_minutes(sched.total_minutes)} for "
        f"{fmt(sched.volume_ml, 0)} mL at up to {fmt(sched.max_rate_used)} mg/kg/min",
        f"<b>Infusion days in a year:</b> {sim.annual.infusions}; grams billed "
        f"{fmt(sim.annual.grams_billed)} g",
        f"<b>One year:</b> {_money(sim.annual.total_usd)} (drug {_money(sim.annual.drug_usd)}, "
        f"administration {_money(sim.annual.administration_usd)}); the patient pays "
        f"{_money(sim.share.patient_usd)}, the payer {_money(sim.share.payer_usd)}",
    ]
    lines += [f"<b>At {escape(b.label)}</b> (${fmt(b.price_usd_per_g_low, 2)} to "
              f"${fmt(b.price_usd_per_g_high, 2)}/g): {_money(b.total_usd_low)} to {_money(b.total_usd_high)} "
              "a year" for b in sim.price_bands]
    if sched.assumption:
        lines.append(f"<i>Assumption:</i> {escape(sched.assumption)}")
    return "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"

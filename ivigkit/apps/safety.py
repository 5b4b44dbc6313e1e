"""Apps of notebook 05: the screening checklist, the infusion-day walkthrough, the
adverse-event explorer and when IVIG is used in NMOSD."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

import ipywidgets as widgets
import pandas as pd

from ivigkit import data, dosing, infusion, safety, screening, trials
from ivigkit.data import catalog
from ivigkit.apps.base import LABEL_STYLE, WIDE, App, FigurePanel, Readout, Shown, app_box
from ivigkit.apps.references import source_items_html
from ivigkit.figures.dosing import pump_steps_chart
from ivigkit.figures.theme import Chart
from ivigkit.figures.tables import table_html
from ivigkit.formatting import fmt, hours_minutes
from ivigkit.figures.safety import DENOMINATOR_LABELS, adverse_event_chart

STYLE = dict(style=LABEL_STYLE)
SEVERITY_CLASS = {"contraindication": "ivig-flag-contra", "product_contraindication": "ivig-flag-contra",
                  "caution": "ivig-flag-caution", "monitor": "ivig-flag-monitor"}
SEVERITY_WORDS = {"contraindication": "contraindication", "product_contraindication": "rules out some products",
                  "caution": "caution", "monitor": "monitor"}
STATUS_WORDS = {"suitable": "suitable", "check": "check the label", "second_choice": "second choice",
                "unsuitable": "unsuitable"}
PHASE_LABELS = {"before": "Before the infusion", "start": "Starting", "during": "During",
                "after": "After", "reaction": "If a reaction happens", "setting": "Home or centre"}


def flags_html(result: screening.Screening) -> str:
    """The flags, most serious first, each with its action and verification."""
    if not result.flags:
        return "<p>No factor ticked: no flag. The routine checks of the infusion day still apply.</p>"
    items = "".join(
        f'<li class="{SEVERITY_CLASS[f.severity]}"><b>{escape(SEVERITY_WORDS[f.severity].upper())}: {escape(f.factor)}.</b> '
        f"{escape(f.flag)} <i>Action:</i> {escape(f.action)} <small>(verified: {escape(f.verified)})</small></li>"
        for f in result.flags)
    head = ("<p><b>&#9888; Contraindication:</b> a ticked factor rules this treatment out as the "
            "labels read; the prescriber decides.</p>" if result.contraindicated else "")
    if result.rules_out_products:
        head += ("<p><b>Some products are ruled out:</b> a ticked factor is a label contraindication of the "
                 "products that contain one ingredient; others may still be used.</p>")
    return f"{head}<ul class='ivig-flags'>{items}</ul>"


def _reasons_html(products: pd.DataFrame) -> str:
    """Why the stabilisers that rule a product out or make it a second choice matter."""
    reasons = [r for r in dict.fromkeys(products["reasons"]) if r]
    if not reasons:
        return ""
    return "<details><summary>Why these ingredients matter</summary><ul>" + "".join(
        f"<li>{escape(r)}</li>" for r in reasons) + "</ul></details>"


@dataclass(frozen=True)
class ScreeningResult:
    screening: screening.Screening
    products: pd.DataFrame


class ScreeningApp(App):
    """Tick a patient's factors: flags with reasons, the products that suit and why not, the
    at-risk rate ceilings and a monitoring plan."""

    readouts = {"suitable": Readout("products marked suitable", "products",
                                    lambda r: float((r.products["status"] == "suitable").sum()))}


    def __init__(self, ticked: tuple[str, ...] = ()) -> None:
        super().__init__()
        table = screening.factors()
        self.boxes = {fid: widgets.Checkbox(value=fid in ticked, description=row["factor"], indent=False,
                                            layout=widgets.Layout(width="auto"))
                      for fid, row in table.iterrows()}
        self.iga_max = widgets.FloatText(value=screening.LOW_IGA_MAX_UG_PER_ML,
                                         description="'Low IgA' means at most (µg/mL)", **STYLE)
        self.osm_max = widgets.FloatText(value=screening.LOW_OSMOLALITY_MAX_MOSM_PER_KG,
                                         description="'Low osmolality' means at most (mOsm/kg)", **STYLE)
        self.flags = widgets.HTML()
        self.flags.add_class("ivig-result")
        self.products = widgets.HTML()
        self.plan = widgets.HTML()
        self.controls = [*self.boxes.values(), self.iga_max, self.osm_max]
        layout = widgets.VBox([widgets.HTML("<b>Patient factors</b>"),
                               widgets.GridBox(list(self.boxes.values()), layout=widgets.Layout(
                                   grid_template_columns="repeat(2, minmax(260px, 1fr))")),
                               widgets.HTML("<small>Thresholds below are teaching assumptions, not "
                                            "label values; change them.</small>"),
                               self.iga_max, self.osm_max])
        self._finish(self.flags, self.products, self.plan, layout=layout)

    def compute(self) -> ScreeningResult:
        result = screening.screen(fid for fid, box in self.boxes.items() if box.value)
        products = screening.product_suitability(result.needs, prefers=result.prefers,
                                                 iga_max_ug_per_ml=self.iga_max.value,
                                                 osmolality_max_mosm_per_kg=self.osm_max.value)
        return ScreeningResult(result, products)

    def show(self, result: ScreeningResult) -> None:
        s = result.screening
        self.flags.value = flags_html(s)
        needs = ", ".join(screening.NEED_LABELS[n] for n in s.needs) or "none beyond the label's usual limits"
        prefers = ", ".join(screening.NEED_LABELS[n] for n in s.prefers) or "none"
        shown = result.products.assign(status=result.products["status"].map(STATUS_WORDS))
        self.products.value = (
            f"<h4>Products</h4><p><b>What the product must offer:</b> {escape(needs)}. "
            f"<b>What it should offer if possible:</b> {escape(prefers)}.</p>"
            + table_html(shown[["name", "status", "unmet", "not_preferred", "unknown", "at_risk_cap"]].rename(columns={
                "name": "Product", "status": "Status", "unmet": "Does not meet", "not_preferred": "Less preferred because",
                "unknown": "Data cannot tell", "at_risk_cap": "Label's rate ceiling for patients at risk"}))
            + _reasons_html(result.products))
        plan = "".join(f"<li>{escape(m)}</li>" for m in s.monitoring_plan)
        routine = ("<li>Observe during the whole infusion and afterwards, as the infusion-day "
                   "walkthrough below lists.</li>")
        sources = source_items_html([f.source_ids for f in s.flags]) if s.flags else ""
        self.plan.value = (f"<h4>Monitoring plan</h4><ul>{plan}{routine}</ul>"
                           + (f"<details><summary>Sources of the flags</summary><ul><small>{sources}"
                              "</small></ul></details>" if sources else ""))


@dataclass(frozen=True)
class InfusionDayResult:
    schedule: infusion.Schedule
    dose_g: float
    product: catalog.Product
    at_risk: bool


class InfusionDayApp(App):
    """The infusion day in order: checks, premedication, the titration for this product and
    patient, observation, reactions, and home versus centre."""

    readouts = {"chair_minutes": Readout("time at the pump", "min", lambda r: r.schedule.total_minutes),
                "top_rate": Readout("top rate used", "mg/kg/min", lambda r: r.schedule.max_rate_used)}


    def __init__(self, product_id: str = "privigen", weight_kg: float = 70, dose_g_per_kg: float = 0.4) -> None:
        super().__init__()
        with_rates = [p for p in catalog.products() if p.initial_rate_mg_per_kg_min is not None]
        self.product = widgets.Dropdown(options=[(p.name, p.product_id) for p in with_rates],
                                        value=product_id, description="Product", layout=WIDE, **STYLE)
        self.weight = widgets.FloatText(value=weight_kg, description="Weight (kg)", **STYLE)
        self.dose = widgets.FloatText(value=dose_g_per_kg, description="Dose today (g/kg)", **STYLE)
        self.at_risk = widgets.Checkbox(value=False, indent=False,
                                        description="Renal or thrombotic risk (the label's at-risk rate ceiling, if it has one)")
        self.steps = widgets.HTML()
        self.steps.add_class("ivig-card")
        self.panel: FigurePanel | None = None
        self.holder = widgets.VBox()
        self.controls = [self.product, self.weight, self.dose, self.at_risk]
        self._finish(self.steps, self.holder)

    def compute(self) -> InfusionDayResult:
        dose_g = dosing.dose_g(self.weight.value, self.dose.value)
        product = catalog.product(self.product.value)
        sched = infusion.schedule_for(dose_g, self.weight.value, product, self.at_risk.value)
        return InfusionDayResult(sched, dose_g, product, self.at_risk.value)

    def show(self, result: InfusionDayResult) -> None:
        self.steps.value = walkthrough_html(result)
        chart = pump_steps_chart(result.schedule.steps_table(), product_name=result.product.name,
                                 dose_g=result.dose_g)
        if self.panel is None:
            self.panel = FigurePanel(chart)
            self.holder.children = (self.panel.widget,)
        else:
            self.panel.update(chart)


def walkthrough_html(result: InfusionDayResult) -> str:
    """infusion_day.csv by phase, with this product's titration inserted where the infusion starts."""
    day = data.load("infusion_day").sort_values("order")
    sched = result.schedule
    titration = (f"<li><b>This infusion:</b> {fmt(result.dose_g)} g of {escape(result.product.name)}, "
                 f"{fmt(sched.volume_ml, 0)} mL, from {fmt(sched.steps[0].rate_mg_per_kg_min)} up to "
                 f"{fmt(sched.max_rate_used)} mg/kg/min in {len(sched.steps)} steps; about "
                 f"{hours_minutes(sched.total_minutes)} in the chair"
                 + (" (the at-risk ceiling applied, where the label gives one)" if result.at_risk else "") + ".</li>")
    parts = []
    for phase, rows in day.groupby("phase", sort=False):
        items = "".join(f"<li>{escape(r.action)}"
                        + (f" <i>({escape(r.timing)})</i>" if isinstance(r.timing, str) and r.timing else "")
                        + f" <small>(verified: {escape(r.verified)})</small></li>" for r in rows.itertuples())
        if phase == "start":
            items += titration
        parts.append(f"<h5>{escape(PHASE_LABELS.get(phase, phase))}</h5><ul>{items}</ul>")
    if sched.assumption:
        parts.append(f"<p><i>Assumption:</i> {escape(sched.assumption)}</p>")
    parts.append("<details><summary>Sources</summary><ul><small>"
                 + source_items_html(day["source_ids"]) + "</small></ul></details>")
    return "".join(parts)


@dataclass(frozen=True)
class AdverseEventResult:
    """The adverse-event rows chosen (one event or all) and their chart for one denominator."""

    rows: pd.DataFrame
    chart: Chart

    @property
    def highest_pct(self) -> float | str:
        """The highest frequency the chart draws (a reported figure, or the middle the chart
        draws for a reported range), as drawn; 'none drawn' when the chart is empty."""
        drawn = list(self.chart.figure.data[0].x or ())
        return max(drawn) if drawn else "none drawn"


class AdverseEventApp(App):
    """Adverse-event frequencies by denominator (never mixed), with population, dose, timing,
    risk factors and what to do."""

    readouts = {"highest_pct": Readout("highest frequency on the chart", "%", lambda r: r.highest_pct)}

    def __init__(self, denominator: str = "per_patient") -> None:
        super().__init__()
        self.table = data.load("adverse_events")
        self.denominator = widgets.ToggleButtons(options=[(f"% {v}", k) for k, v in DENOMINATOR_LABELS.items()],
                                                 value=denominator, description="Denominator", **STYLE)
        events = self.table.drop_duplicates("event_id")
        self.event = widgets.Dropdown(options=[("All events", "all")] + [(r.event, r.event_id)
                                                                         for r in events.itertuples()],
                                      value="all", description="Event", layout=WIDE, **STYLE)
        self.details = widgets.HTML()
        self.panel: FigurePanel | None = None
        self.holder = widgets.VBox()
        self.controls = [self.denominator, self.event]
        self._finish(self.holder, self.details)

    def compute(self) -> AdverseEventResult:
        rows = self.table if self.event.value == "all" else self.table[self.table["event_id"] == self.event.value]
        return AdverseEventResult(rows, adverse_event_chart(rows, self.denominator.value))

    def show(self, result: AdverseEventResult) -> None:
        rows, chart = result.rows, result.chart
        if self.panel is None:
            self.panel = FigurePanel(chart)
            self.holder.children = (self.panel.widget,)
        else:
            self.panel.update(chart)
        counts = rows[rows["denominator"].isin(["reports", "not_stated"])]
        items = "".join(
            f"<li><b>{escape(r.event)}</b> ({escape(r.timing.replace('_', ' '))}): "
            f"{escape(r.what_to_do) if isinstance(r.what_to_do, str) else ''}"
            + (f" <i>Risk factors:</i> {escape(r.risk_factors)}." if isinstance(r.risk_factors, str) else "")
            + "</li>" for r in rows.drop_duplicates("event_id").itertuples())
        compared = "".join(f"<li><b>{escape(c.event)}</b>: {escape(c.sentence())} <small>({escape(c.population)}; "
                           f"verified: {escape(c.verified)})</small></li>" for c in safety.comparisons(rows))
        other = "".join(f"<li>{escape(r.event)}: {escape(r.population)} ({escape(r.denominator.replace('_', ' '))}"
                        f"{', ' + escape(r.note) if isinstance(r.note, str) else ''})</li>"
                        for r in counts.itertuples())
        self.details.value = (f"<h4>What to do, event by event</h4><ul>{items}</ul>"
                              + (f"<h4>Comparisons: ratios and excess rates (not drawn on the % axis)</h4>"
                                 f"<ul>{compared}</ul>" if compared else "")
                              + (f"<h4>Case reports and figures without a stated denominator</h4><ul>{other}</ul>"
                                 if other else "")
                              + "<details><summary>Sources</summary><ul><small>"
                              + source_items_html(rows["source_ids"]) + "</small></ul></details>")


def nmosd_card_html(situation: trials.NmosdSituation) -> str:
    """A situation: how IVIG is used, how strong the evidence is, and the studies behind it."""
    row, studies = situation.row, situation.studies
    card = (f"<p><b>How IVIG is used:</b> {escape(row['use'])}</p>"
            f"<p><b>Evidence:</b> {escape(row['evidence'])}</p>"
            f"<p><b>Kind of study behind it:</b> {escape(situation.designs)}.</p>")
    if len(studies):
        shown = studies.assign(design=studies["design"].map(trials.DESIGN_LABELS))
        card += "<h5>The studies behind it (trials.csv, notebook 3)</h5>" + table_html(
            shown[["study_label", "design", "n_total", "comparator", "endpoint", "ivig_value", "control_value",
                   "verified"]].rename(columns={
                "study_label": "Study", "design": "Design", "n_total": "Patients", "comparator": "Compared with",
                "endpoint": "Endpoint", "ivig_value": "With IVIG", "control_value": "Comparison",
                "verified": "Verified"}).fillna(""))
    return (card + f"<p><small>Verified: <b>{escape(row['verified'])}</b>.</small></p>"
            "<details><summary>Sources</summary><ul><small>"
            + source_items_html([row["source_ids"], *studies["source_ids"]]) + "</small></ul></details>")


class NmosdPanel(Shown):
    """Choose a situation in NMOSD: how IVIG is used in it, the strength of the evidence and the
    studies behind it (data/nmosd_use.csv, trials.csv). `result` is the chosen trials.NmosdSituation."""

    readouts = {"design": Readout("kind of study behind it", "", lambda r: r.designs),
                "studies": Readout("studies behind it", "studies", lambda r: float(r.study_count))}

    def __init__(self, row_id: str | None = None) -> None:
        uses = trials.nmosd_uses()
        self.situation = widgets.Dropdown(options=[(r.situation, r.row_id) for r in uses.itertuples()],
                                          value=row_id or uses["row_id"].iloc[0], description="Situation",
                                          layout=WIDE, **STYLE)
        self.card = widgets.HTML()
        self.card.add_class("ivig-card")
        self.result: trials.NmosdSituation | None = None
        self.situation.observe(self._show, names="value")
        self.widget = app_box([self.situation, self.card], "NmosdPanel")
        self._show()

    def _show(self, change=None) -> None:
        self.result = trials.nmosd_situation(self.situation.value)
        self.card.value = nmosd_card_html(self.result)


def nmosd_panel(row_id: str | None = None) -> NmosdPanel:
    """When IVIG is used in NMOSD, one situation at a time, with the studies behind it."""
    return NmosdPanel(row_id)

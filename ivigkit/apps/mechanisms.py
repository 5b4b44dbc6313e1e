"""Apps of notebook 02: what is in a bag of IVIG, the mechanism map, and the FcRn model.

Each panel keeps its current `result` and names its `readouts`, so a predict-first box
(ivigkit.apps.predict) can set a learner's prediction beside what the panel shows."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

import ipywidgets as widgets
import pandas as pd

from ivigkit import data, dosing, pk
from ivigkit.data import catalog
from ivigkit.apps.base import LABEL_STYLE, WIDE, App, FigurePanel, Readout, Shown, StaticHTML, app_box
from ivigkit.apps.references import source_items_html
from ivigkit.figures.tables import table_html
from ivigkit.formatting import fmt
from ivigkit.figures.mechanism import CERTAINTY_LABELS, autoantibody_chart, mechanism_map_chart

STYLE = dict(style=LABEL_STYLE)


def composition_panel() -> StaticHTML:
    """What is in a bag of IVIG (ivig_composition.csv), and how products differ (products.csv)."""
    parts = data.load("ivig_composition")
    products = data.load("products")
    html = (
        "<h4>What is in a bag</h4>"
        + table_html(parts[["component", "what_it_is", "typical_amount", "verified"]].rename(columns={
            "component": "Component", "what_it_is": "What it is", "typical_amount": "Amount (as sourced)",
            "verified": "Verified"}).fillna(""))
        + "<h4>How the products differ</h4>"
        + table_html(products[["name", "concentration_pct", "stabiliser", "sugar", "iga_ug_per_ml",
                               "verified"]].rename(columns={
            "name": "Product", "concentration_pct": "Concentration (%)", "stabiliser": "Stabiliser",
            "sugar": "Sugar", "iga_ug_per_ml": "IgA (µg/mL)", "verified": "Verified"})
            .astype(object).fillna("not known"))
        + "<details><summary>Sources</summary><ul><small>"
        + source_items_html([*parts["source_ids"], *products["source_ids"]]) + "</small></ul></details>")
    return StaticHTML(html, "ivig-composition")


IGA_BASIS_WORDS = {"max": "at most", "average": "on average"}


def product_card_html(product: catalog.Product) -> str:
    """One product as its label describes it (products.csv): concentration, stabiliser, sugar, IgA."""
    def known(value, unit: str = "") -> str:
        if value is None:
            return "not known"
        return f"{fmt(value) if isinstance(value, float) else value}{unit}"

    iga = known(product.iga_ug_per_ml, " µg/mL")
    if product.iga_ug_per_ml is not None and product.iga_basis in IGA_BASIS_WORDS:
        iga = f"{IGA_BASIS_WORDS[product.iga_basis]} {iga}"
    return (f"<h4>{escape(product.name)}</h4><p>{escape(product.manufacturer)}</p><ul>"
            f"<li><b>Concentration:</b> {escape(known(product.concentration_pct, ' %'))}</li>"
            f"<li><b>Stabiliser:</b> {escape(known(product.stabiliser))}</li>"
            f"<li><b>Sugar:</b> {escape(product.sugar)}</li>"
            f"<li><b>IgA:</b> {escape(iga)}</li></ul>"
            f"<p><small>Verified: <b>{escape(product.verified)}</b> (<i>unknown</i> or <i>not known</i>: "
            "not in a verified source). Sources:</small></p>"
            f"<ul><small>{source_items_html(list(product.source_ids))}</small></ul>")


class BagApp(Shown):
    """Read the bag: pick a product and its label card shows what is in it; under it, the tables
    of what every bag holds and how the products differ (composition_panel, plain HTML).

    `result` is the chosen product's record (data.catalog.Product); the readouts only read it."""

    readouts = {"sugar": Readout("sugar in the product", "", lambda p: p.sugar)}

    def __init__(self, product_id: str = "octagam_10") -> None:
        self.product = widgets.Dropdown(options=[(p.name, p.product_id) for p in catalog.products()],
                                        value=product_id, description="Product", layout=WIDE, **STYLE)
        self.card = widgets.HTML()
        self.card.add_class("ivig-card")
        self.result: catalog.Product | None = None
        self.tables = composition_panel()
        self.product.observe(self._show, names="value")
        self.widget = app_box([self.product, self.card], "BagApp")
        self._show()

    def _show(self, change=None) -> None:
        self.result = catalog.product(self.product.value)
        self.card.value = product_card_html(self.result)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget, self.tables)


def mechanism_card_html(row: pd.Series) -> str:
    """One mechanism: what it does, the evidence in MS and elsewhere, how sure we are, sources."""
    certainty = CERTAINTY_LABELS.get(row["certainty_in_ms"], row["certainty_in_ms"])
    return (f"<h4>{escape(row['name'])}</h4><p>{escape(row['what_it_does'])}</p><ul>"
            f"<li><b>In MS:</b> {escape(row['evidence_in_ms'])}</li>"
            f"<li><b>In other diseases:</b> {escape(row['evidence_elsewhere'])}</li>"
            f"<li><b>How sure in MS:</b> {escape(certainty)}.</li></ul>"
            f"<p><small>Verified: <b>{escape(row['verified'])}</b>. Sources:</small></p>"
            f"<ul><small>{source_items_html([row['source_ids']])}</small></ul>")


class MechanismMapApp(Shown):
    """Pick a proposed mechanism: its path lights up on the map and its card explains it.

    `result` is the chosen mechanism's row of mechanisms.csv (a Series with its mechanism_id);
    the readouts only read it."""

    readouts = {"certainty": Readout("how sure we are in MS", "",
                                     lambda r: CERTAINTY_LABELS.get(r["certainty_in_ms"], r["certainty_in_ms"]))}
    #: The certainty levels, from shown in patients to not supported: the choices of a
    #: prediction about "certainty".
    certainties = tuple(CERTAINTY_LABELS.values())

    def __init__(self, mechanism_id: str | None = None) -> None:
        self.table = data.load("mechanisms")
        self.mechanism = widgets.Dropdown(options=[(r.name, r.mechanism_id) for r in self.table.itertuples()],
                                          value=mechanism_id or self.table["mechanism_id"].iloc[0],
                                          description="Mechanism", layout=WIDE, **STYLE)
        self.card = widgets.HTML()
        self.card.add_class("ivig-card")
        self.panel = FigurePanel(mechanism_map_chart(self.table, self.mechanism.value))
        self.mechanism.observe(self._show, names="value")
        self.widget = app_box([self.mechanism, self.panel.widget, self.card], "MechanismMapApp")
        self._show()

    def _show(self, change=None) -> None:
        row = self.table.set_index("mechanism_id").loc[self.mechanism.value]
        self.result = row.copy()
        self.result["mechanism_id"] = self.mechanism.value
        self.card.value = mechanism_card_html(row.rename({"index": "mechanism_id"}))
        if change is not None:
            self.panel.update(mechanism_map_chart(self.table, self.mechanism.value))


class FcRnApp(App):
    """IVIG raises total IgG, saturates FcRn and speeds the clearance of every IgG, a marker
    autoantibody included: its level over weeks for the chosen dose beside 0.4, 1 and 2 g/kg."""

    readouts = {"lowest_pct": Readout("lowest autoantibody level", "% of the start",
                                      lambda r: r.lows[r.chosen_g_per_kg].lowest_pct),
                "lowest_day": Readout("day of the lowest level", "days", lambda r: r.lows[r.chosen_g_per_kg].day)}


    def __init__(self, dose_g_per_kg: float = 2.0) -> None:
        super().__init__()
        self.dose = widgets.FloatSlider(value=dose_g_per_kg, min=0.2, max=2.0, step=0.1,
                                        description="Dose (g/kg per course)", readout_format=".1f",
                                        continuous_update=False, layout=WIDE, **STYLE)
        self.days = widgets.IntSlider(value=5, min=1, max=5, description="Given over (days)",
                                      continuous_update=False, **STYLE)
        self.weight = widgets.FloatText(value=70, description="Weight (kg)", **STYLE)
        self.volume = widgets.FloatSlider(value=pk.DEFAULT_VOLUME_L_PER_KG, min=0.03, max=0.2, step=0.01,
                                          description="Volume of distribution (L/kg)", readout_format=".2f",
                                          continuous_update=False, layout=WIDE, **STYLE)
        self.card = widgets.HTML()
        self.card.add_class("ivig-result")
        self.panel: FigurePanel | None = None
        self.holder = widgets.VBox()
        self.controls = [self.dose, self.days, self.weight, self.volume]
        self._finish(self.card, self.holder)

    def compute(self) -> pk.DoseComparison:
        return pk.autoantibody_by_dose(self.dose.value, self.days.value, self.weight.value,
                                       self.volume.value)

    def show(self, result: pk.DoseComparison) -> None:
        low = result.lows[result.chosen_g_per_kg]
        self.card.value = (
            f"<ul><li><b>{fmt(result.chosen_g_per_kg, 1)} g/kg</b> over {result.days_per_course} day(s): "
            f"the marker autoantibody falls to <b>{fmt(low.lowest_pct)} %</b> of its starting level "
            f"(a fall of {fmt(low.fall_pct)} %) on day {fmt(low.day, 0)}.</li>"
            f"<li>Total IgG peaks at {fmt(result.igg.peak_g_per_l)} g/L "
            f"(from {fmt(result.baseline_g_per_l)} g/L before IVIG).</li>"
            f"<li>Published FcRn modelling (Bleeker 2001) found a largest fall of about "
            f"{fmt(pk.REFERENCE_FALL_PCT_AFTER_2G, 0)} % at {pk.REFERENCE_FALL_WEEKS[0]}-"
            f"{pk.REFERENCE_FALL_WEEKS[1]} weeks after 2 g/kg. This is a teaching model: its result "
            "depends on the volume chosen.</li></ul>")
        chart = autoantibody_chart(result)
        if self.panel is None:
            self.panel = FigurePanel(chart)
            self.holder.children = (self.panel.widget,)
        else:
            self.panel.update(chart)

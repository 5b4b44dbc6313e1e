"""Apps of the start-here notebook: the glossary explorer and the g/kg practice app."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

import ipywidgets as widgets
import numpy as np

from ivigkit import data, dosing, glossary
from ivigkit.apps.base import LABEL_STYLE, WIDE, App, FigurePanel, Readout
from ivigkit.figures.dosing import dose_by_weight_chart
from ivigkit.figures.theme import Chart
from ivigkit.formatting import fmt


class GlossaryApp(App):
    """Search the glossary and read a term's definition with its sources.

    The result is the table of entries that match the search, those matching by name first; the
    card shows the first of them until the learner picks another."""

    readouts = {"first_match": Readout("first entry found", "", lambda r: str(r["term"].iloc[0]))}

    def __init__(self) -> None:
        super().__init__()
        self.table = data.load("glossary")
        self.search = widgets.Text(description="Search the glossary", placeholder="e.g. FcRn",
                                   style=LABEL_STYLE, layout=WIDE, continuous_update=True,
                                   tooltip="Type part of a term or a word from its definition")
        self.term = widgets.Dropdown(description="Term", options=self._options(self.table),
                                     style=LABEL_STYLE, layout=WIDE,
                                     tooltip="Pick a term to read its definition")
        self.card = widgets.HTML()
        self.card.add_class("ivig-card")
        self.controls = [self.search]
        self.term.observe(self._show_card, names="value")
        self._finish(self.term, self.card)
        self._show_card()

    @staticmethod
    def _options(rows) -> list[tuple[str, str]]:
        return [(f"{r.term} ({r.abbreviation})" if isinstance(r.abbreviation, str) and r.abbreviation
                 and r.abbreviation != r.term else r.term, r.term) for r in rows.itertuples()]

    def compute(self):
        return glossary.find_terms(self.table, self.search.value)

    def show(self, result) -> None:
        self.term.options = self._options(result)
        self.term.value = result["term"].iloc[0]

    def _show_card(self, change=None) -> None:
        if self.term.value is None:
            return
        row = self.table.set_index("term").loc[self.term.value]
        refs = "".join(f"<li>{escape(data.format_reference(s))}</li>"
                       for s in data.cite(data.source_ids(row["source_ids"])).itertuples())
        self.card.value = (
            f"<h4>{escape(self.term.value)}</h4><p>{escape(row['definition'])}</p>"
            f"<p><small>Verification: <b>{escape(row['verified'])}</b>. Sources:</small></p>"
            f"<ul><small>{refs}</small></ul>")


@dataclass(frozen=True)
class DoseResult:
    weight_kg: float
    dose_g_per_kg: float
    dose_g: float
    chart: Chart


class DoseArithmeticApp(App):
    """Practice app: a dose in g/kg times body weight gives grams for one dose."""

    readouts = {"dose_g": Readout("one dose", "g", lambda r: r.dose_g)}

    def __init__(self, weight_kg: float = 70.0, dose_g_per_kg: float = 0.4) -> None:
        super().__init__()
        self.weight = widgets.FloatText(value=weight_kg, description="Body weight (kg)",
                                        style=LABEL_STYLE, tooltip="The patient's weight in kilograms")
        self.dose = widgets.FloatSlider(value=dose_g_per_kg, min=0.1, max=2.0, step=0.05,
                                        description="Dose (g/kg)", style=LABEL_STYLE, layout=WIDE,
                                        readout_format=".2f", continuous_update=False,
                                        tooltip="Dose per kilogram of body weight")
        self.answer = widgets.HTML()
        self.answer.add_class("ivig-result")
        self.controls = [self.weight, self.dose]
        self.panel: FigurePanel | None = None
        self._finish(self.answer)

    def compute(self) -> DoseResult:
        weight_kg, per_kg = self.weight.value, self.dose.value
        grams = dosing.dose_g(weight_kg, per_kg)
        weights = np.linspace(dosing.WEIGHT_KG_MIN, max(150.0, weight_kg), 30)
        table = dosing.dose_by_weight(per_kg, weights)
        chart = dose_by_weight_chart(table, weight_kg=weight_kg, dose_g_per_kg=per_kg,
                                             dose_g=grams)
        return DoseResult(weight_kg, per_kg, grams, chart)

    def show(self, result: DoseResult) -> None:
        self.answer.value = (f"<p>One dose = {fmt(result.weight_kg)} kg &times; "
                             f"{fmt(result.dose_g_per_kg, 2)} g/kg = <b>{fmt(result.dose_g)} g</b></p>")
        if self.panel is None:
            self.panel = FigurePanel(result.chart)
            self.widget.children = (*self.widget.children, self.panel.widget)
        else:
            self.panel.update(result.chart)

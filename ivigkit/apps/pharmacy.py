"""The pharmacy strand of notebook 05: storage and handling and the stabilisers (static tables),
immunoglobulin stewardship and payers (static table), and the product choice worked as a
decision."""
from __future__ import annotations

from html import escape

import ipywidgets as widgets
import pandas as pd

from ivigkit import pharmacy, screening
from ivigkit.apps.base import LABEL_STYLE, App, Readout, StaticHTML
from ivigkit.apps.references import source_items_html
from ivigkit.figures.tables import table_html

STATUS_WORDS = {"suitable": "suitable", "check": "check the label", "second_choice": "second choice",
                "unsuitable": "unsuitable"}
#: The patient factors the worked decision offers (ids of screening_factors.csv).
DECISION_FACTORS = ("renal_impairment", "diabetes", "glucose_meter_gdh_pqq", "heart_failure",
                    "hereditary_fructose_intolerance", "hyperprolinaemia", "iga_deficiency_anti_iga")


def _sources(cells) -> str:
    return "<details><summary>Sources</summary><ul><small>" + source_items_html(cells) + "</small></ul></details>"


def handling_panel() -> StaticHTML:
    """Storage, preparation, lines and mixing by product (data/product_handling.csv)."""
    rows = pharmacy.handling()
    shown = rows.assign(store=rows["store_max_c"].map(lambda v: "" if pd.isna(v) else f"not above {v:g} C"),
                        form=rows["form"].str.replace("_", " "))
    html = table_html(shown[["name", "form", "store", "do_not_freeze", "protect_from_light", "before_use", "dilution",
                             "line", "mixing", "once_opened", "verified"]].rename(columns={
        "name": "Product", "form": "Form", "store": "Storage", "do_not_freeze": "Do not freeze",
        "protect_from_light": "Keep from light", "before_use": "Before use", "dilution": "Dilution",
        "line": "Line", "mixing": "Mixing", "once_opened": "Once opened", "verified": "Verified"}).fillna(""))
    notes = "".join(f"<li>{escape(r.name)}: {escape(r.note)}</li>" for r in rows.itertuples() if isinstance(r.note, str))
    return StaticHTML(html + f"<details><summary>Notes</summary><ul>{notes}</ul></details>"
                      + _sources(rows["source_ids"]), "ivig-handling")


def stabilisers_panel() -> StaticHTML:
    """Which stabilisers are sugars, why each matters and for whom (data/stabilisers.csv)."""
    rows = screening.stabilisers()
    html = table_html(rows[["name", "kind", "concern", "who_is_at_risk", "verified"]].assign(
        kind=rows["kind"].str.replace("_", " ")).rename(columns={
            "name": "Stabiliser", "kind": "Kind", "concern": "Why it matters", "who_is_at_risk": "Who is at risk",
            "verified": "Verified"}))
    return StaticHTML(html + _sources(rows["source_ids"]), "ivig-stabilisers")


def access_panel(kind: str | None = None) -> StaticHTML:
    """How rationing programmes and payers decide (data/ig_access.csv), one kind or both."""
    rows = pharmacy.access()
    if kind is not None:
        rows = rows[rows["kind"] == kind]
    html = table_html(rows[["organisation", "region", "how_it_decides", "ms_position", "what_must_be_shown",
                            "verified"]].rename(columns={
        "organisation": "Programme or payer", "region": "Region", "how_it_decides": "How it decides",
        "ms_position": "Where MS stands", "what_must_be_shown": "What must be shown", "verified": "Verified"}))
    return StaticHTML(html + _sources(rows["source_ids"]), "ivig-access")


class ProductChoiceApp(App):
    """A product choice as a decision: tick the patient's factors and what the setting needs;
    step 1 screens (a need rules a product out, a preference makes it a second choice), step 2
    checks storage and preparation; every product gets its status and reasons."""

    readouts = {"suitable": Readout("products marked suitable", "products",
                                    lambda r: float(r.suitable_count)),
                "first_choice": Readout("first product marked suitable", "", lambda r: r.first_choice)}

    def __init__(self, ticked: tuple[str, ...] = ("diabetes",), setting: tuple[str, ...] = ()) -> None:
        super().__init__()
        factors = screening.factors()
        self.factors = {fid: widgets.Checkbox(value=fid in ticked, indent=False, description=factors.loc[fid, "factor"],
                                              layout=widgets.Layout(width="auto")) for fid in DECISION_FACTORS}
        self.setting = {key: widgets.Checkbox(value=key in setting, indent=False, description=label[:1].upper() + label[1:],
                                              layout=widgets.Layout(width="auto"))
                        for key, label in pharmacy.SETTING_NEEDS.items()}
        self.steps = widgets.HTML()
        self.steps.add_class("ivig-result")
        self.table = widgets.HTML()
        self.controls = [*self.factors.values(), *self.setting.values()]
        layout = widgets.VBox([widgets.HTML("<b>Step 1: the patient</b>"),
                               widgets.GridBox(list(self.factors.values()), layout=widgets.Layout(
                                   grid_template_columns="repeat(2, minmax(260px, 1fr))")),
                               widgets.HTML("<b>Step 2: the setting</b>"), *self.setting.values()])
        self._finish(self.steps, self.table, layout=layout)

    def compute(self) -> pharmacy.Choice:
        return pharmacy.choose_product([f for f, box in self.factors.items() if box.value],
                                       [k for k, box in self.setting.items() if box.value])

    def show(self, result: pharmacy.Choice) -> None:
        screened = screening.screen(result.factor_ids)
        needs = ", ".join(screening.NEED_LABELS[n] for n in screened.needs) or "nothing beyond the label"
        prefers = ", ".join(screening.NEED_LABELS[n] for n in screened.prefers) or "nothing"
        setting = ", ".join(pharmacy.SETTING_NEEDS[n] for n in result.setting_needs) or "nothing"
        contra = ("<p><b>&#9888; A ticked factor is a contraindication to IVIG itself:</b> no product choice "
                  "applies; the prescriber decides.</p>" if screened.contraindicated else "")
        self.steps.value = (
            f"{contra}<p><b>Step 1, the patient:</b> the product must offer {escape(needs)}; it should offer "
            f"{escape(prefers)}.<br><b>Step 2, the setting:</b> it must be {escape(setting)}.<br>"
            f"<b>Result:</b> {result.suitable_count} product(s) suitable; first in the list: "
            f"{escape(result.first_choice)}. 'Check the label' means the data read here cannot tell.</p>")
        shown = result.table.assign(status=result.table["status"].map(STATUS_WORDS))
        self.table.value = table_html(shown[["name", "status", "reasons"]].rename(columns={
            "name": "Product", "status": "Status", "reasons": "Why"}))

"""Apps of notebook 01's "Where IVIG sits today": the treatment explorer and the panel of MS
facts (how common MS is, how soon IVIG acts)."""
from __future__ import annotations

from html import escape

import ipywidgets as widgets
import pandas as pd

from ivigkit import treatments
from ivigkit.apps.base import LABEL_STYLE, WIDE, App, Readout, StaticHTML
from ivigkit.apps.references import source_items_html
from ivigkit.figures.tables import table_html
from ivigkit.formatting import fmt

STYLE = dict(style=LABEL_STYLE)
UNIT_WORDS = {"people": "people", "per_100000_population": "per 100,000 population",
              "per_100000_person_years": "per 100,000 person-years", "ratio": "to 1", "years": "years",
              "months": "months", "weeks": "weeks", "days": "days"}


class TreatmentExplorerApp(App):
    """Pick a course or need, and whether to avoid self-injection or infusions: the approved
    options with route, schedule, approval and monitoring, and where IVIG sits beside them."""

    readouts = {"approved_options": Readout("options approved or permitted by a label", "options",
                                            lambda r: float(r.approved_count))}

    def __init__(self, use: str = "relapsing_ms") -> None:
        super().__init__()
        self.use = widgets.Dropdown(options=[(label, key) for key, label in treatments.USE_LABELS.items()],
                                    value=use, description="Course or need", layout=WIDE, **STYLE)
        self.no_self_injection = widgets.Checkbox(value=False, indent=False, description="Avoid self-injection")
        self.no_infusion = widgets.Checkbox(value=False, indent=False, description="Avoid infusions")
        self.show_ivig = widgets.Checkbox(value=True, indent=False, description="Show IVIG (off-label) rows")
        self.summary = widgets.HTML()
        self.summary.add_class("ivig-result")
        self.table = widgets.HTML()
        self.controls = [self.use, self.no_self_injection, self.no_infusion, self.show_ivig]
        self._finish(self.summary, self.table)

    def compute(self) -> treatments.Selection:
        avoid = tuple(route for route, box in (("self_injection", self.no_self_injection),
                                               ("infusion", self.no_infusion)) if box.value)
        return treatments.select(self.use.value, exclude_routes=avoid, include_ivig=self.show_ivig.value)

    def show(self, result: treatments.Selection) -> None:
        avoided = " and ".join(treatments.ROUTE_LABELS[r] for r in result.excluded_routes)
        self.summary.value = (
            f"<p><b>{result.approved_count}</b> option(s) approved or permitted by a label for "
            f"{escape(treatments.USE_LABELS[result.use].lower())}"
            + (f", avoiding {escape(avoided)}" if avoided else "") + ". "
            + ("IVIG is not approved for this use in any source read: it appears as off-label."
               if any(t.treatment_class == "immunoglobulin" for t in result.shown) else "") + "</p>")
        if not result.shown:
            self.table.value = "<p>No treatment in the table matches these choices.</p>"
            return
        self.table.value = (table_html(result.table())
                            + "<details><summary>Notes and sources</summary><ul>"
                            + "".join(f"<li><b>{escape(t.treatment)}</b>: {escape(t.note)}</li>"
                                      for t in result.shown if t.note)
                            + "</ul><ul><small>" + source_items_html([t.source_ids for t in result.shown])
                            + "</small></ul></details>")


def context_panel(topic: str | None = None) -> StaticHTML:
    """The facts of data/ms_context.csv (one topic or all) as a table; claims to check show no number."""
    rows = treatments.context(topic)

    def value(r) -> str:
        if r.kind == "claim_to_check":
            return "claim to check (no verified number)"
        unit = UNIT_WORDS.get(r.value_unit, "")
        if not pd.isna(r.value):
            text = f"{fmt(r.value, 1)} {unit}"
            if not pd.isna(r.value_low) and not pd.isna(r.value_high):
                text += f" (95 % CI {fmt(r.value_low, 1)} to {fmt(r.value_high, 1)})"
            return text
        return f"{fmt(r.value_low, 1)} to {fmt(r.value_high, 1)} {unit}"

    body = "".join(
        f"<tr><td>{escape(r.statement)}</td><td>{escape(value(r))}</td>"
        f"<td>{escape(r.region) if isinstance(r.region, str) else ''}</td>"
        f"<td>{'' if pd.isna(r.year) else int(r.year)}</td><td>{escape(r.verified)}</td></tr>"
        for r in rows.itertuples())
    html = ('<table class="ivig-data-table"><thead><tr><th>Fact</th><th>Value</th><th>Region</th><th>Year</th>'
            f"<th>Verified</th></tr></thead><tbody>{body}</tbody></table>"
            "<details><summary>Notes and sources</summary><ul>"
            + "".join(f"<li>{escape(r.statement)}: {escape(r.note)}</li>" for r in rows.itertuples()
                      if isinstance(r.note, str) and r.note)
            + "</ul><ul><small>" + source_items_html(rows["source_ids"]) + "</small></ul></details>")
    return StaticHTML(html, "ivig-context")

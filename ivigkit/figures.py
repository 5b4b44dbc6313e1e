"""One plotly look for the whole workbook, and the chart objects every app displays.

Figure factories take model results and return a `Chart`: the figure, a one-sentence
summary computed from the same numbers (for screen readers and for students who would
rather read), and the table behind it.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from html import escape

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ivigkit.formatting import fmt, hours_minutes  # noqa: F401 (re-exported for the apps)

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
MARKERS = ("circle", "square", "diamond", "triangle-up", "x", "cross")
FONT_SIZE = 18  # readable from the back of a lecture hall
TEMPLATE_NAME = "ivigkit"

CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}

TEMPLATE = go.layout.Template(
    layout=dict(
        font=dict(family="Arial, Helvetica, sans-serif", size=FONT_SIZE, color="#1a1a1a"),
        title=dict(font=dict(size=FONT_SIZE + 4), x=0.02, xanchor="left"),
        colorway=list(PALETTE),
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis=dict(showgrid=True, gridcolor="#e5e5e5", linecolor="#444", ticks="outside",
                   zeroline=False, title=dict(standoff=12)),
        yaxis=dict(showgrid=True, gridcolor="#e5e5e5", linecolor="#444", ticks="outside",
                   zeroline=False, title=dict(standoff=12)),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        margin=dict(l=80, r=30, t=90, b=70),
        hoverlabel=dict(font=dict(size=FONT_SIZE - 2)),
        height=460,
    ),
)
pio.templates[TEMPLATE_NAME] = TEMPLATE
_TEMPLATE_JSON = TEMPLATE.to_plotly_json()  # what new_figure embeds, unvalidated

_UNIT_IN_TITLE = re.compile(r"\([^()]+\)\s*$")


@dataclass(frozen=True)
class Chart:
    """A figure with the one-sentence summary and the table it was drawn from."""

    figure: go.Figure
    summary: str
    table: pd.DataFrame


def axis_title(label: str, unit: str) -> str:
    """'Weight', 'kg' -> 'Weight (kg)'. Every axis in the workbook names its unit."""
    if not label.strip() or not unit.strip():
        raise ValueError("An axis title needs both a label and a unit.")
    return f"{label} ({unit})"


def new_figure(*, title: str, x_title: str, y_title: str) -> go.Figure:
    """An empty figure in the workbook theme; axis titles must end in '(unit)'."""
    for name, text in (("x", x_title), ("y", y_title)):
        if not _UNIT_IN_TITLE.search(text):
            raise ValueError(f"The {name}-axis title '{text}' must end with its unit in brackets.")
    # plotly's property validation costs ~4 ms per figure on every app update; the figures are
    # validated in tests instead (tests/test_figures.py rebuilds each with validation on).
    return go.Figure(layout=dict(template=_TEMPLATE_JSON, title=dict(text=title),
                                 xaxis=dict(title=dict(text=x_title)),
                                 yaxis=dict(title=dict(text=y_title))), _validate=False)


def add_trace(fig: go.Figure, trace_type, **props) -> None:
    """Add a trace (go.Scatter, go.Bar, ...) without plotly's validation, as new_figure does;
    pandas columns become numpy arrays."""
    props = {k: v.to_numpy() if isinstance(v, (pd.Series, pd.Index)) else v
             for k, v in props.items()}
    fig.add_trace(trace_type(**props, _validate=False))


def series_style(index: int, *, mode: str = "lines") -> dict:
    """Colour plus dash (lines) or marker symbol (points) for the index-th series,
    so series differ by more than colour alone."""
    colour = PALETTE[index % len(PALETTE)]
    style = {"marker": dict(color=colour, symbol=MARKERS[index % len(MARKERS)], size=11)}
    if "lines" in mode:
        style["line"] = dict(color=colour, dash=DASHES[index % len(DASHES)], width=3)
    return style


PLOTLY_MIME = "application/vnd.plotly.v1+json"


def mime_bundle(figure: go.Figure) -> dict:
    """`figure` as a display_data output for plotly's MIME renderer (the jupyterlab-plotly
    extension in JupyterLab and Voila): plain JSON, with the workbook's modebar settings."""
    spec = json.loads(pio.to_json(figure, validate=False))
    spec["config"] = CONFIG
    title = figure.layout.title.text or "figure"
    return {"output_type": "display_data", "metadata": {},
            "data": {PLOTLY_MIME: spec, "text/plain": f"<plotly figure: {title}>"}}


def table_html(table: pd.DataFrame) -> str:
    """The data behind a figure as a plain, screen-reader-friendly HTML table."""
    return table.to_html(index=False, border=0, classes="ivig-data-table", escape=True,
                         float_format=lambda v: fmt(v, 2))


def summary_html(chart: Chart) -> str:
    """The chart's summary sentence as HTML."""
    return f'<p class="ivig-figure-summary"><b>In words:</b> {escape(chart.summary)}</p>'


def dose_by_weight_chart(table: pd.DataFrame, *, weight_kg: float, dose_g_per_kg: float,
                         dose_g: float) -> Chart:
    """Line of dose (g) against weight (kg) with the chosen patient marked."""
    fig = new_figure(title=f"Grams needed at {fmt(dose_g_per_kg, 2)} g/kg",
                     x_title=axis_title("Body weight", "kg"), y_title=axis_title("Dose", "g"))
    add_trace(fig, go.Scatter, x=table["weight_kg"], y=table["dose_g"], mode="lines",
              name=f"{fmt(dose_g_per_kg, 2)} g/kg", **series_style(0),
              hovertemplate="%{x:.0f} kg → %{y:.1f} g<extra></extra>")
    add_trace(fig, go.Scatter, x=[weight_kg], y=[dose_g], mode="markers", name="Your patient",
              **series_style(1, mode="markers"),
              hovertemplate="%{x:.1f} kg → %{y:.1f} g<extra>Your patient</extra>")
    fig.layout.xaxis.rangemode = "tozero"
    fig.layout.yaxis.rangemode = "tozero"
    first, last = table.iloc[0], table.iloc[-1]
    summary = (f"At {fmt(dose_g_per_kg, 2)} g/kg the dose rises in a straight line from "
               f"{fmt(first.dose_g)} g at {fmt(first.weight_kg)} kg to {fmt(last.dose_g)} g at "
               f"{fmt(last.weight_kg)} kg; your patient at {fmt(weight_kg)} kg needs {fmt(dose_g)} g.")
    return Chart(fig, summary, table.rename(columns={"weight_kg": "Weight (kg)", "dose_g": "Dose (g)"}))


def pump_steps_chart(steps: pd.DataFrame, *, product_name: str, dose_g: float) -> Chart:
    """Pump rate (mL/h) over infusion time (min) as a staircase.

    `steps` has columns start_min, minutes, rate_mg_per_kg_min, rate_ml_per_h, volume_ml."""
    # Plain lists: a handful of steps, redrawn on every app update.
    start, minutes = steps["start_min"].tolist(), steps["minutes"].tolist()
    ml_per_h, mg_per_kg_min = steps["rate_ml_per_h"].tolist(), steps["rate_mg_per_kg_min"].tolist()
    total = start[-1] + minutes[-1]
    x, y = [*start, total], [*ml_per_h, ml_per_h[-1]]
    fig = new_figure(title=f"Pump steps: {product_name}, {fmt(dose_g)} g",
                     x_title=axis_title("Time from start", "min"),
                     y_title=axis_title("Pump rate", "mL/h"))
    add_trace(fig, go.Scatter, x=x, y=y, mode="lines+markers", line_shape="hv", name="Pump rate",
              **series_style(0, mode="lines+markers"),
              customdata=[*mg_per_kg_min, mg_per_kg_min[-1]],
              hovertemplate="from %{x:.0f} min: %{y:.0f} mL/h (%{customdata} mg/kg/min)"
                            "<extra></extra>")
    fig.layout.xaxis.rangemode = "tozero"
    fig.layout.yaxis.rangemode = "tozero"
    volume_ml = math.fsum(steps["volume_ml"].tolist())
    summary = (f"The pump starts at {fmt(ml_per_h[0], 0)} mL/h and reaches "
               f"{fmt(max(ml_per_h), 0)} mL/h in {len(steps)} step"
               f"{'s' if len(steps) > 1 else ''}; {fmt(dose_g)} g ({fmt(volume_ml, 0)} mL) "
               f"takes {hours_minutes(total)}.")
    table = steps.rename(columns={"start_min": "Start (min)", "minutes": "Duration (min)",
                                  "rate_mg_per_kg_min": "Rate (mg/kg/min)",
                                  "rate_ml_per_h": "Pump rate (mL/h)", "volume_ml": "Volume (mL)"})
    return Chart(fig, summary, table)


def igg_chart(profiles: dict[str, pd.DataFrame], troughs: pd.DataFrame) -> Chart:
    """Serum IgG (g/L) over days for one or more models, troughs of the first marked.

    `profiles` maps a model name to a table with columns day and igg_g_per_l."""
    fig = new_figure(title="Serum IgG after IVIG",
                     x_title=axis_title("Day", "days from first infusion"),
                     y_title=axis_title("Serum IgG", "g/L"))
    for i, (name, profile) in enumerate(profiles.items()):
        add_trace(fig, go.Scatter, x=profile["day"], y=profile["igg_g_per_l"], mode="lines",
                  name=name,
                  **series_style(i),
                  hovertemplate="day %{x:.0f}: %{y:.1f} g/L<extra>" + name + "</extra>")
    if len(troughs):
        add_trace(fig, go.Scatter, x=troughs["day"], y=troughs["igg_g_per_l"], mode="markers",
                  name="Trough (just before an infusion)",
                  **series_style(len(profiles), mode="markers"),
                  hovertemplate="trough day %{x:.0f}: %{y:.1f} g/L<extra></extra>")
    fig.layout.yaxis.rangemode = "tozero"
    (first, profile), *others = profiles.items()
    peak = profile.loc[profile["igg_g_per_l"].idxmax()]
    summary = (f"In the {first} model serum IgG starts at {fmt(profile['igg_g_per_l'].iloc[0])} g/L "
               f"and peaks at {fmt(peak.igg_g_per_l)} g/L on day {fmt(peak.day, 0)}")
    if len(troughs):
        summary += (f"; the last trough, on day {fmt(troughs['day'].iloc[-1], 0)}, is "
                    f"{fmt(troughs['igg_g_per_l'].iloc[-1])} g/L")
    for name, other in others:
        summary += f"; the {name} model peaks at {fmt(other['igg_g_per_l'].max())} g/L"
    table = pd.DataFrame({"Day": profile["day"]})
    for name, other in profiles.items():
        table[f"{name} (g/L)"] = other["igg_g_per_l"].to_numpy()
    return Chart(fig, summary + ".", table.iloc[::4].reset_index(drop=True))


def dosing_weight_chart(weights: pd.DataFrame, *, actual_kg: float) -> Chart:
    """Bar chart of the dosing weight (kg) under each rule; `weights` from dosing.weights_by_rule."""
    fig = new_figure(title="Dosing weight under each rule", x_title=axis_title("Rule", "-"),
                     y_title=axis_title("Dosing weight", "kg"))
    colours = {"actual": PALETTE[0], "ideal": PALETTE[2], "adjusted": PALETTE[1]}
    patterns = {"actual": "", "ideal": ".", "adjusted": "/"}
    add_trace(fig, go.Bar, x=weights["rule"], y=weights["weight_kg"], name="Dosing weight",
              marker=dict(color=[colours[b] for b in weights["basis"]],
                          pattern=dict(shape=[patterns[b] for b in weights["basis"]])),
              customdata=weights["basis"],
              hovertemplate="%{x}: %{y:.1f} kg (%{customdata} weight)<extra></extra>")
    fig.layout.xaxis.title.text = ""
    fig.layout.yaxis.rangemode = "tozero"
    low, high = weights["weight_kg"].min(), weights["weight_kg"].max()
    lowest = ", ".join(weights.loc[weights["weight_kg"] == low, "rule"])
    summary = (f"With an actual weight of {fmt(actual_kg)} kg the dosing weight ranges from "
               f"{fmt(low)} kg ({lowest}) to {fmt(high)} kg, a difference of {fmt(high - low)} kg.")
    table = weights.rename(columns={"rule": "Rule", "weight_kg": "Dosing weight (kg)",
                                    "basis": "Basis", "reason": "Why"})
    return Chart(fig, summary, table)


def annual_cost_chart(parts: pd.DataFrame, comparators: pd.DataFrame) -> Chart:
    """One year of IVIG (drug, administration, patient share) beside comparator costs.

    `parts`: columns label, usd; `comparators`: columns label, usd, year."""
    fig = new_figure(title="One year of cost (US dollars, year as sourced)",
                     x_title=axis_title("Cost", "USD per year"), y_title=axis_title("Item", "-"))
    add_trace(fig, go.Bar, y=parts["label"], x=parts["usd"], orientation="h",
              name="This patient's IVIG year",
              marker=dict(color=PALETTE[0], pattern=dict(shape="")),
              hovertemplate="%{y}: $%{x:,.0f}<extra></extra>")
    if len(comparators):
        add_trace(fig, go.Bar, y=[f"{r.label} ({r.year})" for r in comparators.itertuples()],
                  x=comparators["usd"], orientation="h", name="DMT list costs (comparators)",
                  marker=dict(color=PALETTE[1], pattern=dict(shape="/")),
                  hovertemplate="%{y}: $%{x:,.0f}<extra></extra>")
    fig.update_layout(height=140 + 38 * (len(parts) + len(comparators)), showlegend=True)
    fig.layout.yaxis.update(autorange="reversed", title_text="")
    total = parts.loc[parts["label"].str.startswith("Total"), "usd"]
    total_text = f"${fmt(total.iloc[0], 0)}" if len(total) else "not available"
    summary = f"This patient's IVIG year costs {total_text} in total"
    share = parts.loc[parts["label"].str.startswith("Patient"), "usd"]
    if len(share):
        summary += f", of which the patient pays ${fmt(share.iloc[0], 0)}"
    if len(comparators):
        summary += (f"; the comparator DMTs cost ${fmt(comparators['usd'].min(), 0)} to "
                    f"${fmt(comparators['usd'].max(), 0)} a year in the years their sources give")
    table = pd.concat([parts.assign(year=""), comparators], ignore_index=True).rename(
        columns={"label": "Item", "usd": "Cost (USD)", "year": "Year"})
    return Chart(fig, summary + ".", table)

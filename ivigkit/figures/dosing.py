"""Figures of notebooks 00 and 04: dose by weight, dosing weight by rule, pump steps, serum IgG
and a year's cost."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from ivigkit.figures.theme import PALETTE, Chart, add_trace, axis_title, new_figure, series_style
from ivigkit.formatting import fmt, hours_minutes


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

"""Charts of notebook 01: EDSS over the years from the teaching simulator."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ivigkit.course import COURSE_NAMES, Cohort, PatientPath
from ivigkit.figures.theme import PALETTE, Chart, add_trace, axis_title, new_figure, series_style
from ivigkit.formatting import fmt

TEACHING = "Teaching model, not a prognosis"


def _edss_at(table: pd.DataFrame, years) -> np.ndarray:
    idx = np.searchsorted(table["year"].to_numpy(), np.asarray(years, dtype=float))
    return table["edss"].to_numpy()[np.clip(idx, 0, len(table) - 1)]


def simulation_chart(path: PatientPath, cohort: Cohort, *, course: str) -> Chart:
    """One patient's EDSS path with relapse markers over the band (10th-90th centile and
    median) of many simulated patients, untreated median dashed."""
    band = cohort.band
    fig = new_figure(title=f"{COURSE_NAMES[course]}: EDSS over {fmt(cohort.years, 0)} years "
                           f"({TEACHING.lower()})",
                     x_title=axis_title("Time", "years"), y_title=axis_title("EDSS", "points, 0-10"))
    add_trace(fig, go.Scatter, x=band["year"], y=band["p90"], mode="lines", line=dict(width=0),
              showlegend=False, hoverinfo="skip")
    add_trace(fig, go.Scatter, x=band["year"], y=band["p10"], mode="lines", line=dict(width=0),
              fill="tonexty", fillcolor="rgba(86,180,233,0.25)",
              name=f"10th-90th centile of {cohort.patients} patients", hoverinfo="skip")
    add_trace(fig, go.Scatter, x=band["year"], y=band["median"], mode="lines",
              name="Median, with the treatment", **series_style(0),
              hovertemplate="year %{x:.1f}: median EDSS %{y}<extra></extra>")
    if not band["untreated_median"].equals(band["median"]):
        add_trace(fig, go.Scatter, x=band["year"], y=band["untreated_median"], mode="lines",
                  name="Median, untreated", **series_style(1),
                  hovertemplate="year %{x:.1f}: untreated median EDSS %{y}<extra></extra>")
    add_trace(fig, go.Scatter, x=path.table["year"], y=path.table["edss"], mode="lines",
              line_shape="hv", name="One patient", line=dict(color=PALETTE[6], width=2),
              hovertemplate="year %{x:.1f}: EDSS %{y}<extra>one patient</extra>")
    if path.relapse_years:
        add_trace(fig, go.Scatter, x=list(path.relapse_years),
                  y=_edss_at(path.table, path.relapse_years), mode="markers", name="Relapse",
                  marker=dict(symbol="triangle-up", size=13, color=PALETTE[5]),
                  hovertemplate="relapse at year %{x:.2f}<extra></extra>")
    if path.avoided_years:
        add_trace(fig, go.Scatter, x=list(path.avoided_years),
                  y=_edss_at(path.table, path.avoided_years), mode="markers",
                  name="Relapse avoided by the treatment",
                  marker=dict(symbol="triangle-up-open", size=13, color=PALETTE[2]),
                  hovertemplate="avoided at year %{x:.2f}<extra></extra>")
    fig.layout.yaxis.range = [0, 10.2]
    end = band.iloc[-1]
    # EDSS moves in half steps, so the median of an even cohort can fall on a quarter (9.25):
    # two decimals keep it as the data table shows it.
    summary = (f"{TEACHING}. After {fmt(cohort.years, 0)} years the median simulated EDSS is "
               f"{fmt(end['median'], 2)} (10th-90th centile {fmt(end['p10'], 2)} to {fmt(end['p90'], 2)})"
               f"; untreated median {fmt(end['untreated_median'], 2)}. This patient had "
               f"{len(path.relapse_years)} relapse{'s' if len(path.relapse_years) != 1 else ''}"
               + (f" and avoided {len(path.avoided_years)}" if path.avoided_years else "") + ".")
    table = band.rename(columns={"year": "Year", "p10": "EDSS 10th centile", "median": "EDSS median",
                                 "p90": "EDSS 90th centile", "untreated_median": "EDSS median untreated"})
    return Chart(fig, summary, table.iloc[::6].reset_index(drop=True))


def typical_courses_chart(medians: dict[str, pd.DataFrame]) -> Chart:
    """Median EDSS over the years for each course (`medians`: course -> band table)."""
    fig = new_figure(title=f"Typical courses in the simulator ({TEACHING.lower()})",
                     x_title=axis_title("Time", "years"), y_title=axis_title("Median EDSS", "points, 0-10"))
    for i, (course, band) in enumerate(medians.items()):
        add_trace(fig, go.Scatter, x=band["year"], y=band["median"], mode="lines",
                  line_shape="hv", name=COURSE_NAMES[course], **series_style(i),
                  hovertemplate="year %{x:.1f}: median EDSS %{y}<extra>" + course.upper() + "</extra>")
    fig.layout.yaxis.range = [0, 10.2]
    ends = "; ".join(f"{c.upper()} {fmt(b['median'].iloc[-1], 2)}" for c, b in medians.items())
    years = next(iter(medians.values()))["year"].iloc[-1]
    summary = f"{TEACHING}. Median simulated EDSS after {fmt(years, 0)} years with default settings: {ends}."
    table = pd.DataFrame({"Year": next(iter(medians.values()))["year"]})
    for course, band in medians.items():
        table[f"{course.upper()} median EDSS"] = band["median"].to_numpy()
    return Chart(fig, summary, table.iloc[::12].reset_index(drop=True))

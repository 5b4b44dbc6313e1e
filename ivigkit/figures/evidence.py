"""Charts of the evidence explorer: a forest plot and a timeline of the trials."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from ivigkit.evidence import Pooled
from ivigkit.figures.theme import PALETTE, Chart, add_trace, axis_title, new_figure, series_style
from ivigkit.formatting import fmt

MEASURE_NAMES = {"rate_ratio": "rate ratio", "risk_ratio": "risk ratio", "odds_ratio": "odds ratio",
                 "hazard_ratio": "hazard ratio"}
RESULT_STYLE = {  # colour and marker, so results differ by more than colour
    "positive": (PALETTE[2], "circle"), "negative": (PALETTE[5], "x"),
    "mixed": (PALETTE[1], "diamond"), "neutral": (PALETTE[4], "square"),
    "inconclusive": (PALETTE[3], "triangle-up"), "not_found": ("#777777", "cross"),
}


def _direction(text) -> str:
    """' (untreated vs IVIG)' for a ratio that is not IVIG over control, else ''."""
    if not isinstance(text, str) or not text or text.lower().startswith("ivig"):
        return ""
    if text.lower().startswith("not stated"):
        return " (arms not stated)"
    return f" ({text.split('(')[0].strip()[:30]})"


def _side(favours: str | None) -> str:
    if favours == "below_1":
        return "Left of 1 favours IVIG."
    if favours == "above_1":
        return "Right of 1 favours IVIG."
    return "Which side favours IVIG depends on the outcome; read each study card."


def forest_chart(rows: pd.DataFrame, pooled: Pooled | None = None, *, title: str) -> Chart:
    """Ratios (IVIG / control, log axis) with 95 % CIs, one line per row, and the pooled
    estimate as a diamond when given. `rows` from trials.effects()."""
    labels = [f"{r.study_label}: {r.endpoint}"[:70] + _direction(r.effect_direction)
              for r in rows.itertuples()]
    favours = set(rows["favours_ivig"].dropna())
    fig = new_figure(title=title, x_title=axis_title("Ratio, IVIG vs control", "log scale"),
                     y_title=axis_title("Study", "-"))
    has_ci = rows["ci_low_95"].notna()
    add_trace(fig, go.Scatter, x=rows["ratio"], y=labels, mode="markers", name="Study (95 % CI)",
              **series_style(0, mode="markers"),
              error_x=dict(type="data", symmetric=False, color=PALETTE[0], thickness=2,
                           array=(rows["ci_high_95"] - rows["ratio"]).where(has_ci, 0).to_numpy(),
                           arrayminus=(rows["ratio"] - rows["ci_low_95"]).where(has_ci, 0).to_numpy()),
              customdata=rows["basis"],
              hovertemplate="%{y}<br>ratio %{x:.2f}<br>%{customdata}<extra></extra>")
    if pooled is not None:
        label = f"Pooled ({pooled.method} effects, {pooled.k} studies)"
        add_trace(fig, go.Scatter, x=[pooled.ratio], y=[label], mode="markers", name=label,
                  marker=dict(symbol="diamond", size=18, color=PALETTE[5]),
                  error_x=dict(type="data", symmetric=False, color=PALETTE[5], thickness=3,
                               array=[pooled.ci_high - pooled.ratio],
                               arrayminus=[pooled.ratio - pooled.ci_low]),
                  hovertemplate="pooled ratio %{x:.2f}<extra></extra>")
    fig.layout.shapes = [dict(type="line", x0=1, x1=1, xref="x", y0=0, y1=1, yref="paper",
                              line=dict(color="#444", dash="dash", width=2))]  # no difference
    fig.layout.xaxis.type = "log"
    fig.layout.yaxis.update(autorange="reversed", title_text="", automargin=True)
    fig.layout.height = 220 + 48 * (len(rows) + (pooled is not None))
    side = _side(favours.pop() if len(favours) == 1 else None)
    if rows.empty:
        summary = "No study in this selection reports a ratio that can be drawn."
    else:
        low, high = rows["ratio"].min(), rows["ratio"].max()
        summary = (f"{len(rows)} result{'s' if len(rows) > 1 else ''} with ratios from {fmt(low, 2)} "
                   f"to {fmt(high, 2)}; {int((~has_ci).sum())} without a confidence interval. {side}")
        if pooled is not None:
            summary += (f" Pooled ({pooled.method} effects): {fmt(pooled.ratio, 2)} "
                        f"(95 % CI {fmt(pooled.ci_low, 2)} to {fmt(pooled.ci_high, 2)}), "
                        f"I² {fmt(pooled.i2_pct, 0)} %.")
    table = pd.DataFrame({
        "Study": rows["study_label"], "Endpoint": rows["endpoint"],
        "Measure": [MEASURE_NAMES.get(m, m) for m in rows["measure"]], "Ratio": rows["ratio"],
        "95 % CI low": rows["ci_low_95"], "95 % CI high": rows["ci_high_95"],
        "How obtained": rows["basis"], "Verified": rows["verified"]})
    return Chart(fig, summary, table)


def timeline_chart(timeline: pd.DataFrame) -> Chart:
    """Studies by year (x) and size (y, patients, log axis), marked by result."""
    fig = new_figure(title="IVIG in MS: studies by year and size",
                     x_title=axis_title("Year of publication", "calendar year"),
                     y_title=axis_title("Patients in the study", "log scale"))
    sized = timeline[timeline["n"].notna()]
    for result, group in sized.groupby("result", sort=False):
        colour, symbol = RESULT_STYLE[result]
        add_trace(fig, go.Scatter, x=group["year"], y=group["n"], mode="markers", name=result,
                  marker=dict(color=colour, symbol=symbol, size=[8 + 1.2 * math.sqrt(n)
                                                                  for n in group["n"]],
                              line=dict(width=1, color="#222")),
                  text=group["study_label"], customdata=group["design"],
                  hovertemplate="%{text}<br>%{x}, %{y:.0f} patients<br>%{customdata}<extra></extra>")
    fig.layout.yaxis.type = "log"
    rcts = sized[sized["design"] == "rct_parallel"]
    parts = []
    for result in ("positive", "negative"):
        chosen = rcts[rcts["result"] == result]
        if len(chosen):
            parts.append(f"{len(chosen)} {result} parallel-group randomised trials "
                         f"(median {fmt(chosen['n'].median(), 0)} patients, "
                         f"{int(chosen['year'].min())} to {int(chosen['year'].max())})")
    summary = (f"{len(timeline)} studies from {int(timeline['year'].min())} to "
               f"{int(timeline['year'].max())}, {len(timeline) - len(sized)} without a reported size"
               + ("; " + " and ".join(parts) if parts else "") + ".")
    table = timeline.rename(columns={"study_label": "Study", "year": "Year", "n": "Patients",
                                     "design": "Design", "population": "Population",
                                     "result": "Result"}).drop(columns=["study_id"])
    return Chart(fig, summary, table)

"""Charts of notebook 05: adverse-event frequencies, one denominator at a time."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ivigkit.figures.theme import PALETTE, Chart, add_trace, axis_title, new_figure
from ivigkit.formatting import fmt

DENOMINATOR_LABELS = {"per_infusion": "of infusions", "per_patient": "of patients"}


def _span(row) -> tuple[float | None, float | None, str]:
    """The interval drawn around a frequency: a reported CI, else a reported range."""
    if pd.notna(row["ci_low_pct"]):
        return row["ci_low_pct"], row["ci_high_pct"], "95 % CI"
    if pd.notna(row["frequency_low_pct"]):
        return row["frequency_low_pct"], row["frequency_high_pct"], "range reported"
    return None, None, "single figure"


def adverse_event_chart(rows: pd.DataFrame, denominator: str) -> Chart:
    """Reported frequencies (%, log axis) for one denominator, each with its CI or range.

    `rows` from data/adverse_events.csv; only rows with this denominator and a number are drawn
    (a range without a point is drawn at its middle, marked as a range)."""
    if denominator not in DENOMINATOR_LABELS:
        raise ValueError(f"Choose a denominator: {', '.join(DENOMINATOR_LABELS)}.")
    chosen = rows[(rows["denominator"] == denominator)
                  & (rows["frequency_pct"].notna() | rows["frequency_low_pct"].notna())]
    labels, points, lows, highs, kinds = [], [], [], [], []
    for r in chosen.itertuples():
        low, high, kind = _span(r._asdict())
        point = r.frequency_pct if pd.notna(r.frequency_pct) else (low * high) ** 0.5
        labels.append(f"{r.event}: {r.population}"[:60])
        points.append(point)
        lows.append(point - low if low is not None else 0.0)
        highs.append(high - point if high is not None else 0.0)
        kinds.append(kind if low is None else f"{kind} {fmt(low, 3)}-{fmt(high, 3)} %")
    fig = new_figure(title=f"Adverse events, % {DENOMINATOR_LABELS[denominator]}",
                     x_title=axis_title("Frequency", f"% {DENOMINATOR_LABELS[denominator]}, log scale"),
                     y_title=axis_title("Event and study", "-"))
    add_trace(fig, go.Scatter, x=points, y=labels, mode="markers", name="Reported frequency",
              marker=dict(color=PALETTE[0], size=12, symbol=["diamond-open" if k.startswith("range")
                                                              else "circle" for k in kinds]),
              error_x=dict(type="data", symmetric=False, array=highs, arrayminus=lows,
                           color=PALETTE[0], thickness=2),
              customdata=[k if k.startswith("range") else f"{fmt(p, 3)} % ({k})" for k, p in zip(kinds, points)],
              hovertemplate="%{y}<br>%{customdata}<extra></extra>")
    fig.layout.xaxis.type = "log"
    fig.layout.yaxis.update(autorange="reversed", title_text="", automargin=True)
    fig.layout.height = 220 + 40 * max(len(labels), 1)
    if labels:
        summary = (f"{len(labels)} reported frequencies {DENOMINATOR_LABELS[denominator]}, from "
                   f"{fmt(min(points), 3)} % to {fmt(max(points), 1)} %; a hollow diamond is the middle "
                   "of a reported range, not a measured value. Rates per infusion and per patient are "
                   "never on the same chart.")
    else:
        summary = f"No frequency {DENOMINATOR_LABELS[denominator]} is recorded for this selection."
    table = chosen[["event", "frequency_pct", "frequency_low_pct", "frequency_high_pct", "ci_low_pct",
                    "ci_high_pct", "population", "dose", "verified"]].rename(columns={
        "event": "Event", "frequency_pct": "Frequency (%)", "frequency_low_pct": "Range low (%)",
        "frequency_high_pct": "Range high (%)", "ci_low_pct": "95 % CI low (%)",
        "ci_high_pct": "95 % CI high (%)", "population": "Population", "dose": "Dose",
        "verified": "Verified"})
    return Chart(fig, summary, table.reset_index(drop=True))

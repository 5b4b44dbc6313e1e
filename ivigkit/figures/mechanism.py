"""Charts of notebook 02: the mechanism map and the autoantibody curves of the FcRn model."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ivigkit.pk import DoseComparison
from ivigkit.figures.theme import PALETTE, Chart, add_trace, axis_title, new_figure, series_style
from ivigkit.formatting import fmt

# Where each player sits on the map: a drawing layout chosen by us, not anatomy.
NODES = {
    "ivig": ("IVIG (pooled IgG)", 0.0, 2.0),
    "fcrn": ("FcRn (IgG recycling)", 1.6, 3.6),
    "autoantibodies": ("Autoantibodies", 3.2, 3.6),
    "fc_receptors": ("Fc receptors", 1.6, 2.6),
    "macrophages": ("Macrophages", 3.2, 2.6),
    "complement": ("Complement", 1.6, 1.6),
    "cytokines": ("Cytokines", 3.2, 1.6),
    "b_cells": ("B cells", 1.6, 0.4),
    "t_cells": ("T cells", 3.2, 0.4),
    "myelin": ("Myelin (the target in MS)", 4.8, 2.0),
}
CERTAINTY_LABELS = {"shown_in_patients": "shown in patients", "lab_or_animal_only": "lab or animal studies only",
                    "hypothesis": "a hypothesis", "not_supported": "not supported by the evidence"}


def path_nodes(map_path: str) -> list[str]:
    """The node ids of a mechanisms.csv map_path ('ivig;fcrn;autoantibodies')."""
    nodes = [n.strip() for n in str(map_path).split(";") if n.strip()]
    unknown = [n for n in nodes if n not in NODES]
    if unknown:
        raise ValueError(f"Unknown map node(s) {', '.join(unknown)}; use: {', '.join(NODES)}.")
    return nodes


def _edges(nodes: list[str]) -> list[tuple[str, str]]:
    return list(zip(nodes, nodes[1:]))


def mechanism_map_chart(mechanisms: pd.DataFrame, selected: str) -> Chart:
    """Every mechanism's path in grey, the selected one (a mechanism_id) in colour with arrows."""
    rows = mechanisms.set_index("mechanism_id")
    if selected not in rows.index:
        raise ValueError(f"There is no mechanism '{selected}' in the table.")
    chosen = path_nodes(rows.loc[selected, "map_path"])
    fig = new_figure(title=f"Mechanism map: {rows.loc[selected, 'name']}",
                     x_title=axis_title("Position on the map", "-"), y_title=axis_title("Position", "-"))
    every = {e for path in rows["map_path"] for e in _edges(path_nodes(path))}
    xs, ys = [], []
    for a, b in sorted(every):
        xs += [NODES[a][1], NODES[b][1], None]
        ys += [NODES[a][2], NODES[b][2], None]
    add_trace(fig, go.Scatter, x=xs, y=ys, mode="lines", name="Other proposed paths",
              line=dict(color="#bbbbbb", width=2), hoverinfo="skip")
    arrows = [dict(x=NODES[b][1], y=NODES[b][2], ax=NODES[a][1], ay=NODES[a][2], xref="x", yref="y",
                   axref="x", ayref="y", showarrow=True, arrowhead=3, arrowsize=1.3, arrowwidth=4,
                   arrowcolor=PALETTE[5], standoff=22, startstandoff=22, text="")
              for a, b in _edges(chosen)]
    ids = list(NODES)
    on_path = [n in chosen for n in ids]
    add_trace(fig, go.Scatter, x=[NODES[n][1] for n in ids], y=[NODES[n][2] for n in ids],
              mode="markers+text", name="Players (on this path: large, orange)",
              text=[NODES[n][0] for n in ids], textposition="bottom center",
              marker=dict(size=[30 if p else 16 for p in on_path],
                          color=[PALETTE[5] if p else PALETTE[4] for p in on_path],
                          symbol=["diamond" if p else "circle" for p in on_path],
                          line=dict(width=1, color="#222")),
              hovertemplate="%{text}<extra></extra>")
    fig.layout.annotations = arrows
    fig.layout.xaxis.update(visible=False, range=[-0.6, 5.6])
    fig.layout.yaxis.update(visible=False, range=[-0.3, 4.2])
    fig.layout.height = 520
    certainty = CERTAINTY_LABELS.get(rows.loc[selected, "certainty_in_ms"], rows.loc[selected, "certainty_in_ms"])
    steps = " → ".join(NODES[n][0] for n in chosen)
    summary = f"{rows.loc[selected, 'name']}: {steps}. In MS this is {certainty}."
    table = pd.DataFrame({"Mechanism": rows["name"], "Path": [
        " → ".join(NODES[n][0] for n in path_nodes(p)) for p in rows["map_path"]],
        "Certainty in MS": [CERTAINTY_LABELS.get(c, c) for c in rows["certainty_in_ms"]]})
    return Chart(fig, summary, table.reset_index(drop=True))


def autoantibody_chart(comparison: DoseComparison) -> Chart:
    """Autoantibody level (% of its starting level) over days for several doses
    (pk.autoantibody_by_dose)."""
    profiles = {f"{fmt(g, 1)} g/kg": p for g, p in comparison.profiles.items()}
    lows = {f"{fmt(g, 1)} g/kg": low for g, low in comparison.lows.items()}
    fig = new_figure(title="A marker autoantibody after IVIG (saturable FcRn model)",
                     x_title=axis_title("Day", "days from the first infusion"),
                     y_title=axis_title("Autoantibody level", "% of its level before IVIG"))
    for i, (label, profile) in enumerate(profiles.items()):
        add_trace(fig, go.Scatter, x=profile["day"], y=profile["autoantibody_pct"], mode="lines",
                  name=label, **series_style(i),
                  hovertemplate="day %{x:.0f}: %{y:.1f} %<extra>" + label + "</extra>")
    fig.layout.yaxis.range = [0, 105]
    parts = [f"{label}: lowest {fmt(low.lowest_pct)} % on day {fmt(low.day, 0)}"
             for label, low in lows.items()]
    summary = "In this teaching model the autoantibody falls further with a higher dose: " + "; ".join(parts) + "."
    first = next(iter(profiles.values()))
    table = pd.DataFrame({"Day": first["day"]})
    for label, profile in profiles.items():
        table[f"{label} (% of start)"] = profile["autoantibody_pct"].to_numpy()
    return Chart(fig, summary, table.iloc[::8].reset_index(drop=True))

"""One plotly look for the whole workbook, and the Chart object every figure factory returns.

A figure factory takes model results and returns a `Chart`: the figure, a one-sentence summary
computed from the same numbers (for screen readers and for students who would rather read), and
the table behind it. Figures are built without plotly's per-property validation (about 4 ms a
figure); tests/figures rebuild every figure with validation on and check it is unchanged.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

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

"""What sits beside every plot: its sentence in words and its data as an HTML table."""
from __future__ import annotations

from html import escape

import pandas as pd

from ivigkit.figures.theme import Chart
from ivigkit.formatting import fmt


def table_html(table: pd.DataFrame) -> str:
    """The data behind a figure as a plain, screen-reader-friendly HTML table."""
    return table.to_html(index=False, border=0, classes="ivig-data-table", escape=True,
                         float_format=lambda v: fmt(v, 2))


def summary_html(chart: Chart) -> str:
    """The chart's summary sentence as HTML."""
    return f'<p class="ivig-figure-summary"><b>In words:</b> {escape(chart.summary)}</p>'

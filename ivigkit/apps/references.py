"""A notebook's reference list, drawn from data/sources.csv."""
from __future__ import annotations

from html import escape

import ipywidgets as widgets

from ivigkit import data


def references(*source_ids: str) -> widgets.HTML:
    """Numbered reference list for the given source ids, with each source's verification."""
    rows = data.cite(list(source_ids))
    items = "".join(
        f"<li>{escape(data.format_reference(row))} "
        f"<small>(verified: {escape(str(row.verified))})</small></li>"
        for row in rows.itertuples())
    html = widgets.HTML(f'<ol class="ivig-references">{items}</ol>')
    html.add_class("ivig-references")
    return html

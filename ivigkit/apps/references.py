"""A notebook's reference list, drawn from data/sources.csv."""
from __future__ import annotations

from html import escape

from ivigkit import data
from ivigkit.data import catalog, learning_path
from ivigkit.apps.base import StaticHTML


def references(notebook: str) -> StaticHTML:
    """A notebook's numbered reference list ("03_evidence"): every source of the tables, model
    constants, self-check and narrative it uses (data/learning_path.yaml), with each source's
    verification."""
    rows = data.cite(learning_path.notebook_source_ids(notebook))
    items = "".join(
        f"<li>{escape(data.format_reference(row))} "
        f"<small>(verified: {escape(str(row.verified))})</small></li>"
        for row in rows.itertuples())
    return StaticHTML(f'<ol class="ivig-references">{items}</ol>', "ivig-references")


def further_reading(notebook: str) -> StaticHTML:
    """The notebook's further readings (data/learning_path.yaml): each source in full, why to read
    it, and its verification; for the notebook's "What's next"."""
    reasons = dict(learning_path.stop(notebook).further_reading)
    rows = data.cite(list(reasons))
    items = "".join(
        f"<li>{escape(data.format_reference(row))} <small>(verified: {escape(str(row.verified))})</small>"
        f"<br>{escape(reasons[row.id])}</li>" for row in rows.itertuples())
    return StaticHTML(f'<ul class="ivig-further-reading">{items}</ul>', "ivig-further-reading")


def source_items_html(cells) -> str:
    """<li> items citing every source in `cells` (``"a;b"`` cells or single ids), once each."""
    rows = data.cite(data.ids_in(cells))
    return "".join(f"<li>{escape(data.format_reference(r))}</li>" for r in rows.itertuples())


def assumptions(module: str) -> StaticHTML:
    """The constants a model uses (data/model_parameters.csv), with kind, verification and sources."""
    rows = catalog.model_parameters(module)
    body = "".join(
        f"<tr><td>{escape(r.description)}</td><td>{r.value:g} {escape(r.unit)}</td>"
        f"<td>{escape(r.kind.replace('_', ' '))}</td><td>{escape(r.verified)}</td>"
        f"<td>{escape(r.source_ids.replace(';', ', '))}</td></tr>" for r in rows.itertuples())
    return StaticHTML(
        f"<details><summary>Numbers this model uses ({len(rows)}), with their sources</summary>"
        "<table class='ivig-data-table'><tr><th>What</th><th>Value</th><th>Kind</th>"
        f"<th>Verified</th><th>Sources</th></tr>{body}</table></details>", "ivig-assumptions")

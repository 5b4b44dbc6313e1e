"""A notebook's reference list and a model's assumptions as plain HTML (no widget models)."""
from __future__ import annotations

from ivigkit import data
from ivigkit.apps.base import StaticHTML
from ivigkit.apps.references import assumptions, references
from ivigkit.data import learning_path


def test_references_list_every_source_of_the_notebook_once_with_its_verification():
    html = references("03_evidence")
    assert isinstance(html, StaticHTML)
    ids = learning_path.notebook_source_ids("03_evidence")
    assert html.value.count("<li>") == len(ids)
    first = data.cite(ids[:1]).iloc[0]
    assert data.format_reference(first).split(".")[0] in html.value
    assert "(verified:" in html.value and 'class="ivig-references"' in html._repr_html_()


def test_assumptions_show_each_constant_with_its_kind_and_sources():
    html = assumptions("infusion").value
    assert "Numbers this model uses" in html and "assumption" in html

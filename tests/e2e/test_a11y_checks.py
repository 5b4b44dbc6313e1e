"""The accessibility checks themselves can fail: a page with an unlabelled slider, an empty button,
a button named only by a hidden attribute and a bare plot is caught, a labelled control is not."""
from __future__ import annotations

import pytest

from tests.support.a11y import control_problems, figure_problems

pytestmark = [pytest.mark.browser]

PAGE = """<!doctype html><html><body>
<div class="jupyter-widgets">
  <input type="range" min="0" max="10">
  <button></button>
  <button aria-label="Reset">&#8635;</button>
  <label>Body weight (kg) <input type="number" value="70"></label>
  <button>Show data table</button>
</div>
<div class="ivig-figure"><div class="js-plotly-plot" style="height:10px"></div>
  <p class="ivig-figure-summary">Summary</p></div>
<div class="js-plotly-plot" style="height:10px"></div>
</body></html>"""


def test_the_checks_catch_unnamed_and_unseen_names_and_bare_plots(chromium):
    page = chromium.new_page()
    try:
        page.set_content(PAGE)
        controls = control_problems(page)
        assert any(p.startswith("slider without an accessible name") for p in controls), controls
        assert any(p.startswith("button without an accessible name") for p in controls), controls
        assert any("'Reset' is named only by attribute" in p for p in controls), controls
        assert not any("Body weight" in p or "Show data table" in p for p in controls), controls
        figures = figure_problems(page, open_tables=0)
        assert any("plot 0 has no summary sentence" in p for p in figures), figures
        assert any("plot 1 is not in an .ivig-figure panel" in p for p in figures), figures
    finally:
        page.close()

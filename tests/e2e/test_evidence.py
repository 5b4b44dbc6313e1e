"""Notebook 03 in Chromium: filter the evidence explorer, pool, open a study card, check a claim.

Explicit waits only; no sleeps.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.pages import (FIRST_RENDER_MS, OUTPUTS_RENDERED, UPDATE_MS, assert_clean, open_notebook)

pytestmark = [pytest.mark.browser, pytest.mark.voila]

NOTEBOOK = "03_evidence.ipynb"
EXPLORER = ".ivig-app-EvidenceExplorerApp"
CLAIMS = ".ivig-app-ClaimCheckApp"

# The y labels (one per study row) of the forest plot in the given app, as plotly drew them.
FOREST_LABELS = """(app) => {
  const g = document.querySelector(app + ' .ivig-figure .js-plotly-plot');
  if (!g || !g._fullData || !g._fullData.length) return null;
  return JSON.stringify(g._fullData.map(t => Array.from(t.y || [])));
}"""
FOREST_CHANGED = f"""([app, before]) => {{ const now = ({FOREST_LABELS})(app);
  return now !== null && now !== before; }}"""


@pytest.mark.timeout(300)
def test_filter_pool_study_card_and_claim(app_page):
    page = app_page.page

    def ready(page) -> None:
        page.wait_for_function(OUTPUTS_RENDERED, timeout=FIRST_RENDER_MS, polling=100)
        page.wait_for_function(f"() => document.querySelectorAll('{EXPLORER} .js-plotly-plot')"
                                       ".length >= 2", timeout=FIRST_RENDER_MS, polling=100)

    open_notebook(app_page, NOTEBOOK, ready)

    # The second explorer opens on RRMS / relapse-free: the crossover trial blocks pooling.
    app = page.locator(EXPLORER).nth(1)
    app_id = "ivig-e2e-explorer"
    app.evaluate(f"(el) => el.id = '{app_id}'")
    sel = f"#{app_id}"
    pooling = app.locator(".ivig-result")
    expect(pooling).to_contain_text("Not pooled")
    expect(pooling).to_contain_text("crossover")
    labels0 = page.wait_for_function(f"() => ({FOREST_LABELS})('{sel}')", timeout=UPDATE_MS).json_value()
    assert "crossover" in labels0.lower()

    # Parallel-group trials only: pooled, and the diamond is drawn as a second trace.
    app.get_by_label("Parallel-group randomised trials only").check()
    expect(pooling).to_contain_text("Pooled 2 parallel-group randomised trials", timeout=UPDATE_MS)
    page.wait_for_function(FOREST_CHANGED, arg=[sel, labels0], timeout=UPDATE_MS, polling=100)
    drawn = page.evaluate(f"() => ({FOREST_LABELS})('{sel}')")
    assert "Pooled" in drawn and "crossover" not in drawn.lower()

    # Filter to SPMS disability: ESIMS appears in the plot and in the study list.
    app.get_by_label("Parallel-group randomised trials only").uncheck()
    app.get_by_label("Population", exact=True).select_option(label="Secondary progressive MS")
    app.get_by_label("Outcome", exact=True).select_option(label="Disability (EDSS, progression)")
    page.wait_for_function(f"""() => {{ const l = ({FOREST_LABELS})('{sel}');
        return l !== null && l.includes('ESIMS'); }}""", timeout=UPDATE_MS, polling=100)
    study = app.get_by_label("Study card", exact=True)
    expect(study.locator("option", has_text="ESIMS")).to_have_count(1, timeout=UPDATE_MS)
    study.select_option(label=study.locator("option", has_text="ESIMS").inner_text())
    card = app.locator(".ivig-card")
    expect(card).to_contain_text("Hommes", timeout=UPDATE_MS)
    expect(card).to_contain_text("1.11")

    # Check a claim: pick one, choose a verdict, reveal the evidence.
    claims = page.locator(CLAIMS)
    claims.locator("select").select_option(index=2)
    feedback = claims.locator(".ivig-card")
    expect(feedback).to_have_text("")
    claims.get_by_role("button", name="Show the evidence").click()
    expect(claims.locator(".ivig-error")).to_contain_text("Choose a verdict first", timeout=UPDATE_MS)
    claims.get_by_label("Wrong number").check()
    claims.get_by_role("button", name="Show the evidence").click()
    expect(feedback).to_contain_text("the evidence says", timeout=UPDATE_MS)
    expect(feedback).to_contain_text("Studies that decide it")

    assert_clean(app_page, app_errors_expected=True)

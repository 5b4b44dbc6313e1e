"""Notebook 01 in Chromium: switch the course explorer, run the simulator with a treatment,
type a bad relapse rate, and filter the symptom map.

Explicit waits only; no sleeps.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.pages import (FIRST_RENDER_MS, OUTPUTS_RENDERED, UPDATE_MS, assert_clean, open_notebook)

pytestmark = [pytest.mark.browser, pytest.mark.voila]

NOTEBOOK = "01_ms_courses.ipynb"
SIMULATOR = ".ivig-app-CourseSimulatorApp"

# The x values of each trace of the simulator's plot, as plotly drew them.
PLOT_DATA = """(app) => {
  const g = document.querySelector(app + ' .js-plotly-plot');
  if (!g || !g._fullData || !g._fullData.length) return null;
  return JSON.stringify(g._fullData.map(t => [t.name, Array.from(t.y || []).length]));
}"""


@pytest.mark.timeout(300)
def test_explorer_simulator_and_symptom_map(app_page):
    page = app_page.page

    def ready(page) -> None:
        page.wait_for_function(OUTPUTS_RENDERED, timeout=FIRST_RENDER_MS, polling=100)
        page.wait_for_function(f"() => ({PLOT_DATA})('{SIMULATOR}') !== null",
                               timeout=FIRST_RENDER_MS, polling=100)

    open_notebook(app_page, NOTEBOOK, ready)

    # Course explorer: PPMS card.
    explorer = page.locator(".ivig-app-CourseExplorerApp")
    explorer.get_by_role("button", name="PPMS", exact=True).click()
    expect(explorer.locator(".ivig-card")).to_contain_text("Primary progressive", timeout=UPDATE_MS)

    # Simulator: treatment from AIMS lowers the relapse count and adds the untreated median.
    sim = page.locator(SIMULATOR)
    card = sim.locator(".ivig-result")
    expect(card).to_contain_text("relapses per patient untreated")
    before = page.evaluate(f"() => ({PLOT_DATA})('{SIMULATOR}')")
    sim.get_by_label("Treatment on").check()
    sim.get_by_label("Treatment effect", exact=True).select_option(index=1)  # the first trial
    expect(card).to_contain_text("Relapses avoided", timeout=UPDATE_MS)
    expect(card).to_contain_text("rate ratio of 0.41")
    page.wait_for_function(f"""() => {{ const now = ({PLOT_DATA})('{SIMULATOR}');
        return now !== null && now !== {before!r} && now.includes('Median, untreated'); }}""",
                           timeout=UPDATE_MS, polling=100)

    # A bad relapse rate is explained beside the controls and the card stays.
    good = card.inner_text()
    box = sim.get_by_label("Relapses per year (untreated)", exact=True)
    box.fill("-2")
    box.press("Enter")
    expect(sim.locator(".ivig-message .ivig-error")).to_contain_text(
        "relapse rate must be between 0 and 5", timeout=UPDATE_MS)
    assert card.inner_text() == good

    # Symptom map: filter to the spinal cord.
    symptoms = page.locator(".ivig-app-SymptomMapApp")
    symptoms.get_by_role("button", name="Spinal cord", exact=True).click()
    expect(symptoms.locator("table").first).to_contain_text("Lhermitte", timeout=UPDATE_MS)
    expect(symptoms.locator("table").first).not_to_contain_text("Optic neuritis")

    assert_clean(app_page, app_errors_expected=True)

"""Notebook 02 in Chromium: select a mechanism on the map, then move the FcRn app's dose.

Explicit waits only; no sleeps.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.pages import (FIRST_RENDER_MS, OUTPUTS_RENDERED, UPDATE_MS, assert_clean, open_notebook)

pytestmark = [pytest.mark.browser, pytest.mark.voila]

NOTEBOOK = "02_ivig_mechanisms.ipynb"
MAP = ".ivig-app-MechanismMapApp"
FCRN = ".ivig-app-FcRnApp"

# The plot's title and trace names as plotly drew them.
DRAWN = """(app) => {
  const g = document.querySelector(app + ' .js-plotly-plot');
  if (!g || !g._fullData || !g._fullData.length) return null;
  return JSON.stringify([g._fullLayout.title.text, g._fullData.map(t => t.name),
                         (g._fullLayout.annotations || []).length]);
}"""


@pytest.mark.timeout(300)
def test_select_a_mechanism_and_move_the_dose(app_page):
    page = app_page.page

    def ready(page) -> None:
        page.wait_for_function(OUTPUTS_RENDERED, timeout=FIRST_RENDER_MS, polling=100)
        for app in (MAP, FCRN):
            page.wait_for_function(f"() => ({DRAWN})('{app}') !== null",
                                   timeout=FIRST_RENDER_MS, polling=100)

    open_notebook(app_page, NOTEBOOK, ready)

    # Mechanism map: pick another mechanism; its name heads the map and its card.
    mechanism_map = page.locator(MAP)
    select = mechanism_map.get_by_label("Mechanism", exact=True)
    before = page.evaluate(f"() => ({DRAWN})('{MAP}')")
    option = select.locator("option").nth(1)
    name = option.inner_text().replace("\xa0", " ")  # ipywidgets shows labels with no-break spaces
    select.select_option(index=1)
    expect(mechanism_map.locator(".ivig-card h4")).to_have_text(name, timeout=UPDATE_MS)
    page.wait_for_function(f"""() => {{ const now = ({DRAWN})('{MAP}');
        return now !== null && now !== {before!r} && now.includes({name!r}); }}""",
                           timeout=UPDATE_MS, polling=100)

    # FcRn app: from 2 g/kg down to 0.5 g/kg; the card's dose and the drawn traces follow.
    fcrn = page.locator(FCRN)
    card = fcrn.locator(".ivig-result")
    expect(card).to_contain_text("2 g/kg")
    before = page.evaluate(f"() => ({DRAWN})('{FCRN}')")
    slider = fcrn.locator(".widget-slider").first.locator(".noUi-handle")
    slider.focus()
    for _ in range(15):  # 2.0 -> 0.5 g/kg in 0.1 steps
        page.keyboard.press("ArrowLeft")
    expect(card).to_contain_text("0.5 g/kg", timeout=UPDATE_MS)
    page.wait_for_function(f"""() => {{ const now = ({DRAWN})('{FCRN}');
        return now !== null && now !== {before!r} && now.includes('0.5 g/kg'); }}""",
                           timeout=UPDATE_MS, polling=100)

    assert_clean(app_page, app_errors_expected=False)

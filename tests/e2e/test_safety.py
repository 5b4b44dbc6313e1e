"""Notebook 05 in Chromium: tick screening factors and see the flags and products change.

Explicit waits only; no sleeps.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.pages import (FIRST_RENDER_MS, OUTPUTS_RENDERED, UPDATE_MS, assert_clean, open_notebook)

pytestmark = [pytest.mark.browser, pytest.mark.voila]

NOTEBOOK = "05_giving_ivig_safely.ipynb"
SCREEN = ".ivig-app-ScreeningApp"


def product_status(app, name: str):
    """The Status cell of a product's row in the screening app's product table."""
    return app.locator("table tr", has=app.page.get_by_role("cell", name=name, exact=True)).locator("td").nth(1)


@pytest.mark.timeout(300)
def test_ticking_factors_changes_flags_and_products(app_page):
    page = app_page.page

    def ready(page) -> None:
        page.wait_for_function(OUTPUTS_RENDERED, timeout=FIRST_RENDER_MS, polling=100)
        expect(page.locator(SCREEN)).to_have_count(1, timeout=FIRST_RENDER_MS)
        expect(page.locator(SCREEN).locator("table")).to_have_count(1, timeout=FIRST_RENDER_MS)

    open_notebook(app_page, NOTEBOOK, ready)

    app = page.locator(SCREEN)
    flags = app.locator(".ivig-result")
    expect(flags).to_contain_text("No factor ticked")
    expect(product_status(app, "Octagam 10%")).to_have_text("suitable")

    # A GDH-PQQ glucose meter: the maltose products become unsuitable.
    from ivigkit import screening

    meter = screening.factors().loc["glucose_meter_gdh_pqq", "factor"]
    app.get_by_label(meter, exact=True).check()
    expect(flags).not_to_contain_text("No factor ticked", timeout=UPDATE_MS)
    expect(product_status(app, "Octagam 10%")).to_have_text("unsuitable", timeout=UPDATE_MS)

    # Unticking the meter brings Octagam back.
    app.get_by_label(meter, exact=True).uncheck()
    expect(product_status(app, "Octagam 10%")).to_have_text("suitable", timeout=UPDATE_MS)

    # IgA deficiency with anti-IgA antibodies: a contraindication, shown first.
    iga = screening.factors().loc["iga_deficiency_anti_iga", "factor"]
    app.get_by_label(iga, exact=True).check()
    expect(flags.locator("li").first).to_contain_text("CONTRAINDICATION", timeout=UPDATE_MS)

    assert_clean(app_page, app_errors_expected=False)

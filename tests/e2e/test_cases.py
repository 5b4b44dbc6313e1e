"""Notebook 06 in Chromium: work one case to the end with a chosen case number.

The right answers come from ivigkit in this process for the same case and case number, so the
page must grade them correct and the score must reach the number of decisions. Explicit waits only.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.pages import (FIRST_RENDER_MS, OUTPUTS_RENDERED, UPDATE_MS, assert_clean, open_notebook)
from tests.support.pages import set_answer, start_self_check

pytestmark = [pytest.mark.browser, pytest.mark.voila]

NOTEBOOK = "06_patient_cases.ipynb"
APP = ".ivig-app-CaseApp"
CASE_ID, SEED = "obese_dosing_weight", 314


@pytest.mark.timeout(300)
def test_work_one_case_to_the_end(app_page):
    from ivigkit import cases

    page = app_page.page

    def ready(page) -> None:
        page.wait_for_function(OUTPUTS_RENDERED, timeout=FIRST_RENDER_MS, polling=100)
        expect(page.locator(APP).locator(".ivig-quiz")).to_have_count(1, timeout=FIRST_RENDER_MS)

    open_notebook(app_page, NOTEBOOK, ready)

    app = page.locator(APP)
    title = cases.case(CASE_ID)["title"]
    app.get_by_label("Case", exact=True).select_option(label=title)
    number = app.get_by_label("Case number", exact=True)
    number.fill(str(SEED))
    number.press("Enter")
    expect(app.locator(".ivig-card")).to_contain_text(f"Case number {SEED}", timeout=UPDATE_MS)
    quiz = cases.case_quiz(CASE_ID, SEED)
    expect(app.locator(".ivig-quiz h3")).to_contain_text(f"(case number {SEED})", timeout=UPDATE_MS)

    start_self_check(app.locator(".ivig-quiz"))
    boxes = app.locator(".ivig-quiz-question")
    expect(boxes).to_have_count(len(quiz.questions))
    for i, question in enumerate(quiz.questions):
        box = boxes.nth(i)
        kind = "numeric" if question.type == "numeric" else question.type
        set_answer(box, kind, texts=[o.text for o in question.options if o.correct],
                   number=f"{question.answer:.1f}" if question.answer is not None else "0")
        box.locator(".ivig-quiz-check").click()
        expect(box.locator(".ivig-quiz-feedback")).to_contain_text("Correct", timeout=UPDATE_MS)
    expect(app.locator(".ivig-quiz-score")).to_contain_text(
        f"Score: {len(quiz.questions)} / {len(quiz.questions)}", timeout=UPDATE_MS)

    assert_clean(app_page, app_errors_expected=False)

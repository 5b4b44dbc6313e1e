"""Every teaching notebook as a reveal.js slide deck (Voila's reveal template, the workbook's
ivigkit-reveal variant), offline: the deck is built from the cells' slide metadata, its
stylesheets and scripts come from this machine, the arrow keys move through it, and the widgets
on the self-check slide work. No request may leave the machine or fail, and no console error.

Explicit waits only; no sleeps.
"""
from __future__ import annotations

from urllib.parse import quote

import nbformat
import pytest

from tests.support.a11y import control_problems
from tests.support.pages import FIRST_RENDER_MS, assert_clean, open_page
from tests.support.pages import check_first_question

pytestmark = [pytest.mark.browser, pytest.mark.voila]

SLIDES_TEMPLATE = "ivigkit-reveal"
DECK_READY = "() => !!document.querySelector('.reveal.ready')"
PRESENT_INDEX = """() => { const s = document.querySelector('.reveal .slides > section.present');
    return s ? [...s.parentElement.children].indexOf(s) : -1; }"""
# The notebook's own self-check is the last quiz on the page (notebook 06's case app has one too).
PRESENT_HAS_QUIZ = """() => { const quiz = [...document.querySelectorAll('.ivig-quiz')].pop();
    const slide = document.querySelector('.reveal .slides > section.present');
    return !!(quiz && slide && slide.contains(quiz)); }"""


def slides_url(base_url: str, notebook_name: str) -> str:
    return f"{base_url}/voila/render/{quote(notebook_name)}?template={SLIDES_TEMPLATE}"


def expected_slides(notebook, slide_type: str = "slide") -> int:
    nb = nbformat.read(notebook, as_version=4)
    return sum(c.metadata.get("slideshow", {}).get("slide_type") == slide_type for c in nb.cells)


def open_deck(app_page, notebook) -> None:
    """Open a notebook's deck and wait until every output is rendered and reveal.js is ready."""
    def ready(page) -> None:
        page.wait_for_function(DECK_READY, timeout=FIRST_RENDER_MS, polling=200)
        page.wait_for_load_state("networkidle", timeout=FIRST_RENDER_MS)

    open_page(app_page, slides_url(app_page.base_url, notebook.name), ready)


@pytest.mark.timeout(240)
def test_slide_deck_presents_offline(app_page, notebook):
    page = app_page.page
    open_deck(app_page, notebook)

    slides = page.locator(".reveal .slides > section")
    assert slides.count() == expected_slides(notebook), "one slide per cell marked 'slide'"
    title = nbformat.read(notebook, as_version=4).cells[0].source.splitlines()[0].lstrip("# ")
    assert title.lower() in slides.first.inner_text().lower()
    # The vendored reveal.js theme is in use (its own font), not the page's default styles.
    font = page.evaluate("() => getComputedStyle(document.querySelector('.reveal')).fontFamily")
    assert "Source Sans Pro" in font, font
    # Speaker notes are in the deck for the presenter's view (S), never on the audience's screen.
    notes = page.locator(".reveal aside.notes")
    assert notes.count() == expected_slides(notebook, "notes"), "one <aside class=notes> per notes cell"
    assert not any(notes.nth(i).is_visible() for i in range(notes.count())), "speaker notes on screen"

    # The keyboard moves through the deck; walk to the self-check slide and use its widgets.
    page.locator(".reveal").click(position={"x": 5, "y": 5})
    assert page.evaluate(PRESENT_INDEX) == 0
    for _ in range(slides.count()):
        if page.evaluate(PRESENT_HAS_QUIZ):
            break
        before = page.evaluate(PRESENT_INDEX)
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"() => ({PRESENT_INDEX})() > {before}", timeout=10_000)
    assert page.evaluate(PRESENT_HAS_QUIZ), "no slide holds the self-check"
    problems = control_problems(page)
    assert not problems, "\n".join(problems)
    check_first_question(app_page, notebook)

    assert_clean(app_page, app_errors_expected=False)

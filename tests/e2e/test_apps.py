"""Every notebook as a Voila app in Chromium, offline: renders cleanly, plots draw, every control
is labelled and every figure has its summary and data table, the self-check works, and so does a
predict-first box (commit, then compare).

Explicit waits only (wait_for_selector / wait_for_function / expect); no sleeps.
"""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.support import NOTEBOOKS
from tests.support.a11y import control_problems, figure_problems
from tests.support.pages import (
    OUTPUTS_RENDERED,
    check_first_prediction,
    check_first_question,
    grown_viewport,
    open_page,
    page_problems,
)

pytestmark = [pytest.mark.browser, pytest.mark.voila]

FIRST_RENDER_MS = 60_000  # cold kernel + notebook execution + widget frontend on 2 cores

PLOTS_DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .every(g => g._fullData && g._fullData.length > 0)"""

# Every figure panel on screen (not in a hidden tab) holds a plot that plotly has drawn; without
# this, counting plots right after the network settles can run before a plot view exists.
VISIBLE_FIGURES_DRAWN = """() => [...document.querySelectorAll('.ivig-figure')]
  .filter(f => f.offsetParent !== null)
  .every(f => { const g = f.querySelector('.js-plotly-plot');
                return g && g._fullData && g._fullData.length > 0; })"""


def open_app(app, notebook: Path) -> dict[str, float]:
    """Open a notebook's app and wait until widgets and plots are drawn; return timings (s)."""
    t0 = time.monotonic()
    found: dict[str, float] = {}

    def ready(page) -> None:
        page.wait_for_function(OUTPUTS_RENDERED, timeout=FIRST_RENDER_MS, polling=100)
        page.wait_for_selector(".jupyter-widgets, .widget-box", timeout=FIRST_RENDER_MS)
        found["widgets"] = time.monotonic() - t0
        # Widget views inside boxes (e.g. a plot's Output) are created asynchronously and
        # plotly.js is fetched on demand: let the network settle before counting plots.
        page.wait_for_load_state("networkidle", timeout=FIRST_RENDER_MS)
        page.wait_for_function(VISIBLE_FIGURES_DRAWN, timeout=FIRST_RENDER_MS, polling=100)
        found["plots"] = page.locator(".js-plotly-plot").count()
        if found["plots"]:
            page.wait_for_function(PLOTS_DRAWN, timeout=FIRST_RENDER_MS, polling=100)

    open_page(app, f"{app.base_url}/voila/render/{quote(notebook.name)}", ready)
    return {**found, "ready": time.monotonic() - t0}


def full_page_screenshot(page, path: Path) -> None:
    """The whole app page as one PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with grown_viewport(page):
        page.screenshot(path=str(path), full_page=True)


@pytest.mark.timeout(240)
def test_app_renders_and_self_check_works(app_page, notebook, artifacts_dir):
    page = app_page.page
    timings = open_app(app_page, notebook)

    problems = page_problems(page)
    assert not problems, (f"{notebook.name} on first load:\n" + "\n".join(problems)
                          + "\npage log:\n" + "\n".join(app_page.log.problems()))

    # Accessibility: named, labelled controls; every plot with its sentence and its table.
    problems = control_problems(page) + figure_problems(page)
    assert not problems, f"{notebook.name} accessibility:\n" + "\n".join(problems)

    t0 = time.monotonic()
    check_first_question(app_page, notebook)
    timings["quiz"] = time.monotonic() - t0
    check_first_prediction(app_page, notebook)

    full_page_screenshot(page, artifacts_dir / "screenshots" / f"{notebook.stem}.png")

    # Console errors, page errors and failed requests (loopback or not) all count.
    problems = page_problems(page) + app_page.log.problems()
    assert not problems, f"{notebook.name}:\n" + "\n".join(problems)
    print(
        f"{notebook.stem}: widgets {timings['widgets']:.1f} s, ready {timings['ready']:.1f} s "
        f"({timings['plots']} plots), quiz {timings['quiz']:.1f} s, "
        f"external requests: {len(app_page.log.external_requests)}"
    )


@pytest.mark.timeout(240)
@pytest.mark.parametrize("notebook", NOTEBOOKS[:1], ids=[p.stem for p in NOTEBOOKS[:1]])
def test_download_answers_csv(app_page, notebook, tmp_path):
    """After a check, the CSV link downloads a file with a header row and the question's id."""
    page = app_page.page
    open_app(app_page, notebook)
    spec, quiz = check_first_question(app_page, notebook)

    link = quiz.locator('.ivig-quiz-download a[download$=".csv" i]').first
    with page.expect_download(timeout=30_000) as info:
        link.click()
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.suffix == ".csv"
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert len(rows) >= 2, f"expected a header row and at least one answer, got {rows!r}"
    header = rows[0]
    assert "question_id" in header, f"no question_id column in header {header!r}"
    ids = {row[header.index("question_id")] for row in rows[1:]}
    if spec is not None:
        assert spec.questions[0].id in ids, f"{spec.questions[0].id!r} not among {ids!r}"
    assert not app_page.log.problems(), "\n".join(app_page.log.problems())

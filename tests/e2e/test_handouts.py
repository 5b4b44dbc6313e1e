"""`make handouts` (tools/handouts.py), one notebook: a self-contained HTML file without code, the
worked examples with their numbers, tasks with space to answer, and figures that Chromium draws with
every non-file request refused; and a PDF printed by the same Chromium. One notebook keeps it fast."""
from __future__ import annotations

import re

import pytest

from tests.support import REPO
from tools import handouts

pytestmark = [pytest.mark.browser]

NOTEBOOK = REPO / "notebooks" / "00_start_here.ipynb"


@pytest.fixture(scope="module")
def built(chromium, tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    return handouts.build(NOTEBOOK, out, browser=chromium)


def test_the_handout_is_one_file_with_no_code_and_nothing_to_fetch(built):
    html_path, _ = built
    text = html_path.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)=", text, re.I), "the page must load nothing"
    assert "Plotly.newPlot" in text and "plotly.js" in text.lower()  # the bundled plotly.js, inline
    assert "from ivigkit" not in text and "DoseArithmeticApp" not in text and "In&nbsp;[" not in text
    assert "<pre>28.0 g\n</pre>" in text  # the worked example, with its number
    assert text.count('<ol class="tasks">') == 2  # both "Try it" blocks leave space to answer
    assert "As the app opens:</b> Body weight (kg): 70; Dose (g/kg): 0.4" in text


def test_task_answers_move_to_the_last_page_and_the_self_check_keeps_its_answers_to_itself(built):
    from ivigkit import quiz

    html_path, _ = built
    text = html_path.read_text(encoding="utf-8")
    body, answers = text.split('<section class="handout-answers">')
    first_answer = "It rescues IgG from being broken"  # the glossary task's answer in notebook 00
    assert first_answer in answers and first_answer not in body
    spec = quiz.load_quiz("00_start_here")
    assert all(q.prompt.split(" (")[0][:40] in text for q in spec.questions)  # the questions are there
    feedback = [o.feedback for q in spec.questions for o in q.options] + [q.explanation for q in spec.questions]
    assert not [f for f in feedback if f and f in text]  # their feedback is not


def test_the_handout_opens_offline_with_its_figures_drawn(chromium, built):
    html_path, _ = built
    page = handouts.offline_page(chromium)
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(html_path.as_uri(), wait_until="load")
        page.wait_for_function(handouts.PLOTS_DRAWN, timeout=30_000)
        figures = page.locator(".handout-figure")
        assert figures.count() == 1
        assert page.locator(".handout-figure svg.main-svg .scatterlayer .trace").count() == 2  # line and patient
        assert "Grams needed at 0.4 g/kg" in figures.first.inner_text()
    finally:
        page.close()
    assert [u for u in requests if not u.startswith("file:")] == []
    assert errors == []


def test_the_pdf_is_printed(built):
    _, pdf_path = built
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 20_000
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 3

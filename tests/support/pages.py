"""Small helpers the browser tests and benchmarks share: waits, page checks, the self-check."""
from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

# True once Voila has streamed every cell, started its frontend and rendered every output: the
# page-level spinner is gone, no cell-output <script> is left to render, and every output area
# holds something. Controls are only live after this.
OUTPUTS_RENDERED = """() => {
  if (document.readyState === 'loading' || document.getElementById('loading')) return false;
  if (!document.getElementById('rendered_cells')) return false;
  if (document.querySelector('script[type="application/vnd.voila.cell-output+json"]')) return false;
  // A JavaScript output draws nothing of its own: it has run once it is in the page.
  return [...document.querySelectorAll('#rendered_cells .jp-OutputArea-output')]
    .every(o => o.childElementCount > 0 || o.textContent.trim() !== ''
                || o.dataset.mimeType === 'application/javascript');
}"""

CONTENT_HEIGHT = """() => { const c = document.getElementById('rendered_cells');
    return c ? c.getBoundingClientRect().top + c.scrollHeight : document.body.scrollHeight; }"""
NO_INNER_SCROLL = """() => { const c = document.getElementById('rendered_cells');
    return !c || c.scrollHeight <= c.clientHeight + 1; }"""


MAX_SCREENSHOT_PX = 16_000  # Chromium's limit for one screenshot is about 16,384 px


@contextlib.contextmanager
def grown_viewport(page):
    """Voila's lab layout scrolls inside #rendered_cells, so a screenshot stops at the viewport:
    grow the viewport to the content's height for the duration, then put it back."""
    size = page.viewport_size
    height = int(page.evaluate(CONTENT_HEIGHT)) + 20
    page.set_viewport_size({"width": size["width"], "height": min(height, MAX_SCREENSHOT_PX)})
    if height <= MAX_SCREENSHOT_PX:  # a longer page is shot down to the cap
        page.wait_for_function(NO_INNER_SCROLL, timeout=10_000)
    try:
        yield
    finally:
        page.set_viewport_size(size)


# Every widget view has left "Loading widget..." (drawn, or failed for good), or one shows
# "Error displaying widget": with the outputs rendered, the page is as whole as it will get.
# A failed view never recovers (see page_problems); nothing here waits for it or reloads.
PAGE_SETTLED = f"""() => {{
  const cells = document.getElementById('rendered_cells');
  if (!cells) return false;
  if (cells.textContent.includes('Error displaying widget')) return true;
  return ({OUTPUTS_RENDERED})() && !cells.textContent.includes('Loading widget...');
}}"""


def open_page(app_page, url: str, ready) -> None:
    """Open `url` once, wait until every widget view has settled, fail at once on anything a
    student must not see, then call ready(page) for the test's own waits."""
    page = app_page.page
    page.goto(url, wait_until="commit")
    page.wait_for_function(PAGE_SETTLED, timeout=FIRST_RENDER_MS, polling=100)
    problems = page_problems(page) + app_page.log.problems()
    assert not problems, f"{url} on first load:\n" + "\n".join(problems)
    ready(page)


# Anything a student must never see: server tracebacks, stderr, Voila's error text, and (unless
# the test provoked one on purpose) a visible app error message.
_PAGE_PROBLEMS = """(appErrorsExpected) => {
  const out = [];
  for (const e of document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]'))
    out.push('stderr/error output: ' + e.innerText.trim().slice(0, 300));
  const text = document.body.innerText;
  for (const n of ['Traceback (most recent call last)', 'There was an error when executing cell',
                   'Error displaying widget', 'Javascript Error'])
    if (text.includes(n)) out.push('page text contains ' + JSON.stringify(n));
  if (!appErrorsExpected)
    for (const e of document.querySelectorAll('.ivig-error'))
      if (e.offsetParent !== null && e.innerText.trim())
        out.push('visible .ivig-error: ' + e.innerText.trim().slice(0, 200));
  return out;
}"""


def page_problems(page, *, app_errors_expected: bool = False) -> list[str]:
    """What is wrong on the page as a student would see it (empty when all is well)."""
    return page.evaluate(_PAGE_PROBLEMS, app_errors_expected)


# Waits of the notebook browser tests: a cold first render on 2 cores, and one control change.
FIRST_RENDER_MS = 90_000
UPDATE_MS = 20_000


def open_notebook(app_page, notebook: str, ready) -> None:
    """Open a notebook's Voila app (open_page) and fail on anything a student must not see once
    the test's ready(page) wait is over."""
    from urllib.parse import quote

    open_page(app_page, f"{app_page.base_url}/voila/render/{quote(notebook)}", ready)
    problems = page_problems(app_page.page, app_errors_expected=False)
    assert not problems, f"{notebook} on first load:\n" + "\n".join(problems)


def assert_clean(app_page, *, app_errors_expected: bool) -> None:
    """No visible problem on the page, and no console error or failed or external request."""
    problems = page_problems(app_page.page, app_errors_expected=app_errors_expected)
    assert not problems, "\n".join(problems)
    assert not app_page.log.problems(), "\n".join(app_page.log.problems())


RACE_SIGNS = ("Error displaying widget", "model not found")


@dataclass
class PageLoad:
    """One load of a page in a fresh browser context: its kernel, how long until every widget
    view settled (s), and every problem seen (page_problems and the page log)."""

    kernel_id: str | None
    seconds: float
    problems: list[str]

    @property
    def broken(self) -> bool:
        """The widget race's mark: a view that failed for good because its model was not found."""
        return any(sign in p for p in self.problems for sign in RACE_SIGNS)

    @property
    def other(self) -> list[str]:
        return [p for p in self.problems if not any(sign in p for sign in RACE_SIGNS)]


def load_whole_page(browser, base_url: str, notebook: str, *, timeout_s: float = 90.0) -> PageLoad:
    """Load a notebook's Voila app once in a fresh offline context, wait until every widget view
    has settled, record what a student would see, and close the tab as a student does."""
    import re
    import time
    from urllib.parse import quote

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from tests.support.browser import offline_page

    context, page, log = offline_page(browser, viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    t0 = time.monotonic()
    try:
        page.goto(f"{base_url}/voila/render/{quote(notebook)}", wait_until="commit")
        try:
            page.wait_for_function(PAGE_SETTLED, timeout=timeout_s * 1e3, polling=100)
        except PlaywrightTimeout:
            problems.append(f"not whole after {timeout_s:g} s")
        seconds = time.monotonic() - t0
        problems += page_problems(page) + log.problems()
        # From the page's HTML, which a main thread still busy drawing cannot hold up.
        found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.content())
        kernel_id = found.group(1) if found else None
    finally:
        with page.expect_event("close"):  # the tab is gone before the browser context goes
            page.close(run_before_unload=True)
        context.close()
    return PageLoad(kernel_id, seconds, problems)


# ---------------------------------------------------------------- the self-check, as a learner

FEEDBACK = re.compile(r"Correct|Not quite")
CORRECT = re.compile(r"^\W*Correct")  # feedback starts "✓ Correct" (ignore the icon)


def quiz_answers(notebook: Path):
    """The quiz spec behind the notebook's self-check, or None if there is none."""
    from ivigkit import quiz

    if notebook.stem not in quiz.available_quizzes():
        return None
    return quiz.load_quiz(notebook.stem)


def set_answer(question_box, kind: str, *, choose=(0,), texts=None, number: str = "1") -> None:
    """Answer a question box like a student: click radios, tick boxes or type a number. The
    options are picked by their text (`texts`) or, failing that, by position on screen (`choose`):
    the order on screen is shuffled per learner code, so a position says nothing about an answer."""
    if kind in ("single", "multiple"):
        selector = ".widget-radio-box label" if kind == "single" else ".widget-checkbox label.widget-label-basic"
        labels = question_box.locator(selector)
        shown = [labels.nth(i).inner_text().strip() for i in range(labels.count())]
        wanted = ({shown.index(t) for t in texts} if texts is not None else set(choose))
        if texts is not None:
            assert set(texts) <= set(shown), f"options {texts!r} not among those shown: {shown!r}"
        for i in range(len(shown)):
            control = labels.nth(i).locator("input")
            if kind == "single" and i in wanted:
                control.check()
            elif kind == "multiple":
                control.set_checked(i in wanted)
    else:
        field = question_box.locator(".widget-text input").first
        field.fill(number)
        field.press("Enter")  # numeric text widgets only sync on Enter or blur


def question_kind(question_box) -> str:
    if question_box.locator(".widget-radio-box input[type=radio]").count():
        return "single"
    if question_box.locator(".widget-checkbox input[type=checkbox]").count():
        return "multiple"
    if question_box.locator(".widget-text input").count():
        return "numeric"
    pytest.fail("first .ivig-quiz-question has no radio buttons, checkboxes or text input")


def start_self_check(quiz) -> None:
    """Press a self-check's Start button (its questions are built then) and wait for them."""
    start = quiz.locator(".ivig-quiz-start")
    expect(start, "the self-check shows a Start button until it is opened").to_have_count(1)
    expect(quiz.locator(".ivig-quiz-question"), "questions built before Start").to_have_count(0)
    start.click()
    expect(quiz.locator(".ivig-quiz-question").first).to_be_visible(timeout=30_000)


def check_first_question(app, notebook: Path):
    """Answer question 1 (first option / first box / a number), check it, then answer it right.

    The score label counts correct answers, so it only changes once question 1 is
    answered correctly; the right answer comes from the quiz spec in data/quizzes/.
    Returns (quiz spec or None, quiz locator).
    """
    page = app.page
    quiz = page.locator(".ivig-quiz").last  # the notebook's self-check comes after its apps
    expect(quiz, "no .ivig-quiz self-check rendered").to_be_visible()
    start_self_check(quiz)
    box = quiz.locator(".ivig-quiz-question").first
    feedback = box.locator(".ivig-quiz-feedback").first
    score = quiz.locator(".ivig-quiz-score").first
    button = box.locator(".ivig-quiz-check").first
    assert feedback.inner_text().strip() == "", "feedback is not empty before Check"
    score_before = score.inner_text().strip()
    kind = question_kind(box)

    set_answer(box, kind)
    button.click()
    expect(feedback).to_contain_text(FEEDBACK, timeout=30_000)

    spec = quiz_answers(notebook)
    question = spec.questions[0] if spec else None
    if question is not None:
        assert question.type == kind, f"quiz spec says {question.type}, page shows {kind}"
        if not CORRECT.match(feedback.inner_text()):
            right = [o.text for o in question.options if o.correct]
            set_answer(box, kind, texts=right, number=str(question.answer))
            button.click()
    # Without a quiz spec (e.g. IVIGKIT_NOTEBOOK_DIR test apps) a wrong first answer
    # cannot be corrected, and then the score legitimately stays the same.
    if question is not None or CORRECT.match(feedback.inner_text()):
        expect(score).not_to_have_text(score_before, timeout=30_000)
        expect(feedback).to_contain_text(CORRECT, timeout=30_000)
    expect(quiz.locator(".ivig-quiz-download a[download]").first).to_be_attached(timeout=30_000)
    return spec, quiz


# ---------------------------------------------------------- a predict-first box, as a learner

def predictions_in(notebook: Path) -> int:
    """How many predict-first boxes the notebook's code makes (one per predict( call)."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    return sum(c.source.count("predict(") for c in nb.cells if c.cell_type == "code")


def check_first_prediction(app, notebook: Path) -> None:
    """Every predict( call drew its box; in the first, commit a prediction (a number, or the
    first choice) and compare it with the app: the page says what was predicted and shown."""
    page = app.page
    boxes = page.locator(".ivig-prediction")
    expect(boxes, f"one prediction box per predict( call in {notebook.name}").to_have_count(
        predictions_in(notebook), timeout=UPDATE_MS)
    box = boxes.first
    box.scroll_into_view_if_needed()
    if box.locator("select").count():
        box.locator("select").select_option(index=1)
    else:
        field = box.locator(".widget-text input").first
        field.fill("1")
        field.press("Enter")
    button = box.locator("button")
    expect(button).to_have_text(re.compile("Commit my prediction"))
    button.click()
    expect(box.locator(".ivig-prediction-result")).to_contain_text("Committed", timeout=UPDATE_MS)
    expect(box.locator("select, input").first).to_be_disabled()
    expect(button).to_have_text(re.compile("Compare with the app"))
    button.click()
    expect(box.locator(".ivig-prediction-result")).to_contain_text("You predicted", timeout=UPDATE_MS)

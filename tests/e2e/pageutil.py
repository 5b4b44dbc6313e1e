"""Small helpers the browser tests share."""
from __future__ import annotations

import contextlib

# True once Voila has streamed every cell, started its frontend and rendered every output: the
# page-level spinner is gone, no cell-output <script> is left to render, and every output area
# holds something. Controls are only live after this.
OUTPUTS_RENDERED = """() => {
  if (document.readyState === 'loading' || document.getElementById('loading')) return false;
  if (!document.getElementById('rendered_cells')) return false;
  if (document.querySelector('script[type="application/vnd.voila.cell-output+json"]')) return false;
  return [...document.querySelectorAll('#rendered_cells .jp-OutputArea-output')]
    .every(o => o.childElementCount > 0 || o.textContent.trim() !== '');
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


# Voila 0.5.13 sometimes renders a widget view before its model is registered: the page shows
# "Error displaying widget" and the console "widget model not found" (intermittent on 2 cores,
# more often on heavy pages; voila-dashboards/voila#920, #1271). A reload draws the page; a
# student would do the same. Only this exact failure, and only once, is retried.
WIDGET_RACE_TEXT = "Error displaying widget"
WIDGET_RACE_CONSOLE = "widget model not found"
# Leaving a Voila page asks the server to shut its kernel down; Voila 0.5.13 sends that request
# without a valid _xsrf token and gets 403 (voila-dashboards/voila#1458; idle kernels are culled
# instead, see etc/jupyter/voila.json). A reload after the race logs this for the first page.
SHUTDOWN_403 = "/voila/api/shutdown/"


def or_race(predicate_js: str) -> str:
    """A wait_for_function body that is true when `predicate_js` (a JS function) is, or as soon as
    Voila's widget race shows, so a ready() check hands over to the reload at once."""
    return (f"() => ({predicate_js})() || "
            f"(!!document.body && document.body.innerText.includes({WIDGET_RACE_TEXT!r}))")


def open_with_one_retry(app_page, url: str, ready) -> int:
    """Open `url` and call ready(page) to wait for it; on Voila's widget race, reload once.

    Returns the number of reloads (0 or 1). Any other failure, or the race twice, fails."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = app_page.page
    rendered_or_race = f"""() => ({OUTPUTS_RENDERED})() ||
        (!!document.body && document.body.innerText.includes({WIDGET_RACE_TEXT!r}))"""
    for attempt in range(2):
        page.goto(url, wait_until="commit")
        try:
            # Reload as soon as the race shows, rather than after ready()'s long timeouts.
            page.wait_for_function(rendered_or_race, timeout=120_000, polling=200)
            if not attempt and page.get_by_text(WIDGET_RACE_TEXT).count():
                continue
            ready(page)
        except (PlaywrightTimeout, AssertionError):  # expect() fails with AssertionError
            if attempt or not page.get_by_text(WIDGET_RACE_TEXT).count():
                raise
        if attempt or not page.get_by_text(WIDGET_RACE_TEXT).count():
            break
    if attempt:  # forget what the reload itself logged: the race and the first page's shutdown
        app_page.log.console_errors[:] = [
            e for e in app_page.log.console_errors
            if WIDGET_RACE_CONSOLE not in e and SHUTDOWN_403 not in e]
    return attempt


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


def open_notebook(app_page, notebook: str, ready) -> int:
    """Open a notebook's Voila app (reloading once on the widget race), wait with ready(page),
    and fail on anything a student must not see on first load. Returns the reloads."""
    from urllib.parse import quote

    reloads = open_with_one_retry(app_page, f"{app_page.base_url}/voila/render/{quote(notebook)}", ready)
    problems = page_problems(app_page.page, app_errors_expected=False)
    assert not problems, f"{notebook} on first load:\n" + "\n".join(problems)
    return reloads


def assert_clean(app_page, *, app_errors_expected: bool) -> None:
    """No visible problem on the page, and no console error or failed or external request."""
    problems = page_problems(app_page.page, app_errors_expected=app_errors_expected)
    assert not problems, "\n".join(problems)
    assert not app_page.log.problems(), "\n".join(app_page.log.problems())

"""Small helpers the browser tests share."""
from __future__ import annotations

import contextlib

CONTENT_HEIGHT = """() => { const c = document.getElementById('rendered_cells');
    return c ? c.getBoundingClientRect().top + c.scrollHeight : document.body.scrollHeight; }"""
NO_INNER_SCROLL = """() => { const c = document.getElementById('rendered_cells');
    return !c || c.scrollHeight <= c.clientHeight + 1; }"""


@contextlib.contextmanager
def grown_viewport(page):
    """Voila's lab layout scrolls inside #rendered_cells, so a screenshot stops at the viewport:
    grow the viewport to the content's height for the duration, then put it back."""
    size = page.viewport_size
    height = page.evaluate(CONTENT_HEIGHT)
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 20, 16_000)})
    page.wait_for_function(NO_INNER_SCROLL, timeout=10_000)
    try:
        yield
    finally:
        page.set_viewport_size(size)

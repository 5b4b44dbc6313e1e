"""What a Voila page sent over plain HTTP: fetching it, and finding error outputs in its HTML."""
from __future__ import annotations

import urllib.error
import urllib.request
from html.parser import HTMLParser

RENDER_TIMEOUT = 180  # s; the server's own per-cell limit is 120 s


class _OutputScanner(HTMLParser):
    """Collect the page text and the text of every error-like output area.

    Voila 0.5.13 renders both a raised exception and anything printed to stderr as
    <div class="jp-RenderedText jp-OutputArea-output"
         data-mime-type="application/vnd.jupyter.stderr"><pre>...</pre></div>
    (with --show_tracebacks=False the <pre> holds "There was an error when
    executing cell [n]. ..."). A div with an error class is flagged too.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.flagged: list[list[str]] = []  # one text buffer per flagged output
        self._stack: list[bool] = []  # per open <div>: is it a flagged output?

    def handle_starttag(self, tag, attrs):
        if tag != "div":
            return
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        bad = a.get("data-mime-type") == "application/vnd.jupyter.stderr" or (
            "jp-OutputArea-output" in classes and any("error" in c.lower() for c in classes)
        )
        if bad:
            self.flagged.append([])
        self._stack.append(bad)

    def handle_endtag(self, tag):
        if tag == "div" and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        if self.flagged and any(self._stack):
            self.flagged[-1].append(data)


def scan(page: str) -> tuple[str, list[str]]:
    """Return (page text without tags, list of problems found)."""
    p = _OutputScanner()
    p.feed(page)
    p.close()
    text = "".join(p.text)
    problems = [
        "stderr/error output: " + " ".join("".join(buf).split())[:400] for buf in p.flagged
    ]
    for needle in ("Traceback (most recent call last)", "There was an error when executing cell"):
        if needle in text and not any(needle in pr for pr in problems):
            problems.append(f"page text contains {needle!r}")
    return text, problems


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=RENDER_TIMEOUT) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")

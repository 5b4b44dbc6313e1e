"""Every notebook renders through Voila over plain HTTP, with no error output and no code."""

from __future__ import annotations

import html
import re
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import nbformat
import pytest

from tests.support.rendered import fetch, scan
from tests.support.servers import kernel_id_of, shutdown_kernel, voila_server

def code_needles(nb_path: Path) -> list[str]:
    """Distinctive bits of code that must not show up in the rendered page."""
    nb = nbformat.read(nb_path, as_version=4)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type != "code")
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    needles = {"self_check("} if any("self_check(" in c for c in code) else set()
    for source in code:
        for line in source.splitlines():
            line = line.strip()
            if len(line) >= 12 and any(ch in line for ch in "(=") and not line.startswith("#"):
                needles.add(line)
    return sorted(n for n in needles if n not in prose)


def render(base_url: str, name: str) -> tuple[int, str]:
    status, page = fetch(f"{base_url}/voila/render/{quote(name)}")
    shutdown_kernel(base_url, kernel_id_of(page))  # free it now, not at cull time
    return status, page


@pytest.mark.voila
def test_notebook_renders_cleanly(voila_url, notebook, artifacts_dir):
    t0 = time.monotonic()
    status, page = render(voila_url, notebook.name)
    elapsed = time.monotonic() - t0
    out = artifacts_dir / "html"
    out.mkdir(exist_ok=True)
    (out / f"{notebook.stem}.html").write_text(page)
    assert status == 200, f"{notebook.name}: HTTP {status}"

    text, problems = scan(page)
    assert not problems, f"{notebook.name} rendered with errors:\n" + "\n".join(problems)

    leaked = [n for n in code_needles(notebook) if n in text]
    assert not leaked, f"{notebook.name}: code sources visible in the app: {leaked[:5]}"
    external = re.findall(r'(?:href|src)="(https?://(?!127\.0\.0\.1|localhost)[^"]+)"', page)
    assert not external, f"{notebook.name}: the page loads from other hosts: {external}"
    print(f"{notebook.stem}: rendered in {elapsed:.1f} s")


@pytest.mark.voila
def test_detector_catches_errors(tmp_path):
    """Prove scan() flags what Voila really emits for a failing cell and stderr."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("print('fine')"),
        nbformat.v4.new_code_cell("raise ValueError('ivig-detector-probe')"),
    ]
    nbformat.write(nb, tmp_path / "bad.ipynb")
    good = nbformat.v4.new_notebook(metadata=nb.metadata)
    good.cells = [nbformat.v4.new_code_cell("x = 40 + 2\nprint('all good', x)")]
    nbformat.write(good, tmp_path / "good.ipynb")

    with voila_server(tmp_path, log_name="voila-detector.log") as url:
        status, page = render(url, "bad.ipynb")
        assert status == 200
        _, problems = scan(page)
        assert problems, "detector missed a cell that raised"
        assert any("ivig-detector-probe" in p and "ValueError" in p for p in problems), problems

        status, page = render(url, "good.ipynb")
        assert status == 200
        text, problems = scan(page)
        assert problems == [] and "all good 42" in text
        assert "x = 40 + 2" not in text  # sources are stripped


def test_detector_catches_hidden_tracebacks():
    """The student-facing form (--show_tracebacks=False), as Voila 0.5.13 emits it."""
    page = (
        '<div class="jp-RenderedText jp-OutputArea-output" '
        'data-mime-type="application/vnd.jupyter.stderr"><pre>\n'
        "There was an error when executing cell [3]. Please run Voil&#224; with "
        "--show_tracebacks=True or --debug to see the error message, or configure "
        "VoilaConfiguration.show_tracebacks.</pre>\n</div>"
    )
    _, problems = scan(page)
    assert len(problems) == 1 and "There was an error when executing cell [3]" in problems[0]
    assert scan(html.escape("<p>Traceback is a word</p>"))[1] == []

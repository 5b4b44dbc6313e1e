"""`make app`, the README's first command, serves the start-here app on 127.0.0.1."""
import re
import shutil
from pathlib import Path

import pytest

from tests.support.servers import HOST, LOG_DIR, free_port, kernel_id_of, running_server, shutdown_kernel
from tests.support.rendered import fetch, scan
from tests.support import REPO


# Where the case key would be if a student server served the instructor folder.
INSTRUCTOR_PATHS = ("/voila/render/case_key.ipynb", "/voila/render/instructor/case_key.ipynb",
                    "/voila/render/../instructor/case_key.ipynb", "/voila/render/%2e%2e/instructor/case_key.ipynb")


@pytest.mark.voila
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_app_serves_the_start_here_app():
    port = free_port()
    base = f"http://{HOST}:{port}"
    with running_server(["make", "--no-print-directory", "app", f"PORT={port}"], base_url=base,
                        cwd=REPO, log_path=LOG_DIR / "make-app.log", startup_timeout=180):
        status, tree = fetch(base + "/")
        assert status == 200
        listed = re.findall(r'href="[^"]*?/([^/"?]+\.ipynb)\??"', tree)
        assert "https://" not in tree, "the notebook list must not load anything from other hosts"
        assert listed and listed[0] == "00_start_here.ipynb", listed
        assert sorted(set(listed)) == sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
        status, page = fetch(base + "/voila/render/00_start_here.ipynb")
        shutdown_kernel(base, kernel_id_of(page))
        # The instructor's key is not a student page: `make app` answers 404 for it, however asked.
        key_status = {path: fetch(base + path)[0] for path in INSTRUCTOR_PATHS}
    assert status == 200
    assert all(code == 404 for code in key_status.values()), key_status
    text, problems = scan(page)
    assert not problems
    assert "Start here: IVIG in multiple sclerosis" in text
    assert "cdn.jsdelivr.net" not in page, "make app must use the workbook's Voila template"
    log = (LOG_DIR / "make-app.log").read_text()
    assert f"http://{HOST}:{port}/voila/render/00_start_here.ipynb" in log


@pytest.mark.voila
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_slides_serves_every_notebook_as_an_offline_deck():
    port = free_port()
    base = f"http://{HOST}:{port}"
    with running_server(["make", "--no-print-directory", "slides", f"SLIDES_PORT={port}"],
                        base_url=base, cwd=REPO, log_path=LOG_DIR / "make-slides.log",
                        startup_timeout=180):
        status, tree = fetch(base + "/")
        assert status == 200
        listed = re.findall(r'href="[^"]*?/([^/"?]+\.ipynb)\??"', tree)
        assert sorted(set(listed)) == sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
        status, page = fetch(base + "/voila/render/00_start_here.ipynb")
        shutdown_kernel(base, kernel_id_of(page))
    assert status == 200
    assert '<div class="reveal">' in page, "make slides must serve the reveal.js template"
    assert "/voila/templates/ivigkit-reveal/static/vendor/reveal.js/dist/reveal.css" in page
    assert "unpkg.com" not in page and "cdn.jsdelivr.net" not in page
    assert "Start here: IVIG in multiple sclerosis" in scan(page)[0]

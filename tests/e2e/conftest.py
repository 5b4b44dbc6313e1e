"""Browser fixtures: Debian's Chromium driven by Playwright (never `playwright install`).

IVIGKIT_CHROMIUM overrides the browser path (default /usr/bin/chromium).
IVIGKIT_REQUIRE_BROWSER=1 (set in CI) turns a missing browser into a failure.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM_ARGS, AppPage, chromium_executable, offline_page
from tests.support.servers import shutdown_kernel


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = chromium_executable()
    if Path(path).is_file() and os.access(path, os.X_OK):
        return path
    if os.environ.get("IVIGKIT_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"Chromium not found at {path}; CI requires the browser tests: "
            "install Debian's chromium (apt-get install chromium) or set IVIGKIT_CHROMIUM",
            pytrace=False,
        )
    pytest.skip(
        f"browser tests skipped: Chromium not found at {path}. To run them, install it "
        "(sudo apt-get install chromium) or point IVIGKIT_CHROMIUM at a Chromium binary"
    )


@pytest.fixture(scope="session")
def chromium(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def app_page(chromium, voila_url, artifacts_dir, request) -> AppPage:
    """A fresh context and page (``.page``) wired to a PageLog (``.log``).

    Teardown closes the page with run_before_unload=True, then shuts the page's
    kernel down explicitly (see servers.shutdown_kernel for why) and writes the
    external requests it saw to artifacts/logs/<test>-requests.json.
    """
    context, page, log = offline_page(chromium, viewport={"width": 1280, "height": 900},
                                      accept_downloads=True)
    yield AppPage(page, log, voila_url)

    kernel_id = None
    try:
        config = page.locator("#jupyter-config-data").text_content(timeout=1_000)
        kernel_id = json.loads(config or "{}").get("kernelId")
    except Exception:  # page never rendered far enough
        pass
    page.close(run_before_unload=True)
    context.close()
    shutdown_kernel(voila_url, kernel_id)
    logs = artifacts_dir / "logs"
    logs.mkdir(exist_ok=True)
    name = request.node.name.replace("/", "_")
    (logs / f"{name}-requests.json").write_text(
        json.dumps({"external": log.external_requests, "failed": log.failed_requests}, indent=1)
    )

"""Browser fixtures: Debian's Chromium driven by Playwright (never `playwright install`).

IVIGKIT_CHROMIUM overrides the browser path (default /usr/bin/chromium).
IVIGKIT_REQUIRE_BROWSER=1 (set in CI) turns a missing browser into a failure.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from servers import NOT_LOOPBACK, shutdown_kernel

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
    # Offline, as in a lecture hall with no internet: no host name resolves except loopback.
    # This also covers websockets, which Playwright's routing does not see.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


def is_external(url: str) -> bool:
    return bool(NOT_LOOPBACK.match(url))


def block_internet(context) -> None:
    """Abort every request of `context` that would leave the machine. The page still reports it
    (PageLog records external and failed requests), so a test sees the attempt and fails."""
    context.route(NOT_LOOPBACK, lambda route: route.abort("internetdisconnected"))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("IVIGKIT_CHROMIUM") or "/usr/bin/chromium"
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


@dataclass
class PageLog:
    """What a page did besides rendering: errors and network traffic."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def on_console(self, msg) -> None:
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        self.console_errors.append(f"{msg.text} (at {where})")

    def on_request(self, request) -> None:
        if is_external(request.url):
            self.external_requests.append(request.url)

    def on_request_failed(self, request) -> None:
        self.failed_requests.append(f"{request.url}: {request.failure}")

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"failed request: {m}" for m in self.failed_requests]
            # The workbook must work with no internet: the page may ask nothing of other hosts.
            + [f"external request: {u}" for u in self.external_requests]
        )


@dataclass
class AppPage:
    page: object  # playwright.sync_api.Page
    log: PageLog
    base_url: str


def offline_page(browser, **context_options):
    """A new context (internet blocked, 60 s default timeout) and page, wired to a PageLog."""
    context = browser.new_context(**context_options)
    context.set_default_timeout(60_000)
    block_internet(context)
    page = context.new_page()
    log = PageLog()
    page.on("console", log.on_console)
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
    page.on("request", log.on_request)
    page.on("requestfailed", log.on_request_failed)
    return context, page, log


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

"""Debian's Chromium for the browser tests and benchmarks (never `playwright install`): its
flags, offline pages that record what went wrong, and the chromium path from the environment.

IVIGKIT_CHROMIUM overrides the browser path (default /usr/bin/chromium).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from tests.support.servers import NOT_LOOPBACK

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


def chromium_executable() -> str:
    """The Chromium the tests and benchmarks drive: IVIGKIT_CHROMIUM, else Debian's."""
    return os.environ.get("IVIGKIT_CHROMIUM") or "/usr/bin/chromium"


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

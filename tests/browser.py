"""A real headless browser for tests: Debian's chromium, started by the test through Playwright.

Never ``playwright install`` (it downloads a browser build): the machine's ``/usr/bin/chromium``
(``apt-get install chromium``; ``.ci/run`` installs it when missing) is launched with a fresh
profile and the flags that keep it off the network (no background connections, component
updates, sync or QUIC), so the only request a page makes is the ones it asks for itself. A test
skips with a message saying so only where chromium cannot be found.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    """/usr/bin/chromium (or chromium on PATH), else skip the test with the reason."""
    found = next((p for p in ("/usr/bin/chromium", shutil.which("chromium")) if p and Path(p).exists()), None)
    if found is None:
        pytest.skip("chromium not found (/usr/bin/chromium): install Debian's package with "
                    "`apt-get install -y chromium` (.ci/run does it when missing) to run the browser tests")
    return found


@dataclass
class PageLog:
    """What the page did while it was open: console errors, uncaught exceptions, every request."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)


@contextmanager
def open_page(url: str, *, width: int = 1400, height: int = 900, timeout_ms: int = 120_000) -> Iterator[tuple]:
    """``(page, log)`` for ``url`` loaded in headless chromium with a fresh ``--user-data-dir``."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with tempfile.TemporaryDirectory(prefix="cb-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=executable, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": width, "height": height}, service_workers="block")
        try:
            page = context.new_page()
            log = PageLog()
            page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: log.page_errors.append(str(e)))
            page.on("request", lambda r: log.requests.append(r.url))
            page.on("requestfailed", lambda r: log.failed_requests.append(f"{r.url}: {r.failure}"))
            page.goto(url, wait_until="load", timeout=timeout_ms)
            yield page, log
        finally:
            context.close()

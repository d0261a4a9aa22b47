"""The one headless Chromium the browser tests share (a pytest plugin, see tests/conftest.py).

One Playwright per test session: Playwright's sync API refuses to start a
second instance while another is running, so every browser test, whatever
its folder and order, uses this ``browser`` fixture. The binary is
PARLEY_CHROMIUM, else Debian's (``tests.support.deps`` installs it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.deps import CHROMIUM_CANDIDATES


def chromium_executable() -> str:
    path = os.environ.get("PARLEY_CHROMIUM") or next(
        (p for p in CHROMIUM_CANDIDATES if Path(p).exists()), None
    )
    if not path:
        pytest.fail("no Chromium: run `python -m tests.support.deps` or set PARLEY_CHROMIUM")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    # Chromium's switch for the post-phase-out default: third-party cookies are blocked.
    browser = playwright.chromium.launch(
        executable_path=chromium_executable(),
        headless=True,
        args=["--test-third-party-cookie-phaseout"],
    )
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()

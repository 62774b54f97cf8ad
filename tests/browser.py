"""Debian's Chromium driven by Playwright, offline: for the portrait's browser tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class OfflinePage:
    """The open page, the console errors it raised and the non-file requests it tried."""

    page: Any
    problems: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)


def require_chromium() -> None:
    """Skip without Chromium, except in CI where it must be there."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (scripts/setup-debian.sh installs it)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")


@contextmanager
def offline_page(page_file: Path) -> Iterator[OfflinePage]:
    """Open ``page_file`` with every non-file request aborted and wait until each
    ``[data-chart]`` element is rendered."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        opened = OfflinePage(page)
        page.on("console", lambda m: opened.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: opened.problems.append(str(error)))

        def block(route: Any) -> None:
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                opened.requested.append(route.request.url)
                route.abort()

        page.route("**/*", block)
        page.goto(page_file.as_uri())
        page.wait_for_function(
            "document.querySelectorAll('[data-chart]').length =="
            " document.querySelectorAll('[data-chart][data-rendered]').length",
            timeout=60_000,
        )
        try:
            yield opened
        finally:
            browser.close()

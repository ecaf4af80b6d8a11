"""Debian's headless Chromium under selenium, set up once for every browser test.

Every request a page might make goes to a dead proxy (and shows in the
browser's logs), and Chromium's own background traffic is off — the pages
under test must work offline.  :func:`browser_fixture` makes a module-scoped
pytest fixture that skips with the reason when Chromium, its driver or
selenium is missing.
"""
from __future__ import annotations

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")
MISSING = "no Chromium here (Debian: apt-get install chromium chromium-driver)"

ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
        "--disable-background-networking", "--disable-component-update", "--no-first-run")


def chromium(*extra: str, logs: bool = False):
    """A selenium driver of headless Chromium with :data:`ARGS` and ``extra``
    (e.g. ``"--window-size=1280,720"``); with ``logs`` the browser console and
    network log are kept.  None when Chromium or its driver is missing."""
    if not CHROMIUM or not DRIVER:
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ARGS + extra:
        opts.add_argument(a)
    if logs:
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=opts)


def browser_fixture(*extra: str, logs: bool = False):
    """A module-scoped ``browser`` fixture: one Chromium for the module's tests."""
    @pytest.fixture(scope="module")
    def browser():
        pytest.importorskip("selenium")
        driver = chromium(*extra, logs=logs)
        if driver is None:
            pytest.skip(MISSING)
        yield driver
        driver.quit()
    return browser

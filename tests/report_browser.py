"""Check a rendered report in headless Chromium: images, console, sections, links, width.

:func:`page_problems` returns what is wrong with a page (empty: nothing), so
a test can assert on a good page and, as a negative control, on a page made
wrong on purpose.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

LAPTOP_WIDTH = 1366
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
DRIVER = ("chromedriver",)


def _which(names) -> str | None:
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


def require_browser():
    """(selenium webdriver module, chromium path, chromedriver path); skip, or fail in CI, if missing.

    With ``SADDLESIM_REQUIRE_BROWSER=1`` (set by ``.ci/run``) a missing
    browser is a failure, so CI cannot pass by skipping the check.
    """
    missing = []
    try:
        from selenium import webdriver
    except ImportError:
        webdriver = None
        missing.append("selenium (pip install -e '.[dev]')")
    browser, driver = _which(CHROMIUM), _which(DRIVER)
    if browser is None:
        missing.append("chromium (apt-get install chromium)")
    if driver is None:
        missing.append("chromedriver (apt-get install chromium-driver)")
    if missing:
        message = "browser test needs " + ", ".join(missing)
        if os.environ.get("SADDLESIM_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return webdriver, browser, driver


def start_driver():
    """A headless Chromium at laptop width that keeps the console log."""
    webdriver, browser, driver = require_browser()
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={LAPTOP_WIDTH},900", "--allow-file-access-from-files"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=options)


def _set_viewport_width(driver, width: int):
    # the window includes no scrollbar in headless mode; make the layout viewport exactly `width`
    inner = driver.execute_script("return window.innerWidth")
    size = driver.get_window_size()
    driver.set_window_size(size["width"] + (width - inner), size["height"])


_IMAGES_JS = """
return Array.from(document.images).map(i => [i.getAttribute('src'), i.complete, i.naturalWidth, i.naturalHeight]);
"""
_LINKS_JS = "return Array.from(document.querySelectorAll('a[href]')).map(a => [a.getAttribute('href'), a.href]);"
_WIDTH_JS = "const s = document.scrollingElement; return [s.scrollWidth, s.clientWidth];"


def page_problems(driver, page: Path, folders) -> list[str]:
    """Everything wrong with ``page`` as Chromium renders it at :data:`LAPTOP_WIDTH` px.

    Checks: every image loaded (``naturalWidth > 0``); no SEVERE console
    entry; a section for every folder name in ``folders``
    (``section[data-folder=name]``); every link resolves (a file that exists,
    or an anchor on the page); no horizontal scroll.
    """
    page = Path(page).resolve()
    driver.get_log("browser")  # drop what an earlier page logged
    driver.get(page.as_uri())
    _set_viewport_width(driver, LAPTOP_WIDTH)
    driver.execute_script("return document.readyState")  # wait for load: get() returns after onload
    problems = []
    images = driver.execute_script(_IMAGES_JS)
    if not images:
        problems.append("no images on the page")
    problems += [f"image {src} did not load" for src, complete, w, h in images if not (complete and w > 0 and h > 0)]
    severe = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    problems += [f"console error: {e.get('message', '')[:200]}" for e in severe]
    sections = set(driver.execute_script(
        "return Array.from(document.querySelectorAll('section[data-folder]')).map(s => s.dataset.folder);"))
    problems += [f"no section for results folder {name}" for name in sorted(set(folders) - sections)]
    ids = set(driver.execute_script("return Array.from(document.querySelectorAll('[id]')).map(e => e.id);"))
    for raw, absolute in driver.execute_script(_LINKS_JS):
        url = urlparse(absolute)
        if raw.startswith("#"):
            if raw[1:] not in ids:
                problems.append(f"anchor {raw} has no target")
        elif url.scheme != "file":
            problems.append(f"link {raw} leaves the disk ({url.scheme})")
        elif not Path(unquote(url.path)).exists():
            problems.append(f"link {raw} points to a missing file")
    scroll, client = driver.execute_script(_WIDTH_JS)
    if scroll > client:
        problems.append(f"horizontal scroll at {LAPTOP_WIDTH} px: content {scroll} px wide in {client} px")
    return problems

"""The report rendered in a real browser (headless Chromium): what a reader sees.

Skipped where Chromium, chromedriver or selenium is missing, except in CI
(``SADDLESIM_REQUIRE_BROWSER=1``), where that is a failure. The negative
controls show the checker failing a broken image, a missing section and a
page wider than a laptop screen.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from saddlesim.report import build_report
from saddlesim.report.folders import discover
from tests.report_browser import page_problems, start_driver
from tests.report_fixture import make_results_tree

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def driver():
    d = start_driver()
    yield d
    d.quit()


@pytest.fixture
def tree(tmp_path):
    results = make_results_tree(tmp_path)
    return results, build_report(results)


def test_fixture_report_passes_every_check(driver, tree):
    results, page = tree
    names = [f.name for f in discover(results)]
    assert names == ["mystery", "small_network", "small_spectrum", "small_sweep"]
    assert page_problems(driver, page, names) == []


def test_committed_report_passes_every_check(driver, tmp_path):
    """The real committed results, rendered where they live (report written to tmp, links back to them)."""
    results = REPO / "results"
    if not any(results.glob("*/meta.json")):
        pytest.skip("no committed results")
    copy = tmp_path / "results"
    # a copy without the big tables: the page links to them, so copy everything but keep it fast (symlinks)
    copy.mkdir()
    for d in results.iterdir():
        if (d / "meta.json").is_file():
            (copy / d.name).symlink_to(d)
    page = build_report(copy)
    names = [f.name for f in discover(copy)]
    assert len(names) >= 1
    assert page_problems(driver, page, names) == []


def test_broken_image_fails(driver, tree):
    results, page = tree
    (results / "small_sweep" / "p_min.png").unlink()
    problems = page_problems(driver, page, ["mystery", "small_sweep"])
    assert any("did not load" in p and "p_min.png" in p for p in problems)
    assert any(p.startswith("console error") for p in problems)


def test_missing_section_fails(driver, tree):
    results, page = tree
    shutil.copytree(results / "mystery", results / "late_arrival")  # a folder that came after the report
    problems = page_problems(driver, page, [f.name for f in discover(results)])
    assert problems == ["no section for results folder late_arrival"]


def test_dead_link_and_wide_page_fail(driver, tree):
    results, page = tree
    (results / "mystery" / "curve.csv").unlink()
    html = page.read_text(encoding="utf-8").replace("</body>", '<div style="width:3000px">wide</div></body>')
    page.write_text(html, encoding="utf-8")
    problems = page_problems(driver, page, ["mystery", "small_sweep"])
    assert any("curve.csv" in p and "missing file" in p for p in problems)
    assert any(p.startswith("horizontal scroll") for p in problems)

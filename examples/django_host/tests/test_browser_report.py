"""The library's HTML reports in a real headless Chromium: the analytics command's page and the demo's.

Each page is made as a person makes it (``python -m profiler_core analytics ... --format html`` and
``python -m profiler_core demo --html PATH``) and opened from disk. What each chart must show comes
from the report value (the command's ``--format json`` document; the demo's reports, unstructured),
never from the page. The tampered pages prove the checks fail when a mark is missing or a
suppressed cell is shown as a number.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest
from selenium import webdriver

from profiler_core import unstructure
from profiler_core.demo.analytics import dashboard_reports
from profiler_core.demo.sample import build_sample_platform
from tests import browser
from tests.browser import (
    SUPPRESSED,
    axe_violations,
    chart_problems,
    console_errors,
    expected_figures,
    open_page,
    page_problems,
    read_charts,
    screenshot,
)

SEED = 7


@dataclass(frozen=True)
class Page:
    """An HTML report on disk and the report values (wire JSON) its sections draw, in page order."""

    path: Path
    reports: tuple[Mapping[str, object], ...]


def _jsonl(values: Iterable[object]) -> str:
    return "".join(json.dumps(unstructure(v)) + "\n" for v in values)


def _run(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "profiler_core", *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"profiler_core {args[0]} failed ({done.returncode}): {done.stderr}"


def _analytics_page(directory: Path) -> Page:
    platform = build_sample_platform(SEED)
    inputs = {
        "cohorts": platform.cohorts,
        "enrollments": platform.enrollments,
        "sessions": platform.sessions,
        "results": platform.results,
    }
    argv = ["analytics", "--quiet"]
    for name, values in inputs.items():
        path = directory / f"{name}.jsonl"
        path.write_text(_jsonl(values), encoding="utf-8")
        argv += [f"--{name}", str(path)]
    _run(*argv, "--format", "json", "--out", str(directory / "analytics.json"))
    _run(*argv, "--format", "html", "--out", str(directory / "analytics.html"))
    document = json.loads((directory / "analytics.json").read_text(encoding="utf-8"))
    # The page draws the enterprise reports first, then the cohort reports, in the document's order.
    reports = [
        cast("Mapping[str, object]", entry)
        for kind in ("enterprises", "cohorts")
        for entry in cast("dict[str, dict[str, object]]", document[kind]).values()
        if entry.get("kind") != "not_found"
    ]
    return Page(path=directory / "analytics.html", reports=tuple(reports))


def _demo_page(directory: Path) -> Page:
    path = directory / "profiler_core_demo.html"
    _run("demo", "--seed", str(SEED), "--html", str(path))
    reports = [
        cast("Mapping[str, object]", unstructure(r)) for r in dashboard_reports(build_sample_platform(SEED))
    ]
    return Page(path=path, reports=tuple(reports))


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Page]:
    """The analytics command's HTML report and the demo's dashboard, each beside its report values."""
    return {
        "analytics": _analytics_page(tmp_path_factory.mktemp("analytics")),
        "demo": _demo_page(tmp_path_factory.mktemp("demo")),
    }


PAGES = ["analytics", "demo"]


_SECTIONS = "return [...document.querySelectorAll('main > section[id^=report-]')].map(s => s.id);"


def _sections(driver: webdriver.Chrome) -> list[str]:
    return cast("list[str]", driver.execute_script(_SECTIONS))


class TestReportPages:
    @pytest.mark.parametrize("name", PAGES)
    def test_renders_without_console_errors(
        self, chromium: webdriver.Chrome, pages: dict[str, Page], name: str
    ) -> None:
        """The page loads from disk, renders a titled page with one section per report, logs no error."""
        page = pages[name]
        open_page(chromium, page.path.as_uri())
        screenshot(chromium, f"report-{name}")
        assert page_problems(chromium) == []
        assert _sections(chromium) == [f"report-{i + 1}" for i in range(len(page.reports))]
        assert console_errors(chromium) == []

    @pytest.mark.parametrize("name", PAGES)
    def test_each_chart_draws_the_report(
        self, chromium: webdriver.Chrome, pages: dict[str, Page], name: str
    ) -> None:
        """Each chart has one mark per cell of the report; suppressed cells are hatched and say so."""
        page = pages[name]
        open_page(chromium, page.path.as_uri())
        suppressed = 0
        for index, report in enumerate(page.reports):
            expected = expected_figures(report)
            suppressed += sum(c.suppressed for f in expected for c in f.cells)
            assert chart_problems(read_charts(chromium, f"#report-{index + 1}"), expected) == []
        assert suppressed > 0, "the sample platform's reports have suppressed cells to check"

    @pytest.mark.parametrize("name", PAGES)
    def test_passes_the_accessibility_rules(
        self, chromium: webdriver.Chrome, pages: dict[str, Page], name: str
    ) -> None:
        """axe-core finds no text-alternative, label, contrast, title or language violation."""
        open_page(chromium, pages[name].path.as_uri())
        assert axe_violations(chromium) == []


def _first(pattern: str, html: str) -> re.Match[str]:
    match = re.search(pattern, html, flags=re.DOTALL)
    assert match is not None, f"the page has no {pattern!r}"
    return match


class TestTamperedPages:
    """The same checks on a page altered after it was made: they must report the damage."""

    def _check(
        self, chromium: webdriver.Chrome, page: Page, html: str, tmp_path: Path, section: int
    ) -> list[str]:
        tampered = tmp_path / "tampered.html"
        tampered.write_text(html, encoding="utf-8")
        open_page(chromium, tampered.as_uri())
        return chart_problems(
            read_charts(chromium, f"#report-{section + 1}"), expected_figures(page.reports[section])
        )

    def test_the_untouched_page_passes(
        self, chromium: webdriver.Chrome, pages: dict[str, Page], tmp_path: Path
    ) -> None:
        """The control: the page as made, copied and reopened, has no problem."""
        page = pages["analytics"]
        html = page.path.read_text(encoding="utf-8")
        assert self._check(chromium, page, html, tmp_path, 0) == []

    def test_a_removed_mark_is_reported(
        self, chromium: webdriver.Chrome, pages: dict[str, Page], tmp_path: Path
    ) -> None:
        """With one published bar of the readiness chart removed, the check names the chart and the cell."""
        page = pages["analytics"]
        html = page.path.read_text(encoding="utf-8")
        figure = _first(r'<figure class="chart" id="report-1-readiness".*?</figure>', html)
        mark = _first(r'<g class="mark" data-key="([^"]+)"[^>]*>.*?</g>', figure.group(0))
        key = mark.group(1)
        start = figure.start() + mark.start()
        problems = self._check(
            chromium, page, html[:start] + html[figure.start() + mark.end() :], tmp_path, 0
        )
        assert any("readiness:" in p and "marks drawn" in p for p in problems), problems
        assert any(p.startswith("readiness[") and p.endswith("no mark drawn") for p in problems), (
            key,
            problems,
        )

    def test_a_suppressed_cell_shown_as_zero_is_reported(
        self, chromium: webdriver.Chrome, pages: dict[str, Page], tmp_path: Path
    ) -> None:
        """A suppressed bar redrawn as a plain bar reading "0" (and its table cell "0") is reported."""
        page = pages["analytics"]
        html = page.path.read_text(encoding="utf-8")
        figure = _first(r'<figure class="chart" id="report-1-readiness".*?</figure>', html)
        original = figure.group(0)
        mark = _first(r'<g class="mark suppressed"(.*?)data-suppressed="true">.*?</g>', original)
        as_zero = (
            f'<g class="mark"{mark.group(1)}data-count="0"><rect x="230" y="8" width="0" height="16" '
            'fill="#1f5f99"/><text class="value" x="234" y="20">0</text></g>'
        )
        changed = original.replace(mark.group(0), as_zero, 1)
        changed = changed.replace(f'<td class="suppressed">{SUPPRESSED}</td>', '<td class="num">0</td>', 1)
        problems = self._check(chromium, page, html.replace(original, changed, 1), tmp_path, 0)
        assert any("a suppressed cell is not drawn as suppressed" in p for p in problems), problems
        assert any("a suppressed cell shows '0'" in p for p in problems), problems
        assert any("shows a number" in p for p in problems), problems
        assert any("the table shows ('0',) for a suppressed cell" in p for p in problems), problems


class TestBrowserSetup:
    def test_chromium_and_its_driver_are_installed(self) -> None:
        """Debian's chromium and chromedriver are where the tests drive them from (make browser-deps)."""
        assert browser.missing_browser() is None

    @pytest.mark.parametrize("name", ["CHROMIUM", "CHROMEDRIVER"])
    def test_a_missing_browser_is_a_failure_that_says_what_to_run(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str
    ) -> None:
        """Without chromium or chromedriver the message names the missing path and `make browser-deps`."""
        missing = tmp_path / "absent"
        monkeypatch.setattr(browser, name, missing)
        message = browser.missing_browser()
        assert message is not None
        assert str(missing) in message
        assert "make browser-deps" in message

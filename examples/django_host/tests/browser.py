"""A real headless Chromium for the browser tests, and the checks they make on a page.

The browser is Debian's ``chromium`` driven through its ``chromedriver`` by
selenium (``make browser-deps`` installs both). The driver path is given
explicitly, so selenium-manager never looks for, or downloads, a browser.
A missing browser fails the tests with :data:`MISSING_BROWSER`: it is never
a skip.

The checks read the page as the browser built it (the DOM, computed styles,
the console) and compare it with what the *report value* says: the expected
marks of each chart come from the report's wire JSON (its buckets, its
population figures, its score blocks, its cohorts), never from the HTML under
test. Each check returns a list of problems (empty when the page is right),
so a test can also feed it a tampered page and assert what it finds.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest
from pytest_django.live_server_helper import LiveServer
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: axe-core, installed from the npm registry by ``make frontend-deps`` (tests/frontend/package.json).
AXE_JS = REPO / "tests" / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
#: Where each page's screenshot goes (git-ignored).
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

MISSING_BROWSER = (
    "The browser tests need Debian's chromium and chromium-driver ({missing} is missing): "
    "run `make browser-deps` (apt-get install chromium chromium-driver)."
)
MISSING_AXE = "axe-core is not installed ({path} is missing): run `make frontend-deps`."

#: The axe-core rules the pages must pass: text alternatives of images and SVGs, form and link
#: labels, colour contrast, the document's title and its language.
AXE_RULES = (
    "image-alt",
    "svg-img-alt",
    "role-img-alt",
    "input-image-alt",
    "object-alt",
    "area-alt",
    "label",
    "select-name",
    "button-name",
    "link-name",
    "aria-input-field-name",
    "color-contrast",
    "document-title",
    "html-has-lang",
    "html-lang-valid",
)

SUPPRESSED = "suppressed"
_DIGIT = re.compile(r"\d")

# What the report value does not name itself: the display labels of the population cells and of
# the three scores (charts.py's vocabulary for them, fixed by the report's field names).
POPULATION_LABELS = {"total": "Learners", "profiled": "Profiled", "not_profiled": "Not profiled"}
SCORE_LABELS = {"aptitude": "Aptitude", "technical_exposure": "Technical exposure", "overall": "Overall"}
BUCKET_FIGURES = ("readiness", "tracks", "difficulty", "completions", "top_strengths")


# --- the browser -------------------------------------------------------------------------------------


def missing_browser() -> str | None:
    """The message to fail with when chromium or chromedriver is not installed, else ``None``."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return MISSING_BROWSER.format(missing=path)
    return None


def start_chromium() -> webdriver.Chrome:
    """A headless Chromium (1280 px wide) that keeps every console message."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
        "--force-color-profile=srgb",
        "--hide-scrollbars",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))


@pytest.fixture(scope="session")
def chromium(django_db_setup: None, live_server: LiveServer) -> Iterator[webdriver.Chrome]:
    """The session's one headless Chromium; fails (never skips) when it is not installed.

    It is started after the live server (and the test database), so it quits before the server
    stops: Chromium keeps idle sockets open to the server, and a request thread woken by their
    closing after the server stopped would close the shared in-memory SQLite connection from a
    thread that may no longer use it.
    """
    problem = missing_browser()
    if problem is not None:
        raise RuntimeError(problem)
    driver = start_chromium()
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver: webdriver.Chrome, url: str, *, headers: Mapping[str, str] | None = None) -> None:
    """Load *url* (sending *headers* with every request) after emptying the console log."""
    console_messages(driver)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": dict(headers or {})})
    driver.get(url)


def console_messages(driver: webdriver.Chrome) -> list[dict[str, object]]:
    """The console messages since the last call (the log is emptied by reading it)."""
    # selenium leaves get_log unannotated; it returns the log's entries as dicts.
    return cast("list[dict[str, object]]", driver.get_log("browser"))  # type: ignore[no-untyped-call]


def console_errors(driver: webdriver.Chrome, *, allow: Sequence[str] = ()) -> list[str]:
    """The console errors since the last read, less those containing one of *allow*."""
    return [
        str(m.get("message"))
        for m in console_messages(driver)
        if m.get("level") == "SEVERE" and not any(a in str(m.get("message")) for a in allow)
    ]


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    """Save the whole page (not only the window) as ``test-artifacts/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    metrics = cast("dict[str, dict[str, float]]", driver.execute_cdp_cmd("Page.getLayoutMetrics", {}))
    size = metrics["cssContentSize"]
    shot = cast(
        "dict[str, str]",
        driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
            },
        ),
    )
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def page_problems(driver: webdriver.Chrome) -> list[str]:
    """What makes the loaded page not a rendered page: not complete, no title, no language, no heading."""
    state = cast(
        "dict[str, object]",
        driver.execute_script(
            "return {ready: document.readyState, title: document.title,"
            " lang: document.documentElement.lang, h1: document.querySelectorAll('h1').length,"
            " text: document.body ? document.body.innerText.length : 0};"
        ),
    )
    problems = []
    if state["ready"] != "complete":
        problems.append(f"the page is {state['ready']}, not complete")
    if not str(state["title"]).strip():
        problems.append("the page has no title")
    if not state["lang"]:
        problems.append("the page names no language")
    if not state["h1"]:
        problems.append("the page has no <h1>")
    if not state["text"]:
        problems.append("the page shows no text")
    return problems


# --- accessibility (axe-core) -------------------------------------------------------------------


def axe_violations(driver: webdriver.Chrome, *, rules: Sequence[str] = AXE_RULES) -> list[str]:
    """axe-core's violations of *rules* on the loaded page, one line per rule and element."""
    if not AXE_JS.is_file():
        raise RuntimeError(MISSING_AXE.format(path=AXE_JS))
    driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    result = cast(
        "dict[str, object]",
        driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'rule', values: arguments[0]}, resultTypes: ['violations']})"
            ".then(r => done({violations: r.violations.map(v => ({id: v.id, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))}))"
            ".catch(e => done({error: String(e)}));",
            list(rules),
        ),
    )
    if "error" in result:
        raise RuntimeError(f"axe-core failed: {result['error']}")
    lines = []
    for violation in cast("list[dict[str, object]]", result["violations"]):
        for node in cast("list[str]", violation["nodes"]):
            lines.append(f"{violation['id']} ({violation['help']}): {node}")
    return lines


# --- what the report value says each chart shows ------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One mark a chart must draw: its key and group, its label, and what it shows.

    ``shown`` is the published count (or, for a score row, its mean), ``None`` when the report
    suppresses the cell. ``range_withheld`` is true for a score row whose order statistics
    are suppressed.
    """

    key: str
    label: str
    shown: str | None
    group: str = ""
    group_label: str = ""
    box: bool = False
    count: str | None = None
    range_withheld: bool = False

    @property
    def suppressed(self) -> bool:
        """Whether the report suppresses this cell."""
        return self.shown is None

    @property
    def name(self) -> str:
        """The cell as a person reads it in a chart's text alternative (``group, label``)."""
        return f"{self.group_label}, {self.label}" if self.group else self.label


@dataclass(frozen=True)
class ExpectedFigure:
    """A chart the page must show (by its figure name) and its marks in order."""

    name: str
    cells: tuple[Cell, ...]


def _is_suppressed(value: object) -> bool:
    return isinstance(value, Mapping) and value.get(SUPPRESSED) is True


def _count(value: object) -> str | None:
    return None if _is_suppressed(value) else str(value)


def _g(value: float) -> str:
    return format(value, "g")


def _bucket_cells(buckets: object, *, group: str = "", group_label: str = "") -> list[Cell]:
    rows = cast("list[dict[str, object]]", buckets)
    return [
        Cell(
            key=str(b["key"]),
            label=str(b["label"]),
            shown=_count(b["count"]),
            group=group,
            group_label=group_label,
        )
        for b in rows
    ]


def _population_cells(population: object, *, group: str = "", group_label: str = "") -> list[Cell]:
    figures = cast("dict[str, object]", population)
    return [
        Cell(key=key, label=label, shown=_count(figures[key]), group=group, group_label=group_label)
        for key, label in POPULATION_LABELS.items()
    ]


def _score_cell(key: str, label: str, block: object) -> Cell:
    if _is_suppressed(block):
        return Cell(key=key, label=label, shown=None, box=True)
    stats = cast("dict[str, object]", block)
    order = ("min", "q1", "median", "q3", "max")
    return Cell(
        key=key,
        label=label,
        shown=f"mean {_g(cast('float', stats['mean']))}",
        box=True,
        count=_count(stats["count"]),
        range_withheld=any(_is_suppressed(stats[name]) for name in order),
    )


def _population_figures(body: Mapping[str, object]) -> list[ExpectedFigure]:
    scores = cast("dict[str, object]", body["scores"])
    return [
        ExpectedFigure(name="profiled_share", cells=tuple(_population_cells(body["population"]))),
        ExpectedFigure(
            name="scores",
            cells=tuple(_score_cell(key, label, scores[key]) for key, label in SCORE_LABELS.items()),
        ),
        *(ExpectedFigure(name=name, cells=tuple(_bucket_cells(body[name]))) for name in BUCKET_FIGURES),
    ]


def expected_figures(report: Mapping[str, object]) -> list[ExpectedFigure]:
    """The charts a cohort or enterprise report's wire JSON (``unstructure(report)``) must be drawn as."""
    if report["kind"] == "cohort_report":
        return _population_figures(report)
    rows = cast("dict[str, dict[str, object]]", report["cohorts"])
    labels = {cid: f"{row['label']} ({cid})" for cid, row in rows.items()}
    return [
        *_population_figures(cast("dict[str, object]", report["rollup"])),
        ExpectedFigure(
            name="cohort_population",
            cells=tuple(
                cell
                for cid, row in rows.items()
                for cell in _population_cells(row["population"], group=cid, group_label=labels[cid])
            ),
        ),
        ExpectedFigure(
            name="cohort_readiness",
            cells=tuple(
                cell
                for cid, row in rows.items()
                for cell in _bucket_cells(row["readiness"], group=cid, group_label=labels[cid])
            ),
        ),
        ExpectedFigure(
            name="cohort_overall",
            cells=tuple(_score_cell(cid, labels[cid], row["overall"]) for cid, row in rows.items()),
        ),
    ]


# --- what the browser shows ---------------------------------------------------------------------

# One walk over the DOM: per chart figure, its SVG's accessible name and description, each mark
# (its classes, the text it draws, how its bar is painted, whether it has a size on screen) and
# the rows of its data table.
_READ_CHARTS = """
const root = arguments[0] ? document.querySelector(arguments[0]) : document;
if (!root) { return null; }
const text = (ids) => (ids || '').split(/\\s+/).filter(Boolean)
  .map(id => { const e = document.getElementById(id); return e ? e.textContent : ''; }).join(' ').trim();
return Array.from(root.querySelectorAll('figure[data-figure]')).map(f => {
  const svg = f.querySelector('svg');
  const title = svg && svg.querySelector(':scope > title');
  return {
    name: f.dataset.figure,
    role: svg ? svg.getAttribute('role') : null,
    label: svg ? ((svg.getAttribute('aria-label') || '').trim() || text(svg.getAttribute('aria-labelledby'))
                  || (title ? title.textContent.trim() : '')) : '',
    description: svg ? (text(svg.getAttribute('aria-describedby'))
                        || (svg.querySelector(':scope > desc') || {textContent: ''}).textContent.trim()) : '',
    marks: svg ? Array.from(svg.querySelectorAll('g.mark')).map(g => {
      const rects = Array.from(g.querySelectorAll('rect'));
      const box = g.getBoundingClientRect();
      return {
        key: g.dataset.key || '', group: g.dataset.group || '',
        classes: Array.from(g.classList),
        text: Array.from(g.querySelectorAll('text')).map(t => t.textContent.trim()).join(' '),
        fills: rects.map(r => getComputedStyle(r).fill),
        dashed: rects.some(r => (getComputedStyle(r).strokeDasharray || 'none') !== 'none'),
        visible: box.width > 0 && box.height > 0,
      };
    }) : [],
    rows: Array.from(f.querySelectorAll('table tbody tr')).map(tr =>
      Array.from(tr.cells).map(td => td.textContent.trim())),
    hidden_labels: svg ? Array.from(svg.querySelectorAll('text.label, text.group')).filter(t => {
      const a = t.getBoundingClientRect();
      return Array.from(svg.querySelectorAll('g.mark rect, g.mark line, g.mark polygon')).some(s => {
        const b = s.getBoundingClientRect();
        return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      });
    }).map(t => t.textContent.trim()) : [],
  };
});
"""


@dataclass(frozen=True)
class Mark:
    """One ``g.mark`` as the browser shows it."""

    key: str
    group: str
    classes: tuple[str, ...]
    text: str
    fills: tuple[str, ...]
    dashed: bool
    visible: bool


@dataclass(frozen=True)
class ShownFigure:
    """One chart figure as the browser shows it."""

    name: str
    role: str | None
    label: str
    description: str
    marks: tuple[Mark, ...]
    rows: tuple[tuple[str, ...], ...]
    hidden_labels: tuple[str, ...] = ()


def read_charts(driver: webdriver.Chrome, within: str = "") -> list[ShownFigure]:
    """Every chart figure of the loaded page (or of the element *within* selects), as shown."""
    raw = cast("list[dict[str, object]] | None", driver.execute_script(_READ_CHARTS, within))
    if raw is None:
        raise AssertionError(f"the page has no element {within!r}")
    return [
        ShownFigure(
            name=str(f["name"]),
            role=cast("str | None", f["role"]),
            label=str(f["label"]),
            description=str(f["description"]),
            marks=tuple(
                Mark(
                    key=str(m["key"]),
                    group=str(m["group"]),
                    classes=tuple(cast("list[str]", m["classes"])),
                    text=str(m["text"]),
                    fills=tuple(cast("list[str]", m["fills"])),
                    dashed=bool(m["dashed"]),
                    visible=bool(m["visible"]),
                )
                for m in cast("list[dict[str, object]]", f["marks"])
            ),
            rows=tuple(tuple(row) for row in cast("list[list[str]]", f["rows"])),
            hidden_labels=tuple(cast("list[str]", f["hidden_labels"])),
        )
        for f in raw
    ]


# --- the checks ---------------------------------------------------------------------------------


def _mark_problems(where: str, cell: Cell, mark: Mark) -> list[str]:
    problems = []
    if (mark.key, mark.group) != (cell.key, cell.group):
        problems.append(f"{where}: the mark is {mark.group}/{mark.key}, expected {cell.group}/{cell.key}")
    if not mark.visible:
        problems.append(f"{where}: the mark has no size on the page")
    if cell.suppressed:
        if SUPPRESSED not in mark.classes:
            problems.append(f"{where}: a suppressed cell is not drawn as suppressed (classes {mark.classes})")
        if mark.text != SUPPRESSED:
            problems.append(f"{where}: a suppressed cell shows {mark.text!r}, not the word {SUPPRESSED!r}")
        if _DIGIT.search(mark.text):
            problems.append(f"{where}: a suppressed cell shows a number ({mark.text!r})")
        if not any(fill.startswith("url(") for fill in mark.fills) or not mark.dashed:
            problems.append(f"{where}: a suppressed cell is not the hatched, dashed pattern ({mark.fills})")
        return problems
    if SUPPRESSED in mark.classes:
        problems.append(f"{where}: a published cell ({cell.shown}) is drawn as suppressed")
    if cell.box:
        if cell.shown is not None and cell.shown not in mark.text:
            problems.append(f"{where}: the score row shows {mark.text!r}, not {cell.shown!r}")
        if cell.range_withheld and f"range {SUPPRESSED}" not in mark.text:
            problems.append(f"{where}: a withheld range is not shown as {SUPPRESSED} ({mark.text!r})")
    elif mark.text != cell.shown:
        problems.append(f"{where}: the bar shows {mark.text!r}, the report says {cell.shown}")
    if any(fill.startswith("url(") for fill in mark.fills):
        problems.append(f"{where}: a published cell is painted with the suppressed pattern")
    return problems


def _row_problems(where: str, cell: Cell, row: tuple[str, ...]) -> list[str]:
    if len(row) < 2:
        return [f"{where}: the table row {row} has no value"]
    values = row[1:] if cell.box else row[-1:]
    if cell.suppressed:
        if any(v != SUPPRESSED for v in values):
            return [f"{where}: the table shows {values} for a suppressed cell, not {SUPPRESSED!r}"]
        return []
    expected = cell.count if cell.box else cell.shown
    shown = values[0]
    if expected is None:
        return [] if shown == SUPPRESSED else [f"{where}: the table shows {shown!r} for a suppressed count"]
    return [] if shown == expected else [f"{where}: the table shows {shown!r}, the report says {expected}"]


def _alternative_problems(where: str, figure: ShownFigure, cells: Sequence[Cell]) -> list[str]:
    problems = []
    if figure.role != "img":
        problems.append(f"{where}: the chart's SVG has role {figure.role!r}, not 'img'")
    if not figure.label:
        problems.append(f"{where}: the chart has no accessible name")
    if not figure.description:
        problems.append(f"{where}: the chart has no text alternative (description)")
    for cell in cells:
        said = f"{cell.name}: {SUPPRESSED}" if cell.suppressed else f"{cell.name}: "
        if not cell.box and not cell.suppressed:
            said += str(cell.shown)
        if said not in figure.description:
            problems.append(f"{where}: the text alternative does not say {said!r}")
    return problems


def chart_problems(shown: Sequence[ShownFigure], expected: Sequence[ExpectedFigure]) -> list[str]:
    """Where the charts on the page differ from the report: a missing or extra chart or mark, a
    suppressed cell drawn as a number or without the word and pattern, a count that is not the
    report's, a data table that disagrees, a chart without a text alternative, a label that runs
    under a bar or box (as seen on the screen)."""
    problems = []
    names = [f.name for f in shown]
    if names != [f.name for f in expected]:
        problems.append(f"the charts are {names}, the report has {[f.name for f in expected]}")
    by_name = {f.name: f for f in shown}
    for figure in expected:
        page = by_name.get(figure.name)
        if page is None:
            continue
        if len(page.marks) != len(figure.cells):
            problems.append(
                f"{figure.name}: {len(page.marks)} marks drawn, the report has {len(figure.cells)} cells"
            )
        if len(page.rows) != len(figure.cells):
            problems.append(
                f"{figure.name}: {len(page.rows)} table rows, the report has {len(figure.cells)} cells"
            )
        marks = {(m.group, m.key): m for m in page.marks}
        for index, cell in enumerate(figure.cells):
            where = f"{figure.name}[{cell.name}]"
            mark = marks.get((cell.group, cell.key))
            if mark is None:
                problems.append(f"{where}: no mark drawn")
            else:
                problems += _mark_problems(where, cell, mark)
            if index < len(page.rows):
                problems += _row_problems(where, cell, page.rows[index])
        problems += _alternative_problems(figure.name, page, figure.cells)
        problems += [f"{figure.name}: the label {label!r} runs under a mark" for label in page.hidden_labels]
    return problems


def report_json(text: str) -> dict[str, object]:
    """A JSON document read back (the analytics command's ``--format json`` output)."""
    return cast("dict[str, object]", json.loads(text))

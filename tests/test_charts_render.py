"""The Vega-Lite specifications as a frontend draws them: rendered to SVG by vega-lite and vega (npm).

:mod:`tests.test_charts` checks that each specification is valid Vega-Lite; this module renders
them (``tests/frontend/render_vega.js``, the same compiler and runtime react-vega and vega-embed
use) and reads the drawing. What each chart must show comes from the report's wire JSON
(``unstructure(report)``: its buckets, population figures, score blocks and cohorts), never from
the specification under test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import cast

import pytest

from profiler_core import unstructure
from profiler_core.charts import BarCell, BarChart, Report, chart_specs, vega_lite
from profiler_core.demo.analytics import dashboard_reports
from profiler_core.demo.sample import build_sample_platform
from profiler_core.reports import SUPPRESSED as SUPPRESSED_VALUE
from profiler_core.reports import EnterpriseReport

FRONTEND = Path(__file__).resolve().parent / "frontend"
RENDER = FRONTEND / "render_vega.js"
SUPPRESSED = "suppressed"
_SVG_TEXT = "{http://www.w3.org/2000/svg}text"
_SVG_G = "{http://www.w3.org/2000/svg}g"

# What the report value does not name itself: the display labels of the population cells and of
# the three scores (fixed by the report's field names).
POPULATION_LABELS = {"total": "Learners", "profiled": "Profiled", "not_profiled": "Not profiled"}
SCORE_LABELS = {"aptitude": "Aptitude", "technical_exposure": "Technical exposure", "overall": "Overall"}
BUCKET_FIGURES = ("readiness", "tracks", "difficulty", "completions", "top_strengths")

# Vega warns about the empty domain of the published-bar layer when every cell of a chart is
# suppressed (nothing published to scale); the suppressed layer still draws every bar.
_EMPTY_PUBLISHED_LAYER = "Infinite extent for field"


def _suppressed(value: object) -> bool:
    return isinstance(value, Mapping) and value.get(SUPPRESSED) is True


def _rows(value: object) -> list[dict[str, object]]:
    return cast("list[dict[str, object]]", value)


@cache
def _node() -> str:
    node = shutil.which("node")
    if node is None or not (FRONTEND / "node_modules" / "vega").is_dir():
        pytest.fail("rendering the specifications needs node and vega: run `make frontend-deps`")
    return node


def render(specs: Mapping[str, object]) -> dict[str, dict[str, object]]:
    """Each specification rendered by vega-lite and vega: ``{name: {"svg", "warnings"}}``."""
    done = subprocess.run(
        [_node(), str(RENDER)],
        input=json.dumps(specs),
        capture_output=True,
        text=True,
        check=False,
        cwd=FRONTEND,
    )
    assert done.returncode == 0, done.stderr
    return cast("dict[str, dict[str, object]]", json.loads(done.stdout))


def svg_texts(svg: str) -> list[str]:
    """Every text the drawing shows, as a person reads it."""
    root = ET.fromstring(svg)
    return ["".join(element.itertext()).strip() for element in root.iter(_SVG_TEXT)]


def axis_labels(svg: str) -> list[str]:
    """The tick labels of the chart's x axis (the counts, or the 0-100 scores)."""
    root = ET.fromstring(svg)
    for group in root.iter(_SVG_G):
        if "role-axis" in group.get("class", "").split() and group.get("aria-label", "").startswith("X-axis"):
            return [
                "".join(text.itertext()).strip()
                for labels in group.iter(_SVG_G)
                if "role-axis-label" in labels.get("class", "").split()
                for text in labels.iter(_SVG_TEXT)
            ]
    raise AssertionError("the drawing has no x axis")


def expected(report: Mapping[str, object]) -> dict[str, tuple[list[str], int]]:
    """Per figure: the category labels the chart must show in full, and how many cells are suppressed."""
    kind = report["kind"]
    body = cast("dict[str, object]", report["rollup"] if kind == "enterprise_report" else report)
    population = cast("dict[str, object]", body["population"])
    scores = cast("dict[str, object]", body["scores"])
    figures: dict[str, tuple[list[str], int]] = {
        "profiled_share": (
            list(POPULATION_LABELS.values()),
            sum(_suppressed(population[key]) for key in POPULATION_LABELS),
        ),
        "scores": (list(SCORE_LABELS.values()), sum(_suppressed(scores[key]) for key in SCORE_LABELS)),
    }
    for name in BUCKET_FIGURES:
        buckets = _rows(body[name])
        figures[name] = ([str(b["label"]) for b in buckets], sum(_suppressed(b["count"]) for b in buckets))
    if kind == "enterprise_report":
        rows = cast("dict[str, dict[str, object]]", report["cohorts"])
        groups = [f"{row['label']} ({cid})" for cid, row in rows.items()]
        pop = [cast("dict[str, object]", row["population"]) for row in rows.values()]
        readiness = [b for row in rows.values() for b in _rows(row["readiness"])]
        figures["cohort_population"] = (
            groups,
            sum(_suppressed(p[key]) for p in pop for key in POPULATION_LABELS),
        )
        figures["cohort_readiness"] = (groups, sum(_suppressed(b["count"]) for b in readiness))
        figures["cohort_overall"] = (groups, sum(_suppressed(row["overall"]) for row in rows.values()))
    return figures


def drawing_problems(
    name: str, drawn: Mapping[str, object], labels: Sequence[str], suppressed: int
) -> list[str]:
    """Where one rendered chart differs from the report: a label cut short or missing, a suppressed
    cell not drawn with the word, a warning from the compiler or the runtime."""
    texts = svg_texts(str(drawn["svg"]))
    problems = [f"{name}: the text {t!r} is cut short" for t in texts if t.endswith("…")]
    problems += [
        f"{name}: the label {label!r} is not shown in full" for label in labels if label not in texts
    ]
    ticks = axis_labels(str(drawn["svg"]))
    if len(set(ticks)) != len(ticks) or not all(t.isdigit() for t in ticks):
        problems.append(f"{name}: the axis reads {ticks}, not distinct whole numbers")
    words = sum(t == SUPPRESSED or t.endswith(f": {SUPPRESSED}") for t in texts)
    if words != suppressed:
        problems.append(f"{name}: {words} bars say {SUPPRESSED!r}, the report suppresses {suppressed} cells")
    warnings = cast("list[str]", drawn["warnings"])
    problems += [f"{name}: {w}" for w in warnings if _EMPTY_PUBLISHED_LAYER not in w]
    return problems


@cache
def sample_reports() -> tuple[Report, ...]:
    """The demo's dashboard reports (seed 7): two cohorts share the name "Autumn Defenders"."""
    return tuple(dashboard_reports(build_sample_platform(7)))


class TestRendered:
    @pytest.mark.parametrize("index", [0, 1, 2])
    def test_each_chart_draws_the_report(self, index: int) -> None:
        """Every figure of the demo's reports renders: full labels, one "suppressed" per suppressed cell."""
        report = sample_reports()[index]
        specs = chart_specs(report)
        figures = expected(cast("Mapping[str, object]", unstructure(report)))
        assert sorted(specs) == sorted(figures)
        rendered = render(specs)
        problems = [
            problem
            for name, (labels, suppressed) in figures.items()
            for problem in drawing_problems(name, rendered[name], labels, suppressed)
        ]
        assert problems == []

    def test_two_cohorts_of_one_name_are_told_apart(self) -> None:
        """The breakdown shows "Autumn Defenders (cohort-a)" and "(cohort-b)" in full, not cut to one text."""
        report = next(r for r in sample_reports() if isinstance(r, EnterpriseReport))
        wire = cast("dict[str, object]", unstructure(report))
        rows = cast("dict[str, dict[str, object]]", wire["cohorts"])
        assert len({row["label"] for row in rows.values()}) < len(rows), "two cohorts share a name"
        rendered = render(chart_specs(report))
        for name in ("cohort_population", "cohort_readiness", "cohort_overall"):
            texts = svg_texts(str(rendered[name]["svg"]))
            assert [f"{row['label']} ({cid})" for cid, row in rows.items()] == [
                t for t in texts if t.startswith(tuple(str(row["label"]) for row in rows.values()))
            ]

    @pytest.mark.parametrize(
        ("longest", "ticks"), [(0, "0 1"), (1, "0 1"), (2, "0 1 2"), (7, "0 1 2 3 4 5 6 7")]
    )
    def test_a_short_count_axis_has_whole_ticks(self, longest: int, ticks: str) -> None:
        """A chart whose longest bar is 2 learners reads "0 1 2" on its axis, not "0 1 1 2 2"."""
        cells = [
            BarCell.of("a", "A", longest),
            BarCell.of("b", "B", SUPPRESSED_VALUE),
        ]
        chart = BarChart(
            name="small",
            title="Small",
            subtitle="a test",
            description="Small",
            category_title="Category",
            value_title="Learners",
            cells=cells,
        )
        drawn = render({"small": vega_lite(chart)})["small"]
        assert " ".join(axis_labels(str(drawn["svg"]))) == ticks
        assert drawing_problems("small", drawn, ["A", "B"], 1) == []

    def test_each_bar_of_a_breakdown_names_its_measure(self) -> None:
        """Per cohort, each bar says "<measure>: <count>" or "<measure>: suppressed", not a bare count."""
        report = next(r for r in sample_reports() if isinstance(r, EnterpriseReport))
        wire = cast("dict[str, object]", unstructure(report))
        rows = cast("dict[str, dict[str, object]]", wire["cohorts"])
        rendered = render(chart_specs(report))

        def said(label: str, count: object) -> str:
            return f"{label}: {SUPPRESSED if _suppressed(count) else count}"

        population = [
            said(label, cast("dict[str, object]", row["population"])[key])
            for row in rows.values()
            for key, label in POPULATION_LABELS.items()
        ]
        readiness = [
            said(str(b["label"]), b["count"]) for row in rows.values() for b in _rows(row["readiness"])
        ]
        for name, expected_texts in (("cohort_population", population), ("cohort_readiness", readiness)):
            texts = svg_texts(str(rendered[name]["svg"]))
            assert sorted(t for t in texts if ": " in t) == sorted(expected_texts), name

    def test_a_suppressed_cell_drawn_as_zero_is_reported(self) -> None:
        """The check can fail: a spec whose suppressed row is turned into a published 0 is reported."""
        report = sample_reports()[0]
        specs = chart_specs(report)
        figures = expected(cast("Mapping[str, object]", unstructure(report)))
        spec = cast("dict[str, dict[str, list[dict[str, object]]]]", specs["tracks"])
        values = spec["data"]["values"]
        first = next(i for i, row in enumerate(values) if row["suppressed"])
        values[first] = {**values[first], "suppressed": False, "count": 0}
        labels, suppressed = figures["tracks"]
        problems = drawing_problems("tracks", render({"tracks": spec})["tracks"], labels, suppressed)
        assert problems == [
            f"tracks: {suppressed - 1} bars say 'suppressed', the report suppresses {suppressed} cells"
        ]

    def test_a_cut_label_is_reported(self) -> None:
        """The check can fail: a spec whose category labels are limited to 40 px is reported."""
        report = sample_reports()[0]
        spec = cast("dict[str, dict[str, dict[str, object]]]", chart_specs(report)["readiness"])
        spec["encoding"]["y"]["axis"] = {"labelLimit": 40}
        labels, suppressed = expected(cast("Mapping[str, object]", unstructure(report)))["readiness"]
        problems = drawing_problems("readiness", render({"readiness": spec})["readiness"], labels, suppressed)
        assert any("is cut short" in p for p in problems), problems
        assert any("is not shown in full" in p for p in problems), problems

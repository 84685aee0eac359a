"""Vega-Lite specifications of the reports: valid, complete, suppressed cells drawn as suppressed."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.analytics_builders import ORG, seed, seed_partial

from profiler_core.analytics import (
    SUPPRESSED,
    AnalyticsPartial,
    CohortReport,
    EnterpriseReport,
    ScoreSummary,
    Suppressed,
    cohort_report,
    cohort_reports,
    enterprise_report,
)
from profiler_core.charts import (
    VEGA_LITE_SCHEMA,
    BarCell,
    BarChart,
    ScoreBox,
    ScoreChart,
    chart_specs,
    figures,
    vega_lite,
)
from profiler_core.models import Cohort
from profiler_core.suppression import SuppressionPolicy
from profiler_core.testing.strategies_analytics import analytics_partials, enterprise_cohorts

SCHEMA = (
    Path(__file__).resolve().parent
    / "frontend"
    / "node_modules"
    / "vega-lite"
    / "build"
    / "vega-lite-schema.json"
)

COHORT_FIGURES = [
    "profiled_share",
    "scores",
    "readiness",
    "tracks",
    "difficulty",
    "completions",
    "top_strengths",
]
ENTERPRISE_FIGURES = [*COHORT_FIGURES, "cohort_population", "cohort_readiness", "cohort_overall"]


@cache
def validator() -> jsonschema.Draft7Validator:
    if not SCHEMA.exists():
        pytest.fail(
            f"{SCHEMA} is missing: run `make frontend-deps` (npm ci in tests/frontend) before the tests"
        )
    return jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def schema_errors(spec: dict[str, object]) -> list[str]:
    # Through JSON first: what a frontend receives.
    errors = validator().iter_errors(json.loads(json.dumps(spec)))
    best = jsonschema.exceptions.best_match(errors)
    return [] if best is None else [f"{list(best.absolute_path)}: {best.message[:300]}"]


def reports() -> tuple[CohortReport, EnterpriseReport]:
    cohorts, *_ = seed()
    partial = seed_partial()
    return cohort_report(cohorts[0], partial, enterprise_cohorts=cohorts), enterprise_report(
        ORG, cohorts, partial
    )


class TestSchema:
    @pytest.mark.parametrize("name", COHORT_FIGURES)
    def test_cohort_figure_is_valid_vega_lite(self, name: str) -> None:
        """Each figure of a cohort report validates against the official Vega-Lite v5 JSON schema."""
        spec = chart_specs(reports()[0])[name]
        assert schema_errors(spec) == []
        assert spec["$schema"] == VEGA_LITE_SCHEMA

    @pytest.mark.parametrize("name", ENTERPRISE_FIGURES)
    def test_enterprise_figure_is_valid_vega_lite(self, name: str) -> None:
        """Each figure of an enterprise report (rollup and breakdown) validates against the schema."""
        assert schema_errors(chart_specs(reports()[1])[name]) == []

    def test_the_validator_rejects_a_broken_spec(self) -> None:
        """The schema check can fail: a spec whose mark is unknown is reported."""
        spec = chart_specs(reports()[0])["readiness"]
        broken = {**spec, "layer": [{"mark": "barchart", "encoding": {}}]}
        assert schema_errors(broken) != []


class TestFigures:
    def test_every_figure_of_each_report_kind(self) -> None:
        """A cohort report has the seven figures; an enterprise report adds the three breakdown figures."""
        cohort, enterprise = reports()
        assert list(chart_specs(cohort)) == COHORT_FIGURES
        assert list(chart_specs(enterprise)) == ENTERPRISE_FIGURES

    def test_each_spec_has_inline_data_a_description_and_titles(self) -> None:
        """Data is inline, the description names every cell, and the title and axes are labelled."""
        spec = chart_specs(reports()[0])["readiness"]
        assert isinstance(spec["data"], dict)
        rows = spec["data"]["values"]
        assert [r["key"] for r in rows] == ["novice", "beginner", "intermediate", "advanced"]
        description = spec["description"]
        assert isinstance(description, str)
        for label in ("Novice (<40)", "Beginner (40-<60)", "Intermediate (60-<80)", "Advanced (>=80)"):
            assert label in description
        assert spec["title"]["text"] == "Readiness (overall score)"  # type: ignore[index]
        assert spec["encoding"]["y"]["title"] == "Readiness band"  # type: ignore[index]
        assert spec["layer"][0]["encoding"]["x"]["title"] == "Learners"  # type: ignore[index]

    def test_bucket_rows_carry_the_reports_counts(self) -> None:
        """Each bar's row holds its bucket's count, or suppressed with no count."""
        cohort = reports()[0]
        rows = chart_specs(cohort)["tracks"]["data"]["values"]  # type: ignore[index]
        expected = [
            (b.key, None, True) if isinstance(b.count, Suppressed) else (b.key, b.count, False)
            for b in cohort.body.tracks
        ]
        assert [(r["key"], r["count"], r["suppressed"]) for r in rows] == expected

    def test_score_rows_carry_the_statistics(self) -> None:
        """The scores figure holds each block's count, mean and quartiles as published."""
        cohort = reports()[0]
        rows = {r["key"]: r for r in chart_specs(cohort)["scores"]["data"]["values"]}  # type: ignore[index]
        block = cohort.body.aptitude
        assert isinstance(block, ScoreSummary)
        assert rows["aptitude"]["count"] == block.count
        assert rows["aptitude"]["mean"] == block.mean
        assert rows["aptitude"]["median"] == (None if isinstance(block.median, Suppressed) else block.median)

    def test_breakdown_keeps_same_name_cohorts_apart(self) -> None:
        """Two cohorts sharing a name are two groups of bars, labelled by id."""
        enterprise = reports()[1]
        rows = chart_specs(enterprise)["cohort_population"]["data"]["values"]  # type: ignore[index]
        assert {r["group"] for r in rows} == {"c-a", "c-b"}
        assert {r["group_label"] for r in rows} == {"Autumn Defenders (c-a)", "Autumn Defenders (c-b)"}
        assert len(rows) == 6


class TestSuppressed:
    def test_a_suppressed_cell_is_a_row_with_no_count(self) -> None:
        """A suppressed bucket is a data row with suppressed: true and count null: never 0, never missing."""
        cohort = reports()[0]
        suppressed = [b.key for b in cohort.body.readiness if b.count is SUPPRESSED]
        assert suppressed, "the seed suppresses a readiness band of c-a"
        rows = {r["key"]: r for r in chart_specs(cohort)["readiness"]["data"]["values"]}  # type: ignore[index]
        for key in suppressed:
            assert rows[key]["suppressed"] is True
            assert rows[key]["count"] is None
        assert "suppressed" in vega_lite(figures(cohort)[2])["description"]  # type: ignore[operator]

    def test_suppressed_cells_are_drawn_with_the_word(self) -> None:
        """The spec draws suppressed rows in their own grey, dashed layer with the text 'suppressed'."""
        spec = chart_specs(reports()[0])["readiness"]
        layers = spec["layer"]
        assert isinstance(layers, list)
        drawn = [layer for layer in layers if {"filter": "datum.suppressed"} in layer["transform"]]
        marks = [layer["mark"] for layer in drawn]
        assert any(m["type"] == "bar" and m.get("strokeDash") for m in marks)
        texts = [layer["encoding"]["text"] for layer in drawn if layer["mark"]["type"] == "text"]
        assert texts == [{"value": "suppressed"}]
        published = [layer for layer in layers if {"filter": "!datum.suppressed"} in layer["transform"]]
        assert published
        assert all(layer["encoding"]["x"].get("field") == "count" for layer in published)

    def test_a_suppressed_block_has_every_figure_null(self) -> None:
        """A suppressed statistics block is a row with suppressed: true and no figure at all."""
        box = ScoreBox.of("overall", "Overall", SUPPRESSED)
        chart = vega_lite(
            ScoreChart(
                name="scores", title="t", subtitle="s", description="d", category_title="Score", boxes=[box]
            )
        )
        (row,) = chart["data"]["values"]  # type: ignore[index]
        assert row["suppressed"] is True
        numbers = [row[k] for k in ("count", "missing", "mean", "std", "min", "q1", "median", "q3", "max")]
        assert numbers == [None] * 9

    def test_bar_cell_of_suppressed_and_zero(self) -> None:
        """A published 0 stays 0 and unsuppressed; SUPPRESSED becomes no count, suppressed."""
        assert BarCell.of("k", "K", 0) == BarCell(key="k", label="K", count=0, suppressed=False)
        assert BarCell.of("k", "K", SUPPRESSED) == BarCell(key="k", label="K", count=None, suppressed=True)

    def test_all_suppressed_chart_keeps_a_positive_nominal_length(self) -> None:
        """With every cell suppressed the nominal bar length is still positive (1), so each is visible."""
        chart = BarChart(
            name="readiness",
            title="t",
            subtitle="s",
            description="d",
            category_title="c",
            value_title="Learners",
            cells=[BarCell.of("a", "A", SUPPRESSED), BarCell.of("b", "B", SUPPRESSED)],
        )
        spec = vega_lite(chart)
        datum = spec["layer"][2]["encoding"]["x"]["datum"]  # type: ignore[index]
        assert datum == 1.0
        assert schema_errors(spec) == []


@settings(max_examples=25, deadline=None)
@given(
    cohorts=enterprise_cohorts(max_cohorts=3),
    partial=analytics_partials(("c-1", "c-2", "c-3")),
    k=st.integers(min_value=2, max_value=6),
)
def test_every_bucket_is_one_row_and_suppressed_exactly_when_the_report_says(
    cohorts: list[Cohort], partial: AnalyticsPartial, k: int
) -> None:
    """For any enterprise, each rollup and breakdown cell is one row; suppressed exactly when SUPPRESSED."""
    report = enterprise_report("org-1", cohorts, partial, suppression=SuppressionPolicy(k=k))
    specs = chart_specs(report)
    for name, buckets in (("readiness", report.rollup.readiness), ("difficulty", report.rollup.difficulty)):
        rows = specs[name]["data"]["values"]  # type: ignore[index]
        assert [(r["count"], r["suppressed"]) for r in rows] == [
            (None, True) if isinstance(b.count, Suppressed) else (b.count, False) for b in buckets
        ]
    readiness = specs["cohort_readiness"]["data"]["values"]  # type: ignore[index]
    assert len(readiness) == 4 * len(report.cohorts)
    assert all((r["count"] is None) == r["suppressed"] for r in readiness)
    assert (
        cohort_reports(cohorts, partial, suppression=SuppressionPolicy(k=k)).keys() == report.cohorts.keys()
    )

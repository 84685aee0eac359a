"""Tests for profiler_core.reports: report values and the published reports (SPEC §9)."""

from __future__ import annotations

import json
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.analytics_builders import (
    APTITUDES,
    NO_SUPPRESSION,
    ORG,
    A,
    B,
    bucket_counts,
    cohort,
    enrol,
    seed,
    seed_partial,
    session,
)

from profiler_core import (
    Cohort,
    OrgId,
)
from profiler_core.analytics import (
    SUPPRESSED,
    AnalyticsPartial,
    AnalyticsPolicy,
    ScoreSketch,
    ScoreSummary,
    cohort_report,
    cohort_reports,
    enterprise_report,
    partial_from_values,
    summarize_scores,
)
from profiler_core.serialization import unstructure, unstructure_object
from profiler_core.testing import strategies_analytics as ast


class TestSummarizeScores:
    @pytest.mark.parametrize(
        ("scores", "expected"),
        [
            (APTITUDES, (9, 40.0, 25.82, 0.0, 20.0, 40.0, 60.0, 80.0)),
            ([0.0, 20.0, 40.0, 60.0, 80.0], (5, 40.0, 28.28, 0.0, 20.0, 40.0, 60.0, 80.0)),
            ([0.0, 0.0, 0.0], (3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)),
            ([100.0, 100.0], (2, 100.0, 0.0, 100.0, 100.0, 100.0, 100.0, 100.0)),
            ([42.0], (1, 42.0, 0.0, 42.0, 42.0, 42.0, 42.0, 42.0)),
        ],
    )
    def test_known_summaries(self, scores: list[float], expected: tuple[float, ...]) -> None:
        """Count, mean, population std, min, quartiles and max of known lists (computed by hand)."""
        summary = summarize_scores(ScoreSketch.of(scores))
        assert summary is not None
        got = (
            summary.count,
            summary.mean,
            summary.std,
            summary.minimum,
            summary.q1,
            summary.median,
            summary.q3,
        )
        assert (*got, summary.maximum) == expected

    def test_empty_has_no_summary(self) -> None:
        """An empty sketch has nothing to summarise."""
        assert summarize_scores(ScoreSketch.empty()) is None

    def test_missing_is_carried(self) -> None:
        """missing= is copied into the summary."""
        summary = summarize_scores(ScoreSketch.of([10.0]), missing=3)
        assert summary is not None
        assert summary.missing == 3

    @pytest.mark.parametrize(
        ("scores", "quartiles"),
        [
            # Positions 0.75, 1.5, 2.25 between integer scores: interpolated exactly.
            ([1.0, 2.0, 3.0, 4.0], (1.75, 2.5, 3.25)),
            ([10.0, 20.0, 30.0, 40.0, 50.0, 60.0], (22.5, 35.0, 47.5)),
            # 78.5 alone in bin 78 is placed at 78 (min and max stay exact): median 78, not 78.5.
            ([10.0, 78.5, 90.0], (44.0, 78.0, 84.0)),
        ],
    )
    def test_known_quartiles(self, scores: list[float], quartiles: tuple[float, float, float]) -> None:
        """Quartiles interpolate between order statistics; a lone non-integer score sits at its bin's edge."""
        summary = summarize_scores(ScoreSketch.of(scores))
        assert summary is not None
        assert (summary.q1, summary.median, summary.q3) == quartiles

    @given(st.lists(ast.analytics_scores(), min_size=2, max_size=60))
    def test_quartiles_are_within_one_point(self, scores: list[float]) -> None:
        """Bin-estimated quartiles lie within 1 point of the exact linear-interpolation quartiles."""
        summary = summarize_scores(ScoreSketch.of(scores))
        assert summary is not None
        exact = statistics.quantiles(scores, n=4, method="inclusive")
        for estimate, truth in zip((summary.q1, summary.median, summary.q3), exact, strict=True):
            assert isinstance(estimate, float)  # summarize_scores is exact: nothing is suppressed here
            assert abs(estimate - truth) < 1.0 + 0.005  # plus the 2-decimal rounding

    @given(st.lists(ast.analytics_scores(), min_size=1, max_size=60))
    def test_mean_std_min_max_are_exact(self, scores: list[float]) -> None:
        """Mean, population std, min and max match statistics' exact values (to the 2-decimal rounding)."""
        summary = summarize_scores(ScoreSketch.of(scores))
        assert summary is not None
        assert summary.mean == pytest.approx(statistics.fmean(scores), abs=0.0051)
        assert summary.std == pytest.approx(statistics.pstdev(scores), abs=0.0051)
        assert (summary.minimum, summary.maximum) == (round(min(scores), 2), round(max(scores), 2))


class TestCohortReport:
    def test_seed_report_without_suppression(self) -> None:
        """With k = 1 every figure of the seed cohort is published as computed."""
        cohorts, *_ = seed()
        report = cohort_report(
            cohorts[0], seed_partial(), enterprise_cohorts=cohorts, suppression=NO_SUPPRESSION
        )
        body = report.body
        assert (body.population.total, body.population.profiled, body.population.not_profiled) == (12, 9, 3)
        assert body.population.profiled_pct == 75.0
        assert body.aptitude == ScoreSummary(
            count=9, missing=0, mean=40.0, std=25.82, minimum=0.0, q1=20.0, median=40.0, q3=60.0, maximum=80.0
        )
        assert isinstance(body.overall, ScoreSummary)
        assert (body.overall.count, body.overall.missing) == (8, 1)
        assert bucket_counts(body.readiness) == {"novice": 2, "beginner": 2, "intermediate": 2, "advanced": 2}
        assert bucket_counts(body.tracks) == {
            "defender": 5,
            "offensive": 3,
            "innovation": 0,
            "leadership": 0,
            "grc": 0,
            "none": 1,
        }
        assert bucket_counts(body.difficulty) == {
            "novice": 4,
            "beginner": 0,
            "intermediate": 5,
            "advanced": 0,
            "elite": 0,
            "not_selected": 0,
        }
        assert bucket_counts(body.top_strengths) == {"networking": 9, "security": 6}
        assert bucket_counts(body.completions) == {"2026-03": 6, "2026-04": 3, "undated": 0}
        assert report.suppressed_cells == 0

    def test_seed_report_is_suppressed_under_k5(self) -> None:
        """With k = 5: counts of 1..4 are suppressed, never 0; large figures stay; zeros are published."""
        cohorts, *_ = seed()
        body = cohort_reports(cohorts, seed_partial())[A].body
        assert body.population.not_profiled is SUPPRESSED
        assert body.population.profiled == 9
        assert body.population.profiled_pct is SUPPRESSED  # total or profiled had to go with it
        assert all(b.count is SUPPRESSED for b in body.readiness)  # 2 each
        tracks = bucket_counts(body.tracks)
        assert tracks["offensive"] is SUPPRESSED
        assert tracks["none"] is SUPPRESSED
        assert tracks["grc"] == 0
        assert isinstance(body.aptitude, ScoreSummary)
        assert bucket_counts(body.top_strengths) == {"networking": 9, "security": 6}

    def test_small_cohort_is_fully_suppressed(self) -> None:
        """A cohort of 3 learners publishes no count of 1..4 and no statistics block (a true 0 stays 0)."""
        small = cohort("c-s", name="Pilot", enterprise="org-2")
        partial = partial_from_values(
            enrollments=[enrol(f"u-{i}", "c-s") for i in range(3)],
            sessions=[session(f"s-{i}", f"u-{i}", aptitude=50.0) for i in range(3)],
        )
        data = unstructure_object(cohort_report(small, partial))
        hidden = {"suppressed": True}
        assert data["population"] == {
            "total": hidden,
            "profiled": hidden,
            "not_profiled": 0,
            "profiled_pct": hidden,
        }
        assert data["scores"] == dict.fromkeys(("aptitude", "technical_exposure", "overall"), hidden)
        assert data["top_strengths"] == []

    def test_empty_cohort(self) -> None:
        """A cohort without learners reports zeros and no statistics, without crashing."""
        report = cohort_report(cohort("c-e", enterprise=None), AnalyticsPartial.empty())
        assert report.body.population.total == 0
        assert report.body.population.profiled_pct is None
        assert report.body.overall is SUPPRESSED
        assert bucket_counts(report.body.completions) == {"undated": 0}

    def test_json_shape(self) -> None:
        """The JSON names the cohort, the policies and k, and is JSON-serialisable."""
        cohorts, *_ = seed()
        data = json.loads(json.dumps(unstructure(cohort_reports(cohorts, seed_partial())[B])))
        assert data["kind"] == "cohort_report"
        assert data["cohort"] == {
            "id": "c-b",
            "name": "Autumn Defenders",
            "track": None,
            "enterprise_id": "org-1",
        }
        assert data["policies"] == {"analytics": "analytics@1", "suppression": "suppression@2"}
        assert data["k"] == 5
        assert set(data) >= {
            "population",
            "scores",
            "readiness",
            "tracks",
            "difficulty",
            "top_strengths",
            "completions",
        }

    def test_single_report_equals_the_batch(self) -> None:
        """cohort_report in its enterprise context equals cohort_reports' entry."""
        cohorts, *_ = seed()
        partial = seed_partial()
        batch = cohort_reports(cohorts, partial)
        assert cohort_report(cohorts[1], partial, enterprise_cohorts=cohorts) == batch[B]

    def test_unsponsored_cohorts_stand_alone(self) -> None:
        """Cohorts without a sponsor are protected one by one."""
        alone = [cohort("c-a", enterprise=None), cohort("c-b", enterprise=None)]
        reports = cohort_reports(alone, seed_partial(), suppression=NO_SUPPRESSION)
        assert [r.body.population.total for r in reports.values()] == [12, 6]

    def test_top_strengths_respects_the_policy(self) -> None:
        """top_strengths limits the list; ties are broken by label."""
        cohorts, *_ = seed()
        policy = AnalyticsPolicy(top_strengths=1)
        report = cohort_report(
            cohorts[0], seed_partial(), enterprise_cohorts=cohorts, policy=policy, suppression=NO_SUPPRESSION
        )
        assert [b.key for b in report.body.top_strengths] == ["networking"]


class TestEnterpriseReport:
    def test_the_rollup_aggregates_its_cohorts(self) -> None:
        """The rollup of two disjoint cohorts adds their figures; the breakdown is keyed by id."""
        cohorts, *_ = seed()
        partial = seed_partial()
        report = enterprise_report(ORG, cohorts, partial, suppression=NO_SUPPRESSION)
        assert partial.rollup([A, B]) == partial.stats_for(A).merge(partial.stats_for(B))
        population = report.rollup.population
        assert (population.total, population.profiled, population.not_profiled) == (18, 15, 3)
        assert population.profiled_pct == round(15 / 18 * 100, 1)
        assert bucket_counts(report.rollup.tracks)["grc"] == 6
        assert list(report.cohorts) == [A, B]
        assert [b.cohort.name for b in report.cohorts.values()] == ["Autumn Defenders", "Autumn Defenders"]
        assert report.cohorts[B].population.total == 6

    def test_cohorts_with_the_same_name_are_never_merged(self) -> None:
        """Two cohorts sharing a name stay two rows with their own figures."""
        cohorts, *_ = seed()
        report = enterprise_report(ORG, cohorts, seed_partial(), suppression=NO_SUPPRESSION)
        rows = json.loads(json.dumps(unstructure(report)))["cohorts"]
        assert isinstance(rows, dict)
        assert {cid: (row["label"], row["population"]["total"]) for cid, row in rows.items()} == {
            "c-a": ("Autumn Defenders", 12),
            "c-b": ("Autumn Defenders", 6),
        }

    def test_unknown_enterprise_is_empty_never_everything(self) -> None:
        """An enterprise that sponsors none of the cohorts gets an empty report."""
        cohorts, *_ = seed()
        report = enterprise_report(OrgId("org-unknown"), cohorts, seed_partial())
        assert report.cohorts == {}
        assert report.rollup.population.total == 0

    def test_other_sponsors_cohorts_are_excluded(self) -> None:
        """Only cohorts whose enterprise_id matches are included."""
        cohorts, *_ = seed()
        mixed = [cohorts[0], Cohort(id=B, name="Autumn Defenders", enterprise_id=OrgId("org-2"))]
        report = enterprise_report(ORG, mixed, seed_partial(), suppression=NO_SUPPRESSION)
        assert list(report.cohorts) == [A]
        assert report.rollup.population.total == 12

    def test_a_learner_in_two_cohorts_counts_once(self) -> None:
        """The rollup counts distinct learners."""
        partial = partial_from_values(
            enrollments=[enrol("u-1", "c-a"), enrol("u-1", "c-b")],
            sessions=[session("s-1", "u-1", aptitude=10.0)],
        )
        report = enterprise_report(ORG, [cohort("c-a"), cohort("c-b")], partial, suppression=NO_SUPPRESSION)
        assert report.rollup.population.total == 1
        assert [row.population.total for row in report.cohorts.values()] == [1, 1]

    def test_json_shape(self) -> None:
        """The JSON carries the kind, the rollup, the breakdown by id with labels, and k."""
        cohorts, *_ = seed()
        data = json.loads(json.dumps(unstructure(enterprise_report(ORG, cohorts, seed_partial()))))
        assert (data["kind"], data["enterprise_id"], data["cohort_count"], data["k"]) == (
            "enterprise_report",
            "org-1",
            2,
            5,
        )
        assert set(data["cohorts"]["c-a"]) == {"label", "track", "population", "overall", "readiness"}

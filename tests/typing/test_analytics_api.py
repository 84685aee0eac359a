"""Type-level tests of the analytics API: mypy checks this file; pytest finds nothing to run.

``assert_type`` pins what the public signatures infer to; assignments to ports
pin that the fakes satisfy them; each ``# type: ignore[code]`` pins that a
misuse is flagged (``warn_unused_ignores`` fails the run if it ever type-checks).
"""

from __future__ import annotations

from typing import assert_type

from profiler_core import (
    AnalyticsAccumulator,
    AnalyticsPartial,
    Cohort,
    CohortId,
    CohortReport,
    CohortStats,
    EnterpriseReport,
    OrgId,
    ScoreSketch,
    accumulation,
    analytics,
    cohort_report,
    cohort_reports,
    enterprise_report,
    partial_from_values,
    reports,
    sketches,
    suppression,
)
from profiler_core.access import AccessDecision, AnalyticsView
from profiler_core.analytics import Count, ScoreBlock, ScoreSummary, Suppressed, summarize_scores
from profiler_core.cli_analytics import AnalyticsExport, read_export
from profiler_core.ports import CohortAnalyticsRepository
from profiler_core.serialization import structure
from profiler_core.services import (
    AccessDecisionLike,
    CohortReportOutcome,
    EnterpriseReportOutcome,
    cohort_analytics_report,
    enterprise_analytics_report,
)
from profiler_core.testing import InMemoryCohortAnalyticsRepository

__all__: list[str] = []


def check_the_fake_satisfies_the_port() -> None:
    """The in-memory repository is a CohortAnalyticsRepository."""
    port: CohortAnalyticsRepository = InMemoryCohortAnalyticsRepository()
    assert_type(port.cohorts_by_ids([CohortId("c-1")]).get(CohortId("c-1")), Cohort | None)


def check_monoids_stay_typed() -> None:
    """empty/merge/add keep their types; structure(data, AnalyticsPartial) returns the class."""
    assert_type(CohortStats.empty().merge(CohortStats.empty()).add(None), CohortStats)
    assert_type(ScoreSketch.of([1.0]).merge(ScoreSketch.empty()), ScoreSketch)
    assert_type(structure({}, AnalyticsPartial).merge(AnalyticsPartial.empty()), AnalyticsPartial)
    assert_type(AnalyticsPartial.empty().stats_for(CohortId("c-1")), CohortStats)
    assert_type(summarize_scores(ScoreSketch.empty()), ScoreSummary | None)
    CohortStats.empty().merge(ScoreSketch.empty())  # type: ignore[arg-type]


def check_reports_are_typed() -> None:
    """Reports are values; published counts are int or Suppressed."""
    cohort = Cohort(id=CohortId("c-1"), name="A", enterprise_id=OrgId("o"))
    partial = partial_from_values(enrollments=[], sessions=[])
    report = cohort_report(cohort, partial)
    assert_type(report, CohortReport)
    assert_type(report.body.population.total, Count)
    assert_type(report.body.overall, ScoreBlock)
    assert_type(cohort_reports([cohort], partial)[CohortId("c-1")], CohortReport)
    assert_type(enterprise_report(OrgId("o"), [cohort], partial), EnterpriseReport)
    assert_type(report.body.population.profiled_pct, float | Suppressed | None)
    accumulator = AnalyticsAccumulator()
    accumulator.add_rows([("u", "c", "active", None, None, None, None, None, None, None, ())])
    assert_type(accumulator.partial(), AnalyticsPartial)
    assert_type(read_export(cohorts=("c", []), enrollments=("e", []), sessions=("s", [])), AnalyticsExport)


def check_moved_names_keep_their_types_on_the_old_path() -> None:
    """A name re-exported by profiler_core.analytics is the very object of its new module, typed alike."""
    assert_type(analytics.ScoreSketch.empty(), sketches.ScoreSketch)
    assert_type(analytics.AnalyticsAccumulator(), accumulation.AnalyticsAccumulator)
    assert_type(analytics.DEFAULT_SUPPRESSION_POLICY, suppression.SuppressionPolicy)
    assert_type(analytics.SUPPRESSED, reports.Suppressed)
    analytics.cohort_report(None, AnalyticsPartial.empty())  # type: ignore[arg-type]


def check_services_take_any_decision(decision: AccessDecision[AnalyticsView]) -> None:
    """The access module's decision is an AccessDecisionLike; outcomes are typed unions."""
    like: AccessDecisionLike = decision
    repository = InMemoryCohortAnalyticsRepository()
    assert_type(
        cohort_analytics_report(CohortId("c"), decision=like, repository=repository), CohortReportOutcome
    )
    assert_type(
        enterprise_analytics_report(OrgId("o"), decision=decision, repository=repository),
        EnterpriseReportOutcome,
    )
    cohort_analytics_report(CohortId("c"), decision=True, repository=repository)  # type: ignore[arg-type]

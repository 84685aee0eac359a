"""Type-level tests for the access layer: mypy checks this file; pytest finds nothing to run.

Each ``check_*`` function is never called. ``assert_type`` pins what a public
signature infers to; an assignment to a port pins that a fake satisfies it; a
``# type: ignore[code]`` pins that a misuse *is* flagged.
"""

from __future__ import annotations

from datetime import datetime
from typing import assert_type

from profiler_core import (
    AccessDecision,
    AnalyticsView,
    AuditRecord,
    Cohort,
    CohortId,
    LearnerProfilerData,
    OrgId,
    Principal,
    ResultsProjection,
    ResultsView,
    UserId,
    decide_cohort_analytics_access,
    decide_enterprise_analytics_access,
    decide_results_access,
    project_results,
)
from profiler_core.ports import (
    AuditSink,
    CohortRepository,
    EnrollmentRepository,
    MentorAssignmentRepository,
    SessionRepository,
    ValueStatementSource,
)
from profiler_core.serialization import JSON, unstructure_object
from profiler_core.services import (
    AnalyticsGate,
    MenteeResults,
    ResultsAllowed,
    cohort_analytics_gate,
    enterprise_analytics_gate,
    mentee_results,
)
from profiler_core.testing import (
    InMemoryAuditSink,
    InMemoryCohortRepository,
    InMemoryEnrollmentRepository,
    InMemoryMentorAssignmentRepository,
    InMemorySessionRepository,
    InMemoryValueStatementSource,
)


def check_fakes_satisfy_ports() -> None:
    """Every access fake is assignable to its port."""
    assignments: MentorAssignmentRepository = InMemoryMentorAssignmentRepository()
    enrollments: EnrollmentRepository = InMemoryEnrollmentRepository()
    cohorts: CohortRepository = InMemoryCohortRepository()
    statements: ValueStatementSource = InMemoryValueStatementSource()
    audit: AuditSink = InMemoryAuditSink()
    sessions: SessionRepository = InMemorySessionRepository()
    del assignments, enrollments, cohorts, statements, audit, sessions


def check_decisions(viewer: Principal, cohort: Cohort, now: datetime) -> None:
    """Each question's decision is typed by its view."""
    results = decide_results_access(viewer, UserId("u"), assignments=[], enrollments=[], cohorts=[], now=now)
    assert_type(results, AccessDecision[ResultsView])
    assert_type(results.view, ResultsView)
    assert_type(results.audit, AuditRecord)
    assert_type(decide_cohort_analytics_access(viewer, cohort, now=now), AccessDecision[AnalyticsView])
    assert_type(
        decide_enterprise_analytics_access(viewer, OrgId("o"), now=now), AccessDecision[AnalyticsView]
    )
    decide_results_access(viewer, UserId("u"), assignments=[], enrollments=[], cohorts=[])  # type: ignore[call-arg]


def check_views(data: LearnerProfilerData) -> None:
    """Projections infer as documented (their body is ``unstructure`` of the services' outcome)."""
    projection = project_results(data, ResultsView.MENTOR)
    assert_type(projection, ResultsProjection)
    project_results(data, AnalyticsView.SPONSOR)  # type: ignore[arg-type]


def check_services(viewer: Principal, now: datetime) -> None:
    """Services return their typed outcome unions."""
    cohorts = InMemoryCohortRepository()
    outcome = mentee_results(
        viewer,
        UserId("u"),
        sessions=InMemorySessionRepository(),
        assignments=InMemoryMentorAssignmentRepository(),
        enrollments=InMemoryEnrollmentRepository(),
        cohorts=cohorts,
        now=now,
    )
    assert_type(outcome, MenteeResults)
    if isinstance(outcome, ResultsAllowed):
        assert_type(unstructure_object(outcome), dict[str, JSON])
    assert_type(cohort_analytics_gate(viewer, CohortId("c"), cohorts=cohorts, now=now), AnalyticsGate)
    assert_type(enterprise_analytics_gate(viewer, OrgId("o"), cohorts=cohorts, now=now), AnalyticsGate)

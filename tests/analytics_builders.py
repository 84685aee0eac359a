"""Builders shared by the analytics test modules (learners, sessions, a seeded cohort pair)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from profiler_core import (
    Cohort,
    CohortId,
    Enrollment,
    EnrollmentStatus,
    OrgId,
    ProfilerResult,
    ProfilerSession,
    SessionId,
    SessionStatus,
    TrackKey,
    UserId,
)
from profiler_core.analytics import (
    AnalyticsAccumulator,
    AnalyticsPartial,
    Bucket,
    CohortReport,
    CohortStats,
    EnterpriseReport,
    SuppressionPolicy,
    partial_from_values,
)
from profiler_core.serialization import unstructure_object
from profiler_core.vocabulary import DifficultySelection

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ORG = OrgId("org-1")
A, B = CohortId("c-a"), CohortId("c-b")


# --- builders -----------------------------------------------------------------------


def session(
    sid: str,
    user: str,
    *,
    status: SessionStatus = SessionStatus.FINISHED,
    days: int | None = 0,
    aptitude: float | None = None,
    technical: float | None = None,
    track: TrackKey | None = None,
    selection: DifficultySelection | None = None,
    strengths: tuple[str, ...] = (),
) -> ProfilerSession:
    return ProfilerSession(
        id=SessionId(sid),
        user_id=UserId(user),
        status=status,
        started_at=T0,
        completed_at=None if days is None else T0 + timedelta(days=days),
        aptitude_score=aptitude,
        technical_exposure_score=technical,
        recommended_track=track,
        difficulty_selection=selection,
        strengths=strengths,
    )


def result(sid: str, overall: float | None, strengths: tuple[str, ...] = ()) -> ProfilerResult:
    return ProfilerResult(session_id=SessionId(sid), overall_score=overall, strengths=strengths)


def enrol(user: str, cohort: str, status: EnrollmentStatus = EnrollmentStatus.ACTIVE) -> Enrollment:
    return Enrollment(user_id=UserId(user), cohort_id=CohortId(cohort), status=status)


def cohort(cid: str, name: str = "Autumn Defenders", enterprise: str | None = ORG) -> Cohort:
    return Cohort(
        id=CohortId(cid), name=name, enterprise_id=None if enterprise is None else OrgId(enterprise)
    )


def stats_of(*learners: tuple[ProfilerSession | None, ProfilerResult | None]) -> CohortStats:
    stats = CohortStats.empty()
    for learner_session, learner_result in learners:
        stats = stats.add(learner_session, learner_result)
    return stats


def accumulate(rows: Iterable[Sequence[object] | Mapping[str, object]]) -> AnalyticsPartial:
    accumulator = AnalyticsAccumulator()
    accumulator.add_rows(rows)
    return accumulator.partial()


# The seed scenario: cohort c-a (12 counted learners, 2 withdrawn) and c-b (6), both named
# "Autumn Defenders" and sponsored by org-1. Every figure below is computed by hand.
APTITUDES = [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0]
OVERALLS = [0.0, 35.0, 45.0, 55.0, 65.0, 75.0, 85.0, 95.0]


def seed() -> tuple[list[Cohort], list[Enrollment], list[ProfilerSession], list[ProfilerResult]]:
    cohorts = [cohort("c-a"), cohort("c-b")]
    enrollments = [enrol(f"a{i:02d}", "c-a") for i in range(1, 13)]
    enrollments += [
        enrol("a13", "c-a", EnrollmentStatus.WITHDRAWN),
        enrol("a14", "c-a", EnrollmentStatus.PENDING_PAYMENT),
    ]
    enrollments += [enrol(f"b{i:02d}", "c-b", EnrollmentStatus.COMPLETED) for i in range(1, 7)]
    sessions: list[ProfilerSession] = []
    results: list[ProfilerResult] = []
    for i in range(1, 10):
        sid = f"sa{i:02d}"
        sessions.append(
            session(
                sid,
                f"a{i:02d}",
                days=10 if i <= 6 else 40,
                aptitude=APTITUDES[i - 1],
                technical=50.0,
                track=TrackKey.DEFENDER if i <= 5 else TrackKey.OFFENSIVE if i <= 8 else None,
                selection=DifficultySelection.NOVICE if i <= 4 else DifficultySelection.INTERMEDIATE,
                strengths=("networking", "Security ") if i <= 6 else ("networking",),
            )
        )
        if i <= 8:  # a09 completed without a result row
            results.append(result(sid, OVERALLS[i - 1], strengths=("networking",)))
    # a03 retook the profiler: the earlier completed session must not count.
    sessions.append(session("sa03-old", "a03", days=-20, aptitude=99.0, track=TrackKey.GRC))
    results.append(result("sa03-old", 99.0))
    sessions.append(session("sa10", "a10", status=SessionStatus.IN_PROGRESS, days=None, aptitude=90.0))
    sessions.append(session("sa12", "a12", status=SessionStatus.STARTED, days=None))
    sessions.append(session("sa13", "a13", aptitude=50.0))  # withdrawn: not in the population
    for i in range(1, 7):
        sid = f"sb{i:02d}"
        sessions.append(session(sid, f"b{i:02d}", days=12, aptitude=70.0, technical=60.0, track=TrackKey.GRC))
        results.append(result(sid, 70.0))
    return cohorts, enrollments, sessions, results


def seed_partial() -> AnalyticsPartial:
    _cohorts, enrollments, sessions, results = seed()
    return partial_from_values(enrollments=enrollments, sessions=sessions, results=results)


NO_SUPPRESSION = SuppressionPolicy(k=1)


def figures(report: CohortReport | EnterpriseReport) -> dict[str, object]:
    data = unstructure_object(report)
    body = data["rollup"] if isinstance(report, EnterpriseReport) else data
    assert isinstance(body, dict)
    return dict(body)


def breakdown_rows(report: EnterpriseReport) -> dict[str, dict[str, object]]:
    rows = unstructure_object(report)["cohorts"]
    assert isinstance(rows, dict)
    return {key: dict(row) for key, row in rows.items() if isinstance(row, dict)}


def score_blocks(body: Mapping[str, object]) -> dict[str, object]:
    scores = body.get("scores") or {"overall": body["overall"]}
    assert isinstance(scores, dict)
    return scores


def bucket_counts(buckets: Sequence[Bucket]) -> dict[str, object]:
    return {b.key: b.count for b in buckets}

"""Hypothesis strategies for the analytics values (needs ``hypothesis``).

Learners are generated as *learner rows* (:data:`~profiler_core.analytics.ROW_FIELDS`),
the shape hosts hand to :class:`~profiler_core.analytics.AnalyticsAccumulator`:
one row per enrollment, a learner's rows consecutive, user ids unique. Cohort
sizes hover around the default k = 5 so that suppression is exercised.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from profiler_core.analytics import (
    AnalyticsAccumulator,
    AnalyticsPartial,
    AnalyticsPolicy,
    CohortStats,
    ScoreSketch,
    SuppressionPolicy,
)
from profiler_core.models import Cohort, CohortId, OrgId
from profiler_core.vocabulary import DifficultySelection, EnrollmentStatus, SessionStatus, TrackKey

__all__ = [
    "LearnerRow",
    "STRENGTHS",
    "analytics_scores",
    "score_sketches",
    "learner_session_fields",
    "learner_rows",
    "cohort_stats",
    "analytics_partials",
    "enterprise_cohorts",
    "analytics_policies",
    "suppression_policies",
]

#: A learner row: a tuple in :data:`~profiler_core.analytics.ROW_FIELDS` order.
LearnerRow = tuple[object, ...]

#: Strength labels the strategies draw from (a few, so counts cross k).
STRENGTHS = ("networking", "security", "programming", "cloud", "web")

_T0 = datetime(2026, 1, 1, tzinfo=UTC)


def analytics_scores() -> st.SearchStrategy[float]:
    """Scores 0..100 that favour the edges: 0, band boundaries, 100 (at most 6 decimals)."""
    edges = st.sampled_from([0.0, 39.99, 40.0, 59.999999, 60.0, 79.5, 80.0, 99.999999, 100.0])
    anywhere = st.integers(min_value=0, max_value=100_000_000).map(lambda micro: micro / 1_000_000)
    return st.one_of(edges, anywhere)


def score_sketches() -> st.SearchStrategy[ScoreSketch]:
    """Sketches of up to 30 scores (the empty one included)."""
    return st.lists(analytics_scores(), max_size=30).map(ScoreSketch.of)


@st.composite
def learner_session_fields(draw: st.DrawFn) -> tuple[object, ...]:
    """The session part of a learner row (``session_status`` ... ``strengths``)."""
    status = draw(
        st.sampled_from(
            [SessionStatus.FINISHED.value, SessionStatus.LOCKED.value, SessionStatus.IN_PROGRESS.value, None]
        )
    )
    if status not in (SessionStatus.FINISHED.value, SessionStatus.LOCKED.value):
        return (status, None, None, None, None, None, None, ())
    completed = draw(
        st.none()
        | st.integers(min_value=0, max_value=120).map(lambda d: _T0 + timedelta(days=d, hours=d % 24))
    )
    return (
        status,
        completed,
        draw(st.none() | st.sampled_from([s.value for s in DifficultySelection])),
        draw(st.none() | st.sampled_from([t.value for t in TrackKey][:3])),
        draw(st.none() | analytics_scores()),
        draw(st.none() | analytics_scores()),
        draw(st.none() | analytics_scores()),
        tuple(draw(st.lists(st.sampled_from(STRENGTHS), max_size=3))),
    )


@st.composite
def learner_rows(
    draw: st.DrawFn,
    cohort_ids: Sequence[str] = ("c-1",),
    *,
    max_learners: int = 24,
    multi_cohort: bool = True,
) -> list[LearnerRow]:
    """Rows of up to *max_learners* learners enrolled in *cohort_ids* (some in two, some not counted)."""
    count = draw(st.integers(min_value=0, max_value=max_learners))
    rows: list[LearnerRow] = []
    statuses = st.sampled_from(
        [EnrollmentStatus.ACTIVE.value] * 4
        + [EnrollmentStatus.COMPLETED.value] * 2
        + [EnrollmentStatus.WITHDRAWN.value, EnrollmentStatus.PENDING_PAYMENT.value]
    )
    for number in range(count):
        enrolled = draw(
            st.lists(
                st.sampled_from(list(cohort_ids)),
                min_size=1,
                max_size=2 if multi_cohort and len(cohort_ids) > 1 else 1,
                unique=True,
            )
        )
        session = draw(learner_session_fields())
        rows += [(f"u-{number:03d}", cohort, draw(statuses), *session) for cohort in enrolled]
    return rows


def _accumulate(rows: list[LearnerRow]) -> AnalyticsPartial:
    accumulator = AnalyticsAccumulator()
    accumulator.add_rows(rows)
    return accumulator.partial()


def cohort_stats() -> st.SearchStrategy[CohortStats]:
    """The statistics of one cohort of up to 24 learners."""
    return learner_rows(("c-1",)).map(lambda rows: _accumulate(rows).stats_for(CohortId("c-1")))


def analytics_partials(
    cohort_ids: Sequence[str] = ("c-1", "c-2", "c-3"),
) -> st.SearchStrategy[AnalyticsPartial]:
    """Partials over *cohort_ids*, some learners counted in two cohorts."""
    return learner_rows(cohort_ids).map(_accumulate)


@st.composite
def enterprise_cohorts(
    draw: st.DrawFn, enterprise_id: str = "org-1", *, max_cohorts: int = 4
) -> list[Cohort]:
    """One to *max_cohorts* cohorts of one sponsor; names repeat (cohorts are told apart by id)."""
    count = draw(st.integers(min_value=1, max_value=max_cohorts))
    return [
        Cohort(
            id=CohortId(f"c-{index + 1}"),
            name=draw(st.sampled_from(["Autumn", "Spring"])),
            track=draw(st.none() | st.sampled_from(TrackKey)),
            enterprise_id=OrgId(enterprise_id),
        )
        for index in range(count)
    ]


def analytics_policies() -> st.SearchStrategy[AnalyticsPolicy]:
    """Policies with any non-empty set of counted statuses."""
    return st.builds(
        AnalyticsPolicy,
        counted_statuses=st.frozensets(st.sampled_from(EnrollmentStatus), min_size=1),
        top_strengths=st.integers(min_value=1, max_value=5),
    )


def suppression_policies() -> st.SearchStrategy[SuppressionPolicy]:
    """Suppression thresholds 1..8."""
    return st.builds(SuppressionPolicy, k=st.integers(min_value=1, max_value=8))

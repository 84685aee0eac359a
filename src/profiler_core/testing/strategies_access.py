"""Hypothesis strategies for the access layer (needs ``hypothesis``).

Access rules only say something interesting when ids collide: a grant's scope
naming the learner's cohort, an assignment naming the learner. These
strategies therefore draw ids from small universes (three users, three
cohorts, two organisations, two tracks) and expiry times around one fixed
:data:`SCENARIO_NOW`, so that every rule fires often.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from attrs import frozen
from hypothesis import strategies as st

from profiler_core.access import LearnerProfilerData
from profiler_core.models import (
    Cohort,
    CohortId,
    Enrollment,
    EntryId,
    MentorAssignment,
    OrgId,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    RoleGrant,
    UserId,
)
from profiler_core.testing.strategies import (
    _builds,
    completed_sessions,
    mentor_assignments,
    results,
    role_grants,
)
from profiler_core.vocabulary import (
    TrackKey,
    Visibility,
)

__all__ = [
    "SCENARIO_NOW",
    "SCENARIO_USERS",
    "SCENARIO_COHORTS",
    "SCENARIO_ORGS",
    "SCENARIO_TRACKS",
    "AccessScenario",
    "scenario_expiries",
    "scenario_grants",
    "scenario_principals",
    "scenario_assignments",
    "scenario_enrollments",
    "scenario_cohorts",
    "access_scenarios",
    "learner_profiler_data",
]

#: The ``now`` of every scenario.
SCENARIO_NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
#: User ids the scenarios draw from; the learner asked about is the first.
SCENARIO_USERS = (UserId("u-1"), UserId("u-2"), UserId("u-3"))
#: Cohort ids the scenarios draw from.
SCENARIO_COHORTS = (CohortId("c-1"), CohortId("c-2"), CohortId("c-3"))
#: Organisation ids the scenarios draw from.
SCENARIO_ORGS = (OrgId("org-1"), OrgId("org-2"))
#: Track keys the scenarios draw from.
SCENARIO_TRACKS = (TrackKey.DEFENDER, TrackKey.GRC)


def scenario_expiries() -> st.SearchStrategy[datetime | None]:
    """No expiry, or a day before, exactly at (counts as expired) or a day after :data:`SCENARIO_NOW`."""
    return st.none() | st.sampled_from(
        [SCENARIO_NOW - timedelta(days=1), SCENARIO_NOW, SCENARIO_NOW + timedelta(days=1)]
    )


def scenario_grants() -> st.SearchStrategy[RoleGrant]:
    """A role grant of any role and scope whose ``scope_ref`` comes from the small universes."""
    return role_grants(
        org_ids=st.sampled_from(SCENARIO_ORGS),
        cohort_ids=st.sampled_from(SCENARIO_COHORTS),
        tracks=st.sampled_from(SCENARIO_TRACKS),
        expiries=scenario_expiries(),
    )


def scenario_principals() -> st.SearchStrategy[Principal]:
    """A viewer among :data:`SCENARIO_USERS` with up to four grants."""
    return _builds(
        Principal,
        user_id=st.sampled_from(SCENARIO_USERS),
        roles=st.lists(scenario_grants(), max_size=4).map(tuple),
    )


def scenario_assignments() -> st.SearchStrategy[MentorAssignment]:
    """A mentor assignment of any type, status and expiry within the small universes."""
    return mentor_assignments(
        users=st.sampled_from(SCENARIO_USERS),
        cohort_ids=st.sampled_from(SCENARIO_COHORTS),
        tracks=st.sampled_from(SCENARIO_TRACKS),
        expiries=scenario_expiries(),
    )


def scenario_enrollments() -> st.SearchStrategy[Enrollment]:
    """An enrollment of a scenario user in a scenario cohort, any status."""
    return _builds(
        Enrollment, user_id=st.sampled_from(SCENARIO_USERS), cohort_id=st.sampled_from(SCENARIO_COHORTS)
    )


@st.composite
def scenario_cohorts(draw: st.DrawFn) -> tuple[Cohort, ...]:
    """Every scenario cohort, each with or without a track and a sponsor."""
    return tuple(
        Cohort(
            id=cohort_id,
            name="Cohort",
            track=draw(st.none() | st.sampled_from(SCENARIO_TRACKS)),
            enterprise_id=draw(st.none() | st.sampled_from(SCENARIO_ORGS)),
        )
        for cohort_id in SCENARIO_COHORTS
    )


@frozen(kw_only=True)
class AccessScenario:
    """Everything an access question needs: a viewer, a learner and the platform around them.

    Attributes:
        viewer: who asks.
        learner_id: the learner asked about (always ``SCENARIO_USERS[0]``).
        assignments: mentor assignments.
        enrollments: enrollments.
        cohorts: every scenario cohort.
        learner_track: the host's confirmed track for the learner, if any.
        now: :data:`SCENARIO_NOW`.
    """

    viewer: Principal
    learner_id: UserId
    assignments: tuple[MentorAssignment, ...]
    enrollments: tuple[Enrollment, ...]
    cohorts: tuple[Cohort, ...]
    learner_track: TrackKey | None
    now: datetime


@st.composite
def access_scenarios(draw: st.DrawFn) -> AccessScenario:
    """An :class:`AccessScenario` where grants, assignments and enrollments often concern the learner."""
    return AccessScenario(
        viewer=draw(scenario_principals()),
        learner_id=SCENARIO_USERS[0],
        assignments=tuple(draw(st.lists(scenario_assignments(), max_size=4))),
        enrollments=tuple(draw(st.lists(scenario_enrollments(), max_size=4))),
        cohorts=draw(scenario_cohorts()),
        learner_track=draw(st.none() | st.sampled_from(SCENARIO_TRACKS)),
        now=SCENARIO_NOW,
    )


@st.composite
def learner_profiler_data(draw: st.DrawFn) -> LearnerProfilerData:
    """A completed session, with or without its result and a value statement in any visibility."""
    session = draw(completed_sessions())
    result: ProfilerResult | None = draw(st.none() | results())
    if result is not None:
        result = ProfilerResult(
            session_id=session.id,
            overall_score=result.overall_score,
            aptitude_score=result.aptitude_score,
            behavioral_score=result.behavioral_score,
            aptitude_breakdown=result.aptitude_breakdown,
            behavioral_traits=result.behavioral_traits,
            strengths=result.strengths,
            areas_for_growth=result.areas_for_growth,
        )
    statement = None
    if draw(st.booleans()):
        statement = PortfolioEntry(
            id=EntryId(f"e-{session.id}"),
            user_id=session.user_id,
            title="My Value Statement",
            summary=draw(st.text(max_size=40)),
            item_type="reflection",
            status="approved",
            visibility=draw(st.sampled_from(Visibility)),
            profiler_session_id=session.id,
        )
    return LearnerProfilerData(session=session, result=result, value_statement=statement)

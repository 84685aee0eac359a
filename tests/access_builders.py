"""Builders shared by the access test files: one learner, three cohorts, grants, assignments, full data.

Import them as ``from tests.access_builders import grant, viewer`` (see tests/builders.py for why
``tests`` is importable). The learner ``u-learner`` is actively enrolled in cohort ``c-a`` (track
defender, sponsored by ``org-acme``); ``results_access`` asks about that learner at ``NOW``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from profiler_core import (
    BehavioralProfile,
    CategoryScore,
    Cohort,
    CohortId,
    Enrollment,
    EntryId,
    IdentityResponse,
    MentorAssignment,
    OrgId,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    ProfilerSession,
    Reflection,
    RoleGrant,
    SessionId,
    UserId,
)
from profiler_core.access import AccessDecision, decide_results_access
from profiler_core.access_scope import DEFAULT_ACCESS_POLICY, AccessPolicy
from profiler_core.access_views import LearnerProfilerData, ResultsView
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    DifficultySelection,
    EnrollmentStatus,
    Role,
    Scope,
    SessionStatus,
    TrackKey,
    Visibility,
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
LEARNER = UserId("u-learner")
VIEWER = UserId("u-viewer")
COHORT_A = Cohort(id=CohortId("c-a"), name="Autumn", track=TrackKey.DEFENDER, enterprise_id=OrgId("org-acme"))
COHORT_Z = Cohort(id=CohortId("c-z"), name="Autumn", track=TrackKey.GRC, enterprise_id=OrgId("org-other"))
COHORT_OPEN = Cohort(id=CohortId("c-open"), name="Open", track=None, enterprise_id=None)
COHORTS = (COHORT_A, COHORT_Z, COHORT_OPEN)
ACTIVE_IN_A = (Enrollment(user_id=LEARNER, cohort_id=COHORT_A.id, status=EnrollmentStatus.ACTIVE),)


def grant(
    role: Role,
    scope: Scope = Scope.GLOBAL,
    ref: str | None = None,
    *,
    active: bool = True,
    expires_at: datetime | None = None,
) -> RoleGrant:
    return RoleGrant(role=role, scope=scope, scope_ref=ref, is_active=active, expires_at=expires_at)


def viewer(*grants: RoleGrant, staff: bool = False, user: UserId = VIEWER) -> Principal:
    return Principal(user_id=user, is_staff=staff, roles=grants)


def assignment(
    kind: AssignmentType = AssignmentType.DIRECT,
    status: AssignmentStatus = AssignmentStatus.ACTIVE,
    *,
    mentor: UserId = VIEWER,
    expires_at: datetime | None = None,
    ident: str = "asg-1",
) -> MentorAssignment:
    return MentorAssignment(
        id=ident,
        mentor_id=mentor,
        status=status,
        assignment_type=kind,
        mentee_id=LEARNER if kind is AssignmentType.DIRECT else None,
        cohort_id=COHORT_A.id if kind is AssignmentType.COHORT else None,
        track=TrackKey.DEFENDER if kind is AssignmentType.TRACK else None,
        expires_at=expires_at,
    )


def results_access(
    who: Principal,
    assignments: Sequence[MentorAssignment] = (),
    *,
    enrollments: Sequence[Enrollment] = ACTIVE_IN_A,
    learner_track: TrackKey | None = None,
    policy: AccessPolicy = DEFAULT_ACCESS_POLICY,
) -> AccessDecision[ResultsView]:
    return decide_results_access(
        who,
        LEARNER,
        assignments=assignments,
        enrollments=enrollments,
        cohorts=COHORTS,
        learner_track=learner_track,
        now=NOW,
        policy=policy,
    )


def full_data(visibility: Visibility = Visibility.PRIVATE) -> LearnerProfilerData:
    session = ProfilerSession(
        id=SessionId("s-1"),
        user_id=LEARNER,
        status=SessionStatus.LOCKED,
        completed_at=datetime(2026, 9, 1, 10, 0, tzinfo=UTC),
        difficulty_selection=DifficultySelection.ADVANCED,
        aptitude_score=72.5,
        technical_exposure_score=40.0,
        behavioral_profile=BehavioralProfile(
            traits={"teamwork": 4.2},
            strengths=("teamwork",),
            areas_for_growth=("Improve documentation skills",),
        ),
        strengths=("networking", "linux"),
        recommended_track=TrackKey.DEFENDER,
        track_confidence=0.8,
        track_alignment_percentages={TrackKey.DEFENDER: 80.0, TrackKey.GRC: 35.0},
        reflection=Reflection(why_cyber="I like puzzles", what_achieve="Lead a SOC"),
        identity_responses=(IdentityResponse(question_id="q-1", text="integrity"),),
        anti_cheat_score=12.0,
        anti_cheat_flags=("tab_switch",),
    )
    result = ProfilerResult(
        session_id=SessionId("s-1"),
        overall_score=0.0,
        aptitude_score=70.0,
        behavioral_score=65.0,
        aptitude_breakdown={
            "networking": CategoryScore.from_counts(correct=3, total=4, points=6.0),
            "cloud": CategoryScore(score=55.0),
        },
        behavioral_traits={"teamwork": 4.2},
        strengths=("cloud",),
        areas_for_growth=("Develop documentation skills",),
    )
    statement = PortfolioEntry(
        id=EntryId("e-1"),
        user_id=LEARNER,
        title="My Value Statement",
        summary="I value integrity.",
        item_type="reflection",
        status="approved",
        visibility=visibility,
        profiler_session_id=SessionId("s-1"),
    )
    return LearnerProfilerData(session=session, result=result, value_statement=statement)

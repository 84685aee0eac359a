"""Real-shaped OCH inputs for the body tests: UUID session/cohort/recipe/mission ids, integer user ids.

The values follow the OCH platform's rows (users.id bigint, profiler_sessions.id UUID,
recipes with UPPER_SNAKE skill codes, missions with an empty code) as the library's
values hold them; the services run over the in-memory fakes, so each body is rendered
from the very outcome a host would get.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from profiler_core import services
from profiler_core.access import decide_cohort_analytics_access, decide_enterprise_analytics_access
from profiler_core.models import (
    BehavioralProfile,
    CategoryScore,
    Cohort,
    Enrollment,
    JobPosting,
    MentorAssignment,
    Mission,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    RoleGrant,
    Subtask,
    TalentProfile,
    UserId,
)
from profiler_core.och import OchUser
from profiler_core.serialization import JSON
from profiler_core.suppression import SuppressionPolicy
from profiler_core.testing import (
    FailingRepository,
    InMemoryCohortAnalyticsRepository,
    InMemoryCohortRepository,
    InMemoryEnrollmentRepository,
    InMemoryJobRepository,
    InMemoryMentorAssignmentRepository,
    InMemoryMissionRepository,
    InMemoryRecipeRepository,
    InMemorySessionRepository,
    InMemoryTalentProfileRepository,
    InMemoryValueStatementSource,
)
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    DifficultySelection,
    EnrollmentStatus,
    JobLevel,
    MissionDifficulty,
    RecipeDifficulty,
    Role,
    SessionStatus,
    TrackKey,
    Visibility,
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
NS = uuid.UUID("6f1c0a52-3d0e-4a8b-9a57-0c1d2e3f4a5b")


def uid(name: str) -> str:
    """A fixed UUID string for *name* (the platform's UUID primary keys)."""
    return str(uuid.uuid5(NS, name))


#: curriculum_tracks.id by track key (a host's track directory).
TRACK_IDS: Mapping[str, str] = {"defender": uid("track-defender"), "offensive": uid("track-offensive")}
COHORT_ID = uid("cohort-jan")
SMALL_COHORT_ID = uid("cohort-pilot")
ENTERPRISE_ID = uid("sponsor-acme")
MENTEE = OchUser(id=16, email="amina.otieno@example.org", first_name="Amina", last_name="Otieno")
MENTOR_ID = "41"
ADMIN_ID = "1"
OTHER_MENTOR_ID = "42"
LEARNERS = tuple(str(n) for n in range(16, 28))  # 12 learners in the big cohort
PILOT_LEARNERS = ("30", "31")


def session_id(user: str) -> str:
    """The learner's completed session id."""
    return uid(f"session-{user}")


def _session(user: str, index: int) -> ProfilerSession:
    started = NOW - timedelta(days=40 - index)
    return ProfilerSession(
        id=session_id(user),
        user_id=UserId(user),
        status=SessionStatus.LOCKED if index % 2 == 0 else SessionStatus.FINISHED,
        started_at=started,
        completed_at=started + timedelta(minutes=30),
        difficulty_selection=DifficultySelection.INTERMEDIATE,
        aptitude_score=40.0 + 4 * index,
        technical_exposure_score=50.0 + 2 * index,
        behavioral_profile=BehavioralProfile(traits={"communication": 2.5, "leadership": 4.0}),
        strengths=("networking",),
        recommended_track=TrackKey.DEFENDER if index % 3 else TrackKey.OFFENSIVE,
        track_confidence=0.8,
        anti_cheat_score=12.0,
        anti_cheat_flags=("tab_switch", "copy_paste"),
    )


def _result(user: str, index: int) -> ProfilerResult:
    return ProfilerResult(
        session_id=session_id(user),
        overall_score=45.0 + 4 * index,
        aptitude_score=40.0 + 4 * index,
        behavioral_score=70.0,
        aptitude_breakdown={"networking": CategoryScore(score=80.0, correct=4, total=5)},
        behavioral_traits={"communication": 2.5, "leadership": 4.0},
        strengths=("networking",),
        areas_for_growth=("communication",),
    )


def sessions() -> list[ProfilerSession]:
    """Every learner's completed session (the pilot cohort's too)."""
    return [_session(u, i) for i, u in enumerate(LEARNERS + PILOT_LEARNERS)]


def results() -> list[ProfilerResult]:
    """Every session's result row."""
    return [_result(u, i) for i, u in enumerate(LEARNERS + PILOT_LEARNERS)]


def session_of(user: str) -> ProfilerSession:
    """The learner's session value."""
    return next(s for s in sessions() if s.user_id == UserId(user))


COHORTS = (
    Cohort(id=COHORT_ID, name="January Defenders", track=TrackKey.DEFENDER, enterprise_id=ENTERPRISE_ID),
    Cohort(id=SMALL_COHORT_ID, name="Pilot", track=None, enterprise_id=ENTERPRISE_ID),
)
ENROLLMENTS = tuple(
    Enrollment(user_id=UserId(u), cohort_id=COHORT_ID, status=EnrollmentStatus.ACTIVE) for u in LEARNERS
) + tuple(
    Enrollment(user_id=UserId(u), cohort_id=SMALL_COHORT_ID, status=EnrollmentStatus.ACTIVE)
    for u in PILOT_LEARNERS
)
ASSIGNMENTS = (
    MentorAssignment(
        id=uid("assignment-1"),
        mentor_id=UserId(MENTOR_ID),
        mentee_id=UserId("16"),
        status=AssignmentStatus.ACTIVE,
        assignment_type=AssignmentType.DIRECT,
    ),
)
MENTOR = Principal(user_id=UserId(MENTOR_ID), roles=(RoleGrant(role=Role.MENTOR),))
OTHER_MENTOR = Principal(user_id=UserId(OTHER_MENTOR_ID), roles=(RoleGrant(role=Role.MENTOR),))
ADMIN = Principal(user_id=UserId(ADMIN_ID), is_staff=True, roles=(RoleGrant(role=Role.ADMIN),))
STUDENT = Principal(user_id=UserId("17"), roles=(RoleGrant(role=Role.STUDENT),))


def mentee_results(viewer: Principal, learner: str = "16") -> services.MenteeResults:
    """What the mentee-results service answers *viewer* about *learner*."""
    return services.mentee_results(
        viewer,
        UserId(learner),
        sessions=InMemorySessionRepository(sessions(), results()),
        assignments=InMemoryMentorAssignmentRepository(ASSIGNMENTS),
        enrollments=InMemoryEnrollmentRepository(ENROLLMENTS),
        cohorts=InMemoryCohortRepository(COHORTS),
        statements=InMemoryValueStatementSource([]),
        now=NOW,
    )


STATEMENT = PortfolioEntry(
    id=uid("portfolio-16"),
    user_id=UserId("16"),
    title="My Value Statement",
    summary="I protect small businesses from fraud.",
    item_type="reflection",
    status="draft",
    visibility=Visibility.PRIVATE,
    profiler_session_id=session_id("16"),
    created_at=datetime(2026, 10, 17, 9, 30, tzinfo=UTC),
)

RECIPES = (
    Recipe(
        id=uid("recipe-siem"),
        slug="siem-rule-writing-basics",
        title="SIEM rule writing basics",
        skill_codes=("COMM", "SIEM_RULE_WRITING"),
        track_codes=(TrackKey.DEFENDER,),
        difficulty=RecipeDifficulty.BEGINNER,
        estimated_minutes=20,
        usage_count=120,
        avg_rating=4.5,
    ),
)
RECIPE_ROWS: Mapping[str, Mapping[str, JSON]] = {
    uid("recipe-siem"): {
        "description": "Write your first detection rule.",
        "tools_and_environment": ["splunk"],
        "is_bookmarked": True,
        "user_status": "in_progress",
        "context_labels": ["Used in Mission"],
    }
}


def recommendations(*, failing_sessions: bool = False) -> services.ProfilerRecommendations:
    """The profiler recommendations of learner 16 (or with a failing session repository)."""
    recipes = InMemoryRecipeRepository(RECIPES)
    if failing_sessions:
        return services.profiler_recommendations(
            UserId("16"),
            sessions=FailingRepository(),  # type: ignore[arg-type]  # stands in for any port
            recipes=recipes,
            limit=5,
        )
    repo = InMemorySessionRepository(sessions(), results())
    return services.profiler_recommendations(UserId("16"), sessions=repo, recipes=recipes, limit=5)


def no_profile_recommendations() -> services.ProfilerRecommendations:
    """A learner with no completed session."""
    return services.profiler_recommendations(
        UserId("99"),
        sessions=InMemorySessionRepository([], []),
        recipes=InMemoryRecipeRepository(()),
        limit=5,
    )


MISSIONS = tuple(
    Mission(
        id=uid(f"mission-{n}"),
        code="",
        title=f"Log triage {n}",
        difficulty=MissionDifficulty.BEGINNER if n < 3 else MissionDifficulty.INTERMEDIATE,
        track=TrackKey.DEFENDER if n % 2 else None,
        tier="beginner",
        is_active=True,
        skills_tags=("log_parsing",),
        subtasks=(Subtask(id="1", title="Collect logs", required_skills=("LOG_ANALYSIS",)),),
    )
    for n in range(1, 6)
)


def missions(*, empty: bool = False) -> services.LearnerMissions:
    """Learner 16's eligible missions (intermediate: ceiling 2), or an empty catalogue."""
    return services.missions_for_learner(
        UserId("16"),
        sessions=InMemorySessionRepository(sessions(), results()),
        missions=InMemoryMissionRepository(() if empty else MISSIONS),
    )


def cohort_report(cohort_id: str = COHORT_ID, *, k: int = 5) -> services.CohortReportOutcome:
    """The cohort report the analytics service answers staff."""
    cohort = next(c for c in COHORTS if c.id == cohort_id)
    return services.cohort_analytics_report(
        cohort_id,
        decision=decide_cohort_analytics_access(ADMIN, cohort, now=NOW),
        repository=InMemoryCohortAnalyticsRepository(COHORTS, ENROLLMENTS, sessions(), results()),
        suppression=SuppressionPolicy(k=k),
    )


def lone_cohort_report(*, k: int) -> services.CohortReportOutcome:
    """The report of the 12-learner cohort with no sibling in its enterprise (no complement to protect)."""
    cohort = COHORTS[0]
    mine = tuple(e for e in ENROLLMENTS if e.cohort_id == cohort.id)
    return services.cohort_analytics_report(
        cohort.id,
        decision=decide_cohort_analytics_access(ADMIN, cohort, now=NOW),
        repository=InMemoryCohortAnalyticsRepository((cohort,), mine, sessions(), results()),
        suppression=SuppressionPolicy(k=k),
    )


def cohort_report_denied() -> services.CohortReportOutcome:
    """The cohort report a student asks for."""
    return services.cohort_analytics_report(
        COHORT_ID,
        decision=decide_cohort_analytics_access(STUDENT, COHORTS[0], now=NOW),
        repository=InMemoryCohortAnalyticsRepository(COHORTS, ENROLLMENTS, sessions(), results()),
    )


def enterprise_report(*, k: int = 5) -> services.EnterpriseReportOutcome:
    """The enterprise report the analytics service answers staff."""
    return services.enterprise_analytics_report(
        ENTERPRISE_ID,
        decision=decide_enterprise_analytics_access(ADMIN, ENTERPRISE_ID, now=NOW),
        repository=InMemoryCohortAnalyticsRepository(COHORTS, ENROLLMENTS, sessions(), results()),
        suppression=SuppressionPolicy(k=k),
    )


JOBS = (
    JobPosting(
        id=uid("job-soc"),
        title="SOC Analyst",
        employer_id=uid("employer-1"),
        job_type="full_time",
        required_skills=("SIEM", "NET"),
        is_active=True,
        application_deadline=NOW + timedelta(days=30),
        track=TrackKey.DEFENDER,
        level=JobLevel.ENTRY,
    ),
)
TALENT = (
    TalentProfile(
        user_id=UserId("16"),
        skills=("SIEM", "NET"),
        readiness_score=70.0,
        is_visible=True,
        employer_share_consent=True,
    ),
)


def talent_matches(learner: str = "16") -> services.TalentMatches:
    """The talent matches of *learner* (no completed session for an unknown learner)."""
    return services.talent_matches(
        UserId(learner),
        sessions=InMemorySessionRepository(sessions(), results()),
        jobs=InMemoryJobRepository(JOBS),
        talent=InMemoryTalentProfileRepository(TALENT),
        now=NOW,
    )

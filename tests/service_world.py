"""The world the cross-service tests share: every port loaded for one learner, and each service as a call.

``World.around(key)`` files one learner (and the mentor, cohort, job and enterprise
around them) under the canonical form of *key*; ``SERVICES`` and its cohort, job
and enterprise siblings call each service for a key in any id form; ``ID_FORMS``
lists the forms (str, int, UUID, upper-case UUID text) with their canonical text.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from tests.builders import session

from profiler_core import (
    CategoryScore,
    Cohort,
    CohortId,
    Enrollment,
    EntryId,
    JobId,
    JobPosting,
    MentorAssignment,
    Mission,
    MissionId,
    OrgId,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    RecipeId,
    Reflection,
    RoleGrant,
    SessionId,
    TalentProfile,
    UserId,
)
from profiler_core.access import (
    decide_cohort_analytics_access,
    decide_enterprise_analytics_access,
    decide_results_access,
    place_learner,
)
from profiler_core.services import (
    cohort_analytics_gate,
    cohort_analytics_report,
    enterprise_analytics_gate,
    enterprise_analytics_report,
    learner_edits_statement,
    mentee_results,
    missions_for_learner,
    profiler_recommendations,
    sync_value_statements,
    talent_matches,
    talent_search,
    value_statement_for_leadership,
)
from profiler_core.testing import (
    InMemoryCohortAnalyticsRepository,
    InMemoryCohortRepository,
    InMemoryEnrollmentRepository,
    InMemoryJobRepository,
    InMemoryMentorAssignmentRepository,
    InMemoryMissionRepository,
    InMemoryPortfolioRepository,
    InMemoryRecipeRepository,
    InMemorySessionRepository,
    InMemoryTalentProfileRepository,
)
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    DifficultySelection,
    EnrollmentStatus,
    MissionDifficulty,
    Role,
    Scope,
    TrackKey,
)

__all__ = [
    "A_UUID",
    "ADMIN",
    "ALLOW",
    "COHORT_SERVICES",
    "ID_FORMS",
    "JOB_SERVICES",
    "MENTOR",
    "NOW",
    "NUMERIC",
    "ORG_SERVICES",
    "OTHER",
    "SECRET",
    "SERVICES",
    "T0",
    "UUID_TEXT",
    "ServiceCall",
    "World",
    "answer",
    "extra_of",
    "full_session",
    "statement_entry",
]

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
T0 = NOW - timedelta(days=3)
SECRET = "My secret plan: phish the CFO"
A_UUID = uuid.UUID("6f9619ff-8b86-d011-b42d-00c04fc964ff")
NUMERIC, UUID_TEXT = "100", str(A_UUID)
OTHER = UserId("u-other")
ADMIN = Principal(user_id=UserId("u-admin"), roles=(RoleGrant(role=Role.ADMIN),))
ALLOW = decide_cohort_analytics_access(ADMIN, Cohort(id=CohortId("c-1"), name="C"), now=NOW)


def full_session(learner: str, sid: str = "s-1", **overrides: Any) -> ProfilerSession:
    """The shared session builder with a full finished profile: every field one rule or another reads."""
    fields: dict[str, Any] = {
        "completed_at": T0,
        "difficulty_selection": DifficultySelection.ADVANCED,
        "aptitude_score": 55.0,
        "technical_exposure_score": 45.0,
        "recommended_track": TrackKey.DEFENDER,
        "reflection": Reflection(why_cyber="I like puzzles.", what_achieve="Lead a SOC."),
    }
    fields.update(overrides)
    return session(sid, learner, **fields)


def statement_entry(
    learner: str, entry_id: str = "e-1", summary: str = "I protect people."
) -> PortfolioEntry:
    """*learner*'s approved Value Statement entry *entry_id* with *summary*."""
    return PortfolioEntry(
        id=EntryId(entry_id),
        user_id=UserId(learner),
        title="My Value Statement",
        summary=summary,
        item_type="reflection",
        status="approved",
        profiler_session_id=SessionId("s-1"),
        created_at=T0,
        updated_at=T0,
    )


@attrs.define
class World:
    """Every port, loaded for one learner (and the mentor, cohort, job and enterprise around them)."""

    learner: str
    sessions: InMemorySessionRepository
    missions: InMemoryMissionRepository
    recipes: InMemoryRecipeRepository
    assignments: InMemoryMentorAssignmentRepository
    enrollments: InMemoryEnrollmentRepository
    cohorts: InMemoryCohortRepository
    portfolio: InMemoryPortfolioRepository
    jobs: InMemoryJobRepository
    talent: InMemoryTalentProfileRepository
    analytics: InMemoryCohortAnalyticsRepository

    @classmethod
    def around(cls, learner: str, *, cohort: str = "c-1", job: str = "j-1", org: str = "org-1") -> World:
        """A world whose learner, cohort, job and enterprise have the given canonical ids."""
        session = full_session(learner)
        result = ProfilerResult(
            session_id=SessionId("s-1"),
            overall_score=62.0,
            aptitude_breakdown={"networking": CategoryScore(score=30.0)},
        )
        cohorts = [
            Cohort(id=CohortId(cohort), name="Autumn", track=TrackKey.DEFENDER, enterprise_id=OrgId(org))
        ]
        enrollments = [
            Enrollment(user_id=UserId(learner), cohort_id=CohortId(cohort), status=EnrollmentStatus.ACTIVE)
        ]
        return cls(
            learner=learner,
            sessions=InMemorySessionRepository([session], [result]),
            missions=InMemoryMissionRepository(
                [
                    Mission(
                        id=MissionId(f"m-{n}"), code=f"M{n}", title=f"L{n}", difficulty=MissionDifficulty(n)
                    )
                    for n in range(1, 6)
                ]
            ),
            recipes=InMemoryRecipeRepository(
                [
                    Recipe(
                        id=RecipeId("r-net"),
                        slug="tcp",
                        title="TCP",
                        skill_codes=("NET", "SIEM"),
                        usage_count=3,
                    )
                ]
            ),
            assignments=InMemoryMentorAssignmentRepository(
                [
                    MentorAssignment(
                        id="a-1",
                        mentor_id=UserId("u-mentor"),
                        mentee_id=UserId(learner),
                        status=AssignmentStatus.ACTIVE,
                        assignment_type=AssignmentType.DIRECT,
                    )
                ]
            ),
            enrollments=InMemoryEnrollmentRepository(enrollments),
            cohorts=InMemoryCohortRepository(cohorts),
            portfolio=InMemoryPortfolioRepository([statement_entry(learner)]),
            jobs=InMemoryJobRepository(
                [
                    JobPosting(
                        id=JobId(job), title="SOC analyst", employer_id="emp-1", required_skills=("SIEM",)
                    )
                ]
            ),
            talent=InMemoryTalentProfileRepository(
                [
                    TalentProfile(
                        user_id=UserId(learner),
                        skills=("SIEM",),
                        readiness_score=70.0,
                        is_visible=True,
                        employer_share_consent=True,
                    )
                ]
            ),
            analytics=InMemoryCohortAnalyticsRepository(cohorts, enrollments, [session], [result]),
        )


MENTOR = Principal(user_id=UserId("u-mentor"), roles=(RoleGrant(role=Role.MENTOR),))


# Each service, called for the learner/cohort/job/enterprise *key* (in any form) of *world*.
ServiceCall = Callable[[World, Any], object]

SERVICES: dict[str, ServiceCall] = {
    "missions_for_learner": lambda w, key: missions_for_learner(
        key, sessions=w.sessions, missions=w.missions
    ),
    "profiler_recommendations": lambda w, key: profiler_recommendations(
        key, sessions=w.sessions, recipes=w.recipes
    ),
    "mentee_results": lambda w, key: mentee_results(
        MENTOR,
        key,
        sessions=w.sessions,
        assignments=w.assignments,
        enrollments=w.enrollments,
        cohorts=w.cohorts,
        statements=w.portfolio,
        now=NOW,
    ),
    "talent_matches": lambda w, key: talent_matches(
        key, sessions=w.sessions, jobs=w.jobs, talent=w.talent, recipes=w.recipes, now=NOW
    ),
    "learner_edits_statement": lambda w, key: learner_edits_statement(
        key, "I defend hospitals.", portfolio=w.portfolio, now=NOW
    ),
    "value_statement_for_leadership": lambda w, key: value_statement_for_leadership(
        key, portfolio=w.portfolio, sessions=w.sessions
    ),
    "sync_value_statements": lambda w, key: sync_value_statements(
        [key], sessions=w.sessions, portfolio=w.portfolio, now=NOW
    ),
    "decide_results_access (self)": lambda w, key: decide_results_access(
        Principal(user_id=key), key, assignments=(), enrollments=(), cohorts=(), now=NOW
    ),
    "decide_results_access (mentor)": lambda w, key: decide_results_access(
        MENTOR,
        key,
        assignments=w.assignments.assignments,
        enrollments=w.enrollments.enrollments,
        cohorts=w.cohorts.cohorts,
        now=NOW,
    ),
    "place_learner": lambda w, key: place_learner(
        key, enrollments=w.enrollments.enrollments, cohorts=w.cohorts.cohorts
    ),
}

# The same for services keyed by a cohort, a job or an enterprise.
COHORT_SERVICES: dict[str, ServiceCall] = {
    "cohort_analytics_gate": lambda w, key: cohort_analytics_gate(ADMIN, key, cohorts=w.cohorts, now=NOW),
    "cohort_analytics_report": lambda w, key: cohort_analytics_report(
        key, decision=ALLOW, repository=w.analytics
    ),
}
JOB_SERVICES: dict[str, ServiceCall] = {
    "talent_search": lambda w, key: talent_search(
        key, jobs=w.jobs, talent=w.talent, sessions=w.sessions, now=NOW
    ),
}
ORG_SERVICES: dict[str, ServiceCall] = {
    "enterprise_analytics_gate": lambda w, key: enterprise_analytics_gate(
        ADMIN, key, cohorts=w.cohorts, now=NOW
    ),
    "enterprise_analytics_report": lambda w, key: enterprise_analytics_report(
        key, decision=ALLOW, repository=w.analytics
    ),
    "decide_enterprise_analytics_access": lambda w, key: decide_enterprise_analytics_access(
        Principal(
            user_id="u-sponsor", roles=(RoleGrant(role=Role.SPONSOR_ADMIN, scope=Scope.ORG, scope_ref=key),)
        ),
        key,
        now=NOW,
    ),
}

# (a form of the key, its canonical text): str, int, UUID, the UUID's upper-case text.
ID_FORMS = [
    pytest.param(NUMERIC, NUMERIC, id="str"),
    pytest.param(100, NUMERIC, id="int"),
    pytest.param(UUID_TEXT, UUID_TEXT, id="uuid-text"),
    pytest.param(A_UUID, UUID_TEXT, id="UUID"),
    pytest.param(UUID_TEXT.upper(), UUID_TEXT, id="upper-case-uuid-text"),
]


def answer(call: ServiceCall, world: World, key: object) -> object:
    """*call* for *key* in *world*."""


_STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("x", logging.INFO, "x", 1, "x", (), None).__dict__) | {
    "message"
}


def extra_of(record: logging.LogRecord) -> dict[str, object]:
    """What the service put in the record's ``extra`` (not the timing fields every record has)."""
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD_ATTRIBUTES}

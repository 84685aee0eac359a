"""No N+1 (SPEC §10.12): each endpoint runs as many SQL queries for 1,000 rows as for 10.

Each case builds a world of *n* learners, missions, recipes, jobs or
assignments, calls the endpoint once with Django's test client, and counts
the queries with ``CaptureQueriesContext``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from profiler_host import loading
from profiler_host.hooks import sync_all_value_statements

import profiler_core as pc
from profiler_core import DifficultySelection, MissionDifficulty, SessionStatus, TrackKey

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 1, 1, tzinfo=UTC)
SIZES = (10, 1000)
VIEWER = "u-0000"


def _learners(n: int) -> list[pc.UserId]:
    return [pc.UserId(f"u-{i:04d}") for i in range(n)]


def _sessions(n: int) -> tuple[list[pc.ProfilerSession], list[pc.ProfilerResult]]:
    """One completed elite session (strong evidence) and a result with gaps for each of *n* learners."""
    sessions = [
        pc.ProfilerSession(
            id=pc.SessionId(f"s-{user}"),
            user_id=user,
            status=SessionStatus.FINISHED,
            completed_at=T0 + timedelta(minutes=i),
            difficulty_selection=DifficultySelection.ELITE,
            aptitude_score=90.0,
            technical_exposure_score=40.0,
            recommended_track=TrackKey.DEFENDER,
            track_alignment_percentages={TrackKey.DEFENDER: 80.0},
            reflection=pc.Reflection(why_cyber="I like puzzles", what_achieve="I aim to lead a SOC"),
        )
        for i, user in enumerate(_learners(n))
    ]
    results = [
        pc.ProfilerResult(
            session_id=s.id,
            overall_score=55.0,
            aptitude_breakdown={"networking": 20.0, "web": 45.0},
            areas_for_growth=("Improve communication skills",),
        )
        for s in sessions
    ]
    return sessions, results


def missions_world(n: int) -> str:
    """*n* active missions over all five levels; the viewer may see every level."""
    sessions, results = _sessions(1)
    loading.add_sessions([attrs.evolve(sessions[0], technical_exposure_score=80.0)], results)
    loading.add_missions(
        pc.Mission(
            id=pc.MissionId(f"m-{i:04d}"),
            code=f"M{i:04d}",
            title=f"Mission {i}",
            difficulty=MissionDifficulty(i % 5 + 1),
            track=TrackKey.DEFENDER if i % 2 else None,
        )
        for i in range(n)
    )
    return VIEWER


def recipes_world(n: int) -> str:
    """*n* active recipes teaching the codes of the viewer's networking and web gaps."""
    sessions, results = _sessions(1)
    loading.add_sessions(sessions, results)
    loading.add_recipes(
        pc.Recipe(
            id=pc.RecipeId(f"r-{i:04d}"),
            slug=f"recipe-{i:04d}",
            title=f"Recipe {i}",
            skill_codes=("NET", "WEB", "COMM")[i % 3 :],
            usage_count=i,
        )
        for i in range(n)
    )
    return VIEWER


def recipes_fallback_world(n: int) -> str:
    """*n* recipes and a viewer without a completed profiler (the popularity fallback)."""
    loading.ensure_users([VIEWER])
    loading.add_recipes(
        pc.Recipe(id=pc.RecipeId(f"r-{i:04d}"), slug=f"recipe-{i:04d}", title=f"Recipe {i}", usage_count=i)
        for i in range(n)
    )
    return VIEWER


def mentor_world(n: int) -> str:
    """A mentor with *n* direct assignments (one to the viewer's learner) and *n* profiled learners."""
    sessions, results = _sessions(n)
    loading.add_sessions(sessions, results)
    loading.add_cohorts([pc.Cohort(id=pc.CohortId("c-1"), name="C1", track=TrackKey.DEFENDER)])
    loading.add_cohorts(
        [],
        [
            pc.Enrollment(user_id=u, cohort_id=pc.CohortId("c-1"), status=pc.EnrollmentStatus.ACTIVE)
            for u in _learners(n)
        ],
    )
    loading.add_principals(
        [pc.Principal(user_id=pc.UserId("mentor"), roles=[pc.RoleGrant(role=pc.Role.MENTOR)])]
    )
    loading.add_assignments(
        pc.MentorAssignment(
            id=f"a-{u}", mentor_id=pc.UserId("mentor"), mentee_id=u, status=pc.AssignmentStatus.ACTIVE
        )
        for u in _learners(n)
    )
    sync_all_value_statements(now=T0)
    return "mentor"


def statements_world(n: int) -> str:
    """*n* profiled learners, each with a value statement."""
    sessions, results = _sessions(n)
    loading.add_sessions(sessions, results)
    sync_all_value_statements(now=T0)
    return VIEWER


def marketplace_world(n: int) -> str:
    """*n* open jobs, *n* talent profiles and *n* recipes teaching the jobs' skills."""
    sessions, results = _sessions(n)
    loading.add_sessions(sessions, results)
    skills = ("NET", "SIEM", "PYTHON", "WEB", "DNS")
    loading.add_jobs(
        pc.JobPosting(
            id=pc.JobId(f"j-{i:04d}"),
            title=f"Job {i}",
            employer_id="e-1",
            required_skills=(skills[i % 5], skills[(i + 2) % 5]),
            application_deadline=datetime(2999, 1, 1, tzinfo=UTC),
            track=TrackKey.DEFENDER,
            level=pc.JobLevel.MID,
        )
        for i in range(n)
    )
    loading.add_talent(
        pc.TalentProfile(
            user_id=u, skills=("NET",), readiness_score=60.0, is_visible=True, employer_share_consent=True
        )
        for u in _learners(n)
    )
    loading.add_recipes(
        pc.Recipe(
            id=pc.RecipeId(f"r-{i:04d}"),
            slug=f"recipe-{i:04d}",
            title=f"Recipe {i}",
            skill_codes=(skills[i % 5],),
        )
        for i in range(n)
    )
    return VIEWER


Request = Callable[[Client, str], HttpResponse]


def analytics_world(n: int) -> str:
    """A sponsor's enterprise with two cohorts holding *n* learners in all, each profiled."""
    sessions, results = _sessions(n)
    loading.add_sessions(sessions, results)
    org = pc.OrgId("org-1")
    loading.add_cohorts(
        [
            pc.Cohort(id=pc.CohortId("c-1"), name="One", enterprise_id=org),
            pc.Cohort(id=pc.CohortId("c-2"), name="Two", enterprise_id=org),
        ],
        [
            pc.Enrollment(
                user_id=u, cohort_id=pc.CohortId(f"c-{i % 2 + 1}"), status=pc.EnrollmentStatus.ACTIVE
            )
            for i, u in enumerate(_learners(n))
        ],
    )
    loading.add_principals(
        [
            pc.Principal(
                user_id=pc.UserId("sponsor"),
                roles=[pc.RoleGrant(role=pc.Role.SPONSOR_ADMIN, scope=pc.Scope.ORG, scope_ref=org)],
            )
        ]
    )
    return "sponsor"


def _get(path: str) -> Request:
    return lambda client, user: client.get(path, headers={"X-User-Id": user})


def _patch(path: str, body: dict[str, object]) -> Request:
    return lambda client, user: client.patch(
        path, body, content_type="application/json", headers={"X-User-Id": user}
    )


#: (name, world builder, request, most queries per request): one for the X-User-Id user (and one for
#: their role grants where a Principal is needed) plus at most one per port call the service documents.
CASES: list[tuple[str, Callable[[int], str], Request, int]] = [
    ("student missions", missions_world, _get("/api/v1/student/missions"), 3),
    ("mission dashboard", missions_world, _get("/api/v1/student/missions/dashboard"), 3),
    ("profiler recommendations", recipes_world, _get("/api/v1/recipes/profiler-recommendations"), 4),
    ("recommendations fallback", recipes_fallback_world, _get("/api/v1/recipes/profiler-recommendations"), 3),
    ("mentee results", mentor_world, _get(f"/api/v1/profiler/mentees/{VIEWER}/results"), 9),
    ("value statement", statements_world, _get("/api/v1/profiler/value-statement"), 3),
    (
        "value statement edit",
        statements_world,
        _patch("/api/v1/profiler/value-statement", {"summary": "Mine."}),
        3,
    ),
    ("talent matches", marketplace_world, _get("/api/v1/marketplace/talent-matches"), 5),
    ("cohort analytics", analytics_world, _get("/api/v1/profiler/cohorts/c-1/analytics"), 9),
    ("enterprise analytics", analytics_world, _get("/api/v1/profiler/enterprises/org-1/analytics"), 8),
]


@pytest.mark.parametrize(("build", "request_", "budget"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_queries_do_not_grow_with_the_data(
    client: Client, build: Callable[[int], str], request_: Request, budget: int
) -> None:
    """The endpoint runs the same number of queries, within its budget, for 10 and for 1,000 rows."""
    counts = []
    for n in SIZES:
        loading.clear_platform()
        user = build(n)
        with CaptureQueriesContext(connection) as queries:
            response = request_(client, user)
        assert response.status_code == 200, response.content
        counts.append(len(queries))
    assert counts[0] == counts[1], f"queries for {SIZES} rows: {counts}"
    assert counts[0] <= budget, f"{counts[0]} queries, budget {budget}"

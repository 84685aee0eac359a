"""No N+1 (SPEC §10.12): each endpoint runs as many SQL queries for 1,000 rows as for 10.

Each case builds a world of *n* learners, missions, recipes, jobs or
assignments as real OCH rows (bigint users, UUID keys, the platform's column
shapes), calls the endpoint once with Django's test client, and counts the
queries with ``CaptureQueriesContext``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from profiler_host import loading, models
from profiler_host import och_fixture as f
from profiler_host.hooks import sync_all_value_statements

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 1, 1, tzinfo=UTC)
SIZES = (10, 1000)
VIEWER = 1000  # the first learner's users.id
COHORT_1, COHORT_2 = uuid.UUID(int=1), uuid.UUID(int=2)
SPONSOR = uuid.UUID(int=99)


def key(kind: int, i: int) -> uuid.UUID:
    """A deterministic UUID for row *i* of table *kind*."""
    return uuid.UUID(int=(kind << 64) + i)


def tracks() -> None:
    """The five curriculum tracks (the track directory's rows)."""
    loading.insert(models.CurriculumTrack, f.CURRICULUM_TRACKS)


def learners(n: int, *, profiled: bool = True) -> list[int]:
    """*n* users (ids 1000...), each with a locked session (elite, strong evidence) and a result with gaps."""
    ids = [VIEWER + i for i in range(n)]
    loading.insert(models.User, ({"id": u, "username": f"u{u}", "email": f"u{u}@example.org"} for u in ids))
    if profiled:
        loading.insert(
            models.ProfilerSession,
            (
                {
                    "id": key(1, i),
                    "user_id": u,
                    "status": "finished",
                    "is_locked": True,
                    "completed_at": T0 + timedelta(minutes=i),
                    "difficulty_selection": "elite",
                    "aptitude_score": Decimal("90.00"),
                    "technical_exposure_score": Decimal("80.00"),
                    "recommended_track_id": f.DEFENDER_TRACK,
                    "track_confidence": Decimal("0.80"),
                    "track_alignment_percentages": {"defender": 80.0},
                    "behavioral_responses": {
                        "why_cyber": "I like puzzles.",
                        "what_achieve": "I aim to lead a SOC.",
                    },
                }
                for i, u in enumerate(ids)
            ),
        )
        loading.insert(
            models.ProfilerResult,
            (
                {
                    "id": key(2, i),
                    "session_id": key(1, i),
                    "user_id": u,
                    "overall_score": Decimal("55.00"),
                    "aptitude_score": Decimal("90.00"),
                    "behavioral_score": Decimal("50.00"),
                    "aptitude_breakdown": {"networking": {"correct": 1, "total": 5, "points": 1}},
                    "areas_for_growth": ["Develop communication skills"],
                }
                for i, u in enumerate(ids)
            ),
        )
    return ids


def missions_world(n: int) -> int:
    """*n* active missions over all five levels (code NULL as in the dump); the viewer may see every level."""
    tracks()
    learners(1)
    loading.insert(
        models.Mission,
        (
            {
                "id": key(3, i),
                "code": None,
                "title": f"Mission {i}",
                "difficulty": i % 5 + 1,
                "track_id": str(f.DEFENDER_TRACK) if i % 2 else "free text",
                "subtasks": [{"id": 1, "title": "One"}],
                "requires_points": i % 7 == 0,
                "points_required": 40 if i % 7 == 0 else None,
            }
            for i in range(n)
        ),
    )
    # The viewer's mission progress grows with n too: an assignment per mission, a scored submission per two.
    student = models.User.objects.get(pk=VIEWER).uuid_id
    statuses = ("assigned", "in_progress", "completed", "failed")
    loading.insert(
        models.MissionAssignment,
        (
            {
                "id": key(8, i),
                "mission_id": key(3, i),
                "assignment_type": "individual",
                "student_id": student,
                "status": statuses[i % 4],
            }
            for i in range(n)
        ),
    )
    loading.insert(
        models.MissionSubmission,
        (
            {
                "id": key(9, i),
                "assignment_id": key(8, i),
                "student_id": student,
                "status": "approved" if i % 4 == 2 else "rejected",
                "score": Decimal("85.00") if i % 4 == 2 else Decimal("40.00"),
            }
            for i in range(0, n, 2)
        ),
    )
    return VIEWER


def recipes(n: int) -> None:
    """*n* active recipes with real catalogue codes."""
    codes = (["LOG_ANALYSIS"], ["SIEM_RULE_WRITING", "DETECTION_ENGINEERING"], ["log_parsing"])
    loading.insert(
        models.Recipe,
        (
            {
                "id": key(4, i),
                "slug": f"recipe-{i:04d}",
                "title": f"Recipe {i}",
                "summary": "S.",
                "track_codes": ["SOCDEFENSE", "DFIR"],
                "skill_codes": codes[i % 3],
                "usage_count": i,
            }
            for i in range(n)
        ),
    )


def recipes_world(n: int) -> int:
    """*n* recipes and a profiled viewer."""
    tracks()
    learners(1)
    recipes(n)
    return VIEWER


def recipes_fallback_world(n: int) -> int:
    """*n* recipes and a viewer without a completed profiler (the popularity fallback)."""
    learners(1, profiled=False)
    recipes(n)
    return VIEWER


MENTOR = 1


def mentor_world(n: int) -> int:
    """A mentor with *n* ``menteementorassignments`` rows (``cohort``-typed, naming each mentee)."""
    tracks()
    ids = learners(n)
    loading.insert(models.User, [{"id": MENTOR, "username": "mentor", "email": "m@example.org"}])
    loading.insert(models.Role, [{"id": 7, "name": "mentor"}])
    loading.insert(models.UserRole, [{"user_id": MENTOR, "role_id": 7, "scope": "global"}])
    loading.insert(models.Cohort, [{"id": COHORT_1, "name": "One", "curriculum_tracks": ["defender"]}])
    loading.insert(
        models.Enrollment,
        (
            {"id": key(5, i), "cohort_id": COHORT_1, "user_id": u, "status": "active"}
            for i, u in enumerate(ids)
        ),
    )
    loading.insert(
        models.MenteeMentorAssignment,
        (
            {
                "id": key(6, i),
                "mentee_id": u,
                "mentor_id": MENTOR,
                "cohort_id": str(COHORT_1),
                "status": "active",
            }
            for i, u in enumerate(ids)
        ),
    )
    loading.insert(
        models.CohortMentorAssignment, [{"cohort_id": COHORT_1, "mentor_id": MENTOR, "role": "primary"}]
    )
    sync_all_value_statements(now=T0)
    return MENTOR


def statements_world(n: int) -> int:
    """*n* profiled learners, each with a value statement."""
    tracks()
    learners(n)
    sync_all_value_statements(now=T0)
    return VIEWER


def marketplace_world(n: int) -> int:
    """*n* open jobs, *n* marketplace profiles and *n* recipes."""
    tracks()
    ids = learners(n)
    loading.insert(models.User, [{"id": 5, "username": "employer", "email": "e@example.org"}])
    loading.insert(models.Employer, [{"id": key(7, 0), "user_id": 5, "company_name": "Company A"}])
    skills = (["System Admin"], ["DFIR", "SOAR"], [])
    loading.insert(
        models.JobPosting,
        (
            {
                "id": key(8, i),
                "employer_id": key(7, 0),
                "title": f"Job {i}",
                "job_type": "full_time",
                "required_skills": skills[i % 3],
                "application_deadline": datetime(2999, 1, 1, tzinfo=UTC),
            }
            for i in range(n)
        ),
    )
    loading.insert(
        models.MarketplaceProfile,
        (
            {
                "id": key(9, i),
                "mentee_id": u,
                "skills": ["DFIR"],
                "readiness_score": Decimal("60.00"),
                "primary_track_key": "cyber_defense",
                "is_visible": True,
                "employer_share_consent": True,
            }
            for i, u in enumerate(ids)
        ),
    )
    recipes(n)
    return VIEWER


STAFF = 2


def analytics_world(n: int) -> int:
    """A sponsor funding two cohorts holding *n* active learners in all, each profiled; a staff viewer."""
    tracks()
    ids = learners(n)
    loading.insert(
        models.User,
        [
            {"id": STAFF, "username": "staff", "email": "s@example.org", "is_staff": True},
            {"id": 3, "username": "sponsor", "email": "sp@example.org", "uuid_id": SPONSOR},
        ],
    )
    loading.insert(models.Cohort, [{"id": COHORT_1, "name": "One"}, {"id": COHORT_2, "name": "Two"}])
    loading.insert(
        models.SponsorCohortAssignment,
        [
            {"sponsor_uuid_id": SPONSOR, "cohort_id": COHORT_1},
            {"sponsor_uuid_id": SPONSOR, "cohort_id": COHORT_2},
        ],
    )
    loading.insert(
        models.Enrollment,
        (
            {"id": key(5, i), "cohort_id": (COHORT_1, COHORT_2)[i % 2], "user_id": u, "status": "active"}
            for i, u in enumerate(ids)
        ),
    )
    return STAFF


Request = Callable[[Client, int], HttpResponse]


def _get(path: str) -> Request:
    return lambda client, user: client.get(path, headers={"X-User-Id": str(user)})


def _patch(path: str, body: dict[str, object]) -> Request:
    return lambda client, user: client.patch(
        path, body, content_type="application/json", headers={"X-User-Id": str(user)}
    )


#: (name, world builder, request, most queries per request): the X-User-Id user (and their ``user_roles``
#: where a Principal is needed), the track catalogue (``tracks`` and ``curriculum_tracks``) once per request
#: where tracks are resolved, one per port call the service makes (two for the two mentor-assignment
#: tables; the analytics report asks for the cohort twice), the identity answers beside the sessions,
#: and the audit insert of an access decision.
CASES: list[tuple[str, Callable[[int], int], Request, int]] = [
    # 6 for the admitted list, 3 more for the week's plan (the whole catalogue, assignments, submissions).
    ("student missions", missions_world, _get("/api/v1/student/missions/"), 9),
    ("mission dashboard", missions_world, _get("/api/v1/student/missions/dashboard"), 9),
    ("profiler recommendations", recipes_world, _get("/api/v1/recipes/profiler-recommendations"), 7),
    ("recommendations fallback", recipes_fallback_world, _get("/api/v1/recipes/profiler-recommendations"), 3),
    ("mentee results", mentor_world, _get(f"/api/v1/profiler/mentees/{VIEWER}/results"), 14),
    ("future-you", mentor_world, _get(f"/api/v1/profiler/mentees/{VIEWER}/future-you"), 14),
    ("value statement", statements_world, _get("/api/v1/profiler/value-statement"), 2),
    (
        "value statement edit",
        statements_world,
        _patch("/api/v1/profiler/value-statement", {"summary": "Mine."}),
        3,
    ),
    ("talent matches", marketplace_world, _get("/api/v1/marketplace/talent-matches/profiler"), 9),
    ("cohort analytics", analytics_world, _get(f"/api/v1/profiler/admin/cohorts/{COHORT_1}/analytics"), 12),
    (
        "enterprise analytics",
        analytics_world,
        _get(f"/api/v1/profiler/admin/enterprise/analytics?sponsor_id={SPONSOR}"),
        11,
    ),
]


@pytest.mark.parametrize(("build", "request_", "budget"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_queries_do_not_grow_with_the_data(
    client: Client, build: Callable[[int], int], request_: Request, budget: int
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

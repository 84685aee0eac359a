"""GET /api/v1/profiler/mentees/{id}/results: who may see a learner's results, and how much."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fastapi_host.db import connect

from profiler_core import UserId, unstructure_object
from profiler_core.demo.sample import SamplePlatform
from profiler_core.services import ResultsAllowed, ResultsDenied, mentee_results, sync_value_statements
from profiler_core.testing import (
    InMemoryCohortRepository,
    InMemoryEnrollmentRepository,
    InMemoryMentorAssignmentRepository,
    InMemoryPortfolioRepository,
    InMemorySessionRepository,
)


def results_path(mentee: str) -> str:
    """The endpoint's path for *mentee*."""
    return f"/api/v1/profiler/mentees/{mentee}/results"


def as_user(user_id: str) -> dict[str, str]:
    """The example-only authentication header."""
    return {"X-User-Id": user_id}


def oracle(platform: SamplePlatform, viewer: str, mentee: str) -> ResultsAllowed | ResultsDenied | object:
    """What the library decides over the in-memory fakes holding the same platform."""
    sessions = InMemorySessionRepository(platform.sessions, platform.results)
    portfolio = InMemoryPortfolioRepository()
    sync_value_statements(platform.learners, sessions=sessions, portfolio=portfolio, now=platform.now)
    principal = next(p for p in platform.principals if p.user_id == viewer)
    return mentee_results(
        principal,
        UserId(mentee),
        sessions=sessions,
        assignments=InMemoryMentorAssignmentRepository(platform.assignments),
        enrollments=InMemoryEnrollmentRepository(platform.enrollments),
        cohorts=InMemoryCohortRepository(platform.cohorts),
        statements=portfolio,
        now=platform.now,
    )


def without_entry_id(body: dict[str, object]) -> dict[str, object]:
    """The payload with the value statement's entry id blanked (hosts assign their own ids)."""
    statement = body.get("value_statement")
    if isinstance(statement, dict):
        return {**body, "value_statement": {**statement, "entry_id": None}}
    return body


ALLOWED = [
    ("learner-001", "learner-001", "self"),
    ("mentor-ada", "learner-001", "mentor"),
    ("director-dee", "learner-001", "director"),
    ("admin-gus", "learner-015", "admin"),
    ("staff-hal", "learner-022", "admin"),
]
DENIED = [
    ("mentor-bob", "learner-001"),  # paused assignment
    ("mentor-cy", "learner-002"),  # expired cohort assignment
    ("mentor-ada", "learner-002"),  # no assignment to this learner
    ("director-dee", "learner-015"),  # learner outside the director's cohort
    ("director-eve", "learner-001"),
    ("learner-002", "learner-001"),  # a student reading a peer
    ("sponsor-fay", "learner-001"),  # sponsors see analytics, not results
]


class TestAllowed:
    @pytest.mark.parametrize(("viewer", "mentee", "view"), ALLOWED)
    def test_body_is_the_library_payload(
        self, client: TestClient, platform: SamplePlatform, viewer: str, mentee: str, view: str
    ) -> None:
        """An allowed viewer gets exactly unstructure(outcome): the mentee results for the granted view."""
        response = client.get(results_path(mentee), headers=as_user(viewer))
        assert response.status_code == 200
        expected = oracle(platform, viewer, mentee)
        assert isinstance(expected, ResultsAllowed)
        assert response.json()["view"] == view
        assert without_entry_id(response.json()) == without_entry_id(unstructure_object(expected))

    @pytest.mark.parametrize(
        ("viewer", "mentee", "present", "absent"),
        [
            ("mentor-ada", "learner-001", set(), {"reflection", "anti_cheat", "difficulty_selection"}),
            ("director-dee", "learner-001", {"difficulty_selection"}, {"reflection", "anti_cheat"}),
            ("learner-001", "learner-001", {"reflection", "identity_responses"}, {"anti_cheat"}),
            ("admin-gus", "learner-001", {"anti_cheat", "reflection"}, set()),
        ],
    )
    def test_keys_beyond_the_view_are_absent(
        self, client: TestClient, viewer: str, mentee: str, present: set[str], absent: set[str]
    ) -> None:
        """Fields a view may not show are absent from the body, not null."""
        body = client.get(results_path(mentee), headers=as_user(viewer)).json()
        assert present <= body.keys()
        assert not absent & body.keys()

    def test_mentor_never_sees_the_private_statement(self, client: TestClient) -> None:
        """The learner's private value statement is shown to themself, not to their mentor."""
        own = client.get(results_path("learner-001"), headers=as_user("learner-001")).json()
        mentor = client.get(results_path("learner-001"), headers=as_user("mentor-ada")).json()
        assert own["value_statement"]["visibility"] == "private"
        assert mentor["value_statement"] is None


def audit_rows(db_path: Path) -> list[tuple[str, ...]]:
    """Every access_audit row as (viewer, action, subject, outcome, rule, reason codes JSON), in order."""
    with closing(connect(db_path)) as connection:
        rows: list[sqlite3.Row] = connection.execute(
            "SELECT viewer_id, action, subject_id, outcome, rule, reason_codes FROM access_audit ORDER BY id"
        ).fetchall()
    return [tuple(r) for r in rows]


class TestDenied:
    @pytest.mark.parametrize(("viewer", "mentee"), DENIED)
    def test_is_a_uniform_403_and_the_audit_keeps_the_reasons(
        self, client: TestClient, db_path: Path, platform: SamplePlatform, viewer: str, mentee: str
    ) -> None:
        """A denied viewer gets 403 access_denied, nothing else; the audit row holds the precise reasons."""
        response = client.get(results_path(mentee), headers=as_user(viewer))
        assert response.status_code == 403
        assert response.json() == {
            "code": "access_denied",
            "reason_codes": ["access_denied"],
            "detail": "access denied: access_denied",
        }
        expected = oracle(platform, viewer, mentee)
        assert isinstance(expected, ResultsDenied)
        assert audit_rows(db_path) == [
            (
                viewer,
                "view_results",
                mentee,
                "denied",
                "default_deny",
                json.dumps(list(expected.decision.reason_codes)),
            )
        ]

    def test_mentors_denied_for_any_reason_get_byte_identical_bodies(
        self, client: TestClient, db_path: Path
    ) -> None:
        """Expired, paused or no assignment, learner in or out of the cohort: the same 403 bytes."""
        asks = [
            ("mentor-cy", "learner-002"),  # expired cohort assignment, learner in that cohort
            ("mentor-cy", "learner-015"),  # expired cohort assignment, learner outside it
            ("mentor-ada", "learner-002"),  # no assignment, learner in cohort-a
            ("mentor-ada", "learner-015"),  # no assignment, learner in cohort-b
            ("mentor-bob", "learner-001"),  # paused assignment
            ("mentor-ada", "learner-999"),  # no such learner
        ]
        bodies = {client.get(results_path(m), headers=as_user(v)).content for v, m in asks}
        assert len(bodies) == 1
        reasons = {row[5] for row in audit_rows(db_path)}
        assert len(reasons) > 1, "the audit keeps the distinct precise reasons"

    def test_unknown_learner_is_denied_not_revealed(self, client: TestClient) -> None:
        """A mentor asking about a learner that does not exist learns nothing but a denial."""
        response = client.get(results_path("learner-999"), headers=as_user("mentor-ada"))
        assert response.status_code == 403

    def test_without_header_is_401(self, client: TestClient) -> None:
        """No X-User-Id: unauthenticated."""
        assert client.get(results_path("learner-001")).status_code == 401


class TestNotFound:
    def test_allowed_viewer_of_a_learner_without_results_gets_404(self, client: TestClient) -> None:
        """An admin asking about a learner who never finished the profiler gets a typed 404."""
        response = client.get(results_path("learner-006"), headers=as_user("admin-gus"))
        assert response.status_code == 404
        body = response.json()
        assert body["code"] == "no_completed_session"
        assert body["kind"] == "profiler_results"
        assert body["key"] == "learner-006"


class TestAudit:
    def test_every_decision_is_written(self, client: TestClient, db_path: Path) -> None:
        """Allowed and denied decisions each leave one access_audit row with their outcome."""
        client.get(results_path("learner-001"), headers=as_user("mentor-ada"))
        client.get(results_path("learner-001"), headers=as_user("mentor-bob"))
        with closing(connect(db_path)) as connection:
            rows: list[sqlite3.Row] = connection.execute(
                "SELECT viewer_id, subject_id, outcome, action FROM access_audit ORDER BY id"
            ).fetchall()
        assert [tuple(r) for r in rows] == [
            ("mentor-ada", "learner-001", "allowed", "view_results"),
            ("mentor-bob", "learner-001", "denied", "view_results"),
        ]

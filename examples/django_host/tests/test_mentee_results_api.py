"""``GET /api/v1/profiler/mentees/{id}/results``: who sees a learner's results, and how much (SPEC §5)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from profiler_host import models
from profiler_host.loading import add_principals

import profiler_core as pc
from profiler_core import Role, Scope
from profiler_core.demo.sample import SamplePlatform
from tests.conftest import UNIFORM_DENIAL, Get

LEARNER = "learner-001"  # cohort-a; mentor-ada is assigned to them directly
URL = f"/api/v1/profiler/mentees/{LEARNER}/results"


@pytest.fixture
def viewers(loaded: SamplePlatform) -> SamplePlatform:
    """The sample platform plus viewers it lacks: an analyst, an unassigned mentor, grant edge cases."""
    add_principals(
        [
            pc.Principal(user_id=pc.UserId("analyst-ann"), roles=[pc.RoleGrant(role=Role.ANALYST)]),
            pc.Principal(user_id=pc.UserId("mentor-new"), roles=[pc.RoleGrant(role=Role.MENTOR)]),
            pc.Principal(user_id=pc.UserId("nobody")),
            pc.Principal(
                user_id=pc.UserId("admin-old"),
                roles=[pc.RoleGrant(role=Role.ADMIN, expires_at=datetime(2020, 1, 1, tzinfo=UTC))],
            ),
            pc.Principal(
                user_id=pc.UserId("admin-off"), roles=[pc.RoleGrant(role=Role.ADMIN, is_active=False)]
            ),
            pc.Principal(
                user_id=pc.UserId("director-track"),
                roles=[pc.RoleGrant(role=Role.PROGRAM_DIRECTOR, scope=Scope.TRACK, scope_ref="defender")],
            ),
        ]
    )
    return loaded


class TestMenteeResultsAllowed:
    @pytest.mark.parametrize(
        ("viewer", "view"),
        [
            (LEARNER, "self"),
            ("mentor-ada", "mentor"),
            ("director-dee", "director"),
            ("director-track", "director"),
            ("analyst-ann", "director"),
            ("admin-gus", "admin"),
            ("staff-hal", "admin"),
        ],
    )
    def test_allowed_viewers_get_their_view(
        self, viewers: SamplePlatform, get: Get, viewer: str, view: str
    ) -> None:
        """Each allowed viewer gets 200 with the learner's latest completed session in their view."""
        response = get(URL, viewer)
        assert response.status_code == 200
        body = response.json()
        assert body["view"] == view
        assert body["mentee_id"] == LEARNER
        assert body["session_id"] == "session-001-1"

    def test_mentor_view_has_no_anti_cheat_data(self, viewers: SamplePlatform, get: Get) -> None:
        """A mentor's payload has no anti_cheat key at all; an admin's has it."""
        assert "anti_cheat" not in get(URL, "mentor-ada").json()
        assert "anti_cheat" in get(URL, "admin-gus").json()

    def test_scores_come_from_the_result_row(self, viewers: SamplePlatform, get: Get) -> None:
        """The overall score is the result row's, technical exposure the session's percentage."""
        scores = get(URL, "mentor-ada").json()["scores"]
        result = models.ProfilerResult.objects.get(session_id="session-001-1")
        session = models.ProfilerSession.objects.get(pk="session-001-1")
        assert scores["overall"] == result.overall_score
        assert scores["technical_exposure"] == session.technical_exposure_score

    def test_no_completed_session_is_a_404(self, viewers: SamplePlatform, get: Get) -> None:
        """An allowed viewer asking about a learner who never finished gets 404 no_completed_session."""
        response = get("/api/v1/profiler/mentees/learner-006/results", "admin-gus")
        assert response.status_code == 404
        assert response.json()["code"] == "no_completed_session"


#: The precise reasons the audit keeps for some of the denials the viewer cannot tell apart.
PRECISE = {
    ("mentor-cy", "learner-002"): ["assignment_expired"],
    ("mentor-cy", "learner-012"): ["no_assignment"],
    ("mentor-bob", "learner-001"): ["assignment_not_active"],
    ("mentor-bob", "learner-002"): ["no_assignment"],
    ("mentor-new", "learner-002"): ["no_assignment"],
}


class TestMenteeResultsDenied:
    @pytest.mark.parametrize(
        ("viewer", "code"),
        [
            ("mentor-bob", "assignment_not_active"),
            ("mentor-cy", "assignment_expired"),
            ("mentor-new", "no_assignment"),
            ("learner-002", "role_not_permitted"),
            ("sponsor-fay", "role_not_permitted"),
            ("director-eve", "scope_not_covering"),
            ("nobody", "no_grant"),
            ("admin-old", "grant_expired"),
            ("admin-off", "grant_inactive"),
        ],
    )
    def test_denied_viewers_get_the_uniform_403_and_the_audit_the_reason(
        self, viewers: SamplePlatform, get: Get, viewer: str, code: str
    ) -> None:
        """Each denied viewer gets the one uniform 403 body; the decision's reason code is in the audit."""
        response = get(URL, viewer)
        assert (response.status_code, response.json()) == (403, UNIFORM_DENIAL)
        assert code in models.AccessAudit.objects.get(viewer_id=viewer).reason_codes

    def test_denials_do_not_leak(self, viewers: SamplePlatform, get: Get) -> None:
        """Expired, paused or no assignment, learner in or out of the cohort: byte-identical 403s.

        mentor-cy's cohort-a assignment has expired, mentor-bob's direct one (to
        learner-001) is paused, mentor-new has none. Asked about learners in
        cohort-a (completed, active, withdrawn, without results), in cohort-b
        and unknown, every answer is the same status, headers and bytes; only
        the audit rows tell them apart.
        """
        learners = ["learner-001", "learner-002", "learner-011", "learner-006", "learner-012", "learner-999"]
        answers = {
            (viewer, learner): get(f"/api/v1/profiler/mentees/{learner}/results", viewer)
            for viewer in ("mentor-cy", "mentor-bob", "mentor-new")
            for learner in learners
        }
        seen = {(r.status_code, r.content, r.get("X-Profiler-Notes")) for r in answers.values()}
        assert seen == {(403, json.dumps(UNIFORM_DENIAL, separators=(",", ":")).encode(), None)}
        audited = {
            (row["viewer_id"], row["subject_id"]): row["reason_codes"]
            for row in models.AccessAudit.objects.values("viewer_id", "subject_id", "reason_codes")
        }
        assert len(audited) == len(answers)
        assert {pair: audited[pair] for pair in PRECISE} == PRECISE

    def test_a_denial_reveals_nothing_about_missing_results(self, viewers: SamplePlatform, get: Get) -> None:
        """A denied viewer gets 403 for a learner without results too, never 404."""
        assert get("/api/v1/profiler/mentees/learner-006/results", "learner-002").status_code == 403

    def test_requires_the_user_header(self, viewers: SamplePlatform, get: Get) -> None:
        """Without X-User-Id the answer is 401."""
        assert get(URL).status_code == 401


class TestMenteeResultsAudit:
    def test_every_decision_is_audited(self, viewers: SamplePlatform, get: Get) -> None:
        """One allowed and one denied request leave two audit rows with outcome, rule and codes."""
        get(URL, "mentor-ada")
        get(URL, "mentor-bob")
        rows = list(models.AccessAudit.objects.order_by("id").values("viewer_id", "subject_id", "outcome"))
        assert rows == [
            {"viewer_id": "mentor-ada", "subject_id": LEARNER, "outcome": "allowed"},
            {"viewer_id": "mentor-bob", "subject_id": LEARNER, "outcome": "denied"},
        ]
        denied = models.AccessAudit.objects.get(viewer_id="mentor-bob")
        assert "assignment_not_active" in denied.reason_codes
        assert denied.policy == "access@1"

"""Cohort and enterprise analytics (SPEC §5, §9): who may see them, and what they count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from profiler_host import models
from profiler_host.loading import add_cohorts, add_principals, add_sessions

import profiler_core as pc
from profiler_core import EnrollmentStatus, Role, Scope, SessionStatus, TrackKey
from tests.conftest import UNIFORM_DENIAL, Get

T0 = datetime(2026, 2, 1, tzinfo=UTC)
COHORT = "/api/v1/profiler/cohorts/{}/analytics"
ENTERPRISE = "/api/v1/profiler/enterprises/{}/analytics"


@pytest.fixture
def dashboard(db: None) -> None:
    """org-big sponsors c-big (20 learners, 12 profiled, one retake) and c-side (20 learners, 8 profiled).

    Every published count is at least k = 5, so nothing is suppressed.
    """
    add_cohorts(
        [
            pc.Cohort(
                id=pc.CohortId("c-big"),
                name="Big",
                track=TrackKey.DEFENDER,
                enterprise_id=pc.OrgId("org-big"),
            ),
            pc.Cohort(id=pc.CohortId("c-side"), name="Big", track=None, enterprise_id=pc.OrgId("org-big")),
            pc.Cohort(
                id=pc.CohortId("c-other"), name="Other", track=TrackKey.GRC, enterprise_id=pc.OrgId("org-x")
            ),
        ],
        [
            pc.Enrollment(
                user_id=pc.UserId(f"b-{i}"), cohort_id=pc.CohortId("c-big"), status=EnrollmentStatus.ACTIVE
            )
            for i in range(20)
        ]
        + [
            pc.Enrollment(
                user_id=pc.UserId("b-w"), cohort_id=pc.CohortId("c-big"), status=EnrollmentStatus.WITHDRAWN
            )
        ]
        + [
            pc.Enrollment(
                user_id=pc.UserId(f"s-{i}"),
                cohort_id=pc.CohortId("c-side"),
                status=EnrollmentStatus.COMPLETED,
            )
            for i in range(20)
        ],
    )
    sessions = [
        pc.ProfilerSession(
            id=pc.SessionId(f"sess-b-{i}"),
            user_id=pc.UserId(f"b-{i}"),
            status=SessionStatus.FINISHED,
            completed_at=T0 + timedelta(days=i),
            aptitude_score=float(5 * i),
        )
        for i in range(12)
    ]
    # b-0 retook the profiler: only the later session counts.
    sessions.append(
        pc.ProfilerSession(
            id=pc.SessionId("sess-b-0-retake"),
            user_id=pc.UserId("b-0"),
            status=SessionStatus.LOCKED,
            completed_at=T0 + timedelta(days=30),
            aptitude_score=100.0,
        )
    )
    sessions += [
        pc.ProfilerSession(
            id=pc.SessionId(f"sess-s-{i}"),
            user_id=pc.UserId(f"s-{i}"),
            status=SessionStatus.FINISHED,
            completed_at=T0,
            aptitude_score=50.0,
        )
        for i in range(8)
    ]
    add_sessions(sessions)
    add_principals(
        [
            pc.Principal(user_id=pc.UserId("admin"), roles=[pc.RoleGrant(role=Role.ADMIN)]),
            pc.Principal(user_id=pc.UserId("staff"), is_staff=True),
            pc.Principal(
                user_id=pc.UserId("director"),
                roles=[pc.RoleGrant(role=Role.PROGRAM_DIRECTOR, scope=Scope.COHORT, scope_ref="c-big")],
            ),
            pc.Principal(
                user_id=pc.UserId("director-track"),
                roles=[pc.RoleGrant(role=Role.PROGRAM_DIRECTOR, scope=Scope.TRACK, scope_ref="defender")],
            ),
            pc.Principal(
                user_id=pc.UserId("sponsor"),
                roles=[pc.RoleGrant(role=Role.SPONSOR_ADMIN, scope=Scope.ORG, scope_ref="org-big")],
            ),
            pc.Principal(
                user_id=pc.UserId("sponsor-x"),
                roles=[pc.RoleGrant(role=Role.SPONSOR_ADMIN, scope=Scope.ORG, scope_ref="org-x")],
            ),
            pc.Principal(user_id=pc.UserId("mentor"), roles=[pc.RoleGrant(role=Role.MENTOR)]),
            pc.Principal(user_id=pc.UserId("student"), roles=[pc.RoleGrant(role=Role.STUDENT)]),
        ]
    )


class TestCohortAnalytics:
    @pytest.mark.parametrize("viewer", ["admin", "staff", "director", "director-track", "sponsor"])
    def test_allowed_viewers_get_the_report(self, dashboard: None, get: Get, viewer: str) -> None:
        """Admin, staff, the covering directors and the sponsor see c-big's report."""
        response = get(COHORT.format("c-big"), viewer)
        assert response.status_code == 200
        body = response.json()
        assert body["kind"] == "cohort_report"
        assert body["cohort"]["id"] == "c-big"

    def test_counts_learners_not_sessions(self, dashboard: None, get: Get) -> None:
        """20 counted learners (the withdrawn one is not), 12 profiled, each once despite a retake: 60%."""
        population = get(COHORT.format("c-big"), "admin").json()["population"]
        assert population == {"total": 20, "profiled": 12, "not_profiled": 8, "profiled_pct": 60.0}

    def test_uses_only_the_latest_completed_session(self, dashboard: None, get: Get) -> None:
        """b-0's retake (100) replaces their first session (0): the aptitude maximum is 100."""
        aptitude = get(COHORT.format("c-big"), "admin").json()["scores"]["aptitude"]
        assert aptitude["count"] == 12
        assert aptitude["max"] == 100.0

    @pytest.mark.parametrize(
        ("viewer", "code"),
        [
            ("sponsor-x", "scope_not_covering"),
            ("mentor", "role_not_permitted"),
            ("student", "role_not_permitted"),
        ],
    )
    def test_denied_viewers_get_403(self, dashboard: None, get: Get, viewer: str, code: str) -> None:
        """Another enterprise's sponsor, mentors and students get the uniform 403; the audit the reason."""
        response = get(COHORT.format("c-big"), viewer)
        assert (response.status_code, response.json()) == (403, UNIFORM_DENIAL)
        assert code in models.AccessAudit.objects.get(viewer_id=viewer).reason_codes

    def test_a_director_of_another_cohort_is_refused(self, dashboard: None, get: Get) -> None:
        """A cohort-scoped director sees their cohort only (uniform 403, scope_not_covering audited)."""
        response = get(COHORT.format("c-side"), "director")
        assert (response.status_code, response.json()) == (403, UNIFORM_DENIAL)
        assert "scope_not_covering" in models.AccessAudit.objects.get(viewer_id="director").reason_codes

    def test_unknown_cohort_is_404_for_an_allowed_viewer(self, dashboard: None, get: Get) -> None:
        """An admin asking for a cohort that does not exist gets 404 cohort_not_found."""
        response = get(COHORT.format("c-none"), "admin")
        assert response.status_code == 404
        assert response.json()["code"] == "cohort_not_found"

    def test_unknown_cohort_is_403_for_anyone_else(self, dashboard: None, get: Get) -> None:
        """Whether a cohort exists is not told to a viewer who could not see it."""
        assert get(COHORT.format("c-none"), "student").status_code == 403

    def test_decisions_are_audited(self, dashboard: None, get: Get) -> None:
        """Both an allowed and a denied request leave an audit row."""
        get(COHORT.format("c-big"), "sponsor")
        get(COHORT.format("c-big"), "mentor")
        outcomes = list(models.AccessAudit.objects.order_by("id").values_list("viewer_id", "outcome"))
        assert outcomes == [("sponsor", "allowed"), ("mentor", "denied")]

    def test_requires_the_user_header(self, dashboard: None, get: Get) -> None:
        """Without X-User-Id the answer is 401."""
        assert get(COHORT.format("c-big")).status_code == 401


class TestEnterpriseAnalytics:
    @pytest.mark.parametrize("viewer", ["admin", "staff", "sponsor"])
    def test_allowed_viewers_get_the_report(self, dashboard: None, get: Get, viewer: str) -> None:
        """Admin, staff and the enterprise's own sponsor see the enterprise report."""
        response = get(ENTERPRISE.format("org-big"), viewer)
        assert response.status_code == 200
        body = response.json()
        assert (body["kind"], body["enterprise_id"], body["cohort_count"]) == (
            "enterprise_report",
            "org-big",
            2,
        )

    def test_rollup_counts_distinct_learners_and_breaks_down_by_cohort_id(
        self, dashboard: None, get: Get
    ) -> None:
        """40 learners over two cohorts that share a name, with a breakdown keyed by cohort id."""
        body = get(ENTERPRISE.format("org-big"), "sponsor").json()
        assert body["rollup"]["population"] == {
            "total": 40,
            "profiled": 20,
            "not_profiled": 20,
            "profiled_pct": 50.0,
        }
        assert sorted(body["cohorts"]) == ["c-big", "c-side"]

    @pytest.mark.parametrize(
        ("viewer", "code"),
        [
            ("sponsor-x", "scope_not_covering"),
            ("director", "role_not_permitted"),
            ("mentor", "role_not_permitted"),
        ],
    )
    def test_denied_viewers_get_403(self, dashboard: None, get: Get, viewer: str, code: str) -> None:
        """Another sponsor, programme directors and mentors get the uniform 403; the audit has the reason."""
        response = get(ENTERPRISE.format("org-big"), viewer)
        assert (response.status_code, response.json()) == (403, UNIFORM_DENIAL)
        assert code in models.AccessAudit.objects.get(viewer_id=viewer).reason_codes

    def test_unknown_enterprise_is_404_never_everything(self, dashboard: None, get: Get) -> None:
        """An enterprise that sponsors no cohort is 404 unknown_enterprise, not a report of every cohort."""
        response = get(ENTERPRISE.format("org-none"), "admin")
        assert response.status_code == 404
        assert response.json()["code"] == "unknown_enterprise"

    def test_requires_the_user_header(self, dashboard: None, get: Get) -> None:
        """Without X-User-Id the answer is 401."""
        assert get(ENTERPRISE.format("org-big")).status_code == 401

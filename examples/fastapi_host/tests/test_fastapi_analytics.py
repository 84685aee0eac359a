"""Cohort and enterprise analytics: who may see them, what they hold, and what is suppressed."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fastapi_host.db import connect

from profiler_core import JSON, CohortId, OrgId, unstructure_object
from profiler_core.analytics import CohortReport, EnterpriseReport
from profiler_core.demo.sample import SamplePlatform
from profiler_core.services import (
    AnalyticsAllowed,
    cohort_analytics_gate,
    cohort_analytics_report,
    enterprise_analytics_gate,
    enterprise_analytics_report,
)
from profiler_core.testing import InMemoryCohortAnalyticsRepository, InMemoryCohortRepository


def cohort_path(cohort: str) -> str:
    """The cohort endpoint's path."""
    return f"/api/v1/profiler/cohorts/{cohort}/analytics"


def enterprise_path(enterprise: str) -> str:
    """The enterprise endpoint's path."""
    return f"/api/v1/profiler/enterprises/{enterprise}/analytics"


def as_user(user_id: str) -> dict[str, str]:
    """The example-only authentication header."""
    return {"X-User-Id": user_id}


def analytics_fake(platform: SamplePlatform) -> InMemoryCohortAnalyticsRepository:
    """The library's in-memory analytics port holding the sample platform."""
    return InMemoryCohortAnalyticsRepository(
        platform.cohorts, platform.enrollments, platform.sessions, platform.results
    )


def cohort_oracle(platform: SamplePlatform, viewer: str, cohort: str) -> dict[str, JSON]:
    """The cohort report the library makes over the fakes for an allowed viewer."""
    principal = next(p for p in platform.principals if p.user_id == viewer)
    gate = cohort_analytics_gate(
        principal, CohortId(cohort), cohorts=InMemoryCohortRepository(platform.cohorts), now=platform.now
    )
    assert isinstance(gate, AnalyticsAllowed)
    report = cohort_analytics_report(
        CohortId(cohort), decision=gate.decision, repository=analytics_fake(platform)
    )
    assert isinstance(report, CohortReport)
    return unstructure_object(report)


def enterprise_oracle(platform: SamplePlatform, viewer: str, enterprise: str) -> dict[str, JSON]:
    """The enterprise report the library makes over the fakes for an allowed viewer."""
    principal = next(p for p in platform.principals if p.user_id == viewer)
    gate = enterprise_analytics_gate(
        principal, OrgId(enterprise), cohorts=InMemoryCohortRepository(platform.cohorts), now=platform.now
    )
    assert isinstance(gate, AnalyticsAllowed)
    report = enterprise_analytics_report(
        OrgId(enterprise), decision=gate.decision, repository=analytics_fake(platform)
    )
    assert isinstance(report, EnterpriseReport)
    return unstructure_object(report)


class TestCohortAnalytics:
    @pytest.mark.parametrize(
        ("viewer", "cohort"),
        [
            ("director-dee", "cohort-a"),
            ("director-eve", "cohort-c"),
            ("sponsor-fay", "cohort-b"),
            ("admin-gus", "cohort-a"),
            ("staff-hal", "cohort-c"),
        ],
    )
    def test_allowed_viewer_gets_the_library_report(
        self, client: TestClient, platform: SamplePlatform, viewer: str, cohort: str
    ) -> None:
        """An allowed viewer gets exactly the library's chart-ready cohort report."""
        response = client.get(cohort_path(cohort), headers=as_user(viewer))
        assert response.status_code == 200
        assert response.json() == cohort_oracle(platform, viewer, cohort)

    def test_small_counts_are_suppressed_never_zero(self, client: TestClient) -> None:
        """The pilot cohort has fewer than k learners: its figures are {"suppressed": true}, not numbers."""
        body = client.get(cohort_path("cohort-c"), headers=as_user("admin-gus")).json()
        assert body["population"]["total"] == {"suppressed": True}
        assert body["scores"]["overall"] == {"suppressed": True}
        assert body["suppressed_cells"] > 0

    def test_profiled_percentage_never_exceeds_100(self, client: TestClient) -> None:
        """Counted per distinct learner, latest session only: at most 100%."""
        body = client.get(cohort_path("cohort-b"), headers=as_user("admin-gus")).json()
        pct = body["population"]["profiled_pct"]
        assert pct == {"suppressed": True} or 0 <= pct <= 100

    @pytest.mark.parametrize(
        ("viewer", "cohort"),
        [
            ("director-dee", "cohort-b"),  # another cohort than the director's
            ("sponsor-fay", "cohort-c"),  # sponsored by another organisation
            ("mentor-ada", "cohort-a"),
            ("learner-001", "cohort-a"),
            ("director-dee", "cohort-zz"),  # unknown: not revealed to a viewer who could not see it
        ],
    )
    def test_denied_is_the_uniform_403(self, client: TestClient, viewer: str, cohort: str) -> None:
        """Everyone else gets the one access_denied body, whatever the cohort and whether it exists."""
        response = client.get(cohort_path(cohort), headers=as_user(viewer))
        assert response.status_code == 403
        assert response.json() == {
            "code": "access_denied",
            "reason_codes": ["access_denied"],
            "detail": "access denied: access_denied",
        }

    def test_denials_are_byte_identical_and_audited_precisely(
        self, client: TestClient, db_path: Path
    ) -> None:
        """Other cohort, other organisation, unknown cohort, enterprise: the same bytes; the audit differs."""
        asks = [
            ("director-dee", cohort_path("cohort-b")),
            ("director-dee", cohort_path("cohort-zz")),
            ("sponsor-fay", cohort_path("cohort-c")),
            ("sponsor-fay", enterprise_path("org-globex")),
            ("director-dee", enterprise_path("org-acme")),
            ("mentor-ada", cohort_path("cohort-a")),
        ]
        bodies = {client.get(path, headers=as_user(viewer)).content for viewer, path in asks}
        assert len(bodies) == 1
        with closing(connect(db_path)) as connection:
            reasons = {row[0] for row in connection.execute("SELECT reason_codes FROM access_audit")}
        assert len(reasons) > 1
        assert '["access_denied"]' not in reasons

    def test_unknown_cohort_is_404_for_an_allowed_viewer(self, client: TestClient) -> None:
        """An admin asking for a cohort that does not exist gets cohort_not_found."""
        response = client.get(cohort_path("cohort-zz"), headers=as_user("admin-gus"))
        assert response.status_code == 404
        assert response.json() == {
            "code": "cohort_not_found",
            "kind": "cohort",
            "key": "cohort-zz",
            "detail": "Cohort cohort-zz does not exist.",
        }

    def test_without_header_is_401(self, client: TestClient) -> None:
        """No X-User-Id: unauthenticated."""
        assert client.get(cohort_path("cohort-a")).status_code == 401


class TestEnterpriseAnalytics:
    @pytest.mark.parametrize(
        ("viewer", "enterprise"),
        [("sponsor-fay", "org-acme"), ("admin-gus", "org-acme"), ("staff-hal", "org-globex")],
    )
    def test_allowed_viewer_gets_the_library_report(
        self, client: TestClient, platform: SamplePlatform, viewer: str, enterprise: str
    ) -> None:
        """An allowed viewer gets exactly the library's enterprise report."""
        response = client.get(enterprise_path(enterprise), headers=as_user(viewer))
        assert response.status_code == 200
        assert response.json() == enterprise_oracle(platform, viewer, enterprise)

    def test_cohorts_with_one_name_stay_two_rows(self, client: TestClient) -> None:
        """Both 'Autumn Defenders' cohorts of org-acme are rows keyed by id, never merged by name."""
        body = client.get(enterprise_path("org-acme"), headers=as_user("sponsor-fay")).json()
        assert sorted(body["cohorts"]) == ["cohort-a", "cohort-b"]
        assert {row["label"] for row in body["cohorts"].values()} == {"Autumn Defenders"}

    @pytest.mark.parametrize(
        ("viewer", "enterprise"),
        [("sponsor-fay", "org-globex"), ("director-dee", "org-acme"), ("learner-001", "org-acme")],
    )
    def test_denied_is_403(self, client: TestClient, viewer: str, enterprise: str) -> None:
        """Only admin/staff and the enterprise's own sponsor admin see its analytics."""
        response = client.get(enterprise_path(enterprise), headers=as_user(viewer))
        assert response.status_code == 403
        assert response.json()["reason_codes"]

    def test_unknown_enterprise_is_404_never_everything(self, client: TestClient) -> None:
        """An enterprise that sponsors no cohort is unknown_enterprise, not every cohort."""
        response = client.get(enterprise_path("org-none"), headers=as_user("admin-gus"))
        assert response.status_code == 404
        assert response.json()["code"] == "unknown_enterprise"


class TestAudit:
    def test_analytics_decisions_are_audited(self, client: TestClient, db_path: Path) -> None:
        """Each analytics decision, allowed or denied, leaves an access_audit row."""
        client.get(cohort_path("cohort-a"), headers=as_user("director-dee"))
        client.get(enterprise_path("org-globex"), headers=as_user("sponsor-fay"))
        with closing(connect(client.app.state.db_path)) as connection:  # type: ignore[attr-defined]
            rows = connection.execute(
                "SELECT viewer_id, action, outcome FROM access_audit ORDER BY id"
            ).fetchall()
        assert [tuple(r) for r in rows] == [
            ("director-dee", "view_cohort_analytics", "allowed"),
            ("sponsor-fay", "view_enterprise_analytics", "denied"),
        ]

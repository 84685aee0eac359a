"""A stored row the library cannot read is the repository failing: services degrade, no 400 for the caller.

The adapters turn a row's ``InvalidPayloadError`` into ``RepositoryError`` (the
library degrades on it since issue 11); before, the row's error reached the
exception handler and the caller got a 400 for the database's problem.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory
from profiler_host import adapters, models
from profiler_host import och_fixture as f

import profiler_core as pc
from profiler_core.drf import exception_handler
from profiler_core.errors import RepositoryError
from tests.conftest import Get

pytestmark = pytest.mark.django_db

SECRET = "my secret plan"
LEARNER = str(f.MENTEE)


@pytest.fixture
def unreadable(och: None) -> None:
    """Learner 16's latest (locked) session holds a ``difficulty_selection`` the contract does not know."""
    models.ProfilerSession.objects.filter(pk=f.MENTEE_SESSION).update(difficulty_selection=SECRET)


def reason_codes(reasons: list[dict[str, Any]]) -> list[str]:
    """The codes of a JSON reason list."""
    return [r["code"] for r in reasons]


class TestEndpoints:
    def test_missions_fall_back_to_the_default_ceiling(self, unreadable: None, get: Get) -> None:
        """200, degraded, the default ceiling with profiler_unavailable."""
        body = get("/api/v1/student/missions/", LEARNER).json()
        assert body["degraded"] is True
        assert (
            body["ceiling"]["ceiling"],
            reason_codes(body["ceiling"]["reasons"]),
        ) == (
            1,
            ["profiler_unavailable"],
        )

    def test_recommendations_fall_back_to_popular_recipes(self, unreadable: None, get: Get) -> None:
        """200, the gap analysis says profiler_unavailable."""
        response = get("/api/v1/recipes/profiler-recommendations", LEARNER)
        assert response.status_code == 200
        assert reason_codes(response.json()["gaps_analysis"]["reasons"]) == ["profiler_unavailable"]

    def test_talent_matches_are_degraded(self, unreadable: None, get: Get) -> None:
        """200, degraded, no match, profiler_unavailable."""
        body = get("/api/v1/marketplace/talent-matches", LEARNER).json()
        assert (body["degraded"], body["matches"], reason_codes(body["reasons"])) == (
            True,
            [],
            ["profiler_unavailable"],
        )

    @pytest.mark.parametrize(
        ("path", "viewer", "code"),
        [
            (f"/api/v1/profiler/mentees/{f.MENTEE}/results", f.STAFF, "profiler_unavailable"),
            (f"/api/v1/profiler/admin/cohorts/{f.CORONA_COHORT}/analytics", f.STAFF, "analytics_unavailable"),
            (f"/api/v1/profiler/enterprises/{f.USER_UUID[5]}/analytics", f.STAFF, "analytics_unavailable"),
        ],
        ids=["mentee-results", "cohort", "enterprise"],
    )
    def test_answers_that_cannot_be_given_are_503(
        self, unreadable: None, get: Get, path: str, viewer: int, code: str
    ) -> None:
        """Results and reports that need the row are 503 with the library's reason, never a 400 or 404."""
        response = get(path, viewer)
        assert (response.status_code, response.json()["reason"]["code"]) == (503, code)

    @pytest.mark.parametrize(
        "path",
        [
            "/api/v1/student/missions/",
            "/api/v1/recipes/profiler-recommendations",
            "/api/v1/marketplace/talent-matches",
        ],
    )
    def test_no_answer_quotes_the_stored_value(self, unreadable: None, get: Get, path: str) -> None:
        """The unreadable value never reaches a response body."""
        assert SECRET.encode() not in get(path, LEARNER).content


class TestAdapters:
    def test_an_unreadable_row_raises_repository_error_without_its_value(self, unreadable: None) -> None:
        """The session adapter raises RepositoryError naming the table, row id, column path and code."""
        with pytest.raises(RepositoryError) as caught:
            adapters.DjangoSessionRepository().latest_completed_sessions([pc.UserId(LEARNER)])
        assert caught.value.operation == "read profilersessions"
        assert f"{f.MENTEE_SESSION} $.difficulty_selection unknown_value" in str(caught.value)
        assert SECRET not in str(caught.value)

    def test_the_handler_answers_a_repository_error_503(self) -> None:
        """A RepositoryError no service degraded on is a 503 with a fixed sentence, not its message."""
        response = exception_handler(
            RepositoryError("sessions table is on fire"), {"request": RequestFactory().get("/"), "view": None}
        )
        assert response is not None
        assert (response.status_code, response.data) == (
            503,
            {"code": "repository_error", "detail": "A repository could not answer; try again later."},
        )

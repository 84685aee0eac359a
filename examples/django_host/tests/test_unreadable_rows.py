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
from profiler_host.errors import exception_handler

import profiler_core as pc
from profiler_core.demo.sample import SamplePlatform
from profiler_core.errors import RepositoryError
from tests.conftest import Get

pytestmark = pytest.mark.django_db

SECRET = "my secret plan"


@pytest.fixture
def unreadable(loaded: SamplePlatform) -> SamplePlatform:
    """learner-002's latest completed session holds a difficulty selection the contract does not know."""
    models.ProfilerSession.objects.filter(pk="session-002-2").update(difficulty_selection=SECRET)
    return loaded


def reason_codes(reasons: list[dict[str, Any]]) -> list[str]:
    """The codes of a JSON reason list."""
    return [r["code"] for r in reasons]


class TestEndpoints:
    def test_missions_fall_back_to_the_default_ceiling(self, unreadable: SamplePlatform, get: Get) -> None:
        """200, degraded, the default ceiling with profiler_unavailable."""
        body = get("/api/v1/student/missions", "learner-002").json()
        assert body["degraded"] is True
        assert (
            body["result"]["decision"]["ceiling"],
            reason_codes(body["result"]["decision"]["reasons"]),
        ) == (
            1,
            ["profiler_unavailable"],
        )

    def test_recommendations_fall_back_to_popular_recipes(self, unreadable: SamplePlatform, get: Get) -> None:
        """200, the gap analysis says profiler_unavailable."""
        response = get("/api/v1/recipes/profiler-recommendations", "learner-002")
        assert response.status_code == 200
        assert reason_codes(response.json()["gaps_analysis"]["reasons"]) == ["profiler_unavailable"]

    def test_talent_matches_are_degraded(self, unreadable: SamplePlatform, get: Get) -> None:
        """200, degraded, no match, profiler_unavailable."""
        body = get("/api/v1/marketplace/talent-matches", "learner-002").json()
        assert (body["degraded"], body["matches"], reason_codes(body["reasons"])) == (
            True,
            [],
            ["profiler_unavailable"],
        )

    @pytest.mark.parametrize(
        ("path", "viewer", "code"),
        [
            ("/api/v1/profiler/mentees/learner-002/results", "admin-gus", "profiler_unavailable"),
            ("/api/v1/profiler/cohorts/cohort-a/analytics", "admin-gus", "analytics_unavailable"),
            ("/api/v1/profiler/enterprises/org-acme/analytics", "admin-gus", "analytics_unavailable"),
        ],
        ids=["mentee-results", "cohort", "enterprise"],
    )
    def test_answers_that_cannot_be_given_are_503(
        self, unreadable: SamplePlatform, get: Get, path: str, viewer: str, code: str
    ) -> None:
        """Results and reports that need the row are 503 with the library's reason, never a 400 or 404."""
        response = get(path, viewer)
        assert (response.status_code, response.json()["code"]) == (503, code)

    @pytest.mark.parametrize(
        "path",
        [
            "/api/v1/student/missions",
            "/api/v1/recipes/profiler-recommendations",
            "/api/v1/marketplace/talent-matches",
        ],
    )
    def test_no_answer_quotes_the_stored_value(self, unreadable: SamplePlatform, get: Get, path: str) -> None:
        """The unreadable value never reaches a response body."""
        assert SECRET.encode() not in get(path, "learner-002").content


class TestAdapters:
    def test_an_unreadable_row_raises_repository_error_without_its_value(
        self, unreadable: SamplePlatform
    ) -> None:
        """The session adapter raises RepositoryError naming its method and the problems' paths and codes."""
        with pytest.raises(RepositoryError) as caught:
            adapters.DjangoSessionRepository().latest_completed_sessions([pc.UserId("learner-002")])
        assert caught.value.operation == "DjangoSessionRepository.latest_completed_sessions"
        assert "$.difficulty_selection: unknown_value" in str(caught.value)
        assert SECRET not in str(caught.value)
        assert isinstance(caught.value.__cause__, pc.InvalidPayloadError)

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

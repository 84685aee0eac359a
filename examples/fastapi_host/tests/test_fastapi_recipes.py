"""GET /api/v1/recipes/profiler-recommendations: gaps and the recipes that close them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from profiler_core import JSON, UserId, unstructure_object
from profiler_core.demo.sample import SamplePlatform
from profiler_core.services import profiler_recommendations
from profiler_core.testing import InMemoryRecipeRepository, InMemorySessionRepository

RECOMMENDATIONS = "/api/v1/recipes/profiler-recommendations"


def as_user(user_id: str) -> dict[str, str]:
    """The example-only authentication header."""
    return {"X-User-Id": user_id}


def oracle(platform: SamplePlatform, learner: str, limit: int = 10) -> dict[str, JSON]:
    """What the library answers over the in-memory fakes holding the same platform."""
    return unstructure_object(
        profiler_recommendations(
            UserId(learner),
            sessions=InMemorySessionRepository(platform.sessions, platform.results),
            recipes=InMemoryRecipeRepository(platform.recipes),
            limit=limit,
        )
    )


class TestProfilerRecommendations:
    @pytest.mark.parametrize("learner", [f"learner-{i:03d}" for i in range(1, 25)])
    def test_matches_the_library_over_fakes(
        self, client: TestClient, platform: SamplePlatform, learner: str
    ) -> None:
        """For every sample learner the host answers exactly what the service answers over the fakes."""
        response = client.get(RECOMMENDATIONS, headers=as_user(learner))
        assert response.status_code == 200
        assert response.json() == oracle(platform, learner)

    def test_without_a_completed_profiler_popular_recipes_are_a_labelled_fallback(
        self, client: TestClient
    ) -> None:
        """No completed profiler: status not_completed, fallback true, most used active recipe first."""
        body = client.get(RECOMMENDATIONS, headers=as_user("learner-006")).json()
        assert body["profiler_status"] == "not_completed"
        assert body["fallback"] is True
        assert body["total_gaps"] == 0
        usage = [r["usage_count"] for r in body["recommended_recipes"]]
        assert usage == sorted(usage, reverse=True)
        assert all(r["fallback"] and r["is_active"] for r in body["recommended_recipes"])

    def test_inactive_recipes_are_never_recommended(self, client: TestClient) -> None:
        """The retired IDS recipe never appears, whoever asks."""
        for learner in ("learner-001", "learner-006", "learner-013"):
            body = client.get(RECOMMENDATIONS, params={"limit": 50}, headers=as_user(learner)).json()
            assert "ids-tuning" not in [r["slug"] for r in body["recommended_recipes"]]

    def test_limit_is_honoured(self, client: TestClient, platform: SamplePlatform) -> None:
        """?limit=1 gives the single best recipe."""
        body = client.get(RECOMMENDATIONS, params={"limit": 1}, headers=as_user("learner-001")).json()
        assert body == oracle(platform, "learner-001", limit=1)
        assert len(body["recommended_recipes"]) <= 1

    @pytest.mark.parametrize("limit", ["-1", "51", "many"])
    def test_bad_limit_is_400_with_its_path(self, client: TestClient, limit: str) -> None:
        """A limit outside 0..50 is a 400 naming $.query.limit."""
        response = client.get(RECOMMENDATIONS, params={"limit": limit}, headers=as_user("learner-001"))
        assert response.status_code == 400
        assert [e["path"] for e in response.json()["errors"]] == ["$.query.limit"]

    def test_without_header_is_401(self, client: TestClient) -> None:
        """No X-User-Id: unauthenticated."""
        assert client.get(RECOMMENDATIONS).status_code == 401

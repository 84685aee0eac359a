"""GET /api/v1/marketplace/talent-matches: the learner's explainable job matches."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from profiler_core import JSON, UserId, unstructure_object
from profiler_core.demo.sample import SamplePlatform
from profiler_core.services import talent_matches
from profiler_core.testing import (
    InMemoryJobRepository,
    InMemoryRecipeRepository,
    InMemorySessionRepository,
    InMemoryTalentProfileRepository,
)

MATCHES = "/api/v1/marketplace/talent-matches"


def as_user(user_id: str) -> dict[str, str]:
    """The example-only authentication header."""
    return {"X-User-Id": user_id}


def oracle(platform: SamplePlatform, learner: str, limit: int = 10) -> dict[str, JSON]:
    """What the library answers over the in-memory fakes holding the same platform."""
    return unstructure_object(
        talent_matches(
            UserId(learner),
            sessions=InMemorySessionRepository(platform.sessions, platform.results),
            jobs=InMemoryJobRepository(platform.jobs),
            talent=InMemoryTalentProfileRepository(platform.talent),
            now=platform.now,
            recipes=InMemoryRecipeRepository(platform.recipes),
            limit=limit,
        )
    )


class TestTalentMatches:
    @pytest.mark.parametrize("learner", ["learner-001", "learner-005", "learner-013", "learner-006"])
    def test_matches_the_library_over_fakes(
        self, client: TestClient, platform: SamplePlatform, learner: str
    ) -> None:
        """The host's answer is the service's answer over the same data."""
        response = client.get(MATCHES, headers=as_user(learner))
        assert response.status_code == 200
        assert response.json() == oracle(platform, learner)

    def test_closed_jobs_never_match(self, client: TestClient) -> None:
        """The inactive posting and the one whose deadline passed are never offered."""
        body = client.get(MATCHES, headers=as_user("learner-001")).json()
        offered = {m["job"]["id"] for m in body["matches"]}
        assert offered
        assert not offered & {"job-06", "job-07"}

    def test_without_a_completed_profiler_the_learner_is_asked_to_complete_it(
        self, client: TestClient
    ) -> None:
        """A learner who never finished the profiler gets status profiler_incomplete, not an error."""
        body = client.get(MATCHES, headers=as_user("learner-006")).json()
        assert body["status"] == "profiler_incomplete"
        assert body["matches"] == []

    def test_missing_skills_link_to_recipes(self, client: TestClient) -> None:
        """Each missing skill lists the active recipes that teach it (from the host's recipe table)."""
        body = client.get(MATCHES, headers=as_user("learner-001")).json()
        links = [link for m in body["matches"] for link in m["match"]["skill_recipes"]]
        assert any(link["recipes"] for link in links)
        assert all(r["slug"] != "ids-tuning" for link in links for r in link["recipes"])

    def test_limit_is_honoured(self, client: TestClient, platform: SamplePlatform) -> None:
        """?limit=2 gives the two best matches."""
        body = client.get(MATCHES, params={"limit": 2}, headers=as_user("learner-001")).json()
        assert body == oracle(platform, "learner-001", limit=2)
        assert len(body["matches"]) == 2

    @pytest.mark.parametrize("limit", ["0", "51", "ten"])
    def test_bad_limit_is_400_with_its_path(self, client: TestClient, limit: str) -> None:
        """A limit outside 1..50 is a 400 naming $.query.limit."""
        response = client.get(MATCHES, params={"limit": limit}, headers=as_user("learner-001"))
        assert response.status_code == 400
        assert [e["path"] for e in response.json()["errors"]] == ["$.query.limit"]

    def test_without_header_is_401(self, client: TestClient) -> None:
        """No X-User-Id: unauthenticated."""
        assert client.get(MATCHES).status_code == 401

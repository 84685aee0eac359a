"""``GET /api/v1/marketplace/talent-matches``: open jobs, missing skills linked to recipes (SPEC §8)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from profiler_host import loading

import profiler_core as pc
from profiler_core import DifficultySelection, TrackKey
from tests.conftest import Get

URL = "/api/v1/marketplace/talent-matches"
LEARNER = "u-match"
T0 = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture
def market(db: None) -> None:
    """One profiled defender who knows NET, one open job needing NET and SIEM, one recipe teaching SIEM."""
    loading.add_sessions(
        [
            pc.ProfilerSession(
                id=pc.SessionId("s-match"),
                user_id=pc.UserId(LEARNER),
                status=pc.SessionStatus.FINISHED,
                started_at=T0,
                completed_at=T0,
                difficulty_selection=DifficultySelection.INTERMEDIATE,
                recommended_track=TrackKey.DEFENDER,
            )
        ]
    )
    loading.add_talent(
        [pc.TalentProfile(user_id=pc.UserId(LEARNER), skills=("NET",), readiness_score=70.0, is_visible=True)]
    )
    loading.add_jobs(
        [
            pc.JobPosting(
                id=pc.JobId("j-soc"),
                title="SOC analyst",
                employer_id="e-1",
                required_skills=("NET", "SIEM"),
                application_deadline=datetime(2999, 1, 1, tzinfo=UTC),
                track=TrackKey.DEFENDER,
                level=pc.JobLevel.MID,
            )
        ]
    )
    loading.add_recipes(
        [
            pc.Recipe(
                id=pc.RecipeId("r-siem"),
                slug="siem-basics",
                title="SIEM basics",
                skill_codes=("SIEM",),
                estimated_minutes=20,
            ),
            pc.Recipe(id=pc.RecipeId("r-net"), slug="net-basics", title="Networking", skill_codes=("NET",)),
        ]
    )


class TestTalentMatches:
    def test_a_missing_skill_links_to_the_recipe_that_teaches_it(self, market: None, get: Get) -> None:
        """The match lists SIEM as missing with the SIEM recipe, and the answer is not degraded.

        Before the fix the view passed a bound method where the recipe
        repository was expected, so every answer was degraded with
        ``recipes_unavailable`` and no missing skill had a recipe.
        """
        response = get(URL, LEARNER)
        assert response.status_code == 200
        body = response.json()
        assert body["degraded"] is False
        assert [r["code"] for r in body["reasons"]] == ["jobs_ranked"]
        [ranked] = body["matches"]
        match = ranked["match"]
        assert match["job_id"] == "j-soc"
        assert (match["matched_skills"], match["missing_skills"]) == (["NET"], ["SIEM"])
        assert match["skill_recipes"] == [
            {
                "skill": "SIEM",
                # The whole recipe, in its one wire shape.
                "recipes": [
                    {
                        "id": "r-siem",
                        "slug": "siem-basics",
                        "title": "SIEM basics",
                        "skill_codes": ["SIEM"],
                        "track_codes": [],
                        "difficulty": "beginner",
                        "estimated_minutes": 20,
                        "usage_count": 0,
                        "avg_rating": 0.0,
                        "is_active": True,
                    }
                ],
            }
        ]

    def test_without_a_completed_profiler_the_learner_is_asked_to_complete_it(
        self, market: None, get: Get
    ) -> None:
        """A learner with no completed session gets 200 with status profiler_incomplete and no match."""
        loading.ensure_users(["u-new"])
        body = get(URL, "u-new").json()
        assert (body["status"], body["matches"], body["degraded"]) == ("profiler_incomplete", [], False)

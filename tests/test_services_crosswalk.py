"""services take a crosswalk= keyword and pass it on (skill codes follow-up, issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime

from profiler_core import (
    JobPosting,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    SessionStatus,
    TalentProfile,
    UserId,
    recipes_for_skills,
    structure,
)
from profiler_core.services import profiler_recommendations, talent_matches, talent_search
from profiler_core.skill_codes import DEFAULT_SKILL_CROSSWALK, CodeMatchKind, SkillCrosswalk
from profiler_core.testing import (
    InMemoryJobRepository,
    InMemoryRecipeRepository,
    InMemorySessionRepository,
    InMemoryTalentProfileRepository,
)

SESSION = ProfilerSession(
    id="s-1", user_id="u-1", status=SessionStatus.FINISHED, completed_at=datetime(2026, 1, 2, tzinfo=UTC)
)
RESULT = structure({"session_id": "s-1", "aptitude_breakdown": {"security": 30}}, ProfilerResult)
SIGMA = Recipe(id="r-1", slug="sigma", title="Sigma", skill_codes=["SIEM_RULE_WRITING"], usage_count=3)
SIEM = Recipe(id="r-2", slug="siem", title="SIEM", skill_codes=["siem"], usage_count=1)
EXACT_ONLY = SkillCrosswalk(id="exact-only", kinds=[CodeMatchKind.EXACT])
NOW = datetime(2026, 3, 1, tzinfo=UTC)
JOB = JobPosting(id="j-1", title="SOC analyst", employer_id="e-1", required_skills=["SIEM"])
PROFILE = TalentProfile(user_id="u-1", is_visible=True, employer_share_consent=True)


def _slugs(crosswalk: SkillCrosswalk | None = None) -> list[str]:
    sessions = InMemorySessionRepository([SESSION], [RESULT])
    recipes = InMemoryRecipeRepository([SIGMA])
    if crosswalk is None:
        outcome = profiler_recommendations(UserId("u-1"), sessions=sessions, recipes=recipes)
    else:
        outcome = profiler_recommendations(
            UserId("u-1"), sessions=sessions, recipes=recipes, crosswalk=crosswalk
        )
    return [item.recipe.slug for item in outcome.recommendations.items]


class TestProfilerRecommendations:
    def test_crosswalk_related_recipe_reaches_the_ranking(self) -> None:
        """A recipe tagged only SIEM_RULE_WRITING is asked for and ranked for the security gap."""
        assert _slugs() == ["sigma"]

    def test_crosswalk_keyword_is_used(self) -> None:
        """An equality-only crosswalk passed as crosswalk= keeps that recipe out."""
        assert _slugs(EXACT_ONLY) == []


class TestMarketplace:
    def test_missing_skill_links_related_recipes(self) -> None:
        """recipes_for_skills: SIEM links the SIEM_RULE_WRITING recipe too, by popularity (regression)."""
        (linked,) = recipes_for_skills(["SIEM"], [SIEM, SIGMA])
        assert [r.slug for r in linked.recipes] == ["sigma", "siem"]
        (exact,) = recipes_for_skills(["SIEM"], [SIEM, SIGMA], crosswalk=EXACT_ONLY)
        assert [r.slug for r in exact.recipes] == ["siem"]

    def test_talent_matches_asks_for_and_links_related_recipes(self) -> None:
        """talent_matches: the lookup finds the SIEM_RULE_WRITING recipe for SIEM; crosswalk= is used."""

        def linked(crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK) -> list[str]:
            outcome = talent_matches(
                "u-1",
                sessions=InMemorySessionRepository([SESSION]),
                jobs=InMemoryJobRepository([JOB]),
                talent=InMemoryTalentProfileRepository([PROFILE]),
                recipes=InMemoryRecipeRepository([SIGMA]),
                now=NOW,
                crosswalk=crosswalk,
            )
            (match,) = outcome.matches
            return [r.slug for s in match.match.skill_recipes for r in s.recipes]

        assert linked() == ["sigma"]
        assert linked(EXACT_ONLY) == []

    def test_talent_search_links_related_recipes(self) -> None:
        """talent_search: the candidate's missing SIEM links the SIEM_RULE_WRITING recipe."""
        outcome = talent_search(
            "j-1",
            jobs=InMemoryJobRepository([JOB]),
            talent=InMemoryTalentProfileRepository([PROFILE]),
            sessions=InMemorySessionRepository([SESSION]),
            recipes=InMemoryRecipeRepository([SIGMA]),
            now=NOW,
        )
        (candidate,) = outcome.ranking.matches
        assert [r.slug for s in candidate.match.skill_recipes for r in s.recipes] == ["sigma"]

"""Tests for the recipe engine's port, fake, contract check, service and demo section."""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Sequence
from datetime import UTC, datetime

import pytest
from tests.builders import run_under_hash_seed

from profiler_core.demo.recipes import recipes_section
from profiler_core.demo.sample import build_sample_platform
from profiler_core.errors import InvalidValueError
from profiler_core.gaps import GapAnalysis
from profiler_core.models import (
    BehavioralProfile,
    CategoryScore,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    RecipeId,
    SessionId,
    UserId,
)
from profiler_core.ports import RecipeRepository
from profiler_core.recipe_catalogue import RecipeCatalogue
from profiler_core.recipe_ranking import RecipeRecommendation
from profiler_core.serialization import structure, unstructure_object
from profiler_core.services import ProfilerStatus, profiler_recommendations
from profiler_core.testing import FailingRepository, InMemoryRecipeRepository, InMemorySessionRepository
from profiler_core.testing.contracts import check_recipe_repository, contract_recipes
from profiler_core.vocabulary import SessionStatus

LEARNER = UserId("u-1")


def recipe(rid: str, codes: Sequence[str], usage: int = 0, *, active: bool = True) -> Recipe:
    return Recipe(
        id=RecipeId(rid), slug=rid, title=rid, skill_codes=tuple(codes), usage_count=usage, is_active=active
    )


CATALOGUE = [
    recipe("tcp-ip-basics", ["NET", "TCPIP"], 200),
    recipe("security-fundamentals", ["TECH", "BASICS"], 300),
    recipe("clear-incident-reports", ["COMM", "DOC"], 150),
    recipe("aws-iam", ["AWS", "CLOUD"], 5000),
    recipe("retired", ["NET"], 9999, active=False),
]


def sessions_with_gaps() -> InMemorySessionRepository:
    session = ProfilerSession(
        id=SessionId("s-1"),
        user_id=LEARNER,
        status=SessionStatus.FINISHED,
        completed_at=datetime(2026, 5, 1, tzinfo=UTC),
        technical_exposure_score=30.0,
        technical_exposure_answered=10,
        behavioral_profile=BehavioralProfile(traits={"communication": 1.5}),
    )
    result = ProfilerResult(
        session_id=SessionId("s-1"),
        aptitude_breakdown={"networking": CategoryScore.from_counts(correct=1, total=4)},
    )
    return InMemorySessionRepository([session], [result])


class TestRecipeContract:
    def test_fake_honours_contract(self) -> None:
        """The in-memory recipe repository passes the recipe contract."""
        check_recipe_repository(InMemoryRecipeRepository)

    def test_contract_catches_inactive_recipes(self) -> None:
        """A repository that returns inactive recipes fails the contract."""

        class WithInactive(InMemoryRecipeRepository):
            def active_recipes_with_codes(self, codes: Collection[str]) -> Sequence[Recipe]:
                wanted = set(codes)
                return [r for r in self.recipes if wanted & set(r.skill_codes)]

        with pytest.raises(AssertionError, match="active_recipes_with_codes"):
            check_recipe_repository(WithInactive)

    def test_contract_catches_unnormalised_codes(self) -> None:
        """A repository that compares raw codes fails on ' net '."""

        class Raw(InMemoryRecipeRepository):
            def active_recipes_with_codes(self, codes: Collection[str]) -> Sequence[Recipe]:
                return [r for r in self.recipes if r.is_active and set(codes) & set(r.skill_codes)]

        with pytest.raises(AssertionError, match="normalised code"):
            check_recipe_repository(Raw)

    def test_contract_catches_duplicates(self) -> None:
        """A repository that returns a recipe once per matching code fails the contract."""

        class PerCode(InMemoryRecipeRepository):
            def active_recipes_with_codes(self, codes: Collection[str]) -> Sequence[Recipe]:
                found: list[Recipe] = []
                for code in codes:
                    found += super().active_recipes_with_codes([code])
                return found

        with pytest.raises(AssertionError, match="once"):
            check_recipe_repository(PerCode)

    def test_contract_catches_popularity_without_tie_breaks(self) -> None:
        """A repository that sorts by usage only (ties in input order) fails the contract."""

        class UsageOnly(InMemoryRecipeRepository):
            def popular_recipes(self, limit: int) -> Sequence[Recipe]:
                active = [r for r in self.recipes if r.is_active]
                return sorted(active, key=lambda r: -r.usage_count)[:limit]

        with pytest.raises(AssertionError, match="popular_recipes"):
            check_recipe_repository(UsageOnly)

    def test_scenario_has_the_cases_the_contract_needs(self) -> None:
        """The scenario holds ties on usage and rating, an inactive match and a recipe without codes."""
        recipes = contract_recipes()
        assert any(not r.is_active for r in recipes)
        assert any(not r.skill_codes for r in recipes)
        keys = [(r.usage_count, r.avg_rating) for r in recipes]
        assert len(keys) > len(set(keys))

    def test_fake_counts_calls_and_adds(self) -> None:
        """The fake counts each call and accepts added recipes."""
        repo = InMemoryRecipeRepository()
        repo.add(recipe("x", ["NET"]))
        assert [r.id for r in repo.active_recipes_with_codes(["net"])] == ["x"]
        assert [r.id for r in repo.popular_recipes(5)] == ["x"]
        assert repo.calls == {"active_recipes_with_codes": 1, "popular_recipes": 1}

    def test_fake_satisfies_the_port(self) -> None:
        """The fake is usable wherever the port is expected."""
        repo: RecipeRepository = InMemoryRecipeRepository(CATALOGUE)
        assert len(repo.popular_recipes(2)) == 2


class TestProfilerRecommendations:
    def test_completed_profiler(self) -> None:
        """A completed profiler gives its gaps and the recipes that close them, in three repository calls."""
        sessions = sessions_with_gaps()
        recipes = InMemoryRecipeRepository(CATALOGUE)
        outcome = profiler_recommendations(LEARNER, sessions=sessions, recipes=recipes)
        assert outcome.profiler_status is ProfilerStatus.COMPLETED
        assert [(g.type.value, g.category) for g in outcome.analysis.gaps] == [
            ("aptitude", "networking"),
            ("technical", "technical_exposure"),
            ("behavioral", "communication"),
        ]
        assert [r.id for r in outcome.recommendations.recipes] == [
            "security-fundamentals",
            "tcp-ip-basics",
            "clear-incident-reports",
        ]
        assert (outcome.total_gaps, outcome.total_skills, outcome.degraded) == (3, 9, False)
        assert (
            outcome.message
            == "Found 3 skill gap(s) in your profiler results; 3 recipe(s) recommended to close them."
        )
        assert sessions.calls == {"latest_completed_sessions": 1, "results_for_sessions": 1}
        assert recipes.calls == {"active_recipes_with_codes": 1}

    def test_no_completed_profiler_falls_back(self) -> None:
        """Without a completed session: the labelled popularity fallback and a message saying so."""
        recipes = InMemoryRecipeRepository(CATALOGUE)
        outcome = profiler_recommendations(
            LEARNER, sessions=InMemorySessionRepository(), recipes=recipes, limit=2
        )
        assert outcome.profiler_status is ProfilerStatus.NOT_COMPLETED
        assert outcome.analysis.reason_codes == ("no_completed_session",)
        assert outcome.analysis.learner_id == LEARNER
        assert outcome.recommendations.fallback
        assert [r.id for r in outcome.recommendations.recipes] == ["aws-iam", "security-fundamentals"]
        assert outcome.message == (
            "Complete the profiler to get recommendations for your skill gaps; "
            "here are popular recipes to start with."
        )
        assert recipes.calls == {"popular_recipes": 1}

    def test_no_gaps(self) -> None:
        """A completed profiler without gaps asks no recipes and says there are none."""
        session = ProfilerSession(id=SessionId("s-1"), user_id=LEARNER, status=SessionStatus.LOCKED)
        recipes = InMemoryRecipeRepository(CATALOGUE)
        outcome = profiler_recommendations(
            LEARNER, sessions=InMemorySessionRepository([session]), recipes=recipes
        )
        assert (outcome.total_gaps, outcome.recommendations.items, recipes.calls) == (0, (), {})
        assert outcome.message == "No skill gaps found in your profiler results."

    def test_gaps_without_recipes(self) -> None:
        """Gaps that no recipe covers say so."""
        outcome = profiler_recommendations(
            LEARNER, sessions=sessions_with_gaps(), recipes=InMemoryRecipeRepository()
        )
        assert outcome.recommendations.reason_codes == ("no_matching_recipes",)
        assert outcome.message.endswith("no recipe covers them yet.")

    def test_session_repository_failure_degrades(self, caplog: pytest.LogCaptureFixture) -> None:
        """A failing session repository gives the fallback with profiler_unavailable, logged at WARNING."""
        with caplog.at_level(logging.WARNING, logger="profiler_core.recipes"):
            outcome = profiler_recommendations(
                LEARNER,
                sessions=FailingRepository(),  # type: ignore[arg-type]  # stands in for any port
                recipes=InMemoryRecipeRepository(CATALOGUE),
            )
        assert (outcome.profiler_status, outcome.degraded) == (ProfilerStatus.UNAVAILABLE, True)
        assert outcome.analysis.reason_codes == ("profiler_unavailable",)
        assert outcome.recommendations.fallback
        assert outcome.message.startswith("Your profiler results are unavailable right now")
        (record,) = caplog.records
        assert (record.levelno, record.exc_info, record.__dict__["error_type"]) == (
            logging.WARNING,
            None,
            "ConnectionError",
        )

    def test_result_lookup_failure_degrades(self, caplog: pytest.LogCaptureFixture) -> None:
        """A failing result lookup analyses the session alone, with result_unavailable, logged at WARNING."""

        class NoResults(InMemorySessionRepository):
            def results_for_sessions(
                self, session_ids: Collection[SessionId]
            ) -> dict[SessionId, ProfilerResult]:
                raise TimeoutError("slow replica")

        base = sessions_with_gaps()
        sessions = NoResults(base.sessions)
        with caplog.at_level(logging.WARNING, logger="profiler_core.recipes"):
            outcome = profiler_recommendations(
                LEARNER, sessions=sessions, recipes=InMemoryRecipeRepository(CATALOGUE)
            )
        assert outcome.degraded
        assert outcome.analysis.reason_codes == ("profiler_analyzed", "result_missing", "result_unavailable")
        assert [g.category for g in outcome.analysis.gaps] == ["technical_exposure", "communication"]
        assert len(caplog.records) == 1

    def test_recipe_repository_failure_degrades(self, caplog: pytest.LogCaptureFixture) -> None:
        """A failing recipe repository keeps the gaps, lists no recipe, and says recipes are unavailable."""
        with caplog.at_level(logging.WARNING, logger="profiler_core.recipes"):
            outcome = profiler_recommendations(
                LEARNER,
                sessions=sessions_with_gaps(),
                recipes=FailingRepository(),  # type: ignore[arg-type]  # stands in for any port
            )
        assert (outcome.degraded, outcome.total_gaps, outcome.recommendations.items) == (True, 3, ())
        assert outcome.recommendations.reason_codes == ("recipes_unavailable",)
        assert outcome.message.endswith("recipes are unavailable right now, please try again later.")
        assert [r.levelno for r in caplog.records] == [logging.WARNING]

    def test_debug_log_carries_ids_and_codes_only(self, caplog: pytest.LogCaptureFixture) -> None:
        """The decision is logged at DEBUG with ids, codes, numbers and the duration; no categories."""
        with caplog.at_level(logging.DEBUG, logger="profiler_core.recipes"):
            profiler_recommendations(
                LEARNER, sessions=sessions_with_gaps(), recipes=InMemoryRecipeRepository(CATALOGUE)
            )
        (record,) = [r for r in caplog.records if r.levelno == logging.DEBUG]
        extra = record.__dict__
        assert (extra["learner_id"], extra["session_id"], extra["total_gaps"]) == ("u-1", "s-1", 3)
        assert extra["recipe_ids"] == ("security-fundamentals", "tcp-ip-basics", "clear-incident-reports")
        assert extra["duration_ms"] >= 0
        assert "communication" not in json.dumps({k: extra[k] for k in ("gap_codes", "reason_codes")})

    def test_negative_limit_is_rejected(self) -> None:
        """A negative limit is a caller error, not a repository failure."""
        with pytest.raises(InvalidValueError):
            profiler_recommendations(
                LEARNER, sessions=sessions_with_gaps(), recipes=InMemoryRecipeRepository(), limit=-1
            )

    def test_response_shape(self) -> None:
        """unstructure(outcome) is the endpoint's JSON: gaps, recipes, totals, status and message."""
        outcome = profiler_recommendations(
            LEARNER, sessions=sessions_with_gaps(), recipes=InMemoryRecipeRepository(CATALOGUE), limit=1
        )
        response = unstructure_object(outcome)
        assert json.loads(json.dumps(response)) == response
        assert list(response) == [
            "gaps_analysis",
            "recommended_recipes",
            "total_gaps",
            "total_skills",
            "profiler_status",
            "message",
            "fallback",
            "degraded",
            "reasons",
            "policy",
        ]
        assert (response["total_gaps"], response["total_skills"], response["profiler_status"]) == (
            3,
            9,
            "completed",
        )
        assert structure(response["gaps_analysis"], GapAnalysis) == outcome.analysis
        assert structure(response["recommended_recipes"], tuple[RecipeRecommendation, ...]) == (
            outcome.recommendations.items
        )
        assert (response["fallback"], response["degraded"], response["policy"]) == (
            False,
            False,
            "recipe_ranking@1",
        )
        body = json.loads(json.dumps(response))
        assert [(g["type"], g["category"]) for g in body["gaps_analysis"]["gaps"]] == [
            ("aptitude", "networking"),
            ("technical", "technical_exposure"),
            ("behavioral", "communication"),
        ]
        assert [g["score"] for g in body["gaps_analysis"]["gaps"][:2]] == [25.0, 30.0]
        assert [r["id"] for r in body["recommended_recipes"]] == ["security-fundamentals"]


class TestProfilerRecommendationsWithACatalogue:
    """A RecipeCatalogue in place of the recipe repository: ranked in memory, no recipe query."""

    def test_same_outcome_without_a_recipe_query(self) -> None:
        """The outcome equals the repository path's for a catalogue in the taxonomy's codes; two calls."""
        sessions = sessions_with_gaps()
        outcome = profiler_recommendations(
            LEARNER, sessions=sessions, recipes=RecipeCatalogue.build(CATALOGUE), limit=3
        )
        expected = profiler_recommendations(
            LEARNER, sessions=sessions_with_gaps(), recipes=InMemoryRecipeRepository(CATALOGUE), limit=3
        )
        assert outcome == expected
        assert [r.id for r in outcome.recommendations.recipes] == [
            "security-fundamentals",
            "tcp-ip-basics",
            "clear-incident-reports",
        ]
        assert sessions.calls == {"latest_completed_sessions": 1, "results_for_sessions": 1}

    def test_fallback_counts_the_whole_catalogue(self) -> None:
        """Without a completed session: the same popular recipes; candidates counts every active id."""
        catalogue = RecipeCatalogue.build(CATALOGUE)
        outcome = profiler_recommendations(
            LEARNER, sessions=InMemorySessionRepository(), recipes=catalogue, limit=2
        )
        assert outcome.recommendations.fallback
        assert [r.id for r in outcome.recommendations.recipes] == ["aws-iam", "security-fundamentals"]
        assert outcome.recommendations.candidates == 4

    def test_prefix_related_recipes_are_candidates(self) -> None:
        """A recipe related to a gap only by a code prefix is found (the repository query cannot list it)."""
        catalogue = [*CATALOGUE, recipe("aws-networking", ["AWS_NETWORKING"], 9)]
        kept = profiler_recommendations(
            LEARNER, sessions=sessions_with_gaps(), recipes=RecipeCatalogue.build(catalogue)
        )
        queried = profiler_recommendations(
            LEARNER, sessions=sessions_with_gaps(), recipes=InMemoryRecipeRepository(catalogue)
        )
        assert "aws-networking" in [r.id for r in kept.recommendations.recipes]
        assert "aws-networking" not in [r.id for r in queried.recommendations.recipes]

    def test_session_failure_still_degrades(self) -> None:
        """A failing session repository gives the catalogue's popularity fallback, degraded."""
        outcome = profiler_recommendations(
            LEARNER,
            sessions=FailingRepository(),  # type: ignore[arg-type]  # stands in for any port
            recipes=RecipeCatalogue.build(CATALOGUE),
            limit=1,
        )
        assert (outcome.profiler_status, outcome.degraded) == (ProfilerStatus.UNAVAILABLE, True)
        assert [r.id for r in outcome.recommendations.recipes] == ["aws-iam"]


class TestRecipesDemoSection:
    def test_section_shows_gaps_codes_recipes_and_the_fallback(self) -> None:
        """The section shows gaps with priority and evidence, codes, top recipes and the fallback."""
        text = recipes_section(build_sample_platform())
        for needle in (
            "priority",
            "evidence",
            "LOW EVIDENCE",
            "Recommended codes:",
            "closes",
            "closes_gaps",
            "popularity FALLBACK",
            "[no_completed_session]",
            "Mission stage:",
            "Next best",
        ):
            assert needle in text

    def test_section_is_the_same_under_any_hash_seed(self) -> None:
        """An interpreter with another hash seed renders the same section for the same sample."""
        code = (
            "import sys; from profiler_core.demo.recipes import recipes_section; "
            "from profiler_core.demo.sample import build_sample_platform; "
            "sys.stdout.write(recipes_section(build_sample_platform()))"
        )
        assert run_under_hash_seed(code, 3) == recipes_section(build_sample_platform())

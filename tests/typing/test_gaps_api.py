"""Type-level tests for the recipe engine: mypy checks this file; pytest finds nothing to run.

Each ``check_*`` function is never called; ``assert_type`` pins what a public
signature infers to, and a ``# type: ignore[code]`` pins that a misuse is flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_type

from profiler_core import (
    Gap,
    GapAnalysis,
    MatchKind,
    Mission,
    PolicyRef,
    Priority,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    RecipeCatalogue,
    RecipeRecommendations,
    Taxonomy,
    TaxonomyMatch,
    UserId,
    analyze_gaps,
    gap_policy,
    gap_sources,
    gaps,
    merge_gaps,
    recipe_ranking,
    recommend_recipes,
    skill_assessment_gaps,
    taxonomy,
)
from profiler_core.gaps import SkillAssessment, parse_skill_assessments
from profiler_core.ports import RecipeRepository, SessionRepository
from profiler_core.recipe_ranking import RecipeRecommendation
from profiler_core.serialization import JSON, unstructure_object
from profiler_core.services import ProfilerRecommendations, ProfilerStatus, profiler_recommendations
from profiler_core.taxonomy import DEFAULT_TAXONOMY
from profiler_core.testing import InMemoryRecipeRepository, InMemorySessionRepository

__all__: list[str] = []


def check_gap_analysis(session: ProfilerSession, result: ProfilerResult) -> None:
    """analyze_gaps and its values infer as documented."""
    analysis = analyze_gaps(session, result)
    assert_type(analysis, GapAnalysis)
    assert_type(analysis.gaps, tuple[Gap, ...])
    assert_type(analysis.recommended_skill_codes, tuple[str, ...])
    assert_type(analysis.policy, PolicyRef)
    assert_type(analysis.gaps[0].priority, Priority)
    assert_type(analysis.gaps[0].score, float | None)
    assert_type(analysis.gaps[0].match, MatchKind)
    assert_type(unstructure_object(analysis), dict[str, JSON])
    assert_type(merge_gaps(analysis.gaps, skill_assessment_gaps({"NET": 50})), tuple[Gap, ...])
    assert_type(parse_skill_assessments({"NET": 50}), tuple[SkillAssessment, ...])
    assert_type(analyze_gaps(None), GapAnalysis)


def check_taxonomy() -> None:
    """The taxonomy's lookup and loaders infer as documented."""
    assert_type(DEFAULT_TAXONOMY.lookup("web"), TaxonomyMatch)
    assert_type(Taxonomy.from_dict({"version": 1, "categories": {"web": ["WEB"]}}), Taxonomy)
    assert_type(DEFAULT_TAXONOMY.extended({"teamwork": ["TEAM"]}, version=2), Taxonomy)
    DEFAULT_TAXONOMY.extended({"teamwork": ["TEAM"]})  # type: ignore[call-arg]


def check_ranking(analysis: GapAnalysis, recipes: Sequence[Recipe]) -> None:
    """recommend_recipes returns the ranked list value."""
    ranked = recommend_recipes(analysis, recipes, 5)
    assert_type(ranked, RecipeRecommendations)
    assert_type(ranked.recipes, tuple[Recipe, ...])
    assert_type(ranked.items, tuple[RecipeRecommendation, ...])


def check_recipe_catalogue(analysis: GapAnalysis, recipes: Sequence[Recipe], mission: Mission) -> None:
    """A RecipeCatalogue is built from recipes and goes wherever a ranking or the service takes recipes."""
    catalogue = RecipeCatalogue.build(recipes)
    assert_type(catalogue, RecipeCatalogue)
    assert_type(catalogue.recipes, tuple[Recipe, ...])
    assert_type(recommend_recipes(analysis, catalogue), RecipeRecommendations)
    assert_type(recipe_ranking.mission_stage_recipes(mission, catalogue), RecipeRecommendations)
    assert_type(recipe_ranking.next_best_recipes(analysis, catalogue), RecipeRecommendations)
    outcome = profiler_recommendations(UserId("u-1"), sessions=InMemorySessionRepository(), recipes=catalogue)
    assert_type(outcome, ProfilerRecommendations)
    RecipeCatalogue.build(recipes, catalogue.crosswalk)  # type: ignore[call-arg]


def check_fakes_satisfy_ports() -> None:
    """The in-memory recipe repository is the port the service accepts."""
    recipes: RecipeRepository = InMemoryRecipeRepository()
    sessions: SessionRepository = InMemorySessionRepository()
    assert_type(recipes.active_recipes_with_codes(["NET"]), Sequence[Recipe])
    outcome = profiler_recommendations(UserId("u-1"), sessions=sessions, recipes=recipes)
    assert_type(outcome, ProfilerRecommendations)
    assert_type(outcome.profiler_status, ProfilerStatus)
    assert_type(unstructure_object(outcome), dict[str, JSON])
    _: RecipeRepository = InMemorySessionRepository()  # type: ignore[assignment]


def check_new_module_paths(analysis: GapAnalysis, recipes: Sequence[Recipe], mission: Mission) -> None:
    """The names of the split modules infer as they did from profiler_core.gaps."""
    assert_type(recipe_ranking.recommend_recipes(analysis, recipes), RecipeRecommendations)
    assert_type(recipe_ranking.mission_stage_recipes(mission, recipes), RecipeRecommendations)
    assert_type(recipe_ranking.next_best_recipes(None, recipes), RecipeRecommendations)
    assert_type(recipe_ranking.recipes_by_code(recipes), dict[str, tuple[Recipe, ...]])
    assert_type(gap_sources.mission_gaps(mission), tuple[Gap, ...])
    assert_type(gap_sources.skill_assessment_gaps({"NET": 50}), tuple[Gap, ...])
    assert_type(gap_policy.DEFAULT_GAP_POLICY, gap_policy.GapPolicy)
    assert_type(taxonomy.normalise_code("net"), str)
    assert_type(gaps.recommend_recipes(analysis, recipes), RecipeRecommendations)
    assert_type(gaps.Taxonomy, type[Taxonomy])

"""Demo section: the recipe engine (SPEC §4): gaps, recommended codes and the recipes that close them."""

from __future__ import annotations

from profiler_core.demo.sample import SamplePlatform
from profiler_core.demo.table import table
from profiler_core.gap_policy import DEFAULT_GAP_POLICY
from profiler_core.gap_values import GapAnalysis
from profiler_core.models import UserId
from profiler_core.recipe_ranking import (
    DEFAULT_RANKING_POLICY,
    RecipeRecommendation,
    RecipeRecommendations,
    mission_stage_recipes,
    next_best_recipes,
)
from profiler_core.services import profiler_recommendations
from profiler_core.skill_codes import OCH_SEED_SKILL_CODES, code_coverage
from profiler_core.taxonomy import DEFAULT_TAXONOMY
from profiler_core.testing.fakes import InMemoryRecipeRepository, InMemorySessionRepository

__all__ = ["recipes_section"]

#: The learners shown: rich aptitude gaps, a flat behavioral profile, and no completed profiler.
_LEARNERS = (UserId("learner-003"), UserId("learner-001"), UserId("learner-006"))


def _gap_table(analysis: GapAnalysis) -> str:
    rows = [
        (
            gap.type.value,
            gap.category,
            gap.priority.value,
            "-" if gap.score is None else f"{gap.score:g}",
            "-" if gap.evidence is None else str(gap.evidence),
            "LOW EVIDENCE" if gap.low_evidence else "",
            " ".join(gap.skill_codes) or "(none)",
            gap.match.value,
        )
        for gap in analysis.gaps
    ]
    header = ("type", "category", "priority", "score", "evidence", "flag", "skill codes", "match")
    return table(header, rows)


def _nothing_closed(item: RecipeRecommendation) -> str:
    if item.fallback:
        return "(fallback)"
    return "(already covered)" if item.addressed_gaps else "-"


def _recipe_table(ranked: RecipeRecommendations) -> str:
    rows = [
        (
            str(item.rank),
            item.recipe.slug,
            str(item.gain),
            ", ".join(g.category for g in item.closes) or _nothing_closed(item),
            " ".join(item.addressed_codes) or "-",
            str(item.recipe.usage_count),
            " ".join(item.reason_codes),
        )
        for item in ranked.items
    ]
    return table(("rank", "recipe", "gain", "closes", "codes", "usage", "reasons"), rows)


def recipes_section(platform: SamplePlatform) -> str:
    """Gaps with priorities and evidence, recommended codes and top recipes for a few learners."""
    sessions = InMemorySessionRepository(platform.sessions, platform.results)
    recipes = InMemoryRecipeRepository(platform.recipes)
    lines = [
        f"Policies {DEFAULT_GAP_POLICY.ref} (gap below 60, high below 40), {DEFAULT_TAXONOMY.ref}, "
        f"{DEFAULT_RANKING_POLICY.ref} (greedy marginal coverage; high 3, medium 2, low 1; then usage, "
        "rating, slug).",
        f"Real OCH seed skill codes: {code_coverage(OCH_SEED_SKILL_CODES).summary}",
    ]
    analyses: dict[UserId, GapAnalysis] = {}
    for learner in _LEARNERS:
        outcome = profiler_recommendations(learner, sessions=sessions, recipes=recipes, limit=5)
        analysis = outcome.analysis
        analyses[learner] = analysis
        lines += [
            "",
            f"{learner}: profiler {outcome.profiler_status.value}, session {analysis.session_id or '-'}; "
            f"{outcome.total_gaps} gaps, {outcome.total_skills} skill codes "
            f"[{' '.join(analysis.reason_codes)}]",
        ]
        if analysis.gaps:
            lines += [
                _gap_table(analysis),
                f"Recommended codes: {', '.join(analysis.recommended_skill_codes)}",
            ]
        kind = "popularity FALLBACK" if outcome.recommendations.fallback else "ranked by coverage"
        lines += [
            f"Recipes ({kind}):",
            _recipe_table(outcome.recommendations),
            f"Message: {outcome.message}",
        ]
    mission = next(m for m in platform.missions if m.is_active and m.subtasks)
    stage = mission_stage_recipes(mission, platform.recipes, analysis=analyses[_LEARNERS[0]], limit=3)
    coaching = next_best_recipes(
        analyses[_LEARNERS[0]],
        platform.recipes,
        skill_assessments={"DNS": {"score": 45, "level": "beginner"}, "SIEM": {"score": 82}},
        completed=("leading-a-war-room",),
    )
    lines += [
        "",
        f"Mission stage: {mission.code}, first subtask, for {_LEARNERS[0]} "
        f"(tags {', '.join(mission.skills_tags)}; explicit {', '.join(mission.recipe_recommendations)}):",
        _recipe_table(stage),
        "",
        f"Next best for {_LEARNERS[0]} with a DNS assessment of 45 and leading-a-war-room completed:",
        _recipe_table(coaching),
    ]
    return "\n".join(lines)

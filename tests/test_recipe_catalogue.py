"""Tests for profiler_core.recipe_catalogue: the indexed catalogue ranks exactly as the plain one."""

from __future__ import annotations

import random

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.gap_builders import CATALOGUE, MISSION, analysis_of, gap, naive_greedy, recipe, result, session

from profiler_core.gap_sources import SkillAssessment
from profiler_core.gaps import GapAnalysis, analyze_gaps
from profiler_core.models import Mission, MissionId, Recipe, RecipeId, Subtask
from profiler_core.recipe_catalogue import RecipeCatalogue
from profiler_core.recipe_ranking import (
    mission_stage_recipes,
    next_best_recipes,
    recommend_recipes,
)
from profiler_core.skill_codes import DEFAULT_SKILL_CROSSWALK, CodeMatchKind, SkillCrosswalk
from profiler_core.taxonomy import DEFAULT_TAXONOMY, Taxonomy
from profiler_core.testing import strategies_gaps
from profiler_core.testing.strategies import SKILL_CODES
from profiler_core.vocabulary import GapType, MissionDifficulty, Priority

#: Real catalogue codes that relate to taxonomy codes other than by equality (crosswalk entry,
#: token, prefix, normalised spelling), stop-token traps, and codes that relate to nothing.
REAL_CODES = (
    "SIEM_RULE_WRITING",
    "DETECTION_ENGINEERING",
    "log-parsing",
    "LOG_ANALYSIS",
    "windows logging",
    "NETWORK_SCANNING",
    "network_security",
    "CLIENT_TOOLS",
    "DOCKER_BASICS",
    "general_skills",
    "cloud-aws",
    "tcp ip",
    "X01",
    "  ",
)

CROSSWALKS = (
    DEFAULT_SKILL_CROSSWALK,
    DEFAULT_SKILL_CROSSWALK.extended({"x01": ["NET", "DNS"], "cloud-aws": []}, version=2),
    SkillCrosswalk(version=3, kinds=[CodeMatchKind.EXACT]),
    SkillCrosswalk(version=4, min_prefix=1, stop_tokens=(), entries={}),
)

TAXONOMIES = (
    DEFAULT_TAXONOMY,
    Taxonomy(id="host", version=2, categories={"networking": ["NET"], "teamwork": ["TEAM", "X01"]}),
)


def codes() -> st.SearchStrategy[str]:
    """A skill code as catalogues spell it: taxonomy codes in any case, real codes, or odd text."""
    plain = st.sampled_from(SKILL_CODES).flatmap(lambda c: st.sampled_from((c, c.lower(), f" {c} ")))
    odd = st.text(alphabet="aNeT_- ßﬁ\t", max_size=6)
    return plain | st.sampled_from(REAL_CODES) | odd


def recipes() -> st.SearchStrategy[Recipe]:
    """A recipe whose ids, slugs, usage and rating collide often (ties and duplicate ids)."""
    return st.builds(
        Recipe,
        id=st.integers(0, 12).map(lambda n: RecipeId(f"r-{n}")),
        slug=st.sampled_from(("a", "b", "c", "d", "security-fundamentals")),
        title=st.sampled_from(("A", "B")),
        skill_codes=st.lists(codes(), max_size=4).map(tuple),
        usage_count=st.integers(0, 3),
        avg_rating=st.sampled_from((0.0, 2.5, 5.0)),
        is_active=st.integers(0, 5).map(bool),
    )


def analyses() -> st.SearchStrategy[GapAnalysis]:
    """A generated analysis (fallback included), or gaps holding real codes outside any taxonomy."""
    extra = st.lists(
        st.builds(
            gap,
            st.sampled_from(("net", "logs", "cloud", "misc")),
            st.sampled_from(Priority),
            st.lists(st.sampled_from((*SKILL_CODES, "IDS", "DFIR", *REAL_CODES)), max_size=3),
            st.sampled_from(GapType),
        ),
        min_size=1,
        max_size=5,
    )
    return strategies_gaps.gap_analyses() | extra.map(lambda gaps: analysis_of(*gaps))


def built(catalogue: list[Recipe], crosswalk: SkillCrosswalk, taxonomy: Taxonomy) -> RecipeCatalogue:
    return RecipeCatalogue.build(catalogue, crosswalk=crosswalk, taxonomy=taxonomy)


class TestBuild:
    def test_holds_the_active_recipes_most_popular_first(self) -> None:
        """Inactive recipes are left out; the rest follow usage, rating, slug and id."""
        catalogue = RecipeCatalogue.build(
            [
                recipe("a", ["NET"], usage=1),
                recipe("b", ["NET"], usage=5, rating=1.0),
                recipe("c", ["NET"], usage=5, rating=4.0),
                recipe("d", ["NET"], usage=9, active=False),
            ]
        )
        assert [r.id for r in catalogue] == ["c", "b", "a"]
        assert len(catalogue) == 3
        assert catalogue.recipes == tuple(catalogue)

    def test_values_sharing_an_id_are_kept_in_deduplication_order(self) -> None:
        """Two values of one id and equal popularity are both held, ordered by their text."""
        first = recipe("r", ["DNS"], slug="same")
        second = attrs.evolve(first, title="B")
        for given_order in ([first, second], [second, first]):
            assert RecipeCatalogue.build(given_order).recipes == (second, first)

    def test_equal_catalogues_compare_equal(self) -> None:
        """A catalogue is a value: the same recipes in any order, crosswalk and taxonomy give equal ones."""
        shuffled = list(CATALOGUE)
        random.Random(4).shuffle(shuffled)
        assert RecipeCatalogue.build(CATALOGUE) == RecipeCatalogue.build(shuffled)
        assert RecipeCatalogue.build(CATALOGUE) != RecipeCatalogue.build(CATALOGUE, crosswalk=CROSSWALKS[1])

    def test_is_frozen(self) -> None:
        """A catalogue cannot be changed after it is built."""
        catalogue = RecipeCatalogue.build(CATALOGUE)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            catalogue.recipes = ()  # type: ignore[misc]  # the assignment under test is refused


class TestSameRanking:
    """Every ranking over a RecipeCatalogue equals the ranking over the plain recipes."""

    def test_seed_catalogue(self) -> None:
        """The seed catalogue's ranking, item by item, reasons included."""
        analysis = analyze_gaps(
            session(technical_exposure_score=20.0), result({"networking": 30.0, "cloud": 50.0})
        )
        plain = recommend_recipes(analysis, CATALOGUE)
        assert plain.items
        assert recommend_recipes(analysis, RecipeCatalogue.build(CATALOGUE)) == plain

    def test_related_codes_are_candidates(self) -> None:
        """A recipe tagged only with a real code (crosswalk, token, prefix) ranks as in the plain list."""
        catalogue = [
            recipe("rules", ["SIEM_RULE_WRITING"], usage=3),
            recipe("scan", ["network-scanning"], usage=9),
            recipe("winlog", ["WINDOWS_LOGGING"], usage=1),
            recipe("docker", ["DOCKER_BASICS"], usage=99),
        ]
        analysis = analysis_of(
            gap("security", Priority.HIGH, ["SIEM"]),
            gap("networking", Priority.MEDIUM, ["NET"]),
            gap("windows", Priority.LOW, ["WINDOWS"]),
        )
        indexed = recommend_recipes(analysis, RecipeCatalogue.build(catalogue))
        assert [(i.recipe.id, i.gain) for i in indexed.items] == [("rules", 3), ("scan", 2), ("winlog", 1)]
        assert indexed == recommend_recipes(analysis, catalogue)
        assert [m.kind for m in indexed.items[1].code_matches] == [CodeMatchKind.PREFIX]

    @pytest.mark.parametrize("codes", [("IDS", "SIEM"), ("SIEM", "IDS")])
    def test_equal_matches_follow_the_gap_code_order(self, codes: tuple[str, str]) -> None:
        """A code related alike to two of a gap's codes is explained by the first of them, as listed."""
        analysis = analysis_of(gap("security", Priority.HIGH, codes))
        catalogue = [recipe("sigma", ["DETECTION_ENGINEERING"])]
        indexed = recommend_recipes(analysis, RecipeCatalogue.build(catalogue))
        assert [(m.via, m.kind) for m in indexed.items[0].code_matches] == [
            (codes[0], CodeMatchKind.CROSSWALK)
        ]
        assert indexed == recommend_recipes(analysis, catalogue)

    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_large_catalogue(self, seed: int) -> None:
        """Thousands of recipes (sets past the small-set path) rank alike, with and without exclusions."""
        rng = random.Random(seed)
        pool = [*SKILL_CODES, *REAL_CODES]
        catalogue = [
            recipe(
                f"r-{rng.randrange(2_500)}",
                rng.sample(pool, rng.randint(1, 3)),
                usage=rng.randrange(40),
                rating=rng.choice((0.0, 2.5, 5.0)),
                slug=f"s-{rng.randrange(3_000)}",
                active=rng.random() > 0.05,
            )
            for _ in range(3_000)
        ]
        index = RecipeCatalogue.build(catalogue)
        analysis = analysis_of(
            gap("net", Priority.HIGH, ["NET", "DNS"]),
            gap("sec", Priority.MEDIUM, ["SIEM", "SEC"]),
            gap("cloud", Priority.LOW, ["CLOUD", "AWS"]),
            gap("odd", Priority.LOW, ["X01"]),
        )
        assert recommend_recipes(analysis, index, 25) == recommend_recipes(analysis, catalogue, 25)
        completed = [r.slug for r in catalogue[:400]] + [r.id for r in catalogue[400:800]]
        assert next_best_recipes(analysis, index, completed=completed, limit=25) == next_best_recipes(
            analysis, catalogue, completed=completed, limit=25
        )
        assert next_best_recipes(None, index, completed=completed, limit=25) == next_best_recipes(
            None, catalogue, completed=completed, limit=25
        )

    @given(
        analyses(),
        st.lists(recipes(), max_size=30),
        st.integers(0, 12),
        st.sampled_from(CROSSWALKS),
        st.sampled_from(CROSSWALKS),
        st.sampled_from(TAXONOMIES),
    )
    def test_property_recommend_recipes(
        self,
        analysis: GapAnalysis,
        catalogue: list[Recipe],
        limit: int,
        crosswalk: SkillCrosswalk,
        indexed_with: SkillCrosswalk,
        taxonomy: Taxonomy,
    ) -> None:
        """recommend_recipes over the index equals it over the list (fallback, ties, duplicate ids)."""
        index = built(catalogue, indexed_with, taxonomy)
        assert recommend_recipes(analysis, index, limit, crosswalk=crosswalk) == recommend_recipes(
            analysis, catalogue, limit, crosswalk=crosswalk
        )

    @given(
        analyses() | st.none(),
        st.lists(recipes(), max_size=30),
        st.lists(st.sampled_from(("r-1", "r-2", "a", "b", "security-fundamentals", "zzz")), max_size=3),
        st.lists(st.sampled_from(SKILL_CODES) | st.sampled_from(REAL_CODES), max_size=3),
        st.integers(0, 6),
        st.sampled_from(CROSSWALKS),
    )
    def test_property_next_best_recipes(
        self,
        analysis: GapAnalysis | None,
        catalogue: list[Recipe],
        completed: list[str],
        assessed: list[str],
        limit: int,
        crosswalk: SkillCrosswalk,
    ) -> None:
        """next_best_recipes (assessment gaps, completed recipes left out) is the same over the index."""
        assessments = [SkillAssessment(skill_code=code, score=30) for code in assessed if code.strip()]
        index = RecipeCatalogue.build(catalogue)
        assert next_best_recipes(
            analysis,
            index,
            skill_assessments=assessments,
            completed=completed,
            limit=limit,
            crosswalk=crosswalk,
        ) == next_best_recipes(
            analysis,
            catalogue,
            skill_assessments=assessments,
            completed=completed,
            limit=limit,
            crosswalk=crosswalk,
        )

    @given(
        analyses() | st.none(),
        st.lists(recipes(), max_size=30),
        st.lists(codes(), max_size=3),
        st.lists(st.sampled_from(("r-1", "a", "security-fundamentals", "nope")), max_size=2),
        st.sampled_from((0, 1, "t2", "missing")),
        st.integers(0, 6),
    )
    def test_property_mission_stage_recipes(
        self,
        analysis: GapAnalysis | None,
        catalogue: list[Recipe],
        tags: list[str],
        explicit: list[str],
        subtask: int | str,
        limit: int,
    ) -> None:
        """mission_stage_recipes (required mission gaps, boosted explicit recipes) is the same indexed."""
        mission = Mission(
            id=MissionId("m-2"),
            code="M2",
            title="Stage",
            difficulty=MissionDifficulty.BEGINNER,
            skills_tags=tuple(tags),
            subtasks=(Subtask(id="t1", required_skills=("LINUX", "siem")), Subtask(id="t2")),
            recipe_recommendations=tuple(explicit),
        )
        index = RecipeCatalogue.build(catalogue)
        for stage in (mission, MISSION):
            assert mission_stage_recipes(
                stage, index, analysis=analysis, current_subtask=subtask, limit=limit
            ) == mission_stage_recipes(
                stage, catalogue, analysis=analysis, current_subtask=subtask, limit=limit
            )

    @given(strategies_gaps.gap_analyses(), st.lists(strategies_gaps.catalogue_recipes(), max_size=25))
    def test_property_equals_the_naive_greedy(self, analysis: GapAnalysis, catalogue: list[Recipe]) -> None:
        """Over the index, the picks are what re-scanning every candidate at every step picks."""
        ranked = recommend_recipes(analysis, RecipeCatalogue.build(catalogue), 12)
        if not ranked.fallback:
            assert [(r.recipe.id, r.gain) for r in ranked.items] == naive_greedy(analysis, catalogue, 12)

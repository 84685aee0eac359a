"""Tests for profiler_core.recipe_ranking: greedy coverage, fallback, mission-stage and next-best recipes."""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from tests.gap_builders import (
    CATALOGUE,
    MISSION,
    analysis_of,
    candidates,
    gap,
    naive_greedy,
    recipe,
    recipe_weight,
    result,
    session,
)

from profiler_core.errors import InvalidValueError, PolicyError
from profiler_core.gap_sources import (
    SkillAssessment,
    skill_assessment_gaps,
)
from profiler_core.gaps import (
    GapAnalysis,
    analyze_gaps,
    with_gaps,
)
from profiler_core.models import (
    Recipe,
)
from profiler_core.recipe_ranking import (
    DEFAULT_RANKING_POLICY,
    mission_stage_recipes,
    next_best_recipes,
    recipes_by_code,
    recommend_recipes,
)
from profiler_core.serialization import unstructure_object
from profiler_core.taxonomy import (
    normalise_code,
)
from profiler_core.testing import strategies_gaps
from profiler_core.testing.strategies import SKILL_CODES
from profiler_core.vocabulary import GapType, Priority


class TestRankingPolicy:
    @pytest.mark.parametrize(
        ("priority", "weight"), [(Priority.HIGH, 3), (Priority.MEDIUM, 2), (Priority.LOW, 1)]
    )
    def test_default_weights(self, priority: Priority, weight: int) -> None:
        """High 3, medium 2, low 1."""
        assert DEFAULT_RANKING_POLICY.weight(priority) == weight

    @pytest.mark.parametrize(
        "changes",
        [{"high_weight": 1}, {"low_weight": 0, "medium_weight": 0}, {"mission_recommendation_weight": -1}],
    )
    def test_inconsistent_weights_are_rejected(self, changes: Mapping[str, Any]) -> None:
        """Weights must be positive and descending; the mission weight non-negative."""
        with pytest.raises(PolicyError, match="recipe_ranking@1"):
            attrs.evolve(DEFAULT_RANKING_POLICY, **changes)


# --- ranking ------------------------------------------------------------------


class TestRecommendRecipes:
    def test_greedy_marginal_coverage(self) -> None:
        """Each next recipe closes the most not-yet-covered weight; covered gaps add nothing."""
        analysis = analysis_of(
            gap("a", Priority.HIGH, ["A"]), gap("b", Priority.MEDIUM, ["B"]), gap("c", Priority.MEDIUM, ["C"])
        )
        catalogue = [
            recipe("ab", ["A", "B"], usage=10),
            recipe("ac", ["A", "C"], usage=5),
            recipe("c", ["C"], usage=50),
        ]
        ranked = recommend_recipes(analysis, catalogue)
        assert [(r.recipe.id, r.gain, r.coverage) for r in ranked.items] == [
            ("ab", 5, 5),
            ("c", 2, 2),
            ("ac", 0, 5),
        ]
        assert [g.category for g in ranked.items[0].closes] == ["a", "b"]
        assert [g.category for g in ranked.items[2].addressed_gaps] == ["a", "c"]
        assert ranked.items[0].reason_codes == ("closes_gaps",)
        assert ranked.items[2].reason_codes == ("reinforces_covered_gaps",)
        assert (ranked.reason_codes, ranked.candidates, ranked.fallback) == (
            ("ranked_by_coverage",),
            3,
            False,
        )
        assert str(ranked.policy) == "recipe_ranking@1"

    @pytest.mark.parametrize(
        ("catalogue", "order"),
        [
            ([recipe("x", ["A"], usage=1), recipe("y", ["A"], usage=9)], ["y", "x"]),
            ([recipe("x", ["A"], usage=5, rating=3.0), recipe("y", ["A"], usage=5, rating=4.5)], ["y", "x"]),
            (
                [
                    recipe("x", ["A"], usage=5, rating=4.0, slug="b"),
                    recipe("y", ["A"], usage=5, rating=4.0, slug="a"),
                ],
                ["y", "x"],
            ),
        ],
    )
    def test_tie_breaks(self, catalogue: list[Recipe], order: list[str]) -> None:
        """Equal gains are ordered by usage count, then rating, then slug."""
        ranked = recommend_recipes(analysis_of(gap("a", Priority.HIGH, ["A"])), catalogue)
        assert [r.recipe.id for r in ranked.items] == order

    def test_tie_reason_marks_neighbours_with_equal_gain(self) -> None:
        """Neighbours with equal gain both carry tie_broken_by_popularity."""
        analysis = analysis_of(gap("a", Priority.HIGH, ["A"]), gap("b", Priority.HIGH, ["B"]))
        ranked = recommend_recipes(analysis, [recipe("x", ["A"], usage=9), recipe("y", ["B"], usage=1)])
        assert [r.reason_codes for r in ranked.items] == [
            ("closes_gaps", "tie_broken_by_popularity"),
            ("closes_gaps", "tie_broken_by_popularity"),
        ]

    def test_inactive_and_unrelated_recipes_are_not_candidates(self) -> None:
        """Only active recipes sharing a code with a gap are candidates."""
        analysis = analysis_of(gap("a", Priority.HIGH, ["A"]))
        catalogue = [
            recipe("off", ["A"], usage=99, active=False),
            recipe("other", ["Z"], usage=99),
            recipe("on", ["a "]),
        ]
        ranked = recommend_recipes(analysis, catalogue)
        assert [r.recipe.id for r in ranked.items] == ["on"]
        assert ranked.items[0].addressed_codes == ("A",)

    def test_duplicate_ids_keep_one_value(self) -> None:
        """Two values with one id count once: the more popular one."""
        analysis = analysis_of(gap("a", Priority.HIGH, ["A"]))
        ranked = recommend_recipes(analysis, [recipe("r", ["A"], usage=1), recipe("r", ["A"], usage=7)])
        assert [(r.recipe.id, r.recipe.usage_count) for r in ranked.items] == [("r", 7)]
        assert ranked.candidates == 1

    @pytest.mark.parametrize("limit", [0, 1, 2])
    def test_limit(self, limit: int) -> None:
        """At most *limit* recipes are returned."""
        ranked = recommend_recipes(
            analysis_of(gap("a", Priority.HIGH, ["A"])), [recipe(f"r{i}", ["A"]) for i in range(5)], limit
        )
        assert len(ranked.items) == limit

    def test_default_limit_is_ten(self) -> None:
        """The default limit is 10."""
        catalogue = [recipe(f"r{i:02d}", ["A"]) for i in range(15)]
        assert len(recommend_recipes(analysis_of(gap("a", Priority.HIGH, ["A"])), catalogue).items) == 10

    def test_negative_limit_is_rejected(self) -> None:
        """A negative limit raises InvalidValueError."""
        with pytest.raises(InvalidValueError):
            recommend_recipes(analysis_of(), CATALOGUE, -1)

    @pytest.mark.parametrize(
        ("analysis", "code"),
        [
            (analysis_of(), "no_gaps_to_close"),
            (analysis_of(gap("teamwork", Priority.MEDIUM, [])), "no_skill_codes"),
            (analysis_of(gap("a", Priority.HIGH, ["ZZZ"])), "no_matching_recipes"),
        ],
    )
    def test_empty_outcomes_carry_a_reason(self, analysis: GapAnalysis, code: str) -> None:
        """No gaps, no codes or no matching recipe: an empty list with its reason, never the fallback."""
        ranked = recommend_recipes(analysis, CATALOGUE)
        assert (ranked.items, ranked.fallback, ranked.reason_codes) == ((), False, (code,))

    def test_gaps_without_profiler_are_ranked_not_fallback(self) -> None:
        """Gaps from another source rank recipes even without a completed profiler."""
        analysis = with_gaps(analyze_gaps(None), skill_assessment_gaps({"DNS": 20}))
        ranked = recommend_recipes(analysis, CATALOGUE)
        assert (ranked.fallback, ranked.recipes[0].id) == (False, "dns-deep-dive")

    @pytest.mark.parametrize("first_usage", [5, 9])
    def test_fallback_skips_inactive_and_duplicates(self, first_usage: int) -> None:
        """The popularity fallback lists active recipes once each (the more used value), in any order."""
        catalogue = [
            recipe("a", [], usage=first_usage),
            recipe("a", [], usage=14 - first_usage),
            recipe("b", [], usage=99, active=False),
        ]
        ranked = recommend_recipes(analyze_gaps(None), catalogue)
        assert [(r.recipe.id, r.recipe.usage_count) for r in ranked.items] == [("a", 9)]
        assert ranked.candidates == 1

    def test_json_shape(self) -> None:
        """unstructure() renders a recommendation as the recipe's fields plus its ranking, as plain JSON."""
        ranked = recommend_recipes(analysis_of(gap("a", Priority.HIGH, ["A"])), [recipe("r", ["A"], usage=3)])
        data = unstructure_object(ranked.items[0])
        assert json.loads(json.dumps(data)) == data
        assert {
            k: data[k] for k in ("id", "slug", "usage_count", "rank", "gain", "coverage", "fallback")
        } == {
            "id": "r",
            "slug": "r",
            "usage_count": 3,
            "rank": 1,
            "gain": 3,
            "coverage": 3,
            "fallback": False,
        }
        assert (
            data["addressed_gaps"]
            == data["closes"]
            == [{"type": "aptitude", "category": "a", "priority": "high"}]
        )
        assert data["addressed_codes"] == ["A"]
        assert data["reasons"] == [
            {
                "code": "closes_gaps",
                "message": "Rank 1: closes 3 not-yet-covered gap weight: a (aptitude, high).",
            }
        ]

    @given(strategies_gaps.gap_analyses(), st.lists(strategies_gaps.catalogue_recipes(), max_size=25))
    def test_property_every_recommendation_shares_a_code_with_a_gap(
        self, analysis: GapAnalysis, catalogue: list[Recipe]
    ) -> None:
        """Every recommended recipe (outside the fallback) shares a skill code with some gap."""
        ranked = recommend_recipes(analysis, catalogue)
        gap_codes = set(analysis.recommended_skill_codes)
        for item in ranked.items:
            assert item.fallback == ranked.fallback
            if not item.fallback:
                assert {c.strip().upper() for c in item.recipe.skill_codes} & gap_codes
                assert item.recipe.is_active

    @given(strategies_gaps.gap_analyses(), st.lists(strategies_gaps.catalogue_recipes(), max_size=25))
    def test_property_no_recipe_twice(self, analysis: GapAnalysis, catalogue: list[Recipe]) -> None:
        """No recipe id appears twice."""
        ids = [r.recipe.id for r in recommend_recipes(analysis, catalogue).items]
        assert len(ids) == len(set(ids))

    @given(strategies_gaps.gap_analyses(), st.lists(strategies_gaps.catalogue_recipes(), max_size=25))
    def test_property_first_covers_at_least_any_single_recipe(
        self, analysis: GapAnalysis, catalogue: list[Recipe]
    ) -> None:
        """The first recommendation covers at least as much gap weight as any other single recipe."""
        ranked = recommend_recipes(analysis, catalogue)
        # Two values of one id are one recipe: the one the ranking keeps is compared.
        best_single = max((recipe_weight(r, analysis) for r in candidates(analysis, catalogue)), default=0)
        if ranked.fallback or not ranked.items:
            assert best_single == 0
        else:
            first = ranked.items[0]
            assert first.gain == recipe_weight(first.recipe, analysis) == best_single

    @given(
        strategies_gaps.gap_analyses(),
        st.lists(strategies_gaps.catalogue_recipes(), max_size=25),
        st.randoms(use_true_random=False),
    )
    def test_property_input_order_does_not_matter(
        self, analysis: GapAnalysis, catalogue: list[Recipe], rng: random.Random
    ) -> None:
        """Shuffling the catalogue never changes the recommendations."""
        shuffled = list(catalogue)
        rng.shuffle(shuffled)
        assert recommend_recipes(analysis, shuffled) == recommend_recipes(analysis, catalogue)

    @given(
        strategies_gaps.gap_analyses(),
        st.lists(strategies_gaps.catalogue_recipes(), max_size=25),
        st.integers(0, 12),
    )
    def test_property_equals_the_naive_greedy(
        self, analysis: GapAnalysis, catalogue: list[Recipe], limit: int
    ) -> None:
        """The lazy, grouped greedy picks exactly what re-scanning every candidate at every step picks."""
        ranked = recommend_recipes(analysis, catalogue, limit)
        assume(not ranked.fallback)
        assert [(r.recipe.id, r.gain) for r in ranked.items] == naive_greedy(analysis, catalogue, limit)


class TestRecipesByCode:
    def test_index(self) -> None:
        """Codes are normalised keys; only active recipes, most popular first, each once per code."""
        index = recipes_by_code(
            [
                recipe("a", ["dns", " DNS ", "net"], usage=5),
                recipe("b", ["DNS"], usage=9),
                recipe("c", ["DNS"], usage=99, active=False),
                recipe("d", [], usage=1),
            ]
        )
        assert {code: [r.id for r in found] for code, found in index.items()} == {
            "DNS": ["b", "a"],
            "NET": ["a"],
        }

    @pytest.mark.parametrize("reverse", [False, True])
    def test_duplicate_ids_follow_the_ranking_rule(self, reverse: bool) -> None:
        """Two values with one id and equal popularity: the same one is kept whatever the input order."""
        twins = [
            recipe("r", ["DNS"], slug="same"),
            attrs.evolve(recipe("r", ["DNS"], slug="same"), title="B"),
        ]
        kept = recipes_by_code(twins[::-1] if reverse else twins)["DNS"]
        assert kept == recommend_recipes(analysis_of(gap("dns", Priority.HIGH, ["DNS"])), twins).recipes
        assert len(kept) == 1

    @given(
        st.lists(strategies_gaps.catalogue_recipes(), max_size=25),
        st.sampled_from(SKILL_CODES),
        st.sampled_from(Priority),
    )
    def test_property_is_the_ranking_for_one_code(
        self, catalogue: list[Recipe], code: str, priority: Priority
    ) -> None:
        """For a gap holding one code, the index lists exactly what recommend_recipes ranks, in order."""
        ranked = recommend_recipes(analysis_of(gap("one", priority, [code])), catalogue, len(catalogue))
        assert recipes_by_code(catalogue).get(normalise_code(code), ()) == ranked.recipes


class TestMissionStageRecipes:
    CATALOGUE = (
        recipe("linux-cli", ["LINUX"], usage=100),
        recipe("bash", ["LINUX", "BASH"], usage=10),
        recipe("reports", ["DOC"], usage=50),
        recipe("python", ["PYTHON"], usage=999),
        recipe("unrelated", ["ZZZ"], usage=999, slug="security-fundamentals"),
        recipe("tcp", ["net"], usage=1),
    )

    def test_stage_ranking(self) -> None:
        """Current-subtask skills first, then the next subtask's, then tags and explicit recommendations."""
        ranked = mission_stage_recipes(MISSION, self.CATALOGUE, limit=10)
        assert [(r.recipe.id, r.gain) for r in ranked.items] == [
            ("linux-cli", 3),
            ("unrelated", 2),
            ("reports", 2),
            ("tcp", 1),
            ("bash", 0),
        ]
        assert ranked.items[1].reason_codes == ("mission_recommended", "tie_broken_by_popularity")
        assert ranked.reason_codes == ("mission_stage", "ranked_by_coverage")

    def test_profiler_gaps_lift_a_recipe(self) -> None:
        """A recipe that also closes the learner's own gap outranks one that only serves the mission."""
        analysis = analyze_gaps(session(), result({"programming": 10.0}))
        ranked = mission_stage_recipes(MISSION, self.CATALOGUE, analysis=analysis, limit=2)
        assert [r.recipe.id for r in ranked.items] == ["bash", "unrelated"]
        assert ranked.items[0].reason_codes == ("closes_gaps", "also_closes_profiler_gap")
        assert "python" not in [r.recipe.id for r in ranked.items]

    def test_recipes_serving_only_profiler_gaps_are_not_candidates(self) -> None:
        """A recipe sharing only a profiler code is not a mission-stage recipe."""
        analysis = analyze_gaps(session(), result({"programming": 10.0}))
        ranked = mission_stage_recipes(MISSION, self.CATALOGUE, analysis=analysis)
        assert "python" not in {r.recipe.id for r in ranked.items}

    def test_no_current_subtask_and_no_match(self) -> None:
        """An unknown subtask counts the tags only; no matching recipe gives its reason."""
        ranked = mission_stage_recipes(MISSION, [recipe("x", ["ZZZ"])], current_subtask="nope")
        assert (ranked.items, ranked.reason_codes) == (
            (),
            ("mission_stage", "no_current_subtask", "no_matching_recipes"),
        )

    def test_deduplicated_by_id(self) -> None:
        """The same recipe listed twice (by code query and explicit query) appears once."""
        twice = [recipe("linux-cli", ["LINUX"], usage=100), recipe("linux-cli", ["LINUX"], usage=100)]
        assert [r.recipe.id for r in mission_stage_recipes(MISSION, twice).items] == ["linux-cli"]


class TestNextBestRecipes:
    def test_assessments_merge_with_profiler_gaps(self) -> None:
        """Assessment gaps join the profiler's, each keeping its source; default limit is 3."""
        analysis = analyze_gaps(session(), result({"cloud": 10.0}))
        ranked = next_best_recipes(
            analysis, CATALOGUE, skill_assessments={"DNS": {"score": 30, "level": "beginner"}}
        )
        assert [r.recipe.id for r in ranked.items] == ["aws-iam", "dns-deep-dive"]
        assert ranked.items[1].closes[0].type is GapType.SKILL_ASSESSMENT

    def test_completed_recipes_are_left_out(self) -> None:
        """Completed recipes (by id or slug) are never suggested again, and the reason says so."""
        analysis = analyze_gaps(session(), result({"networking": 10.0}))
        ranked = next_best_recipes(analysis, CATALOGUE, completed=("tcp-ip-basics", " "))
        assert [r.recipe.id for r in ranked.items] == ["dns-deep-dive"]
        assert ranked.reason_codes == ("ranked_by_coverage", "completed_recipes_excluded")

    def test_nothing_known_falls_back(self) -> None:
        """No analysis and no assessment gap: the labelled popularity fallback, minus completed recipes."""
        ranked = next_best_recipes(None, CATALOGUE, skill_assessments={"DNS": 95}, completed=("aws-iam",))
        assert ranked.fallback
        assert [r.recipe.id for r in ranked.items] == [
            "owasp-top-ten",
            "python-for-security",
            "security-fundamentals",
        ]
        assert ranked.reason_codes == ("popularity_fallback", "completed_recipes_excluded")

    def test_assessments_alone_rank(self) -> None:
        """Without a profiler, assessment gaps still rank recipes (not a fallback)."""
        ranked = next_best_recipes(
            None, CATALOGUE, skill_assessments=[SkillAssessment(skill_code="comm", score=10)]
        )
        assert (ranked.fallback, [r.recipe.id for r in ranked.items]) == (
            False,
            ["clear-incident-reports", "leading-a-war-room"],
        )

    def test_completed_profiler_without_gaps(self) -> None:
        """A completed profiler without gaps recommends nothing, with its reason."""
        ranked = next_best_recipes(analyze_gaps(session(), result()), CATALOGUE)
        assert (ranked.items, ranked.reason_codes) == ((), ("no_gaps_to_close",))

    def test_empty_catalogue_without_profiler(self) -> None:
        """No analysis and no catalogue: an empty popularity fallback under the ranking policy."""
        ranked = next_best_recipes(None, ())
        assert (ranked.items, ranked.fallback, ranked.candidates) == ((), True, 0)
        assert (ranked.reason_codes, str(ranked.policy)) == (("popularity_fallback",), "recipe_ranking@1")

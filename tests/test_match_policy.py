"""Tests for profiler_core.match_policy: the level map, level fit and the versioned match weights."""

from __future__ import annotations

import math

import pytest
from tests.match_builders import D, L

from profiler_core import (
    JobLevel,
)
from profiler_core.errors import PolicyError
from profiler_core.match_policy import (
    DEFAULT_MATCH_POLICY,
    JOB_LEVEL_BY_SELECTION,
    MatchComponentKind,
    MatchPolicy,
    job_level_for_selection,
    level_fit,
)
from profiler_core.vocabulary import DifficultySelection


class TestJobLevelForSelection:
    @pytest.mark.parametrize(
        ("selection", "expected"),
        [
            (D.NOVICE, L.ENTRY),
            (D.BEGINNER, L.ENTRY),
            (D.INTERMEDIATE, L.MID),
            (D.ADVANCED, L.SENIOR),
            (D.ELITE, L.EXPERT),
            (None, None),
        ],
    )
    def test_table(self, selection: DifficultySelection | None, expected: JobLevel | None) -> None:
        """SPEC §8: novice/beginner entry, intermediate mid, advanced senior, elite expert."""
        assert job_level_for_selection(selection) == expected

    def test_map_covers_every_selection(self) -> None:
        """The published map has one level per selection."""
        assert set(JOB_LEVEL_BY_SELECTION) == set(DifficultySelection)

    def test_map_is_monotone(self) -> None:
        """A higher selection never maps to a lower job level."""
        ranks = [JOB_LEVEL_BY_SELECTION[s].rank for s in DifficultySelection]
        assert ranks == sorted(ranks)


class TestLevelFit:
    @pytest.mark.parametrize(
        ("learner", "target", "expected"),
        [
            (L.ENTRY, L.ENTRY, 1.0),
            (L.EXPERT, L.EXPERT, 1.0),
            (L.ENTRY, L.MID, 0.5),
            (L.SENIOR, L.MID, 0.5),
            (L.EXPERT, L.SENIOR, 0.5),
            (L.ENTRY, L.SENIOR, 0.0),
            (L.EXPERT, L.ENTRY, 0.0),
        ],
    )
    def test_same_one_step_else(self, learner: JobLevel, target: JobLevel, expected: float) -> None:
        """Same level 1, one step 0.5, further 0."""
        assert level_fit(learner, target) == expected

    def test_adjacent_fit_comes_from_the_policy(self) -> None:
        """The one-step fit is a policy value."""
        assert level_fit(L.MID, L.SENIOR, policy=MatchPolicy(adjacent_level_fit=0.25)) == 0.25


class TestMatchPolicy:
    def test_default_weights(self) -> None:
        """matching@1 weighs skills 50, track 20, level 15, readiness 15."""
        assert str(DEFAULT_MATCH_POLICY.ref) == "matching@1"
        assert dict(DEFAULT_MATCH_POLICY.weights) == {
            MatchComponentKind.SKILLS: 50.0,
            MatchComponentKind.TRACK: 20.0,
            MatchComponentKind.LEVEL: 15.0,
            MatchComponentKind.READINESS: 15.0,
        }

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"skills_weight": -1.0},
            {"track_weight": math.nan},
            {"level_weight": math.inf},
            {"readiness_weight": True},
            {"skills_weight": "50"},
            {"adjacent_level_fit": 1.5},
            {"adjacent_level_fit": -0.1},
            {"recipes_per_skill": -1},
            {"skills_weight": 10**400},
            {"skills_weight": 1e308, "track_weight": 1e308},
        ],
    )
    def test_inconsistent_policy_is_rejected(self, kwargs: dict[str, object]) -> None:
        """Negative, non-finite, non-numeric or overflowing weights, out-of-range constants: PolicyError."""
        with pytest.raises(PolicyError, match="matching@1"):
            MatchPolicy(**kwargs)  # type: ignore[arg-type]  # deliberately wrong types


# Hand-computed cases: the expected numbers are written out from the formula
# score = 100 x sum(w_i x v_i) / sum(w_i over applicable components), default
# weights skills 50, track 20, level 15, readiness 15.

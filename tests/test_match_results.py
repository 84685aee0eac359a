"""Tests for profiler_core.match_results: match scores and components as values (SPEC §8)."""

from __future__ import annotations

import math

import pytest

from profiler_core import (
    JobId,
    UserId,
)
from profiler_core.errors import InvalidValueError
from profiler_core.match_results import MatchComponent, MatchScore
from profiler_core.matching import MatchComponentKind


class TestMatchValues:
    def component(self, kind: MatchComponentKind, contribution: float) -> MatchComponent:
        return MatchComponent(kind=kind, value=1.0, weight=contribution / 100, contribution=contribution)

    def score(self, total: float, parts: tuple[float, ...] = (50.0, 20.0, 15.0, 15.0)) -> MatchScore:
        kinds = tuple(MatchComponentKind)
        return MatchScore(
            learner_id=UserId("u"),
            job_id=JobId("j"),
            score=total,
            components=[self.component(k, p) for k, p in zip(kinds, parts, strict=True)],
            matched_skills=(),
            missing_skills=(),
        )

    def test_consistent_score_is_accepted(self) -> None:
        """A score equal to the sum of its contributions builds."""
        assert self.score(100.0).score == 100.0

    @pytest.mark.parametrize("total", [99.0, 101.0, -1.0, math.nan])
    def test_score_must_be_the_sum_and_in_range(self, total: float) -> None:
        """A score outside 0..100 or unequal to the sum of its contributions is rejected."""
        with pytest.raises(InvalidValueError):
            self.score(total)

    def test_components_must_be_in_order(self) -> None:
        """Components are skills, track, level, readiness, each once."""
        kinds = [MatchComponentKind.TRACK, MatchComponentKind.SKILLS, MatchComponentKind.LEVEL]
        with pytest.raises(InvalidValueError, match="components"):
            MatchScore(
                learner_id=UserId("u"),
                job_id=JobId("j"),
                score=0.0,
                components=[self.component(k, 0.0) for k in kinds],
                matched_skills=(),
                missing_skills=(),
            )

    @pytest.mark.parametrize(
        ("value", "weight", "contribution"),
        [(1.5, 0.5, 50.0), (0.5, 1.5, 50.0), (None, 0.5, 0.0), (None, 0.0, 1.0), (1.0, 1.0, 101.0)],
    )
    def test_component_invariants(self, value: float | None, weight: float, contribution: float) -> None:
        """Values and weights are 0..1, contributions 0..100, a neutral component adds nothing."""
        with pytest.raises(InvalidValueError):
            MatchComponent(
                kind=MatchComponentKind.SKILLS, value=value, weight=weight, contribution=contribution
            )

"""Tests for profiler_core.gap_policy: thresholds, priorities and their validation (SPEC §4)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs
import pytest

from profiler_core.errors import PolicyError
from profiler_core.gap_policy import DEFAULT_GAP_POLICY
from profiler_core.vocabulary import Priority


class TestGapPolicy:
    @pytest.mark.parametrize(
        ("score", "priority"),
        [
            (100.0, None),
            (60.0, None),
            (59.99, Priority.MEDIUM),
            (40.0, Priority.MEDIUM),
            (39.99, Priority.HIGH),
            (0.0, Priority.HIGH),
        ],
    )
    def test_priority_thresholds(self, score: float, priority: Priority | None) -> None:
        """60 is not a gap, 40 is medium, 39.99 is high."""
        assert DEFAULT_GAP_POLICY.priority_for(score) is priority

    @pytest.mark.parametrize(
        ("score", "priority"),
        [(70.0, None), (69.99, Priority.MEDIUM), (40.0, Priority.MEDIUM), (39.0, Priority.HIGH)],
    )
    def test_assessment_thresholds(self, score: float, priority: Priority | None) -> None:
        """A skill assessment below 70 is a gap, high below 40."""
        assert DEFAULT_GAP_POLICY.assessment_priority_for(score) is priority

    @pytest.mark.parametrize(
        "changes",
        [
            {"high_below": 70.0},
            {"gap_below": 101.0},
            {"high_below": -1.0},
            {"assessment_high_below": 80.0},
            {"min_evidence": -1},
            {"trait_growth_below": math.nan},
        ],
    )
    def test_inconsistent_policies_are_rejected(self, changes: Mapping[str, Any]) -> None:
        """Thresholds out of order or range raise PolicyError naming the policy."""
        with pytest.raises(PolicyError, match="gaps@1"):
            attrs.evolve(DEFAULT_GAP_POLICY, **changes)

    def test_ref(self) -> None:
        """The default policy is gaps@1."""
        assert str(DEFAULT_GAP_POLICY.ref) == "gaps@1"

"""Tests for profiler_core.sketches: the mergeable score sketch (SPEC §9)."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from profiler_core.analytics import (
    BIN_COUNT,
    ScoreSketch,
)
from profiler_core.errors import InvalidPayloadError, InvalidValueError
from profiler_core.serialization import structure, unstructure, unstructure_object
from profiler_core.sketches import _sketch_problems
from profiler_core.testing import strategies_analytics as ast


class TestScoreSketch:
    def test_of_counts_zero_as_a_score(self) -> None:
        """Zero is a score: it is counted, binned and is the minimum."""
        sketch = ScoreSketch.of([0.0, 0.0, 100.0])
        assert (sketch.count, sketch.minimum, sketch.maximum) == (3, 0, 100_000_000)
        assert sketch.bins[0] == 2
        assert sketch.bins[100] == 1

    def test_empty_is_the_default(self) -> None:
        """empty() has no scores, no extremes and all-zero bins."""
        empty = ScoreSketch.empty()
        assert (empty.count, empty.total, empty.minimum, empty.maximum) == (0, 0, None, None)
        assert empty.bins == (0,) * BIN_COUNT
        assert empty == ScoreSketch()

    def test_add_is_merge_of_one(self) -> None:
        """add(score) equals the sketch of the scores with that score added."""
        assert ScoreSketch.of([10.0]).add(20.5) == ScoreSketch.of([10.0, 20.5])

    @pytest.mark.parametrize("bad", [-0.5, 100.01, math.nan, math.inf, "high", True])
    def test_of_rejects_non_scores(self, bad: object) -> None:
        """Scores outside 0..100, NaN, infinities, text and booleans are rejected with their index."""
        with pytest.raises(InvalidValueError, match=r"\$\[1\]"):
            ScoreSketch.of([50.0, bad])  # type: ignore[list-item]

    def test_accepts_numeric_strings_and_decimals(self) -> None:
        """DRF's numeric strings and Decimals are scores too."""
        assert ScoreSketch.of(["85.50", Decimal("14.5")]) == ScoreSketch.of([85.5, 14.5])  # type: ignore[list-item]

    @given(ast.score_sketches(), ast.score_sketches(), ast.score_sketches())
    def test_merge_is_associative_and_commutative(
        self, a: ScoreSketch, b: ScoreSketch, c: ScoreSketch
    ) -> None:
        """Merging is associative and commutative, exactly (integer state)."""
        assert a.merge(b).merge(c) == a.merge(b.merge(c))
        assert a.merge(b) == b.merge(a)

    @given(ast.score_sketches())
    def test_empty_is_the_identity(self, a: ScoreSketch) -> None:
        """Merging with empty() changes nothing, on either side."""
        assert a.merge(ScoreSketch.empty()) == a == ScoreSketch.empty().merge(a)

    @given(st.lists(ast.analytics_scores(), max_size=20), st.lists(ast.analytics_scores(), max_size=20))
    def test_merging_parts_equals_the_sketch_of_the_union(
        self, left: list[float], right: list[float]
    ) -> None:
        """The sketch of two lists merged equals the sketch of their concatenation."""
        assert ScoreSketch.of(left).merge(ScoreSketch.of(right)) == ScoreSketch.of(left + right)

    @given(ast.score_sketches())
    def test_round_trips_through_json(self, sketch: ScoreSketch) -> None:
        """structure(json(unstructure(sketch)), ScoreSketch) gives back an equal sketch."""
        assert structure(json.loads(json.dumps(unstructure(sketch))), ScoreSketch) == sketch

    @pytest.mark.parametrize(
        ("patch", "path"),
        [
            ({"count": 3}, "$.count"),
            ({"bins": [1] * 3}, "$.bins"),
            ({"minimum": None}, "$.minimum"),
            ({"total": "7"}, "$.total"),
            ({"total": 10}, "$.total"),
            ({"total_sq": 0}, "$.total_sq"),
            ({"minimum": 70_000_000}, "$.minimum"),
            ({"maximum": 20_000_000, "minimum": 10_000_000}, "$.bins"),
        ],
    )
    def test_from_dict_reports_inconsistent_state(self, patch: dict[str, object], path: str) -> None:
        """A tampered or corrupted sketch is rejected with the path of the problem."""
        data = {**unstructure_object(ScoreSketch.of([20.0, 60.0])), **patch}
        with pytest.raises(InvalidPayloadError) as caught:
            structure(data, ScoreSketch)
        assert path in {p.path for p in caught.value.problems}

    @pytest.mark.parametrize("data", [None, [], "sketch"])
    def test_from_dict_needs_an_object(self, data: object) -> None:
        """Anything but an object is one problem at $."""
        with pytest.raises(InvalidPayloadError, match=r"\$: must be an object"):
            structure(data, ScoreSketch)

    def test_empty_sketch_with_sums_is_rejected(self) -> None:
        """An empty sketch cannot carry sums or extremes."""
        with pytest.raises(InvalidValueError, match="empty sketch"):
            ScoreSketch(count=0, total=5)

    def test_inconsistent_sketch_is_a_value_error_not_a_payload_error(self) -> None:
        """A sketch whose bins disagree with its count raises InvalidValueError naming the field."""
        with pytest.raises(InvalidValueError) as caught:
            ScoreSketch(count=2, total=0, bins=(0,) * 101)
        assert not isinstance(caught.value, InvalidPayloadError)
        assert caught.value.field == "count"


class TestUncheckedSketches:
    """Sketches the library builds without checking them again (issue 15) still pass every check."""

    @given(st.lists(ast.analytics_scores(), max_size=40))
    def test_of_builds_a_valid_sketch(self, scores: list[float]) -> None:
        """ScoreSketch.of skips the re-check, yet its sketch is what the checking constructor accepts."""
        sketch = ScoreSketch.of(scores)
        assert attrs.evolve(sketch) == sketch  # evolve runs the validators
        assert _sketch_problems(sketch) == []

    @given(st.lists(ast.score_sketches(), max_size=5))
    def test_merges_are_valid_and_exact(self, sketches: list[ScoreSketch]) -> None:
        """A merge of valid sketches passes the checks and equals the sketch of all the scores' sums."""
        merged = ScoreSketch.merge_all(sketches)
        assert _sketch_problems(merged) == []
        assert attrs.evolve(merged) == merged
        assert merged.count == sum(s.count for s in sketches)
        columns = zip(*(s.bins for s in sketches), strict=True) if sketches else [(0,)] * BIN_COUNT
        assert merged.bins == tuple(sum(column) for column in columns)

    def test_the_checking_constructor_still_rejects_bad_fields(self) -> None:
        """Skipping the re-check on merges leaves the public constructor strict."""
        with pytest.raises(InvalidValueError):
            ScoreSketch(count=2, total=0, total_sq=0, minimum=0, maximum=0, bins=(1,) + (0,) * 100)

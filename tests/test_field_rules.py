"""Tests for profiler_core.field_rules: bounds, ranges, enum membership and aware timestamps of the values."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import attrs
import pytest
from tests.builders import session as _session
from tests.model_builders import (
    NAIVE,
    NO_OFFSET,
    NOW,
    Builder,
    _assignment,
    _enrollment,
    _entry,
    _grant,
    _job,
    _mission,
    _recipe,
    _result,
    _talent,
)

from profiler_core.errors import InvalidValueError
from profiler_core.field_rules import BOUNDS, RANGE, _in_score_range, _require_score, require_aware
from profiler_core.models import CategoryScore

# (builder, field, low, high): every ranged numeric field of the models.
RANGED_FIELDS: list[tuple[Builder, str, float, float]] = [
    (_session, "aptitude_score", 0, 100),
    (_session, "technical_exposure_score", 0, 100),
    (_session, "anti_cheat_score", 0, 100),
    (_session, "track_confidence", 0, 1),
    (_result, "overall_score", 0, 100),
    (_result, "aptitude_score", 0, 100),
    (_result, "behavioral_score", 0, 100),
    (_talent, "readiness_score", 0, 100),
    (_talent, "job_fit_score", 0, 100),
    (_recipe, "avg_rating", 0, 5),
]
RANGED_IDS = [f"{b.__name__.strip('_')}.{f}" for b, f, _, _ in RANGED_FIELDS]

# (builder, field): every timestamp field of the models.
TIMESTAMP_FIELDS: list[tuple[Builder, str]] = [
    (_session, "started_at"),
    (_session, "completed_at"),
    (_assignment, "expires_at"),
    (_grant, "expires_at"),
    (_job, "application_deadline"),
    (_entry, "created_at"),
    (_entry, "updated_at"),
    (_entry, "learner_edited_at"),
]
TIMESTAMP_IDS = [f"{b.__name__.strip('_')}.{f}" for b, f in TIMESTAMP_FIELDS]


class TestRangedFields:
    """Scores are 0..100 (confidence 0..1, rating 0..5), validated at construction."""

    @pytest.mark.parametrize(("build", "field", "low", "high"), RANGED_FIELDS, ids=RANGED_IDS)
    def test_bounds_inclusive(self, build: Builder, field: str, low: float, high: float) -> None:
        """Both ends, a middle value, an int and None are accepted."""
        for value in (low, high, (low + high) / 2, int(high), None):
            assert getattr(build(**{field: value}), field) == value

    @pytest.mark.parametrize(("build", "field", "low", "high"), RANGED_FIELDS, ids=RANGED_IDS)
    def test_out_of_range_rejected(self, build: Builder, field: str, low: float, high: float) -> None:
        """Values below, above, NaN and infinite raise InvalidValueError naming the field."""
        for value in (low - 0.01, high + 0.01, math.nan, math.inf, -math.inf):
            with pytest.raises(InvalidValueError) as info:
                build(**{field: value})
            assert info.value.field == field
            assert info.value.reason == f"must be {low:g}..{high:g}"

    @pytest.mark.parametrize(("build", "field", "low", "high"), RANGED_FIELDS, ids=RANGED_IDS)
    def test_non_numbers_rejected(self, build: Builder, field: str, low: float, high: float) -> None:
        """Booleans and strings are not numbers (wire parsing happens in serialization)."""
        for value in (True, "50"):
            with pytest.raises(InvalidValueError) as info:
                build(**{field: value})
            assert (info.value.field, info.value.reason) == (field, "must be a number")

    @pytest.mark.parametrize(("build", "field", "low", "high"), RANGED_FIELDS, ids=RANGED_IDS)
    def test_range_metadata(self, build: Builder, field: str, low: float, high: float) -> None:
        """Each ranged field publishes its range under RANGE for the wire edge."""
        cls = type(build())
        assert attrs.has(cls)
        assert attrs.fields_dict(cls)[field].metadata[RANGE] == (low, high)


ENUM_FIELDS: list[tuple[Builder, str, object]] = [
    (_session, "status", "finished"),
    (_session, "difficulty_selection", "elite"),
    (_session, "recommended_track", "defender"),
    (_mission, "difficulty", 3),
    (_mission, "track", "grc"),
    (_recipe, "difficulty", "advanced"),
    (_enrollment, "status", "active"),
    (_assignment, "status", "active"),
    (_assignment, "assignment_type", "direct"),
    (_grant, "role", "admin"),
    (_grant, "scope", "global"),
    (_job, "level", "mid"),
    (_job, "track", "grc"),
    (_talent, "primary_track_key", "grc"),
    (_entry, "visibility", "public"),
]


class TestEnumFields:
    """Vocabulary fields hold enum members; raw text is parsed at the wire edge, never here."""

    @pytest.mark.parametrize(
        ("build", "field", "raw"), ENUM_FIELDS, ids=[f"{b.__name__}.{f}" for b, f, _ in ENUM_FIELDS]
    )
    def test_raw_value_rejected_naming_the_field(self, build: Builder, field: str, raw: object) -> None:
        """A plain string or int where an enum member belongs raises InvalidValueError naming the field."""
        with pytest.raises(InvalidValueError) as info:
            build(**{field: raw})
        assert info.value.field == field
        assert "member" in info.value.reason


class TestTimestampFields:
    """Timestamps must be timezone-aware."""

    @pytest.mark.parametrize(("build", "field"), TIMESTAMP_FIELDS, ids=TIMESTAMP_IDS)
    def test_aware_accepted(self, build: Builder, field: str) -> None:
        """UTC and fixed-offset datetimes are accepted."""
        for value in (NOW, NOW.astimezone(timezone(timedelta(hours=-5)))):
            assert getattr(build(**{field: value}), field) == value

    @pytest.mark.parametrize(("build", "field"), TIMESTAMP_FIELDS, ids=TIMESTAMP_IDS)
    def test_naive_rejected(self, build: Builder, field: str) -> None:
        """Naive datetimes (also a tzinfo without offset) raise InvalidValueError naming the field."""
        for value in (NAIVE, NO_OFFSET):
            with pytest.raises(InvalidValueError) as info:
                build(**{field: value})
            assert (info.value.field, info.value.reason) == (field, "must be timezone-aware")

    @pytest.mark.parametrize(("build", "field"), TIMESTAMP_FIELDS, ids=TIMESTAMP_IDS)
    def test_not_convertible_to_utc_rejected(self, build: Builder, field: str) -> None:
        """An aware datetime whose UTC instant overflows (year 1 at +01:00) is rejected at construction."""
        for value in (
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
            datetime(9999, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-1))),
        ):
            with pytest.raises(InvalidValueError) as info:
                build(**{field: value})
            assert (info.value.field, info.value.reason, info.value.problem_code) == (
                field,
                "must be convertible to UTC",
                "bad_timestamp",
            )

    def test_require_aware_rejects_overflowing_now(self) -> None:
        """require_aware, the check every comparison uses, rejects a 'now' that cannot become UTC."""
        with pytest.raises(InvalidValueError, match="now: must be convertible to UTC"):
            require_aware(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))))


COUNT_FIELDS: list[tuple[Builder, str, int]] = [
    (_session, "technical_exposure_answered", 10_000),
    (_recipe, "estimated_minutes", 100_000),
    (_recipe, "usage_count", 10**12),
]
COUNT_IDS = [field for _, field, _ in COUNT_FIELDS]


class TestBoundedCounts:
    """Counts and durations are integers in 0..their documented bound (SPEC §2)."""

    @pytest.mark.parametrize(("build", "field", "high"), COUNT_FIELDS, ids=COUNT_IDS)
    def test_zero_and_bound_accepted(self, build: Builder, field: str, high: int) -> None:
        """0 and the bound itself are accepted; the bound is the one BOUNDS documents."""
        assert getattr(build(**{field: 0}), field) == 0
        assert getattr(build(**{field: high}), field) == high
        assert BOUNDS[f"{build(**{field: 0}).__class__.__name__}.{field}"] == (0, high)

    @pytest.mark.parametrize(("build", "field", "high"), COUNT_FIELDS, ids=COUNT_IDS)
    def test_outside_rejected(self, build: Builder, field: str, high: int) -> None:
        """-1, bound + 1 and 10**30 raise InvalidValueError naming the field, coded out_of_range."""
        for value in (-1, high + 1, 10**30):
            with pytest.raises(InvalidValueError) as info:
                build(**{field: value})
            assert (info.value.field, info.value.reason, info.value.problem_code) == (
                field,
                f"must be 0..{high}",
                "out_of_range",
            )

    @pytest.mark.parametrize(("build", "field", "high"), COUNT_FIELDS, ids=COUNT_IDS)
    def test_non_integers_rejected(self, build: Builder, field: str, high: int) -> None:
        """A bool or a float is not a count, even when built in code."""
        for value in (True, 3.0):
            with pytest.raises(InvalidValueError) as info:
                build(**{field: value})
            assert (info.value.field, info.value.problem_code) == (field, "not_an_integer")

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"correct": 10_001, "total": 10_001}, "correct"),
            ({"correct": 0, "total": 10_001}, "total"),
            ({"correct": 1, "total": 2, "points": 1_000_001.0}, "points"),
            ({"correct": 1, "total": 2, "points": -0.5}, "points"),
        ],
    )
    def test_category_counts_bounded(self, kwargs: dict[str, float], field: str) -> None:
        """A category's correct/total (10000) and raw points sum (1000000) are bounded."""
        with pytest.raises(InvalidValueError) as info:
            CategoryScore.from_counts(**kwargs)  # type: ignore[arg-type]  # table mixes int and float counts
        assert (info.value.field, info.value.problem_code) == (field, "out_of_range")

    def test_category_bounds_accepted(self) -> None:
        """The bounds themselves are valid counts."""
        category = CategoryScore.from_counts(correct=10_000, total=10_000, points=1_000_000.0)
        assert (category.score, category.evidence) == (100.0, 10_000)

    def test_every_int_field_is_bounded(self) -> None:
        """Every int field of every value class carries a RANGE that BOUNDS documents (no unbounded count)."""
        import typing  # noqa: PLC0415 - only this test reads type hints

        from profiler_core import models  # noqa: PLC0415 - only this test walks the module

        missing = []
        for name in models.__all__:
            cls = getattr(models, name)
            if not attrs.has(cls):
                continue
            hints = typing.get_type_hints(cls)
            for attribute in attrs.fields(cls):
                if int in (typing.get_args(hints[attribute.name]) or (hints[attribute.name],)):
                    key = f"{name}.{attribute.name}"
                    if BOUNDS.get(key) != attribute.metadata.get(RANGE):
                        missing.append(key)
        assert not missing


class TestScoreRange:
    """The one 0..100 check (issue 12): every score validator calls it."""

    @pytest.mark.parametrize("value", [0, 0.0, 55.5, 100, 100.0])
    def test_bounds_are_inclusive(self, value: float) -> None:
        """0 and 100 are scores; so is everything between."""
        assert _in_score_range(value)

    @pytest.mark.parametrize("value", [-0.001, 100.001, math.nan, math.inf, -math.inf])
    def test_outside_nan_and_infinities_fail(self, value: float) -> None:
        """Below 0, above 100, NaN and the infinities are not scores."""
        assert not _in_score_range(value)

    def test_slack_widens_only_the_top(self) -> None:
        """slack admits a rounding excess above 100, never below 0."""
        assert _in_score_range(100.0 + 1e-9, slack=1e-6)
        assert not _in_score_range(-1e-9, slack=1e-6)

    @pytest.mark.parametrize("value", [True, 101.0, math.nan])
    def test_require_score_names_the_field_and_code(self, value: float) -> None:
        """_require_score raises out_of_range naming the field; a bool is not a score."""
        with pytest.raises(InvalidValueError) as info:
            _require_score(value, field="alignment.grc")
        assert (info.value.field, info.value.reason, info.value.problem_code) == (
            "alignment.grc",
            "must be 0..100",
            "out_of_range",
        )

"""The rules every input value's fields share (SPEC §2): numeric bounds, aware timestamps, enum members.

:data:`BOUNDS` lists every count, duration and raw sum with its inclusive range
(:data:`MAX_QUESTIONS`, :data:`MAX_POINTS`, :data:`MAX_MINUTES`,
:data:`MAX_USAGE_COUNT`); a bounded field carries its range under the
:data:`RANGE` metadata key so the wire edge can report every breach at once.
:func:`require_aware` is the one timestamp check. The private field factories
and validators here are what :mod:`profiler_core.models` builds its values with.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Final, TypeVar

import attrs
from attrs import field

from profiler_core.errors import InvalidValueError

__all__ = [
    "require_aware",
    "RANGE",
    "MAX_QUESTIONS",
    "MAX_POINTS",
    "MAX_MINUTES",
    "MAX_USAGE_COUNT",
    "BOUNDS",
]


#: Upper bound of every question count: a category's ``correct`` and ``total``,
#: ``technical_exposure_answered`` (the profiler asks a few dozen questions).
MAX_QUESTIONS: Final = 10_000


#: Upper bound of a category's raw ``points`` sum.
MAX_POINTS: Final = 1_000_000


#: Upper bound of a recipe's ``estimated_minutes`` (about ten weeks).
MAX_MINUTES: Final = 100_000


#: Upper bound of a recipe's ``usage_count``.
MAX_USAGE_COUNT: Final = 10**12


#: Every count, duration and raw sum of the input values with its inclusive
#: range (SPEC §2), keyed ``Class.field``. Values enforce them at construction;
#: :func:`~profiler_core.structure` reports a breach with its path.
BOUNDS: Final[Mapping[str, tuple[int, int]]] = MappingProxyType(
    {
        "CategoryScore.correct": (0, MAX_QUESTIONS),
        "CategoryScore.total": (0, MAX_QUESTIONS),
        "CategoryScore.points": (0, MAX_POINTS),
        "ProfilerSession.technical_exposure_answered": (0, MAX_QUESTIONS),
        "technical_exposure.raw": (0, 3 * MAX_QUESTIONS),
        "Recipe.estimated_minutes": (0, MAX_MINUTES),
        "Recipe.usage_count": (0, MAX_USAGE_COUNT),
        "Mission.points_required": (0, MAX_POINTS),
    }
)


def _span(low: float, high: float) -> str:
    def show(bound: float) -> str:
        return str(int(bound)) if float(bound).is_integer() else f"{bound:g}"

    return f"{show(low)}..{show(high)}"


def _bounded(low: float, high: float) -> attrs._ValidatorType[float | None]:
    def check(_inst: object, attribute: attrs.Attribute[float | None], value: float | None) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidValueError(
                field=attribute.name, reason="must be a number", problem_code="not_a_number"
            )
        if not math.isfinite(value) or not low <= value <= high:
            raise InvalidValueError(
                field=attribute.name, reason=f"must be {_span(low, high)}", problem_code="out_of_range"
            )

    return check


def _counted(high: int) -> attrs._ValidatorType[int | None]:
    def check(_inst: object, attribute: attrs.Attribute[int | None], value: int | None) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValueError(
                field=attribute.name, reason="must be an integer", problem_code="not_an_integer"
            )
        if not 0 <= value <= high:
            raise InvalidValueError(
                field=attribute.name, reason=f"must be {_span(0, high)}", problem_code="out_of_range"
            )

    return check


#: attrs metadata key holding a numeric field's inclusive (low, high) range; the
#: wire edge reads it so that every out-of-range field is reported at once.
RANGE = "profiler_core.range"


def _ranged(low: float, high: float, default: float | None = None) -> Any:
    return field(default=default, validator=_bounded(low, high), metadata={RANGE: (low, high)})


def _count(high: int, default: int | None = None) -> Any:
    return field(default=default, validator=_counted(high), metadata={RANGE: (0, high)})


#: The inclusive range of every score and percentage (SPEC §2).
SCORE_RANGE: Final[tuple[float, float]] = (0.0, 100.0)


def _in_score_range(value: float, *, slack: float = 0.0) -> bool:
    """Whether *value* lies in :data:`SCORE_RANGE` (widened above by *slack*): the one 0..100 comparison.

    NaN and the infinities fail.
    """
    low, high = SCORE_RANGE
    return low <= value <= high + slack


def _require_score(value: float, *, field: str, slack: float = 0.0) -> None:
    """Raise :class:`InvalidValueError` (``must be 0..100``, ``out_of_range``) unless *value* is in 0..100."""
    if isinstance(value, bool) or not _in_score_range(value, slack=slack):
        raise InvalidValueError(field=field, reason="must be 0..100", problem_code="out_of_range")


_Score = TypeVar("_Score", bound=float | None)


def _score_check(_inst: object, attribute: attrs.Attribute[_Score], value: _Score) -> None:
    """The attrs validator of a 0..100 field (``None`` passes: the field's type says if it may be absent)."""
    if value is not None:
        _require_score(value, field=attribute.name)


def _score_field() -> Any:
    return _ranged(*SCORE_RANGE)


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    """The one converter of a ``tuple[str, ...]`` field (mypy's attrs plugin needs a named function)."""
    return tuple(values)


def require_aware(moment: datetime, *, field: str = "now") -> None:
    """Reject a naive datetime (no tzinfo, or a tzinfo without an offset).

    Every timestamp the library compares (expiries, deadlines, ``now``) must be
    aware and convertible to UTC; this is the one check they all use.

    Raises:
        InvalidValueError: naming *field*, reason ``"must be timezone-aware"``
            (or ``"must be convertible to UTC"`` for an instant outside the
            ``datetime`` range once its offset is applied).

    >>> from datetime import datetime
    >>> require_aware(datetime(2026, 1, 1), field="now")
    Traceback (most recent call last):
    ...
    profiler_core.errors.InvalidValueError: now: must be timezone-aware
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidValueError(field=field, reason="must be timezone-aware", problem_code="naive_timestamp")
    try:
        moment.astimezone(UTC)
    except (OverflowError, ValueError):
        # e.g. 0001-01-01T00:00+01:00: every comparison with another offset would overflow.
        raise InvalidValueError(
            field=field, reason="must be convertible to UTC", problem_code="bad_timestamp"
        ) from None


def _aware(_inst: object, attribute: attrs.Attribute[datetime | None], value: datetime | None) -> None:
    if value is not None:
        require_aware(value, field=attribute.name)


def _member(enum_type: type[enum.Enum], *, optional: bool = False) -> Any:
    """An attrs validator: the value is a member of *enum_type* (parse strings at the edge)."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, enum_type):
            raise InvalidValueError(
                field=attribute.name,
                reason=f"must be a {enum_type.__name__} member, got {value!r} (structure() parses text)",
            )

    return check


def _non_empty(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value:
        raise InvalidValueError(field=attribute.name, reason="must not be empty")

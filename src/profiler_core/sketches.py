"""Score sketches (SPEC §9): exact, mergeable statistics of one 0..100 score.

A :class:`ScoreSketch` holds integers only (scores in micro-points, one-point
bins), so merging sketches in any order or grouping gives identical values.
:mod:`profiler_core.analytics` builds cohort statistics from three of them;
:func:`profiler_core.reports.summarize_scores` turns one into figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from attrs import field, frozen

from profiler_core._numbers import parse_number
from profiler_core.errors import InvalidPayloadError, InvalidValueError, Problem
from profiler_core.field_rules import _require_score

__all__ = ["SCORE_SCALE", "BIN_COUNT", "ScoreSketch"]

#: Scores are held as integers in millionths of a point (the precision of
#: :func:`~profiler_core.models.technical_exposure_percentage`), so sums are exact.
SCORE_SCALE: Final = 1_000_000
#: One-point bins over 0..100: bin ``b`` holds scores in ``[b, b + 1)``; bin 100 holds exactly 100.
BIN_COUNT: Final = 101

_MAX_MICRO: Final = 100 * SCORE_SCALE
_EMPTY_BINS: Final = (0,) * BIN_COUNT


def _bins(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(values)


def _payload_error(type_name: str, problems: Sequence[Problem]) -> InvalidPayloadError:
    # The accumulator's error for a bad host row (rows are read where they stream in).
    return InvalidPayloadError(problems, type_name=type_name)


def _field(path: str) -> str:
    return path[2:] if path.startswith("$.") else path


def _value_error(type_name: str, problems: Sequence[Problem]) -> InvalidValueError:
    """The error a value raises for inconsistent fields: the first problem's field, every reason."""
    first, *rest = problems
    reason = "; ".join([first.message, *(f"{_field(p.path)}: {p.message}" for p in rest)])
    return InvalidValueError(field=_field(first.path) if first.path != "$" else type_name, reason=reason)


@frozen(kw_only=True)
class _SketchFields:
    """A sketch's fields before they are a value (what :func:`_sketch_problems` checks on the wire path)."""

    count: int
    total: int
    total_sq: int
    minimum: int | None
    maximum: int | None
    bins: Sequence[int]


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@frozen(kw_only=True)
class ScoreSketch:
    """Mergeable statistics of one score (0..100) over a set of learners.

    Exact integer state: ``total`` and ``total_sq`` are the sum and the sum of
    squares of the scores in micro-points (:data:`SCORE_SCALE`), ``minimum``
    and ``maximum`` likewise, and ``bins`` counts scores per one-point bin.
    Merging adds the counters, so it is associative and commutative with
    :meth:`empty` as identity, exactly. :func:`summarize_scores` turns a
    sketch into mean, standard deviation, min, max and quartiles.

    >>> ScoreSketch.of([0.0, 50.0, 100.0]).count
    3
    """

    count: int = 0
    total: int = 0
    total_sq: int = 0
    minimum: int | None = None
    maximum: int | None = None
    bins: tuple[int, ...] = field(default=_EMPTY_BINS, converter=_bins)

    @bins.validator
    def _check(self, _attribute: object, bins: tuple[int, ...]) -> None:
        problems = _sketch_problems(self)
        if problems:
            raise _value_error("ScoreSketch", problems)

    @classmethod
    def empty(cls) -> ScoreSketch:
        """The identity of :meth:`merge`: no scores."""
        return _EMPTY_SKETCH

    @classmethod
    def of(cls, scores: Iterable[float]) -> ScoreSketch:
        """The sketch of *scores* (each 0..100; quantised to :data:`SCORE_SCALE`).

        Raises:
            InvalidValueError: a score is not a number in 0..100 (its field is ``$[index]``).
        """
        state = [0, 0, 0, _MAX_MICRO + 1, -1]
        bins = [0] * BIN_COUNT
        for index, score in enumerate(scores):
            _add_score(state, bins, _score(score, f"$[{index}]"))
        return _freeze_sketch(state, bins)

    def add(self, score: float) -> ScoreSketch:
        """A new sketch with *score* added (prefer :meth:`of` for many scores)."""
        return self.merge(ScoreSketch.of([score]))

    def merge(self, other: ScoreSketch) -> ScoreSketch:
        """The sketch of both sets of scores."""
        return ScoreSketch.merge_all((self, other))

    @classmethod
    def merge_all(cls, sketches: Iterable[ScoreSketch]) -> ScoreSketch:
        """The sketch of every sketch in *sketches* (column by column, no intermediate values)."""
        items = [s for s in sketches if s.count]
        if len(items) < 2:
            return items[0] if items else _EMPTY_SKETCH
        # Sums of valid sketches are valid: the merge is not checked again.
        return _trusted_sketch(
            sum(s.count for s in items),
            sum(s.total for s in items),
            sum(s.total_sq for s in items),
            min(s.minimum for s in items if s.minimum is not None),
            max(s.maximum for s in items if s.maximum is not None),
            tuple(map(sum, zip(*(s.bins for s in items), strict=True))),
        )


def _sketch_problems(sketch: ScoreSketch | _SketchFields, path: str = "$") -> list[Problem]:
    problems: list[Problem] = []
    bins = sketch.bins
    if len(bins) != BIN_COUNT or not all(_is_count(b) for b in bins):
        return [Problem(path=f"{path}.bins", message=f"must be {BIN_COUNT} counts >= 0")]
    if not _is_count(sketch.count) or sum(bins) != sketch.count:
        problems.append(Problem(path=f"{path}.count", message="must equal the sum of the bins"))
    if sketch.count == 0:
        if (sketch.total, sketch.total_sq, sketch.minimum, sketch.maximum) != (0, 0, None, None):
            problems.append(Problem(path=path, message="an empty sketch has zero sums and no min/max"))
        return problems
    low, high = sketch.minimum, sketch.maximum
    if low is None or high is None or not 0 <= low <= high <= _MAX_MICRO:
        problems.append(
            Problem(path=f"{path}.minimum", message="must satisfy 0 <= minimum <= maximum <= 1e8")
        )
        return problems
    if _bin_of(low) != _first_nonzero(bins) or _bin_of(high) != _last_nonzero(bins):
        problems.append(Problem(path=f"{path}.bins", message="must agree with minimum and maximum"))
    if not low * sketch.count <= sketch.total <= high * sketch.count:
        problems.append(
            Problem(path=f"{path}.total", message="must lie between count*minimum and count*maximum")
        )
    if sketch.total_sq * sketch.count < sketch.total * sketch.total:
        problems.append(Problem(path=f"{path}.total_sq", message="must be at least total**2 / count"))
    return problems


def _bin_of(micro: int) -> int:
    return micro // SCORE_SCALE


def _first_nonzero(bins: Sequence[int]) -> int:
    return next(i for i, c in enumerate(bins) if c)


def _last_nonzero(bins: Sequence[int]) -> int:
    return BIN_COUNT - 1 - next(i for i, c in enumerate(reversed(bins)) if c)


def _score(value: object, path: str) -> int:
    """Parse a score into micro-points, raising :class:`InvalidValueError` whose field is *path*."""
    try:
        number = value if type(value) is float else parse_number(value)
    except ValueError as exc:
        raise InvalidValueError(field=path, reason=str(exc)) from None
    _require_score(number, field=path)
    return int(number * SCORE_SCALE + 0.5)


def _add_score(state: list[int], bins: list[int], micro: int) -> None:
    state[0] += 1
    state[1] += micro
    state[2] += micro * micro
    state[3] = min(state[3], micro)
    state[4] = max(state[4], micro)
    bins[micro // SCORE_SCALE] += 1


def _freeze_sketch(state: list[int], bins: list[int]) -> ScoreSketch:
    # The state was built by _add_score (or the accumulator) from checked scores: trusted.
    if not state[0]:
        return _EMPTY_SKETCH
    return _trusted_sketch(state[0], state[1], state[2], state[3], state[4], tuple(bins))


_new = object.__new__
_set = object.__setattr__


def _trusted_sketch(  # noqa: PLR0917 - the fields in their declared order
    count: int, total: int, total_sq: int, minimum: int | None, maximum: int | None, bins: tuple[int, ...]
) -> ScoreSketch:
    """A sketch built from state the library made itself, without checking it again.

    Only for state that is valid by construction: checked scores added by
    :func:`_add_score` or the accumulator, or sums of valid sketches.
    ``tests/test_sketches.py`` checks that every such sketch passes the checks.
    """
    sketch: ScoreSketch = _new(ScoreSketch)
    _set(sketch, "count", count)
    _set(sketch, "total", total)
    _set(sketch, "total_sq", total_sq)
    _set(sketch, "minimum", minimum)
    _set(sketch, "maximum", maximum)
    _set(sketch, "bins", bins)
    return sketch


_EMPTY_SKETCH: Final = ScoreSketch()

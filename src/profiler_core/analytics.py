"""Enterprise dashboard (SPEC §9): mergeable cohort statistics, reports and small-cohort protection.

Three layers, all pure:

* **State.** :class:`ScoreSketch` and :class:`CohortStats` are commutative
  monoids (``empty()``, ``add()``, ``merge()``) whose state is exact integers
  (scores in micro-points, fixed one-point bins over 0..100), so merging in any
  order or grouping gives *identical* values, and they travel as JSON
  (``to_dict()`` / ``from_dict()``). :class:`AnalyticsPartial` keys them by
  *membership* (the set of cohorts a learner is counted in), which keeps
  enterprise totals distinct-learner even when a learner is in two of its
  cohorts. Partials of learner-disjoint partitions merge into exactly the
  partial of the union.
* **Accumulation.** :class:`AnalyticsAccumulator` streams plain rows (tuples
  or dicts, as a host hands them) into that state without building a value per
  row; :func:`partial_from_values` does the same from library values.
* **Reports.** :func:`cohort_report`, :func:`cohort_reports` and
  :func:`enterprise_report` turn state into chart-ready reports, suppressing
  small counts under a :class:`SuppressionPolicy` (k = 5 by default) with
  complementary suppression across a cohort, its enterprise and the
  enterprise's other cohorts.

Definitions, the suppression rule and the JSON shapes are in
``docs/reference/analytics.md``.
"""

from __future__ import annotations

import enum
import math
import re
from bisect import bisect_right
from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from itertools import accumulate
from types import MappingProxyType
from typing import Final, TypeAlias

from attrs import field, frozen

from profiler_core.decisions import PolicyRef
from profiler_core.errors import InvalidPayloadError, PolicyError, Problem, UnknownValueError
from profiler_core.frozenmap import FrozenMap, freeze
from profiler_core.mapping import latest_completed_session
from profiler_core.models import (
    Cohort,
    CohortId,
    Enrollment,
    IdLike,
    OrgId,
    ProfilerResult,
    ProfilerSession,
    SessionId,
    UserId,
    _canonical_keys,
    _to_id,
    _valid_id,
    canonical_id,
)
from profiler_core.serialization import parse_number, parse_timestamp
from profiler_core.vocabulary import (
    COMPLETED_STATUSES,
    DifficultySelection,
    EnrollmentStatus,
    SessionStatus,
    TrackKey,
    parse_difficulty_selection,
    parse_track,
)

__all__ = [
    # policies
    "AnalyticsPolicy",
    "DEFAULT_ANALYTICS_POLICY",
    "SuppressionPolicy",
    "DEFAULT_SUPPRESSION_POLICY",
    # state (monoids)
    "SCORE_SCALE",
    "BIN_COUNT",
    "ScoreSketch",
    "CohortStats",
    "AnalyticsPartial",
    # accumulation
    "ROW_FIELDS",
    "AnalyticsAccumulator",
    "partial_from_values",
    "learner_row",
    # report values
    "ReadinessBand",
    "readiness_band",
    "Suppressed",
    "SUPPRESSED",
    "Count",
    "Bucket",
    "ScoreSummary",
    "ScoreBlock",
    "PopulationFigures",
    "PopulationReport",
    "CohortReport",
    "CohortBreakdown",
    "EnterpriseReport",
    "summarize_scores",
    # reports
    "cohort_report",
    "cohort_reports",
    "enterprise_report",
]

#: Scores are held as integers in millionths of a point (the precision of
#: :func:`~profiler_core.models.technical_exposure_percentage`), so sums are exact.
SCORE_SCALE: Final = 1_000_000
#: One-point bins over 0..100: bin ``b`` holds scores in ``[b, b + 1)``; bin 100 holds exactly 100.
BIN_COUNT: Final = 101

_TRACK_KEYS: Final = (*(t.value for t in TrackKey), "none")
_DIFFICULTY_KEYS: Final = (*(d.value for d in DifficultySelection), "not_selected")
_SCORE_KINDS: Final = ("aptitude", "technical_exposure", "overall")
_MAX_MICRO: Final = 100 * SCORE_SCALE
_EMPTY_BINS: Final = (0,) * BIN_COUNT
# ASCII digits and \Z: "\d" would take "٢٠٢٦-01" and "$" a trailing newline as months.
_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])\Z")


# --- policies -------------------------------------------------------------------


def _statuses(values: Iterable[EnrollmentStatus]) -> frozenset[EnrollmentStatus]:
    return frozenset(values)


@frozen(kw_only=True)
class AnalyticsPolicy:
    """Who counts and how much is listed (SPEC §9).

    Attributes:
        id: policy id (``"analytics"``).
        version: policy version.
        counted_statuses: the enrollment statuses whose learners form a
            cohort's population (default ``active`` and ``completed``).
        top_strengths: how many strengths the "top strengths" list shows.
    """

    id: str = "analytics"
    version: int = 1
    counted_statuses: frozenset[EnrollmentStatus] = field(
        default=frozenset({EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED}), converter=_statuses
    )
    top_strengths: int = field(default=5)

    @top_strengths.validator
    def _check(self, _attribute: object, top: int) -> None:
        if not self.counted_statuses:
            raise PolicyError(policy=str(self.ref), reason="counted_statuses must not be empty")
        if top < 1:
            raise PolicyError(policy=str(self.ref), reason="top_strengths must be at least 1")

    @property
    def ref(self) -> PolicyRef:
        """The ``id@version`` of this policy."""
        return PolicyRef(id=self.id, version=self.version)


#: Counted statuses ``active`` and ``completed``; five top strengths.
DEFAULT_ANALYTICS_POLICY = AnalyticsPolicy()


@frozen(kw_only=True)
class SuppressionPolicy:
    """Small-cohort protection: the threshold *k* (SPEC §9).

    A published count of 1 to ``k - 1`` learners, and a statistics block over
    fewer than ``k`` learners, is suppressed; complementary cells are
    suppressed so that no suppressed count can be recomputed (see
    ``docs/reference/analytics.md``). ``k = 1`` suppresses nothing.

    Attributes:
        id: policy id (``"suppression"``).
        version: policy version.
        k: the smallest group of learners a published figure may describe.
    """

    id: str = "suppression"
    version: int = 1
    k: int = field(default=5)

    @k.validator
    def _check_k(self, _attribute: object, k: int) -> None:
        if k < 1:
            raise PolicyError(policy=f"{self.id}@{self.version}", reason="k must be an integer >= 1")

    @property
    def ref(self) -> PolicyRef:
        """The ``id@version`` of this policy."""
        return PolicyRef(id=self.id, version=self.version)


#: k = 5.
DEFAULT_SUPPRESSION_POLICY = SuppressionPolicy()


# --- state: score sketch --------------------------------------------------------


def _bins(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(values)


def _payload_error(type_name: str, problems: Sequence[Problem]) -> InvalidPayloadError:
    return InvalidPayloadError(problems, type_name=type_name)


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
            raise _payload_error("ScoreSketch", problems)

    @classmethod
    def empty(cls) -> ScoreSketch:
        """The identity of :meth:`merge`: no scores."""
        return _EMPTY_SKETCH

    @classmethod
    def of(cls, scores: Iterable[float]) -> ScoreSketch:
        """The sketch of *scores* (each 0..100; quantised to :data:`SCORE_SCALE`).

        Raises:
            InvalidPayloadError: a score is not a number in 0..100.
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
        return ScoreSketch(
            count=sum(s.count for s in items),
            total=sum(s.total for s in items),
            total_sq=sum(s.total_sq for s in items),
            minimum=min(s.minimum for s in items if s.minimum is not None),
            maximum=max(s.maximum for s in items if s.maximum is not None),
            bins=map(sum, zip(*(s.bins for s in items), strict=True)),
        )

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data (integers only, so it round-trips exactly)."""
        return {
            "count": self.count,
            "total": self.total,
            "total_sq": self.total_sq,
            "minimum": self.minimum,
            "maximum": self.maximum,
            "bins": list(self.bins),
        }

    @classmethod
    def from_dict(cls, data: object) -> ScoreSketch:
        """Rebuild a sketch from :meth:`to_dict` output.

        Raises:
            InvalidPayloadError: listing every problem with its path.
        """
        return _sketch_from_dict(data, "$")


def _sketch_problems(sketch: ScoreSketch, path: str = "$") -> list[Problem]:
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
    """Parse a score into micro-points, raising :class:`InvalidPayloadError` with *path*."""
    try:
        number = value if type(value) is float else parse_number(value)
    except ValueError as exc:
        raise _payload_error("analytics row", [Problem(path=path, message=str(exc))]) from None
    if not 0.0 <= number <= 100.0:
        raise _payload_error("analytics row", [Problem(path=path, message="must be 0..100")])
    return int(number * SCORE_SCALE + 0.5)


def _add_score(state: list[int], bins: list[int], micro: int) -> None:
    state[0] += 1
    state[1] += micro
    state[2] += micro * micro
    state[3] = min(state[3], micro)
    state[4] = max(state[4], micro)
    bins[micro // SCORE_SCALE] += 1


def _freeze_sketch(state: list[int], bins: list[int]) -> ScoreSketch:
    if not state[0]:
        return _EMPTY_SKETCH
    return ScoreSketch(
        count=state[0], total=state[1], total_sq=state[2], minimum=state[3], maximum=state[4], bins=bins
    )


def _int_field(data: Mapping[str, object], key: str, path: str, problems: list[Problem]) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(Problem(path=f"{path}.{key}", message="must be an integer"))
        return 0
    return value


def _sketch_from_dict(data: object, path: str) -> ScoreSketch:
    if not isinstance(data, Mapping):
        raise _payload_error("ScoreSketch", [Problem(path=path, message="must be an object")])
    problems: list[Problem] = []
    values = {key: _int_field(data, key, path, problems) for key in ("count", "total", "total_sq")}
    extremes: dict[str, int | None] = {}
    for key in ("minimum", "maximum"):
        raw = data.get(key)
        extremes[key] = None if raw is None else _int_field(data, key, path, problems)
    raw_bins = data.get("bins")
    if (
        not isinstance(raw_bins, list)
        or not all(_is_count(b) for b in raw_bins)
        or len(raw_bins) != BIN_COUNT
    ):
        problems.append(Problem(path=f"{path}.bins", message=f"must be a list of {BIN_COUNT} counts >= 0"))
        raw_bins = list(_EMPTY_BINS)
    if problems:
        raise _payload_error("ScoreSketch", problems)
    try:
        return ScoreSketch(
            count=values["count"],
            total=values["total"],
            total_sq=values["total_sq"],
            minimum=extremes["minimum"],
            maximum=extremes["maximum"],
            bins=raw_bins,
        )
    except InvalidPayloadError as exc:
        rebased = [Problem(path=path + p.path[1:], message=p.message) for p in exc.problems]
        raise _payload_error("ScoreSketch", rebased) from None


_EMPTY_SKETCH: Final = ScoreSketch()


# --- state: cohort statistics ---------------------------------------------------


def _counts(values: Mapping[str, int] | None) -> FrozenMap[str, int]:
    # Canonical form: zero entries are dropped, so equal statistics compare equal.
    if values is None:
        return FrozenMap()
    if isinstance(values, FrozenMap) and all(values.values()):
        return values
    return FrozenMap({key: count for key, count in values.items() if count})


def _month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@frozen(kw_only=True)
class CohortStats:
    """Mergeable statistics of one population of learners (a cohort, or an enterprise's).

    A commutative monoid: :meth:`empty` is the identity, :meth:`add` adds one
    learner (with their latest completed session, if any), :meth:`merge`
    combines two *disjoint* populations. Every field is an exact count or an
    exact :class:`ScoreSketch`, so merging is exact and order-free.

    Attributes:
        total: learners in the population (distinct, counted enrollment).
        profiled: of those, learners with a completed session.
        aptitude: the profiled learners' aptitude scores.
        technical_exposure: their technical-exposure scores (0..100).
        overall: their overall scores (from the result row; absent without one).
        tracks: profiled learners per recommended track key (``"none"``: no track).
        difficulty: profiled learners per difficulty selection (``"not_selected"``).
        strengths: profiled learners naming each strength (a learner counts once per strength).
        completions: profiled learners per month of ``completed_at`` in UTC (``"YYYY-MM"``).

    >>> from datetime import UTC, datetime
    >>> from profiler_core import ProfilerSession, SessionStatus
    >>> done = ProfilerSession(
    ...     id="s-1",
    ...     user_id="u-1",
    ...     status=SessionStatus.FINISHED,
    ...     completed_at=datetime(2026, 3, 2, tzinfo=UTC),
    ...     aptitude_score=0.0,
    ... )
    >>> stats = CohortStats.empty().add(done).add(None)
    >>> stats.total, stats.profiled, stats.aptitude.count, dict(stats.completions)
    (2, 1, 1, {'2026-03': 1})
    """

    total: int = 0
    profiled: int = 0
    aptitude: ScoreSketch = _EMPTY_SKETCH
    technical_exposure: ScoreSketch = _EMPTY_SKETCH
    overall: ScoreSketch = _EMPTY_SKETCH
    tracks: FrozenMap[str, int] = field(factory=FrozenMap, converter=_counts)
    difficulty: FrozenMap[str, int] = field(factory=FrozenMap, converter=_counts)
    strengths: FrozenMap[str, int] = field(factory=FrozenMap, converter=_counts)
    completions: FrozenMap[str, int] = field(factory=FrozenMap, converter=_counts)

    @completions.validator
    def _check(self, _attribute: object, _value: object) -> None:
        problems = _stats_problems(self, "$")
        if problems:
            raise _payload_error("CohortStats", problems)

    @classmethod
    def empty(cls) -> CohortStats:
        """The identity of :meth:`merge`: no learners."""
        return _EMPTY_STATS

    def add(self, session: ProfilerSession | None, result: ProfilerResult | None = None) -> CohortStats:
        """A new value with one more learner.

        Pass the learner's latest *completed* session and its result row (if
        there is one). ``None``, or a session that is not completed, adds a
        learner who has not profiled. Use :class:`AnalyticsAccumulator` for
        many learners.
        """
        accumulator = _Acc()
        accumulator.add_fields(learner_row(session, result), 0, {})
        return CohortStats.merge_all((self, accumulator.freeze()))

    def merge(self, other: CohortStats) -> CohortStats:
        """The statistics of both populations (which must not share a learner)."""
        return CohortStats.merge_all((self, other))

    @classmethod
    def merge_all(cls, stats: Iterable[CohortStats]) -> CohortStats:
        """The merge of every value in *stats*, column by column (the enterprise rollup's hot path)."""
        items = [s for s in stats if s.total]
        if len(items) < 2:
            return items[0] if items else _EMPTY_STATS
        counts: dict[str, dict[str, int]] = {
            "tracks": {},
            "difficulty": {},
            "strengths": {},
            "completions": {},
        }
        for item in items:
            for name, target in counts.items():
                for key, count in getattr(item, name).items():
                    target[key] = target.get(key, 0) + count
        return CohortStats(
            total=sum(s.total for s in items),
            profiled=sum(s.profiled for s in items),
            aptitude=ScoreSketch.merge_all(s.aptitude for s in items),
            technical_exposure=ScoreSketch.merge_all(s.technical_exposure for s in items),
            overall=ScoreSketch.merge_all(s.overall for s in items),
            tracks=counts["tracks"],
            difficulty=counts["difficulty"],
            strengths=counts["strengths"],
            completions=dict(sorted(counts["completions"].items())),
        )

    @property
    def not_profiled(self) -> int:
        """Learners in the population without a completed session."""
        return self.total - self.profiled

    @property
    def profiled_pct(self) -> float | None:
        """``profiled / total`` as a percentage (0..100); ``None`` for an empty population."""
        return None if not self.total else self.profiled * 100 / self.total

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data that :meth:`from_dict` turns back into an equal value."""
        return {
            "total": self.total,
            "profiled": self.profiled,
            **{kind: getattr(self, kind).to_dict() for kind in _SCORE_KINDS},
            "tracks": dict(self.tracks),
            "difficulty": dict(self.difficulty),
            "strengths": dict(self.strengths),
            "completions": dict(self.completions),
        }

    @classmethod
    def from_dict(cls, data: object) -> CohortStats:
        """Rebuild statistics from :meth:`to_dict` output.

        Raises:
            InvalidPayloadError: listing every problem with its path.
        """
        return _stats_from_dict(data, "$")


def _stats_problems(stats: CohortStats, path: str) -> list[Problem]:
    problems: list[Problem] = []
    if not _is_count(stats.total) or not _is_count(stats.profiled) or stats.profiled > stats.total:
        problems.append(Problem(path=f"{path}.profiled", message="must satisfy 0 <= profiled <= total"))
        return problems
    for kind in _SCORE_KINDS:
        if getattr(stats, kind).count > stats.profiled:
            problems.append(Problem(path=f"{path}.{kind}.count", message="must not exceed profiled"))
    for name, allowed in (("tracks", _TRACK_KEYS), ("difficulty", _DIFFICULTY_KEYS)):
        counts: FrozenMap[str, int] = getattr(stats, name)
        unknown = sorted(set(counts) - set(allowed))
        if unknown:
            problems.append(Problem(path=f"{path}.{name}", message=f"unknown keys {unknown}"))
        if not all(_is_count(c) for c in counts.values()) or sum(counts.values()) != stats.profiled:
            problems.append(Problem(path=f"{path}.{name}", message="counts must add up to profiled"))
    if not all(_is_count(c) and c <= stats.profiled for c in stats.strengths.values()) or not all(
        stats.strengths
    ):
        problems.append(
            Problem(path=f"{path}.strengths", message="counts must be 0..profiled, labels non-empty")
        )
    if not all(_MONTH.match(k) for k in stats.completions):
        problems.append(Problem(path=f"{path}.completions", message="keys must be YYYY-MM months"))
    if not all(_is_count(c) for c in stats.completions.values()) or (
        sum(stats.completions.values()) > stats.profiled
    ):
        problems.append(Problem(path=f"{path}.completions", message="counts must add up to at most profiled"))
    return problems


def _count_map(data: Mapping[str, object], key: str, path: str, problems: list[Problem]) -> dict[str, int]:
    raw = data.get(key, {})
    counts: dict[str, int] = {}
    if isinstance(raw, Mapping):
        for name, value in raw.items():
            if (
                not isinstance(name, str)
                or isinstance(value, bool)
                or not isinstance(value, int)
                or value < 0
            ):
                break
            counts[name] = value
        else:
            return counts
    problems.append(Problem(path=f"{path}.{key}", message="must be an object of counts >= 0"))
    return {}


def _stats_from_dict(data: object, path: str) -> CohortStats:
    if not isinstance(data, Mapping):
        raise _payload_error("CohortStats", [Problem(path=path, message="must be an object")])
    problems: list[Problem] = []
    total = _int_field(data, "total", path, problems)
    profiled = _int_field(data, "profiled", path, problems)
    sketches: dict[str, ScoreSketch] = {}
    for kind in _SCORE_KINDS:
        try:
            sketches[kind] = _sketch_from_dict(data.get(kind), f"{path}.{kind}")
        except InvalidPayloadError as exc:
            problems += exc.problems
    maps = {
        key: _count_map(data, key, path, problems)
        for key in ("tracks", "difficulty", "strengths", "completions")
    }
    if problems:
        raise _payload_error("CohortStats", problems)
    try:
        return CohortStats(
            total=total,
            profiled=profiled,
            aptitude=sketches["aptitude"],
            technical_exposure=sketches["technical_exposure"],
            overall=sketches["overall"],
            tracks=maps["tracks"],
            difficulty=maps["difficulty"],
            strengths=maps["strengths"],
            completions=maps["completions"],
        )
    except InvalidPayloadError as exc:
        rebased = [Problem(path=path + p.path[1:], message=p.message) for p in exc.problems]
        raise _payload_error("CohortStats", rebased) from None


_EMPTY_STATS: Final = CohortStats()


# --- state: partial results keyed by membership -----------------------------------

Membership: TypeAlias = frozenset[CohortId]


def _memberships(values: Mapping[Membership, CohortStats] | None) -> FrozenMap[Membership, CohortStats]:
    if values is None:
        return FrozenMap()
    return FrozenMap({key: stats for key, stats in values.items() if stats.total})


@frozen(kw_only=True)
class AnalyticsPartial:
    """Statistics of a set of learners, keyed by *membership*: the cohorts each is counted in.

    Most learners are counted in one cohort, so most keys hold one cohort id.
    A learner counted in two cohorts is added once, under the two-cohort key:
    :meth:`stats_for` a cohort merges every key that contains it, and
    :meth:`rollup` for an enterprise merges every key that meets its cohorts,
    so each learner counts once in the rollup.

    A commutative monoid like :class:`CohortStats`. When learners are
    partitioned by learner id (each learner, with all their enrollments and
    sessions, in exactly one partition), merging the partitions' partials gives
    exactly the partial of all learners. That is how the computation runs on a
    distributed engine (see ``examples/dask_analytics``).
    """

    memberships: FrozenMap[Membership, CohortStats] = field(factory=FrozenMap, converter=_memberships)

    @classmethod
    def empty(cls) -> AnalyticsPartial:
        """The identity of :meth:`merge`: no learners."""
        return _EMPTY_PARTIAL

    def merge(self, other: AnalyticsPartial) -> AnalyticsPartial:
        """The partial of both sets of learners (which must be disjoint)."""
        return AnalyticsPartial.merge_all((self, other))

    @classmethod
    def merge_all(cls, partials: Iterable[AnalyticsPartial]) -> AnalyticsPartial:
        """The merge of every partial in *partials*."""
        grouped: dict[Membership, list[CohortStats]] = {}
        for partial in partials:
            for key, stats in partial.memberships.items():
                grouped.setdefault(key, []).append(stats)
        return AnalyticsPartial(
            memberships={
                key: items[0] if len(items) == 1 else CohortStats.merge_all(items)
                for key, items in grouped.items()
            }
        )

    @property
    def cohort_ids(self) -> frozenset[CohortId]:
        """Every cohort with at least one learner."""
        return frozenset(c for key in self.memberships for c in key)

    def stats_for(self, cohort_id: IdLike) -> CohortStats:
        """The statistics of one cohort (empty when it has no counted learner); any id form."""
        wanted = canonical_id(cohort_id, field="cohort_id")
        return CohortStats.merge_all(s for key, s in self.memberships.items() if wanted in key)

    def rollup(self, cohort_ids: Collection[IdLike]) -> CohortStats:
        """The statistics of the distinct learners counted in any of *cohort_ids* (any id form)."""
        wanted = frozenset(canonical_id(c, field="cohort_ids") for c in cohort_ids)
        return CohortStats.merge_all(s for key, s in self.memberships.items() if not key.isdisjoint(wanted))

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data, in a stable order: ``{"memberships": [{"cohorts", "stats"}]}``."""
        entries = sorted(self.memberships.items(), key=lambda item: sorted(item[0]))
        return {"memberships": [{"cohorts": sorted(key), "stats": stats.to_dict()} for key, stats in entries]}

    @classmethod
    def from_dict(cls, data: object) -> AnalyticsPartial:
        """Rebuild a partial from :meth:`to_dict` output.

        Raises:
            InvalidPayloadError: listing every problem with its path.
        """
        entries = data.get("memberships") if isinstance(data, Mapping) else None
        if not isinstance(entries, list):
            raise _payload_error(
                "AnalyticsPartial", [Problem(path="$.memberships", message="must be a list")]
            )
        problems: list[Problem] = []
        found: dict[Membership, CohortStats] = {}
        for index, entry in enumerate(entries):
            path = f"$.memberships[{index}]"
            cohorts = entry.get("cohorts") if isinstance(entry, Mapping) else None
            if (
                not isinstance(cohorts, list)
                or not cohorts
                or not all(isinstance(c, str) and c for c in cohorts)
            ):
                problems.append(
                    Problem(path=f"{path}.cohorts", message="must be a non-empty list of cohort ids")
                )
                continue
            key = frozenset(CohortId(c) for c in cohorts)
            if key in found:
                problems.append(Problem(path=f"{path}.cohorts", message="duplicates an earlier membership"))
                continue
            try:
                found[key] = _stats_from_dict(entry.get("stats"), f"{path}.stats")
            except InvalidPayloadError as exc:
                problems += exc.problems
        if problems:
            raise _payload_error("AnalyticsPartial", problems)
        return AnalyticsPartial(memberships=found)


_EMPTY_PARTIAL: Final = AnalyticsPartial()


# --- accumulation -----------------------------------------------------------------

#: The fields of a learner row, in tuple order (dict rows use these keys).
ROW_FIELDS: Final = (
    "user_id",
    "cohort_id",
    "enrollment_status",
    "session_status",
    "completed_at",
    "difficulty_selection",
    "recommended_track",
    "aptitude_score",
    "technical_exposure_score",
    "overall_score",
    "strengths",
)

_WIDTH: Final = len(ROW_FIELDS)
#: The row fields of the three score slots, for error paths.
_SCORE_FIELDS = ("aptitude_score", "technical_exposure_score", "overall_score")
_DONE: Final = frozenset(s.value for s in COMPLETED_STATUSES)
_SESSION_STATUSES: Final = frozenset(s.value for s in SessionStatus)
_ENROLLMENT_STATUSES: Final = frozenset(s.value for s in EnrollmentStatus)
_ABSENT = object()


class _Acc:
    """Mutable statistics of one membership while rows stream in (never escapes this module)."""

    __slots__ = ("bins", "difficulty", "months", "profiled", "scores", "strengths", "total", "tracks")

    def __init__(self) -> None:
        self.total = 0
        self.profiled = 0
        # Per score kind: [count, sum, sum of squares, min, max] in micro-points.
        self.scores = [[0, 0, 0, _MAX_MICRO + 1, -1] for _ in _SCORE_KINDS]
        self.bins = [[0] * BIN_COUNT for _ in _SCORE_KINDS]
        self.tracks: dict[str, int] = {}
        self.difficulty: dict[str, int] = {}
        self.strengths: dict[str, int] = {}
        self.months: dict[int, int] = {}

    def add_fields(  # noqa: PLR0915 - the hot path is unrolled on purpose (see docstring)
        self, fields: Sequence[object], index: int, labels: dict[object, str]
    ) -> None:
        """Add one learner from a :data:`ROW_FIELDS` tuple (membership already resolved).

        This runs once per learner of a million-row export, so the common
        spellings (float scores, UTC datetimes, canonical keys) take an inlined
        path and everything else goes through the validating parsers.
        *labels* caches strength normalisation for the caller's stream.
        """
        (
            _user,
            _cohort,
            _enrollment,
            status,
            completed,
            selection,
            track,
            aptitude,
            technical,
            overall,
            named,
        ) = fields
        if status not in _DONE:
            if status is not None and status not in _SESSION_STATUSES:
                raise _bad(index, "session_status", f"unknown session status {status!r}")
            self.total += 1
            return
        # Parse every field before touching the state: a bad row raises and leaves the
        # statistics exactly as they were, so a caller that reports it can carry on.
        micros = [
            None
            if score is None
            else int(score * 1_000_000 + 0.5)
            if type(score) is float and 0.0 <= score <= 100.0
            else _score(score, f"$[{index}].{_SCORE_FIELDS[slot]}")
            for slot, score in enumerate((aptitude, technical, overall))
        ]
        track_key = _TRACK_KEY.get(track) if track is None or type(track) is str else None
        if track_key is None:
            track_key = _track_key(track, index)
        selection_key = _SELECTION_KEY.get(selection) if selection is None or type(selection) is str else None
        if selection_key is None:
            selection_key = _selection_key(selection, index)
        found: Iterable[str] = ()
        if named:
            if type(named) is tuple or type(named) is list:
                try:
                    # Known spellings straight from the cache; a learner counts once per label.
                    found = {labels[item] for item in named}
                except (KeyError, TypeError):
                    found = ()
            if not found:
                found = _strength_labels(named, index, labels)
        month = -1
        if completed is not None:
            if type(completed) is datetime and completed.tzinfo is UTC:
                month = completed.year * 12 + completed.month - 1
            else:
                month = _month_index(completed, index)
        self.total += 1
        self.profiled += 1
        scores, bins = self.scores, self.bins
        for slot, micro in enumerate(micros):
            if micro is None:
                continue
            state = scores[slot]
            state[0] += 1
            state[1] += micro
            state[2] += micro * micro
            if micro < state[3]:  # noqa: PLR1730 - a compare is cheaper than min() here
                state[3] = micro
            if micro > state[4]:  # noqa: PLR1730
                state[4] = micro
            bins[slot][micro // 1_000_000] += 1
        tracks = self.tracks
        tracks[track_key] = tracks.get(track_key, 0) + 1
        difficulty = self.difficulty
        difficulty[selection_key] = difficulty.get(selection_key, 0) + 1
        strengths = self.strengths
        for label in found:
            if label:
                strengths[label] = strengths.get(label, 0) + 1
        if month >= 0:
            months = self.months
            months[month] = months.get(month, 0) + 1

    def freeze(self) -> CohortStats:
        """The frozen value of what was added."""
        if not self.total:
            return _EMPTY_STATS
        sketches = [_freeze_sketch(s, b) for s, b in zip(self.scores, self.bins, strict=True)]
        return CohortStats(
            total=self.total,
            profiled=self.profiled,
            aptitude=sketches[0],
            technical_exposure=sketches[1],
            overall=sketches[2],
            tracks=self.tracks,
            difficulty=self.difficulty,
            strengths=self.strengths,
            completions={_month_label(m): c for m, c in sorted(self.months.items())},
        )


def _bad(index: int, name: str, message: str) -> InvalidPayloadError:
    return _payload_error("analytics row", [Problem(path=f"$[{index}].{name}", message=message)])


# Read-only lookups for the common spellings; anything else is parsed (and validated).
_TRACK_KEY: Final[Mapping[object, str]] = MappingProxyType(
    {None: "none", "": "none", **{t.value: t.value for t in TrackKey}}
)
_SELECTION_KEY: Final[Mapping[object, str]] = MappingProxyType(
    {None: "not_selected", "": "not_selected", **{d.value: d.value for d in DifficultySelection}}
)


def _track_key(value: object, index: int) -> str:
    if not isinstance(value, str):
        raise _bad(index, "recommended_track", f"must be a track key, got {type(value).__name__}")
    if not value.strip():
        return "none"
    try:
        return parse_track(value).value
    except UnknownValueError as exc:
        raise _bad(index, "recommended_track", exc.detail) from None


def _selection_key(value: object, index: int) -> str:
    if not isinstance(value, str):
        raise _bad(index, "difficulty_selection", f"must be a selection, got {type(value).__name__}")
    try:
        parsed = parse_difficulty_selection(value)
    except UnknownValueError as exc:
        raise _bad(index, "difficulty_selection", exc.detail) from None
    return "not_selected" if parsed is None else parsed.value


def _normalise_strength(label: str) -> str:
    return " ".join(label.split()).lower()


def _strength_labels(value: object, index: int, cache: dict[object, str]) -> Iterable[str]:
    """The distinct normalised labels of a strengths list (*cache* maps raw to normalised)."""
    if type(value) is not tuple and type(value) is not list:
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise _bad(index, "strengths", "must be a list of strings")
        value = list(value)
    labels: set[str] = set()
    for item in value:
        if not isinstance(item, str):
            raise _bad(index, "strengths", "must be a list of strings")
        label = cache.get(item)
        if label is None:
            label = cache[item] = _normalise_strength(item)
        labels.add(label)
    return labels


def _month_index(value: object, index: int) -> int:
    if type(value) is not datetime or value.tzinfo is not UTC:
        try:
            stamp = parse_timestamp(value)
        except ValueError as exc:
            raise _bad(index, "completed_at", str(exc)) from None
        value = stamp.astimezone(UTC)
    return value.year * 12 + value.month - 1


class AnalyticsAccumulator:
    """Streams learner rows into an :class:`AnalyticsPartial`, without a value object per row.

    A row is a tuple in :data:`ROW_FIELDS` order, or a mapping with those keys:
    one enrollment of one learner (``user_id``, ``cohort_id``,
    ``enrollment_status``) with that learner's latest completed session
    (``session_status`` ... ``strengths``; ``None`` when there is none), the
    session's result's ``overall_score``, and the union of the session's and
    the result's ``strengths``. Timestamps may be aware ``datetime`` values or
    ISO 8601 strings; scores floats, ints, ``Decimal`` or numeric strings.

    **Rows of one learner must be consecutive** (``ORDER BY user_id``): the
    accumulator gathers a learner's counted cohorts into one membership and
    adds the learner once, in constant memory. Enrollments whose status the
    policy does not count are skipped; a learner with none is not in any
    population.

    A bad row raises :class:`~profiler_core.errors.InvalidPayloadError` naming
    its index (``$[17].aptitude_score: must be 0..100``); nothing is skipped
    silently.

    >>> acc = AnalyticsAccumulator()
    >>> acc.add_rows(
    ...     [
    ...         (
    ...             "u-1",
    ...             "c-1",
    ...             "active",
    ...             "finished",
    ...             "2026-03-02T10:00:00Z",
    ...             "novice",
    ...             "grc",
    ...             55.0,
    ...             20.0,
    ...             0.0,
    ...             ["web"],
    ...         ),
    ...         ("u-2", "c-1", "active", None, None, None, None, None, None, None, ()),
    ...     ]
    ... )
    >>> stats = acc.partial().stats_for(CohortId("c-1"))
    >>> stats.total, stats.profiled, stats.overall.count
    (2, 1, 1)
    """

    def __init__(self, policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY) -> None:
        self.policy = policy
        #: How many rows (and learners added with :meth:`add_learner`) were seen.
        self.rows_seen = 0
        self._counted = frozenset(s.value for s in policy.counted_statuses)
        self._accs: dict[object, _Acc] = {}
        self._labels: dict[object, str] = {}
        self._user: object = _ABSENT
        self._key: object = None
        self._fields: Sequence[object] = ()
        self._index = 0

    def add_row(self, row: Sequence[object] | Mapping[str, object]) -> None:
        """Add one row (see the class docstring for its shape)."""
        self.add_rows((row,))

    def add_rows(self, rows: Iterable[Sequence[object] | Mapping[str, object]]) -> None:
        """Add many rows: the hot path (no value object per row, constant memory per cohort).

        Raises:
            InvalidPayloadError: a row breaks the contract; its index is in the path.
        """
        # State lives in locals for the loop (attribute access costs on a million rows)
        # and is written back however the loop ends.
        counted, accs, labels = self._counted, self._accs, self._labels
        user, key, pending, first = self._user, self._key, self._fields, self._index
        index = self.rows_seen
        try:
            for row in rows:
                fields = row if type(row) is tuple and len(row) == _WIDTH else _row_tuple(row, index)
                if fields[0] != user:
                    if key is not None:
                        done, key = key, None
                        acc = accs.get(done)
                        if acc is None:
                            acc = accs[done] = _Acc()
                        acc.add_fields(pending, first, labels)
                    user, pending, first = fields[0], fields, index
                status = fields[2]
                if status in counted:
                    cohort = fields[1]
                    if type(cohort) is not str or not cohort:
                        cohort = _cohort_id(cohort, index)
                    if key is None:
                        key = cohort
                    elif type(key) is frozenset:
                        key = key | {cohort}
                    elif key != cohort:
                        key = frozenset((key, cohort))
                elif status not in _ENROLLMENT_STATUSES:
                    raise _bad(index, "enrollment_status", f"unknown enrollment status {status!r}")
                index += 1
        finally:
            self._user, self._key, self._fields, self._index = user, key, pending, first
            self.rows_seen = index

    def add_learner(
        self,
        cohort_ids: Collection[CohortId],
        session: ProfilerSession | None,
        result: ProfilerResult | None = None,
    ) -> None:
        """Add one learner counted in *cohort_ids*, with their latest completed session and its result.

        Statuses are not checked here: pass only the cohorts where the learner's
        enrollment counts (:func:`partial_from_values` does).
        """
        self._flush()
        self._user = _ABSENT
        if cohort_ids:
            key: object = next(iter(cohort_ids)) if len(cohort_ids) == 1 else frozenset(cohort_ids)
            self._accumulate(key, learner_row(session, result), self.rows_seen)
        self.rows_seen += 1

    def partial(self) -> AnalyticsPartial:
        """Everything added so far, as a frozen :class:`AnalyticsPartial` (the accumulator stays usable)."""
        self._flush()
        self._user = _ABSENT
        memberships: dict[Membership, CohortStats] = {}
        for key, acc in self._accs.items():
            ids = key if isinstance(key, frozenset) else (key,)
            memberships[frozenset(CohortId(str(c)) for c in ids)] = acc.freeze()
        return AnalyticsPartial(memberships=memberships)

    def _flush(self) -> None:
        key = self._key
        if key is not None:
            self._key = None
            self._accumulate(key, self._fields, self._index)

    def _accumulate(self, key: object, fields: Sequence[object], index: int) -> None:
        acc = self._accs.get(key)
        if acc is None:
            acc = self._accs[key] = _Acc()
        acc.add_fields(fields, index, self._labels)


def _cohort_id(value: object, index: int) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value:
        return value
    raise _bad(index, "cohort_id", "must be a non-empty id")


def _row_tuple(row: object, index: int) -> tuple[object, ...]:
    if isinstance(row, Mapping):
        return tuple(map(row.get, ROW_FIELDS))
    if isinstance(row, Sequence) and not isinstance(row, str) and len(row) == len(ROW_FIELDS):
        return tuple(row)
    raise _payload_error(
        "analytics row",
        [Problem(path=f"$[{index}]", message=f"must be a mapping or a {len(ROW_FIELDS)}-item sequence")],
    )


def learner_row(session: ProfilerSession | None, result: ProfilerResult | None = None) -> tuple[object, ...]:
    """The session fields of a learner row (:data:`ROW_FIELDS`) for a session and its result.

    ``user_id``, ``cohort_id`` and ``enrollment_status`` are left ``None``.
    The aptitude score is the session's (the result's when the session has
    none); the overall score is the result's; strengths are the union of both.
    A session that is not completed gives a learner who has not profiled.
    """
    if session is None or not session.is_completed:
        return (None,) * len(ROW_FIELDS)
    aptitude = session.aptitude_score
    if aptitude is None and result is not None:
        aptitude = result.aptitude_score
    strengths = (*session.strengths, *(result.strengths if result is not None else ()))
    return (
        None,
        None,
        None,
        session.status.value,
        session.completed_at,
        session.difficulty_selection.value if session.difficulty_selection else None,
        session.recommended_track.value if session.recommended_track else None,
        aptitude,
        session.technical_exposure_score,
        result.overall_score if result is not None else None,
        strengths,
    )


def partial_from_values(
    *,
    enrollments: Iterable[Enrollment],
    sessions: Iterable[ProfilerSession],
    results: Iterable[ProfilerResult] | Mapping[SessionId, ProfilerResult] = (),
    policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY,
) -> AnalyticsPartial:
    """The partial of every learner with a counted enrollment, from library values.

    Each learner is counted once per cohort (duplicate enrollments collapse),
    contributes their latest completed session only (retakes count once; see
    :func:`~profiler_core.mapping.latest_completed_session`), with that
    session's result row when there is one.

    Args:
        enrollments: enrollments of the cohorts of interest (any status).
        sessions: the learners' sessions (any status; the latest completed one counts).
        results: result rows, as values or keyed by session id (``str``, ``int`` or
            ``UUID`` keys; canonicalised).
        policy: which enrollment statuses count.
    """
    counted = policy.counted_statuses
    cohorts_of: dict[UserId, set[CohortId]] = {}
    for enrollment in enrollments:
        if enrollment.status in counted:
            cohorts_of.setdefault(enrollment.user_id, set()).add(enrollment.cohort_id)
    by_user: dict[UserId, list[ProfilerSession]] = {}
    for session in sessions:
        if session.user_id in cohorts_of:
            by_user.setdefault(session.user_id, []).append(session)
    by_session = (
        _canonical_keys(results, field="results")
        if isinstance(results, Mapping)
        else {r.session_id: r for r in results if r.session_id is not None}
    )
    accumulator = AnalyticsAccumulator(policy)
    for user in sorted(cohorts_of):
        latest = latest_completed_session(by_user.get(user, ()))
        result = by_session.get(latest.id) if latest is not None else None
        accumulator.add_learner(cohorts_of[user], latest, result)
    return accumulator.partial()


# --- report values ------------------------------------------------------------------


class ReadinessBand(enum.StrEnum):
    """Readiness on the overall score: novice < 40 <= beginner < 60 <= intermediate < 80 <= advanced."""

    NOVICE = "novice"
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def bounds(self) -> tuple[int, int]:
        """The band's ``[low, high)`` bin range (advanced includes 100)."""
        return _BAND_BOUNDS[self]

    @property
    def label(self) -> str:
        """The display label, e.g. ``"Beginner (40-<60)"``."""
        return _BAND_LABELS[self]


_BAND_BOUNDS: Final = {
    ReadinessBand.NOVICE: (0, 40),
    ReadinessBand.BEGINNER: (40, 60),
    ReadinessBand.INTERMEDIATE: (60, 80),
    ReadinessBand.ADVANCED: (80, BIN_COUNT),
}
_BAND_LABELS: Final = {
    ReadinessBand.NOVICE: "Novice (<40)",
    ReadinessBand.BEGINNER: "Beginner (40-<60)",
    ReadinessBand.INTERMEDIATE: "Intermediate (60-<80)",
    ReadinessBand.ADVANCED: "Advanced (>=80)",
}


def readiness_band(overall_score: float) -> ReadinessBand:
    """The readiness band of an overall score (0 is a score: novice).

    Raises:
        InvalidPayloadError: the score is not a number in 0..100.

    >>> [readiness_band(s).value for s in (0, 39.99, 40, 79.5, 80, 100)]
    ['novice', 'novice', 'beginner', 'intermediate', 'advanced', 'advanced']
    """
    point = _score(overall_score, "$.overall_score") // SCORE_SCALE
    return next(band for band in ReadinessBand if point < band.bounds[1])


@frozen
class Suppressed:
    """A published figure withheld by small-cohort protection (JSON ``{"suppressed": true}``).

    Never a number, never 0: a dashboard shows it as "fewer than k or
    withheld to protect another cell". Use the :data:`SUPPRESSED` instance.
    """

    def to_dict(self) -> dict[str, object]:
        """``{"suppressed": true}`` (``unstructure`` writes the same)."""
        return {"suppressed": True}

    @classmethod
    def from_dict(cls, data: object) -> Suppressed:
        """Read the marker back: ``{"suppressed": true}`` is :data:`SUPPRESSED`.

        Raises:
            InvalidPayloadError: *data* is not an object whose ``suppressed`` is ``true``.
        """
        if isinstance(data, Mapping) and data.get("suppressed") is True:
            return SUPPRESSED
        raise _payload_error("Suppressed", [Problem(path="$", message='must be {"suppressed": true}')])

    def __repr__(self) -> str:
        return "SUPPRESSED"


#: The one :class:`Suppressed` value.
SUPPRESSED: Final = Suppressed()

#: A published count: a number of learners, or :data:`SUPPRESSED`.
Count: TypeAlias = int | Suppressed


def _count_json(value: Count) -> object:
    return value.to_dict() if isinstance(value, Suppressed) else value


@frozen(kw_only=True)
class Bucket:
    """One bar of a distribution: a key, a display label and a count."""

    key: str
    label: str
    count: Count

    def to_dict(self) -> dict[str, object]:
        """``{"key", "label", "count"}``; a suppressed count is ``{"suppressed": true}``."""
        return {"key": self.key, "label": self.label, "count": _count_json(self.count)}


@frozen(kw_only=True)
class ScoreSummary:
    """Published statistics of one score over at least k learners.

    ``missing`` (profiled learners without that score) may itself be
    suppressed by complementary suppression; ``count`` never is in a report,
    because a block whose count is suppressed is suppressed whole (its mean
    times its count would give the count away). Figures are rounded
    to 2 decimals; the standard deviation is the population one (ddof 0);
    quartiles are estimated from one-point bins and lie within 1 point of the
    exact (linear-interpolation) quartiles.
    """

    count: Count
    missing: Count
    mean: float
    std: float
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float

    def to_dict(self) -> dict[str, object]:
        """``{"count", "missing", "mean", "std", "min", "q1", "median", "q3", "max"}``."""
        return {
            "count": _count_json(self.count),
            "missing": _count_json(self.missing),
            "mean": self.mean,
            "std": self.std,
            "min": self.minimum,
            "q1": self.q1,
            "median": self.median,
            "q3": self.q3,
            "max": self.maximum,
        }


#: A published statistics block: a summary, or :data:`SUPPRESSED` when it covers fewer than k learners.
ScoreBlock: TypeAlias = ScoreSummary | Suppressed


def _block_json(block: ScoreBlock) -> dict[str, object]:
    return block.to_dict()


def summarize_scores(sketch: ScoreSketch, *, missing: int = 0) -> ScoreSummary | None:
    """Mean, standard deviation, min, max and quartiles of a sketch (``None`` when empty).

    Unsuppressed: use it for internal figures; reports apply
    :class:`SuppressionPolicy` themselves. *missing* is copied into the
    summary (a sketch does not know who has no score). Mean, standard
    deviation (ddof 0), min and max are exact up to the :data:`SCORE_SCALE`
    quantum and rounded to 2 decimals; quartiles are within 1 point of the
    exact ones.

    >>> s = summarize_scores(ScoreSketch.of([0, 20, 40, 60, 80]))
    >>> (s.mean, s.std, s.minimum, s.maximum)
    (40.0, 28.28, 0.0, 80.0)
    """
    if not sketch.count:
        return None
    return _summary(sketch, sketch.count, missing)


def _summary(sketch: ScoreSketch, count: Count, missing: Count) -> ScoreSummary:
    n = sketch.count
    scale = n * SCORE_SCALE
    low = (sketch.minimum or 0) / SCORE_SCALE
    high = (sketch.maximum or 0) / SCORE_SCALE
    q1, median, q3 = _quartiles(sketch.bins, n, low, high)
    return ScoreSummary(
        count=count,
        missing=missing,
        mean=round(sketch.total / scale, 2),
        std=round(math.sqrt(n * sketch.total_sq - sketch.total * sketch.total) / scale, 2),
        minimum=round(low, 2),
        q1=round(q1, 2),
        median=round(median, 2),
        q3=round(q3, 2),
        maximum=round(high, 2),
    )


def _quartiles(bins: Sequence[int], n: int, low: float, high: float) -> tuple[float, float, float]:
    # Linear interpolation between order statistics (numpy's default). The j-th of
    # the c scores in bin b is placed at b + j/c, clamped to [min, max]: it stays in
    # the bin of the true value, so the error is below 1 point. It is exact for the
    # minimum and maximum (clamped) and for an integer score alone in its bin; a
    # non-integer score alone in its bin comes out at the bin's lower edge.
    ends = list(accumulate(bins))

    def order_statistic(rank: int) -> float:
        b = bisect_right(ends, rank)
        if b == BIN_COUNT - 1:
            return float(b)
        before = ends[b] - bins[b]
        return min(max(b + (rank - before) / bins[b], low), high)

    out = []
    for q in (0.25, 0.5, 0.75):
        position = (n - 1) * q
        below = math.floor(position)
        value = order_statistic(below)
        if position > below:
            value += (position - below) * (order_statistic(below + 1) - value)
        out.append(value)
    return out[0], out[1], out[2]


@frozen(kw_only=True)
class PopulationFigures:
    """Headline counts of a population.

    ``profiled_pct`` is ``None`` for an empty population and suppressed when
    either of its operands is.
    """

    total: Count
    profiled: Count
    not_profiled: Count
    profiled_pct: float | Suppressed | None

    def to_dict(self) -> dict[str, object]:
        """``{"total", "profiled", "not_profiled", "profiled_pct"}``."""
        pct = self.profiled_pct
        return {
            "total": _count_json(self.total),
            "profiled": _count_json(self.profiled),
            "not_profiled": _count_json(self.not_profiled),
            "profiled_pct": pct.to_dict() if isinstance(pct, Suppressed) else pct,
        }


def _buckets(values: Iterable[Bucket]) -> tuple[Bucket, ...]:
    return tuple(values)


def _bucket_list(buckets: Sequence[Bucket]) -> list[dict[str, object]]:
    return [b.to_dict() for b in buckets]


@frozen(kw_only=True)
class PopulationReport:
    """Every metric of SPEC §9 for one population, after suppression.

    Attributes:
        population: total, profiled, not profiled and profiled percentage.
        aptitude: aptitude statistics block.
        technical_exposure: technical-exposure statistics block.
        overall: overall-score statistics block.
        readiness: learners with an overall score per :class:`ReadinessBand`.
        tracks: profiled learners per recommended track (``none`` last).
        difficulty: profiled learners per difficulty selection (``not_selected`` last).
        top_strengths: the most named strengths with at least k learners, most first.
        completions: profiled learners per month of completion (UTC), then ``undated``.
    """

    population: PopulationFigures
    aptitude: ScoreBlock
    technical_exposure: ScoreBlock
    overall: ScoreBlock
    readiness: tuple[Bucket, ...] = field(converter=_buckets)
    tracks: tuple[Bucket, ...] = field(converter=_buckets)
    difficulty: tuple[Bucket, ...] = field(converter=_buckets)
    top_strengths: tuple[Bucket, ...] = field(converter=_buckets)
    completions: tuple[Bucket, ...] = field(converter=_buckets)

    def to_dict(self) -> dict[str, object]:
        """Chart-ready JSON: figures, ``scores`` blocks and bucket lists (see the reference page)."""
        return {
            "population": self.population.to_dict(),
            "scores": {
                "aptitude": _block_json(self.aptitude),
                "technical_exposure": _block_json(self.technical_exposure),
                "overall": _block_json(self.overall),
            },
            "readiness": _bucket_list(self.readiness),
            "tracks": _bucket_list(self.tracks),
            "difficulty": _bucket_list(self.difficulty),
            "top_strengths": _bucket_list(self.top_strengths),
            "completions": _bucket_list(self.completions),
        }


def _cohort_json(cohort: Cohort) -> dict[str, object]:
    return {
        "id": cohort.id,
        "name": cohort.name,
        "track": cohort.track.value if cohort.track else None,
        "enterprise_id": cohort.enterprise_id,
    }


@frozen(kw_only=True)
class CohortReport:
    """The cohort dashboard: every metric of one cohort, suppressed under *k*.

    Attributes:
        cohort: the cohort (its name is a label only; it is identified by id).
        body: the metrics.
        policy: the analytics policy used.
        suppression: the suppression policy used.
        k: the suppression threshold.
        suppressed_cells: how many published figures of this report are suppressed.
    """

    cohort: Cohort
    body: PopulationReport
    policy: PolicyRef
    suppression: PolicyRef
    k: int
    suppressed_cells: int

    def to_dict(self) -> dict[str, object]:
        """Chart-ready JSON (``kind: "cohort_report"``)."""
        return {
            "kind": "cohort_report",
            "cohort": _cohort_json(self.cohort),
            "policies": {"analytics": str(self.policy), "suppression": str(self.suppression)},
            "k": self.k,
            **self.body.to_dict(),
            "suppressed_cells": self.suppressed_cells,
        }


@frozen(kw_only=True)
class CohortBreakdown:
    """One cohort's row in an enterprise report, keyed by cohort id (the name is a label)."""

    cohort: Cohort
    population: PopulationFigures
    overall: ScoreBlock
    readiness: tuple[Bucket, ...] = field(converter=_buckets)

    def to_dict(self) -> dict[str, object]:
        """``{"label", "track", "population", "overall", "readiness"}``."""
        return {
            "label": self.cohort.name,
            "track": self.cohort.track.value if self.cohort.track else None,
            "population": self.population.to_dict(),
            "overall": _block_json(self.overall),
            "readiness": _bucket_list(self.readiness),
        }


def _breakdowns(values: Mapping[CohortId, CohortBreakdown] | None) -> FrozenMap[CohortId, CohortBreakdown]:
    return freeze(values)


@frozen(kw_only=True)
class EnterpriseReport:
    """The enterprise dashboard: the rollup of its cohorts and a breakdown per cohort.

    The rollup counts each learner once however many of the enterprise's
    cohorts they are in. Cohorts are keyed by id: two cohorts with the same
    name stay two rows.

    Attributes:
        enterprise_id: the sponsoring organisation.
        rollup: every metric over the enterprise's distinct learners.
        cohorts: one :class:`CohortBreakdown` per cohort, keyed by id.
        policy: the analytics policy used.
        suppression: the suppression policy used.
        k: the suppression threshold.
        suppressed_cells: how many published figures of this report are suppressed.
    """

    enterprise_id: OrgId = field(converter=_to_id, validator=_valid_id)
    rollup: PopulationReport
    cohorts: FrozenMap[CohortId, CohortBreakdown] = field(converter=_breakdowns)
    policy: PolicyRef
    suppression: PolicyRef
    k: int
    suppressed_cells: int

    def to_dict(self) -> dict[str, object]:
        """Chart-ready JSON (``kind: "enterprise_report"``)."""
        return {
            "kind": "enterprise_report",
            "enterprise_id": self.enterprise_id,
            "cohort_count": len(self.cohorts),
            "policies": {"analytics": str(self.policy), "suppression": str(self.suppression)},
            "k": self.k,
            "rollup": self.rollup.to_dict(),
            "cohorts": {cid: row.to_dict() for cid, row in self.cohorts.items()},
            "suppressed_cells": self.suppressed_cells,
        }


# --- suppression ------------------------------------------------------------------
#
# Every count a report can publish is a *cell* of a row (a cohort, or the
# enterprise rollup). Within a row, cells are tied by sum relations (a tree:
# total = profiled + not_profiled, profiled = sum of track buckets, ...).
# Across rows, the rollup cell of a kind is the sum of the cohorts' cells
# (exactly so when no learner is in two cohorts; treating it as exact is the
# cautious side). Suppression runs in two phases:
#
# 1. per row: cells of 1..k-1 learners are suppressed (primary), then, while a
#    relation holds exactly one suppressed cell, a complement is added: the
#    positive cell of that relation with the fewest dependent relations, then
#    the smallest. Each relation then holds 0 or >= 2 suppressed cells, all
#    positive, which on a tree means every suppressed cell can move by +-1
#    (compensated inside the pattern) without changing a published cell.
# 2. across rows: each cohort's own pattern is copied onto a partner cohort that
#    is positive on it (the cheapest), or onto the rollup when none is; each
#    rollup primary gets the pattern of a cohort that holds it. A move in one
#    row is then compensated by the opposite move in the partner (or the same
#    move in the rollup), so every column sum is preserved too.
#
# Statistics blocks and strengths are cells without relations: a block over
# 1..k-1 learners (a strength named by 1..k-1 learners) is paired the same way.


_READINESS_KINDS: Final = tuple(f"readiness.{band.value}" for band in ReadinessBand)
_TRACK_KINDS: Final = tuple(f"track.{key}" for key in _TRACK_KEYS)
_TRACK_LABELS: Final = MappingProxyType(
    {**{key: key.title() for key in _TRACK_KEYS}, "grc": "GRC", "none": "No track"}
)
_DIFFICULTY_KINDS: Final = tuple(f"difficulty.{key}" for key in _DIFFICULTY_KEYS)
_SCORE_CELLS: Final = tuple(
    (kind, f"{kind}.count", f"{kind}.missing", f"block.{kind}") for kind in _SCORE_KINDS
)
_READINESS_CELLS: Final = tuple(
    (kind, band.bounds[1]) for band, kind in zip(ReadinessBand, _READINESS_KINDS, strict=True)
)


class _Row:
    """One row of the suppression universe (mutable while suppression runs)."""

    __slots__ = ("key", "own", "parts", "positive", "stats", "suppressed", "values")

    def __init__(self, key: str, stats: CohortStats, values: dict[str, int]) -> None:
        self.key = key
        self.stats = stats
        self.values = values
        #: The cells holding at least one learner (values never change once built).
        self.positive = frozenset(cell for cell, value in values.items() if value > 0)
        #: The row's own pattern (phase 1) and its independent parts.
        self.own: frozenset[str] = frozenset()
        self.parts: list[frozenset[str]] = []
        self.suppressed: set[str] = set()


class _Layout:
    """The relations between a row's cells, for one universe (its months vary)."""

    __slots__ = ("child_of", "cost", "months", "of_kind", "relations", "zero_kinds")

    def __init__(self, months: Sequence[str]) -> None:
        self.months = tuple(months)
        month_kinds = (*(f"month.{m}" for m in self.months), "month.undated")
        #: The cells that are 0 unless the statistics say otherwise.
        self.zero_kinds = (*_READINESS_KINDS, *_TRACK_KINDS, *_DIFFICULTY_KINDS, *month_kinds)
        relations: list[tuple[str, ...]] = [("total", "profiled", "not_profiled")]
        relations += [("profiled", f"{kind}.count", f"{kind}.missing") for kind in _SCORE_KINDS]
        relations += [
            ("overall.count", *_READINESS_KINDS),
            ("profiled", *_TRACK_KINDS),
            ("profiled", *_DIFFICULTY_KINDS),
            ("profiled", *month_kinds),
        ]
        # Each relation is (parent, *children): parent = sum(children).
        self.relations = relations
        self.of_kind: dict[str, list[int]] = {}
        #: How many sums a cell is the total of (0 for a leaf).
        self.cost: dict[str, int] = {}
        #: The sum a cell is a term of.
        self.child_of: dict[str, int] = {}
        for index, cells in enumerate(relations):
            self.cost[cells[0]] = self.cost.get(cells[0], 0) + 1
            for cell in cells:
                self.of_kind.setdefault(cell, []).append(index)
            for cell in cells[1:]:
                self.child_of[cell] = index

    def cells(self, stats: CohortStats) -> dict[str, int]:
        """Every cell of a row whose statistics are *stats* (runs once per cohort: keys are precomputed)."""
        total, profiled = stats.total, stats.profiled
        values = dict.fromkeys(self.zero_kinds, 0)
        values["total"], values["profiled"], values["not_profiled"] = total, profiled, total - profiled
        for kind, count_kind, missing_kind, block_kind in _SCORE_CELLS:
            count = getattr(stats, kind).count
            values[count_kind], values[missing_kind], values[block_kind] = count, profiled - count, count
        ends = list(accumulate(stats.overall.bins))
        previous = 0
        for kind, high in _READINESS_CELLS:
            values[kind] = ends[high - 1] - previous
            previous = ends[high - 1]
        for key, count in stats.tracks.items():
            values["track." + key] = count
        for key, count in stats.difficulty.items():
            values["difficulty." + key] = count
        dated = 0
        for month, count in stats.completions.items():
            values["month." + month] = count
            dated += count
        values["month.undated"] = profiled - dated
        for label, count in stats.strengths.items():
            values["strength." + label] = count
        return values

    def protect(self, values: Mapping[str, int], k: int) -> set[str]:
        """Phase 1 for one row: primary suppression, then complements until every relation is safe."""
        suppressed = {cell for cell, value in values.items() if 0 < value < k}
        queue = deque(sorted({r for cell in suppressed for r in self.of_kind.get(cell, ())}))
        while queue:
            cells = self.relations[queue.popleft()]
            hidden = [cell for cell in cells if cell in suppressed]
            if len(hidden) != 1:
                continue
            # One hidden cell in a sum is given away by the others: hide the positive
            # cell with the fewest dependent relations, then the smallest, then by name.
            complement = min(
                (cell for cell in cells if cell not in suppressed),
                key=lambda cell: (values[cell] == 0, self.cost.get(cell, 0), values[cell], cell),
            )
            suppressed.add(complement)
            queue.extend(self.of_kind[complement])
        return suppressed

    def parts(self, suppressed: set[str]) -> list[frozenset[str]]:
        """Split a pattern into the parts linked by shared relations (each is safe on its own)."""
        if not suppressed:
            return []
        parent = {cell: cell for cell in suppressed}

        def find(cell: str) -> str:
            while parent[cell] != cell:
                parent[cell] = parent[parent[cell]]
                cell = parent[cell]
            return cell

        for cells in self.relations:
            hidden = [cell for cell in cells if cell in parent]
            for cell in hidden[1:]:
                parent[find(cell)] = find(hidden[0])
        groups: dict[str, set[str]] = {}
        for cell in suppressed:
            groups.setdefault(find(cell), set()).add(cell)
        return sorted((frozenset(g) for g in groups.values()), key=sorted)


def _months_between(stats: Iterable[CohortStats]) -> list[str]:
    indexes = [int(m[:4]) * 12 + int(m[5:]) - 1 for s in stats for m in s.completions]
    if not indexes:
        return []
    return [_month_label(i) for i in range(min(indexes), max(indexes) + 1)]


def _import_cost(row: _Row, cells: Iterable[str]) -> int:
    return sum(row.values.get(cell, 0) for cell in cells if cell not in row.suppressed)


def _moves(layout: _Layout, row: _Row, cell: str) -> list[frozenset[str]]:
    """The smallest sets of the row's own suppressed cells that can move together and contain *cell*.

    Two suppressed leaf buckets of one sum (its total published) move by +1/-1
    on their own; any other cell moves with its whole part (phase 1 made each
    part safe).
    """
    own = row.own
    relation = layout.child_of.get(cell)
    if relation is not None and not layout.cost.get(cell):
        parent, *children = layout.relations[relation]
        if parent not in own:
            pairs = [
                frozenset((cell, other))
                for other in children
                if other != cell and other in own and not layout.cost.get(other)
            ]
            if pairs:
                return pairs
    return [next(part for part in row.parts if cell in part)]


def _cover(rows: Sequence[_Row], rollup: _Row, layout: _Layout, k: int) -> None:
    """Phase 2: give every suppressed cell of every row a partner, so no column sum reveals it.

    For each cell of a cohort's own pattern, the cheapest (move, partner) is
    chosen: another cohort positive on the move's cells (hiding the fewest
    learners there), else the rollup. Then every rollup cell of 1..k-1 takes
    the cheapest move of a cohort that holds it.
    """
    for row in rows:
        covered: set[str] = set()
        for cell in sorted(row.own):
            if cell in covered:
                continue
            best: tuple[tuple[int, int, str], frozenset[str], _Row] | None = None
            for move in _moves(layout, row, cell):
                for other in rows:
                    if other is row or not move <= other.positive:
                        continue
                    values, hidden = other.values, other.suppressed
                    rank = (0, sum(values[c] for c in move if c not in hidden), other.key)
                    if best is None or rank < best[0]:
                        best = (rank, move, other)
                # No cohort can absorb the move: the rollup moves with it instead.
                rank = (1, _import_cost(rollup, move), "")
                if best is None or rank < best[0]:
                    best = (rank, move, rollup)
            assert best is not None  # _moves always returns at least one move
            _rank, move, partner = best
            partner.suppressed |= move
            covered |= move
    for cell in sorted(c for c, value in rollup.values.items() if 0 < value < k):
        if cell in rollup.suppressed:
            continue
        # 0 < rollup < k: every cohort holding the cell holds fewer than k, so the cell is
        # in that cohort's own pattern; the rollup moves with the cheapest such move.
        moves = [move for row in rows if cell in row.own for move in _moves(layout, row, cell)]
        rollup.suppressed |= min(moves, key=lambda move: (_import_cost(rollup, move), sorted(move)))


def _universe(
    cohorts: Sequence[Cohort], partial: AnalyticsPartial, k: int, *, with_rollup: bool
) -> tuple[list[_Row], _Row, _Layout]:
    """Protect a set of cohorts (an enterprise's, or one cohort alone) and their rollup together."""
    ordered = sorted({c.id: c for c in cohorts}.values(), key=lambda c: c.id)
    pieces: dict[CohortId, list[CohortStats]] = {c.id: [] for c in ordered}
    touching: list[CohortStats] = []
    for key, stats in partial.memberships.items():
        hit = [cohort_id for cohort_id in key if cohort_id in pieces]
        for cohort_id in hit:
            pieces[cohort_id].append(stats)
        if hit:
            touching.append(stats)
    per_cohort = {
        cohort_id: items[0] if len(items) == 1 else CohortStats.merge_all(items)
        for cohort_id, items in pieces.items()
    }
    layout = _Layout(_months_between(per_cohort.values()))
    rows = []
    for cohort in ordered:
        stats = per_cohort[cohort.id]
        row = _Row(cohort.id, stats, layout.cells(stats))
        row.suppressed = layout.protect(row.values, k)
        row.own = frozenset(row.suppressed)
        row.parts = layout.parts(row.suppressed)
        rows.append(row)
    rollup_stats = CohortStats.merge_all(touching)
    rollup = _Row("", rollup_stats, layout.cells(rollup_stats))
    if with_rollup:
        _cover(rows, rollup, layout, k)
    return rows, rollup, layout


# --- publishing -------------------------------------------------------------------


class _Publisher:
    """Reads a protected row into report values and counts the suppressed figures."""

    def __init__(self, row: _Row, layout: _Layout, policy: AnalyticsPolicy, k: int) -> None:
        self.row = row
        self.layout = layout
        self.policy = policy
        self.k = k
        self.hidden = 0

    def count(self, cell: str) -> Count:
        if cell in self.row.suppressed:
            self.hidden += 1
            return SUPPRESSED
        return self.row.values.get(cell, 0)

    def bucket(self, cell: str, key: str, label: str) -> Bucket:
        return Bucket(key=key, label=label, count=self.count(cell))

    def population(self) -> PopulationFigures:
        total, profiled = self.count("total"), self.count("profiled")
        pct: float | Suppressed | None
        if isinstance(total, Suppressed) or isinstance(profiled, Suppressed):
            pct = SUPPRESSED
            self.hidden += 1
        else:
            pct = None if not total else round(profiled * 100 / total, 1)
        return PopulationFigures(
            total=total, profiled=profiled, not_profiled=self.count("not_profiled"), profiled_pct=pct
        )

    def block(self, kind: str) -> ScoreBlock:
        sketch: ScoreSketch = getattr(self.row.stats, kind)
        hidden = self.row.suppressed
        # A block is published only with its count: the mean times the count is the sum,
        # so a block beside a suppressed count lets the rollup's and the other cohorts'
        # means recompute that count (and "missing" with it).
        if sketch.count < self.k or f"block.{kind}" in hidden or f"{kind}.count" in hidden:
            self.hidden += 1
            return SUPPRESSED
        return _summary(sketch, sketch.count, self.count(f"{kind}.missing"))

    def readiness(self) -> tuple[Bucket, ...]:
        return tuple(
            self.bucket(kind, band.value, band.label)
            for band, kind in zip(ReadinessBand, _READINESS_KINDS, strict=True)
        )

    def report(self) -> PopulationReport:
        stats = self.row.stats
        tracks = [
            self.bucket(kind, key, _TRACK_LABELS[key])
            for key, kind in zip(_TRACK_KEYS, _TRACK_KINDS, strict=True)
        ]
        difficulty = [
            self.bucket(kind, key, "Not selected" if key == "not_selected" else key.title())
            for key, kind in zip(_DIFFICULTY_KEYS, _DIFFICULTY_KINDS, strict=True)
        ]
        listed = sorted(
            (
                (-count, label)
                for label, count in stats.strengths.items()
                if count >= self.k and f"strength.{label}" not in self.row.suppressed
            )
        )[: self.policy.top_strengths]
        strengths = [Bucket(key=label, label=label, count=-negative) for negative, label in listed]
        active = [m for m in self.layout.months if stats.completions.get(m, 0)]
        shown = (
            self.layout.months[self.layout.months.index(active[0]) : self.layout.months.index(active[-1]) + 1]
            if active
            else ()
        )
        completions = [self.bucket(f"month.{m}", m, m) for m in shown]
        completions.append(self.bucket("month.undated", "undated", "Undated"))
        return PopulationReport(
            population=self.population(),
            aptitude=self.block("aptitude"),
            technical_exposure=self.block("technical_exposure"),
            overall=self.block("overall"),
            readiness=self.readiness(),
            tracks=tracks,
            difficulty=difficulty,
            top_strengths=strengths,
            completions=completions,
        )


def _cohort_report(
    cohort: Cohort, row: _Row, layout: _Layout, policy: AnalyticsPolicy, suppression: SuppressionPolicy
) -> CohortReport:
    publisher = _Publisher(row, layout, policy, suppression.k)
    body = publisher.report()
    return CohortReport(
        cohort=cohort,
        body=body,
        policy=policy.ref,
        suppression=suppression.ref,
        k=suppression.k,
        suppressed_cells=publisher.hidden,
    )


def _context(cohort: Cohort, enterprise_cohorts: Iterable[Cohort]) -> list[Cohort]:
    if cohort.enterprise_id is None:
        return [cohort]
    siblings = {c.id: c for c in enterprise_cohorts if c.enterprise_id == cohort.enterprise_id}
    siblings[cohort.id] = cohort
    return list(siblings.values())


def cohort_report(
    cohort: Cohort,
    partial: AnalyticsPartial,
    *,
    enterprise_cohorts: Iterable[Cohort] = (),
    policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY,
    suppression: SuppressionPolicy = DEFAULT_SUPPRESSION_POLICY,
) -> CohortReport:
    """The report of one cohort, suppressed in the context of its enterprise.

    A sponsored cohort's figures could be differenced against its enterprise's
    report and its sibling cohorts' reports, so suppression runs over the
    whole enterprise: pass every cohort the enterprise sponsors in
    *enterprise_cohorts* (cohorts of other enterprises are ignored) and a
    *partial* covering them. The result equals the cohort's entry in
    :func:`cohort_reports` and agrees with :func:`enterprise_report`.

    Args:
        cohort: the cohort (identified by id; its name is a label).
        partial: statistics covering the cohort (and its enterprise's cohorts).
        enterprise_cohorts: the cohorts of ``cohort.enterprise_id``.
        policy: the analytics policy (how many top strengths).
        suppression: the suppression policy (k).
    """
    context = _context(cohort, enterprise_cohorts)
    rows, _rollup, layout = _universe(
        context, partial, suppression.k, with_rollup=cohort.enterprise_id is not None
    )
    row = next(r for r in rows if r.key == cohort.id)
    return _cohort_report(cohort, row, layout, policy, suppression)


def cohort_reports(
    cohorts: Iterable[Cohort],
    partial: AnalyticsPartial,
    *,
    policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY,
    suppression: SuppressionPolicy = DEFAULT_SUPPRESSION_POLICY,
) -> dict[CohortId, CohortReport]:
    """The report of every cohort in *cohorts*, keyed by cohort id.

    Cohorts are grouped by ``enterprise_id`` and each enterprise is protected
    once (cohorts without a sponsor stand alone), so this is the fast way to
    report many cohorts. Pass all the cohorts of each enterprise involved.
    Two cohorts with the same name are two entries.
    """
    groups: dict[OrgId | None, list[Cohort]] = {}
    for cohort in {c.id: c for c in cohorts}.values():
        groups.setdefault(cohort.enterprise_id, []).append(cohort)
    reports: dict[CohortId, CohortReport] = {}
    for enterprise_id, members in groups.items():
        batches = [members] if enterprise_id is not None else [[c] for c in members]
        for batch in batches:
            rows, _rollup, layout = _universe(
                batch, partial, suppression.k, with_rollup=enterprise_id is not None
            )
            for cohort, row in zip(sorted(batch, key=lambda c: c.id), rows, strict=True):
                reports[cohort.id] = _cohort_report(cohort, row, layout, policy, suppression)
    return dict(sorted(reports.items()))


def enterprise_report(
    enterprise_id: IdLike,
    cohorts: Iterable[Cohort],
    partial: AnalyticsPartial,
    *,
    policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY,
    suppression: SuppressionPolicy = DEFAULT_SUPPRESSION_POLICY,
) -> EnterpriseReport:
    """The report of one enterprise: the rollup of its cohorts and a breakdown per cohort.

    Only cohorts whose ``enterprise_id`` is *enterprise_id* are included, so
    cohorts of another sponsor never leak in and an enterprise without cohorts
    gives an empty report, never everything. The rollup merges the partial's
    memberships that meet those cohorts, so a learner in two of them counts
    once. Suppression is shared with :func:`cohort_reports` over the same
    cohorts: no figure of one report can be differenced against the other.
    *enterprise_id* may be a ``str``, ``int`` or ``UUID`` (canonicalised first).
    """
    enterprise_id = OrgId(canonical_id(enterprise_id, field="enterprise_id"))
    members = sorted(
        {c.id: c for c in cohorts if c.enterprise_id == enterprise_id}.values(), key=lambda c: c.id
    )
    rows, rollup, layout = _universe(members, partial, suppression.k, with_rollup=True)
    hidden = 0
    breakdown: dict[CohortId, CohortBreakdown] = {}
    for cohort, row in zip(members, rows, strict=True):
        publisher = _Publisher(row, layout, policy, suppression.k)
        breakdown[cohort.id] = CohortBreakdown(
            cohort=cohort,
            population=publisher.population(),
            overall=publisher.block("overall"),
            readiness=publisher.readiness(),
        )
        hidden += publisher.hidden
    publisher = _Publisher(rollup, layout, policy, suppression.k)
    body = publisher.report()
    return EnterpriseReport(
        enterprise_id=enterprise_id,
        rollup=body,
        cohorts=breakdown,
        policy=policy.ref,
        suppression=suppression.ref,
        k=suppression.k,
        suppressed_cells=hidden + publisher.hidden,
    )

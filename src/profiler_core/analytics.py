"""Enterprise dashboard (SPEC §9): mergeable cohort statistics.

:class:`CohortStats` is a commutative monoid (``empty()``, ``add()``,
``merge()``) over exact integers, so merging in any order or grouping gives
*identical* values. :class:`AnalyticsPartial` keys statistics by
*membership* (the set of cohorts a learner is counted in), which keeps
enterprise totals distinct-learner even when a learner is in two of its
cohorts; partials of learner-disjoint partitions merge into exactly the
partial of the union. :class:`AnalyticsPolicy` says who counts.

The modules built on this one:

* :mod:`profiler_core.sketches` -- :class:`~profiler_core.sketches.ScoreSketch`, one score's statistics;
* :mod:`profiler_core.accumulation` -- streaming rows or values into a partial;
* :mod:`profiler_core.suppression` -- small-cohort protection (:class:`SuppressionPolicy`);
* :mod:`profiler_core.reports` -- report values and the report functions.

Every name they hold stays importable from here (``from profiler_core.analytics
import cohort_report`` works). Definitions, the suppression rule and the JSON
shapes are in ``docs/reference/analytics.md`` and its sibling pages.
"""

from __future__ import annotations

import enum
import importlib
import re
from collections.abc import Collection, Iterable, Mapping
from itertools import chain
from operator import methodcaller
from typing import TYPE_CHECKING, Final, NamedTuple, TypeAlias

from attrs import field, frozen

from profiler_core.decisions import Policy
from profiler_core.errors import PolicyError, Problem
from profiler_core.frozenmap import FrozenMap
from profiler_core.models import CohortId, IdLike, ProfilerResult, ProfilerSession, canonical_id
from profiler_core.sketches import (
    _EMPTY_SKETCH,
    BIN_COUNT,
    SCORE_SCALE,
    ScoreSketch,
    _is_count,
    _score,
    _value_error,
)
from profiler_core.vocabulary import DifficultySelection, EnrollmentStatus, TrackKey

if TYPE_CHECKING:
    from profiler_core.accumulation import (
        ROW_FIELDS,
        AnalyticsAccumulator,
        learner_row,
        partial_from_values,
    )
    from profiler_core.reports import (
        SUPPRESSED,
        AnalyticsReports,
        Bucket,
        CohortBreakdown,
        CohortReport,
        Count,
        EnterpriseReport,
        PopulationFigures,
        PopulationReport,
        ScoreBlock,
        ScoreSummary,
        Suppressed,
        analytics_reports,
        cohort_report,
        cohort_reports,
        enterprise_report,
        summarize_scores,
    )
    from profiler_core.suppression import DEFAULT_SUPPRESSION_POLICY, SuppressionPolicy

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
    "AnalyticsReports",
    "analytics_reports",
]

# The names that live in the modules built on this one, re-exported lazily (PEP 562):
# importing them here at load time would make the base module import its dependants.
_MOVED: Final = {
    **dict.fromkeys(
        ("ROW_FIELDS", "AnalyticsAccumulator", "learner_row", "partial_from_values"), "accumulation"
    ),
    **dict.fromkeys(("SuppressionPolicy", "DEFAULT_SUPPRESSION_POLICY"), "suppression"),
    **dict.fromkeys(
        (
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
            "cohort_report",
            "cohort_reports",
            "enterprise_report",
            "AnalyticsReports",
            "analytics_reports",
        ),
        "reports",
    ),
}


def __getattr__(name: str) -> object:
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"profiler_core.{module}"), name)


_TRACK_KEYS: Final = (*(t.value for t in TrackKey), "none")
_DIFFICULTY_KEYS: Final = (*(d.value for d in DifficultySelection), "not_selected")
_SCORE_KINDS: Final = ("aptitude", "technical_exposure", "overall")
# ASCII digits and \Z: "\d" would take "٢٠٢٦-01" and "$" a trailing newline as months.
_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])\Z")


# --- policy -----------------------------------------------------------------------


def _statuses(values: Iterable[EnrollmentStatus]) -> frozenset[EnrollmentStatus]:
    return frozenset(values)


@frozen(kw_only=True)
class AnalyticsPolicy(Policy):
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


#: Counted statuses ``active`` and ``completed``; five top strengths.
DEFAULT_ANALYTICS_POLICY = AnalyticsPolicy()


# --- readiness bands ----------------------------------------------------------------


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
        InvalidValueError: the score is not a number in 0..100.

    >>> [readiness_band(s).value for s in (0, 39.99, 40, 79.5, 80, 100)]
    ['novice', 'novice', 'beginner', 'intermediate', 'advanced', 'advanced']
    """
    point = _score(overall_score, "overall_score") // SCORE_SCALE
    return next(band for band in ReadinessBand if point < band.bounds[1])


# --- cohort statistics --------------------------------------------------------------


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
            raise _value_error("CohortStats", problems)

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
        # One rule for "a learner's figures": the accumulator's. It builds on this
        # module, so it is imported when first needed, never at load time.
        from profiler_core.accumulation import _learner_stats  # noqa: PLC0415

        return CohortStats.merge_all((self, _learner_stats(session, result)))

    def merge(self, other: CohortStats) -> CohortStats:
        """The statistics of both populations (which must not share a learner)."""
        return CohortStats.merge_all((self, other))

    @classmethod
    def merge_all(cls, stats: Iterable[CohortStats]) -> CohortStats:
        """The merge of every value in *stats*, column by column (the enterprise rollup's hot path)."""
        items = [s for s in stats if s.total]
        if len(items) < 2:
            return items[0] if items else _EMPTY_STATS
        # Sums of valid statistics are valid (and hold no zero count): not checked again.
        return _trusted_stats(
            sum(s.total for s in items),
            sum(s.profiled for s in items),
            (
                ScoreSketch.merge_all([s.aptitude for s in items]),
                ScoreSketch.merge_all([s.technical_exposure for s in items]),
                ScoreSketch.merge_all([s.overall for s in items]),
            ),
            _summed([s.tracks for s in items]),
            _summed([s.difficulty for s in items]),
            _summed([s.strengths for s in items]),
            dict(sorted(_summed([s.completions for s in items]).items())),
        )

    @property
    def not_profiled(self) -> int:
        """Learners in the population without a completed session."""
        return self.total - self.profiled

    @property
    def profiled_pct(self) -> float | None:
        """``profiled / total`` as a percentage (0..100); ``None`` for an empty population."""
        return None if not self.total else self.profiled * 100 / self.total


class _StatsFields(NamedTuple):
    """Statistics' fields before they are a value (what :func:`_stats_problems` checks on the wire path)."""

    total: int
    profiled: int
    aptitude: ScoreSketch
    technical_exposure: ScoreSketch
    overall: ScoreSketch
    tracks: FrozenMap[str, int]
    difficulty: FrozenMap[str, int]
    strengths: FrozenMap[str, int]
    completions: FrozenMap[str, int]


def _stats_problems(stats: CohortStats | _StatsFields, path: str) -> list[Problem]:
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


_EMPTY_STATS: Final = CohortStats()
_ITEMS: Final = methodcaller("items")


def _summed(counts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """The counts of every mapping in *counts*, added key by key (first-seen key order)."""
    out: dict[str, int] = {}
    get = out.get
    for key, count in chain.from_iterable(map(_ITEMS, counts)):
        out[key] = get(key, 0) + count
    return out


_new = object.__new__
_set = object.__setattr__


def _trusted_stats(  # noqa: PLR0917 - the fields in their declared order
    total: int,
    profiled: int,
    sketches: tuple[ScoreSketch, ScoreSketch, ScoreSketch],
    tracks: Mapping[str, int],
    difficulty: Mapping[str, int],
    strengths: Mapping[str, int],
    completions: Mapping[str, int],
) -> CohortStats:
    """Statistics the library counted itself, without checking them again (copies the mappings).

    Only for counts that are valid by construction: merges of valid
    statistics, or the accumulator's counts of checked rows (positive counts,
    months in order). ``tests/test_analytics.py`` checks that such values pass
    the checks.
    """
    stats: CohortStats = _new(CohortStats)
    _set(stats, "total", total)
    _set(stats, "profiled", profiled)
    _set(stats, "aptitude", sketches[0])
    _set(stats, "technical_exposure", sketches[1])
    _set(stats, "overall", sketches[2])
    _set(stats, "tracks", FrozenMap(tracks))
    _set(stats, "difficulty", FrozenMap(difficulty))
    _set(stats, "strengths", FrozenMap(strengths))
    _set(stats, "completions", FrozenMap(completions))
    return stats


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


_EMPTY_PARTIAL: Final = AnalyticsPartial()

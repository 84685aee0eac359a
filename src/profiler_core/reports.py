"""Reports (SPEC §9): chart-ready report values and the functions that publish them.

:func:`cohort_report`, :func:`cohort_reports` and :func:`enterprise_report`
turn an :class:`~profiler_core.analytics.AnalyticsPartial` into reports,
suppressing small counts under a
:class:`~profiler_core.suppression.SuppressionPolicy` (k = 5 by default)
with complementary suppression across a cohort, its enterprise and the
enterprise's other cohorts.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from itertools import accumulate
from typing import Final, NamedTuple, TypeAlias

from attrs import field, frozen

from profiler_core.analytics import (
    _DIFFICULTY_KEYS,
    _TRACK_KEYS,
    DEFAULT_ANALYTICS_POLICY,
    AnalyticsPartial,
    AnalyticsPolicy,
    ReadinessBand,
    readiness_band,
)
from profiler_core.decisions import PolicyRef, Present
from profiler_core.frozenmap import FrozenMap, freeze
from profiler_core.models import Cohort, CohortId, IdLike, OrgId, _to_id, _valid_id, canonical_id
from profiler_core.sketches import BIN_COUNT, SCORE_SCALE, ScoreSketch
from profiler_core.suppression import (
    _DIFFICULTY_KINDS,
    _READINESS_KINDS,
    _TRACK_KINDS,
    _TRACK_LABELS,
    DEFAULT_SUPPRESSION_POLICY,
    SuppressionPolicy,
    _Layout,
    _Row,
    _universe,
)

__all__ = [
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
    "cohort_report",
    "cohort_reports",
    "enterprise_report",
    "AnalyticsReports",
    "analytics_reports",
]


@frozen
class Suppressed:
    """A published figure withheld by small-cohort protection (JSON ``{"suppressed": true}``).

    Never a number, never 0: a dashboard shows it as "fewer than k or
    withheld to protect another cell". Use the :data:`SUPPRESSED` instance.
    """

    def __repr__(self) -> str:
        return "SUPPRESSED"


#: The one :class:`Suppressed` value.
SUPPRESSED: Final = Suppressed()

#: A published count: a number of learners, or :data:`SUPPRESSED`.
Count: TypeAlias = int | Suppressed


@frozen(kw_only=True)
class Bucket:
    """One bar of a distribution: a key, a display label and a count."""

    key: str
    label: str
    count: Count


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

    In a report, the order statistics (``minimum``, ``q1``, ``median``,
    ``q3``, ``maximum``) follow :class:`SuppressionPolicy`: they are
    :data:`SUPPRESSED` below its ``order_statistics_threshold`` (10 learners by
    default) and, for the overall score, whenever a readiness band of the
    population (or, for an enterprise rollup, of one of its cohorts) is
    suppressed; otherwise they lie on its ``order_statistics_grid`` (5 points
    by default: the minimum rounded down, the maximum up, the quartiles to the
    nearest multiple). :func:`summarize_scores` gives exact figures.
    """

    count: Count
    missing: Count
    mean: float
    std: float
    minimum: float | Suppressed
    q1: float | Suppressed
    median: float | Suppressed
    q3: float | Suppressed
    maximum: float | Suppressed


#: A published statistics block: a summary, or :data:`SUPPRESSED` when it covers fewer than k learners.
ScoreBlock: TypeAlias = ScoreSummary | Suppressed


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


def _summary(
    sketch: ScoreSketch, count: Count, missing: Count, *, order: bool = True, grid: int = 0
) -> ScoreSummary:
    n = sketch.count
    scale = n * SCORE_SCALE
    low = (sketch.minimum or 0) / SCORE_SCALE
    high = (sketch.maximum or 0) / SCORE_SCALE
    mean = round(sketch.total / scale, 2)
    std = round(math.sqrt(n * sketch.total_sq - sketch.total * sketch.total) / scale, 2)
    if not order:
        return ScoreSummary(
            count=count,
            missing=missing,
            mean=mean,
            std=std,
            minimum=SUPPRESSED,
            q1=SUPPRESSED,
            median=SUPPRESSED,
            q3=SUPPRESSED,
            maximum=SUPPRESSED,
        )
    q1, median, q3 = _quartiles(sketch.bins, n, low, high)
    if grid:
        # Coarse: the range still holds every score; quartiles to the nearest grid point.
        low, high = float(math.floor(low / grid) * grid), float(min(math.ceil(high / grid) * grid, 100))
        q1, median, q3 = (float(min(round(q / grid) * grid, 100)) for q in (q1, median, q3))
    return ScoreSummary(
        count=count,
        missing=missing,
        mean=mean,
        std=std,
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


def _buckets(values: Iterable[Bucket]) -> tuple[Bucket, ...]:
    return tuple(values)


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


@frozen(kw_only=True)
class CohortReport(Present):
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


@frozen(kw_only=True)
class CohortBreakdown:
    """One cohort's row in an enterprise report, keyed by cohort id (the name is a label)."""

    cohort: Cohort
    population: PopulationFigures
    overall: ScoreBlock
    readiness: tuple[Bucket, ...] = field(converter=_buckets)


def _breakdowns(values: Mapping[CohortId, CohortBreakdown] | None) -> FrozenMap[CohortId, CohortBreakdown]:
    return freeze(values)


@frozen(kw_only=True)
class EnterpriseReport(Present):
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


# --- publishing -------------------------------------------------------------------


class _Publisher:
    """Reads a protected row into report values and counts the suppressed figures."""

    def __init__(
        self,
        row: _Row,
        layout: _Layout,
        policy: AnalyticsPolicy,
        suppression: SuppressionPolicy,
        *,
        bands_hidden_elsewhere: bool = False,
    ) -> None:
        self.row = row
        self.layout = layout
        self.policy = policy
        self.suppression = suppression
        self.k = suppression.k
        #: A readiness band of a population this one sums is suppressed (the rollup's cohorts).
        self.bands_hidden_elsewhere = bands_hidden_elsewhere
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
        # Order statistics of a small block are its learners' scores; over the overall score,
        # min/max and quartiles also bound the readiness bands, so a suppressed band (here,
        # or in a cohort the rollup sums) withholds them.
        order = sketch.count >= self.suppression.order_statistics_threshold and not (
            kind == "overall"
            and (self.bands_hidden_elsewhere or any(band in hidden for band in _READINESS_KINDS))
        )
        return _summary(
            sketch,
            sketch.count,
            self.count(f"{kind}.missing"),
            order=order,
            grid=self.suppression.order_statistics_grid,
        )

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
    publisher = _Publisher(row, layout, policy, suppression)
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
    Two cohorts with the same name are two entries. To report the
    enterprises as well, :func:`analytics_reports` shares each enterprise's
    protection between both.
    """
    return _reports(cohorts, partial, policy, suppression, enterprises=False).cohorts


def _enterprise_cohorts(enterprise_id: OrgId, cohorts: Iterable[Cohort]) -> list[Cohort]:
    return sorted({c.id: c for c in cohorts if c.enterprise_id == enterprise_id}.values(), key=lambda c: c.id)


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
    members = _enterprise_cohorts(enterprise_id, cohorts)
    rows, rollup, layout = _universe(members, partial, suppression.k, with_rollup=True)
    return _enterprise_report(enterprise_id, members, (rows, rollup, layout), policy, suppression)


def _enterprise_report(
    enterprise_id: OrgId,
    members: Sequence[Cohort],
    universe: tuple[list[_Row], _Row, _Layout],
    policy: AnalyticsPolicy,
    suppression: SuppressionPolicy,
) -> EnterpriseReport:
    """Publish a protected enterprise (*members* sorted by id, as the universe's rows)."""
    rows, rollup, layout = universe
    hidden = 0
    breakdown: dict[CohortId, CohortBreakdown] = {}
    for cohort, row in zip(members, rows, strict=True):
        publisher = _Publisher(row, layout, policy, suppression)
        breakdown[cohort.id] = CohortBreakdown(
            cohort=cohort,
            population=publisher.population(),
            overall=publisher.block("overall"),
            readiness=publisher.readiness(),
        )
        hidden += publisher.hidden
    bands_hidden = any(band in row.suppressed for row in rows for band in _READINESS_KINDS)
    publisher = _Publisher(rollup, layout, policy, suppression, bands_hidden_elsewhere=bands_hidden)
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


class AnalyticsReports(NamedTuple):
    """Every cohort report and every enterprise report of a set of cohorts (:func:`analytics_reports`)."""

    #: One report per cohort, keyed by cohort id (sorted).
    cohorts: dict[CohortId, CohortReport]
    #: One report per sponsoring enterprise, keyed by enterprise id (sorted).
    enterprises: dict[OrgId, EnterpriseReport]


def analytics_reports(
    cohorts: Iterable[Cohort],
    partial: AnalyticsPartial,
    *,
    policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY,
    suppression: SuppressionPolicy = DEFAULT_SUPPRESSION_POLICY,
) -> AnalyticsReports:
    """The report of every cohort in *cohorts* and of every enterprise sponsoring one of them.

    Each enterprise is protected once and both its cohort reports and its
    enterprise report are published from that protection, so this costs
    about half of :func:`cohort_reports` plus :func:`enterprise_report` for
    each enterprise, and gives reports equal to theirs. As with them, pass
    all the cohorts of each enterprise involved.
    """
    return _reports(cohorts, partial, policy, suppression, enterprises=True)


def _reports(
    cohorts: Iterable[Cohort],
    partial: AnalyticsPartial,
    policy: AnalyticsPolicy,
    suppression: SuppressionPolicy,
    *,
    enterprises: bool,
) -> AnalyticsReports:
    groups: dict[OrgId | None, list[Cohort]] = {}
    for cohort in {c.id: c for c in cohorts}.values():
        groups.setdefault(cohort.enterprise_id, []).append(cohort)
    reports: dict[CohortId, CohortReport] = {}
    by_enterprise: dict[OrgId, EnterpriseReport] = {}
    for enterprise_id, members in groups.items():
        batches = [members] if enterprise_id is not None else [[c] for c in members]
        for batch in batches:
            ordered = sorted(batch, key=lambda c: c.id)
            universe = _universe(ordered, partial, suppression.k, with_rollup=enterprise_id is not None)
            rows, _rollup, layout = universe
            for cohort, row in zip(ordered, rows, strict=True):
                reports[cohort.id] = _cohort_report(cohort, row, layout, policy, suppression)
            if enterprises and enterprise_id is not None:
                by_enterprise[enterprise_id] = _enterprise_report(
                    enterprise_id, ordered, universe, policy, suppression
                )
    return AnalyticsReports(
        cohorts=dict(sorted(reports.items())), enterprises=dict(sorted(by_enterprise.items()))
    )

"""Differential privacy for cohort and enterprise reports (SPEC §9, issue 14): the opt-in policy.

k-suppression (:mod:`profiler_core.suppression`) cannot stop *differencing*:
two reports of one cohort, before and after one learner enrols, give that
learner's score. :class:`DifferentialPrivacyPolicy` publishes every count and
bounded sum with calibrated discrete Laplace noise instead, so any two reports
that differ by one learner are nearly equally likely (ε-differential privacy).

* The **mechanism** (:func:`discrete_laplace`) is sampled *exactly* on
  integers with rational arithmetic (Canonne, Kamath and Steinke 2020,
  Algorithm 2): no floating-point sampler, no rounding side channel.
* The **randomness** is a parameter: any object with ``randrange`` and
  ``getrandbits`` (:class:`RandomSource`). Without one, each call creates a
  fresh :class:`secrets.SystemRandom` (the operating system's CSPRNG); tests and
  the demo pass a seeded :class:`random.Random`.
* The **mergeable state stays exact**: :class:`~profiler_core.analytics.CohortStats`
  and :class:`~profiler_core.analytics.AnalyticsPartial` never hold noise, so
  partials merge (and Dask equals in-process) exactly as before; noise is
  drawn only at publication (:func:`publish_private`).
* The **ledger** (:class:`PrivacyBudget`) is a value the host stores, one per
  cohort or enterprise; the services charge it before publishing and refuse a
  report once it is spent.

Sensitivities, the ε split, the JSON and what this does and does not protect:
``docs/reference/dp.md``.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from fractions import Fraction
from typing import Final, Generic, Protocol, TypeVar

from attrs import field, frozen

from profiler_core.analytics import (
    _DIFFICULTY_KEYS,
    _TRACK_KEYS,
    DEFAULT_ANALYTICS_POLICY,
    AnalyticsPartial,
    CohortStats,
    ReadinessBand,
)
from profiler_core.decisions import Policy, PolicyRef
from profiler_core.errors import InvalidValueError, PolicyError
from profiler_core.field_rules import require_aware
from profiler_core.frozenmap import FrozenMap, freeze
from profiler_core.models import Cohort, CohortId, IdLike, OrgId, _to_id, _valid_id, canonical_id
from profiler_core.sketches import BIN_COUNT, SCORE_SCALE, ScoreSketch
from profiler_core.suppression import _TRACK_LABELS

__all__ = [
    # the mechanism
    "RandomSource",
    "DISCRETE_LAPLACE",
    "discrete_laplace",
    "discrete_laplace_variance",
    # the policy
    "DifferentialPrivacyPolicy",
    "DEFAULT_DP_POLICY",
    "COUNT_SENSITIVITY",
    "SUM_SENSITIVITY",
    "REPORT_QUERIES",
    "BREAKDOWN_QUERIES",
    # report values
    "Noised",
    "PrivateBucket",
    "PrivatePopulation",
    "PrivateScoreBlock",
    "PrivatePopulationReport",
    "PrivateCohortReport",
    "PrivateCohortBreakdown",
    "PrivateEnterpriseReport",
    # publishing
    "publish_private",
    "private_cohort_report",
    "private_enterprise_report",
    # the ledger
    "PrivacyCharge",
    "PrivacyBudget",
]

#: The mechanism's name, as every noised figure states it.
DISCRETE_LAPLACE: Final = "discrete_laplace"

#: Adding or removing one learner changes a count, or one bucket of a histogram, by 1.
COUNT_SENSITIVITY: Final = 1
#: One learner's score adds at most 100 points to a sum; sums are exact integers in
#: micro-points (:data:`~profiler_core.sketches.SCORE_SCALE`), so the sensitivity is 10**8.
SUM_SENSITIVITY: Final = 100 * SCORE_SCALE

_SCORE_KINDS: Final = ("aptitude", "technical_exposure", "overall")

#: The noised queries of one population report, in the order noise is drawn; the
#: report's ε is split equally over them (sequential composition).
REPORT_QUERIES: Final = (
    "population",
    "tracks",
    "difficulty",
    "readiness",
    *(f"{kind}.{part}" for kind in _SCORE_KINDS for part in ("count", "sum")),
)
#: The noised queries of one cohort's row in an enterprise report.
BREAKDOWN_QUERIES: Final = ("population", "overall.count", "overall.sum", "readiness")


# --- the mechanism ------------------------------------------------------------------


class RandomSource(Protocol):
    """What the mechanism draws from: :class:`random.Random` and :class:`secrets.SystemRandom` are one."""

    def getrandbits(self, k: int, /) -> int:
        """An integer of *k* random bits."""
        ...

    def randrange(self, start: int, /) -> int:
        """A uniform integer in ``0 .. start - 1``."""
        ...


def _bernoulli(p: Fraction, rng: RandomSource) -> bool:
    return rng.randrange(p.denominator) < p.numerator


def _bernoulli_exp(gamma: Fraction, rng: RandomSource) -> bool:
    """``True`` with probability ``exp(-gamma)``, exactly, for rational ``gamma >= 0`` (CKS20, Alg. 1)."""
    while gamma > 1:
        if not _bernoulli_exp(Fraction(1), rng):
            return False
        gamma -= 1
    k = 1
    while _bernoulli(gamma / k, rng):
        k += 1
    return k % 2 == 1


def _exact(value: float | Fraction) -> Fraction:
    # A float is read as the decimal it prints as (0.1 is 1/10), the ε a person wrote.
    number = value if isinstance(value, Fraction) else Fraction(repr(float(value)))
    if not number > 0:
        raise InvalidValueError(field="epsilon", reason="must be a positive number")
    return number


def discrete_laplace(epsilon: float | Fraction, sensitivity: int, rng: RandomSource) -> int:
    """One exact sample of the discrete Laplace mechanism's noise for ε and sensitivity Δ.

    ``P[X = x]`` is proportional to ``exp(-ε |x| / Δ)`` over the integers (the
    two-sided geometric distribution): adding it to an integer query whose
    value moves by at most Δ when one learner is added or removed is
    ε-differentially private. Sampled with rational arithmetic only (CKS20,
    Algorithm 2), so the distribution is exact; a ``float`` ε is read as its
    decimal (``0.1`` is 1/10).

    Raises:
        InvalidValueError: ε is not positive or Δ is not a positive integer.

    >>> import random
    >>> rng = random.Random(7)
    >>> [discrete_laplace(1.0, 1, rng) for _ in range(8)]
    [5, 0, 0, 1, 0, 0, 1, 0]
    """
    if isinstance(sensitivity, bool) or sensitivity < 1:
        raise InvalidValueError(field="sensitivity", reason="must be a positive integer")
    rate = _exact(epsilon) / sensitivity  # ε/Δ = s/t: the scale is t/s
    s, t = rate.numerator, rate.denominator
    while True:
        u = rng.randrange(t)
        if not _bernoulli_exp(Fraction(u, t), rng):
            continue
        v = 0
        while _bernoulli_exp(Fraction(1), rng):
            v += 1
        y = (u + t * v) // s
        negative = rng.getrandbits(1) == 1
        if negative and y == 0:
            continue
        return -y if negative else y


def discrete_laplace_variance(epsilon: float, sensitivity: int = 1) -> float:
    """The variance of :func:`discrete_laplace`'s noise: ``2q / (1 - q)**2`` with ``q = exp(-ε/Δ)``.

    >>> round(discrete_laplace_variance(1.0), 4)
    1.8413
    """
    q = math.exp(-epsilon / sensitivity)
    return 2 * q / (1 - q) ** 2


# --- the policy ---------------------------------------------------------------------


def _positive_float(_instance: object, attribute: object, value: float) -> None:
    if isinstance(value, bool) or not 0 < value < math.inf:
        raise PolicyError(policy="dp", reason=f"{getattr(attribute, 'name', 'epsilon')} must be positive")


@frozen(kw_only=True)
class DifferentialPrivacyPolicy(Policy):
    """The opt-in differential-privacy policy: ε per report and the budget per cohort or enterprise.

    A report's ε is split equally over its noised queries (sequential
    composition): a cohort report's :data:`REPORT_QUERIES` (10), an
    enterprise report's rollup queries and one :data:`BREAKDOWN_QUERIES` row
    (14; the cohorts' rows compose in parallel, each learner counted in one).
    A cohort's or enterprise's ledger opens with ``budget`` and each report
    charges ``epsilon``; once the next report would overspend it, it is refused.

    Attributes:
        id: policy id (``"dp"``).
        version: policy version.
        epsilon: the privacy loss of one report (default 1.0).
        budget: the total ε a cohort's (an enterprise's) ledger allows (default 4.0).
    """

    id: str = "dp"
    version: int = 1
    epsilon: float = field(default=1.0, validator=_positive_float)
    budget: float = field(default=4.0, validator=_positive_float)

    @budget.validator
    def _check(self, _attribute: object, budget: float) -> None:
        if self.epsilon > budget:
            raise PolicyError(policy=str(self.ref), reason="epsilon must not exceed budget")

    def share(self, queries: int) -> Fraction:
        """The ε of each of *queries* equal shares of one report (exact)."""
        return _exact(self.epsilon) / queries


#: ε = 1 per report, a budget of 4 per cohort or enterprise.
DEFAULT_DP_POLICY = DifferentialPrivacyPolicy()


# --- report values --------------------------------------------------------------------

N = TypeVar("N", int, float)


@frozen(kw_only=True)
class Noised(Generic[N]):
    """A published figure with differential-privacy noise, and the ε it was released with.

    JSON ``{"value": 12, "epsilon": 0.1, "mechanism": "discrete_laplace"}``.
    ``epsilon`` is the privacy loss of the noised queries the figure is
    derived from (a mean: its count's and its sum's); figures derived from one
    query (a population's total, profiled and not profiled) each state that
    query's ε, spent once.
    """

    value: N
    epsilon: float
    mechanism: str = DISCRETE_LAPLACE


@frozen(kw_only=True)
class PrivateBucket:
    """One bar of a noised distribution: a key, a display label and a noised count (>= 0)."""

    key: str
    label: str
    count: Noised[int]


@frozen(kw_only=True)
class PrivatePopulation:
    """Headline counts, noised: profiled and not profiled are one histogram; the rest follow from it.

    ``total`` is ``profiled + not_profiled`` and ``profiled_pct`` their ratio
    (``None`` when the noised total is 0), both after clamping at 0.
    """

    total: Noised[int]
    profiled: Noised[int]
    not_profiled: Noised[int]
    profiled_pct: Noised[float] | None


@frozen(kw_only=True)
class PrivateScoreBlock:
    """One score's noised count and the mean derived from its noised sum and count.

    ``mean`` is ``None`` when the noised count is 0; otherwise the noised sum
    over the noised count, clamped to 0..100 and rounded to 2 decimals. The
    standard deviation, min, max and quartiles are not published under this
    policy (see ``docs/reference/dp.md``).
    """

    count: Noised[int]
    mean: Noised[float] | None


def _buckets(values: Iterable[PrivateBucket]) -> tuple[PrivateBucket, ...]:
    return tuple(values)


@frozen(kw_only=True)
class PrivatePopulationReport:
    """Every metric the policy publishes for one population, noised.

    Top strengths and completions per month are not published: their keys
    (strength labels, months) come from the data, and one learner may name
    any number of strengths.
    """

    population: PrivatePopulation
    aptitude: PrivateScoreBlock
    technical_exposure: PrivateScoreBlock
    overall: PrivateScoreBlock
    readiness: tuple[PrivateBucket, ...] = field(converter=_buckets)
    tracks: tuple[PrivateBucket, ...] = field(converter=_buckets)
    difficulty: tuple[PrivateBucket, ...] = field(converter=_buckets)


@frozen(kw_only=True)
class PrivateCohortReport:
    """The cohort dashboard under the differential-privacy policy.

    Attributes:
        cohort: the cohort.
        body: the noised metrics.
        policy: the analytics policy used.
        privacy: the differential-privacy policy used.
        epsilon: the privacy loss of this report (what it charged the cohort's ledger).
    """

    cohort: Cohort
    body: PrivatePopulationReport
    policy: PolicyRef
    privacy: PolicyRef
    epsilon: float


@frozen(kw_only=True)
class PrivateCohortBreakdown:
    """One cohort's noised row in a private enterprise report."""

    cohort: Cohort
    population: PrivatePopulation
    overall: PrivateScoreBlock
    readiness: tuple[PrivateBucket, ...] = field(converter=_buckets)


def _breakdowns(
    values: Mapping[CohortId, PrivateCohortBreakdown] | None,
) -> FrozenMap[CohortId, PrivateCohortBreakdown]:
    return freeze(values)


@frozen(kw_only=True)
class PrivateEnterpriseReport:
    """The enterprise dashboard under the differential-privacy policy: a noised rollup and rows.

    Attributes:
        enterprise_id: the sponsoring organisation.
        rollup: the noised metrics of the enterprise's distinct learners.
        cohorts: one noised row per cohort, keyed by id; a learner in several of
            the enterprise's cohorts is counted in the row of the smallest id only.
        policy: the analytics policy used.
        privacy: the differential-privacy policy used.
        epsilon: the privacy loss of this report (what it charged the enterprise's ledger).
    """

    enterprise_id: OrgId = field(converter=_to_id, validator=_valid_id)
    rollup: PrivatePopulationReport
    cohorts: FrozenMap[CohortId, PrivateCohortBreakdown] = field(converter=_breakdowns)
    policy: PolicyRef
    privacy: PolicyRef
    epsilon: float


# --- publishing -----------------------------------------------------------------------


class _Noiser:
    """Draws the noise of one report, query by query, in a fixed order."""

    def __init__(self, share: Fraction, rng: RandomSource) -> None:
        self.share = share
        self.epsilon = float(share)
        self.rng = rng

    def count(self, exact: int) -> Noised[int]:
        # Clamping at 0 is post-processing of the noised value: it costs no privacy.
        noisy = exact + discrete_laplace(self.share, COUNT_SENSITIVITY, self.rng)
        return Noised(value=max(0, noisy), epsilon=self.epsilon)

    def histogram(self, cells: Sequence[tuple[str, str, int]]) -> tuple[PrivateBucket, ...]:
        # One learner is in one cell, so the histogram's L1 sensitivity is 1: one share for all.
        return tuple(PrivateBucket(key=key, label=label, count=self.count(n)) for key, label, n in cells)

    def population(self, stats: CohortStats) -> PrivatePopulation:
        profiled, not_profiled = self.count(stats.profiled), self.count(stats.not_profiled)
        total = profiled.value + not_profiled.value
        pct = (
            None if not total else Noised(value=round(profiled.value * 100 / total, 1), epsilon=self.epsilon)
        )
        return PrivatePopulation(
            total=Noised(value=total, epsilon=self.epsilon),
            profiled=profiled,
            not_profiled=not_profiled,
            profiled_pct=pct,
        )

    def block(self, sketch: ScoreSketch) -> PrivateScoreBlock:
        count = self.count(sketch.count)
        noisy_sum = sketch.total + discrete_laplace(self.share, SUM_SENSITIVITY, self.rng)
        if not count.value:
            return PrivateScoreBlock(count=count, mean=None)
        mean = min(100.0, max(0.0, noisy_sum / (count.value * SCORE_SCALE)))
        return PrivateScoreBlock(count=count, mean=Noised(value=round(mean, 2), epsilon=2 * self.epsilon))

    def readiness(self, sketch: ScoreSketch) -> tuple[PrivateBucket, ...]:
        cells = []
        for band in ReadinessBand:
            low, high = band.bounds
            cells.append((band.value, band.label, sum(sketch.bins[low : min(high, BIN_COUNT)])))
        return self.histogram(cells)

    def report(self, stats: CohortStats) -> PrivatePopulationReport:
        # The draws follow REPORT_QUERIES' order, so a seeded source gives one report.
        population = self.population(stats)
        tracks = self.histogram([(k, _TRACK_LABELS[k], stats.tracks.get(k, 0)) for k in _TRACK_KEYS])
        difficulty = self.histogram(
            [
                (k, "Not selected" if k == "not_selected" else k.title(), stats.difficulty.get(k, 0))
                for k in _DIFFICULTY_KEYS
            ]
        )
        readiness = self.readiness(stats.overall)
        aptitude = self.block(stats.aptitude)
        technical = self.block(stats.technical_exposure)
        overall = self.block(stats.overall)
        return PrivatePopulationReport(
            population=population,
            aptitude=aptitude,
            technical_exposure=technical,
            overall=overall,
            readiness=readiness,
            tracks=tracks,
            difficulty=difficulty,
        )


def _source(rng: RandomSource | None) -> RandomSource:
    # A fresh CSPRNG per call, never a module-level one: nothing is shared between callers.
    return secrets.SystemRandom() if rng is None else rng


def publish_private(
    stats: CohortStats,
    *,
    epsilon: float | Fraction = DEFAULT_DP_POLICY.epsilon,
    rng: RandomSource | None = None,
) -> PrivatePopulationReport:
    """The noised metrics of one population, from its exact statistics, for a privacy loss of *epsilon*.

    *epsilon* is split equally over the 10 :data:`REPORT_QUERIES`. Each count
    and histogram bucket gets discrete Laplace noise for Δ =
    :data:`COUNT_SENSITIVITY`, each score sum (exact micro-points) for Δ =
    :data:`SUM_SENSITIVITY`; counts are clamped at 0 and means derived from
    the noised sum and count. *stats* is not changed: noise exists only in
    the result.

    Args:
        stats: the exact statistics (e.g. ``partial.stats_for(cohort_id)``).
        epsilon: the report's privacy loss.
        rng: the randomness; ``None`` draws from a fresh :class:`secrets.SystemRandom`.
    """
    share = _exact(epsilon) / len(REPORT_QUERIES)
    return _Noiser(share, _source(rng)).report(stats)


def private_cohort_report(
    cohort: Cohort,
    partial: AnalyticsPartial,
    *,
    privacy: DifferentialPrivacyPolicy = DEFAULT_DP_POLICY,
    policy_ref: PolicyRef | None = None,
    rng: RandomSource | None = None,
) -> PrivateCohortReport:
    """The report of one cohort under *privacy*: ``privacy.epsilon`` spent over its noised figures.

    Unlike :func:`~profiler_core.reports.cohort_report`, nothing is suppressed
    and the enterprise's other cohorts are not needed: noise, not suppression,
    protects each learner, whatever other reports are published (their ε adds
    up; the ledger bounds it).

    Args:
        cohort: the cohort (identified by id).
        partial: exact statistics covering the cohort.
        privacy: ε per report.
        policy_ref: the analytics policy the partial was built under (default ``analytics@1``).
        rng: the randomness; ``None`` draws from a fresh :class:`secrets.SystemRandom`.
    """
    body = publish_private(partial.stats_for(cohort.id), epsilon=_exact(privacy.epsilon), rng=rng)
    return PrivateCohortReport(
        cohort=cohort,
        body=body,
        policy=policy_ref or DEFAULT_ANALYTICS_POLICY.ref,
        privacy=privacy.ref,
        epsilon=privacy.epsilon,
    )


def _breakdown_stats(members: Sequence[Cohort], partial: AnalyticsPartial) -> dict[CohortId, CohortStats]:
    # Contribution bounding: a learner in several of the enterprise's cohorts counts in the
    # row of the smallest id only, so each learner changes one row and the rows compose in
    # parallel. It depends on the learner's own memberships only, never on others' data.
    ids = frozenset(c.id for c in members)
    pieces: dict[CohortId, list[CohortStats]] = {c.id: [] for c in members}
    for key, stats in partial.memberships.items():
        hit = sorted(ids & key)
        if hit:
            pieces[hit[0]].append(stats)
    return {cid: CohortStats.merge_all(items) for cid, items in pieces.items()}


def private_enterprise_report(
    enterprise_id: IdLike,
    cohorts: Iterable[Cohort],
    partial: AnalyticsPartial,
    *,
    privacy: DifferentialPrivacyPolicy = DEFAULT_DP_POLICY,
    policy_ref: PolicyRef | None = None,
    rng: RandomSource | None = None,
) -> PrivateEnterpriseReport:
    """The report of one enterprise under *privacy*: a noised rollup and a noised row per cohort.

    Only cohorts whose ``enterprise_id`` is *enterprise_id* count (as
    :func:`~profiler_core.reports.enterprise_report`). ``privacy.epsilon`` is
    split equally over the rollup's 10 queries and one row's 4 (14 shares):
    the rows are disjoint in learners (a learner in several of the cohorts is
    counted in the smallest id's row only), so together they cost one row.

    Args:
        enterprise_id: the sponsoring organisation (any id form).
        cohorts: candidate cohorts (others' are ignored).
        partial: exact statistics covering them.
        privacy: ε per report.
        policy_ref: the analytics policy the partial was built under (default ``analytics@1``).
        rng: the randomness; ``None`` draws from a fresh :class:`secrets.SystemRandom`.
    """
    org = OrgId(canonical_id(enterprise_id, field="enterprise_id"))
    members = sorted({c.id: c for c in cohorts if c.enterprise_id == org}.values(), key=lambda c: c.id)
    source = _source(rng)
    noiser = _Noiser(privacy.share(len(REPORT_QUERIES) + len(BREAKDOWN_QUERIES)), source)
    rollup = noiser.report(partial.rollup([c.id for c in members]))
    rows: dict[CohortId, PrivateCohortBreakdown] = {}
    for cohort_id, stats in _breakdown_stats(members, partial).items():
        cohort = next(c for c in members if c.id == cohort_id)
        population = noiser.population(stats)
        overall = noiser.block(stats.overall)
        rows[cohort_id] = PrivateCohortBreakdown(
            cohort=cohort, population=population, overall=overall, readiness=noiser.readiness(stats.overall)
        )
    return PrivateEnterpriseReport(
        enterprise_id=org,
        rollup=rollup,
        cohorts=rows,
        policy=policy_ref or DEFAULT_ANALYTICS_POLICY.ref,
        privacy=privacy.ref,
        epsilon=privacy.epsilon,
    )


# --- the ledger -------------------------------------------------------------------------


def _positive_epsilon(_instance: object, _attribute: object, value: float) -> None:
    if isinstance(value, bool) or not 0 < value < math.inf:
        raise InvalidValueError(field="epsilon", reason="must be a positive finite number")


def _aware(_instance: object, _attribute: object, value: datetime) -> None:
    require_aware(value, field="at")


@frozen(kw_only=True)
class PrivacyCharge:
    """One report's entry in a ledger: its ε, when, what kind and under which policy.

    Attributes:
        epsilon: the privacy loss charged (> 0).
        at: when (timezone-aware).
        report: ``"cohort_report"`` or ``"enterprise_report"``.
        policy: the differential-privacy policy the report was published under.
    """

    epsilon: float = field(converter=float, validator=_positive_epsilon)
    at: datetime = field(validator=_aware)
    report: str
    policy: PolicyRef


def _charges(values: Iterable[PrivacyCharge]) -> tuple[PrivacyCharge, ...]:
    return tuple(values)


@frozen(kw_only=True)
class PrivacyBudget:
    """The privacy ledger of one cohort or enterprise: the total ε it allows and every charge so far.

    The host stores it (:class:`~profiler_core.ports.PrivacyBudgetRepository`).
    ``spent_epsilon`` is the exact-rounded sum of the charges
    (:func:`math.fsum`) and never exceeds ``total_epsilon``: a ledger that
    would is not a value, so ``remaining_epsilon`` is never negative.

    >>> from datetime import UTC, datetime
    >>> ledger = PrivacyBudget.open("c-1", total_epsilon=2.0)
    >>> ledger = ledger.charged(1.5, at=datetime(2026, 3, 1, tzinfo=UTC), report="cohort_report")
    >>> ledger.spent_epsilon, ledger.remaining_epsilon, ledger.can_afford(1.0)
    (1.5, 0.5, False)
    """

    subject_id: str = field(converter=_to_id, validator=_valid_id)
    total_epsilon: float = field(converter=float, validator=_positive_epsilon)
    charges: tuple[PrivacyCharge, ...] = field(default=(), converter=_charges)

    @charges.validator
    def _check(self, _attribute: object, _charges: tuple[PrivacyCharge, ...]) -> None:
        if self.spent_epsilon > self.total_epsilon:
            raise InvalidValueError(
                field="charges", reason=f"spend {self.spent_epsilon} more than total {self.total_epsilon}"
            )

    @classmethod
    def open(cls, subject_id: IdLike, *, total_epsilon: float) -> PrivacyBudget:
        """A new ledger with nothing spent (any id form; canonicalised)."""
        return cls(subject_id=canonical_id(subject_id, field="subject_id"), total_epsilon=total_epsilon)

    @property
    def spent_epsilon(self) -> float:
        """The ε charged so far (0.0 for a new ledger)."""
        return math.fsum(c.epsilon for c in self.charges)

    @property
    def remaining_epsilon(self) -> float:
        """``total_epsilon - spent_epsilon`` (never negative)."""
        return max(0.0, self.total_epsilon - self.spent_epsilon)

    def can_afford(self, epsilon: float) -> bool:
        """Whether charging *epsilon* keeps the spend within the total."""
        return math.fsum((*(c.epsilon for c in self.charges), epsilon)) <= self.total_epsilon

    def charged(
        self, epsilon: float, *, at: datetime, report: str, policy: PolicyRef = DEFAULT_DP_POLICY.ref
    ) -> PrivacyBudget:
        """A new ledger with one more charge.

        Raises:
            InvalidValueError: the charge would overspend the total (check :meth:`can_afford`),
                or ε is not positive, or *at* is naive.
        """
        charge = PrivacyCharge(epsilon=epsilon, at=at, report=report, policy=policy)
        return PrivacyBudget(
            subject_id=self.subject_id, total_epsilon=self.total_epsilon, charges=(*self.charges, charge)
        )

"""Tests for profiler_core.dp: the exact discrete Laplace mechanism, policy, private reports, ledger."""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.analytics_builders import T0, accumulate, cohort, enrol, result, session

from profiler_core.analytics import AnalyticsPartial, CohortStats, partial_from_values, summarize_scores
from profiler_core.decisions import Policy, PolicyRef
from profiler_core.dp import (
    BREAKDOWN_QUERIES,
    DEFAULT_DP_POLICY,
    DISCRETE_LAPLACE,
    REPORT_QUERIES,
    SUM_SENSITIVITY,
    DifferentialPrivacyPolicy,
    Noised,
    PrivacyBudget,
    PrivateCohortReport,
    PrivateEnterpriseReport,
    PrivatePopulationReport,
    discrete_laplace,
    discrete_laplace_variance,
    private_cohort_report,
    private_enterprise_report,
    publish_private,
)
from profiler_core.errors import InvalidValueError, PolicyError
from profiler_core.models import CohortId, OrgId
from profiler_core.serialization import structure, unstructure
from profiler_core.testing.strategies_analytics import learner_rows
from profiler_core.vocabulary import TrackKey

# A cohort of 12 profiled learners (aptitude 40..62, overall 50..72, tracks split 7/5) and 3 unprofiled.
APTITUDES = [40.0 + 2 * i for i in range(12)]


def twelve() -> AnalyticsPartial:
    enrollments = [enrol(f"u{i:02d}", "c-a") for i in range(15)]
    sessions = [
        session(
            f"s{i:02d}",
            f"u{i:02d}",
            aptitude=APTITUDES[i],
            track=TrackKey.DEFENDER if i < 7 else TrackKey.OFFENSIVE,
        )
        for i in range(12)
    ]
    results = [result(f"s{i:02d}", 50.0 + 2 * i) for i in range(12)]
    return partial_from_values(enrollments=enrollments, sessions=sessions, results=results)


def noised_figures(report: PrivatePopulationReport) -> list[Noised[int] | Noised[float]]:
    """Every Noised figure of a population report, walked by hand."""
    population = report.population
    found: list[Noised[int] | Noised[float]] = [
        population.total,
        population.profiled,
        population.not_profiled,
    ]
    if population.profiled_pct is not None:
        found.append(population.profiled_pct)
    for block in (report.aptitude, report.technical_exposure, report.overall):
        found.append(block.count)
        if block.mean is not None:
            found.append(block.mean)
    found += [b.count for b in (*report.readiness, *report.tracks, *report.difficulty)]
    return found


class TestMechanism:
    @pytest.mark.parametrize("epsilon", [0.5, 1.0, 2.0])
    def test_mean_and_variance_match_the_discrete_laplace(self, epsilon: float) -> None:
        """Over 20,000 seeded draws the mean is ~0 and the variance 2q/(1-q)^2, q = e^-ε (within 6%)."""
        rng = random.Random(20260314)
        draws = [discrete_laplace(epsilon, 1, rng) for _ in range(20_000)]
        q = math.exp(-epsilon)
        expected = 2 * q / (1 - q) ** 2
        assert abs(statistics.fmean(draws)) < 5 * math.sqrt(expected / len(draws))
        assert statistics.pvariance(draws) == pytest.approx(expected, rel=0.06)

    def test_point_probabilities_match_the_two_sided_geometric(self) -> None:
        """P[X = x] = (1-q)/(1+q) q^|x| for x in -3..3 at ε = 1 (seeded, within 1.5 points of probability)."""
        rng = random.Random(7)
        draws = Counter(discrete_laplace(1.0, 1, rng) for _ in range(20_000))
        q = math.exp(-1.0)
        for x in range(-3, 4):
            assert draws[x] / 20_000 == pytest.approx((1 - q) / (1 + q) * q ** abs(x), abs=0.015)

    def test_sum_sensitivity_scales_the_noise(self) -> None:
        """With Δ = 10**8 micro-points the variance is the discrete Laplace's for ε/Δ (within 8%)."""
        rng = random.Random(11)
        draws = [discrete_laplace(1.0, SUM_SENSITIVITY, rng) for _ in range(5_000)]
        assert statistics.pvariance(draws) == pytest.approx(
            discrete_laplace_variance(1.0, SUM_SENSITIVITY), rel=0.08
        )

    def test_variance_formula_at_known_points(self) -> None:
        """discrete_laplace_variance: 2e^-1/(1-e^-1)^2 = 1.8413 at ε = 1; Δ divides ε."""
        assert discrete_laplace_variance(1.0) == pytest.approx(1.841347, abs=1e-6)
        assert discrete_laplace_variance(2.0, 2) == discrete_laplace_variance(1.0)

    def test_the_randomness_is_the_parameter(self) -> None:
        """The same seed gives the same draws; a float ε is read as its decimal (0.1 is exactly 1/10)."""
        first = [discrete_laplace(0.1, 1, random.Random(3)) for _ in range(3)]
        again = [discrete_laplace(Fraction(1, 10), 1, random.Random(3)) for _ in range(3)]
        assert first == again

    @pytest.mark.parametrize(("epsilon", "sensitivity"), [(0.0, 1), (-1.0, 1), (1.0, 0), (1.0, -3)])
    def test_rejects_a_non_positive_epsilon_or_sensitivity(self, epsilon: float, sensitivity: int) -> None:
        """ε <= 0 or Δ < 1 is an InvalidValueError, never a sample."""
        with pytest.raises(InvalidValueError):
            discrete_laplace(epsilon, sensitivity, random.Random(0))


class TestPolicy:
    def test_defaults(self) -> None:
        """dp@1: ε = 1 per report, a budget of 4; a Policy; ε split exactly over 10 queries."""
        assert isinstance(DEFAULT_DP_POLICY, Policy)
        assert str(DEFAULT_DP_POLICY.ref) == "dp@1"
        assert (DEFAULT_DP_POLICY.epsilon, DEFAULT_DP_POLICY.budget) == (1.0, 4.0)
        assert DEFAULT_DP_POLICY.share(len(REPORT_QUERIES)) == Fraction(1, 10)
        assert len(REPORT_QUERIES) == 10
        assert len(BREAKDOWN_QUERIES) == 4

    @pytest.mark.parametrize(
        "fields", [{"epsilon": 0.0}, {"epsilon": -1.0}, {"budget": 0.0}, {"epsilon": 2.0, "budget": 1.0}]
    )
    def test_rejects_bad_epsilons(self, fields: dict[str, float]) -> None:
        """ε and the budget are positive and one report's ε never exceeds the budget."""
        with pytest.raises(PolicyError):
            DifferentialPrivacyPolicy(epsilon=fields.get("epsilon", 1.0), budget=fields.get("budget", 4.0))


class TestPublish:
    def test_every_figure_is_noised_and_says_so(self) -> None:
        """Every published figure is Noised with the share ε (a mean: two shares) and the mechanism."""
        report = publish_private(twelve().stats_for("c-a"), epsilon=1.0, rng=random.Random(1))
        figures = noised_figures(report)
        means = [b.mean for b in (report.aptitude, report.technical_exposure, report.overall) if b.mean]
        # population 3 + share 1, three counts and their means, readiness 4, tracks 6, difficulty 6
        assert len(figures) == 3 + 1 + 3 + len(means) + 4 + 6 + 6
        assert {f.mechanism for f in figures} == {DISCRETE_LAPLACE}
        assert {m.epsilon for m in means} == {0.2}
        assert {f.epsilon for f in figures if all(f is not m for m in means)} == {0.1}

    @given(seed=st.integers(min_value=0, max_value=2**32))
    def test_published_figures_are_consistent_post_processing(self, seed: int) -> None:
        """Counts are >= 0, total = profiled + not profiled, means lie in 0..100 (or None at count 0)."""
        report = publish_private(twelve().stats_for("c-a"), epsilon=0.5, rng=random.Random(seed))
        population = report.population
        assert population.total.value == population.profiled.value + population.not_profiled.value
        assert all(f.value >= 0 for f in noised_figures(report))
        for block in (report.aptitude, report.technical_exposure, report.overall):
            assert (block.mean is None) == (block.count.value == 0)
            assert block.mean is None or 0.0 <= block.mean.value <= 100.0

    def test_noise_is_centred_on_the_exact_figures(self) -> None:
        """At a huge ε the noise vanishes: the figures are the exact ones (12 profiled of 15, mean 51)."""
        report = publish_private(twelve().stats_for("c-a"), epsilon=10**9, rng=random.Random(5))
        assert (report.population.total.value, report.population.profiled.value) == (15, 12)
        assert report.aptitude.count.value == 12
        assert report.aptitude.mean is not None
        assert report.aptitude.mean.value == 51.0
        assert report.technical_exposure.count.value == 0
        assert report.technical_exposure.mean is None
        assert {b.key: b.count.value for b in report.tracks}["defender"] == 7
        assert {b.key: b.count.value for b in report.readiness} == {
            "novice": 0,
            "beginner": 5,
            "intermediate": 7,
            "advanced": 0,
        }

    def test_the_exact_state_is_untouched(self) -> None:
        """Publishing draws noise into the report only: the statistics equal a fresh copy afterwards."""
        stats = twelve().stats_for("c-a")
        publish_private(stats, rng=random.Random(2))
        assert stats == twelve().stats_for("c-a")
        assert summarize_scores(stats.aptitude) == summarize_scores(twelve().stats_for("c-a").aptitude)

    def test_without_a_source_each_call_draws_fresh_system_randomness(self) -> None:
        """rng=None uses a new SystemRandom: the module's random state is neither read nor advanced."""
        random.seed(99)
        expected = random.random()
        random.seed(99)
        report = publish_private(twelve().stats_for("c-a"))
        assert random.random() == expected
        assert report.population.total.epsilon == 0.1

    @given(
        rows=learner_rows(("c-1", "c-2")),
        split=st.integers(min_value=0, max_value=2**24),
        seed=st.integers(min_value=0, max_value=99),
    )
    def test_merge_then_publish_equals_publish_of_the_union(
        self, rows: list[tuple[object, ...]], split: int, seed: int
    ) -> None:
        """Partials of a learner partition merge into the union's exact state; a seeded publish is equal."""
        # Rows are ("u-NNN", cohort, ...): a learner's rows all go to the side their number picks.
        side = {row[0]: bool(split >> (int(str(row[0])[2:]) % 24) & 1) for row in rows}
        left = accumulate(r for r in rows if side[r[0]])
        right = accumulate(r for r in rows if not side[r[0]])
        union = accumulate(rows)
        merged = left.merge(right)
        assert merged == union
        for cid in ("c-1", "c-2"):
            assert publish_private(merged.stats_for(cid), rng=random.Random(seed)) == publish_private(
                union.stats_for(cid), rng=random.Random(seed)
            )

    def test_cohort_report_names_its_policies_and_epsilon(self) -> None:
        """A private cohort report carries the cohort, analytics@1, dp@1 and the ε it spent."""
        policy = DifferentialPrivacyPolicy(epsilon=0.5, budget=2.0)
        report = private_cohort_report(cohort("c-a"), twelve(), privacy=policy, rng=random.Random(3))
        assert report.cohort.id == "c-a"
        assert (str(report.policy), str(report.privacy), report.epsilon) == ("analytics@1", "dp@1", 0.5)
        assert report.body.population.total.epsilon == 0.05

    def test_enterprise_report_rolls_up_distinct_learners_and_bounds_contributions(self) -> None:
        """Rollup counts a two-cohort learner once; rows count them in the smallest id only; ε/14 each."""
        enrollments = [enrol(f"a{i}", "c-a") for i in range(3)] + [enrol(f"b{i}", "c-b") for i in range(2)]
        enrollments += [enrol("both", "c-a"), enrol("both", "c-b"), enrol("x", "c-x")]
        partial = partial_from_values(enrollments=enrollments, sessions=[], results=[])
        cohorts = [cohort("c-b"), cohort("c-a"), cohort("c-x", enterprise="org-other")]
        report = private_enterprise_report(
            "org-1", cohorts, partial, privacy=DifferentialPrivacyPolicy(epsilon=10**9, budget=10**9)
        )
        assert report.enterprise_id == OrgId("org-1")
        assert report.rollup.population.total.value == 6
        assert {cid: row.population.total.value for cid, row in report.cohorts.items()} == {
            CohortId("c-a"): 4,
            CohortId("c-b"): 2,
        }
        small = private_enterprise_report("org-1", cohorts, partial, rng=random.Random(4))
        assert small.rollup.population.total.epsilon == pytest.approx(1 / 14)
        assert small.cohorts[CohortId("c-b")].population.total.epsilon == pytest.approx(1 / 14)


class TestJson:
    def test_noised_json_shape(self) -> None:
        """A noised figure is {"value", "epsilon", "mechanism"} on the wire."""
        assert unstructure(Noised(value=12, epsilon=0.1)) == {
            "value": 12,
            "epsilon": 0.1,
            "mechanism": "discrete_laplace",
        }

    def test_private_reports_round_trip(self) -> None:
        """Private cohort and enterprise reports read back equal through the wire edge."""
        partial = twelve()
        cohort_report = private_cohort_report(cohort("c-a"), partial, rng=random.Random(8))
        enterprise = private_enterprise_report("org-1", [cohort("c-a")], partial, rng=random.Random(9))
        assert structure(unstructure(cohort_report), PrivateCohortReport) == cohort_report
        assert structure(unstructure(enterprise), PrivateEnterpriseReport) == enterprise
        data = unstructure(cohort_report)
        assert isinstance(data, dict)
        assert (data["policy"], data["privacy"], data["epsilon"]) == ("analytics@1", "dp@1", 1.0)


class TestLedger:
    def test_charge_spend_and_remaining(self) -> None:
        """Charges add up exactly (fsum), remaining is total - spent, and the charges are kept in order."""
        ledger = PrivacyBudget.open(7, total_epsilon=1.0)
        for n in range(10):
            ledger = ledger.charged(0.1, at=T0 + timedelta(hours=n), report="cohort_report")
        assert ledger.subject_id == "7"
        assert (ledger.spent_epsilon, ledger.remaining_epsilon) == (1.0, 0.0)
        assert not ledger.can_afford(1e-9)
        assert [c.at for c in ledger.charges] == [T0 + timedelta(hours=n) for n in range(10)]
        assert {c.policy for c in ledger.charges} == {PolicyRef(id="dp", version=1)}

    def test_an_overspending_ledger_is_not_a_value(self) -> None:
        """Charging past the total raises; the ledger it was charged from is unchanged."""
        ledger = PrivacyBudget.open("c-1", total_epsilon=1.0).charged(0.75, at=T0, report="cohort_report")
        with pytest.raises(InvalidValueError, match="more than total"):
            ledger.charged(0.5, at=T0, report="cohort_report")
        assert ledger.spent_epsilon == 0.75

    def test_rejects_a_naive_time_and_a_non_positive_charge(self) -> None:
        """A charge's time is timezone-aware and its ε positive."""
        ledger = PrivacyBudget.open("c-1", total_epsilon=1.0)
        with pytest.raises(InvalidValueError):
            ledger.charged(0.5, at=datetime(2026, 1, 1), report="cohort_report")
        with pytest.raises(InvalidValueError):
            ledger.charged(0.0, at=T0, report="cohort_report")

    @given(
        total=st.floats(min_value=0.01, max_value=10.0),
        asks=st.lists(st.floats(min_value=0.001, max_value=3.0), max_size=30),
    )
    def test_never_negative_whatever_is_asked(self, total: float, asks: list[float]) -> None:
        """Charging only what can_afford allows keeps spent <= total, remaining >= 0; the rest is refused."""
        ledger = PrivacyBudget.open("c-1", total_epsilon=total)
        accepted: list[float] = []
        for epsilon in asks:
            if ledger.can_afford(epsilon):
                ledger = ledger.charged(epsilon, at=T0, report="cohort_report")
                accepted.append(epsilon)
            else:
                assert math.fsum([*accepted, epsilon]) > total
        assert ledger.spent_epsilon == math.fsum(accepted) <= total
        assert ledger.remaining_epsilon >= 0

    def test_round_trips_through_the_wire(self) -> None:
        """The ledger a host stores reads back equal; its JSON lists total and charges."""
        ledger = PrivacyBudget.open("c-1", total_epsilon=2).charged(
            1.0, at=datetime(2026, 3, 1, tzinfo=UTC), report="enterprise_report"
        )
        data = unstructure(ledger)
        assert data == {
            "subject_id": "c-1",
            "total_epsilon": 2.0,
            "charges": [
                {
                    "epsilon": 1.0,
                    "at": "2026-03-01T00:00:00+00:00",
                    "report": "enterprise_report",
                    "policy": "dp@1",
                }
            ],
        }
        assert structure(data, PrivacyBudget) == ledger


def test_stats_helper_is_the_cohorts() -> None:
    """The twelve-learner fixture is what the figures above assume (guards the fixture itself)."""
    stats: CohortStats = twelve().stats_for("c-a")
    assert (stats.total, stats.profiled, stats.aptitude.count, stats.overall.count) == (15, 12, 12, 12)

"""The differencing attacker of issue 14 (attack 3): it wins on the default policy and loses under DP.

Two reports of one cohort, before and after one learner enrols, give that
learner's aptitude as ``mean_after * count_after - mean_before * count_before``.
The documented noise scale of a score sum under the DP policy is
``b = 100 / (ε / 10)`` points (Δ = 100 points, ε split over 10 queries).
"""

from __future__ import annotations

import math
import random
import statistics

import pytest
from tests.analytics_builders import cohort, enrol, session

from profiler_core.analytics import (
    AnalyticsPartial,
    CohortReport,
    ScoreSummary,
    cohort_report,
    partial_from_values,
)
from profiler_core.dp import DifferentialPrivacyPolicy, PrivateCohortReport, private_cohort_report

NEWCOMER = 73.21
APTITUDES = [round(40 + (i * 37) % 55 + 0.37 * (i % 3), 2) for i in range(20)]
COHORT = cohort("c-a", enterprise=None)


def population(*, with_newcomer: bool) -> AnalyticsPartial:
    enrollments = [enrol(f"u{i:02d}", "c-a") for i in range(20)]
    sessions = [session(f"s{i:02d}", f"u{i:02d}", aptitude=APTITUDES[i]) for i in range(20)]
    if with_newcomer:
        enrollments.append(enrol("new", "c-a"))
        sessions.append(session("s-new", "new", aptitude=NEWCOMER))
    return partial_from_values(enrollments=enrollments, sessions=sessions, results=[])


def default_sum(report: CohortReport) -> float:
    block = report.body.aptitude
    assert isinstance(block, ScoreSummary)
    assert isinstance(block.count, int)
    return block.mean * block.count


def private_sum(report: PrivateCohortReport) -> float:
    block = report.body.aptitude
    return 0.0 if block.mean is None else block.mean.value * block.count.value


def test_the_attack_recovers_the_score_under_the_default_policy() -> None:
    """Regression (issue 14, attack 3): default reports before/after give 73.19 for a true 73.21."""
    before = cohort_report(COHORT, population(with_newcomer=False))
    after = cohort_report(COHORT, population(with_newcomer=True))
    estimate = default_sum(after) - default_sum(before)
    assert estimate == pytest.approx(NEWCOMER, abs=0.25)


@pytest.mark.parametrize("epsilon", [1.0, 4.0])
def test_the_attack_fails_under_the_dp_policy(epsilon: float) -> None:
    """Over 300 seeded report pairs the attacker's RMS error is at least b = 1000/ε points; never within 1."""
    privacy = DifferentialPrivacyPolicy(epsilon=epsilon, budget=max(epsilon, 4.0))
    before, after = population(with_newcomer=False), population(with_newcomer=True)
    errors = []
    for trial in range(300):
        first = private_cohort_report(COHORT, before, privacy=privacy, rng=random.Random(2 * trial))
        second = private_cohort_report(COHORT, after, privacy=privacy, rng=random.Random(2 * trial + 1))
        errors.append(private_sum(second) - private_sum(first) - NEWCOMER)
    scale = 100 / (epsilon / 10)
    assert math.sqrt(statistics.fmean(e * e for e in errors)) >= scale
    assert statistics.median(abs(e) for e in errors) >= scale / 2
    assert not any(abs(e) < 1 for e in errors)

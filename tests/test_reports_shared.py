"""One protection per enterprise (issue 15): analytics_reports equals the one-report-at-a-time functions."""

from __future__ import annotations

import hashlib
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from profiler_core import Cohort
from profiler_core.analytics import (
    AnalyticsAccumulator,
    AnalyticsPartial,
    SuppressionPolicy,
    analytics_reports,
    cohort_reports,
    enterprise_report,
)
from profiler_core.models import CohortId, OrgId
from profiler_core.serialization import unstructure
from profiler_core.testing import strategies_analytics as ast

LearnerRow = tuple[object, ...]


def _partial(rows: list[LearnerRow]) -> AnalyticsPartial:
    accumulator = AnalyticsAccumulator()
    accumulator.add_rows(rows)
    return accumulator.partial()


def _golden_rows(
    seed: int, learners: int, cohorts: int, enterprises: int
) -> tuple[list[LearnerRow], list[Cohort]]:
    """Deterministic rows: every 11th cohort unsponsored, 10% of learners in a second cohort."""
    rng = random.Random(seed)
    made = [
        Cohort(
            id=CohortId(f"c-{n:03d}"),
            name=f"Cohort {n % 7}",
            enterprise_id=None if n % 11 == 10 else OrgId(f"org-{n % enterprises}"),
        )
        for n in range(cohorts)
    ]
    rows: list[LearnerRow] = []
    for user in range(learners):
        first = rng.randrange(cohorts)
        ids = [first] + ([(first + enterprises) % cohorts] if rng.random() < 0.1 else [])
        session: tuple[object, ...]
        if rng.random() < 0.8:
            session = (
                rng.choice(("finished", "locked")),
                None if rng.random() < 0.1 else f"2026-{rng.randint(1, 12):02d}-03T10:00:00Z",
                rng.choice(("novice", "advanced", None)),
                rng.choice(("defender", "grc", None)),
                rng.randint(0, 10000) / 100,
                rng.choice((None, rng.randint(0, 100) * 1.0)),
                rng.choice((None, rng.randint(0, 10000) / 100)),
                tuple(rng.sample(("web", "cloud", "linux", "crypto"), rng.randint(0, 2))),
            )
        else:
            session = (None, None, None, None, None, None, None, ())
        for n in ids:
            status = rng.choice(("active", "active", "completed", "withdrawn"))
            rows.append((user, made[n].id, status, *session))
    return rows, made


def _document(cohorts: list[Cohort], partial: AnalyticsPartial, k: int) -> str:
    policy = SuppressionPolicy(k=k)
    both = analytics_reports(cohorts, partial, suppression=policy)
    return json.dumps(
        {"cohorts": unstructure(both.cohorts), "enterprises": unstructure(both.enterprises)}, sort_keys=True
    )


class TestAnalyticsReports:
    @settings(max_examples=40)
    @given(
        cohorts=ast.enterprise_cohorts("org-1", max_cohorts=3),
        others=ast.enterprise_cohorts("org-2", max_cohorts=2),
        lone=st.booleans(),
        rows=ast.learner_rows(("c-1", "c-2", "c-3", "c-4", "c-5"), max_learners=40),
        k=st.integers(min_value=1, max_value=6),
    )
    def test_equals_cohort_reports_and_enterprise_report(
        self, cohorts: list[Cohort], others: list[Cohort], lone: bool, rows: list[LearnerRow], k: int
    ) -> None:
        """On generated data the shared path gives the reports, and the JSON, of the old functions."""
        sponsored_elsewhere = [
            Cohort(id=CohortId(f"c-{len(cohorts) + i + 1}"), name=c.name, enterprise_id=c.enterprise_id)
            for i, c in enumerate(others)
        ]
        every = [*cohorts, *sponsored_elsewhere]
        if lone and len(every) < 5:
            every.append(Cohort(id=CohortId("c-5"), name="Alone", enterprise_id=None))
        partial = _partial(rows)
        policy = SuppressionPolicy(k=k)
        both = analytics_reports(every, partial, suppression=policy)
        old_cohorts = cohort_reports(every, partial, suppression=policy)
        sponsors = sorted({c.enterprise_id for c in every if c.enterprise_id is not None})
        old_enterprises = {e: enterprise_report(e, every, partial, suppression=policy) for e in sponsors}
        assert both.cohorts == old_cohorts
        assert both.enterprises == old_enterprises
        assert list(both.enterprises) == sponsors
        assert json.dumps(unstructure(both.cohorts)) == json.dumps(unstructure(old_cohorts))
        assert json.dumps(unstructure(both.enterprises)) == json.dumps(unstructure(old_enterprises))

    def test_unsponsored_cohorts_get_no_enterprise_report(self) -> None:
        """A cohort without a sponsor has its cohort report and adds no enterprise."""
        rows, cohorts = _golden_rows(9, 200, 11, 2)
        lone = [c for c in cohorts if c.enterprise_id is None]
        both = analytics_reports(lone, _partial(rows))
        assert list(both.cohorts) == [c.id for c in lone]
        assert both.enterprises == {}

    @pytest.mark.parametrize(
        ("seed", "learners", "cohorts", "enterprises", "k", "sha256"),
        [
            (1, 600, 24, 3, 5, "cb6ef4111851674977eb7d5e8b7374a5086a006fc92a761515baa6f7e37bfa2e"),
            (2, 1500, 40, 4, 3, "f8c7170d103813ab3131e8a3177e8f8e0f51d8366073bc5f425ca5a0b01aeda6"),
            (3, 3000, 30, 2, 5, "b8b822726fed040e750b2fa29973cf74478a6b6bdf4b7b7848115358ba473c8e"),
            (4, 400, 12, 2, 2, "6d014e813d9870956f70cabfad780ea2249b03341b3edd6a9f1f04250373f763"),
            (6, 900, 60, 4, 5, "36acc131f67a5ab3071396701b379f5563229ea4c1a050c24afdce893c10f88b"),
        ],
    )
    def test_reports_are_byte_identical_to_before_the_shared_path(
        self, seed: int, learners: int, cohorts: int, enterprises: int, k: int, sha256: str
    ) -> None:
        """Every report's JSON hashes to what cohort_reports + enterprise_report gave before the change.

        The hashes were taken by running the code before the change (one
        protection per report, every merge checked) on these rows: a faster
        protection must not move a single published figure.
        """
        rows, made = _golden_rows(seed, learners, cohorts, enterprises)
        assert hashlib.sha256(_document(made, _partial(rows), k).encode()).hexdigest() == sha256

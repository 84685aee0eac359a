"""The cost of the positivity audit (issue 14): 1,000 cohorts' reports with and without it.

Today's suppression (phases 1 and 2: primary and complementary cells, issue 7)
is what the reports ran before issue 14; the default now adds phase 3, the
positivity audit (a bounds-propagation attacker that suppresses more cells
until no suppressed count is pinned) and coarse order statistics. The old
algorithm stays callable here by switching the audit off for the run
(:func:`without_audit`), so both sides report the same partial in one process.

Two workloads: the enterprise of ``bench_analytics`` (1,000 cohorts of about
1,000 learners: few small cells), and 1,000 small cohorts (5 to 30 learners,
ten enterprises of 100: many suppressed cells, where the audit works hardest).
For each: best-of wall time of ``cohort_reports`` + ``enterprise_report``,
the ratio (target <= 1.5) and the share of published cells. It asserts nothing.
"""

from __future__ import annotations

import contextlib
import gc
import random
import time
from collections.abc import Callable, Iterator, Sequence

from benchmarks.bench_analytics import build_rows
from profiler_core import suppression
from profiler_core.analytics import (
    AnalyticsAccumulator,
    AnalyticsPartial,
    cohort_reports,
    enterprise_report,
)
from profiler_core.models import Cohort, CohortId, OrgId
from profiler_core.reports import CohortReport, EnterpriseReport, Suppressed

__all__ = ["main", "without_audit", "small_cohorts"]

REPEATS = 3


@contextlib.contextmanager
def without_audit() -> Iterator[None]:
    """Today's suppression (before issue 14): phase 3, the positivity audit, switched off."""
    audit = suppression._audit
    suppression._audit = lambda *_args, **_kwargs: None
    try:
        yield
    finally:
        suppression._audit = audit


def small_cohorts(seed: int = 14) -> tuple[AnalyticsPartial, list[Cohort]]:
    """1,000 cohorts of 5 to 30 learners, ten sponsors of 100 cohorts each."""
    rng = random.Random(seed)
    cohorts = [
        Cohort(id=CohortId(f"s-{n:04d}"), name=f"Small {n}", enterprise_id=OrgId(f"org-{n % 10}"))
        for n in range(1000)
    ]
    rows: list[tuple[object, ...]] = []
    tracks = ("defender", "offensive", "innovation", "leadership", "grc", None)
    user = 0
    for c in cohorts:
        for _ in range(rng.randint(5, 30)):
            user += 1
            session: tuple[object, ...]
            if rng.random() < 0.8:
                overall = round(rng.uniform(0, 100), 2) if rng.random() < 0.9 else None
                session = (
                    "finished",
                    f"2026-0{rng.randint(1, 6)}-02T10:00:00Z",
                    rng.choice(("novice", "beginner", "advanced", None)),
                    rng.choice(tracks),
                    round(rng.uniform(0, 100), 2),
                    round(rng.uniform(0, 100), 2),
                    overall,
                    tuple(rng.sample(("networking", "linux", "cloud", "web"), rng.randint(0, 2))),
                )
            else:
                session = (None, None, None, None, None, None, None, ())
            rows.append((f"u-{user:06d}", c.id, "active", *session))
    accumulator = AnalyticsAccumulator()
    accumulator.add_rows(rows)
    return accumulator.partial(), cohorts


def _reports(partial: AnalyticsPartial, cohorts: Sequence[Cohort]) -> list[CohortReport | EnterpriseReport]:
    out: list[CohortReport | EnterpriseReport] = list(cohort_reports(cohorts, partial).values())
    for sponsor in sorted({c.enterprise_id for c in cohorts if c.enterprise_id is not None}):
        out.append(enterprise_report(sponsor, cohorts, partial))
    return out


def _best(run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        gc.collect()
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def _published_share(reports: Sequence[CohortReport | EnterpriseReport]) -> tuple[int, int]:
    """(suppressed counts, all counts) of the populations and distributions of *reports*."""
    hidden = total = 0
    for report in reports:
        body = report.body if isinstance(report, CohortReport) else report.rollup
        population = body.population
        counts = [population.total, population.profiled, population.not_profiled]
        for buckets in (body.readiness, body.tracks, body.difficulty, body.completions):
            counts += [b.count for b in buckets]
        total += len(counts)
        hidden += sum(1 for c in counts if isinstance(c, Suppressed))
    return hidden, total


def _compare(label: str, partial: AnalyticsPartial, cohorts: Sequence[Cohort]) -> None:
    with without_audit():
        old_reports = _reports(partial, cohorts)
        old = _best(lambda: _reports(partial, cohorts))
    new_reports = _reports(partial, cohorts)
    new = _best(lambda: _reports(partial, cohorts))
    old_hidden, old_all = _published_share(old_reports)
    new_hidden, new_all = _published_share(new_reports)
    print(f"{label}")
    print(
        f"  without the audit (today's) {old * 1000:9.1f} ms, {old_hidden:,} of {old_all:,} counts suppressed"
    )
    print(
        f"  with the audit (default)    {new * 1000:9.1f} ms, {new_hidden:,} of {new_all:,} counts suppressed"
    )
    print(
        f"  ratio {new / old:5.2f}x (target <= 1.5); counts published "
        f"{1 - old_hidden / old_all:.1%} -> {1 - new_hidden / new_all:.1%}"
    )


def main() -> None:
    """Build both workloads and print the audit's cost."""
    rows, cohorts = build_rows(1_000_000)
    accumulator = AnalyticsAccumulator()
    accumulator.add_rows(rows)
    _compare("1,000 cohorts of ~1,000 learners (one enterprise)", accumulator.partial(), cohorts)
    partial, small = small_cohorts()
    _compare("1,000 cohorts of 5-30 learners (ten enterprises)", partial, small)


if __name__ == "__main__":
    main()

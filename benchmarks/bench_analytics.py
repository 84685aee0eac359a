"""Enterprise analytics: 1,000,000 learner rows in 1,000 cohorts, beside pandas.

The rows are what a host hands over (``QuerySet.values_list()`` tuples in
:data:`~profiler_core.analytics.ROW_FIELDS` order: one learner's enrollment
with their latest completed session, aware ``datetime`` timestamps, ``None``
for what is missing), one enterprise sponsoring every cohort. Both sides
compute, from the same rows, in one process:

* **profiler_core**: :class:`~profiler_core.analytics.AnalyticsAccumulator`
  over the rows, then :func:`~profiler_core.analytics.cohort_reports` for the
  1,000 cohorts and :func:`~profiler_core.analytics.enterprise_report` (with
  small-cohort and complementary suppression, every metric of SPEC §9, as
  report values);
* **pandas**: ``DataFrame.from_records`` (construction included), then per
  cohort and for the enterprise: total, profiled, not profiled and profiled %,
  count/mean/std/min/max/quartiles of the three scores, readiness bands,
  track and difficulty distributions, top strengths (``explode``), completions
  per UTC month, and the primary suppression mask (no complementary
  suppression: pandas has none, which favours the baseline).

Time is the best of several interleaved repetitions (wall clock and CPU).
Peak memory is measured with :mod:`tracemalloc` in separate runs (numpy's
buffers are traced), excluding the rows both sides receive. Then the
mergeability payoff: merging the 1,000 cohort statistics into the enterprise's
(and building its report) against recomputing it from the rows.

Targets (issue 7): time ratio <= 1.0, peak-memory ratio <= 0.25, merge >= 100x
faster than recomputing. The benchmark prints numbers; it asserts nothing.
"""

from __future__ import annotations

import gc
import random
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import pandas as pd

from profiler_core.analytics import (
    ROW_FIELDS,
    AnalyticsAccumulator,
    AnalyticsPartial,
    CohortStats,
    cohort_reports,
    enterprise_report,
)
from profiler_core.models import Cohort, CohortId, OrgId

__all__ = ["main", "build_rows", "library_reports", "pandas_reports"]

LEARNERS = 1_000_000
COHORTS = 1_000
REPEATS = 3
K = 5
ENTERPRISE = OrgId("org-bench")
_TRACKS = ("defender", "offensive", "innovation", "leadership", "grc", None)
_SELECTIONS = ("novice", "beginner", "intermediate", "advanced", "elite", None)
_STRENGTHS = ("networking", "security", "programming", "linux", "windows", "cloud", "cryptography", "web")
_START = datetime(2025, 9, 1, tzinfo=UTC)

Row = tuple[object, ...]


def build_rows(
    learners: int = LEARNERS, cohorts: int = COHORTS, seed: int = 7
) -> tuple[list[Row], list[Cohort]]:
    """The host's rows (ordered by learner) and the cohorts, deterministic for a seed."""
    rng = random.Random(seed)
    cohort_values = [
        Cohort(id=CohortId(f"c-{n:04d}"), name=f"Cohort {n % 50}", enterprise_id=ENTERPRISE)
        for n in range(cohorts)
    ]
    ids = [c.id for c in cohort_values]
    rows: list[Row] = []
    for number in range(learners):
        status = (
            "active" if rng.random() < 0.85 else rng.choice(("completed", "withdrawn", "pending_payment"))
        )
        profiled = rng.random() < 0.8
        if profiled:
            overall = round(rng.uniform(0, 100), 2) if rng.random() < 0.9 else None  # some have no result row
            session = (
                "finished" if rng.random() < 0.7 else "locked",
                _START + timedelta(minutes=rng.randrange(365 * 24 * 60)),
                rng.choice(_SELECTIONS),
                rng.choice(_TRACKS),
                round(rng.uniform(0, 100), 2),
                round(rng.uniform(0, 100), 2),
                overall,
                tuple(rng.sample(_STRENGTHS, rng.randint(0, 3))),
            )
        else:
            session = (rng.choice((None, "in_progress", "started")), None, None, None, None, None, None, ())
        rows.append((f"u-{number:07d}", ids[number % cohorts], status, *session))
    return rows, cohort_values


def library_reports(rows: Sequence[Row], cohorts: Sequence[Cohort]) -> tuple[AnalyticsPartial, int]:
    """The library's cohort and enterprise reports; returns the partial and the number of reports."""
    accumulator = AnalyticsAccumulator()
    accumulator.add_rows(rows)
    partial = accumulator.partial()
    reports = cohort_reports(cohorts, partial)
    enterprise_report(ENTERPRISE, cohorts, partial)
    return partial, len(reports) + 1


def _metrics(frame: pd.DataFrame, keys: list[str]) -> dict[str, object]:
    """Every SPEC §9 metric of *frame* grouped by *keys* (an empty list: the whole frame)."""

    def grouped(data: pd.DataFrame) -> object:
        return data.groupby(keys, sort=False) if keys else data.groupby(lambda _index: 0)

    out: dict[str, object] = {}
    total = grouped(frame).size()  # type: ignore[attr-defined]
    profiled_frame = frame[frame["session_status"].isin(("finished", "locked"))]
    profiled = grouped(profiled_frame).size()  # type: ignore[attr-defined]
    out["population"] = pd.DataFrame({"total": total, "profiled": profiled}).fillna(0)
    out["pct"] = out["population"]["profiled"] / out["population"]["total"] * 100  # type: ignore[index]
    by = grouped(profiled_frame)
    for score in ("aptitude_score", "technical_exposure_score", "overall_score"):
        column = by[score]  # type: ignore[index]
        out[score] = column.agg(["count", "mean", "min", "max"])
        out[f"{score}_std"] = column.std(ddof=0)
        out[f"{score}_quartiles"] = column.quantile([0.25, 0.5, 0.75])
    bands = pd.cut(profiled_frame["overall_score"], [0, 40, 60, 80, 100.000001], right=False)
    out["readiness"] = profiled_frame.groupby([*keys, bands], observed=False, sort=False).size()
    for name, column in (("tracks", "recommended_track"), ("difficulty", "difficulty_selection")):
        values = profiled_frame[column].fillna("none")
        out[name] = profiled_frame.groupby([*keys, values], sort=False).size()
    strengths = profiled_frame[[*keys, "strengths"]].explode("strengths").dropna(subset=["strengths"])
    counts = strengths.groupby([*keys, "strengths"], sort=False).size().sort_values(ascending=False)
    out["top_strengths"] = counts.groupby(level=keys).head(5) if keys else counts.head(5)
    stamps = pd.to_datetime(profiled_frame["completed_at"], utc=True)
    months = stamps.dt.year * 100 + stamps.dt.month
    out["completions"] = profiled_frame.groupby([*keys, months], sort=False).size()
    for name in ("readiness", "tracks", "difficulty", "completions"):
        table = out[name]
        assert isinstance(table, pd.Series)
        out[name] = table.where((table >= K) | (table == 0))  # primary suppression only
    return out


def pandas_reports(rows: Sequence[Row]) -> int:
    """The same metrics with pandas, DataFrame construction included; returns the number of reports."""
    frame = pd.DataFrame.from_records(rows, columns=list(ROW_FIELDS))
    counted = frame[frame["enrollment_status"].isin(("active", "completed"))]
    per_cohort = _metrics(counted, ["cohort_id"])
    _metrics(counted.drop_duplicates("user_id"), [])  # the enterprise: distinct learners
    population = per_cohort["population"]
    assert isinstance(population, pd.DataFrame)
    return len(population) + 1


def _best(runs: Sequence[Callable[[], object]], repeats: int) -> list[tuple[float, float]]:
    """Best (wall, cpu) seconds of each callable, interleaved so both see the same load."""
    best = [(float("inf"), float("inf"))] * len(runs)
    for _ in range(repeats):
        for index, run in enumerate(runs):
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            best[index] = (min(best[index][0], wall), min(best[index][1], cpu))
    return best


def _peak(run: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    """Build the rows, measure both sides, print times, memory and ratios."""
    started = time.perf_counter()
    rows, cohorts = build_rows()
    built = time.perf_counter() - started
    print(f"{len(rows):,} learner rows, {len(cohorts):,} cohorts ({built:.1f}s to build)")
    partial, reports = library_reports(rows, cohorts)  # warm-up (and the partial for the merge test)
    assert reports == pandas_reports(rows) == len(cohorts) + 1
    (lib_wall, lib_cpu), (pd_wall, pd_cpu) = _best(
        [lambda: library_reports(rows, cohorts), lambda: pandas_reports(rows)], REPEATS
    )
    print(f"time     profiler_core {lib_wall:6.2f}s wall {lib_cpu:6.2f}s cpu")
    print(f"         pandas        {pd_wall:6.2f}s wall {pd_cpu:6.2f}s cpu")
    print(
        f"         ratio         {lib_wall / pd_wall:6.2f}  wall {lib_cpu / pd_cpu:6.2f}  cpu (target <= 1.0)"
    )
    lib_peak = _peak(lambda: library_reports(rows, cohorts))
    pd_peak = _peak(lambda: pandas_reports(rows))
    print(f"memory   profiler_core {lib_peak / 2**20:7.1f} MiB peak")
    print(f"         pandas        {pd_peak / 2**20:7.1f} MiB peak")
    print(f"         ratio         {lib_peak / pd_peak:7.3f}            (target <= 0.25)")

    per_cohort = [partial.stats_for(c.id) for c in cohorts]

    def recompute() -> object:
        accumulator = AnalyticsAccumulator()
        accumulator.add_rows(rows)
        return accumulator.partial().rollup([c.id for c in cohorts])

    (merge_wall, _), (report_wall, _), (rows_wall, _), (rows_report_wall, _) = _best(
        [
            lambda: CohortStats.merge_all(per_cohort),
            lambda: enterprise_report(ENTERPRISE, cohorts, partial),
            recompute,
            lambda: library_reports(rows, cohorts),
        ],
        REPEATS,
    )
    print(f"merge    1,000 cohort statistics into the enterprise's: {merge_wall * 1000:8.1f} ms")
    print(f"         recomputing them from the rows:                {rows_wall * 1000:8.1f} ms")
    print(f"         speed-up {rows_wall / merge_wall:8.0f}x                               (target >= 100x)")
    print(
        f"report   enterprise report (merge, suppression, report) from partials: {report_wall * 1000:.1f} ms,"
    )
    print(f"         {rows_report_wall / report_wall:.0f}x faster than rows -> partial -> every report")


if __name__ == "__main__":
    main()

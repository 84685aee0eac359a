"""Analytics from in-memory rows: profiler_core beside pandas, polars, DuckDB and a bare Python loop.

The job (issue 15): a host hands over learner rows, Python tuples in
:data:`~profiler_core.analytics.ROW_FIELDS` order, one per enrollment, ordered
by learner (``QuerySet.values_list()``: int user ids, aware ``datetime``
timestamps, float scores, ``None`` for what is missing, strengths as tuples).
About 1,000 cohorts in 50 enterprises; 5% of learners hold a second
enrollment in another cohort of the same enterprise, so enterprise figures
must count distinct learners. Every contender computes, from the same rows,
for each cohort and each enterprise: total (counted enrollments: ``active``,
``completed``), profiled (session ``finished`` or ``locked``), for the three
scores count/mean/standard deviation (population)/min/max/quartiles, the
readiness bands of the overall score, the track, difficulty, strength and
completion-month distributions.

* **profiler_core**: ``AnalyticsAccumulator().add_rows(rows)``, ``partial()``,
  then ``analytics_reports(cohorts, partial)``: every cohort report and the
  report of each of the 50 enterprises, each enterprise protected once for
  both (checked equal to ``cohort_reports`` and ``enterprise_report`` first):
  report values with small-cohort and complementary suppression and the
  positivity audit (which the baselines do not do).
* **bare loop**: one plain Python loop over the rows (no validation) keeping
  sums per membership, merged per cohort and enterprise at the end: the floor
  a library in pure Python is measured against.
* **pandas**, **polars**: build the DataFrame from the rows (in their time),
  then vectorised group-bys (``explode`` for strengths), one pass for cohorts
  and one over the learners deduplicated per enterprise.
* **DuckDB**: the rows become an Arrow table (in its time: DuckDB has no
  faster way in from Python objects), then SQL (``GROUP BY``, ``UNNEST``,
  ``stddev_pop``), results fetched as Python values.

Quartiles are defined identically for all: the library's (one-point bins; the
j-th of the c scores in bin b sits at b + j/c, clamped to [min, max]; linear
interpolation between order statistics). Each baseline computes the 101-bin
histogram of each score per group with its own group-by, then the shared
:func:`quartiles` turns it into figures. Before anything is timed the figures
of every contender are checked equal (counts and distributions exactly, floats
to 1e-9 relative; the library's published report figures against the
baselines' rounded ones).

Time: min and median over ``--rounds`` (default 3) interleaved rounds, wall
clock and CPU. Peak memory: the peak resident set size (``VmHWM`` after
``clear_refs``, so native allocators count too) above the resident size once
the rows are built, each contender in its own fresh process. Run with
``python -m benchmarks analytics`` (``--10m`` adds 10M rows); it prints numbers
and ratios with the targets beside them, and asserts only that the figures agree.
"""

from __future__ import annotations

import gc
import math
import os
import random
import statistics
import subprocess
import sys
import time
from bisect import bisect_right
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from profiler_core.analytics import (
    ROW_FIELDS,
    AnalyticsAccumulator,
    AnalyticsPartial,
    CohortReport,
    CohortStats,
    EnterpriseReport,
    ScoreSummary,
    analytics_reports,
    cohort_reports,
    enterprise_report,
)
from profiler_core.models import Cohort, CohortId, OrgId

__all__ = ["main", "build_rows", "quartiles", "CONTENDERS"]

COHORTS = 1_000
ENTERPRISES = 50
SECOND_ENROLLMENT = 0.05
_TRACKS = ("defender", "offensive", "innovation", "leadership", "grc", None)
_SELECTIONS = ("novice", "beginner", "intermediate", "advanced", "elite", None)
_STRENGTHS = ("networking", "security", "programming", "linux", "windows", "cloud", "cryptography", "web")
_START = datetime(2025, 9, 1, tzinfo=UTC)
_KINDS = ("aptitude", "technical_exposure", "overall")
_SCORE_COLUMNS = ("aptitude_score", "technical_exposure_score", "overall_score")
_COUNTED = ("active", "completed")
_DONE = ("finished", "locked")

Row = tuple[object, ...]
#: (count, mean, std, min, max, q1, median, q3), or None without scores.
ScoreFigures = tuple[int, float, float, float, float, float, float, float] | None
#: Per group (("cohort", id) or ("enterprise", id)): name -> figure.
Figures = dict[tuple[str, str], dict[str, object]]


# --- the data -------------------------------------------------------------------------


def enterprise_of(cohort_number: int) -> str:
    """The enterprise sponsoring cohort number *cohort_number*."""
    return f"org-{cohort_number % ENTERPRISES:02d}"


def build_rows(rows_wanted: int, seed: int = 7) -> tuple[list[Row], list[Cohort]]:
    """*rows_wanted* host rows (ordered by learner) and the cohorts, deterministic for a seed.

    Values come from small pools (scores with 2 decimals, minute timestamps,
    strength tuples) as a database driver's would repeat them; user ids are ints.
    """
    rng = random.Random(seed)
    cohorts = [
        Cohort(id=CohortId(f"c-{n:04d}"), name=f"Cohort {n}", enterprise_id=OrgId(enterprise_of(n)))
        for n in range(COHORTS)
    ]
    ids = [str(c.id) for c in cohorts]
    scores = [n / 100 for n in range(10_001)]
    stamps = [_START + timedelta(minutes=rng.randrange(365 * 24 * 60)) for _ in range(20_000)]
    strengths = [tuple(rng.sample(_STRENGTHS, rng.randint(0, 3))) for _ in range(500)]
    rows: list[Row] = []
    random_, choice = rng.random, rng.choice
    user = 0
    while len(rows) < rows_wanted:
        user += 1
        cohort = rng.randrange(COHORTS)
        if random_() < 0.8:
            session: Row = (
                "finished" if random_() < 0.7 else "locked",
                choice(stamps) if random_() < 0.98 else None,
                choice(_SELECTIONS),
                choice(_TRACKS),
                choice(scores),
                choice(scores) if random_() < 0.95 else None,
                choice(scores) if random_() < 0.9 else None,  # some have no result row
                choice(strengths),
            )
        else:
            session = (choice((None, "in_progress", "started")), None, None, None, None, None, None, ())
        cohort_ids = [cohort]
        if random_() < SECOND_ENROLLMENT:
            cohort_ids.append((cohort + ENTERPRISES) % COHORTS)  # same enterprise
        for number in cohort_ids:
            status = "active" if random_() < 0.85 else choice(("completed", "withdrawn", "pending_payment"))
            rows.append((user, ids[number], status, *session))
    del rows[rows_wanted:]
    return rows, cohorts


# --- shared figure definitions ------------------------------------------------------------


def quartiles(bins: Sequence[int], n: int, low: float, high: float) -> tuple[float, float, float]:
    """Q1, median, Q3 from one-point bins (the library's definition, used by every contender)."""
    ends = list(accumulate(bins))

    def order_statistic(rank: int) -> float:
        b = bisect_right(ends, rank)
        if b == len(bins) - 1:
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


def score_figures(  # noqa: PLR0917 - the figures in the order they are printed
    n: int, mean: float, std: float, low: float, high: float, bins: Sequence[int]
) -> ScoreFigures:
    """The figures of one score of one group."""
    if not n:
        return None
    return (n, mean, std, low, high, *quartiles(bins, n, low, high))


def readiness(bins: Sequence[int]) -> tuple[int, int, int, int]:
    """Learners per readiness band of the overall score's bins (<40, 40-<60, 60-<80, >=80)."""
    return sum(bins[:40]), sum(bins[40:60]), sum(bins[60:80]), sum(bins[80:])


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: int(v) for k, v in counts.items() if v}


# --- profiler_core --------------------------------------------------------------------------


def library_job(rows: Sequence[Row], cohorts: Sequence[Cohort]) -> tuple[AnalyticsPartial, object]:
    """What a host calls: rows -> partial -> every cohort report and every enterprise report.

    ``analytics_reports`` protects each enterprise once for both kinds of report;
    :func:`check_all` checks (untimed) that its reports equal ``cohort_reports``
    plus one ``enterprise_report`` per enterprise.
    """
    accumulator = AnalyticsAccumulator()
    accumulator.add_rows(rows)
    partial = accumulator.partial()
    reports = analytics_reports(cohorts, partial)
    return partial, (reports.cohorts, list(reports.enterprises.values()))


def one_at_a_time(partial: AnalyticsPartial, cohorts: Sequence[Cohort]) -> object:
    """The same reports through ``cohort_reports`` and ``enterprise_report`` (for the equality check)."""
    enterprises = sorted({str(c.enterprise_id) for c in cohorts})
    return cohort_reports(cohorts, partial), [enterprise_report(e, cohorts, partial) for e in enterprises]


def accumulation_job(rows: Sequence[Row], cohorts: Sequence[Cohort]) -> AnalyticsPartial:
    """The library's accumulation alone (rows -> partial), to show where its time goes."""
    del cohorts
    accumulator = AnalyticsAccumulator()
    accumulator.add_rows(rows)
    return accumulator.partial()


def _stats_figures(stats: CohortStats) -> dict[str, object]:
    out: dict[str, object] = {"total": stats.total, "profiled": stats.profiled}
    for kind in _KINDS:
        sketch = getattr(stats, kind)
        n = sketch.count
        if not n:
            out[kind] = None
            continue
        scale = n * 1_000_000
        std = math.sqrt(n * sketch.total_sq - sketch.total * sketch.total) / scale
        out[kind] = score_figures(
            n, sketch.total / scale, std, sketch.minimum / 1e6, sketch.maximum / 1e6, sketch.bins
        )
    out["readiness"] = readiness(stats.overall.bins)
    out["tracks"] = dict(stats.tracks)
    out["difficulty"] = dict(stats.difficulty)
    out["strengths"] = dict(stats.strengths)
    out["completions"] = dict(stats.completions)
    return out


def library_figures(partial: AnalyticsPartial, cohorts: Sequence[Cohort]) -> Figures:
    """The unsuppressed figures of the library's partial (for the equality check, untimed)."""
    figures: Figures = {}
    members: dict[str, list[CohortId]] = {}
    for cohort in cohorts:
        figures["cohort", str(cohort.id)] = _stats_figures(partial.stats_for(cohort.id))
        members.setdefault(str(cohort.enterprise_id), []).append(cohort.id)
    for enterprise, ids in members.items():
        figures["enterprise", enterprise] = _stats_figures(partial.rollup(ids))
    return figures


# --- the bare loop ------------------------------------------------------------------------


def bare_loop_job(rows: Sequence[Row], cohorts: Sequence[Cohort]) -> Figures:
    """One plain loop over the rows, no validation: the pure-Python floor.

    A learner's counted cohorts are gathered (their rows are consecutive) and
    the learner is added once to the state of that membership; memberships are
    merged per cohort and per enterprise at the end (distinct learners).
    """
    states: dict[object, list[object]] = {}
    counted, done = frozenset(_COUNTED), frozenset(_DONE)

    def state_of(key: object) -> list[object]:
        state = states.get(key)
        if state is None:
            state = states[key] = [
                0,
                0,
                *([0, 0.0, 0.0, 101.0, -1.0, [0] * 101] for _ in _KINDS),
                {},
                {},
                {},
                {},
            ]
        return state

    def add(key: object, fields: Row) -> None:
        state = states.get(key) or state_of(key)
        state[0] += 1  # type: ignore[operator]
        if fields[3] not in done:
            return
        state[1] += 1  # type: ignore[operator]
        _u, _c, _e, _s, completed, selection, track, aptitude, technical, overall, named = fields
        for slot, value in ((2, aptitude), (3, technical), (4, overall)):
            if value is not None:
                score: list = state[slot]  # type: ignore[assignment]
                score[0] += 1
                score[1] += value
                score[2] += value * value
                if value < score[3]:  # noqa: PLR1730 - a compare is cheaper than min() here
                    score[3] = value
                if value > score[4]:  # noqa: PLR1730
                    score[4] = value
                score[5][int(value)] += 1
        tracks: dict = state[5]  # type: ignore[assignment]
        tracks[track] = tracks.get(track, 0) + 1
        difficulty: dict = state[6]  # type: ignore[assignment]
        difficulty[selection] = difficulty.get(selection, 0) + 1
        strengths: dict = state[7]  # type: ignore[assignment]
        for label in named:  # type: ignore[attr-defined]
            strengths[label] = strengths.get(label, 0) + 1
        if completed is not None:
            months: dict = state[8]  # type: ignore[assignment]
            month = (completed.year, completed.month)  # type: ignore[attr-defined]
            months[month] = months.get(month, 0) + 1

    user: object = None
    key: object = None
    pending: Row = ()
    for row in rows:
        if row[0] != user:
            if key is not None:
                add(key, pending)
            user, pending, key = row[0], row, None
        if row[2] in counted:
            key = row[1] if key is None else (*key, row[1]) if type(key) is tuple else (key, row[1])
    if key is not None:
        add(key, pending)
    enterprise = {str(c.id): str(c.enterprise_id) for c in cohorts}
    groups: dict[tuple[str, str], list[list[object]]] = {}
    for key, state in states.items():
        ids = key if type(key) is tuple else (key,)
        for cohort in set(ids):
            groups.setdefault(("cohort", cohort), []).append(state)  # type: ignore[arg-type]
        for org in {enterprise[c] for c in ids}:  # type: ignore[index]
            groups.setdefault(("enterprise", org), []).append(state)
    return {group: _merged_figures(parts) for group, parts in groups.items()}


def _merged_figures(parts: list[list[object]]) -> dict[str, object]:
    out: dict[str, object] = {
        "total": sum(p[0] for p in parts),  # type: ignore[misc]
        "profiled": sum(p[1] for p in parts),  # type: ignore[misc]
    }
    overall_bins: list[int] = [0] * 101
    for slot, kind in enumerate(_KINDS, start=2):
        scores: list[list] = [p[slot] for p in parts]  # type: ignore[misc]
        n = sum(s[0] for s in scores)
        bins = [sum(column) for column in zip(*(s[5] for s in scores), strict=True)]
        if kind == "overall":
            overall_bins = bins
        if not n:
            out[kind] = None
            continue
        mean = sum(s[1] for s in scores) / n
        variance = max(sum(s[2] for s in scores) / n - mean * mean, 0.0)
        low = min(s[3] for s in scores)
        high = max(s[4] for s in scores)
        out[kind] = score_figures(n, mean, math.sqrt(variance), low, high, bins)
    out["readiness"] = readiness(overall_bins)
    for slot, name, none in ((5, "tracks", "none"), (6, "difficulty", "not_selected")):
        merged: dict[str, int] = {}
        for p in parts:
            for value, count in p[slot].items():  # type: ignore[attr-defined]
                merged[value or none] = merged.get(value or none, 0) + count
        out[name] = merged
    strengths: dict[str, int] = {}
    months: dict[str, int] = {}
    for p in parts:
        for label, count in p[7].items():  # type: ignore[attr-defined]
            strengths[label] = strengths.get(label, 0) + count
        for (year, month), count in p[8].items():  # type: ignore[attr-defined]
            label = f"{year:04d}-{month:02d}"
            months[label] = months.get(label, 0) + count
    out["strengths"] = strengths
    out["completions"] = months
    return out


# --- pandas, polars, DuckDB ---------------------------------------------------------------


def _enterprise_table(cohorts: Sequence[Cohort]) -> tuple[list[str], list[str]]:
    return [str(c.id) for c in cohorts], [str(c.enterprise_id) for c in cohorts]


def _assemble(
    population: list[tuple[str, str, int, int]],
    scores: list[tuple[str, str, str, int, float, float, float, float]],
    bins: list[tuple[str, str, str, int, int]],
    distributions: list[tuple[str, str, str, str, int]],
) -> Figures:
    """Figures from the engines' long result tables (group level, group id, ...)."""
    figures: Figures = {}
    for level, gid, total, profiled in population:
        figures[level, gid] = {
            "total": int(total),
            "profiled": int(profiled),
            **dict.fromkeys(_KINDS),
            "tracks": {},
            "difficulty": {},
            "strengths": {},
            "completions": {},
        }
    histograms: dict[tuple[str, str, str], list[int]] = {}
    for level, gid, kind, b, count in bins:
        histograms.setdefault((level, gid, kind), [0] * 101)[int(b)] += int(count)
    for level, gid, kind, n, mean, std, low, high in scores:
        figures[level, gid][kind] = score_figures(
            int(n), float(mean), float(std), float(low), float(high), histograms[level, gid, kind]
        )
    for (level, gid), out in figures.items():
        out["readiness"] = readiness(histograms.get((level, gid, "overall"), [0] * 101))
    for level, gid, name, key, count in distributions:
        out = figures[level, gid][name]
        out[key] = out.get(key, 0) + int(count)  # type: ignore[attr-defined]
    return figures


def arrow_table(rows: Sequence[Row]) -> object:
    """The rows as an Arrow table, column by column (the fastest way in for polars and DuckDB)."""
    import pyarrow as pa  # noqa: PLC0415 - an optional baseline

    types = [
        pa.int64(),
        pa.string(),
        pa.string(),
        pa.string(),
        pa.timestamp("us", tz="UTC"),
        pa.string(),
        pa.string(),
        pa.float64(),
        pa.float64(),
        pa.float64(),
        pa.list_(pa.string()),
    ]
    columns = zip(*rows, strict=True) if rows else [()] * len(ROW_FIELDS)
    return pa.table(
        [pa.array(c, type=t) for c, t in zip(columns, types, strict=True)], names=list(ROW_FIELDS)
    )


def pandas_job(rows: Sequence[Row], cohorts: Sequence[Cohort]) -> Figures:
    """pandas: DataFrame from the rows, then group-bys per cohort and per enterprise (distinct learners)."""
    import pandas as pd  # noqa: PLC0415 - an optional baseline

    frame = pd.DataFrame(rows, columns=list(ROW_FIELDS))
    frame = frame[frame["enrollment_status"].isin(_COUNTED)]
    ids, orgs = _enterprise_table(cohorts)
    frame = frame.assign(enterprise=frame["cohort_id"].map(dict(zip(ids, orgs, strict=True))))
    cohort_level = frame.assign(level="cohort", gid=frame["cohort_id"])
    learners = frame.drop_duplicates(["enterprise", "user_id"])
    data = pd.concat([cohort_level, learners.assign(level="enterprise", gid=learners["enterprise"])])
    keys = ["level", "gid"]
    population = data.groupby(keys).size().rename("total").to_frame()
    done = data[data["session_status"].isin(_DONE)]
    population["profiled"] = done.groupby(keys).size()
    population = population.fillna(0).reset_index()
    scores, bins = [], []
    for kind, column in zip(_KINDS, _SCORE_COLUMNS, strict=True):
        values = done[[*keys, column]].dropna()
        agg = values.groupby(keys)[column].agg(["count", "mean", "min", "max"])
        agg["std"] = values.groupby(keys)[column].std(ddof=0)
        agg = agg.reset_index()
        agg.insert(2, "kind", kind)
        scores.append(agg[[*keys, "kind", "count", "mean", "std", "min", "max"]])
        hist = values.groupby([*keys, values[column].astype("int64").rename("bin")]).size().reset_index()
        hist.insert(2, "kind", kind)
        bins.append(hist)
    dists = []
    for name, column, none in (
        ("tracks", "recommended_track", "none"),
        ("difficulty", "difficulty_selection", "not_selected"),
    ):
        counts = done.groupby([*keys, done[column].fillna(none).rename("key")]).size().reset_index()
        counts.insert(2, "name", name)
        dists.append(counts)
    strengths = done[[*keys, "strengths"]].explode("strengths").dropna()
    counts = strengths.groupby([*keys, strengths["strengths"].rename("key")]).size().reset_index()
    counts.insert(2, "name", "strengths")
    dists.append(counts)
    dated = done[[*keys, "completed_at"]].dropna()
    stamps = pd.to_datetime(dated["completed_at"], utc=True)
    counts = dated.groupby([*keys, stamps.dt.strftime("%Y-%m").rename("key")]).size().reset_index()
    counts.insert(2, "name", "completions")
    dists.append(counts)
    return _assemble(
        list(population.itertuples(index=False, name=None)),
        [t for s in scores for t in s.itertuples(index=False, name=None)],
        [t for b in bins for t in b.itertuples(index=False, name=None)],
        [t for d in dists for t in d.itertuples(index=False, name=None)],
    )


def polars_job(rows: Sequence[Row], cohorts: Sequence[Cohort]) -> Figures:
    """polars: DataFrame from the rows (through Arrow: 4x faster than from rows), then lazy group-bys."""
    import polars as pl  # noqa: PLC0415 - an optional baseline

    ids, orgs = _enterprise_table(cohorts)
    sponsors = pl.LazyFrame({"cohort_id": ids, "enterprise": orgs})
    frame = (
        pl.from_arrow(arrow_table(rows))  # type: ignore[union-attr]
        .lazy()
        .filter(pl.col("enrollment_status").is_in(_COUNTED))
        .join(sponsors, on="cohort_id")
    )
    data = pl.concat(
        [
            frame.with_columns(level=pl.lit("cohort"), gid=pl.col("cohort_id")),
            frame.unique(["enterprise", "user_id"]).with_columns(
                level=pl.lit("enterprise"), gid=pl.col("enterprise")
            ),
        ]
    )
    keys = ["level", "gid"]
    profiled = pl.col("session_status").is_in(_DONE)
    done = data.filter(profiled)
    queries = [data.group_by(keys).agg(total=pl.len(), profiled=profiled.sum()).sort(keys)]
    for kind, column in zip(_KINDS, _SCORE_COLUMNS, strict=True):
        values = done.filter(pl.col(column).is_not_null())
        queries.append(
            values.group_by(keys).agg(
                kind=pl.lit(kind),
                count=pl.len(),
                mean=pl.col(column).mean(),
                std=pl.col(column).std(ddof=0),
                low=pl.col(column).min(),
                high=pl.col(column).max(),
            )
        )
        queries.append(
            values.group_by([*keys, pl.col(column).cast(pl.Int64).alias("bin")])
            .agg(count=pl.len())
            .select(*keys, kind=pl.lit(kind), bin="bin", count="count")
        )
    distributions = [
        done.group_by([*keys, pl.col("recommended_track").fill_null("none").alias("key")])
        .agg(count=pl.len())
        .select(*keys, name=pl.lit("tracks"), key="key", count="count"),
        done.group_by([*keys, pl.col("difficulty_selection").fill_null("not_selected").alias("key")])
        .agg(count=pl.len())
        .select(*keys, name=pl.lit("difficulty"), key="key", count="count"),
        done.select(*keys, key="strengths")
        .explode("key")
        .drop_nulls("key")
        .group_by([*keys, "key"])
        .agg(count=pl.len())
        .select(*keys, name=pl.lit("strengths"), key="key", count="count"),
        done.drop_nulls("completed_at")
        .group_by([*keys, pl.col("completed_at").dt.strftime("%Y-%m").alias("key")])
        .agg(count=pl.len())
        .select(*keys, name=pl.lit("completions"), key="key", count="count"),
    ]
    results = pl.collect_all([*queries, pl.concat(distributions)])
    population, score_tables, dist = results[0], results[1:-1], results[-1]
    return _assemble(
        population.rows(),
        [t for s in score_tables[0::2] for t in s.rows()],
        [t for b in score_tables[1::2] for t in b.rows()],
        dist.rows(),
    )


_DUCKDB_SQL = """
CREATE TEMP TABLE grouped AS
WITH counted AS (
    SELECT r.*, s.enterprise FROM rows_table r JOIN sponsors s USING (cohort_id)
    WHERE enrollment_status IN ('active', 'completed')
)
SELECT 'cohort' AS level, cohort_id AS gid, * FROM counted
UNION ALL
SELECT 'enterprise', enterprise, * FROM (
    SELECT * FROM counted QUALIFY row_number() OVER (PARTITION BY enterprise, user_id) = 1
);
"""


def duckdb_job(rows: Sequence[Row], cohorts: Sequence[Cohort]) -> Figures:
    """DuckDB: an Arrow table from the rows' columns, then SQL."""
    import duckdb  # noqa: PLC0415 - an optional baseline
    import pyarrow as pa  # noqa: PLC0415

    rows_table = arrow_table(rows)
    ids, orgs = _enterprise_table(cohorts)
    sponsors = pa.table({"cohort_id": ids, "enterprise": orgs})
    con = duckdb.connect()
    con.register("rows_table", rows_table)
    con.register("sponsors", sponsors)
    con.execute(_DUCKDB_SQL)
    done = "FROM grouped WHERE session_status IN ('finished', 'locked')"
    population = con.execute(
        "SELECT level, gid, count(*), count(*) FILTER (WHERE session_status IN ('finished', 'locked'))"
        " FROM grouped GROUP BY ALL"
    ).fetchall()
    scores, bins = [], []
    for kind, column in zip(_KINDS, _SCORE_COLUMNS, strict=True):
        scores += con.execute(
            f"SELECT level, gid, '{kind}', count({column}), avg({column}), stddev_pop({column}),"
            f" min({column}), max({column}) {done} AND {column} IS NOT NULL GROUP BY ALL"
        ).fetchall()
        bins += con.execute(
            f"SELECT level, gid, '{kind}', CAST(floor({column}) AS INTEGER), count(*)"
            f" {done} AND {column} IS NOT NULL GROUP BY ALL"
        ).fetchall()
    distributions = con.execute(
        f"""
        SELECT level, gid, 'tracks', coalesce(recommended_track, 'none'), count(*) {done} GROUP BY ALL
        UNION ALL
        SELECT level, gid, 'difficulty', coalesce(difficulty_selection, 'not_selected'), count(*)
        {done} GROUP BY ALL
        UNION ALL
        SELECT level, gid, 'strengths', s, count(*)
        FROM (SELECT level, gid, unnest(strengths) AS s {done}) GROUP BY ALL
        UNION ALL
        SELECT level, gid, 'completions', strftime(completed_at AT TIME ZONE 'UTC', '%Y-%m'), count(*)
        {done} AND completed_at IS NOT NULL GROUP BY ALL
        """  # noqa: S608 - constant SQL
    ).fetchall()
    con.close()
    return _assemble(population, scores, bins, distributions)


# --- checking, timing, memory ---------------------------------------------------------------

Job = Callable[[Sequence[Row], Sequence[Cohort]], object]
#: name -> the timed job. Each returns figures except the library, whose figures are read from its partial.
CONTENDERS: dict[str, Job] = {
    "profiler_core": library_job,
    "  accumulation": accumulation_job,
    "bare loop": bare_loop_job,
    "pandas": pandas_job,
    "polars": polars_job,
    "DuckDB": duckdb_job,
}
_BASELINES = ("pandas", "polars", "DuckDB")
#: The library's rows (the accumulation alone returns a partial, checked through the full job).
_LIBRARY = ("profiler_core", "  accumulation")


def _close(a: object, b: object) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)  # type: ignore[arg-type]
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return _nonzero(a) == _nonzero(b)
    return a == b


def differences(expected: Figures, got: Figures) -> list[str]:
    """Where two sets of figures disagree (empty: equal)."""
    out = [f"groups {sorted(set(expected) ^ set(got))[:3]}"] if set(expected) != set(got) else []
    for group in sorted(set(expected) & set(got)):
        for name, value in expected[group].items():
            if not _close(value, got[group].get(name)):
                out.append(f"{group} {name}: {value!r} != {got[group].get(name)!r}")
    return out


def check_reports(reports: object, figures: Figures) -> list[str]:
    """The library's published (unsuppressed) totals, score counts, means and deviations against *figures*."""
    cohort_map, enterprise_list = reports  # type: ignore[misc]
    bodies: list[tuple[tuple[str, str], object]] = [
        (("cohort", str(cid)), r.body) for cid, r in cohort_map.items() if isinstance(r, CohortReport)
    ]
    bodies += [
        (("enterprise", str(r.enterprise_id)), r.rollup)
        for r in enterprise_list
        if isinstance(r, EnterpriseReport)
    ]
    out = []
    for group, body in bodies:
        expected = figures[group]
        for name in ("total", "profiled"):
            shown = getattr(body.population, name)  # type: ignore[attr-defined]
            if isinstance(shown, int) and shown != expected[name]:
                out.append(f"{group} {name}: published {shown} != {expected[name]}")
        for kind in _KINDS:
            block = getattr(body, kind)
            fig = expected[kind]
            if isinstance(block, ScoreSummary) and fig is not None:
                # Order statistics are published coarsened (issue 14), so only the
                # count, mean and standard deviation are compared here; the exact
                # ones are compared through the partial.
                shown_values = (block.mean, block.std)
                want = (fig[1], fig[2])  # type: ignore[index]
                if block.count != fig[0] or any(
                    abs(s - w) > 0.005 + 1e-9 for s, w in zip(shown_values, want, strict=True)
                ):
                    out.append(f"{group} {kind}: published {block} vs {fig}")
    return out


def check_all(rows: Sequence[Row], cohorts: Sequence[Cohort], names: Sequence[str]) -> Figures:
    """Run every contender once and require equal figures (raises SystemExit otherwise)."""
    partial, reports = library_job(rows, cohorts)
    expected = library_figures(partial, cohorts)
    problems = check_reports(reports, expected)
    if reports != one_at_a_time(partial, cohorts):
        problems.append("profiler_core: analytics_reports differs from cohort_reports + enterprise_report")
    for name in names:
        if name not in _LIBRARY:
            problems += [f"{name}: {d}" for d in differences(expected, CONTENDERS[name](rows, cohorts))[:5]]
    if problems:
        raise SystemExit("figures differ:\n  " + "\n  ".join(problems[:20]))
    return expected


def time_rounds(
    rows: Sequence[Row], cohorts: Sequence[Cohort], names: Sequence[str], rounds: int
) -> dict[str, tuple[list[float], list[float]]]:
    """Wall and CPU seconds of each contender per round, interleaved so all see the same load."""
    out: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in names}
    for _ in range(rounds):
        for name in names:
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            CONTENDERS[name](rows, cohorts)
            out[name][0].append(time.perf_counter() - wall)
            out[name][1].append(time.process_time() - cpu)
    return out


def _status(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    raise RuntimeError(field)


def peak_above_rows(name: str, size: int) -> int:
    """In this (fresh) process: build the rows, run *name* once, return its peak RSS above the rows."""
    small_rows, small_cohorts = build_rows(2_000)
    CONTENDERS[name](small_rows, small_cohorts)  # imports and first-call allocations are not the job's
    rows, cohorts = build_rows(size)
    del small_rows, small_cohorts
    gc.collect()
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
        clear.write("5")  # reset the peak (VmHWM) to the current resident size
    base = _status("VmRSS:")
    CONTENDERS[name](rows, cohorts)
    return _status("VmHWM:") - base


def measure_peak(name: str, size: int) -> int | None:
    """Peak RSS above the rows of one run of *name* at *size* rows, in a fresh process (None: failed)."""
    done = subprocess.run(  # noqa: S603 - this interpreter, this module
        [sys.executable, "-m", "benchmarks.bench_analytics", "--peak", name, str(size)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        print(f"  (peak of {name} failed: {done.stderr.strip().splitlines()[-1:]})")
        return None
    return int(done.stdout.split()[-1])


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def _available(names: Sequence[str]) -> list[str]:
    modules = {"pandas": "pandas", "polars": "polars", "DuckDB": "duckdb"}
    found = []
    for name in names:
        try:
            if name in modules:
                __import__(modules[name])
                if name == "DuckDB":
                    __import__("pyarrow")
        except ImportError:
            print(f"{name}: not installed (pip install -e '.[bench]'); skipped")
            continue
        found.append(name)
    return found


def run_size(size: int, rounds: int, names: Sequence[str]) -> dict[str, float]:
    """Check, time and measure every contender at *size* rows; print the table; return min wall times."""
    started = time.perf_counter()
    rows, cohorts = build_rows(size)
    learners = len({r[0] for r in rows})
    print(
        f"-- {size:,} rows ({learners:,} learners, {COHORTS:,} cohorts, {ENTERPRISES} enterprises;"
        f" built in {time.perf_counter() - started:.1f}s); {_load()}"
    )
    check_all(rows, cohorts, names)
    print(f"   figures equal across {', '.join(n.strip() for n in names)} (checked before timing)")
    times = time_rounds(rows, cohorts, names, rounds)
    del rows
    gc.collect()
    peaks = {name: measure_peak(name, size) for name in names}
    print(f"   {'':14s} {'wall min':>9s} {'median':>8s} {'cpu min':>8s} {'us/row':>7s} {'peak MiB':>9s}")
    best: dict[str, float] = {}
    for name in names:
        walls, cpus = times[name]
        best[name] = min(walls)
        peak = peaks[name]
        shown = "-" if peak is None else f"{peak / 2**20:9.1f}"
        print(
            f"   {name:14s} {min(walls):8.2f}s {statistics.median(walls):7.2f}s {min(cpus):7.2f}s"
            f" {min(walls) / size * 1e6:7.2f} {shown:>9s}"
        )
    library = "profiler_core"
    if library in best:
        lib_wall, lib_median = best[library], statistics.median(times[library][0])
        present = [b for b in _BASELINES if b in best]
        if present:
            fastest = min(present, key=best.__getitem__)
            median_best = min(statistics.median(times[b][0]) for b in present)
            print(
                f"   ratio to the best of pandas/polars/DuckDB ({fastest}):"
                f" {lib_wall / best[fastest]:.2f} min,"
                f" {lib_median / median_best:.2f} median   (target <= 1.0)"
            )
        if "bare loop" in best:
            print(
                f"   ratio to the bare loop: {lib_wall / best['bare loop']:.2f} min,"
                f" {lib_median / statistics.median(times['bare loop'][0]):.2f} median   (target <= 1.25)"
            )
        if "bare loop" in best and "  accumulation" in best:
            alone = best["  accumulation"]
            print(
                f"   accumulation alone to the bare loop: {alone / best['bare loop']:.2f} min;"
                f" the reports take {max(lib_wall - alone, 0.0):.2f}s of the library's {lib_wall:.2f}s"
            )
        if peaks.get("pandas") and peaks.get(library) is not None:
            print(
                f"   peak memory ratio to pandas: {peaks[library] / peaks['pandas']:.2f}"  # type: ignore[operator]
                "   (target <= 0.5)"
            )
    print(f"   {_load()}", flush=True)
    return best


def main(argv: Sequence[str] | None = None) -> None:
    """``[--10m] [--rounds N] [--sizes 100000,1000000]``: every size's table and ratios."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--peak" in args:
        at = args.index("--peak")
        print(peak_above_rows(args[at + 1], int(args[at + 2])))
        return
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 3
    sizes = [100_000, 1_000_000]
    if "--sizes" in args:
        sizes = [int(s) for s in args[args.index("--sizes") + 1].split(",")]
    if "--10m" in args:
        sizes.append(10_000_000)
    names = _available(list(CONTENDERS))
    print(
        "Cohort and enterprise analytics from in-memory rows (issue 15). Time: min/median of"
        f" {rounds} interleaved rounds; peak memory: RSS above the rows, fresh process each."
    )
    previous: tuple[int, dict[str, float]] | None = None
    for size in sizes:
        best = run_size(size, rounds, names)
        if previous:
            grown = size / previous[0]
            scaling = ", ".join(f"{n} {best[n] / previous[1][n]:.1f}x" for n in names)
            print(f"   time growth for {grown:.0f}x rows: {scaling}")
        previous = (size, best)


if __name__ == "__main__":
    main()

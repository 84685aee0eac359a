"""The analytics command over JSON Lines exports, beside DuckDB, polars and a plain ``json.loads`` loop.

Generates an export (cohorts, enrollments, sessions, results; the session and
result lines in the full shape the platform exports, reflection and
behavioral profile included) for ``--rows`` learners (100,000 by default;
``--rows 1000000`` is the issue's size), then times, each in its own process
(so peak memory is each one's own ``ru_maxrss``):

* **cli pure** — what ``python -m profiler_core analytics`` runs: read the
  four files, every report (cohorts and enterprises, suppression), JSON out;
* **cli duckdb** — the same with ``--engine duckdb`` (skipped with a note
  when the engine is not available): on an export without a bad line, DuckDB
  reads the files whole and sums the state in SQL
  (``profiler_core._duckdb_fast``);
* **duckdb** — DuckDB alone: SQL over ``read_json`` computing the figures;
* **polars** — ``read_ndjson`` and a lazy pipeline computing the figures;
* **loop** — one plain Python loop with ``json.loads`` computing the figures.

Every contender's figures (per membership: totals, the three scores' count,
sum, sum of squares, min, max and one-point bins in micro-points, tracks,
difficulty, strengths, completion months) are checked equal to the CLI's
state first. Then min and median of ``--rounds`` rounds (at least 3), peak
memory, and the ratios beside the targets of issue 15 (met or MISSED): cli
pure <= 1.25x the loop; cli duckdb <= 1.25x DuckDB alone; each one's peak
memory <= DuckDB's; and, for scale, each against polars and DuckDB's own
JSON readers. It asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = ["main", "write_export"]

COHORTS = 1_000
ENTERPRISES = 50
_TRACKS = ("defender", "offensive", "innovation", "leadership", "grc", None)
_SELECTIONS = ("novice", "beginner", "intermediate", "advanced", "elite", None)
_STRENGTHS = ("networking", "security", "programming", "linux", "windows", "cloud", "cryptography", "web")
_START = datetime(2025, 9, 1, tzinfo=UTC)
FILES = ("cohorts", "enrollments", "sessions", "results")
CONTENDERS = ("cli-pure", "cli-duckdb", "duckdb", "polars", "loop")

Figures = dict[str, object]


def write_export(directory: Path, learners: int, seed: int = 15) -> dict[str, Path]:
    """Write a deterministic export of *learners* learners; returns the four files."""
    rng = random.Random(seed)
    paths = {name: directory / f"{name}.jsonl" for name in FILES}
    with paths["cohorts"].open("w", encoding="utf-8") as out:
        for n in range(COHORTS):
            track = _TRACKS[n % 6]
            out.write(
                json.dumps(
                    {
                        "id": f"c-{n:04d}",
                        "name": f"Cohort {n}",
                        "track": track,
                        "enterprise_id": f"org-{n % ENTERPRISES:02d}",
                    }
                )
                + "\n"
            )
    with (
        paths["enrollments"].open("w", encoding="utf-8") as enrollments,
        paths["sessions"].open("w", encoding="utf-8") as sessions,
        paths["results"].open("w", encoding="utf-8") as results,
    ):
        for number in range(learners):
            user = f"u-{number:07d}"
            cohort = number % COHORTS
            status = "active" if rng.random() < 0.85 else rng.choice(("completed", "withdrawn"))
            enrollments.write(
                f'{{"user_id": "{user}", "cohort_id": "c-{cohort:04d}", "status": "{status}"}}\n'
            )
            if rng.random() < 0.05:  # a second cohort of the same enterprise
                other = (cohort + ENTERPRISES) % COHORTS
                enrollments.write(
                    f'{{"user_id": "{user}", "cohort_id": "c-{other:04d}", "status": "active"}}\n'
                )
            for attempt in range(rng.choice((0, 1, 1, 1, 1, 2))):
                done = rng.random() < 0.85
                sid = f"s-{number:07d}-{attempt}"
                started = _START + timedelta(minutes=rng.randrange(365 * 24 * 60) + attempt * 10)
                sessions.write(json.dumps(_session(rng, sid, user, started, done)) + "\n")
                if done and rng.random() < 0.9:
                    results.write(json.dumps(_result(rng, sid)) + "\n")
    return paths


def _session(rng: random.Random, sid: str, user: str, started: datetime, done: bool) -> dict[str, object]:
    traits = {t: round(rng.uniform(1, 5), 2) for t in ("communication", "leadership", "documentation")}
    return {
        "id": sid,
        "user_id": user,
        "status": rng.choice(("finished", "locked")) if done else "in_progress",
        "started_at": started.isoformat(),
        "completed_at": (started + timedelta(minutes=35)).isoformat() if done else None,
        "difficulty_selection": rng.choice(_SELECTIONS),
        "aptitude_score": round(rng.uniform(0, 100), 2),
        "technical_exposure_score": round(rng.uniform(0, 100), 2),
        "technical_exposure_answered": 10,
        "behavioral_profile": {"traits": traits, "strengths": [], "areas_for_growth": []},
        "strengths": rng.sample(_STRENGTHS, rng.randint(0, 3)),
        "recommended_track": rng.choice(_TRACKS),
        "track_confidence": round(rng.random(), 2),
        "track_alignment_percentages": {t: round(rng.uniform(0, 100), 1) for t in _TRACKS if t},
        "reflection": {"why_cyber": "I want to protect people", "what_achieve": "Lead a SOC team"},
        "identity_responses": [{"question_id": "identity-0", "text": "integrity"}],
        "anti_cheat_score": round(rng.uniform(0, 20), 1),
        "anti_cheat_flags": [],
    }


def _result(rng: random.Random, sid: str) -> dict[str, object]:
    return {
        "session_id": sid,
        "overall_score": round(rng.uniform(0, 100), 2) if rng.random() < 0.97 else None,
        "aptitude_score": round(rng.uniform(0, 100), 2),
        "behavioral_score": round(rng.uniform(0, 100), 2),
        "aptitude_breakdown": {"web": {"correct": 2, "total": 3, "points": 4.0}},
        "behavioral_traits": {"communication": 1.4},
        "strengths": rng.sample(_STRENGTHS, rng.randint(0, 2)),
        "areas_for_growth": ["Develop communication skills"],
    }


# --- figures: one canonical shape every contender is checked against ---------------------


def _empty_state() -> dict[str, object]:
    return {
        "total": 0,
        "profiled": 0,
        "scores": [[0, 0, 0, None, None, {}] for _ in range(3)],
        "tracks": {},
        "difficulty": {},
        "strengths": {},
        "months": {},
    }


def _canonical(states: dict[str, dict[str, object]]) -> Figures:
    """Sorted keys, bins as sorted ``[bin, count]`` pairs, zero counts dropped: comparable JSON."""
    out: Figures = {}
    for membership in sorted(states):
        state = states[membership]
        scores = []
        for count, total, total_sq, low, high, bins in state["scores"]:  # type: ignore[attr-defined]
            scores.append(
                [count, total, total_sq, low, high, sorted((int(b), c) for b, c in bins.items() if c)]
            )
        out[membership] = {
            "total": state["total"],
            "profiled": state["profiled"],
            "scores": scores,
            **{
                k: sorted((str(a), b) for a, b in state[k].items() if b)  # type: ignore[attr-defined]
                for k in ("tracks", "difficulty", "strengths", "months")
            },
        }
    return json.loads(json.dumps(out))  # type: ignore[no-any-return]


def library_figures(partial: object) -> Figures:
    """The figures of an :class:`~profiler_core.analytics.AnalyticsPartial`."""
    from profiler_core.analytics import AnalyticsPartial  # noqa: PLC0415

    assert isinstance(partial, AnalyticsPartial)
    states: dict[str, dict[str, object]] = {}
    for membership, stats in partial.memberships.items():
        scores = [
            [s.count, s.total, s.total_sq, s.minimum, s.maximum, dict(enumerate(s.bins))]
            for s in (stats.aptitude, stats.technical_exposure, stats.overall)
        ]
        states["|".join(sorted(membership))] = {
            "total": stats.total,
            "profiled": stats.profiled,
            "scores": scores,
            "tracks": dict(stats.tracks),
            "difficulty": dict(stats.difficulty),
            "strengths": dict(stats.strengths),
            "months": dict(stats.completions),
        }
    return _canonical(states)


# --- the contenders ----------------------------------------------------------------------


def run_cli(paths: dict[str, Path], engine: str, out: Path) -> tuple[object, float]:
    """What the command runs (read, report, JSON to a file): its partial and the seconds the reports took."""
    from profiler_core.cli_analytics import _read_inputs, export_report  # noqa: PLC0415

    def no_progress(_source: str, _lines: int) -> None:
        return None

    export = _read_inputs(
        paths, stdin=None, err=sys.stderr, progress=no_progress, progress_every=0, engine=engine
    )
    assert export is not None
    started = time.perf_counter()
    document = export_report(export)
    out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return export.partial, time.perf_counter() - started


def _micro(score: float) -> int:
    return int(score * 1_000_000 + 0.5)


def run_loop(paths: dict[str, Path]) -> Figures:  # noqa: PLR0915 - one plain loop, on purpose
    """One plain loop with ``json.loads``: the figures, as an analyst writes it without the library."""
    loads = json.loads
    cohorts = set()
    with paths["cohorts"].open(encoding="utf-8") as handle:
        for line in handle:
            cohorts.add(loads(line)["id"])
    member: dict[str, set[str]] = {}
    with paths["enrollments"].open(encoding="utf-8") as handle:
        for line in handle:
            e = loads(line)
            if e["status"] in ("active", "completed") and e["cohort_id"] in cohorts:
                member.setdefault(e["user_id"], set()).add(e["cohort_id"])
    # Only the fields the figures use are kept (whole dicts would keep the cyclic GC busy).
    latest: dict[str, tuple[datetime, str, object, object, object, object, object]] = {}
    with paths["sessions"].open(encoding="utf-8") as handle:
        for line in handle:
            s = loads(line)
            user = s["user_id"]
            if user in member and s["status"] in ("finished", "locked"):
                done = datetime.fromisoformat(s["completed_at"])
                kept = latest.get(user)
                if kept is None or done > kept[0]:
                    latest[user] = (
                        done,
                        s["id"],
                        s["aptitude_score"],
                        s["technical_exposure_score"],
                        s["recommended_track"],
                        s["difficulty_selection"],
                        s["strengths"],
                    )
    wanted = {kept[1] for kept in latest.values()}
    results: dict[str, tuple[object, object, object]] = {}
    with paths["results"].open(encoding="utf-8") as handle:
        for line in handle:
            r = loads(line)
            if r["session_id"] in wanted:
                results[r["session_id"]] = (r["overall_score"], r["aptitude_score"], r["strengths"])
    states: dict[str, dict[str, object]] = {}
    no_result = (None, None, ())
    for user, found in member.items():
        key = "|".join(sorted(found))
        state = states.get(key)
        if state is None:
            state = states[key] = _empty_state()
        state["total"] += 1  # type: ignore[operator]
        kept = latest.get(user)
        if kept is None:
            continue
        done, sid, aptitude, technical, track, selection, strengths = kept
        overall, result_aptitude, result_strengths = results.get(sid, no_result)
        state["profiled"] += 1  # type: ignore[operator]
        if aptitude is None:
            aptitude = result_aptitude
        for slot, score in enumerate((aptitude, technical, overall)):
            if score is None:
                continue
            micro = _micro(score)  # type: ignore[arg-type]
            st = state["scores"][slot]  # type: ignore[index]
            st[0] += 1
            st[1] += micro
            st[2] += micro * micro
            st[3] = micro if st[3] is None else min(st[3], micro)
            st[4] = micro if st[4] is None else max(st[4], micro)
            st[5][micro // 1_000_000] = st[5].get(micro // 1_000_000, 0) + 1
        for name, value in (("tracks", track or "none"), ("difficulty", selection or "not_selected")):
            counts = state[name]
            counts[value] = counts.get(value, 0) + 1  # type: ignore[attr-defined,index]
        for label in {*strengths, *result_strengths}:  # type: ignore[misc]
            state["strengths"][label] = state["strengths"].get(label, 0) + 1  # type: ignore[attr-defined,index]
        month = done.astimezone(UTC).strftime("%Y-%m")
        state["months"][month] = state["months"].get(month, 0) + 1  # type: ignore[attr-defined,index]
    return _canonical(states)


_DUCKDB_SQL = """
SET TimeZone = 'UTC';
CREATE TEMP TABLE m AS
  SELECT user_id, array_to_string(list_sort(list_distinct(list(cohort_id))), '|') AS membership
  FROM read_json('{enrollments}', format='newline_delimited',
                 columns={{user_id: 'VARCHAR', cohort_id: 'VARCHAR', status: 'VARCHAR'}})
  WHERE status IN ('active', 'completed')
    AND cohort_id IN (SELECT id FROM read_json('{cohorts}', format='newline_delimited',
                                               columns={{id: 'VARCHAR'}}))
  GROUP BY user_id;
CREATE TEMP TABLE s AS
  SELECT * EXCLUDE (rn) FROM (
    SELECT id, user_id, completed_at, difficulty_selection, recommended_track, aptitude_score,
           technical_exposure_score, strengths,
           row_number() OVER (PARTITION BY user_id ORDER BY completed_at DESC, id DESC) AS rn
    FROM read_json('{sessions}', format='newline_delimited',
                   columns={{id: 'VARCHAR', user_id: 'VARCHAR', status: 'VARCHAR',
                             completed_at: 'TIMESTAMPTZ',
                             difficulty_selection: 'VARCHAR', recommended_track: 'VARCHAR',
                             aptitude_score: 'DOUBLE', technical_exposure_score: 'DOUBLE',
                             strengths: 'VARCHAR[]'}})
    WHERE status IN ('finished', 'locked') AND user_id IN (SELECT user_id FROM m))
  WHERE rn = 1;
CREATE TEMP TABLE l AS
  SELECT m.membership, s.id IS NOT NULL AS profiled, s.completed_at,
         coalesce(s.recommended_track, 'none') AS track,
         coalesce(s.difficulty_selection, 'not_selected') AS difficulty,
         CAST(floor(coalesce(s.aptitude_score, r.aptitude_score) * 1000000 + 0.5) AS BIGINT) AS a,
         CAST(floor(s.technical_exposure_score * 1000000 + 0.5) AS BIGINT) AS t,
         CAST(floor(r.overall_score * 1000000 + 0.5) AS BIGINT) AS o,
         list_distinct(list_concat(s.strengths, coalesce(r.strengths, []))) AS strengths
  FROM m LEFT JOIN s USING (user_id)
  LEFT JOIN (SELECT * FROM read_json('{results}', format='newline_delimited',
             columns={{session_id: 'VARCHAR', overall_score: 'DOUBLE', aptitude_score: 'DOUBLE',
                       strengths: 'VARCHAR[]'}})
             WHERE session_id IN (SELECT id FROM s)) r ON r.session_id = s.id;
"""


def run_duckdb(paths: dict[str, Path]) -> Figures:
    """DuckDB alone: SQL over ``read_json`` (the figures, with bins and counts as group-bys)."""
    import duckdb  # noqa: PLC0415

    con = duckdb.connect()
    con.execute(_DUCKDB_SQL.format(**{k: str(v) for k, v in paths.items()}))
    states: dict[str, dict[str, object]] = {}
    for membership, total, profiled in con.execute(
        "SELECT membership, count(*), count(*) FILTER (profiled) FROM l GROUP BY 1"
    ).fetchall():
        state = states[membership] = _empty_state()
        state["total"], state["profiled"] = total, profiled
    for slot, column in enumerate("ato"):
        rows = con.execute(
            f"SELECT membership, count({column}), sum({column}), sum(CAST({column} AS HUGEINT) * {column}),"  # noqa: S608
            f" min({column}), max({column}) FROM l GROUP BY 1"
        ).fetchall()
        for membership, count, total, total_sq, low, high in rows:
            state_scores = states[membership]["scores"][slot]  # type: ignore[index]
            state_scores[:5] = [count, int(total or 0), int(total_sq or 0), low, high]
        for membership, bucket, count in con.execute(
            f"SELECT membership, {column} // 1000000, count(*) FROM l"  # noqa: S608
            f" WHERE {column} IS NOT NULL GROUP BY 1, 2"
        ).fetchall():
            states[membership]["scores"][slot][5][bucket] = count  # type: ignore[index]
    for name, expression in (
        ("tracks", "track"),
        ("difficulty", "difficulty"),
        ("months", "strftime(completed_at, '%Y-%m')"),
    ):
        for membership, value, count in con.execute(
            f"SELECT membership, {expression}, count(*) FROM l WHERE profiled GROUP BY 1, 2"  # noqa: S608
        ).fetchall():
            states[membership][name][value] = count  # type: ignore[index]
    for membership, value, count in con.execute(
        "SELECT membership, label, count(*)"
        " FROM (SELECT membership, unnest(strengths) AS label FROM l WHERE profiled) GROUP BY 1, 2"
    ).fetchall():
        states[membership]["strengths"][value] = count  # type: ignore[index]
    return _canonical(states)


def run_polars(paths: dict[str, Path]) -> Figures:
    """polars: ``read_ndjson`` of the columns used, then joins and group-bys."""
    import polars as pl  # noqa: PLC0415

    cohorts = pl.read_ndjson(paths["cohorts"], schema={"id": pl.String})
    enrollments = pl.read_ndjson(
        paths["enrollments"], schema={"user_id": pl.String, "cohort_id": pl.String, "status": pl.String}
    )
    m = (
        enrollments.filter(
            pl.col("status").is_in(["active", "completed"])
            & pl.col("cohort_id").is_in(cohorts["id"].implode())
        )
        .group_by("user_id")
        .agg(pl.col("cohort_id").unique().sort().str.join("|").alias("membership"))
    )
    sessions = pl.read_ndjson(
        paths["sessions"],
        schema={
            "id": pl.String,
            "user_id": pl.String,
            "status": pl.String,
            "completed_at": pl.String,
            "difficulty_selection": pl.String,
            "recommended_track": pl.String,
            "aptitude_score": pl.Float64,
            "technical_exposure_score": pl.Float64,
            "strengths": pl.List(pl.String),
        },
    )
    s = (
        sessions.filter(
            pl.col("status").is_in(["finished", "locked"]) & pl.col("user_id").is_in(m["user_id"].implode())
        )
        .with_columns(pl.col("completed_at").str.to_datetime(time_zone="UTC"))
        .sort(["completed_at", "id"], descending=True)
        .unique("user_id", keep="first")
    )
    results = pl.read_ndjson(
        paths["results"],
        schema={
            "session_id": pl.String,
            "overall_score": pl.Float64,
            "aptitude_score": pl.Float64,
            "strengths": pl.List(pl.String),
        },
    ).rename({"aptitude_score": "result_aptitude", "strengths": "result_strengths"})

    def micro(column: str) -> pl.Expr:
        return (pl.col(column) * 1_000_000 + 0.5).floor().cast(pl.Int64)

    learners = (
        m.join(s, on="user_id", how="left")
        .join(results, left_on="id", right_on="session_id", how="left")
        .with_columns(
            pl.col("id").is_not_null().alias("profiled"),
            micro("aptitude_score").fill_null(micro("result_aptitude")).alias("a"),
            micro("technical_exposure_score").alias("t"),
            micro("overall_score").alias("o"),
            pl.col("recommended_track").fill_null("none").alias("track"),
            pl.col("difficulty_selection").fill_null("not_selected").alias("difficulty"),
            pl.col("completed_at").dt.strftime("%Y-%m").alias("month"),
            pl.concat_list(pl.col("strengths").fill_null([]), pl.col("result_strengths").fill_null([]))
            .list.unique()
            .alias("labels"),
        )
    )
    states: dict[str, dict[str, object]] = {}
    for membership, total, profiled in (
        learners.group_by("membership").agg(pl.len(), pl.col("profiled").sum()).iter_rows()
    ):
        state = states[membership] = _empty_state()
        state["total"], state["profiled"] = total, profiled
    for slot, column in enumerate("ato"):
        c = pl.col(column)
        agg = learners.group_by("membership").agg(
            c.count().alias("n"),
            c.cast(pl.Int128).sum().alias("sum"),
            (c.cast(pl.Int128) * c).sum().alias("sq"),
            c.min().alias("lo"),
            c.max().alias("hi"),
        )
        for membership, count, total, total_sq, low, high in agg.iter_rows():
            states[membership]["scores"][slot][:5] = [count, int(total), int(total_sq), low, high]  # type: ignore[index]
        bins = learners.filter(c.is_not_null()).group_by("membership", (c // 1_000_000).alias("b")).len()
        for membership, bucket, count in bins.iter_rows():
            states[membership]["scores"][slot][5][bucket] = count  # type: ignore[index]
    profiled_rows = learners.filter(pl.col("profiled"))
    for name, column in (("tracks", "track"), ("difficulty", "difficulty"), ("months", "month")):
        for membership, value, count in profiled_rows.group_by("membership", column).len().iter_rows():
            states[membership][name][value] = count  # type: ignore[index]
    for membership, value, count in (
        profiled_rows.explode("labels")
        .drop_nulls("labels")
        .group_by("membership", "labels")
        .len()
        .iter_rows()
    ):
        states[membership]["strengths"][value] = count  # type: ignore[index]
    return _canonical(states)


def child(contender: str, directory: Path) -> None:
    """Run one contender once (in this process) and print its time, peak memory and figures."""
    paths = {name: directory / f"{name}.jsonl" for name in FILES}
    import profiler_core.cli_analytics  # noqa: PLC0415 - imports are not the work measured

    if contender == "cli-duckdb":
        import profiler_core._duckdb_export  # noqa: F401, PLC0415
    started = time.perf_counter()
    reporting = 0.0
    if contender.startswith("cli-"):
        engine = contender.removeprefix("cli-").replace("pure", "python")
        partial, reporting = run_cli(paths, engine, directory / f"{contender}.json")
        elapsed = time.perf_counter() - started
        figures = library_figures(partial)
    else:
        figures = {"duckdb": run_duckdb, "polars": run_polars, "loop": run_loop}[contender](paths)
        elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": elapsed, "reporting": reporting, "peak": peak, "figures": figures}))


def _once(contender: str, directory: Path) -> dict[str, object] | str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "benchmarks.bench_export", "--child", contender, "--dir", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _lines(directory: Path) -> Iterator[str]:
    for name in FILES:
        with (directory / f"{name}.jsonl").open("rb") as handle:
            yield f"{name} {sum(1 for _ in handle):,}"


def main(argv: list[str] | None = None) -> None:  # noqa: PLR0915 - generate, check, time, print
    """Generate the export, check every contender's figures, time them, print the ratios."""
    parser = argparse.ArgumentParser(description="analytics over JSON Lines exports")
    parser.add_argument("--rows", type=int, default=100_000, help="learners (1000000: the issue's size)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    # Under `python -m benchmarks`, options stay in sys.argv (names of other modules are ignored).
    args = parser.parse_known_args(sys.argv[1:] if argv is None else argv)[0]
    if args.child:
        child(args.child, args.dir)
        return
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        write_export(directory, args.rows)
        size = sum((directory / f"{n}.jsonl").stat().st_size for n in FILES)
        print(f"{args.rows:,} learners; lines: {', '.join(_lines(directory))}; {size / 2**20:,.0f} MiB")
        runs: dict[str, list[dict[str, object]]] = {}
        reference: Figures | None = None
        for contender in CONTENDERS:
            first = _once(contender, directory)
            if isinstance(first, str):
                print(f"{contender:>11}: not run ({first})")
                continue
            if reference is None:
                reference = first["figures"]  # type: ignore[assignment]
            equal = first["figures"] == reference
            print(f"{contender:>11}: figures equal to cli-pure's: {equal}")
            if equal:
                runs[contender] = [first]
        for _round in range(max(args.rounds, 3) - 1):
            for contender, found in runs.items():
                again = _once(contender, directory)
                assert not isinstance(again, str), again
                found.append(again)
        if (directory / "cli-duckdb.json").exists():
            same = (directory / "cli-duckdb.json").read_bytes() == (directory / "cli-pure.json").read_bytes()
            print(f"cli duckdb report byte-identical to cli pure's: {same}")
    print(
        f"{'contender':>11}  {'min s':>7}  {'median s':>8}  {'peak MiB':>8}  {'us/learner':>10}"
        f"  {'of which reports s':>18}"
    )
    best: dict[str, float] = {}
    peak: dict[str, float] = {}
    reading: dict[str, float] = {}  # time minus the reports (suppression included): the export path
    for contender, found in runs.items():
        seconds = [float(r["seconds"]) for r in found]  # type: ignore[arg-type]
        best[contender] = min(seconds)
        peak[contender] = max(float(r["peak"]) for r in found) / 2**20  # type: ignore[arg-type]
        reports = min(float(r["reporting"]) for r in found)  # type: ignore[arg-type]
        reading[contender] = best[contender] - reports
        print(
            f"{contender:>11}  {min(seconds):7.2f}  {statistics.median(seconds):8.2f}  {peak[contender]:8.0f}"
            f"  {min(seconds) / args.rows * 1e6:10.2f}  {reports:18.2f}"
        )

    def ratio(label: str, a: str, b: str, target: float | None, values: dict[str, float]) -> None:
        if a in values and b in values:
            value = values[a] / values[b]
            met = "met" if target is not None and value <= target else "MISSED"
            verdict = "" if target is None else f" (target <= {target}x: {met})"
            print(f"  {label}: {value:.2f}x{verdict}")
        else:
            print(f"  {label}: not measured ({a} or {b} did not run)")

    print("ratios (min time; peak memory):")
    ratio("cli pure / json.loads loop, time", "cli-pure", "loop", 1.25, best)
    ratio("cli duckdb / duckdb alone, time", "cli-duckdb", "duckdb", 1.25, best)
    ratio("cli pure / duckdb alone, peak memory", "cli-pure", "duckdb", 1.0, peak)
    ratio("cli duckdb / duckdb alone, peak memory", "cli-duckdb", "duckdb", 1.0, peak)
    ratio("cli pure reading only (no reports) / loop, time", "cli-pure", "loop", None, reading)
    ratio("cli duckdb reading only (no reports) / duckdb alone, time", "cli-duckdb", "duckdb", None, reading)
    ratio("cli duckdb / polars, time", "cli-duckdb", "polars", None, best)
    ratio("cli pure / polars, time", "cli-pure", "polars", None, best)
    ratio("cli pure / duckdb alone, time", "cli-pure", "duckdb", None, best)
    ratio("polars / duckdb alone, time", "polars", "duckdb", None, best)
    ratio("json.loads loop / duckdb alone, time", "loop", "duckdb", None, best)


if __name__ == "__main__":
    main(sys.argv[1:])

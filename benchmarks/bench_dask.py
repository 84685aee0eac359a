"""The Dask example on ``dask.distributed``: scaling from 1 to 2 workers on this machine.

Writes a learner-partitioned JSON Lines export (``--rows`` learners, 200,000 by
default; ``--rows 10000000`` is the issue's size, about 3 GB on disk) in
``--partitions`` folders, then computes the merged
:class:`~profiler_core.analytics.AnalyticsPartial` with
``examples/dask_analytics/dask_report.py``:

* in one process (Dask's ``synchronous`` scheduler: the reference);
* on a ``LocalCluster`` of 1 worker process, then of 2 (one thread each).

Each distributed result is checked equal to the reference (exact integer
state, so equality is exact), then the best of ``--rounds`` rounds is printed
with the speed-up of 2 workers over 1. On a real cluster the same code runs
with ``Client("tcp://scheduler:8786")`` (see the example's README).
It asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from distributed import Client, LocalCluster

from profiler_core.analytics import AnalyticsPartial

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dask_analytics"
COHORTS = 1_000
_TRACKS = ("defender", "offensive", "innovation", "leadership", "grc", None)
_SELECTIONS = ("novice", "beginner", "intermediate", "advanced", "elite", None)
_STRENGTHS = ("networking", "security", "programming", "linux", "cloud", "web")

__all__ = ["main", "write_partitions"]


def write_partitions(directory: Path, learners: int, partitions: int, seed: int = 15) -> None:
    """A learner-partitioned export: learner ``n`` and all their rows live in partition ``n % partitions``."""
    rng = random.Random(seed)
    with (directory / "cohorts.jsonl").open("w", encoding="utf-8") as out:
        for n in range(COHORTS):
            out.write(
                json.dumps({"id": f"c-{n:04d}", "name": f"C{n}", "enterprise_id": f"org-{n % 50}"}) + "\n"
            )
    handles = []
    for part in range(partitions):
        folder = directory / f"part-{part:03d}"
        folder.mkdir()
        handles.append(
            [(folder / name).open("w", encoding="utf-8") for name in ("enrollments", "sessions", "results")]
        )
    try:
        for number in range(learners):
            enrollments, sessions, results = handles[number % partitions]
            user = f"u-{number:08d}"
            status = "active" if rng.random() < 0.9 else "withdrawn"
            enrollments.write(
                f'{{"user_id":"{user}","cohort_id":"c-{number % COHORTS:04d}","status":"{status}"}}\n'
            )
            if rng.random() < 0.85:
                sid = f"s-{number:08d}"
                minute = rng.randrange(365 * 24 * 60)
                stamp = f"2026-{1 + minute // 44640 % 12:02d}-{1 + minute // 1440 % 28:02d}T10:00:00+00:00"
                session = {
                    "id": sid,
                    "user_id": user,
                    "status": "finished",
                    "completed_at": stamp,
                    "difficulty_selection": rng.choice(_SELECTIONS),
                    "recommended_track": rng.choice(_TRACKS),
                    "aptitude_score": round(rng.uniform(0, 100), 2),
                    "technical_exposure_score": round(rng.uniform(0, 100), 2),
                    "strengths": rng.sample(_STRENGTHS, 2),
                }
                sessions.write(json.dumps(session) + "\n")
                results.write(f'{{"session_id":"{sid}","overall_score":{round(rng.uniform(0, 100), 2)}}}\n')
    finally:
        for files in handles:
            for handle in files:
                handle.close()
    for part in range(partitions):
        folder = directory / f"part-{part:03d}"
        for name in ("enrollments", "sessions", "results"):
            (folder / name).rename(folder / f"{name}.jsonl")


def _example() -> object:
    sys.path.insert(0, str(EXAMPLE))
    import dask_report  # noqa: PLC0415 - the example is a script beside the library

    return dask_report


def main(argv: list[str] | None = None) -> None:
    """Write the export, compute the partial in process and on 1 and 2 workers, print the scaling."""
    parser = argparse.ArgumentParser(description="the Dask example on dask.distributed")
    parser.add_argument("--rows", type=int, default=200_000, help="learners (10000000: the issue's size)")
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    # Under `python -m benchmarks`, options stay in sys.argv (names of other modules are ignored).
    args = parser.parse_known_args(sys.argv[1:] if argv is None else argv)[0]
    example = _example()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        write_partitions(directory, args.rows, args.partitions)
        print(
            f"{args.rows:,} learners in {args.partitions} partitions written in"
            f" {time.perf_counter() - started:.1f}s"
        )
        timings: dict[str, list[float]] = {}
        started = time.perf_counter()
        reference = example.partial_with_dask(directory, scheduler="synchronous")  # type: ignore[attr-defined]
        timings["in process"] = [time.perf_counter() - started]
        assert isinstance(reference, AnalyticsPartial)
        for workers in (1, 2):
            label = f"{workers} worker{'s' if workers > 1 else ''}"
            with (
                LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
                ) as cluster,
                Client(cluster) as client,
            ):
                for _round in range(max(args.rounds, 1)):
                    started = time.perf_counter()
                    found = example.partial_with_dask(directory, client=client)  # type: ignore[attr-defined]
                    timings.setdefault(label, []).append(time.perf_counter() - started)
                    if found != reference:
                        print(f"{label}: partial DIFFERS from the in-process one")
                        return
            print(f"{label}: partial equal to the in-process one: True")
    for label, seconds in timings.items():
        print(f"  {label:>10}: best {min(seconds):7.2f}s  ({args.rows / min(seconds):,.0f} learners/s)")
    one, two = min(timings["1 worker"]), min(timings["2 workers"])
    print(f"  speed-up 2 workers / 1 worker: {one / two:.2f}x (this machine has 2 cores, shared)")


if __name__ == "__main__":
    main(sys.argv[1:])

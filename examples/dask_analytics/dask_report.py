"""An enterprise report computed by Dask over JSON Lines partitioned by learner id.

The library's statistics are a commutative monoid, so a population too big
for one machine is reported like this:

1. the platform exports cohorts (small, shared by every worker) and, per
   partition, the enrollments, sessions and results of the learners whose id
   hashes to that partition (a learner never straddles two partitions);
2. each Dask task reads one partition with
   :func:`profiler_core.cli_analytics.read_export` and returns its
   :class:`~profiler_core.analytics.AnalyticsPartial` as JSON (partials travel);
3. the partials are merged (``fold`` with ``AnalyticsPartial.merge``) and the
   pure :func:`~profiler_core.analytics.enterprise_report` runs once on the
   result, exactly as it runs in process.

Run it: ``python examples/dask_analytics/dask_report.py [--learners 20000] [--partitions 8]``.
With ``--scheduler distributed`` it starts a ``dask.distributed`` ``LocalCluster``
(``--workers N``); with ``--address tcp://scheduler:8786`` it runs on a real
cluster instead (every worker needs ``profiler-core`` installed and must see
the export's folder, e.g. on a shared file system). It needs ``dask``
(``pip install "profiler-core[dask]"``); the library itself does not.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
import tempfile
import time
import zlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cloudpickle
import dask.bag as db
from distributed import Client, LocalCluster

from profiler_core import (
    JSON,
    AnalyticsPartial,
    Cohort,
    CohortId,
    DifficultySelection,
    Enrollment,
    EnrollmentStatus,
    OrgId,
    ProfilerResult,
    ProfilerSession,
    SessionId,
    SessionStatus,
    TrackKey,
    UserId,
    enterprise_report,
    partial_from_values,
    unstructure,
)
from profiler_core.cli_analytics import read_export
from profiler_core.serialization import structure, unstructure_object

COHORTS_FILE = "cohorts.jsonl"
PART_FILES = ("enrollments.jsonl", "sessions.jsonl", "results.jsonl")


def partition_of(user_id: str, partitions: int) -> int:
    """The partition of a learner: a stable hash of the id (the same on every machine and run)."""
    return zlib.crc32(user_id.encode("utf-8")) % partitions


def _write(path: Path, values: Iterable[object]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for value in values:
            handle.write(json.dumps(unstructure(value)) + "\n")


def write_partitions(
    directory: Path,
    *,
    cohorts: Sequence[Cohort],
    enrollments: Sequence[Enrollment],
    sessions: Sequence[ProfilerSession],
    results: Sequence[ProfilerResult],
    partitions: int,
) -> list[Path]:
    """Write the export: ``cohorts.jsonl`` and one ``part-NNN`` folder per partition; return the folders."""
    directory.mkdir(parents=True, exist_ok=True)
    _write(directory / COHORTS_FILE, cohorts)
    owner = {s.id: s.user_id for s in sessions}
    folders = [directory / f"part-{n:03d}" for n in range(partitions)]
    for number, folder in enumerate(folders):
        folder.mkdir(exist_ok=True)
        mine = [e for e in enrollments if partition_of(e.user_id, partitions) == number]
        _write(folder / "enrollments.jsonl", mine)
        _write(
            folder / "sessions.jsonl", [s for s in sessions if partition_of(s.user_id, partitions) == number]
        )
        _write(
            folder / "results.jsonl",
            [
                r
                for r in results
                if r.session_id in owner and partition_of(owner[r.session_id], partitions) == number
            ],
        )
    return folders


def partition_partial(cohorts_file: str, folder: str) -> dict[str, JSON]:
    """One Dask task: read one partition, return its partial as JSON (what travels between workers)."""
    base = Path(folder)
    with (
        open(cohorts_file, encoding="utf-8") as cohorts,
        (base / "enrollments.jsonl").open(encoding="utf-8") as enrollments,
        (base / "sessions.jsonl").open(encoding="utf-8") as sessions,
        (base / "results.jsonl").open(encoding="utf-8") as results,
    ):
        export = read_export(
            cohorts=(cohorts_file, cohorts),
            enrollments=(str(base / "enrollments.jsonl"), enrollments),
            sessions=(str(base / "sessions.jsonl"), sessions),
            results=(str(base / "results.jsonl"), results),
        )
    if export.bad_lines:
        raise ValueError(f"{folder}: {export.bad_lines} bad line(s)")
    return unstructure_object(export.partial)


def _absorb(total: AnalyticsPartial, part: dict[str, JSON]) -> AnalyticsPartial:
    return total.merge(structure(part, AnalyticsPartial))


def _merge(left: AnalyticsPartial, right: AnalyticsPartial) -> AnalyticsPartial:
    return left.merge(right)


# Workers of a dask.distributed cluster import this file's functions by value (it is a
# script, not an installed module); the library itself they import as usual.
if __name__ in sys.modules:
    cloudpickle.register_pickle_by_value(sys.modules[__name__])


def partial_with_dask(
    directory: Path, *, scheduler: str = "threads", client: Client | None = None
) -> AnalyticsPartial:
    """Map every partition to its partial, fold them with ``merge``: the partial of all learners.

    With *client* (a ``dask.distributed`` client: a ``LocalCluster``'s, or
    ``Client("tcp://scheduler:8786")`` for a real cluster) the tasks run on its
    workers; otherwise on the local *scheduler*.
    """
    folders = sorted(str(p) for p in directory.glob("part-*"))
    cohorts_file = str(directory / COHORTS_FILE)
    bag = db.from_sequence(folders, npartitions=max(len(folders), 1))
    merged = bag.map(functools.partial(partition_partial, cohorts_file)).fold(
        _absorb, _merge, initial=AnalyticsPartial.empty()
    )
    result = client.compute(merged).result() if client is not None else merged.compute(scheduler=scheduler)
    assert isinstance(result, AnalyticsPartial)
    return result


def enterprise_report_with_dask(
    directory: Path, enterprise_id: str, *, scheduler: str = "threads", client: Client | None = None
) -> dict[str, JSON]:
    """The enterprise report over a partitioned export, computed with Dask (JSON-ready)."""
    partial = partial_with_dask(directory, scheduler=scheduler, client=client)
    with (directory / COHORTS_FILE).open(encoding="utf-8") as handle:
        export = read_export(cohorts=(COHORTS_FILE, handle), enrollments=("-", []), sessions=("-", []))
    return unstructure_object(enterprise_report(OrgId(enterprise_id), export.cohorts, partial))


def synthetic_platform(
    learners: int, *, cohorts_per_enterprise: int = 6, seed: int = 11
) -> tuple[list[Cohort], list[Enrollment], list[ProfilerSession], list[ProfilerResult]]:
    """A deterministic population: two sponsors, same-name cohorts, retakes, learners in two cohorts."""
    rng = random.Random(seed)
    cohorts = [
        Cohort(
            id=CohortId(f"{org}-c{n}"),
            name=f"Cohort {n % 3}",
            track=rng.choice([None, *TrackKey]),
            enterprise_id=OrgId(org),
        )
        for org in ("org-acme", "org-globex")
        for n in range(cohorts_per_enterprise)
    ]
    start = datetime(2026, 1, 5, tzinfo=UTC)
    enrollments: list[Enrollment] = []
    sessions: list[ProfilerSession] = []
    results: list[ProfilerResult] = []
    statuses = [EnrollmentStatus.ACTIVE] * 6 + [EnrollmentStatus.COMPLETED] * 2 + [EnrollmentStatus.WITHDRAWN]
    for number in range(learners):
        user = UserId(f"learner-{number:06d}")
        home = rng.choice(cohorts)
        enrollments.append(Enrollment(user_id=user, cohort_id=home.id, status=rng.choice(statuses)))
        if rng.random() < 0.05:  # a second cohort of the same sponsor
            other = rng.choice([c for c in cohorts if c.enterprise_id == home.enterprise_id])
            enrollments.append(Enrollment(user_id=user, cohort_id=other.id, status=EnrollmentStatus.ACTIVE))
        for attempt in range(rng.choice([0, 1, 1, 1, 2])):
            sid = SessionId(f"s-{number:06d}-{attempt}")
            done = rng.random() < 0.9
            sessions.append(
                ProfilerSession(
                    id=sid,
                    user_id=user,
                    status=SessionStatus.FINISHED if done else SessionStatus.IN_PROGRESS,
                    completed_at=start + timedelta(days=rng.randrange(150), minutes=attempt)
                    if done
                    else None,
                    difficulty_selection=rng.choice([None, *DifficultySelection]),
                    aptitude_score=round(rng.uniform(0, 100), 2),
                    technical_exposure_score=round(rng.uniform(0, 100), 2),
                    recommended_track=rng.choice([None, *TrackKey]),
                    strengths=tuple(rng.sample(["networking", "security", "cloud", "web", "linux"], 2)),
                )
            )
            if done and rng.random() < 0.9:  # some completed sessions have no result row
                results.append(ProfilerResult(session_id=sid, overall_score=round(rng.uniform(0, 100), 2)))
    return cohorts, enrollments, sessions, results


def main(argv: Sequence[str] | None = None) -> int:
    """Generate a population, partition it, report org-acme with Dask and in process, compare."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--learners", type=int, default=20_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument(
        "--scheduler", default="processes", choices=["synchronous", "threads", "processes", "distributed"]
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="LocalCluster workers (--scheduler distributed)"
    )
    parser.add_argument("--address", help="a running cluster's scheduler, e.g. tcp://10.0.0.5:8786")
    args = parser.parse_args(argv)
    cohorts, enrollments, sessions, results = synthetic_platform(args.learners)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        write_partitions(
            directory,
            cohorts=cohorts,
            enrollments=enrollments,
            sessions=sessions,
            results=results,
            partitions=args.partitions,
        )
        started = time.perf_counter()
        if args.address or args.scheduler == "distributed":
            with (
                Client(args.address)
                if args.address
                else Client(LocalCluster(n_workers=args.workers, threads_per_worker=1))
            ) as client:
                distributed = enterprise_report_with_dask(directory, "org-acme", client=client)
        else:
            distributed = enterprise_report_with_dask(directory, "org-acme", scheduler=args.scheduler)
        elapsed = time.perf_counter() - started
    local = unstructure_object(
        enterprise_report(
            OrgId("org-acme"),
            cohorts,
            partial_from_values(enrollments=enrollments, sessions=sessions, results=results),
        )
    )
    rollup = distributed["rollup"]
    assert isinstance(rollup, dict)
    print(
        f"{args.learners} learners, {args.partitions} partitions, scheduler {args.scheduler}: {elapsed:.2f}s"
    )
    print(f"org-acme rollup population: {json.dumps(rollup['population'])}")
    print("equal to the in-process report:", distributed == local)
    return 0 if distributed == local else 1


if __name__ == "__main__":
    sys.exit(main())

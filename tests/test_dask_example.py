"""The Dask example (examples/dask_analytics) reports exactly what the library reports in process."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from distributed import Client, LocalCluster

from profiler_core import (
    AnalyticsPartial,
    Cohort,
    Enrollment,
    OrgId,
    ProfilerResult,
    ProfilerSession,
    enterprise_report,
    partial_from_values,
)
from profiler_core.serialization import structure, unstructure

Platform = tuple[list[Cohort], list[Enrollment], list[ProfilerSession], list[ProfilerResult]]

ROOT = Path(__file__).resolve().parents[1]


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "dask_report", ROOT / "examples" / "dask_analytics" / "dask_report.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import does: workers may pickle its functions by value
    spec.loader.exec_module(module)
    return module


EXAMPLE = load_example()


@pytest.fixture(scope="module")
def platform() -> Platform:
    cohorts, enrollments, sessions, results = EXAMPLE.synthetic_platform(600, cohorts_per_enterprise=4)
    return cohorts, enrollments, sessions, results


class TestDaskExample:
    @pytest.mark.parametrize("scheduler", ["synchronous", "threads"])
    @pytest.mark.parametrize("enterprise", ["org-acme", "org-globex", "org-unknown"])
    def test_equals_the_in_process_report(
        self, tmp_path: Path, platform: Platform, scheduler: str, enterprise: str
    ) -> None:
        """Dask over 5 learner partitions gives the same enterprise report as the library in process."""
        cohorts, enrollments, sessions, results = platform
        EXAMPLE.write_partitions(
            tmp_path,
            cohorts=cohorts,
            enrollments=enrollments,
            sessions=sessions,
            results=results,
            partitions=5,
        )
        distributed = EXAMPLE.enterprise_report_with_dask(tmp_path, enterprise, scheduler=scheduler)
        local = unstructure(
            enterprise_report(
                OrgId(enterprise),
                cohorts,
                partial_from_values(enrollments=enrollments, sessions=sessions, results=results),
            )
        )
        assert json.dumps(distributed, sort_keys=True) == json.dumps(local, sort_keys=True)

    def test_distributed_local_cluster_equals_the_in_process_report(
        self, tmp_path: Path, platform: Platform
    ) -> None:
        """On a dask.distributed LocalCluster (2 workers), the report equals the library's in process."""
        cohorts, enrollments, sessions, results = platform
        EXAMPLE.write_partitions(
            tmp_path,
            cohorts=cohorts,
            enrollments=enrollments,
            sessions=sessions,
            results=results,
            partitions=4,
        )
        # distributed's constructors are untyped.
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        )
        with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
            distributed = EXAMPLE.enterprise_report_with_dask(tmp_path, "org-acme", client=client)
            ran_on = len(client.scheduler_info()["workers"])
        local = unstructure(
            enterprise_report(
                OrgId("org-acme"),
                cohorts,
                partial_from_values(enrollments=enrollments, sessions=sessions, results=results),
            )
        )
        assert ran_on == 2
        assert json.dumps(distributed, sort_keys=True) == json.dumps(local, sort_keys=True)

    def test_the_scenario_is_not_trivial(self, platform: Platform) -> None:
        """The population has learners in two cohorts, retakes and completed sessions without results."""
        _cohorts, enrollments, sessions, results = platform
        per_user: dict[str, int] = {}
        for enrollment in enrollments:
            per_user[enrollment.user_id] = per_user.get(enrollment.user_id, 0) + 1
        assert max(per_user.values()) >= 2
        attempts = [s.user_id for s in sessions]
        assert len(attempts) > len(set(attempts))
        assert len(results) < len([s for s in sessions if s.is_completed])

    def test_partitions_hold_whole_learners(self, tmp_path: Path, platform: Platform) -> None:
        """Every learner's rows land in exactly one partition, and partials merge to the whole."""
        cohorts, enrollments, sessions, results = platform
        folders = EXAMPLE.write_partitions(
            tmp_path,
            cohorts=cohorts,
            enrollments=enrollments,
            sessions=sessions,
            results=results,
            partitions=3,
        )
        owners: dict[str, set[str]] = {}
        for folder in folders:
            for name in ("enrollments.jsonl", "sessions.jsonl"):
                for line in (folder / name).read_text(encoding="utf-8").splitlines():
                    owners.setdefault(json.loads(line)["user_id"], set()).add(folder.name)
        assert all(len(parts) == 1 for parts in owners.values())
        parts = [
            structure(EXAMPLE.partition_partial(str(tmp_path / "cohorts.jsonl"), str(f)), AnalyticsPartial)
            for f in folders
        ]
        whole = partial_from_values(enrollments=enrollments, sessions=sessions, results=results)
        assert AnalyticsPartial.merge_all(parts) == whole

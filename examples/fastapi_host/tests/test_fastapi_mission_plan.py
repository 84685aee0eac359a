"""The week's mission plan on the FastAPI host (issue 18): the store, its contract, the routes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing

import pytest
from fastapi.testclient import TestClient
from fastapi_host.db import connect, create_schema, insert_values
from fastapi_host.repositories import SqliteMissionProgressRepository

from profiler_core import MissionAssignmentRecord, MissionSubmission
from profiler_core.demo.sample import SamplePlatform
from profiler_core.testing.contracts_missions import check_mission_progress_repository

MISSIONS = "/api/v1/student/missions"


@pytest.fixture
def connections() -> Iterator[list[sqlite3.Connection]]:
    """In-memory databases with the host's schema, closed after the test."""
    opened: list[sqlite3.Connection] = []
    yield opened
    for connection in opened:
        connection.close()


class TestStore:
    def test_honours_the_progress_contract(self, connections: list[sqlite3.Connection]) -> None:
        """SqliteMissionProgressRepository passes the library's MissionProgressRepository contract."""

        def factory(
            assignments: Sequence[MissionAssignmentRecord],
            submissions: Sequence[MissionSubmission],
            points: Mapping[str, int],
        ) -> SqliteMissionProgressRepository:
            connection = connect(":memory:")
            connections.append(connection)
            create_schema(connection)
            insert_values(connection, "mission_assignments", assignments)
            insert_values(connection, "mission_submissions", submissions)
            repo = SqliteMissionProgressRepository(connection)
            for learner, value in points.items():
                repo.set_points(learner, value)
            return repo

        check_mission_progress_repository(factory)


class TestRoutes:
    @pytest.mark.parametrize("learner", [f"learner-{i:03d}" for i in range(1, 25)])
    def test_no_learner_is_told_to_do_a_completed_mission(
        self, client: TestClient, platform: SamplePlatform, learner: str
    ) -> None:
        """For every sample learner the plan holds no mission the learner completed."""
        done = {s.mission_id for s in platform.mission_submissions if s.learner_id == learner and s.passed}
        done |= {
            a.mission_id
            for a in platform.mission_assignments
            if a.learner_id == learner and a.status.value == "completed"
        }
        plan = client.get(MISSIONS, headers={"X-User-Id": learner}).json()["plan"]
        assert not {p["mission"]["id"] for p in plan["missions"]} & done

    def test_points_unlock_a_locked_mission(self, client: TestClient, db_path: object) -> None:
        """learner-005 (elite) sees mission-22 locked at 40 points; with 40 points stored it is unlocked."""
        body = client.get(MISSIONS, headers={"X-User-Id": "learner-005"}).json()["plan"]
        locked = {lock["mission"]["id"]: lock for lock in body["locked"]}
        assert locked["mission-22"]["points_required"] == 40
        assert locked["mission-22"]["reason"]["code"] == "locked_by_points"
        with closing(connect(str(db_path))) as connection, connection:
            SqliteMissionProgressRepository(connection).set_points("learner-005", 40)
        again = client.get(MISSIONS, headers={"X-User-Id": "learner-005"}).json()["plan"]
        assert "mission-22" not in {lock["mission"]["id"] for lock in again["locked"]}

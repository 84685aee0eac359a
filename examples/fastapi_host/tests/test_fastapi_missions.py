"""The missions endpoints: the student mission list and the dashboard's next mission."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fastapi_host.db import connect

from profiler_core import JSON, UserId, unstructure_object
from profiler_core.demo.sample import SamplePlatform
from profiler_core.services import mission_plan, missions_for_learner
from profiler_core.testing import InMemoryMissionRepository, InMemorySessionRepository
from profiler_core.testing.fakes import InMemoryMissionProgressRepository

MISSIONS = "/api/v1/student/missions"
NEXT = "/api/v1/student/missions/dashboard"


def as_user(user_id: str) -> dict[str, str]:
    """The example-only authentication header."""
    return {"X-User-Id": user_id}


def oracle(platform: SamplePlatform, learner: str, *, filter_by_track: bool = False) -> dict[str, JSON]:
    """What the library answers for *learner* over the in-memory fakes holding the same platform."""
    outcome = missions_for_learner(
        UserId(learner),
        sessions=InMemorySessionRepository(platform.sessions, platform.results),
        missions=InMemoryMissionRepository(platform.missions),
        filter_by_track=filter_by_track,
    )
    return unstructure_object(outcome)


def plan_oracle(platform: SamplePlatform, learner: str) -> JSON:
    """The week's plan the library makes for *learner* over the fakes holding the same platform."""
    outcome = mission_plan(
        UserId(learner),
        sessions=InMemorySessionRepository(platform.sessions, platform.results),
        missions=InMemoryMissionRepository(platform.missions),
        progress=InMemoryMissionProgressRepository(
            platform.mission_assignments, platform.mission_submissions, dict(platform.mission_points)
        ),
    )
    return unstructure_object(outcome.plan)


class TestStudentMissions:
    @pytest.mark.parametrize("learner", [f"learner-{i:03d}" for i in range(1, 25)])
    @pytest.mark.parametrize("filter_by_track", [False, True])
    def test_matches_the_library_over_fakes(
        self, client: TestClient, platform: SamplePlatform, learner: str, filter_by_track: bool
    ) -> None:
        """For every sample learner the host answers exactly what the service answers over the fakes."""
        response = client.get(MISSIONS, params={"track": filter_by_track}, headers=as_user(learner))
        assert response.status_code == 200
        expected = {
            **oracle(platform, learner, filter_by_track=filter_by_track),
            "plan": plan_oracle(platform, learner),
        }
        assert response.json() == expected

    @pytest.mark.parametrize(
        ("learner", "ceiling", "codes"),
        [
            ("learner-001", 1, ["mission-11", "mission-12", "mission-13"]),
            ("learner-005", 5, None),
            ("learner-006", 1, ["mission-11", "mission-12", "mission-13"]),
        ],
    )
    def test_known_ceilings(
        self, client: TestClient, learner: str, ceiling: int, codes: list[str] | None
    ) -> None:
        """Novice sees level 1 only, elite with strong evidence reaches Master, no profiler gives 1."""
        body = client.get(MISSIONS, headers=as_user(learner)).json()
        assert body["result"]["decision"]["ceiling"] == ceiling
        difficulties = [m["difficulty"] for m in body["result"]["missions"]]
        assert max(difficulties) == ceiling
        assert difficulties == sorted(difficulties)
        if codes is not None:
            assert [m["id"] for m in body["result"]["missions"]] == codes

    def test_no_completed_session_gives_the_explicit_default(self, client: TestClient) -> None:
        """A learner who never finished the profiler gets ceiling 1 with reason no_completed_session."""
        decision = client.get(MISSIONS, headers=as_user("learner-006")).json()["result"]["decision"]
        assert decision["session_id"] is None
        assert [r["code"] for r in decision["reasons"]] == ["no_completed_session"]

    def test_inactive_missions_never_listed(self, client: TestClient) -> None:
        """The retired level-3 mission is not offered even to a learner whose ceiling admits it."""
        body = client.get(MISSIONS, headers=as_user("learner-005")).json()
        assert "mission-33" not in [m["id"] for m in body["result"]["missions"]]

    def test_empty_catalogue_is_a_typed_outcome(self, client: TestClient, db_path: Path) -> None:
        """With no missions at all the list is empty with reason no_eligible_missions, status 200."""
        with closing(connect(db_path)) as connection, connection:
            connection.execute("DELETE FROM missions")
        body = client.get(MISSIONS, headers=as_user("learner-001")).json()
        assert body["result"]["missions"] == []
        assert body["result"]["next_mission"] is None
        assert body["result"]["empty_reason"]["code"] == "no_eligible_missions"


class TestNextMission:
    @pytest.mark.parametrize(
        "learner", ["learner-001", "learner-002", "learner-005", "learner-006", "learner-012"]
    )
    def test_is_the_plans_first_mission(
        self, client: TestClient, platform: SamplePlatform, learner: str
    ) -> None:
        """The dashboard's next mission is the plan's first; decision and eligible count are the service's."""
        expected = oracle(platform, learner)["result"]
        assert isinstance(expected, dict)
        plan = plan_oracle(platform, learner)
        assert isinstance(plan, dict)
        planned = plan["missions"]
        assert isinstance(planned, list)
        first = planned[0] if planned else None
        assert first is None or isinstance(first, dict)
        body = client.get(NEXT, headers=as_user(learner)).json()
        assert body["next_mission"] == (None if first is None else first["mission"])
        assert body["empty_reason"] == plan["empty_reason"]
        assert body["decision"] == expected["decision"]
        assert body["learner_id"] == learner
        assert body["degraded"] is False
        assert isinstance(expected["missions"], list)
        assert body["eligible_count"] == len(expected["missions"])
        assert body["plan"] == plan

    def test_a_completed_easiest_mission_is_not_next(self, client: TestClient) -> None:
        """learner-002 passed mission-11, the easiest eligible mission: the dashboard offers mission-21."""
        listed = client.get(MISSIONS, headers=as_user("learner-002")).json()["result"]
        assert listed["next_mission"]["id"] == "mission-11"  # the easiest eligible mission
        body = client.get(NEXT, headers=as_user("learner-002")).json()
        assert body["next_mission"]["id"] == "mission-21"
        assert body["empty_reason"] is None

    def test_an_empty_plan_gives_null_and_the_plans_absence(self, client: TestClient) -> None:
        """learner-006 completed every mission it may do: no next mission, reason all_missions_completed."""
        body = client.get(NEXT, headers=as_user("learner-006")).json()
        assert body["next_mission"] is None
        assert body["empty_reason"]["code"] == "all_missions_completed"
        assert body["eligible_count"] >= 1


class TestAuthentication:
    @pytest.mark.parametrize("path", [MISSIONS, NEXT])
    @pytest.mark.parametrize("headers", [{}, {"X-User-Id": "  "}])
    def test_missing_header_is_401(self, client: TestClient, path: str, headers: dict[str, str]) -> None:
        """Without X-User-Id the request is unauthenticated."""
        response = client.get(path, headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"

    def test_unknown_user_is_401(self, client: TestClient) -> None:
        """An X-User-Id naming no user is unauthenticated, not an empty list."""
        response = client.get(MISSIONS, headers=as_user("nobody"))
        assert response.status_code == 401


class TestBadInput:
    def test_bad_query_is_400_with_its_path(self, client: TestClient) -> None:
        """A non-boolean track flag is a 400 in the library's payload-error shape."""
        response = client.get(MISSIONS, params={"track": "maybe"}, headers=as_user("learner-001"))
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid_payload"
        assert [e["path"] for e in body["errors"]] == ["$.query.track"]

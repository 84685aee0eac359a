"""The student missions body and the dashboard carrying the week's plan (issue 18)."""

from __future__ import annotations

from datetime import UTC, datetime

from profiler_core import (
    Mission,
    MissionDifficulty,
    MissionSubmission,
    MissionSubmissionStatus,
    ProfilerSession,
)
from profiler_core.och import mission_plan_json, missions_dashboard_body, student_missions_body
from profiler_core.och._json import arr, obj
from profiler_core.services import LearnerMissionPlan, LearnerMissions, mission_plan, missions_for_learner
from profiler_core.testing import InMemoryMissionRepository, InMemorySessionRepository
from profiler_core.testing.fakes import InMemoryMissionProgressRepository
from profiler_core.vocabulary import DifficultySelection, SessionStatus

SESSION = ProfilerSession(
    id="s-1",
    user_id="16",
    status=SessionStatus.FINISHED,
    completed_at=datetime(2026, 3, 1, tzinfo=UTC),
    difficulty_selection=DifficultySelection.INTERMEDIATE,
)
CATALOGUE = [
    Mission(id="m1", code="M1", title="One", difficulty=MissionDifficulty.BEGINNER),
    Mission(id="m2", code="M2", title="Two", difficulty=MissionDifficulty.INTERMEDIATE),
    Mission(id="g", code="G", title="Gated", difficulty=MissionDifficulty.INTERMEDIATE, points_required=40),
]


def _outcomes() -> tuple[LearnerMissions, LearnerMissionPlan]:
    sessions = InMemorySessionRepository([SESSION])
    missions = InMemoryMissionRepository(CATALOGUE)
    progress = InMemoryMissionProgressRepository(
        submissions=[
            MissionSubmission(
                id="s-9", mission_id="m1", learner_id="16", status=MissionSubmissionStatus.APPROVED, score=90
            )
        ],
        points={"16": 15},
    )
    listing = missions_for_learner("16", sessions=sessions, missions=missions)
    plan = mission_plan("16", sessions=sessions, missions=missions, progress=progress)
    return listing, plan


class TestPlanInBodies:
    def test_student_missions_body_carries_the_plan_and_locks(self) -> None:
        """The body adds 'plan' and marks the points-locked item is_locked with the unlock condition."""
        listing, plan = _outcomes()
        body = student_missions_body(listing, plan=plan).body
        planned = obj(body["plan"])
        assert [obj(m)["id"] for m in arr(planned["missions"])] == ["m2"]
        assert planned["locked"] == [
            {
                "id": "g",
                "points_required": 40,
                "points": 15,
                "points_missing": 25,
                "lock_reason": "Earn 25 more points to unlock mission g: 15/40.",
            }
        ]
        items = {obj(i)["id"]: obj(i) for i in arr(body["results"])}
        assert items["g"]["is_locked"] is True
        assert items["m2"]["is_locked"] is False
        assert planned["policy"] == "mission-plan@1"
        assert planned["evidence_policy"] is None

    def test_without_a_plan_the_body_is_unchanged(self) -> None:
        """Without plan= the body has no 'plan' key and nothing is locked (the platform's fields only)."""
        listing, _ = _outcomes()
        body = student_missions_body(listing).body
        assert "plan" not in body
        assert all(obj(i)["is_locked"] is False for i in arr(body["results"]))

    def test_dashboard_next_mission_is_the_plans(self) -> None:
        """The dashboard's next_mission is the plan's (m2), not the easiest eligible one (m1, completed)."""
        listing, plan = _outcomes()
        assert missions_dashboard_body(listing).body["next_mission"] == "m1"
        body = missions_dashboard_body(listing, plan=plan).body
        assert body["next_mission"] == "m2"
        assert body["plan"] == mission_plan_json(plan)

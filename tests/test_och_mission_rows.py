"""OCH mission progress rows (issue 18): mission_assignments and mission_submissions as stored."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from profiler_core import InvalidPayloadError, MissionAssignmentStatus, MissionSubmissionStatus
from profiler_core.och import (
    UserDirectory,
    read_mission,
    read_mission_assignment,
    read_mission_assignment_rows,
    read_mission_submission,
    read_mission_submission_rows,
)

STUDENT = uuid.UUID("742ee3bd-fe83-4f7e-b1c0-7f5cab98af94")
USERS = UserDirectory.from_users([{"id": 16, "uuid_id": STUDENT}])
MISSION = uuid.UUID("32f96ff3-fa0d-4f49-9f52-1ac276c7ecbe")
ASSIGNMENT = uuid.UUID("b5cc4ca7-3803-4510-9dcb-6abcf9ebc980")

# The dump's rows (och_facts rows.md), as QuerySet.values() hands them.
ASSIGNMENT_ROW: dict[str, object] = {
    "id": ASSIGNMENT,
    "mission_id": MISSION,
    "assignment_type": "individual",
    "cohort_id": None,
    "student_id": STUDENT,
    "assigned_by": None,
    "due_date": None,
    "status": "assigned",
    "assigned_at": "2026-02-07 18:55:58.003432+03",
}
SUBMISSION_ROW: dict[str, object] = {
    "id": uuid.UUID("15a52f15-5d4d-463d-b681-35548ff2ac15"),
    "assignment_id": ASSIGNMENT,
    "student_id": STUDENT,
    "content": "",
    "attachments": [],
    "status": "rejected",
    "score": Decimal("50.00"),
    "feedback": "Needs Review",
    "reviewed_by": None,
    "reviewed_at": None,
    "submitted_at": "2026-02-14 16:19:22.145175+03",
}


class TestAssignments:
    def test_real_row(self) -> None:
        """A dump row reads: student uuid to learner 16, status assigned, +03 timestamp kept."""
        value = read_mission_assignment(ASSIGNMENT_ROW, users=USERS).value
        assert value.learner_id == "16"
        assert value.mission_id == str(MISSION)
        assert value.status is MissionAssignmentStatus.ASSIGNED
        assert value.assigned_at is not None
        assert value.assigned_at.utcoffset() is not None
        assert value.assigned_at.isoformat() == "2026-02-07T18:55:58.003432+03:00"

    @pytest.mark.parametrize("status", [s.value for s in MissionAssignmentStatus])
    def test_every_platform_status_reads(self, status: str) -> None:
        """Each of the platform's six assignment statuses reads as itself."""
        assert (
            read_mission_assignment({**ASSIGNMENT_ROW, "status": status}, users=USERS).value.status == status
        )

    def test_cohort_row_and_unknown_user_are_problems_at_student_id(self) -> None:
        """A cohort assignment (student_id NULL) and an unknown uuid are reported at $.student_id."""
        batch = read_mission_assignment_rows(
            [
                {**ASSIGNMENT_ROW, "student_id": None, "assignment_type": "cohort"},
                {**ASSIGNMENT_ROW, "student_id": uuid.UUID(int=5)},
                ASSIGNMENT_ROW,
            ],
            users=USERS,
        )
        assert len(batch.values) == 1
        assert [(p.index, p.path, p.code) for p in batch.problems] == [
            (0, "$.student_id", "required"),
            (1, "$.student_id", "invalid_value"),
        ]

    def test_unknown_status_is_a_problem_at_status(self) -> None:
        """A status outside the platform's choices is rejected at $.status."""
        with pytest.raises(InvalidPayloadError) as info:
            read_mission_assignment({**ASSIGNMENT_ROW, "status": "done"}, users=USERS)
        assert [p.path for p in info.value.problems] == ["$.status"]


class TestSubmissions:
    def test_real_row_with_the_mission_from_the_host(self) -> None:
        """A dump row reads with its assignment's mission looked up: Decimal 50.00, rejected, not passed."""
        batch = read_mission_submission_rows(
            [SUBMISSION_ROW], users=USERS, missions_by_assignment={ASSIGNMENT: MISSION}
        )
        value = batch.values[0]
        assert value.mission_id == str(MISSION)
        assert value.score == 50.0
        assert value.status is MissionSubmissionStatus.REJECTED
        assert not value.passed
        assert value.learner_id == "16"

    def test_joined_mission_column(self) -> None:
        """``assignment__mission_id`` (a .values() join) names the mission."""
        row = {
            **SUBMISSION_ROW,
            "assignment__mission_id": MISSION,
            "status": "approved",
            "score": Decimal("88.5"),
        }
        value = read_mission_submission(row, users=USERS).value
        assert value.mission_id == str(MISSION)
        assert value.passed

    def test_draft_without_score(self) -> None:
        """The dump's draft row (score NULL, never submitted) reads with no score and no time."""
        row = {
            **SUBMISSION_ROW,
            "status": "draft",
            "score": None,
            "submitted_at": None,
            "mission_id": MISSION,
        }
        value = read_mission_submission(row, users=USERS).value
        assert value.score is None
        assert value.submitted_at is None

    def test_problems_name_real_columns(self) -> None:
        """No mission anywhere and a score above 100 are reported at the row's own columns."""
        with pytest.raises(InvalidPayloadError) as info:
            read_mission_submission({**SUBMISSION_ROW, "score": Decimal("100.01")}, users=USERS)
        assert sorted(p.path for p in info.value.problems) == ["$.mission_id", "$.score"]


class TestMissionPoints:
    @pytest.mark.parametrize(
        ("requires", "points", "expected"),
        [(True, 40, 40), (None, 70, 70), (False, 40, None), (True, None, None)],
    )
    def test_points_required_only_when_required(
        self, requires: bool | None, points: int | None, expected: int | None
    ) -> None:
        """points_required gates a mission unless requires_points is False (the dump's 40 and 70 gate)."""
        row: dict[str, object] = {"id": MISSION, "title": "Network Security Fundamentals", "difficulty": 1}
        row["points_required"] = points
        if requires is not None:
            row["requires_points"] = requires
        assert read_mission(row).value.points_required == expected

"""The week's mission plan on the student missions endpoints, over the dump's assignments and submissions."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest
from profiler_host import loading, models
from profiler_host import och_fixture as f

from tests.conftest import Get

pytestmark = pytest.mark.django_db

NETWORK = uuid.UUID("32f96ff3-fa0d-4f49-9f52-1ac276c7ecbe")  # difficulty 1, the programs defensive track
PENTEST = uuid.UUID("d8defe1e-188d-49d0-9504-a005b1a05f13")  # difficulty 1, free-text track: general
INDIVIDUAL = uuid.UUID("b5cc4ca7-3803-4510-9dcb-6abcf9ebc980")
OTHER = uuid.UUID("f4c8a287-0000-4000-8000-000000000001")  # the dump shows "f4c8a287-…"


@pytest.fixture
def progress(och: None) -> None:
    """The dump's rows: NETWORK assigned to learner 16 (a draft submission), PENTEST rejected at 50.00."""
    loading.insert(
        models.MissionAssignment,
        [
            {
                "id": INDIVIDUAL,
                "mission_id": NETWORK,
                "assignment_type": "individual",
                "student_id": f.USER_UUID[f.MENTEE],
                "status": "assigned",
            },
            {
                "id": OTHER,
                "mission_id": PENTEST,
                "assignment_type": "individual",
                "student_id": f.USER_UUID[f.MENTEE],
                "status": "failed",
            },
        ],
    )
    loading.insert(
        models.MissionSubmission,
        [
            {
                "id": uuid.UUID("15a52f15-5d4d-463d-b681-35548ff2ac15"),
                "assignment_id": OTHER,
                "student_id": f.USER_UUID[f.MENTEE],
                "status": "rejected",
                "score": Decimal("50.00"),
            },
            {
                "id": uuid.UUID("09cefa30-93dc-488d-928d-98edb3b11976"),
                "assignment_id": INDIVIDUAL,
                "student_id": f.USER_UUID[f.MENTEE],
                "status": "draft",
            },
        ],
    )


def _body(get: Get, path: str = "/api/v1/student/missions/") -> dict[str, object]:
    response = get(path, f.MENTEE)
    assert response.status_code == 200, response.content
    return json.loads(response.content)  # type: ignore[no-any-return]  # a JSON object


class TestStudentMissionsPlan:
    def test_the_assigned_mission_first_then_the_general_one(self, get: Get, progress: None) -> None:
        """Learner 16 (ceiling 2): the assigned NETWORK mission first, then PENTEST (failed: try again)."""
        plan = _body(get)["plan"]
        assert isinstance(plan, dict)
        assert [m["id"] for m in plan["missions"]] == [str(NETWORK), str(PENTEST)]
        assert plan["missions"][0]["reasons"][0]["code"] == "mission_assigned"
        assert plan["ceiling"] == 2
        assert plan["policy"] == "mission-plan@1"

    def test_a_passed_mission_is_never_planned(self, get: Get, progress: None) -> None:
        """Once PENTEST's submission is approved, the plan no longer offers it (and the dashboard agrees)."""
        models.MissionSubmission.objects.filter(assignment_id=OTHER).update(
            status="approved", score=Decimal("90")
        )
        plan = _body(get)["plan"]
        assert isinstance(plan, dict)
        assert [m["id"] for m in plan["missions"]] == [str(NETWORK)]
        assert plan["demonstrated"] == 1
        assert _body(get, "/api/v1/student/missions/dashboard")["next_mission"] == str(NETWORK)

    def test_a_points_gate_locks_the_item_with_its_unlock_condition(self, get: Get, progress: None) -> None:
        """requires_points with 70 (the dump's figure): the item is locked; the plan says what unlocks it."""
        models.Mission.objects.filter(id=PENTEST).update(requires_points=True, points_required=70)
        body = _body(get)
        items = {i["id"]: i for i in body["results"]}  # type: ignore[attr-defined]  # JSON items
        assert items[str(PENTEST)]["is_locked"] is True
        assert items[str(PENTEST)]["lock_reason"] == f"Earn 70 more points to unlock mission {PENTEST}: 0/70."
        plan = body["plan"]
        assert isinstance(plan, dict)
        assert [lock["id"] for lock in plan["locked"]] == [str(PENTEST)]

    def test_the_adapter_reads_every_status_in_two_queries(self, progress: None) -> None:
        """DjangoMissionProgressRepository: learner 16's two assignments and two submissions, any status."""
        from django.db import connection  # noqa: PLC0415 - test-local
        from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 - test-local
        from profiler_host.adapters import DjangoMissionProgressRepository  # noqa: PLC0415 - test-local

        with CaptureQueriesContext(connection) as queries:
            found = DjangoMissionProgressRepository().progress_for(["16", 28])  # type: ignore[list-item]  # any id form
        assert len(queries) == 2
        mine = found["16"]  # type: ignore[index]  # canonical text keys
        assert sorted(a.status.value for a in mine.assignments) == ["assigned", "failed"]
        assert sorted(s.status.value for s in mine.submissions) == ["draft", "rejected"]
        assert set(found) == {"16"}

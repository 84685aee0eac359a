"""The student mission list and the mission dashboard (SPEC §3) over the ORM."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from profiler_host.loading import add_missions, add_sessions, ensure_users

import profiler_core as pc
from profiler_core import DifficultySelection as Sel
from profiler_core import MissionDifficulty, SessionStatus, TrackKey
from tests.conftest import Get

LIST = "/api/v1/student/missions"
DASHBOARD = "/api/v1/student/missions/dashboard"
DONE = datetime(2026, 3, 1, tzinfo=UTC)


def _session(sid: str, user: str, selection: Sel | None, *, aptitude: float = 50.0, technical: float = 50.0):
    return pc.ProfilerSession(
        id=pc.SessionId(sid),
        user_id=pc.UserId(user),
        status=SessionStatus.FINISHED,
        completed_at=DONE,
        difficulty_selection=selection,
        aptitude_score=aptitude,
        technical_exposure_score=technical,
        recommended_track=TrackKey.DEFENDER,
    )


@pytest.fixture
def catalogue(db: None) -> None:
    """Missions at every level (odd levels on the defender track, even ones track-less), one inactive."""
    add_missions(
        [
            pc.Mission(
                id=pc.MissionId(f"m-{level}"),
                code=f"L{level}",
                title=f"Level {level}",
                difficulty=MissionDifficulty(level),
                track=TrackKey.OFFENSIVE if level == 2 else None,
            )
            for level in range(1, 6)
        ]
        + [
            pc.Mission(
                id=pc.MissionId("m-off"),
                code="L0",
                title="Off",
                difficulty=MissionDifficulty(1),
                is_active=False,
            )
        ]
    )
    add_sessions(
        [
            _session("s-novice", "u-novice", Sel.NOVICE, technical=10.0),
            _session("s-inter", "u-inter", Sel.INTERMEDIATE),
            _session("s-adv", "u-adv", Sel.ADVANCED),
            _session("s-elite", "u-elite", Sel.ELITE, aptitude=60.0, technical=60.0),
            _session("s-master", "u-master", Sel.ELITE, aptitude=90.0, technical=80.0),
            _session("s-blank", "u-blank", None),
        ]
    )
    ensure_users(["u-none"])


class TestStudentMissionList:
    @pytest.mark.parametrize(
        ("learner", "ceiling", "codes", "first_reason"),
        [
            ("u-novice", 1, ["L1"], "selection_mapped"),
            ("u-inter", 2, ["L1", "L2"], "selection_mapped"),
            ("u-adv", 3, ["L1", "L2", "L3"], "selection_mapped"),
            ("u-elite", 4, ["L1", "L2", "L3", "L4"], "selection_mapped"),
            ("u-master", 5, ["L1", "L2", "L3", "L4", "L5"], "selection_mapped"),
            ("u-blank", 1, ["L1"], "selection_missing"),
            ("u-none", 1, ["L1"], "no_completed_session"),
        ],
    )
    def test_lists_active_missions_up_to_the_ceiling(
        self, *, catalogue: None, get: Get, learner: str, ceiling: int, codes: list[str], first_reason: str
    ) -> None:
        """The list holds the active missions up to the learner's ceiling, easiest first, with reasons."""
        response = get(LIST, learner)
        assert response.status_code == 200
        body = response.json()
        assert body["learner_id"] == learner
        assert body["result"]["decision"]["ceiling"] == ceiling
        assert body["result"]["decision"]["reasons"][0]["code"] == first_reason
        assert body["result"]["decision"]["policy"] == "difficulty@1"
        assert [m["code"] for m in body["result"]["missions"]] == codes
        assert body["degraded"] is False

    def test_track_filter_keeps_track_less_and_own_track_missions(self, catalogue: None, get: Get) -> None:
        """With ?track=true the offensive level-2 mission disappears for a defender learner."""
        body = get(LIST, "u-adv", track="true").json()
        assert [m["code"] for m in body["result"]["missions"]] == ["L1", "L3"]

    def test_rejects_a_malformed_flag_with_its_path(self, catalogue: None, get: Get) -> None:
        """?track=maybe is a 400 naming $.query.track."""
        response = get(LIST, "u-adv", track="maybe")
        assert response.status_code == 400
        assert response.json() == {
            "code": "invalid_payload",
            "type": "request",
            "errors": [
                {"path": "$.query.track", "code": "not_a_boolean", "message": "must be true or false"}
            ],
        }

    def test_requires_the_user_header(self, catalogue: None, get: Get) -> None:
        """Without X-User-Id the answer is 401 and names the header."""
        response = get(LIST)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "X-User-Id"

    def test_rejects_an_unknown_user(self, catalogue: None, get: Get) -> None:
        """An X-User-Id that names no user is a 401."""
        assert get(LIST, "u-ghost").status_code == 401

    def test_empty_catalogue_is_an_ordinary_outcome(self, db: None, get: Get) -> None:
        """No missions at all: 200 with an empty list and the no_eligible_missions reason."""
        ensure_users(["u-alone"])
        body = get(LIST, "u-alone").json()
        assert body["result"]["missions"] == []
        assert body["result"]["empty_reason"]["code"] == "no_eligible_missions"


class TestMissionDashboard:
    @pytest.mark.parametrize(
        ("learner", "next_code", "count"),
        [("u-novice", "L1", 1), ("u-master", "L1", 5), ("u-none", "L1", 1)],
    )
    def test_shows_the_next_mission(
        self, catalogue: None, get: Get, learner: str, next_code: str, count: int
    ) -> None:
        """The dashboard card names the easiest eligible mission and how many are eligible."""
        body = get(DASHBOARD, learner).json()
        assert body["next_mission"]["code"] == next_code
        assert body["eligible_count"] == count
        assert body["empty_reason"] is None

    def test_explains_a_level_five_ceiling(self, catalogue: None, get: Get) -> None:
        """Elite with strong evidence reaches Master, and the decision says why."""
        decision = get(DASHBOARD, "u-master").json()["decision"]
        assert decision["ceiling"] == 5
        assert "elite_master_evidence" in [r["code"] for r in decision["reasons"]]

    def test_no_next_mission_when_nothing_is_eligible(self, db: None, get: Get) -> None:
        """With no missions the next mission is null and the empty reason is given."""
        ensure_users(["u-alone"])
        body = get(DASHBOARD, "u-alone").json()
        assert body["next_mission"] is None
        assert body["empty_reason"]["code"] == "no_eligible_missions"

    def test_requires_the_user_header(self, catalogue: None, get: Get) -> None:
        """Without X-User-Id the dashboard is a 401."""
        assert get(DASHBOARD).status_code == 401

"""The mission plan use case (issue 18): services.mission_plan, the progress port's fake and contract."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from profiler_core import (
    DIFFICULTY_EVIDENCE_POLICY,
    Mission,
    MissionAssignmentRecord,
    MissionDifficulty,
    MissionProgress,
    MissionSubmission,
    MissionSubmissionStatus,
    ProfilerSession,
    UserId,
    mission_ceiling,
)
from profiler_core.ports import MissionProgressRepository
from profiler_core.services import mission_plan
from profiler_core.testing import FailingRepository, InMemoryMissionRepository, InMemorySessionRepository
from profiler_core.testing.contracts_missions import check_mission_progress_repository
from profiler_core.testing.fakes import InMemoryMissionProgressRepository
from profiler_core.vocabulary import DifficultySelection, SessionStatus, TrackKey

T0 = datetime(2026, 3, 1, tzinfo=UTC)
LEARNER = UserId("16")


def _session(selection: DifficultySelection, track: TrackKey | None = TrackKey.DEFENDER) -> ProfilerSession:
    return ProfilerSession(
        id="s-1",
        user_id=LEARNER,
        status=SessionStatus.FINISHED,
        started_at=T0,
        completed_at=T0 + timedelta(minutes=30),
        difficulty_selection=selection,
        recommended_track=track,
    )


def _catalogue() -> list[Mission]:
    return [
        Mission(
            id=f"m{level}{k}",
            code=f"M{level}{k}",
            title="t",
            difficulty=MissionDifficulty(level),
            track=track,
        )
        for level in range(1, 6)
        for k, track in enumerate((None, TrackKey.DEFENDER))
    ]


def _approved(mission: str, score: float, sid: str) -> MissionSubmission:
    return MissionSubmission(
        id=sid, mission_id=mission, learner_id=LEARNER, status=MissionSubmissionStatus.APPROVED, score=score
    )


class TestMissionPlanService:
    def test_three_calls_and_a_plan_in_the_learners_track(self) -> None:
        """One call to each port; an advanced defender aims one below the ceiling, own track first."""
        progress = InMemoryMissionProgressRepository()
        sessions = InMemorySessionRepository([_session(DifficultySelection.ADVANCED)])
        missions = InMemoryMissionRepository(_catalogue())
        outcome = mission_plan(LEARNER, sessions=sessions, missions=missions, progress=progress)
        assert [p.mission.id for p in outcome.plan.missions] == ["m21", "m11", "m31"]
        assert sum(sessions.calls.values()) == 1
        assert sum(missions.calls.values()) == 1
        assert sum(progress.calls.values()) == 1
        assert not outcome.degraded

    def test_completed_missions_are_skipped_and_the_step_climbs(self) -> None:
        """After passing m21 the plan aims at level 3 (ceiling 3) and never offers m21 again."""
        progress = InMemoryMissionProgressRepository(submissions=[_approved("m21", 70, "s1")])
        outcome = mission_plan(
            LEARNER,
            sessions=InMemorySessionRepository([_session(DifficultySelection.ADVANCED)]),
            missions=InMemoryMissionRepository(_catalogue()),
            progress=progress,
        )
        assert [p.mission.id for p in outcome.plan.missions] == ["m31", "m11", "m30"]
        assert outcome.plan.demonstrated is MissionDifficulty.INTERMEDIATE

    def test_default_ceiling_is_the_profilers_and_evidence_is_opt_in(self) -> None:
        """Two strong submissions at ceiling 2 move nothing by default and raise it to 3 under the policy."""
        strong = [_approved("m20", 90, "s1"), _approved("m21", 85, "s2")]
        sessions = InMemorySessionRepository([_session(DifficultySelection.INTERMEDIATE)])
        missions = InMemoryMissionRepository(_catalogue())
        default = mission_plan(
            LEARNER,
            sessions=sessions,
            missions=missions,
            progress=InMemoryMissionProgressRepository(submissions=strong),
        )
        assert (
            default.plan.ceiling.ceiling
            == mission_ceiling(_session(DifficultySelection.INTERMEDIATE)).ceiling
        )
        learned = mission_plan(
            LEARNER,
            sessions=sessions,
            missions=missions,
            progress=InMemoryMissionProgressRepository(submissions=strong),
            evidence=DIFFICULTY_EVIDENCE_POLICY,
        )
        assert learned.plan.ceiling.ceiling is MissionDifficulty.ADVANCED
        assert learned.plan.ceiling.submission_ids == ("s1", "s2")
        assert learned.plan.next_mission is not None
        assert learned.plan.next_mission.id == "m31"

    def test_progress_failure_plans_nothing(self, caplog: pytest.LogCaptureFixture) -> None:
        """A failing progress repository gives an empty, degraded plan (progress_unavailable), logged."""
        with caplog.at_level(logging.WARNING, logger="profiler_core.missions"):
            outcome = mission_plan(
                LEARNER,
                sessions=InMemorySessionRepository([_session(DifficultySelection.ELITE)]),
                missions=InMemoryMissionRepository(_catalogue()),
                progress=FailingRepository(),  # type: ignore[arg-type]  # stands in for any port
            )
        assert outcome.plan.missions == ()
        assert outcome.plan.absence is not None
        assert outcome.plan.absence.code == "progress_unavailable"
        assert outcome.degraded
        assert any(r.levelno == logging.WARNING for r in caplog.records)

    def test_catalogue_failure_plans_nothing(self) -> None:
        """A failing catalogue gives an empty, degraded plan (missions_unavailable)."""
        outcome = mission_plan(
            LEARNER,
            sessions=InMemorySessionRepository([_session(DifficultySelection.ELITE)]),
            missions=FailingRepository(),  # type: ignore[arg-type]  # stands in for any port
            progress=InMemoryMissionProgressRepository(),
        )
        assert outcome.plan.absence is not None
        assert outcome.plan.absence.code == "missions_unavailable"
        assert outcome.degraded

    def test_session_failure_degrades_to_level_one(self) -> None:
        """A failing session repository plans under the default ceiling 1, degraded."""
        outcome = mission_plan(
            LEARNER,
            sessions=FailingRepository(),  # type: ignore[arg-type]  # stands in for any port
            missions=InMemoryMissionRepository(_catalogue()),
            progress=InMemoryMissionProgressRepository(),
        )
        assert [p.mission.id for p in outcome.plan.missions] == ["m10"]
        assert outcome.degraded

    def test_another_learners_progress_is_dropped(self) -> None:
        """A faulty adapter answering with another learner's progress is ignored (treated as empty)."""

        class Faulty:
            def progress_for(self, learner_ids: Collection[UserId]) -> Mapping[UserId, MissionProgress]:
                return {LEARNER: MissionProgress(learner_id="99", submissions=[_approved("m21", 99, "x")])}

        outcome = mission_plan(
            LEARNER,
            sessions=InMemorySessionRepository([_session(DifficultySelection.ADVANCED)]),
            missions=InMemoryMissionRepository(_catalogue()),
            progress=Faulty(),
        )
        assert "m21" in [p.mission.id for p in outcome.plan.missions]


class TestProgressContract:
    def test_the_fake_passes(self) -> None:
        """InMemoryMissionProgressRepository honours the port's contract."""
        check_mission_progress_repository(
            lambda a, s, p: InMemoryMissionProgressRepository(assignments=a, submissions=s, points=p)
        )

    def test_an_adapter_that_filters_by_status_fails(self) -> None:
        """An adapter answering only open assignments (not every status) fails the contract."""

        def factory(
            a: Sequence[MissionAssignmentRecord], s: Sequence[MissionSubmission], p: Mapping[str, int]
        ) -> MissionProgressRepository:
            return InMemoryMissionProgressRepository(
                assignments=[x for x in a if x.status.value in ("assigned", "in_progress")],
                submissions=s,
                points=p,
            )

        with pytest.raises(AssertionError, match="any status"):
            check_mission_progress_repository(factory)

    def test_an_adapter_keyed_by_raw_ids_fails(self) -> None:
        """An adapter that keys its answer by the id as asked (an int) fails the contract."""

        class Raw(InMemoryMissionProgressRepository):
            def progress_for(self, learner_ids: Collection[UserId]) -> Mapping[UserId, MissionProgress]:
                answer = super().progress_for(learner_ids)
                return {
                    wanted: answer[UserId(str(wanted))] for wanted in learner_ids if str(wanted) in answer
                }  # raw keys on purpose

        with pytest.raises(AssertionError, match="canonical"):
            check_mission_progress_repository(lambda a, s, p: Raw(assignments=a, submissions=s, points=p))

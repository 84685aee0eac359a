"""Tests for the missions use case in profiler_core.services."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from profiler_core import Mission, MissionDifficulty, MissionId, ProfilerSession, SessionId, UserId
from profiler_core.services import missions_for_learner
from profiler_core.testing import FailingRepository, InMemoryMissionRepository, InMemorySessionRepository
from profiler_core.vocabulary import DifficultySelection, SessionStatus, TrackKey

T0 = datetime(2026, 3, 1, tzinfo=UTC)
LEARNER = UserId("u-1")


def completed(selection: DifficultySelection | None, *, track: TrackKey | None = None) -> ProfilerSession:
    return ProfilerSession(
        id=SessionId("s-1"),
        user_id=LEARNER,
        status=SessionStatus.FINISHED,
        started_at=T0,
        completed_at=T0 + timedelta(minutes=30),
        difficulty_selection=selection,
        recommended_track=track,
    )


def missions(n_per_level: int = 2) -> list[Mission]:
    return [
        Mission(
            id=MissionId(f"m-{int(level)}-{k}"),
            code=f"C{int(level)}{k:04d}",
            title="t",
            difficulty=level,
            track=TrackKey.GRC if k % 2 else None,
        )
        for level in MissionDifficulty
        for k in range(n_per_level)
    ]


class TestMissionsForLearner:
    def test_lists_eligible_missions_and_next(self) -> None:
        """An intermediate learner sees levels 1-2 and the easiest mission next."""
        outcome = missions_for_learner(
            LEARNER,
            sessions=InMemorySessionRepository([completed(DifficultySelection.INTERMEDIATE)]),
            missions=InMemoryMissionRepository(missions()),
        )
        assert {int(m.difficulty) for m in outcome.result.missions} == {1, 2}
        assert outcome.result.next_mission is not None
        assert outcome.result.next_mission.code == "C10000"
        assert outcome.result.decision.session_id == "s-1"
        assert not outcome.degraded

    def test_no_profiler_gets_default(self) -> None:
        """A learner without sessions sees only level 1, with reason no_completed_session."""
        outcome = missions_for_learner(
            LEARNER, sessions=InMemorySessionRepository(), missions=InMemoryMissionRepository(missions())
        )
        assert {int(m.difficulty) for m in outcome.result.missions} == {1}
        assert outcome.result.decision.reason_codes == ("no_completed_session",)

    def test_track_filter_is_opt_in(self) -> None:
        """With filter_by_track, only track-less missions and the learner's track remain."""
        repo = InMemorySessionRepository([completed(DifficultySelection.ELITE, track=TrackKey.DEFENDER)])
        everything = missions_for_learner(
            LEARNER, sessions=repo, missions=InMemoryMissionRepository(missions())
        )
        filtered = missions_for_learner(
            LEARNER, sessions=repo, missions=InMemoryMissionRepository(missions()), filter_by_track=True
        )
        assert {m.track for m in everything.result.missions} == {None, TrackKey.GRC}
        assert {m.track for m in filtered.result.missions} == {None}

    def test_session_repository_failure_degrades(self, caplog: pytest.LogCaptureFixture) -> None:
        """A failing session repository gives the default ceiling, profiler_unavailable and a WARNING."""
        with caplog.at_level(logging.WARNING, logger="profiler_core.missions"):
            outcome = missions_for_learner(
                LEARNER,
                sessions=FailingRepository(),  # type: ignore[arg-type]  # stands in for any port
                missions=InMemoryMissionRepository(missions()),
            )
        assert outcome.degraded
        assert outcome.result.decision.ceiling == 1
        assert outcome.result.decision.reason_codes == ("profiler_unavailable",)
        assert {int(m.difficulty) for m in outcome.result.missions} == {1}
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1
        assert (warnings[0].exc_info, warnings[0].__dict__["error_type"]) == (None, "ConnectionError")

    def test_mission_repository_failure_degrades(self, caplog: pytest.LogCaptureFixture) -> None:
        """A failing mission repository yields an empty list with reason missions_unavailable."""
        with caplog.at_level(logging.WARNING, logger="profiler_core.missions"):
            outcome = missions_for_learner(
                LEARNER,
                sessions=InMemorySessionRepository([completed(DifficultySelection.ADVANCED)]),
                missions=FailingRepository(),  # type: ignore[arg-type]  # stands in for any port
            )
        assert outcome.degraded
        assert outcome.result.missions == ()
        assert outcome.result.empty_reason is not None
        assert outcome.result.empty_reason.code == "missions_unavailable"
        assert outcome.result.decision.ceiling == 3
        assert any(r.levelno == logging.WARNING for r in caplog.records)

    def test_foreign_session_from_a_faulty_adapter_is_ignored(self, caplog: pytest.LogCaptureFixture) -> None:
        """A session of another learner returned for this one never decides the ceiling."""

        class Faulty(InMemorySessionRepository):
            def latest_completed_sessions(
                self, user_ids: Collection[UserId]
            ) -> Mapping[UserId, ProfilerSession]:
                other = attrs.evolve(completed(DifficultySelection.ADVANCED), user_id=UserId("u-other"))
                return dict.fromkeys(user_ids, other)

        with caplog.at_level(logging.WARNING, logger="profiler_core.missions"):
            outcome = missions_for_learner(
                LEARNER, sessions=Faulty(), missions=InMemoryMissionRepository(missions())
            )
        assert outcome.result.decision.ceiling == 1
        assert outcome.result.decision.reason_codes == ("no_completed_session",)
        assert [r.levelno for r in caplog.records] == [logging.WARNING]

    @pytest.mark.parametrize("per_level", [1, 10, 200])
    def test_repository_calls_do_not_grow_with_catalogue(self, per_level: int) -> None:
        """One session call and one mission call, whatever the catalogue size (no N+1)."""
        sessions = InMemorySessionRepository([completed(DifficultySelection.ADVANCED)])
        catalogue = InMemoryMissionRepository(missions(per_level))
        missions_for_learner(LEARNER, sessions=sessions, missions=catalogue)
        assert sum(sessions.calls.values()) == 1
        assert sum(catalogue.calls.values()) == 1

    def test_decision_logged_at_debug_with_ids_only(self, caplog: pytest.LogCaptureFixture) -> None:
        """The decision is logged at DEBUG with ids, codes and the duration in extra."""
        with caplog.at_level(logging.DEBUG, logger="profiler_core.missions"):
            missions_for_learner(
                LEARNER,
                sessions=InMemorySessionRepository([completed(DifficultySelection.NOVICE)]),
                missions=InMemoryMissionRepository(missions()),
            )
        (record,) = [r for r in caplog.records if r.levelno == logging.DEBUG]
        assert record.__dict__["learner_id"] == LEARNER
        assert record.__dict__["ceiling"] == 1
        assert record.__dict__["duration_ms"] >= 0
        assert record.__dict__["reason_codes"] == ("selection_mapped", "evidence_unknown")

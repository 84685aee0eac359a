"""Contract checks a host runs against its own adapters.

Each ``check_*`` function takes a *factory* that builds the host's adapter
pre-loaded with the given values (e.g. by inserting ORM rows) and asserts
that the adapter answers exactly as the port's contract says, using the
library's own pure functions as the oracle. They raise ``AssertionError``
with a message naming the broken rule, so they run under any test runner::

    def test_my_session_repository_honours_the_contract(db):
        check_session_repository(lambda sessions, results: DjangoSessionRepository.seeded(sessions, results))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from profiler_core.mapping import latest_completed_session, mission_sort_key
from profiler_core.models import (
    CategoryScore,
    Mission,
    MissionId,
    ProfilerResult,
    ProfilerSession,
    SessionId,
    UserId,
)
from profiler_core.ports import MissionRepository, SessionRepository
from profiler_core.vocabulary import DifficultySelection, MissionDifficulty, SessionStatus, TrackKey

__all__ = [
    "SessionRepositoryFactory",
    "MissionRepositoryFactory",
    "contract_sessions",
    "contract_missions",
    "check_session_repository",
    "check_mission_repository",
]

SessionRepositoryFactory = Callable[[Sequence[ProfilerSession], Sequence[ProfilerResult]], SessionRepository]
MissionRepositoryFactory = Callable[[Sequence[Mission]], MissionRepository]

_T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _session(
    sid: str,
    user: str,
    status: SessionStatus,
    minutes: int | None,
    *,
    selection: DifficultySelection | None = None,
    aptitude: float | None = None,
    track: TrackKey | None = None,
) -> ProfilerSession:
    completed = None if minutes is None else _T0 + timedelta(minutes=minutes)
    return ProfilerSession(
        id=SessionId(sid),
        user_id=UserId(user),
        status=status,
        started_at=_T0,
        completed_at=completed,
        difficulty_selection=selection,
        aptitude_score=aptitude,
        recommended_track=track,
    )


def contract_sessions() -> tuple[list[ProfilerSession], list[ProfilerResult]]:
    """The scenario the session contract loads: retakes, ties, incomplete sessions, missing results."""
    sessions = [
        # u-retake: two completed sessions; the later one counts.
        _session(
            "s-1",
            "u-retake",
            SessionStatus.FINISHED,
            10,
            selection=DifficultySelection.NOVICE,
        ),
        _session(
            "s-2",
            "u-retake",
            SessionStatus.LOCKED,
            20,
            selection=DifficultySelection.ADVANCED,
            aptitude=0.0,
            track=TrackKey.GRC,
        ),
        # u-later-incomplete: a newer session that is still in progress never counts.
        _session("s-3", "u-later-incomplete", SessionStatus.FINISHED, 10),
        _session("s-4", "u-later-incomplete", SessionStatus.IN_PROGRESS, 30),
        # u-tie: equal completion times; the larger id wins.
        _session("s-5", "u-tie", SessionStatus.FINISHED, 5),
        _session("s-6", "u-tie", SessionStatus.FINISHED, 5),
        # u-never: started only.
        _session("s-7", "u-never", SessionStatus.STARTED, None),
    ]
    results = [
        ProfilerResult(
            session_id=SessionId("s-2"),
            overall_score=0.0,
            aptitude_breakdown={"networking": CategoryScore.from_counts(correct=1, total=4, points=1.0)},
        ),
    ]
    return sessions, results


def check_session_repository(factory: SessionRepositoryFactory) -> None:
    """Assert that the adapter built by *factory* honours :class:`~profiler_core.ports.SessionRepository`."""
    sessions, results = contract_sessions()
    repo = factory(sessions, results)
    users = [UserId(u) for u in ("u-retake", "u-later-incomplete", "u-tie", "u-never", "u-absent")]
    latest = repo.latest_completed_sessions(users)
    for user in users:
        expected = latest_completed_session(s for s in sessions if s.user_id == user)
        got = latest.get(user)
        assert got == expected, f"latest_completed_sessions[{user}]: expected {expected!r}, got {got!r}"
    assert set(latest) == {UserId("u-retake"), UserId("u-later-incomplete"), UserId("u-tie")}, (
        "learners without a completed session must be absent"
    )
    assert repo.latest_completed_sessions([]) == {}, "no learners asked, none answered"
    found = repo.results_for_sessions([SessionId("s-2"), SessionId("s-3"), SessionId("s-missing")])
    assert dict(found) == {SessionId("s-2"): results[0]}, f"results_for_sessions: got {dict(found)!r}"


def contract_missions() -> list[Mission]:
    """The scenario the mission contract loads: every level, an inactive mission, tracks."""
    missions = [
        Mission(
            id=MissionId(f"m-{level}"),
            code=f"L{level}",
            title=f"Level {level}",
            difficulty=MissionDifficulty(level),
            track=TrackKey.DEFENDER if level % 2 else None,
        )
        for level in range(1, 6)
    ]
    missions.append(
        Mission(
            id=MissionId("m-off"),
            code="OFF",
            title="Retired",
            difficulty=MissionDifficulty.BEGINNER,
            is_active=False,
        )
    )
    return missions


def check_mission_repository(factory: MissionRepositoryFactory) -> None:
    """Assert that the adapter built by *factory* honours :class:`~profiler_core.ports.MissionRepository`."""
    missions = contract_missions()
    repo = factory(missions)
    for ceiling in MissionDifficulty:
        got = sorted(repo.list_missions(max_difficulty=ceiling), key=mission_sort_key)
        expected = sorted(
            (m for m in missions if m.is_active and m.difficulty <= ceiling), key=mission_sort_key
        )
        assert got == expected, f"list_missions(max_difficulty={int(ceiling)}): got {[m.id for m in got]}"
    everything = sorted(repo.list_missions(active_only=False), key=mission_sort_key)
    assert everything == sorted(missions, key=mission_sort_key), (
        "list_missions(active_only=False) must list all"
    )
    by_id = repo.missions_by_ids([MissionId("m-1"), MissionId("m-off"), MissionId("m-none")])
    assert set(by_id) == {MissionId("m-1"), MissionId("m-off")}, f"missions_by_ids: got {sorted(by_id)}"
    assert by_id[MissionId("m-1")] == missions[0], "missions_by_ids must return the stored mission"


# --- recipes (issue 3) ---


# --- access (issue 4) ---


# --- portfolio (issue 5) ---


# --- marketplace (issue 6) ---


# --- analytics (issue 7) ---

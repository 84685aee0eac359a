"""In-memory implementations of every port, for tests and the demo.

Each fake counts its calls in ``calls`` so tests can assert that a service
makes a bounded number of repository calls (no N+1).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

from profiler_core.mapping import latest_completed_session, mission_sort_key
from profiler_core.models import (
    Mission,
    MissionId,
    ProfilerResult,
    ProfilerSession,
    SessionId,
    UserId,
)
from profiler_core.vocabulary import MissionDifficulty

__all__ = [
    "FailingRepository",
    "InMemorySessionRepository",
    "InMemoryMissionRepository",
]


class FailingRepository:
    """Stands in for any port and raises *error* from every method (to test degradation)."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error or ConnectionError("repository unavailable")

    def __getattr__(self, name: str) -> object:
        def fail(*_args: object, **_kwargs: object) -> object:
            raise self.error

        return fail


class InMemorySessionRepository:
    """:class:`~profiler_core.ports.SessionRepository` over lists of values."""

    def __init__(
        self,
        sessions: Iterable[ProfilerSession] = (),
        results: Iterable[ProfilerResult] = (),
    ) -> None:
        self.sessions: list[ProfilerSession] = list(sessions)
        self.results: dict[SessionId, ProfilerResult] = {
            r.session_id: r for r in results if r.session_id is not None
        }
        self.calls: Counter[str] = Counter()

    def add(self, session: ProfilerSession, result: ProfilerResult | None = None) -> None:
        """Store a session (and its result)."""
        self.sessions.append(session)
        if result is not None:
            self.results[session.id] = result

    def latest_completed_sessions(self, user_ids: Collection[UserId]) -> Mapping[UserId, ProfilerSession]:
        """See :class:`~profiler_core.ports.SessionRepository`."""
        self.calls["latest_completed_sessions"] += 1
        wanted = set(user_ids)
        by_user: dict[UserId, list[ProfilerSession]] = {}
        for session in self.sessions:
            if session.user_id in wanted:
                by_user.setdefault(session.user_id, []).append(session)
        latest = {user: latest_completed_session(items) for user, items in by_user.items()}
        return {user: session for user, session in latest.items() if session is not None}

    def results_for_sessions(self, session_ids: Collection[SessionId]) -> Mapping[SessionId, ProfilerResult]:
        """See :class:`~profiler_core.ports.SessionRepository`."""
        self.calls["results_for_sessions"] += 1
        return {sid: self.results[sid] for sid in session_ids if sid in self.results}


class InMemoryMissionRepository:
    """:class:`~profiler_core.ports.MissionRepository` over a list of missions."""

    def __init__(self, missions: Iterable[Mission] = ()) -> None:
        self.missions: list[Mission] = list(missions)
        self.calls: Counter[str] = Counter()

    def list_missions(
        self,
        *,
        max_difficulty: MissionDifficulty | None = None,
        active_only: bool = True,
    ) -> Sequence[Mission]:
        """See :class:`~profiler_core.ports.MissionRepository`."""
        self.calls["list_missions"] += 1
        chosen = [
            m
            for m in self.missions
            if (not active_only or m.is_active) and (max_difficulty is None or m.difficulty <= max_difficulty)
        ]
        return sorted(chosen, key=mission_sort_key)

    def missions_by_ids(self, ids: Collection[MissionId]) -> Mapping[MissionId, Mission]:
        """See :class:`~profiler_core.ports.MissionRepository`."""
        self.calls["missions_by_ids"] += 1
        wanted = set(ids)
        return {m.id: m for m in self.missions if m.id in wanted}


# --- recipes (issue 3) ---


# --- access (issue 4) ---


# --- portfolio (issue 5) ---


# --- marketplace (issue 6) ---


# --- analytics (issue 7) ---

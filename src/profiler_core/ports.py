"""Repository ports: what a host implements so services can read its data.

Every port is a :class:`typing.Protocol` that takes and returns
:mod:`profiler_core` values. Methods are batch-first: one call answers for
many learners (or ids), so a host can answer each with one query and listing
endpoints never do N+1 queries. In-memory implementations live in
:mod:`profiler_core.testing`; contract checks for host adapters in
:mod:`profiler_core.testing.contracts`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Protocol

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
    "SessionRepository",
    "MissionRepository",
]


# --- missions (issue 2) -------------------------------------------------------


class SessionRepository(Protocol):
    """**Protocol:** where profiler sessions and their results are stored."""

    def latest_completed_sessions(self, user_ids: Collection[UserId]) -> Mapping[UserId, ProfilerSession]:
        """The latest completed session of each learner, in one call.

        Must agree with :func:`profiler_core.mapping.latest_completed_session`:
        only ``finished`` or ``locked`` sessions, latest ``completed_at``, ties
        to the largest id. Learners without one are absent from the mapping.
        """
        ...

    def results_for_sessions(self, session_ids: Collection[SessionId]) -> Mapping[SessionId, ProfilerResult]:
        """The result row of each session that has one, in one call (missing rows are absent)."""
        ...


class MissionRepository(Protocol):
    """**Protocol:** the mission catalogue."""

    def list_missions(
        self,
        *,
        max_difficulty: MissionDifficulty | None = None,
        active_only: bool = True,
    ) -> Sequence[Mission]:
        """Missions at or below *max_difficulty* (all when ``None``), in one call."""
        ...

    def missions_by_ids(self, ids: Collection[MissionId]) -> Mapping[MissionId, Mission]:
        """The missions with these ids that exist, in one call."""
        ...


# --- recipes (issue 3) ---


# --- access (issue 4) ---


# --- portfolio (issue 5) ---


# --- marketplace (issue 6) ---


# --- analytics (issue 7) ---

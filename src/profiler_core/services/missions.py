"""Missions use case (SPEC §3): the learner's eligible missions and next mission.

Logs on ``profiler_core.missions``.
"""

from __future__ import annotations

from attrs import field, frozen

from profiler_core._logging import get_logger, timed
from profiler_core.decisions import Reason
from profiler_core.mapping import (
    DEFAULT_DIFFICULTY_POLICY,
    DifficultyPolicy,
    EligibleMissions,
    default_ceiling,
    eligible_missions,
    filter_missions_by_track,
    mission_ceiling,
)
from profiler_core.models import (
    IdLike,
    ProfilerSession,
    UserId,
    _to_id,
    _valid_id,
)
from profiler_core.ports import (
    MissionRepository,
    SessionRepository,
)
from profiler_core.services._common import _Guard, _id_arg, _is_degraded

__all__ = [
    "LearnerMissions",
    "missions_for_learner",
]


_missions_log = get_logger("missions")


@frozen(kw_only=True)
class LearnerMissions:
    """What the student mission list and the mission dashboard show.

    Attributes:
        learner_id: the learner.
        result: the ceiling decision, the eligible missions and the next one.
        degraded: derived: ``True`` when a repository failed and a default was
            used (``profiler_unavailable`` or ``missions_unavailable`` among the reasons).
    """

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    result: EligibleMissions
    degraded: bool = field(init=False)

    @degraded.default
    def _derive_degraded(self) -> bool:
        # Derived, never passed in: degraded exactly when a degraded reason is present.
        return _is_degraded(self.result.decision.reasons, (self.result.empty_reason,))


def missions_for_learner(
    learner_id: IdLike,
    *,
    sessions: SessionRepository,
    missions: MissionRepository,
    policy: DifficultyPolicy = DEFAULT_DIFFICULTY_POLICY,
    filter_by_track: bool = False,
) -> LearnerMissions:
    """The learner's eligible missions and next mission, with the ceiling decision.

    Two repository calls whatever the catalogue size. If the session
    repository fails (a repository failure, see
    :func:`~profiler_core.errors.is_repository_failure`), the default ceiling
    applies with reason ``profiler_unavailable``; if the mission repository
    fails, the list is empty with reason ``missions_unavailable``. Both are
    logged at WARNING. Any other exception from an adapter propagates. A
    session of another learner (a faulty adapter) is dropped with a WARNING
    and counts as absent.

    Args:
        learner_id: the learner (``str``, ``int`` or ``UUID``; canonicalised first).
        sessions: the session port.
        missions: the mission port.
        policy: the difficulty policy.
        filter_by_track: also keep only missions with no track or the learner's
            recommended track.
    """
    learner = UserId(_id_arg(learner_id, "learner_id"))
    guard = _Guard(log=_missions_log, extra={"learner_id": learner})
    with timed() as clock:
        found: dict[str, ProfilerSession] = {}
        with guard.repository("session repository failed; default ceiling applies") as session_call:
            found = guard.owned_map(
                sessions.latest_completed_sessions([learner]), [learner], lambda s: s.user_id, "a session"
            )
        session = found.get(learner)
        if session_call.failed:
            decision = default_ceiling(
                Reason(
                    code="profiler_unavailable",
                    message="Profiler data is unavailable; the default ceiling 1 (Beginner) applies.",
                ),
                policy=policy,
            )
        else:
            decision = mission_ceiling(session, policy=policy)
        result = EligibleMissions(
            decision=decision,
            missions=(),
            empty_reason=Reason(code="missions_unavailable", message="The mission catalogue is unavailable."),
        )
        with guard.repository("mission repository failed; no missions listed") as mission_call:
            catalogue = missions.list_missions(max_difficulty=decision.ceiling, active_only=True)
        if not mission_call.failed:
            if filter_by_track:
                track = session.recommended_track if session is not None else None
                catalogue = filter_missions_by_track(catalogue, track)
            result = eligible_missions(catalogue, decision)
        degraded = session_call.failed or mission_call.failed
    _missions_log.debug(
        "mission ceiling decided",
        extra={
            "learner_id": learner,
            "session_id": decision.session_id,
            "ceiling": int(decision.ceiling),
            "reason_codes": decision.reason_codes,
            "evidence": decision.evidence.value,
            "policy": str(decision.policy),
            "eligible": result.count,
            "next_mission_id": result.next_mission.id if result.next_mission else None,
            "degraded": degraded,
            "duration_ms": clock["duration_ms"],
        },
    )
    return LearnerMissions(learner_id=learner, result=result)

"""Missions use cases (SPEC §3): the learner's eligible missions, and the plan of next missions.

Logs on ``profiler_core.missions``.
"""

from __future__ import annotations

import attrs
from attrs import field, frozen

from profiler_core._logging import get_logger
from profiler_core.decisions import Reason
from profiler_core.mapping import (
    DEFAULT_DIFFICULTY_POLICY,
    DifficultyPolicy,
    EligibleMissions,
    default_ceiling,
    eligible_missions,
    filter_missions_by_track,
    mission_ceiling,
    mission_track_reasons,
)
from profiler_core.mission_plan import (
    DEFAULT_MISSION_PLAN_POLICY,
    DifficultyEvidencePolicy,
    LearnedCeiling,
    MissionPlan,
    MissionPlanPolicy,
    learned_ceiling,
    plan_missions,
)
from profiler_core.mission_progress import MissionProgress
from profiler_core.models import (
    IdLike,
    UserId,
    _to_id,
    _valid_id,
)
from profiler_core.ports import (
    MissionProgressRepository,
    MissionRepository,
    SessionRepository,
)
from profiler_core.services._common import _Guard, _id_arg, _is_degraded

__all__ = [
    "LearnerMissions",
    "missions_for_learner",
    "LearnerMissionPlan",
    "mission_plan",
]


_missions_log = get_logger("missions")
_PROFILER_UNAVAILABLE = Reason(
    code="profiler_unavailable",
    message="Profiler data is unavailable; the default ceiling 1 (Beginner) applies.",
)
_MISSIONS_UNAVAILABLE = Reason(code="missions_unavailable", message="The mission catalogue is unavailable.")
_PROGRESS_UNAVAILABLE = Reason(
    code="progress_unavailable",
    message="Mission progress is unavailable; no mission is planned without knowing what is completed.",
)


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
    session = guard.fetch(
        lambda: guard.owned_map(
            sessions.latest_completed_sessions([learner]), [learner], lambda s: s.user_id, "a session"
        ).get(learner),
        None,
        "session repository failed; default ceiling applies",
        _PROFILER_UNAVAILABLE,
    )
    if guard.failed(_PROFILER_UNAVAILABLE):
        decision = default_ceiling(_PROFILER_UNAVAILABLE, policy=policy)
    else:
        decision = mission_ceiling(session, policy=policy)
    catalogue = guard.fetch(
        lambda: missions.list_missions(max_difficulty=decision.ceiling, active_only=True),
        None,
        "mission repository failed; no missions listed",
        _MISSIONS_UNAVAILABLE,
    )
    if catalogue is None:
        result = EligibleMissions(decision=decision, missions=(), empty_reason=_MISSIONS_UNAVAILABLE)
    else:
        if filter_by_track:
            catalogue = filter_missions_by_track(catalogue, session.recommended_track if session else None)
        result = eligible_missions(catalogue, decision)
        if filter_by_track:
            # A mission whose track is not a track passed the filter as track-less: say so.
            result = attrs.evolve(result, reasons=mission_track_reasons(result.missions))
    outcome = LearnerMissions(learner_id=learner, result=result)
    guard.decided(
        "mission ceiling decided",
        learner_id=learner,
        session_id=decision.session_id,
        ceiling=int(decision.ceiling),
        reason_codes=decision.reason_codes,
        evidence=decision.evidence.value,
        policy=str(decision.policy),
        eligible=result.count,
        next_mission_id=result.next_mission.id if result.next_mission else None,
        degraded=outcome.degraded,
    )
    return outcome


@frozen(kw_only=True)
class LearnerMissionPlan:
    """What the student missions endpoint and the mission dashboard show as the week's plan.

    Attributes:
        learner_id: the learner.
        plan: the ceiling (as mission evidence moved it), the planned missions,
            the locked ones, and why.
        degraded: derived: ``True`` when a repository failed and a default was
            used (``profiler_unavailable``, ``missions_unavailable`` or
            ``progress_unavailable`` among the reasons).
    """

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    plan: MissionPlan
    degraded: bool = field(init=False)

    @degraded.default
    def _derive_degraded(self) -> bool:
        return _is_degraded(self.plan.ceiling.base.reasons, (self.plan.empty_reason,))


def mission_plan(
    learner_id: IdLike,
    *,
    sessions: SessionRepository,
    missions: MissionRepository,
    progress: MissionProgressRepository,
    policy: DifficultyPolicy = DEFAULT_DIFFICULTY_POLICY,
    plan_policy: MissionPlanPolicy = DEFAULT_MISSION_PLAN_POLICY,
    evidence: DifficultyEvidencePolicy | None = None,
) -> LearnerMissionPlan:
    """The learner's next missions for the week (``plan_policy.plan_size``), each explained.

    Three repository calls whatever the catalogue size: the latest completed
    session (the ceiling and the learner's recommended track), the whole
    catalogue (completed missions count for the demonstrated level even when
    retired or above the ceiling) and the learner's progress. With
    *evidence* (opt-in, e.g.
    :data:`~profiler_core.mission_plan.DIFFICULTY_EVIDENCE_POLICY`) mission
    scores move the ceiling; by default the ceiling is the profiler's alone.

    Degrades like :func:`missions_for_learner`: a failing session repository
    gives the default ceiling (``profiler_unavailable``); a failing catalogue
    or progress repository gives an empty plan (``missions_unavailable`` /
    ``progress_unavailable``): no mission is planned without knowing which
    ones the learner completed.
    """
    learner = UserId(_id_arg(learner_id, "learner_id"))
    guard = _Guard(log=_missions_log, extra={"learner_id": learner})
    session = guard.fetch(
        lambda: guard.owned_map(
            sessions.latest_completed_sessions([learner]), [learner], lambda s: s.user_id, "a session"
        ).get(learner),
        None,
        "session repository failed; default ceiling applies",
        _PROFILER_UNAVAILABLE,
    )
    if guard.failed(_PROFILER_UNAVAILABLE):
        decision = default_ceiling(_PROFILER_UNAVAILABLE, policy=policy)
    else:
        decision = mission_ceiling(session, policy=policy)
    catalogue = guard.fetch(
        lambda: missions.list_missions(max_difficulty=None, active_only=False),
        None,
        "mission repository failed; no missions planned",
        _MISSIONS_UNAVAILABLE,
    )
    found = guard.fetch(
        lambda: guard.owned_map(
            progress.progress_for([learner]), [learner], lambda p: p.learner_id, "progress"
        ),
        None,
        "mission progress repository failed; no missions planned",
        _PROGRESS_UNAVAILABLE,
    )
    track = session.recommended_track if session else None
    if catalogue is None or found is None:
        failure = _MISSIONS_UNAVAILABLE if catalogue is None else _PROGRESS_UNAVAILABLE
        empty = plan_missions(
            (), LearnedCeiling(base=decision, ceiling=decision.ceiling), MissionProgress.empty(learner)
        )
        plan = attrs.evolve(empty, empty_reason=failure)
    else:
        learner_progress = found.get(learner) or MissionProgress.empty(learner)
        ceiling = learned_ceiling(decision, learner_progress, {m.id: m for m in catalogue}, policy=evidence)
        plan = plan_missions(catalogue, ceiling, learner_progress, track=track, policy=plan_policy)
    outcome = LearnerMissionPlan(learner_id=learner, plan=plan)
    guard.decided(
        "mission plan decided",
        learner_id=learner,
        session_id=decision.session_id,
        ceiling=int(plan.ceiling.ceiling),
        base_ceiling=int(decision.ceiling),
        target_step=int(plan.target_step),
        planned=[p.mission.id for p in plan.missions],
        locked=len(plan.locked),
        reason_codes=plan.reason_codes,
        empty_reason=plan.empty_reason.code if plan.empty_reason else None,
        policy=str(plan.policy),
        evidence_policy=str(plan.ceiling.policy) if plan.ceiling.policy else None,
        degraded=outcome.degraded,
    )
    return outcome

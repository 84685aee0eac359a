"""The next missions, explained (SPEC §3): a short plan that moves a learner forward.

:func:`mission_ceiling` (in :mod:`profiler_core.mapping`) keeps the ceiling;
this module decides what to do under it, from the learner's progress
(:class:`~profiler_core.mission_progress.MissionProgress`):

* :func:`learned_ceiling` applies an opt-in :class:`DifficultyEvidencePolicy`
  (``difficulty-evidence@1``): strong submissions at the ceiling raise it one
  level, weak ones lower the *suggested step* (never the ceiling). Without a
  policy (the default) the ceiling is the profiler's alone.
* :func:`plan_missions` orders the eligible missions under a
  :class:`MissionPlanPolicy` (``mission-plan@1``): never a completed mission;
  an assigned or in-progress one first; then the learner's track before
  general missions (an assigned mission of another track is eligible too);
  then the step nearest the target that climbs from the
  demonstrated level (the hardest mission passed) toward the ceiling; ties by
  difficulty, code, id. Missions locked by ``points_required`` are listed as
  locked, with what unlocks them. An empty plan says why (``absence``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from attrs import field, frozen

from profiler_core.decisions import Explained, Policy, PolicyRef, Reason, _reasons
from profiler_core.errors import PolicyError
from profiler_core.field_rules import _in_score_range, _strings
from profiler_core.mapping import CeilingDecision, mission_sort_key, mission_track_reasons
from profiler_core.mission_progress import MissionProgress
from profiler_core.models import Mission, MissionId
from profiler_core.vocabulary import MissionDifficulty, TrackKey

__all__ = [
    "DifficultyEvidencePolicy",
    "DIFFICULTY_EVIDENCE_POLICY",
    "LearnedCeiling",
    "learned_ceiling",
    "MissionPlanPolicy",
    "DEFAULT_MISSION_PLAN_POLICY",
    "PlannedMission",
    "LockedMission",
    "MissionPlan",
    "plan_missions",
]


def _check_evidence(instance: DifficultyEvidencePolicy, _attribute: object, _value: object) -> None:
    scores = (instance.fail_below, instance.raise_min_score)
    if not all(_in_score_range(x) for x in scores) or instance.fail_below > instance.raise_min_score:
        raise PolicyError(policy=str(instance.ref), reason="needs 0 <= fail_below <= raise_min_score <= 100")
    if instance.raise_count < 1 or instance.fail_count < 1:
        raise PolicyError(policy=str(instance.ref), reason="raise_count and fail_count must be at least 1")


@frozen(kw_only=True)
class DifficultyEvidencePolicy(Policy):
    """The opt-in rules by which mission evidence moves the ceiling (``difficulty-evidence@1``).

    Each mission counts once, by its best score. Only missions at the
    profiler's ceiling count.

    Attributes:
        id: policy id.
        version: policy version.
        raise_count: this many missions at the ceiling...
        raise_min_score: ...each scored at least this raise the ceiling one level (up to Master).
        fail_count: this many missions at the ceiling...
        fail_below: ...each best-scored below this lower the *suggested step* one level
            (the ceiling never moves down).
    """

    id: str = "difficulty-evidence"
    version: int = 1
    raise_count: int = field(default=2, validator=_check_evidence)
    raise_min_score: float = 80.0
    fail_count: int = 2
    fail_below: float = 50.0


#: The named opt-in policy: two missions at the ceiling scored >= 80 raise it; two below 50 lower the step.
DIFFICULTY_EVIDENCE_POLICY = DifficultyEvidencePolicy()


@frozen(kw_only=True)
class LearnedCeiling(Explained):
    """The ceiling after mission evidence, and why.

    Attributes:
        base: the profiler's ceiling decision (never changed).
        ceiling: the ceiling the plan uses (``base.ceiling`` or one level above).
        suggested_step: a step cap below the ceiling when recent work at the
            ceiling failed (``None``: no cap).
        reasons: why, in order; empty when the ceiling is the profiler's alone.
        submission_ids: the submissions any change used, sorted.
        policy: the evidence policy, or ``None`` (the profiler's ceiling alone).
    """

    base: CeilingDecision
    ceiling: MissionDifficulty
    suggested_step: MissionDifficulty | None = None
    reasons: tuple[Reason, ...] = field(default=(), converter=_reasons)
    submission_ids: tuple[str, ...] = field(default=(), converter=_strings)
    policy: PolicyRef | None = None


def learned_ceiling(
    decision: CeilingDecision,
    progress: MissionProgress,
    missions: Mapping[MissionId, Mission],
    *,
    policy: DifficultyEvidencePolicy | None = None,
) -> LearnedCeiling:
    """The ceiling the plan uses: the profiler's, moved by mission evidence only under an opt-in *policy*.

    With ``policy=None`` (the default) the ceiling is ``decision.ceiling``,
    unchanged. Under a policy, missions at ``decision.ceiling`` (in
    *missions*) count by their best score: ``raise_count`` of them at
    ``raise_min_score`` or more raise the ceiling one level (up to Master);
    otherwise ``fail_count`` of them below ``fail_below`` cap the suggested
    step one level below the ceiling. Every change names its submissions.
    """
    if policy is None:
        return LearnedCeiling(base=decision, ceiling=decision.ceiling)
    level = decision.ceiling
    at_ceiling = {
        m: scored
        for m, scored in progress.best_scores().items()
        if m in missions and missions[m].difficulty == level
    }
    strong = sorted(m for m, (score, _) in at_ceiling.items() if score >= policy.raise_min_score)
    weak = sorted(m for m, (score, _) in at_ceiling.items() if score < policy.fail_below)
    if len(strong) >= policy.raise_count and level < MissionDifficulty.MASTER:
        raised = MissionDifficulty(level + 1)
        used = sorted(s for m in strong for s in at_ceiling[m][1])
        return LearnedCeiling(
            base=decision,
            ceiling=raised,
            reasons=(
                Reason(
                    code="ceiling_raised_by_evidence",
                    message=f"{len(strong)} missions at ceiling {int(level)} scored >= "
                    f"{policy.raise_min_score:g} (submissions {', '.join(used)}): "
                    f"ceiling raised to {int(raised)} ({raised.label}).",
                ),
            ),
            submission_ids=used,
            policy=policy.ref,
        )
    if (
        len(weak) >= policy.fail_count
        and len(strong) < policy.raise_count
        and level > MissionDifficulty.BEGINNER
    ):
        step = MissionDifficulty(level - 1)
        used = sorted(s for m in weak for s in at_ceiling[m][1])
        return LearnedCeiling(
            base=decision,
            ceiling=level,
            suggested_step=step,
            reasons=(
                Reason(
                    code="step_lowered_by_evidence",
                    message=f"{len(weak)} missions at ceiling {int(level)} scored below "
                    f"{policy.fail_below:g} (submissions {', '.join(used)}): the suggested step is "
                    f"{int(step)} ({step.label}); the ceiling stays {int(level)}.",
                ),
            ),
            submission_ids=used,
            policy=policy.ref,
        )
    return LearnedCeiling(
        base=decision,
        ceiling=level,
        reasons=(
            Reason(
                code="ceiling_unchanged_by_evidence",
                message=f"Mission evidence at ceiling {int(level)} moves nothing under {policy.ref}.",
            ),
        ),
        policy=policy.ref,
    )


def _check_plan(instance: MissionPlanPolicy, _attribute: object, _value: object) -> None:
    if instance.plan_size < 1 or instance.step_up < 0 or instance.first_step_below_ceiling < 0:
        raise PolicyError(
            policy=str(instance.ref),
            reason="plan_size must be at least 1; step_up and first_step_below_ceiling at least 0",
        )


@frozen(kw_only=True)
class MissionPlanPolicy(Policy):
    """The versioned rules that order a learner's next missions (``mission-plan@1``).

    Attributes:
        id: policy id.
        version: policy version.
        plan_size: how many missions a plan holds (a week's worth).
        step_up: the target step is this many levels above the demonstrated level.
        first_step_below_ceiling: with nothing passed yet, the target step is
            this many levels below the ceiling (never below 1).
    """

    id: str = "mission-plan"
    version: int = 1
    plan_size: int = field(default=3, validator=_check_plan)
    step_up: int = 1
    first_step_below_ceiling: int = 1


#: The default plan policy: three missions, one step above the demonstrated level.
DEFAULT_MISSION_PLAN_POLICY = MissionPlanPolicy()


@frozen(kw_only=True)
class PlannedMission(Explained):
    """One mission of a plan, and why it is there.

    Attributes:
        mission: the mission.
        reasons: why, in order (assignment, track, step).
    """

    mission: Mission
    reasons: tuple[Reason, ...] = field(converter=_reasons)


@frozen(kw_only=True)
class LockedMission:
    """An eligible mission locked by points, and what unlocks it.

    Attributes:
        mission: the mission.
        points_required: the points that unlock it.
        points: the learner's points.
        reason: ``locked_by_points``, with the missing points.
    """

    mission: Mission
    points_required: int
    points: int
    reason: Reason

    @property
    def points_missing(self) -> int:
        """How many more points unlock it."""
        return self.points_required - self.points


def _planned(values: Iterable[PlannedMission]) -> tuple[PlannedMission, ...]:
    return tuple(values)


def _locked(values: Iterable[LockedMission]) -> tuple[LockedMission, ...]:
    return tuple(values)


@frozen(kw_only=True)
class MissionPlan(Explained):
    """A learner's next missions, in order, with the locked ones and why.

    An empty plan is an ordinary outcome: ``missions`` is empty and
    ``absence`` says why (``all_missions_completed``, ``all_missions_locked``,
    ``missions_awaiting_review`` or ``no_missions_at_level``).

    Attributes:
        ceiling: the ceiling the plan used.
        demonstrated: the hardest mission passed (``None``: none yet).
        target_step: the difficulty the step policy aims at.
        missions: the plan, first to do first.
        locked: eligible missions locked by points, easiest first.
        reasons: how the plan was made (demonstrated level, target, what was left out;
            ``mission_track_unknown`` for each eligible mission whose track text is not a track).
        empty_reason: why the plan is empty (``None`` when it is not).
        policy: the plan policy.
    """

    ceiling: LearnedCeiling
    demonstrated: MissionDifficulty | None
    target_step: MissionDifficulty
    missions: tuple[PlannedMission, ...] = field(converter=_planned)
    locked: tuple[LockedMission, ...] = field(default=(), converter=_locked)
    reasons: tuple[Reason, ...] = field(default=(), converter=_reasons)
    empty_reason: Reason | None = None
    policy: PolicyRef

    @property
    def absence(self) -> Reason | None:
        """Why the plan is empty (:attr:`empty_reason`); ``None`` when it holds a mission."""
        return self.empty_reason

    @property
    def next_mission(self) -> Mission | None:
        """The first mission of the plan (``None`` when it is empty)."""
        return self.missions[0].mission if self.missions else None


def _target(
    ceiling: LearnedCeiling, demonstrated: MissionDifficulty | None, policy: MissionPlanPolicy
) -> tuple[MissionDifficulty, Reason]:
    top = int(ceiling.ceiling)
    if demonstrated is None:
        level = max(1, top - policy.first_step_below_ceiling)
        why = (
            f"Nothing passed yet: the target step is {level}, "
            f"{policy.first_step_below_ceiling} below ceiling {top}."
        )
    else:
        level = max(1, min(top, int(demonstrated) + policy.step_up))
        why = (
            f"Hardest mission passed is level {int(demonstrated)}: "
            f"the target step is {level} (ceiling {top})."
        )
    if ceiling.suggested_step is not None and level > ceiling.suggested_step:
        level = int(ceiling.suggested_step)
        why += f" Mission evidence caps the step at {level}."
    return MissionDifficulty(level), Reason(code="target_step", message=why)


def _why(mission: Mission, *, open_: bool, track: TrackKey | None, target: MissionDifficulty) -> list[Reason]:
    reasons = []
    if open_:
        reasons.append(
            Reason(code="mission_assigned", message=f"Mission {mission.id} is assigned or in progress.")
        )
    if mission.track is not None and mission.track == track:
        reasons.append(Reason(code="own_track", message=f"Mission {mission.id} is in track {track}."))
    elif mission.track is not None:
        reasons.append(
            Reason(
                code="assigned_other_track",
                message=f"Mission {mission.id} is in track {mission.track}, planned because it is assigned.",
            )
        )
    else:
        reasons.append(Reason(code="general_mission", message=f"Mission {mission.id} has no track."))
    distance = abs(int(mission.difficulty) - int(target))
    if distance == 0:
        reasons.append(
            Reason(code="at_target_step", message=f"Difficulty {int(mission.difficulty)} is the target step.")
        )
    else:
        reasons.append(
            Reason(
                code="near_target_step",
                message=f"Difficulty {int(mission.difficulty)} is {distance} from target step {int(target)}.",
            )
        )
    return reasons


def plan_missions(
    catalogue: Iterable[Mission],
    ceiling: LearnedCeiling | CeilingDecision,
    progress: MissionProgress,
    *,
    track: TrackKey | None = None,
    policy: MissionPlanPolicy = DEFAULT_MISSION_PLAN_POLICY,
) -> MissionPlan:
    """The learner's next missions (``policy.plan_size`` of them), each explained.

    Eligible: active, at or below the ceiling, with no track or *track*
    (or assigned to the learner, whatever its track).
    Completed missions are never planned; missions awaiting review are left
    out; missions whose ``points_required`` exceeds ``progress.points`` are
    listed in ``locked``. The rest are ordered: assigned or in progress first,
    then *track* before general, then nearest the target step, then
    :func:`~profiler_core.mapping.mission_sort_key`.

    >>> from profiler_core import MissionDifficulty, mission_ceiling
    >>> from profiler_core.mission_progress import MissionProgress
    >>> catalogue = [
    ...     Mission(id="m-1", title="One", difficulty=MissionDifficulty.BEGINNER),
    ...     Mission(id="m-2", title="Two", difficulty=MissionDifficulty.BEGINNER),
    ... ]
    >>> plan = plan_missions(catalogue, mission_ceiling(None), MissionProgress.empty("16"))
    >>> [p.mission.id for p in plan.missions], plan.absence
    (['m-1', 'm-2'], None)
    """
    learned = (
        ceiling
        if isinstance(ceiling, LearnedCeiling)
        else LearnedCeiling(base=ceiling, ceiling=ceiling.ceiling)
    )
    every = {m.id: m for m in catalogue}
    done, waiting, open_ = progress.completed, progress.awaiting_review, progress.open_assignments
    # An explicit assignment is eligible whatever its track (the platform scopes by assignment too).
    eligible = [
        m
        for m in every.values()
        if m.is_active
        and m.difficulty <= learned.ceiling
        and (m.track is None or m.track == track or m.id in open_)
    ]
    demonstrated = progress.demonstrated_level(every)
    target, target_reason = _target(learned, demonstrated, policy)
    not_done = [m for m in eligible if m.id not in done and m.id not in waiting]
    locked = sorted(
        (m for m in not_done if m.points_required is not None and m.points_required > progress.points),
        key=mission_sort_key,
    )
    locked_ids = {m.id for m in locked}
    free = [m for m in not_done if m.id not in locked_ids]
    free.sort(
        key=lambda m: (
            m.id not in open_,
            not (m.track is not None and m.track == track),
            abs(int(m.difficulty) - int(target)),
            mission_sort_key(m),
        )
    )
    chosen = [
        PlannedMission(mission=m, reasons=_why(m, open_=m.id in open_, track=track, target=target))
        for m in free[: policy.plan_size]
    ]
    reasons = [target_reason]
    skipped = sum(1 for m in eligible if m.id in done)
    if skipped:
        reasons.append(
            Reason(code="completed_left_out", message=f"{skipped} completed missions are never planned.")
        )
    # A free-label track (``track_label``) counts as general; say so, as missions_for_learner does.
    reasons.extend(mission_track_reasons(sorted(eligible, key=mission_sort_key)))
    empty_reason = None if chosen else _empty_reason(eligible, done, waiting, locked, learned)
    return MissionPlan(
        ceiling=learned,
        demonstrated=demonstrated,
        target_step=target,
        missions=chosen,
        locked=[_lock(m, progress.points) for m in locked],
        reasons=reasons,
        empty_reason=empty_reason,
        policy=policy.ref,
    )


def _lock(mission: Mission, points: int) -> LockedMission:
    required = mission.points_required or 0
    return LockedMission(
        mission=mission,
        points_required=required,
        points=points,
        reason=Reason(
            code="locked_by_points",
            message=f"Earn {required - points} more points to unlock mission {mission.id}: "
            f"{points}/{required}.",
        ),
    )


def _empty_reason(
    eligible: list[Mission],
    done: frozenset[MissionId],
    waiting: frozenset[MissionId],
    locked: list[Mission],
    ceiling: LearnedCeiling,
) -> Reason:
    if not eligible:
        return Reason(
            code="no_missions_at_level",
            message=f"No active mission for the learner's track at or below ceiling {int(ceiling.ceiling)}.",
        )
    if locked:
        return Reason(
            code="all_missions_locked",
            message=f"Every mission left ({len(locked)}) is locked by points.",
        )
    if any(m.id in waiting for m in eligible):
        return Reason(
            code="missions_awaiting_review",
            message="Every mission left awaits review; nothing to start until a reviewer decides.",
        )
    return Reason(
        code="all_missions_completed",
        message=f"All {sum(1 for m in eligible if m.id in done)} eligible missions are completed.",
    )

"""Demo section: the missions integration (SPEC §3) and the week's mission plan (issue 18)."""

from __future__ import annotations

from profiler_core.demo.sample import SamplePlatform
from profiler_core.demo.table import table
from profiler_core.mapping import EVIDENCE_CAPPED_POLICY, mission_ceiling
from profiler_core.mission_plan import DIFFICULTY_EVIDENCE_POLICY
from profiler_core.mission_progress import MissionSubmission, MissionSubmissionStatus
from profiler_core.models import Mission, UserId
from profiler_core.services import LearnerMissionPlan, mission_plan, missions_for_learner
from profiler_core.testing.fakes import (
    InMemoryMissionProgressRepository,
    InMemoryMissionRepository,
    InMemorySessionRepository,
)

__all__ = ["missions_section", "learner_plans"]


def missions_section(platform: SamplePlatform) -> str:
    """Selection, ceiling, evidence, next mission and eligible count for a handful of learners."""
    sessions = InMemorySessionRepository(platform.sessions, platform.results)
    missions = InMemoryMissionRepository(platform.missions)
    rows = []
    details = []
    for learner in platform.learners[:12]:
        outcome = missions_for_learner(learner, sessions=sessions, missions=missions)
        decision = outcome.result.decision
        latest = sessions.latest_completed_sessions([learner]).get(learner)
        capped = mission_ceiling(latest, policy=EVIDENCE_CAPPED_POLICY)
        nxt = outcome.result.next_mission
        rows.append(
            (
                learner,
                decision.session_id or "-",
                decision.selection.value if decision.selection else "-",
                f"{int(decision.ceiling)} {decision.ceiling.label}",
                decision.evidence.value,
                str(int(capped.ceiling)),
                (nxt.code or "-") if nxt else "-",
                str(outcome.result.count),
            )
        )
        details.append(f"  {learner}: " + " ".join(f"[{r.code}] {r.message}" for r in decision.reasons))
    header = (
        "learner",
        "session",
        "selection",
        "ceiling",
        "evidence",
        "capped",
        "next",
        "eligible",
    )
    return "\n".join(
        [
            f"Policy {DEFAULT_POLICY_NOTE}; 'capped' is the ceiling under {EVIDENCE_CAPPED_POLICY.ref}.",
            table(header, rows),
            "",
            "Reasons:",
            *details,
            "",
            _plan_section(platform),
        ]
    )


def _progress(platform: SamplePlatform) -> InMemoryMissionProgressRepository:
    return InMemoryMissionProgressRepository(
        platform.mission_assignments, platform.mission_submissions, dict(platform.mission_points)
    )


def learner_plans(
    platform: SamplePlatform, *, progress: InMemoryMissionProgressRepository | None = None
) -> dict[UserId, LearnerMissionPlan]:
    """Every learner's plan for the week (``mission-plan@1``, the profiler's ceiling alone)."""
    sessions = InMemorySessionRepository(platform.sessions, platform.results)
    missions = InMemoryMissionRepository(platform.missions)
    repo = progress or _progress(platform)
    return {
        learner: mission_plan(learner, sessions=sessions, missions=missions, progress=repo)
        for learner in platform.learners
    }


def _codes(missions: list[Mission]) -> str:
    return " ".join(m.code or m.id for m in missions) or "-"


def _plan_section(platform: SamplePlatform) -> str:
    plans = learner_plans(platform)
    rows = []
    for learner in platform.learners[:12]:
        plan = plans[learner].plan
        rows.append(
            (
                learner,
                str(int(plan.ceiling.ceiling)),
                str(int(plan.demonstrated)) if plan.demonstrated else "-",
                str(int(plan.target_step)),
                _codes([p.mission for p in plan.missions]),
                _codes([lock.mission for lock in plan.locked]),
                plan.absence.code if plan.absence else "-",
            )
        )
    header = ("learner", "ceiling", "passed", "target", "plan (first to do first)", "locked", "empty")
    locked = next(
        (lock for p in plans.values() for lock in p.plan.locked),
        None,
    )
    lines = [
        "Next missions for the week (mission-plan@1: never a completed mission; assigned first; own track;",
        "a step from the hardest mission passed toward the ceiling; missions locked by points shown):",
        table(header, rows),
    ]
    first = plans[platform.learners[0]].plan
    if first.missions:
        lines += ["", f"Why {platform.learners[0]}'s first mission:"]
        lines += [f"  [{r.code}] {r.message}" for r in first.missions[0].reasons]
    if locked is not None:
        lines += ["", f"A locked mission: [{locked.reason.code}] {locked.reason.message}"]
    lines += ["", _evidence_story(platform)]
    return "\n".join(lines)


def _evidence_story(platform: SamplePlatform) -> str:
    """One learner, two strong submissions at the ceiling, the ceiling under the opt-in policy."""
    sessions = InMemorySessionRepository(platform.sessions, platform.results)
    missions = InMemoryMissionRepository(platform.missions)
    progress = _progress(platform)
    before = learner_plans(platform, progress=progress)
    learner, outcome = next(
        (u, o)
        for u, o in before.items()
        if 1 < o.plan.ceiling.ceiling < 5 and len(_at_ceiling(platform, o, u)) >= 2
    )
    level = outcome.plan.ceiling.ceiling
    for n, mission in enumerate(_at_ceiling(platform, outcome, learner)[:2]):
        progress.add_submission(
            MissionSubmission(
                id=f"ms-demo-{n + 1}",
                mission_id=mission.id,
                learner_id=learner,
                status=MissionSubmissionStatus.APPROVED,
                score=(88.0, 91.0)[n],
                submitted_at=platform.now,
            )
        )
    default = mission_plan(learner, sessions=sessions, missions=missions, progress=progress)
    opted = mission_plan(
        learner, sessions=sessions, missions=missions, progress=progress, evidence=DIFFICULTY_EVIDENCE_POLICY
    )
    return "\n".join(
        [
            f"A ceiling that learns (opt-in {DIFFICULTY_EVIDENCE_POLICY.ref}): {learner} passes two missions "
            f"at ceiling {int(level)} (scores 88 and 91).",
            f"  default (profiler's ceiling alone): ceiling {int(default.plan.ceiling.ceiling)}, "
            f"plan {_codes([p.mission for p in default.plan.missions])}",
            f"  {DIFFICULTY_EVIDENCE_POLICY.ref}: ceiling {int(opted.plan.ceiling.ceiling)}, "
            f"plan {_codes([p.mission for p in opted.plan.missions])}",
            *(f"  [{r.code}] {r.message}" for r in opted.plan.ceiling.reasons),
        ]
    )


def _at_ceiling(platform: SamplePlatform, outcome: LearnerMissionPlan, learner: UserId) -> list[Mission]:
    # Missions the learner could take at their ceiling: active, ungated, general or their track, not done.
    latest = InMemorySessionRepository(platform.sessions).latest_completed_sessions([learner]).get(learner)
    track = latest.recommended_track if latest else None
    done = {s.mission_id for s in platform.mission_submissions if s.learner_id == learner and s.passed}
    return [
        m
        for m in platform.missions
        if m.difficulty == outcome.plan.ceiling.ceiling
        and m.is_active
        and m.points_required is None
        and (m.track is None or m.track == track)
        and m.id not in done
    ]


DEFAULT_POLICY_NOTE = "difficulty@1 (elite reaches Master with aptitude >= 85 and technical exposure >= 70)"

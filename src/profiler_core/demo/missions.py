"""Demo section: the missions integration (SPEC §3)."""

from __future__ import annotations

from profiler_core.demo.sample import SamplePlatform
from profiler_core.demo.table import table
from profiler_core.mapping import EVIDENCE_CAPPED_POLICY, mission_ceiling
from profiler_core.services import missions_for_learner
from profiler_core.testing.fakes import InMemoryMissionRepository, InMemorySessionRepository

__all__ = ["missions_section"]


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
        ]
    )


DEFAULT_POLICY_NOTE = "difficulty@1 (elite reaches Master with aptitude >= 85 and technical exposure >= 70)"

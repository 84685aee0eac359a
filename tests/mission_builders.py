"""Hypothesis builders of mission plans (issue 18), for the round-trip table."""

from __future__ import annotations

from hypothesis import strategies as st

from profiler_core import (
    DIFFICULTY_EVIDENCE_POLICY,
    Mission,
    MissionAssignmentRecord,
    MissionAssignmentStatus,
    MissionDifficulty,
    MissionProgress,
    MissionSubmission,
    MissionSubmissionStatus,
    TrackKey,
    learned_ceiling,
    plan_missions,
)
from profiler_core.mapping import mission_ceiling
from profiler_core.services import LearnerMissionPlan
from profiler_core.testing import strategies as core

_LEARNER = "16"


@st.composite
def learner_mission_plans(draw: st.DrawFn) -> LearnerMissionPlan:
    """A plan over a generated catalogue and progress, with or without the opt-in evidence policy."""
    catalogue = [
        Mission(
            id=f"m{level}{k}",
            code=f"M{level}{k}",
            title="t",
            difficulty=MissionDifficulty(level),
            track=track,
            points_required=draw(st.sampled_from([None, None, 40])),
        )
        for level in range(1, 6)
        for k, track in enumerate((None, TrackKey.DEFENDER))
    ]
    ids = st.sampled_from([m.id for m in catalogue])
    progress = MissionProgress(
        learner_id=_LEARNER,
        assignments=[
            MissionAssignmentRecord(id=f"a{i}", mission_id=m, learner_id=_LEARNER, status=s)
            for i, (m, s) in enumerate(
                draw(st.lists(st.tuples(ids, st.sampled_from(list(MissionAssignmentStatus))), max_size=4))
            )
        ],
        submissions=[
            MissionSubmission(id=f"s{i}", mission_id=m, learner_id=_LEARNER, status=s, score=score)
            for i, (m, s, score) in enumerate(
                draw(
                    st.lists(
                        st.tuples(
                            ids, st.sampled_from(list(MissionSubmissionStatus)), st.none() | core.scores()
                        ),
                        max_size=6,
                    )
                )
            )
        ],
        points=draw(st.integers(0, 100)),
    )
    decision = mission_ceiling(draw(st.none() | core.completed_sessions()))
    policy = draw(st.sampled_from([None, DIFFICULTY_EVIDENCE_POLICY]))
    ceiling = learned_ceiling(decision, progress, {m.id: m for m in catalogue}, policy=policy)
    plan = plan_missions(catalogue, ceiling, progress, track=draw(st.sampled_from([None, TrackKey.DEFENDER])))
    return LearnerMissionPlan(learner_id=_LEARNER, plan=plan)

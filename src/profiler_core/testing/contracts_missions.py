"""Contract check of the mission-progress port (issue 18).

:func:`check_mission_progress_repository` takes a *factory* that builds the
host's adapter pre-loaded with the given assignments, submissions and points
and asserts it honours :class:`~profiler_core.ports.MissionProgressRepository`:
every learner's rows in one call, in any status, keyed by canonical id in
every id form, nobody else's rows, and learners with nothing absent or empty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import cast

from profiler_core.mission_progress import (
    MissionAssignmentRecord,
    MissionAssignmentStatus,
    MissionProgress,
    MissionSubmission,
    MissionSubmissionStatus,
)
from profiler_core.models import UserId
from profiler_core.ports import MissionProgressRepository
from profiler_core.testing._contract_forms import _NUM_USER, _T0, _UUID_USER, _forms

__all__ = [
    "MissionProgressRepositoryFactory",
    "contract_mission_progress",
    "check_mission_progress_repository",
]

#: Builds the host's adapter holding the given assignments, submissions and points (learner id → points).
MissionProgressRepositoryFactory = Callable[
    [Sequence[MissionAssignmentRecord], Sequence[MissionSubmission], Mapping[str, int]],
    MissionProgressRepository,
]

_OTHER_USER = "101"
_MISSION_A = "7b1e4c2a-3d5f-4a6b-8c9d-0e1f2a3b4c5d"
_MISSION_B = "8c2f5d3b-4e6a-4b7c-9d0e-1f2a3b4c5d6e"


def contract_mission_progress() -> tuple[
    list[MissionAssignmentRecord], list[MissionSubmission], dict[str, int]
]:
    """The scenario the contract loads: two learners (an int key, a UUID key), every status, some points."""
    assignments = [
        MissionAssignmentRecord(
            id=f"a-{i}", mission_id=mission, learner_id=learner, status=status, assigned_at=_T0
        )
        for i, (mission, learner, status) in enumerate(
            [
                (_MISSION_A, _NUM_USER, MissionAssignmentStatus.COMPLETED),
                (_MISSION_B, _NUM_USER, MissionAssignmentStatus.IN_PROGRESS),
                (_MISSION_A, _UUID_USER, MissionAssignmentStatus.FAILED),
                (_MISSION_B, _OTHER_USER, MissionAssignmentStatus.ASSIGNED),
            ]
        )
    ]
    submissions = [
        MissionSubmission(
            id="s-1",
            mission_id=_MISSION_A,
            learner_id=_NUM_USER,
            assignment_id="a-0",
            status=MissionSubmissionStatus.APPROVED,
            score=91.5,
            submitted_at=_T0,
        ),
        MissionSubmission(
            id="s-2",
            mission_id=_MISSION_A,
            learner_id=_UUID_USER,
            assignment_id="a-2",
            status=MissionSubmissionStatus.REJECTED,
            score=40.0,
            submitted_at=_T0,
        ),
        MissionSubmission(id="s-3", mission_id=_MISSION_B, learner_id=_NUM_USER, assignment_id="a-1"),
    ]
    return assignments, submissions, {_NUM_USER: 40, _UUID_USER: 0}


def _bag(progress: MissionProgress) -> tuple[object, ...]:
    return (
        progress.learner_id,
        sorted(progress.assignments, key=lambda a: a.id),
        sorted(progress.submissions, key=lambda s: s.id),
        progress.points,
    )


def check_mission_progress_repository(factory: MissionProgressRepositoryFactory) -> None:
    """Assert that *factory*'s adapter honours :class:`~profiler_core.ports.MissionProgressRepository`."""
    assignments, submissions, points = contract_mission_progress()
    repo = factory(assignments, submissions, points)
    for learner in (_NUM_USER, _UUID_USER):
        expected = MissionProgress(
            learner_id=learner,
            assignments=[a for a in assignments if a.learner_id == learner],
            submissions=[s for s in submissions if s.learner_id == learner],
            points=points[learner],
        )
        for form in _forms(learner):
            answer = repo.progress_for([cast("UserId", form)])  # a host may be asked with an int or a UUID
            assert list(answer) == [learner], (
                f"progress_for([{form!r}]): keyed by canonical id {learner!r}, got keys {list(answer)!r}"
            )
            assert _bag(answer[UserId(learner)]) == _bag(expected), (
                f"progress_for([{form!r}]): every assignment and submission of the learner (any status) "
                f"and its points; got {answer[UserId(learner)]!r}"
            )
    both = repo.progress_for([UserId(_NUM_USER), UserId(_UUID_USER)])
    assert sorted(both) == sorted([_NUM_USER, _UUID_USER]), "progress_for answers for every learner asked"
    nobody = repo.progress_for([UserId("999")])
    assert nobody.get(UserId("999"), MissionProgress.empty("999")) == MissionProgress.empty("999"), (
        "a learner with no rows is absent or empty"
    )
    assert repo.progress_for([]) == {}, "no learners asked, no progress answered"

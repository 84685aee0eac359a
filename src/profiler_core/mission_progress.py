"""A learner's mission progress (SPEC §3): what the platform stores about assignments and submissions.

The values mirror the platform's ``mission_assignments`` and
``mission_submissions`` rows (statuses as the platform writes them, a
submission's 0..100 ``score``); :class:`MissionProgress` gathers one learner's
rows and answers the questions the mission plan asks: which missions are
completed, which are assigned or in progress, which await review, and the
hardest mission passed (the *demonstrated level*).

**Points.** The platform unlocks a mission by points "from curriculum
progress" (its lock message: "Earn {n} more points (from curriculum progress)
to unlock"), which the missions tables do not hold. So ``points`` is a
host-given figure on :class:`MissionProgress` (0 when the host has none); the
library never derives it from submission scores.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime

from attrs import field, frozen

from profiler_core.field_rules import MAX_POINTS, _aware, _count, _member, _score_field
from profiler_core.ids import (
    AssignmentId,
    MissionId,
    UserId,
    _to_id,
    _to_optional_id,
    _valid_id,
    _valid_optional_id,
)
from profiler_core.models import Mission
from profiler_core.vocabulary import MissionDifficulty

__all__ = [
    "MissionAssignmentStatus",
    "MissionSubmissionStatus",
    "MissionAssignmentRecord",
    "MissionSubmission",
    "MissionProgress",
    "PASSING_SUBMISSION_STATUSES",
]


class MissionAssignmentStatus(enum.StrEnum):
    """A mission assignment's status, as ``mission_assignments.status`` holds it."""

    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    REVIEWED = "reviewed"
    COMPLETED = "completed"
    FAILED = "failed"


class MissionSubmissionStatus(enum.StrEnum):
    """A mission submission's status, as ``mission_submissions.status`` holds it."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    NEEDS_REVISION = "needs_revision"
    REJECTED = "rejected"


#: The submission statuses that pass a mission (a reviewer approved it).
PASSING_SUBMISSION_STATUSES = frozenset({MissionSubmissionStatus.APPROVED})

_OPEN = frozenset({MissionAssignmentStatus.ASSIGNED, MissionAssignmentStatus.IN_PROGRESS})
_AWAITING = frozenset({MissionAssignmentStatus.SUBMITTED, MissionAssignmentStatus.REVIEWED})
_AWAITING_SUBMISSION = frozenset({MissionSubmissionStatus.SUBMITTED, MissionSubmissionStatus.UNDER_REVIEW})


@frozen(kw_only=True)
class MissionAssignmentRecord:
    """One mission assigned to one learner (a ``mission_assignments`` row).

    Attributes:
        id: the assignment id.
        mission_id: the mission assigned.
        learner_id: the learner (the platform's ``student_id``).
        status: the assignment's status.
        assigned_at: when it was assigned (aware), if known.
    """

    id: AssignmentId = field(converter=_to_id, validator=_valid_id)
    mission_id: MissionId = field(converter=_to_id, validator=_valid_id)
    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    status: MissionAssignmentStatus = field(
        default=MissionAssignmentStatus.ASSIGNED, validator=_member(MissionAssignmentStatus)
    )
    assigned_at: datetime | None = field(default=None, validator=_aware)


@frozen(kw_only=True)
class MissionSubmission:
    """One submission of one mission (a ``mission_submissions`` row, its assignment's mission joined).

    Attributes:
        id: the submission id.
        mission_id: the mission submitted (the platform holds it on the assignment).
        learner_id: the learner (the platform's ``student_id``).
        assignment_id: the assignment it answers, if known.
        status: the submission's status.
        score: the reviewer's score, 0..100, if scored.
        submitted_at: when it was submitted (aware), if it was.
    """

    id: str = field(converter=_to_id, validator=_valid_id)
    mission_id: MissionId = field(converter=_to_id, validator=_valid_id)
    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    assignment_id: AssignmentId | None = field(
        default=None, converter=_to_optional_id, validator=_valid_optional_id
    )
    status: MissionSubmissionStatus = field(
        default=MissionSubmissionStatus.DRAFT, validator=_member(MissionSubmissionStatus)
    )
    score: float | None = _score_field()
    submitted_at: datetime | None = field(default=None, validator=_aware)

    @property
    def passed(self) -> bool:
        """Whether a reviewer approved it (:data:`PASSING_SUBMISSION_STATUSES`)."""
        return self.status in PASSING_SUBMISSION_STATUSES


def _assignments(values: Iterable[MissionAssignmentRecord]) -> tuple[MissionAssignmentRecord, ...]:
    return tuple(values)


def _submissions(values: Iterable[MissionSubmission]) -> tuple[MissionSubmission, ...]:
    return tuple(values)


@frozen(kw_only=True)
class MissionProgress:
    """One learner's assignments and submissions, and the points the host says they have.

    Attributes:
        learner_id: the learner.
        assignments: the learner's mission assignments (any status).
        submissions: the learner's mission submissions (any status).
        points: the learner's points toward unlocking missions, a host-given
            figure (the platform's curriculum progress; see the module docstring).
    """

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    assignments: tuple[MissionAssignmentRecord, ...] = field(default=(), converter=_assignments)
    submissions: tuple[MissionSubmission, ...] = field(default=(), converter=_submissions)
    points: int = _count(MAX_POINTS, 0)

    @classmethod
    def empty(cls, learner_id: str) -> MissionProgress:
        """A learner with no assignment, no submission and no points."""
        return cls(learner_id=learner_id)

    @property
    def completed(self) -> frozenset[MissionId]:
        """Missions done: an assignment ``completed``, or a submission approved."""
        done = {a.mission_id for a in self.assignments if a.status is MissionAssignmentStatus.COMPLETED}
        done |= {s.mission_id for s in self.submissions if s.passed}
        return frozenset(done)

    @property
    def open_assignments(self) -> frozenset[MissionId]:
        """Missions assigned or in progress (and not completed): what the learner should do first."""
        return frozenset(a.mission_id for a in self.assignments if a.status in _OPEN) - self.completed

    @property
    def awaiting_review(self) -> frozenset[MissionId]:
        """Missions submitted and not yet decided (and not completed): nothing for the learner to do."""
        waiting = {a.mission_id for a in self.assignments if a.status in _AWAITING}
        waiting |= {s.mission_id for s in self.submissions if s.status in _AWAITING_SUBMISSION}
        return frozenset(waiting) - self.completed - self.open_assignments

    def demonstrated_level(self, missions: Mapping[MissionId, Mission]) -> MissionDifficulty | None:
        """The difficulty of the hardest completed mission in *missions*; ``None`` when none is."""
        levels = [missions[m].difficulty for m in self.completed if m in missions]
        return max(levels, default=None)

    def best_scores(self) -> dict[MissionId, tuple[float, tuple[str, ...]]]:
        """Each scored mission's best score and the ids of the submissions that scored it, sorted."""
        best: dict[MissionId, tuple[float, list[str]]] = {}
        for s in self.submissions:
            if s.score is None:
                continue
            current = best.get(s.mission_id)
            if current is None or s.score > current[0]:
                best[s.mission_id] = (s.score, [s.id])
            elif s.score == current[0]:
                current[1].append(s.id)
        return {m: (score, tuple(sorted(ids))) for m, (score, ids) in best.items()}

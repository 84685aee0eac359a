"""``assignments_naming`` under SPEC §5: a per-mentee row (any type) is found by its mentee id (issue 13)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pytest

from profiler_core import AssignmentStatus, AssignmentType, CohortId, MentorAssignment, TrackKey, UserId
from profiler_core.testing import InMemoryMentorAssignmentRepository
from profiler_core.testing.contracts import check_mentor_assignment_repository

#: The row the platform auto-creates per mentee: type ``cohort`` (the model's default), cohort and mentee.
PER_MENTEE = MentorAssignment(
    id="a-1",
    mentor_id=7,
    mentee_id=16,
    cohort_id=CohortId("738d2d0f-f246-4310-8dca-98d571612981"),
    status=AssignmentStatus.ACTIVE,
    assignment_type=AssignmentType.COHORT,
)
#: The only real ``menteementorassignments`` row: type ``track`` with its mentee.
TRACK_ROW = MentorAssignment(
    id="a-2",
    mentor_id=7,
    mentee_id=28,
    track=TrackKey.GRC,
    status=AssignmentStatus.ACTIVE,
    assignment_type=AssignmentType.TRACK,
)


class OldRule(InMemoryMentorAssignmentRepository):
    """The rule before SPEC §5 changed: only a ``direct`` row is named by its mentee."""

    def assignments_naming(
        self,
        *,
        mentee_ids: Collection[UserId] = (),
        cohort_ids: Collection[CohortId] = (),
        tracks: Collection[TrackKey] = (),
    ) -> Sequence[MentorAssignment]:
        return [
            a
            for a in self.assignments
            if (a.assignment_type is AssignmentType.DIRECT and a.mentee_id in mentee_ids)
            or (a.assignment_type is AssignmentType.COHORT and a.cohort_id in cohort_ids)
            or (a.assignment_type is AssignmentType.TRACK and a.track in tracks)
        ]


class TestFake:
    @pytest.mark.parametrize("row", [PER_MENTEE, TRACK_ROW], ids=["cohort-typed", "track-typed"])
    def test_per_mentee_row_found_by_its_mentee(self, row: MentorAssignment) -> None:
        """The fake finds a cohort- or track-typed row that names a mentee by that mentee (regression)."""
        repo = InMemoryMentorAssignmentRepository([PER_MENTEE, TRACK_ROW])
        assert row.mentee_id is not None
        assert list(repo.assignments_naming(mentee_ids=[row.mentee_id])) == [row]

    def test_mentee_id_in_any_form(self) -> None:
        """The mentee id may be asked as an int or a string: the same row is found."""
        repo = InMemoryMentorAssignmentRepository([PER_MENTEE])
        assert list(repo.assignments_naming(mentee_ids=[UserId("16")])) == [PER_MENTEE]

    def test_cohort_row_still_named_by_its_cohort(self) -> None:
        """A cohort-typed row is still found by its cohort id."""
        repo = InMemoryMentorAssignmentRepository([PER_MENTEE, TRACK_ROW])
        assert list(repo.assignments_naming(cohort_ids=[CohortId(str(PER_MENTEE.cohort_id))])) == [PER_MENTEE]

    def test_other_mentee_finds_nothing(self) -> None:
        """Asking for another learner finds neither row."""
        repo = InMemoryMentorAssignmentRepository([PER_MENTEE, TRACK_ROW])
        assert list(repo.assignments_naming(mentee_ids=[UserId("99")])) == []


class TestContract:
    def test_fake_passes(self) -> None:
        """The in-memory fake passes the mentor-assignment contract with per-mentee rows in its scenario."""
        check_mentor_assignment_repository(InMemoryMentorAssignmentRepository)

    def test_old_rule_fails(self) -> None:
        """An adapter that names only direct rows by their mentee fails the contract (regression)."""
        with pytest.raises(AssertionError, match=r"assignments_naming\(mentees=\['u-3'\]"):
            check_mentor_assignment_repository(OldRule)

"""What real OCH rows mean in the core: nullable columns, and what a mentor assignment covers."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from tests.och_rows_data import (
    CURRICULUM_TRACKS,
    DEFENSIVE_CURRICULUM_ID,
    LEARNER_UUID,
    SESSION_ID,
    TRACKS,
    USERS,
)

from profiler_core import (
    AccessDecision,
    Cohort,
    Enrollment,
    InvalidPayloadError,
    MentorAssignment,
    Mission,
    PortfolioEntry,
    Principal,
    ResultsView,
    RoleGrant,
    decide_results_access,
    eligible_missions,
    mission_ceiling,
    structure,
    unstructure,
)
from profiler_core.access import AccessRule
from profiler_core.leadership import LeadershipStatement
from profiler_core.och import (
    TrackDirectory,
    UserDirectory,
    read_mentee_mentor_assignment,
    read_mentee_mentor_assignment_rows,
    read_mission,
    read_portfolio_item,
)
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    EnrollmentStatus,
    MissionDifficulty,
    Role,
    TrackKey,
)

NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
DIRECTORY = TrackDirectory.from_rows(tracks=TRACKS, curriculum_tracks=CURRICULUM_TRACKS)
COHORT_ID = "7981d631-ba38-42ff-93cc-d17c0a1b080c"
MENTOR = Principal(user_id="4", roles=(RoleGrant(role=Role.MENTOR),))
COHORT = Cohort(id=COHORT_ID, name="CyberSec Leadership Cohort Spring 2024")
# Learners 16 (the mentee) and 28 (not his mentee) are both actively enrolled in the cohort.
ENROLLMENTS = [
    Enrollment(user_id="16", cohort_id=COHORT_ID, status=EnrollmentStatus.ACTIVE),
    Enrollment(user_id="28", cohort_id=COHORT_ID, status=EnrollmentStatus.ACTIVE),
]


def decide(
    assignment: MentorAssignment, learner: str, *, learner_track: TrackKey | None = None
) -> AccessDecision[ResultsView]:
    return decide_results_access(
        MENTOR,
        learner,
        assignments=[assignment],
        enrollments=ENROLLMENTS,
        cohorts=[COHORT],
        learner_track=learner_track,
        now=NOW,
    )


class TestNullableColumns:
    def test_a_mission_without_a_code_is_a_mission(self) -> None:
        """Mission.code is optional: the platform's column is NULL in every real row."""
        mission = structure(
            {"id": uuid.uuid4(), "code": None, "title": "Pen testing", "difficulty": 1}, Mission
        )
        assert mission.code is None
        assert structure(unstructure(mission), Mission) == mission

    def test_missions_without_codes_order_and_filter(self) -> None:
        """Eligible missions with and without codes order by difficulty, code ('' for none), then id."""
        catalogue = [
            Mission(id="m-b", code=None, title="B", difficulty=MissionDifficulty.BEGINNER),
            Mission(id="m-c", code="NET-01", title="C", difficulty=MissionDifficulty.BEGINNER),
            Mission(id="m-a", code=None, title="A", difficulty=MissionDifficulty.BEGINNER),
        ]
        decision = mission_ceiling(None)
        assert [m.id for m in eligible_missions(catalogue, decision).missions] == ["m-a", "m-b", "m-c"]

    def test_a_dump_mission_row_reads(self) -> None:
        """The dump's mission row (code NULL, int difficulty, int subtask ids) reads through the reader."""
        row = {
            "id": uuid.UUID("d8defe1e-188d-49d0-9504-a005b1a05f13"),
            "track_id": "Voluptates hic magna",
            "title": "Penetration Testing Fundamentals",
            "difficulty": 1,
            "skills_tags": ["Cyber Sec"],
            "is_active": True,
            "subtasks": [{"id": 1, "title": "What is Pen testing?", "is_required": True, "order_index": 1}],
            "code": None,
            "track": None,
            "tier": None,
            "recipe_recommendations": [],
        }
        read = read_mission(row, tracks=DIRECTORY)
        assert (read.value.code, read.value.track, read.value.subtasks[0].id) == (None, None, "1")
        assert [n.code for n in read.notes] == ["track_unresolved"]

    def test_a_portfolio_item_without_a_summary_reads(self) -> None:
        """PortfolioEntry.summary is nullable, as portfolio_items.summary is."""
        row = {
            "id": uuid.uuid4(),
            "user_id": LEARNER_UUID,
            "title": "Capstone",
            "summary": None,
            "item_type": "capstone_result",
            "status": "draft",
            "visibility": "private",
            "profiler_session_id": SESSION_ID,
        }
        entry = read_portfolio_item(row, users=UserDirectory.from_users(USERS)).value
        assert entry.summary is None
        assert structure(unstructure(entry), PortfolioEntry) == entry

    def test_a_null_summary_is_an_empty_statement_for_leadership(self) -> None:
        """A value-statement entry with a null summary reads as the empty text, not as None."""
        entry = PortfolioEntry(
            id="p-1",
            user_id="16",
            title="My Value Statement",
            summary=None,
            item_type="reflection",
            status="approved",
        )
        assert LeadershipStatement(learner_id="16", entry=entry).text == ""


class TestMentorAssignmentCoverage:
    def test_a_cohort_typed_row_naming_a_mentee_covers_that_mentee(self) -> None:
        """The per-mentee row (type cohort, a cohort id and a mentee) lets the mentor see his mentee."""
        row = MentorAssignment(
            mentor_id="4",
            mentee_id="16",
            cohort_id=COHORT_ID,
            assignment_type=AssignmentType.COHORT,
            status=AssignmentStatus.ACTIVE,
        )
        decision = decide(row, "16")
        assert decision.allowed
        assert decision.rule is AccessRule.MENTOR_DIRECT_ASSIGNMENT

    def test_a_cohort_typed_row_naming_a_mentee_does_not_cover_the_cohort(self) -> None:
        """Regression: a per-mentee cohort-typed row no longer lets the mentor see his mentee's classmate."""
        row = MentorAssignment(
            mentor_id="4",
            mentee_id="16",
            cohort_id=COHORT_ID,
            assignment_type=AssignmentType.COHORT,
            status=AssignmentStatus.ACTIVE,
        )
        decision = decide(row, "28")
        assert not decision.allowed
        assert [r.code for r in decision.reasons] == ["no_assignment"]

    def test_a_track_typed_row_naming_a_mentee_does_not_cover_the_track(self) -> None:
        """Regression: the dump's track-typed row with a mentee covers mentee 16, not every defender."""
        row = read_mentee_mentor_assignment(
            {
                "id": uuid.UUID("c6f60589-db18-40c6-8cd1-9006e8eded8f"),
                "mentee_id": 16,
                "mentor_id": 4,
                "cohort_id": None,
                "status": "active",
                "track_id": str(DEFENSIVE_CURRICULUM_ID),
                "assignment_type": "track",
            },
            tracks=DIRECTORY,
        ).value
        assert decide(row, "16", learner_track=TrackKey.DEFENDER).allowed
        assert not decide(row, "28", learner_track=TrackKey.DEFENDER).allowed

    def test_a_cohort_wide_row_still_covers_the_cohort(self) -> None:
        """A cohort row without a mentee (programs.MentorAssignment) covers the cohort's active learners."""
        row = MentorAssignment(
            mentor_id="4",
            cohort_id=COHORT_ID,
            assignment_type=AssignmentType.COHORT,
            status=AssignmentStatus.ACTIVE,
        )
        assert decide(row, "16").allowed
        assert decide(row, "28").allowed

    @pytest.mark.parametrize(
        "kind", [AssignmentType.COHORT, AssignmentType.TRACK, AssignmentType.DIRECT], ids=lambda k: k.value
    )
    def test_a_row_covering_nothing_is_valid_grants_nothing_and_is_reported(
        self, kind: AssignmentType
    ) -> None:
        """Regression: a row with no mentee and no target of its type is valid, grants nothing, reported."""
        row = MentorAssignment(id="a-9", mentor_id="4", assignment_type=kind, status=AssignmentStatus.ACTIVE)
        decision = decide(row, "16", learner_track=TrackKey.DEFENDER)
        assert not decision.allowed
        assert [r.code for r in decision.reasons] == ["assignment_without_target"]

    def test_a_seed_row_reads_and_covers_its_mentee_only(self) -> None:
        """Regression: seed_mentorship's row (type cohort, no cohort id, a mentee) reads, covers it."""
        seed = {
            "id": uuid.uuid4(),
            "mentee_id": 16,
            "mentor_id": 4,
            "status": "active",
            "assignment_type": "cohort",
        }
        batch = read_mentee_mentor_assignment_rows([seed])
        assert batch.problems == ()
        (row,) = batch.values
        assert decide(row, "16").allowed
        assert not decide(row, "28").allowed

    def test_an_unresolved_track_row_without_a_mentee_grants_nothing(self) -> None:
        """A track-wide row whose track did not resolve (no track, no mentee) grants nothing, reported."""
        row = structure(
            {"mentor_id": 4, "assignment_type": "track", "status": "active", "track": None}, MentorAssignment
        )
        decision = decide(row, "16", learner_track=TrackKey.DEFENDER)
        assert [r.code for r in decision.reasons] == ["assignment_without_target"]

    def test_a_bad_row_is_still_rejected(self) -> None:
        """Relaxing the target rule does not relax the rest: an unknown status is still a problem."""
        with pytest.raises(InvalidPayloadError):
            structure({"mentor_id": 4, "assignment_type": "cohort", "status": "archived"}, MentorAssignment)

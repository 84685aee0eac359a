"""The OCH row readers about people: roles, principals, enrollments, portfolio, marketplace, mentors."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from hypothesis import given
from tests.och_rows_data import (
    CURRICULUM_TRACKS,
    DEFENSIVE_CURRICULUM_ID,
    EAT,
    LEARNER_UUID,
    ROLE_NAMES,
    SESSION_ID,
    TRACKS,
    USERS,
)

from profiler_core import Enrollment, InvalidPayloadError, TalentProfile
from profiler_core.och import (
    TrackDirectory,
    UserDirectory,
    read_enrollment,
    read_marketplace_profile,
    read_mentee_mentor_assignment,
    read_mentee_mentor_assignment_rows,
    read_portfolio_api_item,
    read_portfolio_item,
    read_portfolio_item_rows,
    read_principal,
    read_program_mentor_assignment_rows,
    read_track_mentor_assignment,
    read_user_role,
    read_user_role_rows,
)
from profiler_core.testing import strategies
from profiler_core.vocabulary import AssignmentStatus, AssignmentType, Role, Scope, TrackKey, Visibility

DIRECTORY = TrackDirectory.from_rows(tracks=TRACKS, curriculum_tracks=CURRICULUM_TRACKS)
USER_DIRECTORY = UserDirectory.from_users(USERS)

USER_ROLE_ROWS: list[dict[str, object]] = [
    {
        "id": 3,
        "scope": "global",
        "scope_ref": None,
        "cohort_id": None,
        "track_key": None,
        "assigned_at": "2026-01-31 09:38:30.862096+03",
        "expires_at": None,
        "is_active": True,
        "role_id": 1,
        "user_id": 2,
    },
    {
        "id": 5,
        "scope": "global",
        "scope_ref": None,
        "expires_at": None,
        "is_active": True,
        "role_id": 7,
        "user_id": 4,
    },
    {
        "id": 15,
        "scope": "global",
        "scope_ref": None,
        "expires_at": None,
        "is_active": True,
        "role_id": 6,
        "user_id": 16,
    },
    {
        "id": 30,
        "scope": "global",
        "scope_ref": None,
        "expires_at": None,
        "is_active": True,
        "role_id": 35,
        "user_id": 29,
    },
]


def portfolio_row(**changes: object) -> dict[str, object]:
    """A ``portfolio_items`` row as complete_profiling writes the value statement."""
    row: dict[str, object] = {
        "id": uuid.UUID("9d7cb1a4-57a5-4a55-9d0c-3c2f3bb0a001"),
        "user_id": LEARNER_UUID,
        "title": "My Value Statement",
        "summary": "I am drawn to cybersecurity because: puzzles.",
        "item_type": "reflection",
        "status": "approved",
        "visibility": "private",
        "skill_tags": "[]",
        "evidence_files": "[]",
        "profiler_session_id": SESSION_ID,
        "created_at": dt.datetime(2026, 2, 7, 8, 25, tzinfo=EAT),
        "updated_at": dt.datetime(2026, 2, 7, 8, 25, tzinfo=EAT),
    }
    row.update(changes)
    return row


MARKETPLACE_ROW: dict[str, object] = {
    "id": uuid.UUID("2524949f-4089-4928-995d-1073bff68b06"),
    "mentee_id": 16,
    "tier": "free",
    "readiness_score": Decimal("92.00"),
    "job_fit_score": Decimal("90.00"),
    "hiring_timeline_days": None,
    "profile_status": "job_ready",
    "primary_role": "Incident Responder",
    "primary_track_key": "cyber_defense",
    "skills": ["DFIR", "Malware Analysis", "SOAR"],
    "portfolio_depth": "moderate",
    "is_visible": True,
    "employer_share_consent": True,
    "last_updated_at": "2026-02-07 09:23:05.965093+03",
    "created_at": "2026-02-07 08:52:44.368271+03",
}

ASSIGNMENT_ROW: dict[str, object] = {
    "id": uuid.UUID("c6f60589-db18-40c6-8cd1-9006e8eded8f"),
    "mentee_id": 16,
    "mentor_id": 4,
    "cohort_id": None,
    "status": "active",
    "assigned_at": "2026-02-08 16:54:04.658883+03",
    "max_sessions": 12,
    "sessions_used": 0,
    "mentor_notes": "",
    "updated_at": "2026-02-14 11:38:05.886154+03",
    "track_id": str(DEFENSIVE_CURRICULUM_ID),
    "assignment_type": "track",
}

PROGRAM_ASSIGNMENT_ROWS: list[dict[str, object]] = [
    {
        "id": uuid.UUID("6177e215-e25d-424e-80ba-8749723616ff"),
        "cohort_id": uuid.UUID("7981d631-ba38-42ff-93cc-d17c0a1b080c"),
        "mentor_id": 4,
        "user_uuid": None,
        "role": "primary",
        "assigned_at": "2026-02-02 14:47:40.898114+03",
        "active": True,
    },
    {
        "id": uuid.UUID("31800781-9621-469b-8fff-139cf726f466"),
        "cohort_id": uuid.UUID("32b37d99-ef98-476a-952a-66785f3d8e60"),
        "mentor_id": 4,
        "user_uuid": None,
        "role": "support",
        "assigned_at": "2026-02-07 16:05:06.579833+03",
        "active": False,
    },
]


class TestUserRoleRow:
    def test_dump_rows_read_with_the_hosts_role_names(self) -> None:
        """The dump's global grants read, role names from the roles table by role_id."""
        batch = read_user_role_rows(USER_ROLE_ROWS, role_names=ROLE_NAMES)
        assert batch.problems == ()
        assert [g.role for g in batch.values] == [
            Role.PROGRAM_DIRECTOR,
            Role.MENTOR,
            Role.STUDENT,
            Role.FINANCE,
        ]
        assert all(g.scope is Scope.GLOBAL and g.scope_ref is None for g in batch.values)

    def test_a_role_outside_the_vocabulary_is_kept_unknown_and_noted(self) -> None:
        """The dump's 'sponsor' role reads as unknown (it grants nothing) with the note unknown_role."""
        read = read_user_role({**USER_ROLE_ROWS[0], "role_id": 8}, role_names=ROLE_NAMES)
        assert read.value.role is Role.UNKNOWN
        assert [n.code for n in read.notes] == ["unknown_role"]
        assert dict(read.unknown) == {"$.role_id": "sponsor"}

    @pytest.mark.parametrize(
        ("ref", "scope_ref", "notes"),
        [
            (DEFENSIVE_CURRICULUM_ID, "defender", []),
            (uuid.UUID("c2ee5556-d751-48c4-9dc9-d2b0cb0f1482"), "grc", []),
            (uuid.UUID(int=5), "00000000-0000-0000-0000-000000000005", ["track_unresolved"]),
        ],
    )
    def test_a_track_scope_ref_is_a_track_uuid_resolved_through_the_directory(
        self, ref: uuid.UUID, scope_ref: str, notes: list[str]
    ) -> None:
        """A track grant's scope_ref UUID becomes the track key; unresolved it stays as given and is noted."""
        row = {"role__name": "program_director", "scope": "track", "scope_ref": ref, "is_active": True}
        read = read_user_role(row, tracks=DIRECTORY)
        assert read.value.scope_ref == scope_ref
        assert [n.code for n in read.notes] == notes

    def test_the_legacy_columns_fill_a_missing_scope_ref(self) -> None:
        """A cohort grant without scope_ref takes the legacy cohort_id column."""
        row = {"role__name": "program_director", "scope": "cohort", "scope_ref": None, "cohort_id": "c-9"}
        assert read_user_role(row).value.scope_ref == "c-9"

    @pytest.mark.parametrize(
        ("row", "expected"),
        [
            ({"role_id": 99, "scope": "global"}, [("$.role_id", "required")]),
            ({"role__name": "mentor", "scope": "planet"}, [("$.scope", "unknown_value")]),
            (
                {"role__name": "mentor", "scope": "global", "is_active": "maybe"},
                [("$.is_active", "not_a_boolean")],
            ),
            (
                {"role__name": "mentor", "scope": "global", "expires_at": "2026-01-01"},
                [("$.expires_at", "naive_timestamp")],
            ),
        ],
    )
    def test_bad_rows_name_the_real_column(
        self, row: dict[str, object], expected: list[tuple[str, str]]
    ) -> None:
        """Every problem of a bad user_roles row is reported at the platform's column."""
        with pytest.raises(InvalidPayloadError) as exc:
            read_user_role(row, role_names=ROLE_NAMES)
        assert sorted((p.path, p.code) for p in exc.value.problems) == sorted(expected)


class TestPrincipal:
    def test_a_user_and_their_grants_read_as_the_viewer(self) -> None:
        """users.id, is_staff and each user_roles row make the principal."""
        principal = read_principal(USERS[4], [USER_ROLE_ROWS[0]], role_names=ROLE_NAMES).value
        assert (principal.user_id, principal.is_staff) == ("1", True)
        assert [g.role for g in principal.roles] == [Role.PROGRAM_DIRECTOR]

    def test_an_unreadable_grant_rejects_the_principal(self) -> None:
        """A viewer is never read with a grant quietly missing: a bad row is a problem at $.user_roles[i]."""
        with pytest.raises(InvalidPayloadError) as exc:
            read_principal(
                USERS[0],
                [USER_ROLE_ROWS[1], {"role__name": "mentor", "scope": "planet"}],
                role_names=ROLE_NAMES,
            )
        assert [(p.path, p.code) for p in exc.value.problems] == [("$.user_roles[1].scope", "unknown_value")]


class TestLearnerIds:
    @pytest.mark.parametrize("user_id", [16, "16"])
    def test_an_enrollments_user_id_is_the_learner_id(self, user_id: object) -> None:
        """enrollments.user_id (bigint) in any form is the learner id '16'."""
        row = {
            "cohort_id": uuid.UUID("738d2d0f-f246-4310-8dca-98d571612981"),
            "user_id": user_id,
            "status": "active",
        }
        assert read_enrollment(row).value.user_id == "16"

    @pytest.mark.parametrize(
        "user_id", [LEARNER_UUID, str(LEARNER_UUID), str(LEARNER_UUID).upper(), 16, "16"]
    )
    def test_a_portfolio_items_uuid_is_the_same_learner(self, user_id: object) -> None:
        """portfolio_items.user_id (users.uuid_id) reads as the same learner id as users.id."""
        assert read_portfolio_item(portfolio_row(user_id=user_id), users=USER_DIRECTORY).value.user_id == "16"

    def test_the_same_learner_across_tables(self) -> None:
        """A session's int id, a portfolio item's uuid and a marketplace mentee_id are one learner."""
        enrollment = read_enrollment({"cohort_id": "c", "user_id": 16, "status": "active"}).value
        entry = read_portfolio_item(portfolio_row(), users=USER_DIRECTORY).value
        profile = read_marketplace_profile(MARKETPLACE_ROW).value
        assert enrollment.user_id == entry.user_id == profile.user_id == "16"

    def test_an_unknown_uuid_is_a_problem_not_a_second_learner(self) -> None:
        """A portfolio uuid the directory does not know rejects the row at $.user_id; the others read."""
        batch = read_portfolio_item_rows(
            [portfolio_row(), portfolio_row(id="p-2", user_id=uuid.UUID(int=9))], users=USER_DIRECTORY
        )
        assert len(batch.values) == 1
        assert [(p.index, p.row_id, p.path, p.code) for p in batch.problems] == [
            (1, "p-2", "$.user_id", "invalid_value")
        ]

    @given(strategies.enrollments())
    def test_an_enrollment_written_as_a_row_reads_back_equal(self, enrollment: Enrollment) -> None:
        """A generated enrollment stored as an enrollments row reads back equal."""
        row = {
            "id": uuid.uuid4(),
            "cohort_id": enrollment.cohort_id,
            "user_id": enrollment.user_id,
            "status": enrollment.status.value,
            "enrollment_type": "self",
        }
        assert read_enrollment(row).value == enrollment


class TestPortfolio:
    def test_the_value_statement_row_reads(self) -> None:
        """The value-statement row reads with its session link, visibility and aware times."""
        entry = read_portfolio_item(portfolio_row(), users=USER_DIRECTORY).value
        assert (entry.title, entry.item_type, entry.status) == (
            "My Value Statement",
            "reflection",
            "approved",
        )
        assert entry.visibility is Visibility.PRIVATE
        assert entry.profiler_session_id == str(SESSION_ID)

    def test_a_camel_case_api_item_reads(self) -> None:
        """The portfolio API's camelCase item (type, createdAt, updatedAt) reads for the host's owner."""
        item: dict[str, object] = {
            "id": "9d7cb1a4-57a5-4a55-9d0c-3c2f3bb0a001",
            "title": "My Value Statement",
            "summary": "I am drawn to cybersecurity because: puzzles.",
            "type": "reflection",
            "status": "approved",
            "visibility": "unlisted",
            "skillTags": [],
            "evidenceFiles": [],
            "createdAt": "2026-02-07T08:25:00.500000+03:00",
            "updatedAt": None,
        }
        entry = read_portfolio_api_item(item, user_id=16).value
        assert (entry.user_id, entry.item_type, entry.visibility) == ("16", "reflection", Visibility.UNLISTED)
        assert entry.created_at == dt.datetime(2026, 2, 7, 8, 25, 0, 500000, tzinfo=EAT)

    @pytest.mark.parametrize(
        ("changes", "expected"),
        [
            ({"createdAt": "2026-02-07T08:25:00"}, [("$.createdAt", "naive_timestamp")]),
            ({"type": None}, [("$.type", "not_a_string")]),
            ({"visibility": "friends"}, [("$.visibility", "unknown_value")]),
        ],
    )
    def test_bad_api_items_name_the_items_key(
        self, changes: dict[str, object], expected: list[tuple[str, str]]
    ) -> None:
        """A bad camelCase item is reported at the item's own key, not the library's field."""
        item = {
            "id": "p-1",
            "title": "t",
            "summary": "",
            "type": "mission",
            "status": "draft",
            "visibility": "private",
        }
        with pytest.raises(InvalidPayloadError) as exc:
            read_portfolio_api_item({**item, **changes}, user_id=16)
        assert [(p.path, p.code) for p in exc.value.problems] == expected


class TestMarketplaceProfile:
    def test_the_dump_row_reads(self) -> None:
        """mentee_id is the learner; cyber_defense is the defender track; Decimal scores read."""
        profile = read_marketplace_profile(MARKETPLACE_ROW).value
        assert profile.user_id == "16"
        assert profile.primary_track_key is TrackKey.DEFENDER
        assert (profile.readiness_score, profile.job_fit_score) == (92.0, 90.0)
        assert profile.skills == ("DFIR", "Malware Analysis", "SOAR")

    @pytest.mark.parametrize(
        ("key", "track", "notes"), [("", None, []), ("blue team", None, ["unknown_track"])]
    )
    def test_a_primary_track_outside_the_vocabulary_is_noted(
        self, key: str, track: TrackKey | None, notes: list[str]
    ) -> None:
        """A blank primary_track_key is no track; a free label is noted and gives no track."""
        read = read_marketplace_profile({**MARKETPLACE_ROW, "primary_track_key": key})
        assert read.value.primary_track_key is track
        assert [n.code for n in read.notes] == notes
        assert dict(read.unknown) == ({"$.primary_track_key": key} if notes else {})

    @pytest.mark.parametrize(
        ("changes", "expected"),
        [
            ({"readiness_score": Decimal("120.00")}, [("$.readiness_score", "out_of_range")]),
            ({"mentee_id": True}, [("$.mentee_id", "invalid_value")]),
            ({"skills": "DFIR"}, [("$.skills", "not_a_list")]),
        ],
    )
    def test_bad_rows_name_the_real_column(
        self, changes: dict[str, object], expected: list[tuple[str, str]]
    ) -> None:
        """A bad profile is reported at mentee_id, never at the library's user_id."""
        with pytest.raises(InvalidPayloadError) as exc:
            read_marketplace_profile({**MARKETPLACE_ROW, **changes})
        assert [(p.path, p.code) for p in exc.value.problems] == expected

    @given(strategies.talent_profiles())
    def test_a_profile_written_as_a_row_reads_back_equal(self, profile: TalentProfile) -> None:
        """A generated talent profile stored as a marketplace_profiles row reads back equal."""
        row = {
            "id": uuid.uuid4(),
            "mentee_id": profile.user_id,
            "skills": list(profile.skills),
            "readiness_score": None if profile.readiness_score is None else Decimal(profile.readiness_score),
            "job_fit_score": None if profile.job_fit_score is None else Decimal(profile.job_fit_score),
            "primary_track_key": "" if profile.primary_track_key is None else profile.primary_track_key.value,
            "is_visible": profile.is_visible,
            "employer_share_consent": profile.employer_share_consent,
        }
        assert read_marketplace_profile(row).value == profile


class TestMentorAssignmentRows:
    def test_the_dump_row_names_its_mentee_and_resolves_its_track(self) -> None:
        """The dump's track-typed row: mentee 16, mentor 4, track_id a curriculum UUID -> defender."""
        assignment = read_mentee_mentor_assignment(ASSIGNMENT_ROW, tracks=DIRECTORY).value
        assert (assignment.mentee_id, assignment.mentor_id) == ("16", "4")
        assert assignment.assignment_type is AssignmentType.TRACK
        assert assignment.track is TrackKey.DEFENDER
        assert assignment.id == "c6f60589-db18-40c6-8cd1-9006e8eded8f"

    def test_a_code_created_row_keeps_its_type_cohort_and_id(self) -> None:
        """The views' get_or_create row: type cohort (the default), a cohort id string and a mentee."""
        row = {
            "id": uuid.uuid4(),
            "mentee_id": 16,
            "mentor_id": 4,
            "cohort_id": "7981d631-ba38-42ff-93cc-d17c0a1b080c",
            "status": "active",
            "track_id": None,
        }
        assignment = read_mentee_mentor_assignment(row).value
        assert assignment.assignment_type is AssignmentType.COHORT
        assert (assignment.cohort_id, assignment.mentee_id) == ("7981d631-ba38-42ff-93cc-d17c0a1b080c", "16")

    def test_a_bad_status_is_reported_and_other_rows_read(self) -> None:
        """A batch with an unknown status reports that row at $.status and reads the others."""
        batch = read_mentee_mentor_assignment_rows(
            [ASSIGNMENT_ROW, {**ASSIGNMENT_ROW, "id": "a-2", "status": "archived"}], tracks=DIRECTORY
        )
        assert len(batch.values) == 1
        assert [(p.row_id, p.path, p.code) for p in batch.problems] == [("a-2", "$.status", "unknown_value")]

    def test_program_assignments_are_cohort_wide_and_active_is_the_status(self) -> None:
        """mentor_assignments rows: a cohort, no mentee; active -> active, not active -> paused (absent)."""
        batch = read_program_mentor_assignment_rows(PROGRAM_ASSIGNMENT_ROWS)
        assert [(a.assignment_type, a.status, a.mentee_id) for a in batch.values] == [
            (AssignmentType.COHORT, AssignmentStatus.ACTIVE, None),
            (AssignmentType.COHORT, AssignmentStatus.PAUSED, None),
        ]
        assert batch.values[0].cohort_id == "7981d631-ba38-42ff-93cc-d17c0a1b080c"

    def test_a_program_assignment_with_a_non_boolean_active_is_reported(self) -> None:
        """active must be a boolean: anything else is a problem at $.active."""
        batch = read_program_mentor_assignment_rows([{**PROGRAM_ASSIGNMENT_ROWS[0], "active": "t"}])
        assert [(p.path, p.code) for p in batch.problems] == [("$.active", "not_a_boolean")]

    def test_a_curriculum_track_assignment_reads_as_a_track_assignment(self) -> None:
        """curriculum_track_mentor_assignments: curriculum_track_id resolved to the track key."""
        row = {
            "id": uuid.UUID("c9b98028-0000-4000-8000-000000000001"),
            "curriculum_track_id": DEFENSIVE_CURRICULUM_ID,
            "mentor_id": 4,
            "role": "support",
            "active": True,
        }
        assignment = read_track_mentor_assignment(row, tracks=DIRECTORY).value
        assert (assignment.assignment_type, assignment.track) == (AssignmentType.TRACK, TrackKey.DEFENDER)

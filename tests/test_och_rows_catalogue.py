"""The OCH catalogue and context row readers: recipes, missions, job postings, cohorts."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from hypothesis import given
from tests.och_rows_data import (
    CURRICULUM_TRACKS,
    DEFENSIVE_CURRICULUM_ID,
    DEFENSIVE_PROGRAM_TRACK_ID,
    EAT,
    FEB_TRACK_ID,
    TRACKS,
)

from profiler_core import InvalidPayloadError, JobPosting, Recipe
from profiler_core.och import (
    TrackDirectory,
    read_cohort,
    read_cohort_rows,
    read_job_posting,
    read_job_posting_rows,
    read_mission,
    read_recipe,
    read_recipe_rows,
)
from profiler_core.testing import strategies
from profiler_core.vocabulary import MissionDifficulty, RecipeDifficulty, TrackKey

DIRECTORY = TrackDirectory.from_rows(tracks=TRACKS, curriculum_tracks=CURRICULUM_TRACKS)


def recipe_row(**changes: object) -> dict[str, object]:
    """A ``recipes`` row as seed_recipes.py writes it (selected columns)."""
    row: dict[str, object] = {
        "id": uuid.UUID("415394cc-61b3-4bb2-9409-a7ac829475e6"),
        "title": "Write a SIEM detection rule",
        "slug": "siem-rule-writing-basics",
        "summary": "Write your first detection rule.",
        "difficulty": "beginner",
        "estimated_minutes": 20,
        "track_codes": ["SOCDEFENSE", "DFIR"],
        "skill_codes": ["SIEM_RULE_WRITING", "LOG_ANALYSIS"],
        "usage_count": 0,
        "avg_rating": Decimal("0.00"),
        "is_active": True,
        "is_free_sample": False,
        "created_by_id": 1,
    }
    row.update(changes)
    return row


def mission_row(**changes: object) -> dict[str, object]:
    """The dump's first ``missions`` row (selected columns): code, track and tier NULL, int subtask ids."""
    row: dict[str, object] = {
        "id": uuid.UUID("1648ac1e-d3fa-4617-ae5a-489304268c90"),
        "track_id": str(DEFENSIVE_CURRICULUM_ID),
        "title": "Detect and Contain a Suspicious Login Attack",
        "difficulty": 3,
        "mission_type": "intermediate",
        "estimated_duration_min": 60,
        "skills_tags": ["Log analysis and pattern recognition  Incident detection and verification"],
        "is_active": True,
        "subtasks": [
            {"id": 1, "title": "Collect Data", "description": "...", "is_required": True, "order_index": 1},
            {"id": 2, "title": "Analyse", "description": "...", "is_required": True, "order_index": 2},
        ],
        "code": "SIEM-03",
        "track": None,
        "tier": None,
        "recipe_recommendations": [],
        "competencies": [],
        "requires_points": False,
        "points_required": None,
    }
    row.update(changes)
    return row


JOB_ROWS: list[dict[str, object]] = [
    {
        "id": uuid.UUID("f21000a6-4a7a-479d-9cc6-499244294412"),
        "employer_id": uuid.UUID("59c68d84-b347-4660-beac-0670db69f717"),
        "title": "System admin",
        "location": "Town A",
        "job_type": "full_time",
        "description": "Full time",
        "required_skills": ["System Admin"],
        "salary_min": Decimal("20000.00"),
        "salary_max": Decimal("40000.00"),
        "salary_currency": "KSh",
        "is_active": True,
        "posted_at": "2026-02-07 09:19:06.033873+03",
        "application_deadline": "2026-02-28 03:00:00+03",
    },
    {
        "id": uuid.UUID("3eb4e1d1-29c7-4494-8142-f37699468864"),
        "employer_id": uuid.UUID("59c68d84-b347-4660-beac-0670db69f717"),
        "title": "Backend Dev",
        "job_type": "full_time",
        "required_skills": [],
        "is_active": True,
        "application_deadline": None,
    },
]

COHORT_ROWS: list[dict[str, object]] = [
    {
        "id": uuid.UUID("7981d631-ba38-42ff-93cc-d17c0a1b080c"),
        "track_id": None,
        "name": "CyberSec Leadership Cohort Spring 2024",
        "status": "active",
        "mentor_ratio": Decimal("0.15"),
        "curriculum_tracks": [],
    },
    {
        "id": uuid.UUID("738d2d0f-f246-4310-8dca-98d571612981"),
        "track_id": None,
        "name": "Corona Cohort 2020",
        "status": "active",
        "curriculum_tracks": ["defender", "grc", "innovation"],
    },
]


class TestRecipeRow:
    @pytest.mark.parametrize(
        ("codes", "kept", "unknown"),
        [
            (["SOCDEFENSE", "DFIR"], (TrackKey.DEFENDER,), 1),
            (["DFIR", "SOCDEFENSE"], (TrackKey.DEFENDER,), 1),
            (["SOCDEFENSE", "CLOUD"], (TrackKey.DEFENDER,), 1),
            (["DFIR"], (), 1),
            (["defender"], (TrackKey.DEFENDER,), 0),
            (["offensive"], (TrackKey.OFFENSIVE,), 0),
            (["GENERAL"], (), 1),
            ([], (), 0),
        ],
    )
    def test_track_codes_outside_the_vocabulary_never_reject_the_recipe(
        self, codes: list[str], kept: tuple[TrackKey, ...], unknown: int
    ) -> None:
        """Every real track-code combination reads; each code that is not a track is noted unknown_track."""
        read = read_recipe(recipe_row(track_codes=codes))
        assert read.value.track_codes == kept
        assert [n.code for n in read.notes] == ["unknown_track"] * unknown
        assert sorted(read.unknown.values()) == sorted(c for c in codes if c in {"DFIR", "CLOUD", "GENERAL"})

    def test_a_seed_row_reads(self) -> None:
        """The recipe's codes, minutes, Decimal rating and UUID id read as the library's values."""
        recipe = read_recipe(recipe_row(avg_rating=Decimal("4.50"), usage_count=12)).value
        assert recipe.id == "415394cc-61b3-4bb2-9409-a7ac829475e6"
        assert recipe.skill_codes == ("SIEM_RULE_WRITING", "LOG_ANALYSIS")
        assert (recipe.estimated_minutes, recipe.avg_rating, recipe.usage_count) == (20, 4.5, 12)

    def test_a_list_serializer_item_reads(self) -> None:
        """RecipeListSerializer's skill_code, track_code, expected_duration_minutes and level read."""
        item = {
            "id": "415394cc-61b3-4bb2-9409-a7ac829475e6",
            "title": "Log parsing basics",
            "slug": "defender-log-parsing-basics",
            "description": "...",
            "difficulty": None,
            "level": "intermediate",
            "expected_duration_minutes": 25,
            "track_code": "defender",
            "skill_code": "log_parsing",
            "usage_count": 3,
            "avg_rating": 4.0,
            "is_bookmarked": False,
        }
        recipe = read_recipe(item).value
        assert recipe.skill_codes == ("log_parsing",)
        assert recipe.track_codes == (TrackKey.DEFENDER,)
        assert recipe.estimated_minutes == 25
        assert recipe.difficulty is RecipeDifficulty.INTERMEDIATE

    @pytest.mark.parametrize(
        ("row", "expected"),
        [
            (recipe_row(avg_rating="4.5e0"), [("$.avg_rating", "not_a_number")]),
            (recipe_row(avg_rating=Decimal("5.01")), [("$.avg_rating", "out_of_range")]),
            (recipe_row(track_codes="SOCDEFENSE"), [("$.track_codes", "not_a_list")]),
            (recipe_row(track_codes=["SOCDEFENSE", 7]), [("$.track_codes[1]", "not_a_string")]),
            (recipe_row(skill_codes=["LOG", None]), [("$.skill_codes[1]", "not_a_string")]),
            (
                {
                    **recipe_row(estimated_minutes=None, skill_codes=None),
                    "expected_duration_minutes": -5,
                    "skill_code": 3,
                },
                [("$.expected_duration_minutes", "out_of_range"), ("$.skill_code", "not_a_string")],
            ),
            # "mastery" is kept as the difficulty label (SPEC §2); a number is still a problem.
            (recipe_row(difficulty=3), [("$.difficulty", "unknown_value")]),
        ],
    )
    def test_bad_rows_name_the_real_column(
        self, row: dict[str, object], expected: list[tuple[str, str]]
    ) -> None:
        """Every problem of a bad recipe row is reported at the platform's column."""
        with pytest.raises(InvalidPayloadError) as exc:
            read_recipe(row)
        assert sorted((p.path, p.code) for p in exc.value.problems) == sorted(expected)

    def test_batch_counts_unknown_codes(self) -> None:
        """Reading the seed catalogue's combinations counts the unknown codes as warnings."""
        rows = [recipe_row(track_codes=c) for c in (["SOCDEFENSE", "DFIR"], ["GENERAL"], ["defender"])]
        batch = read_recipe_rows(rows)
        assert dict(batch.warning_counts) == {"unknown_track": 2}
        assert [(u.index, u.path, u.value) for u in batch.unknown] == [
            (0, "$.track_codes[1]", "DFIR"),
            (1, "$.track_codes[0]", "GENERAL"),
        ]

    @given(strategies.recipes())
    def test_a_recipe_written_as_a_row_reads_back_equal(self, recipe: Recipe) -> None:
        """A generated recipe stored as a recipes row (upper-case codes, Decimal rating) reads back equal."""
        row = {
            "id": recipe.id,
            "slug": recipe.slug,
            "title": recipe.title,
            "skill_codes": list(recipe.skill_codes),
            "track_codes": [k.value.upper() for k in recipe.track_codes] + list(recipe.unknown_track_codes),
            "difficulty": recipe.difficulty_label if recipe.difficulty is None else recipe.difficulty.value,
            "estimated_minutes": recipe.estimated_minutes,
            "usage_count": recipe.usage_count,
            "avg_rating": Decimal(recipe.avg_rating),
            "is_active": recipe.is_active,
        }
        assert read_recipe(row).value == recipe


class TestMissionRow:
    @pytest.mark.parametrize(
        ("changes", "track", "notes"),
        [
            ({}, TrackKey.DEFENDER, []),
            ({"track_id": str(DEFENSIVE_PROGRAM_TRACK_ID)}, TrackKey.DEFENDER, []),
            ({"track_id": "SOC_DEFENSE"}, TrackKey.DEFENDER, []),
            ({"track_id": "Voluptates hic magna"}, None, ["track_unresolved"]),
            ({"track_id": str(FEB_TRACK_ID)}, None, ["track_unresolved"]),
            ({"track": "offensive", "track_id": "Voluptates hic magna"}, TrackKey.OFFENSIVE, []),
            ({"track_id": None}, None, []),
        ],
    )
    def test_the_track_is_the_key_else_the_resolved_track_id(
        self, changes: dict[str, object], track: TrackKey | None, notes: list[str]
    ) -> None:
        """track when set, else track_id through the directory; free text is noted and gives no track."""
        read = read_mission(mission_row(**changes), tracks=DIRECTORY)
        assert read.value.track is track
        assert [n.code for n in read.notes] == notes
        assert list(read.unknown) == (["$.track_id"] if notes else [])

    def test_a_dump_row_reads(self) -> None:
        """Int difficulty and int subtask ids read; the extra subtask keys are ignored."""
        mission = read_mission(mission_row(), tracks=DIRECTORY).value
        assert mission.difficulty is MissionDifficulty.ADVANCED
        assert [(s.id, s.title) for s in mission.subtasks] == [("1", "Collect Data"), ("2", "Analyse")]

    def test_a_student_missions_item_reads_competency_tags(self) -> None:
        """The missions endpoint's competency_tags and track_key read as skills_tags and track."""
        item = {
            "id": "32f96ff3-fa0d-4f49-9f52-1ac276c7ecbe",
            "code": "NET-01",
            "title": "Network Security Fundamentals",
            "difficulty": 1,
            "competency_tags": ["Network Sec", "SOC Analyst"],
            "track_key": "defender",
        }
        mission = read_mission(item).value
        assert mission.skills_tags == ("Network Sec", "SOC Analyst")
        assert mission.track is TrackKey.DEFENDER

    @pytest.mark.parametrize(
        ("changes", "expected"),
        [
            ({"difficulty": 6}, [("$.difficulty", "unknown_value")]),
            ({"subtasks": [{"id": True, "title": "x"}]}, [("$.subtasks[0].id", "invalid_value")]),
            ({"skills_tags": None, "competency_tags": "Network Sec"}, [("$.competency_tags", "not_a_list")]),
        ],
    )
    def test_bad_rows_name_the_real_column(
        self, changes: dict[str, object], expected: list[tuple[str, str]]
    ) -> None:
        """Every problem of a bad mission row is reported at the platform's column."""
        with pytest.raises(InvalidPayloadError) as exc:
            read_mission(mission_row(**changes), tracks=DIRECTORY)
        assert sorted((p.path, p.code) for p in exc.value.problems) == sorted(expected)


class TestJobPostingRow:
    def test_dump_rows_read(self) -> None:
        """The dump's postings read: UUID ids, +03 deadlines, empty required skills."""
        batch = read_job_posting_rows(JOB_ROWS)
        assert batch.problems == ()
        first, second = batch.values
        assert first.application_deadline == dt.datetime(2026, 2, 28, 3, 0, tzinfo=EAT)
        assert first.employer_id == "59c68d84-b347-4660-beac-0670db69f717"
        assert second.required_skills == ()

    def test_a_naive_deadline_is_reported_at_its_column(self) -> None:
        """A deadline without an offset is a problem at $.application_deadline (never guessed)."""
        with pytest.raises(InvalidPayloadError) as exc:
            read_job_posting({**JOB_ROWS[0], "application_deadline": "2026-02-28 03:00:00"})
        assert [(p.path, p.code) for p in exc.value.problems] == [
            ("$.application_deadline", "naive_timestamp")
        ]

    @given(strategies.job_postings())
    def test_a_posting_written_as_a_row_reads_back_equal(self, job: JobPosting) -> None:
        """A generated posting without track or level stored as a row reads back equal."""
        job = JobPosting(
            id=job.id,
            title=job.title,
            employer_id=job.employer_id,
            job_type=job.job_type,
            required_skills=job.required_skills,
            is_active=job.is_active,
            application_deadline=job.application_deadline,
        )
        row = {
            "id": job.id,
            "employer_id": job.employer_id,
            "title": job.title,
            "job_type": job.job_type,
            "required_skills": list(job.required_skills),
            "is_active": job.is_active,
            "application_deadline": job.application_deadline,
            "salary_currency": "KSh",
        }
        assert read_job_posting(row).value == job


class TestCohortRow:
    @pytest.mark.parametrize(
        ("changes", "track", "notes"),
        [
            ({}, None, []),
            ({"curriculum_tracks": ["defender"]}, TrackKey.DEFENDER, []),
            ({"curriculum_tracks": ["defender", "grc", "innovation"]}, None, ["track_ambiguous"]),
            ({"track_id": DEFENSIVE_PROGRAM_TRACK_ID}, TrackKey.DEFENDER, []),
            ({"track_id": FEB_TRACK_ID, "curriculum_tracks": ["defender"]}, None, ["track_unresolved"]),
            ({"track__key": "Numquam necessitatib"}, None, ["track_unresolved"]),
            ({"track__key": "defensive-security"}, TrackKey.DEFENDER, []),
        ],
    )
    def test_a_free_label_is_kept_out_and_reported(
        self, changes: dict[str, object], track: TrackKey | None, notes: list[str]
    ) -> None:
        """The track comes from track_id / track__key, else one curriculum slug; anything else is noted."""
        read = read_cohort({**COHORT_ROWS[0], **changes}, tracks=DIRECTORY)
        assert read.value.track is track
        assert [n.code for n in read.notes] == notes
        assert len(read.unknown) == notes.count("track_unresolved")

    def test_batch_attaches_each_cohorts_sponsor(self) -> None:
        """enterprise_ids maps each cohort (by any id form) to its sponsoring organisation."""
        sponsors = {str(COHORT_ROWS[1]["id"]).upper(): 1}
        batch = read_cohort_rows(COHORT_ROWS, tracks=DIRECTORY, enterprise_ids=sponsors)
        assert [c.enterprise_id for c in batch.values] == [None, "1"]
        assert dict(batch.warning_counts) == {"track_ambiguous": 1}

    def test_a_cohort_without_a_name_is_reported(self) -> None:
        """A row without a name is a problem at $.name."""
        with pytest.raises(InvalidPayloadError) as exc:
            read_cohort({"id": uuid.uuid4(), "name": None})
        assert [p.path for p in exc.value.problems] == ["$.name"]

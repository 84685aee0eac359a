"""Tests for profiler_core.serialization._scalars: numbers, ids, timestamps and enums on the wire."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from tests.service_world import (
    A_UUID,
    ID_FORMS,
)
from tests.wire_builders import MISSION, RECIPE, SESSION, problems_of, wire_session

from profiler_core.errors import (
    InvalidPayloadError,
    Problem,
    WireValueError,
)
from profiler_core.models import (
    Cohort,
    Enrollment,
    JobPosting,
    MentorAssignment,
    Mission,
    PortfolioEntry,
    Principal,
    ProfilerSession,
    Recipe,
    RoleGrant,
    TalentProfile,
)
from profiler_core.serialization import (
    parse_number,
    parse_timestamp,
    structure,
)
from profiler_core.vocabulary import (
    DifficultySelection,
    EnrollmentStatus,
    JobLevel,
    Role,
    Scope,
    SessionStatus,
    TrackKey,
)


def _code(error: BaseException) -> str:
    """The problem code a wire parser's error carries (a WireValueError, so also a ValueError)."""
    assert isinstance(error, WireValueError)
    return error.problem_code


class TestParseNumber:
    """parse_number: JSON numbers, Decimals and plain ASCII decimal strings only."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (85, 85.0),
            (85.5, 85.5),
            ("85.50", 85.5),
            (" 42 ", 42.0),
            ("-3", -3.0),
            ("-3.00", -3.0),
            ("007", 7.0),
            (Decimal("85.50"), 85.5),
            (Decimal("1E+2"), 100.0),
            (0, 0.0),
        ],
    )
    def test_accepted(self, raw: object, expected: float) -> None:
        """Numbers, Decimals and ASCII decimal strings (surrounding spaces allowed) become floats."""
        assert parse_number(raw) == expected
        assert type(parse_number(raw)) is float

    @pytest.mark.parametrize(
        "raw",
        [
            "1e2",
            "1E2",
            "1_0",
            "+3",
            "7.",
            ".5",
            "\u0668\u0665",  # Arabic-Indic 85
            "\uff18\uff15",  # full-width 85
            "\u00b2",
            "0x10",
            "85,5",
            "\t42",
            "42\n",
            "4\x002",
            "\u00a042",  # no-break space is not an ASCII space
            "nan",
            "NaN",
            "inf",
            "-Infinity",
            "",
            " ",
            "abc",
            True,
            False,
            None,
            [1],
            {"a": 1},
            math.nan,
            -math.inf,
            Decimal("NaN"),
            Decimal("sNaN"),
            Decimal("Infinity"),
            Decimal("-Infinity"),
        ],
    )
    def test_rejected_as_not_a_number(self, raw: object) -> None:
        """Exponents, underscores, signs other than '-', non-ASCII digits, control characters, booleans,
        NaN (Decimal sNaN too) and infinities raise a ValueError coded not_a_number."""
        with pytest.raises(ValueError, match="must be a") as info:
            parse_number(raw)
        assert _code(info.value) == "not_a_number"

    @pytest.mark.parametrize("raw", [10**400, "9" * 400, Decimal("1e400")])
    def test_beyond_a_float_is_out_of_range(self, raw: object) -> None:
        """A finite number too large for a float is out of every range, not 'not a number'."""
        with pytest.raises(ValueError, match="out of range") as info:
            parse_number(raw)
        assert _code(info.value) == "out_of_range"


class TestParseTimestamp:
    """parse_timestamp: ISO 8601 with a UTC offset, never naive."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("2026-01-02T03:04:05Z", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
            ("2026-01-02T03:04:05+00:00", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
            ("2026-01-02T05:04:05+02:00", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
            (" 2026-01-02T03:04:05.250Z ", datetime(2026, 1, 2, 3, 4, 5, 250_000, tzinfo=UTC)),
            ("2026-01-02 03:04:05+00:00", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
            ("2026-01-02T03:04Z", datetime(2026, 1, 2, 3, 4, tzinfo=UTC)),
            ("2026-01-02T03:04:05.123456789Z", datetime(2026, 1, 2, 3, 4, 5, 123_456, tzinfo=UTC)),
            ("0001-01-01T00:00:00+00:00", datetime(1, 1, 1, tzinfo=UTC)),
            ("9999-12-31T23:30:00+01:00", datetime(9999, 12, 31, 22, 30, tzinfo=UTC)),
            (datetime(2026, 1, 2, tzinfo=timezone(timedelta(hours=-5))), datetime(2026, 1, 2, 5, tzinfo=UTC)),
        ],
    )
    def test_aware_accepted(self, raw: object, expected: datetime) -> None:
        """Aware ISO strings and aware datetimes are accepted and keep their instant."""
        assert parse_timestamp(raw) == expected

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ("2026-01-02T03:04:05", "naive timestamps are rejected"),
            ("2026-01-02", "naive timestamps are rejected"),
            (datetime(2026, 1, 2, 3, 4, 5), "naive timestamps are rejected"),
            ("yesterday", "must be an ISO 8601 timestamp"),
            ("", "must be an ISO 8601 timestamp"),
            (1_767_225_600, "must be an ISO 8601 timestamp, got int"),
            (None, "must be an ISO 8601 timestamp, got NoneType"),
        ],
    )
    def test_rejected(self, raw: object, message: str) -> None:
        """Naive timestamps, non-ISO text and non-strings raise ValueError."""
        with pytest.raises(ValueError, match=message):
            parse_timestamp(raw)

    @pytest.mark.parametrize(
        "raw",
        [
            "2026-01-02T03:04:05+00:00\x00garbage",
            "2026-01-02T03:04:05Z\x00",
            "2026-01-02T03:04:05Z\n",
            "\t2026-01-02T03:04:05Z",
            "2026-01-02T03:04:05Z trailing",
            "2026-01-02T03:04:05\x0bZ",
            "20260102T030405Z",
            "2026-W01-1T00:00Z",
            "2026-01-02T03+00:00",
            "2026-01-02T03:04:05+0100",
            "2026-01-02X03:04:05Z",
            "2026-01-02t03:04:05z",
            "\u0662\u0660\u0662\u0666-01-02T03:04:05Z",
            "2026-13-02T03:04:05Z",
            "2026-02-30T03:04:05Z",
        ],
    )
    def test_not_strict_iso_is_a_bad_timestamp(self, raw: str) -> None:
        """Control characters, trailing text, compact/week forms and impossible dates are bad_timestamp."""
        with pytest.raises(ValueError, match="must be an ISO 8601 timestamp") as info:
            parse_timestamp(raw)
        assert _code(info.value) == "bad_timestamp"

    @pytest.mark.parametrize(
        "raw",
        [
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:30:00-01:00",
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
            datetime(9999, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-1))),
        ],
    )
    def test_not_convertible_to_utc_is_rejected(self, raw: object) -> None:
        """A timestamp whose UTC instant is outside the datetime range is rejected (text or object)."""
        with pytest.raises(ValueError, match="must be convertible to UTC") as info:
            parse_timestamp(raw)
        assert _code(info.value) == "bad_timestamp"

    def test_naive_is_coded(self) -> None:
        """A naive timestamp carries the naive_timestamp code."""
        with pytest.raises(ValueError, match="naive") as info:
            parse_timestamp("2026-01-02T03:04:05")
        assert _code(info.value) == "naive_timestamp"


class TestScalarsOnTheWire:
    """Ids, strings, integers, booleans and lists on the wire."""

    @pytest.mark.parametrize(("raw", "expected"), [(7, "7"), ("m-7", "m-7"), (0, "0")])
    def test_ids_from_ints(self, raw: object, expected: str) -> None:
        """Ids accept strings and integers (as a QuerySet row would give them)."""
        assert structure({**MISSION, "id": raw}, Mission).id == expected

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            (True, "must be a string, an integer or a UUID, got bool"),
            (7.0, "must be a string, an integer or a UUID, got float"),
            ("  ", "must not be blank"),
        ],
    )
    def test_bad_ids(self, raw: object, message: str) -> None:
        """Booleans, floats and blank strings are not ids."""
        assert problems_of({**MISSION, "id": raw}, Mission) == {"$.id": message}

    @pytest.mark.parametrize(
        ("raw", "type_name"), [(5, "int"), (5.5, "float"), (True, "bool"), (None, "NoneType")]
    )
    def test_strings_are_not_coerced(self, raw: object, type_name: str) -> None:
        """A non-id string field rejects numbers, booleans and null."""
        assert problems_of({**MISSION, "title": raw}, Mission) == {
            "$.title": f"must be a string, got {type_name}"
        }

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (30, 30),
            ("30", 30),
            (" 30 ", 30),
            ("30.00", 30),
            (30.0, 30),
            (Decimal("30"), 30),
            (Decimal("3E+1"), 30),
        ],
    )
    def test_integers(self, raw: object, expected: int) -> None:
        """Integer fields accept integral numbers, Decimals and ASCII decimal strings."""
        assert structure({**RECIPE, "estimated_minutes": raw}, Recipe).estimated_minutes == expected

    @pytest.mark.parametrize(
        ("raw", "message", "code"),
        [
            ("30.5", "must be an integer, got '30.5'", "not_an_integer"),
            (30.5, "must be an integer, got 30.5", "not_an_integer"),
            (True, "must be an integer, not a boolean", "not_an_integer"),
            ("thirty", "must be an integer, got 'thirty'", "not_an_integer"),
            ("3e1", "must be an integer, got '3e1'", "not_an_integer"),
            ("3_0", "must be an integer, got '3_0'", "not_an_integer"),
            ("\u0663\u0660", "must be an integer, got '\u0663\u0660'", "not_an_integer"),
            ("\uff13\uff10", "must be an integer, got '\uff13\uff10'", "not_an_integer"),
            (math.nan, "must be a finite number", "not_a_number"),
            (Decimal("sNaN"), "must be a finite number", "not_a_number"),
            (-1, "must be 0..100000", "out_of_range"),
            (100_001, "must be 0..100000", "out_of_range"),
            (1e30, "must be 0..100000", "out_of_range"),
            (10**400, "must be 0..100000", "out_of_range"),
            ("9" * 400, "must be 0..100000", "out_of_range"),
        ],
    )
    def test_bad_integers(self, raw: object, message: str, code: str) -> None:
        """Fractions, booleans, words, exponents, non-ASCII digits, NaN and counts beyond 0..bound fail."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({**RECIPE, "estimated_minutes": raw}, Recipe)
        assert info.value.problems == (Problem(path="$.estimated_minutes", message=message, code=code),)

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [(True, True), (False, False), ("true", True), ("False", False), (" TRUE ", True)],
    )
    def test_booleans(self, raw: object, expected: bool) -> None:
        """Booleans accept true/false and the strings 'true'/'false' in any case."""
        assert structure({**MISSION, "is_active": raw}, Mission).is_active is expected

    @pytest.mark.parametrize("raw", [1, 0, "yes", "", None])
    def test_bad_booleans(self, raw: object) -> None:
        """Numbers, other words and null are not booleans."""
        assert problems_of({**MISSION, "is_active": raw}, Mission) == {
            "$.is_active": f"must be true or false, got {raw!r}"
        }

    def test_lists_must_be_arrays(self) -> None:
        """A string is not a list of characters; an object is not a list."""
        assert problems_of({**MISSION, "skills_tags": "NET", "subtasks": {"a": 1}}, Mission) == {
            "$.skills_tags": "must be a list, got str",
            "$.subtasks": "must be a list, got dict",
        }

    def test_arrays_become_tuples(self) -> None:
        """Lists (and tuples a host builds in Python) become tuples."""
        mission = structure(
            {**MISSION, "skills_tags": ["NET", "DNS"], "recipe_recommendations": ("r-1",)}, Mission
        )
        assert mission.skills_tags == ("NET", "DNS")
        assert mission.recipe_recommendations == ("r-1",)

    def test_list_items_reported_by_index(self) -> None:
        """A bad item is reported at its index."""
        assert problems_of({**SESSION, "strengths": ["grit", 3, "focus", None]}, ProfilerSession) == {
            "$.strengths[1]": "must be a string, got int",
            "$.strengths[3]": "must be a string, got NoneType",
        }


class TestNumericFields:
    """Scores accept numbers, Decimals and numeric strings, within range."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [("85.50", 85.5), (Decimal("85.50"), 85.5), (85, 85.0), ("0", 0.0), ("100", 100.0)],
    )
    def test_numeric_strings_and_decimals(self, raw: object, expected: float) -> None:
        """DRF's decimal strings and Decimals are read as numbers."""
        session = wire_session(aptitude_score=raw, anti_cheat_score=raw)
        assert session.aptitude_score == expected
        assert session.anti_cheat_score == expected

    @pytest.mark.parametrize(
        ("field", "raw", "message", "code"),
        [
            ("aptitude_score", "100.01", "must be 0..100", "out_of_range"),
            ("aptitude_score", -1, "must be 0..100", "out_of_range"),
            ("aptitude_score", "high", "must be a number, got 'high'", "not_a_number"),
            ("aptitude_score", True, "must be a number, not a boolean", "not_a_number"),
            ("aptitude_score", "NaN", "must be a number, got 'NaN'", "not_a_number"),
            ("aptitude_score", math.inf, "must be a finite number", "not_a_number"),
            ("aptitude_score", Decimal("NaN"), "must be a finite number", "not_a_number"),
            ("aptitude_score", 10**400, "must be 0..100", "out_of_range"),
            ("aptitude_score", "1e2", "must be a number, got '1e2'", "not_a_number"),
            ("aptitude_score", "8_5", "must be a number, got '8_5'", "not_a_number"),
            ("aptitude_score", "\u0668\u0665", "must be a number, got '\u0668\u0665'", "not_a_number"),
            ("aptitude_score", "\uff18\uff15", "must be a number, got '\uff18\uff15'", "not_a_number"),
            ("track_confidence", 1.5, "must be 0..1", "out_of_range"),
            ("track_confidence", "0.5x", "must be a number, got '0.5x'", "not_a_number"),
        ],
    )
    def test_rejected_with_path(self, field: str, raw: object, message: str, code: str) -> None:
        """Out-of-range and non-numeric values are reported at their field with their code."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({**SESSION, field: raw}, ProfilerSession)
        assert info.value.problems == (Problem(path=f"$.{field}", message=message, code=code),)

    def test_null_means_not_measured(self) -> None:
        """Null optional scores stay None."""
        assert wire_session(aptitude_score=None, track_confidence=None).aptitude_score is None

    @pytest.mark.parametrize(("raw", "expected"), [("4.5", 4.5), (5, 5.0), (0, 0.0)])
    def test_recipe_rating_is_0_to_5(self, raw: object, expected: float) -> None:
        """Recipe ratings are read on their own 0..5 scale."""
        assert structure({**RECIPE, "avg_rating": raw}, Recipe).avg_rating == expected
        assert problems_of({**RECIPE, "avg_rating": "5.5"}, Recipe) == {"$.avg_rating": "must be 0..5"}


class TestTimestampsOnTheWire:
    """Timestamps in payloads: aware only."""

    @pytest.mark.parametrize(
        "raw",
        ["2026-01-02T03:04:05Z", "2026-01-02T04:04:05+01:00", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)],
    )
    def test_aware_accepted(self, raw: object) -> None:
        """Aware ISO strings and aware datetime objects are accepted."""
        assert wire_session(completed_at=raw).completed_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

    @pytest.mark.parametrize(
        "raw",
        ["2026-01-02T03:04:05", datetime(2026, 1, 2, 3, 4, 5)],
    )
    def test_naive_rejected(self, raw: object) -> None:
        """Naive timestamps are rejected at their path, never guessed."""
        assert problems_of({**SESSION, "started_at": raw}, ProfilerSession) == {
            "$.started_at": "must carry a UTC offset (naive timestamps are rejected)"
        }

    def test_other_timestamp_fields(self) -> None:
        """Every timestamp field of every type follows the same rule."""
        naive = "2026-01-02T03:04:05"
        assert problems_of(
            {"mentor_id": "m", "status": "active", "mentee_id": "u", "expires_at": naive}, MentorAssignment
        ) == {"$.expires_at": "must carry a UTC offset (naive timestamps are rejected)"}
        assert set(
            problems_of(
                {
                    "id": "e",
                    "user_id": "u",
                    "title": "t",
                    "summary": "s",
                    "item_type": "reflection",
                    "status": "draft",
                    "created_at": naive,
                    "updated_at": "soon",
                },
                PortfolioEntry,
            )
        ) == {"$.created_at", "$.updated_at"}


class TestTracksOnTheWire:
    """Tracks accept aliases; blank means none; unknown is a problem."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("defender", TrackKey.DEFENDER),
            ("Defensive-Security", TrackKey.DEFENDER),
            ("cyber defense", TrackKey.DEFENDER),
            ("SOC_DEFENSE", TrackKey.DEFENDER),
            ("Red Team", TrackKey.OFFENSIVE),
            ("offensive-security", TrackKey.OFFENSIVE),
            ("governance", TrackKey.GRC),
            ("Innovation", TrackKey.INNOVATION),
            ("", None),
            ("   ", None),
            (None, None),
        ],
    )
    def test_recommended_track(self, raw: object, expected: TrackKey | None) -> None:
        """recommended_track reads keys and aliases; blank or null is 'no track'."""
        assert wire_session(recommended_track=raw).recommended_track is expected

    def test_unknown_track_is_a_problem(self) -> None:
        """An unknown track is reported at its path, naming the value, never defaulted."""
        problems = problems_of({**SESSION, "recommended_track": "blue"}, ProfilerSession)
        assert list(problems) == ["$.recommended_track"]
        assert problems["$.recommended_track"].startswith("unknown value 'blue' (expected one of: ")

    def test_non_string_track_is_a_problem(self) -> None:
        """A number is not a track."""
        assert problems_of({**MISSION, "track": 3}, Mission) == {"$.track": "must be a track key, got int"}

    @pytest.mark.parametrize(
        ("cls", "payload", "field"),
        [
            (Mission, MISSION, "track"),
            (Cohort, {"id": "c", "name": "C"}, "track"),
            (JobPosting, {"id": "j", "title": "T", "employer_id": "e"}, "track"),
            (TalentProfile, {"user_id": "u"}, "primary_track_key"),
            (MentorAssignment, {"mentor_id": "m", "status": "active", "assignment_type": "track"}, "track"),
        ],
    )
    def test_every_track_field_reads_aliases(
        self, cls: type[Any], payload: dict[str, Any], field: str
    ) -> None:
        """Every track field of every type reads aliases."""
        assert getattr(structure({**payload, field: "Pentest"}, cls), field) is TrackKey.OFFENSIVE

    def test_track_list_reads_aliases(self) -> None:
        """Recipe track codes read aliases item by item, keep text that is not a track, report bad items."""
        recipe = structure({**RECIPE, "track_codes": ["cyberdef", "risk"]}, Recipe)
        assert recipe.track_codes == (TrackKey.DEFENDER, TrackKey.GRC)
        # SPEC §2: text that is not a track is kept as unknown, never a problem.
        kept = structure({**RECIPE, "track_codes": ["grc", "astro"]}, Recipe)
        assert kept.unknown_track_codes == ("astro",)
        assert list(problems_of({**RECIPE, "track_codes": ["grc", 5]}, Recipe)) == ["$.track_codes[1]"]

    def test_alignment_keys_are_normalised(self) -> None:
        """track_alignment_percentages keys are tracks (aliases allowed); values are numbers."""
        session = wire_session(track_alignment_percentages={"Red Team": "60.5", "defenders": 20, "grc": 0})
        assert session.track_alignment_percentages == {
            TrackKey.OFFENSIVE: 60.5,
            TrackKey.DEFENDER: 20.0,
            TrackKey.GRC: 0.0,
        }

    def test_alignment_problems(self) -> None:
        """Duplicates after normalisation, unknown tracks and out-of-range values are each reported."""
        problems = problems_of(
            {
                **SESSION,
                "track_alignment_percentages": {
                    "defender": 10,
                    "soc-defense": 20,
                    "astro": 5,
                    "grc": 101,
                    "pentest": "x",
                },
            },
            ProfilerSession,
        )
        assert problems.keys() == {
            "$.track_alignment_percentages.soc-defense",
            "$.track_alignment_percentages.astro",
            "$.track_alignment_percentages.grc",
            "$.track_alignment_percentages.pentest",
        }
        assert (
            problems["$.track_alignment_percentages.soc-defense"]
            == "duplicates key defender after normalisation"
        )
        assert problems["$.track_alignment_percentages.grc"] == "must be 0..100"

    def test_alignment_must_be_an_object(self) -> None:
        """A list is not a {track: percentage} object."""
        assert problems_of({**SESSION, "track_alignment_percentages": [10]}, ProfilerSession) == {
            "$.track_alignment_percentages": "must be an object, got list"
        }


class TestDifficultiesOnTheWire:
    """Difficulty selection and mission difficulty on the wire."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("elite", DifficultySelection.ELITE),
            ("Intermediate", DifficultySelection.INTERMEDIATE),
            ("", None),
            ("  ", None),
            (None, None),
        ],
    )
    def test_selection(self, raw: object, expected: DifficultySelection | None) -> None:
        """Selections parse in any case; blank or null means 'not selected'."""
        assert wire_session(difficulty_selection=raw).difficulty_selection is expected

    @pytest.mark.parametrize(("raw", "message"), [("guru", "unknown value 'guru'"), (3, "got int")])
    def test_bad_selection(self, raw: object, message: str) -> None:
        """Unknown selections and non-strings are reported at their path."""
        problems = problems_of({**SESSION, "difficulty_selection": raw}, ProfilerSession)
        assert list(problems) == ["$.difficulty_selection"]
        assert message in problems["$.difficulty_selection"]

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (1, 1),
            (5, 5),
            ("3", 3),
            ("Beginner", 1),
            ("Intermediate", 2),
            ("Advanced", 3),
            ("Expert", 4),
            ("Master", 5),
            ("novice", 1),
            ("beginner", 2),
            ("intermediate", 3),
            ("advanced", 4),
            ("elite", 5),
        ],
    )
    def test_mission_difficulty(self, raw: object, expected: int) -> None:
        """Mission difficulty reads integers, title-case labels and lower-case legacy levels."""
        assert structure({**MISSION, "difficulty": raw}, Mission).difficulty == expected

    @pytest.mark.parametrize("raw", [True, 0, 6, "6", "ADVANCED", 2.5, None])
    def test_bad_mission_difficulty(self, raw: object) -> None:
        """Booleans, 0, 6, other spellings and null are reported at $.difficulty."""
        problems = problems_of({**MISSION, "difficulty": raw}, Mission)
        assert list(problems) == ["$.difficulty"]
        assert problems["$.difficulty"].startswith(f"unknown value {raw!r}")


class TestVocabularyOnTheWire:
    """Statuses, scopes, roles and other enums."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("finished", SessionStatus.FINISHED),
            ("In Progress", SessionStatus.IN_PROGRESS),
            ("LOCKED", SessionStatus.LOCKED),
        ],
    )
    def test_status(self, raw: str, expected: SessionStatus) -> None:
        """Statuses parse in any case and with any separator."""
        assert wire_session(status=raw).status is expected

    @pytest.mark.parametrize("raw", ["done", 1, None])
    def test_bad_status(self, raw: object) -> None:
        """An unknown status is reported at $.status."""
        assert list(problems_of({**SESSION, "status": raw}, ProfilerSession)) == ["$.status"]

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [("mentor", Role.MENTOR), ("Program Director", Role.PROGRAM_DIRECTOR), ("superuser", Role.UNKNOWN)],
    )
    def test_roles(self, raw: str, expected: Role) -> None:
        """Role names parse; an unknown role is kept as Role.UNKNOWN instead of failing the payload."""
        assert structure({"role": raw}, RoleGrant).role is expected

    def test_role_must_be_a_string(self) -> None:
        """A non-string role is a problem at its path."""
        assert problems_of({"user_id": "u", "roles": [{"role": 5}]}, Principal) == {
            "$.roles[0].role": "must be a string, got int"
        }

    def test_other_enums(self) -> None:
        """Enrollment status, scope and job level parse from their plain values."""
        assert structure(
            {"user_id": "u", "cohort_id": "c", "status": "Pending Payment"}, Enrollment
        ).status is (EnrollmentStatus.PENDING_PAYMENT)
        assert (
            structure({"role": "analyst", "scope": "org", "scope_ref": "o-1"}, RoleGrant).scope is Scope.ORG
        )
        assert structure({"id": "j", "title": "T", "employer_id": "e", "level": "mid"}, JobPosting).level is (
            JobLevel.MID
        )


class TestWireIds:
    """The wire edge reads every id form as the one canonical text."""

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_session_ids(self, form: object, canonical: str) -> None:
        """structure() turns an int, a UUID or upper-case UUID text into the canonical id text."""
        session = structure({"id": form, "user_id": form, "status": "finished"}, ProfilerSession)
        assert (session.id, session.user_id) == (canonical, canonical)

    @pytest.mark.parametrize(
        ("data", "cls", "field"),
        [
            ({"mentor_id": "m", "status": "active", "mentee_id": "u", "id": A_UUID}, MentorAssignment, "id"),
            ({"id": 7, "title": "SOC", "employer_id": A_UUID}, JobPosting, "employer_id"),
            ({"id": "m", "code": "M", "title": "T", "difficulty": 1, "subtasks": [{"id": 3}]}, Mission, None),
        ],
    )
    def test_other_ids_accept_every_form(
        self, data: dict[str, object], cls: type[Any], field: str | None
    ) -> None:
        """Assignment ids, employer ids and subtask ids accept ints and UUIDs like every other id."""
        value = structure(data, cls)
        if field is None:
            assert value.subtasks[0].id == "3"
        else:
            assert getattr(value, field) == str(data[field])

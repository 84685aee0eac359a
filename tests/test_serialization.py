"""Tests for profiler_core.serialization: the wire edge (SPEC §2)."""

from __future__ import annotations

import json
import math
import typing
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from profiler_core import models
from profiler_core.analytics import SUPPRESSED, AnalyticsPolicy, Suppressed
from profiler_core.decisions import Reason
from profiler_core.errors import PROBLEM_CODES, InvalidPayloadError, Problem, WireValueError
from profiler_core.mapping import eligible_missions, mission_ceiling
from profiler_core.models import (
    BehavioralProfile,
    CategoryScore,
    Cohort,
    Enrollment,
    IdentityResponse,
    JobPosting,
    MentorAssignment,
    Mission,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    Reflection,
    RoleGrant,
    Subtask,
    TalentProfile,
)
from profiler_core.serialization import (
    JSON,
    configure_converter,
    error_body,
    make_converter,
    parse_number,
    parse_timestamp,
    structure,
    unstructure,
    unstructure_object,
)
from profiler_core.testing import strategies
from profiler_core.vocabulary import (
    AssignmentType,
    DifficultySelection,
    EnrollmentStatus,
    JobLevel,
    MissionDifficulty,
    Role,
    Scope,
    SessionStatus,
    TrackKey,
)

SESSION: dict[str, Any] = {"id": "s-1", "user_id": "u-1", "status": "finished"}
MISSION: dict[str, Any] = {"id": "m-1", "code": "M-1", "title": "Ports", "difficulty": 1}
RECIPE: dict[str, Any] = {"id": "r-1", "slug": "ports", "title": "Ports"}


def _session(**fields: Any) -> ProfilerSession:
    return structure({**SESSION, **fields}, ProfilerSession)


def _problems(data: object, type_: Any) -> dict[str, str]:
    """structure() must fail: its problems as {path: message}."""
    with pytest.raises(InvalidPayloadError) as info:
        structure(data, type_)
    return {p.path: p.message for p in info.value.problems}


def _codes(data: object, type_: Any) -> dict[str, str]:
    """structure() must fail: its problems as {path: code}."""
    with pytest.raises(InvalidPayloadError) as info:
        structure(data, type_)
    return {p.path: p.code for p in info.value.problems}


def _code(error: BaseException) -> str:
    """The problem code a wire parser's error carries (a WireValueError, so also a ValueError)."""
    assert isinstance(error, WireValueError)
    return error.problem_code


def _obj(value: JSON) -> dict[str, JSON]:
    """Narrow unstructured JSON to an object."""
    assert isinstance(value, dict)
    return value


def _structure_or_problems(data: object, cls: type[Any]) -> bool:
    """True when *data* structures to a *cls*, or fails with rooted problems (and nothing else)."""
    try:
        value = structure(data, cls)
    except InvalidPayloadError as error:
        return bool(error.problems) and all(p.path.startswith("$") for p in error.problems)
    return isinstance(value, cls)


# Every value type of models.py with its strategy (a test below checks none is missing).
VALUE_TYPES: list[tuple[st.SearchStrategy[Any], type[Any]]] = [
    (strategies.category_scores(), CategoryScore),
    (strategies.behavioral_profiles(), BehavioralProfile),
    (strategies.reflections(), Reflection),
    (strategies.identity_responses(), IdentityResponse),
    (strategies.sessions(), ProfilerSession),
    (strategies.results(), ProfilerResult),
    (strategies.subtasks(), Subtask),
    (strategies.missions(), Mission),
    (strategies.recipes(), Recipe),
    (strategies.enrollments(), Enrollment),
    (strategies.cohorts(), Cohort),
    (strategies.mentor_assignments(), MentorAssignment),
    (strategies.role_grants(), RoleGrant),
    (strategies.principals(), Principal),
    (strategies.job_postings(), JobPosting),
    (strategies.talent_profiles(), TalentProfile),
    (strategies.portfolio_entries(), PortfolioEntry),
]
VALUE_TYPE_IDS = [cls.__name__ for _, cls in VALUE_TYPES]

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def _is_plain_json(value: object) -> bool:
    """Only str/int/float/bool/None/list/dict with str keys (no enums, tuples or datetimes)."""
    if value is None or type(value) in (str, int, float, bool):
        return True
    if type(value) is list:
        return all(_is_plain_json(item) for item in value)
    if type(value) is dict:
        return all(type(key) is str and _is_plain_json(item) for key, item in value.items())
    return False


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
        assert _problems({**MISSION, "id": raw}, Mission) == {"$.id": message}

    @pytest.mark.parametrize(
        ("raw", "type_name"), [(5, "int"), (5.5, "float"), (True, "bool"), (None, "NoneType")]
    )
    def test_strings_are_not_coerced(self, raw: object, type_name: str) -> None:
        """A non-id string field rejects numbers, booleans and null."""
        assert _problems({**MISSION, "title": raw}, Mission) == {
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
        assert _problems({**MISSION, "is_active": raw}, Mission) == {
            "$.is_active": f"must be true or false, got {raw!r}"
        }

    def test_lists_must_be_arrays(self) -> None:
        """A string is not a list of characters; an object is not a list."""
        assert _problems({**MISSION, "skills_tags": "NET", "subtasks": {"a": 1}}, Mission) == {
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
        assert _problems({**SESSION, "strengths": ["grit", 3, "focus", None]}, ProfilerSession) == {
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
        session = _session(aptitude_score=raw, anti_cheat_score=raw)
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
        assert _session(aptitude_score=None, track_confidence=None).aptitude_score is None

    @pytest.mark.parametrize(("raw", "expected"), [("4.5", 4.5), (5, 5.0), (0, 0.0)])
    def test_recipe_rating_is_0_to_5(self, raw: object, expected: float) -> None:
        """Recipe ratings are read on their own 0..5 scale."""
        assert structure({**RECIPE, "avg_rating": raw}, Recipe).avg_rating == expected
        assert _problems({**RECIPE, "avg_rating": "5.5"}, Recipe) == {"$.avg_rating": "must be 0..5"}


class TestTimestampsOnTheWire:
    """Timestamps in payloads: aware only."""

    @pytest.mark.parametrize(
        "raw",
        ["2026-01-02T03:04:05Z", "2026-01-02T04:04:05+01:00", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)],
    )
    def test_aware_accepted(self, raw: object) -> None:
        """Aware ISO strings and aware datetime objects are accepted."""
        assert _session(completed_at=raw).completed_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

    @pytest.mark.parametrize(
        "raw",
        ["2026-01-02T03:04:05", datetime(2026, 1, 2, 3, 4, 5)],
    )
    def test_naive_rejected(self, raw: object) -> None:
        """Naive timestamps are rejected at their path, never guessed."""
        assert _problems({**SESSION, "started_at": raw}, ProfilerSession) == {
            "$.started_at": "must carry a UTC offset (naive timestamps are rejected)"
        }

    def test_other_timestamp_fields(self) -> None:
        """Every timestamp field of every type follows the same rule."""
        naive = "2026-01-02T03:04:05"
        assert _problems(
            {"mentor_id": "m", "status": "active", "mentee_id": "u", "expires_at": naive}, MentorAssignment
        ) == {"$.expires_at": "must carry a UTC offset (naive timestamps are rejected)"}
        assert set(
            _problems(
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


class TestExtraKeys:
    """Unknown extra keys are ignored (hosts send more than we read)."""

    @pytest.mark.parametrize(
        ("payload", "cls"),
        [
            ({**SESSION, "created_by": 3, "meta": {"x": [1]}}, ProfilerSession),
            ({**MISSION, "points": 10, "story": "..."}, Mission),
            ({"user_id": "u", "cohort_id": "c", "status": "active", "joined_at": "today"}, Enrollment),
            (
                {
                    "user_id": "u",
                    "is_staff": False,
                    "roles": [{"role": "admin", "granted_by": 1}],
                    "email": "x",
                },
                Principal,
            ),
            ({"aptitude_breakdown": {}, "id": 9, "user": "u"}, ProfilerResult),
        ],
    )
    def test_ignored(self, payload: dict[str, Any], cls: type[Any]) -> None:
        """A payload with extra keys structures like the same payload without them."""
        known = {a.name for a in attrs.fields(cls)}
        assert structure(payload, cls) == structure({k: v for k, v in payload.items() if k in known}, cls)


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
        assert _session(recommended_track=raw).recommended_track is expected

    def test_unknown_track_is_a_problem(self) -> None:
        """An unknown track is reported at its path, naming the value, never defaulted."""
        problems = _problems({**SESSION, "recommended_track": "blue"}, ProfilerSession)
        assert list(problems) == ["$.recommended_track"]
        assert problems["$.recommended_track"].startswith("unknown value 'blue' (expected one of: ")

    def test_non_string_track_is_a_problem(self) -> None:
        """A number is not a track."""
        assert _problems({**MISSION, "track": 3}, Mission) == {"$.track": "must be a track key, got int"}

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
        """Recipe track codes read aliases item by item and report bad items by index."""
        recipe = structure({**RECIPE, "track_codes": ["cyberdef", "risk"]}, Recipe)
        assert recipe.track_codes == (TrackKey.DEFENDER, TrackKey.GRC)
        assert list(_problems({**RECIPE, "track_codes": ["grc", "astro"]}, Recipe)) == ["$.track_codes[1]"]

    def test_alignment_keys_are_normalised(self) -> None:
        """track_alignment_percentages keys are tracks (aliases allowed); values are numbers."""
        session = _session(track_alignment_percentages={"Red Team": "60.5", "defenders": 20, "grc": 0})
        assert session.track_alignment_percentages == {
            TrackKey.OFFENSIVE: 60.5,
            TrackKey.DEFENDER: 20.0,
            TrackKey.GRC: 0.0,
        }

    def test_alignment_problems(self) -> None:
        """Duplicates after normalisation, unknown tracks and out-of-range values are each reported."""
        problems = _problems(
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
        assert _problems({**SESSION, "track_alignment_percentages": [10]}, ProfilerSession) == {
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
        assert _session(difficulty_selection=raw).difficulty_selection is expected

    @pytest.mark.parametrize(("raw", "message"), [("guru", "unknown value 'guru'"), (3, "got int")])
    def test_bad_selection(self, raw: object, message: str) -> None:
        """Unknown selections and non-strings are reported at their path."""
        problems = _problems({**SESSION, "difficulty_selection": raw}, ProfilerSession)
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
        problems = _problems({**MISSION, "difficulty": raw}, Mission)
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
        assert _session(status=raw).status is expected

    @pytest.mark.parametrize("raw", ["done", 1, None])
    def test_bad_status(self, raw: object) -> None:
        """An unknown status is reported at $.status."""
        assert list(_problems({**SESSION, "status": raw}, ProfilerSession)) == ["$.status"]

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [("mentor", Role.MENTOR), ("Program Director", Role.PROGRAM_DIRECTOR), ("superuser", Role.UNKNOWN)],
    )
    def test_roles(self, raw: str, expected: Role) -> None:
        """Role names parse; an unknown role is kept as Role.UNKNOWN instead of failing the payload."""
        assert structure({"role": raw}, RoleGrant).role is expected

    def test_role_must_be_a_string(self) -> None:
        """A non-string role is a problem at its path."""
        assert _problems({"user_id": "u", "roles": [{"role": 5}]}, Principal) == {
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


class TestAptitudeBreakdown:
    """aptitude_breakdown: {category: number} or {category: {correct, total, points}}."""

    def test_number_shape(self) -> None:
        """Plain numbers (also numeric strings) are scores without evidence counts."""
        result = structure({"aptitude_breakdown": {"networking": 40, "security": "72.5"}}, ProfilerResult)
        assert result.aptitude_breakdown == {
            "networking": CategoryScore(score=40.0),
            "security": CategoryScore(score=72.5),
        }
        assert result.aptitude_breakdown["networking"].evidence is None

    @pytest.mark.parametrize(
        ("counts", "score", "evidence"),
        [
            ({"correct": 3, "total": 4, "points": 6}, 75.0, 4),
            ({"correct": "1", "total": "8"}, 12.5, 8),
            ({"correct": 0, "total": 5, "points": None}, 0.0, 5),
            ({"correct": 5, "total": 5}, 100.0, 5),
            ({"correct": 0, "total": 0, "points": 0}, None, 0),
        ],
    )
    def test_counts_shape(self, counts: dict[str, object], score: float | None, evidence: int) -> None:
        """The score is correct/total x 100; total is the evidence; total 0 means no score, not 0%."""
        category = structure(
            {"aptitude_breakdown": {"networking": counts}}, ProfilerResult
        ).aptitude_breakdown["networking"]
        assert category.score == score
        assert category.evidence == evidence

    def test_points_kept(self) -> None:
        """points is read as a number when present."""
        result = structure(
            {"aptitude_breakdown": {"web": {"correct": 1, "total": 2, "points": "2.5"}}}, ProfilerResult
        )
        assert result.aptitude_breakdown["web"].points == 2.5

    def test_mixed_shapes(self) -> None:
        """Both shapes may appear in one breakdown."""
        result = structure({"aptitude_breakdown": {"a": 50, "b": {"correct": 1, "total": 4}}}, ProfilerResult)
        assert (result.aptitude_breakdown["a"].score, result.aptitude_breakdown["b"].score) == (50.0, 25.0)

    def test_every_bad_category_reported(self) -> None:
        """Each bad category is reported at $.aptitude_breakdown.<category>."""
        assert _problems(
            {
                "aptitude_breakdown": {
                    "networking": 120,
                    "web": {"correct": 5, "total": 3},
                    "cloud": {"correct": 1},
                    "linux": {"points": 3},
                    "crypto": "strong",
                    "python": {"correct": -1, "total": 2},
                    "bash": {"correct": 1, "total": 2, "points": "many"},
                    "ok": 10,
                }
            },
            ProfilerResult,
        ) == {
            "$.aptitude_breakdown.networking": "must be 0..100",
            "$.aptitude_breakdown.web": "needs 0 <= correct <= total",
            "$.aptitude_breakdown.cloud": "must hold total (shape {correct, total, points})",
            "$.aptitude_breakdown.linux": "must hold correct, total (shape {correct, total, points})",
            "$.aptitude_breakdown.crypto": "must be a number, got 'strong'",
            "$.aptitude_breakdown.python": "needs 0 <= correct <= total",
            "$.aptitude_breakdown.bash": "must be a number, got 'many'",
        }

    def test_blank_category_rejected(self) -> None:
        """A blank category name is a problem."""
        assert list(_problems({"aptitude_breakdown": {" ": 10}}, ProfilerResult).values()) == [
            "category must not be blank"
        ]

    def test_must_be_an_object(self) -> None:
        """A list is not a breakdown."""
        assert _problems({"aptitude_breakdown": [40]}, ProfilerResult) == {
            "$.aptitude_breakdown": "must be an object, got list"
        }

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (40, CategoryScore(score=40.0)),
            ({"correct": 1, "total": 2}, CategoryScore.from_counts(correct=1, total=2)),
        ],
    )
    def test_category_score_alone(self, raw: object, expected: CategoryScore) -> None:
        """A CategoryScore on its own reads the same two shapes."""
        assert structure(raw, CategoryScore) == expected


class TestBehavioralProfile:
    """behavioral_profile: the intended shape or the flat {category: mean}."""

    def test_intended_shape(self) -> None:
        """{traits, strengths, areas_for_growth} is read as is."""
        session = _session(
            behavioral_profile={
                "traits": {"teamwork": "4.5"},
                "strengths": ["teamwork"],
                "areas_for_growth": ["Improve documentation skills"],
            }
        )
        assert session.behavioral_profile == BehavioralProfile(
            traits={"teamwork": 4.5},
            strengths=("teamwork",),
            areas_for_growth=("Improve documentation skills",),
        )

    def test_partial_intended_shape(self) -> None:
        """Any subset of the intended keys is the intended shape."""
        assert _session(behavioral_profile={"strengths": ["grit"]}).behavioral_profile == BehavioralProfile(
            strengths=("grit",)
        )

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (
                {"traits": {"teamwork": "4"}, "strengths": ["grit"], "computed_at": "2026-01-01"},
                BehavioralProfile(traits={"teamwork": 4.0}, strengths=("grit",)),
            ),
            (
                {"traits": {}, "source": "profiler", "meta": {"v": 1}, "flag": True, "note": None},
                BehavioralProfile(),
            ),
        ],
    )
    def test_intended_shape_ignores_extra_non_numeric_keys(
        self, raw: object, expected: BehavioralProfile
    ) -> None:
        """Beside a traits object, keys that hold no number are unknown extras and are ignored."""
        assert _session(behavioral_profile=raw).behavioral_profile == expected

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            # SPEC §10.2: a flat profile that also lists strengths kept the list and lost the traits.
            (
                {"analytical": 4.0, "strengths": ["x"]},
                BehavioralProfile(traits={"analytical": 4.0}, strengths=("x",)),
            ),
            (
                {"analytical": "4.0", "teamwork": 2, "areas_for_growth": ["Improve teamwork skills"]},
                BehavioralProfile(
                    traits={"analytical": 4.0, "teamwork": 2.0}, areas_for_growth=("Improve teamwork skills",)
                ),
            ),
            (
                {"analytical": 4, "strengths": ["x"], "areas_for_growth": ["y"]},
                BehavioralProfile(traits={"analytical": 4.0}, strengths=("x",), areas_for_growth=("y",)),
            ),
            # A number beside a traits object is a trait too, whatever else is present.
            (
                {"traits": {"teamwork": 4.5}, "analytical": 3, "strengths": ["grit"]},
                BehavioralProfile(traits={"teamwork": 4.5, "analytical": 3.0}, strengths=("grit",)),
            ),
            (
                {"traits": {"teamwork": 4.5}, "version": 2},
                BehavioralProfile(traits={"teamwork": 4.5, "version": 2.0}),
            ),
        ],
    )
    def test_numbers_are_traits_whatever_else_is_present(
        self, raw: object, expected: BehavioralProfile
    ) -> None:
        """Every top-level number is a trait, beside strengths/areas lists or a traits object."""
        assert _session(behavioral_profile=raw).behavioral_profile == expected

    @pytest.mark.parametrize(
        ("raw", "problems"),
        [
            (
                {"areas_for_growth": ["Improve documentation skills"], "source": "profiler"},
                {"$.behavioral_profile.source": "not_a_number"},
            ),
            (
                {"analytical": 4, "strengths": ["x"], "notes": None},
                {"$.behavioral_profile.notes": "not_a_number"},
            ),
            ({"analytical": True}, {"$.behavioral_profile.analytical": "not_a_number"}),
            ({"analytical": "1e2"}, {"$.behavioral_profile.analytical": "not_a_number"}),
            (
                {"traits": {"teamwork": 4}, "teamwork": 3},
                {"$.behavioral_profile.teamwork": "duplicate_key"},
            ),
            ({"traits": 4}, {"$.behavioral_profile.traits": "not_an_object"}),
            ({"traits": [4]}, {"$.behavioral_profile.traits": "not_an_object"}),
            ({"analytical": 4, "strengths": "grit"}, {"$.behavioral_profile.strengths": "not_a_list"}),
            ({" ": 4}, {"$.behavioral_profile. ": "blank"}),
        ],
    )
    def test_nothing_is_silently_dropped(self, raw: object, problems: dict[str, str]) -> None:
        """In a flat profile every other key is a category: a non-number there is a problem at its path."""
        assert _codes({**SESSION, "behavioral_profile": raw}, ProfilerSession) == problems

    @given(
        traits=st.dictionaries(
            st.text(min_size=1, max_size=12).filter(
                lambda k: k.strip() == k and k.strip() not in {"", "traits", "strengths", "areas_for_growth"}
            ),
            st.floats(min_value=0, max_value=5, allow_nan=False) | st.integers(0, 5),
            max_size=6,
        ),
        strengths=st.none() | st.lists(st.text(max_size=10), max_size=3),
        areas=st.none() | st.lists(st.text(max_size=10), max_size=3),
    )
    def test_every_flat_category_is_a_trait(
        self, traits: dict[str, float], strengths: list[str] | None, areas: list[str] | None
    ) -> None:
        """For any flat {category: number} plus optional strengths/areas lists, every category is a trait."""
        raw: dict[str, object] = dict(traits)
        if strengths is not None:
            raw["strengths"] = strengths
        if areas is not None:
            raw["areas_for_growth"] = areas
        profile = _session(behavioral_profile=raw).behavioral_profile
        assert profile.traits == {key: float(value) for key, value in traits.items()}
        assert profile.strengths == tuple(strengths or ())
        assert profile.areas_for_growth == tuple(areas or ())

    def test_flat_shape_read_as_traits(self) -> None:
        """The platform's stored flat {category: mean} becomes the traits."""
        session = _session(behavioral_profile={"teamwork": 4.2, "communication": "3.5", "leadership": 2})
        assert session.behavioral_profile == BehavioralProfile(
            traits={"teamwork": 4.2, "communication": 3.5, "leadership": 2.0}
        )

    @pytest.mark.parametrize("raw", [None, {}])
    def test_empty(self, raw: object) -> None:
        """Null or an empty object is an empty profile."""
        assert _session(behavioral_profile=raw).behavioral_profile == BehavioralProfile()

    def test_flat_problems_have_paths(self) -> None:
        """A non-numeric flat trait is reported at its category."""
        assert _problems(
            {**SESSION, "behavioral_profile": {"teamwork": "high", "focus": 3}}, ProfilerSession
        ) == {"$.behavioral_profile.teamwork": "must be a number, got 'high'"}

    def test_intended_problems_have_paths(self) -> None:
        """Problems inside the intended shape are reported at their nested path."""
        assert _problems(
            {**SESSION, "behavioral_profile": {"traits": {"teamwork": "x"}, "strengths": "grit"}},
            ProfilerSession,
        ) == {
            "$.behavioral_profile.traits.teamwork": "must be a number, got 'x'",
            "$.behavioral_profile.strengths": "must be a list, got str",
        }

    def test_must_be_an_object(self) -> None:
        """A list is not a behavioral profile."""
        assert _problems({**SESSION, "behavioral_profile": [1]}, ProfilerSession) == {
            "$.behavioral_profile": "must be an object, got list"
        }

    def test_result_traits(self) -> None:
        """ProfilerResult.behavioral_traits is a flat {category: mean} too."""
        assert structure({"behavioral_traits": {"teamwork": "4"}}, ProfilerResult).behavioral_traits == {
            "teamwork": 4.0
        }


class TestTechnicalExposure:
    """technical_exposure_score: a percentage, or {raw, answered} converted to one."""

    @pytest.mark.parametrize(
        ("raw", "answered", "percentage"),
        [
            # (raw - answered) / (2 * answered) * 100, computed by hand
            (10, 10, 0.0),
            (20, 10, 50.0),
            (30, 10, 100.0),
            (25, 10, 75.0),
            (13, 10, 15.0),
            (6, 4, 25.0),
            (2, 1, 50.0),
            (14, 7, 50.0),
            (0, 0, None),
            ("20", "10", 50.0),
        ],
    )
    def test_raw_sum_converted(self, raw: object, answered: object, percentage: float | None) -> None:
        """{raw, answered} becomes a 0..100 percentage, keeping the answered count as evidence."""
        session = _session(technical_exposure_score={"raw": raw, "answered": answered})
        assert session.technical_exposure_score == percentage
        assert session.technical_exposure_answered == int(str(answered))

    @pytest.mark.parametrize(("raw", "expected"), [(62.5, 62.5), ("62.50", 62.5), (None, None)])
    def test_percentage_passes(self, raw: object, expected: float | None) -> None:
        """A plain percentage is kept and carries no answered count."""
        session = _session(technical_exposure_score=raw)
        assert session.technical_exposure_score == expected
        assert session.technical_exposure_answered is None

    @pytest.mark.parametrize(
        "value",
        [
            {"raw": 40, "answered": 10},
            {"raw": 5, "answered": 10},
            {"raw": 3, "answered": 0},
            {"raw": 0, "answered": -2},
            {"raw": 20},
            {"answered": 10},
            {"raw": "lots", "answered": 10},
            {"raw": 20.5, "answered": 10},
        ],
    )
    def test_impossible_raw_sums(self, value: dict[str, object]) -> None:
        """An impossible or incomplete {raw, answered} is one problem at $.technical_exposure_score."""
        assert _problems({**SESSION, "technical_exposure_score": value}, ProfilerSession) == {
            "$.technical_exposure_score": "must be a percentage 0..100 or {raw, answered} with answered >= 0 "
            "and answered <= raw <= 3 x answered"
        }

    @pytest.mark.parametrize(
        ("value", "message"),
        [(129, "must be 0..100"), (-1, "must be 0..100"), ("x", "must be a number, got 'x'")],
    )
    def test_bad_percentage(self, value: object, message: str) -> None:
        """A bare number outside 0..100 (e.g. an unconverted raw sum) or text is rejected, never guessed."""
        assert _problems({**SESSION, "technical_exposure_score": value}, ProfilerSession) == {
            "$.technical_exposure_score": message
        }

    @pytest.mark.parametrize(
        ("fields", "path", "message"),
        [
            ({"technical_exposure_answered": 1e30}, "$.technical_exposure_answered", "must be 0..10000"),
            ({"technical_exposure_answered": 10_001}, "$.technical_exposure_answered", "must be 0..10000"),
            (
                {"technical_exposure_score": {"raw": 1e300, "answered": 1e300}},
                "$.technical_exposure_score",
                "answered must be 0..10000",
            ),
            (
                {"technical_exposure_score": {"raw": 30_003, "answered": 10_001}},
                "$.technical_exposure_score",
                "answered must be 0..10000",
            ),
        ],
    )
    def test_answered_count_is_bounded(self, fields: dict[str, object], path: str, message: str) -> None:
        """The answered-question count has an upper bound (10000), in either wire shape."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({**SESSION, **fields}, ProfilerSession)
        assert info.value.problems == (Problem(path=path, message=message, code="out_of_range"),)

    @pytest.mark.parametrize("score", [50, 0, "0.0"])
    def test_zero_answered_with_a_score_is_rejected(self, score: object) -> None:
        """answered == 0 is no evidence: a score beside it (even 0) is a problem at the score."""
        with pytest.raises(InvalidPayloadError) as info:
            structure(
                {**SESSION, "technical_exposure_score": score, "technical_exposure_answered": 0},
                ProfilerSession,
            )
        assert info.value.problems == (
            Problem(
                path="$.technical_exposure_score",
                message="must be null when technical_exposure_answered is 0 (no evidence)",
                code="invalid_value",
            ),
        )

    def test_zero_answered_without_a_score_is_no_evidence(self) -> None:
        """answered == 0 with no score, as {raw: 0, answered: 0} or written out, is accepted."""
        written = _session(technical_exposure_score=None, technical_exposure_answered=0)
        converted = _session(technical_exposure_score={"raw": 0, "answered": 0})
        assert written == converted
        assert (converted.technical_exposure_score, converted.technical_exposure_answered) == (None, 0)


class TestBounds:
    """Every count, duration and raw sum has a documented upper bound (SPEC §2)."""

    @pytest.mark.parametrize(
        ("cls", "payload", "path", "message"),
        [
            (Recipe, {**RECIPE, "estimated_minutes": 100_001}, "$.estimated_minutes", "must be 0..100000"),
            (Recipe, {**RECIPE, "usage_count": 10**12 + 1}, "$.usage_count", "must be 0..1000000000000"),
            (Recipe, {**RECIPE, "usage_count": 1e300}, "$.usage_count", "must be 0..1000000000000"),
            (
                ProfilerResult,
                {"aptitude_breakdown": {"web": {"correct": 1, "total": 1e30}}},
                "$.aptitude_breakdown.web",
                "total must be 0..10000",
            ),
            (
                ProfilerResult,
                {"aptitude_breakdown": {"web": {"correct": 10_001, "total": 10_001}}},
                "$.aptitude_breakdown.web",
                "correct must be 0..10000",
            ),
            (
                ProfilerResult,
                {"aptitude_breakdown": {"web": {"correct": 1, "total": 2, "points": 1e7}}},
                "$.aptitude_breakdown.web",
                "points must be 0..1000000",
            ),
            (
                ProfilerResult,
                {"aptitude_breakdown": {"web": {"correct": 1, "total": 2, "points": -1}}},
                "$.aptitude_breakdown.web",
                "points must be 0..1000000",
            ),
        ],
    )
    def test_breach_reported_with_path(
        self, cls: type[Any], payload: dict[str, object], path: str, message: str
    ) -> None:
        """A value above its bound is one out_of_range problem at its path."""
        with pytest.raises(InvalidPayloadError) as info:
            structure(payload, cls)
        assert info.value.problems == (Problem(path=path, message=message, code="out_of_range"),)

    @pytest.mark.parametrize(
        ("key", "high"),
        [
            ("Recipe.estimated_minutes", 100_000),
            ("Recipe.usage_count", 10**12),
            ("ProfilerSession.technical_exposure_answered", 10_000),
            ("CategoryScore.total", 10_000),
        ],
    )
    def test_bound_itself_is_accepted(self, key: str, high: int) -> None:
        """The documented bound is inclusive."""
        assert models.BOUNDS[key] == (0, high)
        cls_name, field_name = key.split(".")
        if cls_name == "Recipe":
            assert getattr(structure({**RECIPE, field_name: high}, Recipe), field_name) == high
        elif cls_name == "ProfilerSession":
            assert _session(**{field_name: high}).technical_exposure_answered == high
        else:
            result = structure(
                {"aptitude_breakdown": {"a": {"correct": high, "total": high}}}, ProfilerResult
            )
            assert result.aptitude_breakdown["a"].total == high

    def test_every_integer_field_has_a_bound(self) -> None:
        """Each int field of every models class carries a RANGE and is listed in BOUNDS (docs table)."""
        unbounded = []
        for name in models.__all__:
            cls = getattr(models, name)
            if not attrs.has(cls):
                continue
            hints = typing.get_type_hints(cls)
            for attribute in attrs.fields(cls):
                if int in (typing.get_args(hints[attribute.name]) or (hints[attribute.name],)):
                    key = f"{cls.__name__}.{attribute.name}"
                    if models.RANGE not in attribute.metadata or key not in models.BOUNDS:
                        unbounded.append(key)
        assert not unbounded


class TestProblems:
    """One InvalidPayloadError lists every problem with its JSON path."""

    def test_every_problem_listed_at_once(self) -> None:
        """Problems across fields, nested objects, lists and maps all come back together."""
        with pytest.raises(InvalidPayloadError) as info:
            structure(
                {
                    "id": "s-1",
                    "status": "bogus",
                    "started_at": "2024-01-01T00:00:00",
                    "aptitude_score": "101",
                    "recommended_track": "blue",
                    "strengths": "grit",
                    "reflection": "why not",
                    "identity_responses": [{"question_id": "q1", "text": "ok"}, {"text": 5}],
                    "track_alignment_percentages": {"pentest": 200},
                },
                ProfilerSession,
            )
        error = info.value
        assert error.type_name == "ProfilerSession"
        assert {p.path for p in error.problems} == {
            "$.user_id",
            "$.status",
            "$.started_at",
            "$.aptitude_score",
            "$.recommended_track",
            "$.strengths",
            "$.reflection",
            "$.identity_responses[1].question_id",
            "$.identity_responses[1].text",
            "$.track_alignment_percentages.pentest",
        }
        messages = {p.path: p.message for p in error.problems}
        assert messages["$.user_id"] == "required field missing"
        assert messages["$.identity_responses[1].question_id"] == "required field missing"
        assert str(error).startswith("invalid ProfilerSession payload (10 problem(s)):\n  $.")

    def test_nested_paths(self) -> None:
        """Paths follow objects with '.' and arrays with '[i]'."""
        assert _problems(
            {**MISSION, "subtasks": [{"required_skills": ["NET"]}, {"required_skills": ["DNS", 7]}]}, Mission
        ) == {"$.subtasks[1].required_skills[1]": "must be a string, got int"}

    def test_example_path_from_the_spec(self) -> None:
        """The spec's own example: $.aptitude_breakdown.networking: must be 0..100."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({"aptitude_breakdown": {"networking": 140}}, ProfilerResult)
        assert info.value.problems == (
            Problem(path="$.aptitude_breakdown.networking", message="must be 0..100", code="out_of_range"),
        )

    def test_as_dict(self) -> None:
        """error_body is the JSON body a host returns with a 400."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({**MISSION, "difficulty": 9, "title": None}, Mission)
        body = error_body(info.value)
        assert body["code"] == "invalid_payload"
        assert body["type"] == "Mission"
        errors = body["errors"]
        assert isinstance(errors, list)
        assert sorted(e["path"] for e in errors) == ["$.difficulty", "$.title"]
        assert json.loads(json.dumps(body)) == body

    @pytest.mark.parametrize(
        ("data", "type_name"), [([], "list"), (None, "NoneType"), ("s", "str"), (3, "int")]
    )
    def test_payload_must_be_an_object(self, data: object, type_name: str) -> None:
        """A non-object payload is one problem at '$'."""
        assert _problems(data, ProfilerSession) == {"$": f"must be an object, got {type_name}"}

    def test_batches(self) -> None:
        """A list of payloads structures to a list; problems carry the item index."""
        missions = structure([MISSION, {**MISSION, "id": 2}], list[Mission])
        assert [m.id for m in missions] == ["m-1", "2"]
        assert _problems([MISSION, {**MISSION, "difficulty": "Mastr"}], tuple[Mission, ...]).keys() == {
            "$[1].difficulty"
        }

    def test_invalid_payload_error_is_a_value_error(self) -> None:
        """Hosts catching ValueError also catch bad payloads."""
        with pytest.raises(ValueError, match="invalid Mission payload"):
            structure({}, Mission)


class TestOtherTargetTypes:
    """structure() on targets other than the SPEC §2 inputs."""

    def test_plain_float(self) -> None:
        """A bare float target reads numeric strings."""
        assert structure("4.5", float) == 4.5
        assert _problems(True, float) == {"$": "must be a number, not a boolean"}

    def test_value_rule_at_the_top(self) -> None:
        """A decision value's own validator is reported at its field."""
        assert structure({"code": "ok_code", "message": "Fine."}, Reason) == Reason(
            code="ok_code", message="Fine."
        )
        assert _problems({"code": "Bad Code", "message": "m"}, Reason) == {
            "$.code": "'Bad Code' is not a snake_case reason code"
        }

    def test_unsupported_type(self) -> None:
        """A type the wire edge cannot build is reported as a problem, not as another exception."""
        assert _problems({}, complex) == {"$": "invalid value (StructureHandlerNotFoundError)"}


class TestCrossFieldRules:
    """A value's own cross-field rule is reported at the field it names."""

    @pytest.mark.parametrize(
        ("kind", "path"),
        [("direct", "$.mentee_id"), ("cohort", "$.cohort_id"), ("track", "$.track")],
    )
    def test_mentor_assignment_target(self, kind: str, path: str) -> None:
        """An assignment without the target its type needs is reported at that target."""
        assert _problems(
            {"mentor_id": "m", "status": "active", "assignment_type": kind}, MentorAssignment
        ) == {path: f"is required for a {kind} assignment"}

    @pytest.mark.parametrize(
        ("kind", "target", "attribute"),
        [("direct", {"mentee_id": 9}, "mentee_id"), ("cohort", {"cohort_id": "c"}, "cohort_id")],
    )
    def test_mentor_assignment_valid(self, kind: str, target: dict[str, object], attribute: str) -> None:
        """An assignment with its target structures."""
        assignment = structure(
            {"mentor_id": "m", "status": "active", "assignment_type": kind, **target}, MentorAssignment
        )
        assert assignment.assignment_type is AssignmentType(kind)
        assert getattr(assignment, attribute) == str(next(iter(target.values())))

    @pytest.mark.parametrize(
        ("grant", "message"),
        [
            ({"role": "mentor", "scope": "cohort"}, "is required for a cohort grant"),
            ({"role": "mentor", "scope": "global", "scope_ref": "x"}, "must be null for a global grant"),
        ],
    )
    def test_role_grant_scope_ref(self, grant: dict[str, object], message: str) -> None:
        """A scope_ref that does not fit the scope is reported at $.scope_ref."""
        assert _problems(grant, RoleGrant) == {"$.scope_ref": message}

    def test_nested_cross_field_rules(self) -> None:
        """Inside a list, cross-field problems keep the item index and the field."""
        assert _problems(
            {
                "user_id": "u",
                "roles": [
                    {"role": "admin"},
                    {"role": "mentor", "scope": "track"},
                    {"role": "analyst", "scope": "global", "scope_ref": "o-1"},
                ],
            },
            Principal,
        ) == {
            "$.roles[1].scope_ref": "is required for a track grant",
            "$.roles[2].scope_ref": "must be null for a global grant",
        }

    def test_model_rule_inside_list(self) -> None:
        """A model validator failing inside a list item names the item's field."""
        assert _problems(
            {**SESSION, "identity_responses": [{"question_id": "", "text": "t"}]}, ProfilerSession
        ) == {"$.identity_responses[0].question_id": "must not be empty"}


class TestUnstructure:
    """unstructure gives plain JSON-ready data."""

    def test_session_shape(self) -> None:
        """Enums become their values, timestamps ISO strings, tuples lists and maps dicts."""
        session = _session(
            started_at="2026-01-02T03:04:05+02:00",
            difficulty_selection="Elite",
            recommended_track="Red Team",
            track_alignment_percentages={"pentest": 80},
            technical_exposure_score={"raw": 20, "answered": 10},
            strengths=["grit"],
        )
        data = unstructure_object(session)
        assert data["status"] == "finished"
        assert type(data["status"]) is str
        assert data["started_at"] == "2026-01-02T03:04:05+02:00"
        assert data["difficulty_selection"] == "elite"
        assert data["recommended_track"] == "offensive"
        assert data["track_alignment_percentages"] == {"offensive": 80.0}
        assert data["technical_exposure_score"] == 50.0
        assert data["technical_exposure_answered"] == 10
        assert data["strengths"] == ["grit"]
        assert _is_plain_json(data)

    def test_category_scores_keep_their_shape(self) -> None:
        """A plain score goes out as a number; counts go out as {correct, total, points}."""
        result = structure({"aptitude_breakdown": {"a": 40, "b": {"correct": 0, "total": 0}}}, ProfilerResult)
        assert unstructure_object(result)["aptitude_breakdown"] == {
            "a": 40.0,
            "b": {"correct": 0, "total": 0, "points": None},
        }

    def test_mission_difficulty_is_an_int(self) -> None:
        """Mission difficulty goes out as a plain int."""
        data = unstructure_object(structure({**MISSION, "difficulty": "elite"}, Mission))
        assert data["difficulty"] == 5
        assert type(data["difficulty"]) is int

    def test_decisions_from_mapping(self) -> None:
        """Decision values of other modules (with their own enums) are plain too."""
        session = _session(difficulty_selection="advanced", technical_exposure_score=60)
        decision = mission_ceiling(session)
        data = unstructure_object(eligible_missions([structure(MISSION, Mission)], decision))
        decision_data = _obj(data["decision"])
        assert decision_data["ceiling"] == 3
        assert decision_data["evidence"] == "consistent"
        assert type(decision_data["evidence"]) is str
        assert decision_data["policy"] == "difficulty@1"
        assert _obj(data["next_mission"])["id"] == "m-1"
        assert _is_plain_json(data)

    def test_collections_of_values(self) -> None:
        """A list of values unstructures item by item, each with every field and its defaults."""
        second = {"id": "m-2", "code": "M-2", "title": "Logs", "difficulty": 2, "is_active": False}
        mission: dict[str, object] = {
            "track": None,
            "tier": None,
            "is_active": True,
            "skills_tags": [],
            "subtasks": [],
            "recipe_recommendations": [],
        }
        assert unstructure([structure(MISSION, Mission), structure(second, Mission)]) == [
            {"id": "m-1", "code": "M-1", "title": "Ports", "difficulty": 1, **mission},
            {**mission, "id": "m-2", "code": "M-2", "title": "Logs", "difficulty": 2, "is_active": False},
        ]

    def test_suppressed_marker(self) -> None:
        """A suppressed analytics figure goes out as {"suppressed": true}, as its to_dict does, not {}."""
        assert unstructure(SUPPRESSED) == {"suppressed": True}
        assert structure({"suppressed": True}, Suppressed) is SUPPRESSED

    def test_sets_become_sorted_lists(self) -> None:
        """A frozenset field goes out as a sorted JSON array (JSON has no sets) and reads back."""
        policy = AnalyticsPolicy(counted_statuses={EnrollmentStatus.COMPLETED, EnrollmentStatus.ACTIVE})
        data = unstructure_object(policy)
        assert data["counted_statuses"] == ["active", "completed"]
        assert structure(data, AnalyticsPolicy) == policy

    @pytest.mark.parametrize("value", [object(), Decimal("1.5"), {1, 2j}, b"bytes"])
    def test_non_json_is_a_type_error(self, value: object) -> None:
        """unstructure promises JSON: something without a JSON form raises TypeError instead of leaking."""
        with pytest.raises(TypeError, match="cannot unstructure"):
            unstructure(value)

    def test_unstructure_object(self) -> None:
        """unstructure_object returns the JSON object of a value and refuses values that are not objects."""
        assert unstructure_object(Reason(code="a", message="b")) == {"code": "a", "message": "b"}
        with pytest.raises(TypeError, match="does not unstructure to a JSON object"):
            unstructure_object([Reason(code="a", message="b")])
        with pytest.raises(TypeError, match="does not unstructure to a JSON object"):
            unstructure_object(MissionDifficulty.MASTER)


class TestConverters:
    """make_converter / configure_converter."""

    def test_new_converter_each_time(self) -> None:
        """make_converter returns a fresh converter (never the global one)."""
        first = make_converter()
        assert first is not make_converter()
        assert first is not cattrs.global_converter

    def test_configured_converter_applies_the_rules(self) -> None:
        """A host's own converter configured with configure_converter reads the wire shapes."""
        converter = cattrs.Converter(detailed_validation=True)
        configure_converter(converter)
        mission = converter.structure({**MISSION, "difficulty": "elite", "track": "Red Team"}, Mission)
        assert (mission.difficulty, mission.track) == (MissionDifficulty.MASTER, TrackKey.OFFENSIVE)
        assert converter.unstructure(mission)["track"] == "offensive"


# One payload per problem code: (type, payload, path, code). A test checks every code is here.
CODE_CASES: list[tuple[type[Any], object, str, str]] = [
    (ProfilerSession, {"id": "s-1", "status": "finished"}, "$.user_id", "required"),
    (ProfilerSession, [], "$", "not_an_object"),
    (Mission, {**MISSION, "skills_tags": "NET"}, "$.skills_tags", "not_a_list"),
    (Mission, {**MISSION, "title": 5}, "$.title", "not_a_string"),
    (Mission, {**MISSION, "is_active": "yes"}, "$.is_active", "not_a_boolean"),
    (ProfilerSession, {**SESSION, "aptitude_score": "high"}, "$.aptitude_score", "not_a_number"),
    (Recipe, {**RECIPE, "estimated_minutes": 30.5}, "$.estimated_minutes", "not_an_integer"),
    (ProfilerSession, {**SESSION, "aptitude_score": 101}, "$.aptitude_score", "out_of_range"),
    (ProfilerResult, {"aptitude_breakdown": {" ": 10}}, "$.aptitude_breakdown. ", "blank"),
    (ProfilerSession, {**SESSION, "status": "bogus"}, "$.status", "unknown_value"),
    (ProfilerSession, {**SESSION, "started_at": "yesterday"}, "$.started_at", "bad_timestamp"),
    (ProfilerSession, {**SESSION, "started_at": "2026-01-02T03:04:05"}, "$.started_at", "naive_timestamp"),
    (
        ProfilerSession,
        {**SESSION, "track_alignment_percentages": {"defender": 1, "soc-defense": 2}},
        "$.track_alignment_percentages.soc-defense",
        "duplicate_key",
    ),
    (
        MentorAssignment,
        {"mentor_id": "m", "status": "active", "assignment_type": "cohort"},
        "$.cohort_id",
        "invalid_value",
    ),
]


class TestProblemCodes:
    """Every problem carries a machine code from PROBLEM_CODES beside its path and message."""

    @pytest.mark.parametrize(("cls", "payload", "path", "code"), CODE_CASES, ids=[c[3] for c in CODE_CASES])
    def test_code_at_path(self, cls: type[Any], payload: object, path: str, code: str) -> None:
        """The payload's one problem is at the expected path with the expected code."""
        assert _codes(payload, cls) == {path: code}

    def test_every_code_is_exercised(self) -> None:
        """The table above produces every documented code, so none is dead or undocumented."""
        assert {case[3] for case in CODE_CASES} == set(PROBLEM_CODES)

    def test_as_dict_carries_the_code(self) -> None:
        """The 400 body lists each problem as {path, code, message}."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({**SESSION, "aptitude_score": "high"}, ProfilerSession)
        assert error_body(info.value)["errors"] == [
            {"path": "$.aptitude_score", "code": "not_a_number", "message": "must be a number, got 'high'"}
        ]

    @given(
        secret=st.text(min_size=1, max_size=40).map(lambda text: "SECRET" + text),
        field=st.sampled_from(
            [
                "status",
                "aptitude_score",
                "technical_exposure_score",
                "recommended_track",
                "difficulty_selection",
                "started_at",
                "strengths",
                "reflection",
                "behavioral_profile",
                "track_alignment_percentages",
            ]
        ),
    )
    def test_log_summary_never_carries_the_value(self, secret: str, field: str) -> None:
        """A payload value never reaches log_summary(): only paths and codes do (SPEC §11)."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({**SESSION, field: secret, "anti_cheat_flags": [secret, 5]}, ProfilerSession)
        assert "SECRET" not in info.value.log_summary()

    @pytest.mark.parametrize("field", ["status", "aptitude_score", "started_at", "recommended_track"])
    def test_quoted_value_is_capped(self, field: str) -> None:
        """A huge bad value is quoted in at most 60 characters, so a 400 body never echoes a megabyte."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({**SESSION, field: "x" * 100_000}, ProfilerSession)
        (problem,) = info.value.problems
        assert problem.path == f"$.{field}"
        assert "x" * 58 not in problem.message
        assert len(problem.message) < 400

    def test_message_quotes_the_value_for_the_caller(self) -> None:
        """The human message (the 400 body) may quote the value; only log_summary() leaves it out."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({**SESSION, "status": "My secret plan"}, ProfilerSession)
        assert "My secret plan" in str(info.value)
        assert (
            info.value.log_summary()
            == "invalid ProfilerSession payload (1 problem(s)): $.status: unknown_value"
        )


class TestLaws:
    """Properties over every value type."""

    def test_every_model_type_is_covered(self) -> None:
        """The law tables name every attrs class in models.__all__."""
        model_types = {getattr(models, name) for name in models.__all__ if attrs.has(getattr(models, name))}
        assert model_types == {cls for _, cls in VALUE_TYPES}

    @pytest.mark.parametrize(("strategy", "cls"), VALUE_TYPES, ids=VALUE_TYPE_IDS)
    @given(data=st.data())
    def test_round_trip(self, strategy: st.SearchStrategy[Any], cls: type[Any], data: st.DataObject) -> None:
        """structure(unstructure(x), type(x)) == x, also through a JSON string."""
        value = data.draw(strategy)
        plain = unstructure(value)
        assert structure(plain, cls) == value
        assert structure(json.loads(json.dumps(plain)), cls) == value

    @pytest.mark.parametrize(("strategy", "cls"), VALUE_TYPES, ids=VALUE_TYPE_IDS)
    @given(data=st.data())
    def test_unstructure_is_plain_json(
        self, strategy: st.SearchStrategy[Any], cls: type[Any], data: st.DataObject
    ) -> None:
        """unstructure output is JSON-serialisable and made of plain builtins only."""
        plain = unstructure(data.draw(strategy))
        assert _is_plain_json(plain)
        json.dumps(plain, allow_nan=False)

    @pytest.mark.parametrize(("strategy", "cls"), VALUE_TYPES, ids=VALUE_TYPE_IDS)
    @given(payload=JSON_VALUES)
    def test_arbitrary_json_raises_only_invalid_payload(
        self, strategy: st.SearchStrategy[Any], cls: type[Any], payload: object
    ) -> None:
        """Any JSON value either structures or raises InvalidPayloadError with at least one rooted path."""
        assert _structure_or_problems(payload, cls)

    @pytest.mark.parametrize(("strategy", "cls"), VALUE_TYPES, ids=VALUE_TYPE_IDS)
    @given(data=st.data(), junk=JSON_VALUES)
    def test_one_corrupted_field_raises_only_invalid_payload(
        self, strategy: st.SearchStrategy[Any], cls: type[Any], data: st.DataObject, junk: object
    ) -> None:
        """A valid payload with one field replaced by arbitrary JSON never raises anything else."""
        plain: object = unstructure(data.draw(strategy))
        if isinstance(plain, dict) and plain:
            plain[data.draw(st.sampled_from(sorted(plain)))] = junk
        assert _structure_or_problems(plain, cls)

"""Tests for profiler_core.vocabulary: enums of SPEC §1 and their strict and lenient parsing."""

from __future__ import annotations

import enum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from profiler_core.errors import UnknownValueError
from profiler_core.vocabulary import (
    COMPLETED_STATUSES,
    TRACK_ALIASES,
    AssignmentStatus,
    AssignmentType,
    DifficultySelection,
    EnrollmentStatus,
    GapType,
    JobLevel,
    MissionDifficulty,
    Priority,
    RecipeDifficulty,
    Role,
    Scope,
    SessionStatus,
    TrackKey,
    TrackParse,
    Visibility,
    normalise_token,
    parse_difficulty_selection,
    parse_enum,
    parse_mission_difficulty,
    parse_role,
    parse_track,
    parse_track_lenient,
)

# Every spelling SPEC §1 names, written out by hand (not derived from TRACK_ALIASES).
SPEC_TRACK_SPELLINGS: list[tuple[str, TrackKey]] = [
    ("defender", TrackKey.DEFENDER),
    ("offensive", TrackKey.OFFENSIVE),
    ("innovation", TrackKey.INNOVATION),
    ("leadership", TrackKey.LEADERSHIP),
    ("grc", TrackKey.GRC),
    ("defenders", TrackKey.DEFENDER),
    ("defensive-security", TrackKey.DEFENDER),
    ("cyber_defense", TrackKey.DEFENDER),
    ("cyberdef", TrackKey.DEFENDER),
    ("socdefense", TrackKey.DEFENDER),
    ("soc_defense", TrackKey.DEFENDER),
    ("offensive_security", TrackKey.OFFENSIVE),
    ("offensive-security", TrackKey.OFFENSIVE),
    ("pentest", TrackKey.OFFENSIVE),
    ("red_team", TrackKey.OFFENSIVE),
    ("governance", TrackKey.GRC),
    ("compliance", TrackKey.GRC),
    ("risk", TrackKey.GRC),
]


def _variants(text: str) -> list[str]:
    """The same spelling with every separator and in several cases."""
    spaced = text.replace("-", " ").replace("_", " ")
    return [
        text,
        text.upper(),
        text.title(),
        spaced,
        spaced.replace(" ", "-"),
        spaced.replace(" ", "_"),
        f"  {spaced.upper()}  ",
        spaced.replace(" ", " - "),
    ]


TRACK_VARIANT_CASES = [
    pytest.param(variant, key, id=f"{spelling}->{variant!r}")
    for spelling, key in SPEC_TRACK_SPELLINGS
    for variant in _variants(spelling)
]

UNKNOWN_TRACKS = ["blue", "defence", "red", "cyber", "offense", "grc2", "soc", "team red", "leader"]


class TestNormaliseToken:
    """normalise_token folds case and separators."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("Defender", "defender"),
            ("  Defensive-Security ", "defensive_security"),
            ("red   team", "red_team"),
            ("red - _ team", "red_team"),
            ("_cyber_defense_", "cyber_defense"),
            ("", ""),
            ("   ", ""),
            ("IN_PROGRESS", "in_progress"),
        ],
    )
    def test_known_cases(self, raw: str, expected: str) -> None:
        """Lower-cases, trims and folds runs of '-', '_' and spaces into one '_'."""
        assert normalise_token(raw) == expected

    @given(st.text())
    def test_idempotent(self, text: str) -> None:
        """Normalising twice gives the same token as normalising once."""
        once = normalise_token(text)
        assert normalise_token(once) == once


class TestTrackKey:
    """TrackKey and its alias table."""

    def test_five_tracks(self) -> None:
        """There are exactly the five tracks of SPEC §1, valued as the platform stores them."""
        assert {k.value for k in TrackKey} == {"defender", "offensive", "innovation", "leadership", "grc"}

    def test_compares_equal_to_stored_string(self) -> None:
        """A track key equals the plain string the platform stores."""
        stored: str = "grc"
        assert stored == TrackKey.GRC
        assert {stored: 1}[TrackKey.GRC] == 1

    def test_alias_table_covers_the_spec(self) -> None:
        """Every spelling the spec names is in the alias table, already normalised."""
        for spelling, key in SPEC_TRACK_SPELLINGS:
            assert TRACK_ALIASES[normalise_token(spelling)] is key

    def test_alias_table_keys_are_normalised(self) -> None:
        """Alias keys are stored in normalised form so lookups after normalise_token hit."""
        assert all(normalise_token(alias) == alias for alias in TRACK_ALIASES)


class TestParseTrack:
    """Strict track parsing."""

    @pytest.mark.parametrize(("raw", "expected"), TRACK_VARIANT_CASES)
    def test_every_alias_in_every_spelling(self, raw: str, expected: TrackKey) -> None:
        """Each key and alias parses case-insensitively with '-', '_' and spaces alike."""
        assert parse_track(raw) is expected

    def test_track_key_passes_through(self) -> None:
        """A TrackKey is returned as is."""
        assert parse_track(TrackKey.LEADERSHIP) is TrackKey.LEADERSHIP

    @pytest.mark.parametrize("raw", UNKNOWN_TRACKS)
    def test_unknown_is_an_error_naming_the_field(self, raw: str) -> None:
        """An unknown track raises UnknownValueError naming the field and the value."""
        with pytest.raises(UnknownValueError) as info:
            parse_track(raw, field="recommended_track")
        assert info.value.field == "recommended_track"
        assert info.value.value == raw
        assert "defender" in info.value.expected
        assert str(info.value).startswith("recommended_track: unknown value")

    def test_default_field_name(self) -> None:
        """Without a field name the error names the field 'track'."""
        with pytest.raises(UnknownValueError) as info:
            parse_track("blue")
        assert info.value.field == "track"

    @pytest.mark.parametrize("raw", ["", "   ", "-"])
    def test_blank_is_an_error(self, raw: str) -> None:
        """Strict parsing never defaults: a blank track is an error."""
        with pytest.raises(UnknownValueError):
            parse_track(raw)

    def test_non_string_is_an_error(self) -> None:
        """A non-string value is rejected, not coerced."""
        with pytest.raises(UnknownValueError):
            parse_track(3)  # type: ignore[arg-type]  # the runtime guard is what is tested


class TestParseTrackLenient:
    """Lenient track parsing never raises and never defaults silently."""

    @pytest.mark.parametrize(("raw", "expected"), TRACK_VARIANT_CASES)
    def test_known_track(self, raw: str, expected: TrackKey) -> None:
        """A key or alias gives the key and no reason."""
        assert parse_track_lenient(raw) == TrackParse(key=expected, raw=raw, reason_code=None)

    @pytest.mark.parametrize("raw", UNKNOWN_TRACKS)
    def test_unknown_track_reason(self, raw: str) -> None:
        """An unknown value gives no key and the reason code 'unknown_track'."""
        assert parse_track_lenient(raw) == TrackParse(key=None, raw=raw, reason_code="unknown_track")

    @pytest.mark.parametrize("raw", [None, "", "   ", "\t\n"])
    def test_blank_is_track_missing(self, raw: str | None) -> None:
        """None or blank gives no key and the reason code 'track_missing'."""
        assert parse_track_lenient(raw) == TrackParse(key=None, raw=raw, reason_code="track_missing")

    def test_track_key_passes_through(self) -> None:
        """A TrackKey is recognised as itself."""
        parsed = parse_track_lenient(TrackKey.GRC)
        assert parsed.key is TrackKey.GRC
        assert parsed.reason_code is None

    @given(st.text())
    def test_never_raises_and_always_explains(self, text: str) -> None:
        """Any text gives exactly one of a key or a reason code."""
        parsed = parse_track_lenient(text)
        assert (parsed.key is None) != (parsed.reason_code is None)
        assert parsed.reason_code in {None, "unknown_track", "track_missing"}


class TestDifficultySelection:
    """The profiler's difficulty selection."""

    @pytest.mark.parametrize(
        ("selection", "rank"),
        [
            (DifficultySelection.NOVICE, 0),
            (DifficultySelection.BEGINNER, 1),
            (DifficultySelection.INTERMEDIATE, 2),
            (DifficultySelection.ADVANCED, 3),
            (DifficultySelection.ELITE, 4),
        ],
    )
    def test_rank_rises(self, selection: DifficultySelection, rank: int) -> None:
        """Selections rank 0 (novice) to 4 (elite)."""
        assert selection.rank == rank


class TestParseDifficultySelection:
    """Parsing the profiler's difficulty selection."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("novice", DifficultySelection.NOVICE),
            ("beginner", DifficultySelection.BEGINNER),
            ("intermediate", DifficultySelection.INTERMEDIATE),
            ("advanced", DifficultySelection.ADVANCED),
            ("elite", DifficultySelection.ELITE),
            ("ELITE", DifficultySelection.ELITE),
            (" Advanced ", DifficultySelection.ADVANCED),
            (DifficultySelection.NOVICE, DifficultySelection.NOVICE),
            (None, None),
            ("", None),
            ("   ", None),
            ("_", None),
        ],
    )
    def test_known_cases(self, raw: str | None, expected: DifficultySelection | None) -> None:
        """Known selections parse in any case; blank or None means 'not selected'."""
        assert parse_difficulty_selection(raw) is expected

    @pytest.mark.parametrize("raw", ["guru", "expert", "master", "1", "novices"])
    def test_unknown_is_an_error(self, raw: str) -> None:
        """A non-blank unknown selection raises UnknownValueError naming the field."""
        with pytest.raises(UnknownValueError) as info:
            parse_difficulty_selection(raw)
        assert info.value.field == "difficulty_selection"
        assert info.value.expected == ("novice", "beginner", "intermediate", "advanced", "elite")

    def test_non_string_is_an_error(self) -> None:
        """A non-string value is rejected with the caller's field name."""
        with pytest.raises(UnknownValueError) as info:
            parse_difficulty_selection(3, field="level")  # type: ignore[arg-type]  # runtime guard
        assert info.value.field == "level"


class TestMissionDifficulty:
    """Mission difficulty levels."""

    @pytest.mark.parametrize(
        ("level", "number", "label"),
        [
            (MissionDifficulty.BEGINNER, 1, "Beginner"),
            (MissionDifficulty.INTERMEDIATE, 2, "Intermediate"),
            (MissionDifficulty.ADVANCED, 3, "Advanced"),
            (MissionDifficulty.EXPERT, 4, "Expert"),
            (MissionDifficulty.MASTER, 5, "Master"),
        ],
    )
    def test_numbers_and_labels(self, level: MissionDifficulty, number: int, label: str) -> None:
        """Levels are the integers 1..5 with title-case labels."""
        assert level == number
        assert level.label == label

    def test_ordered(self) -> None:
        """Levels compare as integers."""
        assert MissionDifficulty.BEGINNER < MissionDifficulty.MASTER


class TestParseMissionDifficulty:
    """Parsing mission difficulty from integers, labels and legacy text levels."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (1, 1),
            (2, 2),
            (3, 3),
            (4, 4),
            (5, 5),
            ("1", 1),
            ("5", 5),
            (" 3 ", 3),
            ("Beginner", 1),
            ("Intermediate", 2),
            ("Advanced", 3),
            ("Expert", 4),
            ("Master", 5),
            (" Master ", 5),
            # legacy lower-case text levels
            ("novice", 1),
            ("beginner", 2),
            ("intermediate", 3),
            ("advanced", 4),
            ("elite", 5),
            # no clash with a legacy word: lower-case labels accepted
            ("expert", 4),
            ("master", 5),
            (MissionDifficulty.EXPERT, 4),
        ],
    )
    def test_known_cases(self, raw: object, expected: int) -> None:
        """Integers, numeric strings, title-case labels and legacy lower-case levels all parse."""
        parsed = parse_mission_difficulty(raw)
        assert isinstance(parsed, MissionDifficulty)
        assert int(parsed) == expected

    @pytest.mark.parametrize(
        "raw",
        [
            True,
            False,
            0,
            6,
            -1,
            "0",
            "6",
            "",
            "BEGINNER",
            "Novice",
            "Elite",
            "guru",
            2.0,
            None,
            [1],
        ],
    )
    def test_rejected(self, raw: object) -> None:
        """Booleans, out-of-range numbers, other cases of the clashing words and non-scalars are rejected."""
        with pytest.raises(UnknownValueError) as info:
            parse_mission_difficulty(raw, field="mission.difficulty")
        assert info.value.field == "mission.difficulty"
        assert info.value.value == raw

    def test_default_field(self) -> None:
        """Without a field name the error names 'difficulty'."""
        with pytest.raises(UnknownValueError) as info:
            parse_mission_difficulty(0)
        assert info.value.field == "difficulty"


class TestSessionStatus:
    """Session statuses and completion."""

    @pytest.mark.parametrize(
        ("status", "completed"),
        [
            (SessionStatus.STARTED, False),
            (SessionStatus.IN_PROGRESS, False),
            (SessionStatus.APTITUDE_COMPLETE, False),
            (SessionStatus.BEHAVIORAL_COMPLETE, False),
            (SessionStatus.CURRENT_SELF_COMPLETE, False),
            (SessionStatus.FUTURE_YOU_COMPLETE, False),
            (SessionStatus.FINISHED, True),
            (SessionStatus.LOCKED, True),
        ],
    )
    def test_completed_only_when_finished_or_locked(self, status: SessionStatus, completed: bool) -> None:
        """A session is completed exactly when finished or locked."""
        assert status.is_completed is completed

    def test_completed_statuses(self) -> None:
        """COMPLETED_STATUSES holds finished and locked only."""
        assert frozenset({"finished", "locked"}) == COMPLETED_STATUSES

    def test_eight_statuses(self) -> None:
        """The spec's eight statuses exist with the platform's spellings."""
        assert [s.value for s in SessionStatus] == [
            "started",
            "in_progress",
            "aptitude_complete",
            "behavioral_complete",
            "current_self_complete",
            "future_you_complete",
            "finished",
            "locked",
        ]


class TestParseRole:
    """Role parsing: unknown names are kept as unknown."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("admin", Role.ADMIN),
            ("program_director", Role.PROGRAM_DIRECTOR),
            ("Program Director", Role.PROGRAM_DIRECTOR),
            ("program-director", Role.PROGRAM_DIRECTOR),
            ("mentor", Role.MENTOR),
            ("mentee", Role.MENTEE),
            ("student", Role.STUDENT),
            ("employer", Role.EMPLOYER),
            ("finance", Role.FINANCE),
            ("finance_admin", Role.FINANCE_ADMIN),
            ("sponsor_admin", Role.SPONSOR_ADMIN),
            ("ANALYST", Role.ANALYST),
            (Role.MENTOR, Role.MENTOR),
        ],
    )
    def test_known_roles(self, raw: str, expected: Role) -> None:
        """Known role names parse in any case and with any separator."""
        assert parse_role(raw) is expected

    @pytest.mark.parametrize("raw", ["superuser", "director", "", "programme_director", "staff"])
    def test_unknown_role_is_unknown(self, raw: str) -> None:
        """An unrecognised role name becomes Role.UNKNOWN instead of raising."""
        assert parse_role(raw) is Role.UNKNOWN


class TestSmallEnums:
    """Priority, JobLevel and the other value sets of SPEC §1 and §2."""

    @pytest.mark.parametrize(
        ("priority", "weight"), [(Priority.HIGH, 3), (Priority.MEDIUM, 2), (Priority.LOW, 1)]
    )
    def test_priority_weight(self, priority: Priority, weight: int) -> None:
        """Priority weights are high 3, medium 2, low 1."""
        assert priority.weight == weight

    @pytest.mark.parametrize(
        ("level", "rank"),
        [(JobLevel.ENTRY, 0), (JobLevel.MID, 1), (JobLevel.SENIOR, 2), (JobLevel.EXPERT, 3)],
    )
    def test_job_level_rank(self, level: JobLevel, rank: int) -> None:
        """Job levels rank entry 0 up to expert 3."""
        assert level.rank == rank

    @pytest.mark.parametrize(
        ("enum_type", "values"),
        [
            (Scope, {"global", "org", "cohort", "track"}),
            (GapType, {"aptitude", "technical", "behavioral", "skill_assessment", "mission"}),
            (
                EnrollmentStatus,
                {"pending_payment", "active", "suspended", "withdrawn", "completed", "incomplete"},
            ),
            (AssignmentStatus, {"pending", "active", "paused", "completed", "cancelled"}),
            (AssignmentType, {"direct", "cohort", "track"}),
            (RecipeDifficulty, {"beginner", "intermediate", "advanced"}),
            (Visibility, {"private", "unlisted", "public"}),
        ],
    )
    def test_value_sets(self, enum_type: type[enum.StrEnum], values: set[str]) -> None:
        """Each enum holds exactly the spellings the platform uses."""
        assert {m.value for m in enum_type} == values


class TestParseEnum:
    """The generic string-enum parser."""

    @pytest.mark.parametrize(
        ("enum_type", "raw", "expected"),
        [
            (Scope, "Cohort", Scope.COHORT),
            (EnrollmentStatus, "Pending Payment", EnrollmentStatus.PENDING_PAYMENT),
            (EnrollmentStatus, "pending-payment", EnrollmentStatus.PENDING_PAYMENT),
            (Visibility, " PUBLIC ", Visibility.PUBLIC),
            (AssignmentType, AssignmentType.TRACK, AssignmentType.TRACK),
        ],
    )
    def test_known_cases(self, enum_type: type[enum.StrEnum], raw: object, expected: enum.StrEnum) -> None:
        """Values parse in any case and with any separator."""
        assert parse_enum(enum_type, raw, field="f") is expected

    @pytest.mark.parametrize("raw", ["galaxy", "", 1, None, True])
    def test_unknown_raises_naming_field(self, raw: object) -> None:
        """Unknown or non-string values raise UnknownValueError listing the accepted values."""
        with pytest.raises(UnknownValueError) as info:
            parse_enum(Scope, raw, field="scope")
        assert info.value.field == "scope"
        assert info.value.expected == ("global", "org", "cohort", "track")

    @given(st.sampled_from(EnrollmentStatus))
    def test_round_trips_values(self, status: EnrollmentStatus) -> None:
        """Every member parses back from its own value and its upper-case spelling."""
        assert parse_enum(EnrollmentStatus, status.value, field="status") is status
        assert parse_enum(EnrollmentStatus, status.value.upper(), field="status") is status

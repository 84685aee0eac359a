"""The OCH row readers: directories, the batch form, and the profiler rows (sessions, results)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.och_rows_data import (
    ANSWERS,
    CURRICULUM_TRACKS,
    DEFENSIVE_CURRICULUM_ID,
    DEFENSIVE_PROGRAM_TRACK_ID,
    EAT,
    FASTAPI_QUESTIONS,
    FEB_TRACK_ID,
    LEARNER_UUID,
    QUESTIONS,
    RESULT_ROW,
    TRACKS,
    USERS,
    fastapi_session,
    session_row,
)

from profiler_core import InvalidPayloadError, InvalidValueError, ProfilerResult, ProfilerSession
from profiler_core.och import (
    RowProblem,
    TrackDirectory,
    UserDirectory,
    read_enrollment,
    read_fastapi_session,
    read_profiler_result,
    read_profiler_result_rows,
    read_profiler_session,
    read_profiler_session_rows,
    read_rows,
)
from profiler_core.testing import strategies
from profiler_core.vocabulary import SessionStatus, TrackKey

DIRECTORY = TrackDirectory.from_rows(tracks=TRACKS, curriculum_tracks=CURRICULUM_TRACKS)


def problems_of(exc: pytest.ExceptionInfo[InvalidPayloadError]) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in exc.value.problems]


class TestTrackDirectory:
    @pytest.mark.parametrize(
        ("ref", "key"),
        [
            (DEFENSIVE_CURRICULUM_ID, TrackKey.DEFENDER),
            (str(DEFENSIVE_CURRICULUM_ID).upper(), TrackKey.DEFENDER),
            (DEFENSIVE_PROGRAM_TRACK_ID, TrackKey.DEFENDER),
            ("defensive-security", TrackKey.DEFENDER),
            ("DEFENSIVE", TrackKey.DEFENDER),
            ("SOCDEFENSE", TrackKey.DEFENDER),
            ("cyber_defense", TrackKey.DEFENDER),
            ("c2ee5556-d751-48c4-9dc9-d2b0cb0f1482", TrackKey.GRC),
            ("leadership", TrackKey.LEADERSHIP),
        ],
    )
    def test_known_references_resolve(self, ref: object, key: TrackKey) -> None:
        """A track UUID (object or text, any case), slug, code, programs key or alias resolves to its key."""
        resolution = DIRECTORY.resolve(ref)
        assert (resolution.key, resolution.reason) == (key, None)

    @pytest.mark.parametrize(
        "ref",
        [FEB_TRACK_ID, "Feb", "test-track", "CLOUD", "GENERAL", uuid.UUID(int=7), "Voluptates hic magna"],
    )
    def test_unknown_references_are_reported_not_guessed(self, ref: object) -> None:
        """A junk-labelled track's id, a free label or an unknown UUID names no track: track_unresolved."""
        resolution = DIRECTORY.resolve(ref)
        assert resolution.key is None
        assert resolution.reason is not None
        assert resolution.reason.code == "track_unresolved"

    @pytest.mark.parametrize("ref", [None, "", "   "])
    def test_no_reference_is_not_a_problem(self, ref: object) -> None:
        """None or a blank reference is no reference: no key and no reason."""
        assert DIRECTORY.resolve(ref) == DIRECTORY.resolve(None)
        assert DIRECTORY.resolve(ref).reason is None

    def test_a_reference_two_rows_give_different_tracks_is_ambiguous(self) -> None:
        """A name that one row gives defender and another grc names neither (track_ambiguous)."""
        directory = TrackDirectory.from_rows(
            tracks=[{"id": uuid.uuid4(), "key": "risk"}],
            curriculum_tracks=[{"id": uuid.uuid4(), "slug": "defender", "code": "RISK"}],
        )
        resolution = directory.resolve("Risk")
        assert resolution.key is None
        assert resolution.reason is not None
        assert resolution.reason.code == "track_ambiguous"

    def test_a_directory_entry_wins_over_the_alias_table(self) -> None:
        """A code the host maps (CLOUD -> innovation) resolves as the host says, not by the alias table."""
        directory = TrackDirectory.from_keys({"CLOUD": TrackKey.INNOVATION})
        assert directory.key("cloud") is TrackKey.INNOVATION

    def test_merge_keeps_both_directories(self) -> None:
        """Merging the programs and curriculum directories resolves either's references."""
        merged = TrackDirectory.from_tracks(TRACKS).merge(
            TrackDirectory.from_curriculum_tracks(CURRICULUM_TRACKS)
        )
        assert (
            merged.key(DEFENSIVE_PROGRAM_TRACK_ID) is merged.key(DEFENSIVE_CURRICULUM_ID) is TrackKey.DEFENDER
        )


class TestUserDirectory:
    USERS_DIRECTORY = UserDirectory.from_users(USERS)

    @pytest.mark.parametrize("ref", [16, "16", LEARNER_UUID, str(LEARNER_UUID).upper()])
    def test_every_form_of_a_users_key_is_one_learner_id(self, ref: object) -> None:
        """users.id as int or text and users.uuid_id as UUID or text all give the learner id '16'."""
        assert self.USERS_DIRECTORY.learner_id(ref) == "16"

    def test_an_unknown_uuid_is_reported(self) -> None:
        """A uuid_id the directory does not know is user_unresolved, never kept as another id."""
        resolution = self.USERS_DIRECTORY.resolve(uuid.UUID(int=1))
        assert resolution.user_id is None
        assert resolution.reason is not None
        assert resolution.reason.code == "user_unresolved"

    def test_one_uuid_with_two_ids_is_rejected(self) -> None:
        """Two users rows giving one uuid_id two different ids are refused when the directory is built."""
        with pytest.raises(InvalidValueError):
            UserDirectory.from_users([{"id": 1, "uuid_id": LEARNER_UUID}, {"id": 2, "uuid_id": LEARNER_UUID}])


class TestBatch:
    def test_one_bad_row_is_reported_and_the_others_are_read(self) -> None:
        """A batch keeps the good rows' values and lists the bad row's index, id, path and code."""
        rows: list[object] = [
            {"id": "e-1", "user_id": 16, "cohort_id": "c-1", "status": "active"},
            {"id": "e-2", "user_id": 17, "cohort_id": "c-1", "status": "secret-status-value"},
            "not a row",
            {"id": "e-4", "user_id": 18, "cohort_id": "c-1", "status": "completed"},
        ]
        batch = read_rows(rows, read_enrollment)
        assert [e.user_id for e in batch.values] == ["16", "18"]
        assert batch.problems == (
            RowProblem(index=1, row_id="e-2", path="$.status", code="unknown_value"),
            RowProblem(index=2, row_id=None, path="$", code="not_an_object"),
        )
        assert batch.rejected == 2

    def test_problems_never_carry_the_rows_values(self) -> None:
        """A row problem holds its index, id, path and code only: the offending value appears nowhere."""
        batch = read_profiler_session_rows([session_row(behavioral_responses={"why_cyber": 12345678})])
        assert batch.problems == (
            RowProblem(
                index=0,
                row_id=str(session_row()["id"]),
                path="$.behavioral_responses.why_cyber",
                code="not_a_string",
            ),
        )
        assert "12345678" not in repr(batch)

    def test_notes_are_counted_by_code(self) -> None:
        """warning_counts counts every note of the batch by its code."""
        rows = [
            session_row(recommended_track_id=FEB_TRACK_ID),
            session_row(recommended_track_id=uuid.UUID(int=3)),
        ]
        batch = read_profiler_session_rows(rows, tracks=DIRECTORY)
        assert dict(batch.warning_counts) == {"track_unresolved": 2, "recommended_track_from_alignment": 2}
        assert [n.index for n in batch.notes] == [0, 0, 1, 1]
        assert [(u.index, u.path, u.value) for u in batch.unknown] == [
            (0, "$.recommended_track_id", str(FEB_TRACK_ID)),
            (1, "$.recommended_track_id", str(uuid.UUID(int=3))),
        ]


class TestProfilerSessionRow:
    def test_a_completed_row_reads_as_the_platform_means_it(self) -> None:
        """Every column the library reads comes from where the platform keeps it."""
        read = read_profiler_session(session_row(), tracks=DIRECTORY, questions=QUESTIONS, answers=ANSWERS)
        session = read.value
        assert read.notes == ()
        assert session.id == "0b6c7a52-3c1e-4f5e-9d59-0c3f8f1d2a10"
        assert session.user_id == "16"
        assert session.status is SessionStatus.LOCKED
        assert session.completed_at == dt.datetime(2026, 2, 7, 8, 25, tzinfo=EAT)
        assert session.aptitude_score == 72.5
        assert session.technical_exposure_score == 40.0
        assert session.track_confidence == 0.85
        assert session.recommended_track is TrackKey.DEFENDER
        assert session.reflection.why_cyber == "I enjoy solving puzzles and protecting people."
        assert session.reflection.what_achieve == "Become a SOC analyst within two years."
        assert dict(session.behavioral_profile.traits) == {"teamwork": 7.5, "communication": 4.0}
        assert session.anti_cheat_flags == ("too_fast", "identical_responses")
        assert session.anti_cheat_score == 12.0
        assert [(r.question_id, r.text) for r in session.identity_responses] == [
            (str(ANSWERS[0]["question_id"]), "Vigilance and protection - being the first line of defense")
        ]

    @pytest.mark.parametrize(
        ("status", "is_locked", "expected"),
        [
            ("finished", True, SessionStatus.LOCKED),
            ("in_progress", True, SessionStatus.LOCKED),
            ("finished", False, SessionStatus.FINISHED),
            ("behavioral_complete", False, SessionStatus.BEHAVIORAL_COMPLETE),
            ("finished", None, SessionStatus.FINISHED),
        ],
    )
    def test_is_locked_wins_over_status(
        self, status: str, is_locked: bool | None, expected: SessionStatus
    ) -> None:
        """A locked row is a locked session whatever its status column says."""
        assert read_profiler_session(session_row(status=status, is_locked=is_locked)).value.status is expected

    def test_dump_text_timestamps_with_short_offsets_read(self) -> None:
        """PostgreSQL's text '2026-02-07 18:55:58.003432+03' is read with its +03:00 offset."""
        row = session_row(completed_at="2026-02-07 18:55:58.003432+03", started_at="2026-02-07 18:00:00+03")
        session = read_profiler_session(row).value
        assert session.completed_at == dt.datetime(2026, 2, 7, 18, 55, 58, 3432, tzinfo=EAT)
        assert session.started_at is not None
        assert session.started_at.utcoffset() == dt.timedelta(hours=3)

    @pytest.mark.parametrize(
        ("changes", "user_track_key", "expected", "notes"),
        [
            ({}, None, TrackKey.DEFENDER, []),
            (
                {"recommended_track_id": FEB_TRACK_ID},
                None,
                TrackKey.DEFENDER,
                ["track_unresolved", "recommended_track_from_alignment"],
            ),
            ({"recommended_track_id": None}, None, TrackKey.DEFENDER, ["recommended_track_from_alignment"]),
            (
                {"recommended_track_id": None, "track_alignment_percentages": {"defender": 80, "grc": 80}},
                "leadership",
                TrackKey.LEADERSHIP,
                ["recommended_track_from_user"],
            ),
            ({"recommended_track_id": None, "track_alignment_percentages": {}}, None, None, []),
            (
                {"recommended_track_id": None, "track_alignment_percentages": {}},
                "Feb",
                None,
                ["unknown_track"],
            ),
        ],
    )
    def test_recommended_track_order(
        self,
        changes: dict[str, object],
        user_track_key: str | None,
        expected: TrackKey | None,
        notes: list[str],
    ) -> None:
        """recommended_track_id via the directory, else the one top alignment, else users.track_key; noted."""
        read = read_profiler_session(session_row(**changes), tracks=DIRECTORY, user_track_key=user_track_key)
        assert read.value.recommended_track is expected
        assert [n.code for n in read.notes] == notes

    def test_a_track_id_without_a_directory_is_noted(self) -> None:
        """Without a track directory the session's track UUID is reported unresolved, never guessed."""
        read = read_profiler_session(session_row(track_alignment_percentages={}))
        assert read.value.recommended_track is None
        assert [n.code for n in read.notes] == ["track_unresolved"]

    @pytest.mark.parametrize(
        ("options", "letter", "text"),
        [
            (["First", "Second"], "B", "Second"),
            (["First", "Second"], "b", "Second"),
            ([{"value": "A", "text": "One"}, {"value": "B", "text": "Two"}], "A", "One"),
        ],
    )
    def test_identity_letters_resolve_through_the_questions_options(
        self, options: list[object], letter: str, text: str
    ) -> None:
        """An identity letter becomes its option's text (plain options by position, objects by value)."""
        question = {**QUESTIONS[0], "options": options}
        answer = {**ANSWERS[0], "answer": {"value": letter}}
        read = read_profiler_session(session_row(), tracks=DIRECTORY, questions=[question], answers=[answer])
        assert [r.text for r in read.value.identity_responses] == [text]

    @pytest.mark.parametrize("letter", ["E", "", None, 3])
    def test_an_identity_letter_no_option_names_is_noted_and_not_used(self, letter: object) -> None:
        """A letter outside the options is noted (identity_answer_unresolved); nothing is invented."""
        answer = {**ANSWERS[0], "answer": {"value": letter}}
        read = read_profiler_session(session_row(), tracks=DIRECTORY, questions=QUESTIONS, answers=[answer])
        assert read.value.identity_responses == ()
        assert [n.code for n in read.notes] == ["identity_answer_unresolved"]

    def test_answers_to_other_modules_are_not_identity_answers(self) -> None:
        """Only answers to identity_value questions become identity responses."""
        read = read_profiler_session(
            session_row(), tracks=DIRECTORY, questions=QUESTIONS, answers=ANSWERS[1:]
        )
        assert read.value.identity_responses == ()

    @pytest.mark.parametrize(
        ("changes", "expected"),
        [
            (
                {"behavioral_responses": {"why_cyber": 5}},
                [("$.behavioral_responses.why_cyber", "not_a_string")],
            ),
            ({"behavioral_responses": ["why_cyber"]}, [("$.behavioral_responses", "not_an_object")]),
            ({"suspicious_patterns": "too_fast"}, [("$.suspicious_patterns", "not_a_list")]),
            ({"is_locked": "yes"}, [("$.is_locked", "not_a_boolean")]),
            ({"completed_at": dt.datetime(2026, 2, 7, 8, 25)}, [("$.completed_at", "naive_timestamp")]),
            ({"aptitude_score": "85.5e1"}, [("$.aptitude_score", "not_a_number")]),
            ({"aptitude_score": Decimal("100.01")}, [("$.aptitude_score", "out_of_range")]),
            (
                {"track_alignment_percentages": {"defender": "101"}},
                [("$.track_alignment_percentages.defender", "out_of_range")],
            ),
            ({"user_id": None}, [("$.user_id", "invalid_value")]),
            ({"is_locked": False, "status": "paused"}, [("$.status", "unknown_value")]),
            (
                {"behavioral_responses": {"what_achieve": []}, "anti_cheat_score": "-1"},
                [
                    ("$.anti_cheat_score", "out_of_range"),
                    ("$.behavioral_responses.what_achieve", "not_a_string"),
                ],
            ),
        ],
    )
    def test_bad_rows_name_the_real_column(
        self, changes: dict[str, object], expected: list[tuple[str, str]]
    ) -> None:
        """Every problem of a bad row is reported at the platform's column, with its code."""
        with pytest.raises(InvalidPayloadError) as exc:
            read_profiler_session(session_row(**changes), tracks=DIRECTORY)
        assert sorted(problems_of(exc)) == sorted(expected)
        assert exc.value.type_name == "profilersessions"


class TestFastApiSession:
    def test_the_service_session_reads_as_the_service_means_it(self) -> None:
        """Status from completed_at, naive times as UTC, scores as alignment, raw exposure converted."""
        read = read_fastapi_session(fastapi_session(), questions=FASTAPI_QUESTIONS)
        session = read.value
        assert read.notes == ()
        assert session.status is SessionStatus.FINISHED
        assert session.user_id == "16"
        assert session.completed_at == dt.datetime(2026, 2, 7, 8, 25, tzinfo=dt.UTC)
        assert dict(session.track_alignment_percentages) == {TrackKey.DEFENDER: 78.0, TrackKey.GRC: 55.0}
        assert session.recommended_track is TrackKey.DEFENDER
        assert (session.technical_exposure_score, session.technical_exposure_answered) == (50.0, 10)
        assert session.difficulty_selection == "intermediate"
        assert session.reflection.why_cyber == "To protect people."
        assert [r.text for r in session.identity_responses] == [
            "Vigilance and protection - being the first line of defense"
        ]

    @pytest.mark.parametrize(
        ("changes", "status"),
        [
            ({"completed_at": None}, SessionStatus.IN_PROGRESS),
            ({"completed_at": None, "responses": []}, SessionStatus.STARTED),
        ],
    )
    def test_status_comes_from_progress(self, changes: dict[str, object], status: SessionStatus) -> None:
        """Without completed_at a session with responses is in progress, one without is started."""
        body = fastapi_session(**changes, telemetry={})
        assert read_fastapi_session(body).value.status is status

    def test_identity_answers_without_the_questions_are_noted(self) -> None:
        """Without the host's questions an identity_ answer's letter cannot be read: noted, not used."""
        read = read_fastapi_session(fastapi_session())
        assert read.value.identity_responses == ()
        assert [n.code for n in read.notes] == ["identity_answer_unresolved"]

    @pytest.mark.parametrize(
        ("changes", "expected"),
        [
            (
                {"telemetry": {"technical_exposure_score": 40}},
                [("$.telemetry.technical_exposure_score", "out_of_range")],
            ),
            (
                {"telemetry": {"technical_exposure_score": "x"}},
                [("$.telemetry.technical_exposure_score", "not_an_integer")],
            ),
            (
                {"reflection_responses": {"why_cyber": 1}},
                [("$.reflection_responses.why_cyber", "not_a_string")],
            ),
            ({"scores": {"defender": 140}}, [("$.scores.defender", "out_of_range")]),
            ({"suspicious_patterns": [1]}, [("$.suspicious_patterns[0]", "not_a_string")]),
            (
                {"difficulty_verification": {"selected_difficulty": 3}},
                [("$.difficulty_verification.selected_difficulty", "not_a_string")],
            ),
            ({"completed_at": "2026-02-07"}, [("$.completed_at", "naive_timestamp")]),
            (
                {"responses": [{"selected_option": "A"}], "telemetry": {}},
                [("$.responses[0].question_id", "not_a_string")],
            ),
        ],
    )
    def test_bad_sessions_name_the_services_field(
        self, changes: dict[str, object], expected: list[tuple[str, str]]
    ) -> None:
        """Every problem of a bad service session is reported at the service's own field."""
        with pytest.raises(InvalidPayloadError) as exc:
            read_fastapi_session(fastapi_session(**changes))
        assert sorted(problems_of(exc)) == sorted(expected)


class TestProfilerResultRow:
    def test_both_breakdown_shapes_read(self) -> None:
        """The counts shape complete_profiling writes and the plain number both read; Decimals are numbers."""
        result = read_profiler_result(RESULT_ROW).value
        assert result.session_id == str(RESULT_ROW["session_id"])
        assert result.overall_score == 68.1
        assert result.aptitude_breakdown["networking"].score == 75.0
        assert result.aptitude_breakdown["networking"].evidence == 4
        assert result.aptitude_breakdown["cryptography"].score == 35.0

    def test_a_bad_row_in_a_batch_names_its_category(self) -> None:
        """A breakdown entry over 100 is reported at $.aptitude_breakdown.<category>; the good row reads."""
        bad = {**RESULT_ROW, "id": "r-2", "aptitude_breakdown": {"web": "140"}}
        batch = read_profiler_result_rows([RESULT_ROW, bad])
        assert len(batch.values) == 1
        assert [(p.index, p.row_id, p.path, p.code) for p in batch.problems] == [
            (1, "r-2", "$.aptitude_breakdown.web", "out_of_range")
        ]


# --- round trips: a library value written as a real row reads back as the same value ---


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _as_django_row(
    session: ProfilerSession, track_ids: dict[TrackKey, uuid.UUID]
) -> tuple[dict[str, object], list[dict[str, object]], list[dict[str, object]]]:
    """*session* as the platform stores it: a profilersessions row, its identity questions and answers."""
    questions: list[dict[str, object]] = [
        {"id": r.question_id, "category": "identity_value", "options": [r.text]}
        for r in session.identity_responses
    ]
    answers: list[dict[str, object]] = [
        {"question_id": r.question_id, "answer": {"value": "A"}} for r in session.identity_responses
    ]
    profile = session.behavioral_profile
    row: dict[str, object] = {
        "id": session.id,
        "user_id": session.user_id,
        "status": "finished" if session.status is SessionStatus.LOCKED else session.status.value,
        "is_locked": session.status is SessionStatus.LOCKED,
        "started_at": session.started_at,
        "completed_at": session.completed_at,
        "difficulty_selection": ""
        if session.difficulty_selection is None
        else session.difficulty_selection.value,
        "aptitude_score": _decimal(session.aptitude_score),
        "technical_exposure_score": _decimal(session.technical_exposure_score),
        "behavioral_profile": {
            "traits": dict(profile.traits),
            "strengths": list(profile.strengths),
            "areas_for_growth": list(profile.areas_for_growth),
        },
        "strengths": list(session.strengths),
        "recommended_track_id": None
        if session.recommended_track is None
        else track_ids[session.recommended_track],
        "track_confidence": _decimal(session.track_confidence),
        "track_alignment_percentages": {k.value: v for k, v in session.track_alignment_percentages.items()},
        "behavioral_responses": {
            "q-1": 3,
            **{k: v for k, v in attrs.asdict(session.reflection).items() if v is not None},
        },
        "suspicious_patterns": list(session.anti_cheat_flags),
        "anti_cheat_score": _decimal(session.anti_cheat_score),
    }
    return row, questions, answers


TRACK_IDS = {key: uuid.uuid5(uuid.NAMESPACE_URL, key.value) for key in TrackKey}
ROUND_TRIP_DIRECTORY = TrackDirectory.from_rows(
    curriculum_tracks=[{"id": i, "slug": k.value, "code": k.value.upper()} for k, i in TRACK_IDS.items()]
)


@st.composite
def storable_sessions(draw: st.DrawFn) -> ProfilerSession:
    """Sessions as the Django table holds them: a percentage exposure, identity answers on distinct questions.

    The platform stores a recommended track whenever it stores alignment percentages.
    """
    session = draw(strategies.sessions())
    responses = draw(
        st.lists(strategies.identity_responses(), max_size=3, unique_by=lambda r: r.question_id.strip())
    )
    track = session.recommended_track
    if track is None and session.track_alignment_percentages:
        track = draw(st.sampled_from(TrackKey))
    return attrs.evolve(
        session,
        technical_exposure_answered=None,
        identity_responses=tuple(responses),
        recommended_track=track,
    )


class TestRoundTrip:
    @given(storable_sessions())
    def test_a_session_written_as_a_row_reads_back_equal(self, session: ProfilerSession) -> None:
        """A generated session stored as a profilersessions row (with its answers) reads back equal."""
        row, questions, answers = _as_django_row(session, TRACK_IDS)
        read = read_profiler_session(row, tracks=ROUND_TRIP_DIRECTORY, questions=questions, answers=answers)
        assert read.value == session

    @given(strategies.results())
    def test_a_result_written_as_a_row_reads_back_equal(self, result: ProfilerResult) -> None:
        """A generated result stored as a profilerresults row (Decimals, both breakdown shapes) reads back."""
        breakdown = {
            k: (v.score if v.total is None else {"correct": v.correct, "total": v.total, "points": v.points})
            for k, v in result.aptitude_breakdown.items()
        }
        row = {
            "id": uuid.uuid4(),
            "session_id": result.session_id,
            "user_id": "16",
            "overall_score": _decimal(result.overall_score),
            "aptitude_score": _decimal(result.aptitude_score),
            "behavioral_score": _decimal(result.behavioral_score),
            "aptitude_breakdown": breakdown,
            "behavioral_traits": dict(result.behavioral_traits),
            "strengths": list(result.strengths),
            "areas_for_growth": list(result.areas_for_growth),
        }
        assert read_profiler_result(row).value == result

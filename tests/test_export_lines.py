"""The analytics command's line reader (profiler_core._export_lines) agrees with the wire edge exactly."""

from __future__ import annotations

import json
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from profiler_core._export_lines import (
    ENROLLMENT_KEYS,
    RESULT_KEYS,
    SESSION_KEYS,
    enrollment_fields,
    result_fields,
    session_fields,
)
from profiler_core.cli_analytics import LineProblem, read_export
from profiler_core.errors import InvalidPayloadError
from profiler_core.models import Enrollment, ProfilerResult, ProfilerSession
from profiler_core.serialization import structure

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 105),
    st.floats(-1, 101, allow_nan=False),
    st.sampled_from(
        [
            "",
            " ",
            "85.50",
            "1e3",
            "s-1",
            "10",
            "6F9619FF-8B86-D011-B42D-00C04FC964FF",
            "finished",
            "FINISHED",
            "locked",
            "in_progress",
            "active",
            "Active",
            "withdrawn",
            "elite",
            "Elite",
            "red_team",
            "grc",
            "2026-01-01T00:00:00Z",
            "2026-01-01T00:00:00",
            "2026-02-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00",
            " 2026-01-01T00:00:00Z",
        ]
    ),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(st.one_of(st.text(max_size=4), SCALARS), max_size=3),
    st.dictionaries(st.sampled_from(["raw", "answered", "x"]), st.integers(-1, 40), max_size=2),
)


def payloads(keys: tuple[str, ...]) -> st.SearchStrategy[object]:
    """Dicts over the read keys (and one unread key), or any JSON value."""
    return st.one_of(
        st.dictionaries(st.sampled_from([*keys, "reflection"]), VALUES, max_size=len(keys) + 1),
        SCALARS,
    )


def outcome(read: Callable[[object], object], data: object) -> object:
    """What reading *data* gives: the fields, or the error's log-safe problems."""
    try:
        return read(data)
    except InvalidPayloadError as exc:
        return ("error", [p.log_safe() for p in exc.problems])


def slim(data: object, keys: tuple[str, ...]) -> object:
    return {k: v for k, v in data.items() if k in keys} if isinstance(data, dict) else data


def session_by_structure(data: object) -> object:
    s = structure(slim(data, SESSION_KEYS), ProfilerSession)
    return (
        s.id,
        s.user_id,
        s.status.value,
        s.completed_at,
        s.difficulty_selection.value if s.difficulty_selection else None,
        s.recommended_track.value if s.recommended_track else None,
        s.aptitude_score,
        s.technical_exposure_score,
        s.strengths,
    )


def result_by_structure(data: object) -> object:
    r = structure(slim(data, RESULT_KEYS), ProfilerResult)
    return (r.session_id, r.overall_score, r.aptitude_score, r.strengths)


def enrollment_by_structure(data: object) -> object:
    e = structure(slim(data, ENROLLMENT_KEYS), Enrollment)
    return (e.user_id, e.cohort_id, e.status.value)


class TestFastPathEqualsTheWireEdge:
    @given(payloads(SESSION_KEYS))
    def test_session_fields(self, data: object) -> None:
        """A session line gives the fields (or the error) structure() gives on the fields read."""
        assert outcome(session_fields, data) == outcome(session_by_structure, data)

    @given(payloads(RESULT_KEYS))
    def test_result_fields(self, data: object) -> None:
        """A result line gives the fields (or the error) structure() gives on the fields read."""
        assert outcome(result_fields, data) == outcome(result_by_structure, data)

    @given(payloads(ENROLLMENT_KEYS))
    def test_enrollment_fields(self, data: object) -> None:
        """An enrollment line gives the fields (or the error) structure() gives."""
        assert outcome(enrollment_fields, data) == outcome(enrollment_by_structure, data)

    def test_common_spellings_take_the_fast_path_with_the_edge_values(self) -> None:
        """Canonical UUID text, ints as ids, int scores and offsets read as the wire edge reads them."""
        line = json.loads(
            '{"id": 7, "user_id": "6F9619FF-8B86-D011-B42D-00C04FC964FF", "status": "locked",'
            ' "completed_at": "2026-02-01T00:30:00+01:00", "aptitude_score": 85, "strengths": ["web"],'
            ' "reflection": {"why_cyber": 3}}'
        )
        fields = session_fields(line)
        assert fields[:3] == ("7", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "locked")
        assert fields[3] is not None
        assert fields[3].isoformat() == "2026-02-01T00:30:00+01:00"
        assert fields[6:] == (85.0, None, ("web",))


class TestFieldsNotRead:
    def test_a_field_no_report_reads_neither_counts_nor_fails(self) -> None:
        """A session whose reflection and behavioral profile are malformed still counts: they are not read."""
        problems: list[LineProblem] = []
        export = read_export(
            cohorts=("c", ['{"id": "c1", "name": "A"}']),
            enrollments=("e", ['{"user_id": "u-1", "cohort_id": "c1", "status": "active"}']),
            sessions=(
                "s",
                [
                    '{"id": "s-1", "user_id": "u-1", "status": "finished", "aptitude_score": 70,'
                    ' "reflection": 5, "behavioral_profile": [1], "identity_responses": "x"}'
                ],
            ),
            on_problem=problems.append,
        )
        stats = export.partial.stats_for("c1")
        assert (problems, stats.profiled, stats.aptitude.count) == ([], 1, 1)

    def test_a_bad_field_that_is_read_is_still_a_bad_line(self) -> None:
        """A malformed field the reports read is reported with the wire edge's path and code."""
        problems: list[LineProblem] = []
        read_export(
            cohorts=("c", ['{"id": "c1", "name": "A"}']),
            enrollments=("e", ['{"user_id": "u-1", "cohort_id": "c1", "status": "active"}']),
            sessions=(
                "s",
                ['{"id": "s-1", "user_id": "u-1", "status": "finished", "aptitude_score": "1e2"}'],
            ),
            on_problem=problems.append,
        )
        assert [str(p) for p in problems] == ["s:1: invalid_payload: $.aptitude_score: not_a_number"]

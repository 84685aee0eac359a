"""och.read_fastapi_sync: the FastAPI profiling service's sync body (C's and V's) as the values it carries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from profiler_core import InvalidPayloadError, SessionStatus, TrackKey
from profiler_core.och import read_fastapi_sync

#: cresdynamics-lang/och's body (its fields only).
C_BODY: dict[str, object] = {
    "user_id": 16,
    "session_id": "0b6c7a52-3c1e-4f5e-9d59-0c3f8f1d2a10",
    "completed_at": "2026-02-07T08:25:00",
    "primary_track": "defender",
    "recommendations": [
        {"track_key": "defender", "score": 78.0, "reasoning": "..."},
        {"track_key": "GRC", "score": "55.50"},
    ],
}
#: vickie25/och's body: C's plus the result's fields.
V_BODY: dict[str, object] = {
    **C_BODY,
    "scores": {"overall": 71.5, "aptitude": 68.0, "behavioral": 74.0},
    "aptitude_breakdown": {"networking": {"correct": 3, "total": 4, "points": 3}},
    "behavioral_traits": {"teamwork": 80.0},
    "strengths": ["teamwork"],
    "areas_for_growth": ["Improve networking skills"],
}


class TestCBody:
    def test_session_only(self) -> None:
        """C's body: a locked session with alignment, recommended track, UTC completion; no result."""
        read = read_fastapi_sync(C_BODY)
        session = read.value.session
        assert read.value.result is None
        assert session.id == "0b6c7a52-3c1e-4f5e-9d59-0c3f8f1d2a10"
        assert session.user_id == "16"
        assert session.status is SessionStatus.LOCKED
        assert session.completed_at == datetime(2026, 2, 7, 8, 25, tzinfo=UTC)
        assert session.recommended_track is TrackKey.DEFENDER
        assert dict(session.track_alignment_percentages) == {TrackKey.DEFENDER: 78.0, TrackKey.GRC: 55.5}
        assert read.notes == ()


class TestVBody:
    def test_session_and_result(self) -> None:
        """V's body also gives the result, and the session's aptitude score and strengths."""
        read = read_fastapi_sync(V_BODY)
        session, result = read.value.session, read.value.result
        assert result is not None
        assert (result.overall_score, result.aptitude_score, result.behavioral_score) == (71.5, 68.0, 74.0)
        assert result.session_id == session.id
        assert result.aptitude_breakdown["networking"].score == 75.0
        assert dict(result.behavioral_traits) == {"teamwork": 80.0}
        assert result.areas_for_growth == ("Improve networking skills",)
        assert session.aptitude_score == 68.0
        assert session.strengths == ("teamwork",)

    def test_missing_scores_stay_absent(self) -> None:
        """Only an overall score: aptitude and behavioral stay None (never copied from the overall)."""
        result = read_fastapi_sync({**C_BODY, "scores": {"overall": 60}}).value.result
        assert result is not None
        assert (result.overall_score, result.aptitude_score, result.behavioral_score) == (60.0, None, None)

    def test_top_level_fallbacks(self) -> None:
        """overall_score / aptitude_score at the top level are read when scores lacks them."""
        read = read_fastapi_sync({**C_BODY, "overall_score": "64.00", "aptitude_score": 52})
        assert read.value.result is not None
        assert read.value.result.overall_score == 64.0
        assert read.value.session.aptitude_score == 52.0

    def test_scores_without_overall_give_no_result(self) -> None:
        """No overall score: no result, whatever else the body holds."""
        assert read_fastapi_sync({**C_BODY, "scores": {"aptitude": 50}}).value.result is None


class TestAlignmentEntries:
    def test_track_fallback_unknown_and_blank(self) -> None:
        """``track`` stands in for track_key; an unknown track is noted and kept; a blank one is noted."""
        read = read_fastapi_sync(
            {
                **C_BODY,
                "recommendations": [
                    {"track": "Offensive", "score": 40},
                    {"track_key": "cloud", "score": 90},
                    {"track_key": " ", "score": 10},
                ],
            }
        )
        assert dict(read.value.session.track_alignment_percentages) == {TrackKey.OFFENSIVE: 40.0}
        assert [n.code for n in read.notes] == ["unknown_track", "alignment_entry_skipped"]
        assert dict(read.unknown) == {"$.recommendations[1].track_key": "cloud"}


class TestProblems:
    @pytest.mark.parametrize(
        ("changes", "paths"),
        [
            ({"recommendations": [{"track_key": "grc", "score": 120}]}, ["$.recommendations[0].score"]),
            ({"completed_at": "yesterday"}, ["$.completed_at"]),
            ({"session_id": None}, ["$.session_id"]),
            ({"scores": {"overall": 101}}, ["$.scores.overall"]),
            ({"recommendations": "defender"}, ["$.recommendations"]),
        ],
    )
    def test_every_problem_at_the_body_path(self, changes: dict[str, object], paths: list[str]) -> None:
        """A bad body raises InvalidPayloadError naming the body's own paths."""
        with pytest.raises(InvalidPayloadError) as caught:
            read_fastapi_sync({**C_BODY, **changes})
        assert [p.path for p in caught.value.problems] == paths

"""The OCH FastAPI profiling service's bodies: a session without scores, and the sync body (issue 13)."""

from __future__ import annotations

from tests.och_rows_data import fastapi_session

from profiler_core.och import read_fastapi_session


class TestSessionWithoutScores:
    """``scores: null`` is what the service sends for a session without scores (in progress)."""

    def test_null_scores_read_as_no_alignment(self) -> None:
        """A session whose ``scores`` is null reads, with no alignment percentages (regression)."""
        body = fastapi_session(scores=None, completed_at=None)
        session = read_fastapi_session(body).value
        assert dict(session.track_alignment_percentages) == {}
        assert session.status.value == "in_progress"

    def test_scores_still_read_when_present(self) -> None:
        """A scored session keeps its alignment percentages beside the null case."""
        session = read_fastapi_session(fastapi_session()).value
        assert {k.value: v for k, v in session.track_alignment_percentages.items()} == {
            "defender": 78.0,
            "grc": 55.0,
        }

"""The profiling service's sync route: server-to-server, stores the summary's session and result."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from fastapi.testclient import TestClient
from fastapi_host.db import connect
from fastapi_och_fixtures import service_session

SYNC = "/api/v1/profiler/sync-fastapi"
COMPLETIONS = "/api/v1/profiler/completions"

#: cresdynamics-lang/och's body.
C_BODY: dict[str, object] = {
    "user_id": "learner-006",
    "session_id": "sync-s-1",
    "completed_at": "2026-02-07T08:25:00",
    "primary_track": "defender",
    "recommendations": [{"track_key": "defender", "score": 78.0}, {"track_key": "GRC", "score": 55}],
}
#: vickie25/och's body: C's plus the result's fields.
V_BODY: dict[str, object] = {
    **C_BODY,
    "session_id": "sync-s-2",
    "scores": {"overall": 71.5, "aptitude": 68.0},
    "strengths": ["teamwork"],
    "areas_for_growth": ["Improve networking skills"],
}


def row(db_path: Path, table: str, key: str, value: str) -> dict[str, object] | None:
    """One stored row, straight from the table."""
    with closing(connect(db_path)) as connection:
        found = connection.execute(f"SELECT * FROM {table} WHERE {key} = ?", (value,)).fetchone()
    return None if found is None else dict(found)


class TestSync:
    def test_learner_credential_is_403(self, client: TestClient, db_path: Path) -> None:
        """A learner cannot post a sync (their own scores): 403, nothing stored."""
        response = client.post(SYNC, json=C_BODY, headers={"X-User-Id": "learner-006"})
        assert response.status_code == 403
        assert row(db_path, "profiler_sessions", "id", "sync-s-1") is None

    def test_c_body_stores_a_locked_session_and_no_result(
        self, client: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """C's body: the session is stored locked with its completion in UTC; no result row."""
        response = client.post(SYNC, json=C_BODY, headers=as_service)
        assert response.status_code == 200
        assert response.json() == {"session_id": "sync-s-1", "session": "stored", "result": "none"}
        stored = row(db_path, "profiler_sessions", "id", "sync-s-1")
        assert stored is not None
        assert stored["status"] == "locked"
        assert stored["user_id"] == "learner-006"
        assert row(db_path, "profiler_results", "session_id", "sync-s-1") is None

    def test_v_body_stores_the_result_without_defaulted_scores(
        self, client: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """V's body: the result is stored; the behavioral score it lacks stays null; again is unchanged."""
        first = client.post(SYNC, json=V_BODY, headers=as_service)
        assert first.json() == {"session_id": "sync-s-2", "session": "stored", "result": "stored"}
        result = row(db_path, "profiler_results", "session_id", "sync-s-2")
        assert result is not None
        assert (result["overall_score"], result["aptitude_score"], result["behavioral_score"]) == (
            71.5,
            68.0,
            None,
        )
        again = client.post(SYNC, json=V_BODY, headers=as_service)
        assert again.json() == {"session_id": "sync-s-2", "session": "unchanged", "result": "unchanged"}

    def test_other_scores_for_a_stored_result_is_409(
        self, client: TestClient, as_service: dict[str, str]
    ) -> None:
        """A second sync with other scores for the same session is 409 result_already_stored."""
        client.post(SYNC, json=V_BODY, headers=as_service)
        changed = {**V_BODY, "scores": {"overall": 20}}
        response = client.post(SYNC, json=changed, headers=as_service)
        assert response.status_code == 409
        assert response.json()["code"] == "result_already_stored"

    def test_bad_body_is_400_at_the_body_paths(self, client: TestClient, as_service: dict[str, str]) -> None:
        """A bad score and a bad time are listed at the body's own paths."""
        bad = {**C_BODY, "completed_at": "soon", "recommendations": [{"track_key": "grc", "score": 300}]}
        response = client.post(SYNC, json=bad, headers=as_service)
        assert response.status_code == 400
        assert sorted(e["path"] for e in response.json()["errors"]) == [
            "$.completed_at",
            "$.recommendations[0].score",
        ]

    def test_unknown_track_is_a_note(self, client: TestClient, as_service: dict[str, str]) -> None:
        """A recommendation for a track the library does not know is listed in X-Profiler-Notes."""
        body = {**C_BODY, "recommendations": [{"track_key": "cloud", "score": 90}]}
        response = client.post(SYNC, json=body, headers=as_service)
        assert response.status_code == 200
        assert response.headers["X-Profiler-Notes"] == "unknown_track"

    def test_after_the_full_completion_the_session_is_kept(
        self, client: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """A sync after the completion route stored the full session keeps that session, adds the result."""
        full = service_session("learner-006", "sync-s-3", difficulty="intermediate", exposure=20)
        assert client.post(COMPLETIONS, json=full, headers=as_service).status_code == 200
        before = row(db_path, "profiler_sessions", "id", "sync-s-3")
        response = client.post(SYNC, json={**V_BODY, "session_id": "sync-s-3"}, headers=as_service)
        assert response.json() == {"session_id": "sync-s-3", "session": "kept", "result": "stored"}
        assert row(db_path, "profiler_sessions", "id", "sync-s-3") == before

    def test_another_learners_session_is_409(self, client: TestClient, as_service: dict[str, str]) -> None:
        """A sync naming another learner's stored session is 409 session_owner_conflict."""
        response = client.post(SYNC, json={**C_BODY, "session_id": "session-002-2"}, headers=as_service)
        assert response.status_code == 409
        assert response.json()["code"] == "session_owner_conflict"

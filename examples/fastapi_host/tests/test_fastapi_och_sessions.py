"""The OCH FastAPI profiling service's real session JSON in, the value statement the frontend reads out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fastapi_host import create_app
from fastapi_host.db import connect
from fastapi_och_fixtures import SESSION_16, add_och_users, service_session

from profiler_core.demo.sample import SamplePlatform

COMPLETIONS = "/api/v1/profiler/completions"
STATEMENT = "/api/v1/profiler/value-statement"
SID = "0b6c7a52-3c1e-4f5e-9d59-0c3f8f1d2a10"


@pytest.fixture
def och(db_path: Path, platform: SamplePlatform, as_service: dict[str, str]) -> Iterator[TestClient]:
    """The sample host with the OCH users 16 and 28 added."""
    with closing(connect(db_path)) as connection:
        add_och_users(connection)
    app = create_app(db_path, clock=lambda: platform.now, service_token="test-profiling-service-token")
    with TestClient(app) as client:
        yield client


def stored(db_path: Path, session_id: str) -> dict[str, object]:
    """The stored profiler_sessions row, JSON columns decoded."""
    with closing(connect(db_path)) as connection:
        row = dict(
            connection.execute("SELECT * FROM profiler_sessions WHERE id = ?", (session_id,)).fetchone()
        )
    for column in ("reflection", "identity_responses", "track_alignment_percentages", "anti_cheat_flags"):
        row[column] = json.loads(str(row[column]))
    return row


class TestCompletionInTheServiceShape:
    def test_the_rows_md_session_is_read_and_stored(
        self, och: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """Reflection, identity letter, raw exposure sum, scores and difficulty land in the stored session."""
        response = och.post(COMPLETIONS, json=SESSION_16, headers=as_service)
        assert response.status_code == 200, response.text
        assert response.json()["learner_id"] == "16"
        assert response.json()["plan"] == "create"
        row = stored(db_path, SID)
        assert {k: row[k] for k in row if k not in ("behavioral_profile", "strengths")} == {
            "id": SID,
            "user_id": "16",
            "status": "finished",
            "started_at": "2026-02-07T08:00:00.000000+00:00",
            "completed_at": "2026-02-07T08:25:00.000000+00:00",
            "difficulty_selection": "intermediate",
            "aptitude_score": None,
            # raw 14 over ten answers of 1..3 points: (14 - 10) / 20 = 20 %.
            "technical_exposure_score": 20.0,
            "technical_exposure_answered": 10,
            "recommended_track": "defender",
            "track_confidence": None,
            "track_alignment_percentages": {"defender": 78.0, "grc": 55.0},
            "reflection": {"why_cyber": "I like puzzles", "what_achieve": "I want to run a SOC"},
            "identity_responses": [
                {
                    "question_id": "identity_4",
                    "text": "Vigilance and protection - being the first line of defense",
                }
            ],
            "anti_cheat_score": 5.0,
            "anti_cheat_flags": [],
        }

    def test_the_reflection_makes_a_personal_statement(
        self, och: TestClient, as_service: dict[str, str]
    ) -> None:
        """The service keeps why_cyber/what_achieve in reflection_responses: the statement is not generic."""
        statement = och.post(COMPLETIONS, json=SESSION_16, headers=as_service).json()["statement"]
        assert statement["is_generic"] is False
        assert "I like puzzles" in statement["text"]
        assert "I want to run a SOC" in statement["text"]

    def test_an_int_or_text_user_id_is_one_learner(self, och: TestClient, as_service: dict[str, str]) -> None:
        """The same session re-sent with user_id "16" instead of 16 is the same completion: 200 keep."""
        och.post(COMPLETIONS, json=SESSION_16, headers=as_service)
        again = och.post(COMPLETIONS, json={**SESSION_16, "user_id": "16"}, headers=as_service)
        assert again.status_code == 200
        assert again.json()["plan"] == "keep"

    def test_another_user_cannot_take_the_session(
        self, och: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """User 28 delivering user 16's session id is 409 session_owner_conflict; the row stays 16's."""
        och.post(COMPLETIONS, json=SESSION_16, headers=as_service)
        response = och.post(COMPLETIONS, json={**SESSION_16, "user_id": 28}, headers=as_service)
        assert response.status_code == 409
        assert response.json()["code"] == "session_owner_conflict"
        assert stored(db_path, SID)["user_id"] == "16"

    def test_an_unknown_identity_letter_is_a_note_not_a_guess(
        self, och: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """identity_1 answered "Z" (no such option): 200, X-Profiler-Notes names it, no identity stored."""
        response = och.post(COMPLETIONS, json=service_session(28, "s-28", identity="Z"), headers=as_service)
        assert response.status_code == 200
        assert response.headers["X-Profiler-Notes"] == "identity_answer_unresolved"
        assert stored(db_path, "s-28")["identity_responses"] == []

    def test_a_known_letter_resolves_through_the_stored_questions(
        self, och: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """identity_1 "D" is the service's option text; no notes header."""
        response = och.post(COMPLETIONS, json=service_session(28, "s-28", identity="D"), headers=as_service)
        assert "X-Profiler-Notes" not in response.headers
        assert stored(db_path, "s-28")["identity_responses"] == [
            {"question_id": "identity_1", "text": "Leading teams and making strategic decisions"}
        ]

    @pytest.mark.parametrize(
        ("field", "value", "path"),
        [
            ("telemetry", {"technical_exposure_score": 31}, "$.telemetry.technical_exposure_score"),
            ("reflection_responses", {"why_cyber": 42}, "$.reflection_responses.why_cyber"),
            (
                "difficulty_verification",
                {"selected_difficulty": "expert"},
                "$.difficulty_verification.selected_difficulty",
            ),
            ("responses", [{"selected_option": "A"}], "$.responses[0].question_id"),
            ("completed_at", "2026-02-31T08:25:00", "$.completed_at"),
        ],
    )
    def test_a_bad_field_is_400_at_the_services_path(  # noqa: PLR0917 - pytest passes fixtures positionally
        self, och: TestClient, db_path: Path, as_service: dict[str, str], field: str, value: object, path: str
    ) -> None:
        """A field the reader rejects is a 400 of type fastapi_session naming the service's own path."""
        response = och.post(COMPLETIONS, json={**SESSION_16, field: value}, headers=as_service)
        assert response.status_code == 400
        assert response.json()["type"] == "fastapi_session"
        assert path in {e["path"] for e in response.json()["errors"]}
        with closing(connect(db_path)) as connection:
            assert (
                connection.execute("SELECT 1 FROM profiler_sessions WHERE id = ?", (SID,)).fetchone() is None
            )


class TestNaiveTimestamps:
    """The service writes naive utcnow(): the reader's documented rule reads a naive time as UTC."""

    def test_a_naive_time_is_utc(self, och: TestClient, db_path: Path, as_service: dict[str, str]) -> None:
        """completed_at "2026-02-07T08:25:00" is stored as 08:25 UTC, not shifted by any local zone."""
        och.post(COMPLETIONS, json=SESSION_16, headers=as_service)
        assert stored(db_path, SID)["completed_at"] == "2026-02-07T08:25:00.000000+00:00"

    def test_an_aware_time_keeps_its_instant(
        self, och: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """An offset the service did send (+03:00) is kept as that instant: 08:25+03 is 05:25 UTC."""
        payload = {**SESSION_16, "completed_at": "2026-02-07T08:25:00+03:00"}
        och.post(COMPLETIONS, json=payload, headers=as_service)
        assert stored(db_path, SID)["completed_at"] == "2026-02-07T05:25:00.000000+00:00"

    def test_the_latest_naive_completion_is_the_learners_session(
        self, och: TestClient, as_service: dict[str, str]
    ) -> None:
        """Two naive completions: the later one (by UTC) is the one the statement links to."""
        och.post(
            COMPLETIONS,
            json=service_session(28, "s-early", completed_at="2026-11-25T08:10:00"),
            headers=as_service,
        )
        och.post(
            COMPLETIONS,
            json=service_session(28, "s-late", completed_at="2026-11-25T08:50:00"),
            headers=as_service,
        )
        assert och.get(STATEMENT, headers={"X-User-Id": "28"}).json()["session_id"] == "s-late"


class TestValueStatementBody:
    def test_is_the_body_the_frontend_reads(self, och: TestClient, as_service: dict[str, str]) -> None:
        """{value_statement, session_id, ready_for_portfolio}: what fastapiClient.getValueStatement reads."""
        made = och.post(COMPLETIONS, json=SESSION_16, headers=as_service).json()
        body = och.get(STATEMENT, headers={"X-User-Id": "16"}).json()
        assert body["value_statement"] == made["statement"]["text"]
        assert body["session_id"] == SID
        assert body["ready_for_portfolio"] is True
        assert (body["profiler_session_id"], body["visibility"]) == (SID, "private")
        assert body["created_at"] == "2026-11-25T09:00:00+00:00"
        assert body["body_version"] == "och-bodies@1"

    def test_keeps_the_librarys_keys_beside(self, och: TestClient, as_service: dict[str, str]) -> None:
        """The LeadershipStart keys (statement, identity, onboarding) stay, beside the platform's."""
        och.post(COMPLETIONS, json=SESSION_16, headers=as_service)
        body = och.get(STATEMENT, headers={"X-User-Id": "16"}).json()
        assert body["statement"]["entry"]["summary"] == body["value_statement"]
        assert body["learner_id"] == "16"
        assert {"identity", "onboarding", "reasons", "degraded"} <= body.keys()

    def test_without_a_completion_is_the_platforms_404(self, och: TestClient) -> None:
        """User 28 never completed: 404 {value_statement: null, message} (seed task 5.1) beside the host's."""
        response = och.get(STATEMENT, headers={"X-User-Id": "28"})
        assert response.status_code == 404
        assert response.json() == {
            "value_statement": None,
            "message": "Value statement not found. Please complete profiler first.",
            "code": "value_statement_not_found",
            "kind": "value_statement",
            "key": "28",
            "detail": "Value statement not found. Please complete profiler first.",
        }


class TestOtherRoutesAfterARealCompletion:
    def test_the_missions_follow_the_services_difficulty(
        self, och: TestClient, as_service: dict[str, str]
    ) -> None:
        """User 16's ceiling follows difficulty_verification.selected_difficulty (intermediate -> 2)."""
        och.post(COMPLETIONS, json=SESSION_16, headers=as_service)
        decision = och.get("/api/v1/student/missions", headers={"X-User-Id": "16"}).json()["result"][
            "decision"
        ]
        assert (decision["ceiling"], decision["session_id"]) == (2, SID)

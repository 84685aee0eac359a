"""The completion route is server-to-server, and no write moves a row to another learner (issue 11)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import attrs
import pytest
from fastapi.testclient import TestClient
from fastapi_host import create_app
from fastapi_host.db import connect, create_schema
from fastapi_host.errors import SessionConflict
from fastapi_host.repositories import SessionWrite, SqlitePortfolioRepository, SqliteSessionRepository
from fastapi_och_fixtures import service_session
from hypothesis import given, settings
from hypothesis import strategies as st

from profiler_core import InvalidValueError, ProfilerSession, UserId
from profiler_core.demo.sample import SamplePlatform
from profiler_core.testing import strategies as values

COMPLETIONS = "/api/v1/profiler/completions"
MISSIONS = "/api/v1/student/missions"
STATEMENT = "/api/v1/profiler/value-statement"

#: Issue 11's attack: learner-001 re-assigns learner-002's stored session to itself
#: (in the OCH FastAPI service's session shape, elite with the highest exposure sum).
TAKEOVER = service_session("learner-001", "session-002-2", difficulty="elite", exposure=30)


def as_user(user_id: str) -> dict[str, str]:
    """The example-only authentication header."""
    return {"X-User-Id": user_id}


def session_row(db_path: Path, session_id: str) -> dict[str, object] | None:
    """The stored row of *session_id*, straight from the table."""
    with closing(connect(db_path)) as connection:
        row = connection.execute("SELECT * FROM profiler_sessions WHERE id = ?", (session_id,)).fetchone()
    return None if row is None else dict(row)


def session_rows(db_path: Path) -> list[tuple[object, ...]]:
    """Every stored session row, in id order."""
    with closing(connect(db_path)) as connection:
        return [tuple(r) for r in connection.execute("SELECT * FROM profiler_sessions ORDER BY id")]


def own_session(learner: str, sid: str, **fields: object) -> dict[str, object]:
    """A finished session of *learner* as the OCH FastAPI service sends it (intermediate, exposure 20)."""
    return {**service_session(learner, sid, difficulty="intermediate", exposure=20), **fields}


class TestTheIssueAttack:
    def test_with_a_learner_credential_is_403_and_changes_nothing(
        self, client: TestClient, db_path: Path
    ) -> None:
        """learner-001 posting learner-002's session id gets 403; learner-002's session is unchanged."""
        before = session_row(db_path, "session-002-2")
        response = client.post(COMPLETIONS, json=TAKEOVER, headers=as_user("learner-001"))
        assert response.status_code == 403
        assert response.json() == {
            "code": "access_denied",
            "reason_codes": ["service_credential_required"],
            "detail": "access denied: service_credential_required",
        }
        assert session_row(db_path, "session-002-2") == before
        assert before is not None
        assert before["user_id"] == "learner-002"

    def test_with_the_service_credential_is_409_and_changes_nothing(
        self, client: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """Even the trusted service cannot move a stored session to another learner: 409, row unchanged."""
        before = session_rows(db_path)
        response = client.post(COMPLETIONS, json=TAKEOVER, headers=as_service)
        assert response.status_code == 409
        assert response.json() == {
            "code": "session_owner_conflict",
            "detail": "Session session-002-2 belongs to another learner; "
            "a stored session never changes owner.",
        }
        assert session_rows(db_path) == before

    def test_learner_001_still_cannot_read_learner_002s_results(
        self, client: TestClient, as_service: dict[str, str]
    ) -> None:
        """After both attempts, learner-001 is still denied learner-002's results."""
        client.post(COMPLETIONS, json=TAKEOVER, headers=as_user("learner-001"))
        client.post(COMPLETIONS, json=TAKEOVER, headers=as_service)
        response = client.get("/api/v1/profiler/mentees/learner-002/results", headers=as_user("learner-001"))
        assert response.status_code == 403


class TestNoSelfScoring:
    def test_a_learner_posting_elite_scores_for_themself_is_403(
        self, client: TestClient, db_path: Path
    ) -> None:
        """A learner's own "elite, 99" completion is refused: the mission ceiling stays what it was."""
        ceiling = client.get(MISSIONS, headers=as_user("learner-001")).json()["result"]["decision"]
        before = session_rows(db_path)
        payload = service_session("learner-001", "session-001-self", difficulty="elite", exposure=30)
        response = client.post(COMPLETIONS, json=payload, headers=as_user("learner-001"))
        assert response.status_code == 403
        assert session_rows(db_path) == before
        assert client.get(MISSIONS, headers=as_user("learner-001")).json()["result"]["decision"] == ceiling

    @pytest.mark.parametrize("viewer", ["staff-hal", "admin-gus", "mentor-ada", "learner-006"])
    def test_no_viewer_credential_is_the_service(self, client: TestClient, viewer: str) -> None:
        """Staff, admins, mentors and learners alike get 403: only the service token delivers."""
        response = client.post(COMPLETIONS, json=own_session("learner-006", "s-x"), headers=as_user(viewer))
        assert response.status_code == 403
        assert response.json()["reason_codes"] == ["service_credential_required"]

    def test_a_refused_learner_is_audited(self, client: TestClient, db_path: Path) -> None:
        """The refusal leaves an access_audit row naming the learner and the host's rule."""
        client.post(COMPLETIONS, json=TAKEOVER, headers=as_user("learner-001"))
        with closing(connect(db_path)) as connection:
            rows = connection.execute(
                "SELECT viewer_id, action, subject_id, outcome, rule, reason_codes, policy FROM access_audit"
            ).fetchall()
        assert [tuple(r) for r in rows] == [
            (
                "learner-001",
                "deliver_completion",
                COMPLETIONS,
                "denied",
                "host_refusal",
                '["service_credential_required"]',
                "fastapi_host@1",
            )
        ]


class TestServiceCredential:
    @pytest.mark.parametrize(
        "headers",
        [
            {},
            {"X-Service-Token": ""},
            {"X-Service-Token": "test-profiling-service-tokeN"},
            {"X-Service-Token": "test-profiling-service-token "},
            {"X-Service-Token": "wrong", "X-User-Id": "staff-hal"},
            {"X-User-Id": "   "},
        ],
        ids=["none", "empty", "one-letter-off", "trailing-space", "wrong-with-staff", "blank-user"],
    )
    def test_without_the_right_token_is_401(self, client: TestClient, headers: dict[str, str]) -> None:
        """No credential or a wrong token: 401 in the documented body, nothing stored."""
        response = client.post(COMPLETIONS, json=own_session("learner-006", "s-401"), headers=headers)
        assert response.status_code == 401
        assert set(response.json()) == {"code", "detail"}
        assert response.json()["code"] == "unauthenticated"

    def test_a_non_ascii_token_is_401_not_500(self, client: TestClient) -> None:
        """A token with non-ASCII bytes is compared as bytes and refused (compare_digest raises on str)."""
        response = client.post(
            COMPLETIONS,
            json=own_session("learner-006", "s-utf8"),
            headers={b"X-Service-Token": "tökén-of-the-service".encode()},
        )
        assert response.status_code == 401

    def test_a_host_without_a_configured_token_accepts_no_call(
        self, db_path: Path, platform: SamplePlatform
    ) -> None:
        """No service_token configured: every completion is 401 (the route fails closed)."""
        app = create_app(db_path, clock=lambda: platform.now)
        with TestClient(app) as closed:
            for token in ("", "test-profiling-service-token", "None"):
                response = closed.post(
                    COMPLETIONS, json=own_session("learner-006", "s-c"), headers={"X-Service-Token": token}
                )
                assert response.status_code == 401

    def test_a_short_token_is_refused_at_startup(self, db_path: Path) -> None:
        """A guessable service token (under 16 characters) is a configuration error."""
        with pytest.raises(ValueError, match="at least 16"):
            create_app(db_path, service_token="short")

    def test_the_token_is_documented_on_the_route(self, client: TestClient) -> None:
        """The OpenAPI document lists the X-Service-Token header on the completion route."""
        operation = client.get("/openapi.json").json()["paths"][COMPLETIONS]["post"]
        headers = {p["name"].lower() for p in operation["parameters"] if p["in"] == "header"}
        assert "x-service-token" in headers
        assert "requestBody" in operation


class TestConflicts:
    def test_the_same_completion_again_is_200_keep(
        self, client: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """An identical re-delivery of a completed session writes nothing and answers 200."""
        payload = own_session("learner-006", "s-again")
        assert client.post(COMPLETIONS, json=payload, headers=as_service).status_code == 200
        stored = session_rows(db_path)
        again = client.post(COMPLETIONS, json=payload, headers=as_service)
        assert again.status_code == 200
        assert again.json()["plan"] == "keep"
        assert session_rows(db_path) == stored

    def test_a_different_payload_for_a_completed_session_is_409(
        self, client: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """Same id, same learner, other scores: 409 session_already_completed; the stored row stays."""
        client.post(COMPLETIONS, json=own_session("learner-006", "s-done"), headers=as_service)
        stored = session_row(db_path, "s-done")
        changed = service_session("learner-006", "s-done", difficulty="elite", exposure=30)
        response = client.post(COMPLETIONS, json=changed, headers=as_service)
        assert response.status_code == 409
        assert response.json()["code"] == "session_already_completed"
        assert set(response.json()) == {"code", "detail"}
        assert session_row(db_path, "s-done") == stored

    def test_a_sample_session_cannot_be_rewritten(
        self, client: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """learner-002's own locked session re-sent with other scores is 409 too."""
        stored = session_row(db_path, "session-002-2")
        rewrite = {**TAKEOVER, "user_id": "learner-002"}
        response = client.post(COMPLETIONS, json=rewrite, headers=as_service)
        assert response.status_code == 409
        assert response.json()["code"] == "session_already_completed"
        assert session_row(db_path, "session-002-2") == stored

    def test_the_learners_own_incomplete_session_completes(
        self, client: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """learner-006's stored in-progress session is completed by its delivery (same owner): 200."""
        payload = own_session("learner-006", "session-006-1")
        response = client.post(COMPLETIONS, json=payload, headers=as_service)
        assert response.status_code == 200
        assert response.json()["plan"] == "create"
        row = session_row(db_path, "session-006-1")
        assert row is not None
        assert (row["user_id"], row["status"]) == ("learner-006", "finished")

    def test_another_learners_incomplete_session_is_not_taken_over(
        self, client: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """learner-006's in-progress session id sent as learner-012's: 409, still learner-006's."""
        before = session_row(db_path, "session-006-1")
        response = client.post(
            COMPLETIONS, json=own_session("learner-012", "session-006-1"), headers=as_service
        )
        assert response.status_code == 409
        assert response.json()["code"] == "session_owner_conflict"
        assert session_row(db_path, "session-006-1") == before

    def test_an_unknown_learner_is_404(
        self, client: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """A completion for a learner who is not a user of the platform is 404 kind user; nothing stored."""
        response = client.post(COMPLETIONS, json=own_session("learner-999", "s-ghost"), headers=as_service)
        assert response.status_code == 404
        assert response.json() == {
            "code": "not_found",
            "kind": "user",
            "key": "learner-999",
            "detail": "user 'learner-999' not found",
        }
        assert session_row(db_path, "s-ghost") is None


@pytest.fixture
def database() -> Iterator[sqlite3.Connection]:
    """An empty in-memory database with the host's schema."""
    connection = connect(":memory:")
    create_schema(connection)
    yield connection
    connection.close()


class TestRepositoryWrites:
    def test_save_session_never_changes_the_owner(self, database: sqlite3.Connection) -> None:
        """Any stored session re-saved under another learner raises session_owner_conflict; the row stays."""

        @settings(deadline=None, max_examples=50)
        @given(values.sessions(), st.sampled_from(["someone-else", "learner-x"]))
        def law(session: ProfilerSession, other: str) -> None:
            repository = SqliteSessionRepository(database)
            try:
                database.executemany(
                    "INSERT OR IGNORE INTO users (id) VALUES (?)", [(session.user_id,), (other,)]
                )
                assert repository.save_session(session) is SessionWrite.STORED
                before = database.execute("SELECT * FROM profiler_sessions").fetchall()
                if session.user_id != other:
                    with pytest.raises(SessionConflict) as conflict:
                        repository.save_session(attrs.evolve(session, user_id=UserId(other)))
                    assert conflict.value.code == "session_owner_conflict"
                assert [tuple(r) for r in database.execute("SELECT * FROM profiler_sessions")] == [
                    tuple(r) for r in before
                ]
            finally:
                database.execute("DELETE FROM profiler_sessions")
                database.execute("DELETE FROM users")
                database.commit()

        law()

    def test_a_completed_session_saved_again_unchanged_writes_nothing(
        self, database: sqlite3.Connection
    ) -> None:
        """Any completed session saved twice: the second save is UNCHANGED (an identical re-delivery)."""

        @settings(deadline=None, max_examples=50)
        @given(values.sessions().filter(lambda s: s.is_completed))
        def law(session: ProfilerSession) -> None:
            repository = SqliteSessionRepository(database)
            try:
                database.execute("INSERT OR IGNORE INTO users (id) VALUES (?)", (session.user_id,))
                repository.save_session(session)
                assert repository.save_session(session) is SessionWrite.UNCHANGED
            finally:
                database.execute("DELETE FROM profiler_sessions")
                database.execute("DELETE FROM users")
                database.commit()

        law()

    def test_a_portfolio_entry_never_changes_owner(self, db_path: Path, platform: SamplePlatform) -> None:
        """Replacing learner-001's statement with an entry naming learner-002 raises; the row stays theirs."""
        with closing(connect(db_path)) as connection:
            repository = SqlitePortfolioRepository(connection)
            entry = repository.value_statements_for([UserId("learner-001")])[UserId("learner-001")]
            moved = attrs.evolve(entry, user_id=UserId("learner-002"), summary="Now learner-002's.")
            with pytest.raises(InvalidValueError, match="never changes owner"):
                repository.save_entry(moved, replacing=entry)
            stored = connection.execute(
                "SELECT user_id, summary FROM portfolio_items WHERE id = ?", (entry.id,)
            ).fetchone()
        assert tuple(stored) == ("learner-001", entry.summary)


class TestStatementEdit:
    def test_a_body_naming_another_learner_edits_only_ones_own(self, client: TestClient) -> None:
        """PUT with {"summary", "user_id": another} edits the viewer's statement; the other's is untouched."""
        theirs = client.get(STATEMENT, headers=as_user("learner-002")).json()["statement"]["entry"]
        response = client.put(
            STATEMENT, json={"summary": "Mine.", "user_id": "learner-002"}, headers=as_user("learner-001")
        )
        assert response.status_code == 200
        assert response.json()["entry"]["user_id"] == "learner-001"
        assert client.get(STATEMENT, headers=as_user("learner-002")).json()["statement"]["entry"] == theirs

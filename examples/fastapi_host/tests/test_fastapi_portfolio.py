"""The value statement (read and edit) and the profiler completion hook."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection, Mapping
from contextlib import closing
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fastapi_host.db import connect
from fastapi_host.hooks import store_session
from fastapi_host.profiling_service import read_service_session
from fastapi_host.repositories import SqlitePortfolioRepository
from fastapi_och_fixtures import service_session

from profiler_core import PortfolioEntry, ProfilerSession, UserId, unstructure
from profiler_core.demo.sample import SamplePlatform
from profiler_core.leadership import VALUE_STATEMENT_NOT_FOUND_MESSAGE
from profiler_core.portfolio import compose_value_statement
from profiler_core.services import ValueStatementSync, on_profiler_completed

STATEMENT = "/api/v1/profiler/value-statement"
COMPLETIONS = "/api/v1/profiler/completions"


def as_user(user_id: str) -> dict[str, str]:
    """The example-only authentication header."""
    return {"X-User-Id": user_id}


def statements_of(db_path: Path, learner: str) -> list[str]:
    """The summaries of the learner's value-statement rows, straight from the table."""
    with closing(connect(db_path)) as connection:
        rows = connection.execute(
            "SELECT summary FROM portfolio_items WHERE user_id = ? AND item_type = 'reflection'", (learner,)
        ).fetchall()
    return [row["summary"] for row in rows]


def latest_session(platform: SamplePlatform, learner: str) -> ProfilerSession:
    """The learner's latest completed sample session."""
    done = [s for s in platform.sessions if s.user_id == learner and s.is_completed]
    return max(done, key=lambda s: (s.completed_at, s.id))


class RacingPortfolio(SqlitePortfolioRepository):
    """The real repository, except that every delivery's first read waits until all have read.

    So every delivery plans "create": only the database constraint can keep it to one entry.
    """

    def __init__(self, connection: sqlite3.Connection, everyone_has_read: threading.Barrier) -> None:
        super().__init__(connection)
        self.everyone_has_read: threading.Barrier | None = everyone_has_read

    def value_statements_for(self, user_ids: Collection[UserId]) -> Mapping[UserId, PortfolioEntry]:
        """Read, then (the first time) wait for the other deliveries to have read too."""
        found = super().value_statements_for(user_ids)
        if self.everyone_has_read is not None:
            self.everyone_has_read.wait()
            self.everyone_has_read = None
        return found


def new_session(learner: str, sid: str = "session-new") -> dict[str, object]:
    """A finished session of *learner* as the OCH FastAPI service sends it (advanced, exposure sum 25)."""
    return service_session(learner, sid)


class TestReadStatement:
    def test_is_the_composed_statement_with_its_identity(
        self, client: TestClient, platform: SamplePlatform
    ) -> None:
        """The entry holds the library's composition of the latest session; the identity is seeded."""
        body = client.get(STATEMENT, headers=as_user("learner-001")).json()
        expected = compose_value_statement(latest_session(platform, "learner-001")).text
        assert body["statement"]["entry"]["summary"] == expected
        assert body["statement"]["entry"]["visibility"] == "private"
        assert body["identity"]["value"]["pillar"] == "value"
        assert body["onboarding"]["steps"]

    def test_without_a_statement_is_404_with_the_library_message(self, client: TestClient) -> None:
        """No statement: 404, the platform's {value_statement: null, message} beside the host's keys."""
        response = client.get(STATEMENT, headers=as_user("learner-006"))
        assert response.status_code == 404
        assert response.json() == {
            "value_statement": None,
            "message": "Value statement not found. Please complete profiler first.",
            "code": "value_statement_not_found",
            "kind": "value_statement",
            "key": "learner-006",
            "detail": VALUE_STATEMENT_NOT_FOUND_MESSAGE,
        }

    def test_without_header_is_401(self, client: TestClient) -> None:
        """No X-User-Id: unauthenticated."""
        assert client.get(STATEMENT).status_code == 401


class TestEditStatement:
    def test_an_edit_is_stored_and_read_back(self, client: TestClient) -> None:
        """A valid edit is cleaned, stored with learner_edited_at, and served by the read endpoint."""
        response = client.put(
            STATEMENT, json={"summary": "  I  protect people.  "}, headers=as_user("learner-001")
        )
        assert response.status_code == 200
        body = response.json()
        assert body["reason"]["code"] == "edit_applied"
        assert body["entry"]["summary"] == "I protect people."
        assert body["entry"]["learner_edited_at"] is not None
        read = client.get(STATEMENT, headers=as_user("learner-001")).json()
        assert read["statement"]["entry"]["summary"] == "I protect people."

    def test_patch_is_the_same_edit(self, client: TestClient) -> None:
        """PATCH with {"summary"} edits like PUT (the summary is the only field a learner edits)."""
        response = client.patch(STATEMENT, json={"summary": "Patched."}, headers=as_user("learner-003"))
        assert response.status_code == 200
        assert response.json()["entry"]["summary"] == "Patched."

    def test_saving_the_same_edit_again_changes_nothing(self, client: TestClient) -> None:
        """The second identical edit answers edit_unchanged."""
        client.put(STATEMENT, json={"summary": "Mine."}, headers=as_user("learner-001"))
        again = client.put(STATEMENT, json={"summary": "Mine."}, headers=as_user("learner-001")).json()
        assert again["reason"]["code"] == "edit_unchanged"

    @pytest.mark.parametrize(
        ("summary", "message"),
        [("   ", "The statement must not be empty."), ("x" * 5000, "The statement may be at most")],
    )
    def test_invalid_edit_is_400_naming_summary(self, client: TestClient, summary: str, message: str) -> None:
        """An empty or too long edit is a 400 whose one problem is at $.summary."""
        response = client.put(STATEMENT, json={"summary": summary}, headers=as_user("learner-001"))
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid_payload"
        assert [e["path"] for e in body["errors"]] == ["$.summary"]
        assert body["errors"][0]["message"].startswith(message)

    def test_malformed_body_is_400_with_its_path(self, client: TestClient) -> None:
        """A body without summary is a 400 naming $.body.summary."""
        response = client.put(STATEMENT, json={"text": "hi"}, headers=as_user("learner-001"))
        assert response.status_code == 400
        assert [e["path"] for e in response.json()["errors"]] == ["$.body.summary"]

    def test_without_a_statement_is_404(self, client: TestClient) -> None:
        """A learner without a statement cannot edit one."""
        response = client.put(STATEMENT, json={"summary": "Mine."}, headers=as_user("learner-006"))
        assert response.status_code == 404
        assert response.json()["code"] == "value_statement_not_found"


class TestCompletionHook:
    def test_creates_the_statement_once_when_delivered_twice(
        self, client: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """The first delivery creates the entry, the second keeps it: one row."""
        first = client.post(COMPLETIONS, json=new_session("learner-006"), headers=as_service)
        second = client.post(COMPLETIONS, json=new_session("learner-006"), headers=as_service)
        assert (first.status_code, second.status_code) == (200, 200)
        assert first.json()["plan"] == "create"
        assert second.json()["plan"] == "keep"
        assert len(statements_of(db_path, "learner-006")) == 1
        assert client.get(STATEMENT, headers=as_user("learner-006")).status_code == 200

    def test_concurrent_deliveries_make_one_entry(self, db_path: Path, platform: SamplePlatform) -> None:
        """Eight deliveries that all read "no statement yet" before any writes still leave one entry."""
        with closing(connect(db_path)) as connection:
            session = read_service_session(connection, new_session("learner-012")).value
            store_session(connection, session)
        everyone_has_read = threading.Barrier(8)
        outcomes: list[ValueStatementSync] = []
        failures: list[BaseException] = []

        def deliver() -> None:
            try:
                with closing(connect(db_path)) as connection:
                    portfolio = RacingPortfolio(connection, everyone_has_read)
                    outcomes.append(on_profiler_completed(session, portfolio=portfolio, now=platform.now))
            except BaseException as error:
                failures.append(error)

        threads = [threading.Thread(target=deliver) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not failures
        assert len(statements_of(db_path, "learner-012")) == 1
        assert sorted(o.plan.value for o in outcomes if o.plan) == ["create"] + ["keep"] * 7
        assert len({o.entry.id for o in outcomes if o.entry}) == 1

    def test_a_retake_never_overwrites_the_learners_edit(
        self, client: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """After the learner edited, a new completion keeps their text and stores the suggestion beside it."""
        client.put(STATEMENT, json={"summary": "My own words."}, headers=as_user("learner-001"))
        body = client.post(
            COMPLETIONS, json=new_session("learner-001", "session-retake"), headers=as_service
        ).json()
        assert body["reasons"][0]["code"] == "learner_edit_preserved"
        assert body["entry"]["summary"] == "My own words."
        assert body["entry"]["suggested_summary"] == body["statement"]["text"]
        assert statements_of(db_path, "learner-001") == ["My own words."]

    def test_an_incomplete_session_stores_no_statement(
        self, client: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """A session still in progress is stored, but no statement is made."""
        payload = service_session("learner-018", completed_at=None)
        body = client.post(COMPLETIONS, json=payload, headers=as_service).json()
        assert [r["code"] for r in body["reasons"]] == ["session_not_completed"]
        assert statements_of(db_path, "learner-018") == []

    def test_bad_payload_is_400_listing_every_problem(
        self, client: TestClient, as_service: dict[str, str]
    ) -> None:
        """Every problem of the session payload is reported with its path, at once."""
        payload = {
            **new_session("learner-006"),
            "telemetry": {"technical_exposure_score": 31},
            "difficulty_verification": {"selected_difficulty": "expert"},
            "started_at": "now",
        }
        response = client.post(COMPLETIONS, json=payload, headers=as_service)
        assert response.status_code == 400
        body = response.json()
        assert body["type"] == "fastapi_session"
        assert {e["path"] for e in body["errors"]} == {
            "$.telemetry.technical_exposure_score",
            "$.difficulty_verification.selected_difficulty",
            "$.started_at",
        }

    def test_the_service_delivers_any_learners_completion(
        self, client: TestClient, as_service: dict[str, str]
    ) -> None:
        """The profiling service (X-Service-Token) delivers completions for every learner."""
        response = client.post(COMPLETIONS, json=new_session("learner-024"), headers=as_service)
        assert response.status_code == 200
        assert response.json() == {**response.json(), "learner_id": "learner-024", "plan": "create"}

    def test_stored_session_drives_the_missions(self, client: TestClient, as_service: dict[str, str]) -> None:
        """The delivered session is stored: the learner's mission ceiling follows it (advanced -> 3)."""
        client.post(COMPLETIONS, json=new_session("learner-006"), headers=as_service)
        body = client.get("/api/v1/student/missions", headers=as_user("learner-006")).json()
        assert body["result"]["decision"]["ceiling"] == 3
        assert unstructure(body["result"]["decision"]["session_id"]) == "session-new"

    def test_a_generic_statement_is_served_not_500(
        self, client: TestClient, db_path: Path, as_service: dict[str, str]
    ) -> None:
        """No reflection and no identity answers: the generic statement (pillar null), answered 200."""
        payload = {**new_session("learner-024"), "reflection_responses": None, "responses": []}
        payload["telemetry"] = {}
        response = client.post(COMPLETIONS, json=payload, headers=as_service)
        assert response.status_code == 200
        statement = response.json()["statement"]
        assert statement["is_generic"] is True
        assert statement["text"] == "I am committed to advancing in cybersecurity."
        assert [s["pillar"] for s in statement["sentences"]] == [None]
        assert statements_of(db_path, "learner-024") == ["I am committed to advancing in cybersecurity."]

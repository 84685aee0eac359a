"""When a repository fails: degraded answers stay 200 with reasons; nothing to show is 503 or 409."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from fastapi_host import create_app
from fastapi_host.api.mentorship import NOTES_HEADER
from fastapi_host.db import connect
from fastapi_host.dependencies import (
    Connection,
    analytics_repository,
    audit_sink,
    portfolio_repository,
    recipe_repository,
    session_repository,
)
from fastapi_host.repositories import SqlitePortfolioRepository

from profiler_core import PortfolioEntry
from profiler_core.demo.sample import SamplePlatform
from profiler_core.testing import FailingRepository

STATEMENT = "/api/v1/profiler/value-statement"


def as_user(user_id: str) -> dict[str, str]:
    """The example-only authentication header."""
    return {"X-User-Id": user_id}


class LosingPortfolio(SqlitePortfolioRepository):
    """Reads the real table, but every save loses to a concurrent writer."""

    def save_entry(self, entry: PortfolioEntry, *, replacing: PortfolioEntry | None) -> PortfolioEntry | None:
        """Always ``None``: someone else wrote first."""
        return None


def failing_repository() -> FailingRepository:
    """A provider of the library's FailingRepository (FastAPI must see no parameters)."""
    return FailingRepository()


def losing_portfolio(connection: Connection) -> LosingPortfolio:
    """The provider of LosingPortfolio, over the request's connection."""
    return LosingPortfolio(connection)


@pytest.fixture
def app(db_path: Path, platform: SamplePlatform) -> FastAPI:
    """The application over the sample platform; tests override providers on it."""
    return create_app(db_path, clock=lambda: platform.now)


@pytest.fixture
def failing(app: FastAPI) -> Iterator[Callable[..., TestClient]]:
    """A client whose given providers fail (``FailingRepository``)."""

    def make(*providers: Callable[..., object]) -> TestClient:
        for provider in providers:
            app.dependency_overrides[provider] = failing_repository
        return TestClient(app)

    yield make
    app.dependency_overrides.clear()


class TestNothingToShow:
    def test_value_statement_without_portfolio_is_503(self, failing: Callable[..., TestClient]) -> None:
        """The statement cannot be read: 503 with the library's portfolio_unavailable."""
        response = failing(portfolio_repository).get(
            "/api/v1/profiler/value-statement", headers=as_user("learner-001")
        )
        assert response.status_code == 503
        assert response.json()["code"] == "portfolio_unavailable"

    def test_edit_without_portfolio_is_503(self, failing: Callable[..., TestClient]) -> None:
        """The edit cannot be stored: 503, never a silent success."""
        client = failing(portfolio_repository)
        response = client.put(
            "/api/v1/profiler/value-statement", json={"summary": "Mine."}, headers=as_user("learner-001")
        )
        assert response.status_code == 503
        assert response.json()["code"] == "portfolio_unavailable"

    def test_results_without_sessions_are_503(self, failing: Callable[..., TestClient]) -> None:
        """An allowed viewer whose learner's sessions cannot be read gets 503, not 'no results'."""
        response = failing(session_repository).get(
            "/api/v1/profiler/mentees/learner-001/results", headers=as_user("mentor-ada")
        )
        assert response.status_code == 503
        assert response.json()["code"] == "profiler_unavailable"

    def test_analytics_without_data_is_503(self, failing: Callable[..., TestClient]) -> None:
        """The analytics data cannot be read: 503 analytics_unavailable, never partial figures."""
        client = failing(analytics_repository)
        response = client.get("/api/v1/profiler/cohorts/cohort-a/analytics", headers=as_user("admin-gus"))
        assert response.status_code == 503
        assert response.json()["code"] == "analytics_unavailable"

    def test_edit_losing_every_race_is_409(self, app: FastAPI) -> None:
        """Two lost compare-and-set saves in a row: 409 portfolio_conflict, safe to retry."""
        app.dependency_overrides[portfolio_repository] = losing_portfolio
        try:
            with TestClient(app) as client:
                response = client.put(
                    "/api/v1/profiler/value-statement",
                    json={"summary": "Mine."},
                    headers=as_user("learner-001"),
                )
        finally:
            app.dependency_overrides.clear()
        assert response.status_code == 409
        assert response.json() == {"code": "portfolio_conflict", "detail": response.json()["detail"]}


class TestDegradedButUseful:
    def test_results_without_audit_are_served_with_a_note(self, failing: Callable[..., TestClient]) -> None:
        """The audit sink failed: the results are still served, and X-Profiler-Notes says why."""
        response = failing(audit_sink).get(
            "/api/v1/profiler/mentees/learner-001/results", headers=as_user("mentor-ada")
        )
        assert response.status_code == 200
        assert response.headers[NOTES_HEADER] == "audit_unavailable"

    def test_recommendations_without_recipes_are_degraded(self, failing: Callable[..., TestClient]) -> None:
        """The recipe catalogue failed: gaps are still analysed, no recipe listed, degraded true."""
        body = (
            failing(recipe_repository)
            .get("/api/v1/recipes/profiler-recommendations", headers=as_user("learner-001"))
            .json()
        )
        assert body["degraded"] is True
        assert body["recommended_recipes"] == []
        assert body["total_gaps"] > 0
        assert "recipes_unavailable" in [r["code"] for r in body["reasons"]]

    def test_missions_without_sessions_use_the_default_ceiling(
        self, failing: Callable[..., TestClient]
    ) -> None:
        """The session repository failed: ceiling 1 with profiler_unavailable, degraded true."""
        body = (
            failing(session_repository).get("/api/v1/student/missions", headers=as_user("learner-005")).json()
        )
        assert body["degraded"] is True
        assert body["result"]["decision"]["ceiling"] == 1
        assert [r["code"] for r in body["result"]["decision"]["reasons"]] == ["profiler_unavailable"]


def corrupt(db_path: Path, sql: str, *params: object) -> None:
    """Write a row the library cannot read, straight into the table (as other code might have)."""
    with closing(connect(db_path)) as connection, connection:
        connection.execute(sql, params)


class TestUnreadableRows:
    def test_a_bad_session_row_degrades_the_missions(self, client: TestClient, db_path: Path) -> None:
        """A stored session the library rejects is a repository failure: 200 degraded, not a 400 quoting."""
        corrupt(db_path, "UPDATE profiler_sessions SET aptitude_score = 987.5 WHERE user_id = 'learner-001'")
        response = client.get("/api/v1/student/missions", headers=as_user("learner-001"))
        assert response.status_code == 200
        body = response.json()
        assert body["degraded"] is True
        assert [r["code"] for r in body["result"]["decision"]["reasons"]] == ["profiler_unavailable"]
        assert "987.5" not in response.text

    def test_a_bad_session_row_is_503_for_an_allowed_viewer(self, client: TestClient, db_path: Path) -> None:
        """The mentor's view of a learner whose session cannot be read is 503 profiler_unavailable."""
        corrupt(db_path, "UPDATE profiler_sessions SET aptitude_score = 987.5 WHERE user_id = 'learner-001'")
        response = client.get("/api/v1/profiler/mentees/learner-001/results", headers=as_user("mentor-ada"))
        assert response.status_code == 503
        assert response.json()["code"] == "profiler_unavailable"

    def test_a_bad_grant_of_the_viewer_is_503_without_its_value(
        self, client: TestClient, db_path: Path
    ) -> None:
        """The viewer's own unreadable role grant: 503 repository_error, the row's value never in the body."""
        corrupt(db_path, "UPDATE role_grants SET expires_at = 'next-tuesday' WHERE user_id = 'mentor-ada'")
        response = client.get("/api/v1/profiler/mentees/learner-001/results", headers=as_user("mentor-ada"))
        assert response.status_code == 503
        assert response.json() == {
            "code": "repository_error",
            "detail": "A repository could not answer; try again later.",
        }

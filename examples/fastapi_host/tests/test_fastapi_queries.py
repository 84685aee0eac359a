"""No N+1: each endpoint runs the same number of SQL statements at 10 and at 1,000 learners.

The large platform also holds 1,000 extra missions and 1,000 extra recipes, so a
listing that queried per mission or per recipe would show up too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import attrs
import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from fastapi_host import create_app, load_sample_platform
from fastapi_host.db import connect, insert_values
from fastapi_host.dependencies import get_connection

from profiler_core import MissionId, RecipeId
from profiler_core.demo.sample import SamplePlatform

#: (method, path, viewer) of every read endpoint, as the sample platform's users.
REQUESTS = [
    ("GET", "/api/v1/student/missions", "learner-001"),
    ("GET", "/api/v1/student/missions?track=true", "learner-001"),
    ("GET", "/api/v1/student/missions/dashboard", "learner-005"),
    ("GET", "/api/v1/recipes/profiler-recommendations", "learner-001"),
    ("GET", "/api/v1/recipes/profiler-recommendations", "learner-006"),
    ("GET", "/api/v1/profiler/mentees/learner-001/results", "mentor-ada"),
    ("GET", "/api/v1/profiler/mentees/learner-001/results", "director-dee"),
    ("GET", "/api/v1/profiler/mentees/learner-001/results", "mentor-bob"),
    ("GET", "/api/v1/profiler/value-statement", "learner-001"),
    ("GET", "/api/v1/marketplace/talent-matches", "learner-001"),
    ("GET", "/api/v1/profiler/cohorts/cohort-a/analytics", "director-dee"),
    ("GET", "/api/v1/profiler/cohorts/cohort-b/analytics", "director-dee"),
    ("GET", "/api/v1/profiler/enterprises/org-acme/analytics", "sponsor-fay"),
]


def build(path: Path, learners: int, extra: int) -> SamplePlatform:
    """The sample platform for *learners*, plus *extra* copies of its missions and recipes."""
    platform = load_sample_platform(path, learners=learners)
    missions, recipes = platform.missions, platform.recipes
    more_missions = [
        attrs.evolve(missions[i % len(missions)], id=MissionId(f"extra-m-{i}")) for i in range(extra)
    ]
    more_recipes = [
        attrs.evolve(recipes[i % len(recipes)], id=RecipeId(f"extra-r-{i}"), slug=f"extra-{i}")
        for i in range(extra)
    ]
    with closing(connect(path)) as connection, connection:
        insert_values(connection, "missions", more_missions)
        insert_values(connection, "recipes", more_recipes)
    return platform


def counts(path: Path, platform: SamplePlatform) -> list[int]:
    """How many SQL statements each request of REQUESTS runs."""
    statements: list[str] = []

    def counted(request: Request) -> Iterator[sqlite3.Connection]:
        connection = connect(request.app.state.db_path)
        connection.set_trace_callback(statements.append)
        try:
            yield connection
        finally:
            connection.close()

    app = create_app(path, clock=lambda: platform.now)
    app.dependency_overrides[get_connection] = counted
    out = []
    with TestClient(app) as client:
        for method, url, viewer in REQUESTS:
            statements.clear()
            response = client.request(method, url, headers={"X-User-Id": viewer})
            assert response.status_code in (200, 403), (url, viewer, response.text)
            out.append(len(statements))
    return out


@pytest.fixture(scope="module")
def small_and_large(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[int], list[int]]:
    """Statement counts per request over the small and the large platform."""
    small_path = tmp_path_factory.mktemp("small") / "db.sqlite3"
    large_path = tmp_path_factory.mktemp("large") / "db.sqlite3"
    small = counts(small_path, build(small_path, learners=10, extra=0))
    large = counts(large_path, build(large_path, learners=1000, extra=1000))
    return small, large


class TestNoNPlusOne:
    @pytest.mark.parametrize("index", range(len(REQUESTS)), ids=[f"{v}:{p}" for _, p, v in REQUESTS])
    def test_statement_count_does_not_grow(
        self, small_and_large: tuple[list[int], list[int]], index: int
    ) -> None:
        """The same request runs the same number of statements over 10 or 1,000 learners/missions/recipes."""
        small, large = small_and_large
        assert small[index] == large[index]
        assert 0 < small[index] <= 12

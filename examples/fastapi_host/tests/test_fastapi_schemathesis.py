"""schemathesis against the host's OpenAPI document: every answer is the documented one.

Every operation gets generated requests (bounded: 25 examples each,
derandomized, so the same requests every run), authenticated as a caller who
gets past the 401: the profiling service on its two routes, staff on the
mentee and analytics routes, learner-001 (a completed profiler) elsewhere.
Each answer must be no 500, a documented status, a body valid against the
documented schema and the declared content type.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi_host import create_app
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from profiler_core.demo.sample import SamplePlatform

SERVICE_TOKEN = "test-profiling-service-token"
SERVICE_ROUTES = ("/api/v1/profiler/completions", "/api/v1/profiler/sync-fastapi")
STAFF_ROUTES = ("/api/v1/profiler/mentees", "/api/v1/profiler/cohorts", "/api/v1/profiler/enterprises")


def credentials(path: str) -> dict[str, str]:
    """The header of a caller the route accepts (past the 401)."""
    if path in SERVICE_ROUTES:
        return {"X-Service-Token": SERVICE_TOKEN}
    if path.startswith(STAFF_ROUTES):
        return {"X-User-Id": "staff-hal"}
    return {"X-User-Id": "learner-001"}


#: The host schemathesis calls; :func:`served` points it at each test's loaded database.
APP = create_app(Path(tempfile.mkdtemp()) / "schemathesis.sqlite3", service_token=SERVICE_TOKEN)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture
def served(db_path: Path, platform: SamplePlatform) -> Iterator[None]:
    """The host answers from the test's copy of the sample platform, ``now`` pinned to its ``now``."""
    state = APP.state
    before = (state.db_path, state.clock)
    state.db_path, state.clock = str(db_path), lambda: platform.now
    try:
        yield
    finally:
        state.db_path, state.clock = before


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_is_documented(served: None, case: Any) -> None:
    """No 500; every status, body and content type the host answers is the one its document declares."""
    case.call_and_validate(
        headers=credentials(case.path),
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )

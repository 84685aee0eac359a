"""profiler_core.fastapi on a tiny application built here: responses, errors, OpenAPI, ports, threadpool."""

from __future__ import annotations

import asyncio
import doctest
import re
import threading
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI, Query
from fastapi.testclient import TestClient
from openapi_schemas import validator

import profiler_core.fastapi as integration
from profiler_core import (
    AccessDeniedError,
    InvalidPayloadError,
    InvalidValueError,
    NotFoundError,
    Problem,
    ProfilerSession,
    Reason,
    SessionStatus,
    UnknownValueError,
)
from profiler_core.errors import RepositoryError
from profiler_core.fastapi import (
    COMPONENTS_KEY,
    LibraryResponse,
    Port,
    error_responses,
    install_exception_handlers,
    install_openapi,
    library_model,
    library_schema,
    register_port,
)
from profiler_core.ids import SessionId, UserId
from profiler_core.ports import SessionRepository
from profiler_core.schema import schema_for
from profiler_core.services import ProfilerRecommendations
from profiler_core.testing import InMemorySessionRepository

ROOT = Path(__file__).resolve().parents[3]
REASON = Reason(code="selection_mapped", message="novice maps to level 1.")
SESSIONS: Port[SessionRepository] = Port("sessions")

#: Each library error, what it answers: the status and the body.
ERRORS: list[tuple[Exception, int, dict[str, object]]] = [
    (
        InvalidPayloadError(
            [Problem(path="$.limit", message="must be 1..50", code="out_of_range")], type_name="q"
        ),
        400,
        {
            "code": "invalid_payload",
            "type": "q",
            "errors": [{"path": "$.limit", "code": "out_of_range", "message": "must be 1..50"}],
        },
    ),
    (
        AccessDeniedError(reason_codes=["access_denied"]),
        403,
        {
            "code": "access_denied",
            "reason_codes": ["access_denied"],
            "detail": "access denied: access_denied",
        },
    ),
    (
        NotFoundError(kind="cohort", key="c-9"),
        404,
        {"code": "not_found", "kind": "cohort", "key": "c-9", "detail": "cohort 'c-9' not found"},
    ),
    (
        RepositoryError("sessions table is locked: /var/db", operation="sessions.latest"),
        503,
        {"code": "repository_error", "detail": "A repository could not answer; try again later."},
    ),
]


def tiny_app() -> FastAPI:
    """A FastAPI app with one endpoint per behaviour, the library's handlers and OpenAPI installed."""
    app = FastAPI()
    install_exception_handlers(app)
    install_openapi(app)

    @app.get("/reason", response_model=library_model(Reason), responses=error_responses(400, 403))
    def reason() -> Reason:
        return REASON

    @app.get("/reason-json", response_model=library_model(Reason))
    def reason_json() -> dict[str, object]:
        return {"code": "selection_mapped", "message": "novice maps to level 1."}

    @app.get("/pair", response_model=library_model({"first": Reason, "count": int}))
    def pair() -> dict[str, object]:
        return {"first": REASON, "count": 2}

    @app.get("/explicit")
    def explicit() -> LibraryResponse:
        return LibraryResponse([REASON], status_code=201)

    @app.get("/raw", response_model=None)
    def raw() -> object:
        return REASON

    @app.get("/fail/{index}")
    def fail(index: int) -> None:
        raise ERRORS[index][0]

    @app.get("/fail-other/{kind}")
    def fail_other(kind: str) -> None:
        if kind == "unknown":
            raise UnknownValueError(field="track", value="astro", expected=["grc"])
        raise InvalidValueError(field="limit", reason="must be at least 1", problem_code="out_of_range")

    @app.get("/limit")
    def limit(n: Annotated[int, Query(ge=1)]) -> int:
        return n

    @app.get("/numbers")
    def numbers(n: Annotated[list[int], Query()]) -> int:
        return sum(n)

    @app.get("/sessions/{user_id}")
    def sessions(user_id: str, repository: Annotated[SessionRepository, Depends(SESSIONS)]) -> list[str]:
        return sorted(repository.latest_completed_sessions([UserId(user_id)]))

    return app


@pytest.fixture
def tiny() -> TestClient:
    """A client of :func:`tiny_app`."""
    return TestClient(tiny_app())


class TestResponses:
    def test_a_library_value_is_rendered(self, tiny: TestClient) -> None:
        """An endpoint returning the value itself answers its unstructure output, not a 500."""
        response = tiny.get("/reason")
        assert response.status_code == 200
        assert response.json() == {"code": "selection_mapped", "message": "novice maps to level 1."}

    def test_rendered_json_passes_through(self, tiny: TestClient) -> None:
        """An endpoint returning the value's JSON answers it unchanged."""
        assert tiny.get("/reason-json").json() == {
            "code": "selection_mapped",
            "message": "novice maps to level 1.",
        }

    def test_a_composed_body_renders_its_values(self, tiny: TestClient) -> None:
        """Library values inside a composed body are rendered too."""
        assert tiny.get("/pair").json() == {
            "first": {"code": "selection_mapped", "message": "novice maps to level 1."},
            "count": 2,
        }

    def test_library_response_renders_a_value(self, tiny: TestClient) -> None:
        """LibraryResponse renders library values in its content, with its status."""
        response = tiny.get("/explicit")
        assert response.status_code == 201
        assert response.json() == [{"code": "selection_mapped", "message": "novice maps to level 1."}]

    def test_without_the_library_model_a_raw_value_is_a_server_error(self) -> None:
        """The problem library_model solves: FastAPI alone cannot encode a slotted attrs value (a 500)."""
        with TestClient(tiny_app(), raise_server_exceptions=False) as client:
            assert client.get("/raw").status_code == 500


class TestErrors:
    @pytest.mark.parametrize(("index", "status", "body"), [(i, s, b) for i, (_, s, b) in enumerate(ERRORS)])
    def test_the_error_tree_maps_to_statuses(
        self, tiny: TestClient, index: int, status: int, body: dict[str, object]
    ) -> None:
        """Each library error answers its documented status and body (a RepositoryError's message never)."""
        response = tiny.get(f"/fail/{index}")
        assert (response.status_code, response.json()) == (status, body)

    def test_the_bodies_fit_their_documented_schemas(self, tiny: TestClient) -> None:
        """Every error body validates against the schema error_responses documents for its status."""
        document = tiny.get("/openapi.json").json()
        for index, (_, status, _) in enumerate(ERRORS):
            reference = error_responses(status)[status]["content"]["application/json"]["schema"]["$ref"]
            validator({"$ref": reference}, document).validate(tiny.get(f"/fail/{index}").json())

    @pytest.mark.parametrize(("kind", "code"), [("unknown", "unknown_value"), ("invalid", "out_of_range")])
    def test_another_library_error_is_bad_input(self, tiny: TestClient, kind: str, code: str) -> None:
        """Any other ProfilerCoreError is a 400 with one problem at $ carrying its code."""
        response = tiny.get(f"/fail-other/{kind}")
        assert response.status_code == 400
        [problem] = response.json()["errors"]
        assert (problem["path"], problem["code"]) == ("$", code)

    def test_request_validation_is_the_library_400(self, tiny: TestClient) -> None:
        """FastAPI's request validation answers the library's 400 body, not a 422."""
        response = tiny.get("/limit", params={"n": "0"})
        assert response.status_code == 400
        body = response.json()
        assert (body["code"], body["type"]) == ("invalid_payload", "request")
        assert [(p["path"], p["code"]) for p in body["errors"]] == [("$.query.n", "out_of_range")]

    def test_a_request_problem_in_a_list_names_its_index_as_the_library_does(self, tiny: TestClient) -> None:
        """The second of ?n=1&n=x is at $.query.n[1], the library's JSONPath form (not $.query.n.1)."""
        response = tiny.get("/numbers", params=[("n", "1"), ("n", "x")])
        assert response.status_code == 400
        assert [(p["path"], p["code"]) for p in response.json()["errors"]] == [
            ("$.query.n[1]", "not_an_integer")
        ]

    def test_another_status_needs_a_description(self) -> None:
        """A status without a library body is documented only with its description."""
        with pytest.raises(ValueError, match="409"):
            error_responses(409)
        assert error_responses(409, descriptions={409: "Conflict."})[409]["description"] == "Conflict."


class TestOpenAPI:
    def test_the_document_shows_the_library_schema(self, tiny: TestClient) -> None:
        """The 200 schema is a component equal to schema_for's definition, references rewritten."""
        document = tiny.get("/openapi.json").json()
        schema = document["paths"]["/reason"]["get"]["responses"]["200"]["content"]["application/json"][
            "schema"
        ]
        assert schema == {"$ref": "#/components/schemas/Reason"}
        assert document["components"]["schemas"]["Reason"] == schema_for(Reason)["$defs"]["Reason"]

    def test_nested_definitions_become_components(self) -> None:
        """Every definition schema_for needs is a component and no reference points into $defs."""
        schema = library_schema(ProfilerRecommendations)
        expected = set(schema_for(ProfilerRecommendations)["$defs"])
        assert set(schema[COMPONENTS_KEY]) == expected
        text = repr(schema)
        assert "#/$defs/" not in text
        assert set(re.findall(r"#/components/schemas/(\w+)", text)) <= expected

    def test_no_422_and_no_carried_definitions(self, tiny: TestClient) -> None:
        """The document has no 422, no FastAPI validation schema and no carried-definitions key."""
        document = tiny.get("/openapi.json").json()
        text = repr(document)
        assert "'422'" not in text
        assert "HTTPValidationError" not in document["components"]["schemas"]
        assert COMPONENTS_KEY not in text

    def test_extra_keys_extend_an_object(self) -> None:
        """extra adds required keys beside an object type's own properties."""
        schema = library_schema(Reason, extra={"count": int})
        assert list(schema["properties"]) == ["code", "message", "count"]
        assert schema["required"] == ["code", "message", "count"]
        assert schema["properties"]["count"] == {"type": "integer"}

    def test_extra_keys_need_an_object(self) -> None:
        """extra beside a type that is not an object is refused."""
        with pytest.raises(TypeError, match="object"):
            library_schema(int, extra={"count": int})

    def test_a_clashing_component_is_refused(self) -> None:
        """A library schema and another component of the same name but another shape stop the document."""
        app = FastAPI()
        install_openapi(app)

        @app.get("/a", response_model=library_model(Reason))
        def first() -> Reason:
            return REASON

        @app.get(
            "/b",
            responses={
                200: {
                    "content": {
                        "application/json": {
                            "schema": {
                                "$ref": "#/components/schemas/Reason",
                                COMPONENTS_KEY: {"Reason": {"type": "string"}},
                            }
                        }
                    }
                }
            },
        )
        def second() -> str:
            return "x"

        with pytest.raises(ValueError, match="Reason"):
            app.openapi()


class TestPorts:
    def test_a_registered_factory_provides_the_port(self) -> None:
        """The endpoint gets the factory's implementation, built per request."""
        session = ProfilerSession(
            id=SessionId("s-1"),
            user_id=UserId("u-1"),
            status=SessionStatus.FINISHED,
            completed_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        app = tiny_app()
        register_port(app, SESSIONS, lambda _request: InMemorySessionRepository([session]))
        with TestClient(app) as client:
            assert client.get("/sessions/u-1").json() == ["u-1"]
            assert client.get("/sessions/u-2").json() == []

    def test_a_missing_factory_is_a_lookup_error(self, tiny: TestClient) -> None:
        """Without register_port the request fails with a LookupError naming the port."""
        with pytest.raises(LookupError, match="sessions"):
            tiny.get("/sessions/u-1")

    def test_a_test_overrides_the_port(self) -> None:
        """app.dependency_overrides[port] replaces the provider."""
        app = tiny_app()

        def empty() -> SessionRepository:
            return InMemorySessionRepository()

        app.dependency_overrides[SESSIONS] = empty
        with TestClient(app) as client:
            assert client.get("/sessions/u-1").json() == []


class SlowSessions(InMemorySessionRepository):
    """A session port whose first call waits until it is released (a slow database)."""

    def __init__(self, events: list[str], started: threading.Event, release: threading.Event) -> None:
        super().__init__()
        self.events = events
        self.started = started
        self.release = release

    def latest_completed_sessions(self, user_ids: Collection[UserId]) -> Mapping[UserId, ProfilerSession]:
        self.events.append("slow port call started")
        self.started.set()
        # A guard, not a timing assertion: a blocked loop fails the ordering below instead of hanging.
        self.release.wait(timeout=30)
        self.events.append("slow port call finished")
        return super().latest_completed_sessions(user_ids)


class TestThreadpool:
    def test_a_slow_port_call_does_not_block_another_request(self) -> None:
        """A plain-def endpoint's slow port call runs in the threadpool: a concurrent request overtakes it."""
        events: list[str] = []
        release = threading.Event()
        started = threading.Event()
        app = tiny_app()
        slow = SlowSessions(events, started, release)
        register_port(app, SESSIONS, lambda _request: slow)

        @app.get("/fast")
        def fast() -> str:
            events.append("fast request answered")
            release.set()
            return "ok"

        async def scenario() -> list[int]:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://tiny") as client:
                slow_request = asyncio.create_task(client.get("/sessions/u-1"))
                # Until the slow request is inside its port call (a guard against hanging, not a timing).
                assert await asyncio.to_thread(started.wait, 30)
                fast_response = await client.get("/fast")
                return [fast_response.status_code, (await slow_request).status_code]

        assert asyncio.run(scenario()) == [200, 200]
        assert events == ["slow port call started", "fast request answered", "slow port call finished"]


class TestGuide:
    def test_the_guides_application_runs(self) -> None:
        """The guide's under-30-lines application answers recommendations and documents every field."""
        text = (ROOT / "docs" / "guides" / "fastapi.md").read_text(encoding="utf-8")
        section = text.split("## The integration in under 30 lines", 1)[1]
        code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
        assert code is not None
        assert len(code.group(1).strip().splitlines()) < 30
        namespace: dict[str, Any] = {"__name__": "guide"}
        exec(compile(code.group(1), "docs/guides/fastapi.md", "exec"), namespace)
        with TestClient(namespace["app"]) as client:
            body = client.get("/learners/u-1/recommendations").json()
            document = client.get("/openapi.json").json()
        assert body["profiler_status"] == "not_completed"
        assert body["fallback"] is True
        assert set(document["components"]["schemas"]["ProfilerRecommendations"]["properties"]) == set(
            schema_for(ProfilerRecommendations)["$defs"]["ProfilerRecommendations"]["properties"]
        )


def test_the_modules_doctests_pass() -> None:
    """profiler_core.fastapi's docstring examples run (the library suite cannot import it)."""
    result = doctest.testmod(integration, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 2
    assert result.failed == 0

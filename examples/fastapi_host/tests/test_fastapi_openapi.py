"""The OpenAPI document lists every endpoint with a schema for every response it can give.

Each 200 schema is the library's own (``profiler_core.schema.schema_for``), so the
document shows every field the body has: the expectations below are built from
``schema_for``, never read from the document under test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Literal

import pytest
from fastapi.testclient import TestClient
from openapi_schemas import validator

from profiler_core import CeilingDecision, Mission, PortfolioEntry, Reason, Visibility
from profiler_core.analytics import CohortReport, EnterpriseReport
from profiler_core.mission_plan import MissionPlan
from profiler_core.schema import schema_for
from profiler_core.services import (
    LeadershipStart,
    LearnerMissions,
    ProfilerRecommendations,
    ResultsAllowed,
    TalentMatches,
    ValueStatementSync,
)

#: Every endpoint of the host and the statuses it documents (issue 8's list).
ENDPOINTS: dict[tuple[str, str], set[str]] = {
    ("get", "/api/v1/student/missions"): {"200", "400", "401", "503"},
    ("get", "/api/v1/student/missions/dashboard"): {"200", "400", "401", "503"},
    ("get", "/api/v1/recipes/profiler-recommendations"): {"200", "400", "401", "503"},
    ("get", "/api/v1/profiler/mentees/{mentee_id}/results"): {"200", "400", "401", "403", "404", "503"},
    ("get", "/api/v1/profiler/value-statement"): {"200", "400", "401", "404", "503"},
    ("put", "/api/v1/profiler/value-statement"): {"200", "400", "401", "404", "409", "503"},
    ("patch", "/api/v1/profiler/value-statement"): {"200", "400", "401", "404", "409", "503"},
    ("post", "/api/v1/profiler/completions"): {"200", "400", "401", "403", "404", "409", "503"},
    ("post", "/api/v1/profiler/sync-fastapi"): {"200", "400", "401", "403", "404", "409", "503"},
    ("get", "/api/v1/marketplace/talent-matches"): {"200", "400", "401", "503"},
    ("get", "/api/v1/profiler/cohorts/{cohort_id}/analytics"): {"200", "400", "401", "403", "404", "503"},
    ("get", "/api/v1/profiler/enterprises/{enterprise_id}/analytics"): {
        "200",
        "400",
        "401",
        "403",
        "404",
        "503",
    },
}


_OCH_STATEMENT: dict[str, object] = {
    "value_statement": str,
    "session_id": str | None,
    "ready_for_portfolio": bool,
    "created_at": datetime | None,
    "profiler_session_id": str | None,
    "status": str,
    "visibility": Visibility,
    "entry_id": str | None,
    "title": str,
    "body_version": str,
}
_EDIT: dict[str, object] = {"learner_id": str, "entry": PortfolioEntry, "reason": Reason, "degraded": bool}

#: Each endpoint's 200 body: a library type, (a type, keys the endpoint adds), or an object of types.
BODIES: dict[tuple[str, str], object] = {
    ("get", "/api/v1/student/missions"): (LearnerMissions, {"plan": MissionPlan}),
    ("get", "/api/v1/student/missions/dashboard"): {
        "learner_id": str,
        "decision": CeilingDecision,
        "next_mission": Mission | None,
        "eligible_count": int,
        "empty_reason": Reason | None,
        "degraded": bool,
        "plan": MissionPlan,
    },
    ("get", "/api/v1/recipes/profiler-recommendations"): ProfilerRecommendations,
    ("get", "/api/v1/profiler/mentees/{mentee_id}/results"): ResultsAllowed,
    ("get", "/api/v1/profiler/value-statement"): (LeadershipStart, _OCH_STATEMENT),
    ("put", "/api/v1/profiler/value-statement"): _EDIT,
    ("patch", "/api/v1/profiler/value-statement"): _EDIT,
    ("post", "/api/v1/profiler/completions"): ValueStatementSync,
    ("post", "/api/v1/profiler/sync-fastapi"): {
        "session_id": str,
        "session": Literal["stored", "unchanged", "kept"],
        "result": Literal["stored", "unchanged", "none"],
    },
    ("get", "/api/v1/marketplace/talent-matches"): TalentMatches,
    ("get", "/api/v1/profiler/cohorts/{cohort_id}/analytics"): CohortReport,
    ("get", "/api/v1/profiler/enterprises/{enterprise_id}/analytics"): EnterpriseReport,
}


def as_component(schema: Any) -> Any:
    """*schema* (from ``schema_for``) with its ``#/$defs/`` references as the document's components."""
    text = json.dumps(schema).replace('"#/$defs/', '"#/components/schemas/')
    return json.loads(text)


def library(type_: object) -> tuple[dict[str, Any], dict[str, Any]]:
    """``schema_for(type_)``'s root schema and its definitions, in the document's reference form."""
    schema = schema_for(type_)
    defs = as_component(schema.pop("$defs", {}))
    schema.pop("$schema")
    return as_component(schema), defs


def expected_body(body: object) -> tuple[dict[str, Any], dict[str, Any]]:
    """The 200 schema *body* should have (resolved, not a reference) and the definitions it needs."""
    if isinstance(body, Mapping):
        parts = {key: library(type_) for key, type_ in body.items()}
        root = {
            "type": "object",
            "properties": {key: schema for key, (schema, _) in parts.items()},
            "required": list(parts),
            "additionalProperties": False,
        }
        return root, {name: d for _, defs in parts.values() for name, d in defs.items()}
    extra: Mapping[str, object] = {}
    if isinstance(body, tuple):
        body, extra = body
    reference, defs = library(body)
    base: dict[str, Any] = defs[reference["$ref"].rsplit("/", 1)[1]]
    for key, type_ in extra.items():
        schema, more = library(type_)
        properties = {**base["properties"], key: schema}
        base = {**base, "properties": properties, "required": [*base["required"], key]}
        defs = {**defs, **more}
    return base, defs


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    """The served OpenAPI document."""
    response = client.get("/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def refs(node: object) -> Iterator[str]:
    """Every ``$ref`` in a JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


class TestOpenAPI:
    def test_lists_exactly_the_endpoints(self, document: dict[str, Any]) -> None:
        """The document's operations are exactly the host's endpoints."""
        operations = {(method, path) for path, ops in document["paths"].items() for method in ops}
        assert operations == set(ENDPOINTS)

    @pytest.mark.parametrize(("method", "path"), sorted(ENDPOINTS))
    def test_every_response_has_a_schema(self, document: dict[str, Any], method: str, path: str) -> None:
        """Each documented status (success and every error) carries a schema: a reference or an object."""
        responses = document["paths"][path][method]["responses"]
        assert set(responses) == ENDPOINTS[(method, path)]
        for status, response in responses.items():
            schema = response["content"]["application/json"]["schema"]
            has_schema = "$ref" in schema or schema.get("type") == "object"
            assert has_schema, f"{method} {path} {status} has no schema"

    @pytest.mark.parametrize(("method", "path"), sorted(BODIES))
    def test_the_200_schema_is_the_librarys(self, document: dict[str, Any], method: str, path: str) -> None:
        """The success body's schema is schema_for's: every field, and every definition it refers to."""
        schema = document["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        components = document["components"]["schemas"]
        if "$ref" in schema:
            schema = components[schema["$ref"].rsplit("/", 1)[1]]
        # FastAPI titles an inline response schema after the operation: a label, not a constraint.
        schema = {key: value for key, value in schema.items() if key != "title"}
        expected, defs = expected_body(BODIES[(method, path)])
        assert schema == expected
        for name, definition in defs.items():
            assert components[name] == definition, name

    def test_every_reference_resolves(self, document: dict[str, Any]) -> None:
        """No $ref points at a schema the document does not define."""
        defined = {f"#/components/schemas/{name}" for name in document["components"]["schemas"]}
        assert set(refs(document)) <= defined

    def test_error_bodies_are_the_library_shapes(self, document: dict[str, Any]) -> None:
        """400 is error_body(InvalidPayloadError), 403 carries reason codes, 404 the typed message."""
        schemas = document["components"]["schemas"]
        assert set(schemas["PayloadErrorBody"]["properties"]) == {"code", "type", "errors"}
        assert set(schemas["ProblemBody"]["properties"]) == {"path", "code", "message"}
        assert set(schemas["DeniedBody"]["properties"]) == {"code", "reason_codes", "detail"}
        assert set(schemas["NotFoundBody"]["properties"]) == {"code", "kind", "key", "detail"}

    def test_the_statement_404_is_documented_with_the_platform_keys(
        self, client: TestClient, document: dict[str, Any]
    ) -> None:
        """GET /value-statement's 404 (no statement) fits its schema, which requires the platform's keys."""
        response = client.get("/api/v1/profiler/value-statement", headers={"X-User-Id": "learner-006"})
        assert response.status_code == 404
        body = response.json()
        responses = document["paths"]["/api/v1/profiler/value-statement"]["get"]["responses"]
        schema = validator(responses["404"]["content"]["application/json"]["schema"], document)
        schema.validate(body)
        assert not schema.is_valid({key: value for key, value in body.items() if key != "message"})
        assert not schema.is_valid({key: value for key, value in body.items() if key != "kind"})

    def test_no_422_anywhere(self, document: dict[str, Any]) -> None:
        """Request validation answers 400 in the library's shape, so 422 is never documented."""
        statuses = {s for ops in document["paths"].values() for op in ops.values() for s in op["responses"]}
        assert "422" not in statuses
        assert "HTTPValidationError" not in document["components"]["schemas"]

    def test_vocabulary_fields_list_their_values(self, document: dict[str, Any]) -> None:
        """Enums from the library (tracks, mission difficulties) appear with their values."""
        schemas = document["components"]["schemas"]
        track, null = schemas["Mission"]["properties"]["track"]["anyOf"]
        assert null == {"type": "null"}
        assert set(track["enum"]) == {
            "defender",
            "offensive",
            "innovation",
            "leadership",
            "grc",
        }
        assert schemas["Mission"]["properties"]["difficulty"]["enum"] == [1, 2, 3, 4, 5]

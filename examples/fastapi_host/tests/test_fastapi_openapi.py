"""The OpenAPI document lists every endpoint with a schema for every response it can give."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

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
        """Each documented status (success and every error) carries a JSON schema reference."""
        responses = document["paths"][path][method]["responses"]
        assert set(responses) == ENDPOINTS[(method, path)]
        for status, response in responses.items():
            schema = response["content"]["application/json"]["schema"]
            assert "$ref" in schema, f"{method} {path} {status} has no schema"

    def test_every_reference_resolves(self, document: dict[str, Any]) -> None:
        """No $ref points at a schema the document does not define."""
        defined = {f"#/components/schemas/{name}" for name in document["components"]["schemas"]}
        assert set(refs(document)) <= defined

    def test_error_bodies_are_the_library_shapes(self, document: dict[str, Any]) -> None:
        """400 is error_body(InvalidPayloadError), 403 carries reason codes, 404 the typed message."""
        schemas = document["components"]["schemas"]
        assert set(schemas["PayloadErrorBody"]["properties"]) == {"code", "type", "errors"}
        assert set(schemas["ProblemOut"]["properties"]) == {"path", "code", "message"}
        assert set(schemas["DeniedBody"]["properties"]) == {"code", "reason_codes", "detail"}
        assert set(schemas["NotFoundBody"]["properties"]) == {"code", "kind", "key", "detail"}

    def test_no_422_anywhere(self, document: dict[str, Any]) -> None:
        """Request validation answers 400 in the library's shape, so 422 is never documented."""
        statuses = {s for ops in document["paths"].values() for op in ops.values() for s in op["responses"]}
        assert "422" not in statuses
        assert "HTTPValidationError" not in document["components"]["schemas"]

    def test_vocabulary_fields_list_their_values(self, document: dict[str, Any]) -> None:
        """Enums from the library (tracks, selections) appear with their values."""
        schemas = document["components"]["schemas"]
        assert set(schemas["TrackKey"]["enum"]) == {
            "defender",
            "offensive",
            "innovation",
            "leadership",
            "grc",
        }
        assert schemas["MissionDifficulty"]["enum"] == [1, 2, 3, 4, 5]

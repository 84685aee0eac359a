"""The OpenAPI document (drf-spectacular) and schemathesis against the running host.

The document must show every endpoint's 200 body (its keys, and the library's
own schemas where a body holds a library value), and every answer the host
gives to schemathesis's generated requests must be documented: no 500, a
documented status, a body valid against the documented schema, the declared
content type. Bounded: 25 examples per operation, derandomized (the same
requests every run).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from profiler_host import och_fixture as f
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from profiler_core.decisions import PolicyRef, Reason
from profiler_core.schema import schema_for

SCHEMA_PATH = "/api/schema/?format=json"

#: Who calls each operation: staff (may see every learner and cohort) or learner 16 (has a completed session).
STAFF, LEARNER = str(f.STAFF), str(f.MENTEE)


def caller(path: str) -> str:
    """Learner 16 on the learner's own endpoints; staff on the mentee and analytics ones."""
    own = ("/api/v1/student", "/api/v1/recipes", "/api/v1/marketplace", "/api/v1/profiler/value-statement")
    return LEARNER if path.startswith(own) else STAFF


#: The host as a WSGI app; schemathesis reads the document from it (no query: the document needs no user).
APP = WSGIHandler()
schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, APP)


@pytest.fixture
def served(och: None) -> Iterator[None]:
    """The OCH fixture loaded, and the test's transaction kept open across requests to :data:`APP`.

    Django closes the connection after each request, which would end the test's
    transaction: the test client disconnects that handler, and so does this fixture.
    """
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_is_documented(served: None, case: Any) -> None:
    """No 500; every status, body and content type the host answers is the one its document declares."""
    case.call_and_validate(
        headers={"X-User-Id": caller(case.path)},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )


#: The operations that decide access: the mentee and analytics routes.
GUARDED = schema.include(path_regex=r"^/api/v1/profiler/(mentees|admin|cohorts|enterprises)/")


@pytest.mark.django_db
@GUARDED.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_refusal_is_documented(served: None, case: Any) -> None:
    """A viewer denied everything (finance user 29): the uniform 403s are the documented bodies."""
    case.call_and_validate(
        headers={"X-User-Id": str(f.FINANCE)},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )


# --- the document itself -------------------------------------------------------------


@pytest.fixture
def document(client: Client) -> dict[str, Any]:
    """The OpenAPI document as the host serves it."""
    response = client.get(SCHEMA_PATH)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return _resolve(document, document["components"]["schemas"][ref.rsplit("/", 1)[-1]])
    return schema


def _ok_schema(document: dict[str, Any], path: str, method: str = "get") -> dict[str, Any]:
    content = document["paths"][path][method]["responses"]["200"]["content"]["application/json"]
    return _resolve(document, content["schema"])


#: Each GET endpoint (as the document names it) and the keys of its 200 body that carry library values.
ENDPOINTS = [
    "/api/v1/student/missions/",
    "/api/v1/student/missions/dashboard",
    "/api/v1/recipes/profiler-recommendations",
    "/api/v1/profiler/mentees/{mentee_id}/results",
    "/api/v1/profiler/mentees/{mentee_id}/future-you",
    "/api/v1/profiler/value-statement",
    "/api/v1/marketplace/talent-matches",
    "/api/v1/marketplace/talent-matches/profiler",
    "/api/v1/profiler/admin/cohorts/{cohort_id}/analytics",
    "/api/v1/profiler/cohorts/{cohort_id}/analytics",
    "/api/v1/profiler/admin/enterprise/analytics",
    "/api/v1/profiler/enterprises/{enterprise_id}/analytics",
]


class TestDocument:
    def test_it_is_openapi_3_1_with_every_endpoint(self, document: dict[str, Any]) -> None:
        """OpenAPI 3.1 (the library's schemas are draft 2020-12), every JSON route, no dashboard page."""
        assert document["openapi"] == "3.1.0"
        assert set(ENDPOINTS) <= set(document["paths"])
        assert not [p for p in document["paths"] if not p.startswith("/api/v1/")]

    @pytest.mark.parametrize("path", ENDPOINTS)
    def test_every_200_body_names_the_keys_the_host_answers(
        self, och: None, document: dict[str, Any], client: Client, path: str
    ) -> None:
        """Each key of a real 200 body (over the OCH fixture) is a property of the documented 200 schema."""
        url = path.format(mentee_id=f.MENTEE, cohort_id=f.CORONA_COHORT, enterprise_id=f.USER_UUID[5])
        query = {"sponsor_id": str(f.USER_UUID[5])} if path.endswith("enterprise/analytics") else {}
        response = client.get(url, query, headers={"X-User-Id": caller(path)})
        assert response.status_code == 200, response.content
        properties = _ok_schema(document, path)["properties"]
        assert set(response.json()) <= set(properties)

    @pytest.mark.parametrize("path", ENDPOINTS)
    def test_reasons_and_policy_are_the_librarys_schemas(self, document: dict[str, Any], path: str) -> None:
        """A body's ``reasons`` and ``policy`` are documented as schema_for(Reason) and (PolicyRef)."""
        properties = _ok_schema(document, path)["properties"]
        reason = schema_for(Reason)["$defs"]["Reason"]
        policy = schema_for(PolicyRef)["$defs"]["PolicyRef"]
        for key in ("reasons", "policy"):
            if key not in properties:
                continue
            shown = properties[key]
            if key == "reasons":
                assert shown["type"] == "array"
                assert _resolve(document, shown["items"]) == reason
            else:
                assert _resolve(document, shown) == policy

    def test_components_hold_the_library_definitions(self, document: dict[str, Any]) -> None:
        """The library's $defs are components (Reason, PolicyRef, Suppressed, JobPosting, MatchScore)."""
        components = document["components"]["schemas"]
        for name in ("Reason", "PolicyRef", "Suppressed", "JobPosting", "MatchScore"):
            assert name in components
        assert "$defs" not in str(document)


#: Answers in states schemathesis's requests do not reach (its callers are learner 16 and staff, its
#: ids mostly unknown): a learner without a completed session, one with none at all, another viewer.
STATES = [
    ("/api/v1/student/missions/", {}, f.UNPROFILED),
    ("/api/v1/student/missions/dashboard", {}, f.UNPROFILED),
    ("/api/v1/recipes/profiler-recommendations", {}, f.UNPROFILED),
    ("/api/v1/recipes/profiler-recommendations", {}, f.COHORT_MENTEE),
    (f"/api/v1/profiler/mentees/{f.MENTEE}/results", {}, f.MENTOR),
    (f"/api/v1/profiler/mentees/{f.COHORT_MENTEE}/results", {}, f.DIRECTOR),
    (f"/api/v1/profiler/mentees/{f.CLASSMATE}/results", {}, f.STAFF),
    (f"/api/v1/profiler/mentees/{f.UNPROFILED}/future-you", {}, f.STAFF),
    (f"/api/v1/profiler/mentees/{f.CLASSMATE}/future-you", {}, f.STAFF),
    ("/api/v1/profiler/value-statement", {}, f.UNPROFILED),
    ("/api/v1/marketplace/talent-matches", {}, f.UNPROFILED),
    ("/api/v1/marketplace/talent-matches/profiler", {}, f.UNPROFILED),
    (f"/api/v1/profiler/admin/cohorts/{f.SPONSORED_COHORT}/analytics", {}, f.SPONSOR_ADMIN),
    (f"/api/v1/profiler/admin/cohorts/{f.CORONA_COHORT}/analytics", {}, f.DIRECTOR),
    ("/api/v1/profiler/admin/enterprise/analytics", {"sponsor_id": str(f.USER_UUID[5])}, f.SPONSOR_ADMIN),
    (f"/api/v1/profiler/mentees/{f.MENTEE}/results", {}, f.FINANCE),
    (f"/api/v1/profiler/mentees/{f.MENTEE}/future-you", {}, f.FINANCE),
    (f"/api/v1/profiler/admin/cohorts/{f.CORONA_COHORT}/analytics", {}, f.FINANCE),
    ("/api/v1/profiler/admin/enterprise/analytics", {"sponsor_id": str(f.USER_UUID[5])}, f.FINANCE),
]


def _template(document: dict[str, Any], url: str) -> str:
    """The document's path template that *url* instantiates."""
    for template in document["paths"]:
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), url):
            return template
    raise AssertionError(f"no documented path for {url}")


@pytest.mark.parametrize("call", STATES, ids=[f"{url}-as-{user}" for url, _, user in STATES])
def test_the_answer_in_each_state_matches_its_schema(
    och: None, document: dict[str, Any], client: Client, call: tuple[str, dict[str, str], int]
) -> None:
    """Each answer's status is documented and its body validates against that status's documented schema."""
    url, query, user = call
    response = client.get(url, query, headers={"X-User-Id": str(user)})
    documented = document["paths"][_template(document, url)]["get"]["responses"]
    assert str(response.status_code) in documented, response.content
    schema = documented[str(response.status_code)]["content"]["application/json"]["schema"]
    validator = jsonschema.Draft202012Validator({**schema, "components": document["components"]})
    assert [error.message for error in validator.iter_errors(response.json())] == []


def _undocumented(document: dict[str, Any], schema: dict[str, Any], value: object, path: str) -> list[str]:
    """The paths in *value* that *schema* does not name (a map's values checked against its value schema)."""
    schema = _resolve(document, schema)
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        components = document["components"]
        fitting = [
            _undocumented(document, branch, value, path)
            for branch in branches
            if jsonschema.Draft202012Validator({**branch, "components": components}).is_valid(value)
        ]
        return min(fitting, key=len) if fitting else [path]
    found: list[str] = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        values = schema.get("additionalProperties")
        for key, item in value.items():
            if key in properties:
                found += _undocumented(document, properties[key], item, f"{path}.{key}")
            elif isinstance(values, dict) and values and not properties:
                found += _undocumented(document, values, item, f"{path}.*")
            else:
                found.append(f"{path}.{key}")
    elif isinstance(value, list):
        items = schema.get("items")
        for item in value:
            if items is not None:
                found += _undocumented(document, items, item, f"{path}[]")
            elif isinstance(item, dict | list):
                found.append(f"{path}[] (no item schema)")
    return sorted(set(found))


#: Every endpoint's usual answer, then the states above.
ANSWERS = [
    (
        path.format(mentee_id=f.MENTEE, cohort_id=f.CORONA_COHORT, enterprise_id=f.USER_UUID[5]),
        {"sponsor_id": str(f.USER_UUID[5])} if path.endswith("enterprise/analytics") else {},
        int(caller(path)),
    )
    for path in ENDPOINTS
] + STATES


@pytest.mark.parametrize("call", ANSWERS, ids=[f"{url}-as-{user}" for url, _, user in ANSWERS])
def test_every_key_of_each_answer_is_documented(
    och: None, document: dict[str, Any], client: Client, call: tuple[str, dict[str, str], int]
) -> None:
    """Every key at every depth of a real answer is a property its documented schema names."""
    url, query, user = call
    response = client.get(url, query, headers={"X-User-Id": str(user)})
    documented = document["paths"][_template(document, url)]["get"]["responses"]
    schema = documented[str(response.status_code)]["content"]["application/json"]["schema"]
    undocumented = _undocumented(document, schema, response.json(), "$")
    assert undocumented == [], "undocumented: " + " ".join(undocumented)

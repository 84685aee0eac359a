"""profiler_core._http_errors: the error tree as statuses and bodies (the FastAPI and DRF handlers' table)."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import jsonschema
import pytest

from profiler_core import _http_errors as http
from profiler_core.errors import (
    AccessDeniedError,
    InvalidPayloadError,
    InvalidValueError,
    NotFoundError,
    PolicyError,
    Problem,
    RepositoryError,
    UnknownValueError,
)

LOG = logging.getLogger("profiler_core.tests.http_errors")

UNAVAILABLE = {"code": "repository_error", "detail": "A repository could not answer; try again later."}


def answer(exc: BaseException) -> tuple[int, dict[str, Any]]:
    result = http.error_status_and_body(exc, log=LOG)
    assert result is not None
    return result


def component_validator(name: str) -> jsonschema.Draft202012Validator:
    """A validator of one ERROR_SCHEMAS component, its references resolved in the same components."""
    components = {"schemas": {key: dict(value) for key, value in http.ERROR_SCHEMAS.items()}}
    return jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": components})


class TestStatusAndBody:
    def test_an_invalid_payload_is_400_with_every_problem(self) -> None:
        """InvalidPayloadError answers 400 with error_body: its type, each problem's path, code, message."""
        exc = InvalidPayloadError(
            [Problem(path="$.k", message="must be 1..9", code="out_of_range")], type_name="P"
        )
        assert answer(exc) == (
            400,
            {
                "code": "invalid_payload",
                "type": "P",
                "errors": [{"path": "$.k", "code": "out_of_range", "message": "must be 1..9"}],
            },
        )

    def test_a_denial_is_403_with_its_reason_codes(self) -> None:
        """AccessDeniedError answers 403 {code, reason_codes, detail}."""
        assert answer(AccessDeniedError(reason_codes=["not_mentor", "outside_scope"])) == (
            403,
            {
                "code": "access_denied",
                "reason_codes": ["not_mentor", "outside_scope"],
                "detail": "access denied: not_mentor, outside_scope",
            },
        )

    def test_a_missing_thing_is_404_with_kind_and_key(self) -> None:
        """NotFoundError answers 404 {code, kind, key (as text), detail}."""
        assert answer(NotFoundError(kind="cohort", key=7)) == (
            404,
            {"code": "not_found", "kind": "cohort", "key": "7", "detail": "cohort 7 not found"},
        )

    @pytest.mark.parametrize(
        ("exc", "operation"),
        [
            (RepositoryError("secret dsn db.internal:5432", operation="cohorts.get"), "cohorts.get"),
            (ConnectionError("secret dsn db.internal:5432"), "ConnectionError"),
            (sqlite3.OperationalError("secret dsn db.internal:5432"), "OperationalError"),
        ],
        ids=["repository-error", "os-error", "database-error"],
    )
    def test_a_repository_failure_is_503_without_its_message(
        self, exc: BaseException, operation: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A repository failure answers 503, fixed detail; the WARNING names its operation or type only."""
        with caplog.at_level(logging.WARNING, logger=LOG.name):
            assert answer(exc) == (503, UNAVAILABLE)
        assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
            (LOG.name, logging.WARNING, f"repository failed outside a service (operation {operation})")
        ]
        assert "secret" not in caplog.text

    @pytest.mark.parametrize(
        ("exc", "code"),
        [
            (UnknownValueError(field="track", value="astro", expected=["grc"]), "unknown_value"),
            (
                InvalidValueError(field="limit", reason="must be at least 1", problem_code="out_of_range"),
                "out_of_range",
            ),
            (PolicyError(policy="suppression@1", reason="k must be at least 2"), "invalid_value"),
        ],
        ids=["unknown-value", "problem-code", "no-problem-code"],
    )
    def test_another_library_error_is_400_with_one_problem_at_the_root(
        self, exc: Exception, code: str
    ) -> None:
        """Any other ProfilerCoreError answers 400 in error_body's shape: type request, one problem at $."""
        status, body = answer(exc)
        assert (status, body["code"], body["type"]) == (400, "invalid_payload", "request")
        assert body["errors"] == [{"path": "$", "code": code, "message": str(exc)}]

    @pytest.mark.parametrize("exc", [KeyError("x"), TypeError("bug"), ValueError("not ours")], ids=str)
    def test_anything_else_is_none(self, exc: Exception) -> None:
        """An exception outside the library's tree (and no repository failure) is left to the framework."""
        assert http.error_status_and_body(exc, log=LOG) is None


class TestSchemas:
    @pytest.mark.parametrize(
        ("exc", "component"),
        [
            (
                InvalidPayloadError([Problem(path="$", message="m", code="blank")], type_name="T"),
                "PayloadErrorBody",
            ),
            (UnknownValueError(field="track", value="astro", expected=["grc"]), "PayloadErrorBody"),
            (AccessDeniedError(reason_codes=["a"]), "DeniedBody"),
            (NotFoundError(kind="cohort", key="c-1"), "NotFoundBody"),
            (RepositoryError(operation="x"), "ReasonBody"),
        ],
        ids=["payload", "other-error", "denied", "not-found", "repository"],
    )
    def test_every_answer_validates_against_its_status_schemas(self, exc: Exception, component: str) -> None:
        """Each body validates against its status's component and its status's error_schema."""
        status, body = answer(exc)
        assert http.ERROR_COMPONENTS.get(status, "ReasonBody") == component
        component_validator(component).validate(body)
        jsonschema.validate(body, http.error_schema(status))

    @pytest.mark.parametrize(
        ("component", "body"),
        [
            ("PayloadErrorBody", {"code": "invalid_payload", "type": "T", "errors": [], "extra": 1}),
            ("PayloadErrorBody", {"code": "access_denied", "type": "T", "errors": []}),
            ("ProblemBody", {"path": "$", "code": "made_up", "message": "m"}),
            ("DeniedBody", {"code": "access_denied", "detail": "no reason codes"}),
            ("NotFoundBody", {"code": "not_found", "detail": "no kind, no key"}),
            ("ReasonBody", {"code": "repository_error"}),
        ],
        ids=["extra-key", "wrong-code", "unknown-problem-code", "no-reasons", "no-kind", "no-detail"],
    )
    def test_a_component_refuses_another_shape(self, component: str, body: dict[str, object]) -> None:
        """Each component refuses a body missing what it always carries, or with what it never carries."""
        assert not component_validator(component).is_valid(body)

    def test_a_host_may_add_keys_to_a_404(self) -> None:
        """NotFoundBody is open: a platform's not-found body with its own keys validates."""
        body = {"code": "not_found", "kind": "k", "key": "1", "detail": "d", "platform": "x"}
        assert component_validator("NotFoundBody").is_valid(body)

    def test_error_schema_is_the_callers_to_change(self) -> None:
        """Changing one error_schema result changes neither the next one nor ERROR_SCHEMAS."""
        first = http.error_schema(400)
        first["properties"]["errors"]["items"]["properties"]["code"]["enum"].clear()
        first["properties"]["code"]["type"] = "integer"
        again = http.error_schema(400)
        assert again["properties"]["errors"]["items"]["properties"]["code"]["enum"]
        assert again["properties"]["code"] == {"type": "string"}
        assert http.ERROR_SCHEMAS["ProblemBody"]["properties"]["code"]["enum"]

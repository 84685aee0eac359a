"""profiler_core._drf_openapi: library schemas as OpenAPI components (profiler_core.drf re-exports them)."""

from __future__ import annotations

import jsonschema
import pytest

import profiler_core as pc
from profiler_core import _drf_openapi as openapi
from profiler_core._openapi import COMPONENTS_KEY
from profiler_core.decisions import Reason
from profiler_core.errors import InvalidPayloadError, Problem
from profiler_core.reports import CohortReport, Suppressed
from profiler_core.schema import schema_for
from profiler_core.serialization import error_body, unstructure


class TestLibrarySchema:
    def test_the_root_refers_to_a_component(self) -> None:
        """A value's schema is a components reference; postprocess_schema adds exactly its definitions."""
        root = openapi.library_schema(CohortReport)
        assert {k: v for k, v in root.items() if k != COMPONENTS_KEY} == {
            "$ref": "#/components/schemas/CohortReport"
        }
        assert set(root[COMPONENTS_KEY]) == set(schema_for(CohortReport)["$defs"])
        components = openapi.postprocess_schema({"paths": {"/x": {"get": {"schema": root}}}})["components"]
        expected = schema_for(CohortReport)["$defs"]
        assert set(components["schemas"]) == set(expected)
        assert "$defs" not in str(components)

    def test_input_definitions_are_named_apart(self) -> None:
        """An input schema's definitions are <Name>Input, never the output ones."""
        root = openapi.library_schema(pc.ProfilerSession, direction="input")
        assert {k: v for k, v in root.items() if k != COMPONENTS_KEY} == {
            "$ref": "#/components/schemas/ProfilerSessionInput"
        }
        schemas = openapi.postprocess_schema({"r": root})["components"]["schemas"]
        assert "ProfilerSessionInput" in schemas
        assert "ProfilerSession" not in schemas

    def test_a_rewritten_schema_validates_library_json(self) -> None:
        """A value's JSON validates against the rewritten schema and its components; a wrong one does not."""
        root = openapi.library_schema(tuple[Reason, ...])
        document = openapi.postprocess_schema({"r": root})
        validator = jsonschema.Draft202012Validator({**root, "components": document["components"]})
        assert validator.is_valid(unstructure((Reason(code="a", message="A."),)))
        assert not validator.is_valid([{"code": "a"}])
        suppressed = openapi.library_schema(Suppressed)
        components = openapi.postprocess_schema({"r": suppressed})["components"]
        assert jsonschema.Draft202012Validator({**suppressed, "components": components}).is_valid(
            {"suppressed": True}
        )

    def test_a_component_name_with_two_schemas_is_refused(self) -> None:
        """A document's own Reason that differs from the library's is a ValueError, never replaced."""
        document = {
            "components": {"schemas": {"Reason": {"type": "null"}}},
            "r": openapi.library_schema(Reason),
        }
        with pytest.raises(ValueError, match="'Reason'"):
            openapi.postprocess_schema(document)

    def test_postprocess_keeps_the_documents_own_components(self) -> None:
        """A document's own component is kept; library ones no schema carries are left out."""
        own = {"type": "string"}
        document = {"components": {"schemas": {"Mine": own}}, "r": openapi.library_schema(Reason)}
        schemas = openapi.postprocess_schema(document)["components"]["schemas"]
        assert schemas["Mine"] == own
        assert "Reason" in schemas
        assert "CohortReport" not in schemas

    def test_no_definition_outlives_its_document(self) -> None:
        """A schema built for one document adds nothing to another (regression: a global registry did)."""
        openapi.library_schema(CohortReport)
        document = openapi.postprocess_schema({"r": {"$ref": "#/components/schemas/CohortReport"}})
        assert document["components"]["schemas"] == {}


class TestErrorSchema:
    def test_the_400_schema_takes_error_body(self) -> None:
        """error_body of any InvalidPayloadError validates against error_schema(400) (and 415)."""
        problem = Problem(path="$.x", message="m", code="blank")
        body = error_body(InvalidPayloadError([problem], type_name="T"))
        jsonschema.validate(body, openapi.error_schema(400))
        jsonschema.validate(body, openapi.error_schema(415))

    @pytest.mark.parametrize(
        ("status", "body"),
        [
            (400, {"code": "unknown_value", "detail": "no errors list"}),
            (400, {"code": "invalid_payload", "errors": [{"path": "$", "code": "made_up", "message": "m"}]}),
            (403, {"code": "access_denied", "detail": "no reason codes"}),
            (404, {"code": "not_found"}),
        ],
        ids=["400-without-errors", "400-unknown-problem-code", "403-without-reasons", "404-without-detail"],
    )
    def test_a_body_of_another_shape_is_refused(self, status: int, body: dict[str, object]) -> None:
        """Each status's schema refuses a body missing what that status always carries."""
        assert not jsonschema.Draft202012Validator(openapi.error_schema(status)).is_valid(body)

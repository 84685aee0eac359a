"""profiler_core._openapi: library schemas carry their definitions until lift_components moves them."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest

import profiler_core as pc
from profiler_core import _openapi as openapi
from profiler_core.decisions import PolicyRef, Reason
from profiler_core.reports import CohortReport, Suppressed
from profiler_core.schema import schema_for
from profiler_core.serialization import unstructure

KEY = "x-profiler-core-components"


class TestLibrarySchema:
    def test_the_root_refers_to_a_component_and_carries_every_definition(self) -> None:
        """A value's schema is a components reference carrying exactly its $defs; no $defs or $schema left."""
        schema = openapi.library_schema(CohortReport)
        assert openapi.COMPONENTS_KEY == KEY
        assert {key: value for key, value in schema.items() if key != KEY} == {
            "$ref": "#/components/schemas/CohortReport"
        }
        assert set(schema[KEY]) == set(schema_for(CohortReport)["$defs"])
        assert "$defs" not in str(schema)
        assert "$schema" not in str(schema)

    def test_a_definitions_references_point_at_components(self) -> None:
        """References inside a carried definition point at components/schemas, never at $defs."""
        carried = openapi.library_schema(tuple[Reason, ...])
        assert carried["items"] == {"$ref": "#/components/schemas/Reason"}
        report = openapi.library_schema(CohortReport)[KEY]["CohortReport"]
        refs = [part for part in str(report).split("'") if part.startswith("#/")]
        assert refs
        assert all(ref.startswith("#/components/schemas/") for ref in refs)

    def test_input_definitions_are_named_apart(self) -> None:
        """An input schema's definitions are <Name>Input, never the output ones."""
        schema = openapi.library_schema(pc.ProfilerSession, direction="input")
        assert schema["$ref"] == "#/components/schemas/ProfilerSessionInput"
        assert "ProfilerSessionInput" in schema[KEY]
        assert all(name.endswith("Input") for name in schema[KEY])

    @pytest.mark.parametrize(
        ("name", "direction", "expected"),
        [
            ("Reason", "output", "Reason"),
            ("Reason", "input", "ReasonInput"),
            ("FrozenMap[str, int]", "output", "FrozenMap_str__int_"),
        ],
    )
    def test_component_names_use_openapis_characters(self, name: str, direction: Any, expected: str) -> None:
        """A component name keeps letters, digits, '.', '_' and '-'; anything else becomes '_'."""
        assert openapi.component_name(name, direction) == expected

    def test_two_calls_share_nothing(self) -> None:
        """Changing one schema's carried definitions leaves the next call's untouched."""
        first = openapi.library_schema(Reason)
        first[KEY]["Reason"]["properties"].clear()
        assert openapi.library_schema(Reason)[KEY]["Reason"]["properties"]


class TestLift:
    def test_carried_definitions_move_into_components_sorted(self) -> None:
        """Every carried block, at any depth, lands in components/schemas sorted by name; no key is left."""
        document: dict[str, Any] = {
            "paths": {
                "/a": {"get": {"schema": openapi.library_schema(Suppressed)}},
                "/b": {"get": {"schema": {"anyOf": [openapi.library_schema(PolicyRef), {"type": "null"}]}}},
                "/c": [openapi.library_schema(Reason)],
            }
        }
        lifted = openapi.lift_components(document)
        assert list(lifted["components"]["schemas"]) == ["PolicyRef", "Reason", "Suppressed"]
        assert KEY not in str(lifted)

    def test_a_shared_schema_is_lifted_again_in_the_next_document(self) -> None:
        """A schema reused by each build of a document carries its definitions each time (regression)."""
        shared = {"type": "object", "properties": {"r": openapi.library_schema(Reason)}}
        before = copy.deepcopy(shared)
        first = openapi.lift_components({"paths": {"/r": shared}})
        second = openapi.lift_components({"paths": {"/r": shared}})
        assert shared == before
        assert first == second
        assert list(second["components"]["schemas"]) == ["Reason"]

    def test_the_documents_own_components_are_kept(self) -> None:
        """A component the document already has stays; an identical carried one is no conflict."""
        own = {"type": "string"}
        reason = openapi.library_schema(Reason)[KEY]["Reason"]
        document = {
            "components": {"schemas": {"Mine": own, "Reason": copy.deepcopy(reason)}},
            "r": openapi.library_schema(Reason),
        }
        assert openapi.lift_components(document)["components"]["schemas"] == {"Mine": own, "Reason": reason}

    def test_two_schemas_for_one_name_are_refused(self) -> None:
        """A document's Reason that differs from the library's is a ValueError naming it, never replaced."""
        document = {
            "components": {"schemas": {"Reason": {"type": "null"}}},
            "r": openapi.library_schema(Reason),
        }
        with pytest.raises(ValueError, match="'Reason'"):
            openapi.lift_components(document)

    def test_a_lifted_document_validates_library_json(self) -> None:
        """A value's JSON validates against the lifted schema and its components; a wrong one does not."""
        root = openapi.library_schema(tuple[Reason, ...])
        document = openapi.lift_components({"r": root})
        validator = jsonschema.Draft202012Validator({**root, "components": document["components"]})
        assert validator.is_valid(unstructure((Reason(code="a", message="A."),)))
        assert not validator.is_valid([{"code": "a"}])

    def test_nothing_is_remembered_between_documents(self) -> None:
        """A document gets only the definitions its own schemas carry (no registry outlives a call)."""
        openapi.lift_components({"r": openapi.library_schema(CohortReport)})
        document = openapi.lift_components({"r": {"$ref": "#/components/schemas/CohortReport"}})
        assert document["components"]["schemas"] == {}


class TestDeepCopies:
    def test_lift_reads_a_deep_copied_schema(self) -> None:
        """lift_components moves the carried definitions also after a deep copy (a framework's)."""
        document = openapi.lift_components(
            copy.deepcopy({"paths": {"/r": [{"schema": openapi.library_schema(Reason)}]}})
        )
        assert list(document["components"]["schemas"]) == ["Reason"]
        assert document["paths"]["/r"] == [{"schema": {"$ref": "#/components/schemas/Reason"}}]

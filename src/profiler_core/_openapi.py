"""The library's JSON Schemas in OpenAPI: definitions carried, then lifted into ``components/schemas``.

Framework-free (it imports no web framework), so the library's own suite tests
it. :mod:`profiler_core.fastapi` and :mod:`profiler_core.drf` build their
schemas with :func:`library_schema` and move the definitions into the
document with :func:`lift_components` (FastAPI's ``install_openapi``, DRF's
``postprocess_schema`` hook); no definition is kept anywhere else.

A schema carries its definitions under :data:`COMPONENTS_KEY` (an OpenAPI
``x-`` extension, so a framework passes it through untouched).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any, Final, TypeAlias

from profiler_core.schema import Direction, schema_for

__all__ = [
    "COMPONENTS_KEY",
    "COMPONENT_REF",
    "component_name",
    "library_schema",
    "merge_components",
    "lift_components",
]

Schema: TypeAlias = dict[str, Any]

#: The key under which a schema carries the definitions it needs until :func:`lift_components`.
COMPONENTS_KEY: Final = "x-profiler-core-components"

#: Where an OpenAPI reference to a component points.
COMPONENT_REF: Final = "#/components/schemas/"

_DEFS: Final = "#/$defs/"
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9._-]")


def component_name(name: str, direction: Direction = "output") -> str:
    """The component name of the ``$defs`` entry *name*: OpenAPI's characters, ``<Name>Input`` for input.

    >>> component_name("Reason"), component_name("Reason", "input")
    ('Reason', 'ReasonInput')
    """
    safe = _UNSAFE.sub("_", name)
    return safe if direction == "output" else f"{safe}Input"


def _rewrite(node: object, direction: Direction) -> Any:
    """*node* with every ``#/$defs/X`` reference pointing at X's component."""
    if isinstance(node, dict):
        return {
            key: COMPONENT_REF + component_name(value.removeprefix(_DEFS), direction)
            if key == "$ref" and isinstance(value, str) and value.startswith(_DEFS)
            else _rewrite(value, direction)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite(item, direction) for item in node]
    return node


def library_schema(type_: object, *, direction: Direction = "output") -> Schema:
    """*type_*'s JSON Schema (:func:`~profiler_core.schema.schema_for`) for an OpenAPI 3.1 document.

    References point at ``#/components/schemas/<Name>``; the definitions they
    need are carried under :data:`COMPONENTS_KEY` (no ``$defs``, no ``$schema``).

    >>> from profiler_core.decisions import Reason
    >>> schema = library_schema(Reason, direction="input")
    >>> schema["$ref"], sorted(schema[COMPONENTS_KEY])
    ('#/components/schemas/ReasonInput', ['ReasonInput'])
    """
    schema = schema_for(type_, direction=direction)
    defs: Mapping[str, Schema] = schema.pop("$defs", {})
    schema.pop("$schema", None)
    components = {component_name(name, direction): _rewrite(d, direction) for name, d in defs.items()}
    root: Schema = _rewrite(schema, direction)
    return {**root, COMPONENTS_KEY: components}


def merge_components(into: Schema, carried: Mapping[str, Any]) -> None:
    """Add the *carried* definitions to *into* (a document's ``components/schemas``).

    Raises:
        ValueError: a name *into* already has with a different schema (never one silently replaced).
    """
    for name, definition in carried.items():
        if into.setdefault(name, definition) != definition:
            raise ValueError(f"two schemas for the component {name!r}")


def _lifted(node: object, into: Schema) -> Any:
    """A copy of *node* without carried definitions, which go to *into* (*node* is left as it is)."""
    if isinstance(node, dict):
        merge_components(into, node.get(COMPONENTS_KEY) or {})
        return {key: _lifted(value, into) for key, value in node.items() if key != COMPONENTS_KEY}
    if isinstance(node, list):
        return [_lifted(item, into) for item in node]
    return node


def lift_components(document: Schema) -> Schema:
    """*document* with every definition its schemas carry moved into ``components/schemas`` (sorted by name).

    The result is a new document: no :data:`COMPONENTS_KEY` is left in it, the
    document's own components are kept, and *document* and the schemas in it
    are left unchanged (a framework may build its document again from the same
    schemas).

    >>> from profiler_core.decisions import Reason
    >>> document = lift_components({"paths": {"/r": {"schema": library_schema(Reason)}}})
    >>> document["paths"]["/r"]["schema"], list(document["components"]["schemas"])
    ({'$ref': '#/components/schemas/Reason'}, ['Reason'])

    Raises:
        ValueError: two different schemas for one component name.
    """
    carried: Schema = {}
    result: Schema = _lifted(document, carried)
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    merge_components(schemas, copy.deepcopy(carried))  # the document's own: nothing shared with a schema
    result["components"]["schemas"] = dict(sorted(schemas.items()))
    return result

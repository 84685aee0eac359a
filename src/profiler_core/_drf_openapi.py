"""OpenAPI components from the library's JSON Schemas: what :mod:`profiler_core.drf` serves drf-spectacular.

Framework-free (it imports no Django), so the library's own suite tests it;
:mod:`profiler_core.drf` re-exports :func:`library_schema`,
:func:`error_schema` and :func:`postprocess_schema`, where they are documented
(``docs/reference/drf.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

from profiler_core.errors import PROBLEM_CODES
from profiler_core.schema import Direction, schema_for

__all__ = ["error_schema", "library_schema", "postprocess_schema"]

_Schema: TypeAlias = dict[str, Any]

#: Every library definition an operation's schema refers to, by component name (filled by library_schema).
_COMPONENTS: dict[str, _Schema] = {}

_DEFS = "#/$defs/"
_COMPONENT_REF = "#/components/schemas/"


def _component_name(name: str, direction: Direction) -> str:
    return name if direction == "output" else f"{name}Input"


def _rewrite(node: object, direction: Direction) -> Any:
    if isinstance(node, dict):
        out: _Schema = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_DEFS):
                out[key] = _COMPONENT_REF + _component_name(value.removeprefix(_DEFS), direction)
            else:
                out[key] = _rewrite(value, direction)
        return out
    if isinstance(node, list):
        return [_rewrite(item, direction) for item in node]
    return node


def library_schema(type_: object, *, direction: Direction = "output") -> dict[str, Any]:
    """*type_*'s JSON Schema for an OpenAPI 3.1 document, its definitions moved to ``components/schemas``.

    Use it as a response in ``extend_schema(responses={200: library_schema(CohortReport)})``
    and add :func:`postprocess_schema` to ``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``
    (with ``"OAS_VERSION": "3.1.0"``: the schemas are draft 2020-12). Input
    definitions are named ``<Type>Input``.

    Raises:
        ValueError: two different schemas would share one component name.
    """
    schema = schema_for(type_, direction=direction)
    defs: Mapping[str, _Schema] = schema.get("$defs", {})
    for name, definition in defs.items():
        component = _component_name(name, direction)
        rewritten = _rewrite(definition, direction)
        if _COMPONENTS.setdefault(component, rewritten) != rewritten:
            raise ValueError(f"two schemas for the component {component!r}")
    root = {key: value for key, value in schema.items() if key not in ("$schema", "$defs")}
    result: dict[str, Any] = _rewrite(root, direction)
    return result


def error_schema(status_code: int) -> dict[str, Any]:
    """The JSON Schema of the body :func:`exception_handler` answers with *status_code*.

    400 and 415: ``error_body`` (``code``, ``type``, ``errors``: each ``path``,
    ``code`` (one of :data:`~profiler_core.errors.PROBLEM_CODES`) and
    ``message``); 403: ``code``, ``reason_codes``, ``detail``; any other:
    ``code`` and ``detail`` (a 404 also has ``kind`` and ``key``).
    """
    text = {"type": "string"}
    if status_code in (400, 415):
        problem = {
            "type": "object",
            "properties": {"path": text, "code": {"enum": sorted(PROBLEM_CODES)}, "message": text},
            "required": ["path", "code", "message"],
        }
        return {
            "type": "object",
            "properties": {"code": text, "type": text, "errors": {"type": "array", "items": problem}},
            "required": ["code", "errors"],
        }
    if status_code == 403:
        return {
            "type": "object",
            "properties": {"code": text, "reason_codes": {"type": "array", "items": text}, "detail": text},
            "required": ["code", "reason_codes", "detail"],
        }
    return {"type": "object", "properties": {"code": text, "detail": text}, "required": ["code", "detail"]}


def postprocess_schema(result: dict[str, Any], **_kwargs: object) -> dict[str, Any]:
    """drf-spectacular post-processing hook: adds the library definitions the document refers to.

    Every ``#/components/schemas/<name>`` reference that :func:`library_schema`
    made resolves afterwards; definitions no operation needs are left out.
    """
    components = result.setdefault("components", {}).setdefault("schemas", {})
    pending = _refs(result)
    while pending:
        name = pending.pop()
        if name in components or name not in _COMPONENTS:
            continue
        components[name] = _COMPONENTS[name]
        pending |= _refs(_COMPONENTS[name])
    result["components"]["schemas"] = dict(sorted(components.items()))
    return result


def _refs(node: object) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith(_COMPONENT_REF):
                found.add(ref.removeprefix(_COMPONENT_REF))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found

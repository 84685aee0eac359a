"""OpenAPI components from the library's JSON Schemas: what :mod:`profiler_core.drf` serves drf-spectacular.

Framework-free (it imports no Django), so the library's own suite tests it;
:mod:`profiler_core.drf` re-exports :func:`library_schema`,
:func:`error_schema` and :func:`postprocess_schema`, where they are documented
(``docs/reference/drf.md``). The schemas and their components are
:mod:`profiler_core._openapi`'s, the error bodies'
:mod:`profiler_core._http_errors`': the same as :mod:`profiler_core.fastapi`'s.
No definition is kept here: each schema carries its own until
:func:`postprocess_schema` lifts them into the document.
"""

from __future__ import annotations

from typing import Any

from profiler_core._http_errors import error_schema
from profiler_core._openapi import library_schema as _carrying_schema
from profiler_core._openapi import lift_components
from profiler_core.schema import Direction

__all__ = ["error_schema", "library_schema", "postprocess_schema"]


def library_schema(type_: object, *, direction: Direction = "output") -> dict[str, Any]:
    """*type_*'s JSON Schema for an OpenAPI 3.1 document, its definitions moved to ``components/schemas``.

    Use it as a response in ``extend_schema(responses={200: library_schema(CohortReport)})``
    and add :func:`postprocess_schema` to ``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``
    (with ``"OAS_VERSION": "3.1.0"``: the schemas are draft 2020-12). Input
    definitions are named ``<Type>Input``.

    The result is the reference (``{"$ref": "#/components/schemas/CohortReport"}``)
    and, under the ``x-profiler-core-components`` extension key, the
    definitions it refers to, which :func:`postprocess_schema` moves into the
    document's ``components/schemas`` (no definition is kept anywhere else).
    """
    return _carrying_schema(type_, direction=direction)


def postprocess_schema(result: dict[str, Any], **_kwargs: object) -> dict[str, Any]:
    """drf-spectacular post-processing hook: adds the library definitions the document's schemas carry.

    Every ``#/components/schemas/<name>`` reference that :func:`library_schema`
    made resolves afterwards; the document's own components are kept.

    Raises:
        ValueError: two different schemas for one component name.
    """
    return lift_components(result)

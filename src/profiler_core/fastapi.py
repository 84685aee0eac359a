"""FastAPI integration: library values as responses, the error tree as statuses, ports as dependencies.

Imported only by FastAPI users (``pip install profiler-core[fastapi]``):
``import profiler_core`` never imports this module nor FastAPI.

* :func:`library_model` is an endpoint's ``response_model`` for a library value
  type: the OpenAPI document shows every field from
  :func:`profiler_core.schema.schema_for`, and the endpoint may return the
  value itself (rendered with :func:`~profiler_core.serialization.unstructure`)
  or its JSON;
* :func:`error_responses` is the ``responses=`` argument documenting the error
  statuses with their bodies;
* :func:`install_openapi` moves the library's schemas into
  ``components/schemas`` and drops FastAPI's 422, which
  :func:`install_exception_handlers` answers as the library's 400;
* :func:`install_exception_handlers` maps the error tree to statuses;
* :class:`Port` and :func:`register_port` provide ports as dependencies.

========  ========================================  ==================================================
status    raised as                                 body
========  ========================================  ==================================================
400       ``InvalidPayloadError``; FastAPI request   ``error_body``: ``code``, ``type``, ``errors``
          validation; any other                     (each ``path``, ``code``, ``message``)
          ``ProfilerCoreError`` (bad input)
403       ``AccessDeniedError``                     ``{"code": "access_denied", "reason_codes", "detail"}``
404       ``NotFoundError``                         ``{"code", "kind", "key", "detail"}``
503       ``RepositoryError``                       ``{"code": "repository_error", "detail"}`` (no message)
========  ========================================  ==================================================
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Final, Generic, TypeVar

import attrs
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from profiler_core import _http_errors, _openapi
from profiler_core._openapi import COMPONENTS_KEY
from profiler_core.errors import (
    AccessDeniedError,
    InvalidPayloadError,
    NotFoundError,
    Problem,
    ProfilerCoreError,
    RepositoryError,
)
from profiler_core.serialization import JSON, error_body, unstructure

__all__ = [
    "COMPONENTS_KEY",
    "ERROR_SCHEMAS",
    "LibraryResponse",
    "library_model",
    "library_schema",
    "error_responses",
    "install_openapi",
    "install_exception_handlers",
    "Port",
    "register_port",
]

_log = logging.getLogger("profiler_core.fastapi")

P = TypeVar("P")


def library_schema(body: object, *, extra: Mapping[str, object] | None = None) -> dict[str, Any]:
    """The OpenAPI schema of *body*: a library type, or an object of named library types.

    Args:
        body: a type :func:`~profiler_core.schema.schema_for` describes (an attrs
            value, a union, ``tuple[X, ...]``, a ``Literal``), or a mapping from
            key to such a type, for a body an endpoint composes (every key required,
            no other key).
        extra: keys an endpoint adds beside an object type's own (each a type).

    The result references ``#/components/schemas/<Name>`` and carries those
    definitions under :data:`COMPONENTS_KEY`.

    >>> from profiler_core.decisions import Reason
    >>> schema = library_schema(Reason)
    >>> schema["$ref"], sorted(schema[COMPONENTS_KEY])
    ('#/components/schemas/Reason', ['Reason'])
    """
    components: dict[str, Any] = {}

    def describe(type_: object) -> dict[str, Any]:
        schema = _openapi.library_schema(type_)
        try:
            _openapi.merge_components(components, schema.pop(COMPONENTS_KEY))
        except ValueError as exc:
            raise TypeError(str(exc)) from exc
        return schema

    if isinstance(body, Mapping):
        properties = {str(key): describe(value) for key, value in body.items()}
        root: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        }
    else:
        root = describe(body)
    if extra:
        reference = root.get("$ref")
        base = (
            components.get(reference.removeprefix(_openapi.COMPONENT_REF), {})
            if isinstance(reference, str)
            else {}
        )
        if base.get("type") != "object":
            raise TypeError("extra keys need an object type as the body")
        added = {str(key): describe(value) for key, value in extra.items()}
        root = {
            **base,
            "properties": {**base["properties"], **added},
            "required": [*base["required"], *added],
        }
    return {**root, COMPONENTS_KEY: components}


@attrs.frozen(eq=False)  # hashed by identity: FastAPI hashes the annotation, the schema is a dict
class _LibraryValue:
    """Pydantic metadata: accept a value or its JSON, render with ``unstructure``, show the library schema."""

    schema: Mapping[str, Any]

    def __get_pydantic_core_schema__(self, _source: object, _handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_plain_validator_function(
            _passthrough,
            serialization=core_schema.plain_serializer_function_ser_schema(_render),
        )

    def __get_pydantic_json_schema__(self, _core: Any, _handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return dict(self.schema)


def _passthrough(value: object) -> object:
    return value


def _render(value: object) -> JSON:
    """A library value's JSON; JSON (an endpoint's composed body) as it is."""
    if isinstance(value, Mapping):
        return {str(key): _render(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_render(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return unstructure(value)


def library_model(body: object, *, extra: Mapping[str, object] | None = None) -> object:
    """A ``response_model`` for a library type (see :func:`library_schema` for *body* and *extra*).

    The endpoint may return the value itself or JSON already rendered; either
    way the response is the value's ``unstructure`` output, and the OpenAPI
    document shows the library's schema (after :func:`install_openapi`).
    Returns an ``Annotated`` type for FastAPI, only ever passed to ``response_model``.
    """
    return Annotated[object, _LibraryValue(library_schema(body, extra=extra))]


class LibraryResponse(JSONResponse):
    """A JSON response whose content may be a library value: rendered with ``unstructure``.

    For an endpoint that builds its response itself (``return
    LibraryResponse(report, status_code=200)``); an endpoint declared with
    :func:`library_model` may return the value directly.
    """

    def render(self, content: object) -> bytes:
        """The content's JSON bytes, library values unstructured first."""
        return super().render(_render(content))


# --- error bodies ---------------------------------------------------------------

#: The JSON Schemas of the error bodies, by component name.
ERROR_SCHEMAS: Final[Mapping[str, Mapping[str, Any]]] = _http_errors.ERROR_SCHEMAS

_DESCRIPTIONS: Final[Mapping[int, str]] = {
    400: "Bad input: every problem with its path and code.",
    403: "Denied: the decision's public reason codes.",
    404: "Not found: what was looked up and the library's message.",
    503: "A repository could not answer; nothing to show.",
}


def error_responses(
    *statuses: int, descriptions: Mapping[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` argument documenting *statuses* with their bodies.

    400, 403, 404 and 503 have the bodies :func:`install_exception_handlers`
    answers; any other status (a host's own 401 or 409) is documented with
    ``{"code", "detail"}`` and needs its description in *descriptions*.

    >>> error_responses(403)[403]["content"]["application/json"]["schema"]
    {'$ref': '#/components/schemas/DeniedBody', 'x-profiler-core-components': {...}}
    """
    texts = descriptions or {}
    result: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        name = _http_errors.ERROR_COMPONENTS.get(status, "ReasonBody")
        description = texts.get(status, _DESCRIPTIONS.get(status, ""))
        if not description:
            raise ValueError(f"status {status} needs a description")
        components = {key: dict(value) for key, value in ERROR_SCHEMAS.items()}
        schema = {"$ref": _openapi.COMPONENT_REF + name, COMPONENTS_KEY: components}
        result[status] = {"description": description, "content": {"application/json": {"schema": schema}}}
    return result


# --- the OpenAPI document -------------------------------------------------------


def install_openapi(app: FastAPI) -> None:
    """Make *app*'s OpenAPI document show the library's schemas, and no 422.

    Every library definition a :func:`library_model` or :func:`error_responses`
    carries lands in ``components/schemas``; FastAPI's 422 and its validation
    schemas go, since :func:`install_exception_handlers` answers request
    validation as the library's 400.

    Raises:
        ValueError: (when the document is built) a library schema and another
            component share a name but differ.
    """

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                openapi_version=app.openapi_version,
                description=app.description,
                routes=app.routes,
                servers=app.servers,
            )
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for name in ("HTTPValidationError", "ValidationError"):
                schemas.pop(name, None)
            for operations in document.get("paths", {}).values():
                for operation in operations.values():
                    operation.get("responses", {}).pop("422", None)
            app.openapi_schema = _openapi.lift_components(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override


# --- exception handlers ---------------------------------------------------------

#: FastAPI's validation error types, as the library's problem codes.
_PROBLEM_CODES: Final = {
    "missing": "required",
    "int_parsing": "not_an_integer",
    "int_type": "not_an_integer",
    "int_from_float": "not_an_integer",
    "bool_parsing": "not_a_boolean",
    "bool_type": "not_a_boolean",
    "string_type": "not_a_string",
    "dict_type": "not_an_object",
    "model_attributes_type": "not_an_object",
    "list_type": "not_a_list",
    "int_parsing_size": "out_of_range",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
}


def _json_path(location: Sequence[object]) -> str:
    """FastAPI's ``loc`` as the library's path: ``("query", "n", 1)`` is ``$.query.n[1]``."""
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in location)


def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        Problem(
            path=_json_path(error["loc"]),
            message=str(error["msg"]),
            code=_PROBLEM_CODES.get(str(error["type"]), "invalid_value"),
        )
        for error in exc.errors()
    ]
    return JSONResponse(error_body(InvalidPayloadError(problems, type_name="request")), status_code=400)


def _library_error(_request: Request, exc: Exception) -> JSONResponse:
    # The statuses and bodies are the library's (profiler_core._http_errors), shared with the DRF handler.
    answer = _http_errors.error_status_and_body(exc, log=_log)
    if answer is None:  # pragma: no cover - registered for the library's error classes only
        raise exc
    status, body = answer
    return JSONResponse(body, status_code=status)


def install_exception_handlers(app: FastAPI, *, request_validation: bool = True) -> None:
    """Answer the library's error tree with the statuses and bodies of the module's table.

    Args:
        app: the application.
        request_validation: also answer FastAPI's request validation errors
            (its 422) as the library's 400 body, ``type`` ``"request"``.

    A host adds handlers for its own exceptions beside these (Starlette picks
    the handler of the closest class).
    """
    for error in (ProfilerCoreError, InvalidPayloadError, AccessDeniedError, NotFoundError, RepositoryError):
        app.add_exception_handler(error, _library_error)
    if request_validation:
        app.add_exception_handler(RequestValidationError, _invalid_request)


# --- ports as dependencies -------------------------------------------------------

_PORTS_STATE: Final = "profiler_core_ports"


@attrs.frozen(eq=False)  # compared and hashed by identity: FastAPI's dependency_overrides key
class Port(Generic[P]):
    """A FastAPI dependency that provides one port, built by the factory :func:`register_port` registered.

    Declare one per port, typed with the port's ``Protocol``, and use it with ``Depends``::

        SESSIONS: Port[SessionRepository] = Port("sessions")
        Sessions = Annotated[SessionRepository, Depends(SESSIONS)]

    A test replaces it with ``app.dependency_overrides[SESSIONS] = ...``.

    Attributes:
        name: the port's name, in the error for a missing factory.
    """

    name: str

    def __call__(self, request: Request) -> P:
        """The port's implementation for *request*.

        Raises:
            LookupError: no factory is registered for this port on the request's app.
        """
        factories: dict[Port[Any], Callable[[Request], P]] = getattr(request.app.state, _PORTS_STATE, {})
        factory = factories.get(self)
        if factory is None:
            raise LookupError(f"no factory for the port {self.name!r}: call register_port first")
        return factory(request)


def register_port(app: FastAPI, port: Port[P], factory: Callable[[Request], P]) -> None:
    """Make *port* build its value with *factory* for each request of *app*.

    Args:
        app: the application (the factories live in ``app.state``).
        port: the dependency (a :class:`Port`).
        factory: called with the request; returns the port's implementation.
    """
    factories: dict[Port[Any], Callable[[Request], object]] = getattr(app.state, _PORTS_STATE, {})
    factories[port] = factory
    setattr(app.state, _PORTS_STATE, factories)

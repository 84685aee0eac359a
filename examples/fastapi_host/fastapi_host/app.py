"""The application factory: routers, error mapping, and an honest OpenAPI document.

Errors map to statuses in one place (SPEC §11 errors, issues 8 and 11); no
malformed request is a 500:

=======  ======================================  ==================================================
status   raised as                               body
=======  ======================================  ==================================================
400      ``InvalidPayloadError``, FastAPI        ``error_body(InvalidPayloadError)``: ``code``, ``type``,
         request validation, a body that is      ``errors`` (each ``path``, ``code``, ``message``)
         not JSON, a malformed id, any other
         ``ProfilerCoreError`` (bad input)
401      ``Unauthenticated``                     ``{"code": "unauthenticated", "detail"}``
403      ``AccessDeniedError``                   ``{"code": "access_denied", "reason_codes", "detail"}``
404      ``NotFoundError``, ``NotFound``, an     ``{"code", "kind", "key", "detail"}``
         unknown route
405      a method the route does not have        ``{"code": "method_not_allowed", "detail"}``
409      ``Conflict`` (``SessionConflict``)      ``{"code", "detail"}``
503      ``Unavailable`` (a service degraded     ``{"code", "detail"}``; ``repository_error`` for the
         with nothing to show), or a             latter, never its message
         ``RepositoryError`` / ``sqlite3.Error``
         no service degraded on
=======  ======================================  ==================================================

FastAPI's own 422 is turned into the same 400 body, and removed from the
OpenAPI document, so clients see one error shape.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from fastapi_host.api import analytics, marketplace, mentorship, missions, portfolio, recipes, sync
from fastapi_host.db import connect, create_schema
from fastapi_host.edge import bounded
from fastapi_host.errors import Conflict, NotFound, Unauthenticated, Unavailable
from profiler_core import (
    AccessDeniedError,
    InvalidPayloadError,
    NotFoundError,
    Problem,
    ProfilerCoreError,
    UnknownValueError,
)
from profiler_core.errors import PROBLEM_CODES, RepositoryError
from profiler_core.serialization import error_body, parse_timestamp

__all__ = ["MIN_SERVICE_TOKEN_LENGTH", "create_app", "app_from_environment"]

_log = logging.getLogger("fastapi_host")

#: The shortest service token :func:`create_app` accepts (a guessable secret is no credential).
MIN_SERVICE_TOKEN_LENGTH = 16

#: FastAPI's validation error types, as the library's problem codes.
_PROBLEM_CODES = {
    "missing": "required",
    "int_parsing": "not_an_integer",
    "int_type": "not_an_integer",
    "int_from_float": "not_an_integer",
    "bool_parsing": "not_a_boolean",
    "bool_type": "not_a_boolean",
    "string_type": "not_a_string",
    "dict_type": "not_an_object",
    "model_attributes_type": "not_an_object",
    "int_parsing_size": "out_of_range",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
}

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    db_path: str | Path, *, clock: Clock | None = None, service_token: str | None = None
) -> FastAPI:
    """Build the application over the SQLite database at *db_path* (tables are created if absent).

    Args:
        db_path: the database file.
        clock: where ``now`` comes from (the library never reads the clock);
            the real UTC clock by default, a fixed instant in tests and the demo.
        service_token: the profiling service's secret for the server-to-server
            completion route (``X-Service-Token``). ``None``: that route accepts
            no call (401), so a host that forgot to configure it fails closed.

    Raises:
        ValueError: *service_token* is shorter than :data:`MIN_SERVICE_TOKEN_LENGTH`.
    """
    if service_token is not None and len(service_token) < MIN_SERVICE_TOKEN_LENGTH:
        raise ValueError(f"service_token must be at least {MIN_SERVICE_TOKEN_LENGTH} characters")
    with closing(connect(db_path)) as connection:
        create_schema(connection)
    app = FastAPI(
        title="profiler_core FastAPI reference host",
        version="1.0.0",
        description="Every endpoint is a thin call to a profiler_core service. "
        "Authentication is EXAMPLE-ONLY: the `X-User-Id` header is trusted as is. "
        "The completion route is server-to-server: it takes the `X-Service-Token` header only.",
    )
    app.state.db_path = str(db_path)
    app.state.clock = clock or _utc_now
    app.state.service_token = None if service_token is None else service_token.encode("utf-8")
    for module in (missions, recipes, mentorship, portfolio, sync, marketplace, analytics):
        app.include_router(module.router)
    _install_error_handlers(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]  # FastAPI's documented override
    return app


def app_from_environment() -> FastAPI:
    """The ``uvicorn --factory`` entry point: ``PROFILER_HOST_DB``, optional ``PROFILER_HOST_NOW``
    and ``PROFILER_HOST_SERVICE_TOKEN``.

    ``PROFILER_HOST_NOW`` (an ISO 8601 instant with offset) pins ``now``, e.g. to
    the sample platform's ``2026-11-25T09:00:00+00:00``.
    ``PROFILER_HOST_SERVICE_TOKEN`` is the profiling service's secret (at least
    :data:`MIN_SERVICE_TOKEN_LENGTH` characters); unset, the completion route is closed.
    """
    db_path = os.environ.get("PROFILER_HOST_DB", "profiler_host.sqlite3")
    service_token = os.environ.get("PROFILER_HOST_SERVICE_TOKEN") or None
    fixed = os.environ.get("PROFILER_HOST_NOW")
    if fixed:
        pinned = parse_timestamp(fixed)
        return create_app(db_path, clock=lambda: pinned, service_token=service_token)
    return create_app(db_path, service_token=service_token)


def _problem_code(error_type: str) -> str:
    return _PROBLEM_CODES.get(error_type, "invalid_value")


def _install_error_handlers(app: FastAPI) -> None:
    def invalid_payload(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InvalidPayloadError)
        return JSONResponse(error_body(exc), status_code=400)

    def invalid_request(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = [
            Problem(
                path="$." + ".".join(str(part) for part in error["loc"]),
                message=error["msg"],
                code=_problem_code(error["type"]),
            )
            for error in exc.errors()
        ]
        return JSONResponse(error_body(InvalidPayloadError(problems, type_name="request")), status_code=400)

    def library_error(_request: Request, exc: Exception) -> JSONResponse:
        # Any other ProfilerCoreError a library call raises on the request's input
        # (an unknown vocabulary value, an invalid field): bad input, in the 400 body.
        assert isinstance(exc, ProfilerCoreError)
        code = (
            "unknown_value" if isinstance(exc, UnknownValueError) else str(getattr(exc, "problem_code", ""))
        )
        problem = Problem(path="$", message=str(exc), code=code if code in PROBLEM_CODES else "invalid_value")
        return JSONResponse(error_body(InvalidPayloadError([problem], type_name="request")), status_code=400)

    def http_error(request: Request, exc: Exception) -> JSONResponse:
        # Starlette's and FastAPI's own errors, in this host's bodies (never {"detail"} alone).
        assert isinstance(exc, StarletteHTTPException)
        headers = dict(exc.headers or {})
        if exc.status_code == 400:
            # FastAPI could not read a model's body: not JSON, nested too deeply, a number too long.
            problem = Problem(
                path="$", message="The body is not a JSON document this host can read.", code="invalid_value"
            )
            body = error_body(InvalidPayloadError([problem], type_name="json"))
        elif exc.status_code == 404:
            body = {
                "code": "not_found",
                "kind": "route",
                "key": bounded(request.url.path),
                "detail": "No such endpoint.",
            }
        elif exc.status_code == 405:
            body = {"code": "method_not_allowed", "detail": "This endpoint does not accept that method."}
        else:
            body = {"code": "http_error", "detail": str(exc.detail)}
        return JSONResponse(body, status_code=exc.status_code, headers=headers)

    def unauthenticated(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Unauthenticated)
        return JSONResponse({"code": "unauthenticated", "detail": exc.message}, status_code=401)

    def denied(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AccessDeniedError)
        body = {"code": exc.code, "reason_codes": list(exc.reason_codes), "detail": str(exc)}
        return JSONResponse(body, status_code=403)

    def not_found(_request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, NotFoundError):
            exc = NotFound(kind=exc.kind, key=str(exc.key), message=str(exc), code=exc.code)
        assert isinstance(exc, NotFound)
        body = {
            **exc.platform_body,
            "code": exc.code,
            "kind": exc.kind,
            "key": exc.key,
            "detail": exc.message,
        }
        return JSONResponse(body, status_code=404)

    def repository_failed(_request: Request, exc: Exception) -> JSONResponse:
        # Where no service degraded on it (the viewer's own row, a completion's write). Never the
        # message: it names what failed inside the host, which is the log's business.
        assert isinstance(exc, RepositoryError | sqlite3.Error)
        _log.warning("repository failed outside a service", exc_info=exc)
        body = {"code": RepositoryError.code, "detail": "A repository could not answer; try again later."}
        return JSONResponse(body, status_code=503)

    def reason_only(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Unavailable | Conflict)
        status = 409 if isinstance(exc, Conflict) else 503
        return JSONResponse({"code": exc.code, "detail": exc.message}, status_code=status)

    app.add_exception_handler(InvalidPayloadError, invalid_payload)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(ProfilerCoreError, library_error)
    app.add_exception_handler(RepositoryError, repository_failed)
    app.add_exception_handler(sqlite3.Error, repository_failed)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Unauthenticated, unauthenticated)
    app.add_exception_handler(AccessDeniedError, denied)
    app.add_exception_handler(NotFoundError, not_found)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(Conflict, reason_only)
    app.add_exception_handler(Unavailable, reason_only)


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        # Request validation answers 400 with the library's payload-error body (see above).
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.get("responses", {}).pop("422", None)
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        app.openapi_schema = schema
    return app.openapi_schema

"""The application factory: routers, error mapping, and an honest OpenAPI document.

Errors map to statuses in one place (SPEC §11 errors, issue 8):

=======  ===================================  ==================================================
status   raised as                            body
=======  ===================================  ==================================================
400      ``InvalidPayloadError``, or FastAPI  ``InvalidPayloadError.as_dict()``: ``code``, ``type``,
         request validation                   ``errors`` (each ``path`` + ``message``)
401      ``Unauthenticated``                  ``{"code": "unauthenticated", "detail"}``
403      ``AccessDeniedError``                ``{"code": "access_denied", "reason_codes", "detail"}``
404      ``NotFoundError`` or ``NotFound``    ``{"code", "kind", "key", "detail"}``
409      ``Conflict``                         ``{"code", "detail"}`` (safe to retry)
503      ``Unavailable``                      ``{"code", "detail"}`` (a repository failed)
=======  ===================================  ==================================================

FastAPI's own 422 is turned into the same 400 body, and removed from the
OpenAPI document, so clients see one error shape.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from fastapi_host.api import analytics, marketplace, mentorship, missions, portfolio, recipes
from fastapi_host.db import connect, create_schema
from fastapi_host.errors import Conflict, NotFound, Unauthenticated, Unavailable
from profiler_core import AccessDeniedError, InvalidPayloadError, NotFoundError, Problem
from profiler_core.serialization import parse_timestamp

__all__ = ["create_app", "app_from_environment"]

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(db_path: str | Path, *, clock: Clock | None = None) -> FastAPI:
    """Build the application over the SQLite database at *db_path* (tables are created if absent).

    Args:
        db_path: the database file.
        clock: where ``now`` comes from (the library never reads the clock);
            the real UTC clock by default, a fixed instant in tests and the demo.
    """
    with closing(connect(db_path)) as connection:
        create_schema(connection)
    app = FastAPI(
        title="profiler_core FastAPI reference host",
        version="1.0.0",
        description="Every endpoint is a thin call to a profiler_core service. "
        "Authentication is EXAMPLE-ONLY: the `X-User-Id` header is trusted as is.",
    )
    app.state.db_path = str(db_path)
    app.state.clock = clock or _utc_now
    for module in (missions, recipes, mentorship, portfolio, marketplace, analytics):
        app.include_router(module.router)
    _install_error_handlers(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]  # FastAPI's documented override
    return app


def app_from_environment() -> FastAPI:
    """The ``uvicorn --factory`` entry point: ``PROFILER_HOST_DB`` and optional ``PROFILER_HOST_NOW``.

    ``PROFILER_HOST_NOW`` (an ISO 8601 instant with offset) pins ``now``, e.g. to
    the sample platform's ``2026-11-25T09:00:00+00:00``.
    """
    db_path = os.environ.get("PROFILER_HOST_DB", "profiler_host.sqlite3")
    fixed = os.environ.get("PROFILER_HOST_NOW")
    if fixed:
        pinned = parse_timestamp(fixed)
        return create_app(db_path, clock=lambda: pinned)
    return create_app(db_path)


def _install_error_handlers(app: FastAPI) -> None:
    def invalid_payload(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InvalidPayloadError)
        return JSONResponse(exc.as_dict(), status_code=400)

    def invalid_request(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = [
            Problem(path="$." + ".".join(str(part) for part in error["loc"]), message=error["msg"])
            for error in exc.errors()
        ]
        return JSONResponse(InvalidPayloadError(problems, type_name="request").as_dict(), status_code=400)

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
        body = {"code": exc.code, "kind": exc.kind, "key": exc.key, "detail": exc.message}
        return JSONResponse(body, status_code=404)

    def reason_only(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Unavailable | Conflict)
        status = 409 if isinstance(exc, Conflict) else 503
        return JSONResponse({"code": exc.code, "detail": exc.message}, status_code=status)

    app.add_exception_handler(InvalidPayloadError, invalid_payload)
    app.add_exception_handler(RequestValidationError, invalid_request)
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

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

``profiler_core.fastapi`` answers the library's errors and FastAPI's request
validation (its 422 becomes the same 400 body, and leaves the OpenAPI
document, so clients see one error shape); this module adds the host's own.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from fastapi_host.api import analytics, marketplace, mentorship, missions, portfolio, recipes, sync
from fastapi_host.db import connect, create_schema
from fastapi_host.edge import bounded
from fastapi_host.errors import Conflict, NotFound, Unauthenticated, Unavailable
from profiler_core import InvalidPayloadError, Problem
from profiler_core.errors import RepositoryError
from profiler_core.fastapi import install_exception_handlers, install_openapi
from profiler_core.serialization import error_body, parse_timestamp

__all__ = ["MIN_SERVICE_TOKEN_LENGTH", "create_app", "app_from_environment"]

_log = logging.getLogger("fastapi_host")

#: The shortest service token :func:`create_app` accepts (a guessable secret is no credential).
MIN_SERVICE_TOKEN_LENGTH = 16

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
    install_openapi(app)
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


def _install_error_handlers(app: FastAPI) -> None:
    # The library's error tree (400, 403, 404, 503) and FastAPI's request validation (400).
    install_exception_handlers(app)

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

    def not_found(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, NotFound)
        body = {
            **exc.platform_body,
            "code": exc.code,
            "kind": exc.kind,
            "key": exc.key,
            "detail": exc.message,
        }
        return JSONResponse(body, status_code=404)

    def database_failed(_request: Request, exc: Exception) -> JSONResponse:
        # Where no service degraded on it (the viewer's own row, a completion's write): the
        # library's RepositoryError body. Never the message, which is the log's business.
        assert isinstance(exc, sqlite3.Error)
        _log.warning("database failed outside a service", exc_info=exc)
        body = {"code": RepositoryError.code, "detail": "A repository could not answer; try again later."}
        return JSONResponse(body, status_code=503)

    def reason_only(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Unavailable | Conflict)
        status = 409 if isinstance(exc, Conflict) else 503
        return JSONResponse({"code": exc.code, "detail": exc.message}, status_code=status)

    app.add_exception_handler(sqlite3.Error, database_failed)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Unauthenticated, unauthenticated)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(Conflict, reason_only)
    app.add_exception_handler(Unavailable, reason_only)

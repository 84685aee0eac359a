"""The library's errors as HTTP responses (DRF ``EXCEPTION_HANDLER``).

=========================  ======  ================================================
exception                  status  body
=========================  ======  ================================================
InvalidPayloadError        400     ``error_body(error)``: ``{code, type, errors: [{path, code, message}]}``
DRF ParseError             400     the same shape, ``type: "json"``, path ``$``
DRF UnsupportedMediaType   415     the same shape, ``type: "request"``, path ``$.header.content-type``
AccessDeniedError          403     ``{code: "access_denied", reason_codes: [...], detail}``
NotFoundError              404     ``{code: "not_found", kind, key, detail}``
RepositoryError            503     ``{code: "repository_error", detail}`` (where no service degraded on it)
=========================  ======  ================================================

Views raise :class:`~profiler_core.AccessDeniedError` when an access decision
denies, so every denial has the same shape. Anything else falls through to
DRF's own handler (401 for a missing ``X-User-Id``, 405, ...).
"""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

import profiler_core as pc
from profiler_core.errors import RepositoryError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map :mod:`profiler_core` errors to 400/403/404; defer the rest to DRF."""
    if isinstance(exc, pc.InvalidPayloadError):
        return Response(pc.error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ParseError):
        # A body that is not JSON at all gets the same 400 shape as one that breaks the contract.
        problem = pc.Problem(path="$", message=str(exc.detail), code="invalid_value")
        return Response(
            pc.error_body(pc.InvalidPayloadError([problem], type_name="json")),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, UnsupportedMediaType):
        problem = pc.Problem(
            path="$.header.content-type", message="must be application/json", code="invalid_value"
        )
        return Response(
            pc.error_body(pc.InvalidPayloadError([problem], type_name="request")),
            status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
        )
    if isinstance(exc, pc.AccessDeniedError):
        body = {"code": exc.code, "reason_codes": list(exc.reason_codes), "detail": str(exc)}
        return Response(body, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, pc.NotFoundError):
        body = {"code": exc.code, "kind": exc.kind, "key": str(exc.key), "detail": str(exc)}
        return Response(body, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, RepositoryError):
        # Never the message: it names what failed inside the host, which is the log's business.
        body = {"code": exc.code, "detail": "A repository could not answer; try again later."}
        return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    return drf_exception_handler(exc, context)

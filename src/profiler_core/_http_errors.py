"""The library's error tree as HTTP statuses and bodies, and those bodies' JSON Schemas.

Framework-free (it imports no web framework), so the library's own suite tests
it; :mod:`profiler_core.fastapi` and :mod:`profiler_core.drf` answer with
what it returns, where the statuses and bodies are documented
(``docs/reference/fastapi.md``, ``docs/reference/drf.md``).

===========================  ======  =====================================================
exception                    status  body
===========================  ======  =====================================================
``InvalidPayloadError``      400     ``error_body(exc)``: ``{code, type, errors: [{path, code, message}]}``
``AccessDeniedError``        403     ``{code: "access_denied", reason_codes, detail}``
``NotFoundError``            404     ``{code: "not_found", kind, key, detail}``
a repository failure         503     ``{code: "repository_error", detail}``, never the failure's message
other ``ProfilerCoreError``  400     the 400 shape, ``type: "request"``, one problem at ``$``
===========================  ======  =====================================================
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from typing import Any, Final

from profiler_core.errors import (
    PROBLEM_CODES,
    AccessDeniedError,
    InvalidPayloadError,
    NotFoundError,
    Problem,
    ProfilerCoreError,
    RepositoryError,
    is_repository_failure,
)
from profiler_core.serialization import error_body

__all__ = [
    "UNAVAILABLE_DETAIL",
    "ERROR_SCHEMAS",
    "ERROR_COMPONENTS",
    "error_status_and_body",
    "invalid_body",
    "error_schema",
]

#: The 503 body's ``detail``: the same for every failure (its message is the log's business).
UNAVAILABLE_DETAIL: Final = "A repository could not answer; try again later."

_COMPONENT_REF: Final = "#/components/schemas/"
_TEXT: Final = {"type": "string"}


def invalid_body(problem: Problem, type_name: str = "request") -> dict[str, object]:
    """The 400 body (``error_body``) for one *problem* in what *type_name* names.

    >>> invalid_body(Problem(path="$", message="must be JSON"), "json")["errors"]
    [{'path': '$', 'code': 'invalid_value', 'message': 'must be JSON'}]
    """
    return error_body(InvalidPayloadError([problem], type_name=type_name))


def error_status_and_body(exc: BaseException, *, log: logging.Logger) -> tuple[int, dict[str, object]] | None:
    """The status and body that answer *exc*, or ``None`` when it is none of the library's errors.

    A repository failure (:func:`~profiler_core.errors.is_repository_failure`)
    is logged on *log* at WARNING with its operation (a ``RepositoryError``'s)
    or its type, never its message, which the body never carries either.

    >>> log = logging.getLogger("doctest")
    >>> error_status_and_body(NotFoundError(kind="cohort", key="c-1"), log=log)[0]
    404
    >>> error_status_and_body(KeyError("x"), log=log) is None
    True
    """
    if isinstance(exc, InvalidPayloadError):
        return 400, error_body(exc)
    if isinstance(exc, AccessDeniedError):
        return 403, {"code": exc.code, "reason_codes": list(exc.reason_codes), "detail": str(exc)}
    if isinstance(exc, NotFoundError):
        return 404, {"code": exc.code, "kind": exc.kind, "key": str(exc.key), "detail": str(exc)}
    if is_repository_failure(exc):
        operation = exc.operation if isinstance(exc, RepositoryError) else type(exc).__name__
        log.warning("repository failed outside a service (operation %s)", operation)
        return 503, {"code": RepositoryError.code, "detail": UNAVAILABLE_DETAIL}
    if isinstance(exc, ProfilerCoreError):
        # A library call refused the request's input (an unknown vocabulary value, an invalid value).
        code = getattr(exc, "problem_code", None) or exc.code
        problem = Problem(path="$", message=str(exc), code=code if code in PROBLEM_CODES else "invalid_value")
        return 400, invalid_body(problem)
    return None


# --- the bodies' JSON Schemas ----------------------------------------------------------

#: The JSON Schemas of the error bodies, by component name (each exactly its body's keys,
#: but ``NotFoundBody``: a host may answer its own keys beside these).
ERROR_SCHEMAS: Final[Mapping[str, Mapping[str, Any]]] = {
    "ProblemBody": {
        "type": "object",
        "properties": {"path": _TEXT, "code": {"enum": sorted(PROBLEM_CODES)}, "message": _TEXT},
        "required": ["path", "code", "message"],
        "additionalProperties": False,
    },
    "PayloadErrorBody": {
        "type": "object",
        "properties": {
            "code": {"const": InvalidPayloadError.code},
            "type": _TEXT,
            "errors": {"type": "array", "items": {"$ref": _COMPONENT_REF + "ProblemBody"}},
        },
        "required": ["code", "type", "errors"],
        "additionalProperties": False,
    },
    "DeniedBody": {
        "type": "object",
        "properties": {
            "code": {"const": AccessDeniedError.code},
            "reason_codes": {"type": "array", "items": _TEXT},
            "detail": _TEXT,
        },
        "required": ["code", "reason_codes", "detail"],
        "additionalProperties": False,
    },
    "NotFoundBody": {
        "type": "object",
        "properties": {"code": _TEXT, "kind": _TEXT, "key": _TEXT, "detail": _TEXT},
        "required": ["code", "kind", "key", "detail"],
    },
    "ReasonBody": {
        "type": "object",
        "properties": {"code": _TEXT, "detail": _TEXT},
        "required": ["code", "detail"],
        "additionalProperties": False,
    },
}

#: The component (of :data:`ERROR_SCHEMAS`) of each status's body; any other status: ``ReasonBody``.
ERROR_COMPONENTS: Final[Mapping[int, str]] = {
    400: "PayloadErrorBody",
    403: "DeniedBody",
    404: "NotFoundBody",
    503: "ReasonBody",
}


def error_schema(status_code: int) -> dict[str, Any]:
    """A self-contained JSON Schema that every body answered with *status_code* validates against.

    Looser than :data:`ERROR_SCHEMAS`, for a host whose own outcomes answer
    these statuses too (a 404 or 503 ``{code, detail}`` of a typed outcome):
    400 and 415: ``error_body`` (``code``, ``type``, ``errors``, each with
    ``path``, ``code`` (one of :data:`~profiler_core.errors.PROBLEM_CODES`)
    and ``message``); 403: ``code``, ``reason_codes``, ``detail``; any other:
    ``code`` and ``detail``.
    """
    problem_body = ERROR_SCHEMAS["ProblemBody"]
    if status_code in (400, 415):
        problem = {key: value for key, value in problem_body.items() if key != "additionalProperties"}
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {"code": _TEXT, "type": _TEXT, "errors": {"type": "array", "items": problem}},
            "required": ["code", "errors"],
        }
    elif status_code == 403:
        schema = {
            "type": "object",
            "properties": {"code": _TEXT, "reason_codes": {"type": "array", "items": _TEXT}, "detail": _TEXT},
            "required": ["code", "reason_codes", "detail"],
        }
    else:
        schema = {
            "type": "object",
            "properties": {"code": _TEXT, "detail": _TEXT},
            "required": ["code", "detail"],
        }
    return copy.deepcopy(schema)  # the caller's to change: nothing shared with ERROR_SCHEMAS

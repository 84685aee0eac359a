"""The host's own exceptions, for outcomes the library returns as values or never sees.

The library's exceptions (``InvalidPayloadError``, ``AccessDeniedError``,
``NotFoundError``) are raised and rendered as they are; these cover the rest:
an endpoint turns a library outcome (a typed not-found, a degraded answer with
nothing to show) into one of them. :func:`fastapi_host.app.create_app` maps
each to its status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from profiler_core import JSON
from profiler_core.fastapi import error_responses

__all__ = ["Unauthenticated", "NotFound", "Unavailable", "Conflict", "SessionConflict", "errors"]

#: What each documented error status means on this host.
_DESCRIPTIONS: Mapping[int, str] = {
    400: "Bad input: every problem with its path.",
    401: "Missing or unknown `X-User-Id` (example-only); a missing or wrong `X-Service-Token`.",
    403: "Denied: `access_denied`, the same for every subject (admin and staff get the "
    "decision's reason codes; the audit record keeps them).",
    404: "A typed not-found, with the library's message.",
    409: "The write conflicts: `portfolio_conflict` (a concurrent write won twice; safe to "
    "retry), `session_owner_conflict` or `session_already_completed` (never retry).",
    503: "A repository failed and there is nothing to show.",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` argument documenting *statuses* (``profiler_core.fastapi.error_responses``)."""
    return error_responses(*statuses, descriptions=_DESCRIPTIONS)


class Unauthenticated(Exception):  # noqa: N818 - named for the HTTP outcome it maps to (401)
    """No ``X-User-Id`` header, or a user this host does not know; rendered as 401."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class NotFound(Exception):  # noqa: N818 - named for the HTTP outcome it maps to (404)
    """A typed not-found the library returned as a value (e.g. no value statement); rendered as 404.

    Attributes:
        code: the body's ``code`` (``not_found`` unless the library names a sharper one).
        kind: what was looked up (``"value_statement"``, ``"cohort"``...).
        key: the id that was looked up.
        message: the library's message, verbatim.
        platform_body: the OCH platform's own 404 body for the route (``profiler_core.och``
            renders it), answered beside this host's keys; empty for the host's own routes.
    """

    def __init__(
        self,
        *,
        kind: str,
        key: str,
        message: str,
        code: str = "not_found",
        platform_body: Mapping[str, JSON] | None = None,
    ) -> None:
        self.code = code
        self.kind = kind
        self.key = key
        self.message = message
        self.platform_body: Mapping[str, JSON] = platform_body or {}
        super().__init__(message)


class Unavailable(Exception):  # noqa: N818 - named for the HTTP outcome it maps to (503)
    """A library service degraded and has nothing to show (a repository failed); rendered as 503.

    Attributes:
        code: the library's reason code (``portfolio_unavailable``, ``profiler_unavailable``...).
        message: the reason's sentence.
    """

    def __init__(self, *, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


class Conflict(Exception):  # noqa: N818 - named for the HTTP outcome it maps to (409)
    """A write that cannot be applied as asked; rendered as 409 ``{"code", "detail"}``.

    ``portfolio_conflict`` (a statement edit lost a race twice) is safe to
    retry; a :class:`SessionConflict` is not.
    """

    def __init__(self, *, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


class SessionConflict(Conflict):
    """A completion names a stored session it may not change; rendered as 409, not worth retrying.

    Codes: ``session_owner_conflict`` (the id belongs to another learner's
    session: a stored session never changes owner) and
    ``session_already_completed`` (the stored session is completed and the
    delivery differs from it: a completed session is immutable, only an
    identical re-delivery is accepted). The Django reference host answers the
    same two codes.
    """

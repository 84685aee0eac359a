"""Who is calling: a viewer (EXAMPLE-ONLY ``X-User-Id``) or the profiling service (``X-Service-Token``).

**Viewers.** This host trusts the ``X-User-Id`` header. A real service
authenticates the request (a session cookie, an OAuth2 bearer token) and only
then builds the :class:`~profiler_core.Principal` the same way: the user's
``is_staff`` flag and role grants, read from the database. Never deploy header
trust.

**The profiling service.** A profiler completion is the profiling service's
trusted, server-to-server call, never a learner's: it carries the
``X-Service-Token`` header, compared in constant time
(:func:`hmac.compare_digest`) with the secret the application was created with
(``create_app(service_token=...)``, ``PROFILER_HOST_SERVICE_TOKEN``). Without a
configured secret the route accepts no call. A viewer's credential there is a
403 (``service_credential_required``), audited; no credential, or a wrong
token, is a 401.
"""

from __future__ import annotations

import hmac
import logging
import sqlite3
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Header, Request

from fastapi_host.db import TABLES
from fastapi_host.dependencies import Audit, Connection, Now
from fastapi_host.edge import bounded, checked_id, id_problem
from fastapi_host.errors import Unauthenticated
from fastapi_host.repositories import SqliteAuditSink
from profiler_core import AccessDeniedError, InvalidPayloadError, Principal, UserId, structure
from profiler_core.errors import RepositoryError
from profiler_core.models import canonical_id

__all__ = [
    "SERVICE_TOKEN_HEADER",
    "SERVICE_CREDENTIAL_REQUIRED",
    "load_principal",
    "current_principal",
    "CurrentPrincipal",
    "require_service",
    "ServiceCaller",
    "audit_refusal",
    "MALFORMED_SUBJECT_ID",
    "checked_subject",
]

_log = logging.getLogger("fastapi_host.auth")

#: The header that carries the profiling service's credential.
SERVICE_TOKEN_HEADER = "X-Service-Token"

#: The 403 reason when a viewer's credential is used on a server-to-server route (as in the Django host).
SERVICE_CREDENTIAL_REQUIRED = "service_credential_required"

#: The audited reason when an access-controlled endpoint is asked about an id the host does not accept.
MALFORMED_SUBJECT_ID = "malformed_subject_id"


def load_principal(connection: sqlite3.Connection, user_id: str) -> Principal | None:
    """The user's :class:`~profiler_core.Principal` (``is_staff`` and every role grant), or ``None``.

    Inactive and expired grants are loaded too: the library's access rules treat
    them as absent, so the host does not filter them itself.

    Raises:
        RepositoryError: a stored grant the library cannot read (answered 503,
            never a 400 quoting the row).
    """
    user = connection.execute("SELECT id, is_staff FROM users WHERE id = ?", (user_id,)).fetchone()
    if user is None:
        return None
    grants = connection.execute(
        "SELECT role, scope, scope_ref, is_active, expires_at FROM role_grants WHERE user_id = ? ORDER BY id",
        (user_id,),
    ).fetchall()
    table = TABLES["role_grants"]
    try:
        return structure(
            {
                "user_id": user["id"],
                "is_staff": bool(user["is_staff"]),
                "roles": [table.decode(grant) for grant in grants],
            },
            Principal,
        )
    except InvalidPayloadError as exc:
        raise RepositoryError(
            f"the user's stored role grants could not be read: {exc.log_summary()}",
            operation="load_principal",
        ) from exc


def current_principal(
    connection: Connection,
    x_user_id: Annotated[
        str | None,
        Header(description="EXAMPLE-ONLY: the viewer's user id, trusted as is. Use real authentication."),
    ] = None,
) -> Principal:
    """The viewer of this request, from the ``X-User-Id`` header (example-only).

    Raises:
        Unauthenticated: the header is missing or blank, or names no known user.
        InvalidPayloadError: the header is not an id (longer than
            :data:`~fastapi_host.edge.MAX_ID_LENGTH`, or a control character): a 400.
    """
    if x_user_id is None or not x_user_id.strip():
        raise Unauthenticated("The X-User-Id header is required (example-only authentication).")
    user_id = checked_id(x_user_id.strip(), path="$.header.x-user-id")
    principal = load_principal(connection, UserId(user_id))
    if principal is None:
        raise Unauthenticated("The X-User-Id header names no known user.")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def audit_refusal(
    audit: SqliteAuditSink, *, viewer_id: str, action: str, subject: str, reason_code: str, now: datetime
) -> None:
    """Write the host's own refusal of a request to ``access_audit``; a failing sink is logged, not raised.

    *subject* is stored bounded (:func:`~fastapi_host.edge.bounded`): the
    refusal may be of an id this host does not accept.
    """
    try:
        audit.write_host_refusal(
            viewer_id=viewer_id, action=action, subject_id=bounded(subject), reason_code=reason_code, at=now
        )
    except (sqlite3.Error, OSError):
        # The refusal stands without its row, as the library's services treat a failing sink.
        _log.warning(
            "audit sink failed; host refusal not recorded",
            exc_info=True,
            extra={"viewer_id": viewer_id, "action": action, "reason_code": reason_code},
        )


def require_service(
    request: Request,
    *,
    connection: Connection,
    audit: Audit,
    now: Now,
    x_service_token: Annotated[
        str | None,
        Header(description="The profiling service's credential (server-to-server routes only)."),
    ] = None,
    x_user_id: Annotated[
        str | None,
        Header(description="A viewer's credential: refused on server-to-server routes (403)."),
    ] = None,
) -> None:
    """Let the request through only with the profiling service's credential.

    Raises:
        Unauthenticated: no ``X-Service-Token`` and no viewer credential, a wrong
            token, or no service token configured (401).
        AccessDeniedError: a viewer's ``X-User-Id`` without the service token
            (403 ``service_credential_required``, audited as ``deliver_completion``).
        InvalidPayloadError: a malformed ``X-User-Id`` (400).
    """
    if x_service_token is not None:
        expected: bytes | None = request.app.state.service_token
        # Header values reach us decoded as latin-1: encode back to the bytes that were sent,
        # so a non-ASCII token compares (and fails) instead of raising in compare_digest.
        if expected is None or not hmac.compare_digest(x_service_token.encode("latin-1"), expected):
            raise Unauthenticated(f"The {SERVICE_TOKEN_HEADER} header is not this host's service credential.")
        return
    if x_user_id is None or not x_user_id.strip():
        raise Unauthenticated(
            f"This route is server-to-server: the {SERVICE_TOKEN_HEADER} header is required."
        )
    viewer = current_principal(connection, x_user_id)
    audit_refusal(
        audit,
        viewer_id=viewer.user_id,
        action="deliver_completion",
        subject=request.url.path,
        reason_code=SERVICE_CREDENTIAL_REQUIRED,
        now=now,
    )
    raise AccessDeniedError(reason_codes=[SERVICE_CREDENTIAL_REQUIRED])


ServiceCaller = Annotated[None, Depends(require_service)]


def checked_subject(
    value: str, *, path: str, viewer: Principal, action: str, audit: SqliteAuditSink, now: datetime
) -> str:
    """The subject id of an access-controlled request (its canonical text), or an audited 400.

    A malformed subject (see :mod:`fastapi_host.edge`) is refused before the
    library decides anything; the refusal is still written to ``access_audit``
    (``host_refusal``, ``malformed_subject_id``, the subject bounded), so every
    access question leaves a row, whatever id it names.

    Raises:
        InvalidPayloadError: *value* is not an id this host accepts (a 400 naming *path*).
    """
    problem = id_problem(value, path=path)
    if problem is None:
        return canonical_id(value, field=path)
    audit_refusal(
        audit,
        viewer_id=viewer.user_id,
        action=action,
        subject=value,
        reason_code=MALFORMED_SUBJECT_ID,
        now=now,
    )
    raise InvalidPayloadError([problem], type_name="request")

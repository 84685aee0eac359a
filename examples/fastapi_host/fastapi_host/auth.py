"""EXAMPLE-ONLY authentication: the ``X-User-Id`` header names the viewer.

This host trusts the header. A real service authenticates the request (a
session cookie, an OAuth2 bearer token) and only then builds the
:class:`~profiler_core.Principal` the same way: the user's ``is_staff`` flag
and role grants, read from the database. Never deploy header trust.
"""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import Depends, Header

from fastapi_host.db import TABLES
from fastapi_host.dependencies import Connection
from fastapi_host.errors import Unauthenticated
from profiler_core import Principal, UserId, structure

__all__ = [
    "load_principal",
    "current_principal",
    "CurrentPrincipal",
]


def load_principal(connection: sqlite3.Connection, user_id: str) -> Principal | None:
    """The user's :class:`~profiler_core.Principal` (``is_staff`` and every role grant), or ``None``.

    Inactive and expired grants are loaded too: the library's access rules treat
    them as absent, so the host does not filter them itself.
    """
    user = connection.execute("SELECT id, is_staff FROM users WHERE id = ?", (user_id,)).fetchone()
    if user is None:
        return None
    grants = connection.execute(
        "SELECT role, scope, scope_ref, is_active, expires_at FROM role_grants WHERE user_id = ? ORDER BY id",
        (user_id,),
    ).fetchall()
    table = TABLES["role_grants"]
    return structure(
        {
            "user_id": user["id"],
            "is_staff": bool(user["is_staff"]),
            "roles": [table.decode(grant) for grant in grants],
        },
        Principal,
    )


def current_principal(
    connection: Connection,
    x_user_id: Annotated[
        str | None,
        Header(description="EXAMPLE-ONLY: the viewer's user id, trusted as is. Use real authentication."),
    ] = None,
) -> Principal:
    """The viewer of this request, from the ``X-User-Id`` header (example-only).

    Raises:
        Unauthenticated: the header is missing or names no known user.
    """
    if not x_user_id or not x_user_id.strip():
        raise Unauthenticated("The X-User-Id header is required (example-only authentication).")
    principal = load_principal(connection, UserId(x_user_id.strip()))
    if principal is None:
        raise Unauthenticated("The X-User-Id header names no known user.")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]

"""Authentication: platform users by the example-only ``X-User-Id`` header (``users.id`` or ``uuid_id``).

``X-User-Id`` exists so the reference host can be driven with ``curl`` and
tested without a login flow. **Never deploy it**: anyone can claim any id. A
real platform keeps its own authentication (session, JWT, OAuth) and only
reuses :func:`principal_for`, which turns the authenticated user and their
``user_roles`` rows into the library's :class:`profiler_core.Principal`.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from rest_framework import authentication, exceptions

import profiler_core as pc
from profiler_core import och
from profiler_core.errors import RepositoryError
from profiler_host import models
from profiler_host.adapters import track_directory
from profiler_host.edge import checked_id

HEADER = "X-User-Id"


class HeaderUserAuthentication(authentication.BaseAuthentication):
    """DRF authentication reading the user id from ``X-User-Id`` (example only)."""

    def authenticate(self, request: HttpRequest) -> tuple[models.User, None] | None:
        """The user named by the header; ``None`` (unauthenticated) without it; 401 for an unknown id.

        Raises:
            InvalidPayloadError: the header is not a valid id (over
                :data:`~profiler_host.edge.MAX_ID_LENGTH` characters, or holding a
                control character such as ``NUL``): a 400, before any query.
        """
        user_id = request.headers.get(HEADER, "").strip()
        if not user_id:
            return None
        user_id = checked_id(user_id, path="$.header.x-user-id")
        user = user_by_key(user_id)
        if user is None:
            raise exceptions.AuthenticationFailed(f"unknown user in {HEADER}")
        return user, None

    def authenticate_header(self, request: HttpRequest) -> str:
        """Makes DRF answer 401 (not 403) when the header is missing."""
        return HEADER


def user_by_key(key: str) -> models.User | None:
    """The active user *key* names: ``users.id`` (``16``) or ``users.uuid_id`` (any case); one query.

    A key that is neither (or a number no bigint holds) names nobody (``None``): no query is made for it.
    """
    active = models.User.objects.filter(is_active=True)
    if key.isascii() and key.isdigit():
        return active.filter(pk=int(key)).first() if int(key) <= MAX_BIGINT else None
    try:
        uuid_id = uuid.UUID(key)
    except ValueError:
        return None
    return active.filter(uuid_id=uuid_id).first()


#: ``users.id`` is a bigint: a larger number cannot be one.
MAX_BIGINT = 2**63 - 1


def principal_for(user: models.User) -> pc.Principal:
    """The library's viewer: ``is_staff`` plus every ``user_roles`` row of *user* (one query).

    The rows are read by :func:`profiler_core.och.read_principal` (role names
    joined from ``roles``; a name the library does not know, such as the dump's
    ``sponsor``, grants nothing). A ``track`` scope's ``scope_ref`` is a track
    UUID: the track directory is read (two more queries) only when a grant has one.
    Inactive and expired grants are handed in as they are: the library's
    access rules treat them as absent at the decision's ``now``.

    Raises:
        RepositoryError: a ``user_roles`` row cannot be read (a viewer is never
            read with a grant quietly missing).
    """
    grants = list(
        models.UserRole.objects.filter(user_id=user.pk)
        .order_by("id")
        .values("id", "role__name", "scope", "scope_ref", "cohort_id", "track_key", "is_active", "expires_at")
    )
    tracks = track_directory() if any(g["scope"] == "track" for g in grants) else None
    try:
        return och.read_principal({"id": user.pk, "is_staff": user.is_staff}, grants, tracks=tracks).value
    except pc.InvalidPayloadError as exc:
        raise RepositoryError(
            f"user_roles: a stored row could not be read: {exc.log_summary()}", operation="principal_for"
        ) from exc

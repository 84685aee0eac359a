"""Example-only authentication: the caller names themself in the ``X-User-Id`` header.

This exists so the reference host can be driven with ``curl`` and tested
without a login flow. **Never deploy it**: anyone can claim any id. A real
platform keeps its own authentication (session, JWT, OAuth) and only reuses
:func:`principal_for`, which turns the authenticated user and their
``role_grants`` rows into the library's :class:`profiler_core.Principal`.
"""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework import authentication, exceptions

import profiler_core as pc
from profiler_host import models

HEADER = "X-User-Id"


class HeaderUserAuthentication(authentication.BaseAuthentication):
    """DRF authentication reading the user id from ``X-User-Id`` (example only)."""

    def authenticate(self, request: HttpRequest) -> tuple[models.User, None] | None:
        """The user named by the header; ``None`` (unauthenticated) without it; 401 for an unknown id."""
        user_id = request.headers.get(HEADER, "").strip()
        if not user_id:
            return None
        user = models.User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            raise exceptions.AuthenticationFailed(f"unknown user in {HEADER}")
        return user, None

    def authenticate_header(self, request: HttpRequest) -> str:
        """Makes DRF answer 401 (not 403) when the header is missing."""
        return HEADER


def principal_for(user: models.User) -> pc.Principal:
    """The library's viewer: ``is_staff`` plus every ``role_grants`` row of *user* (one query).

    Inactive and expired grants are handed in as they are: the library's
    access rules treat them as absent at the decision's ``now``.
    """
    grants = models.RoleGrant.objects.filter(user_id=user.pk).order_by("id").values()
    return pc.Principal(
        user_id=pc.UserId(user.pk),
        is_staff=user.is_staff,
        roles=[models.RoleGrant.to_domain(row) for row in grants],
    )

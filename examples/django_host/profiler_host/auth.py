"""Authentication: learners by the example-only ``X-User-Id`` header, the profiling service by its token.

``X-User-Id`` exists so the reference host can be driven with ``curl`` and
tested without a login flow. **Never deploy it**: anyone can claim any id. A
real platform keeps its own authentication (session, JWT, OAuth) and only
reuses :func:`principal_for`, which turns the authenticated user and their
``role_grants`` rows into the library's :class:`profiler_core.Principal`.

The profiler completion route is not a learner's call: the profiling service
delivers completions server to server, with its own credential, the
``X-Service-Token`` header compared in constant time with the
``PROFILER_SERVICE_TOKEN`` setting (:class:`ServiceTokenAuthentication`). No
token configured means no caller is the service.
"""

from __future__ import annotations

import hmac
from typing import Final

from django.conf import settings
from django.http import HttpRequest
from rest_framework import authentication, exceptions

import profiler_core as pc
from profiler_host import models
from profiler_host.edge import checked_id

HEADER = "X-User-Id"
SERVICE_HEADER = "X-Service-Token"

#: The shortest ``PROFILER_SERVICE_TOKEN`` that counts as configured (a guessable secret is no credential).
MIN_SERVICE_TOKEN_LENGTH = 16


class ProfilingService:
    """``request.user`` of a request the profiling service made with its token (not a platform user)."""

    is_authenticated: Final = True
    is_active: Final = True
    is_staff: Final = False
    pk: Final = None

    def __repr__(self) -> str:
        return "ProfilingService()"


#: The one caller object of service-token requests.
PROFILING_SERVICE: Final = ProfilingService()


class ServiceTokenAuthentication(authentication.BaseAuthentication):
    """The profiling service, by ``X-Service-Token`` (server to server; only on the completion route)."""

    def authenticate(self, request: HttpRequest) -> tuple[ProfilingService, None] | None:
        """:data:`PROFILING_SERVICE` for the configured token; ``None`` without the header; 401 for another.

        The comparison is :func:`hmac.compare_digest` over UTF-8 bytes, so its
        time does not depend on how much of the token a guess got right. A
        ``PROFILER_SERVICE_TOKEN`` that is empty or shorter than
        :data:`MIN_SERVICE_TOKEN_LENGTH` accepts no token at all.
        """
        sent = request.headers.get(SERVICE_HEADER)
        if sent is None:
            return None
        expected = str(getattr(settings, "PROFILER_SERVICE_TOKEN", "") or "")
        configured = len(expected) >= MIN_SERVICE_TOKEN_LENGTH
        if configured and hmac.compare_digest(sent.encode(), expected.encode()):
            return PROFILING_SERVICE, None
        raise exceptions.AuthenticationFailed(f"invalid {SERVICE_HEADER}")

    def authenticate_header(self, request: HttpRequest) -> str:
        """Makes DRF answer 401 (not 403) when no credential is sent."""
        return SERVICE_HEADER


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

"""Example-only header authentication, the Principal built from ``user_roles`` rows, and the error mapping."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client, RequestFactory
from profiler_host import models
from profiler_host import och_fixture as f
from profiler_host.adapters import DjangoAuditSink
from profiler_host.auth import principal_for
from rest_framework.exceptions import NotAuthenticated

import profiler_core as pc
from profiler_core import Role, Scope
from profiler_core.access import AccessAction, AccessRule, AuditOutcome, AuditRecord
from profiler_core.drf import exception_handler

pytestmark = pytest.mark.django_db

EXPIRED = datetime(2020, 1, 1, tzinfo=UTC)


class TestPrincipalFor:
    def test_carries_staff_flag_and_every_grant(self, och: None) -> None:
        """is_staff and every ``user_roles`` row (role name from ``roles``), inactive and expired too."""
        models.UserRole.objects.create(
            user_id=2, role_id=7, scope="cohort", scope_ref=f.CORONA_COHORT, is_active=False
        )
        models.UserRole.objects.create(user_id=2, role_id=38, scope="global", expires_at=EXPIRED)
        principal = principal_for(models.User.objects.get(pk=f.DIRECTOR))
        assert principal == pc.Principal(
            user_id=pc.UserId("2"),
            is_staff=False,
            roles=(
                pc.RoleGrant(role=Role.PROGRAM_DIRECTOR),
                pc.RoleGrant(
                    role=Role.MENTOR, scope=Scope.COHORT, scope_ref=str(f.CORONA_COHORT), is_active=False
                ),
                pc.RoleGrant(role=Role.ANALYST, expires_at=EXPIRED),
            ),
        )
        assert principal_for(models.User.objects.get(pk=f.STAFF)).is_staff is True

    def test_a_track_scope_names_the_track_its_uuid_resolves_to(self, och: None) -> None:
        """A ``track`` scope's ``scope_ref`` is a curriculum track's UUID: read as the track key."""
        models.UserRole.objects.create(user_id=2, role_id=1, scope="track", scope_ref=f.DEFENDER_TRACK)
        grants = principal_for(models.User.objects.get(pk=f.DIRECTOR)).roles
        assert grants[-1] == pc.RoleGrant(role=Role.PROGRAM_DIRECTOR, scope=Scope.TRACK, scope_ref="defender")

    def test_the_dumps_sponsor_role_is_kept_and_grants_nothing(self, och: None) -> None:
        """The dump's ``roles`` row ``sponsor`` is not a role the library knows: Role.UNKNOWN."""
        models.UserRole.objects.create(user_id=29, role_id=8, scope="global")
        assert principal_for(models.User.objects.get(pk=f.FINANCE)).roles[-1].role is Role.UNKNOWN


class TestHeaderAuthentication:
    def test_an_inactive_user_is_refused(self, och: None, client: Client) -> None:
        """A deactivated user's id in X-User-Id is a 401."""
        models.User.objects.filter(pk=f.MENTEE).update(is_active=False)
        response = client.get("/api/v1/student/missions/", headers={"X-User-Id": "16"})
        assert response.status_code == 401

    @pytest.mark.parametrize(
        "header", ["99999", "9223372036854775808", "learner-001", "00000000-0000-4000-8000-000000000000"]
    )
    def test_an_unknown_user_is_refused(self, och: None, client: Client, header: str) -> None:
        """An id no user has (``users.id``, ``uuid_id``), one past bigint, or neither, is a 401."""
        response = client.get("/api/v1/student/missions/", headers={"X-User-Id": header})
        assert response.status_code == 401


class TestExceptionHandler:
    def _context(self) -> dict[str, object]:
        return {"request": RequestFactory().get("/"), "view": None}

    def test_invalid_payload_is_400_with_paths(self) -> None:
        """InvalidPayloadError becomes 400 with error_body(error)."""
        error = pc.InvalidPayloadError([pc.Problem(path="$.x", message="bad")], type_name="T")
        response = exception_handler(error, self._context())
        assert response is not None
        assert (response.status_code, response.data) == (400, pc.error_body(error))

    def test_access_denied_is_403_with_reason_codes(self) -> None:
        """AccessDeniedError becomes 403 listing its reason codes."""
        response = exception_handler(pc.AccessDeniedError(reason_codes=["no_grant"]), self._context())
        assert response is not None
        assert response.status_code == 403
        assert response.data["reason_codes"] == ["no_grant"]

    def test_not_found_is_404_with_the_message(self) -> None:
        """NotFoundError becomes 404 with its kind, key and message."""
        response = exception_handler(pc.NotFoundError(kind="cohort", key="c-9"), self._context())
        assert response is not None
        assert response.status_code == 404
        assert response.data == {
            "code": "not_found",
            "kind": "cohort",
            "key": "c-9",
            "detail": "cohort 'c-9' not found",
        }

    def test_other_errors_go_to_drf(self) -> None:
        """DRF's own exceptions keep DRF's handling."""
        response = exception_handler(NotAuthenticated(), self._context())
        assert response is not None
        assert response.status_code in {401, 403}


class TestAuditSink:
    def test_writes_one_row_per_record(self) -> None:
        """Each audit record becomes an access_audit row with the policy as id@version."""
        audit = AuditRecord(
            viewer_id=pc.UserId("u-1"),
            action=AccessAction.VIEW_RESULTS,
            subject_id="u-2",
            outcome=AuditOutcome.DENIED,
            view="none",
            rule=AccessRule.DEFAULT_DENY,
            reason_codes=("no_grant",),
            policy=pc.PolicyRef(id="access", version=1),
            at=EXPIRED,
        )
        DjangoAuditSink().write([audit, audit])
        rows = list(
            models.AccessAudit.objects.values("viewer_id", "subject_id", "reason_codes", "policy", "at")
        )
        assert (
            rows
            == [
                {
                    "viewer_id": "u-1",
                    "subject_id": "u-2",
                    "reason_codes": ["no_grant"],
                    "policy": "access@1",
                    "at": EXPIRED,
                }
            ]
            * 2
        )

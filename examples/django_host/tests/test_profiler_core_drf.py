"""profiler_core.drf on its own: a tiny DRF view over the library's in-memory fakes, and each helper.

The host's own tests cover the module in place (every endpoint); these pin the
module's contract without the host's tables.
"""

from __future__ import annotations

import doctest
import logging
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import jsonschema
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.test import override_settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from profiler_host import models
from profiler_host import och_fixture as f
from profiler_host.adapters import DjangoAuditSink, DjangoCohortAnalyticsRepository, DjangoCohortRepository
from profiler_host.auth import principal_for
from rest_framework.exceptions import NotAuthenticated, ParseError, UnsupportedMediaType
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

import profiler_core as pc
from profiler_core import drf
from profiler_core._openapi import COMPONENTS_KEY
from profiler_core.access import ACCESS_DENIED, AccessPolicy
from profiler_core.analytics import SuppressionPolicy
from profiler_core.decisions import PolicyRef, Reason
from profiler_core.errors import InvalidValueError, PolicyError, RepositoryError, UnknownValueError
from profiler_core.models import Cohort, MentorAssignment, Principal, ProfilerSession, RoleGrant
from profiler_core.reports import CohortReport, Suppressed
from profiler_core.schema import schema_for
from profiler_core.serialization import unstructure
from profiler_core.services import ResultsAllowed, ResultsNotFound
from profiler_core.testing.fakes import (
    FailingRepository,
    InMemoryAuditSink,
    InMemoryCohortRepository,
    InMemoryEnrollmentRepository,
    InMemoryMentorAssignmentRepository,
    InMemorySessionRepository,
)
from profiler_core.vocabulary import AssignmentStatus, Role, Scope, SessionStatus

COHORT = "c-1"
SPONSOR = "org-1"
OTHER_COHORT = "c-2"


class _User:
    """An authenticated DRF user standing for a platform user (``pk`` is the library's user id)."""

    is_authenticated = True

    def __init__(self, pk: str, principal: Principal) -> None:
        self.pk = pk
        self.principal = principal


class _AnalyticsView(APIView):
    """A view guarded by the library's cohort permission, over in-memory fakes."""

    permission_classes: ClassVar[tuple[type[BasePermission], ...]] = (  # type: ignore[misc]
        IsAuthenticated,
        drf.CohortAnalyticsPermission,
    )
    cohorts = InMemoryCohortRepository(
        [
            Cohort(id=COHORT, name="One", enterprise_id=SPONSOR),
            Cohort(id=OTHER_COHORT, name="Two", enterprise_id="org-2"),
        ]
    )
    audit = InMemoryAuditSink()

    def profiler_principal(self, request: Request) -> Principal:
        """The user's principal."""
        user: Any = request.user
        principal: Principal = user.principal
        return principal

    def profiler_access_ports(self, request: Request) -> drf.AccessPorts:
        """The fakes."""
        return drf.AccessPorts(cohorts=self.cohorts, audit=self.audit)

    def get(self, request: Request, cohort_id: str) -> Response:
        """The allowed decision, rendered with LibraryResponse."""
        access = drf.analytics_access(request)
        return drf.LibraryResponse(access.decision, headers={"X-Cohorts": str(len(access.cohorts))})


class _EnterpriseView(_AnalyticsView):
    permission_classes: ClassVar[tuple[type[BasePermission], ...]] = (  # type: ignore[misc]
        IsAuthenticated,
        type("_Sponsor", (drf.EnterpriseAnalyticsPermission,), {"lookup_query": "sponsor_id"}),
    )

    def get(self, request: Request, enterprise_id: str | None = None) -> Response:
        """The allowed outcome's subject."""
        return Response({"subject": drf.analytics_access(request).subject_id})


class _UnguardedView(APIView):
    permission_classes: ClassVar[tuple[type[BasePermission], ...]] = (drf.CohortAnalyticsPermission,)  # type: ignore[misc]

    def get(self, request: Request, cohort_id: str) -> Response:
        """Never reached."""
        return Response({})


LEARNER_ID, MENTOR_ID = "u-learner", "u-mentor"


class _ResultsView(APIView):
    """A view guarded by the library's results permission, over in-memory fakes."""

    permission_classes: ClassVar[tuple[type[BasePermission], ...]] = (  # type: ignore[misc]
        IsAuthenticated,
        drf.LearnerResultsPermission,
    )
    sessions = InMemorySessionRepository(
        [
            ProfilerSession(
                id="s-1",
                user_id=LEARNER_ID,
                status=SessionStatus.FINISHED,
                completed_at=datetime(2026, 1, 5, tzinfo=UTC),
                aptitude_score=70.0,
            )
        ]
    )
    assignments = InMemoryMentorAssignmentRepository(
        [MentorAssignment(mentor_id=MENTOR_ID, mentee_id=LEARNER_ID, status=AssignmentStatus.ACTIVE)]
    )
    audit = InMemoryAuditSink()

    def profiler_principal(self, request: Request) -> Principal:
        """The user's principal."""
        user: Any = request.user
        principal: Principal = user.principal
        return principal

    def profiler_results_ports(self, request: Request) -> drf.ResultsPorts:
        """The fakes."""
        return drf.ResultsPorts(
            sessions=self.sessions,
            assignments=self.assignments,
            enrollments=InMemoryEnrollmentRepository(),
            cohorts=InMemoryCohortRepository(),
            audit=self.audit,
        )

    def get(self, request: Request, mentee_id: str) -> Response:
        """The allowed outcome rendered; no results is the view's own 404."""
        outcome = drf.results_access(request)
        if isinstance(outcome, ResultsNotFound):
            return Response({"reason": outcome.reason.code}, status=404)
        return drf.LibraryResponse(outcome)


def _principal(user_id: str, *grants: RoleGrant, staff: bool = False) -> Principal:
    return Principal(user_id=pc.UserId(user_id), is_staff=staff, roles=grants)


SPONSOR_ADMIN = _principal(
    "u-sponsor", RoleGrant(role=Role.SPONSOR_ADMIN, scope=Scope.ORG, scope_ref=SPONSOR)
)
STRANGER = _principal("u-stranger")
STAFF = _principal("u-staff", staff=True)


def _call(view: type[APIView], principal: Principal | None, path: str, **kwargs: str) -> Response:
    request = APIRequestFactory().get(path)
    if principal is not None:
        force_authenticate(request, user=_User(str(principal.user_id), principal))
    response: Response = view.as_view()(request, **kwargs)
    return response


@pytest.fixture(autouse=True)
def _fresh_audit() -> None:
    _AnalyticsView.audit.records.clear()


@pytest.fixture(autouse=True)
def _library_handler(settings: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "EXCEPTION_HANDLER": "profiler_core.drf.exception_handler",
    }


MENTOR = _principal(MENTOR_ID, RoleGrant(role=Role.MENTOR))
LEARNER = _principal(LEARNER_ID)


class TestResultsPermission:
    @pytest.fixture(autouse=True)
    def _fresh(self) -> None:
        _ResultsView.audit.records.clear()

    @pytest.mark.parametrize(
        ("viewer", "view"),
        [(LEARNER, "self"), (MENTOR, "mentor"), (STAFF, "admin")],
        ids=["self", "mentor", "staff"],
    )
    def test_an_allowed_viewer_gets_the_projection(self, viewer: Principal, view: str) -> None:
        """The learner, the assigned mentor and staff pass; the view is the granted one; one audit record."""
        response = _call(_ResultsView, viewer, "/", mentee_id=LEARNER_ID)
        assert response.status_code == 200
        assert response.data["view"] == view
        assert response.data["mentee_id"] == LEARNER_ID
        assert len(_ResultsView.audit.records) == 1

    def test_a_denial_is_the_same_403_for_every_learner(self) -> None:
        """A mentor without an assignment gets the library's denial body, identical for an unknown learner."""
        other_mentor = _principal("u-other", RoleGrant(role=Role.MENTOR))
        existing = _call(_ResultsView, other_mentor, "/", mentee_id=LEARNER_ID)
        missing = _call(_ResultsView, other_mentor, "/", mentee_id="u-nobody")
        assert existing.status_code == missing.status_code == 403
        assert existing.data == missing.data
        assert existing.data["reasons"] == [{"code": "access_denied", "message": ACCESS_DENIED.message}]
        assert existing.data["allowed"] is False

    def test_no_completed_session_is_left_to_the_view(self) -> None:
        """Staff asking about a learner without results: the outcome is ResultsNotFound, the view answers."""
        response = _call(_ResultsView, STAFF, "/", mentee_id="u-new")
        assert (response.status_code, response.data) == (404, {"reason": "no_completed_session"})

    def test_results_access_needs_the_permission(self) -> None:
        """Reading the outcome of an unguarded request is a configuration error."""
        with pytest.raises(ImproperlyConfigured, match="LearnerResultsPermission"):
            drf.results_access(Request(APIRequestFactory().get("/")))

    def test_the_outcome_is_the_services(self) -> None:
        """request.profiler_decision is exactly services.mentee_results's ResultsAllowed."""
        seen: list[object] = []

        class Spy(_ResultsView):
            def get(self, request: Request, mentee_id: str) -> Response:
                seen.append(drf.results_access(request))
                return Response({})

        _call(Spy, LEARNER, "/", mentee_id=LEARNER_ID)
        assert len(seen) == 1
        assert isinstance(seen[0], ResultsAllowed)


class TestPermissions:
    def test_an_allowed_viewer_reaches_the_view_with_the_decision(self) -> None:
        """The sponsor admin sees its cohort; request.profiler_decision is the allowed outcome; one audit."""
        response = _call(_AnalyticsView, SPONSOR_ADMIN, "/", cohort_id=COHORT)
        assert response.status_code == 200
        assert response.data["allowed"] is True
        assert response.data["view"] == "sponsor"
        assert response["X-Cohorts"] == "1"
        assert [r.subject_id for r in _AnalyticsView.audit.records] == [COHORT]

    def test_a_denial_is_the_same_403_for_every_cohort(self) -> None:
        """A stranger gets one body for a cohort that exists and for one that does not, and is audited."""
        existing = _call(_AnalyticsView, STRANGER, "/", cohort_id=COHORT)
        missing = _call(_AnalyticsView, STRANGER, "/", cohort_id="c-404")
        assert existing.status_code == missing.status_code == 403
        assert (
            existing.data
            == missing.data
            == {
                "code": "access_denied",
                "reason_codes": ["access_denied"],
                "detail": ACCESS_DENIED.message,
            }
        )
        assert len(_AnalyticsView.audit.records) == 2

    def test_another_sponsors_cohort_is_denied(self) -> None:
        """The sponsor admin's org scope does not cover a cohort another sponsor funds."""
        assert _call(_AnalyticsView, SPONSOR_ADMIN, "/", cohort_id=OTHER_COHORT).status_code == 403

    def test_an_unknown_cohort_is_404_for_a_viewer_who_could_see_it(self) -> None:
        """Staff asking about a cohort that does not exist: 404 with the gate's reason."""
        response = _call(_AnalyticsView, STAFF, "/", cohort_id="c-404")
        assert (response.status_code, response.data["code"]) == (404, "cohort_not_found")

    def test_unreadable_cohorts_are_503_with_the_notes_header(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A cohort repository that fails: 503 ``cohorts_unavailable``, its note codes in X-Profiler-Notes."""
        monkeypatch.setattr(_AnalyticsView, "cohorts", FailingRepository(RepositoryError("down")))
        response = _call(_AnalyticsView, STAFF, "/", cohort_id=COHORT)
        assert (response.status_code, response.data["code"]) == (503, "cohorts_unavailable")
        assert "cohorts_unavailable" in response[drf.NOTES_HEADER]

    def test_anonymous_is_401_and_decides_nothing(self) -> None:
        """Without a user the permission leaves the answer to DRF (401 here); nothing is audited."""
        response = _call(_AnalyticsView, None, "/", cohort_id=COHORT)
        assert response.status_code == 401
        assert "access_denied" not in str(response.data)
        assert _AnalyticsView.audit.records == []

    @pytest.mark.parametrize(
        ("cohort_id", "code"),
        [(" ", "blank"), ("a\x00b", "invalid_value"), ("x" * 65, "out_of_range")],
        ids=["blank", "nul", "65-chars"],
    )
    def test_a_malformed_id_is_400_before_any_decision(self, cohort_id: str, code: str) -> None:
        """Blank, NUL, or over 64 characters: 400 at ``$.path.cohort_id``, nothing audited."""
        response = _call(_AnalyticsView, STAFF, "/", cohort_id=cohort_id)
        assert response.status_code == 400
        assert [(e["path"], e["code"]) for e in response.data["errors"]] == [("$.path.cohort_id", code)]
        assert _AnalyticsView.audit.records == []

    def test_the_query_parameter_names_the_enterprise_without_a_path_id(self) -> None:
        """lookup_query: ``?sponsor_id=`` is read when the URL has no enterprise_id; missing is a 400."""
        allowed = _call(_EnterpriseView, SPONSOR_ADMIN, f"/?sponsor_id={SPONSOR}")
        assert (allowed.status_code, allowed.data) == (200, {"subject": SPONSOR})
        missing = _call(_EnterpriseView, SPONSOR_ADMIN, "/")
        assert missing.status_code == 400
        assert missing.data["errors"][0]["path"] == "$.query.sponsor_id"

    def test_a_view_without_the_protocol_is_a_configuration_error(self) -> None:
        """A guarded view that cannot name the viewer fails loudly instead of allowing."""
        with pytest.raises(ImproperlyConfigured, match="profiler_principal"):
            _call(_UnguardedView, STAFF, "/", cohort_id=COHORT)

    def test_analytics_access_needs_the_permission(self) -> None:
        """Reading the decision of an unguarded request is a configuration error, never None."""
        request = Request(APIRequestFactory().get("/"))
        with pytest.raises(ImproperlyConfigured, match="profiler_decision"):
            drf.analytics_access(request)

    def test_the_access_policy_comes_from_the_settings(self, settings: Any) -> None:
        """PROFILER_CORE['access'] is the policy the gate decides with (its id@version in the decision)."""
        settings.PROFILER_CORE = {"access": {"id": "access-strict", "version": 3}}
        response = _call(_AnalyticsView, STAFF, "/", cohort_id=COHORT)
        assert response.data["policy"] == "access-strict@3"


def _context() -> dict[str, object]:
    return {"request": None, "view": None}


class TestExceptionHandler:
    @pytest.mark.parametrize(
        ("error", "status", "body"),
        [
            (
                pc.InvalidPayloadError(
                    [pc.Problem(path="$.x", message="bad", code="required")], type_name="T"
                ),
                400,
                {
                    "code": "invalid_payload",
                    "type": "T",
                    "errors": [{"path": "$.x", "code": "required", "message": "bad"}],
                },
            ),
            (
                ParseError("JSON parse error"),
                400,
                {
                    "code": "invalid_payload",
                    "type": "json",
                    "errors": [{"path": "$", "code": "invalid_value", "message": "JSON parse error"}],
                },
            ),
            (
                UnsupportedMediaType("text/plain"),
                415,
                {
                    "code": "invalid_payload",
                    "type": "request",
                    "errors": [
                        {
                            "path": "$.header.content-type",
                            "code": "invalid_value",
                            "message": "must be application/json",
                        }
                    ],
                },
            ),
            (
                pc.AccessDeniedError(reason_codes=["no_grant"]),
                403,
                {"code": "access_denied", "reason_codes": ["no_grant"], "detail": "access denied: no_grant"},
            ),
            (
                pc.NotFoundError(kind="cohort", key="c-9"),
                404,
                {"code": "not_found", "kind": "cohort", "key": "c-9", "detail": "cohort 'c-9' not found"},
            ),
        ],
        ids=["invalid-payload", "parse-error", "media-type", "access-denied", "not-found"],
    )
    def test_the_documented_status_and_body(
        self, error: Exception, status: int, body: dict[str, object]
    ) -> None:
        """Each library error (and DRF's parse and media-type errors) gets its documented status and body."""
        response = drf.exception_handler(error, _context())
        assert response is not None
        assert (response.status_code, response.data) == (status, body)
        jsonschema.validate(response.data, drf.error_schema(status))

    @pytest.mark.parametrize(
        "error",
        [
            RepositoryError("sessions table: secret row 7"),
            OSError("disk"),
            sqlite3.OperationalError("locked"),
            DatabaseError("x"),
        ],
        ids=["repository", "os", "sqlite", "django"],
    )
    def test_a_repository_failure_is_503_without_its_message(self, error: Exception) -> None:
        """Whatever failed underneath, the body is the fixed repository_error body, never the message."""
        response = drf.exception_handler(error, _context())
        assert response is not None
        assert (response.status_code, response.data) == (
            503,
            {"code": "repository_error", "detail": "A repository could not answer; try again later."},
        )

    @pytest.mark.parametrize(
        ("error", "code"),
        [
            (UnknownValueError(field="track", value="astro", expected=["defender"]), "unknown_value"),
            (
                InvalidValueError(field="k", reason="must be 0..100", problem_code="out_of_range"),
                "out_of_range",
            ),
            (PolicyError(policy="gaps@1", reason="thresholds overlap"), "invalid_value"),
        ],
        ids=["unknown-value", "invalid-value", "policy"],
    )
    def test_another_library_error_is_the_one_400_shape(self, error: Exception, code: str) -> None:
        """Another error of the tree is a 400 in error_body's shape (its problem code), not a 500."""
        response = drf.exception_handler(error, _context())
        assert response is not None
        assert (response.status_code, response.data) == (
            400,
            {
                "code": "invalid_payload",
                "type": "request",
                "errors": [{"path": "$", "code": code, "message": str(error)}],
            },
        )
        jsonschema.validate(response.data, drf.error_schema(400))

    def test_a_repository_failure_is_logged_by_operation(self, caplog: pytest.LogCaptureFixture) -> None:
        """A WARNING naming the failure's operation (or type), never its message (which names host rows)."""
        with caplog.at_level(logging.WARNING, logger="profiler_core.drf"):
            drf.exception_handler(
                RepositoryError("sessions: secret row 7", operation="read sessions"), _context()
            )
            drf.exception_handler(sqlite3.OperationalError("locked: secret"), _context())
        assert [r.getMessage() for r in caplog.records] == [
            "repository failed outside a service (operation read sessions)",
            "repository failed outside a service (operation OperationalError)",
        ]

    def test_a_refusal_is_answered_as_it_is(self) -> None:
        """Refusal: its status, its body, its notes' codes in X-Profiler-Notes."""
        note = Reason(code="audit_unavailable", message="The audit sink failed.")
        refusal = drf.Refusal.absent(Reason(code="cohort_not_found", message="No."), notes=(note,))
        response = drf.exception_handler(refusal, _context())
        assert response is not None
        assert (response.status_code, response.data) == (404, {"code": "cohort_not_found", "detail": "No."})
        assert response[drf.NOTES_HEADER] == "audit_unavailable"

    def test_everything_else_is_drfs(self) -> None:
        """DRF's own exceptions keep DRF's handling; a programming error is not answered (a 500 upstream)."""
        response = drf.exception_handler(NotAuthenticated(), _context())
        assert response is not None
        assert response.status_code in {401, 403}
        assert drf.exception_handler(KeyError("x"), _context()) is None


class TestLibraryResponse:
    def test_renders_unstructure(self) -> None:
        """The data is unstructure(value); status and headers pass through."""
        value = Reason(code="ok", message="Fine.")
        response = drf.LibraryResponse(value, status=201, headers={"X-A": "1"})
        assert (response.data, response.status_code, response["X-A"]) == (unstructure(value), 201, "1")
        assert response.data == {"code": "ok", "message": "Fine."}


class TestSettings:
    def test_no_setting_is_every_default(self) -> None:
        """Without PROFILER_CORE every policy is the library's default."""
        assert drf.settings_from(None) == drf.ProfilerSettings()
        assert drf.settings_from({}).suppression == SuppressionPolicy()

    def test_a_policy_is_read_with_the_converter(self) -> None:
        """{"suppression": {"k": "10"}} is SuppressionPolicy(k=10): the wire rules (a decimal string)."""
        read = drf.settings_from({"suppression": {"k": "10"}, "access": {"id": "a", "version": 2}})
        assert read.suppression == SuppressionPolicy(k=10)
        assert read.access.ref == PolicyRef(id="a", version=2)
        assert read.analytics == drf.ProfilerSettings().analytics

    @pytest.mark.parametrize(
        ("config", "message"),
        [
            ({"supression": {}}, r"PROFILER_CORE\['supression'\] is not a policy"),
            (
                {"suppression": {"K": 10}},
                r'PROFILER_CORE\["suppression"\]: K is not a field of SuppressionPolicy',
            ),
            ({"matching": {"weights": {}}}, r'PROFILER_CORE\["matching"\]: weights is not a field'),
            ({"suppression": {"k": "five"}}, r'PROFILER_CORE\["suppression"\]: \$\.k'),
            ({"taxonomy": []}, r'PROFILER_CORE\["taxonomy"\] must be a dict'),
            ({"taxonomy": {"id": "t"}}, r'PROFILER_CORE\["taxonomy"\]'),
            (["suppression"], "PROFILER_CORE must be a dict"),
        ],
        ids=[
            "unknown-key",
            "misspelt-field",
            "unknown-field",
            "bad-value",
            "taxonomy-not-dict",
            "bad-taxonomy",
            "not-a-dict",
        ],
    )
    def test_a_bad_setting_names_its_key(self, config: object, message: str) -> None:
        """Every bad entry is ImproperlyConfigured naming the key (and the path inside the policy)."""
        with pytest.raises(ImproperlyConfigured, match=message):
            drf.settings_from(config)

    def test_the_taxonomy_is_read_by_from_dict(self) -> None:
        """PROFILER_CORE['taxonomy'] is Taxonomy.from_dict's value."""
        data = {"id": "tax", "version": 2, "categories": {"networking": ["NET"]}}
        assert drf.settings_from({"taxonomy": data}).taxonomy == pc.Taxonomy.from_dict(data)

    def test_profiler_settings_follows_the_django_setting(self) -> None:
        """A changed setting is read again (override_settings in tests, a reload in a deployment)."""
        with override_settings(PROFILER_CORE={"suppression": {"k": 7}}):
            assert drf.profiler_settings().suppression.k == 7
        with override_settings(PROFILER_CORE={"suppression": {"k": 9}}):
            assert drf.profiler_settings().suppression.k == 9


class TestSchemas:
    def test_library_schema_moves_defs_into_components(self) -> None:
        """The root is a components ref; postprocess_schema adds exactly the definitions it needs."""
        root = drf.library_schema(CohortReport)
        assert {k: v for k, v in root.items() if k != COMPONENTS_KEY} == {
            "$ref": "#/components/schemas/CohortReport"
        }
        assert set(root[COMPONENTS_KEY]) == set(schema_for(CohortReport)["$defs"])
        document = drf.postprocess_schema({"paths": {"/x": {"get": {"schema": root}}}})
        components = document["components"]["schemas"]
        expected = schema_for(CohortReport)["$defs"]
        assert set(components) == set(expected)
        assert "$defs" not in str(components)
        report = components["CohortReport"]
        assert set(report["properties"]) == set(expected["CohortReport"]["properties"])

    def test_input_definitions_are_named_apart(self) -> None:
        """An input schema's definitions are <Name>Input, so they never collide with the output ones."""
        root = drf.library_schema(pc.ProfilerSession, direction="input")
        assert {k: v for k, v in root.items() if k != COMPONENTS_KEY} == {
            "$ref": "#/components/schemas/ProfilerSessionInput"
        }
        components = drf.postprocess_schema({"r": root})["components"]["schemas"]
        assert "ProfilerSessionInput" in components
        assert "ProfilerSession" not in components

    def test_a_component_document_validates_library_json(self) -> None:
        """A value's JSON validates against the rewritten schema and its components; a wrong one does not."""
        root = drf.library_schema(Suppressed)
        document = drf.postprocess_schema({"r": root})
        validator = jsonschema.Draft202012Validator({**root, "components": document["components"]})
        assert validator.is_valid(unstructure(Suppressed()))
        assert not validator.is_valid({"suppressed": False})


def test_the_module_doctests_pass() -> None:
    """The examples in profiler_core.drf's docstrings run (the library suite cannot import it)."""
    failures, tried = doctest.testmod(drf, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert tried > 0
    assert failures == 0


def test_access_policy_default_is_the_librarys() -> None:
    """ProfilerSettings' defaults are the library's default policy values."""
    assert drf.ProfilerSettings().access == AccessPolicy()


#: The Django guide, whose first section shows the whole integration.
GUIDE = Path(__file__).resolve().parents[3] / "docs" / "guides" / "django.md"


class TestGuide:
    def test_the_guides_integration_runs(self, och: None, settings: Any) -> None:
        """The guide's under-30-lines integration runs on the host's adapters: a 200 report, a uniform 403."""
        section = GUIDE.read_text(encoding="utf-8").split("## The integration in 25 lines", 1)[1]
        block = re.search(r"```text\n(.*?)```", section, re.DOTALL)
        assert block is not None
        assert len(block.group(1).strip().splitlines()) < 30
        namespace: dict[str, Any] = {
            "__name__": "guide",
            "APIView": APIView,
            "IsAuthenticated": IsAuthenticated,
            "extend_schema": extend_schema,
            "OpenApiResponse": OpenApiResponse,
            "principal_for": principal_for,
            "DjangoCohortRepository": DjangoCohortRepository,
            "DjangoAuditSink": DjangoAuditSink,
            "DjangoCohortAnalyticsRepository": DjangoCohortAnalyticsRepository,
        }
        exec(compile(block.group(1), "docs/guides/django.md", "exec"), namespace)
        assert namespace["SPECTACULAR_SETTINGS"]["POSTPROCESSING_HOOKS"] == [
            "profiler_core.drf.postprocess_schema"
        ]
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, **namespace["REST_FRAMEWORK"]}
        settings.PROFILER_CORE = namespace["PROFILER_CORE"]
        view = namespace["CohortAnalyticsView"].as_view()

        def call(user_pk: int) -> Response:
            request = APIRequestFactory().get("/")
            force_authenticate(request, user=models.User.objects.get(pk=user_pk))
            response: Response = view(request, cohort_id=str(f.CORONA_COHORT))
            return response

        report = call(f.STAFF)
        assert report.status_code == 200
        assert (report.data["kind"], report.data["cohort"]["id"]) == ("cohort_report", str(f.CORONA_COHORT))
        assert report.data["k"] == 10
        denied = call(f.FINANCE)
        assert (denied.status_code, denied.data) == (
            403,
            {"code": "access_denied", "reason_codes": ["access_denied"], "detail": ACCESS_DENIED.message},
        )

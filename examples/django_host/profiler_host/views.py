"""Thin DRF views: authenticate, build the ports, call one library service, render its value.

No view decides anything itself. Values go out with
:func:`profiler_core.unstructure`; library errors become HTTP statuses in
:mod:`profiler_host.errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeAlias

from django.utils import timezone
from rest_framework import exceptions, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import profiler_core as pc
from profiler_core import services, structure, unstructure
from profiler_core.leadership import StatementNotFound
from profiler_host import edge, hooks, models
from profiler_host.adapters import (
    DjangoAuditSink,
    DjangoCohortAnalyticsRepository,
    DjangoCohortRepository,
    DjangoEnrollmentRepository,
    DjangoJobRepository,
    DjangoMentorAssignmentRepository,
    DjangoMissionRepository,
    DjangoPortfolioRepository,
    DjangoRecipeRepository,
    DjangoSessionRepository,
    DjangoTalentProfileRepository,
)
from profiler_host.auth import (
    PROFILING_SERVICE,
    HeaderUserAuthentication,
    ServiceTokenAuthentication,
    principal_for,
)
from profiler_host.edge import checked_id, query_flag, query_limit

ReportOutcome: TypeAlias = services.CohortReportOutcome | services.EnterpriseReportOutcome

#: The host's own 403 reason on the completion route: the caller is not the profiling service.
SERVICE_CREDENTIAL_REQUIRED = "service_credential_required"


class PlatformView(APIView):
    """Base of every learner, mentor and analytics view: an authenticated platform user, or 401.

    The permission is stated here rather than left to the settings' default,
    so a deployment that changes ``DEFAULT_PERMISSION_CLASSES`` cannot open
    these endpoints to anonymous callers.
    """

    permission_classes = (IsAuthenticated,)


def _user(request: Request) -> models.User:
    """The authenticated platform user (401 otherwise, whatever the permission classes say)."""
    user = request.user
    if not isinstance(user, models.User) or not user.is_authenticated:
        raise exceptions.NotAuthenticated()
    return user


def _learner(request: Request) -> pc.UserId:
    return pc.UserId(_user(request).pk)


def _path_id(value: str, name: str) -> str:
    """A path segment id, checked like every id (400 before any query when malformed)."""
    return checked_id(value, path=f"$.path.{name}")


def not_found(reason: pc.Reason) -> Response:
    """A 404 for a library's typed "not found" outcome: ``{code, detail}`` from its reason."""
    return Response({"code": reason.code, "detail": reason.message}, status=status.HTTP_404_NOT_FOUND)


def forbidden(public_reasons: Sequence[pc.Reason]) -> Response:
    """A 403 for a denied access decision, showing only what the viewer may be shown.

    *public_reasons* is the outcome's ``public_reasons``: for a viewer who is
    not admin or staff the library's one ``access_denied`` reason, whoever the
    learner, cohort or enterprise, so the body is byte-for-byte the same for
    every subject the viewer may not see (SPEC §5 "Denials do not leak"). The
    precise reasons are in the decision's ``access_audit`` row.
    """
    body = {
        "code": pc.AccessDeniedError.code,
        "reason_codes": [r.code for r in public_reasons],
        "detail": " ".join(r.message for r in public_reasons),
    }
    return Response(body, status=status.HTTP_403_FORBIDDEN)


def unavailable(reason: pc.Reason) -> Response:
    """A 503 for an answer the library could not give because a repository failed."""
    return Response(
        {"code": reason.code, "detail": reason.message}, status=status.HTTP_503_SERVICE_UNAVAILABLE
    )


def with_notes(response: Response, notes: Sequence[pc.Reason]) -> Response:
    """Mark a degraded answer: the notes' codes in ``X-Profiler-Notes`` (the body keeps its shape)."""
    if notes:
        response["X-Profiler-Notes"] = ",".join(n.code for n in notes)
    return response


# --- missions -------------------------------------------------------------------


class StudentMissionListView(PlatformView):
    """``GET /api/v1/student/missions[?track=true]``: the missions under the learner's ceiling.

    Calls :func:`profiler_core.services.missions_for_learner` and returns its
    :class:`~profiler_core.services.LearnerMissions` (ceiling decision with
    reasons and policy, eligible missions easiest first, next mission).
    """

    def get(self, request: Request) -> Response:
        """Two queries whatever the catalogue size (latest completed session; missions under the ceiling)."""
        outcome = services.missions_for_learner(
            _learner(request),
            sessions=DjangoSessionRepository(),
            missions=DjangoMissionRepository(),
            filter_by_track=query_flag(request, "track"),
        )
        return Response(unstructure(outcome))


class MissionDashboardView(PlatformView):
    """``GET /api/v1/student/missions/dashboard``: the next mission and why the ceiling is what it is."""

    def get(self, request: Request) -> Response:
        """The same service call as the list, rendered as the dashboard's card."""
        outcome = services.missions_for_learner(
            _learner(request),
            sessions=DjangoSessionRepository(),
            missions=DjangoMissionRepository(),
            filter_by_track=query_flag(request, "track"),
        )
        result = outcome.result
        return Response(
            {
                "learner_id": outcome.learner_id,
                "next_mission": unstructure(result.next_mission),
                "eligible_count": result.count,
                "decision": unstructure(result.decision),
                "empty_reason": unstructure(result.empty_reason),
                "degraded": outcome.degraded,
            }
        )


# --- recipes --------------------------------------------------------------------


class ProfilerRecommendationsView(PlatformView):
    """``GET /api/v1/recipes/profiler-recommendations[?limit=10]``: the learner's gaps and recipes.

    Calls :func:`profiler_core.services.profiler_recommendations`: gaps from
    the latest completed session and its result, recipes ranked by the gap
    weight they close; without a completed profiler, popular recipes labelled
    as a fallback.
    """

    def get(self, request: Request) -> Response:
        """Three queries whatever the catalogue size (session, result, recipes for the gaps' codes)."""
        outcome = services.profiler_recommendations(
            _learner(request),
            sessions=DjangoSessionRepository(),
            recipes=DjangoRecipeRepository(),
            limit=query_limit(request),
        )
        return Response(unstructure(outcome))


# --- mentorship -----------------------------------------------------------------


class MenteeResultsView(PlatformView):
    """``GET /api/v1/profiler/mentees/{mentee_id}/results``: a learner's results for an allowed viewer.

    Calls :func:`profiler_core.services.mentee_results`: the learner, admin or
    staff, analysts, mentors with an effective assignment and programme
    directors whose scope covers the learner see the view their grant allows;
    everyone else gets 403 (:func:`forbidden`: one uniform body for a viewer who
    is not admin or staff). Every decision is written to ``access_audit`` with
    its precise reasons.
    """

    def get(self, request: Request, mentee_id: str) -> Response:
        """200 with the projected results, 403 (uniform), 404 when there are none, 503 when unreadable."""
        outcome = services.mentee_results(
            principal_for(_user(request)),
            pc.UserId(_path_id(mentee_id, "mentee_id")),
            sessions=DjangoSessionRepository(),
            assignments=DjangoMentorAssignmentRepository(),
            enrollments=DjangoEnrollmentRepository(),
            cohorts=DjangoCohortRepository(),
            statements=DjangoPortfolioRepository(),
            audit=DjangoAuditSink(),
            now=timezone.now(),
        )
        if isinstance(outcome, services.ResultsDenied):
            return forbidden(outcome.public_reasons)
        if isinstance(outcome, services.ResultsNotFound):
            # No completed session is a 404; the session repository failing is a 503, not "no results".
            failed = outcome.reason.code == "profiler_unavailable"
            return with_notes(
                unavailable(outcome.reason) if failed else not_found(outcome.reason), outcome.notes
            )
        return with_notes(Response(unstructure(outcome)), outcome.notes)


# --- portfolio and leadership ---------------------------------------------------


#: The problem code of each edit rejection the library answers (its reason code stays in ``reason_codes``).
_EDIT_PROBLEM_CODES = {"edit_empty": "blank", "edit_too_long": "out_of_range"}


def _statement_text(request: Request) -> str:
    """The ``summary`` of a statement edit body ``{"summary": "..."}``."""
    data = request.data
    if not isinstance(data, dict):
        problems = [pc.Problem(path="$", message="must be an object", code="not_an_object")]
    elif "summary" not in data:
        problems = [pc.Problem(path="$.summary", message="required field missing", code="required")]
    elif not isinstance(data["summary"], str):
        problems = [pc.Problem(path="$.summary", message="must be a string", code="not_a_string")]
    else:
        return data["summary"]
    raise pc.InvalidPayloadError(problems, type_name="StatementEdit")


class ValueStatementView(PlatformView):
    """``GET|PATCH|PUT /api/v1/profiler/value-statement``: the learner's own value statement.

    ``GET`` calls :func:`profiler_core.services.value_statement_for_leadership`
    (the statement, the Value/Impact/Purpose identity seeded from it, and the
    academy's onboarding plan); no statement is a 404 with the library's
    message. ``PATCH``/``PUT`` with ``{"summary": "..."}`` call
    :func:`profiler_core.services.learner_edits_statement`; an invalid edit is
    a 400 naming ``$.summary``, and from then on no re-composition overwrites it.
    """

    def get(self, request: Request) -> Response:
        """200 with statement, identity and onboarding; 404 before the profiler is completed."""
        start = services.value_statement_for_leadership(
            _learner(request), portfolio=DjangoPortfolioRepository(), sessions=DjangoSessionRepository()
        )
        if isinstance(start.statement, StatementNotFound):
            return not_found(start.statement.reason)
        if start.statement is None:
            return unavailable(start.reasons[0])
        return Response(unstructure(start))

    def patch(self, request: Request) -> Response:
        """Store the learner's edit: 200 with the entry, 400 for an invalid text, 404 without a statement."""
        outcome = services.learner_edits_statement(
            _learner(request),
            _statement_text(request),
            portfolio=DjangoPortfolioRepository(),
            now=timezone.now(),
        )
        if outcome.rejection is not None:
            problem = pc.Problem(
                path=f"$.{outcome.rejection.field}",
                message=outcome.rejection.reason.message,
                code=_EDIT_PROBLEM_CODES.get(outcome.reason.code, "invalid_value"),
            )
            error = pc.InvalidPayloadError([problem], type_name="StatementEdit")
            body = {**pc.error_body(error), "reason_codes": [outcome.reason.code]}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        if outcome.accepted:
            return Response({"entry": unstructure(outcome.entry), "reason": unstructure(outcome.reason)})
        if outcome.reason.code == "value_statement_not_found":
            return not_found(outcome.reason)
        if outcome.reason.code == "portfolio_conflict":
            return Response(
                {"code": outcome.reason.code, "detail": outcome.reason.message},
                status=status.HTTP_409_CONFLICT,
            )
        return unavailable(outcome.reason)

    def put(self, request: Request) -> Response:
        """The same as ``PATCH``: the summary is the only field a learner edits."""
        return self.patch(request)


class ProfilerCompletionView(APIView):
    """``POST /api/v1/profiler/completions``: the profiling service delivers a completed session.

    A server-to-server route: the caller must be the profiling service
    (``X-Service-Token``, see :class:`~profiler_host.auth.ServiceTokenAuthentication`).
    A learner's ``X-User-Id`` gets 403 (``service_credential_required``): a
    learner cannot post their own scores, nor someone else's session. The body
    is the session in the wire contract (``structure(body, ProfilerSession)``;
    400 listing every problem), its ``status`` finished or locked, its ids
    valid ids. :func:`~profiler_host.hooks.store_completed_session` stores it
    (a stored session never changes owner and a completed one is never
    rewritten: 409 ``{code, detail}``), then
    :func:`~profiler_host.hooks.profiler_completed` creates, updates or keeps
    the value statement; the answer is that
    :class:`~profiler_core.services.ValueStatementSync` (the FastAPI host's body).
    """

    authentication_classes = (ServiceTokenAuthentication, HeaderUserAuthentication)
    permission_classes = (IsAuthenticated,)

    def post(self, request: Request) -> Response:
        """200 with what happened to the statement; 400, 401, 403, 404 or 409 otherwise."""
        if request.user is not PROFILING_SERVICE:
            raise pc.AccessDeniedError(reason_codes=[SERVICE_CREDENTIAL_REQUIRED])
        session = structure(request.data, pc.ProfilerSession)
        problems = [
            problem
            for problem in (
                edge.id_problem(session.id, path="$.id"),
                edge.id_problem(session.user_id, path="$.user_id"),
            )
            if problem is not None
        ]
        if problems:
            raise pc.InvalidPayloadError(problems, type_name="ProfilerSession")
        try:
            hooks.store_completed_session(session)
        except hooks.SessionConflictError as conflict:
            return Response(
                {"code": conflict.code, "detail": conflict.detail}, status=status.HTTP_409_CONFLICT
            )
        return Response(unstructure(hooks.profiler_completed(session.id)))


# --- marketplace ----------------------------------------------------------------


class TalentMatchesView(PlatformView):
    """``GET /api/v1/marketplace/talent-matches[?limit=10]``: the learner's best open jobs.

    Calls :func:`profiler_core.services.talent_matches` with the recipe
    catalogue as the lookup for missing skills. No completed profiler is an
    ordinary 200 with status ``profiler_incomplete`` and the message asking to
    complete it.
    """

    def get(self, request: Request) -> Response:
        """At most four queries whatever the number of jobs (session, profile, open jobs, recipes)."""
        outcome = services.talent_matches(
            _learner(request),
            sessions=DjangoSessionRepository(),
            jobs=DjangoJobRepository(),
            talent=DjangoTalentProfileRepository(),
            recipes=DjangoRecipeRepository(),
            now=timezone.now(),
            limit=query_limit(request),
        )
        return Response(unstructure(outcome))


# --- enterprise dashboard -------------------------------------------------------


def _report_response(
    gate: services.AnalyticsGate,
    report: Callable[[services.AccessDecisionLike], ReportOutcome],
) -> Response:
    """403/404 from the access gate; else the report (200), or 404/503 from the report's own outcome."""
    if isinstance(gate, services.AnalyticsDenied):
        return forbidden(gate.public_reasons)
    if isinstance(gate, services.AnalyticsNotFound):
        found = gate.reason.code != "cohorts_unavailable"
        return with_notes(not_found(gate.reason) if found else unavailable(gate.reason), gate.notes)
    outcome = report(gate.decision)
    if isinstance(outcome, services.ReportDenied):  # the gate allowed: only a host bug gets here
        return forbidden(outcome.public_reasons)
    if isinstance(outcome, services.ReportNotFound):
        return not_found(outcome.reason)
    if isinstance(outcome, services.ReportUnavailable):
        return unavailable(outcome.reason)
    return with_notes(Response(unstructure(outcome)), gate.notes)


class CohortAnalyticsView(PlatformView):
    """``GET /api/v1/profiler/cohorts/{cohort_id}/analytics``: the cohort's dashboard.

    :func:`profiler_core.services.cohort_analytics_gate` decides who may see
    it (admin/staff, a programme director whose scope covers the cohort, the
    sponsor's ``sponsor_admin``) and audits the decision; then
    :func:`profiler_core.services.cohort_analytics_report` builds the report
    with small-cohort suppression.
    """

    def get(self, request: Request, cohort_id: str) -> Response:
        """200 with the chart-ready report, 403 (uniform), 404 for an unknown cohort."""
        cohort = pc.CohortId(_path_id(cohort_id, "cohort_id"))
        gate = services.cohort_analytics_gate(
            principal_for(_user(request)),
            cohort,
            cohorts=DjangoCohortRepository(),
            audit=DjangoAuditSink(),
            now=timezone.now(),
        )
        return _report_response(
            gate,
            lambda decision: services.cohort_analytics_report(
                cohort, decision=decision, repository=DjangoCohortAnalyticsRepository()
            ),
        )


class EnterpriseAnalyticsView(PlatformView):
    """``GET /api/v1/profiler/enterprises/{enterprise_id}/analytics``: the enterprise's dashboard.

    :func:`profiler_core.services.enterprise_analytics_gate` admits admin/staff
    and the enterprise's own ``sponsor_admin``; then
    :func:`profiler_core.services.enterprise_analytics_report` merges its
    cohorts (distinct learners) with a per-cohort breakdown. An enterprise that
    sponsors no cohort is a 404, never "every cohort".
    """

    def get(self, request: Request, enterprise_id: str) -> Response:
        """200 with the rollup and per-cohort breakdown, 403 (uniform), 404 for an unknown sponsor."""
        enterprise = pc.OrgId(_path_id(enterprise_id, "enterprise_id"))
        gate = services.enterprise_analytics_gate(
            principal_for(_user(request)),
            enterprise,
            cohorts=DjangoCohortRepository(),
            audit=DjangoAuditSink(),
            now=timezone.now(),
        )
        return _report_response(
            gate,
            lambda decision: services.enterprise_analytics_report(
                enterprise, decision=decision, repository=DjangoCohortAnalyticsRepository()
            ),
        )

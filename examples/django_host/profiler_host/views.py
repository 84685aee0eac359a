"""Thin DRF views: authenticate, build the ports, call one library service, render its value.

No view decides anything itself. Values go out with
:func:`profiler_core.unstructure`; library errors become HTTP statuses in
:mod:`profiler_host.errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeAlias

from django.utils import timezone
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import profiler_core as pc
from profiler_core import services, unstructure
from profiler_core.leadership import StatementNotFound
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
from profiler_host.auth import principal_for

ReportOutcome: TypeAlias = services.CohortReportOutcome | services.EnterpriseReportOutcome

_TRUE, _FALSE = frozenset({"true", "1", "yes"}), frozenset({"false", "0", "no", ""})


def query_flag(request: Request, name: str) -> bool:
    """A boolean query parameter (absent is false).

    Raises:
        InvalidPayloadError: a value other than true/false/1/0/yes/no (answered 400).
    """
    raw = request.query_params.get(name, "").strip().lower()
    if raw in _TRUE or raw in _FALSE:
        return raw in _TRUE
    raise pc.InvalidPayloadError(
        [pc.Problem(path=f"$.{name}", message="must be true or false")], type_name="query"
    )


def query_limit(request: Request, *, default: int = 10, maximum: int = 50) -> int:
    """The ``limit`` query parameter, 1..*maximum* (absent is *default*).

    Raises:
        InvalidPayloadError: not an integer in range (answered 400).
    """
    raw = request.query_params.get("limit", "").strip()
    if not raw:
        return default
    if raw.isdigit() and 1 <= int(raw) <= maximum:
        return int(raw)
    raise pc.InvalidPayloadError(
        [pc.Problem(path="$.limit", message=f"must be an integer 1..{maximum}")], type_name="query"
    )


def _learner(request: Request) -> pc.UserId:
    return pc.UserId(request.user.pk)


def not_found(reason: pc.Reason) -> Response:
    """A 404 for a library's typed "not found" outcome: ``{code, detail}`` from its reason."""
    return Response({"code": reason.code, "detail": reason.message}, status=status.HTTP_404_NOT_FOUND)


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


class StudentMissionListView(APIView):
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


class MissionDashboardView(APIView):
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


class ProfilerRecommendationsView(APIView):
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
        return Response(outcome.to_response())


# --- mentorship -----------------------------------------------------------------


class MenteeResultsView(APIView):
    """``GET /api/v1/profiler/mentees/{mentee_id}/results``: a learner's results for an allowed viewer.

    Calls :func:`profiler_core.services.mentee_results`: the learner, admin or
    staff, analysts, mentors with an effective assignment and programme
    directors whose scope covers the learner see the view their grant allows;
    everyone else gets 403 with the decision's reason codes. Every decision is
    written to ``access_audit``.
    """

    def get(self, request: Request, mentee_id: str) -> Response:
        """200 with the projected results, 403 with reason codes, or 404 when there are none."""
        outcome = services.mentee_results(
            principal_for(request.user),
            pc.UserId(mentee_id),
            sessions=DjangoSessionRepository(),
            assignments=DjangoMentorAssignmentRepository(),
            enrollments=DjangoEnrollmentRepository(),
            cohorts=DjangoCohortRepository(),
            statements=DjangoPortfolioRepository(),
            audit=DjangoAuditSink(),
            now=timezone.now(),
        )
        if isinstance(outcome, services.ResultsDenied):
            raise pc.AccessDeniedError(reason_codes=outcome.decision.reason_codes)
        if isinstance(outcome, services.ResultsNotFound):
            return with_notes(not_found(outcome.reason), outcome.notes)
        return with_notes(Response(outcome.payload), outcome.notes)


# --- portfolio and leadership ---------------------------------------------------


def _statement_text(request: Request) -> str:
    """The ``summary`` of a statement edit body ``{"summary": "..."}``."""
    data = request.data
    if not isinstance(data, dict):
        problems = [pc.Problem(path="$", message="must be an object")]
    elif "summary" not in data:
        problems = [pc.Problem(path="$.summary", message="required field missing")]
    elif not isinstance(data["summary"], str):
        problems = [pc.Problem(path="$.summary", message="must be a string")]
    else:
        return data["summary"]
    raise pc.InvalidPayloadError(problems, type_name="StatementEdit")


class ValueStatementView(APIView):
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
            error = pc.InvalidPayloadError(
                [pc.Problem(path=f"$.{outcome.rejection.field}", message=outcome.rejection.reason.message)],
                type_name="StatementEdit",
            )
            return Response(
                {**error.as_dict(), "reason_codes": [outcome.reason.code]}, status=status.HTTP_400_BAD_REQUEST
            )
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


# --- marketplace ----------------------------------------------------------------


class TalentMatchesView(APIView):
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
            recipes=DjangoRecipeRepository().active_recipes_with_codes,
            now=timezone.now(),
            limit=query_limit(request),
        )
        return Response(outcome.as_dict())


# --- enterprise dashboard -------------------------------------------------------


def _report_response(
    gate: services.AnalyticsGate,
    report: Callable[[services.AccessDecisionLike], ReportOutcome],
) -> Response:
    """403/404 from the access gate; else the report (200), or 404/503 from the report's own outcome."""
    if isinstance(gate, services.AnalyticsDenied):
        raise pc.AccessDeniedError(reason_codes=gate.decision.reason_codes)
    if isinstance(gate, services.AnalyticsNotFound):
        found = gate.reason.code != "cohorts_unavailable"
        return with_notes(not_found(gate.reason) if found else unavailable(gate.reason), gate.notes)
    outcome = report(gate.decision)
    if isinstance(outcome, services.ReportDenied):  # the gate allowed: only a host bug gets here
        raise pc.AccessDeniedError(reason_codes=[r.code for r in outcome.reasons])
    if isinstance(outcome, services.ReportNotFound):
        return not_found(outcome.reason)
    if isinstance(outcome, services.ReportUnavailable):
        return unavailable(outcome.reason)
    return with_notes(Response(outcome.to_dict()), gate.notes)


class CohortAnalyticsView(APIView):
    """``GET /api/v1/profiler/cohorts/{cohort_id}/analytics``: the cohort's dashboard.

    :func:`profiler_core.services.cohort_analytics_gate` decides who may see
    it (admin/staff, a programme director whose scope covers the cohort, the
    sponsor's ``sponsor_admin``) and audits the decision; then
    :func:`profiler_core.services.cohort_analytics_report` builds the report
    with small-cohort suppression.
    """

    def get(self, request: Request, cohort_id: str) -> Response:
        """200 with the chart-ready report, 403 with reason codes, 404 for an unknown cohort."""
        cohort = pc.CohortId(cohort_id)
        gate = services.cohort_analytics_gate(
            principal_for(request.user),
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


class EnterpriseAnalyticsView(APIView):
    """``GET /api/v1/profiler/enterprises/{enterprise_id}/analytics``: the enterprise's dashboard.

    :func:`profiler_core.services.enterprise_analytics_gate` admits admin/staff
    and the enterprise's own ``sponsor_admin``; then
    :func:`profiler_core.services.enterprise_analytics_report` merges its
    cohorts (distinct learners) with a per-cohort breakdown. An enterprise that
    sponsors no cohort is a 404, never "every cohort".
    """

    def get(self, request: Request, enterprise_id: str) -> Response:
        """200 with the rollup and per-cohort breakdown, 403 with reason codes, 404 for an unknown sponsor."""
        enterprise = pc.OrgId(enterprise_id)
        gate = services.enterprise_analytics_gate(
            principal_for(request.user),
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

"""The seed's routes, answering with the bodies the OCH frontend reads (:mod:`profiler_core.och`).

Each view authenticates, builds the adapters over the real tables, calls
**one** library service (the analytics views: the access gate, then the
report), and renders the service's value with the matching
``profiler_core.och`` body function: the platform's keys, with the library's
extras (``reasons``, ``policy``, ``degraded``, ``body_version``) beside them.
What the library's values do not hold (a user's name and e-mail, a track's
UUID, a recipe's description, a mission's description) comes from the rows
the adapters already read; no view decides anything itself.

The DRF plumbing is the library's (:mod:`profiler_core.drf`): its exception
handler answers errors, its permission classes run the analytics access gates
before a view's ``get`` (the allowed outcome is ``request.profiler_decision``),
and the policies come from ``settings.PROFILER_CORE``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import profiler_core as pc
from profiler_core import drf, och, services
from profiler_core.serialization import JSON
from profiler_host import models
from profiler_host import openapi as api
from profiler_host.adapters import (
    DjangoAuditSink,
    DjangoCohortAnalyticsRepository,
    DjangoCohortRepository,
    DjangoEnrollmentRepository,
    DjangoJobRepository,
    DjangoMentorAssignmentRepository,
    DjangoMissionProgressRepository,
    DjangoMissionRepository,
    DjangoPortfolioRepository,
    DjangoRecipeRepository,
    DjangoSessionRepository,
    DjangoTalentProfileRepository,
    TrackCatalogue,
)
from profiler_host.auth import principal_for, user_by_key
from profiler_host.edge import MAX_ID_LENGTH, checked_id, query_flag, query_limit, query_page

#: The statement edit's problem code for each rejection reason the library answers.
_EDIT_PROBLEM_CODES = {"edit_empty": "blank", "edit_too_long": "out_of_range"}


class PlatformView(APIView):
    """Base of every view: an authenticated platform user, or 401 (whatever the settings' default says).

    It is also what :mod:`profiler_core.drf`'s permission classes ask for
    (:class:`~profiler_core.drf.ProfilerAccessView`): the viewer as a
    ``Principal`` and the adapters an access gate needs.
    """

    permission_classes: tuple[type[BasePermission], ...] = (IsAuthenticated,)

    def profiler_principal(self, request: Request) -> pc.Principal:
        """The authenticated user with their ``user_roles`` rows (``auth.principal_for``)."""
        return principal_for(_user(request))

    def profiler_access_ports(self, request: Request) -> drf.AccessPorts:
        """The cohort repository (over this request's track catalogue) and the ``access_audit`` sink."""
        return drf.AccessPorts(cohorts=DjangoCohortRepository(_catalogue(request)), audit=DjangoAuditSink())


def _catalogue(request: Request) -> TrackCatalogue:
    """This request's track catalogue, read once (two queries) and shared by its adapters."""
    catalogue = getattr(request, "_track_catalogue", None)
    if not isinstance(catalogue, TrackCatalogue):
        catalogue = TrackCatalogue.read()
        setattr(request, "_track_catalogue", catalogue)  # noqa: B010 - DRF requests take attributes
    return catalogue


def _user(request: Request) -> models.User:
    user = request.user
    if not isinstance(user, models.User) or not user.is_authenticated:
        raise exceptions.NotAuthenticated()
    return user


def _learner(request: Request) -> pc.UserId:
    return pc.UserId(str(_user(request).pk))


def answer(rendered: och.OchResponse, *, notes: tuple[pc.Reason, ...] = ()) -> Response:
    """The body function's status and body; a degraded answer's note codes in ``X-Profiler-Notes``."""
    response = Response(rendered.body, status=rendered.status)
    if notes:
        response["X-Profiler-Notes"] = ",".join(n.code for n in notes)
    return response


def _och_user(user: models.User | None, fallback_id: str) -> och.OchUser:
    """The body's user (``users.id``, e-mail, names); an unknown user is its id with empty fields."""
    if user is None:
        return och.OchUser(id=int(fallback_id) if fallback_id.isdigit() else 0, email="")
    return och.OchUser(id=user.pk, email=user.email, first_name=user.first_name, last_name=user.last_name)


def _mentee(mentee_id: str) -> tuple[pc.UserId, models.User | None]:
    """The learner the path names (``users.id``, or a ``uuid_id``): their learner id and row (one query)."""
    key = checked_id(mentee_id, path="$.path.mentee_id")
    user = user_by_key(key)
    return pc.UserId(str(user.pk) if user is not None else key), user


def _mentee_outcome(
    request: Request, learner: pc.UserId, sessions: DjangoSessionRepository
) -> services.MenteeResults:
    return services.mentee_results(
        principal_for(_user(request)),
        learner,
        sessions=sessions,
        assignments=DjangoMentorAssignmentRepository(sessions.catalogue),
        enrollments=DjangoEnrollmentRepository(),
        cohorts=DjangoCohortRepository(sessions.catalogue),
        statements=DjangoPortfolioRepository(),
        audit=DjangoAuditSink(),
        now=timezone.now(),
        policy=drf.profiler_settings().access,
    )


_MENTEE_NOT_FOUND = {"error": "Mentee not found"}


# --- mentorship -----------------------------------------------------------------


@extend_schema_view(
    get=api.ok(
        api.MENTEE_RESULTS,
        403,
        404,
        503,
        s403=api.RESULTS_DENIED,
        s404=api.MENTEE_NOT_FOUND,
        s503=api.MENTEE_NOT_FOUND,
        parameters=[api.MENTEE_ID],
    )
)
class MenteeResultsView(PlatformView):
    """``GET /api/v1/profiler/mentees/{mentee_id}/results``: ``profilerClient.getMenteeResults``'s body.

    :func:`profiler_core.services.mentee_results` decides (the learner, admin
    or staff, analysts, a mentor whose assignment covers the learner, a
    director whose scope does) and audits; :func:`profiler_core.och.mentee_results_body`
    renders. A denial is 403 with the same body for every learner the viewer
    may not see (whether the learner exists or not); an allowed viewer asking
    about a user who does not exist gets the platform's 404 ``{"error": "Mentee not found"}``.
    """

    def get(self, request: Request, mentee_id: str) -> Response:
        """200, 403, 404 (no such mentee, or no results) or 503."""
        learner, user = _mentee(mentee_id)
        sessions = DjangoSessionRepository(TrackCatalogue.read())
        outcome = _mentee_outcome(request, learner, sessions)
        if user is None and not isinstance(outcome, services.ResultsDenied):
            return Response(_MENTEE_NOT_FOUND, status=status.HTTP_404_NOT_FOUND)
        rendered = och.mentee_results_body(
            outcome, mentee=_och_user(user, learner), track_ids=sessions.catalogue.track_ids
        )
        return answer(rendered, notes=getattr(outcome, "notes", ()))


@extend_schema_view(
    get=api.ok(
        api.FUTURE_YOU, 403, 404, s403=api.RESULTS_DENIED, s404=api.PLATFORM_ERROR, parameters=[api.MENTEE_ID]
    )
)
class FutureYouView(PlatformView):
    """``GET /api/v1/profiler/mentees/{mentee_id}/future-you``: the mentor dashboard's persona card.

    The same access decision as the results; the persona is the latest
    completed session's ``futureyou_persona`` column, read in the same query.
    """

    def get(self, request: Request, mentee_id: str) -> Response:
        """200 (a "Not assessed" body without a completed session), 403 or 404."""
        learner, user = _mentee(mentee_id)
        sessions = DjangoSessionRepository(TrackCatalogue.read())
        outcome = _mentee_outcome(request, learner, sessions)
        if user is None and not isinstance(outcome, services.ResultsDenied):
            return Response(_MENTEE_NOT_FOUND, status=status.HTTP_404_NOT_FOUND)
        persona: Mapping[str, str] | None = None
        session = sessions.latest.get(learner)
        if isinstance(outcome, services.ResultsAllowed) and session is not None:
            stored = sessions.session_rows[session.id].get("futureyou_persona")
            persona = (
                {k: v for k, v in stored.items() if isinstance(v, str)} if isinstance(stored, dict) else None
            )
        return answer(och.future_you_body(outcome, mentee=_och_user(user, learner), persona=persona))


# --- portfolio ------------------------------------------------------------------


def _statement_text(request: Request) -> str:
    """The ``summary`` of an edit body ``{"summary": "..."}`` (400 naming ``$.summary`` otherwise)."""
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


_EDIT_SCHEMA = extend_schema(
    request={"application/json": api.STATEMENT_EDIT},
    responses=api.responses(
        api.VALUE_STATEMENT,
        404,
        409,
        415,
        503,
        s404=api.VALUE_STATEMENT_NOT_FOUND,
        s409=api.CODE_DETAIL,
        s503=api.CODE_DETAIL,
    ),
)


@extend_schema_view(
    get=api.ok(api.VALUE_STATEMENT, 404, s404=api.VALUE_STATEMENT_NOT_FOUND),
    patch=_EDIT_SCHEMA,
    put=_EDIT_SCHEMA,
)
class ValueStatementView(PlatformView):
    """``GET|PATCH|PUT /api/v1/profiler/value-statement``: the learner's own value statement.

    ``GET`` reads the learner's statement item (the library picks it among
    their ``reflection`` items: ``ValueStatementSource``) and answers the
    seed's task 5.1 body (with the Django view's and the FastAPI route's keys);
    none is the seed's 404 body. ``PATCH``/``PUT`` ``{"summary": "..."}`` call
    :func:`profiler_core.services.learner_edits_statement` (a library route
    the platform does not have): the stored item's body, or a 400 naming
    ``$.summary``; from then on no re-composition overwrites the learner's words.
    """

    def get(self, request: Request) -> Response:
        """200 with the statement; 404 before the profiler is completed."""
        learner = _learner(request)
        entry = DjangoPortfolioRepository().value_statements_for([learner]).get(learner)
        return answer(och.value_statement_body(entry))

    def patch(self, request: Request) -> Response:
        """200 with the edited statement; 400 for an invalid text; 404 without a statement; 409 on a race."""
        outcome = services.learner_edits_statement(
            _learner(request),
            _statement_text(request),
            portfolio=DjangoPortfolioRepository(),
            now=timezone.now(),
            policy=drf.profiler_settings().value_statement,
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
            return answer(och.value_statement_body(outcome.entry))
        if outcome.reason.code == "value_statement_not_found":
            return answer(och.value_statement_body(None))
        code = status.HTTP_409_CONFLICT if outcome.reason.code == "portfolio_conflict" else 503
        return Response({"code": outcome.reason.code, "detail": outcome.reason.message}, status=code)

    def put(self, request: Request) -> Response:
        """The same as ``PATCH``: the summary is the only field a learner edits."""
        return self.patch(request)


# --- recipes --------------------------------------------------------------------

#: The ``recipes`` columns ``RecipeListSerializer`` renders that the library's Recipe does not hold.
_RECIPE_FIELDS = (
    "prerequisites",
    "tools_and_environment",
    "inputs",
    "steps",
    "validation_checks",
    "thumbnail_url",
    "mentor_curated",
)


def _recipe_fields(row: Mapping[str, Any]) -> dict[str, JSON]:
    """A recipe row's serializer fields: ``description`` is the ``summary`` column (as in the serializer)."""
    fields: dict[str, JSON] = {name: row[name] for name in _RECIPE_FIELDS if name in row}
    fields["description"] = row.get("summary") or ""
    if not fields.get("tools_and_environment"):
        fields["tools_and_environment"] = row.get("tools_used") or []
    if not fields.get("thumbnail_url"):
        fields["thumbnail_url"] = None
    return fields


@extend_schema_view(get=api.ok(api.PROFILER_RECOMMENDATIONS, parameters=[api.LIMIT]))
class ProfilerRecommendationsView(PlatformView):
    """``GET /api/v1/recipes/profiler-recommendations[?limit=10]``: gaps and the serializer's recipe items.

    :func:`profiler_core.services.profiler_recommendations` (gaps of the
    latest completed session and its result; recipes ranked by the gap weight
    they close; popular recipes, labelled, without a completed profiler),
    rendered by :func:`profiler_core.och.profiler_recommendations_body`.
    """

    def get(self, request: Request) -> Response:
        """200 always (a fallback body without a completed profiler)."""
        learner = _learner(request)
        sessions, recipes = DjangoSessionRepository(), DjangoRecipeRepository()
        policies = drf.profiler_settings()
        outcome = services.profiler_recommendations(
            learner,
            sessions=sessions,
            recipes=recipes,
            limit=query_limit(request),
            policy=policies.gaps,
            taxonomy=policies.taxonomy,
            ranking=policies.ranking,
        )
        session = sessions.latest.get(learner)
        result = None if session is None else sessions.results.get(session.id)
        rendered = och.profiler_recommendations_body(
            outcome,
            recipe_rows={rid: _recipe_fields(row) for rid, row in recipes.recipe_rows.items()},
            session=session,
            has_breakdown=result is not None and bool(result.aptitude_breakdown),
        )
        return answer(rendered)


# --- missions -------------------------------------------------------------------


def _mission_fields(row: Mapping[str, Any]) -> dict[str, JSON]:
    """A mission row's fields the list renders that the library's Mission does not hold."""
    return {
        "description": row.get("description") or "",
        "type": row.get("mission_type"),
        "estimated_time_minutes": row.get("estimated_duration_min"),
    }


class _SessionsOnce:
    """The session port; each learner's latest session is read once for the list and the plan."""

    def __init__(self, inner: DjangoSessionRepository) -> None:
        self.inner = inner
        self.seen: dict[pc.UserId, pc.ProfilerSession | None] = {}

    def latest_completed_sessions(
        self, user_ids: Collection[pc.UserId]
    ) -> Mapping[pc.UserId, pc.ProfilerSession]:
        """The inner answer for the learners not asked yet; the remembered one for the others."""
        missing = [u for u in user_ids if u not in self.seen]
        if missing:
            found = self.inner.latest_completed_sessions(missing)
            self.seen.update({u: found.get(u) for u in missing})
        return {u: s for u in user_ids if (s := self.seen.get(u)) is not None}

    def results_for_sessions(
        self, session_ids: Collection[pc.SessionId]
    ) -> Mapping[pc.SessionId, pc.ProfilerResult]:
        """The inner answer."""
        return self.inner.results_for_sessions(session_ids)


def _missions(
    request: Request,
) -> tuple[services.LearnerMissions, dict[str, dict[str, JSON]], services.LearnerMissionPlan]:
    """The admitted missions and the week's plan (``mission-plan@1``), the session read once."""
    catalogue = TrackCatalogue.read()
    missions = DjangoMissionRepository(catalogue)
    sessions = _SessionsOnce(DjangoSessionRepository(catalogue))
    learner = _learner(request)
    policies = drf.profiler_settings()
    outcome = services.missions_for_learner(
        learner,
        sessions=sessions,
        missions=missions,
        filter_by_track=query_flag(request, "track"),
        policy=policies.difficulty,
    )
    plan = services.mission_plan(
        learner,
        sessions=sessions,
        missions=missions,
        progress=DjangoMissionProgressRepository(),
        policy=policies.difficulty,
        plan_policy=policies.mission_plan,
    )
    return outcome, {mid: _mission_fields(row) for mid, row in missions.mission_rows.items()}, plan


@extend_schema_view(get=api.ok(api.STUDENT_MISSIONS, parameters=[api.PAGE, api.PAGE_SIZE, api.TRACK_FLAG]))
class StudentMissionListView(PlatformView):
    """``GET /api/v1/student/missions/[?page=1&page_size=20&track=true]``: the paging envelope.

    :func:`profiler_core.services.missions_for_learner` (the missions under
    the learner's difficulty ceiling, easiest first), rendered by
    :func:`profiler_core.och.student_missions_body`, with the week's plan
    (:func:`profiler_core.services.mission_plan`) as ``plan``.
    """

    def get(self, request: Request) -> Response:
        """200 with one page of the admitted missions."""
        outcome, rows, plan = _missions(request)
        page, page_size = query_page(request)
        return answer(
            och.student_missions_body(outcome, page=page, page_size=page_size, mission_rows=rows, plan=plan)
        )


@extend_schema_view(get=api.ok(api.MISSIONS_DASHBOARD, parameters=[api.TRACK_FLAG]))
class MissionDashboardView(PlatformView):
    """``GET /api/v1/student/missions/dashboard``: the profiler-filtered dashboard (unrouted on OCH)."""

    def get(self, request: Request) -> Response:
        """200 with the available missions and the next one."""
        outcome, rows, plan = _missions(request)
        user = _user(request)
        return answer(
            och.missions_dashboard_body(outcome, track=user.track_key, mission_rows=rows, plan=plan)
        )


# --- marketplace ----------------------------------------------------------------


@extend_schema_view(get=api.ok(api.TALENT_MATCHES, parameters=[api.LIMIT]))
class TalentMatchesView(PlatformView):
    """Talent matches: the seed's ``/marketplace/talent-matches`` and the routed ``.../profiler``.

    :func:`profiler_core.services.talent_matches` (with the recipe catalogue
    for missing skills), rendered by :func:`profiler_core.och.talent_matches_body`
    in the route's shape.
    """

    route: och.bodies.TalentRoute = "seed"

    def get(self, request: Request) -> Response:
        """200 always (``profiler_complete`` false and a message without a completed profiler)."""
        learner = _learner(request)
        sessions = DjangoSessionRepository(TrackCatalogue.read())
        outcome = services.talent_matches(
            learner,
            sessions=sessions,
            jobs=DjangoJobRepository(),
            talent=DjangoTalentProfileRepository(),
            recipes=DjangoRecipeRepository(),
            now=timezone.now(),
            limit=query_limit(request),
            policy=drf.profiler_settings().matching,
        )
        rendered = och.talent_matches_body(
            outcome,
            track_ids=sessions.catalogue.track_ids,
            session=sessions.latest.get(learner),
            route=self.route,
        )
        return answer(rendered)


@extend_schema_view(get=api.ok(api.TALENT_MATCHES_PROFILER, parameters=[api.LIMIT]))
class ProfilerTalentMatchesView(TalentMatchesView):
    """``GET /api/v1/marketplace/talent-matches/profiler``: the route both repositories have."""

    route: och.bodies.TalentRoute = "profiler"


# --- analytics ------------------------------------------------------------------


class _SponsorAnalyticsPermission(drf.EnterpriseAnalyticsPermission):
    """The enterprise gate; the platform's route names the sponsor in ``?sponsor_id=`` instead of the path."""

    lookup_query = "sponsor_id"
    max_id_length = MAX_ID_LENGTH


class _CohortAnalyticsPermission(drf.CohortAnalyticsPermission):
    """The cohort gate, with this host's id width."""

    max_id_length = MAX_ID_LENGTH


@extend_schema_view(
    get=api.ok(
        api.COHORT_ANALYTICS,
        403,
        404,
        503,
        s404=api.CODE_DETAIL,
        s503=api.CODE_DETAIL,
        parameters=[api.COHORT_ID],
    )
)
class CohortAnalyticsView(PlatformView):
    """``GET /api/v1/profiler/admin/cohorts/{cohort_id}/analytics`` (and the seed's ``profiler/cohorts/...``).

    :class:`profiler_core.drf.CohortAnalyticsPermission` runs
    :func:`profiler_core.services.cohort_analytics_gate` (it decides and
    audits; a denial is the uniform 403, an unknown cohort a 404 for a viewer
    who could see it); :func:`profiler_core.services.cohort_analytics_report`
    builds the report with small-group suppression;
    :func:`profiler_core.och.cohort_analytics_body` renders the platform's keys
    (never its per-student lists).
    """

    permission_classes = (IsAuthenticated, _CohortAnalyticsPermission)

    def get(self, request: Request, cohort_id: str) -> Response:
        """200, 403 (uniform), 404 for an unknown cohort, 503."""
        access = drf.analytics_access(request)
        catalogue, policies = _catalogue(request), drf.profiler_settings()
        report = services.cohort_analytics_report(
            access.subject_id,
            decision=access.decision,
            repository=DjangoCohortAnalyticsRepository(catalogue),
            policy=policies.analytics,
            suppression=policies.suppression,
        )
        return answer(och.cohort_analytics_body(report, track_ids=catalogue.track_ids), notes=access.notes)


@extend_schema_view(
    get=api.ok(
        api.ENTERPRISE_ANALYTICS,
        403,
        404,
        503,
        s404=api.CODE_DETAIL,
        s503=api.CODE_DETAIL,
        parameters=[
            api.SPONSOR_ID,
            OpenApiParameter("date_from", str, description="echoed in date_range"),
            OpenApiParameter("date_to", str, description="echoed in date_range"),
        ],
    )
)
class EnterpriseAnalyticsView(PlatformView):
    """``GET /api/v1/profiler/admin/enterprise/analytics?sponsor_id=``, and the seed's enterprises path.

    The enterprise is the sponsor (``sponsor_cohort_assignments.sponsor_uuid_id``,
    the sponsor user's ``users.uuid_id``); its cohorts are the ones it funds.
    :class:`profiler_core.drf.EnterpriseAnalyticsPermission` runs the gate.
    """

    permission_classes = (IsAuthenticated, _SponsorAnalyticsPermission)

    def get(self, request: Request, enterprise_id: str | None = None) -> Response:
        """200, 400 without a sponsor, 403 (uniform), 404 for a sponsor that funds no cohort, 503."""
        access = drf.analytics_access(request)
        catalogue, policies = _catalogue(request), drf.profiler_settings()
        report = services.enterprise_analytics_report(
            access.subject_id,
            decision=access.decision,
            repository=DjangoCohortAnalyticsRepository(catalogue),
            policy=policies.analytics,
            suppression=policies.suppression,
        )
        rendered = och.enterprise_analytics_body(
            report,
            track_ids=catalogue.track_ids,
            date_from=request.query_params.get("date_from"),
            date_to=request.query_params.get("date_to"),
        )
        return answer(rendered, notes=access.notes)

"""Server-rendered dashboards: a cohort's and an enterprise's (directors, sponsors), a mentee's (mentors).

Each page is gated exactly as its JSON endpoint is: the same authentication
(the settings' DRF classes, ``X-User-Id`` here), the same viewer
(:func:`profiler_host.auth.principal_for` of the authenticated user) and the
same library services in the same order: ``cohort_analytics_gate`` then
``cohort_analytics_report`` (:class:`~profiler_host.views.CohortAnalyticsView`),
``enterprise_analytics_gate`` then ``enterprise_analytics_report``
(:class:`~profiler_host.views.EnterpriseAnalyticsView`), ``mentee_results``
(:class:`~profiler_host.views.MenteeResultsView`). Nothing is decided here.

What a viewer gets:

- allowed: the page (200). The charts are the library's inline SVG
  (:func:`profiler_core.report_formats.render_html_section`: one
  ``<g class="mark">`` per cell, ``mark suppressed`` with the word
  "suppressed" for a suppressed cell), each in a ``<figure>`` with a text
  alternative and a data table; the Vega-Lite specifications of
  :func:`profiler_core.charts.chart_specs` ride along in
  ``<script type="application/json" id="chart-specs">`` for a frontend that
  wants them. No JavaScript runs and nothing is loaded from elsewhere (the
  ``Content-Security-Policy`` says so).
- denied: the ``403.html`` page, whose body is the same for every subject the
  viewer may not see (it shows the public reasons only): never a partial page.
- unauthenticated: 401 as the JSON views (``WWW-Authenticate: X-User-Id``);
  a malformed id: 400 naming the path, as the JSON views; an unknown cohort,
  sponsor or mentee: 404; a failing repository: 503. Each as an HTML page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from django.template import loader
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from rest_framework import status
from rest_framework.renderers import TemplateHTMLRenderer
from rest_framework.request import Request
from rest_framework.response import Response

import profiler_core as pc
from profiler_core import services
from profiler_core.access_views import VIEW_FIELDS, ResultsProjection
from profiler_core.charts import Report, chart_specs
from profiler_core.report_formats import HTML_STYLE, render_html_section
from profiler_host.adapters import (
    DjangoAuditSink,
    DjangoCohortAnalyticsRepository,
    DjangoCohortRepository,
    DjangoSessionRepository,
    TrackCatalogue,
)
from profiler_host.auth import principal_for
from profiler_host.edge import checked_id
from profiler_host.views import PlatformView, _mentee, _mentee_outcome, _user

__all__ = [
    "DENIED_TEMPLATE",
    "ERROR_TEMPLATE",
    "CONTENT_SECURITY_POLICY",
    "DashboardRenderer",
    "DashboardView",
    "CohortDashboardView",
    "EnterpriseDashboardView",
    "MenteeDashboardView",
    "score_bars",
]

#: The page every denied viewer gets, whatever they asked about (also Django's own 403 template).
DENIED_TEMPLATE: Final = "403.html"
#: Every other error page (400, 401, 404, 406, 503): the status and what the JSON body would say.
ERROR_TEMPLATE: Final = "profiler_host/dashboards/error.html"
_REPORT_TEMPLATE: Final = "profiler_host/dashboards/report.html"
_MENTEE_TEMPLATE: Final = "profiler_host/dashboards/mentee.html"

#: Nothing may run or load: inline styles only, and the ``data:`` favicon (so no request for one).
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)

#: The score chart's geometry (px): label column, bar area (100 points), value column, row, bar.
_LABEL_W, _AREA_W, _VALUE_W, _ROW, _BAR, _TOP = 170, 300, 130, 28, 18, 6
_SCORES: Final = (
    ("overall", "Overall"),
    ("aptitude", "Aptitude"),
    ("behavioral", "Behavioral"),
    ("technical_exposure", "Technical exposure"),
)


class DashboardRenderer(TemplateHTMLRenderer):
    """DRF's template renderer with the dashboards' error pages and the library's stylesheet.

    A response raised from an exception (the settings' exception handler:
    400, 401, 503, ...) renders :data:`ERROR_TEMPLATE` (403:
    :data:`DENIED_TEMPLATE`) with the JSON body the API would answer as
    context; every page gets ``page_style`` (:data:`~profiler_core.report_formats.HTML_STYLE`).
    """

    def get_exception_template(self, response: Response) -> Any:
        """``403.html`` for a 403, :data:`ERROR_TEMPLATE` for any other status."""
        return loader.get_template(DENIED_TEMPLATE if response.status_code == 403 else ERROR_TEMPLATE)

    def get_template_context(self, data: Any, renderer_context: Mapping[str, Any]) -> Any:
        """The response's data (a dict), with ``status_code`` and ``page_style``."""
        context = dict(data) if isinstance(data, Mapping) else {"detail": str(data)}
        response = renderer_context["response"]
        context["status_code"] = response.status_code
        context["page_style"] = mark_safe(HTML_STYLE)
        return context


class DashboardView(PlatformView):
    """Base of the pages: the JSON views' authentication and permission, HTML out, nothing cached.

    ``schema = None`` keeps the pages out of any OpenAPI document (DRF's and
    drf-spectacular's generators skip such views): they are not the JSON API.
    """

    renderer_classes = (DashboardRenderer,)
    schema = None

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        """Every page (errors too): ``Cache-Control: private, no-store`` and the CSP."""
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response


def _page(
    template: str, context: dict[str, object], *, status_code: int = 200, notes: Sequence[pc.Reason] = ()
) -> Response:
    response = Response(context, status=status_code, template_name=template)
    if notes:
        response["X-Profiler-Notes"] = ",".join(n.code for n in notes)
    return response


def _denied(public_reasons: Sequence[pc.Reason]) -> Response:
    """The 403 page: the public reasons only, so every subject the viewer may not see gives the same bytes."""
    return _page(
        DENIED_TEMPLATE,
        {
            "code": pc.AccessDeniedError.code,
            "reason_codes": [r.code for r in public_reasons],
            "detail": " ".join(r.message for r in public_reasons),
        },
        status_code=status.HTTP_403_FORBIDDEN,
    )


def _error(status_code: int, code: str, detail: str, *, notes: Sequence[pc.Reason] = ()) -> Response:
    return _page(ERROR_TEMPLATE, {"code": code, "detail": detail}, status_code=status_code, notes=notes)


def _refused(gate: services.AnalyticsGate) -> Response:
    """The gate said no: the 403 page, or 404/503 from its reason (as the JSON views)."""
    if isinstance(gate, services.AnalyticsDenied):
        return _denied(gate.public_reasons)
    assert isinstance(gate, services.AnalyticsNotFound)
    code = 503 if gate.reason.code == "cohorts_unavailable" else 404
    return _error(code, gate.reason.code, gate.reason.message, notes=gate.notes)


def _report_page(
    outcome: services.CohortReportOutcome | services.EnterpriseReportOutcome,
    *,
    kind: str,
    subject: str,
    notes: Sequence[pc.Reason],
) -> Response:
    """The dashboard of one report; a report that could not be built is its error page."""
    if isinstance(outcome, services.ReportDenied):
        return _denied(outcome.public_reasons)
    if isinstance(outcome, services.ReportNotFound | services.ReportUnavailable):
        code = 503 if isinstance(outcome, services.ReportUnavailable) else 404
        return _error(code, outcome.reason.code, outcome.reason.message, notes=notes)
    report: Report = outcome
    context: dict[str, object] = {
        "kind": kind,
        "subject": subject,
        "report": report,
        "section": SafeString(render_html_section(report, section_id=f"{kind}-dashboard")),
        "charts": chart_specs(report),
        "degraded": [n.message for n in notes],
    }
    return _page(_REPORT_TEMPLATE, context, notes=notes)


class CohortDashboardView(DashboardView):
    """``GET /dashboards/cohorts/{cohort_id}/``: the cohort report (``CohortAnalyticsView``'s gate)."""

    def get(self, request: Request, cohort_id: str) -> Response:
        """200 page, 400, 401, 403 page (uniform), 404, 503."""
        cohort = pc.CohortId(checked_id(cohort_id, path="$.path.cohort_id"))
        catalogue = TrackCatalogue.read()
        gate = services.cohort_analytics_gate(
            principal_for(_user(request)),
            cohort,
            cohorts=DjangoCohortRepository(catalogue),
            audit=DjangoAuditSink(),
            now=timezone.now(),
        )
        if not isinstance(gate, services.AnalyticsAllowed):
            return _refused(gate)
        report = services.cohort_analytics_report(
            cohort, decision=gate.decision, repository=DjangoCohortAnalyticsRepository(catalogue)
        )
        name = report.cohort.name if isinstance(report, pc.CohortReport) else str(cohort)
        return _report_page(report, kind="cohort", subject=name, notes=gate.notes)


class EnterpriseDashboardView(DashboardView):
    """``GET /dashboards/enterprises/{enterprise_id}/``: the sponsor's report (``EnterpriseAnalyticsView``'s).

    The enterprise is the sponsor's ``users.uuid_id``, as on the JSON route.
    """

    def get(self, request: Request, enterprise_id: str) -> Response:
        """200 page, 400, 401, 403 page (uniform), 404 (funds no cohort), 503."""
        enterprise = pc.OrgId(checked_id(enterprise_id, path="$.path.enterprise_id"))
        catalogue = TrackCatalogue.read()
        gate = services.enterprise_analytics_gate(
            principal_for(_user(request)),
            enterprise,
            cohorts=DjangoCohortRepository(catalogue),
            audit=DjangoAuditSink(),
            now=timezone.now(),
        )
        if not isinstance(gate, services.AnalyticsAllowed):
            return _refused(gate)
        report = services.enterprise_analytics_report(
            enterprise, decision=gate.decision, repository=DjangoCohortAnalyticsRepository(catalogue)
        )
        return _report_page(report, kind="enterprise", subject=str(enterprise), notes=gate.notes)


def score_bars(projection: ResultsProjection) -> list[dict[str, object]]:
    """The mentee chart's rows: one per score (overall, aptitude, behavioral, technical exposure).

    Each row has ``key``, ``label``, ``value`` (the 0..100 score, ``None``
    when not measured), ``text`` (``"72.5"`` or ``"not measured"``) and the
    SVG geometry (``y``, ``width`` in px of a 100-point axis, ``text_x``,
    ``label_y``). A score that was not measured has no bar, only the words:
    it is never drawn as 0.
    """
    rows: list[dict[str, object]] = []
    for index, (key, label) in enumerate(_SCORES):
        value = getattr(projection.scores, key)
        y = _TOP + index * _ROW
        width = 0.0 if value is None else round(_AREA_W * value / 100, 1)
        rows.append(
            {
                "key": key,
                "label": label,
                "value": value,
                "text": "not measured" if value is None else f"{value:g}",
                "y": y,
                "label_y": y + 13,
                "width": width,
                "text_x": _LABEL_W + (4 if value is None else width + 4),
            }
        )
    return rows


def _score_chart(rows: Sequence[Mapping[str, object]]) -> dict[str, object]:
    height = _TOP + len(rows) * _ROW + 30
    ticks = [{"value": v, "x": _LABEL_W + _AREA_W * v / 100} for v in (0, 25, 50, 75, 100)]
    return {
        "rows": rows,
        "width": _LABEL_W + _AREA_W + _VALUE_W,
        "height": height,
        "label_x": 4,
        "bar_x": _LABEL_W,
        "bar_h": _BAR,
        "axis_y": _TOP + len(rows) * _ROW + 2,
        "axis_end": _LABEL_W + _AREA_W,
        "tick_y": _TOP + len(rows) * _ROW + 18,
        "ticks": ticks,
        "description": "; ".join(
            f"{r['label']}: {r['text']}" + ("" if r["value"] is None else " of 100") for r in rows
        ),
    }


def _mentee_name(user: Any) -> str:
    full = f"{user.first_name} {user.last_name}".strip()
    return full or user.email or str(user.pk)


class MenteeDashboardView(DashboardView):
    """``GET /dashboards/mentees/{mentee_id}/``: a mentee's results as the viewer's view projects them.

    :func:`profiler_core.services.mentee_results` decides and projects
    (``MenteeResultsView``'s call): a mentor sees the mentor view (scores,
    recommended track, strengths, areas for growth; a director's view adds the
    difficulty selection). Anti-cheat data is never put on this page, whatever
    the view holds.
    """

    def get(self, request: Request, mentee_id: str) -> Response:
        """200 page, 400, 401, 403 page (uniform), 404 (no such mentee, or no results), 503."""
        learner, user = _mentee(mentee_id)
        sessions = DjangoSessionRepository(TrackCatalogue.read())
        outcome = _mentee_outcome(request, learner, sessions)
        notes = getattr(outcome, "notes", ())
        if isinstance(outcome, services.ResultsDenied):
            return _denied(outcome.public_reasons)
        if user is None:
            return _error(404, "mentee_not_found", "Mentee not found.")
        if isinstance(outcome, services.ResultsNotFound):
            code = 503 if outcome.reason.code == "profiler_unavailable" else 404
            return _error(code, outcome.reason.code, outcome.reason.message, notes=notes)
        projection = outcome.projection
        track = projection.recommended_track
        context: dict[str, object] = {
            "mentee": _mentee_name(user),
            "mentee_id": str(user.pk),
            "view": projection.view.value,
            "completed_at": projection.completed_at,
            "is_locked": projection.is_locked,
            "chart": _score_chart(score_bars(projection)),
            "track": None if track is None else track.value,
            "track_confidence": (
                None if projection.track_confidence is None else round(projection.track_confidence * 100)
            ),
            "difficulty": (
                None if projection.difficulty_selection is None else projection.difficulty_selection.value
            ),
            "shows_difficulty": "difficulty_selection" in VIEW_FIELDS[projection.view],
            "strengths": list(projection.strengths),
            "areas_for_growth": list(projection.areas_for_growth),
            "degraded": [n.message for n in notes],
        }
        return _page(_MENTEE_TEMPLATE, context, notes=notes)

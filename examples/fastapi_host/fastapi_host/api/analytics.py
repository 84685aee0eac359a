"""Enterprise dashboard (SPEC §9): cohort and enterprise analytics for the viewers the library allows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from fastapi_host.auth import CurrentPrincipal, checked_subject
from fastapi_host.dependencies import Analytics, Audit, Cohorts, Now
from fastapi_host.errors import NotFound, Unavailable, errors
from profiler_core import AccessDeniedError, CohortId, OrgId
from profiler_core.access import AccessAction
from profiler_core.analytics import CohortReport, EnterpriseReport
from profiler_core.fastapi import library_model
from profiler_core.services import (
    AnalyticsDenied,
    AnalyticsGate,
    AnalyticsNotFound,
    ReportDenied,
    ReportNotFound,
    ReportUnavailable,
    cohort_analytics_gate,
    cohort_analytics_report,
    enterprise_analytics_gate,
    enterprise_analytics_report,
)

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/profiler", tags=["analytics"])

_STATUSES = errors(400, 401, 403, 404, 503)

#: Path ids, with the sample platform's as examples (clients and schemathesis start from them).
CohortPath = Annotated[str, Path(description="The cohort's id.", examples=["cohort-a"])]
EnterprisePath = Annotated[str, Path(description="The sponsoring organisation's id.", examples=["org-acme"])]


def _check_gate(gate: AnalyticsGate, kind: str) -> None:
    """Raise the denial (uniform unless admin/staff) or the not-found the gate decided; allowed passes."""
    if isinstance(gate, AnalyticsDenied):
        raise AccessDeniedError(reason_codes=gate.public_reason_codes)
    if isinstance(gate, AnalyticsNotFound):
        reason = gate.reason
        if gate.degraded:
            raise Unavailable(code=reason.code, message=reason.message)
        raise NotFound(kind=kind, key=gate.subject_id, code=reason.code, message=reason.message)


def _report_body(
    report: CohortReport | EnterpriseReport | ReportDenied | ReportNotFound | ReportUnavailable, kind: str
) -> CohortReport | EnterpriseReport:
    """The report (its library model renders the chart-ready JSON), or the error its outcome maps to."""
    if isinstance(report, ReportDenied):
        raise AccessDeniedError(reason_codes=report.public_reason_codes)
    if isinstance(report, ReportNotFound):
        reason = report.reason
        raise NotFound(kind=kind, key=report.subject_id, code=reason.code, message=reason.message)
    if isinstance(report, ReportUnavailable):
        raise Unavailable(code=report.reason.code, message=report.reason.message)
    return report


@router.get(
    "/cohorts/{cohort_id}/analytics",
    response_model=library_model(CohortReport),
    responses=_STATUSES,
    summary="A cohort's profiler analytics, with small-cohort suppression",
)
def cohort_analytics(
    *,
    cohort_id: CohortPath,
    viewer: CurrentPrincipal,
    cohorts: Cohorts,
    analytics: Analytics,
    audit: Audit,
    now: Now,
) -> CohortReport | EnterpriseReport:
    """``cohort_analytics_gate`` (decision and audit), then ``cohort_analytics_report``.

    Whether a cohort exists is told only to a viewer who would be allowed to
    see it: for anyone else an unknown cohort is an ordinary 403.
    """
    subject = checked_subject(
        cohort_id,
        path="$.path.cohort_id",
        viewer=viewer,
        action=AccessAction.VIEW_COHORT_ANALYTICS.value,
        audit=audit,
        now=now,
    )
    gate = cohort_analytics_gate(viewer, CohortId(subject), cohorts=cohorts, audit=audit, now=now)
    _check_gate(gate, "cohort")
    report = cohort_analytics_report(CohortId(subject), decision=gate.decision, repository=analytics)
    return _report_body(report, "cohort")


@router.get(
    "/enterprises/{enterprise_id}/analytics",
    response_model=library_model(EnterpriseReport),
    responses=_STATUSES,
    summary="An enterprise's rollup over its cohorts, and a breakdown per cohort id",
)
def enterprise_analytics(
    *,
    enterprise_id: EnterprisePath,
    viewer: CurrentPrincipal,
    cohorts: Cohorts,
    analytics: Analytics,
    audit: Audit,
    now: Now,
) -> CohortReport | EnterpriseReport:
    """``enterprise_analytics_gate`` (decision and audit), then ``enterprise_analytics_report``.

    An enterprise that sponsors no cohort is a 404 (``unknown_enterprise``) for
    an allowed viewer: never every cohort.
    """
    subject = checked_subject(
        enterprise_id,
        path="$.path.enterprise_id",
        viewer=viewer,
        action=AccessAction.VIEW_ENTERPRISE_ANALYTICS.value,
        audit=audit,
        now=now,
    )
    gate = enterprise_analytics_gate(viewer, OrgId(subject), cohorts=cohorts, audit=audit, now=now)
    _check_gate(gate, "enterprise")
    report = enterprise_analytics_report(OrgId(subject), decision=gate.decision, repository=analytics)
    return _report_body(report, "enterprise")

"""Mentorship layer (SPEC §5): a mentee's profiler results, for viewers the library allows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from fastapi_host.auth import CurrentPrincipal, checked_subject
from fastapi_host.dependencies import Assignments, Audit, Cohorts, Enrollments, Now, Portfolio, Sessions
from fastapi_host.errors import NotFound, Unavailable, errors
from profiler_core import AccessDeniedError, UserId
from profiler_core.access import AccessAction
from profiler_core.fastapi import library_model
from profiler_core.services import ResultsAllowed, ResultsDenied, ResultsNotFound, mentee_results

__all__ = ["router", "NOTES_HEADER"]

router = APIRouter(prefix="/api/v1/profiler", tags=["mentorship"])

#: The learner's id, with a sample learner as the example (clients and schemathesis start from it).
MenteePath = Annotated[str, Path(description="The learner's id.", examples=["learner-001"])]

#: A degraded answer lists its notes' reason codes here (the body keeps its shape).
NOTES_HEADER = "X-Profiler-Notes"


@router.get(
    "/mentees/{mentee_id}/results",
    response_model=library_model(ResultsAllowed),
    responses=errors(400, 401, 403, 404, 503),
    summary="A learner's profiler results, projected for the viewer's granted view",
)
def mentee_results_endpoint(
    *,
    mentee_id: MenteePath,
    viewer: CurrentPrincipal,
    response: Response,
    sessions: Sessions,
    assignments: Assignments,
    enrollments: Enrollments,
    cohorts: Cohorts,
    portfolio: Portfolio,
    audit: Audit,
    now: Now,
) -> ResultsAllowed:
    """``mentee_results``: 200 with the view's payload, 403 (uniform), 404 without results.

    Every decision, allowed or denied, is written to ``access_audit``; so is
    the refusal of a malformed learner id (400). A viewer who is not admin or
    staff gets the same 403 body for every learner it may not see.
    """
    learner_id = checked_subject(
        mentee_id,
        path="$.path.mentee_id",
        viewer=viewer,
        action=AccessAction.VIEW_RESULTS.value,
        audit=audit,
        now=now,
    )
    outcome = mentee_results(
        viewer,
        UserId(learner_id),
        sessions=sessions,
        assignments=assignments,
        enrollments=enrollments,
        cohorts=cohorts,
        statements=portfolio,
        audit=audit,
        now=now,
    )
    if isinstance(outcome, ResultsDenied):
        # What the viewer may be shown: the uniform access_denied unless admin or staff;
        # the precise reasons are in the audit row the service wrote.
        raise AccessDeniedError(reason_codes=outcome.public_reason_codes)
    if outcome.notes:
        response.headers[NOTES_HEADER] = ",".join(n.code for n in outcome.notes)
    if isinstance(outcome, ResultsNotFound):
        if outcome.degraded:
            raise Unavailable(code=outcome.reason.code, message=outcome.reason.message)
        raise NotFound(
            kind="profiler_results", key=mentee_id, code=outcome.reason.code, message=outcome.reason.message
        )
    return outcome

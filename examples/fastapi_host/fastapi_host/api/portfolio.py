"""Portfolio and leadership (SPEC §6-7): the value statement, its edit, and the completion hook."""

from __future__ import annotations

from fastapi import APIRouter

from fastapi_host.auth import CurrentPrincipal, ServiceCaller
from fastapi_host.dependencies import Connection, Now, Portfolio, Sessions
from fastapi_host.edge import JsonBody, id_problem
from fastapi_host.errors import Conflict, NotFound, Unavailable
from fastapi_host.hooks import profiler_completed
from fastapi_host.responses import (
    LeadershipStartOut,
    StatementEditIn,
    StatementEditOut,
    ValueStatementSyncOut,
    errors,
)
from profiler_core import (
    JSON,
    InvalidPayloadError,
    Problem,
    ProfilerSession,
    structure,
    unstructure,
    unstructure_object,
)
from profiler_core.leadership import StatementNotFound
from profiler_core.services import learner_edits_statement, value_statement_for_leadership

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/profiler", tags=["portfolio"])

_SESSION_EXAMPLE = {
    "id": "session-042",
    "user_id": "learner-001",
    "status": "finished",
    "started_at": "2026-11-25T08:20:00+00:00",
    "completed_at": "2026-11-25T09:00:00+00:00",
    "difficulty_selection": "intermediate",
    "technical_exposure_score": {"raw": 20, "answered": 10},
    "reflection": {"why_cyber": "I like solving puzzles", "what_achieve": "I want to lead a SOC"},
    "identity_responses": [{"question_id": "identity-1", "text": "integrity"}],
}


@router.get(
    "/value-statement",
    response_model=LeadershipStartOut,
    responses=errors(400, 401, 404, 503),
    summary="The learner's value statement, with the leadership identity seeded from it",
)
def value_statement(viewer: CurrentPrincipal, portfolio: Portfolio, sessions: Sessions) -> dict[str, JSON]:
    """``value_statement_for_leadership``; no statement is a 404 with the library's message."""
    start = value_statement_for_leadership(viewer.user_id, portfolio=portfolio, sessions=sessions)
    if isinstance(start.statement, StatementNotFound):
        reason = start.statement.reason
        raise NotFound(kind="value_statement", key=viewer.user_id, code=reason.code, message=reason.message)
    if start.statement is None:
        reason = start.reasons[0]
        raise Unavailable(code=reason.code, message=reason.message)
    return unstructure_object(start)


_EDIT = {
    "response_model": StatementEditOut,
    "responses": errors(400, 401, 404, 409, 503),
    "summary": "The learner edits their own value statement (PUT and PATCH alike: one field)",
}


@router.patch("/value-statement", **_EDIT)  # type: ignore[arg-type]  # FastAPI's keyword arguments
@router.put("/value-statement", **_EDIT)  # type: ignore[arg-type]
def edit_value_statement(
    edit: StatementEditIn, viewer: CurrentPrincipal, portfolio: Portfolio, now: Now
) -> dict[str, object]:
    """``learner_edits_statement``: a rejected edit is a 400 naming ``$.summary``."""
    outcome = learner_edits_statement(viewer.user_id, edit.summary, portfolio=portfolio, now=now)
    if outcome.rejection is not None:
        problem = Problem(path=f"$.{outcome.rejection.field}", message=outcome.rejection.reason.message)
        raise InvalidPayloadError([problem], type_name="ValueStatementEdit")
    if outcome.reason.code == "value_statement_not_found":
        raise NotFound(
            kind="value_statement",
            key=viewer.user_id,
            code=outcome.reason.code,
            message=outcome.reason.message,
        )
    if outcome.entry is None:
        failure = Conflict if outcome.reason.code == "portfolio_conflict" else Unavailable
        raise failure(code=outcome.reason.code, message=outcome.reason.message)
    return {
        "learner_id": outcome.learner_id,
        "entry": unstructure(outcome.entry),
        "reason": unstructure(outcome.reason),
        "degraded": outcome.degraded,
    }


def _session_ids_checked(session: ProfilerSession) -> ProfilerSession:
    problems = [
        problem
        for problem in (
            id_problem(session.id, path="$.id"),
            id_problem(session.user_id, path="$.user_id"),
        )
        if problem is not None
    ]
    if problems:
        raise InvalidPayloadError(problems, type_name="ProfilerSession")
    return session


@router.post(
    "/completions",
    response_model=ValueStatementSyncOut,
    responses=errors(400, 401, 403, 404, 409, 503),
    summary="Profiler completion hook (server-to-server): store the session, create the value statement once",
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The completed session in the wire contract of SPEC §2 (`ProfilerSession`).",
            "content": {
                "application/json": {
                    "schema": {"type": "object"},
                    "examples": {"finished": {"summary": "A finished session", "value": _SESSION_EXAMPLE}},
                }
            },
        }
    },
)
def profiler_completion(
    caller: ServiceCaller, payload: JsonBody, connection: Connection, now: Now
) -> dict[str, JSON]:
    """The profiling service delivers a session: ``on_profiler_completed`` after storing it.

    Only the profiling service may call it (``X-Service-Token``); a learner's
    credential is a 403, so no learner posts their own scores. The body is
    read with ``structure(payload, ProfilerSession)``: a bad payload is a 400
    listing every problem with its path; a learner who is not a user of the
    platform is a 404 (``kind: user``). A stored session never changes owner
    and a completed one never changes: such a delivery is a 409
    (``session_owner_conflict``, ``session_already_completed``) and writes nothing.
    Delivering the same completion again changes nothing (200).
    """
    session = _session_ids_checked(structure(payload, ProfilerSession))
    return unstructure_object(profiler_completed(connection, session, now=now))

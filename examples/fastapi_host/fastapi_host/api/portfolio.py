"""Portfolio and leadership (SPEC §6-7): the value statement, its edit, and the completion hook."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from fastapi_host.api.mentorship import NOTES_HEADER
from fastapi_host.auth import CurrentPrincipal, ServiceCaller
from fastapi_host.dependencies import Connection, Now, Portfolio, Sessions
from fastapi_host.edge import JsonBody, id_problem
from fastapi_host.errors import Conflict, NotFound, Unavailable, errors
from fastapi_host.hooks import profiler_completed
from fastapi_host.profiling_service import read_service_session
from profiler_core import (
    JSON,
    InvalidPayloadError,
    PortfolioEntry,
    Problem,
    ProfilerSession,
    Reason,
    Visibility,
    unstructure,
    unstructure_object,
)
from profiler_core.fastapi import library_model
from profiler_core.leadership import StatementNotFound
from profiler_core.och import value_statement_body
from profiler_core.services import (
    LeadershipStart,
    ValueStatementSync,
    learner_edits_statement,
    value_statement_for_leadership,
)

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/profiler", tags=["portfolio"])

#: A completion as the OCH FastAPI profiling service sends it (its pydantic ``ProfilingSession``:
#: ``user_id`` an int, naive UTC times, the raw technical-exposure sum under ``telemetry``).
_SESSION_EXAMPLE = {
    "id": "0b6c7a52-3c1e-4f5e-9d59-0c3f8f1d2a10",
    "user_id": 16,
    "responses": [
        {"question_id": "identity_4", "selected_option": "A", "response_time_ms": 5400},
        *(
            {"question_id": f"tech_exposure_{n}", "selected_option": "B", "response_time_ms": 3100}
            for n in range(1, 11)
        ),
    ],
    "started_at": "2026-02-07T08:00:00",
    "completed_at": "2026-02-07T08:25:00",
    "scores": {"defender": 78.0, "grc": 55.0},
    "recommended_track": "defender",
    "ip_address": None,
    "user_agent": None,
    "device_fingerprint": None,
    "response_times": None,
    "suspicious_patterns": [],
    "anti_cheat_score": 5.0,
    "telemetry": {"technical_exposure_score": 20, "work_style_cluster": "balanced"},
    "difficulty_verification": {
        "selected_difficulty": "intermediate",
        "is_realistic": True,
        "confidence": "medium",
        "technical_exposure_score": 20,
        "suggested_difficulty": "intermediate",
        "reasoning": "Your technical exposure matches the level you selected.",
    },
    "reflection_responses": {
        "why_cyber": "I like solving puzzles",
        "what_achieve": "I want to lead a SOC",
        "submitted_at": "2026-02-07T08:24:00.123456",
    },
}


#: The keys of ``profiler_core.och.value_statement_body`` (the OCH frontend's and the Django view's).
_OCH_STATEMENT_KEYS: dict[str, object] = {
    "value_statement": str,
    "session_id": str | None,
    "ready_for_portfolio": bool,
    "created_at": datetime | None,
    "profiler_session_id": str | None,
    "status": str,
    "visibility": Visibility,
    "entry_id": str | None,
    "title": str,
    "body_version": str,
}


def _statement_not_found() -> dict[str, Any]:
    """The statement's 404: the platform's ``{value_statement: null, message}`` beside the host's keys."""
    documented = errors(404)[404]
    schema = {
        "type": "object",
        "allOf": [documented["content"]["application/json"]["schema"]],
        "properties": {"value_statement": {"type": "null"}, "message": {"type": "string"}},
        "required": ["value_statement", "message"],
    }
    return {"description": "No statement.", "content": {"application/json": {"schema": schema}}}


class StatementEditIn(BaseModel):
    """The learner's own text for their value statement (validated by the library, not here)."""

    summary: str = Field(description="The new statement text; the library cleans and bounds it.")


@router.get(
    "/value-statement",
    response_model=library_model(LeadershipStart, extra=_OCH_STATEMENT_KEYS),
    responses={**errors(400, 401, 503), 404: _statement_not_found()},
    summary="The learner's value statement in the body the OCH frontend reads, with the leadership identity",
)
def value_statement(viewer: CurrentPrincipal, portfolio: Portfolio, sessions: Sessions) -> dict[str, JSON]:
    """``value_statement_for_leadership``, answered as ``profiler_core.och.value_statement_body``.

    The OCH frontend reads the FastAPI service's ``{value_statement, session_id,
    ready_for_portfolio}`` (``fastapiClient.getValueStatement``); the body has
    those keys and the Django view's (``created_at``, ``profiler_session_id``,
    ``status``, ``visibility``), with the library's ``LeadershipStart`` keys
    beside them. No statement is a 404 with the platform's body
    ``{value_statement: null, message}`` beside this host's not-found keys.
    """
    start = value_statement_for_leadership(viewer.user_id, portfolio=portfolio, sessions=sessions)
    if isinstance(start.statement, StatementNotFound):
        reason = start.statement.reason
        raise NotFound(
            kind="value_statement",
            key=viewer.user_id,
            code=reason.code,
            message=reason.message,
            platform_body=value_statement_body(None).body,
        )
    if start.statement is None:
        reason = start.reasons[0]
        raise Unavailable(code=reason.code, message=reason.message)
    och = value_statement_body(start.statement.entry)
    return {**och.body, **unstructure_object(start)}


_EDIT: dict[str, Any] = {
    "response_model": library_model(
        {"learner_id": str, "entry": PortfolioEntry, "reason": Reason, "degraded": bool}
    ),
    "responses": errors(400, 401, 404, 409, 503),
    "summary": "The learner edits their own value statement (PUT and PATCH alike: one field)",
}


@router.patch("/value-statement", **_EDIT)
@router.put("/value-statement", **_EDIT)
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
        raise InvalidPayloadError(problems, type_name="fastapi_session")
    return session


@router.post(
    "/completions",
    response_model=library_model(ValueStatementSync),
    responses=errors(400, 401, 403, 404, 409, 503),
    summary="Profiler completion hook (server-to-server): store the session, create the value statement once",
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The completed session as the OCH FastAPI profiling service sends it "
            "(its `ProfilingSession` JSON), read by `profiler_core.och.read_fastapi_session`.",
            "content": {
                "application/json": {
                    "schema": {"type": "object"},
                    "examples": {
                        "finished": {"summary": "A finished session", "value": _SESSION_EXAMPLE},
                        "sample": {
                            "summary": "A sample platform learner's first finished session",
                            "value": {**_SESSION_EXAMPLE, "id": "session-006-2", "user_id": "learner-006"},
                        },
                    },
                }
            },
        }
    },
)
def profiler_completion(
    caller: ServiceCaller, payload: JsonBody, connection: Connection, now: Now, response: Response
) -> ValueStatementSync:
    """The profiling service delivers a session: ``on_profiler_completed`` after storing it.

    Only the profiling service may call it (``X-Service-Token``); a learner's
    credential is a 403, so no learner posts their own scores. The body is the
    OCH FastAPI service's session JSON, read with
    ``profiler_core.och.read_fastapi_session`` (its questions from
    ``profiling_questions``): a bad payload is a 400 listing every problem at
    the service's own path; what the reader could not use (an identity letter
    no stored question names) is listed in ``X-Profiler-Notes``. A learner who
    is not a user of the platform is a 404 (``kind: user``). A stored session
    never changes owner and a completed one never changes: such a delivery is a
    409 (``session_owner_conflict``, ``session_already_completed``) and writes
    nothing. Delivering the same completion again changes nothing (200).
    """
    if not isinstance(payload, Mapping):
        problem = Problem(path="$", message="must be an object", code="not_an_object")
        raise InvalidPayloadError([problem], type_name="fastapi_session")
    read = read_service_session(connection, payload)
    session = _session_ids_checked(read.value)
    if read.notes:
        response.headers[NOTES_HEADER] = ",".join(note.code for note in read.notes)
    return profiler_completed(connection, session, now=now)

"""The profiling service's sync route (server-to-server): ``POST /api/v1/profiler/sync-fastapi``.

The OCH FastAPI profiling service posts a short summary after a run (C:
``{user_id, session_id, completed_at, primary_track, recommendations}``; V adds
the scores, breakdown, traits, strengths and areas for growth). This host reads
it with :func:`profiler_core.och.read_fastapi_sync` and stores what it carries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Literal

from fastapi import APIRouter, Response

from fastapi_host.api.mentorship import NOTES_HEADER
from fastapi_host.api.portfolio import _session_ids_checked
from fastapi_host.auth import ServiceCaller
from fastapi_host.db import TABLES
from fastapi_host.dependencies import Connection
from fastapi_host.edge import JsonBody
from fastapi_host.errors import Conflict, SessionConflict, errors
from fastapi_host.repositories import SqliteSessionRepository
from profiler_core import JSON, InvalidPayloadError, Problem, ProfilerResult
from profiler_core.fastapi import library_model
from profiler_core.och import read_fastapi_sync

__all__ = ["router", "SYNC_BODY"]

router = APIRouter(prefix="/api/v1/profiler", tags=["portfolio"])

#: V's sync body (C sends only the first five keys).
_SYNC_EXAMPLE = {
    "user_id": 16,
    "session_id": "0b6c7a52-3c1e-4f5e-9d59-0c3f8f1d2a10",
    "completed_at": "2026-02-07T08:25:00",
    "primary_track": "defender",
    "recommendations": [{"track_key": "defender", "score": 78.0}, {"track_key": "grc", "score": 55.0}],
    "scores": {"overall": 71.5, "aptitude": 68.0, "behavioral": 74.0},
    "strengths": ["teamwork"],
    "areas_for_growth": ["Improve networking skills"],
}


#: What one sync did. ``session``: stored (new, or progress of a stored incomplete session),
#: unchanged (the same completed session again), or kept (a completed session is stored
#: already: it never changes); ``result``: stored, unchanged, or none (no overall score).
SYNC_BODY: dict[str, object] = {
    "session_id": str,
    "session": Literal["stored", "unchanged", "kept"],
    "result": Literal["stored", "unchanged", "none"],
}


def _store_result(connection: sqlite3.Connection, result: ProfilerResult) -> str:
    table = TABLES["profiler_results"]
    row = table.dump(result)
    with connection:
        if connection.execute(table.insert_sql(conflict="ON CONFLICT (session_id) DO NOTHING"), row).rowcount:
            return "stored"
        stored = connection.execute(
            "SELECT * FROM profiler_results WHERE session_id = ?", (row["session_id"],)
        ).fetchone()
    if {k: stored[k] for k in table.columns} != row:
        raise Conflict(
            code="result_already_stored",
            message=f"Session {result.session_id} has a stored result with other scores; it never changes.",
        )
    return "unchanged"


@router.post(
    "/sync-fastapi",
    response_model=library_model(SYNC_BODY),
    responses=errors(400, 401, 403, 404, 409, 503),
    summary="Profiling service sync (server-to-server): the session summary and, with scores, its result",
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The sync body as the OCH FastAPI profiling service sends it, read by "
            "`profiler_core.och.read_fastapi_sync`.",
            "content": {
                "application/json": {
                    "schema": {"type": "object"},
                    "examples": {
                        "v": {"summary": "vickie25/och's body", "value": _SYNC_EXAMPLE},
                        "sample": {
                            "summary": "A sample platform learner's sync",
                            "value": {
                                **_SYNC_EXAMPLE,
                                "session_id": "session-012-2",
                                "user_id": "learner-012",
                            },
                        },
                    },
                }
            },
        }
    },
)
def profiler_sync(
    caller: ServiceCaller, payload: JsonBody, connection: Connection, response: Response
) -> dict[str, JSON]:
    """Store what a sync carries; only the profiling service may call it (``X-Service-Token``).

    The session is stored as the completion route stores it (the same
    completed summary again is ``unchanged``), unless a completed session with
    that id and other data is stored already (the completion route's full
    session): that one is ``kept`` as it is, and only the result is added. A
    stored session of another learner is a 409 (``session_owner_conflict``); a
    stored result with other scores is a 409 (``result_already_stored``). A bad
    body is a 400 listing every problem at the body's own path; what the reader
    could not use is listed in ``X-Profiler-Notes``.
    """
    del caller  # the dependency authenticates the service; a learner's credential is a 403
    if not isinstance(payload, Mapping):
        problem = Problem(path="$", message="must be an object", code="not_an_object")
        raise InvalidPayloadError([problem], type_name="fastapi_sync")
    read = read_fastapi_sync(payload)
    session = _session_ids_checked(read.value.session)
    if read.notes:
        response.headers[NOTES_HEADER] = ",".join(note.code for note in read.notes)
    try:
        written = SqliteSessionRepository(connection).save_session(session).value
    except SessionConflict as conflict:
        if conflict.code != "session_already_completed":
            raise
        written = "kept"  # the completion route's full session: never changed by a summary
    result = read.value.result
    result_written = "none" if result is None else _store_result(connection, result)
    return {"session_id": session.id, "session": written, "result": result_written}

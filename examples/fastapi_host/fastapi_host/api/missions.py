"""Missions engine (SPEC §3): the student mission list, the dashboard's next mission, the week's plan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from fastapi_host.auth import CurrentPrincipal
from fastapi_host.dependencies import Missions, Progress, Sessions
from fastapi_host.responses import LearnerMissionsOut, NextMissionOut, errors
from profiler_core import JSON, unstructure_object
from profiler_core.services import mission_plan, missions_for_learner

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/student", tags=["missions"])

TrackFilter = Annotated[
    bool,
    Query(
        alias="track",
        description="Also keep only missions with no track or the learner's recommended track.",
    ),
]


@router.get(
    "/missions",
    response_model=LearnerMissionsOut,
    responses=errors(400, 401, 503),
    summary="The student's missions, filtered by the profiler difficulty ceiling",
)
def student_missions(
    viewer: CurrentPrincipal,
    sessions: Sessions,
    missions: Missions,
    progress: Progress,
    filter_by_track: TrackFilter = False,
) -> dict[str, JSON]:
    """``missions_for_learner`` (eligible missions, easiest first) and ``mission_plan`` as ``plan``."""
    outcome = missions_for_learner(
        viewer.user_id, sessions=sessions, missions=missions, filter_by_track=filter_by_track
    )
    plan = mission_plan(viewer.user_id, sessions=sessions, missions=missions, progress=progress)
    return {**unstructure_object(outcome), "plan": unstructure_object(plan.plan)}


@router.get(
    "/missions/dashboard",
    response_model=NextMissionOut,
    responses=errors(400, 401, 503),
    summary="The mission dashboard: the next mission and why the ceiling is what it is",
)
def next_mission(
    viewer: CurrentPrincipal,
    sessions: Sessions,
    missions: Missions,
    progress: Progress,
    filter_by_track: TrackFilter = False,
) -> dict[str, object]:
    """``missions_for_learner(...).result.next_mission`` with the decision behind it, and the week's plan."""
    outcome = missions_for_learner(
        viewer.user_id, sessions=sessions, missions=missions, filter_by_track=filter_by_track
    )
    body = unstructure_object(outcome.result)
    return {
        "learner_id": outcome.learner_id,
        "decision": body["decision"],
        "next_mission": body["next_mission"],
        "eligible_count": outcome.result.count,
        "empty_reason": body["empty_reason"],
        "degraded": outcome.degraded,
        "plan": unstructure_object(
            mission_plan(viewer.user_id, sessions=sessions, missions=missions, progress=progress).plan
        ),
    }

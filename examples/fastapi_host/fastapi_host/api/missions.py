"""Missions engine (SPEC §3): the student mission list, the dashboard's next mission, the week's plan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from fastapi_host.auth import CurrentPrincipal
from fastapi_host.dependencies import Missions, Progress, Sessions
from fastapi_host.errors import errors
from profiler_core import JSON, CeilingDecision, Mission, Reason, unstructure_object
from profiler_core.fastapi import library_model
from profiler_core.mission_plan import MissionPlan
from profiler_core.services import LearnerMissions, mission_plan, missions_for_learner

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
    response_model=library_model(LearnerMissions, extra={"plan": MissionPlan}),
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
    response_model=library_model(
        {
            "learner_id": str,
            "decision": CeilingDecision,
            "next_mission": Mission | None,
            "eligible_count": int,
            "empty_reason": Reason | None,
            "degraded": bool,
            "plan": MissionPlan,
        }
    ),
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
    """The dashboard: the plan's first mission as ``next_mission``, the ceiling decision, the week's plan.

    ``next_mission`` is ``mission_plan(...).plan.next_mission``, the first planned
    mission (never one the learner completed), as the Django host's dashboard
    shows it; when the plan is empty it is null and ``empty_reason`` is the plan's
    ``absence``. ``decision`` and ``eligible_count`` are ``missions_for_learner``'s.
    """
    outcome = missions_for_learner(
        viewer.user_id, sessions=sessions, missions=missions, filter_by_track=filter_by_track
    )
    planned = mission_plan(viewer.user_id, sessions=sessions, missions=missions, progress=progress)
    plan = unstructure_object(planned.plan)
    first = planned.plan.missions[0] if planned.plan.missions else None
    return {
        "learner_id": outcome.learner_id,
        "decision": unstructure_object(outcome.result.decision),
        "next_mission": None if first is None else unstructure_object(first.mission),
        "eligible_count": outcome.result.count,
        "empty_reason": plan["empty_reason"],
        "degraded": outcome.degraded or planned.degraded,
        "plan": plan,
    }

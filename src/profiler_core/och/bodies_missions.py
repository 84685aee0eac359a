"""The OCH student missions list and missions dashboard, rendered from the library's eligible missions.

The platform's paging envelope (``results``, ``count``, ``total``, ``page``,
``page_size``, ``has_next``, ``has_previous``) and mission items
(``competency_tags``, an integer ``difficulty``, a nullable ``code``) over
:class:`~profiler_core.services.LearnerMissions`: the same value whose
``unstructure(...)`` JSON the library's hosts answer with. Field by field:
docs/reference/och.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from profiler_core.och._json import BODY_VERSION, OchResponse, arr, obj, text
from profiler_core.serialization import JSON, unstructure_object
from profiler_core.services import LearnerMissionPlan, LearnerMissions

__all__ = [
    "student_missions_body",
    "missions_dashboard_body",
    "mission_plan_json",
]


# --- student missions and the missions dashboard ------------------------------------------


def _mission_item(mission: dict[str, JSON], row: Mapping[str, JSON]) -> dict[str, JSON]:
    code = text(mission["code"]) or None
    track = mission["track"]
    return {
        "id": mission["id"],
        "code": None if code == mission["id"] else code,
        "title": mission["title"],
        "description": row.get("description", ""),
        "difficulty": mission["difficulty"],
        "type": row.get("type"),
        "estimated_time_minutes": row.get("estimated_time_minutes"),
        "competency_tags": mission["skills_tags"],
        "track_key": track,
        "track": track,
        "tier": mission["tier"],
        "requirements": {},
        "is_locked": False,
        "lock_reason": None,
        "status": row.get("status", "not_started"),
        "progress_percent": 0,
        "subtasks": mission["subtasks"],
        "recipe_recommendations": mission["recipe_recommendations"],
    }


def _missions(outcome: LearnerMissions, rows: Mapping[str, Mapping[str, JSON]]) -> list[dict[str, JSON]]:
    result = obj(unstructure_object(outcome)["result"])
    missions = [obj(m) for m in arr(result["missions"])]
    return [_mission_item(m, rows.get(text(m["id"]) or "", {})) for m in missions]


def _ceiling(outcome: LearnerMissions) -> dict[str, JSON]:
    result = obj(unstructure_object(outcome)["result"])
    return {
        "ceiling": result["decision"],
        "empty_reason": result["empty_reason"],
        "degraded": outcome.degraded,
        "body_version": BODY_VERSION,
    }


def mission_plan_json(outcome: LearnerMissionPlan) -> dict[str, JSON]:
    """The week's plan as the student missions body and the dashboard carry it (key ``plan``).

    ``{missions: [{id, code, title, difficulty, track, reasons}], locked: [{id, points_required, points,
    points_missing, lock_reason}], ceiling, base_ceiling, suggested_step, target_step, demonstrated,
    reasons, absence, degraded, policy, evidence_policy}``: ids, numbers and reasons only.
    """
    plan = outcome.plan
    data = obj(unstructure_object(plan))
    return {
        "missions": [
            {
                "id": str(p.mission.id),
                "code": p.mission.code,
                "title": p.mission.title,
                "difficulty": int(p.mission.difficulty),
                "track": None if p.mission.track is None else p.mission.track.value,
                "reasons": obj(item)["reasons"],
            }
            for p, item in zip(plan.missions, arr(data["missions"]), strict=True)
        ],
        "locked": [
            {
                "id": str(lock.mission.id),
                "points_required": lock.points_required,
                "points": lock.points,
                "points_missing": lock.points_missing,
                "lock_reason": lock.reason.message,
            }
            for lock in plan.locked
        ],
        "ceiling": int(plan.ceiling.ceiling),
        "base_ceiling": int(plan.ceiling.base.ceiling),
        "suggested_step": None if plan.ceiling.suggested_step is None else int(plan.ceiling.suggested_step),
        "target_step": int(plan.target_step),
        "demonstrated": None if plan.demonstrated is None else int(plan.demonstrated),
        "reasons": [*arr(obj(data["ceiling"])["reasons"]), *arr(data["reasons"])],
        "absence": data["empty_reason"],
        "degraded": outcome.degraded,
        "policy": str(plan.policy),
        "evidence_policy": None if plan.ceiling.policy is None else str(plan.ceiling.policy),
    }


def _lock(items: list[dict[str, JSON]], plan: LearnerMissionPlan | None) -> None:
    # The platform's own lock fields, filled from the plan's locked missions.
    if plan is None:
        return
    locked = {str(lock.mission.id): lock.reason.message for lock in plan.plan.locked}
    for item in items:
        reason = locked.get(text(item["id"]) or "")
        if reason is not None:
            item["is_locked"] = True
            item["lock_reason"] = reason


def student_missions_body(
    outcome: LearnerMissions,
    *,
    page: int = 1,
    page_size: int = 20,
    mission_rows: Mapping[str, Mapping[str, JSON]] | None = None,
    plan: LearnerMissionPlan | None = None,
) -> OchResponse:
    """``GET /api/v1/student/missions/``: the paging envelope and mission items the frontend reads.

    ``{results, count, total, page, page_size, has_next, has_previous}`` over
    the library's eligible missions (easiest first); each item has
    ``competency_tags``, an integer ``difficulty`` and a nullable ``code``
    (``null`` when empty or equal to the id, as the platform renders it).
    Every listed mission is one the ceiling admits, so ``is_locked`` is
    ``false``. A page past the end is an empty page.

    Args:
        outcome: what :func:`profiler_core.services.missions_for_learner` returned.
        page: the 1-based page (the platform's ``page`` query parameter).
        page_size: missions per page (the platform's default 20).
        mission_rows: mission id → the host's fields the library value does not
            hold (``description``, ``type``, ``estimated_time_minutes``, the
            learner's submission ``status``).
        plan: what :func:`profiler_core.services.mission_plan` returned: adds
            ``plan`` (:func:`mission_plan_json`) beside the platform's fields and
            marks the plan's points-locked missions ``is_locked`` with their
            ``lock_reason``.
    """
    if page < 1 or page_size < 1:
        raise ValueError("page and page_size must be at least 1")
    items = _missions(outcome, mission_rows or {})
    _lock(items, plan)
    start = (page - 1) * page_size
    results: list[JSON] = list(items[start : start + page_size])
    body: dict[str, JSON] = {
        "results": results,
        "count": len(results),
        "total": len(items),
        "page": page,
        "page_size": page_size,
        "has_next": start + page_size < len(items),
        "has_previous": page > 1,
        **_ceiling(outcome),
    }
    if plan is not None:
        body["plan"] = mission_plan_json(plan)
    return OchResponse(status=200, body=body)


def missions_dashboard_body(
    outcome: LearnerMissions,
    *,
    track: str | None = None,
    tier: str | None = None,
    mission_rows: Mapping[str, Mapping[str, JSON]] | None = None,
    in_progress: Sequence[str] = (),
    completed: Sequence[str] = (),
    plan: LearnerMissionPlan | None = None,
) -> OchResponse:
    """The profiler-filtered missions dashboard (``views_mxp.mission_dashboard``, unrouted in C and V).

    ``available_missions`` are the missions the library's ceiling admits that
    the learner has neither started nor completed; ``in_progress`` and
    ``completed`` are the admitted missions with those ids (the host knows the
    learner's submissions); ``next_mission`` is the library's next mission id.
    ``locked_missions`` is empty: the library lists only what it admits.

    Args:
        outcome: what :func:`profiler_core.services.missions_for_learner` returned.
        track: the learner's track slug, as the platform shows it.
        tier: the learner's tier.
        mission_rows: as for :func:`student_missions_body`.
        in_progress: ids of the learner's missions in progress.
        completed: ids of the learner's completed missions.
        plan: what :func:`profiler_core.services.mission_plan` returned: adds
            ``plan`` (:func:`mission_plan_json`), and ``next_mission`` is the
            plan's first mission (never one the learner completed).
    """
    items = _missions(outcome, mission_rows or {})
    _lock(items, plan)
    started, done = set(in_progress), set(completed)
    next_mission = outcome.result.next_mission
    body: dict[str, JSON] = {
        "track": track,
        "tier": tier,
        "available_missions": [m for m in items if m["id"] not in started | done],
        "locked_missions": [],
        "in_progress": [m for m in items if m["id"] in started],
        "completed": [m for m in items if m["id"] in done],
        "recommended_recipes": [],
        "next_mission": None if next_mission is None else str(next_mission.id),
        **_ceiling(outcome),
    }
    if plan is not None:
        planned = plan.plan.next_mission
        body["next_mission"] = None if planned is None else str(planned.id)
        body["plan"] = mission_plan_json(plan)
    return OchResponse(status=200, body=body)

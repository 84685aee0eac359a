"""Recipe engine (SPEC §4): the learner's skill gaps and the recipes that close them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from fastapi_host.auth import CurrentPrincipal
from fastapi_host.dependencies import Recipes, Sessions
from fastapi_host.errors import errors
from profiler_core.fastapi import library_model
from profiler_core.services import ProfilerRecommendations, profiler_recommendations

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/recipes", tags=["recipes"])


@router.get(
    "/profiler-recommendations",
    response_model=library_model(ProfilerRecommendations),
    responses=errors(400, 401, 503),
    summary="The learner's skill gaps from the profiler, and the recipes that close them",
)
def profiler_recommendations_endpoint(
    *,
    viewer: CurrentPrincipal,
    sessions: Sessions,
    recipes: Recipes,
    limit: Annotated[int, Query(ge=0, le=50, description="How many recipes at most.")] = 10,
) -> ProfilerRecommendations:
    """``profiler_recommendations``; without a completed profiler: popular recipes, labelled as fallback."""
    return profiler_recommendations(viewer.user_id, sessions=sessions, recipes=recipes, limit=limit)

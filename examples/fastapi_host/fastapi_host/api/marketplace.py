"""Marketplace (SPEC §8): the learner's talent matches."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from fastapi_host.auth import CurrentPrincipal
from fastapi_host.dependencies import Jobs, Now, Recipes, Sessions, Talent
from fastapi_host.errors import errors
from profiler_core.fastapi import library_model
from profiler_core.services import TalentMatches, talent_matches

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/marketplace", tags=["marketplace"])


@router.get(
    "/talent-matches",
    response_model=library_model(TalentMatches),
    responses=errors(400, 401, 503),
    summary="The learner's best open jobs, each with its explainable match",
)
def talent_matches_endpoint(
    *,
    viewer: CurrentPrincipal,
    sessions: Sessions,
    jobs: Jobs,
    talent: Talent,
    recipes: Recipes,
    now: Now,
    limit: Annotated[int, Query(ge=1, le=50, description="How many matches.")] = 10,
) -> TalentMatches:
    """``talent_matches``; without a completed profiler the status is ``profiler_incomplete`` (200).

    Missing skills link to the recipes that teach them (the recipe port).
    """
    return talent_matches(
        viewer.user_id, sessions=sessions, jobs=jobs, talent=talent, now=now, recipes=recipes, limit=limit
    )

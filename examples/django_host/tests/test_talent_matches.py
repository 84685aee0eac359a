"""Talent matches, the non-degraded path end to end: a missing skill links to the recipes that teach it.

Issue 11: the view passed a bound method where the recipe repository was expected, so every
answer was degraded (``recipes_unavailable``) and no missing skill was ever linked to a recipe.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from profiler_host import loading, models
from profiler_host import och_fixture as f

from tests.conftest import Get

pytestmark = pytest.mark.django_db

#: An open job the fixture's mentee (DFIR, Malware Analysis, SOAR) half covers: Log Analysis is missing.
JOB = uuid.UUID("5d0c1f2a-7b3e-4c4d-9e5f-6a7b8c9d0e1f")
#: The fixture's "Triage with log analysis" recipe (skill codes LOG_ANALYSIS, CLI_TOOLS).
LOG_ANALYSIS_RECIPE = "a1b2c3d4-0002-4000-8000-000000000002"


@pytest.fixture
def job(och: None) -> None:
    """The OCH fixture plus one open job requiring DFIR and Log Analysis."""
    loading.insert(
        models.JobPosting,
        [
            {
                "id": JOB,
                "employer_id": f.EMPLOYERS[0]["id"],
                "title": "SOC analyst",
                "job_type": "full_time",
                "required_skills": ["DFIR", "Log Analysis"],
                "is_active": True,
                "posted_at": datetime(2026, 1, 7, tzinfo=UTC),
                "application_deadline": None,
            }
        ],
    )


@pytest.mark.parametrize(
    "path", ["/api/v1/marketplace/talent-matches", "/api/v1/marketplace/talent-matches/profiler"]
)
def test_a_missing_skill_links_to_the_recipe_that_teaches_it(job: None, get: Get, path: str) -> None:
    """200, not degraded; the job's match names Log Analysis missing and the log-analysis recipe for it."""
    response = get(path, f.MENTEE)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["degraded"] is False
    assert "recipes_unavailable" not in [r["code"] for r in body["reasons"]]
    (match,) = [m["match"] for m in body["matches"] if m["job_id"] == str(JOB)]
    assert (match["matched_skills"], match["missing_skills"]) == (["DFIR"], ["Log Analysis"])
    assert [(s["skill"], [r["id"] for r in s["recipes"]]) for s in match["skill_recipes"]] == [
        ("Log Analysis", [LOG_ANALYSIS_RECIPE])
    ]

"""``manage.py load_sample_platform``: the OCH fixture in the real tables, served by the API."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from profiler_host import models
from profiler_host import och_fixture as f

from tests.conftest import Get

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_sample_platform", stdout=out)
    return out.getvalue()


class TestLoadSamplePlatform:
    def test_loads_every_table(self) -> None:
        """Every fixture row becomes one row of its table."""
        load()
        assert models.User.objects.count() == len(f.USERS)
        assert models.ProfilerSession.objects.count() == len(f.PROFILER_SESSIONS)
        assert models.ProfilerResult.objects.count() == len(f.PROFILER_RESULTS)
        assert models.Mission.objects.count() == len(f.MISSIONS)
        assert models.Recipe.objects.count() == len(f.RECIPES)
        assert models.Cohort.objects.count() == len(f.COHORTS)
        assert models.Enrollment.objects.count() == len(f.ENROLLMENTS)
        assert models.MenteeMentorAssignment.objects.count() == len(f.MENTEE_MENTOR_ASSIGNMENTS)
        assert models.CohortMentorAssignment.objects.count() == len(f.COHORT_MENTOR_ASSIGNMENTS)
        assert models.UserRole.objects.count() == len(f.USER_ROLES)
        assert models.JobPosting.objects.count() == len(f.JOB_POSTINGS)
        assert models.MarketplaceProfile.objects.count() == len(f.MARKETPLACE_PROFILES)

    def test_composes_one_statement_per_profiled_learner(self) -> None:
        """Learners 16 and 28 (completed sessions) each own exactly one statement; 30 and 31 none."""
        load()
        owners = sorted(
            models.PortfolioItem.objects.exclude(statement_owner=None).values_list(
                "statement_owner_id", flat=True
            )
        )
        assert owners == [16, 28]

    def test_loading_twice_replaces_instead_of_duplicating(self) -> None:
        """A second run leaves the same row counts (it replaces the platform's rows)."""
        load()
        load()
        assert models.ProfilerSession.objects.count() == len(f.PROFILER_SESSIONS)
        assert models.PortfolioItem.objects.count() == len(f.PORTFOLIO_ITEMS) + 1  # 28's new statement

    def test_reports_who_to_call_the_api_as(self) -> None:
        """The output names the users to put in X-User-Id."""
        output = load()
        assert "X-User-Id: 16" in output
        assert "4 (mentor)" in output

    def test_the_api_is_populated(self, get: Get) -> None:
        """After loading, learner 28's value statement answers 200 (the command composed it)."""
        load()
        assert get("/api/v1/profiler/value-statement", f.COHORT_MENTEE).status_code == 200

"""``manage.py load_sample_platform``: the library's sample platform, served by the API."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from profiler_host import models

from profiler_core.demo.sample import SamplePlatform
from tests.conftest import Get

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_sample_platform", *args, stdout=out)
    return out.getvalue()


class TestLoadSamplePlatform:
    def test_loads_every_table(self, platform: SamplePlatform) -> None:
        """Every value of the sample platform becomes one row of its table."""
        load()
        assert models.ProfilerSession.objects.count() == len(platform.sessions)
        assert models.ProfilerResult.objects.count() == len(platform.results)
        assert models.Mission.objects.count() == len(platform.missions)
        assert models.Recipe.objects.count() == len(platform.recipes)
        assert models.Cohort.objects.count() == len(platform.cohorts)
        assert models.Enrollment.objects.count() == len(platform.enrollments)
        assert models.MentorAssignment.objects.count() == len(platform.assignments)
        assert models.RoleGrant.objects.count() == sum(len(p.roles) for p in platform.principals)
        assert models.JobPosting.objects.count() == len(platform.jobs)
        assert models.TalentProfile.objects.count() == len(platform.talent)

    def test_composes_one_statement_per_profiled_learner(self, platform: SamplePlatform) -> None:
        """Every learner with a completed session gets exactly one value statement."""
        load()
        profiled = {s.user_id for s in platform.sessions if s.is_completed}
        owners = list(models.PortfolioItem.objects.values_list("statement_owner_id", flat=True))
        assert sorted(owners) == sorted(profiled)

    def test_loading_twice_replaces_instead_of_duplicating(self, platform: SamplePlatform) -> None:
        """A second run leaves the same row counts (it replaces the platform's rows)."""
        load()
        load()
        assert models.ProfilerSession.objects.count() == len(platform.sessions)
        assert models.PortfolioItem.objects.count() == len(
            {s.user_id for s in platform.sessions if s.is_completed}
        )

    def test_reports_who_to_call_the_api_as(self) -> None:
        """The output names the principals to put in X-User-Id."""
        output = load()
        assert "mentor-ada" in output
        assert "admin-gus" in output

    def test_the_api_is_populated(self, get: Get) -> None:
        """After loading, a learner's mission list and value statement are served."""
        load()
        assert get("/api/v1/student/missions", "learner-001").json()["result"]["missions"]
        assert get("/api/v1/profiler/value-statement", "learner-001").status_code == 200

    def test_seed_and_size_are_options(self) -> None:
        """--learners sets the population."""
        load("--seed", "3", "--learners", "6")
        assert models.ProfilerSession.objects.values("user_id").distinct().count() == 6

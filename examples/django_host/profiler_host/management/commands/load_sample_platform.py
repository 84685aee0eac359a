"""``python manage.py load_sample_platform``: the OCH fixture in the real tables, in one command."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from profiler_host import och_fixture
from profiler_host.hooks import sync_all_value_statements
from profiler_host.loading import load_och_fixture


class Command(BaseCommand):
    """Replace the platform tables' rows with the OCH fixture (:mod:`profiler_host.och_fixture`)."""

    help = "Load the OCH fixture rows (real table shapes) into the database, replacing its rows."

    def handle(self, *args: Any, **options: Any) -> None:
        """Load the rows, bring every value statement up to date, and print who to call the API as."""
        load_och_fixture()
        synced = sync_all_value_statements()
        self.stdout.write(
            f"Loaded {len(och_fixture.USERS)} users, {len(och_fixture.PROFILER_SESSIONS)} profiler sessions, "
            f"{len(och_fixture.MISSIONS)} missions, {len(och_fixture.RECIPES)} recipes, "
            f"{len(och_fixture.COHORTS)} cohorts, {len(och_fixture.JOB_POSTINGS)} job postings; "
            f"{sum(s.entry is not None for s in synced)} value statements."
        )
        self.stdout.write(
            "Call the API with X-User-Id: 16 or 28 (learners), 4 (mentor), 2 (programme director), "
            "1 (staff), 5 (sponsor admin)."
        )

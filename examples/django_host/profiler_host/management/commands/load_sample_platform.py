"""``python manage.py load_sample_platform [--seed 7] [--learners 24]``: a populated API in one command."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from profiler_core.demo.sample import build_sample_platform
from profiler_host.hooks import sync_all_value_statements
from profiler_host.loading import load_platform


class Command(BaseCommand):
    """Replace the platform tables with the library's deterministic sample platform."""

    help = "Load profiler_core.demo.sample.build_sample_platform() into the database (replacing its rows)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        """``--seed`` and ``--learners``, as in :func:`build_sample_platform`."""
        parser.add_argument("--seed", type=int, default=7, help="sample seed (default 7)")
        parser.add_argument("--learners", type=int, default=24, help="number of learners (default 24)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Load the platform, compose every value statement, and print who to call the API as."""
        platform = build_sample_platform(options["seed"], learners=options["learners"])
        load_platform(platform)
        synced = sync_all_value_statements(now=platform.now)
        self.stdout.write(
            f"Loaded {len(platform.learners)} learners, {len(platform.sessions)} sessions, "
            f"{len(platform.missions)} missions, {len(platform.recipes)} recipes, "
            f"{len(platform.cohorts)} cohorts, {len(platform.jobs)} jobs; "
            f"{sum(s.entry is not None for s in synced)} value statements."
        )
        self.stdout.write("Call the API as one of: " + ", ".join(p.user_id for p in platform.principals))

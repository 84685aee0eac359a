"""The library's contract checks, run against the host's adapters over the real OCH tables.

Each factory empties the tables, writes the contract's values as the rows
the platform would hold (``tests/contract_rows.py``), and returns the adapter
the views use, seen through the contract's ids (the real tables key users by
bigint and everything else by UUID; see :class:`tests.contract_rows.Keys`).

Not run here, because their scenarios hold values the real tables cannot
(reported to the library, issue 13): the session and cohort-analytics
contracts (results with no ``aptitude_score``/``behavioral_score``;
``profilerresults`` scores are NOT NULL), the value-statement-source contract
(entries without ``created_at``; NOT NULL on ``portfolio_items``), the job
contract (a posting's ``track`` and ``level``; ``marketplace_job_postings`` has
neither) and the mentor-assignment contract (``expires_at``, a track-typed
assignment naming no mentee, and statuses other than active on cohort rows,
which ``mentor_assignments`` holds as an ``active`` boolean). The session,
cohort, enrollment and assignment adapters are exercised on real rows by
``test_och_endpoints.py`` and ``test_query_counts.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from profiler_host import adapters, loading

import profiler_core as pc
from profiler_core.testing import contracts
from tests import contract_rows as rows

pytestmark = pytest.mark.django_db


def _fresh() -> rows.Keys:
    loading.clear_platform()
    return rows.Keys()


def missions_factory(missions: Sequence[pc.Mission]) -> Any:
    """``missions`` holding exactly the missions."""
    keys = _fresh()
    rows.add_missions(keys, missions)
    return rows.Translated(adapters.DjangoMissionRepository(), keys)


def recipes_factory(recipes: Sequence[pc.Recipe]) -> Any:
    """``recipes`` holding exactly the recipes."""
    keys = _fresh()
    rows.add_recipes(keys, recipes)
    return rows.Translated(adapters.DjangoRecipeRepository(), keys)


def enrollments_factory(enrollments: Sequence[pc.Enrollment]) -> Any:
    """``enrollments`` (and bare cohorts) holding exactly the enrollments."""
    keys = _fresh()
    rows.add_cohorts(keys, [], [e.cohort_id for e in enrollments])
    rows.add_enrollments(keys, enrollments)
    return rows.Translated(adapters.DjangoEnrollmentRepository(), keys)


def cohorts_factory(cohorts: Sequence[pc.Cohort]) -> Any:
    """``cohorts`` and ``sponsor_cohort_assignments`` holding exactly the cohorts."""
    keys = _fresh()
    rows.add_cohorts(keys, cohorts)
    return rows.Translated(adapters.DjangoCohortRepository(), keys)


def portfolio_factory(entries: Sequence[pc.PortfolioEntry]) -> Any:
    """``portfolio_items`` holding exactly the entries (keyed by each learner's ``uuid_id``)."""
    keys = _fresh()
    rows.add_portfolio(keys, entries)
    return rows.Translated(adapters.DjangoPortfolioRepository(), keys)


def talent_factory(profiles: Sequence[pc.TalentProfile]) -> Any:
    """``marketplace_profiles`` holding exactly the profiles."""
    keys = _fresh()
    rows.add_talent(keys, profiles)
    return rows.Translated(adapters.DjangoTalentProfileRepository(), keys)


class TestContracts:
    def test_mission_repository(self) -> None:
        """DjangoMissionRepository honours the MissionRepository contract on ``missions`` rows."""
        contracts.check_mission_repository(missions_factory)

    def test_recipe_repository(self) -> None:
        """DjangoRecipeRepository honours the RecipeRepository contract (normalised codes, popularity)."""
        contracts.check_recipe_repository(recipes_factory)

    def test_enrollment_repository(self) -> None:
        """DjangoEnrollmentRepository honours the EnrollmentRepository contract."""
        contracts.check_enrollment_repository(enrollments_factory)

    def test_cohort_repository(self) -> None:
        """DjangoCohortRepository honours the CohortRepository contract (sponsors; never every cohort)."""
        contracts.check_cohort_repository(cohorts_factory)

    def test_portfolio_repository(self) -> None:
        """DjangoPortfolioRepository honours the PortfolioRepository contract (unique key, CAS update)."""
        contracts.check_portfolio_repository(portfolio_factory)

    def test_talent_profile_repository(self) -> None:
        """DjangoTalentProfileRepository honours the TalentProfileRepository contract (``mentee_id``)."""
        contracts.check_talent_profile_repository(talent_factory)

"""The library's own contract checks, run against the Django adapters (real SQL, real rows).

Each factory empties the tables, inserts exactly the values the contract
hands it through the models' ``from_domain``, and returns the adapter the
views use.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pytest
from profiler_host import adapters, loading, models

import profiler_core as pc
from profiler_core.testing import contracts

pytestmark = pytest.mark.django_db


def sessions_factory(
    sessions: Sequence[pc.ProfilerSession], results: Sequence[pc.ProfilerResult]
) -> adapters.DjangoSessionRepository:
    """Fresh tables holding exactly *sessions* and *results*."""
    loading.clear_platform()
    loading.add_sessions(sessions, results)
    return adapters.DjangoSessionRepository()


def missions_factory(missions: Sequence[pc.Mission]) -> adapters.DjangoMissionRepository:
    """Fresh tables holding exactly *missions*."""
    loading.clear_platform()
    loading.add_missions(missions)
    return adapters.DjangoMissionRepository()


def recipes_factory(recipes: Sequence[pc.Recipe]) -> adapters.DjangoRecipeRepository:
    """Fresh tables holding exactly *recipes* (and their skill-code index)."""
    loading.clear_platform()
    loading.add_recipes(recipes)
    return adapters.DjangoRecipeRepository()


def assignments_factory(
    assignments: Sequence[pc.MentorAssignment],
) -> adapters.DjangoMentorAssignmentRepository:
    """Fresh tables holding exactly *assignments* (and the cohorts they name)."""
    loading.clear_platform()
    cohort_ids = sorted({a.cohort_id for a in assignments if a.cohort_id is not None})
    loading.add_cohorts([pc.Cohort(id=c, name=c) for c in cohort_ids])
    loading.add_assignments(assignments)
    return adapters.DjangoMentorAssignmentRepository()


def enrollments_factory(enrollments: Sequence[pc.Enrollment]) -> adapters.DjangoEnrollmentRepository:
    """Fresh tables holding exactly *enrollments* (and their cohorts)."""
    loading.clear_platform()
    cohort_ids = sorted({e.cohort_id for e in enrollments})
    loading.add_cohorts([pc.Cohort(id=c, name=c) for c in cohort_ids], enrollments)
    return adapters.DjangoEnrollmentRepository()


def cohorts_factory(cohorts: Sequence[pc.Cohort]) -> adapters.DjangoCohortRepository:
    """Fresh tables holding exactly *cohorts*."""
    loading.clear_platform()
    loading.add_cohorts(cohorts)
    return adapters.DjangoCohortRepository()


class SignedUpPortfolioRepository(adapters.DjangoPortfolioRepository):
    """The adapter, for a contract whose new learners appear from nowhere: their user row is made first.

    On the platform a learner signs up before they own a portfolio entry; the
    contract only names them, and ``portfolio_items.user_id`` is a foreign key.
    """

    def save_entry(
        self, entry: pc.PortfolioEntry, *, replacing: pc.PortfolioEntry | None
    ) -> pc.PortfolioEntry | None:
        """Create the learner's user if missing, then save as the adapter does."""
        loading.ensure_users([entry.user_id])
        return super().save_entry(entry, replacing=replacing)


def portfolio_factory(entries: Sequence[pc.PortfolioEntry]) -> adapters.DjangoPortfolioRepository:
    """Fresh tables holding exactly *entries* (and the sessions they link to)."""
    loading.clear_platform()
    # The linked sessions must exist (a foreign key); the first learner naming one owns it.
    linked = {e.profiler_session_id: e.user_id for e in reversed(entries) if e.profiler_session_id}
    loading.add_sessions(
        [
            pc.ProfilerSession(id=sid, user_id=user, status=pc.SessionStatus.FINISHED)
            for sid, user in linked.items()
        ]
    )
    loading.add_portfolio_entries(entries)
    return SignedUpPortfolioRepository()


def jobs_factory(jobs: Sequence[pc.JobPosting]) -> adapters.DjangoJobRepository:
    """Fresh tables holding exactly *jobs*."""
    loading.clear_platform()
    loading.add_jobs(jobs)
    return adapters.DjangoJobRepository()


def talent_factory(profiles: Sequence[pc.TalentProfile]) -> adapters.DjangoTalentProfileRepository:
    """Fresh tables holding exactly *profiles*."""
    loading.clear_platform()
    loading.add_talent(profiles)
    return adapters.DjangoTalentProfileRepository()


def analytics_factory(
    cohorts: Sequence[pc.Cohort],
    enrollments: Sequence[pc.Enrollment],
    sessions: Sequence[pc.ProfilerSession],
    results: Sequence[pc.ProfilerResult],
) -> adapters.DjangoCohortAnalyticsRepository:
    """Fresh tables holding exactly the cohorts, enrollments, sessions and results."""
    loading.clear_platform()
    loading.add_cohorts(cohorts, enrollments)
    loading.add_sessions(sessions, results)
    return adapters.DjangoCohortAnalyticsRepository()


class TestMissionsContracts:
    def test_session_repository(self) -> None:
        """DjangoSessionRepository honours the SessionRepository contract."""
        contracts.check_session_repository(sessions_factory)

    def test_mission_repository(self) -> None:
        """DjangoMissionRepository honours the MissionRepository contract."""
        contracts.check_mission_repository(missions_factory)


class TestRecipesContracts:
    def test_recipe_repository(self) -> None:
        """DjangoRecipeRepository honours the RecipeRepository contract (normalised codes, popularity)."""
        contracts.check_recipe_repository(recipes_factory)


class TestAccessContracts:
    def test_mentor_assignment_repository(self) -> None:
        """DjangoMentorAssignmentRepository honours the MentorAssignmentRepository contract."""
        contracts.check_mentor_assignment_repository(assignments_factory)

    def test_enrollment_repository(self) -> None:
        """DjangoEnrollmentRepository honours the EnrollmentRepository contract."""
        contracts.check_enrollment_repository(enrollments_factory)

    def test_cohort_repository(self) -> None:
        """DjangoCohortRepository honours the CohortRepository contract (never every cohort)."""
        contracts.check_cohort_repository(cohorts_factory)

    def test_value_statement_source(self) -> None:
        """DjangoPortfolioRepository honours the ValueStatementSource contract."""
        contracts.check_value_statement_source(portfolio_factory)


class TestPortfolioContracts:
    def test_portfolio_repository(self) -> None:
        """DjangoPortfolioRepository honours the PortfolioRepository contract (unique key, CAS update)."""
        contracts.check_portfolio_repository(portfolio_factory)

    def test_a_replace_never_writes_over_another_learners_row(self) -> None:
        """Learner B's entry replacing learner A's (same id) writes nothing: the owner is in the guard."""
        theirs = pc.PortfolioEntry(
            id=pc.EntryId("e-1"),
            user_id=pc.UserId("u-a"),
            title="My Value Statement",
            summary="A's own words.",
            item_type="reflection",
            status="approved",
            visibility=pc.Visibility.PRIVATE,
        )
        repository = portfolio_factory([theirs])
        loading.ensure_users(["u-b"])
        forged = attrs.evolve(theirs, user_id=pc.UserId("u-b"), summary="B's words.")
        assert repository.save_entry(forged, replacing=theirs) is None
        stored = models.PortfolioItem.objects.values("user_id", "summary").get(pk="e-1")
        assert stored == {"user_id": "u-a", "summary": "A's own words."}


class TestMarketplaceContracts:
    def test_job_repository(self) -> None:
        """DjangoJobRepository honours the JobRepository contract (deadlines against now)."""
        contracts.check_job_repository(jobs_factory)

    def test_talent_profile_repository(self) -> None:
        """DjangoTalentProfileRepository honours the TalentProfileRepository contract (search consent)."""
        contracts.check_talent_profile_repository(talent_factory)


class TestAnalyticsContracts:
    def test_cohort_analytics_repository(self) -> None:
        """DjangoCohortAnalyticsRepository honours the CohortAnalyticsRepository contract."""
        contracts.check_cohort_analytics_repository(analytics_factory)

"""The library's contract checks, run against this host's sqlite3 repositories."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence

import pytest
from fastapi_host.db import connect, create_schema, insert_values
from fastapi_host.repositories import (
    SqliteCohortAnalyticsRepository,
    SqliteCohortRepository,
    SqliteEnrollmentRepository,
    SqliteJobRepository,
    SqliteMentorAssignmentRepository,
    SqliteMissionRepository,
    SqlitePortfolioRepository,
    SqliteRecipeRepository,
    SqliteSessionRepository,
    SqliteTalentProfileRepository,
)

from profiler_core import (
    Cohort,
    Enrollment,
    JobPosting,
    MentorAssignment,
    Mission,
    PortfolioEntry,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    TalentProfile,
)
from profiler_core.testing import contracts

Database = Callable[[], sqlite3.Connection]


@pytest.fixture
def database() -> Iterator[Database]:
    """Opens fresh in-memory databases with the host's schema; closes them all afterwards."""
    opened: list[sqlite3.Connection] = []

    def open_database() -> sqlite3.Connection:
        connection = connect(":memory:")
        create_schema(connection)
        opened.append(connection)
        return connection

    yield open_database
    for connection in opened:
        connection.close()


class TestMissionsContracts:
    def test_session_repository(self, database: Database) -> None:
        """SqliteSessionRepository honours the SessionRepository contract."""

        def factory(
            sessions: Sequence[ProfilerSession], results: Sequence[ProfilerResult]
        ) -> SqliteSessionRepository:
            connection = database()
            insert_values(connection, "profiler_sessions", sessions)
            insert_values(connection, "profiler_results", results)
            return SqliteSessionRepository(connection)

        contracts.check_session_repository(factory)

    def test_mission_repository(self, database: Database) -> None:
        """SqliteMissionRepository honours the MissionRepository contract."""

        def factory(missions: Sequence[Mission]) -> SqliteMissionRepository:
            connection = database()
            insert_values(connection, "missions", missions)
            return SqliteMissionRepository(connection)

        contracts.check_mission_repository(factory)


class TestRecipesContracts:
    def test_recipe_repository(self, database: Database) -> None:
        """SqliteRecipeRepository honours the RecipeRepository contract."""

        def factory(recipes: Sequence[Recipe]) -> SqliteRecipeRepository:
            connection = database()
            insert_values(connection, "recipes", recipes)
            return SqliteRecipeRepository(connection)

        contracts.check_recipe_repository(factory)


class TestAccessContracts:
    def test_mentor_assignment_repository(self, database: Database) -> None:
        """SqliteMentorAssignmentRepository honours the MentorAssignmentRepository contract."""

        def factory(assignments: Sequence[MentorAssignment]) -> SqliteMentorAssignmentRepository:
            connection = database()
            insert_values(connection, "mentor_assignments", assignments)
            return SqliteMentorAssignmentRepository(connection)

        contracts.check_mentor_assignment_repository(factory)

    def test_enrollment_repository(self, database: Database) -> None:
        """SqliteEnrollmentRepository honours the EnrollmentRepository contract."""

        def factory(enrollments: Sequence[Enrollment]) -> SqliteEnrollmentRepository:
            connection = database()
            # enrollments.cohort_id is a foreign key: the scenario's cohorts exist, nameless.
            connection.executemany(
                "INSERT OR IGNORE INTO cohorts (id, name) VALUES (?, '')",
                [(e.cohort_id,) for e in enrollments],
            )
            insert_values(connection, "enrollments", enrollments)
            return SqliteEnrollmentRepository(connection)

        contracts.check_enrollment_repository(factory)

    def test_cohort_repository(self, database: Database) -> None:
        """SqliteCohortRepository honours the CohortRepository contract."""

        def factory(cohorts: Sequence[Cohort]) -> SqliteCohortRepository:
            connection = database()
            insert_values(connection, "cohorts", cohorts)
            return SqliteCohortRepository(connection)

        contracts.check_cohort_repository(factory)

    def test_value_statement_source(self, database: Database) -> None:
        """SqlitePortfolioRepository also honours the ValueStatementSource contract."""

        def factory(entries: Sequence[PortfolioEntry]) -> SqlitePortfolioRepository:
            connection = database()
            insert_values(connection, "portfolio_items", entries)
            return SqlitePortfolioRepository(connection)

        contracts.check_value_statement_source(factory)


class TestAnalyticsContracts:
    def test_cohort_analytics_repository(self, database: Database) -> None:
        """SqliteCohortAnalyticsRepository honours the CohortAnalyticsRepository contract."""

        def factory(
            cohorts: Sequence[Cohort],
            enrollments: Sequence[Enrollment],
            sessions: Sequence[ProfilerSession],
            results: Sequence[ProfilerResult],
        ) -> SqliteCohortAnalyticsRepository:
            connection = database()
            insert_values(connection, "cohorts", cohorts)
            insert_values(connection, "enrollments", enrollments)
            insert_values(connection, "profiler_sessions", sessions)
            insert_values(connection, "profiler_results", results)
            return SqliteCohortAnalyticsRepository(connection)

        contracts.check_cohort_analytics_repository(factory)


class TestPortfolioContracts:
    def test_portfolio_repository(self, database: Database) -> None:
        """SqlitePortfolioRepository honours the PortfolioRepository contract (legacy duplicates included)."""

        def factory(entries: Sequence[PortfolioEntry]) -> SqlitePortfolioRepository:
            connection = database()
            insert_values(connection, "portfolio_items", entries)
            return SqlitePortfolioRepository(connection)

        contracts.check_portfolio_repository(factory)


class TestMarketplaceContracts:
    def test_job_repository(self, database: Database) -> None:
        """SqliteJobRepository honours the JobRepository contract."""

        def factory(jobs: Sequence[JobPosting]) -> SqliteJobRepository:
            connection = database()
            insert_values(connection, "job_postings", jobs)
            return SqliteJobRepository(connection)

        contracts.check_job_repository(factory)

    def test_talent_profile_repository(self, database: Database) -> None:
        """SqliteTalentProfileRepository honours the TalentProfileRepository contract."""

        def factory(profiles: Sequence[TalentProfile]) -> SqliteTalentProfileRepository:
            connection = database()
            insert_values(connection, "talent_profiles", profiles)
            return SqliteTalentProfileRepository(connection)

        contracts.check_talent_profile_repository(factory)

"""Per-request dependencies: one connection, the repositories over it, and ``now``.

FastAPI caches a dependency within one request, so every repository of a
request shares the one connection :func:`get_connection` opens, and the
connection is closed when the response has been sent. Tests replace any
provider (``get_connection``, ``portfolio_repository``...) with
``app.dependency_overrides``, e.g. with the library's ``FailingRepository``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from fastapi_host.db import connect
from fastapi_host.repositories import (
    SqliteAuditSink,
    SqliteCohortAnalyticsRepository,
    SqliteCohortRepository,
    SqliteEnrollmentRepository,
    SqliteJobRepository,
    SqliteMentorAssignmentRepository,
    SqliteMissionProgressRepository,
    SqliteMissionRepository,
    SqlitePortfolioRepository,
    SqliteRecipeRepository,
    SqliteSessionRepository,
    SqliteTalentProfileRepository,
)

__all__ = [
    "get_connection",
    "get_now",
    "Connection",
    "session_repository",
    "mission_repository",
    "recipe_repository",
    "assignment_repository",
    "enrollment_repository",
    "cohort_repository",
    "audit_sink",
    "analytics_repository",
    "portfolio_repository",
    "job_repository",
    "talent_repository",
    "Now",
    "Sessions",
    "Missions",
    "Progress",
    "Recipes",
    "Assignments",
    "Enrollments",
    "Cohorts",
    "Audit",
    "Analytics",
    "Portfolio",
    "Jobs",
    "Talent",
]


def get_connection(request: Request) -> Iterator[sqlite3.Connection]:
    """One connection per request, closed after the response."""
    connection = connect(request.app.state.db_path)
    try:
        yield connection
    finally:
        connection.close()


def get_now(request: Request) -> datetime:
    """The request's ``now``: the library never reads the clock, the host passes it in."""
    now: datetime = request.app.state.clock()
    return now


Connection = Annotated[sqlite3.Connection, Depends(get_connection)]
Now = Annotated[datetime, Depends(get_now)]


def session_repository(connection: Connection) -> SqliteSessionRepository:
    """The SessionRepository port over the request's connection."""
    return SqliteSessionRepository(connection)


def mission_repository(connection: Connection) -> SqliteMissionRepository:
    """The MissionRepository port over the request's connection."""
    return SqliteMissionRepository(connection)


def progress_repository(connection: Connection) -> SqliteMissionProgressRepository:
    """The MissionProgressRepository port over the request's connection."""
    return SqliteMissionProgressRepository(connection)


def recipe_repository(connection: Connection) -> SqliteRecipeRepository:
    """The RecipeRepository port over the request's connection."""
    return SqliteRecipeRepository(connection)


def assignment_repository(connection: Connection) -> SqliteMentorAssignmentRepository:
    """The MentorAssignmentRepository port over the request's connection."""
    return SqliteMentorAssignmentRepository(connection)


def enrollment_repository(connection: Connection) -> SqliteEnrollmentRepository:
    """The EnrollmentRepository port over the request's connection."""
    return SqliteEnrollmentRepository(connection)


def cohort_repository(connection: Connection) -> SqliteCohortRepository:
    """The CohortRepository port over the request's connection."""
    return SqliteCohortRepository(connection)


def audit_sink(connection: Connection) -> SqliteAuditSink:
    """The AuditSink port over the request's connection."""
    return SqliteAuditSink(connection)


def analytics_repository(connection: Connection) -> SqliteCohortAnalyticsRepository:
    """The CohortAnalyticsRepository port over the request's connection."""
    return SqliteCohortAnalyticsRepository(connection)


def portfolio_repository(connection: Connection) -> SqlitePortfolioRepository:
    """The PortfolioRepository (and ValueStatementSource) port over the request's connection."""
    return SqlitePortfolioRepository(connection)


def job_repository(connection: Connection) -> SqliteJobRepository:
    """The JobRepository port over the request's connection."""
    return SqliteJobRepository(connection)


def talent_repository(connection: Connection) -> SqliteTalentProfileRepository:
    """The TalentProfileRepository port over the request's connection."""
    return SqliteTalentProfileRepository(connection)


Sessions = Annotated[SqliteSessionRepository, Depends(session_repository)]
Missions = Annotated[SqliteMissionRepository, Depends(mission_repository)]
Progress = Annotated[SqliteMissionProgressRepository, Depends(progress_repository)]
Recipes = Annotated[SqliteRecipeRepository, Depends(recipe_repository)]
Assignments = Annotated[SqliteMentorAssignmentRepository, Depends(assignment_repository)]
Enrollments = Annotated[SqliteEnrollmentRepository, Depends(enrollment_repository)]
Cohorts = Annotated[SqliteCohortRepository, Depends(cohort_repository)]
Audit = Annotated[SqliteAuditSink, Depends(audit_sink)]
Analytics = Annotated[SqliteCohortAnalyticsRepository, Depends(analytics_repository)]
Portfolio = Annotated[SqlitePortfolioRepository, Depends(portfolio_repository)]
Jobs = Annotated[SqliteJobRepository, Depends(job_repository)]
Talent = Annotated[SqliteTalentProfileRepository, Depends(talent_repository)]

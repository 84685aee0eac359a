"""Load the library's deterministic sample platform into the host's database.

:func:`load_sample_platform` inserts every value of
:func:`profiler_core.demo.sample.build_sample_platform` through the same codec
the repositories read with, so the API serves the platform the library's demo
report describes. The sample's timeline is anchored at
:data:`~profiler_core.demo.sample.SAMPLE_NOW`: pin ``now`` to it (the tests do,
and the README's run command sets ``PROFILER_HOST_NOW``).
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from fastapi_host.db import connect, create_schema, insert_values
from fastapi_host.profiling_service import IDENTITY_QUESTIONS, store_questions
from fastapi_host.repositories import SqlitePortfolioRepository, SqliteSessionRepository
from profiler_core.demo.sample import SamplePlatform, build_sample_platform
from profiler_core.services import sync_value_statements

__all__ = ["load_sample_platform"]


def load_sample_platform(db_path: str | Path, *, seed: int = 7, learners: int = 24) -> SamplePlatform:
    """Create the schema at *db_path* and insert the sample platform; returns it.

    Every learner and every principal becomes a ``users`` row; each principal's
    role grants become ``role_grants`` rows. Then the library's backfill,
    ``sync_value_statements``, gives every learner with a completed profiler
    their value-statement entry (as the completion hook would have). The OCH
    FastAPI service's identity questions (``IDENTITY_QUESTIONS``) go into
    ``profiling_questions``, so its completions' option letters resolve. Run it
    on an empty database.
    """
    platform = build_sample_platform(seed, learners=learners)
    with closing(connect(db_path)) as connection, connection:
        create_schema(connection)
        known = {p.user_id: p.is_staff for p in platform.principals}
        users = sorted({*platform.learners, *known})
        connection.executemany(
            "INSERT INTO users (id, is_staff) VALUES (?, ?)", [(u, int(known.get(u, False))) for u in users]
        )
        for principal in platform.principals:
            insert_values(connection, "role_grants", principal.roles, user_id=principal.user_id)
        insert_values(connection, "profiler_sessions", platform.sessions)
        insert_values(connection, "profiler_results", platform.results)
        insert_values(connection, "missions", platform.missions)
        insert_values(connection, "mission_assignments", platform.mission_assignments)
        insert_values(connection, "mission_submissions", platform.mission_submissions)
        connection.executemany(
            "INSERT INTO mission_points (learner_id, points) VALUES (?, ?)",
            sorted(platform.mission_points.items()),
        )
        insert_values(connection, "recipes", platform.recipes)
        insert_values(connection, "cohorts", platform.cohorts)
        insert_values(connection, "enrollments", platform.enrollments)
        insert_values(connection, "mentor_assignments", platform.assignments)
        insert_values(connection, "job_postings", platform.jobs)
        insert_values(connection, "talent_profiles", platform.talent)
        store_questions(connection, IDENTITY_QUESTIONS)
        sync_value_statements(
            platform.learners,
            sessions=SqliteSessionRepository(connection),
            portfolio=SqlitePortfolioRepository(connection),
            now=platform.now,
        )
    return platform

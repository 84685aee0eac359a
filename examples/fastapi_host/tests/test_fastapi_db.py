"""The row <-> value codec and the windowed 'latest completed session' query, as laws."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from fastapi_host.db import TABLES, connect, create_schema, insert_values
from fastapi_host.repositories import SqliteSessionRepository
from hypothesis import given, settings
from hypothesis import strategies as st

from profiler_core import Principal, ProfilerSession, RoleGrant, SessionId, UserId
from profiler_core.mapping import latest_completed_session
from profiler_core.testing import strategies as values


@pytest.fixture(scope="module")
def connection() -> Iterator[sqlite3.Connection]:
    """One in-memory database for the module; each example rolls its rows back."""
    database = connect(":memory:")
    create_schema(database)
    yield database
    database.close()


ROUND_TRIPS = [
    ("profiler_sessions", values.sessions()),
    ("profiler_results", values.results().filter(lambda r: r.session_id is not None)),
    ("missions", values.missions()),
    ("recipes", values.recipes()),
    ("cohorts", values.cohorts()),
    ("enrollments", values.enrollments()),
    ("mentor_assignments", values.mentor_assignments().filter(lambda a: a.id is not None)),
    ("job_postings", values.job_postings()),
    ("talent_profiles", values.talent_profiles()),
]


class TestCodec:
    @pytest.mark.parametrize(("table", "strategy"), ROUND_TRIPS, ids=[t for t, _ in ROUND_TRIPS])
    def test_stored_value_reads_back_equal(
        self, connection: sqlite3.Connection, table: str, strategy: st.SearchStrategy[object]
    ) -> None:
        """Any value written to its table and read back through structure() is the same value."""

        @settings(deadline=None)
        @given(strategy)
        def round_trip(value: object) -> None:
            connection.execute("PRAGMA foreign_keys = OFF")
            try:
                insert_values(connection, table, [value])
                row = connection.execute(f"SELECT * FROM {table}").fetchone()
                assert TABLES[table].load(row, type(value)) == value
            finally:
                connection.rollback()
                connection.execute("PRAGMA foreign_keys = ON")

        round_trip()

    def test_grants_round_trip_with_their_user(self, connection: sqlite3.Connection) -> None:
        """A principal's grants stored with its user id read back as the same grants."""

        @settings(deadline=None)
        @given(values.principals())
        def round_trip(principal: Principal) -> None:
            try:
                connection.execute("INSERT INTO users (id, is_staff) VALUES (?, 0)", (principal.user_id,))
                insert_values(connection, "role_grants", principal.roles, user_id=principal.user_id)
                rows = connection.execute(
                    "SELECT role, scope, scope_ref, is_active, expires_at FROM role_grants ORDER BY id"
                ).fetchall()
                assert tuple(TABLES["role_grants"].load(r, RoleGrant) for r in rows) == principal.roles
            finally:
                connection.rollback()

        round_trip()


class TestLatestCompletedSessions:
    @settings(deadline=None)
    @given(
        st.lists(
            values.sessions(user_id=st.sampled_from([UserId("u-1"), UserId("u-2"), UserId("u-3")])),
            max_size=12,
            unique_by=lambda s: s.id,
        )
    )
    def test_one_query_agrees_with_the_library(
        self, connection: sqlite3.Connection, sessions: list[ProfilerSession]
    ) -> None:
        """The windowed SQL picks, per learner, exactly the session latest_completed_session picks."""
        try:
            insert_values(connection, "profiler_sessions", sessions)
            users = [UserId("u-1"), UserId("u-2"), UserId("u-3"), UserId("u-absent")]
            got = SqliteSessionRepository(connection).latest_completed_sessions(users)
            for user in users:
                expected = latest_completed_session(s for s in sessions if s.user_id == user)
                assert got.get(user) == expected
        finally:
            connection.rollback()

    def test_empty_batches_make_no_query(self, connection: sqlite3.Connection) -> None:
        """Asking for no learners or no sessions answers empty without touching the database."""
        statements: list[str] = []
        connection.set_trace_callback(statements.append)
        try:
            repository = SqliteSessionRepository(connection)
            assert repository.latest_completed_sessions([]) == {}
            assert repository.results_for_sessions(list[SessionId]()) == {}
        finally:
            connection.set_trace_callback(None)
        assert statements == []

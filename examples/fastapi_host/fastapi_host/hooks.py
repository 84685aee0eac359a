"""The profiler completion hook: store the completed session, then sync the value statement.

Call :func:`profiler_completed` wherever a completion arrives (the HTTP hook in
:mod:`fastapi_host.api.portfolio`, a queue consumer, a management command).
Delivering the same completion twice, or twice at once, leaves exactly one
value-statement entry: the library's plan is idempotent and
:class:`~fastapi_host.repositories.SqlitePortfolioRepository` creates the
entry with a guarded insert backed by a ``UNIQUE`` column.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from fastapi_host.db import TABLES
from fastapi_host.repositories import SqlitePortfolioRepository, SqliteSessionRepository
from profiler_core import ProfilerSession
from profiler_core.services import ValueStatementSync, on_profiler_completed

__all__ = ["store_session", "profiler_completed"]


def store_session(connection: sqlite3.Connection, session: ProfilerSession) -> None:
    """Insert *session*, or overwrite the stored row with the same id (a re-delivery)."""
    table = TABLES["profiler_sessions"]
    updates = ", ".join(f"{c} = excluded.{c}" for c in table.columns if c != "id")
    with connection:
        connection.execute(
            table.insert_sql(conflict=f"ON CONFLICT (id) DO UPDATE SET {updates}"), table.dump(session)
        )


def profiler_completed(
    connection: sqlite3.Connection, session: ProfilerSession, *, now: datetime
) -> ValueStatementSync:
    """Store *session*, then ``on_profiler_completed``: create, update or keep the value statement."""
    store_session(connection, session)
    return on_profiler_completed(
        session,
        portfolio=SqlitePortfolioRepository(connection),
        sessions=SqliteSessionRepository(connection),
        now=now,
    )

"""The profiler completion hook: store the completed session, then sync the value statement.

Call :func:`profiler_completed` wherever a completion arrives (the
server-to-server HTTP hook in :mod:`fastapi_host.api.portfolio`, a queue
consumer, a management command): it trusts its caller, so only the profiling
service may reach it. Delivering the same completion twice, or twice at once,
leaves exactly one value-statement entry: the library's plan is idempotent and
:class:`~fastapi_host.repositories.SqlitePortfolioRepository` creates the
entry with a guarded insert backed by a ``UNIQUE`` column. A delivery never
changes a stored session's owner, nor a completed session
(:meth:`~fastapi_host.repositories.SqliteSessionRepository.save_session`).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from fastapi_host.repositories import SessionWrite, SqlitePortfolioRepository, SqliteSessionRepository
from profiler_core import ProfilerSession
from profiler_core.services import ValueStatementSync, on_profiler_completed

__all__ = ["store_session", "profiler_completed"]


def store_session(connection: sqlite3.Connection, session: ProfilerSession) -> SessionWrite:
    """Store *session* with :meth:`~fastapi_host.repositories.SqliteSessionRepository.save_session`.

    Raises:
        SessionConflict: the id is another learner's session, or a completed
            session stored with different data; nothing is written.
    """
    return SqliteSessionRepository(connection).save_session(session)


def profiler_completed(
    connection: sqlite3.Connection, session: ProfilerSession, *, now: datetime
) -> ValueStatementSync:
    """Store *session*, then ``on_profiler_completed``: create, update or keep the value statement.

    Raises:
        SessionConflict: see :func:`store_session`; the value statement is not touched.
    """
    store_session(connection, session)
    return on_profiler_completed(
        session,
        portfolio=SqlitePortfolioRepository(connection),
        sessions=SqliteSessionRepository(connection),
        now=now,
    )

"""The profiler completion hook: a completed session creates (or updates) the learner's value statement.

On the OCH platform a session is completed by the platform's own code
(``profiler/views.py::complete_profiling``, which saves it ``finished`` and
then ``lock()`` s it; vickie25/och's ``sync_fastapi_profiling``, which creates
the Django session from the FastAPI service's result). Here every save that
leaves a ``profilersessions`` row completed (``status`` finished or locked, or
``is_locked``) schedules :func:`profiler_completed` after the transaction
commits, whatever code path saved it. Delivering it twice, or from two workers
at once, still leaves one statement: the library's plan is idempotent and the
host's unique ``statement_owner`` column settles a race (see
:class:`profiler_host.adapters.DjangoPortfolioRepository`). Bulk writes
(``bulk_create``, ``update``) send no signal: run
:func:`sync_all_value_statements` after them.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

import profiler_core as pc
from profiler_core import drf, services
from profiler_core.vocabulary import COMPLETED_STATUSES
from profiler_host import models
from profiler_host.adapters import DjangoPortfolioRepository, DjangoSessionRepository

_COMPLETED = frozenset(s.value for s in COMPLETED_STATUSES)


def profiler_completed(session_id: object) -> services.ValueStatementSync | None:
    """Compose the session's value statement and create, update or keep the learner's item.

    Reads the session (with its identity answers and the track directory),
    then the learner's statement; at most one write. ``None`` when the session
    does not exist (deleted since).
    """
    sessions = DjangoSessionRepository()
    session = sessions.session_by_id(str(session_id))
    if session is None:
        return None
    return services.on_profiler_completed(
        session,
        portfolio=DjangoPortfolioRepository(),
        sessions=sessions,
        now=timezone.now(),
        policy=drf.profiler_settings().value_statement,
    )


def sync_all_value_statements(*, now: datetime | None = None) -> tuple[services.ValueStatementSync, ...]:
    """Backfill: bring every learner's statement up to date with their latest completed session.

    The reads are batched for everyone; one write per item that changes;
    running it again changes nothing.
    """
    learners = [pc.UserId(str(u)) for u in models.User.objects.order_by("id").values_list("id", flat=True)]
    return services.sync_value_statements(
        learners,
        sessions=DjangoSessionRepository(),
        portfolio=DjangoPortfolioRepository(),
        now=now or timezone.now(),
        policy=drf.profiler_settings().value_statement,
    )


@receiver(post_save, sender=models.ProfilerSession, dispatch_uid="profiler_host.profiler_completed")
def on_session_saved(
    sender: type[models.ProfilerSession], instance: models.ProfilerSession, **_: Any
) -> None:
    """After commit, run :func:`profiler_completed` for a session saved completed (or locked)."""
    if instance.status in _COMPLETED or instance.is_locked:
        transaction.on_commit(partial(profiler_completed, instance.pk))

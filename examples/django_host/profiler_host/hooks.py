"""The profiler completion hook: a finished session creates (or updates) the learner's value statement.

The platform's earlier code created the portfolio entry only on a path
learners never took (SPEC §10.11). Here every save that leaves a session
completed schedules :func:`profiler_completed` after the transaction commits,
whatever code path saved it. Delivering it twice, or from two workers at
once, still leaves one entry: the library's plan is idempotent and the
``statement_owner`` unique column settles a race (see
:class:`profiler_host.adapters.DjangoPortfolioRepository`). Bulk writes
(``bulk_create``, ``update``) send no signal: run ``sync_value_statements``
after them (``load_sample_platform`` does).
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
from profiler_core import services
from profiler_core.vocabulary import COMPLETED_STATUSES
from profiler_host import models
from profiler_host.adapters import DjangoPortfolioRepository, DjangoSessionRepository

_COMPLETED = frozenset(s.value for s in COMPLETED_STATUSES)


def profiler_completed(session_id: str) -> services.ValueStatementSync | None:
    """Compose the session's value statement and create, update or keep the learner's entry.

    Two queries to plan (the session, the learner's statement) and at most
    one write. ``None`` when the session does not exist (deleted since).
    """
    row = models.ProfilerSession.objects.filter(pk=session_id).values().first()
    if row is None:
        return None
    return services.on_profiler_completed(
        models.ProfilerSession.to_domain(row),
        portfolio=DjangoPortfolioRepository(),
        sessions=DjangoSessionRepository(),
        now=timezone.now(),
    )


def sync_all_value_statements(*, now: datetime | None = None) -> tuple[services.ValueStatementSync, ...]:
    """Backfill: bring every learner's statement up to date with their latest completed session.

    Two reads for everyone, then one write per entry that changes; running it
    again changes nothing.
    """
    learners = [pc.UserId(u) for u in models.User.objects.order_by("id").values_list("id", flat=True)]
    return services.sync_value_statements(
        learners,
        sessions=DjangoSessionRepository(),
        portfolio=DjangoPortfolioRepository(),
        now=now or timezone.now(),
    )


@receiver(post_save, sender=models.ProfilerSession, dispatch_uid="profiler_host.profiler_completed")
def on_session_saved(
    sender: type[models.ProfilerSession], instance: models.ProfilerSession, **_: Any
) -> None:
    """After commit, run :func:`profiler_completed` for a session saved as ``finished`` or ``locked``."""
    if instance.status in _COMPLETED:
        transaction.on_commit(partial(profiler_completed, instance.pk))

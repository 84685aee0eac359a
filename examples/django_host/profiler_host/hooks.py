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

When the profiling service delivers a completion over HTTP
(``POST /api/v1/profiler/completions``, its own credential), the view stores
it with :func:`store_completed_session`, which never gives a stored session
another owner and never rewrites a completed one, then calls
:func:`profiler_completed`.
"""

from __future__ import annotations

import enum
from datetime import datetime
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

import profiler_core as pc
from profiler_core import services
from profiler_core.vocabulary import COMPLETED_STATUSES
from profiler_host import models
from profiler_host.adapters import DjangoPortfolioRepository, DjangoSessionRepository

_COMPLETED = frozenset(s.value for s in COMPLETED_STATUSES)


class SessionStored(enum.Enum):
    """What :func:`store_completed_session` did with a delivered completion."""

    CREATED = "created"
    """The session was new: inserted."""
    COMPLETED = "completed"
    """The learner's stored, not yet completed session was completed with the delivered fields."""
    UNCHANGED = "unchanged"
    """The same completed session was delivered again: nothing written."""


class SessionConflictError(Exception):
    """A completion that would take over or rewrite a stored session (answered 409 ``{code, detail}``).

    Attributes:
        code: ``session_owner_conflict`` (the id is another learner's session)
            or ``session_already_completed`` (the stored session is completed
            and differs from the delivered one).
        detail: a sentence for the caller.
    """

    def __init__(self, *, code: str, detail: str) -> None:
        self.code = code
        self.detail = detail
        super().__init__(detail)


def _owner_conflict(session: pc.ProfilerSession) -> SessionConflictError:
    return SessionConflictError(
        code="session_owner_conflict",
        detail=f"Session {session.id!r} belongs to another learner; a session never changes owner.",
    )


def _decide_stored(session: pc.ProfilerSession, stored: dict[str, Any]) -> SessionStored:
    """UNCHANGED for a replay of the stored completed session; else the conflict to answer."""
    if stored["user_id"] != session.user_id:
        raise _owner_conflict(session)
    if models.ProfilerSession.to_domain(stored) == session:
        return SessionStored.UNCHANGED
    raise SessionConflictError(
        code="session_already_completed",
        detail=(
            f"Session {session.id!r} is already completed with other data; "
            "a completed session is not rewritten."
        ),
    )


def store_completed_session(session: pc.ProfilerSession) -> SessionStored:
    """Store a completion the profiling service delivered, without ever changing a stored session's owner.

    * a new id is inserted;
    * the learner's own stored session that is not completed yet is completed
      with the delivered fields (a guarded ``UPDATE ... WHERE user_id = the
      learner AND status is not completed``, so a concurrent write cannot turn
      it into an owner change);
    * the same completed session delivered again changes nothing;
    * anything else raises :class:`SessionConflictError`: the id is another
      learner's session, or a completed session with other data.

    No signal is sent (the caller runs :func:`profiler_completed` and answers
    with its outcome). Two queries on the usual path (the learner, the insert).

    Raises:
        NotFoundError: *session*'s learner is not a user of the platform (404).
        SessionConflictError: see above (409).
    """
    if not session.status.is_completed:
        raise pc.InvalidPayloadError(
            [
                pc.Problem(
                    path="$.status", message="must be finished or locked (a completion)", code="invalid_value"
                )
            ],
            type_name="ProfilerSession",
        )
    if not models.User.objects.filter(pk=session.user_id).exists():
        raise pc.NotFoundError(kind="user", key=session.user_id)
    row = models.ProfilerSession.from_domain(session)
    try:
        with transaction.atomic():  # a savepoint: a lost insert leaves the caller's transaction usable
            models.ProfilerSession.objects.bulk_create([row])
    except IntegrityError:
        pass
    else:
        return SessionStored.CREATED
    stored = models.ProfilerSession.objects.filter(pk=session.id).values().first()
    if stored is None:  # the id was free after all: the insert failed for another reason
        raise IntegrityError(f"session {session.id!r} could not be stored")
    if stored["user_id"] != session.user_id:
        raise _owner_conflict(session)
    if stored["status"] not in _COMPLETED:
        columns = {
            f.attname: getattr(row, f.attname)
            for f in models.ProfilerSession._meta.concrete_fields
            if f.attname not in {"id", "user_id"}
        }
        guarded = models.ProfilerSession.objects.filter(pk=session.id, user_id=session.user_id).exclude(
            status__in=_COMPLETED
        )
        if guarded.update(**columns) == 1:
            return SessionStored.COMPLETED
        # Completed by another writer since the read: judge against what is stored now.
        stored = models.ProfilerSession.objects.filter(pk=session.id).values().get()
    return _decide_stored(session, stored)


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

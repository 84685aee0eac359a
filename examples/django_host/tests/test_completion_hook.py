"""The profiler completion hook: one value statement per learner, however often completion is delivered."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from profiler_host import models
from profiler_host.adapters import DjangoPortfolioRepository
from profiler_host.hooks import profiler_completed, sync_all_value_statements
from profiler_host.loading import add_sessions

import profiler_core as pc
from profiler_core import services
from profiler_core.portfolio import EntryPlanKind

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
LEARNER = "u-hook"

CaptureOnCommit = Callable[..., object]


def _session(
    sid: str, status: pc.SessionStatus, *, minutes: int = 0, why: str = "I like puzzles"
) -> pc.ProfilerSession:
    return pc.ProfilerSession(
        id=pc.SessionId(sid),
        user_id=pc.UserId(LEARNER),
        status=status,
        started_at=NOW,
        completed_at=NOW + timedelta(minutes=minutes) if status.is_completed else None,
        reflection=pc.Reflection(why_cyber=why, what_achieve="I aim to lead a SOC"),
    )


def _statements() -> list[models.PortfolioItem]:
    return list(models.PortfolioItem.objects.filter(user_id=LEARNER, item_type="reflection"))


def _finish(session_id: str, capture: CaptureOnCommit) -> None:
    """Save the session as finished through the ORM, running on-commit callbacks as a commit would."""
    with capture(execute=True):
        row = models.ProfilerSession.objects.get(pk=session_id)
        row.status = "finished"
        row.completed_at = NOW + timedelta(minutes=30)
        row.save()


class StaleFirstRead(DjangoPortfolioRepository):
    """The adapter, except that its first read misses a statement another worker is writing.

    That is the race of two concurrent completions: both read "no statement",
    both plan a create, one INSERT wins. The loser must neither duplicate nor fail.
    """

    def __init__(self) -> None:
        self.reads = 0

    def value_statements_for(self, user_ids: Collection[pc.UserId]) -> Mapping[pc.UserId, pc.PortfolioEntry]:
        """Answer nothing the first time (the other worker had not committed yet), then the truth."""
        self.reads += 1
        return {} if self.reads == 1 else super().value_statements_for(user_ids)


@pytest.mark.django_db
class TestCompletionSignal:
    def test_finishing_a_session_creates_the_statement(
        self, django_capture_on_commit_callbacks: CaptureOnCommit
    ) -> None:
        """Saving a session as finished creates one private reflection entry linked to it."""
        add_sessions([_session("s-1", pc.SessionStatus.FUTURE_YOU_COMPLETE)])
        _finish("s-1", django_capture_on_commit_callbacks)
        [entry] = _statements()
        assert (entry.title, entry.status, entry.visibility) == ("My Value Statement", "approved", "private")
        assert entry.profiler_session_id == "s-1"
        assert entry.statement_owner_id == LEARNER
        assert "I like puzzles" in entry.summary

    def test_an_unfinished_session_creates_nothing(
        self, django_capture_on_commit_callbacks: CaptureOnCommit
    ) -> None:
        """Saving an in-progress session schedules nothing and creates no entry."""
        add_sessions([_session("s-1", pc.SessionStatus.STARTED)])
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            row = models.ProfilerSession.objects.get(pk="s-1")
            row.status = "in_progress"
            row.save()
        assert callbacks == []
        assert _statements() == []

    def test_saving_a_finished_session_twice_keeps_one_entry(
        self, django_capture_on_commit_callbacks: CaptureOnCommit
    ) -> None:
        """A second save of the finished session (a re-delivery) leaves exactly one entry."""
        add_sessions([_session("s-1", pc.SessionStatus.IN_PROGRESS)])
        _finish("s-1", django_capture_on_commit_callbacks)
        _finish("s-1", django_capture_on_commit_callbacks)
        assert len(_statements()) == 1


@pytest.mark.django_db
class TestCompletionHook:
    def test_delivered_twice_creates_once_then_keeps(self) -> None:
        """The second delivery plans keep: still one entry, not degraded."""
        add_sessions([_session("s-1", pc.SessionStatus.FINISHED)])
        first, second = profiler_completed("s-1"), profiler_completed("s-1")
        assert first is not None
        assert second is not None
        assert (first.plan, second.plan) == (EntryPlanKind.CREATE, EntryPlanKind.KEEP)
        assert second.entry == first.entry
        assert len(_statements()) == 1

    def test_a_lost_race_rereads_instead_of_duplicating(self) -> None:
        """A completion that read "no statement" while another created one hits the unique key and keeps."""
        add_sessions([_session("s-1", pc.SessionStatus.FINISHED)])
        winner = profiler_completed("s-1")
        assert winner is not None
        session = models.ProfilerSession.to_domain(models.ProfilerSession.objects.values().get(pk="s-1"))
        loser_repo = StaleFirstRead()
        loser = services.on_profiler_completed(session, portfolio=loser_repo, now=NOW)
        assert loser_repo.reads == 2, "the loser read again after its INSERT was refused"
        assert loser.plan is EntryPlanKind.KEEP
        assert loser.degraded is False
        assert loser.entry == winner.entry
        assert len(_statements()) == 1

    def test_a_retake_updates_the_same_entry(self) -> None:
        """A later completed session updates the entry (text and link) instead of adding one."""
        add_sessions([_session("s-1", pc.SessionStatus.FINISHED)])
        profiler_completed("s-1")
        add_sessions(
            [_session("s-2", pc.SessionStatus.FINISHED, minutes=60, why="I want to defend hospitals")]
        )
        outcome = profiler_completed("s-2")
        assert outcome is not None
        assert outcome.plan is EntryPlanKind.UPDATE
        [entry] = _statements()
        assert entry.profiler_session_id == "s-2"
        assert "I want to defend hospitals" in entry.summary

    def test_an_unknown_session_does_nothing(self) -> None:
        """A completion for a deleted session returns None and writes nothing."""
        assert profiler_completed("s-gone") is None
        assert models.PortfolioItem.objects.count() == 0

    def test_the_backfill_is_idempotent(self) -> None:
        """Syncing everyone twice creates each statement once and then keeps it."""
        add_sessions([_session("s-1", pc.SessionStatus.FINISHED)])
        first = {s.learner_id: s.plan for s in sync_all_value_statements(now=NOW)}
        second = {s.learner_id: s.plan for s in sync_all_value_statements(now=NOW)}
        assert first == {LEARNER: EntryPlanKind.CREATE}
        assert second == {LEARNER: EntryPlanKind.KEEP}
        assert len(_statements()) == 1


@pytest.mark.django_db(transaction=True)
class TestConcurrentCompletion:
    def test_concurrent_deliveries_leave_one_entry(self) -> None:
        """Four threads delivering the same completion at once leave exactly one entry, and none fails."""
        add_sessions([_session("s-1", pc.SessionStatus.FINISHED)])
        start = threading.Barrier(4)
        outcomes: list[services.ValueStatementSync | None] = []
        errors: list[BaseException] = []

        def deliver() -> None:
            try:
                start.wait()
                outcomes.append(profiler_completed("s-1"))
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=deliver) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len(_statements()) == 1
        assert [o.plan for o in outcomes if o is not None].count(EntryPlanKind.CREATE) == 1

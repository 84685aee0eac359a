"""The completion hook on the real tables: a completed ``profilersessions`` row gets one value statement.

The platform's ``complete_profiling`` saves the session and ``lock()`` s it;
the hook runs after commit on every save that leaves a session completed,
reads the reflection from ``behavioral_responses`` (where Django keeps it), and
writes the ``My Value Statement`` ``reflection`` item keyed by the learner's
``users.uuid_id``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from profiler_host import models
from profiler_host import och_fixture as f
from profiler_host.hooks import profiler_completed, sync_all_value_statements
from profiler_host.loading import load_och_fixture

from profiler_core import services
from profiler_core.portfolio import EntryPlanKind

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

#: Learner 28's reflection answers, as the fixture's session holds them in ``behavioral_responses``.
WHY_28, WHAT_28 = "Rules keep people safe.", "I want to run audits."
#: The library's statement when no reflection is found (what every real learner got before issue 13).
GENERIC = "I am committed to advancing in cybersecurity."


def statements(user: int) -> list[dict[str, Any]]:
    """The learner's ``My Value Statement`` reflection items, as stored."""
    return list(
        models.PortfolioItem.objects.filter(
            user__id=user, item_type="reflection", title="My Value Statement"
        ).values("summary", "status", "profiler_session_id", "user_id", "statement_owner_id")
    )


def lock(session_id: object, capture: Capture) -> None:
    """What ``ProfilerSession.lock()`` does, saved by the ORM (``post_save`` fires); commit callbacks run."""
    with capture(execute=True):
        session = models.ProfilerSession.objects.get(pk=session_id)
        session.is_locked, session.status, session.locked_at = True, "locked", timezone.now()
        session.save()


@pytest.mark.django_db
class TestHookOnSave:
    def test_locking_a_session_writes_the_statement_from_behavioral_responses(
        self, och: None, django_capture_on_commit_callbacks: Capture
    ) -> None:
        """28's session locked: one approved private item, linked to the session, owned by 28's uuid_id."""
        lock(f.COHORT_MENTEE_SESSION, django_capture_on_commit_callbacks)
        [item] = statements(f.COHORT_MENTEE)
        assert WHY_28 in item["summary"]
        assert WHAT_28 in item["summary"]
        assert GENERIC not in item["summary"]
        assert {k: v for k, v in item.items() if k != "summary"} == {
            "status": "approved",
            "profiler_session_id": f.COHORT_MENTEE_SESSION,
            "user_id": f.USER_UUID[f.COHORT_MENTEE],
            "statement_owner_id": f.COHORT_MENTEE,
        }

    def test_a_session_in_progress_writes_nothing(
        self, och: None, django_capture_on_commit_callbacks: Capture
    ) -> None:
        """Saving 30's in-progress session creates no item."""
        with django_capture_on_commit_callbacks(execute=True):
            models.ProfilerSession.objects.get(pk=f.CLASSMATE_SESSION).save()
        assert statements(f.CLASSMATE) == []

    def test_saving_twice_keeps_one_item(
        self, och: None, django_capture_on_commit_callbacks: Capture
    ) -> None:
        """The hook delivered twice leaves one statement."""
        lock(f.COHORT_MENTEE_SESSION, django_capture_on_commit_callbacks)
        lock(f.COHORT_MENTEE_SESSION, django_capture_on_commit_callbacks)
        assert len(statements(f.COHORT_MENTEE)) == 1


@pytest.mark.django_db
class TestCompletionHook:
    def test_delivered_twice_creates_once_then_keeps(self, och: None) -> None:
        """The second delivery plans keep."""
        first, second = (
            profiler_completed(f.COHORT_MENTEE_SESSION),
            profiler_completed(f.COHORT_MENTEE_SESSION),
        )
        assert first is not None
        assert second is not None
        assert (first.plan, second.plan) == (EntryPlanKind.CREATE, EntryPlanKind.KEEP)
        assert len(statements(f.COHORT_MENTEE)) == 1

    def test_a_platform_composed_statement_follows_the_library(self, och: None) -> None:
        """16's item holds the platform's ``extract_value_statement`` text (not learner-edited): it is updated
        to the library's composition, same item, same session link; the next delivery keeps it."""
        first, second = profiler_completed(f.MENTEE_SESSION), profiler_completed(f.MENTEE_SESSION)
        assert first is not None
        assert second is not None
        assert (first.plan, second.plan) == (EntryPlanKind.UPDATE, EntryPlanKind.KEEP)
        [item] = statements(f.MENTEE)
        assert item["profiler_session_id"] == f.MENTEE_SESSION
        assert "I want to keep hospitals running when attackers strike." in item["summary"]

    def test_an_unknown_session_does_nothing(self, och: None) -> None:
        """A completion for a session id no row has returns None."""
        assert profiler_completed("00000000-0000-4000-8000-000000000000") is None

    @pytest.mark.parametrize("viewer", [f.MENTEE, f.COHORT_MENTEE])
    def test_no_viewer_can_post_a_completion(self, och: None, client: Any, viewer: int) -> None:
        """Issue 11: there is no completion route a viewer can post to; every stored session is unchanged.

        Completions come from the platform's own code (the hook above), so neither 28 taking over 16's
        session nor 28 posting "elite" scores for themself reaches the tables.
        """
        before = list(models.ProfilerSession.objects.order_by("pk").values())
        takeover = {"id": str(f.MENTEE_SESSION), "user_id": str(viewer), "status": "finished"}
        for path in ("/api/v1/profiler/completions", "/api/v1/profiler/completions/"):
            response = client.post(
                path, takeover, content_type="application/json", headers={"X-User-Id": str(viewer)}
            )
            assert response.status_code == 404
        assert list(models.ProfilerSession.objects.order_by("pk").values()) == before

    def test_the_backfill_is_idempotent(self, och: None) -> None:
        """Syncing everyone creates 28's statement and updates 16's; a second run keeps both."""
        first = {s.learner_id: s.plan for s in sync_all_value_statements() if s.session_id is not None}
        second = {s.learner_id: s.plan for s in sync_all_value_statements() if s.session_id is not None}
        assert first == {"16": EntryPlanKind.UPDATE, "28": EntryPlanKind.CREATE}
        assert second == {"16": EntryPlanKind.KEEP, "28": EntryPlanKind.KEEP}


@pytest.mark.django_db(transaction=True)
class TestConcurrentCompletion:
    def test_concurrent_deliveries_leave_one_item(self) -> None:
        """Four threads delivering 28's completion at once leave exactly one item, and none fails."""
        load_och_fixture()
        start = threading.Barrier(4)
        outcomes: list[services.ValueStatementSync | None] = []
        errors: list[BaseException] = []

        def deliver() -> None:
            try:
                start.wait()
                outcomes.append(profiler_completed(f.COHORT_MENTEE_SESSION))
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
        assert len(statements(f.COHORT_MENTEE)) == 1
        assert [o.plan for o in outcomes if o is not None].count(EntryPlanKind.CREATE) == 1

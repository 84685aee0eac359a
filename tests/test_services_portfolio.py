"""Tests for the portfolio and leadership use cases in profiler_core.services, and their testing kit."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from tests import builders

from profiler_core import (
    DifficultySelection,
    EntryId,
    IdentityResponse,
    InvalidValueError,
    PortfolioEntry,
    ProfilerSession,
    Reflection,
    SessionStatus,
    UserId,
    Visibility,
)
from profiler_core.leadership import LeadershipStatement, StatementNotFound
from profiler_core.portfolio import (
    GENERIC_STATEMENT,
    EntryPlanKind,
    Pillar,
    StatementCompleteness,
    is_value_statement_entry,
)
from profiler_core.ports import PortfolioRepository, ValueStatementSource
from profiler_core.services import (
    learner_edits_statement,
    on_profiler_completed,
    sync_value_statements,
    value_statement_for_leadership,
)
from profiler_core.testing import FailingRepository, InMemoryPortfolioRepository, InMemorySessionRepository
from profiler_core.testing.contracts import check_portfolio_repository, contract_portfolio_entries
from profiler_core.testing.strategies import reflections
from profiler_core.testing.strategies_portfolio import hostile_texts

T0 = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)
LEARNER = UserId("u-1")
WHY = "I want to protect people from online fraud"
ACHIEVE = "I aim to become a penetration tester"


def session(
    sid: str = "s-1",
    *,
    user: UserId = LEARNER,
    why: str | None = WHY,
    achieve: str | None = ACHIEVE,
    values: Sequence[str] = ("integrity",),
    status: SessionStatus = SessionStatus.FINISHED,
    minutes: int = 30,
    selection: DifficultySelection | None = DifficultySelection.INTERMEDIATE,
) -> ProfilerSession:
    """The shared session builder with the reflection and identity answers a statement is made from."""
    return builders.session(
        sid,
        user,
        status=status,
        started_at=T0,
        completed_at=T0 + timedelta(minutes=minutes) if status.is_completed else None,
        selection=selection,
        reflection=Reflection(why_cyber=why, what_achieve=achieve),
        identity_responses=[IdentityResponse(question_id=f"q{n}", text=v) for n, v in enumerate(values)],
    )


def statements(repo: InMemoryPortfolioRepository, user: UserId = LEARNER) -> list[PortfolioEntry]:
    return [e for e in repo.entries if e.user_id == user and is_value_statement_entry(e)]


class RacingPortfolio(InMemoryPortfolioRepository):
    """A portfolio where another writer acts just before each of the first *races* saves."""

    def __init__(
        self,
        entries: Sequence[PortfolioEntry],
        other_writer: Callable[[RacingPortfolio], None],
        races: int = 1,
    ):
        super().__init__(entries)
        self.other_writer = other_writer
        self.races = races

    def save_entry(self, entry: PortfolioEntry, *, replacing: PortfolioEntry | None) -> PortfolioEntry | None:
        if self.races:
            self.races -= 1
            self.other_writer(self)
        return super().save_entry(entry, replacing=replacing)


def free_text_in_logs(records: list[logging.LogRecord], texts: Collection[str]) -> list[str]:
    found = []
    for record in records:
        blob = " ".join(str(v) for v in record.__dict__.values())
        found += [t for t in texts if t in blob]
    return found


# --- on_profiler_completed ------------------------------------------------------


class TestOnProfilerCompleted:
    def test_naive_now_is_rejected_before_any_call(self) -> None:
        """A naive now raises InvalidValueError(field="now") instead of being reported as a port failure."""
        repo = InMemoryPortfolioRepository()
        with pytest.raises(InvalidValueError, match="now"):
            on_profiler_completed(session(), portfolio=repo, now=T0.replace(tzinfo=None))
        assert repo.calls.total() == 0

    def test_creates_the_entry_visible_to_its_owner(self) -> None:
        """Completion creates one private "My Value Statement" entry that its owner reads back."""
        repo = InMemoryPortfolioRepository()
        sync = on_profiler_completed(session(), portfolio=repo, now=T0)
        assert sync.plan is EntryPlanKind.CREATE
        assert sync.reason_codes == ("value_statement_created",)
        assert sync.entry is not None
        assert sync.entry.id is not None
        assert sync.statement is not None
        assert sync.statement.completeness is StatementCompleteness.COMPLETE
        owned = repo.value_statements_for([LEARNER])
        assert owned == {LEARNER: sync.entry}
        assert (owned[LEARNER].user_id, owned[LEARNER].visibility) == (LEARNER, Visibility.PRIVATE)
        assert owned[LEARNER].summary == (
            f"Why I chose cybersecurity: {WHY}. What I want to achieve: {ACHIEVE}. What I value: integrity."
        )
        assert owned[LEARNER].profiler_session_id == "s-1"
        assert repo.value_statements_for([UserId("u-2")]) == {}
        assert not sync.degraded

    def test_twice_makes_one_entry(self) -> None:
        """Completing (or syncing) twice keeps the one entry."""
        repo = InMemoryPortfolioRepository()
        first = on_profiler_completed(session(), portfolio=repo, now=T0)
        second = on_profiler_completed(session(), portfolio=repo, now=T0 + timedelta(minutes=5))
        assert second.plan is EntryPlanKind.KEEP
        assert second.entry == first.entry
        assert len(statements(repo)) == 1
        assert repo.calls["save_entry"] == 1

    @pytest.mark.parametrize(
        ("why", "achieve", "values", "completeness", "summary"),
        [
            (WHY, ACHIEVE, (), StatementCompleteness.COMPLETE, f"Why I chose cybersecurity: {WHY}. "),
            (None, ACHIEVE, ("integrity",), StatementCompleteness.PARTIAL, "What I want to achieve: "),
            (
                None,
                None,
                ("integrity", "curiosity"),
                StatementCompleteness.IDENTITY_ONLY,
                "What I value: integrity",
            ),
            (None, None, (), StatementCompleteness.EMPTY, GENERIC_STATEMENT),
        ],
    )
    def test_every_completeness_creates_an_entry(
        self,
        why: str | None,
        achieve: str | None,
        values: tuple[str, ...],
        completeness: StatementCompleteness,
        summary: str,
    ) -> None:
        """Complete, partial, identity-only and empty reflections all get an entry (the empty one generic)."""
        repo = InMemoryPortfolioRepository()
        sync = on_profiler_completed(session(why=why, achieve=achieve, values=values), portfolio=repo, now=T0)
        assert sync.statement is not None
        assert sync.statement.completeness is completeness
        assert sync.statement.is_generic is (completeness is StatementCompleteness.EMPTY)
        assert (statements(repo)[0].summary or "").startswith(summary)

    def test_retake_updates_an_unedited_entry(self) -> None:
        """A retake re-composes the entry the learner has not edited, linking the new session."""
        repo = InMemoryPortfolioRepository()
        on_profiler_completed(session(), portfolio=repo, now=T0)
        sync = on_profiler_completed(
            session("s-2", why="Puzzles"), portfolio=repo, now=T0 + timedelta(days=1)
        )
        assert sync.plan is EntryPlanKind.UPDATE
        (entry,) = statements(repo)
        assert (entry.summary or "").startswith("Why I chose cybersecurity: Puzzles. ")
        assert entry.profiler_session_id == "s-2"

    def test_edit_survives_a_recomposition(self) -> None:
        """The learner's edit survives a retake; the new composition waits beside it as the suggestion."""
        repo = InMemoryPortfolioRepository()
        on_profiler_completed(session(), portfolio=repo, now=T0)
        edit = learner_edits_statement(
            LEARNER, "My own statement.", portfolio=repo, now=T0 + timedelta(hours=1)
        )
        assert edit.accepted
        sync = on_profiler_completed(
            session("s-2", why="Puzzles"), portfolio=repo, now=T0 + timedelta(days=1)
        )
        assert sync.reason_codes == ("learner_edit_preserved",)
        (entry,) = statements(repo)
        assert entry.summary == "My own statement."
        assert entry.suggested_summary is not None
        assert entry.suggested_summary.startswith("Why I chose cybersecurity: Puzzles. ")
        again = on_profiler_completed(
            session("s-2", why="Puzzles"), portfolio=repo, now=T0 + timedelta(days=2)
        )
        assert again.reason_codes == ("learner_edit_unchanged",)

    def test_incomplete_session_stores_nothing(self) -> None:
        """An unfinished session leaves the portfolio alone, with reason session_not_completed."""
        repo = InMemoryPortfolioRepository()
        sync = on_profiler_completed(session(status=SessionStatus.IN_PROGRESS), portfolio=repo, now=T0)
        assert (sync.plan, sync.entry, sync.statement) == (None, None, None)
        assert sync.reason_codes == ("session_not_completed",)
        assert repo.calls.total() == 0

    def test_concurrent_create_is_resolved(self) -> None:
        """If another completion created the entry first, this call re-reads, re-plans and keeps it."""

        def other_completion(repo: RacingPortfolio) -> None:
            on_profiler_completed(session(), portfolio=InMemoryFacade(repo), now=T0)

        repo = RacingPortfolio([], other_completion)
        sync = on_profiler_completed(session(), portfolio=repo, now=T0)
        assert sync.plan is EntryPlanKind.KEEP
        assert len(statements(repo)) == 1
        assert not sync.degraded

    def test_concurrent_edit_is_never_overwritten(self) -> None:
        """A learner edit landing between read and save wins: the retake's text goes beside it."""
        base = InMemoryPortfolioRepository()
        on_profiler_completed(session(), portfolio=base, now=T0)

        def learner_edits(repo: RacingPortfolio) -> None:
            learner_edits_statement(
                LEARNER, "Mine.", portfolio=InMemoryFacade(repo), now=T0 + timedelta(hours=1)
            )

        repo = RacingPortfolio(base.entries, learner_edits)
        sync = on_profiler_completed(
            session("s-2", why="Puzzles"), portfolio=repo, now=T0 + timedelta(days=1)
        )
        assert sync.reason_codes == ("learner_edit_preserved",)
        (entry,) = statements(repo)
        assert entry.summary == "Mine."
        assert entry.suggested_summary is not None

    def test_persistent_conflict_degrades(self) -> None:
        """When every save loses a race, nothing is stored and the outcome says portfolio_conflict."""

        def bump(repo: RacingPortfolio) -> None:
            (current,) = statements(repo)
            later = (current.updated_at or T0) + timedelta(seconds=1)
            repo.entries[repo.entries.index(current)] = attrs.evolve(current, updated_at=later)

        base = InMemoryPortfolioRepository()
        on_profiler_completed(session(), portfolio=base, now=T0)
        repo = RacingPortfolio(base.entries, bump, races=2)
        sync = on_profiler_completed(
            session("s-2", why="Puzzles"), portfolio=repo, now=T0 + timedelta(days=1)
        )
        assert sync.reason_codes == ("value_statement_updated", "portfolio_conflict")
        assert sync.degraded
        assert sync.entry is None

    def test_repository_failure_degrades(self, caplog: pytest.LogCaptureFixture) -> None:
        """A failing portfolio is logged at WARNING and reported as portfolio_unavailable; nothing raises."""
        with caplog.at_level(logging.WARNING, logger="profiler_core.portfolio"):
            sync = on_profiler_completed(session(), portfolio=FailingRepository(), now=T0)  # type: ignore[arg-type]  # stands in for any port
        assert sync.reason_codes == ("portfolio_unavailable",)
        assert sync.degraded
        assert sync.statement is not None
        assert [r.levelno for r in caplog.records] == [logging.WARNING]
        assert (caplog.records[0].exc_info, caplog.records[0].__dict__["error_type"]) == (
            None,
            "ConnectionError",
        )

    def test_logs_ids_and_codes_never_free_text(self, caplog: pytest.LogCaptureFixture) -> None:
        """The DEBUG record carries ids, completeness and plan kind, never the learner's words."""
        repo = InMemoryPortfolioRepository()
        with caplog.at_level(logging.DEBUG, logger="profiler_core.portfolio"):
            on_profiler_completed(session(), portfolio=repo, now=T0)
            learner_edits_statement(LEARNER, "Secret words.", portfolio=repo, now=T0)
        assert not free_text_in_logs(caplog.records, [WHY, ACHIEVE, "integrity", "Secret words"])
        synced = caplog.records[0]
        assert synced.levelno == logging.DEBUG
        assert (synced.learner_id, synced.session_id, synced.completeness, synced.plan) == (  # type: ignore[attr-defined]  # logging extra
            "u-1",
            "s-1",
            "complete",
            "create",
        )
        assert synced.duration_ms >= 0  # type: ignore[attr-defined]  # logging extra


class TestOnProfilerCompletedReplay:
    """A completion delivered late (s-1 after s-2) never rolls the entry back when *sessions* is given."""

    def test_replayed_older_session_keeps_the_entry(self) -> None:
        """s-1 arriving after s-2 leaves the unedited entry on s-2: stale_session_ignored, no write."""
        older, newer = session("s-1", minutes=30), session("s-2", why="Puzzles", minutes=60)
        sessions = InMemorySessionRepository([older, newer])
        repo = InMemoryPortfolioRepository()
        on_profiler_completed(newer, portfolio=repo, sessions=sessions, now=T0 + timedelta(hours=2))
        (before,) = statements(repo)
        saves = repo.calls["save_entry"]
        sync = on_profiler_completed(older, portfolio=repo, sessions=sessions, now=T0 + timedelta(hours=3))
        assert sync.reason_codes == ("stale_session_ignored",)
        assert (sync.session_id, sync.plan, sync.statement, sync.entry, sync.degraded) == (
            "s-1",
            None,
            None,
            None,
            False,
        )
        assert statements(repo) == [before]
        assert before.profiler_session_id == "s-2"
        assert repo.calls["save_entry"] == saves
        assert sessions.calls["latest_completed_sessions"] == 2

    def test_replay_is_idempotent_and_costs_one_session_read(self) -> None:
        """Replaying either completion again writes nothing; each call reads the latest session once."""
        older, newer = session("s-1", minutes=30), session("s-2", why="Puzzles", minutes=60)
        sessions = InMemorySessionRepository([older, newer])
        repo = InMemoryPortfolioRepository()
        first = on_profiler_completed(newer, portfolio=repo, sessions=sessions, now=T0 + timedelta(hours=2))
        again = on_profiler_completed(newer, portfolio=repo, sessions=sessions, now=T0 + timedelta(hours=3))
        stale = [
            on_profiler_completed(older, portfolio=repo, sessions=sessions, now=T0 + timedelta(hours=h))
            for h in (4, 5)
        ]
        assert (first.plan, again.plan) == (EntryPlanKind.CREATE, EntryPlanKind.KEEP)
        assert [s.reason_codes for s in stale] == [("stale_session_ignored",)] * 2
        assert repo.calls["save_entry"] == 1
        assert sessions.calls["latest_completed_sessions"] == 4

    def test_replay_never_touches_an_edited_entry(self) -> None:
        """An older completion does not move the link or the suggestion of an entry the learner edited."""
        older, newer = session("s-1", minutes=30), session("s-2", why="Puzzles", minutes=60)
        sessions = InMemorySessionRepository([older, newer])
        repo = InMemoryPortfolioRepository()
        on_profiler_completed(newer, portfolio=repo, sessions=sessions, now=T0 + timedelta(hours=2))
        learner_edits_statement(LEARNER, "Mine.", portfolio=repo, now=T0 + timedelta(hours=3))
        (before,) = statements(repo)
        sync = on_profiler_completed(older, portfolio=repo, sessions=sessions, now=T0 + timedelta(hours=4))
        assert sync.reason_codes == ("stale_session_ignored",)
        assert statements(repo) == [before]

    def test_a_lagging_repository_never_blocks_a_newer_completion(self) -> None:
        """A delivered session newer than the repository's latest (a lagging replica) is still applied."""
        older, newer = session("s-1", minutes=30), session("s-2", why="Puzzles", minutes=60)
        repo = InMemoryPortfolioRepository()
        on_profiler_completed(older, portfolio=repo, now=T0 + timedelta(hours=1))
        for seen in ([older], []):
            sync = on_profiler_completed(
                newer, portfolio=repo, sessions=InMemorySessionRepository(seen), now=T0 + timedelta(hours=2)
            )
            assert sync.reason_codes in (("value_statement_updated",), ("value_statement_unchanged",))
        (entry,) = statements(repo)
        assert entry.profiler_session_id == "s-2"

    def test_incomplete_session_reads_no_session(self) -> None:
        """An unfinished session is refused before the replay check: no repository call at all."""
        sessions = InMemorySessionRepository([session()])
        repo = InMemoryPortfolioRepository()
        sync = on_profiler_completed(
            session("s-9", status=SessionStatus.IN_PROGRESS), portfolio=repo, sessions=sessions, now=T0
        )
        assert sync.reason_codes == ("session_not_completed",)
        assert sessions.calls.total() == repo.calls.total() == 0

    def test_failing_session_repository_stores_without_the_check(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        """If the latest session cannot be read, the statement is stored anyway, degraded, with a WARNING."""
        repo = InMemoryPortfolioRepository()
        with caplog.at_level(logging.WARNING, logger="profiler_core.portfolio"):
            sync = on_profiler_completed(
                session(),
                portfolio=repo,
                sessions=FailingRepository(),  # type: ignore[arg-type]  # stands in for any port
                now=T0,
            )
        assert sync.reason_codes == ("value_statement_created", "profiler_unavailable")
        assert (sync.plan, sync.degraded) == (EntryPlanKind.CREATE, True)
        assert len(statements(repo)) == 1
        assert [(r.levelno, r.exc_info, r.__dict__["error_type"]) for r in caplog.records] == [
            (logging.WARNING, None, "ConnectionError")
        ]

    def test_foreign_latest_session_is_ignored(self, caplog: pytest.LogCaptureFixture) -> None:
        """A latest session of another learner from a faulty adapter never blocks the completion."""

        class Confused(InMemorySessionRepository):
            def latest_completed_sessions(
                self, user_ids: Collection[UserId]
            ) -> Mapping[UserId, ProfilerSession]:
                return {LEARNER: session("s-9", user=UserId("u-2"), minutes=600)}

        repo = InMemoryPortfolioRepository()
        with caplog.at_level(logging.WARNING, logger="profiler_core.portfolio"):
            sync = on_profiler_completed(session(), portfolio=repo, sessions=Confused(), now=T0)
        assert (sync.plan, sync.reason_codes, sync.degraded) == (
            EntryPlanKind.CREATE,
            ("value_statement_created",),
            False,
        )
        (warning,) = caplog.records
        assert (warning.learner_id, warning.foreign_id) == ("u-1", "u-2")  # type: ignore[attr-defined]  # logging extra


class InMemoryFacade:
    """The racing portfolio's store seen without the race (what the other writer uses)."""

    def __init__(self, repo: InMemoryPortfolioRepository) -> None:
        self.repo = repo

    def value_statements_for(self, user_ids: Collection[UserId]) -> Mapping[UserId, PortfolioEntry]:
        return InMemoryPortfolioRepository.value_statements_for(self.repo, user_ids)

    def save_entry(self, entry: PortfolioEntry, *, replacing: PortfolioEntry | None) -> PortfolioEntry | None:
        return InMemoryPortfolioRepository.save_entry(self.repo, entry, replacing=replacing)


# --- sync_value_statements --------------------------------------------------------


class TestSyncValueStatements:
    def test_backfills_many_learners_in_two_reads(self) -> None:
        """One session read and one entry read for the batch; learners with no completed session are left."""
        sessions = InMemorySessionRepository(
            [
                session("s-1", user=UserId("u-1")),
                session("s-2", user=UserId("u-2"), why=None, achieve=None, values=()),
                session("s-3", user=UserId("u-3"), status=SessionStatus.STARTED),
            ]
        )
        repo = InMemoryPortfolioRepository()
        learners = [UserId("u-1"), UserId("u-2"), UserId("u-3"), UserId("u-1")]
        out = sync_value_statements(learners, sessions=sessions, portfolio=repo, now=T0)
        assert [(s.learner_id, s.plan, s.reason_codes) for s in out] == [
            ("u-1", EntryPlanKind.CREATE, ("value_statement_created",)),
            ("u-2", EntryPlanKind.CREATE, ("value_statement_created",)),
            ("u-3", None, ("no_completed_session",)),
        ]
        assert sessions.calls["latest_completed_sessions"] == 1
        assert repo.calls["value_statements_for"] == 1
        assert repo.calls["save_entry"] == 2
        again = sync_value_statements(
            learners, sessions=sessions, portfolio=repo, now=T0 + timedelta(hours=1)
        )
        assert [s.plan for s in again] == [EntryPlanKind.KEEP, EntryPlanKind.KEEP, None]
        assert repo.calls["save_entry"] == 2

    def test_session_repository_failure(self) -> None:
        """A failing session repository syncs nothing and says profiler_unavailable for everyone."""
        repo = InMemoryPortfolioRepository()
        out = sync_value_statements(
            [LEARNER],
            sessions=FailingRepository(),  # type: ignore[arg-type]  # stands in for any port
            portfolio=repo,
            now=T0,
        )
        assert [(s.reason_codes, s.degraded) for s in out] == [(("profiler_unavailable",), True)]
        assert repo.entries == []

    def test_failing_batch_read_falls_back_to_one_by_one(self) -> None:
        """If the batch read of entries fails, each learner is read on its own; saves still happen."""

        class FlakyBatch(InMemoryPortfolioRepository):
            def value_statements_for(self, user_ids: Collection[UserId]) -> Mapping[UserId, PortfolioEntry]:
                if len(user_ids) > 1:
                    raise ConnectionError("batch read failed")
                return super().value_statements_for(user_ids)

        repo = FlakyBatch()
        sessions = InMemorySessionRepository([session("s-1"), session("s-2", user=UserId("u-2"))])
        out = sync_value_statements([LEARNER, UserId("u-2")], sessions=sessions, portfolio=repo, now=T0)
        assert [s.plan for s in out] == [EntryPlanKind.CREATE, EntryPlanKind.CREATE]
        assert len(repo.entries) == 2


# --- learner_edits_statement --------------------------------------------------------


class TestLearnerEditsStatement:
    def test_applies_and_stores_the_edit(self) -> None:
        """A valid edit is stored, marked as the learner's."""
        repo = InMemoryPortfolioRepository()
        on_profiler_completed(session(), portfolio=repo, now=T0)
        outcome = learner_edits_statement(
            LEARNER, " My  words. ", portfolio=repo, now=T0 + timedelta(hours=1)
        )
        assert outcome.accepted
        assert outcome.reason.code == "edit_applied"
        assert outcome.entry is not None
        assert (outcome.entry.summary, outcome.entry.learner_edited_at) == (
            "My words.",
            T0 + timedelta(hours=1),
        )
        assert statements(repo) == [outcome.entry]

    @pytest.mark.parametrize(("text", "code"), [("  ", "edit_empty"), ("x" * 2001, "edit_too_long")])
    def test_invalid_edit_is_rejected_before_any_read(self, text: str, code: str) -> None:
        """An invalid edit names its field and costs no repository call."""
        repo = InMemoryPortfolioRepository()
        outcome = learner_edits_statement(LEARNER, text, portfolio=repo, now=T0)
        assert not outcome.accepted
        assert outcome.rejection is not None
        assert (outcome.rejection.field, outcome.reason.code) == ("summary", code)
        assert repo.calls.total() == 0

    def test_no_statement_yet(self) -> None:
        """Editing before the statement exists gives value_statement_not_found."""
        outcome = learner_edits_statement(LEARNER, "Mine.", portfolio=InMemoryPortfolioRepository(), now=T0)
        assert (outcome.accepted, outcome.reason.code) == (False, "value_statement_not_found")
        assert outcome.reason.message == "Value statement not found. Please complete profiler first."

    def test_same_edit_twice_saves_once(self) -> None:
        """Saving the same text again is accepted and writes nothing."""
        repo = InMemoryPortfolioRepository()
        on_profiler_completed(session(), portfolio=repo, now=T0)
        learner_edits_statement(LEARNER, "Mine.", portfolio=repo, now=T0)
        outcome = learner_edits_statement(LEARNER, "Mine.", portfolio=repo, now=T0 + timedelta(minutes=1))
        assert (outcome.accepted, outcome.reason.code) == (True, "edit_unchanged")
        assert repo.calls["save_entry"] == 2

    def test_edit_racing_a_sync_is_reapplied(self) -> None:
        """If a sync wrote between the read and the save, the edit is applied to the fresh entry."""
        base = InMemoryPortfolioRepository()
        on_profiler_completed(session(), portfolio=base, now=T0)

        def retake(repo: RacingPortfolio) -> None:
            on_profiler_completed(session("s-2", why="Puzzles"), portfolio=InMemoryFacade(repo), now=T0)

        repo = RacingPortfolio(base.entries, retake)
        outcome = learner_edits_statement(LEARNER, "Mine.", portfolio=repo, now=T0 + timedelta(hours=1))
        assert outcome.accepted
        (entry,) = statements(repo)
        assert (entry.summary, entry.profiler_session_id) == ("Mine.", "s-2")

    def test_persistent_conflict(self) -> None:
        """An edit that loses every race is reported as portfolio_conflict."""

        def bump(repo: RacingPortfolio) -> None:
            (current,) = statements(repo)
            later = (current.updated_at or T0) + timedelta(seconds=1)
            repo.entries[repo.entries.index(current)] = attrs.evolve(current, updated_at=later)

        base = InMemoryPortfolioRepository()
        on_profiler_completed(session(), portfolio=base, now=T0)
        outcome = learner_edits_statement(
            LEARNER, "Mine.", portfolio=RacingPortfolio(base.entries, bump, races=2), now=T0
        )
        assert (outcome.accepted, outcome.reason.code, outcome.degraded) == (
            False,
            "portfolio_conflict",
            True,
        )

    def test_repository_failure(self, caplog: pytest.LogCaptureFixture) -> None:
        """A failing portfolio is logged at WARNING and reported as portfolio_unavailable."""
        with caplog.at_level(logging.WARNING, logger="profiler_core.portfolio"):
            outcome = learner_edits_statement(LEARNER, "Mine.", portfolio=FailingRepository(), now=T0)  # type: ignore[arg-type]  # any port
        assert (outcome.reason.code, outcome.degraded) == ("portfolio_unavailable", True)
        assert [r.levelno for r in caplog.records] == [logging.WARNING]

    def test_foreign_entry_is_never_edited(self, caplog: pytest.LogCaptureFixture) -> None:
        """An adapter handing back another learner's entry: not found, nothing saved, one WARNING with ids."""
        other = UserId("u-2")
        repo = InMemoryPortfolioRepository()
        on_profiler_completed(session(user=other), portfolio=repo, now=T0)
        (theirs,) = statements(repo, other)

        class Confused(InMemoryPortfolioRepository):
            def value_statements_for(self, user_ids: Collection[UserId]) -> Mapping[UserId, PortfolioEntry]:
                return {LEARNER: theirs}

        confused = Confused(repo.entries)
        with caplog.at_level(logging.WARNING, logger="profiler_core.portfolio"):
            outcome = learner_edits_statement(LEARNER, "Mine.", portfolio=confused, now=T0)
        assert (outcome.accepted, outcome.reason.code, outcome.entry, outcome.degraded) == (
            False,
            "value_statement_not_found",
            None,
            False,
        )
        assert statements(confused, other) == [theirs]
        assert confused.calls["save_entry"] == 0
        (warning,) = caplog.records
        assert (warning.levelno, warning.learner_id, warning.foreign_id) == (  # type: ignore[attr-defined]  # logging extra
            logging.WARNING,
            "u-1",
            "u-2",
        )


# --- value_statement_for_leadership ------------------------------------------------


class TestValueStatementForLeadership:
    def test_not_found(self) -> None:
        """Without a statement the academy gets the typed not-found outcome and its message."""
        start = value_statement_for_leadership(
            LEARNER, portfolio=InMemoryPortfolioRepository(), sessions=InMemorySessionRepository()
        )
        assert isinstance(start.statement, StatementNotFound)
        assert start.statement.message == "Value statement not found. Please complete profiler first."
        assert not start.found
        assert (start.identity, start.onboarding) == (None, None)

    def test_found_seeds_identity_and_onboarding(self) -> None:
        """A learner with a statement gets the identity from its sources and the onboarding plan."""
        sessions = InMemorySessionRepository([session(achieve=None, selection=DifficultySelection.ELITE)])
        repo = InMemoryPortfolioRepository()
        on_profiler_completed(sessions.sessions[0], portfolio=repo, now=T0)
        learner_edits_statement(LEARNER, "My edited statement.", portfolio=repo, now=T0)
        start = value_statement_for_leadership(LEARNER, portfolio=repo, sessions=sessions)
        assert start.found
        assert isinstance(start.statement, LeadershipStatement)
        assert start.statement.text == "My edited statement."
        assert start.identity is not None
        assert start.identity.purpose.answers == (WHY,)
        assert start.identity.value.answers == ("integrity",)
        assert start.identity.missing == (Pillar.IMPACT,)
        assert start.identity.starting_point.title == "Executive Security Leadership"
        assert start.onboarding is not None
        assert start.onboarding.to_supply == ("impact", "leadership_reflection")
        assert [r.code for r in start.reasons] == ["leadership_selection_mapped"]

    def test_statement_without_a_completed_session(self) -> None:
        """An entry whose session is gone seeds every part as a prompt, with reason no_completed_session."""
        repo = InMemoryPortfolioRepository()
        on_profiler_completed(session(), portfolio=repo, now=T0)
        start = value_statement_for_leadership(LEARNER, portfolio=repo, sessions=InMemorySessionRepository())
        assert start.identity is not None
        assert start.identity.missing == (Pillar.VALUE, Pillar.IMPACT, Pillar.PURPOSE)
        assert [r.code for r in start.reasons] == ["no_completed_session", "leadership_selection_missing"]

    def test_failures_degrade(self) -> None:
        """A failing portfolio or session repository is reported, never raised."""
        failing = FailingRepository()
        no_portfolio = value_statement_for_leadership(
            LEARNER,
            portfolio=failing,  # type: ignore[arg-type]  # stands in for any port
            sessions=InMemorySessionRepository(),
        )
        assert (no_portfolio.statement, no_portfolio.degraded) == (None, True)
        assert [r.code for r in no_portfolio.reasons] == ["portfolio_unavailable"]
        repo = InMemoryPortfolioRepository()
        on_profiler_completed(session(), portfolio=repo, now=T0)
        no_sessions = value_statement_for_leadership(
            LEARNER,
            portfolio=repo,
            sessions=failing,  # type: ignore[arg-type]  # stands in for any port
        )
        assert (no_sessions.found, no_sessions.identity, no_sessions.degraded) == (True, None, True)
        assert [r.code for r in no_sessions.reasons] == ["profiler_unavailable"]

    def test_foreign_entry_is_not_found(self, caplog: pytest.LogCaptureFixture) -> None:
        """Another learner's entry from the adapter is dropped (WARNING, ids only): not found, no raise."""
        other = UserId("u-2")
        repo = InMemoryPortfolioRepository()
        on_profiler_completed(session(user=other), portfolio=repo, now=T0)
        (theirs,) = statements(repo, other)

        class Confused(InMemoryPortfolioRepository):
            def value_statements_for(self, user_ids: Collection[UserId]) -> Mapping[UserId, PortfolioEntry]:
                return {LEARNER: theirs}

        sessions = InMemorySessionRepository([session()])
        with caplog.at_level(logging.WARNING, logger="profiler_core.leadership"):
            start = value_statement_for_leadership(LEARNER, portfolio=Confused(), sessions=sessions)
        assert isinstance(start.statement, StatementNotFound)
        assert (start.found, start.identity, start.degraded) == (False, None, False)
        assert [r.code for r in start.reasons] == ["value_statement_not_found"]
        assert sessions.calls.total() == 0
        (warning,) = caplog.records
        assert (warning.levelno, warning.learner_id, warning.foreign_id) == (  # type: ignore[attr-defined]  # logging extra
            logging.WARNING,
            "u-1",
            "u-2",
        )
        assert not free_text_in_logs(caplog.records, [WHY, ACHIEVE, "integrity"])

    def test_foreign_session_never_seeds_the_identity(self, caplog: pytest.LogCaptureFixture) -> None:
        """Another learner's session from the adapter is dropped: every part is a prompt, none is theirs."""

        class Confused(InMemorySessionRepository):
            def latest_completed_sessions(
                self, user_ids: Collection[UserId]
            ) -> Mapping[UserId, ProfilerSession]:
                return {LEARNER: session("s-9", user=UserId("u-2"), why="Their secret reason")}

        repo = InMemoryPortfolioRepository()
        on_profiler_completed(session(), portfolio=repo, now=T0)
        with caplog.at_level(logging.WARNING, logger="profiler_core.leadership"):
            start = value_statement_for_leadership(LEARNER, portfolio=repo, sessions=Confused())
        assert start.identity is not None
        assert start.identity.missing == (Pillar.VALUE, Pillar.IMPACT, Pillar.PURPOSE)
        assert start.identity.session_id is None
        assert [r.code for r in start.reasons] == ["no_completed_session", "leadership_selection_missing"]
        (warning,) = caplog.records
        assert (warning.learner_id, warning.foreign_id) == ("u-1", "u-2")  # type: ignore[attr-defined]  # logging extra

    def test_logs_ids_only(self, caplog: pytest.LogCaptureFixture) -> None:
        """The leadership DEBUG record has ids, level and missing pillars, never the learner's words."""
        sessions = InMemorySessionRepository([session()])
        repo = InMemoryPortfolioRepository()
        on_profiler_completed(sessions.sessions[0], portfolio=repo, now=T0)
        with caplog.at_level(logging.DEBUG, logger="profiler_core.leadership"):
            value_statement_for_leadership(LEARNER, portfolio=repo, sessions=sessions)
        assert not free_text_in_logs(caplog.records, [WHY, ACHIEVE, "integrity"])
        (record,) = caplog.records
        assert (record.learner_id, record.found, record.level) == ("u-1", True, "intermediate")  # type: ignore[attr-defined]  # logging extra


# --- testing kit -------------------------------------------------------------------


class TestPortfolioKit:
    def test_fake_honours_the_contract(self) -> None:
        """The in-memory portfolio passes the contract a host runs against its adapter."""
        check_portfolio_repository(InMemoryPortfolioRepository)

    def test_contract_catches_a_duplicating_adapter(self) -> None:
        """An adapter that creates a second value statement fails the contract."""

        class Duplicating(InMemoryPortfolioRepository):
            def save_entry(
                self, entry: PortfolioEntry, *, replacing: PortfolioEntry | None
            ) -> PortfolioEntry | None:
                if replacing is None:
                    stored = attrs.evolve(entry, id=EntryId(f"dup-{len(self.entries)}"))
                    self.entries.append(stored)
                    return stored
                return super().save_entry(entry, replacing=replacing)

        with pytest.raises(AssertionError, match="never be created"):
            check_portfolio_repository(Duplicating)

    def test_contract_catches_a_blind_overwrite(self) -> None:
        """An adapter that replaces without comparing overwrites the learner's edit and fails the contract."""

        class Blind(InMemoryPortfolioRepository):
            def save_entry(
                self, entry: PortfolioEntry, *, replacing: PortfolioEntry | None
            ) -> PortfolioEntry | None:
                if replacing is not None:
                    self.entries = [entry if e.id == entry.id else e for e in self.entries]
                    return entry
                return super().save_entry(entry, replacing=replacing)

        with pytest.raises(AssertionError, match="outdated"):
            check_portfolio_repository(Blind)

    def test_contract_catches_a_wrong_pick(self) -> None:
        """An adapter that returns the newest duplicate fails the contract."""

        class Newest(InMemoryPortfolioRepository):
            def value_statements_for(self, user_ids: Collection[UserId]) -> Mapping[UserId, PortfolioEntry]:
                return {
                    e.user_id: e
                    for e in self.entries
                    if e.user_id in user_ids and is_value_statement_entry(e)
                }

        with pytest.raises(AssertionError, match="value_statements_for"):
            check_portfolio_repository(Newest)

    def test_fake_also_serves_the_access_port(self) -> None:
        """One adapter serves both PortfolioRepository and the access layer's ValueStatementSource."""
        repo: PortfolioRepository = InMemoryPortfolioRepository(contract_portfolio_entries())
        source: ValueStatementSource = InMemoryPortfolioRepository(contract_portfolio_entries())
        assert repo.value_statements_for([UserId("u-one")]) == source.value_statements_for([UserId("u-one")])

    def test_fake_refuses_misuse(self) -> None:
        """The fake refuses a create with an id and a replace of another entry."""
        repo = InMemoryPortfolioRepository(contract_portfolio_entries())
        first = repo.entries[0]
        with pytest.raises(ValueError, match="id"):
            repo.save_entry(first, replacing=None)
        with pytest.raises(ValueError, match="id"):
            repo.save_entry(attrs.evolve(first, id=EntryId("other")), replacing=first)
        gone = attrs.evolve(first, id=EntryId("gone"))
        assert repo.save_entry(gone, replacing=gone) is None

    def test_fake_issues_unused_ids(self) -> None:
        """New ids skip the ones already stored."""
        taken = attrs.evolve(contract_portfolio_entries()[0], id=EntryId("entry-1"))
        repo = InMemoryPortfolioRepository([taken])
        new = attrs.evolve(taken, id=None, user_id=UserId("u-new"))
        saved = repo.save_entry(new, replacing=None)
        assert saved is not None
        assert saved.id == "entry-2"


# --- the whole lifecycle, driven against the fake beside a model ---------------------


class PortfolioLifecycle(RuleBasedStateMachine):
    """Completions, retakes and edits in any order: one entry per learner, and edits are never replaced."""

    def __init__(self) -> None:
        super().__init__()
        self.repo = InMemoryPortfolioRepository()
        self.now = T0
        self.sessions = 0
        self.last_edit: dict[UserId, str] = {}

    def _tick(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now

    @rule(
        learner=st.sampled_from([UserId("u-1"), UserId("u-2")]), reflection=reflections(), twice=st.booleans()
    )
    def complete(self, learner: UserId, reflection: Reflection, twice: bool) -> None:
        self.sessions += 1
        done = attrs.evolve(
            session(f"s-{self.sessions}", user=learner),
            reflection=reflection,
        )
        for _ in range(2 if twice else 1):
            sync = on_profiler_completed(done, portfolio=self.repo, now=self._tick())
            assert not sync.degraded

    @rule(learner=st.sampled_from([UserId("u-1"), UserId("u-2")]), text=hostile_texts(max_pieces=10))
    def edit(self, learner: UserId, text: str) -> None:
        outcome = learner_edits_statement(learner, text, portfolio=self.repo, now=self._tick())
        if outcome.accepted:
            assert outcome.entry is not None
            assert outcome.entry.summary is not None
            self.last_edit[learner] = outcome.entry.summary

    @invariant()
    def one_statement_per_learner(self) -> None:
        for learner in (UserId("u-1"), UserId("u-2")):
            assert len(statements(self.repo, learner)) <= 1

    @invariant()
    def edits_are_never_replaced(self) -> None:
        for learner, text in self.last_edit.items():
            (entry,) = statements(self.repo, learner)
            assert entry.summary == text
            assert entry.learner_edited_at is not None


TestPortfolioLifecycle = PortfolioLifecycle.TestCase
TestPortfolioLifecycle.settings = settings(max_examples=40, stateful_step_count=12, deadline=None)

"""Type-level tests for the portfolio and leadership: mypy checks this file; pytest finds nothing to run.

Each ``check_*`` function is never called. ``assert_type`` pins what a public
signature infers to; an assignment to a port pins that a fake satisfies it; a
``# type: ignore[code]`` pins that a misuse *is* flagged.
"""

from __future__ import annotations

from datetime import datetime
from typing import assert_type

from profiler_core import (
    EditApplied,
    EditRejected,
    EntryPlanKind,
    IdentityResponse,
    LeadershipIdentity,
    LeadershipStatement,
    OnboardingPlan,
    PortfolioEntry,
    ProfilerSession,
    Reflection,
    SessionId,
    StatementNotFound,
    UserId,
    ValueStatement,
    apply_statement_edit,
    compose_value_statement,
    leadership_statement,
    plan_leadership_onboarding,
    plan_value_statement_entry,
    seed_leadership_identity,
)
from profiler_core.portfolio import CreateEntry, KeepEntry, UpdateEntry
from profiler_core.ports import PortfolioRepository, ValueStatementSource
from profiler_core.services import (
    LeadershipStart,
    StatementEditOutcome,
    ValueStatementSync,
    learner_edits_statement,
    on_profiler_completed,
    sync_value_statements,
    value_statement_for_leadership,
)
from profiler_core.testing import InMemoryPortfolioRepository, InMemorySessionRepository

__all__: list[str] = []


def check_composition(
    session: ProfilerSession, reflection: Reflection, answers: list[IdentityResponse]
) -> None:
    """Both call shapes infer a ValueStatement; a session with separate answers is refused."""
    assert_type(compose_value_statement(session), ValueStatement)
    assert_type(compose_value_statement(reflection, answers), ValueStatement)
    assert_type(compose_value_statement(), ValueStatement)
    compose_value_statement(session, answers)  # type: ignore[call-overload]


def check_plan(entry: PortfolioEntry | None, statement: ValueStatement, now: datetime) -> None:
    """The plan is a union narrowed by isinstance; every member has a kind."""
    plan = plan_value_statement_entry(
        entry, statement, session_id=SessionId("s"), learner_id=UserId("u"), now=now
    )
    assert_type(plan, CreateEntry | UpdateEntry | KeepEntry)
    assert_type(plan.kind, EntryPlanKind)
    if isinstance(plan, UpdateEntry):
        assert_type(plan.previous, PortfolioEntry)
    edited = apply_statement_edit(plan.entry, "text", now=now)
    assert_type(edited, EditApplied | EditRejected)


def check_leadership(entry: PortfolioEntry | None, statement: ValueStatement) -> None:
    """Retrieval is found-or-not-found; seeding and planning infer their values."""
    found = leadership_statement(entry, learner_id=UserId("u"))
    assert_type(found, LeadershipStatement | StatementNotFound)
    if isinstance(found, StatementNotFound):
        assert_type(found.message, str)
    identity = seed_leadership_identity(statement, difficulty_selection=None)
    assert_type(identity, LeadershipIdentity)
    assert_type(plan_leadership_onboarding(identity), OnboardingPlan)


def check_services(session: ProfilerSession, now: datetime) -> None:
    """The fake satisfies both portfolio ports; services infer their outcomes."""
    portfolio: PortfolioRepository = InMemoryPortfolioRepository()
    source: ValueStatementSource = InMemoryPortfolioRepository()
    sessions = InMemorySessionRepository()
    assert_type(on_profiler_completed(session, portfolio=portfolio, now=now), ValueStatementSync)
    assert_type(
        sync_value_statements([UserId("u")], sessions=sessions, portfolio=portfolio, now=now),
        tuple[ValueStatementSync, ...],
    )
    assert_type(learner_edits_statement(UserId("u"), "t", portfolio=portfolio, now=now), StatementEditOutcome)
    assert_type(
        value_statement_for_leadership(UserId("u"), portfolio=portfolio, sessions=sessions), LeadershipStart
    )
    del source

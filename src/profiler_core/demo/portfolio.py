"""Demo section: the portfolio value statement and the VIP leadership identity (SPEC §6, §7)."""

from __future__ import annotations

from profiler_core.demo.sample import SamplePlatform
from profiler_core.demo.table import table
from profiler_core.leadership import StatementNotFound
from profiler_core.models import UserId
from profiler_core.portfolio import (
    DEFAULT_VALUE_STATEMENT_POLICY,
    StatementCompleteness,
    ValueStatement,
    compose_value_statement,
)
from profiler_core.services import (
    ValueStatementSync,
    learner_edits_statement,
    on_profiler_completed,
    sync_value_statements,
    value_statement_for_leadership,
)
from profiler_core.testing.fakes import InMemoryPortfolioRepository, InMemorySessionRepository

__all__ = ["portfolio_section"]

_LABELS = {
    StatementCompleteness.COMPLETE: "complete reflection",
    StatementCompleteness.PARTIAL: "partial reflection",
    StatementCompleteness.IDENTITY_ONLY: "no reflection, identity answers only",
}


def _sentences(statement: ValueStatement | None) -> str:
    if statement is None:
        return "-"
    return " ".join(
        f"{s.template_id}<{','.join(src.key for src in s.sources) or '-'}>" for s in statement.sentences
    )


def _row(sync: ValueStatementSync) -> tuple[str, ...]:
    statement = sync.statement
    return (
        sync.learner_id,
        sync.session_id or "-",
        statement.completeness.value if statement else "-",
        sync.plan.value if sync.plan else "-",
        sync.entry.id or "-" if sync.entry else "-",
        _sentences(statement),
        " ".join(f"[{code}]" for code in sync.reason_codes),
    )


def portfolio_section(platform: SamplePlatform) -> str:
    """Statements for learners with complete, partial and no reflection; idempotence; edits; leadership."""
    sessions = InMemorySessionRepository(platform.sessions, platform.results)
    portfolio = InMemoryPortfolioRepository()
    learners = platform.learners[:6]
    now = platform.now
    policy = DEFAULT_VALUE_STATEMENT_POLICY
    first = sync_value_statements(learners, sessions=sessions, portfolio=portfolio, now=now)
    header = ("learner", "session", "completeness", "plan", "entry", "sentences <sources>", "reasons")
    lines = [
        f"Composed when the profiler completes (policy {policy.ref}; reflection answers bounded to "
        f"{policy.answer_limit} characters, identity answers to {policy.identity_answer_limit}, "
        f"at most {policy.identity_answer_count} of them). The sample rotates reflection kinds by learner.",
        table(header, [_row(s) for s in first]),
        "",
        "Statements (plain text; the host escapes it when rendering):",
    ]
    shown: set[StatementCompleteness] = set()
    for sync in first:
        statement = sync.statement
        if statement is not None and statement.completeness not in shown:
            shown.add(statement.completeness)
            lines.append(f"  {sync.learner_id} ({_LABELS[statement.completeness]}): {statement.text}")
    generic = compose_value_statement()
    lines.append(f"  (a learner who answered nothing, {generic.completeness.value}): {generic.text}")

    saves = portfolio.calls["save_entry"]
    again = sync_value_statements(learners, sessions=sessions, portfolio=portfolio, now=now)
    resaves = portfolio.calls["save_entry"] - saves
    entries = len([e for e in portfolio.entries if e.user_id == learners[0]])
    edited = learners[0]
    edit = learner_edits_statement(
        edited,
        "I protect people online, and I want to lead the team that does it.",
        portfolio=portfolio,
        now=now,
    )
    latest = sessions.latest_completed_sessions([edited])[edited]
    resync = on_profiler_completed(latest, portfolio=portfolio, now=now)
    kept = portfolio.value_statements_for([edited])[edited]
    lines += [
        "",
        "Idempotence and the learner's edit:",
        f"  sync again: {', '.join(sorted({s.plan.value for s in again if s.plan}))} for every learner, "
        f"{resaves} new saves; {entries} entry for {edited}.",
        f"  {edited} edits the statement: [{edit.reason.code}]; completion runs again: "
        + " ".join(f"[{c}]" for c in resync.reason_codes)
        + f"; summary is still the learner's: {kept.summary!r}; suggestion kept beside it: "
        f"{kept.suggested_summary is not None}.",
    ]

    rows = []
    prompts: dict[str, str] = {}
    not_found: list[str] = []
    for learner in learners:
        start = value_statement_for_leadership(UserId(learner), portfolio=portfolio, sessions=sessions)
        if isinstance(start.statement, StatementNotFound):
            not_found.append(f"  {learner}: {start.statement.message}")
            continue
        identity = start.identity
        if (
            identity is None or start.onboarding is None
        ):  # pragma: no cover - the sample repositories never fail
            continue
        prompts[identity.level.value] = identity.reflection_prompt.text
        rows.append(
            (
                learner,
                identity.starting_point.selection.value if identity.starting_point.selection else "-",
                identity.starting_point.title,
                identity.level.value,
                *(
                    "prompt" if part.is_prompt else "+".join(s.key for s in part.sources)
                    for part in identity.parts
                ),
                ", ".join(start.onboarding.to_supply),
            )
        )
    lines += [
        "",
        "VIP Leadership Academy: Value (identity answers), Impact (what_achieve), Purpose (why_cyber):",
        table(
            (
                "learner",
                "selection",
                "starting point",
                "level",
                "value",
                "impact",
                "purpose",
                "learner supplies",
            ),
            rows,
        ),
        "Not found:",
        *not_found,
        "Reflection prompts by level:",
        *(f"  {level}: {text}" for level, text in sorted(prompts.items())),
    ]
    return "\n".join(lines)

"""Portfolio and leadership use cases (SPEC §6, §7): value-statement sync, edits, the academy start.

Logs on ``profiler_core.portfolio`` and ``profiler_core.leadership``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime

from attrs import field, frozen

from profiler_core._logging import get_logger
from profiler_core.decisions import Explained, Reason, _reasons
from profiler_core.leadership import (
    DEFAULT_LEADERSHIP_POLICY,
    LeadershipIdentity,
    LeadershipPolicy,
    LeadershipStatement,
    OnboardingPlan,
    StatementNotFound,
    leadership_statement,
    plan_leadership_onboarding,
    seed_leadership_identity,
)
from profiler_core.mapping import (
    latest_completed_session,
)
from profiler_core.models import (
    IdLike,
    PortfolioEntry,
    ProfilerSession,
    SessionId,
    UserId,
    _to_id,
    _to_optional_id,
    _valid_id,
    _valid_optional_id,
    require_aware,
)
from profiler_core.portfolio import (
    DEFAULT_VALUE_STATEMENT_POLICY,
    EditRejected,
    EntryPlan,
    EntryPlanKind,
    KeepEntry,
    ValueStatement,
    ValueStatementPolicy,
    apply_statement_edit,
    compose_value_statement,
    plan_value_statement_entry,
    validate_statement_edit,
)
from profiler_core.ports import (
    PortfolioRepository,
    SessionRepository,
)
from profiler_core.services._common import _Guard, _id_arg, _ids, _is_degraded

__all__ = [
    "ValueStatementSync",
    "on_profiler_completed",
    "sync_value_statements",
    "StatementEditOutcome",
    "learner_edits_statement",
    "LeadershipStart",
    "value_statement_for_leadership",
]


_portfolio_log = get_logger("portfolio")
_leadership_log = get_logger("leadership")

_PORTFOLIO_UNAVAILABLE = Reason(
    code="portfolio_unavailable", message="The portfolio repository failed; nothing was stored."
)
_PORTFOLIO_CONFLICT = Reason(
    code="portfolio_conflict",
    message="The entry changed twice while being saved; nothing was stored (try again).",
)


@frozen(kw_only=True)
class ValueStatementSync(Explained):
    """What one completion (or sync) did to a learner's value-statement entry.

    Attributes:
        learner_id: the learner.
        session_id: the completed session the statement was composed from (``None`` when none counted).
        statement: the composed statement (``None`` when there was no completed session).
        plan: what the plan was (``None`` when nothing was planned).
        entry: the entry as stored after the call (``None`` when there is none or it is unknown).
        reasons: the plan's reason, then any degradation (``portfolio_unavailable``, ``portfolio_conflict``,
            ``profiler_unavailable`` when the replay check could not read the latest session), or why
            nothing was planned (``session_not_completed``, ``stale_session_ignored``,
            ``no_completed_session``, ``profiler_unavailable``).
        degraded: derived: ``True`` when a repository failed or a conflict persisted
            (a ``*_unavailable`` or ``portfolio_conflict`` reason).
    """

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    session_id: SessionId | None = field(converter=_to_optional_id, validator=_valid_optional_id)
    statement: ValueStatement | None
    plan: EntryPlanKind | None
    entry: PortfolioEntry | None
    reasons: tuple[Reason, ...] = field(converter=_reasons)
    degraded: bool = field(init=False)

    @degraded.default
    def _derive_degraded(self) -> bool:
        # Derived, never passed in: degraded exactly when a degraded reason is present.
        return _is_degraded(self.reasons)


def _entry_owner(entry: PortfolioEntry) -> str:
    return entry.user_id


def _session_owner(session: ProfilerSession) -> str:
    return session.user_id


def _store_statement(
    learner_id: UserId,
    session_id: SessionId,
    statement: ValueStatement,
    *,
    portfolio: PortfolioRepository,
    now: datetime,
    prefetched: Mapping[str, PortfolioEntry] | None,
    guard: _Guard,
) -> tuple[PortfolioEntry | None, EntryPlan, tuple[Reason, ...]]:
    def attempt(existing: PortfolioEntry | None) -> tuple[PortfolioEntry | None, EntryPlan]:
        plan = plan_value_statement_entry(
            existing, statement, session_id=session_id, learner_id=learner_id, now=now
        )
        if isinstance(plan, KeepEntry):
            return plan.entry, plan
        saved = portfolio.save_entry(plan.entry, replacing=existing)
        # An entry of another learner was not this learner's save: treat it as not stored.
        return guard.owned(saved, learner_id, _entry_owner, "a saved entry"), plan

    def read() -> PortfolioEntry | None:
        return guard.owned_map(
            portfolio.value_statements_for([learner_id]), [learner_id], _entry_owner, "a value statement"
        ).get(learner_id)

    stored, plan = attempt(prefetched.get(learner_id) if prefetched is not None else read())
    if stored is None:
        # A concurrent writer made the save return None: read again and re-plan once.
        stored, plan = attempt(read())
    if stored is None:
        return None, plan, (plan.reason, _PORTFOLIO_CONFLICT)
    return stored, plan, (plan.reason,)


_REPLAY_UNCHECKED = Reason(
    code="profiler_unavailable",
    message="The latest completed session could not be read; the statement was stored "
    "without checking that this completion is the latest.",
)


def _superseding_session(
    session: ProfilerSession, sessions: SessionRepository | None, guard: _Guard
) -> ProfilerSession | None:
    """The learner's later completed session that makes *session* a stale replay.

    One repository call (a failure notes ``profiler_unavailable`` on *guard*). ``None`` when
    *session* is the latest (or newer than what the repository sees yet, e.g. a lagging
    replica), the read failed, or *sessions* is ``None``.
    """
    if sessions is None:
        return None
    user = session.user_id
    found: dict[str, ProfilerSession] = guard.fetch(
        lambda: guard.owned_map(
            sessions.latest_completed_sessions([user]), [user], _session_owner, "a latest session"
        ),
        {},
        "session repository failed; value statement stored without the replay check",
        _REPLAY_UNCHECKED,
    )
    latest = found.get(user)
    if latest is None or latest.id == session.id:
        return None
    # The same order as the repository's "latest" (completed_at, then id): only an older completion is stale.
    return latest if latest_completed_session([session, latest]) is latest else None


def _left_alone(
    session: ProfilerSession, sessions: SessionRepository | None, guard: _Guard
) -> tuple[Reason, ...]:
    """Why *session* leaves the portfolio as it is (not completed, a stale replay), or ``()``."""
    if not session.is_completed:
        return (
            Reason(
                code="session_not_completed",
                message=f"Session {session.id} is {session.status.value}, not completed; "
                "the portfolio is left as it is.",
            ),
        )
    newer = _superseding_session(session, sessions, guard)
    if newer is None:
        return ()
    return (
        Reason(
            code="stale_session_ignored",
            message=f"Session {session.id} completed before the learner's latest completed "
            f"session {newer.id}; the portfolio is left as it is.",
        ),
    )


def _sync_one(
    session: ProfilerSession,
    *,
    portfolio: PortfolioRepository,
    now: datetime,
    policy: ValueStatementPolicy,
    prefetched: Mapping[str, PortfolioEntry] | None,
    sessions: SessionRepository | None = None,
) -> ValueStatementSync:
    guard = _Guard(log=_portfolio_log, extra={"learner_id": session.user_id, "session_id": session.id})
    statement, plan_kind, entry = None, None, None
    reasons = _left_alone(session, sessions, guard)
    if not reasons:
        unchecked = tuple(guard.notes)  # the replay check's degradation, after the plan's reason
        statement = compose_value_statement(session, policy=policy)
        stored = guard.fetch(
            lambda: _store_statement(
                session.user_id,
                session.id,
                statement,
                portfolio=portfolio,
                now=now,
                prefetched=prefetched,
                guard=guard,
            ),
            None,
            "portfolio repository failed; value statement not stored",
            _PORTFOLIO_UNAVAILABLE,
        )
        if stored is None:
            reasons = (_PORTFOLIO_UNAVAILABLE, *unchecked)
        else:
            entry, plan, stored_reasons = stored
            plan_kind, reasons = plan.kind, (*stored_reasons, *unchecked)
    guard.decided(
        "value statement synced",
        learner_id=session.user_id,
        session_id=session.id,
        completeness=statement.completeness.value if statement else None,
        plan=plan_kind.value if plan_kind else None,
        entry_id=entry.id if entry else None,
        reason_codes=tuple(r.code for r in reasons),
        degraded=_is_degraded(reasons),
    )
    return ValueStatementSync(
        learner_id=session.user_id,
        session_id=session.id,
        statement=statement,
        plan=plan_kind,
        entry=entry,
        reasons=reasons,
    )


def on_profiler_completed(
    session: ProfilerSession,
    *,
    portfolio: PortfolioRepository,
    now: datetime,
    sessions: SessionRepository | None = None,
    policy: ValueStatementPolicy = DEFAULT_VALUE_STATEMENT_POLICY,
) -> ValueStatementSync:
    """Compose the learner's value statement and create, update or keep their entry (SPEC §6, §10.11).

    Call it where the profiler completes, on every path. Safe to call twice
    or concurrently: the plan is idempotent (a second call keeps), and the
    port's compare-and-set save means a concurrent writer makes this call
    read again and re-plan once (``portfolio_conflict`` if it still loses).
    A learner's edit is never overwritten. An incomplete session stores
    nothing (``session_not_completed``). Repository failures are logged at
    WARNING and reported as ``portfolio_unavailable``; nothing raises.

    Completions delivered out of order (a queue redelivering ``s-1`` after
    ``s-2`` was processed) are recognised only with *sessions*: one call reads
    the learner's latest completed session, and a *session* that completed
    before it leaves the entry as it is (``stale_session_ignored``, no
    portfolio call). A *session* newer than what the repository sees yet is
    applied. If that read fails the statement is stored anyway, degraded,
    with ``profiler_unavailable`` after the plan's reason. Without *sessions*
    a replayed older completion cannot be told apart from a retake: the entry
    records only the opaque id of its session, not when that session
    completed, so an unedited entry follows whichever completion came last.

    Args:
        session: the session that just completed.
        portfolio: the portfolio port.
        now: the time of the call (``created_at``/``updated_at``).
        sessions: the session port, to ignore replayed older completions (recommended).
        policy: the value-statement policy.
    """
    require_aware(now)
    return _sync_one(session, portfolio=portfolio, now=now, policy=policy, prefetched=None, sessions=sessions)


def sync_value_statements(
    learner_ids: Collection[IdLike],
    *,
    sessions: SessionRepository,
    portfolio: PortfolioRepository,
    now: datetime,
    policy: ValueStatementPolicy = DEFAULT_VALUE_STATEMENT_POLICY,
) -> tuple[ValueStatementSync, ...]:
    """Bring many learners' entries up to date with their latest completed sessions (a backfill).

    Two reads for the whole batch (sessions, entries), then one save per
    entry that changes; re-running it changes nothing. Learners without a
    completed session are reported with ``no_completed_session`` and left
    alone. Results follow the order of *learner_ids* (duplicates once; ``100``
    and ``"100"`` are one learner). A repository failure is logged at WARNING
    and reported (``profiler_unavailable``, ``portfolio_unavailable``); any
    other exception from an adapter propagates. A session or entry of another
    learner (a faulty adapter) is dropped with a WARNING and counts as absent.

    Raises:
        InvalidValueError: one of *learner_ids* is not an id (before any call).
    """
    learners = tuple(UserId(i) for i in _ids(learner_ids, "learner_ids"))
    guard = _Guard(log=_portfolio_log, extra={"learners": len(learners)})
    latest: dict[str, ProfilerSession] = guard.fetch(
        lambda: guard.owned_map(
            sessions.latest_completed_sessions(learners), learners, _session_owner, "a latest session"
        ),
        {},
        "session repository failed; no value statement synced",
        _NOTHING_SYNCED,
    )
    if guard.notes:
        return tuple(_not_synced(learner, _NOTHING_SYNCED) for learner in learners)
    with_sessions = [learner for learner in learners if learner in latest]
    # A failed batch read is no degradation: each learner's entry is read when synced.
    prefetched, _failed = guard.read(
        lambda: guard.owned_map(
            portfolio.value_statements_for(with_sessions), with_sessions, _entry_owner, "a value statement"
        ),
        None,
        "portfolio repository failed; entries are read one by one",
    )
    return tuple(
        _not_synced(learner, _NO_COMPLETED_SESSION)
        if (session := latest.get(learner)) is None
        else _sync_one(session, portfolio=portfolio, now=now, policy=policy, prefetched=prefetched)
        for learner in learners
    )


_NOTHING_SYNCED = Reason(
    code="profiler_unavailable", message="Profiler data is unavailable; nothing was synced."
)
_NO_COMPLETED_SESSION = Reason(
    code="no_completed_session",
    message="The learner has no completed profiler session; nothing to compose.",
)


def _not_synced(learner: UserId, reason: Reason) -> ValueStatementSync:
    return ValueStatementSync(
        learner_id=learner, session_id=None, statement=None, plan=None, entry=None, reasons=(reason,)
    )


@frozen(kw_only=True)
class StatementEditOutcome:
    """What became of a learner's edit of their value statement.

    Attributes:
        learner_id: the learner.
        entry: the entry as stored after the call (``None`` when not found or unknown).
        rejection: the validation error, with its field (``None`` when the edit passed validation).
        reason: ``edit_applied``, ``edit_unchanged``, ``edit_empty``, ``edit_too_long``,
            ``value_statement_not_found``, ``portfolio_conflict`` or ``portfolio_unavailable``.
        degraded: derived: ``True`` when a repository failed or a conflict persisted
            (``reason`` is ``portfolio_unavailable`` or ``portfolio_conflict``).
    """

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    entry: PortfolioEntry | None
    rejection: EditRejected | None
    reason: Reason
    degraded: bool = field(init=False)

    @degraded.default
    def _derive_degraded(self) -> bool:
        # Derived, never passed in: degraded exactly when a degraded reason is present.
        return _is_degraded((self.reason,))

    @property
    def accepted(self) -> bool:
        """``True`` when the learner's text is what the entry now holds."""
        return self.reason.code in ("edit_applied", "edit_unchanged")


def _edit(
    learner_id: UserId, text: str, portfolio: PortfolioRepository, now: datetime, policy: ValueStatementPolicy
) -> StatementEditOutcome:
    guard = _Guard(log=_portfolio_log, extra={"learner_id": learner_id})
    for _attempt in range(2):
        # Never let an edit land on another learner's entry.
        entry = guard.owned_map(
            portfolio.value_statements_for([learner_id]), [learner_id], _entry_owner, "a value statement"
        ).get(learner_id)
        if entry is None:
            return StatementEditOutcome(
                learner_id=learner_id,
                entry=None,
                rejection=None,
                reason=StatementNotFound(learner_id=learner_id).reason,
            )
        applied = apply_statement_edit(entry, text, now=now, policy=policy)
        if isinstance(applied, EditRejected):  # pragma: no cover - validated before the read
            return StatementEditOutcome(
                learner_id=learner_id, entry=entry, rejection=applied, reason=applied.reason
            )
        if not applied.changed:
            return StatementEditOutcome(
                learner_id=learner_id, entry=entry, rejection=None, reason=applied.reason
            )
        saved = guard.owned(
            portfolio.save_entry(applied.entry, replacing=entry), learner_id, _entry_owner, "a saved entry"
        )
        if saved is not None:
            return StatementEditOutcome(
                learner_id=learner_id, entry=saved, rejection=None, reason=applied.reason
            )
    return StatementEditOutcome(learner_id=learner_id, entry=None, rejection=None, reason=_PORTFOLIO_CONFLICT)


def learner_edits_statement(
    learner_id: IdLike,
    text: str,
    *,
    portfolio: PortfolioRepository,
    now: datetime,
    policy: ValueStatementPolicy = DEFAULT_VALUE_STATEMENT_POLICY,
) -> StatementEditOutcome:
    """Validate and store the learner's own edit of their value statement (SPEC §6).

    The learner edits only their own entry: it is looked up by *learner_id*
    (the authenticated user). An invalid edit is rejected with its field
    before any read; no entry gives ``value_statement_not_found``, and so does
    an entry of another learner from a faulty adapter (logged at WARNING,
    never saved). The save is compare-and-set: if a sync wrote in between, the
    edit is re-applied to the fresh entry once. From then on no re-composition
    overwrites the edit. A repository failure gives ``portfolio_unavailable``
    (logged at WARNING); any other exception from an adapter propagates.
    *learner_id* may be a ``str``, ``int`` or ``UUID`` (canonicalised first).
    """
    learner = UserId(_id_arg(learner_id, "learner_id"))
    guard = _Guard(log=_portfolio_log, extra={"learner_id": learner})
    checked = validate_statement_edit(text, policy=policy)
    if isinstance(checked, EditRejected):
        outcome = StatementEditOutcome(
            learner_id=learner, entry=None, rejection=checked, reason=checked.reason
        )
    else:
        edited = checked.text
        outcome = guard.fetch(
            lambda: _edit(learner, edited, portfolio, now, policy),
            StatementEditOutcome(
                learner_id=learner, entry=None, rejection=None, reason=_PORTFOLIO_UNAVAILABLE
            ),
            "portfolio repository failed; edit not stored",
            _PORTFOLIO_UNAVAILABLE,
        )
    guard.decided(
        "value statement edit",
        learner_id=learner,
        entry_id=outcome.entry.id if outcome.entry else None,
        reason_code=outcome.reason.code,
        field=outcome.rejection.field if outcome.rejection else None,
        degraded=outcome.degraded,
    )
    return outcome


@frozen(kw_only=True)
class LeadershipStart:
    """What the VIP Leadership Academy needs to onboard a learner (SPEC §7).

    Attributes:
        learner_id: the learner.
        statement: the found statement, :class:`~profiler_core.leadership.StatementNotFound`
            (its ``message`` is the one to show), or ``None`` when the portfolio was unavailable.
        identity: Value, Impact, Purpose, starting point and level (``None`` unless found and
            the profiler data could be read).
        onboarding: the onboarding plan built from :attr:`identity`.
        reasons: why (``value_statement_not_found``, the starting point's reason,
            ``no_completed_session``, ``portfolio_unavailable``, ``profiler_unavailable``).
        degraded: derived: ``True`` when a repository failed (``portfolio_unavailable``
            or ``profiler_unavailable`` among the reasons).
    """

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    statement: LeadershipStatement | StatementNotFound | None
    identity: LeadershipIdentity | None
    onboarding: OnboardingPlan | None
    reasons: tuple[Reason, ...] = field(converter=_reasons)
    degraded: bool = field(init=False)

    @degraded.default
    def _derive_degraded(self) -> bool:
        # Derived, never passed in: degraded exactly when a degraded reason is present.
        return _is_degraded(self.reasons)

    @property
    def found(self) -> bool:
        """``True`` when the learner has a value statement."""
        return isinstance(self.statement, LeadershipStatement)


_PROFILER_UNSEEDED = Reason(
    code="profiler_unavailable", message="Profiler data is unavailable; the identity cannot be seeded now."
)
_NO_SESSION_TO_SEED = Reason(
    code="no_completed_session",
    message="The learner has no completed profiler session; every part is a prompt.",
)


def _not_started(
    learner_id: UserId, statement: LeadershipStatement | StatementNotFound | None, reasons: Iterable[Reason]
) -> LeadershipStart:
    return LeadershipStart(
        learner_id=learner_id, statement=statement, identity=None, onboarding=None, reasons=tuple(reasons)
    )


def _leadership(
    learner_id: UserId,
    portfolio: PortfolioRepository,
    sessions: SessionRepository,
    policy: LeadershipPolicy,
    statement_policy: ValueStatementPolicy,
    *,
    guard: _Guard,
) -> LeadershipStart:
    entry = guard.fetch(
        lambda: guard.owned_map(
            portfolio.value_statements_for([learner_id]), [learner_id], _entry_owner, "a value statement"
        ).get(learner_id),
        None,
        "portfolio repository failed; no value statement",
        _PORTFOLIO_UNAVAILABLE,
    )
    if guard.notes:
        return _not_started(learner_id, None, guard.notes)
    found = leadership_statement(entry, learner_id=learner_id)
    if isinstance(found, StatementNotFound):
        return _not_started(learner_id, found, (found.reason,))
    session = guard.fetch(
        # Another learner's answers must never seed this learner's identity.
        lambda: guard.owned_map(
            sessions.latest_completed_sessions([learner_id]), [learner_id], _session_owner, "a latest session"
        ).get(learner_id),
        None,
        "session repository failed; identity not seeded",
        _PROFILER_UNSEEDED,
    )
    if guard.notes:
        return _not_started(learner_id, found, guard.notes)
    identity = seed_leadership_identity(
        compose_value_statement(session, policy=statement_policy),
        difficulty_selection=session.difficulty_selection if session else None,
        session_id=session.id if session else None,
        policy=policy,
    )
    return LeadershipStart(
        learner_id=learner_id,
        statement=found,
        identity=identity,
        onboarding=plan_leadership_onboarding(identity),
        reasons=(*(() if session else (_NO_SESSION_TO_SEED,)), identity.starting_point.reason),
    )


def value_statement_for_leadership(
    learner_id: IdLike,
    *,
    portfolio: PortfolioRepository,
    sessions: SessionRepository,
    policy: LeadershipPolicy = DEFAULT_LEADERSHIP_POLICY,
    statement_policy: ValueStatementPolicy = DEFAULT_VALUE_STATEMENT_POLICY,
) -> LeadershipStart:
    """The learner's value statement for the academy, the identity seeded from it, and the onboarding plan.

    No statement gives :class:`~profiler_core.leadership.StatementNotFound`
    ("Value statement not found. Please complete profiler first."). Otherwise
    the identity is seeded from the sources of the statement composed from the
    learner's latest completed session (the text shown stays the entry's, the
    learner's edit included). Two repository calls; repository failures are
    logged at WARNING and reported, never raised (any other exception from an
    adapter propagates). An entry or session of another learner (a faulty
    adapter) is dropped with a WARNING and counts as absent. *learner_id* may
    be a ``str``, ``int`` or ``UUID`` (canonicalised first).
    """
    learner = UserId(_id_arg(learner_id, "learner_id"))
    guard = _Guard(log=_leadership_log, extra={"learner_id": learner})
    start = _leadership(learner, portfolio, sessions, policy, statement_policy, guard=guard)
    guard.decided(
        "leadership identity seeded" if start.identity else "leadership identity not seeded",
        learner_id=learner,
        found=start.found,
        session_id=start.identity.session_id if start.identity else None,
        missing=tuple(p.value for p in start.identity.missing) if start.identity else (),
        level=start.identity.level.value if start.identity else None,
        reason_codes=tuple(r.code for r in start.reasons),
        degraded=start.degraded,
    )
    return start

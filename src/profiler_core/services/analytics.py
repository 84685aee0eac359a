"""Analytics use cases (SPEC §9): the cohort and enterprise reports behind an access decision.

Logs on ``profiler_core.analytics``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol, TypeAlias, TypeVar

from attrs import field, frozen

from profiler_core._logging import get_logger, timed
from profiler_core.access import ACCESS_DENIED, DEFAULT_ACCESS_POLICY, denial_body
from profiler_core.analytics import (
    DEFAULT_ANALYTICS_POLICY,
    DEFAULT_SUPPRESSION_POLICY,
    AnalyticsPartial,
    AnalyticsPolicy,
    CohortReport,
    EnterpriseReport,
    SuppressionPolicy,
    cohort_report,
    enterprise_report,
    partial_from_values,
)
from profiler_core.decisions import Absent, PolicyRef, Reason, _reasons
from profiler_core.dp import (
    DEFAULT_DP_POLICY,
    DifferentialPrivacyPolicy,
    PrivacyBudget,
    PrivateCohortReport,
    PrivateEnterpriseReport,
    RandomSource,
    private_cohort_report,
    private_enterprise_report,
)
from profiler_core.models import (
    Cohort,
    CohortId,
    Enrollment,
    IdLike,
    OrgId,
    ProfilerResult,
    ProfilerSession,
    SessionId,
    _to_id,
    _valid_id,
)
from profiler_core.ports import (
    CohortAnalyticsRepository,
    PrivacyBudgetRepository,
)
from profiler_core.services._common import _Guard, _id_arg

__all__ = [
    "AccessDecisionLike",
    "ReportDenied",
    "ReportNotFound",
    "ReportUnavailable",
    "CohortReportOutcome",
    "EnterpriseReportOutcome",
    "cohort_analytics_report",
    "enterprise_analytics_report",
    "ReportRefused",
    "PrivateCohortReportOutcome",
    "PrivateEnterpriseReportOutcome",
    "private_cohort_analytics_report",
    "private_enterprise_analytics_report",
]


_analytics_log = get_logger("analytics")


class AccessDecisionLike(Protocol):
    """What the analytics services need of an access decision: allowed or not, and why.

    :class:`profiler_core.access.AccessDecision` (from
    ``decide_cohort_analytics_access`` / ``decide_enterprise_analytics_access``)
    satisfies it; so does any host value with these two attributes.
    """

    @property
    def allowed(self) -> bool:
        """``True`` when the viewer may see the report."""
        ...

    @property
    def reasons(self) -> Sequence[Reason]:
        """Why (codes and sentences)."""
        ...


@frozen(kw_only=True)
class ReportDenied:
    """The access decision denied the report; nothing was read (a 403).

    Attributes:
        subject_id: the cohort or enterprise asked for.
        reasons: ``analytics_access_denied`` followed by the decision's reasons:
            precise, for the audit trail and logs, never for the viewer.
        public_reasons: what the viewer may be shown: the uniform
            ``access_denied`` (:data:`~profiler_core.access.ACCESS_DENIED`),
            the same for every cohort or enterprise.
        policy: the access policy named in :meth:`body_for_viewer`.
    """

    subject_id: str = field(converter=_to_id, validator=_valid_id)
    reasons: tuple[Reason, ...] = field(converter=_reasons)
    public_reasons: tuple[Reason, ...] = field(default=(ACCESS_DENIED,), converter=_reasons)
    policy: PolicyRef = DEFAULT_ACCESS_POLICY.ref

    @property
    def public_reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`public_reasons` (for ``AccessDeniedError(reason_codes=...)``)."""
        return tuple(r.code for r in self.public_reasons)

    def body_for_viewer(self) -> dict[str, object]:
        """The 403 body for the viewer (:func:`~profiler_core.access.denial_body`): no subject, no detail."""
        return denial_body(self.public_reasons, self.policy)


@frozen(kw_only=True)
class ReportNotFound(Absent):
    """The cohort does not exist, or the enterprise sponsors no cohort (never "everything").

    Attributes:
        subject_id: the cohort or enterprise asked for.
        reason: ``cohort_not_found`` or ``unknown_enterprise``.
    """

    subject_id: str = field(converter=_to_id, validator=_valid_id)
    reason: Reason


@frozen(kw_only=True)
class ReportUnavailable(Absent):
    """A repository failed (logged at WARNING); no partial figures are published.

    Attributes:
        subject_id: the cohort or enterprise asked for.
        reason: ``analytics_unavailable``.
    """

    subject_id: str = field(converter=_to_id, validator=_valid_id)
    reason: Reason


#: What :func:`cohort_analytics_report` returns.
CohortReportOutcome: TypeAlias = CohortReport | ReportDenied | ReportNotFound | ReportUnavailable
#: What :func:`enterprise_analytics_report` returns.
EnterpriseReportOutcome: TypeAlias = EnterpriseReport | ReportDenied | ReportNotFound | ReportUnavailable

_ANALYTICS_UNAVAILABLE = Reason(
    code="analytics_unavailable", message="Cohort, enrollment or profiler data could not be read."
)


def _denied(subject_id: str, decision: AccessDecisionLike) -> ReportDenied:
    return ReportDenied(
        subject_id=subject_id,
        reasons=(
            Reason(
                code="analytics_access_denied",
                message=f"The access decision denies the report of {subject_id}.",
            ),
            *decision.reasons,
        ),
    )


@frozen(kw_only=True)
class _Rows:
    enrollments: list[Enrollment]
    sessions: list[ProfilerSession]
    results: dict[SessionId, ProfilerResult]


def _rows_for(
    cohorts: Sequence[Cohort], repository: CohortAnalyticsRepository, policy: AnalyticsPolicy, guard: _Guard
) -> _Rows:
    """Three batch calls: the cohorts' enrollments, their learners' latest sessions, the results.

    Every answer is checked: an enrollment filed under another cohort, a
    session of another learner, a result row of another session is dropped
    (with a WARNING) before it can be counted.
    """
    ids = [c.id for c in cohorts]
    by_cohort = guard.owned_groups(
        repository.enrollments_for_cohorts(ids), ids, lambda e: e.cohort_id, "an enrollment of another cohort"
    )
    enrollments = [e for c in cohorts for e in by_cohort.get(c.id, ())]
    learners = sorted({e.user_id for e in enrollments if e.status in policy.counted_statuses})
    latest = (
        guard.owned_map(
            repository.latest_completed_sessions(learners), learners, lambda s: s.user_id, "a latest session"
        )
        if learners
        else {}
    )
    sessions = [latest[u] for u in learners if u in latest]
    sids = [s.id for s in sessions]
    results = (
        guard.owned_map(
            repository.results_for_sessions(sids),
            sids,
            lambda r: r.session_id,
            "a result row",
            unlinked_ok=True,
        )
        if sessions
        else {}
    )
    return _Rows(
        enrollments=enrollments,
        sessions=sessions,
        results={SessionId(sid): row for sid, row in results.items()},
    )


def _partial(rows: _Rows, policy: AnalyticsPolicy) -> AnalyticsPartial:
    return partial_from_values(
        enrollments=rows.enrollments, sessions=rows.sessions, results=rows.results, policy=policy
    )


@frozen(kw_only=True)
class ReportRefused:
    """The subject's privacy ledger cannot pay for the report; nothing was published.

    Attributes:
        subject_id: the cohort or enterprise asked for.
        reason: ``privacy_budget_exhausted`` (the report's ε would overspend the
            ledger) or ``privacy_budget_conflict`` (other writers kept winning
            the compare-and-set; ask again).
        budget: the ledger as last read (``None`` when none could be read).
    """

    subject_id: str = field(converter=_to_id, validator=_valid_id)
    reason: Reason
    budget: PrivacyBudget | None


#: What :func:`private_cohort_analytics_report` returns.
PrivateCohortReportOutcome: TypeAlias = (
    PrivateCohortReport | ReportDenied | ReportNotFound | ReportUnavailable | ReportRefused
)
#: What :func:`private_enterprise_analytics_report` returns.
PrivateEnterpriseReportOutcome: TypeAlias = (
    PrivateEnterpriseReport | ReportDenied | ReportNotFound | ReportUnavailable | ReportRefused
)

_Built = TypeVar(
    "_Built",
    bound=CohortReport
    | EnterpriseReport
    | PrivateCohortReport
    | PrivateEnterpriseReport
    | ReportNotFound
    | ReportRefused,
)
_AnyOutcome: TypeAlias = (
    CohortReportOutcome
    | EnterpriseReportOutcome
    | PrivateCohortReportOutcome
    | PrivateEnterpriseReportOutcome
)


def _guarded_report(
    id_name: str,
    key: str,
    decision: AccessDecisionLike,
    build: Callable[[_Guard], _Built],
    *,
    private: bool = False,
) -> _Built | ReportDenied | ReportUnavailable:
    """Denied before any call, else *build*'s report (unavailable after a repository failure); logged."""
    subject: dict[str, object] = {id_name: key}
    guard = _Guard(log=_analytics_log, extra=subject)
    unavailable: _Built | ReportUnavailable = ReportUnavailable(subject_id=key, reason=_ANALYTICS_UNAVAILABLE)
    failure = (
        "analytics repository failed; no private report"
        if private
        else "analytics repository failed; no report"
    )
    with timed() as clock:
        outcome: _Built | ReportDenied | ReportUnavailable = (
            _denied(key, decision)
            if not decision.allowed
            else guard.fetch(lambda: build(guard), unavailable, failure, _ANALYTICS_UNAVAILABLE)
        )
    _log_report(outcome, subject, clock["duration_ms"], private=private)
    return outcome


def _find_cohort(
    key: CohortId, repository: CohortAnalyticsRepository, guard: _Guard
) -> Cohort | ReportNotFound:
    """The cohort *key*, or ``cohort_not_found``."""
    cohort = guard.owned_map(repository.cohorts_by_ids([key]), [key], lambda c: c.id, "a cohort").get(key)
    if cohort is None:
        return ReportNotFound(
            subject_id=key, reason=Reason(code="cohort_not_found", message=f"Cohort {key} does not exist.")
        )
    return cohort


def _sponsored(key: OrgId, repository: CohortAnalyticsRepository, guard: _Guard) -> list[Cohort]:
    """The cohorts that name *key* as their sponsor (a faulty adapter's others dropped)."""
    return list(
        guard.owned_groups(
            repository.cohorts_for_enterprises([key]),
            [key],
            lambda c: c.enterprise_id,
            "a cohort of another sponsor",
        ).get(key, ())
    )


def _members(
    key: OrgId, repository: CohortAnalyticsRepository, guard: _Guard
) -> list[Cohort] | ReportNotFound:
    """The enterprise's cohorts, or ``unknown_enterprise`` when it sponsors none (never every cohort)."""
    members = _sponsored(key, repository, guard)
    if not members:
        return ReportNotFound(
            subject_id=key,
            reason=Reason(
                code="unknown_enterprise", message=f"No cohort names enterprise {key} as its sponsor."
            ),
        )
    return members


def _log_report(
    outcome: _AnyOutcome, subject: dict[str, object], duration_ms: float, *, private: bool
) -> None:
    extra: dict[str, object] = {**subject, "outcome": type(outcome).__name__, "duration_ms": duration_ms}
    if isinstance(outcome, CohortReport | EnterpriseReport):
        extra |= {
            "suppressed_cells": outcome.suppressed_cells,
            "k": outcome.k,
            "policy": str(outcome.policy),
            "suppression": str(outcome.suppression),
        }
        if isinstance(outcome, EnterpriseReport):
            extra["cohort_count"] = len(outcome.cohorts)
    elif isinstance(outcome, PrivateCohortReport | PrivateEnterpriseReport):
        extra |= {"epsilon": outcome.epsilon, "privacy": str(outcome.privacy), "policy": str(outcome.policy)}
    elif isinstance(outcome, ReportDenied):
        extra["reason_codes"] = tuple(r.code for r in outcome.reasons)
    else:
        extra["reason_codes"] = (outcome.reason.code,)
    message = "private analytics report decided" if private else "analytics report decided"
    _analytics_log.debug(message, extra=extra)


def cohort_analytics_report(
    cohort_id: IdLike,
    *,
    decision: AccessDecisionLike,
    repository: CohortAnalyticsRepository,
    policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY,
    suppression: SuppressionPolicy = DEFAULT_SUPPRESSION_POLICY,
) -> CohortReportOutcome:
    """The cohort dashboard of *cohort_id*, if *decision* allows it (SPEC §9).

    A denied decision returns :class:`ReportDenied` before any repository
    call. Otherwise at most five batch calls: the cohort, its enterprise's
    cohorts (suppression runs over the whole enterprise so the cohort's figures
    cannot be differenced against the enterprise report), their enrollments,
    the learners' latest completed sessions, and those sessions' results. An
    unknown cohort is :class:`ReportNotFound` (``cohort_not_found``); a
    repository failure (:func:`~profiler_core.errors.is_repository_failure`) is
    logged at WARNING and gives :class:`ReportUnavailable`; any other exception
    from the adapter propagates. A row of another owner (a faulty adapter) is
    dropped with a WARNING and never counted.

    Args:
        cohort_id: the cohort (``str``, ``int`` or ``UUID``; canonicalised first).
        decision: the access decision for this viewer and cohort (anything with
            ``allowed`` and ``reasons``, e.g. ``decide_cohort_analytics_access``'s).
        repository: the analytics port.
        policy: counted enrollment statuses, top strengths.
        suppression: small-cohort protection (k).
    """
    key = CohortId(_id_arg(cohort_id, "cohort_id"))
    return _guarded_report(
        "cohort_id", key, decision, lambda guard: _cohort_report(key, repository, policy, suppression, guard)
    )


def _cohort_report(
    key: CohortId,
    repository: CohortAnalyticsRepository,
    policy: AnalyticsPolicy,
    suppression: SuppressionPolicy,
    guard: _Guard,
) -> CohortReport | ReportNotFound:
    """Read the cohort and its sponsor's other cohorts, then report it (suppressed in that context)."""
    cohort = _find_cohort(key, repository, guard)
    if isinstance(cohort, ReportNotFound):
        return cohort
    context = [cohort]
    if cohort.enterprise_id is not None:
        context += [c for c in _sponsored(cohort.enterprise_id, repository, guard) if c.id != cohort.id]
    rows = _rows_for(context, repository, policy, guard)
    return cohort_report(
        cohort, _partial(rows, policy), enterprise_cohorts=context, policy=policy, suppression=suppression
    )


def enterprise_analytics_report(
    enterprise_id: IdLike,
    *,
    decision: AccessDecisionLike,
    repository: CohortAnalyticsRepository,
    policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY,
    suppression: SuppressionPolicy = DEFAULT_SUPPRESSION_POLICY,
) -> EnterpriseReportOutcome:
    """The enterprise dashboard of *enterprise_id*, if *decision* allows it (SPEC §9, §10.6).

    A denied decision returns :class:`ReportDenied` before any repository
    call. An enterprise that sponsors no cohort is :class:`ReportNotFound`
    (``unknown_enterprise``): never every cohort. Otherwise four batch calls
    (cohorts, enrollments, sessions, results) and the report: the rollup over
    the enterprise's distinct learners and a breakdown keyed by cohort id.
    A repository failure is logged at WARNING and gives
    :class:`ReportUnavailable`; any other exception from the adapter
    propagates. A row of another owner (a faulty adapter) is dropped with a
    WARNING and never counted.

    Args:
        enterprise_id: the sponsoring organisation (``str``, ``int`` or ``UUID``).
        decision: the access decision for this viewer and enterprise.
        repository: the analytics port.
        policy: counted enrollment statuses, top strengths.
        suppression: small-cohort protection (k).
    """
    key = OrgId(_id_arg(enterprise_id, "enterprise_id"))
    return _guarded_report(
        "enterprise_id",
        key,
        decision,
        lambda guard: _enterprise_report(key, repository, policy, suppression, guard),
    )


def _enterprise_report(
    key: OrgId,
    repository: CohortAnalyticsRepository,
    policy: AnalyticsPolicy,
    suppression: SuppressionPolicy,
    guard: _Guard,
) -> EnterpriseReport | ReportNotFound:
    """Read the enterprise's cohorts, then report them (never every cohort when it sponsors none)."""
    members = _members(key, repository, guard)
    if isinstance(members, ReportNotFound):
        return members
    rows = _rows_for(members, repository, policy, guard)
    return enterprise_report(key, members, _partial(rows, policy), policy=policy, suppression=suppression)


# --- the opt-in differential-privacy reports (issue 14) ---------------------------


# A lost compare-and-set means another report charged meanwhile: read the new ledger, try again.
_CHARGE_ATTEMPTS = 3


def _charge(
    subject_id: str,
    report: str,
    privacy: DifferentialPrivacyPolicy,
    budgets: PrivacyBudgetRepository,
    now: datetime,
) -> PrivacyBudget | ReportRefused:
    """Charge ``privacy.epsilon`` to *subject_id*'s ledger (opened with ``privacy.budget``), or refuse."""
    stored: PrivacyBudget | None = None
    for _attempt in range(_CHARGE_ATTEMPTS):
        stored = budgets.budget(subject_id)
        ledger = stored or PrivacyBudget.open(subject_id, total_epsilon=privacy.budget)
        if not ledger.can_afford(privacy.epsilon):
            return ReportRefused(
                subject_id=subject_id,
                reason=Reason(
                    code="privacy_budget_exhausted",
                    message=(
                        f"The privacy budget of {subject_id} has {ledger.remaining_epsilon:g} of "
                        f"{ledger.total_epsilon:g} left; a report costs {privacy.epsilon:g}."
                    ),
                ),
                budget=ledger,
            )
        charged = ledger.charged(privacy.epsilon, at=now, report=report, policy=privacy.ref)
        if budgets.save_budget(charged, replacing=stored) is not None:
            return charged
    return ReportRefused(
        subject_id=subject_id,
        reason=Reason(
            code="privacy_budget_conflict",
            message=f"The privacy budget of {subject_id} changed during each of {_CHARGE_ATTEMPTS} attempts.",
        ),
        budget=stored,
    )


def private_cohort_analytics_report(
    cohort_id: IdLike,
    *,
    decision: AccessDecisionLike,
    repository: CohortAnalyticsRepository,
    budgets: PrivacyBudgetRepository,
    now: datetime,
    privacy: DifferentialPrivacyPolicy = DEFAULT_DP_POLICY,
    policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY,
    rng: RandomSource | None = None,
) -> PrivateCohortReportOutcome:
    """The cohort dashboard of *cohort_id* under the differential-privacy policy, if allowed and paid for.

    A denied decision returns :class:`ReportDenied` before any repository
    call; an unknown cohort :class:`ReportNotFound`. Then the cohort's ledger
    is charged ``privacy.epsilon`` (compare-and-set; a new ledger opens with
    ``privacy.budget``) *before* any learner row is read: a report the ledger
    cannot pay for is :class:`ReportRefused` (``privacy_budget_exhausted``),
    and a report that fails after the charge stays charged (the cautious
    side). Then the learners' rows and :func:`~profiler_core.dp.private_cohort_report`.
    A repository failure gives :class:`ReportUnavailable`.

    Args:
        cohort_id: the cohort (``str``, ``int`` or ``UUID``).
        decision: the access decision for this viewer and cohort.
        repository: the analytics port.
        budgets: the privacy-ledger port.
        now: when the report is made (the charge's time; timezone-aware).
        privacy: ε per report and the ledger's total.
        policy: counted enrollment statuses.
        rng: the randomness; ``None`` draws from a fresh :class:`secrets.SystemRandom`.
    """
    key = CohortId(_id_arg(cohort_id, "cohort_id"))

    def build(guard: _Guard) -> PrivateCohortReport | ReportNotFound | ReportRefused:
        cohort = _find_cohort(key, repository, guard)
        if isinstance(cohort, ReportNotFound):
            return cohort
        charged = _charge(key, "cohort_report", privacy, budgets, now)
        if isinstance(charged, ReportRefused):
            return charged
        rows = _rows_for([cohort], repository, policy, guard)
        return private_cohort_report(
            cohort, _partial(rows, policy), privacy=privacy, policy_ref=policy.ref, rng=rng
        )

    return _guarded_report("cohort_id", key, decision, build, private=True)


def private_enterprise_analytics_report(
    enterprise_id: IdLike,
    *,
    decision: AccessDecisionLike,
    repository: CohortAnalyticsRepository,
    budgets: PrivacyBudgetRepository,
    now: datetime,
    privacy: DifferentialPrivacyPolicy = DEFAULT_DP_POLICY,
    policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY,
    rng: RandomSource | None = None,
) -> PrivateEnterpriseReportOutcome:
    """The enterprise dashboard of *enterprise_id* under the differential-privacy policy.

    As :func:`private_cohort_analytics_report`, charging the enterprise's
    ledger: denied first, ``unknown_enterprise`` for an enterprise that
    sponsors no cohort, then the charge (or :class:`ReportRefused`), then the
    rows and :func:`~profiler_core.dp.private_enterprise_report`.

    Args:
        enterprise_id: the sponsoring organisation (``str``, ``int`` or ``UUID``).
        decision: the access decision for this viewer and enterprise.
        repository: the analytics port.
        budgets: the privacy-ledger port.
        now: when the report is made (timezone-aware).
        privacy: ε per report and the ledger's total.
        policy: counted enrollment statuses.
        rng: the randomness; ``None`` draws from a fresh :class:`secrets.SystemRandom`.
    """
    key = OrgId(_id_arg(enterprise_id, "enterprise_id"))

    def build(guard: _Guard) -> PrivateEnterpriseReport | ReportNotFound | ReportRefused:
        members = _members(key, repository, guard)
        if isinstance(members, ReportNotFound):
            return members
        charged = _charge(key, "enterprise_report", privacy, budgets, now)
        if isinstance(charged, ReportRefused):
            return charged
        rows = _rows_for(members, repository, policy, guard)
        return private_enterprise_report(
            key, members, _partial(rows, policy), privacy=privacy, policy_ref=policy.ref, rng=rng
        )

    return _guarded_report("enterprise_id", key, decision, build, private=True)

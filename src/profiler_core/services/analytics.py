"""Analytics use cases (SPEC §9): the cohort and enterprise reports behind an access decision.

Logs on ``profiler_core.analytics``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeAlias

from attrs import field, frozen

from profiler_core._logging import get_logger, timed
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
from profiler_core.decisions import Reason
from profiler_core.models import (
    Cohort,
    CohortId,
    OrgId,
)
from profiler_core.ports import (
    CohortAnalyticsRepository,
)

__all__ = [
    "AccessDecisionLike",
    "ReportDenied",
    "ReportNotFound",
    "ReportUnavailable",
    "CohortReportOutcome",
    "EnterpriseReportOutcome",
    "cohort_analytics_report",
    "enterprise_analytics_report",
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


def _reason_seq(values: Sequence[Reason]) -> tuple[Reason, ...]:
    return tuple(values)


@frozen(kw_only=True)
class ReportDenied:
    """The access decision denied the report; nothing was read.

    Attributes:
        subject_id: the cohort or enterprise asked for.
        reasons: ``analytics_access_denied`` followed by the decision's reasons.
    """

    subject_id: str
    reasons: tuple[Reason, ...] = field(converter=_reason_seq)


@frozen(kw_only=True)
class ReportNotFound:
    """The cohort does not exist, or the enterprise sponsors no cohort (never "everything").

    Attributes:
        subject_id: the cohort or enterprise asked for.
        reason: ``cohort_not_found`` or ``unknown_enterprise``.
    """

    subject_id: str
    reason: Reason


@frozen(kw_only=True)
class ReportUnavailable:
    """A repository failed (logged at WARNING); no partial figures are published.

    Attributes:
        subject_id: the cohort or enterprise asked for.
        reason: ``analytics_unavailable``.
    """

    subject_id: str
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


def _partial_for(
    cohorts: Sequence[Cohort], repository: CohortAnalyticsRepository, policy: AnalyticsPolicy
) -> AnalyticsPartial:
    """Three batch calls: the cohorts' enrollments, their learners' latest sessions, the results."""
    by_cohort = repository.enrollments_for_cohorts([c.id for c in cohorts])
    enrollments = [e for c in cohorts for e in by_cohort.get(c.id, ())]
    learners = sorted({e.user_id for e in enrollments if e.status in policy.counted_statuses})
    latest = repository.latest_completed_sessions(learners) if learners else {}
    sessions = [latest[u] for u in learners if u in latest]
    results = repository.results_for_sessions([s.id for s in sessions]) if sessions else {}
    return partial_from_values(enrollments=enrollments, sessions=sessions, results=results, policy=policy)


def _log_report(
    outcome: CohortReportOutcome | EnterpriseReportOutcome,
    subject: dict[str, object],
    duration_ms: float,
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
    elif isinstance(outcome, ReportDenied):
        extra["reason_codes"] = tuple(r.code for r in outcome.reasons)
    else:
        extra["reason_codes"] = (outcome.reason.code,)
    _analytics_log.debug("analytics report decided", extra=extra)


def cohort_analytics_report(
    cohort_id: CohortId,
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
    unknown cohort is :class:`ReportNotFound` (``cohort_not_found``); a failing
    repository is logged at WARNING and gives :class:`ReportUnavailable`.

    Args:
        cohort_id: the cohort.
        decision: the access decision for this viewer and cohort (anything with
            ``allowed`` and ``reasons``, e.g. ``decide_cohort_analytics_access``'s).
        repository: the analytics port.
        policy: counted enrollment statuses, top strengths.
        suppression: small-cohort protection (k).
    """
    subject: dict[str, object] = {"cohort_id": cohort_id}
    outcome: CohortReportOutcome
    with timed() as clock:
        if not decision.allowed:
            outcome = _denied(cohort_id, decision)
        else:
            try:
                cohort = repository.cohorts_by_ids([cohort_id]).get(cohort_id)
                if cohort is None:
                    outcome = ReportNotFound(
                        subject_id=cohort_id,
                        reason=Reason(code="cohort_not_found", message=f"Cohort {cohort_id} does not exist."),
                    )
                else:
                    context = [cohort]
                    if cohort.enterprise_id is not None:
                        siblings = repository.cohorts_for_enterprises([cohort.enterprise_id])
                        context += [c for c in siblings.get(cohort.enterprise_id, ()) if c.id != cohort.id]
                    partial = _partial_for(context, repository, policy)
                    outcome = cohort_report(
                        cohort, partial, enterprise_cohorts=context, policy=policy, suppression=suppression
                    )
            except Exception:
                _analytics_log.warning("analytics repository failed; no report", exc_info=True, extra=subject)
                outcome = ReportUnavailable(subject_id=cohort_id, reason=_ANALYTICS_UNAVAILABLE)
    _log_report(outcome, subject, clock["duration_ms"])
    return outcome


def enterprise_analytics_report(
    enterprise_id: OrgId,
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
    A failing repository is logged at WARNING and gives
    :class:`ReportUnavailable`.

    Args:
        enterprise_id: the sponsoring organisation.
        decision: the access decision for this viewer and enterprise.
        repository: the analytics port.
        policy: counted enrollment statuses, top strengths.
        suppression: small-cohort protection (k).
    """
    subject: dict[str, object] = {"enterprise_id": enterprise_id}
    outcome: EnterpriseReportOutcome
    with timed() as clock:
        if not decision.allowed:
            outcome = _denied(enterprise_id, decision)
        else:
            try:
                found = repository.cohorts_for_enterprises([enterprise_id]).get(enterprise_id, ())
                members = [c for c in found if c.enterprise_id == enterprise_id]
                if not members:
                    outcome = ReportNotFound(
                        subject_id=enterprise_id,
                        reason=Reason(
                            code="unknown_enterprise",
                            message=f"No cohort names enterprise {enterprise_id} as its sponsor.",
                        ),
                    )
                else:
                    partial = _partial_for(members, repository, policy)
                    outcome = enterprise_report(
                        enterprise_id, members, partial, policy=policy, suppression=suppression
                    )
            except Exception:
                _analytics_log.warning("analytics repository failed; no report", exc_info=True, extra=subject)
                outcome = ReportUnavailable(subject_id=enterprise_id, reason=_ANALYTICS_UNAVAILABLE)
    _log_report(outcome, subject, clock["duration_ms"])
    return outcome

"""Access use cases (SPEC §5): mentee results and the analytics gates.

Each reads only what the decision needs, writes the audit record when given a
sink, and logs on ``profiler_core.access``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeAlias, TypeVar

from attrs import field, frozen

from profiler_core._logging import get_logger, timed
from profiler_core.access import (
    DEFAULT_ACCESS_POLICY,
    AccessDecision,
    AccessPolicy,
    AnalyticsView,
    LearnerProfilerData,
    ResultsProjection,
    ResultsView,
    decide_cohort_analytics_access,
    decide_enterprise_analytics_access,
    decide_results_access,
    mentee_results_payload,
    project_results,
)
from profiler_core.decisions import Reason
from profiler_core.models import (
    Cohort,
    CohortId,
    Enrollment,
    MentorAssignment,
    OrgId,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    UserId,
    require_aware,
)
from profiler_core.ports import (
    AuditSink,
    CohortRepository,
    EnrollmentRepository,
    MentorAssignmentRepository,
    SessionRepository,
    ValueStatementSource,
)
from profiler_core.services._common import _drop_foreign, _owned
from profiler_core.vocabulary import Role, TrackKey

__all__ = [
    "ResultsAllowed",
    "ResultsDenied",
    "ResultsNotFound",
    "MenteeResults",
    "AnalyticsAllowed",
    "AnalyticsDenied",
    "AnalyticsNotFound",
    "AnalyticsGate",
    "mentee_results",
    "cohort_analytics_gate",
    "enterprise_analytics_gate",
]


_access_log = get_logger("access")
_T = TypeVar("_T")


def _notes(values: Sequence[Reason]) -> tuple[Reason, ...]:
    return tuple(values)


def _cohort_tuple(values: Sequence[Cohort]) -> tuple[Cohort, ...]:
    return tuple(values)


@frozen(kw_only=True)
class ResultsAllowed:
    """The viewer may see the learner's results; here they are, projected for the granted view.

    Attributes:
        learner_id: the learner.
        decision: the access decision (``allowed``).
        projection: the results as the decision's view shows them.
        notes: why the outcome is degraded (a repository or the audit sink
            failed); empty normally.
    """

    learner_id: UserId
    decision: AccessDecision[ResultsView]
    projection: ResultsProjection
    notes: tuple[Reason, ...] = field(default=(), converter=_notes)

    @property
    def degraded(self) -> bool:
        """``True`` when something failed on the way (see :attr:`notes`)."""
        return bool(self.notes)

    @property
    def payload(self) -> dict[str, object]:
        """The mentee-results JSON body (:func:`~profiler_core.access.mentee_results_payload`)."""
        return mentee_results_payload(self.projection)


@frozen(kw_only=True)
class ResultsDenied:
    """The viewer may not see the learner's results; ``decision.reasons`` says why (a 403)."""

    learner_id: UserId
    decision: AccessDecision[ResultsView]
    notes: tuple[Reason, ...] = field(default=(), converter=_notes)

    @property
    def degraded(self) -> bool:
        """``True`` when something failed on the way (see :attr:`notes`)."""
        return bool(self.notes)


@frozen(kw_only=True)
class ResultsNotFound:
    """The viewer may see the learner's results, but there are none to show (a 404).

    ``reason`` is ``no_completed_session``, or ``profiler_unavailable`` when
    the session repository failed (then :attr:`degraded` is ``True``).
    """

    learner_id: UserId
    decision: AccessDecision[ResultsView]
    reason: Reason
    notes: tuple[Reason, ...] = field(default=(), converter=_notes)

    @property
    def degraded(self) -> bool:
        """``True`` when something failed on the way (see :attr:`notes`)."""
        return bool(self.notes)


#: What :func:`mentee_results` returns.
MenteeResults: TypeAlias = ResultsAllowed | ResultsDenied | ResultsNotFound


@frozen(kw_only=True)
class AnalyticsAllowed:
    """The viewer may see the analytics; ``cohorts`` are the cohorts they cover, ordered by id."""

    subject_id: str
    decision: AccessDecision[AnalyticsView]
    cohorts: tuple[Cohort, ...] = field(converter=_cohort_tuple)
    notes: tuple[Reason, ...] = field(default=(), converter=_notes)

    @property
    def degraded(self) -> bool:
        """``True`` when something failed on the way (see :attr:`notes`)."""
        return bool(self.notes)


@frozen(kw_only=True)
class AnalyticsDenied:
    """The viewer may not see the analytics; ``decision.reasons`` says why."""

    subject_id: str
    decision: AccessDecision[AnalyticsView]
    notes: tuple[Reason, ...] = field(default=(), converter=_notes)

    @property
    def degraded(self) -> bool:
        """``True`` when something failed on the way (see :attr:`notes`)."""
        return bool(self.notes)


@frozen(kw_only=True)
class AnalyticsNotFound:
    """The viewer would be allowed, but the cohort or enterprise is unknown (or unreadable).

    ``reason`` is ``cohort_not_found``, ``unknown_enterprise`` or ``cohorts_unavailable``.
    """

    subject_id: str
    decision: AccessDecision[AnalyticsView]
    reason: Reason
    notes: tuple[Reason, ...] = field(default=(), converter=_notes)

    @property
    def degraded(self) -> bool:
        """``True`` when something failed on the way (see :attr:`notes`)."""
        return bool(self.notes)


#: What the analytics gates return.
AnalyticsGate: TypeAlias = AnalyticsAllowed | AnalyticsDenied | AnalyticsNotFound


def _read(
    call: Callable[[], _T], default: _T, failure: Reason, notes: list[Reason], extra: dict[str, object]
) -> _T:
    try:
        return call()
    except Exception:
        _access_log.warning(
            "repository failed; access continues without it (%s)", failure.code, exc_info=True, extra=extra
        )
        notes.append(failure)
        return default


def _write_audit(
    sink: AuditSink | None,
    decision: AccessDecision[ResultsView] | AccessDecision[AnalyticsView],
    notes: list[Reason],
    extra: dict[str, object],
) -> None:
    if sink is None:
        return
    _read(
        lambda: sink.write([decision.audit]),
        None,
        Reason(code="audit_unavailable", message="The audit record could not be written."),
        notes,
        extra,
    )


def _log_access(
    decision: AccessDecision[ResultsView] | AccessDecision[AnalyticsView],
    outcome: str,
    notes: Sequence[Reason],
    duration_ms: float,
) -> None:
    _access_log.debug(
        "access decided",
        extra={
            "viewer_id": decision.audit.viewer_id,
            "subject_id": decision.audit.subject_id,
            "action": decision.audit.action.value,
            "allowed": decision.allowed,
            "view": decision.view.value,
            "rule": decision.rule.value,
            "reason_codes": decision.reason_codes,
            "policy": str(decision.policy),
            "outcome": outcome,
            "notes": tuple(n.code for n in notes),
            "degraded": bool(notes),
            "duration_ms": duration_ms,
        },
    )


_SCOPED_ROLES = frozenset({Role.MENTOR, Role.PROGRAM_DIRECTOR, Role.ANALYST})


def mentee_results(
    viewer: Principal,
    learner_id: UserId,
    *,
    sessions: SessionRepository,
    assignments: MentorAssignmentRepository,
    enrollments: EnrollmentRepository,
    cohorts: CohortRepository,
    statements: ValueStatementSource | None = None,
    audit: AuditSink | None = None,
    learner_track: TrackKey | None = None,
    now: datetime,
    policy: AccessPolicy = DEFAULT_ACCESS_POLICY,
) -> MenteeResults:
    """A learner's profiler results for *viewer*: allowed (projected), denied, or not found.

    The access decision comes first and needs no profiler data, so a denied
    viewer learns nothing about the learner's results. Placement data
    (enrollments, cohorts) is read only when the viewer holds an effective
    mentor, director or analyst grant, assignments only for an effective
    mentor grant; each read is one batch call. An ordinary denial never
    raises. A failing repository is logged at WARNING and noted: the decision
    is then made without that data (so it can only deny more), and a failing
    session repository gives :class:`ResultsNotFound` with
    ``profiler_unavailable``. A result row of another session or a statement of
    another learner (a faulty adapter) is dropped with a WARNING. The audit
    record goes to *audit* when given.

    Args:
        viewer: who asks.
        learner_id: whose results.
        sessions: the session port (latest completed session and its result).
        assignments: the mentor-assignment port.
        enrollments: the enrollment port.
        cohorts: the cohort port.
        statements: where value statements are read (optional).
        audit: where the audit record goes (optional).
        learner_track: the host's confirmed track for the learner, if any.
        now: the time of the decision (timezone-aware).
        policy: the access policy.

    Raises:
        InvalidValueError: *now* is naive (checked before any repository call,
            as :func:`~profiler_core.access.decide_results_access` does).
    """
    require_aware(now)
    notes: list[Reason] = []
    extra: dict[str, object] = {"viewer_id": viewer.user_id, "learner_id": learner_id}
    with timed() as clock:
        effective = {g.role for g in viewer.roles if g.is_effective(now)}
        learner_enrollments: Sequence[Enrollment] = ()
        known_cohorts: Sequence[Cohort] = ()
        mine: Sequence[MentorAssignment] = ()
        if effective & _SCOPED_ROLES and viewer.user_id != learner_id:
            learner_enrollments = _read(
                lambda: enrollments.enrollments_for_users([learner_id]).get(learner_id, ()),
                (),
                Reason(code="enrollments_unavailable", message="Enrollments could not be read."),
                notes,
                extra,
            )
            cohort_ids = sorted({e.cohort_id for e in learner_enrollments})
            if cohort_ids:
                known_cohorts = _read(
                    lambda: tuple(cohorts.cohorts_by_ids(cohort_ids).values()),
                    (),
                    Reason(code="cohorts_unavailable", message="Cohorts could not be read."),
                    notes,
                    extra,
                )
        if Role.MENTOR in effective and viewer.user_id != learner_id:
            mine = _read(
                lambda: assignments.assignments_for_mentors([viewer.user_id]).get(viewer.user_id, ()),
                (),
                Reason(code="assignments_unavailable", message="Mentor assignments could not be read."),
                notes,
                extra,
            )
        decision = decide_results_access(
            viewer,
            learner_id,
            assignments=mine,
            enrollments=learner_enrollments,
            cohorts=known_cohorts,
            learner_track=learner_track,
            now=now,
            policy=policy,
        )
        outcome: MenteeResults
        _write_audit(audit, decision, notes, extra)
        if not decision.allowed:
            outcome = ResultsDenied(learner_id=learner_id, decision=decision, notes=notes)
        else:
            outcome = _allowed_results(
                learner_id, decision, sessions=sessions, statements=statements, notes=notes, extra=extra
            )
    _log_access(decision, _outcome_name(outcome), outcome.notes, clock["duration_ms"])
    return outcome


def _outcome_name(outcome: MenteeResults | AnalyticsGate) -> str:
    if isinstance(outcome, ResultsAllowed | AnalyticsAllowed):
        return "allowed"
    if isinstance(outcome, ResultsDenied | AnalyticsDenied):
        return "denied"
    return "not_found"


def _allowed_results(
    learner_id: UserId,
    decision: AccessDecision[ResultsView],
    *,
    sessions: SessionRepository,
    statements: ValueStatementSource | None,
    notes: list[Reason],
    extra: dict[str, object],
) -> MenteeResults:
    unavailable = Reason(code="profiler_unavailable", message="Profiler data is unavailable.")
    failures = len(notes)
    session = _read(
        lambda: sessions.latest_completed_sessions([learner_id]).get(learner_id),
        None,
        unavailable,
        notes,
        extra,
    )
    if session is None:
        reason = (
            unavailable
            if len(notes) > failures
            else Reason(
                code="no_completed_session",
                message=f"Learner {learner_id} has no completed profiler session.",
            )
        )
        return ResultsNotFound(learner_id=learner_id, decision=decision, reason=reason, notes=notes)
    result: ProfilerResult | None = _read(
        lambda: sessions.results_for_sessions([session.id]).get(session.id),
        None,
        Reason(code="result_unavailable", message="The profiler result row could not be read."),
        notes,
        extra,
    )
    statement: PortfolioEntry | None = None
    if statements is not None:
        statement = _read(
            lambda: statements.value_statements_for([learner_id]).get(learner_id),
            None,
            Reason(code="statements_unavailable", message="Value statements could not be read."),
            notes,
            extra,
        )
    if result is not None and result.session_id not in (None, session.id):
        # A result row of another session never describes this one.
        _drop_foreign(
            _access_log, "a result row", extra, session_id=session.id, foreign_session_id=result.session_id
        )
        result = None
    statement = _owned(statement, learner_id, _access_log, "a value statement", extra)
    data = LearnerProfilerData(session=session, result=result, value_statement=statement)
    return ResultsAllowed(
        learner_id=learner_id,
        decision=decision,
        projection=project_results(data, decision.view),
        notes=notes,
    )


def _missing_cohort(cohort_id: CohortId) -> Cohort:
    # Stands in for a cohort that is unknown or unreadable: no track, no sponsor,
    # so only grants that need neither can allow (and then the answer is "not found").
    return Cohort(id=cohort_id, name="", track=None, enterprise_id=None)


def cohort_analytics_gate(
    viewer: Principal,
    cohort_id: CohortId,
    *,
    cohorts: CohortRepository,
    audit: AuditSink | None = None,
    now: datetime,
    policy: AccessPolicy = DEFAULT_ACCESS_POLICY,
) -> AnalyticsGate:
    """May *viewer* see cohort *cohort_id*'s analytics? Allowed (with the cohort), denied, or not found.

    One repository call. Whether a cohort exists is told only to a viewer who
    would be allowed to see it: for anyone else an unknown cohort is an
    ordinary denial. A failing repository is logged at WARNING and treated as
    an unknown cohort (``cohorts_unavailable``).
    """
    require_aware(now)
    notes: list[Reason] = []
    extra: dict[str, object] = {"viewer_id": viewer.user_id, "cohort_id": cohort_id}
    with timed() as clock:
        unavailable = Reason(code="cohorts_unavailable", message="Cohorts could not be read.")
        cohort = _read(
            lambda: cohorts.cohorts_by_ids([cohort_id]).get(cohort_id), None, unavailable, notes, extra
        )
        decision = decide_cohort_analytics_access(
            viewer, cohort or _missing_cohort(cohort_id), now=now, policy=policy
        )
        _write_audit(audit, decision, notes, extra)
        outcome: AnalyticsGate
        if not decision.allowed:
            outcome = AnalyticsDenied(subject_id=cohort_id, decision=decision, notes=notes)
        elif cohort is None:
            reason = (
                unavailable
                if unavailable in notes
                else Reason(code="cohort_not_found", message=f"Cohort {cohort_id} does not exist.")
            )
            outcome = AnalyticsNotFound(subject_id=cohort_id, decision=decision, reason=reason, notes=notes)
        else:
            outcome = AnalyticsAllowed(
                subject_id=cohort_id, decision=decision, cohorts=(cohort,), notes=notes
            )
    _log_access(decision, _outcome_name(outcome), outcome.notes, clock["duration_ms"])
    return outcome


def enterprise_analytics_gate(
    viewer: Principal,
    enterprise_id: OrgId,
    *,
    cohorts: CohortRepository,
    audit: AuditSink | None = None,
    now: datetime,
    policy: AccessPolicy = DEFAULT_ACCESS_POLICY,
) -> AnalyticsGate:
    """May *viewer* see an enterprise's analytics? Allowed (with its cohorts), denied, or not found.

    The decision needs no data; only an allowed viewer causes one repository
    call for the enterprise's cohorts. An enterprise that sponsors no cohort
    is :class:`AnalyticsNotFound` with ``unknown_enterprise`` — never "every
    cohort" (SPEC §10.6). A failing repository is logged at WARNING and gives
    ``cohorts_unavailable``.
    """
    notes: list[Reason] = []
    extra: dict[str, object] = {"viewer_id": viewer.user_id, "enterprise_id": enterprise_id}
    with timed() as clock:
        decision = decide_enterprise_analytics_access(viewer, enterprise_id, now=now, policy=policy)
        _write_audit(audit, decision, notes, extra)
        outcome: AnalyticsGate
        if not decision.allowed:
            outcome = AnalyticsDenied(subject_id=enterprise_id, decision=decision, notes=notes)
        else:
            unavailable = Reason(code="cohorts_unavailable", message="Cohorts could not be read.")
            found = _read(
                lambda: tuple(cohorts.cohorts_for_enterprises([enterprise_id]).get(enterprise_id, ())),
                None,
                unavailable,
                notes,
                extra,
            )
            if not found:
                reason = (
                    unavailable
                    if found is None
                    else Reason(
                        code="unknown_enterprise",
                        message=f"No cohort names enterprise {enterprise_id} as its sponsor.",
                    )
                )
                outcome = AnalyticsNotFound(
                    subject_id=enterprise_id, decision=decision, reason=reason, notes=notes
                )
            else:
                outcome = AnalyticsAllowed(
                    subject_id=enterprise_id,
                    decision=decision,
                    cohorts=sorted(found, key=lambda c: c.id),
                    notes=notes,
                )
    _log_access(decision, _outcome_name(outcome), outcome.notes, clock["duration_ms"])
    return outcome

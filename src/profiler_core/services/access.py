"""Access use cases (SPEC §5): mentee results and the analytics gates.

Each reads only what the decision needs, writes the audit record when given a
sink, and logs on ``profiler_core.access``. A denied outcome keeps the precise
decision for the audit trail and carries, in ``public_reasons`` /
``body_for_viewer()``, what the viewer may be shown: the one uniform
``access_denied`` for every denied viewer who is not admin or staff.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TypeAlias

from attrs import field, frozen

from profiler_core._logging import get_logger
from profiler_core.access import (
    ACCESS_DENIED,
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
    denial_body,
    project_results,
)
from profiler_core.decisions import Absent, Present, Reason, _reasons
from profiler_core.models import (
    Cohort,
    CohortId,
    Enrollment,
    IdLike,
    MentorAssignment,
    OrgId,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    UserId,
    _to_id,
    _valid_id,
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
from profiler_core.services._common import _Guard, _id_arg, _is_degraded
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


def _cohort_tuple(values: Iterable[Cohort]) -> tuple[Cohort, ...]:
    return tuple(values)


@frozen(kw_only=True)
class ResultsAllowed(Present):
    """The viewer may see the learner's results; here they are, projected for the granted view.

    ``unstructure(outcome)`` is the mentee-results body: the projection with the
    platform's field names, exactly the keys of the granted view
    (:data:`~profiler_core.access.VIEW_FIELDS`).

    Attributes:
        learner_id: the learner.
        decision: the access decision (``allowed``).
        projection: the results as the decision's view shows them.
        notes: why the outcome is degraded (a repository or the audit sink
            failed); empty normally.
    """

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    decision: AccessDecision[ResultsView]
    projection: ResultsProjection
    notes: tuple[Reason, ...] = field(default=(), converter=_reasons)
    #: Derived: ``True`` when something failed on the way (a degraded reason among :attr:`notes`).
    degraded: bool = field(init=False)

    @degraded.default
    def _derive_degraded(self) -> bool:
        return _is_degraded(self.notes)


class _ViewerDenial:
    """What a 403 shows the viewer: the public reasons' codes and the uniform body, never the decision."""

    __slots__ = ()
    public_reasons: tuple[Reason, ...]
    decision: AccessDecision[Any]

    @property
    def public_reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`public_reasons` (for ``AccessDeniedError(reason_codes=...)``)."""
        return tuple(r.code for r in self.public_reasons)

    def body_for_viewer(self) -> dict[str, object]:
        """The 403 body for the viewer: the same bytes for every subject they may not see."""
        return denial_body(self.public_reasons, self.decision.policy)


@frozen(kw_only=True)
class ResultsDenied(_ViewerDenial):
    """The viewer may not see the learner's results (a 403).

    Attributes:
        learner_id: the learner asked about.
        decision: the precise decision, for the audit trail and logs: never show
            its reasons to the viewer.
        public_reasons: what the viewer may be shown
            (:meth:`~profiler_core.access.AccessDecision.public_reasons`): the
            uniform ``access_denied`` unless the viewer is admin or staff.
        notes: why the outcome is degraded; empty normally.
    """

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    decision: AccessDecision[ResultsView]
    public_reasons: tuple[Reason, ...] = field(default=(ACCESS_DENIED,), converter=_reasons)
    notes: tuple[Reason, ...] = field(default=(), converter=_reasons)
    #: Derived: ``True`` when something failed on the way (a degraded reason among :attr:`notes`).
    degraded: bool = field(init=False)

    @degraded.default
    def _derive_degraded(self) -> bool:
        return _is_degraded(self.notes)


@frozen(kw_only=True)
class ResultsNotFound(Absent):
    """The viewer may see the learner's results, but there are none to show (a 404).

    ``reason`` is ``no_completed_session``, or ``profiler_unavailable`` when
    the session repository failed (then :attr:`degraded` is ``True``).
    """

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    decision: AccessDecision[ResultsView]
    reason: Reason
    notes: tuple[Reason, ...] = field(default=(), converter=_reasons)
    #: Derived: ``True`` when something failed on the way (a degraded reason among :attr:`notes`).
    degraded: bool = field(init=False)

    @degraded.default
    def _derive_degraded(self) -> bool:
        return _is_degraded(self.notes)


#: What :func:`mentee_results` returns.
MenteeResults: TypeAlias = ResultsAllowed | ResultsDenied | ResultsNotFound


@frozen(kw_only=True)
class AnalyticsAllowed(Present):
    """The viewer may see the analytics; ``cohorts`` are the cohorts they cover, ordered by id."""

    subject_id: str = field(converter=_to_id, validator=_valid_id)
    decision: AccessDecision[AnalyticsView]
    cohorts: tuple[Cohort, ...] = field(converter=_cohort_tuple)
    notes: tuple[Reason, ...] = field(default=(), converter=_reasons)
    #: Derived: ``True`` when something failed on the way (a degraded reason among :attr:`notes`).
    degraded: bool = field(init=False)

    @degraded.default
    def _derive_degraded(self) -> bool:
        return _is_degraded(self.notes)


@frozen(kw_only=True)
class AnalyticsDenied(_ViewerDenial):
    """The viewer may not see the analytics (a 403).

    ``decision`` is the precise decision (for the audit trail, never the
    viewer); ``public_reasons`` and :meth:`body_for_viewer` are what the viewer
    may be shown, as for :class:`ResultsDenied`.
    """

    subject_id: str = field(converter=_to_id, validator=_valid_id)
    decision: AccessDecision[AnalyticsView]
    public_reasons: tuple[Reason, ...] = field(default=(ACCESS_DENIED,), converter=_reasons)
    notes: tuple[Reason, ...] = field(default=(), converter=_reasons)
    #: Derived: ``True`` when something failed on the way (a degraded reason among :attr:`notes`).
    degraded: bool = field(init=False)

    @degraded.default
    def _derive_degraded(self) -> bool:
        return _is_degraded(self.notes)


@frozen(kw_only=True)
class AnalyticsNotFound(Absent):
    """The viewer would be allowed, but the cohort or enterprise is unknown (or unreadable).

    ``reason`` is ``cohort_not_found``, ``unknown_enterprise`` or ``cohorts_unavailable``.
    """

    subject_id: str = field(converter=_to_id, validator=_valid_id)
    decision: AccessDecision[AnalyticsView]
    reason: Reason
    notes: tuple[Reason, ...] = field(default=(), converter=_reasons)
    #: Derived: ``True`` when something failed on the way (a degraded reason among :attr:`notes`).
    degraded: bool = field(init=False)

    @degraded.default
    def _derive_degraded(self) -> bool:
        return _is_degraded(self.notes)


#: What the analytics gates return.
AnalyticsGate: TypeAlias = AnalyticsAllowed | AnalyticsDenied | AnalyticsNotFound


def _write_audit(
    sink: AuditSink | None,
    decision: AccessDecision[ResultsView] | AccessDecision[AnalyticsView],
    guard: _Guard,
) -> None:
    if sink is not None:
        guard.fetch(
            lambda: sink.write([decision.audit]),
            None,
            "audit sink failed; the decision stands without its record",
            Reason(code="audit_unavailable", message="The audit record could not be written."),
        )


def _log_access(
    guard: _Guard,
    decision: AccessDecision[ResultsView] | AccessDecision[AnalyticsView],
    outcome: str,
    notes: Sequence[Reason],
) -> None:
    guard.decided(
        "access decided",
        viewer_id=decision.audit.viewer_id,
        subject_id=decision.audit.subject_id,
        action=decision.audit.action.value,
        allowed=decision.allowed,
        view=decision.view.value,
        rule=decision.rule.value,
        reason_codes=decision.reason_codes,
        policy=str(decision.policy),
        outcome=outcome,
        notes=tuple(n.code for n in notes),
        degraded=bool(notes),
    )


_SCOPED_ROLES = frozenset({Role.MENTOR, Role.PROGRAM_DIRECTOR, Role.ANALYST})


def mentee_results(
    viewer: Principal,
    learner_id: IdLike,
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
    viewer learns nothing about the learner's results; a denial shows the
    viewer only :attr:`ResultsDenied.public_reasons` (the uniform
    ``access_denied``), the precise reasons go to the audit record. Placement
    data (enrollments, cohorts) is read only when the viewer holds an
    effective mentor, director or analyst grant, assignments only for an
    effective mentor grant; each read is one batch call. An ordinary denial
    never raises. A repository failure
    (:func:`~profiler_core.errors.is_repository_failure`) is logged at WARNING
    and noted: the decision is then made without that data (so it can only
    deny more), and a failing session repository gives
    :class:`ResultsNotFound` with ``profiler_unavailable``; any other exception
    from an adapter propagates. A row of another owner (a faulty adapter: a
    session, enrollment or statement of another learner, an assignment of
    another mentor, a cohort or result row of another id) is dropped with a
    WARNING and counts as absent. The audit record goes to *audit* when given.

    Args:
        viewer: who asks.
        learner_id: whose results (``str``, ``int`` or ``UUID``; canonicalised first).
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
        InvalidValueError: *now* is naive or *learner_id* is not an id (checked
            before any repository call, as
            :func:`~profiler_core.access.decide_results_access` does).
    """
    require_aware(now)
    learner = UserId(_id_arg(learner_id, "learner_id"))
    guard = _Guard(log=_access_log, extra={"viewer_id": viewer.user_id, "learner_id": learner})
    effective = {g.role for g in viewer.roles if g.is_effective(now)}
    other = viewer.user_id != learner
    learner_enrollments, known_cohorts = (
        _learner_placement(learner, enrollments, cohorts, guard)
        if effective & _SCOPED_ROLES and other
        else ((), ())
    )
    mine = _mentor_assignments(viewer, assignments, guard) if Role.MENTOR in effective and other else ()
    decision = decide_results_access(
        viewer,
        learner,
        assignments=mine,
        enrollments=learner_enrollments,
        cohorts=known_cohorts,
        learner_track=learner_track,
        now=now,
        policy=policy,
    )
    _write_audit(audit, decision, guard)
    outcome = _results_outcome(
        viewer, learner, decision, sessions=sessions, statements=statements, guard=guard
    )
    _log_access(guard, decision, _outcome_name(outcome), outcome.notes)
    return outcome


def _learner_placement(
    learner: UserId, enrollments: EnrollmentRepository, cohorts: CohortRepository, guard: _Guard
) -> tuple[Sequence[Enrollment], Sequence[Cohort]]:
    """The learner's enrollments and their cohorts (what scoped grants are checked against)."""
    learner_enrollments: Sequence[Enrollment] = guard.fetch(
        lambda: guard.owned_groups(
            enrollments.enrollments_for_users([learner]),
            [learner],
            lambda e: e.user_id,
            "an enrollment",
        ).get(learner, ()),
        (),
        "enrollment repository failed; access decided without enrollments",
        Reason(code="enrollments_unavailable", message="Enrollments could not be read."),
    )
    cohort_ids = sorted({e.cohort_id for e in learner_enrollments})
    if not cohort_ids:
        return learner_enrollments, ()
    known_cohorts: Sequence[Cohort] = guard.fetch(
        lambda: tuple(
            guard.owned_map(
                cohorts.cohorts_by_ids(cohort_ids), cohort_ids, lambda c: c.id, "a cohort"
            ).values()
        ),
        (),
        "cohort repository failed; access decided without cohorts",
        Reason(code="cohorts_unavailable", message="Cohorts could not be read."),
    )
    return learner_enrollments, known_cohorts


def _mentor_assignments(
    viewer: Principal, assignments: MentorAssignmentRepository, guard: _Guard
) -> Sequence[MentorAssignment]:
    """The viewer's own mentor assignments (one batch read)."""
    mine: Sequence[MentorAssignment] = guard.fetch(
        lambda: guard.owned_groups(
            assignments.assignments_for_mentors([viewer.user_id]),
            [viewer.user_id],
            lambda a: a.mentor_id,
            "a mentor assignment",
        ).get(viewer.user_id, ()),
        (),
        "assignment repository failed; access decided without assignments",
        Reason(code="assignments_unavailable", message="Mentor assignments could not be read."),
    )
    return mine


def _results_outcome(
    viewer: Principal,
    learner: UserId,
    decision: AccessDecision[ResultsView],
    *,
    sessions: SessionRepository,
    statements: ValueStatementSource | None,
    guard: _Guard,
) -> MenteeResults:
    """Denied (with what the viewer may be shown), or the allowed results read and projected."""
    if not decision.allowed:
        return ResultsDenied(
            learner_id=learner,
            decision=decision,
            public_reasons=decision.public_reasons(viewer),
            notes=guard.notes,
        )
    return _allowed_results(learner, decision, sessions=sessions, statements=statements, guard=guard)


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
    guard: _Guard,
) -> MenteeResults:
    unavailable = Reason(code="profiler_unavailable", message="Profiler data is unavailable.")
    session = guard.fetch(
        lambda: guard.owned_map(
            sessions.latest_completed_sessions([learner_id]), [learner_id], lambda s: s.user_id, "a session"
        ).get(learner_id),
        None,
        "session repository failed; no results shown",
        unavailable,
    )
    if session is None:
        reason = (
            unavailable
            if guard.failed(unavailable)
            else Reason(
                code="no_completed_session",
                message=f"Learner {learner_id} has no completed profiler session.",
            )
        )
        return ResultsNotFound(learner_id=learner_id, decision=decision, reason=reason, notes=guard.notes)
    sid = session.id
    result: ProfilerResult | None = guard.fetch(
        lambda: guard.owned_map(
            sessions.results_for_sessions([sid]),
            [sid],
            lambda r: r.session_id,
            "a result row",
            unlinked_ok=True,
        ).get(sid),
        None,
        "result lookup failed; results shown without the result row",
        Reason(code="result_unavailable", message="The profiler result row could not be read."),
    )
    statement: PortfolioEntry | None = None
    if statements is not None:
        source = statements
        statement = guard.fetch(
            lambda: guard.owned_map(
                source.value_statements_for([learner_id]),
                [learner_id],
                lambda e: e.user_id,
                "a value statement",
            ).get(learner_id),
            None,
            "statement source failed; results shown without the value statement",
            Reason(code="statements_unavailable", message="Value statements could not be read."),
        )
    data = LearnerProfilerData(session=session, result=result, value_statement=statement)
    return ResultsAllowed(
        learner_id=learner_id,
        decision=decision,
        projection=project_results(data, decision.view),
        notes=guard.notes,
    )


def _missing_cohort(cohort_id: CohortId) -> Cohort:
    # Stands in for a cohort that is unknown or unreadable: no track, no sponsor,
    # so only grants that need neither can allow (and then the answer is "not found").
    return Cohort(id=cohort_id, name="", track=None, enterprise_id=None)


def cohort_analytics_gate(
    viewer: Principal,
    cohort_id: IdLike,
    *,
    cohorts: CohortRepository,
    audit: AuditSink | None = None,
    now: datetime,
    policy: AccessPolicy = DEFAULT_ACCESS_POLICY,
) -> AnalyticsGate:
    """May *viewer* see cohort *cohort_id*'s analytics? Allowed (with the cohort), denied, or not found.

    One repository call. Whether a cohort exists is told only to a viewer who
    would be allowed to see it: for anyone else an unknown cohort is an
    ordinary denial, and every denial shows the viewer the same
    :attr:`AnalyticsDenied.public_reasons`. A repository failure is logged at
    WARNING and treated as an unknown cohort (``cohorts_unavailable``); any
    other exception propagates. A cohort of another id (a faulty adapter) is
    dropped with a WARNING. *cohort_id* may be a ``str``, ``int`` or ``UUID``.
    """
    require_aware(now)
    cohort_key = CohortId(_id_arg(cohort_id, "cohort_id"))
    guard = _Guard(log=_access_log, extra={"viewer_id": viewer.user_id, "cohort_id": cohort_key})
    unavailable = Reason(code="cohorts_unavailable", message="Cohorts could not be read.")
    cohort = guard.fetch(
        lambda: guard.owned_map(
            cohorts.cohorts_by_ids([cohort_key]), [cohort_key], lambda c: c.id, "a cohort"
        ).get(cohort_key),
        None,
        "cohort repository failed; the cohort counts as unknown",
        unavailable,
    )
    decision = decide_cohort_analytics_access(
        viewer, cohort or _missing_cohort(cohort_key), now=now, policy=policy
    )
    _write_audit(audit, decision, guard)
    outcome: AnalyticsGate
    if not decision.allowed:
        outcome = AnalyticsDenied(
            subject_id=cohort_key,
            decision=decision,
            public_reasons=decision.public_reasons(viewer),
            notes=guard.notes,
        )
    elif cohort is None:
        reason = (
            unavailable
            if guard.failed(unavailable)
            else Reason(code="cohort_not_found", message=f"Cohort {cohort_key} does not exist.")
        )
        outcome = AnalyticsNotFound(
            subject_id=cohort_key, decision=decision, reason=reason, notes=guard.notes
        )
    else:
        outcome = AnalyticsAllowed(
            subject_id=cohort_key, decision=decision, cohorts=(cohort,), notes=guard.notes
        )
    _log_access(guard, decision, _outcome_name(outcome), outcome.notes)
    return outcome


def enterprise_analytics_gate(
    viewer: Principal,
    enterprise_id: IdLike,
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
    cohort" (SPEC §10.6). A repository failure is logged at WARNING and gives
    ``cohorts_unavailable``; any other exception propagates. A cohort of
    another sponsor (a faulty adapter) is dropped with a WARNING.
    *enterprise_id* may be a ``str``, ``int`` or ``UUID``.
    """
    enterprise = OrgId(_id_arg(enterprise_id, "enterprise_id"))
    guard = _Guard(log=_access_log, extra={"viewer_id": viewer.user_id, "enterprise_id": enterprise})
    decision = decide_enterprise_analytics_access(viewer, enterprise, now=now, policy=policy)
    _write_audit(audit, decision, guard)
    outcome: AnalyticsGate
    if not decision.allowed:
        outcome = AnalyticsDenied(
            subject_id=enterprise,
            decision=decision,
            public_reasons=decision.public_reasons(viewer),
            notes=guard.notes,
        )
    else:
        unavailable = Reason(code="cohorts_unavailable", message="Cohorts could not be read.")
        none_found: tuple[Cohort, ...] = ()
        found = guard.fetch(
            lambda: guard.owned_groups(
                cohorts.cohorts_for_enterprises([enterprise]),
                [enterprise],
                lambda c: c.enterprise_id,
                "a cohort of another sponsor",
            ).get(enterprise, ()),
            none_found,
            "cohort repository failed; no enterprise cohorts",
            unavailable,
        )
        if not found:
            reason = (
                unavailable
                if guard.failed(unavailable)
                else Reason(
                    code="unknown_enterprise",
                    message=f"No cohort names enterprise {enterprise} as its sponsor.",
                )
            )
            outcome = AnalyticsNotFound(
                subject_id=enterprise, decision=decision, reason=reason, notes=guard.notes
            )
        else:
            outcome = AnalyticsAllowed(
                subject_id=enterprise,
                decision=decision,
                cohorts=sorted(found, key=lambda c: c.id),
                notes=guard.notes,
            )
    _log_access(guard, decision, _outcome_name(outcome), outcome.notes)
    return outcome

"""Mentorship layer and every access rule (SPEC §5): who may see which profiler data, and why.

Three questions, one pure function each:

* :func:`decide_results_access` — may this viewer see this learner's profiler
  results, and which :class:`ResultsView` of them?
* :func:`decide_cohort_analytics_access` — may this viewer see a cohort's analytics?
* :func:`decide_enterprise_analytics_access` — may this viewer see an enterprise's analytics?

Each returns an :class:`AccessDecision`: allowed or not, the view granted, the
rule that decided, the reasons (code + sentence), the policy ``id@version`` and
an :class:`AuditRecord`. Access is denied by default.

**How a decision is made: OR over grants.** Every source of access is judged
on its own — the learner themself, the host's ``is_staff`` flag, and each role
grant of the viewer alone — and gives a verdict: a view (possibly none), a rule
and reasons. The decision is the widest verdict; when no verdict allows, it is
a denial that carries every verdict's reason. Views are totally ordered
(``none < mentor < director < self < admin``, ``none < sponsor < director <
admin``), so holding several grants never gives more than the widest single
grant: the law is built in, not checked afterwards. A grant that is inactive,
expired or of an unknown role gives no view; only a role grant, ``is_staff`` or
being the learner is a capability, never the presence of an attribute.

**Denials do not leak** (SPEC §5). A denial keeps every precise reason in
:attr:`AccessDecision.reasons` and its :class:`AuditRecord`, for the audit
trail and the logs. What a viewer is *shown* comes from
:meth:`AccessDecision.public_reasons` / :meth:`AccessDecision.body_for_viewer`:
for a denied viewer who is not admin or staff it is the one
:data:`ACCESS_DENIED` reason, the same bytes for every learner, cohort or
enterprise it may not see (no hint of enrollment, assignment history or status).

**Ids** may be given as ``str``, ``int`` or ``uuid.UUID``
(:data:`~profiler_core.models.IdLike`); every function canonicalises them first
(:func:`~profiler_core.models.canonical_id`), so the learner themself is never
denied because their id arrived as an integer.

**Where the rest lives.** The views and their projections are in
:mod:`profiler_core.access_views`, the audit record in :mod:`profiler_core.audit`,
the policy, a learner's placement and grant coverage in
:mod:`profiler_core.access_scope`. Their public names are re-exported here, so
``from profiler_core.access import ResultsProjection`` keeps working.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Generic, TypeVar

from attrs import field, frozen

from profiler_core.access_scope import (
    DEFAULT_ACCESS_POLICY,
    AccessPolicy,
    LearnerPlacement,
    _assignment_label,
    _assignment_problem,
    _coverage,
    _coverage_order,
    _covers_cohort,
    _covers_learner,
    _grant_label,
    _names_learner,
    _unusable,
    place_learner,
)
from profiler_core.access_views import (
    VIEW_FIELDS,
    AnalyticsView,
    AntiCheatView,
    LearnerProfilerData,
    ProfilerScores,
    ResultsProjection,
    ResultsView,
    ValueStatementView,
    project_results,
)
from profiler_core.audit import AccessAction, AccessRule, AuditOutcome, AuditRecord
from profiler_core.decisions import Explained, PolicyRef, Reason, _reasons
from profiler_core.errors import InvalidValueError
from profiler_core.models import (
    Cohort,
    Enrollment,
    IdLike,
    MentorAssignment,
    OrgId,
    Principal,
    RoleGrant,
    UserId,
    canonical_id,
    require_aware,
)
from profiler_core.vocabulary import (
    AssignmentType,
    Role,
    Scope,
    TrackKey,
)

# The names from access_views, audit and access_scope are re-exported: this module is
# the public face of access, as it was before they moved.
__all__ = [
    # vocabulary of decisions
    "ResultsView",
    "AnalyticsView",
    "AccessAction",
    "AccessRule",
    "AuditOutcome",
    # policy
    "AccessPolicy",
    "DEFAULT_ACCESS_POLICY",
    # decisions
    "ACCESS_DENIED",
    "sees_denial_detail",
    "AuditRecord",
    "AccessDecision",
    "LearnerPlacement",
    "place_learner",
    "decide_results_access",
    "decide_cohort_analytics_access",
    "decide_enterprise_analytics_access",
    "denial_body",
    # views
    "LearnerProfilerData",
    "ProfilerScores",
    "ValueStatementView",
    "AntiCheatView",
    "ResultsProjection",
    "VIEW_FIELDS",
    "project_results",
]


#: The view type of a decision: :class:`ResultsView` or :class:`AnalyticsView`.
V = TypeVar("V", ResultsView, AnalyticsView)


# --- decisions ----------------------------------------------------------------


@frozen(kw_only=True)
class AccessDecision(Explained, Generic[V]):
    """The answer to one access question, with its explanation and audit record.

    ``V`` is :class:`ResultsView` for results and :class:`AnalyticsView` for
    the analytics questions.

    ``unstructure`` renders the full record (``allowed``, ``view``, ``rule``,
    ``reasons``, ``policy``, ``audit``) for audit trails, logs and admin tools: a
    denial's reasons are precise there. What a viewer is shown is
    :meth:`body_for_viewer`.

    Attributes:
        view: the view granted (:attr:`allowed` is derived from it).
        rule: the rule that decided (``default_deny`` when denied).
        reasons: never empty; when allowed, why the deciding rule applies; when
            denied, why each of the viewer's sources of access fell short.
        policy: the policy that decided.
        audit: the record to hand to an audit sink.
    """

    view: V
    rule: AccessRule
    reasons: tuple[Reason, ...] = field(converter=_reasons)
    policy: PolicyRef
    audit: AuditRecord

    @reasons.validator
    def _check(self, _attribute: object, reasons: tuple[Reason, ...]) -> None:
        if not reasons:
            raise InvalidValueError(field="reasons", reason="a decision always has a reason")

    @property
    def allowed(self) -> bool:
        """``True`` exactly when a view is granted (``view`` is not ``none``)."""
        return self.view.rank > 0

    def public_reasons(self, viewer: Principal) -> tuple[Reason, ...]:
        """The reasons *viewer* (the viewer this decision was made for) may be shown.

        An allowed decision shows its reasons. A denial shows its precise
        reasons only to a viewer who :func:`sees_denial_detail` (staff, or a
        global admin grant effective at the decision's time); everyone else gets
        ``(ACCESS_DENIED,)``, identical for every learner, cohort or enterprise.

        Raises:
            InvalidValueError: *viewer* is not the viewer of the decision.
        """
        if canonical_id(viewer.user_id, field="viewer") != self.audit.viewer_id:
            raise InvalidValueError(field="viewer", reason="is not the viewer this decision was made for")
        if self.allowed or sees_denial_detail(viewer, now=self.audit.at):
            return self.reasons
        return (ACCESS_DENIED,)

    def body_for_viewer(self, viewer: Principal) -> dict[str, object]:
        """The JSON body to send *viewer*: the full record without the audit, with :meth:`public_reasons`.

        For a denied viewer who is not admin or staff it is byte-for-byte the
        same whichever learner, cohort or enterprise was asked about.
        """
        return _viewer_body(
            allowed=self.allowed,
            view=self.view.value,
            rule=self.rule.value,
            reasons=self.public_reasons(viewer),
            policy=self.policy,
        )


#: The one reason a denied viewer who is not admin or staff is shown (SPEC §5 "Denials do not
#: leak"): the same for every learner, cohort or enterprise. The precise reasons stay in the
#: decision and its audit record.
ACCESS_DENIED = Reason(code="access_denied", message="You do not have access to this resource.")


def sees_denial_detail(viewer: Principal, *, now: datetime) -> bool:
    """True when *viewer* may be shown why a decision denied: the host's staff, or a global admin grant.

    Such a viewer is allowed everything today, so in practice every denial a
    viewer sees is the uniform :data:`ACCESS_DENIED`; the rule is written down
    so that a future narrower admin view cannot start leaking.
    """
    return viewer.is_staff or any(
        g.role is Role.ADMIN and g.scope is Scope.GLOBAL and g.is_effective(now) for g in viewer.roles
    )


def _viewer_body(
    *, allowed: bool, view: str, rule: str, reasons: Sequence[Reason], policy: PolicyRef
) -> dict[str, object]:
    return {
        "allowed": allowed,
        "view": view,
        "rule": rule,
        "reasons": [{"code": r.code, "message": r.message} for r in reasons],
        "policy": str(policy),
    }


def denial_body(public_reasons: Sequence[Reason], policy: PolicyRef) -> dict[str, object]:
    """The JSON body of a denial shown to a viewer, given the reasons it may see.

    The shape of :meth:`AccessDecision.body_for_viewer` for a denial; the service
    outcomes (``ResultsDenied``, ``AnalyticsDenied``, ``ReportDenied``) render
    theirs with it.

    >>> denial_body([ACCESS_DENIED], DEFAULT_ACCESS_POLICY.ref)["reasons"]
    [{'code': 'access_denied', 'message': 'You do not have access to this resource.'}]
    """
    return _viewer_body(
        allowed=False,
        view="none",
        rule=AccessRule.DEFAULT_DENY.value,
        reasons=public_reasons,
        policy=policy,
    )


@frozen(kw_only=True)
class _Verdict(Generic[V]):
    """What one source of access (the learner, staff, one grant) says on its own."""

    view: V
    rule: AccessRule
    reasons: tuple[Reason, ...] = field(converter=_reasons)


def _decide(
    verdicts: Sequence[_Verdict[V]],
    *,
    none: V,
    viewer: Principal,
    action: AccessAction,
    subject_id: str,
    now: datetime,
    policy: AccessPolicy,
) -> AccessDecision[V]:
    granted = [v for v in verdicts if v.view.rank > 0]
    if granted:
        # max() keeps the first of equally wide verdicts: the order of evaluation breaks ties.
        best = max(granted, key=lambda v: v.view.rank)
        view, rule, reasons = best.view, best.rule, best.reasons
    else:
        view, rule = none, AccessRule.DEFAULT_DENY
        reasons = tuple(dict.fromkeys(r for v in verdicts for r in v.reasons))
        if not reasons:
            reasons = (
                Reason(
                    code="no_grant",
                    message=f"Viewer {viewer.user_id} holds no grant that answers this question; "
                    "access is denied by default.",
                ),
            )
    audit = AuditRecord(
        viewer_id=viewer.user_id,
        action=action,
        subject_id=subject_id,
        outcome=AuditOutcome.ALLOWED if rule is not AccessRule.DEFAULT_DENY else AuditOutcome.DENIED,
        view=view.value,
        rule=rule,
        reason_codes=tuple(r.code for r in reasons),
        policy=policy.ref,
        at=now,
    )
    return AccessDecision(
        view=view,
        rule=rule,
        reasons=reasons,
        policy=policy.ref,
        audit=audit,
    )


# --- reasons about grants ------------------------------------------------------


def _not_permitted(grant: RoleGrant, question: str) -> Reason:
    return Reason(
        code="role_not_permitted",
        message=f"Role {grant.role.value} grants no access to {question}.",
    )


def _admin_not_global(grant: RoleGrant) -> Reason:
    return Reason(
        code="admin_not_global",
        message=f"The {_grant_label(grant)} is scoped; only a global admin grant gives admin access.",
    )


def _deny(none: V, *reasons: Reason) -> _Verdict[V]:
    return _Verdict(view=none, rule=AccessRule.DEFAULT_DENY, reasons=reasons)


# --- view a learner's results -------------------------------------------------


def _scope_miss(grant: RoleGrant, placement: LearnerPlacement) -> Reason:
    # A denial names the viewer's own grant, never where the learner is (the viewer may not know it).
    detail = (
        "; an organisation scope covers sponsored-cohort analytics, not individual results"
        if grant.scope is Scope.ORG
        else ""
    )
    return Reason(
        code="scope_not_covering",
        message=f"The {_grant_label(grant)} does not cover learner {placement.learner_id}{detail}.",
    )


def _scope_hit(grant: RoleGrant, placement: LearnerPlacement, code: str, view: str) -> Reason:
    return Reason(
        code=code,
        message=f"The {_grant_label(grant)} covers learner {placement.learner_id} "
        f"({placement.describe()}): {view} view.",
    )


_MENTOR_RULES = {
    AssignmentType.DIRECT: AccessRule.MENTOR_DIRECT_ASSIGNMENT,
    AssignmentType.COHORT: AccessRule.MENTOR_COHORT_ASSIGNMENT,
    AssignmentType.TRACK: AccessRule.MENTOR_TRACK_ASSIGNMENT,
}


def _mentor_verdict(
    grant: RoleGrant,
    viewer: Principal,
    placement: LearnerPlacement,
    assignments: Sequence[MentorAssignment],
    now: datetime,
) -> _Verdict[ResultsView]:
    relevant = sorted(
        (a for a in assignments if a.mentor_id == viewer.user_id and _names_learner(a, placement)),
        key=_coverage_order,
    )
    if not relevant:
        return _deny(
            ResultsView.NONE,
            Reason(
                code="no_assignment",
                message=f"Mentor {viewer.user_id} has no assignment naming learner {placement.learner_id}, "
                "one of their cohorts or their track.",
            ),
        )
    problems: list[Reason] = []
    for assignment in relevant:
        problem = _assignment_problem(assignment, placement, now)
        if problem is None:
            return _Verdict(
                view=ResultsView.MENTOR,
                rule=_MENTOR_RULES[_coverage(assignment) or assignment.assignment_type],
                reasons=(
                    Reason(
                        code="mentor_assignment_active",
                        message=f"Assignment {_assignment_label(assignment)} is active and covers learner "
                        f"{placement.learner_id}, and the {_grant_label(grant)} applies: mentor view.",
                    ),
                ),
            )
        problems.append(problem)
    return _deny(ResultsView.NONE, *problems)


def _results_grant_verdict(
    grant: RoleGrant,
    viewer: Principal,
    placement: LearnerPlacement,
    assignments: Sequence[MentorAssignment],
    now: datetime,
) -> _Verdict[ResultsView]:
    unusable = _unusable(grant, now)
    if unusable is not None:
        return _deny(ResultsView.NONE, unusable)
    if grant.role is Role.ADMIN:
        if grant.scope is not Scope.GLOBAL:
            return _deny(ResultsView.NONE, _admin_not_global(grant))
        return _Verdict(
            view=ResultsView.ADMIN,
            rule=AccessRule.ADMIN_GLOBAL,
            reasons=(
                Reason(code="admin_global_grant", message="A global admin grant gives the admin view."),
            ),
        )
    scoped = {
        Role.PROGRAM_DIRECTOR: (AccessRule.DIRECTOR_SCOPE, "director_scope_covers"),
        Role.ANALYST: (AccessRule.ANALYST_SCOPE, "analyst_scope_covers"),
    }
    if grant.role in scoped:
        rule, code = scoped[grant.role]
        if not _covers_learner(grant, placement):
            return _deny(ResultsView.NONE, _scope_miss(grant, placement))
        return _Verdict(
            view=ResultsView.DIRECTOR,
            rule=rule,
            reasons=(_scope_hit(grant, placement, code, ResultsView.DIRECTOR.value),),
        )
    if grant.role is Role.MENTOR:
        if not _covers_learner(grant, placement):
            return _deny(ResultsView.NONE, _scope_miss(grant, placement))
        return _mentor_verdict(grant, viewer, placement, assignments, now)
    return _deny(ResultsView.NONE, _not_permitted(grant, "another learner's profiler results"))


def decide_results_access(
    viewer: Principal,
    learner_id: IdLike,
    *,
    assignments: Iterable[MentorAssignment],
    enrollments: Iterable[Enrollment],
    cohorts: Iterable[Cohort],
    learner_track: TrackKey | None = None,
    now: datetime,
    policy: AccessPolicy = DEFAULT_ACCESS_POLICY,
) -> AccessDecision[ResultsView]:
    """May *viewer* see *learner_id*'s profiler results, and which view? (SPEC §5)

    Sources of access, each judged alone (OR over grants):

    * the learner themself → ``self``;
    * ``is_staff`` → ``admin``; a global ``admin`` grant → ``admin`` (a scoped
      admin grant gives nothing);
    * ``analyst`` or ``program_director`` whose scope covers the learner
      (global; a cohort scope naming one of the learner's cohorts; a track
      scope naming one of the learner's tracks) → ``director``;
    * ``mentor`` whose scope covers the learner *and* who has an ``active``,
      unexpired assignment covering the learner: a row naming the learner as
      its mentee, whatever its type (a row naming another mentee covers that
      mentee only); a cohort-wide row (no mentee) for a cohort the learner is
      actively enrolled in; a track-wide row (no mentee) for one of the
      learner's tracks → ``mentor``. A row covering nothing grants nothing
      (``assignment_without_target``);
    * anything else (students, mentees, sponsors, employers, finance, unknown
      roles, inactive or expired grants) → nothing.

    A denial's reasons are precise (for the audit record); show the viewer
    :meth:`AccessDecision.body_for_viewer` instead, which is the same for every
    learner the viewer may not see.

    Args:
        viewer: who asks.
        learner_id: whose results (``str``, ``int`` or ``UUID``; canonicalised first, so
            ``100`` and ``"100"`` are the same learner).
        assignments: mentor assignments (the viewer's are enough; others are ignored).
        enrollments: enrollments (the learner's are enough; others are ignored).
        cohorts: the cohorts of those enrollments (for their tracks).
        learner_track: the host's confirmed track for the learner, if any.
        now: the time of the decision (grants and assignments expire against it).
        policy: the access policy.

    Raises:
        InvalidValueError: *now* is naive, or *learner_id* is not an id.
    """
    require_aware(now)
    learner = UserId(canonical_id(learner_id, field="learner_id"))
    placement = place_learner(
        learner, enrollments=enrollments, cohorts=cohorts, learner_track=learner_track, policy=policy
    )
    mine = tuple(assignments)
    verdicts: list[_Verdict[ResultsView]] = []
    if viewer.user_id == learner:
        verdicts.append(
            _Verdict(
                view=ResultsView.SELF,
                rule=AccessRule.SELF,
                reasons=(Reason(code="viewer_is_learner", message="Learners see their own results."),),
            )
        )
    if viewer.is_staff:
        verdicts.append(_staff(ResultsView.ADMIN))
    verdicts += [_results_grant_verdict(g, viewer, placement, mine, now) for g in viewer.roles]
    return _decide(
        verdicts,
        none=ResultsView.NONE,
        viewer=viewer,
        action=AccessAction.VIEW_RESULTS,
        subject_id=learner,
        now=now,
        policy=policy,
    )


def _staff(view: V) -> _Verdict[V]:
    return _Verdict(
        view=view,
        rule=AccessRule.STAFF,
        reasons=(Reason(code="viewer_is_staff", message="The host marks the viewer as staff: admin view."),),
    )


# --- analytics ----------------------------------------------------------------


def _admin_analytics(grant: RoleGrant) -> _Verdict[AnalyticsView]:
    if grant.scope is not Scope.GLOBAL:
        return _deny(AnalyticsView.NONE, _admin_not_global(grant))
    return _Verdict(
        view=AnalyticsView.ADMIN,
        rule=AccessRule.ADMIN_GLOBAL,
        reasons=(Reason(code="admin_global_grant", message="A global admin grant gives the admin view."),),
    )


def _sponsor_analytics(
    grant: RoleGrant, enterprise_id: OrgId | None, subject: str
) -> _Verdict[AnalyticsView]:
    if grant.scope is not Scope.ORG:
        return _deny(
            AnalyticsView.NONE,
            Reason(
                code="sponsor_scope_not_org",
                message=f"The {_grant_label(grant)} must be scoped to its organisation to give access.",
            ),
        )
    if enterprise_id is None or grant.scope_ref != enterprise_id:
        return _deny(
            AnalyticsView.NONE,
            Reason(code="scope_not_covering", message=f"The {_grant_label(grant)} does not cover {subject}."),
        )
    return _Verdict(
        view=AnalyticsView.SPONSOR,
        rule=AccessRule.SPONSOR_ADMIN_ORG,
        reasons=(
            Reason(
                code="sponsor_org_matches",
                message=f"The {_grant_label(grant)} names the sponsor of {subject}: sponsor view.",
            ),
        ),
    )


def _cohort_track_unknown(grant: RoleGrant, cohort: Cohort, subject: str) -> tuple[Reason, ...]:
    # A track grant would have been judged on the cohort's track; its text is not one (SPEC §2).
    if grant.scope is not Scope.TRACK or cohort.track_label is None:
        return ()
    return (
        Reason(
            code="cohort_track_unknown",
            message=f"The track of {subject} ({cohort.track_label!r}) is not a track: "
            "no track grant covers it.",
        ),
    )


def _analytics_grant_verdict(
    grant: RoleGrant,
    now: datetime,
    *,
    sponsor: OrgId | None,
    subject: str,
    analytics: str,
    cohort: Cohort | None = None,
) -> _Verdict[AnalyticsView]:
    """The one role switch of an analytics grant: unusable, admin, sponsor admin, director (of a *cohort*)."""
    unusable = _unusable(grant, now)
    if unusable is not None:
        return _deny(AnalyticsView.NONE, unusable)
    if grant.role is Role.ADMIN:
        return _admin_analytics(grant)
    if grant.role is Role.SPONSOR_ADMIN:
        return _sponsor_analytics(grant, sponsor, subject)
    if grant.role is Role.PROGRAM_DIRECTOR and cohort is not None:
        return _director_analytics(grant, cohort, subject)
    return _deny(AnalyticsView.NONE, _not_permitted(grant, analytics))


def _director_analytics(grant: RoleGrant, cohort: Cohort, subject: str) -> _Verdict[AnalyticsView]:
    if not _covers_cohort(grant, cohort):
        return _deny(
            AnalyticsView.NONE,
            Reason(code="scope_not_covering", message=f"The {_grant_label(grant)} does not cover {subject}."),
            *_cohort_track_unknown(grant, cohort, subject),
        )
    track = cohort.track.value if cohort.track else "none"
    return _Verdict(
        view=AnalyticsView.DIRECTOR,
        rule=AccessRule.DIRECTOR_SCOPE,
        reasons=(
            Reason(
                code="director_scope_covers",
                message=f"The {_grant_label(grant)} covers {subject} (track {track}): director view.",
            ),
        ),
    )


def _cohort_grant_verdict(grant: RoleGrant, cohort: Cohort, now: datetime) -> _Verdict[AnalyticsView]:
    return _analytics_grant_verdict(
        grant,
        now,
        sponsor=cohort.enterprise_id,
        subject=f"cohort {cohort.id}",
        analytics="cohort analytics",
        cohort=cohort,
    )


def decide_cohort_analytics_access(
    viewer: Principal,
    cohort: Cohort,
    *,
    now: datetime,
    policy: AccessPolicy = DEFAULT_ACCESS_POLICY,
) -> AccessDecision[AnalyticsView]:
    """May *viewer* see *cohort*'s analytics? (SPEC §5)

    ``is_staff`` or a global ``admin`` grant → ``admin``; a ``program_director``
    whose scope is global, the cohort, or the cohort's track → ``director``; a
    ``sponsor_admin`` scoped to the organisation that sponsors the cohort
    (``cohort.enterprise_id``) → ``sponsor``. Everyone else is denied,
    including a sponsor admin of another organisation and any grant for a
    cohort without a sponsor.

    Raises:
        InvalidValueError: *now* is naive.
    """
    require_aware(now)
    verdicts: list[_Verdict[AnalyticsView]] = []
    if viewer.is_staff:
        verdicts.append(_staff(AnalyticsView.ADMIN))
    verdicts += [_cohort_grant_verdict(g, cohort, now) for g in viewer.roles]
    return _decide(
        verdicts,
        none=AnalyticsView.NONE,
        viewer=viewer,
        action=AccessAction.VIEW_COHORT_ANALYTICS,
        subject_id=cohort.id,
        now=now,
        policy=policy,
    )


def _enterprise_grant_verdict(
    grant: RoleGrant, enterprise_id: OrgId, now: datetime
) -> _Verdict[AnalyticsView]:
    return _analytics_grant_verdict(
        grant,
        now,
        sponsor=enterprise_id,
        subject=f"enterprise {enterprise_id}",
        analytics="enterprise analytics",
    )


def decide_enterprise_analytics_access(
    viewer: Principal,
    enterprise_id: IdLike,
    *,
    now: datetime,
    policy: AccessPolicy = DEFAULT_ACCESS_POLICY,
) -> AccessDecision[AnalyticsView]:
    """May *viewer* see the analytics of enterprise *enterprise_id*? (SPEC §5)

    ``is_staff`` or a global ``admin`` grant → ``admin``; the enterprise's own
    ``sponsor_admin`` (a grant scoped to that organisation) → ``sponsor``.
    Everyone else is denied, programme directors included. *enterprise_id*
    may be a ``str``, ``int`` or ``UUID`` (canonicalised first).

    Raises:
        InvalidValueError: *now* is naive, or *enterprise_id* is not an id.
    """
    require_aware(now)
    enterprise = OrgId(canonical_id(enterprise_id, field="enterprise_id"))
    verdicts: list[_Verdict[AnalyticsView]] = []
    if viewer.is_staff:
        verdicts.append(_staff(AnalyticsView.ADMIN))
    verdicts += [_enterprise_grant_verdict(g, enterprise, now) for g in viewer.roles]
    return _decide(
        verdicts,
        none=AnalyticsView.NONE,
        viewer=viewer,
        action=AccessAction.VIEW_ENTERPRISE_ANALYTICS,
        subject_id=enterprise,
        now=now,
        policy=policy,
    )


def __getattr__(name: str) -> object:
    # ``mentee_results_payload`` moved to the wire edge (deprecated alias for one minor
    # version). The package face serves it: this domain module imports no edge module.
    if name == "mentee_results_payload":
        return getattr(sys.modules["profiler_core"], name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

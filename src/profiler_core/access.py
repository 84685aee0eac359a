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

**Views** are projections: :func:`project_results` turns the full
:class:`LearnerProfilerData` into a :class:`ResultsProjection` holding only what
the view grants, and :func:`mentee_results_payload` renders it with the field
names of the platform's mentee-results endpoint. Anti-cheat data exists only in
the admin view; a private value statement only in the learner's own and the
admin view. A projection that holds more than its view allows cannot be built.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Generic, TypeVar

from attrs import field, frozen

from profiler_core.decisions import PolicyRef, Reason
from profiler_core.errors import InvalidValueError, PolicyError
from profiler_core.frozenmap import FrozenMap, freeze
from profiler_core.models import (
    BehavioralProfile,
    CategoryScore,
    Cohort,
    Enrollment,
    EntryId,
    IdentityResponse,
    IdLike,
    MentorAssignment,
    OrgId,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    ProfilerSession,
    Reflection,
    RoleGrant,
    SessionId,
    UserId,
    _to_id,
    _to_optional_id,
    _valid_id,
    _valid_optional_id,
    canonical_id,
    require_aware,
)
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    DifficultySelection,
    EnrollmentStatus,
    Role,
    Scope,
    SessionStatus,
    TrackKey,
    Visibility,
    parse_track_lenient,
)

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
    "mentee_results_payload",
]


# --- the vocabulary of decisions ------------------------------------------------


class ResultsView(enum.StrEnum):
    """How much of a learner's profiler results a viewer sees, narrowest first.

    Each view shows everything the one before it shows, and more (see
    :data:`VIEW_FIELDS`): ``mentor`` the coaching data; ``director`` adds the
    difficulty selection and track alignment (also granted to analysts);
    ``self`` adds the learner's own reflection and identity answers and their
    private value statement; ``admin`` adds anti-cheat data.

    >>> ResultsView.MENTOR.rank < ResultsView.ADMIN.rank
    True
    """

    NONE = "none"
    MENTOR = "mentor"
    DIRECTOR = "director"
    SELF = "self"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """0 for ``none`` up to 4 for ``admin``; a wider view has a higher rank."""
        return _RESULTS_ORDER.index(self)


_RESULTS_ORDER = tuple(ResultsView)


class AnalyticsView(enum.StrEnum):
    """Which analytics audience a viewer belongs to, narrowest first.

    ``sponsor`` (a sponsoring organisation's admin), ``director`` (a programme
    director), ``admin`` (platform admin or staff). The analytics layer decides
    what each audience is shown; every audience gets small-cohort suppression.
    """

    NONE = "none"
    SPONSOR = "sponsor"
    DIRECTOR = "director"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """0 for ``none`` up to 3 for ``admin``; a wider view has a higher rank."""
        return _ANALYTICS_ORDER.index(self)


_ANALYTICS_ORDER = tuple(AnalyticsView)


class AccessAction(enum.StrEnum):
    """The question a decision answers (the audit record's ``action``)."""

    VIEW_RESULTS = "view_results"
    VIEW_COHORT_ANALYTICS = "view_cohort_analytics"
    VIEW_ENTERPRISE_ANALYTICS = "view_enterprise_analytics"


class AccessRule(enum.StrEnum):
    """The rule that decided: which source of access allowed, or ``default_deny``."""

    SELF = "self"
    STAFF = "staff"
    ADMIN_GLOBAL = "admin_global"
    ANALYST_SCOPE = "analyst_scope"
    DIRECTOR_SCOPE = "director_scope"
    MENTOR_DIRECT_ASSIGNMENT = "mentor_direct_assignment"
    MENTOR_COHORT_ASSIGNMENT = "mentor_cohort_assignment"
    MENTOR_TRACK_ASSIGNMENT = "mentor_track_assignment"
    SPONSOR_ADMIN_ORG = "sponsor_admin_org"
    DEFAULT_DENY = "default_deny"


class AuditOutcome(enum.StrEnum):
    """The audit record's ``outcome``."""

    ALLOWED = "allowed"
    DENIED = "denied"


V = TypeVar("V", ResultsView, AnalyticsView)


# --- policy -------------------------------------------------------------------


def _statuses(values: Iterable[EnrollmentStatus]) -> frozenset[EnrollmentStatus]:
    return frozenset(values)


@frozen(kw_only=True)
class AccessPolicy:
    """The versioned rules of access that are not fixed by SPEC §5.

    Attributes:
        id: policy id (``"access"``).
        version: policy version.
        mentee_enrollment_statuses: the enrollment statuses in which a learner
            counts as *actively enrolled*, so a cohort-level mentor assignment
            covers them (default: ``active``).
        member_enrollment_statuses: the statuses in which a cohort is *the
            learner's cohort* for scoped grants (a director's or analyst's cohort
            or track scope) and in which its track is the learner's track
            (default: ``active`` and ``completed``, as the analytics count).

    Raises:
        PolicyError: an actively enrolled learner would not be a member of
            their cohort (``mentee_enrollment_statuses`` is not a subset of
            ``member_enrollment_statuses``).
    """

    id: str = "access"
    version: int = 1
    mentee_enrollment_statuses: frozenset[EnrollmentStatus] = field(
        default=frozenset({EnrollmentStatus.ACTIVE}), converter=_statuses
    )
    member_enrollment_statuses: frozenset[EnrollmentStatus] = field(
        default=frozenset({EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED}), converter=_statuses
    )

    @member_enrollment_statuses.validator
    def _check_statuses(self, _attribute: object, members: frozenset[EnrollmentStatus]) -> None:
        if not self.mentee_enrollment_statuses <= members:
            raise PolicyError(
                policy=f"{self.id}@{self.version}",
                reason="mentee_enrollment_statuses must be a subset of member_enrollment_statuses",
            )

    @property
    def ref(self) -> PolicyRef:
        """The ``id@version`` of this policy."""
        return PolicyRef(id=self.id, version=self.version)


#: The default policy, ``access@1``.
DEFAULT_ACCESS_POLICY = AccessPolicy()


# --- decisions ----------------------------------------------------------------


def _reasons(values: Iterable[Reason]) -> tuple[Reason, ...]:
    return tuple(values)


def _codes(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _aware_now(_inst: object, _attribute: object, value: datetime) -> None:
    require_aware(value, field="at")


@frozen(kw_only=True)
class AuditRecord:
    """What an auditor keeps of one decision: who asked what about whom, the answer and why.

    Attributes:
        viewer_id: the viewer.
        action: the question asked.
        subject_id: the learner, cohort or enterprise asked about.
        outcome: ``allowed`` or ``denied``.
        view: the view granted (``none`` when denied).
        rule: the rule that decided.
        reason_codes: the decision's reason codes, in order.
        policy: the policy that decided.
        at: the ``now`` the decision was made at (never read from a clock).
    """

    viewer_id: UserId = field(converter=_to_id, validator=_valid_id)
    action: AccessAction
    subject_id: str = field(converter=_to_id, validator=_valid_id)
    outcome: AuditOutcome
    view: str
    rule: AccessRule
    reason_codes: tuple[str, ...] = field(converter=_codes)
    policy: PolicyRef
    at: datetime = field(validator=_aware_now)


@frozen(kw_only=True)
class AccessDecision(Generic[V]):
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

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`reasons`, in order."""
        return tuple(r.code for r in self.reasons)

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


# --- grants -------------------------------------------------------------------


def _scope_label(grant: RoleGrant) -> str:
    return "global" if grant.scope is Scope.GLOBAL else f"{grant.scope.value} {grant.scope_ref}"


def _grant_label(grant: RoleGrant) -> str:
    return f"{grant.role.value} grant ({_scope_label(grant)})"


def _unusable(grant: RoleGrant, now: datetime) -> Reason | None:
    """Why a grant gives nothing whatever the question, or ``None`` when it is usable."""
    if not grant.is_active:
        return Reason(
            code="grant_inactive",
            message=f"The {_grant_label(grant)} is inactive and counts as absent.",
        )
    if not grant.is_effective(now):
        return Reason(
            code="grant_expired",
            message=f"The {_grant_label(grant)} expired at {grant.expires_at} and counts as absent.",
        )
    if grant.role is Role.UNKNOWN:
        return Reason(code="unknown_role", message="A grant of an unknown role grants nothing.")
    return None


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


def _track_ref(grant: RoleGrant) -> TrackKey | None:
    return parse_track_lenient(grant.scope_ref).key


def _deny(none: V, *reasons: Reason) -> _Verdict[V]:
    return _Verdict(view=none, rule=AccessRule.DEFAULT_DENY, reasons=reasons)


# --- view a learner's results -------------------------------------------------


def _ids(values: Iterable[IdLike]) -> frozenset[str]:
    return frozenset(canonical_id(v, field="cohort_id") for v in values)


def _track_set(values: Iterable[TrackKey]) -> frozenset[TrackKey]:
    return frozenset(values)


@frozen(kw_only=True)
class LearnerPlacement:
    """Where a learner stands: their cohorts (by enrollment status) and tracks.

    Attributes:
        learner_id: the learner.
        enrolled_cohort_ids: every cohort with an enrollment of the learner, any status.
        member_cohort_ids: cohorts whose enrollment status is one of the policy's
            ``member_enrollment_statuses``: *the learner's cohorts*.
        active_cohort_ids: cohorts where the learner is actively enrolled (the
            policy's ``mentee_enrollment_statuses``).
        tracks: the learner's tracks: the tracks of their member cohorts, plus the
            host's confirmed track when given. The profiler's recommended track is
            a recommendation, not membership, and is never used.
    """

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    enrolled_cohort_ids: frozenset[str] = field(factory=frozenset, converter=_ids)
    member_cohort_ids: frozenset[str] = field(factory=frozenset, converter=_ids)
    active_cohort_ids: frozenset[str] = field(factory=frozenset, converter=_ids)
    tracks: frozenset[TrackKey] = field(factory=frozenset, converter=_track_set)

    def describe(self) -> str:
        """A short, id-only description (``cohorts c-1, c-2; tracks defender``) for reason sentences."""
        cohorts = ", ".join(sorted(self.member_cohort_ids)) or "none"
        tracks = ", ".join(sorted(str(t) for t in self.tracks)) or "none"
        return f"cohorts {cohorts}; tracks {tracks}"


def place_learner(
    learner_id: IdLike,
    *,
    enrollments: Iterable[Enrollment],
    cohorts: Iterable[Cohort],
    learner_track: TrackKey | None = None,
    policy: AccessPolicy = DEFAULT_ACCESS_POLICY,
) -> LearnerPlacement:
    """Compute a learner's :class:`LearnerPlacement` from enrollments and cohorts.

    Enrollments of other users are ignored; an enrollment in a cohort missing
    from *cohorts* still places the learner in it (without a track).
    *learner_id* may be a ``str``, ``int`` or ``UUID`` (canonicalised first).

    >>> from profiler_core import Cohort, Enrollment, EnrollmentStatus, TrackKey
    >>> place_learner(
    ...     "u-1",
    ...     enrollments=[Enrollment(user_id="u-1", cohort_id="c-1", status=EnrollmentStatus.COMPLETED)],
    ...     cohorts=[Cohort(id="c-1", name="Autumn", track=TrackKey.DEFENDER)],
    ... ).describe()
    'cohorts c-1; tracks defender'
    """
    learner = UserId(canonical_id(learner_id, field="learner_id"))
    by_id: dict[str, Cohort] = {c.id: c for c in cohorts}
    own = [e for e in enrollments if e.user_id == learner]
    members = {e.cohort_id for e in own if e.status in policy.member_enrollment_statuses}
    tracks = {t for cid in members if (t := _cohort_track(by_id.get(cid))) is not None}
    if learner_track is not None:
        tracks.add(learner_track)
    return LearnerPlacement(
        learner_id=learner,
        enrolled_cohort_ids={e.cohort_id for e in own},
        member_cohort_ids=members,
        active_cohort_ids={e.cohort_id for e in own if e.status in policy.mentee_enrollment_statuses},
        tracks=tracks,
    )


def _cohort_track(cohort: Cohort | None) -> TrackKey | None:
    return None if cohort is None else cohort.track


def _scope_covers(grant: RoleGrant, cohort_ids: Collection[str], tracks: Collection[TrackKey]) -> bool:
    """The one scope switch: does *grant*'s scope reach these cohorts or tracks?

    Organisation scopes name a sponsoring organisation: they are judged by the
    sponsor rules (analytics of the cohorts it sponsors), never here.
    """
    if grant.scope is Scope.GLOBAL:
        return True
    if grant.scope is Scope.COHORT:
        return grant.scope_ref in cohort_ids
    if grant.scope is Scope.TRACK:
        return _track_ref(grant) in tracks
    return False


def _covers_learner(grant: RoleGrant, placement: LearnerPlacement) -> bool:
    # A learner is reached through the cohorts they are a member of and their tracks.
    return _scope_covers(grant, placement.member_cohort_ids, placement.tracks)


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
_TYPE_ORDER = {kind: index for index, kind in enumerate(AssignmentType)}


def _target(assignment: MentorAssignment) -> str:
    if assignment.assignment_type is AssignmentType.DIRECT:
        return f"mentee {assignment.mentee_id}"
    if assignment.assignment_type is AssignmentType.COHORT:
        return f"cohort {assignment.cohort_id}"
    return f"track {assignment.track}"


def _assignment_label(assignment: MentorAssignment) -> str:
    name = assignment.id or f"{assignment.assignment_type.value}:{assignment.mentor_id}"
    return f"{name} ({_target(assignment)})"


def _names_learner(assignment: MentorAssignment, placement: LearnerPlacement) -> bool:
    if assignment.assignment_type is AssignmentType.DIRECT:
        return assignment.mentee_id == placement.learner_id
    if assignment.assignment_type is AssignmentType.COHORT:
        return assignment.cohort_id in placement.enrolled_cohort_ids
    return assignment.track in placement.tracks


def _assignment_problem(
    assignment: MentorAssignment, placement: LearnerPlacement, now: datetime
) -> Reason | None:
    label = _assignment_label(assignment)
    if assignment.status is not AssignmentStatus.ACTIVE:
        return Reason(
            code="assignment_not_active",
            message=f"Assignment {label} is {assignment.status.value}, not active, and counts as absent.",
        )
    if assignment.expires_at is not None and assignment.expires_at <= now:
        return Reason(
            code="assignment_expired",
            message=f"Assignment {label} expired at {assignment.expires_at} and counts as absent.",
        )
    if (
        assignment.assignment_type is AssignmentType.COHORT
        and assignment.cohort_id not in placement.active_cohort_ids
    ):
        return Reason(
            code="mentee_not_actively_enrolled",
            message=f"Assignment {label} covers only actively enrolled learners; "
            f"learner {placement.learner_id} is not actively enrolled in cohort {assignment.cohort_id}.",
        )
    return None


def _mentor_verdict(
    grant: RoleGrant,
    viewer: Principal,
    placement: LearnerPlacement,
    assignments: Sequence[MentorAssignment],
    now: datetime,
) -> _Verdict[ResultsView]:
    relevant = sorted(
        (a for a in assignments if a.mentor_id == viewer.user_id and _names_learner(a, placement)),
        key=lambda a: (_TYPE_ORDER[a.assignment_type], a.id or ""),
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
                rule=_MENTOR_RULES[assignment.assignment_type],
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
      unexpired assignment naming the learner (direct), a cohort the learner
      is actively enrolled in (cohort), or one of the learner's tracks
      (track) → ``mentor``;
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


def _covers_cohort(grant: RoleGrant, cohort: Cohort) -> bool:
    return _scope_covers(grant, (cohort.id,), () if cohort.track is None else (cohort.track,))


def _cohort_grant_verdict(grant: RoleGrant, cohort: Cohort, now: datetime) -> _Verdict[AnalyticsView]:
    unusable = _unusable(grant, now)
    if unusable is not None:
        return _deny(AnalyticsView.NONE, unusable)
    subject = f"cohort {cohort.id}"
    if grant.role is Role.ADMIN:
        return _admin_analytics(grant)
    if grant.role is Role.SPONSOR_ADMIN:
        return _sponsor_analytics(grant, cohort.enterprise_id, subject)
    if grant.role is Role.PROGRAM_DIRECTOR:
        if not _covers_cohort(grant, cohort):
            return _deny(
                AnalyticsView.NONE,
                Reason(
                    code="scope_not_covering", message=f"The {_grant_label(grant)} does not cover {subject}."
                ),
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
    return _deny(AnalyticsView.NONE, _not_permitted(grant, "cohort analytics"))


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
    unusable = _unusable(grant, now)
    if unusable is not None:
        return _deny(AnalyticsView.NONE, unusable)
    if grant.role is Role.ADMIN:
        return _admin_analytics(grant)
    if grant.role is Role.SPONSOR_ADMIN:
        return _sponsor_analytics(grant, enterprise_id, f"enterprise {enterprise_id}")
    return _deny(AnalyticsView.NONE, _not_permitted(grant, "enterprise analytics"))


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


# --- views (projections) --------------------------------------------------------


@frozen(kw_only=True)
class LearnerProfilerData:
    """Everything known about one learner's profiler outcome: what views project from.

    Attributes:
        session: the session that counts (normally the latest completed one).
        result: its result row, when there is one.
        value_statement: the learner's value-statement portfolio entry, if any.

    Raises:
        InvalidValueError: the result belongs to another session, or the
            statement to another learner.
    """

    session: ProfilerSession
    result: ProfilerResult | None = None
    value_statement: PortfolioEntry | None = field(default=None)

    @value_statement.validator
    def _check_links(self, _attribute: object, statement: PortfolioEntry | None) -> None:
        if self.result is not None and self.result.session_id not in (None, self.session.id):
            raise InvalidValueError(field="result", reason="belongs to another session")
        if statement is not None and statement.user_id != self.session.user_id:
            raise InvalidValueError(field="value_statement", reason="belongs to another learner")

    @property
    def learner_id(self) -> UserId:
        """The learner the data belongs to."""
        return self.session.user_id


@frozen(kw_only=True)
class ProfilerScores:
    """The four scores a mentor sees, each 0..100 or ``None`` when not measured."""

    overall: float | None = None
    aptitude: float | None = None
    behavioral: float | None = None
    technical_exposure: float | None = None


@frozen(kw_only=True)
class ValueStatementView:
    """The value statement as a view shows it."""

    entry_id: EntryId | None = field(converter=_to_optional_id, validator=_valid_optional_id)
    title: str
    summary: str
    visibility: Visibility


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@frozen(kw_only=True)
class AntiCheatView:
    """Anti-cheat data (admin and staff only)."""

    score: float | None
    flags: tuple[str, ...] = field(default=(), converter=_strings)


_MENTOR_KEYS = (
    "view",
    "mentee_id",
    "session_id",
    "completed_at",
    "is_locked",
    "scores",
    "recommended_track",
    "strengths",
    "areas_for_growth",
    "behavioral_profile",
    "aptitude_breakdown",
    "value_statement",
)
_DIRECTOR_KEYS = (*_MENTOR_KEYS, "difficulty_selection", "track_alignment_percentages")
_SELF_KEYS = (*_DIRECTOR_KEYS, "reflection", "identity_responses")

#: The payload keys each view contains, in payload order (``none`` contains nothing).
VIEW_FIELDS: Mapping[ResultsView, tuple[str, ...]] = FrozenMap(
    {
        ResultsView.NONE: (),
        ResultsView.MENTOR: _MENTOR_KEYS,
        ResultsView.DIRECTOR: _DIRECTOR_KEYS,
        ResultsView.SELF: _SELF_KEYS,
        ResultsView.ADMIN: (*_SELF_KEYS, "anti_cheat"),
    }
)


def _identity(values: Iterable[IdentityResponse]) -> tuple[IdentityResponse, ...]:
    return tuple(values)


def _breakdown(values: Mapping[str, CategoryScore] | None) -> FrozenMap[str, CategoryScore]:
    return freeze(values)


def _alignment(values: Mapping[TrackKey, float] | None) -> FrozenMap[TrackKey, float]:
    return freeze(values)


@frozen(kw_only=True)
class ResultsProjection:
    """A learner's profiler results as one view shows them.

    Fields beyond the view are empty, and the constructor enforces it: a
    mentor projection holding anti-cheat data, reflection answers or a private
    value statement cannot be built. Build one with :func:`project_results`;
    render it with :func:`mentee_results_payload`.

    Attributes:
        view: the view (never ``none``).
        learner_id, session_id, completed_at, is_locked: which session is shown.
        scores: overall, aptitude, behavioral and technical-exposure scores.
        recommended_track, track_confidence: the recommendation and its confidence (0..1).
        strengths, areas_for_growth: as the platform stores them.
        behavioral_profile: traits, strengths and areas for growth.
        aptitude_breakdown: per-category scores with their evidence.
        value_statement: the statement, when the view may show it.
        difficulty_selection, track_alignment_percentages: ``director`` and wider.
        reflection, identity_responses: ``self`` and ``admin``.
        anti_cheat: ``admin`` only.
    """

    view: ResultsView
    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    session_id: SessionId = field(converter=_to_id, validator=_valid_id)
    completed_at: datetime | None
    is_locked: bool
    scores: ProfilerScores
    recommended_track: TrackKey | None
    track_confidence: float | None
    strengths: tuple[str, ...] = field(converter=_strings)
    areas_for_growth: tuple[str, ...] = field(converter=_strings)
    behavioral_profile: BehavioralProfile
    aptitude_breakdown: FrozenMap[str, CategoryScore] = field(converter=_breakdown)
    value_statement: ValueStatementView | None = None
    difficulty_selection: DifficultySelection | None = None
    track_alignment_percentages: FrozenMap[TrackKey, float] = field(factory=FrozenMap, converter=_alignment)
    reflection: Reflection | None = None
    identity_responses: tuple[IdentityResponse, ...] = field(default=(), converter=_identity)
    anti_cheat: AntiCheatView | None = field(default=None)

    @anti_cheat.validator
    def _check_view(self, _attribute: object, anti_cheat: AntiCheatView | None) -> None:
        rank = self.view.rank
        excess = [
            (name, needed)
            for name, held, needed in (
                ("view", rank == 0, ResultsView.MENTOR),
                ("difficulty_selection", self.difficulty_selection is not None, ResultsView.DIRECTOR),
                ("track_alignment_percentages", bool(self.track_alignment_percentages), ResultsView.DIRECTOR),
                ("reflection", self.reflection is not None, ResultsView.SELF),
                ("identity_responses", bool(self.identity_responses), ResultsView.SELF),
                (
                    "value_statement",
                    self.value_statement is not None
                    and self.value_statement.visibility is Visibility.PRIVATE,
                    ResultsView.SELF,
                ),
                ("anti_cheat", anti_cheat is not None, ResultsView.ADMIN),
            )
            if held and rank < needed.rank
        ]
        if excess:
            name, needed = excess[0]
            raise InvalidValueError(
                field=name, reason=f"needs the {needed.value} view, not {self.view.value}"
            )


def project_results(data: LearnerProfilerData, view: ResultsView) -> ResultsProjection:
    """Project the full profiler data onto what *view* may see.

    Combines session and result as the platform's endpoint does: the
    aptitude score from the session (else the result), overall and behavioral
    scores from the result, strengths from the session (else the result),
    areas for growth from the result (else the behavioral profile), the
    behavioral profile from the session (else the result's traits). A private
    value statement appears only in the ``self`` and ``admin`` views.

    Raises:
        InvalidValueError: *view* is ``none`` (check ``decision.allowed`` first).
    """
    if view is ResultsView.NONE:
        raise InvalidValueError(field="view", reason="the none view projects nothing; check allowed first")
    session, result, statement = data.session, data.result, data.value_statement
    rank = view.rank
    director, self_view = rank >= ResultsView.DIRECTOR.rank, rank >= ResultsView.SELF.rank
    profile = session.behavioral_profile
    if not (profile.traits or profile.strengths or profile.areas_for_growth) and result is not None:
        profile = BehavioralProfile(traits=result.behavioral_traits)
    shown = statement is not None and (self_view or statement.visibility is not Visibility.PRIVATE)
    return ResultsProjection(
        view=view,
        learner_id=session.user_id,
        session_id=session.id,
        completed_at=session.completed_at,
        is_locked=session.status is SessionStatus.LOCKED,
        scores=ProfilerScores(
            overall=result.overall_score if result else None,
            aptitude=session.aptitude_score
            if session.aptitude_score is not None
            else (result.aptitude_score if result else None),
            behavioral=result.behavioral_score if result else None,
            technical_exposure=session.technical_exposure_score,
        ),
        recommended_track=session.recommended_track,
        track_confidence=session.track_confidence,
        strengths=session.strengths or (result.strengths if result else ()),
        areas_for_growth=(result.areas_for_growth if result else ())
        or session.behavioral_profile.areas_for_growth,
        behavioral_profile=profile,
        aptitude_breakdown=result.aptitude_breakdown if result else {},
        value_statement=ValueStatementView(
            entry_id=statement.id,
            title=statement.title,
            summary=statement.summary,
            visibility=statement.visibility,
        )
        if shown and statement is not None
        else None,
        difficulty_selection=session.difficulty_selection if director else None,
        track_alignment_percentages=session.track_alignment_percentages if director else {},
        reflection=session.reflection if self_view else None,
        identity_responses=session.identity_responses if self_view else (),
        anti_cheat=AntiCheatView(score=session.anti_cheat_score, flags=session.anti_cheat_flags)
        if view is ResultsView.ADMIN
        else None,
    )


def _category(score: CategoryScore) -> dict[str, object]:
    return {"score": score.score, "correct": score.correct, "total": score.total}


def mentee_results_payload(projection: ResultsProjection) -> dict[str, object]:
    """The JSON body of ``GET /api/v1/profiler/mentees/{id}/results`` for *projection*'s view.

    Field names follow the platform's mentee-results endpoint (``mentee_id``,
    ``session_id``, ``completed_at``, ``is_locked``, ``scores``,
    ``recommended_track``, ``strengths``, ``areas_for_growth``,
    ``behavioral_profile``, ``aptitude_breakdown``), with ``track_key`` where the
    platform had a ``track_id`` that was never set. The payload has exactly the
    keys in :data:`VIEW_FIELDS` for the view: a mentor payload has no
    ``anti_cheat`` key at all.
    """
    p = projection
    statement = p.value_statement
    reflection = p.reflection
    everything: dict[str, object] = {
        "view": p.view.value,
        "mentee_id": p.learner_id,
        "session_id": p.session_id,
        "completed_at": p.completed_at.isoformat() if p.completed_at else None,
        "is_locked": p.is_locked,
        "scores": {
            "overall": p.scores.overall,
            "aptitude": p.scores.aptitude,
            "behavioral": p.scores.behavioral,
            "technical_exposure": p.scores.technical_exposure,
        },
        "recommended_track": {
            "track_key": p.recommended_track.value if p.recommended_track else None,
            "confidence": p.track_confidence,
        },
        "strengths": list(p.strengths),
        "areas_for_growth": list(p.areas_for_growth),
        "behavioral_profile": {
            "traits": dict(p.behavioral_profile.traits),
            "strengths": list(p.behavioral_profile.strengths),
            "areas_for_growth": list(p.behavioral_profile.areas_for_growth),
        },
        "aptitude_breakdown": {name: _category(score) for name, score in p.aptitude_breakdown.items()},
        "value_statement": None
        if statement is None
        else {
            "entry_id": statement.entry_id,
            "title": statement.title,
            "summary": statement.summary,
            "visibility": statement.visibility.value,
        },
        "difficulty_selection": p.difficulty_selection.value if p.difficulty_selection else None,
        "track_alignment_percentages": {k.value: v for k, v in p.track_alignment_percentages.items()},
        "reflection": None
        if reflection is None
        else {"why_cyber": reflection.why_cyber, "what_achieve": reflection.what_achieve},
        "identity_responses": [{"question_id": r.question_id, "text": r.text} for r in p.identity_responses],
        "anti_cheat": None
        if p.anti_cheat is None
        else {"score": p.anti_cheat.score, "flags": list(p.anti_cheat.flags)},
    }
    return {key: everything[key] for key in VIEW_FIELDS[p.view]}

"""Who a grant or a mentor assignment reaches (SPEC §5): the access policy, a learner's placement, coverage.

:class:`AccessPolicy` holds the versioned enrollment rules; :func:`place_learner`
computes where a learner stands (:class:`LearnerPlacement`: their cohorts by
enrollment status, and their tracks). The private helpers here answer the
coverage questions the decisions in :mod:`profiler_core.access` ask: is a
grant usable at all, does its scope reach these cohorts or tracks, does a
mentor assignment name this learner and is it in force.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from attrs import field, frozen

from profiler_core.decisions import Policy, Reason
from profiler_core.errors import PolicyError
from profiler_core.models import (
    Cohort,
    Enrollment,
    IdLike,
    MentorAssignment,
    RoleGrant,
    UserId,
    _to_id,
    _valid_id,
    canonical_id,
)
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    EnrollmentStatus,
    Role,
    Scope,
    TrackKey,
    parse_track_lenient,
)

__all__ = ["AccessPolicy", "DEFAULT_ACCESS_POLICY", "LearnerPlacement", "place_learner"]


def _statuses(values: Iterable[EnrollmentStatus]) -> frozenset[EnrollmentStatus]:
    return frozenset(values)


@frozen(kw_only=True)
class AccessPolicy(Policy):
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
                policy=str(self.ref),
                reason="mentee_enrollment_statuses must be a subset of member_enrollment_statuses",
            )


#: The default policy, ``access@1``.
DEFAULT_ACCESS_POLICY = AccessPolicy()


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


def _track_ref(grant: RoleGrant) -> TrackKey | None:
    return parse_track_lenient(grant.scope_ref).key


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


_TYPE_ORDER = {kind: index for index, kind in enumerate(AssignmentType)}


def _coverage(assignment: MentorAssignment) -> AssignmentType | None:
    """What *assignment* covers (SPEC §5), whatever its ``assignment_type`` says.

    A row that names a mentee covers that mentee only (``direct``): the
    platform creates one ``cohort``-typed row per mentee. Without a mentee, a
    ``cohort`` row covers its cohort and a ``track`` row its track; ``None``
    when it names nothing it could cover (it grants nothing).
    """
    if assignment.mentee_id is not None:
        return AssignmentType.DIRECT
    if assignment.assignment_type is AssignmentType.COHORT and assignment.cohort_id is not None:
        return AssignmentType.COHORT
    if assignment.assignment_type is AssignmentType.TRACK and assignment.track is not None:
        return AssignmentType.TRACK
    return None


def _coverage_order(assignment: MentorAssignment) -> tuple[int, str]:
    # Narrowest coverage first (a mentee, then a cohort, then a track); rows covering nothing last.
    kind = _coverage(assignment)
    return (len(_TYPE_ORDER) if kind is None else _TYPE_ORDER[kind], assignment.id or "")


def _target(assignment: MentorAssignment) -> str:
    kind = _coverage(assignment)
    if kind is AssignmentType.DIRECT:
        return f"mentee {assignment.mentee_id}"
    if kind is AssignmentType.COHORT:
        return f"cohort {assignment.cohort_id}"
    if kind is AssignmentType.TRACK:
        return f"track {assignment.track}"
    return (
        f"no target: a {assignment.assignment_type.value} row naming no mentee and no {_missing(assignment)}"
    )


def _missing(assignment: MentorAssignment) -> str:
    return {AssignmentType.COHORT: "cohort", AssignmentType.TRACK: "track"}.get(
        assignment.assignment_type, "cohort or track"
    )


def _assignment_label(assignment: MentorAssignment) -> str:
    name = assignment.id or f"{assignment.assignment_type.value}:{assignment.mentor_id}"
    return f"{name} ({_target(assignment)})"


def _names_learner(assignment: MentorAssignment, placement: LearnerPlacement) -> bool:
    # A row covering nothing is kept among the candidates so the decision reports it
    # (assignment_without_target) instead of hiding it behind no_assignment.
    kind = _coverage(assignment)
    if kind is AssignmentType.DIRECT:
        return assignment.mentee_id == placement.learner_id
    if kind is AssignmentType.COHORT:
        return assignment.cohort_id in placement.enrolled_cohort_ids
    if kind is AssignmentType.TRACK:
        return assignment.track in placement.tracks
    return True


def _assignment_problem(
    assignment: MentorAssignment, placement: LearnerPlacement, now: datetime
) -> Reason | None:
    label = _assignment_label(assignment)
    if _coverage(assignment) is None:
        return Reason(
            code="assignment_without_target",
            message=f"Assignment {label} covers no learner and grants nothing.",
        )
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
        _coverage(assignment) is AssignmentType.COHORT
        and assignment.cohort_id not in placement.active_cohort_ids
    ):
        return Reason(
            code="mentee_not_actively_enrolled",
            message=f"Assignment {label} covers only actively enrolled learners; "
            f"learner {placement.learner_id} is not actively enrolled in cohort {assignment.cohort_id}.",
        )
    return None


def _covers_cohort(grant: RoleGrant, cohort: Cohort) -> bool:
    return _scope_covers(grant, (cohort.id,), () if cohort.track is None else (cohort.track,))

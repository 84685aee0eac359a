"""Tests for profiler_core.access_scope: the policy, placement, grant and assignment coverage (SPEC §5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.access_builders import COHORT_A, COHORTS, LEARNER, NOW, assignment, grant, results_access, viewer

from profiler_core import Cohort, CohortId, Enrollment, OrgId, PolicyRef, Principal, UserId
from profiler_core.access import decide_cohort_analytics_access, decide_enterprise_analytics_access
from profiler_core.access_scope import DEFAULT_ACCESS_POLICY, AccessPolicy, place_learner
from profiler_core.errors import PolicyError
from profiler_core.vocabulary import AssignmentStatus, AssignmentType, EnrollmentStatus, Role, Scope, TrackKey


class TestPolicy:
    def test_default_policy_ref(self) -> None:
        """The default policy is access@1."""
        assert DEFAULT_ACCESS_POLICY.ref == PolicyRef(id="access", version=1)

    def test_inconsistent_statuses_are_rejected(self) -> None:
        """An actively enrolled learner must be a member of the cohort: otherwise PolicyError."""
        with pytest.raises(PolicyError, match="subset"):
            AccessPolicy(
                mentee_enrollment_statuses={EnrollmentStatus.SUSPENDED},
                member_enrollment_statuses={EnrollmentStatus.ACTIVE},
            )


class TestPlaceLearner:
    def test_placement_by_status(self) -> None:
        """Cohorts are split by enrollment status; tracks come from member cohorts and the confirmed track."""
        placement = place_learner(
            LEARNER,
            enrollments=[
                Enrollment(user_id=LEARNER, cohort_id=CohortId("c-a"), status=EnrollmentStatus.ACTIVE),
                Enrollment(user_id=LEARNER, cohort_id=CohortId("c-z"), status=EnrollmentStatus.WITHDRAWN),
                Enrollment(user_id=LEARNER, cohort_id=CohortId("c-gone"), status=EnrollmentStatus.COMPLETED),
                Enrollment(
                    user_id=UserId("u-x"), cohort_id=CohortId("c-open"), status=EnrollmentStatus.ACTIVE
                ),
            ],
            cohorts=COHORTS,
            learner_track=TrackKey.LEADERSHIP,
        )
        assert placement.enrolled_cohort_ids == {"c-a", "c-z", "c-gone"}
        assert placement.member_cohort_ids == {"c-a", "c-gone"}
        assert placement.active_cohort_ids == {"c-a"}
        assert placement.tracks == {TrackKey.DEFENDER, TrackKey.LEADERSHIP}
        assert placement.describe() == "cohorts c-a, c-gone; tracks defender, leadership"

    def test_nowhere(self) -> None:
        """A learner without enrollments has no cohorts and no tracks."""
        assert place_learner(LEARNER, enrollments=[], cohorts=[]).describe() == "cohorts none; tracks none"


# --- the exhaustive matrix ----------------------------------------------------------

# The learner is actively enrolled in c-a (track defender, sponsored by org-acme); the
# analytics questions ask about cohort c-a and enterprise org-acme.
SCOPES: dict[str, tuple[Scope, str | None]] = {
    "global": (Scope.GLOBAL, None),
    "org-sponsor": (Scope.ORG, "org-acme"),
    "org-other": (Scope.ORG, "org-other"),
    "cohort-learner": (Scope.COHORT, "c-a"),
    "cohort-other": (Scope.COHORT, "c-z"),
    "track-learner": (Scope.TRACK, "defender"),
    "track-other": (Scope.TRACK, "grc"),
}
M, D, S, A, N = "mentor", "director", "sponsor", "admin", "none"

# (role, scope) -> (results with an active assignment, results otherwise, cohort, enterprise analytics)
MATRIX: dict[tuple[Role, str], tuple[str, str, str, str]] = {
    (Role.ADMIN, "global"): (A, A, A, A),
    (Role.ADMIN, "org-sponsor"): (N, N, N, N),
    (Role.ADMIN, "org-other"): (N, N, N, N),
    (Role.ADMIN, "cohort-learner"): (N, N, N, N),
    (Role.ADMIN, "cohort-other"): (N, N, N, N),
    (Role.ADMIN, "track-learner"): (N, N, N, N),
    (Role.ADMIN, "track-other"): (N, N, N, N),
    (Role.PROGRAM_DIRECTOR, "global"): (D, D, D, N),
    (Role.PROGRAM_DIRECTOR, "org-sponsor"): (N, N, N, N),
    (Role.PROGRAM_DIRECTOR, "org-other"): (N, N, N, N),
    (Role.PROGRAM_DIRECTOR, "cohort-learner"): (D, D, D, N),
    (Role.PROGRAM_DIRECTOR, "cohort-other"): (N, N, N, N),
    (Role.PROGRAM_DIRECTOR, "track-learner"): (D, D, D, N),
    (Role.PROGRAM_DIRECTOR, "track-other"): (N, N, N, N),
    (Role.MENTOR, "global"): (M, N, N, N),
    (Role.MENTOR, "org-sponsor"): (N, N, N, N),
    (Role.MENTOR, "org-other"): (N, N, N, N),
    (Role.MENTOR, "cohort-learner"): (M, N, N, N),
    (Role.MENTOR, "cohort-other"): (N, N, N, N),
    (Role.MENTOR, "track-learner"): (M, N, N, N),
    (Role.MENTOR, "track-other"): (N, N, N, N),
    (Role.MENTEE, "global"): (N, N, N, N),
    (Role.MENTEE, "org-sponsor"): (N, N, N, N),
    (Role.MENTEE, "org-other"): (N, N, N, N),
    (Role.MENTEE, "cohort-learner"): (N, N, N, N),
    (Role.MENTEE, "cohort-other"): (N, N, N, N),
    (Role.MENTEE, "track-learner"): (N, N, N, N),
    (Role.MENTEE, "track-other"): (N, N, N, N),
    (Role.STUDENT, "global"): (N, N, N, N),
    (Role.STUDENT, "org-sponsor"): (N, N, N, N),
    (Role.STUDENT, "org-other"): (N, N, N, N),
    (Role.STUDENT, "cohort-learner"): (N, N, N, N),
    (Role.STUDENT, "cohort-other"): (N, N, N, N),
    (Role.STUDENT, "track-learner"): (N, N, N, N),
    (Role.STUDENT, "track-other"): (N, N, N, N),
    (Role.EMPLOYER, "global"): (N, N, N, N),
    (Role.EMPLOYER, "org-sponsor"): (N, N, N, N),
    (Role.EMPLOYER, "org-other"): (N, N, N, N),
    (Role.EMPLOYER, "cohort-learner"): (N, N, N, N),
    (Role.EMPLOYER, "cohort-other"): (N, N, N, N),
    (Role.EMPLOYER, "track-learner"): (N, N, N, N),
    (Role.EMPLOYER, "track-other"): (N, N, N, N),
    (Role.FINANCE, "global"): (N, N, N, N),
    (Role.FINANCE, "org-sponsor"): (N, N, N, N),
    (Role.FINANCE, "org-other"): (N, N, N, N),
    (Role.FINANCE, "cohort-learner"): (N, N, N, N),
    (Role.FINANCE, "cohort-other"): (N, N, N, N),
    (Role.FINANCE, "track-learner"): (N, N, N, N),
    (Role.FINANCE, "track-other"): (N, N, N, N),
    (Role.FINANCE_ADMIN, "global"): (N, N, N, N),
    (Role.FINANCE_ADMIN, "org-sponsor"): (N, N, N, N),
    (Role.FINANCE_ADMIN, "org-other"): (N, N, N, N),
    (Role.FINANCE_ADMIN, "cohort-learner"): (N, N, N, N),
    (Role.FINANCE_ADMIN, "cohort-other"): (N, N, N, N),
    (Role.FINANCE_ADMIN, "track-learner"): (N, N, N, N),
    (Role.FINANCE_ADMIN, "track-other"): (N, N, N, N),
    (Role.SPONSOR_ADMIN, "global"): (N, N, N, N),
    (Role.SPONSOR_ADMIN, "org-sponsor"): (N, N, S, S),
    (Role.SPONSOR_ADMIN, "org-other"): (N, N, N, N),
    (Role.SPONSOR_ADMIN, "cohort-learner"): (N, N, N, N),
    (Role.SPONSOR_ADMIN, "cohort-other"): (N, N, N, N),
    (Role.SPONSOR_ADMIN, "track-learner"): (N, N, N, N),
    (Role.SPONSOR_ADMIN, "track-other"): (N, N, N, N),
    (Role.ANALYST, "global"): (D, D, N, N),
    (Role.ANALYST, "org-sponsor"): (N, N, N, N),
    (Role.ANALYST, "org-other"): (N, N, N, N),
    (Role.ANALYST, "cohort-learner"): (D, D, N, N),
    (Role.ANALYST, "cohort-other"): (N, N, N, N),
    (Role.ANALYST, "track-learner"): (D, D, N, N),
    (Role.ANALYST, "track-other"): (N, N, N, N),
    (Role.UNKNOWN, "global"): (N, N, N, N),
    (Role.UNKNOWN, "org-sponsor"): (N, N, N, N),
    (Role.UNKNOWN, "org-other"): (N, N, N, N),
    (Role.UNKNOWN, "cohort-learner"): (N, N, N, N),
    (Role.UNKNOWN, "cohort-other"): (N, N, N, N),
    (Role.UNKNOWN, "track-learner"): (N, N, N, N),
    (Role.UNKNOWN, "track-other"): (N, N, N, N),
}

# Assignment states: none, every status (any type), and an active one that has expired.
ASSIGNMENT_STATES: list[tuple[str, AssignmentType | None, AssignmentStatus | None, bool]] = [
    ("none", None, None, False),
    *[
        (f"{kind.value}-{status.value}", kind, status, False)
        for kind in AssignmentType
        for status in AssignmentStatus
    ],
    *[(f"{kind.value}-active-expired", kind, AssignmentStatus.ACTIVE, True) for kind in AssignmentType],
]


def _matrix_decisions(
    who: Principal, kind: AssignmentType | None, status: AssignmentStatus | None, expired: bool
) -> tuple[str, str, str]:
    assignments = []
    if kind is not None and status is not None:
        assignments.append(assignment(kind, status, expires_at=NOW - timedelta(hours=1) if expired else None))
    return (
        results_access(who, assignments).view.value,
        decide_cohort_analytics_access(who, COHORT_A, now=NOW).view.value,
        decide_enterprise_analytics_access(who, OrgId("org-acme"), now=NOW).view.value,
    )


class TestExhaustiveMatrix:
    def test_table_covers_every_role_and_scope(self) -> None:
        """The hand-written table has one row per role and scope."""
        assert set(MATRIX) == {(role, scope) for role in Role for scope in SCOPES}

    @pytest.mark.parametrize(("role", "scope"), list(MATRIX), ids=[f"{r.value}-{s}" for r, s in MATRIX])
    def test_role_scope_against_table(self, role: Role, scope: str) -> None:
        """For every assignment state, the three questions answer as the table says."""
        scope_kind, ref = SCOPES[scope]
        who = viewer(grant(role, scope_kind, ref))
        with_active, otherwise, cohort, enterprise = MATRIX[(role, scope)]
        got = {
            name: _matrix_decisions(who, kind, status, expired)
            for name, kind, status, expired in ASSIGNMENT_STATES
        }
        expected = {
            name: (
                with_active if status is AssignmentStatus.ACTIVE and not expired else otherwise,
                cohort,
                enterprise,
            )
            for name, _kind, status, expired in ASSIGNMENT_STATES
        }
        assert got == expected

    @pytest.mark.parametrize(
        ("who", "expected"),
        [
            (viewer(staff=True), (A, A, A)),
            (viewer(user=LEARNER), ("self", N, N)),
            (viewer(), (N, N, N)),
        ],
        ids=["staff", "the-learner", "nobody"],
    )
    def test_grantless_viewers(self, who: Principal, expected: tuple[str, str, str]) -> None:
        """Staff, the learner themself and a nobody answer the same whatever the assignments."""
        for _name, kind, status, expired in ASSIGNMENT_STATES:
            assert _matrix_decisions(who, kind, status, expired) == expected


_DIRECTOR_SCOPES = [
    (Scope.GLOBAL, None),
    (Scope.COHORT, "c-a"),
    (Scope.COHORT, "c-z"),
    (Scope.COHORT, "c-open"),
    (Scope.TRACK, "defender"),
    (Scope.TRACK, "grc"),
    (Scope.ORG, "org-acme"),
]


class TestOneScopeSwitch:
    @pytest.mark.parametrize(("scope", "ref"), _DIRECTOR_SCOPES)
    @pytest.mark.parametrize("cohort", COHORTS, ids=lambda c: c.id)
    def test_a_director_scope_reaches_a_cohort_and_its_only_member_alike(
        self, scope: Scope, ref: str | None, cohort: Cohort
    ) -> None:
        """A director scope covers a cohort's analytics exactly when it covers the learner it alone holds."""
        who = viewer(grant(Role.PROGRAM_DIRECTOR, scope, ref))
        member = (Enrollment(user_id=LEARNER, cohort_id=cohort.id, status=EnrollmentStatus.ACTIVE),)
        results = results_access(who, enrollments=member)
        analytics = decide_cohort_analytics_access(who, cohort, now=NOW)
        assert results.allowed == analytics.allowed
        expected = (
            scope is Scope.GLOBAL
            or ref == cohort.id
            or (cohort.track is not None and ref == cohort.track.value)
        )
        assert analytics.allowed is expected

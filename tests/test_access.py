"""Tests for profiler_core.access: who may see which profiler data, and why (SPEC §5)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from profiler_core import (
    BehavioralProfile,
    CategoryScore,
    Cohort,
    CohortId,
    Enrollment,
    EntryId,
    IdentityResponse,
    MentorAssignment,
    OrgId,
    PolicyRef,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    ProfilerSession,
    Reflection,
    RoleGrant,
    SessionId,
    UserId,
    structure,
    unstructure,
)
from profiler_core.access import (
    ACCESS_DENIED,
    DEFAULT_ACCESS_POLICY,
    VIEW_FIELDS,
    AccessAction,
    AccessDecision,
    AccessPolicy,
    AccessRule,
    AnalyticsView,
    AntiCheatView,
    AuditOutcome,
    AuditRecord,
    LearnerProfilerData,
    ProfilerScores,
    ResultsProjection,
    ResultsView,
    ValueStatementView,
    decide_cohort_analytics_access,
    decide_enterprise_analytics_access,
    decide_results_access,
    place_learner,
    project_results,
    sees_denial_detail,
)
from profiler_core.decisions import Reason
from profiler_core.errors import InvalidValueError, PolicyError
from profiler_core.serialization._bodies import _mentee_results_body as mentee_results_payload
from profiler_core.testing.strategies_access import (
    SCENARIO_ORGS,
    SCENARIO_USERS,
    AccessScenario,
    access_scenarios,
    learner_profiler_data,
    scenario_assignments,
    scenario_grants,
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
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
LEARNER = UserId("u-learner")
VIEWER = UserId("u-viewer")
COHORT_A = Cohort(id=CohortId("c-a"), name="Autumn", track=TrackKey.DEFENDER, enterprise_id=OrgId("org-acme"))
COHORT_Z = Cohort(id=CohortId("c-z"), name="Autumn", track=TrackKey.GRC, enterprise_id=OrgId("org-other"))
COHORT_OPEN = Cohort(id=CohortId("c-open"), name="Open", track=None, enterprise_id=None)
COHORTS = (COHORT_A, COHORT_Z, COHORT_OPEN)
ACTIVE_IN_A = (Enrollment(user_id=LEARNER, cohort_id=COHORT_A.id, status=EnrollmentStatus.ACTIVE),)


def grant(
    role: Role,
    scope: Scope = Scope.GLOBAL,
    ref: str | None = None,
    *,
    active: bool = True,
    expires_at: datetime | None = None,
) -> RoleGrant:
    return RoleGrant(role=role, scope=scope, scope_ref=ref, is_active=active, expires_at=expires_at)


def viewer(*grants: RoleGrant, staff: bool = False, user: UserId = VIEWER) -> Principal:
    return Principal(user_id=user, is_staff=staff, roles=grants)


def assignment(
    kind: AssignmentType = AssignmentType.DIRECT,
    status: AssignmentStatus = AssignmentStatus.ACTIVE,
    *,
    mentor: UserId = VIEWER,
    expires_at: datetime | None = None,
    ident: str = "asg-1",
) -> MentorAssignment:
    return MentorAssignment(
        id=ident,
        mentor_id=mentor,
        status=status,
        assignment_type=kind,
        mentee_id=LEARNER if kind is AssignmentType.DIRECT else None,
        cohort_id=COHORT_A.id if kind is AssignmentType.COHORT else None,
        track=TrackKey.DEFENDER if kind is AssignmentType.TRACK else None,
        expires_at=expires_at,
    )


def results_access(
    who: Principal,
    assignments: Sequence[MentorAssignment] = (),
    *,
    enrollments: Sequence[Enrollment] = ACTIVE_IN_A,
    learner_track: TrackKey | None = None,
    policy: AccessPolicy = DEFAULT_ACCESS_POLICY,
) -> AccessDecision[ResultsView]:
    return decide_results_access(
        who,
        LEARNER,
        assignments=assignments,
        enrollments=enrollments,
        cohorts=COHORTS,
        learner_track=learner_track,
        now=NOW,
        policy=policy,
    )


def full_data(visibility: Visibility = Visibility.PRIVATE) -> LearnerProfilerData:
    session = ProfilerSession(
        id=SessionId("s-1"),
        user_id=LEARNER,
        status=SessionStatus.LOCKED,
        completed_at=datetime(2026, 9, 1, 10, 0, tzinfo=UTC),
        difficulty_selection=DifficultySelection.ADVANCED,
        aptitude_score=72.5,
        technical_exposure_score=40.0,
        behavioral_profile=BehavioralProfile(
            traits={"teamwork": 4.2},
            strengths=("teamwork",),
            areas_for_growth=("Improve documentation skills",),
        ),
        strengths=("networking", "linux"),
        recommended_track=TrackKey.DEFENDER,
        track_confidence=0.8,
        track_alignment_percentages={TrackKey.DEFENDER: 80.0, TrackKey.GRC: 35.0},
        reflection=Reflection(why_cyber="I like puzzles", what_achieve="Lead a SOC"),
        identity_responses=(IdentityResponse(question_id="q-1", text="integrity"),),
        anti_cheat_score=12.0,
        anti_cheat_flags=("tab_switch",),
    )
    result = ProfilerResult(
        session_id=SessionId("s-1"),
        overall_score=0.0,
        aptitude_score=70.0,
        behavioral_score=65.0,
        aptitude_breakdown={
            "networking": CategoryScore.from_counts(correct=3, total=4, points=6.0),
            "cloud": CategoryScore(score=55.0),
        },
        behavioral_traits={"teamwork": 4.2},
        strengths=("cloud",),
        areas_for_growth=("Develop documentation skills",),
    )
    statement = PortfolioEntry(
        id=EntryId("e-1"),
        user_id=LEARNER,
        title="My Value Statement",
        summary="I value integrity.",
        item_type="reflection",
        status="approved",
        visibility=visibility,
        profiler_session_id=SessionId("s-1"),
    )
    return LearnerProfilerData(session=session, result=result, value_statement=statement)


# --- the seed's cases ---------------------------------------------------------


class TestSeedCases:
    def test_assigned_mentor_sees_scores_track_profile_and_strengths(self) -> None:
        """A mentor with an active direct assignment gets the mentor view with every coaching field."""
        decision = results_access(viewer(grant(Role.MENTOR)), [assignment()])
        assert (decision.allowed, decision.view, decision.rule) == (
            True,
            ResultsView.MENTOR,
            AccessRule.MENTOR_DIRECT_ASSIGNMENT,
        )
        payload = mentee_results_payload(project_results(full_data(), decision.view))
        assert payload["scores"] == {
            "overall": 0.0,
            "aptitude": 72.5,
            "behavioral": 65.0,
            "technical_exposure": 40.0,
        }
        assert payload["recommended_track"] == {"track_key": "defender", "confidence": 0.8}
        assert payload["behavioral_profile"] == {
            "traits": {"teamwork": 4.2},
            "strengths": ["teamwork"],
            "areas_for_growth": ["Improve documentation skills"],
        }
        assert payload["strengths"] == ["networking", "linux"]

    def test_mentor_without_assignment_is_denied(self) -> None:
        """A mentor with no assignment to the learner is denied with no_assignment."""
        decision = results_access(viewer(grant(Role.MENTOR)), [assignment(mentor=UserId("someone-else"))])
        assert not decision.allowed
        assert decision.view is ResultsView.NONE
        assert decision.reason_codes == ("no_assignment",)

    def test_coaching_payload_is_shaped_as_documented(self) -> None:
        """The mentor payload is exactly the documented JSON (docs/reference/access.md)."""
        payload = mentee_results_payload(project_results(full_data(Visibility.PUBLIC), ResultsView.MENTOR))
        assert payload == {
            "view": "mentor",
            "mentee_id": "u-learner",
            "session_id": "s-1",
            "completed_at": "2026-09-01T10:00:00+00:00",
            "is_locked": True,
            "scores": {"overall": 0.0, "aptitude": 72.5, "behavioral": 65.0, "technical_exposure": 40.0},
            "recommended_track": {"track_key": "defender", "confidence": 0.8},
            "strengths": ["networking", "linux"],
            "areas_for_growth": ["Develop documentation skills"],
            "behavioral_profile": {
                "traits": {"teamwork": 4.2},
                "strengths": ["teamwork"],
                "areas_for_growth": ["Improve documentation skills"],
            },
            "aptitude_breakdown": {
                "networking": {"score": 75.0, "correct": 3, "total": 4},
                "cloud": {"score": 55.0, "correct": None, "total": None},
            },
            "value_statement": {
                "entry_id": "e-1",
                "title": "My Value Statement",
                "summary": "I value integrity.",
                "visibility": "public",
            },
        }


# --- regressions of SPEC §10.4-10.6 ----------------------------------------------


class TestRegressions:
    def test_student_without_relation_is_denied(self) -> None:
        """Defect 4: a signed-in student with no relation to the learner is denied."""
        decision = results_access(viewer(grant(Role.STUDENT)))
        assert not decision.allowed
        assert decision.reason_codes == ("role_not_permitted",)

    def test_no_grants_at_all_is_denied_by_default(self) -> None:
        """A viewer with no grant, not staff and not the learner gets no_grant."""
        decision = results_access(viewer())
        assert (decision.allowed, decision.rule, decision.reason_codes) == (
            False,
            AccessRule.DEFAULT_DENY,
            ("no_grant",),
        )

    @pytest.mark.parametrize(
        "status",
        [
            AssignmentStatus.PAUSED,
            AssignmentStatus.CANCELLED,
            AssignmentStatus.PENDING,
            AssignmentStatus.COMPLETED,
        ],
    )
    @pytest.mark.parametrize("kind", list(AssignmentType))
    def test_mentor_with_inactive_assignment_is_denied(
        self, status: AssignmentStatus, kind: AssignmentType
    ) -> None:
        """Defect 4: a paused, cancelled, pending or completed assignment of any type grants nothing."""
        decision = results_access(viewer(grant(Role.MENTOR)), [assignment(kind, status)])
        assert not decision.allowed
        assert decision.reason_codes == ("assignment_not_active",)
        assert status.value in decision.reasons[0].message

    @pytest.mark.parametrize("kind", list(AssignmentType))
    def test_mentor_with_expired_assignment_is_denied(self, kind: AssignmentType) -> None:
        """An active assignment that expired (at or before now) counts as absent."""
        for expires in (NOW, NOW - timedelta(seconds=1)):
            decision = results_access(viewer(grant(Role.MENTOR)), [assignment(kind, expires_at=expires)])
            assert decision.reason_codes == ("assignment_expired",)
        later = results_access(
            viewer(grant(Role.MENTOR)), [assignment(kind, expires_at=NOW + timedelta(days=1))]
        )
        assert later.view is ResultsView.MENTOR

    def test_assignment_without_mentor_role_grants_nothing(self) -> None:
        """Never inferred: being mentor_id of an active assignment without a mentor grant gives nothing."""
        decision = results_access(viewer(grant(Role.STUDENT)), [assignment()])
        assert not decision.allowed

    def test_director_scoped_to_the_cohort_is_allowed(self) -> None:
        """Defect 5: a program_director scoped to the learner's cohort sees the director view."""
        decision = results_access(viewer(grant(Role.PROGRAM_DIRECTOR, Scope.COHORT, "c-a")))
        assert (decision.view, decision.rule, decision.reason_codes) == (
            ResultsView.DIRECTOR,
            AccessRule.DIRECTOR_SCOPE,
            ("director_scope_covers",),
        )

    def test_director_scoped_elsewhere_is_denied(self) -> None:
        """A director scoped to another cohort is denied; the reason reveals nothing of the learner."""
        decision = results_access(viewer(grant(Role.PROGRAM_DIRECTOR, Scope.COHORT, "c-z")))
        assert decision.reason_codes == ("scope_not_covering",)
        assert "c-a" not in decision.reasons[0].message
        assert "defender" not in decision.reasons[0].message

    def test_director_role_arrives_from_the_wire(self) -> None:
        """program_director from a host payload works; the platform's old name director grants nothing."""
        right = structure(
            {
                "user_id": "u-viewer",
                "roles": [{"role": "program_director", "scope": "cohort", "scope_ref": "c-a"}],
            },
            Principal,
        )
        wrong = structure(
            {"user_id": "u-viewer", "roles": [{"role": "director", "scope": "cohort", "scope_ref": "c-a"}]},
            Principal,
        )
        assert results_access(right).view is ResultsView.DIRECTOR
        assert results_access(wrong).reason_codes == ("unknown_role",)

    def test_sponsor_admin_sees_only_their_own_enterprise(self) -> None:
        """Defect 6: a sponsor admin sees their enterprise and its cohorts, nothing else, no results."""
        sponsor = viewer(grant(Role.SPONSOR_ADMIN, Scope.ORG, "org-acme"))
        assert (
            decide_enterprise_analytics_access(sponsor, OrgId("org-acme"), now=NOW).view
            is AnalyticsView.SPONSOR
        )
        assert not decide_enterprise_analytics_access(sponsor, OrgId("org-other"), now=NOW).allowed
        assert decide_cohort_analytics_access(sponsor, COHORT_A, now=NOW).view is AnalyticsView.SPONSOR
        assert not decide_cohort_analytics_access(sponsor, COHORT_Z, now=NOW).allowed
        assert not decide_cohort_analytics_access(sponsor, COHORT_OPEN, now=NOW).allowed
        assert not results_access(sponsor).allowed

    def test_unscoped_sponsor_admin_sees_nothing(self) -> None:
        """A global sponsor_admin grant is not an organisation scope: it never means "every enterprise"."""
        sponsor = viewer(grant(Role.SPONSOR_ADMIN))
        decision = decide_enterprise_analytics_access(sponsor, OrgId("org-acme"), now=NOW)
        assert decision.reason_codes == ("sponsor_scope_not_org",)
        assert not decide_cohort_analytics_access(sponsor, COHORT_A, now=NOW).allowed


# --- known cases ----------------------------------------------------------------


RESULTS_CASES = [
    # (id, viewer, assignments, enrollments, learner_track, view, rule, first reason code)
    ("learner", viewer(user=LEARNER), [], ACTIVE_IN_A, None, "self", "self", "viewer_is_learner"),
    ("staff", viewer(staff=True), [], ACTIVE_IN_A, None, "admin", "staff", "viewer_is_staff"),
    ("admin", viewer(grant(Role.ADMIN)), [], (), None, "admin", "admin_global", "admin_global_grant"),
    (
        "admin-scoped",
        viewer(grant(Role.ADMIN, Scope.COHORT, "c-a")),
        [],
        ACTIVE_IN_A,
        None,
        "none",
        "default_deny",
        "admin_not_global",
    ),
    (
        "analyst",
        viewer(grant(Role.ANALYST)),
        [],
        (),
        None,
        "director",
        "analyst_scope",
        "analyst_scope_covers",
    ),
    (
        "analyst-org",
        viewer(grant(Role.ANALYST, Scope.ORG, "org-acme")),
        [],
        ACTIVE_IN_A,
        None,
        "none",
        "default_deny",
        "scope_not_covering",
    ),
    (
        "director-track-of-cohort",
        viewer(grant(Role.PROGRAM_DIRECTOR, Scope.TRACK, "defender")),
        [],
        ACTIVE_IN_A,
        None,
        "director",
        "director_scope",
        "director_scope_covers",
    ),
    (
        "director-track-alias",
        viewer(grant(Role.PROGRAM_DIRECTOR, Scope.TRACK, "cyber-defense")),
        [],
        ACTIVE_IN_A,
        None,
        "director",
        "director_scope",
        "director_scope_covers",
    ),
    (
        "director-track-unknown",
        viewer(grant(Role.PROGRAM_DIRECTOR, Scope.TRACK, "blue")),
        [],
        ACTIVE_IN_A,
        None,
        "none",
        "default_deny",
        "scope_not_covering",
    ),
    (
        "director-confirmed-track",
        viewer(grant(Role.PROGRAM_DIRECTOR, Scope.TRACK, "grc")),
        [],
        ACTIVE_IN_A,
        TrackKey.GRC,
        "director",
        "director_scope",
        "director_scope_covers",
    ),
    (
        "director-completed-enrollment",
        viewer(grant(Role.PROGRAM_DIRECTOR, Scope.COHORT, "c-a")),
        [],
        (Enrollment(user_id=LEARNER, cohort_id=CohortId("c-a"), status=EnrollmentStatus.COMPLETED),),
        None,
        "director",
        "director_scope",
        "director_scope_covers",
    ),
    (
        "director-withdrawn-enrollment",
        viewer(grant(Role.PROGRAM_DIRECTOR, Scope.COHORT, "c-a")),
        [],
        (Enrollment(user_id=LEARNER, cohort_id=CohortId("c-a"), status=EnrollmentStatus.WITHDRAWN),),
        None,
        "none",
        "default_deny",
        "scope_not_covering",
    ),
    (
        "director-other-users-enrollment",
        viewer(grant(Role.PROGRAM_DIRECTOR, Scope.COHORT, "c-a")),
        [],
        (Enrollment(user_id=UserId("u-other"), cohort_id=CohortId("c-a"), status=EnrollmentStatus.ACTIVE),),
        None,
        "none",
        "default_deny",
        "scope_not_covering",
    ),
    (
        "director-org",
        viewer(grant(Role.PROGRAM_DIRECTOR, Scope.ORG, "org-acme")),
        [],
        ACTIVE_IN_A,
        None,
        "none",
        "default_deny",
        "scope_not_covering",
    ),
    (
        "mentor-cohort-active",
        viewer(grant(Role.MENTOR)),
        [assignment(AssignmentType.COHORT)],
        ACTIVE_IN_A,
        None,
        "mentor",
        "mentor_cohort_assignment",
        "mentor_assignment_active",
    ),
    (
        "mentor-cohort-completed-enrollment",
        viewer(grant(Role.MENTOR)),
        [assignment(AssignmentType.COHORT)],
        (Enrollment(user_id=LEARNER, cohort_id=CohortId("c-a"), status=EnrollmentStatus.COMPLETED),),
        None,
        "none",
        "default_deny",
        "mentee_not_actively_enrolled",
    ),
    (
        "mentor-track",
        viewer(grant(Role.MENTOR)),
        [assignment(AssignmentType.TRACK)],
        ACTIVE_IN_A,
        None,
        "mentor",
        "mentor_track_assignment",
        "mentor_assignment_active",
    ),
    (
        "mentor-track-not-learners",
        viewer(grant(Role.MENTOR)),
        [assignment(AssignmentType.TRACK)],
        (),
        None,
        "none",
        "default_deny",
        "no_assignment",
    ),
    (
        "mentor-track-is-the-hosts-confirmed-track",
        viewer(grant(Role.MENTOR)),
        [assignment(AssignmentType.TRACK)],
        (),
        TrackKey.DEFENDER,
        "mentor",
        "mentor_track_assignment",
        "mentor_assignment_active",
    ),
    (
        "mentor-grant-scoped-elsewhere",
        viewer(grant(Role.MENTOR, Scope.COHORT, "c-z")),
        [assignment()],
        ACTIVE_IN_A,
        None,
        "none",
        "default_deny",
        "scope_not_covering",
    ),
    (
        "mentor-grant-scoped-to-cohort",
        viewer(grant(Role.MENTOR, Scope.COHORT, "c-a")),
        [assignment()],
        ACTIVE_IN_A,
        None,
        "mentor",
        "mentor_direct_assignment",
        "mentor_assignment_active",
    ),
    (
        "mentor-one-bad-one-good",
        viewer(grant(Role.MENTOR)),
        [
            assignment(status=AssignmentStatus.PAUSED, ident="a-1"),
            assignment(AssignmentType.COHORT, ident="a-2"),
        ],
        ACTIVE_IN_A,
        None,
        "mentor",
        "mentor_cohort_assignment",
        "mentor_assignment_active",
    ),
    (
        "inactive-admin",
        viewer(grant(Role.ADMIN, active=False)),
        [],
        ACTIVE_IN_A,
        None,
        "none",
        "default_deny",
        "grant_inactive",
    ),
    (
        "expired-admin",
        viewer(grant(Role.ADMIN, expires_at=NOW)),
        [],
        ACTIVE_IN_A,
        None,
        "none",
        "default_deny",
        "grant_expired",
    ),
    (
        "unexpired-admin",
        viewer(grant(Role.ADMIN, expires_at=NOW + timedelta(minutes=1))),
        [],
        ACTIVE_IN_A,
        None,
        "admin",
        "admin_global",
        "admin_global_grant",
    ),
    (
        "unknown-role",
        viewer(grant(Role.UNKNOWN)),
        [],
        ACTIVE_IN_A,
        None,
        "none",
        "default_deny",
        "unknown_role",
    ),
    (
        "employer",
        viewer(grant(Role.EMPLOYER)),
        [],
        ACTIVE_IN_A,
        None,
        "none",
        "default_deny",
        "role_not_permitted",
    ),
    (
        "widest-wins",
        viewer(grant(Role.MENTOR), grant(Role.PROGRAM_DIRECTOR), staff=True),
        [assignment()],
        ACTIVE_IN_A,
        None,
        "admin",
        "staff",
        "viewer_is_staff",
    ),
    (
        "learner-who-is-also-admin",
        viewer(grant(Role.ADMIN), user=LEARNER),
        [],
        ACTIVE_IN_A,
        None,
        "admin",
        "admin_global",
        "admin_global_grant",
    ),
]


class TestDecideResultsAccess:
    @pytest.mark.parametrize(
        ("who", "assignments", "enrollments", "track", "view", "rule", "code"),
        [case[1:] for case in RESULTS_CASES],
        ids=[case[0] for case in RESULTS_CASES],
    )
    def test_known_cases(
        self,
        who: Principal,
        assignments: list[MentorAssignment],
        enrollments: Sequence[Enrollment],
        track: TrackKey | None,
        view: str,
        rule: str,
        code: str,
    ) -> None:
        """Each known case gets its view, rule and first reason code."""
        decision = results_access(who, assignments, enrollments=enrollments, learner_track=track)
        assert (decision.view.value, decision.rule.value, decision.reasons[0].code) == (view, rule, code)
        assert decision.allowed == (view != "none")

    def test_denial_lists_why_each_source_fell_short(self) -> None:
        """A denial carries one reason per failing grant, in grant order, without duplicates."""
        who = viewer(
            grant(Role.STUDENT), grant(Role.ADMIN, active=False), grant(Role.STUDENT), grant(Role.MENTOR)
        )
        decision = results_access(who)
        assert decision.reason_codes == ("role_not_permitted", "grant_inactive", "no_assignment")

    def test_several_bad_assignments_each_explained(self) -> None:
        """A mentor whose assignments all fail hears about each of them."""
        decision = results_access(
            viewer(grant(Role.MENTOR)),
            [
                assignment(status=AssignmentStatus.PAUSED, ident="a-1"),
                assignment(AssignmentType.TRACK, expires_at=NOW, ident="a-2"),
            ],
        )
        assert decision.reason_codes == ("assignment_not_active", "assignment_expired")

    def test_mentor_hears_only_of_assignments_covering_the_learner(self) -> None:
        """A paused assignment for a cohort or track the learner is not in is not explained: no_assignment."""
        elsewhere = [
            evolve(assignment(AssignmentType.COHORT, AssignmentStatus.PAUSED), cohort_id=CohortId("c-z")),
            evolve(
                assignment(AssignmentType.TRACK, AssignmentStatus.PAUSED, ident="a-2"), track=TrackKey.GRC
            ),
        ]
        decision = results_access(viewer(grant(Role.MENTOR)), elsewhere)
        assert decision.reason_codes == ("no_assignment",)
        assert "c-z" not in decision.reasons[0].message

    def test_assignment_without_id_is_described_by_type(self) -> None:
        """An assignment without an id is named by its type and mentor in the reason."""
        anonymous = evolve(assignment(status=AssignmentStatus.PAUSED), id=None)
        decision = results_access(viewer(grant(Role.MENTOR)), [anonymous])
        assert "direct:u-viewer (mentee u-learner)" in decision.reasons[0].message

    def test_naive_now_is_rejected(self) -> None:
        """A naive now raises InvalidValueError instead of comparing wrongly."""
        with pytest.raises(InvalidValueError, match="now"):
            decide_results_access(
                viewer(),
                LEARNER,
                assignments=[],
                enrollments=[],
                cohorts=[],
                now=datetime(2026, 1, 1),
            )
        with pytest.raises(InvalidValueError):
            decide_cohort_analytics_access(viewer(), COHORT_A, now=datetime(2026, 1, 1))
        with pytest.raises(InvalidValueError):
            decide_enterprise_analytics_access(viewer(), OrgId("o"), now=datetime(2026, 1, 1))

    def test_custom_policy_widens_active_enrollment(self) -> None:
        """A policy counting completed enrollments as active keeps a graduate with their cohort mentor."""
        policy = AccessPolicy(
            version=2,
            mentee_enrollment_statuses={EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED},
        )
        completed = (
            Enrollment(user_id=LEARNER, cohort_id=CohortId("c-a"), status=EnrollmentStatus.COMPLETED),
        )
        decision = results_access(
            viewer(grant(Role.MENTOR)),
            [assignment(AssignmentType.COHORT)],
            enrollments=completed,
            policy=policy,
        )
        assert decision.view is ResultsView.MENTOR
        assert str(decision.policy) == "access@2"


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


COHORT_CASES = [
    # (id, viewer, cohort, view, rule, first reason code)
    ("staff", viewer(staff=True), COHORT_A, "admin", "staff", "viewer_is_staff"),
    ("admin", viewer(grant(Role.ADMIN)), COHORT_A, "admin", "admin_global", "admin_global_grant"),
    (
        "admin-org",
        viewer(grant(Role.ADMIN, Scope.ORG, "org-acme")),
        COHORT_A,
        "none",
        "default_deny",
        "admin_not_global",
    ),
    (
        "director-global",
        viewer(grant(Role.PROGRAM_DIRECTOR)),
        COHORT_A,
        "director",
        "director_scope",
        "director_scope_covers",
    ),
    (
        "director-cohort",
        viewer(grant(Role.PROGRAM_DIRECTOR, Scope.COHORT, "c-a")),
        COHORT_A,
        "director",
        "director_scope",
        "director_scope_covers",
    ),
    (
        "director-track",
        viewer(grant(Role.PROGRAM_DIRECTOR, Scope.TRACK, "defender")),
        COHORT_A,
        "director",
        "director_scope",
        "director_scope_covers",
    ),
    (
        "director-track-trackless-cohort",
        viewer(grant(Role.PROGRAM_DIRECTOR, Scope.TRACK, "defender")),
        COHORT_OPEN,
        "none",
        "default_deny",
        "scope_not_covering",
    ),
    (
        "director-other-cohort",
        viewer(grant(Role.PROGRAM_DIRECTOR, Scope.COHORT, "c-z")),
        COHORT_A,
        "none",
        "default_deny",
        "scope_not_covering",
    ),
    (
        "sponsor",
        viewer(grant(Role.SPONSOR_ADMIN, Scope.ORG, "org-acme")),
        COHORT_A,
        "sponsor",
        "sponsor_admin_org",
        "sponsor_org_matches",
    ),
    ("analyst", viewer(grant(Role.ANALYST)), COHORT_A, "none", "default_deny", "role_not_permitted"),
    ("mentor", viewer(grant(Role.MENTOR)), COHORT_A, "none", "default_deny", "role_not_permitted"),
    (
        "expired-director",
        viewer(grant(Role.PROGRAM_DIRECTOR, expires_at=NOW)),
        COHORT_A,
        "none",
        "default_deny",
        "grant_expired",
    ),
    ("nobody", viewer(), COHORT_A, "none", "default_deny", "no_grant"),
    (
        "sponsor-and-director",
        viewer(grant(Role.SPONSOR_ADMIN, Scope.ORG, "org-acme"), grant(Role.PROGRAM_DIRECTOR)),
        COHORT_A,
        "director",
        "director_scope",
        "director_scope_covers",
    ),
]


class TestDecideCohortAnalyticsAccess:
    @pytest.mark.parametrize(
        ("who", "cohort", "view", "rule", "code"),
        [case[1:] for case in COHORT_CASES],
        ids=[case[0] for case in COHORT_CASES],
    )
    def test_known_cases(self, who: Principal, cohort: Cohort, view: str, rule: str, code: str) -> None:
        """Each known case gets its view, rule and first reason code."""
        decision = decide_cohort_analytics_access(who, cohort, now=NOW)
        assert (decision.view.value, decision.rule.value, decision.reasons[0].code) == (view, rule, code)
        assert decision.audit.action is AccessAction.VIEW_COHORT_ANALYTICS
        assert decision.audit.subject_id == cohort.id


ENTERPRISE_CASES = [
    ("staff", viewer(staff=True), "admin", "staff", "viewer_is_staff"),
    ("admin", viewer(grant(Role.ADMIN)), "admin", "admin_global", "admin_global_grant"),
    (
        "admin-track",
        viewer(grant(Role.ADMIN, Scope.TRACK, "grc")),
        "none",
        "default_deny",
        "admin_not_global",
    ),
    (
        "own-sponsor",
        viewer(grant(Role.SPONSOR_ADMIN, Scope.ORG, "org-acme")),
        "sponsor",
        "sponsor_admin_org",
        "sponsor_org_matches",
    ),
    (
        "other-sponsor",
        viewer(grant(Role.SPONSOR_ADMIN, Scope.ORG, "org-other")),
        "none",
        "default_deny",
        "scope_not_covering",
    ),
    ("director", viewer(grant(Role.PROGRAM_DIRECTOR)), "none", "default_deny", "role_not_permitted"),
    (
        "inactive-sponsor",
        viewer(grant(Role.SPONSOR_ADMIN, Scope.ORG, "org-acme", active=False)),
        "none",
        "default_deny",
        "grant_inactive",
    ),
]


class TestDecideEnterpriseAnalyticsAccess:
    @pytest.mark.parametrize(
        ("who", "view", "rule", "code"),
        [case[1:] for case in ENTERPRISE_CASES],
        ids=[case[0] for case in ENTERPRISE_CASES],
    )
    def test_known_cases(self, who: Principal, view: str, rule: str, code: str) -> None:
        """Each known case gets its view, rule and first reason code for enterprise org-acme."""
        decision = decide_enterprise_analytics_access(who, OrgId("org-acme"), now=NOW)
        assert (decision.view.value, decision.rule.value, decision.reasons[0].code) == (view, rule, code)
        assert decision.audit.action is AccessAction.VIEW_ENTERPRISE_ANALYTICS


class TestDecisionValues:
    def test_audit_record_describes_the_decision(self) -> None:
        """The audit record holds viewer, subject, action, outcome, view, rule, codes, policy and now."""
        decision = results_access(viewer(grant(Role.MENTOR)), [assignment()])
        assert decision.audit == AuditRecord(
            viewer_id=VIEWER,
            action=AccessAction.VIEW_RESULTS,
            subject_id=LEARNER,
            outcome=AuditOutcome.ALLOWED,
            view="mentor",
            rule=AccessRule.MENTOR_DIRECT_ASSIGNMENT,
            reason_codes=("mentor_assignment_active",),
            policy=PolicyRef(id="access", version=1),
            at=NOW,
        )

    def test_full_record_is_plain_json(self) -> None:
        """unstructure gives the full record: enums as strings, policy as id@version, time as ISO 8601."""
        decision = results_access(viewer(grant(Role.STUDENT)))
        assert unstructure(decision) == {
            "allowed": False,
            "view": "none",
            "rule": "default_deny",
            "reasons": [
                {
                    "code": "role_not_permitted",
                    "message": "Role student grants no access to another learner's profiler results.",
                }
            ],
            "policy": "access@1",
            "audit": {
                "viewer_id": "u-viewer",
                "action": "view_results",
                "subject_id": "u-learner",
                "outcome": "denied",
                "view": "none",
                "rule": "default_deny",
                "reason_codes": ["role_not_permitted"],
                "policy": "access@1",
                "at": "2026-11-25T09:00:00+00:00",
            },
        }

    def test_a_decision_without_reason_cannot_exist(self) -> None:
        """AccessDecision rejects an empty reason list."""
        audit = results_access(viewer()).audit
        with pytest.raises(InvalidValueError, match="reasons"):
            AccessDecision(
                view=ResultsView.NONE,
                rule=AccessRule.DEFAULT_DENY,
                reasons=(),
                policy=DEFAULT_ACCESS_POLICY.ref,
                audit=audit,
            )

    @pytest.mark.parametrize(
        ("view", "allowed"),
        [
            (ResultsView.NONE, False),
            (ResultsView.MENTOR, True),
            (ResultsView.SELF, True),
            (ResultsView.ADMIN, True),
        ],
    )
    def test_allowed_is_derived_from_the_view(self, view: ResultsView, allowed: bool) -> None:
        """allowed is not passed in: it is True exactly when a view is granted, so it cannot contradict it."""
        decision = AccessDecision(
            view=view,
            rule=AccessRule.DEFAULT_DENY,
            reasons=(Reason(code="x", message="x"),),
            policy=DEFAULT_ACCESS_POLICY.ref,
            audit=results_access(viewer()).audit,
        )
        assert decision.allowed is allowed

    def test_full_record_reads_back(self) -> None:
        """The full record (with its derived allowed key) structures back to the same decision."""
        decision = results_access(viewer(grant(Role.STUDENT)))
        data = json.loads(json.dumps(unstructure(decision)))
        assert data["allowed"] is False
        assert structure(data, AccessDecision[ResultsView]) == decision

    def test_audit_time_must_be_aware(self) -> None:
        """An audit record with a naive time cannot be built."""
        with pytest.raises(InvalidValueError, match="at"):
            evolve(results_access(viewer()).audit, at=datetime(2026, 1, 1))

    def test_views_are_ordered(self) -> None:
        """Views rise none < mentor < director < self < admin and none < sponsor < director < admin."""
        assert [v.rank for v in ResultsView] == [0, 1, 2, 3, 4]
        assert [v.value for v in sorted(ResultsView, key=lambda v: v.rank)] == [
            "none",
            "mentor",
            "director",
            "self",
            "admin",
        ]
        assert [v.value for v in sorted(AnalyticsView, key=lambda v: v.rank)] == [
            "none",
            "sponsor",
            "director",
            "admin",
        ]


# --- views ----------------------------------------------------------------------


MENTOR_KEYS = [
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
]
DIRECTOR_KEYS = [*MENTOR_KEYS, "difficulty_selection", "track_alignment_percentages"]
SELF_KEYS = [*DIRECTOR_KEYS, "reflection", "identity_responses"]
ADMIN_KEYS = [*SELF_KEYS, "anti_cheat"]


class TestProjection:
    @pytest.mark.parametrize(
        ("view", "keys"),
        [
            (ResultsView.MENTOR, MENTOR_KEYS),
            (ResultsView.DIRECTOR, DIRECTOR_KEYS),
            (ResultsView.SELF, SELF_KEYS),
            (ResultsView.ADMIN, ADMIN_KEYS),
        ],
    )
    def test_payload_keys_per_view(self, view: ResultsView, keys: list[str]) -> None:
        """Each view's payload has exactly its documented keys, in order."""
        payload = mentee_results_payload(project_results(full_data(), view))
        assert list(payload) == keys
        assert list(VIEW_FIELDS[view]) == keys

    @pytest.mark.parametrize(
        ("view", "visibility", "shown"),
        [
            (ResultsView.MENTOR, Visibility.PRIVATE, False),
            (ResultsView.MENTOR, Visibility.UNLISTED, True),
            (ResultsView.MENTOR, Visibility.PUBLIC, True),
            (ResultsView.DIRECTOR, Visibility.PRIVATE, False),
            (ResultsView.DIRECTOR, Visibility.PUBLIC, True),
            (ResultsView.SELF, Visibility.PRIVATE, True),
            (ResultsView.ADMIN, Visibility.PRIVATE, True),
        ],
    )
    def test_value_statement_visibility(self, view: ResultsView, visibility: Visibility, shown: bool) -> None:
        """A private statement reaches only the learner and admins; a visible one reaches mentors too."""
        payload = mentee_results_payload(project_results(full_data(visibility), view))
        assert (payload["value_statement"] is not None) == shown

    def test_admin_view_adds_anti_cheat_and_self_data(self) -> None:
        """The admin payload carries anti-cheat, reflection, identity, selection and alignment."""
        payload = mentee_results_payload(project_results(full_data(), ResultsView.ADMIN))
        assert payload["anti_cheat"] == {"score": 12.0, "flags": ["tab_switch"]}
        assert payload["reflection"] == {"why_cyber": "I like puzzles", "what_achieve": "Lead a SOC"}
        assert payload["identity_responses"] == [{"question_id": "q-1", "text": "integrity"}]
        assert payload["difficulty_selection"] == "advanced"
        assert payload["track_alignment_percentages"] == {"defender": 80.0, "grc": 35.0}

    def test_fallbacks_between_session_and_result(self) -> None:
        """Missing session data falls back to the result, missing growth areas to the profile."""
        data = full_data()
        session = evolve(
            data.session, aptitude_score=None, strengths=(), behavioral_profile=BehavioralProfile()
        )
        projection = project_results(evolve(data, session=session), ResultsView.MENTOR)
        assert projection.scores.aptitude == 70.0
        assert projection.strengths == ("cloud",)
        assert projection.behavioral_profile == BehavioralProfile(traits={"teamwork": 4.2})
        no_result = project_results(LearnerProfilerData(session=data.session), ResultsView.MENTOR)
        assert no_result.scores == ProfilerScores(aptitude=72.5, technical_exposure=40.0)
        assert no_result.areas_for_growth == ("Improve documentation skills",)
        assert no_result.aptitude_breakdown == {}
        assert mentee_results_payload(no_result)["value_statement"] is None

    def test_empty_session_fields_render_as_null(self) -> None:
        """Unset optional fields render as null, never as invented values."""
        bare = ProfilerSession(id=SessionId("s-9"), user_id=LEARNER, status=SessionStatus.FINISHED)
        payload = mentee_results_payload(
            project_results(LearnerProfilerData(session=bare), ResultsView.ADMIN)
        )
        assert payload["completed_at"] is None
        assert payload["is_locked"] is False
        assert payload["recommended_track"] == {"track_key": None, "confidence": None}
        assert payload["difficulty_selection"] is None
        assert payload["anti_cheat"] == {"score": None, "flags": []}

    def test_none_view_projects_nothing(self) -> None:
        """Projecting for the none view is a programming error."""
        with pytest.raises(InvalidValueError, match="view"):
            project_results(full_data(), ResultsView.NONE)

    @pytest.mark.parametrize(
        ("widen", "field_name"),
        [
            (lambda p: evolve(p, anti_cheat=AntiCheatView(score=1.0, flags=("x",))), "anti_cheat"),
            (lambda p: evolve(p, reflection=Reflection(why_cyber="x")), "reflection"),
            (
                lambda p: evolve(p, identity_responses=(IdentityResponse(question_id="q", text="t"),)),
                "identity_responses",
            ),
            (lambda p: evolve(p, difficulty_selection=DifficultySelection.ELITE), "difficulty_selection"),
            (
                lambda p: evolve(p, track_alignment_percentages={TrackKey.GRC: 1.0}),
                "track_alignment_percentages",
            ),
            (
                lambda p: evolve(
                    p,
                    value_statement=ValueStatementView(
                        entry_id=None, title="t", summary="s", visibility=Visibility.PRIVATE
                    ),
                ),
                "value_statement",
            ),
        ],
        ids=["anti_cheat", "reflection", "identity", "selection", "alignment", "private-statement"],
    )
    def test_mentor_projection_cannot_hold_more(
        self, widen: Callable[[ResultsProjection], ResultsProjection], field_name: str
    ) -> None:
        """A mentor projection holding data beyond the mentor view cannot be built."""
        mentor = project_results(full_data(), ResultsView.MENTOR)
        with pytest.raises(InvalidValueError, match=field_name):
            widen(mentor)

    def test_projection_for_none_view_cannot_be_built(self) -> None:
        """A projection whose view is none cannot be built."""
        with pytest.raises(InvalidValueError, match="view"):
            evolve(project_results(full_data(), ResultsView.MENTOR), view=ResultsView.NONE)

    def test_data_must_belong_together(self) -> None:
        """LearnerProfilerData rejects a result of another session and a statement of another learner."""
        data = full_data()
        assert data.learner_id == LEARNER
        assert data.result is not None
        assert data.value_statement is not None
        with pytest.raises(InvalidValueError, match="result"):
            evolve(data, result=evolve(data.result, session_id=SessionId("s-other")))
        with pytest.raises(InvalidValueError, match="value_statement"):
            evolve(data, value_statement=evolve(data.value_statement, user_id=UserId("u-other")))
        assert evolve(data, result=evolve(data.result, session_id=None)).result is not None


# --- laws -------------------------------------------------------------------------


AnyDecision = AccessDecision[ResultsView] | AccessDecision[AnalyticsView]
Decisions = list[AnyDecision]


def decide_all(
    scenario: AccessScenario,
    who: Principal | None = None,
    assignments: Sequence[MentorAssignment] | None = None,
    policy: AccessPolicy = DEFAULT_ACCESS_POLICY,
) -> Decisions:
    """The three questions: the learner's results, the first cohort, the first organisation."""
    who = scenario.viewer if who is None else who
    return [
        decide_results_access(
            who,
            scenario.learner_id,
            assignments=scenario.assignments if assignments is None else assignments,
            enrollments=scenario.enrollments,
            cohorts=scenario.cohorts,
            learner_track=scenario.learner_track,
            now=scenario.now,
            policy=policy,
        ),
        decide_cohort_analytics_access(who, scenario.cohorts[0], now=scenario.now, policy=policy),
        decide_enterprise_analytics_access(who, SCENARIO_ORGS[0], now=scenario.now, policy=policy),
    ]


def outcome(decisions: Decisions) -> list[tuple[bool, str, str]]:
    return [(d.allowed, d.view.value, d.rule.value) for d in decisions]


class TestLaws:
    @given(access_scenarios())
    def test_access_is_the_or_of_single_grants(self, scenario: AccessScenario) -> None:
        """The view is the widest any single grant (or self/staff) gives alone: combining never widens."""
        combined = decide_all(scenario)
        alone = [decide_all(scenario, evolve(scenario.viewer, roles=(g,))) for g in scenario.viewer.roles]
        base = decide_all(scenario, evolve(scenario.viewer, roles=()))
        for question in range(3):
            singles = [base[question], *(a[question] for a in alone)]
            assert combined[question].view.rank == max(d.view.rank for d in singles)
            assert combined[question].allowed == any(d.allowed for d in singles)

    @given(access_scenarios(), st.data())
    def test_removing_a_grant_never_grants_more(self, scenario: AccessScenario, data: st.DataObject) -> None:
        """Dropping any one grant gives a view no wider than before."""
        roles = scenario.viewer.roles
        if not roles:
            return
        index = data.draw(st.integers(0, len(roles) - 1))
        fewer = evolve(scenario.viewer, roles=roles[:index] + roles[index + 1 :])
        for before, after in zip(decide_all(scenario), decide_all(scenario, fewer), strict=True):
            assert after.view.rank <= before.view.rank

    @given(
        access_scenarios(), scenario_grants(), st.sampled_from(["inactive", "expired-now", "expired-before"])
    )
    def test_inactive_or_expired_grant_is_absent(
        self, scenario: AccessScenario, extra: RoleGrant, how: str
    ) -> None:
        """Adding an inactive or expired grant changes no decision's outcome, view or rule."""
        dead = {
            "inactive": evolve(extra, is_active=False),
            "expired-now": evolve(extra, expires_at=scenario.now),
            "expired-before": evolve(extra, expires_at=scenario.now - timedelta(days=3)),
        }[how]
        with_dead = evolve(scenario.viewer, roles=(*scenario.viewer.roles, dead))
        assert outcome(decide_all(scenario, with_dead)) == outcome(decide_all(scenario))

    @given(access_scenarios(), scenario_assignments(), st.booleans())
    def test_inactive_or_expired_assignment_is_absent(
        self, scenario: AccessScenario, extra: MentorAssignment, expire: bool
    ) -> None:
        """Adding a non-active or expired assignment changes no decision's outcome, view or rule."""
        if expire:
            dead = evolve(extra, expires_at=scenario.now)
        elif extra.status is AssignmentStatus.ACTIVE:
            dead = evolve(extra, status=AssignmentStatus.PAUSED)
        else:
            dead = extra
        more = (*scenario.assignments, dead)
        assert outcome(decide_all(scenario, assignments=more)) == outcome(decide_all(scenario))

    @given(access_scenarios(), st.integers(1, 5))
    def test_every_decision_has_a_reason_and_names_its_policy(
        self, scenario: AccessScenario, version: int
    ) -> None:
        """Each decision has reasons, names the policy, and its audit record agrees with it."""
        policy = AccessPolicy(version=version)
        subjects = (scenario.learner_id, scenario.cohorts[0].id, SCENARIO_ORGS[0])
        for decision, subject in zip(decide_all(scenario, policy=policy), subjects, strict=True):
            assert decision.reasons
            assert decision.policy == policy.ref == decision.audit.policy
            assert decision.audit.reason_codes == decision.reason_codes
            assert decision.audit.viewer_id == scenario.viewer.user_id
            assert decision.audit.subject_id == subject
            assert decision.audit.at == scenario.now
            assert decision.audit.outcome is (
                AuditOutcome.ALLOWED if decision.allowed else AuditOutcome.DENIED
            )
            assert (decision.rule is AccessRule.DEFAULT_DENY) == (not decision.allowed)

    @given(
        learner_profiler_data(), st.sampled_from([ResultsView.MENTOR, ResultsView.DIRECTOR, ResultsView.SELF])
    )
    def test_only_admin_sees_anti_cheat(self, data: LearnerProfilerData, view: ResultsView) -> None:
        """Below admin, neither the projection nor the payload holds any anti-cheat field."""
        projection = project_results(data, view)
        payload = mentee_results_payload(projection)
        assert projection.anti_cheat is None
        assert not [key for key in _all_keys(payload) if "anti_cheat" in key or "cheat" in key]

    @given(learner_profiler_data(), st.sampled_from([ResultsView.MENTOR, ResultsView.DIRECTOR]))
    def test_private_statement_never_reaches_a_mentor(
        self, data: LearnerProfilerData, view: ResultsView
    ) -> None:
        """A private value statement is absent from mentor and director payloads; a visible one is present."""
        payload = mentee_results_payload(project_results(data, view))
        statement = data.value_statement
        visible = statement is not None and statement.visibility is not Visibility.PRIVATE
        assert (payload["value_statement"] is not None) == visible

    @given(learner_profiler_data())
    def test_views_nest(self, data: LearnerProfilerData) -> None:
        """A wider view's payload holds every key of a narrower one, same value (statement aside)."""
        payloads = [mentee_results_payload(project_results(data, v)) for v in list(ResultsView)[1:]]
        for narrow, wide in itertools.pairwise(payloads):
            for key, value in narrow.items():
                if key not in ("view", "value_statement"):
                    assert wide[key] == value


def _all_keys(value: object) -> list[str]:
    if isinstance(value, dict):
        return [str(k) for k in value] + [k for v in value.values() for k in _all_keys(v)]
    if isinstance(value, list):
        return [k for v in value for k in _all_keys(v)]
    return []


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


# --- denials do not leak (SPEC §5) ------------------------------------------------------------------


def _shown(body: dict[str, object]) -> str:
    """The bytes a host sends: the body as canonical JSON."""
    return json.dumps(body, sort_keys=True)


UNIFORM_DENIAL = _shown(
    {
        "allowed": False,
        "view": "none",
        "rule": "default_deny",
        "reasons": [{"code": "access_denied", "message": ACCESS_DENIED.message}],
        "policy": str(DEFAULT_ACCESS_POLICY.ref),
    }
)


class TestDenialsDoNotLeak:
    """A denied viewer who is not admin or staff is shown one uniform answer; the audit keeps the detail."""

    def test_expired_assignment_and_no_assignment_look_the_same(self) -> None:
        """A mentor whose assignment expired sees exactly what they see for a learner never assigned."""
        mentor = viewer(grant(Role.MENTOR))
        expired = results_access(mentor, [assignment(expires_at=NOW - timedelta(days=1))])
        never = results_access(mentor, [])
        assert (expired.reason_codes, never.reason_codes) == (("assignment_expired",), ("no_assignment",))
        assert (
            _shown(expired.body_for_viewer(mentor)) == _shown(never.body_for_viewer(mentor)) == UNIFORM_DENIAL
        )
        assert expired.audit.reason_codes == ("assignment_expired",)

    def test_enrollment_status_is_not_revealed(self) -> None:
        """A cohort mentor of a learner not actively enrolled is shown the uniform denial, not the status."""
        mentor = viewer(grant(Role.MENTOR))
        withdrawn = (Enrollment(user_id=LEARNER, cohort_id=COHORT_A.id, status=EnrollmentStatus.WITHDRAWN),)
        decision = results_access(mentor, [assignment(AssignmentType.COHORT)], enrollments=withdrawn)
        assert decision.reason_codes == ("mentee_not_actively_enrolled",)
        assert decision.public_reasons(mentor) == (ACCESS_DENIED,)
        assert "withdrawn" not in _shown(decision.body_for_viewer(mentor))
        assert "not actively enrolled" not in _shown(decision.body_for_viewer(mentor))

    def test_allowed_viewers_see_their_reasons(self) -> None:
        """An allowed decision shows the viewer why (nothing to hide from someone who may see)."""
        mentor = viewer(grant(Role.MENTOR))
        decision = results_access(mentor, [assignment()])
        assert decision.public_reasons(mentor) == decision.reasons
        assert decision.body_for_viewer(mentor)["allowed"] is True

    @pytest.mark.parametrize(
        ("who", "detail"),
        [
            (viewer(staff=True), True),
            (viewer(grant(Role.ADMIN)), True),
            (viewer(grant(Role.ADMIN, Scope.ORG, "org-acme")), False),
            (viewer(grant(Role.ADMIN, expires_at=NOW)), False),
            (viewer(grant(Role.PROGRAM_DIRECTOR)), False),
            (viewer(), False),
        ],
    )
    def test_only_staff_and_global_admins_see_denial_detail(self, who: Principal, detail: bool) -> None:
        """sees_denial_detail: the host's staff or an effective global admin grant, nobody else."""
        assert sees_denial_detail(who, now=NOW) is detail

    def test_public_reasons_are_for_the_decisions_own_viewer(self) -> None:
        """Asking for another viewer's rendering of a decision is refused, not answered."""
        decision = results_access(viewer(grant(Role.MENTOR)), [])
        with pytest.raises(InvalidValueError) as info:
            decision.public_reasons(viewer(user=UserId("u-someone-else")))
        assert info.value.field == "viewer"

    @given(access_scenarios())
    def test_every_denied_learner_is_shown_the_same_bytes(self, scenario: AccessScenario) -> None:
        """For a non-admin viewer, every denied learner, cohort and enterprise renders byte-identically."""
        who = scenario.viewer
        if sees_denial_detail(who, now=scenario.now):
            return
        decisions = [
            decide_results_access(
                who,
                learner,
                assignments=scenario.assignments,
                enrollments=scenario.enrollments,
                cohorts=scenario.cohorts,
                learner_track=scenario.learner_track,
                now=scenario.now,
            )
            for learner in SCENARIO_USERS
        ]
        decisions_a: list[AccessDecision[AnalyticsView]] = [
            *(decide_cohort_analytics_access(who, c, now=scenario.now) for c in scenario.cohorts),
            *(decide_enterprise_analytics_access(who, org, now=scenario.now) for org in SCENARIO_ORGS),
        ]
        every: list[AccessDecision[ResultsView] | AccessDecision[AnalyticsView]] = [*decisions, *decisions_a]
        denied = [d for d in every if not d.allowed]
        assert {_shown(d.body_for_viewer(who)) for d in denied} <= {UNIFORM_DENIAL}
        for d in denied:
            # The audit record keeps the precise reasons, which the viewer never sees.
            assert d.audit.reason_codes == d.reason_codes
            assert "access_denied" not in d.reason_codes


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

"""Tests for profiler_core.access: the three access decisions, OR over grants, denials that hide (SPEC §5)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st
from tests.access_builders import (
    COHORT_A,
    COHORT_OPEN,
    COHORT_Z,
    LEARNER,
    NOW,
    assignment,
    full_data,
    grant,
    results_access,
    viewer,
)
from tests.access_cases import COHORT_CASES, ENTERPRISE_CASES, RESULTS_CASES

from profiler_core import (
    Cohort,
    CohortId,
    Enrollment,
    MentorAssignment,
    OrgId,
    Principal,
    RoleGrant,
    UserId,
    structure,
    unstructure,
)
from profiler_core.access import (
    ACCESS_DENIED,
    AccessDecision,
    decide_cohort_analytics_access,
    decide_enterprise_analytics_access,
    decide_results_access,
    sees_denial_detail,
)
from profiler_core.access_scope import DEFAULT_ACCESS_POLICY, AccessPolicy
from profiler_core.access_views import AnalyticsView, ResultsView, project_results
from profiler_core.audit import AccessAction, AccessRule, AuditOutcome
from profiler_core.decisions import Reason
from profiler_core.errors import InvalidValueError
from profiler_core.serialization._bodies import _mentee_results_body as mentee_results_payload
from profiler_core.testing.strategies_access import (
    SCENARIO_ORGS,
    SCENARIO_USERS,
    AccessScenario,
    access_scenarios,
    scenario_assignments,
    scenario_grants,
)
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    EnrollmentStatus,
    Role,
    Scope,
    TrackKey,
    Visibility,
)

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

"""Tests for the access use cases in profiler_core.services, and the access kit in profiler_core.testing."""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta, tzinfo

import attrs
import pytest
from tests import service_world

from profiler_core import (
    Cohort,
    CohortId,
    Enrollment,
    EntryId,
    IdentityResponse,
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
)
from profiler_core.access import (
    AccessRule,
    AnalyticsView,
    AuditRecord,
    ResultsView,
    decide_results_access,
)
from profiler_core.errors import (
    InvalidValueError,
)
from profiler_core.ports import CohortRepository
from profiler_core.serialization import unstructure_object
from profiler_core.services import (
    AnalyticsAllowed,
    AnalyticsDenied,
    AnalyticsNotFound,
    MenteeResults,
    ResultsAllowed,
    ResultsDenied,
    ResultsNotFound,
    cohort_analytics_gate,
    enterprise_analytics_gate,
    mentee_results,
)
from profiler_core.testing import (
    FailingRepository,
    InMemoryAuditSink,
    InMemoryCohortRepository,
    InMemoryEnrollmentRepository,
    InMemoryMentorAssignmentRepository,
    InMemorySessionRepository,
    InMemoryValueStatementSource,
)
from profiler_core.testing.contracts import (
    check_cohort_repository,
    check_enrollment_repository,
    check_mentor_assignment_repository,
    check_value_statement_source,
)
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    EnrollmentStatus,
    Role,
    Scope,
    SessionStatus,
    TrackKey,
    Visibility,
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
LEARNER = UserId("u-learner")
MENTOR = Principal(user_id=UserId("u-mentor"), roles=(RoleGrant(role=Role.MENTOR),))
DIRECTOR = Principal(
    user_id=UserId("u-director"),
    roles=(RoleGrant(role=Role.PROGRAM_DIRECTOR, scope=Scope.COHORT, scope_ref="c-a"),),
)
ADMIN = Principal(user_id=UserId("u-admin"), roles=(RoleGrant(role=Role.ADMIN),))
STAFF = Principal(user_id=UserId("u-staff"), is_staff=True)
STUDENT = Principal(user_id=UserId("u-student"), roles=(RoleGrant(role=Role.STUDENT),))
SPONSOR = Principal(
    user_id=UserId("u-sponsor"),
    roles=(RoleGrant(role=Role.SPONSOR_ADMIN, scope=Scope.ORG, scope_ref="org-acme"),),
)
SELF = Principal(user_id=LEARNER, roles=(RoleGrant(role=Role.STUDENT),))

COHORTS = [
    Cohort(id=CohortId("c-b"), name="Autumn", track=TrackKey.OFFENSIVE, enterprise_id=OrgId("org-acme")),
    Cohort(id=CohortId("c-a"), name="Autumn", track=TrackKey.DEFENDER, enterprise_id=OrgId("org-acme")),
    Cohort(id=CohortId("c-c"), name="Pilot", track=None, enterprise_id=OrgId("org-globex")),
]
SESSION = ProfilerSession(
    id=SessionId("s-1"),
    user_id=LEARNER,
    status=SessionStatus.FINISHED,
    completed_at=NOW - timedelta(days=3),
    aptitude_score=64.0,
    technical_exposure_score=30.0,
    strengths=("linux",),
    recommended_track=TrackKey.DEFENDER,
    track_confidence=0.7,
    anti_cheat_score=9.0,
    anti_cheat_flags=("tab_switch",),
)
RESULT = ProfilerResult(session_id=SessionId("s-1"), overall_score=50.0, behavioral_score=61.0)
STATEMENT = PortfolioEntry(
    id=EntryId("e-1"),
    user_id=LEARNER,
    title="My Value Statement",
    summary="I value integrity.",
    item_type="reflection",
    status="approved",
    visibility=Visibility.PRIVATE,
)


class _NoOffset(tzinfo):
    """A tzinfo whose utcoffset() is None: the datetime counts as naive."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


FAILING_COHORTS: CohortRepository = FailingRepository()  # type: ignore[assignment]  # stands in for any port


class World:
    """The in-memory platform every service test runs against."""

    def __init__(
        self,
        *,
        assignments: Sequence[MentorAssignment] | None = None,
        sessions: Sequence[ProfilerSession] = (SESSION,),
        statements: Sequence[PortfolioEntry] = (STATEMENT,),
    ) -> None:
        default = [
            MentorAssignment(
                id="asg-1",
                mentor_id=MENTOR.user_id,
                mentee_id=LEARNER,
                status=AssignmentStatus.ACTIVE,
                assignment_type=AssignmentType.DIRECT,
            )
        ]
        self.sessions = InMemorySessionRepository(sessions, [RESULT])
        self.assignments = InMemoryMentorAssignmentRepository(default if assignments is None else assignments)
        self.enrollments = InMemoryEnrollmentRepository(
            [Enrollment(user_id=LEARNER, cohort_id=CohortId("c-a"), status=EnrollmentStatus.ACTIVE)]
        )
        self.cohorts = InMemoryCohortRepository(COHORTS)
        self.statements = InMemoryValueStatementSource(statements)
        self.audit = InMemoryAuditSink()

    def results(self, who: Principal, **ports: object) -> MenteeResults:
        arguments: dict[str, object] = {
            "sessions": self.sessions,
            "assignments": self.assignments,
            "enrollments": self.enrollments,
            "cohorts": self.cohorts,
            "statements": self.statements,
            "audit": self.audit,
            **ports,
        }
        return mentee_results(who, LEARNER, now=NOW, **arguments)  # type: ignore[arg-type]  # ports vary per test


class TestMenteeResults:
    def test_assigned_mentor_gets_the_mentor_payload(self) -> None:
        """An assigned mentor gets the mentor projection; the private statement stays hidden."""
        outcome = World().results(MENTOR)
        assert isinstance(outcome, ResultsAllowed)
        assert outcome.decision.view is ResultsView.MENTOR
        assert not outcome.degraded
        assert unstructure_object(outcome)["scores"] == {
            "overall": 50.0,
            "aptitude": 64.0,
            "behavioral": 61.0,
            "technical_exposure": 30.0,
        }
        assert unstructure_object(outcome)["value_statement"] is None
        assert "anti_cheat" not in unstructure_object(outcome)

    def test_learner_sees_own_statement(self) -> None:
        """The learner's own view includes their private value statement."""
        outcome = World().results(SELF)
        assert isinstance(outcome, ResultsAllowed)
        assert unstructure_object(outcome)["value_statement"] == {
            "entry_id": "e-1",
            "title": "My Value Statement",
            "summary": "I value integrity.",
            "visibility": "private",
        }

    def test_denied_viewer_reads_no_profiler_data(self) -> None:
        """A denied viewer gets ResultsDenied, and no session, result or statement is read."""
        world = World()
        outcome = world.results(STUDENT)
        assert isinstance(outcome, ResultsDenied)
        assert outcome.decision.reason_codes == ("role_not_permitted",)
        assert not outcome.degraded
        assert sum(world.sessions.calls.values()) == 0
        assert sum(world.statements.calls.values()) == 0

    def test_allowed_without_session_is_not_found(self) -> None:
        """An allowed viewer of a learner without a completed session gets ResultsNotFound."""
        outcome = World(sessions=()).results(ADMIN)
        assert isinstance(outcome, ResultsNotFound)
        assert outcome.reason.code == "no_completed_session"
        assert outcome.decision.allowed
        assert not outcome.degraded

    def test_every_call_is_audited(self) -> None:
        """Allowed and denied calls each hand one audit record to the sink."""
        world = World()
        world.results(MENTOR)
        world.results(STUDENT)
        assert [(r.viewer_id, r.outcome.value, r.rule) for r in world.audit.records] == [
            ("u-mentor", "allowed", AccessRule.MENTOR_DIRECT_ASSIGNMENT),
            ("u-student", "denied", AccessRule.DEFAULT_DENY),
        ]

    def test_statements_are_optional(self) -> None:
        """Without a statement port the learner's own view simply has no value statement."""
        outcome = World().results(SELF, statements=None)
        assert isinstance(outcome, ResultsAllowed)
        assert unstructure_object(outcome)["value_statement"] is None

    def test_audit_is_optional(self) -> None:
        """Without an audit sink the service still decides."""
        outcome = World().results(ADMIN, audit=None)
        assert isinstance(outcome, ResultsAllowed)
        assert outcome.projection.anti_cheat is not None

    @pytest.mark.parametrize("n_assignments", [1, 50])
    def test_bounded_repository_calls(self, n_assignments: int) -> None:
        """A mentor costs one call per port method however many assignments they hold (no N+1)."""
        assignments = [
            MentorAssignment(
                id=f"asg-{i}",
                mentor_id=MENTOR.user_id,
                mentee_id=UserId(f"u-{i}") if i else LEARNER,
                status=AssignmentStatus.ACTIVE,
                assignment_type=AssignmentType.DIRECT,
            )
            for i in range(n_assignments)
        ]
        world = World(assignments=assignments)
        assert isinstance(world.results(MENTOR), ResultsAllowed)
        calls = (
            world.assignments.calls
            + world.enrollments.calls
            + world.cohorts.calls
            + world.sessions.calls
            + world.statements.calls
        )
        assert calls == {
            "assignments_for_mentors": 1,
            "enrollments_for_users": 1,
            "cohorts_by_ids": 1,
            "latest_completed_sessions": 1,
            "results_for_sessions": 1,
            "value_statements_for": 1,
        }

    @pytest.mark.parametrize("who", [SELF, STAFF, ADMIN, STUDENT], ids=["self", "staff", "admin", "student"])
    def test_no_placement_reads_without_a_scoped_grant(self, who: Principal) -> None:
        """Viewers whose answer needs no placement cause no assignment, enrollment or cohort read."""
        world = World()
        world.results(who)
        assert sum((world.assignments.calls + world.enrollments.calls + world.cohorts.calls).values()) == 0

    def test_director_reads_placement_but_no_assignments(self) -> None:
        """A director's decision reads enrollments and cohorts, never mentor assignments."""
        world = World()
        outcome = world.results(DIRECTOR)
        assert isinstance(outcome, ResultsAllowed)
        assert outcome.decision.view is ResultsView.DIRECTOR
        assert sum(world.assignments.calls.values()) == 0

    def test_learner_without_enrollments_skips_the_cohort_read(self) -> None:
        """No enrollment, no cohort lookup; a cohort-scoped director is then denied."""
        world = World()
        world.enrollments = InMemoryEnrollmentRepository()
        outcome = world.results(DIRECTOR)
        assert isinstance(outcome, ResultsDenied)
        assert sum(world.cohorts.calls.values()) == 0

    @pytest.mark.parametrize(
        ("port", "who", "expected", "note"),
        [
            ("enrollments", DIRECTOR, ResultsDenied, "enrollments_unavailable"),
            (
                "cohorts",
                Principal(
                    user_id=UserId("u-d"),
                    roles=(RoleGrant(role=Role.PROGRAM_DIRECTOR, scope=Scope.TRACK, scope_ref="defender"),),
                ),
                ResultsDenied,
                "cohorts_unavailable",
            ),
            ("assignments", MENTOR, ResultsDenied, "assignments_unavailable"),
            ("statements", SELF, ResultsAllowed, "statements_unavailable"),
            ("audit", ADMIN, ResultsAllowed, "audit_unavailable"),
        ],
    )
    def test_failing_port_degrades_with_a_note(
        self, port: str, who: Principal, expected: type, note: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A failing port never raises: the decision is made without it (denying more), noted and logged."""
        with caplog.at_level(logging.WARNING, logger="profiler_core.access"):
            outcome = World().results(who, **{port: FailingRepository()})
        assert isinstance(outcome, expected)
        assert isinstance(outcome, ResultsAllowed | ResultsDenied)
        assert outcome.degraded
        assert [n.code for n in outcome.notes] == [note]
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1
        assert (warnings[0].exc_info, warnings[0].__dict__["error_type"]) == (None, "ConnectionError")

    def test_failing_session_repository_is_not_found_degraded(self) -> None:
        """If sessions cannot be read, an allowed viewer gets ResultsNotFound with profiler_unavailable."""
        outcome = World().results(ADMIN, sessions=FailingRepository())
        assert isinstance(outcome, ResultsNotFound)
        assert outcome.reason.code == "profiler_unavailable"
        assert outcome.degraded

    def test_failing_result_read_still_shows_the_session(self) -> None:
        """If only the result row cannot be read, the session is shown and the outcome is degraded."""

        class NoResults(InMemorySessionRepository):
            def results_for_sessions(
                self, session_ids: Collection[SessionId]
            ) -> Mapping[SessionId, ProfilerResult]:
                raise TimeoutError("slow")

        outcome = World().results(ADMIN, sessions=NoResults([SESSION]))
        assert isinstance(outcome, ResultsAllowed)
        assert [n.code for n in outcome.notes] == ["result_unavailable"]
        assert outcome.projection.scores.overall is None
        assert outcome.projection.scores.aptitude == 64.0

    def test_mismatched_rows_from_adapters_are_dropped(self, caplog: pytest.LogCaptureFixture) -> None:
        """A result row of another session or a statement of another learner is dropped with a WARNING."""

        class Confused(InMemorySessionRepository):
            def results_for_sessions(
                self, session_ids: Collection[SessionId]
            ) -> Mapping[SessionId, ProfilerResult]:
                return {SessionId("s-1"): ProfilerResult(session_id=SessionId("s-other"), overall_score=99.0)}

        class WrongStatements(InMemoryValueStatementSource):
            def value_statements_for(self, user_ids: Collection[UserId]) -> Mapping[UserId, PortfolioEntry]:
                other = PortfolioEntry(
                    id=EntryId("e-9"),
                    user_id=UserId("u-other"),
                    title="x",
                    summary="x",
                    item_type="reflection",
                    status="approved",
                )
                return {LEARNER: other}

        with caplog.at_level(logging.WARNING, logger="profiler_core.access"):
            outcome = World().results(ADMIN, sessions=Confused([SESSION]), statements=WrongStatements())
        assert isinstance(outcome, ResultsAllowed)
        assert outcome.projection.scores.overall is None
        assert outcome.projection.value_statement is None
        assert [
            (r.levelno, r.__dict__.get("asked_id"), r.__dict__.get("foreign_id")) for r in caplog.records
        ] == [
            (logging.WARNING, "s-1", "s-other"),
            (logging.WARNING, "u-learner", "u-other"),
        ]

    def test_foreign_rows_are_logged_at_warning_with_ids_only(self, caplog: pytest.LogCaptureFixture) -> None:
        """A statement of another learner from the source is dropped with one WARNING naming only ids."""

        class WrongStatements(InMemoryValueStatementSource):
            def value_statements_for(self, user_ids: Collection[UserId]) -> Mapping[UserId, PortfolioEntry]:
                return {LEARNER: attrs.evolve(STATEMENT, user_id=UserId("u-other"), summary="Not yours.")}

        with caplog.at_level(logging.WARNING, logger="profiler_core.access"):
            outcome = World().results(SELF, statements=WrongStatements())
        assert isinstance(outcome, ResultsAllowed)
        assert outcome.projection.value_statement is None
        (warning,) = caplog.records
        assert (warning.levelno, warning.learner_id, warning.foreign_id) == (  # type: ignore[attr-defined]  # logging extra
            logging.WARNING,
            "u-learner",
            "u-other",
        )
        assert "Not yours." not in " ".join(str(v) for v in warning.__dict__.values())

    @pytest.mark.parametrize(
        "now",
        [datetime(2026, 11, 25, 9, 0), datetime(2026, 11, 25, 9, 0, tzinfo=_NoOffset())],
        ids=["naive", "tzinfo-without-offset"],
    )
    def test_naive_now_is_rejected_before_any_read(self, now: datetime) -> None:
        """A naive now raises InvalidValueError(field="now") before any read, even with an expiring grant."""
        expiring = Principal(
            user_id=MENTOR.user_id, roles=(RoleGrant(role=Role.MENTOR, expires_at=NOW + timedelta(days=1)),)
        )
        world = World()
        with pytest.raises(InvalidValueError) as raised:
            mentee_results(
                expiring,
                LEARNER,
                sessions=world.sessions,
                assignments=world.assignments,
                enrollments=world.enrollments,
                cohorts=world.cohorts,
                audit=world.audit,
                now=now,
            )
        with pytest.raises(InvalidValueError) as pure:
            decide_results_access(MENTOR, LEARNER, assignments=(), enrollments=(), cohorts=(), now=now)
        assert (
            (raised.value.field, raised.value.reason)
            == (pure.value.field, pure.value.reason)
            == (
                "now",
                "must be timezone-aware",
            )
        )
        calls = world.assignments.calls + world.enrollments.calls + world.cohorts.calls + world.sessions.calls
        assert calls.total() == 0
        assert world.audit.records == []

    def test_logs_the_decision_with_ids_only(self, caplog: pytest.LogCaptureFixture) -> None:
        """The decision is logged at DEBUG on profiler_core.access with ids, codes and a duration."""
        with caplog.at_level(logging.DEBUG, logger="profiler_core.access"):
            World().results(MENTOR)
        (record,) = [r for r in caplog.records if r.message == "access decided"]
        fields = record.__dict__
        assert record.levelno == logging.DEBUG
        assert fields["viewer_id"] == "u-mentor"
        assert fields["subject_id"] == "u-learner"
        assert fields["rule"] == "mentor_direct_assignment"
        assert fields["reason_codes"] == ("mentor_assignment_active",)
        assert fields["policy"] == "access@1"
        assert fields["outcome"] == "allowed"
        assert fields["duration_ms"] >= 0
        assert not {"summary", "title", "message_text"} & set(fields)

    def test_recommended_track_never_grants(self) -> None:
        """The profiler's recommended track is not membership: a track mentor of it is denied."""
        world = World(
            assignments=[
                MentorAssignment(
                    id="asg-t",
                    mentor_id=MENTOR.user_id,
                    status=AssignmentStatus.ACTIVE,
                    assignment_type=AssignmentType.TRACK,
                    track=TrackKey.DEFENDER,
                )
            ]
        )
        world.enrollments = InMemoryEnrollmentRepository(
            [Enrollment(user_id=LEARNER, cohort_id=CohortId("c-b"), status=EnrollmentStatus.ACTIVE)]
        )
        assert SESSION.recommended_track is TrackKey.DEFENDER
        outcome = world.results(MENTOR)
        assert isinstance(outcome, ResultsDenied)
        assert outcome.decision.reason_codes == ("no_assignment",)
        assert sum(world.sessions.calls.values()) == 0

    @pytest.mark.parametrize("who", [SELF, ADMIN, MENTOR], ids=["self", "admin", "mentor"])
    def test_logs_never_carry_free_text(self, who: Principal, caplog: pytest.LogCaptureFixture) -> None:
        """Whatever the view, no log record holds reflection, identity or statement text."""
        words = ("Puzzles keep me curious", "Lead a SOC team", "steadfast integrity", "I value integrity.")
        talkative = attrs.evolve(
            SESSION,
            reflection=Reflection(why_cyber=words[0], what_achieve=words[1]),
            identity_responses=(IdentityResponse(question_id="q1", text=words[2]),),
        )
        with caplog.at_level(logging.DEBUG, logger="profiler_core"):
            outcome = World(sessions=(talkative,)).results(who)
        assert isinstance(outcome, ResultsAllowed)
        assert caplog.records
        for record in caplog.records:
            blob = " ".join(str(value) for value in record.__dict__.values())
            assert not [w for w in words if w in blob]


class TestCohortAnalyticsGate:
    def test_allowed_with_the_cohort(self) -> None:
        """A cohort-scoped director gets AnalyticsAllowed carrying that cohort."""
        cohorts = InMemoryCohortRepository(COHORTS)
        outcome = cohort_analytics_gate(DIRECTOR, CohortId("c-a"), cohorts=cohorts, now=NOW)
        assert isinstance(outcome, AnalyticsAllowed)
        assert outcome.decision.view is AnalyticsView.DIRECTOR
        assert [c.id for c in outcome.cohorts] == ["c-a"]
        assert cohorts.calls == {"cohorts_by_ids": 1}
        assert not outcome.degraded

    def test_naive_now_is_rejected_before_reading_cohorts(self) -> None:
        """A naive now raises InvalidValueError(field="now") without reading the cohort."""
        cohorts = InMemoryCohortRepository(COHORTS)
        with pytest.raises(InvalidValueError, match="now"):
            cohort_analytics_gate(DIRECTOR, CohortId("c-a"), cohorts=cohorts, now=NOW.replace(tzinfo=None))
        assert cohorts.calls.total() == 0

    def test_denied(self) -> None:
        """A sponsor of another enterprise is denied."""
        outcome = cohort_analytics_gate(
            SPONSOR, CohortId("c-c"), cohorts=InMemoryCohortRepository(COHORTS), now=NOW
        )
        assert isinstance(outcome, AnalyticsDenied)
        assert outcome.decision.reason_codes == ("scope_not_covering",)
        assert not outcome.degraded

    def test_unknown_cohort_is_not_found_only_for_who_may_know(self) -> None:
        """An unknown cohort is not found for an admin, a plain denial for a sponsor (no existence leak)."""
        repo = InMemoryCohortRepository(COHORTS)
        admin = cohort_analytics_gate(ADMIN, CohortId("c-x"), cohorts=repo, now=NOW)
        sponsor = cohort_analytics_gate(SPONSOR, CohortId("c-x"), cohorts=repo, now=NOW)
        assert isinstance(admin, AnalyticsNotFound)
        assert admin.reason.code == "cohort_not_found"
        assert isinstance(sponsor, AnalyticsDenied)

    def test_failing_repository(self, caplog: pytest.LogCaptureFixture) -> None:
        """A failing cohort repository: who would be allowed gets cohorts_unavailable, a sponsor is denied."""
        audit = InMemoryAuditSink()
        with caplog.at_level(logging.WARNING, logger="profiler_core.access"):
            admin = cohort_analytics_gate(
                ADMIN, CohortId("c-a"), cohorts=FAILING_COHORTS, audit=audit, now=NOW
            )
            sponsor = cohort_analytics_gate(SPONSOR, CohortId("c-a"), cohorts=FAILING_COHORTS, now=NOW)
        assert isinstance(admin, AnalyticsNotFound)
        assert admin.reason.code == "cohorts_unavailable"
        assert admin.degraded
        assert isinstance(sponsor, AnalyticsDenied)
        assert sponsor.degraded
        assert len(audit.records) == 1
        assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 2


class TestEnterpriseAnalyticsGate:
    def test_allowed_with_the_enterprise_cohorts_by_id(self) -> None:
        """The enterprise's own sponsor gets its cohorts, ordered by id."""
        outcome = enterprise_analytics_gate(
            SPONSOR, OrgId("org-acme"), cohorts=InMemoryCohortRepository(COHORTS), now=NOW
        )
        assert isinstance(outcome, AnalyticsAllowed)
        assert outcome.decision.view is AnalyticsView.SPONSOR
        assert [c.id for c in outcome.cohorts] == ["c-a", "c-b"]

    def test_denied_without_reading(self) -> None:
        """A director is denied enterprise analytics, and the repository is never called."""
        repo = InMemoryCohortRepository(COHORTS)
        outcome = enterprise_analytics_gate(DIRECTOR, OrgId("org-acme"), cohorts=repo, now=NOW)
        assert isinstance(outcome, AnalyticsDenied)
        assert outcome.decision.reason_codes == ("role_not_permitted",)
        assert sum(repo.calls.values()) == 0

    def test_unknown_enterprise_is_not_found_never_everything(self) -> None:
        """Defect 6: an unknown sponsor gives unknown_enterprise, not every cohort."""
        outcome = enterprise_analytics_gate(
            STAFF, OrgId("org-nobody"), cohorts=InMemoryCohortRepository(COHORTS), now=NOW
        )
        assert isinstance(outcome, AnalyticsNotFound)
        assert outcome.reason.code == "unknown_enterprise"
        assert not outcome.degraded

    def test_failing_repository(self) -> None:
        """A failing repository gives not found with cohorts_unavailable, degraded."""
        outcome = enterprise_analytics_gate(ADMIN, OrgId("org-acme"), cohorts=FAILING_COHORTS, now=NOW)
        assert isinstance(outcome, AnalyticsNotFound)
        assert outcome.reason.code == "cohorts_unavailable"
        assert outcome.degraded

    def test_audited(self) -> None:
        """The gate hands its audit record to the sink."""
        audit = InMemoryAuditSink()
        enterprise_analytics_gate(
            SPONSOR, OrgId("org-acme"), cohorts=InMemoryCohortRepository(COHORTS), audit=audit, now=NOW
        )
        assert [(r.action.value, r.subject_id, r.outcome.value) for r in audit.records] == [
            ("view_enterprise_analytics", "org-acme", "allowed")
        ]


class TestAccessContracts:
    def test_fakes_honour_the_contracts(self) -> None:
        """The in-memory assignment, enrollment, cohort and statement ports pass their contracts."""
        check_mentor_assignment_repository(InMemoryMentorAssignmentRepository)
        check_enrollment_repository(InMemoryEnrollmentRepository)
        check_cohort_repository(InMemoryCohortRepository)
        check_value_statement_source(InMemoryValueStatementSource)

    def test_contract_catches_active_only_assignments(self) -> None:
        """An adapter that drops paused or expired assignments fails (the rules must see them to explain)."""

        class ActiveOnly(InMemoryMentorAssignmentRepository):
            def assignments_for_mentors(
                self, mentor_ids: Collection[UserId]
            ) -> Mapping[UserId, Sequence[MentorAssignment]]:
                found = super().assignments_for_mentors(mentor_ids)
                return {m: [a for a in found[m] if a.status is AssignmentStatus.ACTIVE] for m in found}

        with pytest.raises(AssertionError, match="assignments_for_mentors"):
            check_mentor_assignment_repository(ActiveOnly)

    def test_contract_catches_naming_by_the_wrong_field(self) -> None:
        """An adapter that matches cohort ids on any assignment type fails."""

        class Sloppy(InMemoryMentorAssignmentRepository):
            def assignments_naming(
                self,
                *,
                mentee_ids: Collection[UserId] = (),
                cohort_ids: Collection[CohortId] = (),
                tracks: Collection[TrackKey] = (),
            ) -> Sequence[MentorAssignment]:
                return [
                    a for a in self.assignments if a.mentee_id in mentee_ids or a.cohort_id in cohort_ids
                ] + [a for a in self.assignments if a.track in tracks]

        with pytest.raises(AssertionError, match="assignments_naming"):
            check_mentor_assignment_repository(Sloppy)

    def test_contract_catches_active_only_enrollments(self) -> None:
        """An enrollment adapter that drops non-active enrollments fails."""

        class ActiveOnly(InMemoryEnrollmentRepository):
            def __init__(self, enrollments: Sequence[Enrollment]) -> None:
                super().__init__([e for e in enrollments if e.status is EnrollmentStatus.ACTIVE])

        with pytest.raises(AssertionError, match="enrollments_for_users"):
            check_enrollment_repository(ActiveOnly)

    def test_contract_catches_cohort_lookup_by_user_side(self) -> None:
        """An enrollment adapter that forgets cohort lookups fails."""

        class NoCohortLookup(InMemoryEnrollmentRepository):
            def enrollments_for_cohorts(
                self, cohort_ids: Collection[CohortId]
            ) -> Mapping[CohortId, Sequence[Enrollment]]:
                return {}

        with pytest.raises(AssertionError, match="enrollments_for_cohorts"):
            check_enrollment_repository(NoCohortLookup)

    def test_contract_catches_unknown_enterprise_returning_everything(self) -> None:
        """A cohort adapter that answers an unknown enterprise with every cohort fails."""

        class Everything(InMemoryCohortRepository):
            def cohorts_for_enterprises(
                self, enterprise_ids: Collection[OrgId]
            ) -> Mapping[OrgId, Sequence[Cohort]]:
                return {e: list(self.cohorts) for e in enterprise_ids}

        with pytest.raises(AssertionError, match="cohorts_for_enterprises"):
            check_cohort_repository(Everything)

    def test_contract_catches_missing_cohorts(self) -> None:
        """A cohort adapter whose id lookup drops cohorts fails."""

        class Forgetful(InMemoryCohortRepository):
            def cohorts_by_ids(self, cohort_ids: Collection[CohortId]) -> Mapping[CohortId, Cohort]:
                return {}

        with pytest.raises(AssertionError, match="cohorts_by_ids"):
            check_cohort_repository(Forgetful)

    def test_contract_catches_statements_for_everyone(self) -> None:
        """A statement adapter that returns learners nobody asked for fails."""

        class Chatty(InMemoryValueStatementSource):
            def value_statements_for(self, user_ids: Collection[UserId]) -> Mapping[UserId, PortfolioEntry]:
                return dict(self.entries)

        with pytest.raises(AssertionError, match="value_statements_for"):
            check_value_statement_source(Chatty)


class TestAuditSinkFake:
    def test_keeps_records_in_order(self) -> None:
        """InMemoryAuditSink keeps every written record in order and counts calls."""
        sink = InMemoryAuditSink()
        world = World()
        first = world.results(ADMIN)
        second = world.results(STUDENT)
        assert isinstance(first, ResultsAllowed)
        assert isinstance(second, ResultsDenied)
        records: list[AuditRecord] = [first.decision.audit, second.decision.audit]
        sink.write(records)
        sink.write([])
        assert sink.records == records
        assert sink.calls == {"write": 2}


class TestDeniedOutcomesDoNotLeak:
    """What a denied viewer is shown is one uniform body; the precise decision stays for the audit."""

    @pytest.mark.parametrize(
        "assignments",
        [
            [],
            [
                MentorAssignment(
                    id="asg-old",
                    mentor_id=MENTOR.user_id,
                    mentee_id=LEARNER,
                    status=AssignmentStatus.ACTIVE,
                    assignment_type=AssignmentType.DIRECT,
                    expires_at=NOW - timedelta(days=1),
                )
            ],
            [
                MentorAssignment(
                    id="asg-paused",
                    mentor_id=MENTOR.user_id,
                    mentee_id=LEARNER,
                    status=AssignmentStatus.PAUSED,
                    assignment_type=AssignmentType.DIRECT,
                )
            ],
            [
                MentorAssignment(
                    id="asg-cohort",
                    mentor_id=MENTOR.user_id,
                    cohort_id=CohortId("c-a"),
                    status=AssignmentStatus.ACTIVE,
                    assignment_type=AssignmentType.COHORT,
                    expires_at=NOW - timedelta(seconds=1),
                )
            ],
        ],
        ids=["never-assigned", "expired", "paused", "expired-cohort"],
    )
    def test_every_denied_mentor_is_shown_the_same_body(self, assignments: list[MentorAssignment]) -> None:
        """Whatever the mentor's history with the learner, the 403 body and codes are the same bytes."""
        world = World(assignments=assignments)
        outcome = world.results(MENTOR)
        assert isinstance(outcome, ResultsDenied)
        assert outcome.public_reason_codes == ("access_denied",)
        assert json.dumps(outcome.body_for_viewer(), sort_keys=True) == json.dumps(
            ResultsDenied(learner_id=UserId("anyone"), decision=outcome.decision).body_for_viewer(),
            sort_keys=True,
        )
        assert "access_denied" not in outcome.decision.reason_codes
        assert [r.reason_codes for r in world.audit.records] == [outcome.decision.reason_codes]

    def test_denied_analytics_viewer_is_shown_the_same_body_for_known_and_unknown_cohorts(self) -> None:
        """A sponsor denied a cohort sees the same body whether the cohort exists or not."""
        cohorts = InMemoryCohortRepository(COHORTS)
        known = cohort_analytics_gate(SPONSOR, CohortId("c-c"), cohorts=cohorts, now=NOW)
        unknown = cohort_analytics_gate(SPONSOR, CohortId("c-nowhere"), cohorts=cohorts, now=NOW)
        other_org = enterprise_analytics_gate(SPONSOR, OrgId("org-globex"), cohorts=cohorts, now=NOW)
        assert isinstance(known, AnalyticsDenied)
        assert isinstance(unknown, AnalyticsDenied)
        assert isinstance(other_org, AnalyticsDenied)
        bodies = {json.dumps(o.body_for_viewer(), sort_keys=True) for o in (known, unknown, other_org)}
        assert len(bodies) == 1
        assert {o.public_reason_codes for o in (known, unknown, other_org)} == {("access_denied",)}


class TestAuditSinkStaysPure:
    """The audit sink's records use canonical ids, whatever form the request used."""

    def test_audit_record_ids_are_canonical(self) -> None:
        """A mentor's audit record names the learner by canonical text when asked with a UUID."""
        world = service_world.World.around(service_world.UUID_TEXT)
        sink = InMemoryAuditSink()
        mentee_results(
            service_world.MENTOR,
            service_world.A_UUID,
            sessions=world.sessions,
            assignments=world.assignments,
            enrollments=world.enrollments,
            cohorts=world.cohorts,
            audit=sink,
            now=service_world.NOW,
        )
        assert [r.subject_id for r in sink.records] == [service_world.UUID_TEXT]

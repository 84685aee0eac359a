"""The rules every service follows (issue 11): ids in any form, owned rows, canonical ids in outcomes.

* **Ids** (SPEC §2): ``str``, ``int`` and ``uuid.UUID`` keys, and a UUID's
  upper-case text, give every service and access decision the same answer.
* **Ownership**: a row of another owner from a faulty adapter is treated as
  not returned, with a WARNING that names ids only.

Degrading on repository failures and log safety (the guard in ``services/_common``)
are pinned in ``tests/test_services_common.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import attrs
import pytest
from tests.service_world import (
    A_UUID,
    ADMIN,
    ALLOW,
    COHORT_SERVICES,
    ID_FORMS,
    JOB_SERVICES,
    MENTOR,
    NOW,
    NUMERIC,
    ORG_SERVICES,
    OTHER,
    SECRET,
    SERVICES,
    UUID_TEXT,
    World,
    answer,
    extra_of,
    full_session,
    statement_entry,
)

from profiler_core import (
    Cohort,
    CohortId,
    Enrollment,
    JobId,
    JobPosting,
    MentorAssignment,
    OrgId,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    ProfilerSession,
    RoleGrant,
    SessionId,
    TalentProfile,
    UserId,
)
from profiler_core.access import (
    decide_results_access,
)
from profiler_core.analytics import SuppressionPolicy
from profiler_core.decisions import Reason
from profiler_core.errors import (
    InvalidValueError,
)
from profiler_core.services import (
    AnalyticsNotFound,
    ReportUnavailable,
    ResultsAllowed,
    ResultsNotFound,
    cohort_analytics_gate,
    cohort_analytics_report,
    enterprise_analytics_gate,
    learner_edits_statement,
    mentee_results,
    missions_for_learner,
    on_profiler_completed,
    profiler_recommendations,
    sync_value_statements,
    talent_matches,
    talent_search,
    value_statement_for_leadership,
)
from profiler_core.testing import (
    InMemoryCohortAnalyticsRepository,
    InMemoryCohortRepository,
    InMemoryEnrollmentRepository,
    InMemoryJobRepository,
    InMemoryMentorAssignmentRepository,
    InMemoryPortfolioRepository,
    InMemorySessionRepository,
    InMemoryTalentProfileRepository,
)
from profiler_core.vocabulary import (
    EnrollmentStatus,
    Role,
    Scope,
)


class TestIdsInAnyForm:
    """Every service and access decision answers the same for str, int, UUID and upper-case UUID keys."""

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    @pytest.mark.parametrize("service", sorted(SERVICES))
    def test_learner_keyed(self, service: str, form: object, canonical: str) -> None:
        """A learner id in any form gives the answer of its canonical text (never a denial or default)."""
        call = SERVICES[service]
        assert answer(call, World.around(canonical), form) == answer(call, World.around(canonical), canonical)

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    @pytest.mark.parametrize("service", sorted(COHORT_SERVICES))
    def test_cohort_keyed(self, service: str, form: object, canonical: str) -> None:
        """A cohort id in any form gives the answer of its canonical text."""
        call = COHORT_SERVICES[service]
        world = World.around("u-1", cohort=canonical)
        assert answer(call, world, form) == answer(call, World.around("u-1", cohort=canonical), canonical)

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    @pytest.mark.parametrize("service", sorted(JOB_SERVICES))
    def test_job_keyed(self, service: str, form: object, canonical: str) -> None:
        """A job id in any form gives the answer of its canonical text."""
        call = JOB_SERVICES[service]
        world = World.around("u-1", job=canonical)
        assert answer(call, world, form) == answer(call, World.around("u-1", job=canonical), canonical)

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    @pytest.mark.parametrize("service", sorted(ORG_SERVICES))
    def test_enterprise_keyed(self, service: str, form: object, canonical: str) -> None:
        """An enterprise id in any form gives the answer of its canonical text."""
        call = ORG_SERVICES[service]
        world = World.around("u-1", org=canonical)
        assert answer(call, world, form) == answer(call, World.around("u-1", org=canonical), canonical)

    def test_the_learner_themself_is_never_denied_for_an_int_id(self) -> None:
        """decide_results_access(me, 100) allows the learner whose id arrived as an integer (issue 11)."""
        decision = decide_results_access(
            Principal(user_id=UserId("100")), 100, assignments=(), enrollments=(), cohorts=(), now=NOW
        )
        assert (decision.allowed, decision.rule.value) == (True, "self")

    @pytest.mark.parametrize("form", [100, A_UUID])
    def test_an_int_or_uuid_learner_finds_their_completed_session(self, form: object) -> None:
        """UserId(request.user.id) of an int or UUID still finds the learner's completed session."""
        world = World.around(NUMERIC if isinstance(form, int) else UUID_TEXT)
        outcome = missions_for_learner(UserId(form), sessions=world.sessions, missions=world.missions)  # type: ignore[arg-type]  # NewType over a raw key, as hosts write it
        assert outcome.result.decision.session_id == "s-1"
        assert outcome.result.decision.ceiling == 3

    @pytest.mark.parametrize("service", sorted(SERVICES))
    @pytest.mark.parametrize("bad", [True, 7.5, b"100", None, "  "])
    def test_a_non_id_is_rejected_naming_the_parameter(self, service: str, bad: object) -> None:
        """A bool, float, bytes, None or blank id raises InvalidValueError naming the parameter, first."""
        world = World.around("u-1")
        with pytest.raises(InvalidValueError) as info:
            SERVICES[service](world, bad)
        assert info.value.field in {"learner_id", "learner_ids", "user_id"}
        assert sum(world.sessions.calls.values()) == 0


class ForeignSessions(InMemorySessionRepository):
    """A faulty adapter: answers every learner with another learner's session and result."""

    def latest_completed_sessions(self, user_ids: Collection[UserId]) -> Mapping[UserId, ProfilerSession]:
        return {u: full_session(OTHER, "s-other") for u in user_ids}

    def results_for_sessions(self, session_ids: Collection[SessionId]) -> Mapping[SessionId, ProfilerResult]:
        return {s: ProfilerResult(session_id=SessionId("s-other"), overall_score=99.0) for s in session_ids}


class ForeignEntries(InMemoryPortfolioRepository):
    """A faulty adapter: answers every learner with another learner's value statement."""

    def value_statements_for(self, user_ids: Collection[UserId]) -> Mapping[UserId, PortfolioEntry]:
        return {u: statement_entry(OTHER, "e-other", summary=SECRET) for u in user_ids}


class ForeignTalent(InMemoryTalentProfileRepository):
    """A faulty adapter: answers every learner with another learner's talent profile."""

    def profiles_for_users(self, user_ids: Collection[UserId]) -> Mapping[UserId, TalentProfile]:
        return {u: TalentProfile(user_id=OTHER, skills=("SIEM",), readiness_score=99.0) for u in user_ids}


class ForeignEnrollments(InMemoryEnrollmentRepository):
    """A faulty adapter: files another learner's enrollment under the asked learner."""

    def enrollments_for_users(self, user_ids: Collection[UserId]) -> Mapping[UserId, Sequence[Enrollment]]:
        return {
            u: [Enrollment(user_id=OTHER, cohort_id=CohortId("c-1"), status=EnrollmentStatus.ACTIVE)]
            for u in user_ids
        }


class ForeignAssignments(InMemoryMentorAssignmentRepository):
    """A faulty adapter: files another mentor's assignment under the asked mentor."""

    def assignments_for_mentors(
        self, mentor_ids: Collection[UserId]
    ) -> Mapping[UserId, Sequence[MentorAssignment]]:
        return {
            m: [attrs.evolve(a, mentor_id=UserId("u-someone")) for a in self.assignments] for m in mentor_ids
        }


class ForeignCohorts(InMemoryCohortRepository):
    """A faulty adapter: answers every cohort id with another cohort, every sponsor with another's."""

    def cohorts_by_ids(self, cohort_ids: Collection[CohortId]) -> Mapping[CohortId, Cohort]:
        return {c: Cohort(id=CohortId("c-other"), name="Other") for c in cohort_ids}

    def cohorts_for_enterprises(self, enterprise_ids: Collection[OrgId]) -> Mapping[OrgId, Sequence[Cohort]]:
        return {
            e: [Cohort(id=CohortId("c-other"), name="Other", enterprise_id=OrgId("org-other"))]
            for e in enterprise_ids
        }


class ForeignJobs(InMemoryJobRepository):
    """A faulty adapter: answers every job id with another posting."""

    def jobs_by_ids(self, ids: Collection[JobId]) -> Mapping[JobId, JobPosting]:
        return {j: JobPosting(id=JobId("j-other"), title="Other", employer_id="emp-9") for j in ids}


class ForeignAnalytics(InMemoryCohortAnalyticsRepository):
    """A faulty adapter: answers with another learner's session and files rows under the wrong keys."""

    def latest_completed_sessions(self, user_ids: Collection[UserId]) -> Mapping[UserId, ProfilerSession]:
        return {u: full_session(OTHER, "s-other") for u in user_ids}


def _foreign_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage().startswith("adapter returned")]


# (service, how it is called with a faulty adapter, what shows the row was not used)
OWNERSHIP: list[tuple[str, Callable[[World], object], Callable[[Any], bool]]] = [
    (
        "missions_for_learner / sessions",
        lambda w: missions_for_learner("u-1", sessions=ForeignSessions(), missions=w.missions),
        lambda out: out.result.decision.session_id is None and not out.degraded,
    ),
    (
        "profiler_recommendations / sessions",
        lambda w: profiler_recommendations("u-1", sessions=ForeignSessions(), recipes=w.recipes),
        lambda out: out.profiler_status.value == "not_completed",
    ),
    (
        "profiler_recommendations / results",
        lambda w: profiler_recommendations(
            "u-1",
            sessions=type(
                "ForeignResults",
                (InMemorySessionRepository,),
                {"results_for_sessions": ForeignSessions.results_for_sessions},
            )(w.sessions.sessions),
            recipes=w.recipes,
        ),
        lambda out: "result_missing" in out.analysis.reason_codes,
    ),
    (
        "mentee_results / sessions",
        lambda w: mentee_results(
            ADMIN,
            "u-1",
            sessions=ForeignSessions(),
            assignments=w.assignments,
            enrollments=w.enrollments,
            cohorts=w.cohorts,
            now=NOW,
        ),
        lambda out: isinstance(out, ResultsNotFound) and out.reason.code == "no_completed_session",
    ),
    (
        "mentee_results / enrollments",
        lambda w: mentee_results(
            Principal(
                user_id="u-director",
                roles=(RoleGrant(role=Role.PROGRAM_DIRECTOR, scope=Scope.COHORT, scope_ref="c-1"),),
            ),
            "u-1",
            sessions=w.sessions,
            assignments=w.assignments,
            enrollments=ForeignEnrollments(),
            cohorts=w.cohorts,
            now=NOW,
        ),
        lambda out: not out.decision.allowed,
    ),
    (
        "mentee_results / assignments",
        lambda w: mentee_results(
            MENTOR,
            "u-1",
            sessions=w.sessions,
            assignments=ForeignAssignments(w.assignments.assignments),
            enrollments=w.enrollments,
            cohorts=w.cohorts,
            now=NOW,
        ),
        lambda out: not out.decision.allowed,
    ),
    (
        "mentee_results / statements",
        lambda w: mentee_results(
            ADMIN,
            "u-1",
            sessions=w.sessions,
            assignments=w.assignments,
            enrollments=w.enrollments,
            cohorts=w.cohorts,
            statements=ForeignEntries(),
            now=NOW,
        ),
        lambda out: isinstance(out, ResultsAllowed) and out.projection.value_statement is None,
    ),
    (
        "cohort_analytics_gate / cohorts",
        lambda w: cohort_analytics_gate(ADMIN, "c-1", cohorts=ForeignCohorts(), now=NOW),
        lambda out: isinstance(out, AnalyticsNotFound) and out.reason.code == "cohort_not_found",
    ),
    (
        "enterprise_analytics_gate / cohorts",
        lambda w: enterprise_analytics_gate(ADMIN, "org-1", cohorts=ForeignCohorts(), now=NOW),
        lambda out: isinstance(out, AnalyticsNotFound) and out.reason.code == "unknown_enterprise",
    ),
    (
        "cohort_analytics_report / sessions",
        lambda w: cohort_analytics_report(
            "c-1",
            decision=ALLOW,
            repository=ForeignAnalytics(w.analytics.cohorts.values(), w.analytics.enrollments),
            suppression=SuppressionPolicy(k=1),
        ),
        lambda out: out.body.population.profiled == 0,
    ),
    (
        "talent_matches / sessions",
        lambda w: talent_matches("u-1", sessions=ForeignSessions(), jobs=w.jobs, talent=w.talent, now=NOW),
        lambda out: out.status.value == "profiler_incomplete",
    ),
    (
        "talent_matches / talent",
        lambda w: talent_matches("u-1", sessions=w.sessions, jobs=w.jobs, talent=ForeignTalent(), now=NOW),
        lambda out: "talent_profile_missing" in out.reason_codes,
    ),
    (
        "talent_search / jobs",
        lambda w: talent_search("j-1", jobs=ForeignJobs(), talent=w.talent, sessions=w.sessions, now=NOW),
        lambda out: out.ranking.status.value == "job_not_found",
    ),
    (
        "talent_search / sessions",
        lambda w: talent_search("j-1", jobs=w.jobs, talent=w.talent, sessions=ForeignSessions(), now=NOW),
        lambda out: all(m.match.session_id is None for m in out.ranking.matches),
    ),
    (
        "on_profiler_completed / sessions",
        lambda w: on_profiler_completed(
            full_session("u-1", "s-new", completed_at=NOW),
            portfolio=w.portfolio,
            sessions=ForeignSessions(),
            now=NOW,
        ),
        lambda out: out.plan is not None and "stale_session_ignored" not in out.reason_codes,
    ),
    (
        "sync_value_statements / sessions",
        lambda w: sync_value_statements(["u-1"], sessions=ForeignSessions(), portfolio=w.portfolio, now=NOW),
        lambda out: out[0].reason_codes == ("no_completed_session",),
    ),
    (
        "sync_value_statements / entries",
        lambda w: sync_value_statements(["u-1"], sessions=w.sessions, portfolio=ForeignEntries(), now=NOW),
        lambda out: out[0].entry is not None and out[0].entry.user_id == "u-1",
    ),
    (
        "learner_edits_statement / entries",
        lambda w: learner_edits_statement("u-1", "Mine.", portfolio=ForeignEntries(), now=NOW),
        lambda out: out.reason.code == "value_statement_not_found",
    ),
    (
        "value_statement_for_leadership / entries",
        lambda w: value_statement_for_leadership("u-1", portfolio=ForeignEntries(), sessions=w.sessions),
        lambda out: not out.found,
    ),
    (
        "value_statement_for_leadership / sessions",
        lambda w: value_statement_for_leadership("u-1", portfolio=w.portfolio, sessions=ForeignSessions()),
        lambda out: out.identity is not None and out.identity.session_id is None,
    ),
]


class TestForeignRows:
    """A row of another owner from a faulty adapter is treated as not returned (a WARNING, ids only)."""

    @pytest.mark.parametrize(("name", "call", "unused"), OWNERSHIP, ids=[o[0] for o in OWNERSHIP])
    def test_foreign_row_is_dropped_with_a_warning(
        self,
        name: str,
        call: Callable[[World], object],
        unused: Callable[[Any], bool],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """The service answers as if the row were absent and logs one WARNING per dropped row, ids only."""
        with caplog.at_level(logging.WARNING, logger="profiler_core"):
            outcome = call(World.around("u-1"))
        assert unused(outcome), f"{name}: the foreign row was used: {outcome!r}"
        warnings = _foreign_warnings(caplog)
        assert warnings, f"{name}: no WARNING for the dropped row"
        for record in warnings:
            assert record.levelno == logging.WARNING
            assert record.__dict__["foreign_id"] != record.__dict__["asked_id"]
            shown = f"{record.getMessage()} {extra_of(record)}"
            assert SECRET not in shown
            assert "99.0" not in shown


class TestOutcomeValuesHoldCanonicalIds:
    """The services' outcome values canonicalise their ids when a host builds or evolves one itself."""

    @pytest.mark.parametrize(
        "service", ["missions_for_learner", "profiler_recommendations", "talent_matches"]
    )
    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_learner_id(self, service: str, form: object, canonical: str) -> None:
        """evolve(outcome, learner_id=<any form>) holds the canonical text."""
        outcome: Any = SERVICES[service](World.around("u-1"), "u-1")
        assert attrs.evolve(outcome, learner_id=form) == attrs.evolve(outcome, learner_id=canonical)
        assert attrs.evolve(outcome, learner_id=form).learner_id == canonical

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_subject_id(self, form: object, canonical: str) -> None:
        """A gate's and a report's subject id holds the canonical text."""
        world = World.around("u-1")
        gate: Any = cohort_analytics_gate(ADMIN, "c-1", cohorts=world.cohorts, now=NOW)
        assert attrs.evolve(gate, subject_id=form).subject_id == canonical
        key: Any = form
        unavailable = ReportUnavailable(
            subject_id=key, reason=Reason(code="analytics_unavailable", message="x.")
        )
        assert unavailable.subject_id == canonical

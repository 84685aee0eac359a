"""Tests for the analytics services, the in-memory analytics port and its contract (SPEC §9, §10.6-10.8)."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from datetime import UTC, datetime

import pytest
from attrs import frozen

from profiler_core import (
    Cohort,
    CohortId,
    Enrollment,
    OrgId,
    Principal,
    ProfilerResult,
    ProfilerSession,
    Reason,
    Role,
    RoleGrant,
    Scope,
    SessionId,
    UserId,
)
from profiler_core.access import decide_cohort_analytics_access, decide_enterprise_analytics_access
from profiler_core.analytics import (
    SUPPRESSED,
    CohortReport,
    EnterpriseReport,
    SuppressionPolicy,
    cohort_reports,
    enterprise_report,
    partial_from_values,
)
from profiler_core.ports import CohortAnalyticsRepository
from profiler_core.services import (
    ReportDenied,
    ReportNotFound,
    ReportUnavailable,
    cohort_analytics_report,
    enterprise_analytics_report,
)
from profiler_core.testing import InMemoryCohortAnalyticsRepository
from profiler_core.testing.contracts import check_cohort_analytics_repository, contract_analytics
from profiler_core.testing.fakes import FailingRepository

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@frozen(kw_only=True)
class Decision:
    """A host's own decision value: anything with allowed and reasons will do."""

    allowed: bool
    reasons: tuple[Reason, ...] = (Reason(code="host_rule", message="Decided by the host."),)


ALLOW = Decision(allowed=True)
DENY = Decision(allowed=False, reasons=(Reason(code="not_your_cohort", message="No grant covers it."),))


def repository() -> InMemoryCohortAnalyticsRepository:
    cohorts, enrollments, sessions, results = contract_analytics()
    return InMemoryCohortAnalyticsRepository(cohorts, enrollments, sessions, results)


def expected_partial() -> object:
    _cohorts, enrollments, sessions, results = contract_analytics()
    return partial_from_values(enrollments=enrollments, sessions=sessions, results=results)


class TestCohortAnalyticsReport:
    def test_allowed_report_equals_the_pure_report_in_its_enterprise(self) -> None:
        """The service's report is the pure cohort report, protected with the enterprise's cohorts."""
        repo = repository()
        outcome = cohort_analytics_report(CohortId("c-1"), decision=ALLOW, repository=repo)
        cohorts, enrollments, sessions, results = contract_analytics()
        partial = partial_from_values(enrollments=enrollments, sessions=sessions, results=results)
        assert outcome == cohort_reports(cohorts[:2], partial)[CohortId("c-1")]
        # Literal facts, so the comparison above is not its only oracle: c-1 of org-1 is below k=5.
        assert isinstance(outcome, CohortReport)
        assert (outcome.cohort.id, outcome.cohort.enterprise_id, outcome.suppressed_cells) == (
            "c-1",
            "org-1",
            12,
        )
        assert (outcome.body.population.total, outcome.body.population.not_profiled) == (SUPPRESSED, 0)

    def test_batch_calls_only(self) -> None:
        """Five repository calls, one per method, whatever the cohort size (no N+1)."""
        repo = repository()
        cohort_analytics_report(CohortId("c-1"), decision=ALLOW, repository=repo)
        assert dict(repo.calls) == {
            "cohorts_by_ids": 1,
            "cohorts_for_enterprises": 1,
            "enrollments_for_cohorts": 1,
            "latest_completed_sessions": 1,
            "results_for_sessions": 1,
        }

    def test_unsponsored_cohort_stands_alone(self) -> None:
        """A cohort without a sponsor needs no enterprise lookup."""
        repo = repository()
        outcome = cohort_analytics_report(
            CohortId("c-4"), decision=ALLOW, repository=repo, suppression=SuppressionPolicy(k=1)
        )
        assert isinstance(outcome, CohortReport)
        assert outcome.body.population.total == 1
        assert "cohorts_for_enterprises" not in repo.calls

    def test_denied_returns_a_typed_denial_without_reading(self) -> None:
        """A denied decision returns ReportDenied with its reasons; nothing is read."""
        repo = repository()
        outcome = cohort_analytics_report(CohortId("c-1"), decision=DENY, repository=repo)
        assert isinstance(outcome, ReportDenied)
        assert [r.code for r in outcome.reasons] == ["analytics_access_denied", "not_your_cohort"]
        assert not repo.calls

    def test_unknown_cohort_is_not_found(self) -> None:
        """An unknown cohort is ReportNotFound with cohort_not_found."""
        outcome = cohort_analytics_report(CohortId("c-404"), decision=ALLOW, repository=repository())
        assert isinstance(outcome, ReportNotFound)
        assert outcome.reason.code == "cohort_not_found"

    def test_failing_repository_degrades(self, caplog: pytest.LogCaptureFixture) -> None:
        """A failing repository is logged at WARNING and gives ReportUnavailable."""
        with caplog.at_level(logging.WARNING, logger="profiler_core.analytics"):
            outcome = cohort_analytics_report(
                CohortId("c-1"),
                decision=ALLOW,
                repository=FailingRepository(),  # type: ignore[arg-type]
            )
        assert isinstance(outcome, ReportUnavailable)
        assert outcome.reason.code == "analytics_unavailable"
        assert (caplog.records[0].exc_info, caplog.records[0].__dict__["error_type"]) == (
            None,
            "ConnectionError",
        )

    def test_works_with_the_access_decision(self) -> None:
        """profiler_core.access decisions plug straight in (a director of the cohort is allowed)."""
        cohorts, *_ = contract_analytics()
        director = Principal(
            user_id=UserId("director"),
            roles=(RoleGrant(role=Role.PROGRAM_DIRECTOR, scope=Scope.COHORT, scope_ref="c-1"),),
        )
        decision = decide_cohort_analytics_access(director, cohorts[0], now=NOW)
        allowed = cohort_analytics_report(CohortId("c-1"), decision=decision, repository=repository())
        assert isinstance(allowed, CohortReport)
        assert (allowed.cohort.id, allowed.cohort.enterprise_id, allowed.k) == ("c-1", "org-1", 5)
        stranger = Principal(user_id=UserId("student"), roles=(RoleGrant(role=Role.STUDENT),))
        denied = decide_cohort_analytics_access(stranger, cohorts[0], now=NOW)
        outcome = cohort_analytics_report(CohortId("c-1"), decision=denied, repository=repository())
        assert isinstance(outcome, ReportDenied)
        assert [r.code for r in outcome.reasons] == ["analytics_access_denied", "role_not_permitted"]
        assert outcome.public_reason_codes == ("access_denied",)

    def test_logs_ids_and_numbers_only(self, caplog: pytest.LogCaptureFixture) -> None:
        """The DEBUG record carries ids, counts, codes and the duration; never a cohort name."""
        with caplog.at_level(logging.DEBUG, logger="profiler_core.analytics"):
            cohort_analytics_report(CohortId("c-1"), decision=ALLOW, repository=repository())
        record = caplog.records[-1]
        assert record.levelno == logging.DEBUG
        assert record.__dict__["cohort_id"] == "c-1"
        assert record.__dict__["outcome"] == "CohortReport"
        assert "duration_ms" in record.__dict__
        assert "Same Name" not in str(record.__dict__)


class TestEnterpriseAnalyticsReport:
    def test_allowed_report_equals_the_pure_report(self) -> None:
        """The service's report is the pure enterprise report over the sponsor's cohorts."""
        cohorts, enrollments, sessions, results = contract_analytics()
        partial = partial_from_values(enrollments=enrollments, sessions=sessions, results=results)
        outcome = enterprise_analytics_report(OrgId("org-1"), decision=ALLOW, repository=repository())
        assert outcome == enterprise_report(OrgId("org-1"), cohorts, partial)

    def test_same_name_cohorts_stay_apart_and_learners_count_once(self) -> None:
        """Two cohorts named alike are two rows; the learner in both counts once in the rollup."""
        outcome = enterprise_analytics_report(
            OrgId("org-1"), decision=ALLOW, repository=repository(), suppression=SuppressionPolicy(k=1)
        )
        assert isinstance(outcome, EnterpriseReport)
        assert list(outcome.cohorts) == [CohortId("c-1"), CohortId("c-2")]
        assert [row.population.total for row in outcome.cohorts.values()] == [2, 2]
        assert outcome.rollup.population.total == 3

    def test_unknown_enterprise_is_not_found_never_everything(self) -> None:
        """An enterprise sponsoring no cohort is ReportNotFound (unknown_enterprise)."""
        repo = repository()
        outcome = enterprise_analytics_report(OrgId("org-404"), decision=ALLOW, repository=repo)
        assert isinstance(outcome, ReportNotFound)
        assert outcome.reason.code == "unknown_enterprise"
        assert dict(repo.calls) == {"cohorts_for_enterprises": 1}

    def test_denied_returns_a_typed_denial_without_reading(self) -> None:
        """A denied decision returns ReportDenied; nothing is read (no sponsor filter crash, no leak)."""
        repo = repository()
        outcome = enterprise_analytics_report(OrgId("org-1"), decision=DENY, repository=repo)
        assert isinstance(outcome, ReportDenied)
        assert outcome.subject_id == "org-1"
        assert not repo.calls

    def test_the_viewer_is_shown_one_uniform_denial(self) -> None:
        """ReportDenied keeps the precise reasons; the viewer's body names no subject and no detail."""
        cohort = cohort_analytics_report(CohortId("c-1"), decision=DENY, repository=repository())
        enterprise = enterprise_analytics_report(OrgId("org-2"), decision=DENY, repository=repository())
        assert isinstance(cohort, ReportDenied)
        assert isinstance(enterprise, ReportDenied)
        assert cohort.body_for_viewer() == enterprise.body_for_viewer()
        assert cohort.public_reason_codes == ("access_denied",)
        assert "c-1" not in str(cohort.body_for_viewer())
        assert "not_your_cohort" in [r.code for r in cohort.reasons]

    def test_a_sponsor_admin_of_another_org_is_denied(self) -> None:
        """The real access decision for another organisation's sponsor admin denies."""
        sponsor = Principal(
            user_id=UserId("sponsor"),
            roles=(RoleGrant(role=Role.SPONSOR_ADMIN, scope=Scope.ORG, scope_ref="org-2"),),
        )
        decision = decide_enterprise_analytics_access(sponsor, OrgId("org-1"), now=NOW)
        repo = repository()
        outcome = enterprise_analytics_report(OrgId("org-1"), decision=decision, repository=repo)
        assert isinstance(outcome, ReportDenied)
        assert (outcome.subject_id, [r.code for r in outcome.reasons]) == (
            "org-1",
            ["analytics_access_denied", "scope_not_covering"],
        )
        assert not repo.calls  # a denied viewer's request reads no row

    def test_failing_repository_degrades(self, caplog: pytest.LogCaptureFixture) -> None:
        """A failing repository is logged at WARNING and gives ReportUnavailable."""
        with caplog.at_level(logging.WARNING, logger="profiler_core.analytics"):
            outcome = enterprise_analytics_report(
                OrgId("org-1"),
                decision=ALLOW,
                repository=FailingRepository(),  # type: ignore[arg-type]
            )
        assert isinstance(outcome, ReportUnavailable)
        assert caplog.records[0].levelno == logging.WARNING

    def test_a_repository_that_returns_foreign_cohorts_is_filtered(self) -> None:
        """Cohorts of another sponsor returned by a sloppy adapter are left out."""

        class Sloppy(InMemoryCohortAnalyticsRepository):
            def cohorts_for_enterprises(
                self, enterprise_ids: Collection[OrgId]
            ) -> dict[OrgId, Sequence[Cohort]]:
                return {OrgId("org-1"): list(self.cohorts.values())}

        cohorts, enrollments, sessions, results = contract_analytics()
        outcome = enterprise_analytics_report(
            OrgId("org-1"), decision=ALLOW, repository=Sloppy(cohorts, enrollments, sessions, results)
        )
        assert isinstance(outcome, EnterpriseReport)
        assert list(outcome.cohorts) == [CohortId("c-1"), CohortId("c-2")]


class TestInMemoryCohortAnalyticsRepository:
    def test_honours_the_contract(self) -> None:
        """The in-memory adapter passes the contract check a host runs against its own adapter."""
        check_cohort_analytics_repository(InMemoryCohortAnalyticsRepository)

    def test_the_contract_catches_a_name_matching_adapter(self) -> None:
        """An adapter that matches sponsors by cohort name fails the contract (it can fail)."""

        class ByName(InMemoryCohortAnalyticsRepository):
            def cohorts_for_enterprises(
                self, enterprise_ids: Collection[OrgId]
            ) -> dict[OrgId, Sequence[Cohort]]:
                first = next(iter(self.cohorts.values()))
                return {OrgId("org-1"): [c for c in self.cohorts.values() if c.name == first.name][:1]}

        with pytest.raises(AssertionError, match="never by name"):
            check_cohort_analytics_repository(ByName)

    def test_the_contract_catches_everything_for_an_unknown_enterprise(self) -> None:
        """An adapter that answers an unknown enterprise with every cohort fails the contract."""

        class Everything(InMemoryCohortAnalyticsRepository):
            def cohorts_for_enterprises(
                self, enterprise_ids: Collection[OrgId]
            ) -> dict[OrgId, Sequence[Cohort]]:
                return {e: list(self.cohorts.values()) for e in enterprise_ids}

        with pytest.raises(AssertionError, match="must be absent"):
            check_cohort_analytics_repository(Everything)

    def test_the_contract_catches_a_status_filter(self) -> None:
        """An adapter that drops withdrawn enrollments fails: the library decides what counts."""

        class ActiveOnly(InMemoryCohortAnalyticsRepository):
            def enrollments_for_cohorts(
                self, cohort_ids: Collection[CohortId]
            ) -> dict[CohortId, Sequence[Enrollment]]:
                found = super().enrollments_for_cohorts(cohort_ids)
                return {c: [e for e in es if e.status.value == "active"] for c, es in found.items()}

        with pytest.raises(AssertionError, match="every status"):
            check_cohort_analytics_repository(ActiveOnly)

    def test_calls_are_counted(self) -> None:
        """Each method call is counted in calls."""
        repo = repository()
        repo.cohorts_by_ids([CohortId("c-1")])
        repo.results_for_sessions([])
        assert dict(repo.calls) == {"cohorts_by_ids": 1, "results_for_sessions": 1}

    def test_satisfies_the_port(self) -> None:
        """The fake is a CohortAnalyticsRepository (checked by mypy through this assignment)."""
        port: CohortAnalyticsRepository = repository()
        assert port.cohorts_by_ids([]) == {}

    def test_values_survive(self) -> None:
        """Sessions and results handed in are what the port answers with."""
        _cohorts, _enrollments, sessions, results = contract_analytics()
        repo = repository()
        latest = repo.latest_completed_sessions([UserId("u-6")])
        assert latest[UserId("u-6")] == next(s for s in sessions if s.id == "a-5")
        assert repo.results_for_sessions([SessionId("a-1")]) == {SessionId("a-1"): results[0]}
        assert isinstance(latest[UserId("u-6")], ProfilerSession)
        assert isinstance(results[0], ProfilerResult)

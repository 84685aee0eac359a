"""The private analytics services, the ledger port's fake and contract, and the untouched default path."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Sequence

import pytest
from attrs import frozen
from tests.analytics_builders import T0, seed, seed_partial

from profiler_core.analytics import cohort_report
from profiler_core.decisions import Reason
from profiler_core.dp import (
    DifferentialPrivacyPolicy,
    PrivacyBudget,
    PrivateCohortReport,
    PrivateEnterpriseReport,
)
from profiler_core.errors import RepositoryError
from profiler_core.serialization import unstructure
from profiler_core.services import (
    ReportDenied,
    ReportNotFound,
    ReportRefused,
    ReportUnavailable,
    cohort_analytics_report,
    private_cohort_analytics_report,
    private_enterprise_analytics_report,
)
from profiler_core.testing.contracts_privacy import check_privacy_budget_repository
from profiler_core.testing.fakes import (
    FailingRepository,
    InMemoryCohortAnalyticsRepository,
    InMemoryPrivacyBudgetRepository,
)


@frozen
class Decision:
    allowed: bool
    reasons: Sequence[Reason] = ()


ALLOW = Decision(allowed=True)


def world() -> InMemoryCohortAnalyticsRepository:
    return InMemoryCohortAnalyticsRepository(*seed())


class StaleBudgets(InMemoryPrivacyBudgetRepository):
    """A ledger store where another writer always wins the compare-and-set."""

    def save_budget(self, budget: PrivacyBudget, *, replacing: PrivacyBudget | None) -> PrivacyBudget | None:
        self.calls["save_budget"] += 1
        return None


class TestCohort:
    def test_charges_until_the_budget_is_spent_then_refuses(self) -> None:
        """ε = 1 of a budget of 4: four reports, then privacy_budget_exhausted reading no learner row."""
        repository, budgets = world(), InMemoryPrivacyBudgetRepository()
        outcomes = [
            private_cohort_analytics_report(
                "c-a", decision=ALLOW, repository=repository, budgets=budgets, now=T0, rng=random.Random(n)
            )
            for n in range(4)
        ]
        assert all(isinstance(o, PrivateCohortReport) for o in outcomes)
        reads = repository.calls["enrollments_for_cohorts"]
        refused = private_cohort_analytics_report(
            "c-a", decision=ALLOW, repository=repository, budgets=budgets, now=T0
        )
        assert isinstance(refused, ReportRefused)
        assert refused.reason.code == "privacy_budget_exhausted"
        assert refused.budget is not None
        assert refused.budget.spent_epsilon == 4.0
        assert repository.calls["enrollments_for_cohorts"] == reads
        stored = budgets.budget("c-a")
        assert stored is not None
        assert [c.report for c in stored.charges] == ["cohort_report"] * 4

    def test_the_report_is_the_pure_private_report(self) -> None:
        """The service's report equals private_cohort_report over the same rows and seed (c-a alone)."""
        from profiler_core.dp import private_cohort_report  # noqa: PLC0415 - the oracle

        outcome = private_cohort_analytics_report(
            "c-a",
            decision=ALLOW,
            repository=world(),
            budgets=InMemoryPrivacyBudgetRepository(),
            now=T0,
            rng=random.Random(5),
        )
        cohort_a = next(c for c in seed()[0] if c.id == "c-a")
        assert outcome == private_cohort_report(cohort_a, seed_partial(), rng=random.Random(5))

    def test_denied_reads_nothing_and_charges_nothing(self) -> None:
        """A denied decision returns ReportDenied before any repository or ledger call."""
        repository, budgets = world(), InMemoryPrivacyBudgetRepository()
        outcome = private_cohort_analytics_report(
            "c-a", decision=Decision(allowed=False), repository=repository, budgets=budgets, now=T0
        )
        assert isinstance(outcome, ReportDenied)
        assert outcome.reasons[0].code == "analytics_access_denied"
        assert sum(repository.calls.values()) == sum(budgets.calls.values()) == 0

    def test_unknown_cohort_charges_nothing(self) -> None:
        """An unknown cohort is cohort_not_found and no ledger is opened."""
        budgets = InMemoryPrivacyBudgetRepository()
        outcome = private_cohort_analytics_report(
            "c-none", decision=ALLOW, repository=world(), budgets=budgets, now=T0
        )
        assert isinstance(outcome, ReportNotFound)
        assert outcome.reason.code == "cohort_not_found"
        assert budgets.budgets == {}

    def test_a_lost_compare_and_set_is_a_conflict_after_three_attempts(self) -> None:
        """When every save loses, the report is refused with privacy_budget_conflict and nothing is read."""
        repository, budgets = world(), StaleBudgets()
        outcome = private_cohort_analytics_report(
            "c-a", decision=ALLOW, repository=repository, budgets=budgets, now=T0
        )
        assert isinstance(outcome, ReportRefused)
        assert outcome.reason.code == "privacy_budget_conflict"
        assert budgets.calls["save_budget"] == 3
        assert repository.calls["enrollments_for_cohorts"] == 0

    def test_a_failing_ledger_is_unavailable(self) -> None:
        """A ledger store that fails with RepositoryError gives ReportUnavailable (analytics_unavailable)."""
        outcome = private_cohort_analytics_report(
            "c-a",
            decision=ALLOW,
            repository=world(),
            budgets=FailingRepository(RepositoryError("ledger down")),  # type: ignore[arg-type]
            now=T0,
        )
        assert isinstance(outcome, ReportUnavailable)
        assert outcome.reason.code == "analytics_unavailable"


class TestEnterprise:
    def test_charges_the_enterprise_ledger(self) -> None:
        """An enterprise report charges the enterprise's ledger, not its cohorts'; refused once spent."""
        budgets = InMemoryPrivacyBudgetRepository()
        privacy = DifferentialPrivacyPolicy(epsilon=1.0, budget=1.5)
        first = private_enterprise_analytics_report(
            "org-1", decision=ALLOW, repository=world(), budgets=budgets, now=T0, privacy=privacy
        )
        assert isinstance(first, PrivateEnterpriseReport)
        assert sorted(first.cohorts) == ["c-a", "c-b"]
        assert sorted(budgets.budgets) == ["org-1"]
        second = private_enterprise_analytics_report(
            "org-1", decision=ALLOW, repository=world(), budgets=budgets, now=T0, privacy=privacy
        )
        assert isinstance(second, ReportRefused)
        assert second.reason.code == "privacy_budget_exhausted"

    def test_unknown_enterprise(self) -> None:
        """An enterprise that sponsors no cohort is unknown_enterprise and charges nothing."""
        budgets = InMemoryPrivacyBudgetRepository()
        outcome = private_enterprise_analytics_report(
            "org-none", decision=ALLOW, repository=world(), budgets=budgets, now=T0
        )
        assert isinstance(outcome, ReportNotFound)
        assert outcome.reason.code == "unknown_enterprise"
        assert budgets.budgets == {}


class TestLogging:
    def test_a_private_report_is_logged_with_its_epsilon_and_ids_only(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        """One DEBUG record "private analytics report decided": subject id, outcome, ε and policies."""
        caplog.set_level(logging.DEBUG, logger="profiler_core.analytics")
        private_cohort_analytics_report(
            "c-a",
            decision=ALLOW,
            repository=world(),
            budgets=InMemoryPrivacyBudgetRepository(),
            now=T0,
            rng=random.Random(0),
        )
        [record] = [r for r in caplog.records if r.getMessage() == "private analytics report decided"]
        assert record.levelno == logging.DEBUG
        fields = record.__dict__
        assert (fields["cohort_id"], fields["outcome"], fields["epsilon"]) == (
            "c-a",
            "PrivateCohortReport",
            1.0,
        )
        assert (fields["privacy"], fields["policy"]) == ("dp@1", "analytics@1")

    def test_a_failing_repository_is_warned_as_no_private_report(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A repository failure is one WARNING naming the private report, then the refusal code is logged."""
        caplog.set_level(logging.DEBUG, logger="profiler_core.analytics")
        outcome = private_enterprise_analytics_report(
            "org-1",
            decision=ALLOW,
            repository=FailingRepository(RepositoryError("db down")),  # type: ignore[arg-type]
            budgets=InMemoryPrivacyBudgetRepository(),
            now=T0,
        )
        assert isinstance(outcome, ReportUnavailable)
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert warnings == [
            "analytics repository failed; no private report"
            " (profiler_core.errors.RepositoryError [repository_error])"
        ]
        [decided] = [r for r in caplog.records if r.getMessage() == "private analytics report decided"]
        assert (decided.__dict__["enterprise_id"], decided.__dict__["reason_codes"]) == (
            "org-1",
            ("analytics_unavailable",),
        )


class TestDefaultPathUnchanged:
    def test_default_report_is_byte_identical_around_private_reports(self) -> None:
        """The default report's JSON is the same bytes before and after private reports, and has no ε."""
        repository = world()

        def default_json() -> str:
            outcome = cohort_analytics_report("c-a", decision=ALLOW, repository=repository)
            return json.dumps(unstructure(outcome), sort_keys=True)

        before = default_json()
        budgets = InMemoryPrivacyBudgetRepository()
        for n in range(3):
            private_cohort_analytics_report(
                "c-a", decision=ALLOW, repository=repository, budgets=budgets, now=T0, rng=random.Random(n)
            )
        assert default_json() == before
        assert "epsilon" not in before
        assert "discrete_laplace" not in before
        cohorts = seed()[0]
        oracle = cohort_report(cohorts[0], seed_partial(), enterprise_cohorts=cohorts)
        assert before == json.dumps(unstructure(oracle), sort_keys=True)


def test_the_fake_honours_the_ledger_contract() -> None:
    """InMemoryPrivacyBudgetRepository passes check_privacy_budget_repository."""
    check_privacy_budget_repository(InMemoryPrivacyBudgetRepository)


@pytest.mark.parametrize("broken", ["overwrites", "ignores_forms"])
def test_the_contract_catches_a_broken_adapter(broken: str) -> None:
    """An adapter that overwrites a newer ledger, or reads only canonical text, fails the contract."""

    class Broken(InMemoryPrivacyBudgetRepository):
        def budget(self, subject_id: str) -> PrivacyBudget | None:
            if broken == "ignores_forms":
                return self.budgets.get(subject_id) if type(subject_id) is str else None
            return super().budget(subject_id)

        def save_budget(
            self, budget: PrivacyBudget, *, replacing: PrivacyBudget | None
        ) -> PrivacyBudget | None:
            if broken == "overwrites":
                self.budgets[budget.subject_id] = budget
                return budget
            return super().save_budget(budget, replacing=replacing)

    with pytest.raises(AssertionError):
        check_privacy_budget_repository(Broken)

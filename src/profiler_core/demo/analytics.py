"""Demo section: the enterprise dashboard (SPEC §9), through the access decisions and the services."""

from __future__ import annotations

import random

from profiler_core.access import decide_cohort_analytics_access, decide_enterprise_analytics_access
from profiler_core.analytics import (
    CohortReport,
    Count,
    EnterpriseReport,
    ScoreSummary,
    Suppressed,
    SuppressionPolicy,
)
from profiler_core.demo.sample import SamplePlatform
from profiler_core.dp import DifferentialPrivacyPolicy, Noised, PrivateCohortReport
from profiler_core.models import CohortId, OrgId, Principal, UserId
from profiler_core.report_formats import population_line, score_table, table, text_bars
from profiler_core.services import (
    CohortReportOutcome,
    EnterpriseReportOutcome,
    ReportDenied,
    ReportRefused,
    cohort_analytics_report,
    enterprise_analytics_report,
    private_cohort_analytics_report,
)
from profiler_core.testing.fakes import InMemoryCohortAnalyticsRepository, InMemoryPrivacyBudgetRepository

__all__ = ["analytics_section", "dashboard_reports"]

_HIDDEN = "suppressed"


def _count(value: Count) -> str:
    return _HIDDEN if isinstance(value, Suppressed) else str(value)


def _outcome_line(label: str, outcome: CohortReportOutcome | EnterpriseReportOutcome) -> str:
    if isinstance(outcome, CohortReport | EnterpriseReport):
        return f"  {label}: {type(outcome).__name__} ({outcome.suppressed_cells} figures suppressed)"
    if isinstance(outcome, ReportDenied):
        return f"  {label}: denied ({', '.join(r.code for r in outcome.reasons)})"
    return f"  {label}: {type(outcome).__name__} ({outcome.reason.code}: {outcome.reason.message})"


def _principal(platform: SamplePlatform, user_id: str) -> Principal:
    return next(p for p in platform.principals if p.user_id == UserId(user_id))


# The demo's one seeded source: the same output on every run. A host passes nothing and
# gets a fresh secrets.SystemRandom per report.
_DEMO_SEED = 2026


def _noised(figure: Noised[int] | Noised[float] | None) -> str:
    return "-" if figure is None else f"{figure.value} (eps {figure.epsilon:g})"


def _private_lines(
    platform: SamplePlatform,
    repository: InMemoryCohortAnalyticsRepository,
    director: Principal,
    default: CohortReport,
) -> list[str]:
    """The same cohort under the opt-in differential-privacy policy, beside the default report."""
    cohort = default.cohort
    decision = decide_cohort_analytics_access(director, cohort, now=platform.now)

    def private(epsilon: float, budgets: InMemoryPrivacyBudgetRepository, n: int) -> object:
        return private_cohort_analytics_report(
            cohort.id,
            decision=decision,
            repository=repository,
            budgets=budgets,
            now=platform.now,
            privacy=DifferentialPrivacyPolicy(epsilon=epsilon, budget=2 * epsilon),
            rng=random.Random(_DEMO_SEED + n),
        )

    strict, loose = InMemoryPrivacyBudgetRepository(), InMemoryPrivacyBudgetRepository()
    reports = [private(1.0, strict, 0), private(10.0, loose, 1)]
    assert all(isinstance(r, PrivateCohortReport) for r in reports), "the director of cohort-a may see it"
    one, ten = (r.body for r in reports if isinstance(r, PrivateCohortReport))
    exact = default.body
    aptitude = exact.aptitude
    rows = [
        (
            "learners",
            _count(exact.population.total),
            _noised(one.population.total),
            _noised(ten.population.total),
        ),
        (
            "profiled",
            _count(exact.population.profiled),
            _noised(one.population.profiled),
            _noised(ten.population.profiled),
        ),
        (
            "aptitude mean",
            f"{aptitude.mean:.2f}" if isinstance(aptitude, ScoreSummary) else _HIDDEN,
            _noised(one.aptitude.mean),
            _noised(ten.aptitude.mean),
        ),
        *(
            (f"readiness {d.key}", _count(d.count), _noised(a.count), _noised(b.count))
            for d, a, b in zip(exact.readiness, one.readiness, ten.readiness, strict=True)
        ),
    ]
    private(10.0, loose, 2)
    third = private(10.0, loose, 3)
    return [
        f"The same cohort under the opt-in differential-privacy policy (dp@1; demo randomness: "
        f"random.Random({_DEMO_SEED} + n), a host gets a fresh SystemRandom per report):",
        table(("figure", "default (k = 3)", "private, eps 1", "private, eps 10"), rows),
        "  Every private figure carries its eps. At eps 1 a cohort of ten is mostly noise (the guarantee's",
        "  price); no std, min, max or quartiles are published under DP.",
        "  Ledger at budget 20 for eps 10: the third report is "
        + (f"refused ({third.reason.code})" if isinstance(third, ReportRefused) else type(third).__name__),
    ]


def _repository(platform: SamplePlatform) -> InMemoryCohortAnalyticsRepository:
    return InMemoryCohortAnalyticsRepository(
        platform.cohorts, platform.enrollments, platform.sessions, platform.results
    )


# The sample platform is tiny (cohorts of about ten learners): at the default k = 5 every
# track and readiness bucket of org-acme would be suppressed, so its reports use k = 3.
_SMALL_K = SuppressionPolicy(k=3)


def dashboard_reports(
    platform: SamplePlatform, repository: InMemoryCohortAnalyticsRepository | None = None
) -> tuple[CohortReport, EnterpriseReport, CohortReport]:
    """The three reports the section shows, each through its viewer's access decision.

    cohort-a (k = 3, seen by its director), the org-acme rollup (k = 3, its
    sponsor admin) and the small cohort-c (default k = 5, its director): what
    the HTML dashboard of the demo draws.
    """
    repository = repository or _repository(platform)
    now = platform.now
    cohort_a = next(c for c in platform.cohorts if c.id == CohortId("cohort-a"))
    cohort_c = next(c for c in platform.cohorts if c.id == CohortId("cohort-c"))
    director = _principal(platform, "director-dee")
    cohort_outcome = cohort_analytics_report(
        cohort_a.id,
        decision=decide_cohort_analytics_access(director, cohort_a, now=now),
        repository=repository,
        suppression=_SMALL_K,
    )
    assert isinstance(cohort_outcome, CohortReport), "the director of cohort-a may see it"
    enterprise_outcome = enterprise_analytics_report(
        OrgId("org-acme"),
        decision=decide_enterprise_analytics_access(
            _principal(platform, "sponsor-fay"), OrgId("org-acme"), now=now
        ),
        repository=repository,
        suppression=_SMALL_K,
    )
    assert isinstance(enterprise_outcome, EnterpriseReport), "org-acme's sponsor admin may see it"
    small = cohort_analytics_report(
        cohort_c.id,
        decision=decide_cohort_analytics_access(_principal(platform, "director-eve"), cohort_c, now=now),
        repository=repository,
    )
    assert isinstance(small, CohortReport), "the director of cohort-c may see it"
    return cohort_outcome, enterprise_outcome, small


def analytics_section(platform: SamplePlatform) -> str:
    """A cohort report and an enterprise rollup with bar charts, a suppressed small cohort, and refusals."""
    repository = _repository(platform)
    now = platform.now
    director = _principal(platform, "director-dee")
    sponsor = _principal(platform, "sponsor-fay")
    admin = _principal(platform, "admin-gus")
    cohort_a = next(c for c in platform.cohorts if c.id == CohortId("cohort-a"))
    cohort_c = next(c for c in platform.cohorts if c.id == CohortId("cohort-c"))
    cohort_outcome, enterprise_outcome, small = dashboard_reports(platform, repository)
    lines: list[str] = [
        "Population: distinct learners enrolled active or completed; each counts once, with their latest",
        "completed session. Small-cohort protection: counts of 1..k-1 learners and statistics over fewer",
        "than k are suppressed, with complementary cells so none can be recomputed from the others.",
        "The default is k = 5; the org-acme reports below use k = 3 because this sample platform is tiny.",
        "",
    ]

    body = cohort_outcome.body
    lines += [
        f"Cohort report (k = 3): {cohort_a.id} '{cohort_a.name}' (viewer {director.user_id}, director)",
        f"  {population_line(body.population)}",
        score_table(body.aptitude, body.technical_exposure, body.overall),
        *text_bars("Readiness (overall score):", body.readiness),
        *text_bars("Recommended track:", body.tracks),
        "Top strengths: " + (", ".join(f"{b.label} ({b.count})" for b in body.top_strengths) or "-"),
        "",
    ]

    lines += [*_private_lines(platform, repository, director, cohort_outcome), ""]

    rollup = enterprise_outcome.rollup
    breakdown = [
        (
            cohort_id,
            row.cohort.name,
            _count(row.population.total),
            _count(row.population.profiled),
            f"{row.overall.mean:.1f}" if isinstance(row.overall, ScoreSummary) else _HIDDEN,
        )
        for cohort_id, row in enterprise_outcome.cohorts.items()
    ]
    lines += [
        f"Enterprise rollup (k = 3): org-acme (viewer {sponsor.user_id}, sponsor admin), learners once",
        f"  {population_line(rollup.population)}",
        score_table(rollup.aptitude, rollup.technical_exposure, rollup.overall),
        *text_bars("Readiness (overall score):", rollup.readiness),
        *text_bars("Recommended track:", rollup.tracks),
        "Breakdown by cohort id (two cohorts share a name; they are never merged):",
        table(("cohort", "label", "learners", "profiled", "overall mean"), breakdown),
        "",
    ]

    lines += [
        f"Small cohort (default k = 5): {cohort_c.id} '{cohort_c.name}', fewer than k learners, "
        "so every count and statistic that could single one out is suppressed.",
        f"  {population_line(small.body.population)}",
        score_table(small.body.aptitude, small.body.technical_exposure, small.body.overall),
        *text_bars("Readiness (overall score):", small.body.readiness),
        "",
    ]

    outcomes = [
        _outcome_line(
            "sponsor-fay asks for org-globex",
            enterprise_analytics_report(
                OrgId("org-globex"),
                decision=decide_enterprise_analytics_access(sponsor, OrgId("org-globex"), now=now),
                repository=repository,
            ),
        ),
        _outcome_line(
            "admin-gus asks for org-globex",
            enterprise_analytics_report(
                OrgId("org-globex"),
                decision=decide_enterprise_analytics_access(admin, OrgId("org-globex"), now=now),
                repository=repository,
            ),
        ),
        _outcome_line(
            "admin-gus asks for org-initech (sponsors no cohort)",
            enterprise_analytics_report(
                OrgId("org-initech"),
                decision=decide_enterprise_analytics_access(admin, OrgId("org-initech"), now=now),
                repository=repository,
            ),
        ),
    ]
    lines += [
        "Who may see what; refusals are typed, and an unknown enterprise is never 'everything':",
        *outcomes,
    ]
    return "\n".join(lines)

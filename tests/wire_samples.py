"""Sample values whose JSON the hosts receive, built from the demo's sample platform.

``tests/data/wire_bodies.json`` holds the JSON the removed rendering methods
(``to_dict()``, ``as_dict()``, ``payload``, ``to_response()``) wrote for these
values, captured before they were removed; ``tests/test_wire_bodies.py`` pins
``unstructure(value)`` to those bytes.
"""

from __future__ import annotations

from typing import Any

from profiler_core import services
from profiler_core.access import decide_cohort_analytics_access, decide_enterprise_analytics_access
from profiler_core.accumulation import partial_from_values
from profiler_core.demo.sample import SamplePlatform, build_sample_platform
from profiler_core.models import CohortId, JobId, OrgId, PortfolioEntry, Principal, UserId
from profiler_core.reports import SUPPRESSED, cohort_report, enterprise_report
from profiler_core.suppression import SuppressionPolicy
from profiler_core.testing import (
    FailingRepository,
    InMemoryCohortAnalyticsRepository,
    InMemoryCohortRepository,
    InMemoryEnrollmentRepository,
    InMemoryJobRepository,
    InMemoryMentorAssignmentRepository,
    InMemoryRecipeRepository,
    InMemorySessionRepository,
    InMemoryTalentProfileRepository,
    InMemoryValueStatementSource,
)
from profiler_core.vocabulary import Visibility


def _principal(platform: SamplePlatform, user_id: str) -> Principal:
    return next(p for p in platform.principals if p.user_id == UserId(user_id))


def analytics_samples(platform: SamplePlatform) -> dict[str, object]:
    """Sketches, statistics, the partial and reports (with and without suppressed cells)."""
    partial = partial_from_values(
        enrollments=platform.enrollments, sessions=platform.sessions, results=platform.results
    )
    cohort_a = next(c for c in platform.cohorts if c.id == CohortId("cohort-a"))
    small_k = SuppressionPolicy(k=3)
    report_k3 = cohort_report(cohort_a, partial, suppression=small_k)
    report_k5 = cohort_report(cohort_a, partial)
    acme_k3 = enterprise_report(OrgId("org-acme"), platform.cohorts, partial, suppression=small_k)
    acme_k5 = enterprise_report(OrgId("org-acme"), platform.cohorts, partial)
    stats = partial.stats_for(cohort_a.id)
    return {
        "score_sketch": stats.aptitude,
        "score_sketch_empty": stats.aptitude.empty(),
        "cohort_stats": stats,
        "analytics_partial": partial,
        "suppressed": SUPPRESSED,
        "bucket": report_k3.body.readiness[0],
        "score_summary": report_k3.body.aptitude,
        "population_figures": report_k5.body.population,
        "population_report": report_k3.body,
        "cohort_report_k3": report_k3,
        "cohort_report_k5": report_k5,
        "cohort_breakdown": next(iter(acme_k3.cohorts.values())),
        "enterprise_report_k3": acme_k3,
        "enterprise_report_k5": acme_k5,
        "enterprise_report_empty": enterprise_report(OrgId("org-initech"), platform.cohorts, partial),
    }


def report_service_samples(platform: SamplePlatform) -> dict[str, object]:
    """The reports the analytics services answer (what the hosts' analytics endpoints serve)."""
    repository = InMemoryCohortAnalyticsRepository(
        platform.cohorts, platform.enrollments, platform.sessions, platform.results
    )
    director = _principal(platform, "director-dee")
    sponsor = _principal(platform, "sponsor-fay")
    cohort_a = next(c for c in platform.cohorts if c.id == CohortId("cohort-a"))
    return {
        "service_cohort_report": services.cohort_analytics_report(
            cohort_a.id,
            decision=decide_cohort_analytics_access(director, cohort_a, now=platform.now),
            repository=repository,
        ),
        "service_enterprise_report": services.enterprise_analytics_report(
            OrgId("org-acme"),
            decision=decide_enterprise_analytics_access(sponsor, OrgId("org-acme"), now=platform.now),
            repository=repository,
            suppression=SuppressionPolicy(k=3),
        ),
    }


def access_samples(platform: SamplePlatform) -> dict[str, object]:
    """Mentee results allowed to each viewer who may see learner-001's results."""
    learner = platform.learners[0]
    statement = PortfolioEntry(
        id="entry-1",
        user_id=learner,
        title="My Value Statement",
        summary="I defend the people I serve.",
        item_type="reflection",
        status="approved",
        visibility=Visibility.PUBLIC,
    )
    samples: dict[str, object] = {}
    for viewer in platform.principals:
        outcome = services.mentee_results(
            viewer,
            learner,
            sessions=InMemorySessionRepository(platform.sessions, platform.results),
            assignments=InMemoryMentorAssignmentRepository(platform.assignments),
            enrollments=InMemoryEnrollmentRepository(platform.enrollments),
            cohorts=InMemoryCohortRepository(platform.cohorts),
            statements=InMemoryValueStatementSource([statement]),
            now=platform.now,
        )
        if isinstance(outcome, services.ResultsAllowed):
            samples[f"results_allowed_{viewer.user_id}"] = outcome
    return samples


def marketplace_samples(platform: SamplePlatform) -> dict[str, object]:
    """Talent matches (matched, degraded, profiler incomplete) and talent searches."""
    sessions = InMemorySessionRepository(platform.sessions, platform.results)
    jobs = InMemoryJobRepository(platform.jobs)
    talent = InMemoryTalentProfileRepository(platform.talent)
    recipes = InMemoryRecipeRepository(platform.recipes)
    learner = platform.learners[0]
    now = platform.now
    failing: Any = FailingRepository()  # stands in for any port
    return {
        "talent_matches": services.talent_matches(
            learner, sessions=sessions, jobs=jobs, talent=talent, now=now, recipes=recipes, limit=3
        ),
        "talent_matches_degraded": services.talent_matches(
            learner, sessions=sessions, jobs=jobs, talent=talent, now=now, recipes=failing, limit=2
        ),
        "talent_matches_incomplete": services.talent_matches(
            UserId("nobody"), sessions=sessions, jobs=jobs, talent=talent, now=now
        ),
        "talent_search": services.talent_search(
            JobId("job-01"), sessions=sessions, jobs=jobs, talent=talent, now=now, recipes=recipes, limit=3
        ),
        "talent_search_degraded": services.talent_search(
            JobId("job-01"), sessions=failing, jobs=jobs, talent=talent, now=now, limit=3
        ),
    }


def recipe_samples(platform: SamplePlatform) -> dict[str, object]:
    """Profiler recommendations: ranked, fallback (no completed profiler) and degraded."""
    sessions = InMemorySessionRepository(platform.sessions, platform.results)
    recipes = InMemoryRecipeRepository(platform.recipes)
    samples: dict[str, object] = {
        f"recommendations_{learner}": services.profiler_recommendations(
            learner, sessions=sessions, recipes=recipes, limit=5
        )
        for learner in (UserId("learner-003"), UserId("learner-001"), UserId("learner-006"))
    }
    samples["recommendations_fallback"] = services.profiler_recommendations(
        UserId("nobody"), sessions=sessions, recipes=recipes, limit=3
    )
    failing: Any = FailingRepository()  # stands in for any port
    samples["recommendations_degraded"] = services.profiler_recommendations(
        UserId("learner-001"), sessions=failing, recipes=recipes, limit=3
    )
    samples["recommendations_no_recipes"] = services.profiler_recommendations(
        UserId("learner-001"), sessions=sessions, recipes=failing, limit=3
    )
    return samples


def wire_samples() -> dict[str, object]:
    """Every sample, by name (the keys of ``tests/data/wire_bodies.json``)."""
    platform = build_sample_platform()
    return {
        **analytics_samples(platform),
        **report_service_samples(platform),
        **access_samples(platform),
        **marketplace_samples(platform),
        **recipe_samples(platform),
    }

"""Type-level tests for the modules split out of access, matching, portfolio, models and gaps.

mypy checks this file; pytest finds nothing to run. Each name is imported from
its home module (not the module it left), so a name that moves again without
a re-export fails here; ``assert_type`` pins what each main function infers
to; a ``# type: ignore[code]`` pins that a misuse *is* flagged. The shipped
strategies' narrowing keywords are pinned at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import assert_type

from hypothesis import strategies as st

from profiler_core.access_scope import DEFAULT_ACCESS_POLICY, AccessPolicy, LearnerPlacement, place_learner
from profiler_core.access_views import LearnerProfilerData, ResultsProjection, ResultsView, project_results
from profiler_core.cleaned_text import CleanedText, clean_text
from profiler_core.field_rules import require_aware
from profiler_core.gap_values import Gap, GapAnalysis
from profiler_core.ids import CohortId, OrgId, UserId, canonical_id
from profiler_core.match_policy import DEFAULT_MATCH_POLICY, MatchPolicy, job_level_for_selection, level_fit
from profiler_core.match_results import MatchScore, SkillRecipes
from profiler_core.match_scoring import recipes_for_skills, score_match
from profiler_core.models import (
    Cohort,
    Enrollment,
    JobPosting,
    MentorAssignment,
    Recipe,
    RoleGrant,
    TalentProfile,
)
from profiler_core.testing.strategies import mentor_assignments, role_grants
from profiler_core.value_statement import ValueStatement, compose_value_statement
from profiler_core.vocabulary import DifficultySelection, JobLevel, TrackKey

__all__: list[str] = []


def check_access_homes(
    enrollments: Sequence[Enrollment], cohorts: Sequence[Cohort], data: LearnerProfilerData
) -> None:
    """place_learner (access_scope) and project_results (access_views) infer as documented."""
    placement = place_learner("u-1", enrollments=enrollments, cohorts=cohorts, policy=DEFAULT_ACCESS_POLICY)
    assert_type(placement, LearnerPlacement)
    assert_type(DEFAULT_ACCESS_POLICY, AccessPolicy)
    assert_type(project_results(data, ResultsView.MENTOR), ResultsProjection)
    place_learner("u-1", enrollments, cohorts)  # type: ignore[call-arg]  # the batches are keyword-only


def check_text_and_ids(now: datetime) -> None:
    """clean_text, canonical_id and require_aware infer as documented."""
    assert_type(clean_text(" a ", limit=10), CleanedText)
    assert_type(canonical_id(100, field="user_id"), str)
    assert_type(require_aware(now), None)
    canonical_id(1.5)  # type: ignore[arg-type]  # a float is not an id


def check_value_statement_home() -> None:
    """compose_value_statement from its own module returns a ValueStatement."""
    assert_type(compose_value_statement(None), ValueStatement)


def check_gap_values(analysis: GapAnalysis) -> None:
    """A gap analysis holds Gap values."""
    assert_type(analysis.gaps, tuple[Gap, ...])


def check_matching_homes(profile: TalentProfile, job: JobPosting, recipes: Sequence[Recipe]) -> None:
    """match_policy, match_scoring and match_results infer as documented."""
    assert_type(DEFAULT_MATCH_POLICY, MatchPolicy)
    assert_type(level_fit(JobLevel.ENTRY, JobLevel.MID), float)
    assert_type(job_level_for_selection(DifficultySelection.ELITE), JobLevel | None)
    assert_type(score_match(profile, job, recipes=recipes), MatchScore)
    assert_type(recipes_for_skills(["DNS"], recipes, per_skill=2), tuple[SkillRecipes, ...])
    level_fit(JobLevel.ENTRY, JobLevel.MID, DEFAULT_MATCH_POLICY)  # type: ignore[call-arg]  # policy is keyword-only


def check_strategy_keywords() -> None:
    """role_grants and mentor_assignments narrow their universes by keyword and keep their value type."""
    grants = role_grants(
        org_ids=st.just(OrgId("org-1")),
        cohort_ids=st.just(CohortId("c-1")),
        tracks=st.just(TrackKey.GRC),
        expiries=st.none(),
    )
    assert_type(grants, st.SearchStrategy[RoleGrant])
    assignments = mentor_assignments(users=st.just(UserId("u-1")))
    assert_type(assignments, st.SearchStrategy[MentorAssignment])
    role_grants(org_ids=st.integers())  # type: ignore[arg-type]  # org ids are OrgId strategies

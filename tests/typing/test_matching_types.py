"""Type-level tests for talent matching: mypy checks this file; pytest finds nothing to run.

Each ``check_*`` function is never called. ``assert_type`` pins what a public
signature infers to; an assignment to a port pins that a fake satisfies it; a
``# type: ignore[code]`` pins that a misuse *is* flagged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import assert_type

from profiler_core import (
    CandidateRanking,
    JobId,
    JobPosting,
    JobRanking,
    MatchComponent,
    MatchScore,
    PolicyRef,
    ProfilerSession,
    RankedJob,
    Recipe,
    SkillRecipes,
    TalentProfile,
    UserId,
    rank_candidates,
    rank_jobs,
    recipes_for_skills,
    score_match,
)
from profiler_core.matching import job_level_for_selection
from profiler_core.ports import JobRepository, TalentProfileRepository
from profiler_core.services import TalentMatches, TalentSearch, talent_matches, talent_search
from profiler_core.testing import (
    InMemoryJobRepository,
    InMemoryRecipeRepository,
    InMemorySessionRepository,
    InMemoryTalentProfileRepository,
)
from profiler_core.vocabulary import DifficultySelection, JobLevel

__all__: list[str] = []


def check_scoring(profile: TalentProfile, job: JobPosting, recipes: Sequence[Recipe]) -> None:
    """score_match and its parts infer as documented."""
    match = score_match(profile, job, selection=DifficultySelection.ELITE, recipes=recipes)
    assert_type(match, MatchScore)
    assert_type(match.score, float)
    assert_type(match.components, tuple[MatchComponent, ...])
    assert_type(match.components[0].value, float | None)
    assert_type(match.missing_skills, tuple[str, ...])
    assert_type(match.skill_recipes, tuple[SkillRecipes, ...])
    assert_type(match.policy, PolicyRef)
    assert_type(match.reason_codes, tuple[str, ...])
    assert_type(recipes_for_skills(["DNS"], recipes), tuple[SkillRecipes, ...])
    assert_type(job_level_for_selection(None), JobLevel | None)


def check_signals_are_keyword_only(profile: TalentProfile, job: JobPosting) -> None:
    """Profiler signals cannot be passed positionally (they are easy to swap)."""
    score_match(profile, job, DifficultySelection.NOVICE)  # type: ignore[call-arg]


def check_rankings(
    profile: TalentProfile,
    jobs: Sequence[JobPosting],
    profiles: Sequence[TalentProfile],
    session: ProfilerSession | None,
    sessions: Mapping[UserId, ProfilerSession],
    now: datetime,
) -> None:
    """The rankings infer as documented."""
    ranking = rank_jobs(profile, jobs, session=session, now=now)
    assert_type(ranking, JobRanking)
    assert_type(ranking.matches, tuple[RankedJob, ...])
    assert_type(ranking.needs_profiler, bool)
    assert_type(rank_candidates(jobs[0], profiles, sessions=sessions, now=now), CandidateRanking)


def check_fakes_satisfy_ports(now: datetime) -> None:
    """The marketplace fakes are structurally the ports the services accept."""
    job_repository: JobRepository = InMemoryJobRepository()
    talent_repository: TalentProfileRepository = InMemoryTalentProfileRepository()
    assert_type(job_repository.active_jobs(now=now), Sequence[JobPosting])
    assert_type(talent_repository.searchable_profiles(), Sequence[TalentProfile])
    answer = talent_matches(
        UserId("u-1"),
        sessions=InMemorySessionRepository(),
        jobs=job_repository,
        talent=talent_repository,
        recipes=InMemoryRecipeRepository(),
        now=now,
    )
    assert_type(answer, TalentMatches)
    search = talent_search(
        JobId("j-1"),
        jobs=job_repository,
        talent=talent_repository,
        sessions=InMemorySessionRepository(),
        now=now,
    )
    assert_type(search, TalentSearch)


def check_ports_reject_non_implementations() -> None:
    """A talent repository is not a job repository."""
    _: JobRepository = InMemoryTalentProfileRepository()  # type: ignore[assignment]

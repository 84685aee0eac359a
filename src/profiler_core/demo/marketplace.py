"""Demo section: marketplace talent matching (SPEC §8)."""

from __future__ import annotations

from profiler_core.demo.sample import SamplePlatform
from profiler_core.demo.table import table
from profiler_core.matching import DEFAULT_MATCH_POLICY, MatchScore, job_is_open, profile_is_searchable
from profiler_core.models import JobId, UserId
from profiler_core.services import talent_matches, talent_search
from profiler_core.testing.fakes import (
    InMemoryJobRepository,
    InMemoryRecipeRepository,
    InMemorySessionRepository,
    InMemoryTalentProfileRepository,
)

__all__ = ["marketplace_section"]

_SHOWN_JOBS = 3
_SHOWN_CANDIDATES = 5


def _points(match: MatchScore) -> list[str]:
    return ["-" if c.is_neutral else f"{c.contribution:.1f}" for c in match.components]


def marketplace_section(platform: SamplePlatform) -> str:
    """The job board, one learner's top jobs with breakdowns, and one job's top candidates."""
    policy = DEFAULT_MATCH_POLICY
    sessions = InMemorySessionRepository(platform.sessions, platform.results)
    jobs = InMemoryJobRepository(platform.jobs)
    talent = InMemoryTalentProfileRepository(platform.talent)
    recipes = InMemoryRecipeRepository(platform.recipes)
    lines = [
        f"Policy {policy.ref}: score = skills {policy.skills_weight:g} + track {policy.track_weight:g} "
        f"+ level {policy.level_weight:g} + readiness {policy.readiness_weight:g} points; a component the "
        "job gives no basis for ('-') is neutral and its weight is shared among the others.",
        "",
        "Job board:",
        table(
            ("job", "title", "track", "level", "required skills", "open"),
            [
                (
                    job.id,
                    job.title,
                    job.track.value if job.track else "-",
                    job.level.value if job.level else "-",
                    " ".join(job.required_skills),
                    "yes"
                    if job_is_open(job, now=platform.now)
                    else ("no (inactive)" if not job.is_active else "no (deadline passed)"),
                )
                for job in platform.jobs
            ],
        ),
    ]

    learner = platform.learners[0]
    answer = talent_matches(
        learner,
        sessions=sessions,
        jobs=jobs,
        talent=talent,
        recipes=recipes,
        now=platform.now,
        limit=_SHOWN_JOBS,
    )
    lines += [
        "",
        f"Top {_SHOWN_JOBS} jobs for {learner} (session {answer.session_id}, recommended track "
        f"{answer.recommended_track.value if answer.recommended_track else '-'}): {answer.message}",
        table(
            ("rank", "job", "score", "skills", "track", "level", "readiness", "matched", "missing"),
            [
                (
                    str(ranked.rank),
                    ranked.job.id,
                    f"{ranked.match.score:.1f}",
                    *_points(ranked.match),
                    " ".join(ranked.match.matched_skills) or "-",
                    " ".join(ranked.match.missing_skills) or "-",
                )
                for ranked in answer.matches
            ],
        ),
    ]
    if answer.matches:
        best = answer.matches[0].match
        lines.append(f"Why {best.job_id} ranks first:")
        lines += [f"  [{r.code}] {r.message}" for r in best.reasons]
        lines.append("Missing skills and the recipes that teach them:")
        lines += [
            f"  {ranked.job.id} {link.skill}: "
            + (", ".join(r.slug for r in link.recipes) or "no active recipe teaches it yet")
            for ranked in answer.matches
            for link in ranked.match.skill_recipes
        ]
    unprofiled = next(
        (u for u in platform.learners if not sessions.latest_completed_sessions([u])), UserId("nobody")
    )
    waiting = talent_matches(unprofiled, sessions=sessions, jobs=jobs, talent=talent, now=platform.now)
    lines.append(f"{unprofiled} ({waiting.status.value}): {waiting.message}")

    job_id = JobId("job-01")
    search = talent_search(
        job_id,
        jobs=jobs,
        talent=talent,
        sessions=sessions,
        recipes=recipes,
        now=platform.now,
        limit=_SHOWN_CANDIDATES,
    )
    ranking = search.ranking
    left_out = ", ".join(f"{code} {count}" for code, count in sorted(ranking.excluded.items())) or "none"
    private = sum(1 for p in platform.talent if not profile_is_searchable(p))
    lines += [
        "",
        f"Top {_SHOWN_CANDIDATES} candidates for {job_id}. Employer-facing search sees only visible profiles "
        f"with share consent ({private} of {len(platform.talent)} profiles never reach it); "
        f"scored {ranking.considered}, left out: {left_out}.",
        table(
            ("rank", "learner", "score", "skills", "track", "level", "readiness", "missing"),
            [
                (
                    str(ranked.rank),
                    ranked.profile.user_id,
                    f"{ranked.match.score:.1f}",
                    *_points(ranked.match),
                    " ".join(ranked.match.missing_skills) or "-",
                )
                for ranked in ranking.matches
            ],
        ),
    ]
    for closed_id in (JobId("job-06"), JobId("job-07")):
        closed = talent_search(closed_id, jobs=jobs, talent=talent, sessions=sessions, now=platform.now)
        reason = closed.ranking.reasons[0]
        lines.append(
            f"Candidates for {closed_id}: {closed.ranking.status.value} [{reason.code}] {reason.message}"
        )
    return "\n".join(lines)

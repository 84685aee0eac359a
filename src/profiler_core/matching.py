"""Marketplace talent matching (SPEC §8): explainable scores between learners and jobs.

A match score 0..100 is a weighted sum of four components, each reported with
its value (0..1), its effective weight and its contribution in points:

* **skills**: coverage of the job's required skills, ``matched / required``
  (never Jaccard: skills the job does not ask for never lower the score);
  skills compare upper-cased with whitespace collapsed, as skill codes do
  everywhere (:func:`profiler_core.taxonomy.normalise_code`);
* **track**: 1 when the learner's track is the job's track, else the learner's
  alignment percentage for the job's track / 100;
* **level**: the profiler difficulty mapped to a job level
  (:data:`JOB_LEVEL_BY_SELECTION`); same level 1, one step 0.5, else 0;
* **readiness**: ``TalentProfile.readiness_score / 100``.

A component the job gives no basis for (no track, no level, no required
skills) is *neutral*: its value is ``None``, its weight 0, and its policy weight
is shared among the other components in proportion to theirs, so it neither
helps nor hurts. Behavioral data is never an input.

:func:`score_match` scores one pair; :func:`rank_jobs` ranks open jobs for a
learner (a typed "complete the profiler" outcome without a completed session)
and :func:`rank_candidates` ranks learners for a job (employer-facing search
shows only visible profiles with share consent). Missing skills link to the
recipes that teach them (:func:`recipes_for_skills`).

**Where the rest lives.** The policy is in :mod:`profiler_core.match_policy`,
the result values in :mod:`profiler_core.match_results` and the one-pair
scorer in :mod:`profiler_core.match_scoring`; their public names are
re-exported here, so ``from profiler_core.matching import MatchScore`` keeps
working.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TypeVar, cast

from profiler_core.decisions import Reason
from profiler_core.errors import InvalidValueError
from profiler_core.match_policy import (
    DEFAULT_MATCH_POLICY,
    JOB_LEVEL_BY_SELECTION,
    MatchComponentKind,
    MatchPolicy,
    job_level_for_selection,
    level_fit,
)
from profiler_core.match_results import (
    CandidateRanking,
    JobRanking,
    MatchComponent,
    MatchScore,
    MatchStatus,
    RankedCandidate,
    RankedJob,
    SkillRecipes,
)
from profiler_core.match_scoring import (
    _Plan,
    _plan,
    _recipe_index,
    _score,
    _SkillKeys,
    recipes_for_skills,
    score_match,
)
from profiler_core.models import (
    IdLike,
    JobId,
    JobPosting,
    ProfilerSession,
    Recipe,
    TalentProfile,
    UserId,
    _canonical_keys,
    require_aware,
)
from profiler_core.skill_codes import DEFAULT_SKILL_CROSSWALK, SkillCrosswalk
from profiler_core.vocabulary import COMPLETED_STATUSES

# Names from match_policy, match_results and match_scoring are re-exported: this module
# is the public face of matching, as it was before they moved.
__all__ = [
    "JOB_LEVEL_BY_SELECTION",
    "job_level_for_selection",
    "level_fit",
    "MatchComponentKind",
    "MatchStatus",
    "MatchPolicy",
    "DEFAULT_MATCH_POLICY",
    "MatchComponent",
    "SkillRecipes",
    "MatchScore",
    "RankedJob",
    "RankedCandidate",
    "JobRanking",
    "CandidateRanking",
    "score_match",
    "recipes_for_skills",
    "job_is_open",
    "profile_is_searchable",
    "rank_jobs",
    "rank_candidates",
]

#: The key type of a mapping keyed by learner id (``str``, ``int`` or ``UUID``).
_Key = TypeVar("_Key", bound=IdLike)


# --- eligibility --------------------------------------------------------------


def _closed_reason(job: JobPosting, now: datetime) -> Reason | None:
    if not job.is_active:
        return Reason(code="job_inactive", message=f"Job {job.id} is inactive.")
    if job.application_deadline is not None and job.application_deadline <= now:
        return Reason(
            code="job_deadline_passed",
            message=f"Job {job.id}'s application deadline {job.application_deadline.isoformat()} has passed.",
        )
    return None


def job_is_open(job: JobPosting, *, now: datetime) -> bool:
    """Active, and either no deadline or a deadline still ahead of *now* (``deadline > now``).

    >>> from datetime import UTC, datetime
    >>> from profiler_core import JobId, JobPosting
    >>> now = datetime(2026, 1, 1, tzinfo=UTC)
    >>> job = JobPosting(id=JobId("j"), title="SOC", employer_id="e", application_deadline=now)
    >>> job_is_open(job, now=now)
    False

    Raises:
        InvalidValueError: *now* is naive.
    """
    # Up front, even when no job has a deadline, so a call never works only by luck.
    require_aware(now)
    return _closed_reason(job, now) is None


def profile_is_searchable(profile: TalentProfile) -> bool:
    """Employer-facing search shows a profile only when it is visible *and* shared with consent."""
    return profile.is_visible and profile.employer_share_consent


# --- ranking ------------------------------------------------------------------


def _check_limit(limit: int) -> None:
    if isinstance(limit, bool) or limit < 1:
        raise InvalidValueError(field="limit", reason="must be >= 1")


def _is_completed(session: ProfilerSession | None) -> bool:
    return session is not None and session.status.is_completed


def rank_jobs(
    profile: TalentProfile,
    jobs: Iterable[JobPosting],
    *,
    session: ProfilerSession | None,
    now: datetime,
    limit: int = 10,
    recipes: Iterable[Recipe] | None = None,
    policy: MatchPolicy = DEFAULT_MATCH_POLICY,
    crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK,
) -> JobRanking:
    """Rank the open jobs for one learner, best first (SPEC §8).

    Inactive jobs and jobs whose deadline is not after *now* are excluded (and
    counted in ``excluded``). Ties go to the smaller job id, so the result does
    not depend on the order of *jobs*. Without a completed *session* the
    outcome is ``profiler_incomplete`` with reason ``complete_profiler``, and
    no job is scored.

    Args:
        profile: the learner's talent profile.
        jobs: the candidate postings (closed ones are filtered out here too).
        session: the learner's latest completed session (see
            :func:`profiler_core.mapping.latest_completed_session`).
        now: the time deadlines are compared with.
        limit: how many matches to return (>= 1).
        recipes: a recipe catalogue to link missing skills to.
        policy: the weights.
        crosswalk: how recipe codes relate to a missing skill (:func:`recipes_for_skills`).

    Raises:
        InvalidValueError: *limit* below 1, *now* naive, or *session* belongs to another learner.
    """
    _check_limit(limit)
    require_aware(now)
    if session is None or not _is_completed(session):
        return _needs_profiler(profile, policy)
    if session.user_id != profile.user_id:
        raise InvalidValueError(field="session", reason="belongs to another learner than the profile")
    index = None if recipes is None else _recipe_index(recipes, crosswalk)
    scored, excluded = _score_open_jobs(profile, jobs, session, now=now, recipe_index=index, policy=policy)
    top = heapq.nsmallest(limit, scored, key=lambda item: (item[0], item[1]))
    matches = [RankedJob(rank=i, job=job, match=match) for i, (_, _, job, match) in enumerate(top, start=1)]
    return JobRanking(
        learner_id=profile.user_id,
        status=MatchStatus.MATCHED if matches else MatchStatus.NO_MATCHES,
        matches=matches,
        session_id=session.id,
        recommended_track=session.recommended_track,
        considered=len(scored),
        excluded={code: excluded[code] for code in sorted(excluded)},
        reasons=(_jobs_reason(len(scored), len(matches), sum(excluded.values())),),
        policy=policy.ref,
    )


def _needs_profiler(profile: TalentProfile, policy: MatchPolicy) -> JobRanking:
    """The ranking of a learner without a completed session: complete the profiler first."""
    return JobRanking(
        learner_id=profile.user_id,
        status=MatchStatus.PROFILER_INCOMPLETE,
        matches=(),
        reasons=(
            Reason(
                code="complete_profiler",
                message="No completed profiler session: complete the profiler to see job matches.",
            ),
        ),
        policy=policy.ref,
    )


_ScoredJob = tuple[float, JobId, JobPosting, MatchScore]


def _score_open_jobs(
    profile: TalentProfile,
    jobs: Iterable[JobPosting],
    session: ProfilerSession,
    *,
    now: datetime,
    recipe_index: Mapping[str, Sequence[Recipe]] | None,
    policy: MatchPolicy,
) -> tuple[list[_ScoredJob], dict[str, int]]:
    """Every open job scored for the learner (sort key first), and the closed ones counted by reason."""
    excluded: dict[str, int] = {}
    scored: list[_ScoredJob] = []
    for job in jobs:
        closed = _closed_reason(job, now)
        if closed is not None:
            excluded[closed.code] = excluded.get(closed.code, 0) + 1
            continue
        match = _score(
            _plan(job, policy),
            profile,
            track=session.recommended_track,
            selection=session.difficulty_selection,
            alignment=session.track_alignment_percentages,
            session_id=session.id,
            recipe_index=recipe_index,
        )
        scored.append((-match.score, job.id, job, match))
    return scored, excluded


def _jobs_reason(scored: int, shown: int, closed: int) -> Reason:
    if shown:
        return Reason(
            code="jobs_ranked",
            message=f"Ranked {scored} open job(s) ({closed} closed excluded); showing the top {shown}.",
        )
    return Reason(code="no_open_jobs", message=f"No open job to match ({closed} closed excluded).")


_Candidate = tuple[float, str, int, TalentProfile, ProfilerSession]


class _Tally:
    """How many profiles were scored, and how many were left out and why (a per-call counter)."""

    __slots__ = ("hidden", "no_consent", "scored", "unprofiled")

    def __init__(self) -> None:
        self.hidden = self.no_consent = self.unprofiled = self.scored = 0

    def counts(self) -> dict[str, int]:
        """The tally keyed by the reason codes the ranking's ``excluded`` counts use."""
        return {
            "scored": self.scored,
            "profile_hidden": self.hidden,
            "share_consent_missing": self.no_consent,
            "candidate_profiler_incomplete": self.unprofiled,
        }


def _eligible(
    profiles: Iterable[TalentProfile],
    sessions: Mapping[UserId, ProfilerSession],
    tally: _Tally,
    *,
    employer_facing: bool,
) -> Iterator[tuple[int, TalentProfile, ProfilerSession]]:
    """The profiles that may be ranked, with their position and completed session; the rest counted."""
    lookup = sessions.get
    for position, profile in enumerate(profiles):
        if employer_facing and not (profile.is_visible and profile.employer_share_consent):
            if profile.is_visible:
                tally.no_consent += 1
            else:
                tally.hidden += 1
            continue
        session = lookup(profile.user_id)
        if session is None or session.status not in COMPLETED_STATUSES:
            tally.unprofiled += 1
            continue
        yield position, profile, session


def _cheap_top(
    plan: _Plan,
    profiles: Iterable[TalentProfile],
    sessions: Mapping[UserId, ProfilerSession],
    *,
    limit: int,
    employer_facing: bool,
) -> tuple[list[_Candidate], dict[str, int]]:
    """The top *limit* (score desc, user id asc) of the eligible profiles, and the counts.

    The hot path of :func:`rank_candidates`: it repeats :func:`_score`'s
    arithmetic on plain numbers, in the same order, so the cheap score equals
    the full breakdown's score exactly, and builds no object per profile.
    """
    tally = _Tally()
    scored = 0
    # Only profiles that can still reach the top are kept: `best` is a min-heap
    # of the `limit` best scores so far and `floor` its smallest. Ties with the
    # floor are kept too, so the final tie-break by user id is exact.
    best: list[float] = []
    floor = -1.0
    kept: list[_Candidate] = []
    keep, push, replace = kept.append, heapq.heappush, heapq.heapreplace
    skills_points, track_points, job_track = plan.skills_points, plan.track_points, plan.job.track
    level_points, readiness_points, required = plan.level_points, plan.readiness_points, len(plan.labels)
    key_of = _SkillKeys().__getitem__
    intersection = plan.keys.intersection
    for position, profile, session in _eligible(profiles, sessions, tally, employer_facing=employer_facing):
        skills = (
            skills_points * len(intersection(map(key_of, profile.skills))) / required
            if skills_points
            else 0.0
        )
        if job_track is None:
            track = 0.0
        elif (session.recommended_track or profile.primary_track_key) is job_track:
            track = track_points
        else:
            percentage = session.track_alignment_percentages.get(job_track)
            track = 0.0 if percentage is None else track_points * percentage / 100.0
        readiness_score = profile.readiness_score
        readiness = 0.0 if readiness_score is None else readiness_points * readiness_score / 100.0
        score = skills + track + level_points[session.difficulty_selection] + readiness
        score = 100.0 if score > 100.0 else score
        scored += 1
        if score < floor:
            continue
        keep((-score, profile.user_id, position, profile, session))
        if len(best) < limit:
            push(best, score)
            if len(best) == limit:
                floor = best[0]
        elif score > floor:
            replace(best, score)
            floor = best[0]
    tally.scored = scored
    return heapq.nsmallest(limit, kept), tally.counts()


def rank_candidates(
    job: JobPosting,
    profiles: Iterable[TalentProfile],
    *,
    sessions: Mapping[_Key, ProfilerSession],
    now: datetime,
    limit: int = 10,
    employer_facing: bool = True,
    recipes: Iterable[Recipe] | None = None,
    policy: MatchPolicy = DEFAULT_MATCH_POLICY,
    crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK,
) -> CandidateRanking:
    """Rank learners for one job, best first, with full breakdowns for the top *limit* (SPEC §8).

    Built for large populations: the job's skill keys and weights are worked
    out once, every profile gets a cheap score (the same arithmetic as
    :func:`score_match`, without building objects), the top *limit* are
    selected with a heap, and only those get a full :class:`MatchScore`.

    In employer-facing search (the default) only profiles that are visible
    *and* shared with consent appear. Learners without a completed session in
    *sessions* are left out (counted as ``candidate_profiler_incomplete``). A
    closed job (inactive, or deadline not after *now*) gives ``job_closed``.
    Ties go to the smaller user id; user ids are expected to be unique.

    Args:
        job: the posting.
        profiles: the talent profiles to consider.
        sessions: each learner's latest completed session, by user id (e.g.
            ``SessionRepository.latest_completed_sessions``); the keys may be
            ``str``, ``int`` or ``UUID`` (canonicalised: ``100`` finds user ``"100"``).
        now: the time the deadline is compared with.
        limit: how many candidates to return (>= 1).
        employer_facing: ``False`` only for internal tooling that may see hidden profiles.
        recipes: a recipe catalogue to link missing skills to.
        policy: the weights.
        crosswalk: how recipe codes relate to a missing skill (:func:`recipes_for_skills`).

    Raises:
        InvalidValueError: *limit* below 1, or *now* naive.
    """
    _check_limit(limit)
    require_aware(now)
    closed = _closed_reason(job, now)
    if closed is not None:
        return CandidateRanking(
            job_id=job.id, status=MatchStatus.JOB_CLOSED, matches=(), reasons=(closed,), policy=policy.ref
        )
    plan = _plan(job, policy)
    by_user = cast("Mapping[UserId, ProfilerSession]", _canonical_keys(sessions, field="sessions"))
    top, tally = _cheap_top(plan, profiles, by_user, limit=limit, employer_facing=employer_facing)
    scored = tally.pop("scored")
    index = None if recipes is None else _recipe_index(recipes, crosswalk)
    matches = [
        RankedCandidate(rank=rank, profile=profile, match=_full_match(plan, profile, session, index))
        for rank, (_, _, _, profile, session) in enumerate(top, start=1)
    ]
    excluded = {code: count for code, count in tally.items() if count}
    return CandidateRanking(
        job_id=job.id,
        status=MatchStatus.MATCHED if matches else MatchStatus.NO_MATCHES,
        matches=matches,
        considered=scored,
        excluded=excluded,
        reasons=(_candidates_reason(job.id, scored, len(matches), sum(excluded.values())),),
        policy=policy.ref,
    )


def _full_match(
    plan: _Plan,
    profile: TalentProfile,
    session: ProfilerSession,
    recipe_index: Mapping[str, Sequence[Recipe]] | None,
) -> MatchScore:
    """The full breakdown of one ranked candidate, from their completed session's signals."""
    return _score(
        plan,
        profile,
        track=session.recommended_track,
        selection=session.difficulty_selection,
        alignment=session.track_alignment_percentages,
        session_id=session.id,
        recipe_index=recipe_index,
    )


def _candidates_reason(job_id: JobId, scored: int, shown: int, left_out: int) -> Reason:
    if shown:
        return Reason(
            code="candidates_ranked",
            message=f"Ranked {scored} candidate(s) for job {job_id} ({left_out} left out); "
            f"showing the top {shown}.",
        )
    return Reason(
        code="no_eligible_candidates",
        message=f"No eligible candidate for job {job_id} ({left_out} left out).",
    )

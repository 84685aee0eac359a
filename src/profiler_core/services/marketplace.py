"""Marketplace use cases (SPEC §8): a learner's talent matches and an employer's talent search.

Logs on ``profiler_core.marketplace``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import attrs
from attrs import field, frozen

from profiler_core._logging import get_logger
from profiler_core.decisions import Explained, PolicyRef, Reason, _reasons
from profiler_core.errors import InvalidValueError
from profiler_core.frozenmap import FrozenMap
from profiler_core.match_results import _ranked_jobs
from profiler_core.matching import (
    DEFAULT_MATCH_POLICY,
    CandidateRanking,
    JobRanking,
    MatchPolicy,
    MatchStatus,
    RankedJob,
    job_is_open,
    rank_candidates,
    rank_jobs,
)
from profiler_core.models import (
    IdLike,
    JobId,
    JobPosting,
    ProfilerSession,
    Recipe,
    SessionId,
    TalentProfile,
    UserId,
    _to_id,
    _to_optional_id,
    _valid_id,
    _valid_optional_id,
    require_aware,
)
from profiler_core.ports import (
    JobRepository,
    RecipeRepository,
    SessionRepository,
    TalentProfileRepository,
)
from profiler_core.services._common import _Guard, _id_arg, _is_degraded
from profiler_core.services.recipes import _crosswalk_codes
from profiler_core.skill_codes import DEFAULT_SKILL_CROSSWALK, SkillCrosswalk
from profiler_core.taxonomy import normalise_code
from profiler_core.vocabulary import TrackKey

__all__ = [
    "TalentMatches",
    "TalentSearch",
    "talent_matches",
    "talent_search",
    "TALENT_MATCH_MESSAGES",
]


_marketplace_log = get_logger("marketplace")


def _check_match_limit(limit: int) -> None:
    # Same rule and error as profiler_core.matching's rankings, checked before any repository call.
    if isinstance(limit, bool) or limit < 1:
        raise InvalidValueError(field="limit", reason="must be >= 1")


#: The ``message`` of :class:`TalentMatches`, by status (and for a degraded answer); read-only.
TALENT_MATCH_MESSAGES: FrozenMap[str, str] = FrozenMap(
    {
        MatchStatus.MATCHED: "Your best job matches, with what each needs.",
        MatchStatus.NO_MATCHES: "No open job postings to match right now.",
        MatchStatus.PROFILER_INCOMPLETE: "Complete the profiler to see your job matches.",
        "degraded": "Job matches are partly unavailable right now; please try again later.",
    }
)


@frozen(kw_only=True)
class TalentMatches(Explained):
    """What ``GET /api/v1/marketplace/talent-matches`` returns for a learner (``unstructure`` gives the body).

    Attributes:
        learner_id: the learner.
        status: ``matched``, ``no_matches`` or ``profiler_incomplete``.
        recommended_track: the recommended track of the learner's latest completed session.
        session_id: that session.
        matches: the top open jobs, best first, each with its full breakdown.
        message: one sentence for the learner (see :data:`TALENT_MATCH_MESSAGES`).
        reasons: why (ranking reasons, plus any degradation).
        policy: the matching policy.
        degraded: derived: ``True`` when a repository failed and the answer is
            partial (a ``*_unavailable`` reason is present).
    """

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    status: MatchStatus
    recommended_track: TrackKey | None
    session_id: SessionId | None = field(converter=_to_optional_id, validator=_valid_optional_id)
    matches: tuple[RankedJob, ...] = field(converter=_ranked_jobs)
    message: str
    reasons: tuple[Reason, ...] = field(converter=_reasons)
    policy: PolicyRef
    degraded: bool = field(init=False)

    @degraded.default
    def _derive_degraded(self) -> bool:
        # Derived, never passed in: degraded exactly when a degraded reason is present.
        return _is_degraded(self.reasons)


@frozen(kw_only=True)
class TalentSearch:
    """An employer's talent search for one job: the candidate ranking, and whether it is partial.

    ``degraded`` is derived: ``True`` when a repository failed (a ``*_unavailable``
    reason among the ranking's reasons). ``unstructure(search)`` is the ranking's
    JSON plus ``"degraded"``.
    """

    ranking: CandidateRanking
    degraded: bool = field(init=False)

    @degraded.default
    def _derive_degraded(self) -> bool:
        # Derived, never passed in: degraded exactly when a degraded reason is present.
        return _is_degraded(self.ranking.reasons)


_RECIPES_UNAVAILABLE = Reason(
    code="recipes_unavailable",
    message="The recipe catalogue is unavailable; missing skills are listed without recipes.",
)
_JOBS_UNAVAILABLE = Reason(code="jobs_unavailable", message="Job postings are unavailable.")


def _recipe_catalogue(
    recipes: RecipeRepository | None, skills: Iterable[str], guard: _Guard, crosswalk: SkillCrosswalk
) -> tuple[Recipe, ...] | None:
    # The port expects normalised codes (see RecipeRepository.active_recipes_with_codes);
    # the crosswalk's real codes for the skills too, so related recipes can be linked.
    codes = sorted({normalise_code(c) for c in _crosswalk_codes(list(skills), crosswalk)} - {""})
    if recipes is None or not codes:
        return None
    return guard.fetch(
        lambda: tuple(recipes.active_recipes_with_codes(codes)),
        None,
        "recipe lookup failed; matches listed without recipes",
        _RECIPES_UNAVAILABLE,
    )


def talent_matches(
    learner_id: IdLike,
    *,
    sessions: SessionRepository,
    jobs: JobRepository,
    talent: TalentProfileRepository,
    now: datetime,
    recipes: RecipeRepository | None = None,
    limit: int = 10,
    policy: MatchPolicy = DEFAULT_MATCH_POLICY,
    crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK,
) -> TalentMatches:
    """The learner's best open jobs with explainable breakdowns (SPEC §8).

    At most four repository calls whatever the number of jobs: the latest
    completed session, the talent profile, the open jobs, and (with *recipes*)
    one recipe lookup for every skill the open jobs require. Without a
    completed session the answer is ``profiler_incomplete`` and asks the learner
    to complete the profiler (no further call is made). A learner without a
    talent profile is matched on an empty one (no skills, no readiness), with
    reason ``talent_profile_missing``. A session or talent profile of another
    user (a faulty adapter) is dropped with a WARNING and counts as absent. A
    repository failure (:func:`~profiler_core.errors.is_repository_failure`) is
    logged at WARNING and degrades the answer with a reason; any other
    exception from an adapter propagates, and so do invalid arguments.

    Args:
        learner_id: the learner (``str``, ``int`` or ``UUID``; canonicalised first).
        sessions: the session port.
        jobs: the job port.
        talent: the talent-profile port.
        now: the time deadlines are compared with (timezone-aware).
        recipes: the recipe port; when given, missing skills link to the
            recipes that teach them (one ``active_recipes_with_codes`` call).
        limit: how many matches (>= 1).
        policy: the matching policy.
        crosswalk: how recipe codes relate to a missing skill (the recipe
            engine's relation): the recipe lookup also asks for the crosswalk's
            real codes of the required skills, and a missing ``SIEM`` links to a
            ``SIEM_RULE_WRITING`` recipe.

    Raises:
        InvalidValueError: *limit* below 1 or *now* naive, as
            :func:`~profiler_core.matching.rank_jobs` raises, or *learner_id* not
            an id; checked before any repository call.
    """
    _check_match_limit(limit)
    require_aware(now)
    learner = UserId(_id_arg(learner_id, "learner_id"))
    guard = _Guard(log=_marketplace_log, extra={"learner_id": learner})
    session = guard.fetch(
        lambda: guard.owned_map(
            sessions.latest_completed_sessions([learner]), [learner], _owner, "a latest session"
        ).get(learner),
        None,
        "session repository failed; no matches",
        Reason(code="profiler_unavailable", message="Profiler data is unavailable; no job is matched."),
    )
    profile = TalentProfile(user_id=learner)
    open_jobs: Sequence[JobPosting] = ()
    catalogue: tuple[Recipe, ...] | None = None
    if session is not None:
        profile = _learner_profile(learner, talent, guard)
        open_jobs = guard.fetch(
            lambda: jobs.active_jobs(now=now),
            open_jobs,
            "job repository failed; no matches",
            _JOBS_UNAVAILABLE,
        )
        skills = [s for job in open_jobs for s in job.required_skills]
        catalogue = _recipe_catalogue(recipes, skills, guard, crosswalk)
    ranking = rank_jobs(
        profile,
        open_jobs,
        session=session,
        now=now,
        limit=limit,
        recipes=catalogue,
        policy=policy,
        crosswalk=crosswalk,
    )
    return _talent_matches_outcome(learner, ranking, guard)


def _learner_profile(learner: UserId, talent: TalentProfileRepository, guard: _Guard) -> TalentProfile:
    """The learner's talent profile; an empty one (with a reason) when they have none or it is unreadable."""
    talent_down = Reason(
        code="talent_unavailable",
        message="Talent profiles are unavailable; matched on profiler data alone.",
    )
    found = guard.fetch(
        lambda: guard.owned_map(
            talent.profiles_for_users([learner]), [learner], _owner, "a talent profile"
        ).get(learner),
        None,
        "talent repository failed",
        talent_down,
    )
    if found is not None:
        return found
    if not guard.failed(talent_down):
        guard.notes.append(
            Reason(
                code="talent_profile_missing",
                message=f"Learner {learner} has no talent profile; matched on profiler data "
                "alone (no skills, no readiness).",
            )
        )
    return TalentProfile(user_id=learner)


def _talent_matches_outcome(learner: UserId, ranking: JobRanking, guard: _Guard) -> TalentMatches:
    """The answer from the ranking and what failed on the way; logged once."""
    degraded = _is_degraded(guard.notes)
    if degraded and ranking.status is MatchStatus.PROFILER_INCOMPLETE:
        # We could not read the session: we do not know the profiler is incomplete.
        status, reasons = MatchStatus.NO_MATCHES, list(guard.notes)
    else:
        status, reasons = ranking.status, [*ranking.reasons, *guard.notes]
    guard.decided(
        "talent matches ranked",
        learner_id=learner,
        session_id=ranking.session_id,
        status=status.value,
        job_ids=[m.job.id for m in ranking.matches],
        scores=[round(m.match.score, 2) for m in ranking.matches],
        considered=ranking.considered,
        excluded=dict(ranking.excluded),
        reason_codes=[r.code for r in reasons],
        policy=str(ranking.policy),
        degraded=degraded,
    )
    return TalentMatches(
        learner_id=learner,
        status=status,
        recommended_track=ranking.recommended_track,
        session_id=ranking.session_id,
        matches=ranking.matches,
        message=TALENT_MATCH_MESSAGES["degraded" if degraded else status],
        reasons=reasons,
        policy=ranking.policy,
    )


def _owner(row: ProfilerSession | TalentProfile) -> str:
    return row.user_id


def _job_by_id(jobs: JobRepository, job_id: JobId, guard: _Guard) -> JobPosting | None:
    """The posting *job_id*, or ``None``: one call; a posting of another id counts as absent."""
    return guard.owned_map(jobs.jobs_by_ids([job_id]), [job_id], lambda j: j.id, "a job").get(job_id)


def _searchable_candidates(
    talent: TalentProfileRepository, sessions: SessionRepository, guard: _Guard
) -> tuple[Sequence[TalentProfile], dict[UserId, ProfilerSession]]:
    """The searchable profiles and their latest completed sessions: two calls (one without profiles)."""
    profiles = talent.searchable_profiles()
    users = [p.user_id for p in profiles]
    found = (
        guard.owned_map(sessions.latest_completed_sessions(users), users, _owner, "a latest session")
        if profiles
        else {}
    )
    return profiles, {UserId(user): session for user, session in found.items()}


def talent_search(
    job_id: IdLike,
    *,
    jobs: JobRepository,
    talent: TalentProfileRepository,
    sessions: SessionRepository,
    now: datetime,
    recipes: RecipeRepository | None = None,
    limit: int = 10,
    policy: MatchPolicy = DEFAULT_MATCH_POLICY,
    crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK,
) -> TalentSearch:
    """An employer's talent search: the best visible, consenting candidates for one job (SPEC §8).

    At most four repository calls whatever the population: the job, the
    searchable profiles, their latest completed sessions (one batch call), and
    (with *recipes*) one recipe lookup for the job's skills. An unknown job
    gives ``job_not_found``; a closed one ``job_closed`` after the job read
    alone (no profile, session or recipe is read). A job of another id, or a
    session filed under another learner (a faulty adapter), is dropped with a
    WARNING. A repository failure is logged at WARNING and degrades the answer
    with a reason; any other exception from an adapter propagates.

    Args:
        job_id: the job (``str``, ``int`` or ``UUID``; canonicalised first).
        jobs: the job port.
        talent: the talent-profile port.
        sessions: the session port.
        now: the time the deadline is compared with (timezone-aware).
        recipes: see :func:`talent_matches`.
        limit: how many candidates (>= 1).
        policy: the matching policy.
        crosswalk: see :func:`talent_matches`.

    Raises:
        InvalidValueError: *limit* below 1 or *now* naive, as
            :func:`~profiler_core.matching.rank_candidates` raises, or *job_id*
            not an id; checked before any repository call.
    """
    _check_match_limit(limit)
    require_aware(now)
    job_key = JobId(_id_arg(job_id, "job_id"))
    guard = _Guard(log=_marketplace_log, extra={"job_id": job_key})
    job = guard.fetch(
        lambda: _job_by_id(jobs, job_key, guard),
        None,
        "job repository failed; no candidates",
        _JOBS_UNAVAILABLE,
    )
    if job is None:
        ranking = _job_missing(job_key, policy, guard)
    elif not job_is_open(job, now=now):
        # The pure ranking gives job_closed with why; no candidate needs reading for it.
        ranking = rank_candidates(job, (), sessions={}, now=now, limit=limit, policy=policy)
    else:
        no_candidates: tuple[Sequence[TalentProfile], dict[UserId, ProfilerSession]] = ((), {})
        profiles, latest = guard.fetch(
            lambda: _searchable_candidates(talent, sessions, guard),
            no_candidates,
            "talent search failed; no candidates",
            Reason(code="talent_unavailable", message="Talent profiles or profiler data are unavailable."),
        )
        catalogue = _recipe_catalogue(recipes, job.required_skills, guard, crosswalk)
        ranking = rank_candidates(
            job,
            profiles,
            sessions=latest,
            now=now,
            limit=limit,
            employer_facing=True,
            recipes=catalogue,
            policy=policy,
            crosswalk=crosswalk,
        )
    return _talent_search_outcome(job_key, ranking, guard)


def _job_missing(job_key: JobId, policy: MatchPolicy, guard: _Guard) -> CandidateRanking:
    """The ranking of a job that could not be found: unknown, or its repository failed."""
    missing = (
        _JOBS_UNAVAILABLE
        if guard.failed(_JOBS_UNAVAILABLE)
        else Reason(code="job_not_found", message=f"Job {job_key} does not exist.")
    )
    return CandidateRanking(
        job_id=job_key, status=MatchStatus.JOB_NOT_FOUND, matches=(), reasons=(missing,), policy=policy.ref
    )


def _talent_search_outcome(job_key: JobId, ranking: CandidateRanking, guard: _Guard) -> TalentSearch:
    """The answer: the ranking with what failed on the way among its reasons; logged once."""
    if guard.notes and ranking.status is not MatchStatus.JOB_NOT_FOUND:
        ranking = attrs.evolve(ranking, reasons=(*ranking.reasons, *guard.notes))
    search = TalentSearch(ranking=ranking)
    guard.decided(
        "talent search ranked",
        job_id=job_key,
        status=ranking.status.value,
        user_ids=[m.profile.user_id for m in ranking.matches],
        scores=[round(m.match.score, 2) for m in ranking.matches],
        considered=ranking.considered,
        excluded=dict(ranking.excluded),
        reason_codes=list(ranking.reason_codes),
        policy=str(ranking.policy),
        degraded=search.degraded,
    )
    return search

"""Marketplace talent matching (SPEC §8): explainable scores between learners and jobs.

A match score 0..100 is a weighted sum of four components, each reported with
its value (0..1), its effective weight and its contribution in points:

* **skills**: coverage of the job's required skills, ``matched / required``
  (never Jaccard: skills the job does not ask for never lower the score);
  skills compare upper-cased with whitespace collapsed, as skill codes do
  everywhere (:func:`profiler_core.gaps.normalise_code`);
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
"""

from __future__ import annotations

import enum
import heapq
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TypeGuard, TypeVar, cast

from attrs import field, frozen

from profiler_core.decisions import PolicyRef, Reason
from profiler_core.errors import InvalidValueError, PolicyError
from profiler_core.frozenmap import FrozenMap
from profiler_core.gaps import normalise_code, recipes_by_code
from profiler_core.models import (
    IdLike,
    JobId,
    JobPosting,
    ProfilerSession,
    Recipe,
    SessionId,
    TalentProfile,
    UserId,
    _canonical_keys,
    _to_id,
    _to_optional_id,
    _valid_id,
    _valid_optional_id,
    canonical_id,
    require_aware,
)
from profiler_core.vocabulary import DifficultySelection, JobLevel, SessionStatus, TrackKey

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

#: Profiler difficulty selection -> job level (SPEC §8).
JOB_LEVEL_BY_SELECTION: Mapping[DifficultySelection, JobLevel] = FrozenMap(
    {
        DifficultySelection.NOVICE: JobLevel.ENTRY,
        DifficultySelection.BEGINNER: JobLevel.ENTRY,
        DifficultySelection.INTERMEDIATE: JobLevel.MID,
        DifficultySelection.ADVANCED: JobLevel.SENIOR,
        DifficultySelection.ELITE: JobLevel.EXPERT,
    }
)

# Without a selection the learner is placed at entry level, as the missions
# engine places them at ceiling 1 (SPEC §3): the default is explicit and has a reason.
_DEFAULT_LEVEL = JobLevel.ENTRY
# Every selection a session can hold, including "not selected".
_SELECTIONS: tuple[DifficultySelection | None, ...] = (*DifficultySelection, None)

# Floating-point slack allowed between a score and the sum of its contributions.
_SUM_TOLERANCE = 1e-9


def job_level_for_selection(selection: DifficultySelection | None) -> JobLevel | None:
    """The job level a profiler selection maps to; ``None`` when nothing was selected.

    >>> [job_level_for_selection(s).value for s in DifficultySelection]
    ['entry', 'entry', 'mid', 'senior', 'expert']
    >>> job_level_for_selection(None) is None
    True
    """
    return None if selection is None else JOB_LEVEL_BY_SELECTION[selection]


def _label(skill: str) -> str:
    return " ".join(skill.split())


class _SkillKeys(dict[str, str]):
    """A per-call memo of :func:`normalise_code` (skill spellings repeat across profiles)."""

    def __missing__(self, skill: str) -> str:
        key = self[skill] = normalise_code(skill)
        return key


class MatchComponentKind(enum.StrEnum):
    """The four components of a match score, in report order."""

    SKILLS = "skills"
    TRACK = "track"
    LEVEL = "level"
    READINESS = "readiness"


_KINDS = tuple(MatchComponentKind)


class MatchStatus(enum.StrEnum):
    """The outcome of a ranking.

    * ``matched``: at least one match is listed;
    * ``no_matches``: nothing eligible to rank (no open job, no searchable candidate);
    * ``profiler_incomplete``: the learner has no completed profiler session;
      they are asked to complete it (learner-facing ranking only);
    * ``job_closed``: the job is inactive or its deadline has passed (candidate ranking only);
    * ``job_not_found``: the job id is unknown (services only).
    """

    MATCHED = "matched"
    NO_MATCHES = "no_matches"
    PROFILER_INCOMPLETE = "profiler_incomplete"
    JOB_CLOSED = "job_closed"
    JOB_NOT_FOUND = "job_not_found"


# --- policy -------------------------------------------------------------------


def _finite_number(value: object) -> TypeGuard[float]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def _check_weight(instance: MatchPolicy, attribute: object, value: object) -> None:
    name = getattr(attribute, "name", "weight")
    if not _finite_number(value) or value < 0:
        raise PolicyError(policy=f"{instance.id}@{instance.version}", reason=f"{name} must be a number >= 0")


def _check_total(instance: MatchPolicy, _attribute: object, _value: object) -> None:
    # Each weight finite is not enough: 1e308 + 1e308 overflows, every effective
    # weight would become 0 and every score 0 without a word.
    weights = (
        instance.skills_weight,
        instance.track_weight,
        instance.level_weight,
        instance.readiness_weight,
    )
    if all(_finite_number(w) for w in weights) and not math.isfinite(sum(float(w) for w in weights)):
        raise PolicyError(
            policy=f"{instance.id}@{instance.version}", reason="the weights' sum must be finite"
        )


def _check_fraction(instance: MatchPolicy, _attribute: object, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise PolicyError(
            policy=f"{instance.id}@{instance.version}", reason="adjacent_level_fit must be 0..1"
        )


def _check_per_skill(instance: MatchPolicy, _attribute: object, value: int) -> None:
    if value < 0:
        raise PolicyError(policy=f"{instance.id}@{instance.version}", reason="recipes_per_skill must be >= 0")


@frozen(kw_only=True)
class MatchPolicy:
    """The versioned weights and constants of a match score.

    Weights are relative (any non-negative numbers); the score divides each by
    the sum of the weights of the components that apply to the job, so the
    default's points read directly as "out of 100".

    Attributes:
        id: policy id (``"matching"``).
        version: policy version.
        skills_weight: 50 by default: the job's explicit requirements are the
            strongest signal an employer gives.
        track_weight: 20 by default: track fit comes from the profiler's
            recommendation and alignment percentages.
        level_weight: 15 by default: the self-selected difficulty is a weaker,
            self-reported signal.
        readiness_weight: 15 by default: the platform's readiness score.
        adjacent_level_fit: level fit one step away from the job level (0.5).
        recipes_per_skill: at most this many recipes are linked per missing skill.
    """

    id: str = "matching"
    version: int = 1
    skills_weight: float = field(default=50.0, validator=_check_weight)
    track_weight: float = field(default=20.0, validator=_check_weight)
    level_weight: float = field(default=15.0, validator=_check_weight)
    readiness_weight: float = field(default=15.0, validator=[_check_weight, _check_total])
    adjacent_level_fit: float = field(default=0.5, validator=_check_fraction)
    recipes_per_skill: int = field(default=3, validator=_check_per_skill)

    @property
    def ref(self) -> PolicyRef:
        """The ``id@version`` of this policy."""
        return PolicyRef(id=self.id, version=self.version)

    @property
    def weights(self) -> Mapping[MatchComponentKind, float]:
        """The four policy weights by component.

        >>> dict(DEFAULT_MATCH_POLICY.weights)
        {<MatchComponentKind.SKILLS: 'skills'>: 50.0, <MatchComponentKind.TRACK: 'track'>: 20.0, ...}
        """
        return FrozenMap(
            {
                MatchComponentKind.SKILLS: self.skills_weight,
                MatchComponentKind.TRACK: self.track_weight,
                MatchComponentKind.LEVEL: self.level_weight,
                MatchComponentKind.READINESS: self.readiness_weight,
            }
        )


#: ``matching@1``: skills 50, track 20, level 15, readiness 15; one level step fits 0.5.
DEFAULT_MATCH_POLICY = MatchPolicy()


def level_fit(learner: JobLevel, job: JobLevel, *, policy: MatchPolicy = DEFAULT_MATCH_POLICY) -> float:
    """Level fit: same level 1, one step apart ``policy.adjacent_level_fit`` (0.5), else 0.

    >>> level_fit(JobLevel.MID, JobLevel.MID), level_fit(JobLevel.MID, JobLevel.SENIOR)
    (1.0, 0.5)
    >>> level_fit(JobLevel.ENTRY, JobLevel.EXPERT)
    0.0
    """
    steps = abs(learner.rank - job.rank)
    if steps == 0:
        return 1.0
    return float(policy.adjacent_level_fit) if steps == 1 else 0.0


# --- values -------------------------------------------------------------------


def _reasons(values: Iterable[Reason]) -> tuple[Reason, ...]:
    return tuple(values)


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _recipes(values: Iterable[Recipe]) -> tuple[Recipe, ...]:
    return tuple(values)


def _components(values: Iterable[MatchComponent]) -> tuple[MatchComponent, ...]:
    return tuple(values)


def _skill_recipes(values: Iterable[SkillRecipes]) -> tuple[SkillRecipes, ...]:
    return tuple(values)


def _counts(values: Mapping[str, int] | None) -> FrozenMap[str, int]:
    return FrozenMap(values)


def _ranked_jobs(values: Iterable[RankedJob]) -> tuple[RankedJob, ...]:
    return tuple(values)


def _ranked_candidates(values: Iterable[RankedCandidate]) -> tuple[RankedCandidate, ...]:
    return tuple(values)


@frozen(kw_only=True)
class MatchComponent:
    """One component of a match score.

    Attributes:
        kind: which component.
        value: the fit, 0..1; ``None`` when the component is neutral (the job
            gives no basis for it).
        weight: the effective weight, 0..1 (the policy weight divided by the
            sum of the applicable components' policy weights; 0 when neutral).
        contribution: the points this component adds to the score, 0..100
            (``100 x weight x value``).
    """

    kind: MatchComponentKind
    value: float | None
    weight: float
    contribution: float = field()

    @contribution.validator
    def _check(self, _attribute: object, contribution: float) -> None:
        if self.value is not None and not 0 <= self.value <= 1:
            raise InvalidValueError(field=f"{self.kind.value}.value", reason="must be 0..1")
        if not 0 <= self.weight <= 1:
            raise InvalidValueError(field=f"{self.kind.value}.weight", reason="must be 0..1")
        if self.value is None and (self.weight != 0 or contribution != 0):
            raise InvalidValueError(
                field=f"{self.kind.value}.weight", reason="a neutral component has weight 0 and adds 0"
            )
        if not math.isfinite(contribution) or not 0 <= contribution <= 100 + _SUM_TOLERANCE:
            raise InvalidValueError(field=f"{self.kind.value}.contribution", reason="must be 0..100")

    @property
    def is_neutral(self) -> bool:
        """True when the job gives no basis for this component."""
        return self.value is None


@frozen(kw_only=True)
class SkillRecipes:
    """A missing skill and the active recipes that teach it (most used first)."""

    skill: str
    recipes: tuple[Recipe, ...] = field(default=(), converter=_recipes)


@frozen(kw_only=True)
class MatchScore:
    """An explainable match between one learner and one job.

    Attributes:
        user_id: the learner.
        job_id: the job.
        score: 0..100, the sum of the components' contributions.
        components: skills, track, level and readiness, in that order.
        matched_skills: the job's required skills the learner has (job's spelling, job's order).
        missing_skills: the job's required skills the learner lacks.
        skill_recipes: for each missing skill, the recipes that teach it (when a
            catalogue was given; empty otherwise).
        reasons: why, one or two per component.
        session_id: the profiler session the learner's signals came from, if any.
        policy: the policy that scored.
    """

    user_id: UserId = field(converter=_to_id, validator=_valid_id)
    job_id: JobId = field(converter=_to_id, validator=_valid_id)
    score: float = field()
    components: tuple[MatchComponent, ...] = field(converter=_components)
    matched_skills: tuple[str, ...] = field(converter=_strings)
    missing_skills: tuple[str, ...] = field(converter=_strings)
    skill_recipes: tuple[SkillRecipes, ...] = field(default=(), converter=_skill_recipes)
    reasons: tuple[Reason, ...] = field(default=(), converter=_reasons)
    session_id: SessionId | None = field(
        default=None, converter=_to_optional_id, validator=_valid_optional_id
    )
    policy: PolicyRef = DEFAULT_MATCH_POLICY.ref

    @score.validator
    def _check_score(self, _attribute: object, score: float) -> None:
        if not math.isfinite(score) or not 0 <= score <= 100:
            raise InvalidValueError(field="score", reason="must be 0..100")

    @components.validator
    def _check_components(self, _attribute: object, components: tuple[MatchComponent, ...]) -> None:
        if tuple(c.kind for c in components) != _KINDS:
            raise InvalidValueError(field="components", reason="must be skills, track, level, readiness")
        if abs(sum(c.contribution for c in components) - self.score) > _SUM_TOLERANCE:
            raise InvalidValueError(field="score", reason="must equal the sum of the contributions")

    def component(self, kind: MatchComponentKind | str) -> MatchComponent:
        """The component of this *kind* (``"skills"``, ``"track"``, ``"level"``, ``"readiness"``)."""
        return self.components[_KINDS.index(MatchComponentKind(kind))]

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`reasons`, in order."""
        return tuple(r.code for r in self.reasons)


@frozen(kw_only=True)
class RankedJob:
    """A job in a learner's ranking: its 1-based rank, the posting and the match."""

    rank: int
    job: JobPosting
    match: MatchScore


@frozen(kw_only=True)
class RankedCandidate:
    """A learner in a job's ranking: their 1-based rank, the profile and the match."""

    rank: int
    profile: TalentProfile
    match: MatchScore


@frozen(kw_only=True)
class JobRanking:
    """Open jobs ranked for one learner (best first), or why there are none.

    Attributes:
        user_id: the learner.
        status: ``matched``, ``no_matches`` or ``profiler_incomplete``.
        matches: the top jobs, best first (score descending, then job id).
        session_id: the completed session the signals came from (``None`` without one).
        recommended_track: the session's recommended track.
        considered: how many jobs were scored.
        excluded: jobs left out, by reason code (``job_inactive``, ``job_deadline_passed``), keys sorted.
        reasons: why the outcome is what it is.
        policy: the policy that scored.
    """

    user_id: UserId = field(converter=_to_id, validator=_valid_id)
    status: MatchStatus
    matches: tuple[RankedJob, ...] = field(converter=_ranked_jobs)
    session_id: SessionId | None = field(
        default=None, converter=_to_optional_id, validator=_valid_optional_id
    )
    recommended_track: TrackKey | None = None
    considered: int = 0
    excluded: FrozenMap[str, int] = field(factory=FrozenMap, converter=_counts)
    reasons: tuple[Reason, ...] = field(default=(), converter=_reasons)
    policy: PolicyRef = DEFAULT_MATCH_POLICY.ref

    @property
    def needs_profiler(self) -> bool:
        """True when the learner must complete the profiler first."""
        return self.status is MatchStatus.PROFILER_INCOMPLETE

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`reasons`, in order."""
        return tuple(r.code for r in self.reasons)


@frozen(kw_only=True)
class CandidateRanking:
    """Learners ranked for one job (best first), or why there are none.

    Attributes:
        job_id: the job.
        status: ``matched``, ``no_matches``, ``job_closed`` (or ``job_not_found`` from a service).
        matches: the top candidates, best first (score descending, then user id).
        considered: how many profiles were scored.
        excluded: profiles left out, by reason code (``profile_hidden``,
            ``share_consent_missing``, ``candidate_profiler_incomplete``).
        reasons: why the outcome is what it is.
        policy: the policy that scored.
    """

    job_id: JobId = field(converter=_to_id, validator=_valid_id)
    status: MatchStatus
    matches: tuple[RankedCandidate, ...] = field(converter=_ranked_candidates)
    considered: int = 0
    excluded: FrozenMap[str, int] = field(factory=FrozenMap, converter=_counts)
    reasons: tuple[Reason, ...] = field(default=(), converter=_reasons)
    policy: PolicyRef = DEFAULT_MATCH_POLICY.ref

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`reasons`, in order."""
        return tuple(r.code for r in self.reasons)


# --- recipes for missing skills -----------------------------------------------


def _link(
    skills: Iterable[str], index: Mapping[str, Sequence[Recipe]], per_skill: int
) -> tuple[SkillRecipes, ...]:
    linked: dict[str, SkillRecipes] = {}
    for skill in skills:
        key = normalise_code(skill)
        if key and key not in linked:
            linked[key] = SkillRecipes(skill=_label(skill), recipes=index.get(key, [])[:per_skill])
    return tuple(linked.values())


def recipes_for_skills(
    skills: Iterable[str], recipes: Iterable[Recipe], *, per_skill: int = 3
) -> tuple[SkillRecipes, ...]:
    """For each skill, the active recipes whose ``skill_codes`` contain it.

    Skills compare with :func:`profiler_core.gaps.normalise_code` (case and
    whitespace). The recipes come from the recipe engine's own per-code index,
    :func:`profiler_core.gaps.recipes_by_code`: de-duplicated by id as the recipe
    ranking does, ordered by :func:`profiler_core.gaps.recipe_popularity_key`
    (usage count, then rating, both descending, then slug). With a single skill
    to close every candidate covers the same gap weight, so this is
    :func:`profiler_core.gaps.recommend_recipes` for that skill alone. Skills no
    recipe teaches are listed with no recipes.

    Raises:
        InvalidValueError: *per_skill* is negative.

    >>> from profiler_core import Recipe, RecipeId
    >>> catalogue = [
    ...     Recipe(id=RecipeId("r1"), slug="dns-basics", title="DNS", skill_codes=("DNS",), usage_count=5),
    ...     Recipe(id=RecipeId("r2"), slug="dns-deep", title="DNS+", skill_codes=("dns",), usage_count=9),
    ... ]
    >>> [(s.skill, [r.slug for r in s.recipes]) for s in recipes_for_skills(["Dns", "SIEM"], catalogue)]
    [('Dns', ['dns-deep', 'dns-basics']), ('SIEM', [])]
    """
    if isinstance(per_skill, bool) or per_skill < 0:
        raise InvalidValueError(field="per_skill", reason="must be >= 0")
    return _link(skills, recipes_by_code(recipes), per_skill)


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


# --- scoring ------------------------------------------------------------------


@frozen(kw_only=True)
class _Plan:
    """Everything about one job under one policy that does not depend on the learner."""

    job: JobPosting
    labels: tuple[tuple[str, str], ...]  # (key, label) of the distinct required skills, job order
    keys: frozenset[str]
    weights: tuple[float, float, float, float]  # effective weights, in _KINDS order
    # Points of a full fit per component (100 x effective weight). Contributions are
    # computed as points x numerator / denominator so round inputs give round points.
    skills_points: float
    track_points: float
    level_fits: Mapping[DifficultySelection | None, float]
    level_points: Mapping[DifficultySelection | None, float]  # already x level fit
    readiness_points: float
    policy: MatchPolicy


def _plan(job: JobPosting, policy: MatchPolicy) -> _Plan:
    labels: dict[str, str] = {}
    for skill in job.required_skills:
        key = normalise_code(skill)
        if key and key not in labels:
            labels[key] = _label(skill)
    applies = (bool(labels), job.track is not None, job.level is not None, True)
    raw = (policy.skills_weight, policy.track_weight, policy.level_weight, policy.readiness_weight)
    # A neutral component's policy weight is left out of the total, which shares
    # it among the components that apply.
    applied = [float(w) if a else 0.0 for w, a in zip(raw, applies, strict=True)]
    total = sum(applied)
    ws, wt, wl, wr = (w / total if total > 0 else 0.0 for w in applied)
    ps, pt, pl, pr = (100.0 * w / total if total > 0 else 0.0 for w in applied)
    fits: dict[DifficultySelection | None, float] = {}
    if job.level is not None:
        for selection in _SELECTIONS:
            learner = job_level_for_selection(selection) or _DEFAULT_LEVEL
            fits[selection] = level_fit(learner, job.level, policy=policy)
    return _Plan(
        job=job,
        labels=tuple(labels.items()),
        keys=frozenset(labels),
        weights=(ws, wt, wl, wr),
        skills_points=ps,
        track_points=pt,
        level_fits=fits,
        level_points={s: pl * fit for s, fit in fits.items()} or dict.fromkeys(_SELECTIONS, 0.0),
        readiness_points=pr,
        policy=policy,
    )


def _total(skills: float, track: float, level: float, readiness: float) -> float:
    # The one place the contributions are added; the bulk loop repeats this exact expression.
    score = skills + track + level + readiness
    return 100.0 if score > 100.0 else score


def _skills_part(
    plan: _Plan, learner_keys: Collection[str]
) -> tuple[MatchComponent, tuple[str, ...], tuple[str, ...], Reason]:
    matched = tuple(label for key, label in plan.labels if key in learner_keys)
    missing = tuple(label for key, label in plan.labels if key not in learner_keys)
    if not plan.labels:
        reason = Reason(
            code="no_required_skills",
            message=f"Job {plan.job.id} lists no required skills; the skills weight is shared "
            "among the other components.",
        )
        return (
            MatchComponent(kind=MatchComponentKind.SKILLS, value=None, weight=0.0, contribution=0.0),
            (),
            (),
            reason,
        )
    component = MatchComponent(
        kind=MatchComponentKind.SKILLS,
        value=len(matched) / len(plan.labels),
        weight=plan.weights[0],
        contribution=plan.skills_points * len(matched) / len(plan.labels),
    )
    reason = Reason(
        code="skills_coverage",
        message=f"Covers {len(matched)} of {len(plan.labels)} required skills; "
        "skills beyond the job's never lower the score.",
    )
    return component, matched, missing, reason


def _track_part(
    plan: _Plan, track: TrackKey | None, alignment: Mapping[TrackKey, float]
) -> tuple[MatchComponent, Reason]:
    job_track = plan.job.track
    if job_track is None:
        reason = Reason(
            code="track_not_specified",
            message=f"Job {plan.job.id} names no track; the track weight is shared among the "
            "other components.",
        )
        return MatchComponent(kind=MatchComponentKind.TRACK, value=None, weight=0.0, contribution=0.0), reason
    if track is job_track:
        fit, points = 1.0, plan.track_points
        reason = Reason(code="track_same", message=f"The learner's track {track.value} is the job's track.")
    else:
        percentage = alignment.get(job_track)
        fit = 0.0 if percentage is None else percentage / 100.0
        points = 0.0 if percentage is None else plan.track_points * percentage / 100.0
        learner = "none" if track is None else track.value
        if percentage is None:
            reason = Reason(
                code="track_alignment_missing",
                message=f"The learner's track ({learner}) is not the job's track {job_track.value} and no "
                f"alignment with {job_track.value} was measured; track fit 0.",
            )
        else:
            reason = Reason(
                code="track_alignment",
                message=f"The learner's track ({learner}) is not the job's track {job_track.value}; "
                f"their alignment with {job_track.value} is {percentage:g}%.",
            )
    component = MatchComponent(
        kind=MatchComponentKind.TRACK, value=fit, weight=plan.weights[1], contribution=points
    )
    return component, reason


def _level_part(plan: _Plan, selection: DifficultySelection | None) -> tuple[MatchComponent, list[Reason]]:
    job_level = plan.job.level
    if job_level is None:
        reason = Reason(
            code="level_not_specified",
            message=f"Job {plan.job.id} names no level; the level weight is shared among the "
            "other components.",
        )
        return MatchComponent(kind=MatchComponentKind.LEVEL, value=None, weight=0.0, contribution=0.0), [
            reason
        ]
    reasons = []
    learner = job_level_for_selection(selection)
    if learner is None:
        learner = _DEFAULT_LEVEL
        reasons.append(
            Reason(
                code="level_selection_missing",
                message="No difficulty selection was recorded; the entry level is assumed, as the "
                "missions engine assumes ceiling 1.",
            )
        )
    fit = plan.level_fits[selection]
    steps = abs(learner.rank - job_level.rank)
    if steps == 0:
        reasons.append(
            Reason(
                code="level_same", message=f"Profiler level {learner.value} is the job's level; level fit 1."
            )
        )
    else:
        reasons.append(
            Reason(
                code="level_adjacent" if steps == 1 else "level_distant",
                message=f"Profiler level {learner.value} is {steps} step{'s' if steps > 1 else ''} from the "
                f"job level {job_level.value}; level fit {fit:g}.",
            )
        )
    component = MatchComponent(
        kind=MatchComponentKind.LEVEL,
        value=fit,
        weight=plan.weights[2],
        contribution=plan.level_points[selection],
    )
    return component, reasons


def _readiness_part(plan: _Plan, readiness: float | None) -> tuple[MatchComponent, Reason]:
    if readiness is None:
        reason = Reason(
            code="readiness_missing", message="No readiness score is recorded; readiness counts 0."
        )
        value, points = 0.0, 0.0
    else:
        reason = Reason(code="readiness_scored", message=f"Readiness score {readiness:g} of 100.")
        value, points = readiness / 100.0, plan.readiness_points * readiness / 100.0
    component = MatchComponent(
        kind=MatchComponentKind.READINESS, value=value, weight=plan.weights[3], contribution=points
    )
    return component, reason


def _score(
    plan: _Plan,
    profile: TalentProfile,
    *,
    track: TrackKey | None,
    selection: DifficultySelection | None,
    alignment: Mapping[TrackKey, float],
    session_id: SessionId | None,
    recipe_index: Mapping[str, Sequence[Recipe]] | None,
) -> MatchScore:
    learner_track = track if track is not None else profile.primary_track_key
    skills, matched, missing, skills_reason = _skills_part(plan, {normalise_code(s) for s in profile.skills})
    track_component, track_reason = _track_part(plan, learner_track, alignment)
    level_component, level_reasons = _level_part(plan, selection)
    readiness_component, readiness_reason = _readiness_part(plan, profile.readiness_score)
    components = (skills, track_component, level_component, readiness_component)
    reasons = [skills_reason, track_reason, *level_reasons, readiness_reason]
    if not any(plan.weights):
        reasons.append(
            Reason(
                code="nothing_to_weigh",
                message=f"Policy {plan.policy.ref} gives weight 0 to every component that applies to "
                f"job {plan.job.id}; the score is 0.",
            )
        )
    linked = () if recipe_index is None else _link(missing, recipe_index, plan.policy.recipes_per_skill)
    return MatchScore(
        user_id=profile.user_id,
        job_id=plan.job.id,
        score=_total(*(c.contribution for c in components)),
        components=components,
        matched_skills=matched,
        missing_skills=missing,
        skill_recipes=linked,
        reasons=reasons,
        session_id=session_id,
        policy=plan.policy.ref,
    )


def score_match(
    profile: TalentProfile,
    job: JobPosting,
    *,
    selection: DifficultySelection | None = None,
    alignment: Mapping[TrackKey, float] | None = None,
    track: TrackKey | None = None,
    session_id: IdLike | None = None,
    recipes: Iterable[Recipe] | None = None,
    policy: MatchPolicy = DEFAULT_MATCH_POLICY,
) -> MatchScore:
    """Score one learner against one job (SPEC §8).

    The learner's profiler signals come from their latest completed session:
    pass its ``difficulty_selection``, ``track_alignment_percentages`` and
    ``recommended_track`` (:func:`rank_jobs` and :func:`rank_candidates` do
    this for you). Eligibility (open job, searchable profile) is not checked
    here; the rankings check it.

    Args:
        profile: the learner's talent profile (skills and readiness).
        job: the job posting.
        selection: the profiler difficulty selection (``None``: entry level is assumed).
        alignment: the profiler's alignment percentage per track.
        track: the learner's track; ``None`` falls back to ``profile.primary_track_key``.
        session_id: the session the signals came from (recorded on the result).
        recipes: a recipe catalogue; each missing skill then lists the recipes
            that teach it (:func:`recipes_for_skills`).
        policy: the weights.

    >>> from profiler_core import JobId, JobPosting, JobLevel, TalentProfile, TrackKey, UserId
    >>> job = JobPosting(
    ...     id=JobId("j1"),
    ...     title="SOC Analyst",
    ...     employer_id="e1",
    ...     required_skills=("SIEM", "DNS"),
    ...     track=TrackKey.DEFENDER,
    ...     level=JobLevel.ENTRY,
    ... )
    >>> profile = TalentProfile(user_id=UserId("u1"), skills=("siem", "python"), readiness_score=60)
    >>> match = score_match(profile, job, selection=DifficultySelection.BEGINNER, track=TrackKey.DEFENDER)
    >>> match.score  # 50 x 1/2 + 20 x 1 + 15 x 1 + 15 x 0.6
    69.0
    >>> [(c.kind.value, c.contribution) for c in match.components]
    [('skills', 25.0), ('track', 20.0), ('level', 15.0), ('readiness', 9.0)]
    >>> match.matched_skills, match.missing_skills
    (('SIEM',), ('DNS',))
    """
    plan = _plan(job, policy)
    return _score(
        plan,
        profile,
        track=track,
        selection=selection,
        alignment=alignment if alignment is not None else FrozenMap(),
        session_id=None if session_id is None else SessionId(canonical_id(session_id, field="session_id")),
        recipe_index=None if recipes is None else recipes_by_code(recipes),
    )


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

    Raises:
        InvalidValueError: *limit* below 1, *now* naive, or *session* belongs to another learner.
    """
    _check_limit(limit)
    require_aware(now)
    if session is None or not _is_completed(session):
        return JobRanking(
            user_id=profile.user_id,
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
    if session.user_id != profile.user_id:
        raise InvalidValueError(field="session", reason="belongs to another learner than the profile")
    excluded: dict[str, int] = {}
    scored: list[tuple[float, JobId, JobPosting, MatchScore]] = []
    index = None if recipes is None else recipes_by_code(recipes)
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
            recipe_index=index,
        )
        scored.append((-match.score, job.id, job, match))
    top = heapq.nsmallest(limit, scored, key=lambda item: (item[0], item[1]))
    matches = [RankedJob(rank=i, job=job, match=match) for i, (_, _, job, match) in enumerate(top, start=1)]
    closed_count = sum(excluded.values())
    if matches:
        status = MatchStatus.MATCHED
        reason = Reason(
            code="jobs_ranked",
            message=f"Ranked {len(scored)} open job(s) ({closed_count} closed excluded); "
            f"showing the top {len(matches)}.",
        )
    else:
        status = MatchStatus.NO_MATCHES
        reason = Reason(
            code="no_open_jobs",
            message=f"No open job to match ({closed_count} closed excluded).",
        )
    return JobRanking(
        user_id=profile.user_id,
        status=status,
        matches=matches,
        session_id=session.id,
        recommended_track=session.recommended_track,
        considered=len(scored),
        excluded={code: excluded[code] for code in sorted(excluded)},
        reasons=(reason,),
        policy=policy.ref,
    )


_FINISHED = SessionStatus.FINISHED
_LOCKED = SessionStatus.LOCKED


_Candidate = tuple[float, str, int, TalentProfile, ProfilerSession]


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
    hidden = no_consent = unprofiled = scored = 0
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
    lookup = sessions.get
    for position, profile in enumerate(profiles):
        if employer_facing and not (profile.is_visible and profile.employer_share_consent):
            if profile.is_visible:
                no_consent += 1
            else:
                hidden += 1
            continue
        session = lookup(profile.user_id)
        if session is None or (session.status is not _FINISHED and session.status is not _LOCKED):
            unprofiled += 1
            continue
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
    tally = {
        "scored": scored,
        "profile_hidden": hidden,
        "share_consent_missing": no_consent,
        "candidate_profiler_incomplete": unprofiled,
    }
    return heapq.nsmallest(limit, kept), tally


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
    index = None if recipes is None else recipes_by_code(recipes)
    matches = [
        RankedCandidate(
            rank=rank,
            profile=profile,
            match=_score(
                plan,
                profile,
                track=session.recommended_track,
                selection=session.difficulty_selection,
                alignment=session.track_alignment_percentages,
                session_id=session.id,
                recipe_index=index,
            ),
        )
        for rank, (_, _, _, profile, session) in enumerate(top, start=1)
    ]
    excluded = {code: count for code, count in tally.items() if count}
    left_out = sum(excluded.values())
    if matches:
        reason = Reason(
            code="candidates_ranked",
            message=f"Ranked {scored} candidate(s) for job {job.id} ({left_out} left out); "
            f"showing the top {len(matches)}.",
        )
    else:
        reason = Reason(
            code="no_eligible_candidates",
            message=f"No eligible candidate for job {job.id} ({left_out} left out).",
        )
    return CandidateRanking(
        job_id=job.id,
        status=MatchStatus.MATCHED if matches else MatchStatus.NO_MATCHES,
        matches=matches,
        considered=scored,
        excluded=excluded,
        reasons=(reason,),
        policy=policy.ref,
    )

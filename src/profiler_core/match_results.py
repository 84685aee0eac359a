r"""What talent matching answers (SPEC §8): explainable match scores and rankings, as values.

A :class:`MatchScore` is the sum of four :class:`MatchComponent`\ s, with the
skills matched and missing (each missing skill linked to the recipes that teach
it, :class:`SkillRecipes`) and the reasons. A :class:`JobRanking` ranks jobs
for a learner and a :class:`CandidateRanking` learners for a job, each with a
:class:`MatchStatus` that says why a ranking is empty. The functions that
build them are in :mod:`profiler_core.matching`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

from attrs import field, frozen

from profiler_core._deprecation import renamed
from profiler_core.decisions import Explained, PolicyRef, Reason, _reasons
from profiler_core.errors import InvalidValueError
from profiler_core.field_rules import _require_score, _strings
from profiler_core.frozenmap import FrozenMap
from profiler_core.match_policy import (
    DEFAULT_MATCH_POLICY,
    MatchComponentKind,
)
from profiler_core.models import (
    JobId,
    JobPosting,
    Recipe,
    SessionId,
    TalentProfile,
    UserId,
    _to_id,
    _to_optional_id,
    _valid_id,
    _valid_optional_id,
)
from profiler_core.vocabulary import TrackKey

__all__ = [
    "MatchStatus",
    "MatchComponent",
    "SkillRecipes",
    "MatchScore",
    "RankedJob",
    "RankedCandidate",
    "JobRanking",
    "CandidateRanking",
]


# Floating-point slack allowed between a score and the sum of its contributions.
_SUM_TOLERANCE = 1e-9


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


def _absence(status: MatchStatus, reasons: tuple[Reason, ...]) -> Reason | None:
    # A ranking without its reason still says why, by its status.
    if status is MatchStatus.MATCHED:
        return None
    return reasons[0] if reasons else Reason(code=status.value, message=f"No ranking: {status.value}.")


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
        _require_score(contribution, field=f"{self.kind.value}.contribution", slack=_SUM_TOLERANCE)

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
class MatchScore(Explained):
    """An explainable match between one learner and one job.

    Attributes:
        learner_id: the learner (``user_id`` is its deprecated name; the JSON key stays ``user_id``).
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

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
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

    user_id = renamed[UserId]("learner_id")

    @score.validator
    def _check_score(self, _attribute: object, score: float) -> None:
        _require_score(score, field="score")

    @components.validator
    def _check_components(self, _attribute: object, components: tuple[MatchComponent, ...]) -> None:
        if tuple(c.kind for c in components) != _KINDS:
            raise InvalidValueError(field="components", reason="must be skills, track, level, readiness")
        if abs(sum(c.contribution for c in components) - self.score) > _SUM_TOLERANCE:
            raise InvalidValueError(field="score", reason="must equal the sum of the contributions")

    def component(self, kind: MatchComponentKind | str) -> MatchComponent:
        """The component of this *kind* (``"skills"``, ``"track"``, ``"level"``, ``"readiness"``)."""
        return self.components[_KINDS.index(MatchComponentKind(kind))]


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
class JobRanking(Explained):
    """Open jobs ranked for one learner (best first), or why there are none.

    Attributes:
        learner_id: the learner (``user_id`` is its deprecated name; the JSON key stays ``user_id``).
        status: ``matched``, ``no_matches`` or ``profiler_incomplete``.
        matches: the top jobs, best first (score descending, then job id).
        session_id: the completed session the signals came from (``None`` without one).
        recommended_track: the session's recommended track.
        considered: how many jobs were scored.
        excluded: jobs left out, by reason code (``job_inactive``, ``job_deadline_passed``), keys sorted.
        reasons: why the outcome is what it is.
        policy: the policy that scored.
    """

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
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

    user_id = renamed[UserId]("learner_id")

    @property
    def absence(self) -> Reason | None:
        """Why nothing is ranked (the first reason, for any status but ``matched``); ``None`` when matched."""
        return _absence(self.status, self.reasons)

    @property
    def needs_profiler(self) -> bool:
        """True when the learner must complete the profiler first."""
        return self.status is MatchStatus.PROFILER_INCOMPLETE


@frozen(kw_only=True)
class CandidateRanking(Explained):
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
    def absence(self) -> Reason | None:
        """Why nothing is ranked (the first reason, for any status but ``matched``); ``None`` when matched."""
        return _absence(self.status, self.reasons)

"""The versioned weights of a match score (SPEC §8): the match policy and the level map.

:class:`MatchPolicy` (``matching@1``) holds the relative weights of the four
components (:class:`MatchComponentKind`) and the fit of a level one step away;
:data:`JOB_LEVEL_BY_SELECTION` maps a profiler difficulty selection to a job
level and :func:`level_fit` turns two levels into a fit. The scorer that
applies them is :mod:`profiler_core.matching`.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import TypeGuard

from attrs import field, frozen

from profiler_core.decisions import Policy
from profiler_core.errors import PolicyError
from profiler_core.frozenmap import FrozenMap
from profiler_core.vocabulary import DifficultySelection, JobLevel

__all__ = [
    "JOB_LEVEL_BY_SELECTION",
    "job_level_for_selection",
    "level_fit",
    "MatchComponentKind",
    "MatchPolicy",
    "DEFAULT_MATCH_POLICY",
]


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


def job_level_for_selection(selection: DifficultySelection | None) -> JobLevel | None:
    """The job level a profiler selection maps to; ``None`` when nothing was selected.

    >>> [job_level_for_selection(s).value for s in DifficultySelection]
    ['entry', 'entry', 'mid', 'senior', 'expert']
    >>> job_level_for_selection(None) is None
    True
    """
    return None if selection is None else JOB_LEVEL_BY_SELECTION[selection]


class MatchComponentKind(enum.StrEnum):
    """The four components of a match score, in report order."""

    SKILLS = "skills"
    TRACK = "track"
    LEVEL = "level"
    READINESS = "readiness"


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
        raise PolicyError(policy=str(instance.ref), reason=f"{name} must be a number >= 0")


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
        raise PolicyError(policy=str(instance.ref), reason="the weights' sum must be finite")


def _check_fraction(instance: MatchPolicy, _attribute: object, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise PolicyError(policy=str(instance.ref), reason="adjacent_level_fit must be 0..1")


def _check_per_skill(instance: MatchPolicy, _attribute: object, value: int) -> None:
    if value < 0:
        raise PolicyError(policy=str(instance.ref), reason="recipes_per_skill must be >= 0")


@frozen(kw_only=True)
class MatchPolicy(Policy):
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

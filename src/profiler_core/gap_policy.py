"""Gap policy (SPEC §4): the versioned thresholds and priorities that turn scores into gaps.

:class:`GapPolicy` (``gaps@1``) is read by :func:`profiler_core.gaps.analyze_gaps`
and the gap sources (:mod:`profiler_core.gap_sources`); both names are also
importable from :mod:`profiler_core.gaps` and :mod:`profiler_core`.

Imports ``decisions``, ``errors`` and ``vocabulary`` only.
"""

from __future__ import annotations

import math

from attrs import field, frozen

from profiler_core.decisions import Policy
from profiler_core.errors import PolicyError
from profiler_core.field_rules import _in_score_range
from profiler_core.vocabulary import Priority

__all__ = ["GapPolicy", "DEFAULT_GAP_POLICY"]


def _ordered_scores(low: float, high: float) -> bool:
    return _in_score_range(low) and _in_score_range(high) and low <= high


def _check_thresholds(instance: GapPolicy, _attribute: object, _value: object) -> None:
    problems = []
    if not _ordered_scores(instance.high_below, instance.gap_below):
        problems.append("need 0 <= high_below <= gap_below <= 100")
    if not _ordered_scores(instance.assessment_high_below, instance.assessment_gap_below):
        problems.append("need 0 <= assessment_high_below <= assessment_gap_below <= 100")
    if instance.min_evidence < 0:
        problems.append("min_evidence must be >= 0")
    if instance.trait_growth_below is not None and not math.isfinite(instance.trait_growth_below):
        problems.append("trait_growth_below must be a finite number")
    if problems:
        raise PolicyError(policy=str(instance.ref), reason="; ".join(problems))


@frozen(kw_only=True)
class GapPolicy(Policy):
    """The versioned rules that turn profiler data into gaps.

    Attributes:
        id: policy id (``"gaps"``).
        version: policy version.
        gap_below: an aptitude category or technical exposure scoring below this is a gap.
        high_below: ...and its priority is high below this, else medium.
        min_evidence: a score backed by fewer questions than this is flagged ``low_evidence``.
        no_evidence_priority: the priority of a category with no evidence at all
            (``total == 0``, or no technical-exposure question answered); ``None``
            lists it only in the analysis reasons instead of as a gap.
        behavioral_priority: the priority of every behavioral gap.
        trait_growth_below: a behavioral trait mean below this is an area for
            growth (so that the flat ``{category: mean}`` profile yields gaps too);
            ``None`` turns trait-derived gaps off.
        assessment_gap_below: a skill assessment scoring below this is a gap.
        assessment_high_below: ...and its priority is high below this, else medium.
        mission_current_priority: priority of the current subtask's required skills.
        mission_next_priority: priority of the next subtask's required skills.
        mission_tag_priority: priority of the mission's ``skills_tags``.

    Raises:
        PolicyError: thresholds out of order or out of range.
    """

    id: str = "gaps"
    version: int = 1
    gap_below: float = 60.0
    high_below: float = 40.0
    min_evidence: int = 3
    no_evidence_priority: Priority | None = Priority.LOW
    behavioral_priority: Priority = Priority.MEDIUM
    trait_growth_below: float | None = 3.0
    assessment_gap_below: float = 70.0
    assessment_high_below: float = field(default=40.0, validator=_check_thresholds)
    mission_current_priority: Priority = Priority.HIGH
    mission_next_priority: Priority = Priority.MEDIUM
    mission_tag_priority: Priority = Priority.LOW

    def priority_for(self, score: float) -> Priority | None:
        """The gap priority of a 0..100 score, or ``None`` when it is not a gap.

        >>> [DEFAULT_GAP_POLICY.priority_for(s) for s in (60, 40, 39.99)]
        [None, <Priority.MEDIUM: 'medium'>, <Priority.HIGH: 'high'>]
        """
        return _priority(score, self.gap_below, self.high_below)

    def assessment_priority_for(self, score: float) -> Priority | None:
        """The gap priority of a skill-assessment score, or ``None`` when it is not a gap."""
        return _priority(score, self.assessment_gap_below, self.assessment_high_below)


def _priority(score: float, gap_below: float, high_below: float) -> Priority | None:
    if score >= gap_below:
        return None
    return Priority.HIGH if score < high_below else Priority.MEDIUM


#: The default policy (SPEC §4): gaps below 60, high below 40, behavioral gaps medium.
DEFAULT_GAP_POLICY = GapPolicy()

"""The values of gap analysis (SPEC §4): a gap, a pointer to one, and a learner's analysis.

A :class:`Gap` is one skill gap with its evidence (score, priority, the codes
that close it and how they were found); :class:`GapRef` points at one, as
recipe recommendations name it; a :class:`GapAnalysis` holds a learner's gaps
in one canonical order (priority, then source, then score) with the reasons.
The functions that find gaps are in :mod:`profiler_core.gaps`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable

import attrs
from attrs import field, frozen

from profiler_core.decisions import Explained, PolicyRef, Reason, _reasons
from profiler_core.errors import InvalidValueError
from profiler_core.field_rules import _score_check, _strings
from profiler_core.models import (
    SessionId,
    UserId,
    _to_optional_id,
    _valid_optional_id,
)
from profiler_core.taxonomy import (
    MatchKind,
    normalise_code,
)
from profiler_core.vocabulary import GapType, Priority, normalise_token

__all__ = ["GapRef", "Gap", "GapAnalysis"]


def _codes(values: Iterable[str]) -> tuple[str, ...]:
    # Normalised and de-duplicated, first appearance kept. A tuple (a taxonomy's codes, a
    # merged gap's) is looked up in a bounded cache: gap analysis meets the same few per request.
    if isinstance(values, tuple):
        return _tuple_codes(values)
    return tuple(dict.fromkeys(normalise_code(v) for v in values))


@functools.lru_cache(maxsize=4096)
def _tuple_codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalise_code(v) for v in values))


#: normalise_token of a category, through a bounded cache (categories come from a small vocabulary).
_token = functools.lru_cache(maxsize=4096)(normalise_token)


_PRIORITY_RANK = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}


_TYPE_RANK = {gap_type: index for index, gap_type in enumerate(GapType)}


def _non_blank(_inst: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        raise InvalidValueError(field=attribute.name, reason="must not be blank")


def _non_negative(_inst: object, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and value < 0:
        raise InvalidValueError(field=attribute.name, reason="must be >= 0")


@frozen(kw_only=True)
class GapRef:
    """A pointer to a gap, as recipe recommendations name it."""

    type: GapType
    category: str
    priority: Priority


@frozen(kw_only=True)
class Gap(Explained):
    """One skill gap of a learner, with its evidence and how its codes were found.

    Attributes:
        type: where the gap comes from (aptitude, technical, behavioral, skill assessment, mission).
        category: the category (aptitude category, ``technical_exposure``, the behavioral area,
            or the skill code for assessments and missions).
        priority: high, medium or low.
        score: the 0..100 score that made it a gap (``None`` for behavioral and mission
            gaps, and for a category without evidence).
        evidence: how many questions back the score (``None`` when unknown).
        low_evidence: ``True`` when the score rests on fewer questions than the policy's
            ``min_evidence`` (or on none): flagged, never hidden.
        skill_codes: the codes that close it (empty when unmapped).
        match: how the codes were found.
        taxonomy_key: the taxonomy key that matched (``None`` for direct and unmapped).
        sources: where the gap was read (e.g. ``result.aptitude_breakdown``,
            ``skill_assessment``, ``mission:<id>``); merging keeps every source.
        reasons: why it is a gap, and any caveat about its codes or evidence.
    """

    type: GapType
    category: str = field(validator=_non_blank)
    priority: Priority
    score: float | None = field(default=None, validator=_score_check)
    evidence: int | None = field(default=None, validator=_non_negative)
    low_evidence: bool = False
    skill_codes: tuple[str, ...] = field(default=(), converter=_codes)
    match: MatchKind = MatchKind.UNMAPPED
    taxonomy_key: str | None = None
    sources: tuple[str, ...] = field(default=(), converter=_strings)
    reasons: tuple[Reason, ...] = field(default=(), converter=_reasons)

    @property
    def key(self) -> tuple[GapType, str]:
        """The gap's identity: its type and normalised category (merging joins equal keys)."""
        return (self.type, _token(self.category))

    @property
    def ref(self) -> GapRef:
        """A :class:`GapRef` to this gap."""
        return GapRef(type=self.type, category=self.category, priority=self.priority)


def _gap_order(gap: Gap) -> tuple[int, int, float, str, str]:
    score = math.inf if gap.score is None else gap.score
    return (
        _PRIORITY_RANK[gap.priority],
        _TYPE_RANK[gap.type],
        score,
        _token(gap.category),
        gap.category,
    )


def _canonical_gaps(values: Iterable[Gap]) -> tuple[Gap, ...]:
    return tuple(sorted(values, key=_gap_order))


@frozen(kw_only=True)
class GapAnalysis(Explained):
    """A learner's gaps, the skill codes that close them, and why.

    ``gaps`` are kept in a canonical order: priority (high first), then type
    (aptitude, technical, behavioral, skill assessment, mission), then score
    (lowest first, unknown last), then category.

    Attributes:
        learner_id: the learner (``None`` when unknown).
        session_id: the profiler session analysed (``None`` without a completed one).
        profiler_completed: ``False`` when there was no completed profiler (the fallback case).
        gaps: the gaps, in canonical order.
        reasons: what the analysis used or could not use (``no_completed_session``,
            ``result_missing``...), never empty.
        policy: the gap policy used.
        taxonomy: the taxonomy used.
    """

    learner_id: UserId | None = field(default=None, converter=_to_optional_id, validator=_valid_optional_id)
    session_id: SessionId | None = field(
        default=None, converter=_to_optional_id, validator=_valid_optional_id
    )
    profiler_completed: bool
    gaps: tuple[Gap, ...] = field(default=(), converter=_canonical_gaps)
    reasons: tuple[Reason, ...] = field(converter=_reasons)
    policy: PolicyRef
    taxonomy: PolicyRef

    @property
    def absence(self) -> Reason | None:
        """Why there is no analysis (no completed profiler: the first reason); ``None`` when there is one."""
        return None if self.profiler_completed else self.reasons[0]

    @property
    def recommended_skill_codes(self) -> tuple[str, ...]:
        """The de-duplicated union of the gaps' codes: by gap priority, then first appearance."""
        return tuple(dict.fromkeys(code for gap in self.gaps for code in gap.skill_codes))

    @property
    def total_gaps(self) -> int:
        """How many gaps there are."""
        return len(self.gaps)

    @property
    def total_skills(self) -> int:
        """How many recommended skill codes there are."""
        return len(self.recommended_skill_codes)

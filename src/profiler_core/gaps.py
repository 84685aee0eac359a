"""Gap analysis (SPEC §4): a learner's skill gaps, why they are gaps, and the codes that close them.

Pure functions over values:

* :func:`analyze_gaps` turns a completed session (and its result) into a
  :class:`GapAnalysis` under a :class:`GapPolicy`: aptitude categories,
  technical exposure, and behavioral areas for growth (from either
  behavioral-profile shape), mapped to skill codes by a
  :class:`~profiler_core.taxonomy.Taxonomy`.
* :func:`merge_gaps` and :func:`with_gaps` merge gaps from several sources
  (:mod:`profiler_core.gap_sources`: skill assessments, missions), each gap
  keeping its sources.

The values (:class:`Gap`, :class:`GapRef`, :class:`GapAnalysis`) live in
:mod:`profiler_core.gap_values`, the policy in :mod:`profiler_core.gap_policy` and the other gap sources
in :mod:`profiler_core.gap_sources` (their names are importable from here too);
the taxonomy lives in :mod:`profiler_core.taxonomy` and recipe ranking in
:mod:`profiler_core.recipe_ranking`, whose names stay importable from here
until 0.2.0 with a ``DeprecationWarning``.

Imports: ``decisions``, ``errors``, ``models``, ``gap_values``, ``gap_policy``, ``taxonomy``,
``vocabulary``; never the wire edge.
"""

from __future__ import annotations

import importlib
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from profiler_core.decisions import Reason
from profiler_core.gap_policy import DEFAULT_GAP_POLICY, GapPolicy
from profiler_core.gap_values import (
    _PRIORITY_RANK,
    Gap,
    GapAnalysis,
    GapRef,
    _canonical_gaps,
    _gap_order,
)

# gap_sources imports this validator from here, as it did before gap_values.py existed.
from profiler_core.gap_values import _non_blank as _non_blank  # noqa: PLC0414
from profiler_core.models import (
    BehavioralProfile,
    IdLike,
    ProfilerResult,
    ProfilerSession,
)

# Private aliases: the public names are deprecated here (served by __getattr__ with a warning).
from profiler_core.taxonomy import DEFAULT_TAXONOMY as _DEFAULT_TAXONOMY
from profiler_core.taxonomy import MatchKind as _MatchKind
from profiler_core.taxonomy import Taxonomy as _Taxonomy
from profiler_core.taxonomy import TaxonomyMatch as _TaxonomyMatch
from profiler_core.vocabulary import GapType, Priority

if TYPE_CHECKING:
    from profiler_core.gap_sources import (
        SkillAssessment,
        mission_gaps,
        parse_skill_assessments,
        skill_assessment_gaps,
    )

    # The deprecated names keep their types for one minor version (explicit re-exports for mypy).
    from profiler_core.recipe_ranking import DEFAULT_RANKING_POLICY as DEFAULT_RANKING_POLICY  # noqa: PLC0414
    from profiler_core.recipe_ranking import RankingPolicy as RankingPolicy  # noqa: PLC0414
    from profiler_core.recipe_ranking import RecipeRecommendation as RecipeRecommendation  # noqa: PLC0414
    from profiler_core.recipe_ranking import RecipeRecommendations as RecipeRecommendations  # noqa: PLC0414
    from profiler_core.recipe_ranking import mission_stage_recipes as mission_stage_recipes  # noqa: PLC0414
    from profiler_core.recipe_ranking import next_best_recipes as next_best_recipes  # noqa: PLC0414
    from profiler_core.recipe_ranking import recipe_popularity_key as recipe_popularity_key  # noqa: PLC0414
    from profiler_core.recipe_ranking import recipes_by_code as recipes_by_code  # noqa: PLC0414
    from profiler_core.recipe_ranking import recommend_recipes as recommend_recipes  # noqa: PLC0414
    from profiler_core.taxonomy import DEFAULT_TAXONOMY as DEFAULT_TAXONOMY  # noqa: PLC0414
    from profiler_core.taxonomy import DEFAULT_TAXONOMY_CATEGORIES as DEFAULT_TAXONOMY_CATEGORIES  # noqa: PLC0414
    from profiler_core.taxonomy import MatchKind as MatchKind  # noqa: PLC0414
    from profiler_core.taxonomy import Taxonomy as Taxonomy  # noqa: PLC0414
    from profiler_core.taxonomy import TaxonomyMatch as TaxonomyMatch  # noqa: PLC0414
    from profiler_core.taxonomy import normalise_code as normalise_code  # noqa: PLC0414

__all__ = [
    # gaps
    "GapPolicy",  # defined in profiler_core.gap_policy
    "DEFAULT_GAP_POLICY",  # defined in profiler_core.gap_policy
    "Gap",
    "GapRef",
    "GapAnalysis",
    "TECHNICAL_EXPOSURE_CATEGORY",
    "area_for_growth_category",
    "analyze_gaps",
    "empty_analysis",
    "merge_gaps",
    "with_gaps",
    # defined in profiler_core.gap_sources, re-exported here
    "SkillAssessment",
    "parse_skill_assessments",
    "skill_assessment_gaps",
    "mission_gaps",
]

#: Gap sources: defined in profiler_core.gap_sources, importable from here for good.
_SOURCES = frozenset(("SkillAssessment", "parse_skill_assessments", "skill_assessment_gaps", "mission_gaps"))

#: Deprecated here (one minor version, a DeprecationWarning): the name and its home.
_DEPRECATED = {
    **dict.fromkeys(
        (
            "MatchKind",
            "TaxonomyMatch",
            "Taxonomy",
            "DEFAULT_TAXONOMY_CATEGORIES",
            "DEFAULT_TAXONOMY",
            "normalise_code",
        ),
        "profiler_core.taxonomy",
    ),
    **dict.fromkeys(
        (
            "RankingPolicy",
            "DEFAULT_RANKING_POLICY",
            "RecipeRecommendation",
            "RecipeRecommendations",
            "recipe_popularity_key",
            "recipes_by_code",
            "recommend_recipes",
            "mission_stage_recipes",
            "next_best_recipes",
        ),
        "profiler_core.recipe_ranking",
    ),
}


def __getattr__(name: str) -> object:
    # Resolved lazily: those modules import this one, so an eager import would be a cycle.
    if name in _SOURCES:
        return getattr(importlib.import_module("profiler_core.gap_sources"), name)
    if name in _DEPRECATED:
        home = _DEPRECATED[name]
        warnings.warn(
            f"importing {name} from profiler_core.gaps is deprecated and goes in 0.2.0; use {home}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(home), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_MATCH_ORDER = {kind: index for index, kind in enumerate((*_MatchKind,))}


# --- gaps ---------------------------------------------------------------------

#: The category of the technical-exposure gap (a key of the default taxonomy).
TECHNICAL_EXPOSURE_CATEGORY = "technical_exposure"


_GROWTH = re.compile(r"^(?:improve|develop)\s+(?P<category>.+?)\s+skills?$", re.IGNORECASE)


def area_for_growth_category(entry: str) -> str | None:
    """The category of an ``areas_for_growth`` entry, lower-cased; ``None`` for a blank entry.

    The platform writes ``"Improve {category} skills"`` and ``"Develop {category} skills"``;
    any other entry is taken whole as the category.

    >>> area_for_growth_category("Improve Communication skills")
    'communication'
    >>> area_for_growth_category("Develop  problem solving skills.")
    'problem solving'
    >>> area_for_growth_category("Time management")
    'time management'
    """
    text = " ".join(entry.split()).rstrip(".!").strip()
    if not text:
        return None
    found = _GROWTH.match(text)
    return (found.group("category") if found else text).lower()


def empty_analysis(
    reason: Reason,
    *,
    learner_id: IdLike | None = None,
    policy: GapPolicy = DEFAULT_GAP_POLICY,
    taxonomy: _Taxonomy = _DEFAULT_TAXONOMY,
) -> GapAnalysis:
    """The fallback analysis: no completed profiler, no gaps, and the *reason*.

    *learner_id* may be a ``str``, ``int`` or ``UUID`` (stored as its canonical text).
    """
    return GapAnalysis(
        learner_id=learner_id,
        profiler_completed=False,
        reasons=(reason,),
        policy=policy.ref,
        taxonomy=taxonomy.ref,
    )


def analyze_gaps(
    session: ProfilerSession | None,
    result: ProfilerResult | None = None,
    *,
    policy: GapPolicy = DEFAULT_GAP_POLICY,
    taxonomy: _Taxonomy = _DEFAULT_TAXONOMY,
) -> GapAnalysis:
    """The learner's gaps from their latest completed session and its result (SPEC §4).

    * **aptitude**: each category of ``result.aptitude_breakdown`` (either wire
      shape) scoring below ``gap_below``; a category with ``total == 0`` has no
      evidence: a ``low`` gap without score, flagged (see :class:`GapPolicy`);
    * **technical**: ``session.technical_exposure_score`` below ``gap_below``;
    * **behavioral**: every ``areas_for_growth`` entry (of the result and of the
      intended profile shape) and every trait (of either profile shape, and the
      result's ``behavioral_traits``) whose mean is below ``trait_growth_below``.

    ``None`` or an incomplete session gives the fallback analysis with reason
    ``no_completed_session``. A result whose ``session_id`` names another
    session is ignored (``result_session_mismatch``).

    >>> from profiler_core import ProfilerResult, ProfilerSession, SessionStatus, CategoryScore
    >>> session = ProfilerSession(
    ...     id="s-1", user_id="u-1", status=SessionStatus.FINISHED, technical_exposure_score=45.0
    ... )
    >>> result = ProfilerResult(
    ...     session_id="s-1", aptitude_breakdown={"networking": CategoryScore(score=30.0)}
    ... )
    >>> analysis = analyze_gaps(session, result)
    >>> [(g.category, g.priority.value) for g in analysis.gaps]
    [('networking', 'high'), ('technical_exposure', 'medium')]
    >>> analysis.recommended_skill_codes
    ('NET', 'NETW', 'TCPIP', 'DNS', 'HTTP', 'TECH', 'BASICS', 'FUNDAMENTALS')
    """
    if session is None or not session.is_completed:
        return empty_analysis(
            Reason(
                code="no_completed_session",
                message="No completed profiler session; there are no gaps to analyse.",
            ),
            learner_id=None if session is None else session.user_id,
            policy=policy,
            taxonomy=taxonomy,
        )
    reasons = [
        Reason(
            code="profiler_analyzed",
            message=f"Analysed session {session.id} under {policy.ref} and {taxonomy.ref}.",
        )
    ]
    if result is not None and result.session_id is not None and result.session_id != session.id:
        reasons.append(
            Reason(
                code="result_session_mismatch",
                message=f"The result of session {result.session_id} does not belong to session "
                f"{session.id} and was ignored.",
            )
        )
        result = None
    elif result is None:
        reasons.append(
            Reason(
                code="result_missing",
                message=f"Session {session.id} has no result row: aptitude categories and the result's "
                "areas for growth are unavailable.",
            )
        )
    gaps: list[Gap] = []
    if result is not None:
        gaps += _aptitude_gaps(result, policy, taxonomy, reasons)
    gaps += _technical_gaps(session, policy, taxonomy, reasons)
    gaps += _behavioral_gaps(session.behavioral_profile, result, policy, taxonomy)
    return GapAnalysis(
        learner_id=session.user_id,
        session_id=session.id,
        profiler_completed=True,
        gaps=merge_gaps(gaps),
        reasons=reasons,
        policy=policy.ref,
        taxonomy=taxonomy.ref,
    )


def _match_reasons(match: _TaxonomyMatch, taxonomy: _Taxonomy) -> list[Reason]:
    if match.kind is _MatchKind.NORMALISED:
        return [
            Reason(
                code="taxonomy_match_normalised",
                message=f"Category {match.category} matched {taxonomy.ref} key {match.key} "
                "after normalisation.",
            )
        ]
    if match.kind is _MatchKind.SUBSTRING:
        return [
            Reason(
                code="taxonomy_match_substring",
                message=f"Category {match.category} matched {taxonomy.ref} key {match.key} by substring.",
            )
        ]
    if match.kind is _MatchKind.UNMAPPED:
        return [
            Reason(
                code="category_unmapped",
                message=f"Category {match.category} is not in {taxonomy.ref}: the gap has no skill codes.",
            )
        ]
    return []


def _gap(
    gap_type: GapType,
    category: str,
    priority: Priority,
    taxonomy: _Taxonomy,
    *,
    source: str,
    reason: Reason,
    score: float | None = None,
    evidence: int | None = None,
    low_evidence: bool = False,
) -> Gap:
    match = taxonomy.lookup(category)
    return Gap(
        type=gap_type,
        category=category,
        priority=priority,
        score=score,
        evidence=evidence,
        low_evidence=low_evidence,
        skill_codes=match.codes,
        match=match.kind,
        taxonomy_key=match.key,
        sources=(source,),
        reasons=(reason, *_match_reasons(match, taxonomy)),
    )


def _low_evidence_reason(category: str, evidence: int, policy: GapPolicy) -> Reason:
    return Reason(
        code="low_evidence",
        message=f"Category {category} rests on {evidence} question(s), fewer than {policy.min_evidence}: "
        "treat the score with caution.",
    )


def _aptitude_gaps(
    result: ProfilerResult, policy: GapPolicy, taxonomy: _Taxonomy, reasons: list[Reason]
) -> list[Gap]:
    gaps = []
    source = "result.aptitude_breakdown"
    for raw_category, category_score in result.aptitude_breakdown.items():
        category = raw_category.strip()
        evidence = category_score.evidence
        if category_score.score is None:
            no_evidence = Reason(
                code="aptitude_no_evidence",
                message=f"Aptitude category {category} has no evidence (0 questions): not scored as 0%.",
            )
            if policy.no_evidence_priority is None:
                reasons.append(no_evidence)
            else:
                gaps.append(
                    _gap(
                        GapType.APTITUDE,
                        category,
                        policy.no_evidence_priority,
                        taxonomy,
                        source=source,
                        reason=no_evidence,
                        evidence=0,
                        low_evidence=True,
                    )
                )
            continue
        priority = policy.priority_for(category_score.score)
        if priority is None:
            continue
        gap = _gap(
            GapType.APTITUDE,
            category,
            priority,
            taxonomy,
            source=source,
            reason=_score_reason(
                code="aptitude_gap",
                subject=f"Aptitude category {category}",
                score=category_score.score,
                policy=policy,
            ),
            score=category_score.score,
            evidence=evidence,
            low_evidence=evidence is not None and evidence < policy.min_evidence,
        )
        if gap.low_evidence and evidence is not None:
            gap = attrs.evolve(gap, reasons=(*gap.reasons, _low_evidence_reason(category, evidence, policy)))
        gaps.append(gap)
    return gaps


def _score_reason(*, code: str, subject: str, score: float, policy: GapPolicy) -> Reason:
    priority = policy.priority_for(score)
    detail = (
        f"below {policy.high_below:g}" if priority is Priority.HIGH else f"at least {policy.high_below:g}"
    )
    return Reason(
        code=code,
        message=f"{subject} scored {score:g} (< {policy.gap_below:g}): "
        f"{priority.value if priority else 'no'} priority ({detail}).",
    )


def _technical_gaps(
    session: ProfilerSession, policy: GapPolicy, taxonomy: _Taxonomy, reasons: list[Reason]
) -> list[Gap]:
    score, answered = session.technical_exposure_score, session.technical_exposure_answered
    source = "session.technical_exposure_score"
    if score is None:
        if answered != 0:
            reasons.append(
                Reason(
                    code="technical_exposure_not_measured",
                    message=f"Session {session.id} has no technical-exposure score.",
                )
            )
            return []
        no_evidence = Reason(
            code="technical_no_evidence",
            message=f"Session {session.id} answered no technical-exposure question: not scored as 0%.",
        )
        if policy.no_evidence_priority is None:
            reasons.append(no_evidence)
            return []
        return [
            _gap(
                GapType.TECHNICAL,
                TECHNICAL_EXPOSURE_CATEGORY,
                policy.no_evidence_priority,
                taxonomy,
                source=source,
                reason=no_evidence,
                evidence=0,
                low_evidence=True,
            )
        ]
    priority = policy.priority_for(score)
    if priority is None:
        return []
    gap = _gap(
        GapType.TECHNICAL,
        TECHNICAL_EXPOSURE_CATEGORY,
        priority,
        taxonomy,
        source=source,
        reason=_score_reason(code="technical_gap", subject="Technical exposure", score=score, policy=policy),
        score=score,
        evidence=answered,
        low_evidence=answered is not None and answered < policy.min_evidence,
    )
    if gap.low_evidence and answered is not None:
        gap = attrs.evolve(
            gap, reasons=(*gap.reasons, _low_evidence_reason(TECHNICAL_EXPOSURE_CATEGORY, answered, policy))
        )
    return [gap]


def _behavioral_gaps(
    profile: BehavioralProfile, result: ProfilerResult | None, policy: GapPolicy, taxonomy: _Taxonomy
) -> list[Gap]:
    entries: list[tuple[str, str]] = [
        (e, "session.behavioral_profile.areas_for_growth") for e in profile.areas_for_growth
    ]
    traits: list[tuple[Mapping[str, float], str]] = [(profile.traits, "session.behavioral_profile.traits")]
    if result is not None:
        entries += [(e, "result.areas_for_growth") for e in result.areas_for_growth]
        traits.append((result.behavioral_traits, "result.behavioral_traits"))
    gaps = []
    for entry, source in entries:
        category = area_for_growth_category(entry)
        if category is None:
            continue
        reason = Reason(
            code="behavioral_area_for_growth",
            message=f"Area for growth {category} is a behavioral gap "
            f"({policy.behavioral_priority.value} priority).",
        )
        gaps.append(
            _gap(
                GapType.BEHAVIORAL,
                category,
                policy.behavioral_priority,
                taxonomy,
                source=source,
                reason=reason,
            )
        )
    threshold = policy.trait_growth_below
    if threshold is not None:
        for trait_map, source in traits:
            for trait, mean in trait_map.items():
                category = " ".join(trait.split()).lower()
                if mean >= threshold or not category:
                    continue
                reason = Reason(
                    code="behavioral_trait_low",
                    message=f"Trait {category} mean {mean:g} is below {threshold:g}: an area for growth "
                    f"({policy.behavioral_priority.value} priority).",
                )
                gaps.append(
                    _gap(
                        GapType.BEHAVIORAL,
                        category,
                        policy.behavioral_priority,
                        taxonomy,
                        source=source,
                        reason=reason,
                    )
                )
    return gaps


def _merge_group(group: Sequence[Gap]) -> Gap:
    if len(group) == 1:
        return group[0]
    best_match = min(group, key=lambda g: _MATCH_ORDER[g.match])
    scores = [g.score for g in group if g.score is not None]
    evidences = [g.evidence for g in group if g.evidence is not None]
    return Gap(
        type=group[0].type,
        category=group[0].category,
        priority=min((g.priority for g in group), key=_PRIORITY_RANK.__getitem__),
        score=min(scores) if scores else None,
        evidence=max(evidences) if evidences else None,
        low_evidence=all(g.low_evidence for g in group),
        skill_codes=[code for g in group for code in g.skill_codes],
        match=best_match.match,
        taxonomy_key=best_match.taxonomy_key,
        sources=tuple(dict.fromkeys(s for g in group for s in g.sources)),
        reasons=tuple(dict.fromkeys(r for g in group for r in g.reasons)),
    )


def merge_gaps(*groups: Iterable[Gap]) -> tuple[Gap, ...]:
    """Merge gaps from several sources into one canonical, de-duplicated tuple.

    Gaps with the same :attr:`Gap.key` (type and normalised category) become
    one: the highest priority, the lowest known score, the largest known
    evidence, ``low_evidence`` only if every part was, the union of codes,
    sources and reasons (first appearance kept). The result does not depend on
    the order of the inputs beyond which spelling of a category is kept (the
    canonical first).

    >>> from profiler_core import GapType, Priority
    >>> a = Gap(type=GapType.BEHAVIORAL, category="communication", priority=Priority.MEDIUM, sources=("a",))
    >>> b = Gap(type=GapType.BEHAVIORAL, category="communication", priority=Priority.HIGH, sources=("b",))
    >>> [(g.category, g.sources) for g in merge_gaps([a], [b])]
    [('communication', ('b', 'a'))]
    """
    by_key: dict[tuple[GapType, str], list[Gap]] = {}
    for group in groups:
        for gap in group:
            by_key.setdefault(gap.key, []).append(gap)
    return _canonical_gaps(
        _merge_group(parts if len(parts) == 1 else sorted(parts, key=_merge_order))
        for parts in by_key.values()
    )


def _merge_order(gap: Gap) -> tuple[tuple[int, int, float, str, str], tuple[str, ...], str]:
    return (_gap_order(gap), gap.sources, repr(gap))


def with_gaps(analysis: GapAnalysis, *groups: Iterable[Gap]) -> GapAnalysis:
    """*analysis* with more gaps merged in (e.g. from skill assessments or a mission).

    >>> from profiler_core import skill_assessment_gaps
    >>> merged = with_gaps(analyze_gaps(None), skill_assessment_gaps({"NET": 50}))
    >>> merged.profiler_completed, merged.recommended_skill_codes, merged.reason_codes
    (False, ('NET',), ('no_completed_session', 'gaps_merged'))
    """
    extra = merge_gaps(*groups)
    if not extra:
        return analysis
    sources = ", ".join(dict.fromkeys(s for g in extra for s in g.sources))
    return attrs.evolve(
        analysis,
        gaps=merge_gaps(analysis.gaps, extra),
        reasons=(
            *analysis.reasons,
            Reason(code="gaps_merged", message=f"Merged {len(extra)} gap(s) from {sources}."),
        ),
    )

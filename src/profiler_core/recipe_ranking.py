"""Recipe ranking (SPEC §4): the recipes that close a learner's gaps, each position explained.

:func:`recommend_recipes`, :func:`mission_stage_recipes` and
:func:`next_best_recipes` rank a catalogue by greedy marginal weighted
coverage of the gaps (weights from a :class:`RankingPolicy`) and explain every
position; without a completed profiler the ranking falls back to popularity,
labelled as such. :func:`recipes_by_code` is the ranking for a one-code gap.
Every ranking de-duplicates the catalogue the same way (one value per recipe
id: the more popular, then a stable textual order).

Imports: ``decisions``, ``errors``, ``models``, ``taxonomy``, ``skill_codes``, ``gaps``, ``gap_sources``,
``vocabulary``
and its private greedy-coverage engine (``_greedy_coverage``);
never the wire edge.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

import attrs
from attrs import field, frozen

from profiler_core._greedy_coverage import (
    _bits,
    _candidates,
    _excluded,
    _greedy,
    _greedy_heads,
    _mask_weight,
    _one_per_id,
    recipe_popularity_key,
)
from profiler_core.decisions import Explained, Policy, PolicyRef, Reason, _reasons
from profiler_core.errors import InvalidValueError, PolicyError
from profiler_core.field_rules import _strings
from profiler_core.gap_sources import SkillAssessment, _subtask_index, mission_gaps, skill_assessment_gaps
from profiler_core.gaps import (
    DEFAULT_GAP_POLICY,
    Gap,
    GapAnalysis,
    GapPolicy,
    GapRef,
    empty_analysis,
    merge_gaps,
    with_gaps,
)
from profiler_core.models import Mission, Recipe
from profiler_core.recipe_catalogue import RecipeCatalogue
from profiler_core.skill_codes import DEFAULT_SKILL_CROSSWALK, CodeMatch, CodeMatchKind, SkillCrosswalk
from profiler_core.taxonomy import normalise_code
from profiler_core.vocabulary import GapType, Priority

__all__ = [
    "RankingPolicy",
    "DEFAULT_RANKING_POLICY",
    "RecipeRecommendation",
    "RecipeRecommendations",
    "recipe_popularity_key",
    "recipes_by_code",
    "recommend_recipes",
    "mission_stage_recipes",
    "next_best_recipes",
]


def _check_weights(instance: RankingPolicy, _attribute: object, _value: object) -> None:
    if not instance.high_weight >= instance.medium_weight >= instance.low_weight >= 1:
        raise PolicyError(
            policy=str(instance.ref),
            reason="need high_weight >= medium_weight >= low_weight >= 1",
        )
    if instance.mission_recommendation_weight < 0:
        raise PolicyError(policy=str(instance.ref), reason="mission_recommendation_weight must be >= 0")


@frozen(kw_only=True)
class RankingPolicy(Policy):
    """The versioned weights of recipe ranking.

    Attributes:
        id: policy id (``"recipe_ranking"``).
        version: policy version.
        high_weight: weight of a high-priority gap (3).
        medium_weight: weight of a medium-priority gap (2).
        low_weight: weight of a low-priority gap (1).
        mission_recommendation_weight: the extra gain of a recipe a mission
            recommends explicitly (:func:`mission_stage_recipes`).

    Raises:
        PolicyError: weights not positive and descending.
    """

    id: str = "recipe_ranking"
    version: int = 1
    high_weight: int = 3
    medium_weight: int = 2
    low_weight: int = 1
    mission_recommendation_weight: int = field(default=2, validator=_check_weights)

    def weight(self, priority: Priority) -> int:
        """The weight of a gap of *priority*."""
        if priority is Priority.HIGH:
            return self.high_weight
        if priority is Priority.MEDIUM:
            return self.medium_weight
        return self.low_weight


#: The default ranking: high 3, medium 2, low 1; a mission's own recommendation adds 2.
DEFAULT_RANKING_POLICY = RankingPolicy()


def recipes_by_code(recipes: Iterable[Recipe]) -> dict[str, tuple[Recipe, ...]]:
    """The active recipes that teach each skill code, best first: the ranking for a one-code gap.

    Keys are :func:`normalise_code` spellings. Among the recipes carrying a
    code, values sharing an id count once, chosen as :func:`recommend_recipes`
    chooses among its candidates (the more popular value, then a stable textual
    order); each list is in :func:`recipe_popularity_key` order. With a single
    gap to close every candidate covers the same weight, so each list is what
    :func:`recommend_recipes` ranks for a gap holding only that code. The
    marketplace links missing skills to recipes with it.

    >>> from profiler_core import Recipe
    >>> index = recipes_by_code(
    ...     [
    ...         Recipe(id="1", slug="dns", title="DNS", skill_codes=("dns", "NET"), usage_count=5),
    ...         Recipe(id="2", slug="net", title="NET", skill_codes=("NET",), usage_count=9),
    ...     ]
    ... )
    >>> {code: [r.slug for r in found] for code, found in index.items()}
    {'NET': ['net', 'dns'], 'DNS': ['dns']}
    """
    by_code: dict[str, list[Recipe]] = {}
    for recipe in sorted((r for r in recipes if r.is_active), key=recipe_popularity_key):
        for code in dict.fromkeys(normalise_code(c) for c in recipe.skill_codes):
            if code:
                by_code.setdefault(code, []).append(recipe)
    return {code: tuple(_one_per_id(found)) for code, found in by_code.items()}


def _recommendations(values: Iterable[RecipeRecommendation]) -> tuple[RecipeRecommendation, ...]:
    return tuple(values)


def _refs(values: Iterable[GapRef]) -> tuple[GapRef, ...]:
    return tuple(values)


def _code_match_tuple(values: Iterable[CodeMatch]) -> tuple[CodeMatch, ...]:
    return tuple(values)


@frozen(kw_only=True)
class RecipeRecommendation(Explained):
    """One ranked recipe and what it closes.

    Attributes:
        rank: 1-based position.
        recipe: the recipe.
        gain: the not-yet-covered gap weight it closed when picked (plus a
            mission's recommendation weight); 0 for a fallback.
        coverage: the total weight of every gap it addresses.
        addressed_gaps: every gap it shares a skill code with.
        closes: the gaps it covered first (not covered by a higher-ranked recipe).
        addressed_codes: its skill codes that close a gap (normalised, in its own order).
        fallback: ``True`` for a popularity fallback, which addresses no gap.
        reasons: why it is here and why at this rank.
        code_matches: its addressed codes that relate to a gap's code other than by
            equality (:mod:`profiler_core.skill_codes`), each ``{code, via, kind}``;
            empty (and left out of the JSON) when every code equals a gap's code.
    """

    rank: int
    recipe: Recipe
    gain: int
    coverage: int
    addressed_gaps: tuple[GapRef, ...] = field(default=(), converter=_refs)
    closes: tuple[GapRef, ...] = field(default=(), converter=_refs)
    addressed_codes: tuple[str, ...] = field(default=(), converter=_strings)
    fallback: bool = False
    reasons: tuple[Reason, ...] = field(default=(), converter=_reasons)
    code_matches: tuple[CodeMatch, ...] = field(default=(), converter=_code_match_tuple)


@frozen(kw_only=True)
class RecipeRecommendations(Explained):
    """A ranked list of recipes, and why it looks as it does.

    Attributes:
        items: the recommendations, best first.
        fallback: ``True`` when the list is the popularity fallback.
        candidates: how many distinct active recipes were eligible.
        reasons: list-level reasons (``ranked_by_coverage``, ``popularity_fallback``,
            ``no_gaps_to_close``...), never empty.
        policy: the ranking policy used.
    """

    items: tuple[RecipeRecommendation, ...] = field(converter=_recommendations)
    fallback: bool
    candidates: int
    reasons: tuple[Reason, ...] = field(converter=_reasons)
    policy: PolicyRef

    @property
    def recipes(self) -> tuple[Recipe, ...]:
        """The recommended recipes, best first."""
        return tuple(item.recipe for item in self.items)


def _check_limit(limit: int) -> None:
    if limit < 0:
        raise InvalidValueError(field="limit", reason="must be >= 0")


def _refset(values: Collection[str]) -> frozenset[str]:
    return frozenset(values)


def _ranked(
    gaps: Sequence[Gap],
    recipes: Iterable[Recipe],
    *,
    limit: int,
    ranking: RankingPolicy,
    required: int | None = None,
    boost_refs: frozenset[str] = frozenset(),
    exclude_refs: frozenset[str] = frozenset(),
    boost_reason: Reason | None = None,
    crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK,
) -> tuple[list[RecipeRecommendation], int]:
    gap_bits = (1 << len(gaps)) - 1
    targets = tuple(dict.fromkeys(code for g in gaps for code in g.skill_codes))
    weights = [ranking.weight(g.priority) for g in gaps]
    gains = [*weights, ranking.mission_recommendation_weight]
    wanted = gap_bits if required is None else required
    if isinstance(recipes, RecipeCatalogue):
        # The index: only the candidates' sets are touched, and the crosswalk was applied once.
        related = functools.cache(recipes._relation(targets, crosswalk))
        heads, candidates = recipes._groups(
            gaps,
            required=wanted,
            boost_refs=boost_refs,
            exclude_refs=exclude_refs,
            crosswalk=crosswalk,
            limit=limit,
        )
        picks = _greedy_heads(heads, gains, limit=limit)
    else:
        related = functools.cache(functools.partial(crosswalk.matches, targets=targets))
        _, groups = _candidates(
            gaps,
            recipes,
            required=wanted,
            boost_refs=boost_refs,
            exclude_refs=exclude_refs,
            related=lambda code: [m.via for m in related(code)],
        )
        candidates = sum(len(bucket) for bucket in groups.values())
        picks = _greedy(groups, gains, limit=limit)
    refs = [g.ref for g in gaps]
    normalise = recipes._normalise if isinstance(recipes, RecipeCatalogue) else normalise_code
    items = []
    for rank, pick in enumerate(picks, start=1):
        addressed_at, closes_at = _bits(pick.mask & gap_bits), _bits(pick.newly & gap_bits)
        addressed = [gaps[i] for i in addressed_at]
        closes = [gaps[i] for i in closes_at]
        neighbours = [picks[i].gain for i in (rank - 2, rank) if 0 <= i < len(picks)]
        reasons = _pick_reasons(
            rank=rank,
            closes=closes,
            closed_weight=_mask_weight(pick.newly & gap_bits, weights),
            addressed=addressed,
            boosted=pick.mask > gap_bits,
            boost_reason=boost_reason,
        )
        if pick.gain in neighbours:
            reasons.append(
                Reason(
                    code="tie_broken_by_popularity",
                    message=f"Rank {rank}: tied on gain {pick.gain} with a neighbour; ordered by usage count "
                    f"({pick.recipe.usage_count}), rating ({pick.recipe.avg_rating:g}), then slug.",
                )
            )
        codes = [c for c in dict.fromkeys(map(normalise, pick.recipe.skill_codes)) if related(c)]
        code_matches = _code_matches(codes, addressed, related)
        if code_matches:
            reasons.append(_related_reason(rank, code_matches, crosswalk))
        items.append(
            RecipeRecommendation(
                rank=rank,
                recipe=pick.recipe,
                gain=pick.gain,
                coverage=_mask_weight(pick.mask & gap_bits, weights),
                addressed_gaps=[refs[i] for i in addressed_at],
                closes=[refs[i] for i in closes_at],
                addressed_codes=codes,
                reasons=reasons,
                code_matches=code_matches,
            )
        )
    return items, candidates


def _code_matches(
    codes: Sequence[str], addressed: Sequence[Gap], related: Callable[[str], tuple[CodeMatch, ...]]
) -> list[CodeMatch]:
    # Per code and addressed gap, the strongest match to one of the gap's codes; only
    # those weaker than equality are recorded (an exact match needs no explaining).
    if all(m.kind is CodeMatchKind.EXACT for code in codes for m in related(code)):
        return []
    found: dict[tuple[str, str], CodeMatch] = {}
    for code in codes:
        matches = related(code)
        for gap in addressed:
            best = next((m for m in matches if m.via in gap.skill_codes), None)
            if best is not None and best.kind is not CodeMatchKind.EXACT:
                found.setdefault((best.code, best.via), best)
    return list(found.values())


def _related_reason(rank: int, matches: Sequence[CodeMatch], crosswalk: SkillCrosswalk) -> Reason:
    pairs = ", ".join(f"{m.code} -> {m.via} ({m.kind.value})" for m in matches)
    return Reason(
        code="related_skill_codes",
        message=f"Rank {rank}: its codes relate to the gaps' codes through {crosswalk.ref}: {pairs}.",
    )


def _names(gaps: Sequence[Gap]) -> str:
    return ", ".join(f"{g.category} ({g.type.value}, {g.priority.value})" for g in gaps)


def _pick_reasons(
    *,
    rank: int,
    closes: Sequence[Gap],
    closed_weight: int,
    addressed: Sequence[Gap],
    boosted: bool,
    boost_reason: Reason | None,
) -> list[Reason]:
    reasons = []
    if closes:
        reasons.append(
            Reason(
                code="closes_gaps",
                message=f"Rank {rank}: closes {closed_weight} not-yet-covered gap weight: {_names(closes)}.",
            )
        )
    elif addressed:
        reasons.append(
            Reason(
                code="reinforces_covered_gaps",
                message=f"Rank {rank}: its gaps are already covered by higher-ranked recipes "
                f"({_names(addressed)}); it adds practice.",
            )
        )
    if boosted and boost_reason is not None:
        reasons.append(boost_reason)
    profiler = [g for g in addressed if g.type is not GapType.MISSION]
    if boost_reason is not None and profiler:
        reasons.append(
            Reason(
                code="also_closes_profiler_gap",
                message=f"Rank {rank}: also addresses the learner's own gaps: {_names(profiler)}.",
            )
        )
    return reasons


def _fallback(
    recipes: Iterable[Recipe], *, limit: int, ranking: RankingPolicy, exclude_refs: frozenset[str], why: str
) -> RecipeRecommendations:
    if isinstance(recipes, RecipeCatalogue):
        top, count = recipes._popular(limit, exclude_refs)
    else:
        chosen = _one_per_id(r for r in recipes if r.is_active and not _excluded(r, exclude_refs))
        top, count = heapq.nsmallest(limit, chosen, key=recipe_popularity_key), len(chosen)
    items = [
        RecipeRecommendation(
            rank=rank,
            recipe=recipe,
            gain=0,
            coverage=0,
            fallback=True,
            reasons=(
                Reason(
                    code="popularity_fallback",
                    message=f"Rank {rank}: a popular recipe (usage count {recipe.usage_count}, rating "
                    f"{recipe.avg_rating:g}), not matched to any gap.",
                ),
            ),
        )
        for rank, recipe in enumerate(top, start=1)
    ]
    return RecipeRecommendations(
        items=items,
        fallback=True,
        candidates=count,
        reasons=(
            Reason(
                code="popularity_fallback",
                message=f"{why} The most popular active recipes are shown instead (a fallback).",
            ),
        ),
        policy=ranking.ref,
    )


def _list_reasons(
    gaps: Sequence[Gap], items: Sequence[RecipeRecommendation], candidates: int
) -> list[Reason]:
    if not gaps:
        return [
            Reason(
                code="no_gaps_to_close", message="There are no gaps to close, so no recipe is recommended."
            )
        ]
    if not any(g.skill_codes for g in gaps):
        return [
            Reason(
                code="no_skill_codes",
                message=f"None of the {len(gaps)} gap(s) maps to a skill code, so no recipe can be matched.",
            )
        ]
    return [_coverage_reason(gaps, items, candidates)]


def _coverage_reason(gaps: Sequence[Gap], items: Sequence[RecipeRecommendation], candidates: int) -> Reason:
    if not candidates:
        return Reason(
            code="no_matching_recipes", message="No active recipe shares a skill code with the gaps."
        )
    return Reason(
        code="ranked_by_coverage",
        message=f"Ranked {len(items)} of {candidates} candidate recipe(s) by marginal weighted "
        f"coverage of {len(gaps)} gap(s), then usage count, rating and slug.",
    )


def recommend_recipes(
    analysis: GapAnalysis,
    recipes: Iterable[Recipe],
    limit: int = 10,
    *,
    ranking: RankingPolicy = DEFAULT_RANKING_POLICY,
    crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK,
) -> RecipeRecommendations:
    """Rank the recipes that close the analysis' gaps (SPEC §4).

    Candidates are the active recipes sharing a skill code with a gap: one of
    their codes relates to one of the gap's codes through *crosswalk*
    (:meth:`SkillCrosswalk.matches <profiler_core.skill_codes.SkillCrosswalk.matches>`:
    equal as :func:`normalise_code` compares, or normalised, crosswalk, token or
    prefix), de-duplicated by id. Every match kind covers a gap alike. Each next pick is
    the candidate that covers the most not-yet-covered gap weight (high 3,
    medium 2, low 1; a gap is covered once any picked recipe shares a code with
    it), ties broken by :func:`recipe_popularity_key`. Without a completed
    profiler and without gaps from another source, the most popular active
    recipes are returned instead, each labelled ``fallback``.

    Runs in one pass over the catalogue plus ``O(limit x groups x log)``, where
    groups are the distinct gap-coverage patterns. *recipes* may be a
    :class:`~profiler_core.recipe_catalogue.RecipeCatalogue` built once: the
    same result, touching only the recipes that cover a gap (every ranking here
    accepts one).

    Raises:
        InvalidValueError: *limit* is negative.

    >>> from profiler_core import Recipe, analyze_gaps
    >>> catalogue = [
    ...     Recipe(id="1", slug="dns", title="DNS", skill_codes=("DNS",), usage_count=10),
    ...     Recipe(id="2", slug="basics", title="Basics", skill_codes=("TECH",), usage_count=900),
    ... ]
    >>> [r.recipe.slug for r in recommend_recipes(analyze_gaps(None), catalogue).items]
    ['basics', 'dns']
    """
    _check_limit(limit)
    if not analysis.profiler_completed and not analysis.gaps:
        return _fallback(
            recipes,
            limit=limit,
            ranking=ranking,
            exclude_refs=frozenset(),
            why="There is no completed profiler, so there are no gaps to rank by.",
        )
    gaps = analysis.gaps
    items, candidates = (
        _ranked(gaps, recipes, limit=limit, ranking=ranking, crosswalk=crosswalk) if gaps else ([], 0)
    )
    return RecipeRecommendations(
        items=items,
        fallback=False,
        candidates=candidates,
        reasons=_list_reasons(gaps, items, candidates),
        policy=ranking.ref,
    )


def mission_stage_recipes(
    mission: Mission,
    recipes: Iterable[Recipe],
    *,
    analysis: GapAnalysis | None = None,
    current_subtask: int | str | None = 0,
    limit: int = 5,
    policy: GapPolicy = DEFAULT_GAP_POLICY,
    ranking: RankingPolicy = DEFAULT_RANKING_POLICY,
    crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK,
) -> RecipeRecommendations:
    """Recipes for the stage a learner is at in *mission* (SPEC §4).

    Candidates are active recipes that share a code with the stage's
    :func:`mission_gaps`, or that the mission recommends explicitly in
    ``recipe_recommendations`` (by id or slug). They are ranked by greedy
    marginal weighted coverage over the mission gaps *merged with the learner's
    profiler gaps*, so a recipe that also closes a profiler gap ranks higher;
    an explicit recommendation adds the ranking policy's
    ``mission_recommendation_weight`` to its gain. De-duplicated by id.

    Raises:
        InvalidValueError: *limit* is negative.
    """
    _check_limit(limit)
    stage = mission_gaps(mission, current_subtask=current_subtask, policy=policy)
    profiler = analysis.gaps if analysis is not None else ()
    gaps = merge_gaps(stage, profiler)
    required = sum(1 << i for i, g in enumerate(gaps) if g.type is GapType.MISSION)
    explicit = _refset([r.strip() for r in mission.recipe_recommendations if r.strip()])
    items, candidates = _ranked(
        gaps,
        recipes,
        limit=limit,
        ranking=ranking,
        required=required,
        boost_refs=explicit,
        crosswalk=crosswalk,
        boost_reason=Reason(
            code="mission_recommended",
            message=f"Mission {mission.id} recommends this recipe explicitly "
            f"(+{ranking.mission_recommendation_weight} gain).",
        ),
    )
    reasons = [
        Reason(
            code="mission_stage",
            message=f"Mission {mission.id}: {len(stage)} stage skill code(s), {len(explicit)} explicit "
            f"recommendation(s), {len(profiler)} profiler gap(s).",
        )
    ]
    if _subtask_index(mission, current_subtask) is None:
        reasons.append(
            Reason(
                code="no_current_subtask",
                message=f"Mission {mission.id} has no current subtask {current_subtask!s}: "
                "only its tags count.",
            )
        )
    reasons.append(_coverage_reason(gaps, items, candidates))
    return RecipeRecommendations(
        items=items, fallback=False, candidates=candidates, reasons=reasons, policy=ranking.ref
    )


def next_best_recipes(
    analysis: GapAnalysis | None,
    recipes: Iterable[Recipe],
    *,
    skill_assessments: Iterable[SkillAssessment] | Mapping[str, object] = (),
    completed: Collection[str] = (),
    limit: int = 3,
    policy: GapPolicy = DEFAULT_GAP_POLICY,
    ranking: RankingPolicy = DEFAULT_RANKING_POLICY,
    crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK,
) -> RecipeRecommendations:
    """The next few recipes a coach would suggest (SPEC §4).

    Gaps come from the profiler *analysis* and from *skill_assessments*
    (``{skill_code: {score, level}}``, below 70 is a gap), merged with their
    sources kept; recipes in *completed* (ids or slugs) are left out. Ranked
    like :func:`recommend_recipes`; with no gaps from any source and no
    completed profiler, the popularity fallback applies.

    Raises:
        InvalidValueError: *limit* is negative.
        InvalidPayloadError: a raw *skill_assessments* mapping breaks the shape.
    """
    _check_limit(limit)
    base = (
        analysis
        if analysis is not None
        else empty_analysis(
            Reason(code="no_completed_session", message="No profiler analysis was given."),
            policy=policy,
        )
    )
    merged = with_gaps(base, skill_assessment_gaps(skill_assessments, policy=policy))
    exclude = _refset([c.strip() for c in completed if c.strip()])
    reasons: list[Reason] = []
    if exclude:
        reasons.append(
            Reason(
                code="completed_recipes_excluded",
                message=f"{len(exclude)} completed recipe reference(s) are left out.",
            )
        )
    if not merged.profiler_completed and not merged.gaps:
        fallback = _fallback(
            recipes,
            limit=limit,
            ranking=ranking,
            exclude_refs=exclude,
            why="There is no completed profiler and no assessed skill gap.",
        )
        return attrs.evolve(fallback, reasons=(*fallback.reasons, *reasons))
    gaps = merged.gaps
    items, candidates = (
        _ranked(gaps, recipes, limit=limit, ranking=ranking, exclude_refs=exclude, crosswalk=crosswalk)
        if gaps
        else ([], 0)
    )
    return RecipeRecommendations(
        items=items,
        fallback=False,
        candidates=candidates,
        reasons=(*_list_reasons(gaps, items, candidates), *reasons),
        policy=ranking.ref,
    )

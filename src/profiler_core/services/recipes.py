"""Recipes use case (SPEC §4): the learner's gaps and the recipes that close them.

Logs on ``profiler_core.recipes``.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

import attrs
from attrs import field, frozen

from profiler_core._logging import get_logger
from profiler_core.decisions import Reason
from profiler_core.errors import InvalidValueError
from profiler_core.gap_policy import DEFAULT_GAP_POLICY, GapPolicy
from profiler_core.gaps import GapAnalysis, analyze_gaps, empty_analysis
from profiler_core.models import (
    IdLike,
    ProfilerSession,
    Recipe,
    UserId,
    _to_id,
    _valid_id,
)
from profiler_core.ports import (
    RecipeRepository,
    SessionRepository,
)
from profiler_core.recipe_catalogue import RecipeCatalogue
from profiler_core.recipe_ranking import (
    DEFAULT_RANKING_POLICY,
    RankingPolicy,
    RecipeRecommendations,
    recommend_recipes,
)
from profiler_core.services._common import _Guard, _id_arg, _is_degraded
from profiler_core.skill_codes import DEFAULT_SKILL_CROSSWALK, CodeMatchKind, SkillCrosswalk
from profiler_core.taxonomy import DEFAULT_TAXONOMY, Taxonomy, normalise_code

__all__ = [
    "ProfilerStatus",
    "ProfilerRecommendations",
    "profiler_recommendations",
]


_recipes_log = get_logger("recipes")


class ProfilerStatus(enum.StrEnum):
    """The ``profiler_status`` of the recommendations response."""

    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"
    UNAVAILABLE = "unavailable"


@frozen(kw_only=True)
class ProfilerRecommendations:
    """What ``GET /api/v1/recipes/profiler-recommendations`` returns, as a value.

    ``unstructure(outcome)`` is the endpoint's body: ``gaps_analysis`` (the
    analysis) and ``recommended_recipes`` (the items) as
    :func:`~profiler_core.unstructure` renders them; ``total_gaps``,
    ``total_skills``, ``profiler_status`` and ``message`` as the platform names
    them, plus ``fallback``, ``degraded``, ``reasons`` (the list-level ranking
    reasons) and ``policy`` (the ranking policy). It does not carry the learner
    id or the candidate count, so it is not read back with ``structure``.

    Attributes:
        learner_id: the learner.
        profiler_status: ``completed``, ``not_completed`` (no completed session: the
            popularity fallback) or ``unavailable`` (the session repository failed).
        analysis: the gap analysis.
        recommendations: the ranked recipes (or the labelled fallback).
        message: one sentence for the learner (no names, no free text).
        degraded: derived: ``True`` when a repository failed and a default was used
            (``profiler_unavailable``, ``result_unavailable`` or ``recipes_unavailable``
            among the analysis or ranking reasons).
    """

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    profiler_status: ProfilerStatus
    analysis: GapAnalysis
    recommendations: RecipeRecommendations
    message: str
    degraded: bool = field(init=False)

    @degraded.default
    def _derive_degraded(self) -> bool:
        # Derived, never passed in: degraded exactly when a degraded reason is present.
        return _is_degraded(self.analysis.reasons, self.recommendations.reasons)

    @property
    def total_gaps(self) -> int:
        """How many gaps the analysis found."""
        return self.analysis.total_gaps

    @property
    def total_skills(self) -> int:
        """How many distinct skill codes close them."""
        return self.analysis.total_skills


def _recommendations_message(
    status: ProfilerStatus, analysis: GapAnalysis, ranked: RecipeRecommendations, recipes_failed: bool
) -> str:
    if status is ProfilerStatus.UNAVAILABLE:
        lead = "Your profiler results are unavailable right now"
    elif status is ProfilerStatus.NOT_COMPLETED:
        lead = "Complete the profiler to get recommendations for your skill gaps"
    elif not analysis.gaps:
        return "No skill gaps found in your profiler results."
    else:
        lead = f"Found {analysis.total_gaps} skill gap(s) in your profiler results"
    if recipes_failed:
        return f"{lead}; recipes are unavailable right now, please try again later."
    if ranked.fallback:
        return f"{lead}; here are popular recipes to start with."
    if not ranked.items:
        return f"{lead}; no recipe covers them yet."
    return f"{lead}; {len(ranked.items)} recipe(s) recommended to close them."


def profiler_recommendations(
    learner_id: IdLike,
    *,
    sessions: SessionRepository,
    recipes: RecipeRepository | RecipeCatalogue,
    policy: GapPolicy = DEFAULT_GAP_POLICY,
    taxonomy: Taxonomy = DEFAULT_TAXONOMY,
    ranking: RankingPolicy = DEFAULT_RANKING_POLICY,
    limit: int = 10,
    crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK,
) -> ProfilerRecommendations:
    """The learner's gaps and the recipes that close them (``GET /api/v1/recipes/profiler-recommendations``).

    At most three repository calls whatever the catalogue size: the latest
    completed session, its result, and one recipe query (recipes sharing the
    gaps' codes, or the popular recipes for the fallback); two with a recipe
    catalogue, which is ranked in memory. Without a completed
    session the analysis is empty (``no_completed_session``) and the recipes are
    the popularity fallback, labelled as such.

    A repository failure (:func:`~profiler_core.errors.is_repository_failure`)
    never raises to the host; each is logged at WARNING and degrades with a
    reason: the session repository (``profiler_unavailable``, popularity
    fallback), the result lookup (``result_unavailable``: the analysis goes on
    without the result), the recipe repository (``recipes_unavailable``: no
    recipes listed). Any other exception from an adapter propagates. A session
    of another learner, or a result row of another session (a faulty adapter),
    is dropped with a WARNING and counts as absent.

    Args:
        learner_id: the learner (``str``, ``int`` or ``UUID``; canonicalised first).
        sessions: the session port.
        recipes: the recipe port, or a :class:`~profiler_core.recipe_catalogue.RecipeCatalogue`
            the host built once: then the recipes are ranked against it (every active
            recipe whose codes relate to a gap is a candidate) and no recipe query is made.
        policy: the gap policy.
        taxonomy: the taxonomy.
        ranking: the ranking policy.
        limit: how many recipes at most.
        crosswalk: how real skill codes relate to the gaps' codes (the ranking's
            ``crosswalk``); the recipe query also asks for the crosswalk's real
            codes that relate to a gap's code (``SIEM_RULE_WRITING`` for
            ``SIEM``), so recipes tagged only with them are candidates.

    Raises:
        InvalidValueError: *limit* is negative, or *learner_id* is not an id.
    """
    if limit < 0:
        raise InvalidValueError(field="limit", reason="must be >= 0")
    learner = UserId(_id_arg(learner_id, "learner_id"))
    guard = _Guard(log=_recipes_log, extra={"learner_id": learner})
    status, analysis = _learner_analysis(learner, sessions, policy, taxonomy, guard)
    ranked, unavailable = _ranked_recipes(recipes, analysis, limit, ranking, guard, crosswalk=crosswalk)
    outcome = ProfilerRecommendations(
        learner_id=learner,
        profiler_status=status,
        analysis=analysis,
        recommendations=ranked,
        message=_recommendations_message(status, analysis, ranked, unavailable),
    )
    _log_recommendations(guard, outcome)
    return outcome


def _learner_analysis(
    learner: UserId, sessions: SessionRepository, policy: GapPolicy, taxonomy: Taxonomy, guard: _Guard
) -> tuple[ProfilerStatus, GapAnalysis]:
    """The profiler status and gap analysis (empty, with the reason, when the profiler is unreadable)."""
    profiler_down = Reason(
        code="profiler_unavailable", message="Profiler data is unavailable; there are no gaps to analyse."
    )
    session = guard.fetch(
        lambda: guard.owned_map(
            sessions.latest_completed_sessions([learner]), [learner], lambda s: s.user_id, "a session"
        ).get(learner),
        None,
        "session repository failed; popularity fallback applies",
        profiler_down,
    )
    if guard.failed(profiler_down):
        empty = empty_analysis(profiler_down, learner_id=learner, policy=policy, taxonomy=taxonomy)
        return ProfilerStatus.UNAVAILABLE, empty
    status = ProfilerStatus.NOT_COMPLETED if session is None else ProfilerStatus.COMPLETED
    return status, _analysis(session, learner, sessions, policy, taxonomy)


def _ranked_recipes(
    recipes: RecipeRepository | RecipeCatalogue,
    analysis: GapAnalysis,
    limit: int,
    ranking: RankingPolicy,
    guard: _Guard,
    *,
    crosswalk: SkillCrosswalk,
) -> tuple[RecipeRecommendations, bool]:
    """The recipes ranked for *analysis*, and whether the catalogue could not be read."""
    if isinstance(recipes, RecipeCatalogue):
        return recommend_recipes(analysis, recipes, limit, ranking=ranking, crosswalk=crosswalk), False
    fallback = not analysis.profiler_completed and not analysis.gaps
    recipes_down = Reason(code="recipes_unavailable", message="The recipe catalogue is unavailable.")
    catalogue = guard.fetch(
        lambda: _catalogue(recipes, analysis, fallback, limit, crosswalk),
        None,
        "recipe repository failed; no recipes listed",
        recipes_down,
    )
    if catalogue is None:
        empty = RecipeRecommendations(
            items=(), fallback=fallback, candidates=0, reasons=(recipes_down,), policy=ranking.ref
        )
        return empty, True
    return recommend_recipes(analysis, catalogue, limit, ranking=ranking, crosswalk=crosswalk), False


def _log_recommendations(guard: _Guard, outcome: ProfilerRecommendations) -> None:
    analysis, ranked = outcome.analysis, outcome.recommendations
    guard.decided(
        "profiler recommendations decided",
        learner_id=outcome.learner_id,
        session_id=analysis.session_id,
        profiler_status=outcome.profiler_status.value,
        gap_codes=tuple(f"{g.type.value}:{g.priority.value}" for g in analysis.gaps),
        total_gaps=analysis.total_gaps,
        total_skills=analysis.total_skills,
        reason_codes=analysis.reason_codes + ranked.reason_codes,
        recipe_ids=tuple(item.recipe.id for item in ranked.items),
        fallback=ranked.fallback,
        degraded=outcome.degraded,
        policy=str(analysis.policy),
        taxonomy=str(analysis.taxonomy),
        ranking=str(ranked.policy),
    )


def _analysis(
    session: ProfilerSession | None,
    learner: UserId,
    sessions: SessionRepository,
    policy: GapPolicy,
    taxonomy: Taxonomy,
) -> GapAnalysis:
    """The gap analysis of *session* (one result read); a failed read is noted in its reasons."""
    if session is None:
        return attrs.evolve(analyze_gaps(None, None, policy=policy, taxonomy=taxonomy), learner_id=learner)
    sid = session.id
    guard = _Guard(log=_recipes_log, extra={"learner_id": learner, "session_id": sid})
    result = guard.fetch(
        lambda: guard.owned_map(
            sessions.results_for_sessions([sid]),
            [sid],
            lambda r: r.session_id,
            "a result row",
            unlinked_ok=True,
        ).get(sid),
        None,
        "result lookup failed; gaps analysed without the result",
        Reason(
            code="result_unavailable",
            message="The profiler result could not be read; aptitude gaps are unavailable.",
        ),
    )
    analysis = analyze_gaps(session, result, policy=policy, taxonomy=taxonomy)
    return attrs.evolve(analysis, reasons=(*analysis.reasons, *guard.notes)) if guard.notes else analysis


def _catalogue(
    recipes: RecipeRepository, analysis: GapAnalysis, fallback: bool, limit: int, crosswalk: SkillCrosswalk
) -> Sequence[Recipe]:
    """The recipes to rank: the popular ones (fallback), else those sharing the gaps' codes; one call."""
    if fallback:
        return recipes.popular_recipes(limit)
    if analysis.recommended_skill_codes:
        return recipes.active_recipes_with_codes(
            _crosswalk_codes(analysis.recommended_skill_codes, crosswalk)
        )
    return ()


def _crosswalk_codes(codes: Sequence[str], crosswalk: SkillCrosswalk) -> tuple[str, ...]:
    """*codes*, then the crosswalk's real codes whose entry names one of them (the recipe query's codes).

    Token and prefix relations cannot be listed ahead; they apply to the recipes the query returns.
    """
    if CodeMatchKind.CROSSWALK not in crosswalk.kinds:
        return tuple(codes)
    wanted = {normalise_code(c) for c in codes}
    related = (
        code
        for code, targets in crosswalk.entries.items()
        if any(normalise_code(t) in wanted for t in targets)
    )
    return tuple(dict.fromkeys([*codes, *related]))

"""Decisions and results on the wire: gap analyses, recipe rankings, missions, access decisions.

Where a value's documented JSON differs from the attrs default (a derived field
the body keeps, a flattened recipe), a hook here writes it and reads it back,
so ``structure(unstructure(x), type(x)) == x``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from profiler_core.access import AccessDecision
from profiler_core.errors import PolicyError, WireValueError
from profiler_core.gaps import GapAnalysis
from profiler_core.leadership import LeadershipStatement, StatementNotFound
from profiler_core.mapping import EligibleMissions
from profiler_core.match_results import JobRanking, MatchScore
from profiler_core.recipe_ranking import RecipeRecommendation
from profiler_core.serialization._collections import _origin
from profiler_core.serialization._inputs import _attrs_hook
from profiler_core.taxonomy import Taxonomy

# --- gap analysis and recipe ranking shapes -----------------------------------
# The documented JSON of these values differs from the attrs default in one way
# each: an analysis also carries its (derived) recommended_skill_codes and names
# its policies "id@version" (as the recipes endpoint always has); a
# recommendation is the recipe's own fields plus the ranking fields. Both read
# back (structure) to the same value.

_RECOMMENDATION_FIELDS = frozenset(a.name for a in attrs.fields(RecipeRecommendation)) - {"recipe"}


def _unstructure_analysis(converter: cattrs.Converter) -> Callable[[GapAnalysis], dict[str, Any]]:
    generated = make_dict_unstructure_fn(GapAnalysis, converter)

    def hook(value: GapAnalysis) -> dict[str, Any]:
        data: dict[str, Any] = generated(value)
        data["recommended_skill_codes"] = list(value.recommended_skill_codes)
        return data

    return hook


def _structure_analysis(converter: cattrs.Converter) -> Callable[[object, object], GapAnalysis]:
    generated = _attrs_hook(GapAnalysis, converter)

    def hook(value: object, _type: object) -> GapAnalysis:
        if isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if k != "recommended_skill_codes"}
        analysis: GapAnalysis = generated(value, GapAnalysis)
        return analysis

    return hook


def _unstructure_recommendation(
    converter: cattrs.Converter,
) -> Callable[[RecipeRecommendation], dict[str, Any]]:
    generated = make_dict_unstructure_fn(RecipeRecommendation, converter)

    def hook(value: RecipeRecommendation) -> dict[str, Any]:
        ranking: dict[str, Any] = generated(value)
        data: dict[str, Any] = ranking.pop("recipe")
        data.update(ranking)
        # Only when a code relates other than by equality (issue 13): exact-only bodies stay as they were.
        if not data["code_matches"]:
            del data["code_matches"]
        return data

    return hook


def _structure_recommendation(
    converter: cattrs.Converter,
) -> Callable[[object, object], RecipeRecommendation]:
    generated = _attrs_hook(RecipeRecommendation, converter)

    def hook(value: object, _type: object) -> RecipeRecommendation:
        if isinstance(value, Mapping):
            ranking = {k: v for k, v in value.items() if k in _RECOMMENDATION_FIELDS}
            ranking["recipe"] = {k: v for k, v in value.items() if k not in _RECOMMENDATION_FIELDS}
            value = ranking
        recommendation: RecipeRecommendation = generated(value, RecipeRecommendation)
        return recommendation

    return hook


# --- EligibleMissions: the derived next_mission stays in the body (issue 12) --


def _eligible_missions_hook(converter: cattrs.Converter) -> Callable[[EligibleMissions], dict[str, Any]]:
    # next_mission is derived (the first eligible mission); hosts read it, so the
    # body keeps the key, computed here. structure ignores it and re-derives it.
    generated = make_dict_unstructure_fn(EligibleMissions, converter)

    def hook(value: EligibleMissions) -> dict[str, Any]:
        data = generated(value)
        return {
            "decision": data["decision"],
            "missions": data["missions"],
            "next_mission": converter.unstructure(value.next_mission),
            "empty_reason": data["empty_reason"],
            # Notes on the catalogue (SPEC §2's kept vocabulary): only when there are some.
            **({"reasons": data["reasons"]} if value.reasons else {}),
        }

    return hook


# --- AccessDecision: the derived allowed stays in the record (issue 12) ------


def _is_access_decision(type_: object) -> bool:
    return _origin(type_) is AccessDecision


def _access_decision_hook(converter: cattrs.Converter) -> Callable[[AccessDecision[Any]], dict[str, Any]]:
    # allowed is derived from the view; the full record (audit trails, admin
    # tools) keeps the key, first, as before. structure ignores it.
    generated = make_dict_unstructure_fn(AccessDecision, converter)

    def hook(value: AccessDecision[Any]) -> dict[str, Any]:
        return {"allowed": value.allowed, **generated(value)}

    return hook


def _has_derived_fields(type_: Any) -> bool:
    origin = _origin(type_)
    return attrs.has(origin) and any(not a.init and not a.name.startswith("_") for a in attrs.fields(origin))


def _derived_fields_hook(type_: Any, converter: cattrs.Converter) -> Callable[[Any], Any]:
    # A public field a value derives (``init=False``: a service outcome's ``degraded``) goes out like
    # any other field; structure recomputes it, so the value still round-trips.
    private: dict[str, Any] = {
        a.name: override(omit=True)
        for a in attrs.fields(_origin(type_))
        if not a.init and a.name.startswith("_")
    }
    return make_dict_unstructure_fn(type_, converter, _cattrs_include_init_false=True, **private)


def _taxonomy(value: object, _type: object) -> Taxonomy:
    # Taxonomy.from_dict is the taxonomy's parsing constructor: it lists every
    # problem with its path, in a PolicyError; on the wire that is one problem here.
    if not isinstance(value, Mapping):
        raise WireValueError(f"must be an object, got {type(value).__name__}", problem_code="not_an_object")
    try:
        return Taxonomy.from_dict(value)
    except PolicyError as exc:
        raise WireValueError(exc.reason, problem_code="invalid_value") from None


# --- learner_id in the API, user_id on the wire (issue 12) ---------------------

#: Values whose learner is ``learner_id`` in the API and was ``user_id`` in the JSON
#: hosts already read: the key stays (the endpoint bodies are byte-identical).
LEARNER_ID_AS_USER_ID: tuple[type, ...] = (MatchScore, JobRanking, LeadershipStatement, StatementNotFound)


def _learner_id_as_user_id(converter: cattrs.Converter) -> None:
    # MatchScore first: the JobRanking hook generated next embeds the hook it finds for it.
    for cls in LEARNER_ID_AS_USER_ID:
        renamed = override(rename="user_id")
        converter.register_unstructure_hook(cls, make_dict_unstructure_fn(cls, converter, learner_id=renamed))
        converter.register_structure_hook(cls, make_dict_structure_fn(cls, converter, learner_id=renamed))

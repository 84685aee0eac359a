"""Endpoint bodies: the JSON of the service outcomes a host returns as it is.

``unstructure(outcome)`` is the documented body of the endpoint each outcome
answers: the mentee results for :class:`~profiler_core.services.ResultsAllowed`,
the recommendations for :class:`~profiler_core.services.ProfilerRecommendations`,
the candidate ranking plus ``degraded`` for
:class:`~profiler_core.services.TalentSearch`. (``TalentMatches`` needs no hook:
its attrs shape is its body.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import cattrs

from profiler_core.access import VIEW_FIELDS, ResultsProjection
from profiler_core.matching import CandidateRanking
from profiler_core.models import CategoryScore
from profiler_core.serialization._scalars import _enum_value
from profiler_core.services.access import ResultsAllowed
from profiler_core.services.marketplace import TalentSearch
from profiler_core.services.recipes import ProfilerRecommendations

# --- mentee results: the platform's field names, exactly the view's keys -------


def _category(score: CategoryScore) -> dict[str, Any]:
    return {"score": score.score, "correct": score.correct, "total": score.total}


def _results_core(p: ResultsProjection) -> dict[str, Any]:
    # What every view may show, in the platform's order and names.
    return {
        "view": p.view.value,
        "mentee_id": p.learner_id,
        "session_id": p.session_id,
        "completed_at": p.completed_at.isoformat() if p.completed_at else None,
        "is_locked": p.is_locked,
        "scores": {
            "overall": p.scores.overall,
            "aptitude": p.scores.aptitude,
            "behavioral": p.scores.behavioral,
            "technical_exposure": p.scores.technical_exposure,
        },
        "recommended_track": {
            "track_key": p.recommended_track.value if p.recommended_track else None,
            "confidence": p.track_confidence,
        },
        "strengths": list(p.strengths),
        "areas_for_growth": list(p.areas_for_growth),
        "behavioral_profile": {
            "traits": dict(p.behavioral_profile.traits),
            "strengths": list(p.behavioral_profile.strengths),
            "areas_for_growth": list(p.behavioral_profile.areas_for_growth),
        },
        "aptitude_breakdown": {name: _category(score) for name, score in p.aptitude_breakdown.items()},
    }


def _results_extra(p: ResultsProjection) -> dict[str, Any]:
    # The fields wider views add (empty in a projection whose view does not show them).
    statement, reflection, anti_cheat = p.value_statement, p.reflection, p.anti_cheat
    return {
        "value_statement": None
        if statement is None
        else {
            "entry_id": statement.entry_id,
            "title": statement.title,
            "summary": statement.summary,
            "visibility": statement.visibility.value,
        },
        "difficulty_selection": p.difficulty_selection.value if p.difficulty_selection else None,
        "track_alignment_percentages": {k.value: v for k, v in p.track_alignment_percentages.items()},
        "reflection": None
        if reflection is None
        else {"why_cyber": reflection.why_cyber, "what_achieve": reflection.what_achieve},
        "identity_responses": [{"question_id": r.question_id, "text": r.text} for r in p.identity_responses],
        "anti_cheat": None
        if anti_cheat is None
        else {"score": anti_cheat.score, "flags": list(anti_cheat.flags)},
    }


def _mentee_results_body(projection: ResultsProjection) -> dict[str, Any]:
    """The body of ``GET /api/v1/profiler/mentees/{id}/results``: exactly the keys of ``VIEW_FIELDS``."""
    everything = {**_results_core(projection), **_results_extra(projection)}
    return {key: everything[key] for key in VIEW_FIELDS[projection.view]}


def _unstructure_results_allowed(outcome: ResultsAllowed) -> dict[str, Any]:
    return _mentee_results_body(outcome.projection)


# --- recipes and marketplace --------------------------------------------------


def _recommendations_hook(converter: cattrs.Converter) -> Callable[[ProfilerRecommendations], dict[str, Any]]:
    def hook(outcome: ProfilerRecommendations) -> dict[str, Any]:
        ranked = outcome.recommendations
        return {
            "gaps_analysis": converter.unstructure(outcome.analysis),
            "recommended_recipes": converter.unstructure(ranked.items),
            "total_gaps": outcome.total_gaps,
            "total_skills": outcome.total_skills,
            "profiler_status": _enum_value(outcome.profiler_status),
            "message": outcome.message,
            "fallback": ranked.fallback,
            "degraded": outcome.degraded,
            "reasons": converter.unstructure(ranked.reasons),
            "policy": str(ranked.policy),
        }

    return hook


def _talent_search_hooks(
    converter: cattrs.Converter,
) -> tuple[Callable[[TalentSearch], dict[str, Any]], Callable[[object, object], TalentSearch]]:
    # The ranking's own keys plus the derived "degraded" (which structure recomputes).
    def unstructure_hook(search: TalentSearch) -> dict[str, Any]:
        return {**converter.unstructure(search.ranking), "degraded": search.degraded}

    def structure_hook(value: object, _type: object) -> TalentSearch:
        if isinstance(value, Mapping):
            value = {key: item for key, item in value.items() if key != "degraded"}
        return TalentSearch(ranking=converter.structure(value, CandidateRanking))

    return unstructure_hook, structure_hook


def configure_bodies(converter: cattrs.Converter) -> None:
    """Install the endpoint-body hooks of the service outcomes on *converter*."""
    converter.register_unstructure_hook(ResultsAllowed, _unstructure_results_allowed)
    converter.register_unstructure_hook(ProfilerRecommendations, _recommendations_hook(converter))
    unstructure_search, structure_search = _talent_search_hooks(converter)
    converter.register_unstructure_hook(TalentSearch, unstructure_search)
    converter.register_structure_hook(TalentSearch, structure_search)

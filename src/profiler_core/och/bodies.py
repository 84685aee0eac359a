"""The bodies the OCH frontend reads, rendered from the library's own result objects.

Each function takes the value a service returns (the same value whose
``unstructure(...)`` JSON the library's hosts answer with), renders that JSON
once with :func:`~profiler_core.serialization.unstructure_object`, and renames
or adds keys so the body has the OCH platform's field names (its Django views
and the Next.js client's TypeScript types). Nothing is decided again here: who
may see what, which gaps, which recipes, which missions are the library's
decisions. The library's extras (``reasons``, ``policy``, ``degraded``, ...)
sit beside the platform's fields, never instead of them, and every body
carries ``body_version`` (:data:`BODY_VERSION`). Field by field:
docs/reference/och.md.

What the library's values do not hold (the user's name and email, the track
UUIDs, a recipe's description, a mission's description) the host passes in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from attrs import field, frozen

from profiler_core.models import IdLike, PortfolioEntry, ProfilerSession
from profiler_core.och._json import BODY_VERSION, OchResponse, arr, obj, text
from profiler_core.serialization import JSON, unstructure, unstructure_object
from profiler_core.services import (
    MenteeResults,
    ProfilerRecommendations,
    ProfilerStatus,
    ResultsAllowed,
    ResultsDenied,
    TalentMatches,
)

__all__ = [
    "BODY_VERSION",
    "OchResponse",
    "OchUser",
    "RESULTS_DENIED_ERROR",
    "VALUE_STATEMENT_NOT_FOUND",
    "mentee_results_body",
    "future_you_body",
    "value_statement_body",
    "profiler_recommendations_body",
    "talent_matches_body",
]

#: The platform's 403 ``error`` of the mentee-results view, added beside the library's denial body.
RESULTS_DENIED_ERROR = "Permission denied. You must be assigned as a mentor or have admin access."

#: The platform's 404 message of ``GET /api/v1/profiler/value-statement`` (seed task 5.1).
VALUE_STATEMENT_NOT_FOUND = "Value statement not found. Please complete profiler first."

_FUTURE_YOU_DENIED = "Permission denied"
_NOT_ASSESSED = "Not assessed"
_NOT_GENERATED = "Future-You persona has not been generated yet."


@frozen(kw_only=True)
class OchUser:
    """The host's user row the OCH bodies name (``users``: bigint ``id``, ``email``, names).

    Attributes:
        id: the platform's integer user id (``users.id``).
        email: ``users.email``.
        first_name: ``users.first_name`` (may be empty).
        last_name: ``users.last_name`` (may be empty).
    """

    id: int
    email: str
    first_name: str = field(default="")
    last_name: str = field(default="")

    @property
    def display_name(self) -> str:
        """``"first last"`` stripped, or the email when both are empty (the platform's rule).

        >>> OchUser(id=16, email="ada@example.org").display_name
        'ada@example.org'
        """
        return f"{self.first_name} {self.last_name}".strip() or self.email


def _policy(value: object) -> JSON:
    return unstructure(value)


def _track_id(track_key: JSON, track_ids: Mapping[str, str]) -> str | None:
    key = text(track_key)
    return None if key is None else track_ids.get(key)


# --- mentee results and future-you ------------------------------------------------------


def mentee_results_body(
    outcome: MenteeResults,
    *,
    mentee: OchUser,
    track_ids: Mapping[str, str],
) -> OchResponse:
    """``GET /api/v1/profiler/mentees/{mentee_id}/results``: the ``getMenteeResults`` body.

    Allowed (200): the library's projection for the granted view, with the
    platform's names: ``mentee_id``/``mentee_email``/``mentee_name`` from
    *mentee*, ``recommended_track.track_id`` from *track_ids* (track key →
    the platform's track UUID; ``None`` when the host gives none), a flat
    ``behavioral_profile``, ``anti_cheat.suspicious_patterns`` only when the
    view holds anti-cheat data (admin). Denied (403): the library's denial
    body (identical for every learner the viewer may not see) plus the
    platform's ``error``. Not found (404, or 503 when the session repository
    failed): the platform's ``error``/``mentee_id``/``profiling_complete`` plus
    the library's ``reason``.

    Args:
        outcome: what :func:`profiler_core.services.mentee_results` returned.
        mentee: the host's user row of the learner asked about.
        track_ids: track key → the platform's track UUID (``curriculum_tracks.id``).
    """
    if isinstance(outcome, ResultsDenied):
        return OchResponse(
            status=403,
            body={**_viewer_json(outcome.body_for_viewer()), "error": RESULTS_DENIED_ERROR},
        )
    data = unstructure_object(outcome)
    if not isinstance(outcome, ResultsAllowed):
        failed = outcome.reason.code == "profiler_unavailable"
        return OchResponse(
            status=503 if failed else 404,
            body={
                "error": "No profiler results found",
                "mentee_id": mentee.id,
                "profiling_complete": False,
                "reason": data["reason"],
                "degraded": data["degraded"],
                "body_version": BODY_VERSION,
            },
        )
    return OchResponse(status=200, body=_allowed_results(outcome, data, mentee, track_ids))


def _viewer_json(body: Mapping[str, object]) -> dict[str, JSON]:
    """A body a library value already rendered as a mapping, as a JSON object."""
    return unstructure_object(dict(body))


def _allowed_results(
    outcome: ResultsAllowed, data: dict[str, JSON], mentee: OchUser, track_ids: Mapping[str, str]
) -> dict[str, JSON]:
    track = obj(data["recommended_track"])
    profile = obj(data["behavioral_profile"])
    body: dict[str, JSON] = {
        "mentee_id": mentee.id,
        "mentee_email": mentee.email,
        "mentee_name": mentee.display_name,
        "session_id": data["session_id"],
        "completed_at": data["completed_at"],
        "is_locked": data["is_locked"],
        "scores": data["scores"],
        "recommended_track": {
            "track_id": _track_id(track["track_key"], track_ids),
            "confidence": track["confidence"],
            "track_key": track["track_key"],
        },
        "strengths": data["strengths"],
        "areas_for_growth": data["areas_for_growth"],
        "behavioral_profile": profile["traits"],
        "future_you_persona": {},
        "aptitude_breakdown": data["aptitude_breakdown"],
        "recommended_tracks": [],
        "learning_path_suggestions": [],
        "och_mapping": {},
        "foundations_reflection": None,
    }
    if "anti_cheat" in data:
        anti_cheat = obj(data["anti_cheat"])
        body["anti_cheat"] = {
            "score": anti_cheat["score"],
            "suspicious_patterns": anti_cheat["flags"],
            "device_fingerprint": None,
        }
    # The library's extras, beside the platform's fields.
    body["view"] = data["view"]
    body["behavioral_profile_detail"] = profile
    for key in ("value_statement", "difficulty_selection", "track_alignment_percentages"):
        if key in data:
            body[key] = data[key]
    for key in ("reflection", "identity_responses"):
        if key in data:
            body[key] = data[key]
    body["policy"] = _policy(outcome.decision.policy)
    body["reasons"] = unstructure(outcome.notes)
    body["degraded"] = outcome.degraded
    body["body_version"] = BODY_VERSION
    return body


def future_you_body(
    outcome: MenteeResults,
    *,
    mentee: OchUser,
    persona: Mapping[str, str] | None = None,
) -> OchResponse:
    """``GET /api/v1/profiler/mentees/{mentee_id}/future-you``: the mentor dashboard's call.

    The backend's keys (``id``, ``persona_name``, ``description``,
    ``estimated_readiness_date``, ``confidence_score``: the ``FutureYou`` type)
    and the keys the mentor pages read (``persona``, ``recommended_track``,
    ``mission_difficulty``), from the same access outcome as the mentee
    results. The library holds no persona: the host passes the session's
    ``futureyou_persona`` column as *persona* (``name``, ``description`` or
    ``summary``, ``estimated_readiness_date``). Optional keys with no value are
    left out (the TypeScript type marks them optional, not nullable). No
    completed session answers 200 with the platform's "Not assessed" body.

    Args:
        outcome: what :func:`profiler_core.services.mentee_results` returned.
        mentee: the host's user row of the learner.
        persona: the session's ``futureyou_persona`` JSON, when it has one.
    """
    if isinstance(outcome, ResultsDenied):
        return OchResponse(
            status=403,
            body={**_viewer_json(outcome.body_for_viewer()), "error": _FUTURE_YOU_DENIED},
        )
    given = persona or {}
    name = given.get("name") or _NOT_ASSESSED
    body: dict[str, JSON] = {
        "id": str(mentee.id),
        "persona_name": name,
        "description": given.get("description") or given.get("summary") or _NOT_GENERATED,
        "persona": name,
    }
    readiness = given.get("estimated_readiness_date")
    if readiness:
        body["estimated_readiness_date"] = readiness
    data = unstructure_object(outcome)
    if isinstance(outcome, ResultsAllowed):
        track = obj(data["recommended_track"])
        if track["confidence"] is not None:
            body["confidence_score"] = track["confidence"]
        if track["track_key"] is not None:
            body["recommended_track"] = track["track_key"]
        if data.get("difficulty_selection") is not None:
            body["mission_difficulty"] = data["difficulty_selection"]
        body["view"] = data["view"]
        body["policy"] = _policy(outcome.decision.policy)
        body["reasons"] = unstructure(outcome.notes)
    else:
        body["reason"] = data["reason"]
    body["degraded"] = outcome.degraded
    body["body_version"] = BODY_VERSION
    return OchResponse(status=200, body=body)


# --- value statement -----------------------------------------------------------------------


def value_statement_body(entry: PortfolioEntry | None, *, session_id: IdLike | None = None) -> OchResponse:
    """``GET /api/v1/profiler/value-statement`` (Django) and the FastAPI value statement the frontend reads.

    200: the seed's task 5.1 keys and the Django view's (``value_statement``,
    ``created_at``, ``profiler_session_id``, ``status``, ``visibility``) plus
    the FastAPI keys ``fastapiClient.getValueStatement`` reads
    (``value_statement``, ``session_id``, ``ready_for_portfolio``). 404 when
    there is no entry: exactly the seed's body.

    Args:
        entry: the learner's latest ``My Value Statement`` reflection item, or ``None``.
        session_id: the FastAPI route's session id (its URL path); defaults to
            the entry's ``profiler_session_id``.
    """
    if entry is None:
        return OchResponse(status=404, body={"value_statement": None, "message": VALUE_STATEMENT_NOT_FOUND})
    data = unstructure_object(entry)
    linked = data["profiler_session_id"]
    return OchResponse(
        status=200,
        body={
            "value_statement": data["summary"],
            "created_at": data["created_at"],
            "profiler_session_id": linked,
            "status": data["status"],
            "visibility": data["visibility"],
            "session_id": linked if session_id is None else str(session_id),
            "ready_for_portfolio": bool(data["summary"]),
            "entry_id": data["id"],
            "title": data["title"],
            "body_version": BODY_VERSION,
        },
    )


# --- profiler recipe recommendations -------------------------------------------------------

_RECIPE_ROW_DEFAULTS: Mapping[str, JSON] = {
    "description": "",
    "source_type": "manual",
    "prerequisites": [],
    "tools_and_environment": [],
    "inputs": [],
    "steps": [],
    "validation_checks": [],
    "thumbnail_url": None,
    "mentor_curated": False,
    "is_bookmarked": False,
    "user_status": None,
    "user_rating": None,
    "context_labels": [],
}


def _recipe_item(ranked: dict[str, JSON], row: Mapping[str, JSON]) -> dict[str, JSON]:
    skills = [code for code in arr(ranked["skill_codes"]) if isinstance(code, str)]
    tracks = [code for code in arr(ranked["track_codes"]) if isinstance(code, str)]
    tools = row.get("tools_and_environment", [])
    item: dict[str, JSON] = {
        "id": ranked["id"],
        "title": ranked["title"],
        "slug": ranked["slug"],
        "description": row.get("description", ""),
        # The platform's own text when it is not one of ours (V's "mastery").
        "difficulty": ranked.get("difficulty_label") or ranked["difficulty"],
        "expected_duration_minutes": ranked["estimated_minutes"],
        "track_code": tracks[0] if tracks else "defender",
        "skill_code": skills[0] if skills else "general",
        "level": ranked.get("difficulty_label") or ranked["difficulty"] or "beginner",
    }
    for key, default in _RECIPE_ROW_DEFAULTS.items():
        if key not in item:
            item[key] = row.get(key, default)
    tool_names: list[JSON] = list(tools) if isinstance(tools, list) else []
    item["tags"] = [*skills, *tool_names]
    item["usage_count"] = ranked["usage_count"]
    item["avg_rating"] = ranked["avg_rating"]
    # The library's extras: the ranking and why.
    for key in (
        "skill_codes",
        "track_codes",
        "estimated_minutes",
        "is_active",
        "rank",
        "gain",
        "coverage",
        "addressed_gaps",
        "closes",
        "addressed_codes",
        "fallback",
        "reasons",
    ):
        item[key] = ranked[key]
    # Present only when the ranking related codes other than by equality, or on a
    # recipe outside the vocabulary: the same keys as the library's JSON.
    for key in ("code_matches", "unknown_track_codes", "difficulty_label"):
        if key in ranked:
            item[key] = ranked[key]
    return item


def _platform_gap(gap: dict[str, JSON]) -> dict[str, JSON]:
    item: dict[str, JSON] = {"category": gap["category"], "type": gap["type"]}
    if gap["score"] is not None:
        item["score"] = gap["score"]
    item["priority"] = gap["priority"]
    for key, value in gap.items():
        if key not in item and key != "score":
            item[key] = value
    return item


def profiler_recommendations_body(
    outcome: ProfilerRecommendations,
    *,
    recipe_rows: Mapping[str, Mapping[str, JSON]] | None = None,
    session: ProfilerSession | None = None,
    has_breakdown: bool = False,
) -> OchResponse:
    """``GET /api/v1/recipes/profiler-recommendations``: gaps and the recipe list serializer's items.

    ``gaps_analysis`` holds the platform's ``gaps`` (``category``, ``type``,
    ``score`` when there is one, ``priority``) and ``recommended_recipe_skills``
    beside the library's gap analysis; each of ``recommended_recipes`` has the
    keys ``RecipeListSerializer`` emits (``skill_code``, ``track_code``,
    ``expected_duration_minutes``, ``description``, ``level``, ...) beside the
    library's ranking. ``profiler_status`` is the platform's object; the
    library's status string is its ``status``.

    Args:
        outcome: what :func:`profiler_core.services.profiler_recommendations` returned.
        recipe_rows: recipe id → the host's serialized recipe fields the library
            value does not hold (``description``, ``tools_and_environment``,
            ``steps``, ``thumbnail_url``, ``mentor_curated``, the user's
            ``is_bookmarked``/``user_status``/``user_rating``, ``context_labels``, ...).
        session: the learner's completed session, for ``aptitude_score`` and
            ``technical_exposure_score`` (``None`` renders them ``null``).
        has_breakdown: whether the learner's result has an aptitude breakdown.
    """
    rows = recipe_rows or {}
    data = unstructure_object(outcome)
    analysis = obj(data["gaps_analysis"])
    accessible = outcome.profiler_status is ProfilerStatus.COMPLETED
    aptitude = None if session is None else session.aptitude_score
    exposure = None if session is None else session.technical_exposure_score
    gaps_analysis: dict[str, JSON] = {
        "gaps": [_platform_gap(obj(gap)) for gap in arr(analysis["gaps"])],
        "recommended_recipe_skills": analysis["recommended_skill_codes"],
        "aptitude_score": aptitude,
        "technical_exposure_score": exposure,
    }
    for key, value in analysis.items():
        if key != "gaps":
            gaps_analysis[key] = value
    recipes: list[JSON] = []
    for ranked in arr(data["recommended_recipes"]):
        item = obj(ranked)
        recipe_id = text(item["id"]) or ""
        recipes.append(_recipe_item(item, rows.get(recipe_id, {})))
    body: dict[str, JSON] = {
        "gaps_analysis": gaps_analysis,
        "recommended_recipes": recipes,
        "total_gaps": data["total_gaps"],
        "total_skills": data["total_skills"],
        "profiler_status": {
            "accessible": accessible,
            "session_id": analysis["session_id"],
            "has_scores": aptitude is not None or exposure is not None,
            "has_breakdown": has_breakdown,
            "message": "Profiler session found" if accessible else "No profiler session found",
            "status": data["profiler_status"],
        },
        "message": data["message"],
        "fallback": data["fallback"],
        "degraded": data["degraded"],
        "reasons": data["reasons"],
        "policy": data["policy"],
        "body_version": BODY_VERSION,
    }
    return OchResponse(status=200, body=body)


# --- talent matches ------------------------------------------------------------------------

#: Which route's body :func:`talent_matches_body` renders.
TalentRoute = Literal["profiler", "seed"]


def _match_item(ranked: dict[str, JSON]) -> dict[str, JSON]:
    job = obj(ranked["job"])
    match = obj(ranked["match"])
    return {
        "job_id": job["id"],
        "job_title": job["title"],
        "match_score": match["score"],
        "match_reasons": [obj(reason)["code"] for reason in arr(match["reasons"])],
        "rank": ranked["rank"],
        "job": job,
        "match": match,
    }


def talent_matches_body(
    outcome: TalentMatches,
    *,
    track_ids: Mapping[str, str],
    session: ProfilerSession | None = None,
    route: TalentRoute = "profiler",
) -> OchResponse:
    """Talent matches: the seed's task 6.2 body, or the routed ``/marketplace/talent-matches/profiler`` one.

    ``route="seed"`` renders the seed's ``GET /api/v1/marketplace/talent-matches``
    keys (``recommended_track`` when the profiler is complete, ``matches``,
    ``message``); ``route="profiler"`` (the real, routed view) adds
    ``profiler_complete``, ``track_confidence``, ``aptitude_score`` and
    ``difficulty_selection``. Each match has the view's docstring keys
    (``job_id``, ``job_title``, ``match_score``, ``match_reasons``: reason
    codes) beside the library's explained match. ``recommended_track`` is the
    platform's track UUID from *track_ids*, ``None`` when the host gives none
    (the key is in ``recommended_track_key``).

    Args:
        outcome: what :func:`profiler_core.services.talent_matches` returned.
        track_ids: track key → the platform's track UUID.
        session: the learner's completed session (for the profiler route's scores).
        route: ``"profiler"`` (routed in both repositories) or ``"seed"``.
    """
    data = unstructure_object(outcome)
    complete = data["session_id"] is not None
    body: dict[str, JSON] = {}
    if complete:
        body["recommended_track"] = _track_id(data["recommended_track"], track_ids)
    if route == "profiler" and complete:
        body["track_confidence"] = None if session is None else session.track_confidence
        body["aptitude_score"] = None if session is None else session.aptitude_score
        selection = None if session is None else session.difficulty_selection
        body["difficulty_selection"] = None if selection is None else selection.value
    body["matches"] = [_match_item(obj(ranked)) for ranked in arr(data["matches"])]
    body["message"] = data["message"]
    if route == "profiler":
        body["profiler_complete"] = complete
    body.update(
        {
            "recommended_track_key": data["recommended_track"],
            "session_id": data["session_id"],
            "status": data["status"],
            "reasons": data["reasons"],
            "policy": data["policy"],
            "degraded": data["degraded"],
            "body_version": BODY_VERSION,
        }
    )
    return OchResponse(status=200, body=body)

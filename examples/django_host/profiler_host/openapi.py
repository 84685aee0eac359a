"""The OpenAPI description of every endpoint: the OCH bodies' fields, the library's values by reference.

drf-spectacular serves the document at ``/api/schema/`` (OpenAPI 3.1). The
bodies are the OCH platform's (:mod:`profiler_core.och`), so each 200 schema
names every key the body function writes, at every depth (``additionalProperties:
false`` at the top); where a key holds a library value's JSON unchanged
(``reasons``, ``policy``, a suppressed cell, a job posting, a match score) the
schema is the library's own, by :func:`profiler_core.drf.library_schema`, and
where it holds one field of a library value (a mission's ``subtasks``, a gap's
``match``, a recipe's ``coverage``, a report's ``scores``), that field's schema
(:func:`library_property`). Error statuses
have the library's bodies (:func:`profiler_core.drf.error_schema`) or the
platform's (``{"error": ...}``).

schemathesis reads this document in ``tests/test_openapi.py`` and checks every
answer of the running host against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema

from profiler_core.access import ProfilerScores, ValueStatementView
from profiler_core.decisions import PolicyRef, Reason
from profiler_core.drf import error_schema, library_schema
from profiler_core.frozenmap import FrozenMap
from profiler_core.match_results import MatchScore
from profiler_core.models import BehavioralProfile, IdentityResponse, JobPosting, Reflection
from profiler_core.reports import CohortReport, Suppressed
from profiler_core.schema import schema_for
from profiler_core.services import LearnerMissions, ProfilerRecommendations
from profiler_core.vocabulary import DifficultySelection, TrackKey
from profiler_host import och_fixture as f
from profiler_host.auth import HEADER

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
NUMBER: Schema = {"type": "number"}
INTEGER: Schema = {"type": "integer"}
BOOLEAN: Schema = {"type": "boolean"}
ANY_OBJECT: Schema = {"type": "object"}
ANY_LIST: Schema = {"type": "array"}


def nullable(schema: Schema) -> Schema:
    """*schema* or ``null``."""
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: Schema) -> Schema:
    """An array of *items*."""
    return {"type": "array", "items": items}


def closed(properties: Mapping[str, Schema], optional: Iterable[str] = ()) -> Schema:
    """An object with exactly these keys (all required but *optional*)."""
    skip = set(optional)
    return {
        "type": "object",
        "properties": dict(properties),
        "required": [key for key in properties if key not in skip],
        "additionalProperties": False,
    }


def open_object(properties: Mapping[str, Schema], optional: Iterable[str] = ()) -> Schema:
    """An object with at least these keys (all required but *optional*); other keys allowed."""
    return {**closed(properties, optional), "additionalProperties": True}


def _as_components(node: object) -> Any:
    """*node* with its ``#/$defs/`` references pointing at ``#/components/schemas/``."""
    if isinstance(node, dict):
        return {
            key: "#/components/schemas/" + value.removeprefix("#/$defs/")
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/")
            else _as_components(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_as_components(item) for item in node]
    return node


#: Where a hand-written schema carries the library definitions it refers to (postprocess_schema lifts them).
COMPONENTS_KEY = "x-profiler-core-components"


def library_property(type_: type, name: str, *, definition: str = "") -> Schema:
    """The library's schema of key *name* of a value's JSON (*definition*: a value inside *type_*'s).

    For a body key that holds one field of a library value unchanged; it
    carries the definitions it refers to under ``x-profiler-core-components``,
    which :func:`profiler_core.drf.postprocess_schema` moves into ``components/schemas``.
    """
    defs = schema_for(type_)["$defs"]
    result: Schema = _as_components(defs[definition or type_.__name__]["properties"][name])
    return {**result, COMPONENTS_KEY: _as_components(defs)}


REASONS = library_schema(tuple[Reason, ...])
POLICY = library_schema(PolicyRef)
SUPPRESSED = library_schema(Suppressed)
#: A published figure or ``{"suppressed": true}`` (never 0 in its place).
CELL: Schema = {"oneOf": [NUMBER, SUPPRESSED]}
CELLS: Schema = {"type": "object", "additionalProperties": nullable(CELL)}
BODY_VERSION = STRING

# --- missions ---------------------------------------------------------------------


def _mission(name: str) -> Schema:
    return library_property(LearnerMissions, name, definition="Mission")


#: A mission as the platform's list renders it: the row's fields, the library's Mission's, the plan's lock.
MISSION_ITEM = open_object(
    {
        "id": STRING,
        "code": nullable(STRING),
        "title": STRING,
        "description": STRING,
        "difficulty": INTEGER,
        "is_locked": BOOLEAN,
        "type": nullable(STRING),
        "estimated_time_minutes": nullable(INTEGER),
        "competency_tags": _mission("skills_tags"),
        "track_key": _mission("track"),
        "track": _mission("track"),
        "tier": _mission("tier"),
        "requirements": ANY_OBJECT,
        "lock_reason": nullable(STRING),
        "status": STRING,
        "progress_percent": NUMBER,
        "subtasks": _mission("subtasks"),
        "recipe_recommendations": _mission("recipe_recommendations"),
    },
    optional=(
        "type",
        "estimated_time_minutes",
        "competency_tags",
        "track_key",
        "track",
        "tier",
        "requirements",
        "lock_reason",
        "status",
        "progress_percent",
        "subtasks",
        "recipe_recommendations",
    ),
)
CEILING = closed(
    {
        "ceiling": INTEGER,
        "selection": nullable(STRING),
        "session_id": nullable(STRING),
        "reasons": REASONS,
        "evidence": STRING,
        "policy": POLICY,
    }
)
PLAN = open_object(
    {
        "missions": array(
            open_object(
                {
                    "id": STRING,
                    "code": nullable(STRING),
                    "title": STRING,
                    "difficulty": INTEGER,
                    "track": _mission("track"),
                    "reasons": REASONS,
                },
                optional=("code", "track"),
            )
        ),
        "locked": array(
            open_object(
                {
                    "id": STRING,
                    "points_required": nullable(INTEGER),
                    "points": nullable(INTEGER),
                    "points_missing": nullable(INTEGER),
                    "lock_reason": STRING,
                },
                optional=("points_required", "points", "points_missing", "lock_reason"),
            )
        ),
        "ceiling": INTEGER,
        "base_ceiling": INTEGER,
        "suggested_step": nullable(INTEGER),
        "target_step": INTEGER,
        "demonstrated": nullable(INTEGER),
        "reasons": REASONS,
        "absence": nullable(library_schema(Reason)),
        "degraded": BOOLEAN,
        "policy": POLICY,
        "evidence_policy": nullable(STRING),
    },
    optional=(
        "ceiling",
        "base_ceiling",
        "suggested_step",
        "target_step",
        "demonstrated",
        "absence",
        "evidence_policy",
    ),
)
_MISSIONS_COMMON = {
    "ceiling": CEILING,
    "empty_reason": nullable(library_schema(Reason)),
    "degraded": BOOLEAN,
    "body_version": BODY_VERSION,
    "plan": nullable(PLAN),
}
STUDENT_MISSIONS = closed(
    {
        "results": array(MISSION_ITEM),
        "count": INTEGER,
        "total": INTEGER,
        "page": INTEGER,
        "page_size": INTEGER,
        "has_next": BOOLEAN,
        "has_previous": BOOLEAN,
        **_MISSIONS_COMMON,
    }
)
MISSIONS_DASHBOARD = closed(
    {
        "track": nullable(STRING),
        "tier": nullable(STRING),
        "available_missions": array(MISSION_ITEM),
        "locked_missions": ANY_LIST,
        "in_progress": array(MISSION_ITEM),
        "completed": array(MISSION_ITEM),
        "recommended_recipes": ANY_LIST,
        "next_mission": nullable(STRING),
        **_MISSIONS_COMMON,
    }
)

# --- recipes ----------------------------------------------------------------------


def _gap(name: str) -> Schema:
    return library_property(ProfilerRecommendations, name, definition="Gap")


#: The platform's gap keys, then the library's Gap's.
GAP = open_object(
    {
        "category": STRING,
        "type": STRING,
        "priority": {"enum": ["high", "medium", "low"]},
        "reasons": REASONS,
        "score": _gap("score"),
        "evidence": _gap("evidence"),
        "low_evidence": _gap("low_evidence"),
        "match": _gap("match"),
        "skill_codes": _gap("skill_codes"),
        "sources": _gap("sources"),
        "taxonomy_key": _gap("taxonomy_key"),
    },
    optional=("score", "evidence", "low_evidence", "match", "skill_codes", "sources", "taxonomy_key"),
)


def _analysis(name: str) -> Schema:
    return library_property(ProfilerRecommendations, name, definition="GapAnalysis")


def _ranked(name: str) -> Schema:
    return library_property(ProfilerRecommendations, name, definition="RecipeRecommendation")


_RANKING_KEYS = (
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
    "usage_count",
    "avg_rating",
)
_RANKING_EXTRAS = ("code_matches", "unknown_track_codes", "difficulty_label")
#: A recipe as ``RecipeListSerializer`` renders it, then the library's ranking of it.
RECIPE_ITEM = open_object(
    {
        "id": STRING,
        "title": STRING,
        "slug": STRING,
        "description": STRING,
        "difficulty": nullable(STRING),
        "expected_duration_minutes": nullable(INTEGER),
        "track_code": STRING,
        "skill_code": STRING,
        "level": STRING,
        "source_type": STRING,
        "prerequisites": ANY_LIST,
        "tools_and_environment": ANY_LIST,
        "inputs": ANY_LIST,
        "steps": ANY_LIST,
        "validation_checks": ANY_LIST,
        "thumbnail_url": nullable(STRING),
        "mentor_curated": BOOLEAN,
        "is_bookmarked": BOOLEAN,
        "user_status": nullable(STRING),
        "user_rating": nullable(NUMBER),
        "context_labels": ANY_LIST,
        "tags": ANY_LIST,
        **{key: _ranked(key) for key in (*_RANKING_KEYS, *_RANKING_EXTRAS)},
    },
    optional=(
        "description",
        "difficulty",
        "expected_duration_minutes",
        "track_code",
        "skill_code",
        "level",
        "source_type",
        "prerequisites",
        "tools_and_environment",
        "inputs",
        "steps",
        "validation_checks",
        "thumbnail_url",
        "mentor_curated",
        "is_bookmarked",
        "user_status",
        "user_rating",
        "context_labels",
        "tags",
        *_RANKING_KEYS,
        *_RANKING_EXTRAS,
    ),
)
PROFILER_RECOMMENDATIONS = closed(
    {
        "gaps_analysis": open_object(
            {
                "gaps": array(GAP),
                "recommended_recipe_skills": array(STRING),
                "aptitude_score": nullable(NUMBER),
                "technical_exposure_score": nullable(NUMBER),
                "reasons": REASONS,
                "policy": POLICY,
                "learner_id": _analysis("learner_id"),
                "session_id": _analysis("session_id"),
                "profiler_completed": _analysis("profiler_completed"),
                "recommended_skill_codes": _analysis("recommended_skill_codes"),
                "taxonomy": _analysis("taxonomy"),
            },
            optional=(
                "learner_id",
                "session_id",
                "profiler_completed",
                "recommended_skill_codes",
                "taxonomy",
            ),
        ),
        "recommended_recipes": array(RECIPE_ITEM),
        "total_gaps": INTEGER,
        "total_skills": INTEGER,
        "profiler_status": open_object(
            {
                "accessible": BOOLEAN,
                "session_id": nullable(STRING),
                "has_scores": BOOLEAN,
                "has_breakdown": BOOLEAN,
                "message": STRING,
                "status": library_property(ProfilerRecommendations, "profiler_status"),
            },
            optional=("status",),
        ),
        "message": STRING,
        "fallback": BOOLEAN,
        "degraded": BOOLEAN,
        "reasons": REASONS,
        "policy": POLICY,
        "body_version": BODY_VERSION,
    }
)

# --- mentorship -------------------------------------------------------------------

_CATEGORY = closed({"score": nullable(NUMBER), "correct": nullable(INTEGER), "total": nullable(INTEGER)})
MENTEE_RESULTS = closed(
    {
        "mentee_id": INTEGER,
        "mentee_email": STRING,
        "mentee_name": STRING,
        "session_id": STRING,
        "completed_at": nullable(STRING),
        "is_locked": BOOLEAN,
        "scores": library_schema(ProfilerScores),
        "recommended_track": closed(
            {"track_id": nullable(STRING), "confidence": nullable(NUMBER), "track_key": nullable(STRING)}
        ),
        "strengths": array(STRING),
        "areas_for_growth": array(STRING),
        "behavioral_profile": {"type": "object", "additionalProperties": NUMBER},
        "future_you_persona": ANY_OBJECT,
        "aptitude_breakdown": {"type": "object", "additionalProperties": _CATEGORY},
        "recommended_tracks": ANY_LIST,
        "learning_path_suggestions": ANY_LIST,
        "och_mapping": ANY_OBJECT,
        "foundations_reflection": {"type": "null"},
        "view": STRING,
        "behavioral_profile_detail": library_schema(BehavioralProfile),
        "value_statement": library_schema(ValueStatementView | None),
        "anti_cheat": closed(
            {
                "score": nullable(NUMBER),
                "suspicious_patterns": array(STRING),
                "device_fingerprint": {"type": "null"},
            }
        ),
        "difficulty_selection": library_schema(DifficultySelection | None),
        "track_alignment_percentages": library_schema(FrozenMap[TrackKey, float]),
        "reflection": library_schema(Reflection | None),
        "identity_responses": library_schema(tuple[IdentityResponse, ...]),
        "policy": POLICY,
        "reasons": REASONS,
        "degraded": BOOLEAN,
        "body_version": BODY_VERSION,
    },
    optional=(
        "anti_cheat",
        "difficulty_selection",
        "track_alignment_percentages",
        "reflection",
        "identity_responses",
        "value_statement",
    ),
)
#: The card's keys, then the stored persona's (``futureyou_persona``: free-form, these are the platform's).
#: With results: ``view``, ``policy``, ``reasons``; without a completed session ("Not assessed"): ``reason``.
FUTURE_YOU = open_object(
    {
        "id": STRING,
        "persona_name": STRING,
        "description": STRING,
        "view": STRING,
        "policy": POLICY,
        "reasons": REASONS,
        "reason": library_schema(Reason),
        "degraded": BOOLEAN,
        "body_version": BODY_VERSION,
        "estimated_readiness_date": STRING,
        "confidence_score": NUMBER,
        "persona": STRING,
        "recommended_track": STRING,
        "mission_difficulty": STRING,
    },
    optional=(
        "view",
        "policy",
        "reasons",
        "reason",
        "estimated_readiness_date",
        "confidence_score",
        "persona",
        "recommended_track",
        "mission_difficulty",
    ),
)
#: The library's denial body (the same for every learner a viewer may not see) plus the platform's ``error``
#: (the results' and the future-you card's 403).
RESULTS_DENIED = closed(
    {
        "allowed": {"const": False},
        "view": STRING,
        "rule": STRING,
        "reasons": REASONS,
        "policy": POLICY,
        "error": STRING,
    }
)
PLATFORM_ERROR = open_object({"error": STRING})
#: The results' 404 (no such mentee: ``error`` alone; no completed session: the rest too) and 503.
MENTEE_NOT_FOUND = closed(
    {
        "error": STRING,
        "mentee_id": INTEGER,
        "profiling_complete": {"const": False},
        "reason": library_schema(Reason),
        "degraded": BOOLEAN,
        "body_version": BODY_VERSION,
    },
    optional=("mentee_id", "profiling_complete", "reason", "degraded", "body_version"),
)

# --- portfolio --------------------------------------------------------------------

VALUE_STATEMENT = closed(
    {
        "value_statement": nullable(STRING),
        "created_at": STRING,
        "profiler_session_id": nullable(STRING),
        "status": STRING,
        "visibility": STRING,
        "session_id": nullable(STRING),
        "ready_for_portfolio": BOOLEAN,
        "entry_id": STRING,
        "title": STRING,
        "body_version": BODY_VERSION,
    },
    optional=("entry_id", "title"),
)
VALUE_STATEMENT_NOT_FOUND = open_object({"value_statement": {"type": "null"}, "message": STRING})
STATEMENT_EDIT = closed({"summary": STRING})
CODE_DETAIL = open_object({"code": STRING, "detail": STRING})

# --- marketplace ------------------------------------------------------------------

MATCH = closed(
    {
        "job_id": STRING,
        "job_title": STRING,
        "match_score": NUMBER,
        "match_reasons": array(STRING),
        "rank": INTEGER,
        "job": library_schema(JobPosting),
        "match": library_schema(MatchScore),
    }
)
_TALENT_COMMON = {
    "recommended_track": nullable(STRING),
    "matches": array(MATCH),
    "message": STRING,
    "recommended_track_key": nullable(STRING),
    "session_id": nullable(STRING),
    "status": STRING,
    "reasons": REASONS,
    "policy": POLICY,
    "degraded": BOOLEAN,
    "body_version": BODY_VERSION,
}
#: ``recommended_track`` (the track's UUID) only once the profiler is complete; the other keys always.
TALENT_MATCHES = closed(_TALENT_COMMON, optional=("recommended_track",))
TALENT_MATCHES_PROFILER = closed(
    {
        **_TALENT_COMMON,
        "profiler_complete": BOOLEAN,
        "track_confidence": nullable(NUMBER),
        "aptitude_score": nullable(NUMBER),
        "difficulty_selection": nullable(STRING),
    },
    optional=(
        "recommended_track",
        "track_confidence",
        "aptitude_score",
        "difficulty_selection",
    ),
)

# --- analytics --------------------------------------------------------------------

_ANALYTICS_COMMON = {
    "score_statistics": CELLS,
    "track_distribution": CELLS,
    "top_strengths": array(open_object({"strength": STRING, "count": CELL})),
    "readiness_distribution": CELLS,
    "difficulty_distribution": CELLS,
    "track_key_distribution": CELLS,
    "completions": CELLS,
    "scores": library_property(CohortReport, "scores"),
    "k": INTEGER,
    "policies": closed({"analytics": POLICY, "suppression": POLICY}),
    "suppressed_cells": INTEGER,
    "body_version": BODY_VERSION,
}
COHORT_ANALYTICS = closed(
    {
        "cohort_id": STRING,
        "cohort_name": STRING,
        "total_students": CELL,
        "profiled_students": CELL,
        "profiled_percentage": nullable(CELL),
        "not_profiled_count": CELL,
        "cohort_track": nullable(STRING),
        "enterprise_id": nullable(STRING),
        **_ANALYTICS_COMMON,
    }
)
ENTERPRISE_ANALYTICS = closed(
    {
        "sponsor_id": nullable(STRING),
        "cohort_id": nullable(STRING),
        "date_range": closed({"from": nullable(STRING), "to": nullable(STRING)}),
        "total_employees": CELL,
        "profiled_employees": CELL,
        "profiled_percentage": nullable(CELL),
        "not_profiled_count": CELL,
        "cohort_breakdown": {
            "type": "object",
            "additionalProperties": open_object(
                {
                    "total": CELL,
                    "profiled": CELL,
                    "avg_aptitude": nullable(CELL),
                    "avg_overall": nullable(CELL),
                    "profiled_percentage": nullable(CELL),
                    "cohort_id": STRING,
                    "track": nullable(STRING),
                    "readiness_distribution": CELLS,
                },
                optional=("profiled_percentage", "cohort_id", "track", "readiness_distribution"),
            ),
        },
        "enterprise_id": STRING,
        "cohort_count": INTEGER,
        **_ANALYTICS_COMMON,
    }
)

# --- errors and parameters ----------------------------------------------------------


def _errors(*statuses: int, **bodies: Schema) -> dict[int, OpenApiResponse]:
    """The library's error body for each status (401: DRF's ``{"detail"}``); ``s<status>=`` overrides."""
    responses: dict[int, OpenApiResponse] = {}
    for code in statuses:
        schema = bodies.get(f"s{code}") or (
            open_object({"detail": STRING}) if code == 401 else error_schema(code)
        )
        responses[code] = OpenApiResponse(response=schema)
    return responses


LIMIT = OpenApiParameter("limit", int, description="1..50 (default 10)")


def _id(name: str, where: str, description: str, sample: object) -> OpenApiParameter:
    """A path or query id, with the sample platform's row (profiler_host.och_fixture) as its example."""
    example = OpenApiExample("sample platform", value=str(sample))
    return OpenApiParameter(name, str, where, description=description, examples=[example])


MENTEE_ID = _id("mentee_id", OpenApiParameter.PATH, "the learner's users.id or users.uuid_id", f.MENTEE)
COHORT_ID = _id("cohort_id", OpenApiParameter.PATH, "the cohort's UUID", f.CORONA_COHORT)
SPONSOR_ID = _id(
    "sponsor_id", OpenApiParameter.QUERY, "the sponsor (required without a path id)", f.USER_UUID[5]
)
PAGE = OpenApiParameter("page", int, description="1..10000 (default 1)")
PAGE_SIZE = OpenApiParameter("page_size", int, description="1..100 (default 20)")
TRACK_FLAG = OpenApiParameter("track", bool, description="only missions of the learner's track (or none)")


def responses(body: Schema, *errors: int, **bodies: Schema) -> dict[int, OpenApiResponse]:
    """*body* as the 200 response, then 400, 401 and *errors* (see :func:`_errors`)."""
    return {200: OpenApiResponse(response=body), **_errors(400, 401, *errors, **bodies)}


def ok(body: Schema, *errors: int, parameters: list[OpenApiParameter] | None = None, **bodies: Schema) -> Any:
    """``extend_schema`` with :func:`responses` and the query *parameters*."""
    return extend_schema(responses=responses(body, *errors, **bodies), parameters=parameters or [])


class HeaderUserScheme(OpenApiAuthenticationExtension):  # type: ignore[misc]  # drf-spectacular is untyped
    """The example-only ``X-User-Id`` header as an ``apiKey`` security scheme."""

    target_class = "profiler_host.auth.HeaderUserAuthentication"
    name = "XUserId"

    def get_security_definition(self, auto_schema: object) -> Schema:
        """``{"type": "apiKey", "in": "header", "name": "X-User-Id"}``."""
        return {"type": "apiKey", "in": "header", "name": HEADER}

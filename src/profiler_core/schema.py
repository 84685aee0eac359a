"""JSON Schema (draft 2020-12) for the wire forms of every value.

:func:`schema_for` describes one type; :func:`schema_bundle` holds every input
and output type under ``$defs``. Both are derived from the attrs classes
(``attrs.fields``: types, defaults, the :data:`~profiler_core.field_rules.RANGE`
metadata) and from the converter's rules (:mod:`profiler_core.serialization`);
only the types a hook renders specially are written by hand, in one table
(``_HAND_WRITTEN``).

Two directions:

* ``"output"``: what :func:`~profiler_core.serialization.unstructure` writes
  (numbers are numbers, ids strings, timestamps ``format: date-time``, a
  suppressed figure ``{"suppressed": true}``); unknown keys are not written, so
  ``additionalProperties`` is false;
* ``"input"``: what :func:`~profiler_core.serialization.structure` accepts
  (numbers or plain decimal strings, ids as strings or integers, booleans or
  ``"true"``/``"false"``, both shapes of a category score and of a behavioral
  profile); unknown keys are ignored, so they are allowed. A payload valid
  against an input schema either structures or fails with
  :class:`~profiler_core.errors.InvalidPayloadError` (a schema cannot say
  everything: cross-field rules and the range of a numeric string are checked
  by ``structure`` only).
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import typing
from collections.abc import Callable, Mapping, Sequence
from types import NoneType, UnionType
from typing import Any, Final, Literal, TypeAlias

import attrs

from profiler_core.access import (
    VIEW_FIELDS,
    AccessDecision,
    AntiCheatView,
    ProfilerScores,
    ValueStatementView,
)
from profiler_core.analytics import _SCORE_KINDS, AnalyticsPartial, CohortStats
from profiler_core.decisions import PolicyRef, Reason
from profiler_core.field_rules import RANGE
from profiler_core.frozenmap import FrozenMap
from profiler_core.gaps import GapAnalysis
from profiler_core.mapping import EligibleMissions
from profiler_core.match_results import CandidateRanking
from profiler_core.models import (
    BehavioralProfile,
    CategoryScore,
    Cohort,
    Enrollment,
    IdentityResponse,
    JobPosting,
    MentorAssignment,
    Mission,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    Reflection,
    TalentProfile,
)
from profiler_core.recipe_ranking import RecipeRecommendation
from profiler_core.reports import (
    Bucket,
    CohortBreakdown,
    CohortReport,
    EnterpriseReport,
    PopulationFigures,
    PopulationReport,
    ScoreBlock,
    ScoreSummary,
    Suppressed,
)
from profiler_core.serialization._analytics import _BUCKET_LISTS, _COUNT_MAPS
from profiler_core.serialization._outputs import LEARNER_ID_AS_USER_ID
from profiler_core.serialization._scalars import _ID_TYPES
from profiler_core.services.access import ResultsAllowed
from profiler_core.services.marketplace import TalentSearch
from profiler_core.services.recipes import ProfilerRecommendations, ProfilerStatus
from profiler_core.sketches import BIN_COUNT, ScoreSketch
from profiler_core.taxonomy import Taxonomy
from profiler_core.vocabulary import DifficultySelection, TrackKey

__all__ = [
    "DIALECT",
    "Direction",
    "INPUT_TYPES",
    "output_types",
    "schema_for",
    "schema_bundle",
]

#: The JSON Schema dialect of every schema here.
DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

#: ``"input"``: what ``structure`` accepts; ``"output"``: what ``unstructure`` writes.
Direction: TypeAlias = Literal["input", "output"]

Schema: TypeAlias = dict[str, Any]

#: The values a host sends (SPEC §2): their input schemas are in :func:`schema_bundle`.
INPUT_TYPES: Final[tuple[type, ...]] = (
    ProfilerSession,
    ProfilerResult,
    Mission,
    Recipe,
    Enrollment,
    Cohort,
    MentorAssignment,
    Principal,
    JobPosting,
    TalentProfile,
    PortfolioEntry,
)

_OUTPUT_MODULES: Final = (
    "analytics",
    "gaps",
    "taxonomy",
    "recipe_ranking",
    "mapping",
    "matching",
    "access",
    "portfolio",
    "leadership",
    "decisions",
    "vocabulary",
    "services",
)

# A plain ASCII decimal (what parse_number reads from a string), surrounding spaces allowed.
_DECIMAL_PATTERN: Final = r"^ *-?[0-9]+(\.[0-9]+)? *$"
_INTEGER_PATTERN: Final = r"^ *-?[0-9]+(\.0+)? *$"
_POLICY_PATTERN: Final = r"^[^@]+@[1-9][0-9]*$"


def output_types() -> tuple[type, ...]:
    """Every attrs class the output modules export (the values :func:`unstructure` writes).

    >>> from profiler_core.reports import CohortReport
    >>> CohortReport in output_types()
    True
    """
    found: dict[str, type] = {}
    for name in _OUTPUT_MODULES:
        module = importlib.import_module(f"profiler_core.{name}")
        for export in module.__all__:
            value = getattr(module, export)
            if isinstance(value, type) and attrs.has(value):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return tuple(found[key] for key in sorted(found))


# --- the builder ---------------------------------------------------------------


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def _def_name(type_: Any) -> str:
    origin = typing.get_origin(type_) or type_
    args = typing.get_args(type_)
    return str(origin.__name__) + "".join(f"_{getattr(a, '__name__', str(a))}" for a in args)


class _Builder:
    """Collects the ``$defs`` of one direction while translating types."""

    def __init__(self, direction: Direction) -> None:
        self.direction: Direction = direction
        self.defs: dict[str, Schema] = {}
        self._owners: dict[str, Any] = {}

    # -- scalars --

    def number(self, *, integer: bool = False, low: float | None = None, high: float | None = None) -> Schema:
        plain: Schema = {"type": "integer" if integer else "number"}
        if low is not None:
            plain["minimum"] = low
        if high is not None:
            plain["maximum"] = high
        if self.direction == "output":
            return plain
        text = {"type": "string", "pattern": _INTEGER_PATTERN if integer else _DECIMAL_PATTERN}
        return {"anyOf": [plain, text]}

    def id_(self) -> Schema:
        if self.direction == "output":
            return {"type": "string"}
        return {"anyOf": [{"type": "string", "minLength": 1, "pattern": r"\S"}, {"type": "integer"}]}

    def boolean(self) -> Schema:
        if self.direction == "output":
            return {"type": "boolean"}
        return {"anyOf": [{"type": "boolean"}, {"enum": ["true", "false"]}]}

    # -- any type --

    def schema(self, type_: Any, bindings: Mapping[Any, Any] | None = None) -> Schema:
        """The schema of *type_* (a ``$ref`` for an attrs class, added to :attr:`defs`)."""
        if isinstance(type_, typing.TypeVar):
            if bindings and type_ in bindings:
                return self.schema(bindings[type_], None)
            # Unbound (the bundle's AccessDecision): any of its constraints, or its bound.
            if type_.__constraints__:
                return self.union(type_.__constraints__, None)
            return self.schema(type_.__bound__, None) if type_.__bound__ is not None else {}
        if type_ in _ID_TYPES:
            return self.id_()
        if type_ is NoneType or type_ is None:
            return {"type": "null"}
        if type_ is Any or type_ is object:
            return {}
        origin = typing.get_origin(type_)
        args = typing.get_args(type_)
        if origin is Literal:
            return {"enum": list(args)}
        if origin in (typing.Union, UnionType):
            return self.union(args, bindings)
        if origin in (tuple, list, frozenset, set) or origin is Sequence:
            if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
                return {
                    "type": "array",
                    "prefixItems": [self.schema(a, bindings) for a in args],
                    "minItems": len(args),
                    "maxItems": len(args),
                }
            return {"type": "array", "items": self.schema(args[0], bindings) if args else {}}
        if type_ is FrozenMap or origin in (FrozenMap, dict) or origin is Mapping:
            key, value = args or (str, Any)
            result: Schema = {"type": "object", "additionalProperties": self.schema(value, bindings)}
            if isinstance(key, type) and issubclass(key, enum.Enum) and self.direction == "output":
                result["propertyNames"] = {"enum": [str(m.value) for m in key]}
            return result
        if type_ is bool:
            return self.boolean()
        if type_ is int:
            return self.number(integer=True)
        if type_ is float:
            return self.number()
        if type_ is str:
            return {"type": "string"}
        if type_ is dt.datetime:
            return {"type": "string", "format": "date-time"}
        if isinstance(type_, type) and issubclass(type_, enum.Enum):
            return self.enum(type_)
        if attrs.has(origin or type_):
            return self.attrs_class(type_, bindings)
        raise TypeError(f"no JSON Schema for {type_!r}")

    def enum(self, type_: type[enum.Enum]) -> Schema:
        values = [m.value for m in type_]
        if self.direction == "input" and issubclass(type_, enum.StrEnum):
            # The input vocabulary parses leniently (case, separators, aliases): a string.
            return {"type": "string", "examples": values}
        return {"enum": values}

    def union(self, args: tuple[Any, ...], bindings: Mapping[Any, Any] | None) -> Schema:
        members = [a for a in args if a is not NoneType]
        schemas = [self.schema(a, bindings) for a in members]
        if NoneType in args:
            schemas.append({"type": "null"})
        if len(schemas) == 1:
            return schemas[0]
        # A suppressed figure beside its number: the shapes never overlap.
        keyword = "oneOf" if Suppressed in members else "anyOf"
        return {keyword: schemas}

    def define(self, type_: Any, build: Callable[[], Schema]) -> Schema:
        name = _def_name(type_)
        owner = self._owners.setdefault(name, type_)
        if owner != type_:
            raise TypeError(f"two types named {name}: {owner!r} and {type_!r}")
        if name not in self.defs:
            self.defs[name] = {}  # reserved first, so a recursive reference to this name resolves
            self.defs[name] = build()
        return _ref(name)

    def attrs_class(self, type_: Any, bindings: Mapping[Any, Any] | None = None) -> Schema:
        origin = typing.get_origin(type_) or type_
        hand = _HAND_WRITTEN.get(origin)
        if hand is not None:
            return self.define(type_, lambda: hand(self, type_))
        return self.define(type_, lambda: self.object_of(type_))

    # -- attrs classes --

    def field_schemas(self, type_: Any) -> tuple[dict[str, Schema], list[str]]:
        """Each wire field's schema and the required ones, from ``attrs.fields``."""
        origin = typing.get_origin(type_) or type_
        params = getattr(origin, "__parameters__", ())
        bindings = dict(zip(params, typing.get_args(type_), strict=False))
        hints = typing.get_type_hints(origin)
        adjust = _ADJUSTMENTS.get(origin, _Adjust())
        properties: dict[str, Schema] = {}
        required: list[str] = []
        for attribute in attrs.fields(origin):
            if attribute.name.startswith("_"):
                continue
            if not attribute.init and self.direction == "input":
                continue
            field_type = hints[attribute.name]
            schema = self.field(field_type, attribute, bindings)
            key = adjust.renames.get(attribute.name, attribute.name)
            properties[key] = schema
            if self.direction == "output":
                if attribute.name not in adjust.omitted_if_default:
                    required.append(key)
            elif attribute.default is attrs.NOTHING:
                required.append(key)
        return properties, required

    def field(self, field_type: Any, attribute: attrs.Attribute[Any], bindings: Mapping[Any, Any]) -> Schema:
        bounds = attribute.metadata.get(RANGE)
        if bounds is None:
            return self.schema(field_type, bindings)
        low, high = bounds
        members = typing.get_args(field_type) or (field_type,)
        number = self.number(integer=int in members, low=low, high=high)
        return {"anyOf": [number, {"type": "null"}]} if NoneType in members else number

    def object_of(self, type_: Any) -> Schema:
        properties, required = self.field_schemas(type_)
        adjust = _ADJUSTMENTS.get(typing.get_origin(type_) or type_, _Adjust())
        if self.direction == "output":
            for name, schema in adjust.added(self).items():
                properties[name] = schema
                required.append(name)
        return _object(properties, required, closed=self.direction == "output")


def _object(properties: dict[str, Schema], required: Sequence[str], *, closed: bool) -> Schema:
    result: Schema = {"type": "object", "properties": properties, "required": list(required)}
    if closed:
        result["additionalProperties"] = False
    return result


@attrs.frozen
class _Adjust:
    """How a class's JSON differs from its attrs fields (the converter's overrides)."""

    renames: Mapping[str, str] = attrs.field(factory=dict)
    omitted_if_default: frozenset[str] = frozenset()
    added: Callable[[_Builder], dict[str, Schema]] = lambda _b: {}


_LEARNER_AS_USER: Final = _Adjust(renames={"learner_id": "user_id"})
_ADJUSTMENTS: Final[dict[type, _Adjust]] = {
    **dict.fromkeys(LEARNER_ID_AS_USER_ID, _LEARNER_AS_USER),
    # The kept vocabulary (SPEC §2): written only when it holds something.
    Recipe: _Adjust(omitted_if_default=frozenset({"unknown_track_codes", "difficulty_label"})),
    Mission: _Adjust(omitted_if_default=frozenset({"track_label"})),
    Cohort: _Adjust(omitted_if_default=frozenset({"track_label"})),
    ScoreSummary: _Adjust(renames={"minimum": "min", "maximum": "max"}),
    # Derived keys the bodies keep.
    GapAnalysis: _Adjust(added=lambda b: {"recommended_skill_codes": b.schema(tuple[str, ...])}),
}


# --- the hand-written table: types a converter hook renders specially -----------


def _suppressed(_b: _Builder, _t: Any) -> Schema:
    return {
        "type": "object",
        "properties": {"suppressed": {"const": True}},
        "required": ["suppressed"],
    } | ({"additionalProperties": False} if _b.direction == "output" else {})


def _policy_ref(b: _Builder, _t: Any) -> Schema:
    text: Schema = {"type": "string", "pattern": _POLICY_PATTERN}
    if b.direction == "output":
        return text
    legacy = _object(
        {"id": {"type": "string"}, "version": b.number(integer=True)}, ["id", "version"], closed=True
    )
    return {"anyOf": [text, legacy]}


def _category_score(b: _Builder, _t: Any) -> Schema:
    counts = _object(
        {
            "correct": b.number(integer=True, low=0),
            "total": b.number(integer=True, low=0),
            "points": {"anyOf": [b.number(), {"type": "null"}]},
        },
        ["correct", "total"] if b.direction == "input" else ["correct", "total", "points"],
        closed=b.direction == "output",
    )
    return {"anyOf": [b.number(low=0, high=100), counts]}


def _behavioral_profile(b: _Builder, _t: Any) -> Schema:
    strings = b.schema(tuple[str, ...])
    intended = _object(
        {"traits": b.schema(FrozenMap[str, float]), "strengths": strings, "areas_for_growth": strings},
        ["traits", "strengths", "areas_for_growth"] if b.direction == "output" else [],
        closed=b.direction == "output",
    )
    if b.direction == "output":
        return intended
    intended["required"] = ["traits"]
    # The platform's flat {category: mean}, optionally beside the two lists.
    flat: Schema = {
        "type": "object",
        "properties": {"strengths": strings, "areas_for_growth": strings},
        "additionalProperties": b.number(),
    }
    return {"anyOf": [intended, flat, {"type": "null"}]}


def _sketch(b: _Builder, _t: Any) -> Schema:
    count = {"type": "integer", "minimum": 0}
    return _object(
        {
            "count": count,
            "total": {"type": "number"},
            "total_sq": {"type": "number"},
            "minimum": {"type": ["number", "null"]},
            "maximum": {"type": ["number", "null"]},
            "bins": {"type": "array", "items": count, "minItems": BIN_COUNT, "maxItems": BIN_COUNT},
        },
        ["count", "total", "total_sq", "minimum", "maximum", "bins"],
        closed=b.direction == "output",
    )


def _stats(b: _Builder, _t: Any) -> Schema:
    count = {"type": "integer", "minimum": 0}
    counts = {"type": "object", "additionalProperties": count}
    properties: dict[str, Schema] = {
        "total": count,
        "profiled": count,
        **{kind: b.schema(ScoreSketch) for kind in _SCORE_KINDS},
        **dict.fromkeys(_COUNT_MAPS, counts),
    }
    return _object(properties, list(properties), closed=b.direction == "output")


def _partial(b: _Builder, _t: Any) -> Schema:
    membership = _object(
        {"cohorts": {"type": "array", "items": {"type": "string"}}, "stats": b.schema(CohortStats)},
        ["cohorts", "stats"],
        closed=b.direction == "output",
    )
    return _object({"memberships": {"type": "array", "items": membership}}, ["memberships"], closed=True)


def _population_properties(b: _Builder) -> dict[str, Schema]:
    buckets = b.schema(tuple[Bucket, ...])
    scores = _object(
        {kind: b.schema(ScoreBlock) for kind in _SCORE_KINDS},
        list(_SCORE_KINDS),
        closed=b.direction == "output",
    )
    return {
        "population": b.schema(PopulationFigures),
        "scores": scores,
        **dict.fromkeys(_BUCKET_LISTS, buckets),
    }


def _population(b: _Builder, _t: Any) -> Schema:
    properties = _population_properties(b)
    return _object(properties, list(properties), closed=b.direction == "output")


def _policies(b: _Builder) -> Schema:
    ref = b.schema(PolicyRef)
    return _object(
        {"analytics": ref, "suppression": ref}, ["analytics", "suppression"], closed=b.direction == "output"
    )


def _cohort_report(b: _Builder, _t: Any) -> Schema:
    properties: dict[str, Schema] = {
        "kind": {"const": "cohort_report"},
        "cohort": b.schema(Cohort),
        "policies": _policies(b),
        "k": b.number(integer=True),
        **_population_properties(b),
        "suppressed_cells": b.number(integer=True),
    }
    required = [key for key in properties if b.direction == "output" or key != "kind"]
    return _object(properties, required, closed=b.direction == "output")


def _breakdown(b: _Builder, _t: Any) -> Schema:
    properties: dict[str, Schema] = {
        "label": {"type": "string"},
        "track": b.schema(TrackKey | None),
        "track_label": {"type": "string"},
        "population": b.schema(PopulationFigures),
        "overall": b.schema(ScoreBlock),
        "readiness": b.schema(tuple[Bucket, ...]),
    }
    return _object(
        properties, [key for key in properties if key != "track_label"], closed=b.direction == "output"
    )


def _enterprise(b: _Builder, _t: Any) -> Schema:
    properties: dict[str, Schema] = {
        "kind": {"const": "enterprise_report"},
        "enterprise_id": b.id_(),
        "cohort_count": {"type": "integer", "minimum": 0},
        "policies": _policies(b),
        "k": b.number(integer=True),
        "rollup": b.schema(PopulationReport),
        "cohorts": {"type": "object", "additionalProperties": b.schema(CohortBreakdown)},
        "suppressed_cells": b.number(integer=True),
    }
    required = [key for key in properties if b.direction == "output" or key not in ("kind", "cohort_count")]
    return _object(properties, required, closed=b.direction == "output")


def _recommendation(b: _Builder, type_: Any) -> Schema:
    recipe, recipe_required = b.field_schemas(Recipe)
    ranking, ranking_required = b.field_schemas(type_)
    del ranking["recipe"]
    required = [*recipe_required, *(key for key in ranking_required if key not in ("recipe", "code_matches"))]
    return _object({**recipe, **ranking}, required, closed=b.direction == "output")


def _eligible(b: _Builder, type_: Any) -> Schema:
    properties, required = b.field_schemas(type_)
    if b.direction == "output":
        properties["next_mission"] = {"anyOf": [b.schema(Mission), {"type": "null"}]}
        required = ["decision", "missions", "next_mission", "empty_reason"]
    return _object(properties, required, closed=b.direction == "output")


def _access_decision(b: _Builder, type_: Any) -> Schema:
    properties, required = b.field_schemas(type_)
    if b.direction == "output":
        properties = {"allowed": {"type": "boolean"}, **properties}
        required = ["allowed", *required]
    return _object(properties, required, closed=b.direction == "output")


def _talent_search(b: _Builder, _t: Any) -> Schema:
    properties, required = b.field_schemas(CandidateRanking)
    if b.direction == "output":
        properties["degraded"] = {"type": "boolean"}
        required = [*required, "degraded"]
    return _object(properties, required, closed=b.direction == "output")


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def _results_body_fields(b: _Builder) -> dict[str, Schema]:
    # The mentee results body (serialization._bodies): the platform's names for the projection's fields.
    category = _object(
        {
            "score": _nullable(b.number()),
            "correct": _nullable(b.number(integer=True)),
            "total": _nullable(b.number(integer=True)),
        },
        ["score", "correct", "total"],
        closed=True,
    )
    scores, score_keys = b.field_schemas(ProfilerScores)
    strings = b.schema(tuple[str, ...])
    return {
        "mentee_id": b.id_(),
        "session_id": b.id_(),
        "completed_at": b.schema(dt.datetime | None),
        "is_locked": b.boolean(),
        "scores": _object(scores, score_keys, closed=True),
        "recommended_track": _object(
            {"track_key": b.schema(TrackKey | None), "confidence": _nullable(b.number())},
            ["track_key", "confidence"],
            closed=True,
        ),
        "strengths": strings,
        "areas_for_growth": strings,
        "behavioral_profile": b.schema(BehavioralProfile),
        "aptitude_breakdown": {"type": "object", "additionalProperties": category},
        "value_statement": b.schema(ValueStatementView | None),
        "difficulty_selection": b.schema(DifficultySelection | None),
        "track_alignment_percentages": b.schema(FrozenMap[TrackKey, float]),
        "reflection": b.schema(Reflection | None),
        "identity_responses": b.schema(tuple[IdentityResponse, ...]),
        "anti_cheat": b.schema(AntiCheatView | None),
    }


def _results_allowed(b: _Builder, _t: Any) -> Schema:
    # Exactly the keys VIEW_FIELDS gives the projection's view: one shape per view.
    fields = _results_body_fields(b)
    shapes: list[Schema] = []
    for view, keys in VIEW_FIELDS.items():
        properties = {key: {"const": view.value} if key == "view" else fields[key] for key in keys}
        shapes.append(_object(properties, list(keys), closed=True))
    return {"oneOf": shapes}


def _recommendations(b: _Builder, _t: Any) -> Schema:
    count = {"type": "integer", "minimum": 0}
    properties: dict[str, Schema] = {
        "gaps_analysis": b.schema(GapAnalysis),
        "recommended_recipes": b.schema(tuple[RecipeRecommendation, ...]),
        "total_gaps": count,
        "total_skills": count,
        "profiler_status": b.schema(ProfilerStatus),
        "message": {"type": "string"},
        "fallback": {"type": "boolean"},
        "degraded": {"type": "boolean"},
        "reasons": b.schema(tuple[Reason, ...]),
        "policy": b.schema(PolicyRef),
    }
    return _object(properties, list(properties), closed=True)


def _taxonomy(b: _Builder, type_: Any) -> Schema:
    if b.direction == "output":
        return b.object_of(type_)
    # Taxonomy.from_dict reads it and reports every problem itself.
    return {"type": "object"}


_HAND_WRITTEN: Final[dict[type, Callable[[_Builder, Any], Schema]]] = {
    Suppressed: _suppressed,
    PolicyRef: _policy_ref,
    CategoryScore: _category_score,
    BehavioralProfile: _behavioral_profile,
    ScoreSketch: _sketch,
    CohortStats: _stats,
    AnalyticsPartial: _partial,
    PopulationReport: _population,
    CohortReport: _cohort_report,
    CohortBreakdown: _breakdown,
    EnterpriseReport: _enterprise,
    RecipeRecommendation: _recommendation,
    EligibleMissions: _eligible,
    AccessDecision: _access_decision,
    TalentSearch: _talent_search,
    Taxonomy: _taxonomy,
    # Write-only endpoint bodies (never read back): output only.
    ResultsAllowed: _results_allowed,
    ProfilerRecommendations: _recommendations,
}


# --- public functions ----------------------------------------------------------


def schema_for(type_: Any, *, direction: Direction = "output") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of *type_*'s wire form in *direction*.

    Nested attrs classes are ``$ref`` s into the schema's own ``$defs``.

    >>> from profiler_core.decisions import Reason
    >>> schema = schema_for(Reason)
    >>> schema["$defs"]["Reason"]["required"]
    ['code', 'message']
    """
    builder = _Builder(direction)
    root = builder.schema(type_)
    return {"$schema": DIALECT, **root, **({"$defs": builder.defs} if builder.defs else {})}


def schema_bundle(*, direction: Direction = "output") -> dict[str, Any]:
    """One document whose ``$defs`` hold every value type of *direction*.

    ``"output"``: every class of :func:`output_types`; ``"input"``: :data:`INPUT_TYPES`.
    A type's schema is ``{"$ref": "#/$defs/<Name>"}`` against this document.

    >>> bundle = schema_bundle(direction="input")
    >>> "ProfilerSession" in bundle["$defs"]
    True
    """
    builder = _Builder(direction)
    for type_ in output_types() if direction == "output" else INPUT_TYPES:
        builder.schema(type_)
    return {"$schema": DIALECT, "$defs": dict(sorted(builder.defs.items()))}

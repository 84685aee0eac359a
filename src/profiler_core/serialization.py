"""The wire edge: plain JSON-like dicts in and out (SPEC §2).

:func:`structure` turns a host's dict (DRF serializer output, a
``QuerySet.values()`` row, a FastAPI body) into a value object and
:func:`unstructure` turns any value back into plain JSON data (:data:`JSON`).
Every problem in a payload is collected and raised together as one
:class:`~profiler_core.errors.InvalidPayloadError`, each with its JSON path
(``$.aptitude_breakdown.networking: must be 0..100``) and a machine code. No
other exception escapes :func:`structure`. Unknown extra keys are ignored.

Wire rules:

* numbers: a JSON number (``int``/``float``), a ``Decimal``, or a plain ASCII
  decimal string (``"85.50"``, ``"-3"``: an optional ``-``, digits, optionally
  ``.`` and more digits). Exponents, underscores, ``+``, non-ASCII digits,
  booleans, NaN and infinities are rejected; so are values outside a field's
  range or documented upper bound (:data:`profiler_core.models.BOUNDS`);
* timestamps: a ``datetime`` or a strict ISO 8601 string
  (``YYYY-MM-DD[T ]HH:MM[:SS[.fraction]]`` then ``Z`` or ``±HH:MM``) that
  carries a UTC offset and can be converted to UTC; naive timestamps are
  rejected, never guessed;
* numeric and timestamp strings may carry surrounding ASCII spaces (U+0020)
  and nothing else: tabs, newlines, NUL and other control characters are
  rejected;
* strings are never coerced from other types (ids accept integers);
* booleans: ``true``/``false`` or the strings ``"true"``/``"false"``;
* lists must be JSON arrays (a string is not a list of characters);
* tracks accept aliases; blank tracks and difficulty selections mean "none".
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import NoneType, UnionType
from typing import Any, TypeAlias, TypeVar, cast, overload

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from profiler_core._numbers import _DECIMAL_TEXT, _shown, _wire_text, parse_number
from profiler_core._timestamps import parse_timestamp
from profiler_core.access import AccessDecision
from profiler_core.decisions import PolicyRef
from profiler_core.errors import (
    InvalidPayloadError,
    InvalidValueError,
    PolicyError,
    Problem,
    ProfilerCoreError,
    UnknownValueError,
    WireValueError,
)
from profiler_core.frozenmap import FrozenMap
from profiler_core.gaps import GapAnalysis
from profiler_core.mapping import EligibleMissions
from profiler_core.models import (
    MAX_QUESTIONS,
    RANGE,
    AssignmentId,
    BehavioralProfile,
    CategoryScore,
    CohortId,
    EntryId,
    JobId,
    MissionId,
    OrgId,
    ProfilerSession,
    RecipeId,
    SessionId,
    SubtaskId,
    UserId,
    canonical_id,
    technical_exposure_percentage,
)
from profiler_core.recipe_ranking import RecipeRecommendation
from profiler_core.taxonomy import Taxonomy
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    DifficultySelection,
    EnrollmentStatus,
    GapType,
    JobLevel,
    MissionDifficulty,
    Priority,
    RecipeDifficulty,
    Role,
    Scope,
    SessionStatus,
    TrackKey,
    Visibility,
    parse_difficulty_selection,
    parse_enum,
    parse_mission_difficulty,
    parse_role,
    parse_track,
)

__all__ = [
    "JSON",
    "make_converter",
    "configure_converter",
    "structure",
    "unstructure",
    "unstructure_object",
    "error_body",
    "parse_number",
    "parse_timestamp",
]

T = TypeVar("T")

#: Plain JSON data: what :func:`unstructure` returns and ``json.dumps`` accepts.
JSON: TypeAlias = dict[str, "JSON"] | list["JSON"] | str | int | float | bool | None

_STR_ENUMS: tuple[type[enum.StrEnum], ...] = (
    AssignmentStatus,
    AssignmentType,
    DifficultySelection,
    EnrollmentStatus,
    GapType,
    JobLevel,
    Priority,
    RecipeDifficulty,
    Scope,
    SessionStatus,
    Visibility,
)
_ID_TYPES: tuple[Any, ...] = (
    UserId,
    SessionId,
    MissionId,
    RecipeId,
    CohortId,
    OrgId,
    JobId,
    EntryId,
    AssignmentId,
    SubtaskId,
)


# --- scalar parsers -----------------------------------------------------------

# parse_number (and the helpers it shares with this module) lives in the
# dependency-free _numbers module so that domain modules can read numbers
# without importing the wire edge; it is re-exported here unchanged.

# Integers beyond this many digits are beyond every bound; refusing them early
# keeps int() away from huge inputs.
_MAX_INT_DIGITS = 30


def _int(value: object, _type: object = int) -> int:
    """Parse an integer from the same shapes as :func:`parse_number`; fractions are rejected."""
    if isinstance(value, bool):
        raise WireValueError("must be an integer, not a boolean", problem_code="not_an_integer")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = _wire_text(value)
        if not _DECIMAL_TEXT.fullmatch(text):
            raise WireValueError(f"must be an integer, got {_shown(value)}", problem_code="not_an_integer")
        exact = Decimal(text)
    elif isinstance(value, Decimal | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise WireValueError("must be a finite number", problem_code="not_a_number")
        if isinstance(value, Decimal) and not value.is_finite():
            raise WireValueError("must be a finite number", problem_code="not_a_number")
        exact = Decimal(value)
    else:
        raise WireValueError(f"must be an integer, got {type(value).__name__}", problem_code="not_an_integer")
    if exact != exact.to_integral_value():
        raise WireValueError(f"must be an integer, got {_shown(value)}", problem_code="not_an_integer")
    if exact.adjusted() >= _MAX_INT_DIGITS:
        raise WireValueError("is out of range", problem_code="out_of_range")
    return int(exact)


# parse_timestamp lives in the dependency-free _timestamps module (like parse_number)
# so that domain modules can read timestamps without importing the wire edge.


def _str(value: object, _type: object = str) -> str:
    if not isinstance(value, str):
        raise WireValueError(f"must be a string, got {type(value).__name__}", problem_code="not_a_string")
    return value


def _id(value: object, _type: object = str) -> str:
    # The one canonicalisation of ids (models.canonical_id): str, int and UUID keys mean the same.
    try:
        return canonical_id(value)  # type: ignore[arg-type]  # any wire value; a non-id is reported
    except InvalidValueError as exc:
        raise WireValueError(exc.reason, problem_code=exc.problem_code) from None


def _bool(value: object, _type: object = bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise WireValueError(f"must be true or false, got {_shown(value)}", problem_code="not_a_boolean")


def _float(value: object, _type: object = float) -> float:
    return parse_number(value)


def _range_message(low: float, high: float) -> str:
    def show(bound: float) -> str:
        return str(int(bound)) if float(bound).is_integer() else f"{bound:g}"

    return f"must be {show(low)}..{show(high)}"


def _ranged_hook(
    low: float, high: float, *, optional: bool, integer: bool
) -> Callable[[object, object], float | None]:
    def hook(value: object, _type: object) -> float | None:
        if value is None and optional:
            return None
        try:
            number: float = _int(value) if integer else parse_number(value)
        except WireValueError as exc:
            if exc.problem_code == "out_of_range":
                raise WireValueError(_range_message(low, high), problem_code="out_of_range") from None
            raise
        if not low <= number <= high:
            raise WireValueError(_range_message(low, high), problem_code="out_of_range")
        return number

    return hook


def _optional_track(value: object, _type: object) -> TrackKey | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _track(value, TrackKey)


def _track(value: object, _type: object) -> TrackKey:
    if not isinstance(value, str):
        raise WireValueError(f"must be a track key, got {type(value).__name__}", problem_code="not_a_string")
    return parse_track(value)


def _optional_selection(value: object, _type: object) -> DifficultySelection | None:
    if value is not None and not isinstance(value, str):
        raise WireValueError(
            f"must be a difficulty selection, got {type(value).__name__}", problem_code="not_a_string"
        )
    return parse_difficulty_selection(value)


def _role(value: object, _type: object) -> Role:
    return parse_role(_str(value))


def _str_enum(value: object, type_: type[enum.StrEnum]) -> enum.StrEnum:
    return parse_enum(type_, value, field=type_.__name__)


def _enum_by_value(value: object, type_: type[enum.Enum]) -> enum.Enum:
    # Output enums (decisions, reports) read back exactly what unstructure wrote.
    if not isinstance(value, bool):
        for member in type_:
            if member.value == value and type(member.value) is type(value):
                return member
    raise UnknownValueError(field=type_.__name__, value=value, expected=[str(m.value) for m in type_])


# --- collections --------------------------------------------------------------


def _is_homogeneous_tuple(type_: object) -> bool:
    args = typing.get_args(type_)
    return typing.get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_set(type_: object) -> bool:
    return typing.get_origin(type_) in (frozenset, set) and len(typing.get_args(type_)) == 1


def _iterable_error(errors: list[Exception], type_: object) -> IterableValidationError:
    return IterableValidationError(f"While structuring {type_}", errors, tuple)


def _items_hook_factory(
    type_: Any, converter: cattrs.Converter, build: Callable[[list[Any]], Any]
) -> Callable[[object, object], Any]:
    elem_type = typing.get_args(type_)[0]
    elem_hook = converter.get_structure_hook(elem_type)

    def hook(value: object, _type: object) -> Any:
        if not isinstance(value, list | tuple):
            raise WireValueError(f"must be a list, got {type(value).__name__}", problem_code="not_a_list")
        items: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                items.append(elem_hook(item, elem_type))
            except Exception as exc:
                exc.add_note(IterableValidationNote(f"@ index {index}", index, elem_type))
                errors.append(exc)
        if errors:
            raise _iterable_error(errors, type_)
        return build(items)

    return hook


def _mapping(
    value: object,
    key_hook: Callable[[object], Any],
    value_hook: Callable[[object], Any],
    type_: object,
) -> FrozenMap[Any, Any]:
    if not isinstance(value, Mapping):
        raise WireValueError(f"must be an object, got {type(value).__name__}", problem_code="not_an_object")
    result: dict[Any, Any] = {}
    errors: list[Exception] = []
    for raw_key, raw_value in value.items():
        key_text = str(raw_key)
        try:
            key = key_hook(raw_key)
            if key in result:
                raise WireValueError(
                    f"duplicates key {key!s} after normalisation", problem_code="duplicate_key"
                )
            result[key] = value_hook(raw_value)
        except Exception as exc:
            exc.add_note(IterableValidationNote(f"@ key {key_text}", key_text, type_))
            errors.append(exc)
    if errors:
        raise _iterable_error(errors, type_)
    return FrozenMap(result)


def _frozen_map_hook_factory(type_: Any, converter: cattrs.Converter) -> Callable[[object, object], Any]:
    key_type, value_type = typing.get_args(type_) or (str, Any)
    key_hook = converter.get_structure_hook(key_type)
    value_hook = converter.get_structure_hook(value_type)

    def hook(value: object, _type: object) -> FrozenMap[Any, Any]:
        return _mapping(value, lambda k: key_hook(k, key_type), lambda v: value_hook(v, value_type), type_)

    return hook


def _category_key(raw: object) -> str:
    text = _str(raw).strip()
    if not text:
        raise WireValueError("category must not be blank", problem_code="blank")
    return text


def _question_count(value: object, name: str) -> int:
    try:
        count = _int(value)
    except WireValueError as exc:
        if exc.problem_code != "out_of_range":
            raise
        raise WireValueError(f"{name} must be 0..{MAX_QUESTIONS}", problem_code="out_of_range") from None
    if count < 0:
        raise WireValueError("needs 0 <= correct <= total", problem_code="out_of_range")
    if count > MAX_QUESTIONS:
        raise WireValueError(f"{name} must be 0..{MAX_QUESTIONS}", problem_code="out_of_range")
    return count


def _category_score(value: object) -> CategoryScore:
    if isinstance(value, Mapping):
        missing = [k for k in ("correct", "total") if value.get(k) is None]
        if missing:
            raise WireValueError(
                f"must hold {', '.join(missing)} (shape {{correct, total, points}})", problem_code="required"
            )
        correct, total = (
            _question_count(value["correct"], "correct"),
            _question_count(value["total"], "total"),
        )
        if not correct <= total:
            raise WireValueError("needs 0 <= correct <= total", problem_code="out_of_range")
        points = value.get("points")
        try:
            return CategoryScore.from_counts(
                correct=correct, total=total, points=None if points is None else parse_number(points)
            )
        except InvalidValueError as exc:
            # A bound of the value (e.g. total <= 10000): name the count in the message.
            raise WireValueError(f"{exc.field} {exc.reason}", problem_code=exc.problem_code) from None
    number = parse_number(value)
    if not 0 <= number <= 100:
        raise WireValueError("must be 0..100", problem_code="out_of_range")
    return CategoryScore(score=number)


def _breakdown_hook(value: object, type_: object) -> FrozenMap[str, CategoryScore]:
    return _mapping(value, _category_key, _category_score, type_)


def _traits_hook(value: object, type_: object) -> FrozenMap[str, float]:
    return _mapping(value, _category_key, parse_number, type_)


def _alignment_value(value: object) -> float:
    try:
        number = parse_number(value)
    except WireValueError as exc:
        if exc.problem_code == "out_of_range":
            raise WireValueError("must be 0..100", problem_code="out_of_range") from None
        raise
    if not 0 <= number <= 100:
        raise WireValueError("must be 0..100", problem_code="out_of_range")
    return number


def _alignment_hook(value: object, type_: object) -> FrozenMap[TrackKey, float]:
    return _mapping(value, lambda k: _track(k, TrackKey), _alignment_value, type_)


def _is_number(value: object) -> bool:
    try:
        parse_number(value)
    except ValueError:
        return False
    return True


def _profile_hook_factory(
    converter: cattrs.Converter,
) -> Callable[[object, object], BehavioralProfile]:
    strings_type = tuple[str, ...]
    strings = converter.get_structure_hook(strings_type)

    def hook(value: object, type_: object) -> BehavioralProfile:
        # Two shapes (SPEC §2): the intended {traits: {...}, strengths: [...],
        # areas_for_growth: [...]} and the platform's flat {category: mean}. The
        # reserved keys always mean what the intended shape says; any other key
        # holding a number is a trait, whatever else is present (SPEC §10.2: traits
        # were lost when a flat profile also held a strengths list). Without a
        # ``traits`` object every other key is a category, so a non-number there is
        # a problem; beside a ``traits`` object it is an unknown extra key (ignored).
        if value is None:
            return BehavioralProfile()
        if not isinstance(value, Mapping):
            raise WireValueError(
                f"must be an object, got {type(value).__name__}", problem_code="not_an_object"
            )
        flat = not isinstance(value.get("traits"), Mapping)
        traits: dict[str, float] = {}
        lists: dict[str, tuple[str, ...]] = {}
        errors: list[Exception] = []

        def record(exc: Exception, key: str) -> None:
            exc.add_note(IterableValidationNote(f"@ key {key}", key, type_))
            errors.append(exc)

        if "traits" in value:
            try:
                traits.update(_traits_hook(value["traits"], type_))
            except Exception as exc:
                record(exc, "traits")
        for name in ("strengths", "areas_for_growth"):
            if name in value:
                try:
                    lists[name] = strings(value[name], strings_type)
                except Exception as exc:
                    record(exc, name)
        for raw_key, raw_value in value.items():
            if raw_key in ("traits", "strengths", "areas_for_growth"):
                continue
            key_text = str(raw_key)
            if not flat and not _is_number(raw_value):
                continue
            try:
                key = _category_key(raw_key)
                number = parse_number(raw_value)
                if key in traits:
                    raise WireValueError(f"duplicates trait {key}", problem_code="duplicate_key")
                traits[key] = number
            except Exception as exc:
                record(exc, key_text)
        if errors:
            raise _iterable_error(errors, type_)
        return BehavioralProfile(
            traits=traits,
            strengths=lists.get("strengths", ()),
            areas_for_growth=lists.get("areas_for_growth", ()),
        )

    return hook


# --- classes ------------------------------------------------------------------


def _origin(type_: Any) -> Any:
    """The class behind a parametrised type (``AccessDecision[V]`` -> ``AccessDecision``)."""
    return typing.get_origin(type_) or type_


def _is_plain_attrs_class(type_: Any) -> bool:
    return (
        attrs.has(_origin(type_))
        and not _is_wire_dict_class(type_)
        and type_ not in (BehavioralProfile, CategoryScore)
    )


def _is_wire_dict_class(type_: object) -> bool:
    # A value class that defines its own JSON form: ``to_dict()`` and a
    # ``from_dict()`` classmethod (analytics state, taxonomies, the suppression
    # marker). unstructure and structure use that form, so it round-trips.
    return (
        isinstance(type_, type)
        and attrs.has(type_)
        and callable(getattr(type_, "to_dict", None))
        and isinstance(type_.__dict__.get("from_dict"), classmethod)
    )


def _wire_dict_structure(type_: Any) -> Callable[[object, object], Any]:
    def hook(value: object, _type: object) -> Any:
        try:
            return type_.from_dict(value)
        except PolicyError as exc:
            raise WireValueError(exc.reason, problem_code="invalid_value") from None
        except (AttributeError, TypeError):
            # from_dict of a mapping-only reader given another JSON type.
            raise WireValueError(
                f"must be an object, got {type(value).__name__}", problem_code="not_an_object"
            ) from None

    return hook


def _is_class_union(type_: object) -> bool:
    # Unions that cattrs cannot tell apart on its own: a class beside a scalar
    # (``int | Suppressed``) or beside another class (``ScoreSummary | Suppressed``).
    if typing.get_origin(type_) not in (typing.Union, UnionType):
        return False
    members = [a for a in typing.get_args(type_) if a is not NoneType]
    return len(members) > 1 and any(attrs.has(m) for m in members)


def _field_names(type_: Any) -> frozenset[str]:
    origin = _origin(type_)
    return frozenset(a.name for a in attrs.fields(origin)) if attrs.has(origin) else frozenset()


def _union_hook_factory(type_: Any, converter: cattrs.Converter) -> Callable[[object, object], Any]:
    args = typing.get_args(type_)
    optional = NoneType in args
    classes = [a for a in args if a is not NoneType and attrs.has(_origin(a))]
    scalars = [a for a in args if a is not NoneType and a not in classes]

    def hook(value: object, _type: object) -> Any:
        if value is None and optional:
            return None
        if not isinstance(value, Mapping):
            if not scalars:
                raise WireValueError(
                    f"must be an object, got {type(value).__name__}", problem_code="not_an_object"
                )
            return converter.structure(value, scalars[0])
        if not classes:
            raise WireValueError(
                f"must be a {scalars[0].__name__}, got an object", problem_code="invalid_value"
            )
        failures: list[tuple[int, Exception]] = []
        for member in classes:
            try:
                return converter.structure(value, member)
            except Exception as exc:
                failures.append((len(_field_names(member) & value.keys()), exc))
        # Report the member the payload resembles most (the first on a tie).
        raise max(failures, key=lambda pair: pair[0])[1]

    return hook


def _attrs_hook(cls: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    origin = _origin(cls)
    overrides: dict[str, Any] = {}
    hints = typing.get_type_hints(origin)
    for attribute in attrs.fields(origin):
        if not attribute.init:
            continue
        field_type = hints[attribute.name]
        # A field's own hook wins over the generic range check (it checks the range itself).
        if attribute.name in _FIELD_HOOKS.get(origin.__name__, {}):
            overrides[attribute.name] = override(struct_hook=_FIELD_HOOKS[origin.__name__][attribute.name])
        elif RANGE in attribute.metadata:
            low, high = attribute.metadata[RANGE]
            members = typing.get_args(field_type) or (field_type,)
            overrides[attribute.name] = override(
                struct_hook=_ranged_hook(low, high, optional=NoneType in members, integer=int in members)
            )
    generated = make_dict_structure_fn(cls, converter, **overrides)

    def hook(value: Any, _type: Any) -> Any:
        if not isinstance(value, Mapping):
            raise WireValueError(
                f"must be an object, got {type(value).__name__}", problem_code="not_an_object"
            )
        if origin is ProfilerSession:
            value = _expand_technical_exposure(value)
        return generated(value, cls)

    return hook


_EXPOSURE_SHAPE = (
    "must be a percentage 0..100 or {raw, answered} with answered >= 0 and answered <= raw <= 3 x answered"
)


def _exposure_counts(value: Mapping[str, Any]) -> tuple[float | None, int]:
    """``{raw, answered}`` -> (percentage, answered); raises :class:`WireValueError` with the cause's code."""
    try:
        answered = _int(value.get("answered"))
        if answered > MAX_QUESTIONS:
            raise WireValueError("out of range", problem_code="out_of_range")
    except WireValueError as exc:
        if exc.problem_code == "out_of_range":
            raise WireValueError(
                f"answered must be 0..{MAX_QUESTIONS}", problem_code="out_of_range"
            ) from None
        raise WireValueError(_EXPOSURE_SHAPE, problem_code=exc.problem_code) from None
    try:
        raw = _int(value.get("raw"))
    except WireValueError as exc:
        raise WireValueError(_EXPOSURE_SHAPE, problem_code=exc.problem_code) from None
    try:
        return technical_exposure_percentage(raw, answered), answered
    except InvalidValueError:
        raise WireValueError(_EXPOSURE_SHAPE, problem_code="out_of_range") from None


def _expand_technical_exposure(value: Mapping[str, Any]) -> Mapping[str, Any]:
    raw = value.get("technical_exposure_score")
    if not isinstance(raw, Mapping):
        return value
    try:
        percentage, answered = _exposure_counts(raw)
    except WireValueError:
        # Leave the object in place: the field hook reports it with its path.
        return value
    return {**value, "technical_exposure_score": percentage, "technical_exposure_answered": answered}


def _technical_exposure(value: object, _type: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return _exposure_counts(value)[0]
    return _ranged_hook(0.0, 100.0, optional=True, integer=False)(value, float)


_FIELD_HOOKS: dict[str, dict[str, Callable[[Any, Any], Any]]] = {
    "ProfilerSession": {
        "technical_exposure_score": _technical_exposure,
        "difficulty_selection": _optional_selection,
        "recommended_track": _optional_track,
        "track_alignment_percentages": _alignment_hook,
    },
    "ProfilerResult": {
        "aptitude_breakdown": _breakdown_hook,
        "behavioral_traits": _traits_hook,
    },
    "BehavioralProfile": {"traits": _traits_hook},
    "Mission": {"track": _optional_track},
    "Cohort": {"track": _optional_track},
    "MentorAssignment": {"track": _optional_track},
    "JobPosting": {"track": _optional_track},
    "TalentProfile": {"primary_track_key": _optional_track},
}


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


# --- unstructuring ------------------------------------------------------------


def _unstructure_category(value: CategoryScore) -> object:
    if value.total is None:
        return value.score
    return {"correct": value.correct, "total": value.total, "points": value.points}


def _is_frozen_map(type_: object) -> bool:
    return type_ is FrozenMap or typing.get_origin(type_) is FrozenMap


def _enum_value(value: enum.Enum) -> object:
    return value.value


def _key(key: object) -> object:
    return key.value if isinstance(key, enum.Enum) else key


def _sort_key(item: object) -> str:
    return json.dumps(item, sort_keys=True)


_JSON_SCALARS = (str, int, float, bool, NoneType)


def _unstructure_fallback(type_: Any) -> Callable[[Any], Any]:
    # Anything cattrs has no hook for must already be a JSON scalar: unstructure
    # promises JSON, so a stray object is a TypeError here, not a surprise in json.dumps.
    def hook(value: Any) -> Any:
        if isinstance(value, _JSON_SCALARS):
            return value
        raise TypeError(f"cannot unstructure {type(value).__name__} into JSON")

    return hook


# --- PolicyRef: one wire form, "id@version" (issue 12) -----------------------


def _policy_ref(value: object, _type: object) -> PolicyRef:
    # Written "id@version" everywhere; the object form {"id", "version"} that
    # unstructure wrote before 0.2 still reads.
    if isinstance(value, Mapping) and value.keys() == {"id", "version"}:
        name, version = _str(value["id"]), _int(value["version"])
        value = f"{name}@{version}"
    if not isinstance(value, str):
        raise WireValueError(
            f"must be an id@version string, got {type(value).__name__}", problem_code="invalid_value"
        )
    try:
        return PolicyRef.parse(value)
    except InvalidValueError as exc:
        raise WireValueError(exc.reason, problem_code="invalid_value") from None


# --- end PolicyRef ------------------------------------------------------------


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
        }

    return hook


# --- end EligibleMissions -----------------------------------------------------


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


# --- end AccessDecision -------------------------------------------------------


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


def configure_converter(converter: cattrs.Converter) -> None:
    """Install the wire rules of this module on *converter*.

    Use it to extend a converter of your own; :func:`make_converter` returns a
    ready one.
    """
    for id_type in _ID_TYPES:
        converter.register_structure_hook(id_type, _id)
    converter.register_structure_hook(str, _str)
    converter.register_structure_hook(int, _int)
    converter.register_structure_hook(float, _float)
    converter.register_structure_hook(bool, _bool)
    converter.register_structure_hook(dt.datetime, lambda v, _t: parse_timestamp(v))
    # Enums of other modules (decisions, reports) read back their exact value.
    # Registered on the enum bases because singledispatch follows the MRO: StrEnum
    # and IntEnum must beat the str and int hooks.
    for base_enum in (enum.StrEnum, enum.IntEnum, enum.Enum):
        converter.register_structure_hook(base_enum, _enum_by_value)
    converter.register_structure_hook(TrackKey, _track)
    converter.register_structure_hook(Role, _role)
    converter.register_structure_hook(MissionDifficulty, lambda v, _t: parse_mission_difficulty(v))
    # The input vocabulary parses leniently (case, separators).
    for enum_type in _STR_ENUMS:
        converter.register_structure_hook(enum_type, _str_enum)
    converter.register_structure_hook_factory(
        _is_homogeneous_tuple, lambda t: _items_hook_factory(t, converter, tuple)
    )
    converter.register_structure_hook_factory(
        _is_set, lambda t: _items_hook_factory(t, converter, _origin(t))
    )
    converter.register_structure_hook_factory(
        _is_frozen_map, lambda t: _frozen_map_hook_factory(t, converter)
    )
    converter.register_structure_hook_factory(_is_class_union, lambda t: _union_hook_factory(t, converter))
    converter.register_structure_hook_factory(_is_plain_attrs_class, lambda t: _attrs_hook(t, converter))
    converter.register_structure_hook_factory(_is_wire_dict_class, _wire_dict_structure)
    converter.register_structure_hook(BehavioralProfile, _profile_hook_factory(converter))
    # A category score on its own reads the same two shapes as inside a breakdown
    # (what unstructure writes), so it round-trips.
    converter.register_structure_hook(CategoryScore, lambda v, _t: _category_score(v))

    converter.register_unstructure_hook(dt.datetime, lambda v: v.isoformat())
    # Every enum (including those of other modules, e.g. EvidenceFlag) goes out as its
    # plain value. Registered on the enum bases because singledispatch follows the MRO:
    # StrEnum and IntEnum must beat the str and int hooks.
    for out_enum in (enum.StrEnum, enum.IntEnum, enum.Enum):
        converter.register_unstructure_hook(out_enum, _enum_value)
    converter.register_unstructure_hook_func(
        _is_frozen_map,
        lambda m: {_key(k): converter.unstructure(v) for k, v in m.items()},
    )
    # Sets go out as lists in a stable order (JSON has no sets).
    converter.register_unstructure_hook_func(
        lambda t: _origin(t) in (frozenset, set),
        lambda s: sorted((converter.unstructure(item) for item in s), key=_sort_key),
    )
    converter.register_unstructure_hook(bytes, _unstructure_fallback(bytes))
    converter.register_unstructure_hook_factory(
        _has_derived_fields, lambda t: _derived_fields_hook(t, converter)
    )
    converter.register_unstructure_hook_func(_is_wire_dict_class, lambda v: v.to_dict())
    converter.register_unstructure_hook(CategoryScore, _unstructure_category)
    # PolicyRef: one wire form, "id@version" (issue 12); registered before the
    # hooks generated below, which embed the PolicyRef hook they find.
    converter.register_structure_hook(PolicyRef, _policy_ref)
    converter.register_unstructure_hook(PolicyRef, str)
    # Gap analysis and recipe ranking (see the section above); a taxonomy reads
    # with Taxonomy.from_dict, which lists every problem with its path.
    converter.register_structure_hook(Taxonomy, _wire_dict_structure(Taxonomy))
    converter.register_unstructure_hook(GapAnalysis, _unstructure_analysis(converter))
    converter.register_structure_hook(GapAnalysis, _structure_analysis(converter))
    converter.register_unstructure_hook(RecipeRecommendation, _unstructure_recommendation(converter))
    converter.register_structure_hook(RecipeRecommendation, _structure_recommendation(converter))
    # EligibleMissions: the derived next_mission stays in the body (issue 12).
    converter.register_unstructure_hook(EligibleMissions, _eligible_missions_hook(converter))
    # AccessDecision: the derived allowed stays in the record (issue 12).
    converter.register_unstructure_hook_func(_is_access_decision, _access_decision_hook(converter))


def make_converter() -> cattrs.Converter:
    """A new converter with the wire rules installed (never the global converter)."""
    converter = cattrs.Converter(detailed_validation=True, unstructure_fallback_factory=_unstructure_fallback)
    configure_converter(converter)
    return converter


_CONVERTER = make_converter()


# --- errors -------------------------------------------------------------------


def _leaf(exc: BaseException) -> tuple[str, str]:
    """The (message, problem code) of one error."""
    if isinstance(exc, KeyError):
        return "required field missing", "required"
    if isinstance(exc, WireValueError):
        return exc.reason, exc.problem_code
    if isinstance(exc, InvalidValueError):
        return exc.reason, exc.problem_code
    if isinstance(exc, UnknownValueError):
        # The detail quotes the value; cap it as the wire errors do (a 1 MB status is not echoed).
        return exc.detail.replace(repr(exc.value), _shown(exc.value), 1), "unknown_value"
    if isinstance(exc, PolicyError):
        return str(exc), "invalid_value"
    if isinstance(exc, ValueError | TypeError) and exc.args:
        return (str(exc.args[0]) if isinstance(exc, ProfilerCoreError) else str(exc)), "invalid_value"
    return f"invalid value ({type(exc).__name__})", "invalid_value"


def _problem(path: str, exc: BaseException) -> Problem:
    message, code = _leaf(exc)
    return Problem(path=path, message=message, code=code)


def _problems(exc: BaseException, path: str) -> list[Problem]:
    if isinstance(exc, InvalidPayloadError):
        # A value's own reader (from_dict) already lists problems from its root.
        return [attrs.evolve(p, path=path + p.path[1:]) for p in exc.problems]
    if isinstance(exc, IterableValidationError):
        with_notes, without = exc.group_exceptions()
        nested: list[tuple[BaseException, str]] = [
            (
                sub,
                f"{path}.{note.index}" if isinstance(note.index, str) else f"{path}[{note.index}]",
            )
            for sub, note in with_notes
        ]
    elif isinstance(exc, ClassValidationError):
        with_notes_c, without = exc.group_exceptions()
        nested = [(sub, f"{path}.{note.name}") for sub, note in with_notes_c]
    else:
        return [_problem(path, exc)]
    problems = [p for sub, sub_path in nested for p in _problems(sub, sub_path)]
    for sub in without:
        # A value's own cross-field rule names its field: report it there.
        if isinstance(sub, InvalidValueError):
            problems.append(_problem(f"{path}.{sub.field}", sub))
        else:
            problems.extend(_problems(sub, path))
    return problems


# --- public API ---------------------------------------------------------------


@overload
def structure(data: object, type_: type[T]) -> T: ...
@overload
def structure(data: object, type_: Any) -> Any: ...
def structure(data: object, type_: Any) -> Any:
    """Build a value of *type_* from plain JSON-like *data*.

    Raises:
        InvalidPayloadError: listing every problem with its JSON path and code.
            No other exception escapes.

    >>> from profiler_core import Mission
    >>> structure({"id": 7, "code": "M-1", "title": "Ports", "difficulty": "Beginner"}, Mission).difficulty
    <MissionDifficulty.BEGINNER: 1>
    """
    name = getattr(type_, "__name__", str(type_))
    try:
        return _CONVERTER.structure(data, type_)
    except InvalidValueError as exc:
        raise InvalidPayloadError([_problem(f"$.{exc.field}", exc)], type_name=name) from None
    except Exception as exc:
        raise InvalidPayloadError(_problems(exc, "$"), type_name=name) from None


def unstructure(value: object) -> JSON:
    """Turn a value (or a collection of values) into plain JSON data.

    Enums become their values, timestamps ISO 8601 strings, tuples and sets
    lists, maps objects, and a suppressed analytics figure
    ``{"suppressed": true}``. ``structure(unstructure(x), type(x)) == x``.

    Raises:
        TypeError: *value* holds something that has no JSON form.

    >>> from profiler_core import Reason
    >>> unstructure(Reason(code="selection_mapped", message="novice maps to level 1."))
    {'code': 'selection_mapped', 'message': 'novice maps to level 1.'}
    """
    return cast("JSON", _CONVERTER.unstructure(value))


# --- error_body: the 400 body of an invalid payload (issue 12) ---------------


def error_body(error: InvalidPayloadError) -> dict[str, object]:
    """The JSON body of a 400 response for *error*: ``{"code", "type", "errors": [{path, code, message}]}``.

    The wire edge owns every rendering; this one replaces ``InvalidPayloadError.as_dict()``.

    >>> from profiler_core import Problem
    >>> problem = Problem(path="$.limit", message="must be 1..50", code="out_of_range")
    >>> error_body(InvalidPayloadError([problem], type_name="request"))["errors"]
    [{'path': '$.limit', 'code': 'out_of_range', 'message': 'must be 1..50'}]
    """
    return {
        "code": error.code,
        "type": error.type_name,
        "errors": [{"path": p.path, "code": p.code, "message": p.message} for p in error.problems],
    }


# --- end error_body -----------------------------------------------------------


def unstructure_object(value: object) -> dict[str, JSON]:
    """:func:`unstructure` for a value whose JSON is an object (an endpoint body).

    Raises:
        TypeError: *value* does not unstructure to a JSON object (e.g. a list
            or a plain number).

    >>> from profiler_core import Reason
    >>> unstructure_object(Reason(code="selection_mapped", message="novice maps to level 1."))["code"]
    'selection_mapped'
    """
    data = unstructure(value)
    if not isinstance(data, dict):
        raise TypeError(f"{type(value).__name__} does not unstructure to a JSON object")
    return data

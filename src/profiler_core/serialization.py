"""The wire edge: plain JSON-like dicts in and out (SPEC §2).

:func:`structure` turns a host's dict (DRF serializer output, a
``QuerySet.values()`` row, a FastAPI body) into a value object and
:func:`unstructure` turns any value back into plain JSON-ready data. Every
problem in a payload is collected and raised together as one
:class:`~profiler_core.errors.InvalidPayloadError`, each with its JSON path
(``$.aptitude_breakdown.networking: must be 0..100``). No other exception
escapes :func:`structure`. Unknown extra keys are ignored.

Wire rules:

* numbers: ``int``, ``float``, ``Decimal`` or a numeric string (``"85.50"``);
  booleans, NaN and infinities are rejected; ranged fields are checked here;
* timestamps: an ISO 8601 string or a ``datetime``, which must carry a UTC
  offset (naive timestamps are rejected, never guessed);
* strings are never coerced from other types (ids accept integers);
* booleans: ``true``/``false`` or the strings ``"true"``/``"false"``;
* lists must be JSON arrays (a string is not a list of characters);
* tracks accept aliases; blank tracks and difficulty selections mean "none".
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, overload

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override

from profiler_core.errors import (
    InvalidPayloadError,
    InvalidValueError,
    Problem,
    ProfilerCoreError,
    UnknownValueError,
)
from profiler_core.frozenmap import FrozenMap
from profiler_core.models import (
    RANGE,
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
    UserId,
    technical_exposure_percentage,
)
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
    "make_converter",
    "configure_converter",
    "structure",
    "unstructure",
    "parse_number",
    "parse_timestamp",
]

T = TypeVar("T")

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
)


# --- scalar parsers -----------------------------------------------------------


def parse_number(value: object) -> float:
    """Parse a JSON number, ``Decimal`` or numeric string into a finite float.

    Raises:
        ValueError: booleans, non-numeric strings, NaN and infinities.

    >>> parse_number("85.50")
    85.5
    """
    if isinstance(value, bool):
        raise ValueError("must be a number, not a boolean")
    if isinstance(value, int | float | Decimal):
        try:
            number = float(value)
        except OverflowError:
            # An int too large for a float: out of every range, so report it as such.
            raise ValueError("must be a finite number") from None
    elif isinstance(value, str):
        try:
            number = float(Decimal(value.strip()))
        except (InvalidOperation, ValueError):
            raise ValueError(f"must be a number, got {value!r}") from None
    else:
        raise ValueError(f"must be a number, got {type(value).__name__}")
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    return number


def parse_timestamp(value: object) -> dt.datetime:
    """Parse an ISO 8601 timestamp (or take a ``datetime``) that carries a UTC offset.

    Raises:
        ValueError: not ISO 8601, or naive (no offset).

    >>> parse_timestamp("2026-01-02T03:04:05Z").isoformat()
    '2026-01-02T03:04:05+00:00'
    """
    if isinstance(value, dt.datetime):
        stamp = value
    elif isinstance(value, str):
        try:
            stamp = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"must be an ISO 8601 timestamp, got {value!r}") from None
    else:
        raise ValueError(f"must be an ISO 8601 timestamp, got {type(value).__name__}")
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError("must carry a UTC offset (naive timestamps are rejected)")
    return stamp


def _int(value: object, _type: object = int) -> int:
    if isinstance(value, bool):
        raise ValueError("must be an integer, not a boolean")
    if isinstance(value, int):
        return value
    number = parse_number(value)
    if not number.is_integer():
        raise ValueError(f"must be an integer, got {value!r}")
    return int(number)


def _str(value: object, _type: object = str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a string, got {type(value).__name__}")
    return value


def _id(value: object, _type: object = str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = _str(value)
    if not text.strip():
        raise ValueError("must not be blank")
    return text


def _bool(value: object, _type: object = bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise ValueError(f"must be true or false, got {value!r}")


def _float(value: object, _type: object = float) -> float:
    return parse_number(value)


def _ranged_hook(low: float, high: float, optional: bool) -> Callable[[object, object], float | None]:
    def hook(value: object, _type: object) -> float | None:
        if value is None and optional:
            return None
        number = parse_number(value)
        if not low <= number <= high:
            raise ValueError(f"must be {low:g}..{high:g}")
        return number

    return hook


def _optional_track(value: object, _type: object) -> TrackKey | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _track(value, TrackKey)


def _track(value: object, _type: object) -> TrackKey:
    if not isinstance(value, str):
        raise ValueError(f"must be a track key, got {type(value).__name__}")
    return parse_track(value)


def _optional_selection(value: object, _type: object) -> DifficultySelection | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"must be a difficulty selection, got {type(value).__name__}")
    return parse_difficulty_selection(value)


def _role(value: object, _type: object) -> Role:
    return parse_role(_str(value))


def _str_enum(value: object, type_: type[enum.StrEnum]) -> enum.StrEnum:
    return parse_enum(type_, value, field=type_.__name__)


# --- collections --------------------------------------------------------------


def _is_homogeneous_tuple(type_: object) -> bool:
    args = typing.get_args(type_)
    return typing.get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _iterable_error(errors: list[Exception], type_: object) -> IterableValidationError:
    return IterableValidationError(f"While structuring {type_}", errors, tuple)


def _tuple_hook_factory(
    type_: Any, converter: cattrs.Converter
) -> Callable[[object, object], tuple[Any, ...]]:
    elem_type = typing.get_args(type_)[0]
    elem_hook = converter.get_structure_hook(elem_type)

    def hook(value: object, _type: object) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise ValueError(f"must be a list, got {type(value).__name__}")
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
        return tuple(items)

    return hook


def _mapping(
    value: object,
    key_hook: Callable[[object], Any],
    value_hook: Callable[[object], Any],
    type_: object,
) -> FrozenMap[Any, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"must be an object, got {type(value).__name__}")
    result: dict[Any, Any] = {}
    errors: list[Exception] = []
    for raw_key, raw_value in value.items():
        key_text = str(raw_key)
        try:
            key = key_hook(raw_key)
            if key in result:
                raise ValueError(f"duplicates key {key!s} after normalisation")
            result[key] = value_hook(raw_value)
        except Exception as exc:
            exc.add_note(IterableValidationNote(f"@ key {key_text}", key_text, type_))
            errors.append(exc)
    if errors:
        raise _iterable_error(errors, type_)
    return FrozenMap(result)


def _category_key(raw: object) -> str:
    text = _str(raw).strip()
    if not text:
        raise ValueError("category must not be blank")
    return text


def _category_score(value: object) -> CategoryScore:
    if isinstance(value, Mapping):
        missing = [k for k in ("correct", "total") if value.get(k) is None]
        if missing:
            raise ValueError(f"must hold {', '.join(missing)} (shape {{correct, total, points}})")
        correct, total = _int(value["correct"]), _int(value["total"])
        if total < 0 or not 0 <= correct <= total:
            raise ValueError("needs 0 <= correct <= total")
        points = value.get("points")
        return CategoryScore.from_counts(
            correct=correct, total=total, points=None if points is None else parse_number(points)
        )
    number = parse_number(value)
    if not 0 <= number <= 100:
        raise ValueError("must be 0..100")
    return CategoryScore(score=number)


def _breakdown_hook(value: object, type_: object) -> FrozenMap[str, CategoryScore]:
    return _mapping(value, _category_key, _category_score, type_)


def _traits_hook(value: object, type_: object) -> FrozenMap[str, float]:
    return _mapping(value, _category_key, parse_number, type_)


def _alignment_value(value: object) -> float:
    number = parse_number(value)
    if not 0 <= number <= 100:
        raise ValueError("must be 0..100")
    return number


def _alignment_hook(value: object, type_: object) -> FrozenMap[TrackKey, float]:
    return _mapping(value, lambda k: _track(k, TrackKey), _alignment_value, type_)


_INTENDED_PROFILE_KEYS = frozenset({"traits", "strengths", "areas_for_growth"})


def _is_intended_profile(value: Mapping[Any, Any]) -> bool:
    # The intended shape may carry extra keys (ignored like everywhere else), so it is
    # recognised by its own keys: only intended keys, a ``traits`` object, or a
    # ``strengths`` / ``areas_for_growth`` array. A flat profile holds numbers only.
    if value.keys() and value.keys() <= _INTENDED_PROFILE_KEYS:
        return True
    return isinstance(value.get("traits"), Mapping) or any(
        isinstance(value.get(key), list | tuple) for key in ("strengths", "areas_for_growth")
    )


def _profile_hook_factory(
    converter: cattrs.Converter,
) -> Callable[[object, object], BehavioralProfile]:
    intended = _attrs_hook(BehavioralProfile, converter)

    def hook(value: object, type_: object) -> BehavioralProfile:
        if value is None:
            return BehavioralProfile()
        if not isinstance(value, Mapping):
            raise ValueError(f"must be an object, got {type(value).__name__}")
        if _is_intended_profile(value):
            return intended(value, type_)  # type: ignore[no-any-return]  # cattrs hooks are untyped
        # The platform's stored shape: a flat {category: mean}, read as traits.
        return BehavioralProfile(traits=_traits_hook(value, type_))

    return hook


# --- classes ------------------------------------------------------------------


def _attrs_hook(cls: type[Any], converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    overrides: dict[str, Any] = {}
    hints = typing.get_type_hints(cls)
    for attribute in attrs.fields(cls):
        field_type = hints[attribute.name]
        # A field's own hook wins over the generic range check (it checks the range itself).
        if attribute.name in _FIELD_HOOKS.get(cls.__name__, {}):
            overrides[attribute.name] = override(struct_hook=_FIELD_HOOKS[cls.__name__][attribute.name])
        elif RANGE in attribute.metadata:
            low, high = attribute.metadata[RANGE]
            optional = type(None) in typing.get_args(field_type)
            overrides[attribute.name] = override(struct_hook=_ranged_hook(low, high, optional))
    generated = make_dict_structure_fn(cls, converter, **overrides)

    def hook(value: Any, _type: Any) -> Any:
        if not isinstance(value, Mapping):
            raise ValueError(f"must be an object, got {type(value).__name__}")
        if cls is ProfilerSession:
            value = _expand_technical_exposure(value)
        return generated(value, cls)

    return hook


def _expand_technical_exposure(value: Mapping[str, Any]) -> Mapping[str, Any]:
    raw = value.get("technical_exposure_score")
    if not isinstance(raw, Mapping):
        return value
    data = dict(value)
    try:
        answered = _int(raw.get("answered"))
        percentage = technical_exposure_percentage(_int(raw.get("raw")), answered)
    except (ValueError, TypeError):
        # Leave the object in place: the field hook reports it with its path.
        return data
    data["technical_exposure_score"] = percentage
    data["technical_exposure_answered"] = answered
    return data


def _technical_exposure(value: object, _type: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        raise ValueError(
            "must be a percentage 0..100 or {raw, answered} with answered >= 0 and "
            "answered <= raw <= 3 x answered"
        )
    number = parse_number(value)
    if not 0 <= number <= 100:
        raise ValueError("must be 0..100")
    return number


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
    converter.register_structure_hook(TrackKey, _track)
    converter.register_structure_hook(Role, _role)
    converter.register_structure_hook(MissionDifficulty, lambda v, _t: parse_mission_difficulty(v))
    # StrEnums are str subclasses: each needs its own hook, or the strict str hook
    # would accept any text as a member.
    for enum_type in _STR_ENUMS:
        converter.register_structure_hook(enum_type, _str_enum)
    converter.register_structure_hook_factory(
        _is_homogeneous_tuple, lambda t: _tuple_hook_factory(t, converter)
    )
    converter.register_structure_hook_factory(
        lambda t: attrs.has(t) and t not in (BehavioralProfile, CategoryScore),
        lambda t: _attrs_hook(t, converter),
    )
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
    converter.register_unstructure_hook(CategoryScore, _unstructure_category)


def make_converter() -> cattrs.Converter:
    """A new converter with the wire rules installed (never the global converter)."""
    converter = cattrs.Converter(detailed_validation=True)
    configure_converter(converter)
    return converter


_CONVERTER = make_converter()


# --- errors -------------------------------------------------------------------


def _format_leaf(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, InvalidValueError):
        return exc.reason
    if isinstance(exc, UnknownValueError):
        return exc.detail
    if isinstance(exc, ValueError | TypeError) and exc.args:
        return str(exc.args[0]) if isinstance(exc, ProfilerCoreError) else str(exc)
    return f"invalid value ({type(exc).__name__})"


def _problems(exc: BaseException, path: str) -> list[Problem]:
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
        return [Problem(path=path, message=_format_leaf(exc))]
    problems = [p for sub, sub_path in nested for p in _problems(sub, sub_path)]
    for sub in without:
        # A value's own cross-field rule names its field: report it there.
        sub_path = f"{path}.{sub.field}" if isinstance(sub, InvalidValueError) else path
        problems.append(Problem(path=sub_path, message=_format_leaf(sub)))
    return problems


# --- public API ---------------------------------------------------------------


@overload
def structure(data: object, type_: type[T]) -> T: ...
@overload
def structure(data: object, type_: Any) -> Any: ...
def structure(data: object, type_: Any) -> Any:
    """Build a value of *type_* from plain JSON-like *data*.

    Raises:
        InvalidPayloadError: listing every problem with its JSON path. No other
            exception escapes.

    >>> from profiler_core import Mission
    >>> structure({"id": 7, "code": "M-1", "title": "Ports", "difficulty": "Beginner"}, Mission).difficulty
    <MissionDifficulty.BEGINNER: 1>
    """
    name = getattr(type_, "__name__", str(type_))
    try:
        return _CONVERTER.structure(data, type_)
    except (ClassValidationError, IterableValidationError) as exc:
        raise InvalidPayloadError(_problems(exc, "$"), type_name=name) from None
    except InvalidValueError as exc:
        raise InvalidPayloadError(
            [Problem(path=f"$.{exc.field}", message=exc.reason)], type_name=name
        ) from None
    except Exception as exc:
        raise InvalidPayloadError([Problem(path="$", message=_format_leaf(exc))], type_name=name) from None


def unstructure(value: object) -> Any:
    """Turn a value (or a collection of values) into plain JSON-ready data.

    >>> from profiler_core import Reason
    >>> unstructure(Reason(code="selection_mapped", message="novice maps to level 1."))
    {'code': 'selection_mapped', 'message': 'novice maps to level 1.'}
    """
    return _CONVERTER.unstructure(value)

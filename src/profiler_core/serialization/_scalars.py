"""Scalars on the wire: numbers, ids, booleans, timestamps, enums and ``PolicyRef``.

The structure hooks raise :class:`~profiler_core.errors.WireValueError` with a
problem code; the unstructure helpers turn enums and keys into plain values.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import NoneType
from typing import Any

from profiler_core._numbers import _DECIMAL_TEXT, _shown, _wire_text, parse_number
from profiler_core.decisions import PolicyRef, _policy_text
from profiler_core.errors import InvalidValueError, UnknownValueError, WireValueError
from profiler_core.models import (
    AssignmentId,
    CohortId,
    EntryId,
    JobId,
    MissionId,
    OrgId,
    RecipeId,
    SessionId,
    SubtaskId,
    UserId,
    canonical_id,
)
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    DifficultySelection,
    EnrollmentStatus,
    GapType,
    JobLevel,
    Priority,
    RecipeDifficulty,
    Role,
    Scope,
    SessionStatus,
    TrackKey,
    Visibility,
    parse_difficulty_selection,
    parse_enum,
    parse_role,
    parse_track,
)

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
        value = _policy_text(name, version)
    if not isinstance(value, str):
        raise WireValueError(
            f"must be an id@version string, got {type(value).__name__}", problem_code="invalid_value"
        )
    try:
        return PolicyRef.parse(value)
    except InvalidValueError as exc:
        raise WireValueError(exc.reason, problem_code="invalid_value") from None

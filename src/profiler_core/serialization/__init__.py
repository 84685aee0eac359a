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

The package's private modules hold the rules by concept: ``_scalars`` (numbers,
ids, booleans, timestamps, enums, ``PolicyRef``), ``_collections``, ``_inputs``
(the SPEC §2 input shapes), ``_outputs`` (decisions and rankings),
``_analytics`` (the analytics state and reports), ``_bodies`` (the service
outcomes' endpoint bodies), ``_errors`` (problems and their paths) and
``_converter`` (the one converter).
"""

from __future__ import annotations

from typing import Any, TypeAlias, TypeVar, cast, overload

from profiler_core._numbers import parse_number
from profiler_core._timestamps import parse_timestamp
from profiler_core.errors import InvalidPayloadError, InvalidValueError
from profiler_core.serialization._converter import configure_converter, make_converter
from profiler_core.serialization._errors import _problem, _problems

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

_CONVERTER = make_converter()


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

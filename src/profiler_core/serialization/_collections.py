"""Collections on the wire: lists as tuples and sets, objects as read-only maps, class unions.

Every element's problem is collected (with its index or key) before one error
is raised, so :func:`~profiler_core.serialization.structure` reports them all.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from types import NoneType, UnionType
from typing import Any

import attrs
import cattrs
from cattrs.errors import IterableValidationError, IterableValidationNote

from profiler_core.errors import WireValueError
from profiler_core.frozenmap import FrozenMap


def _origin(type_: Any) -> Any:
    """The class behind a parametrised type (``AccessDecision[V]`` -> ``AccessDecision``)."""
    return typing.get_origin(type_) or type_


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


def _is_frozen_map(type_: object) -> bool:
    return type_ is FrozenMap or typing.get_origin(type_) is FrozenMap


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

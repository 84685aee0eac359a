"""Input values on the wire: sessions, breakdowns, behavioral profiles and every plain attrs value.

The SPEC §2 shapes a host sends (both ``aptitude_breakdown`` shapes, both
``behavioral_profile`` shapes, the ``{raw, answered}`` technical exposure) and
the generic attrs hook, which checks each field's documented range.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from types import NoneType
from typing import Any, Final

import attrs
import cattrs
from cattrs.errors import IterableValidationNote
from cattrs.gen import make_dict_structure_fn, override

from profiler_core._numbers import parse_number
from profiler_core.errors import InvalidValueError, WireValueError
from profiler_core.field_rules import _in_score_range
from profiler_core.frozenmap import FrozenMap
from profiler_core.models import (
    MAX_QUESTIONS,
    RANGE,
    BehavioralProfile,
    CategoryScore,
    Cohort,
    Mission,
    ProfilerSession,
    Recipe,
    technical_exposure_percentage,
)
from profiler_core.serialization._collections import _iterable_error, _mapping, _origin
from profiler_core.serialization._scalars import (
    _int,
    _optional_selection,
    _optional_track,
    _ranged_hook,
    _str,
    _track,
)
from profiler_core.vocabulary import (
    RecipeDifficulty,
    TrackKey,
    normalise_token,
    parse_enum,
    parse_track_lenient,
)


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
    if not _in_score_range(number):
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
    if not _in_score_range(number):
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


_RESERVED_PROFILE_KEYS = frozenset({"traits", "strengths", "areas_for_growth"})


def _flat_traits(
    value: Mapping[str, Any],
    *,
    flat: bool,
    traits: dict[str, float],
    record: Callable[[Exception, str], None],
) -> None:
    """Add the top-level trait keys of a behavioral profile to *traits* (see the hook below)."""
    for raw_key, raw_value in value.items():
        if raw_key in _RESERVED_PROFILE_KEYS or (not flat and not _is_number(raw_value)):
            continue
        try:
            key = _category_key(raw_key)
            number = parse_number(raw_value)
            if key in traits:
                raise WireValueError(f"duplicates trait {key}", problem_code="duplicate_key")
            traits[key] = number
        except Exception as exc:
            record(exc, str(raw_key))


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
        _flat_traits(value, flat=flat, traits=traits, record=record)
        if errors:
            raise _iterable_error(errors, type_)
        return BehavioralProfile(
            traits=traits,
            strengths=lists.get("strengths", ()),
            areas_for_growth=lists.get("areas_for_growth", ()),
        )

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
        kept = _KEEP_UNKNOWN.get(origin)
        if kept is not None:
            value = kept(value)
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


# --- vocabulary in catalogue and context rows (SPEC §2) -----------------------
# Never rejects the row: a value outside the vocabulary is kept in the value's own
# field for it (``unknown_track_codes``, ``track_label``, ``difficulty_label``) and
# plays no part.


def _not_a_track(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip()) and parse_track_lenient(value).key is None


def _keep_unknown_track_codes(value: Mapping[str, Any]) -> Mapping[str, Any]:
    codes = value.get("track_codes")
    if not isinstance(codes, list | tuple):
        return value
    unknown = [code for code in codes if _not_a_track(code)]
    if not unknown:
        return value
    given = value.get("unknown_track_codes")
    if given is not None and not isinstance(given, list | tuple):
        return value  # its own hook reports it at its path
    return {**value, "unknown_track_codes": [*(given or ()), *unknown]}


def _keep_track_label(value: Mapping[str, Any]) -> Mapping[str, Any]:
    track = value.get("track")
    if not _not_a_track(track):
        return value
    label = value.get("track_label")
    return {**value, "track": None, "track_label": track if label is None else label}


#: Stands for "no difficulty, see difficulty_label" between the pre-pass and the field hook,
#: so that a bare ``"difficulty": null`` is still rejected at its path.
_LABELLED: Final = object()


def _keep_recipe_vocabulary(value: Mapping[str, Any]) -> Mapping[str, Any]:
    value = _keep_unknown_track_codes(value)
    difficulty = value.get("difficulty")
    label = value.get("difficulty_label")
    if isinstance(difficulty, str) and difficulty.strip() and not _is_recipe_difficulty(difficulty):
        return {**value, "difficulty": _LABELLED, "difficulty_label": difficulty if label is None else label}
    if difficulty is None and "difficulty" in value and label is not None:
        return {**value, "difficulty": _LABELLED}  # our own JSON: null beside its label
    return value


def _is_recipe_difficulty(text: str) -> bool:
    return normalise_token(text) in {d.value for d in RecipeDifficulty}


def _recipe_difficulty(value: object, _type: object) -> RecipeDifficulty | None:
    """A recipe's ``difficulty``: one of ours, or (text that is not) ``None`` beside ``difficulty_label``."""
    if value is _LABELLED:
        return None
    if value is None:
        raise WireValueError("must be a recipe difficulty, got null", problem_code="not_a_string")
    return parse_enum(RecipeDifficulty, value, field="RecipeDifficulty")


_KEEP_UNKNOWN: dict[type, Callable[[Mapping[str, Any]], Mapping[str, Any]]] = {
    Recipe: _keep_recipe_vocabulary,
    Mission: _keep_track_label,
    Cohort: _keep_track_label,
}


def _known_track_codes(value: object, type_: object) -> tuple[TrackKey, ...]:
    """A recipe's ``track_codes``: the tracks, each at its own index; text that is not a track is skipped."""
    if not isinstance(value, list | tuple):
        raise WireValueError(f"must be a list, got {type(value).__name__}", problem_code="not_a_list")
    keys: list[TrackKey] = []
    errors: list[Exception] = []
    for index, item in enumerate(value):
        if _not_a_track(item):
            continue  # kept in unknown_track_codes
        try:
            keys.append(_track(item, TrackKey))
        except Exception as exc:
            exc.add_note(IterableValidationNote(f"@ index {index}", index, TrackKey))
            errors.append(exc)
    if errors:
        raise _iterable_error(errors, type_)
    return tuple(keys)


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
    "Recipe": {"track_codes": _known_track_codes, "difficulty": _recipe_difficulty},
    "Cohort": {"track": _optional_track},
    "MentorAssignment": {"track": _optional_track},
    "JobPosting": {"track": _optional_track},
    "TalentProfile": {"primary_track_key": _optional_track},
}


def _unstructure_category(value: CategoryScore) -> object:
    if value.total is None:
        return value.score
    return {"correct": value.correct, "total": value.total, "points": value.points}

"""Ids (SPEC §2): the id types, what an id may be given as, and its one canonical text.

Every id field of the input values is a ``NewType`` of ``str`` (:data:`UserId`,
:data:`SessionId`, …). Hosts may hand ids in as ``str``, ``int`` or
``uuid.UUID`` (:data:`IdLike`); :func:`canonical_id` turns each into one text,
so ``100`` and ``"100"`` are the same learner everywhere. The values in
:mod:`profiler_core.models` canonicalise their id fields with the private
converters here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, NewType, TypeAlias, TypeVar, cast

import attrs

from profiler_core.errors import InvalidValueError

__all__ = [
    "IdLike",
    "canonical_id",
    "UserId",
    "SessionId",
    "MissionId",
    "RecipeId",
    "CohortId",
    "OrgId",
    "JobId",
    "EntryId",
    "AssignmentId",
    "SubtaskId",
]


UserId = NewType("UserId", str)


SessionId = NewType("SessionId", str)


MissionId = NewType("MissionId", str)


RecipeId = NewType("RecipeId", str)


CohortId = NewType("CohortId", str)


OrgId = NewType("OrgId", str)


JobId = NewType("JobId", str)


EntryId = NewType("EntryId", str)


AssignmentId = NewType("AssignmentId", str)


SubtaskId = NewType("SubtaskId", str)


#: What the platform's keys arrive as: ``uuid.UUID`` objects, integers and strings.
#: All three are accepted for every id and mean the same (see :func:`canonical_id`).
IdLike: TypeAlias = str | int | uuid.UUID


_K = TypeVar("_K", bound=IdLike)


_V = TypeVar("_V")


_UUID_LENGTH = 36


_UUID_TEXT = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII | re.IGNORECASE
)


def _is_canonical_text(value: object) -> bool:
    """A fast, conservative check that *value* already is canonical id text (then it needs no work).

    ``True`` only for a non-blank ``str`` (not a subclass) that no
    canonicalisation would change; ``False`` means "ask :func:`canonical_id`"
    (which may still return the same text). Bulk code uses it to skip
    re-keying a mapping whose keys are already canonical.
    """
    return (
        type(value) is str
        and bool(value)
        and not value.isspace()
        and (len(value) != _UUID_LENGTH or value.lower() == value)
    )


def _id_text(value: object) -> str | None:
    """The canonical text of *value*, or ``None`` when it is not an id."""
    if type(value) is str:
        # The common case first: text that is its own canonical form.
        if len(value) == _UUID_LENGTH and _UUID_TEXT.fullmatch(value):
            return value.lower()
        return None if not value or value.isspace() else value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str):
        text = str.__str__(value)
        if not text.strip():
            return None
        return text.lower() if _UUID_TEXT.fullmatch(text) else text
    return None


def _id_problem(value: object) -> str:
    if isinstance(value, str):
        return "must not be empty" if not value else "must not be blank"
    return f"must be a string, an integer or a UUID, got {type(value).__name__}"


def _canonical_keys(mapping: Mapping[_K, _V], *, field: str = "key") -> Mapping[str, _V]:
    """*mapping* keyed by canonical id text: itself when its keys already are, else a re-keyed copy.

    For mappings a host keys by its raw primary keys (``{100: session}``).
    Two keys that mean the same id (``100`` and ``"100"``) keep the last value.

    Raises:
        InvalidValueError: naming *field*, for a key that is not an id.

    >>> _canonical_keys({100: "a", "u-2": "b"})
    {'100': 'a', 'u-2': 'b'}
    """
    if _all_canonical_text(mapping):
        return cast("Mapping[str, _V]", mapping)
    return {canonical_id(key, field=field): value for key, value in mapping.items()}


def _all_canonical_text(keys: Iterable[object]) -> bool:
    """True only when every key is already canonical text; checked in C, not key by key.

    Plain ``str`` keys that are not blank and hold no upper-case letter are
    their own canonical form (only a UUID's text is ever changed, by
    lower-casing). A ``False`` may be conservative (a key with an upper-case
    letter): the caller then canonicalises key by key.
    """
    keys = tuple(keys)
    if not set(map(type, keys)) <= {str}:
        return False
    texts = cast("tuple[str, ...]", keys)
    if "" in texts or any(map(str.isspace, texts)):
        return False
    joined = "".join(texts)
    return joined == joined.lower()


def canonical_id(value: IdLike, *, field: str = "id") -> str:
    """The one canonical text of a platform key, whatever form it arrived in (SPEC §2).

    An ``int`` becomes its decimal text; a :class:`uuid.UUID` its lower-case
    hyphenated text; a string in the UUID 8-4-4-4-12 form (any case) the same
    lower-case text; any other non-blank string is kept as it is. So ``100``
    and ``"100"`` are one id, and so are a ``UUID`` and its text in any case.
    Applying it twice changes nothing.

    Raises:
        InvalidValueError: naming *field*: a bool, float, bytes, ``None`` or
            any other type, or an empty or blank string (never a silent default).

    >>> canonical_id(100)
    '100'
    >>> canonical_id("6F9619FF-8B86-D011-B42D-00C04FC964FF")
    '6f9619ff-8b86-d011-b42d-00c04fc964ff'
    >>> canonical_id(True, field="learner_id")
    Traceback (most recent call last):
    ...
    profiler_core.errors.InvalidValueError: learner_id: must be a string, an integer or a UUID, got bool
    """
    text = _id_text(value)
    if text is None:
        problem_code = "blank" if isinstance(value, str) else "invalid_value"
        raise InvalidValueError(field=field, reason=_id_problem(value), problem_code=problem_code)
    return text


def _to_id(value: IdLike) -> str:
    # The converter of every id field: canonical text for a valid id. Anything else is passed
    # on unchanged for the field's validator (_valid_id), which knows the field's name.
    text = _id_text(value)
    return value if text is None else text  # type: ignore[return-value]  # rejected by _valid_id


def _to_optional_id(value: IdLike | None) -> str | None:
    return None if value is None else _to_id(value)


def _valid_id(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if _id_text(value) is None:
        problem_code = "blank" if isinstance(value, str) else "invalid_value"
        raise InvalidValueError(field=attribute.name, reason=_id_problem(value), problem_code=problem_code)


def _valid_optional_id(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _valid_id(_inst, attribute, value)

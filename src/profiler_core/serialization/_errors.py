"""How a structuring failure becomes one :class:`~profiler_core.errors.InvalidPayloadError`.

cattrs raises nested exception groups; each leaf becomes a
:class:`~profiler_core.errors.Problem` with its JSON path and machine code.
"""

from __future__ import annotations

import attrs
from cattrs.errors import ClassValidationError, IterableValidationError

from profiler_core._numbers import _shown
from profiler_core.errors import (
    InvalidPayloadError,
    InvalidValueError,
    PolicyError,
    Problem,
    ProfilerCoreError,
    UnknownValueError,
    WireValueError,
)


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
        # A strict reader (the analytics state, the suppression marker) lists problems from its root.
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

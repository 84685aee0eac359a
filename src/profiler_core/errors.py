"""The exception tree.

Missing profiler data is *not* an error: it yields a default with a reason.
Exceptions are for input that breaks the contract::

    ProfilerCoreError
    ├── InvalidPayloadError (ValueError)    a wire payload broke the contract; lists every problem
    ├── UnknownValueError (ValueError)      a vocabulary value is not recognised
    ├── InvalidValueError (ValueError)      a value object was built with an invalid field
    ├── PolicyError (ValueError)            a policy or taxonomy definition is inconsistent
    ├── NotFoundError (LookupError)         a host asked for something that does not exist
    └── AccessDeniedError (PermissionError) raised only by hosts that prefer exceptions over decisions

Every error carries structured attributes besides its message.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

__all__ = [
    "ProfilerCoreError",
    "Problem",
    "InvalidPayloadError",
    "UnknownValueError",
    "InvalidValueError",
    "PolicyError",
    "NotFoundError",
    "AccessDeniedError",
]


class ProfilerCoreError(Exception):
    """Root of every exception raised by :mod:`profiler_core`."""

    code: str = "profiler_core_error"


@frozen(kw_only=True)
class Problem:
    """One problem in a payload: a JSON path and a message.

    >>> str(Problem(path="$.aptitude_score", message="must be 0..100"))
    '$.aptitude_score: must be 0..100'
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InvalidPayloadError(ProfilerCoreError, ValueError):
    """A payload handed to :func:`profiler_core.structure` broke the wire contract.

    Attributes:
        problems: every problem found, each with its JSON path.
        type_name: the name of the type that was being structured.
    """

    code = "invalid_payload"

    def __init__(self, problems: Sequence[Problem], *, type_name: str) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.type_name = type_name
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"invalid {type_name} payload ({len(self.problems)} problem(s)):\n{lines}")

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready body for a 400 response: ``{"code", "type", "errors": [{path, message}]}``."""
        return {
            "code": self.code,
            "type": self.type_name,
            "errors": [{"path": p.path, "message": p.message} for p in self.problems],
        }


class UnknownValueError(ProfilerCoreError, ValueError):
    """A vocabulary value (track, difficulty, status...) is not recognised.

    Attributes:
        field: the field being parsed.
        value: the value that was not recognised.
        expected: the accepted spellings.
    """

    code = "unknown_value"

    def __init__(self, *, field: str, value: object, expected: Sequence[str]) -> None:
        self.field = field
        self.value = value
        self.expected = tuple(expected)
        self.detail = f"unknown value {value!r} (expected one of: {', '.join(self.expected)})"
        super().__init__(f"{field}: {self.detail}")


class InvalidValueError(ProfilerCoreError, ValueError):
    """A value object was constructed with an invalid field.

    Attributes:
        field: the offending field.
        reason: what is wrong with it.
    """

    code = "invalid_value"

    def __init__(self, *, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class PolicyError(ProfilerCoreError, ValueError):
    """A policy (thresholds, weights, taxonomy) is inconsistent.

    Attributes:
        policy: the policy id@version, when known.
        reason: what is inconsistent.
    """

    code = "invalid_policy"

    def __init__(self, *, policy: str, reason: str) -> None:
        self.policy = policy
        self.reason = reason
        super().__init__(f"{policy}: {reason}")


class NotFoundError(ProfilerCoreError, LookupError):
    """Something a host asked for does not exist.

    Attributes:
        kind: what was looked up (``"learner"``, ``"cohort"``...).
        key: the id that was looked up.
    """

    code = "not_found"

    def __init__(self, *, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key!r} not found")


class AccessDeniedError(ProfilerCoreError, PermissionError):
    """An access decision denied the request, for hosts that prefer raising.

    The library itself returns decisions; this exception exists so a host can
    turn a denial into one exception type (e.g. a 403 handler).

    Attributes:
        reason_codes: the denial's reason codes.
    """

    code = "access_denied"

    def __init__(self, *, reason_codes: Sequence[str]) -> None:
        self.reason_codes = tuple(reason_codes)
        super().__init__(f"access denied: {', '.join(self.reason_codes)}")

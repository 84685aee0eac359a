"""The exception tree.

Missing profiler data is *not* an error: it yields a default with a reason.
Exceptions are for input that breaks the contract::

    ProfilerCoreError
    ├── InvalidPayloadError (ValueError)    a wire payload broke the contract; lists every problem
    ├── UnknownValueError (ValueError)      a vocabulary value is not recognised
    ├── InvalidValueError (ValueError)      a value object was built with an invalid field
    ├── WireValueError (ValueError)         one wire value (a number, a timestamp) broke the wire rules
    ├── PolicyError (ValueError)            a policy or taxonomy definition is inconsistent
    ├── NotFoundError (LookupError)         a host asked for something that does not exist
    ├── AccessDeniedError (PermissionError) raised only by hosts that prefer exceptions over decisions
    └── RepositoryError (RuntimeError)      a host adapter could not answer (services degrade on it)

Services degrade (answer with a default and a reason) only on what
:func:`is_repository_failure` recognises; every other exception from an
adapter is a programming error and propagates.

Every error carries structured attributes besides its message. Each problem of
an :class:`InvalidPayloadError` has a machine ``code`` (one of
:data:`PROBLEM_CODES`) beside its path and human message, so a payload problem
can be logged as ``path: code`` without the offending value
(:meth:`InvalidPayloadError.log_summary`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from attrs import field, frozen

__all__ = [
    "ProfilerCoreError",
    "PROBLEM_CODES",
    "Problem",
    "InvalidPayloadError",
    "UnknownValueError",
    "InvalidValueError",
    "WireValueError",
    "PolicyError",
    "NotFoundError",
    "AccessDeniedError",
    "RepositoryError",
    "is_repository_failure",
]


class ProfilerCoreError(Exception):
    """Root of every exception raised by :mod:`profiler_core`."""

    code: str = "profiler_core_error"


#: Every machine code a :class:`Problem` may carry, with what it means. The
#: codes are stable within a major version; hosts may switch on them and logs
#: carry them instead of the offending value.
PROBLEM_CODES: Mapping[str, str] = MappingProxyType(
    {
        "required": "a required field is missing",
        "not_an_object": "a JSON object was expected",
        "not_a_list": "a JSON array was expected (a string is not a list)",
        "not_a_string": "a string was expected (other types are never coerced to text)",
        "not_a_boolean": "true or false was expected",
        "not_a_number": (
            "a number was expected: a JSON number, a Decimal or a plain ASCII decimal string; "
            "booleans, NaN, infinities, exponents, underscores and non-ASCII digits are not numbers here"
        ),
        "not_an_integer": "a whole number was expected",
        "out_of_range": "a number outside its documented range or upper bound",
        "blank": "an empty or blank string where text is required",
        "unknown_value": "a vocabulary value (track, status, role...) that is not recognised",
        "bad_timestamp": "not a strict ISO 8601 timestamp, or one that cannot be converted to UTC",
        "naive_timestamp": "a timestamp without a UTC offset",
        "duplicate_key": "two keys of an object mean the same after normalisation",
        "invalid_value": "a field or cross-field rule of the value was broken (the message says which)",
    }
)


def _known_code(_inst: object, _attribute: object, code: str) -> None:
    if code not in PROBLEM_CODES:
        raise ValueError(f"unknown problem code {code!r} (add it to PROBLEM_CODES and the docs)")


def _log_safe(text: str) -> str:
    # A path may hold a payload's object keys: escape control characters so a key
    # cannot forge log lines, and cap it so a huge key cannot flood the log.
    escaped = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return escaped if len(escaped) <= 200 else escaped[:199] + "\u2026"


@frozen(kw_only=True)
class Problem:
    """One problem in a payload: a JSON path, a human message and a machine code.

    The message may quote the offending value (it is meant for the caller who
    sent it); :meth:`log_safe` renders the path and code only, for logs.

    >>> problem = Problem(path="$.aptitude_score", message="must be 0..100", code="out_of_range")
    >>> str(problem)
    '$.aptitude_score: must be 0..100'
    >>> problem.log_safe()
    '$.aptitude_score: out_of_range'
    """

    path: str
    message: str
    code: str = field(default="invalid_value", validator=_known_code)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def log_safe(self) -> str:
        """``"path: code"`` with no payload value, safe to log."""
        return f"{_log_safe(self.path)}: {self.code}"


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

    def log_summary(self) -> str:
        """One log-safe line: the type and every problem as ``path: code``, never a value.

        >>> InvalidPayloadError(
        ...     [Problem(path="$.status", message="unknown value 'my secret'", code="unknown_value")],
        ...     type_name="ProfilerSession",
        ... ).log_summary()
        'invalid ProfilerSession payload (1 problem(s)): $.status: unknown_value'
        """
        listed = "; ".join(p.log_safe() for p in self.problems)
        return f"invalid {_log_safe(self.type_name)} payload ({len(self.problems)} problem(s)): {listed}"


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
        problem_code: the :data:`PROBLEM_CODES` entry :func:`~profiler_core.structure`
            reports it under (``"out_of_range"`` for a bound, else ``"invalid_value"``).
    """

    code = "invalid_value"

    def __init__(self, *, field: str, reason: str, problem_code: str = "invalid_value") -> None:
        if problem_code not in PROBLEM_CODES:
            raise ValueError(f"unknown problem code {problem_code!r}")
        self.field = field
        self.reason = reason
        self.problem_code = problem_code
        super().__init__(f"{field}: {reason}")


class WireValueError(ProfilerCoreError, ValueError):
    """One wire value broke the wire rules (``parse_number``, ``parse_timestamp``...).

    :func:`~profiler_core.structure` reports it as a :class:`Problem` at the
    value's path; hosts that parse single values (a query parameter, a CSV
    cell) catch it directly, or as a ``ValueError``.

    Attributes:
        reason: what is wrong (may quote the value: for the caller, not for logs).
        problem_code: the :data:`PROBLEM_CODES` entry (``"not_a_number"``...).
    """

    code = "invalid_wire_value"

    def __init__(self, reason: str, *, problem_code: str) -> None:
        if problem_code not in PROBLEM_CODES:
            raise ValueError(f"unknown problem code {problem_code!r}")
        self.reason = reason
        self.problem_code = problem_code
        super().__init__(reason)


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


class RepositoryError(ProfilerCoreError, RuntimeError):
    """A host adapter could not answer: the documented way a repository fails.

    Raise it from an adapter (``raise RepositoryError("sessions") from exc``)
    for a failure the services should degrade on: a backend that is down, a
    stored row that cannot be read. Services answer with a default and a
    reason and log a WARNING; they never raise it to the host. The message and
    the chained cause are never logged, only their types and codes.

    Attributes:
        operation: what failed (e.g. the port method), for logs; ``None`` when not given.
    """

    code = "repository_error"

    def __init__(
        self, message: str = "the repository could not answer", *, operation: str | None = None
    ) -> None:
        self.operation = operation
        super().__init__(message)


#: Class names that PEP 249 (DB-API 2.0) drivers and the frameworks over them give
#: their database errors: sqlite3, psycopg, Django's ``django.db.utils`` and
#: SQLAlchemy all derive their errors from a class of one of these names.
_DB_API_ERROR_NAMES = frozenset({"DatabaseError", "InterfaceError"})


def is_repository_failure(exc: BaseException) -> bool:
    """True when *exc* is the way a repository fails, so a service degrades instead of raising.

    Exactly three kinds (SPEC §11 "Degrading"):

    * :class:`RepositoryError`, raised by a host adapter;
    * :class:`OSError`, which includes :class:`TimeoutError` and :class:`ConnectionError`;
    * a PEP 249 database error: an exception with a class named ``DatabaseError``
      or ``InterfaceError`` in its MRO (sqlite3, psycopg, Django and SQLAlchemy
      errors all have one), recognised without importing any driver.

    Anything else (``TypeError``, ``AttributeError``, ``KeyError``, an
    :class:`InvalidValueError` from a badly built value...) is a programming
    error in the adapter and must propagate.

    >>> import sqlite3
    >>> is_repository_failure(sqlite3.OperationalError("database is locked"))
    True
    >>> is_repository_failure(TimeoutError())
    True
    >>> is_repository_failure(AttributeError("'NoneType' object has no attribute 'id'"))
    False
    """
    if isinstance(exc, RepositoryError | OSError):
        return True
    return any(cls.__name__ in _DB_API_ERROR_NAMES for cls in type(exc).__mro__)

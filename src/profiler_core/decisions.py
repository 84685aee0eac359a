"""What every decision carries: reasons (code + sentence) and the policy that made it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from attrs import field, frozen

from profiler_core.errors import InvalidValueError

__all__ = ["Reason", "PolicyRef", "Policy", "Explained", "Absent", "Present"]

_CODE = re.compile(r"[a-z][a-z0-9_]*", re.ASCII)
# A positive version in ASCII digits, short enough for int() on any input.
_VERSION = re.compile(r"[0-9]{1,18}", re.ASCII)


def _check_code(_instance: object, _attribute: object, value: str) -> None:
    # fullmatch: "$" would also accept a trailing newline.
    if not _CODE.fullmatch(value):
        raise InvalidValueError(field="code", reason=f"{value!r} is not a snake_case reason code")


def _check_policy_id(_instance: object, _attribute: object, value: str) -> None:
    # ``id@version`` is the one wire form: an empty id or one with "@" would not read back.
    if not value or "@" in value:
        raise InvalidValueError(field="policy", reason=f"{value!r} is not a policy id (non-empty, no '@')")


def _policy_text(name: str, version: object) -> str:
    # The one place ``id@version`` is written (a PolicyRef, or a policy that cannot be built).
    return f"{name}@{version}"


@frozen(kw_only=True)
class Reason:
    """Why a decision came out as it did.

    Attributes:
        code: machine-readable, stable, snake_case (listed in ``docs/reason-codes.md``).
        message: one human sentence; contains ids and numbers, never names or free text.

    >>> Reason(code="no_completed_session", message="The learner has no completed profiler session.")
    Reason(code='no_completed_session', message='The learner has no completed profiler session.')
    """

    code: str = field(validator=_check_code)
    message: str


@frozen(kw_only=True, order=True)
class PolicyRef:
    """The id and version of the policy behind a decision, rendered ``id@version``.

    >>> str(PolicyRef(id="difficulty", version=1))
    'difficulty@1'
    >>> PolicyRef.parse("difficulty@1")
    PolicyRef(id='difficulty', version=1)
    """

    id: str = field(validator=_check_policy_id)
    version: int

    def __str__(self) -> str:
        return _policy_text(self.id, self.version)

    @classmethod
    def parse(cls, text: str) -> PolicyRef:
        """Parse ``"id@version"``.

        Raises:
            InvalidValueError: the text is not ``id@<positive int>`` (ASCII digits).
        """
        name, sep, version = text.partition("@")
        if not sep or not name or not _VERSION.fullmatch(version) or int(version) < 1:
            raise InvalidValueError(field="policy", reason=f"{text!r} is not id@version")
        return cls(id=name, version=int(version))


@frozen(kw_only=True)
class Policy:
    """The base of every versioned policy: an ``id``, a ``version`` and their :class:`PolicyRef`.

    Each policy redeclares ``id`` and ``version`` first, with its own defaults
    (``id: str = "difficulty"``, ``version: int = 1``), so the fields keep their
    order and the JSON its shape. A policy's :class:`~profiler_core.errors.PolicyError`
    names it by ``str(self.ref)``.

    >>> @frozen(kw_only=True)
    ... class Example(Policy):
    ...     id: str = "example"
    ...     version: int = 2
    >>> str(Example().ref)
    'example@2'
    """

    id: str
    version: int

    @property
    def ref(self) -> PolicyRef:
        """The ``id@version`` of this policy."""
        return PolicyRef(id=self.id, version=self.version)


class Explained:
    """A value that explains itself: it holds ``reasons`` and shows their codes.

    Every decision and result that carries ``reasons: tuple[Reason, ...]``
    derives from it (slotted attrs classes too: it adds no slots).

    >>> @frozen(kw_only=True)
    ... class Verdict(Explained):
    ...     reasons: tuple[Reason, ...]
    >>> Verdict(reasons=(Reason(code="no_open_jobs", message="No open job to match."),)).reason_codes
    ('no_open_jobs',)
    """

    __slots__ = ()

    reasons: tuple[Reason, ...]

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`reasons`, in order."""
        return tuple(r.code for r in self.reasons)


class Absent:
    """An expected absence: an outcome that holds no answer, only ``reason``, the why.

    Every outcome that can be an expected absence exposes ``absence: Reason | None``:
    ``None`` when there is an answer, else the reason why not (``docs/decisions.md``).
    The not-found outcomes derive from this mixin (it adds no slots).
    """

    __slots__ = ()

    reason: Reason

    @property
    def absence(self) -> Reason:
        """Why there is no answer: :attr:`reason`."""
        return self.reason


class Present:
    """An outcome that holds its answer: ``absence`` is ``None`` (the counterpart of :class:`Absent`)."""

    __slots__ = ()

    @property
    def absence(self) -> None:
        """``None``: there is an answer."""
        return None


def _reasons(values: Iterable[Reason]) -> tuple[Reason, ...]:
    """The one converter of a ``tuple[Reason, ...]`` field (mypy's attrs plugin needs a named function)."""
    return tuple(values)

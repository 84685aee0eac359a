"""Deprecated names kept for one minor version: one way to warn about them.

An attribute renamed on a value class keeps its old name as a read-only
:class:`renamed` descriptor; a function whose keyword was renamed calls
:func:`renamed_keyword`. Both warn :class:`DeprecationWarning` naming the
replacement and the version the old name goes in.
"""

from __future__ import annotations

import warnings
from typing import Generic, TypeVar, overload

from profiler_core.ids import IdLike

__all__: list[str] = []

#: The version the names deprecated in 0.1 go in.
REMOVED_IN = "0.2.0"

T = TypeVar("T")


def warn_deprecated(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Warn that *old* is deprecated in favour of *new* (and when it goes)."""
    warnings.warn(
        f"{old} is deprecated and goes in {REMOVED_IN}; use {new}", DeprecationWarning, stacklevel=stacklevel
    )


class renamed(Generic[T]):  # noqa: N801 - used like the property it replaces
    """A read-only alias of the attribute *new*, under the attribute's old name, that warns."""

    def __init__(self, new: str) -> None:
        self.new = new
        self.old = ""
        self.owner = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.old, self.owner = name, owner.__name__

    @overload
    def __get__(self, instance: None, owner: type) -> renamed[T]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> T: ...
    def __get__(self, instance: object | None, owner: type) -> renamed[T] | T:
        if instance is None:
            return self
        warn_deprecated(f"{self.owner}.{self.old}", f"{self.owner}.{self.new}")
        value: T = getattr(instance, self.new)
        return value


def renamed_keyword(
    function: str, new: str, new_value: IdLike | None, old: str, old_value: IdLike | None
) -> IdLike:
    """The id given as keyword *new*, or as its deprecated name *old* (with a warning); one is required."""
    if old_value is not None:
        if new_value is not None:
            raise TypeError(f"{function}() got both {new}= and its deprecated name {old}=")
        warn_deprecated(f"{function}({old}=...)", f"{function}({new}=...)", stacklevel=4)
        return old_value
    if new_value is None:
        raise TypeError(f"{function}() missing required keyword argument: {new!r}")
    return new_value

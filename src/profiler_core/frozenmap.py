"""A small immutable, hashable mapping for value objects."""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Generic, TypeVar

__all__ = ["FrozenMap", "freeze"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """A read-only mapping that compares equal to a ``dict`` with the same items.

    >>> m = FrozenMap({"networking": 40.0})
    >>> m == {"networking": 40.0}, hash(m) == hash(FrozenMap({"networking": 40.0}))
    (True, True)
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[K, V] | None = None) -> None:
        self._data: dict[K, V] = dict(data or {})
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    # The dict's own views and lookups run in C; Mapping's generic ones in Python.
    def __contains__(self, key: object) -> bool:
        return key in self._data

    def keys(self) -> KeysView[K]:
        """The keys, as the underlying dict's view."""
        return self._data.keys()

    def values(self) -> ValuesView[V]:
        """The values, as the underlying dict's view."""
        return self._data.values()

    def items(self) -> ItemsView[K, V]:
        """The items, as the underlying dict's view."""
        return self._data.items()

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


def freeze(data: Mapping[K, V] | None) -> FrozenMap[K, V]:
    """Return *data* as a :class:`FrozenMap` (itself when it already is one)."""
    if isinstance(data, FrozenMap):
        return data
    return FrozenMap(data)

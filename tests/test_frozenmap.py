"""Tests for profiler_core.frozenmap: the immutable, hashable mapping inside value objects."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from profiler_core.frozenmap import FrozenMap, freeze

_dicts = st.dictionaries(st.text(max_size=5), st.floats(allow_nan=False), max_size=8)


class _CountingKey:
    """A key that counts how often it is hashed."""

    def __init__(self) -> None:
        self.calls = 0

    def __hash__(self) -> int:
        self.calls += 1
        return 7


class TestFrozenMap:
    """FrozenMap behaves as a read-only dict that can be hashed."""

    def test_reads_like_a_dict(self) -> None:
        """Item access, length, iteration order and membership follow the source dict."""
        m = FrozenMap({"b": 2, "a": 1})
        assert m["a"] == 1
        assert len(m) == 2
        assert list(m) == ["b", "a"]
        assert "b" in m
        assert m.get("z") is None
        assert isinstance(m, Mapping)

    def test_missing_key(self) -> None:
        """A missing key raises KeyError."""
        with pytest.raises(KeyError):
            FrozenMap({"a": 1})["z"]

    def test_empty(self) -> None:
        """No argument (or None) gives an empty map."""
        assert FrozenMap() == {}
        assert FrozenMap(None) == {}

    def test_equal_to_dict(self) -> None:
        """A FrozenMap equals a dict (and another FrozenMap) with the same items."""
        assert FrozenMap({"a": 1.0}) == {"a": 1.0}
        assert FrozenMap({"a": 1.0, "b": 2.0}) == FrozenMap({"b": 2.0, "a": 1.0})
        assert FrozenMap({"a": 1.0}) != {"a": 2.0}
        assert FrozenMap({"a": 1.0}) != FrozenMap({"a": 1.0, "b": 2.0})

    def test_read_only(self) -> None:
        """Item assignment and deletion are refused."""
        m: FrozenMap[str, int] = FrozenMap({"a": 1})
        with pytest.raises(TypeError):
            m["a"] = 2  # type: ignore[index]  # the point: FrozenMap has no __setitem__
        with pytest.raises(TypeError):
            del m["a"]  # type: ignore[attr-defined]  # nor __delitem__
        with pytest.raises(AttributeError):
            m.extra = 1  # type: ignore[attr-defined]  # slotted: no new attributes

    def test_copies_its_source(self) -> None:
        """Mutating the source dict afterwards does not change the map."""
        source = {"a": 1}
        m = FrozenMap(source)
        source["a"] = 99
        assert m["a"] == 1

    def test_hash_ignores_order(self) -> None:
        """Maps with the same items hash alike whatever the insertion order."""
        assert hash(FrozenMap({"a": 1, "b": 2})) == hash(FrozenMap({"b": 2, "a": 1}))
        assert len({FrozenMap({"a": 1, "b": 2}), FrozenMap({"b": 2, "a": 1})}) == 1

    def test_hash_is_cached(self) -> None:
        """The items are hashed once: hashing the map again reuses the first answer."""
        key = _CountingKey()
        m = FrozenMap({key: 1})
        key.calls = 0  # building the dict hashed the key once; count from here
        first = hash(m)
        assert hash(m) == first
        assert key.calls == 1

    def test_unhashable_values(self) -> None:
        """Hashing a map holding unhashable values raises TypeError (like a tuple would)."""
        with pytest.raises(TypeError):
            hash(FrozenMap({"a": [1]}))

    def test_repr(self) -> None:
        """repr shows the items."""
        assert repr(FrozenMap({"a": 1})) == "FrozenMap({'a': 1})"

    @given(_dicts)
    def test_equal_and_same_hash_as_a_copy(self, data: dict[str, float]) -> None:
        """A map equals its source and hashes like any other map of the same items."""
        m = FrozenMap(data)
        assert m == data
        assert hash(m) == hash(FrozenMap(dict(reversed(list(data.items())))))


class TestFreeze:
    """freeze() turns a mapping into a FrozenMap."""

    def test_frozen_map_is_returned_as_is(self) -> None:
        """A FrozenMap is returned unchanged (no copy)."""
        m = FrozenMap({"a": 1})
        assert freeze(m) is m

    def test_dict_is_frozen(self) -> None:
        """A dict becomes an equal FrozenMap."""
        frozen = freeze({"a": 1})
        assert isinstance(frozen, FrozenMap)
        assert frozen == {"a": 1}

    def test_none_is_empty(self) -> None:
        """None becomes an empty FrozenMap."""
        assert freeze(None) == FrozenMap()

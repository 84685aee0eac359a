"""Shared by the contract checks: the fixed instant, keys in every form a host may hold them, bags.

Private: the public checks are in :mod:`profiler_core.testing.contracts`.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from profiler_core.models import (
    canonical_id,
)

_T0 = datetime(2026, 1, 1, tzinfo=UTC)


# Keys as the platform holds them: an integer primary key and a UUID, by their canonical text.
_NUM_USER, _NUM_SESSION = "100", "7001"


_UUID_USER = "0c8f8e9e-5d0a-4c1e-9a57-1f0e3c6b7a42"


_UUID_SESSION = "5a3c1f2e-9b8d-4e7f-a6c5-d4b3a2918070"


_UUID_COHORT = "9e2d4c6b-8a1f-4b3e-9c5d-7f6e5d4c3b2a"


def _forms(key: str) -> list[object]:
    """*key* (canonical text) in every form a host may hold it: also ``int``, ``UUID``, upper-case text."""
    forms: list[object] = [key]
    if re.fullmatch(r"-?[0-9]+", key):
        forms.append(int(key))
    if canonical_id(key) == key and re.fullmatch(r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}", key):
        forms += [uuid.UUID(key), key.upper()]
    return forms


_Key = TypeVar("_Key", bound=str)


def _comparable(answer: Mapping[_Key, object]) -> dict[object, object]:
    return {
        key: _bag(value) if isinstance(value, list | tuple) else value for key, value in dict(answer).items()
    }


def _same_for_every_form(
    method: str, ask: Callable[[list[object]], Mapping[_Key, object]], keys: Sequence[str]
) -> None:
    """*ask* answers for each of *keys* the same, keyed by its canonical text, in every form of the key."""
    expected = _comparable(ask(list(keys)))
    assert all(isinstance(key, str) and canonical_id(key) == key for key in expected), (
        f"{method}: answers must be keyed by the canonical id text, got keys {sorted(map(repr, expected))}"
    )
    for key in keys:
        wanted = {key: expected[key]} if key in expected else {}
        for form in _forms(key):
            got = _comparable(ask([form]))
            assert got == wanted, (
                f"{method}([{form!r}]) ({type(form).__name__}): expected the same answer as for {key!r}, "
                f"keyed by {key!r}; got {got!r} (canonicalise incoming ids with profiler_core.canonical_id)"
            )


def _bag(values: Iterable[object]) -> Counter[object]:
    return Counter(values)


_K = TypeVar("_K", bound=str)


def _grouped(found: Mapping[_K, Sequence[object]]) -> dict[_K, Counter[object]]:
    return {key: _bag(values) for key, values in found.items()}

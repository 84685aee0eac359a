"""Builders shared by the wire-edge test files: minimal payloads and the problems structure() reports.

``SESSION``, ``MISSION`` and ``RECIPE`` are the smallest valid payloads of their
type; a test spreads one and changes the field it is about
(``{**SESSION, "status": "bogus"}``). ``problems_of`` and ``codes_of`` assert
that :func:`~profiler_core.serialization.structure` fails and return its
problems by JSON path.
"""

from __future__ import annotations

from typing import Any

import pytest

from profiler_core.errors import InvalidPayloadError
from profiler_core.models import ProfilerSession
from profiler_core.serialization import structure

__all__ = ["MISSION", "RECIPE", "SESSION", "codes_of", "problems_of", "wire_session"]

SESSION: dict[str, Any] = {"id": "s-1", "user_id": "u-1", "status": "finished"}
MISSION: dict[str, Any] = {"id": "m-1", "code": "M-1", "title": "Ports", "difficulty": 1}
RECIPE: dict[str, Any] = {"id": "r-1", "slug": "ports", "title": "Ports"}


def wire_session(**fields: Any) -> ProfilerSession:
    """The ProfilerSession that ``SESSION`` with *fields* structures to (wire spellings allowed)."""
    return structure({**SESSION, **fields}, ProfilerSession)


def problems_of(data: object, type_: Any) -> dict[str, str]:
    """structure() must fail: its problems as {path: message}."""
    with pytest.raises(InvalidPayloadError) as info:
        structure(data, type_)
    return {p.path: p.message for p in info.value.problems}


def codes_of(data: object, type_: Any) -> dict[str, str]:
    """structure() must fail: its problems as {path: code}."""
    with pytest.raises(InvalidPayloadError) as info:
        structure(data, type_)
    return {p.path: p.code for p in info.value.problems}

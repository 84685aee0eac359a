"""Narrowing helpers for the OCH bodies: the JSON the wire edge renders, read back by shape."""

from __future__ import annotations

from attrs import frozen

from profiler_core.serialization import JSON

#: The version of every OCH body this package renders (documented field by field in docs/reference/och.md).
BODY_VERSION = "och-bodies@1"


@frozen(kw_only=True)
class OchResponse:
    """An OCH endpoint's answer: the HTTP status and the JSON body the OCH frontend reads.

    Attributes:
        status: the HTTP status the platform's view answers with (200, 403, 404, 503).
        body: the JSON body (plain data, ready for ``json.dumps``).
    """

    status: int
    body: dict[str, JSON]


def obj(value: JSON) -> dict[str, JSON]:
    """*value* as a JSON object (the wire edge rendered one here)."""
    if not isinstance(value, dict):
        raise TypeError(f"expected a JSON object, got {type(value).__name__}")
    return value


def arr(value: JSON) -> list[JSON]:
    """*value* as a JSON array (the wire edge rendered one here)."""
    if not isinstance(value, list):
        raise TypeError(f"expected a JSON array, got {type(value).__name__}")
    return value


def text(value: JSON) -> str | None:
    """*value* as a string, ``None`` when it is ``None``."""
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"expected a JSON string or null, got {type(value).__name__}")

"""Timestamp parsing shared by the wire edge and the domain (imports only ``errors`` and ``_numbers``).

:func:`parse_timestamp` is documented and exported as
:func:`profiler_core.serialization.parse_timestamp`; it lives here so that a
domain module (the analytics accumulator reads ISO 8601 strings in host rows)
need not import the edge.
"""

from __future__ import annotations

import datetime as dt
import re

from profiler_core._numbers import _shown, _wire_text
from profiler_core.errors import WireValueError

__all__ = ["parse_timestamp"]


# Strict ISO 8601 as hosts write it: date, then optionally a time and an offset.
# Date-only and offset-less forms match so that they are reported as naive.
_TIMESTAMP_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)?)?",
    re.ASCII,
)
_TIMESTAMP_FORM = "an ISO 8601 timestamp (YYYY-MM-DDTHH:MM:SS[.ffffff] with Z or +HH:MM)"


def parse_timestamp(value: object) -> dt.datetime:
    """Parse a strict ISO 8601 timestamp (or take a ``datetime``) that carries a UTC offset.

    The string form is ``YYYY-MM-DD``, ``T`` or a space, ``HH:MM[:SS[.fraction]]``
    and ``Z`` or ``±HH:MM``, optionally surrounded by ASCII spaces; digits
    beyond microseconds are truncated. The offset is kept. The timestamp must
    be convertible to UTC (``0001-01-01T00:00:00+01:00`` is not).

    Raises:
        WireValueError: (a ``ValueError``) not strict ISO 8601 (control
            characters and trailing text included) or not convertible to UTC,
            coded ``bad_timestamp``; naive (no offset), coded ``naive_timestamp``.

    >>> parse_timestamp("2026-01-02T03:04:05Z").isoformat()
    '2026-01-02T03:04:05+00:00'
    """
    if isinstance(value, dt.datetime):
        stamp = value
    elif isinstance(value, str):
        text = _wire_text(value)
        if not _TIMESTAMP_TEXT.fullmatch(text):
            raise WireValueError(
                f"must be {_TIMESTAMP_FORM}, got {_shown(value)}", problem_code="bad_timestamp"
            )
        try:
            stamp = dt.datetime.fromisoformat(text)
        except ValueError:
            raise WireValueError(
                f"must be {_TIMESTAMP_FORM}, got {_shown(value)}", problem_code="bad_timestamp"
            ) from None
    else:
        raise WireValueError(
            f"must be an ISO 8601 timestamp, got {type(value).__name__}", problem_code="bad_timestamp"
        )
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise WireValueError(
            "must carry a UTC offset (naive timestamps are rejected)", problem_code="naive_timestamp"
        )
    try:
        stamp.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise WireValueError(
            "must be convertible to UTC (out of the datetime range)", problem_code="bad_timestamp"
        ) from None
    return stamp

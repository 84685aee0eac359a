"""Per-integration loggers and a timing helper (SPEC §11).

Loggers are named ``profiler_core.<integration>``. Nothing is configured here:
hosts decide handlers and levels. Messages and ``extra`` carry ids, codes and
numbers only, never names, e-mails or free text.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["get_logger", "timed"]


def get_logger(integration: str) -> logging.Logger:
    """The logger of one integration, e.g. ``profiler_core.missions``."""
    return logging.getLogger(f"profiler_core.{integration}")


@contextmanager
def timed() -> Iterator[dict[str, float]]:
    """Measure a call; the yielded dict gets ``duration_ms`` when the block ends.

    Uses a monotonic performance counter, never the wall clock.
    """
    box: dict[str, float] = {}
    start = time.perf_counter()
    try:
        yield box
    finally:
        box["duration_ms"] = round((time.perf_counter() - start) * 1000, 3)

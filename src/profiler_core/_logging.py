"""Per-integration loggers, a timing helper, and log-safe exception fields (SPEC §11).

Loggers are named ``profiler_core.<integration>``. Nothing is configured here:
hosts decide handlers and levels. Messages and ``extra`` carry ids, codes and
numbers only, never names, e-mails or free text.

An exception is never logged with its message or traceback (``exc_info``):
either may quote a payload value or a row. :func:`log_failure` logs what is
safe instead: the exception's type, its machine code, where it was raised, the
same for each exception it was chained from, and for an
:class:`~profiler_core.errors.InvalidPayloadError` its ``path: code`` lines.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from profiler_core.errors import InvalidPayloadError, ProfilerCoreError, RepositoryError

__all__ = ["get_logger", "timed", "failure_fields", "log_failure"]

# Attributes that database drivers use for a machine code (never a message):
# sqlite3 (``sqlite_errorname``), psycopg (``sqlstate``), psycopg2 (``pgcode``), OSError (``errno``).
_DRIVER_CODES = ("sqlite_errorname", "sqlstate", "pgcode", "errno")
# How many chained exceptions (``raise ... from``) are described.
_CHAIN_LIMIT = 5


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


def _type_name(exc: BaseException) -> str:
    kind = type(exc)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _code(exc: BaseException) -> str | None:
    if isinstance(exc, ProfilerCoreError):
        return exc.code
    for name in _DRIVER_CODES:
        value = getattr(exc, name, None)
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
    return None


def _origin(exc: BaseException) -> str | None:
    if exc.__traceback__ is None:
        return None
    last = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{os.path.basename(last.filename)}:{last.lineno} in {last.name}"


def _describe(exc: BaseException) -> str:
    parts = [_type_name(exc)]
    code = _code(exc)
    if code is not None:
        parts.append(f"[{code}]")
    if isinstance(exc, RepositoryError) and exc.operation is not None:
        parts.append(f"operation={exc.operation}")
    if isinstance(exc, InvalidPayloadError):
        parts.append(exc.log_summary())
    origin = _origin(exc)
    if origin is not None:
        parts.append(f"at {origin}")
    return " ".join(parts)


def _chain(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < _CHAIN_LIMIT:
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return chain


def failure_fields(exc: BaseException) -> dict[str, object]:
    """Log-safe ``extra`` fields describing *exc*: never its message, args or traceback text.

    ``error_type`` (module-qualified class name), ``error_code`` (the library's
    ``code``, or a driver's machine code such as sqlite's ``sqlite_errorname``,
    psycopg's ``sqlstate`` or ``errno``; ``None`` when there is none) and
    ``error_chain``: one line per exception in the ``raise ... from`` chain, each
    the type, code, the ``path: code`` lines of a payload error, and the file,
    line and function it was raised in.
    """
    return {
        "error_type": _type_name(exc),
        "error_code": _code(exc),
        "error_chain": tuple(_describe(e) for e in _chain(exc)),
    }


def log_failure(log: logging.Logger, message: str, exc: BaseException, extra: Mapping[str, object]) -> None:
    """Log an integration failure at WARNING, safely: ``message`` plus :func:`failure_fields`.

    The formatted message names the exception's type and code (``"... (sqlite3.OperationalError
    [SQLITE_BUSY])"``); the record carries no ``exc_info``, so no handler prints a message or
    traceback that could quote a payload value.
    """
    fields = failure_fields(exc)
    shown = (
        fields["error_type"]
        if fields["error_code"] is None
        else f"{fields['error_type']} [{fields['error_code']}]"
    )
    log.warning("%s (%s)", message, shown, extra={**extra, **fields})

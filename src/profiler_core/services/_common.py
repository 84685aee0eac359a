"""Argument checks and adapter guards shared by the services modules.

Private: the names here are not part of the public API. Each helper checks or
filters before any decision is made, and logs on the caller's logger.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TypeVar

from profiler_core.models import (
    PortfolioEntry,
    ProfilerSession,
    TalentProfile,
    UserId,
)

__all__ = ["_drop_foreign", "_owned"]


def _drop_foreign(log: logging.Logger, what: str, extra: Mapping[str, object], **foreign: object) -> None:
    # A faulty adapter answered with a row of another learner (or session, or job). The row is
    # treated as not returned; the WARNING names ids only, never the row's content.
    log.warning(
        "adapter returned %s of another owner; treated as not returned", what, extra={**extra, **foreign}
    )


_Owned = TypeVar("_Owned", ProfilerSession, PortfolioEntry, TalentProfile)


def _owned(
    row: _Owned | None, learner_id: UserId, log: logging.Logger, what: str, extra: Mapping[str, object]
) -> _Owned | None:
    """*row* if it belongs to *learner_id*; ``None`` (and a WARNING) if a faulty adapter sent another's."""
    if row is not None and row.user_id != learner_id:
        _drop_foreign(log, what, extra, foreign_user_id=row.user_id)
        return None
    return row

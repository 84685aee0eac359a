"""Builders shared by the test files: one ``session(...)`` and one hash-seed runner.

Import them as ``from tests.builders import session`` (the suite runs as
``python -m pytest`` from the repository root, so ``tests`` is importable as a
namespace package; no conftest fixture is needed). A builder names the fields
a test cares about and defaults the rest to a plain finished session of
learner ``u-1``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from profiler_core.models import ProfilerSession, SessionId, UserId
from profiler_core.vocabulary import DifficultySelection, SessionStatus, TrackKey

__all__ = ["run_under_hash_seed", "session"]


def session(
    sid: str = "s-1",
    user: str = "u-1",
    *,
    status: SessionStatus = SessionStatus.FINISHED,
    started_at: datetime | None = None,
    completed_at: datetime | None = None,
    selection: DifficultySelection | None = None,
    aptitude: float | None = None,
    technical: float | None = None,
    track: TrackKey | None = None,
    alignment: Mapping[TrackKey, float] | None = None,
    strengths: Sequence[str] = (),
    **fields: Any,
) -> ProfilerSession:
    """A ProfilerSession: id *sid*, learner *user*, *status*; other fields by short name or by attribute.

    *fields* name attributes (``aptitude_score=50.0``, ``id="s-2"``) and win over the short names,
    so ``session(**changes)`` builders that evolve a plain session fit too.
    """
    base = ProfilerSession(
        id=SessionId(sid),
        user_id=UserId(user),
        status=status,
        started_at=started_at,
        completed_at=completed_at,
        difficulty_selection=selection,
        aptitude_score=aptitude,
        technical_exposure_score=technical,
        recommended_track=track,
        track_alignment_percentages=alignment or {},
        strengths=tuple(strengths),
    )
    return attrs.evolve(base, **fields)


def run_under_hash_seed(code: str, seed: int) -> str:
    """The standard output of *code* run by a fresh interpreter with ``PYTHONHASHSEED=seed``.

    A determinism check made twice in one process cannot see an order that
    depends on string hashing (set iteration, for one); two interpreters with
    different hash seeds can.
    """
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return done.stdout

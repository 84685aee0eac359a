"""Type-level tests for ids, repository failures and denials: mypy checks this file; pytest runs nothing.

Each ``check_*`` function is never called. ``assert_type`` pins what a public
signature infers to; a ``# type: ignore[code]`` pins that a misuse *is* flagged.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import assert_type

from profiler_core import (
    ACCESS_DENIED,
    Enrollment,
    IdLike,
    Principal,
    Reason,
    RepositoryError,
    UserId,
    canonical_id,
    decide_results_access,
    is_repository_failure,
)
from profiler_core.access import sees_denial_detail
from profiler_core.services import ResultsDenied, missions_for_learner
from profiler_core.testing import InMemoryMissionRepository, InMemorySessionRepository
from profiler_core.vocabulary import EnrollmentStatus


def check_ids(now: datetime) -> None:
    """Every id parameter and id field accepts str, int and UUID; canonical_id gives text."""
    key: IdLike = uuid.uuid4()
    assert_type(canonical_id(100), str)
    assert_type(canonical_id(key, field="learner_id"), str)
    enrollment = Enrollment(user_id=100, cohort_id=uuid.uuid4(), status=EnrollmentStatus.ACTIVE)
    assert_type(enrollment.user_id, UserId)
    viewer = Principal(user_id=100)
    decide_results_access(viewer, 100, assignments=(), enrollments=(), cohorts=(), now=now)
    decide_results_access(viewer, key, assignments=(), enrollments=(), cohorts=(), now=now)
    missions_for_learner(100, sessions=InMemorySessionRepository(), missions=InMemoryMissionRepository())
    canonical_id(7.0)  # type: ignore[arg-type]
    Enrollment(user_id=None, cohort_id="c", status=EnrollmentStatus.ACTIVE)  # type: ignore[arg-type]


def check_failures() -> None:
    """RepositoryError is a RuntimeError; the predicate answers a bool for any exception."""
    error: RuntimeError = RepositoryError(operation="save_entry")
    assert_type(is_repository_failure(error), bool)
    assert_type(is_repository_failure(KeyError("x")), bool)


def check_denials(outcome: ResultsDenied, viewer: Principal, now: datetime) -> None:
    """The viewer-facing renderings of a denial."""
    assert_type(ACCESS_DENIED, Reason)
    assert_type(outcome.public_reasons, tuple[Reason, ...])
    assert_type(outcome.public_reason_codes, tuple[str, ...])
    assert_type(outcome.body_for_viewer(), dict[str, object])
    assert_type(outcome.decision.public_reasons(viewer), tuple[Reason, ...])
    assert_type(outcome.decision.body_for_viewer(viewer), dict[str, object])
    assert_type(sees_denial_detail(viewer, now=now), bool)
